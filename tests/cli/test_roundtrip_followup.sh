#!/usr/bin/env bash
# The yearly evaluations and the meetings travel inside their agreement
# (SPEC §5, issue 9): export → import into an empty database → export gives
# the same bytes, re-importing records nothing, and bad ones are refused
# with their JSON path.
source tests/cli/lib.sh
demo_db
check_exit "import evaluations and meetings" 0 somon import "$FIX/followup.json"
check_contains "they are counted" "5 evaluation(s)/meeting(s) written" "$OUT"
check_exit "export" 0 somon export "$TMP/one.json"
check_eq "the export carries them, sorted by year and by day" \
  "[2021, 2022] [] ['2022-10-04/cancelled', '2022-10-04/held', '2023-03-14/held'] Jan Gast True" "$($PY - "$TMP/one.json" <<'PYEOF'
import json, sys
a = [x for x in json.load(open(sys.argv[1]))["agreements"] if x["id"] == "SO-T-FOLLOWUP"][0]
acts = a["action_plan"][0]["domains"][0]["actions"]
ms = a["governance"][0]["meetings"]
print([e["year"] for e in acts[0]["evaluations"]], acts[1]["evaluations"],
      [m["held_on"] + "/" + m["state"] for m in ms], ms[2]["attendees"][1]["name"], ms[2]["attendees"][1]["guest"])
PYEOF
)"

DB="$TMP/two.db"
fresh_db
check_exit "import the export into an empty database" 0 somon import "$TMP/one.json"
check_exit "export again" 0 somon export "$TMP/two.json"
check_eq "byte-identical" "" "$(cmp "$TMP/one.json" "$TMP/two.json")"
before=$(changes)
check_exit "import the same file again" 0 somon import "$TMP/one.json"
check_contains "nothing new" "0 evaluation(s)/meeting(s) written" "$OUT"
check_eq "re-import records no change" "$before" "$(changes)"

# Files without the lists (older exports, the demo files) keep what is stored.
check_exit "import the demo files again" 0 somon import data/demo/*.json
check_exit "export after them" 0 somon export "$TMP/three.json"
check_eq "evaluations and meetings kept" "" "$(cmp "$TMP/one.json" "$TMP/three.json")"

# A list given replaces what is stored: a corrected evaluation, a year
# withdrawn, a meeting corrected and one no longer listed.
$PY - "$TMP/one.json" "$TMP/fix.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
a = [x for x in d["agreements"] if x["id"] == "SO-T-FOLLOWUP"][0]
d["agreements"] = [a]
evs = a["action_plan"][0]["domains"][0]["actions"][0]["evaluations"]
evs[1]["figures"] = "130 bezoekers"
del evs[0]
ms = a["governance"][0]["meetings"]
ms[2]["decisions"] = "Jaarplan goedgekeurd, met opmerkingen."
del ms[0]
# renumbering an action keeps its evaluations (matched by number, then by uid)
json.dump(d, open(sys.argv[2], "w"))
PYEOF
before=$(changes)
check_exit "import the corrections" 0 somon import "$TMP/fix.json"
check_contains "four written: two evaluations, two meetings" "1 unchanged; 0 organisation(s)/regiegebied(en) written; 4 evaluation(s)/meeting(s) written" "$OUT"
check_eq "one change" "$((before + 1))" "$(changes)"
check_exit "export the corrections" 0 somon export "$TMP/four.json"
check_eq "the export shows them" "['2022/130 bezoekers'] ['2022-10-04/held', '2023-03-14/Jaarplan goedgekeurd, met opmerkingen.']" "$($PY - "$TMP/four.json" <<'PYEOF'
import json, sys
a = [x for x in json.load(open(sys.argv[1]))["agreements"] if x["id"] == "SO-T-FOLLOWUP"][0]
evs = a["action_plan"][0]["domains"][0]["actions"][0]["evaluations"]
ms = a["governance"][0]["meetings"]
print(["%d/%s" % (e["year"], e["figures"]) for e in evs],
      [m["held_on"] + "/" + (m["decisions"] if m["held_on"] > "2023" else m["state"]) for m in ms])
PYEOF
)"
check_exit "the history keeps what came before" 0 somon export --as-known-at "$(sqlite3 "$DB" "SELECT moment FROM change WHERE id = $before")" "$TMP/old.json"
check_eq "as known before the corrections: the first export" "" "$(cmp "$TMP/one.json" "$TMP/old.json")"
check_exit "re-import the corrections" 0 somon import "$TMP/fix.json"
check_eq "records no change" "$((before + 1))" "$(changes)"

# An action renumbered (a body renamed) in a file starts afresh: the old
# number would keep its evaluations out of every export, so such a file is
# refused (issue 9, tests/cli/test_export_lossless.sh has the rest) ...
sed -e 's/"number": "1.1"/"number": "1.9"/' "$TMP/fix.json" >"$TMP/renum.json"
check_exit "a renumbered action is refused while the old number has evaluations" 65 somon import "$TMP/renum.json"
check_contains "it says why" "action 1.1 has evaluations for 2022 and is missing from the file" "$ERR"
# ... until they are withdrawn; then the evaluations listed under the new number are its own.
sed -e 's/"evaluations": \[{[^]]*\]/"evaluations": []/' "$TMP/fix.json" >"$TMP/withdraw.json"
check_exit "withdraw the evaluations of 1.1" 0 somon import "$TMP/withdraw.json"
check_exit "import a renumbered action with its evaluations" 0 somon import "$TMP/renum.json"
check_exit "export it" 0 somon export "$TMP/five.json"
check_eq "its evaluations are listed under the new number" "1.9 [2022]" "$($PY - "$TMP/five.json" <<'PYEOF'
import json, sys
a = [x for x in json.load(open(sys.argv[1]))["agreements"] if x["id"] == "SO-T-FOLLOWUP"][0]
x = a["action_plan"][0]["domains"][0]["actions"][0]
print(x["number"], [e["year"] for e in x["evaluations"]])
PYEOF
)"

# Refusals: every problem with its JSON path, nothing changed.
$PY - "$FIX/followup.json" "$TMP/bad.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
a = d["agreements"][0]
evs = a["action_plan"][0]["domains"][0]["actions"][0]["evaluations"]
evs[0]["status"] = "klaar"
evs[1]["year"] = 1999
evs.append({"year": 2022, "status": "ongoing"})
evs.append({"year": 2023.0, "status": "ongoing"})
evs.append({"status": "ongoing", "figures": "x" * 501})
ms = a["governance"][0]["meetings"]
ms[0]["state"] = "gehouden"
ms[1]["held_on"] = "1982-12-31"
ms[2]["minutes_url"] = "ftp://example.org/x"
ms[2]["guests"] = []
ms.append({"held_on": "2099-01-01", "state": "held"})
ms.append({"state": "planned", "attendees": [{"organisation": "VDAB"}, {"name": "N" * 301},
                                              {"name": "X", "guest": "ja"}]})
json.dump(d, open(sys.argv[2], "w"))
PYEOF
DB="$TMP/three.db"
fresh_db
before=$(changes)
check_exit "refused" 65 somon import "$TMP/bad.json"
for want in \
  "agreements[0].action_plan[0].domains[0].actions[0].evaluations[0].status: 'klaar' is not an evaluation status; give one of not_started, ongoing, achieved, stalled, dropped" \
  "agreements[0].action_plan[0].domains[0].actions[0].evaluations[1].year: 1999 is out of range; give a year from 2000 to 2100" \
  "agreements[0].action_plan[0].domains[0].actions[0].evaluations[2].year: 2022 is evaluated twice (also evaluations[0])" \
  "agreements[0].action_plan[0].domains[0].actions[0].evaluations[3].year: expected a whole number (a year), found a number" \
  "agreements[0].action_plan[0].domains[0].actions[0].evaluations[4].year: required; give the year evaluated" \
  "agreements[0].action_plan[0].domains[0].actions[0].evaluations[4].figures: " \
  "agreements[0].governance[0].meetings[0].state: 'gehouden' is not a meeting state; give one of planned, held, cancelled" \
  "agreements[0].governance[0].meetings[1].held_on: '1982-12-31' is out of range" \
  "agreements[0].governance[0].meetings[2].minutes_url: 'ftp://example.org/x' is not a web address" \
  "agreements[0].governance[0].meetings[2].guests: unknown field" \
  "agreements[0].governance[0].meetings[3].state: held, but on a day still to come; give planned" \
  "agreements[0].governance[0].meetings[4].held_on: required; give the day of the meeting" \
  "agreements[0].governance[0].meetings[4].attendees[0]: give a name or a function (or both)" \
  "agreements[0].governance[0].meetings[4].attendees[1].name: " \
  "agreements[0].governance[0].meetings[4].attendees[2].guest: expected true or false, found a text"; do
  check_contains "refusal names the path" "$want" "$ERR"
done
check_contains "the figures' limit" "500" "$(grep 'evaluations\[4\].figures' <<<"$ERR")"
check_contains "the attendee's limit" "300" "$(grep 'attendees\[1\].name' <<<"$ERR")"
check_eq "nothing changed" "$before" "$(changes)"
finish
