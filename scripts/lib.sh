# Shared settings of the pipeline scripts; sourced, never run.
# shellcheck shell=bash

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
BASE_TARBALL=${BASE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
PRISTINE=$BUILD/linux-vanilla	# unpacked base, never modified
TREE=$BUILD/linux		# base + overlay + patches/series
ARCH=x86_64
export ARCH

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

jobs() {
	nproc 2>/dev/null || echo 2
}

# The patches to apply, in order: patches/series, then MAINTAINERS.patch.
patch_list() {
	[ -f "$TOP/patches/series" ] &&
		sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/series" |
		sed "s|^|$TOP/patches/|"
	[ -f "$TOP/MAINTAINERS.patch" ] && echo "$TOP/MAINTAINERS.patch"
	return 0
}

# Files a unified diff creates, changes or deletes.
files_of_patch() {
	awk '/^--- / { old = $2 }
	     /^\+\+\+ / { f = ($2 == "/dev/null") ? old : $2
			  sub(/^[^\/]*\//, "", f); print f }' "$1"
}
