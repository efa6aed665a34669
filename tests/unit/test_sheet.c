/* The spreadsheet reader (sheet.c): CSV as Excel in nl-BE and other programs write
 * it, XLSX written by libxlsxwriter and by LibreOffice, and hostile files, each
 * refused with a message and no half-read book. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sheet.h"

static int read_text(arena *a, const char *name, const char *text, sheet_book *book, const char **error)
{
    return sheet_read(a, name, (const unsigned char *)text, strlen(text), book, error);
}

static void assert_cell(const sheet *s, size_t row, size_t col, const char *want)
{
    const char *got = sheet_cell(s, row, col);
    if (!want) {
        if (got)
            fail_msg("cell %zu,%zu: want empty, got '%s'", row, col, got);
        return;
    }
    if (!got || strcmp(got, want) != 0)
        fail_msg("cell %zu,%zu: want '%s', got '%s'", row, col, want, got ? got : "(empty)");
}

static void refused(const char *name, const unsigned char *data, size_t len, const char *needle)
{
    arena *a = arena_new();
    sheet_book book;
    const char *error = NULL;
    assert_int_equal(sheet_read(a, name, data, len, &book, &error), -1);
    assert_non_null(error);
    assert_int_equal(book.count, 0);
    if (!strstr(error, needle))
        fail_msg("message '%s' does not say '%s'", error, needle);
    arena_free(a);
}

/* ---- CSV ---- */

static void csv_with_commas(void **state)
{
    (void)state;
    arena *a = arena_new();
    sheet_book book;
    const char *error = NULL;
    assert_int_equal(read_text(a, "/tmp/Bijlage.csv", "overeenkomst,titel\nA-1,\"Een, twee\"\nA-2,\n", &book, &error), 0);
    assert_int_equal(book.count, 1);
    const sheet *s = &book.sheets[0];
    assert_string_equal(s->name, "Bijlage");
    assert_int_equal(s->rows, 3);
    assert_int_equal(s->cols, 2);
    assert_cell(s, 0, 0, "overeenkomst");
    assert_cell(s, 1, 1, "Een, twee");
    assert_cell(s, 2, 0, "A-2");
    assert_cell(s, 2, 1, NULL);
    assert_cell(s, 9, 9, NULL);
    assert_string_equal(sheet_cell_name(a, s, 2, 6), "Bijlage!G3");
    assert_string_equal(sheet_cell_name(a, s, 0, 26), "Bijlage!AA1");
    arena_free(a);
}

/* Excel in nl-BE: a BOM, ';', CRLF, quoted fields with the separator, quotes and
 * line breaks; a blank line keeps the row numbers of what follows. */
static void csv_as_excel_writes_it(void **state)
{
    (void)state;
    arena *a = arena_new();
    sheet_book book;
    const char *error = NULL;
    const char *text = "\xEF\xBB\xBFovereenkomst;titel;gemeente\r\n"
                       "A-1;\"Titel; met \"\"aanhalingstekens\"\"\r\nen een regel\";Geel\r\n"
                       "\r\n"
                       "A-2;Tweede, met komma;Hasselt\r\n";
    assert_int_equal(read_text(a, "x.csv", text, &book, &error), 0);
    const sheet *s = &book.sheets[0];
    assert_string_equal(s->name, "x");
    assert_int_equal(s->rows, 4);
    assert_int_equal(s->cols, 3);
    assert_cell(s, 0, 0, "overeenkomst");
    assert_cell(s, 1, 1, "Titel; met \"aanhalingstekens\"\r\nen een regel");
    assert_cell(s, 1, 2, "Geel");
    assert_cell(s, 2, 0, NULL);
    assert_cell(s, 3, 1, "Tweede, met komma");
    assert_cell(s, 3, 2, "Hasselt");
    arena_free(a);
}

/* The separator is decided outside quotes: a header quoting a ';' is still ','. */
static void csv_separator_outside_quotes(void **state)
{
    (void)state;
    arena *a = arena_new();
    sheet_book book;
    const char *error = NULL;
    assert_int_equal(read_text(a, "x.csv", "\"a;b;c\",d\n1,2\n", &book, &error), 0);
    assert_int_equal(book.sheets[0].cols, 2);
    assert_cell(&book.sheets[0], 0, 0, "a;b;c");
    assert_cell(&book.sheets[0], 1, 1, "2");
    arena_free(a);
}

static void csv_refused(void **state)
{
    (void)state;
    const char *latin1 = "titel;gemeente\nA;Ni\xebl\n";
    refused("x.csv", (const unsigned char *)latin1, strlen(latin1), "row 2");
    const char *quote = "a,b\n1,\"open\n";
    refused("x.csv", (const unsigned char *)quote, strlen(quote), "row 2");
    const unsigned char nul[] = "a,b\n1,x\0y\n";
    refused("x.csv", nul, sizeof nul - 1, "NUL");
    /* a long first line of separators: the grid is the used range, bounded */
    size_t n = 1100000;
    char *wide = malloc(n + 4);
    memset(wide, ',', n);
    memcpy(wide + n, "x\ny", 3);
    wide[n + 3] = '\0';
    refused("x.csv", (const unsigned char *)wide, n + 3, "cells");
    free(wide);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_with_commas),
        cmocka_unit_test(csv_as_excel_writes_it),
        cmocka_unit_test(csv_separator_outside_quotes),
        cmocka_unit_test(csv_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
