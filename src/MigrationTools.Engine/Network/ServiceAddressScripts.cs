namespace MigrationTools.Engine.Network;

/// <summary>
/// The shell scripts <see cref="ServiceAddressHost"/> runs (each takes its values as positional parameters, never inside
/// its text), the exit statuses they refuse with, and the neighbour-discovery program they hand to python3 for IPv6.
/// </summary>
/// <remarks>
/// Every script takes <c>$1</c>, the directory of the host's interfaces (<c>/sys/class/net</c>), then its own
/// parameters, then four words per address: family (<c>4</c> or <c>6</c>), interface, address, prefix length.
/// </remarks>
internal static class ServiceAddressScripts
{
    /// <summary>Where Linux lists its network interfaces.</summary>
    public const string InterfaceDirectory = "/sys/class/net";

    /// <summary>Exit status of a claim when an address's interface does not exist; nothing was changed.</summary>
    public const int InterfaceMissing = 3;

    /// <summary>Exit status of a claim when an address's interface is down; nothing was changed.</summary>
    public const int InterfaceDown = 4;

    /// <summary>
    /// Shell functions: <c>mt_state IFACE</c> sets <c>state</c> (missing, down or up) and <c>mac</c>; <c>mt_held IFACE
    /// CIDR</c> succeeds when the interface holds exactly that address and prefix; <c>mt_hold FAMILY ADDRESS</c> and
    /// <c>mt_unhold FAMILY ADDRESS</c> insert and remove the rule that drops TCP segments of established connections to
    /// the address (not new ones: <c>! --syn</c>), where iptables is installed.
    /// </summary>
    private const string Functions = """
        mt_state() {
            mac=-; state=missing
            [ -e "$n/$1" ] || return 0
            { read -r mac < "$n/$1/address"; } 2>/dev/null || mac=-
            [ -n "$mac" ] || mac=-
            fl=0; { read -r fl < "$n/$1/flags"; } 2>/dev/null
            op=unknown; { read -r op < "$n/$1/operstate"; } 2>/dev/null
            state=up
            if [ $((fl & 1)) -eq 0 ] || [ "$op" = down ] || [ "$op" = lowerlayerdown ]; then state=down; fi
        }
        mt_fw() { if [ "$1" = 6 ]; then fw=ip6tables; else fw=iptables; fi; command -v "$fw" >/dev/null 2>&1; }
        mt_hold() {
            mt_fw "$1" || return 0
            "$fw" -w -C INPUT -d "$2" -p tcp ! --syn -j DROP 2>/dev/null || "$fw" -w -I INPUT -d "$2" -p tcp ! --syn -j DROP
        }
        mt_unhold() {
            mt_fw "$1" || return 0
            while "$fw" -w -D INPUT -d "$2" -p tcp ! --syn -j DROP 2>/dev/null; do :; done
        }
        mt_held() {
            o=$(ip -o addr show dev "$1" 2>/dev/null) || return 1
            case " $(printf '%s' "$o" | tr '\n\t\\' '   ') " in *" $2 "*) return 0 ;; esac
            return 1
        }

        """;

    /// <summary>
    /// $2 <c>probe</c> or <c>look</c>, $3 the <see cref="Neighbour"/> program. For each address prints
    /// <c>address CIDR IFACE STATE MAC held|free</c>; probing, then <c>answer MAC</c> for each neighbour that answers
    /// the address on the interface's network (an ARP probe for IPv4, a neighbour solicitation for IPv6; through
    /// python3, else for IPv4 <c>arping -D</c>, which sees only the first), or <c>unprobed REASON</c> when the host
    /// cannot ask.
    /// </summary>
    public const string Inspect = Functions + """
        n=$1; probe=$2; nd=$3; shift 3
        while [ $# -ge 4 ]; do
            f=$1; i=$2; a=$3; c=$3/$4; shift 4
            mt_state "$i"
            h=free
            [ "$state" != missing ] && mt_held "$i" "$c" && h=held
            echo "address $c $i $state $mac $h"
            [ "$probe" = probe ] || continue
            if [ "$state" != up ]; then echo "unprobed interface-$state"; continue; fi
            if command -v python3 >/dev/null 2>&1; then
                python3 -c "$nd" "probe$f" "$a" "$i" "$n" || echo "unprobed python3-failed"
            elif [ "$f" = 6 ]; then
                echo "unprobed no-python3"
            elif command -v arping >/dev/null 2>&1; then
                arping -D -c 2 -w 2 -I "$i" "$a" 2>/dev/null | while read -r w1 w2 w3 w4 w5 rest; do
                    [ "$w2 $w3" = "reply from" ] && echo "answer $w5"
                done
            else
                echo "unprobed no-python3-or-arping"
            fi
        done
        exit 0
        """;

    /// <summary>
    /// $2 rounds, $3 seconds to wait before each (<c>0</c>: none), $4 the <see cref="Neighbour"/> program. Announces each
    /// address from its interface: a gratuitous ARP (<c>arping -U</c>) for IPv4, an unsolicited neighbour advertisement
    /// for IPv6. Best effort: a neighbour that misses one, or ignores it within its lock time, hears the next.
    /// </summary>
    public const string Announce = """
        n=$1; r=$2; s=$3; nd=$4; shift 4
        k=0
        while [ $k -lt "$r" ]; do
            [ "$s" = 0 ] || sleep "$s"
            k=$((k + 1))
            j=$#
            while [ $j -ge 4 ]; do
                f=$1; i=$2; a=$3; p=$4; shift 4; set -- "$@" "$f" "$i" "$a" "$p"; j=$((j - 4))
                if [ "$f" = 4 ]; then
                    arping -U -c 1 -I "$i" "$a" >/dev/null 2>&1
                else
                    python3 -c "$nd" announce6 "$a" "$i" "$n" >/dev/null 2>&1
                fi
            done
        done
        exit 0
        """;

    /// <summary>
    /// $2 the <see cref="Announce"/> script, $3 the <see cref="Neighbour"/> program, $4 <c>hold</c> to hold established
    /// connections to each address (see <see cref="Open"/>) before adding it, else <c>open</c>. Checks every interface first (missing: exit
    /// <see cref="InterfaceMissing"/>, down: <see cref="InterfaceDown"/>, nothing changed), adds each address the
    /// interface lacks (IPv6 with <c>nodad</c>, so a restored socket can bind it at once), prints <c>added CIDR IFACE</c>
    /// or <c>present CIDR IFACE</c>, announces them once now and twice more in the background, each round past the
    /// neighbours' lock time (<c>locktime</c>, by default 1 s, during which a neighbour ignores a changed address).
    /// </summary>
    public const string Claim = Functions + """
        n=$1; ann=$2; nd=$3; hold=$4; shift 4
        t=0
        j=$#
        while [ $j -ge 4 ]; do
            f=$1; i=$2; a=$3; p=$4; shift 4; set -- "$@" "$f" "$i" "$a" "$p"; j=$((j - 4))
            mt_state "$i"
            if [ "$state" = missing ]; then echo "interface $i does not exist, so $a/$p cannot be added to it" >&2; exit 3; fi
            if [ "$state" = down ]; then echo "interface $i is down, so $a/$p added to it would not be reached" >&2; exit 4; fi
            # Not read: the shell reads a byte at a time, and a sysctl file read from an offset gives nothing more.
            l=$(cat /proc/sys/net/ipv4/neigh/"$i"/locktime 2>/dev/null)
            case $l in ''|*[!0-9]*) l=100 ;; esac
            [ "$l" -gt "$t" ] && t=$l
        done
        j=$#
        while [ $j -ge 4 ]; do
            f=$1; i=$2; a=$3; p=$4; shift 4; set -- "$@" "$f" "$i" "$a" "$p"; j=$((j - 4))
            # Held before it is added: a client's segment of a connection not yet restored here would be answered
            # with a reset; dropped, it is sent again once the connection is back.
            if [ "$hold" = hold ]; then mt_hold "$f" "$a" || { echo "connections to $a could not be held" >&2; exit 1; }; fi
            if mt_held "$i" "$a/$p"; then echo "present $a/$p $i"; continue; fi
            if [ "$f" = 6 ]; then ip addr add "$a/$p" dev "$i" nodad; else ip addr add "$a/$p" dev "$i"; fi
            if ! mt_held "$i" "$a/$p"; then echo "$a/$p could not be added to $i" >&2; exit 1; fi
            echo "added $a/$p $i"
        done
        # The lock time is in hundredths of a second; each later round waits a tenth of a second past it.
        t=$((t + 10)); s=$((t / 100)).$((t % 100 / 10))$((t % 10))
        sh -c "$ann" sh "$n" 1 0 "$nd" "$@"
        setsid -f sh -c "$ann" sh "$n" 2 "$s" "$nd" "$@" </dev/null >/dev/null 2>&1
        exit 0
        """;

    /// <summary>Removes the hold a claim put on each address's established connections; idempotent.</summary>
    public const string Open = Functions + """
        n=$1; shift
        while [ $# -ge 4 ]; do
            f=$1; a=$3; shift 4
            mt_unhold "$f" "$a"
        done
        exit 0
        """;

    /// <summary>
    /// Deletes each address its interface holds, and any hold on its connections; prints <c>removed CIDR IFACE</c> or
    /// <c>absent CIDR IFACE</c>.
    /// </summary>
    public const string Release = Functions + """
        n=$1; shift
        while [ $# -ge 4 ]; do
            f=$1; i=$2; a=$3; p=$4; shift 4
            mt_unhold "$f" "$a"
            if [ -e "$n/$i" ] && mt_held "$i" "$a/$p"; then
                ip addr del "$a/$p" dev "$i"
                if mt_held "$i" "$a/$p"; then echo "$a/$p could not be removed from $i" >&2; exit 1; fi
                echo "removed $a/$p $i"
            else
                echo "absent $a/$p $i"
            fi
        done
        """;

    /// <summary>
    /// The neighbour program for python3 (standard library only). <c>probe4 ADDRESS IFACE NETDIR</c> broadcasts an ARP
    /// probe (sender 0.0.0.0, as duplicate detection does) and <c>probe6 ADDRESS IFACE NETDIR</c> a neighbour
    /// solicitation, each twice a second apart, and print <c>answer MAC</c> for every distinct hardware address that
    /// answers within 2 s; <c>announce6 ADDRESS IFACE NETDIR</c> sends an unsolicited neighbour advertisement with the
    /// override flag to all nodes.
    /// </summary>
    /// <remarks>
    /// <c>arping -D</c> stops at the first reply, so a source that answers first would hide another machine: it is only
    /// the fallback. IPv6 has no arping; ndisc6 and ndsend are rarely installed, and a host with no address in the service
    /// address's prefix has no route to probe it with ping. Raw sockets need none of them; the kernel fills in the
    /// ICMPv6 checksum and the link-local source.
    /// </remarks>
    public const string Neighbour = """
        import select, socket, struct, sys, time
        mode, addr, ifname, netdir = sys.argv[1:5]
        index = socket.if_nametoindex(ifname)
        with open(netdir + '/' + ifname + '/address') as f:
            mac = bytes.fromhex(f.read().strip().replace(':', ''))
        if mode == 'probe4':
            target = socket.inet_aton(addr)
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
            s.bind((ifname, 0))
            probe = b'\xff' * 6 + mac + struct.pack('!HHHBBH', 0x0806, 1, 0x0800, 6, 4, 1) + mac + bytes(4) + bytes(6) + target
            def answer(data):
                if len(data) >= 42 and data[12:14] == b'\x08\x06' and data[20:22] == b'\x00\x02' and data[28:32] == target:
                    return data[22:28]
            send = lambda: s.send(probe)
        else:
            target = socket.inet_pton(socket.AF_INET6, addr)
            s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
            if mode == 'announce6':
                s.sendto(struct.pack('!BBHI', 136, 0, 0, 0x20000000) + target + bytes([2, 1]) + mac, ('ff02::1', 0, 0, index))
                sys.exit(0)
            group = socket.inet_ntop(socket.AF_INET6, bytes.fromhex('ff0200000000000000000001ff') + target[13:])
            solicit = struct.pack('!BBHI', 135, 0, 0, 0) + target + bytes([1, 1]) + mac
            def answer(data):
                if len(data) < 24 or data[0] != 136 or data[8:24] != target:
                    return None
                options = data[24:]
                while len(options) >= 8 and options[1] > 0:
                    if options[0] == 2:
                        return options[2:8]
                    options = options[options[1] * 8:]
            send = lambda: s.sendto(solicit, (group, 0, 0, index))
        start = time.monotonic()
        sends = [0.0, 1.0]
        seen = set()
        while time.monotonic() - start < 2:
            if sends and time.monotonic() - start >= sends[0]:
                sends.pop(0)
                send()
            if select.select([s], [], [], 0.1)[0]:
                found = answer(s.recv(1500))
                if found and found not in seen:
                    seen.add(found)
                    print('answer ' + ':'.join('%02x' % b for b in found))
        """;
}
