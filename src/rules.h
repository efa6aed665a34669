/* rules.h: the domain rules of SPEC §3, in one place and without I/O.
 *
 * Lifecycle (is an agreement in force, in the pipeline), party intervals,
 * coverage of municipalities and regiegebieden on a date, the prognosis, the
 * merger rule (through the 2019 and the 2025 mergers) and the rounding of
 * percentages. The store fills plain arrays (rules_map, rules_agreement,
 * rules_region); everything here reads
 * them and computes. Municipalities are identified by integer codes that the
 * caller assigns to NIS codes; a code that names two territories (11002
 * Antwerpen before and after it absorbed Borsbeek) has two identities.
 * Functions that allocate say so; rules_coverage_free() releases a result. */
#ifndef SOMON_RULES_H
#define SOMON_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

/* The five provinces in the order of the parliamentary table; the total row
 * (Vlaanderen) has index PROVINCE_COUNT. */
enum { PROVINCE_WVL, PROVINCE_OVL, PROVINCE_ANT, PROVINCE_VBR, PROVINCE_LIM, PROVINCE_COUNT };
#define ROW_FLANDERS PROVINCE_COUNT
#define PROVINCE_ROWS (PROVINCE_COUNT + 1)

const char *province_name(int province); /* "Vlaanderen" for ROW_FLANDERS */
const char *province_nis(int province);
int province_parse(const char *name); /* -1 when not one of the five */
/* The same, in any case ("oost-vlaanderen"): what people type on the command line (SPEC §6). */
int province_parse_any_case(const char *name);

typedef enum {
    STATUS_DRAFT,
    STATUS_NEGOTIATING,
    STATUS_AGREED_IN_PRINCIPLE,
    STATUS_AWAITING_APPROVAL,
    STATUS_SIGNED,
    STATUS_TERMINATED,
    STATUS_COUNT
} agreement_status;

const char *status_name(agreement_status s);     /* "signed" */
const char *status_label_nl(agreement_status s); /* "ondertekend" */
bool status_parse(const char *name, agreement_status *out);
bool status_is_pipeline(agreement_status s);

/* One municipality identity: a NIS code with the territory it had from
 * valid_from to valid_to (DATE_NONE: still valid). */
typedef struct {
    int code;
    int province;
    date_t valid_from, valid_to;
    int first_pred, pred_count; /* its predecessors in rules_map.preds */
} rules_municipality;

typedef struct {
    rules_municipality *items; /* sorted by code, then valid_from */
    size_t count;
    int *code_first; /* per code: index of its first identity, or -1 */
    int *code_count;
    size_t code_total;
    int *preds; /* identity indices, grouped per successor */
    size_t pred_total;
    /* building state */
    struct rules_merger *mergers;
    size_t merger_count, merger_cap, item_cap;
} rules_map;

/* Building a map: add every identity and every merger, then finish. Codes are
 * 0 .. code_total-1. The map owns what it allocates; rules_map_free releases. */
void rules_map_init(rules_map *m, size_t code_total);
int rules_map_add(rules_map *m, int code, int province, date_t valid_from, date_t valid_to);
int rules_map_merger(rules_map *m, int old_code, int new_code, date_t effective);
/* Sorts, indexes and links predecessors. Returns 0, or -1 when two identities
 * of one code overlap or memory runs out. Mergers whose old or new identity
 * is not in the map (a reference folder that starts after the merger) are
 * ignored. */
int rules_map_finish(rules_map *m);
void rules_map_free(rules_map *m);

/* The identity of code on day d, or -1 when the code did not exist then. */
int rules_identity_on(const rules_map *m, int code, date_t d);
/* Whether code existed on any day. */
bool rules_code_exists(const rules_map *m, int code);

typedef struct {
    int code; /* municipality code, or -1 for an organisation party */
    date_t from, until, expected_from;
    date_t approved_on; /* the council's approval; DATE_NONE: not in the register */
} rules_party;

typedef struct {
    agreement_status status;
    date_t start, end, expected_start, terminated_on; /* end DATE_NONE: open */
    int region;                                        /* index into the regions, or -1 */
    const rules_party *parties;
    int party_count;
} rules_agreement;

typedef struct {
    int province;
    date_t from, until; /* DATE_NONE: open */
} rules_region;

/* Coverage counts what is in force; the prognosis adds the pipeline. */
typedef enum { BASIS_ACTUAL, BASIS_PROGNOSIS } rules_basis;

bool rules_in_force(const rules_agreement *a, date_t d);
bool rules_in_pipeline(const rules_agreement *a, date_t p);
bool rules_party_is_planned(const rules_party *p);

/* The interval [from, to] in which a party covers on the given basis (SPEC §3;
 * to DATE_NONE = open). False when the party covers nothing on that basis: an
 * organisation, a planned party on the actual basis, an agreement without the
 * start that the basis needs, or an empty interval. */
bool rules_party_interval(const rules_agreement *a, const rules_party *p, rules_basis basis,
                          date_t *from, date_t *to);
/* Whether party p covers on day d on the basis: the agreement qualifies on d
 * and the party's interval holds d. Sets the identity it names (or -1). */
bool rules_party_covers(const rules_map *m, const rules_agreement *a, const rules_party *p,
                        rules_basis basis, date_t d, int *identity);
/* The last day of a party's interval: min(agreement end, party until, the
 * day before terminated_on); DATE_NONE when open. */
date_t rules_party_last_day(const rules_agreement *a, const rules_party *p);
/* The days nearest to d on which a municipality party covers (actual basis):
 * the last one before d and the first one after it (DATE_NONE: none). When
 * nothing is in force on d, the overview points to them. */
void rules_coverage_neighbours(const rules_agreement *a, size_t n, date_t d, date_t *last_before, date_t *first_after);
/* Whether the council's approval, not the agreement's start or the party's
 * from, sets the first day of the party's interval on that basis: the party
 * is "gebonden vanaf goedkeuring". */
bool rules_party_bound_by_approval(const rules_agreement *a, const rules_party *p, rules_basis basis);

/* The council decisions of a party (SPEC §5, 2026-12) set its approved_on:
 * the day of the latest decision that approves (on[i] with approves[i]);
 * DATE_NONE when none approves. A later refusal does not undo an earlier
 * approval's day: the party is bound from the approval it has. */
date_t rules_latest_approval(const date_t *on, const bool *approves, size_t n);

/* A signed agreement without a start date is in force on no date, but is
 * still named under its municipalities (SPEC §3). Whether party p of such an
 * agreement is named on day d: the agreement is signed (or terminated with
 * terminated_on after d) and has no start, p is a municipality party that is
 * not planned, and d lies in what is known of its interval: not before its
 * from or approved_on, not after the agreement's end, its until or the day
 * before terminated_on. Sets the identity it names: the code as it was on
 * max(from, approved_on) when one is known, else the code's latest identity
 * begun on or before d (or -1). */
bool rules_party_unstarted(const rules_map *m, const rules_agreement *a, const rules_party *p, date_t d,
                           int *identity);

typedef enum { COVER_NONE, COVER_PARTIAL, COVER_FULL } cover_state;

typedef struct {
    int covered, partial, total;
} rules_count;

/* One party that covers an identity on the date. */
typedef struct {
    int identity;
    int agreement, party;
    date_t from, to;
} rules_link;

typedef struct {
    date_t date;
    rules_basis basis;
    unsigned char *state;          /* [map count]: cover_state, for identities valid on date */
    unsigned char *region_covered; /* [region count]: 1 covered, 0 not (or not existing on date) */
    rules_count municipalities[PROVINCE_ROWS];
    rules_count regions[PROVINCE_ROWS];
    rules_link *links; /* sorted by identity */
    size_t link_count;
} rules_coverage;

/* Evaluates coverage (or the prognosis) on day d. Allocates the arrays of out;
 * returns 0, or -1 when memory runs out (out is then empty). The links are
 * only collected with RULES_LINKS (the annex needs them, the counts do not). */
enum { RULES_COUNTS = 0, RULES_LINKS = 1 };
int rules_coverage_eval(rules_coverage *out, const rules_map *m, const rules_agreement *agreements,
                        size_t agreement_count, const rules_region *regions, size_t region_count,
                        date_t d, rules_basis basis, int flags);
void rules_coverage_free(rules_coverage *c);
/* The days on which rules_party_covers(m, a, p, basis, d, …) holds are one
 * interval: sets [*first, *last] (*last DATE_NONE: no end) and the identity
 * the party covers; false when there is no such day. */
bool rules_party_cover_span(const rules_map *m, const rules_agreement *a, const rules_party *p, rules_basis basis,
                            date_t *first, date_t *last, int *identity);
/* The municipality counts per province of rules_coverage_eval(…, BASIS_ACTUAL,
 * RULES_COUNTS) on each of days[0..k) (ascending), in one sweep over the
 * parties' cover spans rather than one evaluation per day (the overview's
 * monthly chart). out has room for k rows. Returns 0, or -1 when memory runs
 * out. */
int rules_coverage_series(const rules_map *m, const rules_agreement *agreements, size_t n, const date_t *days,
                          size_t k, rules_count (*out)[PROVINCE_ROWS]);
/* The links of one identity: sets *first and returns how many. */
size_t rules_links_of(const rules_coverage *c, int identity, const rules_link **first);
/* The run of key in items (n of them, each of `size` bytes, sorted by an int
 * key at its start): its first index in *first, its length (a binary search;
 * what rules_links_of uses). */
size_t rules_int_run(const void *items, size_t n, size_t size, int key, size_t *first);
bool rules_municipality_valid_on(const rules_municipality *mu, date_t d);
bool rules_region_exists_on(const rules_region *r, date_t d);

/* The municipalities "in the pipeline" on day d, for the map: valid on d, not
 * covered on d (state from a BASIS_ACTUAL evaluation on d), but named by a
 * party of an agreement in the pipeline whose end has not passed, or by a
 * planned party of an agreement in force on d; a party naming a former
 * municipality marks its successor. Sets out[identity] to 1 for each;
 * out has room for m->count. Returns 0, or -1 when memory runs out. */
int rules_pipeline_eval(const rules_map *m, const rules_agreement *agreements, size_t n, date_t d,
                        const unsigned char *state, unsigned char *out);

/* ---- signed agreements without start ----------------------------------------
 *
 * "A signed agreement without a start date is in force on no date, but every
 *  report that lists agreements still shows it" (SPEC §3): one rule for every
 * list, map and API that shows municipalities. */

/* A party of a signed agreement without start that names an identity on the
 * date (rules_party_unstarted). */
typedef struct {
    int identity; /* as the party names it: possibly a former municipality */
    int agreement, party;
} rules_unstarted_link;

typedef struct {
    date_t date;
    /* [map count]: 1 for each identity valid on the date that is neither
     * covered nor partially covered (the state given to the evaluation:
     * covering wins) and that a party of a signed agreement without start
     * names on the date, itself or through its former municipalities
     * (through the 2019 and the 2025 mergers alike). */
    unsigned char *marked;
    rules_unstarted_link *links; /* every such party, by identity, agreement, party */
    size_t link_count;
} rules_unstarted;

/* Evaluates the parties of signed agreements without start on day d. state
 * is the cover_state per identity of a rules_coverage_eval on d. Allocates
 * the arrays of out; returns 0, or -1 when memory runs out (out is then
 * empty). rules_unstarted_free releases. */
int rules_unstarted_eval(rules_unstarted *out, const rules_map *m, const rules_agreement *agreements, size_t n,
                         date_t d, const unsigned char *state);
void rules_unstarted_free(rules_unstarted *u);
/* The parties naming identity itself (not its former municipalities): sets
 * *first and returns how many. */
size_t rules_unstarted_links_of(const rules_unstarted *u, int identity, const rules_unstarted_link **first);

/* What a municipality is shown as on a date wherever municipalities are
 * listed or coloured, first match wins: covered, partially covered, named
 * by a signed agreement without start, in the pipeline, none. */
typedef enum {
    MUNI_NONE,
    MUNI_PIPELINE,
    MUNI_SIGNED_NO_START,
    MUNI_PARTIAL,
    MUNI_COVERED,
    MUNI_STATE_COUNT
} muni_state;

muni_state rules_muni_state(cover_state s, bool signed_no_start, bool pipeline);
/* The one machine-readable name of each state, in CSV, JSON, the API and
 * URL filters: "covered", "partial", "signed_no_start", "pipeline", "none"
 * (docs/states.md). */
const char *muni_state_name(muni_state s);
/* "gedekt", "gedeeltelijk gedekt", "ondertekend, begindatum onbekend",
 * "in voorbereiding", "geen overeenkomst". */
const char *muni_state_label_nl(muni_state s);
bool muni_state_parse(const char *name, muni_state *out);

/* The state of every identity valid on day d (the others: MUNI_NONE) into
 * out[map count], on the actual basis: coverage, the signed agreements
 * without start and the pipeline. Returns 0, or -1 when memory runs out. */
int rules_muni_states(const rules_map *m, const rules_agreement *agreements, size_t n, date_t d, unsigned char *out);

/* The lifecycle of an edit (SPEC §3, issue 4): which status changes are
 * allowed and what the new status needs. Before draft, negotiating,
 * agreed_in_principle and awaiting_approval an agreement moves freely among
 * them; it becomes signed only with a start date and at least one
 * municipality party with a council approval date; a signed agreement can
 * only be terminated, which needs the first day it is no longer in force and
 * who ended it; a terminated agreement stays terminated. An edit that keeps
 * the status must not break a requirement of that status that held before
 * (agreements imported without, e.g. a start, can still be edited). */
typedef struct {
    agreement_status status;
    date_t start, terminated_on;
    bool approved_municipality; /* some municipality party has approved_on */
    bool terminated_by;         /* who ended it is given */
} rules_lifecycle;

enum {
    LIFECYCLE_STEP_FORBIDDEN = 1 << 0,  /* the status change itself */
    LIFECYCLE_NEEDS_START = 1 << 1,     /* signed needs start */
    LIFECYCLE_NEEDS_APPROVAL = 1 << 2,  /* signed needs an approved municipality party */
    LIFECYCLE_NEEDS_END_DATE = 1 << 3,  /* terminated needs terminated_on */
    LIFECYCLE_NEEDS_ENDED_BY = 1 << 4,  /* terminated needs terminated_by */
};

/* The problems (a set of LIFECYCLE_ bits, 0 when fine) of changing an
 * agreement from `before` to `after`; before is NULL for a new agreement
 * (which starts as if from draft). */
unsigned rules_lifecycle_check(const rules_lifecycle *before, const rules_lifecycle *after);

/* 100·n/N rounded half up (55/60 → 92); -1 when N is 0 (shown empty). */
int rules_percent(int n, int total);

#endif
