/* page_regions.c: the forms that create and edit regiegebieden (with their
 * dated members) and organisations, and the list of organisations.
 *
 * The dispatcher has checked the permission (route.c PERM_REGION and
 * PERM_ORGANISATION, auth_may) before any of this runs; a save checks again
 * that the province it gives a regiegebied is one its author may act in.
 * Like an agreement (edit.c), every save is checked with the importer's own
 * rules (Dutch messages, somon/1 paths as field names), carries the version
 * its form was opened on, is refused as stale when another save came in
 * between (compared again inside the write transaction), and is written as
 * one change ("edit", "regiegebied ID") by the signed-in person, which
 * /history shows with its author. */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "formrows.h"
#include "formui.h"
#include "history.h"
#include "layout.h"
#include "pages.h"
#include "report.h"

enum { BLANK_MEMBER_ROWS = 3 };

bool page_may_edit_region(request *rq, int province) { return auth_may(rq->who, ACT_EDIT_REGION, NULL, province); }

static void problem(request *rq, edit_outcome *o, size_t *cap, const char *path, const char *message)
{
    o->problems = arena_grow(rq->arena, o->problems, cap, o->problem_count + 1, sizeof *o->problems);
    o->problems[o->problem_count++] = (somon1_problem){path, message};
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

static bool same_json_text(json_t *x, json_t *y)
{
    char *a = json_dumps(x, JSON_COMPACT | JSON_PRESERVE_ORDER), *b = json_dumps(y, JSON_COMPACT | JSON_PRESERVE_ORDER);
    bool same = a && b && strcmp(a, b) == 0;
    free(a);
    free(b);
    json_decref(x);
    json_decref(y);
    return same;
}

/* What changed between two versions, and who wrote the newer one. */
static void between(request *rq, json_t *old_json, json_t *now_json, int64_t change, edit_outcome *o)
{
    o->between_count = history_diff(rq->arena, old_json, now_json, true, &o->between);
    json_decref(old_json);
    json_decref(now_json);
    store_change c;
    if (store_change_get(rq->db, change, rq->arena, &c) == 1) {
        o->by = page_shows_people(rq) ? c.actor : NULL;
        o->at = c.moment;
    }
}

static void stale_notice(request *rq, const edit_outcome *o, const char *what, const char *reopen)
{
    buf *b = &rq->body;
    buf_fmt(b, "<div class=\"problems\" role=\"alert\"><p>Er is niets bewaard: %h%s%h wijzigde %h nadat u het formulier "
               "opende. Wat er intussen veranderde:</p><ul>\n",
            o->by ? o->by : "iemand", o->at ? " op " : "", o->at ? page_moment(rq, o->at) : "", what);
    for (size_t i = 0; i < o->between_count; i++)
        buf_fmt(b, "<li>%h: <del>%h</del> → <ins>%h</ins></li>\n", o->between[i].field, o->between[i].old_value,
                o->between[i].new_value);
    buf_fmt(b, "</ul><p>Uw invoer staat hieronder nog. <a href=\"%a\">Open het formulier opnieuw</a> om op de nieuwe "
               "versie verder te werken.</p></div>\n",
            reopen);
}

/* The detail of the change that writes `now` over `before` (NULL: a new
 * object): what and which id, then what changed field by field (as
 * /history shows an agreement's fields), clipped to stay one line. */
static const char *change_detail(request *rq, const char *what, const char *id, json_t *before, json_t *now)
{
    char *detail = arena_printf(rq->arena, "%s %s", what, id);
    if (!before) {
        json_decref(now);
        return detail;
    }
    field_change *fc;
    size_t n = history_diff(rq->arena, before, now, true, &fc);
    json_decref(before);
    json_decref(now);
    for (size_t i = 0; i < n && i < 5; i++)
        detail = arena_printf(rq->arena, "%s%s%s: %s → %s", detail, i ? "; " : ": ", fc[i].field,
                              arena_clip(rq->arena, fc[i].old_value, 60), arena_clip(rq->arena, fc[i].new_value, 60));
    return n > 5 ? arena_printf(rq->arena, "%s; … (%zu velden)", detail, n) : detail;
}

/* ---- regiegebieden ------------------------------------------------------------ */

/* The provinces the person may give a regiegebied. */
static form_option *province_options(request *rq, size_t *n)
{
    form_option *o = arena_calloc(rq->arena, PROVINCE_COUNT + 1, sizeof *o);
    *n = 0;
    for (int p = 0; p < PROVINCE_COUNT; p++)
        if (page_may_edit_region(rq, p))
            o[(*n)++] = (form_option){province_name(p), province_name(p)};
    return o;
}

static void member_row(request *rq, const edit_outcome *o, size_t i, const region_member *m)
{
    buf *b = &rq->body;
    const char *base = arena_printf(rq->arena, "members[%zu]", i);
    buf_fmt(b, "<fieldset class=\"row\"><legend>Lid %zu</legend>\n", i + 1);
    const char *nis = arena_printf(rq->arena, "%s.municipality", base), *from = arena_printf(rq->arena, "%s.from", base),
               *until = arena_printf(rq->arena, "%s.until", base);
    form_text(rq, o, nis, "Gemeente (NIS-code, bv. 11004; leeg: geen lid)", form_value(rq, nis, m ? m->municipality : NULL),
              false);
    form_date(rq, o, from, "Lid vanaf (leeg: vanaf het begin van het regiegebied)",
              form_value(rq, from, m ? form_date_text(rq, m->from) : ""));
    form_date(rq, o, until, "Lid tot en met (leeg: tot het einde van het regiegebied)",
              form_value(rq, until, m ? form_date_text(rq, m->until) : ""));
    buf_puts(b, "</fieldset>\n");
}

static void region_form(request *rq, const regiegebied *g, bool creating, const edit_outcome *o, int code)
{
    page_begin(rq, creating ? "Nieuw regiegebied" : arena_printf(rq->arena, "%s bewerken", g->name), NAV_REGIONS);
    buf *b = &rq->body;
    if (creating)
        buf_puts(b, "<p class=\"crumbs\"><a href=\"/regiegebieden\">Regiegebieden</a></p>\n<h1>Nieuw regiegebied</h1>\n");
    else
        buf_fmt(b, "<p class=\"crumbs\"><a href=\"%a\">%h</a></p>\n<h1>Regiegebied bewerken</h1>\n",
                url_of(rq, "/regiegebieden/", g->id, ""), g->name);
    if (code == EDIT_STALE)
        stale_notice(rq, o, "dit regiegebied", url_of(rq, "/regiegebieden/", g->id, "/edit"));
    else
        form_outcome(rq, o, code);
    form_begin(rq, creating ? "/regiegebieden" : url_of(rq, "/regiegebieden/", g->id, ""), g->version);
    if (creating)
        form_text(rq, o, "id", "Id (letters, cijfers, . _ -; bv. RG-KEMPEN)", form_value(rq, "id", g->id), true);
    form_text(rq, o, "name", "Naam", form_value(rq, "name", g->name), true);
    size_t n;
    form_option *prov = province_options(rq, &n);
    form_select(rq, o, "province", "Provincie", prov, n, form_value(rq, "province", province_name(g->province)));
    form_date(rq, o, "from", "Bestaat vanaf", form_value(rq, "from", form_date_text(rq, g->from)));
    form_date(rq, o, "until", "Bestaat tot en met", form_value(rq, "until", form_date_text(rq, g->until)));
    form_textarea(rq, o, "notes", "Notities", form_value(rq, "notes", g->notes), NULL);
    buf_puts(b, "<h2>Leden</h2>\n<p>Een gemeente die later toetrad of vroeger vertrok, krijgt haar eigen data; een "
                "gemeente die vertrok en terugkwam staat er twee keer in, met periodes die elkaar niet overlappen. "
                "Maak de NIS-code leeg om een lid te schrappen; bewaar om meer lege rijen te krijgen.</p>\n");
    size_t rows = rq->form_count ? rows_posted_rows(rq, "members", "municipality") : g->member_count + BLANK_MEMBER_ROWS;
    for (size_t i = 0; i < rows; i++)
        member_row(rq, o, i, !rq->form_count && i < g->member_count ? &g->members[i] : NULL);
    rows_general_problems(rq, o, "members");
    form_end(rq, creating ? "Regiegebied aanmaken" : "Bewaren",
             creating ? "/regiegebieden" : url_of(rq, "/regiegebieden/", g->id, ""));
    page_end(rq);
}

/* The posted form as a regiegebied; at[k] is the form row of member k
 * (blank rows are left out). False with problems for dates that are none. */
static bool read_region(request *rq, regiegebied *g, bool creating, size_t **at, edit_outcome *o)
{
    size_t cap = 0;
    bool ok = true;
    if (creating)
        g->id = (char *)form_read_text(rq, "id");
    g->name = (char *)form_read_text(rq, "name");
    g->province = province_parse(web_form(rq, "province"));
    g->notes = (char *)form_read_text(rq, "notes");
    const char *dates[] = {"from", "until"};
    date_t *into[] = {&g->from, &g->until};
    for (size_t i = 0; i < 2; i++)
        if (!form_read_date(rq, dates[i], into[i])) {
            problem(rq, o, &cap, dates[i], "geen datum; kies een dag");
            ok = false;
        }
    size_t rows = rows_posted_rows(rq, "members", "municipality");
    g->members = arena_calloc(rq->arena, rows + 1, sizeof *g->members);
    *at = arena_calloc(rq->arena, rows + 1, sizeof **at);
    g->member_count = 0;
    for (size_t i = 0; i < rows; i++) {
        const char *base = arena_printf(rq->arena, "members[%zu]", i);
        region_member m = {(char *)form_read_text(rq, arena_printf(rq->arena, "%s.municipality", base)), DATE_NONE,
                           DATE_NONE};
        const char *keys[] = {"from", "until"};
        date_t *days[] = {&m.from, &m.until};
        bool dated = false;
        for (size_t k = 0; k < 2; k++) {
            const char *name = arena_printf(rq->arena, "%s.%s", base, keys[k]);
            if (!form_read_date(rq, name, days[k])) {
                problem(rq, o, &cap, name, "geen datum; kies een dag");
                ok = false;
            }
            dated = dated || *days[k] != DATE_NONE;
        }
        if (!m.municipality && dated) {
            problem(rq, o, &cap, arena_printf(rq->arena, "%s.municipality", base),
                    "verplicht bij data; geef de NIS-code of maak ook de data leeg");
            ok = false;
        }
        if (!m.municipality)
            continue;
        (*at)[g->member_count] = i;
        g->members[g->member_count++] = m;
    }
    return ok;
}

/* "members[k]…" of the saved regiegebied → the form's row; a problem on a
 * member written as a bare code lands on its NIS field. */
static void remap_members(request *rq, edit_outcome *o, const size_t *at, size_t count)
{
    for (size_t i = 0; i < o->problem_count; i++) {
        const char *p = o->problems[i].path;
        char *end;
        if (strncmp(p, "members[", 8) != 0)
            continue;
        unsigned long k = strtoul(p + 8, &end, 10);
        if (*end != ']' || k >= count)
            continue;
        const char *rest = end + 1;
        o->problems[i].path = arena_printf(rq->arena, "members[%zu]%s", at[k], *rest ? rest : ".municipality");
    }
}

/* Checks and writes g (g->version: the version the form was opened on, 0
 * for a new one). Returns an EDIT_ code. */
static int region_save(request *rq, regiegebied *g, const size_t *at, edit_outcome *o)
{
    size_t cap = 0; /* read_region() added no problem, or this is not called */
    regiegebied current;
    int found = g->id ? store_get_regiegebied(rq->db, STORE_NOW, g->id, rq->arena, &current) : 0;
    if (found < 0)
        return EDIT_FAILED;
    if (g->version && found != 1)
        return EDIT_FAILED;
    if (g->version && current.version != g->version) {
        regiegebied old;
        if (store_get_regiegebied_version(rq->db, g->version, rq->arena, &old) == 1 && strcmp(old.id, g->id) == 0)
            between(rq, somon1_regiegebied_json(&old), somon1_regiegebied_json(&current), current.change, o);
        return EDIT_STALE;
    }
    if (!g->version && !g->id)
        problem(rq, o, &cap, "id", "verplicht; vul dit in");
    if (!g->version && found)
        problem(rq, o, &cap, "id", "deze id bestaat al; kies een andere");
    somon1_context ctx = {web_view(rq), {0}};
    if (!ctx.view)
        return EDIT_FAILED;
    if (g->id) {
        somon1_problem *found_problems;
        size_t n = somon1_check_regiegebied(g, &ctx, rq->arena, &found_problems);
        for (size_t i = 0; i < n; i++)
            problem(rq, o, &cap, found_problems[i].path, found_problems[i].message);
    }
    if (g->province >= 0 && !page_may_edit_region(rq, g->province))
        problem(rq, o, &cap, "province", "deze provincie valt buiten het bereik van uw account; kies er een uit de lijst");
    remap_members(rq, o, at, g->member_count);
    if (o->problem_count)
        return EDIT_INVALID;
    if (found && same_json_text(somon1_regiegebied_json(&current), somon1_regiegebied_json(g)))
        return EDIT_SAVED; /* nothing changed: no new version, no empty history entry */
    int64_t change;
    const char *detail = found ? change_detail(rq, "regiegebied", g->id, somon1_regiegebied_json(&current),
                                               somon1_regiegebied_json(g))
                               : change_detail(rq, "nieuw regiegebied", g->id, NULL, NULL);
    if (store_begin(rq->db, rq->who->login, "edit", detail, &change))
        return EDIT_FAILED;
    /* the version decides again inside the write transaction: of two saves
     * of one version only the first is written */
    regiegebied again;
    int still = store_get_regiegebied(rq->db, STORE_NOW, g->id, rq->arena, &again);
    if (still < 0 || (g->version && (still != 1 || again.version != g->version)) || (!g->version && still)) {
        store_rollback(rq->db);
        if (still == 1 && g->version) {
            between(rq, somon1_regiegebied_json(&current), somon1_regiegebied_json(&again), again.change, o);
            return EDIT_STALE;
        }
        if (still == 1)
            problem(rq, o, &cap, "id", "deze id bestaat al; kies een andere");
        return still == 1 ? EDIT_INVALID : EDIT_FAILED;
    }
    if (store_put_regiegebied(rq->db, change, g) || store_commit(rq->db)) {
        store_rollback(rq->db);
        return EDIT_FAILED;
    }
    return EDIT_SAVED;
}

static regiegebied blank_region(void)
{
    return (regiegebied){.province = -1, .from = DATE_NONE, .until = DATE_NONE};
}

void page_regiegebied_new(request *rq)
{
    regiegebied g = blank_region();
    region_form(rq, &g, true, NULL, 0);
}

void page_regiegebied_create(request *rq)
{
    regiegebied g = blank_region();
    edit_outcome o = {0};
    size_t *at;
    int code = read_region(rq, &g, true, &at, &o) ? region_save(rq, &g, at, &o) : EDIT_INVALID;
    if (code == EDIT_SAVED) {
        web_redirect(rq, url_of(rq, "/regiegebieden/", g.id, ""));
        return;
    }
    region_form(rq, &g, true, &o, code);
    rq->status = code;
}

void page_regiegebied_edit(request *rq)
{
    regiegebied g;
    int found = store_get_regiegebied(rq->db, STORE_NOW, web_route_param(rq, "id"), rq->arena, &g);
    if (found != 1) {
        web_error(rq, found < 0 ? 503 : 404, found < 0 ? "unavailable" : "not_found",
                  found < 0 ? "Het register kan nu niet gelezen worden." : "Er is geen regiegebied met deze id.");
        return;
    }
    region_form(rq, &g, false, NULL, 0);
}

void page_regiegebied_update(request *rq)
{
    regiegebied g;
    int found = store_get_regiegebied(rq->db, STORE_NOW, web_route_param(rq, "id"), rq->arena, &g);
    if (found != 1) {
        web_error(rq, found < 0 ? 503 : 404, found < 0 ? "unavailable" : "not_found",
                  found < 0 ? "Het register kan nu niet gelezen worden." : "Er is geen regiegebied met deze id.");
        return;
    }
    if ((g.version = edit_form_version(rq)) < 0)
        return;
    edit_outcome o = {0};
    size_t *at;
    int code = read_region(rq, &g, false, &at, &o) ? region_save(rq, &g, at, &o) : EDIT_INVALID;
    if (code == EDIT_SAVED) {
        web_redirect(rq, url_of(rq, "/regiegebieden/", g.id, ""));
        return;
    }
    region_form(rq, &g, false, &o, code);
    rq->status = code;
}

/* ---- organisations ------------------------------------------------------------ */

static const char *kind_label(const char *kind)
{
    return !kind                                  ? ""
           : strcmp(kind, "association") == 0    ? "intergemeentelijke vereniging"
           : strcmp(kind, "public_service") == 0 ? "openbare dienst"
                                                 : "andere";
}

static void organisation_form(request *rq, const organisation *g, bool creating, const edit_outcome *o, int code)
{
    page_begin(rq, creating ? "Nieuwe organisatie" : arena_printf(rq->arena, "%s bewerken", g->name), NAV_REGIONS);
    buf *b = &rq->body;
    buf_fmt(b, "<p class=\"crumbs\"><a href=\"/organisations\">Organisaties</a></p>\n<h1>%s</h1>\n",
            creating ? "Nieuwe organisatie" : "Organisatie bewerken");
    if (code == EDIT_STALE)
        stale_notice(rq, o, "deze organisatie", url_of(rq, "/organisations/", g->id, "/edit"));
    else
        form_outcome(rq, o, code);
    form_begin(rq, creating ? "/organisations" : url_of(rq, "/organisations/", g->id, ""), g->version);
    if (creating)
        form_text(rq, o, "id", "Id (letters, cijfers, . _ -; bv. IVSES)", form_value(rq, "id", g->id), true);
    form_text(rq, o, "name", "Naam", form_value(rq, "name", g->name), true);
    form_option kinds[3];
    for (size_t i = 0; i < 3; i++)
        kinds[i] = (form_option){ORGANISATION_KINDS[i], kind_label(ORGANISATION_KINDS[i])};
    form_select(rq, o, "kind", "Soort", kinds, 3, form_value(rq, "kind", g->kind));
    form_end(rq, creating ? "Organisatie aanmaken" : "Bewaren", "/organisations");
    page_end(rq);
}

static void read_organisation(request *rq, organisation *g, bool creating)
{
    if (creating)
        g->id = (char *)form_read_text(rq, "id");
    g->name = (char *)form_read_text(rq, "name");
    g->kind = (char *)form_read_text(rq, "kind");
}

static int organisation_save(request *rq, organisation *g, edit_outcome *o)
{
    size_t cap = 0;
    organisation current;
    int found = g->id ? store_get_organisation(rq->db, STORE_NOW, g->id, rq->arena, &current) : 0;
    if (found < 0 || (g->version && found != 1))
        return EDIT_FAILED;
    if (g->version && current.version != g->version) {
        organisation old;
        if (store_get_organisation_version(rq->db, g->version, rq->arena, &old) == 1 && strcmp(old.id, g->id) == 0)
            between(rq, somon1_organisation_json(&old), somon1_organisation_json(&current), current.change, o);
        return EDIT_STALE;
    }
    if (!g->id)
        problem(rq, o, &cap, "id", "verplicht; vul dit in");
    if (!g->version && found)
        problem(rq, o, &cap, "id", "deze id bestaat al; kies een andere");
    somon1_context ctx = {web_view(rq), {0}};
    if (g->id) {
        somon1_problem *found_problems;
        size_t n = somon1_check_organisation(g, &ctx, rq->arena, &found_problems);
        for (size_t i = 0; i < n; i++)
            problem(rq, o, &cap, found_problems[i].path, found_problems[i].message);
    }
    if (o->problem_count)
        return EDIT_INVALID;
    if (found && same_json_text(somon1_organisation_json(&current), somon1_organisation_json(g)))
        return EDIT_SAVED;
    int64_t change;
    const char *detail = found ? change_detail(rq, "organisatie", g->id, somon1_organisation_json(&current),
                                               somon1_organisation_json(g))
                               : change_detail(rq, "nieuwe organisatie", g->id, NULL, NULL);
    if (store_begin(rq->db, rq->who->login, "edit", detail, &change))
        return EDIT_FAILED;
    organisation again;
    int still = store_get_organisation(rq->db, STORE_NOW, g->id, rq->arena, &again);
    if (still < 0 || (g->version && (still != 1 || again.version != g->version)) || (!g->version && still)) {
        store_rollback(rq->db);
        if (still == 1 && g->version) {
            between(rq, somon1_organisation_json(&current), somon1_organisation_json(&again), again.change, o);
            return EDIT_STALE;
        }
        if (still == 1)
            problem(rq, o, &cap, "id", "deze id bestaat al; kies een andere");
        return still == 1 ? EDIT_INVALID : EDIT_FAILED;
    }
    if (store_put_organisation(rq->db, change, g) || store_commit(rq->db)) {
        store_rollback(rq->db);
        return EDIT_FAILED;
    }
    return EDIT_SAVED;
}

void page_organisation_list(request *rq)
{
    organisation *orgs;
    size_t n;
    if (!web_view(rq)) /* works out the change the request shows (as_known_at) */
        return;
    if (store_get_organisations(rq->db, web_known(rq), rq->arena, &orgs, &n)) {
        web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden.");
        return;
    }
    static const char *const keys[] = {"id", "name", "kind"}, *const labels[] = {"Id", "Naam", "Soort"};
    bool machine = web_param(rq, "format") && strcmp(web_param(rq, "format"), "csv") == 0;
    table t;
    table_init(&t, rq->arena, "Organisaties", keys, labels, 3);
    for (size_t i = 0; i < n; i++) {
        cell *c = table_row(&t);
        c[0] = cell_text(orgs[i].id);
        c[1] = cell_text(orgs[i].name);
        c[2] = cell_text(machine ? orgs[i].kind : kind_label(orgs[i].kind));
    }
    if (web_table_download(rq, &t, "organisaties"))
        return;
    page_begin(rq, "Organisaties", NAV_REGIONS);
    buf *b = &rq->body;
    bool may = auth_may(rq->who, ACT_EDIT_ORGANISATION, NULL, -1);
    buf_puts(b, "<h1>Organisaties</h1>\n");
    if (may)
        buf_puts(b, "<p class=\"edit-link\"><a href=\"/organisations/new\">Nieuwe organisatie</a></p>\n");
    buf_puts(b, "<div class=\"scroll\"><table class=\"list\">\n<caption>Organisaties die partij kunnen zijn</caption>\n"
                "<thead><tr><th scope=\"col\">Organisatie</th><th scope=\"col\">Id</th><th scope=\"col\">Soort</th>");
    buf_puts(b, may ? "<th scope=\"col\">Bewerken</th></tr></thead>\n<tbody>\n" : "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        buf_fmt(b, "<tr><th scope=\"row\">%h</th><td>%h</td><td>%h</td>", orgs[i].name, orgs[i].id,
                kind_label(orgs[i].kind));
        if (may)
            buf_fmt(b, "<td><a href=\"%a\">bewerken</a></td>", url_of(rq, "/organisations/", orgs[i].id, "/edit"));
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
    page_downloads(rq);
    page_end(rq);
}

void page_organisation_new(request *rq)
{
    organisation g = {0};
    organisation_form(rq, &g, true, NULL, 0);
}

void page_organisation_create(request *rq)
{
    organisation g = {0};
    edit_outcome o = {0};
    read_organisation(rq, &g, true);
    int code = organisation_save(rq, &g, &o);
    if (code == EDIT_SAVED) {
        web_redirect(rq, "/organisations");
        return;
    }
    organisation_form(rq, &g, true, &o, code);
    rq->status = code;
}

static int stored_organisation(request *rq, organisation *g)
{
    int found = store_get_organisation(rq->db, STORE_NOW, web_route_param(rq, "id"), rq->arena, g);
    if (found != 1)
        web_error(rq, found < 0 ? 503 : 404, found < 0 ? "unavailable" : "not_found",
                  found < 0 ? "Het register kan nu niet gelezen worden." : "Er is geen organisatie met deze id.");
    return found;
}

void page_organisation_edit(request *rq)
{
    organisation g;
    if (stored_organisation(rq, &g) == 1)
        organisation_form(rq, &g, false, NULL, 0);
}

void page_organisation_update(request *rq)
{
    organisation g;
    if (stored_organisation(rq, &g) != 1 || (g.version = edit_form_version(rq)) < 0)
        return;
    edit_outcome o = {0};
    read_organisation(rq, &g, false);
    int code = organisation_save(rq, &g, &o);
    if (code == EDIT_SAVED) {
        web_redirect(rq, "/organisations");
        return;
    }
    organisation_form(rq, &g, false, &o, code);
    rq->status = code;
}
