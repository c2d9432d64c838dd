# Task sets: build, boot and test the patched kernel under QEMU.
# See README.md; the work is done by the scripts in scripts/.

SHELL := /bin/bash
S := scripts
CFG := $(S)/config
BUILD ?= build
export BUILD := $(abspath $(BUILD))
# Every stage line of the scripts tells the time since make started.
export TASKSET_T0 := $(shell date +%s)

# The kernel every target boots: tinyconfig, what the tests need, the
# feature, lockdep and fault injection, and the feature's debug checks.
TEST_CONFIG := $(CFG)/base.config $(CFG)/taskset.config $(CFG)/debug.config \
	$(CFG)/taskset-debug.config
KERNEL := $(BUILD)/kernel/test/arch/x86/boot/bzImage

.PHONY: all deps tree kernel run shell test test-kasan test-upstream bench \
	check series series-check clean distclean

all: test

deps:
	@$(S)/install-deps.sh

tree: deps
	@$(S)/prepare-tree.sh >/dev/null

kernel: deps
	@$(S)/build-kernel.sh test $(TEST_CONFIG) >/dev/null

# Boot and show what tasksetfs can do so far, then power off. Every
# image has the tools of tools/tasksets/ (tsrun) in /bin: make-initramfs.sh
# installs those of the directory TASKSET_TOOLS names.
run: kernel
	@$(S)/stage.sh "initramfs: busybox, tsrun and the demo"
	@t=$$($(S)/build-tools.sh test) && TASKSET_TOOLS=$$t \
	$(S)/make-initramfs.sh $(BUILD)/initramfs/demo.cpio $(S)/guest/demo-init.sh
	@$(S)/stage.sh "boot: QEMU, the demo's output follows"
	@$(S)/run-qemu.sh --timeout 300 --append quiet --log $(BUILD)/logs/run-$$(date +%Y%m%d-%H%M%S).log \
		$(KERNEL) $(BUILD)/initramfs/demo.cpio
	@$(S)/stage.sh "run: done, total time above"

# An interactive busybox shell on the serial console.
shell: kernel
	@t=$$($(S)/build-tools.sh test) && TASKSET_TOOLS=$$t \
	$(S)/make-initramfs.sh $(BUILD)/initramfs/shell.cpio $(S)/guest/shell-init.sh
	@$(S)/run-qemu.sh --interactive --log $(BUILD)/logs/shell-$$(date +%Y%m%d-%H%M%S).log \
		$(KERNEL) $(BUILD)/initramfs/shell.cpio

test: kernel
	@d=$$($(S)/build-selftests.sh test) && t=$$($(S)/build-tools.sh test) && \
	TASKSET_TOOLS=$$t $(S)/boot-tests.sh $(KERNEL) test $$d

# The same tests on a kernel with KASAN and kmemleak (slower to build and
# to boot).
test-kasan: deps
	@k=$$($(S)/build-kernel.sh kasan $(TEST_CONFIG) $(CFG)/kasan.config) && d=$$($(S)/build-selftests.sh kasan) && \
	t=$$($(S)/build-tools.sh kasan) && \
	TASKSET_TOOLS=$$t $(S)/boot-tests.sh $$k kasan $$d -- --mem 1024 --timeout 900

# The kernel's own selftests of the paths the proxy took over, on the
# patched and an unpatched kernel of the same configuration; cgroup's
# own, for the cgroup2 facet's bridge (only the programs named).
UPSTREAM_TESTS := clone3 nsfs pidfd timens proc ipc \
	cgroup:test_core,test_kill,test_memcontrol
test-upstream: deps
	@$(S)/test-upstream.sh $(UPSTREAM_TESTS)

# Cost of the paths the proxy took over: unpatched vs patched, same
# configuration, deterministic QEMU; see scripts/bench.sh.
bench: deps
	@$(S)/bench.sh

check: kernel
	@$(S)/check.sh

# The exported patch series, build/series/: cover letter and one patch per
# concern, as series/map describes them.
series: deps
	@$(S)/prepare-tree.sh --vanilla >/dev/null
	@$(S)/stage.sh "series: exporting series/map"
	@python3 $(S)/series.py series/map series/cover-letter $(BUILD)/series

# The series as a maintainer gets it: applies to pristine 6.12, checkpatch
# and get_maintainer, each patch builds, the final kernel boots the
# kselftests. SERIES_CHECK=--no-build skips the builds and the boot.
series-check: series
	@$(S)/series-check.sh $(SERIES_CHECK) $(BUILD)/series

clean:
	rm -rf $(BUILD)/kernel $(BUILD)/selftests $(BUILD)/tools $(BUILD)/initramfs \
		$(BUILD)/logs

distclean:
	rm -rf $(BUILD)
