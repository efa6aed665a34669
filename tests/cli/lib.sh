# Shared helpers for the CLI tests: a temporary folder, a fresh database and
# checks that print what they compared. Source it; call finish at the end.
set -u
# The command line is Dutch by default (docs/language.md); these tests read its
# English messages. The web stays Dutch whatever the language.
export LANGUAGE=en
: "${SOMON:?set SOMON to the somon binary}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DB="$TMP/somon.db"
FIX=tests/cli/fixtures
PY=/usr/bin/python3
checks=0
failures=0

ok() { checks=$((checks + 1)); }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "  FAIL: $*"; }

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
  if [[ "$2" == "$3" ]]; then ok; else fail "$1"; echo "    expected: $2"; echo "    actual:   $3"; fi
}

# check_contains DESCRIPTION NEEDLE HAYSTACK
check_contains() {
  if [[ "$3" == *"$2"* ]]; then ok; else fail "$1: no '$2' in:"; echo "$3" | head -20 | sed 's/^/    /'; fi
}

check_not_contains() {
  if [[ "$3" != *"$2"* ]]; then ok; else fail "$1: unexpected '$2' in:"; echo "$3" | head -20 | sed 's/^/    /'; fi
}

# check_exit DESCRIPTION CODE COMMAND...: runs the command, keeps its output in OUT and ERR
check_exit() {
  local desc=$1 want=$2
  shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  OUT=$(cat "$TMP/out")
  ERR=$(cat "$TMP/err")
  if [[ "$got" == "$want" ]]; then ok; else fail "$desc: exit $got, expected $want"; sed 's/^/    /' "$TMP/err" | head -10; fi
}

somon() { "$SOMON" --db "$DB" "$@"; }
source scripts/listening_port.sh # listening_port ERRFILE [PID [SECONDS]]

fresh_db() {
  rm -f "$DB" "$DB-wal" "$DB-shm"
  somon init >/dev/null || { echo "init failed"; exit 1; }
}

demo_db() {
  fresh_db
  somon --actor demo import data/demo/*.json >/dev/null || { echo "demo import failed"; exit 1; }
}

# The CSV row of a province in a coverage report.
csv_row() { grep "^$1," <<<"$2"; }

changes() { sqlite3 "$DB" 'SELECT count(*) FROM change'; }

finish() {
  echo "  $checks checks, $failures failed"
  [[ $failures == 0 ]]
}
