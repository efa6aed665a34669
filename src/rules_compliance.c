/* rules_compliance.c: see rules_compliance.h and docs/compliance.md. */
#include "rules_compliance.h"

#include <stdint.h>
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

size_t rules_compliance(date_t from, date_t to, int min_meetings, int per_years, const date_t *held,
                        size_t held_count, date_t d, compliance_period *out, size_t cap)
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
        int count = 0;
        for (size_t k = 0; k < held_count; k++)
            count += held[k] >= in_from && held[k] <= in_to && held[k] <= d;
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
