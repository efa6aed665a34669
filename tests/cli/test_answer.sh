#!/usr/bin/env bash
# somon report answer: the answer to parliament (SPEC §4, issue 10) as Word
# (read back with Debian's python3-docx and converted to PDF by LibreOffice),
# HTML and Markdown. Fixture tests/cli/fixtures/answer.json; the figures are
# worked out by hand here from the reference map of 30/06/2023 (West-Vlaanderen
# 64 municipalities, Oost-Vlaanderen 60, Antwerpen 69, Vlaams-Brabant 65,
# Limburg 42, Flanders 300):
#  - SO-T-BRUGGE (signed, 01/01/2022-31/12/2025) covers Brugge: West-Vlaanderen 1/64 = 1.6 -> 2 %
#  - SO-T-MIDDEN (signed, 01/03/2021-31/12/2025, regiegebied RG-T-MIDDEN) covers Hasselt
#    and Genk: Limburg 2/42 = 4.8 -> 5 %, the one regiegebied of Flanders 1/1 = 100 %
#  - SO-T-DIEPENBEEK (agreed in principle, expected 01/10/2023) adds Diepenbeek to the
#    prognosis of 31/12/2023: Limburg 3/42 = 7.1 -> 7 %, Flanders 4/300 = 1.3 -> 1 %
#  - question 2 on 30/06/2023: Diepenbeek (no agreement yet; wijk-werken since 2021 and a
#    jobbeurs 01/03-31/12/2023) and Lochristi (a Digibank on that very day); not Brugge
#    (covered, its zitdag does not count) nor Wachtebeke (its mobiele opleiding ended in 2022).
source tests/cli/lib.sh
fresh_db
check_exit "import the fixture" 0 somon import "$FIX/answer.json"
D=(--date 2023-06-30 --prognosis 2023-12-31)

# ---- Word ----
check_exit "DOCX" 0 somon report answer "${D[@]}" --format docx --output "$TMP/a.docx"
check_eq "a zip that begins with the content types" "PK" "$(head -c 2 "$TMP/a.docx")"
# the archive is made in a temporary file (issue 12): a TMPDIR that cannot take it is named, with the fix
check_exit "DOCX with a TMPDIR that does not exist" 70 env TMPDIR="$TMP/no-such-folder" \
  "$SOMON" --db "$DB" report answer "${D[@]}" --format docx --output "$TMP/b.docx"
check_contains "the error names the folder and the fix" \
  "in $TMP/no-such-folder (No such file or directory); set TMPDIR to a writable folder" "$ERR"
check_eq "no half-made file" "" "$(ls "$TMP/b.docx" 2>/dev/null)"
read_docx() {
  $PY - "$1" <<'EOF'
import sys, docx
d = docx.Document(sys.argv[1])
def cells(row):
    out, last = [], None
    for c in row.cells:  # python-docx repeats a merged cell for every column it spans
        if c._tc is not last:
            out.append(c.text)
        last = c._tc
    return "|".join(out)
print("TABLE")
for r in d.tables[0].rows:
    print(cells(r))
print("PARAGRAPHS")
for p in d.paragraphs:
    if p.text.strip():
        print(p.style.name + ": " + p.text.replace("\t", " "))
print("ANNEX")
for t in d.tables[1:]:
    for r in t.rows:
        print(cells(r))
s = d.sections[0]
print("PAGE %.0f x %.0f mm" % (s.page_width.mm, s.page_height.mm))
print("FOOTER " + " ".join(p.text for p in s.footer.paragraphs).replace("\t", " "))
print("FIELDS " + " ".join(t.text.strip() for t in s.footer._element.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instrText")))
EOF
}
DOCX=$(read_docx "$TMP/a.docx")
check_contains "the table with the two-level header of seed 004, cells n/N with % beside" \
"TABLE
|Gemeenten|Regiegebieden sociale economie en werk
|op 30/6/23|prognose 31/12/23|op 30/6/23|prognose 31/12/23
|n|%|n|%|n|%|n|%
West-Vlaanderen|1/64|2|1/64|2|0/0|–|0/0|–
Oost-Vlaanderen|0/60|0|0/60|0|0/0|–|0/0|–
Antwerpen|0/69|0|0/69|0|0/0|–|0/0|–
Vlaams-Brabant|0/65|0|0/65|0|0/0|–|0/0|–
Limburg|2/42|5|3/42|7|1/1|100|1/1|100
Vlaanderen|3/300|1|4/300|1|1/1|100|1/1|100
PARAGRAPHS" "$DOCX"
check_contains "the caption as in seed 004" \
  "Caption: Samenwerkingsovereenkomsten VDAB en Lokale Besturen volgens gemeenten/ regiegebieden sociale economie en werk (30/06/2023)" "$DOCX"
# The footnotes (rules_footnotes.h) right under the table, numbered per province.
check_contains "footnotes: a lead line under the table" "footnote text: Voetnoten bij de prognose op 31/12/2023:
footnote text: West-Vlaanderen (1) Nog niets in zicht voor 63 gemeenten: Alveringem (nog niets geregistreerd);" "$DOCX"
check_contains "footnotes: the agreement in the pipeline, with status, expected date and what it adds" \
  "footnote text: Limburg (1) Nog 1 gemeente via SO-T-DIEPENBEEK (Diepenbeek sluit aan (testgegeven)), principieel akkoord, verwacht vanaf 01/10/2023: Diepenbeek." "$DOCX"
check_contains "footnotes: nothing in sight, with the outreach stage and note" \
  "Lochristi (verkennend sinds 10/05/2023: aparte SO in onderzoek);" "$DOCX"
check_contains "footnotes: nothing in sight in Limburg (42 - 2 covered - Diepenbeek)" "footnote text: Limburg (2) Nog niets in zicht voor 39 gemeenten:" "$DOCX"
check_contains "question 2: a heading" "Heading 1: 2. Lokale besturen die zonder samenwerkingsovereenkomst met VDAB samenwerken" "$DOCX"
check_contains "question 2: how many" "Op 30/06/2023 werken 2 gemeenten zonder samenwerkingsovereenkomst op een andere manier met VDAB samen:" "$DOCX"
check_contains "question 2: per province, kind and title (escaped text comes back whole)" \
"Heading 2: Oost-Vlaanderen
List Bullet: • Lochristi: Digibank – Digibank <Lochristi> & \"co\" (30/06/2023 – 30/06/2023)
Heading 2: Limburg
List Bullet: • Diepenbeek: wijk-werken – Wijk-werken Diepenbeek (01/01/2021 – open); jobbeurs – Jobbeurs Diepenbeek (01/03/2023 – 31/12/2023)" "$DOCX"
Q2=$(sed -n '/^Heading 1: 2\. /,/^Heading 1: Bijlage/p' <<<"$DOCX")
check_not_contains "question 2: not a covered municipality" "Brugge" "$Q2"
check_not_contains "question 2: not a cooperation that ended" "Wachtebeke" "$Q2"
check_contains "Bijlage 1: heading" "Heading 1: Bijlage 1: samenwerkingsovereenkomsten per provincie en gemeente op 30/06/2023" "$DOCX"
check_contains "Bijlage 1: per province with its count" "Heading 2: Limburg: 2/42 gemeenten gedekt" "$DOCX"
check_contains "Bijlage 1: a municipality with its agreement, begin and end" \
  "Genk|Samen aan het werk in Midden (testgegeven) (SO-T-MIDDEN)|01/03/2021|31/12/2025|ondertekend" "$DOCX"
check_contains "Bijlage 1: markup in a title stays text" \
  "Brugge|Brugge & VDAB <samen> (testgegeven) (SO-T-BRUGGE)|01/01/2022|31/12/2025|ondertekend" "$DOCX"
check_contains "Bijlage 1: a municipality without agreement" "Diepenbeek|geen overeenkomst" "$DOCX"
check_eq "Bijlage 1: one table per province, 300 municipalities" "5 300" \
  "$(grep -c '^Gemeente|Samenwerkingsovereenkomst|Begin|Einde|Status$' <<<"$DOCX") $(sed -n '/^ANNEX$/,/^PAGE/p' <<<"$DOCX" | grep -vc '^ANNEX$\|^PAGE\|^Gemeente|')"
check_contains "A4" "PAGE 210 x 297 mm" "$DOCX"
check_contains "the footer: the moment the data was known at" "FOOTER Samenwerking VDAB en lokale besturen op 30/06/2023 – gegevens zoals gekend op " "$DOCX"
check_contains "the footer: page numbers (fields PAGE and NUMPAGES)" "FIELDS PAGE NUMPAGES" "$DOCX"

# The moment in the footer is that of the last change the figures include.
last=$(sqlite3 "$DB" "SELECT moment FROM change WHERE action <> 'account' ORDER BY id DESC LIMIT 1")
want=$(sed -E 's/^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9:]{8}).*/\3\/\2\/\1 \4 (UTC)/' <<<"$last")
check_contains "the footer names the last change ($last)" "gekend op $want" "$DOCX"

# LibreOffice opens it and makes a PDF (the Bijlage begins on a new page).
if command -v soffice >/dev/null 2>&1; then
  timeout 180 soffice -env:UserInstallation="file://$TMP/lo-profile" --headless --convert-to pdf --outdir "$TMP/pdf" \
    "$TMP/a.docx" >"$TMP/soffice.log" 2>&1
  check_eq "LibreOffice made a PDF" "%PDF-" "$(head -c 5 "$TMP/pdf/a.pdf" 2>/dev/null)"
  pages=$(grep -ac '/Type */Page[^s]' "$TMP/pdf/a.pdf" 2>/dev/null)
  if [[ ${pages:-0} -ge 2 ]]; then ok; else fail "the PDF has ${pages:-0} page(s), expected the table and the Bijlage on 2 or more"; fi
else
  echo "  SKIP: soffice is missing (Debian package libreoffice-writer-nogui; scripts/deps.sh check installs it): no PDF conversion checked"
fi

# ---- HTML ----
check_exit "HTML" 0 somon report answer "${D[@]}" --format html --output "$TMP/a.html"
HTML=$(cat "$TMP/a.html")
check_contains "HTML: the header's groups" '<tr><td></td><th scope="colgroup" colspan="4">Gemeenten</th><th scope="colgroup" colspan="4">Regiegebieden sociale economie en werk</th></tr>' "$HTML"
check_contains "HTML: the Limburg row" '<tr><th scope="row">Limburg</th><td class="num">2/42</td><td class="num">5</td><td class="num">3/42</td><td class="num">7</td><td class="num">1/1</td><td class="num">100</td><td class="num">1/1</td><td class="num">100</td></tr>' "$HTML"
check_contains "HTML: question 2, escaped" '<li>Lochristi: Digibank – Digibank &lt;Lochristi&gt; &amp; "co" (30/06/2023 – 30/06/2023)</li>' "$HTML"
check_contains "HTML: the footnotes" '<p class="answer-note">Limburg (1) Nog 1 gemeente via SO-T-DIEPENBEEK (Diepenbeek sluit aan (testgegeven)), principieel akkoord, verwacht vanaf 01/10/2023: Diepenbeek.</p>' "$HTML"
check_contains "HTML: Bijlage 1" '<h3>Limburg: 2/42 gemeenten gedekt</h3>' "$HTML"
check_contains "HTML: A4" 'size: A4' "$HTML"
check_contains "HTML: page numbers" 'counter(page)' "$HTML"
check_contains "HTML: the moment it was known at" 'gegevens zoals gekend op' "$HTML"

# ---- Markdown (standard output; and from the name of --output) ----
check_exit "Markdown" 0 somon report answer "${D[@]}" --format md
MD=$OUT
check_contains "MD: one header row joining the levels" "|  | Gemeenten op 30/6/23 n | Gemeenten op 30/6/23 % | Gemeenten prognose 31/12/23 n |" "$MD"
check_contains "MD: the Limburg row" "| Limburg | 2/42 | 5 | 3/42 | 7 | 1/1 | 100 | 1/1 | 100 |" "$MD"
check_contains "MD: question 2, markup escaped" '- Lochristi: Digibank – Digibank \<Lochristi\> \& "co" (30/06/2023 – 30/06/2023)' "$MD"
check_contains "MD: the footnotes" "Limburg (1) Nog 1 gemeente via SO-T-DIEPENBEEK (Diepenbeek sluit aan (testgegeven)), principieel akkoord, verwacht vanaf 01/10/2023: Diepenbeek." "$MD"
check_contains "MD: Bijlage 1" "| Genk | Samen aan het werk in Midden (testgegeven) (SO-T-MIDDEN) | 01/03/2021 | 31/12/2025 | ondertekend |" "$MD"
check_exit "Markdown from --output's name" 0 somon report answer "${D[@]}" --output "$TMP/a.md"
check_eq "the same document" "$MD" "$(cat "$TMP/a.md")"
check_exit "nl-BE dates on the command line" 0 somon report answer --date 30/06/2023 --prognosis 31/12/2023 --format md
check_eq "the same document" "$MD" "$OUT"

# ---- partly covered merged municipalities, and a day without question-2 municipalities ----
check_exit "2025: Hasselt merged with Kortessem" 0 somon report answer --date 2025-06-30 --prognosis 2025-12-31 --format md
check_contains "a note under the table" "Op 30/06/2025: 1 fusiegemeente(n) gedeeltelijk gedekt (niet alle deelgemeenten), niet meegeteld in n: Limburg 1." "$OUT"
check_contains "the Bijlage says partly and names the former municipality" \
  "| Hasselt (gedeeltelijk gedekt) | Samen aan het werk in Midden (testgegeven) (SO-T-MIDDEN), via Hasselt | 01/03/2021 | 31/12/2025 | ondertekend |" "$OUT"
check_exit "2020: no other cooperation yet" 0 somon report answer --date 2020-06-30 --prognosis 2020-12-31 --format md
check_contains "question 2 says there is none" "Het register kent op 30/06/2020 geen gemeente zonder samenwerkingsovereenkomst die op een andere manier met VDAB samenwerkt." "$OUT"

# ---- as known at: a correction after the answer does not change it ----
before=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)
sleep 0.01
cat >"$TMP/fix.json" <<'EOF'
{"format": "somon/1", "agreements": [
  {"id": "SO-T-DIEPENBEEK", "title": "Diepenbeek sluit aan (testgegeven)", "vdab_directorate": "Limburg",
   "status": "signed", "signed_on": "2023-05-20", "start": "2023-06-01", "end": "2025-12-31",
   "parties": [{"organisation": "VDAB"}, {"municipality": "71011"}]}]}
EOF
check_exit "a correction" 0 somon import "$TMP/fix.json"
check_exit "today's knowledge" 0 somon report answer "${D[@]}" --format md
check_contains "Diepenbeek now counts on 30/06/2023" "| Limburg | 3/42 | 7 | 3/42 | 7 | 1/1 | 100 | 1/1 | 100 |" "$OUT"
check_not_contains "and is no longer in question 2" "- Diepenbeek:" "$OUT"
check_exit "as known before the correction" 0 somon report answer "${D[@]}" --as-known-at "$before" --format md
check_eq "the same answer as before (but the moment in the footer)" "$(grep -v 'gekend op' <<<"$MD")" "$(grep -v 'gekend op' <<<"$OUT")"
check_contains "the footer names the moment asked for" \
  "gegevens zoals gekend op $(sed -E 's/^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9:]{8}).*/\3\/\2\/\1 \4 (UTC)/' <<<"$before")" "$OUT"

# ---- bad input: refused with the fix named, nothing written ----
check_exit "no prognosis" 64 somon report answer --date 2023-06-30 --format md
check_contains "names --prognosis" "needs --prognosis YYYY-MM-DD" "$ERR"
check_exit "no date" 64 somon report answer --prognosis 2023-12-31 --format md
check_contains "names --date" "needs --date YYYY-MM-DD" "$ERR"
check_exit "prognosis before the date" 64 somon report answer --date 2023-06-30 --prognosis 2023-01-01 --format md
check_contains "says to give a later prognosis" "--prognosis lies before --date; give a prognosis day on or after the date" "$ERR"
check_exit "Word without --output" 64 somon report answer "${D[@]}"
check_contains "says to give --output" "a Word document needs --output FILE.docx; or give --format md or html to print it" "$ERR"
check_exit "an unknown format" 64 somon report answer "${D[@]}" --format pdf --output "$TMP/x.pdf"
check_contains "names the formats" "--format 'pdf' is not a format of the answer; give docx, html or md" "$ERR"
check_exit "not a date" 64 somon report answer --date 2023-02-30 --prognosis 2023-12-31 --format md
check_contains "names the option" "--date '2023-02-30' is not a day from 1983 to 2100" "$ERR"
check_exit "an unwritable output" 73 somon report answer "${D[@]}" --output "$TMP/no/such/dir/a.docx"
check_contains "names the file" "cannot write $TMP/no/such/dir/a.docx" "$ERR"
finish
