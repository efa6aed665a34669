#!/usr/bin/env bash
# `somon backup` copies a live database while writers keep changing it and
# the server keeps serving it: each
# copy passes PRAGMA integrity_check and is exactly the database as known at
# its own last change. `somon restore` refuses anything but a good somon
# database, and a restored copy exports the same register.
source tests/cli/lib.sh
fresh_db
check_exit "import" 0 somon --actor importer import "$FIX/rules.json"

# Two versions of two agreements, imported in turn by two writers as fast as they go.
sed 's/"start": "2021-10-01"/"start": "2024-01-01"/' "$FIX/rules.json" >"$TMP/a1.json"
cp "$FIX/rules.json" "$TMP/a2.json"
lokeren() {
  printf '{"format": "somon/1", "agreements": [{"id": "SO-T-LOKEREN", "title": "%s", "vdab_directorate": "Oost-Vlaanderen", "status": "signed", "start": "2022-01-01", "end": "2025-12-31", "parties": [{"municipality": "46014"}]}]}\n' "$1"
}
lokeren "Lokeren zonder Moerbeke" >"$TMP/b1.json"
lokeren "Lokeren, nog altijd zonder Moerbeke" >"$TMP/b2.json"
writer() { # NAME FILE1 FILE2: alternates until $TMP/stop exists; counts failures
  local i=0
  while [[ ! -e "$TMP/stop" ]]; do
    if ((i % 2)); then f=$3; else f=$2; fi
    somon --actor "$1" import "$f" >/dev/null 2>>"$TMP/$1.err" || echo "$1: import $i failed" >>"$TMP/$1.err"
    i=$((i + 1))
  done
}
# The server serves the same database all the while (readers see each change).
"$SOMON" --db "$DB" serve --listen 127.0.0.1:0 >/dev/null 2>"$TMP/server.err" &
server=$!
port=$(listening_port "$TMP/server.err" "$server" 10)
check_eq "the server is up" 1 "$((${port:-0} > 0))"
reader() {
  while [[ ! -e "$TMP/stop" ]]; do
    curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$port/api/v1/coverage?date=2024-06-30" >>"$TMP/reads"
  done
}
: >"$TMP/reads"
reader &
rd=$!
: >"$TMP/w1.err" && : >"$TMP/w2.err"
before=$(changes)
writer w1 "$TMP/a1.json" "$TMP/a2.json" &
w1=$!
writer w2 "$TMP/b1.json" "$TMP/b2.json" &
w2=$!
copies=()
for i in 1 2 3 4 5 6; do
  sleep 0.3
  check_exit "backup $i while writing" 0 somon backup "$TMP/copy$i.db"
  copies+=("$TMP/copy$i.db")
  echo "$OUT" >"$TMP/copy$i.said"
done
sleep 0.3
touch "$TMP/stop"
wait "$w1" "$w2" "$rd"
check_eq "the writers never failed" "" "$(cat "$TMP/w1.err" "$TMP/w2.err")"
check_eq "the server answered every read during the backups" "200" "$(sort -u "$TMP/reads")"
if (($(wc -l <"$TMP/reads") >= 10)); then ok; else fail "only $(wc -l <"$TMP/reads") reads during the backups"; fi
kill -TERM "$server"
wait "$server"
check_eq "the server stopped cleanly" 0 "$?"
after=$(changes)
if ((after - before >= 10)); then ok; else fail "only $((after - before)) changes were written during the backups"; fi

last_changes=()
for c in "${copies[@]}"; do
  check_eq "$(basename "$c"): integrity_check" "ok" "$(sqlite3 "$c" 'PRAGMA integrity_check')"
  check_eq "$(basename "$c"): a single file" "delete" "$(sqlite3 "$c" 'PRAGMA journal_mode')"
  C=$(sqlite3 "$c" 'SELECT max(id) FROM change')
  M=$(sqlite3 "$c" "SELECT moment FROM change WHERE id = $C")
  last_changes+=("$C")
  check_contains "$(basename "$c"): backup names its last change" "the last $C at $M" "$(cat "${c%.db}.said")"
  check_contains "$(basename "$c"): backup says integrity_check ok" "integrity_check ok" "$(cat "${c%.db}.said")"
  # the copy is the live database as known at its last change, byte for byte
  "$SOMON" --db "$c" export >"$TMP/copy.json" 2>&1
  somon export --as-known-at "$M" >"$TMP/live.json" 2>&1
  if cmp -s "$TMP/copy.json" "$TMP/live.json"; then ok; else
    fail "$(basename "$c"): export differs from the live export as known at $M"
    diff "$TMP/copy.json" "$TMP/live.json" | head -5
  fi
  # and so are the rows: every change and version written up to C, current as at C
  for t in change agreement organisation regiegebied municipality merger principle; do
    col=$([[ $t == change ]] && echo id || echo rec_from)
    check_eq "$(basename "$c"): rows of $t up to change $C" \
      "$(sqlite3 "$DB" "SELECT count(*) FROM $t WHERE $col <= $C")" "$(sqlite3 "$c" "SELECT count(*) FROM $t")"
    [[ $t == change ]] && continue
    check_eq "$(basename "$c"): $t rows known at change $C" \
      "$(sqlite3 "$DB" "SELECT count(*) FROM $t WHERE rec_from <= $C AND (rec_until IS NULL OR rec_until > $C)")" \
      "$(sqlite3 "$c" "SELECT count(*) FROM $t WHERE rec_until IS NULL")"
  done
  for t in party signatory theme action_domain action governance_body body_member regiegebied_member; do
    parent=$([[ $t == regiegebied_member ]] && echo regiegebied || echo agreement)
    check_eq "$(basename "$c"): rows of $t up to change $C" \
      "$(sqlite3 "$DB" "SELECT count(*) FROM $t WHERE vid IN (SELECT vid FROM $parent WHERE rec_from <= $C)")" \
      "$(sqlite3 "$c" "SELECT count(*) FROM $t")"
  done
done
distinct=$(printf '%s\n' "${last_changes[@]}" | sort -u | wc -l)
if ((distinct >= 3)); then ok; else fail "the copies should hold different moments: ${last_changes[*]}"; fi
check_eq "writes went on after the last copy" 1 "$((after > ${last_changes[-1]}))"

# ---- refusals -------------------------------------------------------------------
check_exit "no overwrite" 73 somon backup "$TMP/copy1.db"
check_contains "says so" "exists" "$ERR"
check_exit "--force replaces" 0 somon backup "$TMP/copy1.db" --force
check_exit "not onto itself" 64 somon backup "$DB" --force
check_exit "no database" 66 "$SOMON" --db "$TMP/none.db" backup "$TMP/x.db"
check_eq "nothing left behind" "" "$(ls "$TMP"/x.db* "$TMP"/*.tmp 2>/dev/null)"

R="$TMP/restored.db"
echo "not a database at all" >"$TMP/text.db"
check_exit "restore a text file" 65 "$SOMON" --db "$R" restore "$TMP/text.db"
check_eq "one line" 1 "$(wc -l <"$TMP/err")"
check_contains "names it" "not an SQLite file" "$ERR"
sqlite3 "$TMP/other.db" 'CREATE TABLE t(x); INSERT INTO t VALUES (1)'
check_exit "restore another SQLite database" 65 "$SOMON" --db "$R" restore "$TMP/other.db"
check_eq "one line" 1 "$(wc -l <"$TMP/err")"
check_contains "names it" "not a somon database" "$ERR"
cp "$TMP/copy2.db" "$TMP/newer.db" && sqlite3 "$TMP/newer.db" 'PRAGMA user_version = 99'
check_exit "restore a newer database" 65 "$SOMON" --db "$R" restore "$TMP/newer.db"
check_eq "one line" 1 "$(wc -l <"$TMP/err")"
check_contains "names it" "newer version of somon" "$ERR"
cp "$TMP/copy2.db" "$TMP/broken.db"
# a table page overwritten with a page header that lies about its cells
printf '\x0d\x00\x00\x00\x09\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11' |
  dd of="$TMP/broken.db" bs=1 seek=$((4096 * 3)) conv=notrunc status=none
check_exit "restore a damaged database" 65 "$SOMON" --db "$R" restore "$TMP/broken.db"
check_eq "one line" 1 "$(wc -l <"$TMP/err")"
check_contains "names it" "integrity_check" "$ERR"
check_exit "restore a missing file" 66 "$SOMON" --db "$R" restore "$TMP/none.db"
check_eq "nothing was created" "" "$(ls "$R"* 2>/dev/null)"

# ---- a good restore ---------------------------------------------------------------
check_exit "restore into a fresh path" 0 "$SOMON" --db "$R" restore "$TMP/copy3.db"
check_contains "says what it restored" "the last ${last_changes[2]} at" "$OUT"
"$SOMON" --db "$TMP/copy3.db" export >"$TMP/copy.json"
check_exit "export the restored database" 0 "$SOMON" --db "$R" export
check_eq "the same register" "$(cat "$TMP/copy.json")" "$OUT"
check_eq "the same history" "$(sqlite3 "$TMP/copy3.db" 'SELECT * FROM change')" "$(sqlite3 "$R" 'SELECT * FROM change')"
check_exit "it takes writes again" 0 "$SOMON" --db "$R" import "$TMP/b2.json"
check_exit "no restore over a database without --force" 73 "$SOMON" --db "$R" restore "$TMP/copy1.db"
check_contains "says so" "--force" "$ERR"

# not while another process has the database open (a running server, say)
"$PY" - "$R" "$TMP" <<'EOF' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
db.execute("SELECT count(*) FROM change").fetchall()
open(sys.argv[2] + "/holding", "w").close()
for _ in range(200):
    if os.path.exists(sys.argv[2] + "/release"):
        break
    time.sleep(0.05)
EOF
holder=$!
for _ in $(seq 100); do [[ -e "$TMP/holding" ]] && break; sleep 0.05; done
check_exit "restore while the database is open elsewhere" 75 "$SOMON" --db "$R" restore --force "$TMP/copy1.db"
check_contains "says so" "in use by another process" "$ERR"
touch "$TMP/release"
wait "$holder"
check_exit "restore --force once it is free" 0 "$SOMON" --db "$R" restore --force "$TMP/copy1.db"
"$SOMON" --db "$TMP/copy1.db" export >"$TMP/copy.json"
check_exit "export" 0 "$SOMON" --db "$R" export
check_eq "the copy's register" "$(cat "$TMP/copy.json")" "$OUT"
finish
