/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Task sets: one per-task aggregator for namespaces and resource facets.
 *
 * A facet is a kind of per-task state (a namespace type, a resource
 * subsystem). Facets are declared once, in include/linux/taskset_facets.h,
 * and describe themselves with a struct taskset_facet. A task set (node)
 * holds one state per facet, either its own or its parent's.
 *
 * See Documentation/taskset.rst.
 */
#ifndef _LINUX_TASKSET_H
#define _LINUX_TASKSET_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>
#include <linux/user_namespace.h>

struct kernfs_node;
struct ns_common;
struct nsproxy;

/**
 * enum taskset_enter - may a task move into a node whose state differs
 * @TASKSET_ENTER_NEVER: never; the state is fixed for the task's life.
 * @TASKSET_ENTER_SELF: only by a switch the task performs in its own
 *	context (namespaces: their pointers are not volatile).
 * @TASKSET_ENTER_ANY: directly by the writer (resource facets, written to
 *	tolerate a state that changes under RCU).
 */
enum taskset_enter {
	TASKSET_ENTER_NEVER,
	TASKSET_ENTER_SELF,
	TASKSET_ENTER_ANY,
};

/*
 * How new instances of a facet come to exist; a facet allows one or both.
 * MKDIR: through tasksetfs (a new node, or "+name" in taskset.facets).
 * CLONE: through clone3()/unshare() flags.
 */
#define TASKSET_CREATE_MKDIR	BIT(0)
#define TASKSET_CREATE_CLONE	BIT(1)
#define TASKSET_CREATE_MASK	(TASKSET_CREATE_MKDIR | TASKSET_CREATE_CLONE)

/**
 * enum taskset_on_empty - what happens when a node loses its last task
 * @TASKSET_EMPTY_IGNORE: nothing; the node persists.
 * @TASKSET_EMPTY_NOTIFY: taskset.events changes and wakes its pollers.
 * @TASKSET_EMPTY_DELETE: notify, then remove the node if it has no children.
 */
enum taskset_on_empty {
	TASKSET_EMPTY_IGNORE,
	TASKSET_EMPTY_NOTIFY,
	TASKSET_EMPTY_DELETE,
};

/* Longest facet name, without its NUL. */
#define TASKSET_FACET_NAME_LEN	15

/**
 * struct taskset_facet - one kind of per-task state
 * @name: name in tasksetfs ("uts", "tasks"): the name it is listed with in
 *	include/linux/taskset_facets.h, so unique.
 * @id: index in taskset_facets[], from enum taskset_facet_id.
 * @enter: the facet's enter policy.
 * @create: TASKSET_CREATE_* ways its instances are created.
 * @empty_default: on_empty of a node that a clone/unshare of this facet
 *	created.
 * @clone_flag: for a namespace facet, its CLONE_NEW* flag; 0 otherwise.
 * @ns_of: for a namespace facet, its namespace in @nsp; NULL otherwise.
 * @ucount: for a namespace facet, the ucount type its instances are
 *	charged to, which counts them.
 * @uncharged: for a namespace facet, how many of its instances exist
 *	without a charge (a static initial namespace).
 *
 * Facets are defined with DEFINE_TASKSET_FACET(), const, and checked at
 * compile time: no lock, no boot-time validation.
 */
struct taskset_facet {
	const char *name;
	int id;
	enum taskset_enter enter;
	unsigned int create;
	enum taskset_on_empty empty_default;
	unsigned long clone_flag;
	struct ns_common *(*ns_of)(const struct nsproxy *nsp);
	enum ucount_type ucount;
	unsigned int uncharged;
};

#define TASKSET_FACET(_x) _x ## _taskset_id,
enum taskset_facet_id {
#include <linux/taskset_facets.h>
	TASKSET_NR_FACETS,
};

#undef TASKSET_FACET

/*
 * Every facet's description, name##_taskset_facet, and the array of them
 * all, indexed by id, in one declaration.
 */
#define TASKSET_FACET(_x)						\
	_x ## _taskset_facet,
extern const struct taskset_facet
#include <linux/taskset_facets.h>
	*const taskset_facets[TASKSET_NR_FACETS];
#undef TASKSET_FACET

/* A facet's id is a bit of a node's @own bitmap. */
static_assert(TASKSET_NR_FACETS <= BITS_PER_LONG);

/**
 * DEFINE_TASKSET_FACET - define a facet's description
 * @_name: the facet's name as listed in include/linux/taskset_facets.h
 * @_enter: its enum taskset_enter policy
 * @_create: its TASKSET_CREATE_* ways of creation
 * @_empty: its enum taskset_on_empty default
 * @_clone_flag: its CLONE_NEW* flag, 0 unless created by clone
 * @...: further designated initializers (.ns_of, ...)
 *
 * The policies are compile-time constants, checked here: a facet with
 * inconsistent policies does not build.
 */
#define DEFINE_TASKSET_FACET(_name, _enter, _create, _empty, _clone_flag, ...) \
	static_assert(sizeof(#_name) - 1 <= TASKSET_FACET_NAME_LEN);	\
	static_assert((_enter) <= TASKSET_ENTER_ANY);			\
	static_assert((_empty) <= TASKSET_EMPTY_DELETE);		\
	static_assert((_create) && !((_create) & ~TASKSET_CREATE_MASK)); \
	static_assert(!(_clone_flag) == !((_create) & TASKSET_CREATE_CLONE)); \
	const struct taskset_facet _name ## _taskset_facet = {		\
		.name		= #_name,				\
		.id		= _name ## _taskset_id,			\
		.enter		= _enter,				\
		.create		= _create,				\
		.empty_default	= _empty,				\
		.clone_flag	= _clone_flag,				\
		__VA_ARGS__						\
	}

/**
 * for_each_taskset_facet - iterate over every registered facet
 * @facet: struct taskset_facet pointer, the cursor
 * @id: int, the facet's id; a plain variable, as in cgroup's
 *	for_each_subsys()
 */
#define for_each_taskset_facet(facet, id)				\
	for ((id) = 0; (id) < TASKSET_NR_FACETS &&			\
	     (((facet) = taskset_facets[id]) || true); (id)++)

/**
 * taskset_facet_is_ns() - is this facet a namespace type
 * @facet: the facet
 *
 * Return: true if @facet is one of the namespaces an nsproxy holds.
 */
static inline bool taskset_facet_is_ns(const struct taskset_facet *facet)
{
	return facet->ns_of;
}

/**
 * struct taskset - a node of the task set hierarchy
 * @kn: its directory in tasksetfs; NULL until tasksetfs has set up.
 * @parent: the node it inherits states from; NULL for the root.
 * @own: bitmap of the facets that have a state of their own here.
 * @nsproxy: the namespace states. The root's is init_taskset_proxy.ns, the
 *	namespace part of the initial proxy, which lives as long as the
 *	kernel.
 *
 * Only the root exists so far; it is static and its fields do not
 * change after boot.
 */
struct taskset {
	struct kernfs_node *kn;
	struct taskset *parent;
	unsigned long own;
	struct nsproxy *nsproxy;
};

extern struct taskset taskset_root;

unsigned long taskset_nr_nodes(void);
long taskset_nr_namespaces(void);
bool taskset_owns(const struct taskset *ts, const struct taskset_facet *facet);
struct ns_common *taskset_ns(const struct taskset *ts,
			     const struct taskset_facet *facet);

#endif /* _LINUX_TASKSET_H */
