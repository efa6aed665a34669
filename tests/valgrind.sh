#!/usr/bin/env bash
# Runs the unit tests and the main commands under valgrind (the release
# build: valgrind and AddressSanitizer do not mix). Any error or leak fails.
# usage: SOMON=build/test/somon tests/valgrind.sh build/rel/test_*
#
# valgrind runs the program itself, never a shell around it: valgrind follows no
# exec (--trace-children=no), so `valgrind sh -c 'somon …'` checked only the shell.
# The runs go VALGRIND_JOBS at a time (default: the number of CPUs), in lanes: a
# lane is a chain of runs that depend on each other (a form read, then sent), on
# a database of its own (a copy of the register at the point where the lane
# starts) with its own session; lanes do not wait for each other. Each lane's
# output is kept in a file and printed whole, in a fixed order, once all are
# done. A failing run prints valgrind's report in full, then the same run again
# with --track-origins=yes (where an undefined value came from; left out of the
# first run, where it costs a third more time and finds nothing more).
#
# The pages and forms are asked of one `somon serve` per web lane, under valgrind
# from its start to its stop (SIGTERM, then the leak check), through bash's
# /dev/tcp: valgrind starting somon with its libraries costs about a CPU-second,
# more than most requests, so one process answers a lane's requests instead of
# one `somon test-http` per request (issue 12: 230 runs became 70). The server's
# own threads (connections, render threads, the read-ahead of each new version)
# run under valgrind too. `somon test-http` keeps a run of its own.
# VALGRIND_ONLY="lane function …" runs only those lanes (and the main one).
set -u
source "$(dirname "$0")/../scripts/listening_port.sh"
: "${SOMON:?set SOMON to the release configuration with the test switches (build/test/somon: SOMON_TEST_FAST_HASH makes an account)}"
# The command line is Dutch by default (docs/language.md); these tests read its
# English messages. The web stays Dutch whatever the language.
export LANGUAGE=en
# --read-inline-info=no: the first run's stacks leave out inlined frames (reading them
# is a tenth of a short run's CPU); a failing run is repeated with them (ORIGINS_OPTS).
# --vex-guest-chase=no: the translator does not follow jumps into the next block while
# translating one (blocks are smaller; what is checked is the same): a short run, most
# of which is translating somon and its libraries, takes a tenth less CPU, a long one
# as much as before.
VG=(valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --read-inline-info=no --vex-guest-chase=no)
ORIGINS_OPTS=(--track-origins=yes --read-inline-info=yes)
JOBS=${VALGRIND_JOBS:-$(nproc)}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/somon-valgrind.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'kill $(jobs -p) 2>/dev/null; exit 130' INT TERM
started=$SECONDS

# ---- running under valgrind, JOBS at a time ----------------------------------------
# JOBS slots: a lane takes one per run (a web lane one for its server's life). The
# main lane (this shell, which makes the register the others copy) keeps one of its
# own until release_main.
mkfifo "$TMP/slots"
exec 3<>"$TMP/slots"
for ((i = 1; i < JOBS; i++)); do echo >&3; done
L=main D=$TMP/main RUNS=0 ORIGINS=()
mkdir "$D"
take_slot() { [[ $L == main ]] || read -r -u 3; }
give_slot() { [[ $L == main ]] || echo >&3; }

# cpu: the CPU-seconds (user + system) of this lane's finished children so far, in $CPU
cpu() {
  times >"$D/times"
  CPU=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.1f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$D/times")
}
# vg_failed LOG: whether valgrind's log holds an error or a leak
vg_failed() { grep -q "ERROR SUMMARY: [1-9]\|definitely lost\|indirectly lost\|possibly lost" "$1"; }

# run DESC COMMAND...: COMMAND under valgrind, standard input from $IN (default
# /dev/null); its standard output stays in $OUT. Prints ok, or the report in full.
run() {
  local desc=$1 before
  shift
  RUNS=$((RUNS + 1))
  local w=$D/run$RUNS
  OUT=$w.out
  cpu
  before=$CPU
  take_slot
  "${VG[@]}" --log-file="$w.vg" "$@" <"${IN:-/dev/null}" >"$w.out" 2>"$w.err"
  local rc=$?
  give_slot
  cpu
  if [[ $rc == 99 ]] || vg_failed "$w.vg"; then
    echo "  FAIL (valgrind): $desc"
    sed 's/^/    /' "$w.vg"
    echo "    the same run again with --track-origins=yes (on the database as the first run left it):"
    "${VG[@]}" "${ORIGINS_OPTS[@]}" --log-file="$w.vg2" "$@" <"${IN:-/dev/null}" >/dev/null 2>&1
    sed 's/^/    /' "$w.vg2"
    failed
  else
    echo "  ok: $desc (exit $rc, $(awk -v a="$before" -v b="$CPU" 'BEGIN { printf "%.1f", b - a }') CPU-s)"
  fi
}
failed() { : >"$D/failed"; }

# lane TITLE FUNCTION ARGS...: FUNCTION in the background, in a folder $D of its
# own, on a copy of the main lane's database as it is now ($DB in the lane).
TITLES=()
lane() {
  local title=$1 n=${#TITLES[@]}
  shift
  if [[ -n ${VALGRIND_ONLY:-} && " $VALGRIND_ONLY " != *" $1 "* && " $VALGRIND_ONLY " != *" ${2:-} "* &&
        " $VALGRIND_ONLY " != *" ${3:-} "* ]]; then return; fi
  TITLES+=("$title")
  mkdir "$TMP/lane$n"
  if [[ -e ${DB:-} ]]; then sqlite3 "$DB" ".backup '$TMP/lane$n/v.db'" || failed; fi
  (L=lane$n D=$TMP/lane$n DB=$TMP/lane$n/v.db RUNS=0 "$@") >"$TMP/lane$n/log" 2>&1 &
}
release_main() { L=released; echo >&3; }

# ---- the web lanes: one somon serve under valgrind answers all the lane's requests ----
# web FUNCTION: starts the server on the lane's database, runs FUNCTION, stops the
# server (SIGTERM: it must exit 0, with no valgrind error and no leak). When valgrind
# reports something, the lane runs again on the database it started from with
# --track-origins=yes, and that report is printed too.
web() {
  cp "$DB" "$D/start.db"
  serve
  "$@"
  if ! unserve && [[ -z ${ORIGINS[*]} ]]; then
    echo "    the lane again with --track-origins=yes, on the database it started from:"
    cp "$D/start.db" "$DB"
    rm -f "$DB-wal" "$DB-shm"
    ORIGINS=("${ORIGINS_OPTS[@]}")
    serve
    "$@" >/dev/null 2>&1
    unserve | sed 's/^/    /'
  fi
}
# serve: somon serve on $DB, port 0, under valgrind, in the background ($SERVER, $PORT)
serve() {
  RUNS=$((RUNS + 1))
  SERVER_W=$D/run$RUNS
  cpu
  SERVER_CPU=$CPU
  take_slot
  "${VG[@]}" "${ORIGINS[@]}" --log-file="$SERVER_W.vg" "$SOMON" --db "$DB" serve --listen 127.0.0.1:0 --threads 2 \
    </dev/null >"$SERVER_W.out" 2>"$SERVER_W.err" &
  SERVER=$! PORT=
  PORT=$(listening_port "$SERVER_W.err" "$SERVER" 120)
  if [[ -z $PORT ]]; then
    echo "  FAIL: somon serve under valgrind did not announce its port; its standard error:"
    sed 's/^/    /' "$SERVER_W.err"
    failed
  fi
}
# unserve: stops the server; prints ok, or what went wrong; non-zero when valgrind reported
unserve() {
  local rc=0 i
  if kill -0 "$SERVER" 2>/dev/null; then
    kill -TERM "$SERVER"
    for ((i = 0; i < 1200; i++)); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER" 2>/dev/null && { echo "  FAIL: somon serve did not stop within 120 s of SIGTERM"; kill -KILL "$SERVER"; failed; }
  else
    echo "  FAIL: somon serve ended before its SIGTERM"
    failed
  fi
  wait "$SERVER"
  rc=$?
  give_slot
  cpu
  if [[ $rc == 99 ]] || vg_failed "$SERVER_W.vg"; then
    echo "  FAIL (valgrind): somon serve, over the requests above"
    sed 's/^/    /' "$SERVER_W.vg"
    failed
    return 1
  fi
  if [[ $rc != 0 ]] || ! grep -q '^somon: stopped$' "$SERVER_W.err"; then
    echo "  FAIL: somon serve exited with $rc after SIGTERM, expected 0 and 'stopped'; its standard error:"
    sed 's/^/    /' "$SERVER_W.err"
    failed
  else
    echo "  ok: somon serve, over the requests above (exit $rc, $(awk -v a="$SERVER_CPU" -v b="$CPU" 'BEGIN { printf "%.1f", b - a }') CPU-s)"
  fi
}

# http METHOD TARGET [BODY]: the request with the session cookie (once signed in),
# to the lane's server; the response (status line, headers, body) in $OUT
http() {
  {
    printf '%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: somon_login=T%s\r\n' "$1" "$2" \
      "${SESSION:+; somon_session=$SESSION}"
    if [[ $# -ge 3 ]]; then
      printf 'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s' "$(printf %s "$3" | wc -c)" "$3"
    else printf '\r\n'; fi
  } >"$D/request"
  send "$1 $2"
}
# send DESC: $D/request to the lane's server, the response in $OUT
send() {
  OUT=$D/response
  : >"$OUT"
  local fd
  if [[ -n $PORT ]] && exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"; then
    cat "$D/request" >&$fd
    timeout 300 cat <&$fd >"$OUT"
    exec {fd}>&-
  fi
  local status
  status=$(head -1 "$OUT" | cut -d' ' -f2)
  if [[ -z $status ]]; then echo "  FAIL: $1: no answer from the server"; failed; else echo "  $1: $status"; fi
}
# request STATUS METHOD TARGET [BODY]: http(), which must be answered with STATUS
request() {
  local want=$1
  shift
  http "$@"
  if [[ $1 == GET ]]; then cp "$OUT" "$D/page"; fi
  local got
  got=$(head -1 "$OUT" | cut -d' ' -f2)
  if [[ $got != "$want" ]]; then echo "  FAIL: $1 $2 answered $got, expected $want"; failed; fi
}
# test_http STATUS TARGET: GET TARGET through `somon test-http` (one request on
# standard input, the hidden command of the CLI tests), under valgrind of its own
test_http() {
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$2" >"$D/request"
  IN=$D/request run "GET $2 (somon test-http)" "$SOMON" --db "$DB" test-http
  local got
  got=$(head -1 "$OUT" | cut -d' ' -f2)
  if [[ $got != "$1" ]]; then echo "  FAIL: GET $2 answered $got through test-http, expected $1"; failed; fi
}
# the fields of the form posting to ACTION on the last page read, changed by NAME=VALUE arguments
fields() {
  /usr/bin/python3 - "$D/page" "$@" <<'PY'
import sys, urllib.parse
sys.path.insert(0, "tests/http")
from test_accounts import form_fields, with_values
html = open(sys.argv[1], encoding="utf-8", newline="").read().split("\r\n\r\n", 1)[1]
changes = dict(a.split("=", 1) for a in sys.argv[3:])
print(urllib.parse.urlencode(with_values(form_fields(html, sys.argv[2]), changes)), end="")
PY
}
# signs in as the administrator vg that the main lane made (SESSION)
sign_in() {
  SESSION=
  request 303 POST /login "login_token=T&login=vg&password=valgrind+password&next=%2F"
  SESSION=$(sed -n 's/^Set-Cookie: somon_session=\([^;]*\);.*/\1/p' "$OUT" | tr -d '\r')
  if [[ -z $SESSION ]]; then echo "  FAIL: no session after signing in"; failed; fi
}
AG=/agreements/SO-MECHELEN-2021

# ---- the lanes -------------------------------------------------------------------------
one() { run "$@"; } # a lane of one run
chain() { local f; for f; do "$f"; done; } # the lane functions named, one after the other
# The zip bombs of test_sheet (deflating and inflating 150 MiB: 27 of the stage's
# CPU-seconds under valgrind) and its million and one filled cells (heavy_too_many_cells,
# 24 MB of XML parsed to reach the limit: 14 CPU-seconds) are skipped here: they test
# limits (named heavy_*), on the code the other tests of test_sheet run under valgrind with small
# books; make unit runs them under ASan/UBSan.
units() { for t; do SOMON_UNIT_SKIP='heavy_*' run "$t" "$t"; done; }
reports() {
  local f
  for f in "$@"; do
    run "report coverage $f" "$SOMON" --db "$DB" report coverage --date 2025-06-30 --prognosis 2025-12-31 --format $f
    run "report annex $f" "$SOMON" --db "$DB" report annex --date 2025-06-30 --format $f
  done
}
xlsx_reports() {
  run "report coverage xlsx" "$SOMON" --db "$DB" report coverage --date 2023-06-30 --format xlsx --output "$D/c.xlsx"
  run "report coverage xlsx with footnotes" "$SOMON" --db "$DB" report coverage --date 2023-06-30 --prognosis 2023-12-31 \
    --format xlsx --output "$D/f.xlsx"
  run "report annex xlsx" "$SOMON" --db "$DB" report annex --date 2023-06-30 --format xlsx --output "$D/a.xlsx"
}
answers() {
  local f
  for f in docx html md; do
    run "report answer $f" "$SOMON" --db "$DB" report answer --date 2023-06-30 --prognosis 2023-12-31 --format $f --output "$D/answer.$f"
  done
}
refusals() {
  run "import indicators refused" "$SOMON" --db "$DB" import indicators "$TMP/bad.csv"
  run "export as known at" "$SOMON" --db "$DB" export --as-known-at 2001-01-01T00:00:00Z
  run "import refused" "$SOMON" --db "$DB" import "$TMP/bad.json"
  run "import truncated" "$SOMON" --db "$DB" import "$TMP/trunc.json"
  run "usage error" "$SOMON" --db "$DB" report coverage --date nope
  run "not a database" "$SOMON" --db "$TMP/bad.json" report coverage --date 2023-06-30
}
after_publish() {
  run "publish refused" "$SOMON" --db "$DB" publish --date 2023-06-30 --prognosis 2023-01-01 --question V
  run "editions" "$SOMON" --db "$DB" editions --format csv
  run "edition diff" "$SOMON" --db "$DB" edition diff 1
  run "import sheet --dry-run" "$SOMON" --db "$DB" import sheet --dry-run "$TMP/sheet.csv"
  run "import sheet refused" "$SOMON" --db "$DB" import sheet "$TMP/badsheet.csv"
}
# GET each target (and an anonymous POST)
routes() {
  local target
  for target; do
    if [[ $target == POST ]]; then http POST /agreements; else http GET "$target"; fi
  done
}
# evaluations and meetings in somon/1, on the register as the commands left it
followup() {
  run "import evaluations and meetings" "$SOMON" --db "$DB" import tests/cli/fixtures/followup.json
  run "export with evaluations and meetings" "$SOMON" --db "$DB" export "$D/f.json"
  run "import them unchanged" "$SOMON" --db "$DB" import "$D/f.json"
  run "import them refused" "$SOMON" --db "$DB" import tests/fuzz/import/err-followup.json
  test_http 200 /api/v1/agreements/SO-T-FOLLOWUP
  run "backup" "$SOMON" --db "$DB" backup "$D/copy.db"
  run "restore refuses" "$SOMON" --db "$D/r.db" restore "$TMP/bad.json"
}
# the forms, each lane signed in on its own copy of the register
login_refused() {
  SESSION=
  request 403 POST /login "login_token=T&login=vg&password=wrong+password&next=%2F"
  sign_in
}
new_agreement() {
  sign_in
  request 200 GET /agreements/new
  request 422 POST /agreements "$(fields /agreements id=SO-VG title=Valgrind vdab_directorate=Antwerpen status=signed)"
  request 200 GET /agreements/new
  request 303 POST /agreements "$(fields /agreements id=SO-VG title=Valgrind vdab_directorate=Antwerpen status=draft)"
  request 200 GET /agreements/SO-VG/parties/new
  request 303 POST /agreements/SO-VG/parties "$(fields /agreements/SO-VG/parties parties[0].municipality=11001)"
  # issue 12: the shared list of names a form points at (both kinds), the template kept per version
  request 200 GET "/municipalities/names.json?from=2025-01-01&to=2030-12-31"
  request 200 GET "/municipalities/names.json?by=code"
  request 200 GET /agreements/sjabloon.xlsx
  request 200 GET $AG/edit
  # issue 11: an id proposed from the query, several parties by name and by province, the approvals table
  request 200 GET "/agreements/new?title=Samen+sterk+in+de+Kempen&kind=cluster&start=2025-01-01"
  request 200 GET /agreements/SO-VG/parties/add
  request 422 POST /agreements/SO-VG/parties/add "$(fields /agreements/SO-VG/parties/add 'names=Boom, Nergenshuizen')"
  request 200 POST /agreements/SO-VG/parties/add "$(fields /agreements/SO-VG/parties/add names=Boom province=Antwerpen \
    preview=1)"
  request 303 POST /agreements/SO-VG/parties/add "$(fields /agreements/SO-VG/parties/add 'names=Boom; niel')"
  request 200 GET /agreements/SO-VG/approvals/edit
  request 303 POST /agreements/SO-VG/approvals "$(fields /agreements/SO-VG/approvals 'parties[0].approved_on=2021-03-01' \
    'parties[0].evidence.agenda_point=Punt 3')"
  request 200 GET /agreements/SO-VG
  request 303 POST /agreements/SO-VG/parties/0/remove "$(fields /agreements/SO-VG/parties/0/remove)"
}
agreement_fields() {
  sign_in
  request 200 GET $AG/edit
  request 422 POST $AG "$(fields $AG title=Gewijzigd end=2020-01-01)"
  request 303 POST $AG "$(fields $AG title=Gewijzigd)"
  request 409 POST $AG "$(fields $AG 'title=Te laat')"
  request 200 GET $AG/parties/1/edit
  request 303 POST $AG/parties/1 "$(fields $AG/parties/1 parties[1].until=2024-12-31)"
  request 200 GET $AG/edit
  request 422 POST $AG "$(fields $AG kind=stad predecessor=${AG#/agreements/})"
  request 303 POST $AG "$(fields $AG kind=cluster signed_on=2021-09-30)"
  request 200 GET $AG/parties/1/edit
  request 422 POST $AG/parties/1 "$(fields $AG/parties/1 'parties[1].decisions[0].body=gemeenteraad' \
    'parties[1].decisions[0].on=2021-09-27' 'parties[1].decisions[0].url=ftp://x')"
  request 303 POST $AG/parties/1 "$(fields $AG/parties/1 'parties[1].approved_on=' 'parties[1].decisions[0].body=gemeenteraad' \
    'parties[1].decisions[0].on=2021-09-27' 'parties[1].decisions[0].agenda_point=Punt 4' \
    'parties[1].decisions[0].url=https://example.org/besluit' 'parties[1].decisions[1].body=ocmw_raad' \
    'parties[1].decisions[1].on=2021-09-27' 'parties[1].decisions[1].approves=false')"
  request 200 GET $AG/parties/1/leave
  request 422 POST $AG/parties/1/leave "$(fields $AG/parties/1/leave parties[1].until= 'parties[1].left_reason=Opgezegd')"
  request 303 POST $AG/parties/1/leave "$(fields $AG/parties/1/leave parties[1].until=2024-06-30 \
    'parties[1].left_reason=Opgezegd bij besluit')"
}
agreement_followup() {
  sign_in
  request 200 GET $AG/plan/edit
  request 303 POST $AG/plan "$(fields $AG/plan 'action_plan[0].domains[0].actions[0].number=9.9' \
    'action_plan[0].domains[0].actions[0].status=retired' 'action_plan[0].domains[0].actions[2].number=1.3' \
    'action_plan[0].domains[0].actions[2].title=Nieuw')"
  request 200 GET $AG/governance/edit
  request 422 POST $AG/governance "$(fields $AG/governance 'governance[0].body=Stuurgroep' 'governance[0].min_meetings=x')"
  request 303 POST $AG/governance "$(fields $AG/governance 'governance[0].body=Stuurgroep')"
  request 200 GET "$AG/meetings/new"
  request 422 POST $AG/meetings "$(fields $AG/meetings held_on=nope minutes_url=ftp://x)"
  request 303 POST $AG/meetings "$(fields $AG/meetings held_on=2022-05-01 state=held decisions=Besluit \
    'attendees[0].present=1' 'guests[0].name=Gast')"
  request 200 GET $AG/meetings/1/edit
  request 303 POST $AG/meetings/1 "$(fields $AG/meetings/1 decisions=Ander)"
  request 409 POST $AG/meetings/1 "$(fields $AG/meetings/1 decisions=Laat)"
  request 200 GET "$AG/meetings.ics"
  request 200 GET $AG/notes/edit
  request 303 POST $AG/notes "$(fields $AG/notes notes=Nota)"
  request 200 GET $AG
  request 303 POST $AG/meetings/1/cancel "$(fields $AG/meetings/1/cancel)"
  request 422 POST $AG/parties/1/remove "$(fields $AG/parties/1/remove)"
}
regions() {
  sign_in
  request 200 GET /regiegebieden/new
  request 422 POST /regiegebieden "$(fields /regiegebieden id=RG-VG name=Valgrind province=Antwerpen from=2020-01-01 \
    'members[0].municipality=11009' 'members[0].from=2019-05-01')"
  request 200 GET /regiegebieden/new
  request 303 POST /regiegebieden "$(fields /regiegebieden id=RG-VG name=Valgrind province=Antwerpen from=2020-01-01 \
    'members[0].municipality=11009' 'members[0].from=2023-05-01' 'members[1].municipality=11016')"
  request 200 GET /regiegebieden/RG-VG/edit
  request 303 POST /regiegebieden/RG-VG "$(fields /regiegebieden/RG-VG name=Ander)"
  request 409 POST /regiegebieden/RG-VG "$(fields /regiegebieden/RG-VG name=Laat)"
  request 200 GET "/regiegebieden/RG-VG?date=2023-05-01"
  request 200 GET "/municipalities?date=2023-05-01&regiegebied=none&format=csv"
}
organisations() {
  sign_in
  request 200 GET /organisations
  request 200 GET /organisations/new
  request 422 POST /organisations "$(fields /organisations id=ORG-VG name=Valgrind kind=other \
    'members[0].municipality=Deinze' 'members[1].municipality=11009' 'members[1].from=2023-05-01' 'members[1].until=2023-01-01')"
  request 200 GET /organisations/new
  request 303 POST /organisations "$(fields /organisations id=ORG-VG name=Valgrind kind=other \
    'members[0].municipality=Brecht' 'members[0].from=2023-05-01' 'members[1].municipality=11016')"
  request 200 GET /organisations/ORG-VG/edit
  request 303 POST /organisations/ORG-VG "$(fields /organisations/ORG-VG name=Ander)"
  request 409 POST /organisations/ORG-VG "$(fields /organisations/ORG-VG name=Laat)"
  request 200 GET "/organisations/ORG-VG?date=2023-05-01"
}
cooperations() {
  sign_in
  # cooperations and the outreach log (issue 10)
  request 200 GET "/cooperations/new?municipality=13008"
  request 422 POST /cooperations "$(fields /cooperations municipality=13008 kind=zitdag title=Zitdag from=2023-05-01 until=2023-04-01)"
  request 200 GET "/cooperations/new?municipality=13008"
  request 303 POST /cooperations "$(fields /cooperations id=CO-VG municipality=13008 kind=zitdag title=Zitdag from=2023-05-01)"
  request 200 GET /cooperations/CO-VG/edit
  request 303 POST /cooperations/CO-VG "$(fields /cooperations/CO-VG title=Ander)"
  request 409 POST /cooperations/CO-VG "$(fields /cooperations/CO-VG title=Laat)"
  request 200 GET /cooperations/CO-VG/end
  request 303 POST /cooperations/CO-VG/end "$(fields /cooperations/CO-VG/end until=2023-12-31)"
  request 200 GET /municipalities/13008/outreach/new
  request 422 POST /municipalities/13008/outreach "$(fields /municipalities/13008/outreach on= stage=exploring)"
  request 200 GET /municipalities/13008/outreach/new
  request 303 POST /municipalities/13008/outreach "$(fields /municipalities/13008/outreach on=2023-05-10 stage=exploring note=Gesprek)"
  request 409 POST /municipalities/13008/outreach "$(fields /municipalities/13008/outreach on=2023-05-11 stage=joined)"
  request 200 GET "/municipalities/13008?date=2023-06-30"
  request 200 GET "/cooperations?date=2023-06-30&kind=zitdag&format=xlsx"
  request 200 GET "/municipalities?date=2023-06-30&outreach=exploring&format=csv"
}
editions() {
  sign_in
  # published editions (issue 10): the form, bad input, a publication, a stale form, the pages
  request 200 GET "/editions/new?date=2023-06-30&prognosis=2023-12-31"
  request 422 POST /editions "$(fields /editions question= prognosis=2023-01-01)"
  request 200 GET "/editions/new?date=2023-06-30&prognosis=2023-12-31"
  request 303 POST /editions "$(fields /editions question=Vraag 'notes[4]=Limburg')"
  request 409 POST /editions "$(fields /editions question=Laat)"
  request 200 GET /editions
  request 200 GET /editions/1
  request 200 GET "/?date=2023-06-30"
  request 200 GET "/history?agreement=SO-MECHELEN-2021&format=csv"
  request 200 GET /history
}
accounts() {
  sign_in
  request 200 GET /accounts
  request 422 POST /accounts "$(fields /accounts login=nieuw role=vdab scope=Brabant password=kort)"
  request 303 POST /accounts "$(fields /accounts login=nieuw role=vdab scope=Limburg 'password=lang genoeg wachtwoord')"
  request 200 GET /accounts
  request 303 POST /accounts/nieuw "$(fields /accounts/nieuw)"
  request 409 POST /accounts/nieuw "$(fields /accounts/nieuw)"
  request 200 GET /accounts
  request 422 POST /accounts/vg "$(fields /accounts/vg)"
}
upload() {
  sign_in
  # the spreadsheet upload: a preview from a multipart file, then its confirmation
  request 200 GET /agreements/upload
  CSRF=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$D/page" | head -1)
  { printf -- '--vgXyZ\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n%s\r\n--vgXyZ\r\n' "$CSRF"
    printf 'Content-Disposition: form-data; name="bestand"; filename="blad.csv"\r\n\r\n'
    sed 's/SO-VG-SHEET;Blad/SO-VG-WEB;Web/' "$TMP/sheet.csv"
    printf '\r\n--vgXyZ--\r\n'; } >"$D/body"
  { printf 'POST /agreements/upload HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n'
    printf 'Cookie: somon_login=T; somon_session=%s\r\n' "$SESSION"
    printf 'Content-Type: multipart/form-data; boundary=vgXyZ\r\nContent-Length: %d\r\n\r\n' "$(wc -c <"$D/body")"
    cat "$D/body"; } >"$D/request"
  send "POST /agreements/upload (preview)"
  cp "$OUT" "$D/page"
  if ! grep -q '^HTTP/1.1 200' "$OUT"; then echo "  FAIL: the preview answered $(head -1 "$OUT")"; failed; fi
  request 303 POST /agreements/upload "$(fields /agreements/upload)"
  request 303 POST /logout "$(fields /logout)"
}

# ---- the order of things ---------------------------------------------------------------
# The unit tests first, in three lanes: they need nothing else.
for ((k = 0; k < 3; k++)); do
  mine=()
  for ((i = k; i < $#; i += 3)); do mine+=("${@:i+1:1}"); done
  ((${#mine[@]})) && lane "unit tests" units "${mine[@]}"
done
# The main lane builds the register every other lane copies: with every import, a
# publication and a sheet.
{
  DB=$D/v.db
  run "init" "$SOMON" --db "$DB" init
  run "import demo" "$SOMON" --db "$DB" import data/demo/*.json tests/cli/fixtures/rules.json
  run "import indicators" "$SOMON" --db "$DB" import indicators --synthetic data/demo/indicators-synthetic.csv
  printf 'nis,period,indicator,value\n99999,2023-13,x,y\n44040,2025,nwwz,1\n44040,2025,nwwz,1\n' >"$TMP/bad.csv"
  printf '{"format": "somon/1", "agreements": [{"id": "X", "parties": [{"municipality": "99999"}], "extra": 1}]}' >"$TMP/bad.json"
  head -c 3000 data/demo/agreement-mechelen.json >"$TMP/trunc.json"
  # agreements from a sheet (issue 11): a dry run, a refusal at its cells, an import
  printf 'overeenkomst;titel;directie;status;begin;einde;gemeente;goedgekeurd_op\r\nSO-VG-SHEET;Blad;Limburg;ondertekend;1/03/2021;31/12/2025;Hasselt;15/02/2021\r\n' >"$TMP/sheet.csv"
  printf 'overeenkomst,titel,directie,status,gemeente\nSO-VG-BAD,X,Limbrug,klaar,Haselt\n' >"$TMP/badsheet.csv"
  lane "commands that refuse" refusals
  run "import indicator definitions" "$SOMON" --db "$DB" import indicator-definitions data/indicators.csv
  lane "reports" reports text csv json
  lane "reports" reports md html
  lane "reports" xlsx_reports
  lane "reports" answers
  run "export" "$SOMON" --db "$DB" export "$D/e.json"
  run "import unchanged" "$SOMON" --db "$DB" import "$D/e.json"
  run "publish" "$SOMON" --db "$DB" publish --date 2023-06-30 --prognosis 2023-12-31 --question V --note Limburg=N
  lane "editions and sheets" after_publish
  run "import sheet" "$SOMON" --db "$DB" import sheet "$TMP/sheet.csv"
  printf 'valgrind password\n' >"$D/password"
  SOMON_TEST_FAST_HASH=1 IN=$D/password run "user add" "$SOMON" --db "$DB" user add vg --role admin
  run "user list" "$SOMON" --db "$DB" user list
  run "history" "$SOMON" --db "$DB" history SO-MECHELEN-2021
} >"$D/log" 2>&1
DB=$D/v.db
release_main
# every route, on one server
lane "every route (somon serve)" web routes \
  "/?date=2023-06-30&prognosis=2023-12-31" "/?date=2025-06-30&format=csv" "/?date=2023-06-30&format=xlsx" \
  "/agreements?sort=end&order=desc&q=sterk" "/agreements?format=csv" "/agreements/SO-MECHELEN-2021" \
  "/agreements/SO-SCHELDELAND-2021?as_known_at=2001-01-01T00:00:00Z" "/agreements/NOPE" \
  "/municipalities?date=2025-06-30&province=Oost-Vlaanderen&state=partial" "/municipalities/44088?date=2025-06-30" \
  "/municipalities?date=2023-06-30&state=signed_no_start" "/regiegebieden/RG-KINA?date=2023-06-30" \
  "/municipalities/11002" "/provinces/Antwerpen?date=2025-01-01" "/regiegebieden?date=2023-06-30" \
  "/regiegebieden/RG-T-WVL" "/annex?date=2025-06-30&province=Antwerpen" "/annex?date=2023-06-30&format=xlsx" \
  "/static/somon.css" "/healthz" "/indicators" "/provinces/Limburg/indicators?format=xlsx" POST \
  "/regiegebieden/RG-SCHELDELAND/indicators" "/agreements/SO-SCHELDELAND-2021/indicators?format=csv" \
  "/indicators?indicator=nope" "/api/v1/indicators?province=Limburg" "/api/v1/coverage?date=2023-06-30&prognosis=2023-12-31" \
  "/api/v1/coverage?date=2023-06-30&format=csv" "/api/v1/agreements" "/api/v1/agreements/SO-T-LATE" \
  "/api/v1/municipalities?date=2025-01-01" "/api/v1/municipalities/46029" "/api/v1/regiegebieden" \
  "/api/v1/openapi.json" "/api/v1/coverage?date=bad" "/%zz" "/?date=%3Cscript%3E" \
  "/governance?date=2023-06-30" "/governance?state=behind&format=xlsx" "/agreements/SO-SCHELDELAND-2021/meetings.ics" \
  "/organisations/IVSES/meetings.ics" "/municipalities/12025/meetings.ics" \
  "/answer?date=2023-06-30&prognosis=2023-12-31" "/answer?date=2025-06-30&prognosis=2025-12-31&format=docx"
# accounts and every form, signed in: three servers, each running forms that leave
# each other alone one after the other (the two that edit $AG apart; the wrong
# password and the sign-out last)
FORMS="accounts and every form, signed in (somon serve)"
lane "$FORMS" web chain agreement_followup regions editions login_refused
lane "$FORMS" web chain agreement_fields organisations accounts
lane "$FORMS" web chain new_agreement cooperations upload
lane "evaluations and meetings in somon/1, backup and restore" followup
wait

failed=0
echo "== valgrind: commands"
cat "$TMP/main/log"
[[ -e $TMP/main/failed ]] && failed=1
last=
for i in "${!TITLES[@]}"; do
  [[ ${TITLES[i]} == "$last" ]] || echo "== valgrind: ${TITLES[i]}"
  last=${TITLES[i]}
  cat "$TMP/lane$i/log"
  [[ -e $TMP/lane$i/failed ]] && failed=1
done
runs=$(find "$TMP" -name 'run*.vg' | wc -l)
echo "valgrind: $runs runs, $JOBS at a time, $((SECONDS - started)) s"
if ((failed)); then echo "valgrind: FAILED"; fi
exit $failed
