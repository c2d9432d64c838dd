// SPDX-License-Identifier: GPL-2.0
/*
 * Task sets: the root node and the queries tasksetfs makes of a node.
 *
 * The root task set owns a state for every facet: for namespaces, the
 * initial ones, held by the initial proxy. It is static and its states
 * never change, so it and what it points to live as long as the kernel.
 */

#include <linux/bitmap.h>
#include <linux/init.h>
#include <linux/limits.h>
#include <linux/nsproxy.h>
#include <linux/printk.h>
#include <linux/taskset.h>
#include <linux/taskset_proxy.h>
#include <linux/user_namespace.h>

struct taskset taskset_root = {
	.children	= LIST_HEAD_INIT(taskset_root.children),
	.sibling	= LIST_HEAD_INIT(taskset_root.sibling),
	.max_depth	= INT_MAX,
	.max_descendants = INT_MAX,
	.own		= GENMASK(TASKSET_NR_FACETS - 1, 0),
	.ref		= REFCOUNT_INIT(1),
	.nsproxy	= &init_taskset_proxy.ns,
};

/**
 * taskset_nr_namespaces() - how many namespaces of the facets exist
 *
 * Counts every namespace of a facet's type that exists, whether a task, a
 * node, an open nsfs file or a bind mount holds it, from the kernel's own
 * namespace accounting: O(1) in the number of namespaces, without a lock.
 *
 * Return: the number of namespaces.
 */
long taskset_nr_namespaces(void)
{
	const struct taskset_facet *facet;
	long nr = 0;
	int id;

	for_each_taskset_facet(facet, id)
		if (taskset_facet_is_ns(facet))
			nr += ucount_total(facet->ucount) + facet->uncharged;
	return nr;
}

/**
 * taskset_owns() - does a node have a state of its own for a facet
 * @ts: the node
 * @facet: the facet
 *
 * Return: true if @ts owns its state of @facet, false if it inherits it.
 */
bool taskset_owns(const struct taskset *ts, const struct taskset_facet *facet)
{
	return test_bit(facet->id, &ts->own);
}

/**
 * taskset_ns() - a node's namespace of a namespace facet
 * @ts: the node
 * @facet: a namespace facet
 *
 * The namespace is pinned by the node's nsproxy for as long as the caller
 * keeps @ts alive.
 *
 * Return: the namespace's common part.
 */
struct ns_common *taskset_ns(const struct taskset *ts,
			     const struct taskset_facet *facet)
{
	return facet->ns_of(ts->nsproxy);
}

static int __init taskset_init(void)
{
	pr_info("taskset: %d facets registered\n", TASKSET_NR_FACETS);
	return 0;
}
core_initcall(taskset_init);
