#!/usr/bin/env bash
# The annex: every municipality with the agreements covering it on a date.
source tests/cli/lib.sh
fresh_db
check_exit "import the rules fixture" 0 somon import "$FIX/rules.json"

check_exit "annex csv" 0 somon report annex --date 2023-06-30 --format csv
check_eq "header" "province,nis,municipality,coverage,agreement,title,begin,end,status,via_nis,via_municipality,decisions" "$(head -1 <<<"$OUT")"
check_contains "Oostende until its last day" "West-Vlaanderen,35013,Oostende,covered,SO-T-LATE,Kust en Leie,2021-01-01,2023-06-30,signed,," "$OUT"
check_contains "Brugge not yet" "West-Vlaanderen,31005,Brugge,none,,,,,,," "$OUT"
check_contains "Melle" "Oost-Vlaanderen,44040,Melle,covered,SO-T-MERELBEKE,Melle en Merelbeke,2021-10-01,2025-12-31,signed,," "$OUT"
check_eq "one row per municipality without agreement, 300 in all" 300 "$(tail -n +2 <<<"$OUT" | cut -d, -f2 | sort -u | wc -l)"
check_eq "provinces in the order of the table" "West-Vlaanderen Oost-Vlaanderen Antwerpen Vlaams-Brabant Limburg" \
  "$(tail -n +2 <<<"$OUT" | cut -d, -f1 | uniq | tr '\n' ' ' | sed 's/ $//')"

check_exit "annex in 2025 for one province" 0 somon report annex --date 2025-06-30 --province Oost-Vlaanderen --format csv
check_contains "merged: via its former municipalities" "Oost-Vlaanderen,44088,Merelbeke-Melle,covered,SO-T-MERELBEKE,Melle en Merelbeke,2021-10-01,2025-12-31,signed,44040,Melle" "$OUT"
check_contains "both of them" "Oost-Vlaanderen,44088,Merelbeke-Melle,covered,SO-T-MERELBEKE,Melle en Merelbeke,2021-10-01,2025-12-31,signed,44043,Merelbeke" "$OUT"
check_contains "partial" "Oost-Vlaanderen,46029,Lokeren,partial,SO-T-LOKEREN,Lokeren zonder Moerbeke,2022-01-01,2025-12-31,signed,46014,Lokeren" "$OUT"
check_not_contains "only that province" "West-Vlaanderen" "$OUT"
check_eq "55 municipalities" 55 "$(tail -n +2 <<<"$OUT" | cut -d, -f2 | sort -u | wc -l)"

check_exit "annex text" 0 somon report annex --date 2025-06-30 --province Antwerpen
check_contains "title" "Bijlage: samenwerkingsovereenkomsten per gemeente op 30/06/2025 – Antwerpen" "$OUT"
check_contains "count" "Antwerpen: 0/67 gemeenten gedekt" "$OUT"
check_contains "partial Antwerpen" "Antwerpen (11002): gedeeltelijk gedekt" "$OUT"
check_contains "via" 'SO-T-ANTWERPEN "Antwerpen voor de fusie", 01/01/2021 – 31/12/2025, ondertekend, via Antwerpen (11002)' "$OUT"
check_contains "none" "Borsbeek" "$(somon report annex --date 2024-12-31 --province Antwerpen)"

check_exit "annex json" 0 somon report annex --date 2023-06-30 --province West-Vlaanderen --format json
check_eq "json" "covered SO-T-LATE 2023-06-30 | none 0" "$($PY -c '
import json, sys
m = {x["name"]: x for x in json.load(sys.stdin)["municipalities"]}
o, b = m["Oostende"], m["Brugge"]
print(o["coverage"], o["agreements"][0]["id"], o["agreements"][0]["end"], "|", b["coverage"], len(b["agreements"]))' <<<"$OUT")"
check_exit "annex md" 0 somon report annex --date 2023-06-30 --province West-Vlaanderen --format md
check_contains "md row" "| West-Vlaanderen | 35013 | Oostende | gedekt | SO-T-LATE | Kust en Leie | 01/01/2021 | 30/06/2023 | ondertekend |" "$OUT"
check_exit "annex html" 0 somon report annex --date 2023-06-30 --format html
check_contains "html" "<td>Kust en Leie</td>" "$OUT"
check_exit "annex xlsx" 0 somon report annex --date 2023-06-30 --format xlsx --output "$TMP/a.xlsx"
check_eq "xlsx rows" "301 Oostende 2023-06-30" "$($PY -c '
import sys, openpyxl
rows = list(openpyxl.load_workbook(sys.argv[1]).active.iter_rows(values_only=True))
o = [r for r in rows if r[2] == "Oostende"][0]
print(len(rows), o[2], o[7].date().isoformat())' "$TMP/a.xlsx")"
check_exit "bad province" 64 somon report annex --date 2023-06-30 --province Brabant
check_contains "lists the provinces" "West-Vlaanderen, Oost-Vlaanderen" "$ERR"
check_exit "annex has no prognosis" 64 somon report annex --date 2023-06-30 --prognosis 2023-12-31

# A title that a spreadsheet would run as a formula stays text (CWE-1236).
sed 's/"title": "Kust en Leie"/"title": "=HYPERLINK(\\"http:\/\/x\\")"/' "$FIX/rules.json" >"$TMP/formula.json"
check_exit "import a formula-like title" 0 somon import "$TMP/formula.json"
check_exit "annex csv" 0 somon report annex --date 2023-06-30 --province West-Vlaanderen --format csv
check_contains "quoted with an apostrophe" "\"'=HYPERLINK(\"\"http://x\"\")\"" "$OUT"
finish
