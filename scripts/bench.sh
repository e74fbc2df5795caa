#!/usr/bin/env bash
# Throughput benchmark of the embedded default, all in one process and run, 1 KB messages, both durabilities:
#   (a) raw SQLite enqueue then dequeue, one transaction each (the limit of one hop)
#   (b) a Rebus pass-through on our SQLite transport
#   (c) the full router: folder -> map -> HTTP on loopback, inbox and journal on
# Prints msg/s, p50/p99 latency and the ratios b/a and c/a. Options: --messages N --repeat R --sync normal|full|both
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet build "$root/bench/Router.Benchmarks/Router.Benchmarks.csproj" -c Release -nologo -v q >&2
exec dotnet "$root/bench/Router.Benchmarks/bin/Release/net10.0/Router.Benchmarks.dll" "$@"
