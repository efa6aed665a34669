/* store_indicators.c: the indicator definitions and values (see store.h,
 * section "indicators"). Part of the storage module: the only other place
 * with SQL besides store.c. */
#include <sqlite3.h>
#include <string.h>

#include "store_internal.h"

/* Binds text the caller keeps alive until the statement has stepped. */
static void bind_static(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

int store_indicator_bulk(store *s)
{
    /* the value table and its index stay in memory while a large file goes in */
    return sql_run(sql_stmt(s, "PRAGMA cache_size = -262144"));
}

int store_indicator_defs(store *s, int64_t known, arena *a, indicator_def **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st = sql_stmt(s, "SELECT code, name, unit, kind, numerator, denominator, source FROM indicator"
                                   " WHERE " VISIBLE " ORDER BY code");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        (*out)[(*n)++] = (indicator_def){sql_col_text(a, st, 0), sql_col_text(a, st, 1), sql_col_text(a, st, 2),
                                         sql_col_text(a, st, 3), sql_col_text(a, st, 4), sql_col_text(a, st, 5),
                                         sql_col_text(a, st, 6)};
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_put_indicator_def(store *s, int64_t change, const indicator_def *d)
{
    sqlite3_stmt *st = sql_stmt(s, "UPDATE indicator SET rec_until = ?1 WHERE code = ?2 AND rec_until IS NULL");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, change);
    bind_static(st, 2, d->code);
    if (sql_run(st))
        return -1;
    st = sql_stmt(s, "INSERT INTO indicator(code, name, unit, kind, numerator, denominator, source, rec_from)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st)
        return -1;
    bind_static(st, 1, d->code);
    bind_static(st, 2, d->name);
    bind_static(st, 3, d->unit);
    bind_static(st, 4, d->kind);
    bind_static(st, 5, d->numerator);
    bind_static(st, 6, d->denominator);
    bind_static(st, 7, d->source);
    sqlite3_bind_int64(st, 8, change);
    return sql_run(st);
}

int store_indicator_values(store *s, int64_t known, const char *indicator, store_indicator_each each, void *ctx)
{
    /* the current rows have their own index; a past moment reads the table */
    sqlite3_stmt *st =
        known == STORE_NOW
            ? (indicator ? sql_stmt(s, "SELECT indicator, nis, period, value, synthetic FROM indicator_value"
                                       " WHERE indicator = ?2 AND rec_until IS NULL ORDER BY indicator, nis, period")
                         : sql_stmt(s, "SELECT indicator, nis, period, value, synthetic FROM indicator_value"
                                       " WHERE rec_until IS NULL ORDER BY indicator, nis, period"))
            : (indicator ? sql_stmt(s, "SELECT indicator, nis, period, value, synthetic FROM indicator_value"
                                       " WHERE indicator = ?2 AND " VISIBLE " ORDER BY indicator, nis, period")
                         : sql_stmt(s, "SELECT indicator, nis, period, value, synthetic FROM indicator_value"
                                       " WHERE " VISIBLE " ORDER BY indicator, nis, period"));
    if (!st)
        return -1;
    if (known != STORE_NOW)
        sqlite3_bind_int64(st, 1, known);
    if (indicator)
        bind_static(st, 2, indicator);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = each(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                    (const char *)sqlite3_column_text(st, 2), sqlite3_column_double(st, 3),
                    sqlite3_column_int(st, 4) != 0);
    sqlite3_reset(st);
    return stop ? stop : rc == SQLITE_DONE ? 0 : -1;
}

int64_t store_indicator_version(store *s, int64_t known)
{
    /* the change table is small next to the values and read backwards by its
     * key: the search stops at the first change that is not an edit */
    sqlite3_stmt *st = sql_stmt(s, "SELECT id FROM change WHERE id <= ?1 AND action NOT IN ('edit', 'account', 'publish')"
                                   " ORDER BY id DESC LIMIT 1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    int rc = sqlite3_step(st);
    int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return id;
}

int store_put_indicator_value(store *s, int64_t change, const char *indicator, const char *nis, const char *period,
                              double value, bool synthetic)
{
    sqlite3_stmt *st = sql_stmt(s, "INSERT INTO indicator_value(indicator, nis, period, value, synthetic, rec_from)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return -1;
    bind_static(st, 1, indicator);
    bind_static(st, 2, nis);
    bind_static(st, 3, period);
    sqlite3_bind_double(st, 4, value);
    sqlite3_bind_int(st, 5, synthetic);
    sqlite3_bind_int64(st, 6, change);
    return sql_run(st);
}

int store_end_indicator_value(store *s, int64_t change, const char *indicator, const char *nis, const char *period)
{
    sqlite3_stmt *st = sql_stmt(s, "UPDATE indicator_value SET rec_until = ?1"
                                   " WHERE indicator = ?2 AND nis = ?3 AND period = ?4 AND rec_until IS NULL");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, change);
    bind_static(st, 2, indicator);
    bind_static(st, 3, nis);
    bind_static(st, 4, period);
    return sql_run(st);
}
