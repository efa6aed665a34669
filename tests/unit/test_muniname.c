/* A municipality typed by its name, resolved on a day (muniname.h, issue 11):
 * the forms and the spreadsheet import share these rules. The view is a
 * small hand-made map: Hasselt before and after 2025 (71022, 71072),
 * Deinze before and after 2019 (44011, 44083), Borsbeek until 2024,
 * Antwerpen with two identities of one code, Sint-Niklaas, Geel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "muniname.h"

static date_t D(const char *iso)
{
    date_t d;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

static view_municipality MUNIS[9];
static register_view VIEW;

static int setup(void **state)
{
    (void)state;
    struct {
        const char *nis, *name, *from, *to;
    } rows[] = {{"11002", "Antwerpen", "1983-01-01", "2024-12-31"}, {"11002", "Antwerpen", "2025-01-01", NULL},
                {"11007", "Borsbeek", "1983-01-01", "2024-12-31"},  {"13008", "Geel", "1983-01-01", NULL},
                {"44011", "Deinze", "1983-01-01", "2018-12-31"},    {"44083", "Deinze", "2019-01-01", NULL},
                {"46021", "Sint-Niklaas", "1983-01-01", NULL},      {"71022", "Hasselt", "1983-01-01", "2024-12-31"},
                {"71072", "Hasselt", "2025-01-01", NULL}};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        MUNIS[i] = (view_municipality){(char *)rows[i].nis, (char *)rows[i].name, 0, D(rows[i].from),
                                       rows[i].to ? D(rows[i].to) : DATE_NONE};
    memset(&VIEW, 0, sizeof VIEW);
    VIEW.map.count = sizeof rows / sizeof *rows;
    VIEW.municipalities = MUNIS;
    return 0;
}

static muniname_match resolve(arena *a, const char *text, const char *day)
{
    muniname_match m;
    muniname_resolve(&VIEW, text, day ? D(day) : DATE_NONE, a, &m);
    return m;
}

/* "Hasselt" is 71022 for a first day before 2025 and 71072 from 2025 */
static void a_name_on_its_day(void **state)
{
    (void)state;
    arena *a = arena_new();
    muniname_match m = resolve(a, "Hasselt", "2021-03-01");
    assert_int_equal(m.status, MUNINAME_FOUND);
    assert_string_equal(m.nis, "71022");
    assert_string_equal(resolve(a, "Hasselt", "2025-01-01").nis, "71072");
    assert_string_equal(resolve(a, "deinze", "2018-12-31").nis, "44011");
    assert_string_equal(resolve(a, "DEINZE", "2019-01-01").nis, "44083");
    arena_free(a);
}

/* case, hyphens and spaces do not matter; a code is taken as it is */
static void spelling_and_codes(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_string_equal(resolve(a, "sint niklaas", "2023-06-30").nis, "46021");
    assert_string_equal(resolve(a, "  Sint - Niklaas ", "2023-06-30").nis, "46021");
    assert_string_equal(resolve(a, "99999", "2023-06-30").nis, "99999"); /* the importer judges it */
    assert_string_equal(resolve(a, "Hasselt (71072)", "2021-03-01").nis, "71072");
    assert_string_equal(resolve(a, "Deinze (tot 31/12/2018)", NULL).nis, "44011");
    assert_string_equal(resolve(a, "Deinze (vanaf 01/01/2019)", NULL).nis, "44083");
    arena_free(a);
}

/* without a day: one code is found, two are ambiguous; Antwerpen's two identities are one code */
static void without_a_day(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_string_equal(resolve(a, "Antwerpen", NULL).nis, "11002");
    assert_string_equal(resolve(a, "Borsbeek", NULL).nis, "11007");
    muniname_match m = resolve(a, "Hasselt", NULL);
    assert_int_equal(m.status, MUNINAME_AMBIGUOUS);
    assert_int_equal(m.near_count, 2);
    assert_string_equal(m.near[0], "Hasselt (71022)");
    assert_string_equal(m.near[1], "Hasselt (71072)");
    arena_free(a);
}

/* a name gone by the day says when it was one; an unknown name gets the nearest */
static void not_found(void **state)
{
    (void)state;
    arena *a = arena_new();
    muniname_match m = resolve(a, "Borsbeek", "2025-03-01");
    assert_int_equal(m.status, MUNINAME_NOT_ON_DAY);
    assert_int_equal(m.from, D("1983-01-01"));
    assert_int_equal(m.to, D("2024-12-31"));
    m = resolve(a, "Geell", "2022-03-01");
    assert_int_equal(m.status, MUNINAME_UNKNOWN);
    assert_true(m.near_count >= 1);
    assert_string_equal(m.near[0], "Geel");
    m = resolve(a, "Nergenshuizen", "2025-03-01");
    assert_int_equal(m.status, MUNINAME_UNKNOWN);
    assert_int_equal(m.near_count, MUNINAME_NEAR); /* "bedoelde u …?" always names some */
    for (size_t i = 0; i < m.near_count; i++)
        assert_string_not_equal(m.near[i], "Borsbeek"); /* only names of that day */
    m = resolve(a, "Borsbeke", "2025-03-01");
    assert_int_equal(m.status, MUNINAME_UNKNOWN);
    assert_string_not_equal(m.near[0], "Borsbeek");
    arena_free(a);
}

/* the names a datalist offers for a period, each once */
static void names_of_a_period(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char **names;
    size_t n = muniname_names(&VIEW, D("2025-01-01"), DATE_NONE, a, &names);
    assert_int_equal(n, 5);
    const char *want[] = {"Antwerpen", "Deinze", "Geel", "Hasselt", "Sint-Niklaas"};
    for (size_t i = 0; i < n; i++)
        assert_string_equal(names[i], want[i]);
    assert_int_equal(muniname_names(&VIEW, D("2021-01-01"), D("2025-06-30"), a, &names), 6); /* and Borsbeek */
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_name_on_its_day), cmocka_unit_test(spelling_and_codes), cmocka_unit_test(without_a_day),
        cmocka_unit_test(not_found),         cmocka_unit_test(names_of_a_period),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
