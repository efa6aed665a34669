#!/usr/bin/env bash
# HTTP integration tests against a running server (make http).
#
# Builds a fresh database in a temporary folder (reference data, the demo
# agreements of data/demo and the rules fixture of tests/cli), starts
# `$SOMON serve` on a free loopback port (port 0; $SOMON is a sanitizer
# build under make: build/asan/somon for make http, build/tsan/somon for make
# tsan), runs tests/http/test_http.py against it with Debian's Python
# (standard library, and openpyxl for the XLSX checks) and then
# tests/http/test_accounts.py (accounts, roles and editing) and
# tests/http/test_meetings.py (meetings, compliance, calendar feeds), then stops the
# server with SIGTERM and checks that it exits 0, that its standard error
# holds no sanitizer report, and that every access log line is in Combined
# Log Format. Exits non-zero on any failure. Run from anywhere; it works
# from the repository root. HTTP_ONLY="tests/http/test_x.py …" runs only those
# files (on the same fresh database and server), for working on one area.
set -u
cd "$(dirname "$0")/../.."
: "${SOMON:?set SOMON to the somon binary (make http uses build/asan/somon)}"
# The command line is Dutch by default (docs/language.md); these tests read its
# English messages. The web stays Dutch whatever the language.
export LANGUAGE=en
PY=/usr/bin/python3
started=$(date +%s)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/somon-http.XXXXXX")
DB=$TMP/somon.db
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  if [[ ${HTTP_KEEP:-0} == 1 ]]; then echo "http: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

failures=0
fail() { failures=$((failures + 1)); echo "  FAIL: $*"; }
wanted() { [[ -z ${HTTP_ONLY:-} || " $HTTP_ONLY " == *" $1 "* ]]; }

"$SOMON" --db "$DB" init >/dev/null || { echo "http: init failed"; exit 1; }
"$SOMON" --db "$DB" --actor demo import data/demo/*.json tests/cli/fixtures/rules.json >/dev/null ||
  { echo "http: import failed"; exit 1; }
"$SOMON" --db "$DB" --actor demo import indicators --synthetic data/demo/indicators-synthetic.csv >/dev/null ||
  { echo "http: import of the synthetic indicators failed"; exit 1; }

# The sanitizers report to standard error; leaks are checked at exit.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
"$SOMON" --db "$DB" serve --listen 127.0.0.1:0 >"$TMP/access.log" 2>"$TMP/server.err" &
server_pid=$!

port=
for _ in $(seq 300); do
  port=$(sed -n 's|^somon: listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$TMP/server.err")
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $port ]]; then
  echo "http: the server did not announce its port; its standard error:"
  sed 's/^/    /' "$TMP/server.err"
  exit 1
fi
echo "http: server $server_pid on port $port, database $DB"

wanted tests/http/test_http.py && { SOMON=$SOMON SOMON_DB=$DB SOMON_PORT=$port SOMON_ACCESS_LOG=$TMP/access.log \
  SOMON_SERVER_ERR=$TMP/server.err SOMON_TMP=$TMP "$PY" tests/http/test_http.py || fail "test_http.py"; }
# Accounts and editing change the register: after the figures are checked.
wanted tests/http/test_accounts.py && { SOMON=$SOMON SOMON_DB=$DB SOMON_PORT=$port SOMON_SERVER_ERR=$TMP/server.err \
  SOMON_TMP=$TMP "$PY" tests/http/test_accounts.py || fail "test_accounts.py"; }
# Meetings, compliance and the calendar feeds (python3-icalendar), with the accounts made above.
wanted tests/http/test_meetings.py && { SOMON=$SOMON SOMON_DB=$DB SOMON_PORT=$port SOMON_SERVER_ERR=$TMP/server.err \
  SOMON_TMP=$TMP "$PY" tests/http/test_meetings.py || fail "test_meetings.py"; }
# Every other suite (the hostile review's test_security_*.py among them), in
# name order. A test that needs other server options starts a server of its
# own on a copy of the database (somon_http.Server).
for t in tests/http/test_*.py; do
  case $t in */test_http.py|*/test_accounts.py|*/test_meetings.py) continue ;; esac
  wanted "$t" || continue
  SOMON=$SOMON SOMON_DB=$DB SOMON_PORT=$port SOMON_ACCESS_LOG=$TMP/access.log SOMON_SERVER_ERR=$TMP/server.err \
    SOMON_TMP=$TMP "$PY" "$t" || fail "$t"
done

# The server must have survived everything and stop cleanly.
if ! kill -0 "$server_pid" 2>/dev/null; then
  fail "the server is no longer running"
  wait "$server_pid"
  echo "    exit status $?"
else
  kill -TERM "$server_pid"
  for _ in $(seq 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$server_pid" 2>/dev/null; then
    fail "the server did not stop within 30 s of SIGTERM"
    kill -KILL "$server_pid"
  fi
  wait "$server_pid"
  status=$?
  [[ $status == 0 ]] || fail "the server exited with $status after SIGTERM, expected 0"
fi
server_pid=
grep -q '^somon: SIGTERM received' "$TMP/server.err" || fail "no 'SIGTERM received' on the server's standard error"
grep -q '^somon: stopped$' "$TMP/server.err" || fail "no 'stopped' on the server's standard error"
# AddressSanitizer, LeakSanitizer, UndefinedBehaviorSanitizer (make http) and
# ThreadSanitizer (make tsan: "WARNING: ThreadSanitizer: data race",
# "SUMMARY: ThreadSanitizer", "FATAL: ThreadSanitizer").
if grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:|(SUMMARY|WARNING|FATAL): [A-Za-z]*Sanitizer|ThreadSanitizer: (data race|reported)' "$TMP/server.err"; then
  fail "a sanitizer report on the server's standard error:"
  sed 's/^/    /' "$TMP/server.err" | head -60
fi
others=$(grep -Ev '^somon: (listening on |SIGTERM received|stopped$|login throttled: )' "$TMP/server.err" || true)
if [[ -n $others ]]; then echo "  note: other lines on the server's standard error:"; echo "$others" | head -20 | sed 's/^/    /'; fi

# Combined Log Format: host ident user [day/Mon/year:hh:mm:ss zone] "request" status bytes "referer" "agent"
clf='^[^ ]+ [^ ]+ [^ ]+ \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}\] "([^"\\]|\\.)*" [1-5][0-9]{2} ([0-9]+|-) "([^"\\]|\\.)*" "([^"\\]|\\.)*"$'
lines=$(wc -l <"$TMP/access.log")
bad=$(LC_ALL=C grep -Evc "$clf" "$TMP/access.log")
if [[ $lines -lt 100 && -z ${HTTP_ONLY:-} ]]; then fail "only $lines access log lines"; fi
if [[ $bad != 0 ]]; then
  fail "$bad of $lines access log lines are not in Combined Log Format:"
  LC_ALL=C grep -Ev "$clf" "$TMP/access.log" | head -10 | cat -v | sed 's/^/    /'
fi
[[ -z $(tail -c 1 "$TMP/access.log") ]] || fail "the access log does not end with a newline"

echo "http: $lines access log lines checked; $(($(date +%s) - started)) s in all"
if ((failures)); then
  echo "http: FAILED ($failures)"
  exit 1
fi
echo "http: all passed"
