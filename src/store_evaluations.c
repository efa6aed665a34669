/* store_evaluations.c: see store_evaluations.h. */
#include "store_evaluations.h"

#include <string.h>

#include "store_internal.h"

const char *const EVALUATION_STATUSES[] = {"not_started", "ongoing", "achieved", "stalled", "dropped"};
const char *const EVALUATION_STATUS_LABELS[] = {"niet gestart", "lopend", "gerealiseerd", "vastgelopen",
                                                "stopgezet"};

bool evaluation_status_valid(const char *status)
{
    for (int i = 0; status && i < EVALUATION_STATUS_COUNT; i++)
        if (strcmp(EVALUATION_STATUSES[i], status) == 0)
            return true;
    return false;
}

const char *evaluation_status_label(const char *status)
{
    for (int i = 0; status && i < EVALUATION_STATUS_COUNT; i++)
        if (strcmp(EVALUATION_STATUSES[i], status) == 0)
            return EVALUATION_STATUS_LABELS[i];
    return status ? status : "";
}

#define EVALUATION_COLUMNS                                                                                           \
    "e.agreement, e.action_uid, e.year, e.status, e.result, e.figures, e.evaluated_by, e.rec_from, c.actor, c.moment"

static void read_evaluation(arena *a, sqlite3_stmt *st, store_evaluation *e)
{
    e->agreement = sql_col_text(a, st, 0);
    e->action_uid = sqlite3_column_int64(st, 1);
    e->year = sqlite3_column_int(st, 2);
    e->status = sql_col_text(a, st, 3);
    e->result = sql_col_text(a, st, 4);
    e->figures = sql_col_text(a, st, 5);
    e->evaluated_by = sql_col_text(a, st, 6);
    e->recorded = sqlite3_column_int64(st, 7);
    e->actor = sql_col_text(a, st, 8);
    e->moment = sql_col_text(a, st, 9);
}

int store_evaluations(store *s, int64_t known, const char *agreement_id, arena *a, store_evaluation **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
#define EVALUATIONS_SQL(filter)                                                                                 \
    "SELECT " EVALUATION_COLUMNS " FROM evaluation e JOIN change c ON c.id = e.rec_from"                          \
    " WHERE e.rec_from <= ?1 AND (e.rec_until IS NULL OR e.rec_until > ?1)"                                       \
    " AND " filter " ORDER BY e.agreement, e.action_uid, e.year"
    /* one agreement's through the index (see store_get_meetings) */
    sqlite3_stmt *st =
        sql_stmt(s, agreement_id ? EVALUATIONS_SQL("e.agreement = ?2") : EVALUATIONS_SQL("?2 IS NULL"));
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    sql_bind_text(st, 2, agreement_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        read_evaluation(a, st, &(*out)[(*n)++]);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int64_t store_evaluations_stamp(store *s, const char *agreement_id, int year)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT max(max(rec_from), coalesce(max(rec_until), 0)) FROM evaluation"
                                   " WHERE agreement = ?1 AND year = ?2");
    if (!st)
        return -1;
    sql_bind_text(st, 1, agreement_id);
    sqlite3_bind_int(st, 2, year);
    int64_t stamp = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return stamp;
}

static bool same_text(const char *a, const char *b) { return (!a && !b) || (a && b && strcmp(a, b) == 0); }

int store_put_evaluation(store *s, int64_t change, const store_evaluation *e, bool *written)
{
    *written = false;
    sqlite3_stmt *st = sql_stmt(s, "SELECT status, result, figures, evaluated_by FROM evaluation"
                                   " WHERE action_uid = ?1 AND year = ?2 AND rec_until IS NULL");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, e->action_uid);
    sqlite3_bind_int(st, 2, e->year);
    int rc = sqlite3_step(st);
    bool same = rc == SQLITE_ROW && same_text((const char *)sqlite3_column_text(st, 0), e->status) &&
                same_text((const char *)sqlite3_column_text(st, 1), e->result) &&
                same_text((const char *)sqlite3_column_text(st, 2), e->figures) &&
                same_text((const char *)sqlite3_column_text(st, 3), e->evaluated_by);
    bool exists = rc == SQLITE_ROW;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    if (same)
        return 0;
    if (exists) {
        st = sql_stmt(s, "UPDATE evaluation SET rec_until = ?1 WHERE action_uid = ?2 AND year = ?3 AND rec_until IS NULL");
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, change);
        sqlite3_bind_int64(st, 2, e->action_uid);
        sqlite3_bind_int(st, 3, e->year);
        if (sql_run(st))
            return -1;
    }
    if (!e->status) { /* an emptied row withdraws the evaluation; the history keeps it */
        *written = exists;
        return 0;
    }
    st = sql_stmt(s, "INSERT INTO evaluation(agreement, action_uid, year, status, result, figures, evaluated_by,"
                     " rec_from) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st)
        return -1;
    sql_bind_text(st, 1, e->agreement);
    sqlite3_bind_int64(st, 2, e->action_uid);
    sqlite3_bind_int(st, 3, e->year);
    sql_bind_text(st, 4, e->status);
    sql_bind_text(st, 5, e->result);
    sql_bind_text(st, 6, e->figures);
    sql_bind_text(st, 7, e->evaluated_by);
    sqlite3_bind_int64(st, 8, change);
    if (sql_run(st))
        return -1;
    *written = true;
    return 0;
}

/* ---- follow-up without its action or body ------------------------------ */

/* Rows (agreement, uid, name, year or NULL), ordered by agreement, name and
 * uid, folded into one orphan per uid. */
static int read_orphans(sqlite3_stmt *st, int64_t known, const char *agreement_id, arena *a, store_orphan **out,
                        size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    sql_bind_text(st, 2, agreement_id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t uid = sqlite3_column_int64(st, 1);
        store_orphan *o = *n ? &(*out)[*n - 1] : NULL;
        if (!o || o->uid != uid) {
            *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
            o = &(*out)[(*n)++];
            *o = (store_orphan){sql_col_text(a, st, 0), uid, sql_col_text(a, st, 2), 0, NULL};
        }
        o->count++;
        if (sqlite3_column_type(st, 3) != SQLITE_NULL)
            o->years = arena_printf(a, "%s%s%d", o->years ? o->years : "", o->years ? ", " : "",
                                    sqlite3_column_int(st, 3));
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

#define KNOWN(t) t ".rec_from <= ?1 AND (" t ".rec_until IS NULL OR " t ".rec_until > ?1)"

int store_orphan_evaluations(store *s, int64_t known, const char *agreement_id, arena *a, store_orphan **out,
                             size_t *n)
{
#define ORPHAN_EVALUATIONS_SQL(filter)                                                                          \
    "SELECT e.agreement, e.action_uid,"                                                                           \
    " (SELECT x.number FROM action x JOIN agreement v ON v.vid = x.vid"                                           \
    "  WHERE x.uid = e.action_uid AND v.rec_from <= ?1 ORDER BY x.vid DESC LIMIT 1) AS name, e.year"              \
    " FROM evaluation e WHERE " KNOWN("e") " AND " filter                                                         \
    " AND NOT EXISTS (SELECT 1 FROM agreement c JOIN action y ON y.vid = c.vid"                                   \
    "  WHERE c.id = e.agreement AND " KNOWN("c") " AND y.uid = e.action_uid)"                                     \
    " ORDER BY e.agreement, name, e.action_uid, e.year"
    return read_orphans(sql_stmt(s, agreement_id ? ORPHAN_EVALUATIONS_SQL("e.agreement = ?2")
                                                 : ORPHAN_EVALUATIONS_SQL("?2 IS NULL")),
                        known, agreement_id, a, out, n);
}

int store_orphan_meetings(store *s, int64_t known, const char *agreement_id, arena *a, store_orphan **out, size_t *n)
{
#define ORPHAN_MEETINGS_SQL(filter)                                                                             \
    "SELECT m.agreement, m.body_uid,"                                                                             \
    " (SELECT x.body FROM governance_body x JOIN agreement v ON v.vid = x.vid"                                    \
    "  WHERE x.uid = m.body_uid AND v.rec_from <= ?1 ORDER BY x.vid DESC LIMIT 1) AS name, NULL"                  \
    " FROM meeting m WHERE " KNOWN("m") " AND " filter                                                            \
    " AND NOT EXISTS (SELECT 1 FROM agreement c JOIN governance_body y ON y.vid = c.vid"                           \
    "  WHERE c.id = m.agreement AND " KNOWN("c") " AND y.uid = m.body_uid)"                                       \
    " ORDER BY m.agreement, name, m.body_uid, m.held_on"
    return read_orphans(sql_stmt(s, agreement_id ? ORPHAN_MEETINGS_SQL("m.agreement = ?2")
                                                 : ORPHAN_MEETINGS_SQL("?2 IS NULL")),
                        known, agreement_id, a, out, n);
}
