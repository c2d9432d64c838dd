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
#include <linux/list_nulls.h>
#include <linux/memblock.h>
#include <linux/mnt_namespace.h>
#include <linux/percpu.h>
#include <linux/pid_namespace.h>
#include <linux/rculist_nulls.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/taskset_proxy.h>
#include <linux/time_namespace.h>
#include <linux/utsname.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

/* Room for this many proxies more than counted when a snapshot starts. */
#define SNAPSHOT_SLACK	64

/*
 * Proxies are SLAB_TYPESAFE_BY_RCU: a lookup under RCU may meet a proxy
 * that was freed, even reused for other states, meanwhile. It takes a
 * reference with refcount_inc_not_zero(), which fails on a free proxy and
 * on a work proxy (their count is 0), then checks the key again.
 */
static struct kmem_cache *taskset_proxy_cachep __ro_after_init;

/*
 * The hash: one bucket per task the memory can hold (as many as
 * max_threads), sized at boot as the pid and inode hashes are. Each
 * chain ends in a nulls marker naming its bucket, so that a lookup that
 * followed a reused proxy into another chain notices and starts again.
 * Lookups walk it under RCU alone.
 */
static struct hlist_nulls_head *proxy_hash __ro_after_init;
static unsigned int proxy_hash_shift __ro_after_init;

/*
 * taskset_proxy_lock serializes the changes of the hash: publishing a
 * proxy (with the check that no live proxy has its key) and unhashing
 * one. It is taken for a few instructions, never across a sleep, never
 * while a namespace is put, and never by a lookup or a reader.
 */
static DEFINE_SPINLOCK(taskset_proxy_lock);

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

/*
 * The key is every field of struct nsproxy but the count, the node and
 * the resource states. The resource states are the node's, which never
 * change (taskset_proxy_set_node()): the node stands for them, and
 * they are neither folded nor compared, which keeps a 64-byte compare
 * off every setns() and unshare().
 */
static_assert(sizeof(struct nsproxy) ==
	      offsetofend(struct nsproxy, cgroup_ns),
	      "a new nsproxy field must join the proxy key");

/*
 * Fold the key's pointers, a rotation apart so that equal pointers in
 * different fields do not cancel out; hash_64() then spreads the bits.
 * This is on the path of every setns() and unshare(): a multiplication
 * per field would cost more than the rest of the lookup.
 */
static u64 proxy_key_fold(const struct taskset_proxy *proxy)
{
	const struct nsproxy *ns = &proxy->ns;
	u64 key = (unsigned long)proxy->node;

	key = rol64(key, 7) ^ (unsigned long)ns->uts_ns;
	key = rol64(key, 7) ^ (unsigned long)ns->ipc_ns;
	key = rol64(key, 7) ^ (unsigned long)ns->mnt_ns;
	key = rol64(key, 7) ^ (unsigned long)ns->pid_ns_for_children;
	key = rol64(key, 7) ^ (unsigned long)ns->net_ns;
	key = rol64(key, 7) ^ (unsigned long)ns->time_ns;
	key = rol64(key, 7) ^ (unsigned long)ns->time_ns_for_children;
	key = rol64(key, 7) ^ (unsigned long)ns->cgroup_ns;
	return key;
}

/* Fold @proxy's key into it; return its bucket. */
static unsigned int proxy_set_key_fold(struct taskset_proxy *proxy)
{
	proxy->key_fold = proxy_key_fold(proxy);
	return hash_64(proxy->key_fold, proxy_hash_shift);
}

static bool proxy_key_equal(const struct taskset_proxy *a,
			    const struct taskset_proxy *b)
{
	const struct nsproxy *x = &a->ns, *y = &b->ns;

	return a->node == b->node &&
	       a->states_gen == b->states_gen &&
	       x->uts_ns == y->uts_ns &&
	       x->ipc_ns == y->ipc_ns &&
	       x->mnt_ns == y->mnt_ns &&
	       x->pid_ns_for_children == y->pid_ns_for_children &&
	       x->net_ns == y->net_ns &&
	       x->time_ns == y->time_ns &&
	       x->time_ns_for_children == y->time_ns_for_children &&
	       x->cgroup_ns == y->cgroup_ns;
}

/**
 * taskset_proxy_alloc() - allocate a work proxy
 * @from: the nsproxy whose node the work proxy inherits
 *
 * Allocate first, so that nothing fails for lack of memory once the
 * states have been changed. The namespace pointers are for the caller to
 * fill in, each with a reference that the work proxy then owns. Its
 * count stays 0 until it is published: a lookup that meets it (through
 * a stale pointer to the proxy this memory was) cannot take it. Its node
 * is @from's, not referenced: the caller holds @from until the work
 * proxy is shared, which takes a reference on the node if it publishes.
 *
 * Context: may sleep.
 * Return: the work proxy's nsproxy, or NULL.
 */
struct nsproxy *taskset_proxy_alloc(const struct nsproxy *from)
{
	const struct taskset_proxy *parent =
		container_of(from, struct taskset_proxy, ns);
	struct taskset_proxy *work;

	work = kmem_cache_alloc(taskset_proxy_cachep, GFP_KERNEL);
	if (!work)
		return NULL;
	if (IS_ENABLED(CONFIG_DEBUG_TASKSET))
		WARN_ON_ONCE(refcount_read(&work->ns.count));
	/* Borrowed: @from's holder keeps it until the work proxy is shared. */
	work->node = parent->node;
	memcpy(work->state, parent->state, sizeof(work->state));
	work->states_gen = parent->states_gen;
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

/**
 * taskset_proxy_count_tasks() - count a task that changes nodes
 * @from: the node of the proxy it leaves, or NULL
 * @to: the node of the proxy it joins, or NULL
 *
 * Called by taskset_proxy_count_task() for two different nodes only.
 * The root's members are not counted. A node that gains its first
 * member or loses its last one changes its populated state (empty.c).
 */
void taskset_proxy_count_tasks(struct taskset *from, struct taskset *to)
{
	if (!IS_ENABLED(CONFIG_TASKSET))
		return;
	/*
	 * Join first: a move from a node to its parent or child never
	 * shows their common ancestors empty for a moment.
	 */
	if (to && to != &taskset_root)
		taskset_node_join(to);
	if (from && from != &taskset_root)
		taskset_node_leave(from);
}

/**
 * taskset_get_namespaces() - take a reference on each of an nsproxy's
 *	namespaces
 * @nsp: an nsproxy whose namespaces someone holds, copied by the caller
 *	into a struct it owns
 */
void taskset_get_namespaces(struct nsproxy *nsp)
{
	/* get_mnt_ns() is private to fs/ */
	refcount_inc(&from_mnt_ns(nsp->mnt_ns)->count);
	get_uts_ns(nsp->uts_ns);
	get_ipc_ns(nsp->ipc_ns);
	get_pid_ns(nsp->pid_ns_for_children);
	get_time_ns(nsp->time_ns);
	get_time_ns(nsp->time_ns_for_children);
	get_cgroup_ns(nsp->cgroup_ns);
	get_net(nsp->net_ns);
}

/**
 * taskset_put_namespaces() - put the namespace references an nsproxy owns
 * @nsp: the nsproxy; a field left NULL by a failed creation is skipped
 *
 * Context: may sleep.
 */
void taskset_put_namespaces(struct nsproxy *nsp)
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
	taskset_put_namespaces(work);
	taskset_proxy_free(work);
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
 * For a holder that must not release a proxy in its own context: a
 * reader that took references on proxies it does not own (a listing), or
 * a lookup under RCU. If its reference is the last, the release, and
 * with it the final put of another user's namespaces, happens in a work
 * item.
 *
 * Context: any; does not sleep.
 */
void taskset_proxy_put_deferred(struct taskset_proxy *proxy)
{
	if (refcount_dec_not_one(&proxy->ns.count))
		return;
	if (llist_add(&proxy->put_node, &deferred_puts))
		schedule_work(&deferred_put_work);
}

/*
 * Take a reference on @proxy, met in a hash chain under RCU, if it is a
 * live proxy with @key's states. The memory may have been freed and
 * reused since it was reached: the key is compared once the reference
 * holds it still.
 */
static bool get_if_key(struct taskset_proxy *proxy,
		       const struct taskset_proxy *key)
{
	if (READ_ONCE(proxy->key_fold) != key->key_fold ||
	    !refcount_inc_not_zero(&proxy->ns.count))
		return false;
	/*
	 * Read the key of what was referenced: pairs with the smp_wmb()
	 * before a proxy's count is set in hash_proxy().
	 */
	smp_acquire__after_ctrl_dep();
	if (likely(proxy_key_equal(proxy, key)))
		return true;
	taskset_proxy_put_deferred(proxy);
	return false;
}

/* A live proxy with @key's states, referenced, or NULL. */
static struct taskset_proxy *lookup_proxy(const struct taskset_proxy *key,
					  unsigned int bucket)
{
	struct taskset_proxy *proxy;
	struct hlist_nulls_node *pos;

	rcu_read_lock();
again:
	hlist_nulls_for_each_entry_rcu(proxy, pos, &proxy_hash[bucket],
				       hash_node) {
		if (get_if_key(proxy, key))
			goto found;
	}
	/* A reused proxy led the walk into another chain. */
	if (get_nulls_value(pos) != bucket)
		goto again;
	proxy = NULL;
found:
	rcu_read_unlock();
	return proxy;
}

/*
 * Publish @work, unless a live proxy with its key got there first: then
 * return that one, referenced. Under the lock, the chain is stable.
 */
static struct taskset_proxy *hash_proxy(struct taskset_proxy *work,
					unsigned int bucket)
{
	struct taskset_proxy *proxy;
	struct hlist_nulls_node *pos;

	spin_lock(&taskset_proxy_lock);
	hlist_nulls_for_each_entry(proxy, pos, &proxy_hash[bucket], hash_node) {
		if (proxy->key_fold == work->key_fold &&
		    proxy_key_equal(proxy, work) &&
		    refcount_inc_not_zero(&proxy->ns.count))
			goto unlock;
	}
	proxy = NULL;
	/*
	 * A lookup may meet @work before it is linked: through a chain it
	 * was walking when the memory was freed and reused (the cache is
	 * SLAB_TYPESAFE_BY_RCU). Such a lookup must never take a reference
	 * on the new count and then compare the previous occupant's key:
	 * the key was filled before, and smp_wmb() orders it before the
	 * count, as the insertion's release orders both before the link.
	 * Pairs with smp_acquire__after_ctrl_dep() (an smp_rmb()) in
	 * get_if_key(): a reader whose refcount_inc_not_zero() read this 1
	 * reads the key written before it. That is message passing, the
	 * key being the data and the count the flag, and the LKMM forbids
	 * the stale outcome: tools/memory-model/litmus-tests/
	 * MP+fencewmbonceonce+fencermbonceonce.litmus ("Never"). The
	 * lock's acquire orders nothing here: the key was written before
	 * it was taken.
	 */
	smp_wmb();
	refcount_set(&work->ns.count, 1);
	hlist_nulls_add_head_rcu(&work->hash_node, &proxy_hash[bucket]);
	/* Put at the release; the root is not counted. */
	taskset_get(work->node);
unlock:
	spin_unlock(&taskset_proxy_lock);
	return proxy;
}

/* Publish @proxy, or take the live proxy with its key: see below. */
static struct nsproxy *share_proxy(struct taskset_proxy *proxy, bool lookup)
{
	unsigned int bucket = proxy_set_key_fold(proxy);
	struct taskset_proxy *found = NULL;

	might_sleep();
	if (lookup)
		found = lookup_proxy(proxy, bucket);
	if (!found)
		found = hash_proxy(proxy, bucket);
	if (found) {
		this_cpu_inc(proxy_stats.hits);
		taskset_proxy_discard(&proxy->ns);
		return &found->ns;
	}
	this_cpu_inc(proxy_stats.misses);
	this_cpu_inc(proxy_stats.proxies);
	return &proxy->ns;
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
	return share_proxy(to_taskset_proxy(work), true);
}

/**
 * taskset_proxy_publish() - taskset_proxy_share() after a missed find
 * @work: the work proxy's nsproxy, filled; it is consumed
 *
 * For a caller whose taskset_proxy_find() of the same states missed: the
 * proxy is most likely still missing, so the lockless lookup is skipped
 * and the check under taskset_proxy_lock is the only one.
 *
 * Context: may sleep.
 * Return: a referenced, shared nsproxy.
 */
struct nsproxy *taskset_proxy_publish(struct nsproxy *work)
{
	return share_proxy(to_taskset_proxy(work), false);
}

/**
 * taskset_proxy_find() - the shared proxy with given states, if one exists
 * @ns: the namespace states; its count is not read
 * @node: the node
 *
 * For a change of states that may reuse a proxy without allocating one:
 * a hit is final (a proxy's key never changes), a miss is for the caller
 * to handle with a work proxy.
 *
 * Context: any; does not sleep.
 * Return: the proxy's nsproxy, referenced, or NULL.
 */
struct nsproxy *taskset_proxy_find(const struct nsproxy *ns,
				   struct taskset *node)
{
	struct taskset_proxy key = { .ns = *ns };
	struct taskset_proxy *found;

	taskset_proxy_set_node(&key, node);
	found = lookup_proxy(&key, proxy_set_key_fold(&key));
	if (!found)
		return NULL;
	this_cpu_inc(proxy_stats.hits);
	return &found->ns;
}

/**
 * taskset_proxy_release() - free a proxy whose last reference is gone
 * @nsp: the proxy's nsproxy
 *
 * Called by put_nsproxy() (as free_nsproxy()) when the count drops to
 * zero. A lookup may still meet the proxy, until it is unhashed here and
 * even after it is freed, but cannot take a reference on it any more.
 *
 * Context: process context; may sleep in the namespaces' put.
 */
void taskset_proxy_release(struct nsproxy *nsp)
{
	struct taskset_proxy *proxy = to_taskset_proxy(nsp);

	if (WARN_ON_ONCE(proxy == &init_taskset_proxy))
		return;
	if (IS_ENABLED(CONFIG_DEBUG_TASKSET))
		WARN_ONCE(proxy->key_fold != proxy_key_fold(proxy) ||
			  (proxy->node &&
			   proxy->states_gen == proxy->node->states_gen &&
			   memcmp(proxy->state, proxy->node->states,
				  sizeof(proxy->state))),
			  "taskset: a published proxy's key changed\n");
	spin_lock(&taskset_proxy_lock);
	hlist_nulls_del_rcu(&proxy->hash_node);
	spin_unlock(&taskset_proxy_lock);
	this_cpu_dec(proxy_stats.proxies);
	taskset_put_namespaces(nsp);
	taskset_put(proxy->node);
	taskset_proxy_free(nsp);
}

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/*
 * Reference the live proxies of one bucket into @proxies, from index
 * *@nr, up to @max. Returns false if there was no room. A chain that a
 * reused proxy left is walked again: duplicates are folded later.
 */
static bool snapshot_bucket(unsigned int bucket,
			    struct taskset_proxy **proxies, size_t *nr,
			    size_t max)
{
	struct taskset_proxy *proxy;
	struct hlist_nulls_node *pos;
	bool room = true;

	rcu_read_lock();
again:
	hlist_nulls_for_each_entry_rcu(proxy, pos, &proxy_hash[bucket],
				       hash_node) {
		if (*nr == max) {
			room = false;
			goto out;
		}
		if (refcount_inc_not_zero(&proxy->ns.count))
			proxies[(*nr)++] = proxy;
	}
	if (get_nulls_value(pos) != bucket)
		goto again;
out:
	rcu_read_unlock();
	return room;
}

/*
 * Reference every live proxy into @proxies, which has room for @max.
 * Returns how many, or @max + 1 if there were more. Each bucket is
 * walked under RCU on its own, with a chance to reschedule in between.
 */
static size_t snapshot_walk(struct taskset_proxy **proxies, size_t max)
{
	unsigned int bucket;
	size_t nr = 0;

	for (bucket = 0; bucket < 1U << proxy_hash_shift; bucket++) {
		if (!snapshot_bucket(bucket, proxies, &nr, max))
			return max + 1;
		cond_resched();
	}
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
 * The walk runs under RCU, a bucket at a time, without the lock that
 * state changes take. Release the snapshot with
 * taskset_proxy_snapshot_put(): it never does a proxy's final put in the
 * caller's context.
 *
 * Context: may sleep.
 * Return: an array of @nr referenced proxies, or NULL without memory.
 */
struct taskset_proxy **taskset_proxy_snapshot(size_t *nr)
{
	struct taskset_proxy_stats stats;
	struct taskset_proxy **proxies;
	size_t max, n;

	taskset_proxy_read_stats(&stats);
	max = max(stats.proxies, 0L) + SNAPSHOT_SLACK;
	for (;;) {
		proxies = kvmalloc_array(max, sizeof(*proxies),
					 GFP_KERNEL_ACCOUNT);
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

/*
 * A proxy's count is 0 whenever it is not published: from the slab's
 * creation on, since a free proxy's count dropped to 0 and a work proxy
 * is never counted, so a lookup through a stale pointer never takes one.
 */
static void proxy_ctor(void *object)
{
	struct taskset_proxy *proxy = object;

	refcount_set(&proxy->ns.count, 0);
}

/**
 * taskset_proxy_cache_init() - create the proxy slab cache and hash
 *
 * Called early in boot, before the first proxy is allocated.
 */
void __init taskset_proxy_cache_init(void)
{
	unsigned int i;

	taskset_proxy_cachep = kmem_cache_create("taskset_proxy",
						 sizeof(struct taskset_proxy),
						 0, SLAB_PANIC | SLAB_ACCOUNT |
						 SLAB_TYPESAFE_BY_RCU,
						 proxy_ctor);
	/* One bucket per 128 KiB of memory: max_threads' ratio. */
	proxy_hash = alloc_large_system_hash("taskset proxy",
					     sizeof(*proxy_hash), 0, 17, 0,
					     &proxy_hash_shift, NULL, 64, 0);
	for (i = 0; i < 1U << proxy_hash_shift; i++)
		INIT_HLIST_NULLS_HEAD(&proxy_hash[i], i);
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
	unsigned int bucket = proxy_set_key_fold(init);

	spin_lock(&taskset_proxy_lock);
	hlist_nulls_add_head_rcu(&init->hash_node, &proxy_hash[bucket]);
	spin_unlock(&taskset_proxy_lock);
}
