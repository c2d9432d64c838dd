#!/bin/sh
# /init of `make run`: show what tasksetfs can do so far, then power off:
# the root's files, then a node made with mkdir and given namespaces of
# its own, changed from outside, entered, nested, notified when empty,
# killed, deleted when empty, and removed; then tsrun (tools/tasksets/)
# running commands in a new node, inside an existing one, and in a node
# prepared to be deleted, which waits for its command.
. /lib/guest.sh
guest_setup

step() {
	echo
	echo "### $*"
}

step "tasksetfs is a registered filesystem"
grep tasksetfs /proc/filesystems
step "mount -t tasksetfs none /sys/fs/taskset"
mount -t tasksetfs none /sys/fs/taskset && ls -l /sys/fs/taskset
step "taskset.facets: the registered facets and their policies"
cat /sys/fs/taskset/taskset.facets
step "taskset.ns: the root's namespaces (type, inode, owner, own/inherited)"
cat /sys/fs/taskset/taskset.ns
step "the same inodes, as /proc/self/ns shows them"
ls -l /proc/self/ns/ | sed -n 's/.* \([a-z_]*\) -> /\1 /p'
step "taskset.procs: every process (first lines)"
head -5 /sys/fs/taskset/taskset.procs
echo "... $(wc -l </sys/fs/taskset/taskset.procs) processes"
step "taskset.stat: proxies are shared; counters of the proxy hash"
cat /sys/fs/taskset/taskset.stat
step "unshare -u: a task with a new uts namespace gets a proxy of its own"
unshare -u sh -c 'hostname inner; cat /sys/fs/taskset/taskset.stat | head -3'
step "taskset.namespaces: every namespace in use the reader may see (type inode owner nodes tasks)"
cat /sys/fs/taskset/taskset.namespaces
step "read-only files refuse writes"
echo 1 >/sys/fs/taskset/taskset.ns || echo "refused, as expected"

cd /sys/fs/taskset
step "mkdir web: a node, inheriting every state of its parent"
mkdir web && ls web && cat web/taskset.ns
step 'echo "+uts +ipc +net +mnt" > web/taskset.facets: new namespaces, no task inside'
echo "+uts +ipc +net +mnt" >web/taskset.facets
cat web/taskset.facets
cat web/taskset.ns
step "echo web1 > web/uts.hostname: set from outside, without entering"
echo web1 >web/uts.hostname
echo "web/uts.hostname: $(cat web/uts.hostname); the host's: $(hostname)"
uts=$(awk '$1 == "uts" { print $2 }' web/taskset.ns)
step "grep $uts taskset.namespaces: listed although no task uses it (nodes 1, tasks 0)"
grep " $uts " taskset.namespaces
step 'sh -c "echo \$\$ > web/taskset.procs; ...": a shell enters web, inside when write(2) returns'
sh -c 'echo $$ >web/taskset.procs
	echo "hostname: $(hostname)"
	echo "uts: $(readlink /proc/self/ns/uts)"
	echo "/proc/self/taskset: $(cat /proc/self/taskset)"'
echo "web's uts inode: $uts; the host's name is still $(hostname)"
step "sleep 1000 &; echo \$! > web/taskset.procs: a sleeping process, moved from outside"
sleep 1000 &
pid=$!
echo $pid >web/taskset.procs
echo "sleep $pid: node $(cat /proc/$pid/taskset), $(readlink /proc/$pid/ns/uts)"
echo "web/taskset.procs: $(cat web/taskset.procs)"
rmdir web 2>/dev/null || echo "rmdir web: EBUSY while it has a member, as expected"
kill $pid
wait $pid 2>/dev/null
echo "after its exit, web/taskset.procs is empty: [$(cat web/taskset.procs)]"
step "mkdir web/a web/a/b: nested nodes; b inherits web's namespaces"
mkdir web/a web/a/b && cat web/a/b/taskset.ns
step "cat /proc/self/taskset: a process's node, like /proc/PID/cgroup"
cat /proc/self/taskset
step "taskset.stat: nodes and namespaces counted"
cat taskset.stat
step "bad input changes nothing: +nosuchfacet, -uts on a node with children"
echo +nosuchfacet >web/taskset.facets || echo "EINVAL, as expected"
echo -uts >web/taskset.facets || echo "EBUSY, as expected"
step "taskset.on_empty and taskset.events: what happens when a node empties"
mkdir db
sleep 1000 &
pid=$!
echo $pid >db/taskset.procs
echo notify >db/taskset.on_empty
echo "db/taskset.on_empty: $(cat db/taskset.on_empty); db/taskset.events:"
cat db/taskset.events
step "echo 1 > db/taskset.kill: every process of db's subtree is SIGKILLed"
echo 1 >db/taskset.kill
wait $pid 2>/dev/null
echo "sleep $pid: exit status $? (128 + SIGKILL)"
echo "db/taskset.events after the kill (its pollers were woken):"
cat db/taskset.events
step "echo delete > db/taskset.on_empty: db, emptied by the kill, goes at once"
echo delete >db/taskset.on_empty
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -d db ] || break
	usleep 100000
done
[ -d db ] && echo "db still exists" || echo "db is gone, removed by a work item"
step "rmdir web/a/b web/a web: namespaces held only by web are freed"
rmdir web/a/b web/a web
grep -q " $uts " taskset.namespaces && echo "uts $uts still listed" ||
	echo "uts $uts is gone from taskset.namespaces"
cat taskset.stat
cd /

ts=/sys/fs/taskset
step "tsrun -n -u -- sh -c '...': a command in a new node clone.N, with its own uts and net"
tsrun -n -u -- sh -c 'hostname tsrun-demo
	node=$(cat /proc/self/taskset)
	echo "hostname: $(hostname); /proc/self/taskset: $node"
	echo "ls -d $1/clone.*: $(ls -d "$1"/clone.*)"
	echo "owned facets: $(awk "{ print \$1 }" "$1$node/taskset.facets" | tr "\n" " ")"
	echo "taskset.on_empty: $(cat "$1$node/taskset.on_empty")"' sh $ts
echo "tsrun: exit status $?; the host's name is still $(hostname)"
for i in 1 2 3 4 5 6 7 8 9 10; do
	ls -d $ts/clone.* >/dev/null 2>&1 || break
	usleep 100000
done
if ls -d $ts/clone.* >/dev/null 2>&1; then
	echo "after the command: $(ls -d $ts/clone.*) still exists"
else
	echo "after the command: no clone.* left, the node was deleted"
fi
step "tsrun's exit status is the command's: 128+N if killed by signal N, 127 if not found"
tsrun -- sh -c 'exit 3'
echo "sh -c 'exit 3': $?"
tsrun -- sh -c 'kill -TERM $$'
echo "sh -c 'kill -TERM \$\$': $?"
tsrun -- no-such-command
echo "no-such-command: $?"
step "tsrun --node $ts/app -- hostname: inside an existing node with +uts +ipc +net"
mkdir $ts/app
echo "+uts +ipc +net" >$ts/app/taskset.facets
echo app1 >$ts/app/uts.hostname
tsrun -v --node $ts/app -- hostname
echo "tsrun: exit status $?"
tsrun --node $ts/app -- sh -c \
	'echo "node $(cat /proc/self/taskset), $(readlink /proc/self/ns/uts)"'
echo "app's uts inode: $(awk '$1 == "uts" { print $2 }' $ts/app/taskset.ns)"
rmdir $ts/app
step "a node prepared with +uts and delete waits for its first member: tsrun --node $ts/job"
mkdir $ts/job
echo +uts >$ts/job/taskset.facets
echo job1 >$ts/job/uts.hostname
echo delete >$ts/job/taskset.on_empty
usleep 500000
if [ -d $ts/job ]; then
	echo "never entered, job stays: $(tr '\n' ' ' <$ts/job/taskset.events)"
else
	echo "$ts/job is gone before its job could enter"
fi
tsrun --node $ts/job -- sh -c \
	'echo "hostname $(hostname), node $(cat /proc/self/taskset)"'
echo "tsrun: exit status $?"
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -d $ts/job ] || break
	usleep 100000
done
if [ -d $ts/job ]; then
	echo "after the command: $ts/job still exists"
else
	echo "after the command: $ts/job is gone, its first member came and left"
fi
step "cgroup2: one write puts a task in a node's namespaces AND its cgroup"
cg=/sys/fs/cgroup
mount -t cgroup2 none $cg
echo "+memory +pids" >$cg/cgroup.subtree_control
mkdir -p $cg/taskset
echo "+memory +pids" >$cg/taskset/cgroup.subtree_control
mkdir $ts/web
echo "+uts +net +cgroup2" >$ts/web/taskset.facets
echo "$ts/web/cgroup2.path: $(cat $ts/web/cgroup2.path)"
echo 16M >$cg/taskset/web/memory.max
echo "$cg/taskset/web/memory.max: $(cat $cg/taskset/web/memory.max)"
mkfifo /tmp/go
sh -c 'read go </tmp/go
	echo "inside: node $(cat /proc/self/taskset), cgroup $(cat /proc/self/cgroup); dd allocates 64 MiB"
	exec dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null' &
pid=$!
echo "echo $pid >$ts/web/taskset.procs"
echo $pid >$ts/web/taskset.procs
echo go >/tmp/go
wait $pid
echo "dd: exit status $? (137: SIGKILL, from the memory controller's OOM killer)"
grep -E "^(max|oom_kill) " $cg/taskset/web/memory.events
rmdir $ts/web
if [ -d $cg/taskset/web ]; then
	echo "rmdir $ts/web: $cg/taskset/web is still there"
else
	echo "rmdir $ts/web: its cgroup $cg/taskset/web is gone too"
fi
step "done"
guest_poweroff
