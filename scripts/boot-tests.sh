#!/usr/bin/env bash
# Boot a kernel with selftests in its initramfs and judge the run.
#
# usage: scripts/boot-tests.sh KERNEL NAME DIR... [-- QEMU-OPTION...]
#
# Makes build/initramfs/NAME.cpio with each DIR's programs in
# /tests/$(basename DIR),
# boots it with scripts/guest/test-init.sh, prints the TAP output, checks
# the console log for kernel problems and prints "N passed, N failed".
# Exits non-zero if a test failed, the boot did not finish, or the kernel
# reported a problem. Logs: build/logs/NAME-DATE.{log,tap}, the last
# run's also as build/logs/NAME-last.{log,tap}.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || die "usage: boot-tests.sh KERNEL NAME DIR... [-- QEMU-OPTION...]"
kernel=$1
name=$2
shift 2
specs=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	specs+=("$1/.:/tests/$(basename "$1")/")
	shift
done
[ "${1:-}" = -- ] && shift

initrd=$BUILD/initramfs/$name.cpio
"$TOP/scripts/make-initramfs.sh" "$initrd" "$TOP/scripts/guest/test-init.sh" \
	"${specs[@]}"

stamp=$BUILD/logs/$name-$(date +%Y%m%d-%H%M%S)
mkdir -p "$BUILD/logs"
: >"$stamp.tap"
status=0
"$TOP/scripts/run-qemu.sh" --quiet --log "$stamp.log" --out "$stamp.tap" \
	"$@" "$kernel" "$initrd" || status=$?

ln -sf "${stamp##*/}.tap" "$BUILD/logs/$name-last.tap"
ln -sf "${stamp##*/}.log" "$BUILD/logs/$name-last.log"
tr -d '\r' <"$stamp.tap"
echo
ok=1
[ $status = 0 ] || { echo "boot-tests: QEMU exited with $status" >&2; ok=0; }
"$TOP/scripts/check-log.sh" "$stamp.log" || ok=0
summary=0
"$TOP/scripts/tap-summary.sh" "$stamp.tap" >"$stamp.summary" || summary=1
if [ $ok = 0 ] || [ $summary = 1 ]; then
	echo "boot-tests: FAILED; console log: $stamp.log" >&2
fi
cat "$stamp.summary"
[ $ok = 1 ] && [ $summary = 0 ]
