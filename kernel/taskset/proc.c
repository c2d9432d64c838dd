// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID/taskset: the path of a task's node, relative to the root of
 * tasksetfs, as /proc/PID/cgroup shows a task's cgroup:
 *
 *	/web/a
 *
 * A task that has exited and released its proxy has no node: reading
 * the file fails with ENOENT, as following its /proc/PID/ns links does.
 */

#include <linux/kernfs.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/taskset.h>
#include <linux/taskset_proxy.h>

/**
 * proc_taskset_show() - show /proc/PID/taskset
 * @m: the seq_file
 * @ns: the pid namespace of the procfs instance
 * @pid: the task's pid
 * @tsk: the task
 *
 * Return: 0, -ENOENT if the task has no node any more, -ENOMEM, or
 * -ENAMETOOLONG.
 */
int proc_taskset_show(struct seq_file *m, struct pid_namespace *ns,
		      struct pid *pid, struct task_struct *tsk)
{
	struct taskset *node;
	char *buf;
	int ret;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	node = taskset_task_node_get(tsk);
	if (!node) {
		ret = -ENOENT;
		goto free;
	}
	ret = kernfs_path(node->kn, buf, PATH_MAX);
	if (ret >= PATH_MAX)
		ret = -ENAMETOOLONG;
	if (ret >= 0) {
		seq_printf(m, "%s\n", buf);
		ret = 0;
	}
	taskset_put(node);
free:
	kfree(buf);
	return ret;
}
