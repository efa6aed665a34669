/* The rows of an annex table (annex_rows_index, annex_row_item): one row per
 * link and one for a municipality without, found back by row number, for
 * the tables of the answer whose rows are made when a writer reaches them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report.h"

/* An annex of items with these link counts (no view: the rows need none). */
static annex_report with_links(annex_municipality *items, const uint32_t *counts, size_t n)
{
    uint32_t first = 0;
    for (size_t j = 0; j < n; j++) {
        items[j] = (annex_municipality){(int)j, first, counts[j], 0, 0, 0};
        first += counts[j];
    }
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_row_names_its_item_and_link),
        cmocka_unit_test(one_item_and_the_whole_annex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
