#!/usr/bin/env bash
# Prove the exported series (build/series/, `make series`) as a maintainer
# would receive it.
#
# usage: scripts/series-check.sh [--no-build|--build] SERIES_DIR
#
#  1. a pristine 6.12.x git repository, made once from Debian's tarball
#     (build/series-check/linux, tag "pristine");
#  2. `git am` of the whole series, which applies exactly (no fuzz), in a
#     second worktree (build/series-check/am, branch "series"), so that
#     the builds' tree only ever moves from one commit to the next;
#  3. scripts/checkpatch.pl --strict on each patch: no error, no warning;
#  4. scripts/get_maintainer.pl names the series' MAINTAINERS entry for
#     every patch that adds a file, and for the series;
#  5. the series' final tree is the tree `make test` builds and boots
#     (build/linux): the same files, byte for byte;
#  6. unless --no-build: every patch builds, in two configurations
#     (allnoconfig + the test fragments, and the test kernel's), with no
#     warning the base does not have; the final test kernel boots the
#     kselftests green. SERIES_CONFIGS="min test" names the
#     configurations (min: allnoconfig + base.config + taskset.config;
#     test: the test kernel's); the boot needs "test". SERIES_FROM=N
#     builds from patch N on, starting from patch N-1's build.
# Any failure names the patch and stops with a non-zero status.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

CFG=$TOP/scripts/config
CHECK=$BUILD/series-check
REPO=$CHECK/linux	# the builds' tree
AM=$CHECK/am		# where the series is applied
ENTRY="TASK SETS"

build=1
case ${1:-} in
--no-build) build=0; shift ;;
--build) shift ;;
esac
[ $# = 1 ] || die "usage: series-check.sh [--no-build|--build] SERIES_DIR"
CONFIGS=${SERIES_CONFIGS:-min test}
SERIES=$(realpath "$1")
mapfile -t PATCHES < <(find "$SERIES" -name '[0-9][0-9][0-9][0-9]-*.patch' \
	! -name '0000-*' | sort)
[ ${#PATCHES[@]} -gt 0 ] || die "no patches in $SERIES"

git_() {
	git -C "$REPO" -c user.name=series-check -c user.email=check@localhost \
		-c advice.detachedHead=false "$@"
}

git_am() {
	git -C "$AM" -c user.name=series-check -c user.email=check@localhost \
		-c advice.detachedHead=false "$@"
}

# 1. The pristine base, as a git repository, made once.
pristine_repo() {
	local base id
	base=$("$TOP/scripts/prepare-tree.sh" --vanilla)
	id=$(cat "$base/.taskset-base")
	if [ "$(cat "$CHECK/.base" 2>/dev/null)" = "$id" ] &&
	   git_ rev-parse -q --verify pristine >/dev/null; then
		return
	fi
	stage "series-check: committing the pristine base to $REPO"
	rm -rf "$CHECK"
	mkdir -p "$CHECK"
	cp -a "$base" "$REPO"
	rm -f "$REPO/.taskset-base"
	git_ init -q -b base
	git_ add -f -A .
	git_ commit -q -m "Linux $(make -s -C "$REPO" kernelversion) ($(basename "$BASE_TARBALL"))"
	git_ tag pristine
	echo "$id" >"$CHECK/.base"
}

# 2. git am, which refuses a patch whose context differs at all. The
# same series applied before is kept, so that the builds stay
# incremental.
apply_series() {
	local sum
	sum=$(cat "${PATCHES[@]}" | sha1sum)
	if [ "$(cat "$CHECK/.applied" 2>/dev/null)" = "$sum" ] &&
	   git_ rev-parse -q --verify series >/dev/null && [ -e "$AM/.git" ] &&
	   [ -z "$(git_am status --porcelain)" ]; then
		stage "series-check: the series is applied already"
		return
	fi
	rm -f "$CHECK/.applied"
	if [ ! -e "$AM/.git" ]; then
		stage "series-check: checking out a worktree for git am"
		git_ worktree prune
		git_ worktree add -q --detach "$AM" pristine
	fi
	stage "series-check: git am of ${#PATCHES[@]} patches"
	git_am am --abort >/dev/null 2>&1 || true
	git_am checkout -q -f --detach pristine
	git_am clean -q -fdx
	if ! git_am am -q "${PATCHES[@]}" >"$CHECK/am.log" 2>&1; then
		cat "$CHECK/am.log" >&2
		git_am am --abort 2>/dev/null || true
		die "the series does not apply to pristine 6.12 (see above)"
	fi
	git_ update-ref refs/heads/series "$(git_am rev-parse HEAD)"
	echo "$sum" >"$CHECK/.applied"
}

# 3. checkpatch --strict: no error and no warning on any patch; the
# checks --strict adds are listed, for the reviewer's eye. Debian's
# python3 comes first, for the ply and git modules of spdxcheck.py.
checkpatch_series() {
	local p out bad=0 checks=0
	stage "series-check: checkpatch --strict on each patch"
	: >"$CHECK/checkpatch-checks.log"
	for p in "${PATCHES[@]}"; do
		out=$(cd "$AM" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --terse \
			--no-summary "$p" 2>&1) || true
		if grep -qv -e ': CHECK: ' -e '^$' <<<"$out"; then
			grep -v -e ': CHECK: ' -e '^$' <<<"$out" >&2
			echo "series-check: checkpatch: $(basename "$p") has errors or warnings" >&2
			bad=1
		fi
		checks=$((checks + $(grep -c ': CHECK: ' <<<"$out" || true)))
		grep ': CHECK: ' <<<"$out" >>"$CHECK/checkpatch-checks.log" || true
	done
	[ $bad = 0 ] || die "checkpatch found errors or warnings in the series"
	stage "series-check: checkpatch: 0 errors, 0 warnings, $checks checks (see $CHECK/checkpatch-checks.log)"
}

# 4. get_maintainer names our entry for every patch adding a file.
maintainers_series() {
	local p out
	stage "series-check: get_maintainer.pl on the series"
	for p in "${PATCHES[@]}"; do
		grep -q '^new file mode' "$p" || continue
		out=$(cd "$AM" && perl scripts/get_maintainer.pl --no-git \
			--no-git-fallback --no-rolestats "$p" 2>&1)
		grep -q "taskset-devel@example.org" <<<"$out" ||
			die "get_maintainer.pl does not name the $ENTRY entry for $(basename "$p"): $out"
	done
	out=$(cd "$AM" && perl scripts/get_maintainer.pl --no-git \
		--no-git-fallback "${PATCHES[@]}" 2>&1)
	grep -q "maintainer:$ENTRY" <<<"$out" ||
		die "get_maintainer.pl does not name the $ENTRY entry: $out"
	echo "$out" | sed 's/^/  /' >&2
}

# 5. The final tree is the tree the pipeline tests.
same_as_tested() {
	local tree f diff=0
	stage "series-check: the final tree is the tested tree"
	tree=$("$TOP/scripts/prepare-tree.sh")
	while read -r f; do
		if ! cmp -s "$AM/$f" "$tree/$f"; then
			echo "series-check: $f differs from $tree/$f" >&2
			diff=1
		fi
	done < <(git_ diff --name-only pristine series)
	[ $diff = 0 ] || die "the series does not give the tree make test builds"
}

# The .config of configuration $1 for the tree as it is now.
configure() {
	local name=$1 obj=$CHECK/kernel/$1 all
	mkdir -p "$obj"
	all=$obj/.config.fragments
	case $name in
	min) cat "$CFG/base.config" "$CFG/taskset.config" >"$all" ;;
	test) cat "$REPO/kernel/configs/tiny-base.config" \
		"$REPO/kernel/configs/tiny.config" \
		"$REPO/arch/x86/configs/tiny.config" "$CFG/base.config" \
		"$CFG/taskset.config" "$CFG/debug.config" \
		"$CFG/taskset-debug.config" >"$all" ;;
	esac
	KCONFIG_ALLCONFIG=$all KCONFIG_CONFIG=.config.want \
		make -s -C "$REPO" O="$obj" allnoconfig >/dev/null 2>"$obj/kconfig.log" ||
		{ cat "$obj/kconfig.log" >&2; return 1; }
	cmp -s "$obj/.config.want" "$obj/.config" ||
		cp "$obj/.config.want" "$obj/.config"
}

# Remove from build directory $1 the objects whose source the checked-out
# commit does not have. The builds are incremental, and make links a
# stale object that has no rule rather than fail: without this, a patch
# whose Makefile names a file that a later patch adds would build.
prune_stale_objects() {
	local obj=$1 cmd src
	find "$obj" -name '.*.o.cmd' -exec grep -H -m1 '^source_' {} + |
		while IFS= read -r line; do
			cmd=${line%%:source_*}
			src=${line#* := }
			[ -e "$src" ] || [ -e "$obj/$src" ] || [ -e "$REPO/$src" ] ||
				rm -f "$cmd" "$(dirname "$cmd")/$(basename "$cmd" .cmd | cut -c2-)"
		done
}

# Build configuration $1 at the checked-out commit; its warnings go to $2.
build_step() {
	local name=$1 log=$2 obj=$CHECK/kernel/$1
	configure "$name" || return 1
	prune_stale_objects "$obj"
	make -s -C "$REPO" O="$obj" -j"$(jobs)" bzImage >"$log" 2>&1 ||
		return 1
}

# Does commit $1 change a file the kernel's build reads? Not if it
# changes only Documentation/, tools/ (the selftests, tsrun) and
# MAINTAINERS.
changes_kernel() {
	git_ diff --name-only "$1^" "$1" |
		grep -qvE '^(Documentation/|tools/|MAINTAINERS$)'
}

# The build of configuration $1 that the patches start from: the base,
# whose warnings are the baseline; or, with SERIES_FROM=N, patch N-1
# (for a quick look at one patch; the baseline is that of the last full
# run, if any).
build_reference() {
	local name=$1 from=${SERIES_FROM:-1} ref=pristine what=base
	if [ "$from" -gt 1 ]; then
		ref=$(git_ rev-list --reverse pristine..series | sed -n "$((from - 1))p")
		what="patch $((from - 1))"
	fi
	stage "series-check: $name: building $what"
	git_ checkout -q -f --detach "$ref"
	build_step "$name" "$CHECK/$name-ref.log" ||
		{ tail -30 "$CHECK/$name-ref.log" >&2; die "$what does not build ($name)"; }
	if [ "$from" = 1 ] || [ ! -f "$CHECK/$name-base.warnings" ]; then
		{ grep -E 'warning:' "$CHECK/$name-ref.log" || true; } |
			sort -u >"$CHECK/$name-base.warnings"
	fi
}

# 6. Each patch builds alone, without a warning the base does not have.
build_each_patch() {
	local name=$1 commits c i=0 log new
	mapfile -t commits < <(git_ rev-list --reverse pristine..series)
	build_reference "$name"
	for c in "${commits[@]}"; do
		i=$((i + 1))
		[ "$i" -ge "${SERIES_FROM:-1}" ] || continue
		git_ checkout -q -f "$c"
		if ! changes_kernel "$c"; then
			stage "series-check: $name: patch $i/${#commits[@]}: changes nothing the kernel builds"
			continue
		fi
		stage "series-check: $name: patch $i/${#commits[@]}: $(git_ log -1 --format=%s)"
		log=$CHECK/$name-$(printf %04d $i).log
		if ! build_step "$name" "$log"; then
			{ grep -E 'error|Error|\*\*\*' "$log" || true; } | head -20 >&2
			die "patch $i ($(basename "${PATCHES[$((i - 1))]}")) does not build ($name)"
		fi
		new=$({ grep -E 'warning:' "$log" || true; } | sort -u |
			comm -23 - "$CHECK/$name-base.warnings")
		[ -z "$new" ] || { echo "$new" >&2; die "patch $i ($(basename "${PATCHES[$((i - 1))]}")) adds warnings ($name)"; }
	done
}

# The final test kernel boots the kselftests green.
boot_final() {
	local d t
	stage "series-check: the final test kernel boots the kselftests"
	d=$("$TOP/scripts/build-selftests.sh" test)
	t=$("$TOP/scripts/build-tools.sh" test)
	TASKSET_TOOLS=$t "$TOP/scripts/boot-tests.sh" \
		"$CHECK/kernel/test/arch/x86/boot/bzImage" series "$d"
}

main() {
	local c
	pristine_repo
	apply_series
	checkpatch_series
	maintainers_series
	same_as_tested
	if [ $build = 1 ]; then
		for c in $CONFIGS; do
			build_each_patch "$c"
		done
		case " $CONFIGS " in
		*" test "*) boot_final ;;
		esac
	fi
	stage "series-check: ${#PATCHES[@]} patches: all checks passed"
}

main
