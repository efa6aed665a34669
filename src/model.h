/* model.h: the register's objects as plain C values, the shape of somon/1.
 *
 * The importer builds them from JSON, the store writes and reads them, the
 * exporter and the pages render them. Strings and arrays belong to the arena
 * the builder was given; nothing here frees. NULL strings and DATE_NONE dates
 * are the nulls of somon/1. */
#ifndef SOMON_MODEL_H
#define SOMON_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "rules.h"

/* A dated member of a regiegebied or an organisation (SPEC §5): a
 * municipality, named as it was on its first day, from `from` to `until`.
 * DATE_NONE leaves the bound to the whole it belongs to: a regiegebied's own
 * from (until); an organisation has no period, so a member without from
 * belongs from the first day its municipality exists and one without until
 * for good. A member without dates is written as a bare NIS code. */
typedef struct {
    char *municipality; /* NIS code */
    date_t from, until;
} dated_member;

/* The one rule of membership: the first and last day m belongs to a whole
 * whose own bounds are whole_from and whole_until (DATE_NONE: open), and
 * whether it belongs on day d (inside both its own and the whole's bounds). */
date_t member_first(date_t whole_from, const dated_member *m);
date_t member_last(date_t whole_until, const dated_member *m);
bool member_on(date_t whole_from, date_t whole_until, const dated_member *m, date_t d);

typedef struct {
    char *id, *name, *kind;
    dated_member *members; /* no period of its own: see dated_member */
    size_t member_count;
    bool members_given; /* read from a file that had the list; absent keeps the stored members */
    int64_t version; /* the stored version (0 for a new one): forms carry it to catch stale saves */
    int64_t change;  /* the change that wrote the stored version (0 for a new one) */
} organisation;

typedef struct {
    char *id, *name;
    int province;
    date_t from, until;
    dated_member *members;
    size_t member_count;
    char *notes;
    int64_t version; /* the stored version (0 for a new one): forms carry it to catch stale saves */
    int64_t change;  /* the change that wrote the stored version (0 for a new one) */
} regiegebied;

/* The rule above with g's own period as the whole's bounds. */
date_t region_member_first(const regiegebied *g, const dated_member *m);
date_t region_member_last(const regiegebied *g, const dated_member *m);
bool region_member_on(const regiegebied *g, const dated_member *m, date_t d);

typedef struct {
    char *name, *function;
} signatory;

/* A council decision on the agreement, the evidence for a party's approval
 * (SPEC §5, 2026-12): the latest approving one sets approved_on. */
typedef struct {
    char *body; /* gemeenteraad, ocmw_raad, raad_van_bestuur or other */
    date_t on;
    char *agenda_point, *url; /* or NULL */
    bool approves;
} party_decision;

/* A piece of evidence (SPEC §5, issue 13): the page where a fact was
 * published, the words it says and the day it was read. */
typedef struct {
    char *url;       /* http(s) address */
    char *quote;     /* or NULL */
    date_t read_on;  /* or DATE_NONE */
} source;

typedef struct {
    char *municipality; /* NIS code, or NULL */
    char *organisation; /* organisation id, or NULL */
    date_t approved_on, from, until, expected_from;
    signatory *signatories;
    size_t signatory_count;
    char *left_reason; /* why a party that left (until) gave notice, or NULL (SPEC §3) */
    party_decision *decisions;
    size_t decision_count;
    source *sources; /* the evidence of this party, in its order */
    size_t source_count;
} party;

/* The yearly evaluation of an action (store_evaluations.h keeps them; they
 * travel inside the action in somon/1). */
typedef struct {
    int year;
    char *status, *result, *figures, *evaluated_by;
} action_evaluation;

/* Who attended a meeting (a member of the body, or a guest). */
typedef struct {
    char *name, *function, *organisation; /* name NULL when not given (or redacted) */
    bool guest;
} attendee;

/* A meeting of a governance body as somon/1 carries it (store.h: meeting). */
typedef struct {
    date_t held_on;
    char *state; /* planned, held, cancelled */
    char *decisions, *minutes_url;
    attendee *attendees;
    size_t attendee_count;
} body_meeting;

typedef struct {
    int64_t uid; /* the same action across versions; 0 until stored */
    char *number, *title, *lead, *status;
    /* Not part of a version: filled in for export and the API, and read by
     * import. given: the file had the list (absent keeps what is stored). */
    action_evaluation *evaluations;
    size_t evaluation_count;
    bool evaluations_given;
} action;

typedef struct {
    char *number, *title;
    action *actions;
    size_t action_count;
} action_domain;

typedef struct {
    char *title;
    action_domain *domains;
    size_t domain_count;
} theme;

typedef struct {
    char *name, *function, *organisation;
} body_member;

typedef struct {
    int64_t uid; /* the same body across versions; 0 until stored */
    char *body, *convener;
    int min_meetings, per_years; /* 0: not stated */
    body_member *members;
    size_t member_count;
    /* Not part of a version, like an action's evaluations. */
    body_meeting *meetings;
    size_t meeting_count;
    bool meetings_given;
} governance_body;

typedef struct agreement {
    int64_t version; /* the stored version (0 for a new one): forms carry it to catch stale saves */
    char *id, *title;
    int vdab_directorate; /* province index */
    char *regiegebied;    /* id or NULL */
    agreement_status status;
    date_t start, end, expected_start, terminated_on;
    char *terminated_by;
    party *parties;
    size_t party_count;
    theme *themes;
    size_t theme_count;
    governance_body *bodies;
    size_t body_count;
    char *notes;
    char *kind;        /* centrumstad, regiegebied, cluster, gemeente, or NULL */
    date_t signed_on;  /* the day of the last signature */
    char *predecessor; /* id of the agreement this one follows up, or NULL */
    source *sources;   /* the evidence of the agreement itself, in its order */
    size_t source_count;
} agreement;

/* Action statuses of somon/1 (docs/somon1.md). */
extern const char *const ACTION_STATUSES[];
extern const char *const ORGANISATION_KINDS[];
extern const char *const AGREEMENT_KINDS[];
extern const char *const DECISION_BODIES[];

#endif
