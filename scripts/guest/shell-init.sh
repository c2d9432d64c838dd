#!/bin/sh
# /init of `make shell`: an interactive shell on the serial console, with
# tasksetfs mounted. Leave with `exit` (or Ctrl-a x).
. /lib/guest.sh
guest_setup
mount -t tasksetfs none /sys/fs/taskset
echo "tasksetfs is mounted on /sys/fs/taskset; 'exit' powers off"
setsid cttyhack sh -l
guest_poweroff
