// SPDX-License-Identifier: GPL-2.0
/*
 * CLONE_NEWTASKSET: clone3() and unshare() make a node, a child of the
 * caller's, owning exactly the facets of the call's namespace flags, with
 * the new task or the calling thread as its member; named from a counter
 * never reused; deleted once empty; bounded by max_tasksets.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#ifndef CLONE_NEWTASKSET
#define CLONE_NEWTASKSET 0x00000040
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define WAKE_MS		5000
#define NAME_CYCLES	10000
#define MAX_TASKSETS	"/proc/sys/user/max_tasksets"

FIXTURE(clone) {
	char dir[sizeof(MNT_TEMPLATE)];
	long nodes;
};

FIXTURE_SETUP(clone)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	self->nodes = read_key(self->dir, "taskset.stat", "nodes");
}

FIXTURE_TEARDOWN(clone)
{
	while (waitpid(-1, NULL, 0) > 0)
		;
	tasksetfs_umount_tmp(self->dir);
}

static pid_t sys_clone3(unsigned long long flags)
{
	struct clone_args args = {
		.flags = flags,
		.exit_signal = SIGCHLD,
	};

	return syscall(SYS_clone3, &args, sizeof(args));
}

/* The node path of @pid (its /proc/PID/taskset line, no newline). */
static int node_of(pid_t pid, char *buf, size_t size)
{
	char dir[32];
	ssize_t len;

	snprintf(dir, sizeof(dir), "/proc/%d", pid);
	len = read_at(dir, "taskset", buf, size);
	if (len <= 0)
		return -1;
	if (buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return 0;
}

/*
 * A child that stays in the state @how gives it until told to exit:
 * @how 'u' unshares @flags itself, 'c' is the child of a clone3(@flags).
 * Returns its pid, its release pipe in *@release.
 */
static pid_t spawn_in_new_node(char how, unsigned long long flags,
			       int *release)
{
	int ready[2], go[2];
	pid_t pid;
	char c;

	if (pipe(ready) || pipe(go))
		return -1;
	pid = how == 'c' ? sys_clone3(flags) : fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		c = 'x';
		if (how == 'u' && unshare(flags))
			c = 'e';
		if (write(ready[1], &c, 1) != 1 || c == 'e')
			_exit(1);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	if (read(ready[0], &c, 1) != 1 || c != 'x') {
		waitpid(pid, NULL, 0);
		return -1;
	}
	close(ready[0]);
	close(ready[1]);
	*release = go[1];
	return pid;
}

static void release_and_reap(pid_t pid, int release)
{
	if (write(release, "x", 1) != 1)
		kill(pid, SIGKILL);
	close(release);
	waitpid(pid, NULL, 0);
}

static bool wait_gone(const char *path)
{
	return wait_gone_ms(path, WAKE_MS);
}

/* The facet each namespace flag creates, and its /proc/PID/ns link. */
static const struct {
	unsigned long long flag;
	const char *facet;
	const char *link;
} ns_flags[] = {
	{ CLONE_NEWUTS, "uts", "uts" },
	{ CLONE_NEWIPC, "ipc", "ipc" },
	{ CLONE_NEWNS, "mnt", "mnt" },
	{ CLONE_NEWPID, "pid", "pid_for_children" },
	{ CLONE_NEWNET, "net", "net" },
	{ CLONE_NEWTIME, "time", "time_for_children" },
	{ CLONE_NEWCGROUP, "cgroup", "cgroup" },
};

/*
 * @pid is in a new node child of the root, owning exactly the facets of
 * @flags, its namespaces of those being the task's, set to delete.
 */
static void check_new_node(struct __test_metadata *_metadata,
			   const char *dir, pid_t pid, unsigned long long flags)
{
	char path[PATH_MAX], node[256], buf[64];
	unsigned int i;

	ASSERT_EQ(node_of(pid, node, sizeof(node)), 0);
	ASSERT_EQ(strncmp(node, "/clone.", 7), 0) TH_LOG("node %s", node);
	ASSERT_EQ(strchr(node + 1, '/'), NULL);
	snprintf(path, sizeof(path), "%s%s", dir, node);
	ASSERT_GT(read_at(path, "taskset.on_empty", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "delete\n");
	EXPECT_EQ(read_key(path, "taskset.events", "populated"), 1);
	for (i = 0; i < ARRAY_SIZE(ns_flags); i++) {
		unsigned long ino;
		struct stat st;
		bool own;

		if (node_ns(path, ns_flags[i].facet, &ino, NULL, &own))
			continue;	/* not a facet in this kernel */
		EXPECT_EQ(own, !!(flags & ns_flags[i].flag))
			TH_LOG("%s", ns_flags[i].facet);
		snprintf(buf, sizeof(buf), "/proc/%d/ns/%s", pid,
			 ns_flags[i].link);
		if (stat(buf, &st)) {
			/* A pid namespace shows once it has its init. */
			ASSERT_TRUE(flags & CLONE_NEWPID && errno == ENOENT &&
				    !strcmp(ns_flags[i].facet, "pid"))
				TH_LOG("%s: %m", buf);
			continue;
		}
		if (own)
			EXPECT_EQ(ino, st.st_ino) TH_LOG("%s", ns_flags[i].facet);
	}
}

/* unshare(CLONE_NEWTASKSET | one flag), or none, then exit. */
static void unshare_or_clone(struct __test_metadata *_metadata,
			     const char *dir, char how,
			     unsigned long long flags)
{
	char node[256], path[PATH_MAX];
	int release;
	pid_t pid;

	pid = spawn_in_new_node(how, CLONE_NEWTASKSET | flags, &release);
	ASSERT_GT(pid, 0) TH_LOG("flags %#llx", flags);
	check_new_node(_metadata, dir, pid, flags);
	ASSERT_EQ(node_of(pid, node, sizeof(node)), 0);
	snprintf(path, sizeof(path), "%s%s", dir, node);
	release_and_reap(pid, release);
	/* Deleted once empty, as a namespace expires. */
	EXPECT_TRUE(wait_gone(path));
}

TEST_F(clone, unshare_each_namespace_flag)
{
	unsigned int i;

	unshare_or_clone(_metadata, self->dir, 'u', 0);
	for (i = 0; i < ARRAY_SIZE(ns_flags); i++)
		unshare_or_clone(_metadata, self->dir, 'u', ns_flags[i].flag);
	unshare_or_clone(_metadata, self->dir, 'u',
			 CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET);
	EXPECT_EQ(wait_stat(self->dir, "nodes", self->nodes), self->nodes);
}

TEST_F(clone, clone3_each_namespace_flag)
{
	unsigned int i;

	unshare_or_clone(_metadata, self->dir, 'c', 0);
	for (i = 0; i < ARRAY_SIZE(ns_flags); i++)
		unshare_or_clone(_metadata, self->dir, 'c', ns_flags[i].flag);
	unshare_or_clone(_metadata, self->dir, 'c',
			 CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET);
	EXPECT_EQ(wait_stat(self->dir, "nodes", self->nodes), self->nodes);
}

/* The caller of clone3() stays where it was. */
TEST_F(clone, clone3_leaves_the_parent)
{
	char before[256], after[256];
	int release;
	pid_t pid;

	ASSERT_EQ(node_of(getpid(), before, sizeof(before)), 0);
	pid = spawn_in_new_node('c', CLONE_NEWTASKSET | CLONE_NEWUTS, &release);
	ASSERT_GT(pid, 0);
	ASSERT_EQ(node_of(getpid(), after, sizeof(after)), 0);
	EXPECT_STREQ(before, after);
	release_and_reap(pid, release);
}

/* A node made inside a node is its child. */
TEST_F(clone, nested_under_the_callers_node)
{
	char path[PATH_MAX], node[256];
	int release;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/outer", self->dir);
	ASSERT_EQ(mkdir(path, 0755), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int inner_release;
		pid_t inner;

		if (enter_node(path, getpid()))
			_exit(1);
		inner = spawn_in_new_node('c', CLONE_NEWTASKSET, &inner_release);
		if (inner < 0 || node_of(inner, node, sizeof(node)))
			_exit(2);
		if (strncmp(node, "/outer/clone.", 13))
			_exit(3);
		release_and_reap(inner, inner_release);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &release, 0), pid);
	EXPECT_EQ(release, 0);
	/* Its generated child is deleted, then it may go. */
	EXPECT_EQ(wait_stat(self->dir, "nodes", self->nodes + 1),
		  self->nodes + 1);
	EXPECT_EQ(rmdir(path), 0);
}

/* mkdir cannot take a name of the generated kind. */
TEST_F(clone, generated_names_are_reserved)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/clone.1", self->dir);
	EXPECT_EQ(mkdir(path, 0755), -1);
	EXPECT_EQ(errno, EINVAL);
}

/* One thread unshares: it alone moves, its process is listed there. */
static int thread_ready[2], thread_go[2];

static void *unshare_thread(void *arg)
{
	pid_t tid = gettid();
	char c;

	if (unshare(CLONE_NEWTASKSET))
		tid = -errno;
	if (write(thread_ready[1], &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	if (read(thread_go[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

TEST_F(clone, unshare_by_one_thread)
{
	char node[256], path[PATH_MAX], buf[64], id[32];
	pthread_t thread;
	pid_t tid;

	ASSERT_EQ(pipe(thread_ready), 0);
	ASSERT_EQ(pipe(thread_go), 0);
	ASSERT_EQ(pthread_create(&thread, NULL, unshare_thread, NULL), 0);
	ASSERT_EQ(read(thread_ready[0], &tid, sizeof(tid)), sizeof(tid));
	ASSERT_GT(tid, 0) TH_LOG("unshare: %s", strerror(-tid));
	snprintf(path, sizeof(path), "/proc/%d/task/%d", getpid(), tid);
	ASSERT_GT(read_at(path, "taskset", node, sizeof(node)), 0);
	node[strcspn(node, "\n")] = '\0';
	ASSERT_EQ(strncmp(node, "/clone.", 7), 0);
	snprintf(path, sizeof(path), "%s%s", self->dir, node);
	snprintf(id, sizeof(id), "%d\n", tid);
	ASSERT_GT(read_at(path, "taskset.threads", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, id);
	snprintf(id, sizeof(id), "%d\n", getpid());
	ASSERT_GT(read_at(path, "taskset.procs", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, id);
	/* The rest of the process stays in the root. */
	ASSERT_EQ(node_of(getpid(), buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/");
	ASSERT_EQ(write(thread_go[1], "x", 1), 1);
	ASSERT_EQ(pthread_join(thread, NULL), 0);
	EXPECT_TRUE(wait_gone(path));
}

/*
 * Names come from a counter never reused: cycles of create and exit
 * never meet EEXIST nor a name seen before.
 */
static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/*
 * Each cycle: unshare(CLONE_NEWTASKSET), then back to the root, which
 * empties the node: it is deleted. Without a fork and an exit per cycle,
 * 10,000 of them fit a KASAN guest's time.
 */
TEST_F_TIMEOUT(clone, names_never_reused, 280)
{
	unsigned long long *seen;
	char node[256], id[32];
	int root_procs, i, n;

	seen = calloc(NAME_CYCLES, sizeof(*seen));
	ASSERT_NE(seen, NULL);
	snprintf(node, sizeof(node), "%s/taskset.procs", self->dir);
	root_procs = open(node, O_WRONLY | O_CLOEXEC);
	ASSERT_GE(root_procs, 0);
	snprintf(id, sizeof(id), "%d\n", getpid());
	for (i = 0; i < NAME_CYCLES; i++) {
		ASSERT_EQ(unshare(CLONE_NEWTASKSET), 0) TH_LOG("cycle %d: %m", i);
		ASSERT_EQ(node_of(getpid(), node, sizeof(node)), 0);
		n = sscanf(node, "/clone.%llu", &seen[i]);
		ASSERT_EQ(n, 1) TH_LOG("node %s", node);
		ASSERT_EQ(write(root_procs, id, strlen(id)), strlen(id));
		/* Now and then, let the deletions catch up. */
		if (i % 500 == 499) {
			ASSERT_EQ(wait_stat(self->dir, "nodes", self->nodes),
				  self->nodes);
		}
	}
	close(root_procs);
	qsort(seen, NAME_CYCLES, sizeof(*seen), cmp_ull);
	for (i = 1; i < NAME_CYCLES; i++)
		ASSERT_NE(seen[i - 1], seen[i]);
	free(seen);
	EXPECT_EQ(wait_stat(self->dir, "nodes", self->nodes), self->nodes);
}

/* Without CAP_SYS_ADMIN over the namespaces' owner: EPERM. */
TEST_F(clone, unprivileged_without_user_namespace_refused)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(1);
		if (!unshare(CLONE_NEWTASKSET))
			_exit(2);
		if (errno != EPERM)
			_exit(3);
		if (sys_clone3(CLONE_NEWTASKSET) >= 0 || errno != EPERM)
			_exit(4);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
}

static long read_long(const char *path)
{
	char buf[32];
	long v = -1;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) > 0)
		v = strtol(buf, NULL, 10);
	close(fd);
	return v;
}

static int write_long(const char *path, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld\n", v);
	return write_str("/", path + 1, buf);
}

/*
 * Without privilege, in a user namespace of one's own (or made by the
 * same call): allowed, up to max_tasksets of the initial user namespace
 * for that uid; ENOSPC beyond, as for namespaces.
 */
TEST_F(clone, unprivileged_in_user_namespace_up_to_max_tasksets)
{
	long max;
	int status;
	pid_t pid;

	max = read_long(MAX_TASKSETS);
	ASSERT_GT(max, 0);
	ASSERT_EQ(write_long(MAX_TASKSETS, 3), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int i;

		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(1);
		/* A user namespace made by the same call. */
		if (unshare(CLONE_NEWUSER | CLONE_NEWTASKSET | CLONE_NEWUTS))
			_exit(10 + errno);
		/* Then from inside it, nested, up to the limit. */
		for (i = 1; i < 3; i++)
			if (unshare(CLONE_NEWTASKSET))
				_exit(30 + i);
		if (!unshare(CLONE_NEWTASKSET))
			_exit(40);
		if (errno != ENOSPC)
			_exit(41);
		if (sys_clone3(CLONE_NEWTASKSET) >= 0 || errno != ENOSPC)
			_exit(42);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(write_long(MAX_TASKSETS, max), 0);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
	/* The three nested nodes go, each after its child. */
	EXPECT_EQ(wait_stat(self->dir, "nodes", self->nodes), self->nodes);
}

TEST_HARNESS_MAIN
