// SPDX-License-Identifier: GPL-2.0
/*
 * The root's listings: taskset.namespaces is a snapshot taken when the
 * file is opened, shows a reader only the namespaces it could have found
 * in /proc, judged with the opener's credentials; taskset.stat counts
 * namespaces as they come and go.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

#define NR_HOLDERS 200
#define LISTING_SIZE (1024 * 1024)

/* Children that hold namespaces until the parent closes go[1]. */
struct holders {
	int go[2];
	pid_t pids[NR_HOLDERS + 1];
	int nr;
};

FIXTURE(listing) {
	char dir[32];
	char path[64];
	struct holders h;
};

FIXTURE_SETUP(listing)
{
	self->h.go[1] = -EBADF;
	self->h.nr = 0;
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not in /proc/filesystems");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0)
		TH_LOG("%m: mount -t tasksetfs");
	snprintf(self->path, sizeof(self->path), "%s/taskset.namespaces",
		 self->dir);
	ASSERT_EQ(pipe(self->h.go), 0);
}

FIXTURE_TEARDOWN(listing)
{
	int i;

	if (self->h.go[1] >= 0)
		close(self->h.go[1]);
	for (i = 0; i < self->h.nr; i++)
		waitpid(self->h.pids[i], NULL, 0);
	tasksetfs_umount_tmp(self->dir);
}

/*
 * A child in new namespaces of @flags, owned by the initial user
 * namespace, that lives until the fixture lets it go.
 */
static pid_t spawn_holder(struct __test_metadata *_metadata,
			  struct holders *h, int flags)
{
	int ready[2];
	pid_t pid;
	char c = 1;

	ASSERT_EQ(pipe(ready), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(h->go[1]);
		c = unshare(flags) ? 1 : 0;
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		while (read(h->go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	h->pids[h->nr++] = pid;
	close(ready[1]);
	EXPECT_EQ(read(ready[0], &c, 1), 1);
	EXPECT_EQ(c, 0) TH_LOG("holder could not unshare");
	close(ready[0]);
	return pid;
}

static void release_holders(struct holders *h)
{
	int i;

	close(h->go[1]);
	h->go[1] = -EBADF;
	for (i = 0; i < h->nr; i++)
		waitpid(h->pids[i], NULL, 0);
	h->nr = 0;
}

static unsigned long ns_ino_of(pid_t pid, const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, name);
	return stat(path, &st) ? 0 : st.st_ino;
}

/* Does @listing have a line for namespace @type @ino? */
static bool listed(const char *listing, const char *type, unsigned long ino)
{
	char prefix[64];
	const char *p = listing;

	snprintf(prefix, sizeof(prefix), "%s %lu ", type, ino);
	while (p && *p) {
		if (!strncmp(p, prefix, strlen(prefix)))
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

/* Read all of @fd into @buf, @chunk bytes per read(2). */
static ssize_t read_fd(int fd, char *buf, size_t size, size_t chunk)
{
	ssize_t len = 0, n;

	while ((size_t)len + chunk < size &&
	       (n = read(fd, buf + len, chunk)) > 0)
		len += n;
	buf[len] = '\0';
	return len;
}

static int drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	return 0;
}

/*
 * An unprivileged reader sees its own namespaces, not those of a root
 * process it could not look at in /proc.
 */
TEST_F(listing, unprivileged_reader_sees_only_what_proc_shows)
{
	unsigned long hidden, own = ns_ino_of(getpid(), "uts");
	pid_t holder, reader;
	int status;

	holder = spawn_holder(_metadata, &self->h, CLONE_NEWUTS);
	hidden = ns_ino_of(holder, "uts");
	ASSERT_NE(hidden, own);

	reader = fork();
	ASSERT_GE(reader, 0);
	if (reader == 0) {
		static char buf[LISTING_SIZE];
		int fd;

		if (drop_to_nobody())
			_exit(10);
		fd = open(self->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			_exit(11);
		read_fd(fd, buf, sizeof(buf), 4096);
		if (!listed(buf, "uts", own))
			_exit(12);
		if (listed(buf, "uts", hidden))
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(waitpid(reader, &status, 0), reader);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0)
		TH_LOG("reader: 11 open, 12 own uts missing, 13 root's uts shown");
	/* Root sees it. */
	{
		static char buf[LISTING_SIZE];
		int fd = open(self->path, O_RDONLY | O_CLOEXEC);

		ASSERT_GE(fd, 0);
		read_fd(fd, buf, sizeof(buf), 4096);
		close(fd);
		EXPECT_TRUE(listed(buf, "uts", hidden));
	}
}

/*
 * The opener's credentials decide, not the reader's: root reading a file
 * that an unprivileged process opened sees what that process may see.
 */
TEST_F(listing, passed_fd_keeps_openers_view)
{
	static char buf[LISTING_SIZE];
	int ready[2], fd, pidfd;
	unsigned long hidden;
	pid_t holder, opener;
	char c = 1;

	holder = spawn_holder(_metadata, &self->h, CLONE_NEWUTS);
	hidden = ns_ino_of(holder, "uts");
	ASSERT_EQ(pipe(ready), 0);
	opener = fork();
	ASSERT_GE(opener, 0);
	if (opener == 0) {
		/* Open as nobody, then wait while root takes the fd. */
		close(self->h.go[1]);
		fd = -1;
		if (!drop_to_nobody())
			fd = open(self->path, O_RDONLY);
		if (dup2(fd, 100) != 100)
			c = 1;
		else
			c = 0;
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		while (read(self->h.go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	self->h.pids[self->h.nr++] = opener;
	close(ready[1]);
	ASSERT_EQ(read(ready[0], &c, 1), 1);
	ASSERT_EQ(c, 0) TH_LOG("nobody could not open %s", self->path);
	pidfd = syscall(SYS_pidfd_open, opener, 0);
	ASSERT_GE(pidfd, 0) TH_LOG("%m: pidfd_open");
	fd = syscall(SYS_pidfd_getfd, pidfd, 100, 0);
	ASSERT_GE(fd, 0) TH_LOG("%m: pidfd_getfd");
	close(pidfd);
	read_fd(fd, buf, sizeof(buf), 4096);
	close(fd);
	EXPECT_FALSE(listed(buf, "uts", hidden));
	EXPECT_TRUE(listed(buf, "uts", ns_ino_of(getpid(), "uts")));
}

/* What a reader gets is what existed when it opened the file. */
TEST_F(listing, snapshot_is_taken_at_open)
{
	static char buf[LISTING_SIZE];
	unsigned long later;
	pid_t holder;
	int fd;

	fd = open(self->path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	holder = spawn_holder(_metadata, &self->h, CLONE_NEWUTS);
	later = ns_ino_of(holder, "uts");
	read_fd(fd, buf, sizeof(buf), 4096);
	close(fd);
	EXPECT_FALSE(listed(buf, "uts", later));

	ASSERT_GT(read_at(self->dir, "taskset.namespaces", buf, sizeof(buf)), 0);
	EXPECT_TRUE(listed(buf, "uts", later));
}

/*
 * A listing longer than a page, read a few bytes at a time while its
 * namespaces go away, lists each namespace once, in order.
 */
TEST_F(listing, long_listing_read_in_pieces)
{
	static char buf[LISTING_SIZE];
	unsigned long prev = 0;
	int fd, i, uts = 0;
	char *line, *save;
	ssize_t len;

	for (i = 0; i < NR_HOLDERS; i++)
		spawn_holder(_metadata, &self->h, CLONE_NEWUTS);
	fd = open(self->path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	len = read(fd, buf, 64);
	ASSERT_GT(len, 0);
	release_holders(&self->h);
	len += read_fd(fd, buf + len, sizeof(buf) - len, 64);
	close(fd);
	ASSERT_GT(len, 4096);

	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long ino;

		if (sscanf(line, "uts %lu", &ino) != 1)
			continue;
		EXPECT_GT(ino, prev) TH_LOG("uts %lu after %lu", ino, prev);
		prev = ino;
		uts++;
	}
	EXPECT_GE(uts, NR_HOLDERS + 1);
}

/* taskset.stat counts namespaces as they are created and freed. */
TEST_F(listing, stat_counts_namespaces)
{
	long before = read_key(self->dir, "taskset.stat", "namespaces");

	ASSERT_GT(before, 0);
	spawn_holder(_metadata, &self->h, CLONE_NEWUTS | CLONE_NEWIPC);
	EXPECT_EQ(wait_stat(self->dir, "namespaces", before + 2), before + 2);
	release_holders(&self->h);
	EXPECT_EQ(wait_stat(self->dir, "namespaces", before), before);
}

TEST_HARNESS_MAIN
