/* rules_alerts.c: see rules_alerts.h and docs/alerts.md. */
#include "rules_alerts.h"

#include <stdlib.h>
#include <string.h>

static const char *const NAMES[ALERT_KIND_COUNT] = {"ending", "late", "no_approval", "no_start", "behind",
                                                        "unevaluated", "members_unknown", "orphaned_evaluations",
                                                        "orphaned_meetings"};
static const char *const LABELS[ALERT_KIND_COUNT] = {
    "loopt af zonder opvolger", "in voorbereiding, verwachte start voorbij", "partij zonder goedkeuring van de raad",
    "ondertekend zonder begindatum", "overlegorgaan achter op zijn vergaderingen", "actie zonder evaluatie van vorig jaar", "leden onbekend",
    "evaluaties van een actie die niet meer in het actieplan staat", "vergaderingen van een vroeger overlegorgaan"};

const char *alert_kind_name(alert_kind k) { return k < ALERT_KIND_COUNT ? NAMES[k] : ""; }
const char *alert_kind_label_nl(alert_kind k) { return k < ALERT_KIND_COUNT ? LABELS[k] : ""; }

typedef struct {
    arena *a;
    alert *items;
    size_t count, cap;
} alert_list;

static void add(alert_list *l, alert x)
{
    l->items = arena_grow(l->a, l->items, &l->cap, l->count + 1, sizeof *l->items);
    l->items[l->count++] = x;
}

static rules_agreement lifecycle(const agreement *ag)
{
    return (rules_agreement){ag->status, ag->start, ag->end, ag->expected_start, ag->terminated_on, -1, NULL, 0};
}

static bool shares_municipality(const agreement *x, const agreement *y)
{
    for (size_t i = 0; i < x->party_count; i++)
        for (size_t k = 0; x->parties[i].municipality && k < y->party_count; k++)
            if (y->parties[k].municipality && strcmp(x->parties[i].municipality, y->parties[k].municipality) == 0)
                return true;
    return false;
}

static const agreement *by_id(const agreement *all, size_t n, const char *id)
{
    for (size_t i = 0; id && i < n; i++)
        if (all[i].id && strcmp(all[i].id, id) == 0)
            return &all[i];
    return NULL;
}

/* Whether o is one of the agreements ag follows up (its predecessor, that
 * one's predecessor, ...). At most n steps, so a loop in the data ends. */
static bool precedes(const agreement *all, size_t n, const agreement *o, const agreement *ag)
{
    const agreement *p = ag;
    for (size_t steps = 0; steps < n && (p = by_id(all, n, p->predecessor)) != NULL; steps++)
        if (p == o)
            return true;
    return false;
}

/* Another agreement follows ag: in the pipeline or signed (not terminated),
 * for one of its municipalities, and running on after ag's end; never one
 * that ag itself follows up (an old agreement whose end is unknown). */
static bool followed(const agreement *all, size_t n, const agreement *ag)
{
    for (size_t i = 0; i < n; i++) {
        const agreement *o = &all[i];
        if (o == ag || !(status_is_pipeline(o->status) || o->status == STATUS_SIGNED) || precedes(all, n, o, ag))
            continue;
        if ((o->end == DATE_NONE || o->end > ag->end) && shares_municipality(ag, o))
            return true;
    }
    return false;
}

static void ending(alert_list *l, const agreement *all, size_t n, date_t d)
{
    for (size_t i = 0; i < n; i++) {
        const agreement *ag = &all[i];
        rules_agreement ra = lifecycle(ag);
        /* end is the last day in force (SPEC §3: start <= D <= end) */
        if (ag->end == DATE_NONE || !rules_in_force(&ra, d) || ag->end - d > ALERT_ENDING_DAYS ||
            followed(all, n, ag))
            continue;
        add(l, (alert){ALERT_ENDING, ag->id, NULL, 0, ag->end, 0, 0, NULL});
    }
}

static void late(alert_list *l, const agreement *all, size_t n, date_t d)
{
    for (size_t i = 0; i < n; i++) {
        const agreement *ag = &all[i];
        if (!status_is_pipeline(ag->status) || ag->expected_start == DATE_NONE || ag->expected_start >= d)
            continue;
        for (size_t k = 0; k < ag->party_count; k++)
            if (ag->parties[k].municipality)
                add(l, (alert){ALERT_LATE, ag->id, ag->parties[k].municipality, k, ag->expected_start, 0, 0, NULL});
    }
}

static void no_approval(alert_list *l, const agreement *all, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; all[i].status == STATUS_SIGNED && k < all[i].party_count; k++)
            if (all[i].parties[k].municipality && all[i].parties[k].approved_on == DATE_NONE)
                add(l, (alert){ALERT_NO_APPROVAL, all[i].id, all[i].parties[k].municipality, k, DATE_NONE, 0, 0, NULL});
}

/* "A signed agreement without a start date is in force on no date, … and an
 *  alert asks for the date." Until its end has passed: an agreement that ran
 *  out is history, and a terminated one is no longer signed. */
static void no_start(alert_list *l, const agreement *all, size_t n, date_t d)
{
    for (size_t i = 0; i < n; i++)
        if (all[i].status == STATUS_SIGNED && all[i].start == DATE_NONE && (all[i].end == DATE_NONE || all[i].end >= d))
            add(l, (alert){ALERT_NO_START, all[i].id, NULL, 0, DATE_NONE, 0, 0, NULL});
}

/* "An association whose members the page does not name is an organisation
 * with its agreement and no municipality parties, and the alert says the
 * members are unknown" (issue 13): such an agreement covers no municipality.
 * One alert per organisation party but VDAB (a party to record its
 * signatories, without members), dated as no_start is: until its end has
 * passed, and not once terminated. */
static void members_unknown(alert_list *l, const agreement *all, size_t n, date_t d)
{
    for (size_t i = 0; i < n; i++) {
        const agreement *ag = &all[i];
        bool municipality = false;
        for (size_t k = 0; k < ag->party_count && !municipality; k++)
            municipality = ag->parties[k].municipality != NULL;
        if (municipality || ag->status == STATUS_TERMINATED || (ag->end != DATE_NONE && ag->end < d))
            continue;
        for (size_t k = 0; k < ag->party_count; k++) {
            const char *org = ag->parties[k].organisation;
            if (org && strcmp(org, "VDAB") != 0)
                add(l, (alert){ALERT_MEMBERS_UNKNOWN, ag->id, org, k, DATE_NONE, 0, 0, NULL});
        }
    }
}

/* In force on some day of [from, to). */
static bool in_force_during(const agreement *ag, date_t from, date_t to)
{
    rules_agreement ra = lifecycle(ag);
    if (ag->status != STATUS_SIGNED && ag->status != STATUS_TERMINATED)
        return false;
    /* the last day in force: the end, or the day before the termination */
    date_t first = ra.start, last = ra.end;
    if (ag->status == STATUS_TERMINATED && ag->terminated_on != DATE_NONE &&
        (last == DATE_NONE || ag->terminated_on - 1 < last))
        last = ag->terminated_on - 1;
    return first != DATE_NONE && first < to && (last == DATE_NONE || last >= from);
}

static bool evaluated(const alert_evaluation *evs, size_t nev, int64_t uid, int year)
{
    for (size_t i = 0; i < nev; i++)
        if (evs[i].action_uid == uid && evs[i].year == year)
            return true;
    return false;
}

static void unevaluated(alert_list *l, const agreement *all, size_t n, const alert_evaluation *evs, size_t nev,
                        date_t d)
{
    int y, m, day;
    date_to_ymd(d, &y, &m, &day);
    int last = y - 1;
    date_t from = date_from_ymd(last, 1, 1), to = date_from_ymd(y, 1, 1);
    for (size_t i = 0; i < n; i++) {
        const agreement *ag = &all[i];
        if (!in_force_during(ag, from, to))
            continue;
        for (size_t t = 0; t < ag->theme_count; t++)
            for (size_t k = 0; k < ag->themes[t].domain_count; k++)
                for (size_t j = 0; j < ag->themes[t].domains[k].action_count; j++) {
                    const action *x = &ag->themes[t].domains[k].actions[j];
                    if ((x->status && strcmp(x->status, "retired") == 0) || evaluated(evs, nev, x->uid, last))
                        continue;
                    add(l, (alert){ALERT_UNEVALUATED, ag->id, x->number, 0, DATE_NONE, last, 0, NULL});
                }
    }
}

static int by_kind_agreement(const void *pa, const void *pb)
{
    const alert *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int c = strcmp(a->agreement, b->agreement);
    if (c)
        return c;
    return strcmp(a->subject ? a->subject : "", b->subject ? b->subject : "");
}

long rules_alerts(arena *a, const agreement *agreements, size_t n, const alert_evaluation *evaluations, size_t nev,
                  const alert_body *behind, size_t nbehind, date_t d, alert **out)
{
    alert_list l = {a, NULL, 0, 0};
    ending(&l, agreements, n, d);
    late(&l, agreements, n, d);
    no_approval(&l, agreements, n);
    no_start(&l, agreements, n, d);
    for (size_t i = 0; i < nbehind; i++)
        add(&l, (alert){ALERT_BEHIND, behind[i].agreement, behind[i].body, 0, DATE_NONE, 0, 0, NULL});
    unevaluated(&l, agreements, n, evaluations, nev, d);
    members_unknown(&l, agreements, n, d);
    /* stable enough: equal keys only for the same subject, which is one alert */
    if (l.count > 1)
        qsort(l.items, l.count, sizeof *l.items, by_kind_agreement);
    *out = l.items;
    return (long)l.count;
}
