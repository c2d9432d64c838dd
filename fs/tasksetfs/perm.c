// SPDX-License-Identifier: GPL-2.0
/*
 * Who may change task sets: every permission check of tasksetfs.
 *
 * For now, tasksetfs is mounted in the initial user namespace only, and
 * every change (mkdir, rmdir, a write to any control file) needs
 * CAP_SYS_ADMIN there. A write is checked with the credentials of the
 * file's opener, never only the writer's, as cgroup v2 does: a file
 * descriptor handed to a less privileged process must not make it a
 * confused deputy, and one handed down by a privileged opener is a
 * deliberate delegation. The mode of a file is checked by the VFS at
 * open time. Delegating a subtree (its owner allowed to change it, as
 * with cgroup v2's chown) is a change of tasksetfs_may_change() alone.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/security.h>
#include <linux/taskset.h>

#include "tasksetfs.h"

/**
 * tasksetfs_may_change() - may these credentials change a node
 * @cred: the credentials: the opener's for a file, the caller's for
 *	mkdir and rmdir
 * @ts: the node to change, or the parent of the node to create
 *
 * Return: 0, or -EPERM.
 */
int tasksetfs_may_change(const struct cred *cred, const struct taskset *ts)
{
	if (security_capable(cred, &init_user_ns, CAP_SYS_ADMIN, CAP_OPT_NONE))
		return -EPERM;
	return 0;
}

/**
 * tasksetfs_may_write() - may a control file be written through this file
 * @of: the open file
 *
 * Return: 0, or -EPERM if its opener may not change the node.
 */
int tasksetfs_may_write(struct kernfs_open_file *of)
{
	return tasksetfs_may_change(of->file->f_cred, tasksetfs_of_node(of));
}
