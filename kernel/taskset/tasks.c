// SPDX-License-Identifier: GPL-2.0
/*
 * The tasks facet: a limit on the number of tasks of a node's subtree.
 *
 * A resource facet, the peer of the namespace facets: listed with them in
 * include/linux/taskset_facets.h, with the same policies. Its state is
 * owned by every node made by mkdir (create "mkdir"), inherited by a
 * node made by clone3()/unshare(), and a node that empties is left alone
 * (on_empty "ignore"). A writer may move a task into another state
 * (enter "any"): the charge moves at the write, the task's own pointer
 * when it switches (include/linux/taskset_tasks.h says how, and why a
 * task is never counted twice or lost).
 *
 * The counts are hierarchical, as the pids controller's: a charge adds
 * one to the state and to each state above it, and fails if any of them
 * would go over its limit, so the effective limit is the smallest on
 * the path. Counters are atomics: no lock is taken by fork, exit or a
 * move. A limit lowered below the count refuses new tasks until the
 * count drops under it, and moves nobody out.
 */

#include <linux/atomic.h>
#include <linux/kernfs.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/taskset.h>
#include <linux/taskset_attach.h>
#include <linux/taskset_tasks.h>
#include <linux/timer.h>

static struct taskset_tasks *to_tasks(struct taskset_state *state)
{
	return container_of(state, struct taskset_tasks, state);
}

/* The deepest state above or at both @a and @b; NULL if none is. */
static struct taskset_tasks *common_ancestor(struct taskset_tasks *a,
					     struct taskset_tasks *b)
{
	while (a && b && a != b) {
		if (a->depth >= b->depth)
			a = a->parent;
		else
			b = b->parent;
	}
	return a && b ? a : NULL;
}

/* Uncharge one task from @tasks up to, not including, @stop. */
static void uncharge(struct taskset_tasks *tasks, struct taskset_tasks *stop)
{
	for (; tasks != stop; tasks = tasks->parent)
		WARN_ON_ONCE(atomic_long_dec_return(&tasks->current_tasks) < 0);
}

/*
 * Charge one task from @tasks up to, not including, @stop, unless a
 * limit on the way refuses it: then nothing is charged, and the state
 * whose limit refused it is returned.
 */
static struct taskset_tasks *try_charge(struct taskset_tasks *tasks,
					struct taskset_tasks *stop)
{
	struct taskset_tasks *p, *q;

	for (p = tasks; p != stop; p = p->parent) {
		long new = atomic_long_inc_return(&p->current_tasks);

		if (new > READ_ONCE(p->max))
			goto revert;
	}
	return NULL;

revert:
	for (q = tasks; q != p; q = q->parent)
		atomic_long_dec(&q->current_tasks);
	atomic_long_dec(&p->current_tasks);
	return p;
}

/*
 * Wake the watchers of @tasks' tasks.events, at most once per
 * TASKSET_NOTIFY_INTERVAL: a fork bomb against a limit is refused in a
 * loop, and each refusal would wake them.
 */
static void notify_events(struct taskset_tasks *tasks)
{
	unsigned long last = READ_ONCE(tasks->events_notified_at);
	struct kernfs_node *kn = READ_ONCE(tasks->events_kn);

	if (!kn)
		return;
	if (time_in_range_open(jiffies, last, last + TASKSET_NOTIFY_INTERVAL)) {
		timer_reduce(&tasks->events_timer,
			     last + TASKSET_NOTIFY_INTERVAL);
		return;
	}
	WRITE_ONCE(tasks->events_notified_at, jiffies);
	kernfs_notify(kn);
}

static void events_timer_fn(struct timer_list *timer)
{
	struct taskset_tasks *tasks = from_timer(tasks, timer, events_timer);

	notify_events(tasks);
}

/**
 * __taskset_tasks_can_fork() - charge a task being forked into a state
 * @p: the new task, not yet visible
 * @tasks: the state of its proxy
 *
 * A refusal counts as a "max" event of the state whose limit refused it,
 * and wakes the watchers of its tasks.events (rate-limited).
 *
 * Return: 0 with @p charged, or -EAGAIN.
 */
int __taskset_tasks_can_fork(struct task_struct *p,
			     struct taskset_tasks *tasks)
{
	struct taskset_tasks *over = try_charge(tasks, NULL);

	if (unlikely(over)) {
		atomic64_inc(&over->nr_max_events);
		notify_events(over);
		return -EAGAIN;
	}
	/* The charge holds the node, and so every state on its path. */
	taskset_get(tasks->state.node);
	p->taskset_tasks = tasks;
	return 0;
}

/**
 * __taskset_tasks_uncharge_task() - drop a task's charge
 * @p: a task whose fork failed, or a dead one, being released; charged
 *
 * Context: may sleep.
 */
void __taskset_tasks_uncharge_task(struct task_struct *p)
{
	struct taskset_tasks *tasks = p->taskset_tasks;

	p->taskset_tasks = NULL;
	uncharge(tasks, NULL);
	taskset_put(tasks->state.node);
}

/*
 * The state @t is charged to, its node pinned: a marked thread can still
 * exit and be released, which drops its charge and may free that node
 * and its states (after a grace period, tasks_state_free()). NULL for
 * the root's, which is not counted, or if @t was released.
 */
static struct taskset_tasks *pin_charge_of(struct task_struct *t)
{
	struct taskset_tasks *tasks;

	rcu_read_lock();
	tasks = READ_ONCE(t->taskset_tasks);
	if (tasks && !taskset_tryget(tasks->state.node))
		tasks = NULL;
	rcu_read_unlock();
	return tasks;
}

/**
 * tasks_attach_charge() - charge a thread's move at the write
 * @sw: the thread's switch, marked: its thread neither forks nor
 *	switches until the switch runs, so its charge holds still
 * @node: the node it moves to, counted as being entered
 *
 * Only the part of the destination's path that is not the thread's
 * already is charged: a move within a full subtree is not refused by
 * the subtree's limit. Moves are not "max" events: those count forks.
 *
 * Context: the writer's.
 * Return: 0, with the charge recorded in @sw, or -EAGAIN.
 */
static int tasks_attach_charge(struct taskset_switch *sw, struct taskset *node)
{
	struct taskset_tasks *to = (struct taskset_tasks *)
		node->states[tasks_taskset_id];
	struct taskset_tasks *from = pin_charge_of(sw->task);
	struct taskset_tasks *stop;
	int err = 0;

	if (from == to)
		goto out;
	taskset_debug_move_delay();
	stop = common_ancestor(from, to);
	if (try_charge(to, stop)) {
		err = -EAGAIN;
		goto out;
	}
	if (to)
		taskset_get(to->state.node);
	sw->tasks_to = to;
	sw->tasks_stop = stop;
	sw->tasks_charged = true;
out:
	if (from)
		taskset_put(from->state.node);
	return err;
}

/**
 * tasks_attach_commit() - the thread takes the charge of its move
 * @sw: current's switch, committing
 *
 * The thread now points to the state the writer charged, and gives up
 * the charge of the one it leaves, below their common ancestor.
 *
 * Context: current is the moving thread; may sleep.
 */
static void tasks_attach_commit(struct taskset_switch *sw)
{
	struct taskset_tasks *from = current->taskset_tasks;

	if (!sw->tasks_charged)
		return;
	sw->tasks_charged = false;
	current->taskset_tasks = sw->tasks_to;
	uncharge(from, sw->tasks_stop);
	if (from)
		taskset_put(from->state.node);
}

/**
 * tasks_attach_cancel() - give back the charge of a move not made
 * @sw: a thread's switch that is over without committing
 *
 * Context: may sleep.
 */
static void tasks_attach_cancel(struct taskset_switch *sw)
{
	struct taskset_tasks *to = sw->tasks_to;

	if (!sw->tasks_charged)
		return;
	sw->tasks_charged = false;
	uncharge(to, sw->tasks_stop);
	if (to)
		taskset_put(to->state.node);
}

/**
 * taskset_tasks_current() - the tasks counted in a state's subtree
 * @tasks: the state
 *
 * Return: the count, read without a lock.
 */
long taskset_tasks_current(const struct taskset_tasks *tasks)
{
	return atomic_long_read(&tasks->current_tasks);
}

/**
 * taskset_tasks_set_max() - set a state's limit
 * @tasks: the state
 * @max: the new limit, TASKSET_TASKS_MAX for none
 *
 * It may be below the current count: new tasks are refused until the
 * count is below it again, and no task moves out.
 *
 * Return: 0, or -EINVAL for a negative limit.
 */
int taskset_tasks_set_max(struct taskset_tasks *tasks, long max)
{
	if (max < 0)
		return -EINVAL;
	WRITE_ONCE(tasks->max, max);
	return 0;
}

static struct taskset_state *tasks_state_create(struct taskset *node,
						struct taskset_state *parent,
						const struct cred *cred)
{
	struct taskset_tasks *tasks;

	tasks = kzalloc(sizeof(*tasks), GFP_KERNEL_ACCOUNT);
	if (!tasks)
		return ERR_PTR(-ENOMEM);
	tasks->state.node = node;
	if (parent) {
		tasks->parent = to_tasks(parent);
		tasks->depth = tasks->parent->depth + 1;
	}
	tasks->max = TASKSET_TASKS_MAX;
	tasks->events_notified_at = jiffies - TASKSET_NOTIFY_INTERVAL;
	timer_setup(&tasks->events_timer, events_timer_fn, 0);
	return &tasks->state;
}

static void tasks_state_free(struct taskset_state *state)
{
	struct taskset_tasks *tasks = to_tasks(state);

	WARN_ON_ONCE(atomic_long_read(&tasks->current_tasks));
	/* No fork can refuse against it any more: none rearms the timer. */
	timer_shutdown_sync(&tasks->events_timer);
	kernfs_put(tasks->events_kn);
	/* A writer may be reading it to charge a move (pin_charge_of()). */
	kfree_rcu(tasks, rcu);
}

DEFINE_TASKSET_FACET(tasks, TASKSET_ENTER_ANY, TASKSET_CREATE_MKDIR,
		     TASKSET_EMPTY_IGNORE, 0,
		     .attach_charge = tasks_attach_charge,
		     .attach_commit = tasks_attach_commit,
		     .attach_cancel = tasks_attach_cancel,
		     .state_create = tasks_state_create,
		     .state_free = tasks_state_free,
		     .files = TASKSETFS_FILES(tasks_taskset_files));
