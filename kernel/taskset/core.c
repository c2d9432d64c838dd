// SPDX-License-Identifier: GPL-2.0
/*
 * Task sets: the root node and the queries tasksetfs makes of a node.
 *
 * The root task set owns a state for every facet: for namespaces, the
 * initial ones, held by init_nsproxy. It is static, so it and what it
 * points to live as long as the kernel and are read without a lock.
 */

#include <linux/bitmap.h>
#include <linux/cache.h>
#include <linux/init.h>
#include <linux/nsproxy.h>
#include <linux/printk.h>
#include <linux/taskset.h>
#include <linux/taskset_proxy.h>

/* Set at boot once the compiled-in facets are found consistent. */
static bool taskset_ready __ro_after_init;

struct taskset taskset_root = {
	.own		= GENMASK(TASKSET_NR_FACETS - 1, 0),
	.nsproxy	= &init_nsproxy,
};

/**
 * taskset_enabled() - did task sets initialise
 *
 * Return: true once the facets have been checked at boot and found valid.
 */
bool taskset_enabled(void)
{
	return taskset_ready;
}

/**
 * taskset_nr_nodes() - how many task set nodes exist
 *
 * Return: the number of nodes; only the root exists so far.
 */
unsigned long taskset_nr_nodes(void)
{
	return 1;
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
	if (!taskset_facets_valid()) {
		/* The facet list or a facet is wrong: a kernel bug. */
		WARN(1, "taskset: invalid facets, task sets disabled\n");
		return -EINVAL;
	}
	taskset_ready = true;
	pr_info("taskset: %d facets registered\n", TASKSET_NR_FACETS);
	return 0;
}
core_initcall(taskset_init);
