/* alerts.c: see alerts.h. */
#include "alerts.h"

#include <string.h>

#include "rules_compliance.h"
#include "store_evaluations.h"


/* Is the body behind on its meetings on d (docs/compliance.md)? */
static bool body_behind(arena *a, const agreement *ag, const governance_body *g, const meeting *ms, size_t nm, date_t d)
{
    if (g->min_meetings < 1 || g->per_years < 1 || (ag->status != STATUS_SIGNED && ag->status != STATUS_TERMINATED))
        return false;
    date_t from = ag->start, to = ag->end;
    if (ag->status == STATUS_TERMINATED && ag->terminated_on != DATE_NONE &&
        (to == DATE_NONE || ag->terminated_on - 1 < to))
        to = ag->terminated_on - 1;
    date_t *held = arena_calloc(a, nm + 1, sizeof *held);
    size_t nh = 0;
    for (size_t i = 0; i < nm; i++)
        if (ms[i].body_uid == g->uid && ms[i].state == MEETING_HELD)
            held[nh++] = ms[i].held_on;
    size_t np = rules_compliance(from, to, g->min_meetings, g->per_years, held, nh, d, NULL, 0);
    compliance_period *p = arena_calloc(a, np + 1, sizeof *p);
    rules_compliance(from, to, g->min_meetings, g->per_years, held, nh, d, p, np);
    compliance_state st;
    return rules_compliance_overall(p, np, &st) && st == COMPLIANCE_BEHIND;
}

static size_t bodies_behind(arena *a, const agreement *ags, size_t nag, const meeting *ms, size_t nm, date_t d,
                            alert_body **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    for (size_t i = 0; i < nag; i++)
        for (size_t k = 0; k < ags[i].body_count; k++)
            if (body_behind(a, &ags[i], &ags[i].bodies[k], ms, nm, d)) {
                *out = arena_grow(a, *out, &cap, n + 1, sizeof **out);
                (*out)[n++] = (alert_body){ags[i].id, ags[i].bodies[k].body};
            }
    return n;
}

/* Evaluations (meetings) of actions (bodies) their agreement no longer
 * has: they are in no export until the action (body) is added again under
 * its last number (name). Their kinds come last, so appending keeps the
 * order (the store gives them by agreement and subject). */
static int add_orphans(store *s, int64_t known, arena *a, alert **out, long *n)
{
    store_orphan *o[2];
    size_t no[2];
    if (store_orphan_evaluations(s, known, NULL, a, &o[0], &no[0]) || store_orphan_meetings(s, known, NULL, a, &o[1], &no[1]))
        return -1;
    alert *all = arena_calloc(a, (size_t)*n + no[0] + no[1] + 1, sizeof *all);
    for (long i = 0; i < *n; i++)
        all[i] = (*out)[i];
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < no[k]; i++)
            all[(*n)++] = (alert){.kind = k ? ALERT_ORPHANED_MEETINGS : ALERT_ORPHANED_EVALUATIONS,
                                  .agreement = o[k][i].agreement, .subject = o[k][i].name, .due = DATE_NONE,
                                  .count = o[k][i].count};
    *out = all;
    return 0;
}

/* The index of agreement id among ags (sorted by id), or -1. */
static long agreement_index(const agreement *ags, size_t n, const char *id)
{
    size_t lo = 0, hi = n;
    while (id && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ags[mid].id, id);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int alerts_compute_for(store *s, int64_t known, date_t d, alert_keep keep, const void *ctx, arena *a,
                       agreement **kept, size_t *nkept, alert **out, long *n)
{
    agreement *ags;
    size_t nag, nev, nm;
    store_evaluation *evs;
    meeting *ms;
    if (store_get_agreements(s, known, a, &ags, &nag) || store_evaluations(s, known, NULL, a, &evs, &nev) ||
        store_get_meetings(s, known, NULL, a, &ms, &nm))
        return -1;
    alert_body *behind;
    size_t nbehind = bodies_behind(a, ags, nag, ms, nm, d, &behind);
    alert_evaluation *pairs = arena_calloc(a, nev + 1, sizeof *pairs);
    for (size_t i = 0; i < nev; i++)
        pairs[i] = (alert_evaluation){evs[i].action_uid, evs[i].year};
    *n = rules_alerts(a, ags, nag, pairs, nev, behind, nbehind, d, out);
    if (*n < 0 || add_orphans(s, known, a, out, n))
        return -1;
    /* kept after the rules: a follower the caller does not keep still counts */
    size_t k = 0;
    for (size_t i = 0; i < nag; i++)
        if (!keep || keep(&ags[i], ctx))
            ags[k++] = ags[i]; /* ags stays sorted by id */
    long m = 0;
    for (long i = 0; i < *n; i++) {
        long at = agreement_index(ags, k, (*out)[i].agreement);
        if (at >= 0)
            (*out)[m++] = (*out)[i];
    }
    *n = m;
    if (kept)
        *kept = ags, *nkept = k;
    return 0;
}

static bool of_province(const agreement *ag, const void *ctx) { return ag->vdab_directorate == *(const int *)ctx; }

int alerts_compute(store *s, int64_t known, date_t d, int province, arena *a, alert **out, long *n)
{
    return alerts_compute_for(s, known, d, province >= 0 ? of_province : NULL, &province, a, NULL, NULL, out, n);
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

void alerts_table(arena *a, const register_view *v, const alert *al, long n, table *t)
{
    table_init(t, a, "Signalen", KEYS, LABELS, 6);
    for (long i = 0; i < n; i++) {
        cell *c = table_row(t);
        c[0] = cell_text(alert_kind_label_nl(al[i].kind));
        c[1] = cell_text(al[i].agreement);
        c[2] = cell_text(al[i].subject);
        c[3] = cell_text(what(a, &al[i], subject_name(v, &al[i])));
        c[4] = cell_date(al[i].due);
        c[5] = cell_text(alert_fix_path(a, &al[i]));
    }
}
