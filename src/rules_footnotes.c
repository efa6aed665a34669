/* rules_footnotes.c: see rules_footnotes.h. */
#include "rules_footnotes.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static const char *const KIND_NAMES[] = {"pipeline", "planned", "later", "ending", "nothing"};
static const char *const KIND_LABELS[] = {"pijplijn", "geplande partij", "later gebonden", "loopt af",
                                          "niets in zicht"};

const char *footnote_kind_name(footnote_kind k)
{
    return (unsigned)k <= FOOTNOTE_NOTHING ? KIND_NAMES[k] : "";
}

const char *footnote_kind_label_nl(footnote_kind k)
{
    return (unsigned)k <= FOOTNOTE_NOTHING ? KIND_LABELS[k] : "";
}

/* The outreach log parsed once: each entry's code and stage (code -1 when
 * its municipality or stage is not one the rules know), and room to gather
 * the entries of one municipality. */
typedef struct {
    int code;
    size_t i;
} coded_entry;

typedef struct {
    const outreach_entry *log;
    size_t n;
    int *codes;
    rules_outreach_entry *entries, *mine;
    size_t *index;
    coded_entry *by_code; /* the entries with a known code, by code, then log order */
    size_t coded;
    int *seen;  /* per entry: the gathering that last took it */
    int gathering; /* the gatherings so far (one per municipality asked) */
} outreach_log;

/* What the derivation works with: what every province shares, made once by
 * footnotes_begin in the walk's own arena, and the footnotes of the
 * derivation under way. */
struct footnotes_walk {
    const register_view *v;
    arena *own;
    date_t d, p;
    const rules_coverage *on_d, *on_p; /* on_p only with a prognosis */
    rules_coverage made_d, made_p;     /* those the caller did not give (on_d, on_p point here) */
    int *successor;         /* [map.count]: the identity it merged into, or -1 */
    /* the identities of each province in the order of their names: those of
     * province p from province_start[p] to province_start[p + 1] */
    uint32_t *by_province;
    size_t province_start[PROVINCE_COUNT + 1];
    signed char *covered_d; /* [map.count]: memo of covered_on_d, -1 unknown */
    /* nothing in sight: the earliest party naming an identity after its day,
     * the signed agreements without start, the outreach log */
    int *later_agreement;
    date_t *later_from;
    rules_unstarted unstarted;
    bool has_unstarted;
    outreach_log outreach;
    /* finding a footnote without a search: the first footnote of each
     * agreement ([agreement_count + 1], the last for nothing in sight; -1
     * again after each derivation) and the next of the same agreement */
    int *first_of;
    int *next;
    size_t next_cap;
    /* the derivation under way: its footnotes (in its arena a) and their
     * items in the order they are found (pool, with the footnote of each in
     * owner and the last item of each footnote in last), placed per footnote
     * at its end; pool and the rest are the walk's, kept for the next */
    arena *a;
    footnote *items;
    size_t count, cap;
    footnote_item *pool;
    int *owner, *last;
    size_t pooled, pool_cap, owner_cap, last_cap;
    footnote_item *sort_items;
    footnote *sort_footnotes;
    size_t sort_items_cap, sort_footnotes_cap;
};
typedef struct footnotes_walk ctx;

/* Whether identity j counts as covered on D: j itself when it existed on D,
 * else all of its former municipalities (a municipality that did not exist
 * on D and has none was not covered). */
static bool covered_on_d(ctx *c, int j, int depth)
{
    if (c->covered_d[j] >= 0)
        return c->covered_d[j];
    const rules_map *m = &c->v->map;
    const rules_municipality *mu = &m->items[j];
    bool covered = false;
    if (rules_municipality_valid_on(mu, c->d))
        covered = c->on_d->state[j] == COVER_FULL;
    else if (mu->pred_count > 0 && depth < 16) {
        covered = true;
        for (int k = 0; k < mu->pred_count && covered; k++)
            covered = covered_on_d(c, m->preds[mu->first_pred + k], depth + 1);
    }
    c->covered_d[j] = covered;
    return covered;
}

/* The identity valid on day t that id became, or -1. */
static int lift(const ctx *c, int id, date_t t)
{
    for (int hops = 0; id >= 0 && hops < 16; hops++) {
        if (rules_municipality_valid_on(&c->v->map.items[id], t))
            return id;
        id = c->successor[id];
    }
    return -1;
}

/* The footnote of (kind, province, agreement), added when new. */
static footnote *footnote_for(ctx *c, footnote_kind kind, int province, int ag)
{
    int *slot = &c->first_of[ag >= 0 ? (size_t)ag : c->v->agreement_count];
    for (int i = *slot; i >= 0; i = c->next[i])
        if (c->items[i].kind == kind && c->items[i].province == province)
            return &c->items[i];
    c->items = arena_grow(c->a, c->items, &c->cap, c->count + 1, sizeof *c->items);
    c->next = arena_grow(c->own, c->next, &c->next_cap, c->count + 1, sizeof *c->next);
    c->last = arena_grow(c->own, c->last, &c->last_cap, c->count + 1, sizeof *c->last);
    c->next[c->count] = *slot;
    c->last[c->count] = -1;
    *slot = (int)c->count;
    footnote *f = &c->items[c->count++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->province = province;
    f->agreement = ag;
    f->expected = DATE_NONE;
    if (ag >= 0) {
        const rules_agreement *ra = &c->v->rules_agreements[ag];
        f->status = ra->status;
        if (kind == FOOTNOTE_PIPELINE)
            f->expected = ra->expected_start;
    }
    return f;
}

/* Adds identity to f once; returns the item (new items are zeroed but for
 * the identity and via), valid until the next item is added. The items of
 * one identity are added one after the other (one municipality is
 * attributed at a time), so the last item is the only one that can be the
 * same. Added through two former municipalities, it names neither: the
 * agreement adds all that was missing. The items of all footnotes go into
 * one pool as they are found (a footnote has four on average: an array of
 * its own, doubling from eight, took three times their size; issue 12). */
static footnote_item *add_item(ctx *c, footnote *f, int identity, int via)
{
    size_t at = (size_t)(f - c->items);
    if (c->last[at] >= 0 && c->pool[c->last[at]].identity == identity) {
        footnote_item *it = &c->pool[c->last[at]];
        if (it->via != via)
            it->via = -1;
        return it;
    }
    c->pool = arena_grow(c->own, c->pool, &c->pool_cap, c->pooled + 1, sizeof *c->pool);
    c->owner = arena_grow(c->own, c->owner, &c->owner_cap, c->pooled + 1, sizeof *c->owner);
    c->owner[c->pooled] = (int)at;
    c->last[at] = (int)c->pooled;
    f->count++;
    footnote_item *it = &c->pool[c->pooled++];
    *it = (footnote_item){identity, via, DATE_NONE, COVER_NONE, OUTREACH_NONE, DATE_NONE, NULL, -1, DATE_NONE, -1};
    return it;
}

static footnote_kind kind_of(const rules_agreement *a, const rules_party *p)
{
    if (status_is_pipeline(a->status))
        return FOOTNOTE_PIPELINE;
    return rules_party_is_planned(p) ? FOOTNOTE_PLANNED : FOOTNOTE_LATER;
}

/* Identity j (valid on P) is added by P: the parties covering node (j, or
 * a former municipality of j not covered on D) in the prognosis each give it
 * to their agreement's footnote. */
static void attribute_added(ctx *c, int j, int node, int depth)
{
    const rules_link *l;
    size_t n = rules_links_of(c->on_p, node, &l);
    for (size_t i = 0; i < n; i++) {
        const rules_agreement *a = &c->v->rules_agreements[l[i].agreement];
        footnote *f = footnote_for(c, kind_of(a, &a->parties[l[i].party]), c->v->map.items[j].province,
                                   l[i].agreement);
        footnote_item *it = add_item(c, f, j, node == j ? -1 : node);
        if (it->from == DATE_NONE || l[i].from < it->from)
            it->from = l[i].from;
        if (f->kind != FOOTNOTE_PIPELINE && (f->expected == DATE_NONE || it->from < f->expected))
            f->expected = it->from;
    }
    if (n > 0 || depth >= 16)
        return;
    const rules_municipality *mu = &c->v->map.items[node];
    for (int k = 0; k < mu->pred_count; k++) {
        int pred = c->v->map.preds[mu->first_pred + k];
        if (!covered_on_d(c, pred, 0))
            attribute_added(c, j, pred, depth + 1);
    }
}

/* Identity i (valid on D) is covered on D and what it became on P is not:
 * the agreements whose coverage of i (or of its former municipalities) ends
 * before P. */
static void attribute_ending(ctx *c, int i, int node, int depth)
{
    const rules_link *l;
    size_t n = rules_links_of(c->on_d, node, &l);
    for (size_t k = 0; k < n; k++) {
        if (l[k].to == DATE_NONE || l[k].to >= c->p)
            continue;
        footnote *f = footnote_for(c, FOOTNOTE_ENDING, c->v->map.items[i].province, l[k].agreement);
        footnote_item *it = add_item(c, f, i, node == i ? -1 : node);
        if (it->from == DATE_NONE || l[k].to > it->from)
            it->from = l[k].to;
        if (f->expected == DATE_NONE || it->from > f->expected)
            f->expected = it->from;
    }
    if (n > 0 || depth >= 16)
        return;
    const rules_municipality *mu = &c->v->map.items[node];
    for (int k = 0; k < mu->pred_count; k++)
        attribute_ending(c, i, c->v->map.preds[mu->first_pred + k], depth + 1);
}

/* A 5-digit NIS code as a number, or -1 (store.c's nis_code, kept here so
 * that the rules stay free of the store). */
static int nis_number(const char *s)
{
    int n = 0, k = 0;
    for (; s && s[k]; k++) {
        if (s[k] < '0' || s[k] > '9' || k >= 5)
            return -1;
        n = n * 10 + (s[k] - '0');
    }
    return k == 5 ? n : -1;
}

static int by_code_then_order(const void *a, const void *b)
{
    const coded_entry *x = a, *y = b;
    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int by_order(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static void outreach_parse(arena *a, const outreach_entry *log, size_t n, outreach_log *o)
{
    size_t room = n ? n : 1;
    *o = (outreach_log){log, n, arena_alloc(a, room * sizeof(int)), arena_alloc(a, room * sizeof *o->entries),
                        arena_alloc(a, room * sizeof *o->mine), arena_alloc(a, room * sizeof *o->index),
                        arena_alloc(a, room * sizeof *o->by_code), 0, arena_calloc(a, room, sizeof(int)), 0};
    for (size_t i = 0; i < n; i++) {
        outreach_stage s = OUTREACH_NONE;
        o->codes[i] = outreach_stage_parse(log[i].stage, &s) ? nis_number(log[i].municipality) : -1;
        o->entries[i] = (rules_outreach_entry){log[i].on, log[i].position, s};
        if (o->codes[i] >= 0)
            o->by_code[o->coded++] = (coded_entry){o->codes[i], i};
    }
    qsort(o->by_code, o->coded, sizeof *o->by_code, by_code_then_order);
}

/* Adds to o->index (from *k on) the entries of the codes of identity j and of
 * its former municipalities (through the mergers, at most 16 deep), each once:
 * found through the code index, so a municipality costs its own entries and
 * not a pass over the whole log. */
static void lineage_entries(const rules_map *m, int j, int depth, int who, outreach_log *o, size_t *k)
{
    size_t lo = 0, hi = o->coded;
    int code = m->items[j].code;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->by_code[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < o->coded && o->by_code[lo].code == code; lo++)
        if (o->seen[o->by_code[lo].i] != who) {
            o->seen[o->by_code[lo].i] = who;
            o->index[(*k)++] = o->by_code[lo].i;
        }
    const rules_municipality *mu = &m->items[j];
    for (int p = 0; depth < 16 && p < mu->pred_count; p++)
        lineage_entries(m, m->preds[mu->first_pred + p], depth + 1, who, o, k);
}

/* The stage on D of an item from the entries of its code and of its former
 * municipalities' codes, with the entry that sets it. */
static void outreach_of(ctx *c, footnote_item *it, outreach_log *o)
{
    size_t k = 0;
    lineage_entries(&c->v->map, it->identity, 0, ++o->gathering, o, &k);
    qsort(o->index, k, sizeof *o->index, by_order); /* in the log's order, as rules_outreach_last expects */
    for (size_t i = 0; i < k; i++)
        o->mine[i] = o->entries[o->index[i]];
    int last = rules_outreach_last(o->mine, k, c->d);
    if (last < 0)
        return;
    it->stage = o->mine[last].stage;
    it->stage_on = o->mine[last].on;
    it->note = o->log[o->index[last]].note;
}

/* later[i] (identity valid on t) gets the earliest party naming it (or what
 * it becomes) whose interval in the prognosis begins after t. */
static void find_later(ctx *c, date_t t, int *later_agreement, date_t *later_from)
{
    const register_view *v = c->v;
    for (size_t ai = 0; ai < v->agreement_count; ai++) {
        const rules_agreement *a = &v->rules_agreements[ai];
        if (a->status != STATUS_SIGNED && !status_is_pipeline(a->status))
            continue;
        for (int k = 0; k < a->party_count; k++) {
            date_t from, to;
            if (!rules_party_interval(a, &a->parties[k], BASIS_PROGNOSIS, &from, &to) || from <= t)
                continue;
            int named = rules_identity_on(&v->map, a->parties[k].code, from);
            /* the identities valid on t that become `named`: itself or its former ones */
            int stack[64], top = 0;
            if (named >= 0)
                stack[top++] = named;
            while (top > 0) {
                int id = stack[--top];
                const rules_municipality *mu = &v->map.items[id];
                if (rules_municipality_valid_on(mu, t)) {
                    if (later_from[id] == DATE_NONE || from < later_from[id]) {
                        later_from[id] = from;
                        later_agreement[id] = (int)ai;
                    }
                    continue;
                }
                for (int p = 0; p < mu->pred_count && top < 64; p++)
                    stack[top++] = v->map.preds[mu->first_pred + p];
            }
        }
    }
}

/* The day nothing in sight is about: P, else D. */
static date_t sight_day(const ctx *c) { return c->p != DATE_NONE ? c->p : c->d; }

/* What every province's nothing in sight reads: the earliest party naming
 * each identity after that day, the signed agreements without start on it,
 * the outreach log. */
static void nothing_in_sight_begin(ctx *c, const outreach_entry *log, size_t n)
{
    const register_view *v = c->v;
    bool prog = c->p != DATE_NONE;
    date_t t = sight_day(c);
    c->later_agreement = arena_alloc(c->own, (v->map.count + 1) * sizeof *c->later_agreement);
    c->later_from = arena_alloc(c->own, (v->map.count + 1) * sizeof *c->later_from);
    for (size_t i = 0; i < v->map.count; i++) {
        c->later_agreement[i] = -1;
        c->later_from[i] = DATE_NONE;
    }
    find_later(c, t, c->later_agreement, c->later_from);
    /* signed without start: said beside the outreach, not counted (SPEC §3) */
    c->has_unstarted = rules_unstarted_eval(&c->unstarted, &v->map, v->rules_agreements, v->agreement_count, t,
                                            prog ? c->on_p->state : c->on_d->state) == 0;
    outreach_parse(c->own, log, n, &c->outreach);
}

/* The identities a derivation goes through, in the order of their names:
 * all (province < 0), or those of one province; sets *first, returns how
 * many. */
static size_t identities_of(const ctx *c, int province, const uint32_t **first)
{
    if (province < 0 || province >= PROVINCE_COUNT) {
        *first = c->v->by_name;
        return province < 0 ? c->v->map.count : 0;
    }
    *first = c->by_province + c->province_start[province];
    return c->province_start[province + 1] - c->province_start[province];
}

/* The municipalities valid on t (P, else D) that are neither covered on D
 * nor (with a prognosis) covered on P. */
static void nothing_in_sight(ctx *c, int province)
{
    const register_view *v = c->v;
    bool prog = c->p != DATE_NONE;
    date_t t = sight_day(c);
    const uint32_t *ids;
    size_t n = identities_of(c, province, &ids);
    for (size_t k = 0; k < n; k++) {
        int j = (int)ids[k];
        if (!rules_municipality_valid_on(&v->map.items[j], t) || covered_on_d(c, j, 0))
            continue;
        cover_state s = (cover_state)(prog ? c->on_p->state[j] : c->on_d->state[j]);
        if (s == COVER_FULL)
            continue;
        footnote *f = footnote_for(c, FOOTNOTE_NOTHING, v->map.items[j].province, -1);
        footnote_item *it = add_item(c, f, j, -1);
        it->state = s;
        it->later_agreement = c->later_agreement[j];
        it->later_from = c->later_from[j];
        const rules_unstarted_link *named;
        if (c->has_unstarted && rules_unstarted_links_of(&c->unstarted, j, &named))
            it->unstarted_agreement = named->agreement;
        outreach_of(c, it, &c->outreach);
    }
}

/* By name, then identity: the view's rank of names (store.h). */
static int by_name(const register_view *v, const footnote_item *a, const footnote_item *b)
{
    uint32_t x = v->name_rank[a->identity], y = v->name_rank[b->identity];
    return (x > y) - (x < y);
}

static int group_of(footnote_kind k) { return k == FOOTNOTE_NOTHING ? 2 : k == FOOTNOTE_ENDING ? 1 : 0; }

static int by_place(const register_view *v, const footnote *a, const footnote *b)
{
    if (a->province != b->province)
        return a->province < b->province ? -1 : 1;
    if (group_of(a->kind) != group_of(b->kind))
        return group_of(a->kind) < group_of(b->kind) ? -1 : 1;
    if (a->expected != b->expected)
        return a->expected < b->expected ? -1 : 1;
    if (a->agreement != b->agreement) {
        int r = strcmp(v->agreements[a->agreement].id, v->agreements[b->agreement].id);
        if (r)
            return r;
    }
    return (a->kind > b->kind) - (a->kind < b->kind);
}

/* A stable merge sort with the view as context (qsort has none, and a
 * global would race between the server's threads); tmp has room for n. */
static void merge_sort(const register_view *v, void *items, void *tmp, size_t n, size_t size,
                       int (*cmp)(const register_view *, const void *, const void *))
{
    char *x = items, *t = tmp;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                bool right = cmp(v, x + j * size, x + i * size) < 0;
                memcpy(t + k++ * size, x + (right ? j++ : i++) * size, size);
            }
            memcpy(t + k * size, x + i * size, (mid - i) * size);
            k += mid - i;
            memcpy(t + k * size, x + j * size, (hi - j) * size);
        }
        memcpy(x, t, n * size);
    }
}

static int items_by_name(const register_view *v, const void *a, const void *b) { return by_name(v, a, b); }
static int footnotes_by_place(const register_view *v, const void *a, const void *b) { return by_place(v, a, b); }

static bool in_order(const register_view *v, const footnote_item *items, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (by_name(v, &items[i - 1], &items[i]) > 0)
            return false;
    return true;
}

/* The pool's items placed per footnote (in the order they were found), each
 * footnote's by name, the footnotes in their order and numbered. */
static void finish(ctx *c, footnote_list *out)
{
    footnote_item *all = arena_alloc(c->a, (c->pooled ? c->pooled : 1) * sizeof *all);
    size_t at = 0, most = 0;
    for (size_t i = 0; i < c->count; i++) {
        footnote *f = &c->items[i];
        f->items = all + at;
        at += f->count;
        most = f->count > most ? f->count : most;
        f->count = 0;
        c->first_of[f->agreement >= 0 ? (size_t)f->agreement : c->v->agreement_count] = -1; /* for the next */
    }
    for (size_t k = 0; k < c->pooled; k++) {
        footnote *f = &c->items[c->owner[k]];
        f->items[f->count++] = c->pool[k];
    }
    c->pooled = 0;
    for (size_t i = 0; i < c->count; i++) {
        if (in_order(c->v, c->items[i].items, c->items[i].count)) /* as derive finds them */
            continue;
        c->sort_items = arena_grow(c->own, c->sort_items, &c->sort_items_cap, most + 1, sizeof *c->sort_items);
        merge_sort(c->v, c->items[i].items, c->sort_items, c->items[i].count, sizeof(footnote_item), items_by_name);
    }
    c->sort_footnotes =
        arena_grow(c->own, c->sort_footnotes, &c->sort_footnotes_cap, c->count + 1, sizeof *c->sort_footnotes);
    merge_sort(c->v, c->items, c->sort_footnotes, c->count, sizeof(footnote), footnotes_by_place);
    footnote *x = c->items;
    for (size_t i = 0; i < c->count; i++)
        x[i].number = i > 0 && x[i - 1].province == x[i].province ? x[i - 1].number + 1 : 1;
    out->date = c->d;
    out->prognosis = c->p;
    out->items = c->items;
    out->count = c->count;
}

/* The footnotes of one province (or of all, province < 0) in a. */
static void derive(ctx *c, int province, arena *a, footnote_list *out)
{
    const register_view *v = c->v;
    memset(out, 0, sizeof *out);
    c->a = a;
    c->items = NULL;
    c->count = c->cap = 0;
    /* the municipalities in the order of their names, so that each
     * footnote's items come in the order they are listed in (finish then
     * has nothing to sort) */
    const uint32_t *ids;
    size_t n = identities_of(c, province, &ids);
    if (c->p != DATE_NONE) {
        for (size_t k = 0; k < n; k++) {
            size_t j = ids[k];
            if (rules_municipality_valid_on(&v->map.items[j], c->p) && c->on_p->state[j] == COVER_FULL &&
                !covered_on_d(c, (int)j, 0))
                attribute_added(c, (int)j, (int)j, 0);
        }
        for (size_t k = 0; k < n; k++) {
            size_t i = ids[k];
            if (!rules_municipality_valid_on(&v->map.items[i], c->d) || c->on_d->state[i] != COVER_FULL)
                continue;
            int j = lift(c, (int)i, c->p);
            if (j < 0 || c->on_p->state[j] != COVER_FULL)
                attribute_ending(c, (int)i, (int)i, 0);
        }
    }
    nothing_in_sight(c, province);
    finish(c, out);
    c->a = NULL;
    c->items = NULL;
}

/* The view evaluated on day with its links, into *into; NULL when it could not be. */
static const rules_coverage *evaluated(const register_view *v, rules_coverage *into, date_t day, rules_basis basis)
{
    return rules_coverage_eval(into, &v->map, v->rules_agreements, v->agreement_count, v->rules_regions,
                               v->region_count, day, basis, RULES_LINKS)
               ? NULL
               : into;
}

footnotes_walk *footnotes_begin(const register_view *v, const outreach_entry *log, size_t n, date_t d, date_t p,
                                const rules_coverage *on_d, const rules_coverage *on_p)
{
    assert(v->name_rank && v->by_name); /* the items' order */
    assert(!on_d || (on_d->date == d && on_d->basis == BASIS_ACTUAL));
    assert(!on_p || (p != DATE_NONE && on_p->date == p && on_p->basis == BASIS_PROGNOSIS));
    arena *own = arena_new();
    ctx *c = arena_calloc(own, 1, sizeof *c);
    *c = (ctx){.v = v, .own = own, .d = d, .p = p, .on_d = on_d, .on_p = on_p};
    if ((!on_d && !(c->on_d = evaluated(v, &c->made_d, d, BASIS_ACTUAL))) ||
        (p != DATE_NONE && !on_p && !(c->on_p = evaluated(v, &c->made_p, p, BASIS_PROGNOSIS)))) {
        footnotes_end(c);
        return NULL;
    }
    c->first_of = arena_alloc(own, (v->agreement_count + 1) * sizeof *c->first_of);
    for (size_t i = 0; i <= v->agreement_count; i++)
        c->first_of[i] = -1;
    size_t count = v->map.count + 1;
    c->successor = arena_alloc(own, count * sizeof *c->successor);
    c->covered_d = arena_alloc(own, count);
    for (size_t i = 0; i < v->map.count; i++) {
        c->successor[i] = -1;
        c->covered_d[i] = -1;
    }
    for (size_t i = 0; i < v->map.count; i++)
        for (int k = 0; k < v->map.items[i].pred_count; k++)
            c->successor[v->map.preds[v->map.items[i].first_pred + k]] = (int)i;
    c->by_province = arena_alloc(own, count * sizeof *c->by_province);
    size_t at[PROVINCE_COUNT + 1] = {0};
    for (size_t i = 0; i < v->map.count; i++)
        if (v->map.items[i].province >= 0 && v->map.items[i].province < PROVINCE_COUNT)
            at[v->map.items[i].province + 1]++;
    for (int prov = 0; prov < PROVINCE_COUNT; prov++)
        at[prov + 1] += at[prov];
    memcpy(c->province_start, at, sizeof at);
    for (size_t k = 0; k < v->map.count; k++) {
        int prov = v->map.items[v->by_name[k]].province;
        if (prov >= 0 && prov < PROVINCE_COUNT)
            c->by_province[at[prov]++] = v->by_name[k];
    }
    nothing_in_sight_begin(c, log, n);
    return c;
}

void footnotes_province(footnotes_walk *w, int province, arena *a, footnote_list *out)
{
    assert(province >= 0);
    derive(w, province, a, out);
}

void footnotes_end(footnotes_walk *w)
{
    if (!w)
        return;
    if (w->on_d == &w->made_d)
        rules_coverage_free(&w->made_d);
    if (w->on_p == &w->made_p)
        rules_coverage_free(&w->made_p);
    if (w->has_unstarted)
        rules_unstarted_free(&w->unstarted);
    arena_free(w->own);
}

int footnotes_compute(const register_view *v, const outreach_entry *log, size_t n, date_t d, date_t p, arena *a,
                      footnote_list *out)
{
    memset(out, 0, sizeof *out);
    out->date = d;
    out->prognosis = p;
    footnotes_walk *w = footnotes_begin(v, log, n, d, p, NULL, NULL);
    if (!w)
        return -1;
    derive(w, -1, a, out);
    footnotes_end(w);
    return 0;
}

size_t footnotes_of_province(const footnote_list *l, int province, const footnote **first)
{
    size_t i = 0;
    while (i < l->count && l->items[i].province < province)
        i++;
    size_t end = i;
    while (end < l->count && l->items[end].province == province)
        end++;
    *first = l->items + i;
    return end - i;
}

/* ---- Dutch text ------------------------------------------------------- */

/* A day as 01/09/2023, appended to b. */
static void put_date(buf *b, date_t d)
{
    char day[DATE_NL_LEN];
    buf_puts(b, date_format_nl(d, day));
}

/* footnote_item_text's text appended to b: written piece by piece, not
 * printed, for the tens of thousands of items of a large register's
 * footnotes (issue 12). */
static void item_text_to(buf *b, const register_view *v, const footnote *f, const footnote_item *it)
{
    buf_puts(b, v->municipalities[it->identity].name);
    if (f->kind != FOOTNOTE_NOTHING) {
        bool via = it->via >= 0, day = it->from != DATE_NONE && it->from != f->expected;
        if (!via && !day)
            return;
        buf_puts(b, " (");
        if (via) {
            buf_puts(b, "via ");
            buf_puts(b, v->municipalities[it->via].name);
        }
        if (via && day)
            buf_puts(b, ", ");
        if (day) {
            buf_puts(b, f->kind == FOOTNOTE_ENDING ? "tot " : "vanaf ");
            put_date(b, it->from);
        }
        buf_putc(b, ')');
        return;
    }
    buf_puts(b, " (");
    if (it->state == COVER_PARTIAL)
        buf_puts(b, "gedeeltelijk gedekt; ");
    buf_puts(b, outreach_stage_label_nl(it->stage));
    if (it->stage_on != DATE_NONE) {
        buf_puts(b, " sinds ");
        put_date(b, it->stage_on);
    }
    if (it->note && *it->note) {
        buf_puts(b, ": ");
        buf_puts(b, it->note);
    }
    if (it->later_agreement >= 0) {
        buf_puts(b, "; ");
        buf_puts(b, v->agreements[it->later_agreement].id);
        buf_puts(b, " verwacht vanaf ");
        put_date(b, it->later_from);
    }
    if (it->unstarted_agreement >= 0) {
        buf_puts(b, "; ");
        buf_puts(b, v->agreements[it->unstarted_agreement].id);
        buf_puts(b, " ondertekend, begindatum onbekend");
    }
    buf_putc(b, ')');
}

/* What b holds, copied into a; b is freed. */
static const char *kept(arena *a, buf *b)
{
    const char *s = arena_strndup(a, b->data ? b->data : "", b->len);
    buf_free(b);
    return s;
}

const char *footnote_item_text(arena *a, const register_view *v, const footnote *f, const footnote_item *it)
{
    buf b = {0};
    item_text_to(&b, v, f, it);
    return kept(a, &b);
}

/* "SO-X (Titel)", or the id alone for an agreement without a title. */
static void who_to(buf *b, const view_agreement *ag)
{
    buf_puts(b, ag->id);
    if (ag->title && *ag->title) {
        buf_puts(b, " (");
        buf_puts(b, ag->title);
        buf_putc(b, ')');
    }
}

/* "2 gemeenten", appended to b. */
static void count_to(buf *b, size_t n) { buf_printf(b, "%zu %s", n, n == 1 ? "gemeente" : "gemeenten"); }

/* footnote_head's text appended to b. */
static void head_to(buf *b, const register_view *v, const footnote *f)
{
    if (f->kind == FOOTNOTE_NOTHING) {
        buf_puts(b, "Nog niets in zicht voor ");
        count_to(b, f->count);
        return;
    }
    const view_agreement *ag = &v->agreements[f->agreement];
    const char *status = status_label_nl(f->status);
    char when[DATE_NL_LEN];
    date_format_nl(f->expected, when);
    switch (f->kind) {
    case FOOTNOTE_PIPELINE:
    case FOOTNOTE_LATER: /* the pipeline's expected day, or the day a signed agreement binds */
        buf_puts(b, "Nog ");
        count_to(b, f->count);
        buf_puts(b, " via ");
        who_to(b, ag);
        buf_printf(b, ", %s, %s vanaf %s", status, f->kind == FOOTNOTE_LATER ? "gebonden" : "verwacht", when);
        break;
    case FOOTNOTE_PLANNED:
        buf_puts(b, "Nog ");
        count_to(b, f->count);
        buf_puts(b, f->count == 1 ? " treedt toe tot " : " treden toe tot ");
        who_to(b, ag);
        buf_printf(b, ", %s, verwacht vanaf %s", status, when);
        break;
    case FOOTNOTE_ENDING:
        count_to(b, f->count);
        buf_puts(b, " niet meer gedekt: ");
        who_to(b, ag);
        buf_printf(b, ", %s, loopt tot %s", status, when);
        break;
    default:
        break;
    }
}

const char *footnote_head(arena *a, const register_view *v, const footnote *f)
{
    buf b = {0};
    head_to(&b, v, f);
    return kept(a, &b);
}

void footnote_text_to(buf *b, const register_view *v, const footnote *f)
{
    /* written straight into b: a footnote of tens of thousands of
     * municipalities (bench/'s register) kept every item's text and three
     * copies of the sentence (issue 12) */
    bool nothing = f->kind == FOOTNOTE_NOTHING;
    head_to(b, v, f);
    buf_puts(b, ": ");
    for (size_t i = 0; i < f->count; i++) {
        if (i)
            buf_puts(b, i + 1 == f->count ? (nothing ? "; " : " en ") : (nothing ? "; " : ", "));
        item_text_to(b, v, f, &f->items[i]);
    }
    buf_putc(b, '.');
}

const char *footnote_text(arena *a, const register_view *v, const footnote *f)
{
    buf b = {0};
    footnote_text_to(&b, v, f);
    return kept(a, &b);
}
