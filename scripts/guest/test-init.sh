#!/bin/sh
# /init of the test boots: run the test programs of each directory under
# /tests, those its .tests file names (every executable file if it has
# none), in name order, each with a timeout, write their TAP output to
# the results port, and power off. The kernel command line may set
# taskset.timeout=SECONDS per program (default 300).
. /lib/guest.sh
guest_setup
guest_mount_cgroup2
out=$(guest_results_port)
limit=300
for arg in $(cat /proc/cmdline); do
	case $arg in
	taskset.timeout=*) limit=${arg#taskset.timeout=} ;;
	esac
done
list_tests() {
	for dir in $(find /tests -type d); do
		if [ -f "$dir/.tests" ]; then
			sed "s|^|$dir/|" "$dir/.tests"
		else
			find "$dir" -maxdepth 1 -type f -perm -u+x
		fi
	done
}

{
	for t in $(list_tests | sort); do
		name=${t#/tests/}
		echo "# taskset-run: start $name"
		(cd "${t%/*}" && timeout "$limit" "$t")
		echo "# taskset-run: end $name exit=$?"
	done
} >"$out" 2>&1
guest_kmemleak_scan
echo "# taskset-run: done" >"$out"
guest_poweroff
