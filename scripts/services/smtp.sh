# SMTP test server: Debian's aiosmtpd (run with the system python3, where apt installs it) on loopback, from
# scripts/services/smtp-server.py: STARTTLS with a self-signed certificate made here with openssl, AUTH PLAIN/LOGIN
# required after STARTTLS, every accepted message stored as a file, and faults scripted by recipient (see the script).
#
# Exports: ROUTER_TEST_SMTP_HOST, ROUTER_TEST_SMTP_PORT, ROUTER_TEST_SMTP_USER, ROUTER_TEST_SMTP_PASSWORD,
# ROUTER_TEST_SMTP_MAILDIR (where <n>.eml and <n>.json appear), ROUTER_TEST_SMTP_CERT (the PEM certificate to trust).

_smtp_pid=""

start_service_smtp() {
  ensure_packages python3-aiosmtpd openssl || return 1
  local dir="$ROUTER_TEST_RUN_DIR/smtp"
  mkdir -p "$dir/maildir" || return 1
  # CN and SAN 127.0.0.1: clients connect by address and check the name.
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1 || return 1
  local user="router" password="smtp-$RANDOM-$RANDOM-secret" port
  port="$(free_port)" || return 1
  /usr/bin/python3 "$services_dir/smtp-server.py" "$port" "$dir/maildir" "$user" "$password" "$dir/cert.pem" "$dir/key.pem" \
    >"$dir/smtp.log" 2>&1 &
  _smtp_pid=$!
  wait_for_port "$port" 30 || { cat "$dir/smtp.log" >&2; return 1; }
  export ROUTER_TEST_SMTP_HOST="127.0.0.1"
  export ROUTER_TEST_SMTP_PORT="$port"
  export ROUTER_TEST_SMTP_USER="$user"
  export ROUTER_TEST_SMTP_PASSWORD="$password"
  export ROUTER_TEST_SMTP_MAILDIR="$dir/maildir"
  export ROUTER_TEST_SMTP_CERT="$dir/cert.pem"
}

stop_service_smtp() {
  [ -n "$_smtp_pid" ] && kill "$_smtp_pid" 2>/dev/null && wait "$_smtp_pid" 2>/dev/null
  _smtp_pid=""
}
