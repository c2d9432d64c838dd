// SPDX-License-Identifier: GPL-2.0
/*
 * The tasks facet's files, on every node that owns its state (every
 * node made by mkdir; not the root, whose tasks are not counted):
 *
 *	tasks.max	"max" or a number: the limit on the tasks, threads
 *			included, of the node's subtree. Writable; 0 refuses
 *			every new task. A value below tasks.current is
 *			accepted: new tasks are refused until enough exit.
 *	tasks.current	the tasks of the subtree, zombies included, and
 *			tasks being moved in
 *	tasks.events	"max N": forks refused because of this node's
 *			limit; poll(2) and inotify wake on a change
 *
 * Garbage, a negative number and one too large for a long are refused
 * with EINVAL, changing nothing.
 */

#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/taskset.h>
#include <linux/taskset_tasks.h>

#include "tasksetfs.h"

/* The files exist only while the node owns its state: no lock needed. */
static struct taskset_tasks *of_tasks(struct kernfs_open_file *of)
{
	struct taskset *ts = tasksetfs_of_node(of);

	return container_of(ts->states[tasks_taskset_id],
			    struct taskset_tasks, state);
}

static int max_show(struct seq_file *sf, void *v)
{
	long max = READ_ONCE(of_tasks(sf->private)->max);

	if (max == TASKSET_TASKS_MAX)
		seq_puts(sf, "max\n");
	else
		seq_printf(sf, "%ld\n", max);
	return 0;
}

static ssize_t max_write(struct kernfs_open_file *of, char *buf,
			 size_t nbytes, loff_t off)
{
	long max;
	int ret;

	ret = tasksetfs_check_write(of, buf, nbytes);
	if (!ret)
		ret = tasksetfs_parse_limit(buf, TASKSET_TASKS_MAX, &max);
	if (!ret)
		ret = taskset_tasks_set_max(of_tasks(of), max);
	return ret ?: nbytes;
}

static int current_show(struct seq_file *sf, void *v)
{
	seq_printf(sf, "%ld\n", taskset_tasks_current(of_tasks(sf->private)));
	return 0;
}

static int events_show(struct seq_file *sf, void *v)
{
	seq_printf(sf, "max %lld\n",
		   (long long)atomic64_read(&of_tasks(sf->private)->nr_max_events));
	return 0;
}

static const struct kernfs_ops max_ops = {
	.seq_show	= max_show,
	.write		= max_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};

static const struct kernfs_ops current_ops = {
	.seq_show	= current_show,
};

static const struct kernfs_ops events_ops = {
	.seq_show	= events_show,
};

/* The tasks facet's files, declared in include/linux/taskset_tasks.h. */
struct taskset_file tasks_taskset_files[] = {
	{
		.name	= "max",
		.mode	= 0644,
		.flags	= TASKSET_FILE_NOT_ROOT,
		.ops	= &max_ops,
	},
	{
		.name	= "current",
		.mode	= 0444,
		.flags	= TASKSET_FILE_NOT_ROOT,
		.ops	= &current_ops,
	},
	{
		.name	= "events",
		.mode	= 0444,
		.flags	= TASKSET_FILE_NOT_ROOT,
		.ops	= &events_ops,
		.kn_offset = offsetof(struct taskset_tasks, events_kn),
	},
	{ }	/* terminate */
};
