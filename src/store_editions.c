/* store_editions.c: see store_editions.h. */
#include "store_editions.h"

#include "store_internal.h"

#define EDITION_COLUMNS                                                                                                \
    "e.id, e.question, e.on_date, e.prognosis_date, e.known_change, e.known_at, e.rec_from, c.moment, c.actor"

static int read_editions(sqlite3_stmt *st, arena *a, edition_head **out, size_t *n)
{
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        edition_head *e = &(*out)[(*n)++];
        e->id = sqlite3_column_int64(st, 0);
        e->question = sql_col_text(a, st, 1);
        e->date = sql_col_date(st, 2);
        e->prognosis = sql_col_date(st, 3);
        e->known_change = sqlite3_column_int64(st, 4);
        e->known_at = sql_col_text(a, st, 5);
        e->change = sqlite3_column_int64(st, 6);
        e->published_at = sql_col_text(a, st, 7);
        e->published_by = sql_col_text(a, st, 8);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_editions(store *s, int64_t known, arena *a, edition_head **out, size_t *n)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT " EDITION_COLUMNS " FROM edition e JOIN change c ON c.id = e.rec_from"
                                   " WHERE e.rec_from <= ?1 ORDER BY e.id");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    return read_editions(st, a, out, n);
}

int store_edition_get(store *s, int64_t id, arena *a, edition_head *out)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT " EDITION_COLUMNS " FROM edition e JOIN change c ON c.id = e.rec_from"
                                   " WHERE e.id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    edition_head *all;
    size_t n;
    if (read_editions(st, a, &all, &n))
        return -1;
    if (n)
        *out = all[0];
    return n ? 1 : 0;
}

int store_edition_figures(store *s, int64_t id, edition_figures *out)
{
    *out = (edition_figures){0};
    sqlite3_stmt *st = sql_stmt(s, "SELECT row, measure, covered, partial, total FROM edition_figure WHERE edition = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int row = sqlite3_column_int(st, 0), measure = sqlite3_column_int(st, 1);
        if (row < 0 || row >= PROVINCE_ROWS || measure < 0 || measure >= EDITION_MEASURES)
            continue; /* the table's CHECK keeps them in range */
        out->cell[measure][row] = (rules_count){sqlite3_column_int(st, 2), sqlite3_column_int(st, 3),
                                                sqlite3_column_int(st, 4)};
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_edition_notes(store *s, int64_t id, arena *a, edition_note **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = sql_stmt(s, "SELECT province, text FROM edition_note WHERE edition = ?1 ORDER BY position");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        int row = province_parse(name ? name : "");
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        (*out)[(*n)++] = (edition_note){row < 0 ? ROW_FLANDERS : row, sql_col_text(a, st, 1)};
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_edition_add(store *s, int64_t change, edition_head *e, const edition_figures *f, const edition_note *notes,
                      size_t note_count)
{
    sqlite3_stmt *st = sql_stmt(s, "INSERT INTO edition(question, on_date, prognosis_date, known_change, known_at,"
                                   " rec_from) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return -1;
    sql_bind_text(st, 1, e->question);
    sql_bind_date(st, 2, e->date);
    sql_bind_date(st, 3, e->prognosis);
    sqlite3_bind_int64(st, 4, e->known_change);
    sql_bind_text(st, 5, e->known_at);
    sqlite3_bind_int64(st, 6, change);
    if (sql_run(st))
        return -1;
    e->id = sqlite3_last_insert_rowid(s->db);
    e->change = change;
    for (int m = 0; m < EDITION_MEASURES; m++)
        for (int row = 0; row < PROVINCE_ROWS; row++) {
            st = sql_stmt(s, "INSERT INTO edition_figure(edition, row, measure, covered, partial, total)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
            if (!st)
                return -1;
            const rules_count *c = &f->cell[m][row];
            sqlite3_bind_int64(st, 1, e->id);
            sqlite3_bind_int(st, 2, row);
            sqlite3_bind_int(st, 3, m);
            sqlite3_bind_int(st, 4, c->covered);
            sqlite3_bind_int(st, 5, c->partial);
            sqlite3_bind_int(st, 6, c->total);
            if (sql_run(st))
                return -1;
        }
    for (size_t i = 0; i < note_count; i++) {
        st = sql_stmt(s, "INSERT INTO edition_note(edition, position, province, text) VALUES (?1, ?2, ?3, ?4)");
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, e->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sql_bind_text(st, 3, province_name(notes[i].row));
        sql_bind_text(st, 4, notes[i].text);
        if (sql_run(st))
            return -1;
    }
    return 0;
}

int64_t store_change_before(store *s, int64_t change)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT coalesce(max(id), 0) FROM change WHERE id < ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, change);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return id;
}

/* The versions of the four tables the view reads, written or superseded after ?1. */
#define WROTE(t) "SELECT rec_from FROM " t " WHERE rec_from > ?1 UNION SELECT rec_until FROM " t " WHERE rec_until > ?1"

int store_view_changes(store *s, int64_t after, int64_t until, arena *a, store_change **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = sql_stmt(s, "SELECT id, moment, actor, action, detail FROM change WHERE id IN ("
                                   WROTE("agreement") " UNION " WROTE("regiegebied") " UNION " WROTE("municipality")
                                   " UNION " WROTE("merger") ") AND id <= ?2 ORDER BY id");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, until);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        store_change *c = &(*out)[(*n)++];
        c->id = sqlite3_column_int64(st, 0);
        c->moment = sql_col_text(a, st, 1);
        c->actor = sql_col_text(a, st, 2);
        c->action = sql_col_text(a, st, 3);
        c->detail = sql_col_text(a, st, 4);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}
