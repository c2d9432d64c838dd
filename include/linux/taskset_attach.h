/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entering a task set node: a writer of taskset.procs or taskset.threads
 * asks, each target thread switches itself.
 *
 * Namespace pointers are read without a lock all over the kernel, on the
 * promise that only their task changes them (include/linux/nsproxy.h).
 * A move therefore queues a switch on each target thread (a task_work
 * with TWA_SIGNAL, which wakes an interruptible sleeper and restarts its
 * system call as a signal would), and the thread switches its own
 * namespaces, with setns(2)'s install operations, when it next returns
 * to user space.
 *
 * A move is all or nothing across its threads, in two phases: each
 * thread prepares its switch (every check, every allocation) and waits;
 * the last one to prepare decides, for all: commit if none failed, abort
 * otherwise. Nothing fails after the decision.
 *
 * Lifetime and locking:
 *  - A struct taskset_move is referenced by its writer and by each
 *    switch queued on a thread; the last put releases the target node,
 *    the opener's credentials and the tasks.
 *  - task->taskset_switch is set, under the target's siglock, while a
 *    switch is queued on the task, and cleared once the switch is over:
 *    by the task itself, or by the writer if the task_work could not be
 *    queued. A fork by a task with a pending switch restarts
 *    (taskset_switch_pending()), so that no thread is created between a
 *    move's look at a thread group and its switches.
 *  - A move counts in its node's @nr_entering from before its first
 *    switch is queued until its release: rmdir and facet changes are
 *    refused meanwhile, so the node's states hold still and no task ends
 *    in a removed node.
 */
#ifndef _LINUX_TASKSET_ATTACH_H
#define _LINUX_TASKSET_ATTACH_H

#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/types.h>

struct cred;
struct taskset;
struct taskset_move;

/**
 * struct taskset_switch - one thread's part of a move
 * @work: the task_work queued on the thread.
 * @move: the move it belongs to, referenced.
 * @task: the thread, referenced.
 * @nsset: the prepared namespaces (a work proxy) and, if the mount
 *	namespace changes, the new root and cwd in a private fs_struct,
 *	as setns(2) prepares them; the thread's own, until it commits.
 */
struct taskset_switch {
	struct callback_head work;
	struct taskset_move *move;
	struct task_struct *task;
	struct nsset nsset;
};

#ifdef CONFIG_TASKSET
int taskset_attach(struct taskset *node, struct task_struct *task,
		   bool threadgroup, const struct cred *cred);

/**
 * taskset_fork_init() - start a new task without a pending switch
 * @p: the task being created, a copy of its parent
 */
static inline void taskset_fork_init(struct task_struct *p)
{
	p->taskset_switch = NULL;
}

/**
 * taskset_switch_pending() - must current switch nodes before it forks
 * @tsk: current, in copy_process() with its siglock held
 *
 * A move sets @tsk's pending switch under the same lock. The caller
 * restarts its fork with -ERESTARTNOINTR; the notification flag makes
 * the return to user space run the switch and restart the system call.
 *
 * Return: true if @tsk has a switch to make first.
 */
static inline bool taskset_switch_pending(struct task_struct *tsk)
{
	if (likely(!READ_ONCE(tsk->taskset_switch)))
		return false;
	set_tsk_thread_flag(tsk, TIF_NOTIFY_SIGNAL);
	return true;
}
#else
static inline void taskset_fork_init(struct task_struct *p)
{
}

static inline bool taskset_switch_pending(struct task_struct *tsk)
{
	return false;
}
#endif

/* The target's half, kernel/taskset/switch.c. */
int taskset_switch_prepare(struct taskset_switch *sw, struct taskset *node,
			   const struct cred *cred);
void taskset_switch_commit(struct taskset_switch *sw);
void taskset_switch_abort(struct taskset_switch *sw);

#endif /* _LINUX_TASKSET_ATTACH_H */
