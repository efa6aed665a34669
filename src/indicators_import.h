/* indicators_import.h: loading indicator definitions and values (issue 5).
 *
 * Definitions: CSV with the header code,name,unit,kind,numerator,denominator,source
 * (data/indicators.csv is the reference set `somon init` loads; `somon
 * import indicator-definitions FILE` adds or replaces more). Values: CSV in
 * long format, header nis,period,indicator,value, one value per row.
 *
 * Both are all or nothing: the whole file is checked first and every
 * problem is reported on its own line as "FILE:LINE: what; how to fix it";
 * only a file without problems is written, in one transaction under one
 * change. What equals the stored state records nothing; a changed value
 * supersedes the stored one. docs/indicators.md describes the formats. */
#ifndef SOMON_INDICATORS_IMPORT_H
#define SOMON_INDICATORS_IMPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "arena.h"
#include "store.h"

/* Reads and checks a definitions file. A rate's numerator and denominator
 * must be count indicators of the file or of known[0..nknown). Returns 0,
 * or a sysexits code (EX_NOINPUT, EX_DATAERR) after writing the problems to
 * err. What it returns lives in a. */
int indicators_read_defs(const char *path, const indicator_def *known, size_t nknown, arena *a, indicator_def **out,
                         size_t *n, FILE *err);

/* Writes the definitions of defs[0..n) that differ from the current ones
 * (inside the caller's transaction); *written gets how many. */
int indicators_put_defs(store *s, int64_t change, const indicator_def *defs, size_t n, arena *a, size_t *written);
/* How many of defs[0..n) differ from the current definitions (-1: error). */
long indicators_defs_changed(store *s, const indicator_def *defs, size_t n, arena *a);

/* `somon import indicator-definitions FILE`. Returns a sysexits code. */
int indicators_import_defs(store *s, const char *path, const char *actor, FILE *err, size_t *written);

typedef struct {
    size_t rows, added, changed, unchanged;
} indicators_counts;

/* `somon import indicators FILE [--synthetic]`: synthetic marks every
 * value as made up (demo data). progress draws a bar on err for large
 * files. Returns a sysexits code. */
int indicators_import_values(store *s, const char *path, const char *actor, bool synthetic, bool progress, FILE *err,
                             indicators_counts *out);

#endif
