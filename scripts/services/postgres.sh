# PostgreSQL for the storage, transport and lease tests: Debian's server binaries, a throw-away cluster made with
# initdb under $ROUTER_TEST_RUN_DIR/postgres, listening on a free loopback port only (plus a Unix socket in the same
# directory, never the system's /var/run/postgresql). fsync stays on: the tests must see what production sees.
# Exports ROUTER_TEST_POSTGRES, a connection string of a superuser; each test fixture makes its own schema or database.

_router_postgres_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

# Runs a command as the cluster's owner: initdb and postgres refuse to run as root.
_router_postgres_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_service_postgres() {
  local started_at=$SECONDS
  if [ -z "$(_router_postgres_bin)" ]; then
    ensure_packages postgresql || return 1
  fi
  local bin dir port password
  bin="$(_router_postgres_bin)" || { echo "services: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; return 1; }
  dir="$ROUTER_TEST_RUN_DIR/postgres"
  mkdir -p "$dir"
  port="$(free_port)"
  password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  printf '%s\n' "$password" >"$dir/pwfile"
  if [ "$(id -u)" -eq 0 ]; then
    # The cluster's owner must reach its directory; the run directory itself stays closed to listing.
    chmod o+x "$ROUTER_TEST_RUN_DIR"
    chown -R postgres:postgres "$dir"
  fi
  _router_postgres_as_owner "$bin/initdb" -D "$dir/data" -U router --pwfile="$dir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { echo "services: initdb failed, see below" >&2; cat "$dir/initdb.log" >&2; return 1; }
  rm -f "$dir/pwfile"
  # Each test holds a few pooled connections and the transport's receivers hold one per message in flight.
  _router_postgres_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=300 -c fsync=on" start >/dev/null \
    || { echo "services: PostgreSQL did not start, see below" >&2; tail -n 30 "$dir/server.log" >&2; return 1; }
  wait_for_port "$port" 30 || return 1
  export ROUTER_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=router;Password=$password;Database=postgres"
  echo "services: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port in $((SECONDS - started_at)) s" >&2
}

stop_service_postgres() {
  local bin dir="$ROUTER_TEST_RUN_DIR/postgres"
  bin="$(_router_postgres_bin)" || return 0
  [ -d "$dir/data" ] || return 0
  _router_postgres_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}
