/* store_cooperation.c: see store_cooperation.h. */
#include "store_cooperation.h"

#include <string.h>

#include "store_internal.h"

const char *const COOPERATION_KINDS[] = {"twe_ocmw", "wijk_werken", "mobiele_opleiding", "jobbeurs", "zitdag",
                                         "digibank", "esf_lokaal_partnerschap", "lerend_netwerk", "other", NULL};
static const char *const KIND_LABELS[] = {"TWE-OCMW", "wijk-werken", "mobiele opleiding", "jobbeurs", "zitdag",
                                          "Digibank", "ESF lokaal partnerschap", "lerend netwerk", "andere"};
const char *const OUTREACH_STAGES[] = {"no_contact", "exploring", "negotiating", "declined", "joined", NULL};

const char *cooperation_kind_label(const char *kind)
{
    for (int i = 0; kind && COOPERATION_KINDS[i]; i++)
        if (strcmp(kind, COOPERATION_KINDS[i]) == 0)
            return KIND_LABELS[i];
    return kind ? kind : "";
}

bool cooperation_kind_valid(const char *kind)
{
    for (int i = 0; kind && COOPERATION_KINDS[i]; i++)
        if (strcmp(kind, COOPERATION_KINDS[i]) == 0)
            return true;
    return false;
}

bool cooperation_on(const cooperation *c, date_t d)
{
    return (c->from == DATE_NONE || c->from <= d) && (c->until == DATE_NONE || d <= c->until);
}

/* ---- cooperations ---- */

#define COOPERATION_COLUMNS "vid, id, municipality, kind, title, from_date, until_date, notes, rec_from"

static void read_cooperation(arena *a, sqlite3_stmt *st, cooperation *c)
{
    c->version = sqlite3_column_int64(st, 0);
    c->id = sql_col_text(a, st, 1);
    c->municipality = sql_col_text(a, st, 2);
    c->kind = sql_col_text(a, st, 3);
    c->title = sql_col_text(a, st, 4);
    c->from = sql_col_date(st, 5);
    c->until = sql_col_date(st, 6);
    c->notes = sql_col_text(a, st, 7);
    c->change = sqlite3_column_int64(st, 8);
}

/* Every row the statement gives. */
static int read_cooperations(sqlite3_stmt *st, arena *a, cooperation **out, size_t *n)
{
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        read_cooperation(a, st, &(*out)[(*n)++]);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_get_cooperations(store *s, int64_t known, const char *municipality, arena *a, cooperation **out, size_t *n)
{
    *out = NULL;
    *n = 0;
#define COOPERATIONS_SQL(filter) "SELECT " COOPERATION_COLUMNS " FROM cooperation WHERE " VISIBLE " AND " filter " ORDER BY id"
    /* two statements, not "(?2 IS NULL OR municipality = ?2)", which SQLite cannot answer from an index */
    sqlite3_stmt *st =
        sql_stmt(s, municipality ? COOPERATIONS_SQL("municipality = ?2") : COOPERATIONS_SQL("?2 IS NULL"));
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    sql_bind_text(st, 2, municipality);
    return read_cooperations(st, a, out, n);
}

static int one_cooperation(sqlite3_stmt *st, arena *a, cooperation *out)
{
    cooperation *all = NULL;
    size_t n = 0;
    if (read_cooperations(st, a, &all, &n))
        return -1;
    if (n)
        *out = all[0];
    return n ? 1 : 0;
}

int store_get_cooperation(store *s, int64_t known, const char *id, arena *a, cooperation *out)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT " COOPERATION_COLUMNS " FROM cooperation WHERE " VISIBLE " AND id = ?2");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    sql_bind_text(st, 2, id);
    return one_cooperation(st, a, out);
}

int store_get_cooperation_version(store *s, int64_t version, arena *a, cooperation *out)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT " COOPERATION_COLUMNS " FROM cooperation WHERE vid = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, version);
    return one_cooperation(st, a, out);
}

int store_put_cooperation(store *s, int64_t change, const cooperation *c)
{
    sqlite3_stmt *st = sql_stmt(s, "UPDATE cooperation SET rec_until = ?1 WHERE id = ?2 AND rec_until IS NULL");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, change);
    sql_bind_text(st, 2, c->id);
    if (sql_run(st))
        return -1;
    st = sql_stmt(s, "INSERT INTO cooperation(id, municipality, kind, title, from_date, until_date, notes, rec_from)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st)
        return -1;
    sql_bind_text(st, 1, c->id);
    sql_bind_text(st, 2, c->municipality);
    sql_bind_text(st, 3, c->kind);
    sql_bind_text(st, 4, c->title);
    sql_bind_date(st, 5, c->from);
    sql_bind_date(st, 6, c->until);
    sql_bind_text(st, 7, c->notes);
    sqlite3_bind_int64(st, 8, change);
    return sql_run(st);
}

/* ---- the outreach log ---- */

int store_get_outreach(store *s, int64_t known, const char *municipality, arena *a, outreach_entry **out, size_t *n)
{
    *out = NULL;
    *n = 0;
#define OUTREACH_SQL(filter)                                                                                    \
    "SELECT vid, municipality, on_date, position, stage, note, rec_from FROM outreach WHERE " VISIBLE " AND " filter \
    " ORDER BY municipality, on_date, position"
    sqlite3_stmt *st = sql_stmt(s, municipality ? OUTREACH_SQL("municipality = ?2") : OUTREACH_SQL("?2 IS NULL"));
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    sql_bind_text(st, 2, municipality);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        outreach_entry *e = &(*out)[(*n)++];
        e->version = sqlite3_column_int64(st, 0);
        e->municipality = sql_col_text(a, st, 1);
        e->on = sql_col_date(st, 2);
        e->position = sqlite3_column_int(st, 3);
        e->stage = sql_col_text(a, st, 4);
        e->note = sql_col_text(a, st, 5);
        e->change = sqlite3_column_int64(st, 6);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_put_outreach(store *s, int64_t change, const outreach_entry *e)
{
    sqlite3_stmt *st = sql_stmt(s, "UPDATE outreach SET rec_until = ?1 WHERE municipality = ?2 AND on_date = ?3"
                                   " AND position = ?4 AND rec_until IS NULL");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, change);
    sql_bind_text(st, 2, e->municipality);
    sql_bind_date(st, 3, e->on);
    sqlite3_bind_int(st, 4, e->position);
    if (sql_run(st))
        return -1;
    st = sql_stmt(s, "INSERT INTO outreach(municipality, on_date, position, stage, note, rec_from)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return -1;
    sql_bind_text(st, 1, e->municipality);
    sql_bind_date(st, 2, e->on);
    sqlite3_bind_int(st, 3, e->position);
    sql_bind_text(st, 4, e->stage);
    sql_bind_text(st, 5, e->note);
    sqlite3_bind_int64(st, 6, change);
    return sql_run(st);
}

int64_t store_outreach_stamp(store *s, const char *municipality)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT coalesce(max(rec_from), 0) FROM outreach WHERE municipality = ?1");
    if (!st)
        return -1;
    sql_bind_text(st, 1, municipality);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return v;
}
