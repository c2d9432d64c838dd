// SPDX-License-Identifier: GPL-2.0
/*
 * The seven namespaces an nsproxy holds, registered as facets.
 *
 * A namespace is entered only by its own task (enter policy "self"),
 * because code all over the kernel reads current's namespace pointers
 * without a lock on the promise that no one else changes them. New
 * instances come from clone3()/unshare() flags or from tasksetfs; a node
 * that a clone or unshare created expires with its last task, as a
 * namespace does. Pid and time namespaces apply to a task's children,
 * so their state is the nsproxy's "for children" namespace.
 */

#include <linux/cgroup.h>
#include <linux/ipc_namespace.h>
#include <linux/minmax.h>
#include <linux/mnt_namespace.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/taskset.h>
#include <linux/time_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>

/*
 * A moving task enters a namespace as setns(2) would have it enter:
 * through the namespace type's install operation, called in the task's
 * context with the opener's credentials as current's (kernel/taskset/
 * switch.c). The install operation puts the namespace it replaces in
 * nsset->nsproxy, which holds references only on the namespaces that
 * differ from the task's: the facet's can_attach takes one on the
 * namespace it is about to replace, and gives it back if it fails.
 */
static int ns_install(struct nsset *nsset, struct ns_common *ns)
{
	return ns->ops->install(nsset, ns);
}

/*
 * A namespace facet: entered by its own task only, created by clone or
 * mkdir, expiring with its last task. Its state is the nsproxy field
 * @_field. Namespaces are counted by the ucount they are charged to
 * (@_ucount); @_uncharged is 1 where the initial namespace is static,
 * and so never charged. A moving task enters it with @_install. Further
 * initializers (.files) may follow.
 */
#define DEFINE_NS_FACET(_name, _field, _clone_flag, _ucount, _uncharged, \
			_install, ...)					\
	static void _name ## _ns_exchange(struct nsproxy *a,		\
					  struct nsproxy *b)		\
	{								\
		swap(a->_field, b->_field);				\
	}								\
	static int _name ## _can_attach(struct nsset *nsset,		\
					const struct nsproxy *to)	\
	{								\
		struct ns_common *old = _name ## _ns_of(nsset->nsproxy); \
		int err;						\
									\
		refcount_inc(&old->count);				\
		err = _install(nsset, _name ## _ns_of(to));		\
		if (err)						\
			old->ops->put(old);				\
		return err;						\
	}								\
	DEFINE_TASKSET_FACET(_name, TASKSET_ENTER_SELF,			\
			     TASKSET_CREATE_MKDIR | TASKSET_CREATE_CLONE, \
			     TASKSET_EMPTY_DELETE, _clone_flag,		\
			     .ns_of = _name ## _ns_of,			\
			     .ns_field = offsetof(struct nsproxy, _field), \
			     .ns_exchange = _name ## _ns_exchange,	\
			     .can_attach = _name ## _can_attach,	\
			     .ucount = _ucount,				\
			     .uncharged = _uncharged,			\
			     __VA_ARGS__)

static struct ns_common *uts_ns_of(const struct nsproxy *nsp)
{
	return &nsp->uts_ns->ns;
}

/* The outside view of a node's uts namespace (fs/tasksetfs/uts.c). */
DEFINE_NS_FACET(uts, uts_ns, CLONE_NEWUTS, UCOUNT_UTS_NAMESPACES, 1,
		ns_install,
		.files = TASKSETFS_FILES(uts_taskset_files));

static struct ns_common *ipc_ns_of(const struct nsproxy *nsp)
{
	return &nsp->ipc_ns->ns;
}

/*
 * The outside view of a node's IPC limits (fs/tasksetfs/ipc.c), for the
 * System V ids, which a kernel without them does not have.
 */
DEFINE_NS_FACET(ipc, ipc_ns, CLONE_NEWIPC, UCOUNT_IPC_NAMESPACES, 1,
		ns_install,
		.files = IS_ENABLED(CONFIG_SYSVIPC) ?
			 TASKSETFS_FILES(ipc_taskset_files) : NULL);

static struct ns_common *mnt_ns_of(const struct nsproxy *nsp)
{
	return from_mnt_ns(nsp->mnt_ns);
}

/* The initial mount namespace is allocated, and charged, at boot. */
DEFINE_NS_FACET(mnt, mnt_ns, CLONE_NEWNS, UCOUNT_MNT_NAMESPACES, 0,
		ns_install);

static struct ns_common *pid_ns_of(const struct nsproxy *nsp)
{
	return &nsp->pid_ns_for_children->ns;
}

DEFINE_NS_FACET(pid, pid_ns_for_children, CLONE_NEWPID,
		UCOUNT_PID_NAMESPACES, 1, ns_install);

static struct ns_common *net_ns_of(const struct nsproxy *nsp)
{
	return &nsp->net_ns->ns;
}

DEFINE_NS_FACET(net, net_ns, CLONE_NEWNET, UCOUNT_NET_NAMESPACES, 1,
		ns_install);

static struct ns_common *time_ns_of(const struct nsproxy *nsp)
{
	return &nsp->time_ns_for_children->ns;
}

/*
 * setns(2) refuses a time namespace to a multithreaded process
 * (-EUSERS): its threads share one vDSO, whose clocks would change
 * under the threads that have not switched yet. A move gives such a
 * process the node's time namespace for its children only, as
 * unshare(CLONE_NEWTIME) does, with setns(2)'s permission checks; a
 * single-threaded one enters it as setns(2) has it.
 */
static int time_install(struct nsset *nsset, struct ns_common *ns)
{
	struct time_namespace *time_ns =
		container_of(ns, struct time_namespace, ns);
	struct nsproxy *nsp = nsset->nsproxy;
	int err;

	if (current_is_single_threaded()) {
		/* The install operation replaces the active one too. */
		if (nsp->time_ns == time_ns)
			return ns_install(nsset, ns);
		get_time_ns(nsp->time_ns);
		err = ns_install(nsset, ns);
		if (err)
			put_time_ns(nsp->time_ns);
		return err;
	}
	if (!ns_capable(time_ns->user_ns, CAP_SYS_ADMIN) ||
	    !ns_capable(nsset->cred->user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	get_time_ns(time_ns);
	put_time_ns(nsp->time_ns_for_children);
	nsp->time_ns_for_children = time_ns;
	return 0;
}

DEFINE_NS_FACET(time, time_ns_for_children, CLONE_NEWTIME,
		UCOUNT_TIME_NAMESPACES, 1, time_install);

static struct ns_common *cgroup_ns_of(const struct nsproxy *nsp)
{
	return &nsp->cgroup_ns->ns;
}

DEFINE_NS_FACET(cgroup, cgroup_ns, CLONE_NEWCGROUP,
		UCOUNT_CGROUP_NAMESPACES, 1, ns_install);
