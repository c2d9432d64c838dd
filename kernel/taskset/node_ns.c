// SPDX-License-Identifier: GPL-2.0
/*
 * The namespaces of a node: "+uts" and "-uts" in taskset.facets.
 *
 * A node owns new namespaces that exist with no task inside, created as
 * unshare(2) would create them for the writer: a new mnt namespace is a
 * copy of the writer's, a new cgroup namespace is rooted at the writer's
 * cgroup, a new pid namespace is a child of the writer's and has no init
 * until the first task is forked into it, a new time namespace starts
 * with zero offsets. Each is owned by the user namespace of the control
 * file's opener, who must hold CAP_SYS_ADMIN in it, as unshare(2)
 * requires of its caller. A dropped facet returns to the parent's state.
 *
 * A change is prepared (the namespaces created: this may fail and
 * changes nothing), committed (the node's states exchanged: this cannot
 * fail), then finished (what the node no longer holds is put).
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/ipc_namespace.h>
#include <linux/security.h>
#include <linux/taskset.h>
#include <linux/taskset_proxy.h>

/* The CLONE_NEW* flags of the namespace facets in @facets. */
static unsigned long ns_clone_flags(unsigned long facets)
{
	const struct taskset_facet *facet;
	unsigned long flags = 0;
	int id;

	for_each_taskset_facet(facet, id)
		if (test_bit(id, &facets) && taskset_facet_is_ns(facet))
			flags |= facet->clone_flag;
	return flags;
}

/* New namespaces for @flags, owned by @cred's user namespace. */
static struct nsproxy *create_owned_namespaces(unsigned long flags,
					       const struct cred *cred)
{
	if (security_capable(cred, cred->user_ns, CAP_SYS_ADMIN, CAP_OPT_NONE))
		return ERR_PTR(-EPERM);
	return taskset_create_namespaces(flags, cred->user_ns);
}

/**
 * taskset_ns_change_prepare() - create what a change of facets needs
 * @chg: the change to prepare
 * @ts: a live node that is not busy, not the root
 * @own: the facets @ts is to own
 * @cred: the credentials of the opener of the control file
 *
 * Context: taskset_mutex held; may sleep.
 * Return: 0, or an errno with nothing changed: -EPERM if @cred may not
 * create the namespaces, or the error of their creation.
 */
int taskset_ns_change_prepare(struct taskset_ns_change *chg,
			      struct taskset *ts, unsigned long own,
			      const struct cred *cred)
{
	unsigned long flags = ns_clone_flags(own & ~ts->own);
	struct nsproxy *created;

	lockdep_assert_held(&taskset_mutex);
	*chg = (struct taskset_ns_change) { .own = own };
	if (flags) {
		created = create_owned_namespaces(flags, cred);
		if (IS_ERR(created))
			return PTR_ERR(created);
		/* Bound by the caps of the node's parent, not the writer's. */
		if (flags & CLONE_NEWIPC)
			ipc_set_ext_parent(created->ipc_ns, ts->nsproxy->ipc_ns);
		chg->created = created;
	}
	if (ts->own & ~own) {
		chg->inherited_ns = *ts->parent->nsproxy;
		taskset_get_namespaces(&chg->inherited_ns);
		chg->inherited = &chg->inherited_ns;
	}
	return 0;
}

/**
 * taskset_ns_change_commit() - give a node its new namespace states
 * @chg: the prepared change
 * @ts: the node it was prepared for
 *
 * The states the node leaves are moved into @chg, for
 * taskset_ns_change_finish() to put.
 *
 * Context: taskset_mutex held. Cannot fail.
 */
void taskset_ns_change_commit(struct taskset_ns_change *chg,
			      struct taskset *ts)
{
	unsigned long changed = ts->own ^ chg->own;
	const struct taskset_facet *facet;
	int id;

	lockdep_assert_held(&taskset_mutex);
	for_each_taskset_facet(facet, id) {
		if (!test_bit(id, &changed) || !taskset_facet_is_ns(facet))
			continue;
		if (test_bit(id, &chg->own))
			facet->ns_exchange(ts->nsproxy, chg->created);
		else
			facet->ns_exchange(ts->nsproxy, chg->inherited);
	}
	WRITE_ONCE(ts->own, chg->own);
}

/**
 * taskset_ns_change_finish() - put what a change leaves over
 * @chg: a prepared change, committed or not, or a zeroed one
 *
 * Puts the namespaces that were created but not committed, and those the
 * node left.
 *
 * Context: may sleep.
 */
void taskset_ns_change_finish(struct taskset_ns_change *chg)
{
	if (chg->created)
		taskset_proxy_discard(chg->created);
	if (chg->inherited)
		taskset_put_namespaces(chg->inherited);
}
