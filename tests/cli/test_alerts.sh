#!/usr/bin/env bash
# somon alerts: what needs attention on a date (docs/alerts.md), on the demo
# agreements and a follow-up agreement imported on top of them.
source tests/cli/lib.sh
demo_db

# 31/12/2025 is the last day of Mechelen and Scheldeland: 90 days before is 2/10.
check_exit "alerts on 1/10/2025" 0 somon alerts --date 2025-10-01 --format csv
check_not_contains "91 days before the end: no ending alert" "loopt af zonder opvolger" "$OUT"
check_exit "alerts on 2/10/2025" 0 somon alerts --date 2025-10-02 --format csv
check_eq "90 days before: both end without a follower" \
  "SO-MECHELEN-2021 SO-SCHELDELAND-2021" "$(grep '^loopt af zonder opvolger,' <<<"$OUT" | cut -d, -f2 | xargs)"
check_contains "with the end date" "loopt af zonder opvolger,SO-MECHELEN-2021,,\"loopt af op 31/12/2025; geen overeenkomst in voorbereiding volgt op\",2025-12-31," "$OUT"
check_eq "the header" "kind,agreement,subject,what,date,fix" "$(head -1 <<<"$OUT")"
# the documents do not give these councils' approval dates
check_eq "cluster parties without a council approval" 7 \
  "$(grep -c '^partij zonder goedkeuring van de raad,SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020,' <<<"$OUT")"
check_eq "Scheldeland parties without a council approval" 8 \
  "$(grep -c '^partij zonder goedkeuring van de raad,SO-SCHELDELAND-2021,' <<<"$OUT")"
check_contains "each named (Kalmthout, not its code), with the party's form" \
  ",11022,Kalmthout: geen datum van goedkeuring door de gemeenteraad,,/agreements/SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020/parties/1/edit" "$OUT"
# Mechelen was in force in 2024 and none of its actions has an evaluation
actions=$("$PY" -c 'import json,sys
d = json.load(open(sys.argv[1]))
ag = [a for a in d["agreements"] if a["id"] == "SO-MECHELEN-2021"][0]
print(sum(1 for t in ag["action_plan"] for dm in t["domains"] for x in dm["actions"] if x.get("status") != "retired"))' \
  data/demo/agreement-mechelen.json)
check_eq "every action of Mechelen lacks its 2024 evaluation" "$actions" \
  "$(grep -c '^actie zonder evaluatie van vorig jaar,SO-MECHELEN-2021,' <<<"$OUT")"
check_contains "linked to the evaluation form of 2024" "/agreements/SO-MECHELEN-2021/evaluations/edit?year=2024" "$OUT"

# no meeting is registered: the bodies with a minimum are behind once a period has passed (docs/compliance.md)
check_eq "Mechelen's two steering groups are behind" \
  "Stuurgroep Activering|Stuurgroep stad Mechelen - VDAB" \
  "$(grep '^overlegorgaan achter op zijn vergaderingen,SO-MECHELEN-2021,' <<<"$OUT" | cut -d, -f3 | paste -sd'|')"
check_not_contains "the working groups have no minimum" "SO-MECHELEN-2021,Werkgroepen" "$OUT"
check_exit "alerts on 2/3/2021" 0 somon alerts --date 2021-03-02 --format csv
check_not_contains "a day after the start nothing is due yet" "overlegorgaan achter" "$OUT"

# A follow-up in the pipeline for Mechelen silences its ending alert ...
cat >"$TMP/next.json" <<'JSON'
{"format": "somon/1", "agreements": [{"id": "SO-MECHELEN-2026", "title": "Mechelen, vervolg",
 "vdab_directorate": "Antwerpen", "status": "negotiating", "expected_start": "2026-01-01", "end": "2031-12-31",
 "parties": [{"municipality": "12025"}, {"organisation": "VDAB"}]}]}
JSON
check_exit "import the follow-up" 0 somon import "$TMP/next.json"
check_exit "alerts on 2/10/2025 again" 0 somon alerts --date 2025-10-02 --format csv
check_eq "only Scheldeland ends without a follower" "SO-SCHELDELAND-2021" \
  "$(grep '^loopt af zonder opvolger,' <<<"$OUT" | cut -d, -f2 | xargs)"
check_not_contains "the follow-up is not late yet" "verwachte start" "$OUT"
# ... until its expected start passes
check_exit "alerts on 2/1/2026" 0 somon alerts --date 2026-01-02 --format csv
check_contains "Mechelen is late" "\"in voorbereiding, verwachte start voorbij\",SO-MECHELEN-2026,12025,Mechelen: verwachte start 01/01/2026 is voorbij,2026-01-01,/agreements/SO-MECHELEN-2026/edit" "$OUT"
check_exit "as known before the follow-up" 0 somon alerts --date 2026-01-02 --as-known-at 2001-01-01T00:00:00 --format csv
check_eq "nothing was known in 2001" "kind,agreement,subject,what,date,fix" "$OUT"

check_exit "text" 0 somon alerts --date 2025-10-02
check_contains "text names the fix" "    fix: /agreements/new" "$OUT"
check_exit "markdown" 0 somon alerts --date 2025-10-02 --format md
check_contains "a markdown table" "| Soort | Overeenkomst |" "$OUT"
check_exit "bad date" 64 somon alerts --date 2025-02-30
check_contains "names the option" "--date '2025-02-30' is not a date" "$ERR"
check_exit "bad format" 64 somon alerts --format pdf
check_exit "no operands" 64 somon alerts now
# by province (issue 11): the agreements of one VDAB directorate
check_exit "alerts of Oost-Vlaanderen" 0 somon alerts --date 2026-12-03 --province Oost-Vlaanderen --format csv
check_contains "Scheldeland's" "SO-SCHELDELAND-2021" "$OUT"
check_not_contains "not the Antwerp cluster's" "SO-ANTWERPEN-CLUSTER-KALMTHOUT-2020" "$OUT"
check_exit "an unknown province" 64 somon alerts --province Brabant
check_contains "names it" "--province 'Brabant' is not one of" "$ERR"
finish
