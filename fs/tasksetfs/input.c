// SPDX-License-Identifier: GPL-2.0
/*
 * What every control file accepts as a write, before it parses it.
 */

#include <linux/errno.h>
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
