/* alerts.c: see alerts.h. */
#include "alerts.h"

#include <string.h>

#include "rules_compliance.h"


/* Is the body behind on its meetings on d (docs/compliance.md)? Its held
 * meetings are its slice of the register's index (register_all.h). */
static bool body_behind(arena *a, const register_all *r, const agreement *ag, const governance_body *g, date_t d)
{
    if (g->min_meetings < 1 || g->per_years < 1 || (ag->status != STATUS_SIGNED && ag->status != STATUS_TERMINATED))
        return false;
    date_t from = ag->start, to = ag->end;
    if (ag->status == STATUS_TERMINATED && ag->terminated_on != DATE_NONE &&
        (to == DATE_NONE || ag->terminated_on - 1 < to))
        to = ag->terminated_on - 1;
    size_t nh;
    const compliance_held *held = register_all_held(r, g->uid, &nh);
    size_t np = rules_compliance_slice(from, to, g->min_meetings, g->per_years, held, nh, d, NULL, 0);
    compliance_period *p = arena_calloc(a, np + 1, sizeof *p);
    rules_compliance_slice(from, to, g->min_meetings, g->per_years, held, nh, d, p, np);
    compliance_state st;
    return rules_compliance_overall(p, np, &st) && st == COMPLIANCE_BEHIND;
}

static size_t bodies_behind(arena *a, const register_all *r, date_t d, alert_body **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    for (size_t i = 0; i < r->agreement_count; i++)
        for (size_t k = 0; k < r->agreements[i].body_count; k++)
            if (body_behind(a, r, &r->agreements[i], &r->agreements[i].bodies[k], d)) {
                *out = arena_grow(a, *out, &cap, n + 1, sizeof **out);
                (*out)[n++] = (alert_body){r->agreements[i].id, r->agreements[i].bodies[k].body};
            }
    return n;
}

/* Evaluations (meetings) of actions (bodies) their agreement no longer
 * has: they are in no export until the action (body) is added again under
 * its last number (name). Their kinds come last, so appending keeps the
 * order (the store gives them by agreement and subject). */
static void add_orphans(const register_all *r, arena *a, alert **out, long *n)
{
    alert *all = arena_calloc(a, (size_t)*n + r->orphan_count[0] + r->orphan_count[1] + 1, sizeof *all);
    for (long i = 0; i < *n; i++)
        all[i] = (*out)[i];
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < r->orphan_count[k]; i++) {
            const store_orphan *o = &r->orphans[k][i];
            all[(*n)++] = (alert){.kind = k ? ALERT_ORPHANED_MEETINGS : ALERT_ORPHANED_EVALUATIONS,
                                  .agreement = o->agreement, .subject = o->name, .due = DATE_NONE, .count = o->count};
        }
    *out = all;
}

/* The names of the organisations the alerts "leden onbekend" are about
 * (r->organisations, by id). */
static void name_organisations(const register_all *r, alert *al, long n)
{
    for (long i = 0; i < n; i++)
        for (size_t k = 0; al[i].kind == ALERT_MEMBERS_UNKNOWN && !al[i].name && k < r->organisation_count; k++)
            if (strcmp(r->organisations[k].id, al[i].subject) == 0)
                al[i].name = r->organisations[k].name;
}

typedef struct {
    alert *al;
    const agreement **of; /* the agreement of each alert (looked up once: pages filter on it) */
    long n;
} alert_list;

enum { ALERTS_OF_DAY = 0 }; /* register_all_by_day's kind */

/* Every alert of the register on day d, in a (NULL when memory runs out). */
static void *all_alerts(const register_all *r, date_t d, arena *a)
{
    alert_list *l = arena_calloc(a, 1, sizeof *l);
    alert_body *behind;
    size_t nbehind = bodies_behind(a, r, d, &behind);
    alert_evaluation *pairs = arena_calloc(a, r->evaluation_count + 1, sizeof *pairs);
    for (size_t i = 0; i < r->evaluation_count; i++)
        pairs[i] = (alert_evaluation){r->evaluations[i].action_uid, r->evaluations[i].year};
    l->n = rules_alerts(a, r->agreements, r->agreement_count, pairs, r->evaluation_count, behind, nbehind, d, &l->al);
    if (l->n < 0)
        return NULL;
    name_organisations(r, l->al, l->n);
    add_orphans(r, a, &l->al, &l->n);
    /* only those of an agreement known at r's change */
    l->of = arena_calloc(a, (size_t)l->n + 1, sizeof *l->of);
    long m = 0;
    for (long i = 0; i < l->n; i++)
        if ((l->of[m] = register_all_agreement(r, l->al[i].agreement)))
            l->al[m++] = l->al[i];
    l->n = m;
    return l;
}

int alerts_of(const register_all *r, date_t d, alert_keep keep, const void *ctx, arena *a, const agreement ***kept,
              size_t *nkept, const alert **out, long *n)
{
    /* the alerts of a day are worked out once per version and shared */
    const alert_list *l = register_all_by_day(r, ALERTS_OF_DAY, d, all_alerts, a);
    if (!l)
        return -1;
    *out = l->al;
    *n = l->n;
    if (keep) { /* kept after the rules: a follower the caller does not keep still counts */
        alert *mine = arena_calloc(a, (size_t)l->n + 1, sizeof *mine);
        long m = 0;
        for (long i = 0; i < l->n; i++)
            if (keep(l->of[i], ctx))
                mine[m++] = l->al[i];
        *out = mine;
        *n = m;
    }
    if (kept) {
        *nkept = 0;
        *kept = arena_calloc(a, r->agreement_count + 1, sizeof **kept);
        for (size_t i = 0; i < r->agreement_count; i++)
            if (!keep || keep(&r->agreements[i], ctx))
                (*kept)[(*nkept)++] = &r->agreements[i];
    }
    return 0;
}

static bool of_province(const agreement *ag, const void *ctx) { return ag->vdab_directorate == *(const int *)ctx; }

int alerts_for_province(const register_all *r, date_t d, int province, arena *a, const alert **out, long *n)
{
    return alerts_of(r, d, province >= 0 ? of_province : NULL, &province, a, NULL, NULL, out, n);
}

int alerts_compute(store *s, int64_t known, date_t d, int province, arena *a, alert **out, long *n)
{
    register_all r;
    const alert *al;
    if (register_all_load(s, known, a, &r) || alerts_for_province(&r, d, province, a, &al, n))
        return -1;
    *out = (alert *)al; /* r keeps no shared values: al lies in a, the caller's */
    return 0;
}

const char *alert_fix_path(arena *a, const alert *x)
{
    switch (x->kind) {
    case ALERT_ENDING:
        return arena_printf(a, "/agreements/new");
    case ALERT_LATE:
        return arena_printf(a, "/agreements/%s/edit", x->agreement);
    case ALERT_NO_APPROVAL:
        return arena_printf(a, "/agreements/%s/parties/%zu/edit", x->agreement, x->party);
    case ALERT_NO_START:
        return arena_printf(a, "/agreements/%s/edit", x->agreement);
    case ALERT_BEHIND:
        return arena_printf(a, "/agreements/%s#gov-h", x->agreement);
    case ALERT_UNEVALUATED:
        return arena_printf(a, "/agreements/%s/evaluations/edit?year=%d", x->agreement, x->year);
    case ALERT_MEMBERS_UNKNOWN:
        return arena_printf(a, "/agreements/%s/parties/add", x->agreement);
    case ALERT_ORPHANED_EVALUATIONS:
        return arena_printf(a, "/agreements/%s/plan/edit", x->agreement);
    case ALERT_ORPHANED_MEETINGS:
        return arena_printf(a, "/agreements/%s/governance/edit", x->agreement);
    case ALERT_KIND_COUNT:
        break;
    }
    return arena_printf(a, "/agreements/%s", x->agreement);
}

const char *alert_fix_label(const alert *x)
{
    switch (x->kind) {
    case ALERT_ENDING: return "opvolger voorbereiden";
    case ALERT_LATE: return "verwachte start bijwerken";
    case ALERT_NO_APPROVAL: return "goedkeuring invullen";
    case ALERT_NO_START: return "begindatum invullen";
    case ALERT_BEHIND: return "vergaderingen bekijken";
    case ALERT_UNEVALUATED: return "evaluaties invullen";
    case ALERT_MEMBERS_UNKNOWN: return "gemeenten als partij invoeren";
    case ALERT_ORPHANED_EVALUATIONS: return "actieplan aanvullen";
    case ALERT_ORPHANED_MEETINGS: return "overlegorganen aanvullen";
    case ALERT_KIND_COUNT: break;
    }
    return "bekijken";
}

static bool about_municipality(const alert *x) { return x->kind == ALERT_LATE || x->kind == ALERT_NO_APPROVAL; }

/* "Kalmthout": the subject of a municipality's alert as people read it (the
 * column `subject` keeps the NIS code, the key a spreadsheet sorts on). */
static const char *subject_name(const register_view *v, const alert *x)
{
    const char *name = about_municipality(x) && v ? view_municipality_name(v, x->subject) : NULL;
    return name ? name : x->subject;
}

static const char *what(arena *a, const alert *x, const char *name)
{
    char nl[DATE_NL_LEN];
    switch (x->kind) {
    case ALERT_ENDING:
        return arena_printf(a, "loopt af op %s; geen overeenkomst in voorbereiding volgt op", date_format_nl(x->due, nl));
    case ALERT_LATE:
        return arena_printf(a, "%s: verwachte start %s is voorbij", name, date_format_nl(x->due, nl));
    case ALERT_NO_APPROVAL:
        return arena_printf(a, "%s: geen datum van goedkeuring door de gemeenteraad", name);
    case ALERT_NO_START:
        return "ondertekend maar de begindatum ontbreekt; vul de begindatum in";
    case ALERT_BEHIND:
        return arena_printf(a, "%s vergaderde minder dan afgesproken", x->subject);
    case ALERT_UNEVALUATED:
        return arena_printf(a, "actie %s: geen evaluatie voor %d", x->subject, x->year);
    case ALERT_MEMBERS_UNKNOWN:
        return arena_printf(a, "De gemeenten van %s zijn niet bekend: de overeenkomst dekt geen gemeente tot ze als "
                               "partij zijn ingevoerd.", x->name ? x->name : x->subject);
    case ALERT_ORPHANED_EVALUATIONS:
        return x->subject ? arena_printf(a, "%zu %s van actie %s, die niet meer in het actieplan staat, zit%s in geen "
                                            "export; voeg actie %s opnieuw toe aan het actieplan (status stopgezet als "
                                            "ze afliep) om ze te bewaren",
                                         x->count, x->count == 1 ? "evaluatie" : "evaluaties", x->subject,
                                         x->count == 1 ? "" : "ten", x->subject)
                          : arena_printf(a, "%zu %s van een onbekende actie zit%s in geen export", x->count,
                                         x->count == 1 ? "evaluatie" : "evaluaties", x->count == 1 ? "" : "ten");
    case ALERT_ORPHANED_MEETINGS:
        return x->subject ? arena_printf(a, "%zu %s van een vroeger overlegorgaan (%s) zit%s in geen export; voeg "
                                            "'%s' opnieuw toe als overlegorgaan om ze te bewaren",
                                         x->count, x->count == 1 ? "vergadering" : "vergaderingen", x->subject,
                                         x->count == 1 ? "" : "ten", x->subject)
                          : arena_printf(a, "%zu %s van een onbekend overlegorgaan zit%s in geen export", x->count,
                                         x->count == 1 ? "vergadering" : "vergaderingen", x->count == 1 ? "" : "ten");
    case ALERT_KIND_COUNT:
        break;
    }
    return "";
}

static const char *const KEYS[] = {"kind", "agreement", "subject", "what", "date", "fix"};
static const char *const LABELS[] = {"Soort", "Overeenkomst", "Betreft", "Wat", "Datum", "Oplossen op"};

/* What an alert is about, for people: a municipality by its name and code
 * ("Kalmthout (11022)"); a machine gets the code alone. */
static const char *subject_label(arena *a, const register_view *v, const alert *x, bool machine)
{
    const char *name = subject_name(v, x);
    return machine || name == x->subject ? x->subject : arena_printf(a, "%s (%s)", name, x->subject);
}

void alerts_table(arena *a, const register_view *v, const alert *al, long n, bool machine, table *t)
{
    table_init(t, a, "Signalen", KEYS, LABELS, 6);
    for (long i = 0; i < n; i++) {
        cell *c = table_row(t);
        c[0] = cell_text(alert_kind_label_nl(al[i].kind));
        c[1] = cell_text(al[i].agreement);
        c[2] = cell_text(subject_label(a, v, &al[i], machine));
        c[3] = cell_text(what(a, &al[i], subject_name(v, &al[i])));
        c[4] = cell_date(al[i].due);
        c[5] = cell_text(alert_fix_path(a, &al[i]));
    }
}
