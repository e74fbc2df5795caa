#!/usr/bin/env bash
# Quickstart on the embedded default (config/router.yaml: SQLite transport and state, sandbox partners):
# starts from an empty data/ folder, drops the sample orders into the inbox, runs every route once with the
# partner emulators in-process, and prints what arrived, where it went, what failed and how to replay it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rm -rf data/router.db data/router.db-wal data/router.db-shm data/inbox data/outbox
mkdir -p data/inbox/orders
# Oldest first is the order the folder endpoint takes files in: give the samples increasing times.
stamp=$(( $(date +%s) - 60 ))
for sample in config/samples/orders/*.json; do
  cp "$sample" data/inbox/orders/
  touch -d "@$stamp" "data/inbox/orders/$(basename "$sample")"
  stamp=$(( stamp + 1 ))
done
echo "Dropped $(ls data/inbox/orders | wc -l) sample orders into data/inbox/orders; running the routes once..."
echo
./router run --once --sandbox "$@"
