#!/usr/bin/env bash
# A lab of Linux hosts on one machine, for MigrationTools' integration tests and demo.
#
# Each host is a PID, mount, UTS, IPC and network namespace with its own overlay view of a cached Debian
# root filesystem, its own ZFS pool (zfs-fuse on a sparse file), CRIU and an sshd.
#
# Network: the lab creates a switch, a network namespace holding a bridge, and joins every host to it by
# a veth pair (the host's end is its eth0). Each host has one lab-network address, 10.C.D.N/24, where
# C.D are the last two octets of MT_LAB_FIRST_ADDRESS and N the host's number (127.0.0.11 gives
# 10.0.11.1, .2, ...); that range exists only inside the lab's namespaces, and nothing is routed or NATed
# out of them. Host-to-host traffic (ssh for direct transfers, CRIU page servers) crosses the bridge;
# inside a host, h1..hN name the peers' lab-network addresses (/etc/hosts, /root/.ssh/config).
# Addresses of the lab network: hosts .1-.199; service addresses .200-.239, which no host has at `up` and
# which tests and benchmarks add to a host's eth0 and move between hosts (a workload's addresses that move
# with it); the client .250. <state>/lab.env names them (LAB_NETWORK_PREFIX, LAB_SERVICE_FIRST, ...).
# The client is a network namespace of the lab's own joined to the switch like a host, but with no
# processes, mounts or sshd of its own: `<state>/enter-client CMD...` runs CMD in it with the controller's
# filesystem, so the controller's programs (python3, curl) act as a client of the services on the lab.
# The controller reaches a host without any network: the lab's ssh_config names host N by its controller
# address (MT_LAB_FIRST_ADDRESS + N - 1, as in known_hosts) and its ProxyCommand enters the host's
# namespaces and runs `sshd -i` there, which speaks SSH on the ProxyCommand's stdin and stdout (needs
# root, as the lab does). Nothing listens on the machine's own network. Host keys are generated per host
# and always checked, by the controller and between hosts.
#
#   lab.sh up [--hosts N]     build the root filesystem if needed, start the hosts (idempotent); raises
#                             the machine's fs.pipe-max-size to 4 MiB when lower (CRIU's page server),
#                             and says so
#   lab.sh down [--purge]     end every host and switch process by PID, remove every per-host file,
#                             then check that no process, namespace, interface or mount of the lab is
#                             left (exit 6 naming what is); --purge also removes the cached root filesystem
#   lab.sh status [--json]    exit 0 when every host answers over ssh, 1 otherwise
#   lab.sh ssh-config         print the path of the ssh_config that names the hosts h1..hN (as root) and m1..mN
#                             (as migrator, a user without root)
#   lab.sh client CMD...      run CMD in the lab's client namespace (what <state>/enter-client does)
#
# Environment:
#   MT_LAB_STATE           per-lab state (keys, pools, logs)     default /var/lib/migrationtools-lab
#   MT_LAB_CACHE           cached root filesystem                default /var/cache/migrationtools-lab
#   MT_LAB_HOSTS           number of hosts for `up`              default 3
#   MT_LAB_FIRST_ADDRESS   controller address of h1 (ssh_config, known_hosts; also picks the lab
#                          network 10.C.D.0/24)                  default 127.0.0.11
#   MT_LAB_SSH_PORT        port every host's sshd listens on     default 22
#   MT_LAB_POOL_SIZE       sparse pool file size per host        default 4G
#   MT_LAB_MIRROR          Debian mirror for debootstrap         default http://deb.debian.org/debian
#
# Exit codes: 0 success; 1 lab not (fully) up (status); 2 usage; 3 prerequisite missing (not root,
# not Linux, a tool absent); 4 root filesystem build failed; 5 a host failed to start; 6 `down` found
# something of the lab left behind.
set -euo pipefail

readonly STATE_DIR=${MT_LAB_STATE:-/var/lib/migrationtools-lab}
readonly CACHE_DIR=${MT_LAB_CACHE:-/var/cache/migrationtools-lab}
readonly FIRST_ADDRESS=${MT_LAB_FIRST_ADDRESS:-127.0.0.11}
readonly SSH_PORT=${MT_LAB_SSH_PORT:-22}
readonly POOL_SIZE=${MT_LAB_POOL_SIZE:-4G}
readonly MIRROR=${MT_LAB_MIRROR:-http://deb.debian.org/debian}
readonly POOL_NAME=tank
readonly SUITE=trixie
# criu 4.2 or later is needed to dump TCP sockets on kernels from 6.16; trixie has 4.1, forky 4.2.
readonly CRIU_SUITE=forky
# iptables and nftables: CRIU's network lock for established TCP connections (criu 4.2 links libnftables; its
# default method, iptables, runs iptables-restore); iputils-arping announces a moved service address.
readonly PACKAGES=openssh-server,openssh-client,zfs-fuse,iproute2,procps,python3,tini,zstd,lz4,pv,sudo,psmisc,kmod,iptables,nftables,iputils-arping,iputils-ping
# Bump when the root filesystem recipe changes, so a cached copy built by an older recipe is rebuilt.
readonly ROOTFS_RECIPE=4
readonly ROOTFS=$CACHE_DIR/rootfs-$SUITE-r$ROOTFS_RECIPE

readonly LAST_HOST_NUMBER=199 SERVICE_FIRST_NUMBER=200 SERVICE_LAST_NUMBER=239 CLIENT_NUMBER=250
readonly EXIT_DOWN=1 EXIT_USAGE=2 EXIT_PREREQ=3 EXIT_ROOTFS=4 EXIT_HOST=5 EXIT_LEFTOVER=6

say() { printf 'lab: %s\n' "$*" >&2; }
die() { local code=$1; shift; say "error: $*"; exit "$code"; }

usage() {
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
    exit "$EXIT_USAGE"
}

require_root_linux() {
    [ "$(uname -s)" = Linux ] || die "$EXIT_PREREQ" "the lab runs only on Linux"
    [ "$(id -u)" = 0 ] || die "$EXIT_PREREQ" "the lab must run as root (it creates namespaces and mounts); run it with sudo"
    local tool
    for tool in unshare nsenter setsid ssh ssh-keygen debootstrap mount pivot_root flock ip; do
        command -v "$tool" >/dev/null 2>&1 ||
            die "$EXIT_PREREQ" "'$tool' is missing; install it (apt-get install util-linux openssh-client debootstrap iproute2)"
    done
    [ -c /dev/fuse ] || die "$EXIT_PREREQ" "/dev/fuse is missing; zfs-fuse needs FUSE"
}

# CRIU's page server (post-copy, streamed dumps) asks for a 4 MiB tee pipe. Without CAP_SYS_RESOURCE, which the
# root of some containers and CI machines lacks, the kernel refuses pipes above fs.pipe-max-size (1 MiB by default);
# CRIU ignores the refusal and its page transfer then fails ("page-pipe: tee: 65536: Operation not permitted").
# The sysctl is not namespaced: the lab's hosts share the machine's. Only ever raised, never lowered.
readonly PAGE_SERVER_PIPE_BYTES=4194304
raise_pipe_max_size() {
    local current
    current=$(cat /proc/sys/fs/pipe-max-size 2>/dev/null) || { say "fs.pipe-max-size is unreadable; post-copy may fail"; return 0; }
    [ "$current" -ge "$PAGE_SERVER_PIPE_BYTES" ] && return 0
    if printf '%s\n' "$PAGE_SERVER_PIPE_BYTES" >/proc/sys/fs/pipe-max-size 2>/dev/null; then
        say "raised fs.pipe-max-size from $current to $PAGE_SERVER_PIPE_BYTES bytes for CRIU's page server (post-copy)"
    else
        say "fs.pipe-max-size is $current and could not be raised to $PAGE_SERVER_PIPE_BYTES; post-copy will fail on the lab"
    fi
}

# The address of host $1 (1-based): FIRST_ADDRESS + ($1 - 1) in the last octet.
host_address() {
    local prefix=${FIRST_ADDRESS%.*} last=${FIRST_ADDRESS##*.}
    local octet=$((last + $1 - 1))
    [ "$octet" -le 254 ] || die "$EXIT_USAGE" "too many hosts for first address $FIRST_ADDRESS"
    printf '%s.%s' "$prefix" "$octet"
}

# The lab network: 10.C.D.0/24 from the last two octets of FIRST_ADDRESS, so labs with different first
# addresses never share a range (they could not meet anyway: each network lives in the lab's namespaces).
lab_network_prefix() {
    local rest=${FIRST_ADDRESS%.*}
    printf '10.%s.%s' "${rest##*.}" "${FIRST_ADDRESS##*.}"
}

# The lab-network address of host $1 (1-based).
host_lab_address() { printf '%s.%s' "$(lab_network_prefix)" "$1"; }

host_dir() { printf '%s/hosts/h%s' "$STATE_DIR" "$1"; }

# The number of hosts this lab was brought up with (0 when it was not).
host_count() { cat "$STATE_DIR/host-count" 2>/dev/null || echo 0; }

# The start time (in clock ticks since boot) of PID $1, so a recycled PID is never taken for ours.
start_time() { awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null; }

# PID $1 still is the process we recorded in file $2 ("pid starttime").
is_recorded_process() {
    local pid=$1 record=$2 recorded_pid recorded_start
    [ -f "$record" ] || return 1
    read -r recorded_pid recorded_start <"$record" || return 1
    [ "$pid" = "$recorded_pid" ] && [ -n "$recorded_start" ] && [ "$(start_time "$pid")" = "$recorded_start" ]
}

# The outer PID of host $1's namespace init, when it is running.
host_init_pid() {
    local record pid
    record="$(host_dir "$1")/init.pid"
    [ -f "$record" ] || return 1
    read -r pid _ <"$record" || return 1
    is_recorded_process "$pid" "$record" && printf '%s' "$pid"
}

# One lab command at a time on this machine (they share the cached root filesystem). Held on fd 9,
# which nothing started from here may inherit.
take_lock() {
    exec 9>"$CACHE_DIR/.lock"
    flock -w 900 9 || die "$EXIT_PREREQ" "another lab command has held $CACHE_DIR/.lock for 15 minutes"
}

ssh_lab() { ssh -F "$STATE_DIR/ssh_config" "$@"; }

build_rootfs() {
    [ -f "$ROOTFS/.complete" ] && return 0
    mkdir -p "$CACHE_DIR"
    local tmp=$ROOTFS.partial
    rm -rf "$tmp"
    say "building the $SUITE root filesystem in $ROOTFS (about a minute; cached afterwards)"
    if ! debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$tmp" "$MIRROR" >"$CACHE_DIR/debootstrap.log" 2>&1; then
        tail -n 20 "$CACHE_DIR/debootstrap.log" >&2 || true
        die "$EXIT_ROOTFS" "debootstrap failed; see $CACHE_DIR/debootstrap.log"
    fi
    say "installing criu from $CRIU_SUITE"
    printf 'deb %s %s main\n' "$MIRROR" "$CRIU_SUITE" >"$tmp/etc/apt/sources.list.d/$CRIU_SUITE.list"
    # Only packages asked for by -t come from the newer suite.
    printf 'Package: *\nPin: release n=%s\nPin-Priority: 100\n' "$CRIU_SUITE" >"$tmp/etc/apt/preferences.d/$CRIU_SUITE"
    # The newer suite's Release file can be past its validity date on a mirror snapshot.
    if ! unshare --mount --fork --propagation private sh -c '
            mount -t proc proc "$1/proc" && chroot "$1" sh -c "
                apt-get -o Acquire::Check-Valid-Until=false update &&
                DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -t $2 criu &&
                apt-get clean"' sh "$tmp" "$CRIU_SUITE" >"$CACHE_DIR/criu-install.log" 2>&1; then
        tail -n 20 "$CACHE_DIR/criu-install.log" >&2 || true
        die "$EXIT_ROOTFS" "installing criu failed; see $CACHE_DIR/criu-install.log"
    fi
    # Host keys are made per host at `up`; none is shared through the image.
    rm -f "$tmp"/etc/ssh/ssh_host_*
    cat >"$tmp/etc/ssh/sshd_config.d/lab.conf" <<'EOF'
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
# PAM's session modules expect a full system (loginuid, systemd); keys are all the lab needs.
UsePAM no
HostKey /etc/ssh/ssh_host_ed25519_key
# The lab opens thousands of connections per test run. The default post-quantum hybrid key exchange
# (sntrup761x25519) costs about 65 ms of CPU per handshake on a small machine, over a third of a new connection;
# plain curve25519 is enough for hosts that exist only inside this machine.
KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org
# Multiplexed controllers open many sessions on one connection.
MaxSessions 64
MaxStartups 64:30:128
PidFile /run/sshd.pid
EOF
    touch "$tmp/.complete"
    mv "$tmp" "$ROOTFS"
}

# Each lab that is up names the root filesystem it uses in a file of the cache, since labs run from other PID
# namespaces or containers sharing the cache cannot see each other's mounts.
lab_user_file() { printf '%s/users/%s' "$CACHE_DIR" "$(printf '%s' "$STATE_DIR" | md5sum | cut -c1-16)"; }

# Copies built by older recipes, once no lab names one and no host on this machine has one mounted.
remove_old_rootfs() {
    local old
    for old in "$CACHE_DIR"/rootfs-*; do
        [ -e "$old" ] && [ "$old" != "$ROOTFS" ] || continue
        case $old in *.partial) continue ;; esac
        if grep -qxF "$old" "$CACHE_DIR"/users/* 2>/dev/null; then
            continue
        fi
        if ! cat /proc/[0-9]*/mountinfo 2>/dev/null | grep -qF "lowerdir=$old,"; then
            rm -rf "$old"
        fi
    done
    return 0
}

# Keys and ssh configuration for a lab of $1 hosts: one controller key, one key per host (each host
# may ssh to every other host), one ed25519 host key per host, and a known_hosts with all of them.
make_keys() {
    local count=$1 i address dir
    mkdir -p "$STATE_DIR/controller"
    chmod 700 "$STATE_DIR" "$STATE_DIR/controller"
    [ -f "$STATE_DIR/controller/id_ed25519" ] ||
        ssh-keygen -q -t ed25519 -N '' -C "migrationtools-lab-controller" -f "$STATE_DIR/controller/id_ed25519"
    [ -f "$STATE_DIR/controller/migrator_ed25519" ] ||
        ssh-keygen -q -t ed25519 -N '' -C "migrator@migrationtools-lab-controller" -f "$STATE_DIR/controller/migrator_ed25519"
    : >"$STATE_DIR/known_hosts.new"
    : >"$STATE_DIR/authorized_keys.new"
    : >"$STATE_DIR/migrator_authorized_keys.new"
    cat "$STATE_DIR/controller/id_ed25519.pub" >>"$STATE_DIR/authorized_keys.new"
    cat "$STATE_DIR/controller/migrator_ed25519.pub" >>"$STATE_DIR/migrator_authorized_keys.new"
    for i in $(seq 1 "$count"); do
        dir=$(host_dir "$i")
        address=$(host_address "$i")
        mkdir -p "$dir/keys"
        chmod 700 "$dir" "$dir/keys"
        [ -f "$dir/keys/ssh_host_ed25519_key" ] ||
            ssh-keygen -q -t ed25519 -N '' -C "h$i host key" -f "$dir/keys/ssh_host_ed25519_key"
        [ -f "$dir/keys/id_ed25519" ] ||
            ssh-keygen -q -t ed25519 -N '' -C "root@h$i" -f "$dir/keys/id_ed25519"
        cat "$dir/keys/id_ed25519.pub" >>"$STATE_DIR/authorized_keys.new"
        [ -f "$dir/keys/migrator_ed25519" ] ||
            ssh-keygen -q -t ed25519 -N '' -C "migrator@h$i" -f "$dir/keys/migrator_ed25519"
        cat "$dir/keys/migrator_ed25519.pub" >>"$STATE_DIR/migrator_authorized_keys.new"
        local lab_address names
        lab_address=$(host_lab_address "$i")
        names="h$i,$address,$lab_address"
        [ "$SSH_PORT" = 22 ] || names="[h$i]:$SSH_PORT,[$address]:$SSH_PORT,[$lab_address]:$SSH_PORT"
        printf '%s %s\n' "$names" "$(cut -d' ' -f1,2 "$dir/keys/ssh_host_ed25519_key.pub")" >>"$STATE_DIR/known_hosts.new"
    done
    mv "$STATE_DIR/known_hosts.new" "$STATE_DIR/known_hosts"
    mv "$STATE_DIR/authorized_keys.new" "$STATE_DIR/authorized_keys"
    mv "$STATE_DIR/migrator_authorized_keys.new" "$STATE_DIR/migrator_authorized_keys"

    # $1, $2: where known_hosts and the identity live as seen by the client that reads this file;
    # $3: "controller" (each host reached through its namespaces) or "host" (peers over the lab network);
    # $4, $5: the host alias's letter (h for root, m for the unprivileged migrator) and the user it logs in as.
    write_ssh_config() {
        local known_hosts=$1 identity=$2 side=$3 alias=${4:-h} user=${5:-root} i
        for i in $(seq 1 "$count"); do
            if [ "$side" = controller ]; then
                cat <<EOF
Host $alias$i
    HostName $(host_address "$i")
    ProxyCommand $STATE_DIR/enter-host $i
EOF
            else
                cat <<EOF
Host $alias$i
    HostName $(host_lab_address "$i")
EOF
            fi
            cat <<EOF
    Port $SSH_PORT
    User $user
    IdentityFile $identity
    IdentitiesOnly yes
    UserKnownHostsFile $known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    ConnectTimeout 10

EOF
        done
    }
    {
        write_ssh_config "$STATE_DIR/known_hosts" "$STATE_DIR/controller/id_ed25519" controller
        # m1..mN: the same hosts as migrator, a user without root that has only the sudo rules a test installs.
        write_ssh_config "$STATE_DIR/known_hosts" "$STATE_DIR/controller/migrator_ed25519" controller m migrator
    } >"$STATE_DIR/ssh_config"
    write_ssh_config /root/.ssh/known_hosts /root/.ssh/id_ed25519 host >"$STATE_DIR/host_ssh_config"
    write_ssh_config /home/migrator/.ssh/known_hosts /home/migrator/.ssh/id_ed25519 host m migrator >"$STATE_DIR/migrator_host_ssh_config"
    write_enter_host
}

# The controller's ProxyCommand: `enter-host N` runs an inetd-mode sshd inside host N's namespaces, which
# speaks SSH on this process's stdin and stdout, so the controller needs no route into the lab network.
# The recorded start time makes sure a recycled PID is never entered. ssh talks to a ProxyCommand through two
# pipes of 64 KiB; they are enlarged to 1 MiB (F_SETPIPE_SZ, 1031) as the engine does for its bulk pipes, since at
# 64 KiB two streams sharing one connection (the switch's final delta and checkpoint images) took about 1.6 times as
# long as over TCP. perl is part of every Debian system.
write_enter_host() {
    cat >"$STATE_DIR/enter-host.new" <<EOF
#!/bin/sh
set -eu
case \${1:-} in ''|*[!0-9]*) echo "usage: \$0 HOST-NUMBER" >&2; exit 2 ;; esac
record="$STATE_DIR/hosts/h\$1/init.pid"
if ! read -r pid start <"\$record" 2>/dev/null ||
    [ "\$(awk '{ sub(/^.*\) /, ""); print \$20 }' "/proc/\$pid/stat" 2>/dev/null)" != "\$start" ]; then
    echo "lab: h\$1 is not running (lab.sh up starts it)" >&2
    exit 255
fi
perl -e 'fcntl(STDIN, 1031, 1 << 20); fcntl(STDOUT, 1031, 1 << 20)' 2>/dev/null || true
exec nsenter --target "\$pid" --mount --uts --ipc --net --pid --root --wd /usr/sbin/sshd -i
EOF
    chmod 755 "$STATE_DIR/enter-host.new"
    mv "$STATE_DIR/enter-host.new" "$STATE_DIR/enter-host"
}

# Files host $1 sees on top of the shared root filesystem: identity, keys, ssh configuration, init.
prepare_upper() {
    local i=$1 dir upper address
    dir=$(host_dir "$i")
    upper=$dir/upper
    address=$(host_lab_address "$i")
    mkdir -p "$upper/etc/ssh" "$upper/root/.ssh" "$upper/usr/local/sbin" "$upper/var/lib/lab-disk" \
        "$upper/var/log/lab" "$dir/work" "$dir/root" "$dir/disk"
    chmod 700 "$upper/root/.ssh"
    printf 'h%s\n' "$i" >"$upper/etc/hostname"
    {
        printf '127.0.0.1\tlocalhost\n'
        local j
        for j in $(seq 1 "$(host_count)"); do printf '%s\th%s\n' "$(host_lab_address "$j")" "$j"; done
    } >"$upper/etc/hosts"
    install -m 600 "$dir/keys/ssh_host_ed25519_key" "$upper/etc/ssh/ssh_host_ed25519_key"
    install -m 644 "$dir/keys/ssh_host_ed25519_key.pub" "$upper/etc/ssh/ssh_host_ed25519_key.pub"
    install -m 600 "$dir/keys/id_ed25519" "$upper/root/.ssh/id_ed25519"
    install -m 644 "$dir/keys/id_ed25519.pub" "$upper/root/.ssh/id_ed25519.pub"
    install -m 600 "$STATE_DIR/authorized_keys" "$upper/root/.ssh/authorized_keys"
    install -m 644 "$STATE_DIR/known_hosts" "$upper/root/.ssh/known_hosts"
    install -m 600 "$STATE_DIR/host_ssh_config" "$upper/root/.ssh/config"
    add_migrator "$i" "$upper"
    cat >"$upper/usr/local/sbin/lab-host-init" <<EOF
#!/bin/bash
# Runs under tini, which as PID 1 reaps orphans (CRIU re-parents restored trees to it).
exec </dev/null >>/var/log/lab/init.log 2>&1
echo "h$i: starting \$(date -Is)"
mkdir -p /run/lock /run/sshd /var/run/zfs
zfs-fuse --no-daemon --no-kstat-mount &
for _ in \$(seq 1 100); do zpool list >/dev/null 2>&1 && break; sleep 0.1; done
if ! zpool list $POOL_NAME >/dev/null 2>&1; then
    if ! { [ -s /var/lib/lab-disk/$POOL_NAME.img ] && zpool import -f -d /var/lib/lab-disk $POOL_NAME; }; then
        rm -f /var/lib/lab-disk/$POOL_NAME.img
        truncate -s $POOL_SIZE /var/lib/lab-disk/$POOL_NAME.img
        zpool create -f $POOL_NAME /var/lib/lab-disk/$POOL_NAME.img
    fi
fi
zpool list $POOL_NAME && touch /run/lab-pool-ready
# lab.sh gives eth0 its address from outside once this namespace exists; sshd can bind only after that.
for _ in \$(seq 1 100); do ip -o -4 addr show dev eth0 2>/dev/null | grep -qF " $address/" && break; sleep 0.1; done
/usr/sbin/sshd -D -e -o ListenAddress=$address:$SSH_PORT &
wait
EOF
    chmod 755 "$upper/usr/local/sbin/lab-host-init"
}

# migrator (uid and gid 1500) on host $1, whose upper directory is $2: a login user without root, with its own key
# for the controller and for its peers (aliases m1..mN), and no sudo rule: tests install the engine's own.
readonly MIGRATOR_ID=1500
add_migrator() {
    local i=$1 upper=$2 dir home file
    dir=$(host_dir "$i")
    home=$upper/home/migrator
    for file in passwd group shadow; do
        [ -f "$upper/etc/$file" ] || install -m "$(stat -c %a "$ROOTFS/etc/$file")" -g "$(stat -c %g "$ROOTFS/etc/$file")" \
            "$ROOTFS/etc/$file" "$upper/etc/$file"
    done
    grep -q '^migrator:' "$upper/etc/passwd" ||
        printf 'migrator:x:%s:%s:MigrationTools without root:/home/migrator:/bin/sh\n' "$MIGRATOR_ID" "$MIGRATOR_ID" >>"$upper/etc/passwd"
    grep -q '^migrator:' "$upper/etc/group" || printf 'migrator:x:%s:\n' "$MIGRATOR_ID" >>"$upper/etc/group"
    # '*': no password can ever match, yet the account is not locked, so sshd accepts its key.
    grep -q '^migrator:' "$upper/etc/shadow" || printf 'migrator:*:20000:0:99999:7:::\n' >>"$upper/etc/shadow"
    mkdir -p "$home/.ssh"
    install -m 600 "$dir/keys/migrator_ed25519" "$home/.ssh/id_ed25519"
    install -m 644 "$dir/keys/migrator_ed25519.pub" "$home/.ssh/id_ed25519.pub"
    install -m 600 "$STATE_DIR/migrator_authorized_keys" "$home/.ssh/authorized_keys"
    install -m 644 "$STATE_DIR/known_hosts" "$home/.ssh/known_hosts"
    install -m 600 "$STATE_DIR/migrator_host_ssh_config" "$home/.ssh/config"
    chmod 700 "$home" "$home/.ssh"
    chown -R "$MIGRATOR_ID:$MIGRATOR_ID" "$home"
}

# Runs as PID 1 of host $1's new PID and mount namespaces: assemble its root, pivot into it, start init.
boot_host() {
    local i=$1 dir root fd
    dir=$(host_dir "$i")
    root=$dir/root
    # An inherited descriptor pointing outside the host would end up in workloads and break criu dump.
    for fd in /proc/self/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] && [ "$fd" != 255 ] && eval "exec $fd>&-" 2>/dev/null || true
    done
    mount -t overlay overlay -o "lowerdir=$ROOTFS,upperdir=$dir/upper,workdir=$dir/work" "$root"
    mount --bind "$dir/disk" "$root/var/lib/lab-disk"
    mount -t proc proc "$root/proc"
    mount -t sysfs -o ro sysfs "$root/sys"
    mount -t tmpfs -o mode=755,nosuid tmpfs "$root/dev"
    mknod -m 666 "$root/dev/null" c 1 3
    mknod -m 666 "$root/dev/zero" c 1 5
    mknod -m 666 "$root/dev/full" c 1 7
    mknod -m 666 "$root/dev/random" c 1 8
    mknod -m 666 "$root/dev/urandom" c 1 9
    mknod -m 666 "$root/dev/tty" c 5 0
    mknod -m 666 "$root/dev/fuse" c 10 229
    mkdir -p "$root/dev/pts" "$root/dev/shm"
    mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$root/dev/pts"
    ln -s pts/ptmx "$root/dev/ptmx"
    ln -s /proc/self/fd "$root/dev/fd"
    mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/dev/shm"
    mount -t tmpfs -o mode=755,nosuid,nodev tmpfs "$root/run"
    mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/tmp"
    hostname "h$i"
    cd "$root"
    mkdir -p .oldroot
    pivot_root . .oldroot
    umount -l /.oldroot
    rmdir /.oldroot
    exec /usr/bin/tini -- /usr/local/sbin/lab-host-init
}

# The switch: a process that only holds a network namespace of the lab's own, with the bridge every host
# is joined to. When it ends, the namespace goes, and with it the bridge and the switch's ends of the veths.
switch_pid() {
    local record=$STATE_DIR/switch.pid pid
    [ -f "$record" ] || return 1
    read -r pid _ <"$record" || return 1
    is_recorded_process "$pid" "$record" && printf '%s' "$pid"
}

start_switch() {
    switch_pid >/dev/null && return 0
    local pid
    setsid unshare --net sleep infinity </dev/null >/dev/null 2>&1 9>&- &
    pid=$!
    printf '%s %s\n' "$pid" "$(start_time "$pid")" >"$STATE_DIR/switch.pid"
    # unshare execs sleep once the namespace exists: wait for that before configuring it.
    for _ in $(seq 1 50); do
        [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] && break
        sleep 0.1
    done
    nsenter --net="/proc/$pid/ns/net" sh -c 'ip link set lo up && ip link add lab type bridge && ip link set lab up' ||
        die "$EXIT_HOST" "the lab's switch could not be set up"
}

# Joins host $1 to the switch: a veth pair, eth0 in the host with its lab-network address, the other
# end (h$1) on the bridge. A host whose eth0 is already there stays as it is.
connect_host() {
    local i=$1 init_pid switch address
    init_pid=$(host_init_pid "$i") || die "$EXIT_HOST" "h$i is not running"
    switch=$(switch_pid) || die "$EXIT_HOST" "the lab's switch is not running"
    address=$(host_lab_address "$i")
    if nsenter --net="/proc/$init_pid/ns/net" ip link show eth0 >/dev/null 2>&1; then
        return 0
    fi
    nsenter --net="/proc/$switch/ns/net" sh -c '
        ip link add "$1" type veth peer name eth0 netns "$2" &&
        ip link set "$1" master lab && ip link set "$1" up' sh "h$i" "$init_pid" ||
        die "$EXIT_HOST" "h$i could not be joined to the lab's switch"
    nsenter --net="/proc/$init_pid/ns/net" sh -c '
        ip link set lo up && ip addr add "$1/24" dev eth0 && ip link set eth0 up' sh "$address" ||
        die "$EXIT_HOST" "h$i's eth0 could not be given $address"
}

# The client: like the switch, a process that only holds a network namespace, joined to the bridge by a veth
# pair (eth0 inside, "client" on the bridge) with the lab network's client address.
client_pid() {
    local record=$STATE_DIR/client.pid pid
    [ -f "$record" ] || return 1
    read -r pid _ <"$record" || return 1
    is_recorded_process "$pid" "$record" && printf '%s' "$pid"
}

start_client() {
    local pid switch address
    address=$(lab_network_prefix).$CLIENT_NUMBER
    if ! pid=$(client_pid); then
        setsid unshare --net sleep infinity </dev/null >/dev/null 2>&1 9>&- &
        pid=$!
        printf '%s %s\n' "$pid" "$(start_time "$pid")" >"$STATE_DIR/client.pid"
        for _ in $(seq 1 50); do
            [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] && break
            sleep 0.1
        done
    fi
    if ! nsenter --net="/proc/$pid/ns/net" ip link show eth0 >/dev/null 2>&1; then
        switch=$(switch_pid) || die "$EXIT_HOST" "the lab's switch is not running"
        nsenter --net="/proc/$switch/ns/net" sh -c '
            ip link add client type veth peer name eth0 netns "$1" &&
            ip link set client master lab && ip link set client up' sh "$pid" ||
            die "$EXIT_HOST" "the client could not be joined to the lab's switch"
        nsenter --net="/proc/$pid/ns/net" sh -c '
            ip link set lo up && ip addr add "$1/24" dev eth0 && ip link set eth0 up' sh "$address" ||
            die "$EXIT_HOST" "the client's eth0 could not be given $address"
    fi
    write_enter_client
}

# `enter-client CMD...` runs CMD in the client's network namespace only (the controller's filesystem and PIDs).
write_enter_client() {
    cat >"$STATE_DIR/enter-client.new" <<EOF
#!/bin/sh
set -eu
[ \$# -ge 1 ] || { echo "usage: \$0 COMMAND [ARGUMENT...]" >&2; exit 2; }
record="$STATE_DIR/client.pid"
if ! read -r pid start <"\$record" 2>/dev/null ||
    [ "\$(awk '{ sub(/^.*\) /, ""); print \$20 }' "/proc/\$pid/stat" 2>/dev/null)" != "\$start" ]; then
    echo "lab: the client is not running (lab.sh up starts it)" >&2
    exit 255
fi
exec nsenter --net="/proc/\$pid/ns/net" -- "\$@"
EOF
    chmod 755 "$STATE_DIR/enter-client.new"
    mv "$STATE_DIR/enter-client.new" "$STATE_DIR/enter-client"
}

stop_client() {
    local pid record=$STATE_DIR/client.pid
    pid=$(client_pid) || return 0
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        is_recorded_process "$pid" "$record" || return 0
        sleep 0.05
    done
    die "$EXIT_HOST" "the lab's client (pid $pid) did not end"
}

# The lab's addresses, for tests and benchmarks (sourced by shells, parsed by the tests' LabEnvironment).
write_lab_env() {
    local prefix
    prefix=$(lab_network_prefix)
    cat >"$STATE_DIR/lab.env.new" <<EOF
LAB_NETWORK_PREFIX=$prefix
LAB_PREFIX_LENGTH=24
LAB_HOSTS=$1
LAB_SERVICE_FIRST=$prefix.$SERVICE_FIRST_NUMBER
LAB_SERVICE_LAST=$prefix.$SERVICE_LAST_NUMBER
LAB_CLIENT_ADDRESS=$prefix.$CLIENT_NUMBER
LAB_ENTER_CLIENT=$STATE_DIR/enter-client
EOF
    mv "$STATE_DIR/lab.env.new" "$STATE_DIR/lab.env"
}

start_host() {
    local i=$1 dir unshare_pid init_pid
    dir=$(host_dir "$i")
    if host_init_pid "$i" >/dev/null; then
        return 0
    fi
    prepare_upper "$i"
    # setsid: the host outlives this script and its terminal; stdio goes to a file, not a caller's pipe.
    setsid unshare --mount --pid --uts --ipc --net --fork --propagation private \
        "$0" __boot "$i" </dev/null >"$dir/boot.log" 2>&1 9>&- &
    unshare_pid=$!
    for _ in $(seq 1 50); do
        init_pid=$(cat "/proc/$unshare_pid/task/$unshare_pid/children" 2>/dev/null | awk '{print $1}')
        [ -n "$init_pid" ] && break
        sleep 0.1
    done
    [ -n "${init_pid:-}" ] || die "$EXIT_HOST" "h$i did not start; see $dir/boot.log"
    printf '%s %s\n' "$init_pid" "$(start_time "$init_pid")" >"$dir/init.pid"
    printf '%s %s\n' "$unshare_pid" "$(start_time "$unshare_pid")" >"$dir/unshare.pid"
}

wait_for_host() {
    local i=$1 dir
    dir=$(host_dir "$i")
    for _ in $(seq 1 150); do
        if ssh_lab -o ConnectTimeout=2 "h$i" 'test -e /run/lab-pool-ready' 2>/dev/null; then
            return 0
        fi
        host_init_pid "$i" >/dev/null || break
        sleep 0.2
    done
    say "h$i did not come up; its logs:"
    tail -n 20 "$dir/boot.log" "$dir/upper/var/log/lab/init.log" >&2 2>/dev/null || true
    die "$EXIT_HOST" "h$i did not answer over ssh with its pool ready"
}

cmd_up() {
    local count=${MT_LAB_HOSTS:-3}
    while [ $# -gt 0 ]; do
        case $1 in
            --hosts) count=${2:?--hosts needs a number}; shift 2 ;;
            *) usage ;;
        esac
    done
    [[ $count =~ ^[1-9][0-9]*$ ]] || die "$EXIT_USAGE" "--hosts takes a whole number from 1 (got '$count')"
    [ "$count" -le "$LAST_HOST_NUMBER" ] ||
        die "$EXIT_USAGE" "at most $LAST_HOST_NUMBER hosts (the lab network's .200 and up are service and client addresses)"
    [[ $FIRST_ADDRESS =~ ^127\.([0-9]{1,3}\.){2}[0-9]{1,3}$ ]] ||
        die "$EXIT_USAGE" "MT_LAB_FIRST_ADDRESS must be a loopback address such as 127.0.0.11 (got '$FIRST_ADDRESS')"
    require_root_linux
    mkdir -p "$STATE_DIR" "$CACHE_DIR"
    take_lock
    build_rootfs
    mkdir -p "$CACHE_DIR/users"
    printf '%s\n' "$ROOTFS" >"$(lab_user_file)"
    local existing
    existing=$(host_count)
    if [ "$existing" != 0 ] && [ "$existing" != "$count" ]; then
        die "$EXIT_USAGE" "the lab is up with $existing hosts; run '$0 down' before bringing it up with $count"
    fi
    echo "$count" >"$STATE_DIR/host-count"
    raise_pipe_max_size
    make_keys "$count"
    local i
    start_switch
    for i in $(seq 1 "$count"); do start_host "$i" && connect_host "$i"; done
    start_client
    write_lab_env "$count"
    for i in $(seq 1 "$count"); do wait_for_host "$i"; done
    record_namespaces "$count"
    exec 9>&-
    say "up: $count hosts"
    printf 'ssh_config: %s\n' "$STATE_DIR/ssh_config"
}

# Every namespace of the lab (each host's five, the switch's and the client's network), for `down` to check none is left.
record_namespaces() {
    local count=$1 i pid kind
    {
        for i in $(seq 1 "$count"); do
            pid=$(host_init_pid "$i") || continue
            for kind in pid mnt net uts ipc; do readlink "/proc/$pid/ns/$kind"; done
        done
        pid=$(switch_pid) && readlink "/proc/$pid/ns/net"
        pid=$(client_pid) && readlink "/proc/$pid/ns/net"
    } >"$STATE_DIR/namespaces.new"
    mv "$STATE_DIR/namespaces.new" "$STATE_DIR/namespaces"
}

stop_switch() {
    local pid record=$STATE_DIR/switch.pid
    pid=$(switch_pid) || return 0
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        is_recorded_process "$pid" "$record" || return 0
        sleep 0.05
    done
    die "$EXIT_HOST" "the lab's switch (pid $pid) did not end"
}

# What of the lab is still there after its processes ended: a process, open descriptor or mount that
# holds one of its namespaces (a network namespace with its bridge and veths lives as long as one does),
# an address of the lab network or a mount of its state directory in the machine's own namespaces.
# Prints one line per leftover.
leftovers() {
    local namespaces=$1
    if [ -s "$namespaces" ]; then
        find /proc/[0-9]*/ns /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 -type l -printf '%p -> %l\n' 2>/dev/null |
            awk 'NR == FNR { ours[$0] = 1; next } ($3 in ours)' "$namespaces" - || true
        # A namespace bound to a file shows as an nsfs mount whose root is the namespace itself.
        cat /proc/[0-9]*/mountinfo 2>/dev/null | awk '{ print $4 }' | grep -xF -f "$namespaces" | sort -u |
            sed 's/^/a mount of /' || true
    fi
    ip -o addr show to "$(lab_network_prefix).0/24" | sed 's/^/an address in the machine: /'
    grep -F " $STATE_DIR" /proc/self/mountinfo | sed 's/^/a mount: /' || true
}

stop_host() {
    local i=$1 dir pid
    dir=$(host_dir "$i")
    # Killing a PID namespace's init ends every process in it: sshd sessions, zfs-fuse, workloads.
    if pid=$(host_init_pid "$i"); then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    local record
    for record in "$dir/init.pid" "$dir/unshare.pid"; do
        [ -f "$record" ] || continue
        read -r pid _ <"$record" || continue
        for _ in $(seq 1 100); do
            is_recorded_process "$pid" "$record" || break
            sleep 0.05
        done
        if is_recorded_process "$pid" "$record"; then
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.2
            ! is_recorded_process "$pid" "$record" || die "$EXIT_HOST" "h$i (pid $pid) did not end"
        fi
    done
}

cmd_down() {
    local purge=false
    while [ $# -gt 0 ]; do
        case $1 in
            --purge) purge=true; shift ;;
            *) usage ;;
        esac
    done
    require_root_linux
    mkdir -p "$CACHE_DIR"
    take_lock
    if [ -d "$STATE_DIR/hosts" ]; then
        local dir
        for dir in "$STATE_DIR"/hosts/h*; do
            [ -d "$dir" ] && stop_host "${dir##*/h}"
        done
    fi
    stop_client
    stop_switch
    local namespaces left
    namespaces=$(mktemp)
    cp "$STATE_DIR/namespaces" "$namespaces" 2>/dev/null || true
    rm -rf "$STATE_DIR"
    # A namespace ends shortly after its last process; give the kernel a moment before calling it left.
    for _ in $(seq 1 20); do
        left=$(leftovers "$namespaces")
        [ -z "$left" ] && break
        sleep 0.1
    done
    if [ -n "$left" ]; then
        # Kept, so that `down` run again checks the same namespaces once the holders are gone.
        mkdir -p "$STATE_DIR"
        mv "$namespaces" "$STATE_DIR/namespaces"
        printf '%s\n' "$left" >&2
        die "$EXIT_LEFTOVER" "the lab left the above behind; end what holds it, then run '$0 down' again"
    fi
    rm -f "$namespaces" "$(lab_user_file)"
    remove_old_rootfs
    if $purge; then
        rm -rf "$CACHE_DIR"
        say "down: hosts removed, cached root filesystem purged"
    else
        exec 9>&-
        say "down: hosts removed (the cached root filesystem stays; --purge removes it)"
    fi
}

cmd_status() {
    local json=false
    while [ $# -gt 0 ]; do
        case $1 in
            --json) json=true; shift ;;
            *) usage ;;
        esac
    done
    local count i up=0 address lab_address pid answers pidns mntns netns
    count=$(host_count)
    local rows=()
    for i in $(seq 1 "$count"); do
        address=$(host_address "$i")
        lab_address=$(host_lab_address "$i")
        pid=$(host_init_pid "$i" || true)
        answers=false pidns='' mntns='' netns=''
        if [ -n "$pid" ]; then
            pidns=$(readlink "/proc/$pid/ns/pid" 2>/dev/null || true)
            mntns=$(readlink "/proc/$pid/ns/mnt" 2>/dev/null || true)
            netns=$(readlink "/proc/$pid/ns/net" 2>/dev/null || true)
            ssh_lab -o ConnectTimeout=2 "h$i" 'test -e /run/lab-pool-ready' 2>/dev/null && answers=true
        fi
        $answers && up=$((up + 1))
        rows+=("$i|$address|$lab_address|${pid:-}|$answers|$pidns|$mntns|$netns")
    done
    local switch switchns=''
    switch=$(switch_pid || true)
    [ -n "$switch" ] && switchns=$(readlink "/proc/$switch/ns/net" 2>/dev/null || true)
    local client clientns=''
    client=$(client_pid || true)
    [ -n "$client" ] && clientns=$(readlink "/proc/$client/ns/net" 2>/dev/null || true)
    local state=down
    if [ "$count" -gt 0 ] && [ "$up" = "$count" ]; then state=up; elif [ "$up" -gt 0 ]; then state=partial; fi
    if $json; then
        printf '{"state":"%s","stateDirectory":"%s","sshConfig":"%s","knownHosts":"%s","identityFile":"%s","pool":"%s",' \
            "$state" "$STATE_DIR" "$STATE_DIR/ssh_config" "$STATE_DIR/known_hosts" "$STATE_DIR/controller/id_ed25519" "$POOL_NAME"
        printf '"network":"%s.0/24","switchNetworkNamespace":"%s",' "$(lab_network_prefix)" "$switchns"
        printf '"clientAddress":"%s.%s","clientNetworkNamespace":"%s","serviceAddresses":"%s.%s-%s.%s","hosts":[' \
            "$(lab_network_prefix)" "$CLIENT_NUMBER" "$clientns" \
            "$(lab_network_prefix)" "$SERVICE_FIRST_NUMBER" "$(lab_network_prefix)" "$SERVICE_LAST_NUMBER"
        local sep='' row
        for row in "${rows[@]}"; do
            IFS='|' read -r i address lab_address pid answers pidns mntns netns <<<"$row"
            printf '%s{"name":"h%s","address":"%s","labAddress":"%s","port":%s,"pid":%s,"running":%s,"pidNamespace":"%s","mountNamespace":"%s","networkNamespace":"%s"}' \
                "$sep" "$i" "$address" "$lab_address" "$SSH_PORT" "${pid:-null}" "$answers" "$pidns" "$mntns" "$netns"
            sep=,
        done
        printf ']}\n'
    else
        printf 'state: %s\n' "$state"
        local row
        for row in "${rows[@]}"; do
            IFS='|' read -r i address lab_address pid answers pidns mntns netns <<<"$row"
            printf 'h%s  %s:%s  lab network %s  pid %s  %s\n' "$i" "$address" "$SSH_PORT" "$lab_address" "${pid:--}" \
                "$($answers && echo answers || echo 'not answering')"
        done
        [ "$count" -gt 0 ] && printf 'ssh_config: %s\n' "$STATE_DIR/ssh_config"
    fi
    [ "$state" = up ] || return "$EXIT_DOWN"
}

main() {
    [ $# -ge 1 ] || usage
    local command=$1
    shift
    case $command in
        up) cmd_up "$@" ;;
        down) cmd_down "$@" ;;
        status) cmd_status "$@" ;;
        ssh-config) printf '%s\n' "$STATE_DIR/ssh_config" ;;
        client)
            [ $# -ge 1 ] || usage
            [ -x "$STATE_DIR/enter-client" ] || die "$EXIT_DOWN" "the lab is not up (no $STATE_DIR/enter-client)"
            exec "$STATE_DIR/enter-client" "$@" ;;
        __boot) boot_host "$@" ;;
        -h|--help|help) usage ;;
        *) usage ;;
    esac
}

main "$@"
