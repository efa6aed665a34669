/* rules_alerts.h: what needs someone's attention on a date (issue 5), part
 * of the domain rules: pure, no I/O, the caller passes what the register
 * holds. docs/alerts.md states each rule.
 *
 *   ending       an agreement in force on the date ends within 90 days and
 *                no other agreement (in the pipeline or signed) follows it
 *                for any of its municipalities
 *   late         a municipality is a party to a pipeline agreement whose
 *                expected start has passed
 *   no_approval  a municipality party of a signed agreement without the
 *                date of its council's approval
 *   no_start     a signed agreement without a start date: it counts on no
 *                date (SPEC §3) until someone fills it in
 *   behind       a governance body behind on its meetings (the caller
 *                decides with rules_compliance and passes the bodies)
 *   unevaluated  an action of an agreement that was in force during the
 *                previous year has no evaluation for that year
 *   members_unknown  an agreement whose parties name no municipality, only
 *                organisations (an association whose members the sources do
 *                not name): one per organisation party but VDAB, until the
 *                agreement's end has passed, never once terminated
 *
 * Alerts come out ordered by kind, then agreement, then subject. */
#ifndef SOMON_RULES_ALERTS_H
#define SOMON_RULES_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "model.h"

enum { ALERT_ENDING_DAYS = 90 };

/* The two orphaned kinds (issue 9) are not decided here: alerts.c finds, in
 * the store, evaluations (meetings) of an action (body) their agreement no
 * longer has, which no export carries, and appends them last. */
typedef enum {
    ALERT_ENDING,
    ALERT_LATE,
    ALERT_NO_APPROVAL,
    ALERT_NO_START,
    ALERT_BEHIND,
    ALERT_UNEVALUATED,
    ALERT_MEMBERS_UNKNOWN, /* issue 13 */
    ALERT_ORPHANED_EVALUATIONS,
    ALERT_ORPHANED_MEETINGS,
    ALERT_KIND_COUNT
} alert_kind;

const char *alert_kind_name(alert_kind k);     /* "ending" */
const char *alert_kind_label_nl(alert_kind k); /* "loopt af zonder opvolger" */

typedef struct {
    alert_kind kind;
    const char *agreement; /* id */
    const char *subject;   /* NIS code, action number, body name or organisation id; NULL for the agreement itself */
    size_t party;          /* ALERT_NO_APPROVAL, ALERT_MEMBERS_UNKNOWN: the party's index in the agreement */
    date_t due;            /* ending: the end; late: the expected start */
    int year;              /* unevaluated: the year without evaluation */
    size_t count;          /* orphaned_*: how many evaluations (meetings) no export carries */
    const char *name;      /* members_unknown: the organisation's name, when the caller knows it (alerts.c) */
} alert;

/* An evaluation as the rules need it: which action, which year. */
typedef struct {
    int64_t action_uid;
    int year;
} alert_evaluation;

/* A body the caller found behind on its meetings. */
typedef struct {
    const char *agreement, *body;
} alert_body;

/* Appends the alerts on day d to *out (grown in a). Returns how many, or -1
 * when memory runs out. */
long rules_alerts(arena *a, const agreement *agreements, size_t n, const alert_evaluation *evaluations, size_t nev,
                  const alert_body *behind, size_t nbehind, date_t d, alert **out);

#endif
