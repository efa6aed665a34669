/* store_internal.h: what the files of the storage module share (store.c,
 * store_evaluations.c, store_meetings.c, store_indicators.c, store_cooperation.c,
 * store_editions.c); nothing outside src/store*.c
 * includes it. Statements are prepared once per connection and cached by
 * the address of their (static) SQL text. */
#ifndef SOMON_STORE_INTERNAL_H
#define SOMON_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

/* Statements are prepared once per connection and kept, by the address of
 * their SQL text (a literal). More distinct statements than this is a
 * programming error that sql_stmt() reports (it would have to leak them). */
enum { STMT_CACHE = 256 };

/* The header of SQLite's WAL index: 48 bytes, kept twice at the start of
 * the database's -shm file (https://www.sqlite.org/walformat.html). */
enum { WAL_HEADER_WORDS = 12, WAL_INDEX_PAGE = 32768 /* SQLite maps the index in pieces of this size */ };

struct store {
    sqlite3 *db;
    char *path;
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } cache[STMT_CACHE];
    int cached;
    /* store_watch_commits: the first piece of the WAL index as SQLite maps
     * it (or NULL), and the last change as store_last_change last read it,
     * with the header it saw before (last_known -1: none yet) */
    const void *wal_index;
    uint32_t last_header[WAL_HEADER_WORDS];
    int64_t last_known;
};

/* The rows that were current as known at change ?1. */
#define VISIBLE "rec_from <= ?1 AND (rec_until IS NULL OR rec_until > ?1)"

/* A prepared statement for sql (a string literal), reset and unbound; NULL
 * when it cannot be prepared. */
sqlite3_stmt *sql_stmt(store *s, const char *sql);
/* Steps a statement that returns no rows: 0, or -1 on an error. */
int sql_run(sqlite3_stmt *st);
void sql_bind_text(sqlite3_stmt *st, int i, const char *v); /* NULL binds NULL */
void sql_bind_date(sqlite3_stmt *st, int i, date_t d);      /* DATE_NONE binds NULL */
void sql_bind_positive(sqlite3_stmt *st, int i, int v);     /* 0 or less binds NULL */
char *sql_col_text(arena *a, sqlite3_stmt *st, int i);      /* NULL for NULL */
date_t sql_col_date(sqlite3_stmt *st, int i);               /* DATE_NONE for NULL */

#endif
