#!/usr/bin/env bash
# CommerceML parse benchmark: generates import.xml files with 10,000 and 100,000 products and measures, in the same
# run, our parse-to-envelopes (commerceml-catalog's reader) against a raw XmlReader pass over the same file: MB/s, the
# ratio, and each pass's peak resident memory (each pass runs in its own process). Options: --products N,M --repeat R
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet build "$root/bench/Router.Benchmarks.CommerceML/Router.Benchmarks.CommerceML.csproj" -c Release -nologo -v q >&2
exec dotnet "$root/bench/Router.Benchmarks.CommerceML/bin/Release/net10.0/Router.Benchmarks.CommerceML.dll" "$@"
