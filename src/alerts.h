/* alerts.h: the alerts of a day, gathered from the register for the page
 * /alerts and the command `somon alerts` (the rules are rules_alerts.h).
 *
 * alerts_of takes, as known at a change, every agreement, every evaluation
 * and the governance bodies behind on their meetings (register_all.h), and
 * asks the rules. alerts_table turns the result into the table both show, with
 * the place to fix each alert. */
#ifndef SOMON_ALERTS_H
#define SOMON_ALERTS_H

#include "arena.h"
#include "report.h"
#include "rules_alerts.h"
#include "register_all.h"
#include "store.h"

/* Which agreements a caller wants the alerts of. */
typedef bool (*alert_keep)(const agreement *ag, const void *ctx);
/* The alerts of the agreements keep accepts (NULL: all), computed over the
 * whole register r (a follower outside them still counts); pointers to those
 * agreements (into r, sorted by id) in *kept when kept is not NULL. The
 * alerts of a day are computed once per version and shared (read-only: *out
 * may point into r's values). 0, or -1 when memory runs out. */
int alerts_of(const register_all *r, date_t d, alert_keep keep, const void *ctx, arena *a, const agreement ***kept,
              size_t *nkept, const alert **out, long *n);
/* Those of agreements of one VDAB directorate (province >= 0) or all. */
int alerts_for_province(const register_all *r, date_t d, int province, arena *a, const alert **out, long *n);
/* The same read from the register as known at a change (the command line):
 * 0, or -1 on a read error. */
int alerts_compute(store *s, int64_t known, date_t d, int province, arena *a, alert **out, long *n);
/* One row per alert: kind, agreement, subject, what, date, the path to fix it.
 * A municipality is named through v ("Kalmthout (11022)"), never by its
 * bare code; machine (the command line's CSV, with its keys) keeps the code
 * alone in subject. */
void alerts_table(arena *a, const register_view *v, const alert *al, long n, bool machine, table *t);
/* The page where an alert is fixed ("/agreements/SO-X/parties/2/edit"). */
const char *alert_fix_path(arena *a, const alert *x);
/* What following that link does, for its text ("goedkeuring invullen"). */
const char *alert_fix_label(const alert *x);


#endif
