/* Dated cases for the meeting rule of docs/compliance.md: periods of
 * per_years calendar years counted from the year the agreement starts,
 * pro rata (rounded up) for the partial periods at the start and the end,
 * only held meetings on days in force and not after the evaluation day,
 * and "not yet due" while the missing meetings still fit in the days left.
 * The expected figures are worked out by hand in each comment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "date.h"
#include "rules_compliance.h"

static date_t D(const char *iso)
{
    date_t d;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

enum { CAP = 16 };

typedef struct {
    compliance_period p[CAP];
    size_t n;
} result;

/* Evaluates with up to eight held meetings given as ISO days (NULL ends). */
static result eval(const char *from, const char *to, int min, int per, const char *on, const char *const *held)
{
    date_t days[8];
    size_t k = 0;
    for (; held && held[k]; k++)
        days[k] = D(held[k]);
    result r;
    r.n = rules_compliance(from ? D(from) : DATE_NONE, to ? D(to) : DATE_NONE, min, per, days, k, D(on), r.p, CAP);
    assert_true(r.n <= CAP);
    return r;
}

static void period_is(const compliance_period *p, const char *pf, const char *pt, const char *f, const char *t,
                      int required, int held, compliance_state state)
{
    assert_int_equal(p->period_from, D(pf));
    assert_int_equal(p->period_to, D(pt));
    assert_int_equal(p->from, D(f));
    assert_int_equal(p->to, D(t));
    assert_int_equal(p->required, required);
    assert_int_equal(p->held, held);
    assert_int_equal(p->state, state);
}

/* 2 per year, whole years: 2021 met with two, 2022 running with one. */
static void whole_years_met_and_running(void **state)
{
    (void)state;
    const char *held[] = {"2021-03-01", "2021-09-01", "2022-02-01", NULL};
    result r = eval("2021-01-01", "2025-12-31", 2, 1, "2022-06-30", held);
    assert_int_equal(r.n, 2);
    period_is(&r.p[0], "2021-01-01", "2021-12-31", "2021-01-01", "2021-12-31", 2, 2, COMPLIANCE_MET);
    period_is(&r.p[1], "2022-01-01", "2022-12-31", "2022-01-01", "2022-12-31", 2, 1, COMPLIANCE_NOT_YET_DUE);
}

/* One meeting in 2021 where two were due: behind once the year is over. */
static void a_past_period_short_is_behind(void **state)
{
    (void)state;
    const char *held[] = {"2021-05-10", NULL};
    result r = eval("2021-01-01", "2025-12-31", 2, 1, "2022-01-01", held);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.p[0].state, COMPLIANCE_BEHIND);
    assert_int_equal(r.p[0].held, 1);
    /* 2022 has just begun: nothing held, two due, 365 days left */
    period_is(&r.p[1], "2022-01-01", "2022-12-31", "2022-01-01", "2022-12-31", 2, 0, COMPLIANCE_NOT_YET_DUE);
}

/* Start 1/10/2021 (Scheldeland): 92 of 365 days. 1 per year → ceil(92/365)
 * = 1; 4 per year → ceil(368/365) = 2; 2 per year → ceil(184/365) = 1. */
static void partial_first_year_counts_pro_rata_rounded_up(void **state)
{
    (void)state;
    result r = eval("2021-10-01", "2025-12-31", 1, 1, "2021-12-31", NULL);
    assert_int_equal(r.n, 1);
    period_is(&r.p[0], "2021-01-01", "2021-12-31", "2021-10-01", "2021-12-31", 1, 0, COMPLIANCE_NOT_YET_DUE);
    assert_int_equal(eval("2021-10-01", "2025-12-31", 4, 1, "2021-12-31", NULL).p[0].required, 2);
    assert_int_equal(eval("2021-10-01", "2025-12-31", 2, 1, "2021-12-31", NULL).p[0].required, 1);
}

/* End 30/06/2025: 181 of 365 days. 2 per year → ceil(362/365) = 1; 4 per
 * year → ceil(724/365) = 2. No period after the end. */
static void partial_last_year_counts_pro_rata_rounded_up(void **state)
{
    (void)state;
    result r = eval("2024-01-01", "2025-06-30", 2, 1, "2030-01-01", NULL);
    assert_int_equal(r.n, 2);
    period_is(&r.p[1], "2025-01-01", "2025-12-31", "2025-01-01", "2025-06-30", 1, 0, COMPLIANCE_BEHIND);
    r = eval("2024-01-01", "2025-06-30", 4, 1, "2030-01-01", NULL);
    assert_int_equal(r.p[0].required, 4);
    assert_int_equal(r.p[1].required, 2);
}

/* An exact fraction is not rounded up: from 2/7/2024 to 31/12/2024 is 183
 * of 366 days (a leap year), 2 × 183 / 366 = 1 exactly; the same days of
 * 2023 are 183 of 365, 366/365 → 2. */
static void exact_fractions_and_leap_years(void **state)
{
    (void)state;
    assert_int_equal(eval("2024-07-02", "2026-12-31", 2, 1, "2024-12-31", NULL).p[0].required, 1);
    assert_int_equal(eval("2023-07-02", "2026-12-31", 2, 1, "2023-12-31", NULL).p[0].required, 2);
    /* one day in force of 365, 1 per year: still one meeting */
    assert_int_equal(eval("2023-12-31", "2026-12-31", 1, 1, "2023-12-31", NULL).p[0].required, 1);
}

/* "1 keer om de twee jaar" from 1/10/2021 to 31/12/2025: 2021-2022 (457 of
 * 730 days → 1), 2023-2024 (731 of 731 → 1), 2025-2026 (365 of 730 → 1). */
static void every_two_years_from_the_start_year(void **state)
{
    (void)state;
    const char *held[] = {"2022-11-15", "2025-03-03", NULL};
    result r = eval("2021-10-01", "2025-12-31", 1, 2, "2026-06-30", held);
    assert_int_equal(r.n, 3);
    period_is(&r.p[0], "2021-01-01", "2022-12-31", "2021-10-01", "2022-12-31", 1, 1, COMPLIANCE_MET);
    period_is(&r.p[1], "2023-01-01", "2024-12-31", "2023-01-01", "2024-12-31", 1, 0, COMPLIANCE_BEHIND);
    period_is(&r.p[2], "2025-01-01", "2026-12-31", "2025-01-01", "2025-12-31", 1, 1, COMPLIANCE_MET);
    /* 3 per two years over 457 of 730 days: ceil(1371/730) = 2 */
    assert_int_equal(eval("2021-10-01", "2025-12-31", 3, 2, "2022-01-01", NULL).p[0].required, 2);
}

/* A meeting recorded as held after the evaluation day does not count yet;
 * one on the day itself does. */
static void only_meetings_up_to_the_day_count(void **state)
{
    (void)state;
    const char *held[] = {"2022-09-01", NULL};
    result r = eval("2022-01-01", "2022-12-31", 1, 1, "2022-06-30", held);
    assert_int_equal(r.p[0].held, 0);
    assert_int_equal(r.p[0].state, COMPLIANCE_NOT_YET_DUE);
    r = eval("2022-01-01", "2022-12-31", 1, 1, "2022-09-01", held);
    assert_int_equal(r.p[0].held, 1);
    assert_int_equal(r.p[0].state, COMPLIANCE_MET);
}

/* A meeting before the start (a kick-off) or after the end is outside the
 * days in force: it counts for no period. */
static void meetings_outside_the_days_in_force_do_not_count(void **state)
{
    (void)state;
    const char *held[] = {"2021-09-15", "2026-01-10", NULL};
    result r = eval("2021-10-01", "2025-12-31", 1, 1, "2027-01-01", held);
    assert_int_equal(r.n, 5);
    for (size_t i = 0; i < r.n; i++) {
        assert_int_equal(r.p[i].held, 0);
        assert_int_equal(r.p[i].state, COMPLIANCE_BEHIND);
    }
}

/* 4 per year, one held: on 29/12 three are missing and three days are
 * left (29, 30, 31): not yet due; on 30/12 only two: behind. */
static void running_period_behind_when_the_rest_cannot_fit(void **state)
{
    (void)state;
    const char *held[] = {"2022-03-01", NULL};
    assert_int_equal(eval("2022-01-01", "2023-12-31", 4, 1, "2022-12-29", held).p[0].state, COMPLIANCE_NOT_YET_DUE);
    assert_int_equal(eval("2022-01-01", "2023-12-31", 4, 1, "2022-12-30", held).p[0].state, COMPLIANCE_BEHIND);
}

/* The last day in force is still running: one missing, one day left. */
static void the_last_day_still_counts(void **state)
{
    (void)state;
    result r = eval("2022-01-01", "2022-12-31", 1, 1, "2022-12-31", NULL);
    assert_int_equal(r.p[0].state, COMPLIANCE_NOT_YET_DUE);
    r = eval("2022-01-01", "2022-12-31", 1, 1, "2023-01-01", NULL);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.p[0].state, COMPLIANCE_BEHIND);
}

/* Terminated on 1/4/2023: in force up to 31/3, 90 of 365 days, 2 per year
 * → ceil(180/365) = 1; no period for 2024. */
static void a_terminated_agreement_stops_the_day_before(void **state)
{
    (void)state;
    const char *held[] = {"2023-02-14", NULL};
    result r = eval("2022-01-01", "2023-03-31", 2, 1, "2024-06-01", held);
    assert_int_equal(r.n, 2);
    period_is(&r.p[1], "2023-01-01", "2023-12-31", "2023-01-01", "2023-03-31", 1, 1, COMPLIANCE_MET);
}

/* Before the start there is no period; on the first day there is one. */
static void nothing_before_the_start(void **state)
{
    (void)state;
    assert_int_equal(eval("2021-10-01", "2025-12-31", 2, 1, "2021-09-30", NULL).n, 0);
    result r = eval("2021-10-01", "2025-12-31", 2, 1, "2021-10-01", NULL);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.p[0].state, COMPLIANCE_NOT_YET_DUE);
}

/* No minimum, no period length, no start: no requirement at all. */
static void no_requirement_no_periods(void **state)
{
    (void)state;
    assert_int_equal(eval("2021-01-01", "2025-12-31", 0, 1, "2023-01-01", NULL).n, 0);
    assert_int_equal(eval("2021-01-01", "2025-12-31", 2, 0, "2023-01-01", NULL).n, 0);
    assert_int_equal(eval(NULL, "2025-12-31", 2, 1, "2023-01-01", NULL).n, 0);
    assert_int_equal(eval("2021-01-01", "2020-12-31", 2, 1, "2023-01-01", NULL).n, 0);
}

/* An open end: periods up to the one the evaluation day is in. */
static void an_open_end_runs_to_the_day(void **state)
{
    (void)state;
    result r = eval("2020-05-01", NULL, 1, 1, "2023-02-01", NULL);
    assert_int_equal(r.n, 4);
    period_is(&r.p[3], "2023-01-01", "2023-12-31", "2023-01-01", "2023-12-31", 1, 0, COMPLIANCE_NOT_YET_DUE);
}

/* Like snprintf: the count of every period, only cap of them written. */
static void the_count_is_returned_beyond_cap(void **state)
{
    (void)state;
    compliance_period one[1];
    size_t n = rules_compliance(D("2021-01-01"), D("2025-12-31"), 1, 1, NULL, 0, D("2030-01-01"), one, 1);
    assert_int_equal(n, 5);
    assert_int_equal(one[0].period_from, D("2021-01-01"));
    assert_int_equal(rules_compliance(D("2021-01-01"), D("2025-12-31"), 1, 1, NULL, 0, D("2030-01-01"), NULL, 0), 5);
}

/* Two meetings on one day count twice (a morning and an evening session);
 * the order of the days given does not matter. */
static void unsorted_days_and_same_day(void **state)
{
    (void)state;
    const char *held[] = {"2022-11-01", "2022-02-01", "2022-11-01", NULL};
    result r = eval("2022-01-01", "2022-12-31", 3, 1, "2022-12-31", held);
    assert_int_equal(r.p[0].held, 3);
    assert_int_equal(r.p[0].state, COMPLIANCE_MET);
}

static void overall_and_names(void **state)
{
    (void)state;
    compliance_period p[3] = {{.state = COMPLIANCE_MET}, {.state = COMPLIANCE_NOT_YET_DUE}, {.state = COMPLIANCE_MET}};
    compliance_state s;
    assert_false(rules_compliance_overall(p, 0, &s));
    assert_true(rules_compliance_overall(p, 1, &s));
    assert_int_equal(s, COMPLIANCE_MET);
    assert_true(rules_compliance_overall(p, 3, &s));
    assert_int_equal(s, COMPLIANCE_NOT_YET_DUE);
    p[2].state = COMPLIANCE_BEHIND;
    assert_true(rules_compliance_overall(p, 3, &s));
    assert_int_equal(s, COMPLIANCE_BEHIND);
    for (int i = 0; i < COMPLIANCE_STATE_COUNT; i++) {
        assert_true(compliance_state_parse(compliance_state_name((compliance_state)i), &s));
        assert_int_equal(s, i);
    }
    assert_false(compliance_state_parse("achter", &s));
    assert_false(compliance_state_parse(NULL, &s));
    assert_string_equal(compliance_state_label_nl(COMPLIANCE_BEHIND), "achter");
}

/* Far dates stay bounded: the calendar of somon ends in 9999. */
static void far_dates_are_bounded(void **state)
{
    (void)state;
    size_t n = rules_compliance(D("2020-01-01"), DATE_NONE, 1, 1, NULL, 0, D("9999-12-31"), NULL, 0);
    assert_int_equal(n, 9999 - 2020 + 1);
    n = rules_compliance(D("2020-01-01"), DATE_NONE, 1, 1000000, NULL, 0, D("9999-12-31"), NULL, 0);
    assert_int_equal(n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_years_met_and_running),
        cmocka_unit_test(a_past_period_short_is_behind),
        cmocka_unit_test(partial_first_year_counts_pro_rata_rounded_up),
        cmocka_unit_test(partial_last_year_counts_pro_rata_rounded_up),
        cmocka_unit_test(exact_fractions_and_leap_years),
        cmocka_unit_test(every_two_years_from_the_start_year),
        cmocka_unit_test(only_meetings_up_to_the_day_count),
        cmocka_unit_test(meetings_outside_the_days_in_force_do_not_count),
        cmocka_unit_test(running_period_behind_when_the_rest_cannot_fit),
        cmocka_unit_test(the_last_day_still_counts),
        cmocka_unit_test(a_terminated_agreement_stops_the_day_before),
        cmocka_unit_test(nothing_before_the_start),
        cmocka_unit_test(no_requirement_no_periods),
        cmocka_unit_test(an_open_end_runs_to_the_day),
        cmocka_unit_test(the_count_is_returned_beyond_cap),
        cmocka_unit_test(unsorted_days_and_same_day),
        cmocka_unit_test(overall_and_names),
        cmocka_unit_test(far_dates_are_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
