// SPDX-License-Identifier: GPL-2.0
/*
 * taskset.procs: the processes of a node, one thread-group id per line,
 * in increasing order, as numbered in the pid namespace of the process
 * that opened the file. Processes that namespace cannot see are left out.
 *
 * The root node's processes are every process, kernel threads included.
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

#include "tasksetfs.h"

/**
 * struct procs_iter - position of a reader of taskset.procs
 * @ns: the opener's pid namespace, pinned while the file is open.
 * @tgid: the thread-group id the reader is at.
 */
struct procs_iter {
	struct pid_namespace *ns;
	pid_t tgid;
};

static int procs_open(struct kernfs_open_file *of)
{
	struct procs_iter *it;

	it = kzalloc(sizeof(*it), GFP_KERNEL);
	if (!it)
		return -ENOMEM;
	it->ns = get_pid_ns(task_active_pid_ns(current));
	of->priv = it;
	return 0;
}

static void procs_release(struct kernfs_open_file *of)
{
	struct procs_iter *it = of->priv;

	put_pid_ns(it->ns);
	kfree(it);
}

/*
 * Find the first process whose tgid in @it->ns is @nr or more. The pid
 * found may be freed once the RCU section ends: only its number is kept,
 * so a process that exits meanwhile is at worst listed once more.
 */
static bool procs_find(struct procs_iter *it, pid_t nr)
{
	struct pid *pid;
	bool found = false;

	rcu_read_lock();
	while ((pid = find_ge_pid(nr, it->ns))) {
		nr = pid_nr_ns(pid, it->ns);
		if (pid_task(pid, PIDTYPE_TGID)) {
			found = true;
			break;
		}
		nr++;
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
