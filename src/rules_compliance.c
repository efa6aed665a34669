/* rules_compliance.c: see rules_compliance.h and docs/compliance.md. */
#include "rules_compliance.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const NAMES[COMPLIANCE_STATE_COUNT] = {"met", "behind", "not_yet_due"};
static const char *const LABELS_NL[COMPLIANCE_STATE_COUNT] = {"in orde", "achter", "nog niet vervallen"};

const char *compliance_state_name(compliance_state s)
{
    return (unsigned)s < COMPLIANCE_STATE_COUNT ? NAMES[s] : "";
}

const char *compliance_state_label_nl(compliance_state s)
{
    return (unsigned)s < COMPLIANCE_STATE_COUNT ? LABELS_NL[s] : "";
}

bool compliance_state_parse(const char *name, compliance_state *out)
{
    for (int i = 0; name && i < COMPLIANCE_STATE_COUNT; i++)
        if (strcmp(name, NAMES[i]) == 0) {
            *out = (compliance_state)i;
            return true;
        }
    return false;
}

/* Years beyond this are not evaluated (the dates of somon end in 9999). */
enum { LAST_YEAR = 9999 };

/* The meetings held in [from, to] and not after d: from a list of days, or
 * from an index slice (one of days and slice is NULL). */
static int held_in(const date_t *days, const compliance_held *slice, size_t n, date_t from, date_t to, date_t d)
{
    int count = 0;
    for (size_t k = 0; k < n; k++) {
        date_t day = days ? days[k] : slice[k].day;
        count += day >= from && day <= to && day <= d;
    }
    return count;
}

static size_t periods(date_t from, date_t to, int min_meetings, int per_years, const date_t *days,
                      const compliance_held *slice, size_t held_count, date_t d, compliance_period *out, size_t cap)
{
    if (min_meetings < 1 || per_years < 1 || from == DATE_NONE || d == DATE_NONE || (to != DATE_NONE && to < from))
        return 0;
    date_t last = to == DATE_NONE ? d : date_min(to, d); /* the last day a period may begin in force */
    int first_year, month, day;
    date_to_ymd(from, &first_year, &month, &day);
    size_t n = 0;
    for (int64_t year = first_year; year <= LAST_YEAR; year += per_years) {
        date_t period_from = date_from_ymd((int)year, 1, 1);
        int64_t next = year + per_years > LAST_YEAR + 1 ? LAST_YEAR + 1 : year + per_years;
        date_t period_to = date_from_ymd((int)next, 1, 1) - 1;
        date_t in_from = date_max(from, period_from);
        date_t in_to = to == DATE_NONE ? period_to : date_min(to, period_to);
        if (in_from > last)
            break;
        if (in_from > in_to)
            continue; /* cannot happen for from <= to; kept for safety */
        int64_t days_in = (int64_t)in_to - in_from + 1, days_all = (int64_t)period_to - period_from + 1;
        int required = (int)(((int64_t)min_meetings * days_in + days_all - 1) / days_all);
        int count = held_in(days, slice, held_count, in_from, in_to, d);
        compliance_state state;
        if (count >= required)
            state = COMPLIANCE_MET;
        else if (in_to < d)
            state = COMPLIANCE_BEHIND;
        else
            state = (int64_t)required - count <= (int64_t)in_to - d + 1 ? COMPLIANCE_NOT_YET_DUE : COMPLIANCE_BEHIND;
        if (n < cap)
            out[n] = (compliance_period){period_from, period_to, in_from, in_to, required, count, state};
        n++;
    }
    return n;
}

size_t rules_compliance(date_t from, date_t to, int min_meetings, int per_years, const date_t *held,
                        size_t held_count, date_t d, compliance_period *out, size_t cap)
{
    return periods(from, to, min_meetings, per_years, held, NULL, held ? held_count : 0, d, out, cap);
}

size_t rules_compliance_slice(date_t from, date_t to, int min_meetings, int per_years, const compliance_held *held,
                              size_t held_count, date_t d, compliance_period *out, size_t cap)
{
    return periods(from, to, min_meetings, per_years, NULL, held, held ? held_count : 0, d, out, cap);
}

static int by_body_then_day(const void *x, const void *y)
{
    const compliance_held *a = x, *b = y;
    if (a->body != b->body)
        return a->body < b->body ? -1 : 1;
    return (a->day > b->day) - (a->day < b->day);
}

void compliance_held_sort(compliance_held *h, size_t n)
{
    if (n > 1)
        qsort(h, n, sizeof *h, by_body_then_day);
}

size_t compliance_held_slice(const compliance_held *h, size_t n, int64_t body, size_t *first)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* the first entry of body or after */
        size_t mid = lo + (hi - lo) / 2;
        if (h[mid].body < body)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && h[end].body == body)
        end++;
    *first = lo < end ? lo : n;
    return end - lo;
}

bool rules_compliance_overall(const compliance_period *p, size_t n, compliance_state *out)
{
    if (!n)
        return false;
    bool behind = false, due = false;
    for (size_t i = 0; i < n; i++) {
        behind = behind || p[i].state == COMPLIANCE_BEHIND;
        due = due || p[i].state == COMPLIANCE_NOT_YET_DUE;
    }
    *out = behind ? COMPLIANCE_BEHIND : due ? COMPLIANCE_NOT_YET_DUE : COMPLIANCE_MET;
    return true;
}
