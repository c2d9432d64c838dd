#!/usr/bin/env bash
# Boot a kernel and an initramfs under QEMU (TCG) and keep the console log.
#
# usage: scripts/run-qemu.sh [OPTION]... KERNEL INITRD
#   --log FILE       console log (default: build/logs/qemu-DATE.log)
#   --out FILE       connect the guest's second serial port (ttyS1) to FILE
#   --timeout SEC    stop QEMU after SEC seconds (default 600; exit 124)
#   --append ARGS    add ARGS to the kernel command line
#   --mem MB         guest memory (default 512)
#   --quiet          do not echo the console to stdout
#   --interactive    console on this terminal, no timeout
#   --deterministic  1 vCPU, icount shift=0, no RDRAND/RDSEED, norandmaps:
#                    guest time counts executed instructions
#                    (see shared/BENCH.md)
#
# Exits with QEMU's status, 124 if the timeout hit. The guest powers off
# with `reboot -f` (QEMU runs with -no-reboot).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

log="" out="" timeout=600 append="" mem=512 quiet=0 interactive=0 det=0
while [ $# -gt 2 ]; do
	case $1 in
	--log) log=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--quiet) quiet=1; shift ;;
	--interactive) interactive=1; shift ;;
	--deterministic) det=1; shift ;;
	*) die "unknown option $1" ;;
	esac
done
[ $# -eq 2 ] || die "usage: run-qemu.sh [OPTION]... KERNEL INITRD"
kernel=$1
initrd=$2
[ -f "$kernel" ] || die "no kernel at $kernel"
[ -f "$initrd" ] || die "no initramfs at $initrd"
[ -n "$log" ] || log=$BUILD/logs/qemu-$(date +%Y%m%d-%H%M%S).log
mkdir -p "$(dirname "$log")"

cmdline="console=ttyS0 panic=-1 oops=panic $append"
args=(-accel tcg -m "$mem" -no-reboot -display none -monitor none
      -net none -kernel "$kernel" -initrd "$initrd")
if [ $det = 1 ]; then
	args+=(-smp 1 -cpu max,-rdrand,-rdseed -rtc clock=vm
	       -icount shift=0,sleep=off)
	cmdline="$cmdline quiet norandmaps"
else
	args+=(-smp 2 -cpu max)
fi

if [ $interactive = 1 ]; then
	args+=(-chardev "stdio,id=con,mux=on,signal=off,logfile=$log"
	       -serial chardev:con -mon chardev=con)
	exec qemu-system-x86_64 "${args[@]}" -append "$cmdline"
fi

if [ $quiet = 1 ]; then
	args+=(-chardev "file,id=con,path=$log")
else
	args+=(-chardev "stdio,id=con,signal=off,logfile=$log")
fi
args+=(-serial chardev:con)
[ -z "$out" ] || args+=(-chardev "file,id=out,path=$out" -serial chardev:out)

status=0
timeout -k 10 "$timeout" qemu-system-x86_64 "${args[@]}" \
	-append "$cmdline" </dev/null || status=$?
[ $status = 124 ] && echo "run-qemu: timed out after ${timeout}s; log: $log" >&2
exit $status
