#!/usr/bin/env bash
# Build the user-space tools of tools/tasksets/ (tsrun) statically,
# against a built kernel's uapi headers.
#
# usage: scripts/build-tools.sh NAME
#
# Builds into build/tools/NAME/ with the headers of build/kernel/NAME,
# -Werror, and prints that directory. Give it to scripts/make-initramfs.sh
# as TASKSET_TOOLS to have its programs in the image's /bin. The tools are
# built from the repository itself: unlike the selftests, they need
# nothing of the kernel tree but its headers.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: build-tools.sh NAME"
name=$1
hdrs=$BUILD/kernel/$name/usr/include
[ -d "$hdrs/linux" ] || die "no headers in $hdrs: build kernel $name first"

out=$BUILD/tools/$name
mkdir -p "$out"
make -s -C "$TOP/tools/tasksets" OUTPUT="$out/" \
	KHDR_INCLUDES="-isystem $hdrs" USERCFLAGS=-Werror >&2
echo "$out"
