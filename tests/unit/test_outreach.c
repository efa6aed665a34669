/* Dated cases for the outreach rule (rules_outreach.h, SPEC §5): the stage
 * on D is that of the last entry on or before D; two entries of one day
 * are ordered by their position. Entries are given out of order on purpose. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "date.h"
#include "rules_outreach.h"

static date_t D(const char *iso)
{
    date_t d;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

/* Wachtebeke in seed 004's words: "geen aanzet tot SO" (15/01/2022), then
 * "aparte SO in onderzoek" (10/05/2023); listed newest first. */
static void test_last_entry_on_or_before(void **state)
{
    (void)state;
    rules_outreach_entry log[] = {{D("2023-05-10"), 0, OUTREACH_EXPLORING}, {D("2022-01-15"), 0, OUTREACH_NO_CONTACT}};
    assert_int_equal(rules_outreach_stage(log, 2, D("2022-01-14")), OUTREACH_NONE);  /* before the first entry */
    assert_int_equal(rules_outreach_stage(log, 2, D("2022-01-15")), OUTREACH_NO_CONTACT); /* on its day */
    assert_int_equal(rules_outreach_stage(log, 2, D("2023-05-09")), OUTREACH_NO_CONTACT);
    assert_int_equal(rules_outreach_stage(log, 2, D("2023-05-10")), OUTREACH_EXPLORING);
    assert_int_equal(rules_outreach_stage(log, 2, D("2030-12-31")), OUTREACH_EXPLORING);
    assert_int_equal(rules_outreach_last(log, 2, D("2023-01-01")), 1);
}

/* Two entries on 01/02/2023: declined (position 0), then exploring
 * (position 1) the same day: the later position wins, whatever the order. */
static void test_same_day_by_position(void **state)
{
    (void)state;
    rules_outreach_entry log[] = {{D("2023-02-01"), 1, OUTREACH_EXPLORING},
                                  {D("2023-02-01"), 0, OUTREACH_DECLINED},
                                  {D("2023-03-01"), 0, OUTREACH_JOINED}};
    assert_int_equal(rules_outreach_stage(log, 3, D("2023-02-01")), OUTREACH_EXPLORING);
    assert_int_equal(rules_outreach_last(log, 3, D("2023-02-28")), 0);
    assert_int_equal(rules_outreach_stage(log, 3, D("2023-03-01")), OUTREACH_JOINED);
    assert_int_equal(rules_outreach_stage(log, 2, D("2023-03-01")), OUTREACH_EXPLORING); /* without the last */
}

static void test_empty_and_names(void **state)
{
    (void)state;
    assert_int_equal(rules_outreach_stage(NULL, 0, D("2023-01-01")), OUTREACH_NONE);
    outreach_stage s;
    assert_true(outreach_stage_parse("negotiating", &s));
    assert_int_equal(s, OUTREACH_NEGOTIATING);
    assert_false(outreach_stage_parse("maybe", &s));
    assert_false(outreach_stage_parse(NULL, &s));
    assert_string_equal(outreach_stage_name(OUTREACH_DECLINED), "declined");
    assert_string_equal(outreach_stage_label_nl(OUTREACH_JOINED), "toegetreden");
    assert_string_equal(outreach_stage_name(OUTREACH_NONE), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_last_entry_on_or_before),
        cmocka_unit_test(test_same_day_by_position),
        cmocka_unit_test(test_empty_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
