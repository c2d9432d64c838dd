#!/usr/bin/env bash
# Turn the pinned base (Debian's linux-source-6.12) into a kernel tree.
#
# usage: scripts/prepare-tree.sh [--vanilla]
#
# Unpacks the base once into build/linux-vanilla, which is never modified.
# Without --vanilla, keeps build/linux equal to base + overlay + patches
# (patches/series, then MAINTAINERS.patch), touching only the files whose
# content changes, so that an incremental build recompiles only those.
# Files that an earlier overlay or series changed and the current one does
# not are restored to the base. Prints the tree's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Top-level entries of the repository that are laid on the tree as is.
OVERLAY=(Kconfig.taskset kernel include fs ipc tools Documentation)

check_version() {
	local v
	v=$(make -s -C "$1" kernelversion 2>/dev/null) ||
		die "cannot read the kernel version of $1"
	case $v in
	6.12|6.12.*) ;;
	*) die "base is Linux $v, this project is pinned to 6.12.x ($BASE_TARBALL)" ;;
	esac
}

unpack_base() {
	local id
	[ -f "$BASE_TARBALL" ] ||
		die "$BASE_TARBALL missing: run scripts/install-deps.sh"
	id=$(stat -c '%s %Y' "$BASE_TARBALL")
	if [ "$(cat "$PRISTINE/.taskset-base" 2>/dev/null)" = "$id" ]; then
		return
	fi
	stage "tree: unpacking $BASE_TARBALL"
	rm -rf "$PRISTINE" "$TREE" "$BUILD/unpack"
	mkdir -p "$BUILD/unpack"
	tar -xJf "$BASE_TARBALL" -C "$BUILD/unpack"
	mv "$BUILD/unpack"/linux-source-* "$PRISTINE"
	rmdir "$BUILD/unpack"
	check_version "$PRISTINE"
	echo "$id" >"$PRISTINE/.taskset-base"
}

overlay_files() {
	local e
	for e in "${OVERLAY[@]}"; do
		[ -e "$TOP/$e" ] || continue
		(cd "$TOP" && find "$e" -type f ! -name '*.o' ! -name '.*')
	done
}

# Make $TREE/$1 hold the content of $2 ("" means: must not exist).
sync_file() {
	local dst=$TREE/$1 src=$2
	if [ -z "$src" ]; then
		[ -e "$dst" ] && rm -f "$dst"
		return 0
	fi
	cmp -s "$src" "$dst" && return 0
	mkdir -p "$(dirname "$dst")"
	cp "$src" "$dst"
}

lay_changes() {
	local state=$TREE/.taskset-state stage p f
	mkdir -p "$state"
	touch "$state/patched" "$state/overlay"
	overlay_files | sort -u >"$state/overlay.new"
	: >"$state/patched.new"
	while read -r p; do
		[ -f "$p" ] || die "patch in series missing: $p"
		files_of_patch "$p" >>"$state/patched.new"
	done < <(patch_list)
	sort -u -o "$state/patched.new" "$state/patched.new"

	f=$(comm -12 "$state/overlay.new" "$state/patched.new" | head -1)
	[ -z "$f" ] || die "$f is both in the overlay and changed by a patch"

	# Apply the whole series to base copies of the files it touches.
	rm -rf "$BUILD"/stage.*
	stage=$(mktemp -d "$BUILD/stage.XXXXXX")
	sort -u "$state/patched" "$state/patched.new" | while read -r f; do
		[ -f "$PRISTINE/$f" ] || continue
		mkdir -p "$stage/$(dirname "$f")"
		cp "$PRISTINE/$f" "$stage/$f"
	done
	while read -r p; do
		patch -d "$stage" -p1 -s -f --fuzz=0 --no-backup-if-mismatch \
			<"$p" || die "${p#"$TOP"/} does not apply to the base"
	done < <(patch_list)

	sort -u "$state/patched" "$state/patched.new" \
		"$state/overlay" "$state/overlay.new" | while read -r f; do
		if grep -qxF "$f" "$state/overlay.new"; then
			sync_file "$f" "$TOP/$f"
		elif grep -qxF "$f" "$state/patched.new"; then
			[ -f "$stage/$f" ] && sync_file "$f" "$stage/$f" ||
				sync_file "$f" ""
		elif [ -f "$PRISTINE/$f" ]; then
			sync_file "$f" "$PRISTINE/$f"
		else
			sync_file "$f" ""
		fi
	done
	rm -rf "$stage"
	mv "$state/overlay.new" "$state/overlay"
	mv "$state/patched.new" "$state/patched"
}

main() {
	local vanilla=0
	case ${1:-} in
	--vanilla) vanilla=1 ;;
	"") ;;
	*) die "usage: prepare-tree.sh [--vanilla]" ;;
	esac
	mkdir -p "$BUILD"
	unpack_base
	if [ $vanilla = 1 ]; then
		echo "$PRISTINE"
		return
	fi
	if [ ! -f "$TREE/.taskset-base" ] ||
	   ! cmp -s "$PRISTINE/.taskset-base" "$TREE/.taskset-base"; then
		stage "tree: copying the base to $TREE"
		rm -rf "$TREE"
		cp -a "$PRISTINE" "$TREE"
	fi
	check_version "$TREE"
	lay_changes
	echo "$TREE"
}

main "$@"
