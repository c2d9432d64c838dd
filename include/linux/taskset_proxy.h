/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The proxy: what a task points to. It aggregates the task's facet
 * states (its namespaces, embedded as a struct nsproxy, and its resource
 * facets' states) and its task set node. Tasks with the same node and
 * states share one proxy, found through a hash, as tasks with the same
 * cgroups share a css_set.
 *
 * task->nsproxy points to the proxy's namespace part, so that existing
 * readers of task->nsproxy->X_ns are unchanged; to_taskset_proxy() leads
 * from it to the proxy.
 *
 * Lifetime and locking:
 *  - A proxy is refcounted as a whole by its nsproxy's count: one
 *    reference per task pointing to it, plus short-lived ones (a setns
 *    looking at another task's namespaces, pidfs' namespace ioctls). The
 *    last put_nsproxy() unhashes and frees it.
 *  - A published proxy never changes: its node and states are its hash
 *    key. New states are assembled in a "work" proxy that is not shared
 *    (on the stack, or in a struct nsset), then turned into a shared
 *    proxy by taskset_proxy_get().
 *  - The hash table and the statistics are protected by
 *    taskset_proxy_lock, a spinlock taken last, never across a sleep and
 *    never in the task-exit fast path of tasks that share their proxy.
 *  - The rules for task->nsproxy itself are in include/linux/nsproxy.h.
 */
#ifndef _LINUX_TASKSET_PROXY_H
#define _LINUX_TASKSET_PROXY_H

#include <linux/container_of.h>
#include <linux/list.h>
#include <linux/nsproxy.h>
#include <linux/taskset.h>

/**
 * struct taskset_proxy - the shared per-task aggregator
 * @ns: the namespace states; task->nsproxy points here.
 * @node: the task set node of the proxy's tasks; NULL without
 *	CONFIG_TASKSET. Part of the hash key.
 * @state: the resource facets' states, indexed by facet id; NULL for
 *	namespace facets, whose states are in @ns. Part of the hash key.
 * @hash_node: entry in the proxy hash table; unhashed for a work proxy.
 *	Protected by taskset_proxy_lock.
 */
struct taskset_proxy {
	struct nsproxy ns;
	struct taskset *node;
	void *state[TASKSET_NR_FACETS];
	struct hlist_node hash_node;
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
 * taskset_proxy_state() - a proxy's state of a resource facet
 * @proxy: the proxy
 * @id: the facet's id
 *
 * Return: the state; one indexed load.
 */
static inline void *taskset_proxy_state(const struct taskset_proxy *proxy,
					int id)
{
	return proxy->state[id];
}

extern struct taskset_proxy init_taskset_proxy;

/* The initial namespaces: the namespace part of the initial proxy. */
#define init_nsproxy (init_taskset_proxy.ns)

/**
 * struct taskset_proxy_stats - counters of the proxy hash
 * @proxies: proxies that exist, the initial one included.
 * @hits: lookups that found a proxy to share.
 * @misses: lookups that had to allocate a proxy.
 * @fresh: proxies allocated without a lookup, since they hold a namespace
 *	created for them that no other proxy can hold.
 */
struct taskset_proxy_stats {
	unsigned long proxies;
	unsigned long hits;
	unsigned long misses;
	unsigned long fresh;
};

void taskset_proxy_work_init(struct taskset_proxy *work,
			     const struct nsproxy *from);
void taskset_proxy_work_drop(struct taskset_proxy *work);
struct nsproxy *taskset_proxy_get(struct taskset_proxy *work, bool fresh);
void taskset_proxy_release(struct nsproxy *nsp);
void taskset_proxy_read_stats(struct taskset_proxy_stats *stats);
bool taskset_proxy_for_each(bool (*fn)(struct taskset_proxy *proxy,
				       void *arg),
			    void *arg);
void __init taskset_proxy_cache_init(void);

#endif /* _LINUX_TASKSET_PROXY_H */
