// SPDX-License-Identifier: GPL-2.0
/*
 * Bounds on a node's subtree, on every node, as cgroup's
 * cgroup.max.depth and cgroup.max.descendants:
 *
 *	taskset.max.depth	how many levels of descendants the node may
 *				have below it
 *	taskset.max.descendants	how many descendants it may have
 *
 * Each reads and takes "max" (the default) or a number, as every limit
 * file does (tasksetfs_parse_limit()). A node made past the bounds of
 * any ancestor, by mkdir(2) or by CLONE_NEWTASKSET, is refused with
 * EAGAIN (kernel/taskset/node.c); lowering a bound below what exists
 * removes nothing.
 */

#include <linux/limits.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/taskset.h>

#include "tasksetfs.h"

static void show_bound(struct seq_file *sf, int bound)
{
	if (bound == INT_MAX)
		seq_puts(sf, "max\n");
	else
		seq_printf(sf, "%d\n", bound);
}

/* Set the bound at @bound of @of's node to what @buf says. */
static ssize_t write_bound(struct kernfs_open_file *of, char *buf,
			   size_t nbytes, int *bound)
{
	struct taskset *ts = tasksetfs_of_node(of);
	long value;
	int ret;

	ret = tasksetfs_check_write(of, buf, nbytes);
	if (!ret)
		ret = tasksetfs_parse_limit(buf, INT_MAX, &value);
	if (ret)
		return ret;
	guard(mutex)(&taskset_mutex);
	if (ts->dead)
		return -ENOENT;
	WRITE_ONCE(*bound, value);
	return nbytes;
}

static int depth_show(struct seq_file *sf, void *v)
{
	show_bound(sf, READ_ONCE(tasksetfs_of_node(sf->private)->max_depth));
	return 0;
}

static ssize_t depth_write(struct kernfs_open_file *of, char *buf,
			   size_t nbytes, loff_t off)
{
	return write_bound(of, buf, nbytes, &tasksetfs_of_node(of)->max_depth);
}

const struct kernfs_ops tasksetfs_max_depth_ops = {
	.seq_show	= depth_show,
	.write		= depth_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};

static int descendants_show(struct seq_file *sf, void *v)
{
	struct taskset *ts = tasksetfs_of_node(sf->private);

	show_bound(sf, READ_ONCE(ts->max_descendants));
	return 0;
}

static ssize_t descendants_write(struct kernfs_open_file *of, char *buf,
				 size_t nbytes, loff_t off)
{
	return write_bound(of, buf, nbytes,
			   &tasksetfs_of_node(of)->max_descendants);
}

const struct kernfs_ops tasksetfs_max_descendants_ops = {
	.seq_show	= descendants_show,
	.write		= descendants_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};
