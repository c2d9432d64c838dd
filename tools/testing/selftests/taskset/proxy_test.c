// SPDX-License-Identifier: GPL-2.0
/*
 * The proxy that replaced nsproxy: tasks with the same namespaces share
 * one, however they got them; nothing leaks; the existing paths that read
 * another task's namespaces survive that task's exit.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <linux/nsfs.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#define NR_SHARERS 100
#define STORM_ROUNDS 40

#ifndef PIDFD_GET_UTS_NAMESPACE
#define PIDFS_IOCTL_MAGIC 0xFF
#define PIDFD_GET_UTS_NAMESPACE _IO(PIDFS_IOCTL_MAGIC, 10)
#endif

static int sys_pidfd_open(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

static pid_t sys_clone3(struct clone_args *args)
{
	return syscall(SYS_clone3, args, sizeof(*args));
}

static ino_t ns_ino(pid_t pid, const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, name);
	return stat(path, &st) ? 0 : st.st_ino;
}

/* Block in the child until the parent closes or writes @fd. */
static void wait_for_parent(int fd)
{
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
}

/* Tell the parent through @fd that a step is done, with a status byte. */
static void report(int fd, char status)
{
	if (write(fd, &status, 1) != 1)
		_exit(1);
}

static int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Children that did a step, then wait until the parent lets them go. */
struct children {
	int go[2];	/* parent -> children: closed to let them exit */
	int done[2];	/* children -> parent: one byte per step done */
	pid_t pids[NR_SHARERS + 1];
	int nr_pids;
};

FIXTURE(proxy) {
	char dir[32];
	struct children kids;
};

FIXTURE_SETUP(proxy)
{
	self->kids.go[1] = -EBADF;
	self->kids.nr_pids = 0;
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not in /proc/filesystems");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0)
		TH_LOG("%m: mount -t tasksetfs");
	ASSERT_EQ(pipe(self->kids.go), 0);
	ASSERT_EQ(pipe(self->kids.done), 0);
}

FIXTURE_TEARDOWN(proxy)
{
	int i;

	if (self->kids.go[1] >= 0)
		close(self->kids.go[1]);
	for (i = 0; i < self->kids.nr_pids; i++)
		reap(self->kids.pids[i]);
	tasksetfs_umount_tmp(self->dir);
}

static long stat_of(struct __test_metadata *_metadata, const char *dir,
		    const char *key)
{
	long v = read_key(dir, "taskset.stat", key);

	EXPECT_GE(v, 0) TH_LOG("no %s in taskset.stat", key);
	return v;
}

/*
 * Fork a child that runs @fn, reports its status, then waits until the
 * fixture lets it go. Returns the child's pid after its report.
 */
static pid_t spawn(struct __test_metadata *_metadata, struct children *kids,
		   int (*fn)(void *), void *arg)
{
	pid_t pid;
	char status;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(kids->go[1]);
		report(kids->done[1], fn(arg));
		wait_for_parent(kids->go[0]);
		_exit(0);
	}
	kids->pids[kids->nr_pids++] = pid;
	EXPECT_EQ(read(kids->done[0], &status, 1), 1);
	EXPECT_EQ(status, 0) TH_LOG("child step failed: errno %d", status);
	return pid;
}

static int unshare_uts_ipc(void *arg)
{
	return unshare(CLONE_NEWUTS | CLONE_NEWIPC) ? errno : 0;
}

static int setns_into(void *arg)
{
	int *pidfd = arg;

	return setns(*pidfd, CLONE_NEWUTS | CLONE_NEWIPC) ? errno : 0;
}

/* Tasks that setns into the same namespaces share the target's proxy. */
TEST_F(proxy, setns_shares_one_proxy)
{
	long proxies, hits;
	pid_t target;
	int pidfd, i;

	target = spawn(_metadata, &self->kids, unshare_uts_ipc, NULL);
	ASSERT_GT(target, 0);
	pidfd = sys_pidfd_open(target);
	ASSERT_GE(pidfd, 0) TH_LOG("%m: pidfd_open");
	proxies = stat_of(_metadata, self->dir, "proxies");
	hits = stat_of(_metadata, self->dir, "hash_hits");

	for (i = 0; i < NR_SHARERS; i++)
		ASSERT_GT(spawn(_metadata, &self->kids, setns_into, &pidfd), 0);

	EXPECT_EQ(stat_of(_metadata, self->dir, "proxies"), proxies);
	EXPECT_GE(stat_of(_metadata, self->dir, "hash_hits"), hits + NR_SHARERS);
	for (i = 1; i < self->kids.nr_pids; i++)
		ASSERT_EQ(ns_ino(self->kids.pids[i], "uts"), ns_ino(target, "uts"));
	close(pidfd);
}

static int unshare_uts_and_back(void *arg)
{
	int fd = open("/proc/self/ns/uts", O_RDONLY);

	if (fd < 0 || unshare(CLONE_NEWUTS) || setns(fd, CLONE_NEWUTS))
		return errno;
	close(fd);
	return 0;
}

/* Returning to the namespaces one had returns to the proxy one had. */
TEST_F(proxy, setns_back_shares_parents_proxy)
{
	long proxies = stat_of(_metadata, self->dir, "proxies");
	pid_t child;

	child = spawn(_metadata, &self->kids, unshare_uts_and_back, NULL);
	ASSERT_GT(child, 0);
	EXPECT_EQ(stat_of(_metadata, self->dir, "proxies"), proxies);
	EXPECT_EQ(ns_ino(child, "uts"), ns_ino(getpid(), "uts"));
}

/*
 * A namespace created by clone3 gets a proxy of its own: the lookup
 * misses, and the hash then has one proxy more.
 */
TEST_F(proxy, clone3_new_namespaces_get_new_proxy)
{
	struct clone_args args = {
		.flags = CLONE_NEWUTS | CLONE_NEWIPC,
		.exit_signal = SIGCHLD,
	};
	long proxies = stat_of(_metadata, self->dir, "proxies");
	long misses = stat_of(_metadata, self->dir, "hash_misses");
	char status;
	pid_t pid;

	pid = sys_clone3(&args);
	ASSERT_GE(pid, 0) TH_LOG("%m: clone3");
	if (pid == 0) {
		close(self->kids.go[1]);
		report(self->kids.done[1], 0);
		wait_for_parent(self->kids.go[0]);
		_exit(0);
	}
	self->kids.pids[self->kids.nr_pids++] = pid;
	ASSERT_EQ(read(self->kids.done[0], &status, 1), 1);
	EXPECT_EQ(stat_of(_metadata, self->dir, "proxies"), proxies + 1);
	EXPECT_EQ(stat_of(_metadata, self->dir, "hash_misses"), misses + 1);
	EXPECT_NE(ns_ino(pid, "uts"), ns_ino(getpid(), "uts"));
}

/* The pid of the kernel thread called @comm, or -1. */
static pid_t find_kthread(const char *comm)
{
	char path[64], name[32];
	pid_t pid;

	for (pid = 2; pid < 200; pid++) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f) &&
		    !strncmp(name, comm, strlen(comm)) &&
		    name[strlen(comm)] == '\n') {
			fclose(f);
			return pid;
		}
		fclose(f);
	}
	return -1;
}

static int setns_mnt(void *arg)
{
	return setns(*(int *)arg, CLONE_NEWNS) ? errno : 0;
}

/*
 * kdevtmpfs unshares its mount namespace early in boot, before any
 * initcall: its proxy is in the root node all the same, and a task of
 * the root that joins its mount namespace shares its proxy.
 */
TEST_F(proxy, early_boot_proxy_is_in_root_node)
{
	pid_t kdev = find_kthread("kdevtmpfs");
	long proxies, hits;
	int fd;

	ASSERT_GT(kdev, 0) TH_LOG("no kdevtmpfs thread: CONFIG_DEVTMPFS?");
	fd = open_ns_of(kdev, "mnt");
	ASSERT_GE(fd, 0) TH_LOG("%m: kdevtmpfs's mnt ns");
	ASSERT_NE(ns_ino(kdev, "mnt"), ns_ino(getpid(), "mnt"));
	proxies = stat_of(_metadata, self->dir, "proxies");
	hits = stat_of(_metadata, self->dir, "hash_hits");

	ASSERT_GT(spawn(_metadata, &self->kids, setns_mnt, &fd), 0);
	EXPECT_EQ(stat_of(_metadata, self->dir, "proxies"), proxies);
	EXPECT_EQ(stat_of(_metadata, self->dir, "hash_hits"), hits + 1);
	close(fd);
}

/* A grandchild that lives until the fixture lets its parent go. */
static pid_t fork_waiting(int go)
{
	pid_t pid = fork();

	if (pid == 0) {
		wait_for_parent(go);
		_exit(0);
	}
	return pid;
}

static int fork_twice_in_new_time_ns(void *arg)
{
	int go = *(int *)arg;

	if (unshare(CLONE_NEWTIME))
		return errno;
	if (fork_waiting(go) < 0 || fork_waiting(go) < 0)
		return errno;
	return 0;
}

/*
 * Children forked after unshare(CLONE_NEWTIME) enter the new time
 * namespace: the first one's proxy is allocated, the second shares it.
 */
TEST_F(proxy, time_ns_children_share_proxy)
{
	long proxies = stat_of(_metadata, self->dir, "proxies");
	long hits = stat_of(_metadata, self->dir, "hash_hits");

	ASSERT_GT(spawn(_metadata, &self->kids, fork_twice_in_new_time_ns,
			&self->kids.go[0]), 0);
	/* The child's proxy, and one proxy for both grandchildren. */
	EXPECT_EQ(stat_of(_metadata, self->dir, "proxies"), proxies + 2);
	EXPECT_EQ(stat_of(_metadata, self->dir, "hash_hits"), hits + 1);
}

static void *unshare_uts_thread(void *arg)
{
	int *pipefd = arg;
	struct utsname u;
	long ok = 0;
	char c;

	if (!unshare(CLONE_NEWUTS) && !sethostname("thread-b", 8) &&
	    !uname(&u) && !strcmp(u.nodename, "thread-b"))
		ok = 1;
	if (write(pipefd[1], &ok, sizeof(ok)) != sizeof(ok))
		return NULL;
	/* Stay until the main thread has looked. */
	if (read(pipefd[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

/* Threads of one process can hold different uts namespaces. */
TEST_F(proxy, threads_with_different_uts)
{
	long proxies = stat_of(_metadata, self->dir, "proxies");
	int to_thread[2], from_thread[2];
	int pipes[2];
	struct utsname u;
	pthread_t thread;
	char before[65];
	long ok = 0;

	ASSERT_EQ(uname(&u), 0);
	snprintf(before, sizeof(before), "%s", u.nodename);
	ASSERT_EQ(pipe(to_thread), 0);
	ASSERT_EQ(pipe(from_thread), 0);
	pipes[0] = to_thread[0];
	pipes[1] = from_thread[1];
	ASSERT_EQ(pthread_create(&thread, NULL, unshare_uts_thread, pipes), 0);
	ASSERT_EQ(read(from_thread[0], &ok, sizeof(ok)), sizeof(ok));
	ASSERT_EQ(ok, 1) TH_LOG("the thread could not unshare its uts");

	ASSERT_EQ(uname(&u), 0);
	EXPECT_STREQ(u.nodename, before);
	EXPECT_EQ(stat_of(_metadata, self->dir, "proxies"), proxies + 1);

	ASSERT_EQ(write(to_thread[1], "x", 1), 1);
	ASSERT_EQ(pthread_join(thread, NULL), 0);
	EXPECT_EQ(stat_of(_metadata, self->dir, "proxies"), proxies);
}

static int storm_child(void *arg)
{
	int parent_pidfd = *(int *)arg;
	int flags = CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP;

	if (unshare(flags | CLONE_NEWNS))
		return errno;
	if (setns(parent_pidfd, flags))
		return errno;
	if (unshare(CLONE_NEWUTS))
		return errno;
	return 0;
}

/* Proxies and namespace uses return to their start after a storm. */
TEST_F(proxy, no_leak_after_storm)
{
	char before[16384], after[16384];
	long proxies, namespaces;
	int pidfd, i;

	pidfd = sys_pidfd_open(getpid());
	ASSERT_GE(pidfd, 0);
	proxies = stat_of(_metadata, self->dir, "proxies");
	namespaces = stat_of(_metadata, self->dir, "namespaces");
	ASSERT_GT(read_namespaces(self->dir, before, sizeof(before)), 0);

	for (i = 0; i < STORM_ROUNDS; i++)
		ASSERT_GT(spawn(_metadata, &self->kids, storm_child, &pidfd), 0);
	EXPECT_GT(stat_of(_metadata, self->dir, "proxies"), proxies);

	close(self->kids.go[1]);
	self->kids.go[1] = -EBADF;
	for (i = 0; i < self->kids.nr_pids; i++)
		ASSERT_EQ(reap(self->kids.pids[i]), 0);
	self->kids.nr_pids = 0;

	EXPECT_EQ(stat_of(_metadata, self->dir, "proxies"), proxies);
	/* An ipc namespace is freed from a work item: wait for it. */
	EXPECT_EQ(wait_stat(self->dir, "namespaces", namespaces), namespaces);
	ASSERT_GT(read_namespaces(self->dir, after, sizeof(after)), 0);
	EXPECT_STREQ(before, after);
	close(pidfd);
}

#define CHURNERS 4
#define CHURN_ROUNDS 500

/* Leave the shared uts namespace and come back, @rounds times. */
static int churn_uts(int shared_uts, int rounds)
{
	while (rounds--)
		if (unshare(CLONE_NEWUTS) || setns(shared_uts, CLONE_NEWUTS))
			return 1;
	return 0;
}

/* Read the root's listings, @rounds times. */
static int churn_read(const char *dir, int rounds)
{
	static char buf[16384];

	while (rounds--)
		if (read_at(dir, "taskset.namespaces", buf, sizeof(buf)) <= 0 ||
		    read_key(dir, "taskset.stat", "proxies") < 1)
			return 1;
	return 0;
}

/*
 * Lookups, publications and releases of proxies race on every CPU: each
 * round a churner publishes a proxy of its own, then finds and shares
 * the proxy every churner returns to, while its own is released; a
 * reader snapshots the hash meanwhile. Nothing is lost or leaked.
 */
TEST_F(proxy, concurrent_churn_leaves_nothing)
{
	char before[16384], after[16384];
	long proxies, hits;
	pid_t pids[CHURNERS + 1];
	int uts, i, status;

	uts = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(uts, 0);
	proxies = stat_of(_metadata, self->dir, "proxies");
	hits = stat_of(_metadata, self->dir, "hash_hits");
	ASSERT_GT(read_namespaces(self->dir, before, sizeof(before)), 0);

	for (i = 0; i <= CHURNERS; i++) {
		pids[i] = fork();
		ASSERT_GE(pids[i], 0);
		if (pids[i] == 0)
			_exit(i < CHURNERS ? churn_uts(uts, CHURN_ROUNDS) :
			      churn_read(self->dir, CHURN_ROUNDS / 10));
	}
	for (i = 0; i <= CHURNERS; i++) {
		ASSERT_EQ(waitpid(pids[i], &status, 0), pids[i]);
		EXPECT_EQ(status, 0) TH_LOG("child %d failed", i);
	}

	/* A reader's last references are dropped from a work item. */
	EXPECT_EQ(wait_stat(self->dir, "proxies", proxies), proxies);
	EXPECT_GE(stat_of(_metadata, self->dir, "hash_hits"),
		  hits + CHURNERS * CHURN_ROUNDS);
	ASSERT_GT(read_namespaces(self->dir, after, sizeof(after)), 0);
	EXPECT_STREQ(before, after);
	close(uts);
}

/*
 * Reading a task's /proc/PID/ns and its pidfd namespace ioctls while it
 * exits either works or fails cleanly.
 */
TEST_F(proxy, ns_readers_race_exit)
{
	ino_t mine = ns_ino(getpid(), "uts");
	int round;

	for (round = 0; round < 200; round++) {
		char path[64], link[64];
		int pidfd, nsfd;
		pid_t pid;

		pid = fork();
		ASSERT_GE(pid, 0);
		if (pid == 0)
			_exit(0);
		pidfd = sys_pidfd_open(pid);
		snprintf(path, sizeof(path), "/proc/%d/ns/uts", pid);
		for (;;) {
			ssize_t n = readlink(path, link, sizeof(link));
			struct stat st;

			if (n < 0) {
				ASSERT_TRUE(errno == ENOENT || errno == ESRCH)
					TH_LOG("%m: readlink %s", path);
				break;
			}
			if (pidfd < 0)
				continue;
			nsfd = ioctl(pidfd, PIDFD_GET_UTS_NAMESPACE, 0);
			if (nsfd < 0) {
				ASSERT_EQ(errno, ESRCH) TH_LOG("%m: ioctl");
				continue;
			}
			ASSERT_EQ(fstat(nsfd, &st), 0);
			ASSERT_EQ(st.st_ino, mine);
			close(nsfd);
		}
		if (pidfd >= 0)
			close(pidfd);
		ASSERT_EQ(reap(pid), 0);
	}
}

TEST_HARNESS_MAIN
