/* fuzz_sheet.c: libFuzzer target for the spreadsheet reader (src/sheet.c).
 *
 * Per input, two reads:
 *   1. the bytes as uploaded: CSV, or XLSX when they start like a zip (libzip's own
 *      checks, the kinds of zip refused, truncated archives);
 *   2. the bytes as the XML inside a well-formed package: split at "\0\0" into the
 *      worksheet, the shared strings, the styles and the workbook (a part not given
 *      takes a small valid default), zipped without compression, so that the fuzzer
 *      reaches the XML handlers instead of failing zip's checksums.
 * Either read must end in a book whose every cell is inside SHEET_MAX_CELLS, is valid
 * UTF-8 and is reachable through sheet_cell, or in a message and no book; anything
 * else aborts, so libFuzzer keeps the input. Everything allocated is freed. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "arena.h"
#include "sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_sheet: %s\n", what);
    abort();
}

static int utf8_ok(const unsigned char *s)
{
    while (*s) {
        size_t n = *s < 0x80 ? 1 : (*s & 0xE0) == 0xC0 ? 2 : (*s & 0xF0) == 0xE0 ? 3 : (*s & 0xF8) == 0xF0 ? 4 : 0;
        if (!n)
            return 0;
        for (size_t i = 1; i < n; i++)
            if ((s[i] & 0xC0) != 0x80)
                return 0;
        s += n;
    }
    return 1;
}

static void check_read(const unsigned char *data, size_t len, const char *name)
{
    arena *a = arena_new();
    sheet_book book;
    const char *error = NULL;
    int rc = sheet_read(a, name, data, len, &book, &error);
    if (rc != 0) {
        if (!error || !*error || book.count || book.sheets)
            fail("a refusal without message, or with a book");
    } else {
        if (error || book.count > SHEET_MAX_SHEETS)
            fail("a book with a message, or too many sheets");
        size_t total = 0;
        for (size_t i = 0; i < book.count; i++) {
            const sheet *s = &book.sheets[i];
            if (!s->name || (s->rows && s->cols > SHEET_MAX_CELLS / s->rows))
                fail("a sheet without name or over the cell limit");
            total += s->rows * s->cols;
            for (size_t r = 0; r < s->rows; r++)
                for (size_t c = 0; c < s->cols; c++) {
                    const char *t = sheet_cell(s, r, c);
                    if (t && (!*t || !utf8_ok((const unsigned char *)t) || strlen(t) > SHEET_MAX_CELL_BYTES))
                        fail("a cell that is empty text, not UTF-8 or too long");
                }
            if (sheet_cell(s, s->rows, 0) || sheet_cell(s, 0, s->cols))
                fail("a cell outside the used range");
            sheet_cell_name(a, s, s->rows, s->cols);
        }
        if (total > SHEET_MAX_CELLS)
            fail("more cells than SHEET_MAX_CELLS");
    }
    arena_free(a);
}

static const char *const defaults[] = {
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData/></worksheet>",
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>a</t></si></sst>",
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><cellXfs><xf numFmtId=\"0\"/>"
    "<xf numFmtId=\"14\"/></cellXfs></styleSheet>",
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"Bijlage\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
};
static const char *const names[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
                                    "xl/workbook.xml"};
static const char content_types[] = "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
static const char root_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";
static const char workbook_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
    "Target=\"styles.xml\"/></Relationships>";

static void add(zip_t *za, const char *name, const void *data, size_t len)
{
    zip_source_t *s = zip_source_buffer(za, data, len, 0);
    zip_int64_t i = s ? zip_file_add(za, name, s, 0) : -1;
    if (i < 0 || zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0) < 0)
        fail("cannot add a part to the package");
}

/* The input's parts in a package; the bytes (malloc'd) in *out. */
static size_t package(const uint8_t *data, size_t size, unsigned char **out)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
    if (!za)
        fail("cannot start a package");
    zip_source_keep(src);
    add(za, "[Content_Types].xml", content_types, sizeof content_types - 1);
    add(za, "_rels/.rels", root_rels, sizeof root_rels - 1);
    add(za, "xl/_rels/workbook.xml.rels", workbook_rels, sizeof workbook_rels - 1);
    const uint8_t *p = data, *end = data + size;
    for (size_t i = 0; i < 4; i++) {
        const uint8_t *cut = NULL;
        for (const uint8_t *q = p; q && q + 1 < end; q++)
            if (q[0] == 0 && q[1] == 0) {
                cut = q;
                break;
            }
        if (p && p <= end && (i == 0 || p < end)) {
            size_t n = (size_t)((cut ? cut : end) - p);
            add(za, names[i], p, n);
        } else {
            add(za, names[i], defaults[i], strlen(defaults[i]));
        }
        p = cut ? cut + 2 : NULL;
    }
    if (zip_close(za) < 0)
        fail("cannot write the package");
    zip_stat_t st;
    if (zip_source_open(src) < 0 || zip_source_stat(src, &st) < 0)
        fail("cannot read the package back");
    *out = malloc(st.size ? st.size : 1);
    if (!*out || zip_source_read(src, *out, st.size) != (zip_int64_t)st.size)
        fail("cannot read the package back");
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    return st.size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_read(data, size, "fuzz.csv");
    unsigned char *zipped;
    size_t n = package(data, size, &zipped);
    check_read(zipped, n, "fuzz.xlsx");
    free(zipped);
    return 0;
}
