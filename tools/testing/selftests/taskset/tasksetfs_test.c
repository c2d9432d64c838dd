// SPDX-License-Identifier: GPL-2.0
/*
 * tasksetfs: the filesystem mounts, its root shows its core files, and
 * what they say agrees with what /proc says about the same objects.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#ifndef TASKSETFS_SUPER_MAGIC
#define TASKSETFS_SUPER_MAGIC 0x54534554
#endif

#define BUF_SIZE 65536
#define MAX_PIDS 4096

static const char *const root_files[] = {
	"taskset.procs", "taskset.threads", "taskset.facets", "taskset.ns",
	"taskset.namespaces", "taskset.stat", "taskset.max.depth",
	"taskset.max.descendants",
};

/* The namespace facets, and the /proc/PID/ns file of each one's state. */
static const struct {
	const char *facet;
	const char *proc;
} ns_facets[] = {
	{ "uts", "uts" },
	{ "ipc", "ipc" },
	{ "mnt", "mnt" },
	{ "pid", "pid_for_children" },
	{ "net", "net" },
	{ "time", "time_for_children" },
	{ "cgroup", "cgroup" },
};

/* Parse taskset.procs: number of pids, or -1 if a line is malformed. */
static int parse_pids(char *buf, pid_t *pids, int max)
{
	char *line, *save, *end;
	int n = 0;

	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		long v = strtol(line, &end, 10);

		if (*end || v <= 0 || n == max)
			return -1;
		pids[n++] = v;
	}
	return n;
}

static bool pid_listed(const pid_t *pids, int n, pid_t pid)
{
	int i;

	for (i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

static int read_pids(const char *dir, pid_t *pids)
{
	static char buf[BUF_SIZE];

	if (read_at(dir, "taskset.procs", buf, sizeof(buf)) < 0)
		return -1;
	return parse_pids(buf, pids, MAX_PIDS);
}

/* Inode number of the user namespace owning /proc/self/ns/@name. */
static ino_t owner_ino(const char *name)
{
	char path[64];
	struct stat st;
	int fd, owner;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	owner = ioctl(fd, NS_GET_USERNS);
	close(fd);
	if (owner < 0)
		return 0;
	if (fstat(owner, &st))
		st.st_ino = 0;
	close(owner);
	return st.st_ino;
}

FIXTURE(tasksetfs) {
	char dir[32];
	char dir2[32];
};

FIXTURE_SETUP(tasksetfs)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not in /proc/filesystems");
	snprintf(self->dir, sizeof(self->dir), MNT_TEMPLATE);
	snprintf(self->dir2, sizeof(self->dir2), MNT_TEMPLATE);
	ASSERT_NE(mkdtemp(self->dir), NULL);
	ASSERT_NE(mkdtemp(self->dir2), NULL);
	ASSERT_EQ(mount("none", self->dir, "tasksetfs", 0, NULL), 0)
		TH_LOG("%m: mount -t tasksetfs on %s", self->dir);
}

FIXTURE_TEARDOWN(tasksetfs)
{
	umount2(self->dir2, MNT_DETACH);
	umount2(self->dir, MNT_DETACH);
	rmdir(self->dir2);
	rmdir(self->dir);
}

/* The kernel provides the conventional mount point, as for cgroup. */
TEST(mount_point_exists)
{
	struct stat st;

	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not in /proc/filesystems");
	ASSERT_EQ(stat("/sys/fs/taskset", &st), 0)
		TH_LOG("%m: /sys/fs/taskset");
	ASSERT_TRUE(S_ISDIR(st.st_mode));
}

/* statfs() identifies the filesystem by its own magic number. */
TEST_F(tasksetfs, statfs_magic)
{
	struct statfs sfs;

	ASSERT_EQ(statfs(self->dir, &sfs), 0) TH_LOG("%m: statfs");
	ASSERT_EQ(sfs.f_type, TASKSETFS_SUPER_MAGIC);
}

/* Is @name a file that root may write? */
static bool is_writable(const char *name)
{
	return !strcmp(name, "taskset.facets") ||
	       !strcmp(name, "taskset.procs") ||
	       !strcmp(name, "taskset.threads") ||
	       !strncmp(name, "taskset.max.", 12);
}

/* The root holds the core files, readable by all, writable by root. */
TEST_F(tasksetfs, root_files_exist)
{
	char path[PATH_MAX];
	struct stat st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(root_files); i++) {
		snprintf(path, sizeof(path), "%s/%s", self->dir, root_files[i]);
		ASSERT_EQ(stat(path, &st), 0) TH_LOG("%m: %s", path);
		ASSERT_TRUE(S_ISREG(st.st_mode)) TH_LOG("%s", path);
		ASSERT_EQ(st.st_mode & 07777,
			  is_writable(root_files[i]) ? 0644 : 0444)
			TH_LOG("%s", path);
	}
}

/* The root's taskset.procs lists the reader and init. */
TEST_F(tasksetfs, procs_lists_self_and_init)
{
	static pid_t pids[MAX_PIDS];
	int n = read_pids(self->dir, pids);

	ASSERT_GT(n, 1) TH_LOG("taskset.procs unreadable or malformed");
	ASSERT_TRUE(pid_listed(pids, n, getpid()));
	ASSERT_TRUE(pid_listed(pids, n, 1));
}

/* Pids are listed once each, in increasing order. */
TEST_F(tasksetfs, procs_sorted_and_unique)
{
	static pid_t pids[MAX_PIDS];
	int n = read_pids(self->dir, pids);
	int i;

	ASSERT_GT(n, 1);
	for (i = 1; i < n; i++)
		ASSERT_LT(pids[i - 1], pids[i]) TH_LOG("entry %d", i);
}

/* A new process appears while it lives and is gone once reaped. */
TEST_F(tasksetfs, procs_follows_fork_and_exit)
{
	static pid_t pids[MAX_PIDS];
	pid_t child;
	int n, status;

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	n = read_pids(self->dir, pids);
	ASSERT_TRUE(pid_listed(pids, n, child));
	ASSERT_EQ(kill(child, SIGKILL), 0);
	ASSERT_EQ(waitpid(child, &status, 0), child);
	n = read_pids(self->dir, pids);
	ASSERT_GT(n, 0);
	ASSERT_FALSE(pid_listed(pids, n, child));
}

/* Report the thread's id through the pipe @arg, then wait. */
static void *wait_forever(void *arg)
{
	pid_t tid = syscall(SYS_gettid);
	int *pipefd = arg;

	if (write(pipefd[1], &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	for (;;)
		pause();
	return NULL;
}

/* Processes are listed, not their other threads. */
TEST_F(tasksetfs, procs_omits_threads)
{
	static pid_t pids[MAX_PIDS];
	pthread_t thread;
	int pipefd[2], n;
	pid_t tid;

	ASSERT_EQ(pipe(pipefd), 0);
	ASSERT_EQ(pthread_create(&thread, NULL, wait_forever, pipefd), 0);
	ASSERT_EQ(read(pipefd[0], &tid, sizeof(tid)), sizeof(tid));
	ASSERT_NE(tid, getpid());
	n = read_pids(self->dir, pids);
	ASSERT_TRUE(pid_listed(pids, n, getpid()));
	ASSERT_FALSE(pid_listed(pids, n, tid)) TH_LOG("thread %d listed", tid);
}

/* taskset.ns shows, per namespace, the inodes /proc/self/ns shows. */
TEST_F(tasksetfs, ns_matches_proc)
{
	char buf[4096], type[16], state[16], path[64];
	unsigned long ino, owner;
	char *line, *save;
	struct stat st;
	size_t i;
	int lines = 0;

	ASSERT_GT(read_at(self->dir, "taskset.ns", buf, sizeof(buf)), 0);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lines++) {
		ASSERT_TRUE(sscanf(line, "%15s %lu %lu %15s", type, &ino,
				   &owner, state) == 4) TH_LOG("malformed: %s", line);
		for (i = 0; i < ARRAY_SIZE(ns_facets); i++)
			if (!strcmp(type, ns_facets[i].facet))
				break;
		ASSERT_LT(i, ARRAY_SIZE(ns_facets)) TH_LOG("unknown %s", type);
		snprintf(path, sizeof(path), "/proc/self/ns/%s",
			 ns_facets[i].proc);
		ASSERT_EQ(stat(path, &st), 0) TH_LOG("%m: %s", path);
		EXPECT_EQ(ino, st.st_ino) TH_LOG("%s", type);
		EXPECT_EQ(owner, owner_ino(ns_facets[i].proc)) TH_LOG("%s", type);
		EXPECT_STREQ(state, "own") TH_LOG("%s", type);
	}
	ASSERT_GT(lines, 0);
}

/* Every namespace type /proc/self/ns knows is listed, once. */
TEST_F(tasksetfs, ns_lists_every_namespace)
{
	char buf[4096], path[64], word[24];
	size_t i;

	ASSERT_GT(read_at(self->dir, "taskset.ns", buf, sizeof(buf)), 0);
	for (i = 0; i < ARRAY_SIZE(ns_facets); i++) {
		char *first, *last;

		snprintf(path, sizeof(path), "/proc/self/ns/%s",
			 ns_facets[i].proc);
		if (access(path, F_OK))
			continue;
		snprintf(word, sizeof(word), "%s ", ns_facets[i].facet);
		first = strstr(buf, word);
		ASSERT_NE(first, NULL) TH_LOG("%s missing", ns_facets[i].facet);
		ASSERT_TRUE(first == buf || first[-1] == '\n');
		last = first;
		while ((first = strstr(first + 1, word)))
			if (first[-1] == '\n')
				last = first;
		ASSERT_EQ(last, strstr(buf, word)) TH_LOG("%s twice", word);
	}
}

/* The root's taskset.facets lists the namespace facets and policies. */
TEST_F(tasksetfs, facets_lists_namespace_policies)
{
	char buf[4096], want[128];
	size_t i;

	ASSERT_GT(read_at(self->dir, "taskset.facets", buf, sizeof(buf)), 0);
	for (i = 0; i < ARRAY_SIZE(ns_facets); i++) {
		snprintf(want, sizeof(want),
			 "%s kind=namespace enter=self create=mkdir,clone on_empty=delete\n",
			 ns_facets[i].facet);
		EXPECT_NE(strstr(buf, want), NULL) TH_LOG("no line %s", want);
	}
}

/* Files whose content does not change while the system is idle. */
static bool is_static(const char *name)
{
	return !strcmp(name, "taskset.ns") || !strcmp(name, "taskset.facets");
}

/* Read-only files refuse to be opened for writing, whoever asks. */
TEST_F(tasksetfs, read_only_files_refuse_writes)
{
	char before[4096], after[4096], path[PATH_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(root_files); i++) {
		if (is_writable(root_files[i]))
			continue;
		snprintf(path, sizeof(path), "%s/%s", self->dir, root_files[i]);
		if (is_static(root_files[i]))
			ASSERT_GT(read_at(self->dir, root_files[i], before,
					  sizeof(before)), 0);
		ASSERT_EQ(open(path, O_WRONLY), -1) TH_LOG("%s", path);
		ASSERT_EQ(errno, EACCES) TH_LOG("%s", path);
		ASSERT_EQ(open(path, O_RDWR), -1) TH_LOG("%s", path);
		ASSERT_EQ(errno, EACCES) TH_LOG("%s", path);
		ASSERT_EQ(open(path, O_WRONLY | O_TRUNC), -1);
		if (is_static(root_files[i])) {
			ASSERT_GT(read_at(self->dir, root_files[i], after,
					  sizeof(after)), 0);
			ASSERT_STREQ(before, after);
		}
	}
}

/* Unmounting and mounting again gives back the same files. */
TEST_F(tasksetfs, remount)
{
	static pid_t pids[MAX_PIDS];
	char buf[4096];

	ASSERT_EQ(umount(self->dir), 0) TH_LOG("%m: umount");
	ASSERT_EQ(read_at(self->dir, "taskset.ns", buf, sizeof(buf)), -ENOENT);
	ASSERT_EQ(mount("none", self->dir, "tasksetfs", 0, NULL), 0)
		TH_LOG("%m: mount again");
	ASSERT_GT(read_at(self->dir, "taskset.ns", buf, sizeof(buf)), 0);
	ASSERT_TRUE(pid_listed(pids, read_pids(self->dir, pids), getpid()));
}

/* A second mount shows the same hierarchy: same superblock and inodes. */
TEST_F(tasksetfs, second_mount_same_tree)
{
	char a[4096], b[4096], pa[PATH_MAX], pb[PATH_MAX];
	struct stat sa, sb;
	size_t i;

	ASSERT_EQ(mount("none", self->dir2, "tasksetfs", 0, NULL), 0)
		TH_LOG("%m: second mount");
	for (i = 0; i < ARRAY_SIZE(root_files); i++) {
		snprintf(pa, sizeof(pa), "%s/%s", self->dir, root_files[i]);
		snprintf(pb, sizeof(pb), "%s/%s", self->dir2, root_files[i]);
		ASSERT_EQ(stat(pa, &sa), 0);
		ASSERT_EQ(stat(pb, &sb), 0);
		ASSERT_EQ(sa.st_dev, sb.st_dev) TH_LOG("%s", root_files[i]);
		ASSERT_EQ(sa.st_ino, sb.st_ino) TH_LOG("%s", root_files[i]);
	}
	ASSERT_GT(read_at(self->dir, "taskset.ns", a, sizeof(a)), 0);
	ASSERT_GT(read_at(self->dir2, "taskset.ns", b, sizeof(b)), 0);
	ASSERT_STREQ(a, b);
}

/* Mount options tasksetfs does not know are refused. */
TEST_F(tasksetfs, unknown_option_refused)
{
	ASSERT_EQ(mount("none", self->dir2, "tasksetfs", 0, "bogus=1"), -1);
	ASSERT_EQ(errno, EINVAL);
}

/* Only a process privileged in the initial user namespace may mount. */
TEST_F(tasksetfs, unprivileged_mount_refused)
{
	pid_t child;
	int status;

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		if (setgid(NOBODY) || setuid(NOBODY))
			_exit(255);
		if (!mount("none", self->dir2, "tasksetfs", 0, NULL))
			_exit(0);
		_exit(errno);
	}
	ASSERT_EQ(waitpid(child, &status, 0), child);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), EPERM)
		TH_LOG("mount as nobody: 0 mounted, 255 setuid failed, else errno");
}

TEST_HARNESS_MAIN
