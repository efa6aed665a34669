/* Aggregation per area from the area's own values (issue 12,
 * rules_area_identities and rules_ind_aggregate_in, which the indicator
 * pages use on the shared values of indicator_cache.h): the same points as
 * rules_ind_aggregate over every value of the map, for small dated cases
 * worked out by hand: merged municipalities, a party that left before the
 * merger, periods of different lengths, a rate. The map is the miniature of
 * test_indicators.c: Antwerpen absorbs Borsbeek, Melle and Merelbeke become
 * Merelbeke-Melle, Zwijndrecht (Antwerpen) and Beveren (Oost-Vlaanderen)
 * become Beveren-Kruibeke-Zwijndrecht in Oost-Vlaanderen on 1/1/2025;
 * Aartselaar does not merge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "date.h"
#include "rules.h"
#include "rules_indicators.h"

enum { ANTWERPEN, BORSBEEK, MELLE, MERELBEKE, MERELBEKE_MELLE, AARTSELAAR, ZWIJNDRECHT, BKZ, BEVEREN, CODES };
enum { MAX = 16, VALUES = 64 };

static date_t D(const char *iso)
{
    date_t d;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

static int P(const char *text)
{
    int code = -1;
    assert_true(rules_period_parse(text, strlen(text), &code));
    return code;
}

static rules_map map;
static int unit[MAX];

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
    if (rules_map_finish(&map) || map.count > MAX)
        return -1;
    rules_units(&map, unit);
    return 0;
}

static int teardown_map(void **state)
{
    (void)state;
    rules_map_free(&map);
    return 0;
}

static int I(int code, const char *period) { return rules_identity_in_period(&map, code, P(period)); }

/* Every municipality of the map reports value base + its code on every period given. */
static size_t all_values(const char *const *periods, double base, rules_ind_value *out)
{
    size_t n = 0;
    for (const char *const *p = periods; *p; p++)
        for (int code = 0; code < CODES; code++) {
            int id = I(code, *p);
            if (id >= 0)
                out[n++] = (rules_ind_value){.identity = id, .period = P(*p), .value = base + code};
        }
    return n;
}

/* The values of the area's identities only, as indicator_cache.c gathers them. */
static size_t only_area(const rules_ind_value *all, size_t n, const int *ids, size_t nids, rules_ind_value *out)
{
    size_t k = 0;
    for (size_t j = 0; j < nids; j++)
        for (size_t i = 0; i < n; i++)
            if (all[i].identity == ids[j])
                out[k++] = all[i];
    return k;
}

/* Aggregates the area both ways and checks they agree point for point;
 * returns the points in out (room for VALUES). */
static size_t both_ways(const unsigned char *state, const rules_ind_value *num, size_t nnum,
                        const rules_ind_value *den, size_t nden, rules_ind_point *out)
{
    rules_ind_value a[VALUES], b[VALUES], c[VALUES], d[VALUES];
    memcpy(a, num, nnum * sizeof *a);
    if (den)
        memcpy(c, den, nden * sizeof *c);
    rules_ind_point whole[VALUES];
    size_t nw = rules_ind_aggregate(&map, unit, state, a, nnum, den ? c : NULL, nden, whole);
    int ids[MAX];
    size_t nids = rules_area_identities(&map, unit, state, ids);
    size_t nb = only_area(num, nnum, ids, nids, b), nd = den ? only_area(den, nden, ids, nids, d) : 0;
    size_t np = rules_ind_aggregate_in(&map, unit, state, ids, nids, b, nb, den ? d : NULL, nd, out);
    assert_int_equal(np, nw);
    for (size_t k = 0; k < np; k++) {
        assert_int_equal(out[k].period, whole[k].period);
        assert_memory_equal(&out[k].value, &whole[k].value, sizeof out[k].value); /* to the bit */
        assert_int_equal(out[k].reported, whole[k].reported);
        assert_int_equal(out[k].expected, whole[k].expected);
        assert_int_equal(out[k].synthetic, whole[k].synthetic);
    }
    return np;
}

static void identities_of_a_province_on_the_latest_map(void **state)
{
    (void)state;
    unsigned char area[MAX];
    int ids[MAX];
    rules_area_province(&map, unit, PROVINCE_ANT, area);
    /* Antwerpen before and after, Borsbeek, Aartselaar; Zwijndrecht went to Oost-Vlaanderen */
    size_t n = rules_area_identities(&map, unit, area, ids);
    assert_int_equal(n, 4);
    for (size_t k = 1; k < n; k++)
        assert_true(ids[k - 1] < ids[k]);
    for (size_t k = 0; k < n; k++)
        assert_int_not_equal(map.items[ids[k]].code, ZWIJNDRECHT);
}

static void a_province_sums_its_municipalities_across_the_merger(void **state)
{
    (void)state;
    static const char *const periods[] = {"2024", "2025", NULL};
    rules_ind_value all[VALUES];
    size_t n = all_values(periods, 100, all);
    unsigned char area[MAX];
    rules_area_province(&map, unit, PROVINCE_OVL, area);
    rules_ind_point p[VALUES];
    assert_int_equal(both_ways(area, all, n, NULL, 0, p), 2);
    /* 2024: Melle, Merelbeke, Zwijndrecht, Beveren; 2025: Merelbeke-Melle, BKZ */
    assert_true(p[0].value == 100 + MELLE + 100 + MERELBEKE + 100 + ZWIJNDRECHT + 100 + BEVEREN);
    assert_int_equal(p[0].reported, 4);
    assert_int_equal(p[0].expected, 4);
    assert_true(p[1].value == 100 + MERELBEKE_MELLE + 100 + BKZ);
    assert_int_equal(p[1].expected, 2);
}

static void a_party_that_left_before_the_merger_still_names_its_territory(void **state)
{
    (void)state;
    /* an agreement whose parties were Antwerpen and Borsbeek from 2019, Borsbeek
     * leaving in 2022: named as on their first day, both count on every period */
    static const char *const periods[] = {"2021", "2023", "2025", NULL};
    rules_ind_value all[VALUES];
    size_t n = all_values(periods, 10, all);
    int named[] = {I(ANTWERPEN, "2019"), I(BORSBEEK, "2019")};
    unsigned char area[MAX];
    rules_area_named(&map, named, 2, area);
    rules_ind_point p[VALUES];
    assert_int_equal(both_ways(area, all, n, NULL, 0, p), 3);
    assert_true(p[0].value == 10 + ANTWERPEN + 10 + BORSBEEK);
    assert_true(p[1].value == 10 + ANTWERPEN + 10 + BORSBEEK);
    assert_int_equal(p[1].expected, 2);
    assert_true(p[2].value == 10 + ANTWERPEN);
    assert_int_equal(p[2].expected, 1);
}

static void a_partial_successor_gives_no_points(void **state)
{
    (void)state;
    static const char *const periods[] = {"2024", "2025", NULL};
    rules_ind_value all[VALUES];
    size_t n = all_values(periods, 10, all);
    int named[] = {I(MELLE, "2024")};
    unsigned char area[MAX];
    rules_area_named(&map, named, 1, area);
    rules_ind_point p[VALUES];
    assert_int_equal(both_ways(area, all, n, NULL, 0, p), 0);
}

static void months_quarters_and_years_stay_apart_and_ordered(void **state)
{
    (void)state;
    static const char *const periods[] = {"2025-01", "2024", "2024-Q4", "2025-Q1", "2024-12", NULL};
    rules_ind_value all[VALUES];
    size_t n = all_values(periods, 1, all);
    int named[] = {I(AARTSELAAR, "2024"), I(MERELBEKE_MELLE, "2025")};
    unsigned char area[MAX];
    rules_area_named(&map, named, 2, area);
    rules_ind_point p[VALUES];
    assert_int_equal(both_ways(area, all, n, NULL, 0, p), 5);
    assert_int_equal(p[0].period, P("2024"));
    assert_int_equal(p[1].period, P("2024-12"));
    assert_int_equal(p[2].period, P("2024-Q4"));
    assert_int_equal(p[3].period, P("2025-01"));
    assert_int_equal(p[4].period, P("2025-Q1"));
    /* December 2024: Aartselaar, Melle and Merelbeke (the successor's parts) */
    assert_true(p[1].value == 1 + AARTSELAAR + 1 + MELLE + 1 + MERELBEKE);
    assert_int_equal(p[1].expected, 3);
    assert_true(p[4].value == (1 + AARTSELAAR) + (1 + MERELBEKE_MELLE));
    assert_int_equal(p[4].expected, 2);
}

static void a_rate_is_weighted_within_the_area(void **state)
{
    (void)state;
    static const char *const periods[] = {"2024", "2025", NULL};
    rules_ind_value num[VALUES], den[VALUES];
    size_t nn = all_values(periods, 10, num), nd = all_values(periods, 40, den);
    num[0].synthetic = true;
    unsigned char area[MAX];
    rules_area_province(&map, unit, PROVINCE_ANT, area);
    rules_ind_point p[VALUES];
    assert_int_equal(both_ways(area, num, nn, den, nd, p), 2);
    /* 2024: Antwerpen, Borsbeek, Aartselaar */
    assert_true(p[0].value ==
                100.0 * ((10 + ANTWERPEN) + (10 + BORSBEEK) + (10 + AARTSELAAR)) /
                    ((40 + ANTWERPEN) + (40 + BORSBEEK) + (40 + AARTSELAAR)));
    assert_int_equal(p[0].reported, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(identities_of_a_province_on_the_latest_map),
        cmocka_unit_test(a_province_sums_its_municipalities_across_the_merger),
        cmocka_unit_test(a_party_that_left_before_the_merger_still_names_its_territory),
        cmocka_unit_test(a_partial_successor_gives_no_points),
        cmocka_unit_test(months_quarters_and_years_stay_apart_and_ordered),
        cmocka_unit_test(a_rate_is_weighted_within_the_area),
    };
    return cmocka_run_group_tests(tests, setup_map, teardown_map);
}
