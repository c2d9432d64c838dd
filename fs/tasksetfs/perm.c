// SPDX-License-Identifier: GPL-2.0
/*
 * Who may change task sets, and see them: every permission check of
 * tasksetfs ("Permissions" in Documentation/taskset.rst).
 *
 * For now, tasksetfs is mounted in the initial user namespace only, and
 * every change of a node (mkdir, rmdir, a write to a control file other
 * than taskset.procs and taskset.threads) needs CAP_SYS_ADMIN there. A
 * write is checked with the credentials of the file's opener, never only
 * the writer's, as cgroup v2 does: a file descriptor handed to a less
 * privileged process must not make it a confused deputy, and one handed
 * down by a privileged opener is a deliberate delegation. The mode of a
 * file is checked by the VFS at open time. A move needs write access to
 * the same file of the common ancestor of the task's node and the
 * destination, as cgroup v2's migration does (tasksetfs_may_move_from());
 * the rest of a move's rules, which concern the task, are the move's
 * (kernel/taskset/attach.c, switch.c). A system call that takes a
 * descriptor (CLONE_INTO_TASKSET) uses its caller's credentials
 * instead, as CLONE_INTO_CGROUP does. Delegating a subtree (its owner
 * allowed to change it, as with cgroup v2's chown) is a change of
 * tasksetfs_may_change() alone.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kernfs.h>
#include <linux/mnt_idmapping.h>
#include <linux/ns_common.h>
#include <linux/proc_ns.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
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

/* May @cred write @ts's file named @name, as open(2) would check it? */
static int may_write_file(const struct cred *cred, struct taskset *ts,
			  const char *name, struct super_block *sb)
{
	const struct cred *saved;
	struct kernfs_node *kn;
	struct inode *inode;
	int err = -ENOENT;

	kn = kernfs_find_and_get(ts->kn, name);
	if (!kn)
		return err;
	inode = kernfs_get_inode(sb, kn);
	kernfs_put(kn);
	if (!inode)
		return -ENOMEM;
	saved = override_creds(cred);
	err = inode_permission(&nop_mnt_idmap, inode, MAY_WRITE);
	revert_creds(saved);
	iput(inode);
	return err;
}

/*
 * The node @task is in: its own, or, for a leader that exited before
 * the other threads of its process (which a move takes), a live
 * thread's. Referenced; NULL if none is left.
 */
static struct taskset *source_node(struct task_struct *task)
{
	struct taskset *node = taskset_task_node_get(task);
	struct task_struct *t;

	if (node || !thread_group_leader(task))
		return node;
	rcu_read_lock();
	for_each_thread(task, t) {
		node = taskset_task_node_get(t);
		if (node)
			break;
	}
	rcu_read_unlock();
	return node;
}

/**
 * tasksetfs_may_move_from() - may a task be moved out of its node
 * @of: the open taskset.procs or taskset.threads of the destination
 * @task: the task
 *
 * Opening the destination's file for writing allowed the task in; its
 * opener must also be allowed to write the same file of the common
 * ancestor of the task's node and the destination, as cgroup v2 asks
 * for write access to the common ancestor's cgroup.procs: a delegatee
 * may not pull tasks out of a subtree it was not given. The task may
 * change nodes after this check, as a task may change cgroups after
 * cgroup's; the move then acts on a task that this opener could name.
 *
 * Return: 0; -ESRCH if @task has exited; -EACCES, or -ENOENT if the
 * common ancestor was removed meanwhile.
 */
int tasksetfs_may_move_from(struct kernfs_open_file *of,
			    struct task_struct *task)
{
	struct taskset *to = tasksetfs_of_node(of), *from, *common;
	int err = 0;

	from = source_node(task);
	if (!from)
		return -ESRCH;
	common = taskset_common_ancestor(from, to);
	if (common != to)
		err = may_write_file(of->file->f_cred, common, of->kn->name,
				     of->file->f_inode->i_sb);
	taskset_put(from);
	return err;
}

/**
 * tasksetfs_ns_visible() - may a namespace be shown to an opener
 * @file: the open file, whose opener's credentials decide
 * @own: the namespaces of the task reading
 * @facet: the namespace's facet
 * @ns: the namespace
 *
 * A namespace's inode and owner are shown only to whoever could have
 * found them in /proc: in one of its own namespaces, or with
 * CAP_SYS_ADMIN over the namespace's owner (as reading another task's
 * /proc/PID/ns needs ptrace access, which that capability gives).
 *
 * Return: true if @ns may be shown.
 */
bool tasksetfs_ns_visible(const struct file *file, const struct nsproxy *own,
			  const struct taskset_facet *facet,
			  struct ns_common *ns)
{
	if (facet->ns_of(own) == ns)
		return true;
	return !security_capable(file->f_cred, ns->ops->owner(ns),
				 CAP_SYS_ADMIN, CAP_OPT_NOAUDIT);
}
