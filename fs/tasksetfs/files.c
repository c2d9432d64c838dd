// SPDX-License-Identifier: GPL-2.0
/*
 * The control files of a node: the core table, on every node, and each
 * owned facet's table, "<facet>.<name>", present exactly while the node
 * owns that facet.
 *
 * Files are created deactivated (the hierarchy is
 * KERNFS_ROOT_CREATE_DEACTIVATED): they appear when their creator calls
 * kernfs_activate(), once everything they show is in place.
 */

#include <linux/kernfs.h>
#include <linux/stat.h>
#include <linux/stddef.h>
#include <linux/taskset.h>

#include "tasksetfs.h"

/* "<facet>." + name + NUL, for the longest facet file name. */
#define FACET_FILE_NAME_MAX	64

static struct taskset_file core_files[] = {
	{
		.name	= "taskset.procs",
		.mode	= 0644,
		.ops	= &tasksetfs_procs_ops,
	},
	{
		.name	= "taskset.threads",
		.mode	= 0644,
		.ops	= &tasksetfs_threads_ops,
	},
	{
		.name	= "taskset.facets",
		.mode	= 0644,
		.ops	= &tasksetfs_facets_ops,
	},
	{
		.name	= "taskset.on_empty",
		.mode	= 0644,
		.flags	= TASKSET_FILE_NOT_ROOT,
		.ops	= &tasksetfs_on_empty_ops,
	},
	{
		.name	= "taskset.events",
		.mode	= 0444,
		.flags	= TASKSET_FILE_NOT_ROOT,
		.ops	= &tasksetfs_events_ops,
		.kn_offset = offsetof(struct taskset, events_kn),
	},
	{
		.name	= "taskset.kill",
		.mode	= 0200,
		.flags	= TASKSET_FILE_NOT_ROOT,
		.ops	= &tasksetfs_kill_ops,
	},
	{
		.name	= "taskset.max.depth",
		.mode	= 0644,
		.ops	= &tasksetfs_max_depth_ops,
	},
	{
		.name	= "taskset.max.descendants",
		.mode	= 0644,
		.ops	= &tasksetfs_max_descendants_ops,
	},
	{
		.name	= "taskset.ns",
		.mode	= 0444,
		.ops	= &tasksetfs_ns_ops,
	},
	{
		.name	= "taskset.namespaces",
		.mode	= 0444,
		.flags	= TASKSET_FILE_ROOT_ONLY,
		.ops	= &tasksetfs_namespaces_ops,
	},
	{
		.name	= "taskset.stat",
		.mode	= 0444,
		.flags	= TASKSET_FILE_ROOT_ONLY,
		.ops	= &tasksetfs_stat_ops,
	},
	{ }	/* terminate */
};

/*
 * Create @file on @ts, as @name. Its kn_offset is in @kn_base: the node
 * for a core file, the node's state of the facet for a facet's file.
 */
static int add_file(struct taskset *ts, struct taskset_file *file,
		    const char *name, void *kn_base)
{
	struct lock_class_key *key = NULL;
	struct kernfs_node *kn;

	if (IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC))
		key = &file->lockdep_key;
	kn = __kernfs_create_file(ts->kn, name, file->mode, GLOBAL_ROOT_UID,
				  GLOBAL_ROOT_GID, 0, file->ops, ts, NULL, key);
	if (IS_ERR(kn))
		return PTR_ERR(kn);
	if (file->kn_offset) {
		/* Put by the node's release. */
		kernfs_get(kn);
		*(struct kernfs_node **)((char *)kn_base + file->kn_offset) = kn;
	}
	return 0;
}

/* Does @file belong on @ts? */
static bool file_on_node(const struct taskset_file *file,
			 const struct taskset *ts)
{
	if (file->flags & TASKSET_FILE_ROOT_ONLY)
		return !ts->parent;
	if (file->flags & TASKSET_FILE_NOT_ROOT)
		return ts->parent;
	return true;
}

static int add_core_files(struct taskset *ts)
{
	struct taskset_file *file;
	int ret;

	for (file = core_files; file->name; file++) {
		if (!file_on_node(file, ts))
			continue;
		ret = add_file(ts, file, file->name, ts);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * tasksetfs_add_node_files() - create the files of a new node
 * @ts: the node, whose directory is not active yet
 *
 * The core files, and the files of every facet the node owns. On
 * failure the caller removes the directory with what was added.
 *
 * Return: 0 or an errno.
 */
int tasksetfs_add_node_files(struct taskset *ts)
{
	const struct taskset_facet *facet;
	int id, ret;

	ret = add_core_files(ts);
	if (ret)
		return ret;
	for_each_taskset_facet(facet, id) {
		if (!taskset_owns(ts, facet))
			continue;
		ret = tasksetfs_add_facet_files(ts, facet);
		if (ret)
			return ret;
	}
	return 0;
}

static void facet_file_name(char *buf, const struct taskset_facet *facet,
			    const struct taskset_file *file)
{
	snprintf(buf, FACET_FILE_NAME_MAX, "%s.%s", facet->name, file->name);
}

/**
 * tasksetfs_remove_facet_files() - remove a facet's files from a node
 * @ts: the node
 * @facet: the facet
 *
 * Waits for the operations running on them: once it returns, none of
 * them uses the node's state of @facet any more. Files that were never
 * created are skipped.
 *
 * Context: may sleep.
 */
void tasksetfs_remove_facet_files(struct taskset *ts,
				  const struct taskset_facet *facet)
{
	char name[FACET_FILE_NAME_MAX];
	struct taskset_file *file;

	for (file = facet->files; file && file->name; file++) {
		facet_file_name(name, facet, file);
		kernfs_remove_by_name(ts->kn, name);
	}
}

/**
 * tasksetfs_add_facet_files() - create a facet's files on a node
 * @ts: the node
 * @facet: the facet, whose state the node is about to own
 *
 * The files are not active until the caller activates them. On failure,
 * those created are removed.
 *
 * Return: 0 or an errno.
 */
int tasksetfs_add_facet_files(struct taskset *ts,
			      const struct taskset_facet *facet)
{
	char name[FACET_FILE_NAME_MAX];
	struct taskset_file *file;
	int ret;

	for (file = facet->files; file && file->name; file++) {
		if (!file_on_node(file, ts))
			continue;
		facet_file_name(name, facet, file);
		ret = add_file(ts, file, name, ts->states[facet->id]);
		if (ret) {
			tasksetfs_remove_facet_files(ts, facet);
			return ret;
		}
	}
	return 0;
}
