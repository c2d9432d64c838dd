#!/usr/bin/env bash
# Make a busybox initramfs.
#
# usage: scripts/make-initramfs.sh OUT INIT [SRC:DEST]...
#
# Writes an uncompressed newc cpio archive to OUT holding the static
# busybox of Debian's busybox-static with a link per applet in /bin, INIT
# as /init, scripts/guest/lib.sh as /lib/guest.sh, and each SRC (a file
# or a directory, copied whole) at DEST. If TASKSET_TOOLS names a
# directory (scripts/build-tools.sh's output), each program in it is
# installed in /bin too, in place of a busybox applet of the same name:
# callers such as scripts/boot-tests.sh need not know about the tools.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: make-initramfs.sh OUT INIT [SRC:DEST]..."
out=$1
init=$2
shift 2
busybox=/bin/busybox	# busybox-static's; conflicts with the dynamic one
"$busybox" --list >/dev/null 2>&1 || die "no busybox: run scripts/install-deps.sh"

root=$(mktemp -d "$BUILD/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root"
mkdir -p "$root"/{bin,dev,etc,lib,proc,sys,tmp,root}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
install -m 0755 "$init" "$root/init"
install -m 0644 "$TOP/scripts/guest/lib.sh" "$root/lib/guest.sh"
if [ -n "${TASKSET_TOOLS:-}" ]; then
	[ -d "$TASKSET_TOOLS" ] || die "TASKSET_TOOLS=$TASKSET_TOOLS: no such directory"
	for tool in "$TASKSET_TOOLS"/*; do
		if [ ! -f "$tool" ] || [ ! -x "$tool" ]; then
			continue
		fi
		rm -f "$root/bin/${tool##*/}"
		install -m 0755 "$tool" "$root/bin/${tool##*/}"
	done
fi
for spec in "$@"; do
	src=${spec%%:*}
	dest=$root/${spec#*:}
	mkdir -p "$(dirname "$dest")"
	cp -a "$src" "$dest"
done
mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
