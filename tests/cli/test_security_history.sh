#!/usr/bin/env bash
# The history and the database file against a hostile review (issue 8):
# - stored text with terminal control characters (ESC, BEL, CSI, DEL, CR,
#   C1, bytes that are not UTF-8) never reaches the terminal raw from any
#   command that prints stored text in a text format;
# - history is read-only in the database itself: triggers refuse to change
#   or delete a change, a version or a version's child rows, whoever writes
#   to the file (here the sqlite3 shell), while somon's own writes go on;
#   an older database gets the triggers from `somon init`;
# - `somon restore` takes only a file whose schema is exactly somon's.
source tests/cli/lib.sh
export TZ=UTC
attacks=0

# ---- control characters in stored text -----------------------------------------
demo_db
# a second version of Mechelen with other signatories, so that history has a difference about them
$PY - "$TMP/v2.json" <<'EOF'
import json, sys
doc = json.load(open("data/demo/agreement-mechelen.json", encoding="utf-8"))
doc["agreements"] = doc["agreements"][:1]  # SO-MECHELEN-2021 alone (the file also holds its 2017 predecessor)
doc["agreements"][0]["parties"][0]["signatories"][0]["name"] = "Tweede Versie"
json.dump(doc, open(sys.argv[1], "w", encoding="utf-8"), ensure_ascii=False)
EOF
check_exit "a second version" 0 somon --actor demo import "$TMP/v2.json"
SOMON_TEST_FAST_HASH=1 somon user add poison --role viewer <<<"correct horse battery" >/dev/null 2>&1
# What an older database (or an import before imports refused them) may hold:
# OSC (retitle the window) ended by BEL, a clear screen, CSI as a C1 control
# (U+009B), the raw byte 0x9B, DEL, CR and backspace. The history triggers
# would refuse this, so they go first (as in a database from before them).
# Texts of an agreement stay UTF-8 (else its versions cannot be compared);
# the others get the raw byte too.
UTF8="'[' || char(27) || ']0;pwned' || char(7) || char(27) || '[2J' || char(155) || char(127) || char(13) || char(8) || ']'"
POISON="'[' || char(27) || ']0;pwned' || char(7) || char(27) || '[2J' || char(155) || CAST(x'9b' AS TEXT) || char(127) || char(13) || char(8) || ']'"
sqlite3 "$DB" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_schema WHERE type = 'trigger'" | sqlite3 "$DB"
sqlite3 "$DB" "UPDATE agreement SET title = title || $UTF8 WHERE id = 'SO-MECHELEN-2021';
  UPDATE signatory SET name = name || $UTF8;
  UPDATE governance_body SET body = body || $UTF8;
  UPDATE change SET actor = actor || $POISON, detail = detail || $POISON;
  UPDATE municipality SET name = name || $POISON WHERE nis = '12025';
  UPDATE account SET scope = $POISON, login = 'poison' || $POISON WHERE login = 'poison'"
# and gets its triggers back, as somon makes them (else backup refuses it)
"$SOMON" --db "$TMP/fresh.db" init >/dev/null
sqlite3 "$TMP/fresh.db" "SELECT sql || ';' FROM sqlite_schema WHERE type = 'trigger'" | sqlite3 "$DB"

# (Markdown writes a CR or newline inside a cell as a space.)
# Fails on any raw control character, C1 control or byte that is not UTF-8 (tab and newline are fine).
raw_controls() {
  $PY -c '
import sys
data = sys.stdin.buffer.read()
bad = [b for b in data if (b < 0x20 and b not in (9, 10)) or b == 0x7f]
try:
    text = data.decode("utf-8")
    bad += [ord(c) for c in text if 0x80 <= ord(c) <= 0x9f]
except UnicodeDecodeError as e:
    bad.append(-1)
print(len(bad))'
}
# check_clean DESCRIPTION COMMAND...: its standard output and error hold no raw control, and show the escapes
check_clean() {
  local desc=$1
  shift
  attacks=$((attacks + 1))
  "$@" >"$TMP/out" 2>"$TMP/err"
  check_eq "$desc: no raw control character on standard output" 0 "$(raw_controls <"$TMP/out")"
  check_eq "$desc: none on standard error" 0 "$(raw_controls <"$TMP/err")"
  check_contains "$desc: the escapes are shown" "${ESCAPED:-\\x1b]0;pwned\\x07\\x1b[2J\\u009b\\x9b\\x7f\\x0d\\x08}" "$(cat "$TMP/out" "$TMP/err")"
}
check_clean "history" somon history SO-MECHELEN-2021
check_clean "history as known at now" somon history SO-MECHELEN-2021 --as-known-at 2999-01-01T00:00:00
check_clean "annex as text" somon report annex --date 2023-06-30 --province Antwerpen
ESCAPED='\x1b]0;pwned\x07\x1b[2J\u009b\x9b\x7f' check_clean "annex as Markdown" somon report annex --date 2023-06-30 --province Antwerpen --format md
check_clean "annex as text to a file" sh -c '"$0" --db "$1" report annex --date 2023-06-30 --province Antwerpen --output "$2" && cat "$2"' "$SOMON" "$DB" "$TMP/annex.txt"
ESCAPED='\x1b]0;pwned\x07\x1b[2J\u009b\x7f\x0d\x08' check_clean "alerts as text" somon alerts --date 2024-06-30
ESCAPED='\x1b]0;pwned\x07\x1b[2J\u009b\x7f' check_clean "alerts as Markdown" somon alerts --date 2024-06-30 --format md
check_clean "user list" somon user list
check_clean "backup" somon backup "$TMP/poisoned-copy.db"
check_clean "history of an unknown id" somon history $'NO-SUCH\e]0;pwned\a\e[2J\u009b\x9b\x7f\r\b'
# the values themselves are still there, escaped: nothing else of the text is lost
check_exit "history" 0 somon history SO-MECHELEN-2021
check_contains "the title, escaped" 'Samen sterk voor lokaal werk in 2020 - 2025[\x1b]0;pwned' "$OUT"
check_contains "a signatory, escaped" 'Tweede Versie[\x1b]0;pwned' "$OUT"

# ---- history is read-only in the database --------------------------------------
demo_db
check_exit "a second version" 0 somon --actor demo import "$TMP/v2.json"
check_eq "the second version superseded the first" 1 \
  "$(sqlite3 "$DB" "SELECT count(*) FROM agreement WHERE id = 'SO-MECHELEN-2021' AND rec_until IS NOT NULL")"
fingerprint() {
  sqlite3 "$DB" "SELECT count(*), group_concat(id || actor || moment || coalesce(detail, '')) FROM change;
    SELECT count(*), group_concat(vid || title || rec_from || coalesce(rec_until, '-')) FROM agreement;
    SELECT count(*), group_concat(name) FROM signatory; SELECT count(*) FROM party; SELECT count(*) FROM body_member;
    SELECT count(*), group_concat(name) FROM municipality; SELECT count(*), group_concat(name) FROM indicator"
}
before=$(fingerprint)
# refused statements: each is run by the sqlite3 shell against the file somon made
refused=(
  "UPDATE change SET actor = 'mallory' WHERE id = 1"
  "UPDATE change SET moment = '2000-01-01T00:00:00.000000Z' WHERE id = (SELECT max(id) FROM change)"
  "DELETE FROM change WHERE id = (SELECT max(id) FROM change)"
  "UPDATE agreement SET title = 'rewritten' WHERE rec_until IS NOT NULL"
  "UPDATE agreement SET rec_until = NULL WHERE rec_until IS NOT NULL"
  "UPDATE agreement SET rec_until = rec_until + 1 WHERE rec_until IS NOT NULL"
  "DELETE FROM agreement WHERE rec_until IS NOT NULL"
  "UPDATE agreement SET title = 'rewritten' WHERE rec_until IS NULL"
  "UPDATE agreement SET rec_from = 1 WHERE rec_until IS NULL"
  "DELETE FROM agreement WHERE rec_until IS NULL"
  "UPDATE signatory SET name = 'Someone Else'"
  "DELETE FROM signatory"
  "DELETE FROM party"
  "UPDATE body_member SET name = NULL"
  "UPDATE governance_body SET min_meetings = 0"
  "UPDATE action SET status = 'done'"
  "UPDATE municipality SET name = 'Elders' WHERE nis = '12025'"
  "DELETE FROM municipality WHERE rec_until IS NULL"
  "UPDATE merger SET effective = '1999-01-01'"
  "UPDATE organisation SET name = 'X' WHERE id = 'VDAB'"
  "UPDATE regiegebied SET name = 'X'"
  "DELETE FROM regiegebied_member"
  "UPDATE indicator SET name = 'X'"
  "DELETE FROM indicator"
  "UPDATE entity SET agreement = 'SO-SCHELDELAND-2021'"
  "UPDATE principle SET text = 'X'"
)
for sql in "${refused[@]}"; do
  attacks=$((attacks + 1))
  if sqlite3 "$DB" "$sql" >"$TMP/out" 2>"$TMP/err"; then
    fail "sqlite3 may run: $sql"
  else
    check_contains "refused: $sql" "history is read-only" "$(cat "$TMP/err")"
  fi
done
check_eq "nothing of the history changed" "$before" "$(fingerprint)"
# a trigger that refuses every UPDATE of evaluations/meetings/indicator values needs rows: one each
sqlite3 "$DB" "SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name" >"$TMP/triggers"
for t in evaluation meeting indicator_value meeting_attendee; do
  check_contains "$t has its triggers" "${t}_" "$(cat "$TMP/triggers")"
done
# somon's own writes go on: a new version (closing the current one), accounts, reference data, indicators
sed 's/"Tweede Versie"/"Derde Versie"/' "$TMP/v2.json" >"$TMP/v3.json"
check_exit "an import after the attempts" 0 somon --actor demo import "$TMP/v3.json"
check_contains "it replaced the agreement" "1 replaced" "$OUT"
check_eq "three versions, two closed" "3 2" \
  "$(sqlite3 "$DB" "SELECT count(*) || ' ' || count(rec_until) FROM agreement WHERE id = 'SO-MECHELEN-2021'")"
printf 'nis,period,indicator,value\n12025,2023,nwwz,100\n' >"$TMP/ind1.csv"
printf 'nis,period,indicator,value\n12025,2023,nwwz,120\n' >"$TMP/ind2.csv"
check_exit "indicator values" 0 somon --actor demo import indicators "$TMP/ind1.csv"
check_exit "a correction of them (supersedes a value)" 0 somon --actor demo import indicators "$TMP/ind2.csv"
check_eq "the value was superseded, not changed" "100 120" \
  "$(sqlite3 "$DB" "SELECT group_concat(value, ' ') FROM (SELECT value FROM indicator_value ORDER BY rec_from)" | sed 's/\.0//g')"
attacks=$((attacks + 1))
sqlite3 "$DB" "UPDATE indicator_value SET value = 1" 2>"$TMP/err" && fail "an indicator value could be changed"
check_contains "an indicator value is not changed" "history is read-only" "$(cat "$TMP/err")"
check_exit "an account" 0 env SOMON_TEST_FAST_HASH=1 "$SOMON" --db "$DB" user add reader --role viewer <<<"correct horse battery"
check_exit "its password" 0 env SOMON_TEST_FAST_HASH=1 "$SOMON" --db "$DB" user passwd reader <<<"another horse battery"
check_exit "disabled" 0 somon user disable reader
check_exit "history still reads" 0 somon history SO-MECHELEN-2021
check_contains "with every version" "3 versions" "$OUT"

# What schemas 7 to 14 add: the agreement's kind, signed_on, predecessor and
# the parties' decisions; dated regiegebied members; cooperations and the
# outreach log; organisation members; published editions; the index of meeting numbers; the sources; the register notice (run after the
# triggers are gone).
UNDO7="DROP TABLE register_notice; DROP TABLE source; DROP INDEX IF EXISTS meeting_mid; DROP TABLE edition_figure; DROP TABLE edition_note; DROP TABLE edition; DROP TABLE organisation_member;
  DROP TABLE cooperation; DROP TABLE outreach; DROP TABLE party_decision;
  ALTER TABLE agreement DROP COLUMN kind;
  ALTER TABLE agreement DROP COLUMN signed_on; ALTER TABLE agreement DROP COLUMN predecessor;
  ALTER TABLE regiegebied_member DROP COLUMN from_date; ALTER TABLE regiegebied_member DROP COLUMN until_date"
# An older database (schema 4, before the triggers) is upgraded by init.
sqlite3 "$DB" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_schema WHERE type = 'trigger'" | sqlite3 "$DB"
sqlite3 "$DB" "ALTER TABLE party DROP COLUMN left_reason; PRAGMA user_version = 4" # (schema 6 adds it)
sqlite3 "$DB" "$UNDO7" # (schema 7 adds these)
check_exit "a schema 4 database is refused by the reports" 65 somon report coverage --date 2023-06-30
check_exit "init upgrades it" 0 somon init
check_contains "says so" "upgraded from schema 4 to 14" "$OUT"
check_eq "the triggers are back" "$(wc -l <"$TMP/triggers")" "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")"
attacks=$((attacks + 1))
sqlite3 "$DB" "UPDATE agreement SET title = 'rewritten' WHERE rec_until IS NOT NULL" 2>"$TMP/err" &&
  fail "the upgraded database lets a superseded version change"
check_contains "the upgraded database refuses it" "history is read-only" "$(cat "$TMP/err")"
check_exit "and imports after the upgrade" 0 somon --actor demo import "$TMP/v2.json"
check_contains "a fourth version" "1 replaced" "$OUT"

# ---- restore takes exactly somon's schema ---------------------------------------
check_exit "a backup" 0 somon backup "$TMP/good.db"
TARGET=$TMP/target.db
check_exit "the backup restores" 0 "$SOMON" --db "$TARGET" restore "$TMP/good.db"
target_before=$(sha256sum <"$TARGET")
# tampered copies: name, SQL, what the message names
tampered=(
  "extra trigger|CREATE TRIGGER evil AFTER INSERT ON change BEGIN UPDATE account SET role = 'admin'; END|an extra trigger 'evil' on change"
  "extra view|CREATE VIEW everyone AS SELECT login, password_hash FROM account|an extra view 'everyone'"
  "extra table|CREATE TABLE stash(x)|an extra table 'stash'"
  "extra index|CREATE INDEX account_hash ON account(password_hash)|an extra index 'account_hash'"
  "changed column|ALTER TABLE account ADD COLUMN note TEXT|table 'account' differs"
  "renamed column|ALTER TABLE change RENAME COLUMN detail TO details|table 'change' differs"
  "missing index|DROP INDEX agreement_versions|no index 'agreement_versions'"
  "missing trigger|DROP TRIGGER agreement_data_kept|no trigger 'agreement_data_kept'"
  "changed trigger|DROP TRIGGER change_never_deleted; CREATE TRIGGER change_never_deleted BEFORE DELETE ON change WHEN 0 BEGIN SELECT 1; END|trigger 'change_never_deleted' differs"
  "trigger named with control characters|CREATE TRIGGER \"x$(printf '\033')[2J\" AFTER UPDATE ON account BEGIN SELECT 1; END|an extra trigger 'x\\x1b[2J'"
)
for item in "${tampered[@]}"; do
  IFS='|' read -r what sql says <<<"$item"
  cp "$TMP/good.db" "$TMP/bad.db"
  sqlite3 "$TMP/bad.db" "$sql" || { fail "cannot prepare the $what"; continue; }
  attacks=$((attacks + 1))
  check_exit "restore refuses a copy with: $what" 65 "$SOMON" --db "$TARGET" restore --force "$TMP/bad.db"
  check_contains "it names the $what" "$says" "$ERR"
  check_contains "it says nothing was restored ($what)" "nothing was restored" "$ERR"
  check_eq "no raw control character in the message ($what)" 0 "$(raw_controls <<<"$ERR")"
  check_eq "the target is untouched ($what)" "$target_before" "$(sha256sum <"$TARGET")"
done
# an older schema, exactly as somon 4 made it, is still taken (and init upgrades it)
cp "$TMP/good.db" "$TMP/old.db"
sqlite3 "$TMP/old.db" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_schema WHERE type = 'trigger'" | sqlite3 "$TMP/old.db"
sqlite3 "$TMP/old.db" "ALTER TABLE party DROP COLUMN left_reason; $UNDO7; PRAGMA user_version = 4"
check_exit "a schema 4 copy restores" 0 "$SOMON" --db "$TARGET" restore --force "$TMP/old.db"
check_contains "with the advice to upgrade" "upgrade it with 'somon init'" "$OUT"
# but not one that calls itself schema 4 with the triggers of 5 (the exact
# schema 4 copy above, with schema 5's triggers on change: so that the tables
# later schemas add do not crowd the triggers out of the message)
sqlite3 "$TMP/good.db" "SELECT sql || ';' FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'change'" |
  sqlite3 "$TMP/old.db"
attacks=$((attacks + 1))
check_exit "a schema 4 copy with extra triggers is refused" 65 "$SOMON" --db "$TARGET" restore --force "$TMP/old.db"
check_contains "naming one" "an extra trigger" "$ERR"
# backup checks its copy the same way: a live database with an extra trigger is not copied as good
sqlite3 "$DB" "CREATE TRIGGER evil AFTER INSERT ON change BEGIN SELECT 1; END"
attacks=$((attacks + 1))
check_exit "backup of a tampered database" 74 somon backup "$TMP/copy-of-bad.db"
check_contains "says why" "an extra trigger 'evil' on change" "$ERR"
check_eq "and keeps no copy" "no" "$([[ -e $TMP/copy-of-bad.db ]] && echo yes || echo no)"

echo "  $attacks hostile inputs"
finish
