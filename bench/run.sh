#!/usr/bin/env bash
# Runs the benchmarks (Release). Ratios are against baselines measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project bench/Sparring.Bench -- "$@"
