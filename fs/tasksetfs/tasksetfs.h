/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tasksetfs internals: what each part of the filesystem provides to the
 * others. The table type of control files, struct taskset_file, is in
 * include/linux/taskset.h, since facets declare their own files.
 */
#ifndef _TASKSETFS_H
#define _TASKSETFS_H

#include <linux/kernfs.h>
#include <linux/types.h>

struct cred;
struct taskset;
struct taskset_facet;

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

/* files.c */
int tasksetfs_add_node_files(struct taskset *ts);
int tasksetfs_add_facet_files(struct taskset *ts,
			      const struct taskset_facet *facet);
void tasksetfs_remove_facet_files(struct taskset *ts,
				  const struct taskset_facet *facet);

/* perm.c; tasksetfs_may_change() is in linux/taskset.h */
int tasksetfs_may_write(struct kernfs_open_file *of);

/* input.c */
int tasksetfs_check_input(const char *buf, size_t nbytes);
int tasksetfs_check_write(struct kernfs_open_file *of, const char *buf,
			  size_t nbytes);
int tasksetfs_parse_limit(char *buf, long none, long *limit);

/* dir.c */
extern struct kernfs_syscall_ops tasksetfs_syscall_ops;

extern const struct kernfs_ops tasksetfs_procs_ops;
extern const struct kernfs_ops tasksetfs_threads_ops;
extern const struct kernfs_ops tasksetfs_facets_ops;
extern const struct kernfs_ops tasksetfs_ns_ops;
extern const struct kernfs_ops tasksetfs_namespaces_ops;
extern const struct kernfs_ops tasksetfs_stat_ops;
extern const struct kernfs_ops tasksetfs_on_empty_ops;
extern const struct kernfs_ops tasksetfs_events_ops;
extern const struct kernfs_ops tasksetfs_kill_ops;

#endif /* _TASKSETFS_H */
