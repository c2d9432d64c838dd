// SPDX-License-Identifier: GPL-2.0
/*
 * A write of taskset.procs or taskset.threads never waits on a task that
 * waits on the writer: another thread of the writer's process blocked on
 * the same open file, two writers that move each other, a vfork child
 * moving the process that waits for it, a target that stops or is
 * traced after the writer looked at it; nor does a writer that retries
 * outlive its SIGKILL. Every party runs under alarm():
 * a write that hangs fails its test in seconds instead of stalling the
 * run, and leaves no process behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

/* Every write below returns well within this, or the party dies. */
#define GUARD_S		5

/*
 * The nodes are named after the test's pid: one that a hanging write of a
 * broken kernel keeps does not fail the tests that follow.
 */
FIXTURE(attach_wait) {
	char dir[sizeof(MNT_TEMPLATE)];
	char web_path[32];
	char db_path[32];
	char web[256];
	char db[256];
	pid_t kids[4];
	int nr_kids;
	bool delay;
};

FIXTURE_SETUP(attach_wait)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->web_path, sizeof(self->web_path), "/web%d", getpid());
	snprintf(self->db_path, sizeof(self->db_path), "/db%d", getpid());
	snprintf(self->web, sizeof(self->web), "%s%s", self->dir,
		 self->web_path);
	snprintf(self->db, sizeof(self->db), "%s%s", self->dir,
		 self->db_path);
	ASSERT_EQ(mkdir(self->web, 0755), 0);
	ASSERT_EQ(mkdir(self->db, 0755), 0);
	ASSERT_EQ(write_str(self->web, "taskset.facets", "+uts"), 0);
	ASSERT_EQ(write_str(self->db, "taskset.facets", "+uts"), 0);
}

FIXTURE_TEARDOWN(attach_wait)
{
	int i;

	if (self->delay) {
		set_move_delay_ms(0);
		set_mark_delay_ms(0);
	}
	for (i = 0; i < self->nr_kids; i++) {
		kill(self->kids[i], SIGKILL);
		waitpid(self->kids[i], NULL, 0);
	}
	rmdir(self->web);
	rmdir(self->db);
	tasksetfs_umount_tmp(self->dir);
}

/* Write "@pid\n" to the open file @fd: 0, or -errno. */
static int move_fd(int fd, pid_t pid)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%d\n", pid);

	return write(fd, buf, len) == len ? 0 : -errno;
}

/* Is @pid's thread @tid in the node at @path (as /proc shows it)? */
static bool thread_in_node(pid_t pid, pid_t tid, const char *path)
{
	char dir[64], buf[256];

	snprintf(dir, sizeof(dir), "/proc/%d/task/%d", pid, tid);
	return read_at(dir, "taskset", buf, sizeof(buf)) > 0 &&
	       !strncmp(buf, path, strlen(path)) && buf[strlen(path)] == '\n';
}

static bool in_node(pid_t pid, const char *path)
{
	return thread_in_node(pid, pid, path);
}

/* A child that pauses until killed, under the guard too. */
static pid_t pauser(struct _test_data_attach_wait *self)
{
	pid_t pid = fork();

	if (!pid) {
		alarm(4 * GUARD_S);
		for (;;)
			pause();
	}
	if (pid > 0)
		self->kids[self->nr_kids++] = pid;
	return pid;
}

struct reader {
	int fds[2];
	atomic_int stop;
	atomic_long reads;
	pid_t tid;
};

/* Read both open files over and over, as a monitor thread would. */
static void *read_loop(void *arg)
{
	struct reader *r = arg;
	char buf[4096];
	int i = 0;

	r->tid = syscall(SYS_gettid);
	while (!atomic_load(&r->stop)) {
		int fd = r->fds[i++ & 1];

		if (lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, sizeof(buf)) >= 0)
			atomic_fetch_add(&r->reads, 1);
	}
	return NULL;
}

/*
 * Move the calling process into @nodes[0], then @nodes[1], ..., through
 * open files of their taskset.procs that a second thread keeps reading,
 * under the guard: 0 if every write worked and both threads are in the
 * last node, else the step that failed.
 */
static int self_moves_while_read(char (*nodes)[256], int nr)
{
	struct reader r = { .fds = { -1, -1 } };
	char path[300], *last;
	pthread_t t;
	int i, ret = 0;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/taskset.procs", nodes[i]);
		r.fds[i] = open(path, O_RDWR);
		if (r.fds[i] < 0)
			return 100;
	}
	if (pthread_create(&t, NULL, read_loop, &r))
		return 101;
	while (!atomic_load(&r.reads))
		sched_yield();
	alarm(GUARD_S);
	for (i = 0; i < nr && !ret; i++)
		if (move_fd(r.fds[i & 1], getpid()))
			ret = 1 + i;
	alarm(0);
	last = strrchr(nodes[(nr - 1) & 1], '/');
	if (!ret && !thread_in_node(getpid(), r.tid, last))
		ret = 102;
	atomic_store(&r.stop, 1);
	pthread_join(t, NULL);
	return ret;
}

/*
 * Thread A moves its own process through the open files a second thread
 * keeps reading: the reader sleeps on the file's locks that A holds for
 * its write (the write pauses after marking the threads, so that it
 * does), and A's move needs the reader's switch.
 */
TEST_F_TIMEOUT(attach_wait, self_move_through_a_file_another_thread_reads, 120)
{
	char nodes[2][256];
	int status;
	pid_t pid;

	if (set_move_delay_ms(100))
		SKIP(return, "no move_delay_ms: CONFIG_DEBUG_TASKSET is off");
	self->delay = true;
	memcpy(nodes[0], self->web, sizeof(nodes[0]));
	memcpy(nodes[1], self->db, sizeof(nodes[1]));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(self_moves_while_read(nodes, 4));
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("status %#x", status);
}

/*
 * Write @other's pid into @node @moves times, then report 0 if every
 * write worked, else the errno of the first that failed, on @result, and
 * wait to be killed: @other must stay alive for the other writer.
 */
static void move_other_loop(const char *node, pid_t other, int moves,
			    int go, int result)
{
	int i, err = 0;
	char c;

	alarm(4 * GUARD_S);
	if (read(go, &c, 1) != 1)
		_exit(1);
	for (i = 0; i < moves && !err; i++)
		err = -enter_node(node, other);
	if (write(result, &err, sizeof(err)) != sizeof(err))
		_exit(1);
	for (;;)
		pause();
}

/*
 * Two processes move each other at the same time, each into its node,
 * @moves times: 0 if every write of both worked, else the first errno;
 * 1 if a writer hung (its guard killed it).
 */
static int move_each_other(struct _test_data_attach_wait *self, int moves)
{
	int go[2], p2_pid[2], result[2], err[2] = { 1, 1 }, i;
	pid_t p1, p2;

	if (pipe(go) || pipe(p2_pid) || pipe(result))
		return 1;
	p1 = fork();
	if (!p1) {
		pid_t other;

		if (read(p2_pid[0], &other, sizeof(other)) != sizeof(other))
			_exit(1);
		move_other_loop(self->web, other, moves, go[0], result[1]);
	}
	self->kids[self->nr_kids++] = p1;
	p2 = fork();
	if (!p2)
		move_other_loop(self->db, p1, moves, go[0], result[1]);
	self->kids[self->nr_kids++] = p2;
	if (p1 < 0 || p2 < 0 ||
	    write(p2_pid[1], &p2, sizeof(p2)) != sizeof(p2) ||
	    write(go[1], "gg", 2) != 2)
		return 1;
	/* A writer that hangs is killed by its guard: no result comes. */
	close(result[1]);
	for (i = 0; i < 2; i++) {
		alarm(5 * GUARD_S);
		if (read(result[0], &err[i], sizeof(err[i])) != sizeof(err[i]))
			err[i] = 1;
		alarm(0);
	}
	return err[0] ?: err[1];
}

/*
 * Two writers move each other, both past their check for a switch
 * pending on themselves before either marks the other (the writes pause
 * there): each is the other's target while it waits for its own move.
 */
TEST_F_TIMEOUT(attach_wait, two_writers_marking_each_other_both_return, 120)
{
	if (set_mark_delay_ms(200))
		SKIP(return, "no mark_delay_ms: CONFIG_DEBUG_TASKSET is off");
	self->delay = true;
	EXPECT_EQ(move_each_other(self, 3), 0);
}

/* The same, 500 times each, at full speed. */
TEST_F_TIMEOUT(attach_wait, two_writers_moving_each_other_both_return, 120)
{
	EXPECT_EQ(move_each_other(self, 500), 0);
}

/*
 * vfork(), and in the child move @pid into @node, under the guard: the
 * child reports the write's result on a pipe (and, if @inside, whether
 * it is in @path afterwards), then exits. Returns the result, 0 or
 * -errno, or 1 if the child reported nothing.
 */
static int vfork_and_move(const char *node, pid_t pid, const char *path,
			  bool *inside)
{
	int report[2], res[2] = { 1, 0 }, status;
	pid_t child;

	if (pipe(report))
		return 1;
	alarm(GUARD_S);
	child = vfork();
	if (!child) {
		int out[2];

		alarm(GUARD_S);
		out[0] = enter_node(node, pid ? pid : getpid());
		out[1] = path && in_node(getpid(), path);
		write(report[1], out, sizeof(out));
		_exit(0);
	}
	alarm(0);
	close(report[1]);
	if (child < 0 || read(report[0], res, sizeof(res)) != sizeof(res))
		res[0] = 1;
	close(report[0]);
	if (child > 0)
		waitpid(child, &status, 0);
	if (inside)
		*inside = res[1];
	return res[0];
}

/*
 * A vfork child writes its parent's pid: the parent cannot switch
 * before the child execs or exits, so the move is refused with EDEADLK
 * and the parent stays where it is.
 */
TEST_F(attach_wait, vfork_child_moving_its_parent_is_refused)
{
	EXPECT_EQ(vfork_and_move(self->web, getpid(), NULL, NULL), -EDEADLK);
	EXPECT_TRUE(in_node(getpid(), "/"));
	EXPECT_EQ(count_lines(self->web, "taskset.procs"), 0);
}

/* A vfork child may still move itself: it waits on no one. */
TEST_F(attach_wait, vfork_child_moves_itself)
{
	bool inside = false;

	EXPECT_EQ(vfork_and_move(self->web, 0, self->web_path, &inside), 0);
	EXPECT_TRUE(inside);
	EXPECT_TRUE(in_node(getpid(), "/"));
}

/*
 * Move @target into @node from a child, which the guard kills if its
 * write hangs: the write's -errno, or 1 if it did not return.
 */
static pid_t start_writer(const char *node, pid_t target)
{
	pid_t writer = fork();

	if (!writer) {
		alarm(GUARD_S);
		_exit(-enter_node(node, target));
	}
	return writer;
}

static int writer_result(pid_t writer)
{
	int status;

	if (waitpid(writer, &status, 0) != writer || !WIFEXITED(status))
		return 1;
	return -WEXITSTATUS(status);
}

static void stop_by_signal(pid_t pid)
{
	int status;

	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
}

static void continue_by_signal(pid_t pid)
{
	kill(pid, SIGCONT);
}

static void stop_by_tracer(pid_t pid)
{
	int status;

	ptrace(PTRACE_INTERRUPT, pid, 0, 0);
	waitpid(pid, &status, 0);
}

static void continue_by_tracer(pid_t pid)
{
	ptrace(PTRACE_DETACH, pid, 0, 0);
}

/*
 * A move of a target that @stop stops after the writer marked it, and
 * before its switch was queued (the writer pauses there): the write
 * fails with EBUSY, nothing moves, nothing is left pending, and once
 * @resume lets it go, the target moves.
 */
static void check_stopped_after_mark(struct __test_metadata *_metadata,
				     struct _test_data_attach_wait *self,
				     pid_t target, void (*stop)(pid_t),
				     void (*resume)(pid_t))
{
	pid_t writer;

	ASSERT_EQ(set_move_delay_ms(300), 0);
	self->delay = true;
	writer = start_writer(self->web, target);
	ASSERT_GT(writer, 0);
	usleep(100 * 1000);
	stop(target);
	EXPECT_EQ(writer_result(writer), -EBUSY);
	EXPECT_TRUE(in_node(target, "/"));
	EXPECT_EQ(count_lines(self->web, "taskset.procs"), 0);
	ASSERT_EQ(set_move_delay_ms(0), 0);
	resume(target);
	EXPECT_EQ(enter_node(self->web, target), 0);
	EXPECT_TRUE(in_node(target, self->web_path));
}

/* A target stopped by SIGSTOP after it was marked is refused. */
TEST_F(attach_wait, target_stopped_after_it_was_marked_is_refused)
{
	pid_t target = pauser(self);

	ASSERT_GT(target, 0);
	if (set_move_delay_ms(0))
		SKIP(return, "no move_delay_ms: CONFIG_DEBUG_TASKSET is off");
	check_stopped_after_mark(_metadata, self, target, stop_by_signal,
				 continue_by_signal);
}

/* The same for a target its tracer stops after it was marked. */
TEST_F(attach_wait, target_traced_after_it_was_marked_is_refused)
{
	pid_t target = pauser(self);

	ASSERT_GT(target, 0);
	if (set_move_delay_ms(0))
		SKIP(return, "no move_delay_ms: CONFIG_DEBUG_TASKSET is off");
	ASSERT_EQ(ptrace(PTRACE_SEIZE, target, 0, 0), 0);
	check_stopped_after_mark(_metadata, self, target, stop_by_tracer,
				 continue_by_tracer);
}

/* How a process that outgrows every count of its threads grows. */
#define GROW_INTERVAL_US	5000
#define GROW_MAX_THREADS	800

static void *pause_thread(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

/*
 * A child that gains a thread every GROW_INTERVAL_US, up to
 * GROW_MAX_THREADS, then pauses; under the guard too.
 */
static pid_t grower(struct _test_data_attach_wait *self)
{
	pthread_attr_t attr;
	pthread_t thread;
	pid_t pid = fork();
	int i;

	if (!pid) {
		alarm(4 * GUARD_S);
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
		for (i = 0; i < GROW_MAX_THREADS; i++) {
			if (pthread_create(&thread, &attr, pause_thread, NULL))
				break;
			usleep(GROW_INTERVAL_US);
		}
		for (;;)
			pause();
	}
	if (pid > 0)
		self->kids[self->nr_kids++] = pid;
	return pid;
}

/* Has @pid ended within @ms? It is reaped if it has. */
static bool ends_within_ms(pid_t pid, int ms, int *status)
{
	for (; ms > 0; ms -= 10) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return true;
		usleep(10 * 1000);
	}
	return false;
}

/*
 * A move of a process that gains threads faster than the writer can
 * count them (the writer pauses between its count and its look, where
 * the process gains many more than the move has room for) retries; the
 * writer's SIGKILL ends it within one retry, and nothing moved.
 */
TEST_F(attach_wait, writer_retrying_a_growing_process_dies_when_killed)
{
	pid_t target, writer;
	int status = 0;

	if (set_mark_delay_ms(0))
		SKIP(return, "no mark_delay_ms: CONFIG_DEBUG_TASKSET is off");
	target = grower(self);
	ASSERT_GT(target, 0);
	ASSERT_EQ(set_mark_delay_ms(200), 0);
	self->delay = true;
	writer = fork();
	ASSERT_GE(writer, 0);
	if (!writer)
		_exit(-enter_node(self->web, target));
	self->kids[self->nr_kids++] = writer;
	usleep(500 * 1000);
	ASSERT_EQ(kill(writer, SIGKILL), 0);
	EXPECT_TRUE(ends_within_ms(writer, 1000, &status));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ASSERT_EQ(set_mark_delay_ms(0), 0);
	EXPECT_TRUE(in_node(target, "/"));
	EXPECT_EQ(count_lines(self->web, "taskset.procs"), 0);
}

TEST_HARNESS_MAIN
