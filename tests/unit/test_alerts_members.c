/* The alert "leden onbekend" (members_unknown, docs/alerts.md, issue 13): an
 * agreement whose parties name no municipality, only organisations (an
 * association whose member municipalities the sources do not name), covers
 * no municipality until they are entered as parties. Small cases built by
 * hand, as tests/unit/test_alerts.c does for the other kinds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rules_alerts.h"

static date_t D(const char *iso)
{
    date_t d;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

static party parties_of[4][4];

/* An agreement whose parties are given as "nis:11002" or "org:IGS-X". */
static agreement make(int slot, const char *id, agreement_status st, const char *start, const char *end,
                      const char *const *who, size_t n)
{
    agreement ag = {0};
    ag.id = (char *)id;
    ag.status = st;
    ag.start = start ? D(start) : DATE_NONE;
    ag.end = end ? D(end) : DATE_NONE;
    ag.expected_start = ag.terminated_on = DATE_NONE;
    for (size_t i = 0; i < n; i++) {
        bool nis = strncmp(who[i], "nis:", 4) == 0;
        parties_of[slot][i] = (party){.municipality = nis ? (char *)who[i] + 4 : NULL,
                                       .organisation = nis ? NULL : (char *)who[i] + 4, .approved_on = D("2020-01-01"),
                                       .from = DATE_NONE, .until = DATE_NONE, .expected_from = DATE_NONE};
    }
    ag.parties = parties_of[slot];
    ag.party_count = n;
    return ag;
}

/* The alerts of kind members_unknown on day among ags. */
static long unknown(arena *a, const agreement *ags, size_t n, const char *day, alert **out)
{
    alert *al;
    long k = rules_alerts(a, ags, n, NULL, 0, NULL, 0, D(day), &al);
    assert_true(k >= 0);
    alert *mine = arena_calloc(a, (size_t)k + 1, sizeof *mine);
    long m = 0;
    for (long i = 0; i < k; i++)
        if (al[i].kind == ALERT_MEMBERS_UNKNOWN)
            mine[m++] = al[i];
    *out = mine;
    return m;
}

static const char *const ASSOCIATION[] = {"org:IGS-KEMPEN"};
static const char *const WITH_VDAB[] = {"org:VDAB", "org:IGS-KEMPEN"};
static const char *const WITH_TOWN[] = {"org:IGS-KEMPEN", "nis:13008"};

/* An agreement of an association alone: one alert, naming the association. */
static void organisation_only(void **state)
{
    (void)state;
    arena *a = arena_new();
    agreement ag = make(0, "PB-KEMPEN-2021", STATUS_SIGNED, "2021-01-01", "2025-12-31", ASSOCIATION, 1);
    alert *al;
    assert_int_equal(unknown(a, &ag, 1, "2023-06-30", &al), 1);
    assert_string_equal(al[0].agreement, "PB-KEMPEN-2021");
    assert_string_equal(al[0].subject, "IGS-KEMPEN");
    assert_int_equal(al[0].party, 0);
    assert_int_equal(al[0].due, DATE_NONE);
    assert_string_equal(alert_kind_name(ALERT_MEMBERS_UNKNOWN), "members_unknown");
    assert_string_equal(alert_kind_label_nl(ALERT_MEMBERS_UNKNOWN), "leden onbekend");
    /* VDAB, a party to record its signatories, has no member municipalities to enter */
    agreement v = make(1, "PB-KEMPEN-2022", STATUS_SIGNED, "2022-01-01", NULL, WITH_VDAB, 2);
    assert_int_equal(unknown(a, &v, 1, "2023-06-30", &al), 1);
    assert_string_equal(al[0].subject, "IGS-KEMPEN");
    assert_int_equal(al[0].party, 1);
    v.party_count = 1; /* VDAB alone */
    assert_int_equal(unknown(a, &v, 1, "2023-06-30", &al), 0);
    arena_free(a);
}

/* One municipality among the parties: the agreement covers it, no alert. */
static void one_municipality_silences_it(void **state)
{
    (void)state;
    arena *a = arena_new();
    agreement ag = make(0, "PB-GEEL-2021", STATUS_SIGNED, "2021-01-01", "2025-12-31", WITH_TOWN, 2);
    alert *al;
    assert_int_equal(unknown(a, &ag, 1, "2023-06-30", &al), 0);
    /* nor for an agreement without any party (a draft being written) */
    agreement none = make(1, "SO-LEEG", STATUS_DRAFT, NULL, NULL, NULL, 0);
    assert_int_equal(unknown(a, &none, 1, "2023-06-30", &al), 0);
    arena_free(a);
}

/* As no_start treats them: until its end has passed (the last day still),
 * in the pipeline too, and never once terminated. */
static void ended_and_terminated(void **state)
{
    (void)state;
    arena *a = arena_new();
    agreement ag = make(0, "PB-KEMPEN-2021", STATUS_SIGNED, "2021-01-01", "2025-12-31", ASSOCIATION, 1);
    alert *al;
    assert_int_equal(unknown(a, &ag, 1, "2025-12-31", &al), 1);
    assert_int_equal(unknown(a, &ag, 1, "2026-01-01", &al), 0);
    assert_int_equal(unknown(a, &ag, 1, "2019-06-30", &al), 1); /* before its start: its members are still to enter */
    ag.status = STATUS_NEGOTIATING;
    assert_int_equal(unknown(a, &ag, 1, "2023-06-30", &al), 1);
    ag.status = STATUS_TERMINATED;
    ag.terminated_on = D("2023-01-01");
    ag.terminated_by = (char *)"IGS-KEMPEN";
    assert_int_equal(unknown(a, &ag, 1, "2022-06-30", &al), 0);
    ag.status = STATUS_SIGNED; /* signed without a start and without an end: still asked */
    ag.start = ag.end = ag.terminated_on = DATE_NONE;
    assert_int_equal(unknown(a, &ag, 1, "2030-01-01", &al), 1);
    arena_free(a);
}

/* Two associations: one alert each, by subject; the kind sorts before the
 * two orphaned kinds, after unevaluated. */
static void two_associations_in_order(void **state)
{
    (void)state;
    arena *a = arena_new();
    static const char *const TWO[] = {"org:IGS-Z", "org:IGS-A"};
    agreement ags[] = {make(0, "PB-B", STATUS_SIGNED, "2021-01-01", NULL, TWO, 2),
                       make(1, "PB-A", STATUS_SIGNED, "2021-01-01", NULL, ASSOCIATION, 1)};
    alert *al;
    assert_int_equal(unknown(a, ags, 2, "2023-06-30", &al), 3);
    assert_string_equal(al[0].agreement, "PB-A");
    assert_string_equal(al[1].agreement, "PB-B");
    assert_string_equal(al[1].subject, "IGS-A");
    assert_int_equal(al[1].party, 1);
    assert_string_equal(al[2].subject, "IGS-Z");
    assert_true(ALERT_UNEVALUATED < ALERT_MEMBERS_UNKNOWN && ALERT_MEMBERS_UNKNOWN < ALERT_ORPHANED_EVALUATIONS);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(organisation_only),
        cmocka_unit_test(one_municipality_silences_it),
        cmocka_unit_test(ended_and_terminated),
        cmocka_unit_test(two_associations_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
