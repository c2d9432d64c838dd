// SPDX-License-Identifier: GPL-2.0
/*
 * The facet registry.
 *
 * Every facet listed in include/linux/taskset_facets.h has an id (its
 * place in the list) and a struct taskset_facet describing its policies.
 * The list is compiled in; taskset_facets_valid() checks at boot that the
 * descriptions agree with it before anything depends on them.
 */

#include <linux/bug.h>
#include <linux/ctype.h>
#include <linux/init.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/taskset.h>

#define TASKSET_FACET(_x)						\
	[_x ## _taskset_id] = &_x ## _taskset_facet,
struct taskset_facet *const taskset_facets[TASKSET_NR_FACETS] = {
#include <linux/taskset_facets.h>
};

#undef TASKSET_FACET

/* The names as listed, to check each facet's own name against. */
#define TASKSET_FACET(_x)						\
	[_x ## _taskset_id] = #_x,
static const char *const taskset_facet_names[TASKSET_NR_FACETS] __initconst = {
#include <linux/taskset_facets.h>
};

#undef TASKSET_FACET

static bool __init facet_name_valid(const char *name)
{
	size_t len = strlen(name);
	size_t i;

	if (!len || len > TASKSET_FACET_NAME_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!islower(name[i]) && !isdigit(name[i]))
			return false;
	return true;
}

static bool __init facet_policies_valid(const struct taskset_facet *facet)
{
	if (facet->enter > TASKSET_ENTER_ANY ||
	    facet->empty_default > TASKSET_EMPTY_DELETE)
		return false;
	if (!facet->create || (facet->create & ~TASKSET_CREATE_MASK))
		return false;
	/* Only a facet with a clone flag can be created by clone. */
	if (!facet->clone_flag != !(facet->create & TASKSET_CREATE_CLONE))
		return false;
	/* A namespace is not volatile: only its task may switch it. */
	if (taskset_facet_is_ns(facet) && facet->enter == TASKSET_ENTER_ANY)
		return false;
	return true;
}

static bool __init facet_valid(struct taskset_facet *facet, int id)
{
	struct taskset_facet *other;
	int i;

	if (strcmp(facet->name, taskset_facet_names[id])) {
		pr_err("taskset: facet %d is named %s, listed as %s\n",
		       id, facet->name, taskset_facet_names[id]);
		return false;
	}
	if (!facet_name_valid(facet->name)) {
		pr_err("taskset: facet name %s is not valid\n", facet->name);
		return false;
	}
	for_each_taskset_facet(other, i) {
		if (i < id && !strcmp(other->name, facet->name)) {
			pr_err("taskset: facet %s listed twice\n", facet->name);
			return false;
		}
	}
	if (!facet_policies_valid(facet)) {
		pr_err("taskset: facet %s has invalid policies\n", facet->name);
		return false;
	}
	return true;
}

/**
 * taskset_facets_valid() - check the compiled-in facets and number them
 *
 * Gives each facet its id and checks that its name matches the list in
 * include/linux/taskset_facets.h, is well formed and unique, and that its
 * policies are consistent.
 *
 * Return: true if every facet is valid.
 */
bool __init taskset_facets_valid(void)
{
	struct taskset_facet *facet;
	bool valid = true;
	int id;

	BUILD_BUG_ON(TASKSET_NR_FACETS > BITS_PER_LONG);

	for_each_taskset_facet(facet, id) {
		facet->id = id;
		if (!facet_valid(facet, id))
			valid = false;
	}
	return valid;
}
