#!/bin/sh
# /init of `make bench`: run the benchmark once and power off. The kernel
# command line sets taskset.iterations= and taskset.rounds=; bench_tag=
# only varies the boot, to measure the noise between two kernels;
# taskset.mode=wall runs the measures that include waiting only
# (wall-time boots).
. /lib/guest.sh
guest_setup
mount -t tasksetfs none /sys/fs/taskset 2>/dev/null
iterations=2000
rounds=5
mode=
for arg in $(cat /proc/cmdline); do
	case $arg in
	taskset.iterations=*) iterations=${arg#*=} ;;
	taskset.rounds=*) rounds=${arg#*=} ;;
	taskset.mode=wall) mode=wall ;;
	esac
done
# The clocksource switches from tsc-early to tsc about 1.3 s into boot.
sleep 2
out=$(guest_results_port)
/bench/taskset_bench "$iterations" "$rounds" $mode >"$out" 2>&1
echo "# bench-exit $?" >"$out"
guest_poweroff
