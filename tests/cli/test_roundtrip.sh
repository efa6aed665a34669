#!/usr/bin/env bash
# export → import into an empty database → export gives the same bytes.
source tests/cli/lib.sh
demo_db
check_exit "import the fixture too" 0 somon import "$FIX/rules.json"
check_exit "export to stdout" 0 somon export
printf '%s\n' "$OUT" >"$TMP/one.json"
check_exit "export to a file" 0 somon export "$TMP/file.json"
check_eq "file and stdout agree" "" "$(cmp "$TMP/one.json" "$TMP/file.json")"
check_eq "the export is somon/1 with every agreement" "somon/1 12 5" "$($PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["format"], len(d["agreements"]), len(d["regiegebieden"]))' "$TMP/one.json")"

DB="$TMP/two.db"
fresh_db
check_exit "import the export into an empty database" 0 somon import "$TMP/one.json"
check_exit "export again" 0 somon export "$TMP/two.json"
check_eq "byte-identical" "" "$(cmp "$TMP/one.json" "$TMP/two.json")"

# Every field survives: compare the demo agreements field by field.
check_eq "demo agreements keep every field" "ok" "$($PY - "$TMP/two.json" data/demo/*.json <<'PYEOF'
import json, sys
out = {a["id"]: a for a in json.load(open(sys.argv[1]))["agreements"]}
def norm(v):
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items() if x not in (None, [])}
    if isinstance(v, list):
        return [norm(x) for x in v]
    return v
for f in sys.argv[2:]:
    for a in json.load(open(f))["agreements"]:
        if norm(a) != norm(out[a["id"]]):
            print("differs:", a["id"]); sys.exit()
print("ok")
PYEOF
)"
check_exit "export to an unwritable place" 73 somon export "$TMP/no/such/dir/x.json"
finish
