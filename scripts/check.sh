#!/usr/bin/env bash
# Static checks of the overlay and the patch series.
#
# usage: scripts/check.sh [NAME]
#
# On the tree prepared by scripts/prepare-tree.sh and the kernel
# build/kernel/NAME (default: test) configured by scripts/build-kernel.sh:
#  - scripts/checkpatch.pl --strict on every overlay source file and every
#    patch: no error and no warning (CHECKs are shown);
#  - scripts/kernel-doc on every overlay C source and header: no warning;
#  - docutils on every overlay .rst document: no warning;
#  - our kernel directories rebuilt with sparse (C=2) and W=1: no warning;
#  - the selftests built with -Wall -Werror.
#  - scripts/test-pipeline.sh: the test verdicts are right.
# Exits 1 if any check fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${1:-test}
obj=$BUILD/kernel/$name
[ -f "$obj/.config" ] || die "no configured kernel in $obj: make kernel first"
KDIRS=(kernel/taskset/ fs/tasksetfs/)
failed=0

fail() {
	echo "check: FAILED: $*" >&2
	failed=1
}

echo "check: the pipeline's verdicts"
"$TOP/scripts/test-pipeline.sh" || fail "scripts/test-pipeline.sh"

checkpatch() {
	local out
	out=$(cd "$TREE" && perl scripts/checkpatch.pl --strict --color=never \
		--quiet "$@" 2>&1) || true
	[ -z "$out" ] && return 0
	echo "$out"
	echo "$out" | grep -qE '^(ERROR|WARNING):' && return 1
	return 0
}

sources=$(cd "$TOP" && git ls-files --cached --others --exclude-standard \
	-- Kconfig.taskset kernel include fs ipc tools/testing/selftests/taskset \
	tools/tasksets \
	Documentation || true)
code=$(echo "$sources" | grep -E '(\.[ch]|Kconfig[^/]*|Makefile)$' || true)
echo "check: checkpatch --strict on $(echo "$code" | wc -w) files"
for f in $code; do
	checkpatch --no-tree -f "$TOP/$f" || fail "checkpatch: $f"
done
patches=$(ls "$TOP"/patches/*.patch "$TOP"/MAINTAINERS.patch 2>/dev/null)
echo "check: checkpatch --strict on $(echo "$patches" | wc -w) patches"
for p in $patches; do
	checkpatch "$p" || fail "checkpatch: ${p#"$TOP"/}"
done

echo "check: kernel-doc"
for f in $(echo "$sources" | grep -E '^(kernel|fs|include|ipc)/.*\.[ch]$'); do
	out=$(perl "$TREE/scripts/kernel-doc" -none -Wall "$TOP/$f" 2>&1) || true
	[ -z "$out" ] || { echo "$out"; fail "kernel-doc: $f"; }
done

echo "check: reStructuredText of Documentation/"
for f in $(echo "$sources" | grep -E '^Documentation/.*\.rst$'); do
	/usr/bin/python3 -c 'import sys, docutils.core
docutils.core.publish_doctree(open(sys.argv[1]).read(), source_path=sys.argv[1],
	settings_overrides={"halt_level": 2, "report_level": 2})' "$TOP/$f" ||
		fail "rst: $f"
done

echo "check: sparse (C=2) and W=1 on ${KDIRS[*]}"
log=$obj/check-build.log
make -C "$TREE" O="$obj" -j"$(jobs)" C=2 W=1 "${KDIRS[@]}" >"$log" 2>&1 ||
	{ cat "$log"; fail "build of ${KDIRS[*]}"; }
if grep -E '(warning|error):' "$log"; then
	fail "sparse or W=1 warnings (log: $log)"
fi

echo "check: selftests with -Wall -Werror"
"$TOP/scripts/build-selftests.sh" "$name" >/dev/null || fail "selftests build"

[ $failed = 0 ] && echo "check: all checks passed"
exit $failed
