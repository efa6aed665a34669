/* The council decisions of a party set its approved_on (SPEC §5, 2026-12:
 * "the latest approving one sets approved_on"), one dated case each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "date.h"
#include "rules.h"

static date_t D(const char *iso)
{
    date_t d;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

/* no decisions: approved_on stays unknown */
static void no_decisions(void **state)
{
    (void)state;
    assert_int_equal(rules_latest_approval(NULL, NULL, 0), DATE_NONE);
}

/* Zandhoven: gemeenteraad 27/09/2021, OCMW-raad 27/09/2021 → 27/09/2021 */
static void two_bodies_same_day(void **state)
{
    (void)state;
    date_t on[] = {D("2021-09-27"), D("2021-09-27")};
    bool yes[] = {true, true};
    assert_int_equal(rules_latest_approval(on, yes, 2), D("2021-09-27"));
}

/* gemeenteraad 20/09/2021, OCMW-raad 18/10/2021 (listed first) → the later one */
static void latest_approving_wins_in_any_order(void **state)
{
    (void)state;
    date_t on[] = {D("2021-10-18"), D("2021-09-20")};
    bool yes[] = {true, true};
    assert_int_equal(rules_latest_approval(on, yes, 2), D("2021-10-18"));
}

/* refused 20/09/2021, approved 25/10/2021 → 25/10/2021; a refusal after an
 * approval (15/11/2021) does not move the day */
static void refusals_do_not_count(void **state)
{
    (void)state;
    date_t on[] = {D("2021-09-20"), D("2021-10-25"), D("2021-11-15")};
    bool yes[] = {false, true, false};
    assert_int_equal(rules_latest_approval(on, yes, 3), D("2021-10-25"));
}

/* only refusals: no approval */
static void only_refusals(void **state)
{
    (void)state;
    date_t on[] = {D("2021-09-20")};
    bool yes[] = {false};
    assert_int_equal(rules_latest_approval(on, yes, 1), DATE_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_decisions),
        cmocka_unit_test(two_bodies_same_day),
        cmocka_unit_test(latest_approving_wins_in_any_order),
        cmocka_unit_test(refusals_do_not_count),
        cmocka_unit_test(only_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
