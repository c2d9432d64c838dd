// SPDX-License-Identifier: GPL-2.0
/*
 * When a node empties: taskset.on_empty (ignore, notify, delete) and
 * taskset.events (populated, emptied), with its poll(2) and inotify
 * wake-ups; the exactness of populated through fork, exit, exec, setns
 * and threads; deletion and its races with moves.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

/* Long enough for any wake-up to come, in a slow (KASAN) guest. */
#define WAKE_MS		5000
/* How long a wake-up that must not come is waited for. */
#define QUIET_MS	300
/* How long a node that must stay is watched. */
#define STAY_MS		500
#define RACES		1000

FIXTURE(empty) {
	char dir[sizeof(MNT_TEMPLATE)];
	char web[256];
	char outer[256];
	char inner[256];
	long nodes, namespaces;
};

FIXTURE_SETUP(empty)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->web, sizeof(self->web), "%s/web", self->dir);
	snprintf(self->outer, sizeof(self->outer), "%s/outer", self->dir);
	snprintf(self->inner, sizeof(self->inner), "%s/outer/inner", self->dir);
	self->nodes = read_key(self->dir, "taskset.stat", "nodes");
	self->namespaces = read_key(self->dir, "taskset.stat", "namespaces");
	ASSERT_EQ(mkdir(self->web, 0755), 0);
	ASSERT_EQ(mkdir(self->outer, 0755), 0);
	ASSERT_EQ(mkdir(self->inner, 0755), 0);
}

FIXTURE_TEARDOWN(empty)
{
	/* A failed test may leave members behind: none may outlive it. */
	kill_members((const char *[]){ self->outer, self->web }, 2);
	rmdir(self->web);
	rmdir(self->inner);
	rmdir(self->outer);
	tasksetfs_umount_tmp(self->dir);
}

/* A child that exits once its release pipe is closed or written. */
struct member {
	pid_t pid;
	int release;
};

/* Fork a child that waits for its release; move it into @node if set. */
static int spawn(struct member *m, const char *node)
{
	int fds[2];
	char c;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	m->pid = fork();
	if (m->pid < 0)
		return -errno;
	if (m->pid == 0) {
		close(fds[1]);
		if (read(fds[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[0]);
	m->release = fds[1];
	return node ? enter_node(node, m->pid) : 0;
}

/*
 * Let the member exit; it stays a zombie until reaped. A byte rather
 * than the pipe's end: other children may hold the write side.
 */
static void release(struct member *m)
{
	if (write(m->release, "x", 1) != 1)
		kill(m->pid, SIGKILL);
	close(m->release);
}

static int reap(struct member *m)
{
	int status;

	if (waitpid(m->pid, &status, 0) != m->pid)
		return -1;
	return status;
}

static long populated(const char *node)
{
	return read_key(node, "taskset.events", "populated");
}

static long emptied(const char *node)
{
	return read_key(node, "taskset.events", "emptied");
}

static long wait_populated(const char *node, long want)
{
	return wait_populated_ms(node, want, WAKE_MS);
}

static bool wait_gone(const char *path)
{
	return wait_gone_ms(path, WAKE_MS);
}

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* Open @node's taskset.events and read it, as a poller does first. */
static int open_events(const char *node)
{
	char path[PATH_MAX], buf[256];
	int fd;

	snprintf(path, sizeof(path), "%s/taskset.events", node);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && read(fd, buf, sizeof(buf)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* poll(2) @fd for POLLPRI: its revents, 0 on timeout, -1 on error. */
static int poll_pri(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLPRI };
	int n = poll(&pfd, 1, ms);

	return n > 0 ? pfd.revents : n;
}

TEST_F(empty, on_empty_is_ignore_notify_or_delete)
{
	static const char * const bad[] = {
		"", "\n", "Delete", "delete now", "remove", "notify\n\n", " ignore",
	};
	char buf[64];
	unsigned int i;

	ASSERT_GT(read_at(self->web, "taskset.on_empty", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "ignore\n");
	ASSERT_EQ(write_str(self->web, "taskset.on_empty", "notify\n"), 0);
	ASSERT_GT(read_at(self->web, "taskset.on_empty", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "notify\n");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(write_str(self->web, "taskset.on_empty", bad[i]),
			  -EINVAL) TH_LOG("\"%s\"", bad[i]);
		ASSERT_GT(read_at(self->web, "taskset.on_empty", buf,
				  sizeof(buf)), 0);
		EXPECT_STREQ(buf, "notify\n");
	}
	EXPECT_EQ(write_at(self->web, "taskset.on_empty", "delete\0x", 8),
		  -EINVAL);
	ASSERT_EQ(write_str(self->web, "taskset.on_empty", "ignore"), 0);
	ASSERT_GT(read_at(self->web, "taskset.on_empty", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "ignore\n");
	EXPECT_TRUE(exists(self->web));
}

/*
 * The opener's credentials decide: a file opened by nobody changes
 * nothing even when root writes it; one opened by root and handed to
 * nobody does.
 */
TEST_F(empty, on_empty_obeys_its_opener)
{
	char path[PATH_MAX], buf[64];

	snprintf(path, sizeof(path), "%s/taskset.on_empty", self->web);
	ASSERT_EQ(chmod(path, 0666), 0);
	EXPECT_EQ(write_as(self->web, "taskset.on_empty", "notify", NOBODY, 0),
		  -EPERM);
	ASSERT_GT(read_at(self->web, "taskset.on_empty", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "ignore\n");

	EXPECT_EQ(write_as(self->web, "taskset.on_empty", "notify", 0, NOBODY),
		  0);
	ASSERT_GT(read_at(self->web, "taskset.on_empty", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "notify\n");
}

TEST_F(empty, root_has_no_empty_action)
{
	char buf[64];

	EXPECT_EQ(read_at(self->dir, "taskset.on_empty", buf, sizeof(buf)),
		  -ENOENT);
	EXPECT_EQ(read_at(self->dir, "taskset.events", buf, sizeof(buf)),
		  -ENOENT);
	EXPECT_EQ(write_str(self->dir, "taskset.kill", "1"), -ENOENT);
}

TEST_F(empty, events_of_a_new_node)
{
	char buf[64];

	ASSERT_GT(read_at(self->web, "taskset.events", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "populated 0\nemptied 0\n");
	EXPECT_EQ(write_str(self->web, "taskset.events", "populated 1"),
		  -EACCES);
}

/*
 * Each action, with a single task, a multithreaded process and nested
 * nodes, set while the node is populated. Set before the first member,
 * "delete" is tested on its own (delete_set_before_the_first_member).
 */
FIXTURE(action) {
	char dir[sizeof(MNT_TEMPLATE)];
	char node[256];
	char inner[256];
	long nodes;
};

FIXTURE_VARIANT(action) {
	const char *on_empty;
};

FIXTURE_VARIANT_ADD(action, ignore) {
	.on_empty = "ignore",
};

FIXTURE_VARIANT_ADD(action, notify) {
	.on_empty = "notify",
};

FIXTURE_VARIANT_ADD(action, delete) {
	.on_empty = "delete",
};

FIXTURE_SETUP(action)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->node, sizeof(self->node), "%s/node", self->dir);
	snprintf(self->inner, sizeof(self->inner), "%s/node/inner", self->dir);
	self->nodes = read_key(self->dir, "taskset.stat", "nodes");
	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_EQ(mkdir(self->inner, 0755), 0);
}

FIXTURE_TEARDOWN(action)
{
	kill_members((const char *[]){ self->node }, 1);
	rmdir(self->inner);
	rmdir(self->node);
	tasksetfs_umount_tmp(self->dir);
}

/* Set @node's action and watch its events: the fd, polled later. */
static int watch(const char *node, const char *action)
{
	if (write_str(node, "taskset.on_empty", action))
		return -1;
	return open_events(node);
}

/* @node, watched through @fd, has members still: nothing happened. */
static void expect_populated(struct __test_metadata *_metadata,
			     const char *node, int fd)
{
	EXPECT_TRUE(exists(node));
	EXPECT_EQ(populated(node), 1);
	EXPECT_EQ(emptied(node), 0);
	EXPECT_EQ(poll_pri(fd, 0), 0);
}

/* @node, watched through @fd, emptied: its action happened, once. */
static void expect_emptied(struct __test_metadata *_metadata,
			   const char *node, const char *action, int fd)
{
	char buf[64];
	bool notify;

	if (!strcmp(action, "delete")) {
		/* Woken when it empties, and again when it is removed. */
		EXPECT_TRUE(poll_pri(fd, WAKE_MS) & POLLPRI);
		if (pread(fd, buf, sizeof(buf), 0) >= 0)
			EXPECT_TRUE(poll_pri(fd, WAKE_MS) & POLLPRI);
		EXPECT_EQ(pread(fd, buf, sizeof(buf), 0), -1);
		EXPECT_EQ(errno, ENODEV);
		EXPECT_TRUE(wait_gone(node));
		close(fd);
		return;
	}
	EXPECT_EQ(wait_populated(node, 0), 0);
	EXPECT_EQ(emptied(node), 1);
	/* Only "notify" wakes its watchers. */
	notify = !strcmp(action, "notify");
	EXPECT_EQ(!!(poll_pri(fd, notify ? WAKE_MS : QUIET_MS) & POLLPRI),
		  notify);
	EXPECT_TRUE(exists(node));
	close(fd);
}

/* The member's exit empties the node: a zombie is no member. */
TEST_F(action, single_task)
{
	struct member m;
	siginfo_t info;
	int fd;

	ASSERT_EQ(spawn(&m, self->inner), 0);
	fd = watch(self->inner, variant->on_empty);
	ASSERT_GE(fd, 0);
	expect_populated(_metadata, self->inner, fd);
	release(&m);
	expect_emptied(_metadata, self->inner, variant->on_empty, fd);
	/* Emptied before anyone reaped it: a zombie now, still no member. */
	ASSERT_EQ(waitid(P_PID, m.pid, &info, WEXITED | WNOWAIT), 0);
	if (exists(self->inner))
		EXPECT_EQ(populated(self->inner), 0);
	EXPECT_EQ(reap(&m), 0);
}

static int thread_release[2];

static void *wait_release(void *arg)
{
	char c;

	if (read(thread_release[0], &c, 1) < 0)
		return NULL;
	syscall(SYS_exit, 0);
	return NULL;
}

/* Is thread @tid of @pid a zombie (its leader waiting for the group)? */
static bool thread_is_zombie(pid_t pid, pid_t tid)
{
	char path[96], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/task/%d", pid, tid);
	if (read_at(path, "stat", buf, sizeof(buf)) < 0)
		return false;
	p = strrchr(buf, ')');
	return p && p[2] == 'Z';
}

/* The node empties with the last thread's exit, not the leader's. */
TEST_F(action, last_thread_empties)
{
	int ready[2], go_leader[2], fd, i;
	pthread_t thread;
	pid_t pid;
	char c;

	ASSERT_EQ(pipe(ready), 0);
	ASSERT_EQ(pipe(go_leader), 0);
	ASSERT_EQ(pipe(thread_release), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (pthread_create(&thread, NULL, wait_release, NULL) ||
		    write(ready[1], "x", 1) != 1 ||
		    read(go_leader[0], &c, 1) != 1)
			_exit(1);
		syscall(SYS_exit, 0);	/* the leader alone */
	}
	ASSERT_EQ(read(ready[0], &c, 1), 1);
	ASSERT_EQ(enter_node(self->inner, pid), 0);
	fd = watch(self->inner, variant->on_empty);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(write(go_leader[1], "x", 1), 1);
	for (i = 0; i < WAKE_MS / 10 && !thread_is_zombie(pid, pid); i++)
		sleep_ms(10);
	ASSERT_TRUE(thread_is_zombie(pid, pid));
	expect_populated(_metadata, self->inner, fd);
	ASSERT_EQ(write(thread_release[1], "x", 1), 1);
	expect_emptied(_metadata, self->inner, variant->on_empty, fd);
	EXPECT_EQ(waitpid(pid, NULL, 0), pid);
}

/*
 * A member of the child keeps the parent populated: the parent empties
 * with its own last member once the child's is gone, and with the
 * child's last member when it has none of its own.
 */
TEST_F(action, nested_nodes)
{
	int outer_fd, inner_fd;
	struct member a, b;

	ASSERT_EQ(spawn(&a, self->inner), 0);
	ASSERT_EQ(spawn(&b, self->node), 0);
	outer_fd = watch(self->node, variant->on_empty);
	inner_fd = watch(self->inner, variant->on_empty);
	ASSERT_GE(outer_fd, 0);
	ASSERT_GE(inner_fd, 0);
	release(&a);
	expect_emptied(_metadata, self->inner, variant->on_empty, inner_fd);
	expect_populated(_metadata, self->node, outer_fd);
	release(&b);
	expect_emptied(_metadata, self->node, variant->on_empty, outer_fd);
	reap(&a);
	reap(&b);
}

TEST_F(action, emptied_by_a_descendant)
{
	struct member m;
	int fd;

	ASSERT_EQ(spawn(&m, self->inner), 0);
	fd = watch(self->node, variant->on_empty);
	ASSERT_GE(fd, 0);
	expect_populated(_metadata, self->node, fd);
	/* A child that stays keeps its parent: delete both. */
	if (!strcmp(variant->on_empty, "delete")) {
		ASSERT_EQ(write_str(self->inner, "taskset.on_empty", "delete"),
			  0);
	}
	release(&m);
	expect_emptied(_metadata, self->node, variant->on_empty, fd);
	reap(&m);
	/* The nodes removed are counted out. */
	if (!strcmp(variant->on_empty, "delete")) {
		EXPECT_EQ(wait_stat(self->dir, "nodes", self->nodes),
			  self->nodes);
	}
}

/* A move between nested nodes never shows the outer node empty. */
TEST_F(empty, move_between_nested_nodes)
{
	struct member a;

	ASSERT_EQ(spawn(&a, self->inner), 0);
	ASSERT_EQ(enter_node(self->outer, a.pid), 0);
	ASSERT_EQ(enter_node(self->inner, a.pid), 0);
	EXPECT_EQ(emptied(self->outer), 0);
	EXPECT_EQ(emptied(self->inner), 1);
	release(&a);
	EXPECT_EQ(wait_populated(self->outer, 0), 0);
	EXPECT_EQ(emptied(self->outer), 1);
	EXPECT_EQ(emptied(self->inner), 2);
	reap(&a);
}

/*
 * Forks, exits, setns(2), unshare(2) and exec(2) of a member keep the
 * node populated throughout: it never looks empty until the member
 * leaves.
 */
TEST_F(empty, populated_exact_through_fork_setns_exec)
{
	int ready[2], go[2];
	pid_t pid;
	char c;

	ASSERT_EQ(pipe(ready), 0);
	ASSERT_EQ(pipe(go), 0);
	ASSERT_EQ(write_str(self->web, "taskset.facets", "+uts"), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int i, uts;

		close(go[1]);
		close(ready[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		for (i = 0; i < 20; i++) {
			pid_t kid = fork();

			if (kid == 0)
				_exit(0);
			if (kid < 0 || waitpid(kid, NULL, 0) != kid)
				_exit(2);
		}
		uts = open_ns_of(1, "uts");
		if (uts < 0 || setns(uts, CLONE_NEWUTS) || unshare(CLONE_NEWUTS))
			_exit(3);
		/* A shell that waits for the go pipe's end, then exits. */
		dup2(go[0], 0);
		dup2(ready[1], 1);
		execl("/bin/sh", "sh", "-c", "echo x; read x", NULL);
		_exit(4);
	}
	close(ready[1]);
	ASSERT_EQ(enter_node(self->web, pid), 0);
	ASSERT_EQ(write(go[1], "x", 1), 1);
	ASSERT_EQ(read(ready[0], &c, 1), 1);
	EXPECT_EQ(populated(self->web), 1);
	EXPECT_EQ(emptied(self->web), 0);
	close(go[1]);
	EXPECT_EQ(wait_populated(self->web, 0), 0);
	EXPECT_EQ(emptied(self->web), 1);
	ASSERT_EQ(waitpid(pid, NULL, 0), pid);
}

TEST_F(empty, notify_wakes_poll)
{
	struct member m;
	char buf[64];
	int fd;

	ASSERT_EQ(write_str(self->web, "taskset.on_empty", "notify"), 0);
	ASSERT_EQ(spawn(&m, self->web), 0);
	fd = open_events(self->web);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(poll_pri(fd, 0), 0);
	release(&m);
	EXPECT_TRUE(poll_pri(fd, WAKE_MS) & POLLPRI);
	EXPECT_EQ(populated(self->web), 0);
	/* A member moved in wakes it too. */
	reap(&m);
	ASSERT_GT(pread(fd, buf, sizeof(buf), 0), 0);
	ASSERT_EQ(spawn(&m, self->web), 0);
	EXPECT_TRUE(poll_pri(fd, WAKE_MS) & POLLPRI);
	EXPECT_EQ(populated(self->web), 1);
	release(&m);
	reap(&m);
	close(fd);
}

TEST_F(empty, notify_wakes_inotify)
{
	char path[PATH_MAX], buf[4096];
	struct inotify_event *ev = (void *)buf;
	struct member m;
	int in;

	ASSERT_EQ(write_str(self->web, "taskset.on_empty", "notify"), 0);
	in = inotify_init1(IN_CLOEXEC);
	ASSERT_GE(in, 0);
	snprintf(path, sizeof(path), "%s/taskset.events", self->web);
	ASSERT_GE(inotify_add_watch(in, path, IN_MODIFY), 0);
	/*
	 * The event of populated 1 comes from a work item, maybe after
	 * spawn() returns: read it first, so that the next is the emptying.
	 */
	ASSERT_EQ(spawn(&m, self->web), 0);
	ASSERT_EQ(poll(&(struct pollfd){ .fd = in, .events = POLLIN }, 1,
		       WAKE_MS), 1);
	ASSERT_GT(read(in, buf, sizeof(buf)), 0);
	EXPECT_TRUE(ev->mask & IN_MODIFY);
	EXPECT_EQ(populated(self->web), 1);
	release(&m);
	ASSERT_EQ(poll(&(struct pollfd){ .fd = in, .events = POLLIN }, 1,
		       WAKE_MS), 1);
	ASSERT_GT(read(in, buf, sizeof(buf)), 0);
	EXPECT_TRUE(ev->mask & IN_MODIFY);
	EXPECT_EQ(populated(self->web), 0);
	reap(&m);
	close(in);
}

/* Many changes within the interval are notified, the last one included. */
TEST_F(empty, notifications_are_rate_limited_not_lost)
{
	struct member m;
	int fd, i;

	ASSERT_EQ(write_str(self->web, "taskset.on_empty", "notify"), 0);
	fd = open_events(self->web);
	ASSERT_GE(fd, 0);
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(spawn(&m, self->web), 0);
		release(&m);
		reap(&m);
	}
	EXPECT_TRUE(poll_pri(fd, WAKE_MS) & POLLPRI);
	EXPECT_EQ(populated(self->web), 0);
	EXPECT_EQ(emptied(self->web), 20);
	close(fd);
}

/* The namespaces only the deleted node held go with it. */
TEST_F(empty, delete_frees_the_namespaces)
{
	char buf[16384], ino[32];
	unsigned long uts;
	struct member m;

	ASSERT_EQ(write_str(self->web, "taskset.facets", "+uts +ipc"), 0);
	uts = node_ns_ino(self->web, "uts");
	ASSERT_NE(uts, 0);
	ASSERT_EQ(spawn(&m, self->web), 0);
	ASSERT_EQ(write_str(self->web, "taskset.on_empty", "delete"), 0);
	snprintf(ino, sizeof(ino), "uts %lu ", uts);
	ASSERT_GT(read_namespaces(self->dir, buf, sizeof(buf)), 0);
	ASSERT_NE(strstr(buf, ino), NULL);
	release(&m);
	reap(&m);
	ASSERT_TRUE(wait_gone(self->web));
	EXPECT_EQ(wait_stat(self->dir, "namespaces", self->namespaces),
		  self->namespaces);
	ASSERT_GT(read_namespaces(self->dir, buf, sizeof(buf)), 0);
	EXPECT_EQ(strstr(buf, ino), NULL);
}

/* Set before the first member, "delete" waits for it to leave. */
TEST_F(empty, delete_set_before_the_first_member)
{
	struct member m;

	ASSERT_EQ(write_str(self->web, "taskset.on_empty", "delete"), 0);
	sleep_ms(STAY_MS);
	ASSERT_TRUE(exists(self->web));
	ASSERT_EQ(spawn(&m, self->web), 0);
	EXPECT_EQ(populated(self->web), 1);
	release(&m);
	EXPECT_EQ(reap(&m), 0);
	EXPECT_TRUE(wait_gone(self->web));
}

/* Set after the last member left, "delete" removes the node at once. */
TEST_F(empty, delete_set_after_the_last_member_left)
{
	struct member m;

	ASSERT_EQ(spawn(&m, self->web), 0);
	release(&m);
	EXPECT_EQ(reap(&m), 0);
	ASSERT_EQ(wait_populated(self->web, 0), 0);
	ASSERT_EQ(emptied(self->web), 1);
	ASSERT_EQ(write_str(self->web, "taskset.on_empty", "delete"), 0);
	EXPECT_TRUE(wait_gone(self->web));
}

/*
 * A node that never had a member is not removed by "delete": neither when
 * it is written nor when the node's last child goes.
 */
TEST_F(empty, delete_leaves_a_never_entered_node)
{
	char buf[64];

	ASSERT_EQ(write_str(self->web, "taskset.on_empty", "delete"), 0);
	ASSERT_EQ(write_str(self->outer, "taskset.on_empty", "delete"), 0);
	ASSERT_EQ(rmdir(self->inner), 0);
	sleep_ms(STAY_MS);
	EXPECT_TRUE(exists(self->web));
	EXPECT_TRUE(exists(self->outer));
	ASSERT_GT(read_at(self->web, "taskset.events", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "populated 0\nemptied 0\n");
	/* rmdir still removes it. */
	EXPECT_EQ(rmdir(self->web), 0);
}

/*
 * Emptied by a child's member, a node set to "delete" stays while it has
 * a child, and goes with its last child.
 */
TEST_F(empty, delete_waits_for_the_last_child)
{
	struct member m;

	ASSERT_EQ(spawn(&m, self->inner), 0);
	release(&m);
	EXPECT_EQ(reap(&m), 0);
	ASSERT_EQ(wait_populated(self->outer, 0), 0);
	ASSERT_EQ(write_str(self->outer, "taskset.on_empty", "delete"), 0);
	sleep_ms(QUIET_MS);
	EXPECT_TRUE(exists(self->outer));
	ASSERT_EQ(rmdir(self->inner), 0);
	EXPECT_TRUE(wait_gone(self->outer));
}

/*
 * A node prepared for a job, "+uts" and "delete" set before any member:
 * a job cloned into it (CLONE_INTO_TASKSET) runs there, in its uts
 * namespace, and the node goes once the job exits.
 */
TEST_F(empty, delete_prepared_node_of_a_cloned_job)
{
	unsigned long uts;
	int fd, go[2], status;
	pid_t pid;
	char c;

	ASSERT_EQ(write_str(self->web, "taskset.facets", "+uts"), 0);
	ASSERT_EQ(write_str(self->web, "uts.hostname", "job"), 0);
	uts = node_ns_ino(self->web, "uts");
	ASSERT_NE(uts, 0);
	ASSERT_EQ(write_str(self->web, "taskset.on_empty", "delete"), 0);
	fd = open(self->web, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(pipe(go), 0);
	pid = clone3_into_node(fd, 0, 0);
	ASSERT_GE(pid, 0) TH_LOG("%m: clone3");
	if (pid == 0) {
		char buf[256];
		struct stat st;

		close(go[1]);
		if (read_at("/proc/self", "taskset", buf, sizeof(buf)) < 0 ||
		    strcmp(buf, "/web\n"))
			_exit(1);
		if (stat("/proc/self/ns/uts", &st) || st.st_ino != uts ||
		    gethostname(buf, sizeof(buf)) || strcmp(buf, "job"))
			_exit(2);
		_exit(read(go[0], &c, 1) == 0 ? 0 : 3);
	}
	close(go[0]);
	close(fd);
	EXPECT_EQ(populated(self->web), 1);
	close(go[1]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("job status %#x", status);
	EXPECT_TRUE(wait_gone(self->web));
}

/* An emptied child deleted, its parent set to delete follows. */
TEST_F(empty, delete_climbs_to_the_parent)
{
	struct member m;

	ASSERT_EQ(spawn(&m, self->inner), 0);
	ASSERT_EQ(write_str(self->outer, "taskset.on_empty", "delete"), 0);
	ASSERT_EQ(write_str(self->inner, "taskset.on_empty", "delete"), 0);
	release(&m);
	EXPECT_TRUE(wait_gone(self->inner));
	EXPECT_TRUE(wait_gone(self->outer));
	reap(&m);
}

/* Set back to ignore before it empties, the node stays. */
TEST_F(empty, ignore_cancels_delete)
{
	struct member m;

	ASSERT_EQ(spawn(&m, self->web), 0);
	ASSERT_EQ(write_str(self->web, "taskset.on_empty", "delete"), 0);
	ASSERT_EQ(write_str(self->web, "taskset.on_empty", "ignore"), 0);
	release(&m);
	reap(&m);
	EXPECT_EQ(wait_populated(self->web, 0), 0);
	sleep_ms(QUIET_MS);
	EXPECT_TRUE(exists(self->web));
}

/* The node path /proc/@pid/taskset shows. */
static int node_of(pid_t pid, char *buf, size_t size)
{
	char dir[32];

	snprintf(dir, sizeof(dir), "/proc/%d", pid);
	return read_at(dir, "taskset", buf, size) < 0 ? -1 : 0;
}

/*
 * A move into a node whose last member is dying, with "delete": the move
 * wins (the node stays, populated, with the task) or fails (the node is
 * gone, the task stayed where it was); never a task in a removed node.
 */
TEST_F_TIMEOUT(empty, delete_races_with_a_move, 240)
{
	int won = 0, lost = 0, i;
	struct member a, b;
	char buf[256];

	ASSERT_EQ(spawn(&b, NULL), 0);
	for (i = 0; i < RACES; i++) {
		int ret;

		if (!exists(self->web))
			ASSERT_EQ(mkdir(self->web, 0755), 0);
		ASSERT_EQ(spawn(&a, self->web), 0);
		ASSERT_EQ(write_str(self->web, "taskset.on_empty", "delete"), 0);
		ASSERT_EQ(kill(a.pid, SIGKILL), 0);
		/* Racing in at different moments; the last one loses. */
		if (i % 4 == 1)
			sched_yield();
		if (i % 4 >= 2)
			reap(&a);
		if (i % 4 == 3)
			ASSERT_TRUE(wait_gone(self->web));
		ret = enter_node(self->web, b.pid);
		ASSERT_EQ(node_of(b.pid, buf, sizeof(buf)), 0);
		if (!ret) {
			won++;
			ASSERT_STREQ(buf, "/web\n");
			ASSERT_TRUE(exists(self->web));
			ASSERT_EQ(populated(self->web), 1);
			ASSERT_EQ(enter_node(self->dir, b.pid), 0);
		} else {
			lost++;
			ASSERT_TRUE(ret == -ENOENT || ret == -ENODEV)
				TH_LOG("move: %s", strerror(-ret));
			ASSERT_STREQ(buf, "/\n");
		}
		ASSERT_TRUE(wait_gone(self->web));
		if (i % 4 < 2)
			reap(&a);
		close(a.release);
	}
	TH_LOG("%d moves won, %d lost", won, lost);
	EXPECT_GT(won, 0);
	EXPECT_GT(lost, 0);
	kill(b.pid, SIGKILL);
	reap(&b);
	EXPECT_EQ(wait_stat(self->dir, "nodes", self->nodes + 2),
		  self->nodes + 2);
	EXPECT_EQ(wait_stat(self->dir, "namespaces", self->namespaces),
		  self->namespaces);
}

TEST_HARNESS_MAIN
