// SPDX-License-Identifier: GPL-2.0
/*
 * The life of proxies: allocation, sharing through a hash, release.
 *
 * A task's proxy changes only in the task's own context (clone, unshare,
 * setns, exec with a pending time namespace). Each such change first
 * assembles the new states in a work proxy that is not shared, then asks
 * taskset_proxy_get() for a shared proxy with exactly those states: an
 * existing one if the hash has it (one reference more), a new one
 * otherwise. A fork that changes nothing never gets here: it takes one
 * more reference on its parent's proxy, as it always did.
 *
 * See include/linux/taskset_proxy.h for the locking and lifetime rules.
 */

#include <linux/cgroup.h>
#include <linux/hashtable.h>
#include <linux/init.h>
#include <linux/ipc_namespace.h>
#include <linux/hash.h>
#include <linux/mnt_namespace.h>
#include <linux/pid_namespace.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/taskset_proxy.h>
#include <linux/time_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>

#define TASKSET_PROXY_HASH_BITS	7

/*
 * taskset_proxy_lock protects taskset_proxy_hash, every proxy's
 * hash_node, and taskset_proxy_counts. It nests inside nothing that
 * sleeps and is never held while a namespace is put.
 */
static DEFINE_SPINLOCK(taskset_proxy_lock);
static DEFINE_HASHTABLE(taskset_proxy_hash, TASKSET_PROXY_HASH_BITS);
static struct taskset_proxy_stats taskset_proxy_counts = { .proxies = 1 };

static struct kmem_cache *taskset_proxy_cachep __ro_after_init;

/*
 * The hash key: the node, the namespace pointers and the resource
 * states, all pointers. The eight namespace pointers are contiguous in
 * struct nsproxy, from uts_ns to its end. The key is hashed and compared
 * a word at a time: this is on the path of every setns() and unshare(),
 * and jhash() or memcmp() of the same words cost several times more.
 */
#define NS_KEY_OFFSET	offsetof(struct nsproxy, uts_ns)
#define NS_KEY_WORDS	8
static_assert(sizeof(struct nsproxy) - NS_KEY_OFFSET ==
	      NS_KEY_WORDS * sizeof(unsigned long));

static const unsigned long *ns_key(const struct taskset_proxy *proxy)
{
	return (const void *)&proxy->ns + NS_KEY_OFFSET;
}

static unsigned long mix(unsigned long hash, const void *word)
{
	return hash_long(hash + (unsigned long)word, BITS_PER_LONG);
}

/*
 * Hash the node and the namespaces only: proxies that differ in resource
 * states alone share a bucket, and proxy_key_equal() tells them apart.
 */
static u32 proxy_hash(const struct taskset_proxy *proxy)
{
	const unsigned long *key = ns_key(proxy);
	unsigned long hash = mix(0, proxy->node);
	int i;

	for (i = 0; i < NS_KEY_WORDS; i++)
		hash = mix(hash, (void *)key[i]);
	return hash_long(hash, 32);
}

static bool proxy_key_equal(const struct taskset_proxy *a,
			    const struct taskset_proxy *b)
{
	const unsigned long *ka = ns_key(a), *kb = ns_key(b);
	int i;

	if (a->node != b->node)
		return false;
	for (i = 0; i < NS_KEY_WORDS; i++)
		if (ka[i] != kb[i])
			return false;
	for (i = 0; i < TASKSET_NR_FACETS; i++)
		if (a->state[i] != b->state[i])
			return false;
	return true;
}

/**
 * taskset_proxy_work_init() - start a work proxy from an existing one
 * @work: the work proxy, typically on the stack
 * @from: the nsproxy whose node and resource states @work inherits
 *
 * Only the node and the resource states are copied, without references:
 * the namespace pointers are for the caller to fill in, each with a
 * reference that @work then owns.
 */
void taskset_proxy_work_init(struct taskset_proxy *work,
			     const struct nsproxy *from)
{
	const struct taskset_proxy *proxy =
		container_of(from, struct taskset_proxy, ns);

	/* Every namespace pointer is set by the caller: no memset. */
	refcount_set(&work->ns.count, 1);
	work->node = proxy->node;
	memcpy(work->state, proxy->state, sizeof(work->state));
	INIT_HLIST_NODE(&work->hash_node);
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
 * taskset_proxy_work_drop() - give up a work proxy
 * @work: the work proxy
 *
 * Puts the namespace references @work owns.
 */
void taskset_proxy_work_drop(struct taskset_proxy *work)
{
	WARN_ON_ONCE(!hlist_unhashed(&work->hash_node));
	put_namespaces(&work->ns);
}

/*
 * Find a live proxy with @work's key and take a reference on it. A proxy
 * whose count already dropped to zero is being released: it is skipped.
 */
static struct taskset_proxy *find_proxy(const struct taskset_proxy *work,
					u32 hash)
{
	struct taskset_proxy *proxy;

	lockdep_assert_held(&taskset_proxy_lock);
	hash_for_each_possible(taskset_proxy_hash, proxy, hash_node, hash) {
		if (proxy_key_equal(proxy, work) &&
		    refcount_inc_not_zero(&proxy->ns.count))
			return proxy;
	}
	return NULL;
}

static struct taskset_proxy *find_proxy_locked(const struct taskset_proxy *work,
					       u32 hash)
{
	struct taskset_proxy *proxy;

	spin_lock(&taskset_proxy_lock);
	proxy = find_proxy(work, hash);
	if (proxy)
		taskset_proxy_counts.hits++;
	spin_unlock(&taskset_proxy_lock);
	return proxy;
}

/*
 * Hash @proxy, unless another task published the same key meanwhile:
 * then return that one, referenced, and leave @proxy unhashed.
 */
static struct taskset_proxy *hash_proxy(struct taskset_proxy *proxy,
					u32 hash, bool fresh)
{
	struct taskset_proxy *found = NULL;

	spin_lock(&taskset_proxy_lock);
	if (!fresh)
		found = find_proxy(proxy, hash);
	if (found) {
		taskset_proxy_counts.hits++;
	} else {
		hash_add(taskset_proxy_hash, &proxy->hash_node, hash);
		taskset_proxy_counts.proxies++;
		if (fresh)
			taskset_proxy_counts.fresh++;
		else
			taskset_proxy_counts.misses++;
	}
	spin_unlock(&taskset_proxy_lock);
	return found;
}

/**
 * taskset_proxy_get() - the shared proxy with a work proxy's states
 * @work: the assembled states; its references are consumed
 * @fresh: @work holds a namespace just created for it, which no proxy
 *	can hold yet: skip the lookup
 *
 * Looks @work's key up and returns the proxy found, with a reference
 * taken; only on a miss allocates a proxy, which takes over @work's
 * references. Either way @work no longer owns any reference.
 *
 * Context: may sleep.
 * Return: a referenced, shared nsproxy, or ERR_PTR(-ENOMEM).
 */
struct nsproxy *taskset_proxy_get(struct taskset_proxy *work, bool fresh)
{
	u32 hash = proxy_hash(work);
	struct taskset_proxy *proxy, *found;

	might_sleep();
	if (!fresh) {
		found = find_proxy_locked(work, hash);
		if (found)
			goto drop_work;
	}

	proxy = kmem_cache_alloc(taskset_proxy_cachep, GFP_KERNEL);
	if (!proxy) {
		taskset_proxy_work_drop(work);
		return ERR_PTR(-ENOMEM);
	}
	*proxy = *work;
	INIT_HLIST_NODE(&proxy->hash_node);
	found = hash_proxy(proxy, hash, fresh);
	if (!found)
		return &proxy->ns;
	kmem_cache_free(taskset_proxy_cachep, proxy);

drop_work:
	taskset_proxy_work_drop(work);
	return &found->ns;
}

/**
 * taskset_proxy_release() - free a proxy whose last reference is gone
 * @nsp: the proxy's nsproxy
 *
 * Called by put_nsproxy() (as free_nsproxy()) when the count drops to
 * zero. A lookup may still see the proxy until it is unhashed here, but
 * cannot take a reference on it any more.
 *
 * Context: process context; may sleep in the namespaces' put.
 */
void taskset_proxy_release(struct nsproxy *nsp)
{
	struct taskset_proxy *proxy = to_taskset_proxy(nsp);

	if (WARN_ON_ONCE(proxy == &init_taskset_proxy))
		return;
	spin_lock(&taskset_proxy_lock);
	if (!hlist_unhashed(&proxy->hash_node)) {
		hash_del(&proxy->hash_node);
		taskset_proxy_counts.proxies--;
	}
	spin_unlock(&taskset_proxy_lock);
	put_namespaces(nsp);
	kmem_cache_free(taskset_proxy_cachep, proxy);
}

/**
 * taskset_proxy_read_stats() - read the hash counters
 * @stats: filled with a consistent copy of the counters
 */
void taskset_proxy_read_stats(struct taskset_proxy_stats *stats)
{
	spin_lock(&taskset_proxy_lock);
	*stats = taskset_proxy_counts;
	spin_unlock(&taskset_proxy_lock);
}

/**
 * taskset_proxy_for_each() - call a function on every shared proxy
 * @fn: called with taskset_proxy_lock held, so must not sleep; returns
 *	false to stop the walk
 * @arg: passed to @fn
 *
 * A proxy being released may be visited: its states are still held.
 *
 * Return: false if @fn stopped the walk.
 */
bool taskset_proxy_for_each(bool (*fn)(struct taskset_proxy *proxy,
				       void *arg),
			    void *arg)
{
	struct taskset_proxy *proxy;
	bool complete = true;
	int bkt;

	spin_lock(&taskset_proxy_lock);
	hash_for_each(taskset_proxy_hash, bkt, proxy, hash_node) {
		if (!fn(proxy, arg)) {
			complete = false;
			break;
		}
	}
	spin_unlock(&taskset_proxy_lock);
	return complete;
}

/**
 * taskset_proxy_cache_init() - create the proxy slab cache
 *
 * Called early in boot, before the first proxy is allocated.
 */
void __init taskset_proxy_cache_init(void)
{
	taskset_proxy_cachep = KMEM_CACHE(taskset_proxy,
					  SLAB_PANIC | SLAB_ACCOUNT);
}

/*
 * Hash the initial proxy, so that tasks returning to the initial states
 * share it. Not earlier: the initial mount namespace is set in it at
 * boot, after the cache is created, and a hashed key must not change.
 */
static int __init taskset_proxy_hash_init(void)
{
	struct taskset_proxy *init = &init_taskset_proxy;

	if (IS_ENABLED(CONFIG_TASKSET))
		init->node = &taskset_root;
	spin_lock(&taskset_proxy_lock);
	hash_add(taskset_proxy_hash, &init->hash_node, proxy_hash(init));
	spin_unlock(&taskset_proxy_lock);
	return 0;
}
pure_initcall(taskset_proxy_hash_init);
