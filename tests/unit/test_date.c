/* Calendar days and moments: strict parsing, exact arithmetic, nl-BE forms. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "date.h"

static void iso_round_trip(void **state)
{
    (void)state;
    const char *days[] = {"1970-01-01", "2019-01-01", "2024-02-29", "2024-12-31", "2025-01-01", "2000-02-29",
                          "1999-12-31", "9999-12-31", "1000-01-01"};
    for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
        date_t d;
        char buf[DATE_ISO_LEN];
        assert_true(date_parse_iso(days[i], &d));
        assert_string_equal(date_format_iso(d, buf), days[i]);
    }
}

static void strict_parsing(void **state)
{
    (void)state;
    const char *bad[] = {"2023-02-29", "2100-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "2023-4-1",
                         "2023-04-01T00:00", " 2023-04-01", "2023/04/01", "", "20230401", "0999-12-31",
                         "2023-04-01x", "abcd-ef-gh"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        date_t d;
        assert_false(date_parse_iso(bad[i], &d));
    }
    date_t d;
    assert_false(date_parse_iso(NULL, &d));
}

static void arithmetic(void **state)
{
    (void)state;
    date_t a, b;
    assert_true(date_parse_iso("2024-12-31", &a));
    assert_true(date_parse_iso("2025-01-01", &b));
    assert_int_equal(b - a, 1);
    assert_true(date_parse_iso("2024-03-01", &b));
    assert_true(date_parse_iso("2024-02-28", &a));
    assert_int_equal(b - a, 2); /* 2024 is a leap year */
    assert_int_equal(date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(date_from_ymd(1969, 12, 31), -1);
    int y, m, d;
    date_to_ymd(date_from_ymd(2023, 6, 30), &y, &m, &d);
    assert_int_equal(y * 10000 + m * 100 + d, 20230630);
}

static void dutch_form(void **state)
{
    (void)state;
    char buf[DATE_NL_LEN];
    assert_string_equal(date_format_nl(date_from_ymd(2023, 6, 30), buf), "30/06/2023");
    assert_string_equal(date_format_nl(DATE_NONE, buf), "");
    char iso[DATE_ISO_LEN];
    assert_string_equal(date_format_iso(DATE_NONE, iso), "");
    char basic[DATE_BASIC_LEN]; /* iCalendar's DATE */
    assert_string_equal(date_format_basic(date_from_ymd(2023, 6, 5), basic), "20230605");
    assert_string_equal(date_format_basic(date_from_ymd(1983, 12, 31), basic), "19831231");
    assert_string_equal(date_format_basic(DATE_NONE, basic), "");
}

/* What people type (SPEC §6): DD/MM/YYYY, digits only, a real day. */
static void dutch_form_parsed(void **state)
{
    (void)state;
    date_t d;
    assert_true(date_parse_nl("30/06/2023", &d));
    assert_int_equal(d, date_from_ymd(2023, 6, 30));
    assert_true(date_parse_any("29/02/2024", &d));
    assert_int_equal(d, date_from_ymd(2024, 2, 29));
    assert_true(date_parse_any("2024-02-29", &d));
    const char *bad[] = {"29/02/2023", "31/04/2023", "30/6/2023", "+1/06/2023", " 1/06/2023", "30/06/2023 ",
                         "30-06-2023", "00/06/2023", "30/13/2023", "", "30/06/20233"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(date_parse_any(bad[i], &d));
    assert_false(date_parse_nl(NULL, &d));
}

static void moments(void **state)
{
    (void)state;
    moment_t m;
    char buf[MOMENT_ISO_LEN];
    assert_true(moment_parse_iso("2023-07-01T00:00:00Z", &m));
    assert_string_equal(moment_format_utc(m, buf), "2023-07-01T00:00:00.000000Z");
    assert_true(moment_parse_iso("2023-07-01T12:30:15.25+02:00", &m));
    assert_string_equal(moment_format_utc(m, buf), "2023-07-01T10:30:15.250000Z");
    assert_true(moment_parse_iso("2023-07-01T00:30-01:00", &m));
    assert_string_equal(moment_format_utc(m, buf), "2023-07-01T01:30:00.000000Z");
    assert_true(moment_parse_iso("2023-07-01T10:30:15.123456789Z", &m));
    assert_string_equal(moment_format_utc(m, buf), "2023-07-01T10:30:15.123456Z");
    /* local time: with TZ set the conversion is exact */
    setenv("TZ", "Europe/Brussels", 1);
    assert_true(moment_parse_iso("2023-01-15T12:00:00", &m));
    assert_string_equal(moment_format_utc(m, buf), "2023-01-15T11:00:00.000000Z");
    assert_true(moment_parse_iso("2023-07-15", &m));
    assert_string_equal(moment_format_utc(m, buf), "2023-07-14T22:00:00.000000Z");
    assert_int_equal(moment_local_date(m), date_from_ymd(2023, 7, 15));
    const char *bad[] = {"2023-07-01T25:00:00Z", "2023-07-01T10:61Z", "2023-07-01T10:00:00+0200", "2023-07-01Tx",
                         "2023-07-01T10:00:00.Z", "tomorrow", "2023-07-01T10:00:00ZZ"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(moment_parse_iso(bad[i], &m));
}

static void moments_sort_as_text(void **state)
{
    (void)state;
    /* the store compares moments as text: the fixed width keeps that right */
    char a[MOMENT_ISO_LEN], b[MOMENT_ISO_LEN];
    moment_format_utc(999999, a);
    moment_format_utc(1000000, b);
    assert_true(strcmp(a, b) < 0);
    assert_int_equal(strlen(a), 27);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iso_round_trip), cmocka_unit_test(strict_parsing), cmocka_unit_test(arithmetic),
        cmocka_unit_test(dutch_form), cmocka_unit_test(dutch_form_parsed),     cmocka_unit_test(moments),        cmocka_unit_test(moments_sort_as_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
