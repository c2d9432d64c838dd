// SPDX-License-Identifier: GPL-2.0
/*
 * The target's half of entering a node: a thread switches its own
 * namespaces to the node's, in its own context, as setns(2) would.
 *
 * Preparing does every check and every allocation, and changes nothing
 * a user can see (but what setns(2)'s install operations change: entering
 * an IPC namespace detaches the thread's SysV semaphore undo list, whose
 * semaphores it could not reach any more). It copies the thread's
 * namespaces into a work proxy of the node, installs each namespace that
 * differs with the namespace type's own install operation (setns(2)'s
 * checks, with the credentials of the file's opener as current's) and,
 * if the mount namespace changes, moves root and cwd in a private copy of
 * the thread's fs_struct, as setns(2) does when it enters several
 * namespaces at once. As with setns(2), a thread whose fs_struct is
 * shared (CLONE_FS, as the threads of a pthread process share theirs)
 * cannot change mount namespace: the install operation refuses it.
 * Committing cannot fail: it installs root and cwd, switches the vDSO
 * of a task that enters a time namespace, and exchanges the work proxy
 * for the shared one.
 *
 * See include/linux/taskset_attach.h for the whole move.
 */

#include <linux/cred.h>
#include <linux/fs_struct.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/taskset_attach.h>
#include <linux/taskset_proxy.h>
#include <linux/time_namespace.h>

/* The namespace facets whose states differ, as CLONE_NEW* flags. */
static unsigned long changed_ns(const struct nsproxy *from,
				const struct nsproxy *to)
{
	const struct taskset_facet *facet;
	unsigned long flags = 0;
	int id;

	for_each_taskset_facet(facet, id) {
		if (taskset_facet_is_ns(facet) &&
		    facet->ns_of(from) != facet->ns_of(to))
			flags |= facet->clone_flag;
	}
	return flags;
}

/* Ask each facet that changes; the opener's credentials are current's. */
static int facets_can_attach(struct nsset *nsset, const struct nsproxy *to)
{
	const struct taskset_facet *facet;
	int id, err;

	for_each_taskset_facet(facet, id) {
		if (!facet->can_attach || !(nsset->flags & facet->clone_flag))
			continue;
		err = facet->can_attach(nsset, to);
		if (err)
			return err;
	}
	return 0;
}

/**
 * taskset_switch_prepare() - check and prepare current's switch to a node
 * @sw: current's part of the move; its @nsset is zeroed
 * @node: the node, whose states do not change while the move is counted
 *	in its @nr_entering
 * @cred: the credentials of the file's opener
 *
 * Context: current is the moving thread; may sleep.
 * Return: 0 with the switch prepared, or the errno of the first check
 * that failed, with nothing prepared and nothing changed.
 */
int taskset_switch_prepare(struct taskset_switch *sw, struct taskset *node,
			   const struct cred *cred)
{
	const struct nsproxy *to = node->nsproxy;
	struct nsset *nsset = &sw->nsset;
	const struct cred *saved;
	struct nsproxy *work;
	int err;

	nsset->flags = changed_ns(current->nsproxy, to);
	nsset->cred = cred;
	if (nsset->flags & CLONE_NEWNS) {
		nsset->fs = copy_fs_struct(current->fs);
		if (!nsset->fs)
			return -ENOMEM;
	}
	work = taskset_create_namespaces(0, current_user_ns());
	if (IS_ERR(work)) {
		taskset_switch_abort(sw);
		return PTR_ERR(work);
	}
	/* Borrowed: the move holds the node until its switches are over. */
	to_taskset_proxy(work)->node = node;
	nsset->nsproxy = work;

	saved = override_creds(cred);
	err = facets_can_attach(nsset, to);
	revert_creds(saved);
	if (err)
		taskset_switch_abort(sw);
	return err;
}

/**
 * taskset_switch_commit() - make a prepared switch
 * @sw: current's part of the move, prepared
 *
 * Context: current is the moving thread; may sleep; cannot fail.
 */
void taskset_switch_commit(struct taskset_switch *sw)
{
	struct nsset *nsset = &sw->nsset;
	struct nsproxy *work = nsset->nsproxy;

	if (nsset->fs) {
		set_fs_root(current->fs, &nsset->fs->root);
		set_fs_pwd(current->fs, &nsset->fs->pwd);
		free_fs_struct(nsset->fs);
		nsset->fs = NULL;
	}
	if (work->time_ns != current->nsproxy->time_ns)
		timens_commit(current, work->time_ns);
	switch_task_namespaces(current, taskset_proxy_share(work));
	nsset->nsproxy = NULL;
}

/**
 * taskset_switch_abort() - give up a switch, prepared or in part
 * @sw: current's part of the move
 *
 * Context: may sleep.
 */
void taskset_switch_abort(struct taskset_switch *sw)
{
	struct nsset *nsset = &sw->nsset;

	if (nsset->fs)
		free_fs_struct(nsset->fs);
	nsset->fs = NULL;
	if (nsset->nsproxy)
		taskset_proxy_discard(nsset->nsproxy);
	nsset->nsproxy = NULL;
}
