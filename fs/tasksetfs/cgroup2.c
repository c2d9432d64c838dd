// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup2 facet's files (kernel/taskset/cgroup2.c):
 *
 *	cgroup2.path	on a node that owns its binding ("+cgroup2"): the
 *			bound cgroup's path, as seen from the reader's
 *			cgroup namespace. Writing a path binds that
 *			existing cgroup instead, if the opener may write
 *			its cgroup.procs and the node has no children,
 *			members or moves in flight (EBUSY); a mirror the
 *			node was bound to is removed.
 *	cgroup2.parent	on the root: the cgroup under which mirrors of
 *			nodes without a bound ancestor are made,
 *			"/taskset" by default, made on first use.
 *
 * Paths are absolute paths of the default hierarchy, as in
 * /proc/PID/cgroup, one per write, trailing white space ignored. A path
 * that names no cgroup is ENOENT; garbage is EINVAL.
 */

#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/taskset.h>
#include <linux/taskset_cgroup2.h>

#include "tasksetfs.h"

/* One absolute path, without its trailing white space. */
static int parse_path(char *buf, char **path)
{
	*path = strim(buf);
	if (**path != '/' || strpbrk(*path, " \t\n"))
		return -EINVAL;
	return 0;
}

static int path_show(struct seq_file *sf, void *v)
{
	taskset_cgroup2_show(sf, tasksetfs_of_node(sf->private));
	return 0;
}

/*
 * Binding takes taskset_mutex, under which this file may be removed
 * ("-cgroup2"): the write lets go of its active reference meanwhile,
 * holding the node, as rmdir does, and the binding checks that the node
 * still owns it.
 */
static int bind_path(struct kernfs_open_file *of, const char *path)
{
	struct taskset *ts = taskset_get(tasksetfs_of_node(of));
	int ret;

	kernfs_break_active_protection(of->kn);
	ret = taskset_cgroup2_bind(ts, path, of->file->f_cred);
	kernfs_unbreak_active_protection(of->kn);
	taskset_put(ts);
	return ret;
}

/* A write of one path, given to @apply once checked and parsed. */
static ssize_t write_path(struct kernfs_open_file *of, char *buf,
			  size_t nbytes,
			  int (*apply)(struct kernfs_open_file *of,
				       const char *path))
{
	char *path;
	int ret;

	ret = tasksetfs_check_write(of, buf, nbytes);
	if (!ret)
		ret = parse_path(buf, &path);
	if (!ret)
		ret = apply(of, path);
	return ret ?: nbytes;
}

static ssize_t path_write(struct kernfs_open_file *of, char *buf,
			  size_t nbytes, loff_t off)
{
	return write_path(of, buf, nbytes, bind_path);
}

static int parent_show(struct seq_file *sf, void *v)
{
	taskset_cgroup2_show_parent(sf);
	return 0;
}

static int set_parent(struct kernfs_open_file *of, const char *path)
{
	return taskset_cgroup2_set_parent(path);
}

static ssize_t parent_write(struct kernfs_open_file *of, char *buf,
			    size_t nbytes, loff_t off)
{
	return write_path(of, buf, nbytes, set_parent);
}

static const struct kernfs_ops path_ops = {
	.seq_show	= path_show,
	.write		= path_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};

static const struct kernfs_ops parent_ops = {
	.seq_show	= parent_show,
	.write		= parent_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};

/* Declared in include/linux/taskset_cgroup2.h. */
struct taskset_file cgroup2_taskset_files[] = {
	{
		.name	= "path",
		.mode	= 0644,
		.flags	= TASKSET_FILE_NOT_ROOT,
		.ops	= &path_ops,
	},
	{
		.name	= "parent",
		.mode	= 0644,
		.flags	= TASKSET_FILE_ROOT_ONLY,
		.ops	= &parent_ops,
	},
	{ }	/* terminate */
};
