/* page_editions.c: see page_editions.h. */
#include "page_editions.h"

#include <stdlib.h>
#include <string.h>

#include "edition.h"
#include "formui.h"
#include "layout.h"
#include "pages.h"

/* Whether the reader may publish: a vdab account (in some province) or an
 * administrator, as route.c's PERM_PUBLISH decides. */
static bool may_publish(request *rq)
{
    for (int p = 0; p < PROVINCE_COUNT; p++)
        if (page_may_edit_region(rq, p))
            return true;
    return false;
}

static const char *edition_url(request *rq, int64_t id) { return arena_printf(rq->arena, "/editions/%lld", (long long)id); }

/* ---- /editions ---- */

/* The register the page shows (as_known_at), or NULL after answering 400/503. */
static const register_view *shown_view(request *rq)
{
    moment_t at;
    if (!web_moment_param(rq, &at))
        return NULL;
    return web_view(rq);
}

void page_editions(request *rq)
{
    const register_view *v = shown_view(rq);
    if (!v)
        return;
    edition_head *e;
    size_t n;
    if (store_editions(rq->db, v->known, rq->arena, &e, &n)) {
        web_error(rq, 503, "unavailable", "De edities kunnen nu niet gelezen worden; probeer het zo meteen opnieuw.");
        return;
    }
    table t;
    edition_list_table(rq->arena, e, n, &t);
    if (web_table_download(rq, &t, "edities"))
        return;
    page_begin(rq, "Gepubliceerde edities", NAV_OVERVIEW);
    buf *b = &rq->body;
    buf_puts(b, "<h1>Gepubliceerde edities</h1>\n<p>Een editie bevriest de tabel van het antwoord aan het parlement "
                "zoals ze gepubliceerd werd: de cijfers, de datum, de prognose en het moment waarop ze gekend "
                "waren. Elke editie toont wat de kennis van vandaag erin verandert.</p>\n");
    if (may_publish(rq))
        buf_puts(b, "<p><a class=\"button\" href=\"/editions/new\">Publiceren</a></p>\n");
    if (!n) {
        buf_puts(b, "<p>Er zijn nog geen gepubliceerde edities.</p>\n");
        page_end(rq);
        return;
    }
    buf_puts(b, "<div class=\"scroll\"><table class=\"list\">\n<caption>Gepubliceerde edities</caption>\n<thead><tr>"
                "<th scope=\"col\">Editie</th><th scope=\"col\">Vraag</th><th scope=\"col\">Datum</th>"
                "<th scope=\"col\">Prognose</th><th scope=\"col\">Zoals gekend op</th>"
                "<th scope=\"col\">Gepubliceerd op</th></tr></thead>\n<tbody>\n");
    for (size_t i = n; i-- > 0;) {
        buf_fmt(b, "<tr><td><a href=\"%a\">%lld</a></td><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>\n",
                edition_url(rq, e[i].id), (long long)e[i].id, e[i].question, page_date(rq, e[i].date),
                page_date(rq, e[i].prognosis), page_moment(rq, e[i].known_at), page_moment(rq, e[i].published_at));
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
    page_downloads(rq);
    page_end(rq);
}

/* ---- /editions/{id} ---- */

static void count_cells(buf *b, const rules_count *n)
{
    int pct = rules_percent(n->covered, n->total);
    buf_printf(b, "<td class=\"num\">%d/%d</td>", n->covered, n->total);
    if (pct < 0)
        buf_puts(b, "<td class=\"num\">–</td>");
    else
        buf_printf(b, "<td class=\"num\">%d</td>", pct);
}

/* The frozen table, with the two-level header of the overview. */
static void frozen_table(request *rq, const edition_head *e, const edition_figures *f)
{
    buf *b = &rq->body;
    const char *d = page_date(rq, e->date), *p = page_date(rq, e->prognosis);
    buf_fmt(b, "<div class=\"scroll\"><table class=\"coverage\">\n<caption>Samenwerkingsovereenkomsten VDAB en lokale "
               "besturen volgens gemeenten en regiegebieden sociale economie en werk, zoals gepubliceerd</caption>\n"
               "<thead>\n<tr><td rowspan=\"2\"></td><th scope=\"colgroup\" colspan=\"4\">Gemeenten</th>"
               "<th scope=\"colgroup\" colspan=\"4\">Regiegebieden sociale economie en werk</th></tr>\n<tr>");
    for (int g = 0; g < 2; g++)
        buf_fmt(b, "<th scope=\"col\" class=\"num\">op %h (n/N)</th><th scope=\"col\" class=\"num\">%%</th>"
                   "<th scope=\"col\" class=\"num\">prognose %h (n/N)</th><th scope=\"col\" class=\"num\">%%</th>",
                d, p);
    buf_puts(b, "</tr>\n</thead>\n<tbody>\n");
    for (int row = 0; row < PROVINCE_ROWS; row++) {
        buf_fmt(b, "<tr%s><th scope=\"row\">%h</th>", row == ROW_FLANDERS ? " class=\"total\"" : "", province_name(row));
        for (int m = 0; m < EDITION_MEASURES; m++)
            count_cells(b, &f->cell[m][row]);
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

static void notes_section(request *rq, const edition_diff *d)
{
    buf *b = &rq->body;
    buf_puts(b, "<section aria-labelledby=\"notes-h\">\n<h2 id=\"notes-h\">Opmerkingen bij de tabel</h2>\n");
    if (!d->note_count)
        buf_puts(b, "<p>Deze editie heeft geen opmerkingen.</p>\n");
    else
        buf_puts(b, "<dl class=\"notes\">\n");
    for (size_t i = 0; i < d->note_count; i++)
        buf_fmt(b, "<dt>%h</dt><dd>%h</dd>\n", province_name(d->notes[i].row), d->notes[i].text);
    if (d->note_count)
        buf_puts(b, "</dl>\n");
    buf_puts(b, "</section>\n");
}

static void cause_item(request *rq, const edition_cause *c)
{
    buf *b = &rq->body;
    buf_fmt(b, "<li><a href=\"/history?as_known_at=%U#change-%lld\">wijziging %lld</a> op %h · %h",
            c->change.moment, (long long)c->change.id, (long long)c->change.id, page_moment(rq, c->change.moment),
            page_action_label(c->change.action));
    if (page_shows_people(rq))
        buf_fmt(b, " door <strong>%h</strong>", c->change.actor);
    for (size_t k = 0; k < c->agreement_count; k++)
        buf_fmt(b, "%s<a href=\"/agreements/%U?as_known_at=%U\">%h</a>", k ? ", " : ": ", c->agreements[k],
                c->change.moment, c->agreements[k]);
    if (c->agreement_total > c->agreement_count)
        buf_fmt(b, " en nog %zu", c->agreement_total - c->agreement_count);
    buf_puts(b, "</li>\n");
}

static void diff_section(request *rq, const edition_diff *d)
{
    buf *b = &rq->body;
    const char *at = web_param(rq, "as_known_at");
    buf_fmt(b, "<section aria-labelledby=\"diff-h\">\n<h2 id=\"diff-h\">Wat de kennis %s verandert</h2>\n",
            at && *at ? "van dat moment" : "van vandaag");
    if (!d->count) {
        buf_puts(b, "<p>Geen verschillen: wat nu gekend is, geeft voor dezelfde data dezelfde cijfers.</p>\n</section>\n");
        return;
    }
    buf_puts(b, "<ul class=\"diff\">\n");
    for (size_t i = 0; i < d->count; i++) {
        const edition_cell *c = &d->cells[i];
        buf_fmt(b, "<li><strong>%h</strong>: gepubliceerd %d/%d, nu %d/%d",
                edition_cell_label(rq->arena, c->measure, c->row, d->head.date, d->head.prognosis),
                c->published.covered, c->published.total, c->now.covered, c->now.total);
        if (c->rules_changed)
            buf_puts(b, " (ook zonder wijziging in het register geeft somon nu andere cijfers: de rekenregels zijn "
                        "gewijzigd)");
        if (c->cause_count) {
            buf_puts(b, "\n<ul>\n");
            for (size_t k = 0; k < c->cause_count; k++)
                cause_item(rq, &d->causes[c->causes[k]]);
            buf_puts(b, "</ul>");
        }
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul>\n</section>\n");
}

/* The id of the route, or -1 after answering 404. */
static int64_t route_id(request *rq)
{
    const char *s = web_route_param(rq, "id");
    char *end;
    long long id = s && *s ? strtoll(s, &end, 10) : -1;
    if (!s || !*s || *end || id < 1) {
        web_error(rq, 404, "not_found", "Er is geen editie met dit nummer; /editions toont ze allemaal.");
        return -1;
    }
    return id;
}

void page_edition(request *rq)
{
    int64_t id = route_id(rq);
    const register_view *v = id < 0 ? NULL : shown_view(rq);
    if (!v)
        return;
    edition_diff d;
    edition_head head;
    /* as known before its publication, the edition did not exist */
    int found = store_edition_get(rq->db, id, rq->arena, &head);
    if (found == 1 && head.change > v->known)
        found = 0;
    if (found == 1)
        found = edition_diff_compute(rq->db, id, v, rq->arena, &d);
    if (found != 1) {
        web_error(rq, found < 0 ? 503 : 404, found < 0 ? "unavailable" : "not_found",
                  found < 0 ? "De editie kan nu niet gelezen worden." : "Er is geen editie met dit nummer.");
        return;
    }
    edition_figures f;
    if (store_edition_figures(rq->db, id, &f)) {
        web_error(rq, 503, "unavailable", "De editie kan nu niet gelezen worden.");
        return;
    }
    const edition_head *e = &d.head;
    coverage_report r;
    edition_report(e, &f, &r);
    table t;
    coverage_report_table(&r, rq->arena, &t);
    if (web_table_download(rq, &t, arena_printf(rq->arena, "editie-%lld", (long long)e->id)))
        return;
    page_begin(rq, arena_printf(rq->arena, "Editie %lld", (long long)e->id), NAV_OVERVIEW);
    buf *b = &rq->body;
    char di[DATE_ISO_LEN], pi[DATE_ISO_LEN];
    buf_fmt(b, "<p class=\"crumbs\"><a href=\"/editions\">Gepubliceerde edities</a></p>\n<h1>Editie %lld</h1>\n"
               "<p class=\"question\">%h</p>\n<p>De tabel op %h met prognose %h, zoals gekend op %h; gepubliceerd op %h",
            (long long)e->id, e->question, page_date(rq, e->date), page_date(rq, e->prognosis),
            page_moment(rq, e->known_at), page_moment(rq, e->published_at));
    if (page_shows_people(rq))
        buf_fmt(b, " door <strong>%h</strong>", e->published_by);
    buf_fmt(b, ". <a href=\"/?date=%U&amp;prognosis=%U&amp;as_known_at=%U\">Het overzicht zoals toen gekend</a> · "
               "<a href=\"/?date=%U&amp;prognosis=%U\">zoals nu gekend</a>.</p>\n",
            date_format_iso(e->date, di), date_format_iso(e->prognosis, pi), e->known_at, di, pi);
    frozen_table(rq, e, &f);
    page_downloads(rq);
    notes_section(rq, &d);
    diff_section(rq, &d);
    page_end(rq);
}

/* ---- publishing ---- */

static const char *note_field(request *rq, int row) { return arena_printf(rq->arena, "notes[%d]", row); }

static void publish_form(request *rq, date_t d, date_t p, const edit_outcome *o, int code)
{
    page_begin(rq, "Editie publiceren", NAV_OVERVIEW);
    buf *b = &rq->body;
    buf_puts(b, "<p class=\"crumbs\"><a href=\"/editions\">Gepubliceerde edities</a></p>\n<h1>Editie publiceren</h1>\n"
                "<p>Publiceren bevriest de tabel van deze data zoals ze nu gekend is, met de vraag en uw opmerkingen "
                "per provincie. Een editie verandert daarna nooit meer; wat later gecorrigeerd wordt, toont haar "
                "pagina als verschil.</p>\n");
    if (code == EDIT_STALE)
        buf_fmt(b, "<div class=\"problems\" role=\"alert\"><p>Er is niets gepubliceerd: het register veranderde nadat u "
                   "het formulier opende, dus de cijfers die u zag zijn niet meer die van vandaag. Uw invoer staat "
                   "hieronder nog; <a href=\"/?date=%U&amp;prognosis=%U\">controleer de cijfers</a> en publiceer "
                   "opnieuw.</p></div>\n",
                form_date_text(rq, d), form_date_text(rq, p));
    else
        form_outcome(rq, o, code);
    form_begin(rq, "/editions", web_known(rq));
    form_textarea(rq, o, "question", "Vraag (nummer en tekst)", form_value(rq, "question", NULL), NULL);
    form_date(rq, o, "date", "Datum van de tabel", form_value(rq, "date", form_date_text(rq, d)));
    form_date(rq, o, "prognosis", "Prognose op", form_value(rq, "prognosis", form_date_text(rq, p)));
    buf_puts(b, "<fieldset><legend>Opmerkingen per provincie (mogen leeg blijven)</legend>\n");
    for (int row = 0; row < PROVINCE_ROWS; row++)
        form_textarea(rq, o, note_field(rq, row), province_name(row), form_value(rq, note_field(rq, row), NULL), NULL);
    buf_puts(b, "</fieldset>\n");
    form_end(rq, "Publiceren", "/");
    page_end(rq);
}

void page_edition_new(request *rq)
{
    date_t today = web_today();
    date_t d = web_date_param(rq, "date", today);
    if (d == DATE_NONE)
        return;
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    date_t p = web_date_param(rq, "prognosis", date_from_ymd(y, 12, 31));
    if (p == DATE_NONE)
        return;
    if (!web_view(rq))
        return;
    publish_form(rq, d, p, NULL, 0);
}

static void problem(request *rq, edit_outcome *o, size_t *cap, const char *path, const char *message)
{
    o->problems = arena_grow(rq->arena, o->problems, cap, o->problem_count + 1, sizeof *o->problems);
    o->problems[o->problem_count++] = (somon1_problem){path, message};
}

/* The posted form as an edition_input; problems for dates that are not dates. */
static void read_form(request *rq, edition_input *in, edit_outcome *o, size_t *cap)
{
    *in = (edition_input){form_read_text(rq, "question"), DATE_NONE, DATE_NONE, MOMENT_NONE, NULL, 0};
    if (!form_read_date(rq, "date", &in->date))
        problem(rq, o, cap, "date", "geen datum; geef een dag die bestaat");
    if (!form_read_date(rq, "prognosis", &in->prognosis))
        problem(rq, o, cap, "prognosis", "geen datum; geef een dag die bestaat");
    in->notes = arena_calloc(rq->arena, PROVINCE_ROWS, sizeof *in->notes);
    for (int row = 0; row < PROVINCE_ROWS; row++) {
        const char *text = form_read_text(rq, note_field(rq, row));
        if (text)
            in->notes[in->note_count++] = (edition_note){row, (char *)text};
    }
}

void page_edition_create(request *rq)
{
    int64_t opened_on = edit_form_version(rq);
    if (opened_on < 0)
        return;
    edition_input in;
    edit_outcome o = {0};
    size_t cap = 0;
    read_form(rq, &in, &o, &cap);
    somon1_problem *problems;
    size_t n = edition_check(&in, true, rq->arena, &problems);
    for (size_t i = 0; i < n; i++)
        if (!edit_problem_at(&o, problems[i].path))
            problem(rq, &o, &cap, problems[i].path, problems[i].message);
    int code = o.problem_count ? EDIT_INVALID : 0;
    edition_head e;
    if (!code) {
        int rc = edition_publish(rq->db, rq->who->login, &in, opened_on, rq->arena, &e);
        code = rc == EDITION_PUBLISHED ? EDIT_SAVED : rc == EDITION_STALE ? EDIT_STALE : EDIT_FAILED;
    }
    if (code == EDIT_SAVED) {
        web_redirect(rq, edition_url(rq, e.id));
        return;
    }
    if (!web_view(rq))
        return;
    publish_form(rq, in.date, in.prognosis, &o, code);
    rq->status = code;
}

/* ---- on the overview ---- */

void page_editions_overview_part(request *rq, date_t d, date_t p)
{
    buf *b = &rq->body;
    const char *at = web_param(rq, "as_known_at");
    const register_view *v = at && *at ? NULL : web_view(rq);
    edition_head *e = NULL;
    size_t n = 0;
    if (v && store_editions(rq->db, v->known, rq->arena, &e, &n) == 0)
        for (size_t i = 0; i < n; i++) {
            edition_figures then, now;
            if (store_edition_figures(rq->db, e[i].id, &then) || edition_figures_in(v, &e[i], &now) ||
                !edition_figures_differ(&then, &now))
                continue;
            buf_fmt(b, "<p class=\"warning\" role=\"status\">De cijfers van gepubliceerde editie %lld zijn sindsdien "
                       "gewijzigd. <a href=\"%a#diff-h\">Bekijk wat er veranderde</a>.</p>\n",
                    (long long)e[i].id, edition_url(rq, e[i].id));
        }
    page_publish_link(rq, d, p);
}

void page_publish_link(request *rq, date_t d, date_t p)
{
    if (!may_publish(rq))
        return;
    char di[DATE_ISO_LEN], pi[DATE_ISO_LEN];
    buf_fmt(&rq->body, "<p class=\"publish\"><a class=\"button\" href=\"/editions/new?date=%U&amp;prognosis=%U\">"
                       "Publiceren</a> bevriest deze tabel als editie van het antwoord aan het parlement · "
                       "<a href=\"/editions\">gepubliceerde edities</a></p>\n",
            date_format_iso(d, di), date_format_iso(p, pi));
}
