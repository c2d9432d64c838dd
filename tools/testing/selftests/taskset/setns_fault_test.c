// SPDX-License-Identifier: GPL-2.0
/*
 * setns(2) is all or nothing, even when memory runs out: every slab
 * allocation a setns into a mount namespace makes is failed in turn
 * (/proc/thread-self/fail-nth, CONFIG_FAILSLAB), and each failed call
 * must leave the caller's root, working directory and namespaces exactly
 * as they were, each successful one must change them all.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <linux/stat.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#define FAILSLAB "/sys/kernel/debug/failslab"
#define NS_DIR "/proc/self/ns"
#define MAX_NS 16
#define MAX_FAULTS 4096

/* What setns(2) may change: root, working directory and namespaces. */
struct task_view {
	uint64_t root_mnt;
	uint64_t cwd_mnt;
	int nr_ns;
	char ns_name[MAX_NS][32];
	char ns_link[MAX_NS][64];
};

static int mnt_id_of(const char *path, uint64_t *id)
{
	struct statx stx;

	if (syscall(SYS_statx, AT_FDCWD, path, 0, STATX_MNT_ID, &stx))
		return -1;
	if (!(stx.stx_mask & STATX_MNT_ID))
		return -1;
	*id = stx.stx_mnt_id;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int take_view(struct task_view *v)
{
	struct dirent *de;
	DIR *dir;
	int i;

	memset(v, 0, sizeof(*v));
	if (mnt_id_of("/", &v->root_mnt) || mnt_id_of(".", &v->cwd_mnt))
		return -1;
	dir = opendir(NS_DIR);
	if (!dir)
		return -1;
	while ((de = readdir(dir)) && v->nr_ns < MAX_NS) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(v->ns_name[v->nr_ns++], sizeof(v->ns_name[0]), "%.31s",
			 de->d_name);
	}
	closedir(dir);
	qsort(v->ns_name, v->nr_ns, sizeof(v->ns_name[0]), name_cmp);
	for (i = 0; i < v->nr_ns; i++) {
		char path[64];
		ssize_t n;

		snprintf(path, sizeof(path), NS_DIR "/%s", v->ns_name[i]);
		n = readlink(path, v->ns_link[i], sizeof(v->ns_link[i]) - 1);
		if (n < 0)
			return -1;
	}
	return 0;
}

static const char *ns_link(const struct task_view *v, const char *name)
{
	int i;

	for (i = 0; i < v->nr_ns; i++)
		if (!strcmp(v->ns_name[i], name))
			return v->ns_link[i];
	return "";
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/*
 * /proc/thread-self/fail-nth, opened once: reading and writing an open
 * fd allocates nothing, so it neither consumes nor hits the fault.
 */
static int fail_nth_fd = -1;

static int set_fail_nth(int nth)
{
	char val[16];
	int len = snprintf(val, sizeof(val), "%d", nth);

	return pwrite(fail_nth_fd, val, len, 0) == len ? 0 : -1;
}

/* How many fault-injection points are still to pass before the fault. */
static int fail_nth_left(void)
{
	char buf[16];
	ssize_t n;

	n = pread(fail_nth_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atoi(buf);
}

FIXTURE(setns_fault) {
	pid_t holder;
	int go[2];
	int target_fd;
	int own_fd;
	uint64_t target_root_mnt;
	bool debugfs_mounted;
};

/* The holder's mount namespace by an nsfs fd, or by a pidfd. */
FIXTURE_VARIANT(setns_fault) {
	bool pidfd;
	int flags;
};

FIXTURE_VARIANT_ADD(setns_fault, nsfd) {
	.pidfd = false,
	.flags = 0,
};

FIXTURE_VARIANT_ADD(setns_fault, pidfd) {
	.pidfd = true,
	.flags = CLONE_NEWNS,
};

FIXTURE_SETUP(setns_fault)
{
	int ready[2];
	ssize_t n;

	self->holder = -1;
	self->go[1] = -EBADF;
	self->target_fd = -EBADF;
	self->own_fd = -EBADF;
	self->debugfs_mounted = false;
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fail_nth_fd < 0)
		SKIP(return, "no fail-nth: CONFIG_FAULT_INJECTION is off");
	if (access(FAILSLAB, F_OK)) {
		ASSERT_EQ(mount("none", "/sys/kernel/debug", "debugfs", 0,
				NULL), 0) TH_LOG("%m: mount debugfs");
		self->debugfs_mounted = true;
	}
	if (access(FAILSLAB, F_OK))
		SKIP(return, "no " FAILSLAB ": CONFIG_FAILSLAB is off");
	/* Fail sleeping allocations too, and quietly: no stack dumps. */
	ASSERT_EQ(write_file(FAILSLAB "/ignore-gfp-wait", "N"), 0);
	ASSERT_EQ(write_file(FAILSLAB "/verbose", "0"), 0);

	/* A holder of a new mount namespace, which reports its root. */
	ASSERT_EQ(pipe(ready), 0);
	ASSERT_EQ(pipe(self->go), 0);
	self->holder = fork();
	ASSERT_GE(self->holder, 0);
	if (self->holder == 0) {
		uint64_t id = 0;
		char c;

		close(self->go[1]);
		if (unshare(CLONE_NEWNS) || mnt_id_of("/", &id))
			id = 0;
		if (write(ready[1], &id, sizeof(id)) != sizeof(id))
			_exit(1);
		while (read(self->go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(ready[1]);
	n = read(ready[0], &self->target_root_mnt, sizeof(uint64_t));
	close(ready[0]);
	ASSERT_EQ(n, sizeof(uint64_t));
	ASSERT_NE(self->target_root_mnt, 0) TH_LOG("holder could not unshare");

	if (variant->pidfd)
		self->target_fd = syscall(SYS_pidfd_open, self->holder, 0);
	else
		self->target_fd = open_ns_of(self->holder, "mnt");
	ASSERT_GE(self->target_fd, 0) TH_LOG("%m: holder's mnt ns");
	self->own_fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(self->own_fd, 0);
	/* A working directory on another mount than the root. */
	ASSERT_EQ(chdir("/proc"), 0);
	/*
	 * A uts namespace of its own, so that no task holds the states a
	 * setns into the holder's mount namespace ends in: each such setns
	 * needs a proxy of its own, the allocation that must not fail late.
	 */
	ASSERT_EQ(unshare(CLONE_NEWUTS), 0);
}

FIXTURE_TEARDOWN(setns_fault)
{
	if (fail_nth_fd >= 0) {
		set_fail_nth(0);
		close(fail_nth_fd);
	}
	write_file(FAILSLAB "/ignore-gfp-wait", "Y");
	write_file(FAILSLAB "/verbose", "2");
	if (self->target_fd >= 0)
		close(self->target_fd);
	if (self->own_fd >= 0)
		close(self->own_fd);
	if (self->go[1] >= 0)
		close(self->go[1]);
	if (self->holder > 0)
		waitpid(self->holder, NULL, 0);
	if (self->debugfs_mounted)
		umount2("/sys/kernel/debug", MNT_DETACH);
}

static void expect_unchanged(struct __test_metadata *_metadata,
			     const struct task_view *before, int nth)
{
	struct task_view now;
	int i;

	ASSERT_EQ(take_view(&now), 0);
	EXPECT_EQ(now.root_mnt, before->root_mnt)
		TH_LOG("fault %d: root moved by a failed setns", nth);
	EXPECT_EQ(now.cwd_mnt, before->cwd_mnt)
		TH_LOG("fault %d: cwd moved by a failed setns", nth);
	ASSERT_EQ(now.nr_ns, before->nr_ns);
	for (i = 0; i < now.nr_ns; i++)
		EXPECT_STREQ(now.ns_link[i], before->ns_link[i])
			TH_LOG("fault %d: %s changed by a failed setns", nth,
			       now.ns_name[i]);
}

static void expect_switched(struct __test_metadata *_metadata,
			    const struct task_view *before,
			    uint64_t target_root, const char *target_link,
			    int nth)
{
	struct task_view now;
	int i;

	ASSERT_EQ(take_view(&now), 0);
	EXPECT_EQ(now.root_mnt, target_root) TH_LOG("fault %d: root", nth);
	EXPECT_EQ(now.cwd_mnt, target_root) TH_LOG("fault %d: cwd", nth);
	for (i = 0; i < now.nr_ns; i++) {
		const char *want = before->ns_link[i];

		if (!strcmp(now.ns_name[i], "mnt"))
			want = target_link;
		EXPECT_STREQ(now.ns_link[i], want)
			TH_LOG("fault %d: %s", nth, now.ns_name[i]);
	}
}

/*
 * Fail the 1st, 2nd, ... slab allocation of setns(mntns_fd, 0), or of
 * setns(pidfd, CLONE_NEWNS), until a call makes no more allocations than
 * the fault's rank.
 */
TEST_F(setns_fault, failed_setns_changes_nothing)
{
	char target_link[64] = "";
	struct task_view before;
	int nth, failures = 0;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", self->holder);
	ASSERT_GT(readlink(path, target_link, sizeof(target_link) - 1), 0);
	ASSERT_EQ(take_view(&before), 0);
	ASSERT_STRNE(ns_link(&before, "mnt"), target_link);

	for (nth = 1; nth < MAX_FAULTS; nth++) {
		int ret, err, left;

		ASSERT_EQ(set_fail_nth(nth), 0);
		ret = setns(self->target_fd, variant->flags);
		err = errno;
		left = fail_nth_left();
		ASSERT_EQ(set_fail_nth(0), 0);

		if (ret) {
			ASSERT_EQ(err, ENOMEM) TH_LOG("fault %d: %s", nth,
						      strerror(err));
			failures++;
			expect_unchanged(_metadata, &before, nth);
			continue;
		}
		expect_switched(_metadata, &before, self->target_root_mnt,
				target_link, nth);
		/* Back where it was, for the next round. */
		ASSERT_EQ(setns(self->own_fd, CLONE_NEWNS), 0);
		ASSERT_EQ(chdir("/proc"), 0);
		expect_unchanged(_metadata, &before, nth);
		if (left > 0)
			break;	/* no allocation was left to fail */
	}
	TH_LOG("%d calls, each allocation failed once: %d failures",
	       nth, failures);
	EXPECT_LT(nth, MAX_FAULTS);
	EXPECT_GT(failures, 0) TH_LOG("no allocation of setns was failed");
}

TEST_HARNESS_MAIN
