/* sheet.c: see sheet.h.
 * Both readers collect the non-empty cells as (row, column, text) and build the
 * grid of the used range once the sheet is read, so that a far-away cell ("XFD1048576")
 * costs one entry, and the grid is refused before it is allocated when the range
 * holds more than SHEET_MAX_CELLS cells. */
#define _POSIX_C_SOURCE 200809L
#include "sheet.h"

#include <csv.h>
#include <expat.h>
#include <zip.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "date.h"
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
    if (len >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 || memcmp(data, "\xFE\xFF", 2) == 0)) {
        fail(r, _("this text file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" (Excel) or as CSV with "
                  "the character set UTF-8"));
        return -1;
    }
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
    /* "sep=;" on the first line names the separator for Excel, which then does not
     * show that line: neither does the reader, so row numbers stay Excel's. */
    unsigned char separator;
    if (len >= 6 && memcmp(data, "sep=", 4) == 0 && (data[5] == '\n' || data[5] == '\r') && data[4] != '"') {
        separator = data[4];
        size_t skip = 6 + (data[5] == '\r' && len > 6 && data[6] == '\n');
        data += skip;
        len -= skip;
    } else {
        separator = csv_separator(data, len);
    }
    csv_set_delim(&p, separator);
    if (csv_parse(&p, data, len, csv_field, csv_row, &c) != len || csv_fini(&p, csv_field, csv_row, &c) != 0)
        fail(r, csv_error(&p) == CSV_EPARSE
                    ? arena_printf(r->a, _("%s: row %zu: a double quote in the wrong place; fix the quoting (a field "
                                           "that holds a quote or a separator is put between double quotes, a "
                                           "quote in it doubled)"),
                                   arena_clip(r->a, c.b.name, 60), c.row + 1)
                    : _("out of memory reading the CSV file"));
    csv_free(&p);
    if (r->error)
        return -1;
    out->sheets = arena_calloc(r->a, 1, sizeof *out->sheets);
    out->count = 1;
    return build_grid(r, &c.b, &out->sheets[0]);
}

/* ---- XLSX ---- */

/* A growing text (a cell's value, a shared string), reused from cell to cell. */
typedef struct {
    char *data;
    size_t len, cap;
    bool on; /* character data is being collected */
} text_buf;

typedef struct {
    sheet_reader *r;
    zip_t *za;
    size_t unpacked; /* bytes inflated so far, every part together */
    unsigned char *chunk;
    bool date1904;
    const char **strings; /* the shared strings */
    size_t string_count, string_cap;
    bool *date_style; /* of each cell format (cellXfs), true when it shows a date */
    size_t style_count, style_cap;
} xlsx;

/* What every part's handlers share; each handler context starts with it. */
typedef struct {
    xlsx *x;
    XML_Parser p;
    const char *part;
} xml_base;

enum { XLSX_CHUNK = 1 << 16, XLSX_MAX_STYLES = 65536, XLSX_MAX_NUMFMT_ID = 65536, XLSX_MAX_ROWS = 1048576,
       XLSX_MAX_COLS = 16384, XLSX_MAX_RELS = 4096 };

static void xml_fail(xml_base *b, const char *message)
{
    fail(b->x->r, message);
    XML_StopParser(b->p, XML_FALSE);
}

/* The name without its namespace (expat gives "uri|local"). */
static const char *local_name(const char *name)
{
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

/* The attribute whose local name is name, whatever its namespace ("r:id" is "id"). */
static const char *attr(const char **attrs, const char *name)
{
    for (size_t i = 0; attrs[i]; i += 2)
        if (strcmp(local_name(attrs[i]), name) == 0)
            return attrs[i + 1];
    return NULL;
}

static void text_append(xml_base *b, text_buf *t, const char *s, int len)
{
    if (!t->on || len <= 0 || b->x->r->error)
        return;
    if (t->len + (size_t)len > SHEET_MAX_CELL_BYTES) {
        xml_fail(b, arena_printf(b->x->r->a, _("%s: a text longer than %u bytes; shorten it"), b->part,
                                 SHEET_MAX_CELL_BYTES));
        return;
    }
    t->data = arena_grow(b->x->r->a, t->data, &t->cap, t->len + (size_t)len + 1, 1);
    memcpy(t->data + t->len, s, (size_t)len);
    t->len += (size_t)len;
    t->data[t->len] = '\0';
}

static void text_start(text_buf *t)
{
    t->on = true;
    t->len = 0;
    if (t->data)
        t->data[0] = '\0';
}

static const char *text_value(arena *a, const text_buf *t)
{
    return t->len ? arena_strndup(a, t->data, t->len) : NULL;
}

static int hex_digit(char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* A text as SpreadsheetML stores it, with "_xHHHH_" for a character XML cannot
 * hold (Excel writes a carriage return as _x000D_, and "_x" typed as _x005F_x):
 * decoded, except NUL and surrogates, which stay as written. NULL when empty. */
static const char *ooxml_text(arena *a, const text_buf *t)
{
    if (!t->len)
        return NULL;
    if (!memchr(t->data, '_', t->len))
        return arena_strndup(a, t->data, t->len);
    char *out = arena_alloc(a, t->len + 1);
    size_t n = 0;
    for (size_t i = 0; i < t->len;) {
        unsigned cp = 0;
        bool escape = i + 7 <= t->len && t->data[i] == '_' && t->data[i + 1] == 'x' && t->data[i + 6] == '_';
        for (size_t k = 2; escape && k < 6; k++) {
            int d = hex_digit(t->data[i + k]);
            escape = d >= 0;
            cp = cp * 16 + (unsigned)(d < 0 ? 0 : d);
        }
        if (escape && cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
            /* at most 3 bytes of UTF-8 for the 7 bytes of the escape */
            if (cp < 0x80) {
                out[n++] = (char)cp;
            } else if (cp < 0x800) {
                out[n++] = (char)(0xC0 | cp >> 6);
                out[n++] = (char)(0x80 | (cp & 0x3F));
            } else {
                out[n++] = (char)(0xE0 | cp >> 12);
                out[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
                out[n++] = (char)(0x80 | (cp & 0x3F));
            }
            i += 7;
        } else {
            out[n++] = t->data[i++];
        }
    }
    out[n] = '\0';
    return n ? out : NULL;
}

/* A whole number in s (digits only, at most max), or -1. */
static long long whole_number(const char *s, long long max)
{
    if (!s || !*s)
        return -1;
    long long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > max)
            return -1;
    }
    return v;
}

/* Refuses the document type declaration (and so every entity declaration) of any
 * part: OOXML has none, and entities are how an XML file grows a billion times. */
static void XMLCALL on_doctype(void *data, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                               int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    xml_base *b = data;
    xml_fail(b, arena_printf(b->x->r->a,
                             _("%s: a document type declaration (DOCTYPE) is not allowed in a workbook; save the "
                               "workbook again with Excel or LibreOffice"),
                             b->part));
}

static void XMLCALL on_entity(void *data, const XML_Char *name, int parameter, const XML_Char *value, int len,
                              const XML_Char *base, const XML_Char *sysid, const XML_Char *pubid,
                              const XML_Char *notation)
{
    (void)name, (void)parameter, (void)value, (void)len, (void)base, (void)sysid, (void)pubid, (void)notation;
    on_doctype(data, NULL, NULL, NULL, 0);
}

static int XMLCALL no_external_entity(XML_Parser p, const XML_Char *context, const XML_Char *base,
                                      const XML_Char *sysid, const XML_Char *pubid)
{
    (void)p, (void)context, (void)base, (void)sysid, (void)pubid;
    return XML_STATUS_ERROR;
}

/* The archive's entry for part, found as OOXML names parts (case-insensitive), or -1. */
static zip_int64_t part_index(xlsx *x, const char *part)
{
    return zip_name_locate(x->za, part, ZIP_FL_NOCASE);
}

/* Streams part through expat with the handlers of b (start, end, text).
 * Returns 0, 1 when the part is absent and optional, -1 on an error. */
static int parse_part(xml_base *b, const char *part, bool required, XML_StartElementHandler start,
                      XML_EndElementHandler end, XML_CharacterDataHandler chars)
{
    xlsx *x = b->x;
    sheet_reader *r = x->r;
    if (r->error)
        return -1;
    zip_int64_t index = part_index(x, part);
    part = arena_clip(r->a, part, 120); /* as messages show it: the name comes from the file */
    if (index < 0) {
        if (!required)
            return 1;
        fail(r, arena_printf(r->a, _("the workbook has no part %s; save it again with Excel or LibreOffice as .xlsx"),
                             part));
        return -1;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->za, (zip_uint64_t)index, 0, &st) != 0) {
        fail(r, arena_printf(r->a, _("%s cannot be read; save the workbook again as .xlsx"), part));
        return -1;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        fail(r, _("the workbook is encrypted; save it without a password"));
        return -1;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > SHEET_MAX_UNPACKED_BYTES - x->unpacked) {
        fail(r, arena_printf(r->a,
                             _("the workbook unpacks to more than %u MiB (%s); it is too large or built to "
                               "exhaust the server: save only the table as .xlsx or CSV"),
                             SHEET_MAX_UNPACKED_BYTES >> 20, part));
        return -1;
    }
    zip_file_t *f = zip_fopen_index(x->za, (zip_uint64_t)index, 0);
    if (!f) {
        fail(r, arena_printf(r->a, _("%s cannot be read; save the workbook again as .xlsx"), part));
        return -1;
    }
    XML_Parser p = XML_ParserCreateNS(NULL, '|');
    if (!p) {
        zip_fclose(f);
        fail(r, _("out of memory reading the workbook"));
        return -1;
    }
    b->p = p;
    b->part = part;
    XML_SetUserData(p, b);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity);
    XML_SetExternalEntityRefHandler(p, no_external_entity);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, chars);
    int rc = 0;
    for (bool last = false; !last && !r->error;) {
        zip_int64_t got = zip_fread(f, x->chunk, XLSX_CHUNK);
        if (got < 0) {
            fail(r, arena_printf(r->a, _("%s cannot be unpacked; the file looks damaged or truncated: save the "
                                         "workbook again"),
                                 part));
            break;
        }
        x->unpacked += (size_t)got;
        if (x->unpacked > SHEET_MAX_UNPACKED_BYTES) {
            fail(r, arena_printf(r->a,
                                 _("the workbook unpacks to more than %u MiB (%s); it is too large or built to "
                                   "exhaust the server: save only the table as .xlsx or CSV"),
                                 SHEET_MAX_UNPACKED_BYTES >> 20, part));
            break;
        }
        last = got == 0;
        if (XML_Parse(p, (const char *)x->chunk, (int)got, last) == XML_STATUS_ERROR && !r->error)
            fail(r, arena_printf(r->a, _("%s: line %lu: not valid XML (%s); save the workbook again with Excel "
                                         "or LibreOffice"),
                                 part, (unsigned long)XML_GetCurrentLineNumber(p),
                                 XML_ErrorString(XML_GetErrorCode(p))));
    }
    if (r->error)
        rc = -1;
    XML_ParserFree(p);
    zip_fclose(f);
    return rc;
}

/* ---- relationships: which part is where ---- */

typedef struct {
    const char *id, *type, *target;
} relation;

typedef struct {
    xml_base b;
    relation *list;
    size_t count, cap;
} rels_ctx;

static void XMLCALL rels_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
    rels_ctx *c = data;
    if (strcmp(local_name(name), "Relationship") != 0 || c->b.x->r->error)
        return;
    const char *id = attr(attrs, "Id"), *type = attr(attrs, "Type"), *target = attr(attrs, "Target");
    const char *mode = attr(attrs, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (c->count >= XLSX_MAX_RELS) {
        xml_fail(&c->b, arena_printf(c->b.x->r->a, _("%s: more than %u relationships; save the workbook again"),
                                     c->b.part, (unsigned)XLSX_MAX_RELS));
        return;
    }
    arena *a = c->b.x->r->a;
    c->list = arena_grow(a, c->list, &c->cap, c->count + 1, sizeof *c->list);
    c->list[c->count++] = (relation){arena_strdup(a, id), arena_strdup(a, type), arena_strdup(a, target)};
}

static void XMLCALL no_end(void *data, const XML_Char *name)
{
    (void)data, (void)name;
}

static void XMLCALL no_text(void *data, const XML_Char *s, int len)
{
    (void)data, (void)s, (void)len;
}

/* The relationships of part (its _rels/NAME.rels); none when absent. */
static int read_rels(xlsx *x, const char *part, rels_ctx *out)
{
    const char *slash = strrchr(part, '/');
    size_t dir = slash ? (size_t)(slash - part + 1) : 0;
    const char *rels = arena_printf(x->r->a, "%.*s_rels/%s.rels", (int)dir, part, part + dir);
    *out = (rels_ctx){{x, NULL, rels}, NULL, 0, 0};
    return parse_part(&out->b, rels, false, rels_start, no_end, no_text) < 0 ? -1 : 0;
}

/* The target of the first relationship whose type ends in kind ("/styles"), or NULL. */
static const relation *rel_of_type(const rels_ctx *c, const char *kind)
{
    size_t k = strlen(kind);
    for (size_t i = 0; i < c->count; i++) {
        size_t n = strlen(c->list[i].type);
        if (n >= k && strcmp(c->list[i].type + n - k, kind) == 0)
            return &c->list[i];
    }
    return NULL;
}

/* The part a target names, relative to the folder of from ("xl/workbook.xml" and
 * "worksheets/sheet1.xml" give "xl/worksheets/sheet1.xml"); "/" starts at the root,
 * ".." goes up. */
static const char *resolve(arena *a, const char *from, const char *target)
{
    const char *slash = strrchr(from, '/');
    const char *joined = target[0] == '/' ? target + 1
                                          : arena_printf(a, "%.*s%s", slash ? (int)(slash - from + 1) : 0, from, target);
    size_t n = strlen(joined);
    char *out = arena_alloc(a, n + 1);
    size_t len = 0;
    for (const char *seg = joined; *seg;) {
        const char *next = strchr(seg, '/');
        size_t seglen = next ? (size_t)(next - seg) : strlen(seg);
        if (seglen == 2 && seg[0] == '.' && seg[1] == '.') {
            while (len > 0 && out[len - 1] != '/')
                len--;
            if (len > 0)
                len--;
            while (len > 0 && out[len - 1] != '/')
                len--;
        } else if (!(seglen == 1 && seg[0] == '.') && seglen > 0) {
            memcpy(out + len, seg, seglen);
            len += seglen;
            if (next)
                out[len++] = '/';
        }
        seg = next ? next + 1 : seg + seglen;
    }
    out[len] = '\0';
    return out;
}

/* ---- the workbook: sheet names and order, the date system ---- */

typedef struct {
    const char *name, *rel;
} sheet_entry;

typedef struct {
    xml_base b;
    sheet_entry *list;
    size_t count, cap;
} workbook_ctx;

static bool xml_true(const char *v)
{
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

static void XMLCALL workbook_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
    workbook_ctx *c = data;
    sheet_reader *r = c->b.x->r;
    const char *local = local_name(name);
    if (strcmp(local, "workbookPr") == 0) {
        c->b.x->date1904 = xml_true(attr(attrs, "date1904"));
    } else if (strcmp(local, "sheet") == 0 && !r->error) {
        const char *sname = attr(attrs, "name"), *rel = attr(attrs, "id");
        if (!sname || !rel) {
            xml_fail(&c->b, arena_printf(r->a, _("%s: a sheet without name or relationship; save the workbook "
                                                 "again with Excel or LibreOffice"),
                                         c->b.part));
            return;
        }
        if (c->count >= SHEET_MAX_SHEETS) {
            xml_fail(&c->b, arena_printf(r->a, _("the workbook has more than %u sheets; keep the table and the "
                                                 "sheets it needs"),
                                         SHEET_MAX_SHEETS));
            return;
        }
        c->list = arena_grow(r->a, c->list, &c->cap, c->count + 1, sizeof *c->list);
        c->list[c->count++] = (sheet_entry){arena_strdup(r->a, arena_clip(r->a, sname, 200)), arena_strdup(r->a, rel)};
    }
}

/* ---- styles: which cell formats show dates ---- */

typedef struct {
    xml_base b;
    bool in_cell_xfs;
    unsigned char *custom_date; /* bit per number format id below XLSX_MAX_NUMFMT_ID */
    long long *xf_format;       /* the number format of each cellXfs entry */
    size_t xf_count, xf_cap;
} styles_ctx;

/* A format code shows a date when it has d, m or y outside quotes, [...] and
 * escapes ("dd/mm/yyyy", "mmm yy"), unless h or s make the m minutes ("[h]:mm"). */
static bool code_is_date(const char *code)
{
    bool date = false, time = false, m = false;
    for (const char *p = code; *p; p++) {
        char ch = (char)(*p | 0x20);
        if (*p == '"') {
            const char *q = strchr(p + 1, '"');
            if (!q)
                break;
            p = q;
        } else if (*p == '[') {
            const char *q = strchr(p + 1, ']');
            if (!q)
                break;
            p = q;
        } else if (*p == '\\' || *p == '_' || *p == '*') {
            if (!p[1])
                break;
            p++;
        } else if (ch == 'd' || ch == 'y') {
            date = true;
        } else if (ch == 'm') {
            m = true;
        } else if (ch == 'h' || ch == 's') {
            time = true;
        }
    }
    return date || (m && !time);
}

/* Excel's built-in date and time formats: 14–22 and 45–47. */
static bool builtin_is_date(long long id)
{
    return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

static void XMLCALL styles_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
    styles_ctx *c = data;
    sheet_reader *r = c->b.x->r;
    const char *local = local_name(name);
    if (strcmp(local, "numFmt") == 0) {
        long long id = whole_number(attr(attrs, "numFmtId"), XLSX_MAX_NUMFMT_ID - 1);
        const char *code = attr(attrs, "formatCode");
        if (id >= 0 && code && code_is_date(code))
            c->custom_date[id / 8] |= (unsigned char)(1u << (id % 8));
    } else if (strcmp(local, "cellXfs") == 0) {
        c->in_cell_xfs = true;
    } else if (strcmp(local, "xf") == 0 && c->in_cell_xfs && !r->error) {
        if (c->xf_count >= XLSX_MAX_STYLES) {
            xml_fail(&c->b, arena_printf(r->a, _("%s: more than %u cell formats; save the workbook again"),
                                         c->b.part, (unsigned)XLSX_MAX_STYLES));
            return;
        }
        c->xf_format = arena_grow(r->a, c->xf_format, &c->xf_cap, c->xf_count + 1, sizeof *c->xf_format);
        c->xf_format[c->xf_count++] = whole_number(attr(attrs, "numFmtId"), XLSX_MAX_NUMFMT_ID - 1);
    }
}

static void XMLCALL styles_end(void *data, const XML_Char *name)
{
    styles_ctx *c = data;
    if (strcmp(local_name(name), "cellXfs") == 0)
        c->in_cell_xfs = false;
}

static int read_styles(xlsx *x, const char *part)
{
    styles_ctx c = {{x, NULL, part}, false, arena_calloc(x->r->a, XLSX_MAX_NUMFMT_ID / 8, 1), NULL, 0, 0};
    if (parse_part(&c.b, part, false, styles_start, styles_end, no_text) < 0)
        return -1;
    x->style_count = c.xf_count;
    x->date_style = arena_calloc(x->r->a, c.xf_count ? c.xf_count : 1, sizeof *x->date_style);
    for (size_t i = 0; i < c.xf_count; i++) {
        long long id = c.xf_format[i];
        x->date_style[i] = id >= 0 && (builtin_is_date(id) || (c.custom_date[id / 8] >> (id % 8) & 1));
    }
    return 0;
}

/* ---- shared strings ---- */

typedef struct {
    xml_base b;
    text_buf t;
    bool in_si;
    size_t phonetic; /* depth inside <rPh>, whose text is a reading aid, not the value */
} strings_ctx;

static void XMLCALL strings_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
    (void)attrs;
    strings_ctx *c = data;
    const char *local = local_name(name);
    if (strcmp(local, "si") == 0) {
        c->in_si = true;
        text_start(&c->t);
        c->t.on = false;
    } else if (strcmp(local, "rPh") == 0) {
        c->phonetic++;
    } else if (strcmp(local, "t") == 0 && c->in_si && !c->phonetic) {
        c->t.on = true;
    }
}

static void XMLCALL strings_end(void *data, const XML_Char *name)
{
    strings_ctx *c = data;
    xlsx *x = c->b.x;
    const char *local = local_name(name);
    if (strcmp(local, "t") == 0) {
        c->t.on = false;
    } else if (strcmp(local, "rPh") == 0 && c->phonetic) {
        c->phonetic--;
    } else if (strcmp(local, "si") == 0 && c->in_si && !x->r->error) {
        c->in_si = false;
        if (x->string_count >= SHEET_MAX_CELLS) {
            xml_fail(&c->b, arena_printf(x->r->a, _("the file has more than %u filled cells; split it into "
                                                    "smaller files"),
                                         SHEET_MAX_CELLS));
            return;
        }
        x->strings = arena_grow(x->r->a, x->strings, &x->string_cap, x->string_count + 1, sizeof *x->strings);
        x->strings[x->string_count++] = ooxml_text(x->r->a, &c->t);
    }
}

static void XMLCALL strings_text(void *data, const XML_Char *s, int len)
{
    strings_ctx *c = data;
    text_append(&c->b, &c->t, s, len);
}

/* ---- a worksheet ---- */

typedef struct {
    xml_base b;
    sheet_builder *sb;
    size_t row;      /* of the current <row>, from 1; 0 before the first */
    size_t next_col; /* of a <c> without r, from 0 */
    size_t cell_row, cell_col;
    char type;       /* of the cell: 's', 'i' (inlineStr), 'f' (str, a formula's text), 'b', 'e', 'd', 'n' */
    long long style;
    bool in_cell, in_is;
    text_buf v, is;
} worksheet_ctx;

/* The t attribute of a cell as one letter; a number when absent or unknown. */
static char cell_type(const char *t)
{
    if (!t)
        return 'n';
    static const char *const names[] = {"s", "inlineStr", "str", "b", "e", "d"};
    static const char letters[] = "sifbed";
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(t, names[i]) == 0)
            return letters[i];
    return 'n';
}

/* "G3" as row 2, column 6; false when it is not a cell reference within Excel's grid. */
static bool parse_ref(const char *ref, size_t *row, size_t *col)
{
    size_t c = 0, r = 0;
    const char *p = ref;
    for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'); p++) {
        c = c * 26 + (size_t)((*p | 0x20) - 'a' + 1);
        if (c > XLSX_MAX_COLS)
            return false;
    }
    if (p == ref)
        return false;
    long long n = whole_number(p, XLSX_MAX_ROWS);
    if (n < 1)
        return false;
    r = (size_t)n;
    *row = r - 1;
    *col = c - 1;
    return true;
}

static void XMLCALL worksheet_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
    worksheet_ctx *c = data;
    sheet_reader *r = c->b.x->r;
    if (r->error)
        return;
    const char *local = local_name(name);
    if (strcmp(local, "row") == 0) {
        const char *n = attr(attrs, "r");
        long long row = n ? whole_number(n, XLSX_MAX_ROWS) : (long long)c->row + 1;
        if (row < 1 || row > XLSX_MAX_ROWS) {
            xml_fail(&c->b, arena_printf(r->a, _("sheet '%s': row '%s' is beyond the last row %u; delete the rows "
                                                 "after the table"),
                                         c->sb->name, arena_clip(r->a, n ? n : "", 20), (unsigned)XLSX_MAX_ROWS));
            return;
        }
        c->row = (size_t)row;
        c->next_col = 0;
    } else if (strcmp(local, "c") == 0) {
        const char *ref = attr(attrs, "r");
        c->cell_row = c->row ? c->row - 1 : 0;
        c->cell_col = c->next_col;
        if (ref && !parse_ref(ref, &c->cell_row, &c->cell_col)) {
            xml_fail(&c->b, arena_printf(r->a, _("sheet '%s': the cell reference '%s' is not a cell of A1:XFD%u; "
                                                 "save the workbook again with Excel or LibreOffice"),
                                         c->sb->name, arena_clip(r->a, ref, 20), (unsigned)XLSX_MAX_ROWS));
            return;
        }
        if (!ref && c->cell_col >= XLSX_MAX_COLS) {
            xml_fail(&c->b, arena_printf(r->a, _("sheet '%s': row %zu has more than %u cells; delete the columns "
                                                 "after the table"),
                                         c->sb->name, c->cell_row + 1, (unsigned)XLSX_MAX_COLS));
            return;
        }
        c->next_col = c->cell_col + 1;
        c->type = cell_type(attr(attrs, "t"));
        const char *s = attr(attrs, "s");
        c->style = s ? whole_number(s, XLSX_MAX_STYLES) : -1;
        c->in_cell = true;
        text_start(&c->v);
        text_start(&c->is);
        c->v.on = c->is.on = false;
    } else if (strcmp(local, "v") == 0 && c->in_cell) {
        c->v.on = true;
    } else if (strcmp(local, "is") == 0 && c->in_cell) {
        c->in_is = true;
    } else if (strcmp(local, "rPh") == 0) {
        c->in_is = false; /* phonetic reading inside an inline string: not the value */
    } else if (strcmp(local, "t") == 0 && c->in_is) {
        c->is.on = true;
    }
}

/* A serial day number as "YYYY-MM-DD", or NULL when v is no day Excel shows:
 * the 1900 system counts 1900-02-29, which never was (Lotus 1-2-3's leap-year bug). */
static const char *serial_date(arena *a, const char *v, bool date1904)
{
    size_t digits = strspn(v, "0123456789");
    if (digits == 0 || digits > 7 || (v[digits] && (v[digits] != '.' || strspn(v + digits + 1, "0123456789") !=
                                                                              strlen(v + digits + 1))))
        return NULL;
    long long days = whole_number(arena_strndup(a, v, digits), 2958465); /* 9999-12-31 */
    date_t d;
    if (days < 0)
        return NULL;
    if (date1904)
        d = date_from_ymd(1904, 1, 1) + (date_t)days;
    else if (days >= 1 && days < 60)
        d = date_from_ymd(1899, 12, 31) + (date_t)days;
    else if (days > 60)
        d = date_from_ymd(1899, 12, 30) + (date_t)days;
    else
        return NULL;
    char iso[DATE_ISO_LEN];
    return arena_strdup(a, date_format_iso(d, iso));
}

/* The text of the cell just read. */
static const char *cell_text(worksheet_ctx *c)
{
    xlsx *x = c->b.x;
    arena *a = x->r->a;
    const char *v = c->v.len ? c->v.data : NULL;
    switch (c->type) {
    case 's': {
        long long i = v ? whole_number(v, SHEET_MAX_CELLS) : -1;
        if (i < 0 || (size_t)i >= x->string_count) {
            xml_fail(&c->b, arena_printf(a, _("%s: refers to a shared text the workbook does not have; save the "
                                              "workbook again with Excel or LibreOffice"),
                                         sheet_cell_name(a, &(sheet){c->sb->name, 0, 0, NULL}, c->cell_row,
                                                         c->cell_col)));
            return NULL;
        }
        return x->strings[i];
    }
    case 'i': return ooxml_text(a, c->is.len ? &c->is : &c->v);
    case 'f': return ooxml_text(a, &c->v);
    case 'b': return v ? (strcmp(v, "0") == 0 ? "FALSE" : "TRUE") : NULL;
    case 'd':
        if (v && c->v.len >= 10 && v[4] == '-' && v[7] == '-')
            return arena_strndup(a, v, 10); /* an ISO 8601 date cell: the day */
        return text_value(a, &c->v);
    case 'n':
        if (v && c->style >= 0 && (size_t)c->style < x->style_count && x->date_style[c->style]) {
            const char *day = serial_date(a, v, x->date1904);
            if (day)
                return day;
        }
        return text_value(a, &c->v);
    default: return text_value(a, &c->v);
    }
}

static void XMLCALL worksheet_end(void *data, const XML_Char *name)
{
    worksheet_ctx *c = data;
    const char *local = local_name(name);
    if (strcmp(local, "v") == 0) {
        c->v.on = false;
    } else if (strcmp(local, "t") == 0) {
        c->is.on = false;
    } else if (strcmp(local, "is") == 0) {
        c->in_is = false;
    } else if (strcmp(local, "c") == 0 && c->in_cell) {
        c->in_cell = c->in_is = false;
        const char *text = cell_text(c);
        if (text && !utf8_valid(text, strlen(text)))
            text = NULL; /* expat hands out UTF-8 only; kept as a guard */
        add_cell(c->b.x->r, c->sb, c->cell_row, c->cell_col, text);
        if (c->b.x->r->error)
            XML_StopParser(c->b.p, XML_FALSE);
    }
}

static void XMLCALL worksheet_text(void *data, const XML_Char *s, int len)
{
    worksheet_ctx *c = data;
    if (c->v.on)
        text_append(&c->b, &c->v, s, len);
    else if (c->is.on)
        text_append(&c->b, &c->is, s, len);
}

/* ---- the package ---- */

/* Refuses what is a zip but no Excel workbook: OpenDocument, .xlsb, anything else. */
static int check_kind(xlsx *x)
{
    if (part_index(x, "[Content_Types].xml") >= 0) {
        if (part_index(x, "xl/workbook.bin") >= 0) {
            fail(x->r, _("this is an .xlsb workbook (binary); save it as .xlsx (Excel workbook) or as CSV"));
            return -1;
        }
        return 0;
    }
    if (part_index(x, "mimetype") >= 0 || part_index(x, "content.xml") >= 0)
        fail(x->r, _("this is an OpenDocument file (.ods); save it as .xlsx (Excel workbook) or as CSV"));
    else
        fail(x->r, _("this zip file is no Excel workbook; save the sheet as .xlsx (Excel workbook) or as CSV"));
    return -1;
}

static int read_package(xlsx *x, sheet_book *out)
{
    arena *a = x->r->a;
    rels_ctx root;
    if (check_kind(x) || read_rels(x, "", &root))
        return -1;
    const relation *doc = rel_of_type(&root, "/officeDocument");
    const char *wb_part = doc ? resolve(a, "", doc->target) : "xl/workbook.xml";
    workbook_ctx wb = {{x, NULL, wb_part}, NULL, 0, 0};
    rels_ctx rels;
    if (parse_part(&wb.b, wb_part, true, workbook_start, no_end, no_text) < 0 || read_rels(x, wb_part, &rels))
        return -1;
    const relation *styles = rel_of_type(&rels, "/styles"), *strings = rel_of_type(&rels, "/sharedStrings");
    if (styles && read_styles(x, resolve(a, wb_part, styles->target)))
        return -1;
    if (strings) {
        strings_ctx sc = {{x, NULL, NULL}, {NULL, 0, 0, false}, false, 0};
        if (parse_part(&sc.b, resolve(a, wb_part, strings->target), true, strings_start, strings_end,
                       strings_text) < 0)
            return -1;
    }
    out->sheets = arena_calloc(a, wb.count ? wb.count : 1, sizeof *out->sheets);
    for (size_t i = 0; i < wb.count; i++) {
        const relation *rel = NULL;
        for (size_t j = 0; j < rels.count && !rel; j++)
            if (strcmp(rels.list[j].id, wb.list[i].rel) == 0)
                rel = &rels.list[j];
        if (!rel) {
            fail(x->r, arena_printf(a, _("sheet '%s' has no part in the workbook; save it again with Excel or "
                                         "LibreOffice"),
                                    wb.list[i].name));
            return -1;
        }
        sheet_builder sb = {a, wb.list[i].name, NULL, 0, 0};
        worksheet_ctx wc = {.b = {x, NULL, NULL}, .sb = &sb, .style = -1};
        if (parse_part(&wc.b, resolve(a, wb_part, rel->target), true, worksheet_start, worksheet_end,
                       worksheet_text) < 0 ||
            build_grid(x->r, &sb, &out->sheets[i]))
            return -1;
        out->count = i + 1;
    }
    if (!wb.count) {
        fail(x->r, _("the workbook has no sheets; save it again with Excel or LibreOffice"));
        return -1;
    }
    return 0;
}

static int xlsx_read(sheet_reader *r, const unsigned char *data, size_t len, sheet_book *out)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!za) {
        fail(r, _("the file starts like a zip (.xlsx) but cannot be opened; it looks damaged or truncated: save "
                  "the workbook again"));
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        return -1;
    }
    zip_error_fini(&ze);
    xlsx x = {.r = r, .za = za, .chunk = arena_alloc(r->a, XLSX_CHUNK)};
    int rc = read_package(&x, out);
    zip_discard(za); /* frees src; nothing was written */
    return rc || r->error ? -1 : 0;
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
