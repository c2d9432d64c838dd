// SPDX-License-Identifier: GPL-2.0
/*
 * tsrun - run a command in a task set node
 *
 * What unshare(1) and nsenter(1) do for namespaces, tsrun does for task
 * set nodes. By default COMMAND starts in a new node, a child of tsrun's
 * own, owning the namespaces asked for: clone3() with CLONE_NEWTASKSET,
 * so the node is named clone.N and is deleted once its last task exits.
 * With --node PATH, COMMAND starts inside the existing node PATH:
 * clone3() with CLONE_INTO_TASKSET, so that it never runs a single
 * instruction outside the node, as a fork followed by a write to
 * taskset.procs would let it.
 *
 * The child waits on a pipe until tsrun has written its id maps (-r) and
 * shown its node (-v), then execs COMMAND; an exec failure comes back over
 * a close-on-exec pipe. Exit statuses are those of env(1) and chroot(1).
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* The host's headers may predate task sets: the uapi values. */
#ifndef CLONE_NEWTASKSET
#define CLONE_NEWTASKSET	0x00000040
#endif
#ifndef CLONE_INTO_TASKSET
#define CLONE_INTO_TASKSET	0x400000000ULL
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME		0x00000080
#endif
#ifndef CLONE_ARGS_SIZE_VER3
#define CLONE_ARGS_SIZE_VER3	96
#endif
#ifndef __NR_clone3
#define __NR_clone3		435
#endif

/* Exit statuses of our own, as env(1) and chroot(1) have them. */
#define EXIT_TOOL	125	/* tsrun failed */
#define EXIT_CANNOT_RUN	126	/* COMMAND found but not run */
#define EXIT_NOT_FOUND	127	/* COMMAND not found */

/*
 * struct clone_args up to its taskset member: our own copy, as even
 * headers that define CLONE_NEWTASKSET may predate the member.
 */
struct tsrun_clone_args {
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
	__u64 taskset;		/* fd of a tasksetfs directory */
};

static_assert(offsetof(struct tsrun_clone_args, taskset) == 88,
	      "clone_args.taskset follows clone_args.cgroup");
static_assert(sizeof(struct tsrun_clone_args) == CLONE_ARGS_SIZE_VER3,
	      "clone_args up to taskset is CLONE_ARGS_SIZE_VER3 bytes");

struct opts {
	__u64 flags;		/* CLONE_NEW* of the namespaces asked for */
	const char *node;	/* --node PATH, or NULL */
	bool new_node;		/* --new: a new node even with --node */
	bool map_root;		/* -r: the caller is root in the new user ns */
	bool verbose;		/* -v: show the node COMMAND runs in */
	char **argv;		/* COMMAND and its arguments */
};

/* What a child that could not exec COMMAND sends back. */
struct child_error {
	int stage;		/* STAGE_* */
	int err;		/* errno */
};

enum { STAGE_MOUNT, STAGE_EXEC };

/* The signals passed on to COMMAND while tsrun waits for it. */
static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NR_FORWARDED	ARRAY_SIZE(forwarded)

/* Everything run() sets up, and what undoes it. */
struct spawn {
	int node_fd;		/* --node PATH, or -1 */
	int go[2];		/* parent to child: exec now */
	int report[2];		/* child to parent: why exec failed */
	sigset_t old_mask;	/* tsrun's signal mask at start */
	struct sigaction old_act[NR_FORWARDED];
};

/* For the signal handler: lock-free, so safe to read there. */
static atomic_int child_pid;

static const char usage_text[] =
"Usage: tsrun [OPTION]... [--] COMMAND [ARG]...\n"
"Run COMMAND in a new task set node, or inside an existing one.\n"
"\n"
"Without --node, COMMAND runs in a new node, a child of tsrun's own node\n"
"named clone.N, which owns the namespaces the options below ask for and\n"
"is deleted once its last task has exited (clone3() with CLONE_NEWTASKSET).\n"
"\n"
"  -t, --node PATH       run COMMAND inside the node at PATH, a directory\n"
"                        of tasksetfs such as /sys/fs/taskset/web\n"
"                        (clone3() with CLONE_INTO_TASKSET)\n"
"      --new             with --node: in a new node, a child of PATH\n"
"  -u, --uts             new UTS namespace (hostname, domain name)\n"
"  -i, --ipc             new IPC namespace\n"
"  -n, --net             new network namespace\n"
"  -m, --mount           new mount namespace; its mounts are made private\n"
"  -p, --pid             new PID namespace, COMMAND is its init\n"
"  -T, --time            new time namespace\n"
"  -C, --cgroup          new cgroup namespace\n"
"  -U, --user            new user namespace\n"
"  -r, --map-root-user   -U, with tsrun's user and group mapped to root\n"
"                        (and setgroups denied)\n"
"  -v, --verbose         print the node COMMAND runs in on stderr\n"
"  -h, --help            print this help and exit\n"
"\n"
"Nodes are shown relative to the root of tasksetfs, as in\n"
"/proc/PID/taskset. Creating namespaces and nodes needs CAP_SYS_ADMIN,\n"
"or -U/-r.\n"
"\n"
"Exit status: COMMAND's; 128+N if signal N killed it; 125 if tsrun\n"
"failed; 126 if COMMAND could not be run; 127 if it was not found.\n";

static const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

/* "tsrun: WHAT: ENAME: text", then a hint at the likely cause. */
static void error_errno(const char *what, int err, const char *hint)
{
	fprintf(stderr, "tsrun: %s: %s: %s\n", what, errno_name(err),
		strerror(err));
	if (hint)
		fprintf(stderr, "tsrun: hint: %s\n", hint);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "tsrun: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'tsrun --help' for more information.\n");
	return EXIT_TOOL;
}

/* Long options without a short one take values no character has. */
enum { OPT_NEW = 256 };

static const struct option long_options[] = {
	{ "node",		required_argument,	NULL, 't' },
	{ "new",		no_argument,		NULL, OPT_NEW },
	{ "uts",		no_argument,		NULL, 'u' },
	{ "ipc",		no_argument,		NULL, 'i' },
	{ "net",		no_argument,		NULL, 'n' },
	{ "mount",		no_argument,		NULL, 'm' },
	{ "pid",		no_argument,		NULL, 'p' },
	{ "time",		no_argument,		NULL, 'T' },
	{ "cgroup",		no_argument,		NULL, 'C' },
	{ "user",		no_argument,		NULL, 'U' },
	{ "map-root-user",	no_argument,		NULL, 'r' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "help",		no_argument,		NULL, 'h' },
	{ }
};

/* The CLONE_NEW* flag of namespace option @c, or 0. */
static __u64 ns_flag(int c)
{
	switch (c) {
	case 'u': return CLONE_NEWUTS;
	case 'i': return CLONE_NEWIPC;
	case 'n': return CLONE_NEWNET;
	case 'm': return CLONE_NEWNS;
	case 'p': return CLONE_NEWPID;
	case 'T': return CLONE_NEWTIME;
	case 'C': return CLONE_NEWCGROUP;
	case 'U': return CLONE_NEWUSER;
	}
	return 0;
}

static int bad_option(char **argv)
{
	char opt[3] = { '-', optopt, '\0' };

	/* A long option sets no optopt: it is the argument just read. */
	return usage_error("unknown option '%s'",
			   optopt ? opt : argv[optind - 1]);
}

/*
 * Fill @o from the command line: -1 to go on, or the exit status (0 for
 * --help). Options stop at COMMAND, whose own options are its own.
 */
static int parse_args(int argc, char **argv, struct opts *o)
{
	int c;

	opterr = 0;	/* our own messages, named tsrun, not argv[0] */
	while ((c = getopt_long(argc, argv, "+:t:uinmpTCUrvh", long_options,
				NULL)) != -1) {
		switch (c) {
		case 't':
			o->node = optarg;
			break;
		case OPT_NEW:
			o->new_node = true;
			break;
		case 'r':
			o->map_root = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case ':':
			return usage_error("option '%s' needs an argument",
					   argv[optind - 1]);
		case '?':
			return bad_option(argv);
		default:
			o->flags |= ns_flag(c);
			break;
		}
	}
	if (optind == argc)
		return usage_error("%s", "no COMMAND given");
	o->argv = argv + optind;
	return -1;
}

/* The likely cause of clone3()'s @err, or NULL. */
static const char *clone_hint(const struct opts *o, int err)
{
	switch (err) {
	case EINVAL:
		return o->node ?
			"this kernel may not support CLONE_INTO_TASKSET" :
			"this kernel may not support task sets (CLONE_NEWTASKSET)";
	case E2BIG:
		return "this kernel's clone_args has no taskset member: no CLONE_INTO_TASKSET";
	case ENOSPC:
		return "a limit of /proc/sys/user/ was reached: max_tasksets, max_*_namespaces";
	case ENOENT:
		return "the node has been removed";
	case EBADF:
		return "--node needs a directory of tasksetfs, a node";
	case EPERM:
		return o->node && !o->new_node ?
			"entering needs write access to taskset.procs and setns()'s privileges" :
			"creating a node and namespaces needs CAP_SYS_ADMIN: try -r";
	case EACCES:
		return "entering a node needs write access to its taskset.procs";
	case EAGAIN:
		return "a task limit was reached (the node's tasks.max, RLIMIT_NPROC)";
	}
	return NULL;
}

static int open_node(const struct opts *o, struct spawn *sp)
{
	/* O_PATH: the directory is named, never read. */
	sp->node_fd = open(o->node, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (sp->node_fd >= 0)
		return 0;
	error_errno(o->node, errno, errno == ENOENT ?
		    "no such node: is tasksetfs mounted on /sys/fs/taskset?" :
		    NULL);
	return -1;
}

static void forward_signal(int sig)
{
	int err = errno;

	if (child_pid > 0)
		kill(child_pid, sig);
	errno = err;
}

/*
 * Forward the signals to COMMAND, blocked until its pid is known, so that
 * none is lost and none reaches a child that still runs tsrun's handler.
 * Signals tsrun was started with ignored stay ignored, for COMMAND too,
 * as a shell leaves them for a background job.
 */
static void catch_signals(struct spawn *sp)
{
	struct sigaction act = { .sa_handler = forward_signal };
	sigset_t set;
	unsigned int i;

	sigemptyset(&set);
	for (i = 0; i < NR_FORWARDED; i++)
		sigaddset(&set, forwarded[i]);
	sigprocmask(SIG_BLOCK, &set, &sp->old_mask);
	act.sa_flags = SA_RESTART;
	for (i = 0; i < NR_FORWARDED; i++) {
		sigaction(forwarded[i], NULL, &sp->old_act[i]);
		if (sp->old_act[i].sa_handler != SIG_IGN)
			sigaction(forwarded[i], &act, NULL);
	}
}

/* Undo catch_signals(), in the child before exec or on failure. */
static void restore_signals(const struct spawn *sp)
{
	unsigned int i;

	for (i = 0; i < NR_FORWARDED; i++)
		sigaction(forwarded[i], &sp->old_act[i], NULL);
	sigprocmask(SIG_SETMASK, &sp->old_mask, NULL);
}

static pid_t start_child(const struct opts *o, const struct spawn *sp)
{
	struct tsrun_clone_args args = {
		.flags = o->flags,
		.exit_signal = SIGCHLD,
	};

	if (sp->node_fd >= 0) {
		args.flags |= CLONE_INTO_TASKSET;
		args.taskset = sp->node_fd;
	}
	if (!o->node || o->new_node)
		args.flags |= CLONE_NEWTASKSET;
	return syscall(__NR_clone3, &args, sizeof(args));
}

/*
 * The child, from clone3() to exec. It is a raw copy of a process whose
 * libc believes it is the parent: no stdio, no malloc, only system calls.
 */
static void child_main(const struct opts *o, const struct spawn *sp)
{
	struct child_error ce = { .stage = STAGE_EXEC };
	ssize_t n;
	char c;

	restore_signals(sp);
	/* Else our own copy would keep the go pipe open if tsrun died. */
	close(sp->go[1]);
	close(sp->report[0]);
	do
		n = read(sp->go[0], &c, 1);
	while (n < 0 && errno == EINTR);
	/* No byte: the parent gave up on us. */
	if (n != 1)
		_exit(EXIT_TOOL);
	/* As unshare(1): mounts made inside must not show outside. */
	if (o->flags & CLONE_NEWNS &&
	    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		ce.stage = STAGE_MOUNT;
		ce.err = errno;
	} else {
		execvp(o->argv[0], o->argv);
		ce.err = errno;
	}
	n = write(sp->report[1], &ce, sizeof(ce));
	_exit(EXIT_TOOL);
}

static int write_proc(pid_t pid, const char *name, const char *text)
{
	char path[64];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, strlen(text)) < 0) {
		/* Kernels before 3.19 have no setgroups, and need none. */
		if (errno == ENOENT && !strcmp(name, "setgroups"))
			ret = 0;
		else
			ret = -1;
		if (ret)
			error_errno(path, errno, NULL);
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/*
 * -r: map tsrun's user and group to root in the child's user namespace.
 * An unprivileged writer may map only its own ids, and its gid only once
 * setgroups is denied.
 */
static int map_root(pid_t pid)
{
	char map[64];

	snprintf(map, sizeof(map), "0 %u 1\n", geteuid());
	if (write_proc(pid, "uid_map", map) ||
	    write_proc(pid, "setgroups", "deny"))
		return -1;
	snprintf(map, sizeof(map), "0 %u 1\n", getegid());
	return write_proc(pid, "gid_map", map);
}

/* -v: the node, as the child is stopped in it before exec. */
static void show_node(pid_t pid)
{
	char path[64], node[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/taskset", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error_errno(path, errno, NULL);
		return;
	}
	n = read(fd, node, sizeof(node) - 1);
	if (n < 0)
		error_errno(path, errno, NULL);
	close(fd);
	if (n <= 0)
		return;
	node[n] = '\0';
	node[strcspn(node, "\n")] = '\0';
	fprintf(stderr, "tsrun: pid %d runs in node %s\n", pid, node);
}

static int wait_status(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR) {
			error_errno("waitpid", errno, NULL);
			return -1;
		}
	}
	return 0;
}

/*
 * After the go: the report pipe closes on exec without a word, or
 * carries why COMMAND did not start. Returns -1 once COMMAND runs, or
 * tsrun's exit status.
 */
static int await_exec(const struct opts *o, const struct spawn *sp,
		      pid_t pid)
{
	struct child_error ce;
	int status;
	ssize_t n;

	do
		n = read(sp->report[0], &ce, sizeof(ce));
	while (n < 0 && errno == EINTR);
	if (n != sizeof(ce))
		return -1;
	wait_status(pid, &status);
	if (ce.stage == STAGE_MOUNT) {
		error_errno("making the mounts private", ce.err, NULL);
		return EXIT_TOOL;
	}
	error_errno(o->argv[0], ce.err, NULL);
	return ce.err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
}

/* COMMAND's exit status, or 128 + the signal that killed it. */
static int wait_command(pid_t pid)
{
	int status;

	if (wait_status(pid, &status))
		return EXIT_TOOL;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Between clone3() and the go: ids mapped, node shown. */
static int prepare_child(const struct opts *o, pid_t pid)
{
	if (o->map_root && map_root(pid))
		return -1;
	if (o->verbose)
		show_node(pid);
	return 0;
}

static int open_pipes(struct spawn *sp)
{
	if (!pipe2(sp->go, O_CLOEXEC) && !pipe2(sp->report, O_CLOEXEC))
		return 0;
	error_errno("pipe", errno, NULL);
	return -1;
}

/* The parent's part, once the child exists: see it through to its end. */
static int run_child(const struct opts *o, struct spawn *sp, pid_t pid)
{
	int status;

	close(sp->go[0]);
	close(sp->report[1]);
	if (prepare_child(o, pid)) {
		kill(pid, SIGKILL);
		wait_status(pid, &status);
		return EXIT_TOOL;
	}
	if (write(sp->go[1], "x", 1) != 1) {
		error_errno("pipe", errno, NULL);
		kill(pid, SIGKILL);
		wait_status(pid, &status);
		return EXIT_TOOL;
	}
	close(sp->go[1]);
	status = await_exec(o, sp, pid);
	if (status >= 0)
		return status;
	return wait_command(pid);
}

static int run(const struct opts *o)
{
	struct spawn sp = { .node_fd = -1 };
	pid_t pid;
	int err;

	if (o->node && open_node(o, &sp))
		return EXIT_TOOL;
	if (open_pipes(&sp))
		return EXIT_TOOL;
	catch_signals(&sp);
	pid = start_child(o, &sp);
	if (pid == 0)
		child_main(o, &sp);
	if (pid < 0) {
		err = errno;
		restore_signals(&sp);
		error_errno("clone3", err, clone_hint(o, err));
		return EXIT_TOOL;
	}
	child_pid = pid;
	sigprocmask(SIG_SETMASK, &sp.old_mask, NULL);
	if (sp.node_fd >= 0)
		close(sp.node_fd);
	return run_child(o, &sp, pid);
}

int main(int argc, char **argv)
{
	struct opts o = { };
	int ret;

	ret = parse_args(argc, argv, &o);
	if (ret >= 0)
		return ret;
	if (o.map_root)
		o.flags |= CLONE_NEWUSER;
	return run(&o);
}
