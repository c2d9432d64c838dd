// SPDX-License-Identifier: GPL-2.0
/*
 * Spawning straight into a node: clone3() with CLONE_INTO_TASKSET.
 *
 * The child starts as a member of the node whose tasksetfs directory the
 * caller gives as a file descriptor (clone_args.taskset), with the node's
 * states in place before its first instruction: what a runtime does today
 * with fork, setns(2) and a write of cgroup.procs, in one step. A pid
 * namespace the node has becomes the child's own, so that the first
 * child is its init; a mount namespace sets the child's root and cwd to
 * its root, as setns(2) would; a time namespace becomes the child's when
 * it is forked, as after unshare(CLONE_NEWTIME).
 *
 * It is the atomic form of writing the child's pid to the node's
 * taskset.procs, so it is allowed as that write is, but with the
 * caller's credentials, as CLONE_INTO_CGROUP uses them: a descriptor
 * given to a system call carries no authority (it may be an O_PATH one,
 * which opens nothing; one that a privileged opener leaked, as in runc's
 * CVE-2024-21626, must not let a container spawn into the host's
 * namespaces). The caller's credentials decide every namespace type's
 * setns(2) check, made in the parent's context, and the child, whose
 * credentials are the caller's, must be able to live in the node's
 * namespaces (kernel/taskset/switch.c).
 *
 * The parent prepares the child's states as the target of a move
 * prepares its switch (kernel/taskset/switch.c); the child is not running
 * yet, so no switch is needed. The node counts as being entered until the
 * child is counted as its member: its states hold still, and it cannot
 * be removed in between (ENOENT once it was). Nothing is left to undo if
 * the clone fails later: the child's proxy and fs_struct go with it.
 * Only the node's taskset_mutex, briefly, and for a proxy never seen
 * before, taskset_proxy_lock, are taken: no lock a plain fork takes.
 *
 * A child of a node bound to a cgroup (the cgroup2 facet) starts in that
 * cgroup, as with CLONE_INTO_CGROUP: the cgroup is checked here, with the
 * caller's credentials as a write of cgroup.procs would be,
 * and handed, referenced, to cgroup_can_fork() in
 * kernel_clone_args.into_cgrp, which makes the child's css_set from it:
 * no second lookup. CLONE_INTO_CGROUP with such a node is EINVAL.
 *
 * The child is refused what the flags of the clone would share with a
 * parent in other states: CLONE_FS if the mount namespace changes (the
 * install operation refuses it, as setns(2) for a thread sharing its
 * fs_struct), CLONE_SYSVSEM if the IPC namespace changes (as with
 * CLONE_NEWIPC), and CLONE_THREAD: a thread starts in its process's node
 * (taskset.threads moves it later).
 */

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/taskset.h>
#include <linux/taskset_attach.h>
#include <linux/taskset_cgroup2.h>
#include <linux/taskset_proxy.h>

/* Clone flags that share with the parent what the node may change. */
static int check_shared(const struct taskset_switch *sw, u64 clone_flags)
{
	if ((sw->nsset.flags & CLONE_NEWIPC) && (clone_flags & CLONE_SYSVSEM))
		return -EINVAL;
	return 0;
}

/*
 * Give @p, a child being cloned, the states of @node: its proxy, then
 * the namespaces its own clone flags ask for, made from those.
 */
static int enter_child(struct task_struct *p, struct kernel_clone_args *args,
		       struct taskset *node, const struct cred *cred)
{
	struct taskset_switch sw = {};
	struct nsproxy *to;
	int err;

	err = taskset_switch_prepare_child(&sw, node, cred, p->fs);
	if (err)
		return err;
	err = check_shared(&sw, args->flags);
	if (err) {
		taskset_switch_abort_child(&sw);
		return err;
	}
	to = taskset_switch_commit_child(&sw);
	/* copy_namespaces() starts from the child's proxy, then takes it. */
	p->nsproxy = to;
	err = copy_namespaces(args->flags, p);
	if (err)
		p->nsproxy = current->nsproxy;
	put_nsproxy(to);
	return err;
}

#ifdef CONFIG_CGROUPS
/*
 * The cgroup @node is bound to, if any, for cgroup_can_fork() to start
 * the child in.
 */
static int enter_cgroup(struct kernel_clone_args *args, struct taskset *node,
			const struct cred *cred)
{
	struct cgroup *cgrp = taskset_cgroup2_of(node);
	int err;

	if (!cgrp)
		return 0;
	if (args->flags & CLONE_INTO_CGROUP)
		return -EINVAL;
	err = cgroup_bridge_may_fork_into(cgrp, cred);
	if (err)
		return err;
	cgroup_get(cgrp);
	args->into_cgrp = cgrp;
	return 0;
}

/**
 * taskset_fork_into_cancel() - a CLONE_INTO_TASKSET fails before cgroup
 * @args: the clone's arguments, as taskset_fork_into() left them
 *
 * Drops the cgroup the child was to start in, if cgroup_can_fork() did
 * not take it.
 *
 * Context: copy_process(), in the parent.
 */
void taskset_fork_into_cancel(struct kernel_clone_args *args)
{
	if (args->into_cgrp) {
		cgroup_put(args->into_cgrp);
		args->into_cgrp = NULL;
	}
}
#else
static int enter_cgroup(struct kernel_clone_args *args, struct taskset *node,
			const struct cred *cred)
{
	return 0;
}

void taskset_fork_into_cancel(struct kernel_clone_args *args)
{
}
#endif

/**
 * taskset_fork_into() - a child of clone3() starts inside a node
 * @p: the child, being copied: its fs_struct is made, its namespaces not
 * @args: the clone's arguments; @args->taskset is the node's directory
 *
 * In place of copy_namespaces(), which it calls with the node's states
 * as the ones to copy, so that CLONE_NEW* flags make namespaces inside
 * the node (and CLONE_NEWTASKSET a child of it).
 *
 * Context: copy_process(), in the parent; may sleep.
 * Return: 0; -EBADF if @args->taskset is no directory of tasksetfs;
 * -ENOENT if the node was removed; -EPERM if the caller may not enter
 * it, or its child may not live in the node's namespaces; -EINVAL for
 * CLONE_THREAD, or for CLONE_FS or CLONE_SYSVSEM with a node whose mount
 * or IPC namespace differs, or for
 * CLONE_INTO_CGROUP with a node bound to a cgroup; or the errno of the
 * namespace type, the cgroup check or the allocation that failed.
 */
int taskset_fork_into(struct task_struct *p, struct kernel_clone_args *args)
{
	const struct cred *cred;
	struct taskset *node;
	int err;

	if (args->flags & CLONE_THREAD)
		return -EINVAL;

	CLASS(fd_raw, f)(args->taskset);
	if (fd_empty(f))
		return -EBADF;
	node = tasksetfs_node_get(fd_file(f));
	if (IS_ERR(node))
		return PTR_ERR(node);
	cred = current_cred();
	err = tasksetfs_may_change(cred, node);
	if (!err)
		err = taskset_node_enter(node);
	if (err)
		goto put;

	args->taskset_kills = taskset_kills_finished(node);
	err = enter_cgroup(args, node, cred);
	if (!err)
		err = enter_child(p, args, node, cred);
	if (err)
		taskset_fork_into_cancel(args);
	/* The child is counted as a member, or will not be. */
	taskset_node_entered(node);
put:
	taskset_put(node);
	return err;
}

/**
 * taskset_post_fork_into() - the child of a CLONE_INTO_TASKSET is linked
 * @p: the child, in the task list, not yet woken
 * @args: the clone's arguments, as taskset_fork_into() left them
 *
 * A taskset.kill of the child's subtree that ran while the child was
 * being made may have missed it: the child is killed, as the kill would
 * have (see kernel/taskset/kill.c).
 *
 * Context: copy_process(), in the parent.
 */
void taskset_post_fork_into(struct task_struct *p,
			    struct kernel_clone_args *args)
{
	/* @p cannot switch before it runs: its node stays. */
	struct taskset *node = to_taskset_proxy(p->nsproxy)->node;

	/* Pairs with the kill's increment: linked, then look. */
	smp_mb();
	if (taskset_kills_started(node) != args->taskset_kills)
		do_send_sig_info(SIGKILL, SEND_SIG_NOINFO, p, PIDTYPE_TGID);
}
