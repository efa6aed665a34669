#!/usr/bin/env bash
# Agreement kind, signed_on and predecessor, and the council decisions of a
# party (SPEC §5, 2026-12; issue 9): imported, exported byte-identically, and
# refused with the path and the fix when they do not hold.
source tests/cli/lib.sh
fresh_db
check_exit "import the fixture" 0 somon import "$FIX/agreement_fields.json"
check_contains "three agreements" "3 agreement(s) new" "$OUT"

# export → import into an empty database → export is byte-identical
somon export >"$TMP/one.json"
DB="$TMP/two.db" fresh_db
check_exit "the export imports into an empty database" 0 "$SOMON" --db "$TMP/two.db" import "$TMP/one.json"
"$SOMON" --db "$TMP/two.db" export >"$TMP/two.json"
check_eq "export → import → export is byte-identical" "$(sha256sum <"$TMP/one.json")" "$(sha256sum <"$TMP/two.json")"
check_exit "importing the export again changes nothing" 0 somon import "$TMP/one.json"
check_contains "every agreement unchanged" "0 agreement(s) new, 0 replaced, 3 unchanged" "$OUT"

field() { $PY -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$TMP/one.json" "$1"; }
check_eq "kind exported" "cluster gemeente" "$(field '" ".join(str(a["kind"]) for a in d["agreements"][:3:2])')"
check_eq "signed_on exported, null when unknown" "2020-12-22 None" "$(field 'd["agreements"][0]["signed_on"] + " " + str(d["agreements"][2]["signed_on"])')"
check_eq "predecessor exported" "SO-T-FIELDS-2020" "$(field 'd["agreements"][1]["predecessor"]')"
# Zandhoven: gemeenteraad and OCMW-raad on 21/12/2020 → approved_on derived
check_eq "approved_on derived from the decisions" "2020-12-21" "$(field 'd["agreements"][0]["parties"][1]["approved_on"]')"
check_eq "two decisions, approves defaults to true" "gemeenteraad True ocmw_raad True" \
  "$(field '" ".join(x["body"] + " " + str(x["approves"]) for x in d["agreements"][0]["parties"][1]["decisions"])')"
# Herentals: refused on 16/11/2020, approved on 14/12/2020 → 14/12/2020 as given
check_eq "a refusal kept, the approval sets the day" "False True 2020-12-14" \
  "$(field '" ".join(str(x["approves"]) for x in d["agreements"][0]["parties"][2]["decisions"]) + " " + d["agreements"][0]["parties"][2]["approved_on"]')"
check_eq "a party without decisions: an empty list" "[]" "$(field 'json.dumps(d["agreements"][0]["parties"][3]["decisions"])')"
check_eq "the decisions are child rows of the version" 4 "$(sqlite3 "$DB" 'SELECT count(*) FROM party_decision')"
check_contains "a decision row never changes" "history is read-only" \
  "$(sqlite3 "$DB" "UPDATE party_decision SET url = 'https://x.example'" 2>&1)"
check_contains "nor does the kind of a stored version" "history is read-only" \
  "$(sqlite3 "$DB" "UPDATE agreement SET kind = 'gemeente'" 2>&1)"

# Refusals: each with its JSON path and the fix; nothing changes.
refuse() { # DESCRIPTION PYTHON-EDIT NEEDLE
  $PY - "$FIX/agreement_fields.json" "$2" >"$TMP/bad.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1])); a = d["agreements"]
exec(sys.argv[2])
print(json.dumps(d, ensure_ascii=False))
PYEOF
  local before; before=$(changes)
  check_exit "$1: refused" 65 somon import "$TMP/bad.json"
  check_contains "$1: path and fix" "$3" "$ERR"
  check_eq "$1: nothing changed" "$before" "$(changes)"
}
refuse "an unknown kind" 'a[0]["kind"] = "stad"' \
  "agreements[0].kind: 'stad' is not a kind of agreement; give one of centrumstad, regiegebied, cluster, gemeente"
refuse "an unknown predecessor" 'a[1]["predecessor"] = "SO-T-NOWHERE"' \
  "agreements[1].predecessor: unknown agreement 'SO-T-NOWHERE'; give the id of an agreement in the file or the register"
refuse "itself as predecessor" 'a[1]["predecessor"] = "SO-T-FIELDS-2026"' \
  "agreements[1].predecessor: the agreement itself; give the id of the agreement it follows up"
refuse "a cycle of two" 'a[0]["predecessor"] = "SO-T-FIELDS-2026"' \
  "agreements[0].predecessor: 'SO-T-FIELDS-2026' follows up this agreement already"
refuse "a cycle of three" 'a[2]["predecessor"] = "SO-T-FIELDS-2026"; a[0]["predecessor"] = "SO-T-FIELDS-GEEL"' \
  "agreements[0].predecessor: 'SO-T-FIELDS-GEEL' follows up this agreement already"
refuse "decisions that contradict approved_on" 'a[0]["parties"][1]["approved_on"] = "2020-12-20"' \
  "agreements[0].parties[1].approved_on: 2020-12-20 differs from the latest approving decision (2020-12-21); give that day or leave approved_on out"
refuse "approved_on without an approving decision" 'a[0]["parties"][2]["decisions"][1]["approves"] = False' \
  "agreements[0].parties[2].approved_on: no decision approves"
refuse "a non-http URL" 'a[0]["parties"][1]["decisions"][0]["url"] = "javascript:alert(1)"' \
  "agreements[0].parties[1].decisions[0].url: 'javascript:alert(1)' is not a web address; give a link that begins with https:// or http://"
refuse "a URL with a space" 'a[0]["parties"][1]["decisions"][0]["url"] = "https://a.example/x y"' \
  "agreements[0].parties[1].decisions[0].url: 'https://a.example/x y' is not a web address"
refuse "an unknown body" 'a[0]["parties"][1]["decisions"][0]["body"] = "schepencollege"' \
  "agreements[0].parties[1].decisions[0].body: 'schepencollege' is not a deciding body; give one of gemeenteraad, ocmw_raad, raad_van_bestuur, other"
refuse "a decision without a day" 'del a[0]["parties"][1]["decisions"][0]["on"]' \
  "agreements[0].parties[1].decisions[0].on: required; give a date (YYYY-MM-DD)"
refuse "approves not a boolean" 'a[0]["parties"][1]["decisions"][0]["approves"] = "ja"' \
  "agreements[0].parties[1].decisions[0].approves: expected true or false, found a text"
refuse "a URL longer than the url limit" 'a[0]["parties"][1]["decisions"][0]["url"] = "https://a.example/" + "x" * 2000' \
  "agreements[0].parties[1].decisions[0].url:"
refuse "a decision in the future" 'a[0]["parties"][1]["decisions"][0]["on"] = "2099-01-01"' \
  "agreements[0].parties[1].decisions[0].on: 2099-01-01 is in the future"
refuse "signed_on not a date" 'a[0]["signed_on"] = "2020-02-30"' \
  "agreements[0].signed_on: '2020-02-30' is not a date"

# A predecessor already in the register; a later file may follow up an earlier one.
printf '{"format": "somon/1", "agreements": [{"id": "SO-T-FIELDS-2032", "title": "Volgende (testgegeven)",
  "vdab_directorate": "Antwerpen", "status": "draft", "predecessor": "SO-T-FIELDS-2026",
  "parties": [{"organisation": "VDAB"}]}]}' >"$TMP/next.json"
check_exit "a predecessor in the register" 0 somon import "$TMP/next.json"
printf '{"format": "somon/1", "agreements": [{"id": "SO-T-FIELDS-2020", "title": "Terug (testgegeven)",
  "vdab_directorate": "Antwerpen", "status": "draft", "predecessor": "SO-T-FIELDS-2032",
  "parties": [{"organisation": "VDAB"}]}]}' >"$TMP/loop.json"
check_exit "a cycle through the register is refused" 65 somon import "$TMP/loop.json"
check_contains "and says where" "agreements[0].predecessor: 'SO-T-FIELDS-2032' follows up this agreement already" "$ERR"
DB="$TMP/three.db" fresh_db
printf '{"format": "somon/1", "agreements": [{"id": "SO-T-B", "title": "B (testgegeven)",
  "vdab_directorate": "Antwerpen", "status": "draft", "predecessor": "SO-T-A",
  "parties": [{"organisation": "VDAB"}]}]}' >"$TMP/b.json"
printf '{"format": "somon/1", "agreements": [{"id": "SO-T-A", "title": "A (testgegeven)",
  "vdab_directorate": "Antwerpen", "status": "draft", "parties": [{"organisation": "VDAB"}]}]}' >"$TMP/a.json"
check_exit "a predecessor in another file of the same import" 0 "$SOMON" --db "$TMP/three.db" import "$TMP/a.json" "$TMP/b.json"

# The history names the new fields in Dutch.
$PY - "$FIX/agreement_fields.json" >"$TMP/v2.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1])); a = d["agreements"][0]
a["kind"] = "regiegebied"; a["signed_on"] = "2020-12-23"
a["parties"][1]["decisions"][1]["agenda_point"] = "Punt 4 (testgegeven)"
print(json.dumps(d, ensure_ascii=False))
PYEOF
check_exit "a correction of the new fields" 0 somon import "$TMP/v2.json"
check_exit "history of the agreement" 0 somon history SO-T-FIELDS-2020
check_contains "kind labelled" "soort" "$OUT"
check_contains "signed_on labelled" "ondertekend op" "$OUT"
check_contains "the decision's agenda point labelled" "agendapunt" "$OUT"
# The annex CSV names the decisions of the municipality's party.
fresh_db
somon import "$FIX/agreement_fields.json" >/dev/null
check_exit "annex on 30/06/2023" 0 somon report annex --date 2023-06-30 --province Antwerpen --format csv
check_eq "the annex's last column" "decisions" "$(head -1 <<<"$OUT" | awk -F, '{print $NF}')"
check_contains "Zandhoven with both decisions" \
  "SO-T-FIELDS-2020,Cluster Zuiderkempen 2020-2025 (testgegeven),2021-01-01,2025-12-31,signed,,,\"gemeenteraad 21/12/2020; ocmw_raad 21/12/2020\"" \
  "$(grep '^Antwerpen,11054,' <<<"$OUT")"
check_contains "Herentals with its refusal and approval" "gemeenteraad 16/11/2020 (niet goedgekeurd); gemeenteraad 14/12/2020" \
  "$(grep '^Antwerpen,11022,' <<<"$OUT")"
check_eq "a party without decisions: an empty cell" "" "$(grep '^Antwerpen,11035,' <<<"$OUT" | awk -F, '{print $NF}')"
finish
