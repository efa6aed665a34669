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

#include "auth.h"
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
 * was loaded from, 0 for a new agreement). ag is rq->subject (the version
 * the dispatcher checked the permission on) with the form's changes: a
 * form loaded from any other version is stale. `doing` is what the form
 * does (ACT_CREATE_AGREEMENT for a new agreement): the new version must
 * still be one its author may do that to (auth_may), so a scoped account
 * cannot move an agreement out of its scope; a refusal is a problem on
 * the field ("vdab_directorate", "regiegebied"). `what` says in a few
 * words what the form changes ("velden", "partijen", …) for the history.
 * The version is compared again inside the write transaction, so of two
 * saves of one version exactly one is written. Returns one of the EDIT_
 * codes; everything lives in rq->arena. */
int edit_save(request *rq, agreement *ag, act doing, const char *what, edit_outcome *out);

/* For the writers that keep their own versions (evaluations, meetings):
 * inside their write transaction, whether rq->who may still do `what` to
 * the agreement rq->subject names, as stored now. */
bool edit_still_permitted(request *rq, act what);

/* The version a posted form was loaded from (its hidden "version" field);
 * -1, after answering 400, when it is missing or garbled. */
int64_t edit_form_version(request *rq);
/* "Antwerpen" or "Antwerpen of Limburg": the provinces of the vdab account, for messages. */
const char *edit_scope_text(request *rq);

/* The day on which a municipality typed by its name is looked up (muniname.h).
 * For a party: its first day (the later of its from and the agreement's
 * start), else its expected from or the agreement's expected start, else
 * today. For the agreement: its start, expected start, or today. */
date_t edit_party_day(const agreement *ag, const party *p);
date_t edit_agreement_day(const agreement *ag);

/* An id for a new agreement, proposed from its title, kind, regiegebied,
 * directorate and first day: "SO-KEMPEN-2025" for "Samen sterk voor werk in
 * de Kempen" starting in 2025, "SO-KEMPEN-CLUSTER-2025" for a cluster. The
 * place is the first word of the title that names a municipality or a
 * regiegebied, else its first word that is not a common one ("samen",
 * "sterk", "werk", "stad", …), else the regiegebied's name or the
 * directorate. The year is that of the start (the expected start, the
 * signing, today). Unique: "-2", "-3", … are added while the register has
 * the id. A valid somon/1 id; in rq->arena. */
const char *edit_propose_id(request *rq, const agreement *ag);

/* The message of a problem on field (a path, or a prefix of paths such as
 * "parties[2]"), or NULL: pages put it beside the field. */
const char *edit_problem_at(const edit_outcome *o, const char *field);

#endif
