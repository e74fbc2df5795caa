#!/usr/bin/env bash
# Throughput benchmark, all in one process and run, 1 KB messages. Three ways to run it:
#
#   scripts/bench.sh [options]              the embedded default, both SQLite durabilities:
#     (a) raw SQLite enqueue then dequeue, one transaction each (the limit of one hop)
#     (b) a Rebus pass-through on our SQLite transport
#     (c) the full router: folder -> map -> HTTP on loopback, inbox and journal on
#
#   scripts/bench.sh --postgres [options]   the same, plus PostgreSQL (started with scripts/services/postgres.sh):
#     (p) a Rebus pass-through on Rebus.PostgreSql's transport as shipped, (q) the same as the router wraps it
#     e.g. scripts/bench.sh --postgres --sync normal --scenarios a,p,q --messages 5000
#
#   scripts/bench.sh rabbitmq [options]     RabbitMQ, on a broker this script starts (scripts/services/rabbitmq.sh):
#     (a) raw RabbitMQ.Client: publish with confirms awaited per 100, consume with manual acks, persistent messages
#     (b) a Rebus pass-through on our RabbitMQ transport (send -> handler)
#     (c) the full router on RabbitMQ + PostgreSQL (also started here): source queue -> inbox -> map -> delivery leg
#         -> outbound queue, journal on; (c2) the same with two router runtimes competing on the same queues and schema
#     extra options: --queues quorum|classic (default quorum), --amqp URL (use a running broker instead)
#
# Prints msg/s, p50/p99 latency and the ratios to (a). Options: --messages N --repeat R --sync normal|full|both
# --scenarios a,b,c,c2,p,q --senders S --parallelism P --prefetch F
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench/Router.Benchmarks/bin/Release/net10.0/Router.Benchmarks.dll"
dotnet build "$root/bench/Router.Benchmarks/Router.Benchmarks.csproj" -c Release -nologo -v q >&2

case "${1:-}" in
  --postgres)
    shift
    # shellcheck source=scripts/services.sh
    source "$root/scripts/services.sh"
    # shellcheck source=scripts/services/postgres.sh
    source "$root/scripts/services/postgres.sh"
    trap 'stop_service_postgres; rm -rf "$ROUTER_TEST_RUN_DIR"' EXIT
    start_service_postgres
    export ROUTER_BENCH_POSTGRES="$ROUTER_TEST_POSTGRES"
    dotnet "$bench" "$@"
    ;;
  rabbitmq)
    shift
    if [[ " $* " == *" --amqp "* ]]; then
      exec dotnet "$bench" --suite rabbitmq "$@"
    fi
    # shellcheck source=scripts/services.sh
    source "$root/scripts/services.sh"
    # shellcheck source=scripts/services/rabbitmq.sh
    source "$root/scripts/services/rabbitmq.sh"
    # shellcheck source=scripts/services/postgres.sh
    source "$root/scripts/services/postgres.sh"
    trap 'stop_service_postgres; stop_service_rabbitmq; rm -rf "$ROUTER_TEST_RUN_DIR"' EXIT
    start_service_rabbitmq
    # (c) keeps the router's state in PostgreSQL; without a server it is skipped (the benchmark says so).
    if start_service_postgres; then
      export ROUTER_BENCH_POSTGRES="$ROUTER_TEST_POSTGRES"
    else
      echo "bench: no PostgreSQL, so the full-router scenarios (c, c2) are skipped" >&2
    fi
    # 100 senders, each waiting for its own confirm, keep as many publishes unconfirmed as (a)'s batches of 100 do.
    dotnet "$bench" --suite rabbitmq --prefetch 200 --senders 100 "$@"
    ;;
  *)
    exec dotnet "$bench" "$@"
    ;;
esac
