#!/usr/bin/env bash
# somon import sheet: agreements from a sheet in the annex layout (issue 11,
# docs/sheet_import.md). The sheets are made here by tests/cli/fixtures/sheet_gen.py
# from the demo register and from the real municipalities of Limburg (test data).
source tests/cli/lib.sh
# The command line speaks Dutch by default (lib.sh asks English for the older tests); this one reads the Dutch.
export LANGUAGE=nl
GEN="$PY tests/cli/fixtures/sheet_gen.py"
# The XLSX half of the reader may still be missing: then the XLSX checks are skipped.
xlsx_ok() { $PY -c 'import openpyxl' 2>/dev/null; }

# ---- the demo register as a sheet: nothing changes, also by name and with the organisations
demo_db
somon export >"$TMP/demo.json"
for variant in "" "--orgs" "--names" "--orgs --names"; do
  $GEN demo "$TMP/demo.json" "$TMP/demo.csv" $variant
  check_exit "demo sheet $variant" 0 somon import sheet "$TMP/demo.csv"
  check_contains "demo sheet $variant: 5 unchanged" "0 nieuw, 0 gewijzigd, 5 ongewijzigd" "$OUT"
done
check_eq "the register is byte for byte the same" "$(cat "$TMP/demo.json")" "$(somon export)"

# ---- the seed agreements into an empty register, by name
fresh_db
$GEN demo "$TMP/demo.json" "$TMP/seeds.csv" --names
check_exit "seed agreements in" 0 somon --actor an.peeters import sheet "$TMP/seeds.csv"
check_contains "5 new" "5 nieuw, 0 gewijzigd, 0 ongewijzigd" "$OUT"
somon export >"$TMP/seeds.json"
check_eq "every party as the sheet says" "$($GEN rows "$TMP/seeds.csv")" "$($GEN rows "$TMP/seeds.json")"
check_contains "one change by its actor" "an.peeters  import: sheet seeds.csv" "$(somon history SO-MECHELEN-2021)"
check_exit "again: unchanged" 0 somon import sheet "$TMP/seeds.csv"
check_contains "5 unchanged" "0 nieuw, 0 gewijzigd, 5 ongewijzigd" "$OUT"
check_eq "no empty change" 2 "$(changes)"

# ---- a province's register: 60 agreements with one command, and back out identical
fresh_db
$GEN province Limburg 60 "$TMP/limburg.csv" --sep ';' --bom
check_eq "241 lines (a header and 240 parties)" 241 "$(wc -l <"$TMP/limburg.csv")"
check_exit "60 agreements in (';', BOM)" 0 somon import sheet "$TMP/limburg.csv"
check_contains "60 new" "60 nieuw, 0 gewijzigd, 0 ongewijzigd" "$OUT"
somon export >"$TMP/limburg.json"
check_eq "the export gives the sheet back" "$($GEN rows "$TMP/limburg.csv" SO-TEST)" "$($GEN rows "$TMP/limburg.json" SO-TEST)"
check_exit "annex" 0 somon report annex --date 2023-06-30 --province Limburg --format csv
annex=$OUT
expected=$($PY - "$TMP/limburg.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
for a in doc["agreements"]:
    if a["status"] != "signed" or not (a["start"] <= "2023-06-30" <= a["end"]):
        continue
    for p in a["parties"]:
        first = max(x for x in (a["start"], p["from"], p["approved_on"]) if x)
        if first <= "2023-06-30" <= (p["until"] or a["end"]):
            print(p["municipality"] + "," + a["id"])
EOF
)
got=$(tail -n +2 <<<"$annex" | awk -F, '$5 ~ /^SO-TEST/ {print $2 "," $5}' | sort -u)
check_eq "the annex names every party in force on 30/06/2023" "$(sort -u <<<"$expected")" "$got"
check_contains "the annex has them" "SO-TEST-LIM" "$annex"
before=$(changes)
check_exit "the same sheet with ',' and no BOM" 0 somon import sheet <(sed '1s/^\xEF\xBB\xBF//; s/;/,/g' "$TMP/limburg.csv")
check_contains "60 unchanged" "0 nieuw, 0 gewijzigd, 60 ongewijzigd" "$OUT"
check_eq "nothing written" "$before" "$(changes)"
check_eq "the export is identical" "$(cat "$TMP/limburg.json")" "$(somon export)"
if xlsx_ok; then
  $GEN xlsx "$TMP/limburg.csv" "$TMP/limburg.xlsx"
  "$SOMON" --db "$DB" import sheet --dry-run "$TMP/limburg.xlsx" >"$TMP/out" 2>"$TMP/err"
  if grep -qi "xlsx" "$TMP/err" && ! grep -q "Bijlage!" "$TMP/err"; then
    echo "  (skipped: the reader does not read XLSX yet: $(head -1 "$TMP/err"))"
  else
    check_exit "the same as XLSX with date cells, sheet Bijlage not first" 0 somon import sheet "$TMP/limburg.xlsx"
    check_contains "xlsx: 60 unchanged" "0 nieuw, 0 gewijzigd, 60 ongewijzigd" "$OUT"
    check_eq "xlsx: the export is identical" "$(cat "$TMP/limburg.json")" "$(somon export)"
  fi
fi

# ---- the template (GET /agreements/sjabloon.xlsx): its example row is not read; filled in below it, it imports
printf 'GET /agreements/sjabloon.xlsx HTTP/1.1\r\nHost: localhost\r\n\r\n' | "$SOMON" --db "$DB" test-http >"$TMP/template.http"
if xlsx_ok && grep -q "^HTTP/1.1 200" "$TMP/template.http"; then
  $PY - "$TMP/template.http" "$TMP/template.xlsx" "$TMP/filled.xlsx" <<'EOF'
import sys, openpyxl
data = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(data.split(b"\r\n\r\n", 1)[1])
wb = openpyxl.load_workbook(sys.argv[2])
ws = wb["Bijlage"]
ws.append(["SO-TEST-SJABLOON", "Uit het sjabloon", "Limburg", "ontwerp", None, None, "Bree", None, None, None])
wb.save(sys.argv[3])
EOF
  check_exit "the template as it is: nothing to import" 65 somon import sheet "$TMP/template.xlsx"
  check_contains "the example row is not read" "de voorbeeldrij van het sjabloon" "$ERR"
  check_exit "the template filled in below its example" 0 somon import sheet --dry-run "$TMP/filled.xlsx"
  check_contains "one new agreement" "zou importeren: 1 nieuw, 0 gewijzigd, 0 ongewijzigd" "$OUT"
else
  echo "  (skipped: no template or no openpyxl)"
fi

# ---- a name is resolved on the party's first day: Hasselt is 71022 in 2021, 71072 in 2025
fresh_db
cat >"$TMP/hasselt.csv" <<'EOF'
Overeenkomst,Titel,Directie,Status,Begin,Einde,Gemeente,Goedgekeurd op,Vanaf,Tot
SO-H-2021,Hasselt 2021,limburg,signed,1/03/2021,31/12/2025,Hasselt,15/02/2021,,
SO-H-2021,Hasselt 2021,LIMBURG,ondertekend,2021-03-01,31/12/2025,GENK,,,
SO-H-2025,Hasselt 2025,Limburg,Ondertekend,01/01/2025,31/12/2030,hasselt,,,
SO-H-LATER,Later,Limburg,wacht op goedkeuring,01/06/2024,31/12/2030,Hasselt,,01/02/2025,
SO-H-LATER,Later,Limburg,wacht op goedkeuring,01/06/2024,31/12/2030,Sint Truiden,,,
EOF
check_exit "Hasselt" 0 somon import sheet "$TMP/hasselt.csv"
parties=$(somon export | $PY -c '
import json, sys
for a in json.load(sys.stdin)["agreements"]:
    print(a["id"], a["status"], " ".join(p.get("municipality") or p["organisation"] for p in a["parties"]))')
check_contains "2021" "SO-H-2021 signed 71022 71016" "$parties"
check_contains "2025" "SO-H-2025 signed 71072" "$parties"
check_contains "on the party's own first day (vanaf), any case, spaces for hyphens" \
  "SO-H-LATER awaiting_approval 71072 71053" "$parties"

# ---- a changed sheet: the plan says what changes, --dry-run writes nothing
before=$(somon export)
cat >"$TMP/changed.csv" <<'EOF'
overeenkomst,titel,directie,status,begin,einde,gemeente,goedgekeurd_op,vanaf,tot
SO-H-2021,Hasselt 2021 herzien,Limburg,ondertekend,01/03/2021,31/12/2025,Hasselt,16/02/2021,,
SO-H-2021,,,,,,Diepenbeek,,01/06/2022,
SO-H-2025,Hasselt 2025,Limburg,ondertekend,01/01/2025,31/12/2030,71072,,,
EOF
check_exit "dry run" 0 somon import sheet --dry-run "$TMP/changed.csv"
check_contains "changed" "gewijzigd SO-H-2021" "$OUT"
check_contains "title" "titel: 'Hasselt 2021' → 'Hasselt 2021 herzien'" "$OUT"
check_contains "added" "partij toegevoegd: Diepenbeek (71011)" "$OUT"
check_contains "removed" "partij verwijderd: Genk (71016)" "$OUT"
check_contains "approval" "partij Hasselt (71022): goedgekeurd op 15/02/2021 → 16/02/2021" "$OUT"
check_contains "unchanged (an agreement the sheet does not name is left alone)" "ongewijzigd SO-H-2025" "$OUT"
check_contains "summary" "zou importeren: 0 nieuw, 1 gewijzigd, 1 ongewijzigd" "$OUT"
check_eq "dry run changed nothing" "$before" "$(somon export)"
check_exit "English on request" 0 env LANGUAGE=en "$SOMON" --db "$DB" import sheet --dry-run "$TMP/changed.csv"
check_contains "English" "would import: 0 new, 1 changed, 1 unchanged" "$OUT"
check_exit "import the change" 0 somon import sheet "$TMP/changed.csv"
check_contains "1 changed" "0 nieuw, 1 gewijzigd, 1 ongewijzigd" "$OUT"
check_contains "SO-H-LATER is kept" "SO-H-LATER" "$(somon export)"
printf 'overeenkomst,titel,directie,status,gemeente\nSO-H-2025,Hasselt 2025,Limburg,ontwerp,Hasselt\n' >"$TMP/back.csv"
check_exit "the command line, like the JSON import, takes any status (the browser keeps the forms' steps)" 0 \
  somon import sheet "$TMP/back.csv"
check_contains "signed back to draft" "status: ondertekend → ontwerp" "$OUT"

# ---- what the sheet cannot express is kept: notes, kind, action plan, signatories, decisions
demo_db
somon export >"$TMP/demo.json"
$GEN demo "$TMP/demo.json" "$TMP/demo.csv"
sed -i 's/^SO-MECHELEN-2021,Samen sterk voor lokaal werk in 2020 - 2025,/SO-MECHELEN-2021,Samen sterk voor lokaal werk (herzien),/' "$TMP/demo.csv"
check_exit "a new title for Mechelen" 0 somon import sheet "$TMP/demo.csv"
check_contains "1 changed" "0 nieuw, 1 gewijzigd, 4 ongewijzigd" "$OUT"
diff_fields=$(somon export | $PY -c '
import json, sys
old = {a["id"]: a for a in json.load(open(sys.argv[1]))["agreements"]}
for a in json.load(sys.stdin)["agreements"]:
    for k in a:
        if a[k] != old[a["id"]][k]:
            print(a["id"], k)' "$TMP/demo.json")
check_eq "only the title changed; the organisation parties, signatories, decisions and plan are kept" \
  "SO-MECHELEN-2021 title" "$diff_fields"

# ---- problems: each names its cell and the fix; nothing changes; exit 65
demo_db
before=$(somon export)
nchanges=$(changes)
refused() { # DESCRIPTION FILE NEEDLE...
  local desc=$1 file=$2
  shift 2
  check_exit "$desc: refused" 65 somon import sheet "$file"
  for needle in "$@"; do check_contains "$desc" "$needle" "$ERR"; done
  check_contains "$desc: nothing changed" "er is niets gewijzigd" "$ERR"
}
cat >"$TMP/bad.csv" <<'EOF'
overeenkomst;titel;directie;status;begin;einde;gemeente;goedgekeurd_op;vanaf;tot
SO-BAD-1;Slecht;Limburg;ondertekend;01/03/2022;31/12/2025;Haselt;31/02/2022;;
SO-BAD-1;Anders;Limburg;ondertekend;01/03/2022;31/12/2025;Nergenshuizen;;;
SO-BAD-2;Buiten;Limburg;ondertekend;01/03/2022;31/12/2025;Genk;;01/01/2021;
SO-BAD-2;Buiten;Limburg;ondertekend;01/03/2022;31/12/2025;Bree;;;31/12/2026
SO-BAD-3;Nevele;Oost-Vlaanderen;klaar;2022;31/12/2025;Nevele;;;
SO-BAD-4;Dubbel;West-Vlaanderen;ontwerp;;;Brugge;01/12/2020;;
SO-BAD-4;Dubbel;West-Vlaanderen;ontwerp;;;Brugge;02/12/2020;;
EOF
refused "every kind of problem with its cell" "$TMP/bad.csv" \
  "bad!G2: 'Haselt' is geen gemeente op 01/03/2022; bedoelde u Hasselt" \
  "bad!H2: '31/02/2022' is geen datum; schrijf ze als 30/06/2023 of 2023-06-30" \
  "bad!B3: 'Anders' verschilt van bad!B2 ('Slecht') voor overeenkomst SO-BAD-1; geef op elke rij van een overeenkomst dezelfde titel" \
  "bad!G3: 'Nergenshuizen' is geen gemeente op 01/03/2022" \
  "bad!I4: 01/01/2021 ligt voor het begin van de overeenkomst (01/03/2022)" \
  "bad!J5: 31/12/2026 ligt na het einde van de overeenkomst (31/12/2025)" \
  "bad!D6: 'klaar' is geen status" \
  "bad!E6: '2022' is geen datum" \
  "bad!H8: 02/12/2020 verschilt van bad!H7 (01/12/2020) voor partij Brugge (31005); geef dezelfde goedgekeurd_op op elke rij van een partij"
check_contains "a name of another time says when it was" \
  "'Nevele' was geen gemeente op" "$(printf 'overeenkomst,titel,directie,status,begin,einde,gemeente\nSO-N,N,Oost-Vlaanderen,ondertekend,01/03/2022,31/12/2025,Nevele\n' >"$TMP/n.csv"; somon import sheet "$TMP/n.csv" 2>&1)"

printf 'overeenkomst,titel,directie,staus,begin,einde,gemeente,opmerking,toelichting\nSO-X,X,Limburg,ontwerp,,,Genk,hallo,x\n' >"$TMP/headers.csv"
refused "unknown headers" "$TMP/headers.csv" \
  "headers!D1: onbekende kolom 'staus'; bedoelde u status?" \
  "headers!H1: onbekende kolom 'opmerking'; bedoelde u opmerkingen?" \
  "headers!I1: onbekende kolom 'toelichting'; de kolommen zijn overeenkomst" \
  "headers!A1: de kolom status ontbreekt; voeg ze toe aan de rij met kolomkoppen"
printf 'overeenkomst,titel,status,gemeente\nSO-X,X,ontwerp,Genk\n' >"$TMP/missing.csv"
refused "a missing column" "$TMP/missing.csv" "missing!A1: de kolom directie ontbreekt"
printf 'titel\n\n' >"$TMP/empty.csv"
refused "no agreements" "$TMP/empty.csv" "de kolom overeenkomst ontbreekt"
: >"$TMP/nothing.csv"
refused "an empty file" "$TMP/nothing.csv" "somon: import geweigerd"
head -c 3000 /dev/urandom >"$TMP/garbage.csv"
check_exit "garbage: refused" 65 somon import sheet "$TMP/garbage.csv"
check_eq "garbage: one line and the summary" 2 "$(wc -l <<<"$ERR")"
printf 'PK\003\004garbage that is no zip' >"$TMP/garbage.xlsx"
check_exit "a broken workbook: refused" 65 somon import sheet "$TMP/garbage.xlsx"
printf 'overeenkomst,titel,directie,status,gemeente\nSO-\033[31mX,X,Limburg,ontwerp,Genk\n' >"$TMP/escape.csv"
check_exit "control characters: refused" 65 somon import sheet "$TMP/escape.csv"
check_not_contains "never sent to the terminal" $'\033' "$ERR"
printf 'overeenkomst,titel,directie,status,gemeente\nSO-MECHELEN-2021,X,Limburg,ontwerp,IVSES\n' >"$TMP/org.csv"
refused "the import's own rules, at the cell" "$TMP/org.csv" "org!E2: 'IVSES' is geen gemeente"
printf 'overeenkomst,titel,directie,status,gemeente,organisatie\nSO-NEW,X,Limburg,ontwerp,,NIEMAND\n' >"$TMP/org2.csv"
refused "an unknown organisation" "$TMP/org2.csv" "org2!F2: onbekende organisatie 'NIEMAND'"
check_eq "the register is unchanged after every refusal" "$before" "$(somon export)"
check_eq "and no change was recorded" "$nchanges" "$(changes)"

# ---- exit codes
check_exit "no such file" 66 somon import sheet "$TMP/none.csv"
check_exit "no file" 64 somon import sheet
check_exit "an unknown option" 64 somon import sheet --force "$TMP/demo.csv"
finish
