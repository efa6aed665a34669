/* page_plan.c: the action plan editor and the governance editor of an
 * agreement (GET …/plan/edit, POST …/plan, GET …/governance/edit, POST
 * …/governance). The dispatcher has checked the permission and loaded
 * rq->subject, the current version; every save goes through edit_save().
 *
 * Both forms work without JavaScript: one page shows every row, plus blank
 * rows to add one (an action per domain, a domain per theme, a theme; a
 * member per body, a body); blank rows left empty are ignored. Inputs are
 * named by their somon/1 path in the form as shown
 * ("action_plan[0].domains[1].actions[2].number"). A posted form is read
 * back into the same rows, so a refused save (also a stale one) shows
 * exactly what was typed. The rows are then turned into the new plan; as
 * moved, removed and blank rows make the paths of the new agreement differ
 * from the names in the form, the problems edit_save() reports are mapped
 * back to the rows they came from.
 *
 * Actions and bodies keep their identity through a hidden uid, so that
 * renumbering, moving or renaming keeps their history. An action is never
 * deleted (it is retired); a domain or theme goes only when no action is
 * left in it. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "formui.h"
#include "layout.h"
#include "pages.h"

/* ---- shared pieces ------------------------------------------------------------ */

static const char *text(const char *s) { return s ? s : ""; }

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

static const char *field(request *rq, const char *path, const char *key)
{
    return arena_printf(rq->arena, "%s.%s", path, key);
}

/* What the person posted in path.key ("" when absent). */
static const char *posted(request *rq, const char *path, const char *key)
{
    return form_value(rq, field(rq, path, key), NULL);
}

static bool ticked(request *rq, const char *path, const char *key)
{
    return web_form(rq, field(rq, path, key)) != NULL;
}

/* The trimmed text of path.key, NULL when blank: the value that is saved. */
static char *saved_text(request *rq, const char *path, const char *key)
{
    return (char *)form_read_text(rq, field(rq, path, key));
}

/* How many rows list[0], list[1], … the form posted (every row posts key). */
static size_t posted_rows(request *rq, const char *list, const char *key)
{
    size_t n = 0;
    while (n < FORM_MAX_FIELDS && web_form(rq, arena_printf(rq->arena, "%s[%zu].%s", list, n, key)))
        n++;
    return n;
}

static const char *agreement_url(request *rq, const char *id, const char *suffix)
{
    buf b = {0};
    buf_puts(&b, "/agreements/");
    buf_url(&b, id);
    buf_puts(&b, suffix);
    const char *url = arena_strdup(rq->arena, b.data);
    buf_free(&b);
    return url;
}

/* The version the form was loaded from; -1 (stale) when it is not one. */


/* A uid as the form carries it: digits only, positive. */
static bool parse_uid(const char *s, int64_t *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return false;
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    bool ok = !*end && !errno && n > 0;
    *out = ok ? n : 0; /* 0 matches no stored action or body */
    return ok;
}

static void problem(request *rq, edit_outcome *o, const char *path, const char *message)
{
    size_t cap = o->problem_count; /* grows every time: refusals are few */
    o->problems = arena_grow(rq->arena, o->problems, &cap, o->problem_count + 1, sizeof *o->problems);
    o->problems[o->problem_count++] = (somon1_problem){path, message};
}

static void hidden(request *rq, const char *name, const char *value)
{
    buf_fmt(&rq->body, "<input type=\"hidden\" name=\"%a\" value=\"%a\">\n", name, value);
}

static void checkbox(request *rq, const edit_outcome *o, const char *name, const char *label, bool checked)
{
    const char *id = form_field_id(rq, name), *error = o ? edit_problem_at(o, name) : NULL;
    buf *b = &rq->body;
    buf_fmt(b, "<p class=\"field check%s\"><input type=\"checkbox\" id=\"%a\" name=\"%a\" value=\"1\"%s",
            error ? " invalid" : "", id, name, checked ? " checked" : "");
    if (error)
        buf_fmt(b, " aria-invalid=\"true\" aria-describedby=\"%a-error\"", id);
    buf_fmt(b, "> <label for=\"%a\">%h</label>", id, label);
    if (error)
        buf_fmt(b, " <span class=\"error\" id=\"%a-error\">%h</span>", id, error);
    buf_puts(b, "</p>\n");
}

/* A whole number field. Text with a numeric keyboard rather than
 * type=number: a browser posts "" for a non-number in the latter, and the
 * person must get a message about what they typed, and keep it. */
static void number_field(request *rq, const edit_outcome *o, const char *name, const char *label, const char *value)
{
    const char *id = form_field_id(rq, name), *error = o ? edit_problem_at(o, name) : NULL;
    buf *b = &rq->body;
    buf_fmt(b, "<p class=\"field%s\"><label for=\"%a\">%h</label>", error ? " invalid" : "", id, label);
    if (error)
        buf_fmt(b, "<span class=\"error\" id=\"%a-error\">%h</span>", id, error);
    buf_fmt(b, "<input id=\"%a\" name=\"%a\" value=\"%a\" inputmode=\"numeric\" size=\"4\"", id, name, value);
    if (error)
        buf_fmt(b, " aria-invalid=\"true\" aria-describedby=\"%a-error\"", id);
    buf_puts(b, "></p>\n");
}

/* Problems about the form as a whole (path exactly `path`), where the
 * summary's link to "#f-<path>" lands. */
static void general_problems(request *rq, const edit_outcome *o, const char *path)
{
    bool open = false;
    for (size_t i = 0; o && i < o->problem_count; i++) {
        if (strcmp(o->problems[i].path, path) != 0)
            continue;
        if (!open)
            buf_fmt(&rq->body, "<div class=\"form-problems\" id=\"%a\">\n", form_field_id(rq, path));
        open = true;
        buf_fmt(&rq->body, "<p class=\"error\">%h</p>\n", o->problems[i].message);
    }
    if (open)
        buf_puts(&rq->body, "</div>\n");
}

static void form_heading(request *rq, const agreement *ag, const char *title, const char *intro)
{
    page_begin(rq, arena_printf(rq->arena, "%s: %s", title, ag->title), NAV_AGREEMENTS);
    buf_fmt(&rq->body, "<p class=\"crumbs\"><a href=\"%a\">%h</a></p>\n<h1>%h</h1>\n<p>%h</p>\n",
            agreement_url(rq, ag->id, ""), ag->title, title, intro);
}

/* ---- mapping problems back to the rows of the form -------------------------- */

typedef struct {
    const char *saved, *shown; /* a path in the saved agreement, and the row of the form it came from */
    const char *exact;         /* for a problem on the row itself: the field to show it beside, or NULL */
} path_map;

typedef struct {
    path_map *items;
    size_t count, cap;
} path_maps;

static void map_path(request *rq, path_maps *m, const char *saved, const char *shown, const char *exact)
{
    m->items = arena_grow(rq->arena, m->items, &m->cap, m->count + 1, sizeof *m->items);
    m->items[m->count++] = (path_map){saved, shown, exact};
}

/* path with its longest mapped prefix replaced by the row it came from. */
static const char *remapped(request *rq, const path_maps *m, const char *path)
{
    const path_map *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < m->count; i++) {
        size_t n = strlen(m->items[i].saved);
        char next = strncmp(path, m->items[i].saved, n) == 0 ? path[n] : 'x';
        if ((next == '\0' || next == '.' || next == '[') && n > best_len)
            best = &m->items[i], best_len = n;
    }
    if (!best)
        return path;
    const char *rest = path + best_len;
    return arena_printf(rq->arena, "%s%s", best->shown, !*rest && best->exact ? best->exact : rest);
}

static void remap_problems(request *rq, edit_outcome *o, const path_maps *m)
{
    for (size_t i = 0; i < o->problem_count; i++)
        o->problems[i].path = remapped(rq, m, o->problems[i].path);
}

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
    return blank(x->number) && blank(x->title) && blank(x->lead) && blank(x->status);
}

/* The rows of the stored plan, each domain and theme followed by a blank row. */
static domain_row stored_domain(request *rq, const action_domain *dom, size_t t, size_t d)
{
    domain_row r = {.number = text(dom->number), .title = text(dom->title)};
    r.actions = arena_calloc(rq->arena, dom->action_count + 1, sizeof *r.actions);
    for (size_t k = 0; k < dom->action_count; k++) {
        const action *x = &dom->actions[k];
        r.actions[k] = (action_row){.uid = arena_printf(rq->arena, "%lld", (long long)x->uid),
                                    .number = text(x->number),
                                    .title = text(x->title),
                                    .lead = text(x->lead),
                                    .status = text(x->status),
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
    theme_row r = {.title = text(th->title), .domain_count = th->domain_count + 1};
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
    const char *list = field(rq, path, "actions");
    r->action_count = posted_rows(rq, list, "number");
    r->actions = arena_calloc(rq->arena, r->action_count + 1, sizeof *r->actions);
    for (size_t k = 0; k < r->action_count; k++) {
        const char *p = arena_printf(rq->arena, "%s[%zu]", list, k);
        r->actions[k] = (action_row){.uid = posted(rq, p, "uid"),
                                     .number = posted(rq, p, "number"),
                                     .title = posted(rq, p, "title"),
                                     .lead = posted(rq, p, "lead"),
                                     .status = posted(rq, p, "status"),
                                     .domain = posted(rq, p, "domain")};
    }
}

static void posted_domains(request *rq, theme_row *r, const char *path)
{
    const char *list = field(rq, path, "domains");
    r->domain_count = posted_rows(rq, list, "number");
    r->domains = arena_calloc(rq->arena, r->domain_count + 1, sizeof *r->domains);
    for (size_t d = 0; d < r->domain_count; d++) {
        const char *p = arena_printf(rq->arena, "%s[%zu]", list, d);
        domain_row *dr = &r->domains[d];
        *dr = (domain_row){.number = posted(rq, p, "number"), .title = posted(rq, p, "title"),
                           .added = ticked(rq, p, "added"), .removed = ticked(rq, p, "remove")};
        posted_actions(rq, dr, p);
    }
}

static plan_rows posted_plan(request *rq)
{
    plan_rows p = {0};
    p.theme_count = posted_rows(rq, "action_plan", "theme");
    p.themes = arena_calloc(rq->arena, p.theme_count + 1, sizeof *p.themes);
    for (size_t t = 0; t < p.theme_count; t++) {
        const char *path = theme_path(rq, t);
        theme_row *r = &p.themes[t];
        *r = (theme_row){.title = posted(rq, path, "theme"), .added = ticked(rq, path, "added"),
                         .removed = ticked(rq, path, "remove")};
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
    bool added = blank(x->uid);
    if (added)
        buf_puts(&rq->body, "<fieldset class=\"plan-action\"><legend>Nieuwe actie <span class=\"hint\">(laat leeg "
                            "om geen actie toe te voegen)</span></legend>\n");
    else
        buf_fmt(&rq->body, "<fieldset class=\"plan-action\"><legend>Actie %h</legend>\n", x->number);
    if (!added)
        hidden(rq, field(rq, path, "uid"), x->uid);
    form_text(rq, v->o, field(rq, path, "number"), "Nummer", x->number, !added);
    form_text(rq, v->o, field(rq, path, "title"), "Titel", x->title, !added);
    form_select(rq, v->o, field(rq, path, "status"), "Status", ACTION_STATUS_OPTIONS,
                sizeof ACTION_STATUS_OPTIONS / sizeof *ACTION_STATUS_OPTIONS, x->status);
    form_text(rq, v->o, field(rq, path, "lead"), "Trekker", x->lead, false);
    if (!added)
        form_select(rq, v->o, field(rq, path, "domain"), "Actiedomein (kies een ander om de actie te verplaatsen)",
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
        hidden(rq, field(rq, path, "added"), "1");
    form_text(rq, v->o, field(rq, path, "number"), "Nummer van het actiedomein (bv. 2)", r->number, !r->added);
    form_text(rq, v->o, field(rq, path, "title"), "Titel van het actiedomein", r->title, !r->added);
    if (!r->added)
        checkbox(rq, v->o, field(rq, path, "remove"), "Actiedomein verwijderen (kan alleen zonder acties)", r->removed);
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
        hidden(rq, field(rq, path, "added"), "1");
    form_text(rq, v->o, field(rq, path, "theme"), "Titel van het thema (de centrale ambitie)", r->title, !r->added);
    if (!r->added)
        checkbox(rq, v->o, field(rq, path, "remove"), "Thema verwijderen (kan alleen zonder acties)", r->removed);
    for (size_t d = 0; d < r->domain_count; d++)
        domain_fields(v, &r->domains[d], t, d);
    buf_puts(&rq->body, "</section>\n");
}

static void plan_form(request *rq, const agreement *ag, const plan_rows *p, const edit_outcome *o, int code)
{
    form_heading(rq, ag, "Actieplan bewerken",
                 "Wijzig een nummer om te hernummeren; kies bij een actie een ander actiedomein om ze te verplaatsen. "
                 "Een actie wordt nooit verwijderd: geef ze de status stopgezet. Een actiedomein of thema kan weg "
                 "zolang er geen acties in staan. Lege nieuwe rijen worden genegeerd.");
    form_outcome(rq, o, code);
    form_begin(rq, agreement_url(rq, ag->id, "/plan"), ag->version);
    general_problems(rq, o, "action_plan");
    plan_view v = {rq, o, NULL, 0};
    v.domains = domain_options(rq, p, &v.domain_count);
    for (size_t t = 0; t < p->theme_count; t++)
        theme_fields(&v, &p->themes[t], t);
    form_end(rq, "Actieplan bewaren", agreement_url(rq, ag->id, ""));
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
        x->kept = !blank(x->uid) || !action_empty(x);
        if (!blank(x->uid) && !blank(x->domain) && !parse_target(s->rows, x->domain, &x->to_theme, &x->to_domain))
            problem(s->rq, s->o, field(s->rq, ref_path(s, r), "domain"), "kies een actiedomein uit de lijst");
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
        if (!blank(s->refs[i].row->uid) && s->refs[i].row->id == uid)
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
        if (blank(x->uid))
            continue;
        const char *at = field(rq, ref_path(s, &s->refs[i]), "number");
        if (!parse_uid(x->uid, &x->id) || !stored_action(s->stored, x->id, NULL))
            problem(rq, s->o, at, "deze actie hoort niet bij deze overeenkomst; open het formulier opnieuw");
        else if (posted_action(s, x->id) != &s->refs[i])
            problem(rq, s->o, at, "deze actie staat twee keer in het formulier; open het formulier opnieuw");
    }
    const agreement *ag = s->stored;
    for (size_t t = 0; t < ag->theme_count; t++)
        for (size_t d = 0; d < ag->themes[t].domain_count; d++)
            for (size_t k = 0; k < ag->themes[t].domains[d].action_count; k++) {
                const action *x = &ag->themes[t].domains[d].actions[k];
                if (!posted_action(s, x->uid))
                    problem(rq, s->o, "action_plan",
                            arena_printf(rq->arena, "actie %s (%s) ontbreekt: een actie wordt nooit verwijderd; "
                                                    "geef ze de status stopgezet",
                                         text(x->number), arena_clip(rq->arena, text(x->title), 60)));
            }
}

/* A new action with the number another action had until now would be given
 * that action's uid by the store (it finds uids by number), so two actions
 * would share one history: ask for the renumbering to be saved first. */
static void check_new_numbers(plan_save *s)
{
    for (size_t i = 0; i < s->ref_count; i++) {
        const action_row *x = s->refs[i].row;
        const char *path = ref_path(s, &s->refs[i]), *number = saved_text(s->rq, path, "number");
        const action *before = x->kept && blank(x->uid) && number ? stored_action(s->stored, 0, number) : NULL;
        const action_ref *now = before ? posted_action(s, before->uid) : NULL;
        const char *now_number = now ? saved_text(s->rq, ref_path(s, now), "number") : NULL;
        if (now && (!now_number || strcmp(now_number, number) != 0))
            problem(s->rq, s->o, field(s->rq, path, "number"),
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
            dr->kept = dr->landing || (dr->added ? !blank(dr->number) || !blank(dr->title) : !dr->removed);
            if (!dr->added && dr->removed && dr->landing)
                problem(s->rq, s->o, field(s->rq, path, "remove"),
                        "er staan nog acties in dit actiedomein; verplaats ze eerst naar een ander actiedomein");
            landing += dr->landing;
            new_domain = new_domain || (dr->added && dr->kept);
        }
        th->kept = landing || new_domain || (th->added ? !blank(th->title) : !th->removed);
        if (!th->added && th->removed && (landing || new_domain))
            problem(s->rq, s->o, field(s->rq, theme_path(s->rq, t), "remove"),
                    "er staan nog acties of een nieuw actiedomein in dit thema; verplaats ze eerst");
    }
}

/* Natural order of numbers ("2.9" before "2.10"), so the saved plan lists
 * actions and domains as numbered, also after renumbering or a move. */
static int number_order(const char *a, const char *b)
{
    a = text(a), b = text(b);
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
    b.dom = (action_domain){saved_text(rq, b.from, "number"), saved_text(rq, b.from, "title"), NULL, 0};
    b.dom.actions = arena_calloc(rq->arena, dr->landing + 1, sizeof *b.dom.actions);
    b.action_from = arena_calloc(rq->arena, dr->landing + 1, sizeof *b.action_from);
    for (size_t i = 0; i < s->ref_count; i++) {
        const action_row *x = s->refs[i].row;
        if (!x->kept || x->to_theme != t || x->to_domain != d)
            continue;
        const char *from = ref_path(s, &s->refs[i]);
        b.action_from[b.dom.action_count] = from;
        b.dom.actions[b.dom.action_count++] =
            (action){blank(x->uid) ? 0 : x->id, saved_text(rq, from, "number"), saved_text(rq, from, "title"),
                     saved_text(rq, from, "lead"), saved_text(rq, from, "status")};
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
    theme th = {saved_text(rq, from, "theme"), arena_calloc(rq->arena, n + 1, sizeof(action_domain)), n};
    map_path(rq, map, theme_path(rq, at), from, NULL);
    for (size_t d = 0; d < n; d++) {
        th.domains[d] = b[d].dom;
        map_path(rq, map, domain_path(rq, at, d), b[d].from, NULL);
        for (size_t k = 0; k < b[d].dom.action_count; k++)
            map_path(rq, map, action_path(rq, at, d, k), b[d].action_from[k], NULL);
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
    path_maps map = {0};
    int code;
    if (ag.version != rq->subject->version) /* stale: edit_save() says what changed in between */
        code = edit_save(rq, &ag, "actieplan", &o);
    else if (!build_plan(rq, &rows, &ag, &o, &map))
        code = EDIT_INVALID; /* own problems: already named by the rows of the form */
    else if ((code = edit_save(rq, &ag, "actieplan", &o)) == EDIT_INVALID)
        remap_problems(rq, &o, &map);
    if (code == EDIT_SAVED) {
        web_redirect(rq, agreement_url(rq, ag.id, ""));
        return;
    }
    plan_form(rq, &ag, &rows, &o, code);
    rq->status = code;
}

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

static bool member_empty(const member_row *m) { return blank(m->name) && blank(m->function) && blank(m->organisation); }

static bool body_empty(const body_row *r)
{
    for (size_t m = 0; m < r->member_count; m++)
        if (!member_empty(&r->members[m]))
            return false;
    return blank(r->body) && blank(r->convener) && blank(r->min_meetings) && blank(r->per_years);
}

static const char *count_text(request *rq, int n) { return n > 0 ? arena_printf(rq->arena, "%d", n) : ""; }

static body_row stored_body(request *rq, const governance_body *g)
{
    body_row r = {.uid = arena_printf(rq->arena, "%lld", (long long)g->uid),
                  .body = text(g->body),
                  .convener = text(g->convener),
                  .min_meetings = count_text(rq, g->min_meetings),
                  .per_years = count_text(rq, g->per_years),
                  .member_count = g->member_count + 1};
    r.members = arena_calloc(rq->arena, r.member_count, sizeof *r.members);
    for (size_t m = 0; m < g->member_count; m++)
        r.members[m] = (member_row){text(g->members[m].name), text(g->members[m].function),
                                   text(g->members[m].organisation), false, false};
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
    const char *list = field(rq, path, "members");
    r->member_count = posted_rows(rq, list, "name");
    r->members = arena_calloc(rq->arena, r->member_count + 1, sizeof *r->members);
    for (size_t m = 0; m < r->member_count; m++) {
        const char *p = arena_printf(rq->arena, "%s[%zu]", list, m);
        r->members[m] = (member_row){posted(rq, p, "name"), posted(rq, p, "function"), posted(rq, p, "organisation"),
                                     ticked(rq, p, "added"), ticked(rq, p, "remove")};
    }
}

static body_rows posted_bodies(request *rq)
{
    body_rows p = {0};
    p.body_count = posted_rows(rq, "governance", "body");
    p.bodies = arena_calloc(rq->arena, p.body_count + 1, sizeof *p.bodies);
    for (size_t b = 0; b < p.body_count; b++) {
        const char *path = body_path(rq, b);
        body_row *r = &p.bodies[b];
        *r = (body_row){.uid = posted(rq, path, "uid"),
                        .body = posted(rq, path, "body"),
                        .convener = posted(rq, path, "convener"),
                        .min_meetings = posted(rq, path, "min_meetings"),
                        .per_years = posted(rq, path, "per_years"),
                        .removed = ticked(rq, path, "remove")};
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
                blank(m->name) ? m->function : m->name);
    if (m->added)
        hidden(rq, field(rq, path, "added"), "1");
    form_text(rq, o, field(rq, path, "name"), "Naam", m->name, false);
    form_text(rq, o, field(rq, path, "function"), "Functie", m->function, false);
    form_text(rq, o, field(rq, path, "organisation"), "Organisatie", m->organisation, false);
    if (!m->added)
        checkbox(rq, o, field(rq, path, "remove"), "Lid verwijderen", m->removed);
    buf_puts(&rq->body, "</fieldset>\n");
}

static void frequency_fields(request *rq, const edit_outcome *o, const char *path, const body_row *r)
{
    buf_puts(&rq->body, "<fieldset class=\"frequency\"><legend>Vergadert minstens … keer per … jaar</legend>\n"
                        "<p class=\"hint\">Bv. 2 en 1: minstens 2 keer per jaar; 1 en 2: één keer om de twee jaar. "
                        "Laat beide leeg als dit niet vastligt.</p>\n");
    number_field(rq, o, field(rq, path, "min_meetings"), "Minstens (aantal keer)", r->min_meetings);
    number_field(rq, o, field(rq, path, "per_years"), "Per (aantal jaar)", r->per_years);
    buf_puts(&rq->body, "</fieldset>\n");
}

static void body_fields(request *rq, const edit_outcome *o, const body_row *r, size_t b)
{
    const char *path = body_path(rq, b), *hid = arena_printf(rq->arena, "%s-h", form_field_id(rq, path));
    bool added = blank(r->uid);
    buf_fmt(&rq->body, "<section class=\"body\" aria-labelledby=\"%a\">\n<h2 id=\"%a\">", hid, hid);
    if (added)
        buf_puts(&rq->body, "Nieuw overlegorgaan</h2>\n<p class=\"hint\">Laat leeg om geen orgaan toe te "
                            "voegen.</p>\n");
    else
        buf_fmt(&rq->body, "Overlegorgaan: %h</h2>\n", r->body);
    if (!added)
        hidden(rq, field(rq, path, "uid"), r->uid);
    form_text(rq, o, field(rq, path, "body"), "Naam van het overlegorgaan (bv. Stuurgroep)", r->body, !added);
    form_text(rq, o, field(rq, path, "convener"), "Roept samen (bv. VDAB of de gemeente)", r->convener, false);
    frequency_fields(rq, o, path, r);
    if (!added)
        checkbox(rq, o, field(rq, path, "remove"), "Overlegorgaan verwijderen (de geschiedenis blijft bewaard)",
                 r->removed);
    buf_fmt(&rq->body, "<h3>Leden van %h</h3>\n", added ? "het nieuwe orgaan" : r->body);
    for (size_t m = 0; m < r->member_count; m++)
        member_fields(rq, o, member_path(rq, b, m), &r->members[m]);
    buf_puts(&rq->body, "</section>\n");
}

static void governance_form(request *rq, const agreement *ag, const body_rows *p, const edit_outcome *o, int code)
{
    form_heading(rq, ag, "Overlegstructuur bewerken",
                 "De overlegorganen van de overeenkomst en hun leden. Een lid heeft een naam of een functie. Lege "
                 "nieuwe rijen worden genegeerd.");
    form_outcome(rq, o, code);
    form_begin(rq, agreement_url(rq, ag->id, "/governance"), ag->version);
    general_problems(rq, o, "governance");
    for (size_t b = 0; b < p->body_count; b++)
        body_fields(rq, o, &p->bodies[b], b);
    form_end(rq, "Overlegstructuur bewaren", agreement_url(rq, ag->id, ""));
    page_end(rq);
}

/* ---- governance: from rows to the new bodies -------------------------------------- */

/* A whole number from 1 to 1000 in path.key, 0 when blank; a problem on
 * the field otherwise. */
static int read_count(request *rq, edit_outcome *o, const char *path, const char *key)
{
    const char *name = field(rq, path, key), *v = form_read_text(rq, name);
    if (!v)
        return 0;
    size_t digits = strspn(v, "0123456789");
    long n = digits && !v[digits] && digits <= 4 ? strtol(v, NULL, 10) : -1;
    if (n >= 1 && n <= 1000)
        return (int)n;
    const char *shown = arena_clip(rq->arena, v, 20);
    problem(rq, o, name,
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
        if (!blank(p->bodies[b].uid) && p->bodies[b].id == uid) {
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
        const char *name = field(rq, body_path(rq, b), "body");
        if (blank(r->uid))
            continue;
        if (!parse_uid(r->uid, &r->id) || !stored_body_of(rq->subject, r->id, NULL))
            problem(rq, o, name, "dit overlegorgaan hoort niet bij deze overeenkomst; open het formulier opnieuw");
        else if (posted_body(p, r->id, &at) != r)
            problem(rq, o, name, "dit overlegorgaan staat twee keer in het formulier; open het formulier opnieuw");
    }
    for (size_t b = 0; b < rq->subject->body_count; b++)
        if (!posted_body(p, rq->subject->bodies[b].uid, &at))
            problem(rq, o, "governance",
                    arena_printf(rq->arena, "overlegorgaan '%s' ontbreekt in het formulier; open het formulier "
                                            "opnieuw (een orgaan verwijdert u met het vakje)",
                                 arena_clip(rq->arena, text(rq->subject->bodies[b].body), 60)));
}

static bool body_kept(const body_row *r) { return blank(r->uid) ? !body_empty(r) : !r->removed; }

/* A new body named as another body was until now would be given that
 * body's uid by the store (it finds uids by name): ask for the renaming to
 * be saved first. */
static void check_new_names(request *rq, const body_rows *p, edit_outcome *o)
{
    for (size_t b = 0; b < p->body_count; b++) {
        const char *path = body_path(rq, b), *name = saved_text(rq, path, "body");
        const governance_body *before =
            blank(p->bodies[b].uid) && body_kept(&p->bodies[b]) && name ? stored_body_of(rq->subject, 0, name) : NULL;
        size_t at;
        const body_row *now = before ? posted_body(p, before->uid, &at) : NULL;
        if (!now || !body_kept(now))
            continue; /* gone: the new body may take over its name (and history) */
        const char *now_name = saved_text(rq, body_path(rq, at), "body");
        if (!now_name || strcmp(now_name, name) != 0)
            problem(rq, o, field(rq, path, "body"),
                    "een ander overlegorgaan had tot nu toe deze naam; bewaar eerst de nieuwe naam daarvan en voeg "
                    "dit orgaan daarna toe");
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
        if (blank(mr->name) && blank(mr->function))
            problem(rq, o, field(rq, from, "name"), "geef een naam of een functie (of beide)");
        /* "give a name or a function" is said of the member: show it beside the name */
        map_path(rq, map, arena_printf(rq->arena, "governance[%zu].members[%zu]", at, g->member_count), from,
                 ".name");
        g->members[g->member_count++] = (body_member){saved_text(rq, from, "name"), saved_text(rq, from, "function"),
                                                      saved_text(rq, from, "organisation")};
    }
}

static governance_body build_body(request *rq, const body_row *r, size_t b, size_t at, edit_outcome *o,
                                  path_maps *map)
{
    const char *from = body_path(rq, b);
    governance_body g = {blank(r->uid) ? 0 : r->id, saved_text(rq, from, "body"), saved_text(rq, from, "convener"),
                         read_count(rq, o, from, "min_meetings"), read_count(rq, o, from, "per_years"), NULL, 0};
    /* "both or neither" is said of the body: show it beside the one left empty */
    map_path(rq, map, body_path(rq, at), from, blank(r->per_years) ? ".per_years" : ".min_meetings");
    build_members(rq, r, b, &g, at, o, map);
    return g;
}

static bool build_governance(request *rq, body_rows *p, agreement *ag, edit_outcome *o, path_maps *map)
{
    check_bodies(rq, p, o);
    check_new_names(rq, p, o);
    ag->bodies = arena_calloc(rq->arena, p->body_count + 1, sizeof *ag->bodies);
    ag->body_count = 0;
    for (size_t b = 0; b < p->body_count; b++)
        if (body_kept(&p->bodies[b])) {
            ag->bodies[ag->body_count] = build_body(rq, &p->bodies[b], b, ag->body_count, o, map);
            ag->body_count++;
        }
    return o->problem_count == 0;
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
    path_maps map = {0};
    int code;
    if (ag.version != rq->subject->version) /* stale: edit_save() says what changed in between */
        code = edit_save(rq, &ag, "overlegstructuur", &o);
    else if (!build_governance(rq, &rows, &ag, &o, &map))
        code = EDIT_INVALID; /* own problems: already named by the rows of the form */
    else if ((code = edit_save(rq, &ag, "overlegstructuur", &o)) == EDIT_INVALID)
        remap_problems(rq, &o, &map);
    if (code == EDIT_SAVED) {
        web_redirect(rq, agreement_url(rq, ag.id, ""));
        return;
    }
    governance_form(rq, &ag, &rows, &o, code);
    rq->status = code;
}
