/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the taskset selftests. */
#ifndef __TASKSET_UTIL_H
#define __TASKSET_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#define MNT_TEMPLATE "/tmp/tasksetfs.XXXXXX"

#ifndef CLONE_NEWTASKSET
#define CLONE_NEWTASKSET	0x00000040
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP	0x200000000ULL
#endif
#ifndef CLONE_INTO_TASKSET
#define CLONE_INTO_TASKSET	0x400000000ULL
#endif

#define ARGS_SIZE_VER3	96

/* clone_args as of VER3 (clone_args.taskset), and one word more, for E2BIG. */
struct args_v3 {
	__u64 flags;
	__u64 pidfd;
	__u64 child_tid;
	__u64 parent_tid;
	__u64 exit_signal;
	__u64 stack;
	__u64 stack_size;
	__u64 tls;
	__u64 set_tid;
	__u64 set_tid_size;
	__u64 cgroup;
	__u64 taskset;
	__u64 excess;
};

/*
 * clone3() with CLONE_INTO_TASKSET into the node of directory @fd, and
 * @flags; @cgroup_fd is clone_args.cgroup, for CLONE_INTO_CGROUP. The
 * child gets 0, as from fork().
 */
static inline pid_t clone3_into_node(int fd, unsigned long long flags,
				     int cgroup_fd)
{
	struct args_v3 args = {
		.flags = CLONE_INTO_TASKSET | flags,
		.exit_signal = SIGCHLD,
		.cgroup = cgroup_fd,
		.taskset = fd,
	};

	return syscall(SYS_clone3, &args, ARGS_SIZE_VER3);
}

static inline bool tasksetfs_registered(void)
{
	char line[128];
	bool found = false;
	FILE *f;

	f = fopen("/proc/filesystems", "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strcmp(line, "nodev\ttasksetfs\n");
	fclose(f);
	return found;
}

/*
 * Mount tasksetfs on a new directory, whose name is written to @dir (at
 * least sizeof(MNT_TEMPLATE) bytes): 0, or -1 with errno set.
 */
static inline int tasksetfs_mount_tmp(char *dir)
{
	memcpy(dir, MNT_TEMPLATE, sizeof(MNT_TEMPLATE));
	if (!mkdtemp(dir))
		return -1;
	if (mount("none", dir, "tasksetfs", 0, NULL)) {
		int err = errno;

		rmdir(dir);
		errno = err;
		return -1;
	}
	return 0;
}

/* Undo tasksetfs_mount_tmp(). */
static inline void tasksetfs_umount_tmp(const char *dir)
{
	umount2(dir, MNT_DETACH);
	rmdir(dir);
}

/* Read @dir/@name into @buf, NUL-terminated: length, or -errno. */
static inline ssize_t read_at(const char *dir, const char *name, char *buf,
			      size_t size)
{
	char path[PATH_MAX];
	ssize_t len = 0, n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	if (n < 0)
		len = -errno;
	close(fd);
	if (len >= 0)
		buf[len] = '\0';
	return len;
}

/* Open /proc/@pid/ns/@name: an fd, or -1 with errno set. */
static inline int open_ns_of(pid_t pid, const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* The value of "@key <value>" in @dir/@name, or -1. */
static inline long read_key(const char *dir, const char *name,
			    const char *key)
{
	char buf[4096], *line, *save;
	size_t len = strlen(key);

	if (read_at(dir, name, buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, len) && line[len] == ' ')
			return strtol(line + len + 1, NULL, 10);
	return -1;
}

/*
 * Poll @dir/taskset.stat until @key is @want, for up to 5 s: some
 * namespaces are freed from a work item, after their last task. Returns
 * the last value read.
 */
static inline long wait_stat(const char *dir, const char *key, long want)
{
	struct timespec pause = { .tv_nsec = 10 * 1000 * 1000 };
	long v = -1;
	int i;

	for (i = 0; i < 500; i++) {
		v = read_key(dir, "taskset.stat", key);
		if (v == want)
			break;
		nanosleep(&pause, NULL);
	}
	return v;
}

/*
 * Read taskset.namespaces, without the tasks column of the namespaces
 * that nodes hold (the root's among them): their tasks include kernel
 * threads and the system's processes, which come and go.
 */
static inline ssize_t read_namespaces(const char *dir, char *buf,
				      size_t size)
{
	ssize_t len = read_at(dir, "taskset.namespaces", buf, size);
	char *in = buf, *out = buf;

	while (len > 0 && *in) {
		char *eol = strchr(in, '\n'), *last;
		unsigned int nodes;

		if (!eol)
			break;
		*eol = '\0';
		last = strrchr(in, ' ');
		if (last && sscanf(in, "%*s %*u %*u %u", &nodes) == 1 && nodes)
			*last = '\0';
		out += sprintf(out, "%s\n", in);
		in = eol + 1;
	}
	*out = '\0';
	return len;
}

/* The number of lines of @dir/@name (its members, for taskset.procs), or -1. */
static inline long count_lines(const char *dir, const char *name)
{
	static char buf[1 << 16];
	long n = 0;
	char *p;

	if (read_at(dir, name, buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; *p; p++)
		n += *p == '\n';
	return n;
}

/* Write @len bytes of @data to @dir/@name in one write: 0, or -errno. */
static inline int write_at(const char *dir, const char *name,
			   const void *data, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

/* chmod @dir/@name to @mode: 0, or -errno. */
static inline int chmod_file(const char *dir, const char *name, mode_t mode)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return chmod(path, mode) ? -errno : 0;
}

/* Write the string @s to @dir/@name: 0, or -errno. */
static inline int write_str(const char *dir, const char *name, const char *s)
{
	return write_at(dir, name, s, strlen(s));
}

#define NOBODY	65534

/*
 * Write @s to @dir/@name through a file opened with uid @opener, by a
 * process whose uids are all @writer, in a child that starts as root:
 * tasksetfs checks a write with its opener's credentials. The file must
 * be open to @opener. Returns 0, the write's -errno, or -ECHILD if the
 * child could not get there.
 */
static inline int write_as(const char *dir, const char *name, const char *s,
			   uid_t opener, uid_t writer)
{
	char path[PATH_MAX];
	int status, fd;
	pid_t child;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	child = fork();
	if (child < 0)
		return -errno;
	if (child == 0) {
		/* Open as @opener, keeping the saved uid's way back to root. */
		if (setresuid(0, opener, 0))
			_exit(255);
		fd = open(path, O_WRONLY);
		if (fd < 0 || setresuid(0, 0, 0) ||
		    setresuid(writer, writer, writer))
			_exit(255);
		if (write(fd, s, strlen(s)) < 0)
			_exit(errno);
		_exit(0);
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 255)
		return -ECHILD;
	return -WEXITSTATUS(status);
}

/*
 * The line of facet @type in @dir/taskset.ns: its inode and owner inode,
 * and whether it is owned. Returns 0, or -1 if there is no such line.
 */
static inline int node_ns(const char *dir, const char *type,
			  unsigned long *ino, unsigned long *owner, bool *own)
{
	char buf[4096], *line, *save, t[16], how[16];
	unsigned long i, o;

	if (read_at(dir, "taskset.ns", buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%15s %lu %lu %15s", t, &i, &o, how) != 4 ||
		    strcmp(t, type))
			continue;
		if (ino)
			*ino = i;
		if (owner)
			*owner = o;
		if (own)
			*own = !strcmp(how, "own");
		return 0;
	}
	return -1;
}

/* The inode of @dir's namespace of facet @type, or 0. */
static inline unsigned long node_ns_ino(const char *dir, const char *type)
{
	unsigned long ino = 0;

	node_ns(dir, type, &ino, NULL, NULL);
	return ino;
}

/* Write "@pid\n" to @node/taskset.procs, as echo does: 0, or -errno. */
static inline int enter_node(const char *node, pid_t pid)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d\n", pid);
	return write_str(node, "taskset.procs", buf);
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * Poll @node/taskset.events every 10 ms, for up to @ms, until populated
 * is @want: the last value read.
 */
static inline long wait_populated_ms(const char *node, long want, long ms)
{
	long v = -1;
	long i;

	for (i = 0; i < ms / 10; i++) {
		v = read_key(node, "taskset.events", "populated");
		if (v == want)
			break;
		sleep_ms(10);
	}
	return v;
}

/* Poll every 10 ms, for up to @ms, until @path is gone: true if it is. */
static inline bool wait_gone_ms(const char *path, long ms)
{
	struct stat st;
	long i;

	for (i = 0; i < ms / 10; i++) {
		if (stat(path, &st) && errno == ENOENT)
			return true;
		sleep_ms(10);
	}
	return false;
}

/*
 * Teardown: kill what a failed test left in the @nr nodes, and reap
 * every child, so that none outlives the test and the nodes can go.
 */
static inline void kill_members(const char * const *nodes, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		write_str(nodes[i], "taskset.kill", "1");
	while (waitpid(-1, NULL, 0) > 0)
		;
}

#define DEBUG_KNOBS "/sys/kernel/debug/taskset"

/*
 * Set a pause of the debug kernel's moves (CONFIG_DEBUG_TASKSET),
 * @knob in /sys/kernel/debug/taskset, mounting debugfs if need be:
 * 0, or -errno (-ENOENT without the knob).
 */
static inline int set_debug_delay_ms(const char *knob, unsigned int ms)
{
	char path[128], buf[16];

	snprintf(path, sizeof(path), "%s/%s", DEBUG_KNOBS, knob);
	if (access(path, F_OK))
		mount("none", "/sys/kernel/debug", "debugfs", 0, NULL);
	if (access(path, F_OK))
		return -ENOENT;
	snprintf(buf, sizeof(buf), "%u", ms);
	return write_str(DEBUG_KNOBS, knob, buf);
}

/*
 * The pause between a move's marking of its threads and the queueing
 * of their switches.
 */
static inline int set_move_delay_ms(unsigned int ms)
{
	return set_debug_delay_ms("move_delay_ms", ms);
}

/* The pause before a move marks its threads, after its own check. */
static inline int set_mark_delay_ms(unsigned int ms)
{
	return set_debug_delay_ms("mark_delay_ms", ms);
}

#endif /* __TASKSET_UTIL_H */
