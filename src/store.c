/* store.c: see store.h. Statements are prepared once per connection and kept
 * in a small cache keyed by their (static) text, like Fossil's
 * db_static_prepare. Dates are ISO text in the database so that the file
 * reads well in the sqlite3 shell. */
#define _POSIX_C_SOURCE 200809L
#include "store.h"
#include "i18n.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "store_internal.h"
#include "store_notice.h"

#define SOMON_APPLICATION_ID 0x534f4d4e /* "SOMN" */

/* ---- schema ---------------------------------------------------------- */

/* Step 1: who changed what when, and the reference data. */
static const char SCHEMA_1[] =
    "CREATE TABLE change ("
    "  id INTEGER PRIMARY KEY,"
    "  moment TEXT NOT NULL UNIQUE CHECK (length(moment) = 27)," /* UTC, microseconds */
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  detail TEXT);"
    "CREATE TABLE municipality ("
    "  nis TEXT NOT NULL CHECK (length(nis) = 5),"
    "  valid_from TEXT NOT NULL, valid_to TEXT,"
    "  name TEXT NOT NULL, province_nis TEXT NOT NULL, province TEXT NOT NULL, arrondissement TEXT,"
    "  rec_from INTEGER NOT NULL REFERENCES change(id), rec_until INTEGER REFERENCES change(id));"
    "CREATE UNIQUE INDEX municipality_current ON municipality(nis, valid_from) WHERE rec_until IS NULL;"
    "CREATE TABLE merger ("
    "  old_nis TEXT NOT NULL, old_name TEXT NOT NULL, old_province_nis TEXT NOT NULL,"
    "  new_nis TEXT NOT NULL, new_name TEXT NOT NULL, new_province_nis TEXT NOT NULL,"
    "  code_kept INTEGER NOT NULL CHECK (code_kept IN (0, 1)), effective TEXT NOT NULL,"
    "  rec_from INTEGER NOT NULL REFERENCES change(id), rec_until INTEGER REFERENCES change(id));"
    "CREATE TABLE principle ("
    "  number INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL,"
    "  rec_from INTEGER NOT NULL REFERENCES change(id), rec_until INTEGER REFERENCES change(id));"
    "CREATE TABLE organisation ("
    "  vid INTEGER PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,"
    "  rec_from INTEGER NOT NULL REFERENCES change(id), rec_until INTEGER REFERENCES change(id));"
    "CREATE UNIQUE INDEX organisation_current ON organisation(id) WHERE rec_until IS NULL;";

/* Step 2: the register. A version row (vid) owns its child rows; a new
 * version copies them, so a child never changes after it is written. */
static const char SCHEMA_2[] =
    "CREATE TABLE regiegebied ("
    "  vid INTEGER PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, province TEXT NOT NULL,"
    "  valid_from TEXT, valid_until TEXT, notes TEXT,"
    "  rec_from INTEGER NOT NULL REFERENCES change(id), rec_until INTEGER REFERENCES change(id));"
    "CREATE UNIQUE INDEX regiegebied_current ON regiegebied(id) WHERE rec_until IS NULL;"
    "CREATE TABLE regiegebied_member ("
    "  vid INTEGER NOT NULL REFERENCES regiegebied(vid), position INTEGER NOT NULL, nis TEXT NOT NULL,"
    "  PRIMARY KEY (vid, position)) WITHOUT ROWID;"
    "CREATE TABLE agreement ("
    "  vid INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL, vdab_directorate TEXT NOT NULL,"
    "  regiegebied TEXT, status TEXT NOT NULL, start TEXT, end_date TEXT, expected_start TEXT,"
    "  terminated_on TEXT, terminated_by TEXT, notes TEXT,"
    "  rec_from INTEGER NOT NULL REFERENCES change(id), rec_until INTEGER REFERENCES change(id));"
    "CREATE UNIQUE INDEX agreement_current ON agreement(id) WHERE rec_until IS NULL;"
    "CREATE INDEX agreement_versions ON agreement(id, rec_from);"
    "CREATE TABLE party ("
    "  vid INTEGER NOT NULL REFERENCES agreement(vid), position INTEGER NOT NULL,"
    "  municipality TEXT, organisation TEXT, approved_on TEXT, from_date TEXT, until_date TEXT,"
    "  expected_from TEXT, CHECK ((municipality IS NULL) <> (organisation IS NULL)),"
    "  PRIMARY KEY (vid, position)) WITHOUT ROWID;"
    "CREATE TABLE signatory ("
    "  vid INTEGER NOT NULL REFERENCES agreement(vid), party_position INTEGER NOT NULL,"
    "  position INTEGER NOT NULL, name TEXT NOT NULL, function TEXT,"
    "  PRIMARY KEY (vid, party_position, position)) WITHOUT ROWID;"
    "CREATE TABLE entity ("
    "  uid INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('action', 'body')),"
    "  agreement TEXT NOT NULL);"
    "CREATE TABLE theme ("
    "  vid INTEGER NOT NULL REFERENCES agreement(vid), position INTEGER NOT NULL, title TEXT NOT NULL,"
    "  PRIMARY KEY (vid, position)) WITHOUT ROWID;"
    "CREATE TABLE action_domain ("
    "  vid INTEGER NOT NULL REFERENCES agreement(vid), theme_position INTEGER NOT NULL,"
    "  position INTEGER NOT NULL, number TEXT NOT NULL, title TEXT NOT NULL,"
    "  PRIMARY KEY (vid, theme_position, position)) WITHOUT ROWID;"
    "CREATE TABLE action ("
    "  vid INTEGER NOT NULL REFERENCES agreement(vid), theme_position INTEGER NOT NULL,"
    "  domain_position INTEGER NOT NULL, position INTEGER NOT NULL,"
    "  uid INTEGER NOT NULL REFERENCES entity(uid), number TEXT NOT NULL, title TEXT NOT NULL,"
    "  lead TEXT, status TEXT,"
    "  PRIMARY KEY (vid, theme_position, domain_position, position)) WITHOUT ROWID;"
    "CREATE TABLE governance_body ("
    "  vid INTEGER NOT NULL REFERENCES agreement(vid), position INTEGER NOT NULL,"
    "  uid INTEGER NOT NULL REFERENCES entity(uid), body TEXT NOT NULL, convener TEXT,"
    "  min_meetings INTEGER, per_years INTEGER,"
    "  PRIMARY KEY (vid, position)) WITHOUT ROWID;"
    "CREATE TABLE body_member ("
    "  vid INTEGER NOT NULL REFERENCES agreement(vid), body_position INTEGER NOT NULL,"
    "  position INTEGER NOT NULL, name TEXT, function TEXT, organisation TEXT,"
    "  PRIMARY KEY (vid, body_position, position)) WITHOUT ROWID;";

/* Step 3: people. Accounts change in place, each change recorded in
 * `change` (who did it, what); sessions and failed logins are operational
 * records, not history. A session is found by the hash of its token: the
 * token itself is never stored. Times are Unix seconds. */
static const char SCHEMA_3[] =
    "CREATE TABLE account ("
    "  id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'vdab', 'local', 'viewer')),"
    "  scope TEXT NOT NULL DEFAULT '', password_hash TEXT,"
    "  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
    "  created INTEGER NOT NULL REFERENCES change(id), updated INTEGER NOT NULL REFERENCES change(id));"
    "CREATE TABLE session ("
    "  token_hash BLOB PRIMARY KEY, account INTEGER NOT NULL REFERENCES account(id), csrf TEXT NOT NULL,"
    "  created INTEGER NOT NULL, last_seen INTEGER NOT NULL, ended INTEGER) WITHOUT ROWID;"
    "CREATE INDEX session_account ON session(account);"
    "CREATE TABLE login_failure ("
    "  id INTEGER PRIMARY KEY, login TEXT NOT NULL, address TEXT NOT NULL, moment INTEGER NOT NULL);"
    "CREATE INDEX login_failure_login ON login_failure(login, moment);"
    "CREATE INDEX login_failure_address ON login_failure(address, moment);";

/* Step 4: following the agreements up (issue 5). Evaluations of actions and
 * meetings of governance bodies point at the stable uid of their action or
 * body, so they survive renumbering and renaming; like everything else they
 * are versioned (a correction supersedes a row, never changes it).
 * Indicator values are one row per municipality, period and indicator;
 * periods are "2023", "2023-Q2" or "2023-06". They are read through their
 * primary key only: a second index (by period) made a million-row import
 * take twice as long (bench/README.md). */
static const char SCHEMA_4[] =
    "CREATE TABLE evaluation ("
    "  id INTEGER PRIMARY KEY, agreement TEXT NOT NULL, action_uid INTEGER NOT NULL REFERENCES entity(uid),"
    "  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),"
    "  status TEXT NOT NULL CHECK (status IN ('not_started', 'ongoing', 'achieved', 'stalled', 'dropped')),"
    "  result TEXT, figures TEXT, evaluated_by TEXT,"
    "  rec_from INTEGER NOT NULL REFERENCES change(id), rec_until INTEGER REFERENCES change(id));"
    "CREATE UNIQUE INDEX evaluation_current ON evaluation(action_uid, year) WHERE rec_until IS NULL;"
    "CREATE INDEX evaluation_agreement ON evaluation(agreement, year);"
    "CREATE TABLE meeting ("
    "  vid INTEGER PRIMARY KEY, mid INTEGER NOT NULL, agreement TEXT NOT NULL,"
    "  body_uid INTEGER NOT NULL REFERENCES entity(uid), held_on TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('planned', 'held', 'cancelled')),"
    "  decisions TEXT, minutes_url TEXT,"
    "  rec_from INTEGER NOT NULL REFERENCES change(id), rec_until INTEGER REFERENCES change(id));"
    "CREATE UNIQUE INDEX meeting_current ON meeting(mid) WHERE rec_until IS NULL;"
    "CREATE INDEX meeting_body ON meeting(body_uid, held_on);"
    "CREATE INDEX meeting_agreement ON meeting(agreement, held_on);"
    "CREATE TABLE meeting_attendee ("
    "  vid INTEGER NOT NULL REFERENCES meeting(vid), position INTEGER NOT NULL,"
    "  name TEXT, function TEXT, organisation TEXT, guest INTEGER NOT NULL DEFAULT 0 CHECK (guest IN (0, 1)),"
    "  PRIMARY KEY (vid, position)) WITHOUT ROWID;"
    "CREATE TABLE indicator ("
    "  code TEXT NOT NULL, name TEXT NOT NULL, unit TEXT,"
    "  kind TEXT NOT NULL CHECK (kind IN ('count', 'rate')), numerator TEXT, denominator TEXT, source TEXT,"
    "  rec_from INTEGER NOT NULL REFERENCES change(id), rec_until INTEGER REFERENCES change(id));"
    "CREATE UNIQUE INDEX indicator_current ON indicator(code) WHERE rec_until IS NULL;"
    "CREATE TABLE indicator_value ("
    "  indicator TEXT NOT NULL, nis TEXT NOT NULL CHECK (length(nis) = 5), period TEXT NOT NULL,"
    "  value REAL NOT NULL, synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),"
    "  rec_from INTEGER NOT NULL REFERENCES change(id), rec_until INTEGER REFERENCES change(id),"
    "  PRIMARY KEY (indicator, nis, period, rec_from)) WITHOUT ROWID;";

/* Step 5: history is read-only in the database itself (issue 8), whoever
 * writes to the file. A version row (rec_from, rec_until) is only ever
 * closed, once: the store's one UPDATE of it is "SET rec_until = ?1 WHERE
 * ... rec_until IS NULL"; its data never change and it is never deleted.
 * A change and the child rows of a version are written once. A column added
 * to a versioned table later must be added to its _data_kept trigger by
 * that migration. The text of a released migration never changes: restore
 * compares a file's schema with the one these statements create. */
#define HISTORY_READ_ONLY(what) " BEGIN SELECT RAISE(ABORT, 'history is read-only: " what "'); END;"
#define VERSIONED(t, data)                                                                                         \
    "CREATE TRIGGER " t "_closed_once BEFORE UPDATE OF rec_until ON " t                                            \
    " WHEN OLD.rec_until IS NOT NULL OR NEW.rec_until IS NULL"                                                   \
    HISTORY_READ_ONLY("a superseded version of " t " never changes")                                             \
    "CREATE TRIGGER " t "_data_kept BEFORE UPDATE OF " data ", rec_from ON " t                                     \
    HISTORY_READ_ONLY("a version of " t " never changes; a new version supersedes it")                           \
    "CREATE TRIGGER " t "_never_deleted BEFORE DELETE ON " t                                                       \
    HISTORY_READ_ONLY("a version of " t " is never deleted")
#define WRITTEN_ONCE(t)                                                                                            \
    "CREATE TRIGGER " t "_never_updated BEFORE UPDATE ON " t HISTORY_READ_ONLY("a row of " t " never changes")    \
    "CREATE TRIGGER " t "_never_deleted BEFORE DELETE ON " t HISTORY_READ_ONLY("a row of " t " is never deleted")
static const char SCHEMA_5[] =
    WRITTEN_ONCE("change")
    VERSIONED("municipality", "nis, valid_from, valid_to, name, province_nis, province, arrondissement")
    VERSIONED("merger", "old_nis, old_name, old_province_nis, new_nis, new_name, new_province_nis, code_kept, effective")
    VERSIONED("principle", "number, title, text")
    VERSIONED("organisation", "vid, id, name, kind")
    VERSIONED("regiegebied", "vid, id, name, province, valid_from, valid_until, notes")
    WRITTEN_ONCE("regiegebied_member")
    VERSIONED("agreement", "vid, id, title, vdab_directorate, regiegebied, status, start, end_date, expected_start,"
                           " terminated_on, terminated_by, notes")
    WRITTEN_ONCE("party")
    WRITTEN_ONCE("signatory")
    WRITTEN_ONCE("entity")
    WRITTEN_ONCE("theme")
    WRITTEN_ONCE("action_domain")
    WRITTEN_ONCE("action")
    WRITTEN_ONCE("governance_body")
    WRITTEN_ONCE("body_member")
    VERSIONED("evaluation", "id, agreement, action_uid, year, status, result, figures, evaluated_by")
    VERSIONED("meeting", "vid, mid, agreement, body_uid, held_on, state, decisions, minutes_url")
    WRITTEN_ONCE("meeting_attendee")
    VERSIONED("indicator", "code, name, unit, kind, numerator, denominator, source")
    VERSIONED("indicator_value", "indicator, nis, period, value, synthetic");

/* Step 6: a party that leaves records why (SPEC §3, issue 9). A party row is
 * written once (schema 5's party_never_updated covers every column, the new
 * one too), so no trigger changes; ALTER TABLE keeps every row, NULL for the
 * reason nobody recorded. */
static const char SCHEMA_6[] = "ALTER TABLE party ADD COLUMN left_reason TEXT;";

/* Step 7: an agreement's kind, the day of its last signature and the
 * agreement it follows up; a party's council decisions, child rows of the
 * agreement version like its signatories (SPEC §5, issue 9). The new
 * agreement columns join agreement_data_kept (schema 5: a column added to a
 * versioned table is added to its trigger by that migration); the decisions
 * are written once. */
static const char SCHEMA_7[] =
    "ALTER TABLE agreement ADD COLUMN kind TEXT;"
    "ALTER TABLE agreement ADD COLUMN signed_on TEXT;"
    "ALTER TABLE agreement ADD COLUMN predecessor TEXT;"
    "CREATE TABLE party_decision ("
    "  vid INTEGER NOT NULL REFERENCES agreement(vid), party_position INTEGER NOT NULL,"
    "  position INTEGER NOT NULL, body TEXT NOT NULL, on_date TEXT NOT NULL, agenda_point TEXT, url TEXT,"
    "  approves INTEGER NOT NULL DEFAULT 1 CHECK (approves IN (0, 1)),"
    "  PRIMARY KEY (vid, party_position, position)) WITHOUT ROWID;"
    "DROP TRIGGER agreement_data_kept;"
    "CREATE TRIGGER agreement_data_kept BEFORE UPDATE OF vid, id, title, vdab_directorate, regiegebied, status,"
    " start, end_date, expected_start, terminated_on, terminated_by, notes, kind, signed_on, predecessor, rec_from"
    " ON agreement"
    HISTORY_READ_ONLY("a version of agreement never changes; a new version supersedes it")
    WRITTEN_ONCE("party_decision");

/* Step 8: dated regiegebied members (SPEC §5, issue 9): a member belongs from
 * from_date to until_date, NULL meaning the regiegebied's own from (until).
 * A member row is written once: schema 5's regiegebied_member_never_updated
 * and _never_deleted cover every column, these new ones too, so no trigger
 * changes; ALTER TABLE keeps every row, NULL (the whole period) for the
 * members recorded before. */
static const char SCHEMA_8[] = "ALTER TABLE regiegebied_member ADD COLUMN from_date TEXT;"
                               "ALTER TABLE regiegebied_member ADD COLUMN until_date TEXT;";

/* Step 9: what is not an agreement (SPEC §5, issue 10): other cooperation
 * of a municipality with VDAB, versioned by id like an organisation, and the
 * outreach log, one versioned row per entry, identified by municipality, day
 * and position (the order of the entries of one day, 0 first). Both are
 * versioned rows, so they get schema 5's history triggers here. */
static const char SCHEMA_9[] =
    "CREATE TABLE cooperation ("
    "  vid INTEGER PRIMARY KEY, id TEXT NOT NULL, municipality TEXT NOT NULL CHECK (length(municipality) = 5),"
    "  kind TEXT NOT NULL CHECK (kind IN ('twe_ocmw', 'wijk_werken', 'mobiele_opleiding', 'jobbeurs', 'zitdag',"
    " 'digibank', 'esf_lokaal_partnerschap', 'lerend_netwerk', 'other')),"
    "  title TEXT NOT NULL, from_date TEXT, until_date TEXT, notes TEXT,"
    "  rec_from INTEGER NOT NULL REFERENCES change(id), rec_until INTEGER REFERENCES change(id));"
    "CREATE UNIQUE INDEX cooperation_current ON cooperation(id) WHERE rec_until IS NULL;"
    "CREATE INDEX cooperation_municipality ON cooperation(municipality, rec_from);"
    "CREATE TABLE outreach ("
    "  vid INTEGER PRIMARY KEY, municipality TEXT NOT NULL CHECK (length(municipality) = 5),"
    "  on_date TEXT NOT NULL, position INTEGER NOT NULL CHECK (position >= 0),"
    "  stage TEXT NOT NULL CHECK (stage IN ('no_contact', 'exploring', 'negotiating', 'declined', 'joined')),"
    "  note TEXT,"
    "  rec_from INTEGER NOT NULL REFERENCES change(id), rec_until INTEGER REFERENCES change(id));"
    "CREATE UNIQUE INDEX outreach_current ON outreach(municipality, on_date, position) WHERE rec_until IS NULL;"
    VERSIONED("cooperation", "vid, id, municipality, kind, title, from_date, until_date, notes")
    VERSIONED("outreach", "vid, municipality, on_date, position, stage, note");

/* Step 10: organisations have dated members (SPEC §5, issue 9), the shape of
 * a regiegebied's: child rows of the organisation's version, written once
 * (a new version copies them), NULL dates meaning from the first day the
 * municipality exists (from_date) and for good (until_date). The
 * organisation row itself keeps its columns, so organisation_data_kept
 * stays as schema 5 made it. */
static const char SCHEMA_10[] =
    "CREATE TABLE organisation_member ("
    "  vid INTEGER NOT NULL REFERENCES organisation(vid), position INTEGER NOT NULL, nis TEXT NOT NULL,"
    "  from_date TEXT, until_date TEXT,"
    "  PRIMARY KEY (vid, position)) WITHOUT ROWID;"
    WRITTEN_ONCE("organisation_member");

/* Step 11: published editions of the answer to parliament (SPEC §4, issue
 * 10). An edition freezes the coverage table of a date and a prognosis as
 * known at a change: its question, the figures (row: the table's row, 0..5
 * with Vlaanderen last; measure: 0 municipalities on the date, 1 their
 * prognosis, 2 regiegebieden on the date, 3 their prognosis) and the notes
 * the staff wrote per province. Published by a change (rec_from: who and
 * when); once written, an edition and its rows never change. */
static const char SCHEMA_11[] =
    "CREATE TABLE edition ("
    "  id INTEGER PRIMARY KEY, question TEXT NOT NULL, on_date TEXT NOT NULL, prognosis_date TEXT NOT NULL,"
    "  known_change INTEGER NOT NULL, known_at TEXT NOT NULL,"
    "  rec_from INTEGER NOT NULL REFERENCES change(id));"
    "CREATE TABLE edition_figure ("
    "  edition INTEGER NOT NULL REFERENCES edition(id), row INTEGER NOT NULL CHECK (row BETWEEN 0 AND 5),"
    "  measure INTEGER NOT NULL CHECK (measure BETWEEN 0 AND 3),"
    "  covered INTEGER NOT NULL, partial INTEGER NOT NULL, total INTEGER NOT NULL,"
    "  PRIMARY KEY (edition, row, measure)) WITHOUT ROWID;"
    "CREATE TABLE edition_note ("
    "  edition INTEGER NOT NULL REFERENCES edition(id), position INTEGER NOT NULL, province TEXT NOT NULL,"
    "  text TEXT NOT NULL, PRIMARY KEY (edition, position)) WITHOUT ROWID;"
    WRITTEN_ONCE("edition")
    WRITTEN_ONCE("edition_figure")
    WRITTEN_ONCE("edition_note");

/* A new meeting's number is max(mid) + 1 over every version (a withdrawn
 * meeting keeps its number): without an index of all mids that was a scan of
 * the table per meeting, and an import of 45,000 meetings took a minute. */
static const char SCHEMA_12[] = "CREATE INDEX IF NOT EXISTS meeting_mid ON meeting(mid);";

/* Step 13: the sources of an agreement and of its parties (SPEC §5, issue
 * 13): child rows of the agreement version like party_decision (schema 7),
 * party_position -1 for a source of the agreement itself; written once. */
static const char SCHEMA_13[] =
    "CREATE TABLE source ("
    "  vid INTEGER NOT NULL REFERENCES agreement(vid), party_position INTEGER NOT NULL,"
    "  position INTEGER NOT NULL, url TEXT NOT NULL, quote TEXT, read_on TEXT,"
    "  PRIMARY KEY (vid, party_position, position)) WITHOUT ROWID;"
    WRITTEN_ONCE("source");

/* Step 14: the register notice (issue 13, notice.h): a label of the whole
 * register, such as "compiled from public sources, partial". A versioned
 * row while the register has it; clearing closes the current row, so the
 * notice is known as it was at any change. It gets schema 5's history
 * triggers here, as step 9 gave the cooperations. */
static const char SCHEMA_14[] =
    "CREATE TABLE register_notice ("
    "  vid INTEGER PRIMARY KEY,"
    "  notice TEXT NOT NULL CHECK (notice IN ('public_sources_partial')),"
    "  rec_from INTEGER NOT NULL REFERENCES change(id), rec_until INTEGER REFERENCES change(id));"
    "CREATE UNIQUE INDEX register_notice_current ON register_notice(notice) WHERE rec_until IS NULL;"
    VERSIONED("register_notice", "vid, notice");

static const char *const MIGRATIONS[STORE_SCHEMA_VERSION] = {SCHEMA_1, SCHEMA_2, SCHEMA_3, SCHEMA_4, SCHEMA_5,
                                                             SCHEMA_6, SCHEMA_7, SCHEMA_8, SCHEMA_9, SCHEMA_10,
                                                             SCHEMA_11, SCHEMA_12, SCHEMA_13, SCHEMA_14};

/* ---- connection ------------------------------------------------------ */

const char *store_error(store *s) { return sqlite3_errmsg(s->db); }

static char *message(const char *fmt, const char *path, const char *detail)
{
    size_t n = strlen(fmt) + strlen(path) + (detail ? strlen(detail) : 0) + 1;
    char *m = malloc(n);
    if (m)
        snprintf(m, n, fmt, path, detail ? detail : "");
    return m;
}

static int exec(store *s, const char *sql) { return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1; }

static int pragma_int(store *s, const char *sql, int *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        *out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    rc = rc == SQLITE_OK ? sqlite3_finalize(st) : (sqlite3_finalize(st), rc);
    return rc;
}

int store_schema_version(store *s)
{
    int v = 0;
    pragma_int(s, "PRAGMA user_version", &v);
    return v;
}

/* Checks that the file is a somon database this program can use. */
static int check_identity(store *s, store_mode mode, char **err)
{
    int app = 0, version = 0, tables = 0;
    int rc = pragma_int(s, "PRAGMA application_id", &app);
    if (rc == SQLITE_NOTADB) {
        *err = message(_("%s is not a somon database (not an SQLite file); give another --db"), s->path, NULL);
        return EX_DATAERR;
    }
    if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN) {
        *err = message(_("%s is read-only (%s); make it and its folder writable or give another --db"), s->path,
                       sqlite3_errmsg(s->db));
        return EX_NOPERM;
    }
    if (rc != SQLITE_OK) {
        *err = message("%s: %s", s->path, sqlite3_errmsg(s->db));
        return EX_IOERR;
    }
    pragma_int(s, "PRAGMA user_version", &version);
    pragma_int(s, "SELECT count(*) FROM sqlite_schema", &tables);
    if (app == 0 && tables == 0) {
        if (mode == STORE_CREATE)
            return 0;
        *err = message(_("%s is empty; create the database with 'somon init'"), s->path, NULL);
        return EX_DATAERR;
    }
    if (app != SOMON_APPLICATION_ID) {
        *err = message(_("%s is an SQLite file but not a somon database; give another --db"), s->path, NULL);
        return EX_DATAERR;
    }
    if (version > STORE_SCHEMA_VERSION) {
        *err = message(_("%s was written by a newer version of somon; upgrade somon to use it"), s->path, NULL);
        return EX_DATAERR;
    }
    if (version < STORE_SCHEMA_VERSION && mode != STORE_CREATE) {
        *err = message(_("%s has an older schema; upgrade it with 'somon init' (every row is kept)"), s->path, NULL);
        return EX_DATAERR;
    }
    return 0;
}

static int configure(store *s, store_mode mode, char **err)
{
    sqlite3_busy_timeout(s->db, 5000);
    exec(s, "PRAGMA foreign_keys = ON");
    if (mode == STORE_READONLY)
        return 0;
    if (sqlite3_db_readonly(s->db, "main") == 1) {
        *err = message(_("%s is read-only; make it writable or give another --db"), s->path, NULL);
        return EX_NOPERM;
    }
    if (exec(s, "PRAGMA journal_mode = WAL") || exec(s, "PRAGMA synchronous = NORMAL")) {
        const char *why = sqlite3_errmsg(s->db);
        int readonly = sqlite3_errcode(s->db) == SQLITE_READONLY || sqlite3_errcode(s->db) == SQLITE_CANTOPEN;
        *err = readonly ? message(_("%s cannot be written (%s); check the permissions of the file and its folder"),
                                  s->path, why)
                        : message("%s: %s", s->path, why);
        return readonly ? EX_NOPERM : EX_IOERR;
    }
    return 0;
}

/* A WAL database on read-only storage cannot create its shared-memory file;
 * reports may still read it as immutable (nobody writes it meanwhile). */
static int reopen_immutable(store *s)
{
    static const char hex[] = "0123456789ABCDEF", tail[] = "?immutable=1";
    size_t n = strlen(s->path), k = 0;
    char *uri = malloc(3 * n + sizeof "file:" + sizeof tail);
    if (!uri)
        return SQLITE_NOMEM;
    memcpy(uri, "file:", 5);
    k = 5;
    for (const unsigned char *c = (const unsigned char *)s->path; *c; c++) {
        if (*c == '?' || *c == '#' || *c == '%' || *c < 0x21) {
            uri[k++] = '%';
            uri[k++] = hex[*c >> 4];
            uri[k++] = hex[*c & 15];
        } else {
            uri[k++] = (char)*c;
        }
    }
    memcpy(uri + k, tail, sizeof tail);
    sqlite3_close(s->db);
    s->db = NULL;
    int rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
    free(uri);
    return rc;
}

int store_open(const char *path, store_mode mode, store **out, char **err)
{
    *out = NULL;
    *err = NULL;
    struct stat st;
    if (mode != STORE_CREATE && stat(path, &st) != 0) {
        *err = message(_("no database at %s; create it with 'somon init' or give --db"), path, NULL);
        return EX_NOINPUT;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        *err = message(_("%s is not a file; give the path of a database with --db"), path, NULL);
        return EX_DATAERR;
    }
    store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        *err = strdup(_("out of memory"));
        return EX_OSERR;
    }
    int flags = mode == STORE_READONLY ? SQLITE_OPEN_READONLY
              : mode == STORE_CREATE   ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                       : SQLITE_OPEN_READWRITE;
    int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        *err = message(_("cannot open %s: %s"), path, s->db ? sqlite3_errmsg(s->db) : _("out of memory"));
        store_close(s);
        return rc == SQLITE_CANTOPEN ? EX_CANTCREAT : EX_IOERR;
    }
    /* before the first read: another process may hold a lock for a moment */
    sqlite3_busy_timeout(s->db, 5000);
    rc = check_identity(s, mode, err);
    if (rc == EX_NOPERM && mode == STORE_READONLY && reopen_immutable(s) == SQLITE_OK) {
        free(*err);
        *err = NULL;
        rc = check_identity(s, mode, err);
    }
    if (!rc)
        rc = configure(s, mode, err);
    if (rc) {
        store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void store_cache_limit(store *s, int kib)
{
    char pragma[48];
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size = -%d", kib > 0 ? kib : 1);
    exec(s, pragma);
}

void store_close(store *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->cached; i++)
        sqlite3_finalize(s->cache[i].stmt);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

int store_migrate(store *s, int target)
{
    if (target <= 0 || target > STORE_SCHEMA_VERSION)
        target = STORE_SCHEMA_VERSION;
    for (int v = store_schema_version(s); v < target; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (exec(s, "BEGIN IMMEDIATE"))
            return -1;
        if (exec(s, MIGRATIONS[v]) || exec(s, pragma) ||
            (v == 0 && exec(s, "PRAGMA application_id = 1397706062")) || exec(s, "COMMIT")) {
            char *why = strdup(sqlite3_errmsg(s->db));
            exec(s, "ROLLBACK");
            fprintf(stderr, _("somon: upgrading %s to schema %d failed: %s\n"), s->path, v + 1, why ? why : "");
            free(why);
            return -1;
        }
    }
    return 0;
}

/* ---- statements ------------------------------------------------------ */

sqlite3_stmt *sql_stmt(store *s, const char *sql)
{
    for (int i = 0; i < s->cached; i++)
        if (s->cache[i].sql == sql) {
            sqlite3_reset(s->cache[i].stmt);
            sqlite3_clear_bindings(s->cache[i].stmt);
            return s->cache[i].stmt;
        }
    if (s->cached == STMT_CACHE) {
        fprintf(stderr, _("somon: more than %d distinct SQL statements; raise STMT_CACHE in src/store_internal.h\n"),
                STMT_CACHE);
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return NULL;
    s->cache[s->cached].sql = sql;
    s->cache[s->cached++].stmt = st;
    return st;
}

void sql_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void sql_bind_date(sqlite3_stmt *st, int i, date_t d)
{
    char buf[DATE_ISO_LEN];
    if (d == DATE_NONE)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, date_format_iso(d, buf), -1, SQLITE_TRANSIENT);
}

void sql_bind_positive(sqlite3_stmt *st, int i, int v)
{
    if (v > 0)
        sqlite3_bind_int(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

char *sql_col_text(arena *a, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

date_t sql_col_date(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    date_t d;
    return t && date_parse_iso(t, &d) ? d : DATE_NONE;
}

int sql_run(sqlite3_stmt *st)
{
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}


/* ---- changes --------------------------------------------------------- */

void store_fast_memory(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

int store_begin(store *s, const char *actor, const char *what, const char *detail, int64_t *change)
{
    /* a request's read transaction (store_read_begin): the write sees the newest */
    if (!sqlite3_get_autocommit(s->db) && sqlite3_txn_state(s->db, NULL) != SQLITE_TXN_WRITE && exec(s, "COMMIT"))
        exec(s, "ROLLBACK");
    if (exec(s, "BEGIN IMMEDIATE"))
        return -1;
    /* Moments increase with ids, so "known at a moment" is "known at the last
     * change up to it"; a clock that steps back cannot reorder history. */
    moment_t now = moment_now(), last = MOMENT_NONE;
    sqlite3_stmt *st = sql_stmt(s, "SELECT moment FROM change ORDER BY id DESC LIMIT 1");
    if (st && sqlite3_step(st) == SQLITE_ROW)
        moment_parse_iso((const char *)sqlite3_column_text(st, 0), &last);
    if (st)
        sqlite3_reset(st);
    if (last != MOMENT_NONE && now <= last)
        now = last + 1;
    char buf[MOMENT_ISO_LEN];
    st = sql_stmt(s, "INSERT INTO change(moment, actor, action, detail) VALUES (?1, ?2, ?3, ?4)");
    if (!st) {
        store_rollback(s);
        return -1;
    }
    sql_bind_text(st, 1, moment_format_utc(now, buf));
    sql_bind_text(st, 2, actor);
    sql_bind_text(st, 3, what);
    sql_bind_text(st, 4, detail);
    if (sql_run(st)) {
        store_rollback(s);
        return -1;
    }
    *change = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int store_commit(store *s) { return exec(s, "COMMIT"); }

int store_read_begin(store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        return 0; /* inside one already: that one is the snapshot */
    return exec(s, "BEGIN") ? -1 : 1;
}

void store_read_end(store *s, int began)
{
    if (began != 1 || sqlite3_get_autocommit(s->db))
        return;
    /* a transaction left open would keep this connection on an old snapshot */
    if (exec(s, "COMMIT"))
        exec(s, "ROLLBACK");
}

void store_rollback(store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        exec(s, "ROLLBACK");
}

int64_t store_known_at(store *s, moment_t t)
{
    if (t == MOMENT_NONE)
        return STORE_NOW;
    char buf[MOMENT_ISO_LEN];
    sqlite3_stmt *st = sql_stmt(s, "SELECT coalesce(max(id), 0) FROM change WHERE moment <= ?1");
    if (!st)
        return 0;
    sql_bind_text(st, 1, moment_format_utc(t, buf));
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

/* ---- commits of any process ------------------------------------------
 * Every commit to a database in WAL mode, by any process, rewrites the header
 * of the WAL index in the -shm file that each connection maps: its change
 * counter goes up by one, its frame count and checksums move. SQLite writes
 * the second copy, then a memory barrier, then the first, and a reader that
 * reads the first, a barrier, the second and finds them equal has a header
 * no commit is writing (walIndexTryHdr). When that header is still the one
 * seen before the last read of the last change, nothing was committed since,
 * and the last change is the one read then: no read transaction, whose file
 * locks were a fifth of a cached page's time on the server (issue 12). */

bool store_watch_commits(store *s)
{
    if (s->wal_index)
        return true;
    s->last_known = -1;
    /* read-only connections may get a private copy of the index (SQLite's
     * "unreliable" shm) */
    if (sqlite3_db_readonly(s->db, "main") != 0 || !sqlite3_get_autocommit(s->db))
        return false;
    sqlite3_stmt *st = sql_stmt(s, "PRAGMA journal_mode");
    bool wal = st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
               strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
    if (st)
        sqlite3_reset(st);
    /* SQLite's own mapping of the index, through its file layer: not a
     * descriptor of our own, whose close would drop every lock this process
     * holds on the file (POSIX), SQLite's included (a command-line import
     * then found the index unused, truncated it, and the server's SQLite
     * died of SIGBUS). After a read the connection's WAL and its mapping are
     * open, and they stay so until it closes. */
    sqlite3_file *file = NULL;
    if (!wal || store_last_change(s) < 0 || sqlite3_file_control(s->db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file ||
        !file->pMethods || file->pMethods->iVersion < 2 || !file->pMethods->xShmMap)
        return false;
    volatile void *index = NULL;
    if (file->pMethods->xShmMap(file, 0, WAL_INDEX_PAGE, 0, &index) != SQLITE_OK || !index)
        return false;
    s->wal_index = (const void *)index;
    return true;
}

/* The header of the WAL index as no commit is writing it; false while one is
 * (or before the index was ever written). */
static bool wal_header(const store *s, uint32_t out[WAL_HEADER_WORDS])
{
    const _Atomic uint32_t *h = s->wal_index;
    uint32_t second[WAL_HEADER_WORDS];
    /* acquire loads: the second copy is read after the first (a fence would
     * do, but ThreadSanitizer does not know fences) */
    for (int i = 0; i < WAL_HEADER_WORDS; i++)
        out[i] = atomic_load_explicit(&h[i], memory_order_acquire);
    for (int i = 0; i < WAL_HEADER_WORDS; i++)
        second[i] = atomic_load_explicit(&h[WAL_HEADER_WORDS + i], memory_order_acquire);
    bool initialised = ((const unsigned char *)out)[12] != 0; /* isInit */
    return initialised && memcmp(out, second, sizeof second) == 0;
}

int64_t store_last_change(store *s)
{
    /* inside a transaction the answer is that snapshot's, not the newest */
    uint32_t header[WAL_HEADER_WORDS];
    bool watched = s->wal_index && sqlite3_get_autocommit(s->db) && wal_header(s, header);
    if (watched && s->last_known >= 0 && memcmp(header, s->last_header, sizeof header) == 0)
        return s->last_known;
    sqlite3_stmt *st = sql_stmt(s, "SELECT coalesce(max(id), 0) FROM change");
    if (!st)
        return -1;
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    if (watched) { /* read after the header: it holds every commit the header counts, maybe more */
        memcpy(s->last_header, header, sizeof header);
        s->last_known = id;
    }
    return id;
}

/* Marks the current rows of table (with id column idcol = id, or all rows when
 * id is NULL) as superseded by change. */
static int supersede(sqlite3_stmt *st, int64_t change, const char *id)
{
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, change);
    if (id)
        sql_bind_text(st, 2, id);
    return sql_run(st);
}

/* ---- reference data -------------------------------------------------- */

int store_get_reference(store *s, int64_t known, arena *a, reference_data *out)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    sqlite3_stmt *st = sql_stmt(s, "SELECT nis, name, province_nis, province, arrondissement, valid_from, valid_to"
                               " FROM municipality WHERE " VISIBLE " ORDER BY nis, valid_from");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    while (sqlite3_step(st) == SQLITE_ROW) {
        out->municipalities = arena_grow(a, out->municipalities, &cap, out->municipality_count + 1,
                                         sizeof *out->municipalities);
        ref_municipality *m = &out->municipalities[out->municipality_count++];
        *m = (ref_municipality){sql_col_text(a, st, 0), sql_col_text(a, st, 1), sql_col_text(a, st, 2), sql_col_text(a, st, 3),
                                sql_col_text(a, st, 4), sql_col_date(st, 5), sql_col_date(st, 6)};
    }
    cap = 0;
    st = sql_stmt(s, "SELECT old_nis, old_name, old_province_nis, new_nis, new_name, new_province_nis, code_kept,"
                 " effective FROM merger WHERE " VISIBLE " ORDER BY rowid");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    while (sqlite3_step(st) == SQLITE_ROW) {
        out->mergers = arena_grow(a, out->mergers, &cap, out->merger_count + 1, sizeof *out->mergers);
        ref_merger *g = &out->mergers[out->merger_count++];
        *g = (ref_merger){sql_col_text(a, st, 0), sql_col_text(a, st, 1), sql_col_text(a, st, 2), sql_col_text(a, st, 3),
                          sql_col_text(a, st, 4), sql_col_text(a, st, 5), sqlite3_column_int(st, 6) != 0, sql_col_date(st, 7)};
    }
    cap = 0;
    st = sql_stmt(s, "SELECT number, title, text FROM principle WHERE " VISIBLE " ORDER BY number");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    while (sqlite3_step(st) == SQLITE_ROW) {
        out->principles = arena_grow(a, out->principles, &cap, out->principle_count + 1, sizeof *out->principles);
        out->principles[out->principle_count++] =
            (ref_principle){sqlite3_column_int(st, 0), sql_col_text(a, st, 1), sql_col_text(a, st, 2)};
    }
    return 0;
}

static int put_municipality(store *s, int64_t change, const ref_municipality *m)
{
    sqlite3_stmt *st = sql_stmt(s, "INSERT INTO municipality(nis, name, province_nis, province, arrondissement,"
                               " valid_from, valid_to, rec_from) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st)
        return -1;
    sql_bind_text(st, 1, m->nis);
    sql_bind_text(st, 2, m->name);
    sql_bind_text(st, 3, m->province_nis);
    sql_bind_text(st, 4, m->province);
    sql_bind_text(st, 5, m->arrondissement);
    sql_bind_date(st, 6, m->valid_from);
    sql_bind_date(st, 7, m->valid_to);
    sqlite3_bind_int64(st, 8, change);
    return sql_run(st);
}

static int put_merger(store *s, int64_t change, const ref_merger *g)
{
    sqlite3_stmt *st = sql_stmt(s, "INSERT INTO merger(old_nis, old_name, old_province_nis, new_nis, new_name,"
                               " new_province_nis, code_kept, effective, rec_from)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st)
        return -1;
    sql_bind_text(st, 1, g->old_nis);
    sql_bind_text(st, 2, g->old_name);
    sql_bind_text(st, 3, g->old_province_nis);
    sql_bind_text(st, 4, g->new_nis);
    sql_bind_text(st, 5, g->new_name);
    sql_bind_text(st, 6, g->new_province_nis);
    sqlite3_bind_int(st, 7, g->code_kept);
    sql_bind_date(st, 8, g->effective);
    sqlite3_bind_int64(st, 9, change);
    return sql_run(st);
}

static int put_principle(store *s, int64_t change, const ref_principle *p)
{
    sqlite3_stmt *st = sql_stmt(s, "INSERT INTO principle(number, title, text, rec_from) VALUES (?1, ?2, ?3, ?4)");
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, p->number);
    sql_bind_text(st, 2, p->title);
    sql_bind_text(st, 3, p->text);
    sqlite3_bind_int64(st, 4, change);
    return sql_run(st);
}

int store_put_reference(store *s, int64_t change, const reference_data *ref)
{
    if (supersede(sql_stmt(s, "UPDATE municipality SET rec_until = ?1 WHERE rec_until IS NULL"), change, NULL) ||
        supersede(sql_stmt(s, "UPDATE merger SET rec_until = ?1 WHERE rec_until IS NULL"), change, NULL) ||
        supersede(sql_stmt(s, "UPDATE principle SET rec_until = ?1 WHERE rec_until IS NULL"), change, NULL))
        return -1;
    for (size_t i = 0; i < ref->municipality_count; i++)
        if (put_municipality(s, change, &ref->municipalities[i]))
            return -1;
    for (size_t i = 0; i < ref->merger_count; i++)
        if (put_merger(s, change, &ref->mergers[i]))
            return -1;
    for (size_t i = 0; i < ref->principle_count; i++)
        if (put_principle(s, change, &ref->principles[i]))
            return -1;
    return 0;
}

/* ---- organisations and regiegebieden ---------------------------------- */

/* Writes the members of version vid with st ("INSERT INTO …_member(vid,
 * position, nis, from_date, until_date) VALUES (?1, ?2, ?3, ?4, ?5)"). */
static int put_members(store *s, sqlite3_stmt *st, int64_t vid, const dated_member *members, size_t n)
{
    (void)s;
    for (size_t i = 0; i < n; i++) {
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, vid);
        sqlite3_bind_int64(st, 2, (int64_t)i);
        sql_bind_text(st, 3, members[i].municipality);
        sql_bind_date(st, 4, members[i].from);
        sql_bind_date(st, 5, members[i].until);
        if (sql_run(st))
            return -1;
    }
    return 0;
}

/* The members of one version (vid) of a regiegebied or an organisation,
 * read with st ("SELECT nis, from_date, until_date … WHERE vid = ?1 ORDER BY
 * position"). */
static int version_members(store *s, sqlite3_stmt *st, int64_t vid, arena *a, dated_member **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, vid);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        (*out)[(*n)++] = (dated_member){sql_col_text(a, st, 0), sql_col_date(st, 1), sql_col_date(st, 2)};
    }
    sqlite3_reset(st);
    (void)s;
    return rc == SQLITE_DONE ? 0 : -1;
}

static int organisation_members(store *s, int64_t vid, arena *a, organisation *o)
{
    return version_members(s, sql_stmt(s, "SELECT nis, from_date, until_date FROM organisation_member WHERE vid = ?1"
                                          " ORDER BY position"),
                           vid, a, &o->members, &o->member_count);
}

static int region_members(store *s, int64_t vid, arena *a, regiegebied *r)
{
    return version_members(s, sql_stmt(s, "SELECT nis, from_date, until_date FROM regiegebied_member WHERE vid = ?1"
                                          " ORDER BY position"),
                           vid, a, &r->members, &r->member_count);
}

/* The rows of st (organisations as known at `known`, bound first; the id
 * second when st has it), each with its members. */
static int read_organisations(store *s, sqlite3_stmt *st, int64_t known, const char *id, arena *a,
                              organisation **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    if (id)
        sql_bind_text(st, 2, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        (*out)[(*n)++] = (organisation){.id = sql_col_text(a, st, 0), .name = sql_col_text(a, st, 1),
                                        .kind = sql_col_text(a, st, 2), .version = sqlite3_column_int64(st, 3),
                                        .change = sqlite3_column_int64(st, 4)};
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    for (size_t i = 0; i < *n; i++)
        if (organisation_members(s, (*out)[i].version, a, &(*out)[i]))
            return -1;
    return 0;
}

int store_get_organisations(store *s, int64_t known, arena *a, organisation **out, size_t *n)
{
    return read_organisations(
        s, sql_stmt(s, "SELECT id, name, kind, vid, rec_from FROM organisation WHERE " VISIBLE " ORDER BY id"), known,
        NULL, a, out, n);
}

int store_get_organisation(store *s, int64_t known, const char *id, arena *a, organisation *out)
{
    organisation *found;
    size_t n;
    if (read_organisations(s, sql_stmt(s, "SELECT id, name, kind, vid, rec_from FROM organisation WHERE " VISIBLE
                                          " AND id = ?2"),
                           known, id, a, &found, &n))
        return -1;
    if (n)
        *out = found[0];
    return n ? 1 : 0;
}

int store_put_organisation(store *s, int64_t change, const organisation *o)
{
    if (supersede(sql_stmt(s, "UPDATE organisation SET rec_until = ?1 WHERE id = ?2 AND rec_until IS NULL"),
                  change, o->id))
        return -1;
    sqlite3_stmt *st = sql_stmt(s, "INSERT INTO organisation(id, name, kind, rec_from) VALUES (?1, ?2, ?3, ?4)");
    if (!st)
        return -1;
    sql_bind_text(st, 1, o->id);
    sql_bind_text(st, 2, o->name);
    sql_bind_text(st, 3, o->kind);
    sqlite3_bind_int64(st, 4, change);
    if (sql_run(st))
        return -1;
    return put_members(s, sql_stmt(s, "INSERT INTO organisation_member(vid, position, nis, from_date, until_date)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5)"),
                       sqlite3_last_insert_rowid(s->db), o->members, o->member_count);
}

static int versions_of(sqlite3_stmt *st, int64_t known, const char *id, arena *a, store_version **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    if (!st)
        return -1;
    sql_bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, known);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        (*out)[(*n)++] =
            (store_version){sqlite3_column_int64(st, 0), sql_col_text(a, st, 1), sql_col_text(a, st, 2), sql_col_text(a, st, 3)};
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_organisation_versions(store *s, int64_t known, const char *id, arena *a, store_version **out, size_t *n)
{
    return versions_of(sql_stmt(s, "SELECT c.id, c.moment, c.actor, c.action FROM organisation o"
                                   " JOIN change c ON c.id = o.rec_from WHERE o.id = ?1 AND o.rec_from <= ?2"
                                   " ORDER BY o.rec_from"),
                       known, id, a, out, n);
}

int store_regiegebied_versions(store *s, int64_t known, const char *id, arena *a, store_version **out, size_t *n)
{
    return versions_of(sql_stmt(s, "SELECT c.id, c.moment, c.actor, c.action FROM regiegebied g"
                                   " JOIN change c ON c.id = g.rec_from WHERE g.id = ?1 AND g.rec_from <= ?2"
                                   " ORDER BY g.rec_from"),
                       known, id, a, out, n);
}

/* The rows of st (regiegebieden as known at `known`, bound first; the id
 * second when st has it), each with its members. */
static int read_regiegebieden(store *s, sqlite3_stmt *st, int64_t known, const char *id, arena *a,
                              regiegebied **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    if (id)
        sql_bind_text(st, 2, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        (*out)[(*n)++] = (regiegebied){sql_col_text(a, st, 1), sql_col_text(a, st, 2),
                                       province_parse((const char *)sqlite3_column_text(st, 3)),
                                       sql_col_date(st, 4), sql_col_date(st, 5), NULL, 0, sql_col_text(a, st, 6),
                                       sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 7)};
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    for (size_t i = 0; i < *n; i++)
        if (region_members(s, (*out)[i].version, a, &(*out)[i]))
            return -1;
    return 0;
}

int store_get_regiegebieden(store *s, int64_t known, arena *a, regiegebied **out, size_t *n)
{
    return read_regiegebieden(s, sql_stmt(s, "SELECT vid, id, name, province, valid_from, valid_until, notes, rec_from"
                                             " FROM regiegebied WHERE " VISIBLE " ORDER BY id"),
                              known, NULL, a, out, n);
}

int store_get_regiegebied(store *s, int64_t known, const char *id, arena *a, regiegebied *out)
{
    regiegebied *found;
    size_t n;
    if (read_regiegebieden(s, sql_stmt(s, "SELECT vid, id, name, province, valid_from, valid_until, notes, rec_from"
                                          " FROM regiegebied WHERE " VISIBLE " AND id = ?2"),
                           known, id, a, &found, &n))
        return -1;
    if (n)
        *out = found[0];
    return n ? 1 : 0;
}

/* The id of a version and the change that wrote it: a version is what is
 * known at that change. */
static int version_of(store *s, sqlite3_stmt *st, int64_t version, arena *a, char **id, int64_t *change)
{
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, version);
    int rc = sqlite3_step(st), found = rc == SQLITE_ROW;
    if (found) {
        *id = sql_col_text(a, st, 0);
        *change = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    (void)s;
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? found : -1;
}

int store_get_regiegebied_version(store *s, int64_t version, arena *a, regiegebied *out)
{
    char *id;
    int64_t change;
    int found = version_of(s, sql_stmt(s, "SELECT id, rec_from FROM regiegebied WHERE vid = ?1"), version, a, &id, &change);
    return found == 1 ? store_get_regiegebied(s, change, id, a, out) : found;
}

int store_get_organisation_version(store *s, int64_t version, arena *a, organisation *out)
{
    char *id;
    int64_t change;
    int found = version_of(s, sql_stmt(s, "SELECT id, rec_from FROM organisation WHERE vid = ?1"), version, a, &id, &change);
    return found == 1 ? store_get_organisation(s, change, id, a, out) : found;
}

int store_put_regiegebied(store *s, int64_t change, const regiegebied *r)
{
    if (supersede(sql_stmt(s, "UPDATE regiegebied SET rec_until = ?1 WHERE id = ?2 AND rec_until IS NULL"),
                  change, r->id))
        return -1;
    sqlite3_stmt *st = sql_stmt(s, "INSERT INTO regiegebied(id, name, province, valid_from, valid_until, notes,"
                               " rec_from) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        return -1;
    sql_bind_text(st, 1, r->id);
    sql_bind_text(st, 2, r->name);
    sql_bind_text(st, 3, province_name(r->province));
    sql_bind_date(st, 4, r->from);
    sql_bind_date(st, 5, r->until);
    sql_bind_text(st, 6, r->notes);
    sqlite3_bind_int64(st, 7, change);
    if (sql_run(st))
        return -1;
    return put_members(s, sql_stmt(s, "INSERT INTO regiegebied_member(vid, position, nis, from_date, until_date)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5)"),
                       sqlite3_last_insert_rowid(s->db), r->members, r->member_count);
}

/* ---- agreements ------------------------------------------------------ */

int store_get_agreement_ids(store *s, int64_t known, arena *a, char ***ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st = sql_stmt(s, "SELECT id FROM agreement WHERE " VISIBLE " ORDER BY id");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    while (sqlite3_step(st) == SQLITE_ROW) {
        *ids = arena_grow(a, *ids, &cap, *n + 1, sizeof **ids);
        (*ids)[(*n)++] = sql_col_text(a, st, 0);
    }
    sqlite3_reset(st);
    return 0;
}

int store_get_agreement_links(store *s, int64_t known, arena *a, agreement **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st = sql_stmt(s, "SELECT id, title, kind, signed_on, predecessor FROM agreement WHERE " VISIBLE
                                   " ORDER BY id");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    while (sqlite3_step(st) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        (*out)[(*n)++] = (agreement){.id = sql_col_text(a, st, 0), .title = sql_col_text(a, st, 1),
                                     .kind = sql_col_text(a, st, 2), .signed_on = sql_col_date(st, 3),
                                     .predecessor = sql_col_text(a, st, 4), .start = DATE_NONE, .end = DATE_NONE,
                                     .expected_start = DATE_NONE, .terminated_on = DATE_NONE};
    }
    sqlite3_reset(st);
    return 0;
}

/* The council decisions of each party, in the order they were given. */
/* The children of agreements are read for one version (SCOPE_ONE, ?1 = its vid)
 * or for every agreement visible at a change (SCOPE_ALL, ?1 = the change), by
 * the same code: one statement per child table either way, so a page over all
 * agreements costs ten statements, not ten per agreement (issue 12). The rows
 * come ordered by vid, so the rows of one parent are contiguous. */
enum { SCOPE_ONE, SCOPE_ALL };
#define CHILD_SQL(columns, table, order)                                                                      \
    {"SELECT vid, " columns " FROM " table " WHERE vid = ?1 ORDER BY " order,                                  \
     "SELECT vid, " columns " FROM " table " WHERE vid IN (SELECT vid FROM agreement WHERE " VISIBLE ")"       \
     " ORDER BY vid, " order}

/* The agreements the children go to, sorted by version. */
typedef struct {
    agreement *items;
    size_t count;
} agreement_set;

static agreement *by_version(const agreement_set *set, int64_t vid)
{
    size_t lo = 0, hi = set->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->items[mid].version == vid)
            return &set->items[mid];
        if (set->items[mid].version < vid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Steps st (bound to ?1 = key) and returns the agreement of the next row, or NULL
 * at the end; rows of versions outside the set are skipped. */
static agreement *next_child(sqlite3_stmt *st, const agreement_set *set)
{
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        agreement *ag = by_version(set, sqlite3_column_int64(st, 0));
        if (ag)
            return ag;
    }
    return NULL;
}

static sqlite3_stmt *child_stmt(store *s, const char *const sql[2], int scope, int64_t key)
{
    sqlite3_stmt *st = sql_stmt(s, sql[scope]);
    if (st)
        sqlite3_bind_int64(st, 1, key);
    return st;
}

static void get_decisions(store *s, int scope, int64_t key, arena *a, const agreement_set *set)
{
    static const char *const SQL[2] = CHILD_SQL("party_position, body, on_date, agenda_point, url, approves",
                                                "party_decision", "party_position, position");
    sqlite3_stmt *st = child_stmt(s, SQL, scope, key);
    size_t cap = 0;
    party *last = NULL;
    for (agreement *ag; (ag = next_child(st, set));) {
        int pp = sqlite3_column_int(st, 1);
        if (pp < 0 || (size_t)pp >= ag->party_count)
            continue;
        party *p = &ag->parties[pp];
        if (p != last)
            cap = 0, last = p;
        p->decisions = arena_grow(a, p->decisions, &cap, p->decision_count + 1, sizeof *p->decisions);
        p->decisions[p->decision_count++] =
            (party_decision){sql_col_text(a, st, 2), sql_col_date(st, 3), sql_col_text(a, st, 4),
                             sql_col_text(a, st, 5), sqlite3_column_int(st, 6) != 0};
    }
    if (st)
        sqlite3_reset(st);
}

/* The sources of each agreement (party_position -1) and of its parties, in
 * their order. */
static void get_sources(store *s, int scope, int64_t key, arena *a, const agreement_set *set)
{
    static const char *const SQL[2] = CHILD_SQL("party_position, url, quote, read_on", "source",
                                                "party_position, position");
    sqlite3_stmt *st = child_stmt(s, SQL, scope, key);
    size_t cap = 0;
    void *last = NULL;
    for (agreement *ag; (ag = next_child(st, set));) {
        int pp = sqlite3_column_int(st, 1);
        if (pp < -1 || (pp >= 0 && (size_t)pp >= ag->party_count))
            continue;
        source **list = pp < 0 ? &ag->sources : &ag->parties[pp].sources;
        size_t *count = pp < 0 ? &ag->source_count : &ag->parties[pp].source_count;
        if ((void *)list != last)
            cap = 0, last = list;
        *list = arena_grow(a, *list, &cap, *count + 1, sizeof **list);
        (*list)[(*count)++] = (source){sql_col_text(a, st, 2), sql_col_text(a, st, 3), sql_col_date(st, 4)};
    }
    if (st)
        sqlite3_reset(st);
}

static void get_signatories(store *s, int scope, int64_t key, arena *a, const agreement_set *set)
{
    static const char *const SQL[2] = CHILD_SQL("party_position, name, function", "signatory",
                                                "party_position, position");
    sqlite3_stmt *st = child_stmt(s, SQL, scope, key);
    size_t cap = 0;
    party *last = NULL;
    for (agreement *ag; (ag = next_child(st, set));) {
        int pp = sqlite3_column_int(st, 1);
        if (pp < 0 || (size_t)pp >= ag->party_count)
            continue;
        party *p = &ag->parties[pp];
        if (p != last)
            cap = 0, last = p;
        p->signatories = arena_grow(a, p->signatories, &cap, p->signatory_count + 1, sizeof *p->signatories);
        p->signatories[p->signatory_count++] = (signatory){sql_col_text(a, st, 2), sql_col_text(a, st, 3)};
    }
    if (st)
        sqlite3_reset(st);
}

/* Grows a heap array (not the arena: what a bulk read gathers is copied into
 * the arena once, at its final size, and the growing blocks are freed). */
static void *heap_grow(void *items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return items;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *p = realloc(items, n * size);
    if (!p) {
        fputs(_("somon: out of memory\n"), stderr);
        abort();
    }
    *cap = n;
    return p;
}

/* The parties of every agreement in one block of the arena: the rows come by
 * agreement, so each agreement's parties are a run of it (a register of
 * 200,000 parties would otherwise leave every doubling of every agreement's
 * array behind in the arena). */
static void get_parties(store *s, int scope, int64_t key, arena *a, const agreement_set *set)
{
    static const char *const SQL[2] = CHILD_SQL("municipality, organisation, approved_on, from_date, until_date,"
                                                " expected_from, left_reason", "party", "position");
    sqlite3_stmt *st = child_stmt(s, SQL, scope, key);
    party *all = NULL;
    size_t n = 0, cap = 0, *first = set->count ? calloc(set->count, sizeof *first) : NULL;
    if (set->count && !first) {
        fputs(_("somon: out of memory\n"), stderr);
        abort();
    }
    agreement *last = NULL;
    for (agreement *ag; (ag = next_child(st, set));) {
        if (ag != last) {
            last = ag;
            first[ag - set->items] = n;
            ag->party_count = 0;
        }
        all = heap_grow(all, &cap, n + 1, sizeof *all);
        all[n++] = (party){.municipality = sql_col_text(a, st, 1), .organisation = sql_col_text(a, st, 2),
                           .approved_on = sql_col_date(st, 3), .from = sql_col_date(st, 4),
                           .until = sql_col_date(st, 5), .expected_from = sql_col_date(st, 6),
                           .left_reason = sql_col_text(a, st, 7)};
        ag->party_count++;
    }
    if (st)
        sqlite3_reset(st);
    party *block = n ? arena_alloc(a, n * sizeof *block) : NULL;
    if (n)
        memcpy(block, all, n * sizeof *block);
    for (size_t i = 0; i < set->count; i++)
        if (set->items[i].party_count)
            set->items[i].parties = block + first[i];
    free(all);
    free(first);
    get_signatories(s, scope, key, a, set);
    get_decisions(s, scope, key, a, set);
    get_sources(s, scope, key, a, set);
}

static void get_themes(store *s, int scope, int64_t key, arena *a, const agreement_set *set)
{
    static const char *const SQL[2] = CHILD_SQL("title", "theme", "position");
    sqlite3_stmt *st = child_stmt(s, SQL, scope, key);
    size_t cap = 0;
    agreement *last = NULL;
    for (agreement *ag; (ag = next_child(st, set));) {
        if (ag != last)
            cap = 0, last = ag;
        ag->themes = arena_grow(a, ag->themes, &cap, ag->theme_count + 1, sizeof *ag->themes);
        ag->themes[ag->theme_count++] = (theme){sql_col_text(a, st, 1), NULL, 0};
    }
    if (st)
        sqlite3_reset(st);
}

static void get_domains(store *s, int scope, int64_t key, arena *a, const agreement_set *set)
{
    static const char *const SQL[2] = CHILD_SQL("theme_position, number, title", "action_domain",
                                                "theme_position, position");
    sqlite3_stmt *st = child_stmt(s, SQL, scope, key);
    size_t cap = 0;
    theme *last = NULL;
    for (agreement *ag; (ag = next_child(st, set));) {
        int tp = sqlite3_column_int(st, 1);
        if (tp < 0 || (size_t)tp >= ag->theme_count)
            continue;
        theme *t = &ag->themes[tp];
        if (t != last)
            cap = 0, last = t;
        t->domains = arena_grow(a, t->domains, &cap, t->domain_count + 1, sizeof *t->domains);
        t->domains[t->domain_count++] = (action_domain){sql_col_text(a, st, 2), sql_col_text(a, st, 3), NULL, 0};
    }
    if (st)
        sqlite3_reset(st);
}

static void get_actions(store *s, int scope, int64_t key, arena *a, const agreement_set *set)
{
    static const char *const SQL[2] = CHILD_SQL("theme_position, domain_position, uid, number, title, lead, status",
                                                "action", "theme_position, domain_position, position");
    sqlite3_stmt *st = child_stmt(s, SQL, scope, key);
    size_t cap = 0;
    action_domain *last = NULL;
    for (agreement *ag; (ag = next_child(st, set));) {
        int tp = sqlite3_column_int(st, 1), dp = sqlite3_column_int(st, 2);
        if (tp < 0 || (size_t)tp >= ag->theme_count || dp < 0 || (size_t)dp >= ag->themes[tp].domain_count)
            continue;
        action_domain *d = &ag->themes[tp].domains[dp];
        if (d != last)
            cap = 0, last = d;
        d->actions = arena_grow(a, d->actions, &cap, d->action_count + 1, sizeof *d->actions);
        d->actions[d->action_count++] = (action){sqlite3_column_int64(st, 3), sql_col_text(a, st, 4),
                                                 sql_col_text(a, st, 5), sql_col_text(a, st, 6),
                                                 sql_col_text(a, st, 7), NULL, 0, false};
    }
    if (st)
        sqlite3_reset(st);
}

static void get_bodies(store *s, int scope, int64_t key, arena *a, const agreement_set *set)
{
    static const char *const SQL[2] = CHILD_SQL("uid, body, convener, min_meetings, per_years", "governance_body",
                                                "position");
    sqlite3_stmt *st = child_stmt(s, SQL, scope, key);
    size_t cap = 0;
    agreement *last = NULL;
    for (agreement *ag; (ag = next_child(st, set));) {
        if (ag != last)
            cap = 0, last = ag;
        ag->bodies = arena_grow(a, ag->bodies, &cap, ag->body_count + 1, sizeof *ag->bodies);
        ag->bodies[ag->body_count++] =
            (governance_body){sqlite3_column_int64(st, 1), sql_col_text(a, st, 2), sql_col_text(a, st, 3),
                              sqlite3_column_int(st, 4), sqlite3_column_int(st, 5), NULL, 0, NULL, 0, false};
    }
    if (st)
        sqlite3_reset(st);
}

static void get_body_members(store *s, int scope, int64_t key, arena *a, const agreement_set *set)
{
    static const char *const SQL[2] = CHILD_SQL("body_position, name, function, organisation", "body_member",
                                                "body_position, position");
    sqlite3_stmt *st = child_stmt(s, SQL, scope, key);
    size_t cap = 0;
    governance_body *last = NULL;
    for (agreement *ag; (ag = next_child(st, set));) {
        int bp = sqlite3_column_int(st, 1);
        if (bp < 0 || (size_t)bp >= ag->body_count)
            continue;
        governance_body *b = &ag->bodies[bp];
        if (b != last)
            cap = 0, last = b;
        b->members = arena_grow(a, b->members, &cap, b->member_count + 1, sizeof *b->members);
        b->members[b->member_count++] =
            (body_member){sql_col_text(a, st, 2), sql_col_text(a, st, 3), sql_col_text(a, st, 4)};
    }
    if (st)
        sqlite3_reset(st);
}

/* Every child of the agreements of set: parties first (signatories and
 * decisions go to them), themes before their domains and actions. */
static void get_children(store *s, int scope, int64_t key, arena *a, const agreement_set *set)
{
    get_parties(s, scope, key, a, set);
    get_themes(s, scope, key, a, set);
    get_domains(s, scope, key, a, set);
    get_actions(s, scope, key, a, set);
    get_bodies(s, scope, key, a, set);
    get_body_members(s, scope, key, a, set);
}

/* Fills ag from the agreement row the statement stands on (not its children). */
static void fill_agreement(sqlite3_stmt *st, arena *a, agreement *ag)
{
    memset(ag, 0, sizeof *ag);
    ag->version = sqlite3_column_int64(st, 0);
    ag->id = sql_col_text(a, st, 1);
    ag->title = sql_col_text(a, st, 2);
    ag->vdab_directorate = province_parse((const char *)sqlite3_column_text(st, 3));
    ag->regiegebied = sql_col_text(a, st, 4);
    if (!status_parse((const char *)sqlite3_column_text(st, 5), &ag->status))
        ag->status = STATUS_DRAFT;
    ag->start = sql_col_date(st, 6);
    ag->end = sql_col_date(st, 7);
    ag->expected_start = sql_col_date(st, 8);
    ag->terminated_on = sql_col_date(st, 9);
    ag->terminated_by = sql_col_text(a, st, 10);
    ag->notes = sql_col_text(a, st, 11);
    ag->kind = sql_col_text(a, st, 12);
    ag->signed_on = sql_col_date(st, 13);
    ag->predecessor = sql_col_text(a, st, 14);
}

/* Fills ag from the agreement row the statement finds, and its children. */
static int read_agreement_row(store *s, sqlite3_stmt *st, arena *a, agreement *ag)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : -1;
    }
    fill_agreement(st, a, ag);
    sqlite3_reset(st);
    agreement_set one = {ag, 1};
    get_children(s, SCOPE_ONE, ag->version, a, &one);
    return 1;
}

#define AGREEMENT_COLUMNS                                                                                        \
    "vid, id, title, vdab_directorate, regiegebied, status, start, end_date, expected_start, terminated_on,"      \
    " terminated_by, notes, kind, signed_on, predecessor"

int store_get_agreement(store *s, int64_t known, const char *id, arena *a, agreement *ag)
{
    memset(ag, 0, sizeof *ag);
    sqlite3_stmt *st = sql_stmt(s, "SELECT " AGREEMENT_COLUMNS " FROM agreement WHERE id = ?2 AND " VISIBLE);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    sql_bind_text(st, 2, id);
    return read_agreement_row(s, st, a, ag);
}

static int by_agreement_id(const void *x, const void *y)
{
    return strcmp(((const agreement *)x)->id, ((const agreement *)y)->id);
}

int store_get_agreements(store *s, int64_t known, arena *a, agreement **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st = sql_stmt(s, "SELECT " AGREEMENT_COLUMNS " FROM agreement WHERE " VISIBLE " ORDER BY vid");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    int rc;
    agreement *rows = NULL; /* grown on the heap, kept in the arena at its final size */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rows = heap_grow(rows, &cap, *n + 1, sizeof *rows);
        fill_agreement(st, a, &rows[(*n)++]);
    }
    sqlite3_reset(st);
    if (*n) {
        *out = arena_alloc(a, *n * sizeof **out);
        memcpy(*out, rows, *n * sizeof **out);
    }
    free(rows);
    if (rc != SQLITE_DONE)
        return -1;
    agreement_set all = {*out, *n};
    get_children(s, SCOPE_ALL, known, a, &all);
    if (*n > 1)
        qsort(*out, *n, sizeof **out, by_agreement_id);
    return 0;
}

int store_agreement_versions(store *s, int64_t known, const char *id, arena *a, store_version **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st = sql_stmt(s, "SELECT c.id, c.moment, c.actor, c.action FROM agreement g"
                               " JOIN change c ON c.id = g.rec_from WHERE g.id = ?1 AND g.rec_from <= ?2"
                               " ORDER BY g.rec_from");
    if (!st)
        return -1;
    sql_bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, known);
    while (sqlite3_step(st) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        (*out)[(*n)++] =
            (store_version){sqlite3_column_int64(st, 0), sql_col_text(a, st, 1), sql_col_text(a, st, 2), sql_col_text(a, st, 3)};
    }
    sqlite3_reset(st);
    return 0;
}

int store_get_agreement_version(store *s, int64_t version, arena *a, agreement *ag)
{
    memset(ag, 0, sizeof *ag);
    sqlite3_stmt *st = sql_stmt(s, "SELECT " AGREEMENT_COLUMNS " FROM agreement WHERE vid = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, version);
    return read_agreement_row(s, st, a, ag);
}

/* uids carried by the elements of one new version: no two may share one */
typedef struct {
    int64_t *items;
    size_t count, cap;
} uid_set;

static bool uid_taken(const uid_set *u, int64_t uid)
{
    for (size_t i = 0; i < u->count; i++)
        if (u->items[i] == uid)
            return true;
    return false;
}

static int uid_take(uid_set *u, int64_t uid)
{
    if (u->count == u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 32;
        int64_t *p = realloc(u->items, cap * sizeof *p);
        if (!p)
            return -1;
        u->items = p;
        u->cap = cap;
    }
    u->items[u->count++] = uid;
    return 0;
}

/* Whether uid is an action or body (kind) of this agreement: a uid from a
 * form is only kept when it is. */
static bool uid_belongs(store *s, int64_t uid, const char *kind, const char *agreement_id)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT 1 FROM entity WHERE uid = ?1 AND kind = ?2 AND agreement = ?3");
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, uid);
    sql_bind_text(st, 2, kind);
    sql_bind_text(st, 3, agreement_id);
    bool yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

/* The uid of an action (body) that an earlier version of the agreement had,
 * last under this number (name), and that still carries current
 * evaluations (meetings): added again, the action (body) takes them back
 * (issue 9: a database from before may hold such follow-up, which no export
 * carries). 0 when there is none, -1 on an error. */
static int64_t orphan_uid(store *s, const char *kind, const char *agreement_id, const char *key)
{
    sqlite3_stmt *st =
        strcmp(kind, "action") == 0
            ? sql_stmt(s, "SELECT x.uid FROM action x JOIN agreement a ON a.vid = x.vid WHERE a.id = ?1 AND x.number = ?2"
                          " AND EXISTS (SELECT 1 FROM evaluation e WHERE e.action_uid = x.uid AND e.rec_until IS NULL)"
                          " AND NOT EXISTS (SELECT 1 FROM agreement l JOIN action y ON y.vid = l.vid"
                          "  WHERE l.id = ?1 AND l.vid > x.vid AND y.uid = x.uid AND y.number <> ?2)"
                          " ORDER BY x.vid DESC LIMIT 1")
            : sql_stmt(s, "SELECT x.uid FROM governance_body x JOIN agreement a ON a.vid = x.vid WHERE a.id = ?1"
                          " AND x.body = ?2"
                          " AND EXISTS (SELECT 1 FROM meeting m WHERE m.body_uid = x.uid AND m.rec_until IS NULL)"
                          " AND NOT EXISTS (SELECT 1 FROM agreement l JOIN governance_body y ON y.vid = l.vid"
                          "  WHERE l.id = ?1 AND l.vid > x.vid AND y.uid = x.uid AND y.body <> ?2)"
                          " ORDER BY x.vid DESC LIMIT 1");
    if (!st)
        return -1;
    sql_bind_text(st, 1, agreement_id);
    sql_bind_text(st, 2, key);
    int rc = sqlite3_step(st);
    int64_t uid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? uid : -1;
}

/* The uid an action (kind "action", key its number) or body (kind "body",
 * key its name) had in the current version of the agreement — unless an
 * element of the new version already carries it (a renumbered action whose
 * old number a new one takes) — or a new one. */
static int64_t entity_uid(store *s, const char *kind, const char *agreement_id, const char *key, const uid_set *taken)
{
    sqlite3_stmt *st = strcmp(kind, "action") == 0
                           ? sql_stmt(s, "SELECT x.uid FROM action x JOIN agreement a ON a.vid = x.vid"
                                     " WHERE a.id = ?1 AND a.rec_until IS NULL AND x.number = ?2")
                           : sql_stmt(s, "SELECT x.uid FROM governance_body x JOIN agreement a ON a.vid = x.vid"
                                     " WHERE a.id = ?1 AND a.rec_until IS NULL AND x.body = ?2");
    if (!st)
        return -1;
    sql_bind_text(st, 1, agreement_id);
    sql_bind_text(st, 2, key);
    int64_t uid = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (uid > 0 && !uid_taken(taken, uid))
        return uid;
    if (!uid && (uid = orphan_uid(s, kind, agreement_id, key)) != 0 && !uid_taken(taken, uid))
        return uid;
    if (uid < 0)
        return -1;
    st = sql_stmt(s, "INSERT INTO entity(kind, agreement) VALUES (?1, ?2)");
    if (!st)
        return -1;
    sql_bind_text(st, 1, kind);
    sql_bind_text(st, 2, agreement_id);
    return sql_run(st) ? -1 : sqlite3_last_insert_rowid(s->db);
}

/* Gives every action and body its uid: the one it carries when that is
 * really one of this agreement's and not carried twice, else as above. */
static int assign_uids(store *s, agreement *ag)
{
    uid_set taken = {0};
    int rc = 0;
    /* first the uids the elements carry (from a form), so lookups by number cannot hand them out again */
    for (size_t t = 0; t < ag->theme_count; t++)
        for (size_t d = 0; d < ag->themes[t].domain_count; d++)
            for (size_t k = 0; k < ag->themes[t].domains[d].action_count; k++) {
                action *x = &ag->themes[t].domains[d].actions[k];
                if (x->uid > 0 && (uid_taken(&taken, x->uid) || !uid_belongs(s, x->uid, "action", ag->id)))
                    x->uid = 0;
                if (x->uid > 0 && uid_take(&taken, x->uid))
                    rc = -1;
            }
    for (size_t b = 0; b < ag->body_count; b++) {
        governance_body *g = &ag->bodies[b];
        if (g->uid > 0 && (uid_taken(&taken, g->uid) || !uid_belongs(s, g->uid, "body", ag->id)))
            g->uid = 0;
        if (g->uid > 0 && uid_take(&taken, g->uid))
            rc = -1;
    }
    for (size_t t = 0; !rc && t < ag->theme_count; t++)
        for (size_t d = 0; !rc && d < ag->themes[t].domain_count; d++)
            for (size_t k = 0; !rc && k < ag->themes[t].domains[d].action_count; k++) {
                action *x = &ag->themes[t].domains[d].actions[k];
                if (x->uid <= 0 && ((x->uid = entity_uid(s, "action", ag->id, x->number, &taken)) < 0 ||
                                    uid_take(&taken, x->uid)))
                    rc = -1;
            }
    for (size_t b = 0; !rc && b < ag->body_count; b++) {
        governance_body *g = &ag->bodies[b];
        if (g->uid <= 0 &&
            ((g->uid = entity_uid(s, "body", ag->id, g->body, &taken)) < 0 || uid_take(&taken, g->uid)))
            rc = -1;
    }
    free(taken.items);
    return rc;
}

/* The sources of the agreement (party_position -1) or of one party. */
static int put_sources(store *s, int64_t vid, int64_t party_position, const source *list, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        sqlite3_stmt *st = sql_stmt(s, "INSERT INTO source(vid, party_position, position, url, quote, read_on)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, vid);
        sqlite3_bind_int64(st, 2, party_position);
        sqlite3_bind_int64(st, 3, (int64_t)k);
        sql_bind_text(st, 4, list[k].url);
        sql_bind_text(st, 5, list[k].quote);
        sql_bind_date(st, 6, list[k].read_on);
        if (sql_run(st))
            return -1;
    }
    return 0;
}

static int put_parties(store *s, int64_t vid, const agreement *ag)
{
    for (size_t i = 0; i < ag->party_count; i++) {
        const party *p = &ag->parties[i];
        sqlite3_stmt *st = sql_stmt(s, "INSERT INTO party(vid, position, municipality, organisation, approved_on,"
                                   " from_date, until_date, expected_from, left_reason)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, vid);
        sqlite3_bind_int64(st, 2, (int64_t)i);
        sql_bind_text(st, 3, p->municipality);
        sql_bind_text(st, 4, p->organisation);
        sql_bind_date(st, 5, p->approved_on);
        sql_bind_date(st, 6, p->from);
        sql_bind_date(st, 7, p->until);
        sql_bind_date(st, 8, p->expected_from);
        sql_bind_text(st, 9, p->left_reason);
        if (sql_run(st))
            return -1;
        for (size_t k = 0; k < p->signatory_count; k++) {
            st = sql_stmt(s, "INSERT INTO signatory(vid, party_position, position, name, function)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)");
            if (!st)
                return -1;
            sqlite3_bind_int64(st, 1, vid);
            sqlite3_bind_int64(st, 2, (int64_t)i);
            sqlite3_bind_int64(st, 3, (int64_t)k);
            sql_bind_text(st, 4, p->signatories[k].name);
            sql_bind_text(st, 5, p->signatories[k].function);
            if (sql_run(st))
                return -1;
        }
        for (size_t k = 0; k < p->decision_count; k++) {
            const party_decision *x = &p->decisions[k];
            st = sql_stmt(s, "INSERT INTO party_decision(vid, party_position, position, body, on_date, agenda_point,"
                             " url, approves) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
            if (!st)
                return -1;
            sqlite3_bind_int64(st, 1, vid);
            sqlite3_bind_int64(st, 2, (int64_t)i);
            sqlite3_bind_int64(st, 3, (int64_t)k);
            sql_bind_text(st, 4, x->body);
            sql_bind_date(st, 5, x->on);
            sql_bind_text(st, 6, x->agenda_point);
            sql_bind_text(st, 7, x->url);
            sqlite3_bind_int(st, 8, x->approves ? 1 : 0);
            if (sql_run(st))
                return -1;
        }
        if (put_sources(s, vid, (int64_t)i, p->sources, p->source_count))
            return -1;
    }
    return put_sources(s, vid, -1, ag->sources, ag->source_count);
}

static int put_action(store *s, int64_t vid, size_t t, size_t d, size_t k, const action *x)
{
    sqlite3_stmt *st = sql_stmt(s, "INSERT INTO action(vid, theme_position, domain_position, position, uid, number,"
                               " title, lead, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_int64(st, 2, (int64_t)t);
    sqlite3_bind_int64(st, 3, (int64_t)d);
    sqlite3_bind_int64(st, 4, (int64_t)k);
    sqlite3_bind_int64(st, 5, x->uid);
    sql_bind_text(st, 6, x->number);
    sql_bind_text(st, 7, x->title);
    sql_bind_text(st, 8, x->lead);
    sql_bind_text(st, 9, x->status);
    return sql_run(st);
}

static int put_action_plan(store *s, int64_t vid, agreement *ag)
{
    for (size_t t = 0; t < ag->theme_count; t++) {
        theme *th = &ag->themes[t];
        sqlite3_stmt *st = sql_stmt(s, "INSERT INTO theme(vid, position, title) VALUES (?1, ?2, ?3)");
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, vid);
        sqlite3_bind_int64(st, 2, (int64_t)t);
        sql_bind_text(st, 3, th->title);
        if (sql_run(st))
            return -1;
        for (size_t d = 0; d < th->domain_count; d++) {
            action_domain *dom = &th->domains[d];
            st = sql_stmt(s, "INSERT INTO action_domain(vid, theme_position, position, number, title)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)");
            if (!st)
                return -1;
            sqlite3_bind_int64(st, 1, vid);
            sqlite3_bind_int64(st, 2, (int64_t)t);
            sqlite3_bind_int64(st, 3, (int64_t)d);
            sql_bind_text(st, 4, dom->number);
            sql_bind_text(st, 5, dom->title);
            if (sql_run(st))
                return -1;
            for (size_t k = 0; k < dom->action_count; k++)
                if (put_action(s, vid, t, d, k, &dom->actions[k]))
                    return -1;
        }
    }
    return 0;
}

static int put_governance(store *s, int64_t vid, agreement *ag)
{
    for (size_t b = 0; b < ag->body_count; b++) {
        governance_body *g = &ag->bodies[b];
        sqlite3_stmt *st = sql_stmt(s, "INSERT INTO governance_body(vid, position, uid, body, convener, min_meetings,"
                                   " per_years) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, vid);
        sqlite3_bind_int64(st, 2, (int64_t)b);
        sqlite3_bind_int64(st, 3, g->uid);
        sql_bind_text(st, 4, g->body);
        sql_bind_text(st, 5, g->convener);
        sql_bind_positive(st, 6, g->min_meetings);
        sql_bind_positive(st, 7, g->per_years);
        if (sql_run(st))
            return -1;
        for (size_t m = 0; m < g->member_count; m++) {
            st = sql_stmt(s, "INSERT INTO body_member(vid, body_position, position, name, function, organisation)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
            if (!st)
                return -1;
            sqlite3_bind_int64(st, 1, vid);
            sqlite3_bind_int64(st, 2, (int64_t)b);
            sqlite3_bind_int64(st, 3, (int64_t)m);
            sql_bind_text(st, 4, g->members[m].name);
            sql_bind_text(st, 5, g->members[m].function);
            sql_bind_text(st, 6, g->members[m].organisation);
            if (sql_run(st))
                return -1;
        }
    }
    return 0;
}

int store_put_agreement(store *s, int64_t change, agreement *ag)
{
    /* uids are looked up in the current version, so before superseding it */
    if (assign_uids(s, ag))
        return -1;
    if (supersede(sql_stmt(s, "UPDATE agreement SET rec_until = ?1 WHERE id = ?2 AND rec_until IS NULL"), change,
                  ag->id))
        return -1;
    sqlite3_stmt *st = sql_stmt(s, "INSERT INTO agreement(id, title, vdab_directorate, regiegebied, status, start,"
                               " end_date, expected_start, terminated_on, terminated_by, notes, rec_from, kind,"
                               " signed_on, predecessor)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    if (!st)
        return -1;
    sql_bind_text(st, 1, ag->id);
    sql_bind_text(st, 2, ag->title);
    sql_bind_text(st, 3, province_name(ag->vdab_directorate));
    sql_bind_text(st, 4, ag->regiegebied);
    sql_bind_text(st, 5, status_name(ag->status));
    sql_bind_date(st, 6, ag->start);
    sql_bind_date(st, 7, ag->end);
    sql_bind_date(st, 8, ag->expected_start);
    sql_bind_date(st, 9, ag->terminated_on);
    sql_bind_text(st, 10, ag->terminated_by);
    sql_bind_text(st, 11, ag->notes);
    sqlite3_bind_int64(st, 12, change);
    sql_bind_text(st, 13, ag->kind);
    sql_bind_date(st, 14, ag->signed_on);
    sql_bind_text(st, 15, ag->predecessor);
    if (sql_run(st))
        return -1;
    int64_t vid = sqlite3_last_insert_rowid(s->db);
    if (put_parties(s, vid, ag) || put_action_plan(s, vid, ag) || put_governance(s, vid, ag))
        return -1;
    return 0;
}

/* ---- the report view -------------------------------------------------- */

int nis_code(const char *nis)
{
    if (!nis)
        return -1;
    int v = 0;
    for (int i = 0; i < 5; i++) {
        if (nis[i] < '0' || nis[i] > '9')
            return -1;
        v = v * 10 + (nis[i] - '0');
    }
    return nis[5] == '\0' ? v : -1;
}

static int load_map(store *s, register_view *v)
{
    arena *a = v->arena;
    rules_map_init(&v->map, NIS_CODES);
    size_t cap = 0, n = 0;
    view_municipality *rows = NULL;
    sqlite3_stmt *st = sql_stmt(s, "SELECT nis, name, province, valid_from, valid_to FROM municipality"
                               " WHERE " VISIBLE " ORDER BY nis, valid_from");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, v->known);
    while (sqlite3_step(st) == SQLITE_ROW) {
        rows = arena_grow(a, rows, &cap, n + 1, sizeof *rows);
        view_municipality *m = &rows[n++];
        *m = (view_municipality){sql_col_text(a, st, 0), sql_col_text(a, st, 1),
                                 province_parse((const char *)sqlite3_column_text(st, 2)), sql_col_date(st, 3),
                                 sql_col_date(st, 4)};
        if (rules_map_add(&v->map, nis_code(m->nis), m->province, m->valid_from, m->valid_to))
            return -1;
    }
    sqlite3_reset(st);
    st = sql_stmt(s, "SELECT old_nis, new_nis, effective FROM merger WHERE " VISIBLE);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, v->known);
    while (sqlite3_step(st) == SQLITE_ROW)
        rules_map_merger(&v->map, nis_code((const char *)sqlite3_column_text(st, 0)),
                         nis_code((const char *)sqlite3_column_text(st, 1)), sql_col_date(st, 2));
    sqlite3_reset(st);
    if (rules_map_finish(&v->map))
        return -1;
    /* the rows came sorted as the map sorts, by code then valid_from */
    v->municipalities = rows;
    register_view_rank_names(v);
    return 0;
}

typedef struct {
    const char *name;
    uint32_t identity;
} named_identity;

static int by_name_then_identity(const void *x, const void *y)
{
    const named_identity *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->identity > b->identity) - (a->identity < b->identity);
}

/* Once per version: 26 ms for the 100,000 names of bench/'s register; the
 * annex is then made in order and the footnotes sort by an integer instead
 * of strcmp. */
void register_view_rank_names(register_view *v)
{
    size_t n = v->map.count;
    named_identity *order = malloc((n ? n : 1) * sizeof *order);
    v->name_rank = arena_alloc(v->arena, (n ? n : 1) * sizeof *v->name_rank);
    v->by_name = arena_alloc(v->arena, (n ? n : 1) * sizeof *v->by_name);
    if (!order) {
        fputs(_("somon: out of memory\n"), stderr);
        abort();
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (named_identity){v->municipalities[i].name, (uint32_t)i};
    qsort(order, n, sizeof *order, by_name_then_identity);
    for (size_t i = 0; i < n; i++) {
        v->name_rank[order[i].identity] = (uint32_t)i;
        v->by_name[i] = order[i].identity;
    }
    free(order);
}

static int load_regions(store *s, register_view *v)
{
    size_t cap = 0, rcap = 0;
    sqlite3_stmt *st = sql_stmt(s, "SELECT id, name, province, valid_from, valid_until FROM regiegebied"
                               " WHERE " VISIBLE " ORDER BY id");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, v->known);
    while (sqlite3_step(st) == SQLITE_ROW) {
        v->regions = arena_grow(v->arena, v->regions, &cap, v->region_count + 1, sizeof *v->regions);
        v->rules_regions = arena_grow(v->arena, v->rules_regions, &rcap, v->region_count + 1,
                                      sizeof *v->rules_regions);
        v->regions[v->region_count] = (view_region){sql_col_text(v->arena, st, 0), sql_col_text(v->arena, st, 1)};
        v->rules_regions[v->region_count++] =
            (rules_region){province_parse((const char *)sqlite3_column_text(st, 2)), sql_col_date(st, 3), sql_col_date(st, 4)};
    }
    sqlite3_reset(st);
    return 0;
}

const char *view_municipality_name(const register_view *v, const char *nis)
{
    int code = nis_code(nis);
    if (code < 0 || code >= (int)v->map.code_total || v->map.code_first[code] < 0)
        return NULL;
    return v->municipalities[v->map.code_first[code] + v->map.code_count[code] - 1].name;
}

const char *store_municipality_name(store *s, arena *a, const char *nis)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT name FROM municipality WHERE nis = ?1 AND rec_until IS NULL"
                                   " ORDER BY valid_from DESC LIMIT 1");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, nis, -1, SQLITE_STATIC);
    const char *name = sqlite3_step(st) == SQLITE_ROW ? sql_col_text(a, st, 0) : NULL;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return name;
}

int view_region_index(const register_view *v, const char *id)
{
    size_t lo = 0, hi = v->region_count;
    while (id && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v->regions[mid].id, id);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The council decisions of the visible parties, for the annex: one text per
 * party that has any. vids: the agreements' versions, ascending. */
static int load_party_decisions(store *s, register_view *v, const int64_t *vids)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT d.vid, d.party_position, d.body, d.on_date, d.approves FROM party_decision d"
                                   " JOIN agreement g ON g.vid = d.vid WHERE g." VISIBLE
                                   " ORDER BY d.vid, d.party_position, d.position");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, v->known);
    size_t k = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t vid = sqlite3_column_int64(st, 0);
        int pp = sqlite3_column_int(st, 1);
        while (k < v->agreement_count && vids[k] < vid)
            k++;
        if (k == v->agreement_count)
            break;
        if (vids[k] != vid || pp < 0 || pp >= v->rules_agreements[k].party_count)
            continue;
        if (!v->party_decisions)
            v->party_decisions = arena_calloc(v->arena, v->party_count + 1, sizeof *v->party_decisions);
        const char **text = &v->party_decisions[v->agreements[k].first_party + pp];
        char day[DATE_NL_LEN];
        date_t on = sql_col_date(st, 3);
        *text = arena_printf(v->arena, "%s%s%s %s%s", *text ? *text : "", *text ? "; " : "",
                             (const char *)sqlite3_column_text(st, 2), date_format_nl(on, day),
                             sqlite3_column_int(st, 4) ? "" : " (niet goedgekeurd)");
    }
    sqlite3_reset(st);
    return 0;
}

/* Whether url is one of the " | "-joined addresses of text. */
static bool listed(const char *text, const char *url)
{
    size_t n = strlen(url);
    for (const char *t = text; t && *t;) {
        const char *end = strstr(t, " | ");
        size_t len = end ? (size_t)(end - t) : strlen(t);
        if (len == n && memcmp(t, url, n) == 0)
            return true;
        t = end ? end + 3 : t + len;
    }
    return false;
}

/* The addresses of the sources of each visible agreement and its parties,
 * the agreement's first (party_position -1), each address once. vids: the
 * agreements' versions, ascending. */
static int load_agreement_sources(store *s, register_view *v, const int64_t *vids)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT x.vid, x.url, x.party_position, x.quote, x.read_on FROM source x"
                                   " JOIN agreement g ON g.vid = x.vid WHERE g." VISIBLE
                                   " ORDER BY x.vid, x.party_position, x.position");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, v->known);
    size_t k = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t vid = sqlite3_column_int64(st, 0);
        while (k < v->agreement_count && vids[k] < vid)
            k++;
        if (k == v->agreement_count)
            break;
        const char *url = (const char *)sqlite3_column_text(st, 1);
        if (vids[k] != vid || !url)
            continue;
        if (!v->agreement_sources) {
            v->agreement_sources = arena_calloc(v->arena, v->agreement_count + 1, sizeof *v->agreement_sources);
            v->own_sources = arena_calloc(v->arena, v->agreement_count + 1, sizeof *v->own_sources);
        }
        const char **text = &v->agreement_sources[k];
        if (!listed(*text, url))
            *text = arena_printf(v->arena, "%s%s%s", *text ? *text : "", *text ? " | " : "", url);
        if (sqlite3_column_int(st, 2) < 0) {
            view_sources *own = &v->own_sources[k];
            own->items = arena_grow(v->arena, own->items, &own->cap, own->count + 1, sizeof *own->items);
            own->items[own->count++] =
                (source){arena_strdup(v->arena, url), sql_col_text(v->arena, st, 3), sql_col_date(st, 4)};
        }
    }
    sqlite3_reset(st);
    return 0;
}

static int load_agreements(store *s, register_view *v)
{
    arena *a = v->arena;
    size_t cap = 0, rcap = 0;
    int64_t *vids = NULL;
    size_t vcap = 0;
    sqlite3_stmt *st = sql_stmt(s, "SELECT vid, id, title, regiegebied, vdab_directorate, status, start, end_date,"
                               " expected_start, terminated_on, kind, signed_on, predecessor FROM agreement WHERE " VISIBLE
                               " ORDER BY vid");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, v->known);
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t i = v->agreement_count++;
        v->agreements = arena_grow(a, v->agreements, &cap, i + 1, sizeof *v->agreements);
        v->rules_agreements = arena_grow(a, v->rules_agreements, &rcap, i + 1, sizeof *v->rules_agreements);
        vids = arena_grow(a, vids, &vcap, i + 1, sizeof *vids);
        vids[i] = sqlite3_column_int64(st, 0);
        view_agreement *va = &v->agreements[i];
        *va = (view_agreement){sql_col_text(a, st, 1), sql_col_text(a, st, 2), sql_col_text(a, st, 3),
                               province_parse((const char *)sqlite3_column_text(st, 4)), 0,
                               sql_col_text(a, st, 10), sql_col_date(st, 11), sql_col_text(a, st, 12)};
        rules_agreement *ra = &v->rules_agreements[i];
        agreement_status status = STATUS_DRAFT;
        status_parse((const char *)sqlite3_column_text(st, 5), &status);
        *ra = (rules_agreement){status, sql_col_date(st, 6), sql_col_date(st, 7), sql_col_date(st, 8), sql_col_date(st, 9),
                                view_region_index(v, va->regiegebied), NULL, 0};
    }
    sqlite3_reset(st);
    /* Parties of the visible versions, in vid order like the agreements. */
    rcap = 0;
    size_t k = 0;
    st = sql_stmt(s, "SELECT p.vid, p.municipality, p.from_date, p.until_date, p.expected_from, p.approved_on"
                 " FROM party p JOIN agreement g ON g.vid = p.vid WHERE g." VISIBLE " ORDER BY p.vid, p.position");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, v->known);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t vid = sqlite3_column_int64(st, 0);
        while (k < v->agreement_count && vids[k] < vid)
            k++;
        if (k == v->agreement_count)
            break;
        size_t i = v->party_count++;
        v->rules_parties = arena_grow(a, v->rules_parties, &rcap, i + 1, sizeof *v->rules_parties);
        const char *nis = (const char *)sqlite3_column_text(st, 1);
        v->rules_parties[i] = (rules_party){nis ? nis_code(nis) : -1, sql_col_date(st, 2), sql_col_date(st, 3),
                                            sql_col_date(st, 4), sql_col_date(st, 5)};
        if (v->rules_agreements[k].party_count++ == 0)
            v->agreements[k].first_party = (int)i;
    }
    sqlite3_reset(st);
    /* the arrays moved while growing: point the agreements at their parties now */
    for (size_t i = 0; i < v->agreement_count; i++)
        v->rules_agreements[i].parties = v->rules_parties + v->agreements[i].first_party;
    return load_party_decisions(s, v, vids) || load_agreement_sources(s, v, vids) ? -1 : 0;
}

int store_load_view(store *s, int64_t known, register_view *v)
{
    memset(v, 0, sizeof *v);
    v->arena = arena_new();
    v->known = known;
    if (load_map(s, v) || load_regions(s, v) || load_agreements(s, v) || store_get_notice(s, known, &v->notice)) {
        register_view_free(v);
        return -1;
    }
    return 0;
}

void register_view_free(register_view *v)
{
    rules_map_free(&v->map);
    arena_free(v->arena);
    memset(v, 0, sizeof *v);
}

/* ---- accounts --------------------------------------------------------- */

static void read_account(arena *a, sqlite3_stmt *st, store_account *out)
{
    *out = (store_account){sqlite3_column_int64(st, 0), sql_col_text(a, st, 1), sql_col_text(a, st, 2), sql_col_text(a, st, 3),
                           sql_col_text(a, st, 4), sqlite3_column_int(st, 5) != 0, sqlite3_column_int64(st, 6)};
}

/* The account's version is `updated`, the change that wrote it last: every
 * write sets it (store_account_add, store_account_update), so no schema
 * change was needed for versioned account forms. */
#define ACCOUNT_COLUMNS "id, login, role, scope, password_hash, disabled, updated"

int store_account_get(store *s, const char *login, int64_t id, arena *a, store_account *out)
{
    sqlite3_stmt *st = login ? sql_stmt(s, "SELECT " ACCOUNT_COLUMNS " FROM account WHERE login = ?1")
                             : sql_stmt(s, "SELECT " ACCOUNT_COLUMNS " FROM account WHERE id = ?2");
    if (!st)
        return -1;
    sql_bind_text(st, 1, login);
    sqlite3_bind_int64(st, 2, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_account(a, st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int store_accounts(store *s, arena *a, store_account **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st = sql_stmt(s, "SELECT " ACCOUNT_COLUMNS " FROM account ORDER BY login");
    if (!st)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        read_account(a, st, &(*out)[(*n)++]);
    }
    sqlite3_reset(st);
    return 0;
}

int store_account_add(store *s, int64_t change, const char *login, const char *role, const char *scope,
                      const char *password_hash)
{
    sqlite3_stmt *st = sql_stmt(s, "INSERT INTO account(login, role, scope, password_hash, created, updated)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
    if (!st)
        return -1;
    sql_bind_text(st, 1, login);
    sql_bind_text(st, 2, role);
    sql_bind_text(st, 3, scope ? scope : "");
    sql_bind_text(st, 4, password_hash);
    sqlite3_bind_int64(st, 5, change);
    return sql_run(st);
}

int store_account_update(store *s, int64_t change, const char *login, const char *role, const char *scope,
                         const char *password_hash, int disabled)
{
    /* NULL (or -1 for disabled) keeps the value */
    sqlite3_stmt *st = sql_stmt(s, "UPDATE account SET role = coalesce(?2, role), scope = coalesce(?3, scope),"
                               " password_hash = coalesce(?4, password_hash),"
                               " disabled = CASE WHEN ?5 < 0 THEN disabled ELSE ?5 END, updated = ?6 WHERE login = ?1");
    if (!st)
        return -1;
    sql_bind_text(st, 1, login);
    sql_bind_text(st, 2, role);
    sql_bind_text(st, 3, scope);
    sql_bind_text(st, 4, password_hash);
    sqlite3_bind_int(st, 5, disabled);
    sqlite3_bind_int64(st, 6, change);
    if (sql_run(st))
        return -1;
    return sqlite3_changes(s->db) == 1 ? 0 : -1;
}

int store_active_admins(store *s, int64_t *n)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT count(*) FROM account WHERE role = 'admin' AND disabled = 0");
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* ---- sessions ----------------------------------------------------------- */

int store_session_add(store *s, const unsigned char hash[32], int64_t account, const char *csrf, int64_t now)
{
    sqlite3_stmt *st = sql_stmt(s, "INSERT INTO session(token_hash, account, csrf, created, last_seen)"
                               " VALUES (?1, ?2, ?3, ?4, ?4)");
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, account);
    sql_bind_text(st, 3, csrf);
    sqlite3_bind_int64(st, 4, now);
    return sql_run(st);
}

int store_session_get(store *s, const unsigned char hash[32], arena *a, store_session *out)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT account, csrf, created, last_seen, ended FROM session WHERE token_hash = ?1");
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (store_session){sqlite3_column_int64(st, 0), sql_col_text(a, st, 1), sqlite3_column_int64(st, 2),
                               sqlite3_column_int64(st, 3),
                               sqlite3_column_type(st, 4) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 4)};
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int store_session_touch(store *s, const unsigned char hash[32], int64_t now)
{
    sqlite3_stmt *st = sql_stmt(s, "UPDATE session SET last_seen = ?2 WHERE token_hash = ?1 AND ended IS NULL");
    if (!st)
        return -1;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    return sql_run(st);
}

int store_session_end(store *s, const unsigned char *hash, int64_t account, int64_t now)
{
    sqlite3_stmt *st = hash ? sql_stmt(s, "UPDATE session SET ended = ?3 WHERE token_hash = ?1 AND ended IS NULL")
                            : sql_stmt(s, "UPDATE session SET ended = ?3 WHERE account = ?2 AND ended IS NULL");
    if (!st)
        return -1;
    if (hash)
        sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, account);
    sqlite3_bind_int64(st, 3, now);
    return sql_run(st);
}

/* ---- failed logins ------------------------------------------------------ */

int store_login_failure_add(store *s, const char *login, const char *address, int64_t now)
{
    sqlite3_stmt *st = sql_stmt(s, "INSERT INTO login_failure(login, address, moment) VALUES (?1, ?2, ?3)");
    if (!st)
        return -1;
    sql_bind_text(st, 1, login);
    sql_bind_text(st, 2, address);
    sqlite3_bind_int64(st, 3, now);
    return sql_run(st);
}

int store_login_failures(store *s, const char *key_column_login, const char *value, int64_t since, int *count,
                         int64_t *last)
{
    sqlite3_stmt *st = key_column_login
                           ? sql_stmt(s, "SELECT count(*), coalesce(max(moment), 0) FROM login_failure"
                                     " WHERE login = ?1 AND moment >= ?2")
                           : sql_stmt(s, "SELECT count(*), coalesce(max(moment), 0) FROM login_failure"
                                     " WHERE address = ?1 AND moment >= ?2");
    if (!st)
        return -1;
    sql_bind_text(st, 1, value);
    sqlite3_bind_int64(st, 2, since);
    int rc = sqlite3_step(st);
    *count = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    *last = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int store_login_failures_clear(store *s, const char *login)
{
    sqlite3_stmt *st = sql_stmt(s, "DELETE FROM login_failure WHERE login = ?1");
    if (!st)
        return -1;
    sql_bind_text(st, 1, login);
    return sql_run(st);
}

int store_login_failures_forget(store *s, int64_t before)
{
    sqlite3_stmt *st = sql_stmt(s, "DELETE FROM login_failure WHERE moment < ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, before);
    return sql_run(st);
}

int store_exec(store *s, const char *sql) { return exec(s, sql); }

/* ---- the list of changes (page_history.c, cli_admin.c) ------------------ */

static void read_change(arena *a, sqlite3_stmt *st, store_change *out)
{
    *out = (store_change){sqlite3_column_int64(st, 0), sql_col_text(a, st, 1), sql_col_text(a, st, 2), sql_col_text(a, st, 3),
                          sql_col_text(a, st, 4)};
}

/* NULL parameters do not filter; ?7 = 0 leaves out account changes. */
#define CHANGE_FILTER                                                                                            \
    " WHERE id <= ?1 AND (?2 IS NULL OR id IN (SELECT rec_from FROM agreement WHERE id = ?2))"                  \
    " AND (?3 IS NULL OR action = ?3) AND (?4 IS NULL OR actor = ?4) AND (?5 IS NULL OR moment >= ?5)"        \
    " AND (?6 IS NULL OR moment < ?6) AND (?7 OR action <> 'account')"

static void bind_change_filter(sqlite3_stmt *st, const store_change_filter *f)
{
    sqlite3_bind_int64(st, 1, f->known);
    sql_bind_text(st, 2, f->agreement);
    sql_bind_text(st, 3, f->action);
    sql_bind_text(st, 4, f->actor);
    sql_bind_text(st, 5, f->from);
    sql_bind_text(st, 6, f->until);
    sqlite3_bind_int(st, 7, f->accounts);
}

int store_changes(store *s, const store_change_filter *f, int64_t offset, int64_t limit, arena *a, store_change **out,
                  size_t *n, int64_t *total)
{
    *out = NULL;
    *n = 0;
    *total = 0;
    sqlite3_stmt *st = sql_stmt(s, "SELECT count(*) FROM change" CHANGE_FILTER);
    if (!st)
        return -1;
    bind_change_filter(st, f);
    int rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return -1;
    st = sql_stmt(s, "SELECT id, moment, actor, action, detail FROM change" CHANGE_FILTER
                 " ORDER BY id DESC LIMIT ?8 OFFSET ?9");
    if (!st)
        return -1;
    bind_change_filter(st, f);
    sqlite3_bind_int64(st, 8, limit);
    sqlite3_bind_int64(st, 9, offset);
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        read_change(a, st, &(*out)[(*n)++]);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_change_get(store *s, int64_t id, arena *a, store_change *out)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT id, moment, actor, action, detail FROM change WHERE id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_change(a, st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int store_account_changes(store *s, const char *login, int64_t after, arena *a, store_change **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    /* the word after the verb is the login (logins have no spaces) */
    sqlite3_stmt *st = sql_stmt(s, "SELECT id, moment, actor, action, detail FROM change"
                                   " WHERE action = 'account' AND id > ?2 AND instr(detail, ' ') > 0"
                                   " AND substr(detail || ' ', instr(detail, ' ') + 1, length(?1) + 1) = ?1 || ' '"
                                   " ORDER BY id");
    if (!st)
        return -1;
    sql_bind_text(st, 1, login);
    sqlite3_bind_int64(st, 2, after);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        read_change(a, st, &(*out)[(*n)++]);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int by_change_then_agreement(const void *p, const void *q)
{
    const store_written *x = p, *y = q;
    if (x->change != y->change)
        return x->change > y->change ? -1 : 1;
    return strcmp(x->agreement, y->agreement);
}

/* There is no index on agreement.rec_from, so the versions of all the
 * changes asked for come from one pass over their range of ids (or, for one
 * agreement, from its index) rather than one pass per change. */
int store_change_versions(store *s, const int64_t *changes, size_t count, const char *only, size_t cap, arena *a,
                          store_written **out, size_t *n, size_t *totals)
{
    *out = NULL;
    *n = 0;
    if (!count)
        return 0;
    int64_t lo = changes[0], hi = changes[0];
    for (size_t i = 0; i < count; i++) {
        totals[i] = 0;
        lo = changes[i] < lo ? changes[i] : lo;
        hi = changes[i] > hi ? changes[i] : hi;
    }
    sqlite3_stmt *st = only ? sql_stmt(s, "SELECT rec_from, id, vid FROM agreement WHERE id = ?3"
                                      " AND rec_from BETWEEN ?1 AND ?2")
                            : sql_stmt(s, "SELECT rec_from, id, vid FROM agreement WHERE rec_from BETWEEN ?1 AND ?2");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    sql_bind_text(st, 3, only);
    size_t have = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t change = sqlite3_column_int64(st, 0);
        size_t i = 0;
        while (i < count && changes[i] != change)
            i++;
        if (i == count || ++totals[i] > cap)
            continue;
        *out = arena_grow(a, *out, &have, *n + 1, sizeof **out);
        (*out)[(*n)++] = (store_written){change, sql_col_text(a, st, 1), sqlite3_column_int64(st, 2), 0};
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    /* the version each one superseded: the one before it with the same id */
    st = sql_stmt(s, "SELECT coalesce(max(vid), 0) FROM agreement WHERE id = ?1 AND vid < ?2");
    if (!st)
        return -1;
    for (size_t k = 0; k < *n; k++) {
        sql_bind_text(st, 1, (*out)[k].agreement);
        sqlite3_bind_int64(st, 2, (*out)[k].version);
        rc = sqlite3_step(st);
        (*out)[k].previous = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
            return -1;
    }
    if (*n > 1)
        qsort(*out, *n, sizeof **out, by_change_then_agreement);
    return 0;
}

/* ---- backups ------------------------------------------------------------- */

/* Runs a backup from src to dst to the end, waiting while the source is
 * busy (a writer checkpointing, say): a single step copies every page within
 * one read transaction, so the copy is the database as of one commit. */
static int copy_database(sqlite3 *dst, sqlite3 *src)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b)
        return sqlite3_errcode(dst);
    int rc;
    for (int tries = 0; (rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED; tries++) {
        if (tries == 200)
            break;
        sqlite3_sleep(25);
    }
    int end = sqlite3_backup_finish(b);
    return rc == SQLITE_DONE ? end : rc;
}

/* A one-row, one-column query on a connection of its own. */
static int query_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, size, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
    else if (size)
        *out = '\0';
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Opens a database read-only and checks that it is a somon database (of any
 * schema). Returns a sysexits code, with one malloc'd line in *err. */
static int open_somon_file(const char *path, sqlite3 **db, char **err)
{
    struct stat sb;
    *db = NULL;
    if (stat(path, &sb) != 0) {
        *err = message("%s: %s", path, strerror(errno));
        return errno == ENOENT ? EX_NOINPUT : EX_IOERR;
    }
    if (!S_ISREG(sb.st_mode)) {
        *err = message(_("%s is not a file"), path, NULL);
        return EX_DATAERR;
    }
    if (sb.st_size == 0) {
        *err = message(_("%s is empty, not a somon database"), path, NULL);
        return EX_DATAERR;
    }
    char value[32];
    int rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(*db, 5000);
        rc = query_text(*db, "PRAGMA application_id", value, sizeof value);
    }
    if (rc == SQLITE_NOTADB) {
        *err = message(_("%s is not a somon database: not an SQLite file"), path, NULL);
        return EX_DATAERR;
    }
    if (rc != SQLITE_OK) {
        *err = message(_("cannot read %s: %s"), path, *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
        return EX_IOERR;
    }
    if (strtol(value, NULL, 10) != SOMON_APPLICATION_ID) {
        *err = message(_("%s is an SQLite file but not a somon database (application_id is not 0x534f4d4e)"), path,
                       NULL);
        return EX_DATAERR;
    }
    return 0;
}

int store_backup(const char *db, const char *path, char **err)
{
    *err = NULL;
    sqlite3 *src, *dst = NULL;
    int code = open_somon_file(db, &src, err);
    if (code) {
        sqlite3_close(src);
        return code;
    }
    int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    code = rc == SQLITE_OK ? 0 : EX_CANTCREAT;
    if (rc == SQLITE_OK && (rc = copy_database(dst, src)) != SQLITE_OK)
        code = (rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY ? EX_CANTCREAT : EX_IOERR;
    /* the copy is a file on its own: no -wal beside it */
    if (rc == SQLITE_OK && (rc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL)) != SQLITE_OK)
        code = EX_IOERR;
    if (rc != SQLITE_OK)
        *err = message(_("cannot write a copy to %s: %s"), path, dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
    if (sqlite3_close(dst) != SQLITE_OK && !code) {
        *err = message(_("cannot close the copy %s%s"), path, NULL);
        code = EX_IOERR;
    }
    sqlite3_close(src);
    return code;
}

/* ---- the schema of a file -------------------------------------------------------- */

typedef struct {
    char *type, *name, *table, *sql;
} schema_object;

/* Every object of db's schema (sqlite_schema: type, name, tbl_name, sql),
 * by type and name, in a. */
static int schema_objects(sqlite3 *db, arena *a, schema_object **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema"
                                    " ORDER BY type COLLATE BINARY, name COLLATE BINARY", -1, &st, NULL);
    size_t cap = 0;
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        (*out)[(*n)++] = (schema_object){sql_col_text(a, st, 0), sql_col_text(a, st, 1), sql_col_text(a, st, 2),
                                         sql_col_text(a, st, 3)};
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

static int by_type_and_name(const schema_object *x, const schema_object *y)
{
    int c = strcmp(x->type ? x->type : "", y->type ? y->type : "");
    return c ? c : strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

/* What differs between the schema of db (at its version) and the one the
 * migrations up to that version create, as one line in a; NULL when they
 * are the same. A restored file runs what its schema holds (a trigger fires
 * on the server's writes), so anything but somon's own schema is refused. */
static const char *schema_difference(sqlite3 *db, int version, arena *a)
{
    sqlite3 *ref = NULL;
    int rc = sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    for (int v = 0; rc == SQLITE_OK && v < version; v++)
        rc = sqlite3_exec(ref, MIGRATIONS[v], NULL, NULL, NULL);
    schema_object *want = NULL, *have = NULL;
    size_t nwant = 0, nhave = 0;
    if (rc != SQLITE_OK || schema_objects(ref, a, &want, &nwant) || schema_objects(db, a, &have, &nhave)) {
        sqlite3_close(ref);
        return arena_printf(a, "its schema cannot be compared with somon's (%s)", sqlite3_errmsg(db));
    }
    sqlite3_close(ref);
    char *told = arena_strdup(a, "");
    size_t count = 0, i = 0, k = 0;
    while (i < nhave || k < nwant) {
        int c = i == nhave ? 1 : k == nwant ? -1 : by_type_and_name(&have[i], &want[k]);
        const char *what = NULL;
        if (c < 0) {
            what = arena_printf(a, "an extra %s '%s' on %s", have[i].type, arena_clip(a, have[i].name, 60),
                                arena_clip(a, have[i].table, 60));
            i++;
        } else if (c > 0) {
            what = arena_printf(a, "no %s '%s'", want[k].type, want[k].name);
            k++;
        } else {
            if (strcmp(have[i].table, want[k].table) != 0 || strcmp(have[i].sql, want[k].sql) != 0)
                what = arena_printf(a, "%s '%s' differs from somon's", want[k].type, want[k].name);
            i++;
            k++;
        }
        if (what && count++ < 5)
            told = arena_printf(a, "%s%s%s", told, *told ? "; " : "", what);
    }
    if (!count)
        return NULL;
    return count > 5 ? arena_printf(a, "%s; and %zu more", told, count - 5) : told;
}

int store_inspect(const char *path, store_file_info *out, char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    sqlite3 *db;
    int code = open_somon_file(path, &db, err);
    char value[256];
    if (code) {
        /* told */
    } else if (query_text(db, "PRAGMA user_version", value, sizeof value) != SQLITE_OK ||
               (out->schema = atoi(value)) < 1) {
        *err = message(_("%s is not a somon database (no schema version)"), path, NULL);
        code = EX_DATAERR;
    } else if (out->schema > STORE_SCHEMA_VERSION) {
        char detail[96];
        snprintf(detail, sizeof detail, "schema %d; this somon knows up to %d", out->schema, STORE_SCHEMA_VERSION);
        *err = message(_("%s was written by a newer version of somon (%s); upgrade somon first"), path, detail);
        code = EX_DATAERR;
    } else {
        int rc = query_text(db, "PRAGMA integrity_check", value, sizeof value);
        if (rc != SQLITE_OK || strcmp(value, "ok") != 0) {
            for (char *c = value; *c; c++) /* its report spans lines: keep it on one */
                *c = *c == '\n' ? ' ' : *c;
            *err = message(_("%s fails PRAGMA integrity_check: %s"), path, rc == SQLITE_OK ? value : sqlite3_errmsg(db));
            code = EX_DATAERR;
        }
    }
    if (!code) {
        arena *a = arena_new();
        const char *differs = schema_difference(db, out->schema, a);
        if (differs) {
            *err = message(_("%s is not a database as somon makes it: %s; restore only copies made by 'somon backup'"),
                           path, arena_printf(a, "%s (schema %d)", differs, out->schema));
            code = EX_DATAERR;
        }
        arena_free(a);
    }
    if (!code) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM change), id, moment, actor FROM change"
                                        " ORDER BY id DESC LIMIT 1", -1, &st, NULL);
        if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            out->changes = sqlite3_column_int64(st, 0);
            out->last_change = sqlite3_column_int64(st, 1);
            snprintf(out->moment, sizeof out->moment, "%s", (const char *)sqlite3_column_text(st, 2));
            snprintf(out->actor, sizeof out->actor, "%s", (const char *)sqlite3_column_text(st, 3));
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            *err = message(_("cannot read the changes of %s: %s"), path, sqlite3_errmsg(db));
            code = EX_DATAERR;
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return code;
}

int store_restore_from(const char *target, const char *from_file, char **err)
{
    *err = NULL;
    sqlite3 *src = NULL, *dst = NULL;
    int code = 0;
    int rc = sqlite3_open_v2(from_file, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    char version[32] = "";
    arena *a = arena_new();
    const char *differs = NULL;
    /* The schema is checked again in the read transaction the copy is made
     * in: the file cannot change between the check and the copy. */
    if (rc == SQLITE_OK && (rc = sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL)) ==
                               SQLITE_OK &&
        (rc = query_text(src, "PRAGMA user_version", version, sizeof version)) == SQLITE_OK)
        differs = schema_difference(src, atoi(version), a);
    if (rc != SQLITE_OK) {
        *err = message(_("cannot read %s: %s"), from_file, src ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
        code = EX_IOERR;
    } else if (differs) {
        *err = message(_("%s is not a database as somon makes it: %s; restore only copies made by 'somon backup'"),
                       from_file, differs);
        code = EX_DATAERR;
    } else if ((rc = sqlite3_open_v2(target, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                     NULL)) != SQLITE_OK) {
        *err = message(_("cannot open %s: %s"), target, dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
        code = EX_CANTCREAT;
    } else {
        /* Held until the end: the exclusive lock of a WAL database cannot be
         * taken while any other connection (a running server) has it open. */
        sqlite3_busy_timeout(dst, 1000);
        rc = sqlite3_exec(dst, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT", NULL, NULL, NULL);
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
            *err = message(_("%s is in use by another process (a running 'somon serve'?); stop it, then restore "
                           "again%s"), target, NULL);
            code = EX_TEMPFAIL;
        } else if (rc != SQLITE_OK || (rc = copy_database(dst, src)) != SQLITE_OK ||
                   (rc = sqlite3_exec(dst, "PRAGMA journal_mode = WAL", NULL, NULL, NULL)) != SQLITE_OK) {
            *err = message(_("cannot restore into %s: %s"), target, sqlite3_errmsg(dst));
            code = (rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN ? EX_NOPERM : EX_IOERR;
        }
    }
    sqlite3_close(dst);
    sqlite3_close(src);
    arena_free(a);
    return code;
}
