// SPDX-License-Identifier: GPL-2.0
/*
 * The life of proxies: allocation, sharing through a hash, release.
 *
 * A task's proxy changes only in the task's own context (clone, unshare,
 * setns, exec with a pending time namespace). Each such change first
 * allocates a work proxy (taskset_proxy_alloc()), so that nothing can
 * fail later for lack of memory, fills it with the new states, and, at
 * its point of no return, exchanges it for the shared proxy with exactly
 * those states (taskset_proxy_share()): an existing one if the hash has
 * it, the work proxy itself otherwise. A fork that changes nothing never
 * gets here: it takes one more reference on its parent's proxy, as it
 * always did.
 *
 * See include/linux/taskset_proxy.h for the locking and lifetime rules.
 */

#include <linux/cgroup.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/ipc_namespace.h>
#include <linux/mnt_namespace.h>
#include <linux/percpu.h>
#include <linux/pid_namespace.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/taskset_proxy.h>
#include <linux/time_namespace.h>
#include <linux/utsname.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

/* Room for this many proxies more than counted when a snapshot starts. */
#define SNAPSHOT_SLACK	64

static struct kmem_cache *taskset_proxy_cachep __ro_after_init;
static struct rhashtable proxy_hash;

/*
 * The counters of taskset.stat, per CPU so that the lock-free hit path
 * writes no shared cache line; summed when read. proxies is counted
 * where a proxy is published and released, which may be different CPUs.
 */
struct proxy_pcpu_stats {
	long proxies;
	unsigned long hits;
	unsigned long misses;
};

static DEFINE_PER_CPU(struct proxy_pcpu_stats, proxy_stats);

/* The key is every field of struct nsproxy but the count, and the node. */
static_assert(sizeof(struct nsproxy) ==
	      offsetofend(struct nsproxy, cgroup_ns),
	      "a new nsproxy field must join the proxy key");

static u64 mix(u64 hash, const void *ptr)
{
	return (hash ^ (unsigned long)ptr) * GOLDEN_RATIO_64;
}

static u32 proxy_key_hash(const struct taskset_proxy *proxy, u32 seed)
{
	const struct nsproxy *ns = &proxy->ns;
	u64 hash = seed;

	hash = mix(hash, proxy->node);
	hash = mix(hash, ns->uts_ns);
	hash = mix(hash, ns->ipc_ns);
	hash = mix(hash, ns->mnt_ns);
	hash = mix(hash, ns->pid_ns_for_children);
	hash = mix(hash, ns->net_ns);
	hash = mix(hash, ns->time_ns);
	hash = mix(hash, ns->time_ns_for_children);
	hash = mix(hash, ns->cgroup_ns);
	return hash >> 32;
}

static bool proxy_key_equal(const struct taskset_proxy *a,
			    const struct taskset_proxy *b)
{
	const struct nsproxy *x = &a->ns, *y = &b->ns;

	return a->node == b->node &&
	       x->uts_ns == y->uts_ns &&
	       x->ipc_ns == y->ipc_ns &&
	       x->mnt_ns == y->mnt_ns &&
	       x->pid_ns_for_children == y->pid_ns_for_children &&
	       x->net_ns == y->net_ns &&
	       x->time_ns == y->time_ns &&
	       x->time_ns_for_children == y->time_ns_for_children &&
	       x->cgroup_ns == y->cgroup_ns;
}

/* The lookup key is a proxy too: the work proxy being shared. */
static u32 proxy_hashfn(const void *data, u32 len, u32 seed)
{
	return proxy_key_hash(data, seed);
}

static int proxy_cmpfn(struct rhashtable_compare_arg *arg, const void *obj)
{
	return !proxy_key_equal(arg->key, obj);
}

static const struct rhashtable_params proxy_hash_params = {
	.head_offset		= offsetof(struct taskset_proxy, hash_node),
	.hashfn			= proxy_hashfn,
	.obj_hashfn		= proxy_hashfn,
	.obj_cmpfn		= proxy_cmpfn,
	.automatic_shrinking	= true,
};

/**
 * taskset_proxy_alloc() - allocate a work proxy
 * @from: the nsproxy whose node the work proxy inherits
 *
 * Allocate first, so that nothing fails for lack of memory once the
 * states have been changed. The namespace pointers are for the caller to
 * fill in, each with a reference that the work proxy then owns.
 *
 * Context: may sleep.
 * Return: the work proxy's nsproxy, with a count of 1, or NULL.
 */
struct nsproxy *taskset_proxy_alloc(const struct nsproxy *from)
{
	const struct taskset_proxy *parent =
		container_of(from, struct taskset_proxy, ns);
	struct taskset_proxy *work;

	work = kmem_cache_alloc(taskset_proxy_cachep, GFP_KERNEL);
	if (!work)
		return NULL;
	refcount_set(&work->ns.count, 1);
	work->node = parent->node;
	return &work->ns;
}

/**
 * taskset_proxy_free() - free a work proxy that holds no reference
 * @work: the work proxy's nsproxy, never published
 */
void taskset_proxy_free(struct nsproxy *work)
{
	kmem_cache_free(taskset_proxy_cachep, to_taskset_proxy(work));
}

/* Put the namespace references that @nsp owns. */
static void put_namespaces(struct nsproxy *nsp)
{
	if (nsp->mnt_ns)
		put_mnt_ns(nsp->mnt_ns);
	if (nsp->uts_ns)
		put_uts_ns(nsp->uts_ns);
	if (nsp->ipc_ns)
		put_ipc_ns(nsp->ipc_ns);
	if (nsp->pid_ns_for_children)
		put_pid_ns(nsp->pid_ns_for_children);
	if (nsp->time_ns)
		put_time_ns(nsp->time_ns);
	if (nsp->time_ns_for_children)
		put_time_ns(nsp->time_ns_for_children);
	put_cgroup_ns(nsp->cgroup_ns);
	put_net(nsp->net_ns);
}

/**
 * taskset_proxy_discard() - give up a filled work proxy
 * @work: the work proxy's nsproxy, never published
 *
 * Puts the namespace references @work owns and frees it.
 *
 * Context: may sleep.
 */
void taskset_proxy_discard(struct nsproxy *work)
{
	put_namespaces(work);
	taskset_proxy_free(work);
}

/* A live proxy with @key's states, referenced, or NULL. */
static struct taskset_proxy *lookup_proxy(const struct taskset_proxy *key)
{
	struct taskset_proxy *proxy;

	rcu_read_lock();
	proxy = rhashtable_lookup(&proxy_hash, key, proxy_hash_params);
	if (proxy && !refcount_inc_not_zero(&proxy->ns.count))
		proxy = NULL;	/* being released: its key is free again */
	rcu_read_unlock();
	return proxy;
}

/*
 * Hash @work, unless a live proxy with its key got there first: then
 * return that one, referenced. A proxy with the key that is being
 * released gives its place to @work. If the hash cannot take @work (no
 * memory to grow it), @work stays private: correct, just not shared.
 */
static struct taskset_proxy *hash_proxy(struct taskset_proxy *work)
{
	struct taskset_proxy *old;

	rcu_read_lock();
	for (;;) {
		old = rhashtable_lookup_get_insert_key(&proxy_hash, work,
						       &work->hash_node,
						       proxy_hash_params);
		if (IS_ERR_OR_NULL(old)) {
			old = NULL;
			break;
		}
		if (refcount_inc_not_zero(&old->ns.count))
			break;
		if (!rhashtable_replace_fast(&proxy_hash, &old->hash_node,
					     &work->hash_node,
					     proxy_hash_params)) {
			old = NULL;
			break;
		}
		/* It was unhashed meanwhile: try again. */
	}
	rcu_read_unlock();
	return old;
}

/**
 * taskset_proxy_share() - the shared proxy with a work proxy's states
 * @work: the work proxy's nsproxy, filled; it is consumed
 *
 * Looks @work's key up and returns the live proxy found, with a
 * reference taken, freeing @work; on a miss publishes @work itself. From
 * then on the returned proxy's key must not change.
 *
 * This is meant for a point of no return: it cannot fail.
 *
 * Context: may sleep.
 * Return: a referenced, shared nsproxy.
 */
struct nsproxy *taskset_proxy_share(struct nsproxy *work)
{
	struct taskset_proxy *proxy = to_taskset_proxy(work), *found;

	might_sleep();
	found = lookup_proxy(proxy);
	if (!found)
		found = hash_proxy(proxy);
	if (found) {
		this_cpu_inc(proxy_stats.hits);
		taskset_proxy_discard(work);
		return &found->ns;
	}
	this_cpu_inc(proxy_stats.misses);
	this_cpu_inc(proxy_stats.proxies);
	taskset_proxy_debug_publish(proxy, proxy_key_hash(proxy, 0));
	return work;
}

/**
 * taskset_proxy_release() - free a proxy whose last reference is gone
 * @nsp: the proxy's nsproxy
 *
 * Called by put_nsproxy() (as free_nsproxy()) when the count drops to
 * zero. A lookup may still see the proxy until it is unhashed here, but
 * cannot take a reference on it any more; it is freed after a grace
 * period, so that such a lookup can still read it.
 *
 * Context: process context; may sleep in the namespaces' put.
 */
void taskset_proxy_release(struct nsproxy *nsp)
{
	struct taskset_proxy *proxy = to_taskset_proxy(nsp);

	if (WARN_ON_ONCE(proxy == &init_taskset_proxy))
		return;
	taskset_proxy_debug_release(proxy, proxy_key_hash(proxy, 0));
	/* Fails harmlessly for a private proxy or one replaced meanwhile. */
	rhashtable_remove_fast(&proxy_hash, &proxy->hash_node,
			       proxy_hash_params);
	this_cpu_dec(proxy_stats.proxies);
	put_namespaces(nsp);
	kfree_rcu(proxy, rcu);
}

static LLIST_HEAD(deferred_puts);

static void put_deferred(struct work_struct *work)
{
	struct taskset_proxy *proxy, *next;

	llist_for_each_entry_safe(proxy, next, llist_del_all(&deferred_puts),
				  put_node)
		put_nsproxy(&proxy->ns);
}

static DECLARE_WORK(deferred_put_work, put_deferred);

/**
 * taskset_proxy_put_deferred() - drop a reference without releasing here
 * @proxy: a proxy the caller holds a reference on
 *
 * For a reader that took a reference on proxies it does not own (a
 * listing): if its reference is the last, the release, and with it the
 * final put of another user's namespaces, happens in a work item, not in
 * the reader's context.
 */
void taskset_proxy_put_deferred(struct taskset_proxy *proxy)
{
	if (refcount_dec_not_one(&proxy->ns.count))
		return;
	if (llist_add(&proxy->put_node, &deferred_puts))
		schedule_work(&deferred_put_work);
}

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/*
 * Take a reference on every live proxy in the hash, into @proxies, which
 * has room for @max. Returns how many, or @max + 1 if there were more.
 * A resize during the walk may show a proxy twice: the caller folds
 * duplicates.
 */
static size_t snapshot_walk(struct taskset_proxy **proxies, size_t max)
{
	struct rhashtable_iter iter;
	struct taskset_proxy *proxy;
	size_t nr = 0;

	rhashtable_walk_enter(&proxy_hash, &iter);
	rhashtable_walk_start(&iter);
	while ((proxy = rhashtable_walk_next(&iter))) {
		if (IS_ERR(proxy)) {
			if (PTR_ERR(proxy) == -EAGAIN)
				continue;
			break;
		}
		if (nr == max) {
			nr = max + 1;
			break;
		}
		if (refcount_inc_not_zero(&proxy->ns.count))
			proxies[nr++] = proxy;
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return nr;
}

/* Sort @proxies and drop the second reference of any duplicate. */
static size_t snapshot_fold(struct taskset_proxy **proxies, size_t nr)
{
	size_t i, out = 0;

	sort(proxies, nr, sizeof(*proxies), cmp_ptr, NULL);
	for (i = 0; i < nr; i++) {
		if (out && proxies[out - 1] == proxies[i]) {
			taskset_proxy_put_deferred(proxies[i]);
			continue;
		}
		proxies[out++] = proxies[i];
	}
	return out;
}

/**
 * taskset_proxy_snapshot() - reference every shared proxy
 * @nr: set to the number of proxies returned
 *
 * The walk runs under RCU, without any lock that state changes take.
 * Release the snapshot with taskset_proxy_snapshot_put(): it never does
 * a proxy's final put in the caller's context.
 *
 * Context: may sleep.
 * Return: an array of @nr referenced proxies, or NULL without memory.
 */
struct taskset_proxy **taskset_proxy_snapshot(size_t *nr)
{
	size_t max = atomic_read(&proxy_hash.nelems) + SNAPSHOT_SLACK;
	struct taskset_proxy **proxies;
	size_t n;

	for (;;) {
		proxies = kvmalloc_array(max, sizeof(*proxies), GFP_KERNEL);
		if (!proxies)
			return NULL;
		n = snapshot_walk(proxies, max);
		if (n <= max)
			break;
		/* More proxies appeared than there was room for. */
		taskset_proxy_snapshot_put(proxies, max);
		max *= 2;
	}
	*nr = snapshot_fold(proxies, n);
	return proxies;
}

/**
 * taskset_proxy_snapshot_put() - release a snapshot
 * @proxies: the array taskset_proxy_snapshot() returned
 * @nr: its number of proxies
 */
void taskset_proxy_snapshot_put(struct taskset_proxy **proxies, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		taskset_proxy_put_deferred(proxies[i]);
	kvfree(proxies);
}

/**
 * taskset_proxy_read_stats() - read the hash counters
 * @stats: filled with the sums of the per-CPU counters
 *
 * The counters are read without a lock: each is exact, but they may not
 * be from the same instant. The cost is one pass over the CPUs.
 */
void taskset_proxy_read_stats(struct taskset_proxy_stats *stats)
{
	int cpu;

	/* The initial proxy is never counted by a publication. */
	*stats = (struct taskset_proxy_stats) { .proxies = 1 };
	for_each_possible_cpu(cpu) {
		const struct proxy_pcpu_stats *s = per_cpu_ptr(&proxy_stats, cpu);

		stats->proxies += READ_ONCE(s->proxies);
		stats->hits += READ_ONCE(s->hits);
		stats->misses += READ_ONCE(s->misses);
	}
}

/**
 * taskset_proxy_cache_init() - create the proxy slab cache and hash
 *
 * Called early in boot, before the first proxy is allocated.
 */
void __init taskset_proxy_cache_init(void)
{
	taskset_proxy_cachep = KMEM_CACHE(taskset_proxy,
					  SLAB_PANIC | SLAB_ACCOUNT);
	if (rhashtable_init(&proxy_hash, &proxy_hash_params))
		panic("taskset: cannot allocate the proxy hash\n");
}

/**
 * taskset_proxy_publish_initial() - hash the initial proxy
 *
 * Called once the initial mount namespace is in place, the last change
 * to the initial proxy's key, so that tasks returning to the initial
 * states share it. No task has changed its states before: they are all
 * still the initial proxy's.
 */
void __init taskset_proxy_publish_initial(void)
{
	struct taskset_proxy *init = &init_taskset_proxy;

	if (WARN_ON(rhashtable_insert_fast(&proxy_hash, &init->hash_node,
					   proxy_hash_params)))
		return;
	taskset_proxy_debug_publish(init, proxy_key_hash(init, 0));
}
