#!/usr/bin/env bash
# Organisations with dated members (SPEC §5, issue 9): a member is a NIS code
# (a member from the first day its municipality exists, without end) or
# {"municipality", "from", "until"}, as for a regiegebied, but an
# organisation has no period of its own. Import checks every member with its
# JSON path and refuses the whole file on any problem; export writes a member
# without dates as a bare NIS code; export → import into an empty database →
# export gives the same bytes.
source tests/cli/lib.sh
fresh_db
check_exit "import the fixture" 0 somon import "$FIX/org_members.json"
check_eq "one change for the import" 2 "$(changes)"
check_eq "four members of IGS-T stored with the organisation's version" "4" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM organisation_member m JOIN organisation o ON o.vid = m.vid WHERE o.id = 'IGS-T'")"

# ---- export: bare codes stay bare, dated members keep their dates ------------------
check_exit "export" 0 somon export "$TMP/one.json"
EXPORT=$(cat "$TMP/one.json")
check_contains "IGS-T with its members in order, the undated ones bare" '"id": "IGS-T",
      "name": "Intergemeentelijke proefvereniging",
      "kind": "association",
      "members": [
        "11009",
        {
          "municipality": "11004",
          "from": "2023-05-01",
          "until": null
        },
        {
          "municipality": "11007",
          "from": null,
          "until": "2024-12-31"
        },
        "72042"
      ]' "$EXPORT"
check_contains "an organisation of an older file (no members) exports an empty list" '"id": "OUD-T",
      "name": "Organisatie uit een ouder bestand",
      "kind": "other",
      "members": []' "$EXPORT"
check_contains "VDAB too" '"kind": "public_service",
      "members": []' "$EXPORT"

# ---- round trip ---------------------------------------------------------------------
DB="$TMP/two.db" fresh_db
check_exit "import the export into an empty database" 0 "$SOMON" --db "$TMP/two.db" import "$TMP/one.json"
check_exit "export again" 0 "$SOMON" --db "$TMP/two.db" export "$TMP/two.json"
check_exit "byte-identical" 0 cmp "$TMP/one.json" "$TMP/two.json"
check_exit "importing the export again changes nothing" 0 somon import "$TMP/one.json"
check_eq "no new change" 2 "$(changes)"

# ---- a new version: the members are part of it, the old version keeps its own -------
$PY - "$TMP/one.json" "$TMP/v2.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
o = [x for x in d["organisations"] if x["id"] == "IGS-T"][0]
o["members"][0] = {"municipality": "11009", "from": None, "until": "2023-12-31"}
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PYEOF
check_exit "a correction of one member" 0 somon import "$TMP/v2.json"
check_eq "one more change" 3 "$(changes)"
check_eq "two versions of IGS-T, each with its four members" "4 4" \
  "$(sqlite3 "$DB" "SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n FROM organisation_member m JOIN organisation o ON o.vid = m.vid WHERE o.id = 'IGS-T' GROUP BY o.vid)")"
check_contains "a member row never changes" "history is read-only" \
  "$(sqlite3 "$DB" "UPDATE organisation_member SET until_date = NULL" 2>&1)"
check_contains "nor is deleted" "history is read-only" "$(sqlite3 "$DB" "DELETE FROM organisation_member" 2>&1)"
check_exit "export as known before the correction" 0 somon export --as-known-at "$(sqlite3 "$DB" 'SELECT moment FROM change WHERE id = 2')" "$TMP/old.json"
check_exit "is the first export" 0 cmp "$TMP/one.json" "$TMP/old.json"

# ---- a file of before 2026-12 (no members) keeps the members the register has -------
printf '{"format": "somon/1", "organisations": [{"id": "IGS-T", "name": "Intergemeentelijke proefvereniging", "kind": "association"}]}' >"$TMP/old-file.json"
check_exit "an older file naming IGS-T without members" 0 somon import "$TMP/old-file.json"
check_eq "changes nothing" 3 "$(changes)"
printf '{"format": "somon/1", "organisations": [{"id": "IGS-T", "name": "Proefvereniging (nieuwe naam)", "kind": "association"}]}' >"$TMP/old-file.json"
check_exit "an older file renaming it" 0 somon import "$TMP/old-file.json"
check_eq "a new version, with the members it had" "4 4" \
  "$(changes) $(sqlite3 "$DB" "SELECT count(*) FROM organisation_member m JOIN organisation o ON o.vid = m.vid WHERE o.id = 'IGS-T' AND o.rec_until IS NULL")"
check_exit "an empty list removes them" 0 somon import <(printf '{"format": "somon/1", "organisations": [{"id": "IGS-T", "name": "Proefvereniging (nieuwe naam)", "kind": "association", "members": []}]}')
check_eq "a new version without members" "5 0" \
  "$(changes) $(sqlite3 "$DB" "SELECT count(*) FROM organisation_member m JOIN organisation o ON o.vid = m.vid WHERE o.id = 'IGS-T' AND o.rec_until IS NULL")"
check_exit "and the correction again" 0 somon import "$TMP/v2.json"
check_eq "one more change" 6 "$(changes)"

# ---- refusals: every problem with its path, the whole file refused -------------------
refuse() { # DESCRIPTION EXPECTED MEMBERS-JSON
  printf '{"format": "somon/1", "organisations": [{"id": "OK-T", "name": "Goed", "kind": "other", "members": ["11001"]}, {"id": "BAD-T", "name": "X", "kind": "other", "members": %s}]}' "$3" >"$TMP/bad.json"
  check_exit "$1: refused" 65 somon import "$TMP/bad.json"
  check_contains "$1" "$2" "$ERR"
}
refuse "a municipality that did not exist on the member's from date" \
  "organisations[1].members[0].municipality: municipality 11007 (Borsbeek) did not exist on 2025-02-01, the member's from date" \
  '[{"municipality": "11007", "from": "2025-02-01"}]'
refuse "a member from before its municipality existed" \
  "organisations[1].members[0].municipality: municipality 72042 (Oudsbergen) did not exist on 2015-01-01, the member's from date" \
  '[{"municipality": "72042", "from": "2015-01-01"}]'
refuse "until before from" \
  "organisations[1].members[0].until: before the member's first day (2023-05-01)" \
  '[{"municipality": "11009", "from": "2023-05-01", "until": "2023-04-01"}]'
refuse "until before the municipality's first day, without from" \
  "organisations[1].members[0].until: before the member's first day (2019-01-01)" \
  '[{"municipality": "72042", "until": "2018-06-30"}]'
refuse "overlapping periods of one municipality" \
  "organisations[1].members[1]: 11009 is a member twice on the same days (also members[0])" \
  '["11009", {"municipality": "11009", "from": "2023-05-01"}]'
refuse "overlapping by one day" \
  "organisations[1].members[1]: 11009 is a member twice on the same days (also members[0])" \
  '[{"municipality": "11009", "until": "2023-05-01"}, {"municipality": "11009", "from": "2023-05-01"}]'
refuse "an unknown NIS code" "organisations[1].members[0].municipality: unknown NIS code 12345" \
  '[{"municipality": "12345", "from": "2023-05-01"}]'
refuse "not a NIS code" "organisations[1].members[0]: 'Brecht' is not a NIS code" '["Brecht"]'
refuse "a member without municipality" "organisations[1].members[0].municipality: required" '[{"from": "2023-05-01"}]'
refuse "a misspelt field" "organisations[1].members[0].form: unknown field; did you mean 'from'?" \
  '[{"municipality": "11009", "form": "2023-05-01"}]'
refuse "a number" "organisations[1].members[0]: expected a NIS code as text" '[11009]'
refuse "a date that is none" "organisations[1].members[0].from: '2023-02-30' is not a date" \
  '[{"municipality": "11009", "from": "2023-02-30"}]'
refuse "a date out of range" "organisations[1].members[0].until: '2101-01-01' is out of range" \
  '[{"municipality": "11009", "until": "2101-01-01"}]'
refuse "not a list" "organisations[1].members: expected a list, found a text" '"11009"'
refuse "more members than the limit" "organisations[1].members: 1001 elements; give at most 1000" \
  "[$(for i in $(seq 1001); do printf '"11009",'; done | sed 's/,$//')]"
refuse "a NIS code longer than an id" "organisations[1].members[0]: " "[\"$(printf '1%.0s' $(seq 65))\"]"
check_eq "nothing changed by the refusals (the good organisation in the same file neither)" "6 0" \
  "$(changes) $(sqlite3 "$DB" "SELECT count(*) FROM organisation WHERE id = 'OK-T'")"
# every problem of a file is listed, not only the first
printf '{"format": "somon/1", "organisations": [{"id": "BAD-T", "name": "X", "kind": "other", "members": [{"municipality": "12345"}, {"municipality": "11009", "from": "2023-05-01", "until": "2023-01-01"}]}]}' >"$TMP/many.json"
check_exit "two bad members" 65 somon import "$TMP/many.json"
check_contains "the first" "organisations[0].members[0].municipality: unknown NIS code 12345" "$ERR"
check_contains "the second" "organisations[0].members[1].until: before the member's first day (2023-05-01)" "$ERR"
# Leaving and coming back, with a day between, is two periods: accepted.
printf '{"format": "somon/1", "organisations": [{"id": "BACK-T", "name": "Terug", "kind": "other", "members": [{"municipality": "11009", "until": "2023-04-30"}, {"municipality": "11009", "from": "2023-05-01"}]}]}' >"$TMP/ok.json"
check_exit "two periods that touch but do not overlap" 0 somon import "$TMP/ok.json"

# ---- the example of docs/somon1.md is accepted as written -----------------------------
$PY - "$TMP/doc.json" <<'PYEOF'
import json, re, sys
text = open("docs/somon1.md", encoding="utf-8").read()
part = text[text.index("### organisation member"):]
example = json.loads(re.search(r"```json\n(.*?)```", part, re.S).group(1))
json.dump({"format": "somon/1", "organisations": [example]}, open(sys.argv[1], "w"))
PYEOF
check_exit "the documented example imports" 0 somon import "$TMP/doc.json"

# ---- the organisation page through the real dispatcher -------------------------------
get() {
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$1" >"$TMP/request"
  check_exit "GET $1" 0 somon test-http <"$TMP/request"
  BODY=$(sed '1,/^\r$/d' <<<"$OUT")
}
# The municipalities listed under "Leden op" (before "Leden op andere dagen").
members_on() {
  get "/organisations/$1?date=$2"
  sed -n '/<h2 id="members-h">/,/<\/ul>/p' <<<"$BODY" | grep -o '<li><a href="/municipalities/[0-9]*[^>]*>[^<]*' | sed 's/.*>//' | tr '\n' ',' | sed 's/,$//'
}
# IGS-T now: Brecht until 31/12/2023, Boechout from 01/05/2023, Borsbeek until
# 31/12/2024, Oudsbergen from its first day (01/01/2019).
check_eq "IGS-T on 30/06/2018: Oudsbergen did not exist yet" "Brecht,Borsbeek" "$(members_on IGS-T 2018-06-30)"
check_eq "IGS-T on 30/04/2023" "Brecht,Borsbeek,Oudsbergen" "$(members_on IGS-T 2023-04-30)"
check_eq "IGS-T on 01/05/2023: Boechout joined" "Brecht,Boechout,Borsbeek,Oudsbergen" "$(members_on IGS-T 2023-05-01)"
check_eq "IGS-T on 01/01/2025: Brecht and Borsbeek gone" "Boechout,Oudsbergen" "$(members_on IGS-T 2025-01-01)"
get "/organisations/IGS-T?date=2023-05-01"
check_contains "a dated member shows its dates" "Boechout</a> (lid vanaf 01/05/2023)" "$BODY"
check_not_contains "names, never bare codes" ">11004<" "$BODY"
get "/organisations/NOPE-T"
check_contains "an unknown organisation is a 404" "HTTP/1.1 404" "$OUT"

finish
