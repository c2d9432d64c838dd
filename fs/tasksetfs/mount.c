// SPDX-License-Identifier: GPL-2.0
/*
 * tasksetfs: the control filesystem of task sets.
 *
 * One kernfs hierarchy mirrors the task set hierarchy; every mount of
 * tasksetfs shows it (mount -t tasksetfs none /sys/fs/taskset). Each
 * node's directory holds the core files and the files of the facets it
 * owns (files.c); mkdir and rmdir create and remove nodes (dir.c).
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

/**
 * tasksetfs_node_get() - the node of an open directory of tasksetfs
 * @file: the file; opened with O_PATH will do, as for CLONE_INTO_CGROUP
 *
 * A directory may outlive its node: the node clears the directory's
 * pointer to it before it is freed, after an RCU grace period.
 *
 * Return: the node, referenced; ERR_PTR(-EBADF) if @file is not a
 * directory of tasksetfs; ERR_PTR(-ENOENT) if its node is gone.
 */
struct taskset *tasksetfs_node_get(struct file *file)
{
	struct dentry *dentry = file->f_path.dentry;
	struct kernfs_node *kn;
	struct taskset *ts;

	if (!tasksetfs_root ||
	    kernfs_root_from_sb(dentry->d_sb) != tasksetfs_root)
		return ERR_PTR(-EBADF);
	kn = kernfs_node_from_dentry(dentry);
	if (!kn || kernfs_type(kn) != KERNFS_DIR)
		return ERR_PTR(-EBADF);

	rcu_read_lock();
	ts = rcu_dereference(*(struct taskset __rcu __force **)&kn->priv);
	if (ts && !taskset_tryget(ts))
		ts = NULL;
	rcu_read_unlock();
	return ts ?: ERR_PTR(-ENOENT);
}

static int __init tasksetfs_create_root(void)
{
	struct kernfs_root *root;
	int ret;

	/*
	 * EXTRA_OPEN_PERM_CHECK: a file without a write method refuses to
	 * be opened for writing even by root, with EACCES, as in cgroup.
	 */
	root = kernfs_create_root(&tasksetfs_syscall_ops,
				  KERNFS_ROOT_CREATE_DEACTIVATED |
				  KERNFS_ROOT_EXTRA_OPEN_PERM_CHECK,
				  &taskset_root);
	if (IS_ERR(root))
		return PTR_ERR(root);
	taskset_root.kn = kernfs_root_to_node(root);
	ret = tasksetfs_add_node_files(&taskset_root);
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
