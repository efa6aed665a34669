/* sheet.c: see sheet.h.
 * Both readers collect the non-empty cells as (row, column, text) and build the
 * grid of the used range once the sheet is read, so that a far-away cell ("XFD1048576")
 * costs one entry, and the grid is refused before it is allocated when the range
 * holds more than SHEET_MAX_CELLS cells. */
#define _POSIX_C_SOURCE 200809L
#include "sheet.h"

#include <csv.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "i18n.h"

typedef struct {
    uint32_t row, col;
    const char *text;
} loose_cell;

/* A sheet being read. */
typedef struct {
    arena *a;
    const char *name;
    loose_cell *cells;
    size_t count, cap;
} sheet_builder;

/* Everything one sheet_read() shares: the first error wins. */
typedef struct {
    arena *a;
    const char *error;
    size_t cells;      /* non-empty cells read, every sheet together */
    size_t grid_cells; /* cells of the grids built so far */
} sheet_reader;

static void fail(sheet_reader *r, const char *message)
{
    if (!r->error)
        r->error = message;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0: no overlong forms,
 * no surrogates, nothing above U+10FFFF. */
static size_t utf8_step(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (!len || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] > 0x8F))
        return 0;
    return len;
}

static bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t step = utf8_step(p + i, n - i);
        if (!step)
            return false;
        i += step;
    }
    return true;
}

/* Column letters as a spreadsheet shows them: 0 is A, 26 is AA. */
static void column_letters(size_t col, char out[8])
{
    char rev[8];
    size_t n = 0;
    col++;
    while (col && n < 7) {
        rev[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
}

/* Records the text of one cell; an empty text is an empty cell. */
static void add_cell(sheet_reader *r, sheet_builder *b, size_t row, size_t col, const char *text)
{
    if (!text || !*text || r->error)
        return;
    if (++r->cells > SHEET_MAX_CELLS) {
        fail(r, arena_printf(r->a, _("the file has more than %u filled cells; split it into smaller files"),
                             SHEET_MAX_CELLS));
        return;
    }
    b->cells = arena_grow(r->a, b->cells, &b->cap, b->count + 1, sizeof *b->cells);
    b->cells[b->count++] = (loose_cell){(uint32_t)row, (uint32_t)col, text};
}

/* The grid of the used range, from A1 to the last filled row and column. */
static int build_grid(sheet_reader *r, sheet_builder *b, sheet *out)
{
    size_t rows = 0, cols = 0;
    for (size_t i = 0; i < b->count; i++) {
        if (b->cells[i].row + 1u > rows)
            rows = b->cells[i].row + 1u;
        if (b->cells[i].col + 1u > cols)
            cols = b->cells[i].col + 1u;
    }
    *out = (sheet){b->name, rows, cols, NULL};
    if (rows && (cols > (SHEET_MAX_CELLS - r->grid_cells) / rows)) {
        char last[8];
        column_letters(cols - 1, last);
        fail(r, arena_printf(r->a,
                             _("sheet '%s' uses the range A1:%s%zu, more than %u cells; delete the rows and "
                               "columns outside the table"),
                             arena_clip(r->a, b->name, 60), last, rows, SHEET_MAX_CELLS));
        return -1;
    }
    r->grid_cells += rows * cols;
    out->cells = arena_calloc(r->a, rows * cols > 0 ? rows * cols : 1, sizeof *out->cells);
    for (size_t i = 0; i < b->count; i++)
        out->cells[(size_t)b->cells[i].row * cols + b->cells[i].col] = b->cells[i].text;
    return 0;
}

/* ---- CSV ---- */

typedef struct {
    sheet_reader *r;
    sheet_builder b;
    size_t row, col; /* of the next field, from 0 */
    int last_end;    /* the character that ended the last row */
} csv_state;

static void csv_field(void *s, size_t len, void *data)
{
    csv_state *c = data;
    sheet_reader *r = c->r;
    if (r->error)
        return;
    if (s && len) {
        if (memchr(s, '\0', len))
            fail(r, arena_printf(r->a, _("%s: row %zu holds a NUL byte; save the file as CSV text (UTF-8)"),
                                 arena_clip(r->a, c->b.name, 60), c->row + 1));
        else if (!utf8_valid(s, len))
            fail(r, arena_printf(r->a,
                                 _("%s: row %zu is not UTF-8 text; save the file as \"CSV UTF-8\" (Excel) or "
                                   "as CSV with the character set UTF-8"),
                                 arena_clip(r->a, c->b.name, 60), c->row + 1));
        else
            add_cell(r, &c->b, c->row, c->col, arena_strndup(r->a, s, len));
    }
    c->col++;
}

static void csv_row(int ch, void *data)
{
    (void)ch;
    csv_state *c = data;
    /* CSV_REPALL_NL reports every line end, so that a blank line keeps its row number;
     * the LF of a CRLF is the same line end as its CR. */
    if (ch == '\n' && c->last_end == '\r' && c->col == 0) {
        c->last_end = 0;
        return;
    }
    c->last_end = ch;
    c->row++;
    c->col = 0;
}

/* ';' when the first line holds more semicolons than commas outside quotes (Excel in
 * nl-BE), else ','. */
static unsigned char csv_separator(const unsigned char *data, size_t len)
{
    size_t commas = 0, semicolons = 0;
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '"')
            quoted = !quoted;
        else if (!quoted && (data[i] == '\n' || data[i] == '\r'))
            break;
        else if (!quoted && data[i] == ',')
            commas++;
        else if (!quoted && data[i] == ';')
            semicolons++;
    }
    return semicolons > commas ? ';' : ',';
}

/* The file's name without folder and extension names the sheet. */
static const char *csv_sheet_name(arena *a, const char *filename)
{
    const char *base = filename ? strrchr(filename, '/') : NULL;
    base = base ? base + 1 : filename ? filename : "";
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    const char *name = arena_strndup(a, base, n);
    return *name && utf8_valid(name, n) ? name : "CSV";
}

static int csv_read(sheet_reader *r, const char *filename, const unsigned char *data, size_t len, sheet_book *out)
{
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    csv_state c = {r, {r->a, csv_sheet_name(r->a, filename), NULL, 0, 0}, 0, 0, 0};
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL | CSV_REPALL_NL) != 0) {
        fail(r, _("out of memory reading the CSV file"));
        return -1;
    }
    csv_set_delim(&p, csv_separator(data, len));
    if (csv_parse(&p, data, len, csv_field, csv_row, &c) != len || csv_fini(&p, csv_field, csv_row, &c) != 0)
        fail(r, arena_printf(r->a, _("%s: row %zu: %s; fix the quoting (a field that holds a quote or a "
                                     "separator is put between double quotes, a quote in it doubled)"),
                             arena_clip(r->a, c.b.name, 60), c.row + 1, csv_strerror(csv_error(&p))));
    csv_free(&p);
    if (r->error)
        return -1;
    out->sheets = arena_calloc(r->a, 1, sizeof *out->sheets);
    out->count = 1;
    return build_grid(r, &c.b, &out->sheets[0]);
}

/* ---- XLSX ---- */

static int xlsx_read(sheet_reader *r, const unsigned char *data, size_t len, sheet_book *out)
{
    (void)data;
    (void)len;
    (void)out;
    fail(r, _("reading .xlsx files is not available yet; save the sheet as CSV"));
    return -1;
}

/* ---- the interface ---- */

int sheet_read(arena *a, const char *filename, const unsigned char *data, size_t len, sheet_book *out,
               const char **error)
{
    sheet_reader r = {a, NULL, 0, 0};
    *out = (sheet_book){NULL, 0};
    *error = NULL;
    if (len > SHEET_MAX_FILE_BYTES) {
        *error = arena_printf(a, _("the file has %zu bytes, more than %u; split it into smaller files"), len,
                              SHEET_MAX_FILE_BYTES);
        return -1;
    }
    int rc;
    if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
        rc = xlsx_read(&r, data, len, out);
    else if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        fail(&r, _("this is an .xls workbook (Excel 97-2003) or a workbook protected with a password; "
                   "save it without password as .xlsx (Excel workbook) or as CSV"));
        rc = -1;
    } else
        rc = csv_read(&r, filename, data, len, out);
    if (rc || r.error) {
        *out = (sheet_book){NULL, 0};
        *error = r.error ? r.error : _("the file could not be read");
        return -1;
    }
    return 0;
}

const char *sheet_cell(const sheet *s, size_t row, size_t col)
{
    if (!s || row >= s->rows || col >= s->cols)
        return NULL;
    return s->cells[row * s->cols + col];
}

const char *sheet_cell_name(arena *a, const sheet *s, size_t row, size_t col)
{
    char letters[8];
    column_letters(col, letters);
    return arena_printf(a, "%s!%s%zu", s && s->name ? s->name : "", letters, row + 1);
}
