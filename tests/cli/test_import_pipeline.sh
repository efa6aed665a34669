#!/usr/bin/env bash
# somon import writes each agreement while the rest of the file is still
# being read (issue 12: a writer thread). All or nothing must not change:
# a problem found late (in the last agreement, after the list, across files,
# or only while writing) leaves the database exactly as it was and prints
# every message; a file read after the list (organisations after the
# agreements) is still written.
source tests/cli/lib.sh
fresh_db
check_exit "import an agreement with evaluations and meetings" 0 somon import "$FIX/followup.json"

# gen OUT N [PYTHON]: a somon/1 file of N valid agreements SO-P-00000 …;
# PYTHON may change d (the document) and ags (its agreements) first.
gen() {
  $PY - "$1" "$2" "${3:-}" "$FIX/followup.json" <<'PYEOF'
import json, sys
out, n, code, followup = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ags = [{"id": "SO-P-%05d" % i, "title": "Proef %d" % i, "vdab_directorate": "Antwerpen", "status": "negotiating",
        "parties": [{"organisation": "VDAB"}, {"municipality": "11002"}]} for i in range(n)]
d = {"format": "somon/1", "agreements": ags}
exec(code)
json.dump(d, open(out, "w"), indent=1)
PYEOF
}

somon export "$TMP/before.json"
base=$(changes)
# unchanged DESCRIPTION: nothing written, no change recorded, the export as before
unchanged() {
  check_eq "$1: no change recorded" "$base" "$(changes)"
  check_eq "$1: none of the file's agreements stored" 0 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM agreement WHERE id LIKE 'SO-P-%'")"
  somon export "$TMP/after.json" 2>/dev/null
  check_eq "$1: the export as before" "" "$(cmp "$TMP/before.json" "$TMP/after.json")"
}

# The last of 3,000 agreements is wrong, and one in the middle repeats an
# id (found only after the list): both are reported, nothing is written.
gen "$TMP/late.json" 3000 'ags[1500]["id"] = "SO-P-00010"; ags[-1]["parties"][1]["municipality"] = "99999"'
check_exit "a problem in the last agreement" 65 somon import "$TMP/late.json"
check_contains "the last agreement's problem" "late.json: agreements[2999].parties[1].municipality: unknown NIS code 99999" "$ERR"
check_contains "the duplicate, found after the list" "late.json: agreements[1500].id: duplicate id 'SO-P-00010' (also [10])" "$ERR"
check_contains "both counted, nothing changed" "import refused: 2 problems; nothing was changed" "$ERR"
unchanged "a problem in the last agreement"

# Only the last agreement is wrong: the writer has written the others.
gen "$TMP/last.json" 3000 'ags[-1]["title"] = ""'
check_exit "only the last agreement wrong" 65 somon import "$TMP/last.json"
check_eq "exactly its message" "last.json: agreements[2999].title: empty; give a text
somon: import refused: 1 problem; nothing was changed" "$(sed "s|$TMP/||" <<<"$ERR")"
unchanged "only the last agreement wrong"

# Across files: the second file repeats an id of the first.
gen "$TMP/first.json" 3000
gen "$TMP/second.json" 3 'ags[2]["id"] = "SO-P-00005"; ags[0]["id"] = "SO-Q-0"; ags[1]["id"] = "SO-Q-1"'
check_exit "a duplicate across files" 65 somon import "$TMP/first.json" "$TMP/second.json"
check_contains "names both files" "second.json: agreements[2].id: duplicate id 'SO-P-00005' (also in $TMP/first.json); import it once" "$ERR"
check_contains "nothing changed" "import refused: 1 problem; nothing was changed" "$ERR"
unchanged "a duplicate across files"
check_eq "nor the second file's" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM agreement WHERE id LIKE 'SO-Q-%'")"

# A reference checked after the list: an unknown organisation in the last agreement.
gen "$TMP/ref.json" 3000 'ags[-1]["parties"][0]["organisation"] = "NOPE"'
check_exit "an unknown organisation" 65 somon import "$TMP/ref.json"
check_contains "its message" "ref.json: agreements[2999].parties[0].organisation: unknown organisation 'NOPE'" "$ERR"
unchanged "an unknown organisation"

# A list after the agreements with a problem in it.
gen "$TMP/orgs-bad.json" 3000 'd["organisations"] = [{"id": "ORG-P", "name": "O", "kind": "club"}]'
check_exit "a wrong organisation after the agreements" 65 somon import "$TMP/orgs-bad.json"
check_contains "its message" "orgs-bad.json: organisations[0].kind: 'club'" "$ERR"
unchanged "a wrong organisation after the agreements"

# A second file that cannot be read, after a first that was being written.
check_exit "a missing second file" 66 somon import "$TMP/first.json" "$TMP/missing.json"
check_contains "says which" "cannot read $TMP/missing.json" "$ERR"
unchanged "a missing second file"

# Found only while writing: the last agreement leaves out a body with meetings.
gen "$TMP/cut.json" 3000 '
f = json.load(open(followup))["agreements"][0]
del f["governance"][0]
ags.append(f)'
check_exit "a body with meetings left out at the end" 65 somon import "$TMP/cut.json"
check_eq "exactly its message" "cut.json: agreements[3000].governance: body 'Stuurgroep' has 3 recorded meetings and is missing from the file; keep it as 'Stuurgroep' or first withdraw its meetings (import it with \"meetings\": []); the governance form renames a body with its meetings
somon: import refused: 1 problem; nothing was changed" "$(sed "s|$TMP/||" <<<"$ERR")"
unchanged "a body with meetings left out at the end"

# The good file is written whole, organisations after the agreements too.
gen "$TMP/good.json" 3000 'd["organisations"] = [{"id": "ORG-P", "name": "O", "kind": "other"}]; ags[-1]["parties"][0]["organisation"] = "ORG-P"'
check_exit "a good file" 0 somon import "$TMP/good.json"
check_contains "all added" "3000 agreement(s) new, 0 replaced" "$OUT"
check_eq "one change" "$((base + 1))" "$(changes)"
check_eq "all stored" 3000 "$(sqlite3 "$DB" "SELECT count(*) FROM agreement WHERE id LIKE 'SO-P-%' AND rec_until IS NULL")"
check_eq "the organisation read after the agreements is stored" 1 \
  "$(sqlite3 "$DB" "SELECT count(*) FROM organisation WHERE id = 'ORG-P' AND rec_until IS NULL")"
check_exit "the same file again" 0 somon import "$TMP/good.json"
check_contains "nothing new" "3000 unchanged" "$OUT"
check_eq "no change recorded" "$((base + 1))" "$(changes)"

finish
