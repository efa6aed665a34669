#!/usr/bin/env bash
# The footnotes under the parliamentary table (SPEC §4, issue 10; docs/footnotes.md):
# per province what separates the count on D from the prognosis on P, in every
# format of `report coverage` but CSV (whose columns SPEC §4 fixes), and only
# with --prognosis. The fixture, worked out by hand for D = 30/06/2023 and
# P = 31/12/2023 (Limburg has 42 municipalities then):
#   covered on D: Beringen, Wellen, Hasselt, Bree, Bilzen            5/42
#   SO-T-HASPENGOUW  principieel akkoord, expected 01/09/2023: Alken, Heers
#                    (its third party, Wellen, is covered on D already)
#   SO-T-BERINGEN    signed: Tessenderlo bound from its council's approval
#                    25/09/2023; Leopoldsburg planned from 01/12/2023
#   SO-T-HASSELT     signed, ends 31/10/2023: Hasselt not covered on P
#   prognosis: 5 - Hasselt + Alken, Heers, Tessenderlo, Leopoldsburg  8/42
#   nothing in sight: 42 - 8 - Hasselt = 33, among them Diepenbeek (exploring
#   since 10/05/2023), Zutendaal (declined on 01/02/2023; its negotiating of
#   01/08/2023 is after D), Genk (SO-T-GENK expected 01/03/2024, after P).
#   West-Vlaanderen: all 64 covered by SO-T-WVL-ALL: no footnote.
source tests/cli/lib.sh
fresh_db
check_exit "import the fixture" 0 somon import "$FIX/footnotes.json"

check_exit "text" 0 somon report coverage --date 2023-06-30 --prognosis 2023-12-31
check_contains "the table is unchanged" "Limburg           5/42        12       8/42        19" "$OUT"
check_contains "a heading names P" "Voetnoten bij de prognose op 31/12/2023:" "$OUT"
check_contains "(1) the pipeline agreement adds two" \
  "Limburg (1) Nog 2 gemeenten via SO-T-HASPENGOUW (Samen <Haspengouw> & co (testgegeven)), principieel akkoord, verwacht vanaf 01/09/2023: Alken en Heers." "$OUT"
check_contains "(2) a council that approves after D" \
  "Limburg (2) Nog 1 gemeente via SO-T-BERINGEN (Beringen en buren (testgegeven)), ondertekend, gebonden vanaf 25/09/2023: Tessenderlo." "$OUT"
check_contains "(3) a planned party" \
  "Limburg (3) Nog 1 gemeente treedt toe tot SO-T-BERINGEN (Beringen en buren (testgegeven)), ondertekend, verwacht vanaf 01/12/2023: Leopoldsburg." "$OUT"
check_contains "(4) an agreement that ends" \
  "Limburg (4) 1 gemeente niet meer gedekt: SO-T-HASSELT (Hasselt tot oktober (testgegeven)), ondertekend, loopt tot 31/10/2023: Hasselt." "$OUT"
check_contains "(5) nothing in sight" "Limburg (5) Nog niets in zicht voor 33 gemeenten: As (nog niets geregistreerd); " "$OUT"
check_contains "stage and note on D" "; Diepenbeek (verkennend sinds 10/05/2023: aparte SO in onderzoek); " "$OUT"
check_contains "an entry after D does not count" \
  "; Zutendaal (afgewezen sinds 01/02/2023: weinig bereidheid <script>alert(1)</script> & \"co\")." "$OUT"
check_contains "what comes after P is said" "; Genk (nog niets geregistreerd; SO-T-GENK verwacht vanaf 01/03/2024); " "$OUT"
check_not_contains "Wellen, covered on D, is not added" "Wellen" "$(grep '^Limburg (' <<<"$OUT")"
check_eq "no footnote for West-Vlaanderen" "" "$(grep '^West-Vlaanderen (' <<<"$OUT")"
check_eq "one nothing-in-sight footnote for each other province" \
  "Oost-Vlaanderen (1) Nog niets in zicht voor 60 gemeenten:|Antwerpen (1) Nog niets in zicht voor 69 gemeenten:|Vlaams-Brabant (1) Nog niets in zicht voor 65 gemeenten:" \
  "$(grep -E '^(Oost-Vlaanderen|Antwerpen|Vlaams-Brabant) \(' <<<"$OUT" | cut -d: -f1 | sed 's/$/:/' | paste -sd'|')"
check_eq "five Limburg footnotes" "5" "$(grep -c '^Limburg (' <<<"$OUT")"

check_exit "text without prognosis" 0 somon report coverage --date 2023-06-30
check_not_contains "no footnotes without a prognosis" "Voetnoten" "$OUT"

# CSV: the columns of SPEC §4, exactly, and nothing else
check_exit "csv" 0 somon report coverage --date 2023-06-30 --prognosis 2023-12-31 --format csv
check_eq "csv has the table only" "7" "$(wc -l <<<"$OUT")"
check_eq "csv Limburg" "Limburg,2023-06-30,5,42,12,2023-12-31,8,42,19,0,0,,0,0," "$(csv_row Limburg "$OUT")"

# JSON: a footnotes array, read back with Python
check_exit "json" 0 somon report coverage --date 2023-06-30 --prognosis 2023-12-31 --format json
check_eq "json footnotes of Limburg" \
  "1 pipeline SO-T-HASPENGOUW agreed_in_principle 2023-09-01 Alken,Heers
2 later SO-T-BERINGEN signed 2023-09-25 Tessenderlo
3 planned SO-T-BERINGEN signed 2023-12-01 Leopoldsburg
4 ending SO-T-HASSELT signed 2023-10-31 Hasselt
5 nothing None None None 33" "$($PY -c '
import json, sys
d = json.load(sys.stdin)
for f in d["footnotes"]:
    if f["province"] != "Limburg": continue
    ms = f["municipalities"]
    print(f["number"], f["kind"], f["agreement"], f["status"], f["expected"],
          len(ms) if f["kind"] == "nothing" else ",".join(m["name"] for m in ms))
' <<<"$OUT")"
check_eq "json: an item of nothing in sight" \
  "71067 Zutendaal declined 2023-02-01 weinig bereidheid <script>alert(1)</script> & \"co\" None" "$($PY -c '
import json, sys
d = json.load(sys.stdin)
f = [f for f in d["footnotes"] if f["province"] == "Limburg" and f["kind"] == "nothing"][0]
m = [m for m in f["municipalities"] if m["nis"] == "71067"][0]
print(m["nis"], m["name"], m["stage"], m["stage_on"], m["note"], m["later_agreement"])
' <<<"$OUT")"
check_eq "json: the text of a footnote" \
  "Nog 1 gemeente treedt toe tot SO-T-BERINGEN (Beringen en buren (testgegeven)), ondertekend, verwacht vanaf 01/12/2023: Leopoldsburg." \
  "$($PY -c 'import json,sys; d=json.load(sys.stdin); print([f["text"] for f in d["footnotes"] if f["kind"] == "planned"][0])' <<<"$OUT")"
check_exit "json without prognosis" 0 somon report coverage --date 2023-06-30 --format json
check_eq "an empty footnotes array" "[]" "$($PY -c 'import json,sys; print(json.load(sys.stdin)["footnotes"])' <<<"$OUT")"

# Markdown: below the table, stored text escaped for Markdown
check_exit "markdown" 0 somon report coverage --date 2023-06-30 --prognosis 2023-12-31 --format md
check_contains "md heading" "**Voetnoten bij de prognose op 31/12/2023**" "$OUT"
check_contains "md item" "- Limburg (1) Nog 2 gemeenten via SO-T-HASPENGOUW (Samen \\<Haspengouw\\> \\& co (testgegeven)), principieel akkoord" "$OUT"
check_not_contains "md never passes a tag through" "<script>" "$OUT"

# HTML: below the table, escaped
check_exit "html" 0 somon report coverage --date 2023-06-30 --prognosis 2023-12-31 --format html
check_contains "html section" '<h2>Voetnoten bij de prognose op 31/12/2023</h2>' "$OUT"
check_contains "html Limburg list" '<h3>Limburg</h3>' "$OUT"
check_contains "html escapes the title" 'Samen &lt;Haspengouw&gt; &amp; co' "$OUT"
check_not_contains "html never passes a tag through" "<script>" "$OUT"

# XLSX: the table on the first sheet as before, the footnotes on a second
check_exit "xlsx" 0 somon report coverage --date 2023-06-30 --prognosis 2023-12-31 --format xlsx --output "$TMP/f.xlsx"
check_eq "xlsx: two sheets, the footnotes on the second" \
  "Sheet1|Voetnoten
Provincie|Nr.|Soort|Overeenkomst|Status|Datum|Gemeenten|Voetnoot
Limburg 1 pijplijn SO-T-HASPENGOUW principieel akkoord 2023-09-01 2
Limburg 5 niets in zicht None None None 33" "$($PY - "$TMP/f.xlsx" <<'PYEOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("|".join(wb.sheetnames))
ws = wb["Voetnoten"]
rows = list(ws.iter_rows(values_only=True))
print("|".join(rows[0]))
for r in rows[1:]:
    if r[0] == "Limburg" and r[1] in (1, 5):
        print(r[0], r[1], r[2], r[3], r[4], r[5].date().isoformat() if r[5] else None, r[6])
PYEOF
)"

# The 2025 merger: on D = 30/06/2024 Bilzen is covered and Hoeselt not; SO-T-HOESELT
# (awaiting approval, expected 01/10/2024) names Hoeselt, so by 31/03/2025
# Bilzen-Hoeselt is covered through both former municipalities.
check_exit "across the merger" 0 somon report coverage --date 2024-06-30 --prognosis 2025-03-31
check_contains "the merged municipality, via its former one" \
  "Nog 1 gemeente via SO-T-HOESELT (Hoeselt sluit aan (testgegeven)), wacht op goedkeuring, verwacht vanaf 01/10/2024: Bilzen-Hoeselt (via Hoeselt)." "$OUT"

finish
