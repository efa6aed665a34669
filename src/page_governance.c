/* page_governance.c: the governance editor of an agreement (GET
 * …/governance/edit, POST …/governance): its bodies, their conveners,
 * minimum meeting frequencies and members. The dispatcher has checked the
 * permission and loaded rq->subject; every save goes through edit_save().
 * One page shows every body and member plus blank rows to add one; bodies
 * keep their identity through a hidden uid (formrows.h has the rest). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "formrows.h"
#include "formui.h"
#include "layout.h"
#include "pages.h"

/* ---- governance: rows as shown ---------------------------------------------------- */

typedef struct {
    const char *name, *function, *organisation;
    bool added, removed;
} member_row;

typedef struct {
    const char *uid; /* "" for a new body */
    const char *body, *convener, *min_meetings, *per_years;
    bool removed;
    member_row *members;
    size_t member_count;
    int64_t id; /* worked out when saving */
} body_row;

typedef struct {
    body_row *bodies;
    size_t body_count;
} body_rows;

static const member_row BLANK_MEMBER = {"", "", "", true, false};

static const char *body_path(request *rq, size_t b) { return arena_printf(rq->arena, "governance[%zu]", b); }

static const char *member_path(request *rq, size_t b, size_t m)
{
    return arena_printf(rq->arena, "governance[%zu].members[%zu]", b, m);
}

static bool member_empty(const member_row *m) { return rows_blank(m->name) && rows_blank(m->function) && rows_blank(m->organisation); }

static bool body_empty(const body_row *r)
{
    for (size_t m = 0; m < r->member_count; m++)
        if (!member_empty(&r->members[m]))
            return false;
    return rows_blank(r->body) && rows_blank(r->convener) && rows_blank(r->min_meetings) && rows_blank(r->per_years);
}

static const char *count_text(request *rq, int n) { return n > 0 ? arena_printf(rq->arena, "%d", n) : ""; }

static body_row stored_body(request *rq, const governance_body *g)
{
    body_row r = {.uid = arena_printf(rq->arena, "%lld", (long long)g->uid),
                  .body = rows_text(g->body),
                  .convener = rows_text(g->convener),
                  .min_meetings = count_text(rq, g->min_meetings),
                  .per_years = count_text(rq, g->per_years),
                  .member_count = g->member_count + 1};
    r.members = arena_calloc(rq->arena, r.member_count, sizeof *r.members);
    for (size_t m = 0; m < g->member_count; m++)
        r.members[m] = (member_row){rows_text(g->members[m].name), rows_text(g->members[m].function),
                                   rows_text(g->members[m].organisation), false, false};
    r.members[g->member_count] = BLANK_MEMBER;
    return r;
}

static body_rows stored_bodies(request *rq, const agreement *ag)
{
    body_rows p = {arena_calloc(rq->arena, ag->body_count + 1, sizeof *p.bodies), ag->body_count + 1};
    for (size_t b = 0; b < ag->body_count; b++)
        p.bodies[b] = stored_body(rq, &ag->bodies[b]);
    body_row *last = &p.bodies[ag->body_count];
    *last = (body_row){.uid = "", .body = "", .convener = "", .min_meetings = "", .per_years = "", .member_count = 1};
    last->members = arena_calloc(rq->arena, 1, sizeof *last->members);
    last->members[0] = BLANK_MEMBER;
    return p;
}

static void posted_members(request *rq, body_row *r, const char *path)
{
    const char *list = rows_field(rq, path, "members");
    r->member_count = rows_posted_rows(rq, list, "name");
    r->members = arena_calloc(rq->arena, r->member_count + 1, sizeof *r->members);
    for (size_t m = 0; m < r->member_count; m++) {
        const char *p = arena_printf(rq->arena, "%s[%zu]", list, m);
        r->members[m] = (member_row){rows_posted(rq, p, "name"), rows_posted(rq, p, "function"), rows_posted(rq, p, "organisation"),
                                     rows_ticked(rq, p, "added"), rows_ticked(rq, p, "remove")};
    }
}

static body_rows posted_bodies(request *rq)
{
    body_rows p = {0};
    p.body_count = rows_posted_rows(rq, "governance", "body");
    p.bodies = arena_calloc(rq->arena, p.body_count + 1, sizeof *p.bodies);
    for (size_t b = 0; b < p.body_count; b++) {
        const char *path = body_path(rq, b);
        body_row *r = &p.bodies[b];
        *r = (body_row){.uid = rows_posted(rq, path, "uid"),
                        .body = rows_posted(rq, path, "body"),
                        .convener = rows_posted(rq, path, "convener"),
                        .min_meetings = rows_posted(rq, path, "min_meetings"),
                        .per_years = rows_posted(rq, path, "per_years"),
                        .removed = rows_ticked(rq, path, "remove")};
        posted_members(rq, r, path);
    }
    return p;
}

/* ---- governance: the form --------------------------------------------------------- */

static void member_fields(request *rq, const edit_outcome *o, const char *path, const member_row *m)
{
    if (m->added)
        buf_puts(&rq->body, "<fieldset class=\"member\"><legend>Nieuw lid <span class=\"hint\">(laat leeg om geen "
                            "lid toe te voegen)</span></legend>\n");
    else
        buf_fmt(&rq->body, "<fieldset class=\"member\"><legend>Lid: %h</legend>\n",
                rows_blank(m->name) ? m->function : m->name);
    if (m->added)
        rows_hidden(rq, rows_field(rq, path, "added"), "1");
    form_text(rq, o, rows_field(rq, path, "name"), "Naam", m->name, false);
    form_text(rq, o, rows_field(rq, path, "function"), "Functie", m->function, false);
    form_text(rq, o, rows_field(rq, path, "organisation"), "Organisatie", m->organisation, false);
    if (!m->added)
        rows_checkbox(rq, o, rows_field(rq, path, "remove"), "Lid verwijderen", m->removed);
    buf_puts(&rq->body, "</fieldset>\n");
}

static void frequency_fields(request *rq, const edit_outcome *o, const char *path, const body_row *r)
{
    buf_puts(&rq->body, "<fieldset class=\"frequency\"><legend>Vergadert minstens … keer per … jaar</legend>\n"
                        "<p class=\"hint\">Bv. 2 en 1: minstens 2 keer per jaar; 1 en 2: één keer om de twee jaar. "
                        "Laat beide leeg als dit niet vastligt.</p>\n");
    rows_number_field(rq, o, rows_field(rq, path, "min_meetings"), "Minstens (aantal keer)", r->min_meetings);
    rows_number_field(rq, o, rows_field(rq, path, "per_years"), "Per (aantal jaar)", r->per_years);
    buf_puts(&rq->body, "</fieldset>\n");
}

static void body_fields(request *rq, const edit_outcome *o, const body_row *r, size_t b)
{
    const char *path = body_path(rq, b), *hid = arena_printf(rq->arena, "%s-h", form_field_id(rq, path));
    bool added = rows_blank(r->uid);
    buf_fmt(&rq->body, "<section class=\"body\" aria-labelledby=\"%a\">\n<h2 id=\"%a\">", hid, hid);
    if (added)
        buf_puts(&rq->body, "Nieuw overlegorgaan</h2>\n<p class=\"hint\">Laat leeg om geen orgaan toe te "
                            "voegen.</p>\n");
    else
        buf_fmt(&rq->body, "Overlegorgaan: %h</h2>\n", r->body);
    if (!added)
        rows_hidden(rq, rows_field(rq, path, "uid"), r->uid);
    form_text(rq, o, rows_field(rq, path, "body"), "Naam van het overlegorgaan (bv. Stuurgroep)", r->body, !added);
    form_text(rq, o, rows_field(rq, path, "convener"), "Roept samen (bv. VDAB of de gemeente)", r->convener, false);
    frequency_fields(rq, o, path, r);
    if (!added)
        rows_checkbox(rq, o, rows_field(rq, path, "remove"), "Overlegorgaan verwijderen (de geschiedenis blijft bewaard)",
                 r->removed);
    buf_fmt(&rq->body, "<h3>Leden van %h</h3>\n", added ? "het nieuwe orgaan" : r->body);
    for (size_t m = 0; m < r->member_count; m++)
        member_fields(rq, o, member_path(rq, b, m), &r->members[m]);
    buf_puts(&rq->body, "</section>\n");
}

static void governance_form(request *rq, const agreement *ag, const body_rows *p, const edit_outcome *o, int code)
{
    rows_form_heading(rq, ag, "Overlegstructuur bewerken",
                 "De overlegorganen van de overeenkomst en hun leden. Een lid heeft een naam of een functie. Lege "
                 "nieuwe rijen worden genegeerd.");
    form_outcome(rq, o, code);
    form_begin(rq, rows_agreement_url(rq, ag->id, "/governance"), ag->version);
    rows_general_problems(rq, o, "governance");
    for (size_t b = 0; b < p->body_count; b++)
        body_fields(rq, o, &p->bodies[b], b);
    form_end(rq, "Overlegstructuur bewaren", rows_agreement_url(rq, ag->id, ""));
    page_end(rq);
}

/* ---- governance: from rows to the new bodies -------------------------------------- */

/* A whole number from 1 to 1000 in path.key, 0 when blank; a problem on
 * the field otherwise. */
static int read_count(request *rq, edit_outcome *o, const char *path, const char *key)
{
    const char *name = rows_field(rq, path, key), *v = form_read_text(rq, name);
    if (!v)
        return 0;
    size_t digits = strspn(v, "0123456789");
    long n = digits && !v[digits] && digits <= 4 ? strtol(v, NULL, 10) : -1;
    if (n >= 1 && n <= 1000)
        return (int)n;
    const char *shown = arena_clip(rq->arena, v, 20);
    rows_problem(rq, o, name,
            digits && !v[digits]
                ? arena_printf(rq->arena, "%s kan niet; geef een geheel getal van 1 tot 1000", shown)
                : arena_printf(rq->arena, "'%s' is geen geheel getal; geef een getal van 1 tot 1000, bv. 2", shown));
    return 0;
}

static const governance_body *stored_body_of(const agreement *ag, int64_t uid, const char *name)
{
    for (size_t b = 0; b < ag->body_count; b++)
        if (name ? ag->bodies[b].body && strcmp(ag->bodies[b].body, name) == 0 : ag->bodies[b].uid == uid)
            return &ag->bodies[b];
    return NULL;
}

static const body_row *posted_body(const body_rows *p, int64_t uid, size_t *index)
{
    for (size_t b = 0; b < p->body_count; b++)
        if (!rows_blank(p->bodies[b].uid) && p->bodies[b].id == uid) {
            *index = b;
            return &p->bodies[b];
        }
    return NULL;
}

/* Every stored body comes back once (kept or ticked for removal), and no
 * other: a uid decides whose history a row continues. */
static void check_bodies(request *rq, body_rows *p, edit_outcome *o)
{
    size_t at;
    for (size_t b = 0; b < p->body_count; b++) {
        body_row *r = &p->bodies[b];
        const char *name = rows_field(rq, body_path(rq, b), "body");
        if (rows_blank(r->uid))
            continue;
        if (!rows_parse_uid(r->uid, &r->id) || !stored_body_of(rq->subject, r->id, NULL))
            rows_problem(rq, o, name, "dit overlegorgaan hoort niet bij deze overeenkomst; open het formulier opnieuw");
        else if (posted_body(p, r->id, &at) != r)
            rows_problem(rq, o, name, "dit overlegorgaan staat twee keer in het formulier; open het formulier opnieuw");
    }
    for (size_t b = 0; b < rq->subject->body_count; b++)
        if (!posted_body(p, rq->subject->bodies[b].uid, &at))
            rows_problem(rq, o, "governance",
                    arena_printf(rq->arena, "overlegorgaan '%s' ontbreekt in het formulier; open het formulier "
                                            "opnieuw (een orgaan verwijdert u met het vakje)",
                                 arena_clip(rq->arena, rows_text(rq->subject->bodies[b].body), 60)));
}

static bool body_kept(const body_row *r) { return rows_blank(r->uid) ? !body_empty(r) : !r->removed; }

/* A new body named as another body was until now would be given that
 * body's uid by the store (it finds uids by name): ask for the renaming to
 * be saved first. */
static void check_new_names(request *rq, const body_rows *p, edit_outcome *o)
{
    for (size_t b = 0; b < p->body_count; b++) {
        const char *path = body_path(rq, b), *name = rows_saved_text(rq, path, "body");
        const governance_body *before =
            rows_blank(p->bodies[b].uid) && body_kept(&p->bodies[b]) && name ? stored_body_of(rq->subject, 0, name) : NULL;
        size_t at;
        const body_row *now = before ? posted_body(p, before->uid, &at) : NULL;
        if (!now || !body_kept(now))
            continue; /* gone: the new body may take over its name (and history) */
        const char *now_name = rows_saved_text(rq, body_path(rq, at), "body");
        if (!now_name || strcmp(now_name, name) != 0)
            rows_problem(rq, o, rows_field(rq, path, "body"),
                    "een ander overlegorgaan had tot nu toe deze naam; bewaar eerst de nieuwe naam daarvan en voeg "
                    "dit orgaan daarna toe");
    }
}

/* A body with meetings stays (issue 9): removed, its meetings would be in
 * no export, which carries them inside their body. A new body of the same
 * name in the same save takes them over (the store finds its uid by name). */
static void check_removed_meetings(request *rq, const body_rows *p, edit_outcome *o)
{
    meeting *ms;
    size_t nm;
    if (store_get_meetings(rq->db, STORE_NOW, rq->subject->id, rq->arena, &ms, &nm))
        return; /* edit_save() checks again inside its transaction */
    for (size_t b = 0; b < p->body_count; b++) {
        const body_row *r = &p->bodies[b];
        const governance_body *g = !rows_blank(r->uid) && r->removed ? stored_body_of(rq->subject, r->id, NULL) : NULL;
        size_t count = 0;
        for (size_t i = 0; g && i < nm; i++)
            count += ms[i].body_uid == g->uid;
        for (size_t k = 0; count && k < p->body_count; k++) {
            const char *name = rows_saved_text(rq, body_path(rq, k), "body");
            if (rows_blank(p->bodies[k].uid) && body_kept(&p->bodies[k]) && name && g->body && strcmp(name, g->body) == 0)
                count = 0; /* taken over by the new body of this name */
        }
        if (count)
            rows_problem(rq, o, rows_field(rq, body_path(rq, b), "remove"),
                    arena_printf(rq->arena, "dit overlegorgaan heeft %zu geregistreerde vergadering%s en kan daarom "
                                            "niet weg: zonder orgaan staan ze in geen export; kreeg het een andere "
                                            "naam, verander dan de naam hierboven",
                                 count, count == 1 ? "" : "en"));
    }
}

static void build_members(request *rq, const body_row *r, size_t b, governance_body *g, size_t at, edit_outcome *o,
                          path_maps *map)
{
    g->members = arena_calloc(rq->arena, r->member_count + 1, sizeof *g->members);
    for (size_t m = 0; m < r->member_count; m++) {
        const member_row *mr = &r->members[m];
        if (mr->added ? member_empty(mr) : mr->removed)
            continue;
        const char *from = member_path(rq, b, m);
        /* somon1's own check of this rule does not fire on the canonical
         * JSON (its keys are always there, null), so it is checked here */
        if (rows_blank(mr->name) && rows_blank(mr->function))
            rows_problem(rq, o, rows_field(rq, from, "name"), "geef een naam of een functie (of beide)");
        /* "give a name or a function" is said of the member: show it beside the name */
        rows_map_path(rq, map, arena_printf(rq->arena, "governance[%zu].members[%zu]", at, g->member_count), from,
                 ".name");
        g->members[g->member_count++] = (body_member){rows_saved_text(rq, from, "name"), rows_saved_text(rq, from, "function"),
                                                      rows_saved_text(rq, from, "organisation")};
    }
}

static governance_body build_body(request *rq, const body_row *r, size_t b, size_t at, edit_outcome *o,
                                  path_maps *map)
{
    const char *from = body_path(rq, b);
    governance_body g = {rows_blank(r->uid) ? 0 : r->id, rows_saved_text(rq, from, "body"), rows_saved_text(rq, from, "convener"),
                         read_count(rq, o, from, "min_meetings"), read_count(rq, o, from, "per_years"), NULL, 0, NULL, 0, false};
    /* "both or neither" is said of the body: show it beside the one left empty */
    rows_map_path(rq, map, body_path(rq, at), from, rows_blank(r->per_years) ? ".per_years" : ".min_meetings");
    build_members(rq, r, b, &g, at, o, map);
    return g;
}

static bool build_governance(request *rq, body_rows *p, agreement *ag, edit_outcome *o, path_maps *map)
{
    check_bodies(rq, p, o);
    check_new_names(rq, p, o);
    check_removed_meetings(rq, p, o);
    ag->bodies = arena_calloc(rq->arena, p->body_count + 1, sizeof *ag->bodies);
    ag->body_count = 0;
    for (size_t b = 0; b < p->body_count; b++)
        if (body_kept(&p->bodies[b])) {
            ag->bodies[ag->body_count] = build_body(rq, &p->bodies[b], b, ag->body_count, o, map);
            ag->body_count++;
        }
    return o->problem_count == 0;
}

static bool build_governance_rows(request *rq, void *rows, agreement *ag, edit_outcome *o, path_maps *map)
{
    return build_governance(rq, (body_rows *)rows, ag, o, map);
}

void page_governance_edit(request *rq)
{
    body_rows rows = stored_bodies(rq, rq->subject);
    governance_form(rq, rq->subject, &rows, NULL, 0);
}

void page_governance_update(request *rq)
{
    body_rows rows = posted_bodies(rq);
    agreement ag = *rq->subject;
    if ((ag.version = edit_form_version(rq)) < 0)
        return;
    edit_outcome o = {0};
    int code = rows_save(rq, &ag, ACT_EDIT_GOVERNANCE, "overlegstructuur", build_governance_rows, &rows, &o);
    if (code == EDIT_SAVED) {
        web_redirect(rq, rows_agreement_url(rq, ag.id, ""));
        return;
    }
    governance_form(rq, &ag, &rows, &o, code);
    rq->status = code;
}

