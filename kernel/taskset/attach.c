// SPDX-License-Identifier: GPL-2.0
/*
 * Entering a node, the writer's half: who may be moved, by whom, the
 * queueing of each thread's switch and the wait for them.
 *
 * A writer of taskset.procs or taskset.threads names one task. It is
 * checked (a user task that is alive, that the file's opener may
 * ptrace-attach to), the node is counted as being entered, and a switch
 * is queued on each thread that moves. A writer that moves itself alone
 * switches within its write. Any other move is waited for on the
 * writer's way out of write(2), holding nothing: the write returns
 * -ERESTARTNOINTR, a task_work of the writer's waits, killable and
 * freezable, until every thread has switched or given up, and the
 * restarted write returns what the move came to. A thread asleep on the
 * open file's locks, which a write holds, is thus never waited for by
 * that write.
 *
 * Nor does a writer wait for a task that waits for it:
 *  - a move queued on a writer while it waits is made in place: two
 *    writers that move each other both return;
 *  - a thread stopped or traced before it switched would not switch
 *    until continued: the move is refused with EBUSY, whether the stop
 *    came before the write (checked when the threads are marked) or
 *    after (looked for while the writer waits: a stop wakes no one);
 *  - a vfork child may not move the process that waits for it: EDEADLK.
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
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/freezer.h>
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

#ifdef CONFIG_DEBUG_TASKSET
/*
 * Debug knobs in /sys/kernel/debug/taskset/, 0 unless set: pauses of a
 * move where the selftests race it. mark_delay_ms: after the writer
 * looked for a switch pending on itself and counted the threads, before
 * it marks them (two writers can then mark each other, and a process
 * can gain more threads than the move has room for). move_delay_ms: see
 * taskset_debug_move_delay().
 */
static u32 mark_delay_ms;
static u32 move_delay_ms;

static int __init move_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("taskset", NULL);

	debugfs_create_u32("mark_delay_ms", 0600, dir, &mark_delay_ms);
	debugfs_create_u32("move_delay_ms", 0600, dir, &move_delay_ms);
	return 0;
}
late_initcall(move_debugfs_init);

static void debug_delay(u32 *knob)
{
	u32 ms = READ_ONCE(*knob);

	if (ms)
		msleep(ms);
}

/**
 * taskset_debug_move_delay() - pause a move where tests race it
 *
 * The tasks facet calls it as it charges a thread's move, after it read
 * the thread's charge: the writer has marked the thread and not queued
 * its switch yet, so that tests can land a stop, a kill, an rmdir or a
 * fork in that window. Sleeps for move_delay_ms, 0 unless set.
 *
 * Context: the writer's; may sleep.
 */
void taskset_debug_move_delay(void)
{
	debug_delay(&move_delay_ms);
}

static void debug_mark_delay(void)
{
	debug_delay(&mark_delay_ms);
}
#else
static inline void debug_mark_delay(void)
{
}
#endif

/* Room for threads created between a count and the look under lock. */
#define MOVE_SLACK	4

/*
 * How often a waiting writer looks for threads that a stop or a tracer
 * caught before they switched: a stop wakes no one.
 */
#define STALL_CHECK_INTERVAL	(HZ / 10)

enum move_decision {
	MOVE_UNDECIDED,
	MOVE_COMMIT,
	MOVE_ABORT,
};

/**
 * struct taskset_move - one write to taskset.procs or taskset.threads
 * @node: the node entered: referenced, and counted in its @nr_entering.
 * @cred: the opener's credentials, referenced.
 * @task: the thread the write named (a live one of its process, if the
 *	write named a leader that exited), referenced.
 * @threadgroup: the whole process moves (taskset.procs).
 * @on_stack: a move of the writer alone, on its stack (see
 *	prepare_move()).
 * @cgrp: the cgroup the node is bound to, which the threads enter in the
 *	same move, or NULL: the writer moves them into it, and that
 *	decides the move (decide_with_cgroup()). Not referenced: stable
 *	while the node is being entered.
 * @ref: the writer's reference, and one per switch queued.
 * @unprepared: switches that have not reported their preparation yet.
 * @unfinished: switches not over yet.
 * @moved: threads that switched.
 * @error: the errno of the first preparation that failed, or why the
 *	writer gave up, or 0.
 * @decision: enum move_decision: set once, by the last switch to report
 *	its preparation (by the writer instead, if @cgrp), or to
 *	MOVE_ABORT by a writer that gives up.
 * @decided_wq: where the threads wait for the decision.
 * @wait_work: the writer's wait, queued on it for its way out of the
 *	write (move_wait_work()).
 * @file: the file written, which the restarted write names again.
 * @cgroup_ns: the opener's cgroup namespace, referenced: a move into a
 *	bound cgroup is judged from it, as a write of cgroup.procs is
 *	judged from its opener's (CVE-2021-4197), not the writer's.
 * @self: the writer's own switch in @sw, if the writer moves, or NULL.
 * @rcu: a move is freed after a grace period: a writer reads the switch
 *	queued on itself under RCU (run_queued_switch()).
 * @max: room in @sw.
 * @nr: switches in @sw.
 * @sw: one per moving thread.
 */
struct taskset_move {
	struct taskset *node;
	const struct cred *cred;
	struct task_struct *task;
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
	struct callback_head wait_work;
	const void *file;
	struct cgroup_namespace *cgroup_ns;
	struct taskset_switch *self;
	struct rcu_head rcu;
	unsigned int max;
	unsigned int nr;
	struct taskset_switch sw[] __counted_by(max);
};

/*
 * Where writers wait: for their move's switches to prepare and to end,
 * for another move's switches on their target to end, and for a switch
 * that another move queues on themselves.
 */
static DECLARE_WAIT_QUEUE_HEAD(writers_wq);

static int move_init(struct taskset_move *move, struct taskset *node,
		     struct task_struct *task, const struct cred *cred,
		     bool threadgroup)
{
	int err = taskset_node_enter(node);

	if (err)
		return err;
	move->node = taskset_get(node);
	move->cred = get_cred(cred);
	move->task = get_task_struct(task);
	move->threadgroup = threadgroup;
	move->cgrp = taskset_cgroup2_of(node);
	refcount_set(&move->ref, 1);
	init_waitqueue_head(&move->decided_wq);
	return 0;
}

static struct taskset_move *move_alloc(struct taskset *node,
				       struct task_struct *task,
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
	err = move_init(move, node, task, cred, threadgroup);
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
	for (i = 0; i < move->nr; i++) {
		put_cred(move->sw[i].cred);
		put_task_struct(move->sw[i].task);
	}
	taskset_node_entered(move->node);
	taskset_put(move->node);
	put_cred(move->cred);
	put_cgroup_ns(move->cgroup_ns);
	put_task_struct(move->task);
	if (!move->on_stack)
		kvfree_rcu(move, rcu);
}

/* Wake whoever waits on @wq, if anyone does. */
static void move_wake(wait_queue_head_t *wq)
{
	if (wq_has_sleeper(wq))
		wake_up_all(wq);
}

/* The threads wait for the decision; a writer that moves too, as well. */
static void move_decide(struct taskset_move *move, int decision)
{
	if (cmpxchg(&move->decision, MOVE_UNDECIDED, decision) ==
	    MOVE_UNDECIDED) {
		move_wake(&move->decided_wq);
		move_wake(&writers_wq);
	}
}

static bool move_decided(const struct taskset_move *move)
{
	return READ_ONCE(move->decision) != MOVE_UNDECIDED;
}

/*
 * A switch reports its preparation; the last one decides for all, or
 * wakes the writer that decides.
 */
static void switch_prepared(struct taskset_switch *sw, int err)
{
	struct taskset_move *move = sw->move;

	if (err)
		cmpxchg(&move->error, 0, err);
	WRITE_ONCE(sw->reported, true);
	if (!atomic_dec_and_test(&move->unprepared))
		return;
	if (move->cgrp)
		move_wake(&writers_wq);
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
	atomic_dec(&move->unfinished);
	move_wake(&writers_wq);
	move_put(move);
}

/*
 * The writer was allowed to move the thread as it was when marked: the
 * thread must still be that one. Its credentials change with every
 * execve(), and with setuid(2) and the like; the writer's check, made
 * before, may not hold for a setuid program. It cannot be made again
 * here, in the thread's own context, where ptrace_may_access() always
 * allows current. The thread's credentials cannot change under this:
 * only the thread changes them.
 *
 * Return: 0, or -EPERM if the credentials changed.
 */
static int switch_target_unchanged(const struct taskset_switch *sw)
{
	return current_real_cred() == sw->cred ? 0 : -EPERM;
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

	if (!(current->flags & PF_EXITING) && !move_decided(move)) {
		err = switch_target_unchanged(sw);
		if (!err)
			err = taskset_switch_prepare(sw, move->node,
						     move->cred);
	}
	switch_prepared(sw, err);
	/* Prepared: nsset.nsproxy is set. */
	return sw->nsset.nsproxy;
}

/* The thread holds no lock here: it may be frozen while it waits. */
static void switch_run_finish(struct taskset_switch *sw, bool prepared)
{
	struct taskset_move *move = sw->move;

	if (prepared &&
	    !wait_event_state(move->decided_wq, move_decided(move),
			      (TASK_KILLABLE | TASK_FREEZABLE)) &&
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

/*
 * The switch that another move queued on current, or NULL. Until the
 * work is taken back from current's queue, the move may end the switch
 * from its side: it is read under RCU, and then only compared.
 */
static struct taskset_switch *switch_queued_on_current(void)
{
	struct taskset_switch *sw;

	rcu_read_lock();
	sw = READ_ONCE(current->taskset_switch);
	if (sw && !READ_ONCE(sw->queued))
		sw = NULL;
	rcu_read_unlock();
	return sw;
}

/*
 * A switch that another move queued on current while current waits as a
 * writer: made in place, for that move may be waiting for current. Once
 * taken back from the queue, the switch is current's to make. A switch
 * that cannot be taken back is in the batch of task_works that current
 * is running, after the writer's wait (task_work_run() takes the queue
 * whole): the wait must step aside for it.
 *
 * Return: 1 if a switch was made, 0 if none is queued, or -EINPROGRESS
 * if the wait must return and be queued again, behind the switch.
 */
static int run_queued_switch(void)
{
	struct taskset_switch *sw = switch_queued_on_current();

	if (!sw)
		return 0;
	if (!task_work_cancel(current, &sw->work))
		return -EINPROGRESS;
	switch_run(sw);
	return 1;
}

/*
 * A thread that has not prepared its switch and is stopped or traced
 * would not switch until continued.
 *
 * Return: -EBUSY if one is, else 0.
 */
static int move_stalled(const struct taskset_move *move)
{
	unsigned int i;

	for (i = 0; i < move->nr; i++) {
		const struct taskset_switch *sw = &move->sw[i];

		if (!READ_ONCE(sw->reported) &&
		    task_is_stopped_or_traced(sw->task))
			return -EBUSY;
	}
	return 0;
}

/*
 * A kernel thread or an io_uring worker never returns to user space: it
 * waits for its move within the write, where it holds the open file's
 * lock; any other writer waits on its way out, holding nothing.
 */
static bool writer_waits_in_write(void)
{
	return current->flags & (PF_KTHREAD | PF_USER_WORKER);
}

/* A writer's sleep: freezable where it holds nothing. */
static unsigned int writer_sleep_state(void)
{
	if (writer_waits_in_write())
		return TASK_KILLABLE;
	return TASK_KILLABLE | TASK_FREEZABLE;
}

static void writer_sleep(bool (*over)(const void *arg), const void *arg)
{
	struct wait_queue_entry wait;

	init_wait_entry(&wait, 0);
	if (!prepare_to_wait_event(&writers_wq, &wait, writer_sleep_state()) &&
	    !over(arg) && !switch_queued_on_current())
		schedule_timeout(STALL_CHECK_INTERVAL);
	finish_wait(&writers_wq, &wait);
}

/**
 * writer_wait() - wait as a writer until a condition holds
 * @over: the condition
 * @arg: its argument
 * @stalls: a move whose threads the writer gives up on if they stop
 *	before they switch, or NULL
 *
 * Makes in place any switch another move queues on the writer meanwhile.
 *
 * Context: process context; may sleep.
 * Return: 0 once @over holds, -EINTR if the writer is killed, -EBUSY if
 * a thread of @stalls is stopped or traced before it switched, or
 * -EINPROGRESS if a switch queued on the writer must run first, after
 * the task_work that waits (run_queued_switch()).
 */
static int writer_wait(bool (*over)(const void *arg), const void *arg,
		       const struct taskset_move *stalls)
{
	int err;

	for (;;) {
		if (over(arg))
			return 0;
		if (fatal_signal_pending(current))
			return -EINTR;
		err = run_queued_switch();
		if (err < 0)
			return err;
		if (err)
			continue;
		if (stalls) {
			err = move_stalled(stalls);
			if (err)
				return err;
		}
		writer_sleep(over, arg);
	}
}

static bool move_prepared(const void *arg)
{
	const struct taskset_move *move = arg;

	return !atomic_read(&move->unprepared) || move_decided(move);
}

static bool move_over(const void *arg)
{
	const struct taskset_move *move = arg;

	return !atomic_read(&move->unfinished);
}

/*
 * The writer gives up on an undecided move: no thread commits. Switches
 * still queued are taken back and ended here, so that a thread that
 * does not run them soon (stopped, or asleep on what the writer waits
 * for) keeps neither the node counted as entered nor the move.
 */
static void move_abort(struct taskset_move *move, int err)
{
	unsigned int i;

	cmpxchg(&move->error, 0, err);
	move_decide(move, MOVE_ABORT);
	for (i = 0; i < move->nr; i++) {
		struct taskset_switch *sw = &move->sw[i];

		if (!READ_ONCE(sw->reported) && sw->task != current &&
		    task_work_cancel(sw->task, &sw->work)) {
			switch_prepared(sw, 0);
			switch_finished(sw);
		}
	}
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
 * The thread that stands for @task's process: @task, or a live thread of
 * its process if @task is a leader that exited before the others
 * (pthread_exit()), as cgroup.procs takes such a process; the checks
 * are then made on a thread that has its credentials and mm.
 *
 * Return: the thread, referenced.
 */
static struct task_struct *process_thread(struct task_struct *task)
{
	struct task_struct *t, *found = task;

	rcu_read_lock();
	if ((task->flags & PF_EXITING) || task->exit_state) {
		for_each_thread(task, t) {
			if (!(t->flags & PF_EXITING)) {
				found = t;
				break;
			}
		}
	}
	get_task_struct(found);
	rcu_read_unlock();
	return found;
}

/* May @cred ptrace-attach to @task, with its real credentials? */
static bool may_attach_as(struct task_struct *task, const struct cred *cred)
{
	const struct cred *saved;
	bool allowed;

	/* ptrace_may_access() checks current's credentials. */
	saved = override_creds(cred);
	allowed = ptrace_may_access(task, PTRACE_MODE_ATTACH_REALCREDS);
	revert_creds(saved);
	return allowed;
}

/*
 * Moving a task changes what it sees of the system as much as taking
 * control of it would: the opener must be allowed to ptrace-attach to it,
 * with its real credentials, as for a pidfd's setns(2) but for ATTACH;
 * and so must the writer, if it is not the opener: an open file gives
 * the right to change its node, not power over other users' tasks.
 */
static int may_move(struct task_struct *task, const struct cred *cred)
{
	if (!ptrace_may_access(task, PTRACE_MODE_ATTACH_REALCREDS))
		return -EPERM;
	if (cred != current_cred() && !may_attach_as(task, cred))
		return -EPERM;
	return 0;
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
 * Does @t wait for current's vfork() to end, with current's exec or
 * exit? Its vfork parent shares current's mm (vfork()), or is its parent
 * (clone() with CLONE_VFORK alone).
 */
static bool waits_for_vfork_of_current(struct task_struct *t)
{
	if (!current->vfork_done || t == current)
		return false;
	return READ_ONCE(t->mm) == current->mm ||
	       t == rcu_access_pointer(current->real_parent);
}

/*
 * Take the threads that move into @move, under the target's siglock.
 * Return: 0; -ENOSPC if there are more than @move has room for;
 * -EINPROGRESS if one has another move's switch queued; -EBUSY if one
 * is stopped; -EDEADLK if one waits for the writer's vfork(); -ESRCH if
 * none is left.
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
		if (waits_for_vfork_of_current(t))
			return -EDEADLK;
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
		sw->cred = get_task_cred(sw->task);
		sw->move = move;
		sw->nsset.nsproxy = NULL;
		sw->nsset.fs = NULL;
		sw->to = NULL;
		sw->to_work = false;
		sw->reported = false;
		sw->queued = false;
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
 * Queue the switches of the marked threads but the writer's own, which
 * @move->self names if the writer moves. A thread that exited meanwhile
 * gives up its switch. A writer that waits is woken: the switch may be
 * queued on it.
 */
static void queue_switches(struct taskset_move *move)
{
	unsigned int i;

	for (i = 0; i < move->nr; i++) {
		struct taskset_switch *sw = &move->sw[i];

		if (sw->task == current) {
			move->self = sw;
		} else if (task_work_add(sw->task, &sw->work, TWA_SIGNAL)) {
			switch_prepared(sw, 0);
			switch_finished(sw);
		} else {
			WRITE_ONCE(sw->queued, true);
		}
	}
	move_wake(&writers_wq);
}

/* End every marked switch before it is queued: the move failed. */
static void cancel_switches(struct taskset_move *move, int err)
{
	unsigned int i;

	for (i = 0; i < move->nr; i++) {
		switch_prepared(&move->sw[i], err);
		switch_finished(&move->sw[i]);
	}
}

/*
 * Have @work run on current's way out of the write, which then starts
 * again: TWA_SIGNAL makes the return to user space run it and restart
 * the system call (-ERESTARTNOINTR), as for a signal without a handler.
 *
 * Return: true if it is queued; false if current cannot wait so.
 */
static bool wait_on_way_out(struct callback_head *work, task_work_func_t fn)
{
	if (writer_waits_in_write())
		return false;
	init_task_work(work, fn);
	return !task_work_add(current, work, TWA_SIGNAL);
}

/**
 * struct target_wait - a writer waiting for another move of its target
 * @work: queued on the writer, for its way out of the write.
 * @task: the target, referenced.
 * @threadgroup: its whole process moves.
 */
struct target_wait {
	struct callback_head work;
	struct task_struct *task;
	bool threadgroup;
};

static bool target_free(const void *arg)
{
	const struct target_wait *tw = arg;

	return !switch_queued_on(tw->task, tw->threadgroup);
}

static void target_wait_free(struct target_wait *tw)
{
	put_task_struct(tw->task);
	kfree(tw);
}

static void target_wait_work(struct callback_head *work)
{
	struct target_wait *tw = container_of(work, struct target_wait, work);

	/* Behind a switch queued on the writer: that first, then again. */
	if (!(current->flags & PF_EXITING) &&
	    writer_wait(target_free, tw, NULL) == -EINPROGRESS &&
	    !task_work_add(current, &tw->work, TWA_SIGNAL))
		return;
	target_wait_free(tw);
}

/*
 * Wait until no other move has a switch queued on the target: on the way
 * out, then the write starts again; here for a writer that cannot.
 * Return: 0 to try again, -ERESTARTNOINTR, -ENOMEM, or -EINTR if killed.
 */
static int wait_other_move(struct task_struct *task, bool threadgroup)
{
	struct target_wait *tw;
	int err;

	tw = kmalloc(sizeof(*tw), GFP_KERNEL);
	if (!tw)
		return -ENOMEM;
	tw->task = get_task_struct(task);
	tw->threadgroup = threadgroup;
	if (wait_on_way_out(&tw->work, target_wait_work))
		return -ERESTARTNOINTR;
	err = writer_wait(target_free, tw, NULL);
	target_wait_free(tw);
	return err;
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
			err = move_init(move, node, task, cred, threadgroup);
			if (err)
				return ERR_PTR(err);
		} else {
			if (threadgroup)
				max = get_nr_threads(task) + MOVE_SLACK;
			move = move_alloc(node, task, cred, threadgroup, max);
			if (IS_ERR(move))
				return move;
		}
		debug_mark_delay();
		err = mark_threads(move, task);
		if (!err)
			return move;
		move_put(move);
		/* A process that gains threads faster than it is looked at. */
		if (err == -ENOSPC)
			err = fatal_signal_pending(current) ? -EINTR : 0;
		else if (err == -EINPROGRESS)
			err = wait_other_move(task, threadgroup);
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
static void decide_with_cgroup(struct taskset_move *move)
{
	int err = READ_ONCE(move->error);

	if (!err)
		err = cgroup_bridge_attach(move->cgrp, move->task,
					   move->threadgroup, move->cred,
					   move->cgroup_ns);
	if (err)
		cmpxchg(&move->error, 0, err);
	move_decide(move, err ? MOVE_ABORT : MOVE_COMMIT);
}

/*
 * The writer's part once the switches are queued: its own switch, if it
 * moves, the decision if it is the writer's, and the wait for the end.
 *
 * A writer that moves too cannot be moved by another move meanwhile (it
 * is marked by its own): only one that does not may be told to step
 * aside for a switch queued on it, and then runs this again from the
 * start, which is made to be run again: the waits are for states that
 * stay, the decision is taken once.
 *
 * Return: 0 if a thread switched, -EINPROGRESS to be run again, or the
 * errno the write returns.
 */
static int move_finish(struct taskset_move *move)
{
	struct taskset_switch *self = move->self;
	bool prepared = self && switch_run_prepare(self);
	int err;

	/* A writer that exits has nothing to wait for. */
	if (current->flags & PF_EXITING)
		move_abort(move, -EINTR);
	err = writer_wait(move_prepared, move, move);
	if (err == -EINPROGRESS && !WARN_ON_ONCE(self))
		return err;
	if (err)
		move_abort(move, err);
	else if (move->cgrp && !move_decided(move))
		decide_with_cgroup(move);
	if (self)
		switch_run_finish(self, prepared);
	err = writer_wait(move_over, move, NULL);
	if (err == -EINPROGRESS)
		return err;
	/* Killed: the switches end on their own. */
	if (err)
		return -EINTR;
	err = READ_ONCE(move->error);
	if (!err && !atomic_read(&move->moved))
		err = -ESRCH;
	return err;
}

/*
 * The writer's wait, on its way out of the write: what the move came to
 * is kept for the restarted write (taskset_attach_restarted()).
 */
static void move_wait_work(struct callback_head *work)
{
	struct taskset_move *move = container_of(work, struct taskset_move,
						 wait_work);
	int err = move_finish(move);

	/* Behind a switch queued on the writer: that first, then again. */
	if (err == -EINPROGRESS) {
		if (!task_work_add(current, &move->wait_work, TWA_SIGNAL))
			return;
		err = -EINTR;	/* exiting: the switches end on their own */
	}
	current->taskset_moved_err = err;
	current->taskset_moved_file = move->file;
	move_put(move);
}

/**
 * taskset_attach_restarted() - the end of a move that a write waited for
 * @file: the file the write writes to
 * @err: set to what the move came to: 0, or an errno
 *
 * A write that moved others waited for them on its way out, then
 * started again: the restarted write returns what the move came to, and
 * does nothing else. Anything written meanwhile (from a signal handler)
 * to another file forgets it: that write moves what it names, and the
 * restarted one its own again.
 *
 * Context: the writer, in write(2) of a taskset.procs or taskset.threads.
 * Return: true if @err is the result of @file's restarted write.
 */
bool taskset_attach_restarted(const void *file, int *err)
{
	const void *moved = current->taskset_moved_file;

	if (likely(!moved))
		return false;
	current->taskset_moved_file = NULL;
	*err = current->taskset_moved_err;
	return moved == file;
}

/**
 * taskset_attach() - move a thread or a process into a node
 * @node: the node to enter
 * @task: the thread named by the write, referenced by the caller
 * @threadgroup: move @task's whole process (taskset.procs), not only
 *	@task (taskset.threads)
 * @cred: the credentials of the file's opener
 * @cgroup_ns: the cgroup namespace of the file's opener
 * @file: the file written, which a restarted write names again
 *
 * All or nothing: every thread prepares its switch (every facet that
 * changes is asked, with @cred), then all switch, or none if one could
 * not. If @node is bound to a cgroup, the threads enter it in the same
 * move, as a write of cgroup.procs (cgroup.threads) by @cred would move
 * them, before they switch; a refusal there moves nothing either.
 *
 * A writer that moves itself alone is inside when this returns. For any
 * other move this returns -ERESTARTNOINTR: the writer waits on its way
 * out of the write, holding nothing, until every thread has switched or
 * given up, then the write starts again and taskset_attach_restarted()
 * gives the result. A kernel thread or an io_uring worker waits here.
 *
 * Context: process context, no lock held; may sleep.
 * Return: 0 if at least one thread switched; -ERESTARTNOINTR; -EINVAL
 * for a kernel thread or a worker; -ESRCH for a task that exited; -EPERM
 * if the opener or the writer may not move it, if a thread's credentials
 * changed before it switched, or if it may not live in @node's
 * namespaces (kernel/taskset/switch.c); -EBUSY for a stopped or traced
 * task, or one that stops before it switched; -EDEADLK if current is a vfork
 * child and the task waits for it; -ENOENT if @node was removed; -EINTR
 * if the writer was killed; -EAGAIN if a limit of the tasks facet on
 * @node's path has no room for the threads; or the errno of the facet or
 * check that refused the move, cgroup's included.
 */
int taskset_attach(struct taskset *node, struct task_struct *task,
		   bool threadgroup, const struct cred *cred,
		   struct cgroup_namespace *cgroup_ns, const void *file)
{
	DEFINE_FLEX(struct taskset_move, onstack, sw, max, 1);
	struct taskset_move *move;
	int err;

	task = threadgroup ? process_thread(task) : get_task_struct(task);
	err = check_target(task);
	if (err)
		goto out;
	/* Moved by someone else first: switch, then write again. */
	if (taskset_switch_pending(current)) {
		err = -ERESTARTNOINTR;
		goto out;
	}
	move = prepare_move(node, task, threadgroup, cred,
			    task == current ? onstack : NULL);
	if (IS_ERR(move)) {
		err = PTR_ERR(move);
		goto out;
	}
	move->file = file;
	move->cgroup_ns = cgroup_ns;
	get_cgroup_ns(cgroup_ns);
	/*
	 * After the marking, which took the credentials each thread must
	 * still have when it switches: a setuid execve() before the check
	 * is seen by it, one after by the switch.
	 */
	err = may_move(task, cred);
	if (!err)
		err = charge_move(move);
	if (err) {
		cancel_switches(move, err);
	} else {
		queue_switches(move);
		/* The writer's reference goes with the wait. */
		if (!move->on_stack &&
		    wait_on_way_out(&move->wait_work, move_wait_work)) {
			err = -ERESTARTNOINTR;
			goto out;
		}
	}
	err = move_finish(move);
	move_put(move);
out:
	put_task_struct(task);
	return err;
}
