#!/bin/sh
# /init of `make run`: show what tasksetfs can do so far, then power off.
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
step "done"
guest_poweroff
