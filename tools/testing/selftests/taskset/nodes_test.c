// SPDX-License-Identifier: GPL-2.0
/*
 * Task set nodes: mkdir and rmdir in tasksetfs, what a new node holds,
 * nesting, the listings that count nodes, and /proc/PID/taskset.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

static const char *const ns_types[] = {
	"uts", "ipc", "mnt", "pid", "net", "time", "cgroup",
};

FIXTURE(nodes) {
	char dir[sizeof(MNT_TEMPLATE)];
	char node[256];
};

FIXTURE_SETUP(nodes)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->node, sizeof(self->node), "%s/web", self->dir);
}

FIXTURE_TEARDOWN(nodes)
{
	char path[PATH_MAX];

	/* Whatever a failed test left, innermost first. */
	snprintf(path, sizeof(path), "%s/a/b", self->node);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a", self->node);
	rmdir(path);
	rmdir(self->node);
	tasksetfs_umount_tmp(self->dir);
}

/* A path under the mount: @dir/@sub. */
static const char *at(const char *dir, const char *sub)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	return path;
}

/* mkdir makes a node with the core files, and only those. */
TEST_F(nodes, mkdir_creates_node_with_core_files)
{
	static const char *const present[] = {
		"taskset.procs", "taskset.facets", "taskset.ns",
	};
	static const char *const absent[] = {
		"taskset.namespaces", "taskset.stat", "uts.hostname",
		"uts.domainname",
	};
	struct stat st;
	size_t i;

	ASSERT_EQ(mkdir(self->node, 0755), 0) TH_LOG("%m: mkdir");
	ASSERT_EQ(stat(self->node, &st), 0);
	ASSERT_TRUE(S_ISDIR(st.st_mode));
	for (i = 0; i < ARRAY_SIZE(present); i++)
		ASSERT_EQ(stat(at(self->node, present[i]), &st), 0)
			TH_LOG("%m: %s", present[i]);
	for (i = 0; i < ARRAY_SIZE(absent); i++) {
		ASSERT_EQ(stat(at(self->node, absent[i]), &st), -1)
			TH_LOG("%s exists", absent[i]);
		ASSERT_EQ(errno, ENOENT);
	}
}

/* taskset.stat counts the nodes: one more after mkdir, back at rmdir. */
TEST_F(nodes, stat_counts_nodes)
{
	long start = read_key(self->dir, "taskset.stat", "nodes");

	ASSERT_GE(start, 1);
	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_EQ(read_key(self->dir, "taskset.stat", "nodes"), start + 1);
	ASSERT_EQ(rmdir(self->node), 0) TH_LOG("%m: rmdir");
	ASSERT_EQ(read_key(self->dir, "taskset.stat", "nodes"), start);
}

/*
 * A new node owns the resource facets' states, no namespace, and
 * inherits every namespace of its parent.
 */
TEST_F(nodes, new_node_inherits_every_namespace)
{
	char buf[4096];
	size_t i;

	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_GT(read_at(self->node, "taskset.facets", buf, sizeof(buf)), 0);
	ASSERT_STREQ(buf,
		     "tasks kind=resource enter=any create=mkdir on_empty=ignore\n");
	for (i = 0; i < ARRAY_SIZE(ns_types); i++) {
		unsigned long ino, root_ino, owner, root_owner;
		bool own, root_own;

		ASSERT_EQ(node_ns(self->node, ns_types[i], &ino, &owner, &own), 0)
			TH_LOG("no %s line", ns_types[i]);
		ASSERT_EQ(node_ns(self->dir, ns_types[i], &root_ino,
				  &root_owner, &root_own), 0);
		EXPECT_FALSE(own) TH_LOG("%s", ns_types[i]);
		EXPECT_TRUE(root_own) TH_LOG("%s", ns_types[i]);
		EXPECT_EQ(ino, root_ino) TH_LOG("%s", ns_types[i]);
		EXPECT_EQ(owner, root_owner) TH_LOG("%s", ns_types[i]);
	}
}

/* A grandchild resolves its inherited states through two levels. */
TEST_F(nodes, nested_inheritance)
{
	char a[PATH_MAX], b[PATH_MAX];
	unsigned long web_uts;
	bool own;

	snprintf(a, sizeof(a), "%s/a", self->node);
	snprintf(b, sizeof(b), "%s/a/b", self->node);
	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts +ipc"), 0);
	web_uts = node_ns_ino(self->node, "uts");
	ASSERT_NE(web_uts, node_ns_ino(self->dir, "uts"));
	ASSERT_EQ(mkdir(a, 0755), 0);
	ASSERT_EQ(mkdir(b, 0755), 0) TH_LOG("%m: nested mkdir");
	ASSERT_EQ(node_ns(b, "uts", NULL, NULL, &own), 0);
	EXPECT_FALSE(own);
	EXPECT_EQ(node_ns_ino(b, "uts"), web_uts);
	EXPECT_EQ(node_ns_ino(b, "ipc"), node_ns_ino(self->node, "ipc"));
	EXPECT_EQ(node_ns_ino(b, "net"), node_ns_ino(self->dir, "net"));
}

/* rmdir of a node with a child fails with EBUSY and removes nothing. */
TEST_F(nodes, rmdir_with_child_is_busy)
{
	char a[PATH_MAX];
	struct stat st;

	snprintf(a, sizeof(a), "%s/a", self->node);
	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_EQ(mkdir(a, 0755), 0);
	ASSERT_EQ(rmdir(self->node), -1);
	ASSERT_EQ(errno, EBUSY);
	ASSERT_EQ(stat(at(a, "taskset.ns"), &st), 0);
	ASSERT_EQ(rmdir(a), 0);
	ASSERT_EQ(rmdir(self->node), 0);
}

/* The root cannot be removed. */
TEST_F(nodes, root_cannot_be_removed)
{
	struct stat st;

	ASSERT_EQ(rmdir(self->dir), -1);
	ASSERT_EQ(errno, EBUSY);
	ASSERT_EQ(stat(at(self->dir, "taskset.stat"), &st), 0);
}

/* Names of control files, present or to come, are refused. */
TEST_F(nodes, control_file_names_refused)
{
	static const char *const names[] = {
		"taskset.procs", "taskset.future", "uts.hostname", "net.x",
		"a\nb",
	};
	long nodes = read_key(self->dir, "taskset.stat", "nodes");
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		errno = 0;
		EXPECT_EQ(mkdir(at(self->dir, names[i]), 0755), -1)
			TH_LOG("mkdir %s", names[i]);
		EXPECT_TRUE(errno == EINVAL || errno == EEXIST)
			TH_LOG("%s: %m", names[i]);
	}
	ASSERT_EQ(read_key(self->dir, "taskset.stat", "nodes"), nodes);
	/* A dot elsewhere is fine. */
	ASSERT_EQ(mkdir(at(self->dir, "web.example"), 0755), 0) TH_LOG("%m");
	ASSERT_EQ(rmdir(at(self->dir, "web.example")), 0);
}

/* Two nodes of one name cannot exist side by side. */
TEST_F(nodes, mkdir_existing_name_fails)
{
	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_EQ(mkdir(self->node, 0755), -1);
	ASSERT_EQ(errno, EEXIST);
}

/* A new node has no members; the root still lists this process. */
TEST_F(nodes, new_node_has_no_members)
{
	char buf[4096], self_pid[32];

	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_EQ(read_at(self->node, "taskset.procs", buf, sizeof(buf)), 0);
	ASSERT_GT(read_at(self->dir, "taskset.procs", buf, sizeof(buf)), 0);
	snprintf(self_pid, sizeof(self_pid), "\n%d\n", getpid());
	memmove(buf + 1, buf, strlen(buf) + 1);
	buf[0] = '\n';
	ASSERT_NE(strstr(buf, self_pid), NULL);
}

/* /proc/PID/taskset gives a task's node: "/" for the root's. */
TEST_F(nodes, proc_pid_taskset_shows_root)
{
	char buf[256];

	ASSERT_EQ(read_at("/proc/self", "taskset", buf, sizeof(buf)), 2)
		TH_LOG("/proc/self/taskset: %s", buf);
	ASSERT_STREQ(buf, "/\n");
	ASSERT_EQ(read_at("/proc/1", "taskset", buf, sizeof(buf)), 2);
	ASSERT_STREQ(buf, "/\n");
	ASSERT_EQ(read_at("/proc/thread-self", "taskset", buf, sizeof(buf)), 2);
}

/* Namespaces held only by a node are listed, tasks 0, nodes counted. */
TEST_F(nodes, namespaces_lists_node_only_namespaces)
{
	char buf[65536], want[128];
	unsigned long uts, owner;
	char *line;

	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts"), 0);
	ASSERT_EQ(node_ns(self->node, "uts", &uts, &owner, NULL), 0);
	ASSERT_GT(read_at(self->dir, "taskset.namespaces", buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "uts %lu %lu 1 0\n", uts, owner);
	line = strstr(buf, want);
	ASSERT_NE(line, NULL) TH_LOG("no \"%.*s\" in:\n%s",
				     (int)strlen(want) - 1, want, buf);
	ASSERT_TRUE(line == buf || line[-1] == '\n');
}

/* An inherited namespace counts every node that holds it. */
TEST_F(nodes, namespaces_counts_inheriting_nodes)
{
	char buf[65536], want[64], a[PATH_MAX];
	unsigned long uts;

	snprintf(a, sizeof(a), "%s/a", self->node);
	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts"), 0);
	ASSERT_EQ(mkdir(a, 0755), 0);
	uts = node_ns_ino(self->node, "uts");
	ASSERT_GT(read_at(self->dir, "taskset.namespaces", buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "uts %lu ", uts);
	ASSERT_NE(strstr(buf, want), NULL);
	ASSERT_EQ(strncmp(strchr(strstr(buf, want) + strlen(want), ' '),
			  " 2 0\n", 5), 0) TH_LOG("%s", buf);
}

/* Unprivileged users can neither create nor remove nodes. */
TEST_F(nodes, unprivileged_mkdir_rmdir_refused)
{
	char a[PATH_MAX], evil[PATH_MAX];
	pid_t child;
	int status;

	snprintf(a, sizeof(a), "%s/a", self->node);
	snprintf(evil, sizeof(evil), "%s/evil", self->node);
	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_EQ(mkdir(a, 0755), 0);
	/* Even with the directory's mode opened to all. */
	ASSERT_EQ(chmod(self->node, 0777), 0) TH_LOG("%m: chmod");
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		if (!mkdir(evil, 0755) || errno != EPERM)
			_exit(3);
		if (!rmdir(a) || errno != EPERM)
			_exit(4);
		_exit(0);
	}
	ASSERT_EQ(waitpid(child, &status, 0), child);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0) TH_LOG("step %d failed",
						 WEXITSTATUS(status));
	ASSERT_EQ(access(a, F_OK), 0);
	ASSERT_EQ(access(evil, F_OK), -1);
}

TEST_HARNESS_MAIN
