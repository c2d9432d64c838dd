// SPDX-License-Identifier: GPL-2.0
/*
 * The life of task set nodes: creation under a parent, linking into the
 * hierarchy, removal, and release once the last reference is gone.
 *
 * A node is created by tasksetfs (mkdir) with one reference, the
 * hierarchy's, and its own copy of its parent's namespace references.
 * It is linked once its directory is complete, and unlinked by rmdir,
 * which drops the hierarchy's reference once the directory is gone.
 * Children and proxies hold references too, so a node outlives its
 * directory while anything still points to it. It is freed after an RCU
 * grace period, so that a reader that found it under RCU may look at it.
 */

#include <linux/cred.h>
#include <linux/kernfs.h>
#include <linux/limits.h>
#include <linux/rculist.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/taskset.h>
#include <linux/taskset_proxy.h>

/*
 * taskset_mutex protects the shape of the hierarchy (which nodes exist,
 * their children lists, their @dead flag) and the states of every node
 * (@own and @ns_states). It is taken by mkdir, rmdir and the writers of
 * control files, and by the readers that need a node's states to stay
 * put for a moment; never while a kernfs node of the node being removed
 * is drained (rmdir drains after dropping it).
 */
DEFINE_MUTEX(taskset_mutex);

/* Nodes in the hierarchy, the root included. taskset_mutex. */
static unsigned long nr_nodes = 1;

/**
 * taskset_nr_nodes() - how many task set nodes exist
 *
 * Return: the number of nodes in the hierarchy, read without a lock.
 */
unsigned long taskset_nr_nodes(void)
{
	return READ_ONCE(nr_nodes);
}

/*
 * May @parent have one more child? Not if it or an ancestor would then
 * have more descendants than its taskset.max.descendants, or descendants
 * deeper below it than its taskset.max.depth: cgroup's
 * cgroup.max.descendants and cgroup.max.depth, checked alike.
 */
static bool within_limits(const struct taskset *parent)
{
	const struct taskset *ts;
	int below = 0;

	for (ts = parent; ts; ts = ts->parent, below++) {
		if (ts->nr_descendants >= ts->max_descendants ||
		    below >= ts->max_depth)
			return false;
	}
	return true;
}

/**
 * taskset_node_create() - allocate a child node
 * @parent: the node it is created under, live
 * @user_ns: the user namespace whose max_tasksets limits the caller
 *
 * The new node inherits every state of @parent and owns none; it holds a
 * reference on @parent and on each of its namespaces, and is charged to
 * the caller's effective uid in @user_ns and its ancestors. It is not in
 * the hierarchy until taskset_node_link().
 *
 * Context: taskset_mutex held.
 * Return: the node, with one reference; ERR_PTR(-ENOMEM),
 * ERR_PTR(-EAGAIN) past the taskset.max.depth or taskset.max.descendants
 * of @parent or an ancestor, or ERR_PTR(-ENOSPC) over max_tasksets.
 */
struct taskset *taskset_node_create(struct taskset *parent,
				    struct user_namespace *user_ns)
{
	struct ucounts *ucounts;
	struct taskset *ts;

	lockdep_assert_held(&taskset_mutex);
	if (!within_limits(parent))
		return ERR_PTR(-EAGAIN);
	ucounts = inc_ucount(user_ns, current_euid(), UCOUNT_TASKSETS);
	if (!ucounts)
		return ERR_PTR(-ENOSPC);
	ts = kzalloc(sizeof(*ts), GFP_KERNEL_ACCOUNT);
	if (!ts) {
		dec_ucount(ucounts, UCOUNT_TASKSETS);
		return ERR_PTR(-ENOMEM);
	}
	ts->ucounts = ucounts;
	ts->level = parent->level + 1;
	ts->max_depth = INT_MAX;
	ts->max_descendants = INT_MAX;
	refcount_set(&ts->ref, 1);
	INIT_LIST_HEAD(&ts->children);
	INIT_LIST_HEAD(&ts->sibling);
	ts->parent = taskset_get(parent);
	memcpy(ts->states, parent->states, sizeof(ts->states));
	ts->ns_states = *parent->nsproxy;
	taskset_get_namespaces(&ts->ns_states);
	ts->nsproxy = &ts->ns_states;
	taskset_empty_init(ts);
	return ts;
}

/**
 * taskset_node_own_resources() - give a new node its own resource states
 * @ts: the node, from taskset_node_create(), not yet visible
 * @cred: its creator's credentials
 *
 * A node made by mkdir owns a state of each resource facet created that
 * way, below the state it would have inherited. On failure, those made
 * go with the node.
 *
 * Context: taskset_mutex held.
 * Return: 0, or the errno of the facet that failed.
 */
int taskset_node_own_resources(struct taskset *ts, const struct cred *cred)
{
	const struct taskset_facet *facet;
	struct taskset_state *state;
	int id;

	lockdep_assert_held(&taskset_mutex);
	for_each_taskset_facet(facet, id) {
		if (!facet->state_create || facet->own_on_request ||
		    !(facet->create & TASKSET_CREATE_MKDIR))
			continue;
		state = facet->state_create(ts, ts->states[id], cred);
		if (IS_ERR(state))
			return PTR_ERR(state);
		ts->states[id] = state;
		__set_bit(id, &ts->own);
	}
	return 0;
}

/**
 * taskset_node_remove_resources() - end what others see of resource states
 * @ts: a node that is not busy, about to drop or be removed with them
 * @facets: the resource facets whose states @ts gives up, as a bitmap
 *
 * Each facet with a state_remove operation is asked; a refusal stops
 * here, and what was removed already stays so. Only one facet has the
 * operation (cgroup2).
 *
 * Context: taskset_mutex held.
 * Return: 0, or the errno of the facet that refused.
 */
int taskset_node_remove_resources(struct taskset *ts, unsigned long facets)
{
	const struct taskset_facet *facet;
	int id, err;

	lockdep_assert_held(&taskset_mutex);
	for_each_taskset_facet(facet, id) {
		if (!facet->state_remove || !test_bit(id, &facets) ||
		    !taskset_owns(ts, facet))
			continue;
		err = facet->state_remove(ts->states[id]);
		if (err)
			return err;
	}
	return 0;
}

/**
 * taskset_res_change_prepare() - make the resource states a node adds
 * @chg: the change, zeroed
 * @ts: the node, not busy
 * @own: the facets @ts is to own
 * @cred: the writer's credentials
 *
 * Only facets owned on request are added or dropped.
 *
 * Context: taskset_mutex held; may sleep.
 * Return: 0, or the errno of the facet that failed; what was made is
 * left to taskset_res_change_finish().
 */
int taskset_res_change_prepare(struct taskset_res_change *chg,
			       struct taskset *ts, unsigned long own,
			       const struct cred *cred)
{
	unsigned long added = own & ~ts->own;
	const struct taskset_facet *facet;
	struct taskset_state *state;
	int id;

	lockdep_assert_held(&taskset_mutex);
	for_each_taskset_facet(facet, id) {
		if (!test_bit(id, &added) || !facet->state_create)
			continue;
		state = facet->state_create(ts, ts->states[id], cred);
		if (IS_ERR(state))
			return PTR_ERR(state);
		chg->created[id] = state;
	}
	return 0;
}

/**
 * taskset_res_change_commit() - give a node its new resource states
 * @chg: the prepared change
 * @ts: the node it was prepared for, whose dropped states were removed
 *	(taskset_node_remove_resources())
 * @own: the facets @ts is to own
 *
 * A dropped state is replaced by the parent's, and moved into @chg.
 *
 * Context: taskset_mutex held. Cannot fail.
 */
void taskset_res_change_commit(struct taskset_res_change *chg,
			       struct taskset *ts, unsigned long own)
{
	unsigned long changed = ts->own ^ own;
	const struct taskset_facet *facet;
	int id;

	lockdep_assert_held(&taskset_mutex);
	for_each_taskset_facet(facet, id) {
		if (!test_bit(id, &changed) || !facet->state_create)
			continue;
		if (test_bit(id, &own)) {
			ts->states[id] = chg->created[id];
			chg->created[id] = NULL;
		} else {
			chg->dropped[id] = ts->states[id];
			ts->states[id] = ts->parent->states[id];
		}
	}
	/* Proxies that hold the states it had are not to be found again. */
	if (changed)
		WRITE_ONCE(ts->states_gen, ts->states_gen + 1);
}

/**
 * taskset_res_change_finish() - free what a change leaves over
 * @chg: a prepared change, committed or not, or a zeroed one
 *
 * Context: may sleep; taskset_mutex not held.
 */
void taskset_res_change_finish(struct taskset_res_change *chg)
{
	int id;

	for (id = 0; id < TASKSET_NR_FACETS; id++) {
		if (chg->created[id])
			taskset_facets[id]->state_free(chg->created[id]);
		if (chg->dropped[id])
			taskset_facets[id]->state_free(chg->dropped[id]);
	}
}

/* Free the resource states @ts owns. */
static void free_own_resources(struct taskset *ts)
{
	const struct taskset_facet *facet;
	int id;

	for_each_taskset_facet(facet, id)
		if (facet->state_free && taskset_owns(ts, facet))
			facet->state_free(ts->states[id]);
}

/**
 * taskset_node_link() - put a created node into the hierarchy
 * @ts: the node, from taskset_node_create()
 * @kn: its directory, complete; the node takes a reference on it
 *
 * Context: taskset_mutex held.
 */
void taskset_node_link(struct taskset *ts, struct kernfs_node *kn)
{
	struct taskset *ancestor;

	lockdep_assert_held(&taskset_mutex);
	kernfs_get(kn);
	ts->kn = kn;
	list_add_tail_rcu(&ts->sibling, &ts->parent->children);
	for (ancestor = ts->parent; ancestor; ancestor = ancestor->parent)
		ancestor->nr_descendants++;
	WRITE_ONCE(nr_nodes, nr_nodes + 1);
}

/**
 * taskset_node_busy() - may a node's states not change
 * @ts: the node
 *
 * A node with children, members or members to be keeps its states:
 * children inherit them, members' proxies hold them, and a move in
 * flight is switching threads to them.
 *
 * Context: taskset_mutex held.
 * Return: true if @ts has a child, a member, or a move in flight.
 */
bool taskset_node_busy(const struct taskset *ts)
{
	lockdep_assert_held(&taskset_mutex);
	if (!list_empty(&ts->children) || atomic_read(&ts->nr_entering))
		return true;
	/*
	 * A move publishes its switched tasks before it stops counting as
	 * entering (taskset_node_entered()): seen in this order, one of
	 * the two counts shows them.
	 */
	smp_rmb();
	return atomic_read(&ts->nr_tasks);
}

/**
 * taskset_node_enter() - count a move into a node, if it is live
 * @ts: the node
 *
 * From here until taskset_node_entered(), @ts is busy: it cannot be
 * removed and its states do not change, so that the move's threads
 * switch to states that hold still and never to a removed node.
 *
 * Return: 0, or -ENOENT if @ts was removed.
 */
int taskset_node_enter(struct taskset *ts)
{
	if (ts == &taskset_root)
		return 0;
	guard(mutex)(&taskset_mutex);
	if (ts->dead)
		return -ENOENT;
	atomic_inc(&ts->nr_entering);
	return 0;
}

/**
 * taskset_node_entered() - a move into a node is over
 * @ts: the node, counted by taskset_node_enter()
 *
 * A node that a failed move leaves empty may be due for its empty
 * action, which the move held off.
 *
 * Context: any; the switched tasks are counted in @nr_tasks already.
 */
void taskset_node_entered(struct taskset *ts)
{
	if (ts == &taskset_root)
		return;
	/* Fully ordered: pairs with the smp_rmb() of taskset_node_busy(). */
	if (atomic_dec_and_test(&ts->nr_entering) &&
	    !atomic_read(&ts->nr_tasks))
		taskset_empty_check(ts);
}

/**
 * taskset_node_unlink() - take a node out of the hierarchy
 * @ts: a linked node, not busy
 *
 * Marks it dead: nothing may be created under it or change its states
 * any more. The caller removes its directory, then drops the hierarchy's
 * reference.
 *
 * Context: taskset_mutex held.
 */
void taskset_node_unlink(struct taskset *ts)
{
	struct taskset *ancestor;

	lockdep_assert_held(&taskset_mutex);
	ts->dead = true;
	list_del_rcu(&ts->sibling);
	for (ancestor = ts->parent; ancestor; ancestor = ancestor->parent)
		ancestor->nr_descendants--;
	WRITE_ONCE(nr_nodes, nr_nodes - 1);
}

/* Unlink @ts if it may go: see taskset_node_remove(). */
static int unlink_if_idle(struct taskset *ts, bool if_on_empty)
{
	int ret;

	guard(mutex)(&taskset_mutex);
	if (ts->dead)
		return -ENOENT;
	if (taskset_node_busy(ts))
		return -EBUSY;
	if (if_on_empty && ts->on_empty != TASKSET_EMPTY_DELETE)
		return -EAGAIN;
	ret = taskset_node_remove_resources(ts, ~0UL);
	if (ret)
		return ret;
	taskset_node_unlink(ts);
	return 0;
}

/**
 * taskset_node_remove() - remove a node and its directory
 * @ts: the node, not the root; the caller holds a reference on it, and
 *	no active reference on its directory (rmdir breaks its own)
 * @if_on_empty: remove it only if its on_empty is "delete": the empty
 *	action, rather than rmdir
 *
 * The node is unlinked under taskset_mutex, its directory removed after
 * it is dropped (the removal waits for the node's files, whose
 * operations may take it), and the hierarchy's reference put. Watchers
 * of its events wake a last time, and its parent, now possibly empty
 * and childless, gets its own empty action.
 *
 * Context: may sleep.
 * Return: 0; -ENOENT if it was removed already; -EBUSY if it has
 * children, members or moves in flight; -EAGAIN if @if_on_empty and it
 * is not to be deleted; or the errno of a resource facet that refuses to
 * let its state go (EBUSY for a cgroup2 mirror that cgroup will not
 * remove).
 */
int taskset_node_remove(struct taskset *ts, bool if_on_empty)
{
	int ret = unlink_if_idle(ts, if_on_empty);

	if (ret)
		return ret;
	kernfs_remove(ts->kn);
	taskset_notify_removed(ts);
	taskset_empty_check(ts->parent);
	taskset_put(ts);	/* the hierarchy's */
	return 0;
}

/**
 * taskset_task_node_get() - the node a task is a member of
 * @tsk: the task
 *
 * Context: may not be called under task_lock(@tsk).
 * Return: @tsk's node, referenced, or NULL once @tsk has exited.
 */
struct taskset *taskset_task_node_get(struct task_struct *tsk)
{
	struct taskset *node = NULL;

	/* The task's proxy, which references its node, stays put. */
	task_lock(tsk);
	if (tsk->nsproxy)
		node = taskset_get(to_taskset_proxy(tsk->nsproxy)->node);
	task_unlock(tsk);
	return node;
}

/**
 * taskset_common_ancestor() - the deepest node above or at two nodes
 * @a: a node, referenced by the caller
 * @b: another, referenced by the caller
 *
 * Nodes hold their parents: the result is held as long as @a and @b.
 *
 * Return: the deepest node that is @a or an ancestor of @a, and @b or an
 * ancestor of @b.
 */
struct taskset *taskset_common_ancestor(struct taskset *a, struct taskset *b)
{
	while (a->level > b->level)
		a = a->parent;
	while (b->level > a->level)
		b = b->parent;
	while (a != b) {
		a = a->parent;
		b = b->parent;
	}
	return a;
}

/**
 * taskset_next_descendant_pre() - walk a subtree in pre-order
 * @pos: the current position, NULL to start
 * @root: the subtree's root, visited first
 *
 * Context: taskset_mutex held.
 * Return: the next node, or NULL once the walk is over.
 */
struct taskset *taskset_next_descendant_pre(struct taskset *pos,
					    struct taskset *root)
{
	lockdep_assert_held(&taskset_mutex);
	if (!pos)
		return root;
	if (!list_empty(&pos->children))
		return list_first_entry(&pos->children, struct taskset,
					sibling);
	while (pos != root) {
		if (!list_is_last(&pos->sibling, &pos->parent->children))
			return list_next_entry(pos, sibling);
		pos = pos->parent;
	}
	return NULL;
}

/**
 * taskset_release() - free a node whose last reference is gone
 * @ts: the node
 *
 * Called by taskset_put(). Puts the node's namespaces, its directory and
 * its parent, and frees it after a grace period.
 *
 * Context: process context; may sleep.
 */
void taskset_release(struct taskset *ts)
{
	struct taskset *parent = ts->parent;

	might_sleep();
	if (WARN_ON_ONCE(!ts->dead && ts->kn))
		return;
	taskset_empty_release(ts);
	free_own_resources(ts);
	taskset_put_namespaces(&ts->ns_states);
	dec_ucount(ts->ucounts, UCOUNT_TASKSETS);
	/* An open directory may outlive the node: tasksetfs_node_get(). */
	if (ts->kn)
		RCU_INIT_POINTER(*(struct taskset __rcu __force **)&ts->kn->priv,
				 NULL);
	kernfs_put(ts->kn);
	kfree_rcu(ts, rcu);
	taskset_put(parent);
}
