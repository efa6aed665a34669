/* page_plan.c: the action plan editor of an agreement (GET …/plan/edit,
 * POST …/plan). The dispatcher has checked the permission and loaded
 * rq->subject, the current version; every save goes through edit_save().
 *
 * The form works without JavaScript: one page shows every row, plus blank
 * rows to add one (an action per domain, a domain per theme, a theme);
 * blank rows left empty are ignored. Rows, names and the mapping of
 * problems back to rows: formrows.h.
 *
 * Actions keep their identity through a hidden uid, so that renumbering,
 * moving or renaming keeps their history. An action is never deleted (it
 * is retired); a domain or theme goes only when no action is left in it. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "formrows.h"
#include "formui.h"
#include "layout.h"
#include "pages.h"

/* ---- the action plan: rows as shown --------------------------------------------- */

typedef struct {
    const char *uid; /* "" for a new action */
    const char *number, *title, *lead, *status;
    const char *domain; /* "t.d": the domain row it is to be in (existing actions) */
    /* worked out when saving */
    int64_t id;
    size_t to_theme, to_domain;
    bool kept;
} action_row;

typedef struct {
    const char *number, *title;
    bool added, removed;
    action_row *actions;
    size_t action_count;
    size_t landing; /* when saving: the actions that will be in it */
    bool kept;
} domain_row;

typedef struct {
    const char *title;
    bool added, removed;
    domain_row *domains;
    size_t domain_count;
    bool kept;
} theme_row;

typedef struct {
    theme_row *themes;
    size_t theme_count;
} plan_rows;

/* The statuses of somon/1 (ACTION_STATUSES) with their Dutch names; "" is none. */
static const form_option ACTION_STATUS_OPTIONS[] = {
    {"", "–"},
    {"not_started", "niet gestart"},
    {"ongoing", "lopend"},
    {"achieved", "gerealiseerd"},
    {"stalled", "vastgelopen"},
    {"dropped", "geschrapt"},
    {"retired", "stopgezet"},
};

static const action_row BLANK_ACTION = {.uid = "", .number = "", .title = "", .lead = "", .status = "", .domain = ""};

static const char *theme_path(request *rq, size_t t) { return arena_printf(rq->arena, "action_plan[%zu]", t); }

static const char *domain_path(request *rq, size_t t, size_t d)
{
    return arena_printf(rq->arena, "action_plan[%zu].domains[%zu]", t, d);
}

static const char *action_path(request *rq, size_t t, size_t d, size_t k)
{
    return arena_printf(rq->arena, "action_plan[%zu].domains[%zu].actions[%zu]", t, d, k);
}

static bool action_empty(const action_row *x)
{
    return rows_blank(x->number) && rows_blank(x->title) && rows_blank(x->lead) && rows_blank(x->status);
}

/* The rows of the stored plan, each domain and theme followed by a blank row. */
static domain_row stored_domain(request *rq, const action_domain *dom, size_t t, size_t d)
{
    domain_row r = {.number = rows_text(dom->number), .title = rows_text(dom->title)};
    r.actions = arena_calloc(rq->arena, dom->action_count + 1, sizeof *r.actions);
    for (size_t k = 0; k < dom->action_count; k++) {
        const action *x = &dom->actions[k];
        r.actions[k] = (action_row){.uid = arena_printf(rq->arena, "%lld", (long long)x->uid),
                                    .number = rows_text(x->number),
                                    .title = rows_text(x->title),
                                    .lead = rows_text(x->lead),
                                    .status = rows_text(x->status),
                                    .domain = arena_printf(rq->arena, "%zu.%zu", t, d)};
    }
    r.actions[dom->action_count] = BLANK_ACTION;
    r.action_count = dom->action_count + 1;
    return r;
}

static domain_row blank_domain(request *rq)
{
    domain_row r = {.number = "", .title = "", .added = true, .action_count = 1};
    r.actions = arena_calloc(rq->arena, 1, sizeof *r.actions);
    r.actions[0] = BLANK_ACTION;
    return r;
}

static theme_row stored_theme(request *rq, const theme *th, size_t t)
{
    theme_row r = {.title = rows_text(th->title), .domain_count = th->domain_count + 1};
    r.domains = arena_calloc(rq->arena, r.domain_count, sizeof *r.domains);
    for (size_t d = 0; d < th->domain_count; d++)
        r.domains[d] = stored_domain(rq, &th->domains[d], t, d);
    r.domains[th->domain_count] = blank_domain(rq);
    return r;
}

static plan_rows stored_plan(request *rq, const agreement *ag)
{
    plan_rows p = {arena_calloc(rq->arena, ag->theme_count + 1, sizeof *p.themes), ag->theme_count + 1};
    for (size_t t = 0; t < ag->theme_count; t++)
        p.themes[t] = stored_theme(rq, &ag->themes[t], t);
    theme_row *last = &p.themes[ag->theme_count];
    *last = (theme_row){.title = "", .added = true, .domain_count = 1};
    last->domains = arena_calloc(rq->arena, 1, sizeof *last->domains);
    last->domains[0] = blank_domain(rq);
    return p;
}

/* The rows as posted. */
static void posted_actions(request *rq, domain_row *r, const char *path)
{
    const char *list = rows_field(rq, path, "actions");
    r->action_count = rows_posted_rows(rq, list, "number");
    r->actions = arena_calloc(rq->arena, r->action_count + 1, sizeof *r->actions);
    for (size_t k = 0; k < r->action_count; k++) {
        const char *p = arena_printf(rq->arena, "%s[%zu]", list, k);
        r->actions[k] = (action_row){.uid = rows_posted(rq, p, "uid"),
                                     .number = rows_posted(rq, p, "number"),
                                     .title = rows_posted(rq, p, "title"),
                                     .lead = rows_posted(rq, p, "lead"),
                                     .status = rows_posted(rq, p, "status"),
                                     .domain = rows_posted(rq, p, "domain")};
    }
}

static void posted_domains(request *rq, theme_row *r, const char *path)
{
    const char *list = rows_field(rq, path, "domains");
    r->domain_count = rows_posted_rows(rq, list, "number");
    r->domains = arena_calloc(rq->arena, r->domain_count + 1, sizeof *r->domains);
    for (size_t d = 0; d < r->domain_count; d++) {
        const char *p = arena_printf(rq->arena, "%s[%zu]", list, d);
        domain_row *dr = &r->domains[d];
        *dr = (domain_row){.number = rows_posted(rq, p, "number"), .title = rows_posted(rq, p, "title"),
                           .added = rows_ticked(rq, p, "added"), .removed = rows_ticked(rq, p, "remove")};
        posted_actions(rq, dr, p);
    }
}

static plan_rows posted_plan(request *rq)
{
    plan_rows p = {0};
    p.theme_count = rows_posted_rows(rq, "action_plan", "theme");
    p.themes = arena_calloc(rq->arena, p.theme_count + 1, sizeof *p.themes);
    for (size_t t = 0; t < p.theme_count; t++) {
        const char *path = theme_path(rq, t);
        theme_row *r = &p.themes[t];
        *r = (theme_row){.title = rows_posted(rq, path, "theme"), .added = rows_ticked(rq, path, "added"),
                         .removed = rows_ticked(rq, path, "remove")};
        posted_domains(rq, r, path);
    }
    return p;
}

/* ---- the action plan: the form ---------------------------------------------------- */

/* The domains an existing action can be moved to: those already saved. */
static form_option *domain_options(request *rq, const plan_rows *p, size_t *n)
{
    size_t total = 0;
    for (size_t t = 0; t < p->theme_count; t++)
        total += p->themes[t].domain_count;
    form_option *o = arena_calloc(rq->arena, total + 1, sizeof *o);
    *n = 0;
    for (size_t t = 0; t < p->theme_count; t++)
        for (size_t d = 0; d < p->themes[t].domain_count; d++) {
            const domain_row *r = &p->themes[t].domains[d];
            if (!r->added)
                o[(*n)++] = (form_option){arena_printf(rq->arena, "%zu.%zu", t, d),
                                          arena_printf(rq->arena, "%s – %s", r->number, r->title)};
        }
    return o;
}

typedef struct {
    request *rq;
    const edit_outcome *o;
    const form_option *domains; /* move targets */
    size_t domain_count;
} plan_view;

static void action_fields(const plan_view *v, const char *path, const action_row *x)
{
    request *rq = v->rq;
    bool added = rows_blank(x->uid);
    if (added)
        buf_puts(&rq->body, "<fieldset class=\"plan-action\"><legend>Nieuwe actie <span class=\"hint\">(laat leeg "
                            "om geen actie toe te voegen)</span></legend>\n");
    else
        buf_fmt(&rq->body, "<fieldset class=\"plan-action\"><legend>Actie %h</legend>\n", x->number);
    if (!added)
        rows_hidden(rq, rows_field(rq, path, "uid"), x->uid);
    form_text(rq, v->o, rows_field(rq, path, "number"), "Nummer", x->number, !added);
    form_text(rq, v->o, rows_field(rq, path, "title"), "Titel", x->title, !added);
    form_select(rq, v->o, rows_field(rq, path, "status"), "Status", ACTION_STATUS_OPTIONS,
                sizeof ACTION_STATUS_OPTIONS / sizeof *ACTION_STATUS_OPTIONS, x->status);
    form_text(rq, v->o, rows_field(rq, path, "lead"), "Trekker", x->lead, false);
    if (!added)
        form_select(rq, v->o, rows_field(rq, path, "domain"), "Actiedomein (kies een ander om de actie te verplaatsen)",
                    v->domains, v->domain_count, x->domain);
    buf_puts(&rq->body, "</fieldset>\n");
}

static void domain_fields(const plan_view *v, const domain_row *r, size_t t, size_t d)
{
    request *rq = v->rq;
    const char *path = domain_path(rq, t, d), *hid = arena_printf(rq->arena, "%s-h", form_field_id(rq, path));
    buf_fmt(&rq->body, "<section class=\"plan-domain\" aria-labelledby=\"%a\">\n<h3 id=\"%a\">", hid, hid);
    if (r->added)
        buf_puts(&rq->body, "Nieuw actiedomein in dit thema</h3>\n<p class=\"hint\">Laat leeg om geen actiedomein "
                            "toe te voegen.</p>\n");
    else
        buf_fmt(&rq->body, "Actiedomein %h: %h</h3>\n", r->number, r->title);
    if (r->added)
        rows_hidden(rq, rows_field(rq, path, "added"), "1");
    form_text(rq, v->o, rows_field(rq, path, "number"), "Nummer van het actiedomein (bv. 2)", r->number, !r->added);
    form_text(rq, v->o, rows_field(rq, path, "title"), "Titel van het actiedomein", r->title, !r->added);
    if (!r->added)
        rows_checkbox(rq, v->o, rows_field(rq, path, "remove"), "Actiedomein verwijderen (kan alleen zonder acties)", r->removed);
    for (size_t k = 0; k < r->action_count; k++)
        action_fields(v, action_path(rq, t, d, k), &r->actions[k]);
    buf_puts(&rq->body, "</section>\n");
}

static void theme_fields(const plan_view *v, const theme_row *r, size_t t)
{
    request *rq = v->rq;
    const char *path = theme_path(rq, t), *hid = arena_printf(rq->arena, "%s-h", form_field_id(rq, path));
    buf_fmt(&rq->body, "<section class=\"plan-theme\" aria-labelledby=\"%a\">\n<h2 id=\"%a\">", hid, hid);
    if (r->added)
        buf_puts(&rq->body, "Nieuw thema</h2>\n<p class=\"hint\">Laat leeg om geen thema toe te voegen.</p>\n");
    else
        buf_fmt(&rq->body, "Thema: %h</h2>\n", r->title);
    if (r->added)
        rows_hidden(rq, rows_field(rq, path, "added"), "1");
    form_text(rq, v->o, rows_field(rq, path, "theme"), "Titel van het thema (de centrale ambitie)", r->title, !r->added);
    if (!r->added)
        rows_checkbox(rq, v->o, rows_field(rq, path, "remove"), "Thema verwijderen (kan alleen zonder acties)", r->removed);
    for (size_t d = 0; d < r->domain_count; d++)
        domain_fields(v, &r->domains[d], t, d);
    buf_puts(&rq->body, "</section>\n");
}

static void plan_form(request *rq, const agreement *ag, const plan_rows *p, const edit_outcome *o, int code)
{
    rows_form_heading(rq, ag, "Actieplan bewerken",
                 "Wijzig een nummer om te hernummeren; kies bij een actie een ander actiedomein om ze te verplaatsen. "
                 "Een actie wordt nooit verwijderd: geef ze de status stopgezet. Een actiedomein of thema kan weg "
                 "zolang er geen acties in staan. Lege nieuwe rijen worden genegeerd.");
    form_outcome(rq, o, code);
    form_begin(rq, rows_agreement_url(rq, ag->id, "/plan"), ag->version);
    rows_general_problems(rq, o, "action_plan");
    plan_view v = {rq, o, NULL, 0};
    v.domains = domain_options(rq, p, &v.domain_count);
    for (size_t t = 0; t < p->theme_count; t++)
        theme_fields(&v, &p->themes[t], t);
    form_end(rq, "Actieplan bewaren", rows_agreement_url(rq, ag->id, ""));
    page_end(rq);
}

/* ---- the action plan: from rows to the new plan ---------------------------------- */

typedef struct {
    action_row *row;
    size_t t, d, k;
} action_ref;

typedef struct {
    request *rq;
    plan_rows *rows;
    const agreement *stored;
    edit_outcome *o;
    action_ref *refs; /* every action row, in the order of the form */
    size_t ref_count;
} plan_save;

static void list_actions(plan_save *s)
{
    size_t cap = 0;
    for (size_t t = 0; t < s->rows->theme_count; t++)
        for (size_t d = 0; d < s->rows->themes[t].domain_count; d++) {
            domain_row *dr = &s->rows->themes[t].domains[d];
            for (size_t k = 0; k < dr->action_count; k++) {
                s->refs = arena_grow(s->rq->arena, s->refs, &cap, s->ref_count + 1, sizeof *s->refs);
                s->refs[s->ref_count++] = (action_ref){&dr->actions[k], t, d, k};
            }
        }
}

static const char *ref_path(const plan_save *s, const action_ref *r) { return action_path(s->rq, r->t, r->d, r->k); }

/* "t.d" naming a domain row that exists and is saved already. */
static bool parse_target(const plan_rows *p, const char *v, size_t *t, size_t *d)
{
    if (!isdigit((unsigned char)*v))
        return false;
    char *end;
    unsigned long a = strtoul(v, &end, 10);
    if (*end != '.' || !isdigit((unsigned char)end[1]))
        return false;
    unsigned long b = strtoul(end + 1, &end, 10);
    if (*end || a >= p->theme_count || b >= p->themes[a].domain_count || p->themes[a].domains[b].added)
        return false;
    *t = a, *d = b;
    return true;
}

/* Where each action goes (its own domain, or the one it is moved to), and
 * so how many actions each domain will hold. */
static void place_actions(plan_save *s)
{
    for (size_t i = 0; i < s->ref_count; i++) {
        action_ref *r = &s->refs[i];
        action_row *x = r->row;
        x->to_theme = r->t, x->to_domain = r->d;
        x->kept = !rows_blank(x->uid) || !action_empty(x);
        if (!rows_blank(x->uid) && !rows_blank(x->domain) && !parse_target(s->rows, x->domain, &x->to_theme, &x->to_domain))
            rows_problem(s->rq, s->o, rows_field(s->rq, ref_path(s, r), "domain"), "kies een actiedomein uit de lijst");
        if (x->kept)
            s->rows->themes[x->to_theme].domains[x->to_domain].landing++;
    }
}

static const action *stored_action(const agreement *ag, int64_t uid, const char *number)
{
    for (size_t t = 0; t < ag->theme_count; t++)
        for (size_t d = 0; d < ag->themes[t].domain_count; d++)
            for (size_t k = 0; k < ag->themes[t].domains[d].action_count; k++) {
                const action *x = &ag->themes[t].domains[d].actions[k];
                if (number ? x->number && strcmp(x->number, number) == 0 : x->uid == uid)
                    return x;
            }
    return NULL;
}

static const action_ref *posted_action(const plan_save *s, int64_t uid)
{
    for (size_t i = 0; i < s->ref_count; i++)
        if (!rows_blank(s->refs[i].row->uid) && s->refs[i].row->id == uid)
            return &s->refs[i];
    return NULL;
}

/* Every action of the stored plan comes back exactly once, and no other:
 * actions are never deleted, and a uid decides whose history a row continues. */
static void check_identities(plan_save *s)
{
    request *rq = s->rq;
    for (size_t i = 0; i < s->ref_count; i++) {
        action_row *x = s->refs[i].row;
        if (rows_blank(x->uid))
            continue;
        const char *at = rows_field(rq, ref_path(s, &s->refs[i]), "number");
        if (!rows_parse_uid(x->uid, &x->id) || !stored_action(s->stored, x->id, NULL))
            rows_problem(rq, s->o, at, "deze actie hoort niet bij deze overeenkomst; open het formulier opnieuw");
        else if (posted_action(s, x->id) != &s->refs[i])
            rows_problem(rq, s->o, at, "deze actie staat twee keer in het formulier; open het formulier opnieuw");
    }
    const agreement *ag = s->stored;
    for (size_t t = 0; t < ag->theme_count; t++)
        for (size_t d = 0; d < ag->themes[t].domain_count; d++)
            for (size_t k = 0; k < ag->themes[t].domains[d].action_count; k++) {
                const action *x = &ag->themes[t].domains[d].actions[k];
                if (!posted_action(s, x->uid))
                    rows_problem(rq, s->o, "action_plan",
                            arena_printf(rq->arena, "actie %s (%s) ontbreekt: een actie wordt nooit verwijderd; "
                                                    "geef ze de status stopgezet",
                                         rows_text(x->number), arena_clip(rq->arena, rows_text(x->title), 60)));
            }
}

/* A new action with the number another action had until now would be given
 * that action's uid by the store (it finds uids by number), so two actions
 * would share one history: ask for the renumbering to be saved first. */
static void check_new_numbers(plan_save *s)
{
    for (size_t i = 0; i < s->ref_count; i++) {
        const action_row *x = s->refs[i].row;
        const char *path = ref_path(s, &s->refs[i]), *number = rows_saved_text(s->rq, path, "number");
        const action *before = x->kept && rows_blank(x->uid) && number ? stored_action(s->stored, 0, number) : NULL;
        const action_ref *now = before ? posted_action(s, before->uid) : NULL;
        const char *now_number = now ? rows_saved_text(s->rq, ref_path(s, now), "number") : NULL;
        if (now && (!now_number || strcmp(now_number, number) != 0))
            rows_problem(s->rq, s->o, rows_field(s->rq, path, "number"),
                    arena_printf(s->rq->arena, "nummer %s hoorde tot nu toe bij een andere actie; bewaar eerst de "
                                               "hernummering en voeg deze actie daarna toe",
                                 arena_clip(s->rq->arena, number, 20)));
    }
}

/* Which domains and themes stay: a removal is refused while actions remain. */
static void check_removals(plan_save *s)
{
    for (size_t t = 0; t < s->rows->theme_count; t++) {
        theme_row *th = &s->rows->themes[t];
        size_t landing = 0;
        bool new_domain = false;
        for (size_t d = 0; d < th->domain_count; d++) {
            domain_row *dr = &th->domains[d];
            const char *path = domain_path(s->rq, t, d);
            dr->kept = dr->landing || (dr->added ? !rows_blank(dr->number) || !rows_blank(dr->title) : !dr->removed);
            if (!dr->added && dr->removed && dr->landing)
                rows_problem(s->rq, s->o, rows_field(s->rq, path, "remove"),
                        "er staan nog acties in dit actiedomein; verplaats ze eerst naar een ander actiedomein");
            landing += dr->landing;
            new_domain = new_domain || (dr->added && dr->kept);
        }
        th->kept = landing || new_domain || (th->added ? !rows_blank(th->title) : !th->removed);
        if (!th->added && th->removed && (landing || new_domain))
            rows_problem(s->rq, s->o, rows_field(s->rq, theme_path(s->rq, t), "remove"),
                    "er staan nog acties of een nieuw actiedomein in dit thema; verplaats ze eerst");
    }
}

/* Natural order of numbers ("2.9" before "2.10"), so the saved plan lists
 * actions and domains as numbered, also after renumbering or a move. */
static int number_order(const char *a, const char *b)
{
    a = rows_text(a), b = rows_text(b);
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            size_t na = strspn(a, "0123456789"), nb = strspn(b, "0123456789");
            int c = na != nb ? (na < nb ? -1 : 1) : strncmp(a, b, na);
            if (c)
                return c;
            a += na, b += nb;
        } else if (*a != *b) {
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        } else {
            a++, b++;
        }
    }
    return (*a != '\0') - (*b != '\0');
}

typedef struct {
    action_domain dom;
    const char *from;         /* its row in the form */
    const char **action_from; /* the row of each action */
} built_domain;

static void sort_actions(built_domain *b)
{
    for (size_t i = 1; i < b->dom.action_count; i++)
        for (size_t j = i; j > 0 && number_order(b->dom.actions[j - 1].number, b->dom.actions[j].number) > 0; j--) {
            action x = b->dom.actions[j];
            const char *f = b->action_from[j];
            b->dom.actions[j] = b->dom.actions[j - 1], b->action_from[j] = b->action_from[j - 1];
            b->dom.actions[j - 1] = x, b->action_from[j - 1] = f;
        }
}

static void sort_domains(built_domain *b, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && number_order(b[j - 1].dom.number, b[j].dom.number) > 0; j--) {
            built_domain x = b[j];
            b[j] = b[j - 1], b[j - 1] = x;
        }
}

/* Domain row (t, d) with the actions that are to be in it. */
static built_domain build_domain(plan_save *s, size_t t, size_t d)
{
    request *rq = s->rq;
    const domain_row *dr = &s->rows->themes[t].domains[d];
    built_domain b = {.from = domain_path(rq, t, d)};
    b.dom = (action_domain){rows_saved_text(rq, b.from, "number"), rows_saved_text(rq, b.from, "title"), NULL, 0};
    b.dom.actions = arena_calloc(rq->arena, dr->landing + 1, sizeof *b.dom.actions);
    b.action_from = arena_calloc(rq->arena, dr->landing + 1, sizeof *b.action_from);
    for (size_t i = 0; i < s->ref_count; i++) {
        const action_row *x = s->refs[i].row;
        if (!x->kept || x->to_theme != t || x->to_domain != d)
            continue;
        const char *from = ref_path(s, &s->refs[i]);
        b.action_from[b.dom.action_count] = from;
        b.dom.actions[b.dom.action_count++] =
            (action){rows_blank(x->uid) ? 0 : x->id, rows_saved_text(rq, from, "number"), rows_saved_text(rq, from, "title"),
                     rows_saved_text(rq, from, "lead"), rows_saved_text(rq, from, "status"), NULL, 0, false};
    }
    sort_actions(&b);
    return b;
}

/* Theme row t as theme `at` of the new plan; records where its parts came from. */
static theme build_theme(plan_save *s, size_t t, size_t at, path_maps *map)
{
    request *rq = s->rq;
    const theme_row *tr = &s->rows->themes[t];
    const char *from = theme_path(rq, t);
    built_domain *b = arena_calloc(rq->arena, tr->domain_count + 1, sizeof *b);
    size_t n = 0;
    for (size_t d = 0; d < tr->domain_count; d++)
        if (tr->domains[d].kept)
            b[n++] = build_domain(s, t, d);
    sort_domains(b, n);
    theme th = {rows_saved_text(rq, from, "theme"), arena_calloc(rq->arena, n + 1, sizeof(action_domain)), n};
    rows_map_path(rq, map, theme_path(rq, at), from, NULL);
    for (size_t d = 0; d < n; d++) {
        th.domains[d] = b[d].dom;
        rows_map_path(rq, map, domain_path(rq, at, d), b[d].from, NULL);
        for (size_t k = 0; k < b[d].dom.action_count; k++)
            rows_map_path(rq, map, action_path(rq, at, d, k), b[d].action_from[k], NULL);
    }
    return th;
}

/* The new plan into ag from the posted rows; false (with problems in o)
 * when the form asks for something that cannot be: then nothing is built. */
static bool build_plan(request *rq, plan_rows *rows, agreement *ag, edit_outcome *o, path_maps *map)
{
    plan_save s = {rq, rows, rq->subject, o, NULL, 0};
    list_actions(&s);
    place_actions(&s);
    check_identities(&s);
    check_new_numbers(&s);
    check_removals(&s);
    if (o->problem_count)
        return false;
    ag->themes = arena_calloc(rq->arena, rows->theme_count + 1, sizeof *ag->themes);
    ag->theme_count = 0;
    for (size_t t = 0; t < rows->theme_count; t++)
        if (rows->themes[t].kept) {
            ag->themes[ag->theme_count] = build_theme(&s, t, ag->theme_count, map);
            ag->theme_count++;
        }
    return true;
}

static bool build_plan_rows(request *rq, void *rows, agreement *ag, edit_outcome *o, path_maps *map)
{
    return build_plan(rq, (plan_rows *)rows, ag, o, map);
}

void page_plan_edit(request *rq)
{
    plan_rows rows = stored_plan(rq, rq->subject);
    plan_form(rq, rq->subject, &rows, NULL, 0);
}

void page_plan_update(request *rq)
{
    plan_rows rows = posted_plan(rq);
    agreement ag = *rq->subject;
    if ((ag.version = edit_form_version(rq)) < 0)
        return;
    edit_outcome o = {0};
    int code = rows_save(rq, &ag, ACT_EDIT_PLAN, "actieplan", build_plan_rows, &rows, &o);
    if (code == EDIT_SAVED) {
        web_redirect(rq, rows_agreement_url(rq, ag.id, ""));
        return;
    }
    plan_form(rq, &ag, &rows, &o, code);
    rq->status = code;
}

