#!/usr/bin/env bash
# `somon serve` and its listening socket (src/http.c): a port in use is refused
# with the address named, an IPv6 address is served, and a SIGTERM under a storm
# of new connections stops the server cleanly every time, refusing connections
# from then on. (With epoll, MHD_quiesce_daemon of libmicrohttpd 0.9.75 races
# the pool's threads and can abort the process: a CI run ended with SIGABRT;
# the server polls instead.)
source tests/cli/lib.sh
fresh_db

start() { # start ERRFILE LISTEN: the server's pid in PID, its port in PORT
  "$SOMON" --db "$DB" serve --listen "$2" --threads 2 >/dev/null 2>"$1" &
  PID=$!
  PORT=$(listening_port "$1" "$PID" 20)
}

start "$TMP/first.err" 127.0.0.1:0
check_eq "the first server listens" 1 "$((${PORT:-0} > 0))"
check_exit "a second server on the same port" 69 somon serve --listen "127.0.0.1:$PORT"
# the server speaks Dutch whatever the locale, as the web does
check_contains "names the address" "kan niet luisteren op 127.0.0.1:$PORT: " "$ERR"
check_contains "and the fix" "is de poort in gebruik?" "$ERR"
check_eq "the first server still answers" 200 \
  "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")"
kill -TERM "$PID"
wait "$PID"
check_eq "it stops with status 0" 0 $?

if /usr/bin/python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
  start "$TMP/v6.err" "[::1]:0"
  check_eq "[::1]:0 is served" 200 "$(curl -s -g -o /dev/null -w '%{http_code}' "http://[::1]:$PORT/healthz")"
  kill -TERM "$PID"
  wait "$PID"
  check_eq "the IPv6 server stops with status 0" 0 $?
else
  echo "  (this machine has no ::1: the IPv6 case is skipped)"
fi

# storm PORT: new connections as fast as four clients can open them
storm() {
  for _ in 1 2 3 4; do
    (while [[ ! -e "$TMP/calm" ]]; do curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/healthz"; done) &
  done
}
for run in 1 2 3 4 5; do
  rm -f "$TMP/calm"
  start "$TMP/storm$run.err" 127.0.0.1:0
  storm "$PORT"
  sleep 0.3
  kill -TERM "$PID"
  wait "$PID"
  status=$?
  refused=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/healthz")
  touch "$TMP/calm"
  wait
  check_eq "SIGTERM during a storm of connections ($run): status 0" 0 "$status"
  check_contains "($run) the server says it stopped" "somon: stopped" "$(cat "$TMP/storm$run.err")"
  check_eq "($run) after the stop a connection is refused" 000 "$refused"
done
finish
