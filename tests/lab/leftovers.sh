#!/bin/sh
# Runs on a lab host (fed to `sh -s` over ssh): prints what tests left there, the pool's free space and quota, every
# dataset and snapshot under the pool, and every process beyond the host's own (its init, sshd, zfs-fuse) and this
# listing's own. CI prints it after the tests, so a failure caused by an earlier test's leftovers shows as such.
pool=${1:-tank}
echo "$(hostname): pool $pool free $(zpool list -H -o free "$pool"), quota $(zfs get -H -o value quota "$pool")"
zfs list -H -o name,used -t all -r "$pool" | tail -n +2 | sed 's/^/  dataset /'
self=$$
ps -eo pid=,ppid=,args= | while read -r pid ppid command; do
    [ "$pid" -gt 1 ] && [ "$pid" != "$self" ] && [ "$ppid" != "$self" ] || continue
    case $command in
        /usr/local/sbin/lab-host-init* | */bin/bash\ /usr/local/sbin/lab-host-init* | zfs-fuse* | */zfs-fuse* | sleep\ infinity) continue ;;
        sshd* | /usr/sbin/sshd* | \[sshd* | sh\ -s*) continue ;;
    esac
    printf '  process %s %.160s\n' "$pid" "$command"
done
