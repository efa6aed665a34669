/* indicator_cache.h: the indicator values per indicator-data version (issue
 * 12), read once, mapped to the map's identities and sorted, shared read-only
 * by every request and thread.
 *
 * Reading, mapping and sorting a million values takes about half a second
 * (bench/README.md);
 * the values only change when indicators or the reference map are imported.
 * A set is kept by the version store_indicator_version() gives for the
 * request's change (an edit of an agreement keeps it), reference-counted: a
 * page acquires it and releases it before it returns; the two most recently
 * used versions stay listed (about 18 MB each for a million values over
 * 100,000 identities: 16 bytes a value, 4 bytes an identity per definition
 * with values). Only one thread loads a version; others asking for it wait
 * for that load instead of repeating it.
 *
 * A page then aggregates per area on request from the values of the area's
 * identities only (indicator_set_aggregate); the series of Flanders, asked by
 * every page, is computed once with the set. The figures are those of
 * rules_ind_aggregate over all values (rules_indicators.h), to the bit.
 *
 * The server reads each new version ahead (readahead.h), this set with it, so
 * that the first page after a start or an import finds it ready. */
#ifndef SOMON_INDICATOR_CACHE_H
#define SOMON_INDICATOR_CACHE_H

#include <stdint.h>

#include "arena.h"
#include "rules_indicators.h"
#include "store.h"

/* At most IND_VALUES_MAX values of one definition: first[] holds 32-bit
 * offsets (half the memory of size_t ones). A load that meets more refuses
 * the whole set with a message on standard error, and the pages say the
 * indicators cannot be read (16 bytes a value: 64 GB of one indicator). */
#define IND_VALUES_MAX UINT32_MAX

typedef struct {
    rules_ind_value *items; /* sorted by identity, then period; exactly n */
    size_t n;
    uint32_t *first; /* [count + 1]: identity i has items[first[i] .. first[i + 1]); NULL when n is 0 */
} ind_values;

typedef struct {
    rules_ind_point *p;
    size_t n;
} ind_series;

typedef struct {
    int64_t version;
    indicator_def *defs; /* sorted by code */
    size_t ndefs;
    size_t count;             /* identities of the map */
    ind_values *values;       /* [ndefs] */
    int *unit;                /* [count]: rules_units */
    unsigned char *flanders;  /* [count]: rules_area_province(ROW_FLANDERS) */
    ind_series *flanders_series; /* [ndefs] */
} indicator_set;

/* The set of the indicator data known at change `known`, on map m (the
 * view's map of that change), loading it through db when missing. NULL when
 * it cannot be read. Release it with indicator_cache_release. */
const indicator_set *indicator_cache_acquire(store *db, int64_t known, const rules_map *m);
void indicator_cache_release(const indicator_set *s);

/* The index of the definition with this code, or -1. */
long indicator_set_def(const indicator_set *s, const char *code);

/* The series of definition def over an area (state[] by unit from
 * rules_area_*; ids, nids its identities from rules_area_identities), with
 * its points in a. state == s->flanders gives the stored series of
 * Flanders. A rate whose parts are not defined has no points. */
ind_series indicator_set_aggregate(const indicator_set *s, const rules_map *m, size_t def, const unsigned char *state,
                                   const int *ids, size_t nids, arena *a);

/* For readahead.c: loads the set of change known (when its version is not
 * loaded yet), so that the first page after a start or an import finds it. */
void indicator_cache_read_ahead(store *s, int64_t known, const rules_map *map);

/* Frees every unheld set (at shutdown and in tests). */
void indicator_cache_clear(void);

#endif
