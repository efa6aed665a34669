/* page_cooperation.c: see page_cooperation.h. Cooperations are edited like
 * organisations (page_regions.c): the form carries the stored version, the
 * save is checked with the importer's rules and compared again inside its
 * transaction. The outreach log only grows: its form carries the last change
 * that wrote an entry of the municipality, so an entry added by someone else
 * meanwhile is shown instead of being silently interleaved. */
#define _GNU_SOURCE /* qsort_r */
#include "page_cooperation.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "formui.h"
#include "history.h"
#include "layout.h"
#include "pages.h"
#include "report.h"
#include "rules_outreach.h"
#include "store_cooperation.h"

/* ---- municipalities by NIS code ----------------------------------------------- */

/* The last identity of a NIS code (its current name and province), or NULL. */
static const view_municipality *municipality_of(const register_view *v, const char *nis)
{
    int code = nis ? nis_code(nis) : -1;
    if (code < 0 || v->map.code_first[code] < 0)
        return NULL;
    return &v->municipalities[v->map.code_first[code] + v->map.code_count[code] - 1];
}

static const char *name_of(const register_view *v, const char *nis)
{
    const view_municipality *m = municipality_of(v, nis);
    return m ? m->name : nis;
}

static int province_of(const register_view *v, const char *nis)
{
    const view_municipality *m = municipality_of(v, nis);
    return m ? m->province : -1;
}

static bool may_edit(request *rq, const register_view *v, const char *nis)
{
    int p = province_of(v, nis);
    return p >= 0 && page_may_edit_region(rq, p);
}

static bool may_edit_somewhere(request *rq)
{
    for (int p = 0; p < PROVINCE_COUNT; p++)
        if (page_may_edit_region(rq, p))
            return true;
    return false;
}

static const char *url_of(request *rq, const char *base, const char *id, const char *suffix)
{
    buf b = {0};
    buf_puts(&b, base);
    buf_url(&b, id);
    buf_puts(&b, suffix);
    const char *url = arena_strdup(rq->arena, b.data);
    buf_free(&b);
    return url;
}

static const char *day_or(request *rq, date_t d, const char *none) { return d == DATE_NONE ? none : page_date(rq, d); }

static void problem(request *rq, edit_outcome *o, size_t *cap, const char *path, const char *message)
{
    o->problems = arena_grow(rq->arena, o->problems, cap, o->problem_count + 1, sizeof *o->problems);
    o->problems[o->problem_count++] = (somon1_problem){path, message};
}


/* ---- /cooperations ------------------------------------------------------------ */

typedef struct {
    const char *kind; /* NULL: all */
    int province;     /* -1: all */
    date_t on;        /* DATE_NONE: every date */
} cooperation_filter;

static bool filter_params(request *rq, cooperation_filter *f)
{
    f->kind = web_param(rq, "kind");
    if (f->kind && !*f->kind)
        f->kind = NULL;
    if (f->kind && !cooperation_kind_valid(f->kind)) {
        web_error(rq, 400, "bad_kind", "De parameter kind is geen soort samenwerking (twe_ocmw, wijk_werken, "
                                       "mobiele_opleiding, jobbeurs, zitdag, digibank, esf_lokaal_partnerschap, "
                                       "lerend_netwerk of other).");
        return false;
    }
    if (!web_province_param(rq, &f->province))
        return false;
    const char *d = web_param(rq, "date");
    f->on = DATE_NONE;
    if (d && *d && (f->on = web_date_param(rq, "date", DATE_NONE)) == DATE_NONE)
        return false;
    return true;
}

static int by_place(const void *x, const void *y, void *context)
{
    const register_view *v = context;
    const cooperation *a = x, *b = y;
    int pa = province_of(v, a->municipality), pb = province_of(v, b->municipality);
    if (pa != pb)
        return pa - pb;
    int c = strcmp(name_of(v, a->municipality), name_of(v, b->municipality));
    if (c)
        return c;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return strcmp(a->id, b->id);
}

static const char *const LIST_KEYS[] = {"id", "nis", "municipality", "province", "kind", "title", "from", "until",
                                        "notes"};
static const char *const LIST_LABELS[] = {"Id", "NIS", "Gemeente", "Provincie", "Soort", "Titel", "Van", "Tot",
                                          "Opmerkingen"};

static void list_table(request *rq, const register_view *v, const cooperation *cs, size_t n, table *t)
{
    table_init(t, rq->arena, "Andere samenwerking", LIST_KEYS, LIST_LABELS, 9);
    for (size_t i = 0; i < n; i++) {
        const cooperation *c = &cs[i];
        cell *row = table_row(t);
        row[0] = cell_text(c->id);
        row[1] = cell_text(c->municipality);
        row[2] = cell_text(name_of(v, c->municipality));
        row[3] = cell_text(province_name(province_of(v, c->municipality)));
        row[4] = cell_text(cooperation_kind_label(c->kind));
        row[5] = cell_text(c->title);
        row[6] = cell_date(c->from);
        row[7] = cell_date(c->until);
        row[8] = cell_text(c->notes ? c->notes : "");
    }
}

static void list_form(request *rq, const cooperation_filter *f)
{
    buf *b = &rq->body;
    char iso[DATE_ISO_LEN];
    buf_fmt(b, "<form class=\"filters\" method=\"get\" action=\"/cooperations\">\n<p><label for=\"date\">Lopend op"
               "</label> <input type=\"date\" id=\"date\" name=\"date\" value=\"%a\">\n",
            f->on == DATE_NONE ? "" : date_format_iso(f->on, iso));
    buf_puts(b, "<label for=\"kind\">Soort</label> <select id=\"kind\" name=\"kind\"><option value=\"\">alle</option>");
    for (int i = 0; COOPERATION_KINDS[i]; i++)
        buf_fmt(b, "<option value=\"%a\"%s>%h</option>", COOPERATION_KINDS[i],
                f->kind && strcmp(f->kind, COOPERATION_KINDS[i]) == 0 ? " selected" : "",
                cooperation_kind_label(COOPERATION_KINDS[i]));
    buf_puts(b, "</select>\n<label for=\"province\">Provincie</label> <select id=\"province\" name=\"province\">"
                "<option value=\"\">alle</option>");
    for (int p = 0; p < PROVINCE_COUNT; p++)
        buf_fmt(b, "<option%s>%h</option>", p == f->province ? " selected" : "", province_name(p));
    buf_puts(b, "</select>\n");
    page_hidden_known_at(rq);
    buf_puts(b, "<button type=\"submit\">Toon</button></p>\n</form>\n");
}

void page_cooperation_list(request *rq)
{
    cooperation_filter f;
    if (!filter_params(rq, &f))
        return;
    const register_view *v = web_view(rq);
    if (!v)
        return;
    cooperation *all;
    size_t total;
    if (store_get_cooperations(rq->db, web_known(rq), NULL, rq->arena, &all, &total)) {
        web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden.");
        return;
    }
    cooperation *cs = arena_calloc(rq->arena, total + 1, sizeof *cs);
    size_t n = 0;
    for (size_t i = 0; i < total; i++)
        if ((!f.kind || strcmp(f.kind, all[i].kind) == 0) &&
            (f.province < 0 || province_of(v, all[i].municipality) == f.province) &&
            (f.on == DATE_NONE || cooperation_on(&all[i], f.on)))
            cs[n++] = all[i];
    if (n)
        qsort_r(cs, n, sizeof *cs, by_place, (void *)v);
    table t;
    list_table(rq, v, cs, n, &t);
    if (web_table_download(rq, &t, "samenwerkingen"))
        return;
    page_begin(rq, "Andere samenwerking", NAV_MUNICIPALITIES);
    buf *b = &rq->body;
    const char *carry = page_carry_default(rq);
    bool may = may_edit_somewhere(rq);
    buf_fmt(b, "<p class=\"crumbs\"><a href=\"/municipalities?%a\">Gemeenten</a></p>\n<h1>Andere samenwerking met VDAB"
               "%s%h</h1>\n<p>Samenwerking van lokale besturen met VDAB buiten een samenwerkingsovereenkomst: TWE-OCMW, "
               "wijk-werken, jobbeurzen, zitdagen en meer.</p>\n",
            carry, f.on == DATE_NONE ? "" : ", lopend op ", f.on == DATE_NONE ? "" : page_date(rq, f.on));
    if (may)
        buf_puts(b, "<p class=\"edit-link\"><a href=\"/cooperations/new\">Samenwerking toevoegen</a></p>\n");
    list_form(rq, &f);
    buf_fmt(b, "<p role=\"status\">%zu samenwerking%s.</p>\n", n, n == 1 ? "" : "en");
    buf_puts(b, "<div class=\"scroll\"><table class=\"list\">\n<caption>Andere samenwerking per gemeente</caption>\n"
                "<thead><tr><th scope=\"col\">Gemeente</th><th scope=\"col\">Provincie</th><th scope=\"col\">Soort</th>"
                "<th scope=\"col\">Titel</th><th scope=\"col\">Van</th><th scope=\"col\">Tot</th>");
    buf_puts(b, may ? "<th scope=\"col\">Bewerken</th></tr></thead>\n<tbody>\n" : "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const cooperation *c = &cs[i];
        buf_fmt(b, "<tr><th scope=\"row\"><a href=\"/municipalities/%U%s%a\">%h</a></th><td>%h</td><td>%h</td>"
                   "<td>%h <span class=\"id\">%h</span></td><td>%h</td><td>%h</td>",
                c->municipality, *carry ? "?" : "", carry, name_of(v, c->municipality),
                province_name(province_of(v, c->municipality)), cooperation_kind_label(c->kind), c->title, c->id,
                day_or(rq, c->from, "–"), day_or(rq, c->until, "–"));
        if (may && may_edit(rq, v, c->municipality))
            buf_fmt(b, "<td><a href=\"%a\">bewerken</a> · <a href=\"%a\">beëindigen</a></td>",
                    url_of(rq, "/cooperations/", c->id, "/edit"), url_of(rq, "/cooperations/", c->id, "/end"));
        else if (may)
            buf_puts(b, "<td></td>");
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
    page_downloads(rq);
    page_end(rq);
}

/* ---- the cooperation forms ---------------------------------------------------- */

static void cooperation_form(request *rq, const cooperation *c, bool creating, const edit_outcome *o, int code)
{
    const register_view *v = web_view(rq);
    page_begin(rq, creating ? "Samenwerking toevoegen" : arena_printf(rq->arena, "%s bewerken", c->title),
               NAV_MUNICIPALITIES);
    buf *b = &rq->body;
    buf_fmt(b, "<p class=\"crumbs\"><a href=\"/cooperations\">Andere samenwerking</a></p>\n<h1>%s</h1>\n",
            creating ? "Samenwerking toevoegen" : "Samenwerking bewerken");
    if (code == EDIT_STALE)
        form_stale_notice(rq, o, "deze samenwerking", url_of(rq, "/cooperations/", c->id, "/edit"));
    else
        form_outcome(rq, o, code);
    form_begin(rq, creating ? "/cooperations" : url_of(rq, "/cooperations/", c->id, ""), c->version);
    if (creating)
        form_text(rq, o, "id", "Id (leeg: somon kiest er een, bv. CO-13008-1)", form_value(rq, "id", c->id), false);
    /* a name (read on the first day), a label "Geel (13008)" or a NIS code; the
     * names are suggested from the shared list (formnames.h) */
    const view_municipality *m = v ? municipality_of(v, c->municipality) : NULL;
    form_municipality_list(rq, "municipality-names", c->from, c->until);
    form_text_list(rq, o, "municipality", "Gemeente (naam of NIS-code)",
                   form_value(rq, "municipality",
                              m ? arena_printf(rq->arena, "%s (%s)", m->name, m->nis) : c->municipality),
                   "municipality-names");
    form_option kinds[COOPERATION_KIND_COUNT];
    for (size_t i = 0; i < COOPERATION_KIND_COUNT; i++)
        kinds[i] = (form_option){COOPERATION_KINDS[i], cooperation_kind_label(COOPERATION_KINDS[i])};
    form_select(rq, o, "kind", "Soort", kinds, COOPERATION_KIND_COUNT, form_value(rq, "kind", c->kind));
    form_text(rq, o, "title", "Titel", form_value(rq, "title", c->title), true);
    form_date(rq, o, "from", "Van", form_value(rq, "from", form_date_text(rq, c->from)));
    form_date(rq, o, "until", "Tot en met", form_value(rq, "until", form_date_text(rq, c->until)));
    form_textarea(rq, o, "notes", "Opmerkingen", form_value(rq, "notes", c->notes), NULL);
    form_end(rq, creating ? "Samenwerking toevoegen" : "Bewaren", "/cooperations");
    page_end(rq);
}

/* A date field of the posted form; a problem beside it when it is not a date. */
static date_t posted_date(request *rq, const char *name, edit_outcome *o, size_t *cap)
{
    date_t d;
    if (!form_read_date(rq, name, &d)) {
        problem(rq, o, cap, name, "geen datum; geef een dag die bestaat");
        return DATE_NONE;
    }
    return d;
}

static void read_cooperation_form(request *rq, cooperation *c, bool creating, edit_outcome *o, size_t *cap)
{
    if (creating)
        c->id = (char *)form_read_text(rq, "id");
    c->kind = (char *)form_read_text(rq, "kind");
    c->title = (char *)form_read_text(rq, "title");
    c->notes = (char *)form_read_text(rq, "notes");
    c->from = posted_date(rq, "from", o, cap);
    c->until = posted_date(rq, "until", o, cap);
    const char *typed = form_read_text(rq, "municipality"), *why = NULL;
    c->municipality = typed ? (char *)form_municipality(rq, typed, c->from, &why) : NULL;
    if (typed && !c->municipality)
        problem(rq, o, cap, "municipality", why);
}

/* "CO-<NIS>-<n>" with the first n not taken. */
static char *new_id(request *rq, const char *nis)
{
    for (int k = 1; k < 100000; k++) {
        char *id = arena_printf(rq->arena, "CO-%s-%d", nis, k);
        cooperation x;
        int found = store_get_cooperation(rq->db, STORE_NOW, id, rq->arena, &x);
        if (found <= 0)
            return found < 0 ? NULL : id;
    }
    return NULL;
}

/* What the change says: which cooperation, and what changed field by field. */
static const char *change_detail(request *rq, const cooperation *before, const cooperation *now)
{
    char *detail = arena_printf(rq->arena, "%s %s", before ? "samenwerking" : "nieuwe samenwerking", now->id);
    if (!before)
        return detail;
    field_change *fc;
    json_t *x = somon1_cooperation_json(before), *y = somon1_cooperation_json(now);
    size_t n = history_diff(rq->arena, x, y, web_history_names(rq), &fc);
    json_decref(x);
    json_decref(y);
    for (size_t i = 0; i < n && i < 5; i++)
        detail = arena_printf(rq->arena, "%s%s%s: %s → %s", detail, i ? "; " : ": ", fc[i].field,
                              arena_clip(rq->arena, fc[i].old_value, 60), arena_clip(rq->arena, fc[i].new_value, 60));
    return detail;
}

/* Checks and writes c (c->version: the version the form was opened on, 0
 * for a new cooperation); one of the EDIT_ codes. */
static int cooperation_save(request *rq, cooperation *c, edit_outcome *o, size_t *cap)
{
    const register_view *v = web_view(rq);
    if (!v)
        return EDIT_FAILED;
    cooperation current;
    int found = c->id ? store_get_cooperation(rq->db, STORE_NOW, c->id, rq->arena, &current) : 0;
    if (found < 0 || (c->version && found != 1))
        return EDIT_FAILED;
    if (c->version && current.version != c->version) {
        cooperation old;
        if (store_get_cooperation_version(rq->db, c->version, rq->arena, &old) == 1 && strcmp(old.id, c->id) == 0)
            form_between(rq, somon1_cooperation_json(&old), somon1_cooperation_json(&current), current.change, o);
        return EDIT_STALE;
    }
    if (!c->version && found)
        problem(rq, o, cap, "id", "deze id bestaat al; kies een andere of laat het veld leeg");
    if (!c->municipality)
        problem(rq, o, cap, "municipality", "verplicht; kies een gemeente");
    else if (municipality_of(v, c->municipality) && !may_edit(rq, v, c->municipality))
        problem(rq, o, cap, "municipality", "deze gemeente ligt buiten de provincies waarin u mag werken");
    if (found && !may_edit(rq, v, current.municipality))
        problem(rq, o, cap, "municipality", "deze samenwerking ligt buiten de provincies waarin u mag werken");
    if (!c->id && c->municipality && nis_code(c->municipality) >= 0 && !(c->id = new_id(rq, c->municipality)))
        return EDIT_FAILED;
    somon1_context ctx = {v, {0}};
    somon1_problem *found_problems;
    cooperation check = *c;
    if (!check.id)
        check.id = "CO-NEW"; /* the municipality's problem is reported; the id is somon's */
    size_t n = somon1_check_cooperation(&check, &ctx, rq->arena, &found_problems);
    for (size_t i = 0; i < n; i++)
        problem(rq, o, cap, found_problems[i].path, found_problems[i].message);
    if (o->problem_count)
        return EDIT_INVALID;
    if (found && history_same(somon1_cooperation_json(&current), somon1_cooperation_json(c)))
        return EDIT_SAVED;
    int64_t change;
    if (store_begin(rq->db, rq->who->login, "edit", change_detail(rq, found ? &current : NULL, c), &change))
        return EDIT_FAILED;
    cooperation again;
    int still = store_get_cooperation(rq->db, STORE_NOW, c->id, rq->arena, &again);
    if (still < 0 || (c->version && (still != 1 || again.version != c->version)) || (!c->version && still)) {
        store_rollback(rq->db);
        if (still == 1 && c->version) {
            form_between(rq, somon1_cooperation_json(&current), somon1_cooperation_json(&again), again.change, o);
            return EDIT_STALE;
        }
        if (still == 1)
            problem(rq, o, cap, "id", "deze id bestaat al; kies een andere of laat het veld leeg");
        return still == 1 ? EDIT_INVALID : EDIT_FAILED;
    }
    if (store_put_cooperation(rq->db, change, c) || store_commit(rq->db)) {
        store_rollback(rq->db);
        return EDIT_FAILED;
    }
    return EDIT_SAVED;
}

static void saved(request *rq, const cooperation *c)
{
    web_redirect(rq, arena_printf(rq->arena, "%s#cooperation-h", url_of(rq, "/municipalities/", c->municipality, "")));
}

void page_cooperation_new(request *rq)
{
    cooperation c = {0};
    c.from = c.until = DATE_NONE;
    c.municipality = (char *)web_param(rq, "municipality");
    if (!web_view(rq))
        return;
    cooperation_form(rq, &c, true, NULL, 0);
}

void page_cooperation_create(request *rq)
{
    cooperation c = {0};
    edit_outcome o = {0};
    size_t cap = 0;
    read_cooperation_form(rq, &c, true, &o, &cap);
    int code = o.problem_count ? EDIT_INVALID : cooperation_save(rq, &c, &o, &cap);
    if (code == EDIT_SAVED) {
        saved(rq, &c);
        return;
    }
    cooperation_form(rq, &c, true, &o, code);
    rq->status = code;
}

/* The stored cooperation of the route, which the person may edit (403 otherwise). */
static int stored_cooperation(request *rq, cooperation *c)
{
    const register_view *v = web_view(rq);
    if (!v)
        return -1;
    int found = store_get_cooperation(rq->db, STORE_NOW, web_route_param(rq, "id"), rq->arena, c);
    if (found != 1)
        web_error(rq, found < 0 ? 503 : 404, found < 0 ? "unavailable" : "not_found",
                  found < 0 ? "Het register kan nu niet gelezen worden." : "Er is geen samenwerking met deze id.");
    else if (!may_edit(rq, v, c->municipality)) {
        web_error(rq, 403, "forbidden", "Deze samenwerking ligt buiten de provincies waarin u mag werken; er is niets gewijzigd.");
        return 0;
    }
    return found;
}

void page_cooperation_edit(request *rq)
{
    cooperation c;
    if (stored_cooperation(rq, &c) == 1)
        cooperation_form(rq, &c, false, NULL, 0);
}

void page_cooperation_update(request *rq)
{
    cooperation c;
    if (stored_cooperation(rq, &c) != 1 || (c.version = edit_form_version(rq)) < 0)
        return;
    edit_outcome o = {0};
    size_t cap = 0;
    read_cooperation_form(rq, &c, false, &o, &cap);
    int code = o.problem_count ? EDIT_INVALID : cooperation_save(rq, &c, &o, &cap);
    if (code == EDIT_SAVED) {
        saved(rq, &c);
        return;
    }
    cooperation_form(rq, &c, false, &o, code);
    rq->status = code;
}

/* Ending a cooperation is giving it its last day: the history keeps the rest. */
static void end_form(request *rq, const cooperation *c, const edit_outcome *o, int code)
{
    const register_view *v = web_view(rq);
    page_begin(rq, arena_printf(rq->arena, "%s beëindigen", c->title), NAV_MUNICIPALITIES);
    buf *b = &rq->body;
    buf_fmt(b, "<p class=\"crumbs\"><a href=\"/cooperations\">Andere samenwerking</a></p>\n<h1>Samenwerking beëindigen"
               "</h1>\n<p>%h (%h) in %h, %h%h.</p>\n",
            c->title, cooperation_kind_label(c->kind), v ? name_of(v, c->municipality) : c->municipality,
            c->from == DATE_NONE ? "begindatum onbekend" : "sinds ", c->from == DATE_NONE ? "" : page_date(rq, c->from));
    if (code == EDIT_STALE)
        form_stale_notice(rq, o, "deze samenwerking", url_of(rq, "/cooperations/", c->id, "/end"));
    else
        form_outcome(rq, o, code);
    form_begin(rq, url_of(rq, "/cooperations/", c->id, "/end"), c->version);
    char iso[DATE_ISO_LEN];
    form_date(rq, o, "until", "Laatste dag",
              form_value(rq, "until", c->until != DATE_NONE ? form_date_text(rq, c->until)
                                                            : date_format_iso(web_today(), iso)));
    form_end(rq, "Beëindigen", "/cooperations");
    page_end(rq);
}

void page_cooperation_end(request *rq)
{
    cooperation c;
    if (stored_cooperation(rq, &c) == 1)
        end_form(rq, &c, NULL, 0);
}

void page_cooperation_end_update(request *rq)
{
    cooperation c;
    if (stored_cooperation(rq, &c) != 1 || (c.version = edit_form_version(rq)) < 0)
        return;
    edit_outcome o = {0};
    size_t cap = 0;
    c.until = posted_date(rq, "until", &o, &cap);
    if (!o.problem_count && c.until == DATE_NONE)
        problem(rq, &o, &cap, "until", "verplicht; geef de laatste dag van de samenwerking");
    int code = o.problem_count ? EDIT_INVALID : cooperation_save(rq, &c, &o, &cap);
    if (code == EDIT_SAVED) {
        saved(rq, &c);
        return;
    }
    end_form(rq, &c, &o, code);
    rq->status = code;
}

/* ---- the outreach log ----------------------------------------------------------- */

static void outreach_form(request *rq, const view_municipality *m, int64_t stamp, const edit_outcome *o, int code)
{
    page_begin(rq, arena_printf(rq->arena, "Contact met %s", m->name), NAV_MUNICIPALITIES);
    buf *b = &rq->body;
    const char *back = url_of(rq, "/municipalities/", m->nis, "");
    buf_fmt(b, "<p class=\"crumbs\"><a href=\"/municipalities\">Gemeenten</a> › <a href=\"%a\">%h</a></p>\n"
               "<h1>Contact met %h vastleggen</h1>\n<p>Een regel in het logboek van de toenadering: het stadium op "
               "een dag is dat van de laatste regel op of voor die dag.</p>\n",
            back, m->name, m->name);
    if (code == EDIT_STALE)
        form_stale_notice(rq, o, "het logboek van deze gemeente", url_of(rq, "/municipalities/", m->nis, "/outreach/new"));
    else
        form_outcome(rq, o, code);
    form_begin(rq, url_of(rq, "/municipalities/", m->nis, "/outreach"), stamp);
    char iso[DATE_ISO_LEN];
    form_date(rq, o, "on", "Datum", form_value(rq, "on", date_format_iso(web_today(), iso)));
    form_option stages[OUTREACH_STAGE_COUNT];
    for (int i = 0; i < OUTREACH_STAGE_COUNT; i++)
        stages[i] = (form_option){outreach_stage_name(i), outreach_stage_label_nl(i)};
    form_select(rq, o, "stage", "Stadium", stages, OUTREACH_STAGE_COUNT, form_value(rq, "stage", "exploring"));
    form_textarea(rq, o, "note", "Notitie", form_value(rq, "note", NULL),
                  "Bv. \"geen aanzet tot SO\", \"weinig bereidheid\", \"aparte SO in onderzoek\".");
    form_end(rq, "Vastleggen", back);
    page_end(rq);
}

/* The municipality of the route, which the person may act in (an answer otherwise). */
static const view_municipality *route_municipality(request *rq)
{
    const register_view *v = web_view(rq);
    if (!v)
        return NULL;
    const char *nis = web_route_param(rq, "nis");
    const view_municipality *m = nis_code(nis) >= 0 ? municipality_of(v, nis) : NULL;
    if (!m)
        web_error(rq, 404, "not_found", "Er is geen gemeente met deze NIS-code.");
    else if (!page_may_edit_region(rq, m->province)) {
        web_error(rq, 403, "forbidden", "Deze gemeente ligt buiten de provincies waarin u mag werken; er is niets gewijzigd.");
        return NULL;
    }
    return m;
}

void page_outreach_new(request *rq)
{
    const view_municipality *m = route_municipality(rq);
    if (!m)
        return;
    int64_t stamp = store_outreach_stamp(rq->db, m->nis);
    if (stamp < 0) {
        web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden.");
        return;
    }
    outreach_form(rq, m, stamp, NULL, 0);
}

/* The entries written after change `since`, as what changed in between. */
static void entries_since(request *rq, const char *nis, int64_t since, edit_outcome *o)
{
    outreach_entry *es;
    size_t n, cap = 0;
    if (store_get_outreach(rq->db, STORE_NOW, nis, rq->arena, &es, &n))
        return;
    for (size_t i = 0; i < n; i++) {
        if (es[i].change <= since)
            continue;
        outreach_stage st = OUTREACH_NONE;
        outreach_stage_parse(es[i].stage, &st);
        o->between = arena_grow(rq->arena, o->between, &cap, o->between_count + 1, sizeof *o->between);
        o->between[o->between_count++] = (field_change){
            arena_printf(rq->arena, "contact op %s", page_date(rq, es[i].on)), "(leeg)",
            arena_printf(rq->arena, "%s%s%s", outreach_stage_label_nl(st), es[i].note ? ": " : "",
                         es[i].note ? es[i].note : "")};
        store_change c;
        if (store_change_get(rq->db, es[i].change, rq->arena, &c) == 1) {
            o->by = page_shows_people(rq) ? c.actor : NULL;
            o->at = c.moment;
        }
    }
}

/* The stamp the outreach form carries (0: the log was empty); -1 after a 400. */
static int64_t posted_stamp(request *rq)
{
    const char *v = web_form(rq, "version");
    char *end;
    long long n = v && *v ? strtoll(v, &end, 10) : -1;
    if (!v || !*v || *end || n < 0) {
        web_error(rq, 400, "bad_form", "Het formulier mist de versie waarvan het vertrok; open het opnieuw.");
        return -1;
    }
    return n;
}

void page_outreach_create(request *rq)
{
    const view_municipality *m = route_municipality(rq);
    int64_t stamp;
    if (!m || (stamp = posted_stamp(rq)) < 0)
        return;
    edit_outcome o = {0};
    size_t cap = 0;
    outreach_entry e = {0};
    e.municipality = m->nis;
    e.on = posted_date(rq, "on", &o, &cap);
    if (!o.problem_count && e.on == DATE_NONE)
        problem(rq, &o, &cap, "on", "verplicht; geef een datum");
    e.stage = (char *)form_read_text(rq, "stage");
    e.note = (char *)form_read_text(rq, "note");
    if (!e.stage)
        problem(rq, &o, &cap, "stage", "verplicht; kies een stadium");
    int code = EDIT_INVALID;
    if (!o.problem_count) {
        somon1_context ctx = {web_view(rq), {0}};
        somon1_problem *found;
        size_t n = somon1_check_outreach(&e, &ctx, rq->arena, &found);
        /* the form has no municipality field: a municipality that did not
         * exist on the day is a problem of the day chosen */
        for (size_t i = 0; i < n; i++)
            problem(rq, &o, &cap, strcmp(found[i].path, "municipality") == 0 ? "on" : found[i].path, found[i].message);
    }
    int64_t change;
    if (o.problem_count) {
        code = EDIT_INVALID;
    } else if (store_begin(rq->db, rq->who->login, "edit",
                           arena_printf(rq->arena, "toenadering %s op %s: %s", m->nis, page_date(rq, e.on), e.stage),
                           &change)) {
        code = EDIT_FAILED;
    } else {
        /* inside the transaction: nobody added an entry since the form opened */
        int64_t now = store_outreach_stamp(rq->db, m->nis);
        outreach_entry *es;
        size_t n = 0;
        if (now != stamp || store_get_outreach(rq->db, STORE_NOW, m->nis, rq->arena, &es, &n)) {
            store_rollback(rq->db);
            if (now > stamp)
                entries_since(rq, m->nis, stamp, &o);
            code = now > stamp ? EDIT_STALE : EDIT_FAILED;
        } else {
            for (size_t i = 0; i < n; i++)
                e.position += es[i].on == e.on;
            if (store_put_outreach(rq->db, change, &e) || store_commit(rq->db)) {
                store_rollback(rq->db);
                code = EDIT_FAILED;
            } else {
                char iso[DATE_ISO_LEN];
                web_redirect(rq, arena_printf(rq->arena, "%s?date=%s#outreach-h",
                                              url_of(rq, "/municipalities/", m->nis, ""), date_format_iso(e.on, iso)));
                return;
            }
        }
    }
    outreach_form(rq, m, stamp, &o, code);
    rq->status = code;
}

/* ---- on the municipality page ------------------------------------------------- */

static void cooperations_part(request *rq, const register_view *v, const char *nis, date_t d, bool may)
{
    buf *b = &rq->body;
    cooperation *cs;
    size_t n;
    buf_puts(b, "<section aria-labelledby=\"cooperation-h\"><h2 id=\"cooperation-h\">Andere samenwerking met VDAB</h2>\n");
    if (store_get_cooperations(rq->db, web_known(rq), nis, rq->arena, &cs, &n)) {
        buf_puts(b, "<p>Het register kan nu niet gelezen worden.</p>\n</section>\n");
        return;
    }
    if (may)
        buf_fmt(b, "<p class=\"edit-link\"><a href=\"/cooperations/new?municipality=%U\">Samenwerking toevoegen</a></p>\n",
                nis);
    if (!n) {
        buf_puts(b, "<p>Geen andere samenwerking geregistreerd.</p>\n</section>\n");
        return;
    }
    buf_fmt(b, "<div class=\"scroll\"><table class=\"list\">\n<caption>Samenwerking buiten een overeenkomst</caption>\n"
               "<thead><tr><th scope=\"col\">Titel</th><th scope=\"col\">Soort</th><th scope=\"col\">Van</th>"
               "<th scope=\"col\">Tot</th><th scope=\"col\">Op %h</th><th scope=\"col\">Opmerkingen</th>%s</tr></thead>\n"
               "<tbody>\n",
            page_date(rq, d), may ? "<th scope=\"col\">Bewerken</th>" : "");
    for (size_t i = 0; i < n; i++) {
        const cooperation *c = &cs[i];
        buf_fmt(b, "<tr><th scope=\"row\">%h <span class=\"id\">%h</span></th><td>%h</td><td>%h</td><td>%h</td>"
                   "<td>%h</td><td>",
                c->title, c->id, cooperation_kind_label(c->kind), day_or(rq, c->from, "–"), day_or(rq, c->until, "–"),
                cooperation_on(c, d) ? "lopend" : "niet lopend");
        page_linked_text(b, c->notes ? c->notes : "");
        buf_puts(b, "</td>");
        if (may)
            buf_fmt(b, "<td><a href=\"%a\">bewerken</a> · <a href=\"%a\">beëindigen</a></td>",
                    url_of(rq, "/cooperations/", c->id, "/edit"), url_of(rq, "/cooperations/", c->id, "/end"));
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n</section>\n");
    (void)v;
}

static void outreach_part(request *rq, const char *nis, date_t d, bool may)
{
    buf *b = &rq->body;
    outreach_entry *es;
    size_t n;
    buf_puts(b, "<section aria-labelledby=\"outreach-h\"><h2 id=\"outreach-h\">Toenadering</h2>\n");
    if (store_get_outreach(rq->db, web_known(rq), nis, rq->arena, &es, &n)) {
        buf_puts(b, "<p>Het register kan nu niet gelezen worden.</p>\n</section>\n");
        return;
    }
    rules_outreach_entry *log = arena_calloc(rq->arena, n + 1, sizeof *log);
    for (size_t i = 0; i < n; i++) {
        log[i] = (rules_outreach_entry){es[i].on, es[i].position, OUTREACH_NONE};
        outreach_stage_parse(es[i].stage, &log[i].stage);
    }
    int last = rules_outreach_last(log, n, d);
    buf_fmt(b, "<p class=\"stage\">Stadium op %h: <strong>%h</strong>%h", page_date(rq, d),
            outreach_stage_label_nl(last < 0 ? OUTREACH_NONE : log[last].stage),
            last >= 0 && es[last].note ? " — " : "");
    page_linked_text(b, last >= 0 && es[last].note ? es[last].note : "");
    buf_puts(b, "</p>\n");
    if (may)
        buf_fmt(b, "<p class=\"edit-link\"><a href=\"%a\">Contact vastleggen</a></p>\n",
                url_of(rq, "/municipalities/", nis, "/outreach/new"));
    if (!n) {
        buf_puts(b, "</section>\n");
        return;
    }
    buf_puts(b, "<div class=\"scroll\"><table class=\"list\">\n<caption>Logboek van de toenadering (nieuwste eerst)"
                "</caption>\n<thead><tr><th scope=\"col\">Datum</th><th scope=\"col\">Stadium</th>"
                "<th scope=\"col\">Notitie</th></tr></thead>\n<tbody>\n");
    for (size_t k = n; k-- > 0;)
    {
        buf_fmt(b, "<tr%s><th scope=\"row\">%h</th><td>%h</td><td>", (int)k == last ? " class=\"current\"" : "",
                page_date(rq, es[k].on), outreach_stage_label_nl(log[k].stage));
        page_linked_text(b, es[k].note ? es[k].note : "");
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n</section>\n");
}

void page_cooperation_section(request *rq, const register_view *v, int code, date_t d)
{
    if (code < 0 || v->map.code_first[code] < 0)
        return;
    const view_municipality *m = &v->municipalities[v->map.code_first[code] + v->map.code_count[code] - 1];
    bool may = page_may_edit_region(rq, m->province);
    cooperations_part(rq, v, m->nis, d, may);
    outreach_part(rq, m->nis, d, may);
}

/* ---- the outreach filter of /municipalities --------------------------------------- */

bool page_outreach_filter_param(request *rq, const char **out)
{
    const char *f = web_param(rq, "outreach");
    outreach_stage s;
    *out = f && *f ? f : NULL;
    if (!*out || strcmp(f, "unknown") == 0 || outreach_stage_parse(f, &s))
        return true;
    web_error(rq, 400, "bad_outreach", "De parameter outreach moet no_contact, exploring, negotiating, declined, joined "
                                       "of unknown zijn.");
    return false;
}

bool page_outreach_filter_match(const char *filter, int stage)
{
    outreach_stage s;
    if (!filter || !*filter)
        return true;
    if (strcmp(filter, "unknown") == 0)
        return stage == OUTREACH_NONE;
    return outreach_stage_parse(filter, &s) && (int)s == stage;
}

signed char *page_outreach_stages(request *rq, const register_view *v, date_t d)
{
    outreach_entry *es;
    size_t n;
    if (store_get_outreach(rq->db, web_known(rq), NULL, rq->arena, &es, &n))
        return NULL;
    signed char *out = arena_calloc(rq->arena, v->map.count + 1, 1);
    memset(out, OUTREACH_NONE, v->map.count + 1);
    /* the entries come by municipality: one rule call per municipality */
    for (size_t first = 0; first < n;) {
        size_t end = first;
        while (end < n && strcmp(es[end].municipality, es[first].municipality) == 0)
            end++;
        rules_outreach_entry *log = arena_calloc(rq->arena, end - first + 1, sizeof *log);
        for (size_t i = first; i < end; i++) {
            log[i - first] = (rules_outreach_entry){es[i].on, es[i].position, OUTREACH_NONE};
            outreach_stage_parse(es[i].stage, &log[i - first].stage);
        }
        int id = rules_identity_on(&v->map, nis_code(es[first].municipality), d);
        if (id >= 0)
            out[id] = (signed char)rules_outreach_stage(log, end - first, d);
        first = end;
    }
    return out;
}

void page_outreach_filter_select(request *rq, const char *selected)
{
    buf *b = &rq->body;
    buf_puts(b, "<label for=\"outreach\">Toenadering (zonder overeenkomst)</label> <select id=\"outreach\" "
                "name=\"outreach\"><option value=\"\">alle</option>");
    for (int i = 0; i < OUTREACH_STAGE_COUNT; i++)
        buf_fmt(b, "<option value=\"%a\"%s>%h</option>", outreach_stage_name(i),
                selected && strcmp(selected, outreach_stage_name(i)) == 0 ? " selected" : "", outreach_stage_label_nl(i));
    buf_fmt(b, "<option value=\"unknown\"%s>nog niets geregistreerd</option></select>\n",
            selected && strcmp(selected, "unknown") == 0 ? " selected" : "");
}
