/* page_accounts.c: /accounts — administrators add accounts, change a role
 * or scope, set a new password, disable or enable an account. Every change
 * is recorded (who, what, never the password) and ends the sessions of the
 * account it concerns. Each form carries the account's version (the change
 * that wrote it last): a save over a newer change is refused (409) with the
 * changes made in between. Nobody disables their own account and no change
 * leaves the register without an enabled administrator; auth_account_update()
 * checks all of it inside the write transaction. The dispatcher has checked
 * PERM_ACCOUNTS. */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "formui.h"
#include "layout.h"
#include "pages.h"

static const form_option ROLE_OPTIONS[] = {
    {"viewer", "lezer (leest alles, ook de geschiedenis)"},
    {"local", "lokaal bestuur (actieplan, overleg en notities van eigen overeenkomsten)"},
    {"vdab", "VDAB (overeenkomsten van de eigen provincies)"},
    {"admin", "beheerder (alles, ook accounts)"},
};

static void account_row(request *rq, const store_account *a)
{
    buf *b = &rq->body;
    buf_fmt(b, "<tr><th scope=\"row\">%h</th><td>%h</td><td>%h</td><td>%s</td><td>", a->login, a->role,
            *a->scope ? a->scope : "–", a->disabled ? "uitgeschakeld" : "actief");
    const char *target = arena_printf(rq->arena, "/accounts/%s", a->login);
    buf_fmt(b, "<form class=\"inline\" method=\"post\" action=\"%a\">", target);
    page_csrf_field(rq);
    buf_fmt(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">", (long long)a->version);
    buf_fmt(b, "<input type=\"hidden\" name=\"op\" value=\"%s\"><button type=\"submit\">%s</button></form> ",
            a->disabled ? "enable" : "disable", a->disabled ? "Inschakelen" : "Uitschakelen");
    buf_fmt(b, "<details><summary>Rol, bereik of wachtwoord</summary><form class=\"edit\" method=\"post\" "
               "action=\"%a\">",
            target);
    page_csrf_field(rq);
    buf_fmt(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">", (long long)a->version);
    buf_fmt(b, "<input type=\"hidden\" name=\"op\" value=\"change\"><p><label for=\"role-%a\">Rol</label> "
               "<select id=\"role-%a\" name=\"role\">",
            a->login, a->login);
    for (size_t i = 0; i < sizeof ROLE_OPTIONS / sizeof *ROLE_OPTIONS; i++)
        buf_fmt(b, "<option value=\"%a\"%s>%h</option>", ROLE_OPTIONS[i].value,
                strcmp(a->role, ROLE_OPTIONS[i].value) == 0 ? " selected" : "", ROLE_OPTIONS[i].label);
    buf_fmt(b, "</select></p><p><label for=\"scope-%a\">Bereik</label> <input id=\"scope-%a\" name=\"scope\" "
               "value=\"%a\"></p><p><label for=\"password-%a\">Nieuw wachtwoord (leeg: ongewijzigd)</label> "
               "<input id=\"password-%a\" name=\"password\" type=\"password\" autocomplete=\"new-password\"></p>"
               "<p><button type=\"submit\">Bewaren</button></p></form></details></td></tr>\n",
            a->login, a->login, a->scope, a->login, a->login);
}

/* The changes made to an account after the version a refused form carries. */
typedef struct {
    const char *login;
    store_change *changes;
    size_t count;
} stale_account;

static void stale_notice(request *rq, const stale_account *st)
{
    buf *b = &rq->body;
    const store_change *last = st->count ? &st->changes[st->count - 1] : NULL;
    buf_fmt(b, "<div class=\"problems\" role=\"alert\"><p>Er is niets bewaard: %h%s%h wijzigde het account %h nadat "
               "u het formulier opende. Wat er intussen veranderde:</p><ul>\n",
            last ? last->actor : "iemand", last ? " op " : "", last ? page_moment(rq, last->moment) : "", st->login);
    for (size_t i = 0; i < st->count; i++)
        buf_fmt(b, "<li>%h, %h: %h</li>\n", page_moment(rq, st->changes[i].moment), st->changes[i].actor,
                st->changes[i].detail);
    buf_puts(b, "</ul><p>Hieronder staat het account zoals het nu is. Breng uw wijziging opnieuw aan als ze nog "
                "nodig is.</p></div>\n");
}

static void accounts_page(request *rq, const char *message, bool error, const stale_account *stale)
{
    store_account *rows;
    size_t n;
    if (store_accounts(rq->db, rq->arena, &rows, &n)) {
        web_error(rq, 503, "unavailable", "De accounts kunnen nu niet gelezen worden.");
        return;
    }
    page_begin(rq, "Accounts", NAV_ACCOUNTS);
    buf *b = &rq->body;
    buf_puts(b, "<h1>Accounts</h1>\n");
    if (message)
        buf_fmt(b, "<p class=\"%s\" role=\"%s\">%h</p>\n", error ? "error" : "notice", error ? "alert" : "status",
                message);
    if (stale)
        stale_notice(rq, stale);
    buf_puts(b, "<p>Bereik: voor VDAB de provincies (of <code>all</code>), voor een lokaal bestuur de id's van "
                "organisaties of de NIS-codes van gemeenten, gescheiden door komma's.</p>\n"
                "<div class=\"scroll\"><table class=\"list\">\n<caption>Accounts</caption>\n<thead><tr>"
                "<th scope=\"col\">Login</th><th scope=\"col\">Rol</th><th scope=\"col\">Bereik</th>"
                "<th scope=\"col\">Toestand</th><th scope=\"col\">Wijzigen</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++)
        account_row(rq, &rows[i]);
    buf_puts(b, "</tbody>\n</table></div>\n<h2>Nieuw account</h2>\n");
    form_begin(rq, "/accounts", 0);
    form_text(rq, NULL, "login", "Login (a-z, 0-9, . _ @ -)", form_value(rq, "login", ""), true);
    form_select(rq, NULL, "role", "Rol", ROLE_OPTIONS, sizeof ROLE_OPTIONS / sizeof *ROLE_OPTIONS,
                form_value(rq, "role", "viewer"));
    form_text(rq, NULL, "scope", "Bereik", form_value(rq, "scope", ""), false);
    buf_puts(b, "<p class=\"field\"><label for=\"f-password\">Wachtwoord (minstens 12 tekens)</label>"
                "<input id=\"f-password\" name=\"password\" type=\"password\" autocomplete=\"new-password\"></p>\n");
    form_end(rq, "Account aanmaken", "/accounts");
    page_end(rq);
}

void page_accounts(request *rq) { accounts_page(rq, NULL, false, NULL); }

/* The problem with a role and scope, or NULL; *canonical gets the scope as stored. */
static const char *role_scope_problem(request *rq, const char *role_text, const char *scope, role *r,
                                      const char **canonical)
{
    if (!role_parse(role_text, r))
        return "Kies een rol.";
    const register_view *v = web_view(rq);
    organisation *orgs;
    size_t norg;
    if (!v || store_get_organisations(rq->db, STORE_NOW, rq->arena, &orgs, &norg))
        return "Het register kan nu niet gelezen worden.";
    const char *problem = auth_scope_problem(rq->arena, *r, scope, v, orgs, norg, true, canonical);
    return problem ? arena_printf(rq->arena, "Bereik: %s", problem) : NULL;
}

/* Hashes a password in the request's arena, or gives the problem. */
static const char *hashed(request *rq, const char *password, const char **hash)
{
    const char *problem = auth_password_problem(password);
    if (problem)
        return problem;
    char *out = arena_alloc(rq->arena, AUTH_HASH_LEN);
    if (auth_hash_password(password, false, out))
        return "Het wachtwoord kon niet bewaard worden.";
    *hash = out;
    return NULL;
}

typedef struct {
    const char *login, *role, *scope, *hash;
} account_new;

/* Adds the account in one write transaction: whether the login is taken is
 * decided inside it, so two forms adding one login get one account and a
 * clear message, not a failed write. NULL, or the problem. */
static const char *write_new(request *rq, const account_new *c, const char *detail)
{
    int64_t change;
    store_account existing;
    if (store_begin(rq->db, rq->who->login, "account", detail, &change))
        return "Het account kon niet bewaard worden.";
    int taken = store_account_get(rq->db, c->login, 0, rq->arena, &existing);
    const char *problem = taken == 1 ? "Deze login bestaat al." : NULL;
    if (!problem && (taken < 0 || store_account_add(rq->db, change, c->login, c->role, c->scope, c->hash) ||
                     store_commit(rq->db)))
        problem = "Het account kon niet bewaard worden.";
    if (problem)
        store_rollback(rq->db);
    return problem;
}

void page_account_create(request *rq)
{
    account_new c = {form_read_text(rq, "login"), NULL, NULL, NULL};
    role r = ROLE_VIEWER;
    const char *problem = !auth_login_valid(c.login) ? "De login mag alleen a-z, 0-9, . _ @ - bevatten (1 tot 64 tekens)."
                                                     : NULL;
    if (!problem)
        problem = role_scope_problem(rq, web_form(rq, "role"), web_form(rq, "scope"), &r, &c.scope);
    if (!problem)
        problem = hashed(rq, web_form(rq, "password"), &c.hash);
    c.role = role_name(r);
    if (!problem)
        problem = write_new(rq, &c, arena_printf(rq->arena, "add %s as %s%s%s", c.login, c.role,
                                                 *c.scope ? " for " : "", c.scope));
    if (problem) {
        accounts_page(rq, problem, true, NULL);
        rq->status = 422;
        return;
    }
    web_redirect(rq, "/accounts");
}

/* What the posted form asks, and its line in the history; NULL, or the problem. */
static const char *read_change(request *rq, const char *login, auth_account_change *c, const char **detail)
{
    const char *op = web_form(rq, "op");
    if (op && (strcmp(op, "disable") == 0 || strcmp(op, "enable") == 0)) {
        c->disabled = strcmp(op, "disable") == 0;
        *detail = arena_printf(rq->arena, "%s %s", op, login);
        return NULL;
    }
    if (!op || strcmp(op, "change") != 0)
        return "Onbekende wijziging.";
    role r = ROLE_VIEWER;
    const char *problem = role_scope_problem(rq, web_form(rq, "role"), web_form(rq, "scope"), &r, &c->scope);
    c->role = role_name(r);
    const char *password = web_form(rq, "password");
    if (!problem && password && *password)
        problem = hashed(rq, password, &c->password_hash);
    *detail = arena_printf(rq->arena, "change %s to %s%s%s%s", login, c->role, c->scope && *c->scope ? " for " : "",
                           c->scope ? c->scope : "", c->password_hash ? ", new password" : "");
    return problem;
}

/* The change in one write transaction (see auth_account_update()). */
static auth_change_result write_change(request *rq, const auth_account_change *c, const char *detail)
{
    int64_t change;
    if (store_begin(rq->db, rq->who->login, "account", detail, &change))
        return AUTH_FAILED;
    auth_change_result r = auth_account_update(rq->db, change, rq->who->login, c, (int64_t)time(NULL));
    if (r == AUTH_CHANGED && store_commit(rq->db))
        r = AUTH_FAILED;
    if (r != AUTH_CHANGED)
        store_rollback(rq->db);
    return r;
}

void page_account_update(request *rq)
{
    const char *login = web_route_param(rq, "login"), *detail = NULL;
    store_account row;
    if (store_account_get(rq->db, login, 0, rq->arena, &row) != 1) {
        web_error(rq, 404, "not_found", "Er is geen account met deze login.");
        return;
    }
    auth_account_change c = {login, edit_form_version(rq), NULL, NULL, NULL, -1};
    if (c.version < 0)
        return; /* answered 400 */
    const char *problem = read_change(rq, login, &c, &detail);
    auth_change_result r = problem ? AUTH_FAILED : write_change(rq, &c, detail);
    if (r == AUTH_CHANGED) {
        web_redirect(rq, "/accounts");
        return;
    }
    stale_account stale = {login, NULL, 0};
    int status = 422;
    if (r == AUTH_STALE) {
        store_account_changes(rq->db, login, c.version, rq->arena, &stale.changes, &stale.count);
        status = 409;
    } else if (r == AUTH_SELF) {
        problem = "U kunt uw eigen account niet uitschakelen: dan kunt u niet meer aanmelden. Vraag een andere "
                  "beheerder om het te doen.";
    } else if (r == AUTH_LAST_ADMIN) {
        problem = arena_printf(rq->arena, "Er is niets bewaard: %s is de laatste actieve beheerder, en zonder beheerder "
                                          "kan niemand nog accounts beheren. Maak eerst een ander account beheerder (of "
                                          "schakel een beheerder in) en probeer het dan opnieuw.",
                               login);
    } else if (!problem) {
        problem = "Het account kon niet bewaard worden.";
        status = r == AUTH_NO_ACCOUNT ? 404 : 503;
    }
    accounts_page(rq, problem, true, r == AUTH_STALE ? &stale : NULL);
    rq->status = status; /* after the page, which starts as 200 */
}
