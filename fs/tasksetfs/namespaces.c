// SPDX-License-Identifier: GPL-2.0
/*
 * taskset.namespaces: every namespace instance that a proxy or a node
 * holds, one line each, ordered by type then inode:
 *
 *	<type> <nsfs inode> <owner user namespace inode> <nodes> <tasks>
 *
 * nodes counts the task set nodes whose state it is; tasks counts the
 * references of the proxies holding it: their tasks, plus short-lived
 * references (a setns() in progress). Lines are made from a snapshot of
 * the proxy hash, so namespaces can be listed without scanning /proc.
 */

#include <linux/minmax.h>
#include <linux/proc_ns.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/taskset_proxy.h>
#include <linux/user_namespace.h>

#include "tasksetfs.h"

/* Room for the namespaces of this many more proxies than counted. */
#define SNAPSHOT_SLACK	16

struct ns_use {
	struct ns_common *ns;
	int facet;
	unsigned long tasks;
};

struct ns_snapshot {
	struct ns_use *uses;
	size_t nr;
	size_t max;
};

static unsigned int nr_ns_facets(void)
{
	struct taskset_facet *facet;
	unsigned int nr = 0;
	int id;

	for_each_taskset_facet(facet, id)
		nr += taskset_facet_is_ns(facet);
	return nr;
}

/*
 * Record @proxy's namespaces, each with a reference: the proxy holds
 * its namespaces until after it is unhashed, so they are alive here.
 * Called under taskset_proxy_lock.
 */
static bool snapshot_proxy(struct taskset_proxy *proxy, void *arg)
{
	unsigned long tasks = refcount_read(&proxy->ns.count);
	struct ns_snapshot *snap = arg;
	struct taskset_facet *facet;
	int id;

	if (snap->max - snap->nr < nr_ns_facets())
		return false;
	for_each_taskset_facet(facet, id) {
		struct ns_common *ns;

		if (!taskset_facet_is_ns(facet))
			continue;
		ns = facet->ns_of(&proxy->ns);
		refcount_inc(&ns->count);
		snap->uses[snap->nr++] = (struct ns_use) {
			.ns = ns, .facet = id, .tasks = tasks,
		};
	}
	return true;
}

static void snapshot_put(struct ns_snapshot *snap)
{
	size_t i;

	for (i = 0; i < snap->nr; i++)
		snap->uses[i].ns->ops->put(snap->uses[i].ns);
	kvfree(snap->uses);
}

static int cmp_ns_use(const void *a, const void *b)
{
	const struct ns_use *x = a, *y = b;

	if (x->facet != y->facet)
		return x->facet - y->facet;
	return x->ns->inum < y->ns->inum ? -1 : x->ns->inum > y->ns->inum;
}

/* Sort, then fold the entries of one namespace into its first one. */
static void snapshot_merge(struct ns_snapshot *snap)
{
	size_t i, out = 0;

	sort(snap->uses, snap->nr, sizeof(*snap->uses), cmp_ns_use, NULL);
	for (i = 0; i < snap->nr; i++) {
		if (out && snap->uses[out - 1].ns == snap->uses[i].ns) {
			snap->uses[out - 1].tasks += snap->uses[i].tasks;
			/* Drop the duplicate's reference now. */
			snap->uses[i].ns->ops->put(snap->uses[i].ns);
			continue;
		}
		snap->uses[out++] = snap->uses[i];
	}
	snap->nr = out;
}

/**
 * tasksetfs_ns_snapshot() - take a merged snapshot of the namespaces in use
 * @snap: filled with one referenced entry per namespace instance
 *
 * Context: may sleep.
 * Return: 0, or -ENOMEM.
 */
static int tasksetfs_ns_snapshot(struct ns_snapshot *snap)
{
	struct taskset_proxy_stats stats;

	taskset_proxy_read_stats(&stats);
	snap->max = (stats.proxies + SNAPSHOT_SLACK) * nr_ns_facets();
	for (;;) {
		snap->nr = 0;
		snap->uses = kvmalloc_array(snap->max, sizeof(*snap->uses),
					    GFP_KERNEL);
		if (!snap->uses)
			return -ENOMEM;
		if (taskset_proxy_for_each(snapshot_proxy, snap))
			break;
		/* More proxies appeared than there was room for. */
		snapshot_put(snap);
		snap->max *= 2;
	}
	snapshot_merge(snap);
	return 0;
}

/**
 * tasksetfs_nr_namespaces() - count the namespace instances in use
 *
 * Context: may sleep.
 * Return: the number of distinct namespaces proxies hold, or -ENOMEM.
 */
long tasksetfs_nr_namespaces(void)
{
	struct ns_snapshot snap;
	long nr;

	if (tasksetfs_ns_snapshot(&snap))
		return -ENOMEM;
	nr = snap.nr;
	snapshot_put(&snap);
	return nr;
}

static void ns_use_show(struct seq_file *sf, const struct ns_use *use)
{
	const struct taskset_facet *facet = taskset_facets[use->facet];
	struct user_namespace *owner = use->ns->ops->owner(use->ns);
	unsigned int nodes = taskset_ns(&taskset_root, facet) == use->ns;

	seq_printf(sf, "%s %u %u %u %lu\n", facet->name, use->ns->inum,
		   owner->ns.inum, nodes, use->tasks);
}

static int namespaces_show(struct seq_file *sf, void *v)
{
	struct ns_snapshot snap;
	size_t i;

	if (tasksetfs_ns_snapshot(&snap))
		return -ENOMEM;
	for (i = 0; i < snap.nr; i++)
		ns_use_show(sf, &snap.uses[i]);
	snapshot_put(&snap);
	return 0;
}

const struct kernfs_ops tasksetfs_namespaces_ops = {
	.seq_show	= namespaces_show,
};
