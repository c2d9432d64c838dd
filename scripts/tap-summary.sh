#!/usr/bin/env bash
# Count the results of kselftest TAP output.
#
# usage: scripts/tap-summary.sh RESULTS
#
# RESULTS is what the guest's test init wrote: each selftest program's TAP
# between "# taskset-run: start NAME" and "# taskset-run: end NAME exit=N"
# lines, then "# taskset-run: done". Every "ok"/"not ok" line of a program
# counts (one with "# SKIP" as skipped); a program that exits non-zero
# without a failing test, or never reports its end, counts as one failed
# test. Prints "N passed, N failed[, N skipped]"; exits 1 if a test
# failed, none ran, or the run did not finish.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: tap-summary.sh RESULTS"
# Strip the CRs a serial line adds.
tr -d '\r' <"$1" | awk '
	/^# taskset-run: start / { prog = $4; failed_here = 0; open = 1; next }
	/^# taskset-run: end / {
		split($5, e, "=")
		if (e[2] != 0 && !failed_here) {
			print "not ok - " prog " exited with status " e[2]
			failed++
		}
		open = 0; next
	}
	/^# taskset-run: done/ { done = 1; next }
	/^not ok [0-9]+/ { failed++; failed_here = 1; next }
	/^ok [0-9]+.*# SKIP/ { skipped++; next }
	/^ok [0-9]+/ { passed++; next }
	END {
		if (open) {
			print "not ok - " prog " did not finish"
			failed++
		}
		if (!done)
			print "# the run did not finish (timeout or crash)"
		line = (passed + 0) " passed, " (failed + 0) " failed"
		if (skipped)
			line = line ", " skipped " skipped"
		print line
		exit (failed || !done || passed + failed == 0) ? 1 : 0
	}'
