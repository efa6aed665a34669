/* auth.c: see auth.h. */
#include "auth.h"
#include "i18n.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

static const char *const ROLE_NAMES[] = {"anonymous", "viewer", "local", "vdab", "admin"};
static const char *const ROLE_LABELS[] = {"anoniem", "lezer", "lokaal bestuur", "VDAB", "beheerder"};

const char *role_name(role r) { return r <= ROLE_ADMIN ? ROLE_NAMES[r] : ""; }
const char *role_label_nl(role r) { return r <= ROLE_ADMIN ? ROLE_LABELS[r] : ""; }

bool role_parse(const char *name, role *out)
{
    for (int r = ROLE_VIEWER; name && r <= ROLE_ADMIN; r++)
        if (strcmp(name, ROLE_NAMES[r]) == 0) {
            *out = (role)r;
            return true;
        }
    return false;
}

/* Splits "a, b,c" into trimmed items. */
static size_t split_scope(arena *a, const char *scope, const char ***out)
{
    size_t n = 0, cap = 0;
    const char **items = NULL;
    for (const char *p = scope ? scope : ""; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ',')
            end++;
        const char *last = end;
        while (last > p && last[-1] == ' ')
            last--;
        if (last > p) {
            items = arena_grow(a, items, &cap, n + 1, sizeof *items);
            items[n++] = arena_strndup(a, p, (size_t)(last - p));
        }
        p = end;
    }
    *out = items;
    return n;
}

void auth_account_of(arena *a, const store_account *row, account *out)
{
    out->id = row->id;
    out->login = row->login;
    if (!role_parse(row->role, &out->role))
        out->role = ROLE_VIEWER;
    out->scope_count = split_scope(a, row->scope, &out->scope);
}

const char *auth_scope_problem(arena *a, role r, const char *scope, const register_view *v, const organisation *orgs,
                               size_t norg, bool dutch, const char **canonical)
{
    const char **items;
    size_t n = split_scope(a, scope, &items);
    char *joined = arena_strdup(a, "");
    for (size_t i = 0; i < n; i++)
        joined = arena_printf(a, "%s%s%s", joined, i ? "," : "", items[i]);
    *canonical = joined;
    if (r == ROLE_ADMIN || r == ROLE_VIEWER)
        return !n      ? NULL
               : dutch ? arena_printf(a, "De rol %s heeft geen bereik; laat het bereik leeg.", role_name(r))
                       : arena_printf(a, _("the role %s takes no scope; leave --scope out"), role_name(r));
    if (n == 0)
        return r == ROLE_VDAB ? (dutch ? "De rol vdab heeft een bereik nodig: provincies (bv. Antwerpen) of all."
                                       : _("the role vdab needs a scope: provinces (e.g. Antwerpen) or all"))
                              : (dutch ? "De rol local heeft een bereik nodig: organisatie-id's of NIS-codes."
                                       : _("the role local needs a scope: organisation ids or NIS codes"));
    for (size_t i = 0; i < n; i++) {
        const char *item = arena_clip(a, items[i], 40);
        if (r == ROLE_VDAB && strcmp(items[i], "all") != 0 && province_parse(items[i]) < 0)
            return arena_printf(a, dutch ? "'%s' is geen provincie; geef West-Vlaanderen, Oost-Vlaanderen, Antwerpen, "
                                           "Vlaams-Brabant, Limburg of all."
                                         : _("'%s' is not a province; give West-Vlaanderen, Oost-Vlaanderen, Antwerpen, "
                                           "Vlaams-Brabant, Limburg or all"),
                                item);
        if (r == ROLE_LOCAL && strcmp(items[i], "VDAB") == 0) /* a party to every agreement: party_in_scope() */
            return dutch ? "VDAB is partij van elke overeenkomst en geen lokaal bestuur; geef een account van VDAB de "
                           "rol vdab met zijn provincies."
                         : _("VDAB is a party to every agreement, not a local government; give a VDAB account the role "
                           "vdab with its provinces");
        if (r == ROLE_LOCAL) {
            int code = nis_code(items[i]);
            bool ok = code >= 0 && rules_code_exists(&v->map, code);
            for (size_t k = 0; !ok && k < norg; k++)
                ok = strcmp(orgs[k].id, items[i]) == 0;
            if (!ok)
                return arena_printf(a, dutch ? "'%s' is geen NIS-code van een gemeente en geen organisatie-id; geef de "
                                               "vijfcijferige NIS-code van een gemeente (bv. 44021 voor Gent) of de id "
                                               "van een organisatie in het register."
                                             : _("'%s' is neither the NIS code of a municipality nor an organisation id; "
                                               "give the five-digit NIS code of a municipality (e.g. 44021 for Gent) "
                                               "or the id of an organisation in the register"),
                                    item);
        }
    }
    return NULL;
}

/* ---- permissions ------------------------------------------------------- */

static bool in_scope(const account *who, const char *item)
{
    for (size_t i = 0; item && i < who->scope_count; i++)
        if (strcmp(who->scope[i], item) == 0)
            return true;
    return false;
}

static bool province_in_scope(const account *who, int province)
{
    return province >= 0 && (in_scope(who, "all") || in_scope(who, province_name(province)));
}

/* A local account acts on the agreements its organisation or municipality
 * is a party to. Never through VDAB, a party to every agreement: a local
 * account scoped to it (made before auth_scope_problem refused that)
 * would reach them all. */
static bool party_in_scope(const account *who, const agreement *ag)
{
    for (size_t i = 0; ag && i < ag->party_count; i++) {
        const party *p = &ag->parties[i];
        if (in_scope(who, p->municipality) || (p->organisation && strcmp(p->organisation, "VDAB") != 0 &&
                                               in_scope(who, p->organisation)))
            return true;
    }
    return false;
}

bool auth_may(const account *who, act what, const agreement *ag, int province)
{
    role r = who ? who->role : ROLE_ANONYMOUS;
    if (r == ROLE_ADMIN)
        return true;
    switch (what) {
    case ACT_SEE_PEOPLE:
    case ACT_SIGNED_IN:
        return r != ROLE_ANONYMOUS;
    case ACT_CREATE_AGREEMENT:
        return r == ROLE_VDAB && province_in_scope(who, province);
    case ACT_EDIT_AGREEMENT: /* province: where a regiegebied the edit chooses lies, or -1 */
        return r == ROLE_VDAB && ag && province_in_scope(who, ag->vdab_directorate) &&
               (province < 0 || province_in_scope(who, province));
    case ACT_EDIT_PLAN:
    case ACT_EDIT_GOVERNANCE:
    case ACT_EDIT_NOTES:
        return ag && ((r == ROLE_VDAB && province_in_scope(who, ag->vdab_directorate)) ||
                      (r == ROLE_LOCAL && party_in_scope(who, ag)));
    case ACT_EDIT_REGION:
        return r == ROLE_VDAB && province_in_scope(who, province);
    case ACT_EDIT_ORGANISATION:
        return r == ROLE_VDAB;
    case ACT_MANAGE_ACCOUNTS:
    case ACT_COUNT:
        return false;
    }
    return false;
}

void auth_redact(const account *who, agreement *ag)
{
    if (auth_may(who, ACT_SEE_PEOPLE, NULL, -1))
        return;
    for (size_t i = 0; i < ag->party_count; i++)
        for (size_t k = 0; k < ag->parties[i].signatory_count; k++)
            ag->parties[i].signatories[k].name = NULL;
    for (size_t i = 0; i < ag->body_count; i++) {
        governance_body *g = &ag->bodies[i];
        for (size_t k = 0; k < g->member_count; k++)
            g->members[k].name = NULL;
        for (size_t m = 0; m < g->meeting_count; m++)
            for (size_t k = 0; k < g->meetings[m].attendee_count; k++)
                g->meetings[m].attendees[k].name = NULL;
    }
    /* who evaluated may be a person ("An Peeters, 12/03/2025") */
    for (size_t t = 0; t < ag->theme_count; t++)
        for (size_t d = 0; d < ag->themes[t].domain_count; d++)
            for (size_t k = 0; k < ag->themes[t].domains[d].action_count; k++) {
                action *x = &ag->themes[t].domains[d].actions[k];
                for (size_t e = 0; e < x->evaluation_count; e++)
                    x->evaluations[e].evaluated_by = NULL;
            }
}

/* ---- passwords, tokens, throttling --------------------------------------- */

int auth_init(void) { return sodium_init() < 0 ? -1 : 0; }

bool auth_login_valid(const char *login)
{
    size_t n = login ? strlen(login) : 0;
    return n >= 1 && n <= 64 && strspn(login, "abcdefghijklmnopqrstuvwxyz0123456789._@-") == n;
}

const char *auth_password_problem(const char *password)
{
    size_t n = password ? strlen(password) : 0;
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)password[i] & 0xC0) != 0x80;
    if (chars < AUTH_PASSWORD_MIN)
        return "Een wachtwoord heeft minstens 12 tekens.";
    if (n > AUTH_PASSWORD_MAX)
        return "Een wachtwoord heeft hoogstens 1024 tekens.";
    return NULL;
}

/* One Argon2id at a time: each takes crypto_pwhash_MEMLIMIT_INTERACTIVE
 * (64 MiB) while it runs, so sign-ins at the same moment added up, one per
 * render thread (four from four addresses, serve --threads 4: +258 MiB;
 * issue 12), and a crowd of sign-in attempts on a machine of many CPUs
 * could take the server's memory. One after the other they take well under
 * a tenth of a second each. */
static pthread_mutex_t hashing = PTHREAD_MUTEX_INITIALIZER;

int auth_hash_password(const char *password, bool fast, char out[AUTH_HASH_LEN])
{
    _Static_assert(AUTH_HASH_LEN >= crypto_pwhash_STRBYTES, "room for the hash string");
    unsigned long long ops = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    pthread_mutex_lock(&hashing);
    int rc = crypto_pwhash_str_alg(out, password, strlen(password), ops, mem, crypto_pwhash_ALG_ARGON2ID13);
    pthread_mutex_unlock(&hashing);
    return rc ? -1 : 0;
}

bool auth_verify_password(const char *hash, const char *password)
{
    if (!hash || !password)
        return false;
    pthread_mutex_lock(&hashing);
    bool same = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    pthread_mutex_unlock(&hashing);
    return same;
}

static char dummy_hash[AUTH_HASH_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void dummy_make(void) { auth_hash_password("somon-no-such-login", false, dummy_hash); }

void auth_verify_dummy(const char *password)
{
    /* made by the first unknown login; several server workers can get here
     * at the same moment, so once and only once (a data race otherwise) */
    pthread_once(&dummy_once, dummy_make);
    auth_verify_password(dummy_hash, password ? password : "");
}

void auth_new_token(char out[AUTH_TOKEN_LEN])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, AUTH_TOKEN_LEN, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void auth_token_hash(const char *token, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

bool auth_same(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    size_t n = strlen(a);
    return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

/* After THROTTLE_FREE failures in the window, each further one doubles the
 * wait, from 1 s up to THROTTLE_MAX. */
int64_t auth_throttle_wait(int failures, int64_t last, int64_t now)
{
    if (failures < THROTTLE_FREE)
        return 0;
    int64_t wait = 1;
    for (int i = THROTTLE_FREE; i < failures && wait < THROTTLE_MAX; i++)
        wait *= 2;
    if (wait > THROTTLE_MAX)
        wait = THROTTLE_MAX;
    int64_t left = last + wait - now;
    return left > 0 ? left : 0;
}

/* Behind the TLS proxy every client has the proxy's address, so a throttle
 * by address alone would let anyone lock everyone out with a few made-up
 * logins. A correct password therefore gets in from a throttled address, as
 * long as its login is not throttled itself. That turns every attempt from a
 * throttled address into an answer again, so the bypass is bounded per
 * login: from a throttled address a login gets its THROTTLE_FREE free
 * failures in the window and then waits with the address (whatever its own
 * wait says), and a wrong password there is answered exactly like a refused
 * attempt (429), and counted. Spraying guesses over many logins from one
 * address thus costs THROTTLE_FREE guesses per existing login per
 * THROTTLE_WINDOW; made-up logins earn nothing but the address's wait. */
throttle auth_throttle(int login_failures, int64_t login_last, int address_failures, int64_t address_last,
                       int64_t now, int64_t *wait)
{
    int64_t by_login = auth_throttle_wait(login_failures, login_last, now);
    int64_t by_address = auth_throttle_wait(address_failures, address_last, now);
    *wait = by_login > by_address ? by_login : by_address;
    if (by_login > 0)
        return THROTTLE_CLOSED;
    if (by_address == 0)
        return THROTTLE_OPEN;
    return login_failures < THROTTLE_FREE ? THROTTLE_ADDRESS : THROTTLE_CLOSED;
}

/* ---- account changes ---------------------------------------------------- */

static bool active_admin(const char *role_text, bool disabled)
{
    return !disabled && role_text && strcmp(role_text, "admin") == 0;
}

/* The checks and the write, on the account as read inside the transaction. */
static auth_change_result checked_update(store *s, int64_t change, const char *actor, const auth_account_change *c,
                                         const store_account *before, int64_t now)
{
    const char *role_after = c->role ? c->role : before->role;
    bool disabled_after = c->disabled < 0 ? before->disabled : c->disabled != 0;
    if (c->version && before->version != c->version)
        return AUTH_STALE;
    if (disabled_after && !before->disabled && actor && strcmp(actor, c->login) == 0)
        return AUTH_SELF;
    int64_t admins;
    if (store_account_update(s, change, c->login, c->role, c->scope, c->password_hash, c->disabled) ||
        store_active_admins(s, &admins))
        return AUTH_FAILED;
    /* counted after the write: only a change that removes the last one is refused */
    if (admins == 0 && active_admin(before->role, before->disabled) && !active_admin(role_after, disabled_after))
        return AUTH_LAST_ADMIN;
    /* a change of rights or password ends the sessions that had the old ones */
    return store_session_end(s, NULL, before->id, now) ? AUTH_FAILED : AUTH_CHANGED;
}

auth_change_result auth_account_update(store *s, int64_t change, const char *actor, const auth_account_change *c,
                                       int64_t now)
{
    arena *a = arena_new();
    store_account before;
    int found = store_account_get(s, c->login, 0, a, &before);
    auth_change_result r = found < 0    ? AUTH_FAILED
                           : found == 0 ? AUTH_NO_ACCOUNT
                                        : checked_update(s, change, actor, c, &before, now);
    arena_free(a);
    return r;
}
