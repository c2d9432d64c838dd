#!/usr/bin/env bash
# Check that series-check.sh judges: each broken copy of the exported
# series must fail it, with the reason named, and the series as exported
# must pass.
#
# usage: scripts/test-series-check.sh [--build]
#
#  - a patch that does not apply (a context line changed);
#  - a checkpatch warning in a patch (bare "unsigned" in an added line);
#  - with --build, a patch that does not build alone: series/map with
#    fs/tasksetfs/cgroup2.c moved from the patch whose Makefile builds
#    it to the next one. Built in the test configuration, from the patch
#    before (SERIES_FROM): quick after a full `make series-check`.
# Uses build/series-check as series-check.sh does: never run both at once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failed=0
with_build=0
[ "${1:-}" = --build ] && with_build=1

# expect NAME PATTERN SERIES [FLAG]: series-check fails, saying PATTERN.
expect_failure() {
	local name=$1 pattern=$2 series=$3 flag=${4:---no-build}
	stage "test-series-check: $name"
	if "$TOP/scripts/series-check.sh" "$flag" "$series" >"$dir/out" 2>&1; then
		echo "test-series-check: $name: series-check passed" >&2
		failed=1
	elif ! grep -q -- "$pattern" "$dir/out"; then
		echo "test-series-check: $name: failed without \"$pattern\":" >&2
		tail -20 "$dir/out" >&2
		failed=1
	fi
}

# A copy of the exported series in $dir/$1.
copy_series() {
	rm -rf "${dir:?}/$1"
	cp -r "$BUILD/series" "$dir/$1"
	echo "$dir/$1"
}

python3 "$TOP/scripts/series.py" "$TOP/series/map" "$TOP/series/cover-letter" \
	"$BUILD/series" >/dev/null

# A context line of the cgroup bridge's diff of kernel/cgroup/cgroup.c.
s=$(copy_series context)
p=$(grep -l '^+++ b/kernel/cgroup/cgroup.c' "$s"/*.patch | head -1)
n=$(awk '/^\+\+\+ b\/kernel\/cgroup\/cgroup.c/ { f = 1 }
	f && /^@@/ { h = 1; next }
	h && /^ .*[a-z]/ { print NR; exit }' "$p")
sed -i "${n}s/\$/ \/* changed *\//" "$p"
expect_failure "a patch that does not apply" "does not apply" "$s"

# A line the series adds, with a bare "unsigned".
s=$(copy_series checkpatch)
p=$(grep -l '^+.*unsigned int ' "$s"/*.patch | head -1)
n=$(grep -n '^+.*unsigned int ' "$p" | head -1 | cut -d: -f1)
sed -i "${n}s/unsigned int /unsigned /" "$p"
expect_failure "a checkpatch warning" "has errors or warnings" "$s"

if [ $with_build = 1 ]; then
	sed -e '/^file fs\/tasksetfs\/cgroup2\.c$/d' \
	    -e '/^quilt 0003$/a file fs/tasksetfs/cgroup2.c' \
	    "$TOP/series/map" >"$dir/map"
	python3 "$TOP/scripts/series.py" "$dir/map" "$TOP/series/cover-letter" \
		"$dir/split/series" >/dev/null
	n=$(grep -l '^Subject: .*tasksetfs: bind a node to a cgroup' \
		"$dir"/split/series/*.patch | xargs basename | cut -c1-4)
	SERIES_CONFIGS=test SERIES_FROM=$((10#$n)) expect_failure \
		"a patch that does not build alone" "patch $((10#$n)) .* does not build (test)" \
		"$dir/split/series" --build
fi

expect_failure_none() {
	stage "test-series-check: the series as exported"
	"$TOP/scripts/series-check.sh" --no-build "$BUILD/series" >"$dir/out" 2>&1 ||
		{ tail -20 "$dir/out" >&2; echo "test-series-check: the series fails" >&2; failed=1; }
}
expect_failure_none

[ $failed = 0 ] && echo "test-series-check: series-check judges"
exit $failed
