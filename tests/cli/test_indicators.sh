#!/usr/bin/env bash
# somon import indicators / indicator-definitions (issue 5): the definitions
# init loads, all-or-nothing imports with line numbers and fixes, re-imports
# that record nothing, corrections that supersede, synthetic values.
source tests/cli/lib.sh

fresh_db
check_eq "init loads the five reference definitions" \
  "bevolking_15_64|count||
leefloners|count||
nwwz|count||
werkenden_15_64|count||
werkzaamheidsgraad|rate|werkenden_15_64|bevolking_15_64" \
  "$(sqlite3 "$DB" 'SELECT code, kind, numerator, denominator FROM indicator WHERE rec_until IS NULL ORDER BY code')"
check_eq "in the one change of the reference data" 1 "$(changes)"

# state: every value row with its history, and the changes
state() { sqlite3 "$DB" 'SELECT indicator, nis, period, value, synthetic, rec_from, rec_until FROM indicator_value
  ORDER BY 1, 2, 3, 6; SELECT count(*) FROM change'; }

cat >"$TMP/good.csv" <<'CSV'
nis,period,indicator,value
44040,2024-Q4,nwwz,120
44043,2024-Q4,nwwz,300
44088,2025-Q1,nwwz,410
11001,2024-06,nwwz,55.5
11001,2024,werkenden_15_64,9000
11001,2024,bevolking_15_64,12000
11001,2024,werkzaamheidsgraad,75
11007,2024,leefloners,17
CSV
check_exit "a good file" 0 somon --actor an import indicators "$TMP/good.csv"
check_contains "says what it did" "8 indicator value(s): 8 new, 0 changed, 0 unchanged" "$OUT"
check_eq "eight values" 8 "$(sqlite3 "$DB" 'SELECT count(*) FROM indicator_value WHERE rec_until IS NULL')"
check_eq "one change, by its actor, as an import" "1|an|import" \
  "$(sqlite3 "$DB" 'SELECT count(*), max(actor), max(action) FROM change WHERE id > 1')"
check_eq "a value as given" "55.5" "$(sqlite3 "$DB" "SELECT value FROM indicator_value WHERE nis='11001' AND period='2024-06'")"
check_eq "not synthetic" 0 "$(sqlite3 "$DB" 'SELECT sum(synthetic) FROM indicator_value')"

before=$(state)
check_exit "the same file again" 0 somon import indicators "$TMP/good.csv"
check_contains "counts every row unchanged" "0 new, 0 changed, 8 unchanged" "$OUT"
check_eq "records nothing" "$before" "$(state)"

# A correction supersedes the stored value; the old one stays in the history.
sed -e 's/^44043,2024-Q4,nwwz,300$/44043,2024-Q4,nwwz,301/' "$TMP/good.csv" >"$TMP/fix.csv"
check_exit "a corrected value" 0 somon import indicators "$TMP/fix.csv"
check_contains "one changed" "0 new, 1 changed, 7 unchanged" "$OUT"
check_eq "old value ended by the new change, new one current" "300.0|3|3
301.0|3|" "$(sqlite3 "$DB" "SELECT value, (SELECT max(id) FROM change), rec_until FROM indicator_value
  WHERE nis='44043' ORDER BY rec_from")"
check_eq "three changes in all" 3 "$(changes)"

# ---- every bad input: exit 65, FILE:LINE and the fix, nothing changed ----
# bad NAME EXPECTED-EXIT NEEDLE LINES...: a file of the header, the good rows and LINES
bad() {
  local name=$1 needle=$2
  shift 2
  { echo "nis,period,indicator,value"; echo "11001,2023,nwwz,1"; printf '%s\n' "$@"; echo "11001,2022,nwwz,2"; } \
    >"$TMP/$name.csv"
  local before
  before=$(state)
  check_exit "$name is refused" 65 somon import indicators "$TMP/$name.csv"
  check_contains "$name: the line and the fix" "$TMP/$name.csv:3: $needle" "$ERR"
  check_contains "$name: says nothing was imported" "nothing was imported" "$ERR"
  check_eq "$name: nothing changed" "$before" "$(state)"
}
bad unknown_nis "unknown NIS 99999: no Flemish municipality has this code; give a code" "99999,2023,nwwz,1"
bad not_a_nis "NIS '4404' is not a NIS code; give the 5 digits" "4404,2023,nwwz,1"
bad former_after_merger "NIS 44040 (Melle) is not a municipality in 2025-Q1: it merged into 44088 Merelbeke-Melle on 2025-01-01; give 44088" \
  "44040,2025-Q1,nwwz,1"
bad new_before_merger "NIS 44088 (Merelbeke-Melle) is not the same municipality in 2024-06: it exists as such from 2025-01-01; give the former municipalities (44040 Melle, 44043 Merelbeke)" \
  "44088,2024-06,nwwz,1"
# the map starts in 1983: a 2019 merger municipality has no figures of its own before 2019
bad before_the_map "NIS 72042 (Oudsbergen) is not the same municipality in 2018: it exists as such from 2019-01-01; give the former municipalities (71047 Opglabbeek, 72040 Meeuwen-Gruitrode) for earlier periods" \
  "72042,2018,nwwz,1"
bad unknown_indicator "unknown indicator 'nwz'; use a defined one (bevolking_15_64, leefloners, nwwz" "11001,2023,nwz,1"
bad month_13 "period '2023-13' is not a period; write a year (2023), a quarter (2023-Q2) or a month (2023-06)" \
  "11001,2023-13,nwwz,1"
bad quarter_5 "period '2023-Q5' is not a period" "11001,2023-Q5,nwwz,1"
bad iso_date "period '2023-06-30' is not a period" "11001,2023-06-30,nwwz,1"
bad not_numeric "value 'veel' is not a number; write digits with a decimal point" "11001,2023-06,nwwz,veel"
bad decimal_comma "more than 4 fields; give nis,period,indicator,value (a decimal comma must be a point: 12.5)" \
  "11001,2023-06,nwwz,12,5"
bad quoted_comma "value '12,5' is not a number" '11001,2023-06,nwwz,"12,5"'
bad thousands "value '1 234' is not a number" "11001,2023-06,nwwz,1 234"
bad empty_value "value '' is not a number" "11001,2023-06,nwwz,"
bad negative_count "value -4 of count 'nwwz' is negative; a count is 0 or more" "11001,2023-06,nwwz,-4"
bad rate_over_100 "value 101 of rate 'werkzaamheidsgraad' is not a percentage; give a number from 0 to 100" \
  "11001,2023,werkzaamheidsgraad,101"
bad too_few "3 field(s); give 4: nis,period,indicator,value" "11001,2023-06,nwwz"
bad bad_quote "bad quoting; close every quoted field" '11001,"2023-06,nwwz,1'
bad latin1 "invalid UTF-8; save the file as UTF-8" "$(printf '11001,2023-06,nwwz,1 \xe9')"
bad overlong "invalid UTF-8" "$(printf '11001,2023-06,\xc0\xafnwwz,1')"
# a duplicate names both lines
{ echo "nis,period,indicator,value"; echo "11001,2023,nwwz,1"; echo "11001,2023-06,nwwz,1"; echo "11001,2023,nwwz,2"; } >"$TMP/dup.csv"
before=$(state)
check_exit "a duplicate row is refused" 65 somon import indicators "$TMP/dup.csv"
check_contains "with both lines" "dup.csv:4: repeats line 2 (NIS 11001, period 2023, indicator nwwz); keep one of the two rows" "$ERR"
check_eq "duplicate: nothing changed" "$before" "$(state)"

# several problems: each reported with its line, in one run
{ echo "nis,period,indicator,value"; echo "99999,2023,nwwz,1"; echo "11001,2023,nwwz,1"; echo "11001,20233,nwwz,1";
  echo "11001,2023,x,1"; } >"$TMP/many.csv"
check_exit "several problems" 65 somon import indicators "$TMP/many.csv"
check_contains "line 2" "many.csv:2: unknown NIS 99999" "$ERR"
check_contains "line 4" "many.csv:4: period '20233'" "$ERR"
check_contains "line 5" "many.csv:5: unknown indicator 'x'" "$ERR"
check_not_contains "not line 3" "many.csv:3:" "$ERR"
check_contains "the count" "3 problem(s)" "$ERR"

# the header
printf 'gemeente,periode,indicator,waarde\n11001,2023,nwwz,1\n' >"$TMP/header.csv"
check_exit "a wrong header" 65 somon import indicators "$TMP/header.csv"
check_contains "says which columns" "header.csv:1: the header must name the columns nis,period,indicator,value" "$ERR"
: >"$TMP/empty.csv"
check_exit "an empty file" 65 somon import indicators "$TMP/empty.csv"
check_contains "says it needs the header" "empty; it needs the header nis,period,indicator,value" "$ERR"
# columns in another order, CRLF and a byte order mark are fine
printf '\xef\xbb\xbfindicator,value,nis,period\r\nnwwz,3,11001,2021-Q3\r\n' >"$TMP/crlf.csv"
check_exit "another column order, CRLF, BOM" 0 somon import indicators "$TMP/crlf.csv"
check_eq "read right" "nwwz|11001|2021-Q3|3.0" \
  "$(sqlite3 "$DB" "SELECT indicator, nis, period, value FROM indicator_value WHERE period='2021-Q3'")"

# usage and missing files
check_exit "no file" 64 somon import indicators
check_contains "says what it needs" "import indicators needs one FILE.csv" "$ERR"
check_exit "a missing file" 66 somon import indicators "$TMP/nowhere.csv"
check_contains "names the file" "cannot read $TMP/nowhere.csv" "$ERR"
check_exit "an unknown option" 64 somon import indicators --real "$TMP/good.csv"

# ---- synthetic values ----
printf 'nis,period,indicator,value\n11001,2020,nwwz,40\n' >"$TMP/synth.csv"
check_exit "a synthetic file" 0 somon import indicators --synthetic "$TMP/synth.csv"
check_contains "says synthetic" "(synthetic)" "$OUT"
check_eq "marked synthetic" 1 "$(sqlite3 "$DB" "SELECT synthetic FROM indicator_value WHERE period='2020' AND rec_until IS NULL")"
check_exit "the same values, now real" 0 somon import indicators "$TMP/synth.csv"
check_contains "a change of the mark is a change" "0 new, 1 changed, 0 unchanged" "$OUT"
check_eq "now real, the synthetic one in the history" "1|1
0|" "$(sqlite3 "$DB" "SELECT synthetic, rec_until IS NOT NULL FROM indicator_value WHERE period='2020' ORDER BY rec_from" | sed 's/|0$/|/')"

# ---- definitions ----
cat >"$TMP/defs.csv" <<'CSV'
code,name,unit,kind,numerator,denominator,source
wwz_jong,"Werkzoekenden jonger dan 25, niet-werkend",personen,count,,,VDAB Arvastat
aandeel_jong,Aandeel jongeren onder de NWWZ,%,rate,wwz_jong,nwwz,Berekend
CSV
before=$(changes)
check_exit "new definitions" 0 somon import indicator-definitions "$TMP/defs.csv"
check_contains "two written" "2 indicator definition(s)" "$OUT"
check_eq "with the comma in the quoted name" "Werkzoekenden jonger dan 25, niet-werkend" \
  "$(sqlite3 "$DB" "SELECT name FROM indicator WHERE code='wwz_jong'")"
check_eq "one change" $((before + 1)) "$(changes)"
check_exit "the same definitions again" 0 somon import indicator-definitions "$TMP/defs.csv"
check_contains "nothing written" "0 indicator definition(s)" "$OUT"
check_eq "no change" $((before + 1)) "$(changes)"
printf 'nis,period,indicator,value\n11001,2023,wwz_jong,12\n' >"$TMP/jong.csv"
check_exit "values of the new indicator" 0 somon import indicators "$TMP/jong.csv"
sed -i 's/Berekend$/Berekend uit VDAB-cijfers/' "$TMP/defs.csv"
check_exit "a changed definition" 0 somon import indicator-definitions "$TMP/defs.csv"
check_contains "one written" "1 indicator definition(s)" "$OUT"
check_eq "the old version kept" "Berekend|1
Berekend uit VDAB-cijfers|0" "$(sqlite3 "$DB" "SELECT source, rec_until IS NOT NULL FROM indicator WHERE code='aandeel_jong' ORDER BY rec_from")"

# bad definitions: line numbers, nothing changed
cat >"$TMP/baddefs.csv" <<'CSV'
code,name,unit,kind,numerator,denominator,source
Hoofdletters,Naam,,count,,,
goed,Goed,,count,,,
ratio,Ratio,%,rate,goed,onbekend,
soort,Soort,,average,,,
goed,Goed weer,,count,,,
teller,Teller,,count,goed,,
CSV
before=$(sqlite3 "$DB" 'SELECT count(*) FROM indicator; SELECT count(*) FROM change')
check_exit "bad definitions" 65 somon import indicator-definitions "$TMP/baddefs.csv"
check_contains "a bad code" "baddefs.csv:2: code 'Hoofdletters' is not an indicator code; use lower-case letters" "$ERR"
check_contains "an unknown denominator" "baddefs.csv:4: denominator 'onbekend' of rate 'ratio' is not a defined indicator" "$ERR"
check_contains "a bad kind" "baddefs.csv:5: kind 'average' of 'soort' is not count or rate" "$ERR"
check_contains "defined twice" "baddefs.csv:6: indicator 'goed' is defined twice (also on line 3)" "$ERR"
check_contains "a count with a numerator" "baddefs.csv:7: count 'teller' has a numerator or denominator" "$ERR"
check_eq "nothing changed" "$before" "$(sqlite3 "$DB" 'SELECT count(*) FROM indicator; SELECT count(*) FROM change')"
printf 'code,name,unit,kind,numerator,denominator,source\nr2,R2,%%,rate,werkzaamheidsgraad,nwwz,\n' >"$TMP/rate.csv"
check_exit "a rate of a rate" 65 somon import indicator-definitions "$TMP/rate.csv"
check_contains "is refused" "numerator 'werkzaamheidsgraad' of rate 'r2' is a rate; a rate is computed from counts" "$ERR"

# init keeps definitions added later and reloads nothing when unchanged
before=$(changes)
check_exit "init again" 0 somon init
check_eq "no change" "$before" "$(changes)"
check_eq "the imported definitions stay" 7 "$(sqlite3 "$DB" 'SELECT count(*) FROM indicator WHERE rec_until IS NULL')"

# a progress bar on a terminal, for large files only; none when standard error is a file
python3 bench/gen_indicators.py "$TMP/big.csv" --rows 100000 2>/dev/null
fresh_db
script -qec "$SOMON --db $DB import indicators $TMP/big.csv" /dev/null >"$TMP/tty" 2>&1
check_contains "a bar while checking" "somon: checking  [" "$(tr '\r' '\n' <"$TMP/tty")"
check_contains "and while writing, to the end" "somon: writing   [########################################] 100%" \
  "$(tr '\r' '\n' <"$TMP/tty")"
check_contains "then the summary" "100000 new, 0 changed" "$(cat "$TMP/tty")"
check_exit "the same file with standard error to a file" 0 somon import indicators "$TMP/big.csv"
check_eq "no bar there" "" "$ERR"
check_contains "all unchanged" "0 new, 0 changed, 100000 unchanged" "$OUT"
script -qec "$SOMON --db $DB import indicators $TMP/good.csv" /dev/null >"$TMP/tty" 2>&1
check_not_contains "no bar for a small file" "somon: checking" "$(cat "$TMP/tty")"

finish
