#!/usr/bin/env bash
# The map since 1983 (issue 9, SPEC §3 "The universe follows the map"):
# agreements from 2007 and 2017 import, a date before 2019 counts against
# the 308 municipalities of 1983-2018 per the provinces of then, and a 2019
# merger municipality is covered through its former municipalities. Every
# figure below is worked out by hand from tests/cli/fixtures/map1983.json and
# data/municipalities.csv; percentages are 100*n/N rounded half up.
source tests/cli/lib.sh
fresh_db

# ---- the reference data: N per province on a day ----
# Rows valid on D (valid_from <= D <= valid_to or open), counted by hand in the
# CSV: before 2019 Antwerpen 70, Oost-Vlaanderen 65, Limburg 44 (the fifteen
# 2019 predecessors: Puurs, Sint-Amands in Antwerpen; Deinze, Nevele, Aalter,
# Knesselare, Lovendegem, Waarschoot, Zomergem, Kruishoutem, Zingem in
# Oost-Vlaanderen; Opglabbeek, Meeuwen-Gruitrode, Neerpelt, Overpelt in
# Limburg), 308 in all; from 2019 69, 60, 42 of 300.
count_on() {
  $PY - "$1" "$2" <<'PYEOF'
import csv, sys
day, province = sys.argv[1], sys.argv[2]
rows = csv.DictReader(open("data/municipalities.csv", encoding="utf-8"))
print(sum(1 for r in rows if r["valid_from"] <= day and (not r["valid_to"] or day <= r["valid_to"])
          and (province == "all" or r["province"] == province)))
PYEOF
}
check_eq "Antwerpen before 2019 in the data" 70 "$(count_on 2017-06-30 Antwerpen)"
check_eq "Oost-Vlaanderen before 2019 in the data" 65 "$(count_on 2018-06-30 Oost-Vlaanderen)"
check_eq "Limburg before 2019 in the data" 44 "$(count_on 2018-12-31 Limburg)"
check_eq "Flanders on the first day of the map" 308 "$(count_on 1983-01-01 all)"
check_eq "Flanders in 2019" 300 "$(count_on 2019-01-01 all)"

# ---- import: agreements of 2007 and 2017 are accepted ----
check_exit "import agreements from 2007 on" 0 somon import "$FIX/map1983.json"
check_contains "six agreements" "6 agreement(s) new" "$OUT"

# a party must exist on the first day of its interval: Oudsbergen did not in 2017
cat >"$TMP/oudsbergen2017.json" <<'JSON'
{"format": "somon/1", "agreements": [{"id": "SO-T-TOO-EARLY", "title": "Oudsbergen te vroeg",
  "vdab_directorate": "Limburg", "status": "signed", "start": "2017-01-01", "end": "2019-12-31",
  "parties": [{"municipality": "72042", "approved_on": "2016-12-12"}]}]}
JSON
before=$(changes)
check_exit "a 2019 municipality in 2017 is refused" 65 somon import "$TMP/oudsbergen2017.json"
check_contains "names the party" "agreements[0].parties[0].municipality" "$ERR"
check_eq "nothing changed" "$before" "$(changes)"

HEADER="province,date,covered,total,pct,prognosis_date,prognosis_covered,prognosis_total,prognosis_pct,regions_covered,regions_total,regions_pct,prognosis_regions_covered,prognosis_regions_total,prognosis_regions_pct"

# ---- 30/06/2017 ----
# Antwerpen: Mechelen (from 01/03/2017), Puurs and Sint-Amands (from 2016) = 3/70;
#   100*3/70 = 4.29 -> 4.
# Oost-Vlaanderen: Gent (since 2007) = 1/65; 1.54 -> 2 (the Meetjesland one starts 2018).
# Limburg: Opglabbeek (from 01/03/2017) = 1/44; 2.27 -> 2.
# Vlaanderen: 3 + 1 + 1 = 5/308; 1.62 -> 2.
check_exit "2017 table" 0 somon report coverage --date 2017-06-30 --format csv
check_eq "the 2017 table counts against the 308 of then" "$HEADER
West-Vlaanderen,2017-06-30,0,64,0,,,,,0,0,,,,
Oost-Vlaanderen,2017-06-30,1,65,2,,,,,0,0,,,,
Antwerpen,2017-06-30,3,70,4,,,,,0,0,,,,
Vlaams-Brabant,2017-06-30,0,65,0,,,,,0,0,,,,
Limburg,2017-06-30,1,44,2,,,,,0,0,,,,
Vlaanderen,2017-06-30,5,308,2,,,,,0,0,,,," "$OUT"

# ---- 30/06/2018 ----
# Oost-Vlaanderen: Gent + Lovendegem, Waarschoot, Zomergem (from 01/01/2018) = 4/65; 6.15 -> 6.
# Antwerpen unchanged 3/70 -> 4. Limburg: Opglabbeek + Meeuwen-Gruitrode (from
# 01/01/2018) = 2/44; 4.55 -> 5. Vlaanderen 3 + 4 + 2 = 9/308; 2.92 -> 3.
check_exit "2018 table" 0 somon report coverage --date 2018-06-30 --format csv
check_eq "the 2018 table" "$HEADER
West-Vlaanderen,2018-06-30,0,64,0,,,,,0,0,,,,
Oost-Vlaanderen,2018-06-30,4,65,6,,,,,0,0,,,,
Antwerpen,2018-06-30,3,70,4,,,,,0,0,,,,
Vlaams-Brabant,2018-06-30,0,65,0,,,,,0,0,,,,
Limburg,2018-06-30,2,44,5,,,,,0,0,,,,
Vlaanderen,2018-06-30,9,308,3,,,,,0,0,,,," "$OUT"

# ---- 30/06/2019: across the 2019 mergers ----
# Antwerpen: Mechelen, and Puurs-Sint-Amands through Puurs and Sint-Amands = 2/69; 2.90 -> 3.
# Oost-Vlaanderen: Gent, and Lievegem through its three = 2/60; 3.33 -> 3.
# Limburg: Oudsbergen through Opglabbeek and Meeuwen-Gruitrode (whose
#   agreement ends 30/06/2019, the last day it holds) = 1/42; 2.38 -> 2.
# Vlaanderen 2 + 2 + 1 = 5/300; 1.67 -> 2.
check_exit "mid-2019 table" 0 somon report coverage --date 2019-06-30 --format csv
check_eq "2019 mergers covered through their former municipalities" "$HEADER
West-Vlaanderen,2019-06-30,0,64,0,,,,,0,0,,,,
Oost-Vlaanderen,2019-06-30,2,60,3,,,,,0,0,,,,
Antwerpen,2019-06-30,2,69,3,,,,,0,0,,,,
Vlaams-Brabant,2019-06-30,0,65,0,,,,,0,0,,,,
Limburg,2019-06-30,1,42,2,,,,,0,0,,,,
Vlaanderen,2019-06-30,5,300,2,,,,,0,0,,,," "$OUT"

# ---- 01/07/2019: Oudsbergen only partially covered ----
# Meeuwen-Gruitrode's agreement has ended: only Opglabbeek of Oudsbergen's two
# is covered, so Oudsbergen is partially covered and not in n: Limburg 0/42 = 0;
# Vlaanderen 2 + 2 + 0 = 4/300; 1.33 -> 1.
check_exit "July 2019 table" 0 somon report coverage --date 2019-07-01 --format csv
check_contains "Limburg 0/42" "Limburg,2019-07-01,0,42,0," "$OUT"
check_contains "Flanders 4/300" "Vlaanderen,2019-07-01,4,300,1," "$OUT"
check_exit "July 2019 annex" 0 somon report annex --date 2019-07-01 --province Limburg --format csv
check_contains "Oudsbergen partially, via Opglabbeek" \
  "Limburg,72042,Oudsbergen,partial,SO-T-OPGLABBEEK,Opglabbeek,2017-03-01,2020-12-31,signed,71047,Opglabbeek" "$OUT"
check_exit "June 2019 annex" 0 somon report annex --date 2019-06-30 --province Limburg --format csv
check_contains "Oudsbergen fully, via Meeuwen-Gruitrode" \
  "Limburg,72042,Oudsbergen,covered,SO-T-MEEUWEN,Meeuwen-Gruitrode,2018-01-01,2019-06-30,signed,72040,Meeuwen-Gruitrode" "$OUT"
check_contains "Oudsbergen fully, via Opglabbeek" \
  "Limburg,72042,Oudsbergen,covered,SO-T-OPGLABBEEK,Opglabbeek,2017-03-01,2020-12-31,signed,71047,Opglabbeek" "$OUT"
# in 2018 the two are municipalities of their own, each with its agreement
check_exit "2018 annex" 0 somon report annex --date 2018-06-30 --province Limburg --format csv
check_contains "Opglabbeek in 2018" "Limburg,71047,Opglabbeek,covered,SO-T-OPGLABBEEK" "$OUT"
check_contains "Meeuwen-Gruitrode in 2018" "Limburg,72040,Meeuwen-Gruitrode,covered,SO-T-MEEUWEN" "$OUT"
check_not_contains "no Oudsbergen in 2018" "72042" "$OUT"
check_eq "44 Limburg rows in the 2018 annex (one agreement each)" 44 "$(grep -c '^Limburg,' <<<"$OUT")"

# ---- 2025: Gent's agreement of 2007 still in force, past both mergers ----
# Oost-Vlaanderen: Gent = 1/55; 1.82 -> 2. Vlaanderen 1/285; 0.35 -> 0.
check_exit "2025 table" 0 somon report coverage --date 2025-06-30 --format csv
check_contains "Oost-Vlaanderen 1/55" "Oost-Vlaanderen,2025-06-30,1,55,2," "$OUT"
check_contains "Flanders 1/285" "Vlaanderen,2025-06-30,1,285,0," "$OUT"

# ---- the text table, before 2019 too ----
check_exit "text table 2017" 0 somon report coverage --date 2017-06-30
check_contains "Antwerpen 3/70 in text" "3/70" "$OUT"
check_contains "Vlaanderen 5/308 in text" "5/308" "$OUT"

# ---- a date before the map begins is refused ----
check_exit "1982 is before the map" 64 somon report coverage --date 1982-12-31
check_contains "says the range" "lies outside 1983-01-01 .. 2100-12-31" "$ERR"
check_exit "1983-01-01 is the first day" 0 somon report coverage --date 1983-01-01 --format csv
# Gent's agreement begins in 2007: nothing covered, against the 308
check_contains "the first day counts the 308" "Vlaanderen,1983-01-01,0,308,0," "$OUT"
finish
