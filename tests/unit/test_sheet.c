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
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "buf.h"
#include "sheet.h"

#ifndef SOMON_FIXTURES
#define SOMON_FIXTURES "tests/fixtures/sheet"
#endif

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
    if (getenv("SHOW_MESSAGES"))
        fprintf(stderr, "message: %s\n", error);
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
    /* Excel's "sep=" line names the separator and is no row */
    assert_int_equal(read_text(a, "x.csv", "sep=;\r\na,b;c\r\n1;2\r\n", &book, &error), 0);
    assert_int_equal(book.sheets[0].rows, 2);
    assert_cell(&book.sheets[0], 0, 0, "a,b");
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
    const unsigned char utf16[] = "\xFF\xFE" "a\0,\0b\0";
    refused("x.csv", utf16, sizeof utf16 - 1, "UTF-16");
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


/* ---- XLSX written by libxlsxwriter ---- */

/* The bytes of the file at path (malloc'd). */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)n + 1);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return data;
}

static char *temp_path(void)
{
    char *path = strdup("/tmp/somon-test-sheet-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    return path;
}

/* A workbook as a person makes one: strings, numbers, dates in several formats,
 * empty cells, a second sheet with a gap. */
static unsigned char *written_workbook(size_t *len)
{
    char *path = temp_path();
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Bijlage");
    lxw_format *dmy = workbook_add_format(wb);
    format_set_num_format(dmy, "dd/mm/yyyy");
    lxw_format *builtin = workbook_add_format(wb);
    format_set_num_format_index(builtin, 14);
    lxw_format *stamp = workbook_add_format(wb);
    format_set_num_format(stamp, "yyyy-mm-dd hh:mm");
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00 \"dag\"");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    worksheet_write_string(ws, 0, 0, "overeenkomst", bold);
    worksheet_write_string(ws, 0, 1, "titel", bold);
    worksheet_write_string(ws, 0, 2, "begin", bold);
    worksheet_write_string(ws, 0, 3, "gemeente", bold);
    worksheet_write_string(ws, 1, 0, "A-1", NULL);
    worksheet_write_string(ws, 1, 1, "Ni\xc3\xabl & <co>", NULL);
    lxw_datetime d1 = {2023, 6, 30, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 2, &d1, dmy);
    worksheet_write_number(ws, 1, 3, 71022, NULL);
    worksheet_write_string(ws, 2, 0, "A-1", NULL);
    /* (2,1) stays empty */
    lxw_datetime d2 = {2025, 1, 1, 0, 0, 0};
    worksheet_write_datetime(ws, 2, 2, &d2, builtin);
    worksheet_write_number(ws, 2, 3, 1.5, money);
    lxw_datetime d3 = {1900, 2, 1, 0, 0, 0}; /* before Excel's 1900-02-29 */
    worksheet_write_datetime(ws, 3, 2, &d3, dmy);
    lxw_datetime d4 = {2024, 2, 29, 17, 45, 0}; /* a time keeps the day */
    worksheet_write_datetime(ws, 3, 3, &d4, stamp);
    worksheet_write_blank(ws, 6, 6, bold); /* formatted but empty: outside the used range */
    lxw_worksheet *other = workbook_add_worksheet(wb, "Gemeenten");
    worksheet_write_string(other, 0, 0, "naam", NULL);
    worksheet_write_string(other, 9, 4, "ver weg", NULL);
    worksheet_write_formula_str(other, 1, 0, "=A1&\"!\"", NULL, "naam!");
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    unsigned char *data = slurp(path, len);
    unlink(path);
    free(path);
    return data;
}

static void xlsx_from_libxlsxwriter(void **state)
{
    (void)state;
    size_t len;
    unsigned char *data = written_workbook(&len);
    arena *a = arena_new();
    sheet_book book;
    const char *error = NULL;
    if (sheet_read(a, "x.xlsx", data, len, &book, &error))
        fail_msg("%s", error);
    assert_int_equal(book.count, 2);
    const sheet *s = &book.sheets[0];
    assert_string_equal(s->name, "Bijlage");
    assert_int_equal(s->rows, 4);
    assert_int_equal(s->cols, 4);
    assert_cell(s, 0, 0, "overeenkomst");
    assert_cell(s, 1, 1, "Ni\xc3\xabl & <co>");
    assert_cell(s, 1, 2, "2023-06-30");
    assert_cell(s, 1, 3, "71022");
    assert_cell(s, 2, 1, NULL);
    assert_cell(s, 2, 2, "2025-01-01");
    assert_cell(s, 2, 3, "1.5");
    assert_cell(s, 3, 2, "1900-02-01");
    assert_cell(s, 3, 3, "2024-02-29");
    assert_cell(s, 3, 0, NULL);
    const sheet *g = &book.sheets[1];
    assert_string_equal(g->name, "Gemeenten");
    assert_int_equal(g->rows, 10);
    assert_int_equal(g->cols, 5);
    assert_cell(g, 9, 4, "ver weg");
    assert_cell(g, 1, 0, "naam!");
    assert_cell(g, 5, 2, NULL);
    assert_string_equal(sheet_cell_name(a, g, 9, 4), "Gemeenten!E10");
    arena_free(a);
    free(data);
}

/* ---- XLSX put together part by part ---- */

typedef struct {
    const char *name;
    const char *text;
    size_t len; /* 0: strlen(text) */
} zpart;

/* A zip archive of the parts (malloc'd). */
static unsigned char *zip_of(const zpart *parts, size_t n, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    zip_source_keep(src);
    for (size_t i = 0; i < n; i++) {
        size_t l = parts[i].len ? parts[i].len : strlen(parts[i].text);
        zip_source_t *s = zip_source_buffer(za, parts[i].text, l, 0);
        assert_true(zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(zip_source_open(src), 0);
    zip_stat_t st;
    assert_int_equal(zip_source_stat(src, &st), 0);
    unsigned char *data = malloc(st.size);
    assert_int_equal(zip_source_read(src, data, st.size), (zip_int64_t)st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = st.size;
    return data;
}

#define CT "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"
#define ROOT_RELS                                                                                                 \
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "        \
    "Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "    \
    "Target=\"xl/workbook.xml\"/></Relationships>"
#define WB_RELS                                                                                                   \
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"                      \
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"      \
    "worksheet\" Target=\"/xl/worksheets/../worksheets/s1.xml\"/>"                                               \
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"      \
    "sharedStrings\" Target=\"sharedStrings.xml\"/>"                                                             \
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"      \
    "styles\" Target=\"styles.xml\"/></Relationships>"
#define NS "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define WB(pr) "<x:workbook " NS ">" pr "<x:sheets><x:sheet name=\"Blad\" sheetId=\"1\" r:id=\"rId1\"/></x:sheets></x:workbook>"
#define STYLES                                                                                                    \
    "<x:styleSheet " NS "><x:numFmts count=\"1\"><x:numFmt numFmtId=\"170\" formatCode=\"[$-813]d\\ mmmm "       \
    "yyyy;@\"/></x:numFmts><x:cellStyleXfs><x:xf numFmtId=\"14\"/></x:cellStyleXfs><x:cellXfs><x:xf "           \
    "numFmtId=\"0\"/><x:xf numFmtId=\"170\"/><x:xf numFmtId=\"4\"/></x:cellXfs></x:styleSheet>"
#define SST                                                                                                       \
    "<x:sst " NS "><x:si><x:t>een</x:t></x:si><x:si><x:r><x:rPr><x:b/></x:rPr><x:t>rij</x:t></x:r><x:r>"        \
    "<x:t xml:space=\"preserve\">k </x:t></x:r><x:r><x:t>tekst</x:t></x:r><x:rPh><x:t>NIET</x:t></x:rPh></x:si>" \
    "<x:si/><x:si><x:t>a_x000D_b _x005F_x0041_ _x0000_ _xZZZZ_ _x00eb_</x:t></x:si></x:sst>"

/* A workbook of one sheet "Blad" holding sheet_data (inside <sheetData>). */
static unsigned char *handmade(const char *workbook, const char *sheet_data, size_t *len)
{
    size_t size = strlen(sheet_data) + 400;
    char *ws = malloc(size);
    assert_true(snprintf(ws, size, "<x:worksheet " NS "><x:sheetData>%s</x:sheetData></x:worksheet>", sheet_data) <
                (int)size);
    zpart parts[] = {{"[Content_Types].xml", CT, 0},  {"_rels/.rels", ROOT_RELS, 0},
                     {"xl/workbook.xml", workbook, 0}, {"xl/_rels/workbook.xml.rels", WB_RELS, 0},
                     {"xl/styles.xml", STYLES, 0},    {"xl/sharedStrings.xml", SST, 0},
                     {"xl/worksheets/s1.xml", ws, 0}};
    unsigned char *data = zip_of(parts, sizeof parts / sizeof *parts, len);
    free(ws);
    return data;
}

/* Prefixed names, rich text, phonetic runs, inline strings, cells and rows without
 * r, booleans, a custom date format with a locale and escapes, the 1904 system. */
static void xlsx_handmade(void **state)
{
    (void)state;
    const char *cells = "<x:row><x:c t=\"s\"><x:v>0</x:v></x:c><x:c t=\"s\"><x:v>1</x:v></x:c>"
                        "<x:c t=\"s\"><x:v>2</x:v></x:c><x:c t=\"inlineStr\"><x:is><x:t>in</x:t><x:r><x:t>line</x:t>"
                        "</x:r></x:is></x:c></x:row>"
                        "<x:row r=\"3\"><x:c r=\"B3\" s=\"1\"><x:v>45000</x:v></x:c><x:c s=\"2\"><x:v>45000</x:v>"
                        "</x:c><x:c t=\"b\"><x:v>1</x:v></x:c><x:c s=\"1\"><x:v>60</x:v></x:c>"
                        "<x:c s=\"1\"><x:v>61</x:v></x:c><x:c s=\"1\"><x:v>0.25</x:v></x:c></x:row>"
                        "<x:row><x:c t=\"s\"><x:v>3</x:v></x:c><x:c t=\"d\"><x:v>2024-02-29T10:00:00</x:v></x:c>"
                        "<x:c t=\"e\"><x:v>#N/A</x:v></x:c><x:c t=\"str\"><x:f>A1</x:f><x:v>een</x:v></x:c>"
                        "<x:c t=\"s\"><x:v>2</x:v></x:c><x:c s=\"1\"><x:v>-3</x:v></x:c>"
                        "<x:c s=\"1\"><x:v>1E3</x:v></x:c></x:row>";
    for (int epoch = 0; epoch < 2; epoch++) {
        size_t len;
        unsigned char *data =
            handmade(epoch ? WB("<x:workbookPr date1904=\"1\"/>") : WB("<x:workbookPr/>"), cells, &len);
        arena *a = arena_new();
        sheet_book book;
        const char *error = NULL;
        if (sheet_read(a, "x.xlsx", data, len, &book, &error))
            fail_msg("%s", error);
        const sheet *s = &book.sheets[0];
        assert_string_equal(s->name, "Blad");
        assert_int_equal(s->rows, 4);
        assert_int_equal(s->cols, 7);
        assert_cell(s, 0, 0, "een");
        assert_cell(s, 0, 1, "rijk tekst");
        assert_cell(s, 0, 2, NULL);
        assert_cell(s, 0, 3, "inline");
        assert_cell(s, 1, 0, NULL);
        assert_cell(s, 2, 1, epoch ? "2027-03-16" : "2023-03-15");
        assert_cell(s, 2, 2, "45000");
        assert_cell(s, 2, 3, "TRUE");
        assert_cell(s, 2, 4, epoch ? "1904-03-01" : "60"); /* 1900-02-29 never was */
        assert_cell(s, 2, 5, epoch ? "1904-03-02" : "1900-03-01");
        assert_cell(s, 2, 6, epoch ? "1904-01-01" : "0.25");
        assert_cell(s, 3, 0, "a\rb _x0041_ _x0000_ _xZZZZ_ \xc3\xab"); /* Excel's escapes decoded */
        assert_cell(s, 3, 1, "2024-02-29");
        assert_cell(s, 3, 2, "#N/A");
        assert_cell(s, 3, 3, "een");
        assert_cell(s, 3, 4, NULL); /* an empty shared string */
        assert_cell(s, 3, 5, "-3");  /* not a day: kept */
        assert_cell(s, 3, 6, "1E3");
        arena_free(a);
        free(data);
    }
}

/* A file LibreOffice wrote (soffice --convert-to xlsx of tests/fixtures/sheet/libreoffice.csv). */
static void xlsx_from_libreoffice(void **state)
{
    (void)state;
    size_t len;
    unsigned char *data = slurp(SOMON_FIXTURES "/libreoffice.xlsx", &len);
    arena *a = arena_new();
    sheet_book book;
    const char *error = NULL;
    if (sheet_read(a, "libreoffice.xlsx", data, len, &book, &error))
        fail_msg("%s", error);
    const sheet *s = &book.sheets[0];
    assert_cell(s, 0, 0, "overeenkomst");
    assert_cell(s, 0, 9, "tot");
    assert_cell(s, 1, 0, "LO-1");
    assert_cell(s, 1, 1, "Ni\xc3\xabl & co; \"quoted\"");
    assert_cell(s, 1, 4, "2023-06-30");
    assert_cell(s, 1, 6, "71022");
    assert_cell(s, 1, 9, NULL);
    assert_cell(s, 2, 6, "Hasselt");
    assert_cell(s, 2, 5, "2025-12-31");
    arena_free(a);
    free(data);
}

/* ---- hostile workbooks ---- */

static void refused_zip(const zpart *parts, size_t n, const char *needle)
{
    size_t len;
    unsigned char *data = zip_of(parts, n, &len);
    refused("x.xlsx", data, len, needle);
    free(data);
}

static void refused_sheet(const char *workbook, const char *cells, const char *needle)
{
    size_t len;
    unsigned char *data = handmade(workbook, cells, &len);
    refused("x.xlsx", data, len, needle);
    free(data);
}

/* A part of 80 MiB of zeros compresses to some 80 KiB. */
static void heavy_zip_bomb(void **state)
{
    (void)state;
    size_t n = (size_t)80 << 20;
    char *zeros = calloc(1, n);
    zpart parts[] = {{"[Content_Types].xml", CT, 0}, {"_rels/.rels", ROOT_RELS, 0}, {"xl/workbook.xml", zeros, n}};
    refused_zip(parts, 3, "MiB");
    /* Many parts under the limit each, over it together. */
    size_t m = (size_t)22 << 20;
    char *spaces = malloc(m);
    memset(spaces, ' ', m);
    memcpy(spaces, "<a>", 3);
    memcpy(spaces + m - 4, "</a>", 4);
    zpart many[] = {{"[Content_Types].xml", CT, 0},
                    {"_rels/.rels", ROOT_RELS, 0},
                    {"xl/workbook.xml", WB(""), 0},
                    {"xl/_rels/workbook.xml.rels", WB_RELS, 0},
                    {"xl/styles.xml", spaces, m},
                    {"xl/sharedStrings.xml", spaces, m},
                    {"xl/worksheets/s1.xml", spaces, m}};
    refused_zip(many, sizeof many / sizeof *many, "MiB");
    free(spaces);
    free(zeros);
}

/* A zip whose headers say a part is small while it inflates to 80 MiB: refused while
 * the bytes are inflated, not trusted by what the headers say. */
static void heavy_zip_bomb_with_lying_sizes(void **state)
{
    (void)state;
    size_t n = (size_t)80 << 20, len;
    char *spaces = malloc(n);
    memset(spaces, ' ', n);
    memcpy(spaces, "<a>", 3);
    memcpy(spaces + n - 4, "</a>", 4);
    zpart parts[] = {{"[Content_Types].xml", CT, 0}, {"_rels/.rels", ROOT_RELS, 0}, {"xl/workbook.xml", spaces, n}};
    unsigned char *data = zip_of(parts, 3, &len);
    free(spaces);
    int patched = 0;
    for (size_t i = 0; i + 46 < len; i++) {
        size_t at = 0;
        if (memcmp(data + i, "PK\x03\x04", 4) == 0)
            at = i + 22; /* local header: uncompressed size */
        else if (memcmp(data + i, "PK\x01\x02", 4) == 0)
            at = i + 24; /* central directory: uncompressed size */
        if (at && data[at] == 0 && data[at + 1] == 0 && data[at + 2] == 0 && data[at + 3] == 0x05) {
            memcpy(data + at, "\x00\x10\x00\x00", 4); /* 80 MiB becomes 4 KiB */
            patched++;
        }
    }
    assert_int_equal(patched, 2);
    refused("x.xlsx", data, len, "MiB");
    free(data);
}

static void xml_entities(void **state)
{
    (void)state;
    const char *laughs = "<?xml version=\"1.0\"?><!DOCTYPE x:workbook [<!ENTITY a \"aaaaaaaaaa\">"
                         "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>" WB("");
    refused_sheet(laughs, "", "DOCTYPE");
    const char *external = "<?xml version=\"1.0\"?><!DOCTYPE x SYSTEM \"file:///etc/passwd\">" WB("");
    refused_sheet(external, "", "DOCTYPE");
    refused_sheet(WB(""), "<x:row><x:c t=\"inlineStr\"><x:is><x:t>&xxe;</x:t></x:is></x:c></x:row>", "line 1");
}

static void huge_references(void **state)
{
    (void)state;
    /* one cell at the last cell of Excel's grid: a range of 17 billion cells */
    refused_sheet(WB(""), "<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>a</x:t></x:is></x:c></x:row>"
                          "<x:row r=\"1048576\"><x:c r=\"XFD1048576\"><x:v>1</x:v></x:c></x:row>",
                  "A1:XFD1048576");
    refused_sheet(WB(""), "<x:row><x:c r=\"XFE1\"><x:v>1</x:v></x:c></x:row>", "XFE1");
    refused_sheet(WB(""), "<x:row><x:c r=\"A1048577\"><x:v>1</x:v></x:c></x:row>", "A1048577");
    refused_sheet(WB(""), "<x:row r=\"99999999999999999999\"><x:c><x:v>1</x:v></x:c></x:row>", "row");
    refused_sheet(WB(""), "<x:row><x:c t=\"s\"><x:v>7</x:v></x:c></x:row>", "Blad!A1");
}

/* More filled cells than SHEET_MAX_CELLS, each small. */
static void heavy_too_many_cells(void **state)
{
    (void)state;
    buf cells = {0};
    buf_puts(&cells, "<x:row>");
    for (size_t i = 0; i < SHEET_MAX_CELLS + 1; i++) {
        if (i % 10000 == 0 && i)
            buf_puts(&cells, "</x:row><x:row>");
        buf_puts(&cells, "<x:c><x:v>1</x:v></x:c>");
    }
    buf_puts(&cells, "</x:row>");
    refused_sheet(WB(""), cells.data, "cells");
    buf_free(&cells);
}

static void not_a_workbook(void **state)
{
    (void)state;
    size_t len;
    unsigned char *data = handmade(WB(""), "<x:row><x:c><x:v>1</x:v></x:c></x:row>", &len);
    for (size_t cut = 30; cut < len; cut += len / 7)
        refused("x.xlsx", data, cut, "");
    unsigned char *bad = malloc(len);
    memcpy(bad, data, len);
    for (size_t i = len / 3; i < len / 3 + 40; i++)
        bad[i] ^= 0x5A;
    refused("x.xlsx", bad, len, "");
    free(bad);
    free(data);
    zpart ods[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0}, {"content.xml", "<a/>", 0}};
    refused_zip(ods, 2, ".ods");
    zpart other[] = {{"readme.txt", "hallo", 0}};
    refused_zip(other, 1, "no Excel workbook");
    zpart missing[] = {{"[Content_Types].xml", CT, 0}, {"_rels/.rels", ROOT_RELS, 0}};
    refused_zip(missing, 2, "xl/workbook.xml");
    zpart malformed[] = {{"[Content_Types].xml", CT, 0}, {"_rels/.rels", ROOT_RELS, 0}, {"xl/workbook.xml", "<a><b></a>", 0}};
    refused_zip(malformed, 3, "not valid XML");
    refused_sheet(WB(""), "<x:row><x:c><x:v>1</x:v></x:c>", "not valid XML");
    const unsigned char xls[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 and the rest";
    refused("x.xls", xls, sizeof xls - 1, ".xls");
    const unsigned char garbage[] = "PK\x03\x04 garbage";
    refused("x.xlsx", garbage, sizeof garbage - 1, "zip");
}

int main(void)
{
    /* tests/valgrind.sh skips the heavy ones ('heavy_*': two zip bombs, deflating and
     * inflating 150 MiB, and a million and one cells, 24 MB of XML: 41 of the stage's
     * CPU-seconds under valgrind); make unit runs them under ASan/UBSan */
    const char *skip = getenv("SOMON_UNIT_SKIP");
    if (skip && *skip)
        cmocka_set_skip_filter(skip);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_with_commas),
        cmocka_unit_test(csv_as_excel_writes_it),
        cmocka_unit_test(csv_separator_outside_quotes),
        cmocka_unit_test(csv_refused),
        cmocka_unit_test(xlsx_from_libxlsxwriter),
        cmocka_unit_test(xlsx_handmade),
        cmocka_unit_test(xlsx_from_libreoffice),
        cmocka_unit_test(heavy_zip_bomb),
        cmocka_unit_test(heavy_zip_bomb_with_lying_sizes),
        cmocka_unit_test(xml_entities),
        cmocka_unit_test(huge_references),
        cmocka_unit_test(heavy_too_many_cells),
        cmocka_unit_test(not_a_workbook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
