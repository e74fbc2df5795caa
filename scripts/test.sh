#!/usr/bin/env bash
# The whole test suite: starts the servers the tests need, runs every test project, prints "N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# shellcheck source=scripts/services.sh
source "$root/scripts/services.sh"
start_test_services
trap stop_test_services EXIT

dotnet test "$root/Router.sln" -c Release -nologo \
  --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 10m -- NUnit.NumberOfTestWorkers=2
status=$?

python3 "$root/scripts/trx-summary.py" "$results"
exit $status
