// SPDX-License-Identifier: GPL-2.0
/*
 * What every control file accepts as a write, before it parses it, and
 * the checks that start the write of every file that changes its node.
 */

#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kstrtox.h>
#include <linux/string.h>

#include "tasksetfs.h"

/**
 * tasksetfs_check_input() - refuse a write no control file can parse
 * @buf: the written bytes; kernfs terminates them with a NUL
 * @nbytes: how many were written
 *
 * A NUL byte inside the write would silently cut it short, so that a
 * parser would act on a part of it: refuse it.
 *
 * Return: 0, or -EINVAL.
 */
int tasksetfs_check_input(const char *buf, size_t nbytes)
{
	if (strnlen(buf, nbytes) != nbytes)
		return -EINVAL;
	return 0;
}

/**
 * tasksetfs_check_write() - may this write change a node at all
 * @of: the open file
 * @buf: the written bytes, NUL-terminated
 * @nbytes: how many were written
 *
 * The checks every control file that changes its node starts its write
 * with: the opener's permission, then input no file can parse.
 *
 * Return: 0, -EPERM or -EINVAL.
 */
int tasksetfs_check_write(struct kernfs_open_file *of, const char *buf,
			  size_t nbytes)
{
	return tasksetfs_may_write(of) ?: tasksetfs_check_input(buf, nbytes);
}

/**
 * tasksetfs_parse_limit() - parse a limit file's write
 * @buf: the written bytes, NUL-terminated; white space around is dropped
 * @none: the value that stands for "max", no limit
 * @limit: set to the limit
 *
 * A limit is "max" or a decimal number of digits alone (no sign) from 0
 * to TASKSETFS_LIMIT_MAX, the same range for every limit file on every
 * architecture; a number out of range is invalid, as in cgroup's
 * pids.max.
 *
 * Return: 0, or -EINVAL for anything else.
 */
int tasksetfs_parse_limit(char *buf, long none, long *limit)
{
	unsigned int n;

	buf = strim(buf);
	if (!strcmp(buf, "max")) {
		*limit = none;
		return 0;
	}
	/* kstrtouint() would take a '+' as well. */
	if (!isdigit(*buf) || kstrtouint(buf, 10, &n) ||
	    n > TASKSETFS_LIMIT_MAX)
		return -EINVAL;
	*limit = n;
	return 0;
}
