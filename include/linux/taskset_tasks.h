/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tasks facet: a hierarchical limit on the number of tasks (threads
 * included) of a node's subtree, as cgroup's pids controller has.
 *
 * Every node made by mkdir owns a state, struct taskset_tasks; a node
 * made by clone3()/unshare() inherits its parent's; the root has none,
 * and its tasks are not counted. A task's state is one indexed load
 * from its proxy, proxy->state[tasks_taskset_id].
 *
 * Who is counted where, and the rule that keeps it exact:
 *  - task->taskset_tasks is the state the task is charged to (NULL: not
 *    charged). It is charged once on the whole path from that state up,
 *    and holds a reference on the state's node, so that the states of
 *    the path stay until the charge is dropped. A task is charged from
 *    its fork to its release (a zombie counts, as it holds its pid);
 *    its pointer is written by its parent's fork before the task
 *    exists, by the task itself when it switches nodes, and by whoever
 *    releases it once it is dead: never by two at once.
 *  - A move (enter policy "any") charges the destination at the write,
 *    in the writer's context, before anything moves: a refusal is the
 *    writer's errno and nothing moved. The task then switches in its
 *    own context, and its switch exchanges the charges: it points to
 *    the new state and uncharges its old one. Between the two, the task
 *    counts in both (below their common ancestor, where it counted
 *    once all along): never in none. A switch that does not happen (the
 *    move aborted, the task exited first) gives the destination's charge
 *    back instead. Forks restart while a switch is pending, so no child
 *    is charged against a state its parent is leaving.
 *
 * See Documentation/taskset.rst, "The tasks facet".
 */
#ifndef _LINUX_TASKSET_TASKS_H
#define _LINUX_TASKSET_TASKS_H

#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/sched.h>
#include <linux/taskset.h>
#include <linux/taskset_proxy.h>
#include <linux/timer.h>
#include <linux/types.h>

struct kernfs_node;
struct task_struct;
struct taskset_switch;

/* tasks.max when unlimited: "max". */
#define TASKSET_TASKS_MAX	LONG_MAX

/**
 * struct taskset_tasks - a node's state of the tasks facet
 * @state: the common part of a resource facet's state.
 * @parent: the state of the nearest ancestor that owns one, or NULL.
 *	Referenced through the node's reference on its parent node.
 * @depth: the number of states above it.
 * @current_tasks: tasks charged to it or to a state below it.
 * @max: the limit on @current_tasks; TASKSET_TASKS_MAX for none.
 * @nr_max_events: forks refused because of this state's limit.
 * @events_kn: its tasks.events file, referenced, for notifications;
 *	NULL until tasksetfs has created it.
 * @events_notified_at: jiffies of the last notification of @events_kn:
 *	a refusal within TASKSET_NOTIFY_INTERVAL of it notifies at the end
 *	of the interval instead, from @events_timer. Racing refusals may
 *	each notify: a few more wake-ups, never a lost one.
 * @events_timer: sends the notification that came too soon.
 * @rcu: freed after a grace period: a writer charging a move reads the
 *	state of a thread that may be released meanwhile, under RCU.
 */
struct taskset_tasks {
	struct taskset_state state;
	struct taskset_tasks *parent;
	unsigned int depth;
	atomic_long_t current_tasks;
	long max;
	atomic64_t nr_max_events;
	struct kernfs_node *events_kn;
	unsigned long events_notified_at;
	struct timer_list events_timer;
	struct rcu_head rcu;
};

/* A state pointer is its struct's: NULL stays NULL, without a test. */
static_assert(offsetof(struct taskset_tasks, state) == 0);

#ifdef CONFIG_TASKSET
int __taskset_tasks_can_fork(struct task_struct *p,
			     struct taskset_tasks *tasks);
void __taskset_tasks_uncharge_task(struct task_struct *p);

/**
 * taskset_tasks_of() - the tasks state of a proxy
 * @nsp: the proxy's nsproxy
 *
 * Return: the state, or NULL for the root's tasks, which are not counted.
 */
static inline struct taskset_tasks *taskset_tasks_of(struct nsproxy *nsp)
{
	return (struct taskset_tasks *)
		to_taskset_proxy(nsp)->state[tasks_taskset_id];
}

/**
 * taskset_tasks_can_fork() - charge a task being forked
 * @p: the new task, whose proxy is in place, not yet visible
 *
 * Context: copy_process(), after cgroup_can_fork(); may sleep.
 * Return: 0, or -EAGAIN if a limit on @p's path refuses it.
 */
static inline int taskset_tasks_can_fork(struct task_struct *p)
{
	struct taskset_tasks *tasks = taskset_tasks_of(p->nsproxy);

	if (likely(!tasks))
		return 0;
	return __taskset_tasks_can_fork(p, tasks);
}

/**
 * taskset_tasks_fork_init() - start a new task without a charge
 * @p: the task being created, a copy of its parent
 */
static inline void taskset_tasks_fork_init(struct task_struct *p)
{
	p->taskset_tasks = NULL;
}

/**
 * taskset_tasks_uncharge_task() - drop a task's charge
 * @p: a fork that failed after taskset_tasks_can_fork(), or a dead task
 *	being released
 *
 * Context: may sleep (the charge's node reference may be the last).
 */
static inline void taskset_tasks_uncharge_task(struct task_struct *p)
{
	if (p->taskset_tasks)
		__taskset_tasks_uncharge_task(p);
}

long taskset_tasks_current(const struct taskset_tasks *tasks);
int taskset_tasks_set_max(struct taskset_tasks *tasks, long max);
#else
static inline int taskset_tasks_can_fork(struct task_struct *p)
{
	return 0;
}

static inline void taskset_tasks_fork_init(struct task_struct *p)
{
}

static inline void taskset_tasks_uncharge_task(struct task_struct *p)
{
}
#endif

extern struct taskset_file tasks_taskset_files[];

#endif /* _LINUX_TASKSET_TASKS_H */
