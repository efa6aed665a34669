/* report_table.c: one table model, its renderings. CSV keeps machine names
 * and ISO dates, except the CSV for people (table_csv_people); Markdown, HTML
 * and XLSX speak Dutch (nl-BE dates); XLSX keeps numbers as numbers and dates
 * as dates. */
#include "report.h"

#include <stdlib.h>
#include "notice.h"
#include <string.h>
#include <xlsxwriter.h>

/* "61.3" as nl-BE writes it: "61,3" (in place; program-made digits only). */
static char *decimal_comma(char *digits)
{
    char *dot = strchr(digits, '.');
    if (dot)
        *dot = ',';
    return digits;
}

/* A table whose rows go out as they are made (a download): the writer and
 * the one row it keeps. The row a builder fills is written when it begins
 * the next one, or at table_end(). */
struct table_writer {
    buf *csv;         /* CSV: the response body (with a sink), or NULL */
    bool people;      /* CSV for people (table_csv_people) */
    lxw_workbook *wb; /* XLSX: the workbook being written, or NULL */
    lxw_worksheet *ws;
    lxw_format *bold, *datefmt;
    size_t written;   /* rows written out */
};

static _Thread_local table_writer *armed; /* table_stream_next() */

static void write_header(const table *t, table_writer *w);
static void write_row(const table *t, table_writer *w, const cell *row);

void table_init(table *t, arena *a, const char *title, const char *const *keys, const char *const *labels,
                size_t columns)
{
    *t = (table){title, keys, labels, columns, 0, 0, NULL, a, NULL, NULL, false};
    if (armed) {
        table_writer *w = armed;
        armed = NULL;
        table_stream(t, w);
    }
}

void table_stream_next(table_writer *w) { armed = w; }

void table_stream(table *t, table_writer *w)
{
    write_header(t, w);
    for (size_t r = 0; r < t->rows; r++) /* a table built before: every row now */
        write_row(t, w, t->cells + r * t->columns);
    t->writer = w;
    t->pending = false;
}

void table_reserve(table *t, size_t rows)
{
    if (t->writer) /* one row at a time */
        return;
    size_t cap = t->cap;
    if (rows * t->columns > cap)
        t->cells = arena_grow(t->arena, t->cells, &cap, rows * t->columns, sizeof *t->cells);
    t->cap = cap;
}

cell *table_row(table *t)
{
    if (t->writer) { /* the row before goes out; its cells are reused */
        if (t->pending)
            write_row(t, t->writer, t->cells);
        else if (!t->cells)
            t->cells = arena_calloc(t->arena, t->columns + 1, sizeof *t->cells);
        t->pending = true;
        t->rows++;
        memset(t->cells, 0, t->columns * sizeof *t->cells);
        return t->cells;
    }
    size_t cap = t->cap;
    t->cells = arena_grow(t->arena, t->cells, &cap, (t->rows + 1) * t->columns, sizeof *t->cells);
    t->cap = cap;
    cell *row = t->cells + t->rows++ * t->columns;
    memset(row, 0, t->columns * sizeof *row);
    return row;
}

cell cell_text(const char *s) { return (cell){s ? CELL_TEXT : CELL_EMPTY, s, 0, DATE_NONE, 0}; }
cell cell_int(long long n) { return (cell){CELL_INT, NULL, n, DATE_NONE, 0}; }
cell cell_percent(int pct) { return pct < 0 ? (cell){CELL_EMPTY, NULL, 0, DATE_NONE, 0} : cell_int(pct); }
cell cell_date(date_t d)
{
    return d == DATE_NONE ? (cell){CELL_EMPTY, NULL, 0, DATE_NONE, 0} : (cell){CELL_DATE, NULL, 0, d, 0};
}
cell cell_decimal(double v, const char *as_text) { return (cell){CELL_DECIMAL, as_text, 0, DATE_NONE, v}; }

static const cell *at(const table *t, size_t row, size_t col) { return &t->cells[row * t->columns + col]; }

/* The cell as text: ISO dates for machines, nl-BE dates for people. */
static const char *cell_string(const cell *c, bool iso, char *tmp, size_t n)
{
    switch (c->kind) {
    case CELL_TEXT: return c->text;
    case CELL_INT: snprintf(tmp, n, "%lld", c->number); return tmp;
    case CELL_DATE: return iso ? date_format_iso(c->date, tmp) : date_format_nl(c->date, tmp);
    case CELL_DECIMAL:
        if (iso || !c->text)
            snprintf(tmp, n, "%.10g", c->decimal);
        return iso || !c->text ? tmp : c->text;
    default: return "";
    }
}

/* The CSV for people ends in the register notice: a last row whose first
 * cell is its sentence (the other cells empty, so every row keeps the
 * columns). */
static void csv_notice_row(const table *t, buf *b)
{
    if (!t->notice)
        return;
    buf_csv_text(b, register_notice_sentence(t->notice));
    for (size_t c = 1; c < t->columns; c++)
        buf_putc(b, ';');
    buf_puts(b, "\r\n");
}

void report_notice(buf *b, report_format f, const char *notice)
{
    if (!notice)
        return;
    if (f == FORMAT_TEXT || f == FORMAT_MD)
        buf_printf(b, "\n%s\n", register_notice_sentence(notice));
    else if (f == FORMAT_HTML)
        buf_fmt(b, "<p class=\"register-notice\"><strong>%h</strong></p>\n", register_notice_sentence(notice));
}

void report_notice_json(buf *b, const char *notice)
{
    if (notice)
        buf_fmt(b, ",\n  \"register_notice\": %j", notice);
}

/* One writer, two dialects: machines get the keys, ',' and ISO dates (SPEC §4);
 * people get what Excel in nl-BE opens by a double click: a BOM (else Excel
 * reads UTF-8 as ANSI), ';' (the list separator of nl-BE), the Dutch headers,
 * dates as 30/06/2023 and decimal commas, and CRLF line ends. */
static void csv_header(const table *t, buf *b, bool people)
{
    char sep = people ? ';' : ',';
    if (people)
        buf_puts(b, "\xEF\xBB\xBF");
    for (size_t c = 0; c < t->columns; c++) {
        if (c)
            buf_putc(b, sep);
        buf_csv_text(b, people && t->labels ? t->labels[c] : t->keys[c]);
    }
    buf_puts(b, people ? "\r\n" : "\n");
}

static void csv_row(const table *t, const cell *row, buf *b, bool people)
{
    char tmp[32];
    char sep = people ? ';' : ',';
    for (size_t c = 0; c < t->columns; c++) {
        if (c)
            buf_putc(b, sep);
        const cell *x = &row[c];
        if (x->kind == CELL_TEXT)
            buf_csv_text(b, x->text);
        else if (people && x->kind == CELL_DECIMAL && !x->text) {
            cell_string(x, true, tmp, sizeof tmp);
            buf_puts(b, decimal_comma(tmp));
        }
        else
            buf_puts(b, cell_string(x, !people, tmp, sizeof tmp));
    }
    buf_puts(b, people ? "\r\n" : "\n");
}

static void csv_write(const table *t, buf *b, bool people)
{
    csv_header(t, b, people);
    for (size_t r = 0; r < t->rows; r++)
        csv_row(t, t->cells + r * t->columns, b, people);
    if (people)
        csv_notice_row(t, b);
}

void table_csv(const table *t, buf *b) { csv_write(t, b, false); }
void table_csv_people(const table *t, buf *b) { csv_write(t, b, true); }

void table_json(const table *t, buf *b)
{
    char tmp[32];
    buf_fmt(b, "{\n  \"title\": %j", t->title);
    report_notice_json(b, t->notice);
    buf_puts(b, ",\n  \"rows\": [");
    for (size_t r = 0; r < t->rows; r++) {
        buf_puts(b, r ? ",\n    {" : "\n    {");
        for (size_t c = 0; c < t->columns; c++) {
            const cell *x = at(t, r, c);
            buf_fmt(b, "%s%j: ", c ? ", " : "", t->keys[c]);
            if (x->kind == CELL_EMPTY || (x->kind == CELL_DATE && x->date == DATE_NONE))
                buf_puts(b, "null");
            else if (x->kind == CELL_INT || x->kind == CELL_DECIMAL)
                buf_puts(b, cell_string(x, true, tmp, sizeof tmp)); /* program-made digits */
            else
                buf_fmt(b, "%j", cell_string(x, true, tmp, sizeof tmp));
        }
        buf_putc(b, '}');
    }
    buf_puts(b, t->rows ? "\n  ]\n}\n" : "]\n}\n");
}

/* Markdown cells: pipes escaped, line breaks folded. */
static void md_cell(buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            buf_puts(b, "\\|");
        else if (*s == '\n' || *s == '\r')
            buf_putc(b, ' ');
        else
            buf_putc(b, *s);
    }
}

void table_markdown(const table *t, buf *b)
{
    char tmp[32];
    if (t->title)
        buf_printf(b, "**%s**\n\n", t->title);
    buf_puts(b, "|");
    for (size_t c = 0; c < t->columns; c++) {
        buf_putc(b, ' ');
        md_cell(b, t->labels[c]);
        buf_puts(b, " |");
    }
    buf_puts(b, "\n|");
    for (size_t c = 0; c < t->columns; c++)
        buf_puts(b, t->rows && at(t, 0, c)->kind == CELL_INT ? " ---: |" : " --- |");
    buf_putc(b, '\n');
    for (size_t r = 0; r < t->rows; r++) {
        buf_puts(b, "|");
        for (size_t c = 0; c < t->columns; c++) {
            buf_putc(b, ' ');
            md_cell(b, cell_string(at(t, r, c), false, tmp, sizeof tmp));
            buf_puts(b, " |");
        }
        buf_putc(b, '\n');
    }
    report_notice(b, FORMAT_MD, t->notice);
}

void table_html(const table *t, buf *b)
{
    char tmp[32];
    buf_puts(b, "<table>\n");
    if (t->title)
        buf_fmt(b, "<caption>%h</caption>\n", t->title);
    buf_puts(b, "<thead><tr>");
    for (size_t c = 0; c < t->columns; c++)
        buf_fmt(b, "<th scope=\"col\">%h</th>", t->labels[c]);
    buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < t->rows; r++) {
        buf_puts(b, "<tr>");
        for (size_t c = 0; c < t->columns; c++) {
            const cell *x = at(t, r, c);
            const char *s = cell_string(x, false, tmp, sizeof tmp);
            if (c == 0)
                buf_fmt(b, "<th scope=\"row\">%h</th>", s);
            else if (x->kind == CELL_INT || x->kind == CELL_DECIMAL)
                buf_fmt(b, "<td class=\"num\">%h</td>", s);
            else
                buf_fmt(b, "<td>%h</td>", s);
        }
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody>\n</table>\n");
}

void html_document(buf *b, const char *title, const buf *body)
{
    buf_fmt(b,
            "<!DOCTYPE html>\n<html lang=\"nl-BE\">\n<head>\n<meta charset=\"utf-8\">\n<title>%h</title>\n"
            "<style>body{font-family:sans-serif;margin:2rem;color:#1a1a1a}table{border-collapse:collapse}"
            "th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:left}td.num{text-align:right}"
            "caption{font-weight:bold;text-align:left;margin-bottom:.5rem}</style>\n</head>\n<body>\n<h1>%h</h1>\n",
            title, title);
    if (body->len)
        buf_add(b, body->data, body->len);
    buf_puts(b, "</body>\n</html>\n");
}

/* Excel counts days from 1899-12-30 (its 1900 leap-year bug included). */
static double excel_serial(date_t d) { return (double)(d - date_from_ymd(1899, 12, 30)); }

/* The register notice in a row under the table, one empty row between. */
static void xlsx_notice_row(lxw_worksheet *ws, const table *t, lxw_row_t row)
{
    if (t->notice)
        worksheet_write_string(ws, row, 0, register_notice_sentence(t->notice), NULL);
}

static void xlsx_header(lxw_worksheet *ws, const table *t, lxw_format *bold)
{
    for (size_t c = 0; c < t->columns; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, t->labels[c], bold);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, c == 0 ? 22 : 14, NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
}

/* Row r of the sheet (0 is the header). */
static void xlsx_row(lxw_worksheet *ws, const table *t, size_t r, const cell *cells, lxw_format *datefmt)
{
    for (size_t c = 0; c < t->columns; c++) {
        const cell *x = &cells[c];
        lxw_row_t row = (lxw_row_t)r;
        lxw_col_t col = (lxw_col_t)c;
        /* strings are written as strings, never as formulas (CWE-1236) */
        if (x->kind == CELL_TEXT)
            worksheet_write_string(ws, row, col, x->text, NULL);
        else if (x->kind == CELL_INT)
            worksheet_write_number(ws, row, col, (double)x->number, NULL);
        else if (x->kind == CELL_DECIMAL)
            worksheet_write_number(ws, row, col, x->decimal, NULL);
        else if (x->kind == CELL_DATE)
            worksheet_write_number(ws, row, col, excel_serial(x->date), datefmt);
    }
}

static void sheet_xlsx(lxw_worksheet *ws, const table *t, lxw_format *bold, lxw_format *datefmt)
{
    xlsx_header(ws, t, bold);
    for (size_t r = 0; r < t->rows; r++)
        xlsx_row(ws, t, r + 1, at(t, r, 0), datefmt);
    xlsx_notice_row(ws, t, (lxw_row_t)(t->rows + 2));
}

int table_xlsx(const table *t, const char *path, buf *why) { return tables_xlsx(&t, NULL, 1, path, why); }

int tables_xlsx(const table *const *t, const char *const *names, size_t n, const char *path, buf *why)
{
    return tables_xlsx_opt(t, names, n, path, false, why);
}

int table_xlsx_streamed(const table *t, const char *path, buf *why) { return tables_xlsx_opt(&t, NULL, 1, path, true, why); }

/* streamed: libxlsxwriter's constant_memory, each row goes to a temporary
 * file as written (rows are written in order), strings inline */
static lxw_workbook *workbook_open(const char *path, bool streamed, lxw_format **bold, lxw_format **datefmt, buf *why)
{
    const char *dir = getenv("TMPDIR");
    lxw_workbook_options options = {.constant_memory = streamed ? LXW_TRUE : LXW_FALSE,
                                    .tmpdir = streamed && dir && *dir ? (char *)dir : NULL};
    lxw_workbook *wb = workbook_new_opt(path, &options);
    if (!wb) {
        buf_printf(why, "cannot create %s; check the folder exists and is writable", path);
        return NULL;
    }
    *bold = workbook_add_format(wb);
    format_set_bold(*bold);
    *datefmt = workbook_add_format(wb);
    format_set_num_format(*datefmt, "dd/mm/yyyy");
    return wb;
}

static int workbook_done(lxw_workbook *wb, const char *path, buf *why)
{
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        buf_printf(why, "cannot write %s: %s", path, lxw_strerror(e));
        return -1;
    }
    return 0;
}

int tables_xlsx_opt(const table *const *t, const char *const *names, size_t n, const char *path, bool streamed,
                    buf *why)
{
    lxw_format *bold, *datefmt;
    lxw_workbook *wb = workbook_open(path, streamed, &bold, &datefmt, why);
    if (!wb)
        return -1;
    for (size_t i = 0; i < n; i++)
        sheet_xlsx(workbook_add_worksheet(wb, names ? names[i] : NULL), t[i], bold, datefmt);
    return workbook_done(wb, path, why);
}

/* ---- streaming ---- */

table_writer *table_writer_csv(arena *a, buf *b, bool people)
{
    table_writer *w = arena_calloc(a, 1, sizeof *w);
    w->csv = b;
    w->people = people;
    return w;
}

table_writer *table_writer_xlsx(arena *a, const char *path, buf *why)
{
    table_writer *w = arena_calloc(a, 1, sizeof *w);
    w->wb = workbook_open(path, true, &w->bold, &w->datefmt, why);
    if (!w->wb)
        return NULL;
    w->ws = workbook_add_worksheet(w->wb, NULL);
    return w;
}

static void write_header(const table *t, table_writer *w)
{
    if (w->csv)
        csv_header(t, w->csv, w->people);
    else
        xlsx_header(w->ws, t, w->bold);
}

static void write_row(const table *t, table_writer *w, const cell *row)
{
    if (w->csv)
        csv_row(t, row, w->csv, w->people);
    else
        xlsx_row(w->ws, t, w->written + 1, row, w->datefmt);
    w->written++;
}

int table_end(table *t, const char *path, buf *why)
{
    table_writer *w = t->writer;
    if (!w)
        return 0;
    if (t->pending)
        write_row(t, w, t->cells);
    if (t->notice && w->csv && w->people) /* the register notice, as table_csv_people and sheet_xlsx end */
        csv_notice_row(t, w->csv);
    else if (t->notice && w->ws)
        xlsx_notice_row(w->ws, t, (lxw_row_t)(w->written + 2));
    t->pending = false;
    t->writer = NULL;
    t->rows = 0; /* the rows are gone: written */
    if (!w->wb)
        return 0;
    lxw_workbook *wb = w->wb;
    w->wb = NULL;
    return workbook_done(wb, path, why);
}

void table_writer_discard(table_writer *w)
{
    if (armed == w)
        armed = NULL;
    if (w && w->wb) /* libxlsxwriter frees a workbook only by closing it */
        workbook_close(w->wb);
    if (w)
        w->wb = NULL;
}

int table_render(const table *t, report_format f, buf *b, const char *xlsx_path)
{
    switch (f) {
    case FORMAT_TEXT:
    case FORMAT_MD:
        table_markdown(t, b);
        return 0;
    case FORMAT_JSON:
        table_json(t, b);
        return 0;
    case FORMAT_CSV:
        table_csv(t, b);
        return 0;
    case FORMAT_XLSX:
        return table_xlsx(t, xlsx_path, b);
    case FORMAT_HTML: {
        buf body = {0};
        table_html(t, &body);
        report_notice(&body, FORMAT_HTML, t->notice);
        html_document(b, t->title, &body);
        buf_free(&body);
        return 0;
    }
    }
    return 0;
}

bool report_format_parse(const char *name, report_format *out)
{
    static const char *const names[] = {"text", "csv", "json", "md", "html", "xlsx"};
    for (int i = 0; i < 6; i++)
        if (name && strcmp(name, names[i]) == 0) {
            *out = (report_format)i;
            return true;
        }
    return false;
}
