// SPDX-License-Identifier: GPL-2.0
/*
 * tsrun (tools/tasksets/), installed as /bin/tsrun: its command line,
 * its exit statuses, a command run in a new node that goes with it, a
 * command run inside an existing node, and its error messages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#define TSRUN		"/bin/tsrun"
#define WAKE_MS		5000
#define OUT_SIZE	4096

/*
 * Run tsrun with @args (NULL-terminated, argv[0] included) as @uid (0:
 * as is), its stdout and stderr in @out: its exit status, 128 + the
 * signal that killed it, or -1.
 */
static int run_tsrun(char *out, size_t size, uid_t uid,
		     const char * const *args)
{
	int fds[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (dup2(fds[1], 1) < 0 || dup2(fds[1], 2) < 0)
			_exit(255);
		if (uid && (setresgid(uid, uid, uid) ||
			    setresuid(uid, uid, uid)))
			_exit(255);
		execv(TSRUN, (char * const *)args);
		_exit(255);
	}
	close(fds[1]);
	while (len < size - 1 &&
	       (n = read(fds[0], out + len, size - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

#define TSRUN_AS(out, uid, ...)						\
	run_tsrun(out, sizeof(out), uid,				\
		  (const char * const []){ "tsrun", __VA_ARGS__, NULL })
#define TSRUN_OUT(out, ...)	TSRUN_AS(out, 0, __VA_ARGS__)

static bool have_tsrun(void)
{
	return !access(TSRUN, X_OK);
}

/* This process's node, as /proc/self/taskset shows it, no newline. */
static int own_node(char *buf, size_t size)
{
	ssize_t len = read_at("/proc/self", "taskset", buf, size);

	if (len <= 0)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* --help prints the usage on stdout and succeeds. */
TEST(help)
{
	char out[OUT_SIZE];

	if (!have_tsrun())
		SKIP(return, TSRUN " is not installed");
	ASSERT_EQ(TSRUN_OUT(out, "--help"), 0) TH_LOG("%s", out);
	EXPECT_NE(strstr(out, "Usage: tsrun"), NULL) TH_LOG("%s", out);
	EXPECT_NE(strstr(out, "--node"), NULL);
	ASSERT_EQ(TSRUN_OUT(out, "-h"), 0);
	EXPECT_NE(strstr(out, "Usage: tsrun"), NULL);
}

/* A command line tsrun cannot use is its own failure: 125. */
TEST(bad_command_line)
{
	char out[OUT_SIZE];

	if (!have_tsrun())
		SKIP(return, TSRUN " is not installed");
	EXPECT_EQ(TSRUN_OUT(out, "--no-such-option", "true"), 125);
	EXPECT_NE(strstr(out, "--no-such-option"), NULL) TH_LOG("%s", out);
	EXPECT_EQ(TSRUN_OUT(out, "-X", "true"), 125);
	EXPECT_EQ(TSRUN_OUT(out, "--node"), 125);
	EXPECT_EQ(TSRUN_OUT(out, "-u"), 125) TH_LOG("no command: %s", out);
}

/* A command not found: 127; found but not executable: 126, as env(1). */
TEST(exec_failures)
{
	char out[OUT_SIZE], path[] = "/tmp/tsrun_test.XXXXXX";
	int fd;

	if (!have_tsrun())
		SKIP(return, TSRUN " is not installed");
	EXPECT_EQ(TSRUN_OUT(out, "--", "/no/such/command"), 127);
	EXPECT_NE(strstr(out, "ENOENT"), NULL) TH_LOG("%s", out);
	EXPECT_EQ(TSRUN_OUT(out, "no-such-command-in-path"), 127);
	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(chmod(path, 0644), 0);
	EXPECT_EQ(TSRUN_OUT(out, path), 126);
	EXPECT_NE(strstr(out, "EACCES"), NULL) TH_LOG("%s", out);
	unlink(path);
}

/* The command's exit status comes through, and 128 + its signal. */
TEST(exit_status)
{
	char out[OUT_SIZE];

	if (!have_tsrun())
		SKIP(return, TSRUN " is not installed");
	EXPECT_EQ(TSRUN_OUT(out, "true"), 0) TH_LOG("%s", out);
	EXPECT_EQ(TSRUN_OUT(out, "sh", "-c", "exit 42"), 42);
	EXPECT_EQ(TSRUN_OUT(out, "sh", "-c", "kill -TERM $$"), 128 + SIGTERM);
	EXPECT_EQ(TSRUN_OUT(out, "sh", "-c", "kill -KILL $$"), 128 + SIGKILL);
}

/* A signal tsrun gets while it waits goes to the command. */
TEST(forwards_signals)
{
	int fds[2], status;
	pid_t pid;
	char c;

	if (!have_tsrun())
		SKIP(return, TSRUN " is not installed");
	ASSERT_EQ(pipe(fds), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		execl(TSRUN, "tsrun", "sh", "-c", "echo; exec sleep 100",
		      NULL);
		_exit(255);
	}
	close(fds[1]);
	/* The command runs: tsrun waits for it. */
	ASSERT_EQ(read(fds[0], &c, 1), 1);
	close(fds[0]);
	ASSERT_EQ(kill(pid, SIGTERM), 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status)) TH_LOG("status %#x", status);
	EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
}

FIXTURE(tsrun) {
	char dir[sizeof(MNT_TEMPLATE)];
	char node[PATH_MAX];
};

FIXTURE_SETUP(tsrun)
{
	if (!have_tsrun())
		SKIP(return, TSRUN " is not installed");
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->node, sizeof(self->node), "%s/tsrun", self->dir);
}

FIXTURE_TEARDOWN(tsrun)
{
	kill_members((const char *[]){ self->node }, 1);
	rmdir(self->node);
	tasksetfs_umount_tmp(self->dir);
}

/*
 * -n -u: the command runs in a new node clone.N, a child of ours, with a
 * hostname of its own; the node is gone once the command has exited.
 */
TEST_F(tsrun, new_node_goes_with_the_command)
{
	char out[OUT_SIZE], outer[256], prefix[300];
	char path[sizeof(MNT_TEMPLATE) + OUT_SIZE];
	char host[HOST_NAME_MAX + 1], after[HOST_NAME_MAX + 1];
	char *node, *name;

	ASSERT_EQ(own_node(outer, sizeof(outer)), 0);
	ASSERT_EQ(gethostname(host, sizeof(host)), 0);
	ASSERT_EQ(TSRUN_OUT(out, "-n", "-u", "--", "sh", "-c",
			    "hostname tsrun-inside; cat /proc/self/taskset; hostname"),
		  0) TH_LOG("%s", out);
	node = strtok(out, "\n");
	name = strtok(NULL, "\n");
	ASSERT_NE(node, NULL);
	ASSERT_NE(name, NULL);
	snprintf(prefix, sizeof(prefix), "%s/clone.",
		 strcmp(outer, "/") ? outer : "");
	EXPECT_EQ(strncmp(node, prefix, strlen(prefix)), 0)
		TH_LOG("inside %s, outside %s", node, outer);
	EXPECT_STREQ(name, "tsrun-inside");
	ASSERT_EQ(gethostname(after, sizeof(after)), 0);
	EXPECT_STREQ(after, host);
	/* Our own node is left as it was. */
	ASSERT_EQ(own_node(prefix, sizeof(prefix)), 0);
	EXPECT_STREQ(prefix, outer);
	snprintf(path, sizeof(path), "%s%s", self->dir, node);
	EXPECT_TRUE(wait_gone_ms(path, WAKE_MS)) TH_LOG("%s stays", path);
}

/* -v names the node the command runs in, on stderr. */
TEST_F(tsrun, verbose_names_the_node)
{
	char out[OUT_SIZE];

	ASSERT_EQ(TSRUN_OUT(out, "-v", "-u", "true"), 0) TH_LOG("%s", out);
	EXPECT_NE(strstr(out, " runs in node "), NULL) TH_LOG("%s", out);
	EXPECT_NE(strstr(out, "/clone."), NULL) TH_LOG("%s", out);
}

/* --node: the command runs as a member of a node made with mkdir. */
TEST_F(tsrun, node_runs_the_command_inside)
{
	char out[OUT_SIZE];

	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_EQ(TSRUN_OUT(out, "--node", self->node, "cat",
			    "/proc/self/taskset"), 0) TH_LOG("%s", out);
	EXPECT_STREQ(out, "/tsrun\n");
	ASSERT_EQ(TSRUN_OUT(out, "-t", self->node, "cat",
			    "/proc/self/taskset"), 0) TH_LOG("%s", out);
	EXPECT_STREQ(out, "/tsrun\n");
}

/* --node: the command has the node's namespaces from its first step. */
TEST_F(tsrun, node_with_its_own_uts)
{
	char out[OUT_SIZE];

	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts"), 0);
	ASSERT_EQ(write_str(self->node, "uts.hostname", "tsrun-node"), 0);
	ASSERT_EQ(TSRUN_OUT(out, "--node", self->node, "hostname"), 0)
		TH_LOG("%s", out);
	EXPECT_STREQ(out, "tsrun-node\n");
}

/* --node PATH --new: a new node, a child of PATH, gone after the command. */
TEST_F(tsrun, node_new_makes_a_child)
{
	char out[OUT_SIZE], path[sizeof(MNT_TEMPLATE) + OUT_SIZE];

	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_EQ(TSRUN_OUT(out, "--node", self->node, "--new", "-u", "cat",
			    "/proc/self/taskset"), 0) TH_LOG("%s", out);
	EXPECT_EQ(strncmp(out, "/tsrun/clone.", 13), 0) TH_LOG("%s", out);
	out[strcspn(out, "\n")] = '\0';
	snprintf(path, sizeof(path), "%s%s", self->dir, out);
	EXPECT_TRUE(wait_gone_ms(path, WAKE_MS)) TH_LOG("%s stays", path);
}

/* --node on a directory that is not a node: 125, naming EBADF. */
TEST_F(tsrun, node_not_tasksetfs)
{
	char out[OUT_SIZE];

	EXPECT_EQ(TSRUN_OUT(out, "--node", "/tmp", "true"), 125);
	EXPECT_NE(strstr(out, "EBADF"), NULL) TH_LOG("%s", out);
}

/* --node on a path that does not exist: 125, naming ENOENT. */
TEST_F(tsrun, node_missing)
{
	char out[OUT_SIZE];

	EXPECT_EQ(TSRUN_OUT(out, "--node", self->node, "true"), 125);
	EXPECT_NE(strstr(out, "ENOENT"), NULL) TH_LOG("%s", out);
}

/* Without privilege, a node and a uts namespace need -U: EPERM. */
TEST_F(tsrun, unprivileged_needs_a_user_namespace)
{
	char out[OUT_SIZE];

	EXPECT_EQ(TSRUN_AS(out, NOBODY, "-n", "-u", "true"), 125);
	EXPECT_NE(strstr(out, "clone3: EPERM"), NULL) TH_LOG("%s", out);
}

/* Without privilege, -r: root in a user namespace of the command's own. */
TEST_F(tsrun, unprivileged_map_root_user)
{
	char out[OUT_SIZE];
	unsigned int inner, outer, count;
	int n;

	ASSERT_EQ(TSRUN_AS(out, NOBODY, "-r", "-u", "cat",
			   "/proc/self/uid_map"), 0) TH_LOG("%s", out);
	n = sscanf(out, "%u %u %u", &inner, &outer, &count);
	ASSERT_EQ(n, 3) TH_LOG("%s", out);
	EXPECT_EQ(inner, 0);
	EXPECT_EQ(outer, NOBODY);
	EXPECT_EQ(count, 1);
}

TEST_HARNESS_MAIN
