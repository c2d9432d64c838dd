// SPDX-License-Identifier: GPL-2.0
/*
 * taskset.stat: counters of the proxy machinery, one "key value" per
 * line:
 *
 *	proxies		proxies that exist (tasks with the same node and
 *			states share one)
 *	nodes		task set nodes
 *	namespaces	namespace instances that proxies hold
 *	hash_hits	state changes that found a proxy to share
 *	hash_misses	state changes that allocated a proxy after a lookup
 *	hash_fresh	state changes that allocated a proxy without a
 *			lookup, holding a namespace just created
 */

#include <linux/seq_file.h>
#include <linux/taskset_proxy.h>

#include "tasksetfs.h"

static int stat_show(struct seq_file *sf, void *v)
{
	struct taskset_proxy_stats stats;
	long namespaces = tasksetfs_nr_namespaces();

	if (namespaces < 0)
		return namespaces;
	taskset_proxy_read_stats(&stats);
	seq_printf(sf, "proxies %lu\n", stats.proxies);
	seq_printf(sf, "nodes %lu\n", taskset_nr_nodes());
	seq_printf(sf, "namespaces %ld\n", namespaces);
	seq_printf(sf, "hash_hits %lu\n", stats.hits);
	seq_printf(sf, "hash_misses %lu\n", stats.misses);
	seq_printf(sf, "hash_fresh %lu\n", stats.fresh);
	return 0;
}

const struct kernfs_ops tasksetfs_stat_ops = {
	.seq_show	= stat_show,
};
