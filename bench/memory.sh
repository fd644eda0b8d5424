#!/usr/bin/env bash
# Downtime against memory on the lab (root, Linux): tests/lab/workloads/memhold.py holding each size of memory, idle and
# rewriting it, moved by hand (criu dump to tmpfs, the images through the controller, criu restore) and by the engine's
# live switch with post-copy and with stop-and-copy, in the same run; the memory's checksum compared across every idle
# move; prints a summary table and the targets met or missed.
# Usage: bench/memory.sh [--sizes-mib 64,512,1536] [--write-mib-per-s 20] [--runs 3] [--quick]
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
dotnet bench/MigrationTools.Bench/bin/Release/net10.0/MigrationTools.Bench.dll memory --ssh-config "$(tests/lab/lab.sh ssh-config)" "$@"
