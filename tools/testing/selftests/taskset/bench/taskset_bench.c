// SPDX-License-Identifier: GPL-2.0
/*
 * Cost of the paths the task set proxy takes over, measured from inside a
 * guest: run on an unpatched and a patched kernel and compare
 * (scripts/bench.sh). Under QEMU's deterministic mode a guest nanosecond
 * is one executed instruction, so these are instruction counts on one
 * CPU, not wall time.
 *
 * usage: taskset_bench [ITERATIONS [ROUNDS [wall]]]
 *
 * With "wall", only the measures that include waiting run, for
 * wall-time runs (scripts/bench.sh): the moves of tasks into a node and
 * into a cgroup, and the time from the exit of a node's last member to
 * the node being deleted, against the time cgroup v2 takes to notify
 * "populated 0".
 *
 * Prints, per operation and round, "bench: NAME round=R ns=X" (X per
 * operation), then "mem: ..." lines about proxy sharing. The operations
 * of both kernels run twice: with no task set node, then with
 * NODES_ALIVE nodes (names ending in "_1000_nodes"; on an unpatched
 * kernel, the same runs again). On a kernel with tasksetfs, node
 * operations are compared with their cgroup and unshare equivalents on
 * the same kernel, and the moves of tasks into a node with their moves
 * into a cgroup, with 2 nodes and again with NODES_MANY ("_10000_nodes"),
 * clone3() into a node with clone3() into a cgroup, and fork+exit+wait
 * under a node's tasks.max with the same under a cgroup's pids.max. On
 * both kernels, the status quo of entering and spawning into a container
 * (setns() and cgroup.procs, CLONE_INTO_CGROUP and setns()) is measured
 * for the bridge's comparison with the unpatched kernel.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTASKSET
#define CLONE_NEWTASKSET 0x00000040
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef CLONE_INTO_TASKSET
#define CLONE_INTO_TASKSET 0x400000000ULL
#endif

#define SHARERS 100
#define MANY_PROXIES 10000
#define TASKSETFS "/sys/fs/taskset"
#define STAT_FILE TASKSETFS "/taskset.stat"
#define CGROUPFS "/sys/fs/cgroup"
#define NODES_ALIVE 1000
#define NODES_MANY 10000

static long iterations = 2000;
static int rounds = 5;

/* Two tasks in namespaces of their own, to setns into in turn. */
static pid_t targets[2];
static int target_fds[2];

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void reap(pid_t pid)
{
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		die("fork/wait");
}

static void op_getppid(long i)
{
	syscall(SYS_getppid);
}

static void op_uname(long i)
{
	struct utsname u;

	uname(&u);
}

static void op_fork(long i)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	reap(pid);
}

static void op_clone3_newuts_newipc(long i)
{
	struct clone_args args = {
		.flags = CLONE_NEWUTS | CLONE_NEWIPC,
		.exit_signal = SIGCHLD,
	};
	pid_t pid = syscall(SYS_clone3, &args, sizeof(args));

	if (pid == 0)
		_exit(0);
	reap(pid);
}

static void op_fork_unshare_uts(long i)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(unshare(CLONE_NEWUTS) ? 1 : 0);
	reap(pid);
}

/*
 * A child's unshare of a uts namespace and, on a kernel with task sets,
 * of a node owning it (CLONE_NEWTASKSET), deleted once the child exits:
 * against the unshare of the uts namespace alone on the unpatched
 * kernel. Rounds last until the node and namespace are freed.
 */
static unsigned long newtaskset_flag;

static void op_unshare_newtaskset(long i)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(unshare(CLONE_NEWUTS | newtaskset_flag) ? 1 : 0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status)
		die("unshare CLONE_NEWTASKSET");
}

static void op_setns_pidfd(long i)
{
	if (setns(target_fds[i & 1], CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET))
		die("setns");
}

static void op_node_mkdir_rmdir(long i)
{
	if (mkdir(TASKSETFS "/bench", 0755) || rmdir(TASKSETFS "/bench"))
		die("node mkdir/rmdir");
}

static void op_cgroup_mkdir_rmdir(long i)
{
	if (mkdir(CGROUPFS "/bench", 0755) || rmdir(CGROUPFS "/bench"))
		die("cgroup mkdir/rmdir");
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		die(path);
	close(fd);
}

/* A node gets its own uts, ipc and net namespaces, then drops them. */
static void op_node_facets_uts_ipc_net(long i)
{
	write_file(TASKSETFS "/bench/taskset.facets", "+uts +ipc +net");
	write_file(TASKSETFS "/bench/taskset.facets", "-uts -ipc -net");
}

/* The same namespaces made and dropped by a child's unshare(). */
static void op_fork_unshare_uts_ipc_net(long i)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(unshare(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET));
	reap(pid);
}

/*
 * Two children that setns into the targets' uts, ipc and net namespaces
 * from the benchmark's own state, and so hold the very proxies a setns
 * of the benchmark into a target ends up with: its setns then finds its
 * proxy instead of allocating one.
 */
static pid_t holders[2];

static void setup_holders(void)
{
	int ready[2], i;
	char c;

	if (pipe(ready))
		die("pipe");
	for (i = 0; i < 2; i++) {
		holders[i] = fork();
		if (holders[i] < 0)
			die("fork");
		if (holders[i] == 0) {
			if (setns(target_fds[i], CLONE_NEWUTS | CLONE_NEWIPC |
				  CLONE_NEWNET))
				_exit(1);
			if (write(ready[1], "x", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		if (read(ready[0], &c, 1) != 1)
			die("holder");
	}
	close(ready[0]);
	close(ready[1]);
}

static void kill_holders(void)
{
	int i;

	for (i = 0; i < 2; i++) {
		kill(holders[i], SIGKILL);
		reap(holders[i]);
	}
}

/*
 * A child in new uts, ipc, net and mount namespaces that waits to be
 * killed. Its mount namespace is its own, so no task holds the states of
 * a setns into its uts, ipc and net only: such a setns allocates a proxy.
 */
static pid_t spawn_target(int *pidfd)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (unshare(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
			    CLONE_NEWNS))
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		die("target");
	close(ready[0]);
	*pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (*pidfd < 0)
		die("pidfd_open");
	return pid;
}

static void setup_targets(void)
{
	targets[0] = spawn_target(&target_fds[0]);
	targets[1] = spawn_target(&target_fds[1]);
}

static void write_sysctl(const char *path, long value)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%ld\n", value) < 0 || fclose(f))
		die(path);
}

/* Threads blocked on this pipe until the benchmark ends. */
static int hold_pipe[2], ready_pipe[2];

static void *hold_own_uts(void *arg)
{
	char c = unshare(CLONE_NEWUTS) ? 'e' : 'x';

	if (write(ready_pipe[1], &c, 1) != 1)
		return NULL;
	while (read(hold_pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/*
 * MANY_PROXIES threads, each in a uts namespace of its own, so each
 * with a proxy (an nsproxy of its own on an unpatched kernel): the
 * setns below then looks up a hash that holds that many.
 */
static void setup_many_proxies(void)
{
	pthread_attr_t attr;
	pthread_t thread;
	long i;
	char c;

	write_sysctl("/proc/sys/kernel/threads-max", 4 * MANY_PROXIES);
	write_sysctl("/proc/sys/user/max_uts_namespaces", 4 * MANY_PROXIES);
	if (pipe(hold_pipe) || pipe(ready_pipe))
		die("pipe");
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < MANY_PROXIES; i++) {
		if (pthread_create(&thread, &attr, hold_own_uts, NULL))
			die("pthread_create");
		if (read(ready_pipe[0], &c, 1) != 1 || c != 'x')
			die("thread unshare");
	}
	pthread_attr_destroy(&attr);
}

/* Suffix of the operations' names: which nodes exist meanwhile. */
static const char *phase = "";

static long stat_value(const char *key);

/*
 * Wait until as many namespaces exist as @want: some are freed by work
 * items, which a loop that never sleeps would leave for after its
 * measure. Sleeping lets them run, inside it.
 */
static void settle_namespaces(long want)
{
	struct timespec pause = { .tv_nsec = 1000 * 1000 };
	int i;

	for (i = 0; i < 100000 && stat_value("namespaces") != want; i++)
		nanosleep(&pause, NULL);
	if (stat_value("namespaces") != want)
		die("namespaces not freed");
}

/*
 * Time @rounds rounds of @n calls of @op. With @settle, each round lasts
 * until the namespaces it dropped are freed.
 */
static void run_n(const char *name, void (*op)(long), long n, bool settle)
{
	long want = settle ? stat_value("namespaces") : 0;
	int r;

	for (r = 0; r < rounds; r++) {
		long long t0, t1;
		long i;

		t0 = now_ns();
		for (i = 0; i < n; i++)
			op(i);
		if (settle)
			settle_namespaces(want);
		t1 = now_ns();
		printf("bench: %s%s round=%d ns=%.1f\n", name, phase, r,
		       (double)(t1 - t0) / n);
		fflush(stdout);
	}
}

static void run(const char *name, void (*op)(long))
{
	run_n(name, op, iterations, false);
}

static bool have_tasksetfs(void)
{
	return !access(STAT_FILE, F_OK);
}

/* Nodes n1, n2, ... until @nr exist in all, a tenth with namespaces. */
static void make_nodes_upto(long nr)
{
	char path[64];
	long i;

	if (!have_tasksetfs())
		return;
	/* Each node is charged to root, against max_tasksets. */
	write_sysctl("/proc/sys/user/max_tasksets", 2 * nr);
	for (i = stat_value("nodes"); i < nr; i++) {
		snprintf(path, sizeof(path), TASKSETFS "/n%ld", i);
		if (mkdir(path, 0755))
			die("mkdir node");
		if (i % 10 == 0) {
			strcat(path, "/taskset.facets");
			write_file(path, "+uts +ipc");
		}
	}
	printf("# %ld nodes exist\n", stat_value("nodes"));
}

static void mount_cgroup2(void)
{
	static bool mounted;

	if (!mounted && mount("none", CGROUPFS, "cgroup2", 0, NULL))
		die("mount cgroup2");
	mounted = true;
}

/*
 * Node operations against their equivalents on the same kernel: cgroup
 * v2 directories, and namespaces made by unshare() in a child. Creating
 * and dropping net namespaces is slow: a tenth of the iterations, each
 * round timed until the namespaces it dropped are freed.
 */
static void compare_node_ops(void)
{
	if (!have_tasksetfs())
		return;
	mount_cgroup2();
	run("node_mkdir_rmdir", op_node_mkdir_rmdir);
	run("cgroup_mkdir_rmdir", op_cgroup_mkdir_rmdir);
	if (mkdir(TASKSETFS "/bench", 0755))
		die("mkdir");
	run_n("node_facets_uts_ipc_net", op_node_facets_uts_ipc_net,
	      iterations / 10 ?: 1, true);
	if (rmdir(TASKSETFS "/bench"))
		die("rmdir");
	run_n("fork_unshare_uts_ipc_net", op_fork_unshare_uts_ipc_net,
	      iterations / 10 ?: 1, true);
}

/*
 * Moving a task: into a node whose uts, ipc and net namespaces are its
 * own, and back to the root; into a cgroup, and back to the root cgroup.
 * Each operation is two moves, written through files opened once.
 */
static int node_procs = -1, root_procs = -1;
static int cgroup_procs = -1, cgroup_root_procs = -1;
static char self_id[16], other_id[16];
static pid_t other;

static void write_fd(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		die("move");
}

static void op_node_attach_self(long i)
{
	write_fd(node_procs, self_id);
	write_fd(root_procs, self_id);
}

static void op_cgroup_attach_self(long i)
{
	write_fd(cgroup_procs, self_id);
	write_fd(cgroup_root_procs, self_id);
}

static void op_node_attach_other(long i)
{
	write_fd(node_procs, other_id);
	write_fd(root_procs, other_id);
}

static void op_cgroup_attach_other(long i)
{
	write_fd(cgroup_procs, other_id);
	write_fd(cgroup_root_procs, other_id);
}

/*
 * The reference for a move of another process: two round trips to a
 * process that echoes a byte back, the same four context switches that
 * two moves of a sleeping process cost, and nothing else.
 */
static int ping[2], pong[2];
static pid_t echoer;

static void op_pipe_round_trip_x2(long i)
{
	char c = 'p';
	int n;

	for (n = 0; n < 2; n++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			die("pipe round trip");
}

static void setup_echoer(void)
{
	char c;

	if (pipe(ping) || pipe(pong))
		die("pipe");
	echoer = fork();
	if (echoer < 0)
		die("fork");
	if (echoer == 0)
		while (read(ping[0], &c, 1) == 1)
			if (write(pong[1], &c, 1) != 1)
				_exit(1);
}

static int open_or_die(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		die(path);
	return fd;
}

/* The node and the cgroup entered, and a sleeping process to move. */
static void setup_attach(void)
{
	mount_cgroup2();
	if (mkdir(TASKSETFS "/enter", 0755) || mkdir(CGROUPFS "/enter", 0755))
		die("mkdir enter");
	write_file(TASKSETFS "/enter/taskset.facets", "+uts +ipc +net");
	node_procs = open_or_die(TASKSETFS "/enter/taskset.procs");
	root_procs = open_or_die(TASKSETFS "/taskset.procs");
	cgroup_procs = open_or_die(CGROUPFS "/enter/cgroup.procs");
	cgroup_root_procs = open_or_die(CGROUPFS "/cgroup.procs");
	snprintf(self_id, sizeof(self_id), "%d\n", getpid());
	other = fork();
	if (other < 0)
		die("fork");
	if (other == 0)
		for (;;)
			pause();
	snprintf(other_id, sizeof(other_id), "%d\n", other);
	setup_echoer();
}

static void compare_attach(void)
{
	if (!have_tasksetfs())
		return;
	if (node_procs < 0)
		setup_attach();
	run("node_attach_self", op_node_attach_self);
	run("cgroup_attach_self", op_cgroup_attach_self);
	run("node_attach_other", op_node_attach_other);
	run("cgroup_attach_other", op_cgroup_attach_other);
	run("pipe_round_trip_x2", op_pipe_round_trip_x2);
}

static void stop_attach(void)
{
	if (other <= 0)
		return;
	kill(other, SIGKILL);
	reap(other);
	kill(echoer, SIGKILL);
	reap(echoer);
}

/*
 * From the exit of a node's last member to the node being gone, with
 * on_empty "delete"; and from the exit of a cgroup's last member to
 * cgroup.events saying "populated 0". Wall time: both wait for other
 * tasks (a work item, a wake-up). The member signals its exit time
 * through shared memory, as its last act.
 */
#define EMPTY_PER_ROUND	40
#define NODE_GONE	TASKSETFS "/gone"
#define CGROUP_GONE	CGROUPFS "/gone"

static long long *exit_time;

/* A child that stamps exit_time and exits when @go is written. */
static pid_t stamping_child(int go[2])
{
	pid_t pid;
	char c;

	if (pipe(go))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		*exit_time = now_ns();
		_exit(0);
	}
	close(go[0]);
	return pid;
}

/* Poll @fd for POLLPRI, then read it again from the start. */
static void wait_event(int fd, char *buf, size_t size)
{
	struct pollfd pfd = { .fd = fd, .events = POLLPRI };
	ssize_t n;

	if (poll(&pfd, 1, 10000) != 1)
		die("no event");
	n = pread(fd, buf, size - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
}

static int open_events(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, buf, size) < 0)
		die(path);
	return fd;
}

/*
 * The member has been inside for 25 ms when it exits: longer than the
 * 20 ms within which cgroup delays a second notification of a file.
 */
static void let_settle(void)
{
	struct timespec ts = { .tv_nsec = 25 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* A child moved into @dir, which stamps exit_time and exits on demand. */
struct stamping_member {
	pid_t pid;
	int go[2];
	int events;
	char buf[128];
};

static void member_enter(struct stamping_member *m, const char *dir,
			 const char *procs, const char *events)
{
	char path[128], id[16];

	m->pid = stamping_child(m->go);
	snprintf(id, sizeof(id), "%d\n", m->pid);
	snprintf(path, sizeof(path), "%s/%s", dir, procs);
	write_file(path, id);
	snprintf(path, sizeof(path), "%s/%s", dir, events);
	m->events = open_events(path, m->buf, sizeof(m->buf));
}

static void member_exit(struct stamping_member *m)
{
	let_settle();
	if (write(m->go[1], "x", 1) != 1)
		die("go");
}

/* The time from the member's exit to now; reap it. */
static long long member_since_exit(struct stamping_member *m)
{
	long long t1 = now_ns();

	close(m->events);
	close(m->go[1]);
	reap(m->pid);
	return t1 - *exit_time;
}

static long long node_empty_delete_once(void)
{
	struct stamping_member m;

	if (mkdir(NODE_GONE, 0755))
		die("mkdir gone");
	member_enter(&m, NODE_GONE, "taskset.procs", "taskset.events");
	write_file(NODE_GONE "/taskset.on_empty", "delete");
	member_exit(&m);
	/* Woken when it empties, then when it is gone. */
	while (!access(NODE_GONE, F_OK))
		wait_event(m.events, m.buf, sizeof(m.buf));
	return member_since_exit(&m);
}

static long long cgroup_populated_0_once(void)
{
	struct stamping_member m;
	long long t;

	if (mkdir(CGROUP_GONE, 0755))
		die("mkdir cgroup gone");
	member_enter(&m, CGROUP_GONE, "cgroup.procs", "cgroup.events");
	member_exit(&m);
	do
		wait_event(m.events, m.buf, sizeof(m.buf));
	while (!strstr(m.buf, "populated 0"));
	t = member_since_exit(&m);
	if (rmdir(CGROUP_GONE))
		die("rmdir cgroup gone");
	return t;
}

static void run_latency(const char *name, long long (*once)(void))
{
	int r, i;

	for (r = 0; r < rounds; r++) {
		long long sum = 0;

		for (i = 0; i < EMPTY_PER_ROUND; i++)
			sum += once();
		printf("bench: %s round=%d ns=%.1f\n", name, r,
		       (double)sum / EMPTY_PER_ROUND);
		fflush(stdout);
	}
}

static void compare_empty(void)
{
	if (!have_tasksetfs())
		return;
	mount_cgroup2();
	exit_time = mmap(NULL, sizeof(*exit_time), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (exit_time == MAP_FAILED)
		die("mmap");
	run_latency("node_empty_delete", node_empty_delete_once);
	run_latency("cgroup_populated_0", cgroup_populated_0_once);
}

/*
 * Spawning a process into prepared states: clone3() straight into a node
 * that owns uts, ipc and net (CLONE_INTO_TASKSET), against clone3()
 * straight into a cgroup (CLONE_INTO_CGROUP), and against a fork whose
 * child writes itself into the node's taskset.procs; each child exits
 * at once and is reaped.
 */
struct clone_args_v3 {
	__u64 flags, pidfd, child_tid, parent_tid, exit_signal;
	__u64 stack, stack_size, tls, set_tid, set_tid_size;
	__u64 cgroup, taskset;
};

static int spawn_node_fd = -1, spawn_cgroup_fd = -1, spawn_procs_fd = -1;

static void clone3_exit_reap(__u64 flags, int cgroup, int taskset)
{
	struct clone_args_v3 args = {
		.flags = flags,
		.exit_signal = SIGCHLD,
		.cgroup = cgroup,
		.taskset = taskset,
	};
	pid_t pid = syscall(SYS_clone3, &args, sizeof(args));

	if (pid == 0)
		_exit(0);
	if (pid < 0)
		die("clone3 into");
	reap(pid);
}

static void op_node_spawn_into(long i)
{
	clone3_exit_reap(CLONE_INTO_TASKSET, 0, spawn_node_fd);
}

static void op_cgroup_spawn_into(long i)
{
	clone3_exit_reap(CLONE_INTO_CGROUP, spawn_cgroup_fd, 0);
}

static void op_node_spawn_then_enter(long i)
{
	pid_t pid = fork();

	if (pid == 0) {
		char id[16];
		int len = snprintf(id, sizeof(id), "%d\n", getpid());

		_exit(write(spawn_procs_fd, id, len) == len ? 0 : 1);
	}
	if (pid < 0)
		die("fork");
	reap(pid);
}

static void compare_spawn(void)
{
	if (!have_tasksetfs())
		return;
	mount_cgroup2();
	if (mkdir(TASKSETFS "/spawn", 0755) || mkdir(CGROUPFS "/spawn", 0755))
		die("mkdir spawn");
	write_file(TASKSETFS "/spawn/taskset.facets", "+uts +ipc +net");
	spawn_node_fd = open(TASKSETFS "/spawn", O_PATH | O_DIRECTORY);
	spawn_cgroup_fd = open(CGROUPFS "/spawn", O_PATH | O_DIRECTORY);
	spawn_procs_fd = open(TASKSETFS "/spawn/taskset.procs", O_WRONLY);
	if (spawn_node_fd < 0 || spawn_cgroup_fd < 0 || spawn_procs_fd < 0)
		die("open spawn");
	run("node_spawn_into", op_node_spawn_into);
	run("cgroup_spawn_into", op_cgroup_spawn_into);
	run("node_spawn_then_enter", op_node_spawn_then_enter);
	close(spawn_node_fd);
	close(spawn_cgroup_fd);
	close(spawn_procs_fd);
	if (rmdir(TASKSETFS "/spawn") || rmdir(CGROUPFS "/spawn"))
		die("rmdir spawn");
}

/*
 * The bridge to cgroup v2: two nodes owning uts and net, each bound to
 * its mirror under /taskset, with the memory and pids controllers on.
 * enter_both: the caller enters one, then the other, with one write of
 * its own pid to taskset.procs each; against the status quo, setns() to
 * a holder's uts and net namespaces followed by a write of cgroup.procs.
 * spawn_into_bound: clone3(CLONE_INTO_TASKSET) into a bound node,
 * against clone3(CLONE_INTO_CGROUP) into its cgroup followed by setns()
 * in the child.
 */
#define BRIDGE_A	"/bridge_a"
#define BRIDGE_B	"/bridge_b"
#define MIRROR		CGROUPFS "/taskset"

static int bridge_procs[2] = { -1, -1 }, bridge_cgroup_procs[2];
static int bridge_holder_fds[2], bridge_node_fd, bridge_cgroup_fd;
static pid_t bridge_holders[2];

static void op_node_enter_both(long i)
{
	write_fd(bridge_procs[0], self_id);
	write_fd(bridge_procs[1], self_id);
}

/*
 * The status quo of entering a container, twice: setns() to a holder's
 * uts and net namespaces, then a write of the caller's pid to a cgroup's
 * cgroup.procs.
 */
static void enter_twostep(const int holder_fds[2], const int procs[2])
{
	int n;

	for (n = 0; n < 2; n++) {
		if (setns(holder_fds[n], CLONE_NEWUTS | CLONE_NEWNET))
			die("setns twostep");
		write_fd(procs[n], self_id);
	}
}

/* The status quo of spawning into one: CLONE_INTO_CGROUP, then setns(). */
static void spawn_into_cgroup_then_setns(int cgroup_fd, int holder_fd)
{
	struct clone_args_v3 args = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = cgroup_fd,
	};
	pid_t pid = syscall(SYS_clone3, &args, sizeof(args));

	if (pid == 0)
		_exit(setns(holder_fd, CLONE_NEWUTS | CLONE_NEWNET));
	if (pid < 0)
		die("clone3 into cgroup");
	reap(pid);
}

static void op_twostep_enter_both(long i)
{
	enter_twostep(bridge_holder_fds, bridge_cgroup_procs);
}

static void op_node_spawn_into_bound(long i)
{
	clone3_exit_reap(CLONE_INTO_TASKSET, 0, bridge_node_fd);
}

static void op_cgroup_spawn_into_setns(long i)
{
	spawn_into_cgroup_then_setns(bridge_cgroup_fd, bridge_holder_fds[0]);
}

/* A holder of node @name's states, as a pidfd. */
static pid_t bridge_holder(const char *name, int *pidfd)
{
	char path[128], id[16];
	pid_t pid = fork();

	if (pid < 0)
		die("fork holder");
	if (pid == 0)
		for (;;)
			pause();
	snprintf(path, sizeof(path), TASKSETFS "%s/taskset.procs", name);
	snprintf(id, sizeof(id), "%d\n", pid);
	write_file(path, id);
	*pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (*pidfd < 0)
		die("pidfd_open");
	return pid;
}

static void setup_bridge(void)
{
	const char *names[2] = { BRIDGE_A, BRIDGE_B };
	char path[128];
	int n;

	mount_cgroup2();
	write_file(CGROUPFS "/cgroup.subtree_control", "+memory +pids");
	if (mkdir(MIRROR, 0755) && errno != EEXIST)
		die("mkdir " MIRROR);
	write_file(MIRROR "/cgroup.subtree_control", "+memory +pids");
	snprintf(self_id, sizeof(self_id), "%d\n", getpid());
	for (n = 0; n < 2; n++) {
		snprintf(path, sizeof(path), TASKSETFS "%s", names[n]);
		if (mkdir(path, 0755))
			die("mkdir bridge node");
		strcat(path, "/taskset.facets");
		write_file(path, "+uts +net +cgroup2");
		snprintf(path, sizeof(path), TASKSETFS "%s/taskset.procs",
			 names[n]);
		bridge_procs[n] = open_or_die(path);
		snprintf(path, sizeof(path), MIRROR "%s/cgroup.procs", names[n]);
		bridge_cgroup_procs[n] = open_or_die(path);
		bridge_holders[n] = bridge_holder(names[n],
						  &bridge_holder_fds[n]);
	}
	bridge_node_fd = open(TASKSETFS BRIDGE_A, O_PATH | O_DIRECTORY);
	bridge_cgroup_fd = open(MIRROR BRIDGE_A, O_PATH | O_DIRECTORY);
	if (bridge_node_fd < 0 || bridge_cgroup_fd < 0)
		die("open bridge");
}

static void stop_bridge(void)
{
	const char *names[2] = { BRIDGE_A, BRIDGE_B };
	char path[128];
	int n;

	/* Back where it was: the root node, the root cgroup. */
	write_file(TASKSETFS "/taskset.procs", self_id);
	write_file(CGROUPFS "/cgroup.procs", self_id);
	close(bridge_node_fd);
	close(bridge_cgroup_fd);
	for (n = 0; n < 2; n++) {
		kill(bridge_holders[n], SIGKILL);
		reap(bridge_holders[n]);
		close(bridge_holder_fds[n]);
		close(bridge_procs[n]);
		close(bridge_cgroup_procs[n]);
		snprintf(path, sizeof(path), TASKSETFS "%s", names[n]);
		/* The node may count its last member for a while. */
		while (rmdir(path) && errno == EBUSY)
			usleep(1000);
	}
	/* The other comparisons run without the controllers. */
	write_file(MIRROR "/cgroup.subtree_control", "-memory -pids");
	if (rmdir(MIRROR))
		die("rmdir " MIRROR);
	write_file(CGROUPFS "/cgroup.subtree_control", "-memory -pids");
}

/*
 * The first memory cgroup turns kmem accounting on for good (a static
 * key): one is made and removed on both kernels, so that what runs after
 * pays for it on both, whether the bridge (patched only) runs or not.
 */
static void memcg_online(void)
{
	mount_cgroup2();
	write_file(CGROUPFS "/cgroup.subtree_control", "+memory");
	if (mkdir(CGROUPFS "/kmem_on", 0755) ||
	    rmdir(CGROUPFS "/kmem_on"))
		die("mkdir/rmdir kmem_on");
	write_file(CGROUPFS "/cgroup.subtree_control", "-memory");
}

/*
 * The status quo of entering and of spawning into a container, on both
 * kernels: two holders of uts and net namespaces of their own (unshare())
 * in two cgroups with the memory and pids controllers; enter_both's and
 * spawn_into_bound's other side, with nothing of task sets. On the
 * patched kernel the bridge's cgroups differ in one way: the bridge
 * keeps the inodes of its cgroups' cgroup.procs, which cgroup's own
 * permission check then finds (see cgroup_bridge_pin()).
 */
#define STATUSQUO	CGROUPFS "/statusquo"

static int statusquo_procs[2], statusquo_holder_fds[2], statusquo_cgroup_fd;

static void op_statusquo_enter_both(long i)
{
	enter_twostep(statusquo_holder_fds, statusquo_procs);
}

static void op_statusquo_spawn_into_setns(long i)
{
	spawn_into_cgroup_then_setns(statusquo_cgroup_fd,
				     statusquo_holder_fds[0]);
}

/* A holder of new uts and net namespaces in cgroup @cg, as a pidfd. */
static pid_t statusquo_holder(const char *cg, int *pidfd)
{
	char path[128], id[16];
	int ready[2];
	pid_t pid;

	if (pipe(ready))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork holder");
	if (pid == 0) {
		if (unshare(CLONE_NEWUTS | CLONE_NEWNET))
			_exit(1);
		close(ready[0]);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	/* EOF once the child has its namespaces, or died. */
	if (read(ready[0], id, 1) != 0)
		die("holder");
	close(ready[0]);
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(id, sizeof(id), "%d\n", pid);
	write_file(path, id);
	*pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (*pidfd < 0)
		die("pidfd_open");
	return pid;
}

/* In a child, which leaves the parent in the root cgroup. */
static void compare_statusquo(void)
{
	static const char * const cgs[2] = { STATUSQUO "/a", STATUSQUO "/b" };
	pid_t holders[2], pid;
	char path[128];
	int n, status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork statusquo");
	if (pid == 0) {
		mount_cgroup2();
		snprintf(self_id, sizeof(self_id), "%d\n", getpid());
		write_file(CGROUPFS "/cgroup.subtree_control", "+memory +pids");
		if (mkdir(STATUSQUO, 0755))
			die("mkdir " STATUSQUO);
		write_file(STATUSQUO "/cgroup.subtree_control",
			   "+memory +pids");
		for (n = 0; n < 2; n++) {
			if (mkdir(cgs[n], 0755))
				die("mkdir statusquo");
			snprintf(path, sizeof(path), "%s/cgroup.procs", cgs[n]);
			statusquo_procs[n] = open_or_die(path);
			holders[n] = statusquo_holder(cgs[n],
						      &statusquo_holder_fds[n]);
		}
		statusquo_cgroup_fd = open(cgs[0], O_PATH | O_DIRECTORY);
		if (statusquo_cgroup_fd < 0)
			die("open statusquo");
		run("statusquo_enter_both", op_statusquo_enter_both);
		run("statusquo_spawn_into_setns",
		    op_statusquo_spawn_into_setns);
		for (n = 0; n < 2; n++) {
			kill(holders[n], SIGKILL);
			reap(holders[n]);
		}
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || status)
		die("statusquo comparison");
	/* Its last task gone, each cgroup may be removed. */
	for (n = 1; n >= 0; n--)
		while (rmdir(cgs[n]) && errno == EBUSY)
			usleep(1000);
	if (rmdir(STATUSQUO))
		die("rmdir " STATUSQUO);
	write_file(CGROUPFS "/cgroup.subtree_control", "-memory -pids");
}

/* In a child, which leaves the parent in the root cgroup. */
static void compare_bridge(void)
{
	int status;
	pid_t pid;

	if (!have_tasksetfs())
		return;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork bridge");
	if (pid == 0) {
		setup_bridge();
		run("node_enter_both", op_node_enter_both);
		run("twostep_enter_both", op_twostep_enter_both);
		run("node_spawn_into_bound", op_node_spawn_into_bound);
		run("cgroup_spawn_into_setns", op_cgroup_spawn_into_setns);
		stop_bridge();
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || status)
		die("bridge comparison");
}

/* The paths the proxy took over. */
static void run_paths(void)
{
	run("getppid", op_getppid);
	run("uname", op_uname);
	run("fork_exit_wait", op_fork);
	run("clone3_newuts_newipc", op_clone3_newuts_newipc);
	run("fork_unshare_uts", op_fork_unshare_uts);
	run("setns_pidfd_uts_ipc_net", op_setns_pidfd);
}

/*
 * fork+exit+wait by a task inside a node, whose children are members
 * too: each fork and exit counts them. An unpatched kernel has no node:
 * the same runs where it is.
 */
static void run_in_node(const char *name, void (*op)(long))
{
	char id[16];

	snprintf(id, sizeof(id), "%d\n", getpid());
	if (have_tasksetfs()) {
		if (mkdir(TASKSETFS "/forker", 0755))
			die("mkdir forker");
		write_file(TASKSETFS "/forker/taskset.procs", id);
	}
	run(name, op);
	if (have_tasksetfs()) {
		write_file(TASKSETFS "/taskset.procs", id);
		if (rmdir(TASKSETFS "/forker"))
			die("rmdir forker");
	}
}

/* The limit of the limited runs: never reached, always checked. */
#define FORK_LIMIT "1000\n"

/*
 * fork+exit+wait by a task in a node whose tasks.max is set: each fork
 * charges the node, each release uncharges it. An unpatched kernel has
 * no node: the same runs in the root.
 */
static void run_in_limited_node(const char *name, void (*op)(long))
{
	char id[16];

	snprintf(id, sizeof(id), "%d\n", getpid());
	if (have_tasksetfs()) {
		if (mkdir(TASKSETFS "/limited", 0755))
			die("mkdir limited");
		write_file(TASKSETFS "/limited/tasks.max", FORK_LIMIT);
		write_file(TASKSETFS "/limited/taskset.procs", id);
	}
	run(name, op);
	if (have_tasksetfs()) {
		write_file(TASKSETFS "/taskset.procs", id);
		if (rmdir(TASKSETFS "/limited"))
			die("rmdir limited");
	}
}

/*
 * The same fork+exit+wait under cgroup's pids.max, then under a node's
 * tasks.max, on the same kernel.
 */
static void compare_fork_limited(void)
{
	char id[16];

	if (!have_tasksetfs())
		return;
	mount_cgroup2();
	snprintf(id, sizeof(id), "%d\n", getpid());
	write_file(CGROUPFS "/cgroup.subtree_control", "+pids");
	if (mkdir(CGROUPFS "/limited", 0755))
		die("mkdir cgroup limited");
	write_file(CGROUPFS "/limited/pids.max", FORK_LIMIT);
	write_file(CGROUPFS "/limited/cgroup.procs", id);
	run("cgroup_fork_limited", op_fork);
	write_file(CGROUPFS "/cgroup.procs", id);
	if (rmdir(CGROUPFS "/limited"))
		die("rmdir cgroup limited");
	write_file(CGROUPFS "/cgroup.subtree_control", "-pids");
	run_in_limited_node("node_fork_limited", op_fork);
}

static void op_shmget_rmid(long i)
{
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);

	if (id < 0 || shmctl(id, IPC_RMID, NULL))
		die("shmget/IPC_RMID");
}

/*
 * shmget+IPC_RMID in a child IPC namespace: on a kernel with tasksetfs,
 * a node's, with an external cap on its segments (ipc.shmmni.max); on
 * an unpatched one, a namespace of the child's unshare().
 */
static void run_ipc_capped(const char *name)
{
	long namespaces = stat_value("namespaces");
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char id[16];

		snprintf(id, sizeof(id), "%d\n", getpid());
		if (have_tasksetfs()) {
			if (mkdir(TASKSETFS "/ipc", 0755))
				die("mkdir ipc");
			write_file(TASKSETFS "/ipc/taskset.facets", "+ipc");
			write_file(TASKSETFS "/ipc/ipc.shmmni.max", FORK_LIMIT);
			write_file(TASKSETFS "/ipc/taskset.procs", id);
		} else if (unshare(CLONE_NEWIPC)) {
			die("unshare ipc");
		}
		run(name, op_shmget_rmid);
		exit(0);
	}
	reap(pid);
	if (have_tasksetfs() && rmdir(TASKSETFS "/ipc"))
		die("rmdir ipc");
	/* Its namespace is freed by a work item: not in the next measure. */
	settle_namespaces(namespaces);
}

static long stat_value(const char *key)
{
	char line[128];
	long v = -1;
	FILE *f;

	f = fopen(STAT_FILE, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) &&
		    line[strlen(key)] == ' ')
			v = atol(line + strlen(key) + 1);
	fclose(f);
	return v;
}

/* Object size of a slab cache, or -1 (the cache may be merged). */
static long slab_object_bytes(const char *cache)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/slab_size", cache);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/*
 * SHARERS tasks setns into one target's uts and ipc: how many proxies do
 * they add? An unpatched kernel gives each its own nsproxy.
 */
static void mem_report(void)
{
	long before = stat_value("proxies"), after;
	int go[2], ready[2], i;
	pid_t pids[SHARERS];
	char c;

	printf("mem: nsproxy_slab_size=%ld taskset_proxy_slab_size=%ld\n",
	       slab_object_bytes("nsproxy"),
	       slab_object_bytes("taskset_proxy"));
	if (pipe(go) || pipe(ready))
		die("pipe");
	for (i = 0; i < SHARERS; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			close(go[1]);
			if (setns(target_fds[0], CLONE_NEWUTS | CLONE_NEWIPC))
				_exit(1);
			if (write(ready[1], "x", 1) != 1)
				_exit(1);
			if (read(go[0], &c, 1) < 0)
				_exit(1);
			_exit(0);
		}
		if (read(ready[0], &c, 1) != 1)
			die("sharer");
	}
	after = stat_value("proxies");
	close(go[1]);
	for (i = 0; i < SHARERS; i++)
		reap(pids[i]);
	if (before >= 0)
		printf("mem: sharers=%d proxies_added=%ld\n", SHARERS,
		       after - before);
	else
		printf("mem: sharers=%d proxies_added=%d (one nsproxy each)\n",
		       SHARERS, SHARERS);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		iterations = atol(argv[1]);
	if (argc > 2)
		rounds = atoi(argv[2]);
	if (iterations <= 0 || rounds <= 0 ||
	    (argc > 3 && strcmp(argv[3], "wall"))) {
		fprintf(stderr, "usage: %s [ITERATIONS [ROUNDS [wall]]]\n",
			argv[0]);
		return 2;
	}
	if (argc > 3) {
		compare_attach();
		stop_attach();
		compare_empty();
		compare_bridge();
		return 0;
	}
	setup_targets();
	run_paths();
	run_in_node("fork_exit_wait_in_node", op_fork);
	run_in_limited_node("fork_exit_wait_limited", op_fork);
	compare_fork_limited();
	run_ipc_capped("shmget_rmid_capped");
	if (have_tasksetfs())
		newtaskset_flag = CLONE_NEWTASKSET;
	run_n("unshare_newtaskset", op_unshare_newtaskset, iterations, true);
	/*
	 * Before the holders and the 10,000 threads of many_proxies: a fork
	 * by a process of 10,000 threads copies 10,000 stacks, and the copy
	 * would hide the rest.
	 */
	compare_spawn();
	memcg_online();
	compare_statusquo();
	compare_bridge();
	compare_node_ops();
	/* The same, while other tasks hold the states it switches to. */
	setup_holders();
	run("setns_pidfd_shared", op_setns_pidfd);
	kill_holders();
	mem_report();
	compare_attach();
	/* Nothing may grow with the number of nodes. */
	make_nodes_upto(NODES_ALIVE);
	phase = "_1000_nodes";
	run_paths();
	if (have_tasksetfs()) {
		make_nodes_upto(NODES_MANY);
		phase = "_10000_nodes";
		compare_attach();
	}
	phase = "";
	/* The miss path again, with 10,000 more proxies alive. */
	setup_many_proxies();
	run("setns_pidfd_10k_proxies", op_setns_pidfd);
	kill(targets[0], SIGKILL);
	kill(targets[1], SIGKILL);
	reap(targets[0]);
	reap(targets[1]);
	stop_attach();
	return 0;
}
