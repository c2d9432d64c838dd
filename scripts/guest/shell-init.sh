#!/bin/sh
# /init of `make shell`: an interactive shell on the serial console, with
# tasksetfs mounted and tsrun in /bin. Leave with `exit` (or Ctrl-a x).
. /lib/guest.sh
guest_setup
mount -t tasksetfs none /sys/fs/taskset
echo "tasksetfs is mounted on /sys/fs/taskset; 'exit' powers off"
echo "tsrun runs a command in a new node (tsrun -u -n -- sh) or inside one"
echo "(tsrun --node /sys/fs/taskset/NODE -- sh); see tsrun --help"
setsid cttyhack sh -l
guest_poweroff
