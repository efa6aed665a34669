/* store.h: the only module that speaks SQL.
 *
 * SQLite in WAL mode with foreign keys on; every statement prepared with bound
 * parameters. Nothing is overwritten: every write belongs to a change (who,
 * when, what) and a row superseded by a later change keeps its values, with
 * rec_until naming that change. "Known at" a change C means the rows with
 * rec_from <= C and (rec_until IS NULL or rec_until > C); STORE_NOW reads the
 * current state. Functions return 0 on success and -1 on an SQL error, whose
 * text store_error() gives. Whatever a read returns lives in the caller's
 * arena. */
#ifndef SOMON_STORE_H
#define SOMON_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "date.h"
#include "model.h"
#include "rules.h"

typedef struct store store;

#define STORE_NOW INT64_MAX
#define STORE_SCHEMA_VERSION 14

typedef enum { STORE_READONLY, STORE_READWRITE, STORE_CREATE } store_mode;

/* Opens a somon database. Returns a sysexits code: 0, EX_NOINPUT when the file
 * is missing (and mode is not STORE_CREATE), EX_DATAERR when it is not a
 * somon database or its schema is newer than this program, EX_NOPERM when it
 * cannot be written, EX_IOERR otherwise. *err gets one malloc'd line. A
 * database whose schema is older than this program opens only with
 * STORE_CREATE (init upgrades it) and otherwise fails with EX_DATAERR. */
int store_open(const char *path, store_mode mode, store **out, char **err);
void store_close(store *s);
/* Caps the connection's page cache at kib KiB (SQLite's default is 2 MiB per
 * connection). The server has a connection per thread, each of which would
 * keep its 2 MiB for good; the operating system caches the file anyway. */
void store_cache_limit(store *s, int kib);
const char *store_error(store *s);
int store_schema_version(store *s);
/* Creates or upgrades the schema up to target (0: the newest), keeping every
 * row. Each step runs in its own transaction. */
int store_migrate(store *s, int target);

/* Starts a write transaction and records its change. */
int store_begin(store *s, const char *actor, const char *what, const char *detail, int64_t *change);

/* Turns off SQLite's memory statistics for the whole process, so that it
 * takes no global mutex for every allocation: with a second thread (the
 * import's writer) each is an atomic operation, 14% of the writer's time.
 * Call before the first store_open; after it, it changes nothing. */
void store_fast_memory(void);
int store_commit(store *s);
void store_rollback(store *s);
/* One read transaction around several reads (a web request, issue 12): they
 * see one snapshot and SQLite does not open a transaction per statement.
 * Returns 1 when it began one, 0 when one was already open (the caller is
 * inside it), -1 on an error; store_read_end(s, what begin returned) ends it.
 * A write (store_begin) inside it ends it first: writes see the newest. */
int store_read_begin(store *s);
void store_read_end(store *s, int began);
/* The last change recorded at or before moment t, or 0 when none; for
 * MOMENT_NONE, STORE_NOW. */
int64_t store_known_at(store *s, moment_t t);
/* The last change recorded (0 when none, -1 on error). */
int64_t store_last_change(store *s);
/* From now on store_last_change, outside a transaction, answers from memory
 * while no process has committed anything to the database since it last
 * read it (it watches the header of SQLite's WAL index, which every commit
 * rewrites; see store.c). For the server's connections, which ask for every
 * request. False when it cannot (not in WAL mode, read-only): then it reads
 * every time, as before. */
bool store_watch_commits(store *s);

/* ---- reference data ---- */
typedef struct {
    char *nis, *name, *province_nis, *province, *arrondissement;
    date_t valid_from, valid_to;
} ref_municipality;

typedef struct {
    char *old_nis, *old_name, *old_province_nis, *new_nis, *new_name, *new_province_nis;
    bool code_kept;
    date_t effective;
} ref_merger;

typedef struct {
    int number;
    char *title, *text;
} ref_principle;

typedef struct {
    ref_municipality *municipalities;
    size_t municipality_count;
    ref_merger *mergers;
    size_t merger_count;
    ref_principle *principles;
    size_t principle_count;
} reference_data;

int store_get_reference(store *s, int64_t known, arena *a, reference_data *out);
/* Replaces the reference data (the old rows stay in the history). */
int store_put_reference(store *s, int64_t change, const reference_data *ref);

/* ---- the register ---- */
int store_get_organisations(store *s, int64_t known, arena *a, organisation **out, size_t *n);
int store_get_regiegebieden(store *s, int64_t known, arena *a, regiegebied **out, size_t *n);
/* One regiegebied (organisation) by id: 1 found, 0 not, -1 error; out->version
 * names the stored version. */
int store_get_regiegebied(store *s, int64_t known, const char *id, arena *a, regiegebied *out);
int store_get_organisation(store *s, int64_t known, const char *id, arena *a, organisation *out);
/* One stored version (its vid), whatever came after it: 1, 0 or -1. */
int store_get_regiegebied_version(store *s, int64_t version, arena *a, regiegebied *out);
int store_get_organisation_version(store *s, int64_t version, arena *a, organisation *out);
int store_get_agreement_ids(store *s, int64_t known, arena *a, char ***ids, size_t *n);
/* Every agreement as known at `known` with only id, title, kind, signed_on
 * and predecessor filled in, ordered by id: enough to follow and check the
 * chains of predecessors (SPEC §5) without reading whole agreements. */
int store_get_agreement_links(store *s, int64_t known, arena *a, agreement **out, size_t *n);
/* Returns 1 when found, 0 when not, -1 on error. out->version names the
 * stored version. */
int store_get_agreement(store *s, int64_t known, const char *id, arena *a, agreement *out);
/* Every agreement known at a change, whole, sorted by id: the same as
 * store_get_agreement for each id, in one statement per table (pages over all
 * agreements: /actions, /governance, /alerts, the calendar feeds). */
int store_get_agreements(store *s, int64_t known, arena *a, agreement **out, size_t *n);
/* One stored version, whatever came after it. */
int store_get_agreement_version(store *s, int64_t version, arena *a, agreement *out);
/* The versions of an agreement recorded up to change `known`, oldest first:
 * the change that wrote each (its id, moment, actor and action). */
typedef struct {
    int64_t change;
    char *moment, *actor, *action;
} store_version;
int store_agreement_versions(store *s, int64_t known, const char *id, arena *a, store_version **out, size_t *n);
/* The same for an organisation (its members are part of each version). */
int store_organisation_versions(store *s, int64_t known, const char *id, arena *a, store_version **out, size_t *n);
int store_regiegebied_versions(store *s, int64_t known, const char *id, arena *a, store_version **out, size_t *n);

/* Each put supersedes the current version with the same id, if any. */
int store_put_organisation(store *s, int64_t change, const organisation *o);
int store_put_regiegebied(store *s, int64_t change, const regiegebied *r);
/* Gives actions and bodies without a uid the uid of the current version's
 * action with the same number (body with the same name), or a new one. */
int store_put_agreement(store *s, int64_t change, agreement *ag);

/* ---- accounts, sessions and failed logins (auth.c decides; this stores) ---- */
typedef struct {
    int64_t id;
    char *login, *role, *scope, *password_hash;
    bool disabled;
    int64_t version; /* the change that wrote the account last (its forms carry it) */
} store_account;

/* By login, or by id when login is NULL. Returns 1 found, 0 not, -1 error. */
int store_account_get(store *s, const char *login, int64_t id, arena *a, store_account *out);
int store_accounts(store *s, arena *a, store_account **out, size_t *n);
int store_account_add(store *s, int64_t change, const char *login, const char *role, const char *scope,
                      const char *password_hash);
/* Changes what is given: NULL strings and disabled < 0 keep the value. -1
 * also when there is no such login. */
int store_account_update(store *s, int64_t change, const char *login, const char *role, const char *scope,
                         const char *password_hash, int disabled);
/* How many accounts are enabled administrators. */
int store_active_admins(store *s, int64_t *n);

typedef struct {
    int64_t account;
    char *csrf;
    int64_t created, last_seen, ended; /* Unix seconds; ended 0 while open */
} store_session;

int store_session_add(store *s, const unsigned char hash[32], int64_t account, const char *csrf, int64_t now);
int store_session_get(store *s, const unsigned char hash[32], arena *a, store_session *out);
int store_session_touch(store *s, const unsigned char hash[32], int64_t now);
/* Ends one session (hash), or every open session of an account (hash NULL). */
int store_session_end(store *s, const unsigned char *hash, int64_t account, int64_t now);

int store_login_failure_add(store *s, const char *login, const char *address, int64_t now);
/* Failures since `since` for a login (by_login non-NULL) or an address: how
 * many and when the last was. */
int store_login_failures(store *s, const char *by_login, const char *value, int64_t since, int *count,
                         int64_t *last);
int store_login_failures_clear(store *s, const char *login);
/* Forgets the failures before `before` (older than the throttling window):
 * the table holds only what throttling reads. */
int store_login_failures_forget(store *s, int64_t before);

/* Runs a statement without parameters (BEGIN, COMMIT, …). */
int store_exec(store *s, const char *sql);

/* ---- the view the reports read ---- */
typedef struct {
    char *nis, *name;
    int province;
    date_t valid_from, valid_to;
} view_municipality;

typedef struct {
    char *id, *title, *regiegebied;
    int vdab_directorate;
    int first_party; /* into register_view.rules_parties */
    char *kind;       /* or NULL (SPEC §5, 2026-12) */
    date_t signed_on; /* or DATE_NONE: "afgesloten in" filters on it */
    char *predecessor; /* id or NULL: pages link both ways */
} view_agreement;

typedef struct {
    char *id, *name;
} view_region;

/* Everything coverage and annex need, as known at one change. Municipality
 * codes are the numeric NIS codes; map.items[i].code names the NIS and
 * municipalities[] is indexed like map.items. */
/* The sources of one agreement (issue 13), in their order. */
typedef struct {
    source *items;
    size_t count, cap;
} view_sources;

typedef struct {
    arena *arena;
    int64_t known;
    rules_map map;
    view_municipality *municipalities; /* [map.count] */
    /* [map.count]: each identity's place among all of them by name (strcmp),
     * then by identity (the map's order: by NIS code, then valid_from), so
     * that reports order by name without comparing the names (issue 12);
     * register_view_rank_names(); by_name is the identities in that order */
    uint32_t *name_rank, *by_name;
    rules_agreement *rules_agreements; /* [agreement_count] */
    view_agreement *agreements;
    size_t agreement_count;
    rules_party *rules_parties; /* [party_count]; organisations have code -1 */
    size_t party_count;
    rules_region *rules_regions; /* [region_count] */
    view_region *regions;
    size_t region_count;
    /* [party_count] or NULL when no party has any: a party's council
     * decisions as the annex names them ("gemeenteraad 27/09/2021; …") */
    const char **party_decisions;
    /* [agreement_count] or NULL when no agreement has any: the addresses of
     * an agreement's sources and its parties', each once, joined by " | "
     * (the column "Bronnen" of the agreements' download; issue 13) */
    const char **agreement_sources;
    /* [agreement_count] or NULL when no agreement has any: the agreement's
     * own sources (not its parties'), for the API's list */
    view_sources *own_sources;
    /* the register notice as known at this change (notice.h), or NULL:
     * every page and download of this version says it */
    const char *notice;
} register_view;

/* Sets v->name_rank and v->by_name from v->municipalities (store_load_view
 * does; a view built by hand must too). */
void register_view_rank_names(register_view *v);

#define NIS_CODES 100000
/* The code of a 5-digit NIS string, or -1. */
int nis_code(const char *nis);

int store_load_view(store *s, int64_t known, register_view *out);
void register_view_free(register_view *v);
/* The region index of an id, or -1. */
int view_region_index(const register_view *v, const char *id);
/* The name people see for a NIS code: its latest name ("Kalmthout"), or
 * NULL when the map does not know the code. */
const char *view_municipality_name(const register_view *v, const char *nis);
/* The same without a view: the latest name the reference data gives the code
 * (in a), or NULL when none or on error. For the odd name, not for lists. */
const char *store_municipality_name(store *s, arena *a, const char *nis);

/* ---- the list of changes (page_history.c, cli_admin.c) ---- */
typedef struct {
    int64_t id;
    char *moment, *actor, *action, *detail; /* moment ISO UTC; detail may be NULL */
} store_change;

/* Which changes store_changes() lists; NULL strings do not filter. */
typedef struct {
    int64_t known;            /* only changes up to this one (STORE_NOW: all) */
    const char *agreement;    /* changes that wrote a version of this agreement */
    const char *action;       /* "import", "edit", "account", "reference" */
    const char *actor;
    const char *from, *until; /* recorded moments as stored (ISO UTC): from <= moment < until */
    bool accounts;            /* false leaves out the account changes */
} store_change_filter;

/* The changes that pass f, newest first: at most limit after skipping
 * offset; *total gets how many pass in all. */
int store_changes(store *s, const store_change_filter *f, int64_t offset, int64_t limit, arena *a, store_change **out,
                  size_t *n, int64_t *total);
/* One change. Returns 1 when found, 0 when not, -1 on error. */
int store_change_get(store *s, int64_t id, arena *a, store_change *out);
/* The account changes of one login after change `after`, oldest first. The
 * detail of an account change begins with a verb and the login ("disable
 * an.peeters", "change an.peeters to vdab for Limburg"): page_accounts.c
 * and cli_user.c write them so. */
int store_account_changes(store *s, const char *login, int64_t after, arena *a, store_change **out, size_t *n);

/* An agreement version written by a change, and the version it superseded
 * (0 when it is the first). */
typedef struct {
    int64_t change;
    char *agreement;
    int64_t version, previous;
} store_written;

/* The agreement versions written by changes[0..count) (only those of
 * agreement `only` when it is not NULL): at most cap per change, by change as
 * in changes[] (newest first) and agreement id; totals[i] (count of them)
 * gets how many changes[i] wrote in all. */
int store_change_versions(store *s, const int64_t *changes, size_t count, const char *only, size_t cap, arena *a,
                          store_written **out, size_t *n, size_t *totals);

/* ---- indicators (issue 5; store_indicators.c) ----
 * Definitions are versioned by code; values by (indicator, nis, period).
 * Periods are the text of rules_indicators.h ("2023", "2023-Q2",
 * "2023-06"). The import (indicators_import.c) decides what to write. */
typedef struct {
    char *code, *name, *unit, *kind; /* kind "count" or "rate" */
    char *numerator, *denominator;   /* a rate's count indicators, else NULL */
    char *source;
} indicator_def;

/* The definitions known at a change, by code. */
int store_indicator_defs(store *s, int64_t known, arena *a, indicator_def **out, size_t *n);
/* Supersedes the current definition of d->code, if any, with d. */
int store_put_indicator_def(store *s, int64_t change, const indicator_def *d);

/* Calls each() for every value known at a change (of one indicator, or of
 * all when indicator is NULL), ordered by indicator, nis and period; the
 * strings live until each() returns. A non-zero return of each() stops the
 * walk and is returned. */
typedef int (*store_indicator_each)(void *ctx, const char *indicator, const char *nis, const char *period,
                                    double value, bool synthetic);
int store_indicator_values(store *s, int64_t known, const char *indicator, store_indicator_each each, void *ctx);
/* Prepares the connection for writing many values (a larger page cache). */
int store_indicator_bulk(store *s);
/* The indicator data's version at change `known`: the last change up to it
 * that may have written indicator definitions or values or the reference map
 * (every change but an edit, an account change or a publication, which never
 * do), 0 when there is none, -1 on error. Two changes with the same version
 * see the same indicator data on the same map (indicator_cache.h). */
int64_t store_indicator_version(store *s, int64_t known);
/* Writes a value (current from change on). */
int store_put_indicator_value(store *s, int64_t change, const char *indicator, const char *nis, const char *period,
                              double value, bool synthetic);
/* Ends the current value of (indicator, nis, period) at change. */
int store_end_indicator_value(store *s, int64_t change, const char *indicator, const char *nis, const char *period);

/* ---- backups ---- */
/* Copies the somon database at db (of any schema), as of one moment, into
 * the file path (created or overwritten) with SQLite's online backup API
 * while others go on reading and writing it; the copy is a single file
 * (rollback journal, no -wal). Returns a sysexits code: 0, EX_NOINPUT (no
 * db), EX_DATAERR (db is not a somon database), EX_CANTCREAT or EX_IOERR,
 * with one malloc'd line in *err. */
int store_backup(const char *db, const char *path, char **err);

/* What a somon database file holds. */
typedef struct {
    int schema;
    int64_t changes, last_change; /* how many changes; the last one's id (0: none) */
    char moment[MOMENT_ISO_LEN];  /* the last change's moment (ISO UTC), "" when none */
    char actor[128];              /* and who made it */
} store_file_info;

/* Opens path read-only and checks that it is a somon database this program
 * can use (an SQLite file, application_id, schema not newer, PRAGMA
 * integrity_check ok, and its schema exactly the one somon's migrations
 * create for its version: sqlite_schema's type, name, tbl_name and sql of
 * every table, index, view and trigger). Returns a sysexits code: 0, EX_NOINPUT (no file),
 * EX_DATAERR (one of the checks failed) or EX_IOERR, with one malloc'd line
 * in *err. */
int store_inspect(const char *path, store_file_info *out, char **err);

/* Replaces the database at target (created when missing) with the one at
 * source, with the backup API, holding an exclusive lock throughout.
 * Returns 0, EX_TEMPFAIL when another process has target open, or
 * EX_DATAERR (its schema is not exactly somon's, checked again within the
 * read transaction the copy is made in) or EX_CANTCREAT/EX_NOPERM/EX_IOERR,
 * with one malloc'd line in *err. The caller checks source first
 * (store_inspect). */
int store_restore_from(const char *target, const char *source, char **err);

/* ---- meetings of governance bodies (store_meetings.c) ---- */
/* A meeting is one row per version: mid names the meeting across its
 * versions, vid one version; a correction (or a cancellation) supersedes
 * the current version and writes a new one, never changes a row. body_uid is
 * the stable uid of the governance body (governance_body.uid). */
typedef enum { MEETING_PLANNED, MEETING_HELD, MEETING_CANCELLED, MEETING_STATE_COUNT } meeting_state;
const char *meeting_state_name(meeting_state s); /* "planned", "held", "cancelled" */
const char *meeting_state_label_nl(meeting_state s); /* "gepland", "gehouden", "geannuleerd" */
bool meeting_state_parse(const char *name, meeting_state *out);

typedef attendee meeting_attendee; /* model.h; guest: not a member of the body */

typedef struct {
    int64_t mid, vid;   /* mid 0: a new meeting (store_put_meeting assigns it) */
    char *agreement;
    int64_t body_uid;
    date_t held_on;
    meeting_state state;
    char *decisions, *minutes_url;
    meeting_attendee *attendees;
    size_t attendee_count;
    int64_t rec_from;   /* the change that wrote this version */
    char *moment, *actor; /* of that change (ISO UTC) */
} meeting;

/* The meetings of one agreement (all agreements when agreement is NULL) as
 * known at change `known`, by date then mid, with their attendees. */
int store_get_meetings(store *s, int64_t known, const char *agreement_id, arena *a, meeting **out, size_t *n);
/* One meeting as known at `known`; 1 found, 0 not, -1 error. */
int store_get_meeting(store *s, int64_t known, int64_t mid, arena *a, meeting *out);
/* One stored version (by vid), whatever came after it; 1, 0 or -1. */
int store_get_meeting_version(store *s, int64_t vid, arena *a, meeting *out);
/* Writes m as the new current version of meeting m->mid (a new meeting when
 * 0: m->mid gets its number), superseding the current one; sets m->vid. */
int store_put_meeting(store *s, int64_t change, meeting *m);
/* Ends meeting mid at change without a new version (an import whose file no
 * longer lists it); the history keeps every version. */
int store_end_meeting(store *s, int64_t change, int64_t mid);

#endif
