/* Dated cases for the alerts of docs/alerts.md (rules_alerts.h), one small
 * story each. Agreements are built by hand: a few municipalities, dates
 * around the alert's edge. */
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

static party parties_of[8][4];
static action actions_of[8][3];
static action_domain domains_of[8];
static theme themes_of[8];

/* An agreement of municipalities "11001"… with a status and dates. */
static agreement make(int slot, const char *id, agreement_status st, const char *start, const char *end,
                      const char *const *nis, size_t nnis)
{
    agreement ag = {0};
    ag.id = (char *)id;
    ag.status = st;
    ag.start = start ? D(start) : DATE_NONE;
    ag.end = end ? D(end) : DATE_NONE;
    ag.expected_start = ag.terminated_on = DATE_NONE;
    for (size_t i = 0; i < nnis; i++)
        parties_of[slot][i] = (party){.municipality = (char *)nis[i], .approved_on = D("2020-01-01"), .from = DATE_NONE,
                                       .until = DATE_NONE, .expected_from = DATE_NONE};
    ag.parties = parties_of[slot];
    ag.party_count = nnis;
    return ag;
}

static size_t count_kind(const alert *al, long n, alert_kind k)
{
    size_t c = 0;
    for (long i = 0; i < n; i++)
        c += al[i].kind == k;
    return c;
}

static long run(arena *a, const agreement *ags, size_t n, const alert_evaluation *evs, size_t nev, const char *day,
                alert **out)
{
    long k = rules_alerts(a, ags, n, evs, nev, NULL, 0, D(day), out);
    assert_true(k >= 0);
    return k;
}

static const char *const GENT[] = {"44021"};
static const char *const TWO[] = {"44021", "44020"};

/* "an agreement in force on the date ends within 90 days" */
static void ending_within_90_days(void **state)
{
    (void)state;
    arena *a = arena_new();
    agreement ag = make(0, "SO-A", STATUS_SIGNED, "2021-01-01", "2025-12-31", GENT, 1);
    alert *al;
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2025-10-01", &al), ALERT_ENDING), 0); /* 91 days */
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2025-10-02", &al), ALERT_ENDING), 1); /* 90 days */
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2025-12-31", &al), ALERT_ENDING), 1); /* last day */
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2026-01-01", &al), ALERT_ENDING), 0); /* ended */
    long n = run(a, &ag, 1, NULL, 0, "2025-11-15", &al);
    assert_int_equal(n, 1);
    assert_string_equal(al[0].agreement, "SO-A");
    assert_int_equal(al[0].due, D("2025-12-31"));
    arena_free(a);
}

/* "... and no other agreement follows it for any of its municipalities" */
static void a_follower_silences_it(void **state)
{
    (void)state;
    arena *a = arena_new();
    agreement ags[2] = {make(0, "SO-A", STATUS_SIGNED, "2021-01-01", "2025-12-31", TWO, 2),
                        make(1, "SO-B", STATUS_NEGOTIATING, NULL, "2031-12-31", GENT, 1)};
    ags[1].expected_start = D("2026-01-01");
    alert *al;
    assert_int_equal(count_kind(al, run(a, ags, 2, NULL, 0, "2025-11-15", &al), ALERT_ENDING), 0);
    /* a follower for another municipality does not count */
    static const char *const OTHER[] = {"11001"};
    ags[1] = make(1, "SO-B", STATUS_NEGOTIATING, NULL, "2031-12-31", OTHER, 1);
    assert_int_equal(count_kind(al, run(a, ags, 2, NULL, 0, "2025-11-15", &al), ALERT_ENDING), 1);
    /* nor one that ends before it, nor a terminated one */
    ags[1] = make(1, "SO-B", STATUS_SIGNED, "2020-01-01", "2024-12-31", GENT, 1);
    assert_int_equal(count_kind(al, run(a, ags, 2, NULL, 0, "2025-11-15", &al), ALERT_ENDING), 1);
    ags[1] = make(1, "SO-B", STATUS_TERMINATED, "2021-01-01", "2031-12-31", GENT, 1);
    ags[1].terminated_on = D("2022-01-01");
    assert_int_equal(count_kind(al, run(a, ags, 2, NULL, 0, "2025-11-15", &al), ALERT_ENDING), 1);
    arena_free(a);
}

/* An agreement never follows the one that follows it up: Mechelen's 2017
 * agreement (signed, start and end unknown) is the predecessor of the
 * 2021 one, so it does not silence the 2021 one's end (demo data, seed 001),
 * nor does its own predecessor further back. */
static void a_predecessor_is_no_follower(void **state)
{
    (void)state;
    arena *a = arena_new();
    agreement ags[3] = {make(0, "SO-2021", STATUS_SIGNED, "2021-03-01", "2025-12-31", GENT, 1),
                        make(1, "SO-2017", STATUS_SIGNED, NULL, NULL, GENT, 1),
                        make(2, "SO-2007", STATUS_SIGNED, NULL, NULL, GENT, 1)};
    ags[0].predecessor = "SO-2017";
    ags[1].predecessor = "SO-2007";
    alert *al;
    /* without the link the open-ended 2017 and 2007 agreements run on after 2025 */
    ags[0].predecessor = NULL;
    assert_int_equal(count_kind(al, run(a, ags, 3, NULL, 0, "2025-11-15", &al), ALERT_ENDING), 0);
    ags[0].predecessor = "SO-2017";
    assert_int_equal(count_kind(al, run(a, ags, 3, NULL, 0, "2025-11-15", &al), ALERT_ENDING), 1);
    /* a follow-up of the 2021 one silences it */
    agreement more[4] = {ags[0], ags[1], ags[2], make(3, "SO-2026", STATUS_NEGOTIATING, NULL, "2031-12-31", GENT, 1)};
    more[3].predecessor = "SO-2021";
    assert_int_equal(count_kind(al, run(a, more, 4, NULL, 0, "2025-11-15", &al), ALERT_ENDING), 0);
    /* a chain that loops (a data error) ends the walk instead of hanging */
    ags[2].predecessor = "SO-2021";
    assert_int_equal(count_kind(al, run(a, ags, 3, NULL, 0, "2025-11-15", &al), ALERT_ENDING), 1);
    arena_free(a);
}

/* an agreement that is not in force (draft, or terminated) raises no ending alert */
static void only_agreements_in_force_end(void **state)
{
    (void)state;
    arena *a = arena_new();
    agreement ag = make(0, "SO-A", STATUS_DRAFT, "2021-01-01", "2025-12-31", GENT, 1);
    alert *al;
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2025-11-15", &al), ALERT_ENDING), 0);
    ag.status = STATUS_TERMINATED;
    ag.terminated_on = D("2025-11-01");
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2025-11-15", &al), ALERT_ENDING), 0);
    arena_free(a);
}

/* "a municipality is a party to a pipeline agreement whose expected start has passed" */
static void pipeline_past_expected_start(void **state)
{
    (void)state;
    arena *a = arena_new();
    agreement ag = make(0, "SO-P", STATUS_AWAITING_APPROVAL, NULL, "2030-12-31", TWO, 2);
    ag.expected_start = D("2026-03-01");
    alert *al;
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2026-03-01", &al), ALERT_LATE), 0); /* not yet past */
    long n = run(a, &ag, 1, NULL, 0, "2026-03-02", &al);
    assert_int_equal(count_kind(al, n, ALERT_LATE), 2); /* one per municipality */
    assert_string_equal(al[0].subject, "44020");
    assert_string_equal(al[1].subject, "44021");
    ag.status = STATUS_DRAFT; /* a draft is not in the pipeline */
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2026-03-02", &al), ALERT_LATE), 0);
    arena_free(a);
}

/* "a municipality party of a signed agreement without its council's approval date" */
static void signed_without_approval(void **state)
{
    (void)state;
    arena *a = arena_new();
    agreement ag = make(0, "SO-S", STATUS_SIGNED, "2021-01-01", "2030-12-31", TWO, 2);
    parties_of[0][1].approved_on = DATE_NONE;
    alert *al;
    long n = run(a, &ag, 1, NULL, 0, "2026-01-15", &al);
    assert_int_equal(count_kind(al, n, ALERT_NO_APPROVAL), 1);
    assert_string_equal(al[0].subject, "44020");
    assert_int_equal(al[0].party, 1);
    ag.status = STATUS_NEGOTIATING; /* before signing an approval may still come */
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2026-01-15", &al), ALERT_NO_APPROVAL), 0);
    arena_free(a);
}

/* "A signed agreement without a start date is in force on no date, … and an
 *  alert asks for the date" (SPEC §3): one alert per agreement, until its end. */
static void signed_without_start(void **state)
{
    (void)state;
    arena *a = arena_new();
    agreement ag = make(0, "SO-N", STATUS_SIGNED, NULL, "2025-12-31", TWO, 2);
    alert *al;
    long n = run(a, &ag, 1, NULL, 0, "2023-06-30", &al);
    assert_int_equal(count_kind(al, n, ALERT_NO_START), 1);
    for (long i = 0; i < n; i++)
        if (al[i].kind == ALERT_NO_START) {
            assert_string_equal(al[i].agreement, "SO-N");
            assert_null(al[i].subject);
        }
    assert_string_equal(alert_kind_name(ALERT_NO_START), "no_start");
    assert_string_equal(alert_kind_label_nl(ALERT_NO_START), "ondertekend zonder begindatum");
    /* on its last day still; the day after it has run out */
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2025-12-31", &al), ALERT_NO_START), 1);
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2026-01-01", &al), ALERT_NO_START), 0);
    /* with a start there is nothing to ask; nor before signing */
    agreement started = make(1, "SO-M", STATUS_SIGNED, "2022-01-01", "2025-12-31", TWO, 2);
    assert_int_equal(count_kind(al, run(a, &started, 1, NULL, 0, "2023-06-30", &al), ALERT_NO_START), 0);
    ag.status = STATUS_AWAITING_APPROVAL;
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2023-06-30", &al), ALERT_NO_START), 0);
    arena_free(a);
}

static agreement with_plan(int slot, agreement ag)
{
    actions_of[slot][0] = (action){11, "1.1", "Eerste", NULL, NULL, NULL, 0, false};
    actions_of[slot][1] = (action){12, "1.2", "Tweede", NULL, "retired", NULL, 0, false};
    actions_of[slot][2] = (action){13, "1.3", "Derde", NULL, "ongoing", NULL, 0, false};
    domains_of[slot] = (action_domain){"1", "Domein", actions_of[slot], 3};
    themes_of[slot] = (theme){"Thema", &domains_of[slot], 1};
    ag.themes = &themes_of[slot];
    ag.theme_count = 1;
    return ag;
}

/* "an action of an agreement in force during the previous year has no evaluation for it" */
static void actions_without_last_years_evaluation(void **state)
{
    (void)state;
    arena *a = arena_new();
    agreement ag = with_plan(0, make(0, "SO-E", STATUS_SIGNED, "2024-12-31", "2030-12-31", GENT, 1));
    alert_evaluation evs[] = {{11, 2024}, {13, 2023}};
    alert *al;
    long n = run(a, &ag, 1, evs, 2, "2025-02-01", &al);
    /* 1.1 evaluated for 2024; 1.2 retired; 1.3 only for 2023 */
    assert_int_equal(count_kind(al, n, ALERT_UNEVALUATED), 1);
    assert_string_equal(al[n - 1].subject, "1.3");
    assert_int_equal(al[n - 1].year, 2024);
    /* in force only from the last day of 2024: still in force during 2024 */
    ag.start = D("2025-01-01"); /* not in force in 2024: nothing to evaluate */
    assert_int_equal(count_kind(al, run(a, &ag, 1, evs, 2, "2025-02-01", &al), ALERT_UNEVALUATED), 0);
    arena_free(a);
}

/* a terminated agreement still owes the evaluation of the year it was in force */
static void terminated_during_last_year(void **state)
{
    (void)state;
    arena *a = arena_new();
    agreement ag = with_plan(0, make(0, "SO-T", STATUS_TERMINATED, "2020-01-01", "2030-12-31", GENT, 1));
    ag.terminated_on = D("2024-01-02"); /* in force on 1/1/2024 only */
    alert *al;
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2025-03-01", &al), ALERT_UNEVALUATED), 2);
    ag.terminated_on = D("2024-01-01"); /* not a day of 2024 */
    assert_int_equal(count_kind(al, run(a, &ag, 1, NULL, 0, "2025-03-01", &al), ALERT_UNEVALUATED), 0);
    arena_free(a);
}

/* bodies behind come from the caller; everything is ordered by kind, then agreement */
static void behind_and_order(void **state)
{
    (void)state;
    arena *a = arena_new();
    static const char *const AARTSELAAR[] = {"11001"};
    agreement ags[2] = {make(0, "SO-Z", STATUS_SIGNED, "2021-01-01", "2025-12-31", AARTSELAAR, 1),
                        make(1, "SO-A", STATUS_SIGNED, "2021-01-01", "2025-12-15", TWO, 2)};
    parties_of[1][1].approved_on = DATE_NONE;
    alert_body behind[] = {{"SO-Z", "Stuurgroep"}};
    alert *al;
    long n = rules_alerts(a, ags, 2, NULL, 0, behind, 1, D("2025-11-01"), &al);
    assert_int_equal(n, 4);
    assert_int_equal(al[0].kind, ALERT_ENDING);
    assert_string_equal(al[0].agreement, "SO-A");
    assert_string_equal(al[1].agreement, "SO-Z");
    assert_int_equal(al[2].kind, ALERT_NO_APPROVAL);
    assert_int_equal(al[3].kind, ALERT_BEHIND);
    assert_string_equal(al[3].subject, "Stuurgroep");
    assert_string_equal(alert_kind_name(al[3].kind), "behind");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ending_within_90_days),
        cmocka_unit_test(a_follower_silences_it),
        cmocka_unit_test(a_predecessor_is_no_follower),
        cmocka_unit_test(only_agreements_in_force_end),
        cmocka_unit_test(pipeline_past_expected_start),
        cmocka_unit_test(signed_without_approval),
        cmocka_unit_test(signed_without_start),
        cmocka_unit_test(actions_without_last_years_evaluation),
        cmocka_unit_test(terminated_during_last_year),
        cmocka_unit_test(behind_and_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
