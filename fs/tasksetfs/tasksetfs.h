/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tasksetfs internals: the table type of the control files and the files
 * each part of the filesystem provides.
 */
#ifndef _TASKSETFS_H
#define _TASKSETFS_H

#include <linux/kernfs.h>
#include <linux/lockdep_types.h>
#include <linux/types.h>

struct seq_file;
struct taskset;

/* The file exists on the root node only. */
#define TASKSETFS_ROOT_ONLY	BIT(0)

/**
 * struct tasksetfs_file - one control file of a node
 * @name: file name, "taskset.<name>" or "<facet>.<name>".
 * @mode: permission bits; a file without ->write in @ops is 0444.
 * @flags: TASKSETFS_* placement flags.
 * @ops: kernfs operations; the file's kernfs_node priv is its node.
 * @lockdep_key: lockdep class of the file's active references.
 *
 * Tables of files end with an entry whose @name is NULL.
 */
struct tasksetfs_file {
	const char *name;
	umode_t mode;
	unsigned int flags;
	const struct kernfs_ops *ops;
	struct lock_class_key lockdep_key;
};

/**
 * tasksetfs_of_node() - the node a control file belongs to
 * @of: the open file
 *
 * Return: the struct taskset whose directory holds the file.
 */
static inline struct taskset *tasksetfs_of_node(struct kernfs_open_file *of)
{
	return of->kn->priv;
}

extern const struct kernfs_ops tasksetfs_procs_ops;
extern const struct kernfs_ops tasksetfs_facets_ops;
extern const struct kernfs_ops tasksetfs_ns_ops;
extern const struct kernfs_ops tasksetfs_namespaces_ops;
extern const struct kernfs_ops tasksetfs_stat_ops;

#endif /* _TASKSETFS_H */
