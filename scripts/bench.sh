#!/usr/bin/env bash
# Throughput benchmark of the embedded default, all in one process and run, 1 KB messages, both durabilities:
#   (a) raw SQLite enqueue then dequeue, one transaction each (the limit of one hop)
#   (b) a Rebus pass-through on our SQLite transport
#   (c) the full router: folder -> map -> HTTP on loopback, inbox and journal on
# With --postgres (first argument), also starts PostgreSQL with scripts/services/postgres.sh and adds
#   (p) a Rebus pass-through on Rebus.PostgreSql's transport as shipped, (q) the same as the router wraps it
# e.g. scripts/bench.sh --postgres --sync normal --scenarios a,p,q --messages 5000
# Prints msg/s, p50/p99 latency and the ratios to (a). Options: --messages N --repeat R --sync normal|full|both --scenarios a,b,c,p,q
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${1:-}" = "--postgres" ]; then
  shift
  # shellcheck source=scripts/services.sh
  source "$root/scripts/services.sh"
  # shellcheck source=scripts/services/postgres.sh
  source "$root/scripts/services/postgres.sh"
  start_service_postgres
  trap 'stop_service_postgres; rm -rf "$ROUTER_TEST_RUN_DIR"' EXIT
  export ROUTER_BENCH_POSTGRES="$ROUTER_TEST_POSTGRES"
fi
dotnet build "$root/bench/Router.Benchmarks/Router.Benchmarks.csproj" -c Release -nologo -v q >&2
dotnet "$root/bench/Router.Benchmarks/bin/Release/net10.0/Router.Benchmarks.dll" "$@"
