/* docx.h: a small document model (headings, paragraphs, bullet items, notes,
 * tables whose header cells may span columns, page breaks) and its Word
 * rendering: an Office Open XML document (.docx) written by hand, part by
 * part, and zipped in memory with libzip. No other DOCX library is involved.
 *
 * The document is A4 portrait with a footer on every page that carries the
 * document's footer text and "pagina X van Y" (Word fields PAGE and
 * NUMPAGES, which LibreOffice fills in too). Every text reaches the XML
 * through buf_fmt's %h (element text) or %a (attribute value): the register
 * holds only valid UTF-8 without control characters other than tab, line
 * feed and carriage return (input.h), so that escaping is all XML needs; a
 * line feed becomes a line break (<w:br/>), a tab a tab stop, and any other
 * control character that slipped past the input rules is dropped rather than
 * making a file Word refuses to open.
 *
 * Texts are not copied: the strings given to the builders must live as long
 * as the doc (the caller's arena, or literals). Blocks and rows come from
 * the doc's arena. */
#ifndef SOMON_DOCX_H
#define SOMON_DOCX_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"

typedef struct {
    const char *text;
    int span;    /* columns it covers, 1 or more */
    bool number; /* right-aligned */
} doc_cell;

typedef struct doc doc;

typedef struct {
    doc_cell *cells;
    size_t count, cap;
    bool header; /* bold, and repeated at the top of every page the table runs onto */
    bool total;  /* bold: the total row */
} doc_row;

typedef enum { DOC_HEADING, DOC_PARAGRAPH, DOC_ITEM, DOC_NOTE, DOC_TABLE, DOC_PAGE_BREAK, DOC_MADE_NOTES } doc_kind;

typedef struct {
    doc_kind kind;
    int level;        /* DOC_HEADING: 1 or 2 */
    const char *text; /* DOC_TABLE: its caption (a paragraph above it), or NULL */
    /* DOC_TABLE */
    size_t columns;
    const int *weights; /* relative column widths [columns], or NULL: equal */
    doc_row *rows;
    size_t row_count, row_cap;
    /* A long table's rows after the held ones, made one at a time when a
     * writer asks for them (doc_table_made_rows), so that a document with an
     * annex of 100,000 rows never holds them all (issue 12). */
    size_t made_count;
    void (*make_row)(const void *ctx, size_t r, doc *d, doc_row *out);
    const void *make_ctx;
    /* DOC_MADE_NOTES (doc_made_notes) */
    void (*first_note)(void *ctx);
    const char *(*next_note)(void *ctx, arena *a);
    void *notes_ctx;
} doc_block;

struct doc {
    arena *a;
    const char *title;  /* the document's title (its properties; not printed) */
    const char *footer; /* the text on every page before the page number */
    doc_block *blocks;
    size_t count, cap;
};

void doc_init(doc *d, arena *a, const char *title, const char *footer);
void doc_heading(doc *d, int level, const char *text);
void doc_paragraph(doc *d, const char *text);
void doc_item(doc *d, const char *text); /* a bullet item */
void doc_note(doc *d, const char *text); /* small print, e.g. the footnotes under a table */
void doc_page_break(doc *d);
/* A table of `columns` columns; weights as in doc_block. Returns the block,
 * valid until the next doc_* call that adds a block. */
doc_block *doc_table(doc *d, size_t columns, const int *weights, const char *caption);
doc_row *doc_table_row(doc *d, doc_block *t, bool header);
void doc_cell_add(doc *d, doc_row *r, const char *text, int span, bool number);
/* count more rows of t, after the held ones, made by make(ctx, r, d, out)
 * when a writer reaches them: r counts from 0, out is an empty row whose
 * cells and texts come from d (its arena is a scratch arena then, renewed as
 * the writer goes: the texts must not be kept). */
void doc_table_made_rows(doc_block *t, size_t count, void (*make)(const void *ctx, size_t r, doc *d, doc_row *out),
                         const void *ctx);

/* Notes, in place of this block, made one at a time when a writer reaches
 * them, so that a document is never held with all of them (the answer's
 * footnotes: 40,000 on bench/'s register, issue 12). A writer calls
 * first(ctx), then next(ctx, a) until it returns NULL; each text is written
 * as a doc_note's before the next is asked for. a is a scratch arena,
 * renewed as the writer goes: the texts must not be kept. */
void doc_made_notes(doc *d, void (*first)(void *ctx), const char *(*next)(void *ctx, arena *a), void *ctx);
typedef struct {
    const doc_block *b;
    arena *scratch;
} doc_notes_reader;
void doc_notes_begin(doc_notes_reader *rd, const doc_block *b);
const char *doc_note_next(doc_notes_reader *rd); /* valid until the next call; NULL: no more */
void doc_notes_done(doc_notes_reader *rd);

/* Reading a table's rows, held and made alike: doc_rows() of them, row r by
 * doc_row_at() (valid until the next call), in order; doc_rows_done() at the
 * end. */
typedef struct {
    const doc_block *t;
    doc scratch; /* a doc over a scratch arena for made rows */
    doc_row row;
    size_t made;
} doc_reader;
size_t doc_rows(const doc_block *t);
void doc_rows_begin(doc_reader *rd, const doc_block *t);
const doc_row *doc_row_at(doc_reader *rd, size_t r);
void doc_rows_done(doc_reader *rd);

/* The .docx file of d, appended to out. Returns 0, or -1 with a one-line
 * reason in why (libzip out of memory). */
int docx_write(const doc *d, buf *out, buf *why);

#endif
