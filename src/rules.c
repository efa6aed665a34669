/* rules.c: see rules.h. Every rule cites the line of SPEC §3 it implements. */
#include "rules.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct rules_merger {
    int old_code, new_code;
    date_t effective;
};

static const char *const PROVINCE_NAMES[PROVINCE_ROWS] = {
    "West-Vlaanderen", "Oost-Vlaanderen", "Antwerpen", "Vlaams-Brabant", "Limburg", "Vlaanderen",
};
static const char *const PROVINCE_NIS[PROVINCE_ROWS] = {"30000", "40000", "10000", "20001", "70000", "02000"};

const char *province_name(int p) { return p >= 0 && p < PROVINCE_ROWS ? PROVINCE_NAMES[p] : ""; }
const char *province_nis(int p) { return p >= 0 && p < PROVINCE_ROWS ? PROVINCE_NIS[p] : ""; }

int province_parse(const char *name)
{
    for (int p = 0; name && p < PROVINCE_COUNT; p++)
        if (strcmp(name, PROVINCE_NAMES[p]) == 0)
            return p;
    return -1;
}

int province_parse_any_case(const char *name)
{
    for (int p = 0; name && p < PROVINCE_COUNT; p++)
        if (strcasecmp(name, PROVINCE_NAMES[p]) == 0)
            return p;
    return -1;
}

static const char *const STATUS_NAMES[STATUS_COUNT] = {
    "draft", "negotiating", "agreed_in_principle", "awaiting_approval", "signed", "terminated",
};
static const char *const STATUS_LABELS[STATUS_COUNT] = {
    "ontwerp", "in onderhandeling", "principieel akkoord", "wacht op goedkeuring", "ondertekend", "beëindigd",
};

const char *status_name(agreement_status s) { return s < STATUS_COUNT ? STATUS_NAMES[s] : ""; }
const char *status_label_nl(agreement_status s) { return s < STATUS_COUNT ? STATUS_LABELS[s] : ""; }

bool status_parse(const char *name, agreement_status *out)
{
    for (int s = 0; name && s < STATUS_COUNT; s++)
        if (strcmp(name, STATUS_NAMES[s]) == 0) {
            *out = (agreement_status)s;
            return true;
        }
    return false;
}

/* "agreements with status negotiating, agreed_in_principle or awaiting_approval" */
bool status_is_pipeline(agreement_status s)
{
    return s == STATUS_NEGOTIATING || s == STATUS_AGREED_IN_PRINCIPLE || s == STATUS_AWAITING_APPROVAL;
}

/* ---- the map ---------------------------------------------------------- */

void rules_map_init(rules_map *m, size_t code_total)
{
    memset(m, 0, sizeof *m);
    m->code_total = code_total;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

int rules_map_add(rules_map *m, int code, int province, date_t valid_from, date_t valid_to)
{
    if (code < 0 || (size_t)code >= m->code_total)
        return -1;
    if (grow((void **)&m->items, &m->item_cap, m->count + 1, sizeof *m->items))
        return -1;
    m->items[m->count++] = (rules_municipality){code, province, valid_from, valid_to, 0, 0};
    return 0;
}

int rules_map_merger(rules_map *m, int old_code, int new_code, date_t effective)
{
    if (grow((void **)&m->mergers, &m->merger_cap, m->merger_count + 1, sizeof *m->mergers))
        return -1;
    m->mergers[m->merger_count++] = (struct rules_merger){old_code, new_code, effective};
    return 0;
}

static int by_code_then_from(const void *a, const void *b)
{
    const rules_municipality *x = a, *y = b;
    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    return (x->valid_from > y->valid_from) - (x->valid_from < y->valid_from);
}

static int by_new_code(const void *a, const void *b)
{
    const struct rules_merger *x = a, *y = b;
    if (x->new_code != y->new_code)
        return x->new_code < y->new_code ? -1 : 1;
    if (x->effective != y->effective)
        return x->effective < y->effective ? -1 : 1;
    return (x->old_code > y->old_code) - (x->old_code < y->old_code);
}

static int index_codes(rules_map *m)
{
    m->code_first = malloc((m->code_total ? m->code_total : 1) * sizeof *m->code_first);
    m->code_count = calloc(m->code_total ? m->code_total : 1, sizeof *m->code_count);
    if (!m->code_first || !m->code_count)
        return -1;
    for (size_t c = 0; c < m->code_total; c++)
        m->code_first[c] = -1;
    for (size_t i = 0; i < m->count; i++) {
        rules_municipality *mu = &m->items[i];
        if (m->code_first[mu->code] < 0)
            m->code_first[mu->code] = (int)i;
        else {
            rules_municipality *prev = &m->items[i - 1];
            if (prev->valid_to == DATE_NONE || prev->valid_to >= mu->valid_from)
                return -1; /* two territories under one code on one day */
        }
        m->code_count[mu->code]++;
    }
    return 0;
}

/* A merger effective on E links the old code's identity of E-1 to the new
 * code's identity of E: the former municipality and its successor. */
static int link_predecessors(rules_map *m)
{
    if (m->merger_count)
        qsort(m->mergers, m->merger_count, sizeof *m->mergers, by_new_code);
    m->preds = malloc((m->merger_count ? m->merger_count : 1) * sizeof *m->preds);
    if (!m->preds)
        return -1;
    for (size_t i = 0; i < m->merger_count; i++) {
        const struct rules_merger *g = &m->mergers[i];
        int old_id = rules_identity_on(m, g->old_code, g->effective - 1);
        int new_id = rules_identity_on(m, g->new_code, g->effective);
        if (old_id < 0 || new_id < 0 || m->items[new_id].valid_from != g->effective)
            continue;
        rules_municipality *succ = &m->items[new_id];
        if (succ->pred_count == 0)
            succ->first_pred = (int)m->pred_total;
        else if (succ->first_pred + succ->pred_count != (int)m->pred_total)
            continue; /* sorted by new code, so a successor's rows are adjacent */
        m->preds[m->pred_total++] = old_id;
        succ->pred_count++;
    }
    return 0;
}

int rules_map_finish(rules_map *m)
{
    if (m->count)
        qsort(m->items, m->count, sizeof *m->items, by_code_then_from);
    if (index_codes(m) || link_predecessors(m))
        return -1;
    return 0;
}

void rules_map_free(rules_map *m)
{
    free(m->items);
    free(m->code_first);
    free(m->code_count);
    free(m->preds);
    free(m->mergers);
    memset(m, 0, sizeof *m);
}

bool rules_municipality_valid_on(const rules_municipality *mu, date_t d)
{
    return mu->valid_from <= d && (mu->valid_to == DATE_NONE || d <= mu->valid_to);
}

int rules_identity_on(const rules_map *m, int code, date_t d)
{
    if (code < 0 || (size_t)code >= m->code_total || d == DATE_NONE)
        return -1;
    int first = m->code_first[code];
    for (int i = 0; first >= 0 && i < m->code_count[code]; i++)
        if (rules_municipality_valid_on(&m->items[first + i], d))
            return first + i;
    return -1;
}

bool rules_code_exists(const rules_map *m, int code)
{
    return code >= 0 && (size_t)code < m->code_total && m->code_first[code] >= 0;
}

/* ---- lifecycle and intervals ----------------------------------------- */

static bool within(date_t d, date_t from, date_t to)
{
    return from != DATE_NONE && from <= d && (to == DATE_NONE || d <= to);
}

/* "status signed (or terminated with termination date after D) and
 *  start <= D <= end. An agreement without a start date is not in force." */
bool rules_in_force(const rules_agreement *a, date_t d)
{
    if (a->status == STATUS_TERMINATED) {
        if (a->terminated_on == DATE_NONE || a->terminated_on <= d)
            return false;
    } else if (a->status != STATUS_SIGNED) {
        return false;
    }
    return within(d, a->start, a->end);
}

/* "agreements with status negotiating, agreed_in_principle or
 *  awaiting_approval whose expected_start <= P <= end" */
bool rules_in_pipeline(const rules_agreement *a, date_t p)
{
    return status_is_pipeline(a->status) && within(p, a->expected_start, a->end);
}

/* "A party with expected_from and no from is planned." */
bool rules_party_is_planned(const rules_party *p)
{
    return p->expected_from != DATE_NONE && p->from == DATE_NONE;
}

static date_t later(date_t a, date_t b)
{
    if (a == DATE_NONE)
        return b;
    if (b == DATE_NONE)
        return a;
    return date_max(a, b);
}

static date_t earlier(date_t a, date_t b)
{
    if (a == DATE_NONE)
        return b;
    if (b == DATE_NONE)
        return a;
    return date_min(a, b);
}

/* The day the party's interval would begin before the council's approval
 * is applied: "max(agreement start, party from)"; a pipeline agreement's
 * parties start from expected_start instead of start, a planned party from
 * expected_from (in the prognosis only). DATE_NONE when it covers nothing on
 * the basis. */
static date_t begin_before_approval(const rules_agreement *a, const rules_party *p, rules_basis basis)
{
    if (p->code < 0)
        return DATE_NONE;
    bool planned = rules_party_is_planned(p);
    if (planned && basis == BASIS_ACTUAL)
        return DATE_NONE;
    date_t begin = status_is_pipeline(a->status) ? a->expected_start : a->start;
    if (status_is_pipeline(a->status) && basis == BASIS_ACTUAL)
        return DATE_NONE;
    if (a->status == STATUS_DRAFT || begin == DATE_NONE)
        return DATE_NONE;
    return later(begin, planned ? p->expected_from : p->from);
}

/* "min(agreement end, party until, the day before terminated_on)" */
date_t rules_party_last_day(const rules_agreement *a, const rules_party *p)
{
    date_t end = earlier(a->end, p->until);
    if (a->terminated_on != DATE_NONE)
        end = earlier(end, a->terminated_on - 1);
    return end;
}

/* "A municipality party covers the interval from max(agreement start, party
 *  from, approved_on) to min(agreement end, party until, the day before
 *  terminated_on)"; "A party without approved_on counts from the start";
 *  a planned party counts in the prognosis "from max(expected_from,
 *  approved_on)"; a pipeline agreement's parties "start from expected_start
 *  … with from and approved_on applied the same way". */
bool rules_party_interval(const rules_agreement *a, const rules_party *p, rules_basis basis,
                          date_t *from, date_t *to)
{
    date_t begin = begin_before_approval(a, p, basis);
    if (begin == DATE_NONE)
        return false;
    begin = later(begin, p->approved_on);
    date_t end = rules_party_last_day(a, p);
    if (end != DATE_NONE && end < begin)
        return false;
    *from = begin;
    *to = end;
    return true;
}

void rules_coverage_neighbours(const rules_agreement *a, size_t n, date_t d, date_t *last_before, date_t *first_after)
{
    *last_before = *first_after = DATE_NONE;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < a[i].party_count; k++) {
            date_t from, to;
            if (!rules_party_interval(&a[i], &a[i].parties[k], BASIS_ACTUAL, &from, &to))
                continue;
            if (to != DATE_NONE && to < d && (*last_before == DATE_NONE || to > *last_before))
                *last_before = to;
            if (from > d && (*first_after == DATE_NONE || from < *first_after))
                *first_after = from;
        }
}

bool rules_party_bound_by_approval(const rules_agreement *a, const rules_party *p, rules_basis basis)
{
    date_t begin = begin_before_approval(a, p, basis);
    return begin != DATE_NONE && p->approved_on != DATE_NONE && p->approved_on > begin;
}

date_t rules_latest_approval(const date_t *on, const bool *approves, size_t n)
{
    date_t latest = DATE_NONE;
    for (size_t i = 0; i < n; i++)
        if (approves[i] && on[i] != DATE_NONE && (latest == DATE_NONE || on[i] > latest))
            latest = on[i];
    return latest;
}

bool rules_party_unstarted(const rules_map *m, const rules_agreement *a, const rules_party *p, date_t d,
                           int *identity)
{
    *identity = -1;
    bool signed_on_d = a->status == STATUS_SIGNED ||
                       (a->status == STATUS_TERMINATED && a->terminated_on != DATE_NONE && a->terminated_on > d);
    if (!signed_on_d || a->start != DATE_NONE || p->code < 0 || rules_party_is_planned(p))
        return false;
    date_t first = later(p->from, p->approved_on), last = rules_party_last_day(a, p);
    if ((first != DATE_NONE && d < first) || (last != DATE_NONE && d > last))
        return false;
    if (first != DATE_NONE) {
        *identity = rules_identity_on(m, p->code, first);
    } else if (p->code < (int)m->code_total && m->code_first[p->code] >= 0) {
        for (int i = 0; i < m->code_count[p->code]; i++)
            if (m->items[m->code_first[p->code] + i].valid_from <= d)
                *identity = m->code_first[p->code] + i;
    }
    return *identity >= 0;
}

bool rules_party_covers(const rules_map *m, const rules_agreement *a, const rules_party *p,
                        rules_basis basis, date_t d, int *identity)
{
    *identity = -1;
    bool qualifies = rules_in_force(a, d) || (basis == BASIS_PROGNOSIS && rules_in_pipeline(a, d));
    date_t from, to;
    if (!qualifies || !rules_party_interval(a, p, basis, &from, &to) || !within(d, from, to))
        return false;
    /* "A party names a municipality as it was on the first day of the party's
     *  interval; that interval may run on past a merger." */
    *identity = rules_identity_on(m, p->code, from);
    return *identity >= 0;
}

/* ---- coverage -------------------------------------------------------- */

/* The parties that cover, found by the first pass of collect_links for its
 * second: a bit per party (in agreement, party order) and the identity of
 * each that covers, in that order. */
typedef struct {
    unsigned char *covers; /* [parties / 8 + 1] */
    int *ids;
    size_t count, cap;
} covering_parties;

static int covering_add(covering_parties *cp, size_t party, int id)
{
    if (grow((void **)&cp->ids, &cp->cap, cp->count + 1, sizeof *cp->ids))
        return -1;
    cp->ids[cp->count++] = id;
    cp->covers[party / 8] |= (unsigned char)(1u << (party % 8));
    return 0;
}

/* Puts each covering party's link in its place: the links of identity id
 * from start[id] on, in (agreement, party) order. */
static void place_links(rules_coverage *c, const rules_agreement *agreements, size_t n, const covering_parties *cp,
                        size_t *start)
{
    size_t party = 0, next = 0;
    for (size_t i = 0; i < n; i++) {
        const rules_agreement *a = &agreements[i];
        for (int k = 0; k < a->party_count; k++, party++) {
            if (!(cp->covers[party / 8] & (1u << (party % 8))))
                continue;
            int id = cp->ids[next++];
            rules_link *l = &c->links[start[id]++];
            l->identity = id;
            l->agreement = (int)i;
            l->party = k;
            rules_party_interval(a, &a->parties[k], c->basis, &l->from, &l->to);
        }
    }
}

/* Marks the identities that a party covers directly, keeping the links when
 * asked to. Links are kept by identity, then agreement, then party: the
 * first pass counts the links of each identity (and notes the parties that
 * cover), the second puts each in its place in one array of the exact size.
 * (Collecting them into a grown array and then counting-sorting that into a
 * copy held them twice: 7 MB of a large register's annex.) */
static int collect_links(rules_coverage *c, const rules_map *m, const rules_agreement *agreements, size_t n,
                         unsigned char *direct, bool keep)
{
    size_t parties = 0;
    for (size_t i = 0; i < n; i++)
        parties += (size_t)agreements[i].party_count;
    covering_parties cp = {0};
    size_t *start = NULL;
    int rc = -1;
    if (keep && (!(start = calloc(m->count + 1, sizeof *start)) || !(cp.covers = calloc(parties / 8 + 1, 1))))
        goto done;
    size_t party = 0;
    for (size_t i = 0; i < n; i++) {
        const rules_agreement *a = &agreements[i];
        for (int k = 0; k < a->party_count; k++, party++) {
            int id;
            if (!rules_party_covers(m, a, &a->parties[k], c->basis, c->date, &id))
                continue;
            direct[id] = 1;
            if (!keep)
                continue;
            start[id + 1]++;
            if (covering_add(&cp, party, id))
                goto done;
        }
    }
    if (keep) {
        for (size_t id = 0; id < m->count; id++)
            start[id + 1] += start[id];
        if (!(c->links = malloc((cp.count ? cp.count : 1) * sizeof *c->links)))
            goto done;
        c->link_count = cp.count;
        place_links(c, agreements, n, &cp, start);
    }
    rc = 0;
done:
    free(start);
    free(cp.covers);
    free(cp.ids);
    return rc;
}

/* "A merged municipality N is covered on D when N itself is a covering party
 *  on D, or when every one of its former municipalities is. When only some
 *  are, N is partially covered." Former municipalities may have merged before. */
static cover_state state_of(const rules_map *m, const unsigned char *direct, int id, int depth)
{
    if (direct[id])
        return COVER_FULL;
    const rules_municipality *mu = &m->items[id];
    if (mu->pred_count == 0 || depth > 16)
        return COVER_NONE;
    int full = 0, some = 0;
    for (int i = 0; i < mu->pred_count; i++) {
        cover_state s = state_of(m, direct, m->preds[mu->first_pred + i], depth + 1);
        full += s == COVER_FULL;
        some += s != COVER_NONE;
    }
    if (full == mu->pred_count)
        return COVER_FULL;
    return some ? COVER_PARTIAL : COVER_NONE;
}

static void count(rules_count rows[PROVINCE_ROWS], int province, cover_state s)
{
    int targets[2] = {province, ROW_FLANDERS};
    for (int t = 0; t < 2; t++) {
        if (targets[t] < 0 || targets[t] >= PROVINCE_ROWS)
            continue;
        rows[targets[t]].total++;
        rows[targets[t]].covered += s == COVER_FULL;
        rows[targets[t]].partial += s == COVER_PARTIAL;
    }
}

bool rules_region_exists_on(const rules_region *r, date_t d)
{
    return (r->from == DATE_NONE || r->from <= d) && (r->until == DATE_NONE || d <= r->until);
}

/* "A regiegebied R is covered on D when some agreement in force on D names R";
 * the prognosis adds the agreements in the pipeline on P. */
static void cover_regions(rules_coverage *c, const rules_agreement *agreements, size_t n,
                          const rules_region *regions, size_t region_count)
{
    for (size_t i = 0; i < n; i++) {
        const rules_agreement *a = &agreements[i];
        if (a->region < 0 || (size_t)a->region >= region_count)
            continue;
        if (rules_in_force(a, c->date) || (c->basis == BASIS_PROGNOSIS && rules_in_pipeline(a, c->date)))
            c->region_covered[a->region] = 1;
    }
    for (size_t r = 0; r < region_count; r++) {
        if (!rules_region_exists_on(&regions[r], c->date)) {
            c->region_covered[r] = 0;
            continue;
        }
        count(c->regions, regions[r].province, c->region_covered[r] ? COVER_FULL : COVER_NONE);
    }
}

int rules_coverage_eval(rules_coverage *c, const rules_map *m, const rules_agreement *agreements,
                        size_t n, const rules_region *regions, size_t region_count, date_t d,
                        rules_basis basis, int flags)
{
    memset(c, 0, sizeof *c);
    c->date = d;
    c->basis = basis;
    unsigned char *direct = calloc(m->count ? m->count : 1, 1);
    c->state = calloc(m->count ? m->count : 1, 1);
    c->region_covered = calloc(region_count ? region_count : 1, 1);
    if (!direct || !c->state || !c->region_covered ||
        collect_links(c, m, agreements, n, direct, (flags & RULES_LINKS) != 0)) {
        free(direct);
        rules_coverage_free(c);
        return -1;
    }
    /* "On a date before 1/1/2019 the municipalities are the 308 of 1983-2018;
     *  from 1/1/2019 to 31/12/2024 the 300; from 1/1/2025 the 285": the
     *  universe is the identities valid on D. */
    for (size_t i = 0; i < m->count; i++) {
        const rules_municipality *mu = &m->items[i];
        if (!rules_municipality_valid_on(mu, d))
            continue;
        cover_state s = state_of(m, direct, (int)i, 0);
        c->state[i] = (unsigned char)s;
        count(c->municipalities, mu->province, s);
    }
    free(direct);
    cover_regions(c, agreements, n, regions, region_count);
    return 0;
}

/* The days an agreement qualifies: in force (BASIS_ACTUAL), or also in the
 * pipeline (BASIS_PROGNOSIS), as rules_in_force and rules_in_pipeline say. */
static bool qualifying_span(const rules_agreement *a, rules_basis basis, date_t *first, date_t *last)
{
    date_t begin = DATE_NONE, end = a->end;
    if (a->status == STATUS_SIGNED) {
        begin = a->start;
    } else if (a->status == STATUS_TERMINATED) {
        if (a->terminated_on == DATE_NONE)
            return false;
        begin = a->start;
        end = end == DATE_NONE ? a->terminated_on - 1 : date_min(end, a->terminated_on - 1);
    } else if (basis == BASIS_PROGNOSIS && status_is_pipeline(a->status)) {
        begin = a->expected_start;
    }
    if (begin == DATE_NONE || (end != DATE_NONE && end < begin))
        return false;
    *first = begin;
    *last = end;
    return true;
}

bool rules_party_cover_span(const rules_map *m, const rules_agreement *a, const rules_party *p, rules_basis basis,
                            date_t *first, date_t *last, int *identity)
{
    date_t qa, qb, from, to;
    *identity = -1;
    if (!qualifying_span(a, basis, &qa, &qb) || !rules_party_interval(a, p, basis, &from, &to))
        return false;
    date_t begin = date_max(qa, from), end = qb == DATE_NONE ? to : to == DATE_NONE ? qb : date_min(qb, to);
    if (end != DATE_NONE && end < begin)
        return false;
    *identity = rules_identity_on(m, p->code, from);
    *first = begin;
    *last = end;
    return *identity >= 0;
}

typedef struct {
    date_t day;
    int identity;
} cover_event;

static int by_event_day(const void *a, const void *b)
{
    const cover_event *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

/* The spans of every covering party as two event lists, sorted by day: the
 * first day of each span, and the day after the last of each ended span. */
static int cover_events(const rules_map *m, const rules_agreement *agreements, size_t n, cover_event **starts,
                        size_t *ns, cover_event **stops, size_t *nt)
{
    size_t parties = 0;
    for (size_t i = 0; i < n; i++)
        parties += (size_t)agreements[i].party_count;
    *starts = malloc((parties ? parties : 1) * sizeof **starts);
    *stops = malloc((parties ? parties : 1) * sizeof **stops);
    if (!*starts || !*stops)
        return -1;
    *ns = *nt = 0;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < agreements[i].party_count; k++) {
            date_t first, last;
            int id;
            if (!rules_party_cover_span(m, &agreements[i], &agreements[i].parties[k], BASIS_ACTUAL, &first, &last,
                                        &id))
                continue;
            (*starts)[(*ns)++] = (cover_event){first, id};
            if (last != DATE_NONE)
                (*stops)[(*nt)++] = (cover_event){last + 1, id};
        }
    qsort(*starts, *ns, sizeof **starts, by_event_day);
    qsort(*stops, *nt, sizeof **stops, by_event_day);
    return 0;
}

int rules_coverage_series(const rules_map *m, const rules_agreement *agreements, size_t n, const date_t *days,
                          size_t k, rules_count (*out)[PROVINCE_ROWS])
{
    cover_event *starts = NULL, *stops = NULL;
    size_t ns = 0, nt = 0, s = 0, t = 0;
    int *covering = calloc(m->count ? m->count : 1, sizeof *covering);
    unsigned char *direct = calloc(m->count ? m->count : 1, 1);
    int rc = -1;
    if (!covering || !direct || cover_events(m, agreements, n, &starts, &ns, &stops, &nt))
        goto done;
    for (size_t j = 0; j < k; j++) {
        date_t d = days[j];
        for (; s < ns && starts[s].day <= d; s++)
            direct[starts[s].identity] = ++covering[starts[s].identity] > 0;
        for (; t < nt && stops[t].day <= d; t++)
            direct[stops[t].identity] = --covering[stops[t].identity] > 0;
        memset(out[j], 0, sizeof out[j]);
        for (size_t i = 0; i < m->count; i++)
            if (rules_municipality_valid_on(&m->items[i], d))
                count(out[j], m->items[i].province, state_of(m, direct, (int)i, 0));
    }
    rc = 0;
done:
    free(starts);
    free(stops);
    free(covering);
    free(direct);
    return rc;
}

void rules_coverage_free(rules_coverage *c)
{
    free(c->state);
    free(c->region_covered);
    free(c->links);
    c->state = NULL;
    c->region_covered = NULL;
    c->links = NULL;
    c->link_count = 0;
}

size_t rules_int_run(const void *items, size_t n, size_t size, int identity, size_t *first)
{
    const char *x = items;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (*(const int *)(const void *)(x + mid * size) < identity)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && *(const int *)(const void *)(x + end * size) == identity)
        end++;
    *first = lo;
    return end - lo;
}

_Static_assert(offsetof(rules_link, identity) == 0, "rules_int_run reads the identity at the start");
_Static_assert(offsetof(rules_unstarted_link, identity) == 0, "rules_int_run reads the identity at the start");

size_t rules_links_of(const rules_coverage *c, int identity, const rules_link **first)
{
    size_t at, n = rules_int_run(c->links, c->link_count, sizeof *c->links, identity, &at);
    *first = c->links + at;
    return n;
}

/* The successor of every identity (the one it merged into), or -1. */
static int *successors(const rules_map *m)
{
    int *successor = malloc((m->count ? m->count : 1) * sizeof *successor);
    if (!successor)
        return NULL;
    for (size_t i = 0; i < m->count; i++)
        successor[i] = -1;
    for (size_t i = 0; i < m->count; i++)
        for (int k = 0; k < m->items[i].pred_count; k++)
            successor[m->preds[m->items[i].first_pred + k]] = (int)i;
    return successor;
}

/* The identity valid on d that id became (itself, or its successor through
 * the mergers), or -1. */
static int lift_to(const rules_map *m, const int *successor, int id, date_t d)
{
    for (int hops = 0; id >= 0 && hops < 16; hops++) {
        if (rules_municipality_valid_on(&m->items[id], d))
            return id;
        id = successor[id];
    }
    return -1;
}

static bool party_in_pipeline(const rules_agreement *a, const rules_party *p, date_t d)
{
    if (p->code < 0)
        return false;
    if (status_is_pipeline(a->status))
        return a->end == DATE_NONE || a->end >= d;
    return rules_party_is_planned(p) && rules_in_force(a, d);
}

int rules_pipeline_eval(const rules_map *m, const rules_agreement *agreements, size_t n, date_t d,
                        const unsigned char *state, unsigned char *out)
{
    int *successor = successors(m);
    if (!successor)
        return -1;
    memset(out, 0, m->count);
    for (size_t i = 0; i < n; i++) {
        const rules_agreement *a = &agreements[i];
        for (int k = 0; k < a->party_count; k++) {
            const rules_party *p = &a->parties[k];
            if (!party_in_pipeline(a, p, d))
                continue;
            date_t from, to;
            /* named as on the first day of its (expected) interval */
            bool has = rules_party_interval(a, p, BASIS_PROGNOSIS, &from, &to);
            int id = lift_to(m, successor, rules_identity_on(m, p->code, has ? from : d), d);
            if (id < 0 && has)
                id = lift_to(m, successor, rules_identity_on(m, p->code, d), d);
            if (id >= 0 && state[id] == COVER_NONE)
                out[id] = 1;
        }
    }
    free(successor);
    return 0;
}

static bool early(agreement_status s) { return s == STATUS_DRAFT || status_is_pipeline(s); }

static unsigned needs(const rules_lifecycle *x)
{
    unsigned missing = 0;
    if (x->status == STATUS_SIGNED || x->status == STATUS_TERMINATED) {
        missing |= x->start == DATE_NONE ? LIFECYCLE_NEEDS_START : 0;
        missing |= !x->approved_municipality ? LIFECYCLE_NEEDS_APPROVAL : 0;
    }
    if (x->status == STATUS_TERMINATED) {
        missing |= x->terminated_on == DATE_NONE ? LIFECYCLE_NEEDS_END_DATE : 0;
        missing |= !x->terminated_by ? LIFECYCLE_NEEDS_ENDED_BY : 0;
    }
    return missing;
}

unsigned rules_lifecycle_check(const rules_lifecycle *before, const rules_lifecycle *after)
{
    agreement_status from = before ? before->status : STATUS_DRAFT, to = after->status;
    bool allowed = from == to || (early(from) && (early(to) || to == STATUS_SIGNED)) ||
                   (from == STATUS_SIGNED && to == STATUS_TERMINATED);
    if (!allowed)
        return LIFECYCLE_STEP_FORBIDDEN;
    unsigned missing = needs(after);
    if (before && from == to)
        missing &= ~needs(before); /* what was missing already is not this edit's doing */
    return missing;
}

/* "100·n/N rounded half up to a whole number (55/60 → 92); empty when N is 0." */
int rules_percent(int n, int total)
{
    if (total <= 0)
        return -1;
    return (int)((200LL * n + total) / (2LL * total));
}

/* ---- signed agreements without start --------------------------------------- */

static int by_unstarted_link(const void *a, const void *b)
{
    const rules_unstarted_link *x = a, *y = b;
    if (x->identity != y->identity)
        return x->identity < y->identity ? -1 : 1;
    if (x->agreement != y->agreement)
        return x->agreement < y->agreement ? -1 : 1;
    return (x->party > y->party) - (x->party < y->party);
}

int rules_unstarted_eval(rules_unstarted *out, const rules_map *m, const rules_agreement *agreements, size_t n,
                         date_t d, const unsigned char *state)
{
    memset(out, 0, sizeof *out);
    out->date = d;
    size_t cap = 0;
    int *successor = successors(m);
    out->marked = calloc(m->count ? m->count : 1, 1);
    if (!successor || !out->marked)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        const rules_agreement *a = &agreements[i];
        for (int k = 0; k < a->party_count; k++) {
            int id;
            if (!rules_party_unstarted(m, a, &a->parties[k], d, &id))
                continue;
            if (out->link_count == cap) {
                size_t more = cap ? 2 * cap : 16;
                rules_unstarted_link *grown = realloc(out->links, more * sizeof *grown);
                if (!grown)
                    goto fail;
                out->links = grown;
                cap = more;
            }
            out->links[out->link_count++] = (rules_unstarted_link){id, (int)i, k};
            /* the identity valid on d that the named one is, or became
             * through the mergers; covering wins */
            int now = lift_to(m, successor, id, d);
            if (now >= 0 && state[now] == COVER_NONE)
                out->marked[now] = 1;
        }
    }
    if (out->link_count)
        qsort(out->links, out->link_count, sizeof *out->links, by_unstarted_link);
    free(successor);
    return 0;
fail:
    free(successor);
    rules_unstarted_free(out);
    return -1;
}

void rules_unstarted_free(rules_unstarted *u)
{
    free(u->marked);
    free(u->links);
    u->marked = NULL;
    u->links = NULL;
    u->link_count = 0;
}

size_t rules_unstarted_links_of(const rules_unstarted *u, int identity, const rules_unstarted_link **first)
{
    size_t at, n = rules_int_run(u->links, u->link_count, sizeof *u->links, identity, &at);
    *first = u->links + at;
    return n;
}

static const char *const MUNI_NAMES[MUNI_STATE_COUNT] = {
    [MUNI_NONE] = "none", [MUNI_PIPELINE] = "pipeline", [MUNI_SIGNED_NO_START] = "signed_no_start",
    [MUNI_PARTIAL] = "partial", [MUNI_COVERED] = "covered"};
static const char *const MUNI_LABELS[MUNI_STATE_COUNT] = {
    [MUNI_NONE] = "geen overeenkomst", [MUNI_PIPELINE] = "in voorbereiding",
    [MUNI_SIGNED_NO_START] = "ondertekend, begindatum onbekend", [MUNI_PARTIAL] = "gedeeltelijk gedekt",
    [MUNI_COVERED] = "gedekt"};

muni_state rules_muni_state(cover_state s, bool signed_no_start, bool pipeline)
{
    return s == COVER_FULL        ? MUNI_COVERED
           : s == COVER_PARTIAL   ? MUNI_PARTIAL
           : signed_no_start      ? MUNI_SIGNED_NO_START
           : pipeline             ? MUNI_PIPELINE
                                  : MUNI_NONE;
}

const char *muni_state_name(muni_state s) { return (unsigned)s < MUNI_STATE_COUNT ? MUNI_NAMES[s] : ""; }

const char *muni_state_label_nl(muni_state s) { return (unsigned)s < MUNI_STATE_COUNT ? MUNI_LABELS[s] : ""; }

bool muni_state_parse(const char *name, muni_state *out)
{
    for (int s = 0; name && s < MUNI_STATE_COUNT; s++)
        if (strcmp(name, MUNI_NAMES[s]) == 0) {
            *out = (muni_state)s;
            return true;
        }
    return false;
}

int rules_muni_states(const rules_map *m, const rules_agreement *agreements, size_t n, date_t d, unsigned char *out)
{
    rules_coverage c;
    rules_unstarted u;
    unsigned char *pipeline = malloc(m->count ? m->count : 1);
    if (!pipeline || rules_coverage_eval(&c, m, agreements, n, NULL, 0, d, BASIS_ACTUAL, RULES_COUNTS)) {
        free(pipeline);
        return -1;
    }
    int failed = rules_pipeline_eval(m, agreements, n, d, c.state, pipeline) ||
                 rules_unstarted_eval(&u, m, agreements, n, d, c.state);
    for (size_t i = 0; !failed && i < m->count; i++)
        out[i] = rules_municipality_valid_on(&m->items[i], d)
                     ? (unsigned char)rules_muni_state((cover_state)c.state[i], u.marked[i], pipeline[i])
                     : MUNI_NONE;
    if (!failed)
        rules_unstarted_free(&u);
    rules_coverage_free(&c);
    free(pipeline);
    return failed ? -1 : 0;
}
