#!/usr/bin/env bash
# somon init: creates and upgrades the database, loads the reference data once.
source tests/cli/lib.sh

check_exit "init creates" 0 somon init
check_contains "init says created" "created (schema 14)" "$OUT"
check_eq "schema version recorded" 14 "$(sqlite3 "$DB" 'PRAGMA user_version')"
check_eq "WAL mode" wal "$(sqlite3 "$DB" 'PRAGMA journal_mode')"
check_eq "one change: the reference data" 1 "$(changes)"
check_eq "the change names its actor" "$(id -un)" "$(sqlite3 "$DB" 'SELECT actor FROM change')"

check_exit "init again" 0 somon init
check_contains "init is idempotent" "unchanged" "$OUT"
check_eq "no new change on a second init" 1 "$(changes)"

# The universe follows the map: counts per province from the reference data.
check_exit "empty report 2024" 0 somon report coverage --date 2024-12-31 --format csv
for pair in West-Vlaanderen:64 Oost-Vlaanderen:60 Antwerpen:69 Vlaams-Brabant:65 Limburg:42 Vlaanderen:300; do
  p=${pair%%:*} n=${pair##*:}
  check_eq "$p has $n municipalities on 2024-12-31" "$p,2024-12-31,0,$n,0" "$(csv_row "$p" "$OUT" | cut -d, -f1-5)"
done
check_exit "empty report 2025" 0 somon report coverage --date 2025-01-01 --format csv
for pair in West-Vlaanderen:62 Oost-Vlaanderen:55 Antwerpen:67 Vlaams-Brabant:63 Limburg:38 Vlaanderen:285; do
  p=${pair%%:*} n=${pair##*:}
  check_eq "$p has $n municipalities on 2025-01-01" "$p,2025-01-01,0,$n,0" "$(csv_row "$p" "$OUT" | cut -d, -f1-5)"
done
check_eq "the ten principles" 10 "$(sqlite3 "$DB" 'SELECT count(*) FROM principle')"
check_eq "VDAB is an organisation" "VDAB|public_service" "$(sqlite3 "$DB" "SELECT id, kind FROM organisation")"

# What schema 14 adds (the register notice), schema 13 (the sources of agreements and parties), schema 12 (the index of meeting numbers), schema 11 (published editions), schema 10 (organisation members),
# schema 9 (cooperations and the outreach log), schema 8 (dated regiegebied
# members) and schema 7 (the agreement's kind, signed_on and predecessor; the
# parties' decisions), taken away again: UNDO7 leaves a database as somon 6
# left it, with agreement_data_kept as schema 5 made it.
UNDO14="DROP TABLE register_notice" # (its index and triggers go with it)
UNDO13="$UNDO14; DROP TABLE source" # (its triggers go with it)
UNDO12="$UNDO13; DROP INDEX IF EXISTS meeting_mid"
UNDO11="$UNDO12; DROP TABLE edition_figure; DROP TABLE edition_note; DROP TABLE edition" # (their triggers go with them)
UNDO10="$UNDO11; DROP TRIGGER IF EXISTS organisation_member_never_updated;
  DROP TRIGGER IF EXISTS organisation_member_never_deleted; DROP TABLE organisation_member"
UNDO9="$UNDO10; DROP TABLE cooperation; DROP TABLE outreach" # (their indexes and triggers go with them)
UNDO8="$UNDO9; ALTER TABLE regiegebied_member DROP COLUMN from_date; ALTER TABLE regiegebied_member DROP COLUMN until_date"
UNDO7="$UNDO8; DROP TRIGGER IF EXISTS party_decision_never_updated; DROP TRIGGER IF EXISTS party_decision_never_deleted;
  DROP TABLE party_decision; DROP TRIGGER IF EXISTS agreement_data_kept;
  ALTER TABLE agreement DROP COLUMN kind; ALTER TABLE agreement DROP COLUMN signed_on;
  ALTER TABLE agreement DROP COLUMN predecessor"
SCHEMA5_AGREEMENT_KEPT="CREATE TRIGGER agreement_data_kept BEFORE UPDATE OF vid, id, title, vdab_directorate,
  regiegebied, status, start, end_date, expected_start, terminated_on, terminated_by, notes, rec_from ON agreement
  BEGIN SELECT RAISE(ABORT, 'history is read-only: a version of agreement never changes; a new version supersedes it'); END"

# The history triggers of schema 5, as an older somon had none.
drop_triggers() {
  sqlite3 "$DB" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_schema WHERE type = 'trigger'" | sqlite3 "$DB"
}

# Upgrading an older database keeps every row.
rm -f "$DB"*
SOMON_SCHEMA_TARGET=1 "$SOMON" --db "$DB" init >/dev/null
check_eq "an older database (schema 1)" 1 "$(sqlite3 "$DB" 'PRAGMA user_version')"
last=$(sqlite3 "$DB" 'SELECT max(id) FROM change')
before=$(sqlite3 "$DB" "SELECT count(*) FROM municipality; SELECT count(*) FROM change WHERE id <= $last; SELECT group_concat(moment) FROM change WHERE id <= $last")
check_exit "report refuses an old schema" 65 somon report coverage --date 2023-06-30
check_contains "and says how to upgrade" "somon init" "$ERR"
check_exit "init upgrades" 0 somon init
check_contains "init says upgraded" "upgraded from schema 1 to 14" "$OUT"
check_eq "rows kept by the upgrade" "$before" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM municipality; SELECT count(*) FROM change WHERE id <= $last; SELECT group_concat(moment) FROM change WHERE id <= $last")"
# schema 4 brings the indicator definitions of data/indicators.csv: one more change
check_eq "the upgrade loads the indicator definitions in one change" "$((last + 1)) 5" \
  "$(sqlite3 "$DB" 'SELECT count(*) FROM change') $(sqlite3 "$DB" 'SELECT count(*) FROM indicator')"
check_exit "the upgraded database imports" 0 somon import data/demo/agreement-mechelen.json

# A database of the register's schema (2, before accounts) keeps its agreements.
# (made as the previous somon left it: the register filled, no people tables)
demo_db
drop_triggers
sqlite3 "$DB" 'DROP TABLE indicator_value; DROP TABLE indicator; DROP TABLE meeting_attendee; DROP TABLE meeting;
  DROP TABLE evaluation; DROP TABLE login_failure; DROP TABLE session; DROP TABLE account;
  ALTER TABLE party DROP COLUMN left_reason; PRAGMA user_version = 2'
sqlite3 "$DB" "$UNDO7"
check_eq "a schema 2 database with the demo agreements" "2 5" \
  "$(sqlite3 "$DB" 'PRAGMA user_version') $(sqlite3 "$DB" 'SELECT count(*) FROM agreement')"
last=$(sqlite3 "$DB" 'SELECT max(id) FROM change')
before=$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM party; SELECT group_concat(moment) FROM change WHERE id <= $last")
check_exit "init upgrades 2 to 14" 0 somon init
check_contains "says so" "upgraded from schema 2 to 14" "$OUT"
check_eq "agreements, parties and changes kept" "$before" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM party; SELECT group_concat(moment) FROM change WHERE id <= $last")"
check_eq "the accounts table exists" 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM account')"

# A database of schema 3 (accounts, before the follow-up) keeps its accounts.
demo_db
printf 'een lang wachtwoord\n' | SOMON_TEST_FAST_HASH=1 "$SOMON" --db "$DB" user add an --role admin >/dev/null 2>&1
drop_triggers
sqlite3 "$DB" 'DROP TABLE indicator_value; DROP TABLE indicator; DROP TABLE meeting_attendee; DROP TABLE meeting;
  DROP TABLE evaluation; ALTER TABLE party DROP COLUMN left_reason; PRAGMA user_version = 3'
sqlite3 "$DB" "$UNDO7"
last=$(sqlite3 "$DB" 'SELECT max(id) FROM change')
before=$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT login, password_hash FROM account; SELECT count(*) FROM change WHERE id <= $last")
check_exit "init upgrades 3 to 14" 0 somon init
check_contains "says so" "upgraded from schema 3 to 14" "$OUT"
check_eq "agreements, accounts and changes kept" "$before" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT login, password_hash FROM account; SELECT count(*) FROM change WHERE id <= $last")"
# (the five indicator definitions of data/indicators.csv come with schema 4)
check_eq "the follow-up tables exist" "0 0 0 5 0" "$(sqlite3 "$DB" 'SELECT (SELECT count(*) FROM evaluation) || " " ||
  (SELECT count(*) FROM meeting) || " " || (SELECT count(*) FROM meeting_attendee) || " " ||
  (SELECT count(*) FROM indicator) || " " || (SELECT count(*) FROM indicator_value)')"

# A database of schema 5 (before parties could leave alone) gets the column
# left_reason, every party kept with no reason, and keeps its history triggers.
# (made as somon 5 left it: the demo register, the triggers of schema 5)
demo_db
sqlite3 "$DB" "$UNDO7; $SCHEMA5_AGREEMENT_KEPT"
sqlite3 "$DB" 'ALTER TABLE party DROP COLUMN left_reason; PRAGMA user_version = 5'
check_eq "a schema 5 database with the demo agreements" "5 0" \
  "$(sqlite3 "$DB" 'PRAGMA user_version') $(sqlite3 "$DB" "SELECT count(*) FROM pragma_table_info('party') WHERE name = 'left_reason'")"
before=$(sqlite3 "$DB" "SELECT count(*) FROM party; SELECT count(*) FROM change; SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")
check_exit "init upgrades 5 to 14" 0 somon init
check_contains "says so" "upgraded from schema 5 to 14" "$OUT"
check_eq "parties, changes and triggers kept (schema 7 adds the decisions' two, 9 six, 10 two, 11 six, 13 two, 14 three)" "$before" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM party; SELECT count(*) FROM change; SELECT count(*) - 21 FROM sqlite_schema WHERE type = 'trigger'")"
check_eq "every party without a reason" "0" "$(sqlite3 "$DB" 'SELECT count(*) FROM party WHERE left_reason IS NOT NULL')"
check_contains "a party row still never changes, the new column included" "history is read-only" \
  "$(sqlite3 "$DB" "UPDATE party SET left_reason = 'x'" 2>&1)"
check_exit "the upgraded database takes a leaving party" 0 somon import tests/cli/fixtures/leaving.json
check_exit "and restores from a copy of itself" 0 somon backup "$TMP/copy6.db"
check_exit "restore accepts schema 13" 0 "$SOMON" --db "$TMP/restored6.db" restore "$TMP/copy6.db"

# A database of schema 6 (before kind, signed_on, predecessor and the council
# decisions) gets the columns and the table, every agreement kept with nulls,
# and the agreement's trigger covers the new columns.
demo_db
sqlite3 "$DB" "$UNDO7; $SCHEMA5_AGREEMENT_KEPT; PRAGMA user_version = 6"
check_eq "a schema 6 database with the demo agreements" "6 0" \
  "$(sqlite3 "$DB" 'PRAGMA user_version') $(sqlite3 "$DB" "SELECT count(*) FROM pragma_table_info('agreement') WHERE name = 'kind'")"
before=$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM party; SELECT count(*) FROM change")
check_exit "init upgrades 6 to 14" 0 somon init
check_contains "says so" "upgraded from schema 6 to 14" "$OUT"
check_eq "agreements, parties and changes kept" "$before" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM party; SELECT count(*) FROM change")"
check_eq "every agreement without kind, signed_on, predecessor; no decisions" "0 0" \
  "$(sqlite3 "$DB" 'SELECT count(*) FROM agreement WHERE coalesce(kind, signed_on, predecessor) IS NOT NULL') $(sqlite3 "$DB" 'SELECT count(*) FROM party_decision')"
check_contains "a version's kind never changes" "history is read-only" \
  "$(sqlite3 "$DB" "UPDATE agreement SET predecessor = 'x'" 2>&1)"
check_exit "the upgraded database takes the new fields" 0 somon import tests/cli/fixtures/agreement_fields.json
check_contains "a decision row never changes" "history is read-only" \
  "$(sqlite3 "$DB" "DELETE FROM party_decision" 2>&1)"
check_exit "and restores from a copy of itself" 0 somon backup "$TMP/copy7.db"
check_exit "restore accepts schema 13" 0 "$SOMON" --db "$TMP/restored7.db" restore "$TMP/copy7.db"

# A database of schema 7 (before regiegebied members were dated) gets the
# columns from_date and until_date, every member kept for the whole period,
# and keeps its history triggers.
demo_db
echo '{"format": "somon/1", "regiegebieden": [{"id": "RG-OLD", "name": "Oud", "province": "Antwerpen",
  "from": "2020-01-01", "until": "2025-12-31", "members": ["11009"]}]}' >"$TMP/old-region.json"
somon import "$TMP/old-region.json" >/dev/null
sqlite3 "$DB" "$UNDO8; PRAGMA user_version = 7"
before=$(sqlite3 "$DB" "SELECT count(*) FROM regiegebied_member; SELECT count(*) FROM change; SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")
check_exit "init upgrades 7 to 14" 0 somon init
check_contains "says so" "upgraded from schema 7 to 14" "$OUT"
check_eq "members, changes and triggers kept (schema 9 adds six, 10 two, 11 six, 13 two, 14 three)" "$before" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM regiegebied_member; SELECT count(*) FROM change; SELECT count(*) - 19 FROM sqlite_schema WHERE type = 'trigger'")"
check_eq "every member for the whole period" "0" \
  "$(sqlite3 "$DB" 'SELECT count(*) FROM regiegebied_member WHERE from_date IS NOT NULL OR until_date IS NOT NULL')"
check_contains "a member row still never changes, the new columns included" "history is read-only" \
  "$(sqlite3 "$DB" "UPDATE regiegebied_member SET from_date = '2023-05-01'" 2>&1)"
check_exit "the old member exports as a bare NIS code" 0 somon export
check_contains "bare" '"members": [
        "11009"
      ]' "$OUT"
check_exit "the upgraded database takes dated members" 0 somon import tests/cli/fixtures/regions_dated.json

# A database of schema 8 (before cooperations and the outreach log) gets the
# two tables with the history triggers of their versions, every row kept.
demo_db
sqlite3 "$DB" "$UNDO9; PRAGMA user_version = 8"
before=$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM change; SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")
check_exit "init upgrades 8 to 14" 0 somon init
check_contains "says so" "upgraded from schema 8 to 14" "$OUT"
check_eq "agreements, changes and triggers kept (schema 9 adds six, 10 two, 11 six, 13 two, 14 three)" "$before" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM change; SELECT count(*) - 19 FROM sqlite_schema WHERE type = 'trigger'")"
check_exit "the upgraded database takes cooperations and outreach" 0 somon import tests/cli/fixtures/cooperations.json
check_contains "a cooperation version never changes" "history is read-only" \
  "$(sqlite3 "$DB" "UPDATE cooperation SET title = 'x'" 2>&1)"

# A database of schema 9 (before organisations had members) gets the table
# organisation_member and its two triggers; every organisation is kept, with
# no members, and exports with an empty list.
demo_db
sqlite3 "$DB" "$UNDO10; PRAGMA user_version = 9"
before=$(sqlite3 "$DB" "SELECT count(*) FROM organisation; SELECT count(*) FROM change; SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")
check_exit "init upgrades 9 to 14" 0 somon init
check_contains "says so" "upgraded from schema 9 to 14" "$OUT"
check_eq "organisations, changes and triggers kept (schema 10 adds two, 11 six, 13 two, 14 three)" "$before" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM organisation; SELECT count(*) FROM change; SELECT count(*) - 13 FROM sqlite_schema WHERE type = 'trigger'")"
check_exit "the old organisations export with no members" 0 somon export
check_contains "an empty list" '"kind": "public_service",
      "members": []' "$OUT"
check_exit "the upgraded database takes organisation members" 0 somon import tests/cli/fixtures/org_members.json
check_contains "a member row never changes" "history is read-only" \
  "$(sqlite3 "$DB" "UPDATE organisation_member SET from_date = '2023-05-01'" 2>&1)"
check_exit "and restores from a copy of itself" 0 somon backup "$TMP/copy8.db"
check_exit "restore accepts schema 13" 0 "$SOMON" --db "$TMP/restored8.db" restore "$TMP/copy8.db"

# A database of schema 10 (before published editions) gets the three tables
# with the triggers that keep an edition as it was published, every row kept.
demo_db
sqlite3 "$DB" "$UNDO11; PRAGMA user_version = 10"
before=$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM change; SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")
check_exit "init upgrades 10 to 14" 0 somon init
check_contains "says so" "upgraded from schema 10 to 14" "$OUT"
check_eq "agreements, changes and triggers kept (schema 11 adds six, 13 two, 14 three)" "$before" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM change; SELECT count(*) - 11 FROM sqlite_schema WHERE type = 'trigger'")"
check_exit "the upgraded database publishes" 0 somon publish --date 2023-06-30 --prognosis 2023-12-31 --question "V"
check_contains "an edition never changes" "history is read-only" \
  "$(sqlite3 "$DB" "UPDATE edition SET question = 'x'" 2>&1)"
check_exit "and restores from a copy of itself" 0 somon backup "$TMP/copy10.db"
check_exit "restore accepts schema 13" 0 "$SOMON" --db "$TMP/restored10.db" restore "$TMP/copy10.db"

# A database of schema 11 gets the index of meeting numbers (issue 12: without
# it every new meeting's number was a scan of the table), every row kept.
demo_db
sqlite3 "$DB" "$UNDO12; PRAGMA user_version = 11"
before=$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM meeting; SELECT count(*) FROM change")
check_exit "init upgrades 11 to 14" 0 somon init
check_contains "says so" "upgraded from schema 11 to 14" "$OUT"
check_eq "agreements, meetings and changes kept" "$before" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM meeting; SELECT count(*) FROM change")"
check_contains "a new meeting's number comes from the index" "USING COVERING INDEX meeting_mid" \
  "$(sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT coalesce(max(mid), 0) + 1 FROM meeting")"

# A database of schema 12 gets the table of sources (issue 13), written once,
# every agreement kept; its agreements export with no sources.
demo_db
sqlite3 "$DB" "$UNDO13; PRAGMA user_version = 12"
before=$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM change; SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")
check_exit "init upgrades 12 to 14" 0 somon init
check_contains "says so" "upgraded from schema 12 to 14" "$OUT"
check_eq "agreements, changes and triggers kept (schema 13 adds two, 14 three)" "$before" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM change; SELECT count(*) - 5 FROM sqlite_schema WHERE type = 'trigger'")"
check_exit "the old agreements export with no sources" 0 somon export
check_contains "an empty list" '"sources": []' "$OUT"
check_exit "and restores from a copy of itself" 0 somon backup "$TMP/copy12.db"
check_exit "restore accepts schema 13" 0 "$SOMON" --db "$TMP/restored12.db" restore "$TMP/copy12.db"

# A database of schema 13 gets the register notice (issue 13), versioned,
# every agreement and source kept; without a notice its export has none.
demo_db
sqlite3 "$DB" "$UNDO14; PRAGMA user_version = 13"
before=$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM source; SELECT count(*) FROM change; SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")
check_exit "init upgrades 13 to 14" 0 somon init
check_contains "says so" "upgraded from schema 13 to 14" "$OUT"
check_eq "agreements, sources, changes and triggers kept (schema 14 adds three)" "$before" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM agreement; SELECT count(*) FROM source; SELECT count(*) FROM change; SELECT count(*) - 3 FROM sqlite_schema WHERE type = 'trigger'")"
check_exit "the old register exports" 0 somon export
check_not_contains "with no notice" '"register_notice"' "$OUT"

# Changed reference data is recorded as a new version, the old one kept.
cp -r data "$TMP/ref"
sed -i 's/^11001,Aartselaar,/11001,Aartselaar-Test,/' "$TMP/ref/municipalities.csv"
check_exit "init with another reference folder" 0 somon init --reference "$TMP/ref"
check_contains "reference reloaded" "loaded" "$OUT"
check_eq "old name kept in history, new one current" "Aartselaar|1
Aartselaar-Test|0" "$(sqlite3 "$DB" "SELECT name, rec_until IS NOT NULL FROM municipality WHERE nis='11001' ORDER BY rec_from")"

# Bad reference folders: one line naming the file and row.
check_exit "missing reference folder" 66 somon init --reference "$TMP/nowhere"
check_contains "names the file" "nowhere/municipalities.csv" "$ERR"
sed -i 's/^11002,Antwerpen,10000,Antwerpen,11000,1983-01-01,2024-12-31/11002,Antwerpen,10000,Antwerpen,11000,1983-01-01,2024-13-31/' "$TMP/ref/municipalities.csv"
check_exit "bad date in the reference" 65 somon init --reference "$TMP/ref"
check_contains "names file and row" "municipalities.csv: row 3: '2024-13-31' is not a date" "$ERR"

# Not a somon database: one line, never a crash.
echo "hello" > "$TMP/text.db"
check_exit "a text file" 65 "$SOMON" --db "$TMP/text.db" report coverage --date 2023-06-30
check_eq "one line" 1 "$(wc -l <<<"$ERR")"
check_contains "says what it is" "not a somon database" "$ERR"
check_exit "init refuses a text file" 65 "$SOMON" --db "$TMP/text.db" init
sqlite3 "$TMP/other.db" 'CREATE TABLE t(x); INSERT INTO t VALUES (1)'
check_exit "another SQLite database" 65 "$SOMON" --db "$TMP/other.db" init
check_contains "says it is not ours" "SQLite file but not a somon database" "$ERR"
check_eq "and leaves it alone" 1 "$(sqlite3 "$TMP/other.db" 'SELECT count(*) FROM t')"
check_exit "a missing database" 66 "$SOMON" --db "$TMP/missing.db" report coverage --date 2023-06-30
check_contains "says how to create it" "somon init" "$ERR"
check_exit "a folder" 65 "$SOMON" --db "$TMP" report coverage --date 2023-06-30

# Read-only database: one clear line for writes, reports still work. Root
# ignores file permissions, so as root the test runs somon as nobody.
fresh_db
chmod 755 "$TMP"
chmod 444 "$DB"
as_user=()
[[ $(id -u) == 0 ]] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
check_exit "import into a read-only database" 77 "${as_user[@]}" "$SOMON" --db "$DB" import data/demo/agreement-mechelen.json
check_contains "says read-only" "read-only" "$ERR"
check_eq "one line" 1 "$(wc -l <<<"$ERR")"
check_exit "a report from a read-only database" 0 "${as_user[@]}" "$SOMON" --db "$DB" report coverage --date 2023-06-30
chmod 644 "$DB"

finish
