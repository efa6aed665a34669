/* rules_outreach.c: see rules_outreach.h. */
#include "rules_outreach.h"

#include <string.h>

static const char *const NAMES[OUTREACH_STAGE_COUNT] = {"no_contact", "exploring", "negotiating", "declined", "joined"};
static const char *const LABELS[OUTREACH_STAGE_COUNT] = {"geen contact", "verkennend", "in onderhandeling", "afgewezen",
                                                         "toegetreden"};

const char *outreach_stage_name(outreach_stage s) { return (unsigned)s < OUTREACH_STAGE_COUNT ? NAMES[s] : ""; }

const char *outreach_stage_label_nl(outreach_stage s)
{
    return (unsigned)s < OUTREACH_STAGE_COUNT ? LABELS[s] : "nog niets geregistreerd";
}

bool outreach_stage_parse(const char *name, outreach_stage *out)
{
    for (int i = 0; name && i < OUTREACH_STAGE_COUNT; i++)
        if (strcmp(name, NAMES[i]) == 0) {
            *out = (outreach_stage)i;
            return true;
        }
    return false;
}

int rules_outreach_last(const rules_outreach_entry *entries, size_t n, date_t d)
{
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        const rules_outreach_entry *e = &entries[i];
        if (e->on == DATE_NONE || e->on > d)
            continue;
        if (best < 0 || e->on > entries[best].on || (e->on == entries[best].on && e->position > entries[best].position))
            best = (int)i;
    }
    return best;
}

outreach_stage rules_outreach_stage(const rules_outreach_entry *entries, size_t n, date_t d)
{
    int i = rules_outreach_last(entries, n, d);
    return i < 0 ? OUTREACH_NONE : entries[i].stage;
}
