#!/usr/bin/env bash
# The register notice (issue 13, docs/somon1.md, docs/downloads.md): somon/1's
# top-level "register_notice" sets it, null clears it, a file without it keeps
# it; the export writes it only when set; every report of the command line says
# it in every --format, as known at --as-known-at; without it every output is
# byte for byte what it was. And the alert "leden onbekend" (docs/alerts.md).
source tests/cli/lib.sh
demo_db
SENTENCE="Publieke bronnen, onvolledig: dit register is samengesteld uit publieke bronnen en bevat maar een deel van de overeenkomsten."

# every report, every format: name FORMAT ARGS...
REPORTS=(
  "coverage|report coverage --date 2023-06-30 --prognosis 2023-12-31"
  "annex|report annex --date 2023-06-30 --province Oost-Vlaanderen"
  "concluded|report concluded --from 2019-01-01 --to 2023-12-31"
)
FORMATS=(text csv json md html)
# reports DIR [ARGS...]: every report in every format into DIR (stdout, stderr)
reports() {
  local dir=$1 r f name args
  shift
  mkdir -p "$dir"
  for r in "${REPORTS[@]}"; do
    name=${r%%|*} args=${r#*|}
    for f in "${FORMATS[@]}"; do
      # shellcheck disable=SC2086
      somon $args --format "$f" "$@" >"$dir/$name.$f" 2>"$dir/$name.$f.err" || echo "report failed: $name $f" >>"$dir/failed"
    done
    # shellcheck disable=SC2086
    somon $args --format xlsx --output "$dir/$name.xlsx" "$@" 2>"$dir/$name.xlsx.err" || echo "xlsx failed: $name" >>"$dir/failed"
  done
  for f in md html; do
    somon report answer --date 2023-06-30 --prognosis 2023-12-31 --format "$f" "$@" >"$dir/answer.$f" 2>/dev/null ||
      echo "answer failed: $f" >>"$dir/failed"
  done
  somon report answer --date 2023-06-30 --prognosis 2023-12-31 --output "$dir/answer.docx" "$@" 2>/dev/null ||
    echo "answer failed: docx" >>"$dir/failed"
}
# xlsx_text FILE: every text of a workbook or Word file (its XML parts)
xlsx_text() {
  "$PY" -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print("\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")))' "$1"
}

reports "$TMP/before"
check_eq "every report ran without the notice" "" "$(cat "$TMP/before/failed" 2>/dev/null)"
somon export >"$TMP/before.json"
check_not_contains "an export without a notice has no register_notice" "register_notice" "$(cat "$TMP/before.json")"
T0=$(sqlite3 "$DB" "SELECT moment FROM change ORDER BY id DESC LIMIT 1")
sleep 0.01

# ---- set -----------------------------------------------------------------------
printf '{"format": "somon/1", "register_notice": "public_sources_partial"}\n' >"$TMP/set.json"
check_exit "import sets the notice" 0 somon import "$TMP/set.json"
check_contains "and says so" "register notice set: public_sources_partial" "$OUT"
n=$(changes)
check_exit "the same again" 0 somon import "$TMP/set.json"
check_eq "records no change" "$n" "$(changes)"
check_not_contains "and says nothing of the notice" "register notice" "$OUT"
somon export >"$TMP/set-export.json"
check_eq "the export writes it after the format" '  "register_notice": "public_sources_partial",' "$(sed -n 3p "$TMP/set-export.json")"
check_eq "and is otherwise the export it was" "$(grep -v register_notice "$TMP/set-export.json")" "$(cat "$TMP/before.json")"

# the round trip: export → import into an empty database → export, byte for byte
cp "$DB" "$TMP/kept.db"
fresh_db
check_exit "import of the export" 0 somon --actor demo import "$TMP/set-export.json"
check_eq "round trip byte-identical" "$(md5sum <"$TMP/set-export.json")" "$(somon export | md5sum)"
cp "$TMP/kept.db" "$DB"

# a file without the key keeps it
printf '{"format": "somon/1", "agreements": []}\n' >"$TMP/none.json"
check_exit "a file without register_notice" 0 somon import "$TMP/none.json"
check_contains "keeps it" '"register_notice": "public_sources_partial"' "$(somon export)"

# ---- every report says it ------------------------------------------------------
reports "$TMP/set"
check_eq "every report ran with the notice" "" "$(cat "$TMP/set/failed" 2>/dev/null)"
for name in coverage annex concluded; do
  for f in text md html; do
    check_contains "$name --format $f says the sentence" "$SENTENCE" "$(cat "$TMP/set/$name.$f")"
  done
  check_contains "$name --format json has register_notice" '"register_notice": "public_sources_partial"' \
    "$(cat "$TMP/set/$name.json")"
  "$PY" -c 'import json, sys; assert json.load(open(sys.argv[1]))["register_notice"] == "public_sources_partial"' \
    "$TMP/set/$name.json" && ok || fail "$name --format json: register_notice is not a top-level field"
  check_eq "$name --format csv keeps the columns of SPEC §4 (byte-identical)" \
    "$(md5sum <"$TMP/before/$name.csv")" "$(md5sum <"$TMP/set/$name.csv")"
  check_contains "$name --format csv says it on standard error" "register notice public_sources_partial" \
    "$(cat "$TMP/set/$name.csv.err")"
  check_contains "$name --format xlsx has the sentence in a row" "$SENTENCE" "$(xlsx_text "$TMP/set/$name.xlsx")"
  check_not_contains "$name --format xlsx without the notice has none" "Publieke bronnen" \
    "$(xlsx_text "$TMP/before/$name.xlsx")"
done
for f in md html; do
  check_contains "answer --format $f says it" "$SENTENCE" "$(cat "$TMP/set/answer.$f")"
done
check_contains "answer as Word says it" "Publieke bronnen, onvolledig" "$(xlsx_text "$TMP/set/answer.docx")"
check_not_contains "answer as Word without the notice does not" "Publieke bronnen" "$(xlsx_text "$TMP/before/answer.docx")"

# ---- as known at a moment before the import: not yet ------------------------------
reports "$TMP/t0" --as-known-at "$T0"
for name in coverage annex concluded; do
  for f in text md html json; do
    check_not_contains "$name --format $f as known before the import" "ublieke bronnen" "$(cat "$TMP/t0/$name.$f")"
    check_not_contains "$name --format $f as known before the import (json)" "register_notice" "$(cat "$TMP/t0/$name.$f")"
  done
done
check_not_contains "export as known before the import" "register_notice" "$(somon export --as-known-at "$T0")"
T1=$(sqlite3 "$DB" "SELECT moment FROM change ORDER BY id DESC LIMIT 1")
sleep 0.01

# ---- null clears it ---------------------------------------------------------------
check_exit "null clears the notice" 0 somon import - <<<'{"format": "somon/1", "register_notice": null}'
check_contains "and says so" "register notice cleared" "$OUT"
check_eq "the export is the one of before" "$(md5sum <"$TMP/before.json")" "$(somon export | md5sum)"
check_contains "the history keeps it: export as known while it was set" '"register_notice": "public_sources_partial"' \
  "$(somon export --as-known-at "$T1")"
reports "$TMP/after"
for name in coverage annex concluded; do
  for f in text csv json md html; do
    check_eq "$name --format $f without the notice: byte-identical to before" \
      "$(md5sum <"$TMP/before/$name.$f")" "$(md5sum <"$TMP/after/$name.$f")"
    check_eq "$name --format $f without the notice: nothing on standard error" "" "$(cat "$TMP/after/$name.$f.err")"
  done
done
for f in md html; do # the answer names the moment of the last change, which the imports moved
  check_eq "answer --format $f without the notice: the same but for the moment known" \
    "$(grep -v "gekend op" "$TMP/before/answer.$f" | md5sum)" "$(grep -v "gekend op" "$TMP/after/answer.$f" | md5sum)"
done

# ---- refused ------------------------------------------------------------------------
check_exit "another value is refused" 65 somon import - <<<'{"format": "somon/1", "register_notice": "partial"}'
check_contains "with its path and the allowed value" \
  "register_notice: 'partial' is not a register notice; give \"public_sources_partial\" or null" "$ERR"
check_exit "a number is refused" 65 somon import - <<<'{"format": "somon/1", "register_notice": 1}'
check_contains "naming what it found" "register_notice: expected \"public_sources_partial\" or null, found" "$ERR"
check_exit "given twice is refused" 65 somon import - \
  <<<'{"format": "somon/1", "register_notice": null, "register_notice": "public_sources_partial"}'
check_contains "naming the field" "register_notice: given twice" "$ERR"
check_exit "Dutch by default" 65 env LANGUAGE= LANG=C "$SOMON" --db "$DB" import - \
  <<<'{"format": "somon/1", "register_notice": "partial"}'
check_contains "in Dutch" "is geen registervermelding" "$ERR"

# ---- the alert "leden onbekend" -----------------------------------------------------------
cat >"$TMP/association.json" <<'EOF'
{"format": "somon/1",
 "organisations": [{"id": "IGS-TEST", "name": "Intergemeentelijke vereniging Test", "kind": "association"}],
 "agreements": [{"id": "PB-TEST-2021", "title": "Vereniging Test", "vdab_directorate": "Antwerpen",
   "status": "signed", "start": "2021-01-01", "end": "2025-12-31",
   "parties": [{"organisation": "VDAB"}, {"organisation": "IGS-TEST"}]}]}
EOF
check_exit "an agreement of an association alone" 0 somon import "$TMP/association.json"
check_exit "alerts on 30/06/2023" 0 somon alerts --date 2023-06-30 --format csv
check_contains "its members are unknown" \
  'leden onbekend,PB-TEST-2021,IGS-TEST,De gemeenten van Intergemeentelijke vereniging Test zijn niet bekend: de overeenkomst dekt geen gemeente tot ze als partij zijn ingevoerd.,,/agreements/PB-TEST-2021/parties/add' \
  "$OUT"
check_eq "once (VDAB has no members)" 1 "$(grep -c '^leden onbekend,' <<<"$OUT")"
check_exit "alerts on 1/1/2026" 0 somon alerts --date 2026-01-01 --format csv
check_not_contains "not once it has ended" "leden onbekend" "$OUT"

finish
