#!/usr/bin/env bash
# Every change keeps who, when and each field's old and new value: `somon
# history ID` prints them oldest first, /history shows them newest first, and
# anonymous readers of /history never see who made a change.
source tests/cli/lib.sh
export TZ=UTC # history prints local time; fixed here so moments can be compared
fresh_db
check_exit "import version 1" 0 somon --actor importeur.jan import "$FIX/rules.json"
# alice moves the start of Melle en Merelbeke (start 2021-10-01 is only in that agreement)
sed 's/"start": "2021-10-01"/"start": "2024-01-01"/' "$FIX/rules.json" >"$TMP/v2.json"
check_exit "alice's correction" 0 somon --actor alice.vermeulen import "$TMP/v2.json"
check_contains "one agreement replaced" "1 replaced" "$OUT"
# bob renames it, moves its end and the approval of Melle (44040)
sed -e 's/"start": "2021-10-01", "end": "2025-12-31"/"start": "2024-01-01", "end": "2026-06-30"/' \
    -e 's/"title": "Melle en Merelbeke"/"title": "Melle-Merelbeke"/' \
    -e 's/"approved_on": "2021-09-20"/"approved_on": "2021-09-21"/' "$FIX/rules.json" >"$TMP/v3.json"
check_exit "bob's correction" 0 somon --actor bob.peeters import "$TMP/v3.json"
check_contains "one agreement replaced" "1 replaced" "$OUT"

# the moments of the three imports (changes 2, 3 and 4; change 1 loaded the reference data)
moment() { sqlite3 "$DB" "SELECT moment FROM change WHERE id = $1"; }
local_form() { echo "${1:0:10} ${1:11:8} UTC"; } # 2024-05-01T10:00:00.123456Z → 2024-05-01 10:00:00 UTC
T1=$(moment 2) T2=$(moment 3) T3=$(moment 4)
check_eq "the imports are changes 2-4" "import import import" \
  "$(sqlite3 "$DB" 'SELECT action FROM change WHERE id IN (2, 3, 4) ORDER BY id' | tr '\n' ' ' | sed 's/ $//')"

# ---- somon history -----------------------------------------------------------
check_exit "history" 0 somon history SO-T-MERELBEKE
expected="SO-T-MERELBEKE (Melle-Merelbeke): 3 versions, oldest first
$(local_form "$T1")  importeur.jan  import: $FIX/rules.json
  first version
$(local_form "$T2")  alice.vermeulen  import: $TMP/v2.json
  begin: 2021-10-01 → 2024-01-01
$(local_form "$T3")  bob.peeters  import: $TMP/v3.json
  titel: Melle en Merelbeke → Melle-Merelbeke
  einde: 2025-12-31 → 2026-06-30
  partijen › 44040 › goedgekeurd op: 2021-09-20 → 2021-09-21"
check_eq "every version, who, when and each changed field, in order" "$expected" "$OUT"

check_exit "history as known at alice's change" 0 somon history SO-T-MERELBEKE --as-known-at "$T2"
check_contains "two versions then" "(Melle en Merelbeke): 2 versions" "$OUT"
check_not_contains "bob's change was not known yet" "bob.peeters" "$OUT"
check_exit "option before the id" 0 somon history --as-known-at "$T1" SO-T-MERELBEKE
check_contains "one version then" "1 version, oldest first" "$OUT"

check_exit "an agreement never changed" 0 somon history SO-T-LOKEREN
check_eq "one version" "SO-T-LOKEREN (Lokeren zonder Moerbeke): 1 version, oldest first" "$(head -1 <<<"$OUT")"

check_exit "no such agreement" 66 somon history SO-NOPE
check_eq "one clear line" "somon: there is no agreement 'SO-NOPE' in $DB; 'somon export' lists every agreement" "$ERR"
check_exit "not yet known" 66 somon history SO-T-MERELBEKE --as-known-at 2001-01-01T00:00:00Z
check_contains "says as known at" "as known at 2001-01-01T00:00:00Z" "$ERR"
check_exit "no id" 64 somon history
check_exit "two ids" 64 somon history SO-T-MERELBEKE SO-T-LOKEREN
check_exit "bad moment" 64 somon history SO-T-MERELBEKE --as-known-at yesterday
check_exit "missing database" 66 "$SOMON" --db "$TMP/none.db" history SO-T-MERELBEKE

# an account change (its detail names a person: never shown anonymously)
printf 'correct horse battery staple\n' >"$TMP/pw"
check_exit "account" 0 env SOMON_TEST_FAST_HASH=1 "$SOMON" --db "$DB" --actor root.admin user add carla.claes --role viewer <"$TMP/pw"

# ---- /history through the real dispatcher (anonymous) ---------------------------
# get TARGET: the response of one GET in OUT (headers and body)
get() {
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$1" >"$TMP/request"
  check_exit "GET $1" 0 somon test-http <"$TMP/request"
}
get /history
check_contains "200" "HTTP/1.1 200" "$OUT"
check_contains "bob's title" "titel: <del>Melle en Merelbeke</del> → <ins>Melle-Merelbeke</ins>" "$OUT"
check_contains "bob's end (dates as the pages write them)" "einde: <del>31/12/2025</del> → <ins>30/06/2026</ins>" "$OUT"
check_contains "bob's approval" "partijen › Melle › goedgekeurd op: <del>20/09/2021</del> → <ins>21/09/2021</ins>" "$OUT"
check_contains "alice's start" "begin: <del>01/10/2021</del> → <ins>01/01/2024</ins>" "$OUT"
check_contains "first versions" "<span class=\"id\">SO-T-LOKEREN</span>: eerste versie" "$OUT"
check_contains "a link to the register as known at bob's change" "href=\"/?as_known_at=${T3//:/%3A}\"" "$OUT"
check_contains "the agreement as known then" "href=\"/agreements/SO-T-MERELBEKE?as_known_at=${T2//:/%3A}\"" "$OUT"
check_contains "four changes (the account one is not public)" "4 wijzigingen gevonden" "$OUT"
for who in importeur.jan alice.vermeulen bob.peeters root.admin carla.claes; do
  check_not_contains "anonymous readers do not see $who" "$who" "$OUT"
done
check_not_contains "no actor filter for anonymous readers" 'name="actor"' "$OUT"
# newest first: bob's change (4) before alice's (3) before the import (2)
check_eq "newest first" "change-4 change-3 change-2 change-1" \
  "$(grep -o 'id="change-[0-9]*"' <<<"$OUT" | tr -d '"' | sed 's/id=//' | tr '\n' ' ' | sed 's/ $//')"

get "/history?agreement=SO-T-MERELBEKE&action=import"
check_contains "three changes wrote Melle en Merelbeke" "3 wijzigingen gevonden" "$OUT"
check_not_contains "only that agreement's versions" "SO-T-LOKEREN" "$OUT"
get "/history?action=account"
check_contains "no account changes for anonymous readers" "0 wijzigingen gevonden" "$OUT"
get "/history?actor=bob.peeters"
check_contains "the actor filter is ignored for anonymous readers" "4 wijzigingen gevonden" "$OUT"
get "/history?as_known_at=$T2"
check_contains "as known at alice's change" "3 wijzigingen gevonden" "$OUT"
check_not_contains "bob's change was not known yet" "Melle-Merelbeke" "$(sed -n '/<main/,$p' <<<"$OUT")"
today=$(date +%Y-%m-%d)
get "/history?from=$today&to=$today"
check_contains "today's changes" "4 wijzigingen gevonden van $(date +%d/%m/%Y) tot en met $(date +%d/%m/%Y)" "$OUT"
get "/history?to=2001-01-01"
check_contains "none before" "0 wijzigingen gevonden tot en met 01/01/2001" "$OUT"
get "/history?action=delete"
check_contains "an unknown action is refused" "HTTP/1.1 400" "$OUT"
get "/history?page=x"
check_contains "a bad page is refused" "HTTP/1.1 400" "$OUT"

get "/history?format=csv"
check_contains "csv" "Content-Type: text/csv" "$OUT"
# for people: Excel in nl-BE (BOM, ';'), Dutch headers, words and dates (docs/downloads.md)
check_contains "csv header" $'\xef\xbb\xbfMoment (UTC);Door;Wat;Toelichting;Overeenkomst;Veld;Oud;Nieuw' "$OUT"
check_contains "one row per changed field, no actor" "$T3;;Import;;SO-T-MERELBEKE;titel;Melle en Merelbeke;Melle-Merelbeke" "$OUT"
check_contains "alice's row" "$T2;;Import;;SO-T-MERELBEKE;begin;01/10/2021;01/01/2024" "$OUT"
check_not_contains "no names in the csv" "alice.vermeulen" "$OUT"
printf 'GET /history?format=xlsx HTTP/1.1\r\nHost: localhost\r\n\r\n' | somon test-http >"$TMP/xlsx" 2>&1
check_contains "xlsx" "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" \
  "$(grep -a '^Content-Type' "$TMP/xlsx")"

# history cannot be edited or deleted through the web
printf 'POST /history HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n' >"$TMP/request"
check_exit "POST /history" 0 somon test-http <"$TMP/request"
check_contains "read only" "HTTP/1.1 405" "$OUT"
finish
