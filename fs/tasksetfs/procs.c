// SPDX-License-Identifier: GPL-2.0
/*
 * taskset.procs and taskset.threads: the members of a node, and the
 * files a task is moved in with.
 *
 * Reading lists, one per line in increasing order, the thread-group ids
 * of the processes with a thread in the node (taskset.procs), or the
 * thread ids of the node's threads (taskset.threads), as numbered in the
 * pid namespace of the process that opened the file; tasks that
 * namespace cannot see are left out. A task is a member of the node of
 * its proxy; one that has exited, and dropped its proxy, is no one's.
 * The root's members are the tasks of no other node, kernel threads
 * included.
 *
 * There is no list of a node's tasks: the reader walks the ids the
 * opener's pid namespace sees and keeps the node's, so reading costs the
 * number of those tasks, but for a node without members, whose file is
 * empty at once. As for cgroup.procs, the hidepid= option of the
 * opener's procfs does not apply: a process id is not a secret the file
 * would reveal, and the file's mode says who may read it.
 *
 * Writing one id moves that task's process (taskset.procs) or that
 * thread (taskset.threads) into the node: kernel/taskset/attach.c.
 */

#include <linux/cgroup.h>
#include <linux/kstrtox.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/taskset_attach.h>
#include <linux/taskset_proxy.h>

#include "tasksetfs.h"

/* Processes looked at per RCU section while looking for a member. */
#define PROCS_SCAN_BATCH	1024

/**
 * struct procs_iter - position of a reader of taskset.procs
 * @ns: the opener's pid namespace, pinned while the file is open.
 * @cgroup_ns: the opener's cgroup namespace, pinned while the file is
 *	open: a move into a bound cgroup is judged from it.
 * @node: the node whose processes are listed; alive while the file's
 *	operations run. Compared with, never dereferenced, from a task.
 * @threads: list threads, not processes.
 * @nr: the id the reader is at.
 */
struct procs_iter {
	struct pid_namespace *ns;
	struct cgroup_namespace *cgroup_ns;
	struct taskset *node;
	bool threads;
	pid_t nr;
};

static int open_iter(struct kernfs_open_file *of, bool threads)
{
	struct procs_iter *it;

	it = kzalloc(sizeof(*it), GFP_KERNEL_ACCOUNT);
	if (!it)
		return -ENOMEM;
	it->ns = get_pid_ns(task_active_pid_ns(current));
	it->cgroup_ns = current->nsproxy->cgroup_ns;
	get_cgroup_ns(it->cgroup_ns);
	it->node = tasksetfs_of_node(of);
	it->threads = threads;
	of->priv = it;
	return 0;
}

static int procs_open(struct kernfs_open_file *of)
{
	return open_iter(of, false);
}

static int threads_open(struct kernfs_open_file *of)
{
	return open_iter(of, true);
}

static void procs_release(struct kernfs_open_file *of)
{
	struct procs_iter *it = of->priv;

	put_pid_ns(it->ns);
	put_cgroup_ns(it->cgroup_ns);
	kfree(it);
}

/* Is @tsk a member of @node? */
static bool thread_in_node(struct task_struct *tsk, const struct taskset *node)
{
	bool in;

	task_lock(tsk);
	in = tsk->nsproxy && to_taskset_proxy(tsk->nsproxy)->node == node;
	task_unlock(tsk);
	return in;
}

/* Does @leader's process have a thread in @node? Under RCU. */
static bool process_in_node(struct task_struct *leader,
			    const struct taskset *node)
{
	struct task_struct *t;

	for_each_thread(leader, t) {
		if (thread_in_node(t, node))
			return true;
	}
	return false;
}

/* The task of @pid the reader lists, if it is a member. Under RCU. */
static bool pid_in_node(struct pid *pid, const struct procs_iter *it)
{
	struct task_struct *tsk;

	if (it->threads) {
		tsk = pid_task(pid, PIDTYPE_PID);
		return tsk && thread_in_node(tsk, it->node);
	}
	tsk = pid_task(pid, PIDTYPE_TGID);
	return tsk && process_in_node(tsk, it->node);
}

/*
 * Find the first member of the node whose id in @it->ns is @nr or more.
 * The pid found may be freed once the RCU section ends: only its number is kept,
 * so a process that exits meanwhile is at worst listed once more. The
 * walk leaves RCU now and then, to reschedule, for the same reason.
 */
static bool procs_find(struct procs_iter *it, pid_t nr)
{
	unsigned int scanned = 0;
	struct pid *pid;
	bool found = false;

	rcu_read_lock();
	while ((pid = find_ge_pid(nr, it->ns))) {
		nr = pid_nr_ns(pid, it->ns);
		if (pid_in_node(pid, it)) {
			found = true;
			break;
		}
		nr++;
		if (!(++scanned % PROCS_SCAN_BATCH)) {
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
	it->nr = nr;
	return found;
}

/* *pos is the smallest tgid still to be shown. */
static void *procs_start(struct seq_file *sf, loff_t *pos)
{
	struct kernfs_open_file *of = sf->private;
	struct procs_iter *it = of->priv;

	/* A node without members: no walk. The root's are not counted. */
	if (it->node != &taskset_root && !atomic_read(&it->node->nr_tasks))
		return NULL;
	if (*pos > PID_MAX_LIMIT || !procs_find(it, *pos))
		return NULL;
	*pos = it->nr;
	return it;
}

static void *procs_next(struct seq_file *sf, void *v, loff_t *pos)
{
	struct procs_iter *it = v;

	*pos = it->nr + 1;
	return procs_start(sf, pos);
}

static int procs_show(struct seq_file *sf, void *v)
{
	struct procs_iter *it = v;

	seq_printf(sf, "%d\n", it->nr);
	return 0;
}

/* One id, decimal, positive, as "echo" writes it. */
static int parse_id(const char *buf, pid_t *nr)
{
	if (kstrtoint(buf, 10, nr) || *nr <= 0)
		return -EINVAL;
	return 0;
}

static struct task_struct *get_task_by_id(pid_t nr, struct pid_namespace *ns)
{
	struct task_struct *task;

	rcu_read_lock();
	task = find_task_by_pid_ns(nr, ns);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	return task;
}

static ssize_t procs_write(struct kernfs_open_file *of, char *buf,
			   size_t nbytes, loff_t off)
{
	struct procs_iter *it = of->priv;
	struct task_struct *task;
	pid_t nr;
	int err;

	/* Restarted after the move it made waited for its threads. */
	if (taskset_attach_restarted(of->file, &err))
		return err ?: nbytes;
	err = tasksetfs_check_input(buf, nbytes);
	if (!err)
		err = parse_id(buf, &nr);
	if (err)
		return err;
	task = get_task_by_id(nr, it->ns);
	if (!task)
		return -ESRCH;
	err = tasksetfs_may_move_from(of, task);
	if (err) {
		put_task_struct(task);
		return err;
	}
	/*
	 * The move waits for its threads to switch: let rmdir go on
	 * meanwhile, which refuses to remove a node being entered rather
	 * than wait for it. The node is referenced until the move is over.
	 */
	taskset_get(it->node);
	kernfs_break_active_protection(of->kn);
	err = taskset_attach(it->node, task, !it->threads, of->file->f_cred,
			     it->cgroup_ns, of->file);
	kernfs_unbreak_active_protection(of->kn);
	taskset_put(it->node);
	put_task_struct(task);
	return err ?: nbytes;
}

const struct kernfs_ops tasksetfs_procs_ops = {
	.open		= procs_open,
	.release	= procs_release,
	.seq_start	= procs_start,
	.seq_next	= procs_next,
	.seq_show	= procs_show,
	.write		= procs_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};

const struct kernfs_ops tasksetfs_threads_ops = {
	.open		= threads_open,
	.release	= procs_release,
	.seq_start	= procs_start,
	.seq_next	= procs_next,
	.seq_show	= procs_show,
	.write		= procs_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};
