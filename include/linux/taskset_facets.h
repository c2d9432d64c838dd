/* SPDX-License-Identifier: GPL-2.0 */
/*
 * List of task set facets: one TASKSET_FACET(name) line per facet, whose
 * struct taskset_facet is called name##_taskset_facet.
 *
 * No include guard: the includer defines TASKSET_FACET() and includes this
 * file to expand the list into an enum, declarations or an array, as
 * include/linux/cgroup_subsys.h does for cgroup subsystems. The order
 * gives the facet ids.
 *
 * A namespace facet is listed when its namespace type can have instances
 * other than the initial one, the condition under which /proc/PID/ns
 * shows it.
 */

#if IS_ENABLED(CONFIG_UTS_NS)
TASKSET_FACET(uts)
#endif

#if IS_ENABLED(CONFIG_IPC_NS)
TASKSET_FACET(ipc)
#endif

TASKSET_FACET(mnt)

#if IS_ENABLED(CONFIG_PID_NS)
TASKSET_FACET(pid)
#endif

#if IS_ENABLED(CONFIG_NET_NS)
TASKSET_FACET(net)
#endif

#if IS_ENABLED(CONFIG_TIME_NS)
TASKSET_FACET(time)
#endif

#if IS_ENABLED(CONFIG_CGROUPS)
TASKSET_FACET(cgroup)
#endif

/* Resource facets: their states are a proxy's state[]. */
#if IS_ENABLED(CONFIG_TASKSET)
TASKSET_FACET(tasks)
#endif

#if IS_ENABLED(CONFIG_TASKSET) && IS_ENABLED(CONFIG_CGROUPS)
TASKSET_FACET(cgroup2)
#endif

/*
 * DO NOT ADD ANY FACET WITHOUT EXPLICIT ACKS FROM THE TASK SET
 * MAINTAINERS.
 */
