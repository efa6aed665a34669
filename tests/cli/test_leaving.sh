#!/usr/bin/env bash
# A party that leaves, leaves alone (SPEC §3, issue 9): one municipality of a
# seven-party cluster gives notice; its party gets until and left_reason, its
# coverage ends after until and the six others stay covered.
source tests/cli/lib.sh
fresh_db
# Version 1: the cluster as signed, nobody has left yet.
$PY - "$FIX/leaving.json" >"$TMP/v1.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["agreements"][0]["parties"]:
    p.pop("until", None); p.pop("left_reason", None)
print(json.dumps(d, ensure_ascii=False))
PYEOF
check_exit "import the cluster of seven" 0 somon import "$TMP/v1.json"
before=$(sqlite3 "$DB" 'SELECT max(moment) FROM change')
check_exit "import it with Zandhoven (11054) leaving on 30/06/2023" 0 somon import "$FIX/leaving.json"
check_contains "a new version, not a new agreement" "0 agreement(s) new, 1 replaced" "$OUT"

# The fixture alone in a fresh register. Antwerpen has 69 municipalities from
# 1/1/2019 to 31/12/2024 (66 kept + Antwerpen, Borsbeek, Zwijndrecht, which
# end on 31/12/2024) and 67 from 1/1/2025 (66 + the merged Antwerpen);
# Flanders 300, then 285. Percentages are 100·n/N rounded half up.
#   30/06/2023, the last day Zandhoven is bound: 7 covered;
#     7/69 = 10.14 → 10; 7/300 = 2.33 → 2
#   01/07/2023: Zandhoven has left, the other six go on: 6/69 = 8.70 → 9;
#     6/300 = 2.00 → 2
#   30/06/2025 (after the mergers, none of the seven merged): 6/67 = 8.96 → 9;
#     6/285 = 2.11 → 2
cov() { somon report coverage --date "$1" --format csv "${@:2}"; }
check_eq "30/06/2023 Antwerpen" "Antwerpen,2023-06-30,7,69,10" "$(csv_row Antwerpen "$(cov 2023-06-30)" | cut -d, -f1-5)"
check_eq "30/06/2023 Vlaanderen" "Vlaanderen,2023-06-30,7,300,2" "$(csv_row Vlaanderen "$(cov 2023-06-30)" | cut -d, -f1-5)"
check_eq "01/07/2023 Antwerpen" "Antwerpen,2023-07-01,6,69,9" "$(csv_row Antwerpen "$(cov 2023-07-01)" | cut -d, -f1-5)"
check_eq "01/07/2023 Vlaanderen" "Vlaanderen,2023-07-01,6,300,2" "$(csv_row Vlaanderen "$(cov 2023-07-01)" | cut -d, -f1-5)"
check_eq "30/06/2025 Antwerpen" "Antwerpen,2025-06-30,6,67,9" "$(csv_row Antwerpen "$(cov 2025-06-30)" | cut -d, -f1-5)"
# As known before the notice was recorded, all seven were still covered: 7/69 → 10.
check_eq "01/07/2023 as known before the notice" "Antwerpen,2023-07-01,7,69,10" \
  "$(csv_row Antwerpen "$(cov 2023-07-01 --as-known-at "$before")" | cut -d, -f1-5)"

# The annex: Zandhoven ends on 30/06/2023 and has nothing on 01/07/2023;
# Zoersel (11055) keeps the agreement to its end.
annex() { somon report annex --date "$1" --province Antwerpen --format csv; }
check_contains "annex 30/06/2023: Zandhoven covered until it left" \
  "11054,Zandhoven,covered,SO-T-LEAVING,\"Cluster van zeven, één treedt uit\",2021-01-01,2023-06-30" "$(annex 2023-06-30)"
check_contains "annex 01/07/2023: Zandhoven has none" "11054,Zandhoven,none," "$(annex 2023-07-01)"
check_contains "annex 01/07/2023: Zoersel goes on" "11055,Zoersel,covered,SO-T-LEAVING,\"Cluster van zeven, één treedt uit\",2021-01-01,2025-12-31" \
  "$(annex 2023-07-01)"

# The history names the field in Dutch.
check_exit "history of the agreement" 0 somon history SO-T-LEAVING
check_contains "the reason in the history" "reden van uittreden" "$OUT"
check_contains "with its text" "Opgezegd bij gemeenteraadsbesluit van 27 maart 2023" "$OUT"

# The party row is written once: the schema 5 triggers cover the new column.
ERR=$(sqlite3 "$DB" "UPDATE party SET left_reason = 'anders' WHERE municipality = '11054'" 2>&1)
check_contains "the stored reason cannot be changed in place" "history is read-only: a row of party never changes" "$ERR"
check_eq "and stays" "1" "$(sqlite3 "$DB" "SELECT count(*) FROM party WHERE left_reason LIKE 'Opgezegd%'")"

# Export → import into an empty database → export: byte-identical, reason kept.
check_exit "export" 0 somon export "$TMP/one.json"
check_eq "the reason is exported on its party, null on the others" \
  "11054 2023-06-30 Opgezegd bij gemeenteraadsbesluit van 27 maart 2023 (testgegeven)|7 null" "$($PY - "$TMP/one.json" <<'PYEOF'
import json, sys
ps = [a for a in json.load(open(sys.argv[1]))["agreements"] if a["id"] == "SO-T-LEAVING"][0]["parties"]
left = [p for p in ps if p["left_reason"]]
print(" ".join([left[0]["municipality"], left[0]["until"], left[0]["left_reason"]]) + "|%d null" %
      sum(1 for p in ps if "left_reason" in p and p["left_reason"] is None))
PYEOF
)"
DB="$TMP/two.db"
fresh_db
check_exit "import the export into an empty database" 0 somon import "$TMP/one.json"
check_exit "export again" 0 somon export "$TMP/two.json"
check_eq "byte-identical" "" "$(cmp "$TMP/one.json" "$TMP/two.json")"

# Refusals: each names the JSON path and the fix, and nothing is written.
variant() { # variant NAME PYTHON-STATEMENTS-ON-p (the party of Zandhoven) and a (the agreement)
  $PY - "$FIX/leaving.json" "$2" >"$TMP/$1.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1])); a = d["agreements"][0]; p = a["parties"][6]
exec(sys.argv[2])
print(json.dumps(d, ensure_ascii=False))
PYEOF
}
n=$(changes)
variant noreason 'del p["until"]'
check_exit "a reason without until is refused" 65 somon import "$TMP/noreason.json"
check_contains "at its path, with the fix" \
  "agreements[0].parties[6].left_reason: only for a party that left; give until (the last day it is bound) or remove the reason" "$ERR"
variant early 'p["until"] = "2020-12-31"'
check_exit "until before the agreement's start is refused" 65 somon import "$TMP/early.json"
check_contains "at its path, with the first day" \
  "agreements[0].parties[6].until: before the party's first day (2021-01-01); a party leaves on or after the day it joins" "$ERR"
variant beforefrom 'p["from"] = "2022-01-01"; p["until"] = "2021-12-31"'
check_exit "until before from is refused" 65 somon import "$TMP/beforefrom.json"
check_contains "at its path" "agreements[0].parties[6].until: before from" "$ERR"
variant planned 'p["expected_from"] = "2022-01-01"; p["until"] = "2021-12-31"; p.pop("approved_on")'
check_exit "until before a planned party's expected_from is refused" 65 somon import "$TMP/planned.json"
check_contains "at its path" "agreements[0].parties[6].until: before the party's first day (2022-01-01)" "$ERR"
variant long 'p["left_reason"] = "x" * 2001'
check_exit "a reason over 2 000 characters is refused" 65 somon import "$TMP/long.json"
check_contains "with the limit" "agreements[0].parties[6].left_reason: 2001 characters" "$ERR"
variant control 'p["left_reason"] = "opgezegd\u001b[31m"'
check_exit "a reason with a control character is refused" 65 somon import "$TMP/control.json"
check_contains "at its path" "agreements[0].parties[6].left_reason:" "$ERR"
variant number 'p["left_reason"] = 3'
check_exit "a reason that is not a text is refused" 65 somon import "$TMP/number.json"
check_contains "at its path" "agreements[0].parties[6].left_reason: expected a text" "$ERR"
variant lines 'p["left_reason"] = "Opgezegd.\nZie het besluit."'
check_exit "a reason of two lines is a paragraph and accepted" 0 somon import "$TMP/lines.json"
check_eq "only the accepted import wrote" "$((n + 1))" "$(changes)"
finish
