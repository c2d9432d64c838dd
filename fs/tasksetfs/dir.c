// SPDX-License-Identifier: GPL-2.0
/*
 * mkdir and rmdir in tasksetfs: creating and removing task set nodes.
 *
 * mkdir makes a node under the directory's node, inheriting every state
 * of its parent. Any name kernfs accepts will do, but for the names of
 * control files, present or to come: a name starting with "taskset." or
 * "<facet>." is refused with EINVAL, as is one with a newline (which
 * would break the line formats of /proc/PID/taskset).
 *
 * rmdir of a node with children or members fails with EBUSY; the root
 * cannot be removed. A node outlives its directory while something
 * still references it.
 *
 * Locking: mkdir runs with an active reference on the parent's
 * directory, which cannot be removed meanwhile. rmdir breaks the active
 * protection of the directory it removes, since removing a kernfs node
 * waits for its active references; it holds a reference on the node
 * instead, drops taskset_mutex once the node is unlinked, and only then
 * removes the directory, so that readers that take taskset_mutex never
 * deadlock with it.
 */

#include <linux/cred.h>
#include <linux/kernfs.h>
#include <linux/string.h>
#include <linux/taskset.h>

#include "tasksetfs.h"

/* The prefix of the core files' names, before the dot. */
static const char core_prefix[] = "taskset";

/* Could @name be the name of a control file, now or later? */
static bool name_is_reserved(const char *name)
{
	const char *dot = strchr(name, '.');
	size_t len;

	if (!dot)
		return false;
	len = dot - name;
	if (len == strlen(core_prefix) && !memcmp(name, core_prefix, len))
		return true;
	return taskset_facet_by_name(name, len);
}

static int check_name(const char *name)
{
	if (strchr(name, '\n') || name_is_reserved(name))
		return -EINVAL;
	return 0;
}

/* Create @ts's directory under @parent, with its files, not active. */
static struct kernfs_node *create_dir(struct taskset *parent,
				      struct taskset *ts, const char *name,
				      umode_t mode)
{
	struct kernfs_node *kn;
	int ret;

	kn = kernfs_create_dir(parent->kn, name, mode, ts);
	if (IS_ERR(kn))
		return kn;
	ts->kn = kn;
	ret = tasksetfs_add_node_files(ts);
	if (ret) {
		ts->kn = NULL;
		kernfs_remove(kn);
		return ERR_PTR(ret);
	}
	return kn;
}

static int tasksetfs_mkdir(struct kernfs_node *parent_kn, const char *name,
			   umode_t mode)
{
	struct taskset *parent = parent_kn->priv, *ts;
	struct kernfs_node *kn;
	int ret;

	ret = tasksetfs_may_change(current_cred(), parent);
	if (!ret)
		ret = check_name(name);
	if (ret)
		return ret;

	mutex_lock(&taskset_mutex);
	if (parent->dead) {
		ret = -ENOENT;
		goto unlock;
	}
	ts = taskset_node_create(parent);
	if (!ts) {
		ret = -ENOMEM;
		goto unlock;
	}
	kn = create_dir(parent, ts, name, mode);
	if (IS_ERR(kn)) {
		ret = PTR_ERR(kn);
		goto put;
	}
	taskset_node_link(ts, kn);
	kernfs_activate(kn);
	mutex_unlock(&taskset_mutex);
	return 0;

put:
	taskset_put(ts);
unlock:
	mutex_unlock(&taskset_mutex);
	return ret;
}

static int tasksetfs_rmdir(struct kernfs_node *kn)
{
	struct taskset *ts = kn->priv;
	int ret;

	if (!ts->parent)
		return -EBUSY;
	ret = tasksetfs_may_change(current_cred(), ts);
	if (ret)
		return ret;

	/* Our active reference would make kernfs_remove() wait forever. */
	taskset_get(ts);
	kernfs_break_active_protection(kn);
	ret = taskset_node_remove(ts, false);
	kernfs_unbreak_active_protection(kn);
	taskset_put(ts);
	return ret;
}

struct kernfs_syscall_ops tasksetfs_syscall_ops = {
	.mkdir	= tasksetfs_mkdir,
	.rmdir	= tasksetfs_rmdir,
};
