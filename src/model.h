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

typedef struct {
    char *id, *name, *kind;
} organisation;

typedef struct {
    char *id, *name;
    int province;
    date_t from, until;
    char **members; /* NIS codes */
    size_t member_count;
    char *notes;
} regiegebied;

typedef struct {
    char *name, *function;
} signatory;

typedef struct {
    char *municipality; /* NIS code, or NULL */
    char *organisation; /* organisation id, or NULL */
    date_t approved_on, from, until, expected_from;
    signatory *signatories;
    size_t signatory_count;
    char *left_reason; /* why a party that left (until) gave notice, or NULL (SPEC §3) */
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
} agreement;

/* Action statuses of somon/1 (docs/somon1.md). */
extern const char *const ACTION_STATUSES[];
extern const char *const ORGANISATION_KINDS[];

#endif
