// SPDX-License-Identifier: GPL-2.0
/*
 * taskset.stat: counters of the proxy machinery, one "key value" per
 * line:
 *
 *	proxies		proxies that exist (tasks with the same node and
 *			states share one)
 *	nodes		task set nodes
 *	namespaces	namespaces of the facets' types that exist, held by
 *			a task, a node, an nsfs file or a bind mount
 *	hash_hits	state changes that found a proxy to share
 *	hash_misses	state changes that published a new proxy
 *
 * Every value is a counter: reading the file costs the same however many
 * proxies and namespaces there are, and takes no lock.
 */

#include <linux/seq_file.h>
#include <linux/taskset_proxy.h>

#include "tasksetfs.h"

static int stat_show(struct seq_file *sf, void *v)
{
	struct taskset_proxy_stats stats;

	taskset_proxy_read_stats(&stats);
	seq_printf(sf, "proxies %ld\n", stats.proxies);
	seq_printf(sf, "nodes %lu\n", taskset_nr_nodes());
	seq_printf(sf, "namespaces %ld\n", taskset_nr_namespaces());
	seq_printf(sf, "hash_hits %lu\n", stats.hits);
	seq_printf(sf, "hash_misses %lu\n", stats.misses);
	return 0;
}

const struct kernfs_ops tasksetfs_stat_ops = {
	.seq_show	= stat_show,
};
