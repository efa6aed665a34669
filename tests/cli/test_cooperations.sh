#!/usr/bin/env bash
# Cooperation without an agreement and the outreach log (SPEC §5, issue 10):
# the two top-level lists of somon/1, imported all or nothing with the JSON
# path of every problem, versioned like the rest, exported so that export →
# import into an empty database → export gives the same bytes.
source tests/cli/lib.sh
fresh_db
check_exit "import the fixture" 0 somon import "$FIX/cooperations.json"
check_exit "export" 0 somon export
EXPORT1=$OUT
# what the export holds, read back with Python's json (not with somon)
field() { "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1" <<<"$EXPORT1"; }
check_eq "three cooperations, by id" "CO-BERINGEN-WW CO-GEEL-JOBBEURS-2022 CO-WACHTEBEKE-ZITDAG" \
  "$(field '" ".join(c["id"] for c in d["cooperations"])')"
check_eq "a cooperation keeps every field, nulls spelled out" \
  "{'id': 'CO-GEEL-JOBBEURS-2022', 'municipality': '13008', 'kind': 'jobbeurs', 'title': 'Jobbeurs Geel', 'from': '2022-03-01', 'until': '2022-03-01', 'notes': None}" \
  "$(field 'd["cooperations"][1]')"
# outreach: by municipality and date; two entries of one day keep their order
check_eq "outreach by municipality, date and position" \
  "44073 2022-01-15 no_contact|44073 2023-05-10 exploring|71004 2023-02-01 declined|71004 2023-02-01 exploring" \
  "$(field '"|".join(" ".join((o["municipality"], o["on"], o["stage"])) for o in d["outreach"])')"
check_eq "an outreach entry has municipality, on, stage and note" "['municipality', 'on', 'stage', 'note']" \
  "$(field 'list(d["outreach"][0].keys())')"
check_eq "the lists come after the agreements" "['format', 'organisations', 'regiegebieden', 'agreements', 'cooperations', 'outreach']" \
  "$(field 'list(d.keys())')"

# ---- round trip -----------------------------------------------------------------
before=$(changes)
check_exit "importing the same file again" 0 somon import "$FIX/cooperations.json"
check_eq "records no change" "$before" "$(changes)"
cp "$DB" "$TMP/keep.db"
somon export >"$TMP/export1.json"
fresh_db
check_exit "import the export into an empty database" 0 somon import "$TMP/export1.json"
somon export >"$TMP/export2.json"
check_eq "export → import → export is byte-identical" "$(sha256sum <"$TMP/export1.json")" "$(sha256sum <"$TMP/export2.json")"
cp "$TMP/keep.db" "$DB"; rm -f "$DB-wal" "$DB-shm"

# ---- a new version, the old one kept ----------------------------------------------
sed -e 's/"Jobbeurs Geel"/"Jobbeurs Geel 2022"/' -e 's/"declined", "note": "weinig bereidheid"/"declined", "note": "weinig bereidheid (raad)"/' \
  "$FIX/cooperations.json" >"$TMP/changed.json"
sleep 0.01
T=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)
check_exit "import a changed title and note" 0 somon import "$TMP/changed.json"
check_eq "one change more" "$((before + 1))" "$(changes)"
check_eq "the title changed" "Jobbeurs Geel 2022" \
  "$(somon export | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["cooperations"][1]["title"])')"
check_eq "as known before, the old title" "Jobbeurs Geel" \
  "$(somon export --as-known-at "$T" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["cooperations"][1]["title"])')"
check_eq "the outreach entry (71004, 2023-02-01, position 0) got a new version" "weinig bereidheid (raad)|toch een gesprek" \
  "$(somon export | "$PY" -c 'import json,sys; print("|".join(o["note"] for o in json.load(sys.stdin)["outreach"] if o["municipality"] == "71004"))')"
check_eq "two versions of the cooperation in the database" 2 \
  "$(sqlite3 "$DB" "SELECT count(*) FROM cooperation WHERE id = 'CO-GEEL-JOBBEURS-2022'")"
check_eq "and of the outreach entry" 2 \
  "$(sqlite3 "$DB" "SELECT count(*) FROM outreach WHERE municipality = '71004' AND position = 0")"

# ---- history is read-only in the database itself ------------------------------------
out=$(sqlite3 "$DB" "UPDATE cooperation SET title = 'x' WHERE id = 'CO-BERINGEN-WW'" 2>&1)
check_contains "a cooperation version never changes" "history is read-only" "$out"
out=$(sqlite3 "$DB" "DELETE FROM outreach" 2>&1)
check_contains "an outreach version is never deleted" "history is read-only" "$out"
out=$(sqlite3 "$DB" "UPDATE outreach SET rec_until = NULL WHERE rec_until IS NOT NULL" 2>&1)
check_contains "a superseded outreach version stays closed" "history is read-only" "$out"

# ---- bad input is refused whole, each problem named by its path ---------------------
# refused DESCRIPTION EXPECTED-MESSAGE JSON-OF-THE-LISTS
refused() {
  printf '{"format": "somon/1", "agreements": [], %s}\n' "$3" >"$TMP/bad.json"
  local n=$(changes)
  check_exit "$1: refused" 65 somon import "$TMP/bad.json"
  check_contains "$1: named" "$2" "$ERR"
  check_contains "$1: nothing changed" "nothing was changed" "$ERR"
  check_eq "$1: no change recorded" "$n" "$(changes)"
}
GOOD='{"id": "CO-NEW", "municipality": "13008", "kind": "digibank", "title": "Digibank", "from": "2024-01-01", "until": null, "notes": null}'
refused "unknown kind" 'cooperations[1].kind: '"'"'beurs'"'"' is not a kind of cooperation; give one of twe_ocmw, wijk_werken, mobiele_opleiding, jobbeurs, zitdag, digibank, esf_lokaal_partnerschap, lerend_netwerk, other' \
  "\"cooperations\": [$GOOD, {\"id\": \"CO-X\", \"municipality\": \"13008\", \"kind\": \"beurs\", \"title\": \"X\"}]"
refused "unknown stage" "outreach[0].stage: 'maybe' is not a stage" \
  '"outreach": [{"municipality": "13008", "on": "2023-01-01", "stage": "maybe", "note": null}]'
refused "unknown municipality" "cooperations[0].municipality: unknown NIS code 99999" \
  '"cooperations": [{"id": "CO-X", "municipality": "99999", "kind": "zitdag", "title": "X"}]'
refused "unknown municipality in the outreach" "outreach[0].municipality: unknown NIS code 99998" \
  '"outreach": [{"municipality": "99998", "on": "2023-01-01", "stage": "exploring", "note": null}]'
refused "dates out of order" "cooperations[0].until: before from; a cooperation ends on or after the day it starts" \
  '"cooperations": [{"id": "CO-X", "municipality": "13008", "kind": "zitdag", "title": "X", "from": "2023-05-01", "until": "2023-04-30"}]'
refused "a municipality that did not exist yet" "outreach[0].municipality: municipality 44085 (Lievegem) did not exist on 1990-01-01" \
  '"outreach": [{"municipality": "44085", "on": "1990-01-01", "stage": "exploring", "note": null}]'
refused "a merged municipality after its end" "cooperations[0].municipality: municipality 44073 (Wachtebeke) did not exist on 2025-03-01" \
  '"cooperations": [{"id": "CO-X", "municipality": "44073", "kind": "zitdag", "title": "X", "from": "2025-03-01"}]'
refused "a missing date" "outreach[0].on: required; give a date (YYYY-MM-DD)" \
  '"outreach": [{"municipality": "13008", "stage": "exploring"}]'
refused "a missing title" "cooperations[0].title: required; give a text" \
  '"cooperations": [{"id": "CO-X", "municipality": "13008", "kind": "zitdag"}]'
refused "an unknown field" "outreach[0].stag: unknown field; did you mean 'stage'?" \
  '"outreach": [{"municipality": "13008", "on": "2023-01-01", "stag": "exploring", "stage": "exploring"}]'
refused "a duplicate id" "cooperations[1].id: duplicate id 'CO-NEW' (also [0])" "\"cooperations\": [$GOOD, $GOOD]"
LONG=$("$PY" -c 'print("x" * 501)')
refused "a title over the limit" "cooperations[0].title: " \
  "\"cooperations\": [{\"id\": \"CO-X\", \"municipality\": \"13008\", \"kind\": \"zitdag\", \"title\": \"$LONG\"}]"
check_contains "the limit named" "500" "$ERR"
refused "a date out of range" "outreach[0].on: '1970-01-01' is out of range" \
  '"outreach": [{"municipality": "13008", "on": "1970-01-01", "stage": "exploring"}]'
refused "not a list" "cooperations: expected a list, found an object" '"cooperations": {}'
# one bad element among good ones: the good ones are not written either
printf '{"format": "somon/1", "cooperations": [%s], "outreach": [{"municipality": "13008", "on": "2023-01-01", "stage": "joined", "note": null}, {"municipality": "13008", "on": "2023-01-02", "stage": "x"}]}\n' "$GOOD" >"$TMP/bad.json"
check_exit "a good cooperation with a bad outreach entry" 65 somon import "$TMP/bad.json"
check_eq "the good cooperation was not written" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM cooperation WHERE id = 'CO-NEW'")"
check_eq "nor the good outreach entry" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM outreach WHERE municipality = '13008'")"

# ---- the pages, through the real dispatcher ------------------------------------------
get() {
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$1" >"$TMP/request"
  check_exit "GET $1" 0 somon test-http <"$TMP/request"
  BODY=$(sed '1,/^\r$/d' <<<"$OUT")
}
get "/municipalities/71004?date=2023-02-01"
check_contains "Beringen on 01/02/2023: the last entry of the day counts" "Stadium op 01/02/2023: <strong>verkennend</strong> — toch een gesprek" "$BODY"
check_contains "its cooperation" "Wijk-werken Beringen" "$BODY"
get "/municipalities/71004?date=2023-01-31"
check_contains "Beringen on 31/01/2023: no entry yet" "Stadium op 31/01/2023: <strong>nog niets geregistreerd</strong>" "$BODY"
get "/cooperations?date=2022-03-01&format=csv"
check_contains "in force on 01/03/2022: Geel's job fair" "CO-GEEL-JOBBEURS-2022" "$BODY"
get "/cooperations?date=2022-03-02&format=csv"
check_not_contains "not on 02/03/2022" "CO-GEEL-JOBBEURS-2022" "$BODY"
finish
