// SPDX-License-Identifier: GPL-2.0
/*
 * When a task set empties: whether a node is populated, the events that
 * tell it, and the node's empty action.
 *
 * A node is populated while it or a descendant has a member task, as a
 * cgroup is in cgroup v2. Member counts change without a lock on fork,
 * exit and every other change of a task's proxy (proxy.c); only their
 * changes from and to 0 take taskset_events_lock, which carries the
 * change up the hierarchy: a node whose populated state changes counts
 * in its parent's populated children, and so on up to the first node
 * whose state does not change. The root, always populated, is left out.
 *
 * A change of populated state updates taskset.events and, unless the
 * node's on_empty is "ignore", notifies the file (kernfs_notify(): poll,
 * select and inotify watchers wake up) at most once per NOTIFY_INTERVAL,
 * as cgroup.events does: a change within the interval is notified by a
 * timer at its end. A storm of forks and exits costs a few
 * notifications, and the last state is always notified.
 *
 * A node that empties with on_empty "delete" is removed by a work item,
 * never in the exit path of its last task: the removal takes
 * taskset_mutex and waits for the node's files to be idle. The work
 * removes the node only if, under taskset_mutex, it is still empty,
 * childless, not being entered and set to "delete": a move racing in
 * either counted itself first (the node stays, populated) or finds the
 * node dead (ENOENT). A node is checked again whenever one of those
 * conditions may have changed: when a child goes, when its moves in
 * end, when "delete" is written.
 *
 * Only a node that has been populated since it was made (a member of
 * its own or of a descendant; a node of CLONE_NEWTASKSET from birth) is
 * queued: a node prepared with mkdir, its facets and "delete" waits for
 * the job spawned into it rather than vanishing before the job can
 * enter, and "delete" written after the last member left removes the
 * node at once. Once set, the flag stays, so the work need not check it
 * again. It is read with the populated state, under
 * taskset_events_lock: an emptying either sees "delete" or the writer of
 * "delete" sees the node empty.
 *
 * No user-mode helper is ever started: the file event is the only
 * notification.
 */

#include <linux/jiffies.h>
#include <linux/kernfs.h>
#include <linux/spinlock.h>
#include <linux/taskset.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

/* At most one notification of a node's events per interval: cgroup's. */
#define NOTIFY_INTERVAL	TASKSET_NOTIFY_INTERVAL

/*
 * taskset_events_lock protects the populated state of every node: the
 * changes of @nr_tasks from and to 0, @nr_populated_children,
 * @was_populated, @nr_emptied and @events_notified_at. Taken by fork,
 * exit and moves at such changes only, by readers of taskset.events, by
 * the timer of a late notification and by the checks of the empty
 * action, with interrupts off.
 */
static DEFINE_SPINLOCK(taskset_events_lock);

static bool populated(const struct taskset *ts)
{
	lockdep_assert_held(&taskset_events_lock);
	return atomic_read(&ts->nr_tasks) || ts->nr_populated_children;
}

/* Notify @ts's events now, or at the end of the interval. */
static void notify_events(struct taskset *ts)
{
	unsigned long next = ts->events_notified_at + NOTIFY_INTERVAL;

	lockdep_assert_held(&taskset_events_lock);
	if (time_in_range_open(jiffies, ts->events_notified_at, next)) {
		timer_reduce(&ts->events_timer, next);
		return;
	}
	kernfs_notify(ts->events_kn);
	ts->events_notified_at = jiffies;
}

static void events_timer_fn(struct timer_list *timer)
{
	struct taskset *ts = from_timer(ts, timer, events_timer);
	unsigned long flags;

	spin_lock_irqsave(&taskset_events_lock, flags);
	notify_events(ts);
	spin_unlock_irqrestore(&taskset_events_lock, flags);
}

/*
 * Queue the removal of @ts if it is set to "delete", empty and has been
 * populated: the work checks the rest under taskset_mutex.
 */
static void empty_check(struct taskset *ts)
{
	lockdep_assert_held(&taskset_events_lock);
	if (READ_ONCE(ts->on_empty) != TASKSET_EMPTY_DELETE ||
	    !ts->was_populated || populated(ts))
		return;
	taskset_get(ts);
	if (!queue_work(system_wq, &ts->delete_work))
		taskset_put(ts);	/* queued already: never the last */
}

/* @ts's populated state just changed: count, notify, act. */
static void populated_changed(struct taskset *ts)
{
	bool emptied = !populated(ts);

	if (emptied)
		ts->nr_emptied++;
	else
		ts->was_populated = true;
	if (READ_ONCE(ts->on_empty) != TASKSET_EMPTY_IGNORE)
		notify_events(ts);
	if (emptied)
		empty_check(ts);
}

/*
 * @ts's member count just went from 0 to 1 or back: if that changed its
 * populated state, carry the change up to the first ancestor it does
 * not change.
 */
static void members_changed(struct taskset *ts)
{
	int adj = atomic_read(&ts->nr_tasks) ? 1 : -1;
	bool was;

	lockdep_assert_held(&taskset_events_lock);
	if (ts->nr_populated_children)
		return;
	for (;;) {
		populated_changed(ts);
		ts = ts->parent;
		if (ts == &taskset_root)
			return;
		was = populated(ts);
		ts->nr_populated_children += adj;
		if (populated(ts) == was)
			return;
	}
}

/**
 * taskset_node_join() - count a task that becomes a member of a node
 * @ts: the node, not the root
 *
 * A node that had members already costs one atomic operation.
 *
 * Context: any; does not sleep.
 */
void taskset_node_join(struct taskset *ts)
{
	unsigned long flags;

	if (atomic_add_unless(&ts->nr_tasks, 1, 0))
		return;
	spin_lock_irqsave(&taskset_events_lock, flags);
	if (atomic_inc_return(&ts->nr_tasks) == 1)
		members_changed(ts);
	spin_unlock_irqrestore(&taskset_events_lock, flags);
}

/**
 * taskset_node_leave() - count a task that stops being a member of a node
 * @ts: the node, not the root
 *
 * A node that keeps other members costs one atomic operation.
 *
 * Context: any; does not sleep.
 */
void taskset_node_leave(struct taskset *ts)
{
	unsigned long flags;

	if (!atomic_dec_and_lock_irqsave(&ts->nr_tasks, &taskset_events_lock,
					 flags))
		return;
	members_changed(ts);
	spin_unlock_irqrestore(&taskset_events_lock, flags);
}

static void delete_workfn(struct work_struct *work)
{
	struct taskset *ts = container_of(work, struct taskset, delete_work);

	/* Whatever changed since it was queued, the removal checks again. */
	taskset_node_remove(ts, true);
	taskset_put(ts);
}

/**
 * taskset_empty_check() - remove a node that may be empty, if it is to be
 * @ts: the node; the caller holds a reference or its parent's
 *
 * If @ts is set to be deleted when empty, is empty and has been
 * populated since it was made, queue its removal, which checks the node
 * under taskset_mutex: an empty node without children or moves in
 * flight goes. A node never populated stays.
 *
 * Context: any; does not sleep. Not under taskset_events_lock.
 */
void taskset_empty_check(struct taskset *ts)
{
	unsigned long flags;

	if (ts == &taskset_root ||
	    READ_ONCE(ts->on_empty) != TASKSET_EMPTY_DELETE)
		return;
	spin_lock_irqsave(&taskset_events_lock, flags);
	empty_check(ts);
	spin_unlock_irqrestore(&taskset_events_lock, flags);
}

/**
 * taskset_set_on_empty() - set what happens when a node empties
 * @ts: the node, not the root
 * @action: the action
 *
 * A node set to "delete" while it is empty already, after it had a
 * member, is removed at once, from the work item, if it has no
 * children. A node that never had one waits for its first member to
 * leave.
 *
 * Return: 0, or -ENOENT if the node was removed.
 */
int taskset_set_on_empty(struct taskset *ts, enum taskset_on_empty action)
{
	scoped_guard(mutex, &taskset_mutex) {
		if (ts->dead)
			return -ENOENT;
		/* The removal reads it under taskset_mutex: once set, final. */
		WRITE_ONCE(ts->on_empty, action);
	}
	/*
	 * Whether it is empty is read under taskset_events_lock, which the
	 * last member's exit takes before it reads on_empty: one of the two
	 * sees the other, and the node is queued.
	 */
	taskset_empty_check(ts);
	return 0;
}

/**
 * taskset_read_events() - the populated state of a node
 * @ts: the node, not the root
 * @populated_out: set to whether it or a descendant has a member
 * @emptied: set to how many times it became empty
 */
void taskset_read_events(struct taskset *ts, bool *populated_out,
			 u64 *emptied)
{
	unsigned long flags;

	spin_lock_irqsave(&taskset_events_lock, flags);
	*populated_out = populated(ts);
	*emptied = ts->nr_emptied;
	spin_unlock_irqrestore(&taskset_events_lock, flags);
}

/**
 * taskset_notify_removed() - wake the watchers of a removed node's events
 * @ts: the node, whose directory is gone
 *
 * Once more, whatever its on_empty, so that a poller learns that the node
 * is gone: a poll of the removed file then returns POLLERR.
 */
void taskset_notify_removed(struct taskset *ts)
{
	if (ts->events_kn)
		kernfs_notify(ts->events_kn);
}

/**
 * taskset_empty_init() - set up the empty action of a new node
 * @ts: the node, being created
 *
 * A node made by mkdir ignores its emptying.
 */
void taskset_empty_init(struct taskset *ts)
{
	ts->on_empty = TASKSET_EMPTY_IGNORE;
	/* Never notified: the first notification goes out at once. */
	ts->events_notified_at = jiffies - NOTIFY_INTERVAL;
	timer_setup(&ts->events_timer, events_timer_fn, 0);
	INIT_WORK(&ts->delete_work, delete_workfn);
}

/**
 * taskset_empty_release() - stop the notifications of a node being freed
 * @ts: the node; its delete work is not queued, as it holds a reference
 *
 * Context: may sleep.
 */
void taskset_empty_release(struct taskset *ts)
{
	timer_shutdown_sync(&ts->events_timer);
	kernfs_put(ts->events_kn);
}
