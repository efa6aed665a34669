#!/usr/bin/env bash
# The coverage report (SPEC §4) against figures worked out by hand from the
# fixtures, in every format.
source tests/cli/lib.sh
fresh_db
check_exit "import the rules fixture" 0 somon import "$FIX/rules.json"

HEADER="province,date,covered,total,pct,prognosis_date,prognosis_covered,prognosis_total,prognosis_pct,regions_covered,regions_total,regions_pct,prognosis_regions_covered,prognosis_regions_total,prognosis_regions_pct"
check_exit "csv with prognosis" 0 somon report coverage --date 2023-06-30 --prognosis 2023-12-31 --format csv
# 30/06/2023: Oostende covered up to and including its until; Brugge joins
# 01/07; Kortrijk only planned; Ieper's agreement has no start; Aalst's
# ended 01/01/2023; Gent's is in the pipeline. 31/12/2023 adds Brugge,
# Kortrijk (expected 01/10) and Gent (expected start 01/09), drops Oostende.
check_eq "csv" "$HEADER
West-Vlaanderen,2023-06-30,1,64,2,2023-12-31,2,64,3,1,1,100,1,1,100
Oost-Vlaanderen,2023-06-30,3,60,5,2023-12-31,4,60,7,0,1,0,1,1,100
Antwerpen,2023-06-30,1,69,1,2023-12-31,1,69,1,0,0,,0,0,
Vlaams-Brabant,2023-06-30,0,65,0,2023-12-31,0,65,0,0,0,,0,0,
Limburg,2023-06-30,0,42,0,2023-12-31,0,42,0,0,0,,0,0,
Vlaanderen,2023-06-30,5,300,2,2023-12-31,7,300,2,1,2,50,2,2,100" "$OUT"

check_exit "csv without prognosis" 0 somon report coverage --date 2025-06-30 --format csv
# 2025: Merelbeke-Melle covered through both former municipalities; Lokeren
# (with Moerbeke) and Antwerpen (with Borsbeek) only partially: not in n.
check_eq "merged municipalities in 2025" "$HEADER
West-Vlaanderen,2025-06-30,1,62,2,,,,,1,1,100,,,
Oost-Vlaanderen,2025-06-30,1,55,2,,,,,0,1,0,,,
Antwerpen,2025-06-30,0,67,0,,,,,0,0,,,,
Vlaams-Brabant,2025-06-30,0,63,0,,,,,0,0,,,,
Limburg,2025-06-30,0,38,0,,,,,0,0,,,,
Vlaanderen,2025-06-30,2,285,1,,,,,1,2,50,,," "$OUT"

check_exit "day before termination" 0 somon report coverage --date 2022-12-31 --format csv
check_eq "Aalst still covered on 31/12/2022" "Oost-Vlaanderen,2022-12-31,4" "$(csv_row Oost-Vlaanderen "$OUT" | cut -d, -f1-3)"
check_exit "day of termination" 0 somon report coverage --date 2023-01-01 --format csv
check_eq "Aalst no longer on 01/01/2023" "Oost-Vlaanderen,2023-01-01,3" "$(csv_row Oost-Vlaanderen "$OUT" | cut -d, -f1-3)"
check_exit "after the end" 0 somon report coverage --date 2026-01-01 --format csv
check_eq "nothing after 31/12/2025" "Vlaanderen,2026-01-01,0,285,0" "$(csv_row Vlaanderen "$OUT" | cut -d, -f1-5)"

check_exit "text" 0 somon report coverage --date 2023-06-30 --prognosis 2023-12-31
check_contains "text header" "op 30/06/2023        prognose 31/12/2023" "$OUT"
check_contains "text row" "Oost-Vlaanderen   3/60        5        4/60        7        0/1         0        1/1         100" "$OUT"
check_contains "text total" "Vlaanderen        5/300       2        7/300       2        1/2         50       2/2         100" "$OUT"
check_exit "text in 2025" 0 somon report coverage --date 2025-06-30
check_contains "partial municipalities are named in a note" "2 fusiegemeente(n) gedeeltelijk gedekt" "$OUT"
check_contains "per province" "Oost-Vlaanderen 1 Antwerpen 1" "$OUT"

check_exit "json" 0 somon report coverage --date 2025-06-30 --prognosis 2025-12-31 --format json
check_eq "json parses, with partial counts" "Oost-Vlaanderen 1 1 55 2 | Vlaanderen 2 2 285 1" "$($PY -c '
import json, sys
d = json.load(sys.stdin)
r = {x["province"]: x for x in d["rows"]}
print(" | ".join("%s %d %d %d %d" % (p, r[p]["covered"], r[p]["partial"], r[p]["total"], r[p]["pct"]) for p in ("Oost-Vlaanderen", "Vlaanderen")))
' <<<"$OUT")"
check_eq "json dates" "2025-06-30 2025-12-31 None" "$($PY -c 'import json,sys; d=json.load(sys.stdin); print(d["date"], d["prognosis_date"], d["as_known_at"])' <<<"$OUT")"

check_exit "markdown" 0 somon report coverage --date 2023-06-30 --prognosis 2023-12-31 --format md
check_contains "md header" "| Provincie | Gemeenten op 30/06/2023 (n/N) | % | Gemeenten prognose 31/12/2023 (n/N) | % |" "$OUT"
check_contains "md row" "| Vlaanderen | 5/300 | 2 | 7/300 | 2 | 1/2 | 50 | 2/2 | 100 |" "$OUT"

check_exit "html" 0 somon report coverage --date 2023-06-30 --format html
check_contains "html document in Dutch" '<html lang="nl-BE">' "$OUT"
check_contains "html row with header cell" '<th scope="row">Vlaanderen</th><td>5/300</td><td>2</td>' "$OUT"

check_exit "xlsx needs --output" 64 somon report coverage --date 2023-06-30 --format xlsx
check_exit "xlsx" 0 somon report coverage --date 2023-06-30 --prognosis 2023-12-31 --format xlsx --output "$TMP/c.xlsx"
check_eq "xlsx read back with openpyxl" "Provincie|Gemeenten gedekt|Gemeenten|% gemeenten
West-Vlaanderen 2023-06-30 1 64 2
Vlaanderen 2023-06-30 5 300 2
int int int" "$($PY - "$TMP/c.xlsx" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = list(ws.iter_rows(values_only=True))
print("|".join(rows[0][i] for i in (0, 2, 3, 4)))
for r in (rows[1], rows[6]):
    print(r[0], r[1].date().isoformat(), r[2], r[3], r[4])
print(*(type(rows[6][i]).__name__ for i in (2, 3, 4)))
PYEOF
)"
check_exit "xlsx into a missing folder" 73 somon report coverage --date 2023-06-30 --format xlsx --output "$TMP/no/such/c.xlsx"
check_contains "says which file" "no/such/c.xlsx" "$ERR"

# Percentages round half up: 8 of the 64 West-Flemish municipalities is 12.5 %.
fresh_db
check_exit "import the half fixture" 0 somon import "$FIX/half.json"
check_exit "half" 0 somon report coverage --date 2023-06-30 --format csv
check_eq "12.5 rounds to 13" "West-Vlaanderen,2023-06-30,8,64,13" "$(csv_row West-Vlaanderen "$OUT" | cut -d, -f1-5)"

# The demo data: Mechelen from 01/03/2021; Scheldeland (eight municipalities
# and its regiegebied) from 01/10/2021; the cluster states no start date.
demo_db
check_exit "demo before Mechelen" 0 somon report coverage --date 2021-02-28 --format csv
check_eq "nothing on 28/02/2021" "Vlaanderen,2021-02-28,0,300,0" "$(csv_row Vlaanderen "$OUT" | cut -d, -f1-5)"
check_exit "demo" 0 somon report coverage --date 2023-06-30 --prognosis 2023-12-31 --format csv
check_eq "demo Antwerpen" "Antwerpen,2023-06-30,1,69,1,2023-12-31,1,69,1,0,2,0,0,2,0" "$(csv_row Antwerpen "$OUT")"
check_eq "demo Oost-Vlaanderen" "Oost-Vlaanderen,2023-06-30,8,60,13,2023-12-31,8,60,13,1,1,100,1,1,100" "$(csv_row Oost-Vlaanderen "$OUT")"
check_eq "demo Vlaanderen" "Vlaanderen,2023-06-30,9,300,3,2023-12-31,9,300,3,1,3,33,1,3,33" "$(csv_row Vlaanderen "$OUT")"

# Usage errors: 64 with the usage text.
check_exit "no date" 64 somon report coverage
check_contains "says --date" "needs --date" "$ERR"
check_exit "bad date" 64 somon report coverage --date 2023-02-30
check_contains "names the value" "'2023-02-30' is not a date" "$ERR"
check_exit "bad format" 64 somon report coverage --date 2023-06-30 --format pdf
check_exit "unknown flag" 64 somon report coverage --date 2023-06-30 --colour
check_contains "names the flag" "--colour" "$ERR"
check_exit "unknown report" 64 somon report totals --date 2023-06-30
check_exit "unknown command" 64 somon frobnicate
check_exit "unknown global flag" 64 "$SOMON" --dbx x init
check_exit "--help" 0 somon --help
check_contains "usage on stdout" "report coverage --date D" "$OUT"
finish
