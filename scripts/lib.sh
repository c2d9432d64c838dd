# Shared settings of the pipeline scripts; sourced, never run.
# shellcheck shell=bash

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
BASE_TARBALL=${BASE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
PRISTINE=$BUILD/linux-vanilla	# unpacked base, never modified
TREE=$BUILD/linux		# base + overlay + patches/series
ARCH=x86_64
export ARCH

# When the make command started (the Makefile sets TASKSET_T0), so that
# every stage line tells the time since.
TASKSET_T0=${TASKSET_T0:-$(date +%s)}
export TASKSET_T0

# Time since TASKSET_T0, as 1m05s.
elapsed() {
	local s=$(($(date +%s) - TASKSET_T0))
	printf '%dm%02ds' $((s / 60)) $((s % 60))
}

# Announce a stage of the pipeline on stderr: "[1m05s] kernel: compiling".
stage() {
	printf '[%s] %s\n' "$(elapsed)" "$*" >&2
}

# Show the progress of a kernel compile from make's output (V=0) on
# stdin: the files compiled so far and, when the whole tree is being
# built (@total files expected, 0 if not), the percentage. On a terminal
# it is one line updated in place; otherwise a plain line per 10%, for
# CI logs. Lines other than make's command summaries (warnings, errors)
# are shown as they come. Prints the number of files compiled on stdout.
compile_progress() {
	local what=$1 total=$2 done=0 shown=-1 tty=0 line msg pct
	[ -t 2 ] && tty=1
	while IFS= read -r line; do
		case $line in
		"  CC "* | "  AS "*) done=$((done + 1)) ;;
		"  "[A-Z]* | "make["*"]: Entering"* | "make["*"]: Leaving"* | \
		"make: Entering"* | "make: Leaving"* | "")
			continue ;;
		*)
			[ $tty = 0 ] || printf '\r\033[K' >&2
			printf '%s\n' "$line" >&2
			continue ;;
		esac
		if [ "$total" -gt 0 ]; then
			pct=$((done * 100 / total))
			[ $pct -le 99 ] || pct=99
			msg="$what: compiling, $pct% ($done of ~$total files)"
		else
			pct=$((done / 100 * 10))
			msg="$what: compiling, $done files"
		fi
		if [ $tty = 1 ]; then
			printf '\r\033[K[%s] %s' "$(elapsed)" "$msg" >&2
		elif [ $((pct / 10)) != "$shown" ]; then
			shown=$((pct / 10))
			stage "$msg"
		fi
	done
	[ $tty = 0 ] || printf '\r\033[K' >&2
	echo "$done"
}

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
