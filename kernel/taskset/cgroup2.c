// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup2 facet: a node's binding to a cgroup v2 cgroup.
 *
 * A resource facet (include/linux/taskset_cgroup2.h), owned on request:
 * "+cgroup2" in a node's taskset.facets makes a cgroup that mirrors the
 * node's path, and binds it; writing a path to cgroup2.path binds an
 * existing cgroup instead. Where a mirror goes: under the cgroup of the
 * nearest ancestor node with a binding of its own, at the path of the
 * node below that ancestor; under the administrator's parent (the root
 * node's cgroup2.parent, "/taskset" by default) at the node's full path
 * if there is none. Missing cgroups on the way are made, as mkdir -p
 * would, and left alone afterwards; the mirror itself must not exist
 * (EEXIST: bind it with cgroup2.path instead). Every cgroup is made as
 * mkdir(2) would make it with the credentials of the file's opener.
 *
 * A bound cgroup is pinned: rmdir(2) of it fails with EBUSY while it is
 * bound. The binding ends when the node drops the facet ("-cgroup2"), is
 * rebound, or is removed; a mirror is removed then, and if cgroup
 * refuses (tasks moved there behind the node's back, or children made
 * in it), so is the change: EBUSY, and the node keeps its binding.
 *
 * A binding changes only under taskset_mutex, on a node that is not busy
 * (no children, no members, no move in flight): whoever enters a node
 * that uses it reads it without a lock. Its pointer also changes under
 * binding_lock, which cgroup2.path's readers take instead: a facet's
 * file may not wait for taskset_mutex, under which it is removed.
 */

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/kernfs.h>
#include <linux/limits.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/taskset.h>
#include <linux/taskset_cgroup2.h>

#define DEFAULT_MIRROR_PARENT	"/taskset"

/*
 * The cgroup under which mirrors of nodes without a bound ancestor go, as
 * a path of the default hierarchy; NULL for the default.
 */
static char *mirror_parent;
static DEFINE_MUTEX(mirror_parent_mutex);

/* Taken to change a binding's cgroup, and to read it without taskset_mutex. */
static DEFINE_SPINLOCK(binding_lock);

static struct taskset_cgroup2 *to_cgroup2(struct taskset_state *state)
{
	return container_of(state, struct taskset_cgroup2, state);
}

/*
 * Each name of @path must be one that mkdir(2) of a cgroup could make:
 * not "." or "..", which the path walk of mkdir(2) resolves, and at most
 * NAME_MAX bytes. A cgroup made under such a name could not be reached,
 * nor removed, from user space.
 */
static int check_names(const char *path)
{
	const char *name, *end;
	size_t len;

	for (name = path; *name; name = end) {
		name += strspn(name, "/");
		end = name + strcspn(name, "/");
		len = end - name;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if ((len == 1 && name[0] == '.') ||
		    (len == 2 && name[0] == '.' && name[1] == '.'))
			return -EINVAL;
	}
	return 0;
}

/**
 * taskset_cgroup2_set_parent() - choose where mirrors go
 * @path: a path of the default hierarchy, absolute, as seen from the
 *	writer's cgroup namespace when a mirror is made
 *
 * It need not exist: it is made when a mirror first needs it.
 *
 * Return: 0, -EINVAL for a path that is not absolute, has a newline, or
 * names "." or "..", -ENAMETOOLONG for a path of PATH_MAX bytes or more,
 * or a name of more than NAME_MAX, or -ENOMEM.
 */
int taskset_cgroup2_set_parent(const char *path)
{
	char *copy;
	int err;

	if (path[0] != '/' || strchr(path, '\n'))
		return -EINVAL;
	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	err = check_names(path);
	if (err)
		return err;
	copy = kstrdup(path, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	mutex_lock(&mirror_parent_mutex);
	swap(copy, mirror_parent);
	mutex_unlock(&mirror_parent_mutex);
	kfree(copy);
	return 0;
}

/**
 * taskset_cgroup2_show_parent() - show where mirrors go
 * @sf: the seq_file of the root node's cgroup2.parent
 */
void taskset_cgroup2_show_parent(struct seq_file *sf)
{
	guard(mutex)(&mirror_parent_mutex);
	seq_printf(sf, "%s\n", mirror_parent ?: DEFAULT_MIRROR_PARENT);
}

/*
 * Find or make each cgroup of @path, a path relative to @cgrp, which the
 * caller references; the last one is returned, referenced. If @last_new,
 * the last one must be made here: -EEXIST if it existed.
 */
static struct cgroup *mkdir_p(struct cgroup *cgrp, char *path,
			      const struct cred *cred, bool last_new)
{
	bool created = false;
	struct cgroup *next;
	char *name;

	cgroup_get(cgrp);
	while ((name = strsep(&path, "/"))) {
		if (!*name)
			continue;
		next = cgroup_bridge_mkdir(cgrp, name, cred, &created);
		cgroup_put(cgrp);
		if (IS_ERR(next))
			return next;
		cgrp = next;
	}
	if (last_new && !created) {
		cgroup_put(cgrp);
		return ERR_PTR(-EEXIST);
	}
	return cgrp;
}

/* The administrator's parent of mirrors, made if missing, referenced. */
static struct cgroup *get_mirror_parent(const struct cred *cred)
{
	struct cgroup *root, *parent;
	char *path;

	mutex_lock(&mirror_parent_mutex);
	path = kstrdup(mirror_parent ?: DEFAULT_MIRROR_PARENT, GFP_KERNEL);
	mutex_unlock(&mirror_parent_mutex);
	if (!path)
		return ERR_PTR(-ENOMEM);
	/* The root of the default hierarchy in the writer's namespace. */
	root = cgroup_get_from_path("/");
	if (IS_ERR(root)) {
		kfree(path);
		return root;
	}
	parent = mkdir_p(root, path, cred, false);
	cgroup_put(root);
	kfree(path);
	return parent;
}

/* The nearest ancestor of @ts with a binding of its own, or the root. */
static struct taskset *bound_ancestor(struct taskset *ts)
{
	struct taskset *anc;

	for (anc = ts->parent; anc->parent; anc = anc->parent)
		if (test_bit(cgroup2_taskset_id, &anc->own))
			break;
	return anc;
}

/* Make the cgroup that mirrors @ts's path; return it, referenced. */
static struct cgroup *make_mirror(struct taskset *ts, const struct cred *cred)
{
	struct taskset *anc = bound_ancestor(ts);
	struct cgroup *base, *mirror;
	char *path;
	int len;

	if (!ts->kn || !anc->kn)
		return ERR_PTR(-ENOENT);
	path = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!path)
		return ERR_PTR(-ENOMEM);
	len = kernfs_path_from_node(ts->kn, anc->kn, path, PATH_MAX);
	if (len < 0 || len >= PATH_MAX) {
		mirror = ERR_PTR(len < 0 ? len : -ENAMETOOLONG);
		goto out;
	}
	if (anc->parent) {
		base = taskset_cgroup2_of(anc);
		if (!base) {
			mirror = ERR_PTR(-ENOENT);
			goto out;
		}
		cgroup_get(base);
	} else {
		base = get_mirror_parent(cred);
		if (IS_ERR(base)) {
			mirror = base;
			goto out;
		}
	}
	mirror = mkdir_p(base, path, cred, true);
	cgroup_put(base);
out:
	kfree(path);
	return mirror;
}

static void set_binding(struct taskset_cgroup2 *state, struct cgroup *cgrp,
			bool mirror)
{
	spin_lock(&binding_lock);
	state->cgrp = cgrp;
	state->mirror = mirror;
	spin_unlock(&binding_lock);
}

/* Bind @state to @cgrp, referenced by the caller, which it takes. */
static int bind(struct taskset_cgroup2 *state, struct cgroup *cgrp,
		bool mirror)
{
	int err = cgroup_bridge_pin(cgrp);

	if (err) {
		cgroup_put(cgrp);
		return err;
	}
	set_binding(state, cgrp, mirror);
	return 0;
}

/* End @state's binding; a mirror is removed, if cgroup allows it. */
static int unbind(struct taskset_cgroup2 *state)
{
	struct cgroup *cgrp = state->cgrp;
	int err;

	if (!cgrp)
		return 0;
	err = cgroup_bridge_unpin(cgrp, state->mirror);
	if (err)
		return err;
	set_binding(state, NULL, false);
	cgroup_put(cgrp);
	return 0;
}

static struct taskset_state *cgroup2_state_create(struct taskset *node,
						  struct taskset_state *parent,
						  const struct cred *cred)
{
	struct taskset_cgroup2 *state;
	struct cgroup *mirror;
	int err;

	lockdep_assert_held(&taskset_mutex);
	state = kzalloc(sizeof(*state), GFP_KERNEL_ACCOUNT);
	if (!state)
		return ERR_PTR(-ENOMEM);
	state->state.node = node;
	mirror = make_mirror(node, cred);
	err = PTR_ERR_OR_ZERO(mirror);
	/* A mirror removed before it is pinned cannot be bound: ENODEV. */
	if (!err)
		err = bind(state, mirror, true);
	if (err) {
		kfree(state);
		return ERR_PTR(err);
	}
	return &state->state;
}

static int cgroup2_state_remove(struct taskset_state *state)
{
	return unbind(to_cgroup2(state));
}

static void cgroup2_state_free(struct taskset_state *state)
{
	struct taskset_cgroup2 *cg = to_cgroup2(state);

	/* Still bound only if it never was the node's: remove a mirror. */
	if (cg->cgrp && unbind(cg)) {
		cgroup_bridge_unpin(cg->cgrp, false);
		cgroup_put(cg->cgrp);
	}
	kfree(cg);
}

/* Bind @ts to @cgrp, referenced by the caller, instead of its cgroup. */
static int rebind(struct taskset *ts, struct cgroup *cgrp)
{
	struct taskset_cgroup2 *state;
	struct cgroup *old;
	int err;

	lockdep_assert_held(&taskset_mutex);
	if (ts->dead || !test_bit(cgroup2_taskset_id, &ts->own))
		return -ENOENT;
	if (taskset_node_busy(ts))
		return -EBUSY;
	state = to_cgroup2(ts->states[cgroup2_taskset_id]);
	old = state->cgrp;
	if (old == cgrp)
		return 0;
	err = cgroup_bridge_pin(cgrp);
	if (err)
		return err;
	/* The last step that may fail: the old binding stays if it does. */
	err = cgroup_bridge_unpin(old, state->mirror);
	if (err) {
		cgroup_bridge_unpin(cgrp, false);
		return err;
	}
	cgroup_get(cgrp);
	set_binding(state, cgrp, false);
	cgroup_put(old);
	return 0;
}

/**
 * taskset_cgroup2_bind() - bind a node to an existing cgroup
 * @ts: a node that owns its binding
 * @path: the cgroup's path, as seen from the writer's cgroup namespace
 * @cred: the credentials of the file's opener, who must be allowed to
 *	write the cgroup's cgroup.procs
 *
 * The previous binding ends; a mirror is removed.
 *
 * Context: no active reference on a file of @ts held (cgroup2.path's
 * write breaks its own), as taskset_mutex is taken.
 * Return: 0; -ENOENT if @path is no cgroup, or @ts was removed; -ENOTDIR
 * if it is a file; -EACCES or -EPERM without the right to write its
 * cgroup.procs; -EBUSY if @ts has children, members or moves in flight,
 * or if its mirror cannot be removed; -ENODEV if the cgroup was removed.
 */
int taskset_cgroup2_bind(struct taskset *ts, const char *path,
			 const struct cred *cred)
{
	struct cgroup *cgrp;
	int err;

	cgrp = cgroup_get_from_path(path);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	err = cgroup_bridge_may_write_procs(cgrp, cred);
	if (!err) {
		mutex_lock(&taskset_mutex);
		err = rebind(ts, cgrp);
		mutex_unlock(&taskset_mutex);
	}
	/* On success, the binding's reference is its own. */
	cgroup_put(cgrp);
	return err;
}

/**
 * taskset_cgroup2_show() - show a node's binding
 * @sf: the seq_file of the node's cgroup2.path
 * @ts: the node, which owns its binding: the file's operations hold it
 *
 * The path is seen from the reader's cgroup namespace, as in
 * /proc/PID/cgroup. Takes no taskset_mutex.
 */
void taskset_cgroup2_show(struct seq_file *sf, struct taskset *ts)
{
	struct taskset_cgroup2 *state = to_cgroup2(ts->states[cgroup2_taskset_id]);
	struct cgroup *cgrp;
	char *buf;
	int len;

	spin_lock(&binding_lock);
	cgrp = state->cgrp;
	if (cgrp)
		cgroup_get(cgrp);
	spin_unlock(&binding_lock);
	if (!cgrp)
		return;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	len = buf ? cgroup_path_ns(cgrp, buf, PATH_MAX,
				   current->nsproxy->cgroup_ns) : -ENOMEM;
	if (len >= 0)
		seq_printf(sf, "%s\n", buf);
	kfree(buf);
	cgroup_put(cgrp);
}

DEFINE_TASKSET_FACET(cgroup2, TASKSET_ENTER_ANY, TASKSET_CREATE_MKDIR,
		     TASKSET_EMPTY_IGNORE, 0,
		     .own_on_request = true,
		     .state_create = cgroup2_state_create,
		     .state_remove = cgroup2_state_remove,
		     .state_free = cgroup2_state_free,
		     .files = TASKSETFS_FILES(cgroup2_taskset_files));
