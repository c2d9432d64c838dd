#!/usr/bin/env bash
# Run the kernel's own selftests of the paths the series changes on the
# patched and on the unpatched kernel, and compare.
#
# usage: scripts/test-upstream.sh TARGET...
#
# Both kernels are built by scripts/build-kernel.sh from the same
# fragments (base.config and upstream.config; the patched one adds
# taskset.config) as build/kernel/cmp-patched and build/kernel/cmp-vanilla,
# the TARGETs of tools/testing/selftests are built for each from its own
# tree, and both are booted (build/logs/upstream-*.{log,tap}). Prints the
# two result tables side by side (scripts/compare-tap.py) and fails if a
# test that passes unpatched does not pass patched, or if the patched
# kernel reports a problem the unpatched one does not.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: test-upstream.sh TARGET..."
CFG=$TOP/scripts/config
timeout=${UPSTREAM_TIMEOUT:-2400}

run() {
	local variant=$1 kernel dirs
	shift
	kernel=$("$TOP/scripts/build-kernel.sh" "$@")
	mapfile -t dirs < <("$TOP/scripts/build-selftests.sh" \
		$([ "$variant" = vanilla ] && echo --vanilla) --upstream \
		"cmp-$variant" "${TARGETS[@]}")
	echo "test-upstream: booting the $variant kernel" >&2
	"$TOP/scripts/boot-tests.sh" "$kernel" "upstream-$variant" "${dirs[@]}" \
		-- --timeout "$timeout" --append taskset.timeout=120 \
		>/dev/null 2>&1 || true
}

TARGETS=("$@")
run vanilla --vanilla cmp-vanilla "$CFG/base.config" "$CFG/upstream.config"
run patched cmp-patched "$CFG/base.config" "$CFG/upstream.config" \
	"$CFG/taskset.config"

logs=$BUILD/logs
status=0
if ! "$TOP/scripts/check-log.sh" "$logs/upstream-patched-last.log" >/dev/null &&
   "$TOP/scripts/check-log.sh" "$logs/upstream-vanilla-last.log" >/dev/null; then
	"$TOP/scripts/check-log.sh" "$logs/upstream-patched-last.log" || true
	echo "test-upstream: the patched kernel reported a problem" >&2
	status=1
fi
"$TOP/scripts/compare-tap.py" "$logs/upstream-vanilla-last.tap" \
	"$logs/upstream-patched-last.tap" || status=1
exit $status
