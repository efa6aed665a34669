#!/usr/bin/env bash
# The exchange format loses nothing of the register (issue 9): an import that
# would leave a stored action with evaluations, or a stored body with
# meetings, out of its agreement is refused whole, so no evaluation or
# meeting ends up where no export can carry it. Databases that hold such
# orphans from before are exported with a warning on standard error and an
# alert, and re-adding the action (body) under its last number (name) takes
# them back into the agreement and the export.
source tests/cli/lib.sh
fresh_db
check_exit "import an agreement with evaluations and meetings" 0 somon import "$FIX/followup.json"
check_exit "export" 0 somon export "$TMP/one.json"

# edit FILE OUT PYTHON: OUT is FILE's SO-T-FOLLOWUP (as agreements[1], after a
# harmless agreement) changed by PYTHON (a = the agreement, acts = its actions,
# gov = its bodies).
edit() {
  $PY - "$1" "$2" "$3" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
a = [x for x in d["agreements"] if x["id"] == "SO-T-FOLLOWUP"][0]
acts = a["action_plan"][0]["domains"][0]["actions"]
gov = a["governance"]
exec(sys.argv[3])
other = {"id": "SO-T-OTHER", "title": "Andere", "vdab_directorate": "Antwerpen", "status": "negotiating",
         "parties": [{"organisation": "VDAB"}, {"municipality": "11002"}]}
d = {"format": "somon/1", "agreements": [other, a]}
json.dump(d, open(sys.argv[2], "w"), indent=1)
PYEOF
}

refused_unchanged() { # DESCRIPTION FILE: refused, nothing written, the export as before
  local before
  before=$(changes)
  check_exit "$1: refused" 65 somon import "$2"
  check_eq "$1: nothing changed" "$before" "$(changes)"
  somon export "$TMP/after.json" 2>/dev/null
  check_eq "$1: the export still has everything" "" "$(cmp "$TMP/one.json" "$TMP/after.json")"
}

edit "$TMP/one.json" "$TMP/no-action.json" 'del acts[0]'
refused_unchanged "an action with evaluations left out" "$TMP/no-action.json"
check_contains "names the action, its years and the fix" \
  "no-action.json: agreements[1].action_plan: action 1.1 has evaluations for 2021, 2022 and is missing from the file; keep it as 1.1 (give it status \"retired\" if it ended) or first withdraw its evaluations (import it with \"evaluations\": []); the action plan form renumbers an action with its evaluations" "$ERR"
check_contains "all or nothing" "import refused: 1 problem; nothing was changed" "$ERR"

edit "$TMP/one.json" "$TMP/no-body.json" 'del gov[0]'
refused_unchanged "a body with meetings left out" "$TMP/no-body.json"
check_contains "names the body, its meetings and the fix" \
  "no-body.json: agreements[1].governance: body 'Stuurgroep' has 3 recorded meetings and is missing from the file; keep it as 'Stuurgroep' or first withdraw its meetings (import it with \"meetings\": []); the governance form renames a body with its meetings" "$ERR"

# Renumbering (renaming) in a file starts a new action (body): the old one
# would keep its evaluations (meetings) out of every export.
edit "$TMP/one.json" "$TMP/renamed.json" 'acts[0]["number"] = "1.9"; gov[0]["body"] = "Stuurgroep (nieuw)"'
refused_unchanged "renumbered and renamed" "$TMP/renamed.json"
check_contains "the renumbered action" "agreements[1].action_plan: action 1.1 has evaluations for 2021, 2022 and is missing" "$ERR"
check_contains "the renamed body" "agreements[1].governance: body 'Stuurgroep' has 3 recorded meetings and is missing" "$ERR"
check_contains "both, all or nothing" "import refused: 2 problems; nothing was changed" "$ERR"

# Keeping the action and body without the lists leaves them as they are.
edit "$TMP/one.json" "$TMP/kept.json" 'del acts[0]["evaluations"]; gov[0]["meetings"] = None; acts[0]["status"] = "retired"'
check_exit "kept without their lists" 0 somon import "$TMP/kept.json"
check_exit "export" 0 somon export "$TMP/kept-out.json"
check_eq "evaluations and meetings still exported" "retired [2021, 2022] 3" "$($PY - "$TMP/kept-out.json" <<'PYEOF'
import json, sys
a = [x for x in json.load(open(sys.argv[1]))["agreements"] if x["id"] == "SO-T-FOLLOWUP"][0]
x = a["action_plan"][0]["domains"][0]["actions"][0]
print(x["status"], [e["year"] for e in x["evaluations"]], len(a["governance"][0]["meetings"]))
PYEOF
)"

# An action without evaluations and a body without meetings may go.
edit "$TMP/one.json" "$TMP/bare.json" 'del acts[1]; del gov[1]'
check_exit "an action and a body without follow-up removed" 0 somon import "$TMP/bare.json"

# The fix the message gives: withdraw first, then leave out.
edit "$TMP/one.json" "$TMP/withdraw.json" 'acts[0]["evaluations"] = []; gov[0]["meetings"] = []; del acts[1]; del gov[1]'
check_exit "withdraw the evaluations and meetings" 0 somon import "$TMP/withdraw.json"
edit "$TMP/one.json" "$TMP/gone.json" 'del acts[0]; del gov[0]; del acts[0]; del gov[0]'
check_exit "then the action and body may go" 0 somon import "$TMP/gone.json"
check_exit "the history still has them" 0 somon export --as-known-at "$(sqlite3 "$DB" "SELECT moment FROM change ORDER BY id LIMIT 1 OFFSET 2")" "$TMP/old.json"
check_contains "as known before" '"Jaarplan goedgekeurd."' "$(cat "$TMP/old.json")"

# Round trip: export -> empty database -> export, byte-identical.
DB="$TMP/two.db"
fresh_db
check_exit "import the first export into an empty database" 0 somon import "$TMP/one.json"
check_exit "export again" 0 somon export "$TMP/two.json"
check_eq "byte-identical" "" "$(cmp "$TMP/one.json" "$TMP/two.json")"

# A database from before this rule: action 9.9 and body 'Oud overleg' were
# removed after their evaluations and meetings were recorded (made here with
# SQL, as somon no longer lets it happen). The file leaves their lists out:
# it keeps what is stored.
edit "$TMP/one.json" "$TMP/with-old.json" '
acts.append({"number": "9.9", "title": "Oude actie", "lead": None, "status": None})
gov.append({"body": "Oud overleg", "convener": None, "min_meetings": None, "per_years": None, "members": []})'
check_exit "add action 9.9 and body Oud overleg" 0 somon import "$TMP/with-old.json"
check_exit "then remove them again" 0 somon import "$TMP/one.json"
check_exit "export before" 0 somon export "$TMP/pre.json"
sqlite3 "$DB" "
INSERT INTO evaluation(agreement, action_uid, year, status, rec_from)
  SELECT 'SO-T-FOLLOWUP', x.uid, y, 'achieved', (SELECT max(id) FROM change)
  FROM action x, (SELECT 2021 AS y UNION SELECT 2022) WHERE x.number = '9.9';
INSERT INTO meeting(mid, agreement, body_uid, held_on, state, rec_from)
  SELECT (SELECT max(mid) + 1 FROM meeting), 'SO-T-FOLLOWUP', g.uid, '2022-05-05', 'held', (SELECT max(id) FROM change)
  FROM governance_body g WHERE g.body = 'Oud overleg' LIMIT 1;" || fail "could not make the orphans"
check_exit "export still works" 0 somon export "$TMP/orphans.json"
check_eq "the file is the same" "" "$(cmp "$TMP/pre.json" "$TMP/orphans.json")"
check_contains "a warning names the evaluations left out" \
  "somon: warning: SO-T-FOLLOWUP: 2 evaluation(s) of action 9.9, which the agreement no longer has, are not in the export; add action 9.9 to its action plan again (status \"retired\" if it ended) and they come back with it" "$ERR"
check_contains "and the meetings" \
  "somon: warning: SO-T-FOLLOWUP: 1 meeting(s) of body 'Oud overleg', which the agreement no longer has, are not in the export; add body 'Oud overleg' to its governance again and they come back with it" "$ERR"
check_exit "alerts" 0 somon alerts --date 2024-01-01 --format csv
check_contains "an alert for the evaluations" "SO-T-FOLLOWUP,9.9,\"2 evaluaties van actie 9.9, die niet meer in het actieplan staat, zitten in geen export" "$OUT"
check_contains "an alert for the meetings" "SO-T-FOLLOWUP,Oud overleg,\"1 vergadering van een vroeger overlegorgaan (Oud overleg) zit in geen export" "$OUT"

# The fix: add them back under the number and name they had.
check_exit "add action 9.9 and body Oud overleg again" 0 somon import "$TMP/with-old.json"
check_exit "export" 0 somon export "$TMP/fixed.json"
check_eq "no warning any more" "" "$ERR"
check_eq "they are back in the export" "[2021, 2022] ['2022-05-05']" "$($PY - "$TMP/fixed.json" <<'PYEOF'
import json, sys
a = [x for x in json.load(open(sys.argv[1]))["agreements"] if x["id"] == "SO-T-FOLLOWUP"][0]
x = [x for x in a["action_plan"][0]["domains"][0]["actions"] if x["number"] == "9.9"][0]
g = [g for g in a["governance"] if g["body"] == "Oud overleg"][0]
print([e["year"] for e in x["evaluations"]], [m["held_on"] for m in g["meetings"]])
PYEOF
)"
check_exit "alerts" 0 somon alerts --date 2024-01-01 --format csv
check_not_contains "no orphan alert" "vroeger overlegorgaan" "$OUT"
finish
