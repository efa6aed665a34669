/* The indicator rules (rules_indicators.h, docs/indicators.md): periods,
 * units across the 2025 mergers, areas and aggregation. The map is the
 * miniature of test_rules.c: Antwerpen keeps its code and absorbs Borsbeek,
 * Melle and Merelbeke become Merelbeke-Melle, Zwijndrecht (Antwerpen) and
 * Beveren (Oost-Vlaanderen) become Beveren-Kruibeke-Zwijndrecht in
 * Oost-Vlaanderen; Aartselaar does not merge. Every expected figure is
 * worked out by hand in the test. */
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
static int unit[16];
static unsigned char area[16];

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
    if (rules_map_finish(&map) || map.count > 16)
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

/* The identity of a code in a period ("2024", "2025-Q1", …). */
static int I(int code, const char *period) { return rules_identity_in_period(&map, code, P(period)); }

static rules_ind_value V(int code, const char *period, double value)
{
    int id = I(code, period);
    assert_true(id >= 0);
    return (rules_ind_value){.identity = id, .period = P(period), .value = value};
}

/* ---- periods ---- */

static void periods_parse_the_three_forms(void **state)
{
    (void)state;
    assert_int_equal(P("2023"), 202300);
    assert_int_equal(P("2023-06"), 202306);
    assert_int_equal(P("2023-12"), 202312);
    assert_int_equal(P("2023-Q1"), 202321);
    assert_int_equal(P("2023-Q4"), 202324);
}

static void periods_refuse_what_is_not_one(void **state)
{
    (void)state;
    static const char *const bad[] = {"", "23", "2023-", "2023-6", "2023-13", "2023-00", "2023-Q0", "2023-Q5",
                                      "2023/06", "2023-q2", "2023 ", " 2023", "1899", "2200", "abcd", "2023-06-30",
                                      "2023-1a", "+023"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int code = -7;
        assert_false(rules_period_parse(bad[i], strlen(bad[i]), &code));
        assert_int_equal(code, -7);
    }
    /* the length is the caller's: a prefix is not a period */
    int code;
    assert_false(rules_period_parse("2023-06", 6, &code));
    assert_true(rules_period_parse("2023-06", 4, &code));
    assert_int_equal(code, 202300);
}

static void periods_order_like_their_text(void **state)
{
    (void)state;
    const char *sorted[] = {"2019", "2019-01", "2019-12", "2019-Q1", "2019-Q4", "2020", "2025-03"};
    for (size_t i = 1; i < sizeof sorted / sizeof *sorted; i++) {
        assert_true(strcmp(sorted[i - 1], sorted[i]) < 0);
        assert_true(P(sorted[i - 1]) < P(sorted[i]));
    }
}

static void periods_round_trip(void **state)
{
    (void)state;
    const char *texts[] = {"2019", "2023-06", "2023-Q2", "2100-12", "1900-Q4"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        char out[PERIOD_TEXT_LEN];
        assert_string_equal(rules_period_format(P(texts[i]), out), texts[i]);
    }
}

static void period_bounds(void **state)
{
    (void)state;
    assert_int_equal(rules_period_first(P("2023-Q2")), D("2023-04-01"));
    assert_int_equal(rules_period_last(P("2023-Q2")), D("2023-06-30"));
    assert_int_equal(rules_period_last(P("2023-Q4")), D("2023-12-31"));
    assert_int_equal(rules_period_first(P("2024")), D("2024-01-01"));
    assert_int_equal(rules_period_last(P("2024")), D("2024-12-31"));
    assert_int_equal(rules_period_last(P("2024-02")), D("2024-02-29"));
    assert_int_equal(rules_period_last(P("2023-02")), D("2023-02-28"));
    assert_int_equal(rules_period_last(P("2023-12")), D("2023-12-31"));
}

static void period_labels_in_dutch(void **state)
{
    (void)state;
    char out[16];
    assert_string_equal(rules_period_label_nl(P("2023"), out), "2023");
    assert_string_equal(rules_period_label_nl(P("2023-Q2"), out), "2e kw. 2023");
    assert_string_equal(rules_period_label_nl(P("2023-06"), out), "06/2023");
}

/* ---- codes in periods: the map of the period decides ---- */

static void former_codes_are_valid_before_2025_only(void **state)
{
    (void)state;
    assert_true(I(BORSBEEK, "2024") >= 0);
    assert_true(I(BORSBEEK, "2024-Q4") >= 0);
    assert_int_equal(I(BORSBEEK, "2025"), -1);
    assert_int_equal(I(BORSBEEK, "2025-01"), -1);
    assert_int_equal(I(MERELBEKE_MELLE, "2024-12"), -1);
    assert_true(I(MERELBEKE_MELLE, "2025-01") >= 0);
    assert_int_equal(I(BKZ, "2019"), -1);
    /* before the map begins */
    assert_int_equal(I(AARTSELAAR, "2018"), -1);
    assert_true(I(AARTSELAAR, "2030") >= 0);
}

static void a_kept_code_names_two_territories(void **state)
{
    (void)state;
    int before = I(ANTWERPEN, "2024"), after = I(ANTWERPEN, "2025");
    assert_true(before >= 0 && after >= 0);
    assert_int_not_equal(before, after);
}

/* ---- units ---- */

static void former_municipalities_end_in_their_successor(void **state)
{
    (void)state;
    assert_int_equal(unit[I(BORSBEEK, "2024")], I(ANTWERPEN, "2025"));
    assert_int_equal(unit[I(ANTWERPEN, "2024")], I(ANTWERPEN, "2025"));
    assert_int_equal(unit[I(MELLE, "2024")], I(MERELBEKE_MELLE, "2025"));
    assert_int_equal(unit[I(MERELBEKE, "2024")], I(MERELBEKE_MELLE, "2025"));
    assert_int_equal(unit[I(ZWIJNDRECHT, "2024")], I(BKZ, "2025"));
    assert_int_equal(unit[I(AARTSELAAR, "2024")], I(AARTSELAAR, "2025"));
    assert_int_equal(unit[I(BKZ, "2025")], I(BKZ, "2025"));
}

/* ---- areas ---- */

static void all_former_municipalities_make_the_successor(void **state)
{
    (void)state;
    int named[] = {I(MELLE, "2024"), I(MERELBEKE, "2024")};
    rules_area_named(&map, named, 2, area);
    assert_int_equal(area[I(MERELBEKE_MELLE, "2025")], AREA_IN);
    assert_int_equal(area[I(ANTWERPEN, "2025")], AREA_OUT);
}

static void some_former_municipalities_make_it_partial(void **state)
{
    (void)state;
    int named[] = {I(MELLE, "2024"), I(BORSBEEK, "2024")};
    rules_area_named(&map, named, 2, area);
    assert_int_equal(area[I(MERELBEKE_MELLE, "2025")], AREA_PARTIAL);
    /* old Antwerpen is not named: Borsbeek alone leaves 2025 Antwerpen partial */
    assert_int_equal(area[I(ANTWERPEN, "2025")], AREA_PARTIAL);
    assert_int_equal(area[I(BKZ, "2025")], AREA_OUT);
}

static void a_named_successor_is_in_whatever_its_parts(void **state)
{
    (void)state;
    int named[] = {I(BKZ, "2025"), -1, 999};
    rules_area_named(&map, named, 3, area);
    assert_int_equal(area[I(BKZ, "2025")], AREA_IN);
    assert_int_equal(area[I(AARTSELAAR, "2025")], AREA_OUT);
}

static void a_province_is_taken_on_the_latest_map(void **state)
{
    (void)state;
    rules_area_province(&map, unit, PROVINCE_OVL, area);
    assert_int_equal(area[I(BKZ, "2025")], AREA_IN);
    assert_int_equal(area[I(MERELBEKE_MELLE, "2025")], AREA_IN);
    assert_int_equal(area[I(AARTSELAAR, "2025")], AREA_OUT);
    /* former municipalities are not units: their unit decides */
    assert_int_equal(area[I(BEVEREN, "2024")], AREA_OUT);
    rules_area_province(&map, unit, ROW_FLANDERS, area);
    assert_int_equal(area[I(AARTSELAAR, "2025")], AREA_IN);
    assert_int_equal(area[I(ANTWERPEN, "2025")], AREA_IN);
    assert_int_equal(area[I(ANTWERPEN, "2024")], AREA_OUT);
}

/* ---- aggregation of counts ---- */

static void counts_add_up_into_the_successor(void **state)
{
    (void)state;
    int named[] = {I(MERELBEKE_MELLE, "2025")};
    rules_area_named(&map, named, 1, area);
    rules_ind_value v[] = {V(MELLE, "2024", 10), V(MERELBEKE, "2024", 20), V(MERELBEKE_MELLE, "2025", 35),
                           V(AARTSELAAR, "2024", 1000)};
    rules_ind_point out[4];
    size_t n = rules_ind_aggregate(&map, unit, area, v, 4, NULL, 0, out);
    assert_int_equal(n, 2);
    assert_int_equal(out[0].period, P("2024"));
    assert_true(out[0].value == 30);
    assert_int_equal(out[0].reported, 2);
    assert_int_equal(out[0].expected, 2);
    assert_int_equal(out[1].period, P("2025"));
    assert_true(out[1].value == 35);
    assert_int_equal(out[1].reported, 1);
    assert_int_equal(out[1].expected, 1);
}

static void a_moved_municipality_counts_in_its_new_province(void **state)
{
    (void)state;
    rules_ind_value v[] = {V(ZWIJNDRECHT, "2024", 7), V(BEVEREN, "2024", 5), V(AARTSELAAR, "2024", 100)};
    rules_ind_point out[3];
    rules_area_province(&map, unit, PROVINCE_OVL, area);
    size_t n = rules_ind_aggregate(&map, unit, area, v, 3, NULL, 0, out);
    assert_int_equal(n, 1);
    assert_true(out[0].value == 12);
    /* Melle and Merelbeke reported nothing: 2 of the 4 identities of 2024 */
    assert_int_equal(out[0].reported, 2);
    assert_int_equal(out[0].expected, 4);
    rules_area_province(&map, unit, PROVINCE_ANT, area);
    n = rules_ind_aggregate(&map, unit, area, v, 3, NULL, 0, out);
    assert_int_equal(n, 1);
    assert_true(out[0].value == 100);
    /* Antwerpen, Borsbeek, Aartselaar: not Zwijndrecht */
    assert_int_equal(out[0].expected, 3);
}

static void flanders_is_the_sum_of_everything(void **state)
{
    (void)state;
    rules_ind_value v[] = {V(ANTWERPEN, "2024-Q4", 1), V(BORSBEEK, "2024-Q4", 2), V(MELLE, "2024-Q4", 4),
                           V(MERELBEKE, "2024-Q4", 8), V(AARTSELAAR, "2024-Q4", 16), V(ZWIJNDRECHT, "2024-Q4", 32),
                           V(BEVEREN, "2024-Q4", 64), V(ANTWERPEN, "2025-Q1", 3), V(AARTSELAAR, "2025-Q1", 5)};
    rules_ind_point out[9];
    rules_area_province(&map, unit, ROW_FLANDERS, area);
    size_t n = rules_ind_aggregate(&map, unit, area, v, 9, NULL, 0, out);
    assert_int_equal(n, 2);
    assert_true(out[0].value == 127);
    assert_int_equal(out[0].reported, 7);
    assert_int_equal(out[0].expected, 7);
    assert_true(out[1].value == 8);
    assert_int_equal(out[1].reported, 2);
    assert_int_equal(out[1].expected, 4); /* the four municipalities of 2025 */
}

static void a_partial_unit_is_left_out_before_and_after(void **state)
{
    (void)state;
    int named[] = {I(MELLE, "2024"), I(AARTSELAAR, "2024")};
    rules_area_named(&map, named, 2, area);
    rules_ind_value v[] = {V(MELLE, "2024", 10), V(AARTSELAAR, "2024", 3), V(MERELBEKE_MELLE, "2025", 35),
                           V(AARTSELAAR, "2025", 4)};
    rules_ind_point out[4];
    size_t n = rules_ind_aggregate(&map, unit, area, v, 4, NULL, 0, out);
    assert_int_equal(n, 2);
    assert_true(out[0].value == 3);
    assert_true(out[1].value == 4);
    assert_int_equal(out[0].expected, 1);
}

static void periods_of_different_length_stay_apart(void **state)
{
    (void)state;
    rules_area_province(&map, unit, ROW_FLANDERS, area);
    rules_ind_value v[] = {V(AARTSELAAR, "2023-06", 1), V(AARTSELAAR, "2023", 10), V(AARTSELAAR, "2023-Q2", 100)};
    rules_ind_point out[3];
    size_t n = rules_ind_aggregate(&map, unit, area, v, 3, NULL, 0, out);
    assert_int_equal(n, 3);
    assert_int_equal(out[0].period, P("2023"));
    assert_true(out[0].value == 10);
    assert_int_equal(out[1].period, P("2023-06"));
    assert_int_equal(out[2].period, P("2023-Q2"));
}

static void no_values_no_points(void **state)
{
    (void)state;
    rules_area_province(&map, unit, ROW_FLANDERS, area);
    rules_ind_point out[1];
    assert_int_equal(rules_ind_aggregate(&map, unit, area, NULL, 0, NULL, 0, out), 0);
    /* values all outside the area */
    rules_area_province(&map, unit, PROVINCE_LIM, area);
    rules_ind_value v[] = {V(AARTSELAAR, "2023", 1)};
    assert_int_equal(rules_ind_aggregate(&map, unit, area, v, 1, NULL, 0, out), 0);
}

static void synthetic_values_mark_the_point(void **state)
{
    (void)state;
    rules_area_province(&map, unit, ROW_FLANDERS, area);
    rules_ind_value v[] = {V(AARTSELAAR, "2023", 1), V(BEVEREN, "2023", 2), V(AARTSELAAR, "2022", 1)};
    v[1].synthetic = true;
    rules_ind_point out[3];
    size_t n = rules_ind_aggregate(&map, unit, area, v, 3, NULL, 0, out);
    assert_int_equal(n, 2);
    assert_false(out[0].synthetic);
    assert_true(out[1].synthetic);
}

/* A value is packed in 16 bytes, its period and synthetic flag sharing one
 * word: the first and last periods rules_period_parse accepts keep their code
 * next to either flag. */
static void a_value_keeps_its_period_and_flag(void **state)
{
    (void)state;
    static const char *const periods[] = {"1900", "1900-01", "2199-12", "2199-Q4"};
    for (size_t i = 0; i < sizeof periods / sizeof *periods; i++)
        for (int flag = 0; flag < 2; flag++) {
            rules_ind_value v = {.identity = 7, .period = P(periods[i]), .value = -0.5, .synthetic = flag};
            assert_int_equal(v.period, P(periods[i]));
            assert_int_equal(v.synthetic, flag);
            assert_int_equal(v.identity, 7);
            assert_true(v.value == -0.5);
        }
}

/* ---- aggregation of rates ---- */

static void rates_are_weighted_by_their_denominators(void **state)
{
    (void)state;
    rules_area_province(&map, unit, ROW_FLANDERS, area);
    /* 60/100 and 1/10: 61/110 = 55.45 %, not the mean of 60 % and 10 % */
    rules_ind_value num[] = {V(AARTSELAAR, "2023", 60), V(BEVEREN, "2023", 1)};
    rules_ind_value den[] = {V(BEVEREN, "2023", 10), V(AARTSELAAR, "2023", 100)};
    rules_ind_point out[2];
    size_t n = rules_ind_aggregate(&map, unit, area, num, 2, den, 2, out);
    assert_int_equal(n, 1);
    assert_float_equal(out[0].value, 100.0 * 61 / 110, 1e-9);
    assert_int_equal(out[0].reported, 2);
}

static void a_rate_needs_both_parts(void **state)
{
    (void)state;
    rules_area_province(&map, unit, ROW_FLANDERS, area);
    rules_ind_value num[] = {V(AARTSELAAR, "2023", 60), V(BEVEREN, "2023", 1), V(MELLE, "2023", 5)};
    rules_ind_value den[] = {V(AARTSELAAR, "2023", 100), V(MERELBEKE, "2023", 50), V(MELLE, "2022", 10)};
    rules_ind_point out[3];
    size_t n = rules_ind_aggregate(&map, unit, area, num, 3, den, 3, out);
    assert_int_equal(n, 1);
    assert_float_equal(out[0].value, 60.0, 1e-9);
    assert_int_equal(out[0].reported, 1);
}

static void rates_add_up_across_the_merger(void **state)
{
    (void)state;
    int named[] = {I(MERELBEKE_MELLE, "2025")};
    rules_area_named(&map, named, 1, area);
    rules_ind_value num[] = {V(MELLE, "2024", 30), V(MERELBEKE, "2024", 90), V(MERELBEKE_MELLE, "2025", 125)};
    rules_ind_value den[] = {V(MELLE, "2024", 50), V(MERELBEKE, "2024", 150), V(MERELBEKE_MELLE, "2025", 200)};
    rules_ind_point out[3];
    size_t n = rules_ind_aggregate(&map, unit, area, num, 3, den, 3, out);
    assert_int_equal(n, 2);
    assert_float_equal(out[0].value, 60.0, 1e-9);  /* 120/200 */
    assert_float_equal(out[1].value, 62.5, 1e-9);  /* 125/200 */
}

static void a_zero_denominator_reports_nothing(void **state)
{
    (void)state;
    rules_area_province(&map, unit, ROW_FLANDERS, area);
    rules_ind_value num[] = {V(AARTSELAAR, "2023", 0)};
    rules_ind_value den[] = {V(AARTSELAAR, "2023", 0)};
    rules_ind_point out[1];
    assert_int_equal(rules_ind_aggregate(&map, unit, area, num, 1, den, 1, out), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(periods_parse_the_three_forms),
        cmocka_unit_test(periods_refuse_what_is_not_one),
        cmocka_unit_test(periods_order_like_their_text),
        cmocka_unit_test(periods_round_trip),
        cmocka_unit_test(period_bounds),
        cmocka_unit_test(period_labels_in_dutch),
        cmocka_unit_test(former_codes_are_valid_before_2025_only),
        cmocka_unit_test(a_kept_code_names_two_territories),
        cmocka_unit_test(former_municipalities_end_in_their_successor),
        cmocka_unit_test(all_former_municipalities_make_the_successor),
        cmocka_unit_test(some_former_municipalities_make_it_partial),
        cmocka_unit_test(a_named_successor_is_in_whatever_its_parts),
        cmocka_unit_test(a_province_is_taken_on_the_latest_map),
        cmocka_unit_test(counts_add_up_into_the_successor),
        cmocka_unit_test(a_moved_municipality_counts_in_its_new_province),
        cmocka_unit_test(flanders_is_the_sum_of_everything),
        cmocka_unit_test(a_partial_unit_is_left_out_before_and_after),
        cmocka_unit_test(periods_of_different_length_stay_apart),
        cmocka_unit_test(no_values_no_points),
        cmocka_unit_test(synthetic_values_mark_the_point),
        cmocka_unit_test(a_value_keeps_its_period_and_flag),
        cmocka_unit_test(rates_are_weighted_by_their_denominators),
        cmocka_unit_test(a_rate_needs_both_parts),
        cmocka_unit_test(rates_add_up_across_the_merger),
        cmocka_unit_test(a_zero_denominator_reports_nothing),
    };
    return cmocka_run_group_tests(tests, setup_map, teardown_map);
}
