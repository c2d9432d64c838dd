// SPDX-License-Identifier: GPL-2.0
/*
 * The tasks facet: tasks.max, tasks.current and tasks.events on every
 * node made by mkdir; forks refused with EAGAIN at the limit, threads
 * included, nested limits, moves refused whole, and exact counts through
 * races of moves with forks and exits.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#define WAKE_MS		5000
#define RACES		1000
#define RACERS		4

FIXTURE(tasks) {
	char dir[sizeof(MNT_TEMPLATE)];
	char web[256];
	char outer[256];
	char inner[256];
};

FIXTURE_SETUP(tasks)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->web, sizeof(self->web), "%s/web", self->dir);
	snprintf(self->outer, sizeof(self->outer), "%s/outer", self->dir);
	snprintf(self->inner, sizeof(self->inner), "%s/outer/inner",
		 self->dir);
	ASSERT_EQ(mkdir(self->web, 0755), 0);
	ASSERT_EQ(mkdir(self->outer, 0755), 0);
	ASSERT_EQ(mkdir(self->inner, 0755), 0);
}

FIXTURE_TEARDOWN(tasks)
{
	kill_members((const char *[]){ self->web, self->inner, self->outer },
		     3);
	rmdir(self->web);
	rmdir(self->inner);
	rmdir(self->outer);
	tasksetfs_umount_tmp(self->dir);
}

/*
 * A member: a process that runs commands sent on a pipe, one byte each,
 * and answers each with an int, 0 or an errno:
 *	'f'	fork a child that waits until the member exits
 *	't'	start a thread that waits until the member exits
 *	'x'	let its children go, reap them, and exit
 */
struct member {
	pid_t pid;
	int cmd;
	int reply;
};

static void *blocked_thread(void *arg)
{
	char c;

	read(*(int *)arg, &c, 1);
	return NULL;
}

static void member_loop(int cmd, int reply)
{
	int hold[2];
	pthread_t t;
	char c;
	int ret;

	if (pipe(hold))
		_exit(1);
	while (read(cmd, &c, 1) == 1) {
		ret = 0;
		if (c == 'f') {
			pid_t pid = fork();

			if (pid == 0) {
				close(hold[1]);
				read(hold[0], &c, 1);
				_exit(0);
			}
			ret = pid < 0 ? errno : 0;
		} else if (c == 't') {
			ret = pthread_create(&t, NULL, blocked_thread,
					     &hold[0]);
		} else {
			break;
		}
		if (write(reply, &ret, sizeof(ret)) != sizeof(ret))
			_exit(1);
	}
	close(hold[1]);
	while (waitpid(-1, NULL, 0) > 0)
		;
	_exit(0);
}

/* Start a member in the caller's node; move it into @node if set. */
static int member_start(struct member *m, const char *node)
{
	int cmd[2], reply[2];

	if (pipe2(cmd, O_CLOEXEC) || pipe2(reply, O_CLOEXEC))
		return -errno;
	m->pid = fork();
	if (m->pid < 0)
		return -errno;
	if (m->pid == 0) {
		close(cmd[1]);
		close(reply[0]);
		member_loop(cmd[0], reply[1]);
	}
	close(cmd[0]);
	close(reply[1]);
	m->cmd = cmd[1];
	m->reply = reply[0];
	return node ? enter_node(node, m->pid) : 0;
}

/* Send @c to @m: its answer, 0 or an errno; -1 if it did not answer. */
static int member_do(struct member *m, char c)
{
	int ret;

	if (write(m->cmd, &c, 1) != 1 ||
	    read(m->reply, &ret, sizeof(ret)) != sizeof(ret))
		return -1;
	return ret;
}

/* Let @m and its children go; its exit status, or -1. */
static int member_stop(struct member *m)
{
	int status;

	/* Other members may hold the pipe open: say it. */
	if (write(m->cmd, "x", 1) != 1)
		return -1;
	close(m->cmd);
	close(m->reply);
	if (waitpid(m->pid, &status, 0) != m->pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static long tasks_current(const char *node)
{
	char buf[64];

	if (read_at(node, "tasks.current", buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

static long max_events(const char *node)
{
	return read_key(node, "tasks.events", "max");
}

/* Is @pid listed in @node/taskset.procs? */
static bool in_node(const char *node, pid_t pid)
{
	char buf[4096], want[32], *line, *save;

	snprintf(want, sizeof(want), "%d", pid);
	if (read_at(node, "taskset.procs", buf, sizeof(buf)) < 0)
		return false;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strcmp(line, want))
			return true;
	return false;
}

TEST_F(tasks, files_of_a_new_node)
{
	char buf[256];

	ASSERT_GT(read_at(self->web, "tasks.max", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "max\n");
	EXPECT_EQ(tasks_current(self->web), 0);
	EXPECT_EQ(max_events(self->web), 0);
	ASSERT_GT(read_at(self->web, "taskset.facets", buf, sizeof(buf)), 0);
	EXPECT_NE(strstr(buf, "tasks kind=resource enter=any create=mkdir on_empty=ignore\n"),
		  NULL) TH_LOG("%s", buf);
	/* The root's tasks are not counted: it has no such files. */
	EXPECT_EQ(read_at(self->dir, "tasks.max", buf, sizeof(buf)), -ENOENT);
	EXPECT_EQ(read_at(self->dir, "tasks.current", buf, sizeof(buf)),
		  -ENOENT);
}

/*
 * Tasks of one node share a proxy; nodes that differ only in their tasks
 * state (web and outer inherit the same namespaces) have one each.
 */
TEST_F(tasks, proxies_differ_by_tasks_state_and_are_shared)
{
	struct member a, b, c;
	long before;

	before = read_key(self->dir, "taskset.stat", "proxies");
	ASSERT_GT(before, 0);
	ASSERT_EQ(member_start(&a, self->web), 0);
	EXPECT_EQ(read_key(self->dir, "taskset.stat", "proxies"), before + 1);
	ASSERT_EQ(member_start(&b, self->web), 0);
	EXPECT_EQ(read_key(self->dir, "taskset.stat", "proxies"), before + 1);
	ASSERT_EQ(member_start(&c, self->outer), 0);
	EXPECT_EQ(read_key(self->dir, "taskset.stat", "proxies"), before + 2);
	EXPECT_EQ(member_stop(&a), 0);
	EXPECT_EQ(member_stop(&b), 0);
	EXPECT_EQ(member_stop(&c), 0);
}

TEST_F(tasks, resource_state_lasts_as_long_as_its_node)
{
	bool own = true;

	EXPECT_EQ(write_str(self->web, "taskset.facets", "+tasks"), 0);
	EXPECT_EQ(write_str(self->web, "taskset.facets", "-tasks"), -EINVAL);
	EXPECT_EQ(write_str(self->web, "taskset.facets", "+uts -tasks"),
		  -EINVAL);
	EXPECT_EQ(access(self->web, F_OK), 0);
	/* Refused whole: the uts namespace was not made either. */
	ASSERT_EQ(node_ns(self->web, "uts", NULL, NULL, &own), 0);
	EXPECT_FALSE(own);
	EXPECT_EQ(tasks_current(self->web), 0);
}

TEST_F(tasks, limit_of_one)
{
	struct member m;

	ASSERT_EQ(write_str(self->web, "tasks.max", "1\n"), 0);
	ASSERT_EQ(member_start(&m, self->web), 0);
	EXPECT_EQ(tasks_current(self->web), 1);
	EXPECT_EQ(member_do(&m, 'f'), EAGAIN);
	EXPECT_EQ(member_do(&m, 't'), EAGAIN);
	EXPECT_EQ(tasks_current(self->web), 1);
	EXPECT_EQ(max_events(self->web), 2);
	EXPECT_EQ(member_stop(&m), 0);
	EXPECT_EQ(tasks_current(self->web), 0);
}

TEST_F(tasks, limit_of_n_counts_processes_and_threads)
{
	struct member m;
	int i;

	ASSERT_EQ(write_str(self->web, "tasks.max", "5"), 0);
	ASSERT_EQ(member_start(&m, self->web), 0);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(member_do(&m, 'f'), 0);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(member_do(&m, 't'), 0);
	EXPECT_EQ(tasks_current(self->web), 5);
	EXPECT_EQ(count_lines(self->web, "taskset.threads"), 5);
	EXPECT_EQ(member_do(&m, 'f'), EAGAIN);
	EXPECT_EQ(member_do(&m, 't'), EAGAIN);
	EXPECT_EQ(max_events(self->web), 2);
	EXPECT_EQ(member_stop(&m), 0);
	EXPECT_EQ(tasks_current(self->web), 0);
}

TEST_F(tasks, max_lifts_the_limit)
{
	struct member m;
	int i;

	ASSERT_EQ(write_str(self->web, "tasks.max", "1"), 0);
	ASSERT_EQ(member_start(&m, self->web), 0);
	EXPECT_EQ(member_do(&m, 'f'), EAGAIN);
	ASSERT_EQ(write_str(self->web, "tasks.max", "max\n"), 0);
	for (i = 0; i < 20; i++)
		ASSERT_EQ(member_do(&m, 'f'), 0);
	EXPECT_EQ(tasks_current(self->web), 21);
	EXPECT_EQ(member_stop(&m), 0);
}

TEST_F(tasks, limit_below_current_refuses_new_tasks_only)
{
	struct member m;

	ASSERT_EQ(member_start(&m, self->web), 0);
	ASSERT_EQ(member_do(&m, 'f'), 0);
	ASSERT_EQ(member_do(&m, 'f'), 0);
	ASSERT_EQ(write_str(self->web, "tasks.max", "1"), 0);
	EXPECT_EQ(tasks_current(self->web), 3);
	EXPECT_EQ(member_do(&m, 'f'), EAGAIN);
	EXPECT_TRUE(in_node(self->web, m.pid));
	EXPECT_EQ(member_stop(&m), 0);
	EXPECT_EQ(tasks_current(self->web), 0);
}

/* The smaller limit on the path wins, whichever node it is on. */
TEST_F(tasks, nested_limits_smaller_wins)
{
	struct member m;
	int i;

	ASSERT_EQ(write_str(self->outer, "tasks.max", "3"), 0);
	ASSERT_EQ(write_str(self->inner, "tasks.max", "10"), 0);
	ASSERT_EQ(member_start(&m, self->inner), 0);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(member_do(&m, 'f'), 0);
	EXPECT_EQ(member_do(&m, 'f'), EAGAIN);
	EXPECT_EQ(tasks_current(self->inner), 3);
	EXPECT_EQ(tasks_current(self->outer), 3);
	EXPECT_EQ(max_events(self->outer), 1);
	EXPECT_EQ(max_events(self->inner), 0);

	ASSERT_EQ(write_str(self->outer, "tasks.max", "10"), 0);
	ASSERT_EQ(write_str(self->inner, "tasks.max", "4"), 0);
	ASSERT_EQ(member_do(&m, 'f'), 0);
	EXPECT_EQ(member_do(&m, 'f'), EAGAIN);
	EXPECT_EQ(max_events(self->inner), 1);
	EXPECT_EQ(max_events(self->outer), 1);
	EXPECT_EQ(tasks_current(self->outer), 4);
	EXPECT_EQ(member_stop(&m), 0);
	EXPECT_EQ(tasks_current(self->inner), 0);
	EXPECT_EQ(tasks_current(self->outer), 0);
}

TEST_F(tasks, refused_fork_wakes_events_poller)
{
	char path[PATH_MAX], buf[64];
	struct member m;
	struct pollfd pfd;
	int fd;

	snprintf(path, sizeof(path), "%s/tasks.events", self->web);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_GT(read(fd, buf, sizeof(buf)), 0);
	ASSERT_EQ(write_str(self->web, "tasks.max", "1"), 0);
	ASSERT_EQ(member_start(&m, self->web), 0);
	pfd = (struct pollfd){ .fd = fd, .events = POLLPRI };
	EXPECT_EQ(poll(&pfd, 1, 0), 0);
	EXPECT_EQ(member_do(&m, 'f'), EAGAIN);
	pfd.revents = 0;
	EXPECT_EQ(poll(&pfd, 1, WAKE_MS), 1);
	EXPECT_TRUE(pfd.revents & POLLPRI);
	ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
	ASSERT_GT(read(fd, buf, sizeof(buf) - 1), 0);
	EXPECT_EQ(strncmp(buf, "max 1\n", 6), 0) TH_LOG("%s", buf);
	close(fd);
	EXPECT_EQ(member_stop(&m), 0);
}

/*
 * The fork bomb below runs for at least BOMB_MS, and until it has been
 * refused more than twice as often as its poller may be woken, up to
 * BOMB_MAX_MS: on a kernel too slow to fork 50 times a second (KASAN),
 * no limit is reached, and the bound holds trivially.
 */
#define BOMB_MS		1000
#define BOMB_MAX_MS	(10 * BOMB_MS)

/* Milliseconds on the monotonic clock. */
static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The wake-ups allowed in @ms: 50 a second, and a few for the edges. */
static long wakeups_allowed(long ms)
{
	return 50 * ms / 1000 + 5;
}

/*
 * A member that forks in a loop against tasks.max, each fork refused:
 * its poller is woken at most 50 times a second (as pids.events), not
 * once per refusal, and at least once.
 */
TEST_F(tasks, fork_bomb_wakes_events_poller_at_most_50_times_a_second)
{
	long start, elapsed, refused;
	char path[PATH_MAX], buf[64];
	struct pollfd pfd;
	int fd, wakeups = 0;
	pid_t bomb;

	snprintf(path, sizeof(path), "%s/tasks.events", self->web);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_GT(read(fd, buf, sizeof(buf)), 0);
	ASSERT_EQ(write_str(self->web, "tasks.max", "1"), 0);
	bomb = fork();
	ASSERT_GE(bomb, 0);
	if (!bomb) {
		alarm(60);
		while (!in_node(self->web, getpid()))
			sleep_ms(1);
		for (;;)
			if (fork() == 0)
				_exit(0);
	}
	ASSERT_EQ(enter_node(self->web, bomb), 0);
	pfd = (struct pollfd){ .fd = fd, .events = POLLPRI };
	start = now_ms();
	do {
		pfd.revents = 0;
		if (poll(&pfd, 1, 10) == 1) {
			wakeups++;
			ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
			ASSERT_GT(read(fd, buf, sizeof(buf)), 0);
		}
		elapsed = now_ms() - start;
		refused = max_events(self->web);
	} while (elapsed < BOMB_MS ||
		 (refused <= 2 * wakeups_allowed(elapsed) &&
		  elapsed < BOMB_MAX_MS));
	kill(bomb, SIGKILL);
	waitpid(bomb, NULL, 0);
	close(fd);
	TH_LOG("%d wake-ups, %ld refusals in %ld ms", wakeups, refused,
	       elapsed);
	EXPECT_GE(wakeups, 1);
	EXPECT_LE(wakeups, wakeups_allowed(elapsed));
}

TEST_F(tasks, zombie_counts_until_reaped)
{
	pid_t pid;

	ASSERT_EQ(write_str(self->web, "tasks.max", "1"), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (enter_node(self->web, getpid()))
			_exit(1);
		_exit(0);
	}
	/* Its exit is not its release: the pid is still taken. */
	ASSERT_EQ(waitid(P_PID, pid, &(siginfo_t){ 0 }, WEXITED | WNOWAIT), 0);
	EXPECT_EQ(tasks_current(self->web), 1);
	EXPECT_EQ(count_lines(self->web, "taskset.procs"), 0);
	ASSERT_EQ(waitpid(pid, NULL, 0), pid);
	EXPECT_EQ(tasks_current(self->web), 0);
}

TEST_F(tasks, move_into_full_node_moves_nothing)
{
	struct member full, other;

	ASSERT_EQ(write_str(self->web, "tasks.max", "1"), 0);
	ASSERT_EQ(member_start(&full, self->web), 0);
	ASSERT_EQ(member_start(&other, self->outer), 0);
	EXPECT_EQ(enter_node(self->web, other.pid), -EAGAIN);
	EXPECT_TRUE(in_node(self->outer, other.pid));
	EXPECT_EQ(tasks_current(self->web), 1);
	EXPECT_EQ(tasks_current(self->outer), 1);
	/* A refused move is no refused fork. */
	EXPECT_EQ(max_events(self->web), 0);
	EXPECT_EQ(member_stop(&full), 0);
	EXPECT_EQ(member_stop(&other), 0);
}

/* A process with more threads than there is room for: none moves. */
TEST_F(tasks, move_of_threads_is_all_or_nothing)
{
	struct member m;
	int i;

	ASSERT_EQ(write_str(self->web, "tasks.max", "3"), 0);
	ASSERT_EQ(member_start(&m, self->outer), 0);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(member_do(&m, 't'), 0);
	EXPECT_EQ(tasks_current(self->outer), 4);
	EXPECT_EQ(enter_node(self->web, m.pid), -EAGAIN);
	EXPECT_EQ(tasks_current(self->web), 0);
	EXPECT_EQ(tasks_current(self->outer), 4);
	EXPECT_EQ(count_lines(self->outer, "taskset.threads"), 4);
	EXPECT_EQ(count_lines(self->web, "taskset.threads"), 0);
	ASSERT_EQ(write_str(self->web, "tasks.max", "4"), 0);
	EXPECT_EQ(enter_node(self->web, m.pid), 0);
	EXPECT_EQ(tasks_current(self->web), 4);
	EXPECT_EQ(tasks_current(self->outer), 0);
	EXPECT_EQ(member_stop(&m), 0);
	EXPECT_EQ(tasks_current(self->web), 0);
}

/* Below a full node, a move between its children needs no room. */
TEST_F(tasks, move_within_full_subtree)
{
	struct member m;

	ASSERT_EQ(write_str(self->outer, "tasks.max", "1"), 0);
	ASSERT_EQ(member_start(&m, self->outer), 0);
	EXPECT_EQ(enter_node(self->inner, m.pid), 0);
	EXPECT_EQ(tasks_current(self->inner), 1);
	EXPECT_EQ(tasks_current(self->outer), 1);
	EXPECT_EQ(enter_node(self->outer, m.pid), 0);
	EXPECT_EQ(tasks_current(self->inner), 0);
	EXPECT_EQ(tasks_current(self->outer), 1);
	EXPECT_EQ(member_stop(&m), 0);
	EXPECT_EQ(tasks_current(self->outer), 0);
}

/* Poll every 10 ms, for up to @ms, until @node has no child node. */
static bool wait_childless_ms(const char *node, long ms)
{
	struct dirent *e;
	bool childless;
	long i;
	DIR *d;

	for (i = 0; i < ms / 10; i++) {
		d = opendir(node);
		if (!d)
			return false;
		childless = true;
		while ((e = readdir(d)))
			if (e->d_type == DT_DIR && strcmp(e->d_name, ".") &&
			    strcmp(e->d_name, ".."))
				childless = false;
		closedir(d);
		if (childless)
			return true;
		sleep_ms(10);
	}
	return false;
}

/* A node made by unshare() inherits its parent's state: counted there. */
TEST_F(tasks, clone_node_counts_in_its_parent)
{
	char buf[64];
	pid_t pid;
	int status;

	ASSERT_EQ(write_str(self->web, "tasks.max", "2"), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		pid_t a, b;

		if (enter_node(self->web, getpid()) ||
		    unshare(CLONE_NEWTASKSET | CLONE_NEWUTS))
			_exit(1);
		a = fork();
		if (a == 0) {
			pause();
			_exit(0);
		}
		b = fork();
		kill(a, SIGKILL);
		waitpid(a, NULL, 0);
		if (b == 0)
			_exit(0);
		_exit(b < 0 && errno == EAGAIN ? 0 : 2);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(tasks_current(self->web), 0);
	EXPECT_EQ(read_at(self->web, "tasks.events", buf, sizeof(buf)), 6);
	EXPECT_STREQ(buf, "max 1\n");
	/* The clone node is deleted by a work item: web is then childless. */
	EXPECT_TRUE(wait_childless_ms(self->web, WAKE_MS));
}

TEST_F(tasks, clone_into_full_node_fails)
{
	pid_t pid;
	int fd;

	fd = open(self->web, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(write_str(self->web, "tasks.max", "1"), 0);
	pid = clone3_into_node(fd, 0, 0);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	EXPECT_EQ(tasks_current(self->web), 1);
	EXPECT_EQ(clone3_into_node(fd, 0, 0), -1);
	EXPECT_EQ(errno, EAGAIN);
	EXPECT_EQ(max_events(self->web), 1);
	kill(pid, SIGKILL);
	ASSERT_EQ(waitpid(pid, NULL, 0), pid);
	EXPECT_EQ(tasks_current(self->web), 0);
	close(fd);
}

/*
 * A first fork into a node's new pid namespace that tasks.max refuses
 * leaves the namespace able to take its init: once the limit is lifted,
 * the next child is pid 1 there.
 */
TEST_F(tasks, refused_first_fork_leaves_the_pid_namespace)
{
	int fd, status;
	pid_t pid;

	ASSERT_EQ(write_str(self->web, "taskset.facets", "+pid"), 0);
	ASSERT_EQ(write_str(self->web, "tasks.max", "0"), 0);
	fd = open(self->web, O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(clone3_into_node(fd, 0, -1), -1);
	EXPECT_EQ(errno, EAGAIN);
	ASSERT_EQ(write_str(self->web, "tasks.max", "max"), 0);
	pid = clone3_into_node(fd, 0, -1);
	if (!pid)
		_exit(getpid() == 1 ? 0 : 1);
	close(fd);
	ASSERT_GT(pid, 0) TH_LOG("%m: the second clone3()");
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("status %#x: the child is not the namespace's init",
		       status);
}

/*
 * The charge of a move reads the thread's current charge: the thread is
 * killed, reaped and its node removed while the writer is paused right
 * after that read (the debug kernel's move_delay_ms). The writer must
 * not read the freed state (KASAN reports it), and charges nothing.
 */
TEST_F_TIMEOUT(tasks, move_of_a_thread_reaped_while_charged, 120)
{
	char src[300];
	int i, status;

	if (set_move_delay_ms(0))
		SKIP(return, "no move_delay_ms: CONFIG_DEBUG_TASKSET is off");
	snprintf(src, sizeof(src), "%s/src", self->dir);
	for (i = 0; i < 5; i++) {
		pid_t reaper, target, writer;
		int p[2];

		ASSERT_EQ(mkdir(src, 0755), 0);
		ASSERT_EQ(pipe(p), 0);
		/* The target's parent ignores SIGCHLD: it is reaped at exit. */
		reaper = fork();
		ASSERT_GE(reaper, 0);
		if (!reaper) {
			signal(SIGCHLD, SIG_IGN);
			target = fork();
			if (!target)
				for (;;)
					pause();
			write(p[1], &target, sizeof(target));
			for (;;)
				pause();
		}
		ASSERT_EQ(read(p[0], &target, sizeof(target)), sizeof(target));
		close(p[0]);
		close(p[1]);
		ASSERT_EQ(enter_node(src, target), 0);
		ASSERT_EQ(set_move_delay_ms(300), 0);
		writer = fork();
		ASSERT_GE(writer, 0);
		if (!writer)
			_exit(-enter_node(self->web, target));
		usleep(100 * 1000);
		ASSERT_EQ(kill(target, SIGKILL), 0);
		EXPECT_EQ(wait_populated_ms(src, 0, 2000), 0);
		EXPECT_EQ(rmdir(src), 0);
		ASSERT_EQ(waitpid(writer, &status, 0), writer);
		ASSERT_EQ(set_move_delay_ms(0), 0);
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == ESRCH)
			TH_LOG("writer status %#x", status);
		kill(reaper, SIGKILL);
		waitpid(reaper, NULL, 0);
		EXPECT_EQ(tasks_current(self->web), 0);
		EXPECT_EQ(count_lines(self->web, "taskset.procs"), 0);
	}
}

TEST_F(tasks, garbage_in_max_changes_nothing)
{
	static const char * const bad[] = {
		"", "\n", "-1", "abc", "1 2", "0x10", "1k", "Max", " max x",
		"99999999999999999999", "9223372036854775807",
	};
	char buf[64];
	unsigned int i;

	ASSERT_EQ(write_str(self->web, "tasks.max", "7"), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *b = bad[i];

		EXPECT_EQ(write_str(self->web, "tasks.max", b), -EINVAL)
			TH_LOG("write of \"%s\"", b);
	}
	ASSERT_GT(read_at(self->web, "tasks.max", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "7\n");
	EXPECT_EQ(write_at(self->web, "tasks.max", "5\0", 2), -EINVAL);
	EXPECT_EQ(write_str(self->web, "tasks.max", "0"), 0);
	ASSERT_GT(read_at(self->web, "tasks.max", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "0\n");
	EXPECT_EQ(write_str(self->web, "tasks.current", "1"), -EACCES);
}

/*
 * Racers fork, start threads and exit while they are moved around, until
 * @stop is 1; then they stay, quiet, until it is 2.
 */
struct race {
	int stop;
	int quiet;
};

/*
 * tasks.max obeys its opener: a file opened by nobody changes nothing
 * even when root writes it; one opened by root and handed to nobody does.
 */
TEST_F(tasks, max_obeys_its_opener)
{
	char path[PATH_MAX], buf[64];

	snprintf(path, sizeof(path), "%s/tasks.max", self->web);
	ASSERT_EQ(chmod(path, 0666), 0);
	EXPECT_EQ(write_as(self->web, "tasks.max", "3", NOBODY, 0), -EPERM);
	ASSERT_GT(read_at(self->web, "tasks.max", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "max\n");

	EXPECT_EQ(write_as(self->web, "tasks.max", "3", 0, NOBODY), 0);
	ASSERT_GT(read_at(self->web, "tasks.max", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "3\n");
}

/* The fields are shared with other processes: read them afresh. */
static int race_read(int *field)
{
	return __atomic_load_n(field, __ATOMIC_ACQUIRE);
}

static void race_write(int *field, int v)
{
	__atomic_store_n(field, v, __ATOMIC_RELEASE);
}

static void *racer_thread(void *arg)
{
	return NULL;
}

static void racer(struct race *r)
{
	pthread_t t;
	pid_t pid;

	while (!race_read(&r->stop)) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		if (!pthread_create(&t, NULL, racer_thread, NULL))
			pthread_join(t, NULL);
	}
	__sync_fetch_and_add(&r->quiet, 1);
	while (race_read(&r->stop) != 2)
		sleep_ms(1);
	_exit(0);
}

TEST_F_TIMEOUT(tasks, race_of_moves_forks_and_exits_keeps_counts_exact, 240)
{
	const char * const nodes[] = { self->outer, self->inner, self->web };
	pid_t pids[RACERS];
	struct race *r;
	long members;
	int i, status, moved = 0, refused = 0;

	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(r, MAP_FAILED);
	/*
	 * Room for two racers at most: the racers visit the nodes in turn,
	 * and the third one sent to web while two are there is refused.
	 */
	ASSERT_EQ(write_str(self->web, "tasks.max", "2"), 0);
	ASSERT_EQ(write_str(self->outer, "tasks.max", "9"), 0);
	for (i = 0; i < RACERS; i++) {
		pids[i] = fork();
		ASSERT_GE(pids[i], 0);
		if (pids[i] == 0)
			racer(r);
		ASSERT_EQ(enter_node(self->inner, pids[i]), 0);
	}
	for (i = 0; i < RACES; i++) {
		int err = enter_node(nodes[i % 3], pids[i % RACERS]);

		if (!err)
			moved++;
		else if (err == -EAGAIN)
			refused++;
		else
			ASSERT_EQ(err, 0) TH_LOG("move %d", i);
	}
	race_write(&r->stop, 1);
	while (race_read(&r->quiet) != RACERS)
		sleep_ms(1);
	TH_LOG("%d moves, %d refused", moved, refused);
	EXPECT_GT(moved, 0);
	EXPECT_GT(refused, 0);

	/* Every racer is one task now, and counted where it is. */
	members = count_lines(self->web, "taskset.threads");
	EXPECT_EQ(tasks_current(self->web), members);
	members = count_lines(self->inner, "taskset.threads");
	EXPECT_EQ(tasks_current(self->inner), members);
	members += count_lines(self->outer, "taskset.threads");
	EXPECT_EQ(tasks_current(self->outer), members);
	EXPECT_EQ(tasks_current(self->outer) + tasks_current(self->web),
		  RACERS);

	race_write(&r->stop, 2);
	for (i = 0; i < RACERS; i++) {
		ASSERT_EQ(waitpid(pids[i], &status, 0), pids[i]);
		EXPECT_TRUE(WIFEXITED(status));
	}
	EXPECT_EQ(tasks_current(self->web), 0);
	EXPECT_EQ(tasks_current(self->inner), 0);
	EXPECT_EQ(tasks_current(self->outer), 0);
	munmap(r, sizeof(*r));
}

TEST_HARNESS_MAIN
