// SPDX-License-Identifier: GPL-2.0
/*
 * The security model of a move: the target's rights as well as the
 * opener's. A task is never put into a namespace owned by a user
 * namespace its credentials are not in, whoever writes its pid, and a
 * task whose credentials change between the write and its switch (a
 * setuid program run meanwhile) is not moved.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#define USER_UID	1000
/* A party that outlives its test is killed by this. */
#define GUARD_S		30
/* The environment variable that makes this program pause at once. */
#define PAUSE_ENV	"PERM_TEST_PAUSE"

/* Run as a setuid program by a test: pause until killed. */
static void __attribute__((constructor)) pause_if_asked(void)
{
	if (!getenv(PAUSE_ENV))
		return;
	for (;;)
		pause();
}

FIXTURE(perm) {
	char dir[sizeof(MNT_TEMPLATE)];
	char suid[64];
	pid_t kids[4];
	int nr_kids;
	bool delay;
};

FIXTURE_SETUP(perm)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
}

FIXTURE_TEARDOWN(perm)
{
	int i;

	if (self->delay)
		set_move_delay_ms(0);
	for (i = 0; i < self->nr_kids; i++) {
		kill(self->kids[i], SIGKILL);
		waitpid(self->kids[i], NULL, 0);
	}
	if (self->suid[0])
		unlink(self->suid);
	chmod_file(self->dir, "taskset.procs", 0644);
	tasksetfs_umount_tmp(self->dir);
}

static void keep_kid(struct _test_data_perm *self, pid_t pid)
{
	if (pid > 0)
		self->kids[self->nr_kids++] = pid;
}

/* Become uid USER_UID, every uid and gid; false if that failed. */
static bool become_user(void)
{
	return !setresgid(USER_UID, USER_UID, USER_UID) &&
	       !setresuid(USER_UID, USER_UID, USER_UID);
}

/* A child of uid USER_UID that pauses until killed. */
static pid_t user_pauser(struct _test_data_perm *self)
{
	pid_t pid = fork();

	if (!pid) {
		alarm(GUARD_S);
		/* Changing uid made it undumpable: ptrace-able again. */
		if (!become_user() || prctl(PR_SET_DUMPABLE, 1))
			_exit(1);
		for (;;)
			pause();
	}
	keep_kid(self, pid);
	return pid;
}

/* Is @pid in the node at @path (relative to the hierarchy's root)? */
static bool in_node(pid_t pid, const char *path)
{
	char dir[32], buf[256];

	snprintf(dir, sizeof(dir), "/proc/%d", pid);
	return read_at(dir, "taskset", buf, sizeof(buf)) > 0 &&
	       !strncmp(buf, path, strlen(path)) && buf[strlen(path)] == '\n';
}

/*
 * A child of uid USER_UID that makes a user namespace of its own, forks
 * a task in it that pauses (*@inside), then unshares a mount namespace
 * and a node (clone.N, owning that mount namespace) and pauses in it.
 * Its node's path under the tasksetfs root is put in @node.
 */
static pid_t rootless_node(struct _test_data_perm *self, char *node,
			   size_t size, pid_t *inside)
{
	char path[256] = "";
	int report[2];
	pid_t pid, kid;
	ssize_t len;

	if (pipe(report))
		return -1;
	pid = fork();
	if (!pid) {
		alarm(GUARD_S);
		if (!become_user() || unshare(CLONE_NEWUSER))
			_exit(1);
		kid = fork();
		if (!kid) {
			for (;;)
				pause();
		}
		if (kid < 0 || write(report[1], &kid, sizeof(kid)) < 0 ||
		    unshare(CLONE_NEWNS | CLONE_NEWTASKSET) ||
		    read_at("/proc/self", "taskset", path, sizeof(path)) <= 0)
			_exit(1);
		if (write(report[1], path, strlen(path)) < 0)
			_exit(1);
		for (;;)
			pause();
	}
	close(report[1]);
	keep_kid(self, pid);
	if (pid < 0 || read(report[0], inside, sizeof(*inside)) !=
	    sizeof(*inside)) {
		close(report[0]);
		return -1;
	}
	keep_kid(self, *inside);
	len = read(report[0], path, sizeof(path) - 1);
	close(report[0]);
	if (len <= 1)
		return -1;
	path[len - 1] = '\0';	/* its newline */
	snprintf(node, size, "%s%s", self->dir, path);
	return pid;
}

/*
 * Root moving a task of the initial user namespace into a node whose
 * mount namespace a user's own user namespace owns: refused, whoever
 * asks, since that user would then control what the task sees.
 */
TEST_F(perm, no_move_down_into_a_user_namespace_the_target_is_not_in)
{
	pid_t target, owner, inside;
	char node[512];

	target = user_pauser(self);
	ASSERT_GT(target, 0);
	owner = rootless_node(self, node, sizeof(node), &inside);
	ASSERT_GT(owner, 0);
	EXPECT_EQ(enter_node(node, target), -EPERM);
	EXPECT_TRUE(in_node(target, "/"));
	EXPECT_EQ(count_lines(node, "taskset.procs"), 1);
}

/* A task of that user namespace may be moved into the same node. */
TEST_F(perm, a_task_of_the_owning_user_namespace_may_be_moved_in)
{
	pid_t owner, inside;
	char node[512];

	owner = rootless_node(self, node, sizeof(node), &inside);
	ASSERT_GT(owner, 0);
	EXPECT_EQ(enter_node(node, inside), 0);
	EXPECT_EQ(count_lines(node, "taskset.procs"), 2);
}

/* The same refusal for a task cloned into the node by root. */
TEST_F(perm, no_clone_down_into_a_user_namespace_the_caller_is_not_in)
{
	struct args_v3 args = { .flags = CLONE_INTO_TASKSET,
				.exit_signal = SIGCHLD };
	pid_t owner, inside, child;
	char node[512];
	int fd;

	owner = rootless_node(self, node, sizeof(node), &inside);
	ASSERT_GT(owner, 0);
	fd = open(node, O_RDONLY | O_DIRECTORY);
	ASSERT_GE(fd, 0);
	args.taskset = fd;
	child = syscall(__NR_clone3, &args, ARGS_SIZE_VER3);
	if (!child)
		_exit(0);
	keep_kid(self, child);
	EXPECT_EQ(child, -1);
	EXPECT_EQ(errno, EPERM);
	close(fd);
}

static void open_to_all(const char *node, const char *name)
{
	chmod_file(node, name, 0666);
}

/* Copy this program to a setuid-root file; its path goes in self->suid. */
static int make_setuid_copy(struct _test_data_perm *self)
{
	char buf[65536];
	int in, out = -1;
	ssize_t n;

	snprintf(self->suid, sizeof(self->suid), "/tmp/perm_suid_%d",
		 getpid());
	in = open("/proc/self/exe", O_RDONLY);
	if (in >= 0)
		out = open(self->suid, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			n = -1;
	if (in >= 0)
		close(in);
	if (out < 0 || close(out) || chown(self->suid, 0, 0) ||
	    chmod(self->suid, 04755))
		return -1;
	return 0;
}

/*
 * A move by a user of its own process, which runs a setuid-root program
 * between the write and its switch (the writer pauses there, after it
 * checked its right): the program's process is one the user may not
 * move, and is not moved.
 */
TEST_F(perm, a_target_that_runs_a_setuid_program_before_it_switches)
{
	static char * const envp[] = { PAUSE_ENV "=1", NULL };
	char node[256], pid_buf[32], *argv[] = { self->suid, NULL };
	int go[2], status;
	pid_t target, writer;
	char c;

	if (set_move_delay_ms(0))
		SKIP(return, "no move_delay_ms: CONFIG_DEBUG_TASKSET is off");
	ASSERT_EQ(make_setuid_copy(self), 0);
	snprintf(node, sizeof(node), "%s/suid%d", self->dir, getpid());
	ASSERT_EQ(mkdir(node, 0755), 0);
	/* The target leaves the root: its file is the common ancestor's. */
	open_to_all(self->dir, "taskset.procs");
	open_to_all(node, "taskset.procs");
	ASSERT_EQ(pipe(go), 0);
	target = fork();
	ASSERT_GE(target, 0);
	if (!target) {
		alarm(GUARD_S);
		/* Changing uid made it undumpable: ptrace-able again. */
		if (!become_user() || prctl(PR_SET_DUMPABLE, 1) ||
		    read(go[0], &c, 1) != 1)
			_exit(1);
		execve(self->suid, argv, envp);
		_exit(2);
	}
	keep_kid(self, target);
	ASSERT_EQ(set_move_delay_ms(400), 0);
	self->delay = true;
	writer = fork();
	ASSERT_GE(writer, 0);
	if (!writer) {
		alarm(GUARD_S);
		if (!become_user())
			_exit(255);
		snprintf(pid_buf, sizeof(pid_buf), "%d\n", target);
		_exit(-write_str(node, "taskset.procs", pid_buf));
	}
	keep_kid(self, writer);
	usleep(100 * 1000);
	ASSERT_EQ(write(go[1], "x", 1), 1);
	ASSERT_EQ(waitpid(writer, &status, 0), writer);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(-WEXITSTATUS(status), -EPERM);
	EXPECT_TRUE(in_node(target, "/"));
	EXPECT_EQ(count_lines(node, "taskset.procs"), 0);
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
	rmdir(node);
}

/*
 * A descriptor of the root node that root opened (O_PATH, as one leaked
 * into a container would be) gives no right to a user who spawns with
 * it from a node with its own mount namespace: CLONE_INTO_TASKSET obeys
 * its caller, as CLONE_INTO_CGROUP does.
 */
TEST_F(perm, clone_into_obeys_its_caller_not_the_opener)
{
	struct args_v3 args = { .flags = CLONE_INTO_TASKSET,
				.exit_signal = SIGCHLD };
	char node[256], c;
	int go[2], status, fd;
	pid_t pid, child;

	snprintf(node, sizeof(node), "%s/ctr%d", self->dir, getpid());
	ASSERT_EQ(mkdir(node, 0755), 0);
	ASSERT_EQ(write_str(node, "taskset.facets", "+mnt"), 0);
	fd = open(self->dir, O_PATH | O_DIRECTORY);
	ASSERT_GE(fd, 0);
	args.taskset = fd;
	ASSERT_EQ(pipe(go), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		alarm(GUARD_S);
		if (read(go[0], &c, 1) != 1 || !become_user())
			_exit(100);
		child = syscall(__NR_clone3, &args, ARGS_SIZE_VER3);
		if (!child)
			_exit(0);
		_exit(child < 0 ? errno : 101);
	}
	keep_kid(self, pid);
	ASSERT_EQ(enter_node(node, pid), 0);
	ASSERT_EQ(write(go[1], "x", 1), 1);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), EPERM);
	close(fd);
	rmdir(node);
}

/*
 * A taskset.procs that root opened and handed to a user moves only what
 * that user could move itself: its own processes, not root's.
 */
TEST_F(perm, a_root_opened_procs_file_moves_only_what_its_writer_may)
{
	char node[256], path[PATH_MAX], id[32];
	pid_t root_task, user_task, writer;
	int status, fd, ret;

	snprintf(node, sizeof(node), "%s/handed%d", self->dir, getpid());
	ASSERT_EQ(mkdir(node, 0755), 0);
	snprintf(path, sizeof(path), "%s/taskset.procs", node);
	fd = open(path, O_WRONLY);
	ASSERT_GE(fd, 0);
	root_task = fork();
	if (!root_task) {
		alarm(GUARD_S);
		for (;;)
			pause();
	}
	keep_kid(self, root_task);
	user_task = user_pauser(self);
	ASSERT_GT(user_task, 0);
	writer = fork();
	ASSERT_GE(writer, 0);
	if (!writer) {
		alarm(GUARD_S);
		if (!become_user())
			_exit(100);
		snprintf(id, sizeof(id), "%d\n", root_task);
		ret = write(fd, id, strlen(id)) < 0 ? errno : 0;
		if (ret != EPERM)
			_exit(1);
		snprintf(id, sizeof(id), "%d\n", user_task);
		_exit(write(fd, id, strlen(id)) < 0 ? errno : 0);
	}
	ASSERT_EQ(waitpid(writer, &status, 0), writer);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
	EXPECT_TRUE(in_node(root_task, "/"));
	EXPECT_EQ(count_lines(node, "taskset.procs"), 1);
	close(fd);
	kill(user_task, SIGKILL);
	waitpid(user_task, NULL, 0);
	rmdir(node);
}

/*
 * A +facet write makes namespaces from its writer's context: a
 * taskset.facets that root opened, written by a user, is refused.
 */
TEST_F(perm, facets_written_by_a_user_through_a_root_opened_file)
{
	char node[256];
	bool own;

	snprintf(node, sizeof(node), "%s/facets%d", self->dir, getpid());
	ASSERT_EQ(mkdir(node, 0755), 0);
	EXPECT_EQ(write_as(node, "taskset.facets", "+uts", 0, USER_UID),
		  -EPERM);
	ASSERT_EQ(node_ns(node, "uts", NULL, NULL, &own), 0);
	EXPECT_FALSE(own);
	rmdir(node);
}

/* Does @node's taskset.ns, read by the caller, have a line for @type? */
static bool ns_line_shown(const char *node, const char *type)
{
	char buf[4096], want[32], *line, *save;

	if (read_at(node, "taskset.ns", buf, sizeof(buf)) <= 0)
		return false;
	snprintf(want, sizeof(want), "%s ", type);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, want, strlen(want)))
			return true;
	return false;
}

/*
 * taskset.ns shows a namespace only to whoever could find it in /proc,
 * as taskset.namespaces does: a user sees the lines of the namespaces it
 * is in, not the uts namespace a node owns; root sees them all.
 */
TEST_F(perm, taskset_ns_shows_a_user_only_what_proc_would)
{
	char node[256];
	int status;
	pid_t pid;

	snprintf(node, sizeof(node), "%s/ns%d", self->dir, getpid());
	ASSERT_EQ(mkdir(node, 0755), 0);
	ASSERT_EQ(write_str(node, "taskset.facets", "+uts"), 0);
	EXPECT_TRUE(ns_line_shown(node, "uts"));
	EXPECT_TRUE(ns_line_shown(node, "ipc"));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		if (!become_user())
			_exit(100);
		if (ns_line_shown(node, "uts"))
			_exit(1);
		_exit(ns_line_shown(node, "ipc") ? 0 : 2);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
	rmdir(node);
}

TEST_HARNESS_MAIN
