// SPDX-License-Identifier: GPL-2.0
/*
 * Entering a node: a pid written to taskset.procs, a tid to
 * taskset.threads. The target switches in its own context, all or
 * nothing; bad ids, permissions, stopped targets and races.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#define NR_THREADS	4

FIXTURE(attach) {
	char dir[sizeof(MNT_TEMPLATE)];
	char web[256];
	char db[256];
	char plain[256];
	pid_t kids[8];
	int nr_kids;
};

FIXTURE_SETUP(attach)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->web, sizeof(self->web), "%s/web", self->dir);
	snprintf(self->db, sizeof(self->db), "%s/db", self->dir);
	snprintf(self->plain, sizeof(self->plain), "%s/plain", self->dir);
	ASSERT_EQ(mkdir(self->web, 0755), 0);
	ASSERT_EQ(mkdir(self->db, 0755), 0);
	ASSERT_EQ(mkdir(self->plain, 0755), 0);
	ASSERT_EQ(write_str(self->web, "taskset.facets", "+uts +ipc +net"), 0);
	ASSERT_EQ(write_str(self->db, "taskset.facets", "+uts"), 0);
	ASSERT_EQ(write_str(self->web, "uts.hostname", "web1"), 0);
	ASSERT_EQ(write_str(self->db, "uts.hostname", "db1"), 0);
}

FIXTURE_TEARDOWN(attach)
{
	int i;

	for (i = 0; i < self->nr_kids; i++) {
		kill(self->kids[i], SIGKILL);
		waitpid(self->kids[i], NULL, 0);
	}
	rmdir(self->web);
	rmdir(self->db);
	rmdir(self->plain);
	/* The root's file, which a test may have opened to all. */
	chmod_file(self->dir, "taskset.procs", 0644);
	tasksetfs_umount_tmp(self->dir);
}

/* Write "@id\n" to @node/@file, as echo does: 0, or -errno. */
static int move_id(const char *node, const char *file, long id)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld\n", id);
	return write_str(node, file, buf);
}

static int move(const char *node, pid_t pid)
{
	return move_id(node, "taskset.procs", pid);
}

/* The inode of /proc/@pid/task/@tid/ns/@name, or 0. */
static unsigned long thread_ns(pid_t pid, pid_t tid, const char *name)
{
	char path[96];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/ns/%s", pid, tid, name);
	return stat(path, &st) ? 0 : st.st_ino;
}

/* Is thread @tid of @pid in @node: its node path and namespaces? */
static bool thread_in(const char *node, const char *path, pid_t pid,
		      pid_t tid)
{
	static const char * const facets[] = { "uts", "ipc", "net", "mnt" };
	char file[96], buf[256];
	unsigned int i;

	snprintf(file, sizeof(file), "/proc/%d/task/%d", pid, tid);
	if (read_at(file, "taskset", buf, sizeof(buf)) < 0 ||
	    strcmp(buf, path))
		return false;
	for (i = 0; i < ARRAY_SIZE(facets); i++)
		if (thread_ns(pid, tid, facets[i]) != node_ns_ino(node, facets[i]))
			return false;
	return true;
}

static bool in(const char *node, const char *path, pid_t pid)
{
	return thread_in(node, path, pid, pid);
}

/* Is @id on a line of @node/@file? */
static bool listed(const char *node, const char *file, pid_t id)
{
	char buf[65536], *line, *save;

	if (read_at(node, file, buf, sizeof(buf)) < 0)
		return false;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (atoi(line) == id)
			return true;
	return false;
}

static void *sleep_thread(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

/* A child that sleeps (with @threads more threads), killed at teardown. */
static pid_t sleeper(struct _test_data_attach *self, int threads)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (!pid) {
		pthread_t t;
		int i;

		for (i = 0; i < threads; i++)
			pthread_create(&t, NULL, sleep_thread, NULL);
		write(ready[1], "r", 1);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		pid = -1;
	close(ready[0]);
	if (pid > 0)
		self->kids[self->nr_kids++] = pid;
	return pid;
}

/* The thread ids of @pid, up to @max: how many. */
static int thread_ids(pid_t pid, pid_t *tids, int max)
{
	char path[64];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max)
		if (e->d_name[0] != '.')
			tids[n++] = atoi(e->d_name);
	closedir(d);
	return n;
}

TEST_F(attach, self_is_inside_when_write_returns)
{
	pid_t pid = fork();
	int status;

	ASSERT_GE(pid, 0);
	if (!pid) {
		char buf[256];
		struct utsname u;
		struct stat st;

		if (move(self->web, getpid()))
			_exit(1);
		if (uname(&u) || strcmp(u.nodename, "web1"))
			_exit(2);
		if (stat("/proc/self/ns/uts", &st) ||
		    st.st_ino != node_ns_ino(self->web, "uts"))
			_exit(3);
		if (read_at("/proc/self", "taskset", buf, sizeof(buf)) < 0 ||
		    strcmp(buf, "/web\n"))
			_exit(4);
		if (!listed(self->web, "taskset.procs", getpid()))
			_exit(5);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
}

/*
 * A process leaving its IPC namespace has its semaphore undos applied as
 * it leaves, as setns(2) has them: at exit, their ids would name the
 * semaphores of the namespace it entered.
 */
TEST_F(attach, leaving_an_ipc_namespace_applies_semaphore_undos)
{
	struct sembuf up = { .sem_num = 0, .sem_op = 1, .sem_flg = SEM_UNDO };
	int ready[2], go[2], semid, status;
	pid_t pid;
	char c;

	semid = semget(IPC_PRIVATE, 1, 0600);
	ASSERT_GE(semid, 0);
	ASSERT_EQ(pipe(ready), 0);
	ASSERT_EQ(pipe(go), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		close(go[1]);
		if (semop(semid, &up, 1))
			_exit(1);
		if (move(self->web, getpid()))
			_exit(2);
		if (write(ready[1], "x", 1) != 1)
			_exit(3);
		_exit(read(go[0], &c, 1) == 0 ? 0 : 4);
	}
	close(go[0]);
	EXPECT_EQ(read(ready[0], &c, 1), 1);
	/* Undone when it left, while it lives on in web. */
	EXPECT_EQ(semctl(semid, 0, GETVAL), 0);
	close(go[1]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
	EXPECT_EQ(semctl(semid, 0, IPC_RMID), 0);
}

TEST_F(attach, sleeping_process_is_moved_before_write_returns)
{
	pid_t pid = sleeper(self, 0);

	ASSERT_GT(pid, 0);
	ASSERT_FALSE(in(self->web, "/web\n", pid));
	ASSERT_EQ(move(self->web, pid), 0);
	EXPECT_TRUE(in(self->web, "/web\n", pid));
	EXPECT_TRUE(listed(self->web, "taskset.procs", pid));
	EXPECT_TRUE(listed(self->web, "taskset.threads", pid));
	EXPECT_FALSE(listed(self->dir, "taskset.procs", pid));
}

TEST_F(attach, interrupted_sleep_is_restarted)
{
	struct timespec a, b;
	int status, fds[2];
	pid_t pid;
	char c;

	ASSERT_EQ(pipe(fds), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		struct timespec nap = { .tv_nsec = 600 * 1000 * 1000 };

		clock_gettime(CLOCK_MONOTONIC, &a);
		write(fds[1], "r", 1);
		if (nanosleep(&nap, NULL))
			_exit(1);
		clock_gettime(CLOCK_MONOTONIC, &b);
		/* The whole nap was slept, across the switch. */
		_exit((b.tv_sec - a.tv_sec) * 1000 +
		      (b.tv_nsec - a.tv_nsec) / 1000000 < 590 ? 2 : 0);
	}
	ASSERT_EQ(read(fds[0], &c, 1), 1);
	usleep(100 * 1000);
	ASSERT_EQ(move(self->web, pid), 0);
	EXPECT_TRUE(in(self->web, "/web\n", pid));
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(attach, running_process_is_moved)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid)
		for (;;)
			;
	self->kids[self->nr_kids++] = pid;
	ASSERT_EQ(move(self->web, pid), 0);
	EXPECT_TRUE(in(self->web, "/web\n", pid));
}

TEST_F(attach, stopped_process_is_refused_until_continued)
{
	pid_t pid = sleeper(self, 0);
	int status;

	ASSERT_GT(pid, 0);
	ASSERT_EQ(kill(pid, SIGSTOP), 0);
	ASSERT_EQ(waitpid(pid, &status, WUNTRACED), pid);
	ASSERT_TRUE(WIFSTOPPED(status));
	EXPECT_EQ(move(self->web, pid), -EBUSY);
	EXPECT_TRUE(in(self->dir, "/\n", pid));
	ASSERT_EQ(kill(pid, SIGCONT), 0);
	ASSERT_EQ(waitpid(pid, &status, WCONTINUED), pid);
	EXPECT_EQ(move(self->web, pid), 0);
	EXPECT_TRUE(in(self->web, "/web\n", pid));
}

TEST_F(attach, traced_stopped_process_is_refused)
{
	pid_t pid = sleeper(self, 0);
	int status;

	ASSERT_GT(pid, 0);
	ASSERT_EQ(ptrace(PTRACE_ATTACH, pid, 0, 0), 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFSTOPPED(status));
	EXPECT_EQ(move(self->web, pid), -EBUSY);
	EXPECT_TRUE(in(self->dir, "/\n", pid));
	ASSERT_EQ(ptrace(PTRACE_DETACH, pid, 0, 0), 0);
	EXPECT_EQ(move(self->web, pid), 0);
}

TEST_F(attach, every_thread_of_a_process_moves)
{
	pid_t pid = sleeper(self, NR_THREADS), tids[16];
	int i, n;

	ASSERT_GT(pid, 0);
	n = thread_ids(pid, tids, 16);
	ASSERT_EQ(n, NR_THREADS + 1);
	ASSERT_EQ(move(self->web, pid), 0);
	for (i = 0; i < n; i++) {
		EXPECT_TRUE(thread_in(self->web, "/web\n", pid, tids[i]));
		EXPECT_TRUE(listed(self->web, "taskset.threads", tids[i]));
	}
	EXPECT_EQ(count_lines(self->web, "taskset.threads"), n);
	EXPECT_EQ(count_lines(self->web, "taskset.procs"), 1);
}

TEST_F(attach, one_thread_moves_alone)
{
	pid_t pid = sleeper(self, NR_THREADS), tids[16], tid;
	int i, n;

	ASSERT_GT(pid, 0);
	n = thread_ids(pid, tids, 16);
	ASSERT_EQ(n, NR_THREADS + 1);
	tid = tids[n - 1];
	ASSERT_NE(tid, pid);
	ASSERT_EQ(move_id(self->web, "taskset.threads", tid), 0);
	for (i = 0; i < n; i++)
		EXPECT_EQ(thread_in(self->web, "/web\n", pid, tids[i]),
			  tids[i] == tid);
	EXPECT_EQ(count_lines(self->web, "taskset.threads"), 1);
	EXPECT_TRUE(listed(self->web, "taskset.threads", tid));
	/* The process has a thread in each node: both list it. */
	EXPECT_TRUE(listed(self->web, "taskset.procs", pid));
	EXPECT_TRUE(listed(self->dir, "taskset.procs", pid));
}

TEST_F(attach, thread_sharing_fs_cannot_change_mnt)
{
	pid_t pid = sleeper(self, 1), tids[4];
	unsigned long mnt;

	ASSERT_GT(pid, 0);
	ASSERT_EQ(write_str(self->db, "taskset.facets", "+mnt"), 0);
	ASSERT_EQ(thread_ids(pid, tids, 4), 2);
	mnt = thread_ns(pid, tids[1], "mnt");
	/* Its fs_struct is its process's: setns(2) refuses it too. */
	EXPECT_EQ(move_id(self->db, "taskset.threads",
			  tids[0] == pid ? tids[1] : tids[0]), -EINVAL);
	EXPECT_EQ(thread_ns(pid, tids[1], "mnt"), mnt);
	EXPECT_EQ(count_lines(self->db, "taskset.threads"), 0);
}

/*
 * A process whose threads share their fs_struct cannot change mount
 * namespace, as with setns(2); the whole move fails, no thread moves.
 */
TEST_F(attach, multithreaded_process_cannot_change_mnt_and_none_moves)
{
	pid_t pid = sleeper(self, 2), tids[4];
	unsigned long mnt, uts;
	int i, n;

	ASSERT_GT(pid, 0);
	ASSERT_EQ(write_str(self->db, "taskset.facets", "+mnt"), 0);
	n = thread_ids(pid, tids, 4);
	ASSERT_EQ(n, 3);
	mnt = thread_ns(pid, pid, "mnt");
	uts = thread_ns(pid, pid, "uts");
	EXPECT_EQ(move(self->db, pid), -EINVAL);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(thread_ns(pid, tids[i], "mnt"), mnt);
		EXPECT_EQ(thread_ns(pid, tids[i], "uts"), uts);
		EXPECT_TRUE(thread_in(self->dir, "/\n", pid, tids[i]));
	}
	EXPECT_EQ(count_lines(self->db, "taskset.threads"), 0);
}

TEST_F(attach, single_threaded_process_changes_mnt)
{
	pid_t pid = sleeper(self, 0);

	ASSERT_GT(pid, 0);
	ASSERT_EQ(write_str(self->db, "taskset.facets", "+mnt"), 0);
	ASSERT_EQ(move(self->db, pid), 0);
	EXPECT_EQ(thread_ns(pid, pid, "mnt"), node_ns_ino(self->db, "mnt"));
	EXPECT_TRUE(thread_in(self->db, "/db\n", pid, pid));
}

TEST_F(attach, process_sharing_fs_with_another_cannot_change_mnt)
{
	char stack[16384];
	unsigned long mnt;
	pid_t pid;

	ASSERT_EQ(write_str(self->db, "taskset.facets", "+mnt"), 0);
	/* A child sharing this process's fs_struct; it sleeps. */
	pid = clone((int (*)(void *))pause, stack + sizeof(stack),
		    CLONE_FS | SIGCHLD, NULL);
	ASSERT_GT(pid, 0);
	self->kids[self->nr_kids++] = pid;
	mnt = thread_ns(pid, pid, "mnt");
	EXPECT_EQ(move(self->db, pid), -EINVAL);
	EXPECT_EQ(thread_ns(pid, pid, "mnt"), mnt);
}

/* A single-threaded process enters a time namespace as with setns(2). */
TEST_F(attach, single_threaded_process_enters_time_namespace)
{
	pid_t pid = sleeper(self, 0);
	unsigned long time_ns;

	ASSERT_GT(pid, 0);
	ASSERT_EQ(write_str(self->plain, "taskset.facets", "+time"), 0);
	time_ns = node_ns_ino(self->plain, "time");
	ASSERT_NE(thread_ns(pid, pid, "time"), time_ns);
	ASSERT_EQ(move(self->plain, pid), 0);
	EXPECT_EQ(thread_ns(pid, pid, "time"), time_ns);
	EXPECT_EQ(thread_ns(pid, pid, "time_for_children"), time_ns);
}

/*
 * setns(2) refuses a time namespace to a multithreaded process; a move
 * gives it to its children only, its threads keep their clocks.
 */
TEST_F(attach, multithreaded_process_gets_time_namespace_for_children)
{
	pid_t pid = sleeper(self, 2), tids[4];
	unsigned long time_ns, old;
	int i, n;

	ASSERT_GT(pid, 0);
	ASSERT_EQ(write_str(self->plain, "taskset.facets", "+time"), 0);
	time_ns = node_ns_ino(self->plain, "time");
	old = thread_ns(pid, pid, "time");
	n = thread_ids(pid, tids, 4);
	ASSERT_EQ(n, 3);
	ASSERT_EQ(move(self->plain, pid), 0);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(thread_ns(pid, tids[i], "time"), old);
		EXPECT_EQ(thread_ns(pid, tids[i], "time_for_children"),
			  time_ns);
	}
}

/* The first process forked into a node's prepared pid namespace is init. */
TEST_F(attach, first_child_after_entering_a_pid_node_is_its_init)
{
	int go[2], report[2], status;
	long kid[2] = { 0, 0 };
	pid_t pid;
	char c;

	ASSERT_EQ(write_str(self->plain, "taskset.facets", "+pid"), 0);
	ASSERT_EQ(pipe(go), 0);
	ASSERT_EQ(pipe(report), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		pid_t init;

		if (read(go[0], &c, 1) != 1)
			_exit(1);
		init = fork();
		if (!init) {
			struct stat st;
			long me[2] = { getpid(), 0 };

			if (!stat("/proc/self/ns/pid", &st))
				me[1] = st.st_ino;
			write(report[1], me, sizeof(me));
			_exit(0);
		}
		waitpid(init, NULL, 0);
		_exit(0);
	}
	ASSERT_EQ(move(self->plain, pid), 0);
	EXPECT_TRUE(in(self->plain, "/plain\n", pid));
	/* Its own pid namespace does not change. */
	EXPECT_NE(thread_ns(pid, pid, "pid"), node_ns_ino(self->plain, "pid"));
	ASSERT_EQ(write(go[1], "g", 1), 1);
	ASSERT_EQ(read(report[0], kid, sizeof(kid)), sizeof(kid));
	EXPECT_EQ(kid[0], 1);
	EXPECT_EQ(kid[1], node_ns_ino(self->plain, "pid"));
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
}

/* Fork a child of the node's pid namespace: exit 0 if it is pid 1 there. */
static int first_child_is_init(const char *node)
{
	int fd = open(node, O_DIRECTORY | O_CLOEXEC), status;
	pid_t pid;

	if (fd < 0)
		return -errno;
	pid = clone3_into_node(fd, 0, -1);
	if (!pid)
		_exit(getpid() == 1 ? 0 : 1);
	close(fd);
	if (pid < 0)
		return -errno;
	if (waitpid(pid, &status, 0) != pid)
		return -ECHILD;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/*
 * A member of a prepared pid node forks while a move of it is pending:
 * the fork restarts, after a pid of the node's namespace was allocated
 * for it. The namespace must still take its init later.
 */
TEST_F(attach, fork_restarted_by_a_pending_move_leaves_the_pid_namespace)
{
	int go[2], report[2], status, forked = 0;
	pid_t pid, writer;
	char c;

	ASSERT_EQ(write_str(self->plain, "taskset.facets", "+pid"), 0);
	ASSERT_EQ(pipe(go), 0);
	ASSERT_EQ(pipe(report), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		pid_t kid;

		alarm(10);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		kid = fork();
		if (!kid)
			_exit(0);
		forked = kid > 0 ? 0 : errno;
		write(report[1], &forked, sizeof(forked));
		waitpid(kid, NULL, 0);
		for (;;)
			pause();
	}
	self->kids[self->nr_kids++] = pid;
	ASSERT_EQ(move(self->plain, pid), 0);
	if (set_move_delay_ms(600))
		SKIP(return, "no move_delay_ms: CONFIG_DEBUG_TASKSET is off");
	writer = fork();
	ASSERT_GE(writer, 0);
	if (!writer)
		_exit(-move(self->db, pid));
	/* The member forks while it is marked, before its switch is queued. */
	usleep(300 * 1000);
	ASSERT_EQ(write(go[1], "g", 1), 1);
	ASSERT_EQ(read(report[0], &forked, sizeof(forked)), sizeof(forked));
	ASSERT_EQ(waitpid(writer, &status, 0), writer);
	set_move_delay_ms(0);
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	/* Its fork went on in db, once it had switched. */
	EXPECT_EQ(forked, 0);
	EXPECT_TRUE(in(self->db, "/db\n", pid));
	EXPECT_EQ(first_child_is_init(self->plain), 0);
}

/* The state letter of thread @tid of @pid, as /proc shows it, or 0. */
static char thread_state(pid_t pid, pid_t tid)
{
	char dir[64], buf[256], *p;

	snprintf(dir, sizeof(dir), "/proc/%d/task/%d", pid, tid);
	if (read_at(dir, "stat", buf, sizeof(buf)) <= 0)
		return 0;
	p = strrchr(buf, ')');
	return p ? p[2] : 0;
}

/*
 * A process whose main thread called pthread_exit() is moved by its
 * pid, as cgroup.procs takes it: its other threads move.
 */
TEST_F(attach, process_whose_leader_exited_is_moved)
{
	pid_t pid, tids[4];
	int ready[2], i, n;
	char c, state = 0;

	ASSERT_EQ(pipe(ready), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		pthread_t t;

		pthread_create(&t, NULL, sleep_thread, NULL);
		write(ready[1], "r", 1);
		pthread_exit(NULL);
	}
	self->kids[self->nr_kids++] = pid;
	ASSERT_EQ(read(ready[0], &c, 1), 1);
	/* Wait for the leader to be a zombie. */
	for (i = 0; i < 500 && state != 'Z'; i++) {
		state = thread_state(pid, pid);
		usleep(10 * 1000);
	}
	ASSERT_EQ(state, 'Z');
	EXPECT_EQ(move(self->web, pid), 0);
	n = thread_ids(pid, tids, ARRAY_SIZE(tids));
	ASSERT_EQ(n, 2);
	for (i = 0; i < n; i++)
		if (tids[i] != pid)
			EXPECT_TRUE(thread_in(self->web, "/web\n", pid, tids[i]));
}

TEST_F(attach, bad_ids_are_refused)
{
	static const char * const garbage[] = {
		"0", "-1", "abc", "2147483648", "12 34", "", "1x", "\n",
	};
	char before[4096], after[4096];
	pid_t zombie;
	unsigned int i;

	ASSERT_GE(read_at(self->web, "taskset.procs", before, sizeof(before)), 0);
	for (i = 0; i < ARRAY_SIZE(garbage); i++) {
		EXPECT_EQ(write_str(self->web, "taskset.procs", garbage[i]),
			  -EINVAL) TH_LOG("\"%s\"", garbage[i]);
		EXPECT_EQ(write_str(self->web, "taskset.threads", garbage[i]),
			  -EINVAL) TH_LOG("\"%s\"", garbage[i]);
	}
	/* kthreadd */
	EXPECT_EQ(move(self->web, 2), -EINVAL);
	zombie = fork();
	ASSERT_GE(zombie, 0);
	if (!zombie)
		_exit(0);
	usleep(100 * 1000);
	EXPECT_EQ(move(self->web, zombie), -ESRCH);
	ASSERT_EQ(waitpid(zombie, NULL, 0), zombie);
	/* Reaped: no such pid. */
	EXPECT_EQ(move(self->web, zombie), -ESRCH);
	ASSERT_GE(read_at(self->web, "taskset.procs", after, sizeof(after)), 0);
	EXPECT_STREQ(before, after);
}

TEST_F(attach, pid_outside_the_openers_pid_namespace_is_not_found)
{
	pid_t outside = sleeper(self, 0), pid;
	int status;

	ASSERT_GT(outside, 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		pid_t init;

		if (unshare(CLONE_NEWPID))
			_exit(10);
		init = fork();
		if (!init) {
			/* Opened here: numbered in the new namespace. */
			_exit(move(self->web, outside) == -ESRCH ? 0 : 1);
		}
		waitpid(init, &status, 0);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 11);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
	EXPECT_FALSE(in(self->web, "/web\n", outside));
}

/* Run @fn in a child as user nobody; its exit status. */
static int as_nobody(int (*fn)(struct _test_data_attach *, pid_t),
		     struct _test_data_attach *self, pid_t arg)
{
	pid_t pid = fork();
	int status;

	if (!pid) {
		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(100);
		/* Changing uid made it undumpable: not ptrace-able. */
		prctl(PR_SET_DUMPABLE, 1);
		_exit(fn(self, arg));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void open_to_all(const char *node)
{
	chmod_file(node, "taskset.procs", 0666);
}

/* As nobody: move own child to web (owns namespaces), then to plain. */
static int nobody_moves_own_child(struct _test_data_attach *self, pid_t arg)
{
	pid_t kid = fork();
	int ret = 0;

	if (!kid) {
		for (;;)
			pause();
	}
	if (move(self->web, kid) != -EPERM)
		ret = 1;
	else if (move(self->plain, kid))
		ret = 2;
	else if (!in(self->plain, "/plain\n", kid))
		ret = 3;
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	return ret;
}

TEST_F(attach, unprivileged_writer_needs_caps_for_namespaces)
{
	/* The common ancestor's too: the child leaves the root. */
	open_to_all(self->dir);
	open_to_all(self->web);
	open_to_all(self->plain);
	EXPECT_EQ(as_nobody(nobody_moves_own_child, self, 0), 0);
}

/* As nobody: move own child to plain; its exit status is the -errno. */
static int nobody_moves_child_to_plain(struct _test_data_attach *self,
				       pid_t arg)
{
	pid_t kid = fork();
	int ret;

	if (!kid) {
		for (;;)
			pause();
	}
	ret = -move(self->plain, kid);
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	return ret;
}

/*
 * Writing a node's taskset.procs lets a task in; taking it out of its
 * node also needs the right to write the common ancestor's, as cgroup
 * v2 asks of cgroup.procs: nobody's child leaves the root only once the
 * root's file is open to nobody too.
 */
TEST_F(attach, moving_out_needs_the_common_ancestors_file)
{
	open_to_all(self->plain);
	EXPECT_EQ(as_nobody(nobody_moves_child_to_plain, self, 0), EACCES);
	open_to_all(self->dir);
	EXPECT_EQ(as_nobody(nobody_moves_child_to_plain, self, 0), 0);
}

static int nobody_moves_root_task(struct _test_data_attach *self, pid_t pid)
{
	return move(self->plain, pid) == -EPERM ? 0 : 1;
}

TEST_F(attach, unprivileged_writer_cannot_move_others_tasks)
{
	pid_t pid = sleeper(self, 0);

	ASSERT_GT(pid, 0);
	open_to_all(self->dir);
	open_to_all(self->plain);
	EXPECT_EQ(as_nobody(nobody_moves_root_task, self, pid), 0);
	EXPECT_TRUE(in(self->dir, "/\n", pid));
}

TEST_F(attach, fd_passed_from_unprivileged_opener_stays_unprivileged)
{
	pid_t pid = sleeper(self, 0), opener;
	int ready[2], pidfd, fd = -1;
	char path[PATH_MAX], id[32];

	ASSERT_GT(pid, 0);
	open_to_all(self->dir);
	open_to_all(self->web);
	ASSERT_EQ(pipe(ready), 0);
	opener = fork();
	ASSERT_GE(opener, 0);
	if (!opener) {
		int n;

		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(1);
		snprintf(path, sizeof(path), "%s/taskset.procs", self->web);
		n = open(path, O_WRONLY);
		write(ready[1], &n, sizeof(n));
		for (;;)
			pause();
	}
	self->kids[self->nr_kids++] = opener;
	ASSERT_EQ(read(ready[0], &fd, sizeof(fd)), sizeof(fd));
	ASSERT_GE(fd, 0);
	/* Root takes the very file nobody opened. */
	pidfd = syscall(SYS_pidfd_open, opener, 0);
	ASSERT_GE(pidfd, 0);
	fd = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	ASSERT_GE(fd, 0) TH_LOG("%m: pidfd_getfd");
	snprintf(id, sizeof(id), "%d\n", pid);
	EXPECT_EQ(write(fd, id, strlen(id)), -1);
	EXPECT_EQ(errno, EPERM);
	EXPECT_TRUE(in(self->dir, "/\n", pid));
	close(fd);
	close(pidfd);
}

/*
 * A process that forks without a pause: each child reports whether it
 * started wholly in web or wholly outside, on @fd.
 */
static void fork_storm(const char *web, int fd)
{
	for (;;) {
		pid_t kid = fork();

		if (!kid) {
			bool web_ns = thread_ns(getpid(), getpid(), "uts") ==
				      node_ns_ino(web, "uts") &&
				      thread_ns(getpid(), getpid(), "ipc") ==
				      node_ns_ino(web, "ipc");
			bool out_ns = thread_ns(getpid(), getpid(), "uts") !=
				      node_ns_ino(web, "uts") &&
				      thread_ns(getpid(), getpid(), "ipc") !=
				      node_ns_ino(web, "ipc");
			char buf[64], c = '?';

			if (read_at("/proc/self", "taskset", buf,
				    sizeof(buf)) < 0)
				buf[0] = '\0';
			if (!strcmp(buf, "/web\n") && web_ns)
				c = 'w';
			else if (!strcmp(buf, "/\n") && out_ns)
				c = 'o';
			write(fd, &c, 1);
			_exit(0);
		}
		if (kid > 0) {
			waitpid(kid, NULL, 0);
		} else if (errno != EAGAIN) {
			/* A restarted fork must never fail to user space. */
			char c = '?';

			write(fd, &c, 1);
		}
	}
}

TEST_F(attach, children_forked_during_a_move_are_wholly_in_one_node)
{
	int fds[2], n_web = 0, n_out = 0, n_bad = 0;
	pid_t pid;
	char c;

	ASSERT_EQ(pipe(fds), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		close(fds[0]);
		fork_storm(self->web, fds[1]);
	}
	self->kids[self->nr_kids++] = pid;
	close(fds[1]);
	usleep(200 * 1000);
	ASSERT_EQ(move(self->web, pid), 0);
	usleep(200 * 1000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	self->nr_kids--;
	while (read(fds[0], &c, 1) == 1) {
		n_web += c == 'w';
		n_out += c == 'o';
		n_bad += c == '?';
	}
	close(fds[0]);
	EXPECT_EQ(n_bad, 0);
	EXPECT_GT(n_web, 0);
	EXPECT_GT(n_out, 0);
}

static void *spawn_threads(void *arg)
{
	for (;;) {
		pthread_t t;
		int err = pthread_create(&t, NULL, sleep_thread, NULL);

		if (!err)
			pthread_detach(t);
		else if (err != EAGAIN)
			_exit(3);	/* a restarted clone() must not fail */
		usleep(1000);
	}
	return NULL;
}

TEST_F(attach, threads_created_during_a_move_are_moved)
{
	pid_t pid, tids[4096];
	int i, n, ready[2];
	char c;

	ASSERT_EQ(pipe(ready), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		pthread_t t;

		pthread_create(&t, NULL, spawn_threads, NULL);
		pthread_create(&t, NULL, spawn_threads, NULL);
		write(ready[1], "r", 1);
		for (;;)
			pause();
	}
	self->kids[self->nr_kids++] = pid;
	ASSERT_EQ(read(ready[0], &c, 1), 1);
	usleep(50 * 1000);
	ASSERT_EQ(move(self->web, pid), 0);
	/* Stop the spawning, then look at every thread. */
	ASSERT_EQ(kill(pid, SIGSTOP), 0);
	ASSERT_EQ(waitpid(pid, NULL, WUNTRACED), pid);
	n = thread_ids(pid, tids, 4096);
	ASSERT_GT(n, 3);
	for (i = 0; i < n; i++)
		EXPECT_TRUE(thread_in(self->web, "/web\n", pid, tids[i]))
			TH_LOG("thread %d of %d", tids[i], pid);
}

TEST_F_TIMEOUT(attach, process_exiting_during_a_move_returns, 180)
{
	int i, moved = 0, gone = 0;

	for (i = 0; i < 100; i++) {
		pid_t pid = fork();
		int ret;

		ASSERT_GE(pid, 0);
		if (!pid) {
			usleep(i * 20);
			_exit(0);
		}
		ret = move(self->plain, pid);
		EXPECT_TRUE(ret == 0 || ret == -ESRCH) TH_LOG("%d", ret);
		moved += !ret;
		gone += ret == -ESRCH;
		ASSERT_EQ(waitpid(pid, NULL, 0), pid);
	}
	EXPECT_EQ(moved + gone, 100);
	/* The exited ones are no one's members. */
	EXPECT_EQ(count_lines(self->plain, "taskset.procs"), 0);
}

/* A process blocked in vfork() for @ms: its sleep is not interruptible. */
static pid_t vforker(struct _test_data_attach *self, int ms)
{
	pid_t pid = fork();

	if (!pid) {
		if (!vfork()) {
			usleep(ms * 1000);
			_exit(0);
		}
		for (;;)
			pause();
	}
	if (pid > 0)
		self->kids[self->nr_kids++] = pid;
	return pid;
}

TEST_F(attach, writer_killed_while_waiting_moves_nothing)
{
	pid_t target = vforker(self, 1000), writer;
	int status;

	ASSERT_GT(target, 0);
	usleep(100 * 1000);
	writer = fork();
	ASSERT_GE(writer, 0);
	if (!writer)
		_exit(move(self->web, target) ? 1 : 0);
	/* The target cannot switch before its vfork child exits. */
	usleep(300 * 1000);
	ASSERT_EQ(waitpid(writer, &status, WNOHANG), 0);
	ASSERT_EQ(kill(writer, SIGKILL), 0);
	ASSERT_EQ(waitpid(writer, &status, 0), writer);
	ASSERT_TRUE(WIFSIGNALED(status));
	/* Once free, the target gives its switch up: it stays outside. */
	usleep(1200 * 1000);
	EXPECT_TRUE(in(self->dir, "/\n", target));
	EXPECT_EQ(count_lines(self->web, "taskset.procs"), 0);
	/* Nothing is left pending: it can be moved again. */
	EXPECT_EQ(move(self->web, target), 0);
	EXPECT_TRUE(in(self->web, "/web\n", target));
}

struct writer {
	const char *node;
	pid_t pid;
	int errors;
};

static void *write_loop(void *arg)
{
	struct writer *w = arg;
	int i;

	for (i = 0; i < 100; i++)
		w->errors += move(w->node, w->pid) != 0;
	return NULL;
}

TEST_F_TIMEOUT(attach, concurrent_writers_both_return_and_one_wins, 180)
{
	pid_t pid = sleeper(self, 2);
	struct writer a = { .node = self->web, .pid = pid };
	struct writer b = { .node = self->db, .pid = pid };
	pthread_t ta, tb;
	bool in_web, in_db;

	ASSERT_GT(pid, 0);
	ASSERT_EQ(pthread_create(&ta, NULL, write_loop, &a), 0);
	ASSERT_EQ(pthread_create(&tb, NULL, write_loop, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	EXPECT_EQ(a.errors, 0);
	EXPECT_EQ(b.errors, 0);
	in_web = in(self->web, "/web\n", pid);
	in_db = thread_in(self->db, "/db\n", pid, pid);
	EXPECT_TRUE(in_web != in_db);
	EXPECT_EQ(count_lines(in_web ? self->web : self->db,
			      "taskset.threads"), 3);
}

struct racer {
	const char *node;
	pid_t pid;
	bool rmdir;
	atomic_int go;
	int ret;
};

/* Move r->pid into r->node, or remove r->node: -errno or 0. */
static int race_op(struct racer *r, bool rm)
{
	if (rm)
		return rmdir(r->node) ? -errno : 0;
	return move(r->node, r->pid);
}

static void *race_thread(void *arg)
{
	struct racer *r = arg;

	while (!atomic_load(&r->go))
		;
	r->ret = race_op(r, r->rmdir);
	return NULL;
}

/*
 * The move and the rmdir start together, each in turn from the thread
 * that goes first: a move waits for its target to switch, and an rmdir
 * in that window finds it in flight. Which one wins is the scheduler's
 * choice (on one CPU, it may always be the same): every fourth iteration
 * runs the move first, and every fourth the rmdir, so that both
 * outcomes are checked on every run.
 */
static void race_or_order(struct racer *r, int order, int *mv, int *rm)
{
	pthread_t t;
	int mine;

	if (order == 2) {
		*mv = race_op(r, false);
		*rm = race_op(r, true);
		return;
	}
	if (order == 3) {
		*rm = race_op(r, true);
		*mv = race_op(r, false);
		return;
	}
	r->rmdir = order;
	if (pthread_create(&t, NULL, race_thread, r)) {
		*mv = *rm = -EAGAIN;
		return;
	}
	atomic_store(&r->go, 1);
	mine = race_op(r, !r->rmdir);
	pthread_join(t, NULL);
	*mv = r->rmdir ? mine : r->ret;
	*rm = r->rmdir ? r->ret : mine;
}

TEST_F_TIMEOUT(attach, rmdir_racing_a_move_leaves_no_task_in_a_dead_node, 180)
{
	pid_t pid = sleeper(self, 0);
	char tmp[300];
	int i, wins = 0, losses = 0;

	ASSERT_GT(pid, 0);
	snprintf(tmp, sizeof(tmp), "%s/tmp", self->dir);
	for (i = 0; i < 200; i++) {
		struct racer r = { .node = tmp, .pid = pid };
		int mv, rm;

		ASSERT_EQ(mkdir(tmp, 0755), 0);
		race_or_order(&r, i % 4, &mv, &rm);
		if (mv == 0) {
			/* The move won: the node stayed, with its member. */
			ASSERT_EQ(rm, -EBUSY);
			ASSERT_TRUE(in(tmp, "/tmp\n", pid));
			ASSERT_EQ(move(self->dir, pid), 0);
			ASSERT_EQ(rmdir(tmp), 0);
			wins++;
		} else {
			/* ENODEV: kernfs had removed the file already. */
			ASSERT_TRUE(mv == -ENOENT || mv == -ENODEV) TH_LOG("%d", mv);
			ASSERT_EQ(rm, 0);
			losses++;
		}
		ASSERT_TRUE(in(self->dir, "/\n", pid));
	}
	TH_LOG("moves won %d, rmdir won %d", wins, losses);
	/* Both orders happened: the race was run, not one side of it. */
	EXPECT_GT(wins, 0);
	EXPECT_GT(losses, 0);
}

TEST_F_TIMEOUT(attach, a_thousand_moves_leave_the_counts_as_they_were, 180)
{
	long proxies, namespaces;
	pid_t pid;
	int i;

	proxies = read_key(self->dir, "taskset.stat", "proxies");
	namespaces = read_key(self->dir, "taskset.stat", "namespaces");
	ASSERT_GT(proxies, 0);
	pid = sleeper(self, 1);
	ASSERT_GT(pid, 0);
	for (i = 0; i < 1000; i++)
		ASSERT_EQ(move(i % 2 ? self->db : self->web, pid), 0);
	EXPECT_TRUE(in(self->db, "/db\n", pid));
	ASSERT_EQ(move(self->dir, pid), 0);
	EXPECT_TRUE(in(self->dir, "/\n", pid));
	EXPECT_EQ(count_lines(self->web, "taskset.procs"), 0);
	EXPECT_EQ(count_lines(self->db, "taskset.procs"), 0);
	EXPECT_EQ(wait_stat(self->dir, "proxies", proxies), proxies);
	EXPECT_EQ(wait_stat(self->dir, "namespaces", namespaces), namespaces);
	/* Empty again: the nodes can go. */
	EXPECT_EQ(rmdir(self->web), 0);
	EXPECT_EQ(rmdir(self->db), 0);
}

TEST_HARNESS_MAIN
