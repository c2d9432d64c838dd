// SPDX-License-Identifier: GPL-2.0
/*
 * CLONE_INTO_TASKSET: clone3() starts its child inside the node whose
 * tasksetfs directory clone_args.taskset names, with the node's states
 * from its first instruction; checked as CLONE_INTO_CGROUP checks its fd,
 * allowed as writing taskset.procs with the directory opener's
 * credentials.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/types.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME		0x00000080
#endif
#define ARGS_SIZE_VER0	64
#define ARGS_SIZE_VER1	80
#define ARGS_SIZE_VER2	88

#define WAKE_MS		5000
#define STORM_FORKERS	4
#define STORM_CHILDREN	50

#ifndef CLONE_PIDFD
#define CLONE_PIDFD		0x00001000
#endif

FIXTURE(into) {
	char dir[sizeof(MNT_TEMPLATE)];
	char box[256];
	int fd;
};

FIXTURE_SETUP(into)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->box, sizeof(self->box), "%s/box", self->dir);
	ASSERT_EQ(mkdir(self->box, 0755), 0);
	self->fd = open(self->box, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(self->fd, 0);
}

FIXTURE_TEARDOWN(into)
{
	kill_members((const char *[]){ self->box }, 1);
	if (self->fd >= 0)
		close(self->fd);
	rmdir(self->box);
	tasksetfs_umount_tmp(self->dir);
}

/* clone3() with @size bytes of @args: the child gets 0, as fork(). */
static pid_t clone3_args(struct args_v3 *args, size_t size)
{
	args->exit_signal = SIGCHLD;
	return syscall(SYS_clone3, args, size);
}

static pid_t clone3_into(int fd, unsigned long long flags)
{
	struct args_v3 args = {
		.flags = CLONE_INTO_TASKSET | flags,
		.taskset = fd,
	};

	return clone3_args(&args, ARGS_SIZE_VER3);
}

/* The errno of a clone3() that must fail; 0 if it did not. */
static int clone3_errno(struct args_v3 *args, size_t size)
{
	pid_t pid = clone3_args(args, size);

	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		waitpid(pid, NULL, 0);
		return 0;
	}
	return errno;
}

static int into_errno(int fd, unsigned long long flags)
{
	struct args_v3 args = {
		.flags = CLONE_INTO_TASKSET | flags,
		.taskset = fd,
	};

	return clone3_errno(&args, ARGS_SIZE_VER3);
}

/* Exit status of @pid, or -1 if it did not exit by itself. */
static int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The inode of current's namespace /proc/self/ns/@link, or 0. */
static unsigned long self_ns_ino(const char *link)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", link);
	return stat(path, &st) ? 0 : st.st_ino;
}

/* Is current in the node @want ("/box")? */
static bool self_in(const char *want)
{
	char buf[256];
	ssize_t len = read_at("/proc/self", "taskset", buf, sizeof(buf));

	if (len <= 0)
		return false;
	if (buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return !strcmp(buf, want);
}

/* The number of processes in @node/taskset.procs. */
static long nr_procs(const char *node)
{
	char path[PATH_MAX];
	long n = 0;
	FILE *f;
	int c;

	snprintf(path, sizeof(path), "%s/taskset.procs", node);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Poll, for up to WAKE_MS, until @node has @want processes. */
static long wait_nr_procs(const char *node, long want)
{
	long n = -1;
	int i;

	for (i = 0; i < WAKE_MS / 10; i++) {
		n = nr_procs(node);
		if (n == want)
			break;
		sleep_ms(10);
	}
	return n;
}

TEST_F(into, child_starts_as_a_member)
{
	pid_t pid;
	int go[2];
	char c;

	ASSERT_EQ(pipe(go), 0);
	pid = clone3_into(self->fd, 0);
	ASSERT_GE(pid, 0) TH_LOG("%m");
	if (pid == 0) {
		/* Inside before anything else ran. */
		if (!self_in("/box"))
			_exit(1);
		close(go[1]);
		_exit(read(go[0], &c, 1) == 0 ? 0 : 2);
	}
	close(go[0]);
	EXPECT_EQ(read_key(self->box, "taskset.events", "populated"), 1);
	EXPECT_TRUE(self_in("/"));
	close(go[1]);
	EXPECT_EQ(reap(pid), 0);
	EXPECT_EQ(wait_populated_ms(self->box, 0, WAKE_MS), 0);
}

/* A node owning each namespace type: the child has its namespace. */
static const struct {
	const char *facet;
	const char *link;
} ns_types[] = {
	{ "uts", "uts" },
	{ "ipc", "ipc" },
	{ "mnt", "mnt" },
	{ "pid", "pid" },
	{ "net", "net" },
	{ "time", "time" },
	{ "cgroup", "cgroup" },
};

TEST_F(into, each_namespace_type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ns_types); i++) {
		char add[32], del[32];
		unsigned long ino, mine;
		pid_t pid;

		snprintf(add, sizeof(add), "+%s", ns_types[i].facet);
		snprintf(del, sizeof(del), "-%s", ns_types[i].facet);
		if (write_str(self->box, "taskset.facets", add))
			continue;	/* not a facet in this kernel */
		ino = node_ns_ino(self->box, ns_types[i].facet);
		mine = self_ns_ino(ns_types[i].link);
		ASSERT_NE(ino, 0);
		ASSERT_NE(ino, mine);
		pid = clone3_into(self->fd, 0);
		ASSERT_GE(pid, 0) TH_LOG("%s: %m", ns_types[i].facet);
		if (pid == 0)
			_exit(self_ns_ino(ns_types[i].link) == ino ? 0 : 1);
		EXPECT_EQ(reap(pid), 0) TH_LOG("%s", ns_types[i].facet);
		EXPECT_EQ(self_ns_ino(ns_types[i].link), mine);
		ASSERT_EQ(wait_populated_ms(self->box, 0, WAKE_MS), 0);
		ASSERT_EQ(write_str(self->box, "taskset.facets", del), 0);
	}
}

/* The node's pid namespace is the child's own: the first one is init. */
TEST_F(into, first_child_is_pid_namespace_init)
{
	pid_t first, second;
	int go[2];
	char c;

	ASSERT_EQ(write_str(self->box, "taskset.facets", "+pid"), 0);
	ASSERT_EQ(pipe(go), 0);
	first = clone3_into(self->fd, 0);
	ASSERT_GE(first, 0) TH_LOG("%m");
	if (first == 0) {
		if (getpid() != 1)
			_exit(1);
		close(go[1]);
		_exit(read(go[0], &c, 1) == 0 ? 0 : 2);
	}
	second = clone3_into(self->fd, 0);
	ASSERT_GE(second, 0) TH_LOG("%m");
	if (second == 0)
		_exit(getpid() == 2 ? 0 : 1);
	EXPECT_EQ(reap(second), 0);
	close(go[0]);
	close(go[1]);
	EXPECT_EQ(reap(first), 0);
}

/* A new mount namespace: root and cwd are its root, as setns(2) sets. */
TEST_F(into, mount_namespace_sets_root_and_cwd)
{
	char cwd[PATH_MAX];
	pid_t pid;

	ASSERT_EQ(write_str(self->box, "taskset.facets", "+mnt"), 0);
	ASSERT_NE(getcwd(cwd, sizeof(cwd)), NULL);
	ASSERT_EQ(chdir("/proc"), 0);
	pid = clone3_into(self->fd, 0);
	if (pid == 0) {
		char buf[PATH_MAX];

		_exit(getcwd(buf, sizeof(buf)) && !strcmp(buf, "/") ? 0 : 1);
	}
	ASSERT_EQ(chdir(cwd), 0);
	ASSERT_GE(pid, 0) TH_LOG("%m");
	EXPECT_EQ(reap(pid), 0);
}

/* CLONE_FS would share root and cwd across mount namespaces. */
TEST_F(into, clone_fs_refused_if_the_mount_namespace_changes)
{
	pid_t pid;

	ASSERT_EQ(write_str(self->box, "taskset.facets", "+uts"), 0);
	pid = clone3_into(self->fd, CLONE_FS);
	ASSERT_GE(pid, 0) TH_LOG("%m");
	if (pid == 0)
		_exit(0);
	EXPECT_EQ(reap(pid), 0);
	ASSERT_EQ(wait_populated_ms(self->box, 0, WAKE_MS), 0);

	ASSERT_EQ(write_str(self->box, "taskset.facets", "+mnt"), 0);
	EXPECT_EQ(into_errno(self->fd, CLONE_FS), EINVAL);
	EXPECT_EQ(into_errno(self->fd, 0), 0);
}

/* CLONE_SYSVSEM would share semaphore undo lists across IPC namespaces. */
TEST_F(into, clone_sysvsem_refused_if_the_ipc_namespace_changes)
{
	EXPECT_EQ(into_errno(self->fd, CLONE_SYSVSEM), 0);
	ASSERT_EQ(write_str(self->box, "taskset.facets", "+ipc"), 0);
	EXPECT_EQ(into_errno(self->fd, CLONE_SYSVSEM), EINVAL);
	EXPECT_EQ(into_errno(self->fd, 0), 0);
}

/* A refused clone leaves the node as it was: it can be removed. */
TEST_F(into, refused_clone_leaves_nothing)
{
	ASSERT_EQ(write_str(self->box, "taskset.facets", "+mnt"), 0);
	ASSERT_EQ(into_errno(self->fd, CLONE_FS), EINVAL);
	EXPECT_EQ(read_key(self->box, "taskset.events", "populated"), 0);
	EXPECT_EQ(rmdir(self->box), 0);
}

/* A thread starts in its process's node. */
TEST_F(into, clone_thread_refused)
{
	struct args_v3 args = {
		.flags = CLONE_INTO_TASKSET | CLONE_THREAD | CLONE_SIGHAND |
			 CLONE_VM,
		.taskset = self->fd,
	};
	size_t size = 1 << 16;
	void *stack = malloc(size);

	ASSERT_NE(stack, NULL);
	args.stack = (uintptr_t)stack;
	args.stack_size = size;
	/* exit_signal must be 0 with CLONE_THREAD. */
	EXPECT_EQ(syscall(SYS_clone3, &args, ARGS_SIZE_VER3), -1);
	EXPECT_EQ(errno, EINVAL);
	free(stack);
}

/* Every size of clone_args: the flag needs VER3; extra bytes must be 0. */
TEST_F(into, size_variants)
{
	static const size_t smaller[] = {
		ARGS_SIZE_VER0, ARGS_SIZE_VER1, ARGS_SIZE_VER2,
	};
	struct args_v3 args;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(smaller); i++) {
		args = (struct args_v3){ .flags = CLONE_INTO_TASKSET };
		EXPECT_EQ(clone3_errno(&args, smaller[i]), EINVAL)
			TH_LOG("size %zu", smaller[i]);
		/* Without the flag, every size still works. */
		args = (struct args_v3){};
		EXPECT_EQ(clone3_errno(&args, smaller[i]), 0)
			TH_LOG("size %zu", smaller[i]);
	}
	args = (struct args_v3){ .flags = CLONE_INTO_TASKSET,
				 .taskset = self->fd };
	EXPECT_EQ(clone3_errno(&args, ARGS_SIZE_VER3), 0);
	args = (struct args_v3){ .flags = CLONE_INTO_TASKSET,
				 .taskset = self->fd };
	EXPECT_EQ(clone3_errno(&args, sizeof(args)), 0);
	args = (struct args_v3){ .flags = CLONE_INTO_TASKSET,
				 .taskset = self->fd, .excess = 1 };
	EXPECT_EQ(clone3_errno(&args, sizeof(args)), E2BIG);
}

/* Each invalid combination, and each errno of a bad descriptor. */
TEST_F(into, invalid_arguments)
{
	struct args_v3 args;
	char path[PATH_MAX];
	pid_t pid;
	int fd;

	/* Without the flag, ignored, as clone_args.cgroup is. */
	args = (struct args_v3){ .taskset = self->fd };
	pid = clone3_args(&args, ARGS_SIZE_VER3);
	if (pid == 0)
		_exit(self_in("/") ? 0 : 1);
	ASSERT_GT(pid, 0) TH_LOG("%m: clone3");
	/* The child started in its parent's node, not in the fd's. */
	EXPECT_EQ(reap(pid), 0);
	args = (struct args_v3){ .flags = CLONE_INTO_TASKSET,
				 .taskset = (__u64)INT_MAX + 1 };
	EXPECT_EQ(clone3_errno(&args, ARGS_SIZE_VER3), EINVAL);
	args = (struct args_v3){ .flags = CLONE_INTO_TASKSET,
				 .taskset = (__u64)-1 };
	EXPECT_EQ(clone3_errno(&args, ARGS_SIZE_VER3), EINVAL);
	/* Not an open file. */
	EXPECT_EQ(into_errno(INT_MAX, 0), EBADF);
	/* A directory, but not of tasksetfs. */
	fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(into_errno(fd, 0), EBADF);
	close(fd);
	/* A file of tasksetfs, not a directory. */
	snprintf(path, sizeof(path), "%s/taskset.procs", self->box);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(into_errno(fd, 0), EBADF);
	close(fd);
	EXPECT_EQ(read_key(self->box, "taskset.events", "populated"), 0);
}

/* A removed node, whose directory is still open: ENOENT. */
TEST_F(into, removed_node)
{
	ASSERT_EQ(rmdir(self->box), 0);
	EXPECT_EQ(into_errno(self->fd, 0), ENOENT);
	EXPECT_EQ(into_errno(self->fd, CLONE_NEWTASKSET), ENOENT);
}

/*
 * The caller decides, as for CLONE_INTO_CGROUP, not the directory's
 * opener: a descriptor carries no authority. Opened by nobody, allowed
 * to root; opened by root, handed to nobody, refused.
 */
TEST_F(into, caller_credentials_decide)
{
	int status, fd;
	pid_t pid;

	ASSERT_EQ(write_str(self->box, "taskset.facets", "+uts"), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (setresuid(0, NOBODY, 0))
			_exit(10);
		fd = open(self->box, O_PATH | O_DIRECTORY);
		if (fd < 0 || setresuid(0, 0, 0))
			_exit(11);
		_exit(into_errno(fd, 0));
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(WEXITSTATUS(status), 0);

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(10);
		_exit(into_errno(self->fd, 0));
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(WEXITSTATUS(status), EPERM);
}

/* With CLONE_NEWTASKSET, the new node is a child of the given one. */
TEST_F(into, new_node_inside)
{
	char node[256], path[PATH_MAX];
	int ready[2], go[2];
	ssize_t len;
	pid_t pid;
	char c;

	ASSERT_EQ(pipe(ready), 0);
	ASSERT_EQ(pipe(go), 0);
	pid = clone3_into(self->fd, CLONE_NEWTASKSET | CLONE_NEWUTS);
	ASSERT_GE(pid, 0) TH_LOG("%m");
	if (pid == 0) {
		close(go[1]);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		_exit(read(go[0], &c, 1) == 0 ? 0 : 2);
	}
	close(go[0]);
	ASSERT_EQ(read(ready[0], &c, 1), 1);
	snprintf(path, sizeof(path), "/proc/%d", pid);
	len = read_at(path, "taskset", node, sizeof(node));
	ASSERT_GT(len, 0);
	node[len - 1] = '\0';
	EXPECT_EQ(strncmp(node, "/box/clone.", 11), 0) TH_LOG("%s", node);
	snprintf(path, sizeof(path), "%s%s", self->dir, node);
	EXPECT_EQ(read_key(self->box, "taskset.events", "populated"), 1);
	close(go[1]);
	EXPECT_EQ(reap(pid), 0);
	EXPECT_TRUE(wait_gone_ms(path, WAKE_MS));
}

/* Clone @n children into @fd, each waiting for @go to close. */
static int clone_many(int fd, int n, int go)
{
	char c;
	int i;

	for (i = 0; i < n; i++) {
		pid_t pid = clone3_into(fd, 0);

		if (pid < 0)
			return -1;
		if (pid == 0)
			_exit(read(go, &c, 1) == 0 ? 0 : 1);
	}
	return 0;
}

/* Several processes clone into one node at once: every child is in. */
TEST_F_TIMEOUT(into, fork_storm, 120)
{
	pid_t forkers[STORM_FORKERS];
	int go[2], i, status;

	ASSERT_EQ(write_str(self->box, "taskset.facets", "+uts +ipc +net"),
		  0);
	ASSERT_EQ(pipe(go), 0);
	for (i = 0; i < STORM_FORKERS; i++) {
		forkers[i] = fork();
		ASSERT_GE(forkers[i], 0);
		if (forkers[i] == 0) {
			close(go[1]);
			if (clone_many(self->fd, STORM_CHILDREN, go[0]))
				_exit(1);
			while (wait(&status) > 0)
				if (!WIFEXITED(status) || WEXITSTATUS(status))
					_exit(2);
			_exit(0);
		}
	}
	close(go[0]);
	EXPECT_EQ(wait_nr_procs(self->box, STORM_FORKERS * STORM_CHILDREN),
		  STORM_FORKERS * STORM_CHILDREN);
	close(go[1]);
	for (i = 0; i < STORM_FORKERS; i++)
		EXPECT_EQ(reap(forkers[i]), 0);
	EXPECT_EQ(wait_populated_ms(self->box, 0, WAKE_MS), 0);
}

/*
 * A clone3() stalled on purpose after the child's states are set and
 * before it is linked, where it writes the child's pidfd to user memory:
 * a page that a userfaultfd serves.
 */
struct stalled_clone {
	int uffd;
	void *page;
	size_t size;
	int taskset;
	pthread_t thread;
	pid_t pid;
};

static void *stalled_clone_thread(void *arg)
{
	struct stalled_clone *sc = arg;
	struct args_v3 args = {
		.flags = CLONE_INTO_TASKSET | CLONE_PIDFD,
		.pidfd = (uintptr_t)sc->page,
		.taskset = sc->taskset,
	};

	sc->pid = clone3_args(&args, ARGS_SIZE_VER3);
	if (sc->pid == 0)
		for (;;)
			pause();
	return NULL;
}

/* Start a clone into @taskset, and wait until it is stalled. */
static int stall_clone(struct stalled_clone *sc, int taskset)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct pollfd pfd;
	struct uffd_msg msg;

	sc->taskset = taskset;
	sc->size = getpagesize();
	sc->uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (sc->uffd < 0 || ioctl(sc->uffd, UFFDIO_API, &api))
		return -1;
	sc->page = mmap(NULL, sc->size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sc->page == MAP_FAILED)
		return -1;
	reg.range.start = (uintptr_t)sc->page;
	reg.range.len = sc->size;
	if (ioctl(sc->uffd, UFFDIO_REGISTER, &reg) ||
	    pthread_create(&sc->thread, NULL, stalled_clone_thread, sc))
		return -1;
	pfd = (struct pollfd){ .fd = sc->uffd, .events = POLLIN };
	if (poll(&pfd, 1, WAKE_MS) != 1 ||
	    read(sc->uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		return -1;
	return 0;
}

/* Let the stalled clone go on; its child's pid, or -1. */
static pid_t resume_clone(struct stalled_clone *sc)
{
	struct uffdio_zeropage zero = {
		.range = { .start = (uintptr_t)sc->page, .len = sc->size },
	};

	if (ioctl(sc->uffd, UFFDIO_ZEROPAGE, &zero) ||
	    pthread_join(sc->thread, NULL))
		return -1;
	close(*(int *)sc->page);
	munmap(sc->page, sc->size);
	close(sc->uffd);
	return sc->pid;
}

/* Did @pid die of SIGKILL within WAKE_MS? It is reaped if it did. */
static bool killed_soon(pid_t pid)
{
	int status, i;

	for (i = 0; i < WAKE_MS / 10; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
		if (r < 0)
			return false;
		sleep_ms(10);
	}
	return false;
}

/*
 * A kill of the subtree runs while a child is being cloned into it by a
 * parent outside, which the kill does not reach, and is over before the
 * child is linked, so that its walk of the tasks cannot meet the child:
 * the clone kills the child itself. A clone that starts after the kill
 * is not affected.
 */
TEST_F(into, kill_reaches_a_child_being_cloned_from_outside)
{
	struct stalled_clone sc;
	char inner[PATH_MAX];
	int inner_fd;
	pid_t pid;

	snprintf(inner, sizeof(inner), "%s/inner", self->box);
	ASSERT_EQ(mkdir(inner, 0755), 0);
	inner_fd = open(inner, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(inner_fd, 0);

	ASSERT_EQ(stall_clone(&sc, inner_fd), 0) TH_LOG("%m");
	/* From the top of the subtree: a kill of an ancestor counts. */
	ASSERT_EQ(write_str(self->box, "taskset.kill", "1"), 0);
	pid = resume_clone(&sc);
	ASSERT_GT(pid, 0);
	EXPECT_TRUE(killed_soon(pid));
	EXPECT_EQ(wait_populated_ms(self->box, 0, WAKE_MS), 0);

	ASSERT_EQ(stall_clone(&sc, inner_fd), 0) TH_LOG("%m");
	pid = resume_clone(&sc);
	ASSERT_GT(pid, 0);
	sleep_ms(200);
	EXPECT_EQ(waitpid(pid, NULL, WNOHANG), 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(inner_fd);
	EXPECT_EQ(rmdir(inner), 0);
}

TEST_HARNESS_MAIN
