/* register_all.c: see register_all.h. */
#define _POSIX_C_SOURCE 200809L
#include "register_all.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "i18n.h"

enum { REGISTER_ALL_SLOT = 1 }; /* cache.h: the chart is slot 0 */

typedef struct {
    const char *agreement;
    size_t index;
} by_agreement;

static int agreement_then_index(const void *x, const void *y)
{
    const by_agreement *a = x, *b = y;
    int c = strcmp(a->agreement ? a->agreement : "", b->agreement ? b->agreement : "");
    return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* The meetings grouped by agreement, each group in the store's order. */
static size_t *index_meetings(arena *a, const meeting *ms, size_t n)
{
    by_agreement *pairs = malloc((n + 1) * sizeof *pairs);
    size_t *order = arena_alloc(a, (n + 1) * sizeof *order);
    if (!pairs)
        return NULL;
    for (size_t i = 0; i < n; i++)
        pairs[i] = (by_agreement){ms[i].agreement, i};
    if (n > 1)
        qsort(pairs, n, sizeof *pairs, agreement_then_index);
    for (size_t i = 0; i < n; i++)
        order[i] = pairs[i].index;
    free(pairs);
    return order;
}

static compliance_held *index_held(arena *a, const meeting *ms, size_t n, size_t *count)
{
    compliance_held *h = arena_alloc(a, (n + 1) * sizeof *h);
    *count = 0;
    for (size_t i = 0; i < n; i++)
        if (ms[i].state == MEETING_HELD && ms[i].held_on != DATE_NONE)
            h[(*count)++] = (compliance_held){ms[i].body_uid, ms[i].held_on};
    compliance_held_sort(h, *count);
    return h;
}

int register_all_load(store *s, int64_t known, arena *a, register_all *r)
{
    memset(r, 0, sizeof *r);
    r->known = known;
    if (store_get_agreements(s, known, a, &r->agreements, &r->agreement_count) ||
        store_evaluations(s, known, NULL, a, &r->evaluations, &r->evaluation_count) ||
        store_get_meetings(s, known, NULL, a, &r->meetings, &r->meeting_count) ||
        store_orphan_evaluations(s, known, NULL, a, &r->orphans[0], &r->orphan_count[0]) ||
        store_orphan_meetings(s, known, NULL, a, &r->orphans[1], &r->orphan_count[1]) ||
        store_get_organisations(s, known, a, &r->organisations, &r->organisation_count))
        return -1;
    r->meetings_by_agreement = index_meetings(a, r->meetings, r->meeting_count);
    r->held = index_held(a, r->meetings, r->meeting_count, &r->held_count);
    return r->meetings_by_agreement ? 0 : -1;
}

/* ---- kept per version in the view cache ---- */

enum { DAYS_KEPT = 2 }; /* days whose values a version keeps (about 10 MB each for 50,000 agreements): today's, and the next day's after midnight */

typedef struct {
    int kind;
    date_t day;
    arena *arena;
    const void *value;
} day_value;

/* Values per day: today's, as long as slots are free. */
struct register_all_days {
    pthread_mutex_t lock;
    day_value slot[DAYS_KEPT];
};

typedef struct {
    arena *arena;
    register_all all;
    struct register_all_days days;
} kept;

static void kept_free(void *p)
{
    kept *k = p;
    if (!k)
        return;
    for (int i = 0; i < DAYS_KEPT; i++)
        arena_free(k->days.slot[i].arena);
    pthread_mutex_destroy(&k->days.lock);
    arena_free(k->arena);
}

static void *kept_load(store *db, int64_t known)
{
    arena *a = arena_new();
    kept *k = arena_calloc(a, 1, sizeof *k);
    k->arena = a;
    if (register_all_load(db, known, a, &k->all)) {
        arena_free(a);
        return NULL;
    }
    pthread_mutex_init(&k->days.lock, NULL);
    k->all.days = &k->days;
    return k;
}

const void *register_all_by_day(const register_all *r, int kind, date_t d,
                                void *(*compute)(const register_all *r, date_t d, arena *a), arena *fallback)
{
    struct register_all_days *m = r->days;
    /* only today's are kept: the pages ask for today unless told otherwise,
     * and another day's values (10 MB for 50,000 agreements) kept for the
     * version were memory a sweep of random dates held to no use (issue 12) */
    if (!m || d != moment_local_date(moment_now()))
        return compute(r, d, fallback);
    /* under the lock: two requests for the same day compute it once */
    pthread_mutex_lock(&m->lock);
    int free_slot = -1;
    for (int i = 0; i < DAYS_KEPT; i++) {
        if (m->slot[i].value && m->slot[i].kind == kind && m->slot[i].day == d) {
            const void *v = m->slot[i].value;
            pthread_mutex_unlock(&m->lock);
            return v;
        }
        if (!m->slot[i].value && free_slot < 0)
            free_slot = i;
    }
    /* a value handed out may be in use until r goes: none is replaced; when
     * all slots are taken, the day is computed for this request alone */
    if (free_slot < 0) {
        pthread_mutex_unlock(&m->lock);
        return compute(r, d, fallback);
    }
    arena *a = arena_new();
    const void *v = compute(r, d, a);
    if (v)
        m->slot[free_slot] = (day_value){kind, d, a, v};
    else
        arena_free(a);
    pthread_mutex_unlock(&m->lock);
    return v;
}

const register_all *register_all_of(request *rq)
{
    if (!web_view(rq))
        return NULL;
    kept *k = cache_memo_load(rq->view_entry, REGISTER_ALL_SLOT, rq->db, kept_load, kept_free);
    if (!k) {
        web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden.");
        return NULL;
    }
    return &k->all;
}

/* ---- read ahead (readahead.c) ---- */

bool register_all_read_ahead(store *db, cache_entry *e, int64_t known)
{
    if (!cache_memo_load(e, REGISTER_ALL_SLOT, db, kept_load, kept_free))
        return false;
    cache_drop_memo(REGISTER_ALL_SLOT, known); /* only the newest is kept */
    return true;
}

const agreement *register_all_agreement(const register_all *r, const char *id)
{
    size_t lo = 0, hi = r->agreement_count;
    while (id && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(r->agreements[mid].id, id);
        if (c == 0)
            return &r->agreements[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static const char *agreement_of(const register_all *r, size_t k)
{
    const char *id = r->meetings[r->meetings_by_agreement[k]].agreement;
    return id ? id : "";
}

const size_t *register_all_meetings_of(const register_all *r, const char *id, size_t *n)
{
    size_t lo = 0, hi = r->meeting_count;
    *n = 0;
    while (lo < hi) { /* the first meeting of id or after */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(agreement_of(r, mid), id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < r->meeting_count && strcmp(agreement_of(r, end), id) == 0)
        end++;
    *n = end - lo;
    return r->meetings_by_agreement + lo;
}

const store_evaluation *register_all_evaluations_of(const register_all *r, const char *id, size_t *n)
{
    size_t lo = 0, hi = r->evaluation_count;
    while (lo < hi) { /* the first evaluation of id or after (the store sorts them by agreement) */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(r->evaluations[mid].agreement, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < r->evaluation_count && strcmp(r->evaluations[end].agreement, id) == 0)
        end++;
    *n = end - lo;
    return r->evaluations + lo;
}

const compliance_held *register_all_held(const register_all *r, int64_t body, size_t *n)
{
    size_t first;
    *n = compliance_held_slice(r->held, r->held_count, body, &first);
    return *n ? r->held + first : NULL;
}
