# SFTP test server: Debian's openssh-server, started as its own sshd on a loopback port with its own config and
# host key (the system's sshd and its config are never touched), for a dedicated user that may log in with a
# password or a key and only do SFTP.
#
# Exports: ROUTER_TEST_SFTP_URL (sftp://127.0.0.1:PORT/<root>), ROUTER_TEST_SFTP_USER, ROUTER_TEST_SFTP_PASSWORD,
# ROUTER_TEST_SFTP_KEY (a private key file), ROUTER_TEST_SFTP_HOST_KEY (SHA256:… fingerprint),
# ROUTER_TEST_SFTP_ROOT (the local folder the URL points at, for tests to seed and inspect).

_sftp_user="router-sftp"
_sftp_pid=""

start_service_sftp() {
  ensure_packages openssh-server openssh-client || return 1
  if [ "$(id -u)" -ne 0 ]; then
    echo "services: sftp needs root (it creates the user $_sftp_user and starts sshd)" >&2
    return 1
  fi
  local dir="$ROUTER_TEST_RUN_DIR/sftp"
  mkdir -p "$dir/root" /run/sshd || return 1
  id "$_sftp_user" >/dev/null 2>&1 || useradd --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$_sftp_user" || return 1
  # The user is machine-wide, so its password is too: made once and kept where only root reads it, so two test runs
  # on one machine (or a run beside a developer's servers) do not change it under each other.
  local secrets=/var/lib/router-test-sftp password
  mkdir -p "$secrets" && chmod 0700 "$secrets" || return 1
  if [ ! -s "$secrets/password" ]; then
    (umask 077 && echo "sftp-$RANDOM$RANDOM-$RANDOM$RANDOM-secret" > "$secrets/password") || return 1
  fi
  password="$(cat "$secrets/password")"
  echo "$_sftp_user:$password" | chpasswd || return 1
  # The user must reach its folder through the run directory, which mktemp made private to root.
  chmod o+x "$ROUTER_TEST_RUN_DIR" "$dir"
  chown "$_sftp_user" "$dir/root"
  chmod 0777 "$dir/root"
  ssh-keygen -q -t ed25519 -N "" -f "$dir/host_key" || return 1
  ssh-keygen -q -t ed25519 -N "" -C "router-test" -f "$dir/client_key" || return 1
  cp "$dir/client_key.pub" "$dir/authorized_keys"
  local port
  port="$(free_port)" || return 1
  cat > "$dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin no
AllowUsers $_sftp_user
X11Forwarding no
AllowTcpForwarding no
Subsystem sftp internal-sftp
ForceCommand internal-sftp -u 0000
LogLevel ERROR
CONF
  /usr/sbin/sshd -f "$dir/sshd_config" -D -e >"$dir/sshd.log" 2>&1 &
  _sftp_pid=$!
  wait_for_port "$port" 30 || { cat "$dir/sshd.log" >&2; return 1; }
  export ROUTER_TEST_SFTP_URL="sftp://127.0.0.1:$port$dir/root"
  export ROUTER_TEST_SFTP_USER="$_sftp_user"
  export ROUTER_TEST_SFTP_PASSWORD="$password"
  export ROUTER_TEST_SFTP_KEY="$dir/client_key"
  export ROUTER_TEST_SFTP_ROOT="$dir/root"
  ROUTER_TEST_SFTP_HOST_KEY="$(ssh-keygen -lf "$dir/host_key.pub" | awk '{print $2}')"
  export ROUTER_TEST_SFTP_HOST_KEY
}

stop_service_sftp() {
  if [ -n "$_sftp_pid" ]; then
    kill "$_sftp_pid" 2>/dev/null && wait "$_sftp_pid" 2>/dev/null
    _sftp_pid=""
  fi
}
