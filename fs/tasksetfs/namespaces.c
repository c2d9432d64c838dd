// SPDX-License-Identifier: GPL-2.0
/*
 * taskset.namespaces: every namespace instance that a proxy or a node
 * holds, one line each, ordered by type then inode:
 *
 *	<type> <nsfs inode> <owner user namespace inode> <nodes> <tasks>
 *
 * nodes counts the task set nodes whose state it is, owned or inherited;
 * tasks counts the references of the proxies holding it: their tasks,
 * plus short-lived references (a setns() in progress). A namespace that
 * only nodes hold is listed with tasks 0.
 *
 * The listing is made once, when the file is opened, from a snapshot of
 * the proxy hash taken under RCU and a walk of the nodes under
 * taskset_mutex: reading it takes no lock that a task's state change
 * takes, and reads of any size cost nothing more. Its size grows with
 * the nodes and proxies, which unprivileged users can make (within
 * max_tasksets and the taskset.max.* bounds): the snapshot and the
 * listing are charged to the opener's memory cgroup, as the nodes are,
 * so that holding many open costs its memory, no one else's. A line is
 * shown
 * only to an opener that could have found the namespace in /proc: one of
 * its own namespaces, or one whose owner user namespace it has
 * CAP_SYS_ADMIN in. The opener's credentials decide, not the reader's.
 */

#include <linux/cred.h>
#include <linux/mutex.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/taskset_proxy.h>
#include <linux/user_namespace.h>

#include "tasksetfs.h"

/**
 * struct ns_line - one line of the listing
 * @ns: the namespace, as an identity only: never dereferenced once the
 *	snapshot is dropped.
 * @facet: the namespace's facet id.
 * @inum: its nsfs inode number.
 * @owner: its owner user namespace's inode number.
 * @nodes: the nodes whose state it is.
 * @tasks: the references of the proxies holding it.
 */
struct ns_line {
	const struct ns_common *ns;
	int facet;
	unsigned int inum;
	unsigned int owner;
	unsigned int nodes;
	unsigned long tasks;
};

/**
 * struct ns_listing - what an opener of the file reads
 * @nr: the number of lines.
 * @lines: the lines, sorted and merged.
 */
struct ns_listing {
	size_t nr;
	struct ns_line lines[];
};

/*
 * Add the lines of the namespaces of @nsp that the opener may see, each
 * counted @nodes and @tasks times.
 */
static void add_lines(struct ns_listing *listing, const struct file *file,
		      const struct nsproxy *own, struct nsproxy *nsp,
		      unsigned int nodes, unsigned long tasks)
{
	const struct taskset_facet *facet;
	int id;

	for_each_taskset_facet(facet, id) {
		struct ns_common *ns;

		if (!taskset_facet_is_ns(facet))
			continue;
		ns = facet->ns_of(nsp);
		if (!tasksetfs_ns_visible(file, own, facet, ns))
			continue;
		listing->lines[listing->nr++] = (struct ns_line) {
			.ns	= ns,
			.facet	= id,
			.inum	= ns->inum,
			.owner	= ns->ops->owner(ns)->ns.inum,
			.nodes	= nodes,
			.tasks	= tasks,
		};
	}
}

/* Add the lines of the proxies' namespaces; the snapshot pins them. */
static void add_proxy_lines(struct ns_listing *listing,
			    const struct file *file, const struct nsproxy *own,
			    struct taskset_proxy **proxies, size_t nr)
{
	size_t i;

	/* The snapshot's own reference is not a task. */
	for (i = 0; i < nr; i++)
		add_lines(listing, file, own, &proxies[i]->ns, 0,
			  refcount_read(&proxies[i]->ns.count) - 1);
}

/* Add the lines of every node's namespaces; taskset_mutex pins them. */
static void add_node_lines(struct ns_listing *listing,
			   const struct file *file, const struct nsproxy *own)
{
	struct taskset *pos = NULL;

	lockdep_assert_held(&taskset_mutex);
	while ((pos = taskset_next_descendant_pre(pos, &taskset_root)))
		add_lines(listing, file, own, pos->nsproxy, 1, 0);
}

static int cmp_ns_line(const void *a, const void *b)
{
	const struct ns_line *x = a, *y = b;

	if (x->facet != y->facet)
		return x->facet - y->facet;
	return x->inum < y->inum ? -1 : x->inum > y->inum;
}

/* Sort, then fold the lines of one namespace into its first one. */
static void merge_lines(struct ns_listing *listing)
{
	struct ns_line *lines = listing->lines;
	size_t i, out = 0;

	sort(lines, listing->nr, sizeof(*lines), cmp_ns_line, NULL);
	for (i = 0; i < listing->nr; i++) {
		if (out && lines[out - 1].ns == lines[i].ns) {
			lines[out - 1].nodes += lines[i].nodes;
			lines[out - 1].tasks += lines[i].tasks;
			continue;
		}
		lines[out++] = lines[i];
	}
	listing->nr = out;
}

static unsigned int nr_ns_facets(void)
{
	const struct taskset_facet *facet;
	unsigned int nr = 0;
	int id;

	for_each_taskset_facet(facet, id)
		nr += taskset_facet_is_ns(facet);
	return nr;
}

/*
 * Build the listing the opener of @file may see, from a snapshot of the
 * proxies, which pins their namespaces while their lines are made, and
 * from the nodes.
 */
static struct ns_listing *make_listing(const struct file *file)
{
	const struct nsproxy *own = current->nsproxy;
	struct taskset_proxy **proxies;
	struct ns_listing *listing;
	size_t nr;

	proxies = taskset_proxy_snapshot(&nr);
	if (!proxies)
		return NULL;
	mutex_lock(&taskset_mutex);
	listing = kvmalloc(struct_size(listing, lines,
				       (nr + taskset_nr_nodes()) *
				       nr_ns_facets()), GFP_KERNEL_ACCOUNT);
	if (listing) {
		listing->nr = 0;
		add_proxy_lines(listing, file, own, proxies, nr);
		add_node_lines(listing, file, own);
	}
	mutex_unlock(&taskset_mutex);
	taskset_proxy_snapshot_put(proxies, nr);
	if (listing)
		merge_lines(listing);
	return listing;
}

static int namespaces_open(struct kernfs_open_file *of)
{
	of->priv = make_listing(of->file);
	return of->priv ? 0 : -ENOMEM;
}

static void namespaces_release(struct kernfs_open_file *of)
{
	kvfree(of->priv);
}

static void *namespaces_start(struct seq_file *sf, loff_t *pos)
{
	struct kernfs_open_file *of = sf->private;
	struct ns_listing *listing = of->priv;

	return *pos < listing->nr ? &listing->lines[*pos] : NULL;
}

static void *namespaces_next(struct seq_file *sf, void *v, loff_t *pos)
{
	++*pos;
	return namespaces_start(sf, pos);
}

static int namespaces_show(struct seq_file *sf, void *v)
{
	const struct ns_line *line = v;

	seq_printf(sf, "%s %u %u %u %lu\n", taskset_facets[line->facet]->name,
		   line->inum, line->owner, line->nodes, line->tasks);
	return 0;
}

const struct kernfs_ops tasksetfs_namespaces_ops = {
	.open		= namespaces_open,
	.release	= namespaces_release,
	.seq_start	= namespaces_start,
	.seq_next	= namespaces_next,
	.seq_show	= namespaces_show,
};
