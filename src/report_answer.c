/* report_answer.c: the answer to parliament (report_answer.h). One document
 * model (docx.h) is built from the reports and rendered four ways, so the
 * Word file, the HTML and the Markdown always say the same. */
#define _POSIX_C_SOURCE 200809L
#include "report_answer.h"
#include "i18n.h"

#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "input.h"
#include "notice.h"
#include "term.h"

bool answer_format_parse(const char *name, answer_format *out)
{
    static const char *const NAMES[] = {"docx", "html", "md"};
    for (int i = 0; i < 3; i++)
        if (name && strcmp(name, NAMES[i]) == 0) {
            *out = (answer_format)i;
            return true;
        }
    return false;
}

/* ---- computing ---- */

/* Where the writer of the footnotes is (notes_next). */
struct answer_notes {
    const answer_report *r;
    int province;       /* the province in list, -1 before the first */
    arena *a;           /* list's */
    footnote_list list;
    size_t next;        /* in list */
    bool heading_said;
    buf text;           /* the note notes_next gave last */
};

static int kind_rank(const char *kind)
{
    for (int i = 0; COOPERATION_KINDS[i]; i++)
        if (strcmp(kind, COOPERATION_KINDS[i]) == 0)
            return i;
    return COOPERATION_KIND_COUNT;
}

static int by_kind_title(const void *x, const void *y)
{
    const cooperation *a = *(const cooperation *const *)x, *b = *(const cooperation *const *)y;
    int ka = kind_rank(a->kind), kb = kind_rank(b->kind);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    int c = strcmp(a->title, b->title);
    return c ? c : strcmp(a->id, b->id);
}

typedef struct {
    int code; /* the NIS code of its municipality (nis_code), -1 for none */
    const cooperation *c;
} coded_cooperation;
_Static_assert(offsetof(coded_cooperation, code) == 0, "rules_int_run reads the code at the start");

static int by_code(const void *x, const void *y)
{
    const coded_cooperation *a = x, *b = y;
    return (a->code > b->code) - (a->code < b->code);
}

/* Question 2: the municipalities the table does not count as covered on the
 * date, each with its cooperations in force that day. A cooperation names a
 * NIS code; it belongs to the municipality with that code on the date. The
 * cooperations in force are sorted by code once and each municipality's
 * found by a search: a pass over all of them for each municipality took
 * 100,000 × 300 string comparisons for today's answer on the large register
 * (issue 12). A code is the number of a NIS of five digits, as the map's
 * are, so equal codes are equal NIS. */
static void collect_cooperating(answer_report *r, const cooperation *co, size_t n)
{
    coded_cooperation *on = arena_alloc(r->arena, (n ? n : 1) * sizeof *on);
    size_t in_force = 0;
    for (size_t k = 0; k < n; k++)
        if (cooperation_on(&co[k], r->date))
            on[in_force++] = (coded_cooperation){nis_code(co[k].municipality), &co[k]};
    qsort(on, in_force, sizeof *on, by_code);
    size_t cap = 0;
    for (size_t i = 0; in_force && i < r->annex.count; i++) {
        const annex_municipality *m = &r->annex.items[i];
        if (m->state == COVER_FULL)
            continue;
        int code = r->view->map.items[m->municipality].code;
        size_t first, count = rules_int_run(on, in_force, sizeof *on, code, &first);
        if (!count)
            continue;
        answer_cooperating q = {m, arena_alloc(r->arena, count * sizeof *q.cooperations), count};
        for (size_t k = 0; k < count; k++)
            q.cooperations[k] = on[first + k].c;
        qsort(q.cooperations, q.count, sizeof *q.cooperations, by_kind_title);
        r->cooperating = arena_grow(r->arena, r->cooperating, &cap, r->cooperating_count + 1, sizeof *r->cooperating);
        r->cooperating[r->cooperating_count++] = q;
    }
}

/* The moment of the last change of the register the view shows. */
static int data_moment(store *s, const register_view *v, arena *a, moment_t *out)
{
    *out = MOMENT_NONE;
    store_change_filter f = {.known = v->known, .accounts = false};
    store_change *c;
    size_t n;
    int64_t total;
    if (store_changes(s, &f, 0, 1, a, &c, &n, &total))
        return -1;
    if (n && !moment_parse_iso(c[0].moment, out))
        *out = MOMENT_NONE;
    return 0;
}

int answer_compute(store *s, const register_view *v, date_t d, date_t p, moment_t as_known_at, answer_report *out,
                   buf *why)
{
    memset(out, 0, sizeof *out);
    out->date = d;
    out->prognosis = p;
    out->as_known_at = as_known_at;
    out->view = v;
    out->arena = arena_new();
    cooperation *co;
    size_t n;
    /* each day evaluated once, with its links, for the table, the annex
     * (on d) and the footnotes */
    if (annex_report_compute(v, d, -1, as_known_at, &out->annex) ||
        rules_coverage_eval(&out->on_prognosis, &v->map, v->rules_agreements, v->agreement_count,
                            v->rules_regions, v->region_count, p, BASIS_PROGNOSIS, RULES_LINKS)) {
        buf_puts(why, "out of memory while computing the table");
        return -1;
    }
    coverage_report_from(v, &out->annex.coverage, &out->on_prognosis, as_known_at, &out->coverage);
    /* the footnotes, made as they are written (answer_notes), with the
     * annex's evaluation on d */
    outreach_entry *log;
    size_t log_count;
    if (store_get_outreach(s, v->known, NULL, out->arena, &log, &log_count)) {
        buf_printf(why, "cannot read the outreach log: %s", store_error(s));
        return -1;
    }
    if (!(out->footnotes = footnotes_begin(v, log, log_count, d, p, &out->annex.coverage, &out->on_prognosis))) {
        buf_puts(why, "out of memory while deriving the footnotes");
        return -1;
    }
    out->notes = arena_calloc(out->arena, 1, sizeof *out->notes);
    *out->notes = (answer_notes){.r = out, .province = -1};
    if (store_get_cooperations(s, v->known, NULL, out->arena, &co, &n) || data_moment(s, v, out->arena, &out->data_moment)) {
        buf_printf(why, _("cannot read the cooperations: %s"), store_error(s));
        return -1;
    }
    collect_cooperating(out, co, n);
    return 0;
}

void answer_free(answer_report *r)
{
    if (r->notes) {
        arena_free(r->notes->a);
        buf_free(&r->notes->text);
    }
    footnotes_end(r->footnotes);
    rules_coverage_free(&r->on_prognosis); /* zeroed when never evaluated */
    annex_report_free(&r->annex);
    arena_free(r->arena);
    memset(r, 0, sizeof *r);
}

/* ---- the document ---- */

static const char *nl(arena *a, date_t d)
{
    char s[DATE_NL_LEN];
    return d == DATE_NONE ? "" : arena_strdup(a, date_format_nl(d, s));
}

/* "30/6/23", as the seeds' table header prints the days. */
static const char *short_date(arena *a, date_t d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return arena_printf(a, "%d/%d/%02d", dd, m, y % 100);
}

/* "03/12/2026 17:50:12 (UTC)" */
static const char *moment_nl(arena *a, moment_t m)
{
    char iso[MOMENT_ISO_LEN];
    moment_format_utc(m, iso); /* YYYY-MM-DDTHH:MM:SS.ffffffZ */
    return arena_printf(a, "%.2s/%.2s/%.4s %.8s (UTC)", iso + 8, iso + 5, iso, iso + 11);
}

static const char *known_text(const answer_report *r)
{
    if (r->as_known_at != MOMENT_NONE)
        return moment_nl(r->arena, r->as_known_at);
    return r->data_moment != MOMENT_NONE ? moment_nl(r->arena, r->data_moment) : "(het register is leeg)";
}

static const char *fraction(arena *a, const rules_count *n) { return arena_printf(a, "%d/%d", n->covered, n->total); }

static const char *percent(arena *a, const rules_count *n)
{
    int pct = rules_percent(n->covered, n->total);
    return pct < 0 ? "–" : arena_printf(a, "%d", pct);
}

/* The table of seed 004: two header rows of groups, one of n and %. */
static void coverage_table(const answer_report *r, doc *d)
{
    static const int WEIGHTS[] = {22, 11, 6, 11, 6, 11, 6, 11, 6};
    arena *a = r->arena;
    const coverage_report *c = &r->coverage;
    doc_block *t = doc_table(d, 9, WEIGHTS,
                             arena_printf(a, "Samenwerkingsovereenkomsten VDAB en Lokale Besturen volgens gemeenten/ "
                                             "regiegebieden sociale economie en werk (%s)",
                                          nl(a, r->date)));
    doc_row *h = doc_table_row(d, t, true);
    doc_cell_add(d, h, "", 1, false);
    doc_cell_add(d, h, "Gemeenten", 4, false);
    doc_cell_add(d, h, "Regiegebieden sociale economie en werk", 4, false);
    h = doc_table_row(d, t, true);
    doc_cell_add(d, h, "", 1, false);
    for (int g = 0; g < 2; g++) {
        doc_cell_add(d, h, arena_printf(a, "op %s", short_date(a, r->date)), 2, false);
        doc_cell_add(d, h, arena_printf(a, "prognose %s", short_date(a, r->prognosis)), 2, false);
    }
    h = doc_table_row(d, t, true);
    doc_cell_add(d, h, "", 1, false);
    for (int g = 0; g < 4; g++) {
        doc_cell_add(d, h, "n", 1, true);
        doc_cell_add(d, h, "%", 1, true);
    }
    for (int p = 0; p < PROVINCE_ROWS; p++) {
        doc_row *row = doc_table_row(d, t, false);
        row->total = p == ROW_FLANDERS;
        doc_cell_add(d, row, province_name(p), 1, false);
        const rules_count *groups[4] = {&c->municipalities[p], &c->prognosis_municipalities[p], &c->regions[p],
                                        &c->prognosis_regions[p]};
        for (int g = 0; g < 4; g++) {
            doc_cell_add(d, row, fraction(a, groups[g]), 1, true);
            doc_cell_add(d, row, percent(a, groups[g]), 1, true);
        }
    }
}

/* Merged municipalities only partly covered are not counted in n: say so. */
static void partial_notes(const answer_report *r, doc *d)
{
    const coverage_report *c = &r->coverage;
    for (int prog = 0; prog < 2; prog++) {
        const rules_count *rows = prog ? c->prognosis_municipalities : c->municipalities;
        if (!rows[ROW_FLANDERS].partial)
            continue;
        buf b = {0};
        buf_printf(&b, "%s %s: %d fusiegemeente(n) gedeeltelijk gedekt (niet alle deelgemeenten), niet meegeteld in n:",
                   prog ? "Prognose" : "Op", nl(r->arena, prog ? r->prognosis : r->date), rows[ROW_FLANDERS].partial);
        for (int p = 0; p < PROVINCE_COUNT; p++)
            if (rows[p].partial)
                buf_printf(&b, " %s %d", province_name(p), rows[p].partial);
        buf_putc(&b, '.');
        doc_note(d, arena_strdup(r->arena, b.data));
        buf_free(&b);
    }
}

/* The footnotes per province (rules_footnotes.h), right under the table:
 * "Limburg (1) Nog 2 gemeenten …", made as they are written, one province
 * at a time (doc_made_notes): for a day years before its prognosis they
 * name 150,000 municipalities on bench/'s register, 36 MB held whole
 * (issue 12). The heading comes first when any province has one. */
static void notes_first(void *ctx)
{
    answer_notes *n = ctx;
    arena_free(n->a);
    *n = (answer_notes){.r = n->r, .province = -1, .text = n->text};
}

static const char *notes_next(void *ctx, arena *a)
{
    answer_notes *n = ctx;
    while (n->next >= n->list.count) {
        arena_free(n->a);
        n->a = NULL;
        n->list = (footnote_list){0};
        n->next = 0;
        if (n->province + 1 >= PROVINCE_COUNT)
            return NULL;
        n->a = arena_new();
        footnotes_province(n->r->footnotes, ++n->province, n->a, &n->list);
    }
    if (!n->heading_said) {
        n->heading_said = true;
        return arena_printf(a, "Voetnoten bij de prognose op %s:", nl(a, n->r->prognosis));
    }
    /* written into one buffer, note after note: each is written before the next is asked for */
    const footnote *f = &n->list.items[n->next++];
    n->text.len = 0;
    buf_printf(&n->text, "%s (%d) ", province_name(f->province), f->number);
    footnote_text_to(&n->text, n->r->view, f);
    return n->text.data;
}

static void footnotes(const answer_report *r, doc *d)
{
    if (r->footnotes && r->notes)
        doc_made_notes(d, notes_first, notes_next, r->notes);
}

static const char *period_text(arena *a, date_t from, date_t to)
{
    if (from == DATE_NONE && to == DATE_NONE)
        return "";
    return arena_printf(a, " (%s – %s)", from == DATE_NONE ? "begin onbekend" : nl(a, from),
                        to == DATE_NONE ? "open" : nl(a, to));
}

static void question2(const answer_report *r, doc *d)
{
    arena *a = r->arena;
    doc_heading(d, 1, "2. Lokale besturen die zonder samenwerkingsovereenkomst met VDAB samenwerken");
    if (!r->cooperating_count) {
        doc_paragraph(d, arena_printf(a, "Het register kent op %s geen gemeente zonder samenwerkingsovereenkomst die "
                                         "op een andere manier met VDAB samenwerkt.",
                                      nl(a, r->date)));
        return;
    }
    doc_paragraph(d, arena_printf(a, "Op %s werk%s %zu gemeente%s zonder samenwerkingsovereenkomst op een andere "
                                     "manier met VDAB samen:",
                                  nl(a, r->date), r->cooperating_count == 1 ? "t" : "en", r->cooperating_count,
                                  r->cooperating_count == 1 ? "" : "n"));
    int province = -1;
    for (size_t i = 0; i < r->cooperating_count; i++) {
        const answer_cooperating *q = &r->cooperating[i];
        if (q->municipality->province != province) {
            province = q->municipality->province;
            doc_heading(d, 2, province_name(province));
        }
        buf b = {0};
        buf_printf(&b, "%s%s: ", annex_municipality_of(&r->annex, q->municipality)->name,
                   q->municipality->state == COVER_PARTIAL ? " (gedeeltelijk gedekt)" : "");
        for (size_t k = 0; k < q->count; k++) {
            const cooperation *c = q->cooperations[k];
            buf_printf(&b, "%s%s – %s%s", k ? "; " : "", cooperation_kind_label(c->kind), c->title,
                       period_text(a, c->from, c->until));
        }
        doc_item(d, arena_strdup(a, b.data));
        buf_free(&b);
    }
}

/* The texts of parts (NULL: none) one after the other, in a. */
static const char *join(arena *a, const char *const *parts, size_t n)
{
    size_t len[8], total = 0;
    assert(n <= sizeof len / sizeof *len);
    for (size_t i = 0; i < n; i++)
        total += len[i] = parts[i] ? strlen(parts[i]) : 0;
    char *s = arena_alloc(a, total + 1), *p = s;
    for (size_t i = 0; i < n; i++) {
        memcpy(p, parts[i] ? parts[i] : "", len[i]);
        p += len[i];
    }
    *p = '\0';
    return s;
}

static const char *link_status(const annex_link_text *l)
{
    return l->counted ? status_label_nl(l->status) : "ondertekend, begindatum onbekend";
}

/* Bijlage 1: per province a table of its municipalities and their agreements. */
/* One province's table of the annex: each row's municipality and link,
 * the rows made only when a writer reaches them (doc_table_made_rows), so
 * that the annex of a large register (100,000 rows) is never held whole. */
typedef struct {
    const annex_report *x;
    size_t first, count; /* the province's items */
    const uint32_t *rows; /* annex_rows_index() of them */
} annex_rows;

static void annex_row(const void *ctx, size_t n, doc *d, doc_row *row)
{
    const annex_rows *ar = ctx;
    size_t k, j = annex_row_item(ar->rows, ar->count, n, &k);
    const annex_municipality *m = &ar->x->items[ar->first + j];
    arena *a = d->a;
    const char *name = annex_municipality_of(ar->x, m)->name;
    if (m->state == COVER_PARTIAL)
        name = arena_printf(a, "%s (gedeeltelijk gedekt)", name);
    if (!m->link_count) {
        doc_cell_add(d, row, name, 1, false);
        doc_cell_add(d, row, "geen overeenkomst", 4, false);
        return;
    }
    annex_link_text l = annex_link_of(ar->x, m, k);
    doc_cell_add(d, row, k ? "" : name, 1, false);
    /* "title (id), via name", joined without printf's parsing: 100,000 rows */
    const char *parts[] = {l.title, " (", l.agreement_id, ")", l.via_name ? ", via " : "", l.via_name};
    doc_cell_add(d, row, join(a, parts, sizeof parts / sizeof *parts), 1, false);
    doc_cell_add(d, row, l.from == DATE_NONE ? "onbekend" : nl(a, l.from), 1, false);
    doc_cell_add(d, row, l.to == DATE_NONE ? "–" : nl(a, l.to), 1, false);
    doc_cell_add(d, row, link_status(&l), 1, false);
}

/* Where the province of item i begins among the annex items. */
static size_t province_start(const annex_report *x, size_t i)
{
    while (i > 0 && x->items[i - 1].province == x->items[i].province)
        i--;
    return i;
}

/* Bijlage 1 with the items [first, last): each province they reach under its
 * heading with the figures of the whole province ("(vervolg)" when it began
 * on an earlier page). */
static void annex(const answer_report *r, size_t first, size_t last, doc *d)
{
    static const int WEIGHTS[] = {20, 42, 11, 11, 16};
    arena *a = r->arena;
    const annex_report *x = &r->annex;
    doc_page_break(d);
    doc_heading(d, 1, arena_printf(a, "Bijlage 1: samenwerkingsovereenkomsten per provincie en gemeente op %s",
                                   nl(a, r->date)));
    doc_paragraph(d, "Per gemeente de samenwerkingsovereenkomst(en) die haar op die dag dekken, met de begin- en "
                     "einddatum van de gemeente als partij. Een fusiegemeente noemt de overeenkomsten van haar "
                     "deelgemeenten.");
    if (first > 0 || last < x->count)
        doc_paragraph(d, arena_printf(a, "%zu gemeenten; gemeente %zu tot %zu op deze pagina. Het Word-document en "
                                         "de Markdown bevatten de hele bijlage.",
                                      x->count, first + 1, last));
    for (size_t i = first, end; i < last; i = end) {
        const annex_municipality *m = &x->items[i];
        size_t begin = province_start(x, i);
        int total = 0, covered = 0;
        for (size_t k = begin; k < x->count && x->items[k].province == m->province; k++) {
            total++;
            covered += x->items[k].state == COVER_FULL;
        }
        for (end = i; end < last && x->items[end].province == m->province; end++)
            ;
        doc_heading(d, 2, arena_printf(a, "%s: %d/%d gemeenten gedekt%s", province_name(m->province), covered, total,
                                       begin < i ? " (vervolg)" : ""));
        doc_block *t = doc_table(d, 5, WEIGHTS,
                                 arena_printf(a, "Bijlage 1, %s: gemeenten en hun overeenkomsten op %s",
                                              province_name(m->province), nl(a, r->date)));
        doc_row *h = doc_table_row(d, t, true);
        static const char *const HEAD[] = {"Gemeente", "Samenwerkingsovereenkomst", "Begin", "Einde", "Status"};
        for (int k = 0; k < 5; k++)
            doc_cell_add(d, h, HEAD[k], 1, false);
        uint32_t *rows = arena_alloc(a, (end - i + 1) * sizeof *rows);
        annex_rows_index(x, i, end - i, rows);
        annex_rows *ar = arena_alloc(a, sizeof *ar);
        *ar = (annex_rows){x, i, end - i, rows};
        doc_table_made_rows(t, rows[end - i], annex_row, ar);
    }
}

void answer_document(const answer_report *r, size_t first, size_t last, doc *out)
{
    arena *a = r->arena;
    const char *known = known_text(r);
    doc_init(out, a, arena_printf(a, "Samenwerkingsovereenkomsten VDAB en lokale besturen op %s", nl(a, r->date)),
             arena_printf(a, "Samenwerking VDAB en lokale besturen op %s – gegevens zoals gekend op %s",
                          nl(a, r->date), known));
    doc_heading(out, 0, "Samenwerking VDAB en lokale besturen: antwoord aan het parlement");
    doc_paragraph(out, arena_printf(a, "Toestand op %s, prognose op %s. Uit het register van de "
                                       "samenwerkingsovereenkomsten zoals gekend op %s.",
                                    nl(a, r->date), nl(a, r->prognosis), known));
    if (r->view && r->view->notice) /* the register notice (notice.h), in every format of the answer */
        doc_paragraph(out, register_notice_sentence(r->view->notice));
    doc_heading(out, 1, "1. Samenwerkingsovereenkomsten per provincie");
    doc_paragraph(out, arena_printf(a, "Een overzicht van de samenwerkingsovereenkomsten tussen VDAB en lokale "
                                       "besturen op %s en een prognose voor %s vind je in onderstaande tabel.",
                                    nl(a, r->date), nl(a, r->prognosis)));
    coverage_table(r, out);
    footnotes(r, out);
    partial_notes(r, out);
    doc_paragraph(out, "Voor begin- en einddata van de samenwerkingsovereenkomsten: zie Bijlage 1.");
    question2(r, out);
    annex(r, first, last, out);
}

/* ---- HTML and Markdown of the document ---- */

static void html_table(const doc_block *t, buf *b)
{
    buf_puts(b, "<div class=\"scroll\"><table class=\"answer-table\">\n");
    if (t->text)
        buf_fmt(b, "<caption>%h</caption>\n", t->text);
    size_t r = 0;
    if (t->row_count && t->rows[0].header) {
        buf_puts(b, "<thead>\n");
        for (; r < t->row_count && t->rows[r].header; r++) {
            buf_puts(b, "<tr>");
            for (size_t k = 0; k < t->rows[r].count; k++) {
                const doc_cell *c = &t->rows[r].cells[k];
                if (!*c->text)
                    buf_puts(b, "<td></td>");
                else if (c->span > 1)
                    buf_fmt(b, "<th scope=\"colgroup\" colspan=\"%d\">%h</th>", c->span, c->text);
                else
                    buf_fmt(b, "<th scope=\"col\"%s>%h</th>", c->number ? " class=\"num\"" : "", c->text);
            }
            buf_puts(b, "</tr>\n");
        }
        buf_puts(b, "</thead>\n");
    }
    buf_puts(b, "<tbody>\n");
    doc_reader rd;
    doc_rows_begin(&rd, t);
    /* the rows' markup added as it is, without buf_fmt's parsing: the
     * annex of the large register is 150,000 rows (issue 12) */
#define LITERAL(s) buf_add(b, s, sizeof s - 1)
    for (size_t n = doc_rows(t); r < n; r++) {
        const doc_row *row = doc_row_at(&rd, r);
        if (row->total)
            LITERAL("<tr class=\"total\">");
        else
            LITERAL("<tr>");
        for (size_t k = 0; k < row->count; k++) {
            const doc_cell *c = &row->cells[k];
            if (k == 0) {
                LITERAL("<th scope=\"row\">");
                buf_html(b, c->text);
                LITERAL("</th>");
                continue;
            }
            if (c->span > 1)
                buf_fmt(b, "<td colspan=\"%d\">", c->span);
            else if (c->number)
                LITERAL("<td class=\"num\">");
            else
                LITERAL("<td>");
            buf_html(b, c->text);
            LITERAL("</td>");
        }
        LITERAL("</tr>\n");
    }
#undef LITERAL
    doc_rows_done(&rd);
    buf_puts(b, "</tbody>\n</table></div>\n");
}

/* top: the element of a level 0 heading (h1 in a document, h2 on a page). */
static void html_blocks(const doc *d, buf *b, int top)
{
    for (size_t i = 0; i < d->count; i++) {
        const doc_block *k = &d->blocks[i];
        switch (k->kind) {
        case DOC_HEADING:
            buf_fmt(b, "<h%d>%h</h%d>\n", top + (k->level > 0 ? k->level : 0), k->text,
                    top + (k->level > 0 ? k->level : 0));
            break;
        case DOC_PARAGRAPH:
            buf_fmt(b, "<p>%h</p>\n", k->text);
            break;
        case DOC_NOTE:
            buf_fmt(b, "<p class=\"answer-note\">%h</p>\n", k->text);
            break;
        case DOC_MADE_NOTES: {
            doc_notes_reader rd;
            doc_notes_begin(&rd, k);
            for (const char *t; (t = doc_note_next(&rd));)
                buf_fmt(b, "<p class=\"answer-note\">%h</p>\n", t);
            doc_notes_done(&rd);
            break;
        }
        case DOC_ITEM:
            if (i == 0 || d->blocks[i - 1].kind != DOC_ITEM)
                buf_puts(b, "<ul>\n");
            buf_fmt(b, "<li>%h</li>\n", k->text);
            if (i + 1 == d->count || d->blocks[i + 1].kind != DOC_ITEM)
                buf_puts(b, "</ul>\n");
            break;
        case DOC_PAGE_BREAK:
            buf_puts(b, "<hr class=\"page-break\">\n");
            break;
        case DOC_TABLE:
            html_table(k, b);
            break;
        }
    }
}

void answer_html_body(const doc *d, buf *out)
{
    buf_puts(out, "<article class=\"answer\">\n");
    html_blocks(d, out, 2);
    buf_fmt(out, "<p class=\"answer-footer\">%h</p>\n</article>\n", d->footer);
}

/* A whole document: A4, the footer and the page number on every printed page. */
static void html_standalone(const doc *d, buf *b)
{
    buf_fmt(b, "<!DOCTYPE html>\n<html lang=\"nl-BE\">\n<head>\n<meta charset=\"utf-8\">\n<title>%h</title>\n<style>\n"
               "@page { size: A4; margin: 20mm 20mm 22mm;\n"
               "  @bottom-left { content: %j; font: 8pt sans-serif; }\n"
               "  @bottom-right { content: \"pagina \" counter(page) \" van \" counter(pages); font: 8pt sans-serif; } }\n"
               "body { font-family: Arial, sans-serif; font-size: 10pt; color: #1a1a1a; max-width: 170mm; "
               "margin: 1rem auto; }\n"
               "table { border-collapse: collapse; width: 100%%; margin: .25rem 0 .75rem; }\n"
               "th, td { border: 1px solid #767676; padding: .15rem .35rem; text-align: left; vertical-align: top; }\n"
               "thead th { background: #e8eef4; text-align: center; } .num { text-align: right; width: 8%%; }\n"
               "tr.total th, tr.total td { font-weight: bold; }\n"
               "caption { font-weight: bold; text-align: left; margin-bottom: .3rem; }\n"
               ".answer-note { font-size: 8.5pt; margin: .2rem 0; }\n"
               "hr.page-break { break-after: page; border: 0; }\n"
               "tr { break-inside: avoid; } h2, h3 { break-after: avoid; }\n"
               ".answer-footer { font-size: 8pt; color: #555; }\n"
               "@media print { .answer-footer { display: none; } }\n"
               "</style>\n</head>\n<body>\n",
            d->title, d->footer);
    html_blocks(d, b, 1);
    buf_fmt(b, "<p class=\"answer-footer\">%h</p>\n</body>\n</html>\n", d->footer);
}

/* Text as Markdown shows it: a backslash before each character that would
 * start markup inside a line (an HTML tag or entity, emphasis, a link,
 * code), and in a table cell before '|' too, with line breaks as spaces. */
static void md_text(buf *b, const char *s, bool in_cell)
{
    for (; s && *s; s++) {
        if (strchr("\\<>*_[]`&", *s) || (in_cell && *s == '|'))
            buf_putc(b, '\\');
        if (in_cell && (*s == '\n' || *s == '\r'))
            buf_putc(b, ' ');
        else
            buf_putc(b, *s);
    }
}

/* Markdown has one header row: each column's header joins the texts of the
 * header cells above it ("Gemeenten op 30/6/23 n"). */
static void md_table(const doc_block *t, buf *b, arena *a)
{
    if (t->text) {
        buf_puts(b, "**");
        md_text(b, t->text, false);
        buf_puts(b, "**\n\n");
    }
    buf *heads = arena_calloc(a, t->columns, sizeof *heads);
    size_t r = 0;
    for (; r < t->row_count && t->rows[r].header; r++) {
        size_t col = 0;
        for (size_t k = 0; k < t->rows[r].count; k++) {
            const doc_cell *c = &t->rows[r].cells[k];
            for (int s = 0; s < c->span && col < t->columns; s++, col++)
                if (*c->text) {
                    if (heads[col].len)
                        buf_putc(&heads[col], ' ');
                    buf_puts(&heads[col], c->text);
                }
        }
    }
    buf_puts(b, "|");
    for (size_t c = 0; c < t->columns; c++) {
        buf_putc(b, ' ');
        md_text(b, heads[c].len ? heads[c].data : "", true);
        buf_puts(b, " |");
        buf_free(&heads[c]);
    }
    buf_puts(b, "\n|");
    doc_reader rd;
    doc_rows_begin(&rd, t);
    size_t n = doc_rows(t);
    const doc_row *first = r < n ? doc_row_at(&rd, r) : NULL;
    bool numbers = first && first->count > 1 && first->cells[1].number;
    for (size_t c = 0; c < t->columns; c++)
        buf_puts(b, numbers && c > 0 ? " ---: |" : " --- |");
    buf_putc(b, '\n');
    for (; r < n; r++) {
        buf_puts(b, "|");
        const doc_row *row = first ? first : doc_row_at(&rd, r); /* the first was read above */
        first = NULL;
        for (size_t k = 0; k < row->count; k++) {
            buf_putc(b, ' ');
            md_text(b, row->cells[k].text, true);
            buf_puts(b, " |");
            for (int s = 1; s < row->cells[k].span; s++)
                buf_puts(b, " |");
        }
        buf_putc(b, '\n');
    }
    doc_rows_done(&rd);
    buf_putc(b, '\n');
}

static void markdown(const doc *d, buf *b)
{
    for (size_t i = 0; i < d->count; i++) {
        const doc_block *k = &d->blocks[i];
        switch (k->kind) {
        case DOC_HEADING:
            buf_puts(b, k->level <= 0 ? "# " : k->level == 1 ? "## " : "### ");
            md_text(b, k->text, false);
            buf_puts(b, "\n\n");
            break;
        case DOC_PARAGRAPH:
        case DOC_NOTE:
            md_text(b, k->text, false);
            buf_puts(b, "\n\n");
            break;
        case DOC_MADE_NOTES: {
            doc_notes_reader rd;
            doc_notes_begin(&rd, k);
            for (const char *t; (t = doc_note_next(&rd));) {
                md_text(b, t, false);
                buf_puts(b, "\n\n");
            }
            doc_notes_done(&rd);
            break;
        }
        case DOC_ITEM:
            buf_puts(b, "- ");
            md_text(b, k->text, false);
            buf_puts(b, i + 1 < d->count && d->blocks[i + 1].kind == DOC_ITEM ? "\n" : "\n\n");
            break;
        case DOC_PAGE_BREAK:
            buf_puts(b, "---\n\n");
            break;
        case DOC_TABLE:
            md_table(k, b, d->a);
            break;
        }
    }
    buf_puts(b, "---\n\n*");
    md_text(b, d->footer, false);
    buf_puts(b, "*\n");
}

int answer_render(const answer_report *r, answer_format f, buf *out, buf *why)
{
    doc d;
    answer_document(r, 0, r->annex.count, &d);
    switch (f) {
    case ANSWER_DOCX:
        return docx_write(&d, out, why);
    case ANSWER_HTML:
        html_standalone(&d, out);
        return 0;
    case ANSWER_MD:
        markdown(&d, out);
        return 0;
    }
    return 0;
}

/* ---- the command ---- */

static const char *const USAGE = N_("usage: somon report answer --date D --prognosis P [--as-known-at T] "
                                    "[--format docx|html|md] [--output FILE]");

static int usage(const char *fmt, const char *arg)
{
    fputs(_("somon: report answer: "), stderr);
    fprintf(stderr, fmt, arg ? arg : "");
    fprintf(stderr, "\n%s\n", _(USAGE));
    return EX_USAGE;
}

/* 2023-06-30 or 30/06/2023 (SPEC §6), within the years every input keeps. */
static bool parse_day(const char *s, date_t *out) { return date_parse_any(s, out) && date_in_limits(*out); }

/* The format --output's name implies (.docx .html .htm .md), else docx. */
static answer_format format_of(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    answer_format f = ANSWER_DOCX;
    if (dot && (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0))
        f = ANSWER_HTML;
    else if (dot && strcmp(dot, ".md") == 0)
        f = ANSWER_MD;
    return f;
}

typedef struct {
    date_t date, prognosis;
    moment_t at;
    answer_format format;
    bool format_given;
    const char *output;
} answer_options;

static int parse_options(int argc, char **argv, answer_options *o)
{
    static const struct option opts[] = {{"date", required_argument, NULL, 'd'},
                                         {"prognosis", required_argument, NULL, 'p'},
                                         {"as-known-at", required_argument, NULL, 'k'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"output", required_argument, NULL, 'o'},
                                         {0}};
    *o = (answer_options){DATE_NONE, DATE_NONE, MOMENT_NONE, ANSWER_DOCX, false, NULL};
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, "+", opts, NULL)) != -1;) {
        if ((c == 'd' || c == 'p') && !parse_day(optarg, c == 'd' ? &o->date : &o->prognosis))
            return usage(c == 'd' ? _("--date '%s' is not a day from 1983 to 2100; write YYYY-MM-DD (e.g. 2023-06-30)")
                                  : _("--prognosis '%s' is not a day from 1983 to 2100; write YYYY-MM-DD (e.g. 2023-12-31)"),
                         optarg);
        else if (c == 'k' && !moment_parse_any(optarg, &o->at))
            return usage(_("--as-known-at '%s' is not a moment; write e.g. 2023-07-01T00:00:00"), optarg);
        else if (c == 'f' && !answer_format_parse(optarg, &o->format))
            return usage(_("--format '%s' is not a format of the answer; give docx, html or md"), optarg);
        else if (c == 'o')
            o->output = optarg;
        else if (c == '?' || c == ':')
            return usage(_("unknown option or missing value '%s'"), argv[optind - 1]);
        o->format_given |= c == 'f';
    }
    if (optind != argc)
        return usage(_("unexpected argument '%s'"), argv[optind]);
    if (o->date == DATE_NONE)
        return usage(_("needs --date YYYY-MM-DD, the day the table counts (e.g. 2023-06-30)%s"), "");
    if (o->prognosis == DATE_NONE)
        return usage(_("needs --prognosis YYYY-MM-DD, the day of the prognosis columns (e.g. 2023-12-31)%s"), "");
    if (o->prognosis < o->date)
        return usage(_("--prognosis lies before --date; give a prognosis day on or after the date%s"), "");
    if (!o->format_given)
        o->format = format_of(o->output);
    if (o->format == ANSWER_DOCX && !o->output)
        return usage(_("a Word document needs --output FILE.docx; or give --format md or html to print it%s"), "");
    return 0;
}

static int write_out(const buf *b, const answer_options *o)
{
    FILE *out = o->output && strcmp(o->output, "-") != 0 ? fopen(o->output, "wb") : stdout;
    if (!out) {
        fprintf(stderr, _("somon: report answer: cannot write %s: %s; check the folder exists and is writable\n"),
                o->output, strerror(errno));
        return EX_CANTCREAT;
    }
    /* Markdown on a terminal shows stored text: escape its control characters there (term.h) */
    int failed = o->format == ANSWER_MD && out == stdout ? term_write(b, out) : buf_write(b, out);
    failed |= out == stdout ? fflush(out) : fclose(out);
    if (failed) {
        fprintf(stderr, _("somon: report answer: cannot write %s: %s\n"), out == stdout ? _("standard output") : o->output,
                strerror(errno));
        return EX_IOERR;
    }
    return 0;
}

int cli_answer(const char *db, int argc, char **argv)
{
    answer_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc;
    store *s;
    char *err = NULL;
    if ((rc = store_open(db, STORE_READONLY, &s, &err))) {
        fprintf(stderr, "somon: %s\n", err ? err : _("cannot open the database"));
        free(err);
        return rc;
    }
    register_view v;
    if (store_load_view(s, store_known_at(s, o.at), &v)) {
        fprintf(stderr, _("somon: cannot read %s: %s\n"), db, store_error(s));
        store_close(s);
        return EX_IOERR;
    }
    answer_report r;
    buf out = {0}, why = {0};
    if (answer_compute(s, &v, o.date, o.prognosis, o.at, &r, &why) || answer_render(&r, o.format, &out, &why)) {
        fprintf(stderr, _("somon: report answer: %s\n"), why.len ? why.data : _("out of memory"));
        rc = EX_SOFTWARE;
    } else {
        rc = write_out(&out, &o);
    }
    answer_free(&r);
    buf_free(&out);
    buf_free(&why);
    register_view_free(&v);
    store_close(s);
    return rc;
}
