/* The Word writer (docx.c): the package holds the parts Word needs, text
 * reaches the XML escaped, line feeds and tabs become breaks and tab stops,
 * other control characters are dropped, and spans and A4 come out as
 * OOXML says. The archive is read back with libzip. */
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zip.h>

#include "docx.h"

/* One part of the .docx in out (NUL-terminated, malloc'd), or NULL when absent. */
static char *part(const buf *docx, const char *name)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(docx->data, docx->len, 0, &ze);
    assert_non_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    assert_non_null(za);
    char *text = NULL;
    zip_stat_t st;
    if (zip_stat(za, name, 0, &st) == 0) {
        zip_file_t *f = zip_fopen(za, name, 0);
        assert_non_null(f);
        text = calloc(1, st.size + 1);
        assert_int_equal(zip_fread(f, text, st.size), (zip_int64_t)st.size);
        zip_fclose(f);
    }
    zip_close(za); /* frees src */
    zip_error_fini(&ze);
    return text;
}

static void build(doc *d, arena *a)
{
    doc_init(d, a, "Titel <met> & \"tekens\"", "voet & tekst");
    doc_heading(d, 1, "Kop");
    doc_paragraph(d, "a < b & c > d\nnieuwe regel\tna een tab\x01weg");
    doc_item(d, "punt");
    doc_note(d, "noot");
    doc_page_break(d);
    doc_block *t = doc_table(d, 3, NULL, "Bijschrift");
    doc_row *h = doc_table_row(d, t, true);
    doc_cell_add(d, h, "", 1, false);
    doc_cell_add(d, h, "Gemeenten", 2, false);
    doc_row *r = doc_table_row(d, t, false);
    doc_cell_add(d, r, "Limburg", 1, false);
    doc_cell_add(d, r, "30/42", 1, true); /* a short row: the writer fills the last column */
}

static void the_package_has_every_part(void **state)
{
    (void)state;
    arena *a = arena_new();
    doc d;
    build(&d, a);
    buf out = {0}, why = {0};
    assert_int_equal(docx_write(&d, &out, &why), 0);
    assert_memory_equal(out.data, "PK", 2);
    static const char *const PARTS[] = {"[Content_Types].xml", "_rels/.rels", "word/document.xml",
                                        "word/_rels/document.xml.rels", "word/styles.xml", "word/footer1.xml",
                                        "docProps/core.xml"};
    for (size_t i = 0; i < sizeof PARTS / sizeof *PARTS; i++) {
        char *p = part(&out, PARTS[i]);
        assert_non_null(p);
        assert_non_null(strstr(p, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"));
        free(p);
    }
    buf_free(&out);
    buf_free(&why);
    arena_free(a);
}

static void text_is_escaped_and_controls_become_markup(void **state)
{
    (void)state;
    arena *a = arena_new();
    doc d;
    build(&d, a);
    buf out = {0}, why = {0};
    assert_int_equal(docx_write(&d, &out, &why), 0);
    char *doc_xml = part(&out, "word/document.xml");
    assert_non_null(strstr(doc_xml, "<w:t xml:space=\"preserve\">a &lt; b &amp; c &gt; d</w:t><w:br/>"
                                    "<w:t xml:space=\"preserve\">nieuwe regel</w:t><w:tab/>"
                                    "<w:t xml:space=\"preserve\">na een tab</w:t>"
                                    "<w:t xml:space=\"preserve\">weg</w:t>"));
    assert_null(strchr(doc_xml, '\x01'));
    assert_non_null(strstr(doc_xml, "<w:pStyle w:val=\"Heading1\"/>"));
    assert_non_null(strstr(doc_xml, "<w:br w:type=\"page\"/>"));
    assert_non_null(strstr(doc_xml, "<w:gridSpan w:val=\"2\"/>"));
    assert_non_null(strstr(doc_xml, "<w:tblHeader/>"));
    assert_non_null(strstr(doc_xml, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>")); /* A4 */
    /* the short row is filled up to the grid's three columns */
    const char *row = strstr(doc_xml, "Limburg");
    assert_non_null(row);
    size_t cells = 0;
    for (const char *c = row; (c = strstr(c, "<w:tc>")) && c < strstr(row, "</w:tr>"); c++)
        cells++;
    assert_int_equal(cells, 2); /* after Limburg's own cell: 30/42 and the filler */
    char *core = part(&out, "docProps/core.xml");
    assert_non_null(strstr(core, "<dc:title>Titel &lt;met&gt; &amp; \"tekens\"</dc:title>"));
    char *footer = part(&out, "word/footer1.xml");
    assert_non_null(strstr(footer, "voet &amp; tekst"));
    assert_non_null(strstr(footer, " PAGE "));
    assert_non_null(strstr(footer, " NUMPAGES "));
    free(doc_xml);
    free(core);
    free(footer);
    buf_free(&out);
    buf_free(&why);
    arena_free(a);
}

/* The web writes the document into a body file (buf_sink): the same parts
 * come out as in memory (the archive's length was checked against out->len,
 * which a sink empties: the answer's Word download failed with a 503). */
static void a_document_into_a_file_is_the_same(void **state)
{
    (void)state;
    arena *a = arena_new();
    doc d;
    build(&d, a);
    /* an archive larger than a sink's chunk (BUF_SINK_CHUNK), so that it is flushed */
    doc_block *t = doc_table(&d, 2, NULL, "Veel rijen");
    for (unsigned i = 0; i < 20000; i++) {
        doc_row *r = doc_table_row(&d, t, false);
        doc_cell_add(&d, r, arena_printf(a, "gemeente %u", i * 2654435761u), 1, false);
        doc_cell_add(&d, r, arena_printf(a, "%u", i * 40503u), 1, true);
    }
    buf mem = {0}, why = {0};
    assert_int_equal(docx_write(&d, &mem, &why), 0);
    assert_true(mem.len > 2 * BUF_SINK_CHUNK);
    FILE *f = tmpfile();
    assert_non_null(f);
    buf sunk = {0};
    buf_sink(&sunk, f);
    assert_int_equal(docx_write(&d, &sunk, &why), 0);
    assert_true(buf_flush(&sunk));
    long size = ftell(f);
    assert_true(size > 0);
    rewind(f);
    buf back = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&back, chunk, n);
    assert_int_equal(back.len, (size_t)size);
    char *x = part(&mem, "word/document.xml"), *y = part(&back, "word/document.xml");
    assert_non_null(y);
    assert_string_equal(x, y);
    free(x);
    free(y);
    fclose(f);
    buf_free(&mem);
    buf_free(&sunk);
    buf_free(&back);
    buf_free(&why);
    arena_free(a);
}

/* Made notes (doc_made_notes): the writer asks for them one at a time,
 * from the first again for each document written, and writes each as a
 * doc_note; a maker with none writes nothing. */
typedef struct {
    unsigned count, next, firsts;
} notes_maker;

static void maker_first(void *ctx)
{
    notes_maker *m = ctx;
    m->next = 0;
    m->firsts++;
}

static const char *maker_next(void *ctx, arena *a)
{
    notes_maker *m = ctx;
    if (m->next == m->count)
        return NULL;
    /* long texts, so that the scratch arena is renewed on the way */
    unsigned i = m->next++;
    return arena_printf(a, "noot %u & <meer>\t%0*u", i, 3000, i);
}

static char *document_of(const doc *d)
{
    buf out = {0}, why = {0};
    assert_int_equal(docx_write(d, &out, &why), 0);
    char *x = part(&out, "word/document.xml");
    assert_non_null(x);
    buf_free(&out);
    buf_free(&why);
    return x;
}

static void made_notes_are_notes(void **state)
{
    (void)state;
    arena *a = arena_new();
    doc held, made;
    build(&held, a);
    build(&made, a);
    notes_maker m = {1000, 0, 0};
    for (unsigned i = 0; i < m.count; i++)
        doc_note(&held, maker_next(&m, a));
    doc_paragraph(&held, "daarna");
    doc_made_notes(&made, maker_first, maker_next, &m);
    doc_paragraph(&made, "daarna");
    char *x = document_of(&held), *y = document_of(&made), *again = document_of(&made);
    assert_string_equal(x, y);
    assert_string_equal(y, again);
    assert_int_equal(m.firsts, 2);
    assert_non_null(strstr(y, "noot 999 &amp; &lt;meer&gt;</w:t><w:tab/>"));
    free(x);
    free(y);
    free(again);
    /* none: nothing between the table and the paragraph after it */
    doc none, without;
    build(&none, a);
    build(&without, a);
    notes_maker empty = {0, 0, 0};
    doc_made_notes(&none, maker_first, maker_next, &empty);
    doc_paragraph(&none, "daarna");
    doc_paragraph(&without, "daarna");
    x = document_of(&none);
    y = document_of(&without);
    assert_string_equal(x, y);
    free(x);
    free(y);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_package_has_every_part),
        cmocka_unit_test(made_notes_are_notes),
        cmocka_unit_test(text_is_escaped_and_controls_become_markup),
        cmocka_unit_test(a_document_into_a_file_is_the_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
