/* report_coverage.c: the parliamentary table of SPEC §4. */
#include "report.h"

#include <string.h>

#include "store_cooperation.h"

void coverage_report_from(const register_view *v, const rules_coverage *on_d, const rules_coverage *on_p,
                          moment_t as_known_at, coverage_report *out)
{
    memset(out, 0, sizeof *out);
    out->date = on_d->date;
    out->prognosis = on_p ? on_p->date : DATE_NONE;
    out->as_known_at = as_known_at;
    out->notice = v->notice;
    memcpy(out->municipalities, on_d->municipalities, sizeof on_d->municipalities);
    memcpy(out->regions, on_d->regions, sizeof on_d->regions);
    if (!on_p)
        return;
    memcpy(out->prognosis_municipalities, on_p->municipalities, sizeof on_p->municipalities);
    memcpy(out->prognosis_regions, on_p->regions, sizeof on_p->regions);
}

int coverage_report_compute(const register_view *v, date_t d, date_t p, moment_t as_known_at, coverage_report *out)
{
    memset(out, 0, sizeof *out);
    rules_coverage on_d, on_p;
    if (rules_coverage_eval(&on_d, &v->map, v->rules_agreements, v->agreement_count, v->rules_regions,
                            v->region_count, d, BASIS_ACTUAL, RULES_COUNTS))
        return -1;
    if (p != DATE_NONE && rules_coverage_eval(&on_p, &v->map, v->rules_agreements, v->agreement_count,
                                              v->rules_regions, v->region_count, p, BASIS_PROGNOSIS, RULES_COUNTS)) {
        rules_coverage_free(&on_d);
        return -1;
    }
    coverage_report_from(v, &on_d, p != DATE_NONE ? &on_p : NULL, as_known_at, out);
    rules_coverage_free(&on_d);
    if (p != DATE_NONE)
        rules_coverage_free(&on_p);
    return 0;
}

static const char *const KEYS[] = {
    "province", "date", "covered", "total", "pct", "prognosis_date", "prognosis_covered", "prognosis_total",
    "prognosis_pct", "regions_covered", "regions_total", "regions_pct", "prognosis_regions_covered",
    "prognosis_regions_total", "prognosis_regions_pct"};
static const char *const LABELS[] = {
    "Provincie", "Datum", "Gemeenten gedekt", "Gemeenten", "% gemeenten", "Prognosedatum",
    "Prognose gedekt", "Gemeenten (prognose)", "% prognose", "Regiegebieden gedekt", "Regiegebieden",
    "% regiegebieden", "Prognose regiegebieden gedekt", "Regiegebieden (prognose)", "% prognose regiegebieden"};

static void count_cells(cell *c, const rules_count *n, bool present)
{
    if (!present)
        return;
    c[0] = cell_int(n->covered);
    c[1] = cell_int(n->total);
    c[2] = cell_percent(rules_percent(n->covered, n->total));
}

/* The data table: one row per province and the total, numbers split. */
void coverage_report_table(const coverage_report *r, arena *a, table *t)
{
    bool prog = r->prognosis != DATE_NONE;
    table_init(t, a, "Samenwerkingsovereenkomsten VDAB en lokale besturen", KEYS, LABELS, 15);
    for (int p = 0; p < PROVINCE_ROWS; p++) {
        cell *c = table_row(t);
        c[0] = cell_text(province_name(p));
        c[1] = cell_date(r->date);
        count_cells(c + 2, &r->municipalities[p], true);
        if (prog)
            c[5] = cell_date(r->prognosis);
        count_cells(c + 6, &r->prognosis_municipalities[p], prog);
        count_cells(c + 9, &r->regions[p], true);
        count_cells(c + 12, &r->prognosis_regions[p], prog);
    }
}

static char *fraction(arena *a, const rules_count *n) { return arena_printf(a, "%d/%d", n->covered, n->total); }

static char *pct_text(arena *a, const rules_count *n)
{
    int pct = rules_percent(n->covered, n->total);
    return pct < 0 ? arena_strdup(a, "–") : arena_printf(a, "%d", pct);
}

/* The table for people: n/N and % side by side, as parliament gets it. */
static void display_table(const coverage_report *r, arena *a, table *t)
{
    bool prog = r->prognosis != DATE_NONE;
    char d[DATE_NL_LEN], p[DATE_NL_LEN];
    date_format_nl(r->date, d);
    date_format_nl(r->prognosis, p);
    const char **labels = arena_calloc(a, 9, sizeof *labels);
    size_t n = 0;
    labels[n++] = "Provincie";
    for (int g = 0; g < 4; g++) {
        if (!prog && (g == 1 || g == 3))
            continue;
        labels[n++] = arena_printf(a, "%s %s %s (n/N)", g < 2 ? "Gemeenten" : "Regiegebieden",
                                   g % 2 ? "prognose" : "op", g % 2 ? p : d);
        labels[n++] = "%";
    }
    table_init(t, a, arena_printf(a, "Samenwerkingsovereenkomsten VDAB en lokale besturen op %s", d), labels, labels,
               n);
    for (int row = 0; row < PROVINCE_ROWS; row++) {
        cell *c = table_row(t);
        c[0] = cell_text(province_name(row));
        const rules_count *groups[4] = {&r->municipalities[row], &r->prognosis_municipalities[row], &r->regions[row],
                                        &r->prognosis_regions[row]};
        int k = 1;
        for (int g = 0; g < 4; g++) {
            if (!prog && (g == 1 || g == 3))
                continue;
            c[k++] = cell_text(fraction(a, groups[g]));
            c[k++] = cell_text(pct_text(a, groups[g]));
        }
    }
}

/* Notes under the table: partially covered merged municipalities and the
 * moment the figures were known at. */
static void notes(const coverage_report *r, buf *b, const char *bullet)
{
    for (int prog = 0; prog <= (r->prognosis != DATE_NONE); prog++) {
        const rules_count *rows = prog ? r->prognosis_municipalities : r->municipalities;
        if (!rows[ROW_FLANDERS].partial)
            continue;
        char d[DATE_NL_LEN];
        buf_printf(b, "%s%s %s: %d fusiegemeente(n) gedeeltelijk gedekt (niet alle deelgemeenten), niet meegeteld in n:",
                   bullet, prog ? "Prognose" : "Op", date_format_nl(prog ? r->prognosis : r->date, d),
                   rows[ROW_FLANDERS].partial);
        for (int p = 0; p < PROVINCE_COUNT; p++)
            if (rows[p].partial)
                buf_printf(b, " %s %d", province_name(p), rows[p].partial);
        buf_putc(b, '\n');
    }
    if (r->as_known_at != MOMENT_NONE) {
        char m[MOMENT_ISO_LEN];
        buf_printf(b, "%sZoals gekend op %s (UTC).\n", bullet, moment_format_utc(r->as_known_at, m));
    }
}

/* ---- footnotes (rules_footnotes.h, docs/footnotes.md) ---- */

int coverage_report_footnotes(coverage_report *r, const register_view *v, store *s, arena *a, buf *why)
{
    r->footnotes = NULL;
    r->view = v;
    if (r->prognosis == DATE_NONE)
        return 0;
    outreach_entry *log;
    size_t n;
    if (store_get_outreach(s, v->known, NULL, a, &log, &n)) {
        buf_printf(why, "cannot read the outreach log: %s", store_error(s));
        return -1;
    }
    footnote_list *l = arena_calloc(a, 1, sizeof *l);
    if (footnotes_compute(v, log, n, r->date, r->prognosis, a, l)) {
        buf_puts(why, "out of memory while deriving the footnotes");
        return -1;
    }
    r->footnotes = l;
    return 0;
}

static bool has_footnotes(const coverage_report *r) { return r->footnotes && r->footnotes->count > 0; }

static const char *footnotes_heading(const coverage_report *r, arena *a)
{
    char p[DATE_NL_LEN];
    return arena_printf(a, "Voetnoten bij de prognose op %s", date_format_nl(r->prognosis, p));
}

/* "Limburg (1) Nog 2 gemeenten …", one line each; prefix before each line. */
static void footnotes_lines(const coverage_report *r, arena *a, buf *b, const char *prefix, bool markdown)
{
    for (size_t i = 0; i < r->footnotes->count; i++) {
        const footnote *f = &r->footnotes->items[i];
        buf_printf(b, "%s%s (%d) ", prefix, province_name(f->province), f->number);
        const char *t = footnote_text(a, r->view, f);
        if (!markdown) {
            buf_puts(b, t);
        } else {
            /* stored text must not become Markdown (or the HTML it passes through) */
            for (; *t; t++) {
                if (strchr("\\`*_[]<>|&#", *t))
                    buf_putc(b, '\\');
                buf_putc(b, *t == '\n' || *t == '\r' ? ' ' : *t);
            }
        }
        buf_putc(b, '\n');
    }
}

static void footnotes_text(const coverage_report *r, buf *b)
{
    if (!has_footnotes(r))
        return;
    arena *a = arena_new();
    buf_printf(b, "\n%s:\n", footnotes_heading(r, a));
    footnotes_lines(r, a, b, "", false);
    arena_free(a);
}

static void footnotes_markdown(const coverage_report *r, buf *b)
{
    if (!has_footnotes(r))
        return;
    arena *a = arena_new();
    buf_printf(b, "\n**%s**\n\n", footnotes_heading(r, a));
    footnotes_lines(r, a, b, "- ", true);
    arena_free(a);
}

/* Per province with footnotes: its name and an ordered list, numbers 1.. */
static void footnotes_html(const coverage_report *r, buf *b)
{
    if (!has_footnotes(r))
        return;
    arena *a = arena_new();
    buf_fmt(b, "<section class=\"footnotes\">\n<h2>%h</h2>\n", footnotes_heading(r, a));
    for (int p = 0; p < PROVINCE_COUNT; p++) {
        const footnote *f;
        size_t n = footnotes_of_province(r->footnotes, p, &f);
        if (!n)
            continue;
        buf_fmt(b, "<h3>%h</h3>\n<ol>\n", province_name(p));
        for (size_t i = 0; i < n; i++)
            buf_fmt(b, "<li value=\"%d\">%h</li>\n", f[i].number, footnote_text(a, r->view, &f[i]));
        buf_puts(b, "</ol>\n");
    }
    buf_puts(b, "</section>\n");
    arena_free(a);
}

static void json_date(buf *b, date_t d)
{
    char iso[DATE_ISO_LEN];
    if (d == DATE_NONE)
        buf_puts(b, "null");
    else
        buf_printf(b, "\"%s\"", date_format_iso(d, iso));
}

static void json_municipality(buf *b, const register_view *v, int identity)
{
    if (identity < 0) {
        buf_puts(b, "null");
        return;
    }
    buf_fmt(b, "{\"nis\": %j, \"name\": %j}", v->municipalities[identity].nis, v->municipalities[identity].name);
}

static void json_item(buf *b, const register_view *v, const footnote *f, const footnote_item *it)
{
    buf_fmt(b, "{\"nis\": %j, \"name\": %j, \"via\": ", v->municipalities[it->identity].nis,
            v->municipalities[it->identity].name);
    json_municipality(b, v, it->via);
    if (f->kind != FOOTNOTE_NOTHING) {
        buf_puts(b, f->kind == FOOTNOTE_ENDING ? ", \"until\": " : ", \"from\": ");
        json_date(b, it->from);
        buf_putc(b, '}');
        return;
    }
    buf_fmt(b, ", \"partial\": %s, \"stage\": ", it->state == COVER_PARTIAL ? "true" : "false");
    if (it->stage == OUTREACH_NONE)
        buf_puts(b, "null");
    else
        buf_fmt(b, "%j", outreach_stage_name(it->stage));
    buf_puts(b, ", \"stage_on\": ");
    json_date(b, it->stage_on);
    buf_puts(b, ", \"note\": ");
    if (it->note)
        buf_fmt(b, "%j", it->note);
    else
        buf_puts(b, "null");
    buf_puts(b, ", \"later_agreement\": ");
    if (it->later_agreement >= 0)
        buf_fmt(b, "%j", v->agreements[it->later_agreement].id);
    else
        buf_puts(b, "null");
    buf_puts(b, ", \"later_from\": ");
    json_date(b, it->later_from);
    buf_puts(b, ", \"unstarted_agreement\": ");
    if (it->unstarted_agreement >= 0)
        buf_fmt(b, "%j", v->agreements[it->unstarted_agreement].id);
    else
        buf_puts(b, "null");
    buf_putc(b, '}');
}

/* "footnotes": [{province, number, kind, agreement, status, expected, text, municipalities}] */
static void footnotes_json(const coverage_report *r, buf *b)
{
    buf_puts(b, ",\n  \"footnotes\": [");
    arena *a = arena_new();
    for (size_t i = 0; r->footnotes && i < r->footnotes->count; i++) {
        const footnote *f = &r->footnotes->items[i];
        bool ag = f->agreement >= 0;
        buf_fmt(b, "%s\n    {\"province\": %j, \"number\": %d, \"kind\": %j, \"agreement\": ", i ? "," : "",
                province_name(f->province), f->number, footnote_kind_name(f->kind));
        if (ag)
            buf_fmt(b, "%j, \"status\": %j", r->view->agreements[f->agreement].id, status_name(f->status));
        else
            buf_puts(b, "null, \"status\": null");
        buf_puts(b, ", \"expected\": ");
        json_date(b, f->expected);
        buf_fmt(b, ", \"text\": %j,\n     \"municipalities\": [", footnote_text(a, r->view, f));
        for (size_t k = 0; k < f->count; k++) {
            buf_puts(b, k ? ", " : "");
            json_item(b, r->view, f, &f->items[k]);
        }
        buf_puts(b, "]}");
    }
    buf_puts(b, r->footnotes && r->footnotes->count ? "\n  ]" : "]");
    arena_free(a);
}

static const char *const FOOTNOTE_KEYS[] = {"province", "number", "kind", "agreement", "status", "expected",
                                            "municipalities", "text"};
static const char *const FOOTNOTE_LABELS[] = {"Provincie", "Nr.", "Soort", "Overeenkomst", "Status", "Datum",
                                              "Gemeenten", "Voetnoot"};

void coverage_footnotes_table(const coverage_report *r, arena *a, table *t)
{
    table_init(t, a, footnotes_heading(r, a), FOOTNOTE_KEYS, FOOTNOTE_LABELS, 8);
    for (size_t i = 0; r->footnotes && i < r->footnotes->count; i++) {
        const footnote *f = &r->footnotes->items[i];
        cell *c = table_row(t);
        c[0] = cell_text(province_name(f->province));
        c[1] = cell_int(f->number);
        c[2] = cell_text(footnote_kind_label_nl(f->kind));
        if (f->agreement >= 0) {
            c[3] = cell_text(r->view->agreements[f->agreement].id);
            c[4] = cell_text(status_label_nl(f->status));
        }
        c[5] = cell_date(f->expected);
        c[6] = cell_int((long long)f->count);
        c[7] = cell_text(footnote_text(a, r->view, f));
    }
}

static void pad(buf *b, const char *s, int width)
{
    buf_puts(b, s);
    /* count characters, not bytes, so that "–" aligns */
    int n = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        n += (*c & 0xC0) != 0x80;
    for (; n < width; n++)
        buf_putc(b, ' ');
}

/* Ends a line of the text table without trailing blanks. */
static void end_line(buf *b)
{
    while (b->len && b->data[b->len - 1] == ' ')
        b->data[--b->len] = '\0';
    buf_putc(b, '\n');
}

static void render_text(const coverage_report *r, buf *b)
{
    arena *a = arena_new();
    bool prog = r->prognosis != DATE_NONE;
    char d[DATE_NL_LEN], p[DATE_NL_LEN];
    date_format_nl(r->date, d);
    date_format_nl(r->prognosis, p);
    const int label = 18, nw = 12, pw = 9, group = nw + pw;
    pad(b, "", label);
    pad(b, "Gemeenten", prog ? 2 * group : group);
    buf_puts(b, "Regiegebieden sociale economie en werk");
    end_line(b);
    pad(b, "", label);
    for (int g = 0; g < 2; g++) {
        pad(b, arena_printf(a, "op %s", d), group);
        if (prog)
            pad(b, arena_printf(a, "prognose %s", p), group);
    }
    end_line(b);
    pad(b, "", label);
    for (int g = 0; g < (prog ? 4 : 2); g++) {
        pad(b, "n", nw);
        pad(b, "%", pw);
    }
    end_line(b);
    for (int row = 0; row < PROVINCE_ROWS; row++) {
        pad(b, province_name(row), label);
        const rules_count *groups[4] = {&r->municipalities[row], &r->prognosis_municipalities[row], &r->regions[row],
                                        &r->prognosis_regions[row]};
        for (int g = 0; g < 4; g++) {
            if (!prog && (g == 1 || g == 3))
                continue;
            pad(b, fraction(a, groups[g]), nw);
            pad(b, pct_text(a, groups[g]), pw);
        }
        end_line(b);
    }
    notes(r, b, "");
    footnotes_text(r, b);
    report_notice(b, FORMAT_TEXT, r->notice);
    arena_free(a);
}

static void json_counts(buf *b, const char *prefix, const rules_count *n, bool present)
{
    int pct = present ? rules_percent(n->covered, n->total) : -1;
    if (!present) {
        buf_printf(b, ", \"%scovered\": null, \"%spartial\": null, \"%stotal\": null, \"%spct\": null", prefix, prefix,
                   prefix, prefix);
        return;
    }
    buf_printf(b, ", \"%scovered\": %d, \"%spartial\": %d, \"%stotal\": %d, \"%spct\": ", prefix, n->covered, prefix,
               n->partial, prefix, n->total, prefix);
    if (pct < 0)
        buf_puts(b, "null");
    else
        buf_printf(b, "%d", pct);
}

static void render_json(const coverage_report *r, buf *b)
{
    char d[DATE_ISO_LEN], p[DATE_ISO_LEN], m[MOMENT_ISO_LEN];
    bool prog = r->prognosis != DATE_NONE;
    buf_printf(b, "{\n  \"date\": \"%s\",\n  \"prognosis_date\": ", date_format_iso(r->date, d));
    if (prog)
        buf_printf(b, "\"%s\"", date_format_iso(r->prognosis, p));
    else
        buf_puts(b, "null");
    buf_puts(b, ",\n  \"as_known_at\": ");
    if (r->as_known_at != MOMENT_NONE)
        buf_printf(b, "\"%s\"", moment_format_utc(r->as_known_at, m));
    else
        buf_puts(b, "null");
    report_notice_json(b, r->notice);
    buf_puts(b, ",\n  \"rows\": [");
    for (int row = 0; row < PROVINCE_ROWS; row++) {
        buf_printf(b, "%s\n    {\"province\": ", row ? "," : "");
        buf_json_string(b, province_name(row));
        json_counts(b, "", &r->municipalities[row], true);
        json_counts(b, "prognosis_", &r->prognosis_municipalities[row], prog);
        json_counts(b, "regions_", &r->regions[row], true);
        json_counts(b, "prognosis_regions_", &r->prognosis_regions[row], prog);
        buf_putc(b, '}');
    }
    buf_puts(b, "\n  ]");
    footnotes_json(r, b);
    buf_puts(b, "\n}\n");
}

int coverage_report_render(const coverage_report *r, report_format f, buf *b, const char *xlsx_path)
{
    arena *a = arena_new();
    table t;
    int rc = 0;
    switch (f) {
    case FORMAT_TEXT:
        render_text(r, b);
        break;
    case FORMAT_JSON:
        render_json(r, b);
        break;
    case FORMAT_CSV:
        coverage_report_table(r, a, &t);
        table_csv(&t, b);
        break;
    case FORMAT_XLSX:
        coverage_report_table(r, a, &t);
        t.notice = r->notice;
        if (has_footnotes(r)) {
            table ft;
            coverage_footnotes_table(r, a, &ft);
            const table *sheets[] = {&t, &ft};
            const char *names[] = {NULL, "Voetnoten"};
            rc = tables_xlsx(sheets, names, 2, xlsx_path, b);
        } else {
            rc = table_xlsx(&t, xlsx_path, b);
        }
        break;
    case FORMAT_MD:
        display_table(r, a, &t);
        table_markdown(&t, b);
        buf_putc(b, '\n');
        notes(r, b, "- ");
        footnotes_markdown(r, b);
        report_notice(b, FORMAT_MD, r->notice);
        break;
    case FORMAT_HTML: {
        buf body = {0};
        display_table(r, a, &t);
        table_html(&t, &body);
        buf note = {0};
        notes(r, &note, "");
        if (note.len)
            buf_fmt(&body, "<p>%h</p>\n", note.data);
        footnotes_html(r, &body);
        report_notice(&body, FORMAT_HTML, r->notice);
        html_document(b, t.title, &body);
        buf_free(&body);
        buf_free(&note);
        break;
    }
    }
    arena_free(a);
    return rc;
}
