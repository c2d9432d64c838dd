#!/usr/bin/env bash
# Rewrite a patch of the series from the files edited in build/linux.
#
# usage: scripts/refresh-patch.sh PATCH [FILE]...
#
# The new diff of each file PATCH already touches, and of each FILE given
# (to add files to the patch), is the difference between the base with the
# patches that come before PATCH in the series applied, and build/linux.
# The commit message (everything before the first "diff --git") is kept;
# a new PATCH gets a template to fill in. A file that a later patch also
# changes is refused, since build/linux then holds both changes.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: refresh-patch.sh PATCH [FILE]..."
arg=$1
patch=$(realpath -m "$1")
shift
[ -d "$TREE" ] || die "no tree: run scripts/prepare-tree.sh first"

files=$( { [ -f "$patch" ] && files_of_patch "$patch"; printf '%s\n' "$@"; } |
	sed '/^$/d' | sort -u)
[ -n "$files" ] || die "no files to diff"

before=() after=() seen=0
while read -r p; do
	if [ "$p" = "$patch" ]; then seen=1; continue; fi
	if [ $seen = 0 ]; then before+=("$p"); else after+=("$p"); fi
done < <(patch_list)
[ $seen = 1 ] || echo "refresh-patch: $arg is not in patches/series yet" >&2
for p in "${after[@]}"; do
	[ -f "$p" ] || continue
	for f in $(files_of_patch "$p"); do
		grep -qxF "$f" <<<"$files" &&
			die "$f is changed by a later patch too (${p##*/})"
	done
done

stage=$(mktemp -d "$BUILD/refresh.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/a"
# Patches that touch none of these files change nothing here; those that
# do are applied whole, so the staging copy holds all the files they touch,
# and the earlier patches that touch those files too, until none is added.
staged=$files
while :; do
	touching=()
	for p in "${before[@]}"; do
		comm -12 <(files_of_patch "$p" | sort -u) <(echo "$staged") |
			grep -q . && touching+=("$p")
	done
	more=$( { echo "$staged"; for p in "${touching[@]}"; do
		files_of_patch "$p"; done; } | sed '/^$/d' | sort -u)
	[ "$more" = "$staged" ] && break
	staged=$more
done
for f in $staged; do
	[ -f "$PRISTINE/$f" ] || continue
	mkdir -p "$stage/a/$(dirname "$f")"
	cp "$PRISTINE/$f" "$stage/a/$f"
done
for p in "${touching[@]}"; do
	patch -d "$stage/a" -p1 -s -f --fuzz=0 --no-backup-if-mismatch <"$p" >/dev/null
done

{
	if [ -f "$patch" ]; then
		sed '/^diff --git /,$d' "$patch"
	else
		printf 'From: %s\nSubject: [PATCH] SUBSYSTEM: SUMMARY\n\n%s\n\nSigned-off-by: %s\n---\n' \
			"Task Set Developers <taskset-devel@example.org>" \
			"Why this change, in full sentences." \
			"Task Set Developers <taskset-devel@example.org>"
	fi
	for f in $files; do
		old=$stage/a/$f new=$TREE/$f
		[ -f "$old" ] || old=/dev/null
		[ -f "$new" ] || new=/dev/null
		echo "diff --git a/$f b/$f"
		diff -u --label "a/$f" --label "b/$f" "$old" "$new" || true
	done
} >"$stage/new"
mv "$stage/new" "$patch"
echo "refresh-patch: wrote $patch" >&2
