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
#include <linux/err.h>
#include <linux/list.h>
#include <linux/lockdep_types.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/timer_types.h>
#include <linux/types.h>
#include <linux/user_namespace.h>
#include <linux/workqueue_types.h>

struct cred;
struct file;
struct kernfs_node;
struct nsset;
struct kernfs_ops;
struct ns_common;
struct task_struct;
struct taskset_switch;

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

/**
 * struct taskset_state - the common part of a resource facet's state
 * @node: the node that owns the state, and frees it at its release.
 *
 * A resource facet's state embeds this; a namespace facet's state is the
 * namespace itself.
 */
struct taskset_state {
	struct taskset *node;
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
 * @ns_field: for a namespace facet, the offset of its namespace pointer
 *	in struct nsproxy: comparing two states costs a load each.
 * @ucount: for a namespace facet, the ucount type its instances are
 *	charged to, which counts them.
 * @uncharged: for a namespace facet, how many of its instances exist
 *	without a charge (a static initial namespace).
 * @ns_exchange: for a namespace facet, exchange its state between two
 *	nsproxies, references included.
 * @can_attach: asked when a task moves to a node where this facet's
 *	state differs from the task's, before anything changes: in the
 *	moving task's context, with the credentials of the file's opener
 *	as current's. A namespace facet installs @to's namespace in
 *	@nsset, with setns(2)'s own install operation. Return 0, or the
 *	errno that refuses the whole move.
 * @attach_charge: for a facet whose enter policy is "any", asked when a
 *	thread is to move into @node, in the writer's context, before
 *	anything changes: charge the move now, and record it in @sw.
 *	Return 0, or the errno that refuses the whole move.
 * @attach_commit: for the same, in the moving thread's context when it
 *	switches: take the charge @sw records, drop the one it leaves.
 * @attach_cancel: for the same, give back what @attach_charge charged,
 *	for a switch that ends without committing. Both do nothing for a
 *	switch that was not charged.
 * @own_on_request: for a resource facet, a node made by mkdir owns a
 *	state only on "+name" in its taskset.facets, and may drop it with
 *	"-name"; otherwise every such node owns one, for its life.
 * @state_create: for a resource facet, make the state of @node, which
 *	owns one, under @parent, the state of its nearest ancestor that
 *	owns one (NULL if none does), on behalf of @cred: the node's
 *	creator, or the writer of "+name". Called under taskset_mutex.
 *	Return it, or an ERR_PTR().
 * @state_remove: for a resource facet, if not NULL, end what others can
 *	see of a state before its node drops it or is removed, under
 *	taskset_mutex, the node not busy. Return 0, or the errno that
 *	refuses the drop or the removal, the state unchanged.
 * @state_free: for a resource facet, free a state, at its node's release.
 * @files: its control files, "<facet>.<name>", on a node that owns it;
 *	NULL if it has none.
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
	size_t ns_field;
	enum ucount_type ucount;
	unsigned int uncharged;
	void (*ns_exchange)(struct nsproxy *a, struct nsproxy *b);
	int (*can_attach)(struct nsset *nsset, const struct nsproxy *to);
	int (*attach_charge)(struct taskset_switch *sw, struct taskset *node);
	void (*attach_commit)(struct taskset_switch *sw);
	void (*attach_cancel)(struct taskset_switch *sw);
	bool own_on_request;
	struct taskset_state *(*state_create)(struct taskset *node,
					      struct taskset_state *parent,
					      const struct cred *cred);
	int (*state_remove)(struct taskset_state *state);
	void (*state_free)(struct taskset_state *state);
	struct taskset_file *files;
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
 * taskset_ns_differs() - do two nsproxies hold different states of a
 *	namespace facet
 * @facet: a namespace facet
 * @a: an nsproxy
 * @b: another
 *
 * Return: true if @facet's namespace differs between @a and @b.
 */
static inline bool taskset_ns_differs(const struct taskset_facet *facet,
				      const struct nsproxy *a,
				      const struct nsproxy *b)
{
	return *(void * const *)((const char *)a + facet->ns_field) !=
	       *(void * const *)((const char *)b + facet->ns_field);
}

/* The file exists on the root node only. */
#define TASKSET_FILE_ROOT_ONLY	BIT(0)
/* The file exists on every node but the root. */
#define TASKSET_FILE_NOT_ROOT	BIT(1)

/**
 * struct taskset_file - one control file of a node, as struct cftype is
 *	for a cgroup
 * @name: file name: "taskset.<name>" in the core table, the part after
 *	"<facet>." in a facet's table.
 * @mode: permission bits; a file without ->write in @ops is 0444.
 * @flags: TASKSET_FILE_* placement flags.
 * @ops: kernfs operations; the file's kernfs_node priv is its node.
 * @kn_offset: if not 0, the offset of a struct kernfs_node pointer that
 *	records the created file, with a reference, for its notifications
 *	(as cftype's file_offset does for a cgroup file): in struct taskset
 *	for a core file, in the node's state of the facet for a resource
 *	facet's file. Its owner puts it.
 * @lockdep_key: lockdep class of the file's active references.
 *
 * Tables of files end with an entry whose @name is NULL. A facet's files
 * exist on a node exactly while the node owns a state of that facet, so
 * their operations may use that state without a lock: tasksetfs removes
 * them, waiting for their running operations, before the state goes.
 */
struct taskset_file {
	const char *name;
	umode_t mode;
	unsigned int flags;
	const struct kernfs_ops *ops;
	size_t kn_offset;
	struct lock_class_key lockdep_key;
};

/*
 * A facet's table of files, or NULL in a kernel without tasksetfs (the
 * table is defined there).
 */
#define TASKSETFS_FILES(_files)						\
	(IS_ENABLED(CONFIG_TASKSET_FS) ? (_files) : NULL)

extern struct taskset_file uts_taskset_files[];
extern struct taskset_file ipc_taskset_files[];

/**
 * struct taskset - a node of the task set hierarchy
 * @kn: its directory in tasksetfs, referenced by the node. Set once, at
 *	creation, before the node is visible.
 * @parent: the node it inherits states from, referenced; NULL for the
 *	root. Never changes.
 * @level: its depth: 0 for the root, its parent's plus one. Never changes.
 * @max_depth: taskset.max.depth, the levels of descendants it may have
 *	below it; INT_MAX, the default, for "max". taskset_mutex.
 * @max_descendants: taskset.max.descendants, the descendants it may
 *	have; INT_MAX, the default, for "max". taskset_mutex.
 * @nr_descendants: its descendants in the hierarchy. taskset_mutex.
 * @children: its child nodes, linked by their @sibling. taskset_mutex.
 * @sibling: entry in the parent's @children. taskset_mutex.
 * @own: bitmap of the facets that have a state of their own here.
 *	Written under taskset_mutex; read locklessly for display.
 * @dead: set under taskset_mutex when the node is removed from the
 *	hierarchy; no state change, no child, no member may come after.
 * @was_populated: the node has been populated (it or a descendant had
 *	a member) since it was made: its empty action "delete" waits for
 *	it, so that a node prepared for a job is not removed before the
 *	job enters. Set, never cleared, under taskset_events_lock; set at
 *	creation for a node of CLONE_NEWTASKSET, whose task is its member
 *	from birth.
 * @nr_tasks: member tasks: tasks whose proxy's node this is, counted
 *	wherever task->nsproxy changes (fork, exit, unshare, setns, a
 *	move), so exact when a move returns. A zombie has no proxy and is
 *	no member. Not counted for the root, whose members are every task
 *	of no other node. Changes from and to 0 under taskset_events_lock
 *	only (kernel/taskset/empty.c).
 * @nr_entering: moves into the node in flight: from before their first
 *	switch is queued until they are over. Incremented under
 *	taskset_mutex on a live node only.
 * @ref: references: the hierarchy's (dropped at rmdir), each child's,
 *	each published proxy's. The root's is never dropped.
 * @nsproxy: the namespace states. The root's is init_taskset_proxy.ns,
 *	the namespace part of the initial proxy, which lives as long as the
 *	kernel; any other node's points to @ns_states.
 * @states: the resource facets' states, indexed by facet id (NULL for a
 *	namespace facet): its own, and its parent's for the facets it
 *	inherits. Set at creation, before the node is visible, and
 *	changed after only for a facet owned on request ("+cgroup2"),
 *	under taskset_mutex while the node is not busy (no children, so
 *	none copied it; no members, so no proxy holds it): the node frees
 *	its own at its release, or when it drops them. The root's are
 *	NULL: its tasks are not accounted, and it binds no cgroup.
 * @states_gen: counts the changes of @states, under taskset_mutex
 *	while the node is not busy: part of a proxy's key, so that a
 *	proxy of the node that outlived its last task (a deferred put, a
 *	snapshot) is never found again once the states it holds are
 *	freed.
 * @ns_states: a node's namespaces, one reference on each: its own, and
 *	its parent's for the facets it inherits (a node whose states
 *	change has no children, so a copy is as good as a walk up). Only
 *	the fields that are namespace facets' states are used: time_ns is
 *	the parent's, a node's time state being time_ns_for_children.
 *	Changed under taskset_mutex; a facet's field never changes while
 *	the facet's files exist on the node.
 * @on_empty: what happens when the node empties. Written under
 *	taskset_mutex, read without a lock.
 * @nr_populated_children: children that are populated.
 *	taskset_events_lock.
 * @nr_emptied: how many times the node became empty. taskset_events_lock.
 * @events_kn: its taskset.events file, referenced; set once, when the
 *	file is created, before the node is linked. NULL on the root.
 * @events_notified_at: jiffies of the last notification of @events_kn.
 *	taskset_events_lock.
 * @events_timer: sends a notification that came too soon after the
 *	previous one, later.
 * @delete_work: removes the node once it is empty, when @on_empty says
 *	so; holds a reference on the node while queued.
 * @ucounts: the charge of the node to its creator, against
 *	/proc/sys/user/max_tasksets.
 * @kills_started: writes of taskset.kill to the node that began killing
 *	its subtree (kernel/taskset/kill.c).
 * @kills_finished: those that have been over, their walk of the tasks
 *	done. A child cloned into the subtree from outside compares the
 *	two (kernel/taskset/clone_into.c).
 * @rcu: frees the node after a grace period.
 */
struct taskset {
	struct kernfs_node *kn;
	struct taskset *parent;
	int level;
	int max_depth;
	int max_descendants;
	int nr_descendants;
	struct list_head children;
	struct list_head sibling;
	unsigned long own;
	bool dead;
	bool was_populated;
	atomic_t nr_tasks;
	atomic_t nr_entering;
	refcount_t ref;
	struct nsproxy *nsproxy;
	struct taskset_state *states[TASKSET_NR_FACETS];
	unsigned long states_gen;
	struct nsproxy ns_states;
	enum taskset_on_empty on_empty;
	int nr_populated_children;
	u64 nr_emptied;
	struct kernfs_node *events_kn;
	unsigned long events_notified_at;
	struct timer_list events_timer;
	struct work_struct delete_work;
	struct ucounts *ucounts;
	atomic_long_t kills_started;
	atomic_long_t kills_finished;
	struct rcu_head rcu;
};

/*
 * The deepest a node made by CLONE_NEWTASKSET may be, counting the root
 * as level 0: as user and pid namespaces nest 32 deep at most, so that
 * an unprivileged chain of unshares cannot make every walk to the root
 * long.
 */
#define TASKSET_CLONE_MAX_LEVEL	32

/*
 * The shortest time between two notifications of one events file, as
 * cgroup's CGROUP_FILE_NOTIFY_MIN_INTV: at most 50 a second; a change
 * within it is notified at its end.
 */
#define TASKSET_NOTIFY_INTERVAL	DIV_ROUND_UP(HZ, 50)

extern struct taskset taskset_root;
extern struct mutex taskset_mutex;

unsigned long taskset_nr_nodes(void);
long taskset_nr_namespaces(void);
bool taskset_owns(const struct taskset *ts, const struct taskset_facet *facet);
struct ns_common *taskset_ns(const struct taskset *ts,
			     const struct taskset_facet *facet);
const struct taskset_facet *taskset_facet_by_name(const char *name,
						  size_t len);

struct taskset *taskset_node_create(struct taskset *parent,
				    struct user_namespace *user_ns);
int taskset_node_own_resources(struct taskset *ts, const struct cred *cred);
int taskset_node_remove_resources(struct taskset *ts, unsigned long facets);
void taskset_node_link(struct taskset *ts, struct kernfs_node *kn);
bool taskset_node_busy(const struct taskset *ts);
struct taskset *taskset_task_node_get(struct task_struct *tsk);
struct taskset *taskset_common_ancestor(struct taskset *a, struct taskset *b);
int taskset_node_enter(struct taskset *ts);
void taskset_node_entered(struct taskset *ts);
void taskset_node_unlink(struct taskset *ts);
int taskset_node_remove(struct taskset *ts, bool if_on_empty);
struct taskset *taskset_next_descendant_pre(struct taskset *pos,
					    struct taskset *root);
void taskset_release(struct taskset *ts);

/* kernel/taskset/empty.c */
void taskset_empty_init(struct taskset *ts);
void taskset_empty_release(struct taskset *ts);
void taskset_node_join(struct taskset *ts);
void taskset_node_leave(struct taskset *ts);
void taskset_empty_check(struct taskset *ts);
int taskset_set_on_empty(struct taskset *ts, enum taskset_on_empty action);
void taskset_read_events(struct taskset *ts, bool *populated, u64 *emptied);
void taskset_notify_removed(struct taskset *ts);

/* kernel/taskset/kill.c */
void taskset_kill(struct taskset *ts);
unsigned long taskset_kills_finished(const struct taskset *ts);
unsigned long taskset_kills_started(const struct taskset *ts);

/* fs/tasksetfs/dir.c, mount.c, perm.c */
#ifdef CONFIG_TASKSET_FS
int tasksetfs_publish_node(struct taskset *ts, const char *name,
			   umode_t mode);
struct taskset *tasksetfs_node_get(struct file *file);
int tasksetfs_may_change(const struct cred *cred, const struct taskset *ts);
#else
static inline int tasksetfs_publish_node(struct taskset *ts, const char *name,
					 umode_t mode)
{
	return -EINVAL;
}

static inline struct taskset *tasksetfs_node_get(struct file *file)
{
	return ERR_PTR(-EBADF);
}

static inline int tasksetfs_may_change(const struct cred *cred,
				       const struct taskset *ts)
{
	return -EPERM;
}
#endif

/**
 * struct taskset_ns_change - new namespace states for a node, prepared
 * @own: the facets the node owns once the change is committed.
 * @created: namespaces created for the facets being added, as unshare(2)
 *	would create them; a work proxy's nsproxy, or NULL.
 * @inherited: the parent's states, referenced, for the facets being
 *	dropped; NULL if none are.
 * @inherited_ns: storage for @inherited.
 *
 * Prepared with taskset_ns_change_prepare(), which may fail and changes
 * nothing; committed with taskset_ns_change_commit(), which cannot fail;
 * the namespaces the node no longer holds are put by
 * taskset_ns_change_finish().
 */
struct taskset_ns_change {
	unsigned long own;
	struct nsproxy *created;
	struct nsproxy *inherited;
	struct nsproxy inherited_ns;
};

/**
 * struct taskset_res_change - new resource states for a node, prepared
 * @created: states made for the facets being added ("+name" of a facet
 *	owned on request), by facet id; freed unless committed.
 * @dropped: the states the node gave up, once committed; freed by
 *	taskset_res_change_finish().
 */
struct taskset_res_change {
	struct taskset_state *created[TASKSET_NR_FACETS];
	struct taskset_state *dropped[TASKSET_NR_FACETS];
};

int taskset_res_change_prepare(struct taskset_res_change *chg,
			       struct taskset *ts, unsigned long own,
			       const struct cred *cred);
void taskset_res_change_commit(struct taskset_res_change *chg,
			       struct taskset *ts, unsigned long own);
void taskset_res_change_finish(struct taskset_res_change *chg);

int taskset_ns_change_prepare(struct taskset_ns_change *chg,
			      struct taskset *ts, unsigned long own,
			      const struct cred *cred);
void taskset_ns_change_commit(struct taskset_ns_change *chg,
			      struct taskset *ts);
void taskset_ns_change_finish(struct taskset_ns_change *chg);

struct seq_file;
struct pid_namespace;
struct pid;
int proc_taskset_show(struct seq_file *m, struct pid_namespace *ns,
		      struct pid *pid, struct task_struct *tsk);

/**
 * taskset_get() - take a reference on a node
 * @ts: the node; a reference or taskset_mutex keeps it alive
 *
 * The root is never freed and is not counted, so that the tasks of the
 * root, which is all of them at first, write no shared cache line.
 *
 * Return: @ts.
 */
static inline struct taskset *taskset_get(struct taskset *ts)
{
	if (IS_ENABLED(CONFIG_TASKSET) && ts && ts != &taskset_root)
		refcount_inc(&ts->ref);
	return ts;
}

/**
 * taskset_tryget() - take a reference on a node that may be going
 * @ts: the node, found under RCU
 *
 * Return: true with a reference taken; false if the node's last one is
 * gone.
 */
static inline bool taskset_tryget(struct taskset *ts)
{
	return ts == &taskset_root || refcount_inc_not_zero(&ts->ref);
}

/**
 * taskset_put() - drop a reference on a node
 * @ts: the node
 *
 * The last reference frees the node, with the namespaces it holds.
 *
 * Context: may sleep.
 */
static inline void taskset_put(struct taskset *ts)
{
	if (IS_ENABLED(CONFIG_TASKSET) && ts && ts != &taskset_root &&
	    refcount_dec_and_test(&ts->ref))
		taskset_release(ts);
}

#endif /* _LINUX_TASKSET_H */
