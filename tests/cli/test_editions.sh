#!/usr/bin/env bash
# Published editions (SPEC §4 and §6, issue 10): `somon publish` freezes the
# parliamentary table of a date and a prognosis as known at a moment, with the
# staff's notes; `somon editions` lists them; `somon edition diff ID` names
# every cell that today's knowledge of the same dates changes, with the
# changes that caused it. The figures expected here are worked out by hand
# from data/demo: on 15/10/2021 the Scheldeland agreement (start 1/10/2021,
# 8 municipalities of Oost-Vlaanderen, regiegebied RG-SCHELDELAND) and
# Mechelen are in force.
source tests/cli/lib.sh
demo_db

# ---- publish --------------------------------------------------------------------
before=$(changes)
check_exit "publish" 0 somon --actor an.peeters publish --date 2021-10-15 --prognosis 31/12/2021 \
  --question "Schriftelijke vraag nr. 123: samenwerkingsovereenkomsten" --note "oost-vlaanderen=Scheldeland sinds 1/10" \
  --note "Limburg=Nog geen overeenkomst"
check_eq "publish prints the edition id" "1" "$OUT"
check_eq "publishing is one change" "$((before + 1))" "$(changes)"
check_eq "by the actor" "an.peeters" "$(sqlite3 "$DB" 'SELECT actor FROM change ORDER BY id DESC LIMIT 1')"
# the frozen figures, read from the file: 6 rows × 4 columns
check_eq "24 figures frozen" 24 "$(sqlite3 "$DB" 'SELECT count(*) FROM edition_figure WHERE edition = 1')"
check_eq "Oost-Vlaanderen gemeenten op D: 8/60" "8|60" \
  "$(sqlite3 "$DB" "SELECT covered, total FROM edition_figure WHERE edition = 1 AND row = 1 AND measure = 0")"
check_eq "Vlaanderen regiegebieden op D: 1/3" "1|3" \
  "$(sqlite3 "$DB" "SELECT covered, total FROM edition_figure WHERE edition = 1 AND row = 5 AND measure = 2")"
check_eq "the notes, province named as the table does" "Oost-Vlaanderen|Scheldeland sinds 1/10
Limburg|Nog geen overeenkomst" "$(sqlite3 "$DB" "SELECT province, text FROM edition_note WHERE edition = 1 ORDER BY position")"

# ---- list -----------------------------------------------------------------------
check_exit "editions as CSV" 0 somon editions --format csv
check_eq "CSV header" "id,question,date,prognosis,known_at,published_at" "$(head -1 <<<"$OUT")"
check_contains "the row" "1,Schriftelijke vraag nr. 123: samenwerkingsovereenkomsten,2021-10-15,2021-12-31," "$OUT"
published=$(sqlite3 "$DB" 'SELECT moment FROM change ORDER BY id DESC LIMIT 1')
known=$(sqlite3 "$DB" 'SELECT moment FROM change ORDER BY id DESC LIMIT 1 OFFSET 1')
check_contains "known at the change before the publication, published at its own" ",$known,$published" "$OUT"
check_exit "editions as text" 0 somon editions
check_contains "text names the question" "Schriftelijke vraag nr. 123" "$OUT"
check_contains "text dates in Dutch" "15/10/2021" "$OUT"

# ---- diff: nothing changed yet ----------------------------------------------------
check_exit "diff right after publishing" 0 somon edition diff 1
check_contains "says so" "geen verschillen" "$OUT"

# ---- a correction after publication -----------------------------------------------
T=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)
sleep 0.01
sed 's/"start": "2021-10-01"/"start": "2021-11-01"/' data/demo/agreement-scheldeland.json >"$TMP/fix.json"
check_exit "a correcting import" 0 somon --actor lies.smet import "$TMP/fix.json"
fix_change=$(sqlite3 "$DB" 'SELECT id FROM change ORDER BY id DESC LIMIT 1')
check_exit "diff after the correction" 0 somon edition diff 1
check_eq "exactly the four changed cells" \
  "Oost-Vlaanderen gemeenten op 15/10/2021: gepubliceerd 8/60, nu 0/60
Oost-Vlaanderen regiegebieden op 15/10/2021: gepubliceerd 1/1, nu 0/1
Vlaanderen gemeenten op 15/10/2021: gepubliceerd 9/300, nu 1/300
Vlaanderen regiegebieden op 15/10/2021: gepubliceerd 1/3, nu 0/3" "$(grep 'gepubliceerd' <<<"$OUT")"
check_not_contains "the prognosis did not change" "prognose" "$(grep 'gepubliceerd' <<<"$OUT")"
check_contains "names the change that caused it" "wijziging $fix_change" "$OUT"
check_contains "who made it" "lies.smet" "$OUT"
check_contains "which agreement it wrote" "SO-SCHELDELAND-2021" "$OUT"
check_eq "each changed cell names the change" 4 "$(grep -c "wijziging $fix_change" <<<"$OUT")"

# an edition published now, as known before the correction, has the old figures
check_exit "publish as known at a moment" 0 somon publish --date 2021-10-15 --prognosis 2021-12-31 \
  --question "Vraag 2" --as-known-at "$T"
check_eq "the next id" "2" "$OUT"
check_eq "old figures" "8|60" \
  "$(sqlite3 "$DB" "SELECT covered, total FROM edition_figure WHERE edition = 2 AND row = 1 AND measure = 0")"
check_exit "its diff" 0 somon edition diff 2
check_eq "the same four cells" 4 "$(grep -c 'gepubliceerd' <<<"$OUT")"
check_exit "publish as known now" 0 somon publish --date 2021-10-15 --prognosis 2021-12-31 --question "Vraag 3"
check_exit "its diff" 0 somon edition diff 3
check_contains "no differences" "geen verschillen" "$OUT"

# ---- bad input: refused whole, the place named, nothing written ---------------------
before=$(changes)
check_exit "no --question" 64 somon publish --date 2021-10-15 --prognosis 2021-12-31
check_contains "names --question" "--question" "$ERR"
check_exit "an empty --question" 64 somon publish --date 2021-10-15 --prognosis 2021-12-31 --question "  "
check_contains "names --question" "--question" "$ERR"
check_exit "a note for an unknown province" 64 somon publish --date 2021-10-15 --prognosis 2021-12-31 \
  --question "V" --note "Atlantis=iets"
check_contains "names the province" "Atlantis" "$ERR"
check_contains "and the option" "--note" "$ERR"
check_exit "a note without =" 64 somon publish --date 2021-10-15 --prognosis 2021-12-31 --question "V" --note "Limburg"
check_contains "names the note" "--note" "$ERR"
check_exit "prognosis before the date" 64 somon publish --date 2021-10-15 --prognosis 2021-06-30 --question "V"
check_contains "names --prognosis" "--prognosis" "$ERR"
check_exit "no --prognosis" 64 somon publish --date 2021-10-15 --question "V"
check_contains "names --prognosis" "--prognosis" "$ERR"
check_exit "a control character in the question" 65 somon publish --date 2021-10-15 --prognosis 2021-12-31 \
  --question $'a\x01b'
check_contains "names --question" "--question" "$ERR"
check_eq "nothing was written" "$before" "$(changes)"
check_eq "three editions" 3 "$(sqlite3 "$DB" 'SELECT count(*) FROM edition')"
check_exit "diff of an edition that does not exist" 66 somon edition diff 99
check_contains "says which" "99" "$ERR"
check_exit "diff of a non-number" 64 somon edition diff abc
check_exit "edition without diff" 64 somon edition 1

# ---- an edition is never changed once published ------------------------------------
out=$(sqlite3 "$DB" "UPDATE edition SET question = 'x' WHERE id = 1" 2>&1)
check_contains "an edition never changes" "history is read-only" "$out"
out=$(sqlite3 "$DB" "DELETE FROM edition_figure" 2>&1)
check_contains "its figures are never deleted" "history is read-only" "$out"
out=$(sqlite3 "$DB" "UPDATE edition_note SET text = 'x'" 2>&1)
check_contains "nor its notes changed" "history is read-only" "$out"

finish
