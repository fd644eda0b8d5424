#!/usr/bin/env bash
# Draining a host on the lab (root, Linux): N counter workloads (tests/lab/workloads/counter.py) with SIZE MiB of random
# data each on h1, drained to h2,h3 by `migrationtools drain --direct --complete`, first with --parallel 1 and then with
# --parallel P (fresh workloads each time, same names and sizes), in the same run; the raw direct pipe
# (ssh h1 "zfs send | ssh h2 zfs recv", the engine's bulk cipher) timed in the same run. Reports each drain's wall time,
# the controller's peak memory (/usr/bin/time's maximum resident set of the migrationtools process), the aggregate rate
# against the raw pipe's, and each workload's downtime in the parallel drain against its downtime when moved alone
# (the serial drain moves one at a time); then the targets met or missed.
# Usage: bench/drain.sh [--workloads 8] [--size-mib 128] [--parallel 4]
# The lab is tests/lab/lab.sh's (its MT_LAB_* environment applies; 3 hosts). When this script brings the lab up, it takes
# it down again at the end, unless MT_LAB_KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
workloads=8 size=128 parallel=4
while [ $# -gt 0 ]; do
    case "$1" in
        --workloads) workloads=$2; shift 2 ;;
        --size-mib) size=$2; shift 2 ;;
        --parallel) parallel=$2; shift 2 ;;
        *) echo "usage: bench/drain.sh [--workloads 8] [--size-mib 128] [--parallel 4]" >&2; exit 2 ;;
    esac
done
for value in "$workloads" "$size" "$parallel"; do
    [[ "$value" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "bench/drain.sh: '$value' is not a whole number from 1 to 9999" >&2; exit 2; }
done

export MT_LAB_HOSTS=${MT_LAB_HOSTS:-3}
brought_up=false
if ! tests/lab/lab.sh status >/dev/null 2>&1; then
    tests/lab/lab.sh up --hosts "$MT_LAB_HOSTS" >/dev/null
    brought_up=true
fi
config=$(tests/lab/lab.sh ssh-config)
pool=$(tests/lab/lab.sh status --json | jq -r .pool)
[[ "$pool" =~ ^[A-Za-z][A-Za-z0-9_.-]*$ ]] || { echo "bench/drain.sh: the lab names no usable pool ('$pool')" >&2; exit 1; }
id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
work=$(mktemp -d /tmp/mt-bench-drain.XXXXXX)
manifests=/tmp/mt-bd-$id/manifests
runtime=/run/mt-bd-$id
base_port=$((20000 + RANDOM % 9000))
lab() { ssh -F "$config" "$@"; }

dotnet build src/MigrationTools.Cli -c Release -v quiet -nologo >/dev/null
cli=(dotnet src/MigrationTools.Cli/bin/Release/net10.0/migrationtools.dll)
common=(--ssh-config "$config" --manifest-dir "$manifests" --runtime-dir "$runtime")

name_of() { printf 'bd-%s-%s' "$id" "$1"; }

clean_up() {
    for host in h1 h2 h3; do
        # Only this run's processes (by their script's path) and datasets.
        lab "$host" "for p in /proc/[0-9]*; do case \$(tr '\\000' ' ' 2>/dev/null < \$p/cmdline) in *'/$pool/bd-$id-'*'/counter.py '*) kill -KILL \${p#/proc/};; esac; done;
            rm -rf /tmp/mt-bd-$id $runtime /run/migrationtools/images/bd-$id-*;
            for d in \$(zfs list -H -o name -r $pool 2>/dev/null | grep '^$pool/bd-$id-' | sort -r); do
                for s in \$(zfs list -H -o name -t snapshot -r \$d 2>/dev/null); do t=\${s#*@}; zfs release \${t%-*} \$s 2>/dev/null; done
                # zfs-fuse calls a dataset used a moment ago busy for a while; an unmount attempt often ends that.
                for i in \$(seq 40); do zfs destroy -r \$d 2>/dev/null && break; zfs umount -f \$d 2>/dev/null; sleep 0.5; done
            done; true" >/dev/null 2>&1 || true
    done
}
finish() {
    clean_up
    rm -rf "$work"
    if $brought_up && [ "${MT_LAB_KEEP:-0}" != 1 ]; then tests/lab/lab.sh down; fi
}
trap finish EXIT

set_up() {
    for i in $(seq 1 "$workloads"); do
        local name ds port
        name=$(name_of "$i"); ds=$pool/$name; port=$((base_port + i))
        lab h1 "zfs create $ds && cat > /$ds/counter.py && head -c ${size}M /dev/urandom > /$ds/data.bin" < tests/lab/workloads/counter.py
        "${cli[@]}" workload register h1 "$name" --dataset "$ds" --working-directory "/$ds" --health-port "$port" "${common[@]}" \
            -- python3 "/$ds/counter.py" --data-dir "/$ds" --port "$port" >/dev/null
        "${cli[@]}" workload start h1 "$name" "${common[@]}" >/dev/null
    done
    # zfs-fuse counts written data into a dataset's space at its next transaction group; a snapshot forces one, so the
    # drain's estimates are the data's real sizes.
    lab h1 "zfs snapshot -r $pool@bd-$id-sync && zfs destroy -r $pool@bd-$id-sync" >/dev/null
}

raw_pipe() {
    local ds=$pool/bd-$id-raw mib=$((size * 4))
    lab h1 "zfs create $ds && head -c ${mib}M /dev/urandom > /$ds/data.bin && zfs snapshot $ds@raw" >/dev/null
    local start end
    start=$(date +%s.%N)
    lab h1 "zfs send $ds@raw | ssh -c aes128-gcm@openssh.com h2 zfs receive $pool/bd-$id-rawcopy"
    end=$(date +%s.%N)
    local bytes
    bytes=$(lab h1 "zfs get -H -p -o value referenced $ds@raw")
    python3 -c "import sys; b,s,e=map(float,sys.argv[1:]); print(f'{b/(e-s)/1048576:.1f} {e-s:.2f} {b/1048576:.0f}')" "$bytes" "$start" "$end"
}

drain() {
    local throttle=$1 rc=0
    /usr/bin/time -f '%M %e' -o "$work/time-$throttle" \
        "${cli[@]}" drain h1 --to h2,h3 --parallel "$throttle" --max-per-host "$parallel" --direct --complete \
        --max-sync-rounds 2 --json --progress plain --journal "$work/journal-$throttle" "${common[@]}" \
        > "$work/drain-$throttle.ndjson" 2> "$work/drain-$throttle.err" || rc=$?
    echo "$rc" > "$work/rc-$throttle"
}

echo "bench/drain.sh: $workloads workloads x $size MiB, throttle 1 and $parallel, lab $(tests/lab/lab.sh status --json | jq -r .stateDirectory)" >&2
read -r raw_rate raw_seconds raw_mib < <(raw_pipe)
clean_up
set_up; drain 1; clean_up
set_up; drain "$parallel"; clean_up

python3 - "$work" "$parallel" "$raw_rate" "$raw_seconds" "$raw_mib" "$workloads" "$size" <<'PY'
import json, sys
work, parallel, raw_rate, raw_seconds, raw_mib, n, size = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], int(sys.argv[6]), sys.argv[7]
runs = {}
for throttle in ("1", parallel):
    lines = [json.loads(l) for l in open(f"{work}/drain-{throttle}.ndjson") if l.strip()]
    summary = next(l for l in lines if l["type"] == "summary")
    peak_kib, wall = open(f"{work}/time-{throttle}").read().split()[-2:]
    downtimes = {l["workload"].rsplit("-", 1)[1]: (l["migration"] or {}).get("downtimeSeconds") for l in lines if l["type"] == "workload"}
    failed = [l["workload"] + ": " + (l.get("reason") or "").splitlines()[0] for l in lines if l["type"] == "workload" and l["status"] != "moved"]
    runs[throttle] = dict(summary=summary, peak=int(peak_kib) / 1024, wall=float(wall), downtimes=downtimes, failed=failed,
                          rc=open(f"{work}/rc-{throttle}").read().strip())
print(f"\nraw direct pipe (h1 zfs send | ssh h2 zfs receive, aes128-gcm): {raw_mib} MiB in {raw_seconds:.2f} s = {raw_rate:.1f} MiB/s\n")
print("| throttle | moved | failed | drain wall | command wall | sent | aggregate rate | vs raw pipe | controller peak RSS | exit |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for throttle, r in runs.items():
    s = r["summary"]
    rate = s["bytesSent"] / 1048576 / s["elapsedSeconds"]
    print(f"| {throttle} | {s['moved']} | {s['failed']} | {s['elapsedSeconds']:.1f} s | {r['wall']:.1f} s | {s['bytesSent']/1048576:.0f} MiB | "
          f"{rate:.1f} MiB/s | {rate/raw_rate:.2f} | {r['peak']:.0f} MiB | {r['rc']} |")
    for f in r["failed"]:
        print(f"  failed at throttle {throttle}: {f}")
print("\n| workload | downtime alone (throttle 1) | downtime at throttle " + parallel + " | ratio |")
print("| --- | --- | --- | --- |")
ratios = []
for key in sorted(runs["1"]["downtimes"], key=int):
    alone, together = runs["1"]["downtimes"].get(key), runs[parallel]["downtimes"].get(key)
    ratio = together / alone if alone and together else None
    if ratio is not None:
        ratios.append(ratio)
    fmt = lambda v: f"{v:.2f} s" if v is not None else "-"
    print(f"| {key} | {fmt(alone)} | {fmt(together)} | {ratio:.2f} |" if ratio is not None else f"| {key} | {fmt(alone)} | {fmt(together)} | - |")
serial, par = runs["1"]["summary"]["elapsedSeconds"], runs[parallel]["summary"]["elapsedSeconds"]
speedup = serial / par
peak = max(r["peak"] for r in runs.values())
worst = max(ratios) if ratios else float("nan")
verdict = lambda ok: "met" if ok else "MISSED"
print(f"\ntargets: parallel {speedup:.2f}x faster than serial (>= 1.8x: {verdict(speedup >= 1.8)}); "
      f"controller peak {peak:.0f} MiB (< 200 MiB: {verdict(peak < 200)}); "
      f"worst downtime ratio {worst:.2f} (<= 1.5: {verdict(worst <= 1.5)}); "
      f"moved {runs['1']['summary']['moved']}/{n} and {runs[parallel]['summary']['moved']}/{n} ({size} MiB each)")
PY
