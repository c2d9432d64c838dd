// SPDX-License-Identifier: GPL-2.0
/*
 * Bounds on the hierarchy: taskset.max.depth and taskset.max.descendants
 * (cgroup's cgroup.max.depth and cgroup.max.descendants), for nodes made
 * by mkdir and by CLONE_NEWTASKSET alike, and the ceiling of 32 nested
 * levels of nodes made by CLONE_NEWTASKSET, which no one can raise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#define USER_UID		1000
/* TASKSET_CLONE_MAX_LEVEL: the deepest level of a CLONE_NEWTASKSET node. */
#define CLONE_MAX_LEVEL		32

FIXTURE(limits) {
	char dir[sizeof(MNT_TEMPLATE)];
	char top[256];
};

FIXTURE_SETUP(limits)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->top, sizeof(self->top), "%s/top%d", self->dir,
		 getpid());
	ASSERT_EQ(mkdir(self->top, 0755), 0);
}

/* Remove @path and every node below it. */
static void remove_tree(const char *path, int depth)
{
	char sub[512];
	int i;

	if (depth > 4)
		return;
	for (i = 0; i < 4; i++) {
		snprintf(sub, sizeof(sub), "%s/n%d", path, i);
		remove_tree(sub, depth + 1);
	}
	rmdir(path);
}

FIXTURE_TEARDOWN(limits)
{
	remove_tree(self->top, 0);
	tasksetfs_umount_tmp(self->dir);
}

/* mkdir @parent/n@i: 0, or -errno. */
static int make(const char *parent, int i, char *path, size_t size)
{
	snprintf(path, size, "%s/n%d", parent, i);
	return mkdir(path, 0755) ? -errno : 0;
}

/* Both files read "max" at first, and take only what a limit file takes. */
TEST_F(limits, bounds_read_max_and_refuse_garbage)
{
	static const char * const files[] = {
		"taskset.max.depth", "taskset.max.descendants",
	};
	static const char * const bad[] = { "-1", "+1", "x", "1 2", "" };
	unsigned int f, i;
	char buf[32];

	for (f = 0; f < ARRAY_SIZE(files); f++) {
		ASSERT_GT(read_at(self->top, files[f], buf, sizeof(buf)), 0);
		EXPECT_STREQ(buf, "max\n");
		for (i = 0; i < ARRAY_SIZE(bad); i++)
			EXPECT_EQ(write_str(self->top, files[f], bad[i]),
				  -EINVAL) TH_LOG("%s \"%s\"", files[f], bad[i]);
		EXPECT_EQ(write_str(self->top, files[f], "3\n"), 0);
		ASSERT_GT(read_at(self->top, files[f], buf, sizeof(buf)), 0);
		EXPECT_STREQ(buf, "3\n");
		EXPECT_EQ(write_str(self->top, files[f], "max"), 0);
	}
}

/* taskset.max.depth 1: children, no grandchildren; 0: no children. */
TEST_F(limits, max_depth_bounds_how_deep_below)
{
	char a[512], b[512];

	ASSERT_EQ(write_str(self->top, "taskset.max.depth", "1"), 0);
	ASSERT_EQ(make(self->top, 0, a, sizeof(a)), 0);
	EXPECT_EQ(make(a, 0, b, sizeof(b)), -EAGAIN);
	EXPECT_EQ(make(self->top, 1, b, sizeof(b)), 0);
	ASSERT_EQ(write_str(self->top, "taskset.max.depth", "0"), 0);
	EXPECT_EQ(make(self->top, 2, b, sizeof(b)), -EAGAIN);
	ASSERT_EQ(write_str(self->top, "taskset.max.depth", "max"), 0);
	EXPECT_EQ(make(a, 0, b, sizeof(b)), 0);
}

/* taskset.max.descendants counts the whole subtree; removals free room. */
TEST_F(limits, max_descendants_counts_the_subtree)
{
	char a[512], b[512], c[512];

	ASSERT_EQ(write_str(self->top, "taskset.max.descendants", "2"), 0);
	ASSERT_EQ(make(self->top, 0, a, sizeof(a)), 0);
	ASSERT_EQ(make(a, 0, b, sizeof(b)), 0);
	EXPECT_EQ(make(self->top, 1, c, sizeof(c)), -EAGAIN);
	EXPECT_EQ(make(b, 0, c, sizeof(c)), -EAGAIN);
	ASSERT_EQ(rmdir(b), 0);
	EXPECT_EQ(make(self->top, 1, c, sizeof(c)), 0);
}

/* A node made by CLONE_NEWTASKSET obeys the bounds above it too. */
TEST_F(limits, bounds_hold_for_clone_made_nodes)
{
	int go[2], status;
	pid_t pid;
	char c;

	ASSERT_EQ(write_str(self->top, "taskset.max.descendants", "0"), 0);
	ASSERT_EQ(pipe(go), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		alarm(30);
		if (read(go[0], &c, 1) != 1)
			_exit(100);
		_exit(unshare(CLONE_NEWTASKSET) ? errno : 0);
	}
	ASSERT_EQ(enter_node(self->top, pid), 0);
	ASSERT_EQ(write(go[1], "x", 1), 1);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), EAGAIN);
}

/* The level of the calling task's node: '/'s in /proc/self/taskset. */
static int own_level(void)
{
	char buf[4096];
	int level = 0;
	char *p;

	if (read_at("/proc/self", "taskset", buf, sizeof(buf)) <= 0)
		return -1;
	if (!strcmp(buf, "/\n"))
		return 0;
	for (p = buf; *p; p++)
		level += *p == '/';
	return level;
}

/*
 * An unprivileged user, in a user namespace of its own, unshares
 * CLONE_NEWTASKSET in a loop: its nodes nest down to level 32, then
 * ENOSPC, as a user or pid namespace would; at the deepest level, its
 * own node still reads back whole.
 */
TEST_F(limits, unprivileged_clone_chain_stops_at_level_32)
{
	int status, start = own_level();
	pid_t pid;

	ASSERT_GE(start, 0);
	ASSERT_LT(start, CLONE_MAX_LEVEL);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		int made = 0;

		alarm(60);
		if (setresgid(USER_UID, USER_UID, USER_UID) ||
		    setresuid(USER_UID, USER_UID, USER_UID) ||
		    unshare(CLONE_NEWUSER))
			_exit(100);
		while (made < 2 * CLONE_MAX_LEVEL && !unshare(CLONE_NEWTASKSET))
			made++;
		if (errno != ENOSPC)
			_exit(101);
		if (own_level() != CLONE_MAX_LEVEL)
			_exit(102);
		_exit(made);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), CLONE_MAX_LEVEL - start);
}

TEST_HARNESS_MAIN
