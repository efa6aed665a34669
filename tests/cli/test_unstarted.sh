#!/usr/bin/env bash
# A signed agreement without start is named in the annex under each of its
# municipalities across both mergers, marked, not counted; an agreement that
# covers wins (SPEC §3, issue 9; docs/states.md). The demo register plus
# tests/cli/fixtures/unstarted.json:
#   SO-T-UNSTARTED         signed, no start, end 2025-12-31: Kruibeke 46013 (in
#                          Beveren-Kruibeke-Zwijndrecht 46030 from 2025), Nevele
#                          44049 (in Deinze 44083 from 2019)
#   SO-T-UNSTARTED-BESIDE  signed, no start: Mechelen 12025, which the demo's
#                          SO-MECHELEN-2021 covers 2021-03-01 .. 2025-12-31
source tests/cli/lib.sh
demo_db
check_exit "import the fixture" 0 somon import "$FIX/unstarted.json"

annex() { check_exit "annex $*" 0 somon report annex "$@"; }
MARK="ondertekend, begindatum onbekend"
AG='SO-T-UNSTARTED "Ondertekend, begindatum niet vermeld", begin onbekend – 31/12/2025, ondertekend, begindatum onbekend'

# 30/06/2018: Nevele itself, before its merger
annex --date 2018-06-30 --province Oost-Vlaanderen
check_contains "2018: Nevele named" "  Nevele (44049): $MARK
    $AG" "$OUT"
# 30/06/2023: Kruibeke itself (2019 territory); Deinze through its former Nevele
annex --date 2023-06-30 --province Oost-Vlaanderen
check_contains "2023: Kruibeke named" "  Kruibeke (46013): $MARK
    $AG" "$OUT"
check_contains "2023: Deinze via Nevele" "  Deinze (44083): $MARK
    $AG, via Nevele (44049)" "$OUT"
# not counted: Oost-Vlaanderen's figure is that of the coverage report
COV=$(somon report coverage --date 2023-06-30 --format csv | csv_row Oost-Vlaanderen "$(cat)" | cut -d, -f3,4)
check_contains "2023: the count of the coverage report" "Oost-Vlaanderen: ${COV/,//} gemeenten gedekt" "$OUT"
# 30/06/2025: Beveren-Kruibeke-Zwijndrecht through Kruibeke
annex --date 2025-06-30 --province Oost-Vlaanderen
check_contains "2025: Beveren-Kruibeke-Zwijndrecht via Kruibeke" "  Beveren-Kruibeke-Zwijndrecht (46030): $MARK
    $AG, via Kruibeke (46013)" "$OUT"
# 01/01/2026: past the end, nothing names them
annex --date 2026-01-01 --province Oost-Vlaanderen
check_not_contains "2026: not after the end" "SO-T-UNSTARTED" "$OUT"

# Mechelen: covered wins, the agreements without start are named beside
# (the fixture's, and the demo's 2017 agreement of seed 001)
annex --date 2023-06-30 --province Antwerpen
check_contains "Mechelen covered, all three named" '  Mechelen (12025)
    SO-MECHELEN-2021 "Samen sterk voor lokaal werk in 2020 - 2025", 01/03/2021 – 31/12/2025, ondertekend
    SO-MECHELEN-2017 "Samenwerkingsovereenkomst Groep Mechelen - VDAB voor een inclusief lokaal arbeidsmarkt-, werkgelegenheids- en welzijnsbeleid", begin onbekend – (open), ondertekend, begindatum onbekend
    SO-T-UNSTARTED-BESIDE "Ondertekend zonder begindatum naast een dekkende", begin onbekend – 31/12/2025, ondertekend, begindatum onbekend' "$OUT"
check_contains "Kalmthout of the demo cluster" "  Kalmthout (11022): $MARK" "$OUT"

# Every format says signed_no_start (machine) or the mark (people)
annex --date 2023-06-30 --province Oost-Vlaanderen --format csv
check_contains "csv: Deinze" "Oost-Vlaanderen,44083,Deinze,signed_no_start,SO-T-UNSTARTED,\"Ondertekend, begindatum niet vermeld\",,2025-12-31,signed,44049,Nevele," "$OUT"
annex --date 2023-06-30 --province Antwerpen --format csv
check_contains "csv: Mechelen covered" "Antwerpen,12025,Mechelen,covered,SO-T-UNSTARTED-BESIDE," "$OUT"
annex --date 2023-06-30 --province Oost-Vlaanderen --format json
check_contains "json: Deinze" '"nis": "44083", "name": "Deinze", "coverage": "signed_no_start", "agreements": [{"id": "SO-T-UNSTARTED", "title": "Ondertekend, begindatum niet vermeld", "status": "signed", "begin": null, "end": "2025-12-31", "via": {"nis": "44049", "name": "Nevele"}, "counted": false}' "$OUT"
annex --date 2023-06-30 --province Oost-Vlaanderen --format md
check_contains "md: Kruibeke" "| Oost-Vlaanderen | 46013 | Kruibeke | $MARK | SO-T-UNSTARTED |" "$OUT"
annex --date 2023-06-30 --province Oost-Vlaanderen --format html
check_contains "html: Deinze" "<td>Deinze</td><td>$MARK</td>" "$OUT"
annex --date 2025-06-30 --province Oost-Vlaanderen --format xlsx --output "$TMP/a.xlsx"
check_contains "xlsx: Beveren-Kruibeke-Zwijndrecht marked" "$MARK" "$(unzip -p "$TMP/a.xlsx" xl/sharedStrings.xml)"
check_contains "xlsx: via Kruibeke" ">Kruibeke<" "$(unzip -p "$TMP/a.xlsx" xl/sharedStrings.xml)"
finish
