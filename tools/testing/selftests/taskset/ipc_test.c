// SPDX-License-Identifier: GPL-2.0
/*
 * The IPC namespace's external view: ipc.shmmni.max, ipc.msgmni.max,
 * ipc.semmni.max and ipc.ids on a node that owns its IPC namespace. The
 * effective limit is the smallest of the internal sysctl and the
 * external caps up the hierarchy; shmget, msgget and semget beyond it
 * fail with ENOSPC and IPC_INFO reports it; nothing inside can raise it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

FIXTURE(ipc) {
	char dir[sizeof(MNT_TEMPLATE)];
	char box[256];
	char inner[256];
};

FIXTURE_SETUP(ipc)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->box, sizeof(self->box), "%s/box", self->dir);
	snprintf(self->inner, sizeof(self->inner), "%s/box/inner", self->dir);
	ASSERT_EQ(mkdir(self->box, 0755), 0) TH_LOG("%m: mkdir");
	ASSERT_EQ(write_str(self->box, "taskset.facets", "+ipc"), 0);
}

FIXTURE_TEARDOWN(ipc)
{
	kill_members((const char *[]){ self->inner, self->box }, 2);
	rmdir(self->inner);
	rmdir(self->box);
	tasksetfs_umount_tmp(self->dir);
}

enum kind { SHM, MSG, SEM };

static const char * const max_file[] = {
	[SHM] = "ipc.shmmni.max",
	[MSG] = "ipc.msgmni.max",
	[SEM] = "ipc.semmni.max",
};

static const char * const sysctl_file[] = {
	[SHM] = "/proc/sys/kernel/shmmni",
	[MSG] = "/proc/sys/kernel/msgmni",
	[SEM] = "/proc/sys/kernel/sem",
};

/* A new private id of @kind: the id, or -1 with errno set. */
static int new_id(enum kind kind)
{
	switch (kind) {
	case SHM:
		return shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	case MSG:
		return msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	default:
		return semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	}
}

static int remove_id(enum kind kind, int id)
{
	switch (kind) {
	case SHM:
		return shmctl(id, IPC_RMID, NULL);
	case MSG:
		return msgctl(id, IPC_RMID, NULL);
	default:
		return semctl(id, 0, IPC_RMID);
	}
}

/* The limit IPC_INFO reports for @kind, or -1. */
static long info_mni(enum kind kind)
{
	struct shminfo shm;
	struct msginfo msg;
	struct seminfo sem;

	switch (kind) {
	case SHM:
		if (shmctl(0, IPC_INFO, (struct shmid_ds *)&shm) < 0)
			return -1;
		return shm.shmmni;
	case MSG:
		if (msgctl(0, IPC_INFO, (struct msqid_ds *)&msg) < 0)
			return -1;
		return msg.msgmni;
	default:
		if (semctl(0, 0, IPC_INFO, &sem) < 0)
			return -1;
		return sem.semmni;
	}
}

/* Set the internal limit of current's namespace: 0, or -1. */
static int set_internal(enum kind kind, int mni)
{
	char buf[64];
	int fd, ret;

	if (kind == SEM)	/* semmsl semmns semopm semmni */
		snprintf(buf, sizeof(buf), "32000 1024000000 500 %d\n", mni);
	else
		snprintf(buf, sizeof(buf), "%d\n", mni);
	fd = open(sysctl_file[kind], O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write(fd, buf, strlen(buf)) == (ssize_t)strlen(buf) ? 0 : -1;
	close(fd);
	return ret;
}

/*
 * Run @fn(@kind, @arg) in a child inside @node: its result, 0 for
 * success or the line of the check that failed; -1 if it could not run.
 */
static int run_inside(const char *node, int (*fn)(enum kind, long),
		      enum kind kind, long arg)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (enter_node(node, getpid()))
			_exit(255);
		_exit(fn(kind, arg));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status) == 255 ? -1 : WEXITSTATUS(status);
}

/* A child's exit status for a check that failed at @line: 1 to 250. */
static int failed_at(int line)
{
	return line % 250 + 1;
}

/* IPC_INFO reports @want. */
static int info_is(enum kind kind, long want)
{
	if (!(info_mni(kind) == want))
		return failed_at(__LINE__);
	return 0;
}

/*
 * Exactly @n new ids fit, the next fails with ENOSPC; all are removed
 * again.
 */
static int fills_at(enum kind kind, long n)
{
	int ids[64], i, id;

	for (i = 0; i < n; i++) {
		ids[i] = new_id(kind);
		if (!(ids[i] >= 0))
			return failed_at(__LINE__);
	}
	id = new_id(kind);
	if (!(id < 0 && errno == ENOSPC))
		return failed_at(__LINE__);
	for (i = 0; i < n; i++)
		if (!(!remove_id(kind, ids[i])))
			return failed_at(__LINE__);
	return 0;
}

/* Set the internal sysctl to @arg, then IPC_INFO reports @arg too. */
static int internal_lower(enum kind kind, long arg)
{
	if (!(!set_internal(kind, arg)))
		return failed_at(__LINE__);
	if (!(info_mni(kind) == arg))
		return failed_at(__LINE__);
	return fills_at(kind, arg);
}

/* Raise the internal sysctl to 1000: the external cap of 2 still holds. */
static int internal_higher(enum kind kind, long arg)
{
	if (!(!set_internal(kind, 1000)))
		return failed_at(__LINE__);
	if (!(info_mni(kind) == arg))
		return failed_at(__LINE__);
	return fills_at(kind, arg);
}

/* A namespace unshared inside is bound by the cap too. */
static int unshared_inside(enum kind kind, long arg)
{
	if (!(!unshare(CLONE_NEWIPC)))
		return failed_at(__LINE__);
	if (!(!set_internal(kind, 1000)))
		return failed_at(__LINE__);
	if (!(info_mni(kind) == arg))
		return failed_at(__LINE__);
	return fills_at(kind, arg);
}

/* The files can be neither reached nor written from a user namespace. */
static int from_inside_user_ns(enum kind kind, long arg)
{
	const char *dir = (const char *)arg;
	char mnt[] = "/tmp/inside.XXXXXX";

	if (!(!unshare(CLONE_NEWUSER | CLONE_NEWNS)))
		return failed_at(__LINE__);
	if (!(mkdtemp(mnt)))
		return failed_at(__LINE__);
	if (!(mount("none", mnt, "tasksetfs", 0, NULL) < 0 && errno == EPERM))
		return failed_at(__LINE__);
	rmdir(mnt);
	/* Root of its own user namespace, it is nobody outside. */
	if (!(write_str(dir, max_file[kind], "max") == -EPERM))
		return failed_at(__LINE__);
	if (!(info_mni(kind) == 2))
		return failed_at(__LINE__);
	return 0;
}

/* Namespaces unshared @arg deep inside the node stay bound by its cap of 2. */
static int nested_unshares(enum kind kind, long arg)
{
	long i;

	for (i = 0; i < arg; i++)
		if (!(!unshare(CLONE_NEWIPC)))
			return failed_at(__LINE__);
	if (!(!set_internal(kind, 1000)))
		return failed_at(__LINE__);
	if (!(info_mni(kind) == 2))
		return failed_at(__LINE__);
	return fills_at(kind, 2);
}

static const enum kind kinds[] = { SHM, MSG, SEM };

TEST_F(ipc, files_on_a_node_owning_its_namespace)
{
	char buf[256];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		ASSERT_GT(read_at(self->box, max_file[kinds[i]], buf,
				  sizeof(buf)), 0);
		EXPECT_STREQ(buf, "max\n");
		/* The root's namespace has no outside. */
		EXPECT_EQ(read_at(self->dir, max_file[kinds[i]], buf,
				  sizeof(buf)), -ENOENT);
	}
	ASSERT_GT(read_at(self->box, "ipc.ids", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "shm 0\nmsg 0\nsem 0\n");
}

TEST_F(ipc, absent_on_a_node_inheriting_ipc)
{
	unsigned int i;
	char buf[64];

	ASSERT_EQ(mkdir(self->inner, 0755), 0);
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		EXPECT_EQ(write_str(self->inner, max_file[kinds[i]], "5"),
			  -ENOENT);
		EXPECT_EQ(read_at(self->inner, max_file[kinds[i]], buf,
				  sizeof(buf)), -ENOENT);
	}
	/* And gone with the namespace. */
	ASSERT_EQ(rmdir(self->inner), 0);
	ASSERT_EQ(write_str(self->box, "taskset.facets", "-ipc"), 0);
	EXPECT_EQ(write_str(self->box, max_file[SHM], "5"), -ENOENT);
}

TEST_F(ipc, garbage_in_max_changes_nothing)
{
	static const char * const bad[] = {
		"", "-1", "abc", "1 2", "0x10", "Max", "2147483647",
		"99999999999",
	};
	unsigned int i;
	char buf[64];

	ASSERT_EQ(write_str(self->box, max_file[SHM], "7\n"), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *b = bad[i];

		EXPECT_EQ(write_str(self->box, max_file[SHM], b), -EINVAL)
			TH_LOG("write of \"%s\"", b);
	}
	ASSERT_GT(read_at(self->box, max_file[SHM], buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "7\n");
	EXPECT_EQ(write_str(self->box, "ipc.ids", "1"), -EACCES);
}

/* So do the caps: the opener's credentials decide, not the writer's. */
TEST_F(ipc, max_obeys_its_opener)
{
	char path[PATH_MAX], buf[64];

	snprintf(path, sizeof(path), "%s/%s", self->box, max_file[SHM]);
	ASSERT_EQ(chmod(path, 0666), 0);
	EXPECT_EQ(write_as(self->box, max_file[SHM], "7", NOBODY, 0), -EPERM);
	ASSERT_GT(read_at(self->box, max_file[SHM], buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "max\n");

	EXPECT_EQ(write_as(self->box, max_file[SHM], "7", 0, NOBODY), 0);
	ASSERT_GT(read_at(self->box, max_file[SHM], buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "7\n");
}

/* Without a cap, the namespace's own sysctl is the limit, as before. */
TEST_F(ipc, without_cap_internal_sysctl_rules)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		EXPECT_EQ(run_inside(self->box, internal_lower, kinds[i], 3), 0)
			TH_LOG("%s", max_file[kinds[i]]);
}

/* External 5, internal 3: 3. */
TEST_F(ipc, internal_lower_than_external)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		ASSERT_EQ(write_str(self->box, max_file[kinds[i]], "5"), 0);
		EXPECT_EQ(run_inside(self->box, internal_lower, kinds[i], 3), 0)
			TH_LOG("%s", max_file[kinds[i]]);
	}
}

/* External 2, internal raised to 1000 from inside: 2, ENOSPC at 2. */
TEST_F(ipc, external_lower_than_internal)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		ASSERT_EQ(write_str(self->box, max_file[kinds[i]], "2"), 0);
		EXPECT_EQ(run_inside(self->box, internal_higher, kinds[i], 2),
			  0) TH_LOG("%s", max_file[kinds[i]]);
	}
}

TEST_F(ipc, ids_count_usage)
{
	char buf[64];
	int shm, msg;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (enter_node(self->box, getpid()))
			_exit(1);
		shm = new_id(SHM);
		msg = new_id(MSG);
		if (shm < 0 || msg < 0 || new_id(MSG) < 0)
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, NULL, 0), pid);
	/* The ids outlive their creator, in the node's namespace. */
	ASSERT_GT(read_at(self->box, "ipc.ids", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "shm 1\nmsg 2\nsem 0\n");
}

/* A cap below the ids in use is accepted; no new id until they drop. */
TEST_F(ipc, cap_below_usage)
{
	ASSERT_EQ(write_str(self->box, max_file[MSG], "1"), 0);
	EXPECT_EQ(run_inside(self->box, fills_at, MSG, 1), 0);
	ASSERT_EQ(write_str(self->box, max_file[MSG], "0"), 0);
	EXPECT_EQ(run_inside(self->box, fills_at, MSG, 0), 0);
	EXPECT_EQ(run_inside(self->box, info_is, MSG, 0), 0);
}

/* A child node cannot raise its parent's cap, but can lower it. */
TEST_F(ipc, child_node_capped_by_parent)
{
	ASSERT_EQ(mkdir(self->inner, 0755), 0);
	ASSERT_EQ(write_str(self->inner, "taskset.facets", "+ipc"), 0);
	ASSERT_EQ(write_str(self->box, max_file[SHM], "2"), 0);
	ASSERT_EQ(write_str(self->inner, max_file[SHM], "10"), 0);
	EXPECT_EQ(run_inside(self->inner, info_is, SHM, 2), 0);
	EXPECT_EQ(run_inside(self->inner, fills_at, SHM, 2), 0);
	ASSERT_EQ(write_str(self->inner, max_file[SHM], "1"), 0);
	EXPECT_EQ(run_inside(self->inner, fills_at, SHM, 1), 0);
	/* The parent's own namespace keeps its own cap. */
	EXPECT_EQ(run_inside(self->box, fills_at, SHM, 2), 0);
}

TEST_F(ipc, unshare_inside_does_not_escape)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		ASSERT_EQ(write_str(self->box, max_file[kinds[i]], "2"), 0);
		EXPECT_EQ(run_inside(self->box, unshared_inside, kinds[i], 2),
			  0) TH_LOG("%s", max_file[kinds[i]]);
	}
}

TEST_F(ipc, no_access_from_inside)
{
	ASSERT_EQ(write_str(self->box, max_file[SHM], "2"), 0);
	EXPECT_EQ(run_inside(self->box, from_inside_user_ns, SHM,
			     (long)self->box), 0);
	EXPECT_EQ(run_inside(self->box, info_is, SHM, 2), 0);
}

/*
 * unshare(CLONE_NEWIPC), waiting out max_ipc_namespaces while the
 * namespaces left are being freed (from a work item): 0, or -1.
 */
static int unshare_ipc_waiting(void)
{
	int tries;

	for (tries = 0; tries < 1000; tries++) {
		if (!unshare(CLONE_NEWIPC))
			return 0;
		if (errno != ENOSPC)
			return -1;
		usleep(1000);
	}
	return -1;
}

/* A namespace nested deep inside a capped node still obeys the cap. */
TEST_F(ipc, deeply_nested_namespace_obeys_the_cap)
{
	ASSERT_EQ(write_str(self->box, max_file[SHM], "2"), 0);
	EXPECT_EQ(run_inside(self->box, nested_unshares, SHM, 20), 0);
}

/*
 * An unprivileged process unshares 5,000 IPC namespaces in a row, in a
 * user namespace of its own: each one it leaves is freed, as without
 * task sets; none pins the one it was made from.
 */
TEST_F_TIMEOUT(ipc, superseded_namespaces_are_freed, 120)
{
	int ready[2], go[2], status, i;
	long before, now = -1;
	pid_t pid;
	char c;

	ASSERT_EQ(pipe(ready), 0);
	ASSERT_EQ(pipe(go), 0);
	before = read_key(self->dir, "taskset.stat", "namespaces");
	ASSERT_GE(before, 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY) ||
		    unshare(CLONE_NEWUSER))
			_exit(2);
		for (i = 0; i < 5000; i++)
			if (unshare_ipc_waiting())
				_exit(3);
		write(ready[1], "r", 1);
		read(go[0], &c, 1);
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) == 1) {
		/* The last ones are freed from a work item: give it time. */
		for (i = 0; i < 500; i++) {
			now = read_key(self->dir, "taskset.stat", "namespaces");
			if (now - before <= 4)
				break;
			usleep(10 * 1000);
		}
	}
	write(go[1], "g", 1);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("status %#x", status);
	/* Its user namespace and the IPC namespace it is in, and slack. */
	EXPECT_LE(now - before, 4) TH_LOG("%ld namespaces more", now - before);
}

TEST_HARNESS_MAIN
