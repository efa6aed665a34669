/* The index of held meetings by body (rules_compliance.h, issue 12): pages
 * that check every body sort the held meetings once by body, then day, and
 * give each body its slice. Each case checks the slice and that the periods
 * over the slice are those rules_compliance gives over the body's own days. */
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

typedef struct {
    int64_t body;
    const char *day;
} held;

enum { MAX = 32 };

/* Fills h from the cases (NULL day ends) and sorts it; returns the count. */
static size_t index_of(const held *cases, compliance_held *h)
{
    size_t n = 0;
    for (; cases[n].day; n++)
        h[n] = (compliance_held){cases[n].body, D(cases[n].day)};
    compliance_held_sort(h, n);
    return n;
}

/* The periods of body over its slice equal those over its own days. */
static void same_periods(const held *cases, const compliance_held *h, size_t n, int64_t body, const char *from,
                         const char *to, int min, int per, const char *on)
{
    date_t days[MAX];
    size_t k = 0;
    for (size_t i = 0; cases[i].day; i++)
        if (cases[i].body == body)
            days[k++] = D(cases[i].day);
    size_t first;
    size_t count = compliance_held_slice(h, n, body, &first);
    assert_int_equal(count, k);
    compliance_period want[MAX], got[MAX];
    date_t f = D(from), t = to ? D(to) : DATE_NONE;
    size_t nw = rules_compliance(f, t, min, per, days, k, D(on), want, MAX);
    size_t ng = rules_compliance_slice(f, t, min, per, count ? h + first : NULL, count, D(on), got, MAX);
    assert_int_equal(ng, nw);
    for (size_t i = 0; i < nw; i++) {
        assert_int_equal(got[i].held, want[i].held);
        assert_int_equal(got[i].required, want[i].required);
        assert_int_equal(got[i].state, want[i].state);
        assert_int_equal(got[i].from, want[i].from);
        assert_int_equal(got[i].to, want[i].to);
    }
}

static void interleaved_bodies_sort_into_slices(void **state)
{
    (void)state;
    static const held cases[] = {{7, "2022-05-01"}, {3, "2021-03-01"}, {7, "2021-02-01"}, {5, "2023-01-10"},
                                 {3, "2022-11-30"}, {7, "2022-01-15"}, {3, "2021-09-09"}, {0, NULL}};
    compliance_held h[MAX];
    size_t n = index_of(cases, h);
    assert_int_equal(n, 7);
    /* by body, then day */
    for (size_t i = 1; i < n; i++)
        assert_true(h[i - 1].body < h[i].body || (h[i - 1].body == h[i].body && h[i - 1].day <= h[i].day));
    size_t first;
    assert_int_equal(compliance_held_slice(h, n, 3, &first), 3);
    assert_int_equal(first, 0);
    assert_int_equal(h[first].day, D("2021-03-01"));
    assert_int_equal(h[first + 2].day, D("2022-11-30"));
    assert_int_equal(compliance_held_slice(h, n, 5, &first), 1);
    assert_int_equal(first, 3);
    assert_int_equal(compliance_held_slice(h, n, 7, &first), 3);
    assert_int_equal(first, 4);
    assert_int_equal(h[first].day, D("2021-02-01"));
    same_periods(cases, h, n, 3, "2021-01-01", NULL, 2, 1, "2023-06-30");
    same_periods(cases, h, n, 5, "2021-06-01", "2024-05-31", 1, 2, "2024-12-31");
    same_periods(cases, h, n, 7, "2021-01-15", NULL, 1, 1, "2022-03-01");
}

static void a_body_without_meetings_has_an_empty_slice(void **state)
{
    (void)state;
    static const held cases[] = {{2, "2021-03-01"}, {9, "2021-04-01"}, {0, NULL}};
    compliance_held h[MAX];
    size_t n = index_of(cases, h), first = 0;
    assert_int_equal(compliance_held_slice(h, n, 1, &first), 0); /* before every body */
    assert_int_equal(first, n);
    assert_int_equal(compliance_held_slice(h, n, 5, &first), 0); /* between two */
    assert_int_equal(first, n);
    assert_int_equal(compliance_held_slice(h, n, 10, &first), 0); /* after every body */
    assert_int_equal(first, n);
    same_periods(cases, h, n, 5, "2021-01-01", "2022-12-31", 2, 1, "2023-01-01"); /* behind twice */
    compliance_period p[4];
    size_t np = rules_compliance_slice(D("2021-01-01"), D("2021-12-31"), 1, 1, NULL, 0, D("2022-01-01"), p, 4);
    assert_int_equal(np, 1);
    assert_int_equal(p[0].held, 0);
    assert_int_equal(p[0].state, COMPLIANCE_BEHIND);
}

static void an_empty_index(void **state)
{
    (void)state;
    size_t first = 99;
    assert_int_equal(compliance_held_slice(NULL, 0, 4, &first), 0);
    assert_int_equal(first, 0);
}

static void same_day_meetings_each_count(void **state)
{
    (void)state;
    static const held cases[] = {{4, "2022-06-01"}, {4, "2022-06-01"}, {8, "2022-06-01"}, {4, "2022-06-01"},
                                 {8, "2022-12-31"}, {0, NULL}};
    compliance_held h[MAX];
    size_t n = index_of(cases, h), first;
    assert_int_equal(compliance_held_slice(h, n, 4, &first), 3);
    assert_int_equal(compliance_held_slice(h, n, 8, &first), 2);
    same_periods(cases, h, n, 4, "2022-01-01", NULL, 3, 1, "2022-12-31"); /* met: three on one day */
    same_periods(cases, h, n, 8, "2022-01-01", NULL, 3, 1, "2022-12-31"); /* behind */
    same_periods(cases, h, n, 4, "2022-01-01", NULL, 4, 1, "2022-12-31");
}

static void meetings_outside_force_or_after_the_day_do_not_count(void **state)
{
    (void)state;
    static const held cases[] = {{6, "2020-12-31"}, {6, "2021-07-01"}, {6, "2021-08-01"}, {6, "2022-02-01"},
                                 {1, "2021-07-01"}, {0, NULL}};
    compliance_held h[MAX];
    size_t n = index_of(cases, h);
    same_periods(cases, h, n, 6, "2021-01-01", "2021-12-31", 2, 1, "2021-07-15");
    same_periods(cases, h, n, 6, "2021-01-01", "2021-12-31", 2, 1, "2023-01-01");
    same_periods(cases, h, n, 6, "2021-03-01", NULL, 1, 1, "2022-01-31");
}

static void many_bodies_large_uids(void **state)
{
    (void)state;
    enum { BODIES = 40, EACH = 5 };
    compliance_held h[BODIES * EACH];
    size_t n = 0;
    /* interleaved: meeting k of every body before meeting k + 1 of any */
    for (int k = EACH - 1; k >= 0; k--)
        for (int b = 0; b < BODIES; b++)
            h[n++] = (compliance_held){INT64_C(1) << 40 | (int64_t)(b * 7919 % BODIES), D("2021-01-01") + k * 30 + b};
    compliance_held_sort(h, n);
    for (int b = 0; b < BODIES; b++) {
        size_t first;
        assert_int_equal(compliance_held_slice(h, n, INT64_C(1) << 40 | b, &first), EACH);
        for (size_t i = first + 1; i < first + EACH; i++)
            assert_true(h[i - 1].day < h[i].day);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(interleaved_bodies_sort_into_slices),
        cmocka_unit_test(a_body_without_meetings_has_an_empty_slice),
        cmocka_unit_test(an_empty_index),
        cmocka_unit_test(same_day_meetings_each_count),
        cmocka_unit_test(meetings_outside_force_or_after_the_day_do_not_count),
        cmocka_unit_test(many_bodies_large_uids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
