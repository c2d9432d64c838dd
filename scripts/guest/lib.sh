# Helpers of the guest's /init scripts (busybox sh); sourced as
# /lib/guest.sh.

# Mount what every boot needs.
guest_setup() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	mount -t tmpfs tmpfs /tmp
	hostname taskset
}

# cgroup v2 where a systemd machine has it, for the tests of the cgroup2
# facet and cgroup's own selftests.
guest_mount_cgroup2() {
	[ -d /sys/fs/cgroup ] || return 0
	mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null || true
}

# The second serial port carries results, so that kernel messages on the
# console cannot interleave with them; the console serves without it.
guest_results_port() {
	if [ -c /dev/ttyS1 ] && stty -F /dev/ttyS1 >/dev/null 2>&1; then
		echo /dev/ttyS1
	else
		echo /dev/console
	fi
}

# Report kmemleak's findings on the console, where the host looks for them.
guest_kmemleak_scan() {
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || return 0
	[ -w /sys/kernel/debug/kmemleak ] || return 0
	# Objects younger than 5 s are not reported; scan twice to be sure.
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >/dev/console
	echo "guest: kmemleak scanned" >/dev/console
}

# QEMU runs with -no-reboot, so a reboot ends it.
guest_poweroff() {
	sync
	reboot -f
}
