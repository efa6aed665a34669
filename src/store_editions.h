/* store_editions.h: published editions of the answer to parliament (SPEC
 * §4, issue 10), part of the storage module (SQL in store_editions.c; the
 * tables come with schema step 11 of store.c).
 *
 * An edition is written once, by the change that publishes it, and never
 * changes afterwards (the database refuses it: schema 11's triggers). It
 * names the change its figures were known at. Reads return memory of the
 * caller's arena; functions return 0, or -1 on an SQL error (store_error). */
#ifndef SOMON_STORE_EDITIONS_H
#define SOMON_STORE_EDITIONS_H

#include <stdint.h>

#include "arena.h"
#include "date.h"
#include "rules.h"
#include "store.h"

/* The four columns of the table: municipalities on the date, their
 * prognosis, regiegebieden on the date, their prognosis. */
enum { MEASURE_MUNICIPALITIES, MEASURE_PROGNOSIS, MEASURE_REGIONS, MEASURE_REGIONS_PROGNOSIS, EDITION_MEASURES };

typedef struct {
    rules_count cell[EDITION_MEASURES][PROVINCE_ROWS]; /* rows as the table: the provinces, Vlaanderen last */
} edition_figures;

typedef struct {
    int row;    /* a province, or ROW_FLANDERS */
    char *text;
} edition_note;

typedef struct {
    int64_t id;
    char *question;
    date_t date, prognosis;
    int64_t known_change; /* the last change the figures knew (0: none) */
    char *known_at;       /* the moment they were known at, ISO UTC */
    int64_t change;       /* the change that published it */
    char *published_at, *published_by;
} edition_head;

/* Every edition published up to change `known` (STORE_NOW: all), by id. */
int store_editions(store *s, int64_t known, arena *a, edition_head **out, size_t *n);
/* One edition: 1 found, 0 not, -1 error. */
int store_edition_get(store *s, int64_t id, arena *a, edition_head *out);
int store_edition_figures(store *s, int64_t id, edition_figures *out);
/* Its notes in the order they were given. */
int store_edition_notes(store *s, int64_t id, arena *a, edition_note **out, size_t *n);
/* Writes an edition under change (inside its transaction): e->id gets its id. */
int store_edition_add(store *s, int64_t change, edition_head *e, const edition_figures *f, const edition_note *notes,
                      size_t note_count);

/* The last change before `change` (0 when none, -1 on error). */
int64_t store_change_before(store *s, int64_t change);
/* The changes after `after` up to `until`, oldest first, that wrote or superseded a
 * version of what the coverage view reads (agreements, regiegebieden,
 * municipalities, mergers): the only ones that can move a figure. */
int store_view_changes(store *s, int64_t after, int64_t until, arena *a, store_change **out, size_t *n);

#endif
