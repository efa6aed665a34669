/* report.h: the coverage report (SPEC §4, the parliamentary table) and the
 * annex, computed from a register_view with the rules of rules.h and
 * rendered as text, CSV, JSON, Markdown, HTML or XLSX.
 *
 * Compute functions fill plain structs; render functions append to a buf (or,
 * for XLSX, write the workbook file at xlsx_path) and return 0, or -1 with a
 * one-line reason appended to the buf. */
#ifndef SOMON_REPORT_H
#define SOMON_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "date.h"
#include "rules.h"
#include "rules_footnotes.h"
#include "store.h"

typedef enum { FORMAT_TEXT, FORMAT_CSV, FORMAT_JSON, FORMAT_MD, FORMAT_HTML, FORMAT_XLSX } report_format;
bool report_format_parse(const char *name, report_format *out);

typedef struct {
    date_t date, prognosis;  /* prognosis DATE_NONE: not asked for */
    moment_t as_known_at;    /* MOMENT_NONE: the current state */
    rules_count municipalities[PROVINCE_ROWS], prognosis_municipalities[PROVINCE_ROWS];
    rules_count regions[PROVINCE_ROWS], prognosis_regions[PROVINCE_ROWS];
    /* The footnotes under the table (rules_footnotes.h) and the view they
     * name; NULL (compute leaves them so) renders none. */
    const footnote_list *footnotes;
    const register_view *view;
    const char *notice; /* the register notice of v (notice.h) or NULL: every format says it */
} coverage_report;

/* Returns 0, or -1 when memory runs out. */
int coverage_report_compute(const register_view *v, date_t d, date_t p, moment_t as_known_at, coverage_report *out);
/* The same from evaluations made already: on_d on d (BASIS_ACTUAL), on_p on
 * the prognosis (BASIS_PROGNOSIS) or NULL for none. The answer evaluates each
 * day once for the table, the annex and the footnotes (issue 12). */
void coverage_report_from(const register_view *v, const rules_coverage *on_d, const rules_coverage *on_p,
                          moment_t as_known_at, coverage_report *out);
/* Adds the footnotes to r when it has a prognosis (they explain it: SPEC §4,
 * docs/footnotes.md), from v and the outreach log of s known at v->known;
 * they live in a. Returns 0, or -1 with the reason appended to why. Every
 * format renders them but CSV, whose columns SPEC §4 fixes; XLSX puts them
 * on a second sheet. */
int coverage_report_footnotes(coverage_report *r, const register_view *v, store *s, arena *a, buf *why);
/* The footnotes as a table (the second sheet of the XLSX). */
struct table;
void coverage_footnotes_table(const coverage_report *r, arena *a, struct table *t);
int coverage_report_render(const coverage_report *r, report_format f, buf *b, const char *xlsx_path);
/* The report as a table with the CSV columns of SPEC §4 (what the CSV and
 * XLSX downloads of every interface contain). */
struct table;
void coverage_report_table(const coverage_report *r, arena *a, struct table *t);

/* The annex holds every municipality of the map valid on the date with its
 * links (90,000 and 150,000 of them on a large register). An item is the
 * municipality's index into the report's view with its states (16 bytes);
 * its links are not copied but found again, when asked for, in the links of
 * the evaluations the report keeps (rules_coverage, rules_unstarted), just as
 * the computation found them (annex_link_of). */
typedef struct {
    int municipality;    /* into view->municipalities (and the map) */
    uint32_t link_count; /* annex_link_of(r, m, 0 .. link_count - 1) */
    uint32_t covering;   /* where its own covering parties begin in coverage.links (a row is not a search) */
    signed char province; /* the view's, kept here for the order and the headings */
    unsigned char state;  /* cover_state */
    /* muni_state: covered, partial, signed_no_start or none (rules_muni_state,
     * without the pipeline) */
    unsigned char shown;
} annex_municipality;

typedef struct {
    date_t date;
    moment_t as_known_at;
    int province; /* -1: all five */
    annex_municipality *items; /* by province (table order), then name */
    size_t count;
    /* the evaluations on date the links are found in (coverage with
     * RULES_LINKS); the report's own, freed by annex_report_free */
    rules_coverage coverage;
    rules_unstarted unstarted;
    const register_view *view; /* the texts: the report never outlives its view */
    arena *arena;
    const char *notice; /* the register notice of the view (notice.h) or NULL */
} annex_report;

/* One link in texts, all pointing into the view. */
typedef struct {
    const char *agreement_id, *title;
    agreement_status status;
    date_t from, to;                 /* the party's interval */
    const char *via_nis, *via_name;  /* the former municipality it covers, or NULL */
    bool counted;                    /* false: signed without a start, named but not covering (from empty) */
    const char *decisions;           /* the council decisions of the municipality's party, or NULL */
} annex_link_text;

int annex_report_compute(const register_view *v, date_t d, int province, moment_t as_known_at, annex_report *out);
void annex_report_free(annex_report *r);
int annex_report_render(const annex_report *r, report_format f, buf *b, const char *xlsx_path);
/* The annex as a table; machine = CSV keys and values, else Dutch labels. */
void annex_report_table(const annex_report *r, bool machine, struct table *t);
/* The municipality of an item (NIS code, name, province). */
const view_municipality *annex_municipality_of(const annex_report *r, const annex_municipality *m);
/* Link k (< m->link_count) of an item, in texts: a walk over the links of
 * its identity (and its former municipalities'), cheap for the handful a
 * municipality has. */
annex_link_text annex_link_of(const annex_report *r, const annex_municipality *m, size_t k);
/* The rows of a table of items [first, first + count), one per link and
 * one for an item without: rows[j] is set to the first row of item first + j
 * and rows[count] to the total (rows has count + 1 entries; 4 bytes per
 * municipality rather than the item and link of each row). */
void annex_rows_index(const annex_report *r, size_t first, size_t count, uint32_t *rows);
/* Which item of such a table holds row n (< rows[count]): returns j (item
 * first + j) and sets *link to the link of the item on that row. */
size_t annex_row_item(const uint32_t *rows, size_t count, size_t n, size_t *link);

/* The agreements concluded in a period (signed_on from..to), per province
 * and municipality (report_concluded.c). */
typedef struct {
    size_t agreement; /* index into the view's agreements */
    const char *id;
    date_t signed_on;
    const char *nis, *name; /* the municipality party as named on its first day; NULL: no municipality party */
    int province;           /* the municipality's, else the agreement's VDAB directorate */
    date_t from, to;        /* the party's interval; from DATE_NONE: no start known */
} concluded_row;

typedef struct {
    date_t from, to;
    int province; /* -1: all five */
    moment_t as_known_at;
    const register_view *view;
    concluded_row *rows; /* by province (table order), municipality name, signed_on */
    size_t count;
    arena *arena;
    const char *notice; /* the register notice of the view (notice.h) or NULL */
} concluded_report;

int concluded_report_compute(const register_view *v, date_t from, date_t to, int province, moment_t as_known_at,
                             concluded_report *out);
void concluded_report_free(concluded_report *r);
int concluded_report_render(const concluded_report *r, report_format f, buf *b, const char *xlsx_path);
/* machine = CSV keys and values (status "signed"), else Dutch labels. */
struct table;
void concluded_report_table(const concluded_report *r, bool machine, struct table *t);

/* ---- tables, shared by the reports (report_table.c) ---- */
typedef enum { CELL_EMPTY, CELL_TEXT, CELL_INT, CELL_DATE, CELL_DECIMAL } cell_kind;

typedef struct {
    cell_kind kind;
    const char *text;
    long long number;
    date_t date;
    double decimal; /* CELL_DECIMAL: the value; text is how people read it ("61,3") */
} cell;

typedef struct table {
    const char *title;
    const char *const *keys;   /* CSV header: machine names */
    const char *const *labels; /* Dutch headers for people */
    size_t columns, rows, cap;
    cell *cells; /* rows × columns; streamed: the one row being filled */
    arena *arena;
    /* The register notice (notice.h) to say with the table, or NULL (issue
     * 13): the CSV for people ends in a row whose first cell is its
     * sentence, XLSX has it in a row under the table, Markdown in a line
     * after it, JSON as "register_notice", a whole HTML document
     * (table_render) in a paragraph. The machine CSV (table_csv) keeps the
     * columns of SPEC §4: the API says it in a header, the command line on
     * standard error. */
    const char *notice;
    struct table_writer *writer; /* streamed: where each row goes (table_stream) */
    bool pending;                /* streamed: cells hold a row not written yet */
} table;

void table_init(table *t, arena *a, const char *title, const char *const *keys, const char *const *labels,
                size_t columns);
cell *table_row(table *t); /* appends an empty row; returns its cells */
/* Room for this many rows at once (a table of known length grows once). */
void table_reserve(table *t, size_t rows);
cell cell_text(const char *s);
cell cell_int(long long n);
cell cell_percent(int pct); /* empty when pct < 0 */
cell cell_date(date_t d);
/* A number with a fraction: a number in spreadsheets, "%.10g" in CSV, and
 * as_text (e.g. with a decimal comma) on pages. */
cell cell_decimal(double v, const char *as_text);

void table_csv(const table *t, buf *b);
/* The CSV people download from the pages: Excel-ready in nl-BE (BOM, ';',
 * Dutch headers, 30/06/2023, decimal commas, CRLF). The API keeps table_csv. */
void table_csv_people(const table *t, buf *b);
/* {"title": …, "rows": [{key: value, …}]}: dates ISO, empty cells null. */
void table_json(const table *t, buf *b);
void table_markdown(const table *t, buf *b);
void table_html(const table *t, buf *b); /* a <table> with caption and real headers */
int table_xlsx(const table *t, const char *path, buf *why);
/* Several tables, one sheet each; names[i] the sheet's name (NULL: Excel's
 * default, "Sheet1" for the first). */
int tables_xlsx(const table *const *t, const char *const *names, size_t n, const char *path, buf *why);
/* As table_xlsx / tables_xlsx; streamed: rows go to a temporary file as they
 * are written (libxlsxwriter's constant_memory: memory does not grow with the
 * rows; strings are inline, not in xl/sharedStrings.xml). The web's downloads. */
int table_xlsx_streamed(const table *t, const char *path, buf *why);
int tables_xlsx_opt(const table *const *t, const char *const *names, size_t n, const char *path, bool streamed,
                    buf *why);
/* The register notice after a report's own rendering in format f: a line
 * of text (FORMAT_TEXT, FORMAT_MD), a paragraph (FORMAT_HTML, into the
 * body of the document); nothing for NULL or the other formats, whose
 * place is the table's (above) or the renderer's (a JSON field). */
void report_notice(buf *b, report_format f, const char *notice);
/* ",\n  \"register_notice\": \"…\"" for a JSON object being written; nothing for NULL. */
void report_notice_json(buf *b, const char *notice);
/* ---- downloads: rows written as they are made, never all held ----
 * A table with a writer keeps one row: the row a builder fills goes to the
 * writer when the next table_row() begins, or at table_end(), so a download
 * of 100,000 rows holds one row of cells (the strings its cells point to
 * still come from the arena). The bytes are those of table_csv,
 * table_csv_people and table_xlsx_streamed of the same rows. A builder that
 * streams must fill its rows in order and never look back at a row it has
 * left (the cells are reused); the row count (rows) stays right. */
typedef struct table_writer table_writer;
/* CSV into b (people: the nl-BE dialect of table_csv_people); b should have a
 * sink (buf_sink), or the bytes pile up in memory all the same. */
table_writer *table_writer_csv(arena *a, buf *b, bool people);
/* An XLSX workbook at path (constant_memory, as table_xlsx_streamed); NULL
 * with the reason in why. */
table_writer *table_writer_xlsx(arena *a, const char *path, buf *why);
/* Streams t (initialised; rows it holds already are written at once) into w:
 * its header now, each further row as it is left. */
void table_stream(table *t, table_writer *w);
/* The next table_init() on this thread streams into w (so a builder shared
 * with the command line streams without knowing it). */
void table_stream_next(table_writer *w);
/* The end of a streamed table, the one place for a trailing row (add it with
 * table_row() before): writes the last row and, for XLSX, closes the workbook
 * at path. Returns 0, or -1 with the reason in why. A table without a writer:
 * 0, nothing done. Afterwards t has no rows and no writer. */
int table_end(table *t, const char *path, buf *why);
/* Gives up a writer whose table never ended (an error answered instead):
 * unarms it and closes its workbook. */
void table_writer_discard(table_writer *w);
/* A whole HTML document around body (already escaped markup). */
void html_document(buf *b, const char *title, const buf *body);
/* A report table in format f (text as Markdown; HTML a whole document;
 * XLSX written to xlsx_path). Returns 0, or -1 with the reason in b. */
int table_render(const table *t, report_format f, buf *b, const char *xlsx_path);

#endif
