#!/usr/bin/python3
"""Report the benchmark runs of scripts/bench.sh.

usage: scripts/bench-report.py bench-{vanilla,patched,wall}-tagN.tap...

Per kernel and boot (tag), the median over rounds of each operation;
per kernel, the mean of those medians over the tags; the ratio
patched/unpatched; and the noise floor, the largest tag-to-tag spread
((max - min) / mean) of either kernel. Times are per operation in guest
nanoseconds, which under QEMU's deterministic mode are executed
instructions on one CPU (no cache effects, no SMP contention, no time
spent waiting).

Wall-time boots (bench-wall-tagN.tap, ordinary TCG, the patched kernel)
time the moves of tasks into a node and into a cgroup, and the time from
a node's last member's exit to its deletion against cgroup's "populated
0" notification, by the clock: the report ends with the minimum and the
median over every round of every boot, per operation.
"""

import collections
import re
import statistics
import sys

# Node operations compared with their equivalents, on the patched kernel:
# (line name, taskset operation, label of the other, other operation).
SAME_KERNEL = [
    ("node_mkdir_rmdir", "node_mkdir_rmdir", "cgroup", "cgroup_mkdir_rmdir"),
    ("node_facets_uts_ipc_net", "node_facets_uts_ipc_net", "unshare",
     "fork_unshare_uts_ipc_net"),
    ("spawn_into", "node_spawn_into", "cgroup", "cgroup_spawn_into"),
    # The child enters by itself after a fork: the flag must be faster.
    ("spawn_then_enter", "node_spawn_then_enter", "spawn_into",
     "node_spawn_into"),
    # A node's tasks.max against cgroup's pids.max.
    ("fork_limited", "node_fork_limited", "cgroup", "cgroup_fork_limited"),
    # One write to a node bound to a cgroup against setns() + cgroup.procs.
    ("enter_both", "node_enter_both", "twostep", "twostep_enter_both"),
    # CLONE_INTO_TASKSET into a bound node against CLONE_INTO_CGROUP+setns.
    ("spawn_into_bound", "node_spawn_into_bound", "cgroup",
     "cgroup_spawn_into_setns"),
] + [(move + nodes, "node_" + move + nodes, "cgroup",
      "cgroup_" + move + nodes)
     for nodes in ("", "_10000_nodes")
     for move in ("attach_self", "attach_other")]

# The bridge against the status quo on the unpatched kernel: (line name,
# taskset operation on the patched kernel, label, the unpatched kernel's).
ACROSS_KERNELS = [
    ("enter_both_vs_unpatched", "node_enter_both", "statusquo",
     "statusquo_enter_both"),
    ("spawn_into_bound_vs_unpatched", "node_spawn_into_bound", "statusquo",
     "statusquo_spawn_into_setns")]

# Operations that must not grow with the number of nodes, on the patched
# kernel: (line name, with 1 node, with 10,000 nodes).
SCALING = [(move + "_scaling", "node_" + move, "node_" + move + "_10000_nodes")
           for move in ("attach_self", "attach_other")]

# The wall-time comparisons: (line name, taskset operation, cgroup's).
WALL = [(move, "node_" + move, "cgroup_" + move)
        for move in ("attach_self", "attach_other")] + [
    ("empty_delete", "node_empty_delete", "cgroup_populated_0"),
    ("enter_both", "node_enter_both", "twostep_enter_both"),
    ("spawn_into_bound", "node_spawn_into_bound", "cgroup_spawn_into_setns")]

# Two pipe round trips between two processes: the four context switches
# that two moves of a sleeping process cost, and nothing else.
SWITCHES = "pipe_round_trip_x2"

LINE = re.compile(r"^bench: (\S+) round=\d+ ns=([\d.]+)")
NAME = re.compile(r"bench-(vanilla|patched|wall)-tag(\d+)\.tap$")


def compare(table, ours_runs, other_runs):
    """The lines of @table: our operation against the other one."""
    lines = []
    for name, ours, label, other in table:
        if not ours_runs.get(ours) or not other_runs.get(other):
            continue
        t = statistics.mean(ours_runs[ours].values())
        o = statistics.mean(other_runs[other].values())
        lines.append("bench: %s %s=%.1f taskset=%.1f ratio=%.4f" %
                     (name, label, o, t, t / o))
    return lines


def main():
    runs = collections.defaultdict(lambda: collections.defaultdict(dict))
    order, mem = [], collections.defaultdict(list)
    wall = collections.defaultdict(list)
    for path in sys.argv[1:]:
        m = NAME.search(path)
        if not m:
            sys.exit("unexpected file name: " + path)
        kernel, tag = m.group(1), int(m.group(2))
        rounds = collections.defaultdict(list)
        with open(path, errors="replace") as f:
            for line in f:
                line = line.strip()
                r = LINE.match(line)
                if r and kernel == "wall":
                    wall[r.group(1)].append(float(r.group(2)))
                elif r:
                    rounds[r.group(1)].append(float(r.group(2)))
                    if r.group(1) not in order:
                        order.append(r.group(1))
                elif line.startswith("mem: ") and tag == 1:
                    mem[kernel].append(line[5:])
        for op, values in rounds.items():
            runs[kernel][op][tag] = statistics.median(values)

    print("Per operation: mean over boots (tags) of each boot's median, in")
    print("guest ns = executed instructions (QEMU icount, 1 vCPU).")
    print()
    print("%-26s %14s %14s %8s %8s" %
          ("operation", "unpatched", "patched", "ratio", "noise"))
    lines = []
    for op in order:
        v_tags = runs["vanilla"].get(op, {})
        p_tags = runs["patched"].get(op, {})
        if not v_tags or not p_tags:
            continue
        v = statistics.mean(v_tags.values())
        p = statistics.mean(p_tags.values())
        noise = max((max(t.values()) - min(t.values())) / statistics.mean(t.values())
                    for t in (v_tags, p_tags))
        ratio = p / v
        print("%-26s %14.1f %14.1f %8.4f %7.2f%%" %
              (op, v, p, ratio, 100 * noise))
        lines.append("bench: %s unpatched=%.1f patched=%.1f ratio=%.4f" %
                     (op, v, p, ratio))
    print()
    for kernel in ("vanilla", "patched"):
        for line in mem.get(kernel, []):
            print("memory (%s): %s" % (kernel, line))
    print()
    patched = runs["patched"]
    lines += compare(SAME_KERNEL, patched, patched)
    lines += compare(ACROSS_KERNELS, patched, runs["vanilla"])
    if patched.get(SWITCHES) and patched.get("node_attach_other"):
        c = statistics.mean(patched[SWITCHES].values())
        t = statistics.mean(patched["node_attach_other"].values())
        lines.append("bench: attach_other context_switches=%.1f taskset=%.1f "
                     "ratio=%.4f" % (c, t, t / c))
    for name, few, many in SCALING:
        if not patched.get(few) or not patched.get(many):
            continue
        a = statistics.mean(patched[few].values())
        b = statistics.mean(patched[many].values())
        lines.append("bench: %s nodes_1=%.1f nodes_10000=%.1f ratio=%.4f" %
                     (name, a, b, b / a))
    print("\n".join(lines))
    report_wall(wall)


def report_wall(wall):
    """Minimum and median wall time per move, over all rounds and boots."""
    if not wall:
        return
    print()
    print("Wall time (ordinary TCG, patched kernel), ns per operation over")
    print("%d rounds in all:" % max(len(v) for v in wall.values()))
    print("%-14s %12s %12s %12s %12s %8s" %
          ("operation", "cgroup min", "cgroup med", "taskset min",
           "taskset med", "med ratio"))
    lines = []
    for name, ours, cgroup in WALL:
        if not wall.get(ours) or not wall.get(cgroup):
            continue
        t, c = wall[ours], wall[cgroup]
        ratio = statistics.median(t) / statistics.median(c)
        print("%-14s %12.0f %12.0f %12.0f %12.0f %8.3f" %
              (name, min(c), statistics.median(c), min(t),
               statistics.median(t), ratio))
        lines.append("wall: %s cgroup_min=%.0f cgroup_median=%.0f "
                     "taskset_min=%.0f taskset_median=%.0f ratio=%.3f" %
                     (name, min(c), statistics.median(c), min(t),
                      statistics.median(t), ratio))
    if wall.get("node_empty_delete") and wall.get("cgroup_populated_0"):
        t = statistics.median(wall["node_empty_delete"])
        c = statistics.median(wall["cgroup_populated_0"])
        lines.append("bench: empty_delete taskset_gone_ns=%.0f "
                     "cgroup_populated0_ns=%.0f ratio=%.3f" % (t, c, t / c))
    if wall.get(SWITCHES):
        c = wall[SWITCHES]
        print("%-14s %12s %12s %12.0f %12.0f   (4 context switches)" %
              ("pipe x2", "", "", min(c), statistics.median(c)))
        lines.append("wall: pipe_round_trip_x2 min=%.0f median=%.0f" %
                     (min(c), statistics.median(c)))
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
