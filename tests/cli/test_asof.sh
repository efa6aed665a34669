#!/usr/bin/env bash
# --as-known-at reproduces what was known at a moment, after later corrections.
source tests/cli/lib.sh
fresh_db
check_exit "import version 1" 0 somon import "$FIX/rules.json"
T1=$(sqlite3 "$DB" "SELECT moment FROM change ORDER BY id DESC LIMIT 1")
somon export >"$TMP/v1.json"
somon report coverage --date 2023-06-30 --prognosis 2023-12-31 --format csv >"$TMP/v1.csv"
sleep 0.01
# The correction: Melle and Merelbeke's agreement really started in 2024.
sed 's/"start": "2021-10-01"/"start": "2024-01-01"/' "$FIX/rules.json" >"$TMP/v2.json"
check_exit "import the correction" 0 somon --actor corrector import "$TMP/v2.json"
check_contains "one agreement replaced" "1 replaced" "$OUT"

check_exit "current figures" 0 somon report coverage --date 2023-06-30 --format csv
check_eq "corrected: Lokeren only" "Oost-Vlaanderen,2023-06-30,1,60,2" "$(csv_row Oost-Vlaanderen "$OUT" | cut -d, -f1-5)"
check_exit "as known at version 1" 0 somon report coverage --date 2023-06-30 --prognosis 2023-12-31 --format csv --as-known-at "$T1"
check_eq "reproduces the published table byte for byte" "$(cat "$TMP/v1.csv")" "$OUT"
check_exit "json names the moment" 0 somon report coverage --date 2023-06-30 --format json --as-known-at "$T1"
check_contains "as_known_at in the json" "\"as_known_at\": \"$T1\"" "$OUT"
check_exit "export as known at version 1" 0 somon export --as-known-at "$T1"
check_eq "the old export" "$(cat "$TMP/v1.json")" "$OUT"
check_exit "annex as known at" 0 somon report annex --date 2023-06-30 --province Oost-Vlaanderen --format csv --as-known-at "$T1"
check_contains "Melle was covered then" "Oost-Vlaanderen,44040,Melle,covered,SO-T-MERELBEKE" "$OUT"

# Before anything was recorded, nothing was known.
check_exit "before the database existed" 0 somon report coverage --date 2023-06-30 --format csv --as-known-at 2001-01-01T00:00:00Z
check_eq "an empty map" "Vlaanderen,2023-06-30,0,0," "$(csv_row Vlaanderen "$OUT" | cut -d, -f1-5)"

# Without an offset a moment is local time: in UTC+2 local noon is 10:00 UTC.
check_exit "local time" 0 env TZ=Europe/Brussels "$SOMON" --db "$DB" report coverage --date 2023-06-30 --format json --as-known-at 2023-07-01T12:00:00
check_contains "converted to UTC" '"as_known_at": "2023-07-01T10:00:00.000000Z"' "$OUT"
check_exit "offset" 0 somon report coverage --date 2023-06-30 --format json --as-known-at 2023-07-01T12:00:00+02:00
check_contains "offset converted" '"as_known_at": "2023-07-01T10:00:00.000000Z"' "$OUT"
check_exit "bad moment" 64 somon report coverage --date 2023-06-30 --as-known-at yesterday
check_contains "names it" "'yesterday' is not a moment" "$ERR"
finish
