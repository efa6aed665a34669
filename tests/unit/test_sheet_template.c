/* The import template (sheet_template.c) read back with somon's own reader
 * (sheet.c): the header the import expects, the example row marked as such with
 * its dates as dates, and sheet "Gemeenten" with the reference municipalities,
 * old and merged names each with their NIS code and validity. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unistd.h>

#include "refdata.h"
#include "sheet.h"
#include "sheet_template.h"
#include "store.h"

#ifndef SOMON_DATADIR
#error "SOMON_DATADIR must name the reference data folder"
#endif

/* The row of sheet s whose cells 0 and 1 are name and nis, or -1. */
static long find_row(const sheet *s, const char *name, const char *nis)
{
    for (size_t r = 0; r < s->rows; r++) {
        const char *a = sheet_cell(s, r, 0), *b = sheet_cell(s, r, 1);
        if (a && b && strcmp(a, name) == 0 && strcmp(b, nis) == 0)
            return (long)r;
    }
    return -1;
}

static void template_reads_back(void **state)
{
    (void)state;
    store *db = NULL;
    char *err = NULL;
    assert_int_equal(store_open(":memory:", STORE_CREATE, &db, &err), 0);
    assert_int_equal(store_migrate(db, 0), 0);
    FILE *devnull = fopen("/dev/null", "w");
    int changed = 0;
    assert_int_equal(refdata_install(db, SOMON_DATADIR, "test", devnull, &changed), 0);
    fclose(devnull);
    register_view v;
    assert_int_equal(store_load_view(db, STORE_NOW, &v), 0);

    char path[] = "/tmp/somon-test-template-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    buf why = {0};
    if (sheet_template_write(&v, path, &why))
        fail_msg("%s", why.data);
    buf_free(&why);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    size_t len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc(len);
    assert_int_equal(fread(data, 1, len, f), len);
    fclose(f);
    unlink(path);

    arena *a = arena_new();
    sheet_book book;
    const char *error = NULL;
    if (sheet_read(a, "sjabloon.xlsx", data, len, &book, &error))
        fail_msg("%s", error);
    assert_int_equal(book.count, 2);
    const sheet *annex = &book.sheets[0];
    assert_string_equal(annex->name, "Bijlage");
    assert_int_equal(annex->rows, 2);
    assert_int_equal(annex->cols, SHEET_TEMPLATE_COLUMN_COUNT);
    for (size_t c = 0; c < SHEET_TEMPLATE_COLUMN_COUNT; c++)
        assert_string_equal(sheet_cell(annex, 0, c), SHEET_TEMPLATE_COLUMNS[c]);
    assert_true(strncmp(sheet_cell(annex, 1, 0), SHEET_TEMPLATE_EXAMPLE_PREFIX,
                        strlen(SHEET_TEMPLATE_EXAMPLE_PREFIX)) == 0);
    assert_true(strncmp(sheet_cell(annex, 1, 1), "Voorbeeld: ", 11) == 0);
    assert_string_equal(sheet_cell(annex, 1, 3), "ondertekend");
    assert_string_equal(sheet_cell(annex, 1, 4), "2025-01-01");
    assert_string_equal(sheet_cell(annex, 1, 6), "Kalmthout");
    assert_null(sheet_cell(annex, 1, 9));

    const sheet *names = &book.sheets[1];
    assert_string_equal(names->name, "Gemeenten");
    assert_int_equal(names->rows, v.map.count + 1);
    assert_string_equal(sheet_cell(names, 0, 0), "gemeente");
    long k = find_row(names, "Kalmthout", "11022");
    assert_true(k > 0);
    assert_string_equal(sheet_cell(names, (size_t)k, 2), "Antwerpen");
    long old = find_row(names, "Hasselt", "71022"), merged = find_row(names, "Hasselt", "71072");
    assert_true(old > 0 && merged == old + 1); /* by name, then by validity */
    assert_string_equal(sheet_cell(names, (size_t)old, 4), "2024-12-31");
    assert_string_equal(sheet_cell(names, (size_t)merged, 3), "2025-01-01");
    assert_null(sheet_cell(names, (size_t)merged, 4));

    arena_free(a);
    free(data);
    register_view_free(&v);
    store_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(template_reads_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
