// SPDX-License-Identifier: GPL-2.0
/*
 * Killing a subtree: taskset.kill sends SIGKILL to every process with a
 * thread in a node or one of its descendants.
 *
 * Nodes keep no list of their tasks, so the kill walks every thread of
 * the system under RCU, in creation order, and kills the process of each
 * member it meets. A fork racing with the walk cannot leave a child
 * behind, as cgroup.kill's CGRP_KILL ensures for cgroups: copy_process()
 * links the child at the tail of the task list, under its parent's
 * siglock, only if no fatal signal is pending for the parent. Either the
 * link came first, and the walk, which takes that siglock when it kills
 * the parent and goes on towards the tail, meets the child; or the
 * SIGKILL came first and the fork fails. A task moved into the subtree
 * while the walk runs may be missed, as a task moved into a cgroup
 * being killed may be: a move is a separate decision of its writer.
 *
 * A child cloned into the subtree from outside (CLONE_INTO_TASKSET) has
 * a parent the kill does not reach. Each node counts the kills of its
 * subtree that started and those that finished their walk; the clone
 * notes, before its child can be seen, how many had finished in the
 * child's node and its ancestors, and compares, once the child is
 * linked, with how many have started: if they differ, a kill ran, or
 * began, while the child was being made, and the clone kills the child
 * itself (kernel/taskset/clone_into.c), as cgroup_post_fork() does with
 * the kill_seq of a cgroup. If they do not, every kill that could have
 * missed the child was over before the clone looked, or starts after
 * the child is linked, and then its walk meets the child.
 *
 * The walk leaves its RCU section every KILL_BATCH threads, between two
 * processes, to let others run: it holds the process it stopped at, and
 * goes on from it if it is still listed, from the start of the list
 * otherwise. Either way it still goes towards the tail, where forks link
 * their children; a process met again already has its SIGKILL pending.
 */

#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/taskset.h>
#include <linux/taskset_proxy.h>

/* Threads looked at between two points where the walk may reschedule. */
#define KILL_BATCH	1024

/* Is @node @ts or a descendant of it? Nodes are freed after RCU. */
static bool node_in_subtree(const struct taskset *node,
			    const struct taskset *ts)
{
	for (; node; node = node->parent)
		if (node == ts)
			return true;
	return false;
}

/* Is @task a member of @ts's subtree? A zombie has no proxy: no. */
static bool task_in_subtree(struct task_struct *task,
			    const struct taskset *ts)
{
	bool in;

	task_lock(task);
	in = task->nsproxy &&
	     node_in_subtree(to_taskset_proxy(task->nsproxy)->node, ts);
	task_unlock(task);
	return in;
}

/*
 * Leave the walk's RCU section, holding @g, and take it again: where to
 * go on from, @g if it is still listed (its pid is still attached, and
 * it leaves the task list with it), the list's head if not.
 */
static struct task_struct *kill_walk_resched(struct task_struct *g)
{
	bool listed;

	get_task_struct(g);
	rcu_read_unlock();
	cond_resched();
	rcu_read_lock();
	listed = pid_alive(g);
	put_task_struct(g);
	return listed ? g : &init_task;
}

/**
 * taskset_kill() - SIGKILL every process of a node's subtree
 * @ts: the node, not the root
 *
 * Kills every process that has a thread in @ts or one of its
 * descendants, including children that such processes are forking
 * meanwhile. Returns once the signals are sent, not once the processes
 * are gone: taskset.events tells when the node is empty.
 *
 * Context: process context.
 */
void taskset_kill(struct taskset *ts)
{
	struct task_struct *g, *t;
	unsigned int seen = 0;

	/* Fully ordered: the walk comes after, as a clone expects. */
	atomic_long_inc_return(&ts->kills_started);
	rcu_read_lock();
	for_each_process(g) {
		for_each_thread(g, t) {
			seen++;
			/* A SIGKILL of the process is pending in each thread. */
			if ((t->flags & PF_KTHREAD) ||
			    __fatal_signal_pending(t))
				continue;
			if (task_in_subtree(t, ts))
				send_sig(SIGKILL, t, 0);
		}
		if (seen >= KILL_BATCH) {
			seen = 0;
			g = kill_walk_resched(g);
		}
	}
	rcu_read_unlock();
	atomic_long_inc_return_release(&ts->kills_finished);
}

/**
 * taskset_kills_finished() - kills of a node's subtree that are over
 * @ts: the node
 *
 * Counts the kills of @ts and of its ancestors.
 *
 * Return: their sum, a number only compared with taskset_kills_started()
 * of the same node, or of a descendant that did not exist then.
 */
unsigned long taskset_kills_finished(const struct taskset *ts)
{
	unsigned long n = 0;

	for (; ts; ts = ts->parent)
		n += atomic_long_read_acquire(&ts->kills_finished);
	return n;
}

/**
 * taskset_kills_started() - kills of a node's subtree that have started
 * @ts: the node
 *
 * Return: the kills of @ts and of its ancestors that have started, over
 * or not.
 */
unsigned long taskset_kills_started(const struct taskset *ts)
{
	unsigned long n = 0;

	for (; ts; ts = ts->parent)
		n += atomic_long_read(&ts->kills_started);
	return n;
}
