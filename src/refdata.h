/* refdata.h: the reference data in data/ (or another folder in the same
 * layout): municipalities.csv, mergers.csv and principles.csv, read with
 * libcsv and checked row by row. refdata_install() loads them into the store
 * as one change, unless they equal what the store holds already, so that
 * `somon init` can run any number of times. */
#ifndef SOMON_REFDATA_H
#define SOMON_REFDATA_H

#include <stdio.h>

#include "arena.h"
#include "store.h"

/* Reads the three files of dir. Problems go to err, one line each with file
 * and row; returns 0 or a sysexits code (EX_NOINPUT, EX_DATAERR). */
int refdata_read(const char *dir, arena *a, reference_data *out, FILE *err);

/* Reads dir and records it (and the organisation VDAB, and the indicator
 * definitions of dir/indicators.csv when that file exists) when anything differs.
 * *changed tells whether a change was recorded. Returns a sysexits code. */
int refdata_install(store *s, const char *dir, const char *actor, FILE *err, int *changed);

#endif
