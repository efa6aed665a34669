#!/usr/bin/env bash
# Runs the unit tests and the main commands under valgrind (the release
# build: valgrind and AddressSanitizer do not mix). Any error or leak fails.
# usage: SOMON=build/test/somon tests/valgrind.sh build/rel/test_*
set -u
: "${SOMON:?set SOMON to the release configuration with the test switches (build/test/somon: SOMON_TEST_FAST_HASH makes an account)}"
# The command line is Dutch by default (docs/language.md); these tests read its
# English messages. The web stays Dutch whatever the language.
export LANGUAGE=en
VG=(valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failed=0
run() {
  local desc=$1
  shift
  "${VG[@]}" --log-file="$TMP/vg.log" "$@" >"$TMP/out" 2>"$TMP/err"
  local rc=$?
  if [[ $rc == 99 ]] || grep -q "ERROR SUMMARY: [1-9]\|definitely lost\|indirectly lost\|possibly lost" "$TMP/vg.log"; then
    echo "  FAIL (valgrind): $desc"
    sed 's/^/    /' "$TMP/vg.log" | head -40
    failed=1
  else
    echo "  ok: $desc (exit $rc)"
  fi
}
echo "== valgrind: unit tests"
for t in "$@"; do run "$t" "$t"; done
echo "== valgrind: commands"
DB="$TMP/v.db"
run "init" "$SOMON" --db "$DB" init
run "import demo" "$SOMON" --db "$DB" import data/demo/*.json tests/cli/fixtures/rules.json
run "import indicators" "$SOMON" --db "$DB" import indicators --synthetic data/demo/indicators-synthetic.csv
printf 'nis,period,indicator,value\n99999,2023-13,x,y\n44040,2025,nwwz,1\n44040,2025,nwwz,1\n' >"$TMP/bad.csv"
run "import indicators refused" "$SOMON" --db "$DB" import indicators "$TMP/bad.csv"
run "import indicator definitions" "$SOMON" --db "$DB" import indicator-definitions data/indicators.csv
for f in text csv json md html; do
  run "report coverage $f" "$SOMON" --db "$DB" report coverage --date 2025-06-30 --prognosis 2025-12-31 --format $f
  run "report annex $f" "$SOMON" --db "$DB" report annex --date 2025-06-30 --format $f
done
run "report coverage xlsx" "$SOMON" --db "$DB" report coverage --date 2023-06-30 --format xlsx --output "$TMP/c.xlsx"
run "report coverage xlsx with footnotes" "$SOMON" --db "$DB" report coverage --date 2023-06-30 --prognosis 2023-12-31 \
  --format xlsx --output "$TMP/f.xlsx"
run "report annex xlsx" "$SOMON" --db "$DB" report annex --date 2023-06-30 --format xlsx --output "$TMP/a.xlsx"
for f in docx html md; do
  run "report answer $f" "$SOMON" --db "$DB" report answer --date 2023-06-30 --prognosis 2023-12-31 --format $f --output "$TMP/answer.$f"
done
run "export" "$SOMON" --db "$DB" export "$TMP/e.json"
run "export as known at" "$SOMON" --db "$DB" export --as-known-at 2001-01-01T00:00:00Z
run "import unchanged" "$SOMON" --db "$DB" import "$TMP/e.json"
printf '{"format": "somon/1", "agreements": [{"id": "X", "parties": [{"municipality": "99999"}], "extra": 1}]}' >"$TMP/bad.json"
run "import refused" "$SOMON" --db "$DB" import "$TMP/bad.json"
head -c 3000 data/demo/agreement-mechelen.json >"$TMP/trunc.json"
run "import truncated" "$SOMON" --db "$DB" import "$TMP/trunc.json"
run "usage error" "$SOMON" --db "$DB" report coverage --date nope
run "publish" "$SOMON" --db "$DB" publish --date 2023-06-30 --prognosis 2023-12-31 --question V --note Limburg=N
run "publish refused" "$SOMON" --db "$DB" publish --date 2023-06-30 --prognosis 2023-01-01 --question V
run "editions" "$SOMON" --db "$DB" editions --format csv
run "edition diff" "$SOMON" --db "$DB" edition diff 1
run "not a database" "$SOMON" --db "$TMP/bad.json" report coverage --date 2023-06-30
# agreements from a sheet (issue 11): a dry run, a refusal at its cells, an import
printf 'overeenkomst;titel;directie;status;begin;einde;gemeente;goedgekeurd_op\r\nSO-VG-SHEET;Blad;Limburg;ondertekend;1/03/2021;31/12/2025;Hasselt;15/02/2021\r\n' >"$TMP/sheet.csv"
printf 'overeenkomst,titel,directie,status,gemeente\nSO-VG-BAD,X,Limbrug,klaar,Haselt\n' >"$TMP/badsheet.csv"
run "import sheet --dry-run" "$SOMON" --db "$DB" import sheet --dry-run "$TMP/sheet.csv"
run "import sheet refused" "$SOMON" --db "$DB" import sheet "$TMP/badsheet.csv"
run "import sheet" "$SOMON" --db "$DB" import sheet "$TMP/sheet.csv"
echo "== valgrind: every route through the HTTP dispatcher (somon test-http)"
for target in "/?date=2023-06-30&prognosis=2023-12-31" "/?date=2025-06-30&format=csv" "/?date=2023-06-30&format=xlsx" \
  "/agreements?sort=end&order=desc&q=sterk" "/agreements?format=csv" "/agreements/SO-MECHELEN-2021" \
  "/agreements/SO-SCHELDELAND-2021?as_known_at=2001-01-01T00:00:00Z" "/agreements/NOPE" \
  "/municipalities?date=2025-06-30&province=Oost-Vlaanderen&state=partial" "/municipalities/44088?date=2025-06-30" \
  "/municipalities?date=2023-06-30&state=signed_no_start" "/regiegebieden/RG-KINA?date=2023-06-30" \
  "/municipalities/11002" "/provinces/Antwerpen?date=2025-01-01" "/regiegebieden?date=2023-06-30" \
  "/regiegebieden/RG-T-WVL" "/annex?date=2025-06-30&province=Antwerpen" "/annex?date=2023-06-30&format=xlsx" \
  "/static/somon.css" "/healthz" "/indicators" "/provinces/Limburg/indicators?format=xlsx" \
  "/regiegebieden/RG-SCHELDELAND/indicators" "/agreements/SO-SCHELDELAND-2021/indicators?format=csv" \
  "/indicators?indicator=nope" "/api/v1/indicators?province=Limburg" "/api/v1/coverage?date=2023-06-30&prognosis=2023-12-31" \
  "/api/v1/coverage?date=2023-06-30&format=csv" "/api/v1/agreements" "/api/v1/agreements/SO-T-LATE" \
  "/api/v1/municipalities?date=2025-01-01" "/api/v1/municipalities/46029" "/api/v1/regiegebieden" \
  "/api/v1/openapi.json" "/api/v1/coverage?date=bad" "/%zz" "/?date=%3Cscript%3E" \
  "/governance?date=2023-06-30" "/governance?state=behind&format=xlsx" "/agreements/SO-SCHELDELAND-2021/meetings.ics" \
  "/organisations/IVSES/meetings.ics" "/municipalities/12025/meetings.ics" \
  "/answer?date=2023-06-30&prognosis=2023-12-31" "/answer?date=2025-06-30&prognosis=2025-12-31&format=docx"; do
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$target" >"$TMP/request"
  run "GET $target" sh -c '"$0" --db "$1" test-http <"$2"' "$SOMON" "$DB" "$TMP/request"
done
printf 'POST /agreements HTTP/1.1\r\nHost: localhost\r\n\r\n' >"$TMP/request"
run "POST /agreements" sh -c '"$0" --db "$1" test-http <"$2"' "$SOMON" "$DB" "$TMP/request"

echo "== valgrind: accounts and every form, signed in (somon test-http)"
run "user add" sh -c 'printf "valgrind password\n" | SOMON_TEST_FAST_HASH=1 "$0" --db "$1" user add vg --role admin' \
  "$SOMON" "$DB"
run "user list" "$SOMON" --db "$DB" user list
run "history" "$SOMON" --db "$DB" history SO-MECHELEN-2021
# request STATUS METHOD TARGET [BODY]: a request with the session cookie (once
# signed in), which must be answered with STATUS
request() {
  local want=$1
  shift
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nCookie: somon_login=T%s\r\n' "$1" "$2" "${SESSION:+; somon_session=$SESSION}" \
    >"$TMP/request"
  if [[ $# -ge 3 ]]; then printf 'Content-Type: application/x-www-form-urlencoded\r\n\r\n%s' "$3" >>"$TMP/request"
  else printf '\r\n' >>"$TMP/request"; fi
  run "$1 $2" sh -c '"$0" --db "$1" test-http <"$2"' "$SOMON" "$DB" "$TMP/request"
  if [[ $1 == GET ]]; then cp "$TMP/out" "$TMP/page"; fi
  local got
  got=$(head -1 "$TMP/out" | cut -d' ' -f2)
  if [[ $got != "$want" ]]; then echo "  FAIL: $1 $2 answered $got, expected $want"; failed=1; fi
}
# the fields of the form posting to ACTION on the last page read, changed by NAME=VALUE arguments
fields() {
  /usr/bin/python3 - "$TMP/page" "$@" <<'PY'
import sys, urllib.parse
sys.path.insert(0, "tests/http")
from test_accounts import form_fields, with_values
html = open(sys.argv[1], encoding="utf-8", newline="").read().split("\r\n\r\n", 1)[1]
changes = dict(a.split("=", 1) for a in sys.argv[3:])
print(urllib.parse.urlencode(with_values(form_fields(html, sys.argv[2]), changes)), end="")
PY
}
SESSION=
request 403 POST /login "login_token=T&login=vg&password=wrong+password&next=%2F"
request 303 POST /login "login_token=T&login=vg&password=valgrind+password&next=%2F"
SESSION=$(sed -n 's/^Set-Cookie: somon_session=\([^;]*\);.*/\1/p' "$TMP/out" | tr -d '\r')
if [[ -z $SESSION ]]; then echo "  FAIL: no session after signing in"; failed=1; fi
AG=/agreements/SO-MECHELEN-2021
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
request 200 GET /agreements/SO-VG
request 303 POST /agreements/SO-VG/parties/0/remove "$(fields /agreements/SO-VG/parties/0/remove)"
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
request 200 GET /accounts
request 422 POST /accounts "$(fields /accounts login=nieuw role=vdab scope=Brabant password=kort)"
request 303 POST /accounts "$(fields /accounts login=nieuw role=vdab scope=Limburg 'password=lang genoeg wachtwoord')"
request 200 GET /accounts
request 303 POST /accounts/nieuw "$(fields /accounts/nieuw)"
request 409 POST /accounts/nieuw "$(fields /accounts/nieuw)"
request 200 GET /accounts
request 422 POST /accounts/vg "$(fields /accounts/vg)"
# the spreadsheet upload: a preview from a multipart file, then its confirmation
request 200 GET /agreements/upload
CSRF=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$TMP/page" | head -1)
{ printf 'POST /agreements/upload HTTP/1.1\r\nHost: localhost\r\nCookie: somon_login=T; somon_session=%s\r\n' "$SESSION"
  printf 'Content-Type: multipart/form-data; boundary=vgXyZ\r\n\r\n--vgXyZ\r\n'
  printf 'Content-Disposition: form-data; name="csrf"\r\n\r\n%s\r\n--vgXyZ\r\n' "$CSRF"
  printf 'Content-Disposition: form-data; name="bestand"; filename="blad.csv"\r\n\r\n'
  sed 's/SO-VG-SHEET;Blad/SO-VG-WEB;Web/' "$TMP/sheet.csv"
  printf '\r\n--vgXyZ--\r\n'; } >"$TMP/request"
run "POST /agreements/upload (preview)" sh -c '"$0" --db "$1" test-http <"$2"' "$SOMON" "$DB" "$TMP/request"
cp "$TMP/out" "$TMP/page"
if ! grep -q '^HTTP/1.1 200' "$TMP/out"; then echo "  FAIL: the preview answered $(head -1 "$TMP/out")"; failed=1; fi
request 303 POST /agreements/upload "$(fields /agreements/upload)"
request 303 POST /logout "$(fields /logout)"
# evaluations and meetings in somon/1 (after the forms above, whose meeting numbers they would take)
run "import evaluations and meetings" "$SOMON" --db "$DB" import tests/cli/fixtures/followup.json
run "export with evaluations and meetings" "$SOMON" --db "$DB" export "$TMP/f.json"
run "import them unchanged" "$SOMON" --db "$DB" import "$TMP/f.json"
run "import them refused" "$SOMON" --db "$DB" import tests/fuzz/import/err-followup.json
SESSION=
request 200 GET /api/v1/agreements/SO-T-FOLLOWUP
run "backup" "$SOMON" --db "$DB" backup "$TMP/copy.db"
run "restore refuses" "$SOMON" --db "$TMP/r.db" restore "$TMP/bad.json"
exit $failed
