/* edit.h: saving an agreement changed in a browser form.
 *
 * The new version is checked with every rule of somon/1 (the importer's own
 * checks, with Dutch messages and the path of each field) and with the
 * lifecycle (rules_lifecycle_check); then it is written as one change by
 * the signed-in person, but only while the stored version is still the one
 * the form was loaded from. Otherwise nothing is written and the changes
 * made in between are returned, so the form can show them beside the
 * person's own input. */
#ifndef SOMON_EDIT_H
#define SOMON_EDIT_H

#include "history.h"
#include "somon1.h"
#include "web.h"

enum { EDIT_SAVED = 0, EDIT_INVALID = 422, EDIT_STALE = 409, EDIT_FAILED = 503 };

typedef struct {
    somon1_problem *problems; /* EDIT_INVALID: path (e.g. "parties[1].until") and Dutch message */
    size_t problem_count;
    field_change *between; /* EDIT_STALE: what changed since the form was loaded */
    size_t between_count;
    const char *by, *at; /* EDIT_STALE: who saved the newer version, and when */
} edit_outcome;

/* Saves ag (the whole new version; ag->version is the version the form
 * was loaded from, 0 for a new agreement). `what` says in a few words what
 * the form changes ("velden", "partijen", …) for the history. Returns one
 * of the EDIT_ codes; everything lives in rq->arena. */
int edit_save(request *rq, agreement *ag, const char *what, edit_outcome *out);

/* The version a posted form was loaded from (its hidden "version" field);
 * -1, after answering 400, when it is missing or garbled. */
int64_t edit_form_version(request *rq);

/* The message of a problem on field (a path, or a prefix of paths such as
 * "parties[2]"), or NULL: pages put it beside the field. */
const char *edit_problem_at(const edit_outcome *o, const char *field);

#endif
