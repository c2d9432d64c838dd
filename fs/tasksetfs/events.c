// SPDX-License-Identifier: GPL-2.0
/*
 * When a node empties: taskset.on_empty, taskset.events and taskset.kill,
 * on every node but the root.
 *
 *	taskset.on_empty	"ignore", "notify" or "delete": what happens
 *				when the node empties (kernel/taskset/empty.c)
 *	taskset.events		"populated 0|1" and "emptied N", the number
 *				of times it became empty; poll(2) and inotify
 *				wake on a change of populated, unless the
 *				node ignores it
 *	taskset.kill		write "1": SIGKILL every process of the
 *				subtree (kernel/taskset/kill.c)
 */

#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/taskset.h>

#include "tasksetfs.h"

static const char * const on_empty_names[] = {
	[TASKSET_EMPTY_IGNORE]	= "ignore",
	[TASKSET_EMPTY_NOTIFY]	= "notify",
	[TASKSET_EMPTY_DELETE]	= "delete",
};

static int on_empty_show(struct seq_file *sf, void *v)
{
	struct taskset *ts = tasksetfs_of_node(sf->private);

	seq_printf(sf, "%s\n", on_empty_names[READ_ONCE(ts->on_empty)]);
	return 0;
}

static ssize_t on_empty_write(struct kernfs_open_file *of, char *buf,
			      size_t nbytes, loff_t off)
{
	int ret;

	ret = tasksetfs_check_write(of, buf, nbytes);
	if (ret)
		return ret;
	/* One word, with or without a newline. */
	ret = sysfs_match_string(on_empty_names, buf);
	if (ret < 0)
		return ret;
	ret = taskset_set_on_empty(tasksetfs_of_node(of), ret);
	return ret ?: nbytes;
}

const struct kernfs_ops tasksetfs_on_empty_ops = {
	.seq_show	= on_empty_show,
	.write		= on_empty_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};

static int events_show(struct seq_file *sf, void *v)
{
	struct taskset *ts = tasksetfs_of_node(sf->private);
	bool populated;
	u64 emptied;

	taskset_read_events(ts, &populated, &emptied);
	seq_printf(sf, "populated %d\n", populated);
	seq_printf(sf, "emptied %llu\n", emptied);
	return 0;
}

const struct kernfs_ops tasksetfs_events_ops = {
	.seq_show	= events_show,
};

static ssize_t kill_write(struct kernfs_open_file *of, char *buf,
			  size_t nbytes, loff_t off)
{
	int ret;

	ret = tasksetfs_check_write(of, buf, nbytes);
	if (ret)
		return ret;
	/* "1", or "1\n" as echo writes it: not "01", "+1" or "0x1". */
	if (strcmp(buf, "1") && strcmp(buf, "1\n"))
		return -EINVAL;
	taskset_kill(tasksetfs_of_node(of));
	return nbytes;
}

const struct kernfs_ops tasksetfs_kill_ops = {
	.write		= kill_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};
