// SPDX-License-Identifier: GPL-2.0
/*
 * taskset.ns: a node's namespaces, one line per namespace facet:
 *
 *	<type> <nsfs inode> <owner user namespace inode> own|inherited
 *
 * The inode numbers are those /proc/PID/ns shows. Pid and time give the
 * namespace a node's tasks' children get (pid_for_children,
 * time_for_children). An inherited state is the parent's: a node whose
 * states change has no children, so a node's own copy of the references
 * is its parent's states, resolved when the node was made.
 *
 * A line is shown only to an opener that could have found the namespace
 * in /proc, as in taskset.namespaces (tasksetfs_ns_visible()): one of
 * the reader's own namespaces, or one whose owner the opener has
 * CAP_SYS_ADMIN over; the lines of the others are left out.
 *
 * The states are read under taskset_mutex, held for one line per facet.
 */

#include <linux/mutex.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/taskset.h>
#include <linux/user_namespace.h>

#include "tasksetfs.h"

static void ns_show_one(struct seq_file *sf, const struct taskset *ts,
			const struct taskset_facet *facet)
{
	struct kernfs_open_file *of = sf->private;
	struct ns_common *ns = taskset_ns(ts, facet);
	struct user_namespace *owner = ns->ops->owner(ns);

	if (!tasksetfs_ns_visible(of->file, current->nsproxy, facet, ns))
		return;
	seq_printf(sf, "%s %u %u %s\n", facet->name, ns->inum, owner->ns.inum,
		   taskset_owns(ts, facet) ? "own" : "inherited");
}

static int ns_show(struct seq_file *sf, void *v)
{
	struct taskset *ts = tasksetfs_of_node(sf->private);
	const struct taskset_facet *facet;
	int id;

	guard(mutex)(&taskset_mutex);
	for_each_taskset_facet(facet, id)
		if (taskset_facet_is_ns(facet))
			ns_show_one(sf, ts, facet);
	return 0;
}

const struct kernfs_ops tasksetfs_ns_ops = {
	.seq_show	= ns_show,
};
