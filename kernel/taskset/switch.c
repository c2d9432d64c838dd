// SPDX-License-Identifier: GPL-2.0
/*
 * The target's half of entering a node: a thread switches its own
 * namespaces to the node's, in its own context, as setns(2) would.
 *
 * Preparing does every check and every allocation, and changes nothing
 * a user can see. The thread must be able to live in each namespace that
 * differs: owned by its own user namespace or an ancestor of it
 * (may_live_in()). It installs each in a copy of the thread's states,
 * with the namespace type's own install operation (setns(2)'s checks,
 * with the credentials of the file's opener as current's) and, if the
 * mount namespace changes, moves root and cwd in a private copy of the
 * thread's fs_struct, as setns(2) does when it enters several namespaces
 * at once; then it takes the shared proxy with those states from the hash, or
 * allocates a work proxy if there is none yet. As with setns(2), a
 * thread whose fs_struct is shared (CLONE_FS, as the threads of a
 * pthread process share theirs) cannot change mount namespace: the
 * install operation refuses it.
 *
 * Committing cannot fail: it installs root and cwd, applies and drops
 * the SysV semaphore undo list of a thread that leaves its IPC namespace
 * (whose semaphores it could not reach any more), switches the vDSO of
 * a task that enters a time namespace, and switches the thread to the
 * proxy (publishing the work proxy, or taking the one that was published
 * meanwhile).
 *
 * See include/linux/taskset_attach.h for the whole move.
 */

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/fs_struct.h>
#include <linux/ipc_namespace.h>
#include <linux/mnt_namespace.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sem.h>
#include <linux/taskset_attach.h>
#include <linux/taskset_proxy.h>
#include <linux/time_namespace.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>

/* The namespace facets whose states differ, as CLONE_NEW* flags. */
static unsigned long changed_ns(const struct nsproxy *from,
				const struct nsproxy *to)
{
	const struct taskset_facet *facet;
	unsigned long flags = 0;
	int id;

	for_each_taskset_facet(facet, id) {
		if (taskset_facet_is_ns(facet) &&
		    taskset_ns_differs(facet, from, to))
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

/* Every namespace field is in put_changed() and fill_work_proxy(). */
static_assert(sizeof(struct nsproxy) ==
	      offsetofend(struct nsproxy, cgroup_ns),
	      "a new nsproxy field must join a switch's references");

static void put_if_changed(struct ns_common *ns, struct ns_common *old)
{
	if (ns != old)
		ns->ops->put(ns);
}

/*
 * Put the reference @states holds on each namespace not @from's; @states
 * is @from's again. The mount namespace's type is private to fs/: its
 * ns_common is reached with from_mnt_ns().
 */
static void put_changed(struct nsproxy *states, const struct nsproxy *from)
{
	put_if_changed(&states->uts_ns->ns, &from->uts_ns->ns);
	put_if_changed(&states->ipc_ns->ns, &from->ipc_ns->ns);
	put_if_changed(from_mnt_ns(states->mnt_ns), from_mnt_ns(from->mnt_ns));
	put_if_changed(&states->pid_ns_for_children->ns,
		       &from->pid_ns_for_children->ns);
	put_if_changed(&states->net_ns->ns, &from->net_ns->ns);
	put_if_changed(&states->time_ns->ns, &from->time_ns->ns);
	put_if_changed(&states->time_ns_for_children->ns,
		       &from->time_ns_for_children->ns);
	put_if_changed(&states->cgroup_ns->ns, &from->cgroup_ns->ns);
	*states = *from;
}

static void get_if_same(struct ns_common *ns, struct ns_common *old)
{
	if (ns == old)
		refcount_inc(&ns->count);
}

/*
 * Move @states into the work proxy @work: @work then holds a reference on
 * every namespace, and @states none. The fields are copied one by one:
 * @work's count must stay 0 until it is published.
 */
static void fill_work_proxy(struct nsproxy *work, struct nsproxy *states,
			    const struct nsproxy *from)
{
	work->uts_ns = states->uts_ns;
	work->ipc_ns = states->ipc_ns;
	work->mnt_ns = states->mnt_ns;
	work->pid_ns_for_children = states->pid_ns_for_children;
	work->net_ns = states->net_ns;
	work->time_ns = states->time_ns;
	work->time_ns_for_children = states->time_ns_for_children;
	work->cgroup_ns = states->cgroup_ns;
	get_if_same(&work->uts_ns->ns, &from->uts_ns->ns);
	get_if_same(&work->ipc_ns->ns, &from->ipc_ns->ns);
	get_if_same(from_mnt_ns(work->mnt_ns), from_mnt_ns(from->mnt_ns));
	get_if_same(&work->pid_ns_for_children->ns,
		    &from->pid_ns_for_children->ns);
	get_if_same(&work->net_ns->ns, &from->net_ns->ns);
	get_if_same(&work->time_ns->ns, &from->time_ns->ns);
	get_if_same(&work->time_ns_for_children->ns,
		    &from->time_ns_for_children->ns);
	get_if_same(&work->cgroup_ns->ns, &from->cgroup_ns->ns);
	/* Nothing is held by @states any more. */
	*states = *from;
}

/*
 * The proxy with @sw's states and @node: a shared one if the hash has
 * it, as it has for any state that a task already switched to; else a
 * work proxy, allocated now so that commit cannot fail.
 */
static int find_target(struct taskset_switch *sw, struct taskset *node)
{
	struct nsproxy *work;

	sw->to = taskset_proxy_find(&sw->states, node);
	if (sw->to)
		return 0;
	work = taskset_proxy_alloc(sw->from);
	if (!work)
		return -ENOMEM;
	/* Borrowed: the move holds the node until its switches are over. */
	taskset_proxy_set_node(to_taskset_proxy(work), node);
	fill_work_proxy(work, &sw->states, sw->from);
	sw->to = work;
	sw->to_work = true;
	return 0;
}

/* Start a switch of current's states to @node's, holding nothing yet. */
static void switch_init(struct taskset_switch *sw, struct taskset *node,
			const struct cred *cred)
{
	struct nsset *nsset = &sw->nsset;

	sw->from = current->nsproxy;
	sw->states = *sw->from;
	nsset->nsproxy = &sw->states;
	nsset->flags = changed_ns(sw->from, node->nsproxy);
	nsset->cred = cred;
}

/*
 * May a task whose credentials are in @user_ns live in the namespaces of
 * @to that @nsset changes? Only if each is owned by @user_ns or by an
 * ancestor of it. setns(2) asks the joining task for CAP_SYS_ADMIN over
 * the namespace's owner; a move is allowed by its opener instead, and
 * must never put a task "down" into a user namespace its credentials
 * are not in, where whoever owns that namespace controls what it sees:
 * a mount namespace there with a tmpfs over /etc, and a setuid program
 * run by the task, is a root exploit.
 *
 * Return: 0, or -EPERM.
 */
static int may_live_in(const struct nsset *nsset, const struct nsproxy *to,
		       const struct user_namespace *user_ns)
{
	const struct taskset_facet *facet;
	struct ns_common *ns;
	int id;

	for_each_taskset_facet(facet, id) {
		if (!taskset_facet_is_ns(facet) ||
		    !(nsset->flags & facet->clone_flag))
			continue;
		ns = facet->ns_of(to);
		if (!in_userns(ns->ops->owner(ns), user_ns))
			return -EPERM;
	}
	return 0;
}

/*
 * Install the namespaces that change, if current, the task that will
 * live in them, may (may_live_in()); the opener's credentials decide
 * the rest.
 */
static int switch_can_attach(struct taskset_switch *sw, struct taskset *node)
{
	const struct cred *cred = sw->nsset.cred;
	const struct cred *saved = NULL;
	int err;

	err = may_live_in(&sw->nsset, node->nsproxy, current_user_ns());
	if (err)
		return err;
	/* The install operations check current's credentials. */
	if (cred != current_cred())
		saved = override_creds(cred);
	err = facets_can_attach(&sw->nsset, node->nsproxy);
	if (saved)
		revert_creds(saved);
	return err;
}

/**
 * taskset_switch_prepare() - check and prepare current's switch to a node
 * @sw: current's part of the move, zeroed
 * @node: the node, whose states do not change while the move is counted
 *	in its @nr_entering
 * @cred: the credentials of the file's opener
 *
 * Context: current is the moving thread; may sleep.
 * Return: 0 with the switch prepared, or the errno of the first check
 * that failed, with nothing prepared and nothing changed: -EPERM if
 * current may not live in a namespace of @node (its owner is not
 * current's user namespace or an ancestor of it).
 */
int taskset_switch_prepare(struct taskset_switch *sw, struct taskset *node,
			   const struct cred *cred)
{
	struct nsset *nsset = &sw->nsset;
	int err = 0;

	switch_init(sw, node, cred);
	if (nsset->flags & CLONE_NEWNS) {
		nsset->fs = copy_fs_struct(current->fs);
		if (!nsset->fs)
			err = -ENOMEM;
	}
	if (!err)
		err = switch_can_attach(sw, node);
	if (!err)
		err = find_target(sw, node);
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
	struct nsproxy *to = sw->to;

	if (nsset->fs) {
		set_fs_root(current->fs, &nsset->fs->root);
		set_fs_pwd(current->fs, &nsset->fs->pwd);
		free_fs_struct(nsset->fs);
		nsset->fs = NULL;
	}
	/*
	 * As setns(2): the thread's semaphore undo list names semaphores
	 * of the IPC namespace it leaves; applied and dropped now, rather
	 * than at exit, where the ids would name those of the new one.
	 */
	if (nsset->flags & CLONE_NEWIPC)
		exit_sem(current);
	if (to->time_ns != sw->from->time_ns)
		timens_commit(current, to->time_ns);
	/* @to holds what @states does: drop those while @from is alive. */
	put_changed(&sw->states, sw->from);
	if (sw->to_work)
		to = taskset_proxy_publish(to);
	switch_task_namespaces(current, to);
	sw->to = NULL;
	nsset->nsproxy = NULL;
}

/**
 * taskset_switch_abort() - give up a switch, prepared or in part
 * @sw: current's part of the move
 *
 * A switch that was committed, or never prepared, has nothing to give up.
 *
 * Context: current is the moving thread; may sleep.
 */
void taskset_switch_abort(struct taskset_switch *sw)
{
	struct nsset *nsset = &sw->nsset;

	if (nsset->fs)
		free_fs_struct(nsset->fs);
	nsset->fs = NULL;
	if (!nsset->nsproxy)
		return;
	if (sw->to_work)
		taskset_proxy_discard(sw->to);
	else if (sw->to)
		put_nsproxy(sw->to);
	sw->to = NULL;
	put_changed(&sw->states, sw->from);
	nsset->nsproxy = NULL;
}

/*
 * A child's time namespace becomes its own when it is forked
 * (timens_on_fork(), which also maps its vDSO data): until then, its
 * states keep its parent's active one, as after unshare(CLONE_NEWTIME),
 * and only the one for children changes.
 */
static void keep_active_time_ns(struct taskset_switch *sw)
{
	struct nsproxy *states = &sw->states;

	if (states->time_ns == sw->from->time_ns)
		return;
	put_time_ns(states->time_ns);
	states->time_ns = sw->from->time_ns;
}

/**
 * taskset_switch_prepare_child() - prepare the states of a child being
 *	cloned into a node
 * @sw: the child's switch, zeroed
 * @node: the node, counted in its @nr_entering until the child is counted
 *	as its member
 * @cred: the caller's credentials
 * @fs: the child's fs_struct, its own: if the mount namespace changes,
 *	its root and cwd move there, as setns(2) moves the caller's
 *
 * As taskset_switch_prepare(), in the context of the parent, which the
 * install operations check; the child is not running yet, so nothing
 * needs to be done in its own context.
 *
 * Context: current is cloning the child; may sleep.
 * Return: 0 with @sw prepared; or the errno of the first check that
 * failed, with nothing prepared, and @fs to be freed with the child.
 */
int taskset_switch_prepare_child(struct taskset_switch *sw,
				 struct taskset *node, const struct cred *cred,
				 struct fs_struct *fs)
{
	int err;

	switch_init(sw, node, cred);
	sw->nsset.fs = fs;
	err = switch_can_attach(sw, node);
	if (!err) {
		keep_active_time_ns(sw);
		err = find_target(sw, node);
	}
	if (err)
		taskset_switch_abort_child(sw);
	return err;
}

/**
 * taskset_switch_commit_child() - the proxy of a child cloned into a node
 * @sw: the child's switch, prepared
 *
 * Context: may sleep; cannot fail.
 * Return: the proxy, with a reference the caller owns.
 */
struct nsproxy *taskset_switch_commit_child(struct taskset_switch *sw)
{
	struct nsproxy *to = sw->to;

	put_changed(&sw->states, sw->from);
	if (sw->to_work)
		to = taskset_proxy_publish(to);
	sw->to = NULL;
	sw->nsset.nsproxy = NULL;
	sw->nsset.fs = NULL;
	return to;
}

/**
 * taskset_switch_abort_child() - give up a child's switch
 * @sw: the child's switch, prepared or in part
 *
 * Its fs_struct is the child's, freed with the child.
 *
 * Context: may sleep.
 */
void taskset_switch_abort_child(struct taskset_switch *sw)
{
	sw->nsset.fs = NULL;
	taskset_switch_abort(sw);
}
