#!/usr/bin/env bash
# Runs the whole test suite: every test project of the solution, with real bubblewrap, git and test runners.
set -euo pipefail
cd "$(dirname "$0")"
samples/restore.sh --quiet
exec dotnet test Sparring.slnx -nologo "$@"
