// SPDX-License-Identifier: GPL-2.0
/*
 * A node's own namespaces: "+name" and "-name" in taskset.facets, the
 * facet files that come with them (uts.hostname, uts.domainname), bad
 * input, permissions, and that nothing leaks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#define BIG	65536

FIXTURE(facets) {
	char dir[sizeof(MNT_TEMPLATE)];
	char node[256];
	char child[256];
};

FIXTURE_SETUP(facets)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->node, sizeof(self->node), "%s/web", self->dir);
	snprintf(self->child, sizeof(self->child), "%s/web/a", self->dir);
	ASSERT_EQ(mkdir(self->node, 0755), 0) TH_LOG("%m: mkdir");
}

FIXTURE_TEARDOWN(facets)
{
	rmdir(self->child);
	rmdir(self->node);
	tasksetfs_umount_tmp(self->dir);
}

/* What a node shows: its facets and namespaces, for before/after. */
static void node_state(const char *node, char *buf, size_t size)
{
	ssize_t n = read_at(node, "taskset.facets", buf, size / 2);

	if (n < 0)
		n = 0;
	read_at(node, "taskset.ns", buf + n, size - n);
}

static bool exists(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !access(path, F_OK);
}

/* "+uts +ipc +net +mnt" gives the node new instances, owned, listed. */
TEST_F(facets, plus_creates_own_namespaces)
{
	static const char *const types[] = { "uts", "ipc", "net", "mnt" };
	long before = read_key(self->dir, "taskset.stat", "namespaces");
	char buf[4096];
	size_t i;

	ASSERT_EQ(write_str(self->node, "taskset.facets",
			    "+uts +ipc +net +mnt\n"), 0);
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		unsigned long ino;
		bool own;

		ASSERT_EQ(node_ns(self->node, types[i], &ino, NULL, &own), 0);
		EXPECT_TRUE(own) TH_LOG("%s", types[i]);
		EXPECT_NE(ino, node_ns_ino(self->dir, types[i]))
			TH_LOG("%s", types[i]);
	}
	ASSERT_GT(read_at(self->node, "taskset.facets", buf, sizeof(buf)), 0);
	ASSERT_EQ(strncmp(buf, "uts kind=namespace", 18), 0) TH_LOG("%s", buf);
	ASSERT_NE(strstr(buf, "\nnet kind=namespace"), NULL);
	ASSERT_EQ(strstr(buf, "\npid "), NULL);
	ASSERT_EQ(read_key(self->dir, "taskset.stat", "namespaces"),
		  before + 4);
}

/* Every namespace facet can be created by mkdir, owned by the opener. */
TEST_F(facets, every_namespace_facet_created_owned_by_opener)
{
	static const char *const types[] = {
		"uts", "ipc", "mnt", "pid", "net", "time", "cgroup",
	};
	unsigned long user_ino;
	struct stat st;
	size_t i;

	ASSERT_EQ(stat("/proc/self/ns/user", &st), 0);
	user_ino = st.st_ino;
	ASSERT_EQ(write_str(self->node, "taskset.facets",
			    "+uts +ipc +mnt +pid +net +time +cgroup"), 0);
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		unsigned long ino, owner;
		bool own;

		ASSERT_EQ(node_ns(self->node, types[i], &ino, &owner, &own), 0);
		EXPECT_TRUE(own) TH_LOG("%s", types[i]);
		EXPECT_NE(ino, node_ns_ino(self->dir, types[i]))
			TH_LOG("%s", types[i]);
		EXPECT_EQ(owner, user_ino) TH_LOG("%s", types[i]);
	}
}

/* A node's namespaces persist with no task: same inode, same name. */
TEST_F(facets, namespaces_persist_without_tasks)
{
	char buf[256];
	unsigned long uts;
	int i;

	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts"), 0);
	uts = node_ns_ino(self->node, "uts");
	ASSERT_EQ(write_str(self->node, "uts.hostname", "web1\n"), 0);
	for (i = 0; i < 3; i++) {
		usleep(10000);
		ASSERT_EQ(node_ns_ino(self->node, "uts"), uts);
		ASSERT_GT(read_at(self->node, "uts.hostname", buf, sizeof(buf)), 0);
		ASSERT_STREQ(buf, "web1\n");
	}
}

/* uts.hostname is set from outside; the host's name does not change. */
TEST_F(facets, hostname_set_from_outside)
{
	struct utsname before, after;
	char buf[256];

	ASSERT_EQ(uname(&before), 0);
	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts"), 0);
	/* A new uts namespace starts as a copy of the writer's. */
	ASSERT_GT(read_at(self->node, "uts.hostname", buf, sizeof(buf)), 0);
	ASSERT_EQ(strncmp(buf, before.nodename, strlen(before.nodename)), 0);
	ASSERT_EQ(write_str(self->node, "uts.hostname", "web1"), 0);
	ASSERT_GT(read_at(self->node, "uts.hostname", buf, sizeof(buf)), 0);
	ASSERT_STREQ(buf, "web1\n");
	ASSERT_EQ(write_str(self->node, "uts.domainname", "example.org\n"), 0);
	ASSERT_GT(read_at(self->node, "uts.domainname", buf, sizeof(buf)), 0);
	ASSERT_STREQ(buf, "example.org\n");
	ASSERT_EQ(uname(&after), 0);
	ASSERT_STREQ(before.nodename, after.nodename);
	ASSERT_STREQ(before.domainname, after.domainname);
	ASSERT_GT(read_at(self->dir, "uts.hostname", buf, sizeof(buf)), 0);
	ASSERT_EQ(strncmp(buf, before.nodename, strlen(before.nodename)), 0);
}

/* A 64-byte name is accepted; 65 bytes, a NUL byte are not. */
TEST_F(facets, hostname_bad_input_refused)
{
	char name[4096], buf[256], domain[256];

	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts"), 0);
	ASSERT_EQ(write_str(self->node, "uts.hostname", "keep"), 0);
	ASSERT_GT(read_at(self->node, "uts.domainname", domain,
			  sizeof(domain)), 0);
	memset(name, 'h', sizeof(name));
	ASSERT_EQ(write_at(self->node, "uts.hostname", name, sizeof(name)),
		  -EINVAL);
	ASSERT_EQ(write_at(self->node, "uts.hostname", name, 65), -EINVAL);
	ASSERT_EQ(write_at(self->node, "uts.hostname", "ab\0cd", 5), -EINVAL);
	ASSERT_EQ(write_at(self->node, "uts.domainname", "\0", 1), -EINVAL);
	ASSERT_GT(read_at(self->node, "uts.domainname", buf, sizeof(buf)), 0);
	ASSERT_STREQ(buf, domain);
	ASSERT_GT(read_at(self->node, "uts.hostname", buf, sizeof(buf)), 0);
	ASSERT_STREQ(buf, "keep\n");
	name[64] = '\0';
	ASSERT_EQ(write_str(self->node, "uts.hostname", name), 0);
	ASSERT_GT(read_at(self->node, "uts.hostname", buf, sizeof(buf)), 0);
	ASSERT_EQ(strlen(buf), 65);
}

/* An empty name is taken, as sethostname(2) takes one. */
TEST_F(facets, empty_hostname_is_taken_as_the_system_call_takes_it)
{
	char buf[256];

	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts"), 0);
	ASSERT_EQ(write_str(self->node, "uts.hostname", "keep"), 0);
	EXPECT_EQ(write_at(self->node, "uts.hostname", "\n", 1), 0);
	ASSERT_GT(read_at(self->node, "uts.hostname", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "\n");
}

/* New namespaces are made as unshare(2) would make them for the writer. */
TEST_F(facets, plus_pid_refused_like_unshare)
{
	pid_t child;
	int status;
	bool own;

	/* Its children would not be in its pid namespace: EINVAL. */
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		if (unshare(CLONE_NEWPID))
			_exit(2);
		_exit(write_str(self->node, "taskset.facets", "+uts +pid") ==
		      -EINVAL ? 0 : 3);
	}
	ASSERT_EQ(waitpid(child, &status, 0), child);
	ASSERT_EQ(WEXITSTATUS(status), 0) TH_LOG("step %d", WEXITSTATUS(status));
	ASSERT_EQ(node_ns(self->node, "uts", NULL, NULL, &own), 0);
	ASSERT_FALSE(own);
	ASSERT_FALSE(exists(self->node, "uts.hostname"));
	/* From the writer's own pid namespace, it is prepared. */
	ASSERT_EQ(write_str(self->node, "taskset.facets", "+pid"), 0);
	ASSERT_EQ(node_ns(self->node, "pid", NULL, NULL, &own), 0);
	ASSERT_TRUE(own);
}

/* A write through a file of a removed node fails and changes nothing. */
TEST_F(facets, write_after_rmdir_fails)
{
	long nss = read_key(self->dir, "taskset.stat", "namespaces");
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/taskset.facets", self->node);
	fd = open(path, O_WRONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(rmdir(self->node), 0);
	ASSERT_EQ(write(fd, "+uts", 4), -1);
	ASSERT_TRUE(errno == ENODEV || errno == ENOENT) TH_LOG("%m");
	close(fd);
	ASSERT_EQ(read_key(self->dir, "taskset.stat", "namespaces"), nss);
}

/* The root owns the host's uts namespace: its uts files are the host's. */
TEST_F(facets, root_uts_files_are_the_hosts)
{
	struct utsname u;
	char buf[256], want[80];

	ASSERT_EQ(uname(&u), 0);
	ASSERT_GT(read_at(self->dir, "uts.hostname", buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "%s\n", u.nodename);
	ASSERT_STREQ(buf, want);
	ASSERT_GT(read_at(self->dir, "uts.domainname", buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "%s\n", u.domainname);
	ASSERT_STREQ(buf, want);
}

/* The uts files exist exactly while the node owns its uts namespace. */
TEST_F(facets, facet_files_follow_ownership)
{
	ASSERT_FALSE(exists(self->node, "uts.hostname"));
	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts"), 0);
	ASSERT_TRUE(exists(self->node, "uts.hostname"));
	ASSERT_TRUE(exists(self->node, "uts.domainname"));
	ASSERT_EQ(write_str(self->node, "taskset.facets", "-uts"), 0);
	ASSERT_FALSE(exists(self->node, "uts.hostname"));
	ASSERT_FALSE(exists(self->node, "uts.domainname"));
}

/* "-uts" returns to the parent's namespace and frees the node's. */
TEST_F(facets, minus_returns_to_inheriting)
{
	long before = read_key(self->dir, "taskset.stat", "namespaces");
	bool own;

	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts +ipc"), 0);
	ASSERT_EQ(write_str(self->node, "taskset.facets", "-uts"), 0);
	ASSERT_EQ(node_ns(self->node, "uts", NULL, NULL, &own), 0);
	ASSERT_FALSE(own);
	ASSERT_EQ(node_ns_ino(self->node, "uts"), node_ns_ino(self->dir, "uts"));
	ASSERT_EQ(node_ns(self->node, "ipc", NULL, NULL, &own), 0);
	ASSERT_TRUE(own);
	ASSERT_EQ(read_key(self->dir, "taskset.stat", "namespaces"),
		  before + 1);
}

/* Tokens for what the node already does change nothing. */
TEST_F(facets, repeated_plus_keeps_the_instance)
{
	unsigned long uts;

	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts"), 0);
	uts = node_ns_ino(self->node, "uts");
	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts"), 0);
	ASSERT_EQ(node_ns_ino(self->node, "uts"), uts);
	ASSERT_EQ(write_str(self->node, "taskset.facets", "-ipc"), 0);
	ASSERT_EQ(node_ns_ino(self->node, "uts"), uts);
}

/* A node with a child keeps its facets: its child inherits them. */
TEST_F(facets, change_with_child_is_busy)
{
	char before[8192], after[8192];

	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts"), 0);
	ASSERT_EQ(mkdir(self->child, 0755), 0);
	node_state(self->node, before, sizeof(before));
	ASSERT_EQ(write_str(self->node, "taskset.facets", "-uts"), -EBUSY);
	ASSERT_EQ(write_str(self->node, "taskset.facets", "+ipc"), -EBUSY);
	node_state(self->node, after, sizeof(after));
	ASSERT_STREQ(before, after);
	ASSERT_EQ(node_ns_ino(self->child, "uts"), node_ns_ino(self->node, "uts"));
}

/* The root's facets, the initial namespaces, cannot change. */
TEST_F(facets, root_facets_cannot_change)
{
	char before[8192], after[8192];

	node_state(self->dir, before, sizeof(before));
	ASSERT_EQ(write_str(self->dir, "taskset.facets", "-uts"), -EBUSY);
	/* Asking for what it has is not a change. */
	ASSERT_EQ(write_str(self->dir, "taskset.facets", "+uts"), 0);
	node_state(self->dir, after, sizeof(after));
	ASSERT_STREQ(before, after);
}

/* Each bad write gets EINVAL and changes nothing, all or nothing. */
TEST_F(facets, bad_input_refused_and_changes_nothing)
{
	static const struct {
		const char *data;
		size_t len;
	} bad[] = {
		{ "", 0 },
		{ "\n", 1 },
		{ "garbage", 7 },
		{ "uts", 3 },
		{ "+", 1 },
		{ "-", 1 },
		{ "+nosuchfacet", 12 },
		{ "+uts -uts", 9 },
		{ "+ipc +ipc", 9 },
		{ "+ipc +bogus", 11 },
		{ "+ipc\0", 5 },
		{ "+ipc\0+uts", 9 },
		{ "\0", 1 },
		{ "+IPC", 4 },
		{ "++ipc", 5 },
	};
	char before[8192], after[8192], junk[4096];
	long namespaces;
	size_t i;

	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts"), 0);
	node_state(self->node, before, sizeof(before));
	namespaces = read_key(self->dir, "taskset.stat", "namespaces");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(write_at(self->node, "taskset.facets", bad[i].data,
				   bad[i].len), -EINVAL)
			TH_LOG("bad input %zu", i);
	}
	memset(junk, 'j', sizeof(junk));
	EXPECT_EQ(write_at(self->node, "taskset.facets", junk, sizeof(junk)),
		  -EINVAL);
	node_state(self->node, after, sizeof(after));
	ASSERT_STREQ(before, after);
	ASSERT_EQ(read_key(self->dir, "taskset.stat", "namespaces"),
		  namespaces);
}

/* An unprivileged opener cannot change facets, even with mode 0666. */
TEST_F(facets, unprivileged_write_refused)
{
	char path[PATH_MAX], before[8192], after[8192];
	pid_t child;
	int status;

	snprintf(path, sizeof(path), "%s/taskset.facets", self->node);
	node_state(self->node, before, sizeof(before));
	/* Mode 0644: the VFS refuses to open it. */
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		if (setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		_exit(open(path, O_WRONLY) == -1 && errno == EACCES ? 0 : 3);
	}
	ASSERT_EQ(waitpid(child, &status, 0), child);
	ASSERT_EQ(WEXITSTATUS(status), 0);
	/* Mode 0666: it opens, the write is refused. */
	ASSERT_EQ(chmod(path, 0666), 0) TH_LOG("%m: chmod");
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		if (setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		_exit(write_str(self->node, "taskset.facets", "+uts") == -EPERM ?
		      0 : 3);
	}
	ASSERT_EQ(waitpid(child, &status, 0), child);
	ASSERT_EQ(WEXITSTATUS(status), 0);
	node_state(self->node, after, sizeof(after));
	ASSERT_STREQ(before, after);
}

/*
 * The opener's credentials decide (the cgroup v2 rule): an fd opened
 * unprivileged stays refused when root writes it. New namespaces are made
 * from the writer's context, so the writer must be allowed too: one
 * opened by root is refused to an unprivileged writer, and accepted from
 * root.
 */
TEST_F(facets, opener_and_writer_both_decide)
{
	char path[PATH_MAX];
	bool own;

	snprintf(path, sizeof(path), "%s/taskset.facets", self->node);
	ASSERT_EQ(chmod(path, 0666), 0);
	EXPECT_EQ(write_as(self->node, "taskset.facets", "+uts", NOBODY, 0),
		  -EPERM);
	ASSERT_EQ(node_ns(self->node, "uts", NULL, NULL, &own), 0);
	ASSERT_FALSE(own);

	EXPECT_EQ(write_as(self->node, "taskset.facets", "+uts", 0, NOBODY),
		  -EPERM);
	ASSERT_EQ(node_ns(self->node, "uts", NULL, NULL, &own), 0);
	ASSERT_FALSE(own);

	EXPECT_EQ(write_as(self->node, "taskset.facets", "+uts", 0, 0), 0);
	ASSERT_EQ(node_ns(self->node, "uts", NULL, NULL, &own), 0);
	ASSERT_TRUE(own);
}

/* An unprivileged opener cannot set a node's hostname either. */
TEST_F(facets, unprivileged_hostname_write_refused)
{
	char path[PATH_MAX], buf[256];
	pid_t child;
	int status;

	ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts"), 0);
	ASSERT_EQ(write_str(self->node, "uts.hostname", "keep"), 0);
	snprintf(path, sizeof(path), "%s/uts.hostname", self->node);
	ASSERT_EQ(chmod(path, 0666), 0);
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		if (setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		_exit(write_str(self->node, "uts.hostname", "evil") == -EPERM ?
		      0 : 3);
	}
	ASSERT_EQ(waitpid(child, &status, 0), child);
	ASSERT_EQ(WEXITSTATUS(status), 0);
	ASSERT_GT(read_at(self->node, "uts.hostname", buf, sizeof(buf)), 0);
	ASSERT_STREQ(buf, "keep\n");
}

/*
 * 1,000 mkdir, +facets, rmdir leave the counters and the listing as
 * found (but for the tasks of the root's namespaces, which other
 * processes change meanwhile).
 */
/* 1,000 nodes' namespaces: slow under KASAN, hence the longer timeout. */
TEST_F_TIMEOUT(facets, loop_leaves_nothing_behind, 180)
{
	static char start[BIG], end[BIG];
	char path[PATH_MAX];
	long nodes, nss, proxies;
	int i;

	ASSERT_EQ(rmdir(self->node), 0);
	nodes = read_key(self->dir, "taskset.stat", "nodes");
	nss = read_key(self->dir, "taskset.stat", "namespaces");
	proxies = read_key(self->dir, "taskset.stat", "proxies");
	ASSERT_GT(read_namespaces(self->dir, start, sizeof(start)), 0);
	for (i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "%s/n%d", self->dir, i);
		ASSERT_EQ(mkdir(path, 0755), 0) TH_LOG("%m: %d", i);
		ASSERT_EQ(write_str(path, "taskset.facets",
				    "+uts +ipc +mnt +pid +time +cgroup"), 0)
			TH_LOG("%d", i);
		if (i % 100 == 0)
			ASSERT_EQ(write_str(path, "taskset.facets", "+net"), 0);
		ASSERT_EQ(rmdir(path), 0) TH_LOG("%m: %d", i);
	}
	ASSERT_EQ(read_key(self->dir, "taskset.stat", "nodes"), nodes);
	ASSERT_EQ(wait_stat(self->dir, "namespaces", nss), nss);
	ASSERT_EQ(read_key(self->dir, "taskset.stat", "proxies"), proxies);
	ASSERT_GT(read_namespaces(self->dir, end, sizeof(end)), 0);
	ASSERT_STREQ(start, end);
}

struct reader {
	const char *node;
	bool stop;
	unsigned long reads;
	int bad_errno;
};

/* Read a node's files until told to stop; only ENOENT may fail them. */
static void *read_node(void *arg)
{
	static const char *const files[] = {
		"taskset.ns", "taskset.facets", "taskset.procs", "uts.hostname",
	};
	struct reader *r = arg;
	char buf[4096];
	size_t i;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		for (i = 0; i < ARRAY_SIZE(files); i++) {
			ssize_t n = read_at(r->node, files[i], buf, sizeof(buf));

			if (n < 0 && n != -ENOENT && n != -ENODEV)
				r->bad_errno = -n;
			r->reads++;
		}
	}
	return NULL;
}

/* rmdir and "-uts" racing with reads of the node's files. */
TEST_F(facets, rmdir_races_with_reads)
{
	struct reader r = { .node = self->node };
	long nss = read_key(self->dir, "taskset.stat", "namespaces");
	pthread_t thread;
	int i;

	ASSERT_EQ(rmdir(self->node), 0);
	ASSERT_EQ(pthread_create(&thread, NULL, read_node, &r), 0);
	for (i = 0; i < 300; i++) {
		ASSERT_EQ(mkdir(self->node, 0755), 0) TH_LOG("%m: %d", i);
		ASSERT_EQ(write_str(self->node, "taskset.facets", "+uts +ipc"), 0);
		if (i % 2)
			ASSERT_EQ(write_str(self->node, "taskset.facets", "-uts"), 0);
		ASSERT_EQ(rmdir(self->node), 0) TH_LOG("%m: %d", i);
		if (i % 50 == 0)
			usleep(1000);
	}
	__atomic_store_n(&r.stop, true, __ATOMIC_RELAXED);
	ASSERT_EQ(pthread_join(thread, NULL), 0);
	ASSERT_EQ(r.bad_errno, 0) TH_LOG("a read failed: %s",
					 strerror(r.bad_errno));
	ASSERT_GT(r.reads, 0);
	ASSERT_EQ(wait_stat(self->dir, "namespaces", nss), nss);
}

TEST_HARNESS_MAIN
