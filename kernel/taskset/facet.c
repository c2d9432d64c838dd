// SPDX-License-Identifier: GPL-2.0
/*
 * The facet registry.
 *
 * Every facet listed in include/linux/taskset_facets.h has an id (its
 * place in the list, enum taskset_facet_id) and a const struct
 * taskset_facet describing its policies, defined with
 * DEFINE_TASKSET_FACET(), which checks them at compile time. A facet
 * listed twice is a duplicate enumerator: it does not build either.
 */

#include <linux/string.h>
#include <linux/taskset.h>

#define TASKSET_FACET(_x)						\
	[_x ## _taskset_id] = &_x ## _taskset_facet,
const struct taskset_facet *const taskset_facets[TASKSET_NR_FACETS] = {
#include <linux/taskset_facets.h>
};

#undef TASKSET_FACET

/**
 * taskset_facet_by_name() - find a facet by its name
 * @name: the name, not necessarily NUL-terminated
 * @len: its length
 *
 * Return: the facet, or NULL if no facet has that name.
 */
const struct taskset_facet *taskset_facet_by_name(const char *name,
						  size_t len)
{
	const struct taskset_facet *facet;
	int id;

	for_each_taskset_facet(facet, id)
		if (strlen(facet->name) == len && !memcmp(facet->name, name, len))
			return facet;
	return NULL;
}
