#!/usr/bin/env bash
# Build kselftests statically, against a built kernel's uapi headers.
#
# usage: scripts/build-selftests.sh [--vanilla] [--upstream] NAME [TARGET]...
#
# Builds tools/testing/selftests/TARGET (default: taskset) of the prepared
# tree (or of the base, with --vanilla) using the headers of
# build/kernel/NAME, into build/selftests/NAME/TARGET, and prints that
# directory for each TARGET, with a file .tests in it naming the test
# programs to run (TEST_GEN_PROGS and TEST_CUSTOM_PROGS that were built;
# helpers and TEST_GEN_PROGS_EXTENDED are not run). Our own tests build
# with -Werror and must
# build whole; with --upstream (the kernel's own tests, which we do not
# maintain) every program that builds is kept and the others are named on
# stderr. A TARGET written TARGET:PROG,PROG... runs only those programs
# of it (cgroup:test_core,test_kill: the others need what the test
# kernels do not have).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

vanilla=0 upstream=0
while [ $# -gt 0 ]; do
	case $1 in
	--vanilla) vanilla=1; shift ;;
	--upstream) upstream=1; shift ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] ||
	die "usage: build-selftests.sh [--vanilla] [--upstream] NAME [TARGET]..."
if [ $vanilla = 1 ]; then
	src=$("$TOP/scripts/prepare-tree.sh" --vanilla)
else
	src=$("$TOP/scripts/prepare-tree.sh")
fi
name=$1
shift
[ $# -ge 1 ] || set -- taskset
hdrs=$BUILD/kernel/$name/usr/include
[ -d "$hdrs/linux" ] || die "no headers in $hdrs: build kernel $name first"

for spec in "$@"; do
	target=${spec%%:*}
	only=
	[ "$target" = "$spec" ] || only=,${spec#*:},
	out=$BUILD/selftests/$name/$target
	mkdir -p "$out"
	args=(-C "$src/tools/testing/selftests/$target" OUTPUT="$out"
	      KHDR_INCLUDES="-isystem $hdrs" USERLDFLAGS=-static)
	if [ $upstream = 0 ]; then
		make -s "${args[@]}" USERCFLAGS=-Werror >&2
	elif ! make -s -k "${args[@]}" >"$out.log" 2>&1; then
		echo "build-selftests: some of $target did not build ($out.log)" >&2
	fi
	make -s --no-print-directory "${args[@]}" emit_tests 2>/dev/null |
		sed -n 's/^[^:]*://p' | while read -r prog; do
			[ -x "$out/$prog" ] && [ -f "$out/$prog" ] || continue
			[ -z "$only" ] || [[ $only == *,$prog,* ]] || continue
			echo "$prog"
		done >"$out/.tests"
	echo "$out"
done
