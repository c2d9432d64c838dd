#!/bin/sh
# /init of `make test`: run every selftest in /tests, write their TAP
# output to the results port, and power off.
. /lib/guest.sh
guest_setup
out=$(guest_results_port)
{
	for t in /tests/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		echo "# taskset-run: start ${t##*/}"
		(cd /tests && "$t")
		echo "# taskset-run: end ${t##*/} exit=$?"
	done
} >"$out" 2>&1
guest_kmemleak_scan
echo "# taskset-run: done" >"$out"
guest_poweroff
