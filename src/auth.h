/* auth.h: who may do what.
 *
 * Accounts have a role and a scope (SPEC roles, issue 4): admin (everything,
 * accounts too); vdab with provinces or "all" (agreements of those
 * directorates: every field, parties, status); local with organisations or
 * NIS codes (action plan, governance and notes of agreements they are a
 * party to); viewer (reads everything, history included). Anonymous readers
 * see the public pages without history authors or personal names.
 * auth_may() is the one place where a permission is decided; the dispatcher
 * calls it for every route, the pages only ask it what to show.
 * Passwords: Argon2id (libsodium crypto_pwhash), at least 12 characters.
 * Sessions: 256-bit random tokens, stored as their BLAKE2b hash, with an
 * idle and an absolute timeout; failed logins slow down per login and per
 * address, but an address alone never locks a correct password out.
 * Accounts: nobody disables their own, and no change leaves the register
 * without an enabled administrator. */
#ifndef SOMON_AUTH_H
#define SOMON_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "model.h"
#include "store.h"

typedef enum { ROLE_ANONYMOUS, ROLE_VIEWER, ROLE_LOCAL, ROLE_VDAB, ROLE_ADMIN } role;

typedef struct account {
    int64_t id;
    const char *login;
    role role;
    const char **scope; /* provinces or "all" (vdab); organisation ids or NIS codes (local) */
    size_t scope_count;
} account;

const char *role_name(role r);      /* "vdab" */
const char *role_label_nl(role r);  /* "VDAB-netwerkbeheerder" */
bool role_parse(const char *name, role *out);

/* Checks a scope for a role against the map and the organisations; on a
 * problem returns a sentence (in a) naming the bad item and the fix, else
 * NULL. scope: items separated by commas. The canonical form (items joined
 * by ",") is put in *canonical. dutch: for the web pages (the command line
 * speaks English). */
const char *auth_scope_problem(arena *a, role r, const char *scope, const register_view *v, const organisation *orgs,
                               size_t norg, bool dutch, const char **canonical);
/* The account of a stored row, its scope split. */
void auth_account_of(arena *a, const store_account *row, account *out);

typedef enum {
    ACT_SEE_PEOPLE,          /* history authors and personal names */
    ACT_CREATE_AGREEMENT,    /* in a directorate (province) */
    ACT_EDIT_AGREEMENT,      /* its fields, status and parties */
    ACT_EDIT_PLAN,           /* its action plan */
    ACT_EDIT_GOVERNANCE,     /* its governance bodies and members */
    ACT_EDIT_NOTES,          /* its notes */
    ACT_EDIT_REGION,         /* create or edit a regiegebied of a province (its members dated) */
    ACT_EDIT_ORGANISATION,   /* create or edit an organisation */
    ACT_MANAGE_ACCOUNTS,
    ACT_SIGNED_IN,           /* anything that needs an account (logout) */
    ACT_COUNT
} act;

/* May `who` (NULL: anonymous) do `what`? ag is the agreement acted on: its
 * current version to reach a form, the version a save would write to keep
 * it (a save may not take an agreement out of its author's scope: edit.c
 * asks both). province: for ACT_CREATE_AGREEMENT the directorate of the
 * new agreement (or the province of a regiegebied chosen for it); for
 * ACT_EDIT_AGREEMENT the province of a regiegebied the edit chooses, -1
 * when it chooses none; for ACT_EDIT_REGION the regiegebied's province (a
 * save asks for the stored one and the new one). A vdab account acts inside
 * its provinces only; organisations belong to no province, so any vdab
 * account edits them. */
bool auth_may(const account *who, act what, const agreement *ag, int province);

/* Removes what `who` may not see of an agreement: for anonymous readers the
 * names of signatories, of members of governance bodies and of the
 * attendees of their meetings (their functions stay), and who evaluated an
 * action (somon1_load_followup() fills those in). Changes ag in place. */
void auth_redact(const account *who, agreement *ag);

enum { AUTH_PASSWORD_MIN = 12, AUTH_PASSWORD_MAX = 1024, AUTH_HASH_LEN = 128 };
/* A Dutch sentence when the password is not acceptable, else NULL. */
bool auth_login_valid(const char *login); /* 1..64 of [a-z0-9._@-] */
const char *auth_password_problem(const char *password);
/* Argon2id in libsodium's string form (parameters included). fast uses the
 * smallest parameters, for tests only. Returns 0 or -1. */
int auth_hash_password(const char *password, bool fast, char out[AUTH_HASH_LEN]);
bool auth_verify_password(const char *hash, const char *password);
/* Spends the time of one verification, for unknown logins. */
void auth_verify_dummy(const char *password);

enum { AUTH_TOKEN_LEN = 44, SESSION_IDLE_SECONDS = 30 * 60, SESSION_MAX_SECONDS = 12 * 60 * 60 };
/* A new random token (URL-safe base64 of 32 bytes, NUL-terminated). */
void auth_new_token(char out[AUTH_TOKEN_LEN]);
void auth_token_hash(const char *token, unsigned char out[32]);
bool auth_same(const char *a, const char *b); /* constant time */

/* Throttling: with n recent failures (last at `last`), how many seconds the
 * next attempt must still wait at `now` (0: go ahead). */
enum { THROTTLE_FREE = 5, THROTTLE_WINDOW = 15 * 60, THROTTLE_MAX = 15 * 60 };
int64_t auth_throttle_wait(int failures, int64_t last, int64_t now);

/* What a sign-in attempt may do, from the recent failures of its login and
 * of its address (see auth.c for why):
 * THROTTLE_OPEN      verify the password; a wrong one is answered 403;
 * THROTTLE_ADDRESS   the address is throttled, the login is not: verify the
 *                    password; a correct one signs in, a wrong one is
 *                    answered like THROTTLE_CLOSED (and counted);
 * THROTTLE_CLOSED    answer 429 without verifying anything.
 * *wait gets the seconds for Retry-After (0 for THROTTLE_OPEN). */
typedef enum { THROTTLE_OPEN, THROTTLE_ADDRESS, THROTTLE_CLOSED } throttle;
throttle auth_throttle(int login_failures, int64_t login_last, int address_failures, int64_t address_last,
                       int64_t now, int64_t *wait);

/* ---- account changes ----
 * One function changes an account, for the web and the command line alike,
 * inside the caller's write transaction (after store_begin(), which takes the
 * lock): everything it checks it reads inside that transaction, so two
 * concurrent saves cannot both pass a check that only one of them may. */
typedef enum {
    AUTH_CHANGED,     /* written, and the account's sessions ended */
    AUTH_NO_ACCOUNT,  /* there is no such login */
    AUTH_STALE,       /* the account changed after the version the form carries */
    AUTH_SELF,        /* the actor would disable its own account */
    AUTH_LAST_ADMIN,  /* no enabled administrator would be left */
    AUTH_FAILED,      /* the database failed */
} auth_change_result;

typedef struct {
    const char *login;
    int64_t version;        /* the account's version the form was opened on; 0: not checked */
    const char *role, *scope, *password_hash; /* each NULL keeps what is stored */
    int disabled;           /* 0 enables, 1 disables, -1 keeps */
} auth_account_change;

/* Applies c as change `change` made by `actor`. On anything but AUTH_CHANGED
 * nothing is written by it and the caller rolls back. */
auth_change_result auth_account_update(store *s, int64_t change, const char *actor, const auth_account_change *c,
                                       int64_t now);

/* libsodium must be initialised once per process. Returns 0 or -1. */
int auth_init(void);

#endif
