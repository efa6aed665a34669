#!/usr/bin/env bash
# SPEC §6: dates on the command line as 2023-06-30 and as 30/06/2023, province
# names in any case, for every command that takes them (issue 11); a date in
# neither form is refused naming both.
source tests/cli/lib.sh
demo_db

check_exit "coverage, ISO" 0 somon report coverage --date 2023-06-30 --prognosis 2023-12-31 --format csv
iso=$OUT
check_exit "coverage, nl-BE" 0 somon report coverage --date 30/06/2023 --prognosis 31/12/2023 --format csv
check_eq "the same table" "$iso" "$OUT"
check_exit "annex, nl-BE date and a province in lower case" 0 somon report annex --date 30/06/2023 --province oost-vlaanderen
check_contains "Oost-Vlaanderen's annex" "Oost-Vlaanderen: " "$OUT"
check_exit "annex, province in capitals" 0 somon report annex --date 2023-06-30 --province LIMBURG --format csv
check_contains "Limburg's" "Limburg," "$OUT"
check_exit "concluded, nl-BE" 0 somon report concluded --from 01/01/2021 --to 30/06/2023 --province antwerpen --format csv
check_exit "alerts, nl-BE and a province in any case" 0 somon alerts --date 03/12/2026 --province oost-vlaanderen --format csv
check_contains "Scheldeland's alerts" "SO-SCHELDELAND-2021" "$OUT"
check_not_contains "not Antwerpen's" "SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020" "$OUT"

# refused, naming both forms
for bad in 31/02/2023 2023/06/30 "30/6/2023" "+1/06/2023" " 1/06/2023" 30-06-2023; do
  check_exit "'$bad' is refused" 64 somon report coverage --date "$bad"
  check_contains "naming both forms ($bad)" "write YYYY-MM-DD or DD/MM/YYYY" "$ERR"
done
check_exit "before the map" 64 somon report coverage --date 31/12/1982
check_contains "says the range" "lies outside 1983-01-01 .. 2100-12-31" "$ERR"
check_exit "an unknown province" 64 somon report annex --date 30/06/2023 --province brabant
finish
