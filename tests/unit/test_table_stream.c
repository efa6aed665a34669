/* Tables written as their rows are made (report_table.c, issue 12): a table
 * with a writer keeps one row of cells, and its bytes are exactly those of
 * the same table built whole (CSV for people and machines, XLSX), also when
 * the writer is armed for a builder that calls table_init itself, when a
 * built table is streamed at once, and with a trailing row added at the end. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zip.h>

#include "report.h"

static const char *const KEYS[] = {"id", "name", "count", "day", "rate", "note"};
static const char *const LABELS[] = {"Id", "Naam", "Aantal", "Dag", "Graad", "Opmerking"};
enum { COLUMNS = 6, ROWS = 1000 };

/* A builder as the pages have them: table_init, then the rows in order. */
static void build(arena *a, table *t, size_t rows)
{
    table_init(t, a, "Proef", KEYS, LABELS, COLUMNS);
    table_reserve(t, rows);
    for (size_t r = 0; r < rows; r++) {
        cell *c = table_row(t);
        c[0] = cell_text(arena_printf(a, "ID-%05zu", r));
        c[1] = cell_text(r % 7 == 0 ? "=SUM(A1)" : r % 5 == 0 ? "a \"quoted\"; name" : "Sint-Niklaas ë");
        c[2] = cell_int((long long)r * 1000);
        c[3] = r % 3 ? cell_date(date_from_ymd(2023, 6, 30) + (date_t)r) : cell_date(DATE_NONE);
        c[4] = r % 2 ? cell_decimal(61.25 + (double)r, NULL) : cell_decimal(0.5, "0,5");
        c[5] = cell_text(r % 4 ? NULL : "line\nbreak");
    }
}

/* The trailing row a download may end with (a notice). */
static void add_last(table *t)
{
    cell *c = table_row(t);
    c[0] = cell_text("Bron: somon");
}

static void csv_is_the_same(bool people)
{
    arena *a = arena_new();
    table whole;
    build(a, &whole, ROWS);
    add_last(&whole);
    buf expected = {0};
    (people ? table_csv_people : table_csv)(&whole, &expected);

    buf got = {0};
    table t;
    table_writer *w = table_writer_csv(a, &got, people);
    table_stream_next(w); /* the builder's own table_init takes it */
    build(a, &t, ROWS);
    assert_ptr_equal(t.writer, w);
    add_last(&t);
    assert_int_equal(t.rows, ROWS + 1);
    assert_int_equal(table_end(&t, NULL, NULL), 0);
    assert_int_equal(got.len, expected.len);
    assert_memory_equal(got.data, expected.data, expected.len);
    assert_int_equal(t.rows, 0);
    assert_null(t.writer);
    buf_free(&expected);
    buf_free(&got);
    arena_free(a);
}

static void csv_for_people_streams_the_same_bytes(void **state)
{
    (void)state;
    csv_is_the_same(true);
}

static void csv_for_machines_streams_the_same_bytes(void **state)
{
    (void)state;
    csv_is_the_same(false);
}

/* The cells of one row only: every table_row hands out the same row, and the
 * arena does not grow with the rows by their cells. */
static void a_streamed_table_keeps_one_row(void **state)
{
    (void)state;
    arena *a = arena_new();
    buf out = {0};
    FILE *f = tmpfile();
    assert_non_null(f);
    buf_sink(&out, f);
    table t;
    table_init(&t, a, "Proef", KEYS, LABELS, COLUMNS);
    table_stream(&t, table_writer_csv(a, &out, true));
    cell *first = table_row(&t);
    first[0] = cell_text("a");
    size_t used = arena_used(a);
    for (int r = 0; r < 100000; r++) {
        cell *c = table_row(&t);
        assert_ptr_equal(c, first);
        c[0] = cell_text("b");
        c[2] = cell_int(r);
    }
    assert_int_equal(arena_used(a), used);
    assert_int_equal(t.rows, 100001);
    assert_int_equal(table_end(&t, NULL, NULL), 0);
    assert_true(buf_flush(&out));
    long size = ftell(f);
    assert_true(size > 100000 * 10);
    fclose(f);
    buf_free(&out);
    arena_free(a);
}

/* A table built whole and then streamed (web_table_download's small tables)
 * gives the bytes of the table writer. */
static void a_built_table_streams_at_once(void **state)
{
    (void)state;
    arena *a = arena_new();
    table whole;
    build(a, &whole, 10);
    buf expected = {0};
    table_csv_people(&whole, &expected);
    buf got = {0};
    table_stream(&whole, table_writer_csv(a, &got, true));
    assert_int_equal(table_end(&whole, NULL, NULL), 0);
    assert_string_equal(got.data, expected.data);
    buf_free(&expected);
    buf_free(&got);
    arena_free(a);
}

/* One part of an .xlsx file, malloc'd and NUL-terminated. */
static char *xlsx_part(const char *path, const char *name)
{
    int err = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &err);
    assert_non_null(za);
    zip_stat_t st;
    assert_int_equal(zip_stat(za, name, 0, &st), 0);
    zip_file_t *f = zip_fopen(za, name, 0);
    assert_non_null(f);
    char *text = calloc(1, st.size + 1);
    assert_int_equal(zip_fread(f, text, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    zip_close(za);
    return text;
}

static void xlsx_streams_the_same_sheet(void **state)
{
    (void)state;
    arena *a = arena_new();
    char whole_path[] = "/tmp/somon-test-whole-XXXXXX", stream_path[] = "/tmp/somon-test-stream-XXXXXX";
    int fd = mkstemp(whole_path);
    assert_true(fd >= 0);
    close(fd);
    fd = mkstemp(stream_path);
    assert_true(fd >= 0);
    close(fd);

    table whole;
    build(a, &whole, ROWS);
    add_last(&whole);
    buf why = {0};
    assert_int_equal(table_xlsx_streamed(&whole, whole_path, &why), 0);

    table t;
    table_writer *w = table_writer_xlsx(a, stream_path, &why);
    assert_non_null(w);
    table_stream_next(w);
    build(a, &t, ROWS);
    add_last(&t);
    assert_int_equal(table_end(&t, stream_path, &why), 0);

    static const char *const PARTS[] = {"xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml",
                                        "[Content_Types].xml"};
    for (size_t i = 0; i < sizeof PARTS / sizeof *PARTS; i++) {
        char *x = xlsx_part(whole_path, PARTS[i]), *y = xlsx_part(stream_path, PARTS[i]);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }
    unlink(whole_path);
    unlink(stream_path);
    buf_free(&why);
    arena_free(a);
}

/* A writer given up before its table began (the page answered an error) is
 * no longer armed: the next table is built in memory. */
static void a_discarded_writer_is_not_armed(void **state)
{
    (void)state;
    arena *a = arena_new();
    buf out = {0};
    table_writer *w = table_writer_csv(a, &out, true);
    table_stream_next(w);
    table_writer_discard(w);
    table t;
    build(a, &t, 3);
    assert_null(t.writer);
    assert_int_equal(t.rows, 3);
    assert_int_equal(out.len, 0);
    assert_int_equal(table_end(&t, NULL, NULL), 0); /* no writer: nothing */
    assert_int_equal(t.rows, 3);
    buf_free(&out);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_for_people_streams_the_same_bytes),
        cmocka_unit_test(csv_for_machines_streams_the_same_bytes),
        cmocka_unit_test(a_streamed_table_keeps_one_row),
        cmocka_unit_test(a_built_table_streams_at_once),
        cmocka_unit_test(xlsx_streams_the_same_sheet),
        cmocka_unit_test(a_discarded_writer_is_not_armed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
