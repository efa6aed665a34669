/* page_regions.c: the forms that create and edit regiegebieden and
 * organisations (both with dated members, a municipality chosen by its
 * name), the list of organisations and the page of one organisation (its
 * members on a date and its own history).
 *
 * The dispatcher has checked the permission (route.c PERM_REGION and
 * PERM_ORGANISATION, auth_may) before any of this runs; a save checks again
 * that the province it gives a regiegebied is one its author may act in.
 * Like an agreement (edit.c), every save is checked with the importer's own
 * rules (Dutch messages, somon/1 paths as field names), carries the version
 * its form was opened on, is refused as stale when another save came in
 * between (compared again inside the write transaction), and is written as
 * one change ("edit", "regiegebied ID") by the signed-in person, which
 * /history shows with its author. One skeleton (kept_save) does this for
 * both; a kept_kind says what differs. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "formnames.h"
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
    size_t n = history_diff(rq->arena, before, now, web_history_names(rq), &fc);
    json_decref(before);
    json_decref(now);
    for (size_t i = 0; i < n && i < 5; i++)
        detail = arena_printf(rq->arena, "%s%s%s: %s → %s", detail, i ? "; " : ": ", fc[i].field,
                              arena_clip(rq->arena, fc[i].old_value, 60), arena_clip(rq->arena, fc[i].new_value, 60));
    return n > 5 ? arena_printf(rq->arena, "%s; … (%zu velden)", detail, n) : detail;
}

/* ---- municipalities by name ------------------------------------------------ */

/* A member is shown by its code's last name; a name that more than one code
 * had (Deinze before and after 2019) gets the code's period
 * (formnames_code_label). The field suggests names from the shared list. */

/* ---- member rows, shared by both forms ---------------------------------------- */

static void member_row(request *rq, const edit_outcome *o, size_t i, const dated_member *m, bool in_region)
{
    buf *b = &rq->body;
    const char *base = arena_printf(rq->arena, "members[%zu]", i);
    buf_fmt(b, "<fieldset class=\"row\"><legend>Lid %zu</legend>\n", i + 1);
    const char *nis = arena_printf(rq->arena, "%s.municipality", base), *from = arena_printf(rq->arena, "%s.from", base),
               *until = arena_printf(rq->arena, "%s.until", base);
    form_text_list(rq, o, nis, "Gemeente (naam of NIS-code; leeg: geen lid)",
                   form_value(rq, nis, m ? formnames_code_label(rq, m->municipality) : NULL), "municipality-names");
    form_date(rq, o, from,
              in_region ? "Lid vanaf (leeg: vanaf het begin van het regiegebied)"
                          : "Lid vanaf (leeg: vanaf de eerste dag van de gemeente)",
              form_value(rq, from, m ? form_date_text(rq, m->from) : ""));
    form_date(rq, o, until,
              in_region ? "Lid tot en met (leeg: tot het einde van het regiegebied)" : "Lid tot en met (leeg: zonder einde)",
              form_value(rq, until, m ? form_date_text(rq, m->until) : ""));
    buf_puts(b, "</fieldset>\n");
}

/* in_region: the rows of a regiegebied (whose period bounds an undated
 * member); from..to: the days whose names the fields suggest */
static void member_rows(request *rq, const edit_outcome *o, const dated_member *members, size_t count, bool in_region,
                        date_t from, date_t to)
{
    buf *b = &rq->body;
    buf_puts(b, "<h2>Leden</h2>\n<p>Een gemeente die later toetrad of vroeger vertrok, krijgt haar eigen data; een "
                "gemeente die vertrok en terugkwam staat er twee keer in, met periodes die elkaar niet overlappen. "
                "Maak de gemeente leeg om een lid te schrappen; bewaar om meer lege rijen te krijgen.</p>\n");
    form_member_list(rq, "municipality-names", from, to);
    size_t rows = rq->form_count ? rows_posted_rows(rq, "members", "municipality") : count + BLANK_MEMBER_ROWS;
    for (size_t i = 0; i < rows; i++)
        member_row(rq, o, i, !rq->form_count && i < count ? &members[i] : NULL, in_region);
    rows_general_problems(rq, o, "members");
}

/* The posted member rows; at[k] is the form row of member k (blank rows are
 * left out). False with problems for dates that are none and municipalities
 * that are not one. */
static bool read_members(request *rq, dated_member **members, size_t *count, size_t **at, edit_outcome *o, size_t *cap)
{
    bool ok = true;
    size_t rows = rows_posted_rows(rq, "members", "municipality");
    *members = arena_calloc(rq->arena, rows + 1, sizeof **members);
    *at = arena_calloc(rq->arena, rows + 1, sizeof **at);
    *count = 0;
    for (size_t i = 0; i < rows; i++) {
        const char *base = arena_printf(rq->arena, "members[%zu]", i);
        const char *field = arena_printf(rq->arena, "%s.municipality", base), *text = form_read_text(rq, field);
        dated_member m = {NULL, DATE_NONE, DATE_NONE};
        const char *keys[] = {"from", "until"};
        date_t *days[] = {&m.from, &m.until};
        bool dated = false;
        for (size_t k = 0; k < 2; k++) {
            const char *name = arena_printf(rq->arena, "%s.%s", base, keys[k]);
            if (!form_read_date(rq, name, days[k])) {
                problem(rq, o, cap, name, "geen datum; kies een dag");
                ok = false;
            }
            dated = dated || *days[k] != DATE_NONE;
        }
        const char *why = NULL;
        /* a name on the member's first day, when it has one (formui.h) */
        if (text && !(m.municipality = (char *)form_municipality(rq, text, m.from, &why))) {
            problem(rq, o, cap, field, why);
            ok = false;
            continue;
        }
        if (!m.municipality && dated) {
            problem(rq, o, cap, field, "verplicht bij data; geef de gemeente of maak ook de data leeg");
            ok = false;
        }
        if (!m.municipality)
            continue;
        (*at)[*count] = i;
        (*members)[(*count)++] = m;
    }
    return ok;
}

/* "members[k]…" of the saved object → the form's row; a problem on a member
 * written as a bare code lands on its municipality field. */
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

/* ---- the save, for both ------------------------------------------------------ */

/* The id and versions of a kept object. */
typedef struct {
    const char *id;
    int64_t version, change;
} kept_head;

/* What the save of a regiegebied and of an organisation differ in. Each
 * function takes and fills the kind's own struct. */
typedef struct {
    const char *what, *created; /* in the change's detail: "regiegebied", "nieuw regiegebied" */
    size_t size;
    kept_head (*head)(const void *x);
    int (*get)(request *rq, int64_t known, const char *id, void *out); /* store_get_…: 1, 0, -1 */
    int (*get_version)(request *rq, int64_t version, void *out);
    json_t *(*json)(const void *x);
    size_t (*check)(const void *x, const somon1_context *ctx, arena *a, somon1_problem **out);
    void (*more_checks)(request *rq, const void *x, edit_outcome *o, size_t *cap); /* or NULL */
    int (*put)(store *s, int64_t change, const void *x);
} kept_kind;

/* Checks and writes x (its version: the one the form was opened on, 0 for a
 * new one); at[k] is the form row of its member k. Returns an EDIT_ code. */
static int kept_save(request *rq, const kept_kind *k, const void *x, const size_t *at, size_t members, edit_outcome *o)
{
    size_t cap = 0; /* the form's own problems stopped before this */
    kept_head mine = k->head(x), now = {0};
    void *current = arena_calloc(rq->arena, 1, k->size);
    int found = mine.id ? k->get(rq, STORE_NOW, mine.id, current) : 0;
    if (found < 0 || (mine.version && found != 1))
        return EDIT_FAILED;
    if (found)
        now = k->head(current);
    if (mine.version && now.version != mine.version) {
        void *old = arena_calloc(rq->arena, 1, k->size);
        if (k->get_version(rq, mine.version, old) == 1 && strcmp(k->head(old).id, mine.id) == 0)
            form_between(rq, k->json(old), k->json(current), now.change, o);
        return EDIT_STALE;
    }
    if (!mine.id)
        problem(rq, o, &cap, "id", "verplicht; vul dit in");
    if (!mine.version && found)
        problem(rq, o, &cap, "id", "deze id bestaat al; kies een andere");
    somon1_context ctx = {web_view(rq), {0}};
    if (!ctx.view)
        return EDIT_FAILED;
    if (mine.id) {
        somon1_problem *found_problems;
        size_t n = k->check(x, &ctx, rq->arena, &found_problems);
        for (size_t i = 0; i < n; i++)
            problem(rq, o, &cap, found_problems[i].path, found_problems[i].message);
    }
    if (k->more_checks)
        k->more_checks(rq, x, o, &cap);
    remap_members(rq, o, at, members);
    if (o->problem_count)
        return EDIT_INVALID;
    if (found && history_same(k->json(current), k->json(x)))
        return EDIT_SAVED; /* nothing changed: no new version, no empty history entry */
    int64_t change;
    const char *detail = found ? change_detail(rq, k->what, mine.id, k->json(current), k->json(x))
                               : change_detail(rq, k->created, mine.id, NULL, NULL);
    if (store_begin(rq->db, rq->who->login, "edit", detail, &change))
        return EDIT_FAILED;
    /* the version decides again inside the write transaction: of two saves
     * of one version only the first is written */
    void *again = arena_calloc(rq->arena, 1, k->size);
    int still = k->get(rq, STORE_NOW, mine.id, again);
    if (still < 0 || (mine.version && (still != 1 || k->head(again).version != mine.version)) || (!mine.version && still)) {
        store_rollback(rq->db);
        if (still == 1 && mine.version) {
            form_between(rq, k->json(current), k->json(again), k->head(again).change, o);
            return EDIT_STALE;
        }
        if (still == 1)
            problem(rq, o, &cap, "id", "deze id bestaat al; kies een andere");
        return still == 1 ? EDIT_INVALID : EDIT_FAILED;
    }
    if (k->put(rq->db, change, x) || store_commit(rq->db)) {
        store_rollback(rq->db);
        return EDIT_FAILED;
    }
    return EDIT_SAVED;
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
        form_stale_notice(rq, o, "dit regiegebied", url_of(rq, "/regiegebieden/", g->id, "/edit"));
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
    member_rows(rq, o, g->members, g->member_count, true, g->from, g->until);
    form_end(rq, creating ? "Regiegebied aanmaken" : "Bewaren",
             creating ? "/regiegebieden" : url_of(rq, "/regiegebieden/", g->id, ""));
    page_end(rq);
}

/* The posted form as a regiegebied; at[k] is the form row of member k.
 * False with problems for dates that are none. */
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
    return read_members(rq, &g->members, &g->member_count, at, o, &cap) && ok;
}

static kept_head region_head(const void *x)
{
    const regiegebied *g = x;
    return (kept_head){g->id, g->version, g->change};
}
static int region_get(request *rq, int64_t known, const char *id, void *out)
{
    return store_get_regiegebied(rq->db, known, id, rq->arena, out);
}
static int region_get_version(request *rq, int64_t version, void *out)
{
    return store_get_regiegebied_version(rq->db, version, rq->arena, out);
}
static json_t *region_json(const void *x) { return somon1_regiegebied_json(x); }
static size_t region_check(const void *x, const somon1_context *ctx, arena *a, somon1_problem **out)
{
    return somon1_check_regiegebied(x, ctx, a, out);
}
static int region_put(store *s, int64_t change, const void *x) { return store_put_regiegebied(s, change, x); }

/* A regiegebied stays in the provinces its author may act in. */
static void region_more_checks(request *rq, const void *x, edit_outcome *o, size_t *cap)
{
    const regiegebied *g = x;
    if (g->province >= 0 && !page_may_edit_region(rq, g->province))
        problem(rq, o, cap, "province", "deze provincie valt buiten het bereik van uw account; kies er een uit de lijst");
}

static const kept_kind REGION = {"regiegebied", "nieuw regiegebied", sizeof(regiegebied), region_head, region_get,
                                 region_get_version, region_json, region_check, region_more_checks, region_put};

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
    int code = read_region(rq, &g, true, &at, &o) ? kept_save(rq, &REGION, &g, at, g.member_count, &o) : EDIT_INVALID;
    if (code == EDIT_SAVED) {
        web_redirect(rq, url_of(rq, "/regiegebieden/", g.id, ""));
        return;
    }
    region_form(rq, &g, true, &o, code);
    rq->status = code;
}

static int stored_region(request *rq, regiegebied *g)
{
    int found = store_get_regiegebied(rq->db, STORE_NOW, web_route_param(rq, "id"), rq->arena, g);
    if (found != 1)
        web_error(rq, found < 0 ? 503 : 404, found < 0 ? "unavailable" : "not_found",
                  found < 0 ? "Het register kan nu niet gelezen worden." : "Er is geen regiegebied met deze id.");
    return found;
}

void page_regiegebied_edit(request *rq)
{
    regiegebied g;
    if (stored_region(rq, &g) == 1)
        region_form(rq, &g, false, NULL, 0);
}

void page_regiegebied_update(request *rq)
{
    regiegebied g;
    if (stored_region(rq, &g) != 1 || (g.version = edit_form_version(rq)) < 0)
        return;
    edit_outcome o = {0};
    size_t *at;
    int code = read_region(rq, &g, false, &at, &o) ? kept_save(rq, &REGION, &g, at, g.member_count, &o) : EDIT_INVALID;
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
    if (creating)
        buf_puts(b, "<p class=\"crumbs\"><a href=\"/organisations\">Organisaties</a></p>\n<h1>Nieuwe organisatie</h1>\n");
    else
        buf_fmt(b, "<p class=\"crumbs\"><a href=\"%a\">%h</a></p>\n<h1>Organisatie bewerken</h1>\n",
                url_of(rq, "/organisations/", g->id, ""), g->name);
    if (code == EDIT_STALE)
        form_stale_notice(rq, o, "deze organisatie", url_of(rq, "/organisations/", g->id, "/edit"));
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
    member_rows(rq, o, g->members, g->member_count, false, DATE_NONE, DATE_NONE);
    form_end(rq, creating ? "Organisatie aanmaken" : "Bewaren",
             creating ? "/organisations" : url_of(rq, "/organisations/", g->id, ""));
    page_end(rq);
}

static bool read_organisation(request *rq, organisation *g, bool creating, size_t **at, edit_outcome *o)
{
    size_t cap = 0;
    if (creating)
        g->id = (char *)form_read_text(rq, "id");
    g->name = (char *)form_read_text(rq, "name");
    g->kind = (char *)form_read_text(rq, "kind");
    return read_members(rq, &g->members, &g->member_count, at, o, &cap);
}

static kept_head organisation_head(const void *x)
{
    const organisation *g = x;
    return (kept_head){g->id, g->version, g->change};
}
static int organisation_get(request *rq, int64_t known, const char *id, void *out)
{
    return store_get_organisation(rq->db, known, id, rq->arena, out);
}
static int organisation_get_version(request *rq, int64_t version, void *out)
{
    return store_get_organisation_version(rq->db, version, rq->arena, out);
}
static json_t *organisation_json(const void *x) { return somon1_organisation_json(x); }
static size_t organisation_check(const void *x, const somon1_context *ctx, arena *a, somon1_problem **out)
{
    return somon1_check_organisation(x, ctx, a, out);
}
static int organisation_put(store *s, int64_t change, const void *x) { return store_put_organisation(s, change, x); }

static const kept_kind ORGANISATION = {"organisatie", "nieuwe organisatie", sizeof(organisation), organisation_head,
                                       organisation_get, organisation_get_version, organisation_json,
                                       organisation_check, NULL, organisation_put};

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
    table t;
    table_init(&t, rq->arena, "Organisaties", keys, labels, 3);
    for (size_t i = 0; i < n; i++) {
        cell *c = table_row(&t);
        c[0] = cell_text(orgs[i].id);
        c[1] = cell_text(orgs[i].name);
        c[2] = cell_text(kind_label(orgs[i].kind));
    }
    if (web_table_download(rq, &t, "organisaties"))
        return;
    page_begin(rq, "Organisaties", NAV_REGIONS);
    buf *b = &rq->body;
    bool may = auth_may(rq->who, ACT_EDIT_ORGANISATION, NULL, -1);
    const char *carry = page_carry_default(rq);
    buf_puts(b, "<h1>Organisaties</h1>\n");
    if (may)
        buf_puts(b, "<p class=\"edit-link\"><a href=\"/organisations/new\">Nieuwe organisatie</a></p>\n");
    buf_puts(b, "<div class=\"scroll\"><table class=\"list\">\n<caption>Organisaties die partij kunnen zijn</caption>\n"
                "<thead><tr><th scope=\"col\">Organisatie</th><th scope=\"col\">Id</th><th scope=\"col\">Soort</th>");
    buf_puts(b, may ? "<th scope=\"col\">Bewerken</th></tr></thead>\n<tbody>\n" : "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        buf_fmt(b, "<tr><th scope=\"row\"><a href=\"%a%s%a\">%h</a></th><td>%h</td><td>%h</td>",
                url_of(rq, "/organisations/", orgs[i].id, ""), *carry ? "?" : "", carry, orgs[i].name, orgs[i].id,
                kind_label(orgs[i].kind));
        if (may)
            buf_fmt(b, "<td><a href=\"%a\">bewerken</a></td>", url_of(rq, "/organisations/", orgs[i].id, "/edit"));
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
    page_downloads(rq);
    page_end(rq);
}

/* The members of g on d, then those of other days with their dates, each by
 * its name (as it was on d when it existed then). An organisation has no
 * period: a member without from belongs from its municipality's first day. */
static void organisation_members(request *rq, const register_view *v, const organisation *g, date_t d)
{
    buf *b = &rq->body;
    const char *carry = page_carry_default(rq);
    size_t now = 0;
    buf_fmt(b, "<h2 id=\"members-h\">Leden op %h</h2>\n<ul class=\"members\" aria-labelledby=\"members-h\">\n",
            page_date(rq, d));
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && now < g->member_count)
            buf_puts(b, "<h3 id=\"members-other-h\">Leden op andere dagen</h3>\n<ul class=\"members\" "
                        "aria-labelledby=\"members-other-h\">\n");
        for (size_t k = 0; k < g->member_count; k++) {
            const dated_member *m = &g->members[k];
            int code = nis_code(m->municipality);
            int first = code >= 0 ? v->map.code_first[code] : -1;
            if (first < 0)
                continue; /* not in the map as known here; the import refuses such codes */
            int on_d = rules_identity_on(&v->map, code, d);
            bool on = member_on(v->map.items[first].valid_from, DATE_NONE, m, d);
            if (on != (pass == 0))
                continue;
            now += on;
            const char *name = v->municipalities[on_d >= 0 ? on_d : first + v->map.code_count[code] - 1].name;
            buf_fmt(b, "<li><a href=\"/municipalities/%U%s%a\">%h</a>", m->municipality, *carry ? "?" : "", carry, name);
            if (m->from != DATE_NONE || m->until != DATE_NONE)
                buf_fmt(b, " (lid %h%h%h%h)", m->from == DATE_NONE ? "" : "vanaf ",
                        m->from == DATE_NONE ? "" : page_date(rq, m->from),
                        m->until == DATE_NONE ? "" : m->from == DATE_NONE ? "tot en met " : " tot en met ",
                        m->until == DATE_NONE ? "" : page_date(rq, m->until));
            buf_puts(b, "</li>\n");
        }
        if (pass == 0 && !now)
            buf_puts(b, "<li>Geen leden op deze datum.</li>\n");
        if (pass == 0 || now < g->member_count)
            buf_puts(b, "</ul>\n");
    }
}

/* The JSON of a kept object as known at a change (NULL when it did not exist then). */
static json_t *organisation_at(request *rq, int64_t change, const char *id)
{
    organisation x;
    return store_get_organisation(rq->db, change, id, rq->arena, &x) == 1 ? somon1_organisation_json(&x) : NULL;
}

static json_t *regiegebied_at(request *rq, int64_t change, const char *id)
{
    regiegebied x;
    return store_get_regiegebied(rq->db, change, id, rq->arena, &x) == 1 ? somon1_regiegebied_json(&x) : NULL;
}

/* Its versions, oldest first: when, by whom (for readers who may see
 * people), what changed, and a link to the page (path) as known then. */
static void kept_history(request *rq, const store_version *versions, size_t n, const char *id, const char *path,
                         json_t *(*at)(request *, int64_t, const char *))
{
    buf *b = &rq->body;
    bool people = page_shows_people(rq);
    buf_puts(b, "<section id=\"history\" aria-labelledby=\"history-h\"><h2 id=\"history-h\">Geschiedenis</h2>\n"
                "<ol class=\"history\">\n");
    json_t *previous = NULL;
    for (size_t i = 0; i < n; i++) {
        json_t *now = at(rq, versions[i].change, id);
        if (!now)
            continue;
        buf_fmt(b, "<li><p><time datetime=\"%a\">%h</time>%s%h (%h) · <a href=\"%a?as_known_at=%U\">deze versie "
                   "bekijken</a></p>\n",
                versions[i].moment, page_moment(rq, versions[i].moment), people ? " door " : "",
                people ? versions[i].actor : "", page_action_label(versions[i].action), path, versions[i].moment);
        if (!previous) {
            buf_puts(b, "<p>Eerste versie geregistreerd.</p>\n");
        } else {
            field_change *changes;
            size_t k = history_diff(rq->arena, previous, now, web_history_names(rq), &changes); /* reads, keeps */
            buf_puts(b, "<ul>\n");
            for (size_t j = 0; j < k; j++)
                buf_fmt(b, "<li>%h: <del>%h</del> → <ins>%h</ins></li>\n", changes[j].field, changes[j].old_value,
                        changes[j].new_value);
            if (!k)
                buf_puts(b, "<li>geen inhoudelijke wijziging</li>\n");
            buf_puts(b, "</ul>\n");
            json_decref(previous);
        }
        previous = now;
        buf_puts(b, "</li>\n");
    }
    json_decref(previous);
    buf_puts(b, "</ol>\n<p><a href=\"/history\">Alle wijzigingen van het register</a></p>\n</section>\n");
}

static void organisation_history(request *rq, const organisation *g)
{
    store_version *versions;
    size_t n;
    if (!store_organisation_versions(rq->db, web_known(rq), g->id, rq->arena, &versions, &n))
        kept_history(rq, versions, n, g->id, url_of(rq, "/organisations/", g->id, ""), organisation_at);
}

void page_regiegebied_history(request *rq, const char *id)
{
    store_version *versions;
    size_t n;
    if (!store_regiegebied_versions(rq->db, web_known(rq), id, rq->arena, &versions, &n))
        kept_history(rq, versions, n, id, url_of(rq, "/regiegebieden/", id, ""), regiegebied_at);
}

void page_organisation(request *rq)
{
    const register_view *v = web_view(rq);
    if (!v)
        return;
    date_t d = web_date_param(rq, "date", web_today());
    if (d == DATE_NONE)
        return;
    organisation g;
    int found = store_get_organisation(rq->db, web_known(rq), web_route_param(rq, "id"), rq->arena, &g);
    if (found != 1) {
        web_error(rq, found < 0 ? 503 : 404, found < 0 ? "unavailable" : "not_found",
                  found < 0 ? "Het register kan nu niet gelezen worden." : "Er is geen organisatie met deze id.");
        return;
    }
    page_begin(rq, g.name, NAV_REGIONS);
    buf *b = &rq->body;
    const char *carry = page_carry_default(rq), *self = url_of(rq, "/organisations/", g.id, "");
    char iso[DATE_ISO_LEN];
    buf_fmt(b, "<p class=\"crumbs\"><a href=\"/organisations%s%a\">Organisaties</a></p>\n<h1>%h <span class=\"id\">%h"
               "</span></h1>\n<dl class=\"facts\">\n<dt>Soort</dt><dd>%h</dd>\n</dl>\n",
            *carry ? "?" : "", carry, g.name, g.id, kind_label(g.kind));
    buf_fmt(b, "<form class=\"filters\" method=\"get\" action=\"%a\">\n<p><label for=\"date\">Datum</label> "
               "<input type=\"date\" id=\"date\" name=\"date\" value=\"%a\" required>\n",
            self, date_format_iso(d, iso));
    page_hidden_known_at(rq);
    buf_puts(b, "<button type=\"submit\">Toon</button></p>\n</form>\n");
    organisation_members(rq, v, &g, d);
    if (auth_may(rq->who, ACT_EDIT_ORGANISATION, NULL, -1))
        buf_fmt(b, "<p class=\"edit-link\"><a href=\"%a\">Organisatie bewerken</a></p>\n",
                url_of(rq, "/organisations/", g.id, "/edit"));
    organisation_history(rq, &g);
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
    size_t *at;
    int code = read_organisation(rq, &g, true, &at, &o) ? kept_save(rq, &ORGANISATION, &g, at, g.member_count, &o)
                                                         : EDIT_INVALID;
    if (code == EDIT_SAVED) {
        web_redirect(rq, url_of(rq, "/organisations/", g.id, ""));
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
    size_t *at;
    int code = read_organisation(rq, &g, false, &at, &o) ? kept_save(rq, &ORGANISATION, &g, at, g.member_count, &o)
                                                          : EDIT_INVALID;
    if (code == EDIT_SAVED) {
        web_redirect(rq, url_of(rq, "/organisations/", g.id, ""));
        return;
    }
    organisation_form(rq, &g, false, &o, code);
    rq->status = code;
}
