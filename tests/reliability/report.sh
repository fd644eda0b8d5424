#!/usr/bin/env bash
# Runs the lab tests (as root, on Linux: they build the lab if it is down) and writes the reliability report
# from the faults and bad inputs they tried: docs/reliability.md, or the file given as the first argument.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
report=$(realpath -m "${1:-$root/docs/reliability.md}")
cd "$root"
dotnet build MigrationTools.sln
MT_RELIABILITY_REPORT="$report" CI=true dotnet test tests/MigrationTools.Lab.Tests --no-build
echo "reliability report: $report"
