#!/usr/bin/env bash
# Build kselftests statically, against a built kernel's uapi headers.
#
# usage: scripts/build-selftests.sh [--vanilla] NAME [TARGET]...
#
# Builds tools/testing/selftests/TARGET (default: taskset) of the prepared
# tree (or of the base, with --vanilla) with -Wall -Werror, using the
# headers of build/kernel/NAME, into build/selftests/NAME/TARGET, and
# prints that directory for each TARGET.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = --vanilla ]; then
	src=$("$TOP/scripts/prepare-tree.sh" --vanilla)
	shift
else
	src=$("$TOP/scripts/prepare-tree.sh")
fi
[ $# -ge 1 ] || die "usage: build-selftests.sh [--vanilla] NAME [TARGET]..."
name=$1
shift
[ $# -ge 1 ] || set -- taskset
hdrs=$BUILD/kernel/$name/usr/include
[ -d "$hdrs/linux" ] || die "no headers in $hdrs: build kernel $name first"

for target in "$@"; do
	out=$BUILD/selftests/$name/$target
	mkdir -p "$out"
	make -s -C "$src/tools/testing/selftests/$target" OUTPUT="$out" \
		KHDR_INCLUDES="-isystem $hdrs" USERCFLAGS=-Werror \
		USERLDFLAGS=-static >&2
	echo "$out"
done
