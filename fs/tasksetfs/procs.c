// SPDX-License-Identifier: GPL-2.0
/*
 * taskset.procs: the processes of a node, one thread-group id per line,
 * in increasing order, as numbered in the pid namespace of the process
 * that opened the file. Processes that namespace cannot see are left out.
 *
 * A process is a member of the node of its thread-group leader's proxy;
 * one that has exited, and dropped its proxy, is no one's. The root's
 * processes are those of no other node, kernel threads included.
 *
 * There is no list of a node's tasks: the reader walks the processes the
 * opener's pid namespace sees and keeps those of the node, so reading
 * costs the number of those processes, but for a node without members,
 * whose file is empty at once. Per-proxy task lists come with the moving
 * of tasks, which is what makes nodes other than the root have members.
 * As for cgroup.procs, the hidepid= option of the opener's procfs does
 * not apply: a process id is not a secret the file would reveal, and the
 * file's mode says who may read it.
 */

#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/taskset_proxy.h>

#include "tasksetfs.h"

/* Processes looked at per RCU section while looking for a member. */
#define PROCS_SCAN_BATCH	1024

/**
 * struct procs_iter - position of a reader of taskset.procs
 * @ns: the opener's pid namespace, pinned while the file is open.
 * @node: the node whose processes are listed; alive while the file's
 *	operations run. Compared with, never dereferenced, from a task.
 * @tgid: the thread-group id the reader is at.
 */
struct procs_iter {
	struct pid_namespace *ns;
	struct taskset *node;
	pid_t tgid;
};

static int procs_open(struct kernfs_open_file *of)
{
	struct procs_iter *it;

	it = kzalloc(sizeof(*it), GFP_KERNEL);
	if (!it)
		return -ENOMEM;
	it->ns = get_pid_ns(task_active_pid_ns(current));
	it->node = tasksetfs_of_node(of);
	of->priv = it;
	return 0;
}

static void procs_release(struct kernfs_open_file *of)
{
	struct procs_iter *it = of->priv;

	put_pid_ns(it->ns);
	kfree(it);
}

/* Is @tsk, a thread-group leader, a member of @node? */
static bool task_in_node(struct task_struct *tsk, const struct taskset *node)
{
	bool in;

	task_lock(tsk);
	in = tsk->nsproxy && to_taskset_proxy(tsk->nsproxy)->node == node;
	task_unlock(tsk);
	return in;
}

/*
 * Find the first process of the node whose tgid in @it->ns is @nr or
 * more. The pid
 * found may be freed once the RCU section ends: only its number is kept,
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
		struct task_struct *tsk = pid_task(pid, PIDTYPE_TGID);

		nr = pid_nr_ns(pid, it->ns);
		if (tsk && task_in_node(tsk, it->node)) {
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
	it->tgid = nr;
	return found;
}

/* *pos is the smallest tgid still to be shown. */
static void *procs_start(struct seq_file *sf, loff_t *pos)
{
	struct kernfs_open_file *of = sf->private;
	struct procs_iter *it = of->priv;

	/* A node without members: no walk. The root's are not counted. */
	if (it->node != &taskset_root && !READ_ONCE(it->node->nr_proxies))
		return NULL;
	if (*pos > PID_MAX_LIMIT || !procs_find(it, *pos))
		return NULL;
	*pos = it->tgid;
	return it;
}

static void *procs_next(struct seq_file *sf, void *v, loff_t *pos)
{
	struct procs_iter *it = v;

	*pos = it->tgid + 1;
	return procs_start(sf, pos);
}

static int procs_show(struct seq_file *sf, void *v)
{
	struct procs_iter *it = v;

	seq_printf(sf, "%d\n", it->tgid);
	return 0;
}

const struct kernfs_ops tasksetfs_procs_ops = {
	.open		= procs_open,
	.release	= procs_release,
	.seq_start	= procs_start,
	.seq_next	= procs_next,
	.seq_show	= procs_show,
};
