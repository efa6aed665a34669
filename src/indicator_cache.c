/* indicator_cache.c: see indicator_cache.h. A few entries under one mutex;
 * a load runs outside it, marked so that others wait for it. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "indicator_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "i18n.h"

enum { KEEP = 2 }; /* the current version and one more (as_known_at, or the one before an import) */

typedef struct {
    indicator_set set; /* first: a set is its entry */
    arena *a;
    int refs;
    bool listed, loading;
    uint64_t used;
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t load_done = PTHREAD_COND_INITIALIZER;
static entry *entries[KEEP];
static uint64_t tick;

static void entry_free(entry *e)
{
    for (size_t i = 0; e->set.values && i < e->set.ndefs; i++) {
        free(e->set.values[i].items);
        free(e->set.values[i].first);
    }
    arena_free(e->a);
    free(e);
}

long indicator_set_def(const indicator_set *s, const char *code)
{
    for (size_t i = 0; code && i < s->ndefs; i++)
        if (strcmp(s->defs[i].code, code) == 0)
            return (long)i;
    return -1;
}

/* ---- loading ------------------------------------------------------------- */

typedef struct {
    indicator_set *s;
    const rules_map *m;
    size_t *cap; /* [ndefs] */
    long last;   /* the definition of the previous value: they come by indicator */
    bool failed;
} loader;

static int collect(void *ctx, const char *indicator, const char *nis, const char *period_text, double value,
                   bool synthetic)
{
    loader *l = ctx;
    indicator_set *s = l->s;
    long i = l->last >= 0 && strcmp(s->defs[l->last].code, indicator) == 0 ? l->last : indicator_set_def(s, indicator);
    int code = nis_code(nis), period;
    if (i < 0 || code < 0 || !period_text || !rules_period_parse(period_text, strlen(period_text), &period))
        return 0;
    l->last = i;
    int id = rules_identity_in_period(l->m, code, period);
    if (id < 0)
        return 0; /* the import refuses these; a changed map could leave one */
    ind_values *v = &s->values[i];
    if (v->n == IND_VALUES_MAX) {
        fprintf(stderr, _("somon: indicator '%s' has more than %lu values; the server cannot keep them in memory\n"),
                indicator, (unsigned long)IND_VALUES_MAX);
        l->failed = true;
        return 1;
    }
    if (v->n == l->cap[i]) {
        size_t cap = l->cap[i] ? l->cap[i] * 2 : 1024;
        rules_ind_value *items = realloc(v->items, cap * sizeof *items);
        if (!items) {
            l->failed = true;
            return 1;
        }
        v->items = items;
        l->cap[i] = cap;
    }
    v->items[v->n++] = (rules_ind_value){.identity = id, .period = period, .value = value, .synthetic = synthetic};
    return 0;
}

static int by_identity_period(const void *p, const void *q)
{
    const rules_ind_value *a = p, *b = q;
    if (a->identity != b->identity)
        return a->identity < b->identity ? -1 : 1;
    return (a->period > b->period) - (a->period < b->period);
}

/* Sorts one definition's values by identity and indexes them. They come by
 * NIS code and period, which is nearly always that order already. The array
 * loses the room collect() doubled it by (up to half of it), and a definition
 * without values (a rate) needs no index. */
static bool index_values(ind_values *v, size_t count)
{
    if (!v->n)
        return true;
    rules_ind_value *fit = realloc(v->items, v->n * sizeof *v->items);
    if (fit)
        v->items = fit;
    bool sorted = true;
    for (size_t k = 1; k < v->n && sorted; k++)
        sorted = by_identity_period(&v->items[k - 1], &v->items[k]) <= 0;
    if (!sorted)
        qsort(v->items, v->n, sizeof *v->items, by_identity_period);
    v->first = calloc(count + 1, sizeof *v->first);
    if (!v->first)
        return false;
    for (size_t k = 0; k < v->n; k++)
        v->first[v->items[k].identity + 1]++;
    for (size_t i = 0; i < count; i++)
        v->first[i + 1] += v->first[i];
    return true;
}

/* The position of period in the sorted periods[n], or where it would go. */
static size_t period_at(const int *periods, size_t n, int period)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (periods[mid] < period)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Values in identity order copied into out by period, then identity: the
 * order rules_ind_aggregate works in, made in linear time (a stable
 * distribution over the few distinct periods) instead of a sort of every
 * value. Sets *nperiods (unless NULL) to the number of distinct periods:
 * the most points they aggregate to. False when memory runs out. */
static bool distribute(const rules_ind_value *items, size_t n, rules_ind_value *out, size_t *nperiods)
{
    int *periods = NULL;
    size_t np = 0, cap = 0, *start = NULL;
    bool ok = true;
    for (size_t k = 0; ok && k < n; k++) {
        size_t at = period_at(periods, np, items[k].period);
        if (at < np && periods[at] == items[k].period)
            continue;
        if (np == cap) {
            int *p = realloc(periods, (cap = cap ? cap * 2 : 64) * sizeof *p);
            if (!(ok = p != NULL))
                break;
            periods = p;
        }
        memmove(periods + at + 1, periods + at, (np - at) * sizeof *periods);
        periods[at] = items[k].period;
        np++;
    }
    if (ok && !(start = calloc(np + 1, sizeof *start)))
        ok = false;
    for (size_t k = 0; ok && k < n; k++)
        start[period_at(periods, np, items[k].period) + 1]++;
    for (size_t i = 0; ok && i < np; i++)
        start[i + 1] += start[i];
    for (size_t k = 0; ok && k < n; k++)
        out[start[period_at(periods, np, items[k].period)]++] = items[k];
    free(periods);
    free(start);
    if (nperiods)
        *nperiods = np;
    return ok;
}

/* A copy of a definition's values in that order, and the number of its
 * periods; NULL when memory runs out. */
static rules_ind_value *by_period(const ind_values *v, size_t *nperiods)
{
    rules_ind_value *out = malloc((v->n + 1) * sizeof *out);
    if (out && !distribute(v->items, v->n, out, nperiods)) {
        free(out);
        return NULL;
    }
    return out;
}

/* The parts of definition def: its own values, or a rate's numerator and
 * denominator; false for a rate whose parts are not defined. */
static bool parts(const indicator_set *s, size_t def, long *num, long *den)
{
    const indicator_def *x = &s->defs[def];
    *num = (long)def;
    *den = -1;
    if (strcmp(x->kind, "rate") != 0)
        return true;
    *num = indicator_set_def(s, x->numerator);
    *den = indicator_set_def(s, x->denominator);
    return *num >= 0 && *den >= 0;
}

static bool flanders_series(indicator_set *s, const rules_map *m, arena *a)
{
    s->flanders_series = arena_calloc(a, s->ndefs + 1, sizeof *s->flanders_series);
    for (size_t i = 0; i < s->ndefs; i++) {
        long ni, di;
        if (!parts(s, i, &ni, &di))
            continue;
        size_t periods = 0;
        rules_ind_value *num = by_period(&s->values[ni], &periods);
        rules_ind_value *den = di >= 0 ? by_period(&s->values[di], NULL) : NULL;
        bool ok = num && (di < 0 || den);
        if (ok) {
            ind_series *f = &s->flanders_series[i];
            f->p = arena_alloc(a, (periods + 1) * sizeof *f->p); /* a point per period at most */
            f->n = rules_ind_aggregate(m, s->unit, s->flanders, num, s->values[ni].n, den,
                                       di >= 0 ? s->values[di].n : 0, f->p);
        }
        free(num);
        free(den);
        if (!ok)
            return false;
    }
    return true;
}

/* Reads the definitions and values of version into e and maps them on m. */
static bool fill(entry *e, store *db, const rules_map *m)
{
    indicator_set *s = &e->set;
    s->count = m->count;
    if (store_indicator_defs(db, s->version, e->a, &s->defs, &s->ndefs))
        return false;
    s->values = arena_calloc(e->a, s->ndefs + 1, sizeof *s->values);
    loader l = {s, m, arena_calloc(e->a, s->ndefs + 1, sizeof *l.cap), -1, false};
    if (s->ndefs && (store_indicator_values(db, s->version, NULL, collect, &l) || l.failed))
        return false;
    for (size_t i = 0; i < s->ndefs; i++)
        if (!index_values(&s->values[i], s->count))
            return false;
    s->unit = arena_alloc(e->a, (s->count + 1) * sizeof *s->unit);
    s->flanders = arena_alloc(e->a, s->count + 1);
    rules_units(m, s->unit);
    rules_area_province(m, s->unit, ROW_FLANDERS, s->flanders);
    return flanders_series(s, m, e->a);
}

/* ---- the entries ------------------------------------------------------------- */

static entry *find(int64_t version, size_t count)
{
    for (int i = 0; i < KEEP; i++)
        if (entries[i] && entries[i]->set.version == version && entries[i]->set.count == count)
            return entries[i];
    return NULL;
}

static void unlist(entry *e)
{
    for (int i = 0; i < KEEP; i++)
        if (entries[i] == e)
            entries[i] = NULL;
    e->listed = false;
}

/* Lists e in a free slot or in that of the least recently used entry that is
 * not loading; returns that entry when nobody holds it (to free outside the
 * lock). Without such a slot e stays unlisted and goes with its last holder. */
static entry *insert(entry *e)
{
    int slot = -1;
    for (int i = 0; i < KEEP && slot < 0; i++)
        if (!entries[i])
            slot = i;
    entry *out = NULL;
    if (slot < 0) {
        for (int i = 0; i < KEEP; i++)
            if (!entries[i]->loading && (slot < 0 || entries[i]->used < entries[slot]->used))
                slot = i;
        if (slot < 0)
            return NULL;
        out = entries[slot];
        unlist(out);
        if (out->refs > 0)
            out = NULL;
    }
    entries[slot] = e;
    e->listed = true;
    return out;
}

const indicator_set *indicator_cache_acquire(store *db, int64_t known, const rules_map *m)
{
    int64_t version = store_indicator_version(db, known);
    if (version < 0)
        return NULL;
    pthread_mutex_lock(&lock);
    entry *e;
    while ((e = find(version, m->count)) && e->loading)
        pthread_cond_wait(&load_done, &lock);
    if (e) {
        e->refs++;
        e->used = ++tick;
        pthread_mutex_unlock(&lock);
        return &e->set;
    }
    e = calloc(1, sizeof *e);
    if (!e) {
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    e->a = arena_new();
    e->set.version = version;
    e->set.count = m->count;
    e->refs = 1;
    e->loading = true;
    e->used = ++tick;
    entry *evicted = insert(e);
    pthread_mutex_unlock(&lock);
    if (evicted)
        entry_free(evicted);

    bool ok = fill(e, db, m);
    pthread_mutex_lock(&lock);
    e->loading = false;
    if (!ok && e->listed)
        unlist(e);
    pthread_cond_broadcast(&load_done);
    pthread_mutex_unlock(&lock);
    if (!ok) {
        indicator_cache_release(&e->set);
        return NULL;
    }
    return &e->set;
}

void indicator_cache_release(const indicator_set *s)
{
    if (!s)
        return;
    entry *e = (entry *)s;
    pthread_mutex_lock(&lock);
    bool drop = --e->refs == 0 && !e->listed;
    pthread_mutex_unlock(&lock);
    if (drop)
        entry_free(e);
}

void indicator_cache_clear(void)
{
    pthread_mutex_lock(&lock);
    entry *out[KEEP];
    int n = 0;
    for (int i = 0; i < KEEP; i++)
        if (entries[i] && !entries[i]->loading) {
            entry *e = entries[i];
            unlist(e);
            if (e->refs == 0)
                out[n++] = e;
        }
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < n; i++)
        entry_free(out[i]);
}

/* ---- aggregation ------------------------------------------------------------- */

/* The values of the identities ids (increasing) of one definition, in a, by
 * period and identity; *room (unless NULL) is the most points they
 * aggregate to. */
static rules_ind_value *gather(const ind_values *v, const int *ids, size_t nids, arena *a, size_t *n, size_t *room)
{
    size_t total = 0;
    for (size_t k = 0; v->first && k < nids; k++)
        total += v->first[ids[k] + 1] - v->first[ids[k]];
    rules_ind_value *out = arena_alloc(a, (total + 1) * sizeof *out);
    *n = 0;
    for (size_t k = 0; v->first && k < nids; k++) {
        size_t from = v->first[ids[k]], to = v->first[ids[k] + 1];
        memcpy(out + *n, v->items + from, (to - from) * sizeof *out);
        *n += to - from;
    }
    rules_ind_value *sorted = arena_alloc(a, (*n + 1) * sizeof *sorted);
    if (distribute(out, *n, sorted, room))
        return sorted;
    if (room)
        *room = *n;
    return out; /* rules_ind_aggregate sorts it */
}

ind_series indicator_set_aggregate(const indicator_set *s, const rules_map *m, size_t def, const unsigned char *state,
                                   const int *ids, size_t nids, arena *a)
{
    if (def >= s->ndefs)
        return (ind_series){NULL, 0};
    if (state == s->flanders)
        return s->flanders_series[def];
    long ni, di;
    if (!parts(s, def, &ni, &di))
        return (ind_series){NULL, 0};
    size_t nnum, nden = 0, room;
    rules_ind_value *num = gather(&s->values[ni], ids, nids, a, &nnum, &room);
    rules_ind_value *den = di >= 0 ? gather(&s->values[di], ids, nids, a, &nden, NULL) : NULL;
    ind_series out = {arena_alloc(a, (room + 1) * sizeof *out.p), 0};
    out.n = rules_ind_aggregate_in(m, s->unit, state, ids, nids, num, nnum, den, nden, out.p);
    return out;
}

/* ---- read ahead (readahead.c) ---- */

void indicator_cache_read_ahead(store *s, int64_t known, const rules_map *map)
{
    const indicator_set *set = indicator_cache_acquire(s, known, map);
    indicator_cache_release(set);
}
