#!/usr/bin/env bash
# Council approvals (SPEC §3): a party covers from max(start, from, approved_on);
# a planned party counts in the prognosis from max(expected_from, approved_on);
# a pipeline agreement's party from max(expected_start, from, approved_on). A
# signed agreement without start counts nowhere but is named in the annex.
# Fixture tests/cli/fixtures/approvals.json, all in Limburg, which has 42
# municipalities from 2019 to 2024 (data/municipalities.csv):
#   SO-T-APPROVALS  signed 2022-01-01 .. 2025-12-31
#     Genk 71016      approved 2021-12-15 (before the start) -> from 2022-01-01
#     Hasselt 71022   approved 2022-01-01 (on the start)      -> from 2022-01-01
#     Beringen 71004  approved 2022-06-20 (after the start)   -> from 2022-06-20
#     Lommel 72020    no approval date                        -> from 2022-01-01
#     Houthalen 72039 planned: expected_from 2023-03-01, approved 2023-05-10
#                     -> prognosis only, from max(2023-03-01, 2023-05-10) = 2023-05-10
#   SO-T-APPR-PIPELINE   negotiating, expected_start 2023-09-01 .. 2025-12-31
#     Maasmechelen 73107 approved 2023-11-15 -> prognosis from 2023-11-15
#   SO-T-APPR-NOSTART    signed, no start, end 2025-12-31: Bree 72004 (approved
#                   2022-03-01), Peer 72030 (no approval): never counted
source tests/cli/lib.sh
fresh_db
check_exit "import the fixture" 0 somon import "$FIX/approvals.json"

lim() { check_exit "coverage $*" 0 somon report coverage "$@" --format csv; csv_row Limburg "$OUT" | cut -d, -f3-5,7-9; }

# 2022-01-01: Genk, Hasselt, Lommel = 3; Beringen not yet. 100*3/42 = 7.14 -> 7
check_eq "on the start, Beringen's council has not approved" "3,42,7,,," "$(lim --date 2022-01-01)"
# 2022-06-19, the day before Beringen's approval: still 3/42 -> 7
check_eq "the day before the late approval" "3,42,7,,," "$(lim --date 2022-06-19)"
# 2022-06-20: + Beringen = 4. 100*4/42 = 9.52 -> 10
check_eq "from the day of the late approval" "4,42,10,,," "$(lim --date 2022-06-20)"
# Flanders too: 3/300 = 1.0 -> 1 and 4/300 = 1.33 -> 1
check_eq "Flanders before" "3,300,1" "$(somon report coverage --date 2022-06-19 --format csv | csv_row Vlaanderen "$(cat)" | cut -d, -f3-5)"
check_eq "Flanders after" "4,300,1" "$(somon report coverage --date 2022-06-20 --format csv | csv_row Vlaanderen "$(cat)" | cut -d, -f3-5)"

# Prognosis on 2023-05-09: 4 covered; Houthalen's council approves only on 05-10: 4/42 -> 10
check_eq "planned party before its approval" "4,42,10,4,42,10" "$(lim --date 2023-05-09 --prognosis 2023-05-09)"
# Prognosis on 2023-05-10: + Houthalen = 5. 100*5/42 = 11.90 -> 12
check_eq "planned party from its approval" "4,42,10,5,42,12" "$(lim --date 2023-05-10 --prognosis 2023-05-10)"
# Prognosis on 2023-11-14: the pipeline agreement started (expected 09-01) but
# Maasmechelen approves on 11-15: still 5/42 -> 12
check_eq "pipeline party before its approval" "4,42,10,5,42,12" "$(lim --date 2023-06-30 --prognosis 2023-11-14)"
# Prognosis on 2023-11-15: + Maasmechelen = 6. 100*6/42 = 14.29 -> 14
check_eq "pipeline party from its approval" "4,42,10,6,42,14" "$(lim --date 2023-06-30 --prognosis 2023-11-15)"

# The signed agreement without start: Bree and Peer are not counted (above), but named.
check_exit "annex text" 0 somon report annex --date 2023-06-30 --province Limburg
check_contains "Bree is named, marked" "  Bree (72004): ondertekend, begindatum onbekend" "$OUT"
check_contains "with the agreement and no begin" \
  "    SO-T-APPR-NOSTART \"Ondertekend zonder begindatum\", begin onbekend – 31/12/2025, ondertekend, begindatum onbekend" "$OUT"
check_contains "Peer too" "  Peer (72030): ondertekend, begindatum onbekend" "$OUT"
check_contains "the count is unchanged: 4 of 42" "Limburg: 4/42 gemeenten gedekt" "$OUT"
check_contains "Beringen covered from its approval" \
  "    SO-T-APPROVALS \"Goedkeuring voor, op en na de start\", 20/06/2022 – 31/12/2025, ondertekend" "$OUT"
# Bree's council approved on 2022-03-01: before that it is not bound, so not named
check_exit "annex text before Bree's approval" 0 somon report annex --date 2022-02-28 --province Limburg
check_contains "Bree not yet" "  Bree (72004): geen overeenkomst" "$OUT"
check_contains "Peer has no approval date: named" "  Peer (72030): ondertekend, begindatum onbekend" "$OUT"
check_exit "annex csv" 0 somon report annex --date 2023-06-30 --province Limburg --format csv
check_contains "csv row" "Limburg,72004,Bree,signed_no_start,SO-T-APPR-NOSTART,Ondertekend zonder begindatum,,2025-12-31,signed,," "$OUT"
check_exit "annex json" 0 somon report annex --date 2023-06-30 --province Limburg --format json
check_contains "json" '"nis": "72004", "name": "Bree", "coverage": "signed_no_start", "agreements": [{"id": "SO-T-APPR-NOSTART", "title": "Ondertekend zonder begindatum", "status": "signed", "begin": null, "end": "2025-12-31", "via": null, "counted": false}]' "$OUT"
check_exit "annex md" 0 somon report annex --date 2023-06-30 --province Limburg --format md
check_contains "md" "| Limburg | 72004 | Bree | ondertekend, begindatum onbekend | SO-T-APPR-NOSTART | Ondertekend zonder begindatum |  | 31/12/2025 | ondertekend, begindatum onbekend |" "$OUT"
check_exit "annex html" 0 somon report annex --date 2023-06-30 --province Limburg --format html
check_contains "html" "<td>Bree</td><td>ondertekend, begindatum onbekend</td>" "$OUT"
check_exit "annex xlsx" 0 somon report annex --date 2023-06-30 --province Limburg --format xlsx --output "$TMP/a.xlsx"
check_eq "xlsx names the mark" 1 "$(unzip -p "$TMP/a.xlsx" xl/sharedStrings.xml | grep -c 'ondertekend, begindatum onbekend')"
# after its end nothing names it
check_exit "annex 2026" 0 somon report annex --date 2026-01-01 --province Limburg
check_not_contains "not after its end" "SO-T-APPR-NOSTART" "$OUT"

# The alert asks for the start date and links to the form that sets it.
check_exit "alerts" 0 somon alerts --date 2023-06-30 --format csv
check_contains "no start" \
  'ondertekend zonder begindatum,SO-T-APPR-NOSTART,,"ondertekend maar de begindatum ontbreekt; vul de begindatum in",,/agreements/SO-T-APPR-NOSTART/edit' "$OUT"
check_contains "Peer's approval is asked for" \
  "partij zonder goedkeuring van de raad,SO-T-APPR-NOSTART,72030,Peer: geen datum van goedkeuring door de gemeenteraad,,/agreements/SO-T-APPR-NOSTART/parties/1/edit" "$OUT"
check_contains "and Lommel's" "partij zonder goedkeuring van de raad,SO-T-APPROVALS,72020," "$OUT"
check_not_contains "Beringen has its date" "SO-T-APPROVALS,71004" "$OUT"

# Refused: an approval after the party's until, and one in the future.
cat >"$TMP/after-until.json" <<'JSON'
{"format": "somon/1", "agreements": [{"id": "SO-T-BAD", "title": "Te laat goedgekeurd", "vdab_directorate": "Limburg",
 "status": "signed", "start": "2022-01-01", "end": "2025-12-31",
 "parties": [{"municipality": "71016", "approved_on": "2024-07-01", "until": "2024-06-30"}]}]}
JSON
check_exit "approval after until" 65 somon import "$TMP/after-until.json"
check_contains "names the place and the fix" "agreements[0].parties[0].approved_on: after until (2024-06-30)" "$ERR"
future=$(date -d '+1 day' +%F)
sed "s/2024-07-01/$future/; s/\"until\": \"2024-06-30\"/\"until\": null/" "$TMP/after-until.json" >"$TMP/future.json"
check_exit "approval in the future" 65 somon import "$TMP/future.json"
check_contains "future refused" "agreements[0].parties[0].approved_on: $future is in the future" "$ERR"
# a council of a municipality that merged away cannot approve after the merger
cat >"$TMP/merged.json" <<'JSON'
{"format": "somon/1", "agreements": [{"id": "SO-T-MERGED", "title": "Hasselt na de fusie", "vdab_directorate": "Limburg",
 "status": "signed", "start": "2021-01-01", "end": "2025-12-31",
 "parties": [{"municipality": "71022", "approved_on": "2025-02-01"}]}]}
JSON
check_exit "approval after the municipality merged away" 65 somon import "$TMP/merged.json"
check_contains "says so" "agreements[0].parties[0].approved_on: 71022 no longer existed on 2025-02-01" "$ERR"

finish
