#!/usr/bin/env bash
# Servers the tests need, started on loopback on a fresh machine. Each server has its own file under
# scripts/services/ defining start_service_<name> and stop_service_<name>; this file installs Debian packages once
# and runs them all. Every start function exports the variables its tests read (ROUTER_TEST_*), and fails loudly:
# a test that finds ROUTER_TEST_SERVICES set but its own server variable missing fails instead of skipping.

services_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/services"
ROUTER_TEST_RUN_DIR="${ROUTER_TEST_RUN_DIR:-$(mktemp -d /tmp/router-test-services.XXXXXX)}"
export ROUTER_TEST_RUN_DIR
_router_apt_updated=""
_router_started_services=()

# Installs Debian packages that are missing; apt-get update runs at most once per test run.
ensure_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -z "$_router_apt_updated" ]; then
    $sudo apt-get update -qq >/dev/null || return 1
    _router_apt_updated=1
  fi
  echo "services: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# A free TCP port on loopback.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits until host:port accepts connections (up to $3 seconds, default 60).
wait_for_port() {
  local port="$1" timeout="${2:-60}" i
  for ((i = 0; i < timeout * 5; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "services: nothing listens on 127.0.0.1:$port after ${timeout}s" >&2
  return 1
}

start_test_services() {
  export ROUTER_TEST_SERVICES="started"
  local file name
  for file in "$services_dir"/*.sh; do
    [ -e "$file" ] || continue
    name="$(basename "$file" .sh)"
    # shellcheck source=/dev/null
    source "$file"
    if "start_service_$name"; then
      _router_started_services+=("$name")
      echo "services: $name started" >&2
    else
      echo "services: $name FAILED to start; its tests will fail" >&2
    fi
  done
}

stop_test_services() {
  local name
  for name in "${_router_started_services[@]}"; do
    "stop_service_$name" || true
  done
  rm -rf "$ROUTER_TEST_RUN_DIR"
}
