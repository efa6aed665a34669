/* rules_indicators.c: see rules_indicators.h and docs/indicators.md. */
#include "rules_indicators.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- periods ---------------------------------------------------------- */

static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool rules_period_parse(const char *s, size_t len, int *code)
{
    if (len != 4 && len != 7)
        return false;
    int year = digits(s, 4);
    if (year < 1900 || year > 2199)
        return false;
    int sub = 0;
    if (len == 7) {
        if (s[4] != '-')
            return false;
        if (s[5] == 'Q') {
            if (s[6] < '1' || s[6] > '4')
                return false;
            sub = 20 + (s[6] - '0');
        } else {
            sub = digits(s + 5, 2);
            if (sub < 1 || sub > 12)
                return false;
        }
    }
    *code = year * 100 + sub;
    return true;
}

/* Codes come from rules_period_parse; others are clamped so the text fits. */
static void split(int code, unsigned *year, unsigned *sub)
{
    *year = (unsigned)(code / 100) % 10000u;
    *sub = (unsigned)(code % 100) % 100u;
    if (*sub > 24 || (*sub > 12 && *sub < 21))
        *sub = 0;
}

char *rules_period_format(int code, char out[PERIOD_TEXT_LEN])
{
    unsigned year, sub;
    split(code, &year, &sub);
    if (sub == 0)
        snprintf(out, PERIOD_TEXT_LEN, "%04u", year);
    else if (sub > 20)
        snprintf(out, PERIOD_TEXT_LEN, "%04u-Q%u", year, (sub - 20) % 10u);
    else
        snprintf(out, PERIOD_TEXT_LEN, "%04u-%02u", year, sub);
    return out;
}

char *rules_period_label_nl(int code, char out[16])
{
    unsigned year, sub;
    split(code, &year, &sub);
    if (sub == 0)
        snprintf(out, 16, "%04u", year);
    else if (sub > 20)
        snprintf(out, 16, "%ue kw. %04u", (sub - 20) % 10u, year);
    else
        snprintf(out, 16, "%02u/%04u", sub, year);
    return out;
}

/* The first month and the number of months of a period. */
static void months_of(int code, int *first, int *count)
{
    int sub = code % 100;
    *first = sub == 0 ? 1 : sub > 20 ? (sub - 21) * 3 + 1 : sub;
    *count = sub == 0 ? 12 : sub > 20 ? 3 : 1;
}

date_t rules_period_first(int code)
{
    int first, count;
    months_of(code, &first, &count);
    return date_from_ymd(code / 100, first, 1);
}

date_t rules_period_last(int code)
{
    int first, count;
    months_of(code, &first, &count);
    int year = code / 100, next = first + count;
    return next > 12 ? date_from_ymd(year + 1, 1, 1) - 1 : date_from_ymd(year, next, 1) - 1;
}

int rules_identity_in_period(const rules_map *m, int code, int period)
{
    int id = rules_identity_on(m, code, rules_period_first(period));
    return id >= 0 && rules_municipality_valid_on(&m->items[id], rules_period_last(period)) ? id : -1;
}

/* ---- units and areas ---------------------------------------------------- */

void rules_units(const rules_map *m, int *out)
{
    /* successor of each identity, then follow the chain to its end */
    for (size_t i = 0; i < m->count; i++)
        out[i] = (int)i;
    for (size_t s = 0; s < m->count; s++)
        for (int k = 0; k < m->items[s].pred_count; k++)
            out[m->preds[m->items[s].first_pred + k]] = (int)s;
    for (size_t i = 0; i < m->count; i++) {
        int u = out[i];
        for (size_t steps = 0; out[u] != u && steps < m->count; steps++)
            u = out[u];
        out[i] = u;
    }
}

/* Whether identity i is in: named, or all its former municipalities are
 * (depth bounds a malformed chain). */
static area_state state_of(const rules_map *m, const unsigned char *named, size_t i, int depth)
{
    if (named[i] & 1)
        return AREA_IN;
    const rules_municipality *mu = &m->items[i];
    if (mu->pred_count == 0 || depth > 8)
        return AREA_OUT;
    int in = 0, some = 0;
    for (int k = 0; k < mu->pred_count; k++) {
        area_state p = state_of(m, named, (size_t)m->preds[mu->first_pred + k], depth + 1);
        in += p == AREA_IN;
        some += p != AREA_OUT;
    }
    return in == mu->pred_count ? AREA_IN : some ? AREA_PARTIAL : AREA_OUT;
}

void rules_area_named(const rules_map *m, const int *identities, size_t n, unsigned char *out)
{
    for (size_t i = 0; i < m->count; i++)
        out[i] = 0;
    for (size_t k = 0; k < n; k++)
        if (identities[k] >= 0 && (size_t)identities[k] < m->count)
            out[identities[k]] = 1;
    /* out holds the marks in bit 0 and the decision in bits 4-5, so that a
     * decision never reads as a mark */
    for (size_t i = 0; i < m->count; i++)
        out[i] = (unsigned char)(out[i] | (state_of(m, out, i, 0) << 4));
    for (size_t i = 0; i < m->count; i++)
        out[i] = (unsigned char)(out[i] >> 4);
}

void rules_area_province(const rules_map *m, const int *unit, int province, unsigned char *out)
{
    for (size_t i = 0; i < m->count; i++)
        out[i] = unit[i] == (int)i && (province == ROW_FLANDERS || m->items[i].province == province) ? AREA_IN
                                                                                                      : AREA_OUT;
}

/* ---- aggregation -------------------------------------------------------- */

static int by_period_identity(const void *p, const void *q)
{
    const rules_ind_value *a = p, *b = q;
    if (a->period != b->period)
        return a->period < b->period ? -1 : 1;
    return (a->identity > b->identity) - (a->identity < b->identity);
}

static bool in_order(const rules_ind_value *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (by_period_identity(&v[i - 1], &v[i]) > 0)
            return false;
    return true;
}

static bool belongs(const rules_map *m, const int *unit, const unsigned char *state, int identity)
{
    return identity >= 0 && (size_t)identity < m->count && state[unit[identity]] == AREA_IN;
}

static bool valid_throughout(const rules_municipality *mu, date_t first, date_t last)
{
    return rules_municipality_valid_on(mu, first) && rules_municipality_valid_on(mu, last);
}

/* The identities of the area valid throughout the period: of the list ids
 * when given (the area's identities), else of the whole map. */
static int expected_in(const rules_map *m, const int *unit, const unsigned char *state, const int *ids, size_t nids,
                       int period)
{
    date_t first = rules_period_first(period), last = rules_period_last(period);
    int n = 0;
    if (ids) {
        for (size_t k = 0; k < nids; k++)
            n += belongs(m, unit, state, ids[k]) && valid_throughout(&m->items[ids[k]], first, last);
        return n;
    }
    for (size_t i = 0; i < m->count; i++)
        n += state[unit[i]] == AREA_IN && valid_throughout(&m->items[i], first, last);
    return n;
}

size_t rules_area_identities(const rules_map *m, const int *unit, const unsigned char *state, int *out)
{
    size_t n = 0;
    for (size_t i = 0; i < m->count; i++)
        if (state[unit[i]] == AREA_IN)
            out[n++] = (int)i;
    return n;
}

size_t rules_ind_aggregate(const rules_map *m, const int *unit, const unsigned char *state, rules_ind_value *num,
                           size_t nnum, rules_ind_value *den, size_t nden, rules_ind_point *out)
{
    return rules_ind_aggregate_in(m, unit, state, NULL, 0, num, nnum, den, nden, out);
}

size_t rules_ind_aggregate_in(const rules_map *m, const int *unit, const unsigned char *state, const int *ids,
                              size_t nids, rules_ind_value *num, size_t nnum, rules_ind_value *den, size_t nden,
                              rules_ind_point *out)
{
    /* a large caller (indicator_cache.c) hands them over in order already */
    if (!in_order(num, nnum))
        qsort(num, nnum, sizeof *num, by_period_identity);
    if (den && !in_order(den, nden))
        qsort(den, nden, sizeof *den, by_period_identity);
    size_t points = 0, j = 0;
    for (size_t i = 0; i < nnum;) {
        int period = num[i].period;
        double sum = 0, weight = 0;
        int reported = 0;
        bool synthetic = false;
        for (; i < nnum && num[i].period == period; i++) {
            const rules_ind_value *v = &num[i];
            if (!belongs(m, unit, state, v->identity))
                continue;
            if (den) {
                while (j < nden && by_period_identity(&den[j], v) < 0)
                    j++;
                if (j == nden || den[j].period != period || den[j].identity != v->identity || den[j].value < 0)
                    continue;
                weight += den[j].value;
                synthetic |= den[j].synthetic;
            }
            sum += v->value;
            synthetic |= v->synthetic;
            reported++;
        }
        if (reported == 0 || (den && weight <= 0))
            continue;
        out[points++] = (rules_ind_point){period, den ? 100.0 * sum / weight : sum, reported,
                                          expected_in(m, unit, state, ids, nids, period), synthetic};
    }
    return points;
}
