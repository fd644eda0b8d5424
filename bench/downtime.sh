#!/usr/bin/env bash
# Switch downtime benchmark on the lab (root, Linux): the engine's switch of the counter service against the sum of
# the raw steps (criu dump, zfs send -i | zfs receive, tar of the images, kill, remount, criu restore) measured in the
# same run, for a small and a large dataset with the same delta; prints a summary table.
# A third switch per run is the normal one with a client: the counter bound to a service address of the lab's range,
# moved with established TCP connections kept, while tests/lab/workloads/probe.py in the lab's client namespace talks
# to it every 10 ms; the longest gaps it saw stand beside the engine's downtime (--clients-only runs only that series).
# Usage: bench/downtime.sh [--sizes-mib 256,2048] [--delta-mib 8] [--runs 3] [--trace] [--clients-only]
# The lab is tests/lab/lab.sh's (its MT_LAB_* environment applies). When this script brings the lab up, it takes it
# down again at the end, unless MT_LAB_KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
brought_up=false
if ! tests/lab/lab.sh status >/dev/null 2>&1; then
    tests/lab/lab.sh up --hosts 2 >/dev/null
    brought_up=true
fi
take_down() { if $brought_up && [ "${MT_LAB_KEEP:-0}" != 1 ]; then tests/lab/lab.sh down; fi; }
trap take_down EXIT
dotnet build bench/MigrationTools.Bench -c Release -v quiet -nologo >/dev/null
dotnet bench/MigrationTools.Bench/bin/Release/net10.0/MigrationTools.Bench.dll downtime --ssh-config "$(tests/lab/lab.sh ssh-config)" "$@"
