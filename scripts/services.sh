#!/usr/bin/env bash
# Servers the tests need, started on loopback on a fresh machine. The router core's tests need none beyond what
# they host in-process (the sandbox emulators on Kestrel, SQLite files in temp directories); later issues add
# RabbitMQ, PostgreSQL, FTP, SFTP and SMTP here, each started by its own function and stopped on exit.

start_test_services() {
  export ROUTER_TEST_SERVICES="none"
}

stop_test_services() {
  :
}
