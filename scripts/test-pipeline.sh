#!/usr/bin/env bash
# Check that the pipeline's judges judge: tap-summary.sh and check-log.sh
# on made-up guest output, each case with the verdict it must give.
#
# usage: scripts/test-pipeline.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failed=0

# expect STATUS NAME COMMAND...: COMMAND must exit with STATUS.
expect() {
	local want=$1 name=$2 got=0
	shift 2
	"$@" >"$dir/out" 2>&1 || got=$?
	if [ "$got" != "$want" ]; then
		echo "test-pipeline: $name: exit $got, want $want" >&2
		cat "$dir/out" >&2
		failed=1
	fi
}

run() {
	printf '# taskset-run: start t\n%s\n# taskset-run: end t exit=%s\n# taskset-run: done\n' "$1" "$2"
}

run $'ok 1 a\nok 2 b' 0 >"$dir/pass"
expect 0 "all pass" "$TOP/scripts/tap-summary.sh" "$dir/pass"
grep -qx '2 passed, 0 failed' "$dir/out" || { echo "bad summary"; failed=1; }
run $'ok 1 a\nnot ok 2 b' 1 >"$dir/fail"
expect 1 "a failure" "$TOP/scripts/tap-summary.sh" "$dir/fail"
run $'ok 1 a # SKIP no' 0 >"$dir/skip"
expect 1 "only skips" "$TOP/scripts/tap-summary.sh" "$dir/skip"
run 'ok 1 a' 139 >"$dir/crash"
expect 1 "a crashed program" "$TOP/scripts/tap-summary.sh" "$dir/crash"
printf '# taskset-run: start t\nok 1 a\n' >"$dir/cut"
expect 1 "an unfinished run" "$TOP/scripts/tap-summary.sh" "$dir/cut"
: >"$dir/empty"
expect 1 "no output" "$TOP/scripts/tap-summary.sh" "$dir/empty"

printf 'Linux version 6.12\nMAX_LOCKDEP_SUBCLASSES:  8\nreboot\n' >"$dir/clean"
expect 0 "clean log" "$TOP/scripts/check-log.sh" "$dir/clean"
for report in 'WARNING: CPU: 0 PID: 1 at kernel/taskset/core.c:1' \
	'BUG: KASAN: slab-use-after-free in f+0x1/0x2' \
	'WARNING: possible circular locking dependency detected' \
	'unreferenced object 0xffff888 (size 64):' \
	'BUG: kernel NULL pointer dereference, address: 0' \
	'Kernel panic - not syncing: Fatal exception'; do
	printf 'boot\n%s\n' "$report" >"$dir/bad"
	expect 1 "report: $report" "$TOP/scripts/check-log.sh" "$dir/bad"
done

[ $failed = 0 ] && echo "test-pipeline: the judges judge"
exit $failed
