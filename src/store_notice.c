/* store_notice.c: see store_notice.h. */
#include "store_notice.h"

#include "notice.h"
#include "store_internal.h"

int store_get_notice(store *s, int64_t known, const char **out)
{
    *out = NULL;
    sqlite3_stmt *st = sql_stmt(s, "SELECT notice FROM register_notice WHERE " VISIBLE " ORDER BY vid LIMIT 1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = register_notice_known((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_put_notice(store *s, int64_t change, const char *notice)
{
    sqlite3_stmt *st = sql_stmt(s, "UPDATE register_notice SET rec_until = ?1 WHERE rec_until IS NULL");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, change);
    if (sql_run(st))
        return -1;
    if (!notice)
        return 0;
    st = sql_stmt(s, "INSERT INTO register_notice(notice, rec_from) VALUES (?1, ?2)");
    if (!st)
        return -1;
    sql_bind_text(st, 1, notice);
    sqlite3_bind_int64(st, 2, change);
    return sql_run(st);
}
