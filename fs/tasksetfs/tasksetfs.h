/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tasksetfs internals: what each part of the filesystem provides to the
 * others. The table type of control files, struct taskset_file, is in
 * include/linux/taskset.h, since facets declare their own files.
 */
#ifndef _TASKSETFS_H
#define _TASKSETFS_H

#include <linux/kernfs.h>
#include <linux/limits.h>
#include <asm/page.h>
#include <linux/types.h>

struct cred;
struct file;
struct ns_common;
struct nsproxy;
struct taskset;
struct taskset_facet;
struct task_struct;

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
int tasksetfs_may_move_from(struct kernfs_open_file *of,
			    struct task_struct *task);
bool tasksetfs_ns_visible(const struct file *file, const struct nsproxy *own,
			  const struct taskset_facet *facet,
			  struct ns_common *ns);

/*
 * The longest write a control file takes: kernfs refuses a longer one
 * with E2BIG, as cgroup's files do, rather than hand it over a page at a
 * time for each page to be applied alone.
 */
#define TASKSETFS_WRITE_MAX	PAGE_SIZE

/*
 * Every limit file takes "max" or a number from 0 to this, on every
 * architecture.
 */
#define TASKSETFS_LIMIT_MAX	(INT_MAX - 1)

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
extern const struct kernfs_ops tasksetfs_max_depth_ops;
extern const struct kernfs_ops tasksetfs_max_descendants_ops;

#endif /* _TASKSETFS_H */
