#!/usr/bin/env bash
# The sources (evidence) of agreements and parties (SPEC §5, issue 13): the
# somon/1 import and export (lossless, [] when none), refusals with their JSON
# paths, written-once rows, and the spreadsheet's columns bron, citaat,
# gelezen_op, voorganger, soort, ondertekend_op and opmerkingen.
source tests/cli/lib.sh
fresh_db
check_exit "import the fixture" 0 somon import "$FIX/sources.json"
check_contains "two agreements" "2 agreement(s) new" "$OUT"

# export → import into an empty database → export is byte-identical
somon export >"$TMP/one.json"
DB="$TMP/two.db" fresh_db
check_exit "the export imports into an empty database" 0 "$SOMON" --db "$TMP/two.db" import "$TMP/one.json"
"$SOMON" --db "$TMP/two.db" export >"$TMP/two.json"
check_eq "export → import → export is byte-identical" "$(sha256sum <"$TMP/one.json")" "$(sha256sum <"$TMP/two.json")"
check_exit "importing the export again changes nothing" 0 somon import "$TMP/one.json"
check_contains "every agreement unchanged" "0 agreement(s) new, 0 replaced, 2 unchanged" "$OUT"

field() { $PY -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$TMP/one.json" "$1"; }
check_eq "the agreement's sources in order" \
  "https://www.vdab.be/persberichten/kapellen|2026-12-03 https://www.kapellen.be/nieuws?id=1&lang=nl|None" \
  "$(field '" ".join(s["url"] + "|" + str(s["read_on"]) for s in d["agreements"][0]["sources"])')"
check_eq "a source is url, quote, read_on" "['url', 'quote', 'read_on']" "$(field 'list(d["agreements"][0]["sources"][0])')"
check_eq "sources come after predecessor, before parties" "predecessor sources parties" \
  "$(field '" ".join(list(d["agreements"][0])[12:15])')"
check_eq "a party's two sources (one page, two quotes)" "keurt goed|een ander citaat van dezelfde pagina" \
  "$(field '"|".join(s["quote"] for s in d["agreements"][0]["parties"][0]["sources"])')"
check_eq "a party without sources: an empty list, after decisions" "decisions sources []" \
  "$(field '" ".join(list(d["agreements"][0]["parties"][1])[-2:]) + " " + json.dumps(d["agreements"][0]["parties"][1]["sources"])')"
check_eq "an organisation-only agreement" "IGS-T-SOURCES 1" \
  "$(field 'd["agreements"][1]["parties"][0]["organisation"] + " " + str(len(d["agreements"][1]["sources"]))')"
check_eq "the sources are child rows of the version (-1: the agreement's)" "-1|3
0|2" "$(sqlite3 "$DB" 'SELECT party_position, count(*) FROM source GROUP BY party_position ORDER BY party_position')"
check_contains "a source row never changes" "history is read-only" \
  "$(sqlite3 "$DB" "UPDATE source SET url = 'https://x.example'" 2>&1)"
check_contains "and is never deleted" "history is read-only" "$(sqlite3 "$DB" "DELETE FROM source" 2>&1)"

# A new version keeps the old one's sources in the history.
$PY - "$FIX/sources.json" >"$TMP/more.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["agreements"][0]["sources"].append({"url": "https://www.vdab.be/nieuw", "quote": "Nieuw", "read_on": "2026-12-04"})
print(json.dumps(d))
PYEOF
check_exit "a third source replaces the version" 0 somon import "$TMP/more.json"
check_contains "one replaced" "0 agreement(s) new, 1 replaced, 1 unchanged" "$OUT"
check_eq "the old version keeps its two" "2 3" \
  "$(sqlite3 "$DB" "SELECT group_concat(n, ' ') FROM (SELECT count(*) n FROM source s JOIN agreement a ON a.vid = s.vid WHERE a.id = 'SO-T-SOURCES-2021' AND s.party_position = -1 GROUP BY s.vid ORDER BY s.vid)")"
check_exit "the history names the change" 0 somon history SO-T-SOURCES-2021
check_contains "a source added, by its Dutch field name" "bronnen › #3: (leeg) → link: https://www.vdab.be/nieuw" "$OUT"
check_exit "the file's list replaces the stored one (two sources again)" 0 somon import "$FIX/sources.json"
check_contains "replaced again" "1 replaced" "$OUT"

# Refusals: each with its JSON path and the fix; nothing changes.
refuse() { # DESCRIPTION PYTHON-EDIT NEEDLE
  $PY - "$FIX/sources.json" "$2" >"$TMP/bad.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
a = d["agreements"][0]
exec(sys.argv[2])
print(json.dumps(d))
PYEOF
  local before
  before=$(changes)
  check_exit "$1: refused" 65 somon import "$TMP/bad.json"
  check_contains "$1: path and fix" "$3" "$ERR"
  check_eq "$1: nothing written" "$before" "$(changes)"
}
refuse "a javascript: address" 'a["parties"][0]["sources"][1]["url"] = "javascript:alert(1)"' \
  "agreements[0].parties[0].sources[1].url: 'javascript:alert(1)' is not an http(s) address; write the page's full address, https://…"
refuse "a relative address" 'a["sources"][0]["url"] = "/persberichten"' \
  "agreements[0].sources[0].url: '/persberichten' is not an http(s) address"
refuse "a scheme alone" 'a["sources"][0]["url"] = "https://"' "agreements[0].sources[0].url: 'https://' is not an http(s) address"
refuse "a space in the address" 'a["sources"][0]["url"] = "https://x.example/a b"' "agreements[0].sources[0].url: 'https://x.example/a b' is not an http(s) address"
refuse "no address" 'del a["sources"][1]["url"]' "agreements[0].sources[1].url: required; give the address of the page, https://…"
refuse "an address too long" 'a["sources"][0]["url"] = "https://x.example/" + "a" * 2040' \
  "agreements[0].sources[0].url: 2058 bytes long; shorten it to at most 2048"
refuse "a quote too long" 'a["sources"][0]["quote"] = "é" * 501' \
  "agreements[0].sources[0].quote: 1002 bytes long; shorten it to at most 1000"
refuse "a quote over two lines" 'a["sources"][0]["quote"] = "een\nregel"' "agreements[0].sources[0].quote: "
refuse "a quote with an escape" 'a["sources"][0]["quote"] = "a\u001b[31m"' "agreements[0].sources[0].quote: "
refuse "an empty quote" 'a["sources"][0]["quote"] = " "' "agreements[0].sources[0].quote: empty; give a text or null"
refuse "a bad reading day" 'a["sources"][0]["read_on"] = "2026-02-30"' \
  "agreements[0].sources[0].read_on: '2026-02-30' is not a date"
refuse "a reading day out of range" 'a["sources"][0]["read_on"] = "9999-12-31"' \
  "agreements[0].sources[0].read_on: '9999-12-31' is out of range"
refuse "an unknown field" 'a["sources"][0]["titel"] = "x"' "agreements[0].sources[0]"
refuse "the same source twice" 'a["sources"].append(dict(a["sources"][0]))' \
  "agreements[0].sources[2]: the same source as sources[0] (address and quote); list each source once"
refuse "too many sources" 'a["parties"][1]["sources"] = [{"url": "https://x.example/%d" % i} for i in range(51)]' \
  "agreements[0].parties[1].sources: 51 elements; give at most 50"
refuse "not a list" 'a["sources"] = "https://x.example/"' "agreements[0].sources: expected a list"

# ---- the spreadsheet ---------------------------------------------------------
fresh_db
somon import "$FIX/sources.json" >/dev/null
cat >"$TMP/sheet.csv" <<'CSV'
overeenkomst,titel,directie,status,begin,einde,voorganger,soort,ondertekend_op,opmerkingen,gemeente,organisatie,goedgekeurd_op,vanaf,tot,bron,citaat,gelezen_op
PB-ESSEN-2021,Samenwerking Essen,Antwerpen,ondertekend,,31/12/2025,SO-T-SOURCES-2021,gemeente,15/12/2020,Twee bronnen spreken elkaar tegen,Essen,,14/12/2020,,,https://www.essen.be/a,Essen tekent,03/12/2026
PB-ESSEN-2021,,,,,,,,,,Essen,,,,,https://www.vdab.be/b,Essen en VDAB,
PB-ESSEN-2021,,,,,,,,,,,,,,,https://www.vdab.be/overeenkomst,De overeenkomst met Essen,02/12/2026
PB-LEDEN-2021,Vereniging zonder gekende leden,Antwerpen,ondertekend,01/01/2021,31/12/2025,PB-ESSEN-2021,cluster,,,,IGS-T-SOURCES,,,,https://x.example/org,,
CSV
check_exit "dry run of the sheet" 0 somon import sheet --dry-run "$TMP/sheet.csv"
check_contains "a new agreement with its sources" "new PB-ESSEN-2021: Samenwerking Essen (1 parties)
  sources: 1 of the agreement, 2 of its parties" "$OUT"
check_contains "the organisation-only agreement" "new PB-LEDEN-2021: Vereniging zonder gekende leden (1 parties)
  sources: 0 of the agreement, 1 of its parties" "$OUT"
check_contains "nothing written" "would import: 2 new, 0 changed, 0 unchanged" "$OUT"
check_exit "import the sheet" 0 somon import sheet "$TMP/sheet.csv"
somon export >"$TMP/sheet.json"
sfield() { $PY -c "import json,sys; d={a['id']: a for a in json.load(open(sys.argv[1]))['agreements']}; print(eval(sys.argv[2]))" "$TMP/sheet.json" "$1"; }
check_eq "the agreement fields of the sheet" "gemeente 2020-12-15 SO-T-SOURCES-2021 Twee bronnen spreken elkaar tegen" \
  "$(sfield '" ".join(str(d["PB-ESSEN-2021"][k]) for k in ("kind", "signed_on", "predecessor", "notes"))')"
check_eq "a signed agreement without start" "None" "$(sfield 'd["PB-ESSEN-2021"]["start"]')"
check_eq "one party from two rows" "11016 2020-12-14" \
  "$(sfield '" ".join(p["municipality"] + " " + p["approved_on"] for p in d["PB-ESSEN-2021"]["parties"])')"
check_eq "with the source of each row" "https://www.essen.be/a|Essen tekent|2026-12-03 https://www.vdab.be/b|Essen en VDAB|None" \
  "$(sfield '" ".join(s["url"] + "|" + s["quote"] + "|" + str(s["read_on"]) for s in d["PB-ESSEN-2021"]["parties"][0]["sources"])')"
check_eq "a row without a party: a source of the agreement" "https://www.vdab.be/overeenkomst|2026-12-02" \
  "$(sfield '" ".join(s["url"] + "|" + s["read_on"] for s in d["PB-ESSEN-2021"]["sources"])')"
check_eq "a predecessor the same sheet adds" "PB-ESSEN-2021 cluster 0" \
  "$(sfield 'd["PB-LEDEN-2021"]["predecessor"] + " " + d["PB-LEDEN-2021"]["kind"] + " " + str(sum(1 for p in d["PB-LEDEN-2021"]["parties"] if p.get("municipality")))')"
check_exit "the same sheet again" 0 somon import sheet "$TMP/sheet.csv"
check_contains "changes nothing" "imported: 0 new, 0 changed, 2 unchanged" "$OUT"

# A sheet without the column bron keeps the stored sources; with it, gives exactly its own.
cat >"$TMP/nobron.csv" <<'CSV'
overeenkomst,titel,directie,status,einde,gemeente,goedgekeurd_op
PB-ESSEN-2021,Samenwerking Essen,Antwerpen,ondertekend,31/12/2025,Essen,14/12/2020
CSV
check_exit "a sheet without bron" 0 somon import sheet "$TMP/nobron.csv"
check_contains "keeps the sources (and kind, signing, predecessor, notes)" "0 new, 0 changed, 1 unchanged" "$OUT"
cat >"$TMP/onebron.csv" <<'CSV'
overeenkomst,titel,directie,status,einde,gemeente,goedgekeurd_op,bron
PB-ESSEN-2021,Samenwerking Essen,Antwerpen,ondertekend,31/12/2025,Essen,14/12/2020,https://www.essen.be/a
CSV
check_exit "a sheet with one bron: dry run" 0 somon import sheet --dry-run "$TMP/onebron.csv"
check_contains "says what changes" "changed PB-ESSEN-2021
  sources of the agreement: 1 → 0
  party Essen (11016): sources 2 → 1" "$OUT"

# Problems in their cells; nothing written.
sheet_refuse() { # DESCRIPTION CSV NEEDLE
  printf '%s\n' "$2" >"$TMP/bad.csv"
  local before
  before=$(changes)
  check_exit "$1: refused" 65 somon import sheet "$TMP/bad.csv"
  check_contains "$1: the cell and the fix" "$3" "$ERR"
  check_eq "$1: nothing written" "$before" "$(changes)"
}
H=overeenkomst,titel,directie,status,begin,gemeente,goedgekeurd_op,bron,citaat,gelezen_op
sheet_refuse "a javascript: source" "$H
PB-X-2021,X,Antwerpen,ondertekend,01/01/2021,Essen,,javascript:alert(1),," \
  "bad!H2: 'javascript:alert(1)' is not an http(s) address; write the page's full address, https://…"
sheet_refuse "a quote without a source" "$H
PB-X-2021,X,Antwerpen,ondertekend,01/01/2021,Essen,,,een citaat," \
  "bad!I2: a quote or a reading day without a source; give the page's address (bron) on this row"
sheet_refuse "a bad reading day" "$H
PB-X-2021,X,Antwerpen,ondertekend,01/01/2021,Essen,,https://x.example/,,31/02/2026" \
  "bad!J2: '31/02/2026' is not a date"
sheet_refuse "a party whose rows disagree" "$H
PB-X-2021,X,Antwerpen,ondertekend,01/01/2021,Essen,01/12/2020,https://x.example/1,,
PB-X-2021,,,,,Essen,02/12/2020,https://x.example/2,," \
  "bad!G3: 02/12/2020 differs from bad!G2 (01/12/2020) for party Essen (11016); give the same goedgekeurd_op on every row of a party"
sheet_refuse "the same source on two rows" "$H
PB-X-2021,X,Antwerpen,ondertekend,01/01/2021,,,https://x.example/1,,
PB-X-2021,,,,,,,https://x.example/1,," \
  "bad!H3: the same source as sources[0] (address and quote); list each source once"
LONG=$(printf 'x%.0s' $(seq 1001))
sheet_refuse "a quote too long, on the party's second row and on the agreement's row" "$H
PB-X-2021,X,Antwerpen,ondertekend,01/01/2021,Essen,,https://x.example/1,kort,
PB-X-2021,,,,,Essen,,https://x.example/2,$LONG,
PB-X-2021,,,,,,,https://x.example/3,$LONG," \
  "bad!I3: 1001 bytes long; shorten it to at most 1000 (docs/somon1.md, Limits)
bad!I4: 1001 bytes long"
sheet_refuse "a row with neither a party nor a source" "$H
PB-X-2021,X,Antwerpen,ondertekend,01/01/2021,,,,," \
  "bad!F2: no party; give the municipality (its name or NIS code), or a source of the agreement (bron)"
sheet_refuse "an unknown kind" "overeenkomst,titel,directie,status,gemeente,soort
PB-X-2021,X,Antwerpen,ondertekend,Essen,stad" \
  "bad!F2: 'stad' is not a kind of agreement; give centrumstad, regiegebied, cluster or gemeente"
sheet_refuse "an unknown predecessor" "overeenkomst,titel,directie,status,gemeente,voorganger
PB-X-2021,X,Antwerpen,ondertekend,Essen,SO-NERGENS" \
  "bad!F2: unknown agreement 'SO-NERGENS'"
sheet_refuse "a cycle through the sheet" "overeenkomst,titel,directie,status,gemeente,voorganger
PB-X-2021,X,Antwerpen,ondertekend,Essen,PB-Y-2021
PB-Y-2021,Y,Antwerpen,ondertekend,Essen,PB-X-2021" \
  "follows up this agreement already"
sheet_refuse "signing day not a date" "overeenkomst,titel,directie,status,gemeente,ondertekend_op
PB-X-2021,X,Antwerpen,ondertekend,Essen,gisteren" \
  "bad!F2: 'gisteren' is not a date"

# Dutch by default.
printf '%s\n' "$H" "PB-X-2021,X,Antwerpen,ondertekend,01/01/2021,Essen,,javascript:alert(1),," >"$TMP/bad.csv"
LANGUAGE= LANG=C.UTF-8 "$SOMON" --db "$DB" import sheet "$TMP/bad.csv" >/dev/null 2>"$TMP/nl"
check_contains "the problem in Dutch" "is geen http(s)-adres; schrijf het volledige adres van de pagina" "$(cat "$TMP/nl")"

echo "$checks checks, $failures failed"
[[ $failures == 0 ]]
