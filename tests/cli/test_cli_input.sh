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
# --as-known-at takes a day as people type it: the start of that local day, as 2023-07-01 does
check_exit "as known at, ISO day" 0 somon report coverage --date 2023-06-30 --as-known-at 2023-07-01 --format csv
iso=$OUT
check_exit "as known at, nl-BE day" 0 somon report coverage --date 2023-06-30 --as-known-at 01/07/2023 --format csv
check_eq "the same table" "$iso" "$OUT"
# (the demo was imported today, so in 2023 the register did not know it yet: the day was read)
check_exit "history as known at an nl-BE day" 66 somon history SO-MECHELEN-2021 --as-known-at 01/07/2023
check_contains "read as that day" "as known at 01/07/2023" "$ERR"
check_exit "history: a day in neither form" 64 somon history SO-MECHELEN-2021 --as-known-at 1/7/2023
finish
