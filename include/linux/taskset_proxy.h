/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The proxy: what a task points to. It aggregates the task's facet
 * states (its namespaces, embedded as a struct nsproxy) and its task set
 * node. Tasks with the same node and states share one proxy, found
 * through a hash, as tasks with the same cgroups share a css_set.
 *
 * task->nsproxy points to the proxy's namespace part, so that existing
 * readers of task->nsproxy->X_ns are unchanged; to_taskset_proxy() leads
 * from it to the proxy.
 *
 * Lifetime and locking:
 *  - A proxy is refcounted as a whole by its nsproxy's count: one
 *    reference per task pointing to it, plus short-lived ones (a setns
 *    looking at another task's namespaces, pidfs' namespace ioctls, a
 *    reader of taskset.namespaces). The last put_nsproxy() unhashes it,
 *    puts its namespaces and frees it.
 *  - A proxy is first a private "work" proxy, with a count of 0:
 *    allocated by taskset_proxy_alloc() before anything can fail, filled
 *    by its one owner, then published by taskset_proxy_share(), which
 *    never fails. From publication on, its key (node and namespace
 *    pointers) never changes: that is what lets lookups run under RCU
 *    alone.
 *  - A change of states may first look its states up
 *    (taskset_proxy_find()) and take the proxy found, which allocates
 *    nothing; it allocates a work proxy only on a miss, and publishes it
 *    with taskset_proxy_publish().
 *  - Lookups take no lock: they walk the hash under RCU and take a
 *    reference with refcount_inc_not_zero(), then check the key again,
 *    since proxies are SLAB_TYPESAFE_BY_RCU: the memory may have been
 *    freed and reused meanwhile. taskset_proxy_lock (kernel/taskset/
 *    proxy.c) serializes publication and unhashing only.
 *  - The rules for task->nsproxy itself are in include/linux/nsproxy.h.
 */
#ifndef _LINUX_TASKSET_PROXY_H
#define _LINUX_TASKSET_PROXY_H

#include <linux/container_of.h>
#include <linux/llist.h>
#include <linux/nsproxy.h>
#include <linux/list_nulls.h>
#include <linux/string.h>
#include <linux/taskset.h>
#include <linux/types.h>

/**
 * struct taskset_proxy - the shared per-task aggregator
 * @ns: the namespace states; task->nsproxy points here. Part of the key.
 * @node: the task set node of the proxy's tasks; referenced once the proxy
 *	is published (but the root, which is never freed), borrowed from
 *	the proxy it was made from before. Part of the key.
 * @state: the resource facets' states, indexed by facet id: the node's
 *	(NULL for a namespace facet, and for the root's). Part of the key,
 *	as a css_set's csses are of its, through the node, whose states
 *	they are and which never changes them: a resource facet's state
 *	for a task is this one load. Set with the node
 *	(taskset_proxy_set_node()).
 * @states_gen: the node's @states_gen when @state was copied from it:
 *	part of the key, for @state is not (a lookup does not compare
 *	pointers that the node stands for, but must not find a proxy
 *	whose states the node has dropped since).
 * @hash_node: entry in the proxy hash, a chain ending in a nulls
 *	marker; not linked while the proxy is a work proxy. Changed under
 *	taskset_proxy_lock, walked under RCU.
 * @put_node: queues the put of a reference that must not be dropped in
 *	the holder's context (taskset_proxy_put_deferred()).
 * @key_fold: the key folded into 64 bits, set before publication: a
 *	lookup compares it before it compares the key.
 */
struct taskset_proxy {
	struct nsproxy ns;
	struct taskset *node;
	struct taskset_state *state[TASKSET_NR_FACETS];
	unsigned long states_gen;
	struct hlist_nulls_node hash_node;
	struct llist_node put_node;
	u64 key_fold;
};

/**
 * to_taskset_proxy() - the proxy an nsproxy is part of
 * @nsp: a task's nsproxy, or a work proxy's
 *
 * Return: the struct taskset_proxy embedding @nsp.
 */
static inline struct taskset_proxy *to_taskset_proxy(struct nsproxy *nsp)
{
	return container_of(nsp, struct taskset_proxy, ns);
}

/**
 * taskset_proxy_set_node() - set the node of a work proxy, or of a key
 * @proxy: the proxy, not published
 * @node: its node, live; NULL without task sets
 *
 * The node's resource states come with it.
 */
static inline void taskset_proxy_set_node(struct taskset_proxy *proxy,
					  struct taskset *node)
{
	proxy->node = node;
	if (node) {
		memcpy(proxy->state, node->states, sizeof(proxy->state));
		proxy->states_gen = READ_ONCE(node->states_gen);
	} else {
		memset(proxy->state, 0, sizeof(proxy->state));
		proxy->states_gen = 0;
	}
}

/* The initial proxy; its namespace part is the initial namespaces. */
extern struct taskset_proxy init_taskset_proxy;

/* The node of the initial proxy: the root, or none without task sets. */
#define TASKSET_INIT_NODE \
	(IS_ENABLED(CONFIG_TASKSET) ? &taskset_root : NULL)

/**
 * struct taskset_proxy_stats - counters of the proxy hash
 * @proxies: proxies that exist, the initial one included.
 * @hits: state changes that found a proxy to share.
 * @misses: state changes that published a new proxy.
 */
struct taskset_proxy_stats {
	long proxies;
	unsigned long hits;
	unsigned long misses;
};

void taskset_proxy_count_tasks(struct taskset *from, struct taskset *to);

/**
 * taskset_proxy_count_task() - count a task whose proxy changes
 * @from: the proxy it leaves, NULL for a task being created
 * @to: the proxy it joins, NULL for a task that exits
 *
 * Keeps every node's count of member tasks exact: called wherever
 * task->nsproxy changes. A task that stays in its node, as nearly every
 * fork and setns does, costs a comparison.
 */
static inline void taskset_proxy_count_task(const struct nsproxy *from,
					    const struct nsproxy *to)
{
	/* No proxy counts as the root, whose members are not counted. */
	struct taskset *a = TASKSET_INIT_NODE, *b = TASKSET_INIT_NODE;

	if (from)
		a = container_of(from, struct taskset_proxy, ns)->node;
	if (to)
		b = container_of(to, struct taskset_proxy, ns)->node;

	if (a != b)
		taskset_proxy_count_tasks(a, b);
}

struct nsproxy *taskset_proxy_alloc(const struct nsproxy *from);
void taskset_proxy_free(struct nsproxy *work);
void taskset_proxy_discard(struct nsproxy *work);
struct nsproxy *taskset_proxy_share(struct nsproxy *work);
struct nsproxy *taskset_proxy_publish(struct nsproxy *work);
struct nsproxy *taskset_proxy_find(const struct nsproxy *ns,
				   struct taskset *node);
void taskset_proxy_release(struct nsproxy *nsp);
void taskset_get_namespaces(struct nsproxy *nsp);
void taskset_put_namespaces(struct nsproxy *nsp);
struct nsproxy *taskset_create_namespaces(unsigned long flags,
					  struct user_namespace *user_ns);
void taskset_proxy_put_deferred(struct taskset_proxy *proxy);
struct taskset_proxy **taskset_proxy_snapshot(size_t *nr);
void taskset_proxy_snapshot_put(struct taskset_proxy **proxies, size_t nr);
void taskset_proxy_read_stats(struct taskset_proxy_stats *stats);
void __init taskset_proxy_cache_init(void);

void __init taskset_proxy_publish_initial(void);

#ifdef CONFIG_TASKSET
int taskset_clone_node(struct nsproxy *work, unsigned long flags,
		       struct user_namespace *user_ns);
void taskset_clone_node_done(struct taskset *node);
#else
static inline int taskset_clone_node(struct nsproxy *work, unsigned long flags,
				     struct user_namespace *user_ns)
{
	return -EINVAL;
}

static inline void taskset_clone_node_done(struct taskset *node)
{
}
#endif

/**
 * taskset_clone_node_of() - the node that CLONE_NEWTASKSET made for a proxy
 * @nsp: the shared proxy of the call's new states
 *
 * Return: its node, whose creation reference the caller now owns and
 * passes to taskset_clone_node_done().
 */
static inline struct taskset *taskset_clone_node_of(struct nsproxy *nsp)
{
	return to_taskset_proxy(nsp)->node;
}

#endif /* _LINUX_TASKSET_PROXY_H */
