// SPDX-License-Identifier: GPL-2.0
/*
 * mkdir and rmdir in tasksetfs: creating and removing task set nodes.
 *
 * mkdir makes a node under the directory's node, inheriting every state
 * of its parent. Any name kernfs accepts will do, but for the names of
 * control files, present or to come, and of nodes that clone3() and
 * unshare() make: a name starting with "taskset.", "<facet>." or
 * "clone." is refused with EINVAL, as is one with a newline (which
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
/* The prefix of the names of nodes made by clone3() and unshare(). */
static const char clone_prefix[] = "clone";

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
	if (len == strlen(clone_prefix) && !memcmp(name, clone_prefix, len))
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

/**
 * tasksetfs_publish_node() - give a created node its directory, and link it
 * @ts: the node, from taskset_node_create(), with its states in place
 * @name: its name, unique among its parent's children
 * @mode: its directory's mode
 *
 * The directory appears complete, with its files, once the node is in
 * the hierarchy. On failure, the caller puts the node.
 *
 * Context: taskset_mutex held.
 * Return: 0, or an errno (EEXIST for a name taken).
 */
int tasksetfs_publish_node(struct taskset *ts, const char *name,
			   umode_t mode)
{
	struct kernfs_node *kn;

	lockdep_assert_held(&taskset_mutex);
	kn = create_dir(ts->parent, ts, name, mode);
	if (IS_ERR(kn))
		return PTR_ERR(kn);
	taskset_node_link(ts, kn);
	kernfs_activate(kn);
	return 0;
}

static int tasksetfs_mkdir(struct kernfs_node *parent_kn, const char *name,
			   umode_t mode)
{
	struct taskset *parent = parent_kn->priv, *ts;
	int ret;

	ret = tasksetfs_may_change(current_cred(), parent);
	if (!ret)
		ret = check_name(name);
	if (ret)
		return ret;

	guard(mutex)(&taskset_mutex);
	if (parent->dead)
		return -ENOENT;
	ts = taskset_node_create(parent, current_user_ns());
	if (IS_ERR(ts))
		return PTR_ERR(ts);
	ret = taskset_node_own_resources(ts, current_cred());
	if (!ret)
		ret = tasksetfs_publish_node(ts, name, mode);
	if (ret)
		taskset_put(ts);
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
