#!/usr/bin/env bash
# Quickstart on the embedded default (config/router.yaml: SQLite transport and state, sandbox partners):
# starts from an empty data/ folder, drops the sample orders and a 1C catalogue export into the inboxes, runs every route once with the
# partner emulators in-process, and prints what arrived, where it went, what failed and how to replay it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rm -rf data/router.db data/router.db-wal data/router.db-shm data/inbox data/outbox
mkdir -p data/inbox/orders data/inbox/catalog
# Oldest first is the order the folder endpoint takes files in: give the samples increasing times.
stamp=$(( $(date +%s) - 60 ))
for sample in config/samples/orders/*.json; do
  cp "$sample" data/inbox/orders/
  touch -d "@$stamp" "data/inbox/orders/$(basename "$sample")"
  stamp=$(( stamp + 1 ))
done
# 1C writes the catalogue before its offers; the folder endpoint takes the older file first.
for sample in import offers; do
  cp "config/samples/catalog/$sample.xml" data/inbox/catalog/
  touch -d "@$stamp" "data/inbox/catalog/$sample.xml"
  stamp=$(( stamp + 1 ))
done
echo "Dropped $(ls data/inbox/orders | wc -l) sample orders into data/inbox/orders and a 1C catalogue export (import.xml, offers.xml)"
echo "into data/inbox/catalog; running the routes once..."
echo
./router run --once --sandbox "$@"
