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
 * The writer waits for the threads on its way out of write(2), in a
 * task_work of its own, holding no lock, then the write restarts and
 * returns the result (kernel/taskset/attach.c): the threads it waits for
 * may be asleep on the open file's locks that the write held.
 *
 * Lifetime and locking:
 *  - A struct taskset_move is referenced by its writer and by each
 *    switch queued on a thread; the last put releases the target node,
 *    the opener's credentials and the tasks.
 *  - task->taskset_switch is set, under the target's siglock, while a
 *    switch is queued on the task, and cleared once the switch is over:
 *    by the task itself, or by the writer if the task_work could not be
 *    queued or was taken back. A move is freed after an RCU grace
 *    period: a waiting writer reads the switch queued on itself under
 *    RCU. A fork by a task with a pending switch restarts
 *    (taskset_switch_pending()), so that no thread is created between a
 *    move's look at a thread group and its switches.
 *  - A move counts in its node's @nr_entering from before its first
 *    switch is queued until its release: rmdir and facet changes are
 *    refused meanwhile, so the node's states hold still and no task ends
 *    in a removed node.
 */
#ifndef _LINUX_TASKSET_ATTACH_H
#define _LINUX_TASKSET_ATTACH_H

#include <linux/errno.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/types.h>

struct cgroup_namespace;
struct cred;
struct fs_struct;
struct kernel_clone_args;
struct taskset;
struct taskset_move;
struct taskset_tasks;

/**
 * struct taskset_switch - one thread's part of a move
 * @work: the task_work queued on the thread.
 * @move: the move it belongs to, referenced.
 * @task: the thread, referenced.
 * @cred: the thread's credentials when it was marked, referenced: those
 *	the writer was allowed to move. A thread that has others when it
 *	switches (it ran execve(), or setuid(2)) is not moved.
 * @nsset: setns(2)'s view of the switch: its nsproxy is @states once the
 *	switch is being prepared (NULL before and after), its fs the new
 *	root and cwd in a private fs_struct if the mount namespace changes.
 * @states: the namespaces to switch to, as the install operations leave
 *	them: a reference on each one that differs from @from's.
 * @from: the thread's proxy when it prepared; its own until it switches.
 * @to: the proxy to switch to, referenced: a shared one found in the
 *	hash, or a work proxy (@to_work) that commit publishes.
 * @to_work: @to is a work proxy.
 * @reported: the thread has reported its preparation (or the writer did
 *	for it): a writer gives up on a move whose unreported threads stop.
 * @queued: the task_work is queued: set by the writer, read by the thread
 *	if it waits as a writer itself, to make the switch in place.
 * @tasks_charged: the writer charged the tasks facet for the move: to
 *	@tasks_to, below @tasks_stop, the deepest state on the paths of
 *	both the thread's charge and @tasks_to (kernel/taskset/tasks.c).
 * @tasks_to: the tasks state the thread is charged to once it switches.
 * @tasks_stop: where the charges of the two paths meet.
 *
 * Only the thread itself uses @nsset, @states, @from and @to. The
 * writer sets the tasks facet's fields before the switch is queued.
 */
struct taskset_switch {
	struct callback_head work;
	struct taskset_move *move;
	struct task_struct *task;
	const struct cred *cred;
	struct nsset nsset;
	struct nsproxy states;
	struct nsproxy *from;
	struct nsproxy *to;
	bool to_work;
	bool reported;
	bool queued;
	bool tasks_charged;
	struct taskset_tasks *tasks_to;
	struct taskset_tasks *tasks_stop;
};

#ifdef CONFIG_TASKSET
int taskset_fork_into(struct task_struct *p, struct kernel_clone_args *args);
void taskset_fork_into_cancel(struct kernel_clone_args *args);
void taskset_post_fork_into(struct task_struct *p,
			    struct kernel_clone_args *args);
int taskset_attach(struct taskset *node, struct task_struct *task,
		   bool threadgroup, const struct cred *cred,
		   struct cgroup_namespace *cgroup_ns, const void *file);
bool taskset_attach_restarted(const void *file, int *err);

/**
 * taskset_fork_init() - start a new task without a pending switch
 * @p: the task being created, a copy of its parent
 */
static inline void taskset_fork_init(struct task_struct *p)
{
	p->taskset_switch = NULL;
	p->taskset_moved_file = NULL;
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
static inline int taskset_fork_into(struct task_struct *p,
				    struct kernel_clone_args *args)
{
	return -EINVAL;
}

static inline void taskset_fork_into_cancel(struct kernel_clone_args *args)
{
}

static inline void taskset_post_fork_into(struct task_struct *p,
					  struct kernel_clone_args *args)
{
}

static inline void taskset_fork_init(struct task_struct *p)
{
}

static inline bool taskset_switch_pending(struct task_struct *tsk)
{
	return false;
}
#endif

#ifdef CONFIG_DEBUG_TASKSET
void taskset_debug_move_delay(void);
#else
static inline void taskset_debug_move_delay(void)
{
}
#endif

/* The target's half, kernel/taskset/switch.c. */
int taskset_switch_prepare(struct taskset_switch *sw, struct taskset *node,
			   const struct cred *cred);
void taskset_switch_commit(struct taskset_switch *sw);
void taskset_switch_abort(struct taskset_switch *sw);
int taskset_switch_prepare_child(struct taskset_switch *sw,
				 struct taskset *node, const struct cred *cred,
				 struct fs_struct *fs);
struct nsproxy *taskset_switch_commit_child(struct taskset_switch *sw);
void taskset_switch_abort_child(struct taskset_switch *sw);

#endif /* _LINUX_TASKSET_ATTACH_H */
