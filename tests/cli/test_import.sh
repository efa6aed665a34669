#!/usr/bin/env bash
# somon import: all or nothing, every problem named with its JSON path.
source tests/cli/lib.sh
demo_db
check_eq "demo: five agreements (seeds 000-002, Mechelen 2017, Gent 2007)" 5 "$(sqlite3 "$DB" 'SELECT count(*) FROM agreement WHERE rec_until IS NULL')"
check_eq "demo: the actor is recorded" "demo" "$(sqlite3 "$DB" "SELECT actor FROM change WHERE action = 'import'")"
somon export >"$TMP/before.json"
base_changes=$(changes)

# refuse DESCRIPTION EXPECTED_MESSAGE JSON: the import fails with 65, says
# the message, and the database is exactly as before.
refuse() {
  printf '%s' "$3" >"$TMP/bad.json"
  check_exit "$1: refused" 65 somon import "$TMP/bad.json"
  check_contains "$1: message" "$2" "$ERR"
  check_contains "$1: nothing changed" "nothing was changed" "$ERR"
  check_eq "$1: no change recorded" "$base_changes" "$(changes)"
}

A='"id": "SO-X", "title": "X", "vdab_directorate": "Antwerpen", "status": "signed"'
refuse "unknown NIS" "agreements[0].parties[1].municipality: unknown NIS code 99999" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"start\": \"2021-01-01\", \"end\": \"2025-12-31\", \"parties\": [{\"municipality\": \"11001\"}, {\"municipality\": \"99999\"}]}]}"
refuse "not a NIS code" "agreements[0].parties[0].municipality: '1100' is not a NIS code" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"parties\": [{\"municipality\": \"1100\"}]}]}"
refuse "municipality that no longer existed" "municipality 11007 (Borsbeek) did not exist on 2025-02-01" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"start\": \"2025-02-01\", \"end\": \"2030-12-31\", \"parties\": [{\"municipality\": \"11007\"}]}]}"
refuse "municipality that did not exist yet" "municipality 44088 (Merelbeke-Melle) did not exist on 2024-06-01" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"start\": \"2024-06-01\", \"end\": \"2025-12-31\", \"parties\": [{\"municipality\": \"44088\"}]}]}"
refuse "end before start" "agreements[0].end: before start" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"start\": \"2021-01-01\", \"end\": \"2020-12-31\", \"parties\": []}]}"
refuse "party until before from" "agreements[0].parties[0].until: before from" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"start\": \"2021-01-01\", \"parties\": [{\"municipality\": \"11001\", \"from\": \"2022-01-01\", \"until\": \"2021-12-31\"}]}]}"
refuse "duplicate id" "agreements[1].id: duplicate id 'SO-X' (also [0])" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"parties\": []}, {$A, \"parties\": []}]}"
refuse "wrong type" "agreements[0].start: expected a date (YYYY-MM-DD), found a whole number" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"start\": 20210101, \"parties\": []}]}"
refuse "wrong type of list" "agreements[0].parties: expected a list, found an object" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"parties\": {}}]}"
refuse "missing required field" "agreements[0].title: required; give a text" \
  '{"format": "somon/1", "agreements": [{"id": "SO-X", "vdab_directorate": "Antwerpen", "status": "signed", "parties": []}]}'
refuse "impossible date" "agreements[0].start: '2023-02-29' is not a date" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"start\": \"2023-02-29\", \"parties\": []}]}"
refuse "unknown field with a suggestion" "agreements[0].parties[0].expected_form: unknown field; did you mean 'expected_from'?" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"parties\": [{\"municipality\": \"11001\", \"expected_form\": \"2024-01-01\"}]}]}"
refuse "bad status" "agreements[0].status: 'approved' is not a status" \
  '{"format": "somon/1", "agreements": [{"id": "SO-X", "title": "X", "vdab_directorate": "Antwerpen", "status": "approved", "parties": []}]}'
refuse "bad province" "agreements[0].vdab_directorate: 'Brussel' is not a Flemish province" \
  '{"format": "somon/1", "agreements": [{"id": "SO-X", "title": "X", "vdab_directorate": "Brussel", "status": "draft", "parties": []}]}'
refuse "unknown organisation" "agreements[0].parties[0].organisation: unknown organisation 'NOPE'" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"parties\": [{\"organisation\": \"NOPE\"}]}]}"
refuse "unknown regiegebied" "agreements[0].regiegebied: unknown regiegebied 'RG-NOPE'" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"regiegebied\": \"RG-NOPE\", \"parties\": []}]}"
refuse "terminated without a date" "agreements[0].terminated_on: required with status terminated" \
  '{"format": "somon/1", "agreements": [{"id": "SO-X", "title": "X", "vdab_directorate": "Antwerpen", "status": "terminated", "terminated_by": "VDAB", "start": "2021-01-01", "parties": []}]}'
refuse "terminated by a stranger" "agreements[0].terminated_by: '11002' is not a party of this agreement" \
  '{"format": "somon/1", "agreements": [{"id": "SO-X", "title": "X", "vdab_directorate": "Antwerpen", "status": "terminated", "start": "2021-01-01", "terminated_on": "2022-01-01", "terminated_by": "11002", "parties": [{"municipality": "11001"}]}]}'
refuse "both municipality and organisation" "agreements[0].parties[0]: give exactly one of municipality" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"parties\": [{\"municipality\": \"11001\", \"organisation\": \"VDAB\"}]}]}"
refuse "a party twice" "agreements[0].parties[1]: the same party as parties[0]" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"parties\": [{\"municipality\": \"11001\"}, {\"municipality\": \"11001\"}]}]}"
refuse "action number twice" "action number 1.1 is used twice" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"parties\": [], \"action_plan\": [{\"theme\": \"T\", \"domains\": [{\"number\": \"1\", \"title\": \"D\", \"actions\": [{\"number\": \"1.1\", \"title\": \"a\"}, {\"number\": \"1.1\", \"title\": \"b\"}]}]}]}]}"
refuse "meetings without period" "give both min_meetings and per_years" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"parties\": [], \"governance\": [{\"body\": \"Stuurgroep\", \"min_meetings\": 2}]}]}"
refuse "wrong format" "format: 'somon/2' is not supported" '{"format": "somon/2"}'
refuse "no format" "format: required" '{"agreements": []}'
refuse "not an object" "the document is a list" '[1, 2]'
refuse "empty file" "the file is empty" ''
refuse "duplicate key" "duplicate object key" \
  "{\"format\": \"somon/1\", \"agreements\": [{$A, \"title\": \"Y\", \"parties\": []}]}"
refuse "regiegebied member unknown" "regiegebieden[0].members[1]: unknown NIS code 12345" \
  '{"format": "somon/1", "regiegebieden": [{"id": "RG-X", "name": "X", "province": "Limburg", "members": ["71016", "12345"]}]}'
refuse "bad organisation kind" "organisations[0].kind: 'club' is not a kind" \
  '{"format": "somon/1", "organisations": [{"id": "ORG", "name": "O", "kind": "club"}]}'

# Every problem of a file is listed, not only the first.
printf '%s' "{\"format\": \"somon/1\", \"agreements\": [{$A, \"start\": \"2021-01-01\", \"end\": \"2020-01-01\", \"parties\": [{\"municipality\": \"99999\"}]}, {\"id\": \"SO-Y\", \"parties\": []}]}" >"$TMP/many.json"
check_exit "many problems" 65 somon import "$TMP/many.json"
check_contains "first" "agreements[0].end: before start" "$ERR"
check_contains "second" "agreements[0].parties[0].municipality: unknown NIS code 99999" "$ERR"
check_contains "third" "agreements[1].title: required" "$ERR"
check_contains "count" "import refused: 5 problems" "$ERR"

# Invalid UTF-8 and a truncated file: the line and column of the place.
printf '{"format": "somon/1",\n "organisations": [{"id": "ORG", "name": "Caf\xe9", "kind": "other"}]}' >"$TMP/latin1.json"
check_exit "invalid UTF-8" 65 somon import "$TMP/latin1.json"
check_contains "names the line" "latin1.json:2:" "$ERR"
check_contains "says UTF-8" "save the file as UTF-8" "$ERR"
head -c 4000 data/demo/agreement-mechelen.json >"$TMP/truncated.json"
check_exit "truncated file" 65 somon import "$TMP/truncated.json"
check_contains "says truncated" "truncated" "$ERR"
check_eq "still nothing changed" "$base_changes" "$(changes)"

# One bad file among good ones rejects them all.
printf '{"format": "somon/1", "agreements": [{"id": "SO-Z"}]}' >"$TMP/badz.json"
check_exit "good and bad files" 65 somon import "$FIX/rules.json" "$TMP/badz.json"
check_eq "the good file was not loaded either" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM agreement WHERE id = 'SO-T-LATE'")"

# The fuzzer's seeds of bad documents: each refused cleanly, none crashes.
for f in tests/fuzz/import/err-*.json; do
  check_exit "fuzz seed $f" 65 somon import "$f"
  check_contains "fuzz seed $f refused" "nothing was changed" "$ERR"
done

somon export >"$TMP/after.json"
check_eq "the register is as before every refusal" "" "$(cmp "$TMP/before.json" "$TMP/after.json")"

# Missing input and usage.
check_exit "missing file" 66 somon import "$TMP/nothere.json"
check_contains "names it" "nothere.json" "$ERR"
check_exit "no file" 64 somon import
check_exit "bad flag" 64 somon import --fast x.json

# Standard input, and a new version of an agreement.
sed 's/"Samen sterk voor werk!"/"Samen sterk voor werk"/' data/demo/agreement-scheldeland.json >"$TMP/v2.json"
check_exit "import from standard input" 0 somon --actor tester import - <"$TMP/v2.json"
check_contains "one replaced" "0 agreement(s) new, 1 replaced" "$OUT"
check_eq "two versions kept" "Samen sterk voor werk!|1
Samen sterk voor werk|0" "$(sqlite3 "$DB" "SELECT title, rec_until IS NOT NULL FROM agreement WHERE id = 'SO-SCHELDELAND-2021' ORDER BY vid")"
check_eq "the new version's actor" "tester" "$(sqlite3 "$DB" "SELECT actor FROM change ORDER BY id DESC LIMIT 1")"
n=$(changes)
check_exit "the same again" 0 somon import "$TMP/v2.json"
check_contains "unchanged" "0 replaced, 1 unchanged" "$OUT"
check_eq "an unchanged import records no change" "$n" "$(changes)"
finish
