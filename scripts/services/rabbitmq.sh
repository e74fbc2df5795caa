#!/usr/bin/env bash
# RabbitMQ for the tests and benchmarks: Debian's rabbitmq-server as a private node rabbit@localhost on 127.0.0.1,
# every port free-picked (AMQP, Erlang distribution, and an epmd of its own so the node name never clashes with
# another run's), data and logs under $ROUTER_TEST_RUN_DIR/rabbitmq. No systemd: the node runs in the background
# of the calling shell and stop_service_rabbitmq ends it (and only it).
#
# Exports:
#   ROUTER_TEST_RABBITMQ_URL   amqp://router:<password>@127.0.0.1:<port>/
#   ROUTER_TEST_RABBITMQ_CTL   a script running rabbitmqctl against this node (tests use it for stop_app/start_app
#                              and memory alarms: "$ROUTER_TEST_RABBITMQ_CTL" stop_app)
#   ROUTER_TEST_RABBITMQ_LOCK  a file tests lock shared (normal use) or exclusive (while they disturb the broker)

start_service_rabbitmq() {
  ensure_packages rabbitmq-server || return 1
  local started=$SECONDS
  local dir="$ROUTER_TEST_RUN_DIR/rabbitmq"
  local erlang_user=""
  [ "$(id -u)" -eq 0 ] && erlang_user="rabbitmq"

  _rabbitmq_stop_debian_service
  mkdir -p "$dir/mnesia" "$dir/log" "$dir/home"
  local password
  password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  local amqp_port dist_port epmd_port
  amqp_port="$(free_port)"
  dist_port="$(free_port)"
  epmd_port="$(free_port)"

  # The node's own configuration: loopback only, one user with a random password (guest stays loopback-only too).
  cat >"$dir/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$amqp_port
default_user = router
default_pass = $password
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
default_user_tags.administrator = true
loopback_users.guest = true
log.file.level = info
log.console = false
EOF
  : >"$dir/rabbitmq-env.conf"
  echo "[]." >"$dir/enabled_plugins"
  head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/home/.erlang.cookie"
  chmod 400 "$dir/home/.erlang.cookie"

  # Everything rabbitmq-server and rabbitmqctl read, so /etc/rabbitmq and /var/lib/rabbitmq are never used.
  cat >"$dir/env" <<EOF
export HOME='$dir/home'
export RABBITMQ_NODENAME='rabbit@localhost'
export RABBITMQ_USE_LONGNAME=false
export RABBITMQ_NODE_IP_ADDRESS='127.0.0.1'
export RABBITMQ_NODE_PORT='$amqp_port'
export RABBITMQ_DIST_PORT='$dist_port'
export ERL_EPMD_PORT='$epmd_port'
export ERL_EPMD_ADDRESS='127.0.0.1'
export RABBITMQ_MNESIA_BASE='$dir/mnesia'
export RABBITMQ_LOG_BASE='$dir/log'
export RABBITMQ_PID_FILE='$dir/rabbitmq.pid'
export RABBITMQ_CONFIG_FILE='$dir/rabbitmq.conf'
export RABBITMQ_ADVANCED_CONFIG_FILE='$dir/advanced.config'
export RABBITMQ_ENABLED_PLUGINS_FILE='$dir/enabled_plugins'
export RABBITMQ_CONF_ENV_FILE='$dir/rabbitmq-env.conf'
EOF
  echo "[]." >"$dir/advanced.config"

  # rabbitmqctl for this node, as the user the node runs as (the Erlang cookie is that user's).
  cat >"$dir/ctl" <<EOF
#!/usr/bin/env bash
set -euo pipefail
source '$dir/env'
if [ "\$(id -u)" -eq 0 ] && [ -n '$erlang_user' ]; then
  exec runuser -u '$erlang_user' -- env HOME="\$HOME" /usr/lib/rabbitmq/bin/rabbitmqctl "\$@"
fi
exec /usr/lib/rabbitmq/bin/rabbitmqctl "\$@"
EOF
  chmod 755 "$dir/ctl"
  : >"$dir/broker.lock"
  chmod 666 "$dir/broker.lock"

  if [ -n "$erlang_user" ]; then
    # The node runs as the rabbitmq user: it must reach its directory through the (root-owned, private) run dir.
    chmod o+x "$ROUTER_TEST_RUN_DIR"
    chown -R "$erlang_user:$erlang_user" "$dir"
    chown root:root "$dir/ctl"
  fi

  (
    # shellcheck source=/dev/null
    source "$dir/env"
    if [ -n "$erlang_user" ]; then
      exec runuser -u "$erlang_user" -- env HOME="$HOME" /usr/lib/rabbitmq/bin/rabbitmq-server
    fi
    exec /usr/lib/rabbitmq/bin/rabbitmq-server
  ) >"$dir/server.out" 2>&1 &
  echo $! >"$dir/server.shell.pid"

  # await_startup needs a node that is at least registered with epmd: look until it is, then wait for the boot.
  local ready=""
  while [ $((SECONDS - started)) -lt 120 ]; do
    if ! kill -0 "$(cat "$dir/server.shell.pid")" 2>/dev/null; then
      break
    fi
    if "$dir/ctl" --timeout 60 await_startup >"$dir/await.out" 2>&1; then
      ready=1
      break
    fi
    sleep 1
  done
  if [ -z "$ready" ]; then
    echo "services: rabbitmq did not start; see $dir/server.out and $dir/log" >&2
    tail -n 20 "$dir/server.out" >&2
    stop_service_rabbitmq
    return 1
  fi
  wait_for_port "$amqp_port" 30 || return 1

  export ROUTER_TEST_RABBITMQ_URL="amqp://router:$password@127.0.0.1:$amqp_port/"
  export ROUTER_TEST_RABBITMQ_CTL="$dir/ctl"
  export ROUTER_TEST_RABBITMQ_LOCK="$dir/broker.lock"
  echo "services: rabbitmq on 127.0.0.1:$amqp_port (node rabbit@localhost) in $((SECONDS - started))s" >&2
}

stop_service_rabbitmq() {
  local dir="$ROUTER_TEST_RUN_DIR/rabbitmq"
  [ -d "$dir" ] || return 0
  if [ -x "$dir/ctl" ]; then
    "$dir/ctl" --timeout 30 stop >/dev/null 2>&1 || true
  fi
  local pid
  if [ -f "$dir/server.shell.pid" ]; then
    pid="$(cat "$dir/server.shell.pid")"
    # The subshell execs runuser, which waits for the node: gone once the node is.
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -0 "$pid" 2>/dev/null && kill "$pid" 2>/dev/null
  fi
  # The node's private epmd (started by the node for its own ERL_EPMD_PORT) outlives it: end it too.
  if [ -f "$dir/env" ]; then
    (
      # shellcheck source=/dev/null
      source "$dir/env"
      # epmd's client side cannot reach it with ERL_EPMD_ADDRESS set (that variable is for the daemon).
      env -u ERL_EPMD_ADDRESS epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true
    )
  fi
  unset ROUTER_TEST_RABBITMQ_URL ROUTER_TEST_RABBITMQ_CTL ROUTER_TEST_RABBITMQ_LOCK
}

# Installing the package may start Debian's own node (rabbit@<host> on 5672) where an init system lets it; it is not
# ours to use and would hold port 5672 and memory, so stop it.
# (Its pid file tells: asking the init script for "status" would itself start an epmd on 4369.)
_rabbitmq_stop_debian_service() {
  local pid_file=/var/run/rabbitmq/pid
  if [ -x /etc/init.d/rabbitmq-server ] && [ -s "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo "services: stopping the rabbitmq-server service the package started" >&2
    /etc/init.d/rabbitmq-server stop >/dev/null 2>&1 || true
  fi
}
