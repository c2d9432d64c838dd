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
