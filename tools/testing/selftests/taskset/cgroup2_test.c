// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup2 facet: a node bound to a cgroup v2 cgroup. "+cgroup2"
 * makes a mirror of the node's path, cgroup2.path binds an existing one;
 * one write to taskset.procs moves a task into the node's namespaces and
 * its cgroup, all or nothing; CLONE_INTO_TASKSET starts a child in both;
 * the real controllers (memory, pids) then limit it.
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
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/types.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#define MOVES		200
#define CGROUP2_FACET_LINE \
	"cgroup2 kind=resource enter=any create=mkdir on_empty=ignore\n"

FIXTURE(cg2) {
	char dir[sizeof(MNT_TEMPLATE)];
	char cg[64];		/* the cgroup2 mount */
	char web[256];		/* node */
	char mirror[256];	/* its mirror, <cg>/taskset/web */
	char other[256];	/* a cgroup outside the bridge, <cg>/other */
	bool cg_mounted;
	pid_t members[8];
	int nr_members;
};

static int write_fmt(const char *dir, const char *name, const char *fmt,
		     long v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), fmt, v);
	return write_str(dir, name, buf);
}

/* The first line of @dir/@name without its newline, in @buf. */
static int read_line(const char *dir, const char *name, char *buf, size_t len)
{
	ssize_t n = read_at(dir, name, buf, len);

	if (n <= 0)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* /proc/@pid/cgroup's path, "/taskset/web": in @buf. */
static const char *cgroup_of(pid_t pid, char *buf, size_t len)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/%d", pid);
	if (read_line(proc, "cgroup", buf, len) || strncmp(buf, "0::", 3))
		return "?";
	return buf + 3;
}

/* /proc/@pid/taskset, the node's path: "/web". */
static const char *node_of(pid_t pid, char *buf, size_t len)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/%d", pid);
	if (read_line(proc, "taskset", buf, len))
		return "?";
	return buf;
}

/* A process that waits until killed. */
static pid_t spawn(struct _test_data_cg2 *self)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	if (pid > 0)
		self->members[self->nr_members++] = pid;
	return pid;
}

static void kill_spawned(struct _test_data_cg2 *self)
{
	int i;

	for (i = 0; i < self->nr_members; i++) {
		kill(self->members[i], SIGKILL);
		waitpid(self->members[i], NULL, 0);
	}
	self->nr_members = 0;
}

static void *idle_thread(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

/* A process of two threads that waits until killed. */
static pid_t spawn_threaded(struct _test_data_cg2 *self)
{
	pid_t pid = fork();

	if (pid == 0) {
		pthread_t t;

		pthread_create(&t, NULL, idle_thread, NULL);
		for (;;)
			pause();
	}
	if (pid > 0)
		self->members[self->nr_members++] = pid;
	return pid;
}

/* A thread of @task other than @pid, waiting for it to exist; or -1. */
static pid_t other_thread(const char *task, pid_t pid)
{
	struct dirent *de;
	pid_t tid = -1;
	int tries;
	DIR *d;

	for (tries = 0; tries < 500 && tid < 0; tries++) {
		d = opendir(task);
		if (!d)
			return -1;
		while ((de = readdir(d)))
			if (atoi(de->d_name) > 0 && atoi(de->d_name) != pid)
				tid = atoi(de->d_name);
		closedir(d);
		if (tid < 0)
			sleep_ms(10);
	}
	return tid;
}

/* Move @pid with cgroupfs: 0 or -errno. */
static int cg_enter(const char *cgroup, pid_t pid)
{
	return write_fmt(cgroup, "cgroup.procs", "%ld\n", pid);
}

FIXTURE_SETUP(cg2)
{
	char path[512];

	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->cg, sizeof(self->cg), "/tmp/cg2.XXXXXX");
	ASSERT_NE(mkdtemp(self->cg), NULL);
	ASSERT_EQ(mount("none", self->cg, "cgroup2", 0, NULL), 0);
	self->cg_mounted = true;
	/* The controllers, down to the mirrors' parent. */
	ASSERT_EQ(write_str(self->cg, "cgroup.subtree_control",
			    "+memory +pids"), 0);
	snprintf(path, sizeof(path), "%s/taskset", self->cg);
	ASSERT_TRUE(!mkdir(path, 0755) || errno == EEXIST);
	ASSERT_EQ(write_str(path, "cgroup.subtree_control", "+memory +pids"),
		  0);
	snprintf(self->web, sizeof(self->web), "%s/web", self->dir);
	snprintf(self->mirror, sizeof(self->mirror), "%s/taskset/web",
		 self->cg);
	snprintf(self->other, sizeof(self->other), "%s/other", self->cg);
	ASSERT_EQ(mkdir(self->web, 0755), 0);
	ASSERT_EQ(mkdir(self->other, 0755), 0);
	ASSERT_EQ(write_str(self->web, "taskset.facets", "+uts +cgroup2"), 0);
}

FIXTURE_TEARDOWN(cg2)
{
	kill_spawned(self);
	kill_members((const char *[]){ self->web }, 1);
	rmdir(self->web);
	if (self->cg_mounted) {
		rmdir(self->other);
		umount(self->cg);
	}
	rmdir(self->cg);
	tasksetfs_umount_tmp(self->dir);
}

/* "+cgroup2" makes the mirror, and the node shows it. */
TEST_F(cg2, plus_makes_mirror)
{
	char buf[256];
	struct stat st;

	ASSERT_EQ(read_line(self->web, "cgroup2.path", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/taskset/web");
	ASSERT_EQ(stat(self->mirror, &st), 0);
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	ASSERT_GT(read_at(self->web, "taskset.facets", buf, sizeof(buf)), 0);
	EXPECT_NE(strstr(buf, CGROUP2_FACET_LINE), NULL) TH_LOG("%s", buf);
}

/* A child node's mirror goes below its bound parent's. */
TEST_F(cg2, nested_mirror)
{
	char inner[300], buf[300];

	snprintf(inner, sizeof(inner), "%s/inner", self->web);
	ASSERT_EQ(mkdir(inner, 0755), 0);
	ASSERT_EQ(write_str(inner, "taskset.facets", "+cgroup2"), 0);
	ASSERT_EQ(read_line(inner, "cgroup2.path", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/taskset/web/inner");
	ASSERT_EQ(rmdir(inner), 0);
	snprintf(buf, sizeof(buf), "%s/inner", self->mirror);
	EXPECT_EQ(access(buf, F_OK), -1);
}

/* One write moves a task into the node's namespaces and its cgroup. */
TEST_F(cg2, enter_moves_both)
{
	char buf[256], nbuf[256];
	pid_t pid = spawn(self);

	ASSERT_GT(pid, 0);
	ASSERT_EQ(enter_node(self->web, pid), 0);
	EXPECT_STREQ(cgroup_of(pid, buf, sizeof(buf)), "/taskset/web");
	EXPECT_STREQ(node_of(pid, nbuf, sizeof(nbuf)), "/web");
	EXPECT_EQ(read_key(self->mirror, "cgroup.events", "populated"), 1);
}

/* A node without the facet inherits its parent's binding. */
TEST_F(cg2, child_inherits_binding)
{
	char inner[300], buf[256];
	pid_t pid;

	snprintf(inner, sizeof(inner), "%s/inner", self->web);
	ASSERT_EQ(mkdir(inner, 0755), 0);
	EXPECT_EQ(read_at(inner, "cgroup2.path", buf, sizeof(buf)), -ENOENT);
	pid = spawn(self);
	ASSERT_EQ(enter_node(inner, pid), 0);
	EXPECT_STREQ(cgroup_of(pid, buf, sizeof(buf)), "/taskset/web");
	kill_spawned(self);
	ASSERT_TRUE(wait_populated_ms(inner, 0, 5000) == 0);
	ASSERT_EQ(rmdir(inner), 0);
}

/* Leaving for the root, whose binding is none, leaves the cgroup be. */
TEST_F(cg2, root_binding_is_none)
{
	char buf[256];
	pid_t pid = spawn(self);

	ASSERT_EQ(enter_node(self->web, pid), 0);
	ASSERT_EQ(enter_node(self->dir, pid), 0);
	EXPECT_STREQ(cgroup_of(pid, buf, sizeof(buf)), "/taskset/web");
}

/* memory.max of the mirror limits a task entered with one write. */
TEST_F(cg2, memory_max_enforced)
{
	int go[2], status;
	pid_t pid;

	ASSERT_EQ(write_str(self->mirror, "memory.max", "16M"), 0);
	ASSERT_EQ(pipe(go), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		size_t len = 64 << 20;
		char c, *p;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(3);
		memset(p, 1, len);
		_exit(0);
	}
	close(go[0]);
	ASSERT_EQ(enter_node(self->web, pid), 0);
	ASSERT_EQ(write(go[1], "g", 1), 1);
	close(go[1]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("status %#x", status);
	EXPECT_GE(read_key(self->mirror, "memory.events", "oom_kill"), 1);
	EXPECT_GE(read_key(self->mirror, "memory.events", "max"), 1);
}

/* pids.max of the mirror refuses the fork of an entered task. */
TEST_F(cg2, pids_max_enforced)
{
	int go[2], res[2], err = -1;
	pid_t pid;

	ASSERT_EQ(write_str(self->mirror, "pids.max", "1"), 0);
	ASSERT_EQ(pipe(go), 0);
	ASSERT_EQ(pipe(res), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		pid_t child;
		char c;

		if (read(go[0], &c, 1) != 1)
			_exit(2);
		child = fork();
		if (child == 0)
			_exit(0);
		err = child < 0 ? errno : 0;
		write(res[1], &err, sizeof(err));
		_exit(0);
	}
	close(res[1]);
	ASSERT_EQ(enter_node(self->web, pid), 0);
	ASSERT_EQ(write(go[1], "g", 1), 1);
	ASSERT_EQ(read(res[0], &err, sizeof(err)), sizeof(err));
	EXPECT_EQ(err, EAGAIN);
	waitpid(pid, NULL, 0);
	EXPECT_GE(read_key(self->mirror, "pids.events", "max"), 1);
}

/* Where @pid is, in both hierarchies. */
struct where {
	char cgroup[256];
	char node[256];
};

static void where_is(pid_t pid, struct where *w)
{
	char buf[256];

	snprintf(w->cgroup, sizeof(w->cgroup), "%s",
		 cgroup_of(pid, buf, sizeof(buf)));
	snprintf(w->node, sizeof(w->node), "%s", node_of(pid, buf, sizeof(buf)));
}

/*
 * Bind the node to @cgroup (under the mount) and move @pid, a process
 * or, if @thread, one thread: the errno, which must be cgroupfs' own for
 * the same move, and nothing moved in either hierarchy. The node is
 * unbound again.
 */
static int refused_move(struct _test_data_cg2 *self,
			struct __test_metadata *_metadata,
			const char *cgroup, pid_t pid, bool thread)
{
	const char *node_file = thread ? "taskset.threads" : "taskset.procs";
	const char *cg_file = thread ? "cgroup.threads" : "cgroup.procs";
	struct where before, after;
	char path[512], id[32];
	int err, direct;

	snprintf(path, sizeof(path), "%s%s", self->cg, cgroup);
	snprintf(id, sizeof(id), "%d\n", pid);
	EXPECT_EQ(write_str(self->web, "taskset.facets", "+cgroup2"), 0);
	EXPECT_EQ(write_str(self->web, "cgroup2.path", cgroup), 0);
	where_is(pid, &before);
	err = write_str(self->web, node_file, id);
	where_is(pid, &after);
	EXPECT_STREQ(before.cgroup, after.cgroup);
	EXPECT_STREQ(before.node, after.node);
	direct = write_str(path, cg_file, id);
	EXPECT_EQ(err, direct);
	where_is(pid, &after);
	EXPECT_STREQ(before.cgroup, after.cgroup);
	EXPECT_EQ(write_str(self->web, "taskset.facets", "-cgroup2"), 0);
	return err;
}

/* A cgroup with controllers for its children takes no process. */
TEST_F(cg2, refused_no_internal_process)
{
	char busy[512], child[512];
	pid_t pid = spawn(self);

	snprintf(busy, sizeof(busy), "%s/busy", self->cg);
	snprintf(child, sizeof(child), "%s/busy/child", self->cg);
	ASSERT_EQ(mkdir(busy, 0755), 0);
	ASSERT_EQ(mkdir(child, 0755), 0);
	ASSERT_EQ(write_str(busy, "cgroup.subtree_control", "+memory"), 0);
	EXPECT_EQ(refused_move(self, _metadata, "/busy", pid, false), -EBUSY);
	rmdir(child);
	EXPECT_EQ(rmdir(busy), 0);
}

/*
 * A process of two threads, @pid and @tid, and the cgroups /dom and
 * /dom/thr, threaded, whose paths go to @dom and @thr: 0, or -1.
 */
static int threaded_setup(struct _test_data_cg2 *self, pid_t *pid,
			  pid_t *tid, char *dom, char *thr, size_t len)
{
	char task[64];

	*pid = spawn_threaded(self);
	if (*pid <= 0)
		return -1;
	snprintf(task, sizeof(task), "/proc/%d/task", *pid);
	*tid = other_thread(task, *pid);
	snprintf(dom, len, "%s/dom", self->cg);
	snprintf(thr, len, "%s/dom/thr", self->cg);
	if (*tid <= 0 || mkdir(dom, 0755) || mkdir(thr, 0755))
		return -1;
	return write_str(thr, "cgroup.type", "threaded") ? -1 : 0;
}

/*
 * Threaded mode: a process cannot enter a cgroup whose domain is invalid
 * (a domain child of a threaded root), nor a thread a threaded cgroup of
 * another domain.
 */
TEST_F(cg2, refused_threaded)
{
	char dom[512], thr[512], inval[512];
	pid_t pid, tid;

	ASSERT_EQ(threaded_setup(self, &pid, &tid, dom, thr, sizeof(dom)), 0);
	snprintf(inval, sizeof(inval), "%s/dom/inval", self->cg);
	ASSERT_EQ(mkdir(inval, 0755), 0);
	EXPECT_EQ(refused_move(self, _metadata, "/dom/inval", pid, false),
		  -EOPNOTSUPP);
	EXPECT_EQ(refused_move(self, _metadata, "/dom/thr", tid, true),
		  -EOPNOTSUPP);
	rmdir(inval);
	rmdir(thr);
	EXPECT_EQ(rmdir(dom), 0);
}

/*
 * taskset.threads moves one thread into a bound threaded cgroup of its
 * domain, as cgroup.threads would; the other thread stays.
 */
TEST_F(cg2, thread_into_threaded_cgroup)
{
	char dom[512], thr[512], task[64], path[128], buf[256], id[32];
	pid_t pid, tid;

	ASSERT_EQ(threaded_setup(self, &pid, &tid, dom, thr, sizeof(dom)), 0);
	snprintf(task, sizeof(task), "/proc/%d/task", pid);
	ASSERT_EQ(cg_enter(dom, pid), 0);
	ASSERT_EQ(write_str(self->web, "cgroup2.path", "/dom/thr"), 0);
	snprintf(id, sizeof(id), "%d\n", tid);
	ASSERT_EQ(write_str(self->web, "taskset.threads", id), 0);
	snprintf(path, sizeof(path), "%s/%d", task, tid);
	ASSERT_EQ(read_line(path, "cgroup", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "0::/dom/thr");
	ASSERT_EQ(read_line(path, "taskset", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/web");
	snprintf(path, sizeof(path), "%s/%d", task, pid);
	ASSERT_EQ(read_line(path, "cgroup", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "0::/dom");
	ASSERT_EQ(read_line(path, "taskset", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/");
	kill_spawned(self);
	ASSERT_EQ(wait_populated_ms(self->web, 0, 5000), 0);
	ASSERT_EQ(write_str(self->web, "taskset.facets", "-cgroup2"), 0);
	rmdir(thr);
	EXPECT_EQ(rmdir(dom), 0);
}

/* A refusal on the task sets' side leaves the cgroup side alone too. */
TEST_F(cg2, refused_by_tasks_max)
{
	struct where before, after;
	pid_t pid = spawn(self);

	ASSERT_EQ(write_str(self->web, "tasks.max", "0"), 0);
	where_is(pid, &before);
	EXPECT_EQ(enter_node(self->web, pid), -EAGAIN);
	where_is(pid, &after);
	EXPECT_STREQ(before.cgroup, after.cgroup);
	EXPECT_STREQ(before.node, after.node);
	EXPECT_EQ(read_key(self->mirror, "cgroup.events", "populated"), 0);
}

/* Drop CAP_DAC_OVERRIDE from current's effective set. */
static int drop_dac_override(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[0].effective &= ~(1U << CAP_DAC_OVERRIDE);
	return syscall(SYS_capset, &hdr, data);
}

/* Write @s to @dir/@name from a child without CAP_DAC_OVERRIDE. */
static int write_without_dac(const char *dir, const char *name, const char *s)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (drop_dac_override())
			_exit(255);
		_exit(-write_str(dir, name, s));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 255)
		return -ECHILD;
	return -WEXITSTATUS(status);
}

/*
 * The move is refused if the opener may not write cgroup.procs of the
 * common ancestor: nothing moves in either hierarchy.
 */
TEST_F(cg2, refused_opener_may_not_write)
{
	char side[512], parent[512], buf[64];
	struct where before, after;
	pid_t pid = spawn(self);
	int err;

	snprintf(side, sizeof(side), "%s/taskset/side", self->cg);
	snprintf(parent, sizeof(parent), "%s/taskset/cgroup.procs", self->cg);
	ASSERT_EQ(mkdir(side, 0755), 0);
	ASSERT_EQ(cg_enter(side, pid), 0);
	ASSERT_EQ(chmod(parent, 0444), 0);
	where_is(pid, &before);
	snprintf(buf, sizeof(buf), "%d\n", pid);
	err = write_without_dac(self->web, "taskset.procs", buf);
	where_is(pid, &after);
	EXPECT_EQ(chmod(parent, 0644), 0);
	EXPECT_EQ(err, -EACCES);
	EXPECT_STREQ(before.cgroup, after.cgroup);
	EXPECT_STREQ(before.node, after.node);
	/* With the right, the same write moves it. */
	EXPECT_EQ(write_without_dac(self->web, "taskset.procs", buf), 0);
	where_is(pid, &after);
	EXPECT_STREQ(after.cgroup, "/taskset/web");
	kill_spawned(self);
	EXPECT_EQ(wait_populated_ms(self->web, 0, 5000), 0);
	EXPECT_EQ(rmdir(side), 0);
}

/* cgroup2.path binds an existing cgroup; the mirror goes. */
TEST_F(cg2, bind_existing)
{
	char buf[256];
	pid_t pid = spawn(self);

	ASSERT_EQ(write_str(self->web, "cgroup2.path", "/other\n"), 0);
	ASSERT_EQ(read_line(self->web, "cgroup2.path", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/other");
	EXPECT_EQ(access(self->mirror, F_OK), -1);
	ASSERT_EQ(enter_node(self->web, pid), 0);
	EXPECT_STREQ(cgroup_of(pid, buf, sizeof(buf)), "/other");
}

/* A bound cgroup refuses rmdir; after the node, it is the user's again. */
TEST_F(cg2, bound_cgroup_refuses_rmdir)
{
	EXPECT_EQ(rmdir(self->mirror), -1);
	EXPECT_EQ(errno, EBUSY);
	ASSERT_EQ(write_str(self->web, "cgroup2.path", "/other"), 0);
	EXPECT_EQ(rmdir(self->other), -1);
	EXPECT_EQ(errno, EBUSY);
	ASSERT_EQ(rmdir(self->web), 0);
	EXPECT_EQ(rmdir(self->other), 0);
}

/* The node's removal removes its mirror. */
TEST_F(cg2, rmdir_removes_mirror)
{
	ASSERT_EQ(rmdir(self->web), 0);
	EXPECT_EQ(access(self->mirror, F_OK), -1);
	EXPECT_EQ(errno, ENOENT);
}

/*
 * A task moved into the mirror behind the node's back keeps the mirror,
 * and so the node: rmdir is EBUSY, and nothing is removed.
 */
TEST_F(cg2, rmdir_refused_while_mirror_populated)
{
	pid_t pid = spawn(self);

	ASSERT_EQ(cg_enter(self->mirror, pid), 0);
	EXPECT_EQ(rmdir(self->web), -1);
	EXPECT_EQ(errno, EBUSY);
	EXPECT_EQ(access(self->web, F_OK), 0);
	EXPECT_EQ(access(self->mirror, F_OK), 0);
	kill_spawned(self);
	EXPECT_EQ(wait_populated_ms(self->web, 0, 100), 0);
}

/* Rebinding waits until the node is empty, and changes nothing until. */
TEST_F(cg2, rebind_refused_while_populated)
{
	char buf[256];
	pid_t pid = spawn(self);

	ASSERT_EQ(enter_node(self->web, pid), 0);
	EXPECT_EQ(write_str(self->web, "cgroup2.path", "/other"), -EBUSY);
	EXPECT_EQ(write_str(self->web, "taskset.facets", "-cgroup2"), -EBUSY);
	ASSERT_EQ(read_line(self->web, "cgroup2.path", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/taskset/web");
}

/* Paths that name no cgroup, and garbage, change nothing. */
TEST_F(cg2, bind_bad_input)
{
	char buf[256];

	EXPECT_EQ(write_str(self->web, "cgroup2.path", "other"), -EINVAL);
	EXPECT_EQ(write_str(self->web, "cgroup2.path", "/a b"), -EINVAL);
	EXPECT_EQ(write_str(self->web, "cgroup2.path", "/nonexistent"),
		  -ENOENT);
	EXPECT_EQ(write_str(self->web, "cgroup2.path", "/other/cgroup.procs"),
		  -ENOTDIR);
	ASSERT_EQ(read_line(self->web, "cgroup2.path", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/taskset/web");
	EXPECT_EQ(access(self->mirror, F_OK), 0);
}

/* Binding needs the right to write the cgroup's cgroup.procs. */
TEST_F(cg2, bind_needs_write_permission)
{
	char procs[512], buf[256];
	int err;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", self->other);
	ASSERT_EQ(chmod(procs, 0444), 0);
	err = write_without_dac(self->web, "cgroup2.path", "/other");
	EXPECT_EQ(chmod(procs, 0644), 0);
	EXPECT_EQ(err, -EACCES);
	ASSERT_EQ(read_line(self->web, "cgroup2.path", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/taskset/web");
}

/* "-cgroup2" unbinds: the mirror goes, entering leaves cgroups be. */
TEST_F(cg2, minus_unbinds)
{
	char buf[256];
	pid_t pid = spawn(self);

	ASSERT_EQ(write_str(self->web, "taskset.facets", "-cgroup2"), 0);
	EXPECT_EQ(access(self->mirror, F_OK), -1);
	EXPECT_EQ(read_at(self->web, "cgroup2.path", buf, sizeof(buf)),
		  -ENOENT);
	ASSERT_EQ(enter_node(self->web, pid), 0);
	EXPECT_STREQ(cgroup_of(pid, buf, sizeof(buf)), "/");
}

/* A mirror that exists already is not taken over. */
TEST_F(cg2, plus_refused_if_mirror_exists)
{
	char node[300], cg[512];

	snprintf(node, sizeof(node), "%s/dup", self->dir);
	snprintf(cg, sizeof(cg), "%s/taskset/dup", self->cg);
	ASSERT_EQ(mkdir(node, 0755), 0);
	ASSERT_EQ(mkdir(cg, 0755), 0);
	EXPECT_EQ(write_str(node, "taskset.facets", "+cgroup2"), -EEXIST);
	EXPECT_EQ(read_at(node, "cgroup2.path", cg, 16), -ENOENT);
	EXPECT_EQ(rmdir(node), 0);
	snprintf(cg, sizeof(cg), "%s/taskset/dup", self->cg);
	EXPECT_EQ(rmdir(cg), 0);
}

/*
 * cgroup2.parent takes only names that mkdir(2) of a cgroup could make:
 * no ".", no "..", none longer than NAME_MAX; nothing changes.
 */
TEST_F(cg2, parent_refuses_names_mkdir_would_not_make)
{
	static const char * const bad[] = {
		"/.", "/..", "/a/./b", "/a/../b", "/a/..", "/../x",
	};
	char buf[256], name[NAME_MAX + 3];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(write_str(self->dir, "cgroup2.parent", bad[i]),
			  -EINVAL) TH_LOG("%s", bad[i]);
	name[0] = '/';
	memset(name + 1, 'n', NAME_MAX + 1);
	name[NAME_MAX + 2] = '\0';
	EXPECT_EQ(write_str(self->dir, "cgroup2.parent", name), -ENAMETOOLONG);
	ASSERT_EQ(read_line(self->dir, "cgroup2.parent", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/taskset");
	/* NAME_MAX itself, and names that only start with a dot, are fine. */
	name[NAME_MAX + 1] = '\0';
	EXPECT_EQ(write_str(self->dir, "cgroup2.parent", name), 0);
	EXPECT_EQ(write_str(self->dir, "cgroup2.parent", "/.a/..b/c."), 0);
	EXPECT_EQ(write_str(self->dir, "cgroup2.parent", "/taskset"), 0);
}

/* Mount cgroup v2 at @dir with or without nsdelegate: 0, or -errno. */
static int mount_cgroup2(const char *dir, bool nsdelegate)
{
	return mount("none", dir, "cgroup2", 0,
		     nsdelegate ? "nsdelegate" : NULL) ? -errno : 0;
}

/*
 * A move into a bound cgroup is judged from the cgroup namespace of the
 * file's opener, as a write of cgroup.procs is since CVE-2021-4197: a
 * taskset.procs opened in a cgroup namespace rooted at /other, which
 * cannot see web's cgroup, moves nothing into it when root writes it
 * (ENOENT, with namespaces as delegation boundaries: nsdelegate).
 */
TEST_F(cg2, move_judged_from_the_openers_cgroup_namespace)
{
	char path[PATH_MAX], id[32], mnt[] = "/tmp/cg2nsd.XXXXXX";
	int ready[2], pidfd, fd = -1, ret;
	pid_t opener, target;

	target = spawn(self);
	ASSERT_GT(target, 0);
	ASSERT_EQ(pipe(ready), 0);
	opener = fork();
	ASSERT_GE(opener, 0);
	if (!opener) {
		int n;

		if (cg_enter(self->other, getpid()) ||
		    unshare(CLONE_NEWCGROUP))
			_exit(1);
		snprintf(path, sizeof(path), "%s/taskset.procs", self->web);
		n = open(path, O_WRONLY);
		if (write(ready[1], &n, sizeof(n)) != sizeof(n))
			_exit(1);
		for (;;)
			pause();
	}
	self->members[self->nr_members++] = opener;
	ASSERT_EQ(read(ready[0], &fd, sizeof(fd)), sizeof(fd));
	ASSERT_GE(fd, 0);
	pidfd = syscall(SYS_pidfd_open, opener, 0);
	ASSERT_GE(pidfd, 0);
	fd = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	ASSERT_GE(fd, 0) TH_LOG("%m: pidfd_getfd");
	/* A mount applies its options to the hierarchy, wherever it is. */
	ASSERT_NE(mkdtemp(mnt), NULL);
	ASSERT_EQ(mount_cgroup2(mnt, true), 0) TH_LOG("%m: nsdelegate");
	snprintf(id, sizeof(id), "%d\n", target);
	ret = write(fd, id, strlen(id)) < 0 ? -errno : 0;
	EXPECT_EQ(umount(mnt), 0);
	EXPECT_EQ(mount_cgroup2(mnt, false), 0);
	EXPECT_EQ(umount(mnt), 0);
	rmdir(mnt);
	EXPECT_EQ(ret, -ENOENT);
	EXPECT_EQ(count_lines(self->web, "taskset.procs"), 0);
	close(fd);
	close(pidfd);
}

/* The root's cgroup2.parent chooses where mirrors go. */
TEST_F(cg2, root_parent)
{
	char node[300], buf[256];

	ASSERT_EQ(read_line(self->dir, "cgroup2.parent", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/taskset");
	EXPECT_EQ(write_str(self->dir, "cgroup2.parent", "relative"), -EINVAL);
	EXPECT_EQ(write_str(self->dir, "cgroup2.parent", "/a b"), -EINVAL);
	ASSERT_EQ(read_line(self->dir, "cgroup2.parent", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/taskset");
	ASSERT_EQ(write_str(self->dir, "cgroup2.parent", "/alt/deep\n"), 0);
	snprintf(node, sizeof(node), "%s/elsewhere", self->dir);
	ASSERT_EQ(mkdir(node, 0755), 0);
	EXPECT_EQ(write_str(node, "taskset.facets", "+cgroup2"), 0);
	ASSERT_EQ(read_line(node, "cgroup2.path", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/alt/deep/elsewhere");
	EXPECT_EQ(write_str(self->dir, "cgroup2.parent", "/taskset"), 0);
	EXPECT_EQ(rmdir(node), 0);
	snprintf(buf, sizeof(buf), "%s/alt/deep", self->cg);
	EXPECT_EQ(rmdir(buf), 0);
	snprintf(buf, sizeof(buf), "%s/alt", self->cg);
	EXPECT_EQ(rmdir(buf), 0);
}

/*
 * cgroup2.path obeys its opener: a file opened by nobody binds nothing
 * even when root writes it; one opened by root and handed to nobody
 * binds.
 */
TEST_F(cg2, path_obeys_its_opener)
{
	char path[300], buf[256];

	snprintf(path, sizeof(path), "%s/cgroup2.path", self->web);
	ASSERT_EQ(chmod(path, 0666), 0);
	EXPECT_EQ(write_as(self->web, "cgroup2.path", "/other", NOBODY, 0),
		  -EPERM);
	ASSERT_EQ(read_line(self->web, "cgroup2.path", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/taskset/web");
	EXPECT_EQ(access(self->mirror, F_OK), 0);

	EXPECT_EQ(write_as(self->web, "cgroup2.path", "/other", 0, NOBODY), 0);
	ASSERT_EQ(read_line(self->web, "cgroup2.path", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/other");
	EXPECT_EQ(access(self->mirror, F_OK), -1);
}

/* So does the root's cgroup2.parent. */
TEST_F(cg2, parent_obeys_its_opener)
{
	char path[300], buf[256];

	snprintf(path, sizeof(path), "%s/cgroup2.parent", self->dir);
	ASSERT_EQ(chmod(path, 0666), 0);
	EXPECT_EQ(write_as(self->dir, "cgroup2.parent", "/alt", NOBODY, 0),
		  -EPERM);
	ASSERT_EQ(read_line(self->dir, "cgroup2.parent", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/taskset");

	EXPECT_EQ(write_as(self->dir, "cgroup2.parent", "/alt", 0, NOBODY), 0);
	ASSERT_EQ(read_line(self->dir, "cgroup2.parent", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/alt");
	EXPECT_EQ(write_str(self->dir, "cgroup2.parent", "/taskset"), 0);
}

/* cgroup.procs still moves a member; each side shows its own. */
TEST_F(cg2, cgroupfs_move_behind_back)
{
	char buf[256];
	pid_t pid = spawn(self);

	ASSERT_EQ(enter_node(self->web, pid), 0);
	ASSERT_EQ(cg_enter(self->other, pid), 0);
	EXPECT_STREQ(cgroup_of(pid, buf, sizeof(buf)), "/other");
	EXPECT_STREQ(node_of(pid, buf, sizeof(buf)), "/web");
	EXPECT_EQ(read_key(self->web, "taskset.events", "populated"), 1);
	/* Entering again puts it back. */
	ASSERT_EQ(enter_node(self->web, pid), 0);
	EXPECT_STREQ(cgroup_of(pid, buf, sizeof(buf)), "/taskset/web");
}

/* CLONE_INTO_TASKSET starts the child in the node and its cgroup. */
TEST_F(cg2, clone_into_lands_in_both)
{
	int fd = open(self->web, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int pipefd[2], status;
	char got[512];
	pid_t pid;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(pipe(pipefd), 0);
	pid = clone3_into_node(fd, 0, 0);
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		char buf[256], out[512];

		snprintf(out, sizeof(out), "%s %s",
			 cgroup_of(getpid(), buf, sizeof(buf)),
			 node_of(getpid(), buf + 128, 128));
		write(pipefd[1], out, strlen(out) + 1);
		_exit(0);
	}
	close(pipefd[1]);
	ASSERT_GT(read(pipefd[0], got, sizeof(got)), 0);
	EXPECT_STREQ(got, "/taskset/web /web");
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	close(fd);
}

/* CLONE_INTO_CGROUP with a bound node is ambiguous: EINVAL. */
TEST_F(cg2, clone_into_with_into_cgroup)
{
	int fd = open(self->web, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int cgfd = open(self->other, O_PATH | O_DIRECTORY | O_CLOEXEC);
	pid_t pid;

	ASSERT_GE(fd, 0);
	ASSERT_GE(cgfd, 0);
	pid = clone3_into_node(fd, CLONE_INTO_CGROUP, cgfd);
	if (pid == 0)
		_exit(0);
	EXPECT_EQ(pid, -1);
	EXPECT_EQ(errno, EINVAL);
	close(cgfd);
	close(fd);
}

/* The mirror's pids.max refuses a CLONE_INTO_TASKSET child. */
TEST_F(cg2, clone_into_limited_by_pids_max)
{
	int fd = open(self->web, O_PATH | O_DIRECTORY | O_CLOEXEC);
	pid_t pid;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(write_str(self->mirror, "pids.max", "0"), 0);
	pid = clone3_into_node(fd, 0, 0);
	if (pid == 0)
		_exit(0);
	EXPECT_EQ(pid, -1);
	EXPECT_EQ(errno, EAGAIN);
	close(fd);
}

/* The numeric entries of @dir, up to @max of them in @ids: how many. */
static int list_dir_ids(const char *dir, pid_t *ids, int max)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (ids && n < max)
			ids[n] = atoi(de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static int count_dir(const char *dir)
{
	return list_dir_ids(dir, NULL, 0);
}

/*
 * After each write, every thread of a 4-thread process is in both the
 * node and its cgroup: no half-moved state is seen once write(2) has
 * returned.
 */
TEST_F_TIMEOUT(cg2, no_half_move_after_write, 240)
{
	char other_node[300], taskdir[64], buf[256], path[512];
	const char *nodes[2], *cgroups[2] = { "/taskset/web",
					      "/taskset/web2" };
	pid_t pid, tids[4];
	int i, t, n, ready[2];

	snprintf(other_node, sizeof(other_node), "%s/web2", self->dir);
	ASSERT_EQ(mkdir(other_node, 0755), 0);
	ASSERT_EQ(write_str(other_node, "taskset.facets", "+cgroup2"), 0);
	nodes[0] = self->web;
	nodes[1] = other_node;
	ASSERT_EQ(pipe(ready), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		pthread_t th;

		for (i = 0; i < 3; i++)
			pthread_create(&th, NULL, idle_thread, NULL);
		pid = gettid();
		write(ready[1], &pid, sizeof(pid));
		for (;;)
			pause();
	}
	self->members[self->nr_members++] = pid;
	ASSERT_EQ(read(ready[0], &tids[0], sizeof(pid)), sizeof(pid));
	/* Wait for the threads. */
	snprintf(taskdir, sizeof(taskdir), "/proc/%d/task", pid);
	for (n = 0; n < 500 && count_dir(taskdir) < 4; n++)
		sleep_ms(10);
	ASSERT_EQ(count_dir(taskdir), 4);
	list_dir_ids(taskdir, tids, 4);
	for (i = 0; i < MOVES; i++) {
		ASSERT_EQ(enter_node(nodes[i & 1], pid), 0);
		for (t = 0; t < 4; t++) {
			snprintf(path, sizeof(path), "/proc/%d/task/%d", pid,
				 tids[t]);
			ASSERT_EQ(read_line(path, "cgroup", buf, sizeof(buf)),
				  0);
			ASSERT_STREQ(buf + 3, cgroups[i & 1]);
			ASSERT_EQ(read_line(path, "taskset", buf, sizeof(buf)),
				  0);
			ASSERT_STREQ(buf, i & 1 ? "/web2" : "/web");
		}
	}
	kill_spawned(self);
	ASSERT_EQ(wait_populated_ms(other_node, 0, 5000), 0);
	ASSERT_EQ(rmdir(other_node), 0);
}

struct lister {
	const char *root;
	atomic_int stop;
};

/* Open taskset.namespaces over and over: each open snapshots the proxies. */
static void *list_namespaces_loop(void *arg)
{
	struct lister *l = arg;
	char path[300];

	snprintf(path, sizeof(path), "%s/taskset.namespaces", l->root);
	while (!atomic_load(&l->stop)) {
		int fd = open(path, O_RDONLY);

		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

/*
 * A proxy of the node that a snapshot of taskset.namespaces still holds
 * when the node's cgroup2 state is dropped is never found again: a task
 * moved in and out while the state is dropped and made again, and the
 * listing opened meanwhile, would otherwise be handed the freed state
 * (KASAN) or trip the debug kernel's check of proxies' keys (WARN).
 */
TEST_F_TIMEOUT(cg2, proxies_of_dropped_states_are_not_found_again, 180)
{
	struct lister l = { .root = self->dir };
	pid_t pid = spawn(self);
	char buf[256];
	pthread_t t;
	int i;

	ASSERT_GT(pid, 0);
	ASSERT_EQ(pthread_create(&t, NULL, list_namespaces_loop, &l), 0);
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(enter_node(self->web, pid), 0);
		ASSERT_EQ(enter_node(self->dir, pid), 0);
		ASSERT_EQ(cg_enter(self->other, pid), 0);
		ASSERT_EQ(write_str(self->web, "taskset.facets", "-cgroup2"), 0);
		ASSERT_EQ(write_str(self->web, "taskset.facets", "+cgroup2"), 0);
	}
	atomic_store(&l.stop, 1);
	pthread_join(t, NULL);
	ASSERT_EQ(enter_node(self->web, pid), 0);
	EXPECT_STREQ(node_of(pid, buf, sizeof(buf)), "/web");
	EXPECT_STREQ(cgroup_of(pid, buf, sizeof(buf)), "/taskset/web");
}

TEST_HARNESS_MAIN
