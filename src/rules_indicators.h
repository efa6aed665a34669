/* rules_indicators.h: the indicator dashboard's domain rules (issue 5), pure:
 * no I/O, no globals. docs/indicators.md states the rules in words.
 *
 * Periods. A period is a year ("2023"), a quarter ("2023-Q2") or a month
 * ("2023-06"), coded as one integer, year*100 + sub with sub 0 for the
 * year, 1..12 for a month and 21..24 for a quarter; codes order like the
 * strings do.
 *
 * Units. Series are kept on the latest map: every municipality identity of
 * a rules_map belongs to one *unit*, the identity it ends up in after every
 * merger (its own when it never merged). Values of former municipalities add
 * up into their successor, so a series does not break on 1/1/2025.
 *
 * Areas. An area (an agreement's municipalities, a regiegebied, a province,
 * Flanders) is a set of units. A unit is in an area when it is named, or
 * when every one of its former municipalities is (like SPEC §3's coverage
 * through former municipalities); when only some are, the unit is partial
 * and left out (its figures would describe territory outside the area).
 *
 * Aggregation. On each period an area's count is the sum of the values of
 * the identities valid in that period that belong to its units; a rate is
 * 100 · Σ numerator / Σ denominator over the identities that have both
 * (weighted by the denominators), never an average of rates. Each point
 * says how many of the area's identities of that period reported. */
#ifndef SOMON_RULES_INDICATORS_H
#define SOMON_RULES_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "rules.h"

enum { PERIOD_TEXT_LEN = 8 }; /* "2023-Q2" and its NUL */

/* Parses a period of exactly len bytes; years 1900..2199. */
bool rules_period_parse(const char *s, size_t len, int *code);
/* Writes the period's text (at most 7 characters) into out; returns out. */
char *rules_period_format(int code, char out[PERIOD_TEXT_LEN]);
/* The first and last day of a period. */
date_t rules_period_first(int code);
date_t rules_period_last(int code);
/* A Dutch label: "2023", "2e kw. 2023", "06/2023". Returns out. */
char *rules_period_label_nl(int code, char out[16]);

/* The municipality code valid on the whole period (its first and last day):
 * its identity, or -1 when the code did not exist throughout. */
int rules_identity_in_period(const rules_map *m, int code, int period);

/* unit[i] for every identity i of m: the identity it ends up in after its
 * mergers. Fills out[m->count]. */
void rules_units(const rules_map *m, int *out);

typedef enum { AREA_OUT = 0, AREA_IN = 1, AREA_PARTIAL = 2 } area_state;

/* The area of the named identities: out[i] (room for m->count) is AREA_IN
 * for a named identity and for one whose former municipalities are all in,
 * AREA_PARTIAL for one with only some of them in, else AREA_OUT. Only what
 * out says for units counts. */
void rules_area_named(const rules_map *m, const int *identities, size_t n, unsigned char *out);
/* The area of a province on the latest map (ROW_FLANDERS: every unit). */
void rules_area_province(const rules_map *m, const int *unit, int province, unsigned char *out);

/* One value of an indicator: 16 bytes, since the server keeps every value of
 * the current data in memory (indicator_cache.h; a million of them on the
 * benchmark register). A period code (below 220000) fits in 31 bits, which
 * leaves the synthetic flag room in the same word. Build one with designated
 * initializers: {.identity = i, .period = p, .value = x}. */
typedef struct {
    double value;
    int identity;
    signed int period : 31;
    bool synthetic : 1;
} rules_ind_value;
_Static_assert(sizeof(rules_ind_value) == 16, "rules_ind_value: the value, the identity and one word");

typedef struct {
    int period;
    double value;     /* meaningful when reported > 0 */
    int reported;     /* identities of the area with a value on the period */
    int expected;     /* identities of the area valid in the period */
    bool synthetic;   /* some value in it is synthetic */
} rules_ind_point;

/* Aggregates over the area (state[] from rules_area_*, indexed by unit):
 * counts when den is NULL (sum of num), otherwise the rate 100·Σnum/Σden
 * over the identities with both a numerator and a positive-or-zero
 * denominator on the period (a period whose denominators sum to 0 is not
 * reported). Values whose identity is not in the area are skipped. Writes
 * one point per period with at least one value into out (room for nnum
 * points), sorted by period; returns how many. num and den are reordered. */
size_t rules_ind_aggregate(const rules_map *m, const int *unit, const unsigned char *state, rules_ind_value *num,
                           size_t nnum, rules_ind_value *den, size_t nden, rules_ind_point *out);

/* The identities of the area (those whose unit is AREA_IN), in increasing
 * order, into out (room for m->count); returns how many. */
size_t rules_area_identities(const rules_map *m, const int *unit, const unsigned char *state, int *out);

/* rules_ind_aggregate given the area's identities (ids, nids from
 * rules_area_identities): the same points, counting the expected identities
 * among ids only, so that a small area costs its own size, not the map's.
 * num and den may then hold only the values of those identities. */
size_t rules_ind_aggregate_in(const rules_map *m, const int *unit, const unsigned char *state, const int *ids,
                              size_t nids, rules_ind_value *num, size_t nnum, rules_ind_value *den, size_t nden,
                              rules_ind_point *out);

#endif
