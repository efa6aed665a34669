#!/usr/bin/env bash
# HTTP integration tests against a running server (make http).
#
# Builds a fresh database in a temporary folder (reference data, the demo
# agreements of data/demo and the rules fixture of tests/cli). Then, side by
# side: on a copy of it, `$SOMON serve` on a free loopback port (port 0; $SOMON
# is a sanitizer build under make: build/asan/somon for make http,
# build/tsan/somon for make tsan) runs tests/http/test_http.py with Debian's
# Python (standard library, and openpyxl for the XLSX checks); on another,
# tests/http/test_accounts.py (accounts, roles and editing) and then
# tests/http/test_meetings.py (meetings, compliance, calendar feeds); every other
# tests/http/test_*.py gets a copy and a server of its own (HTTP_JOBS at a time).
# Each server is stopped with SIGTERM and must exit 0, with no sanitizer report
# on its standard error and every access log line in Combined Log Format. Each
# suite's output is printed whole once all are done. Exits non-zero on any
# failure. Run from anywhere; it works from the repository root.
# HTTP_ONLY="tests/http/test_x.py …" runs only those files, for working on one area.
# SOMON_RELEASE (make: build/somon) is the build a suite may use for its own
# bookkeeping (test_accounts.py's snapshot of the register), not for what it tests.
# SOMON_SWEEP_EVERY=N (make tsan: 8) sends every N-th request of test_http.py's XSS
# sweep; SOMON_MATRIX_EVERY=N (make tsan: 4) every N-th refusal of test_accounts.py's
# role matrix and CSRF test (every permitted save still); make http sends all of them.
set -u
cd "$(dirname "$0")/../.."
source scripts/listening_port.sh
: "${SOMON:?set SOMON to the somon binary (make http uses build/asan/somon)}"
# The command line is Dutch by default (docs/language.md); these tests read its
# English messages. The web stays Dutch whatever the language.
export LANGUAGE=en
PY=/usr/bin/python3
started=$(date +%s)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/somon-http.XXXXXX")
DB=$TMP/somon.db
cleanup() {
  local p
  for p in $(jobs -p); do kill -TERM "$p" 2>/dev/null; done
  wait 2>/dev/null
  if [[ ${HTTP_KEEP:-0} == 1 ]]; then echo "http: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

failures=0
fail() { failures=$((failures + 1)); echo "  FAIL: $*"; }
# cpu: the CPU-seconds (user + system) of this shell's finished children, in $CPU
cpu() {
  local f=$TMP/times.$BASHPID
  times >"$f"
  CPU=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.1f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$f")
}
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }
wanted() { [[ -z ${HTTP_ONLY:-} || " $HTTP_ONLY " == *" $1 "* ]]; }

"$SOMON" --db "$DB" init >/dev/null || { echo "http: init failed"; exit 1; }
"$SOMON" --db "$DB" --actor demo import data/demo/*.json tests/cli/fixtures/rules.json >/dev/null ||
  { echo "http: import failed"; exit 1; }
"$SOMON" --db "$DB" --actor demo import indicators --synthetic data/demo/indicators-synthetic.csv >/dev/null ||
  { echo "http: import of the synthetic indicators failed"; exit 1; }

# The sanitizers report to standard error; leaks are checked at exit.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# suite NAME FILE...: a folder $TMP/NAME with a copy of the database, a server on it
# (port 0), the files run one after the other against it, then the server stopped
# and its logs checked. Everything it prints goes to $TMP/NAME/log; its status is
# non-zero on any failure.
suite() {
  local name=$1 dir=$TMP/$1 failures=0 t port= server
  shift
  mkdir -p "$dir"
  sqlite3 "$DB" ".backup '$dir/somon.db'" || { echo "http: cannot copy the database for $name"; return 1; }
  local db=$dir/somon.db log=$dir/access.log err=$dir/server.err
  local suite_cpu tests_cpu=0
  cpu
  suite_cpu=$CPU
  "$SOMON" --db "$db" serve --listen 127.0.0.1:0 >"$log" 2>"$err" &
  server=$!
  port=$(listening_port "$err" "$server")
  if [[ -z $port ]]; then
    echo "http: the server for $name did not announce its port; its standard error:"
    sed 's/^/    /' "$err"
    kill -KILL "$server" 2>/dev/null
    return 1
  fi
  echo "http: $name: server $server on port $port, database $db"
  for t; do
    local took=$SECONDS before
    cpu
    before=$CPU
    SOMON=$SOMON SOMON_DB=$db SOMON_PORT=$port SOMON_ACCESS_LOG=$log SOMON_SERVER_ERR=$err SOMON_TMP=$dir \
      "$PY" "$t" || { failures=$((failures + 1)); echo "  FAIL: $t"; }
    cpu
    before=$(minus "$CPU" "$before")
    tests_cpu=$(minus "$tests_cpu" "-$before")
    echo "http: $t took $((SECONDS - took)) s, $before CPU-s (the test and what it ran, but the suite's server)"
  done
  # The server must have survived everything and stop cleanly.
  if ! kill -0 "$server" 2>/dev/null; then
    failures=$((failures + 1)); echo "  FAIL: the server of $name is no longer running"
    wait "$server"
    echo "    exit status $?"
  else
    kill -TERM "$server"
    for _ in $(seq 300); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$server" 2>/dev/null; then
      failures=$((failures + 1)); echo "  FAIL: the server of $name did not stop within 30 s of SIGTERM"
      kill -KILL "$server"
    fi
    wait "$server"
    local status=$?
    cpu
    echo "http: $name: the server took $(minus "$(minus "$CPU" "$suite_cpu")" "$tests_cpu") CPU-s"
    [[ $status == 0 ]] || { failures=$((failures + 1)); echo "  FAIL: the server of $name exited with $status after SIGTERM, expected 0"; }
  fi
  grep -q '^somon: SIGTERM received' "$err" || { failures=$((failures + 1)); echo "  FAIL: no 'SIGTERM received' on the standard error of $name's server"; }
  grep -q '^somon: stopped$' "$err" || { failures=$((failures + 1)); echo "  FAIL: no 'stopped' on the standard error of $name's server"; }
  # AddressSanitizer, LeakSanitizer, UndefinedBehaviorSanitizer (make http) and
  # ThreadSanitizer (make tsan: "WARNING: ThreadSanitizer: data race",
  # "SUMMARY: ThreadSanitizer", "FATAL: ThreadSanitizer").
  if grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:|(SUMMARY|WARNING|FATAL): [A-Za-z]*Sanitizer|ThreadSanitizer: (data race|reported)' "$err"; then
    failures=$((failures + 1)); echo "  FAIL: a sanitizer report on the standard error of $name's server:"
    sed 's/^/    /' "$err" | head -60
  fi
  local others
  others=$(grep -Ev '^somon: (listening on |SIGTERM received|stopped$|login throttled: )' "$err" || true)
  if [[ -n $others ]]; then echo "  note: other lines on the standard error of $name's server:"; echo "$others" | head -20 | sed 's/^/    /'; fi
  # Combined Log Format: host ident user [day/Mon/year:hh:mm:ss zone] "request" status bytes "referer" "agent"
  local clf='^[^ ]+ [^ ]+ [^ ]+ \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}\] "([^"\\]|\\.)*" [1-5][0-9]{2} ([0-9]+|-) "([^"\\]|\\.)*" "([^"\\]|\\.)*"$'
  local lines bad
  lines=$(wc -l <"$log")
  bad=$(LC_ALL=C grep -Evc "$clf" "$log")
  if [[ $name == main && $lines -lt 100 && -z ${HTTP_ONLY:-} ]]; then failures=$((failures + 1)); echo "  FAIL: only $lines access log lines"; fi
  if [[ $bad != 0 ]]; then
    failures=$((failures + 1)); echo "  FAIL: $bad of $lines access log lines of $name are not in Combined Log Format:"
    LC_ALL=C grep -Ev "$clf" "$log" | head -10 | cat -v | sed 's/^/    /'
  fi
  [[ -z $(tail -c 1 "$log") ]] || { failures=$((failures + 1)); echo "  FAIL: the access log of $name does not end with a newline"; }
  echo "$lines" >"$dir/lines"
  ((failures == 0))
}

# test_http.py (the figures, the routes, hostile clients) on a server of its own;
# test_accounts.py (accounts and editing) and then test_meetings.py (meetings,
# compliance, calendar feeds), which uses the accounts made there, share another.
# Every other suite (the hostile review's test_security_*.py among them)
# gets a server and a copy of the database of its own and runs beside them,
# HTTP_JOBS at a time (default: the number of CPUs). A test that needs other
# server options starts yet another server on a copy (somon_http.Server).
JOBS=${HTTP_JOBS:-$(nproc)}
names=()
start() { # NAME FILE...: suite in the background, its status in $TMP/NAME.status
  local name=$1
  names+=("$name")
  while (($(jobs -rp | wc -l) > JOBS)); do wait -n; done
  (suite "$@" >"$TMP/$name.log" 2>&1; echo $? >"$TMP/$name.status") &
}
wanted tests/http/test_http.py && start main tests/http/test_http.py
accounts=()
for t in tests/http/test_accounts.py tests/http/test_meetings.py; do wanted "$t" && accounts+=("$t"); done
((${#accounts[@]})) && start accounts "${accounts[@]}"
for t in tests/http/test_*.py; do
  case $t in */test_http.py|*/test_accounts.py|*/test_meetings.py) continue ;; esac
  wanted "$t" || continue
  n=${t##*/}
  start "${n%.py}" "$t"
done
wait
lines=0
for name in "${names[@]}"; do
  echo "== http: $name"
  cat "$TMP/$name.log"
  [[ $(cat "$TMP/$name.status" 2>/dev/null) == 0 ]] || fail "$name"
  lines=$((lines + $(cat "$TMP/$name/lines" 2>/dev/null || echo 0)))
done

echo "http: $lines access log lines checked; $(($(date +%s) - started)) s in all, $JOBS suites at a time"
if ((failures)); then
  echo "http: FAILED ($failures)"
  exit 1
fi
echo "http: all passed"
