// SPDX-License-Identifier: GPL-2.0
/*
 * tasksetfs: the control filesystem of task sets.
 *
 * One kernfs hierarchy mirrors the task set hierarchy; every mount of
 * tasksetfs shows it (mount -t tasksetfs none /sys/fs/taskset). Each
 * node's directory holds the core files below, built from one table.
 * Only the root node exists so far.
 */

#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/init.h>
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/magic.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/taskset.h>
#include <linux/user_namespace.h>

#include "tasksetfs.h"

/* The hierarchy; created at boot, never destroyed once registered. */
static struct kernfs_root *tasksetfs_root __ro_after_init;

static struct tasksetfs_file tasksetfs_core_files[] = {
	{
		.name	= "taskset.procs",
		.mode	= 0444,
		.ops	= &tasksetfs_procs_ops,
	},
	{
		.name	= "taskset.facets",
		.mode	= 0444,
		.ops	= &tasksetfs_facets_ops,
	},
	{
		.name	= "taskset.ns",
		.mode	= 0444,
		.ops	= &tasksetfs_ns_ops,
	},
	{
		.name	= "taskset.namespaces",
		.mode	= 0444,
		.flags	= TASKSETFS_ROOT_ONLY,
		.ops	= &tasksetfs_namespaces_ops,
	},
	{
		.name	= "taskset.stat",
		.mode	= 0444,
		.flags	= TASKSETFS_ROOT_ONLY,
		.ops	= &tasksetfs_stat_ops,
	},
	{ }	/* terminate */
};

static int tasksetfs_add_file(struct taskset *ts, struct tasksetfs_file *file)
{
	struct lock_class_key *key = NULL;
	struct kernfs_node *kn;

	if (IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC))
		key = &file->lockdep_key;
	kn = __kernfs_create_file(ts->kn, file->name, file->mode,
				  GLOBAL_ROOT_UID, GLOBAL_ROOT_GID, 0,
				  file->ops, ts, NULL, key);
	return PTR_ERR_OR_ZERO(kn);
}

/*
 * Create the files of @files that belong in @ts. The directory is not
 * active yet, so on failure the caller removes it with what was added.
 */
static int tasksetfs_add_files(struct taskset *ts,
			       struct tasksetfs_file *files)
{
	struct tasksetfs_file *file;
	int ret;

	for (file = files; file->name; file++) {
		if ((file->flags & TASKSETFS_ROOT_ONLY) && ts->parent)
			continue;
		ret = tasksetfs_add_file(ts, file);
		if (ret)
			return ret;
	}
	return 0;
}

static int tasksetfs_get_tree(struct fs_context *fc)
{
	struct kernfs_fs_context *kfc = fc->fs_private;

	kfc->root = tasksetfs_root;
	return kernfs_get_tree(fc);
}

static void tasksetfs_free_fs_context(struct fs_context *fc)
{
	struct kernfs_fs_context *kfc = fc->fs_private;

	kernfs_free_fs_context(fc);
	kfree(kfc);
}

static const struct fs_context_operations tasksetfs_context_ops = {
	.free		= tasksetfs_free_fs_context,
	.get_tree	= tasksetfs_get_tree,
};

static int tasksetfs_init_fs_context(struct fs_context *fc)
{
	struct kernfs_fs_context *kfc;

	kfc = kzalloc(sizeof(*kfc), GFP_KERNEL);
	if (!kfc)
		return -ENOMEM;
	kfc->magic = TASKSETFS_SUPER_MAGIC;
	fc->fs_private = kfc;
	fc->ops = &tasksetfs_context_ops;
	/* One hierarchy for the whole system, as for cgroup2. */
	put_user_ns(fc->user_ns);
	fc->user_ns = get_user_ns(&init_user_ns);
	fc->global = true;
	return 0;
}

static struct file_system_type tasksetfs_type = {
	.name			= "tasksetfs",
	.init_fs_context	= tasksetfs_init_fs_context,
	.kill_sb		= kernfs_kill_sb,
};

static int __init tasksetfs_create_root(void)
{
	struct kernfs_root *root;
	int ret;

	/*
	 * EXTRA_OPEN_PERM_CHECK: a file without a write method refuses to
	 * be opened for writing even by root, with EACCES, as in cgroup.
	 */
	root = kernfs_create_root(NULL, KERNFS_ROOT_CREATE_DEACTIVATED |
				  KERNFS_ROOT_EXTRA_OPEN_PERM_CHECK,
				  &taskset_root);
	if (IS_ERR(root))
		return PTR_ERR(root);
	taskset_root.kn = kernfs_root_to_node(root);
	ret = tasksetfs_add_files(&taskset_root, tasksetfs_core_files);
	if (ret) {
		taskset_root.kn = NULL;
		kernfs_destroy_root(root);
		return ret;
	}
	kernfs_activate(taskset_root.kn);
	tasksetfs_root = root;
	return 0;
}

static int __init tasksetfs_init(void)
{
	int ret;

	ret = tasksetfs_create_root();
	if (ret)
		goto err;
	ret = sysfs_create_mount_point(fs_kobj, "taskset");
	if (ret)
		goto destroy_root;
	ret = register_filesystem(&tasksetfs_type);
	if (ret)
		goto remove_mount_point;
	return 0;

remove_mount_point:
	sysfs_remove_mount_point(fs_kobj, "taskset");
destroy_root:
	taskset_root.kn = NULL;
	kernfs_destroy_root(tasksetfs_root);
err:
	pr_err("tasksetfs: not registered: %d\n", ret);
	return ret;
}
fs_initcall(tasksetfs_init);
