#!/usr/bin/env bash
# Replication benchmark on the lab (root, Linux): raw ssh pipelines against the engine's relay and direct
# paths on the same data in one run, an incremental round, an idle round and the controller's peak memory.
# Usage: bench/replication.sh [--size-mib 1024] [--runs 3]
set -euo pipefail
cd "$(dirname "$0")/.."
tests/lab/lab.sh up >/dev/null
dotnet build bench/MigrationTools.Bench -c Release -v quiet -nologo >/dev/null
exec dotnet bench/MigrationTools.Bench/bin/Release/net10.0/MigrationTools.Bench.dll --ssh-config "$(tests/lab/lab.sh ssh-config)" "$@"
