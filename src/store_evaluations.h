/* store_evaluations.h: the yearly evaluations of actions (issue 5), part of
 * the storage module (SQL in store_evaluations.c).
 *
 * An evaluation belongs to an action by its stable uid (action.uid), so it
 * survives renumbering and moving; there is at most one current evaluation
 * per action and year. Saving one that differs supersedes the current row
 * (kept, with rec_until); saving an identical one records nothing. */
#ifndef SOMON_STORE_EVALUATIONS_H
#define SOMON_STORE_EVALUATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "store.h"

typedef struct {
    char *agreement;
    int64_t action_uid;
    int year;
    char *status; /* not_started, ongoing, achieved, stalled, dropped */
    char *result, *figures, *evaluated_by;
    int64_t recorded; /* the change that wrote it */
    char *actor, *moment; /* who recorded it, and when (ISO, UTC) */
} store_evaluation;

/* The evaluation statuses, in order, and their Dutch labels. */
extern const char *const EVALUATION_STATUSES[];
extern const char *const EVALUATION_STATUS_LABELS[];
enum { EVALUATION_STATUS_COUNT = 5 };
bool evaluation_status_valid(const char *status);
const char *evaluation_status_label(const char *status); /* "lopend"; the code itself if unknown */

/* The evaluations current at change `known`, of one agreement (or of all
 * when agreement is NULL), ordered by agreement, action uid and year. */
int store_evaluations(store *s, int64_t known, const char *agreement_id, arena *a, store_evaluation **out, size_t *n);
/* The last change that wrote an evaluation of agreement for year (0 when none):
 * forms carry it to catch saves over someone else's newer work. */
int64_t store_evaluations_stamp(store *s, const char *agreement_id, int year);
/* Writes e under change unless the current evaluation of its action and year
 * is the same; *written tells which. */
int store_put_evaluation(store *s, int64_t change, const store_evaluation *e, bool *written);

/* ---- follow-up without its action or body (issue 9) ----
 * Evaluations (meetings) are exported inside their action (body), so those
 * of an action (body) that the agreement's version no longer has would be
 * in no export. Imports and forms refuse to make them (somon1.c, edit.c);
 * databases from before may hold some: export warns and /alerts names them.
 * Both functions are in store_evaluations.c. */
typedef struct {
    char *agreement;
    int64_t uid;  /* the action (body) */
    char *name;   /* its number (name) in the last version that had it; NULL if none did */
    size_t count; /* its evaluations (meetings) */
    char *years;  /* evaluations: "2021, 2022" */
} store_orphan;

/* As known at `known`: per action (body), ordered by agreement and number
 * (name), the current evaluations (meetings) whose action (body) is not in
 * the version of their agreement current at `known`; of one agreement, or
 * of all when agreement_id is NULL. Returns 0 or -1. */
int store_orphan_evaluations(store *s, int64_t known, const char *agreement_id, arena *a, store_orphan **out,
                             size_t *n);
int store_orphan_meetings(store *s, int64_t known, const char *agreement_id, arena *a, store_orphan **out, size_t *n);

#endif
