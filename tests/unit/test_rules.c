/* Dated cases for the rules of SPEC §3, one small story each, with the spec
 * line it checks. The map is a miniature of the real one: Antwerpen keeps
 * its code and absorbs Borsbeek, Melle and Merelbeke become Merelbeke-Melle,
 * Zwijndrecht moves province inside Beveren-Kruibeke-Zwijndrecht. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "date.h"
#include "rules.h"

enum {
    ANTWERPEN, BORSBEEK, MELLE, MERELBEKE, MERELBEKE_MELLE, AARTSELAAR,
    ZWIJNDRECHT, BKZ, BEVEREN, CODES
};

static date_t D(const char *iso)
{
    date_t d;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

static rules_map map;

static int setup_map(void **state)
{
    (void)state;
    date_t y2019 = D("2019-01-01"), y2024 = D("2024-12-31"), y2025 = D("2025-01-01");
    rules_map_init(&map, CODES);
    rules_map_add(&map, ANTWERPEN, PROVINCE_ANT, y2019, y2024);
    rules_map_add(&map, ANTWERPEN, PROVINCE_ANT, y2025, DATE_NONE);
    rules_map_add(&map, BORSBEEK, PROVINCE_ANT, y2019, y2024);
    rules_map_add(&map, MELLE, PROVINCE_OVL, y2019, y2024);
    rules_map_add(&map, MERELBEKE, PROVINCE_OVL, y2019, y2024);
    rules_map_add(&map, MERELBEKE_MELLE, PROVINCE_OVL, y2025, DATE_NONE);
    rules_map_add(&map, AARTSELAAR, PROVINCE_ANT, y2019, DATE_NONE);
    rules_map_add(&map, ZWIJNDRECHT, PROVINCE_ANT, y2019, y2024);
    rules_map_add(&map, BKZ, PROVINCE_OVL, y2025, DATE_NONE);
    rules_map_add(&map, BEVEREN, PROVINCE_OVL, y2019, y2024);
    rules_map_merger(&map, ANTWERPEN, ANTWERPEN, y2025);
    rules_map_merger(&map, BORSBEEK, ANTWERPEN, y2025);
    rules_map_merger(&map, MELLE, MERELBEKE_MELLE, y2025);
    rules_map_merger(&map, MERELBEKE, MERELBEKE_MELLE, y2025);
    rules_map_merger(&map, ZWIJNDRECHT, BKZ, y2025);
    rules_map_merger(&map, BEVEREN, BKZ, y2025);
    return rules_map_finish(&map);
}

static int teardown_map(void **state)
{
    (void)state;
    rules_map_free(&map);
    return 0;
}

static rules_party P(int code) { return (rules_party){code, DATE_NONE, DATE_NONE, DATE_NONE, DATE_NONE}; }

static rules_agreement signed_agreement(const char *start, const char *end, const rules_party *parties, int n)
{
    return (rules_agreement){STATUS_SIGNED, start ? D(start) : DATE_NONE, end ? D(end) : DATE_NONE,
                             DATE_NONE, DATE_NONE, -1, parties, n};
}

/* The cover state of code on day d, with the given agreements. */
static cover_state state_on(const rules_agreement *a, size_t n, int code, const char *day, rules_basis basis)
{
    rules_coverage c;
    date_t d = D(day);
    assert_int_equal(rules_coverage_eval(&c, &map, a, n, NULL, 0, d, basis, RULES_COUNTS), 0);
    int id = rules_identity_on(&map, code, d);
    assert_true(id >= 0);
    cover_state s = (cover_state)c.state[id];
    rules_coverage_free(&c);
    return s;
}

static void universe_follows_the_map(void **state)
{
    (void)state;
    rules_coverage c;
    /* "On a date before 1/1/2025 the municipalities are the 300 of 2019-2024" */
    assert_int_equal(rules_coverage_eval(&c, &map, NULL, 0, NULL, 0, D("2024-12-31"), BASIS_ACTUAL, RULES_LINKS), 0);
    assert_int_equal(c.municipalities[ROW_FLANDERS].total, 7);
    assert_int_equal(c.municipalities[PROVINCE_ANT].total, 4); /* with Zwijndrecht */
    assert_int_equal(c.municipalities[PROVINCE_OVL].total, 3);
    rules_coverage_free(&c);
    /* "from 1/1/2025 the 285"; "Zwijndrecht moved from Antwerpen to Oost-Vlaanderen" */
    assert_int_equal(rules_coverage_eval(&c, &map, NULL, 0, NULL, 0, D("2025-01-01"), BASIS_ACTUAL, RULES_LINKS), 0);
    assert_int_equal(c.municipalities[ROW_FLANDERS].total, 4);
    assert_int_equal(c.municipalities[PROVINCE_ANT].total, 2);
    assert_int_equal(c.municipalities[PROVINCE_OVL].total, 2);
    rules_coverage_free(&c);
}

static void party_covers_from_agreement_start(void **state)
{
    (void)state;
    rules_party p[] = {P(AARTSELAAR)};
    rules_agreement a = signed_agreement("2021-03-01", "2025-12-31", p, 1);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2021-02-28", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2021-03-01", BASIS_ACTUAL), COVER_FULL);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2025-12-31", BASIS_ACTUAL), COVER_FULL);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2026-01-01", BASIS_ACTUAL), COVER_NONE);
}

static void party_joining_late(void **state)
{
    (void)state;
    /* "max(agreement start, party from)" */
    rules_party p[] = {{AARTSELAAR, D("2022-03-01"), DATE_NONE, DATE_NONE, DATE_NONE}};
    rules_agreement a = signed_agreement("2021-01-01", "2025-12-31", p, 1);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2022-02-28", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2022-03-01", BASIS_ACTUAL), COVER_FULL);
}

static void party_from_before_start_counts_from_start(void **state)
{
    (void)state;
    rules_party p[] = {{AARTSELAAR, D("2020-06-01"), DATE_NONE, DATE_NONE, DATE_NONE}};
    rules_agreement a = signed_agreement("2021-01-01", "2025-12-31", p, 1);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2020-12-31", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2021-01-01", BASIS_ACTUAL), COVER_FULL);
}

static void party_leaving_early(void **state)
{
    (void)state;
    /* "min(agreement end, party until, …)": intervals inclusive at both ends */
    rules_party p[] = {{AARTSELAAR, DATE_NONE, D("2023-06-30"), DATE_NONE, DATE_NONE}};
    rules_agreement a = signed_agreement("2021-01-01", "2025-12-31", p, 1);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2023-06-30", BASIS_ACTUAL), COVER_FULL);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2023-07-01", BASIS_ACTUAL), COVER_NONE);
}

/* "nothing in force on the date": the nearest days with coverage around it */
static void coverage_neighbours(void **state)
{
    (void)state;
    rules_party p1[] = {P(AARTSELAAR)};
    rules_party p2[] = {{AARTSELAAR, DATE_NONE, D("2023-06-30"), DATE_NONE, DATE_NONE}}; /* leaves early */
    rules_party p3[] = {P(AARTSELAAR)};
    rules_agreement a[3] = {signed_agreement("2021-01-01", "2025-12-31", p1, 1),
                            signed_agreement("2020-01-01", "2025-12-31", p2, 1),
                            signed_agreement("2027-03-01", "2031-12-31", p3, 1)};
    date_t before, after;
    rules_coverage_neighbours(a, 3, D("2026-06-30"), &before, &after);
    assert_int_equal(before, D("2025-12-31"));
    assert_int_equal(after, D("2027-03-01"));
    /* a party's until, not the agreement's end, when it leaves */
    rules_coverage_neighbours(&a[1], 1, D("2024-01-01"), &before, &after);
    assert_int_equal(before, D("2023-06-30"));
    assert_int_equal(after, DATE_NONE);
    /* a day in force is neither before nor after itself; a pipeline agreement does not count */
    rules_coverage_neighbours(a, 1, D("2023-01-01"), &before, &after);
    assert_int_equal(before, DATE_NONE);
    assert_int_equal(after, DATE_NONE);
    a[2].status = STATUS_NEGOTIATING;
    a[2].expected_start = a[2].start;
    a[2].start = DATE_NONE;
    rules_coverage_neighbours(&a[2], 1, D("2026-06-30"), &before, &after);
    assert_int_equal(after, DATE_NONE);
}

static void termination(void **state)
{
    (void)state;
    /* "terminated_on is the first day the agreement is no longer in force" */
    rules_party p[] = {P(AARTSELAAR)};
    rules_agreement a = signed_agreement("2021-01-01", "2025-12-31", p, 1);
    a.status = STATUS_TERMINATED;
    a.terminated_on = D("2024-01-01");
    assert_true(rules_in_force(&a, D("2023-12-31")));
    assert_false(rules_in_force(&a, D("2024-01-01")));
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2023-12-31", BASIS_ACTUAL), COVER_FULL);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-01-01", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-06-01", BASIS_PROGNOSIS), COVER_NONE);
}

static void agreement_without_start(void **state)
{
    (void)state;
    /* "An agreement without a start date is not in force on any date." */
    rules_party p[] = {P(AARTSELAAR)};
    rules_agreement a = signed_agreement(NULL, "2025-12-31", p, 1);
    assert_false(rules_in_force(&a, D("2023-06-30")));
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2023-06-30", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2023-06-30", BASIS_PROGNOSIS), COVER_NONE);
}

static void status_decides_in_force(void **state)
{
    (void)state;
    rules_party p[] = {P(AARTSELAAR)};
    rules_agreement a = signed_agreement("2021-01-01", "2025-12-31", p, 1);
    for (int s = 0; s < STATUS_COUNT; s++) {
        a.status = (agreement_status)s;
        bool expected = s == STATUS_SIGNED; /* terminated without a date is not in force */
        assert_int_equal(rules_in_force(&a, D("2022-01-01")), expected);
    }
}

static void open_end_stays_in_force(void **state)
{
    (void)state;
    rules_party p[] = {P(AARTSELAAR)};
    rules_agreement a = signed_agreement("2021-01-01", NULL, p, 1);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2030-01-01", BASIS_ACTUAL), COVER_FULL);
}

static void pipeline_agreement(void **state)
{
    (void)state;
    /* "agreements with status negotiating, agreed_in_principle or
     *  awaiting_approval whose expected_start <= P <= end" */
    rules_party p[] = {P(AARTSELAAR)};
    rules_agreement a = {STATUS_AGREED_IN_PRINCIPLE, DATE_NONE, D("2025-12-31"), D("2024-01-01"),
                         DATE_NONE, -1, p, 1};
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-06-01", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-06-01", BASIS_PROGNOSIS), COVER_FULL);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2023-12-31", BASIS_PROGNOSIS), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2026-01-01", BASIS_PROGNOSIS), COVER_NONE);
}

static void pipeline_party_joining_late(void **state)
{
    (void)state;
    /* "their parties' intervals start from expected_start where a signed
     *  agreement's start from start" */
    rules_party p[] = {{AARTSELAAR, D("2024-05-01"), DATE_NONE, DATE_NONE, DATE_NONE}};
    rules_agreement a = {STATUS_NEGOTIATING, DATE_NONE, D("2025-12-31"), D("2024-01-01"), DATE_NONE, -1, p, 1};
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-04-30", BASIS_PROGNOSIS), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-05-01", BASIS_PROGNOSIS), COVER_FULL);
}

static void draft_never_counts(void **state)
{
    (void)state;
    rules_party p[] = {P(AARTSELAAR)};
    rules_agreement a = {STATUS_DRAFT, D("2021-01-01"), D("2025-12-31"), D("2021-01-01"), DATE_NONE, -1, p, 1};
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2022-01-01", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2022-01-01", BASIS_PROGNOSIS), COVER_NONE);
}

static void planned_party(void **state)
{
    (void)state;
    /* "A party with expected_from and no from is planned: it covers nothing yet
     *  and counts only in the prognosis, from expected_from." */
    rules_party p[] = {P(AARTSELAAR), {BORSBEEK, DATE_NONE, DATE_NONE, D("2024-03-01"), DATE_NONE}};
    rules_agreement a = signed_agreement("2021-01-01", "2025-12-31", p, 2);
    assert_true(rules_party_is_planned(&p[1]));
    assert_int_equal(state_on(&a, 1, BORSBEEK, "2024-06-01", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, BORSBEEK, "2024-06-01", BASIS_PROGNOSIS), COVER_FULL);
    assert_int_equal(state_on(&a, 1, BORSBEEK, "2024-02-29", BASIS_PROGNOSIS), COVER_NONE);
    /* the prognosis counts what is covered on P too */
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-02-29", BASIS_PROGNOSIS), COVER_FULL);
}

static void planned_party_of_agreement_not_in_force(void **state)
{
    (void)state;
    /* "planned parties of agreements in force on P" */
    rules_party p[] = {{AARTSELAAR, DATE_NONE, DATE_NONE, D("2024-03-01"), DATE_NONE}};
    rules_agreement a = signed_agreement("2021-01-01", "2023-12-31", p, 1);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-06-01", BASIS_PROGNOSIS), COVER_NONE);
}

static void party_with_from_is_not_planned(void **state)
{
    (void)state;
    rules_party p = {AARTSELAAR, D("2022-01-01"), DATE_NONE, D("2021-06-01"), DATE_NONE};
    assert_false(rules_party_is_planned(&p));
}

static void merged_fully_covered(void **state)
{
    (void)state;
    /* "A merged municipality N is covered on D when … every one of its former
     *  municipalities is" a covering party on D. */
    rules_party p[] = {P(MELLE), P(MERELBEKE)};
    rules_agreement a = signed_agreement("2021-10-01", "2025-12-31", p, 2);
    assert_int_equal(state_on(&a, 1, MERELBEKE_MELLE, "2025-06-30", BASIS_ACTUAL), COVER_FULL);
    rules_coverage c;
    assert_int_equal(rules_coverage_eval(&c, &map, &a, 1, NULL, 0, D("2025-06-30"), BASIS_ACTUAL, RULES_LINKS), 0);
    assert_int_equal(c.municipalities[PROVINCE_OVL].covered, 1);
    assert_int_equal(c.municipalities[PROVINCE_OVL].partial, 0);
    rules_coverage_free(&c);
}

static void merged_partially_covered(void **state)
{
    (void)state;
    /* "When only some are, N is partially covered: shown as such, not counted in n." */
    rules_party p[] = {P(MELLE)};
    rules_agreement a = signed_agreement("2021-10-01", "2025-12-31", p, 1);
    assert_int_equal(state_on(&a, 1, MERELBEKE_MELLE, "2025-06-30", BASIS_ACTUAL), COVER_PARTIAL);
    rules_coverage c;
    assert_int_equal(rules_coverage_eval(&c, &map, &a, 1, NULL, 0, D("2025-06-30"), BASIS_ACTUAL, RULES_LINKS), 0);
    assert_int_equal(c.municipalities[PROVINCE_OVL].covered, 0);
    assert_int_equal(c.municipalities[PROVINCE_OVL].partial, 1);
    assert_int_equal(c.municipalities[ROW_FLANDERS].partial, 1);
    rules_coverage_free(&c);
    /* before the merger Melle itself is simply covered */
    assert_int_equal(state_on(&a, 1, MELLE, "2024-12-31", BASIS_ACTUAL), COVER_FULL);
}

static void former_parties_in_two_agreements(void **state)
{
    (void)state;
    rules_party p1[] = {P(MELLE)}, p2[] = {P(MERELBEKE)};
    rules_agreement a[] = {signed_agreement("2021-01-01", "2025-12-31", p1, 1),
                           signed_agreement("2022-01-01", "2025-06-30", p2, 1)};
    assert_int_equal(state_on(a, 2, MERELBEKE_MELLE, "2025-06-30", BASIS_ACTUAL), COVER_FULL);
    assert_int_equal(state_on(a, 2, MERELBEKE_MELLE, "2025-07-01", BASIS_ACTUAL), COVER_PARTIAL);
}

static void code_kept_is_another_territory(void **state)
{
    (void)state;
    /* "a 2021 party '11002 Antwerpen' is the former Antwerpen, so 2025
     *  Antwerpen is fully covered through former municipalities only if
     *  Borsbeek is covered too." */
    rules_party only_antwerpen[] = {P(ANTWERPEN)};
    rules_agreement a = signed_agreement("2021-01-01", "2025-12-31", only_antwerpen, 1);
    assert_int_equal(state_on(&a, 1, ANTWERPEN, "2024-12-31", BASIS_ACTUAL), COVER_FULL);
    assert_int_equal(state_on(&a, 1, ANTWERPEN, "2025-01-01", BASIS_ACTUAL), COVER_PARTIAL);
    rules_party both[] = {P(ANTWERPEN), P(BORSBEEK)};
    rules_agreement b = signed_agreement("2021-01-01", "2025-12-31", both, 2);
    assert_int_equal(state_on(&b, 1, ANTWERPEN, "2025-01-01", BASIS_ACTUAL), COVER_FULL);
}

static void party_named_after_merger(void **state)
{
    (void)state;
    /* "A party names a municipality as it was on the first day of the party's
     *  interval": 11002 in a 2025 agreement is the new, larger Antwerpen. */
    rules_party p[] = {P(ANTWERPEN)};
    rules_agreement a = signed_agreement("2025-02-01", "2030-12-31", p, 1);
    assert_int_equal(state_on(&a, 1, ANTWERPEN, "2025-02-01", BASIS_ACTUAL), COVER_FULL);
    int id;
    assert_true(rules_party_covers(&map, &a, &p[0], BASIS_ACTUAL, D("2025-02-01"), &id));
    assert_int_equal(map.items[id].valid_from, D("2025-01-01"));
}

static void spanning_new_year_2025(void **state)
{
    (void)state;
    /* "that interval may run on past a merger (the 2020-2025 agreements all do)" */
    rules_party p[] = {P(ZWIJNDRECHT), P(BEVEREN), P(AARTSELAAR)};
    rules_agreement a = signed_agreement("2021-10-01", "2025-12-31", p, 3);
    rules_coverage c;
    assert_int_equal(rules_coverage_eval(&c, &map, &a, 1, NULL, 0, D("2024-12-31"), BASIS_ACTUAL, RULES_LINKS), 0);
    assert_int_equal(c.municipalities[PROVINCE_ANT].covered, 2); /* Zwijndrecht, Aartselaar */
    assert_int_equal(c.municipalities[PROVINCE_OVL].covered, 1); /* Beveren */
    rules_coverage_free(&c);
    assert_int_equal(rules_coverage_eval(&c, &map, &a, 1, NULL, 0, D("2025-01-01"), BASIS_ACTUAL, RULES_LINKS), 0);
    assert_int_equal(c.municipalities[PROVINCE_ANT].covered, 1); /* Aartselaar */
    assert_int_equal(c.municipalities[PROVINCE_OVL].covered, 1); /* Beveren-Kruibeke-Zwijndrecht */
    assert_int_equal(c.municipalities[ROW_FLANDERS].covered, 2);
    assert_int_equal(c.municipalities[ROW_FLANDERS].total, 4);
    rules_coverage_free(&c);
}

static void merger_rule_applies_to_prognosis(void **state)
{
    (void)state;
    /* "The merger rule applies to the prognosis as to coverage." */
    rules_party signed_p[] = {P(MELLE)};
    rules_party pipe_p[] = {P(MERELBEKE)};
    rules_agreement a[] = {
        signed_agreement("2021-01-01", "2025-12-31", signed_p, 1),
        {STATUS_AWAITING_APPROVAL, DATE_NONE, D("2025-12-31"), D("2024-09-01"), DATE_NONE, -1, pipe_p, 1},
    };
    assert_int_equal(state_on(a, 2, MERELBEKE_MELLE, "2025-03-31", BASIS_ACTUAL), COVER_PARTIAL);
    assert_int_equal(state_on(a, 2, MERELBEKE_MELLE, "2025-03-31", BASIS_PROGNOSIS), COVER_FULL);
}

static void links_name_the_covering_parties(void **state)
{
    (void)state;
    rules_party p[] = {P(MELLE), P(MERELBEKE)};
    rules_agreement a = signed_agreement("2021-10-01", "2025-12-31", p, 2);
    rules_coverage c;
    assert_int_equal(rules_coverage_eval(&c, &map, &a, 1, NULL, 0, D("2025-03-01"), BASIS_ACTUAL, RULES_LINKS), 0);
    const rules_link *l;
    int melle = rules_identity_on(&map, MELLE, D("2024-01-01"));
    assert_int_equal(rules_links_of(&c, melle, &l), 1);
    assert_int_equal(l->party, 0);
    assert_int_equal(l->from, D("2021-10-01"));
    assert_int_equal(l->to, D("2025-12-31"));
    rules_coverage_free(&c);
}

static void regions(void **state)
{
    (void)state;
    /* "A regiegebied R is covered on D when some agreement in force on D names R" */
    rules_region r[] = {{PROVINCE_OVL, D("2020-01-01"), D("2025-12-31")},
                        {PROVINCE_OVL, D("2023-01-01"), DATE_NONE},
                        {PROVINCE_ANT, DATE_NONE, DATE_NONE}};
    rules_agreement a[] = {
        {STATUS_SIGNED, D("2021-10-01"), D("2025-12-31"), DATE_NONE, DATE_NONE, 0, NULL, 0},
        {STATUS_NEGOTIATING, DATE_NONE, D("2025-12-31"), D("2023-09-01"), DATE_NONE, 1, NULL, 0},
    };
    rules_coverage c;
    assert_int_equal(rules_coverage_eval(&c, &map, a, 2, r, 3, D("2022-06-30"), BASIS_ACTUAL, RULES_LINKS), 0);
    assert_int_equal(c.regions[PROVINCE_OVL].total, 1); /* the second does not exist yet */
    assert_int_equal(c.regions[PROVINCE_OVL].covered, 1);
    assert_int_equal(c.regions[PROVINCE_ANT].total, 1);
    assert_int_equal(c.regions[ROW_FLANDERS].covered, 1);
    assert_int_equal(c.regions[ROW_FLANDERS].total, 2);
    rules_coverage_free(&c);
    assert_int_equal(rules_coverage_eval(&c, &map, a, 2, r, 3, D("2023-12-31"), BASIS_PROGNOSIS, RULES_LINKS), 0);
    assert_int_equal(c.regions[PROVINCE_OVL].covered, 2);
    assert_int_equal(c.regions[PROVINCE_OVL].total, 2);
    rules_coverage_free(&c);
    assert_int_equal(rules_coverage_eval(&c, &map, a, 2, r, 3, D("2023-12-31"), BASIS_ACTUAL, RULES_LINKS), 0);
    assert_int_equal(c.regions[PROVINCE_OVL].covered, 1);
    rules_coverage_free(&c);
}

/* The map's "in the pipeline": not covered, but on its way. */
static bool in_pipeline(const rules_agreement *a, size_t n, int code, const char *day)
{
    rules_coverage c;
    date_t d = D(day);
    assert_int_equal(rules_coverage_eval(&c, &map, a, n, NULL, 0, d, BASIS_ACTUAL, RULES_COUNTS), 0);
    unsigned char out[64];
    assert_true(map.count <= sizeof out);
    assert_int_equal(rules_pipeline_eval(&map, a, n, d, c.state, out), 0);
    rules_coverage_free(&c);
    return out[rules_identity_on(&map, code, d)] != 0;
}

static void pipeline_on_the_map(void **state)
{
    (void)state;
    rules_party p[] = {P(AARTSELAAR), P(MELLE)};
    rules_agreement neg = {STATUS_NEGOTIATING, DATE_NONE, D("2025-12-31"), D("2024-09-01"), DATE_NONE, -1, p, 2};
    /* before its expected start it is already in preparation */
    assert_true(in_pipeline(&neg, 1, AARTSELAAR, "2024-03-01"));
    /* a former municipality marks its successor */
    assert_true(in_pipeline(&neg, 1, MERELBEKE_MELLE, "2025-03-01"));
    /* once the end has passed, it is no longer on its way */
    assert_false(in_pipeline(&neg, 1, AARTSELAAR, "2026-01-01"));
    /* a draft is not in the pipeline */
    neg.status = STATUS_DRAFT;
    assert_false(in_pipeline(&neg, 1, AARTSELAAR, "2024-03-01"));
    /* a planned party of an agreement in force */
    rules_party q[] = {P(AARTSELAAR), {BORSBEEK, DATE_NONE, DATE_NONE, D("2024-10-01"), DATE_NONE}};
    rules_agreement sig = signed_agreement("2021-01-01", "2025-12-31", q, 2);
    assert_true(in_pipeline(&sig, 1, BORSBEEK, "2024-03-01"));
    /* a covered municipality is covered, not in the pipeline */
    assert_false(in_pipeline(&sig, 1, AARTSELAAR, "2024-03-01"));
}

static rules_lifecycle L(agreement_status st, const char *start, bool approved, const char *ended_on, bool ended_by)
{
    return (rules_lifecycle){st, start ? D(start) : DATE_NONE, ended_on ? D(ended_on) : DATE_NONE, approved, ended_by};
}

/* ---- council approvals (SPEC §3, 2026-12) --------------------------------
 * "A municipality party covers the interval from max(agreement start, party
 *  from, approved_on) to min(agreement end, party until, the day before
 *  terminated_on)". */

static rules_party approved(int code, const char *on)
{
    return (rules_party){code, DATE_NONE, DATE_NONE, DATE_NONE, on ? D(on) : DATE_NONE};
}

/* The first day of the party's interval on the basis, or DATE_NONE. */
static date_t first_day(const rules_agreement *a, const rules_party *p, rules_basis basis)
{
    date_t from, to;
    return rules_party_interval(a, p, basis, &from, &to) ? from : DATE_NONE;
}

static void approval_before_start(void **state)
{
    (void)state;
    /* max(2021-03-01, -, 2021-02-15) = 2021-03-01: the start */
    rules_party p[] = {approved(AARTSELAAR, "2021-02-15")};
    rules_agreement a = signed_agreement("2021-03-01", "2025-12-31", p, 1);
    assert_int_equal(first_day(&a, &p[0], BASIS_ACTUAL), D("2021-03-01"));
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2021-02-28", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2021-03-01", BASIS_ACTUAL), COVER_FULL);
    assert_false(rules_party_bound_by_approval(&a, &p[0], BASIS_ACTUAL));
}

static void approval_on_start(void **state)
{
    (void)state;
    /* max(2021-03-01, -, 2021-03-01) = 2021-03-01; no note: bound from the start */
    rules_party p[] = {approved(AARTSELAAR, "2021-03-01")};
    rules_agreement a = signed_agreement("2021-03-01", "2025-12-31", p, 1);
    assert_int_equal(first_day(&a, &p[0], BASIS_ACTUAL), D("2021-03-01"));
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2021-03-01", BASIS_ACTUAL), COVER_FULL);
    assert_false(rules_party_bound_by_approval(&a, &p[0], BASIS_ACTUAL));
}

static void approval_after_start(void **state)
{
    (void)state;
    /* "a council that approves after the agreement's start is covered from
     *  the day of its approval": max(2021-03-01, -, 2021-05-20) = 2021-05-20 */
    rules_party p[] = {approved(AARTSELAAR, "2021-05-20")};
    rules_agreement a = signed_agreement("2021-03-01", "2025-12-31", p, 1);
    assert_int_equal(first_day(&a, &p[0], BASIS_ACTUAL), D("2021-05-20"));
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2021-03-01", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2021-05-19", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2021-05-20", BASIS_ACTUAL), COVER_FULL);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2025-12-31", BASIS_ACTUAL), COVER_FULL);
    assert_true(rules_party_bound_by_approval(&a, &p[0], BASIS_ACTUAL));
    /* the prognosis counts it from the same day */
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2021-05-19", BASIS_PROGNOSIS), COVER_NONE);
}

static void approval_without_date_counts_from_start(void **state)
{
    (void)state;
    /* "A party without approved_on counts from the start" */
    rules_party p[] = {approved(AARTSELAAR, NULL)};
    rules_agreement a = signed_agreement("2021-03-01", "2025-12-31", p, 1);
    assert_int_equal(first_day(&a, &p[0], BASIS_ACTUAL), D("2021-03-01"));
    assert_false(rules_party_bound_by_approval(&a, &p[0], BASIS_ACTUAL));
}

static void approval_with_from_and_until(void **state)
{
    (void)state;
    /* max(2021-01-01, 2022-03-01, 2022-04-01) = 2022-04-01; until 2023-06-30 */
    rules_party p[] = {{AARTSELAAR, D("2022-03-01"), D("2023-06-30"), DATE_NONE, D("2022-04-01")}};
    rules_agreement a = signed_agreement("2021-01-01", "2025-12-31", p, 1);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2022-03-31", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2022-04-01", BASIS_ACTUAL), COVER_FULL);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2023-07-01", BASIS_ACTUAL), COVER_NONE);
    /* max(2021-01-01, 2022-03-01, 2021-12-01) = 2022-03-01: from decides */
    rules_party q = {AARTSELAAR, D("2022-03-01"), DATE_NONE, DATE_NONE, D("2021-12-01")};
    assert_int_equal(first_day(&a, &q, BASIS_ACTUAL), D("2022-03-01"));
    assert_false(rules_party_bound_by_approval(&a, &q, BASIS_ACTUAL));
    /* approved after its until: an empty interval covers nothing */
    rules_party r = {AARTSELAAR, DATE_NONE, D("2023-06-30"), DATE_NONE, D("2023-07-01")};
    assert_int_equal(first_day(&a, &r, BASIS_ACTUAL), DATE_NONE);
}

static void approval_across_a_merger(void **state)
{
    (void)state;
    /* A 2021 party of Melle (merged into Merelbeke-Melle on 1/1/2025),
     * approved on 2021-06-01: covers Melle from 2021-06-01 and, running on
     * past the merger, half of Merelbeke-Melle (Merelbeke is no party). */
    rules_party p[] = {approved(MELLE, "2021-06-01")};
    rules_agreement a = signed_agreement("2021-01-01", "2025-12-31", p, 1);
    assert_int_equal(state_on(&a, 1, MELLE, "2021-05-31", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, MELLE, "2021-06-01", BASIS_ACTUAL), COVER_FULL);
    assert_int_equal(state_on(&a, 1, MERELBEKE_MELLE, "2025-01-01", BASIS_ACTUAL), COVER_PARTIAL);
    /* With Merelbeke's council approving on 2024-12-31 too, both former
     * municipalities are covered on 1/1/2025, so Merelbeke-Melle is. */
    rules_party both[] = {approved(MELLE, "2021-06-01"), approved(MERELBEKE, "2024-12-31")};
    rules_agreement b = signed_agreement("2021-01-01", "2025-12-31", both, 2);
    assert_int_equal(state_on(&b, 1, MERELBEKE, "2024-12-30", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&b, 1, MERELBEKE, "2024-12-31", BASIS_ACTUAL), COVER_FULL);
    assert_int_equal(state_on(&b, 1, MERELBEKE_MELLE, "2025-01-01", BASIS_ACTUAL), COVER_FULL);
    /* Melle's council no longer exists after the merger: an approval dated
     * 2025-02-01 names no municipality ("as it was on the first day of the
     * party's interval"), so it covers nothing; the importer refuses it. */
    rules_party late[] = {approved(MELLE, "2025-02-01")};
    rules_agreement c = signed_agreement("2021-01-01", "2025-12-31", late, 1);
    int id;
    assert_false(rules_party_covers(&map, &c, &late[0], BASIS_ACTUAL, D("2025-03-01"), &id));
    assert_int_equal(id, -1);
    assert_int_equal(state_on(&c, 1, MERELBEKE_MELLE, "2025-03-01", BASIS_ACTUAL), COVER_NONE);
    /* A code kept through the merger: a 2021 party "Antwerpen" approved on
     * 2025-02-01 is the council of the 2025 Antwerpen (with Borsbeek), which
     * it names from that day; 2024 Antwerpen was never covered. */
    rules_party kept[] = {approved(ANTWERPEN, "2025-02-01")};
    rules_agreement k = signed_agreement("2021-01-01", "2025-12-31", kept, 1);
    assert_int_equal(state_on(&k, 1, ANTWERPEN, "2024-12-31", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&k, 1, ANTWERPEN, "2025-01-31", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&k, 1, ANTWERPEN, "2025-02-01", BASIS_ACTUAL), COVER_FULL);
    assert_true(rules_party_covers(&map, &k, &kept[0], BASIS_ACTUAL, D("2025-02-01"), &id));
    assert_int_equal(id, rules_identity_on(&map, ANTWERPEN, D("2025-01-01")));
}

static void approval_before_start_is_irrelevant(void **state)
{
    (void)state;
    /* A 2025 agreement of Merelbeke-Melle, approved on 2024-12-16, before the
     * municipality existed: max(2025-03-01, -, 2024-12-16) = 2025-03-01, so
     * the approval date plays no part, not even in naming the municipality. */
    rules_party p[] = {approved(MERELBEKE_MELLE, "2024-12-16")};
    rules_agreement a = signed_agreement("2025-03-01", "2030-12-31", p, 1);
    assert_int_equal(first_day(&a, &p[0], BASIS_ACTUAL), D("2025-03-01"));
    assert_int_equal(state_on(&a, 1, MERELBEKE_MELLE, "2025-03-01", BASIS_ACTUAL), COVER_FULL);
    assert_false(rules_party_bound_by_approval(&a, &p[0], BASIS_ACTUAL));
}

static void planned_party_with_later_approval(void **state)
{
    (void)state;
    /* "counts only in the prognosis, from max(expected_from, approved_on)":
     * max(2024-03-01, 2024-04-15) = 2024-04-15 */
    rules_party p[] = {{AARTSELAAR, DATE_NONE, DATE_NONE, D("2024-03-01"), D("2024-04-15")}};
    rules_agreement a = signed_agreement("2021-01-01", "2025-12-31", p, 1);
    assert_int_equal(first_day(&a, &p[0], BASIS_ACTUAL), DATE_NONE);
    assert_int_equal(first_day(&a, &p[0], BASIS_PROGNOSIS), D("2024-04-15"));
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-04-14", BASIS_PROGNOSIS), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-04-15", BASIS_PROGNOSIS), COVER_FULL);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-04-15", BASIS_ACTUAL), COVER_NONE);
    assert_true(rules_party_bound_by_approval(&a, &p[0], BASIS_PROGNOSIS));
    /* an approval before expected_from changes nothing: max(2024-03-01, 2024-01-10) */
    rules_party q = {AARTSELAAR, DATE_NONE, DATE_NONE, D("2024-03-01"), D("2024-01-10")};
    assert_int_equal(first_day(&a, &q, BASIS_PROGNOSIS), D("2024-03-01"));
}

static void pipeline_party_approved_after_expected_start(void **state)
{
    (void)state;
    /* "their parties' intervals start from expected_start … with from and
     *  approved_on applied the same way": max(2024-01-01, -, 2024-02-20) */
    rules_party p[] = {approved(AARTSELAAR, "2024-02-20"), approved(BORSBEEK, "2023-12-01")};
    rules_agreement a = {STATUS_AWAITING_APPROVAL, DATE_NONE, D("2025-12-31"), D("2024-01-01"), DATE_NONE, -1, p, 2};
    assert_int_equal(first_day(&a, &p[0], BASIS_PROGNOSIS), D("2024-02-20"));
    assert_int_equal(first_day(&a, &p[1], BASIS_PROGNOSIS), D("2024-01-01"));
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-02-19", BASIS_PROGNOSIS), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-02-20", BASIS_PROGNOSIS), COVER_FULL);
    assert_int_equal(state_on(&a, 1, BORSBEEK, "2024-01-01", BASIS_PROGNOSIS), COVER_FULL);
    /* never on the actual basis */
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2024-02-20", BASIS_ACTUAL), COVER_NONE);
}

static void signed_without_start_is_named_not_counted(void **state)
{
    (void)state;
    /* "A signed agreement without a start date is in force on no date, but
     *  … the annex names it under each of its municipalities" */
    rules_party p[] = {approved(AARTSELAAR, NULL), approved(BORSBEEK, "2022-03-01"),
                       {ZWIJNDRECHT, DATE_NONE, DATE_NONE, D("2023-01-01"), DATE_NONE}, {-1, DATE_NONE, DATE_NONE,
                       DATE_NONE, DATE_NONE}};
    rules_agreement a = signed_agreement(NULL, "2025-12-31", p, 4);
    int id;
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2023-06-30", BASIS_ACTUAL), COVER_NONE);
    assert_int_equal(state_on(&a, 1, AARTSELAAR, "2023-06-30", BASIS_PROGNOSIS), COVER_NONE);
    assert_true(rules_party_unstarted(&map, &a, &p[0], D("2023-06-30"), &id));
    assert_int_equal(id, rules_identity_on(&map, AARTSELAAR, D("2023-06-30")));
    /* not after its end */
    assert_true(rules_party_unstarted(&map, &a, &p[0], D("2025-12-31"), &id));
    assert_false(rules_party_unstarted(&map, &a, &p[0], D("2026-01-01"), &id));
    /* not before its council approved; named as on the day it approved */
    assert_false(rules_party_unstarted(&map, &a, &p[1], D("2022-02-28"), &id));
    assert_true(rules_party_unstarted(&map, &a, &p[1], D("2022-03-01"), &id));
    assert_int_equal(id, rules_identity_on(&map, BORSBEEK, D("2022-03-01")));
    /* a planned party and an organisation are not named */
    assert_false(rules_party_unstarted(&map, &a, &p[2], D("2023-06-30"), &id));
    assert_false(rules_party_unstarted(&map, &a, &p[3], D("2023-06-30"), &id));
    /* an agreement with a start, or not signed, is not "without start" */
    rules_agreement started = signed_agreement("2021-01-01", "2025-12-31", p, 1);
    assert_false(rules_party_unstarted(&map, &started, &p[0], D("2023-06-30"), &id));
    rules_agreement neg = {STATUS_NEGOTIATING, DATE_NONE, D("2025-12-31"), DATE_NONE, DATE_NONE, -1, p, 1};
    assert_false(rules_party_unstarted(&map, &neg, &p[0], D("2023-06-30"), &id));
    /* terminated: named until the day before terminated_on */
    rules_agreement ended = {STATUS_TERMINATED, DATE_NONE, D("2025-12-31"), DATE_NONE, D("2024-01-01"), -1, p, 1};
    assert_true(rules_party_unstarted(&map, &ended, &p[0], D("2023-12-31"), &id));
    assert_false(rules_party_unstarted(&map, &ended, &p[0], D("2024-01-01"), &id));
}

static void lifecycle(void **state)
{
    (void)state;
    rules_lifecycle draft = L(STATUS_DRAFT, NULL, false, NULL, false);
    rules_lifecycle neg = L(STATUS_NEGOTIATING, NULL, false, NULL, false);
    /* before signing, the statuses move freely, also back */
    assert_int_equal(rules_lifecycle_check(&draft, &neg), 0);
    assert_int_equal(rules_lifecycle_check(&neg, &draft), 0);
    assert_int_equal(rules_lifecycle_check(NULL, &neg), 0);
    /* "signed needs a start date and at least one municipality party with a council approval date" */
    rules_lifecycle signed_bare = L(STATUS_SIGNED, NULL, false, NULL, false);
    assert_int_equal(rules_lifecycle_check(&neg, &signed_bare), LIFECYCLE_NEEDS_START | LIFECYCLE_NEEDS_APPROVAL);
    rules_lifecycle signed_ok = L(STATUS_SIGNED, "2024-01-01", true, NULL, false);
    assert_int_equal(rules_lifecycle_check(&neg, &signed_ok), 0);
    assert_int_equal(rules_lifecycle_check(NULL, &signed_bare), LIFECYCLE_NEEDS_START | LIFECYCLE_NEEDS_APPROVAL);
    /* "terminated needs a date and the party that terminated" */
    rules_lifecycle term_bare = L(STATUS_TERMINATED, "2024-01-01", true, NULL, false);
    assert_int_equal(rules_lifecycle_check(&signed_ok, &term_bare), LIFECYCLE_NEEDS_END_DATE | LIFECYCLE_NEEDS_ENDED_BY);
    rules_lifecycle term_ok = L(STATUS_TERMINATED, "2024-01-01", true, "2025-01-01", true);
    assert_int_equal(rules_lifecycle_check(&signed_ok, &term_ok), 0);
    /* a signed agreement can only be terminated; a terminated one stays so */
    assert_int_equal(rules_lifecycle_check(&signed_ok, &neg), LIFECYCLE_STEP_FORBIDDEN);
    assert_int_equal(rules_lifecycle_check(&term_ok, &signed_ok), LIFECYCLE_STEP_FORBIDDEN);
    assert_int_equal(rules_lifecycle_check(&neg, &term_ok), LIFECYCLE_STEP_FORBIDDEN);
    /* an edit that keeps the status may not break what held, but needs not mend what was missing */
    rules_lifecycle signed_no_start = L(STATUS_SIGNED, NULL, true, NULL, false);
    assert_int_equal(rules_lifecycle_check(&signed_ok, &signed_no_start), LIFECYCLE_NEEDS_START);
    assert_int_equal(rules_lifecycle_check(&signed_bare, &signed_bare), 0);
}

static void percentages(void **state)
{
    (void)state;
    /* "100·n/N rounded half up to a whole number (55/60 → 92); empty when N is 0" */
    assert_int_equal(rules_percent(55, 60), 92);
    assert_int_equal(rules_percent(236, 300), 79);
    assert_int_equal(rules_percent(260, 300), 87);
    assert_int_equal(rules_percent(33, 39), 85);
    assert_int_equal(rules_percent(1, 8), 13);   /* 12.5 */
    assert_int_equal(rules_percent(3, 8), 38);   /* 37.5 */
    assert_int_equal(rules_percent(1, 200), 1);  /* 0.5 */
    assert_int_equal(rules_percent(1, 201), 0);  /* 0.497… */
    assert_int_equal(rules_percent(5, 5), 100);
    assert_int_equal(rules_percent(0, 7), 0);
    assert_int_equal(rules_percent(0, 0), -1);
}

static void identities_and_codes(void **state)
{
    (void)state;
    assert_int_equal(rules_identity_on(&map, BORSBEEK, D("2025-01-01")), -1);
    assert_true(rules_identity_on(&map, BORSBEEK, D("2024-12-31")) >= 0);
    assert_int_equal(rules_identity_on(&map, MERELBEKE_MELLE, D("2024-12-31")), -1);
    assert_true(rules_code_exists(&map, MERELBEKE_MELLE));
    int old = rules_identity_on(&map, ANTWERPEN, D("2024-12-31"));
    int now = rules_identity_on(&map, ANTWERPEN, D("2025-01-01"));
    assert_true(old >= 0 && now >= 0 && old != now);
    assert_int_equal(map.items[now].pred_count, 2);
}

static void overlapping_identities_are_refused(void **state)
{
    (void)state;
    rules_map m;
    rules_map_init(&m, 1);
    rules_map_add(&m, 0, PROVINCE_ANT, D("2019-01-01"), D("2025-01-01"));
    rules_map_add(&m, 0, PROVINCE_ANT, D("2025-01-01"), DATE_NONE);
    assert_int_equal(rules_map_finish(&m), -1);
    rules_map_free(&m);
}


/* ---- the map since 1983 (issue 9) -----------------------------------------
 * A second miniature, with the 2019 mergers: Lovendegem, Waarschoot and
 * Zomergem (1983-2018) became Lievegem on 1/1/2019; Opglabbeek (Limburg) and
 * Meeuwen-Gruitrode became Oudsbergen; Melle and Merelbeke became
 * Merelbeke-Melle on 1/1/2025; Gent never merged; Zwijndrecht (Antwerpen) and
 * Beveren became Beveren-Kruibeke-Zwijndrecht (Oost-Vlaanderen) in 2025.
 * SPEC §3: "On a date before 1/1/2019 the municipalities are the 308 of
 * 1983-2018; from 1/1/2019 to 31/12/2024 the 300; from 1/1/2025 the 285"
 * and "every one of its former municipalities is covered on D by this same
 * rule (so it applies through the 2019 and the 2025 mergers alike)". Parties
 * are built with designated initializers so that fields added to rules_party
 * later keep their defaults. */

enum {
    M_GENT, M_LOVENDEGEM, M_WAARSCHOOT, M_ZOMERGEM, M_LIEVEGEM, M_MELLE, M_MERELBEKE, M_MERELBEKE_MELLE,
    M_OPGLABBEEK, M_MEEUWEN, M_OUDSBERGEN, M_ZWIJNDRECHT, M_BEVEREN, M_BKZ, M_CODES
};

static rules_map map1983;

static int setup_map1983(void **state)
{
    (void)state;
    date_t y1983 = D("1983-01-01"), y2018 = D("2018-12-31"), y2019 = D("2019-01-01");
    date_t y2024 = D("2024-12-31"), y2025 = D("2025-01-01");
    rules_map_init(&map1983, M_CODES);
    rules_map_add(&map1983, M_GENT, PROVINCE_OVL, y1983, DATE_NONE);
    rules_map_add(&map1983, M_LOVENDEGEM, PROVINCE_OVL, y1983, y2018);
    rules_map_add(&map1983, M_WAARSCHOOT, PROVINCE_OVL, y1983, y2018);
    rules_map_add(&map1983, M_ZOMERGEM, PROVINCE_OVL, y1983, y2018);
    rules_map_add(&map1983, M_LIEVEGEM, PROVINCE_OVL, y2019, DATE_NONE);
    rules_map_add(&map1983, M_MELLE, PROVINCE_OVL, y1983, y2024);
    rules_map_add(&map1983, M_MERELBEKE, PROVINCE_OVL, y1983, y2024);
    rules_map_add(&map1983, M_MERELBEKE_MELLE, PROVINCE_OVL, y2025, DATE_NONE);
    rules_map_add(&map1983, M_OPGLABBEEK, PROVINCE_LIM, y1983, y2018);
    rules_map_add(&map1983, M_MEEUWEN, PROVINCE_LIM, y1983, y2018);
    rules_map_add(&map1983, M_OUDSBERGEN, PROVINCE_LIM, y2019, DATE_NONE);
    rules_map_add(&map1983, M_ZWIJNDRECHT, PROVINCE_ANT, y1983, y2024);
    rules_map_add(&map1983, M_BEVEREN, PROVINCE_OVL, y1983, y2024);
    rules_map_add(&map1983, M_BKZ, PROVINCE_OVL, y2025, DATE_NONE);
    rules_map_merger(&map1983, M_LOVENDEGEM, M_LIEVEGEM, y2019);
    rules_map_merger(&map1983, M_WAARSCHOOT, M_LIEVEGEM, y2019);
    rules_map_merger(&map1983, M_ZOMERGEM, M_LIEVEGEM, y2019);
    rules_map_merger(&map1983, M_OPGLABBEEK, M_OUDSBERGEN, y2019);
    rules_map_merger(&map1983, M_MEEUWEN, M_OUDSBERGEN, y2019);
    rules_map_merger(&map1983, M_MELLE, M_MERELBEKE_MELLE, y2025);
    rules_map_merger(&map1983, M_MERELBEKE, M_MERELBEKE_MELLE, y2025);
    rules_map_merger(&map1983, M_ZWIJNDRECHT, M_BKZ, y2025);
    rules_map_merger(&map1983, M_BEVEREN, M_BKZ, y2025);
    return rules_map_finish(&map1983);
}

static int teardown_map1983(void **state)
{
    (void)state;
    rules_map_free(&map1983);
    return 0;
}

static rules_party P83(int code)
{
    return (rules_party){.code = code, .from = DATE_NONE, .until = DATE_NONE, .expected_from = DATE_NONE,
                         .approved_on = DATE_NONE};
}

static rules_agreement signed83(const char *start, const char *end, const rules_party *parties, int n)
{
    return (rules_agreement){.status = STATUS_SIGNED, .start = D(start), .end = D(end), .expected_start = DATE_NONE,
                             .terminated_on = DATE_NONE, .region = -1, .parties = parties, .party_count = n};
}

/* The coverage on day of the 1983 miniature; the caller frees it. */
static rules_coverage eval83(const rules_agreement *a, size_t n, const char *day)
{
    rules_coverage c;
    assert_int_equal(rules_coverage_eval(&c, &map1983, a, n, NULL, 0, D(day), BASIS_ACTUAL, RULES_COUNTS), 0);
    return c;
}

static cover_state state83(const rules_agreement *a, size_t n, int code, const char *day)
{
    rules_coverage c = eval83(a, n, day);
    int id = rules_identity_on(&map1983, code, D(day));
    assert_true(id >= 0);
    cover_state s = (cover_state)c.state[id];
    rules_coverage_free(&c);
    return s;
}

static void universe_before_2019(void **state)
{
    (void)state;
    /* "before 1/1/2019 ... the 308 of 1983-2018": here Oost-Vlaanderen has
     * Gent, Lovendegem, Waarschoot, Zomergem, Melle, Merelbeke, Beveren = 7,
     * Limburg Opglabbeek and Meeuwen-Gruitrode = 2, Antwerpen Zwijndrecht = 1 */
    rules_coverage c = eval83(NULL, 0, "2018-12-31");
    assert_int_equal(c.municipalities[PROVINCE_OVL].total, 7);
    assert_int_equal(c.municipalities[PROVINCE_LIM].total, 2);
    assert_int_equal(c.municipalities[PROVINCE_ANT].total, 1);
    assert_int_equal(c.municipalities[ROW_FLANDERS].total, 10);
    rules_coverage_free(&c);
    /* the first day of the map counts the same */
    c = eval83(NULL, 0, "1983-01-01");
    assert_int_equal(c.municipalities[ROW_FLANDERS].total, 10);
    rules_coverage_free(&c);
    /* "from 1/1/2019 to 31/12/2024 the 300": Lievegem replaces three, Oudsbergen two:
     * Oost-Vlaanderen Gent, Lievegem, Melle, Merelbeke, Beveren = 5, Limburg 1, Antwerpen 1 */
    c = eval83(NULL, 0, "2019-01-01");
    assert_int_equal(c.municipalities[PROVINCE_OVL].total, 5);
    assert_int_equal(c.municipalities[PROVINCE_LIM].total, 1);
    assert_int_equal(c.municipalities[PROVINCE_ANT].total, 1);
    assert_int_equal(c.municipalities[ROW_FLANDERS].total, 7);
    rules_coverage_free(&c);
    /* "from 1/1/2025 the 285": Gent, Lievegem, Merelbeke-Melle, BKZ = 4; Oudsbergen; Antwerpen 0 */
    c = eval83(NULL, 0, "2025-01-01");
    assert_int_equal(c.municipalities[PROVINCE_OVL].total, 4);
    assert_int_equal(c.municipalities[PROVINCE_LIM].total, 1);
    assert_int_equal(c.municipalities[PROVINCE_ANT].total, 0);
    assert_int_equal(c.municipalities[ROW_FLANDERS].total, 5);
    rules_coverage_free(&c);
}

static void pre_2019_date_counts_against_the_map_of_then(void **state)
{
    (void)state;
    /* Opglabbeek alone, 2017-03-01 .. 2020-12-31. On 30/06/2017 Limburg has
     * Opglabbeek and Meeuwen-Gruitrode: n/N = 1/2 (50 %), Flanders 1/10 (10 %). */
    rules_party p[] = {P83(M_OPGLABBEEK)};
    rules_agreement a = signed83("2017-03-01", "2020-12-31", p, 1);
    rules_coverage c = eval83(&a, 1, "2017-06-30");
    assert_int_equal(c.municipalities[PROVINCE_LIM].covered, 1);
    assert_int_equal(c.municipalities[PROVINCE_LIM].total, 2);
    assert_int_equal(rules_percent(1, 2), 50);
    assert_int_equal(c.municipalities[ROW_FLANDERS].covered, 1);
    assert_int_equal(c.municipalities[ROW_FLANDERS].total, 10);
    assert_int_equal(c.municipalities[ROW_FLANDERS].partial, 0);
    rules_coverage_free(&c);
    /* the day before the start: nothing */
    assert_int_equal(state83(&a, 1, M_OPGLABBEEK, "2017-02-28"), COVER_NONE);
    assert_int_equal(state83(&a, 1, M_OPGLABBEEK, "2017-03-01"), COVER_FULL);
}

static void agreement_from_2007_across_both_mergers(void **state)
{
    (void)state;
    /* Gent's agreement of 2007, 2007-01-01 .. 2026-12-31, names Gent and, as
     * they were in 2007, Lovendegem, Waarschoot, Zomergem (Lievegem from 2019)
     * and Melle, Merelbeke (Merelbeke-Melle from 2025): "a party names a
     * municipality as it was on the first day of the party's interval; that
     * interval may run on past a merger". */
    rules_party p[] = {P83(M_GENT),  P83(M_LOVENDEGEM), P83(M_WAARSCHOOT),
                       P83(M_ZOMERGEM), P83(M_MELLE),   P83(M_MERELBEKE)};
    rules_agreement a = signed83("2007-01-01", "2026-12-31", p, 6);
    /* before the start nothing */
    assert_int_equal(state83(&a, 1, M_GENT, "2006-12-31"), COVER_NONE);
    assert_int_equal(state83(&a, 1, M_ZOMERGEM, "2006-12-31"), COVER_NONE);
    /* 2007 .. 2018: the six themselves; Oost-Vlaanderen 6 of 7 (Beveren not) */
    assert_int_equal(state83(&a, 1, M_LOVENDEGEM, "2007-01-01"), COVER_FULL);
    rules_coverage c = eval83(&a, 1, "2018-12-31");
    assert_int_equal(c.municipalities[PROVINCE_OVL].covered, 6);
    assert_int_equal(c.municipalities[PROVINCE_OVL].total, 7);
    assert_int_equal(rules_percent(6, 7), 86); /* 85.7 rounds up */
    rules_coverage_free(&c);
    /* 1/1/2019: Lievegem "is covered ... when every one of its former
     * municipalities is covered": Gent, Lievegem, Melle, Merelbeke = 4 of 5 */
    assert_int_equal(state83(&a, 1, M_LIEVEGEM, "2019-01-01"), COVER_FULL);
    c = eval83(&a, 1, "2019-01-01");
    assert_int_equal(c.municipalities[PROVINCE_OVL].covered, 4);
    assert_int_equal(c.municipalities[PROVINCE_OVL].total, 5);
    assert_int_equal(c.municipalities[PROVINCE_OVL].partial, 0);
    rules_coverage_free(&c);
    /* 1/1/2025: Merelbeke-Melle through Melle and Merelbeke, Lievegem still
     * through its 1983-2018 three: Gent, Lievegem, Merelbeke-Melle = 3 of 4 (BKZ not) */
    assert_int_equal(state83(&a, 1, M_MERELBEKE_MELLE, "2025-01-01"), COVER_FULL);
    assert_int_equal(state83(&a, 1, M_LIEVEGEM, "2025-06-30"), COVER_FULL);
    c = eval83(&a, 1, "2025-06-30");
    assert_int_equal(c.municipalities[PROVINCE_OVL].covered, 3);
    assert_int_equal(c.municipalities[PROVINCE_OVL].total, 4);
    rules_coverage_free(&c);
    /* the last day, and the day after the end */
    assert_int_equal(state83(&a, 1, M_LIEVEGEM, "2026-12-31"), COVER_FULL);
    assert_int_equal(state83(&a, 1, M_LIEVEGEM, "2027-01-01"), COVER_NONE);
    assert_int_equal(state83(&a, 1, M_MERELBEKE_MELLE, "2027-01-01"), COVER_NONE);
}

static void merged_2019_partially_covered_through_predecessors(void **state)
{
    (void)state;
    /* Opglabbeek 2017-03-01 .. 2020-12-31, Meeuwen-Gruitrode 2018-01-01 .. 2019-06-30:
     * Oudsbergen is covered while both are, partially covered ("when only some
     * are ... not counted in n") when one is. */
    rules_party opg[] = {P83(M_OPGLABBEEK)}, mee[] = {P83(M_MEEUWEN)};
    rules_agreement a[] = {signed83("2017-03-01", "2020-12-31", opg, 1), signed83("2018-01-01", "2019-06-30", mee, 1)};
    assert_int_equal(state83(a, 2, M_OUDSBERGEN, "2019-01-01"), COVER_FULL);
    assert_int_equal(state83(a, 2, M_OUDSBERGEN, "2019-06-30"), COVER_FULL);
    assert_int_equal(state83(a, 2, M_OUDSBERGEN, "2019-07-01"), COVER_PARTIAL);
    rules_coverage c = eval83(a, 2, "2019-07-01");
    assert_int_equal(c.municipalities[PROVINCE_LIM].covered, 0);
    assert_int_equal(c.municipalities[PROVINCE_LIM].partial, 1);
    assert_int_equal(c.municipalities[PROVINCE_LIM].total, 1);
    rules_coverage_free(&c);
    assert_int_equal(state83(a, 2, M_OUDSBERGEN, "2020-12-31"), COVER_PARTIAL);
    assert_int_equal(state83(a, 2, M_OUDSBERGEN, "2021-01-01"), COVER_NONE);
    /* a later agreement naming Oudsbergen itself covers it fully:
     * "when N itself ... is a covering party on D" */
    rules_party oud[] = {P83(M_OUDSBERGEN)};
    rules_agreement b[] = {a[0], a[1], signed83("2020-01-01", "2025-12-31", oud, 1)};
    assert_int_equal(state83(b, 3, M_OUDSBERGEN, "2019-12-31"), COVER_PARTIAL);
    assert_int_equal(state83(b, 3, M_OUDSBERGEN, "2020-01-01"), COVER_FULL);
    /* and before 2019 the two count each on their own: Limburg 2 of 2 in 2018 */
    c = eval83(a, 2, "2018-06-30");
    assert_int_equal(c.municipalities[PROVINCE_LIM].covered, 2);
    assert_int_equal(c.municipalities[PROVINCE_LIM].total, 2);
    rules_coverage_free(&c);
}

static void pre_2019_code_exists_from_1983(void **state)
{
    (void)state;
    /* "Municipalities ... must exist on the first day of the party's interval":
     * Lovendegem exists in 2007, Lievegem does not (it begins in 2019) */
    assert_true(rules_identity_on(&map1983, M_LOVENDEGEM, D("2007-01-01")) >= 0);
    assert_true(rules_identity_on(&map1983, M_LOVENDEGEM, D("2019-01-01")) < 0);
    assert_true(rules_identity_on(&map1983, M_LIEVEGEM, D("2018-12-31")) < 0);
    assert_true(rules_identity_on(&map1983, M_GENT, D("1983-01-01")) >= 0);
    assert_true(rules_identity_on(&map1983, M_GENT, D("1982-12-31")) < 0);
}

/* ---- signed agreements without start, named where municipalities are listed ---- */

/* "A signed agreement without a start date is in force on no date, but every
 *  report that lists agreements still shows it": a signed agreement of the
 * 1983 miniature without start, ending 31/12/2025. */
static rules_agreement unstarted83(const rules_party *parties, int n)
{
    return (rules_agreement){.status = STATUS_SIGNED, .start = DATE_NONE, .end = D("2025-12-31"),
                             .expected_start = DATE_NONE, .terminated_on = DATE_NONE, .region = -1,
                             .parties = parties, .party_count = n};
}

/* rules_unstarted_eval on day with the coverage of the same agreements; the
 * caller frees it. */
static rules_unstarted unstarted_on(const rules_agreement *a, size_t n, const char *day)
{
    rules_coverage c = eval83(a, n, day);
    rules_unstarted u;
    assert_int_equal(rules_unstarted_eval(&u, &map1983, a, n, D(day), c.state), 0);
    rules_coverage_free(&c);
    return u;
}

/* Whether code, as the identity valid on day, is marked; -1 when the code
 * does not exist on that day. */
static int marked83(const rules_agreement *a, size_t n, int code, const char *day)
{
    int id = rules_identity_on(&map1983, code, D(day));
    if (id < 0)
        return -1;
    rules_unstarted u = unstarted_on(a, n, day);
    int marked = u.marked[id];
    rules_unstarted_free(&u);
    return marked;
}

/* The parties that name the identity code has on identity_day, on day. */
static size_t links83(const rules_agreement *a, size_t n, int code, const char *identity_day, const char *day)
{
    rules_unstarted u = unstarted_on(a, n, day);
    const rules_unstarted_link *l;
    size_t k = rules_unstarted_links_of(&u, rules_identity_on(&map1983, code, D(identity_day)), &l);
    rules_unstarted_free(&u);
    return k;
}

static void unstarted_2019_municipality_merged_in_2025(void **state)
{
    (void)state;
    /* Zwijndrecht (2019-2024) is a party; on 1/1/2025 it becomes part of
     * Beveren-Kruibeke-Zwijndrecht. "A party names a municipality as it was
     * on the first day of the party's interval; that interval may run on
     * past a merger": here it has no first day, so it names the territory
     * of 2019. */
    rules_party p[] = {P83(M_ZWIJNDRECHT), P83(-1)};
    rules_agreement a = unstarted83(p, 2);
    /* 30/06/2023: Zwijndrecht named, not counted; Beveren not named */
    assert_int_equal(state83(&a, 1, M_ZWIJNDRECHT, "2023-06-30"), COVER_NONE);
    assert_int_equal(marked83(&a, 1, M_ZWIJNDRECHT, "2023-06-30"), 1);
    assert_int_equal(marked83(&a, 1, M_BEVEREN, "2023-06-30"), 0);
    assert_int_equal(links83(&a, 1, M_ZWIJNDRECHT, "2023-06-30", "2023-06-30"), 1);
    /* 31/12/2024, the last day of Zwijndrecht: still itself */
    assert_int_equal(marked83(&a, 1, M_ZWIJNDRECHT, "2024-12-31"), 1);
    /* 01/01/2025: Beveren-Kruibeke-Zwijndrecht through its former Zwijndrecht,
     * the party still naming Zwijndrecht (the annex says "via Zwijndrecht") */
    assert_int_equal(marked83(&a, 1, M_BKZ, "2025-01-01"), 1);
    assert_int_equal(state83(&a, 1, M_BKZ, "2025-01-01"), COVER_NONE);
    assert_int_equal(links83(&a, 1, M_BKZ, "2025-01-01", "2025-01-01"), 0);
    assert_int_equal(links83(&a, 1, M_ZWIJNDRECHT, "2024-12-31", "2025-01-01"), 1);
    /* 31/12/2025 the end; 01/01/2026 nothing */
    assert_int_equal(marked83(&a, 1, M_BKZ, "2025-12-31"), 1);
    assert_int_equal(marked83(&a, 1, M_BKZ, "2026-01-01"), 0);
    /* the organisation party names nobody */
    rules_unstarted u = unstarted_on(&a, 1, "2023-06-30");
    assert_int_equal(u.link_count, 1);
    assert_int_equal(u.links[0].party, 0);
    rules_unstarted_free(&u);
}

static void unstarted_pre_2019_municipality(void **state)
{
    (void)state;
    /* Lovendegem (1983-2018) is a party; on 1/1/2019 it becomes part of
     * Lievegem with Waarschoot and Zomergem. */
    rules_party p[] = {P83(M_LOVENDEGEM)};
    rules_agreement a = unstarted83(p, 1);
    assert_int_equal(marked83(&a, 1, M_LOVENDEGEM, "2018-06-30"), 1);
    assert_int_equal(marked83(&a, 1, M_WAARSCHOOT, "2018-06-30"), 0);
    /* Lievegem is named through one former municipality: named, not
     * "partially": nothing covers it */
    assert_int_equal(marked83(&a, 1, M_LIEVEGEM, "2023-06-30"), 1);
    assert_int_equal(state83(&a, 1, M_LIEVEGEM, "2023-06-30"), COVER_NONE);
    /* a from date of 01/01/2017: "not before its from"; named as on that day */
    p[0].from = D("2017-01-01");
    assert_int_equal(marked83(&a, 1, M_LOVENDEGEM, "2016-12-31"), 0);
    assert_int_equal(marked83(&a, 1, M_LOVENDEGEM, "2017-01-01"), 1);
    assert_int_equal(marked83(&a, 1, M_LIEVEGEM, "2019-01-01"), 1);
    /* and through both mergers alike: Melle 2024, Merelbeke-Melle 2025 */
    rules_party q[] = {P83(M_MELLE)};
    rules_agreement b = unstarted83(q, 1);
    assert_int_equal(marked83(&b, 1, M_MELLE, "2010-06-30"), 1);
    assert_int_equal(marked83(&b, 1, M_MERELBEKE_MELLE, "2025-06-30"), 1);
}

static void unstarted_beside_covering(void **state)
{
    (void)state;
    /* Gent is a party of an agreement in force and of one without start:
     * "Municipality M is covered on D when some agreement in force on D has M
     *  as a party": covering wins, the other is still named (not counted). */
    rules_party covering[] = {P83(M_GENT), P83(M_LOVENDEGEM)};
    rules_party none[] = {P83(M_GENT), P83(M_MELLE), P83(M_WAARSCHOOT)};
    rules_agreement a[] = {signed83("2018-01-01", "2025-12-31", covering, 2), unstarted83(none, 3)};
    assert_int_equal(state83(a, 2, M_GENT, "2023-06-30"), COVER_FULL);
    assert_int_equal(marked83(a, 2, M_GENT, "2023-06-30"), 0);
    assert_int_equal(links83(a, 2, M_GENT, "2023-06-30", "2023-06-30"), 1);
    /* Melle has only the one without start */
    assert_int_equal(marked83(a, 2, M_MELLE, "2023-06-30"), 1);
    /* Lievegem: Lovendegem covered, Waarschoot named only. "When only some
     * are, N is partially covered": partially wins over the name */
    assert_int_equal(state83(a, 2, M_LIEVEGEM, "2023-06-30"), COVER_PARTIAL);
    assert_int_equal(marked83(a, 2, M_LIEVEGEM, "2023-06-30"), 0);
    /* before the covering agreement starts, Gent is named only */
    assert_int_equal(marked83(a, 2, M_GENT, "2017-12-31"), 1);
    /* after the end of both: nothing */
    assert_int_equal(marked83(a, 2, M_GENT, "2026-01-01"), 0);
}

static void muni_states(void **state)
{
    (void)state;
    /* first match wins: covered, partial, signed without start, pipeline, none */
    assert_int_equal(rules_muni_state(COVER_FULL, true, true), MUNI_COVERED);
    assert_int_equal(rules_muni_state(COVER_PARTIAL, true, true), MUNI_PARTIAL);
    assert_int_equal(rules_muni_state(COVER_NONE, true, true), MUNI_SIGNED_NO_START);
    assert_int_equal(rules_muni_state(COVER_NONE, false, true), MUNI_PIPELINE);
    assert_int_equal(rules_muni_state(COVER_NONE, false, false), MUNI_NONE);
    /* one name each, read back */
    const char *names[] = {"none", "pipeline", "signed_no_start", "partial", "covered"};
    for (int s = 0; s < MUNI_STATE_COUNT; s++) {
        muni_state back;
        assert_string_equal(muni_state_name((muni_state)s), names[s]);
        assert_true(muni_state_parse(names[s], &back));
        assert_int_equal(back, s);
    }
    muni_state back;
    assert_false(muni_state_parse("unstarted", &back));
    assert_string_equal(muni_state_label_nl(MUNI_SIGNED_NO_START), "ondertekend, begindatum onbekend");
    assert_string_equal(muni_state_label_nl(MUNI_NONE), "geen overeenkomst");
    /* all at once on 30/06/2023: Gent covered, Melle named, Lievegem
     * partially, Oudsbergen in the pipeline, Lovendegem not on the map */
    rules_party covering[] = {P83(M_GENT), P83(M_LOVENDEGEM)};
    rules_party none[] = {P83(M_MELLE)};
    rules_party talks[] = {P83(M_OUDSBERGEN)};
    rules_agreement a[] = {signed83("2018-01-01", "2025-12-31", covering, 2), unstarted83(none, 1),
                           {.status = STATUS_NEGOTIATING, .start = DATE_NONE, .end = D("2025-12-31"),
                            .expected_start = D("2024-01-01"), .terminated_on = DATE_NONE, .region = -1,
                            .parties = talks, .party_count = 1}};
    unsigned char out[M_CODES * 2];
    assert_true(map1983.count <= sizeof out);
    date_t d = D("2023-06-30");
    assert_int_equal(rules_muni_states(&map1983, a, 3, d, out), 0);
    assert_int_equal(out[rules_identity_on(&map1983, M_GENT, d)], MUNI_COVERED);
    assert_int_equal(out[rules_identity_on(&map1983, M_MELLE, d)], MUNI_SIGNED_NO_START);
    assert_int_equal(out[rules_identity_on(&map1983, M_LIEVEGEM, d)], MUNI_PARTIAL);
    assert_int_equal(out[rules_identity_on(&map1983, M_OUDSBERGEN, d)], MUNI_PIPELINE);
    assert_int_equal(out[rules_identity_on(&map1983, M_MERELBEKE, d)], MUNI_NONE);
    assert_int_equal(out[rules_identity_on(&map1983, M_LOVENDEGEM, D("2018-06-30"))], MUNI_NONE);
}

/* ---- cover spans and the monthly series (issue 12) ---- */

/* A small deterministic generator (no libc rand: the same cases everywhere). */
static unsigned next_random(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

static date_t random_day(unsigned *seed, date_t lo, date_t hi, bool may_be_none)
{
    if (may_be_none && next_random(seed) % 4 == 0)
        return DATE_NONE;
    return lo + (date_t)(next_random(seed) % (unsigned)(hi - lo + 1));
}

enum { RANDOM_AGREEMENTS = 60, RANDOM_PARTIES = 4 };
static rules_party random_parties[RANDOM_AGREEMENTS][RANDOM_PARTIES];
static rules_agreement random_agreements[RANDOM_AGREEMENTS];

/* Agreements of every status with parties joining, leaving, planned and
 * approved late, on both sides of the 2025 mergers. */
static void make_random_register(unsigned seed)
{
    static const agreement_status statuses[] = {STATUS_SIGNED, STATUS_SIGNED, STATUS_TERMINATED, STATUS_NEGOTIATING,
                                                STATUS_AGREED_IN_PRINCIPLE, STATUS_AWAITING_APPROVAL, STATUS_DRAFT};
    date_t lo = D("2018-06-01"), hi = D("2026-06-30");
    for (int i = 0; i < RANDOM_AGREEMENTS; i++) {
        rules_agreement *a = &random_agreements[i];
        a->status = statuses[next_random(&seed) % 7];
        a->start = random_day(&seed, lo, hi, true);
        a->end = random_day(&seed, a->start == DATE_NONE ? lo : a->start, hi, true);
        a->expected_start = random_day(&seed, lo, hi, true);
        a->terminated_on = a->status == STATUS_TERMINATED ? random_day(&seed, lo, hi, true) : DATE_NONE;
        a->region = -1;
        a->party_count = 1 + (int)(next_random(&seed) % RANDOM_PARTIES);
        for (int k = 0; k < a->party_count; k++) {
            rules_party *p = &random_parties[i][k];
            p->code = (int)(next_random(&seed) % CODES);
            p->from = random_day(&seed, lo, hi, true);
            p->until = random_day(&seed, p->from == DATE_NONE ? lo : p->from, hi, true);
            p->expected_from = next_random(&seed) % 5 == 0 ? random_day(&seed, lo, hi, false) : DATE_NONE;
            p->approved_on = random_day(&seed, lo, hi, true);
        }
        a->parties = random_parties[i];
    }
}

static void cover_span_matches_covers_on_every_day(void **state)
{
    (void)state;
    date_t lo = D("2018-05-01"), hi = D("2026-08-01");
    for (unsigned seed = 1; seed <= 20; seed++) {
        make_random_register(seed);
        for (int i = 0; i < RANDOM_AGREEMENTS; i++)
            for (int k = 0; k < random_agreements[i].party_count; k++)
                for (int basis = BASIS_ACTUAL; basis <= BASIS_PROGNOSIS; basis++) {
                    const rules_agreement *a = &random_agreements[i];
                    date_t first = DATE_NONE, last = DATE_NONE;
                    int span_id, id;
                    bool any = rules_party_cover_span(&map, a, &a->parties[k], basis, &first, &last, &span_id);
                    for (date_t d = lo; d <= hi; d += 3) {
                        bool covers = rules_party_covers(&map, a, &a->parties[k], basis, d, &id);
                        bool in_span = any && first <= d && (last == DATE_NONE || d <= last);
                        assert_int_equal(covers, in_span);
                        if (covers)
                            assert_int_equal(id, span_id);
                    }
                }
    }
}

static void series_matches_one_evaluation_per_day(void **state)
{
    (void)state;
    enum { DAYS = 100 };
    date_t days[DAYS];
    for (int j = 0; j < DAYS; j++) /* the last day of each month, as the chart asks */
        days[j] = date_from_ymd(2018 + (j + 6) / 12, (j + 6) % 12 + 1, 1) + 30;
    rules_count series[DAYS][PROVINCE_ROWS];
    for (unsigned seed = 1; seed <= 20; seed++) {
        make_random_register(seed);
        assert_int_equal(rules_coverage_series(&map, random_agreements, RANDOM_AGREEMENTS, days, DAYS, series), 0);
        for (int j = 0; j < DAYS; j++) {
            rules_coverage c;
            assert_int_equal(rules_coverage_eval(&c, &map, random_agreements, RANDOM_AGREEMENTS, NULL, 0, days[j],
                                                 BASIS_ACTUAL, RULES_COUNTS), 0);
            for (int p = 0; p < PROVINCE_ROWS; p++) {
                assert_int_equal(series[j][p].covered, c.municipalities[p].covered);
                assert_int_equal(series[j][p].partial, c.municipalities[p].partial);
                assert_int_equal(series[j][p].total, c.municipalities[p].total);
            }
            rules_coverage_free(&c);
        }
    }
}

/* "A terminated agreement is in force until the day before terminated_on":
 * the span ends there, and a party's until ends it earlier. */
static void cover_span_of_a_terminated_agreement(void **state)
{
    (void)state;
    rules_party parties[2] = {P(AARTSELAAR), P(MELLE)};
    parties[1].until = D("2022-03-31");
    rules_agreement a = signed_agreement("2021-01-01", "2025-12-31", parties, 2);
    a.status = STATUS_TERMINATED;
    a.terminated_on = D("2023-07-01");
    date_t first, last;
    int id;
    assert_true(rules_party_cover_span(&map, &a, &parties[0], BASIS_ACTUAL, &first, &last, &id));
    assert_int_equal(first, D("2021-01-01"));
    assert_int_equal(last, D("2023-06-30"));
    assert_int_equal(id, rules_identity_on(&map, AARTSELAAR, D("2021-01-01")));
    assert_true(rules_party_cover_span(&map, &a, &parties[1], BASIS_ACTUAL, &first, &last, &id));
    assert_int_equal(last, D("2022-03-31"));
    a.terminated_on = D("2021-01-01"); /* ended on its first day: never in force */
    assert_false(rules_party_cover_span(&map, &a, &parties[0], BASIS_ACTUAL, &first, &last, &id));
}

/* A series over days with nothing in force counts every municipality as not covered. */
static void series_of_an_empty_register(void **state)
{
    (void)state;
    date_t days[2] = {D("2018-12-31"), D("2025-01-01")};
    rules_count series[2][PROVINCE_ROWS];
    assert_int_equal(rules_coverage_series(&map, NULL, 0, days, 2, series), 0);
    assert_int_equal(series[0][ROW_FLANDERS].covered, 0);
    assert_int_equal(series[1][ROW_FLANDERS].covered, 0);
    assert_int_equal(series[1][ROW_FLANDERS].total, 4); /* Antwerpen, Merelbeke-Melle, Aartselaar, BKZ */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(universe_follows_the_map),
        cmocka_unit_test(party_covers_from_agreement_start),
        cmocka_unit_test(party_joining_late),
        cmocka_unit_test(party_from_before_start_counts_from_start),
        cmocka_unit_test(party_leaving_early),
        cmocka_unit_test(coverage_neighbours),
        cmocka_unit_test(termination),
        cmocka_unit_test(agreement_without_start),
        cmocka_unit_test(status_decides_in_force),
        cmocka_unit_test(open_end_stays_in_force),
        cmocka_unit_test(pipeline_agreement),
        cmocka_unit_test(pipeline_party_joining_late),
        cmocka_unit_test(draft_never_counts),
        cmocka_unit_test(planned_party),
        cmocka_unit_test(planned_party_of_agreement_not_in_force),
        cmocka_unit_test(party_with_from_is_not_planned),
        cmocka_unit_test(merged_fully_covered),
        cmocka_unit_test(merged_partially_covered),
        cmocka_unit_test(former_parties_in_two_agreements),
        cmocka_unit_test(code_kept_is_another_territory),
        cmocka_unit_test(party_named_after_merger),
        cmocka_unit_test(spanning_new_year_2025),
        cmocka_unit_test(merger_rule_applies_to_prognosis),
        cmocka_unit_test(links_name_the_covering_parties),
        cmocka_unit_test(regions),
        cmocka_unit_test(pipeline_on_the_map),
        cmocka_unit_test(approval_before_start),
        cmocka_unit_test(approval_on_start),
        cmocka_unit_test(approval_after_start),
        cmocka_unit_test(approval_without_date_counts_from_start),
        cmocka_unit_test(approval_with_from_and_until),
        cmocka_unit_test(approval_across_a_merger),
        cmocka_unit_test(approval_before_start_is_irrelevant),
        cmocka_unit_test(planned_party_with_later_approval),
        cmocka_unit_test(pipeline_party_approved_after_expected_start),
        cmocka_unit_test(signed_without_start_is_named_not_counted),
        cmocka_unit_test(lifecycle),
        cmocka_unit_test(percentages),
        cmocka_unit_test(identities_and_codes),
        cmocka_unit_test(overlapping_identities_are_refused),
        cmocka_unit_test(cover_span_matches_covers_on_every_day),
        cmocka_unit_test(series_matches_one_evaluation_per_day),
        cmocka_unit_test(cover_span_of_a_terminated_agreement),
        cmocka_unit_test(series_of_an_empty_register),
    };
    const struct CMUnitTest tests_1983[] = {
        cmocka_unit_test(universe_before_2019),
        cmocka_unit_test(pre_2019_date_counts_against_the_map_of_then),
        cmocka_unit_test(agreement_from_2007_across_both_mergers),
        cmocka_unit_test(merged_2019_partially_covered_through_predecessors),
        cmocka_unit_test(pre_2019_code_exists_from_1983),
        cmocka_unit_test(unstarted_2019_municipality_merged_in_2025),
        cmocka_unit_test(unstarted_pre_2019_municipality),
        cmocka_unit_test(unstarted_beside_covering),
        cmocka_unit_test(muni_states),
    };
    int failed = cmocka_run_group_tests(tests, setup_map, teardown_map);
    return failed + cmocka_run_group_tests(tests_1983, setup_map1983, teardown_map1983);
}
