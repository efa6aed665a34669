/* sheet_import.c: see sheet_import.h and docs/sheet_import.md.
 *
 * Three passes over the rows: the headers (each column a field), the
 * agreement fields of every row (grouped by id, each field's first value
 * kept with its cell, a different one is a problem naming both cells), then
 * the parties (a municipality's name is resolved on the party's first day,
 * which needs the agreement's begin). Each agreement is then merged with its
 * stored version and checked with the import's own rules; a problem's
 * somon/1 path ("parties[2].from") is turned back into the cell it came from. */
#define _POSIX_C_SOURCE 200809L
#include "sheet_import.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "i18n.h"
#include "input.h"
#include "muniname.h"
#include "rules.h"
#include "sheet_template.h"
#include "somon1.h"

/* ---- text ---------------------------------------------------------------- */

/* The cell's text without spaces around it; NULL when empty. */
static const char *value(arena *a, const sheet *s, size_t row, int col)
{
    if (col < 0)
        return NULL;
    const char *v = sheet_cell(s, row, (size_t)col);
    if (!v)
        return NULL;
    while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
        n--;
    return n ? arena_strndup(a, v, n) : NULL;
}

/* "30/06/2023", "1/3/2023", "2023-06-30" (also what the reader makes of a date cell). */
static bool parse_day(const char *s, date_t *out)
{
    if (date_parse_iso(s, out))
        return date_in_limits(*out);
    int d = 0, m = 0, y = 0, nd = 0, nm = 0, ny = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9' && nd < 3; p++, nd++)
        d = d * 10 + (*p - '0');
    char sep = *p;
    if (sep != '/' && sep != '-' && sep != '.')
        return false;
    for (p++; *p >= '0' && *p <= '9' && nm < 3; p++, nm++)
        m = m * 10 + (*p - '0');
    if (*p != sep)
        return false;
    for (p++; *p >= '0' && *p <= '9' && ny < 5; p++, ny++)
        y = y * 10 + (*p - '0');
    if (*p || nd < 1 || nd > 2 || nm < 1 || nm > 2 || ny != 4 || !date_valid_ymd(y, m, d))
        return false;
    *out = date_from_ymd(y, m, d);
    return date_in_limits(*out);
}

static const char *shown_day(arena *a, date_t d)
{
    char day[DATE_NL_LEN];
    return d == DATE_NONE ? _("(empty)") : arena_strdup(a, date_format_nl(d, day));
}

/* ---- municipalities ------------------------------------------------------- */

/* "A, B of C": the names muniname_resolve found nearest, or NULL when none. */
static const char *suggestions(arena *a, const muniname_match *m)
{
    switch (m->near_count) {
    case 0: return NULL;
    case 1: return m->near[0];
    case 2: return arena_printf(a, _("%s or %s"), m->near[0], m->near[1]);
    default: return arena_printf(a, _("%s, %s or %s"), m->near[0], m->near[1], m->near[2]);
    }
}

/* The forms' resolver (muniname.h), worded for a sheet. */
const char *sheet_municipality(arena *a, const register_view *v, const char *name, date_t d, const char **why)
{
    *why = NULL;
    if (nis_code(name) >= 0)
        return name; /* a code: whether it exists then is the import's own check */
    const char *shown = arena_clip(a, name, 60);
    muniname_match m;
    switch (muniname_resolve(v, name, d, a, &m)) {
    case MUNINAME_FOUND: return arena_strdup(a, m.nis); /* the view may go before the plan */
    case MUNINAME_AMBIGUOUS:
        *why = arena_printf(a, _("'%s' named more than one municipality over the years; give the party's first day "
                                 "(vanaf) or the agreement's begin, or the NIS code"),
                            shown);
        return NULL;
    case MUNINAME_NOT_ON_DAY:
        *why = arena_printf(a, _("'%s' was no municipality on %s (it was from %s to %s); give the name it had on "
                                 "that day, or its NIS code"),
                            shown, shown_day(a, d), shown_day(a, m.from), shown_day(a, m.to));
        return NULL;
    case MUNINAME_UNKNOWN: break;
    }
    const char *near = suggestions(a, &m);
    if (d != DATE_NONE)
        *why = near ? arena_printf(a, _("'%s' is no municipality on %s; did you mean %s?"), shown, shown_day(a, d), near)
                    : arena_printf(a, _("'%s' is no municipality on %s; give its name as on the sheet Gemeenten of "
                                        "the template, or its NIS code"),
                                   shown, shown_day(a, d));
    else
        *why = near ? arena_printf(a, _("'%s' is no municipality; did you mean %s?"), shown, near)
                    : arena_printf(a, _("'%s' is no municipality; give its name as on the sheet Gemeenten of the "
                                        "template, or its NIS code"),
                                   shown);
    return NULL;
}

/* ---- columns -------------------------------------------------------------- */

enum { C_ID, C_TITLE, C_DIRECTORATE, C_STATUS, C_BEGIN, C_END, C_PREDECESSOR, C_KIND, C_SIGNED, C_NOTES,
       C_MUNICIPALITY, C_ORGANISATION, C_APPROVED, C_FROM, C_UNTIL, C_SOURCE, C_QUOTE, C_READ_ON, C_COUNT };
static const char *const HEADERS[C_COUNT] = {"overeenkomst", "titel",  "directie",    "status",         "begin",
                                            "einde",        "voorganger", "soort",    "ondertekend_op", "opmerkingen",
                                            "gemeente",     "organisatie", "goedgekeurd_op", "vanaf",       "tot",
                                            "bron",         "citaat",     "gelezen_op"};
/* The agreement fields, which repeat on every row of an agreement. */
enum { AG_FIELDS = C_NOTES + 1 };

typedef struct {
    arena *a;
    const sheet *s;
    const register_view *v;
    sheet_plan *plan;
    size_t cap;
    int col[C_COUNT]; /* -1: the sheet has no such column */
} ctx;

static void problem(ctx *c, size_t row, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void problem(ctx *c, size_t row, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *what = arena_vprintf(c->a, fmt, ap);
    va_end(ap);
    /* a message quotes the sheet: its control characters are shown, never sent */
    what = text_shown_copy(c->a, what);
    sheet_plan *p = c->plan;
    p->problems = arena_grow(c->a, p->problems, &c->cap, p->problem_count + 1, sizeof *p->problems);
    const char *cell = row == SHEET_NO_ROW ? NULL : sheet_cell_name(c->a, c->s, row, col < 0 ? 0 : (size_t)col);
    p->problems[p->problem_count++] = (sheet_problem){cell, row, what};
}

/* The header row: the first of the first ten rows with a cell "overeenkomst",
 * else the first row that is not empty. */
static size_t find_header_row(arena *a, const sheet *s)
{
    size_t first = SHEET_NO_ROW;
    for (size_t r = 0; r < s->rows && r < 10; r++)
        for (size_t k = 0; k < s->cols; k++) {
            const char *v = value(a, s, r, (int)k);
            if (v && first == SHEET_NO_ROW)
                first = r;
            if (v && strcmp(muniname_fold(a, v), "overeenkomst") == 0)
                return r;
        }
    return first;
}

static bool read_headers(ctx *c, size_t hr)
{
    for (int k = 0; k < C_COUNT; k++)
        c->col[k] = -1;
    for (size_t k = 0; k < c->s->cols; k++) {
        const char *h = value(c->a, c->s, hr, (int)k);
        if (!h)
            continue; /* a column without a header: its cells must be empty (see read_rows) */
        char *f = muniname_fold(c->a, h);
        for (char *x = f; *x; x++)
            *x = *x == ' ' ? '_' : *x;
        int found = -1;
        size_t best = 3;
        const char *near = NULL;
        for (int i = 0; i < C_COUNT; i++) {
            if (strcmp(f, HEADERS[i]) == 0)
                found = i;
            size_t d = muniname_distance(f, HEADERS[i], 99);
            if (d < best)
                best = d, near = HEADERS[i];
        }
        if (found < 0 && near)
            problem(c, hr, (int)k, _("unknown column '%s'; did you mean %s?"), arena_clip(c->a, h, 40), near);
        else if (found < 0)
            problem(c, hr, (int)k,
                    _("unknown column '%s'; the columns are overeenkomst, titel, directie, status, begin, einde, "
                      "voorganger, soort, ondertekend_op, opmerkingen, gemeente, organisatie, goedgekeurd_op, vanaf, "
                      "tot, bron, citaat and gelezen_op"),
                    arena_clip(c->a, h, 40));
        else if (c->col[found] >= 0)
            problem(c, hr, (int)k, _("the column %s appears twice (also %s); keep one"), HEADERS[found],
                    sheet_cell_name(c->a, c->s, hr, (size_t)c->col[found]));
        else
            c->col[found] = (int)k;
    }
    bool complete = true;
    static const int required[] = {C_ID, C_TITLE, C_DIRECTORATE, C_STATUS};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (c->col[required[i]] < 0) {
            problem(c, hr, 0, _("the column %s is missing; add it to the row of headers"), HEADERS[required[i]]);
            complete = false;
        }
    if (c->col[C_MUNICIPALITY] < 0 && c->col[C_ORGANISATION] < 0) {
        problem(c, hr, 0, _("the column gemeente is missing; add it to the row of headers"));
        complete = false;
    }
    return complete; /* an unknown column is reported; the known ones are still read */
}

/* ---- agreement fields ----------------------------------------------------- */

typedef struct {
    bool given, bad;
    size_t row;       /* where it was given first */
    const char *text; /* as written */
    date_t day;
    int number; /* province, status or kind */
    const char *title;
} field_value;

typedef struct {
    const char *id;
    size_t first_row;
    bool bad; /* a field of it was not valid: reported, and not checked further */
    size_t *rows;
    size_t row_count, row_cap;
    field_value f[AG_FIELDS];
} group;

static bool parse_status(arena *a, const char *text, agreement_status *out)
{
    const char *f = muniname_fold(a, text);
    for (int s = 0; s < STATUS_COUNT; s++) {
        char *name = muniname_fold(a, status_name((agreement_status)s));
        for (char *x = name; *x; x++) /* "awaiting_approval" as "awaiting approval" */
            *x = *x == '_' ? ' ' : *x;
        if (strcmp(f, muniname_fold(a, status_label_nl((agreement_status)s))) == 0 || strcmp(f, name) == 0) {
            *out = (agreement_status)s;
            return true;
        }
    }
    return false;
}

static int parse_province(arena *a, const char *text)
{
    const char *f = muniname_fold(a, text);
    for (int p = 0; p < PROVINCE_COUNT; p++)
        if (strcmp(f, muniname_fold(a, province_name(p))) == 0)
            return p;
    return -1;
}

/* Reads field k of row into *out; a problem (and false) when it is not valid. */
static bool read_field(ctx *c, size_t row, int k, const char *text, field_value *out)
{
    memset(out, 0, sizeof *out);
    out->given = true;
    out->row = row;
    out->text = text;
    int col = c->col[k];
    const char *shown = arena_clip(c->a, text, 40);
    switch (k) {
    case C_TITLE: out->title = text; return true;
    case C_DIRECTORATE:
        out->number = parse_province(c->a, text);
        if (out->number < 0)
            problem(c, row, col,
                    _("'%s' is not a VDAB directorate; give the province: West-Vlaanderen, Oost-Vlaanderen, "
                      "Antwerpen, Vlaams-Brabant or Limburg"),
                    shown);
        return out->number >= 0;
    case C_STATUS: {
        agreement_status st;
        if (!parse_status(c->a, text, &st)) {
            problem(c, row, col,
                    _("'%s' is not a status; give ontwerp, in onderhandeling, principieel akkoord, wacht op "
                      "goedkeuring, ondertekend or beëindigd"),
                    shown);
            return false;
        }
        out->number = (int)st;
        return true;
    }
    case C_KIND: {
        const char *f = muniname_fold(c->a, text);
        for (int i = 0; AGREEMENT_KINDS[i]; i++)
            if (strcmp(f, AGREEMENT_KINDS[i]) == 0) {
                out->number = i;
                return true;
            }
        problem(c, row, col, _("'%s' is not a kind of agreement; give centrumstad, regiegebied, cluster or gemeente"),
                shown);
        return false;
    }
    case C_BEGIN:
    case C_END:
    case C_SIGNED:
        if (!parse_day(text, &out->day)) {
            problem(c, row, col, _("'%s' is not a date; write it as 30/06/2023 or 2023-06-30, from %d to %d"), shown,
                    LIMIT_YEAR_FIRST, LIMIT_YEAR_LAST);
            return false;
        }
        return true;
    default: return true; /* the id: its form is the import's own check */
    }
}

static bool same_field(int k, const field_value *x, const field_value *y)
{
    switch (k) {
    case C_DIRECTORATE:
    case C_STATUS:
    case C_KIND: return x->number == y->number;
    case C_BEGIN:
    case C_END:
    case C_SIGNED: return x->day == y->day;
    default: return strcmp(x->text, y->text) == 0;
    }
}

static group *find_group(group *groups, size_t n, const char *id)
{
    for (size_t i = n; i-- > 0;) /* rows of one agreement usually follow each other */
        if (strcmp(groups[i].id, id) == 0)
            return &groups[i];
    return NULL;
}

static void add_row(arena *a, group *g, size_t row)
{
    g->rows = arena_grow(a, g->rows, &g->row_cap, g->row_count + 1, sizeof *g->rows);
    g->rows[g->row_count++] = row;
}

static bool blank(const char *v)
{
    for (; v && *v; v++)
        if (*v != ' ' && *v != '\t' && *v != '\r' && *v != '\n')
            return false;
    return true;
}

static bool row_empty(ctx *c, size_t row)
{
    for (size_t k = 0; k < c->s->cols; k++)
        if (!blank(sheet_cell(c->s, row, k)))
            return false;
    return true;
}

/* Groups the rows by agreement id, reading each agreement field once. */
static group *read_groups(ctx *c, size_t hr, size_t *count)
{
    group *groups = NULL;
    size_t n = 0, cap = 0;
    bool *headed = arena_calloc(c->a, c->s->cols + 1, sizeof *headed);
    for (size_t k = 0; k < c->s->cols; k++)
        headed[k] = !blank(sheet_cell(c->s, hr, k));
    for (size_t row = hr + 1; row < c->s->rows; row++) {
        if (row_empty(c, row))
            continue;
        for (size_t k = 0; k < c->s->cols; k++) {
            if (!headed[k] && value(c->a, c->s, row, (int)k))
                problem(c, row, (int)k, _("a value in a column without a header; give the column a header or "
                                          "empty the cell"));
        }
        const char *id = value(c->a, c->s, row, c->col[C_ID]);
        if (id && strncmp(id, SHEET_TEMPLATE_EXAMPLE_PREFIX, strlen(SHEET_TEMPLATE_EXAMPLE_PREFIX)) == 0)
            continue; /* the template's example row, left in */
        if (!id) {
            problem(c, row, c->col[C_ID], _("the agreement's id is missing; give it (overeenkomst) on every row"));
            continue;
        }
        group *g = find_group(groups, n, id);
        if (!g) {
            groups = arena_grow(c->a, groups, &cap, n + 1, sizeof *groups);
            g = &groups[n++];
            memset(g, 0, sizeof *g);
            g->id = id;
            g->first_row = row;
            g->f[C_ID] = (field_value){true, false, row, id, DATE_NONE, 0, NULL};
        }
        add_row(c->a, g, row);
        for (int k = C_TITLE; k < AG_FIELDS; k++) {
            const char *text = value(c->a, c->s, row, c->col[k]);
            field_value fv;
            /* an empty cell repeats the value above it (merged cells leave them empty) */
            if (!text)
                continue;
            if (!read_field(c, row, k, text, &fv)) {
                g->bad = true;
                continue;
            }
            field_value *have = &g->f[k];
            if (!have->given)
                *have = fv;
            else if (!same_field(k, have, &fv))
                problem(c, row, c->col[k],
                        _("'%s' differs from %s ('%s') for agreement %s; give the same %s on every row of an "
                          "agreement"),
                        arena_clip(c->a, text, 40), sheet_cell_name(c->a, c->s, have->row, (size_t)c->col[k]),
                        arena_clip(c->a, have->text, 40), arena_clip(c->a, id, 64), HEADERS[k]);
        }
    }
    *count = n;
    return groups;
}

/* ---- parties -------------------------------------------------------------- */

static bool same_party(const party *x, const party *y)
{
    return (x->municipality && y->municipality && strcmp(x->municipality, y->municipality) == 0) ||
           (x->organisation && y->organisation && strcmp(x->organisation, y->organisation) == 0);
}

/* A date of a party's row, or DATE_NONE (after a problem when it is not a date). */
static date_t party_day(ctx *c, size_t row, int k, bool *bad)
{
    const char *text = value(c->a, c->s, row, c->col[k]);
    date_t d = DATE_NONE;
    if (text && !parse_day(text, &d)) {
        problem(c, row, c->col[k], _("'%s' is not a date; write it as 30/06/2023 or 2023-06-30, from %d to %d"),
                arena_clip(c->a, text, 40), LIMIT_YEAR_FIRST, LIMIT_YEAR_LAST);
        *bad = true;
    }
    return d;
}

/* A party must lie inside the agreement's period, as a regiegebied's member
 * inside the regiegebied's: a day outside it covers nothing. */
static void party_inside(ctx *c, size_t row, const party *p, date_t start, date_t end)
{
    struct {
        int col;
        date_t day;
    } days[2] = {{C_FROM, p->from}, {C_UNTIL, p->until}};
    for (int i = 0; i < 2; i++) {
        date_t d = days[i].day;
        if (d == DATE_NONE)
            continue;
        if (start != DATE_NONE && d < start)
            problem(c, row, c->col[days[i].col],
                    _("%s lies before the agreement's begin (%s); a party joins and leaves within the agreement's "
                      "period"),
                    shown_day(c->a, d), shown_day(c->a, start));
        else if (end != DATE_NONE && d > end)
            problem(c, row, c->col[days[i].col],
                    _("%s lies after the agreement's end (%s); a party joins and leaves within the agreement's "
                      "period"),
                    shown_day(c->a, d), shown_day(c->a, end));
    }
}

/* The party of one row, which names one; false after a problem. A name is
 * resolved on the row's vanaf, else known_from (the vanaf of the party's
 * earlier rows), else the agreement's begin. */
static bool read_party(ctx *c, size_t row, date_t start, date_t end, date_t known_from, party *out)
{
    memset(out, 0, sizeof *out);
    bool bad = false;
    out->approved_on = party_day(c, row, C_APPROVED, &bad);
    out->from = party_day(c, row, C_FROM, &bad);
    out->until = party_day(c, row, C_UNTIL, &bad);
    out->expected_from = DATE_NONE;
    const char *m = value(c->a, c->s, row, c->col[C_MUNICIPALITY]);
    const char *o = value(c->a, c->s, row, c->col[C_ORGANISATION]);
    if (m && o) {
        problem(c, row, c->col[C_ORGANISATION],
                _("a row names one party: a municipality (gemeente) or an organisation (organisatie), not both; "
                  "give the other on a row of its own"));
        return false;
    }
    if (o) {
        out->organisation = (char *)o;
        return !bad;
    }
    date_t first = out->from != DATE_NONE ? out->from : known_from != DATE_NONE ? known_from : start;
    const char *why;
    out->municipality = (char *)sheet_municipality(c->a, c->v, m, first, &why);
    if (!out->municipality) {
        problem(c, row, c->col[C_MUNICIPALITY], "%s", why);
        return false;
    }
    if (!bad)
        party_inside(c, row, out, start, end);
    return !bad;
}

/* The source of one row (bron, citaat, gelezen_op); false when the row has
 * none. A quote or a day without an address is a problem (*bad). */
static bool read_source_cells(ctx *c, size_t row, source *out, bool *bad)
{
    memset(out, 0, sizeof *out);
    out->read_on = DATE_NONE;
    const char *url = value(c->a, c->s, row, c->col[C_SOURCE]);
    const char *quote = value(c->a, c->s, row, c->col[C_QUOTE]);
    const char *day = value(c->a, c->s, row, c->col[C_READ_ON]);
    if (day && !parse_day(day, &out->read_on)) {
        problem(c, row, c->col[C_READ_ON], _("'%s' is not a date; write it as 30/06/2023 or 2023-06-30, from %d to %d"),
                arena_clip(c->a, day, 40), LIMIT_YEAR_FIRST, LIMIT_YEAR_LAST);
        *bad = true;
    }
    if (!url) {
        if (quote || day) {
            problem(c, row, c->col[quote ? C_QUOTE : C_READ_ON],
                    _("a quote or a reading day without a source; give the page's address (bron) on this row"));
            *bad = true;
        }
        return false;
    }
    out->url = (char *)url;
    out->quote = (char *)quote;
    return true;
}

/* A list of sources with the row each came from. */
typedef struct {
    source *items;
    size_t count, cap, row_cap;
    size_t *rows;
} source_rows;

static void add_source(arena *a, source_rows *l, const source *x, size_t row)
{
    l->items = arena_grow(a, l->items, &l->cap, l->count + 1, sizeof *l->items);
    l->rows = arena_grow(a, l->rows, &l->row_cap, l->count + 1, sizeof *l->rows);
    l->items[l->count] = *x;
    l->rows[l->count++] = row;
}

/* One party of the sheet, gathered from its rows: the party's own fields
 * repeat (an empty cell repeats them), each row may add a source. */
typedef struct {
    party p;
    const char *name; /* the cell that named it, folded */
    size_t row;       /* its first row */
    size_t day_row[3]; /* the row that gave goedgekeurd_op, vanaf and tot, or SHEET_NO_ROW */
    source_rows sources;
} gathered;

static const int PARTY_DAY_COLS[3] = {C_APPROVED, C_FROM, C_UNTIL};

static date_t *party_day_field(party *p, int i) { return i == 0 ? &p->approved_on : i == 1 ? &p->from : &p->until; }

/* Adds the days of a later row of the same party; a day that differs from
 * an earlier row's is a problem naming both cells. */
static bool repeat_party(ctx *c, gathered *gp, const party *p, size_t row, const char *label)
{
    bool ok = true;
    for (int i = 0; i < 3; i++) {
        date_t d = *party_day_field((party *)p, i), *have = party_day_field(&gp->p, i);
        int col = c->col[PARTY_DAY_COLS[i]];
        if (d == DATE_NONE)
            continue;
        if (gp->day_row[i] == SHEET_NO_ROW) {
            *have = d;
            gp->day_row[i] = row;
        } else if (*have != d) {
            problem(c, row, col,
                    _("%s differs from %s (%s) for party %s; give the same %s on every row of a party, or leave it "
                      "empty"),
                    shown_day(c->a, d), sheet_cell_name(c->a, c->s, gp->day_row[i], (size_t)col),
                    shown_day(c->a, *have), label, HEADERS[PARTY_DAY_COLS[i]]);
            ok = false;
        }
    }
    return ok;
}

/* The stored party the sheet's party is, with what the sheet cannot express
 * (signatories, decisions, expected_from, the reason for leaving) kept, and
 * its sources unless the sheet has a column bron. */
static party merge_party(arena *a, const party *sheet_party, const party *stored, bool approval_given,
                         bool from_given, bool until_given, bool sources_given)
{
    party p = stored ? *stored : *sheet_party;
    p.municipality = sheet_party->municipality;
    p.organisation = sheet_party->organisation;
    if (sources_given || !stored) {
        p.sources = sheet_party->sources;
        p.source_count = sheet_party->source_count;
    }
    if (approval_given)
        p.approved_on = sheet_party->approved_on;
    if (from_given)
        p.from = sheet_party->from;
    if (until_given)
        p.until = sheet_party->until;
    if (p.approved_on == DATE_NONE && p.decision_count) { /* the JSON import derives it the same way */
        date_t *on = arena_calloc(a, p.decision_count, sizeof *on);
        bool *yes = arena_calloc(a, p.decision_count, sizeof *yes);
        for (size_t i = 0; i < p.decision_count; i++)
            on[i] = p.decisions[i].on, yes[i] = p.decisions[i].approves;
        p.approved_on = rules_latest_approval(on, yes, p.decision_count);
    }
    if (p.until == DATE_NONE)
        p.left_reason = NULL; /* the sheet says it did not leave */
    return p;
}

static const char *party_label(arena *a, const register_view *v, const party *p);

/* The parties of g's rows, each once, with the sources of their rows; the
 * rows without a party but with a source give the agreement's own sources. */
static gathered *gather_parties(ctx *c, const group *g, const agreement *after, size_t *count, bool *ok,
                                source_rows *own)
{
    gathered *gps = arena_calloc(c->a, g->row_count + 1, sizeof *gps);
    size_t n = 0;
    for (size_t i = 0; i < g->row_count; i++) {
        size_t row = g->rows[i];
        bool bad = false;
        source src;
        bool has_source = read_source_cells(c, row, &src, &bad);
        const char *m = value(c->a, c->s, row, c->col[C_MUNICIPALITY]);
        const char *o = value(c->a, c->s, row, c->col[C_ORGANISATION]);
        if (!m && !o) {
            if (has_source)
                add_source(c->a, own, &src, row);
            else if (!bad)
                problem(c, row, c->col[c->col[C_MUNICIPALITY] >= 0 ? C_MUNICIPALITY : C_ORGANISATION],
                        _("no party; give the municipality (its name or NIS code), or a source of the agreement "
                          "(bron)"));
            *ok = *ok && !bad && has_source;
            continue;
        }
        /* the same name as an earlier row: the same party, resolved on that row's vanaf */
        const char *name = muniname_fold(c->a, m ? m : o);
        gathered *gp = NULL;
        for (size_t k = 0; k < n && !gp; k++)
            gp = strcmp(gps[k].name, name) == 0 && !gps[k].p.organisation == !o ? &gps[k] : NULL;
        party p;
        if (!read_party(c, row, after->start, after->end, gp ? gp->p.from : DATE_NONE, &p) || bad) {
            *ok = false;
            continue;
        }
        for (size_t k = 0; k < n && !gp; k++)
            gp = same_party(&gps[k].p, &p) ? &gps[k] : NULL;
        if (!gp) {
            gp = &gps[n++];
            gp->p = p;
            gp->name = name;
            gp->row = row;
            for (int d = 0; d < 3; d++)
                gp->day_row[d] = *party_day_field(&p, d) != DATE_NONE ? row : SHEET_NO_ROW;
        } else if (!repeat_party(c, gp, &p, row, party_label(c->a, c->v, &gp->p))) {
            *ok = false;
        }
        if (has_source)
            add_source(c->a, &gp->sources, &src, row);
    }
    *count = n;
    return gps;
}

/* ---- the plan ------------------------------------------------------------- */

static const char *party_label(arena *a, const register_view *v, const party *p)
{
    if (p->organisation)
        return p->organisation;
    const char *name = view_municipality_name(v, p->municipality);
    return name ? arena_printf(a, "%s (%s)", name, p->municipality) : p->municipality;
}

static const char *or_empty(const char *s) { return s && *s ? s : _("(empty)"); }

static void add_change(arena *a, sheet_plan_item *it, size_t *cap, const char *line)
{
    it->changes = arena_grow(a, it->changes, cap, it->change_count + 1, sizeof *it->changes);
    it->changes[it->change_count++] = line;
}

/* fmt: "begin: %s → %s", translated */
static void day_change(arena *a, sheet_plan_item *it, size_t *cap, const char *fmt, date_t x, date_t y)
{
    if (x != y)
        add_change(a, it, cap, arena_printf(a, fmt, shown_day(a, x), shown_day(a, y)));
}

static bool same_text(const char *x, const char *y) { return (!x && !y) || (x && y && strcmp(x, y) == 0); }

static bool same_sources(const source *x, size_t nx, const source *y, size_t ny)
{
    if (nx != ny)
        return false;
    for (size_t i = 0; i < nx; i++)
        if (!same_text(x[i].url, y[i].url) || !same_text(x[i].quote, y[i].quote) || x[i].read_on != y[i].read_on)
            return false;
    return true;
}

/* What the sheet changes in an agreement, one line per field or party. */
static void describe(arena *a, const register_view *v, const agreement *b, sheet_plan_item *it)
{
    const agreement *n = it->after;
    size_t cap = 0;
    if (!same_text(b->title, n->title))
        add_change(a, it, &cap, arena_printf(a, _("title: '%s' → '%s'"), or_empty(b->title), or_empty(n->title)));
    if (b->vdab_directorate != n->vdab_directorate)
        add_change(a, it, &cap, arena_printf(a, _("directorate: %s → %s"), province_name(b->vdab_directorate),
                                             province_name(n->vdab_directorate)));
    if (b->status != n->status)
        add_change(a, it, &cap, arena_printf(a, _("status: %s → %s"), status_label_nl(b->status),
                                             status_label_nl(n->status)));
    day_change(a, it, &cap, _("begin: %s → %s"), b->start, n->start);
    day_change(a, it, &cap, _("end: %s → %s"), b->end, n->end);
    day_change(a, it, &cap, _("terminated on: %s → %s"), b->terminated_on, n->terminated_on);
    if (!same_text(b->kind, n->kind))
        add_change(a, it, &cap, arena_printf(a, _("kind: %s → %s"), or_empty(b->kind), or_empty(n->kind)));
    day_change(a, it, &cap, _("signed on: %s → %s"), b->signed_on, n->signed_on);
    if (!same_text(b->predecessor, n->predecessor))
        add_change(a, it, &cap, arena_printf(a, _("predecessor: %s → %s"), or_empty(b->predecessor),
                                             or_empty(n->predecessor)));
    if (!same_text(b->notes, n->notes))
        add_change(a, it, &cap, _("notes changed"));
    if (!same_sources(b->sources, b->source_count, n->sources, n->source_count))
        add_change(a, it, &cap, arena_printf(a, _("sources of the agreement: %zu → %zu"), b->source_count,
                                             n->source_count));
    for (size_t i = 0; i < b->party_count; i++) {
        bool kept = false;
        for (size_t k = 0; k < n->party_count && !kept; k++)
            kept = same_party(&b->parties[i], &n->parties[k]);
        if (!kept)
            add_change(a, it, &cap, arena_printf(a, _("party removed: %s"), party_label(a, v, &b->parties[i])));
    }
    for (size_t k = 0; k < n->party_count; k++) {
        const party *np = &n->parties[k], *bp = NULL;
        for (size_t i = 0; i < b->party_count && !bp; i++)
            bp = same_party(&b->parties[i], np) ? &b->parties[i] : NULL;
        if (!bp) {
            add_change(a, it, &cap, arena_printf(a, _("party added: %s"), party_label(a, v, np)));
            continue;
        }
        const char *label = party_label(a, v, np), *what = NULL;
        struct {
            const char *fmt; /* "approved on %s → %s", translated */
            date_t x, y;
        } days[3] = {{_("approved on %s → %s"), bp->approved_on, np->approved_on},
                     {_("from %s → %s"), bp->from, np->from},
                     {_("until %s → %s"), bp->until, np->until}};
        for (int d = 0; d < 3; d++)
            if (days[d].x != days[d].y) {
                const char *one = arena_printf(a, days[d].fmt, shown_day(a, days[d].x), shown_day(a, days[d].y));
                what = what ? arena_printf(a, "%s; %s", what, one) : one;
            }
        if (!same_sources(bp->sources, bp->source_count, np->sources, np->source_count)) {
            const char *one = arena_printf(a, _("sources %zu → %zu"), bp->source_count, np->source_count);
            what = what ? arena_printf(a, "%s; %s", what, one) : one;
        }
        if (what)
            add_change(a, it, &cap, arena_printf(a, _("party %s: %s"), label, what));
    }
    if (!it->change_count)
        add_change(a, it, &cap, _("what follows from the sheet's fields (a left party's reason, an approval from its decisions)"));
}

static bool same_content(const agreement *x, const agreement *y)
{
    return history_same(somon1_agreement_json(x), somon1_agreement_json(y));
}

/* The column a somon/1 field of an agreement comes from, or -1. */
static int field_column(const char *path)
{
    static const struct {
        const char *path;
        int col;
    } map[] = {{"id", C_ID},   {"title", C_TITLE}, {"vdab_directorate", C_DIRECTORATE}, {"status", C_STATUS},
               {"start", C_BEGIN}, {"end", C_END},     {"terminated_on", C_STATUS},          {"terminated_by", C_STATUS},
               {"municipality", C_MUNICIPALITY}, {"organisation", C_ORGANISATION}, {"approved_on", C_APPROVED},
               {"from", C_FROM}, {"until", C_UNTIL}, {"kind", C_KIND}, {"signed_on", C_SIGNED},
               {"predecessor", C_PREDECESSOR}, {"notes", C_NOTES}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        size_t n = strlen(map[i].path);
        if (strncmp(path, map[i].path, n) == 0 && (path[n] == '\0' || path[n] == '.' || path[n] == '['))
            return map[i].col;
    }
    return -1;
}

/* Where a party of the new version came from: its first row (SHEET_NO_ROW
 * for a party kept from the register) and the rows of its sources. */
typedef struct {
    size_t row;
    const size_t *source_rows; /* NULL: kept from the register */
    size_t source_count;
} party_at;

/* A source's problem at the row that gave it: the url on bron, the quote on
 * citaat, the day on gelezen_op. False when the source is not of the sheet. */
static bool source_problem(ctx *c, const char *rest, const size_t *rows, size_t n, const char *message)
{
    char *end;
    unsigned long j = strtoul(rest + 8, &end, 10);
    if (*end != ']' || j >= n || !rows)
        return false;
    const char *f = end[1] == '.' ? end + 2 : "url";
    int k = strcmp(f, "quote") == 0 ? C_QUOTE : strcmp(f, "read_on") == 0 ? C_READ_ON : C_SOURCE;
    problem(c, rows[j], c->col[k], "%s", message);
    return true;
}

/* A problem the import's rules found in the agreement of g, at the cell its
 * path came from: a party's field on the party's row, an agreement's field on
 * the row that gave it, a source on its row, what the sheet has no column for
 * on the id's cell. */
static void mapped_problem(ctx *c, const group *g, const party_at *at, size_t parties, const source_rows *own,
                           const char *path, const char *message)
{
    size_t row = g->first_row;
    const char *rest = path;
    const size_t *srows = c->col[C_SOURCE] >= 0 ? own->rows : NULL;
    size_t ns = own->count;
    if (strncmp(path, "parties[", 8) == 0) {
        char *end;
        unsigned long i = strtoul(path + 8, &end, 10);
        srows = NULL;
        if (*end == ']' && i < parties && at[i].row != SHEET_NO_ROW) {
            row = at[i].row;
            rest = end[1] == '.' ? end + 2 : "municipality";
            srows = at[i].source_rows;
            ns = at[i].source_count;
        }
    }
    if (strncmp(rest, "sources[", 8) == 0 && source_problem(c, rest, srows, ns, message))
        return;
    int k = field_column(rest);
    if (k >= 0 && k < AG_FIELDS && g->f[k].given)
        row = g->f[k].row;
    if (k >= 0 && c->col[k] >= 0 && (k != C_STATUS || strcmp(rest, "status") == 0)) {
        problem(c, row, c->col[k], "%s", message);
        return;
    }
    /* a field the sheet cannot express, kept from the register */
    problem(c, row, k == C_STATUS && c->col[C_STATUS] >= 0 ? c->col[C_STATUS] : c->col[C_ID],
            _("%s (%s, which the sheet does not hold: change it on the agreement's page)"), message, path);
}

typedef struct {
    somon1_context known;
    sheet_permit permit;
    void *permit_ctx;
    bool lifecycle;
} plan_env;


/* The status steps of the edit forms, for a change of a stored agreement:
 * each problem at the status cell (the row that gave it). */
static void lifecycle_problems(ctx *c, const group *g, const agreement *before, const agreement *after)
{
    rules_lifecycle b = somon1_lifecycle(before), n = somon1_lifecycle(after);
    unsigned bits = rules_lifecycle_check(&b, &n);
    size_t row = g->f[C_STATUS].given ? g->f[C_STATUS].row : g->first_row;
    int col = c->col[C_STATUS];
    if (bits & LIFECYCLE_STEP_FORBIDDEN)
        problem(c, row, col, "%s",
                before->status == STATUS_TERMINATED ? _("a terminated agreement stays terminated")
                : before->status == STATUS_SIGNED
                    ? _("a signed agreement can only be terminated, on the agreement's page (the day it ended and "
                        "who ended it are not in the sheet)")
                    : _("an agreement is signed before it is terminated"));
    if (bits & LIFECYCLE_NEEDS_START)
        problem(c, row, c->col[C_BEGIN] >= 0 ? c->col[C_BEGIN] : col, "%s",
                _("a signed agreement needs a begin date"));
    if (bits & LIFECYCLE_NEEDS_APPROVAL)
        problem(c, row, c->col[C_APPROVED] >= 0 ? c->col[C_APPROVED] : col, "%s",
                _("a signed agreement needs at least one municipality with the day its council approved "
                  "(goedgekeurd_op)"));
    /* a terminated_on or terminated_by missing is the import's own check, on this cell too */
}

/* The new version of g's agreement: the stored one (if any) with what the
 * sheet gives. */
static int plan_agreement(ctx *c, store *s, const plan_env *env, const group *g)
{
    arena *a = c->a;
    size_t problems_before = c->plan->problem_count;
    source_rows own = {0}; /* the sources of the agreement itself */
    agreement *before = arena_calloc(a, 1, sizeof *before), *after = arena_calloc(a, 1, sizeof *after);
    int found = store_get_agreement(s, STORE_NOW, g->id, a, before);
    if (found < 0)
        return -1;
    if (found)
        *after = *before;
    else {
        after->vdab_directorate = -1;
        after->status = STATUS_DRAFT;
        after->start = after->end = after->expected_start = after->terminated_on = after->signed_on = DATE_NONE;
    }
    after->id = (char *)g->id;
    if (g->f[C_TITLE].given)
        after->title = (char *)g->f[C_TITLE].title;
    else if (!found || c->col[C_TITLE] >= 0)
        after->title = NULL; /* the import's check says it is required */
    if (g->f[C_DIRECTORATE].given)
        after->vdab_directorate = g->f[C_DIRECTORATE].number;
    if (g->f[C_STATUS].given)
        after->status = (agreement_status)g->f[C_STATUS].number;
    if (c->col[C_BEGIN] >= 0)
        after->start = g->f[C_BEGIN].given ? g->f[C_BEGIN].day : DATE_NONE;
    if (c->col[C_END] >= 0)
        after->end = g->f[C_END].given ? g->f[C_END].day : DATE_NONE;
    if (c->col[C_PREDECESSOR] >= 0)
        after->predecessor = g->f[C_PREDECESSOR].given ? (char *)g->f[C_PREDECESSOR].text : NULL;
    if (c->col[C_KIND] >= 0)
        after->kind = g->f[C_KIND].given ? (char *)AGREEMENT_KINDS[g->f[C_KIND].number] : NULL;
    if (c->col[C_SIGNED] >= 0)
        after->signed_on = g->f[C_SIGNED].given ? g->f[C_SIGNED].day : DATE_NONE;
    if (c->col[C_NOTES] >= 0)
        after->notes = g->f[C_NOTES].given ? (char *)g->f[C_NOTES].text : NULL;
    if (after->status != STATUS_TERMINATED) { /* only a terminated agreement has them */
        after->terminated_on = DATE_NONE;
        after->terminated_by = NULL;
    }
    if (!g->f[C_STATUS].given && !found && !g->bad)
        problem(c, g->first_row, c->col[C_STATUS], _("the status is missing; give it on the agreement's first row"));
    /* the parties: the sheet's rows, each merged with the stored party it is */
    bool parties_ok = true;
    size_t ngp = 0;
    gathered *gps = gather_parties(c, g, after, &ngp, &parties_ok, &own);
    size_t cap = ngp + (found ? before->party_count : 0) + 1;
    party *parties = arena_calloc(a, cap, sizeof *parties);
    party_at *rows = arena_calloc(a, cap, sizeof *rows);
    size_t n = 0;
    for (size_t i = 0; i < ngp; i++) {
        const party *stored = NULL;
        gathered *gp = &gps[i];
        gp->p.sources = gp->sources.items;
        gp->p.source_count = gp->sources.count;
        for (size_t k = 0; found && k < before->party_count && !stored; k++)
            stored = same_party(&before->parties[k], &gp->p) ? &before->parties[k] : NULL;
        bool sources_given = c->col[C_SOURCE] >= 0;
        rows[n] = (party_at){gp->row, sources_given || !stored ? gp->sources.rows : NULL, gp->sources.count};
        parties[n++] = merge_party(a, &gp->p, stored, c->col[C_APPROVED] >= 0, c->col[C_FROM] >= 0,
                                   c->col[C_UNTIL] >= 0, sources_given);
    }
    /* without an organisatie column the sheet says nothing of the organisations */
    if (found && c->col[C_ORGANISATION] < 0)
        for (size_t k = 0; k < before->party_count; k++)
            if (before->parties[k].organisation) {
                rows[n] = (party_at){SHEET_NO_ROW, NULL, 0};
                parties[n++] = before->parties[k];
            }
    if (c->col[C_SOURCE] >= 0) {
        after->sources = own.items;
        after->source_count = own.count;
    }
    if (!parties_ok || g->bad)
        return 0; /* the import's checks would only repeat what the rows say */
    /* the stored order where the parties were stored, the new ones after them */
    if (found) {
        party *ordered = arena_calloc(a, n + 1, sizeof *ordered);
        party_at *ordered_rows = arena_calloc(a, n + 1, sizeof *ordered_rows);
        size_t m = 0;
        bool *used = arena_calloc(a, n + 1, sizeof *used);
        for (size_t k = 0; k < before->party_count; k++)
            for (size_t i = 0; i < n; i++)
                if (!used[i] && same_party(&before->parties[k], &parties[i])) {
                    used[i] = true;
                    ordered_rows[m] = rows[i];
                    ordered[m++] = parties[i];
                    break;
                }
        for (size_t i = 0; i < n; i++)
            if (!used[i]) {
                ordered_rows[m] = rows[i];
                ordered[m++] = parties[i];
            }
        parties = ordered;
        rows = ordered_rows;
    }
    after->parties = n ? parties : NULL;
    after->party_count = n;
    somon1_problem *found_problems;
    size_t np = somon1_check_agreement(after, &env->known, a, &found_problems);
    for (size_t i = 0; i < np; i++)
        mapped_problem(c, g, rows, n, &own, found_problems[i].path, found_problems[i].message);
    if (env->lifecycle && found)
        lifecycle_problems(c, g, before, after);
    if (env->permit) {
        const char *why = env->permit(env->permit_ctx, found ? before : NULL, after);
        if (why)
            problem(c, g->f[C_DIRECTORATE].given ? g->f[C_DIRECTORATE].row : g->first_row, c->col[C_DIRECTORATE], "%s",
                    why);
    }
    if (c->plan->problem_count != problems_before)
        return 0;
    sheet_plan *plan = c->plan;
    sheet_plan_item *it = &plan->items[plan->count++];
    *it = (sheet_plan_item){g->id, SHEET_NEW, NULL, 0, after, found ? before->version : 0, g->first_row};
    if (!found) {
        plan->added++;
    } else if (same_content(before, after)) {
        it->kind = SHEET_UNCHANGED;
        plan->unchanged++;
    } else {
        it->kind = SHEET_CHANGED;
        plan->changed++;
        describe(a, c->v, before, it);
    }
    return 0;
}

/* The sheet to read: "Bijlage" when there is one, else the first. */
static const sheet *pick_sheet(arena *a, const sheet_book *book)
{
    for (size_t i = 0; i < book->count; i++)
        if (book->sheets[i].name && strcmp(muniname_fold(a, book->sheets[i].name), "bijlage") == 0)
            return &book->sheets[i];
    return book->count ? &book->sheets[0] : NULL;
}

static void add_file_problem(arena *a, sheet_plan *out, const char *why)
{
    out->problems = arena_calloc(a, 1, sizeof *out->problems);
    out->problems[0] = (sheet_problem){NULL, SHEET_NO_ROW, why};
    out->problem_count = 1;
}

void sheet_import_refused(arena *a, const char *why, sheet_plan *out)
{
    memset(out, 0, sizeof *out);
    add_file_problem(a, out, why);
}

/* In the order of the rows (the file's own problems first), each row's in the
 * order they were found. */
typedef struct {
    size_t row, index;
} row_at;

static int by_row(const void *x, const void *y)
{
    const row_at *p = x, *q = y;
    size_t a = p->row + 1, b = q->row + 1; /* SHEET_NO_ROW + 1 == 0 */
    if (a != b)
        return a < b ? -1 : 1;
    return p->index < q->index ? -1 : p->index > q->index;
}

static void sort_problems(arena *a, sheet_plan *p)
{
    size_t n = p->problem_count;
    if (n < 2)
        return;
    row_at *keys = arena_calloc(a, n, sizeof *keys);
    for (size_t i = 0; i < n; i++)
        keys[i] = (row_at){p->problems[i].row, i};
    qsort(keys, n, sizeof *keys, by_row);
    sheet_problem *sorted = arena_calloc(a, n, sizeof *sorted);
    for (size_t i = 0; i < n; i++)
        sorted[i] = p->problems[keys[i].index];
    p->problems = sorted;
}

static int by_id(const void *x, const void *y)
{
    return strcmp(((const agreement *)x)->id, ((const agreement *)y)->id);
}

/* The agreements of the sheet join the register's links, with the
 * predecessor the sheet gives them: an agreement may follow up one that the
 * same sheet adds, and a cycle through the sheet is found. */
static void add_sheet_links(ctx *c, const group *groups, size_t ng, somon1_doc *known)
{
    agreement *all = arena_calloc(c->a, known->agreement_count + ng + 1, sizeof *all);
    size_t n = known->agreement_count;
    if (n)
        memcpy(all, known->agreements, n * sizeof *all);
    for (size_t i = 0; i < ng; i++) {
        agreement *have = NULL;
        for (size_t k = 0; k < known->agreement_count && !have; k++) /* sorted: a search would do, but sheets are small */
            have = strcmp(all[k].id, groups[i].id) == 0 ? &all[k] : NULL;
        if (!have) {
            have = &all[n++];
            have->id = (char *)groups[i].id;
            have->start = have->end = have->expected_start = have->terminated_on = have->signed_on = DATE_NONE;
        }
        if (c->col[C_PREDECESSOR] >= 0)
            have->predecessor = groups[i].f[C_PREDECESSOR].given ? (char *)groups[i].f[C_PREDECESSOR].text : NULL;
    }
    qsort(all, n, sizeof *all, by_id);
    known->agreements = all;
    known->agreement_count = n;
}

int sheet_import_plan(arena *a, const sheet_book *book, store *s, const register_view *v, sheet_permit permit,
                      void *permit_ctx, bool lifecycle, sheet_plan *out)
{
    memset(out, 0, sizeof *out);
    out->known = store_last_change(s);
    if (out->known < 0)
        return -1;
    const sheet *sh = pick_sheet(a, book);
    size_t hr = sh ? find_header_row(a, sh) : SHEET_NO_ROW;
    if (hr == SHEET_NO_ROW) {
        add_file_problem(a, out, _("the sheet is empty; give a row of headers (overeenkomst, titel, directie, status, "
                                   "begin, einde, gemeente, goedgekeurd_op, vanaf, tot) and a row per party"));
        return 0;
    }
    out->sheet = sh;
    out->header_row = hr;
    ctx c = {a, sh, v, out, 0, {0}};
    if (!read_headers(&c, hr))
        return 0;
    size_t ng;
    group *groups = read_groups(&c, hr, &ng);
    if (!ng && !out->problem_count) {
        problem(&c, hr, 0, _("no agreements below the headers; give a row per party (the template's example row, "
                              "whose id begins with VOORBEELD-, is not read)"));
        return 0;
    }
    plan_env env = {{v, {0}}, permit, permit_ctx, lifecycle};
    if (store_get_organisations(s, STORE_NOW, a, &env.known.known.organisations, &env.known.known.organisation_count) ||
        store_get_regiegebieden(s, STORE_NOW, a, &env.known.known.regiegebieden, &env.known.known.regiegebied_count) ||
        store_get_agreement_links(s, STORE_NOW, a, &env.known.known.agreements, &env.known.known.agreement_count))
        return -1;
    add_sheet_links(&c, groups, ng, &env.known.known);
    out->items = arena_calloc(a, ng + 1, sizeof *out->items);
    for (size_t i = 0; i < ng; i++)
        if (plan_agreement(&c, s, &env, &groups[i]))
            return -1;
    sort_problems(a, out);
    return 0;
}

const char *sheet_problem_line(arena *a, const sheet_problem *p)
{
    return p->cell ? arena_printf(a, "%s: %s", p->cell, p->message) : p->message;
}

/* ---- writing -------------------------------------------------------------- */

int sheet_import_write(store *s, arena *a, sheet_plan *plan, const char *actor, const char *detail)
{
    if (plan->problem_count)
        return SHEET_FAILED;
    if (plan->added + plan->changed == 0)
        return SHEET_WRITTEN; /* nothing new: no change recorded */
    int64_t change;
    if (store_begin(s, actor, "import", detail, &change))
        return SHEET_FAILED;
    /* inside the write lock: every agreement must still be the version the
     * plan compared with, or the plan describes a register that is gone */
    for (size_t i = 0; i < plan->count; i++) {
        sheet_plan_item *it = &plan->items[i];
        agreement now;
        int found = store_get_agreement(s, STORE_NOW, it->id, a, &now);
        if (found < 0)
            goto failed;
        if ((found ? now.version : 0) != it->version) {
            store_rollback(s);
            return SHEET_STALE;
        }
        if (it->kind == SHEET_UNCHANGED)
            continue;
        if (store_put_agreement(s, change, it->after))
            goto failed;
        if (found) { /* the sheet keeps the action plan and governance: nothing can be cut off, but the rule holds */
            store_orphan *evs, *ms;
            size_t ne, nm;
            if (somon1_cut_off(s, a, &now, &evs, &ne, &ms, &nm) || ne || nm)
                goto failed;
        }
    }
    if (store_commit(s))
        goto failed;
    return SHEET_WRITTEN;
failed:
    store_rollback(s);
    return SHEET_FAILED;
}
