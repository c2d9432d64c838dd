// SPDX-License-Identifier: GPL-2.0
/*
 * taskset.kill: SIGKILL to every process of a node's subtree, forks
 * racing with it included; nothing else is touched.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#define WAKE_MS		10000
/* The bomb's bounds: forks per second per process, processes in all. */
#define BOMB_INTERVAL_MS	5
#define BOMB_MAX		300

FIXTURE(kill) {
	char dir[sizeof(MNT_TEMPLATE)];
	char outer[256];
	char inner[256];
	char other[256];
};

FIXTURE_SETUP(kill)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->outer, sizeof(self->outer), "%s/outer", self->dir);
	snprintf(self->inner, sizeof(self->inner), "%s/outer/inner", self->dir);
	snprintf(self->other, sizeof(self->other), "%s/other", self->dir);
	ASSERT_EQ(mkdir(self->outer, 0755), 0);
	ASSERT_EQ(mkdir(self->inner, 0755), 0);
	ASSERT_EQ(mkdir(self->other, 0755), 0);
}

FIXTURE_TEARDOWN(kill)
{
	/* A failed test may leave members behind: none may outlive it. */
	kill_members((const char *[]){ self->outer, self->other }, 2);
	rmdir(self->inner);
	rmdir(self->outer);
	rmdir(self->other);
	tasksetfs_umount_tmp(self->dir);
}

/* A child that sleeps until killed, moved into @node. */
static pid_t sleeper(const char *node)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	if (pid > 0 && node && enter_node(node, pid)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* Reap @pid: true if SIGKILL ended it. */
static bool killed(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	       WTERMSIG(status) == SIGKILL;
}

static bool alive(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) == 0;
}

static long wait_populated(const char *node, long want)
{
	return wait_populated_ms(node, want, WAKE_MS);
}

TEST_F(kill, only_1_is_accepted)
{
	static const char * const bad[] = {
		"", "0", "2", "-1", "1 1", "one", "0x1", "1\n\n", "01", "+1",
		" 1",
	};
	unsigned int i;
	pid_t pid;

	pid = sleeper(self->outer);
	ASSERT_GT(pid, 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(write_str(self->outer, "taskset.kill", bad[i]),
			  -EINVAL) TH_LOG("\"%s\"", bad[i]);
	EXPECT_EQ(write_at(self->outer, "taskset.kill", "1\0", 2), -EINVAL);
	sleep_ms(100);
	EXPECT_TRUE(alive(pid));
	EXPECT_EQ(write_str(self->outer, "taskset.kill", "1\n"), 0);
	EXPECT_TRUE(killed(pid));
}

TEST_F(kill, is_write_only)
{
	char buf[16];

	EXPECT_EQ(read_at(self->outer, "taskset.kill", buf, sizeof(buf)),
		  -EACCES);
}

TEST_F(kill, empty_node)
{
	EXPECT_EQ(write_str(self->outer, "taskset.kill", "1"), 0);
	EXPECT_EQ(read_key(self->outer, "taskset.events", "populated"), 0);
}

/* As every control file, taskset.kill obeys its opener's credentials. */
TEST_F(kill, obeys_its_opener)
{
	char path[PATH_MAX];
	pid_t pid;

	pid = sleeper(self->outer);
	ASSERT_GT(pid, 0);
	snprintf(path, sizeof(path), "%s/taskset.kill", self->outer);
	ASSERT_EQ(chmod(path, 0222), 0);
	EXPECT_EQ(write_as(self->outer, "taskset.kill", "1", NOBODY, 0), -EPERM);
	sleep_ms(100);
	EXPECT_TRUE(alive(pid));

	EXPECT_EQ(write_as(self->outer, "taskset.kill", "1", 0, NOBODY), 0);
	EXPECT_TRUE(killed(pid));
}

/* The subtree's processes die; the others live. */
TEST_F(kill, kills_the_subtree_only)
{
	pid_t a, b, c, d;

	a = sleeper(self->outer);
	b = sleeper(self->inner);
	c = sleeper(self->other);
	d = sleeper(NULL);
	ASSERT_GT(a, 0);
	ASSERT_GT(b, 0);
	ASSERT_GT(c, 0);
	ASSERT_GT(d, 0);
	ASSERT_EQ(write_str(self->outer, "taskset.kill", "1"), 0);
	EXPECT_TRUE(killed(a));
	EXPECT_TRUE(killed(b));
	EXPECT_EQ(wait_populated(self->outer, 0), 0);
	EXPECT_TRUE(alive(c));
	EXPECT_TRUE(alive(d));
	kill(c, SIGKILL);
	kill(d, SIGKILL);
	EXPECT_TRUE(killed(c));
	EXPECT_TRUE(killed(d));
}

/* A process with one thread in the node is killed whole. */
static int tid_pipe[2];

static void *report_tid_and_sleep(void *arg)
{
	pid_t tid = gettid();

	if (write(tid_pipe[1], &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	for (;;)
		pause();
	return NULL;
}

TEST_F(kill, a_thread_in_the_subtree_kills_its_process)
{
	pthread_t thread;
	char buf[32];
	pid_t pid, tid;

	ASSERT_EQ(pipe(tid_pipe), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (pthread_create(&thread, NULL, report_tid_and_sleep, NULL))
			_exit(1);
		for (;;)
			pause();
	}
	ASSERT_EQ(read(tid_pipe[0], &tid, sizeof(tid)), sizeof(tid));
	ASSERT_NE(tid, pid);
	snprintf(buf, sizeof(buf), "%d\n", tid);
	ASSERT_EQ(write_str(self->inner, "taskset.threads", buf), 0);
	ASSERT_EQ(write_str(self->outer, "taskset.kill", "1"), 0);
	EXPECT_TRUE(killed(pid));
}

/*
 * A bounded fork bomb in the node: every process forks a child every
 * BOMB_INTERVAL_MS, up to BOMB_MAX in all. The kill leaves none alive,
 * including those forked while it ran.
 */
TEST_F_TIMEOUT(kill, fork_bomb, 120)
{
	atomic_int *forked;
	int ready[2];
	pid_t bomb;
	char c;

	forked = mmap(NULL, sizeof(*forked), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(forked, MAP_FAILED);
	atomic_init(forked, 1);
	/* Orphans come back to us, to be reaped. */
	ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ASSERT_EQ(pipe(ready), 0);
	bomb = fork();
	ASSERT_GE(bomb, 0);
	if (bomb == 0) {
		if (read(ready[0], &c, 1) != 1)
			_exit(1);
		for (;;) {
			if (atomic_fetch_add(forked, 1) < BOMB_MAX)
				fork();
			sleep_ms(BOMB_INTERVAL_MS);
		}
	}
	ASSERT_EQ(enter_node(self->outer, bomb), 0);
	ASSERT_EQ(write(ready[1], "x", 1), 1);
	/* Until half of them exist: the kill races with the rest. */
	while (atomic_load(forked) < BOMB_MAX / 2)
		sleep_ms(1);
	ASSERT_EQ(write_str(self->outer, "taskset.kill", "1"), 0);
	EXPECT_EQ(wait_populated(self->outer, 0), 0);
	/* Everything forked was killed: all are reaped, none alive. */
	while (waitpid(-1, NULL, 0) > 0)
		;
	EXPECT_EQ(errno, ECHILD);
	EXPECT_EQ(read_key(self->outer, "taskset.events", "populated"), 0);
	TH_LOG("%d forks attempted", atomic_load(forked) - 1);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

/* More threads than the kill's walk looks at between two pauses. */
#define FILLER_THREADS	1100

static void *pause_thread(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

/* A child outside the nodes with FILLER_THREADS threads that pause. */
static pid_t filler(void)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		pthread_attr_t attr;
		pthread_t thread;
		int i;

		/* Outlives no failed test. */
		alarm(100);
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
		for (i = 1; i < FILLER_THREADS; i++)
			if (pthread_create(&thread, &attr, pause_thread, NULL))
				_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (pid > 0 && read(ready[0], &c, 1) != 1) {
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(ready[0]);
	return pid;
}

/*
 * The walk pauses between processes every so many threads and goes on
 * from where it stopped: members on both sides of a process with more
 * threads than that are all killed, and the process between them is not.
 */
TEST_F_TIMEOUT(kill, reaches_members_past_a_pause_of_the_walk, 120)
{
	pid_t before, big, after;

	before = sleeper(self->inner);
	ASSERT_GT(before, 0);
	big = filler();
	ASSERT_GT(big, 0);
	after = sleeper(self->outer);
	ASSERT_GT(after, 0);
	ASSERT_EQ(write_str(self->outer, "taskset.kill", "1"), 0);
	EXPECT_TRUE(killed(before));
	EXPECT_TRUE(killed(after));
	EXPECT_EQ(wait_populated(self->outer, 0), 0);
	EXPECT_TRUE(alive(big));
	kill(big, SIGKILL);
	waitpid(big, NULL, 0);
}

TEST_HARNESS_MAIN
