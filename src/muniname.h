/* muniname.h: the municipality a person means by what they typed, on a day.
 *
 * People name municipalities, not NIS codes. A name is resolved on a day:
 * "Hasselt" is 71022 for a party whose first day lies before 2025 and 71072
 * from 2025 on (the merger kept the name, not the code). Every form that
 * takes a municipality (a party of an agreement, a member of a regiegebied
 * or an organisation) resolves through here, so that they agree; the import
 * of spreadsheets does too (sheet_import.c). Case, accents, and a hyphen,
 * underscore or no-break space against a space do not matter ("sint niklaas",
 * "Hässelt"). A 5-digit NIS code is
 * taken as it is (the importer's checks judge it). What a datalist offers
 * ("Deinze (tot 31/12/2018)", "Hasselt (71072)") resolves as well: a code
 * in brackets is the code, a date in brackets the day.
 *
 * Pure: reads the register view (store.h), allocates from the arena. The
 * messages are the caller's (Dutch literals in the web forms). */
#ifndef SOMON_MUNINAME_H
#define SOMON_MUNINAME_H

#include <stddef.h>

#include "arena.h"
#include "date.h"
#include "store.h"

typedef enum {
    MUNINAME_FOUND,      /* nis is the code */
    MUNINAME_UNKNOWN,    /* no municipality had that name: near holds the nearest names on the day */
    MUNINAME_NOT_ON_DAY, /* the name existed, not on the day: name, from and to say when; near as above */
    MUNINAME_AMBIGUOUS,  /* no day given and several codes had the name: near holds "Name (code)" of each */
} muniname_status;

typedef struct {
    muniname_status status;
    const char *nis;   /* FOUND */
    const char *name;  /* FOUND, NOT_ON_DAY: the name as the register writes it */
    date_t from, to;   /* NOT_ON_DAY: the period the name had (to DATE_NONE: open) */
    const char **near; /* at most MUNINAME_NEAR names, nearest first */
    size_t near_count;
} muniname_match;

enum { MUNINAME_NEAR = 3 };

/* Resolves text (trimmed, not empty) on day (DATE_NONE: any day). Returns out->status. */
muniname_status muniname_resolve(const register_view *v, const char *text, date_t day, arena *a, muniname_match *out);

/* How people's spellings of one name compare: lower case, accents of Latin-1
 * letters dropped, '-', '_', a no-break space and runs of blanks as one space,
 * none at either end ("Sint Niklaas" = "sint-niklaas", "Beëindigd" = "beeindigd"). */
char *muniname_fold(arena *a, const char *s);
/* Edit distance of two folded texts in bytes, at most cap + 1 (texts over 64 bytes: cap + 1). */
size_t muniname_distance(const char *x, const char *y, size_t cap);

/* The names of the municipalities that exist on some day from..to (DATE_NONE:
 * open), sorted, each once: what a datalist offers. */
size_t muniname_names(const register_view *v, date_t from, date_t to, arena *a, const char ***out);

#endif
