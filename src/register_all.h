/* register_all.h: everything the pages over every agreement read, as known
 * at one change, read once and shared (issue 12).
 *
 * /actions, /alerts, /governance, /mine and the calendar feeds of an
 * organisation or municipality read every agreement with its children, every
 * evaluation and every meeting. register_all_load reads them in a handful of
 * statements (store_get_agreements and friends); register_all_of keeps the
 * result with the request's view in the view cache (cache_memo_load), so it
 * is read once per register version and shared, read-only, by every request
 * and thread that shows that version. Nothing here may be changed by a
 * caller: copy what a page must reorder. */
#ifndef SOMON_REGISTER_ALL_H
#define SOMON_REGISTER_ALL_H

#include "arena.h"
#include "rules_compliance.h"
#include "store.h"
#include "store_evaluations.h"
#include "web.h"

typedef struct {
    int64_t known;
    agreement *agreements; /* sorted by id */
    size_t agreement_count;
    store_evaluation *evaluations; /* by agreement, action, year */
    size_t evaluation_count;
    meeting *meetings; /* by day, then mid (store_get_meetings) */
    size_t meeting_count;
    size_t *meetings_by_agreement; /* indexes into meetings: by agreement id, then as above */
    compliance_held *held;         /* the held meetings with a day, by body then day */
    size_t held_count;
    store_orphan *orphans[2]; /* evaluations [0] and meetings [1] of actions (bodies) gone */
    size_t orphan_count[2];
    organisation *organisations; /* by id: the alert "leden onbekend" names them (issue 13) */
    size_t organisation_count;
    struct register_all_days *days; /* register_all_by_day's values (NULL: not kept, as for the command line) */
} register_all;

/* Reads everything as known at `known` into a; 0, or -1 on a read error. */
int register_all_load(store *s, int64_t known, arena *a, register_all *out);

/* The request's register_all (shared, from the view cache); NULL after
 * answering 503 (or the error web_view answered). */
const register_all *register_all_of(request *rq);

/* For readahead.c: reads the register_all of e (the view of change known)
 * into the view cache, keeping only the newest; false when it cannot. */
struct cache_entry;
bool register_all_read_ahead(store *db, struct cache_entry *e, int64_t known);

/* A value derived from r for day d (the alerts of a day): for today,
 * compute(r, d, a) runs once per kind, into an arena of its own kept with r,
 * and its result is shared read-only; for another day, or when r keeps no
 * such values (register_all_load), it runs into fallback every time. NULL
 * when compute fails. Thread-safe. */
enum { REGISTER_ALL_KINDS = 2 };
const void *register_all_by_day(const register_all *r, int kind, date_t d,
                                void *(*compute)(const register_all *r, date_t d, arena *a), arena *fallback);

/* The agreement with this id, or NULL. */
const agreement *register_all_agreement(const register_all *r, const char *id);
/* The meetings of agreement id (indexes into r->meetings, in the order
 * store_get_meetings gives them); *n gets how many. */
const size_t *register_all_meetings_of(const register_all *r, const char *id, size_t *n);
/* The evaluations of agreement id (a slice of r->evaluations); *n gets
 * how many. */
const store_evaluation *register_all_evaluations_of(const register_all *r, const char *id, size_t *n);
/* The held meetings of body (a slice of r->held); *n gets how many. */
const compliance_held *register_all_held(const register_all *r, int64_t body, size_t *n);

#endif
