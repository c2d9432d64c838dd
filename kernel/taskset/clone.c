// SPDX-License-Identifier: GPL-2.0
/*
 * Nodes made by clone3() and unshare() with CLONE_NEWTASKSET.
 *
 * The new node is a child of the caller's node that owns exactly the
 * facets whose instances the same call creates (possibly none), with the
 * new task (clone3) or the calling thread (unshare) as its only member,
 * and "delete" as its empty action: it expires with its last task, as a
 * namespace does. It is named "clone.N", N from a 64-bit counter never
 * reused in the life of the kernel, a name mkdir refuses: no name is
 * ever taken (the kernel's earlier ns_cgroup named groups after pids,
 * and failed with EEXIST when a pid came round again).
 *
 * The node is made before the call's point of no return, and counts as
 * being entered (nr_entering) until its task is counted as its member,
 * or the call failed: its empty action cannot remove it before, and
 * removes it once the call failed, from its work item.
 *
 * Creating one needs what creating the call's namespaces needs,
 * CAP_SYS_ADMIN over the user namespace that will own them (so, without
 * privilege, CLONE_NEWUSER in the same call or a user namespace of one's
 * own), and is charged to the caller's uid against max_tasksets in that
 * user namespace and its ancestors (ENOSPC beyond). Such nodes nest
 * TASKSET_CLONE_MAX_LEVEL deep at most (ENOSPC beyond, as for a user or
 * pid namespace), and obey the taskset.max.depth and
 * taskset.max.descendants of the nodes above them (EAGAIN), as nodes
 * made by mkdir do.
 */

#include <linux/atomic.h>
#include <linux/ipc_namespace.h>
#include <linux/sched.h>
#include <linux/taskset.h>
#include <linux/taskset_proxy.h>

static atomic64_t clone_seq = ATOMIC64_INIT(0);

/* The facets whose new instances @flags ask for. */
static unsigned long facets_of_flags(unsigned long flags)
{
	const struct taskset_facet *facet;
	unsigned long own = 0;
	int id;

	for_each_taskset_facet(facet, id)
		if (facet->clone_flag & flags)
			__set_bit(id, &own);
	return own;
}

/*
 * A child of @parent owning the facets of @flags, with @states' new
 * instances of them; @states gets the parent's in exchange.
 */
static struct taskset *make_node(struct taskset *parent,
				 struct nsproxy *states, unsigned long flags,
				 struct user_namespace *user_ns)
{
	const struct taskset_facet *facet;
	char name[32];
	struct taskset *ts;
	int id, err;

	lockdep_assert_held(&taskset_mutex);
	if (parent->dead)
		return ERR_PTR(-ENOENT);
	/* As a user or pid namespace one level too deep. */
	if (parent->level >= TASKSET_CLONE_MAX_LEVEL)
		return ERR_PTR(-ENOSPC);
	ts = taskset_node_create(parent, user_ns);
	if (IS_ERR(ts))
		return ts;
	ts->own = facets_of_flags(flags);
	for_each_taskset_facet(facet, id)
		if (taskset_owns(ts, facet) && taskset_facet_is_ns(facet))
			facet->ns_exchange(&ts->ns_states, states);
	/* Its caps, as a node made by mkdir: bound by its parent's. */
	if (flags & CLONE_NEWIPC)
		ipc_set_ext_parent(ts->ns_states.ipc_ns,
				   parent->nsproxy->ipc_ns);
	ts->on_empty = TASKSET_EMPTY_DELETE;
	/*
	 * Its task is its member from birth: if the call fails before the
	 * task is counted, the empty action removes the node all the same.
	 */
	ts->was_populated = true;
	/* Until taskset_clone_node_done(). */
	atomic_set(&ts->nr_entering, 1);
	snprintf(name, sizeof(name), "clone.%llu",
		 (unsigned long long)atomic64_inc_return(&clone_seq));
	err = tasksetfs_publish_node(ts, name, 0755);
	if (err) {
		atomic_set(&ts->nr_entering, 0);
		taskset_put(ts);
		return ERR_PTR(err);
	}
	return taskset_get(ts);
}

/**
 * taskset_clone_node() - make the node of a CLONE_NEWTASKSET
 * @work: the work proxy of the call's new states, filled; its node, the
 *	caller's, is the new node's parent
 * @flags: the call's flags
 * @user_ns: the user namespace that owns the call's new namespaces
 *
 * On success @work's node is the new node, borrowed from the reference
 * the caller now owns (taskset_clone_node_of()), to be passed to
 * taskset_clone_node_done() once the task is its member or the call
 * failed.
 *
 * Context: may sleep; takes taskset_mutex.
 * Return: 0, -ENOSPC over max_tasksets or TASKSET_CLONE_MAX_LEVEL,
 * -EAGAIN past a taskset.max.depth or taskset.max.descendants, -ENOMEM,
 * or -EINVAL without tasksetfs.
 */
int taskset_clone_node(struct nsproxy *work, unsigned long flags,
		       struct user_namespace *user_ns)
{
	struct taskset_proxy *proxy = to_taskset_proxy(work);
	struct nsproxy states = *work;
	struct taskset *ts;

	/* Extra references: the node takes those of its own states. */
	taskset_get_namespaces(&states);
	mutex_lock(&taskset_mutex);
	ts = make_node(proxy->node, &states, flags, user_ns);
	mutex_unlock(&taskset_mutex);
	/* The parent's states given up, and the ones the node did not take. */
	taskset_put_namespaces(&states);
	if (IS_ERR(ts))
		return PTR_ERR(ts);
	taskset_proxy_set_node(proxy, ts);
	return 0;
}

/**
 * taskset_clone_node_done() - the task of a CLONE_NEWTASKSET joined its node
 * @node: the node, from taskset_clone_node_of(), or NULL
 *
 * Or the call failed: the node, left empty, is then removed by its empty
 * action. Drops the caller's reference.
 *
 * Context: may sleep.
 */
void taskset_clone_node_done(struct taskset *node)
{
	if (!node)
		return;
	taskset_node_entered(node);
	taskset_put(node);
}
