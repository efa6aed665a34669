/* store_meetings.c: the meetings of governance bodies (see the meetings
 * section of store.h). Like the agreements, a meeting is versioned: a
 * correction supersedes the current row (rec_until) and writes a new one
 * with the same mid; attendees are child rows of a version and never
 * change after they are written. */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static const char *const STATE_NAMES[MEETING_STATE_COUNT] = {"planned", "held", "cancelled"};
static const char *const STATE_LABELS[MEETING_STATE_COUNT] = {"gepland", "gehouden", "geannuleerd"};

const char *meeting_state_name(meeting_state s) { return (unsigned)s < MEETING_STATE_COUNT ? STATE_NAMES[s] : ""; }

const char *meeting_state_label_nl(meeting_state s)
{
    return (unsigned)s < MEETING_STATE_COUNT ? STATE_LABELS[s] : "";
}

bool meeting_state_parse(const char *name, meeting_state *out)
{
    for (int i = 0; name && i < MEETING_STATE_COUNT; i++)
        if (strcmp(name, STATE_NAMES[i]) == 0) {
            *out = (meeting_state)i;
            return true;
        }
    return false;
}

#define MEETING_COLUMNS                                                                                          \
    "m.vid, m.mid, m.agreement, m.body_uid, m.held_on, m.state, m.decisions, m.minutes_url, m.rec_from,"         \
    " c.moment, c.actor"

/* Fills m from the row the statement stands on (without attendees). */
static void read_row(arena *a, sqlite3_stmt *st, meeting *m)
{
    memset(m, 0, sizeof *m);
    m->vid = sqlite3_column_int64(st, 0);
    m->mid = sqlite3_column_int64(st, 1);
    m->agreement = sql_col_text(a, st, 2);
    m->body_uid = sqlite3_column_int64(st, 3);
    m->held_on = sql_col_date(st, 4);
    if (!meeting_state_parse((const char *)sqlite3_column_text(st, 5), &m->state))
        m->state = MEETING_PLANNED;
    m->decisions = sql_col_text(a, st, 6);
    m->minutes_url = sql_col_text(a, st, 7);
    m->rec_from = sqlite3_column_int64(st, 8);
    m->moment = sql_col_text(a, st, 9);
    m->actor = sql_col_text(a, st, 10);
}

static int read_attendees(store *s, arena *a, meeting *m)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT name, function, organisation, guest FROM meeting_attendee WHERE vid = ?1"
                                   " ORDER BY position");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, m->vid);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        m->attendees = arena_grow(a, m->attendees, &cap, m->attendee_count + 1, sizeof *m->attendees);
        m->attendees[m->attendee_count++] = (meeting_attendee){sql_col_text(a, st, 0), sql_col_text(a, st, 1),
                                                               sql_col_text(a, st, 2), sqlite3_column_int(st, 3) != 0};
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* One meeting from a statement that selects at most one row. */
static int read_one(store *s, sqlite3_stmt *st, arena *a, meeting *out)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : -1;
    }
    read_row(a, st, out);
    sqlite3_reset(st);
    return read_attendees(s, a, out) ? -1 : 1;
}

int store_get_meetings(store *s, int64_t known, const char *agreement_id, arena *a, meeting **out, size_t *n)
{
    *out = NULL;
    *n = 0;
#define MEETINGS_SQL(filter)                                                                                    \
    "SELECT " MEETING_COLUMNS " FROM meeting m JOIN change c ON c.id = m.rec_from WHERE " filter                  \
    " AND m.rec_from <= ?1 AND (m.rec_until IS NULL OR m.rec_until > ?1) ORDER BY m.held_on, m.mid"
    /* two statements, not "(?2 IS NULL OR m.agreement = ?2)", which SQLite cannot answer from an index */
    sqlite3_stmt *st = sql_stmt(s, agreement_id ? MEETINGS_SQL("m.agreement = ?2") : MEETINGS_SQL("?2 IS NULL"));
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    sql_bind_text(st, 2, agreement_id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
        read_row(a, st, &(*out)[(*n)++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    for (size_t i = 0; i < *n; i++)
        if (read_attendees(s, a, &(*out)[i]))
            return -1;
    return 0;
}

int store_get_meeting(store *s, int64_t known, int64_t mid, arena *a, meeting *out)
{
    sqlite3_stmt *st = sql_stmt(s, "SELECT " MEETING_COLUMNS " FROM meeting m JOIN change c ON c.id = m.rec_from"
                                   " WHERE m.mid = ?2 AND m.rec_from <= ?1 AND (m.rec_until IS NULL OR m.rec_until > ?1)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, known);
    sqlite3_bind_int64(st, 2, mid);
    return read_one(s, st, a, out);
}

int store_get_meeting_version(store *s, int64_t vid, arena *a, meeting *out)
{
    sqlite3_stmt *st =
        sql_stmt(s, "SELECT " MEETING_COLUMNS " FROM meeting m JOIN change c ON c.id = m.rec_from WHERE m.vid = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, vid);
    return read_one(s, st, a, out);
}

int store_put_meeting(store *s, int64_t change, meeting *m)
{
    sqlite3_stmt *st;
    if (!m->mid) {
        st = sql_stmt(s, "SELECT coalesce(max(mid), 0) + 1 FROM meeting");
        if (!st || sqlite3_step(st) != SQLITE_ROW) {
            if (st)
                sqlite3_reset(st);
            return -1;
        }
        m->mid = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    } else {
        st = sql_stmt(s, "UPDATE meeting SET rec_until = ?1 WHERE mid = ?2 AND rec_until IS NULL");
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, change);
        sqlite3_bind_int64(st, 2, m->mid);
        if (sql_run(st))
            return -1;
    }
    st = sql_stmt(s, "INSERT INTO meeting(mid, agreement, body_uid, held_on, state, decisions, minutes_url, rec_from)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, m->mid);
    sql_bind_text(st, 2, m->agreement);
    sqlite3_bind_int64(st, 3, m->body_uid);
    sql_bind_date(st, 4, m->held_on);
    sql_bind_text(st, 5, meeting_state_name(m->state));
    sql_bind_text(st, 6, m->decisions);
    sql_bind_text(st, 7, m->minutes_url);
    sqlite3_bind_int64(st, 8, change);
    if (sql_run(st))
        return -1;
    m->vid = sqlite3_last_insert_rowid(s->db);
    m->rec_from = change;
    for (size_t i = 0; i < m->attendee_count; i++) {
        const meeting_attendee *x = &m->attendees[i];
        st = sql_stmt(s, "INSERT INTO meeting_attendee(vid, position, name, function, organisation, guest)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, m->vid);
        sqlite3_bind_int64(st, 2, (int64_t)i);
        sql_bind_text(st, 3, x->name);
        sql_bind_text(st, 4, x->function);
        sql_bind_text(st, 5, x->organisation);
        sqlite3_bind_int(st, 6, x->guest);
        if (sql_run(st))
            return -1;
    }
    return 0;
}

int store_end_meeting(store *s, int64_t change, int64_t mid)
{
    sqlite3_stmt *st = sql_stmt(s, "UPDATE meeting SET rec_until = ?1 WHERE mid = ?2 AND rec_until IS NULL");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, change);
    sqlite3_bind_int64(st, 2, mid);
    return sql_run(st);
}
