/* The annex (report_annex.c): its items and their links found again from
 * the evaluations it keeps (annex_link_of), in a small Limburg on
 * 30/06/2025 worked out by hand:
 *
 *   SO-ONE  signed 2021-01-01..2026-12-31: Alken (council decision named)
 *           and Xhoven, which merged with Yzer into Xyzer on 1/1/2025:
 *           Xyzer is partially covered and lists SO-ONE via Xhoven
 *   SO-TWO  signed without start: Bocholt, named but not counted
 *   Arendonk (Antwerpen) has none.
 *
 * And the rows of an annex table (annex_rows_index, annex_row_item): one
 * row per link and one for a municipality without, found back by row
 * number, for the tables of the answer whose rows are made when a writer
 * reaches them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report.h"
#include "view_fixture.h"

static const muni MUNIS[] = {
    {"71001", "Alken", PROVINCE_LIM, "2019-01-01", NULL},
    {"71002", "Bocholt", PROVINCE_LIM, "2019-01-01", NULL},
    {"72001", "Xhoven", PROVINCE_LIM, "2019-01-01", "2024-12-31"},
    {"72002", "Yzer", PROVINCE_LIM, "2019-01-01", "2024-12-31"},
    {"72100", "Xyzer", PROVINCE_LIM, "2025-01-01", NULL},
    {"11001", "Arendonk", PROVINCE_ANT, "2019-01-01", NULL},
};
enum { MUNI_COUNT = sizeof MUNIS / sizeof MUNIS[0] };

static register_view view;
static rules_party parties[3];
static const char *decisions[3] = {"gemeenteraad 01/12/2020", NULL, NULL};

static int setup(void **state)
{
    (void)state;
    fixture_view(&view, MUNIS, MUNI_COUNT);
    parties[0] = (rules_party){71001, DATE_NONE, DATE_NONE, DATE_NONE, D("2020-12-01")};
    parties[1] = (rules_party){72001, DATE_NONE, DATE_NONE, DATE_NONE, D("2020-12-01")};
    parties[2] = (rules_party){71002, DATE_NONE, DATE_NONE, DATE_NONE, DATE_NONE};
    view.agreement_count = 2;
    view.rules_agreements = arena_calloc(view.arena, 2, sizeof *view.rules_agreements);
    view.agreements = arena_calloc(view.arena, 2, sizeof *view.agreements);
    view.rules_agreements[0] = (rules_agreement){STATUS_SIGNED, D("2021-01-01"), D("2026-12-31"), DATE_NONE,
                                                 DATE_NONE, -1, parties, 2};
    view.agreements[0] = (view_agreement){.id = (char *)"SO-ONE", .title = (char *)"Een", .first_party = 0,
                                          .signed_on = DATE_NONE};
    view.rules_agreements[1] = (rules_agreement){STATUS_SIGNED, DATE_NONE, D("2027-12-31"), DATE_NONE, DATE_NONE,
                                                 -1, parties + 2, 1};
    view.agreements[1] = (view_agreement){.id = (char *)"SO-TWO", .title = (char *)"Twee", .first_party = 2,
                                          .signed_on = DATE_NONE};
    view.rules_parties = parties;
    view.party_count = 3;
    view.party_decisions = decisions;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_view_free(&view);
    return 0;
}

static const char *name_of(const annex_report *r, size_t i) { return annex_municipality_of(r, &r->items[i])->name; }

static void items_and_their_links(void **state)
{
    (void)state;
    annex_report r;
    assert_int_equal(annex_report_compute(&view, D("2025-06-30"), -1, MOMENT_NONE, &r), 0);
    /* by province in table order (Antwerpen before Limburg), then name;
     * Xhoven and Yzer are no longer valid */
    assert_int_equal(r.count, 4);
    assert_string_equal(name_of(&r, 0), "Arendonk");
    assert_string_equal(name_of(&r, 1), "Alken");
    assert_string_equal(name_of(&r, 2), "Bocholt");
    assert_string_equal(name_of(&r, 3), "Xyzer");
    assert_int_equal(r.items[0].link_count, 0);
    assert_int_equal(r.items[0].shown, MUNI_NONE);

    const annex_municipality *alken = &r.items[1];
    assert_int_equal(alken->province, PROVINCE_LIM);
    assert_int_equal(alken->state, COVER_FULL);
    assert_int_equal(alken->link_count, 1);
    annex_link_text l = annex_link_of(&r, alken, 0);
    assert_string_equal(l.agreement_id, "SO-ONE");
    assert_string_equal(l.title, "Een");
    assert_int_equal(l.status, STATUS_SIGNED);
    assert_int_equal(l.from, D("2021-01-01"));
    assert_int_equal(l.to, D("2026-12-31"));
    assert_true(l.counted);
    assert_null(l.via_nis);
    assert_string_equal(l.decisions, "gemeenteraad 01/12/2020");

    const annex_municipality *bocholt = &r.items[2];
    assert_int_equal(bocholt->state, COVER_NONE);
    assert_int_equal(bocholt->shown, MUNI_SIGNED_NO_START);
    assert_int_equal(bocholt->link_count, 1);
    l = annex_link_of(&r, bocholt, 0);
    assert_string_equal(l.agreement_id, "SO-TWO");
    assert_false(l.counted);
    assert_int_equal(l.from, DATE_NONE);
    assert_int_equal(l.to, D("2027-12-31"));
    assert_null(l.decisions);

    const annex_municipality *xyzer = &r.items[3];
    assert_int_equal(xyzer->state, COVER_PARTIAL);
    assert_int_equal(xyzer->shown, MUNI_PARTIAL);
    assert_int_equal(xyzer->link_count, 1);
    l = annex_link_of(&r, xyzer, 0);
    assert_string_equal(l.agreement_id, "SO-ONE");
    assert_true(l.counted);
    assert_string_equal(l.via_nis, "72001");
    assert_string_equal(l.via_name, "Xhoven");
    annex_report_free(&r);

    /* one province; before the merger Xhoven has its own link */
    assert_int_equal(annex_report_compute(&view, D("2024-06-30"), PROVINCE_LIM, MOMENT_NONE, &r), 0);
    assert_int_equal(r.count, 4);
    assert_string_equal(name_of(&r, 2), "Xhoven");
    assert_int_equal(r.items[2].link_count, 1);
    assert_null(annex_link_of(&r, &r.items[2], 0).via_nis);
    assert_int_equal(r.items[3].link_count, 0); /* Yzer */
    annex_report_free(&r);
}

/* An annex of items with these link counts (no view: the rows need none). */
static annex_report with_links(annex_municipality *items, const uint32_t *counts, size_t n)
{
    for (size_t j = 0; j < n; j++)
        items[j] = (annex_municipality){(int)j, counts[j], 0, 0, 0, 0};
    return (annex_report){.items = items, .count = n};
}

static void every_row_names_its_item_and_link(void **state)
{
    (void)state;
    static const uint32_t COUNTS[] = {2, 0, 1, 3, 0, 0, 1};
    annex_municipality items[7];
    annex_report r = with_links(items, COUNTS, 7);
    /* the table of items 1..6: rows 0 (none), 1, 2 3 4, 5 (none), 6 (none), 7 */
    uint32_t rows[7];
    annex_rows_index(&r, 1, 6, rows);
    static const uint32_t FIRST[] = {0, 1, 2, 5, 6, 7, 8};
    assert_memory_equal(rows, FIRST, sizeof FIRST);
    static const size_t ITEM[] = {0, 1, 2, 2, 2, 3, 4, 5}, LINK[] = {0, 0, 0, 1, 2, 0, 0, 0};
    for (size_t n = 0; n < 8; n++) {
        size_t link = 99;
        assert_int_equal(annex_row_item(rows, 6, n, &link), ITEM[n]);
        assert_int_equal(link, LINK[n]);
    }
}

static void one_item_and_the_whole_annex(void **state)
{
    (void)state;
    static const uint32_t COUNTS[] = {4};
    annex_municipality items[1];
    annex_report r = with_links(items, COUNTS, 1);
    uint32_t rows[2];
    annex_rows_index(&r, 0, 1, rows);
    assert_int_equal(rows[1], 4);
    for (size_t n = 0; n < 4; n++) {
        size_t link;
        assert_int_equal(annex_row_item(rows, 1, n, &link), 0);
        assert_int_equal(link, n);
    }
    /* a long table: each row found back, in order and not */
    enum { N = 1000 };
    annex_municipality *many = calloc(N, sizeof *many);
    uint32_t counts[N], *index = calloc(N + 1, sizeof *index);
    for (size_t j = 0; j < N; j++)
        counts[j] = (uint32_t)(j % 4);
    r = with_links(many, counts, N);
    annex_rows_index(&r, 0, N, index);
    for (size_t j = 0; j < N; j++)
        for (size_t k = 0; k < (counts[j] ? counts[j] : 1); k++) {
            size_t link;
            assert_int_equal(annex_row_item(index, N, index[j] + k, &link), j);
            assert_int_equal(link, k);
        }
    free(many);
    free(index);
}

/* The view's rank of names (register_view_rank_names, issue 12): by name as
 * strcmp orders the bytes (an accented first letter after z), equal names
 * by identity, that is by NIS code; the annex lists a province in that
 * order, as it did comparing the names and then the codes. */
static void names_ranked(void **state)
{
    (void)state;
    static const muni SAME[] = {
        {"73009", "Heers", PROVINCE_LIM, "2019-01-01", NULL},
        {"71001", "Heers", PROVINCE_LIM, "2019-01-01", NULL},
        {"71002", "\xc3\x8blen", PROVINCE_LIM, "2019-01-01", NULL}, /* Ëlen */
        {"72001", "Aa", PROVINCE_LIM, "2019-01-01", "2024-12-31"},
        {"72002", "Zz", PROVINCE_LIM, "2019-01-01", "2024-12-31"},
        {"72100", "Aa", PROVINCE_LIM, "2025-01-01", NULL},
    };
    register_view v;
    fixture_view(&v, SAME, 6);
    /* identities by code: 71001 Heers, 71002 Ëlen, 72001 Aa, 72002 Zz, 72100 Aa, 73009 Heers */
    static const uint32_t RANK[] = {2, 5, 0, 4, 1, 3};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(v.name_rank[i], RANK[i]);
    annex_report r;
    assert_int_equal(annex_report_compute(&v, D("2024-06-30"), -1, MOMENT_NONE, &r), 0);
    static const char *const ORDER[] = {"72001", "71001", "73009", "72002", "71002"};
    assert_int_equal(r.count, 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(annex_municipality_of(&r, &r.items[i])->nis, ORDER[i]);
    annex_report_free(&r);
    fixture_view_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(items_and_their_links, setup, teardown),
        cmocka_unit_test(every_row_names_its_item_and_link),
        cmocka_unit_test(one_item_and_the_whole_annex),
        cmocka_unit_test(names_ranked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
