# FTP and explicit FTPS test servers: Debian's pyftpdlib (run with the system python3, where apt installs it), one
# plain and one TLS server on loopback, sharing one root folder and one user. The certificate is self-signed,
# made here with openssl; tests pin it by its SHA-256 fingerprint.
#
# Exports: ROUTER_TEST_FTP_URL, ROUTER_TEST_FTPS_URL (ftp[s]://127.0.0.1:PORT/), ROUTER_TEST_FTP_USER,
# ROUTER_TEST_FTP_PASSWORD, ROUTER_TEST_FTP_ROOT (the local folder behind both, for tests to seed and inspect),
# ROUTER_TEST_FTPS_CERT_SHA256 (hex with colons, as openssl prints it).

_ftp_pids=()

start_service_ftp() {
  ensure_packages python3-pyftpdlib python3-openssl openssl || return 1
  local dir="$ROUTER_TEST_RUN_DIR/ftp"
  mkdir -p "$dir/root" || return 1
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1 || return 1
  cat > "$dir/server.py" <<'PY'
import sys
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
from pyftpdlib.servers import FTPServer

root, port, user, password, tls, cert, key = sys.argv[1:8]
authorizer = DummyAuthorizer()
authorizer.add_user(user, password, root, perm="elradfmwMT")
handler = TLS_FTPHandler if tls == "tls" else FTPHandler
if tls == "tls":
    handler.certfile = cert
    handler.keyfile = key
    handler.tls_control_required = True
    handler.tls_data_required = True
handler.authorizer = authorizer
handler.passive_ports = None
handler.masquerade_address = None
server = FTPServer(("127.0.0.1", int(port)), handler)
server.serve_forever()
PY
  local user="router" password="ftp-$RANDOM-$RANDOM-secret"
  local plain_port tls_port
  plain_port="$(free_port)" && tls_port="$(free_port)" || return 1
  # The system python, not a pyenv shim: python3-pyftpdlib lives in Debian's site-packages.
  /usr/bin/python3 "$dir/server.py" "$dir/root" "$plain_port" "$user" "$password" plain "$dir/cert.pem" "$dir/key.pem" >"$dir/ftp.log" 2>&1 &
  _ftp_pids+=($!)
  /usr/bin/python3 "$dir/server.py" "$dir/root" "$tls_port" "$user" "$password" tls "$dir/cert.pem" "$dir/key.pem" >"$dir/ftps.log" 2>&1 &
  _ftp_pids+=($!)
  wait_for_port "$plain_port" 30 && wait_for_port "$tls_port" 30 || { cat "$dir"/*.log >&2; return 1; }
  export ROUTER_TEST_FTP_URL="ftp://127.0.0.1:$plain_port/"
  export ROUTER_TEST_FTPS_URL="ftps://127.0.0.1:$tls_port/"
  export ROUTER_TEST_FTP_USER="$user"
  export ROUTER_TEST_FTP_PASSWORD="$password"
  export ROUTER_TEST_FTP_ROOT="$dir/root"
  ROUTER_TEST_FTPS_CERT_SHA256="$(openssl x509 -in "$dir/cert.pem" -noout -fingerprint -sha256 | sed 's/^.*=//')"
  export ROUTER_TEST_FTPS_CERT_SHA256
}

stop_service_ftp() {
  local pid
  for pid in "${_ftp_pids[@]}"; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  _ftp_pids=()
}
