/* rules_outreach.h: the outreach stage of a municipality on a date (SPEC §5,
 * issue 10: "Hoe kunnen gemeenten die nog nooit hebben samengewerkt met VDAB
 * worden overtuigd?"). Pure: no I/O, no globals, no allocation.
 *
 * The outreach log of a municipality is a list of dated entries, each with a
 * stage; several entries may share a day, and then their position (the
 * order they were recorded in, 0 first) tells them apart. The stage on day D
 * is that of the last entry on or before D: the latest day, and of that day
 * the highest position. Before the first entry there is no stage. */
#ifndef SOMON_RULES_OUTREACH_H
#define SOMON_RULES_OUTREACH_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

typedef enum {
    OUTREACH_NONE = -1, /* nothing recorded on or before the day */
    OUTREACH_NO_CONTACT,
    OUTREACH_EXPLORING,
    OUTREACH_NEGOTIATING,
    OUTREACH_DECLINED,
    OUTREACH_JOINED,
    OUTREACH_STAGE_COUNT
} outreach_stage;

/* "no_contact", "exploring", "negotiating", "declined", "joined" ("" for others) */
const char *outreach_stage_name(outreach_stage s);
/* "geen contact", "verkennend", "in onderhandeling", "afgewezen", "toegetreden" */
const char *outreach_stage_label_nl(outreach_stage s);
bool outreach_stage_parse(const char *name, outreach_stage *out);

typedef struct {
    date_t on;
    int position; /* among the entries of the same day, 0 first */
    outreach_stage stage;
} rules_outreach_entry;

/* The index of the entry that sets the stage on d (entries in any order),
 * or -1 when none lies on or before d. */
int rules_outreach_last(const rules_outreach_entry *entries, size_t n, date_t d);
/* The stage on d: that entry's, or OUTREACH_NONE. */
outreach_stage rules_outreach_stage(const rules_outreach_entry *entries, size_t n, date_t d);

#endif
