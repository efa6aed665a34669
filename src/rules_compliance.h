/* rules_compliance.h: does a governance body meet as often as its agreement
 * says ("minstens 2 keer per jaar", "1 keer om de twee jaar")? Pure: no I/O,
 * no globals, no allocation. The rule is written down in docs/compliance.md;
 * in short:
 *
 * - The days in force are [from, to] (to DATE_NONE: open): the agreement's
 *   start to its end, or to the day before it was terminated.
 * - Periods are per_years calendar years long and counted from 1 January
 *   of the year the agreement starts: with per_years 2 and a start in 2021,
 *   2021-2022, 2023-2024, … A period is part of the evaluation on day d
 *   when its first day in force is on or before d.
 * - A period requires ceil(min_meetings × days in force in the period /
 *   days in the whole period): the whole minimum for a period entirely in
 *   force, pro rata (rounded up) for the partial periods at the start and
 *   the end of the agreement.
 * - Only meetings held (state held) on a day in force in the period and
 *   not after d count.
 * - On d a period is met when it has at least the required count; behind
 *   when it has fewer and its last day in force is before d, or when it is
 *   still running but the missing meetings no longer fit in the days left
 *   (one meeting a day at most, d included); otherwise not yet due. */
#ifndef SOMON_RULES_COMPLIANCE_H
#define SOMON_RULES_COMPLIANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"

typedef enum { COMPLIANCE_MET, COMPLIANCE_BEHIND, COMPLIANCE_NOT_YET_DUE, COMPLIANCE_STATE_COUNT } compliance_state;

const char *compliance_state_name(compliance_state s);     /* "met", "behind", "not_yet_due" */
const char *compliance_state_label_nl(compliance_state s); /* "in orde", "achter", "nog niet vervallen" */
bool compliance_state_parse(const char *name, compliance_state *out);

typedef struct {
    date_t period_from, period_to; /* the whole calendar period */
    date_t from, to;               /* its days in force */
    int required, held;
    compliance_state state;
} compliance_period;

/* The periods of a body with the requirement min_meetings per per_years
 * (both 1 or more; otherwise there is no requirement and 0 is returned),
 * for an agreement in force from `from` to `to` (to DATE_NONE: open; from
 * DATE_NONE: never in force, 0 periods), evaluated on day d. held[] are the
 * days of its held meetings, in any order (the others do not count: the
 * caller passes only held ones). Writes at most cap periods, oldest first,
 * to out (out may be NULL when cap is 0) and returns how many there are,
 * like snprintf. */
size_t rules_compliance(date_t from, date_t to, int min_meetings, int per_years, const date_t *held,
                        size_t held_count, date_t d, compliance_period *out, size_t cap);

/* ---- held meetings indexed by body ----
 * A register holds tens of thousands of meetings; a page that checks every
 * body sorts the held ones once by body, then day, and hands each body its
 * slice (memory linear in meetings, no scan of all meetings per body). */
typedef struct {
    int64_t body; /* governance_body.uid */
    date_t day;   /* held on */
} compliance_held;

/* Sorts h by body, then day (then as given: qsort on a total order). */
void compliance_held_sort(compliance_held *h, size_t n);
/* The meetings of body in h (sorted by compliance_held_sort): their count,
 * and the first in *first (n when none). */
size_t compliance_held_slice(const compliance_held *h, size_t n, int64_t body, size_t *first);
/* rules_compliance over a slice of such an index (every entry of held is a
 * held meeting of the body). */
size_t rules_compliance_slice(date_t from, date_t to, int min_meetings, int per_years, const compliance_held *held,
                              size_t held_count, date_t d, compliance_period *out, size_t cap);

/* The state of a body over its periods: behind when some period is behind,
 * else not yet due when some is, else met. False when there is no period. */
bool rules_compliance_overall(const compliance_period *p, size_t n, compliance_state *out);

#endif
