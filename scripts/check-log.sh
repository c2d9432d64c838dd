#!/usr/bin/env bash
# Look for kernel problem reports in a console log.
#
# usage: scripts/check-log.sh LOG
#
# Prints each oops, BUG, WARNING, panic, lockdep, RCU, KASAN or kmemleak
# report found (first line) and exits 1 if there is one. The stack of an
# OOM report is not one: the memory controller's kills are tested.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: check-log.sh LOG"
patterns=(
	'BUG: ' 'WARNING: ' 'Oops' 'Kernel panic' 'general protection fault'
	'Call Trace:' 'KASAN' 'UBSAN' 'unreferenced object'
	'circular locking' 'recursive locking' 'inconsistent lock state'
	'suspicious RCU usage' 'DEBUG_LOCKS_WARN_ON' 'INFO: possible'
	'turning off the locking correctness validator' 'INFO: task .* blocked'
	'kernel BUG at' 'list_add corruption' 'list_del corruption'
	'ODEBUG:'
)
regex=$(IFS='|'; echo "${patterns[*]}")
# The stack an OOM report begins with ("... invoked oom-killer", then the
# CPU line, then "Call Trace:") is the report of an expected event: the
# tests make the memory controller kill a task beyond its memory.max.
problems() {
	awk -v re="$regex" '
		/invoked oom-killer:/ { oom = NR }
		$0 ~ re {
			if ($0 ~ /Call Trace:/ && oom && NR - oom <= 3)
				next
			print NR ":" $0
		}' "$1"
}
if problems "$1" | head -20 | sed 's/^/check-log: /' | grep .; then
	echo "check-log: kernel problems reported in $1" >&2
	exit 1
fi
