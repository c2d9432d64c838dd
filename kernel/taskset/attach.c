// SPDX-License-Identifier: GPL-2.0
/*
 * Entering a node, the writer's half: who may be moved, by whom, and the
 * queueing of each thread's switch and the wait for them.
 *
 * A writer of taskset.procs or taskset.threads names one task. It is
 * checked (a user task that is alive, that the file's opener may
 * ptrace-attach to), the node is counted as being entered, and a switch
 * is queued on each thread that moves. The writer then waits, killable,
 * until every thread has switched or given up. A writer that moves
 * itself makes its own switch before it waits: its write(2) returns once
 * it is inside.
 *
 * No lock is held while the threads switch, and none that fork takes:
 * a thread with a pending switch restarts its forks (fork.c), which is
 * what keeps a process from gaining a thread that a move missed.
 *
 * See include/linux/taskset_attach.h for the protocol and lifetimes.
 */

#include <linux/bitops.h>
#include <linux/cache.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/init.h>
#include <linux/overflow.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/taskset.h>
#include <linux/taskset_attach.h>
#include <linux/taskset_cgroup2.h>
#include <linux/wait.h>

/* Room for threads created between a count and the look under lock. */
#define MOVE_SLACK	4

enum move_decision {
	MOVE_UNDECIDED,
	MOVE_COMMIT,
	MOVE_ABORT,
};

/**
 * struct taskset_move - one write to taskset.procs or taskset.threads
 * @node: the node entered: referenced, and counted in its @nr_entering.
 * @cred: the opener's credentials, referenced.
 * @threadgroup: the whole process moves (taskset.procs).
 * @cgrp: the cgroup the node is bound to, which the threads enter in the
 *	same move, or NULL: the writer moves them into it, and that
 *	decides the move (decide_with_cgroup()). Not referenced: stable
 *	while the node is being entered.
 * @on_stack: a move of the writer alone, on its stack (see
 *	prepare_move()).
 * @ref: the writer's reference, and one per switch queued.
 * @unprepared: switches that have not reported their preparation yet.
 * @unfinished: switches not over yet.
 * @moved: threads that switched.
 * @error: the errno of the first preparation that failed, or 0.
 * @decision: enum move_decision: set once, by the last switch to report
 *	its preparation (by the writer instead, if @cgrp), or to
 *	MOVE_ABORT by a writer that is killed.
 * @decided_wq: where the threads wait for the decision.
 * @done_wq: where the writer waits for the end, and for the last
 *	preparation if it decides: apart, so that a decision does not
 *	wake, and let run, a writer with more to wait for.
 * @max: room in @sw.
 * @nr: switches in @sw.
 * @sw: one per moving thread.
 */
struct taskset_move {
	struct taskset *node;
	const struct cred *cred;
	bool threadgroup;
	bool on_stack;
	struct cgroup *cgrp;
	refcount_t ref;
	atomic_t unprepared;
	atomic_t unfinished;
	atomic_t moved;
	int error;
	int decision;
	wait_queue_head_t decided_wq;
	wait_queue_head_t done_wq;
	unsigned int max;
	unsigned int nr;
	struct taskset_switch sw[] __counted_by(max);
};

/* Writers waiting for another move's switches on their target to end. */
static DECLARE_WAIT_QUEUE_HEAD(switch_done_wq);

static int move_init(struct taskset_move *move, struct taskset *node,
		     const struct cred *cred, bool threadgroup)
{
	int err = taskset_node_enter(node);

	if (err)
		return err;
	move->node = taskset_get(node);
	move->cred = get_cred(cred);
	move->threadgroup = threadgroup;
	move->cgrp = taskset_cgroup2_of(node);
	refcount_set(&move->ref, 1);
	init_waitqueue_head(&move->decided_wq);
	init_waitqueue_head(&move->done_wq);
	return 0;
}

static struct taskset_move *move_alloc(struct taskset *node,
				       const struct cred *cred,
				       bool threadgroup, unsigned int max)
{
	struct taskset_move *move;
	int err;

	/* Each switch is set up when its thread is marked. */
	move = kvmalloc(struct_size(move, sw, max), GFP_KERNEL);
	if (!move)
		return ERR_PTR(-ENOMEM);
	memset(move, 0, offsetof(struct taskset_move, sw));
	move->max = max;
	err = move_init(move, node, cred, threadgroup);
	if (err) {
		kvfree(move);
		return ERR_PTR(err);
	}
	return move;
}

/* Context: may sleep (the node's last reference may go). */
static void move_put(struct taskset_move *move)
{
	unsigned int i;

	if (!refcount_dec_and_test(&move->ref))
		return;
	for (i = 0; i < move->nr; i++)
		put_task_struct(move->sw[i].task);
	taskset_node_entered(move->node);
	taskset_put(move->node);
	put_cred(move->cred);
	if (!move->on_stack)
		kvfree(move);
}

/* Wake whoever waits on @wq, if anyone does. */
static void move_wake(wait_queue_head_t *wq)
{
	if (wq_has_sleeper(wq))
		wake_up_all(wq);
}

static void move_decide(struct taskset_move *move, int decision)
{
	if (cmpxchg(&move->decision, MOVE_UNDECIDED, decision) ==
	    MOVE_UNDECIDED)
		move_wake(&move->decided_wq);
}

/*
 * A switch reports its preparation; the last one decides for all, or
 * wakes the writer that decides.
 */
static void switch_prepared(struct taskset_move *move, int err)
{
	if (err)
		cmpxchg(&move->error, 0, err);
	if (!atomic_dec_and_test(&move->unprepared))
		return;
	if (move->cgrp)
		move_wake(&move->done_wq);
	else
		move_decide(move, READ_ONCE(move->error) ? MOVE_ABORT :
							   MOVE_COMMIT);
}

/*
 * The facets that charge moves (the tasks facet's count, today): the
 * hooks run three times per thread of every move, which need not look at
 * the others. Set at boot, from the registry.
 */
static unsigned long charging_facets __ro_after_init;

static int __init charging_facets_init(void)
{
	const struct taskset_facet *facet;
	int id;

	for_each_taskset_facet(facet, id) {
		if (facet->attach_charge) {
			WARN_ON(!facet->attach_commit || !facet->attach_cancel);
			__set_bit(id, &charging_facets);
		}
	}
	return 0;
}
core_initcall(charging_facets_init);

/* Give back what facets charged for a switch that did not commit. */
static void cancel_charges(struct taskset_switch *sw)
{
	unsigned int id;

	for_each_set_bit(id, &charging_facets, TASKSET_NR_FACETS)
		taskset_facets[id]->attach_cancel(sw);
}

/* The charges of a committed switch become the thread's. */
static void commit_charges(struct taskset_switch *sw)
{
	unsigned int id;

	for_each_set_bit(id, &charging_facets, TASKSET_NR_FACETS)
		taskset_facets[id]->attach_commit(sw);
}

/*
 * Let each facet whose enter policy is "any" charge the move of every
 * thread, in the writer's context. A refusal leaves the charges taken so
 * far for switch_finished() to give back.
 */
static int charge_move(struct taskset_move *move)
{
	unsigned int i, id;
	int err;

	for (i = 0; i < move->nr; i++) {
		for_each_set_bit(id, &charging_facets, TASKSET_NR_FACETS) {
			err = taskset_facets[id]->attach_charge(&move->sw[i],
								move->node);
			if (err)
				return err;
		}
	}
	return 0;
}

static void switch_finished(struct taskset_switch *sw)
{
	struct taskset_move *move = sw->move;

	cancel_charges(sw);

	/*
	 * Its forks go on from here, in the node it is now in. Release:
	 * the next move that marks it reads the charges it committed.
	 */
	smp_store_release(&sw->task->taskset_switch, NULL);
	move_wake(&switch_done_wq);
	if (atomic_dec_and_test(&move->unfinished))
		move_wake(&move->done_wq);
	move_put(move);
}

static bool move_decided(struct taskset_move *move)
{
	return READ_ONCE(move->decision) != MOVE_UNDECIDED;
}

/*
 * A thread's switch, in its own context: it prepares, then waits for the
 * decision and commits or aborts. A thread that is exiting, or that is
 * killed while it waits for the decision, does not switch: it is about
 * to be no one's member.
 *
 * Return: true if the switch is prepared.
 */
static bool switch_run_prepare(struct taskset_switch *sw)
{
	struct taskset_move *move = sw->move;
	int err = 0;

	if (!(current->flags & PF_EXITING) && !move_decided(move))
		err = taskset_switch_prepare(sw, move->node, move->cred);
	switch_prepared(move, err);
	/* Prepared: nsset.nsproxy is set. */
	return sw->nsset.nsproxy;
}

static void switch_run_finish(struct taskset_switch *sw, bool prepared)
{
	struct taskset_move *move = sw->move;

	if (prepared &&
	    !wait_event_killable(move->decided_wq, move_decided(move)) &&
	    READ_ONCE(move->decision) == MOVE_COMMIT) {
		taskset_switch_commit(sw);
		commit_charges(sw);
		atomic_inc(&move->moved);
	}
	taskset_switch_abort(sw);
	switch_finished(sw);
}

static void switch_run(struct taskset_switch *sw)
{
	switch_run_finish(sw, switch_run_prepare(sw));
}

static void switch_work(struct callback_head *work)
{
	switch_run(container_of(work, struct taskset_switch, work));
}

/* A task the id may not name: errno, or 0. */
static int check_target(struct task_struct *task)
{
	if (task->flags & (PF_KTHREAD | PF_USER_WORKER))
		return -EINVAL;
	if ((task->flags & PF_EXITING) || task->exit_state)
		return -ESRCH;
	return 0;
}

/*
 * Moving a task changes what it sees of the system as much as taking
 * control of it would: the opener must be allowed to ptrace-attach to it,
 * with its real credentials, as for a pidfd's setns(2) but for ATTACH.
 */
static int may_move(struct task_struct *task, const struct cred *cred)
{
	const struct cred *saved = NULL;
	bool allowed;

	/* ptrace_may_access() checks current's credentials. */
	if (cred != current_cred())
		saved = override_creds(cred);
	allowed = ptrace_may_access(task, PTRACE_MODE_ATTACH_REALCREDS);
	if (saved)
		revert_creds(saved);
	return allowed ? 0 : -EPERM;
}

/* Does any thread that would move have a switch queued already? */
static bool switch_queued_on(struct task_struct *task, bool threadgroup)
{
	struct task_struct *t;
	bool queued = false;

	if (!threadgroup)
		return READ_ONCE(task->taskset_switch);
	rcu_read_lock();
	for_each_thread(task, t) {
		if (READ_ONCE(t->taskset_switch)) {
			queued = true;
			break;
		}
	}
	rcu_read_unlock();
	return queued;
}

static bool thread_moves(struct task_struct *t)
{
	/* Workers keep the state they were created with: they are the kernel's. */
	return !(t->flags & (PF_EXITING | PF_USER_WORKER));
}

/*
 * Take the threads that move into @move, under the target's siglock.
 * Return: 0; -ENOSPC if there are more than @move has room for;
 * -EINPROGRESS if one has another move's switch queued; -EBUSY if one
 * is stopped; -ESRCH if none is left.
 */
static int collect_threads(struct taskset_move *move, struct task_struct *task)
{
	struct task_struct *t = task;
	unsigned int n = 0;

	do {
		if (!thread_moves(t))
			continue;
		if (n == move->max)
			return -ENOSPC;
		/* Acquire: pairs with switch_finished(). */
		if (smp_load_acquire(&t->taskset_switch))
			return -EINPROGRESS;
		/*
		 * A stopped thread would not switch until continued, and a
		 * traced one not until its tracer lets it: refuse rather
		 * than leave the writer waiting on them.
		 */
		if (task_is_stopped_or_traced(t) ||
		    (t->jobctl & JOBCTL_STOP_PENDING))
			return -EBUSY;
		move->sw[n++].task = t;
	} while (move->threadgroup && (t = next_thread(t)) != task);
	if (!n)
		return -ESRCH;
	move->nr = n;
	return 0;
}

/*
 * Mark each thread that moves as having a switch pending, under the
 * target's siglock: from then on their forks restart, and no thread can
 * join the process unmarked.
 */
static int mark_threads(struct taskset_move *move, struct task_struct *task)
{
	struct sighand_struct *sighand;
	unsigned long flags;
	unsigned int i;
	int err;

	sighand = lock_task_sighand(task, &flags);
	if (!sighand)
		return -ESRCH;
	err = collect_threads(move, task);
	if (err) {
		move->nr = 0;
		goto unlock;
	}
	atomic_set(&move->unprepared, move->nr);
	atomic_set(&move->unfinished, move->nr);
	for (i = 0; i < move->nr; i++) {
		struct taskset_switch *sw = &move->sw[i];

		get_task_struct(sw->task);
		sw->move = move;
		sw->nsset.nsproxy = NULL;
		sw->nsset.fs = NULL;
		sw->to = NULL;
		sw->to_work = false;
		sw->tasks_charged = false;
		refcount_inc(&move->ref);
		init_task_work(&sw->work, switch_work);
		WRITE_ONCE(sw->task->taskset_switch, sw);
	}
unlock:
	spin_unlock_irqrestore(&sighand->siglock, flags);
	return err;
}

/*
 * Queue the switches of the marked threads; return the writer's own, if
 * it moves. A thread that exited meanwhile gives up its switch.
 */
static struct taskset_switch *queue_switches(struct taskset_move *move)
{
	struct taskset_switch *self = NULL;
	unsigned int i;

	for (i = 0; i < move->nr; i++) {
		struct taskset_switch *sw = &move->sw[i];

		if (sw->task == current) {
			self = sw;
		} else if (task_work_add(sw->task, &sw->work, TWA_SIGNAL)) {
			switch_prepared(move, 0);
			switch_finished(sw);
		}
	}
	return self;
}

/* End every marked switch before it is queued: the move failed. */
static void cancel_switches(struct taskset_move *move, int err)
{
	unsigned int i;

	for (i = 0; i < move->nr; i++) {
		switch_prepared(move, err);
		switch_finished(&move->sw[i]);
	}
}

/* Wait until no other move has a switch queued on the target. */
static int wait_other_move(struct task_struct *task, bool threadgroup)
{
	int err;

	err = wait_event_killable(switch_done_wq,
				  !switch_queued_on(task, threadgroup) ||
				  READ_ONCE(current->taskset_switch));
	if (err)
		return err;
	/* A move of the writer itself: let it switch, then write again. */
	if (taskset_switch_pending(current))
		return -ERESTARTNOINTR;
	return 0;
}

/*
 * Make a move for @task's threads and mark them, retrying as needed. A
 * move of the writer alone (a thread, or a single-threaded process)
 * completes within the write and nothing else references it: it is
 * made in @onstack, if given, rather than allocated.
 */
static struct taskset_move *prepare_move(struct taskset *node,
					 struct task_struct *task,
					 bool threadgroup,
					 const struct cred *cred,
					 struct taskset_move *onstack)
{
	struct taskset_move *move;
	unsigned int max = 1;
	int err;

	for (;;) {
		if (onstack && (!threadgroup || get_nr_threads(task) == 1)) {
			move = onstack;
			onstack = NULL;
			move->on_stack = true;
			err = move_init(move, node, cred, threadgroup);
			if (err)
				return ERR_PTR(err);
		} else {
			if (threadgroup)
				max = get_nr_threads(task) + MOVE_SLACK;
			move = move_alloc(node, cred, threadgroup, max);
			if (IS_ERR(move))
				return move;
		}
		err = mark_threads(move, task);
		if (!err)
			return move;
		move_put(move);
		if (err == -EINPROGRESS)
			err = wait_other_move(task, threadgroup);
		else if (err == -ENOSPC)
			err = 0;
		if (err)
			return ERR_PTR(err);
	}
}

/*
 * A move into a node bound to a cgroup: once every thread has prepared
 * its switch, the writer moves them into the cgroup, in its own context
 * and under cgroup's locks as cgroup requires, with the opener's
 * credentials; that decides the move. If cgroup refuses, or a thread
 * could not prepare, nothing moved in either hierarchy. If cgroup took
 * them, the threads commit their switches, which cannot fail: the cgroup
 * side moves first, and until the last thread has switched another
 * observer may see a thread in its new cgroup and its old node; never
 * once write(2) has returned, which waits for every switch.
 */
static void decide_with_cgroup(struct taskset_move *move,
			       struct task_struct *task)
{
	int err;

	if (wait_event_killable(move->done_wq,
				!atomic_read(&move->unprepared))) {
		move_decide(move, MOVE_ABORT);
		return;
	}
	err = READ_ONCE(move->error);
	if (!err)
		err = cgroup_bridge_attach(move->cgrp, task, move->threadgroup,
					   move->cred);
	if (err)
		cmpxchg(&move->error, 0, err);
	move_decide(move, err ? MOVE_ABORT : MOVE_COMMIT);
}

/*
 * Queue the threads' switches and let the move be decided; the writer
 * makes its own switch, if it moves, here.
 */
static void run_move(struct taskset_move *move, struct task_struct *task)
{
	struct taskset_switch *self = queue_switches(move);
	bool prepared = self && switch_run_prepare(self);

	if (move->cgrp)
		decide_with_cgroup(move, task);
	if (self)
		switch_run_finish(self, prepared);
}

/**
 * taskset_attach() - move a thread or a process into a node
 * @node: the node to enter
 * @task: the thread named by the write, referenced by the caller
 * @threadgroup: move @task's whole process (taskset.procs), not only
 *	@task (taskset.threads)
 * @cred: the credentials of the file's opener
 *
 * All or nothing: every thread prepares its switch (every facet that
 * changes is asked, with @cred), then all switch, or none if one could
 * not. If @node is bound to a cgroup, the threads enter it in the same
 * move, as a write of cgroup.procs (cgroup.threads) by @cred would move
 * them, before they switch; a refusal there moves nothing either.
 * Returns once every thread has switched or given up; if current moves,
 * once it is inside.
 *
 * Context: process context, no lock held; may sleep.
 * Return: 0 if at least one thread switched; -EINVAL for a kernel thread
 * or a worker; -ESRCH for a task that exited; -EPERM if the opener may
 * not move it; -EBUSY for a stopped or traced task; -ENOENT if @node was
 * removed; -EINTR if the writer was killed; -EAGAIN if a limit of the
 * tasks facet on @node's path has no room for the threads; or the errno
 * of the facet or check that refused the move, cgroup's included.
 */
int taskset_attach(struct taskset *node, struct task_struct *task,
		   bool threadgroup, const struct cred *cred)
{
	DEFINE_FLEX(struct taskset_move, onstack, sw, max, 1);
	struct taskset_move *move;
	int err;

	err = check_target(task);
	if (!err)
		err = may_move(task, cred);
	if (err)
		return err;
	/* Moved by someone else first: switch, then write again. */
	if (taskset_switch_pending(current))
		return -ERESTARTNOINTR;
	move = prepare_move(node, task, threadgroup, cred,
			    task == current ? onstack : NULL);
	if (IS_ERR(move))
		return PTR_ERR(move);

	err = charge_move(move);
	if (err)
		cancel_switches(move, err);
	else
		run_move(move, task);
	if (wait_event_killable(move->done_wq,
				!atomic_read(&move->unfinished))) {
		move_decide(move, MOVE_ABORT);
		err = -EINTR;
	} else {
		err = READ_ONCE(move->error);
		if (!err && !atomic_read(&move->moved))
			err = -ESRCH;
	}
	move_put(move);
	return err;
}
