// SPDX-License-Identifier: GPL-2.0
/*
 * The outside view of a node's IPC namespace, on a node that owns one
 * (not the root, whose namespace has no outside):
 *
 *	ipc.shmmni.max	"max" or a number: the external cap on the
 *	ipc.msgmni.max	namespace's shared memory segments, message queues
 *	ipc.semmni.max	and semaphore sets. Writable.
 *	ipc.ids		"shm N", "msg N", "sem N": the ids in use
 *
 * Inside, nothing changes: a task reads and writes kernel.shmmni,
 * kernel.msgmni and kernel.semmni in its namespace as before. The
 * effective limit is the smallest of that sysctl, the node's cap and
 * the caps of the namespaces above (ipc_ns_mni(), include/linux/
 * ipc_namespace.h): shmget(2), msgget(2) and semget(2) beyond it fail
 * with ENOSPC, and IPC_INFO reports it. A node's namespace is bound by
 * its parent node's caps, so a container cannot raise what its parent
 * imposed, nor see the caps from inside: tasksetfs is not mounted in its
 * user namespace, and a write needs CAP_SYS_ADMIN in the initial one.
 * A cap below the ids in use is accepted: no new id is made until they
 * are fewer, as with tasks.max.
 *
 * The files exist only while the node owns its IPC namespace, which
 * does not change meanwhile: they use it without taking taskset_mutex.
 */

#include <linux/ipc_namespace.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/taskset.h>

#include "tasksetfs.h"

static struct ipc_namespace *of_ipc_ns(struct kernfs_open_file *of)
{
	return tasksetfs_of_node(of)->nsproxy->ipc_ns;
}

static int mni_show(struct seq_file *sf, int kind)
{
	int mni = READ_ONCE(of_ipc_ns(sf->private)->ext_mni[kind]);

	if (mni == IPC_MNI_NO_CAP)
		seq_puts(sf, "max\n");
	else
		seq_printf(sf, "%d\n", mni);
	return 0;
}

static ssize_t mni_write(struct kernfs_open_file *of, char *buf,
			 size_t nbytes, int kind)
{
	long mni;
	int ret;

	ret = tasksetfs_check_write(of, buf, nbytes);
	if (!ret)
		ret = tasksetfs_parse_limit(buf, IPC_MNI_NO_CAP, &mni);
	if (ret)
		return ret;
	ipc_set_ext_mni(of_ipc_ns(of), kind, mni);
	return nbytes;
}

static int shmmni_show(struct seq_file *sf, void *v)
{
	return mni_show(sf, IPC_SHM_IDS);
}

static ssize_t shmmni_write(struct kernfs_open_file *of, char *buf,
			    size_t nbytes, loff_t off)
{
	return mni_write(of, buf, nbytes, IPC_SHM_IDS);
}

static int msgmni_show(struct seq_file *sf, void *v)
{
	return mni_show(sf, IPC_MSG_IDS);
}

static ssize_t msgmni_write(struct kernfs_open_file *of, char *buf,
			    size_t nbytes, loff_t off)
{
	return mni_write(of, buf, nbytes, IPC_MSG_IDS);
}

static int semmni_show(struct seq_file *sf, void *v)
{
	return mni_show(sf, IPC_SEM_IDS);
}

static ssize_t semmni_write(struct kernfs_open_file *of, char *buf,
			    size_t nbytes, loff_t off)
{
	return mni_write(of, buf, nbytes, IPC_SEM_IDS);
}

static int ids_show(struct seq_file *sf, void *v)
{
	struct ipc_namespace *ns = of_ipc_ns(sf->private);

	seq_printf(sf, "shm %d\n", ipc_ids_in_use(ns, IPC_SHM_IDS));
	seq_printf(sf, "msg %d\n", ipc_ids_in_use(ns, IPC_MSG_IDS));
	seq_printf(sf, "sem %d\n", ipc_ids_in_use(ns, IPC_SEM_IDS));
	return 0;
}

static const struct kernfs_ops shmmni_ops = {
	.seq_show	= shmmni_show,
	.write		= shmmni_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};

static const struct kernfs_ops msgmni_ops = {
	.seq_show	= msgmni_show,
	.write		= msgmni_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};

static const struct kernfs_ops semmni_ops = {
	.seq_show	= semmni_show,
	.write		= semmni_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};

static const struct kernfs_ops ids_ops = {
	.seq_show	= ids_show,
};

/* The ipc facet's files, declared in include/linux/taskset.h. */
struct taskset_file ipc_taskset_files[] = {
	{
		.name	= "shmmni.max",
		.mode	= 0644,
		.flags	= TASKSET_FILE_NOT_ROOT,
		.ops	= &shmmni_ops,
	},
	{
		.name	= "msgmni.max",
		.mode	= 0644,
		.flags	= TASKSET_FILE_NOT_ROOT,
		.ops	= &msgmni_ops,
	},
	{
		.name	= "semmni.max",
		.mode	= 0644,
		.flags	= TASKSET_FILE_NOT_ROOT,
		.ops	= &semmni_ops,
	},
	{
		.name	= "ids",
		.mode	= 0444,
		.flags	= TASKSET_FILE_NOT_ROOT,
		.ops	= &ids_ops,
	},
	{ }	/* terminate */
};
