/* The map: the vintage a date picks, states to classes, escaping of names,
 * captions and queries, the legend. The chart: gaps split a line, a label per
 * year, the description. Expected figures are worked out by hand from the
 * layout constants of map.c and the municipality lists of data/SOURCES.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "map.h"

static size_t occurrences(const char *s, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = strstr(s, needle); p; p = strstr(p + len, needle))
        n++;
    return n;
}

static char *map(int y, int m, int d, const map_item *items, size_t n, const char *query, const char *caption)
{
    buf b = {0};
    map_svg(&b, date_from_ymd(y, m, d), items, n, query, caption);
    return buf_take(&b, NULL);
}

static void vintages(void **state)
{
    (void)state;
    char *s2024 = map(2024, 12, 31, NULL, 0, NULL, "Dekking");
    char *s2025 = map(2025, 1, 1, NULL, 0, NULL, "Dekking");
    assert_int_equal(occurrences(s2024, "class=\"muni\""), 300);
    assert_int_equal(occurrences(s2025, "class=\"muni\""), 285);
    /* Zwijndrecht went to Oost-Vlaanderen under a new code */
    assert_non_null(strstr(s2024, "data-nis=\"11056\""));
    assert_null(strstr(s2025, "data-nis=\"11056\""));
    assert_null(strstr(s2024, "data-nis=\"46030\""));
    assert_non_null(strstr(s2025, "data-nis=\"46030\""));
    const char *svg[] = {s2024, s2025}, *all_none[] = {"geen overeenkomst: 300 (300", "geen overeenkomst: 285 (285"};
    for (size_t i = 0; i < 2; i++) {
        const char *const *s = &svg[i];
        assert_int_equal(occurrences(*s, "<svg "), 1);
        assert_non_null(strstr(*s, "role=\"img\" aria-labelledby=\"map-title map-desc\" class=\"map\""));
        assert_non_null(strstr(*s, "<title id=\"map-title\">Dekking</title>"));
        /* Brussels is one grey shape without a link, its municipalities are not drawn */
        assert_int_equal(occurrences(*s, "class=\"brussels\""), 1);
        assert_null(strstr(*s, "data-nis=\"21"));
        /* the five provinces, on top of the municipalities */
        assert_int_equal(occurrences(*s, "class=\"province\""), 5);
        assert_true(strstr(*s, "class=\"province\"") > strstr(*s, "data-nis=\"73109\""));
        /* no inline style, no script */
        assert_null(strstr(*s, "style"));
        assert_null(strstr(*s, "<script"));
        /* every municipality drawn as none when there are no items */
        assert_non_null(strstr(*s, all_none[i]));
    }
    /* light enough to inline in a page */
    assert_true(strlen(s2024) < 250000);
    assert_true(strlen(s2025) < 250000);
    free(s2024);
    free(s2025);
}

static void states(void **state)
{
    (void)state;
    const map_item items[] = {
        {"11002", "Antwerpen", MUNI_COVERED, NULL},    {"44021", "Gent", MUNI_PARTIAL, NULL},
        {"24062", "Leuven", MUNI_PIPELINE, NULL},      {"11001", "Aartselaar", MUNI_NONE, NULL},
        {"11022", "Kalmthout", MUNI_SIGNED_NO_START, NULL},
        {"21004", "Brussel", MUNI_COVERED, NULL},      /* Brussels: not on the map, ignored */
        {"99999", "Nergens", MUNI_COVERED, NULL},      /* unknown: ignored */
        {"11056", "Zwijndrecht", MUNI_COVERED, NULL},  /* not in 2025: ignored then */
        {"46030", "Zwijndrecht", MUNI_COVERED, NULL},  /* not in 2024: ignored then */
    };
    size_t n = sizeof items / sizeof *items;
    char *s = map(2023, 6, 30, items, n, NULL, NULL);
    assert_non_null(strstr(s, "data-nis=\"11002\"><title>Antwerpen — gedekt</title><path class=\"s-covered\" d=\"m"));
    assert_non_null(
        strstr(s, "data-nis=\"44021\"><title>Gent — gedeeltelijk gedekt</title><path class=\"s-partial\" d=\"m"));
    assert_non_null(
        strstr(s, "data-nis=\"24062\"><title>Leuven — in voorbereiding</title><path class=\"s-pipeline\" d=\"m"));
    assert_non_null(
        strstr(s, "data-nis=\"11001\"><title>Aartselaar — geen overeenkomst</title><path class=\"s-none\" d=\"m"));
    assert_non_null(strstr(s, "data-nis=\"11022\"><title>Kalmthout — ondertekend, begindatum onbekend</title>"
                              "<path class=\"s-signed_no_start\" d=\"m"));
    /* a municipality without an item is none, under its own name */
    assert_non_null(
        strstr(s, "data-nis=\"33016\"><title>Mesen — geen overeenkomst</title><path class=\"s-none\" d=\"m"));
    /* covered: Antwerpen and Zwijndrecht 11056, plus the legend swatch */
    assert_int_equal(occurrences(s, "class=\"s-covered\""), 3);
    assert_int_equal(occurrences(s, "class=\"s-partial\""), 2);
    assert_int_equal(occurrences(s, "class=\"s-pipeline\""), 2);
    assert_int_equal(occurrences(s, "class=\"s-signed_no_start\""), 2);
    assert_int_equal(occurrences(s, "class=\"s-none\""), 300 - 5 + 1);
    assert_non_null(strstr(s, "<desc id=\"map-desc\">Gedekt: 2, gedeeltelijk gedekt: 1, ondertekend, begindatum "
                              "onbekend: 1, in voorbereiding: 1, geen overeenkomst: 295 (300 gemeenten).</desc>"));
    free(s);

    s = map(2025, 1, 1, items, n, NULL, NULL);
    assert_int_equal(occurrences(s, "class=\"s-covered\""), 3); /* Antwerpen, Zwijndrecht 46030, legend */
    assert_non_null(strstr(s, "data-nis=\"46030\"><title>Zwijndrecht — gedekt</title>"));
    assert_non_null(strstr(s, "geen overeenkomst: 280 (285 gemeenten)"));
    free(s);
}

static void escaping_and_links(void **state)
{
    (void)state;
    const map_item items[] = {{"11001", "<script>alert('x')</script> & co", MUNI_COVERED, NULL}};
    char *s = map(2023, 6, 30, items, 1, "date=2023-06-30&q=\"><script>", "Kaart <b>\"dekking\"</b>");
    assert_null(strstr(s, "<script"));
    assert_null(strstr(s, "<b>"));
    assert_non_null(strstr(s, "<title>&lt;script&gt;alert('x')&lt;/script&gt; &amp; co — gedekt</title>"));
    assert_non_null(strstr(s, "<title id=\"map-title\">Kaart &lt;b&gt;\"dekking\"&lt;/b&gt;</title>"));
    /* the query is appended to every link, escaped as an attribute value */
    assert_non_null(strstr(s, "<g data-href=\"/municipalities/11001?date=2023-06-30&amp;q=&quot;&gt;&lt;script&gt;\" "
                              "class=\"muni\" data-nis=\"11001\">"));
    assert_int_equal(occurrences(s, "?date=2023-06-30&amp;q="), 300);
    free(s);

    /* no query: no "?" */
    s = map(2023, 6, 30, NULL, 0, "", NULL);
    assert_non_null(strstr(s, "<g data-href=\"/municipalities/11001\" class=\"muni\""));
    assert_null(strstr(s, "?"));
    free(s);
    s = map(2023, 6, 30, NULL, 0, NULL, NULL);
    assert_non_null(strstr(s, "<g data-href=\"/municipalities/44021\" class=\"muni\""));
    free(s);
}

static void legend(void **state)
{
    (void)state;
    char *s = map(2025, 6, 30, NULL, 0, NULL, NULL);
    const char *g = strstr(s, "<g class=\"legend\"");
    assert_non_null(g);
    assert_non_null(strstr(g, "<rect class=\"s-covered\""));
    assert_non_null(strstr(g, "<rect class=\"s-partial\""));
    assert_non_null(strstr(g, "<rect class=\"s-signed_no_start\""));
    assert_non_null(strstr(g, "<rect class=\"s-pipeline\""));
    assert_non_null(strstr(g, "<rect class=\"s-none\""));
    const char *covered = strstr(g, ">gedekt</text>"), *partial = strstr(g, ">gedeeltelijk gedekt</text>");
    const char *named = strstr(g, ">ondertekend, begindatum onbekend</text>");
    const char *pipeline = strstr(g, ">in voorbereiding</text>"), *none = strstr(g, ">geen overeenkomst</text>");
    assert_true(covered && partial && named && pipeline && none);
    assert_true(covered < partial && partial < named && named < pipeline && pipeline < none);
    free(s);
}

/* Before 2019 the map draws the 2019 shapes; a 2019 merger municipality
 * takes its state from its former municipalities by SPEC §3's merger rule,
 * and the legend and description say so (issue 9). */
static void before_2019(void **state)
{
    (void)state;
    const map_item items[] = {
        /* Lievegem 44085: all three former ones covered → covered */
        {"44036", "Lovendegem", MUNI_COVERED, "44085"},
        {"44072", "Waarschoot", MUNI_COVERED, "44085"},
        {"44080", "Zomergem", MUNI_COVERED, "44085"},
        /* Oudsbergen 72042: one of two covered → partially covered */
        {"71047", "Opglabbeek", MUNI_COVERED, "72042"},
        {"72040", "Meeuwen-Gruitrode", MUNI_NONE, "72042"},
        /* Pelt 72043: one partial, one none → partially covered */
        {"72025", "Neerpelt", MUNI_PARTIAL, "72043"},
        {"72029", "Overpelt", MUNI_NONE, "72043"},
        /* Kruisem 45068: one in the pipeline → in the pipeline */
        {"45017", "Kruishoutem", MUNI_PIPELINE, "45068"},
        {"45057", "Zingem", MUNI_NONE, "45068"},
        /* Aalter 44084: one named by a signed agreement without start, one in
         * the pipeline → named */
        {"44001", "Aalter", MUNI_SIGNED_NO_START, "44084"},
        {"44029", "Knesselare", MUNI_PIPELINE, "44084"},
        /* Deinze 44083: neither → none */
        {"44011", "Deinze", MUNI_NONE, "44083"},
        {"44049", "Nevele", MUNI_NONE, "44083"},
        /* a municipality drawn as itself keeps its own state */
        {"44021", "Gent", MUNI_COVERED, NULL},
    };
    size_t n = sizeof items / sizeof *items;
    char *s = map(2017, 6, 30, items, n, NULL, NULL);
    assert_int_equal(occurrences(s, "class=\"muni\""), 300);
    assert_null(strstr(s, "data-nis=\"44036\""));
    assert_non_null(strstr(s, "data-nis=\"44085\"><title>Lievegem — gedekt</title><path class=\"s-covered\""));
    assert_non_null(
        strstr(s, "data-nis=\"72042\"><title>Oudsbergen — gedeeltelijk gedekt</title><path class=\"s-partial\""));
    assert_non_null(strstr(s, "data-nis=\"72043\"><title>Pelt — gedeeltelijk gedekt</title><path class=\"s-partial\""));
    assert_non_null(strstr(s, "data-nis=\"45068\"><title>Kruisem — in voorbereiding</title><path class=\"s-pipeline\""));
    assert_non_null(strstr(s, "data-nis=\"44083\"><title>Deinze — geen overeenkomst</title><path class=\"s-none\""));
    assert_non_null(strstr(s, "data-nis=\"44084\"><title>Aalter — ondertekend, begindatum onbekend</title>"
                              "<path class=\"s-signed_no_start\""));
    assert_non_null(strstr(s, "data-nis=\"44021\"><title>Gent — gedekt</title><path class=\"s-covered\""));
    /* covered Lievegem and Gent; partial Oudsbergen and Pelt; named Aalter;
     * pipeline Kruisem; 300 - 6 none */
    assert_non_null(strstr(s, "<desc id=\"map-desc\">Gedekt: 2, gedeeltelijk gedekt: 2, ondertekend, begindatum "
                              "onbekend: 1, in voorbereiding: 1, geen overeenkomst: 294 (300 gemeenten; vóór 2019: "
                              "kaart van 2019, gefusioneerde gemeenten volgens hun deelgemeenten).</desc>"));
    const char *g = strstr(s, "<g class=\"legend\"");
    assert_non_null(g);
    assert_non_null(strstr(g, ">Vóór 2019: kaart van 2019;</text>"));
    assert_non_null(strstr(g, ">gefusioneerde gemeenten volgens</text>"));
    assert_non_null(strstr(g, ">hun deelgemeenten</text>"));
    free(s);
    /* the last day before 2019 says it, the first day of 2019 does not (the
     * caller passes only what exists on the day: Gent, not the former ones) */
    s = map(2018, 12, 31, items, n, NULL, NULL);
    assert_non_null(strstr(s, "Vóór 2019"));
    free(s);
    s = map(2019, 1, 1, items + n - 1, 1, NULL, NULL);
    assert_null(strstr(s, "Vóór 2019"));
    assert_null(strstr(s, "vóór 2019"));
    assert_non_null(strstr(s, "data-nis=\"44085\"><title>Lievegem — geen overeenkomst</title>"));
    free(s);
}

/* The caller's legend: its classes, labels and order, seven entries in two
 * columns, its merge rule before 2019 and its entry for the absent. */
static size_t first_named(const size_t *parts, size_t total)
{
    (void)total;
    return parts[1] ? 1 : parts[2] ? 2 : 0;
}

static void caller_legend(void **state)
{
    (void)state;
    const map_legend_entry e[] = {{"x-zero", "nul"}, {"x-one", "één <1>"}, {"x-two", "twee"}, {"x-3", "drie"},
                                  {"x-4", "vier"},   {"x-5", "vijf"},      {"x-6", "zes"}};
    const map_legend l = {e, 7, 6, first_named};
    /* Neerpelt and Overpelt merged into Pelt (72043) in 2019 */
    const map_item items[] = {{"11001", "Aartselaar", MUNI_COVERED, NULL},
                              {"72025", "Neerpelt", MUNI_NONE, "72043"},
                              {"72029", "Overpelt", MUNI_NONE, "72043"}};
    const size_t entries[] = {1, 2, 0};
    buf b = {0};
    map_svg_legend(&b, date_from_ymd(2017, 6, 30), items, entries, 3, &l, NULL, "Proef");
    char *s = buf_take(&b, NULL);
    assert_non_null(strstr(s, "data-nis=\"11001\"><title>Aartselaar — één &lt;1&gt;</title><path class=\"x-one\""));
    assert_non_null(strstr(s, "data-nis=\"72043\"><title>Pelt — twee</title><path class=\"x-two\""));
    assert_non_null(strstr(s, "data-nis=\"11002\"><title>Antwerpen — zes</title><path class=\"x-6\""));
    assert_non_null(strstr(s, "<desc id=\"map-desc\">Nul: 0, één &lt;1&gt;: 1, twee: 1, drie: 0, vier: 0, vijf: 0, "
                              "zes: 298 (300 gemeenten; vóór 2019"));
    /* five rows in the first column, the rest in the second, the note below */
    assert_non_null(strstr(s, "<rect class=\"x-4\" x=\"2\" y=\"70\" width=\"14\" height=\"14\" "
                              "fill=\"url(#map-pattern-x-4)\"/>"
                              "<text x=\"22\" y=\"82\">vier</text>"));
    assert_non_null(strstr(s, "<rect class=\"x-6\" x=\"280\" y=\"19\" width=\"14\" height=\"14\" "
                              "fill=\"url(#map-pattern-x-6)\"/>"
                              "<text x=\"300\" y=\"31\">zes</text>"));
    assert_non_null(strstr(s, "<text class=\"older\" x=\"280\" y=\"48\">Vóór 2019"));
    free(s);
}

static void municipality_count(void **state)
{
    (void)state;
    assert_int_equal(map_municipality_count(date_from_ymd(1983, 1, 1)), 300); /* the 2019 shapes */
    assert_int_equal(map_municipality_count(date_from_ymd(2019, 1, 1)), 300);
    assert_int_equal(map_municipality_count(date_from_ymd(2023, 6, 30)), 300);
    assert_int_equal(map_municipality_count(date_from_ymd(2024, 12, 31)), 300);
    assert_int_equal(map_municipality_count(date_from_ymd(2025, 1, 1)), 285);
    assert_int_equal(map_municipality_count(date_from_ymd(2031, 12, 31)), 285);
}

static char *chart(const char *title, int y, int m, size_t months, const chart_series *series, size_t n)
{
    buf b = {0};
    chart_svg(&b, title, date_from_ymd(y, m, 1), months, series, n);
    return buf_take(&b, NULL);
}

static void chart_gaps_and_years(void **state)
{
    (void)state;
    /* November 2022 .. February 2024: Januaries at months 2 (2023) and 14 (2024) */
    const double a[16] = {50, 52, 54, 56, 58, -1, -1, 60, 62, 64, 66, 68, 70, 72, 74, 75.5};
    const double b[16] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    const double c[16] = {10, -1, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, -1};
    const chart_series series[] = {{"West-Vlaanderen", a}, {"<leeg>", b}, {"Limburg", c}};
    char *s = chart("Dekking <per> maand", 2022, 11, 16, series, 3);
    assert_int_equal(occurrences(s, "<svg "), 1);
    assert_non_null(strstr(s, "role=\"img\""));
    assert_non_null(strstr(s, "<title>Dekking &lt;per&gt; maand</title>"));
    assert_null(strstr(s, "<leeg>"));
    assert_null(strstr(s, "style"));
    /* a gap splits the line: two for series 0, none for series 1, two for series 2 (a lone month is a dot) */
    assert_int_equal(occurrences(s, "<polyline class=\"series series-0\""), 2);
    assert_int_equal(occurrences(s, "<polyline class=\"series series-1\""), 0);
    assert_int_equal(occurrences(s, "<polyline class=\"series series-2\""), 2);
    /* x runs from 44 to 784 over 15 steps (49.3 per month), y from 230 (0 %) to 10 (100 %) */
    assert_non_null(strstr(s, "points=\"44,120 93.3,115.6 142.7,111.2 192,106.8 241.3,102.4\""));
    assert_non_null(strstr(s, "points=\"44,208 44,208\"")); /* the lone 10 % */
    assert_non_null(strstr(s, " 784,63.9\"")); /* 75.5 % in the last month */
    /* the year labels at the Januaries, gridlines every 25 % */
    assert_non_null(strstr(s, "<text x=\"142.7\" y=\"248\" text-anchor=\"middle\">2023</text>"));
    assert_non_null(strstr(s, "<text x=\"734.7\" y=\"248\" text-anchor=\"middle\">2024</text>"));
    assert_null(strstr(s, ">2022</text>"));
    assert_int_equal(occurrences(s, "text-anchor=\"end\""), 5);
    assert_non_null(strstr(s, ">100 %</text>"));
    assert_non_null(strstr(s, ">25 %</text>"));
    /* the legend: a swatch and a label per series */
    assert_non_null(strstr(s, "<line class=\"series series-1\""));
    assert_non_null(strstr(s, ">&lt;leeg&gt;</text>"));
    assert_non_null(strstr(s, ">West-Vlaanderen</text>"));
    /* the description names the period and the last value of each series */
    assert_non_null(strstr(s, "<desc>Percentage per maand van november 2022 tot februari 2024. Laatste waarde: "
                              "West-Vlaanderen 75,5 %; &lt;leeg&gt; geen gegevens; Limburg 100 % (januari "
                              "2024).</desc>"));
    free(s);

    /* a period without January labels its first year */
    const double d[3] = {1, 2, 3};
    const chart_series one[] = {{"Vlaanderen", d}};
    s = chart("Kort", 2024, 3, 3, one, 1);
    assert_non_null(strstr(s, "text-anchor=\"middle\">2024</text>"));
    assert_int_equal(occurrences(s, "<polyline "), 1);
    free(s);

    s = chart("Leeg", 2024, 1, 0, NULL, 0);
    assert_non_null(strstr(s, "<desc>Geen gegevens.</desc>"));
    assert_null(strstr(s, "<polyline"));
    free(s);
}

/* The figure: a way past the map, the list of every municipality by
 * province with its state in words, names and query escaped, a pattern per
 * state used by the map and both legends. */
static void figure(void **state)
{
    (void)state;
    const map_item items[] = {{"11001", "<b>Aartselaar</b> & co", MUNI_COVERED, NULL},
                              {"44021", "Gent", MUNI_PARTIAL, NULL}};
    buf b = {0};
    map_figure(&b, date_from_ymd(2023, 6, 30), items, 2, "date=2023-06-30&q=\"><script>", "Dekking");
    char *s = buf_take(&b, NULL);
    assert_null(strstr(s, "<script"));
    assert_null(strstr(s, "<b>"));
    const char *skip = strstr(s, "<a class=\"skip-map\" href=\"#map-list\">Ga voorbij de kaart</a>");
    const char *svg = strstr(s, "<svg "), *list = strstr(s, "<section id=\"map-list\"");
    assert_true(skip && svg && list && skip < svg && svg < list);
    /* one item per municipality of the map, five provinces in table order */
    assert_int_equal(occurrences(list, "<li><a href=\"/municipalities/"), 300);
    const char *wvl = strstr(list, "<summary>West-Vlaanderen (64 gemeenten)</summary>");
    const char *ant = strstr(list, "<summary>Antwerpen (69 gemeenten)</summary>");
    const char *lim = strstr(list, "<summary>Limburg (42 gemeenten)</summary>");
    assert_true(wvl && ant && lim && wvl < ant && ant < lim);
    assert_non_null(strstr(list, "<li><a href=\"/municipalities/11001?date=2023-06-30&amp;q=&quot;&gt;&lt;script&gt;\">"
                                 "&lt;b&gt;Aartselaar&lt;/b&gt; &amp; co</a>: gedekt</li>"));
    assert_non_null(strstr(list, ">Gent</a>: gedeeltelijk gedekt</li>"));
    assert_non_null(strstr(list, ">Mesen</a>: geen overeenkomst</li>"));
    /* a pattern per state, distinct; both legends use them */
    const char *cls[] = {"s-covered", "s-partial", "s-signed_no_start", "s-pipeline", "s-none"};
    for (size_t i = 0; i < 5; i++) {
        char id[64], swatch[128];
        snprintf(id, sizeof id, "<pattern id=\"map-pattern-%s\"", cls[i]);
        assert_int_equal(occurrences(s, id), 1);
        snprintf(swatch, sizeof swatch, "<rect class=\"%s\" width=\"18\" height=\"18\" fill=\"url(#map-pattern-%s)\"/>",
                 cls[i], cls[i]);
        assert_int_equal(occurrences(s, swatch), 1);
    }
    assert_non_null(strstr(s, "gedekt: 1</li>"));
    assert_non_null(strstr(s, "geen overeenkomst: 298</li>"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(vintages),           cmocka_unit_test(states),
                                       cmocka_unit_test(escaping_and_links), cmocka_unit_test(legend),
                                       cmocka_unit_test(municipality_count), cmocka_unit_test(chart_gaps_and_years),
                                       cmocka_unit_test(before_2019),        cmocka_unit_test(caller_legend),
                                       cmocka_unit_test(figure)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
