#!/usr/bin/env bash
# Benchmark the unpatched and the patched kernel, interleaved.
#
# usage: scripts/bench.sh [ITERATIONS [ROUNDS [TAGS]]]
#
# Builds build/kernel/cmp-vanilla and build/kernel/cmp-patched from the
# same fragments (as scripts/test-upstream.sh does) and the static
# benchmark tools/testing/selftests/taskset/bench/taskset_bench.c. Boots
# each kernel once per tag (bench_tag=1..TAGS, default 3) in QEMU's
# deterministic mode (shared/BENCH.md), the two kernels of one tag at
# once, each running ITERATIONS (default 2000) x ROUNDS (default 5) of
# every operation. Prints the table of scripts/bench-report.py: per
# operation, the mean over tags of each boot's median, for both kernels,
# their ratio and the tag-to-tag spread (the noise floor), then one line
# "bench: NAME unpatched=X patched=Y ratio=Z" per operation.
#
# Instruction counts hide waiting (an RCU grace period, a target's
# wake-up), so the patched kernel also boots in ordinary TCG, once per
# tag but at least three times, to time by the wall clock (the host's
# TSC, given to the guest, which cannot calibrate it) the moves of tasks
# into a node and into a cgroup (2 x ITERATIONS per round), and the time
# from the exit of a node's last member to its deletion, against cgroup
# v2's "populated 0" notification, and the bridge to cgroup v2 (entering
# a node bound to a cgroup against setns() plus a write of cgroup.procs,
# spawning into it against CLONE_INTO_CGROUP plus setns()): the report
# ends with their minimum and median over every round, and those of two
# pipe round trips between two processes, the context switches that a
# move of a sleeping process cannot do without.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

iterations=${1:-2000}
rounds=${2:-5}
tags=${3:-3}
CFG=$TOP/scripts/config

vanilla=$("$TOP/scripts/build-kernel.sh" --vanilla cmp-vanilla \
	"$CFG/base.config" "$CFG/upstream.config")
patched=$("$TOP/scripts/build-kernel.sh" cmp-patched \
	"$CFG/base.config" "$CFG/upstream.config" "$CFG/taskset.config")

tree=$("$TOP/scripts/prepare-tree.sh")
bin=$BUILD/bench/taskset_bench
mkdir -p "$BUILD/bench"
gcc -O2 -static -pthread -Wall -Werror -isystem "$BUILD/kernel/cmp-patched/usr/include" \
	-o "$bin" "$tree/tools/testing/selftests/taskset/bench/taskset_bench.c"
gcc -O2 -Wall -Werror -o "$BUILD/bench/host-tsc-khz" "$TOP/scripts/host-tsc-khz.c"
tsc_khz=$("$BUILD/bench/host-tsc-khz")
initrd=$BUILD/initramfs/bench.cpio
"$TOP/scripts/make-initramfs.sh" "$initrd" "$TOP/scripts/guest/bench-init.sh" \
	"$bin:/bench/taskset_bench"

# boot KERNEL NAME TAG [KERNEL ARGUMENT]...: deterministic, but for the
# wall-time boots (NAME wall).
boot() {
	local kernel=$1 name=$2 tag=$3 out=$BUILD/logs/bench-$2-tag$3
	local det=--deterministic
	shift 3
	[ "$name" != wall ] || det=
	: >"$out.tap"
	"$TOP/scripts/run-qemu.sh" --quiet $det --timeout 1800 \
		--mem 1024 --log "$out.log" --out "$out.tap" \
		--append "bench_tag=$tag taskset.iterations=$iterations taskset.rounds=$rounds $*" \
		"$kernel" "$initrd"
	grep -q '^# bench-exit 0' "$out.tap" ||
		die "$name tag $tag did not finish: $out.log"
}

results=()
for tag in $(seq 1 "$tags"); do
	echo "bench: tag $tag of $tags, both kernels" >&2
	boot "$vanilla" vanilla "$tag" &
	v=$!
	boot "$patched" patched "$tag" &
	p=$!
	wait $v
	wait $p
	results+=("$BUILD/logs/bench-vanilla-tag$tag.tap"
		  "$BUILD/logs/bench-patched-tag$tag.tap")
done
walls=$(( tags > 3 ? tags : 3 ))
for tag in $(seq 1 "$walls"); do
	echo "bench: wall-time boot $tag of $walls, patched kernel" >&2
	iterations=$(( iterations * 2 )) \
		boot "$patched" wall "$tag" taskset.mode=wall \
		tsc_early_khz="$tsc_khz" tsc=reliable clocksource=tsc
	results+=("$BUILD/logs/bench-wall-tag$tag.tap")
done
"$TOP/scripts/bench-report.py" "${results[@]}"
