/* page_evaluations.c: following the action plans up (issue 5).
 *
 * GET  /agreements/{id}/evaluations/edit?year=  the yearly evaluation of
 *                                               every action (plan editors)
 * POST /agreements/{id}/evaluations             saves them as one change
 * GET  /agreements/{id}/plan                    the plan with the latest
 *                                               evaluation of each action,
 *                                               printable on A4, CSV/XLSX
 * GET  /actions                                 actions of every agreement,
 *                                               filtered by theme, domain,
 *                                               status, province and year
 *
 * An evaluation belongs to an action's stable uid; the form carries the
 * last change that wrote an evaluation of the agreement for the year, so a
 * save over someone else's newer evaluations is refused with theirs shown. */
#define _GNU_SOURCE /* strcasestr */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "formui.h"
#include "input.h"
#include "formrows.h"
#include "layout.h"
#include "pages.h"
#include "report.h"
#include "pager.h"
#include "register_all.h"
#include "store_evaluations.h"

enum { YEAR_MIN = 2000, YEAR_MAX = 2100, RESULT_MAX = LIMIT_PARAGRAPH, FIGURES_MAX = LIMIT_TITLE }; /* input.h */

/* ---- shared: actions in order, and their evaluations ---------------------------- */

typedef struct {
    const theme *th;
    const action_domain *dom;
    const action *x;
} plan_action;

static size_t list_actions(request *rq, const agreement *ag, plan_action **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    for (size_t t = 0; t < ag->theme_count; t++)
        for (size_t d = 0; d < ag->themes[t].domain_count; d++)
            for (size_t k = 0; k < ag->themes[t].domains[d].action_count; k++) {
                *out = arena_grow(rq->arena, *out, &cap, n + 1, sizeof **out);
                (*out)[n++] = (plan_action){&ag->themes[t], &ag->themes[t].domains[d],
                                            &ag->themes[t].domains[d].actions[k]};
            }
    return n;
}

/* The evaluation of uid in year (0: the latest of any year), or NULL. */
static const store_evaluation *evaluation_of(const store_evaluation *evs, size_t n, int64_t uid, int year)
{
    const store_evaluation *found = NULL;
    for (size_t i = 0; i < n; i++)
        if (evs[i].action_uid == uid && (year ? evs[i].year == year : !found || evs[i].year > found->year))
            found = &evs[i];
    return found;
}


static int this_year(void)
{
    int y, m, d;
    date_to_ymd(web_today(), &y, &m, &d);
    return y;
}

/* A year parameter; fallback when absent; -1 after answering 400. */
static int year_param(request *rq, const char *value, int fallback)
{
    if (!value || !*value)
        return fallback;
    char *end;
    long y = strtol(value, &end, 10);
    if (*end || y < YEAR_MIN || y > YEAR_MAX || !isdigit((unsigned char)value[0])) {
        web_error(rq, 400, "bad_year",
                  arena_printf(rq->arena, "De parameter year (\"%s\") is geen jaar; geef een jaar van %d tot %d.",
                               arena_clip(rq->arena, value, 40), YEAR_MIN, YEAR_MAX));
        return -1;
    }
    return (int)y;
}

/* The agreement of the route as known for the request, or NULL after 404/503. */
static agreement *route_agreement(request *rq)
{
    if (!web_view(rq))
        return NULL;
    agreement *ag = arena_calloc(rq->arena, 1, sizeof *ag);
    int found = store_get_agreement(rq->db, web_known(rq), web_route_param(rq, "id"), rq->arena, ag);
    if (found != 1) {
        web_error(rq, found < 0 ? 503 : 404, found < 0 ? "unavailable" : "not_found",
                  found < 0 ? "Het register kan nu niet gelezen worden." : "Er is geen overeenkomst met deze id.");
        return NULL;
    }
    return ag;
}

/* ---- the plan with its evaluations: page, CSV, XLSX ------------------------------ */

static const char *const PLAN_KEYS[] = {"theme", "domain_number", "domain", "action_number", "action", "lead",
                                        "evaluation_year", "evaluation_status", "evaluation_result",
                                        "evaluation_figures"};
static const char *const PLAN_LABELS[] = {"Thema", "Nr.", "Actiedomein", "Actie", "Titel", "Trekker",
                                          "Geëvalueerd", "Stand", "Resultaat", "Cijfers"};

static void plan_table(request *rq, const agreement *ag, const store_evaluation *evs, size_t nev, table *t)
{
    table_init(t, rq->arena, arena_printf(rq->arena, "Actieplan van %s", ag->id), PLAN_KEYS, PLAN_LABELS, 10);
    plan_action *acts;
    size_t n = list_actions(rq, ag, &acts);
    for (size_t i = 0; i < n; i++) {
        const store_evaluation *e = evaluation_of(evs, nev, acts[i].x->uid, 0);
        cell *c = table_row(t);
        c[0] = cell_text(acts[i].th->title);
        c[1] = cell_text(acts[i].dom->number);
        c[2] = cell_text(acts[i].dom->title);
        c[3] = cell_text(acts[i].x->number);
        c[4] = cell_text(acts[i].x->title);
        c[5] = cell_text(acts[i].x->lead);
        c[6] = e ? cell_int(e->year) : cell_text(NULL);
        c[7] = cell_text(e ? evaluation_status_label(e->status)
                           : acts[i].x->status && strcmp(acts[i].x->status, "retired") == 0 ? "stopgezet (actie)"
                                                                                               : "nog niet geëvalueerd");
        c[8] = cell_text(e ? e->result : NULL);
        c[9] = cell_text(e ? e->figures : NULL);
    }
}

void page_agreement_plan(request *rq)
{
    agreement *ag = route_agreement(rq);
    if (!ag)
        return;
    store_evaluation *evs;
    size_t nev;
    if (store_evaluations(rq->db, web_known(rq), ag->id, rq->arena, &evs, &nev)) {
        web_error(rq, 503, "unavailable", "De evaluaties kunnen nu niet gelezen worden.");
        return;
    }
    table t;
    plan_table(rq, ag, evs, nev, &t);
    if (web_table_download(rq, &t, arena_printf(rq->arena, "actieplan-%s", ag->id)))
        return;
    page_begin(rq, arena_printf(rq->arena, "Actieplan: %s", ag->title), NAV_AGREEMENTS);
    buf *b = &rq->body;
    buf_fmt(b, "<article class=\"print-plan\">\n<p class=\"crumbs\"><a href=\"/agreements/%U\">%h</a></p>\n"
               "<h1>Actieplan: %h</h1>\n<p class=\"id\">%h · VDAB-directie %h · per actie de laatste evaluatie</p>\n",
            ag->id, ag->title, ag->title, ag->id, province_name(ag->vdab_directorate));
    if (!t.rows)
        buf_puts(b, "<p>Er is geen actieplan geregistreerd.</p>\n");
    else {
        buf_puts(b, "<div class=\"scroll\">");
        table_html(&t, b);
        buf_puts(b, "</div>\n");
    }
    page_downloads(rq);
    buf_puts(b, "<p class=\"print-hint\">Deze pagina drukt af op A4 zonder menu's (gebruik Afdrukken in de "
                "browser).</p>\n</article>\n");
    page_end(rq);
}

/* ---- the evaluation form ------------------------------------------------------------ */

typedef struct {
    const char *status, *result, *figures;
} evaluation_input;

static const char *row_name(request *rq, size_t i, const char *key)
{
    return arena_printf(rq->arena, "actions[%zu].%s", i, key);
}

static void evaluation_form(request *rq, const agreement *ag, int year, int64_t stamp, const store_evaluation *evs,
                            size_t nev, const edit_outcome *o, int code)
{
    page_begin(rq, arena_printf(rq->arena, "Evaluatie %d: %s", year, ag->title), NAV_AGREEMENTS);
    buf *b = &rq->body;
    buf_fmt(b, "<p class=\"crumbs\"><a href=\"/agreements/%U\">%h</a></p>\n<h1>Evaluatie van het actieplan, %d</h1>\n",
            ag->id, ag->title, year);
    buf_fmt(b, "<form class=\"dates\" method=\"get\" action=\"/agreements/%U/evaluations/edit\"><p>"
               "<label for=\"year\">Jaar</label> <input id=\"year\" name=\"year\" value=\"%d\" inputmode=\"numeric\" "
               "size=\"6\"> <button type=\"submit\">Ander jaar</button></p></form>\n",
            ag->id, year);
    buf_puts(b, "<p>Per actie de stand op het einde van het jaar, zoals de stuurgroep ze evalueerde. Laat de stand "
                "leeg voor een actie die (nog) niet geëvalueerd is.</p>\n");
    form_outcome(rq, o, code);
    form_begin(rq, arena_printf(rq->arena, "/agreements/%s/evaluations", ag->id), stamp);
    buf_fmt(b, "<input type=\"hidden\" name=\"year\" value=\"%d\">\n", year);
    const char *last_by = NULL; /* who evaluated this year most recently */
    int64_t last_change = 0;
    for (size_t i = 0; i < nev; i++)
        if (evs[i].year == year && evs[i].evaluated_by && evs[i].recorded >= last_change) {
            last_by = evs[i].evaluated_by;
            last_change = evs[i].recorded;
        }
    form_text(rq, o, "evaluated_by", "Geëvalueerd door (bv. de stuurgroep van 12/03/2025)",
              form_value(rq, "evaluated_by", last_by), false);
    form_option status_options[EVALUATION_STATUS_COUNT + 1] = {{"", "– geen evaluatie"}};
    for (int s = 0; s < EVALUATION_STATUS_COUNT; s++)
        status_options[s + 1] = (form_option){EVALUATION_STATUSES[s], EVALUATION_STATUS_LABELS[s]};
    plan_action *acts;
    size_t n = list_actions(rq, ag, &acts);
    if (!n)
        buf_puts(b, "<p>Er is geen actieplan geregistreerd.</p>\n");
    for (size_t i = 0; i < n; i++) {
        const action *x = acts[i].x;
        const store_evaluation *e = evaluation_of(evs, nev, x->uid, year),
                               *before = evaluation_of(evs, nev, x->uid, year - 1);
        buf_fmt(b, "<fieldset class=\"evaluation\"><legend>Actie %h: %h</legend>\n", x->number, x->title);
        if (before)
            buf_fmt(b, "<p class=\"hint\">%d: %h%s%h</p>\n", before->year, evaluation_status_label(before->status),
                    before->result ? " – " : "", before->result ? before->result : "");
        buf_fmt(b, "<input type=\"hidden\" name=\"%a\" value=\"%lld\">\n", row_name(rq, i, "uid"), (long long)x->uid);
        form_select(rq, o, row_name(rq, i, "status"), "Stand", status_options, EVALUATION_STATUS_COUNT + 1,
                    form_value(rq, row_name(rq, i, "status"), e ? e->status : ""));
        form_textarea(rq, o, row_name(rq, i, "result"), "Resultaat", form_value(rq, row_name(rq, i, "result"),
                                                                                 e ? e->result : NULL),
                      "Kort: wat is bereikt, wat niet en waarom.");
        form_text(rq, o, row_name(rq, i, "figures"), "Cijfers (optioneel)",
                  form_value(rq, row_name(rq, i, "figures"), e ? e->figures : NULL), false);
        buf_puts(b, "</fieldset>\n");
    }
    form_end(rq, "Evaluaties bewaren", arena_printf(rq->arena, "/agreements/%s", ag->id));
    page_end(rq);
}

void page_evaluations_edit(request *rq)
{
    agreement *ag = rq->subject;
    int year = year_param(rq, web_param(rq, "year"), this_year() - 1);
    if (year < 0)
        return;
    store_evaluation *evs;
    size_t nev;
    int64_t stamp = store_evaluations_stamp(rq->db, ag->id, year);
    if (stamp < 0 || store_evaluations(rq->db, STORE_NOW, ag->id, rq->arena, &evs, &nev)) {
        web_error(rq, 503, "unavailable", "De evaluaties kunnen nu niet gelezen worden.");
        return;
    }
    evaluation_form(rq, ag, year, stamp, evs, nev, NULL, 0);
}

static void add_problem(request *rq, edit_outcome *o, size_t *cap, const char *path, const char *message)
{
    o->problems = arena_grow(rq->arena, o->problems, cap, o->problem_count + 1, sizeof *o->problems);
    o->problems[o->problem_count++] = (somon1_problem){(char *)path, (char *)message};
}

static bool is_action_of(const agreement *ag, int64_t uid)
{
    for (size_t t = 0; t < ag->theme_count; t++)
        for (size_t d = 0; d < ag->themes[t].domain_count; d++)
            for (size_t k = 0; k < ag->themes[t].domains[d].action_count; k++)
                if (ag->themes[t].domains[d].actions[k].uid == uid)
                    return true;
    return false;
}

static bool same(const char *a, const char *b) { return (!a && !b) || (a && b && strcmp(a, b) == 0); }

/* input.h's rule for the kind of text (the importer's, so that what is
 * saved here is exported and imported again): NULL when s keeps it. */
static const char *text_rule_broken(request *rq, const char *s, text_kind kind)
{
    if (!s)
        return NULL;
    text_verdict v = text_check(s, strlen(s), kind);
    return v.fault == TEXT_OK ? NULL : text_explain(rq->arena, &v, kind, true);
}

/* Reads the posted rows into evaluations; problems go beside their fields.
 * "Evaluated by" applies to the rows this save changes; a row left as it
 * was keeps who evaluated it. */
static size_t read_rows(request *rq, const agreement *ag, int year, const store_evaluation *current, size_t ncur,
                        store_evaluation **out, edit_outcome *o)
{
    size_t n = 0, cap = 0, pcap = 0;
    const char *by = form_read_text(rq, "evaluated_by"), *why;
    *out = NULL;
    if ((why = text_rule_broken(rq, by, TEXT_TITLE)))
        add_problem(rq, o, &pcap, "evaluated_by", why);
    for (size_t i = 0; web_form(rq, row_name(rq, i, "uid")); i++) {
        char *end;
        long long uid = strtoll(web_form(rq, row_name(rq, i, "uid")), &end, 10);
        if (*end || !is_action_of(ag, uid)) {
            add_problem(rq, o, &pcap, row_name(rq, i, "status"),
                        "hoort bij een actie die niet (meer) in dit actieplan staat; open het formulier opnieuw");
            continue;
        }
        bool twice = false; /* two rows of one action would write it twice in one change */
        for (size_t k = 0; k < n; k++)
            twice = twice || (*out)[k].action_uid == uid;
        if (twice) {
            add_problem(rq, o, &pcap, row_name(rq, i, "status"),
                        "deze actie staat twee keer in het formulier; open het formulier opnieuw");
            continue;
        }
        const char *status = form_read_text(rq, row_name(rq, i, "status")),
                   *result = form_read_text(rq, row_name(rq, i, "result")),
                   *figures = form_read_text(rq, row_name(rq, i, "figures"));
        if (status && !evaluation_status_valid(status))
            add_problem(rq, o, &pcap, row_name(rq, i, "status"), "kies een stand uit de lijst");
        else if (!status && (result || figures))
            add_problem(rq, o, &pcap, row_name(rq, i, "status"),
                        "kies een stand: een resultaat of cijfers horen bij een evaluatie");
        if ((why = text_rule_broken(rq, result, TEXT_PARAGRAPH)))
            add_problem(rq, o, &pcap, row_name(rq, i, "result"), why);
        if ((why = text_rule_broken(rq, figures, TEXT_TITLE)))
            add_problem(rq, o, &pcap, row_name(rq, i, "figures"), why);
        const store_evaluation *was = evaluation_of(current, ncur, uid, year);
        bool unchanged = was && same(was->status, status) && same(was->result, result) && same(was->figures, figures);
        *out = arena_grow(rq->arena, *out, &cap, n + 1, sizeof **out);
        (*out)[n++] = (store_evaluation){ag->id, uid, year, (char *)status, (char *)result, (char *)figures,
                                         unchanged ? was->evaluated_by : status ? (char *)by : NULL, 0, NULL, NULL};
    }
    return n;
}

/* Writes the rows as one change, but only if the evaluations of the year
 * are still those the form was loaded with (stamp `loaded`) and the person
 * may still edit this plan: both are decided inside the write transaction,
 * so of two saves of one version exactly one is written. Returns 0 (saved,
 * or nothing changed: nothing recorded), EDIT_STALE, 403 or EDIT_FAILED. */
static int write_rows(request *rq, const agreement *ag, int year, int64_t loaded, const store_evaluation *rows,
                      size_t n)
{
    int64_t change;
    if (store_begin(rq->db, rq->who->login, "edit", arena_printf(rq->arena, "evaluaties %d van %s", year, ag->id),
                    &change))
        return EDIT_FAILED;
    int64_t stamp = store_evaluations_stamp(rq->db, ag->id, year);
    int refused = stamp < 0                                  ? EDIT_FAILED
                  : !edit_still_permitted(rq, ACT_EDIT_PLAN) ? 403
                  : stamp != loaded                          ? EDIT_STALE
                                                             : 0;
    int count = 0;
    for (size_t i = 0; !refused && i < n; i++) {
        bool written;
        if (store_put_evaluation(rq->db, change, &rows[i], &written))
            refused = EDIT_FAILED;
        count += written;
    }
    if (refused || !count) { /* refused, or nothing changed: nothing recorded */
        store_rollback(rq->db);
        return refused;
    }
    return store_commit(rq->db) ? (store_rollback(rq->db), EDIT_FAILED) : 0;
}

void page_evaluations_update(request *rq)
{
    agreement *ag = rq->subject;
    int year = year_param(rq, web_form(rq, "year"), -1);
    if (year < 0) {
        if (rq->status < 400)
            web_error(rq, 400, "bad_form", "Het formulier mist het jaar; open het opnieuw.");
        return;
    }
    /* the form's version is the stamp it was loaded with (0: no evaluations yet) */
    const char *v = web_form(rq, "version");
    char *end;
    long long loaded = v && *v ? strtoll(v, &end, 10) : -1;
    if (!v || !*v || *end || loaded < 0) {
        web_error(rq, 400, "bad_form", "Het formulier mist de versie waarvan het vertrok; open het opnieuw.");
        return;
    }
    store_evaluation *rows, *current;
    size_t ncur;
    edit_outcome o = {0};
    /* read outside the write lock, for the answers that need no lock; the
     * stamp is compared again inside it (write_rows) */
    int64_t stamp = store_evaluations_stamp(rq->db, ag->id, year);
    if (stamp < 0 || store_evaluations(rq->db, STORE_NOW, ag->id, rq->arena, &current, &ncur)) {
        web_error(rq, 503, "unavailable", "De evaluaties kunnen nu niet gelezen worden.");
        return;
    }
    size_t n = read_rows(rq, ag, year, current, ncur, &rows, &o);
    int code = o.problem_count ? EDIT_INVALID : stamp != loaded ? EDIT_STALE : write_rows(rq, ag, year, loaded, rows, n);
    if (!code) {
        web_redirect(rq, rows_agreement_url(rq, ag->id, "/plan"));
        return;
    }
    if (code == 403) {
        web_error(rq, 403, "forbidden", "Uw account mag dit actieplan niet (meer) evalueren; er is niets gewijzigd.");
        return;
    }
    store_change who;
    if (code == EDIT_STALE && (stamp = store_evaluations_stamp(rq->db, ag->id, year)) > 0 &&
        store_change_get(rq->db, stamp, rq->arena, &who) == 1) {
        o.by = who.actor;
        o.at = who.moment;
        if (store_evaluations(rq->db, STORE_NOW, ag->id, rq->arena, &current, &ncur))
            ncur = 0;
    }
    /* the refused form: the person's input, and for a stale save what is stored now */
    evaluation_form(rq, ag, year, loaded, current, ncur, &o, code);
    rq->status = code;
}

/* ---- /actions: every action of every agreement ---------------------------------- */

static const char *const ACTION_KEYS[] = {"agreement", "province", "theme", "domain", "action_number", "action",
                                          "evaluation_year", "evaluation_status", "evaluation_result"};
static const char *const ACTION_LABELS[] = {"Overeenkomst", "Provincie", "Thema", "Actiedomein", "Actie", "Titel",
                                            "Jaar", "Stand", "Resultaat"};

typedef struct {
    const char *theme, *domain, *status;
    int province, year;
} action_filter;

static bool contains(const char *haystack, const char *needle)
{
    return !needle || !*needle || (haystack && strcasestr(haystack, needle));
}

static bool read_filter(request *rq, action_filter *f)
{
    f->theme = web_param(rq, "theme");
    f->domain = web_param(rq, "domain");
    f->status = web_param(rq, "status");
    if (!web_province_param(rq, &f->province))
        return false;
    if (f->status && *f->status && !evaluation_status_valid(f->status) && strcmp(f->status, "none") != 0) {
        web_error(rq, 400, "bad_status", "De parameter status moet not_started, ongoing, achieved, stalled, "
                                         "dropped of none (nog niet geëvalueerd) zijn.");
        return false;
    }
    f->year = year_param(rq, web_param(rq, "year"), 0);
    return f->year >= 0;
}

/* One row of /actions: an action of an agreement and the evaluation shown. */
typedef struct {
    const agreement *ag;
    plan_action act;
    const store_evaluation *e;
} action_row;

/* The actions of ag that pass the filter, appended to *rows. */
static void add_action_rows(request *rq, const register_all *all, const agreement *ag, const action_filter *f,
                            action_row **rows, size_t *n, size_t *cap)
{
    plan_action *acts;
    size_t na = list_actions(rq, ag, &acts), nev;
    const store_evaluation *evs = register_all_evaluations_of(all, ag->id, &nev);
    bool none = f->status && strcmp(f->status, "none") == 0;
    for (size_t i = 0; i < na; i++) {
        const store_evaluation *e = evaluation_of(evs, nev, acts[i].x->uid, f->year);
        if (!contains(acts[i].th->title, f->theme) ||
            !(contains(acts[i].dom->title, f->domain) || contains(acts[i].dom->number, f->domain)) ||
            (f->status && *f->status && (none ? e != NULL : !e || strcmp(e->status, f->status) != 0)))
            continue;
        *rows = arena_grow(rq->arena, *rows, cap, *n + 1, sizeof **rows);
        (*rows)[(*n)++] = (action_row){ag, acts[i], e};
    }
}

/* The table of rows[first .. end-1]. */
static void action_table(request *rq, const action_row *rows, size_t first, size_t end, table *t)
{
    table_init(t, rq->arena, "Acties van alle overeenkomsten", ACTION_KEYS, ACTION_LABELS, 9);
    for (size_t i = first; i < end; i++) {
        const action_row *r = &rows[i];
        cell *c = table_row(t);
        c[0] = cell_text(r->ag->id);
        c[1] = cell_text(province_name(r->ag->vdab_directorate));
        c[2] = cell_text(r->act.th->title);
        c[3] = cell_text(arena_printf(rq->arena, "%s %s", r->act.dom->number, r->act.dom->title));
        c[4] = cell_text(r->act.x->number);
        c[5] = cell_text(r->act.x->title);
        c[6] = r->e ? cell_int(r->e->year) : cell_text(NULL);
        c[7] = cell_text(r->e ? evaluation_status_label(r->e->status) : "nog niet geëvalueerd");
        c[8] = cell_text(r->e ? r->e->result : NULL);
    }
}

static void filter_form(request *rq, const action_filter *f)
{
    buf *b = &rq->body;
    buf_fmt(b, "<form class=\"filters\" method=\"get\" action=\"/actions\"><p>\n"
               "<label for=\"theme\">Thema bevat</label> <input id=\"theme\" name=\"theme\" value=\"%a\">\n"
               "<label for=\"domain\">Actiedomein bevat</label> <input id=\"domain\" name=\"domain\" value=\"%a\">\n"
               "<label for=\"province\">Provincie</label> <select id=\"province\" name=\"province\">"
               "<option value=\"\">alle</option>",
            f->theme ? f->theme : "", f->domain ? f->domain : "");
    for (int p = 0; p < PROVINCE_COUNT; p++)
        buf_fmt(b, "<option value=\"%a\"%s>%h</option>", province_name(p), f->province == p ? " selected" : "",
                province_name(p));
    buf_puts(b, "</select>\n<label for=\"status\">Stand</label> <select id=\"status\" name=\"status\">"
                "<option value=\"\">alle</option>");
    for (int s = 0; s < EVALUATION_STATUS_COUNT; s++)
        buf_fmt(b, "<option value=\"%a\"%s>%h</option>", EVALUATION_STATUSES[s],
                f->status && strcmp(f->status, EVALUATION_STATUSES[s]) == 0 ? " selected" : "",
                EVALUATION_STATUS_LABELS[s]);
    buf_fmt(b, "<option value=\"none\"%s>nog niet geëvalueerd</option></select>\n"
               "<label for=\"year\">Jaar</label> <input id=\"year\" name=\"year\" value=\"%a\" size=\"6\" "
               "inputmode=\"numeric\" placeholder=\"laatste\">\n",
            f->status && strcmp(f->status, "none") == 0 ? " selected" : "",
            f->year ? arena_printf(rq->arena, "%d", f->year) : "");
    page_hidden_known_at(rq);
    buf_puts(b, "<button type=\"submit\">Toon</button></p></form>\n");
}

void page_actions(request *rq)
{
    action_filter f;
    pager pg;
    if (!web_view(rq) || !read_filter(rq, &f) || !pager_read(rq, "page", &pg))
        return;
    const register_all *all = register_all_of(rq);
    if (!all)
        return;
    action_row *rows = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < all->agreement_count; i++)
        if (f.province < 0 || all->agreements[i].vdab_directorate == f.province)
            add_action_rows(rq, all, &all->agreements[i], &f, &rows, &n, &cap);
    table t;
    if (pager_download_asked(rq)) {
        if (web_table_begin(rq, "acties")) { /* each row written as it is made */
            action_table(rq, rows, 0, n, &t);
            web_table_end(rq, &t);
        }
        return;
    }
    pager_fit(&pg, n);
    action_table(rq, rows, pg.first, pg.end, &t);
    page_begin(rq, "Acties", NAV_FOLLOWUP);
    buf_fmt(&rq->body, "<h1>Acties van alle overeenkomsten</h1>\n<p>Per actie de evaluatie van het gekozen jaar, of "
                       "zonder jaar de laatste. %zu acties.</p>\n",
            n);
    filter_form(rq, &f);
    pager_status(rq, &pg);
    buf_puts(&rq->body, "<div class=\"scroll\">");
    table_html(&t, &rq->body);
    buf_puts(&rq->body, "</div>\n");
    pager_nav(rq, &pg, "/actions");
    page_downloads(rq);
    page_end(rq);
}
