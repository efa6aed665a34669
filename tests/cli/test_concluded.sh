#!/usr/bin/env bash
# somon report concluded: the agreements concluded (signed_on) from A to B,
# per province and municipality with each party's begin and end (issue 10,
# the first half of question 1 of seed 004: "alle gemeenten die in 2021, 2022
# en de eerste helft van 2023 een samenwerkingsovereenkomst hebben gesloten").
# Fixture tests/cli/fixtures/concluded.json; figures worked out by hand below.
source tests/cli/lib.sh
fresh_db
check_exit "import the fixture" 0 somon import "$FIX/concluded.json"

# 1/1/2021 .. 30/06/2023: the first and the last day count, the days around them
# do not, and an unknown signed_on is in no period.
check_exit "concluded in 2021 - June 2023, CSV" 0 somon report concluded --from 2021-01-01 --to 2023-06-30 --format csv
check_eq "header" "province,nis,municipality,agreement,title,kind,signed_on,begin,end,status" "$(head -1 <<<"$OUT")"
check_eq "rows: Oost-Vlaanderen by name (Gent, Kruibeke, the association's agreement), then Limburg" \
  "Oost-Vlaanderen,,,SO-T-C-ORG
Oost-Vlaanderen,44021,Gent,SO-T-C-FIRSTDAY
Oost-Vlaanderen,46013,Kruibeke,SO-T-C-FIRSTDAY
Limburg,71022,Hasselt,SO-T-C-LASTDAY" "$(tail -n +2 <<<"$OUT" | cut -d, -f1-4)"
# Kruibeke is bound from its council's approval (12/04/2021), Gent from the start;
# both end with the agreement. Kruibeke keeps its own name (it merged in 2025).
check_contains "Kruibeke from its approval" \
  "Oost-Vlaanderen,46013,Kruibeke,SO-T-C-FIRSTDAY,Getekend op de eerste dag (testgegeven),cluster,2021-01-01,2021-04-12,2025-12-31,signed" "$OUT"
check_contains "Gent from the start" ",44021,Gent,SO-T-C-FIRSTDAY,Getekend op de eerste dag (testgegeven),cluster,2021-01-01,2021-03-01,2025-12-31,signed" "$OUT"
check_contains "Hasselt: signed, start unknown" ",71022,Hasselt,SO-T-C-LASTDAY,Getekend op de laatste dag (testgegeven),centrumstad,2023-06-30,,,signed" "$OUT"
check_not_contains "not the day before" "SO-T-C-BEFORE" "$OUT"
check_not_contains "not the day after" "SO-T-C-AFTER" "$OUT"
check_not_contains "not an unknown signed_on" "SO-T-C-UNKNOWN" "$OUT"

check_exit "as text" 0 somon report concluded --from 2021-01-01 --to 2023-06-30
check_contains "title" "Samenwerkingsovereenkomsten afgesloten van 01/01/2021 tot en met 30/06/2023" "$OUT"
check_contains "per province, with counts" "Oost-Vlaanderen: 2 overeenkomst(en), 2 gemeente(n)" "$OUT"
check_contains "an empty province says so" "West-Vlaanderen: 0 overeenkomst(en), 0 gemeente(n)" "$OUT"
check_contains "per municipality, by name" "  Kruibeke (46013)
    SO-T-C-FIRSTDAY \"Getekend op de eerste dag (testgegeven)\", ondertekend op 01/01/2021, 12/04/2021 – 31/12/2025, ondertekend" "$OUT"
check_contains "signed without start, marked" "begin onbekend – (open), ondertekend, begindatum onbekend" "$OUT"

check_exit "one province" 0 somon report concluded --from 2021-01-01 --to 2023-06-30 --province Limburg --format csv
check_eq "only Limburg" "1 Limburg,71022" "$(tail -n +2 <<<"$OUT" | wc -l) $(tail -n +2 <<<"$OUT" | cut -d, -f1-2)"

check_exit "JSON" 0 somon report concluded --from 2023-06-30 --to 2023-06-30 --format json
check_eq "JSON rows" "1 71022 None signed" "$($PY -c 'import json,sys; d=json.load(sys.stdin); r=d["rows"]; print(len(r), r[0]["nis"], r[0]["begin"], r[0]["status"])' <<<"$OUT")"

check_exit "XLSX" 0 somon report concluded --from 2021-01-01 --to 2023-06-30 --format xlsx --output "$TMP/c.xlsx"
check_eq "XLSX read back" "4 Kruibeke" "$($PY -c 'import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1]).active; rows=list(ws.iter_rows(values_only=True)); print(len(rows)-1, rows[3][2])' "$TMP/c.xlsx")"

# bad input: a usage error naming the fix, nothing else
check_exit "no period" 64 somon report concluded --from 2021-01-01
check_contains "says what is missing" "report concluded needs --from YYYY-MM-DD and --to YYYY-MM-DD" "$ERR"
check_exit "reversed period" 64 somon report concluded --from 2023-06-30 --to 2021-01-01
check_contains "says to swap" "--from lies after --to; give the earlier day first" "$ERR"
check_exit "a date is not a period" 64 somon report concluded --date 2023-06-30 --from 2021-01-01 --to 2023-06-30
check_contains "says to use the period" "report concluded has no --date" "$ERR"
check_exit "the other reports have no period" 64 somon report annex --date 2023-06-30 --from 2021-01-01
check_contains "says so" "only report concluded has --from and --to" "$ERR"
check_exit "not a date" 64 somon report concluded --from 2021-13-01 --to 2023-06-30
check_contains "names the option" "--from '2021-13-01' is not a date" "$ERR"
finish
