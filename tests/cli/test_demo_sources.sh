#!/usr/bin/env bash
# The demo register compiled from public sources (issue 13; data/demo/README.md):
# the database is built with the very lines of the Makefile's $(DB) rule, exported,
# and tests/cli/demo_sources_check.py checks it against data/demo/public_so:
#   (a) every agreement that is not a seed's has a source, and so has each party;
#   (b) no such agreement or party has a date its sources do not state;
#   (d) the municipalities party to a 2020-2025 agreement, against public_so's README.
# (c) data/demo/public_so.py run again gives the committed files byte for byte.
# Each check is also shown to fail on a broken file.
source tests/cli/lib.sh
CHECK=tests/cli/demo_sources_check.py
OUTDIR=data/demo/publieke-bronnen
N_AG=$(cut -d';' -f1 "$OUTDIR/publieke-bronnen.csv" | tail -n +2 | sort -u | wc -l)

# The $(DB) recipe as make would run it (build/somon not remade), on our binary.
DEMO="$TMP/demo.db"
recipe=$(bash tests/demo_db.sh --recipe "$DEMO")
check_contains "the recipe imports the sheet" "import sheet $OUTDIR/publieke-bronnen.csv" "$recipe"
check_contains "the recipe imports the JSON" "import $OUTDIR/publieke-bronnen.json" "$recipe"
check_eq "the recipe imports the JSON once" 1 "$(grep -c 'publieke-bronnen.json' <<<"$recipe")"
check_exit "build the demo database as make does" 0 bash tests/demo_db.sh "$DEMO"
check_exit "export the demo register" 0 "$SOMON" --db "$DEMO" export "$TMP/export.json"

# The register holds what the files say: importing them again changes nothing
check_exit "the sheet again" 0 "$SOMON" --db "$DEMO" import sheet --dry-run "$OUTDIR/publieke-bronnen.csv"
check_contains "the sheet again: all unchanged" "0 new, 0 changed, $N_AG unchanged" "$OUT"
check_exit "the JSON again" 0 "$SOMON" --db "$DEMO" import "$OUTDIR/publieke-bronnen.json"
check_contains "the JSON again: nothing written" "0 organisation(s)/regiegebied(en) written" "$OUT"
check_contains "the JSON again: no outreach written" "0 cooperation(s)/outreach entr(ies) written" "$OUT"

# (a), (b), (d) and the seeds, the notice and the outreach
check_exit "the demo register keeps to its sources" 0 $PY "$CHECK" "$TMP/export.json"
echo "$OUT" | grep '(d)' | sed 's/^ *//'
[[ $ERR$OUT == *FAIL* ]] && echo "$OUT" | grep FAIL | head -20

# ... and the checker fails on a broken register: a date no source states, a party
# without sources, an agreement without sources, a seed that got a source
break_export() {
  $PY - "$TMP/export.json" "$TMP/broken.json" "$1" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
how = sys.argv[3]
ag = {a["id"]: a for a in doc["agreements"]}
if how == "date":
    ag["PB-TONGEREN-2022"]["start"] = "2022-03-12"
elif how == "approval":
    ag["PB-KAPELLEN-2021"]["parties"][0]["approved_on"] = "2021-06-24"
elif how == "party":
    ag["PB-DIJLELAND"]["parties"][2]["sources"] = []
elif how == "agreement":
    ag["PB-HASSELT-2021"]["sources"] = []
elif how == "seed":
    ag["SO-MECHELEN-2021"]["sources"] = [{"url": "https://rtv.be/", "quote": None, "read_on": None}]
elif how == "borrowed":
    # a date stated by a row of another agreement's source
    ag["PB-DILBEEK-ASSE-WEMMEL"]["start"] = "2022-09-01"
json.dump(doc, open(sys.argv[2], "w", encoding="utf-8"))
PYEOF
}
for how in date approval party agreement seed borrowed; do
  break_export "$how"
  check_exit "the checker refuses a register broken by '$how'" 1 $PY "$CHECK" "$TMP/broken.json"
done

# (c) the converter gives the committed bytes
check_exit "public_so.py runs" 0 $PY data/demo/public_so.py --quiet --out "$TMP/again"
for f in publieke-bronnen.csv publieke-bronnen.json; do
  if cmp -s "$OUTDIR/$f" "$TMP/again/$f"; then ok; else fail "$f differs from what data/demo/public_so.py makes"; fi
done
check_exit "public_so.py --check agrees" 0 $PY data/demo/public_so.py --quiet --check
# ... and says so when a committed file was edited by hand
cp -r "$OUTDIR" "$TMP/edited"
sed -i 's/2022-03-11/2022-03-12/' "$TMP/edited/publieke-bronnen.csv"
check_exit "public_so.py --check finds an edited sheet" 1 $PY data/demo/public_so.py --quiet --check --out "$TMP/edited"

# data/demo/public_so is an unchanged copy of the shared compilation, where that is at hand
for shared in ../shared/data/public_so ../../shared/data/public_so; do
  if [[ -d $shared ]]; then
    for f in README.md agreements.csv regiegebieden.csv; do
      if cmp -s "$shared/$f" "data/demo/public_so/$f"; then ok; else fail "data/demo/public_so/$f differs from $shared/$f"; fi
    done
    break
  fi
done

# The sheet goes in through the user's own command: a dry run on the register
# without it plans every PB- agreement as new
fresh_db
somon --actor demo import data/demo/agreement*.json "$OUTDIR/publieke-bronnen.json" >/dev/null
check_exit "dry run of the sheet" 0 somon import sheet --dry-run "$OUTDIR/publieke-bronnen.csv"
check_eq "every agreement of the sheet is new" "$N_AG" "$(grep -c '^new PB-' <<<"$OUT")"

finish
