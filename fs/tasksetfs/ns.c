// SPDX-License-Identifier: GPL-2.0
/*
 * taskset.ns: a node's namespaces, one line per namespace facet:
 *
 *	<type> <nsfs inode> <owner user namespace inode> own|inherited
 *
 * The inode numbers are those /proc/PID/ns shows. Pid and time give the
 * namespace a node's tasks' children get (pid_for_children,
 * time_for_children).
 */

#include <linux/proc_ns.h>
#include <linux/seq_file.h>
#include <linux/taskset.h>
#include <linux/user_namespace.h>

#include "tasksetfs.h"

static void ns_show_one(struct seq_file *sf, const struct taskset *ts,
			const struct taskset_facet *facet)
{
	struct ns_common *ns = taskset_ns(ts, facet);
	struct user_namespace *owner = ns->ops->owner(ns);

	seq_printf(sf, "%s %u %u %s\n", facet->name, ns->inum, owner->ns.inum,
		   taskset_owns(ts, facet) ? "own" : "inherited");
}

static int ns_show(struct seq_file *sf, void *v)
{
	struct taskset *ts = tasksetfs_of_node(sf->private);
	const struct taskset_facet *facet;
	int id;

	for_each_taskset_facet(facet, id)
		if (taskset_facet_is_ns(facet))
			ns_show_one(sf, ts, facet);
	return 0;
}

const struct kernfs_ops tasksetfs_ns_ops = {
	.seq_show	= ns_show,
};
