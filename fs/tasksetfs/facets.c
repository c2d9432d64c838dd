// SPDX-License-Identifier: GPL-2.0
/*
 * taskset.facets: the facets that own a state in a node, one per line,
 * with the policies the facet declared:
 *
 *	uts kind=namespace enter=self create=mkdir,clone on_empty=delete
 *
 * The root owns a state of every registered facet, so its file lists
 * them all.
 *
 * Writing "+name" gives the node a new instance of facet "name", created
 * now (only facets whose create policy includes mkdir); "-name" drops
 * the node's instance, which returns to inheriting its parent's. Tokens
 * are separated by white space; one write is all or nothing. A token for
 * what the node already does is accepted and changes nothing. A
 * resource facet's state is made with its node and lasts as long: every
 * node made by mkdir owns one, so "+tasks" there changes nothing, and
 * "-tasks", or "+tasks" on a node made by clone3()/unshare(), is
 * EINVAL; except for a facet owned on request (cgroup2), which "+name"
 * adds and "-name" drops. Errors: EINVAL for an empty write, garbage, an
 * unknown facet, a facet not created by mkdir, both "+name" and "-name",
 * a resource facet's state to drop or add; EBUSY to change the facets
 * of a node with children or members (the root has both); ENOENT on a
 * removed node; EPERM without the right to change the node; the errno of
 * a resource facet that cannot make or let go of its state (cgroup2:
 * EEXIST for a mirror that exists, EBUSY for one cgroup will not
 * remove).
 */

#include <linux/cred.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/taskset.h>

#include "tasksetfs.h"

static const char *const enter_names[] = {
	[TASKSET_ENTER_NEVER]	= "never",
	[TASKSET_ENTER_SELF]	= "self",
	[TASKSET_ENTER_ANY]	= "any",
};

static const char *const on_empty_names[] = {
	[TASKSET_EMPTY_IGNORE]	= "ignore",
	[TASKSET_EMPTY_NOTIFY]	= "notify",
	[TASKSET_EMPTY_DELETE]	= "delete",
};

static const char *create_names(unsigned int create)
{
	switch (create) {
	case TASKSET_CREATE_MKDIR:
		return "mkdir";
	case TASKSET_CREATE_CLONE:
		return "clone";
	default:
		return "mkdir,clone";
	}
}

static void facet_show(struct seq_file *sf, const struct taskset_facet *facet)
{
	seq_printf(sf, "%s kind=%s enter=%s create=%s on_empty=%s\n",
		   facet->name,
		   taskset_facet_is_ns(facet) ? "namespace" : "resource",
		   enter_names[facet->enter], create_names(facet->create),
		   on_empty_names[facet->empty_default]);
}

static int facets_show(struct seq_file *sf, void *v)
{
	struct taskset *ts = tasksetfs_of_node(sf->private);
	const struct taskset_facet *facet;
	int id;

	for_each_taskset_facet(facet, id)
		if (taskset_owns(ts, facet))
			facet_show(sf, facet);
	return 0;
}

/**
 * struct facets_request - what a write to taskset.facets asks for
 * @add: the facets named with "+".
 * @drop: the facets named with "-".
 */
struct facets_request {
	unsigned long add;
	unsigned long drop;
};

/* A resource facet that a node made by mkdir owns for its life. */
static bool owned_for_life(const struct taskset_facet *facet)
{
	return !taskset_facet_is_ns(facet) && !facet->own_on_request;
}

/* Those facets, as a bitmap of ids. */
static unsigned long facets_owned_for_life(void)
{
	const struct taskset_facet *facet;
	unsigned long facets = 0;
	int id;

	for_each_taskset_facet(facet, id)
		if (owned_for_life(facet))
			__set_bit(id, &facets);
	return facets;
}

/* Add one "+name" or "-name" token to @req. */
static int parse_token(const char *tok, struct facets_request *req)
{
	const struct taskset_facet *facet;

	if (*tok != '+' && *tok != '-')
		return -EINVAL;
	facet = taskset_facet_by_name(tok + 1, strlen(tok + 1));
	if (!facet || !(facet->create & TASKSET_CREATE_MKDIR))
		return -EINVAL;
	/* Such a resource state is the node's for its life. */
	if (owned_for_life(facet) && *tok == '-')
		return -EINVAL;
	/* Named twice, maybe both ways: refused, whatever the order. */
	if (test_bit(facet->id, &req->add) || test_bit(facet->id, &req->drop))
		return -EINVAL;
	__set_bit(facet->id, *tok == '+' ? &req->add : &req->drop);
	return 0;
}

static int parse_facets(char *buf, struct facets_request *req)
{
	char *tok;
	int ret;

	buf = strim(buf);
	if (!*buf)
		return -EINVAL;
	/* Tokens are separated by any white space, as strim() sees it. */
	while ((tok = strsep(&buf, " \t\n\r\v\f"))) {
		if (!*tok)
			continue;
		ret = parse_token(tok, req);
		if (ret)
			return ret;
	}
	return 0;
}

/* Remove the files of the facets @ts drops, create those of the added. */
static int prepare_files(struct taskset *ts, unsigned long own)
{
	unsigned long added = own & ~ts->own;
	const struct taskset_facet *facet;
	int id, ret;

	for_each_taskset_facet(facet, id) {
		if (!test_bit(id, &added))
			continue;
		ret = tasksetfs_add_facet_files(ts, facet);
		if (ret)
			goto remove;
	}
	return 0;

remove:
	while (--id >= 0)
		if (test_bit(id, &added))
			tasksetfs_remove_facet_files(ts, taskset_facets[id]);
	return ret;
}

static void remove_dropped_files(struct taskset *ts, unsigned long own)
{
	unsigned long dropped = ts->own & ~own;
	const struct taskset_facet *facet;
	int id;

	for_each_taskset_facet(facet, id)
		if (test_bit(id, &dropped))
			tasksetfs_remove_facet_files(ts, facet);
}

/* Remove the files prepare_files() created for the facets @ts adds. */
static void remove_added_files(struct taskset *ts, unsigned long own)
{
	unsigned long added = own & ~ts->own;
	int id;

	for (id = 0; id < TASKSET_NR_FACETS; id++)
		if (test_bit(id, &added))
			tasksetfs_remove_facet_files(ts, taskset_facets[id]);
}

/*
 * Give @ts the facets @own, all or nothing: create the new states and
 * the new files (inactive), let the resource states the node drops go
 * (the last step that may fail: a cgroup2 mirror that cgroup will not
 * remove), then, past the point of no return, remove the dropped files
 * (waiting for their users), exchange the states and activate the new
 * files. What the node gives up is left in @chg and @res.
 */
static int change_facets(struct taskset *ts, unsigned long own,
			 const struct cred *cred, struct taskset_ns_change *chg,
			 struct taskset_res_change *res)
{
	int ret;

	ret = taskset_ns_change_prepare(chg, ts, own, cred);
	if (!ret)
		ret = taskset_res_change_prepare(res, ts, own, cred);
	if (!ret)
		ret = prepare_files(ts, own);
	if (ret)
		return ret;
	ret = taskset_node_remove_resources(ts, ts->own & ~own);
	if (ret) {
		remove_added_files(ts, own);
		return ret;
	}
	/* Point of no return. */
	remove_dropped_files(ts, own);
	taskset_res_change_commit(res, ts, own);
	taskset_ns_change_commit(chg, ts);
	kernfs_activate(ts->kn);
	return 0;
}

static int write_facets_locked(struct taskset *ts,
			       const struct facets_request *req,
			       const struct cred *cred,
			       struct taskset_ns_change *chg,
			       struct taskset_res_change *res)
{
	unsigned long own;

	lockdep_assert_held(&taskset_mutex);
	if (ts->dead)
		return -ENOENT;
	if (req->add & ~ts->own & facets_owned_for_life())
		return -EINVAL;
	own = (ts->own | req->add) & ~req->drop;
	if (own == ts->own)
		return 0;
	if (!ts->parent || taskset_node_busy(ts))
		return -EBUSY;
	return change_facets(ts, own, cred, chg, res);
}

/*
 * The namespaces the node gives up, or that were created for nothing,
 * are put once taskset_mutex is dropped: a mount namespace's put takes
 * namespace_sem, a net namespace's schedules its cleanup.
 */
static int write_facets(struct taskset *ts, const struct facets_request *req,
			const struct cred *cred)
{
	struct taskset_ns_change chg = { };
	struct taskset_res_change res = { };
	int ret;

	mutex_lock(&taskset_mutex);
	ret = write_facets_locked(ts, req, cred, &chg, &res);
	mutex_unlock(&taskset_mutex);
	taskset_ns_change_finish(&chg);
	taskset_res_change_finish(&res);
	return ret;
}

static ssize_t facets_write(struct kernfs_open_file *of, char *buf,
			    size_t nbytes, loff_t off)
{
	struct taskset *ts = tasksetfs_of_node(of);
	struct facets_request req = { };
	int ret;

	ret = tasksetfs_check_write(of, buf, nbytes);
	/*
	 * New namespaces are made from the writer's context: its mount
	 * namespace is the one copied, its uid is charged for them. The
	 * writer must be allowed to change the node as well as the opener.
	 */
	if (!ret)
		ret = tasksetfs_may_change(current_cred(), ts);
	if (!ret)
		ret = parse_facets(buf, &req);
	if (!ret)
		ret = write_facets(ts, &req, of->file->f_cred);
	return ret ?: nbytes;
}

const struct kernfs_ops tasksetfs_facets_ops = {
	.seq_show	= facets_show,
	.write		= facets_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};
