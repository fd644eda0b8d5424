#!/usr/bin/env bash
# The fault campaign on the lab (as root; the lab is brought up if it is down, see tests/lab/lab.sh):
#   tests/chaos/run.sh                      CI's short campaign: 12 runs from the fixed seed
#   tests/chaos/run.sh --runs 200 --seed S  a long campaign
#   tests/chaos/run.sh --replay SEED        one run again, from the seed the campaign printed for it
# Prints every run as it goes, then the counts; writes the reliability report (with the campaign's table) to the
# file given with --report, if any. Exits non-zero when an invariant broke.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
runs='' seed='' replay='' report=''
usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
number() { [[ $2 =~ ^-?[0-9]+$ ]] || { echo "$1 needs a whole number, not '$2'" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
    case $1 in
        --runs) number "$1" "${2-}"; runs=$2; shift 2 ;;
        --seed) number "$1" "${2-}"; seed=$2; shift 2 ;;
        --replay) number "$1" "${2-}"; replay=$2; shift 2 ;;
        --report) [ -n "${2-}" ] || usage; report=$(realpath -m "$2"); shift 2 ;;
        -h|--help) usage ;;
        *) echo "unknown argument '$1'" >&2; usage ;;
    esac
done
if [ -n "$runs" ] && [ "$runs" -lt 1 ]; then echo "--runs needs at least 1" >&2; exit 2; fi

cd "$root"
dotnet build tests/MigrationTools.Lab.Tests -v q -nologo
log=$(mktemp)
tail -n +1 -F "$log" 2>/dev/null & tailer=$!
trap 'kill "$tailer" 2>/dev/null || true; rm -f "$log"' EXIT
status=0
CI=true MT_CHAOS_RUNS="$runs" MT_CHAOS_SEED="$seed" MT_CHAOS_REPLAY="$replay" MT_CHAOS_LOG="$log" \
    MT_RELIABILITY_REPORT="$report" \
    dotnet test tests/MigrationTools.Lab.Tests --no-build --filter "FullyQualifiedName~FaultCampaignLabTests" \
        --logger "console;verbosity=minimal" || status=$?
sleep 1
exit "$status"
