#!/usr/bin/env bash
# Process runner benchmark on the lab (root, Linux): the engine's hand-written runner against CliWrap in one run
# (relay throughput locally and over ssh, cancellation, a child flooding stdout and stderr), then the OpenSSH
# client against SSH.NET for one stream.
# Usage: bench/processes.sh [--size-mib 1024] [--ssh-size-mib 256] [--flood-mib 64] [--runs 3] [--parts relay,flood,cancel,transport]
set -euo pipefail
cd "$(dirname "$0")/.."
tests/lab/lab.sh up >/dev/null
dotnet build bench/MigrationTools.Bench -c Release -v quiet -nologo >/dev/null
# CliWrap's netstandard2.0 build on .NET, as a netstandard2.0 engine would load it (one cancellation probe).
dotnet build bench/CliWrapOnNetStandard -c Release -v quiet -nologo >/dev/null
exec dotnet bench/MigrationTools.Bench/bin/Release/net10.0/MigrationTools.Bench.dll processes --ssh-config "$(tests/lab/lab.sh ssh-config)" "$@"
