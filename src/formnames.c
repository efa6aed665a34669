/* formnames.c: see formnames.h. */
#include "formnames.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "muniname.h"

/* Everything kept here is guarded by one lock, held only to look up or to
 * copy; the work (hashing, sorting, rendering) happens outside it. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- the version ---------------------------------------------------------------- */

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 1099511628211ULL; /* FNV-1a */
    return h;
}

static uint64_t mix_text(uint64_t h, const char *s) { return mix(h, s ? s : "", s ? strlen(s) + 1 : 1); }

uint64_t formnames_hash(const register_view *v)
{
    uint64_t h = 1469598103934665603ULL;
    size_t n = v->map.count;
    h = mix(h, &n, sizeof n);
    for (size_t i = 0; i < n; i++) {
        const view_municipality *m = &v->municipalities[i];
        int32_t fields[3] = {m->province, m->valid_from, m->valid_to};
        h = mix(mix_text(mix_text(h, m->nis), m->name), fields, sizeof fields);
    }
    return h;
}

/* the hash per change: a change always shows the same map */
enum { MEMO = 16 };
static struct {
    int64_t change;
    uint64_t hash;
    bool used;
} memo[MEMO];
static size_t memo_next;

static bool version_of(request *rq, const register_view *v, uint64_t *out)
{
    int64_t change = web_known(rq);
    bool found = false;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < MEMO && !found; i++)
        if (memo[i].used && memo[i].change == change) {
            *out = memo[i].hash;
            found = true;
        }
    pthread_mutex_unlock(&lock);
    if (found)
        return true;
    *out = formnames_hash(v);
    pthread_mutex_lock(&lock);
    memo[memo_next].change = change;
    memo[memo_next].hash = *out;
    memo[memo_next].used = true;
    memo_next = (memo_next + 1) % MEMO;
    pthread_mutex_unlock(&lock);
    return true;
}

bool formnames_version_hash(request *rq, uint64_t *out)
{
    const register_view *v = web_view(rq);
    return v && version_of(rq, v, out);
}

const char *formnames_version(request *rq)
{
    uint64_t h;
    if (!formnames_version_hash(rq, &h))
        return NULL;
    return arena_printf(rq->arena, "%016llx", (unsigned long long)h);
}

const char *formnames_url(request *rq, date_t from, date_t to, bool by_code)
{
    const char *version = formnames_version(rq);
    if (!version)
        return NULL;
    char a[DATE_ISO_LEN], b[DATE_ISO_LEN];
    return arena_printf(rq->arena, "/municipalities/names.json?v=%s%s%s%s%s%s", version, from == DATE_NONE ? "" : "&from=",
                        from == DATE_NONE ? "" : date_format_iso(from, a), to == DATE_NONE ? "" : "&to=",
                        to == DATE_NONE ? "" : date_format_iso(to, b), by_code ? "&by=code" : "");
}

/* ---- labels of codes -------------------------------------------------------------- */

/* Per version: which codes share their last name with another code, and the
 * first day of the map (a period from it is not worth saying). */
typedef struct {
    uint64_t hash;
    unsigned char *shared; /* per code */
    size_t total;
    date_t start;
} shared_names;

enum { SHARED_KEPT = 2 };
static shared_names kept_shared[SHARED_KEPT];
static size_t shared_next;

typedef struct {
    const char *name;
    int code;
} code_name;

static int by_name(const void *x, const void *y)
{
    const code_name *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->code > b->code) - (a->code < b->code);
}

static bool build_shared(const register_view *v, uint64_t hash, shared_names *out)
{
    const rules_map *map = &v->map;
    code_name *names = calloc(map->code_total + 1, sizeof *names);
    unsigned char *shared = calloc(map->code_total + 1, 1);
    if (!names || !shared) {
        free(names);
        free(shared);
        return false;
    }
    size_t n = 0;
    date_t start = DATE_NONE;
    for (size_t i = 0; i < map->count; i++)
        start = start == DATE_NONE || map->items[i].valid_from < start ? map->items[i].valid_from : start;
    for (size_t c = 0; c < map->code_total; c++)
        if (map->code_first[c] >= 0) {
            const view_municipality *last = &v->municipalities[map->code_first[c] + map->code_count[c] - 1];
            names[n++] = (code_name){last->name ? last->name : "", (int)c};
        }
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 1; i < n; i++)
        if (strcmp(names[i - 1].name, names[i].name) == 0)
            shared[names[i - 1].code] = shared[names[i].code] = 1;
    free(names);
    *out = (shared_names){hash, shared, map->code_total, start};
    return true;
}

/* Whether code's last name is another code's too; *start the map's first day. */
static bool name_shared(request *rq, const register_view *v, int code, date_t *start)
{
    uint64_t h;
    version_of(rq, v, &h);
    for (int attempt = 0; attempt < 2; attempt++) {
        pthread_mutex_lock(&lock);
        for (size_t i = 0; i < SHARED_KEPT; i++) {
            const shared_names *s = &kept_shared[i];
            if (s->shared && s->hash == h && (size_t)code < s->total) {
                bool shared = s->shared[code];
                *start = s->start;
                pthread_mutex_unlock(&lock);
                return shared;
            }
        }
        pthread_mutex_unlock(&lock);
        shared_names fresh;
        if (attempt || !build_shared(v, h, &fresh))
            break;
        pthread_mutex_lock(&lock);
        free(kept_shared[shared_next].shared);
        kept_shared[shared_next] = fresh;
        shared_next = (shared_next + 1) % SHARED_KEPT;
        pthread_mutex_unlock(&lock);
    }
    *start = DATE_NONE;
    return false;
}

const char *formnames_code_label(request *rq, const char *nis)
{
    const register_view *v = web_view(rq);
    int code = v && nis ? nis_code(nis) : -1;
    const rules_map *map = v ? &v->map : NULL;
    if (code < 0 || (size_t)code >= map->code_total || map->code_first[code] < 0)
        return nis;
    int first = map->code_first[code], last = first + map->code_count[code] - 1;
    const char *name = v->municipalities[last].name;
    date_t start;
    if (!name_shared(rq, v, code, &start))
        return name;
    date_t from = map->items[first].valid_from, to = map->items[last].valid_to;
    return to != DATE_NONE && from != start
               ? arena_printf(rq->arena, "%s (%s tot %s)", name, page_date(rq, from), page_date(rq, to))
           : to != DATE_NONE ? arena_printf(rq->arena, "%s (tot %s)", name, page_date(rq, to))
           : from != start   ? arena_printf(rq->arena, "%s (vanaf %s)", name, page_date(rq, from))
                             : arena_printf(rq->arena, "%s (%s)", name, nis);
}

/* ---- the list of names ------------------------------------------------------------- */

/* The rendered lists of the last few (version, from, to) asked. */
enum { LISTS_KEPT = 4 };
static struct {
    uint64_t hash;
    date_t from, to;
    bool by_code;
    char *data;
    size_t len;
} kept_lists[LISTS_KEPT];
static size_t lists_next;

static bool copy_kept(request *rq, uint64_t h, date_t from, date_t to, bool by_code)
{
    bool found = false;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < LISTS_KEPT && !found; i++)
        if (kept_lists[i].data && kept_lists[i].hash == h && kept_lists[i].from == from && kept_lists[i].to == to &&
            kept_lists[i].by_code == by_code) {
            buf_add(&rq->body, kept_lists[i].data, kept_lists[i].len);
            found = true;
        }
    pthread_mutex_unlock(&lock);
    return found;
}

static void keep_list(uint64_t h, date_t from, date_t to, bool by_code, const buf *body)
{
    char *copy = malloc(body->len ? body->len : 1);
    if (!copy)
        return;
    memcpy(copy, body->data, body->len);
    pthread_mutex_lock(&lock);
    free(kept_lists[lists_next].data);
    kept_lists[lists_next].hash = h;
    kept_lists[lists_next].from = from;
    kept_lists[lists_next].to = to;
    kept_lists[lists_next].by_code = by_code;
    kept_lists[lists_next].data = copy;
    kept_lists[lists_next].len = body->len;
    lists_next = (lists_next + 1) % LISTS_KEPT;
    pthread_mutex_unlock(&lock);
}

static int by_text(const void *p, const void *q) { return strcmp(*(const char *const *)p, *(const char *const *)q); }

/* The label of every code with an identity valid on some day from..to, sorted. */
static size_t code_labels(request *rq, const register_view *v, date_t from, date_t to, const char ***out)
{
    const rules_map *map = &v->map;
    const char **labels = arena_calloc(rq->arena, map->code_total + 1, sizeof *labels);
    size_t n = 0;
    for (size_t c = 0; c < map->code_total; c++) {
        int first = map->code_first[c];
        bool valid = false;
        for (int i = first; first >= 0 && i < first + map->code_count[c] && !valid; i++) {
            const view_municipality *m = &v->municipalities[i];
            valid = (to == DATE_NONE || m->valid_from <= to) &&
                    (from == DATE_NONE || m->valid_to == DATE_NONE || m->valid_to >= from);
        }
        if (valid)
            labels[n++] = formnames_code_label(rq, v->municipalities[first].nis);
    }
    qsort(labels, n, sizeof *labels, by_text);
    *out = labels;
    return n;
}

void page_municipality_names(request *rq)
{
    date_t from = web_date_param(rq, "from", DATE_NONE);
    if (rq->status != 200)
        return;
    date_t to = web_date_param(rq, "to", DATE_NONE);
    if (rq->status != 200)
        return;
    const char *by = web_param(rq, "by");
    if (by && strcmp(by, "code") != 0) {
        web_error(rq, 400, "bad_by", "De parameter by kan alleen code zijn (een naam per NIS-code).");
        return;
    }
    bool by_code = by != NULL;
    const register_view *v = web_view(rq);
    uint64_t h;
    if (!v || !version_of(rq, v, &h))
        return;
    const char *version = arena_printf(rq->arena, "%016llx", (unsigned long long)h), *asked = web_param(rq, "v");
    char a[DATE_ISO_LEN], b[DATE_ISO_LEN];
    rq->content_type = "application/json";
    web_header(rq, "ETag", arena_printf(rq->arena, "\"%s-%s-%s%s\"", version, from == DATE_NONE ? "" : date_format_iso(from, a),
                                        to == DATE_NONE ? "" : date_format_iso(to, b), by_code ? "-code" : ""));
    /* the URL names the version: what it answers never changes */
    web_header(rq, "Cache-Control", asked && strcmp(asked, version) == 0 ? "public, max-age=31536000, immutable"
                                                                          : "no-cache");
    if (copy_kept(rq, h, from, to, by_code))
        return;
    const char **names = NULL;
    size_t n = by_code ? code_labels(rq, v, from, to, &names) : muniname_names(v, from, to, rq->arena, &names);
    buf_putc(&rq->body, '[');
    for (size_t i = 0; i < n; i++)
        buf_fmt(&rq->body, "%s%j", i ? "," : "", names[i]);
    buf_puts(&rq->body, "]\n");
    keep_list(h, from, to, by_code, &rq->body);
}
