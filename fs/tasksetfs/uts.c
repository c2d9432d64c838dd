// SPDX-License-Identifier: GPL-2.0
/*
 * The outside view of a node's uts namespace, on a node that owns one:
 *
 *	uts.hostname	the namespace's host name (uname -n)
 *	uts.domainname	its NIS domain name
 *
 * Reading gives the name and a newline. Writing sets it, as
 * sethostname(2) and setdomainname(2) do from inside: without entering
 * the namespace, visible at once to every task in it and to no other.
 * One trailing newline is dropped; an empty name is taken, as the system
 * calls take it; a name longer than 64 bytes and a NUL byte are refused
 * with EINVAL.
 *
 * The files exist only while the node owns its uts namespace, which does
 * not change meanwhile: they use it without taking taskset_mutex.
 */

#include <linux/random.h>
#include <linux/rwsem.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/taskset.h>
#include <linux/utsname.h>

#include "tasksetfs.h"

static struct uts_namespace *of_uts_ns(struct kernfs_open_file *of)
{
	return tasksetfs_of_node(of)->nsproxy->uts_ns;
}

/* Show one field of the node's struct new_utsname, at @offset. */
static int uts_show(struct seq_file *sf, size_t offset)
{
	struct uts_namespace *ns = of_uts_ns(sf->private);

	down_read(&uts_sem);
	seq_printf(sf, "%s\n", (char *)&ns->name + offset);
	up_read(&uts_sem);
	return 0;
}

/* Set the field at @offset, as set{host,domain}name(2) does. */
static ssize_t uts_write(struct kernfs_open_file *of, char *buf,
			 size_t nbytes, size_t offset, enum uts_proc proc)
{
	struct uts_namespace *ns = of_uts_ns(of);
	size_t len = nbytes;
	char *field;
	int ret;

	ret = tasksetfs_check_write(of, buf, nbytes);
	if (ret)
		return ret;
	if (len && buf[len - 1] == '\n')
		len--;
	if (len > __NEW_UTS_LEN)
		return -EINVAL;

	add_device_randomness(buf, len);
	down_write(&uts_sem);
	field = (char *)&ns->name + offset;
	memcpy(field, buf, len);
	memset(field + len, 0, __NEW_UTS_LEN + 1 - len);
	uts_proc_notify(proc);
	up_write(&uts_sem);
	return nbytes;
}

static int hostname_show(struct seq_file *sf, void *v)
{
	return uts_show(sf, offsetof(struct new_utsname, nodename));
}

static ssize_t hostname_write(struct kernfs_open_file *of, char *buf,
			      size_t nbytes, loff_t off)
{
	return uts_write(of, buf, nbytes,
			 offsetof(struct new_utsname, nodename),
			 UTS_PROC_HOSTNAME);
}

static int domainname_show(struct seq_file *sf, void *v)
{
	return uts_show(sf, offsetof(struct new_utsname, domainname));
}

static ssize_t domainname_write(struct kernfs_open_file *of, char *buf,
				size_t nbytes, loff_t off)
{
	return uts_write(of, buf, nbytes,
			 offsetof(struct new_utsname, domainname),
			 UTS_PROC_DOMAINNAME);
}

static const struct kernfs_ops hostname_ops = {
	.seq_show	= hostname_show,
	.write		= hostname_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};

static const struct kernfs_ops domainname_ops = {
	.seq_show	= domainname_show,
	.write		= domainname_write,
	.atomic_write_len	= TASKSETFS_WRITE_MAX,
};

/* The uts facet's files, declared in include/linux/taskset.h. */
struct taskset_file uts_taskset_files[] = {
	{
		.name	= "hostname",
		.mode	= 0644,
		.ops	= &hostname_ops,
	},
	{
		.name	= "domainname",
		.mode	= 0644,
		.ops	= &domainname_ops,
	},
	{ }	/* terminate */
};
