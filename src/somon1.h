/* somon1.h: the exchange format somon/1 (docs/somon1.md).
 *
 * somon1_parse() reads one document into model values and checks every rule
 * of the format against what the database already holds, listing each problem
 * with its JSON path. somon1_import() loads files all or nothing; the export
 * functions render the canonical form (every field, fixed order, nulls spelled
 * out), so export → import → export gives the same bytes. */
#ifndef SOMON_SOMON1_H
#define SOMON_SOMON1_H

#include <jansson.h>
#include <stdio.h>

#include "arena.h"
#include "rules.h"
#include "model.h"
#include "store.h"
#include "store_cooperation.h"
#include "store_evaluations.h"

/* Problems found in input: one line each, "place: what is wrong; the fix". */
typedef struct {
    arena *arena;
    char **lines;
    size_t count, cap, total; /* total counts lines beyond the kept maximum too */
} diag;

void diag_add(diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef struct {
    organisation *organisations;
    size_t organisation_count;
    regiegebied *regiegebieden;
    size_t regiegebied_count;
    agreement *agreements;
    size_t agreement_count;
    cooperation *cooperations; /* SPEC §5, 2026-12: what is not an agreement */
    size_t cooperation_count;
    outreach_entry *outreach; /* positions numbered per municipality and day, in file order */
    size_t outreach_count;
    /* the top-level "register_notice" (notice.h, issue 13): given (a code, or
     * NULL for null, which clears it) or absent (keeps the stored one) */
    bool register_notice_given;
    const char *register_notice;
} somon1_doc;

/* What a document may refer to besides itself: the municipalities of the
 * current map and the organisations and regiegebieden already known (in the
 * database or in an earlier file of the same import). */
typedef struct {
    const register_view *view;
    somon1_doc known;
} somon1_context;

/* Parses and validates data (len bytes). Problems are added to d, prefixed by
 * source; returns how many were found. out lives in a. */
size_t somon1_parse(const char *data, size_t len, const char *source, const somon1_context *ctx, arena *a,
                    somon1_doc *out, diag *d);

/* A problem of one object: where (a path such as "parties[1].until") and what. */
typedef struct {
    const char *path, *message;
} somon1_problem;

/* Checks one agreement (as edited in a form) with every rule of the format,
 * against the context, with Dutch messages. Returns how many problems; the
 * list lives in a. */
size_t somon1_check_agreement(const agreement *ag, const somon1_context *ctx, arena *a, somon1_problem **out);
/* What the status rules of the edit forms look at in an agreement (rules.h:
 * rules_lifecycle_check); the forms and the sheet import share it. */
rules_lifecycle somon1_lifecycle(const agreement *ag);

/* The same for one regiegebied or organisation (paths such as
 * "members[2].from"). */
size_t somon1_check_regiegebied(const regiegebied *g, const somon1_context *ctx, arena *a, somon1_problem **out);
size_t somon1_check_organisation(const organisation *o, const somon1_context *ctx, arena *a, somon1_problem **out);

/* The same for one cooperation and one outreach entry (paths such as
 * "until", "stage"). An outreach entry needs no id: its position is the
 * form's business. */
size_t somon1_check_cooperation(const cooperation *c, const somon1_context *ctx, arena *a, somon1_problem **out);
size_t somon1_check_outreach(const outreach_entry *e, const somon1_context *ctx, arena *a, somon1_problem **out);

/* The canonical JSON of one object; the caller json_decref()s it. */
json_t *somon1_organisation_json(const organisation *o);
json_t *somon1_cooperation_json(const cooperation *c);
json_t *somon1_outreach_json(const outreach_entry *e);
json_t *somon1_regiegebied_json(const regiegebied *r);
json_t *somon1_agreement_json(const agreement *ag);
/* Fills in the yearly evaluations of each action and the meetings of each
 * body of ag (read as known at `known`), which somon1_agreement_json()
 * then writes; without it they are empty lists. Returns 0 or -1. */
int somon1_load_followup(store *s, int64_t known, arena *a, agreement *ag);
/* Writes under change what ag (as read from a file, after store_put_agreement
 * or found unchanged) gives of its evaluations and meetings: a list given
 * replaces the stored one of its action (body), matched by action number
 * (body name); an absent list keeps it. *written grows by the rows written
 * or withdrawn. Returns 0 or -1. */
int somon1_write_followup(store *s, int64_t change, arena *a, const agreement *ag, size_t *written);

/* Inside the transaction that has just written a new version of
 * before->id (before: the version it replaced, with its uids): the actions
 * (bodies) of `before` that have current evaluations (meetings) and that
 * the new version no longer has, which no export could carry (issue 9).
 * The import and the forms refuse such a version. Returns 0 or -1. */
int somon1_cut_off(store *s, arena *a, const agreement *before, store_orphan **evs, size_t *ne, store_orphan **ms,
                   size_t *nm);

/* Writes the whole register as known at `known`. Returns 0, or -1 on a
 * store or write error (reported on stderr). */
int somon1_export(store *s, int64_t known, FILE *out);

/* Warns on err, one line per action (body), of the evaluations (meetings)
 * as known at `known` that the export leaves out because their agreement no
 * longer has their action (body), with the fix. Returns 0 or -1. */
int somon1_warn_orphans(store *s, int64_t known, FILE *err);

typedef struct {
    size_t added, replaced, unchanged; /* agreements */
    size_t other;                      /* organisations and regiegebieden written */
    size_t followup;                   /* evaluations and meetings written (or withdrawn) */
    size_t cooperation;                /* cooperations and outreach entries written */
    int notice;                        /* the register notice: 1 set, -1 cleared, 0 as it was */
} somon1_counts;

/* Imports files (paths; "-" is standard input) as one change by actor. On bad
 * data every problem goes to err and nothing changes (counts are all zero).
 * Returns a sysexits code. Reading and writing overlap: a second thread
 * writes, on s, while the files are read; s is not used by the caller meanwhile. */
int somon1_import(store *s, const char *const *files, size_t n, const char *actor, FILE *err,
                  somon1_counts *counts);

#endif
