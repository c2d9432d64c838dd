// SPDX-License-Identifier: GPL-2.0
/*
 * taskset.facets: the facets that own a state in a node, one per line,
 * with the policies the facet declared:
 *
 *	uts kind=namespace enter=self create=mkdir,clone on_empty=delete
 *
 * The root owns a state of every registered facet, so its file lists
 * them all.
 */

#include <linux/seq_file.h>
#include <linux/taskset.h>

#include "tasksetfs.h"

static const char *const enter_names[] = {
	[TASKSET_ENTER_NEVER]	= "never",
	[TASKSET_ENTER_SELF]	= "self",
	[TASKSET_ENTER_ANY]	= "any",
};

static const char *const on_empty_names[] = {
	[TASKSET_EMPTY_IGNORE]	= "ignore",
	[TASKSET_EMPTY_NOTIFY]	= "notify",
	[TASKSET_EMPTY_DELETE]	= "delete",
};

static const char *create_names(unsigned int create)
{
	switch (create) {
	case TASKSET_CREATE_MKDIR:
		return "mkdir";
	case TASKSET_CREATE_CLONE:
		return "clone";
	default:
		return "mkdir,clone";
	}
}

static void facet_show(struct seq_file *sf, const struct taskset_facet *facet)
{
	seq_printf(sf, "%s kind=%s enter=%s create=%s on_empty=%s\n",
		   facet->name,
		   taskset_facet_is_ns(facet) ? "namespace" : "resource",
		   enter_names[facet->enter], create_names(facet->create),
		   on_empty_names[facet->empty_default]);
}

static int facets_show(struct seq_file *sf, void *v)
{
	struct taskset *ts = tasksetfs_of_node(sf->private);
	const struct taskset_facet *facet;
	int id;

	for_each_taskset_facet(facet, id)
		if (taskset_owns(ts, facet))
			facet_show(sf, facet);
	return 0;
}

const struct kernfs_ops tasksetfs_facets_ops = {
	.seq_show	= facets_show,
};
