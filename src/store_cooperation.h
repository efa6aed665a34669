/* store_cooperation.h: cooperation without an agreement and the outreach
 * log (SPEC §5, issue 10), part of the storage module (SQL in
 * store_cooperation.c; the tables come with schema step 9 of store.c).
 *
 * A cooperation is versioned by its id like an organisation: a new version
 * supersedes the current one (rec_until), which stays in the history. An
 * outreach entry is identified by its municipality, day and position (the
 * order of the entries of one municipality on one day, 0 first); a new
 * version of an entry supersedes the current one of that identity. Nothing
 * is deleted: ending a cooperation is giving it an until date. Reads return
 * memory of the caller's arena. */
#ifndef SOMON_STORE_COOPERATION_H
#define SOMON_STORE_COOPERATION_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "date.h"
#include "store.h"

/* The kinds of cooperation (somon/1 names, NULL-terminated) and their Dutch names. */
extern const char *const COOPERATION_KINDS[];
enum { COOPERATION_KIND_COUNT = 9 };
const char *cooperation_kind_label(const char *kind); /* "wijk-werken"; the code itself when unknown */
bool cooperation_kind_valid(const char *kind);
/* The outreach stages by their somon/1 names (rules_outreach.h), NULL-terminated. */
extern const char *const OUTREACH_STAGES[];

typedef struct {
    char *id, *municipality, *kind, *title, *notes; /* municipality: NIS code; notes or NULL */
    date_t from, until;                             /* or DATE_NONE */
    int64_t version; /* the stored version (0 for a new one): forms carry it to catch stale saves */
    int64_t change;  /* the change that wrote the stored version */
} cooperation;

typedef struct {
    char *municipality; /* NIS code */
    date_t on;
    int position;       /* among the entries of the municipality on that day, 0 first */
    char *stage, *note; /* stage: a name of OUTREACH_STAGES; note or NULL */
    int64_t version, change;
} outreach_entry;

/* Whether the cooperation is in force on d: from (when given) on or before
 * d, until (when given) on or after. */
bool cooperation_on(const cooperation *c, date_t d);

/* The cooperations known at `known`, of one municipality (NULL: all), by id. */
int store_get_cooperations(store *s, int64_t known, const char *municipality, arena *a, cooperation **out, size_t *n);
/* One by id: 1 found, 0 not, -1 error. */
int store_get_cooperation(store *s, int64_t known, const char *id, arena *a, cooperation *out);
/* One stored version (its vid), whatever came after it: 1, 0 or -1. */
int store_get_cooperation_version(store *s, int64_t version, arena *a, cooperation *out);
/* Writes c as the current version of c->id, superseding the current one. */
int store_put_cooperation(store *s, int64_t change, const cooperation *c);

/* The outreach entries known at `known`, of one municipality (NULL: all),
 * by municipality, day and position. */
int store_get_outreach(store *s, int64_t known, const char *municipality, arena *a, outreach_entry **out, size_t *n);
/* Writes e as the current version of (municipality, on, position). */
int store_put_outreach(store *s, int64_t change, const outreach_entry *e);
/* The last change that wrote an outreach entry of the municipality (0 when
 * none): the outreach form carries it to catch a save over a newer entry. */
int64_t store_outreach_stamp(store *s, const char *municipality);

#endif
