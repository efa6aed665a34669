/* page_agreements.c: /agreements (filter, sort, page, download) and
 * /agreements/{id} (everything about one agreement, with its history). */
#define _GNU_SOURCE /* qsort_r */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "history.h"
#include "input.h"
#include "layout.h"
#include "pages.h"
#include "report.h"
#include "somon1.h"
#include "store_evaluations.h"

enum { PAGE_SIZE = 25 };

/* ---- the list --------------------------------------------------------------- */

typedef struct {
    int province;             /* -1: all */
    int status;               /* -1: all */
    date_t from, to;          /* the period an agreement must overlap; DATE_NONE: open */
    const char *text;         /* in id or title, case-insensitive (ASCII) */
    const char *sort, *order; /* column, asc|desc */
    long page;
    date_t signed_from, signed_to; /* "afgesloten in": signed_on in this period; DATE_NONE: open */
} list_filter;

static bool contains_folded(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *h = hay; h && *h; h++) {
        size_t k = 0;
        while (k < n && h[k] && (h[k] | 0x20) == (needle[k] | 0x20) &&
               ((unsigned char)h[k] >= 0x80 || ((h[k] | 0x20) >= 'a' && (h[k] | 0x20) <= 'z') || h[k] == needle[k]))
            k++;
        if (k == n)
            return true;
    }
    return n == 0;
}

/* The days an agreement is (or is expected to be) in force, for the period filter. */
static void span(const rules_agreement *a, date_t *from, date_t *to)
{
    *from = a->start != DATE_NONE ? a->start : a->expected_start;
    *to = a->end;
    if (a->terminated_on != DATE_NONE && (*to == DATE_NONE || a->terminated_on - 1 < *to))
        *to = a->terminated_on - 1;
}

static bool passes(const register_view *v, size_t i, const list_filter *f)
{
    const view_agreement *va = &v->agreements[i];
    const rules_agreement *ra = &v->rules_agreements[i];
    if (f->province >= 0 && va->vdab_directorate != f->province)
        return false;
    if (f->status >= 0 && (int)ra->status != f->status)
        return false;
    /* "agreements concluded in 2021 means signed_on in 2021" (SPEC §5): an
     * unknown signed_on is outside every period */
    if ((f->signed_from != DATE_NONE || f->signed_to != DATE_NONE) &&
        (va->signed_on == DATE_NONE || (f->signed_from != DATE_NONE && va->signed_on < f->signed_from) ||
         (f->signed_to != DATE_NONE && va->signed_on > f->signed_to)))
        return false;
    if (f->from != DATE_NONE || f->to != DATE_NONE) {
        date_t a, b;
        span(ra, &a, &b);
        if (a == DATE_NONE || (f->to != DATE_NONE && a > f->to) || (f->from != DATE_NONE && b != DATE_NONE && b < f->from))
            return false;
    }
    return !f->text || !*f->text || contains_folded(va->id, f->text) || contains_folded(va->title, f->text);
}

static int municipality_parties(const rules_agreement *a)
{
    int n = 0;
    for (int k = 0; k < a->party_count; k++)
        n += a->parties[k].code >= 0;
    return n;
}

typedef struct {
    const register_view *v;
    const list_filter *f;
} sort_context;

static int date_order(date_t x, date_t y)
{
    if (x == y)
        return 0;
    if (x == DATE_NONE)
        return 1; /* unknown dates last */
    if (y == DATE_NONE)
        return -1;
    return x < y ? -1 : 1;
}

static int by_column(const void *p, const void *q, void *context)
{
    const sort_context *sc = context;
    size_t i = *(const size_t *)p, j = *(const size_t *)q;
    const view_agreement *a = &sc->v->agreements[i], *b = &sc->v->agreements[j];
    const rules_agreement *ra = &sc->v->rules_agreements[i], *rb = &sc->v->rules_agreements[j];
    const char *s = sc->f->sort;
    int c = 0;
    if (strcmp(s, "start") == 0)
        c = date_order(ra->start != DATE_NONE ? ra->start : ra->expected_start,
                       rb->start != DATE_NONE ? rb->start : rb->expected_start);
    else if (strcmp(s, "end") == 0)
        c = date_order(ra->end, rb->end);
    else if (strcmp(s, "status") == 0)
        c = (int)ra->status - (int)rb->status;
    else if (strcmp(s, "province") == 0)
        c = a->vdab_directorate - b->vdab_directorate;
    else if (strcmp(s, "municipalities") == 0)
        c = municipality_parties(ra) - municipality_parties(rb);
    else if (strcmp(s, "id") == 0)
        c = strcmp(a->id, b->id);
    if (c == 0)
        c = strcmp(a->title, b->title);
    if (c == 0)
        c = strcmp(a->id, b->id);
    return strcmp(sc->f->order, "desc") == 0 ? -c : c;
}

static const char *const SORTS[] = {"title", "id", "province", "status", "start", "end", "municipalities", NULL};

static bool read_filter(request *rq, list_filter *f)
{
    *f = (list_filter){-1, -1, DATE_NONE, DATE_NONE, web_param(rq, "q"), web_param(rq, "sort"),
                       web_param(rq, "order"), 1, DATE_NONE, DATE_NONE};
    const char *status = web_param(rq, "status"), *page = web_param(rq, "page");
    if (!web_province_param(rq, &f->province))
        return false;
    agreement_status st;
    if (status && *status) {
        if (!status_parse(status, &st)) {
            web_error(rq, 400, "bad_status", "De parameter status is geen status van een overeenkomst.");
            return false;
        }
        f->status = (int)st;
    }
    bool sort_ok = false;
    for (const char *const *s = SORTS; *s; s++)
        sort_ok = sort_ok || (f->sort && strcmp(f->sort, *s) == 0);
    if (!sort_ok)
        f->sort = "title";
    if (!f->order || strcmp(f->order, "desc") != 0)
        f->order = "asc";
    if (page && *page) {
        char *end;
        f->page = strtol(page, &end, 10);
        if (*end || f->page < 1 || f->page > 100000) {
            web_error(rq, 400, "bad_page", "De parameter page moet een paginanummer zijn.");
            return false;
        }
    }
    if ((f->from = web_date_param(rq, "from", DATE_NONE)) == DATE_NONE && web_param(rq, "from") &&
        *web_param(rq, "from"))
        return false;
    if ((f->to = web_date_param(rq, "to", DATE_NONE)) == DATE_NONE && web_param(rq, "to") && *web_param(rq, "to"))
        return false;
    const char *sf = web_param(rq, "signed_from"), *stp = web_param(rq, "signed_to");
    if ((f->signed_from = web_date_param(rq, "signed_from", DATE_NONE)) == DATE_NONE && sf && *sf)
        return false;
    if ((f->signed_to = web_date_param(rq, "signed_to", DATE_NONE)) == DATE_NONE && stp && *stp)
        return false;
    return true;
}

static const char *const LIST_KEYS[] = {"id", "title", "vdab_directorate", "status", "start", "end",
                                        "expected_start", "terminated_on", "municipalities", "regiegebied",
                                        "kind", "signed_on", "sources"};
static const char *const LIST_LABELS[] = {"ID", "Titel", "VDAB-directie", "Status", "Begin", "Einde",
                                          "Verwachte start", "Beëindigd op", "Gemeenten", "Regiegebied",
                                          "Soort", "Ondertekend op", "Bronnen"};

/* "A signed agreement without a start date is in force on no date, but every
 * report that lists agreements still shows it" (SPEC §3): marked so. */
static bool signed_without_start(const rules_agreement *a)
{
    return (a->status == STATUS_SIGNED || a->status == STATUS_TERMINATED) && a->start == DATE_NONE;
}

static const char *status_text(const rules_agreement *a)
{
    return signed_without_start(a) ? "ondertekend, begindatum onbekend" : status_label_nl(a->status);
}

static void list_table(request *rq, const register_view *v, const size_t *rows, size_t n, table *t)
{
    table_init(t, rq->arena, "Samenwerkingsovereenkomsten", LIST_KEYS, LIST_LABELS, 13);
    table_reserve(t, n);
    for (size_t k = 0; k < n; k++) {
        const view_agreement *va = &v->agreements[rows[k]];
        const rules_agreement *ra = &v->rules_agreements[rows[k]];
        cell *c = table_row(t);
        c[0] = cell_text(va->id);
        c[1] = cell_text(va->title);
        c[2] = cell_text(province_name(va->vdab_directorate));
        c[3] = cell_text(status_text(ra));
        c[4] = cell_date(ra->start);
        c[5] = cell_date(ra->end);
        c[6] = cell_date(ra->expected_start);
        c[7] = cell_date(ra->terminated_on);
        c[8] = cell_int(municipality_parties(ra));
        c[9] = cell_text(va->regiegebied);
        c[10] = cell_text(va->kind);
        c[11] = cell_date(va->signed_on);
        c[12] = cell_text(v->agreement_sources ? v->agreement_sources[rows[k]] : NULL); /* issue 13 */
    }
}

static void filter_form(request *rq, const list_filter *f)
{
    buf *b = &rq->body;
    char from[DATE_ISO_LEN], to[DATE_ISO_LEN], sfrom[DATE_ISO_LEN], sto[DATE_ISO_LEN];
    buf_fmt(b, "<form class=\"filters\" method=\"get\" action=\"/agreements\">\n"
               "<p><label for=\"q\">Zoek</label> <input type=\"search\" id=\"q\" name=\"q\" value=\"%a\">\n"
               "<label for=\"province\">Provincie</label> <select id=\"province\" name=\"province\">"
               "<option value=\"\">alle</option>",
            f->text ? f->text : "");
    for (int p = 0; p < PROVINCE_COUNT; p++)
        buf_fmt(b, "<option%s>%h</option>", p == f->province ? " selected" : "", province_name(p));
    buf_puts(b, "</select>\n<label for=\"status\">Status</label> <select id=\"status\" name=\"status\">"
                "<option value=\"\">alle</option>");
    for (int s = 0; s < STATUS_COUNT; s++)
        buf_fmt(b, "<option value=\"%a\"%s>%h</option>", status_name((agreement_status)s), s == f->status ? " selected" : "",
                status_label_nl((agreement_status)s));
    buf_fmt(b, "</select></p>\n<p><label for=\"from\">Van kracht tussen</label> <input type=\"date\" id=\"from\" "
               "name=\"from\" value=\"%a\"> <label for=\"to\">en</label> <input type=\"date\" id=\"to\" name=\"to\" "
               "value=\"%a\">\n<label for=\"signed_from\">Afgesloten tussen</label> <input type=\"date\" "
               "id=\"signed_from\" name=\"signed_from\" value=\"%a\"> <label for=\"signed_to\">en</label> "
               "<input type=\"date\" id=\"signed_to\" name=\"signed_to\" value=\"%a\">\n"
               "<input type=\"hidden\" name=\"sort\" value=\"%a\"><input type=\"hidden\" name=\"order\" "
               "value=\"%a\">\n",
            date_format_iso(f->from, from), date_format_iso(f->to, to), date_format_iso(f->signed_from, sfrom),
            date_format_iso(f->signed_to, sto), f->sort, f->order);
    page_hidden_known_at(rq);
    buf_puts(b, "<button type=\"submit\">Filter</button> <a href=\"/agreements\">Alles tonen</a></p>\n</form>\n");
}

/* The query of this list with one parameter replaced (for sort and page links). */
static const char *list_query(request *rq, const char *name, const char *value)
{
    buf q = {0};
    for (size_t i = 0; i < rq->t.param_count; i++) {
        const web_pair *p = &rq->t.params[i];
        if (strcmp(p->name, name) == 0 || strcmp(p->name, "format") == 0 ||
            (strcmp(name, "sort") == 0 && (strcmp(p->name, "order") == 0 || strcmp(p->name, "page") == 0)) || !*p->value)
            continue;
        buf_fmt(&q, "%s%U=%U", q.len ? "&" : "", p->name, p->value);
    }
    buf_fmt(&q, "%s%U=%U", q.len ? "&" : "", name, value);
    const char *s = arena_strdup(rq->arena, q.data);
    buf_free(&q);
    return s;
}

static void sort_header(request *rq, const list_filter *f, const char *column, const char *label)
{
    bool current = strcmp(f->sort, column) == 0;
    bool desc = current && strcmp(f->order, "asc") == 0;
    const char *q = list_query(rq, "sort", column);
    buf_fmt(&rq->body, "<th scope=\"col\"%s%s><a href=\"/agreements?%a&amp;order=%s\">%h%s</a></th>",
            strcmp(column, "municipalities") == 0 ? " class=\"num\"" : "",
            current ? (strcmp(f->order, "asc") == 0 ? " aria-sort=\"ascending\"" : " aria-sort=\"descending\"") : "",
            q, desc ? "desc" : "asc", label, current ? (strcmp(f->order, "asc") == 0 ? " ▲" : " ▼") : "");
}

static const char *date_or_dash(request *rq, date_t d) { return d == DATE_NONE ? "–" : page_date(rq, d); }

void page_agreement_list(request *rq)
{
    list_filter f;
    if (!read_filter(rq, &f))
        return;
    const register_view *v = web_view(rq);
    if (!v)
        return;
    size_t *rows = arena_calloc(rq->arena, v->agreement_count + 1, sizeof *rows), n = 0;
    for (size_t i = 0; i < v->agreement_count; i++)
        if (passes(v, i, &f))
            rows[n++] = i;
    sort_context sc = {v, &f};
    if (n)
        qsort_r(rows, n, sizeof *rows, by_column, &sc);
    if (page_wants_download(rq)) { /* every row; the page shows one page of them */
        table t;
        if (web_table_begin(rq, "overeenkomsten")) { /* each row written as it is made */
            list_table(rq, v, rows, n, &t);
            web_table_end(rq, &t);
        }
        return;
    }
    size_t pages = n ? (n + PAGE_SIZE - 1) / PAGE_SIZE : 1;
    if ((size_t)f.page > pages)
        f.page = (long)pages;
    page_begin(rq, "Overeenkomsten", NAV_AGREEMENTS);
    buf *b = &rq->body;
    buf_puts(b, "<h1>Samenwerkings&shy;overeenkomsten</h1>\n");
    for (int p = 0; p < PROVINCE_COUNT; p++)
        if (auth_may(rq->who, ACT_CREATE_AGREEMENT, NULL, p)) {
            buf_puts(b, "<p class=\"edit-link\"><a href=\"/agreements/new\">Nieuwe overeenkomst</a> · "
                        "<a href=\"/agreements/upload\">Overeenkomsten uit een rekenblad opladen</a> · "
                        "<a href=\"/agreements/sjabloon.xlsx\" download>Sjabloon (.xlsx)</a></p>\n");
            break;
        }
    filter_form(rq, &f);
    buf_fmt(b, "<p role=\"status\">%zu overeenkomst%s gevonden.</p>\n", n, n == 1 ? "" : "en");
    if (f.signed_from != DATE_NONE && f.signed_to != DATE_NONE) {
        char sf[DATE_ISO_LEN], st[DATE_ISO_LEN];
        buf_fmt(b, "<p><a href=\"/concluded?from=%U&amp;to=%U%s%a\">Deze afgesloten overeenkomsten per provincie en "
                   "gemeente, met begin- en einddatum</a></p>\n",
                date_format_iso(f.signed_from, sf), date_format_iso(f.signed_to, st), *page_carry_default(rq) ? "&amp;" : "",
                page_carry_default(rq));
    }
    buf_puts(b, "<div class=\"scroll\"><table class=\"list\">\n<caption>Overeenkomsten</caption>\n<thead><tr>");
    sort_header(rq, &f, "title", "Titel");
    sort_header(rq, &f, "province", "VDAB-directie");
    sort_header(rq, &f, "status", "Status");
    sort_header(rq, &f, "start", "Begin");
    sort_header(rq, &f, "end", "Einde");
    sort_header(rq, &f, "municipalities", "Gemeenten");
    buf_puts(b, "</tr></thead>\n<tbody>\n");
    const char *carry = page_carry_default(rq);
    for (size_t k = (size_t)(f.page - 1) * PAGE_SIZE; k < n && k < (size_t)f.page * PAGE_SIZE; k++) {
        const view_agreement *va = &v->agreements[rows[k]];
        const rules_agreement *ra = &v->rules_agreements[rows[k]];
        date_t begin = ra->start != DATE_NONE ? ra->start : ra->expected_start;
        buf_fmt(b, "<tr><th scope=\"row\"><a href=\"/agreements/%U%s%a\">%h</a> <span class=\"id\">%h</span></th>"
                   "<td>%h</td><td><span class=\"status status-%a\">%h</span></td><td>%h%s</td><td>%h</td>"
                   "<td class=\"num\">%d</td></tr>\n",
                va->id, *carry ? "?" : "", carry, va->title, va->id, province_name(va->vdab_directorate),
                status_name(ra->status), status_text(ra), date_or_dash(rq, begin),
                ra->start == DATE_NONE && ra->expected_start != DATE_NONE ? " (verwacht)" : "",
                date_or_dash(rq, ra->end), municipality_parties(ra));
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
    if (pages > 1) {
        buf_fmt(b, "<nav class=\"pages\" aria-label=\"Pagina's\"><p>Pagina %ld van %zu: ", f.page, pages);
        if (f.page > 1)
            buf_fmt(b, "<a href=\"/agreements?%a\" rel=\"prev\">vorige</a> ",
                    list_query(rq, "page", arena_printf(rq->arena, "%ld", f.page - 1)));
        if ((size_t)f.page < pages)
            buf_fmt(b, "<a href=\"/agreements?%a\" rel=\"next\">volgende</a>",
                    list_query(rq, "page", arena_printf(rq->arena, "%ld", f.page + 1)));
        buf_puts(b, "</p></nav>\n");
    }
    page_downloads(rq);
    page_end(rq);
}

/* ---- one agreement -------------------------------------------------------- */

static const char *municipality_name(const register_view *v, const char *nis)
{
    const char *name = view_municipality_name(v, nis);
    return name ? name : nis;
}

static const char *frequency(request *rq, const governance_body *g)
{
    if (g->min_meetings <= 0)
        return "niet vastgelegd";
    if (g->per_years == 1)
        return arena_printf(rq->arena, "minstens %d keer per jaar", g->min_meetings);
    return arena_printf(rq->arena, "minstens %d keer om de %d jaar", g->min_meetings, g->per_years);
}

static void agreement_link(request *rq, const register_view *v, const char *id)
{
    const char *title = NULL;
    for (size_t i = 0; i < v->agreement_count && !title; i++)
        if (strcmp(v->agreements[i].id, id) == 0)
            title = v->agreements[i].title;
    const char *carry = page_carry_default(rq);
    buf_fmt(&rq->body, "<a href=\"/agreements/%U%s%a\">%h</a> <span class=\"id\">%h</span>", id, *carry ? "?" : "",
            carry, title ? title : id, id);
}

/* "Pages link both ways" (issue 9): the agreement this one follows up, and
 * those that follow it up, as known at the page's moment. */
static void follow_ups(request *rq, const register_view *v, const agreement *ag)
{
    buf *b = &rq->body;
    if (ag->predecessor) {
        buf_puts(b, "<dt>Volgt op</dt><dd class=\"predecessor\">volgt op ");
        agreement_link(rq, v, ag->predecessor);
        buf_puts(b, "</dd>\n");
    }
    size_t n = 0;
    for (size_t i = 0; i < v->agreement_count; i++) {
        const view_agreement *va = &v->agreements[i];
        if (!va->predecessor || strcmp(va->predecessor, ag->id) != 0)
            continue;
        buf_puts(b, n++ ? "; " : "<dt>Opgevolgd door</dt><dd class=\"followers\">opgevolgd door ");
        agreement_link(rq, v, va->id);
    }
    if (n)
        buf_puts(b, "</dd>\n");
}

static void facts(request *rq, const register_view *v, const agreement *ag)
{
    buf *b = &rq->body;
    date_t today = web_today();
    rules_agreement ra = {ag->status, ag->start, ag->end, ag->expected_start, ag->terminated_on, -1, NULL, 0};
    buf_fmt(b, "<dl class=\"facts\">\n<dt>Status</dt><dd><span class=\"status status-%a\">%h</span>%s</dd>\n",
            status_name(ag->status), status_label_nl(ag->status),
            rules_in_force(&ra, today)      ? " – vandaag van kracht"
            : signed_without_start(&ra) ? " – begindatum onbekend: de overeenkomst is op geen enkele dag van kracht en "
                                          "haar gemeenten tellen niet mee tot de begindatum ingevuld is"
                                        : " – vandaag niet van kracht");
    buf_fmt(b, "<dt>Begin</dt><dd>%h</dd>\n<dt>Einde</dt><dd>%h</dd>\n", date_or_dash(rq, ag->start),
            date_or_dash(rq, ag->end));
    if (ag->expected_start != DATE_NONE)
        buf_fmt(b, "<dt>Verwachte start</dt><dd>%h</dd>\n", page_date(rq, ag->expected_start));
    if (ag->terminated_on != DATE_NONE)
        buf_fmt(b, "<dt>Beëindigd op</dt><dd>%h, door %h</dd>\n", page_date(rq, ag->terminated_on),
                ag->terminated_by ? (nis_code(ag->terminated_by) >= 0 ? municipality_name(v, ag->terminated_by)
                                                                       : ag->terminated_by)
                                  : "–");
    buf_fmt(b, "<dt>VDAB-directie</dt><dd>%h</dd>\n", province_name(ag->vdab_directorate));
    int region = view_region_index(v, ag->regiegebied);
    if (region >= 0)
        buf_fmt(b, "<dt>Regiegebied</dt><dd><a href=\"/regiegebieden/%U?%a\">%h</a></dd>\n", ag->regiegebied,
                page_carry_default(rq), v->regions[region].name);
    else
        buf_puts(b, "<dt>Regiegebied</dt><dd>–</dd>\n");
    buf_fmt(b, "<dt>Soort</dt><dd>%h</dd>\n<dt>Ondertekend op</dt><dd>%h</dd>\n", ag->kind ? ag->kind : "–",
            date_or_dash(rq, ag->signed_on));
    follow_ups(rq, v, ag);
    buf_puts(b, "</dl>\n");
}

static const char *signer(const char *name) { return name ? name : ""; }

/* Editing is offered on the current state only, to those who may do it. */
static bool may_edit(request *rq, const agreement *ag, act what)
{
    const char *at = web_param(rq, "as_known_at");
    return (!at || !*at) && auth_may(rq->who, what, ag, -1);
}

static void edit_link(request *rq, const agreement *ag, act what, const char *path, const char *label)
{
    if (may_edit(rq, ag, what))
        buf_fmt(&rq->body, "<p class=\"edit-link\"><a href=\"/agreements/%U/%a\">%h</a></p>\n", ag->id, path, label);
}

/* Per party: change it, or remove it (a POST with the CSRF token and the version). */
static void party_actions(request *rq, const agreement *ag, size_t i)
{
    if (!may_edit(rq, ag, ACT_EDIT_AGREEMENT))
        return;
    buf_fmt(&rq->body, "<td><a href=\"/agreements/%U/parties/%zu/edit\">wijzigen</a> ", ag->id, i);
    /* a party leaves alone; VDAB leaving would end the agreement (terminate it instead) */
    const char *org = ag->parties[i].organisation;
    if (!org || strcmp(org, "VDAB") != 0)
        buf_fmt(&rq->body, "<a href=\"/agreements/%U/parties/%zu/leave\">treedt uit</a> ", ag->id, i);
    buf_fmt(&rq->body, "<form class=\"inline\" method=\"post\" action=\"/agreements/%U/parties/%zu/remove\">",
            ag->id, i);
    page_csrf_field(rq);
    buf_fmt(&rq->body, "<input type=\"hidden\" name=\"version\" value=\"%lld\"><button type=\"submit\" "
                       "class=\"link\">verwijderen</button></form></td>",
            (long long)ag->version);
}

/* A party as the rules see it. */
static rules_party party_rules(const party *p)
{
    return (rules_party){p->municipality ? nis_code(p->municipality) : -1, p->from, p->until, p->expected_from,
                         p->approved_on};
}

static const char *const PARTY_KEYS[] = {"party", "name", "approved_on", "from", "until", "expected_from",
                                         "covers_from", "covers_until", "signatories", "left_reason", "decisions",
                                         "sources"};
static const char *const PARTY_LABELS[] = {"Partij", "Naam", "Goedgekeurd op", "Vanaf", "Tot", "Verwacht vanaf",
                                           "Dekt vanaf", "Dekt tot", "Ondertekenaars", "Reden van uittreden",
                                           "Beslissingen", "Bronnen"};

static const char *body_label(const char *body)
{
    static const char *const names[][2] = {{"gemeenteraad", "gemeenteraad"}, {"ocmw_raad", "OCMW-raad"},
                                           {"raad_van_bestuur", "raad van bestuur"}, {"other", "ander orgaan"}};
    for (size_t i = 0; body && i < sizeof names / sizeof *names; i++)
        if (strcmp(names[i][0], body) == 0)
            return names[i][1];
    return body ? body : "";
}

/* A party's decisions in one cell of a download: "gemeenteraad 21/12/2020,
 * agenda point, link; ocmw_raad …", a refusal marked "niet goedgekeurd". */
static const char *decisions_text(request *rq, const party *p)
{
    char *s = arena_strdup(rq->arena, "");
    char day[DATE_NL_LEN];
    for (size_t k = 0; k < p->decision_count; k++) {
        const party_decision *x = &p->decisions[k];
        s = arena_printf(rq->arena, "%s%s%s %s%s%s%s%s%s", s, k ? "; " : "", x->body, date_format_nl(x->on, day),
                         x->approves ? "" : " (niet goedgekeurd)", x->agenda_point ? ", " : "",
                         x->agenda_point ? x->agenda_point : "", x->url ? ", " : "", x->url ? x->url : "");
    }
    return s;
}

/* A party's sources in one cell of a download: their addresses, each once,
 * " | " between (as the agreements' download writes an agreement's). */
static const char *sources_text(request *rq, const party *p)
{
    buf b = {0};
    for (size_t k = 0; k < p->source_count; k++) {
        bool again = false; /* an address with two quotes is one address */
        for (size_t j = 0; j < k && !again; j++)
            again = strcmp(p->sources[j].url, p->sources[k].url) == 0;
        if (again)
            continue;
        if (b.len)
            buf_puts(&b, " | ");
        buf_puts(&b, p->sources[k].url);
    }
    const char *s = arena_strndup(rq->arena, b.data ? b.data : "", b.len);
    buf_free(&b);
    return s;
}

/* The decisions under the party's approval date, each with its link. */
static void decisions_list(request *rq, const party *p)
{
    buf *b = &rq->body;
    if (!p->decision_count)
        return;
    buf_puts(b, "<ul class=\"decisions\">");
    for (size_t k = 0; k < p->decision_count; k++) {
        const party_decision *x = &p->decisions[k];
        buf_fmt(b, "<li>%h %h%s", body_label(x->body), page_date(rq, x->on), x->approves ? "" : " (niet goedgekeurd)");
        if (x->agenda_point)
            buf_fmt(b, ": %h", x->agenda_point);
        if (x->url)
            buf_fmt(b, " <a href=\"%a\" rel=\"noopener noreferrer\">besluit</a>", x->url);
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ul>");
}

/* ---- sources (issue 13) ------------------------------------------------------ */

/* The link text of a source: the host and path of the page, without the
 * scheme, the query and the fragment, so that a reader sees where it goes. */
static const char *source_label(request *rq, const char *url)
{
    const char *s = strstr(url, "://");
    s = s ? s + 3 : url;
    size_t n = strcspn(s, "?#");
    while (n > 1 && s[n - 1] == '/')
        n--;
    return arena_clip(rq->arena, arena_strndup(rq->arena, s, n), 80);
}

/* Each source: its link (href only for http(s)), its quote, the day it was read. */
static void sources_list(request *rq, const source *list, size_t n)
{
    buf *b = &rq->body;
    if (!n)
        return;
    buf_puts(b, "<ul class=\"sources\">");
    for (size_t i = 0; i < n; i++) {
        const source *x = &list[i];
        if (source_url_valid(x->url))
            buf_fmt(b, "<li><a href=\"%a\" rel=\"noopener noreferrer\">%h</a>", x->url, source_label(rq, x->url));
        else
            buf_fmt(b, "<li>%h", x->url);
        if (x->quote)
            buf_fmt(b, ": <q>%h</q>", x->quote);
        if (x->read_on != DATE_NONE)
            buf_fmt(b, " <span class=\"read-on\">(gelezen op %h)</span>", page_date(rq, x->read_on));
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ul>");
}

static bool parties_have_sources(const agreement *ag)
{
    for (size_t i = 0; i < ag->party_count; i++)
        if (ag->parties[i].source_count)
            return true;
    return false;
}

static bool parties_have_decision_links(const agreement *ag)
{
    for (size_t i = 0; i < ag->party_count; i++)
        for (size_t k = 0; k < ag->parties[i].decision_count; k++)
            if (ag->parties[i].decisions[k].url)
                return true;
    return false;
}

/* "Bronnen": where the agreement's facts were published; the parties'
 * sources and council decisions are linked from their rows. */
static void sources_section(request *rq, const agreement *ag)
{
    buf *b = &rq->body;
    bool of_parties = parties_have_sources(ag);
    if (!ag->source_count && !of_parties)
        return;
    buf_puts(b, "<section aria-labelledby=\"sources-h\"><h2 id=\"sources-h\">Bronnen</h2>\n");
    if (ag->source_count) {
        buf_puts(b, "<p>Waar de gegevens van deze overeenkomst gepubliceerd zijn:</p>\n");
        sources_list(rq, ag->sources, ag->source_count);
        buf_puts(b, "\n");
    } else {
        buf_puts(b, "<p>Geen bronnen bij de overeenkomst zelf.</p>\n");
    }
    if (of_parties)
        buf_puts(b, "<p>De bronnen van elke partij staan bij de <a href=\"#parties-h\">partijen</a> (kolom "
                    "Bronnen).</p>\n");
    if (parties_have_decision_links(ag))
        buf_puts(b, "<p>De raadsbesluiten met hun link staan bij de <a href=\"#parties-h\">partijen</a>, onder de "
                    "datum van goedkeuring.</p>\n");
    buf_puts(b, "</section>\n");
}

static const char *organisation_name(const organisation *orgs, size_t norg, const char *id)
{
    for (size_t k = 0; k < norg; k++)
        if (strcmp(orgs[k].id, id) == 0)
            return orgs[k].name;
    return id;
}

/* The parties as a table, for the CSV and XLSX downloads of the page. */
static void party_table(request *rq, const register_view *v, const agreement *ag, const organisation *orgs,
                        size_t norg, table *t)
{
    rules_agreement ra = {ag->status, ag->start, ag->end, ag->expected_start, ag->terminated_on, -1, NULL, 0};
    table_init(t, rq->arena, arena_printf(rq->arena, "Partijen van %s", ag->id), PARTY_KEYS, PARTY_LABELS, 12);
    for (size_t i = 0; i < ag->party_count; i++) {
        const party *p = &ag->parties[i];
        rules_party rp = party_rules(p);
        date_t from = DATE_NONE, to = DATE_NONE;
        if (!rules_party_interval(&ra, &rp, BASIS_ACTUAL, &from, &to))
            from = to = DATE_NONE;
        char *signed_by = arena_strdup(rq->arena, "");
        for (size_t k = 0; k < p->signatory_count; k++)
            signed_by = arena_printf(rq->arena, "%s%s%s%s%s", signed_by, k ? "; " : "", signer(p->signatories[k].name),
                                     p->signatories[k].name && p->signatories[k].function ? ", " : "",
                                     p->signatories[k].function ? p->signatories[k].function : "");
        cell *c = table_row(t);
        c[0] = cell_text(p->municipality ? p->municipality : p->organisation);
        c[1] = cell_text(p->municipality ? municipality_name(v, p->municipality)
                                         : organisation_name(orgs, norg, p->organisation));
        c[2] = cell_date(p->approved_on);
        c[3] = cell_date(p->from);
        c[4] = cell_date(p->until);
        c[5] = cell_date(p->expected_from);
        c[6] = cell_date(from);
        c[7] = cell_date(to);
        c[8] = cell_text(signed_by);
        c[9] = cell_text(p->left_reason);
        c[10] = cell_text(decisions_text(rq, p));
        c[11] = cell_text(sources_text(rq, p));
    }
}

static void parties(request *rq, const register_view *v, const agreement *ag, const organisation *orgs, size_t norg)
{
    buf *b = &rq->body;
    rules_agreement ra = {ag->status, ag->start, ag->end, ag->expected_start, ag->terminated_on, -1, NULL, 0};
    buf_puts(b, "<section aria-labelledby=\"parties-h\"><h2 id=\"parties-h\">Partijen</h2>\n<div class=\"scroll\">"
                "<table class=\"list\">\n<caption>Partijen, goedkeuring door de raad en dekking</caption>\n<thead><tr>"
                "<th scope=\"col\">Partij</th><th scope=\"col\">Goedgekeurd op</th><th scope=\"col\">Dekt</th>"
                "<th scope=\"col\">Ondertekenaars</th>");
    bool with_sources = parties_have_sources(ag); /* the column only where a party has any */
    if (with_sources)
        buf_puts(b, "<th scope=\"col\">Bronnen</th>");
    if (may_edit(rq, ag, ACT_EDIT_AGREEMENT))
        buf_puts(b, "<th scope=\"col\">Bewerken</th>");
    buf_puts(b, "</tr></thead>\n<tbody>\n");
    const char *carry = page_carry_default(rq);
    for (size_t i = 0; i < ag->party_count; i++) {
        const party *p = &ag->parties[i];
        if (p->municipality) {
            buf_fmt(b, "<tr><th scope=\"row\"><a href=\"/municipalities/%U%s%a\">%h</a> <span class=\"id\">%h</span></th>",
                    p->municipality, *carry ? "?" : "", carry, municipality_name(v, p->municipality), p->municipality);
        } else {
            buf_fmt(b, "<tr><th scope=\"row\">%h</th>", organisation_name(orgs, norg, p->organisation));
        }
        buf_fmt(b, "<td>%h", date_or_dash(rq, p->approved_on));
        decisions_list(rq, p);
        buf_puts(b, "</td><td>");
        rules_party rp = party_rules(p);
        date_t from, to;
        if (!p->municipality)
            buf_puts(b, "–");
        else if (rules_party_interval(&ra, &rp, BASIS_ACTUAL, &from, &to))
            buf_fmt(b, "%h – %h", page_date(rq, from), to == DATE_NONE ? "(open)" : page_date(rq, to));
        else if (rules_party_is_planned(&rp) && rules_party_interval(&ra, &rp, BASIS_PROGNOSIS, &from, &to))
            buf_fmt(b, "gepland vanaf %h", page_date(rq, from));
        else if (rules_party_is_planned(&rp))
            buf_fmt(b, "gepland vanaf %h", page_date(rq, p->expected_from));
        else if (status_is_pipeline(ag->status) && rules_party_interval(&ra, &rp, BASIS_PROGNOSIS, &from, &to))
            buf_fmt(b, "verwacht vanaf %h", page_date(rq, from));
        else if (signed_without_start(&ra))
            buf_puts(b, "ondertekend, begindatum onbekend");
        else
            buf_puts(b, "nog niet (geen startdatum)");
        /* "a council that approves after the agreement's start is covered
         *  from the day of its approval" (SPEC §3): say so where it counts */
        if (p->municipality && (rules_party_bound_by_approval(&ra, &rp, BASIS_ACTUAL) ||
                                rules_party_bound_by_approval(&ra, &rp, BASIS_PROGNOSIS)))
            buf_fmt(b, " <span class=\"note approval\">gebonden vanaf goedkeuring %h</span>", page_date(rq, p->approved_on));
        if (p->until != DATE_NONE && (p->left_reason || ag->end == DATE_NONE || p->until < ag->end))
            buf_fmt(b, "<br><span class=\"left\">trad uit op %h%s%h</span>", page_date(rq, p->until),
                    p->left_reason ? ": " : "", p->left_reason);
        buf_puts(b, "</td><td>");
        for (size_t k = 0; k < p->signatory_count; k++)
            buf_fmt(b, "%s%h%s%h", k ? "; " : "", signer(p->signatories[k].name),
                    p->signatories[k].name && p->signatories[k].function ? ", " : "", p->signatories[k].function);
        buf_puts(b, "</td>");
        if (with_sources) {
            buf_puts(b, "<td>");
            sources_list(rq, p->sources, p->source_count);
            buf_puts(b, "</td>");
        }
        party_actions(rq, ag, i);
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
    edit_link(rq, ag, ACT_EDIT_AGREEMENT, "parties/new", "Partij toevoegen");
    edit_link(rq, ag, ACT_EDIT_AGREEMENT, "parties/add", "Meerdere partijen toevoegen (bij naam, provincie of regiegebied)");
    edit_link(rq, ag, ACT_EDIT_AGREEMENT, "approvals/edit", "Goedkeuringen van alle partijen invullen");
    page_downloads(rq);
    buf_puts(b, "</section>\n");
}

static const char *action_status_nl(const char *status)
{
    static const char *const labels[][2] = {{"not_started", "niet gestart"}, {"ongoing", "lopend"},
                                            {"achieved", "gerealiseerd"},   {"stalled", "vastgelopen"},
                                            {"dropped", "geschrapt"},       {"retired", "stopgezet"}};
    for (size_t i = 0; status && i < sizeof labels / sizeof *labels; i++)
        if (strcmp(labels[i][0], status) == 0)
            return labels[i][1];
    return "status niet vermeld";
}

/* The latest evaluation of each action, after its own status. */
static void latest_evaluation(request *rq, const store_evaluation *evs, size_t nev, int64_t uid)
{
    const store_evaluation *e = NULL;
    for (size_t i = 0; i < nev; i++)
        if (evs[i].action_uid == uid && (!e || evs[i].year > e->year))
            e = &evs[i];
    if (e)
        buf_fmt(&rq->body, " <span class=\"evaluation evaluation-%a\">evaluatie %d: %h%s%h</span>", e->status, e->year,
                evaluation_status_label(e->status), e->result ? " – " : "", e->result ? e->result : "");
}

static void action_plan(request *rq, const agreement *ag)
{
    buf *b = &rq->body;
    store_evaluation *evs;
    size_t nev;
    if (store_evaluations(rq->db, web_known(rq), ag->id, rq->arena, &evs, &nev))
        nev = 0;
    buf_puts(b, "<section aria-labelledby=\"plan-h\"><h2 id=\"plan-h\">Actieplan</h2>\n");
    if (!ag->theme_count)
        buf_puts(b, "<p>Er is geen actieplan geregistreerd.</p>\n");
    buf_puts(b, "<ul class=\"tree\">\n");
    for (size_t t = 0; t < ag->theme_count; t++) {
        const theme *th = &ag->themes[t];
        buf_fmt(b, "<li><strong>Thema: %h</strong>\n", th->title);
        if (th->domain_count)
            buf_puts(b, "<ul>\n");
        for (size_t d = 0; d < th->domain_count; d++) {
            const action_domain *dom = &th->domains[d];
            buf_fmt(b, "<li>Actiedomein %h: %h\n", dom->number, dom->title);
            if (dom->action_count)
                buf_puts(b, "<ul>\n");
            for (size_t k = 0; k < dom->action_count; k++) {
                const action *x = &dom->actions[k];
                buf_fmt(b, "<li>Actie %h: %h", x->number, x->title);
                if (x->lead)
                    buf_fmt(b, " <span class=\"lead\">(trekker: %h)</span>", x->lead);
                buf_fmt(b, " <span class=\"action-status\">%h</span>", action_status_nl(x->status));
                latest_evaluation(rq, evs, nev, x->uid);
                buf_puts(b, "</li>\n");
            }
            if (dom->action_count)
                buf_puts(b, "</ul>\n");
            buf_puts(b, "</li>\n");
        }
        if (th->domain_count)
            buf_puts(b, "</ul>\n");
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul>\n");
    if (ag->theme_count)
        buf_fmt(b, "<p><a href=\"/agreements/%U/plan%s%a\">Het actieplan met zijn evaluaties als tabel, om af te "
                   "drukken of te downloaden</a></p>\n",
                ag->id, *page_carry_default(rq) ? "?" : "", page_carry_default(rq));
    buf_puts(b, "</section>\n");
}

static void governance(request *rq, const agreement *ag)
{
    buf *b = &rq->body;
    buf_puts(b, "<section aria-labelledby=\"gov-h\"><h2 id=\"gov-h\">Overlegstructuur</h2>\n");
    if (!ag->body_count)
        buf_puts(b, "<p>Er zijn geen overlegorganen geregistreerd.</p>\n");
    for (size_t i = 0; i < ag->body_count; i++) {
        const governance_body *g = &ag->bodies[i];
        buf_fmt(b, "<h3>%h</h3>\n<p>Roept samen: %h. Vergadert %h.</p>\n", g->body, g->convener ? g->convener : "niet vermeld",
                frequency(rq, g));
        if (!g->member_count)
            continue;
        buf_puts(b, "<ul class=\"members\">\n");
        for (size_t k = 0; k < g->member_count; k++) {
            const body_member *m = &g->members[k];
            buf_fmt(b, "<li>%h%s%h%s%h%s</li>\n", m->name ? m->name : "", m->name && m->function ? ", " : "",
                    m->function ? m->function : "", m->organisation ? " (" : "", m->organisation ? m->organisation : "",
                    m->organisation ? ")" : "");
        }
        buf_puts(b, "</ul>\n");
    }
    buf_puts(b, "</section>\n");
}

static void notes(request *rq, const agreement *ag)
{
    if (!ag->notes)
        return;
    buf_puts(&rq->body, "<section aria-labelledby=\"notes-h\"><h2 id=\"notes-h\">Notities</h2>\n<p class=\"notes\">");
    page_linked_text(&rq->body, ag->notes);
    buf_puts(&rq->body, "</p>\n</section>\n");
}

static void history(request *rq, const agreement *current)
{
    buf *b = &rq->body;
    store_version *versions;
    size_t n;
    if (store_agreement_versions(rq->db, web_known(rq), current->id, rq->arena, &versions, &n))
        return;
    buf_puts(b, "<section aria-labelledby=\"history-h\"><h2 id=\"history-h\">Geschiedenis</h2>\n<ol class=\"history\">\n");
    agreement previous;
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        agreement ag;
        if (store_get_agreement(rq->db, versions[i].change, current->id, rq->arena, &ag) != 1)
            continue;
        buf_fmt(b, "<li><p><time datetime=\"%a\">%h</time>%s%h (%h) · <a href=\"/agreements/%U?as_known_at=%U\">deze "
                   "versie bekijken</a></p>\n",
                versions[i].moment, page_moment(rq, versions[i].moment), page_shows_people(rq) ? " door " : "",
                page_shows_people(rq) ? versions[i].actor : "", page_action_label(versions[i].action), current->id,
                versions[i].moment);
        if (first) {
            buf_puts(b, "<p>Eerste versie geregistreerd.</p>\n");
        } else {
            field_change *changes;
            size_t k;
            history_agreement_diff(rq->arena, rq->who, &previous, &ag, web_history_names(rq), &changes, &k);
            buf_puts(b, "<ul>\n");
            for (size_t j = 0; j < k; j++)
                buf_fmt(b, "<li>%h: <del>%h</del> → <ins>%h</ins></li>\n", changes[j].field, changes[j].old_value,
                        changes[j].new_value);
            if (!k)
                buf_puts(b, "<li>geen inhoudelijke wijziging</li>\n");
            buf_puts(b, "</ul>\n");
        }
        buf_puts(b, "</li>\n");
        previous = ag;
        first = false;
    }
    buf_puts(b, "</ol>\n</section>\n");
}

void page_agreement(request *rq)
{
    const register_view *v = web_view(rq);
    if (!v)
        return;
    agreement ag;
    int found = store_get_agreement(rq->db, web_known(rq), web_route_param(rq, "id"), rq->arena, &ag);
    if (found < 0) {
        web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden.");
        return;
    }
    if (!found) {
        web_error(rq, 404, "not_found", "Er is geen overeenkomst met deze id.");
        return;
    }
    auth_redact(rq->who, &ag);
    organisation *orgs;
    size_t norg;
    if (store_get_organisations(rq->db, web_known(rq), rq->arena, &orgs, &norg))
        norg = 0;
    table t;
    party_table(rq, v, &ag, orgs, norg, &t);
    if (web_table_download(rq, &t, arena_printf(rq->arena, "partijen-%s", ag.id)))
        return;
    page_begin(rq, ag.title, NAV_AGREEMENTS);
    buf_fmt(&rq->body, "<p class=\"crumbs\"><a href=\"/agreements?%a\">Overeenkomsten</a></p>\n<h1>%h</h1>\n"
                       "<p class=\"id\">%h · <a href=\"/api/v1/agreements/%U\">somon/1 (JSON)</a></p>\n",
            page_carry_default(rq), ag.title, ag.id, ag.id);
    facts(rq, v, &ag);
    {
        const char *carry = page_carry_default(rq); /* the dashboard: page_indicators.c */
        buf_fmt(&rq->body, "<p class=\"dashboard-link\"><a href=\"/agreements/%U/indicators%s%a\">Indicatoren van de "
                           "gemeenten van deze overeenkomst</a></p>\n", ag.id, *carry ? "?" : "", carry);
    }
    edit_link(rq, &ag, ACT_EDIT_AGREEMENT, "edit", "Velden en status bewerken");
    sources_section(rq, &ag);
    parties(rq, v, &ag, orgs, norg);
    action_plan(rq, &ag);
    edit_link(rq, &ag, ACT_EDIT_PLAN, "plan/edit", "Actieplan bewerken");
    if (ag.theme_count)
        edit_link(rq, &ag, ACT_EDIT_PLAN, "evaluations/edit", "Evaluaties van het actieplan invullen");
    governance(rq, &ag);
    edit_link(rq, &ag, ACT_EDIT_GOVERNANCE, "governance/edit", "Overlegstructuur bewerken");
    page_meetings_section(rq, &ag);
    notes(rq, &ag);
    edit_link(rq, &ag, ACT_EDIT_NOTES, "notes/edit", "Notities bewerken");
    history(rq, &ag);
    page_end(rq);
}
