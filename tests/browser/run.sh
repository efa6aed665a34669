#!/usr/bin/env bash
# Browser tests: Debian's chromium, its headless shell (/usr/bin/chromium-headless-shell,
# or $CHROMIUM: /usr/bin/chromium runs them in the full browser) driven by
# npm's playwright-core, against $SOMON serving a temporary demo database.
#   SOMON=build/test/somon tests/browser/run.sh   (make browser does this; build/test has SOMON_TEST_FAST_HASH)
#   SOMON=build/test/somon tests/browser/run.sh test_a11y.mjs   (only the files named)
# Installs playwright-core and axe-core from package-lock.json when node_modules
# is missing or the lock changed, makes a VDAB account for Antwerpen and an
# administrator (somon user add, with random passwords), starts the server on a
# free port for each file (a copy of the database each, BROWSER_JOBS files at a
# time), runs test.mjs, test_edit.mjs (which signs in and edits the
# register) and test_followup.mjs (evaluations, the printable plan, /actions,
# /alerts); test_indicators.mjs checks the indicator dashboard on the synthetic
# demo indicators; test_a11y.mjs runs axe-core over every page (public, signed
# in, forms with errors) at 1280 and 375 px and checks the map's text
# alternatives; test_sheet.mjs the spreadsheet upload with its preview;
# test_forms.mjs issue 11's forms for people, with and without JavaScript;
# test_demo.mjs the demo register of make run (issue 13), on the database its
# test_demo.setup.sh builds (a FILE.setup.sh DB, when there, makes FILE's database).
# Each server is stopped with SIGTERM (it must exit 0). Screenshots land in tests/browser/screenshots/
# (ignored by git). Exits non-zero on any failure.
set -u
# The command line is Dutch by default (docs/language.md); these tests read its
# English messages. The web stays Dutch whatever the language.
export LANGUAGE=en
cd "$(dirname "$0")/../.."
source scripts/listening_port.sh
: "${SOMON:?set SOMON to the somon binary}"
DIR=tests/browser
CHROMIUM=${CHROMIUM:-/usr/bin/chromium-headless-shell}
export CHROMIUM

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "browser: $tool is missing (scripts/deps.sh check installs it)" >&2; exit 1; }
done
[[ -x $CHROMIUM ]] || { echo "browser: no chromium at $CHROMIUM (scripts/deps.sh check installs it)" >&2; exit 1; }

# npm ci only when needed: node_modules/.lock-sha256 records the lock it came from.
lock_sum=$(sha256sum "$DIR/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $DIR/node_modules/.lock-sha256 || $(cat "$DIR/node_modules/.lock-sha256") != "$lock_sum" ]]; then
  echo "browser: npm ci"
  (cd "$DIR" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null) ||
    { echo "browser: npm ci failed" >&2; exit 1; }
  echo "$lock_sum" >"$DIR/node_modules/.lock-sha256"
fi

TMP=$(mktemp -d)
cleanup() {
  local p
  for p in $(jobs -p); do kill -TERM "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB=$TMP/somon.db
{ "$SOMON" --db "$DB" init && "$SOMON" --db "$DB" import data/demo/*.json tests/cli/fixtures/rules.json tests/cli/fixtures/map-outreach.json &&
  "$SOMON" --db "$DB" import indicators --synthetic data/demo/indicators-synthetic.csv; } \
  >"$TMP/setup.log" 2>&1 || { echo "browser: could not build the demo database" >&2; cat "$TMP/setup.log" >&2; exit 1; }
# The accounts the tests sign in with (fast test hashing; the password on standard input).
EDIT_LOGIN=netwerk.antwerpen
EDIT_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
ADMIN_LOGIN=beheer
ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
{ printf '%s\n' "$EDIT_PASSWORD" | SOMON_TEST_FAST_HASH=1 "$SOMON" --db "$DB" user add "$EDIT_LOGIN" --role vdab --scope Antwerpen &&
  printf '%s\n' "$ADMIN_PASSWORD" | SOMON_TEST_FAST_HASH=1 "$SOMON" --db "$DB" user add "$ADMIN_LOGIN" --role admin; } \
  >>"$TMP/setup.log" 2>&1 || { echo "browser: could not add the accounts" >&2; cat "$TMP/setup.log" >&2; exit 1; }

# one FILE: a copy of the database, a server of its own on a free port, the file
# against it, the server stopped (it must exit 0). Output in $TMP/FILE.log.
one() {
  local file=$1 dir=$TMP/${1%.mjs} url= server status=0
  mkdir -p "$dir"
  [[ -f $DIR/$file ]] || { echo "browser: no test file $DIR/$file"; return 1; }
  if [[ -f $DIR/${file%.mjs}.setup.sh ]]; then # a database of its own (test_demo.mjs: the demo of make run)
    SOMON=$SOMON bash "$DIR/${file%.mjs}.setup.sh" "$dir/somon.db" >"$dir/setup.log" 2>&1 ||
      { echo "browser: $file: its setup failed"; cat "$dir/setup.log"; return 1; }
  else
    sqlite3 "$DB" ".backup '$dir/somon.db'" || { echo "browser: cannot copy the database for $file"; return 1; }
  fi
  "$SOMON" --db "$dir/somon.db" serve --listen 127.0.0.1:0 >"$dir/access.log" 2>"$dir/server.log" &
  server=$!
  local port
  port=$(listening_port "$dir/server.log" "$server" 10)
  [[ -n $port ]] && url=http://127.0.0.1:$port
  if [[ -z $url ]]; then
    echo "browser: the server for $file did not start"
    cat "$dir/server.log"
    kill -KILL "$server" 2>/dev/null
    return 1
  fi
  echo "browser: $file against $url"
  local start=$SECONDS
  SOMON_URL=$url SOMON_EDIT_LOGIN=$EDIT_LOGIN SOMON_EDIT_PASSWORD=$EDIT_PASSWORD \
    SOMON_ADMIN_LOGIN=$ADMIN_LOGIN SOMON_ADMIN_PASSWORD=$ADMIN_PASSWORD node "$DIR/$file" || status=1
  echo "browser: $file took $((SECONDS - start)) s"
  kill -TERM "$server"
  wait "$server"
  local server_status=$?
  if ((server_status != 0)); then
    echo "browser: the server of $file exited with $server_status after SIGTERM, expected 0"
    tail -20 "$dir/server.log"
    status=1
  fi
  return $status
}

# Every file, or only the files named on the command line; each on its own copy
# of the database and its own server, BROWSER_JOBS at a time (default: the number
# of CPUs), the longest first; each file's output printed whole, in this order.
files=("$@")
((${#files[@]})) || files=(test_a11y.mjs test.mjs test_edit.mjs test_forms.mjs test_indicators.mjs test_followup.mjs test_sheet.mjs test_demo.mjs)
JOBS=${BROWSER_JOBS:-$(nproc)}
for file in "${files[@]}"; do
  while (($(jobs -rp | wc -l) >= JOBS)); do wait -n; done
  (one "$file" >"$TMP/$file.log" 2>&1; echo $? >"$TMP/$file.status") &
done
wait
status=0
for file in "${files[@]}"; do
  cat "$TMP/$file.log"
  [[ $(cat "$TMP/$file.status" 2>/dev/null) == 0 ]] || { echo "browser: $file FAILED"; status=1; }
done
if ((status != 0)); then
  echo "browser: FAILED" >&2
  exit 1
fi
echo "browser: all passed; screenshots in $DIR/screenshots/"
