/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cgroup2 facet: a node bound to a cgroup of cgroup v2's default
 * hierarchy, whose controllers (memory, cpu, pids, io, cpuset...) then
 * apply to the node's members, as they are: nothing of a controller is
 * copied. Entering a bound node moves a task into its cgroup in the same
 * operation (kernel/taskset/attach.c), and a CLONE_INTO_TASKSET child
 * starts in it (kernel/taskset/clone_into.c).
 *
 * A resource facet, owned on request ("+cgroup2" in taskset.facets): a
 * node without it inherits its parent's binding; the root's is none, so
 * that the tasks of nodes without a binding stay where cgroup puts them.
 * The cgroup side is reached only through cgroup's bridge
 * (include/linux/cgroup.h: cgroup_bridge_*), which checks what cgroupfs
 * would, with the credentials of the user on whose behalf it acts.
 */
#ifndef _LINUX_TASKSET_CGROUP2_H
#define _LINUX_TASKSET_CGROUP2_H

#include <linux/taskset.h>

struct cgroup;
struct seq_file;

/**
 * struct taskset_cgroup2 - a node's binding to a cgroup
 * @state: the common part; its node owns the binding.
 * @cgrp: the bound cgroup, referenced and pinned (cgroup_bridge_pin():
 *	it refuses rmdir(2) while bound); NULL once unbound, at the
 *	node's removal. Changed under taskset_mutex, and only while no
 *	node that uses the binding is busy (no children, members or
 *	moves in flight): anyone entering a node reads it without a lock.
 * @mirror: @cgrp was made for the binding ("+cgroup2"): it is removed
 *	when the binding ends.
 */
struct taskset_cgroup2 {
	struct taskset_state state;
	struct cgroup *cgrp;
	bool mirror;
};

#if IS_ENABLED(CONFIG_TASKSET) && IS_ENABLED(CONFIG_CGROUPS)
/**
 * taskset_cgroup2_of() - the cgroup a node's members belong in
 * @node: a node being entered (counted in its @nr_entering), or one
 *	held under taskset_mutex
 *
 * Return: the bound cgroup, not referenced: it stays while @node is
 * being entered; NULL if @node has no binding (the root, and the nodes
 * that inherit it).
 */
static inline struct cgroup *taskset_cgroup2_of(struct taskset *node)
{
	struct taskset_state *state = node->states[cgroup2_taskset_id];

	return state ? container_of(state, struct taskset_cgroup2, state)->cgrp
		     : NULL;
}

int taskset_cgroup2_bind(struct taskset *ts, const char *path,
			 const struct cred *cred);
void taskset_cgroup2_show(struct seq_file *sf, struct taskset *ts);
int taskset_cgroup2_set_parent(const char *path);
void taskset_cgroup2_show_parent(struct seq_file *sf);
#else
static inline struct cgroup *taskset_cgroup2_of(struct taskset *node)
{
	return NULL;
}
#endif

extern struct taskset_file cgroup2_taskset_files[];

#endif /* _LINUX_TASKSET_CGROUP2_H */
