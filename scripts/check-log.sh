#!/usr/bin/env bash
# Look for kernel problem reports in a console log.
#
# usage: scripts/check-log.sh LOG
#
# Prints each oops, BUG, WARNING, panic, lockdep, RCU, KASAN or kmemleak
# report found (first line) and exits 1 if there is one.
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
if grep -n -E "$regex" "$1" | head -20 | sed 's/^/check-log: /' | grep .; then
	echo "check-log: kernel problems reported in $1" >&2
	exit 1
fi
