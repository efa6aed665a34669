/* docx.c: the document model of docx.h and its OOXML rendering. The parts
 * are the fewest Word, LibreOffice and python-docx need: the content types,
 * the package and document relationships, the styles (Normal, Title,
 * Heading 1 and 2, Caption, Footnote text, List bullet, Footer), the
 * document, its footer and the core properties. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, unlink */
#include "docx.h"
#include "i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

/* ---- the model ---- */

void doc_init(doc *d, arena *a, const char *title, const char *footer)
{
    *d = (doc){.a = a, .title = title, .footer = footer};
}

static doc_block *add_block(doc *d, doc_kind kind, const char *text)
{
    d->blocks = arena_grow(d->a, d->blocks, &d->cap, d->count + 1, sizeof *d->blocks);
    doc_block *b = &d->blocks[d->count++];
    *b = (doc_block){.kind = kind, .text = text};
    return b;
}

void doc_heading(doc *d, int level, const char *text) { add_block(d, DOC_HEADING, text)->level = level; }
void doc_paragraph(doc *d, const char *text) { add_block(d, DOC_PARAGRAPH, text); }
void doc_item(doc *d, const char *text) { add_block(d, DOC_ITEM, text); }
void doc_note(doc *d, const char *text) { add_block(d, DOC_NOTE, text); }
void doc_page_break(doc *d) { add_block(d, DOC_PAGE_BREAK, NULL); }

doc_block *doc_table(doc *d, size_t columns, const int *weights, const char *caption)
{
    doc_block *t = add_block(d, DOC_TABLE, caption);
    t->columns = columns;
    t->weights = weights;
    return t;
}

doc_row *doc_table_row(doc *d, doc_block *t, bool header)
{
    t->rows = arena_grow(d->a, t->rows, &t->row_cap, t->row_count + 1, sizeof *t->rows);
    doc_row *r = &t->rows[t->row_count++];
    *r = (doc_row){.header = header};
    return r;
}

void doc_cell_add(doc *d, doc_row *r, const char *text, int span, bool number)
{
    r->cells = arena_grow(d->a, r->cells, &r->cap, r->count + 1, sizeof *r->cells);
    r->cells[r->count++] = (doc_cell){text, span < 1 ? 1 : span, number};
}

void doc_table_made_rows(doc_block *t, size_t count, void (*make)(const void *ctx, size_t r, doc *d, doc_row *out),
                         const void *ctx)
{
    t->made_count = count;
    t->make_row = make;
    t->make_ctx = ctx;
}

size_t doc_rows(const doc_block *t) { return t->row_count + (t->make_row ? t->made_count : 0); }

enum { SCRATCH_ROWS = 256 }; /* made rows per scratch arena */

void doc_rows_begin(doc_reader *rd, const doc_block *t) { *rd = (doc_reader){.t = t}; }

const doc_row *doc_row_at(doc_reader *rd, size_t r)
{
    const doc_block *t = rd->t;
    if (r < t->row_count)
        return &t->rows[r];
    if (!rd->scratch.a || ++rd->made % SCRATCH_ROWS == 0) { /* the rows before are written */
        arena_free(rd->scratch.a);
        doc_init(&rd->scratch, arena_new(), NULL, NULL);
    }
    rd->row = (doc_row){0};
    t->make_row(t->make_ctx, r - t->row_count, &rd->scratch, &rd->row);
    return &rd->row;
}

void doc_rows_done(doc_reader *rd)
{
    arena_free(rd->scratch.a);
    rd->scratch.a = NULL;
}

void doc_made_notes(doc *d, void (*first)(void *ctx), const char *(*next)(void *ctx, arena *a), void *ctx)
{
    doc_block *b = add_block(d, DOC_MADE_NOTES, NULL);
    b->first_note = first;
    b->next_note = next;
    b->notes_ctx = ctx;
}

enum { SCRATCH_NOTE_BYTES = 1 << 20 }; /* what the made notes' texts take before the scratch arena is renewed */

void doc_notes_begin(doc_notes_reader *rd, const doc_block *b)
{
    *rd = (doc_notes_reader){b, arena_new()};
    b->first_note(b->notes_ctx);
}

const char *doc_note_next(doc_notes_reader *rd)
{
    if (arena_used(rd->scratch) > SCRATCH_NOTE_BYTES) { /* the notes before are written */
        arena_free(rd->scratch);
        rd->scratch = arena_new();
    }
    return rd->b->next_note(rd->b->notes_ctx, rd->scratch);
}

void doc_notes_done(doc_notes_reader *rd)
{
    arena_free(rd->scratch);
    rd->scratch = NULL;
}

/* ---- OOXML ---- */

/* A4 in twentieths of a point, with 2 cm margins left and right. */
enum { PAGE_W = 11906, PAGE_H = 16838, MARGIN_X = 1134, MARGIN_Y = 1134, TEXT_W = PAGE_W - 2 * MARGIN_X };

static const char CONTENT_TYPES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/footer1.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" "
    "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "</Types>\n";

static const char PACKAGE_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
    "core-properties\" Target=\"docProps/core.xml\"/>"
    "</Relationships>\n";

static const char DOCUMENT_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
    "Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" "
    "Target=\"footer1.xml\"/>"
    "</Relationships>\n";

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define R_NS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

/* Dutch (Belgium) proofing and a sans-serif font every reader has a match for. */
static const char STYLES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles " W_NS ">"
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\" "
    "w:eastAsia=\"Arial\"/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/><w:lang w:val=\"nl-BE\"/></w:rPr>"
    "</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"259\" w:lineRule=\"auto\"/></w:pPr>"
    "</w:pPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>"
    "</w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/>"
    "<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"240\"/></w:pPr>"
    "<w:rPr><w:b/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>"
    "<w:spacing w:before=\"360\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/></w:pPr>"
    "<w:rPr><w:b/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>"
    "<w:spacing w:before=\"240\" w:after=\"80\"/><w:outlineLvl w:val=\"1\"/></w:pPr>"
    "<w:rPr><w:b/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/><w:basedOn w:val=\"Normal\"/>"
    "<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"80\"/></w:pPr>"
    "<w:rPr><w:b/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"FootnoteText\"><w:name w:val=\"footnote text\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"60\"/></w:pPr>"
    "<w:rPr><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\"List Bullet\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"60\"/><w:ind w:left=\"357\" w:hanging=\"357\"/>"
    "</w:pPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/>"
    "<w:pPr><w:tabs><w:tab w:val=\"right\" w:pos=\"9638\"/></w:tabs><w:spacing w:after=\"0\"/></w:pPr>"
    "<w:rPr><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/></w:rPr></w:style>"
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>"
    "<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
    "<w:left w:w=\"85\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/>"
    "</w:tblCellMar></w:tblPr></w:style>"
    "</w:styles>\n";

/* Text as runs: line feeds become breaks, tabs tab stops; carriage returns
 * and any other control character are dropped (see docx.h). */
static void runs(buf *b, arena *a, const char *text, bool bold)
{
    (void)a; /* a piece is copied into piece, not the arena: a large document's every text again (issue 12) */
    if (!text || !*text)
        return;
    buf_fmt(b, "<w:r>%s", bold ? "<w:rPr><w:b/></w:rPr>" : "");
    const char *s = text;
    buf piece = {0};
    while (*s) {
        size_t n = 0;
        while (s[n] && (unsigned char)s[n] >= 0x20 && s[n] != 0x7f)
            n++;
        if (n && !s[n]) /* the rest of the text: as it is */
            buf_fmt(b, "<w:t xml:space=\"preserve\">%h</w:t>", s);
        else if (n) {
            piece.len = 0;
            buf_add(&piece, s, n);
            buf_fmt(b, "<w:t xml:space=\"preserve\">%h</w:t>", piece.data);
        }
        s += n;
        if (*s == '\n')
            buf_puts(b, "<w:br/>");
        else if (*s == '\t')
            buf_puts(b, "<w:tab/>");
        if (*s)
            s++;
    }
    buf_free(&piece);
    buf_puts(b, "</w:r>");
}

/* One paragraph; style NULL: Normal. */
static void paragraph(buf *b, arena *a, const char *style, const char *extra_ppr, const char *text, bool bold)
{
    buf_puts(b, "<w:p>");
    if (style || extra_ppr) {
        buf_puts(b, "<w:pPr>");
        if (style)
            buf_fmt(b, "<w:pStyle w:val=\"%a\"/>", style);
        if (extra_ppr)
            buf_add(b, extra_ppr, strlen(extra_ppr));
        buf_puts(b, "</w:pPr>");
    }
    runs(b, a, text, bold);
    buf_puts(b, "</w:p>");
}

static int column_width(const doc_block *t, size_t c)
{
    if (!t->weights)
        return TEXT_W / (int)t->columns;
    int sum = 0;
    for (size_t i = 0; i < t->columns; i++)
        sum += t->weights[i];
    return sum > 0 ? (int)((long)TEXT_W * t->weights[c] / sum) : TEXT_W / (int)t->columns;
}

static void table(buf *b, arena *a, const doc_block *t)
{
    if (t->text)
        paragraph(b, a, "Caption", NULL, t->text, false);
    buf_puts(b, "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders>"
                "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"767676\"/>"
                "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"767676\"/>"
                "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"767676\"/>"
                "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"767676\"/>"
                "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"767676\"/>"
                "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"767676\"/>"
                "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"0420\" w:firstRow=\"1\" "
                "w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr>"
                "<w:tblGrid>");
    for (size_t c = 0; c < t->columns; c++)
        buf_fmt(b, "<w:gridCol w:w=\"%d\"/>", column_width(t, c));
    buf_puts(b, "</w:tblGrid>");
    doc_reader rd;
    doc_rows_begin(&rd, t);
    for (size_t r = 0, n = doc_rows(t); r < n; r++) {
        const doc_row *row = doc_row_at(&rd, r);
        buf_puts(b, "<w:tr>");
        if (row->header)
            buf_puts(b, "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        else
            buf_puts(b, "<w:trPr><w:cantSplit/></w:trPr>");
        size_t col = 0;
        for (size_t k = 0; k < row->count && col < t->columns; k++) {
            const doc_cell *c = &row->cells[k];
            int w = 0;
            for (int s = 0; s < c->span && col + (size_t)s < t->columns; s++)
                w += column_width(t, col + (size_t)s);
            buf_fmt(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", w);
            if (c->span > 1)
                buf_fmt(b, "<w:gridSpan w:val=\"%d\"/>", c->span);
            if (row->header)
                buf_puts(b, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E8EEF4\"/>");
            buf_puts(b, "</w:tcPr>");
            const char *ppr = c->number ? "<w:spacing w:before=\"20\" w:after=\"20\"/><w:jc w:val=\"right\"/>"
                              : row->header && c->span > 1
                                  ? "<w:spacing w:before=\"20\" w:after=\"20\"/><w:jc w:val=\"center\"/>"
                                  : "<w:spacing w:before=\"20\" w:after=\"20\"/>";
            paragraph(b, a, NULL, ppr, c->text, row->header || row->total);
            buf_puts(b, "</w:tc>");
            col += (size_t)c->span;
        }
        /* a short row is filled up: Word wants every grid column covered */
        for (; col < t->columns; col++)
            buf_fmt(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/></w:tcPr><w:p/></w:tc>",
                    column_width(t, col));
        buf_puts(b, "</w:tr>");
    }
    doc_rows_done(&rd);
    buf_puts(b, "</w:tbl>");
    /* Word joins two tables that touch; a small paragraph keeps them apart */
    buf_puts(b, "<w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:p>");
}

static void document_xml(const doc *d, arena *a, buf *b)
{
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                "<w:document " W_NS " " R_NS "><w:body>");
    for (size_t i = 0; i < d->count; i++) {
        const doc_block *k = &d->blocks[i];
        switch (k->kind) {
        case DOC_HEADING:
            paragraph(b, a, k->level <= 0 ? "Title" : k->level == 1 ? "Heading1" : "Heading2", NULL, k->text, false);
            break;
        case DOC_PARAGRAPH:
            paragraph(b, a, NULL, NULL, k->text, false);
            break;
        case DOC_ITEM: {
            buf_puts(b, "<w:p><w:pPr><w:pStyle w:val=\"ListBullet\"/></w:pPr><w:r><w:t xml:space=\"preserve\">"
                        "\xe2\x80\xa2</w:t></w:r><w:r><w:tab/></w:r>");
            runs(b, a, k->text, false);
            buf_puts(b, "</w:p>");
            break;
        }
        case DOC_NOTE:
            paragraph(b, a, "FootnoteText", NULL, k->text, false);
            break;
        case DOC_MADE_NOTES: {
            doc_notes_reader rd;
            doc_notes_begin(&rd, k);
            for (const char *t; (t = doc_note_next(&rd));)
                paragraph(b, a, "FootnoteText", NULL, t, false);
            doc_notes_done(&rd);
            break;
        }
        case DOC_PAGE_BREAK:
            buf_puts(b, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
            break;
        case DOC_TABLE:
            table(b, a, k);
            break;
        }
    }
    buf_fmt(b, "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId2\"/><w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
               "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" w:header=\"567\" w:footer=\"567\" "
               "w:gutter=\"0\"/></w:sectPr></w:body></w:document>\n",
            PAGE_W, PAGE_H, MARGIN_Y, MARGIN_X, MARGIN_Y, MARGIN_X);
}

/* A field (PAGE, NUMPAGES) with the value a reader shows before it updates fields. */
static void field(buf *b, const char *instruction)
{
    buf_fmt(b, "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> %s "
               "</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r>"
               "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
            strcmp(instruction, "PAGE") == 0 ? "PAGE" : "NUMPAGES");
}

static void footer_xml(const doc *d, arena *a, buf *b)
{
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr " W_NS " " R_NS ">"
                "<w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>");
    runs(b, a, d->footer, false);
    buf_puts(b, "<w:r><w:tab/><w:t xml:space=\"preserve\">pagina </w:t></w:r>");
    field(b, "PAGE");
    buf_puts(b, "<w:r><w:t xml:space=\"preserve\"> van </w:t></w:r>");
    field(b, "NUMPAGES");
    buf_puts(b, "</w:p></w:ftr>\n");
}

static void core_xml(const doc *d, buf *b)
{
    buf_fmt(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
               "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/"
               "core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
               "<dc:title>%h</dc:title><dc:creator>somon</dc:creator><dc:language>nl-BE</dc:language>"
               "</cp:coreProperties>\n",
            d->title ? d->title : "");
}

typedef struct {
    const char *name;
    buf data;
} part;

/* A new empty temporary file's name in path (TMPDIR, else /tmp), or false. */
static bool temp_name(buf *path)
{
    const char *dir = getenv("TMPDIR");
    buf_puts(path, dir && *dir ? dir : "/tmp");
    buf_puts(path, "/somon-docx-XXXXXX");
    int fd = mkstemp(path->data);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

/* Appends the file at path to out and removes it: 0, or -1. */
static int append_file(const char *path, buf *out)
{
    FILE *f = fopen(path, "rb");
    unlink(path);
    if (!f)
        return -1;
    buf_add(out, "", 0);
    char chunk[1 << 14];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(out, chunk, got);
    int rc = ferror(f) ? -1 : 0;
    fclose(f);
    return rc;
}

/* Adds each part to a zip archive written to a temporary file, then appends
 * the archive to out (a part whose buf has a sink is read from that file).
 * Not built in memory: the answer's Word document is 6 MB on bench/'s
 * register, and the server held it there while compressing (issue 12). */
static int zip_parts(part *parts, size_t n, buf *out, buf *why)
{
    buf path = {0};
    int error = 0;
    zip_t *za = temp_name(&path) ? zip_open(path.data, ZIP_CREATE | ZIP_TRUNCATE, &error) : NULL;
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, error);
        const char *dir = getenv("TMPDIR");
        buf_printf(why, _("cannot make the Word document in a temporary file in %s (%s); set TMPDIR to a writable "
                          "folder"),
                   dir && *dir ? dir : "/tmp", error ? zip_error_strerror(&ze) : strerror(errno));
        zip_error_fini(&ze);
        if (path.len)
            unlink(path.data);
        buf_free(&path);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        /* a part written to a file (the document) is read from it; the source
         * closes the file */
        FILE *f = parts[i].data.sink;
        if (f) /* libzip reads from where the file stands when the start is 0 */
            rewind(f);
        zip_source_t *s = f ? zip_source_filep(za, f, 0, -1) : zip_source_buffer(za, parts[i].data.data, parts[i].data.len, 0);
        if (f && !s)
            fclose(f);
        parts[i].data.sink = NULL;
        zip_int64_t at = s ? zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) : -1;
        /* deflate's fastest level: the default spent two thirds of a large answer's
         * time compressing (1.0 of 1.9 s of CPU on the large register); the file
         * is about a third larger */
        if (at < 0 || zip_set_file_compression(za, (zip_uint64_t)at, ZIP_CM_DEFLATE, 1) < 0) {
            buf_printf(why, "cannot add %s to the Word document: %s", parts[i].name, zip_strerror(za));
            if (at < 0) /* once added, the archive owns it */
                zip_source_free(s);
            zip_discard(za);
            unlink(path.data);
            buf_free(&path);
            return -1;
        }
    }
    int rc = -1;
    if (zip_close(za) < 0) {
        buf_printf(why, "cannot write the Word document: %s", zip_strerror(za));
        zip_discard(za);
        unlink(path.data);
    } else if ((rc = append_file(path.data, out)) != 0) {
        buf_puts(why, _("cannot read the Word document back from its temporary file; check the free space of "
                        "TMPDIR (else /tmp)"));
    }
    buf_free(&path);
    return rc;
}

int docx_write(const doc *d, buf *out, buf *why)
{
    part parts[] = {{"[Content_Types].xml", {0}}, {"_rels/.rels", {0}},           {"word/document.xml", {0}},
                    {"word/_rels/document.xml.rels", {0}}, {"word/styles.xml", {0}}, {"word/footer1.xml", {0}},
                    {"docProps/core.xml", {0}}};
    enum { N = sizeof parts / sizeof *parts };
    buf_puts(&parts[0].data, CONTENT_TYPES);
    buf_puts(&parts[1].data, PACKAGE_RELS);
    /* the document itself can be tens of MB (the answer's annex on a large
     * register): it goes to a temporary file as it is written (issue 12) */
    FILE *body = tmpfile();
    if (body)
        buf_sink(&parts[2].data, body);
    document_xml(d, d->a, &parts[2].data);
    if (body && !buf_flush(&parts[2].data)) {
        fclose(body);
        buf_free(&parts[2].data);
        buf_puts(why, "cannot write the Word document's text to a temporary file");
        for (size_t i = 0; i < N; i++)
            buf_free(&parts[i].data);
        return -1;
    }
    buf_puts(&parts[3].data, DOCUMENT_RELS);
    buf_puts(&parts[4].data, STYLES);
    footer_xml(d, d->a, &parts[5].data);
    core_xml(d, &parts[6].data);
    int rc = zip_parts(parts, N, out, why);
    for (size_t i = 0; i < N; i++) {
        if (parts[i].data.sink) /* not handed to the archive (it failed before) */
            fclose(parts[i].data.sink);
        buf_free(&parts[i].data);
    }
    return rc;
}
