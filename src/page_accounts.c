/* page_accounts.c: /accounts — administrators add accounts, change a role
 * or scope, set a new password, disable or enable an account. Every change
 * is recorded (who, what, never the password) and ends the sessions of the
 * account it concerns. The dispatcher has checked PERM_ACCOUNTS. */
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
    buf_fmt(b, "<input type=\"hidden\" name=\"op\" value=\"%s\"><button type=\"submit\">%s</button></form> ",
            a->disabled ? "enable" : "disable", a->disabled ? "Inschakelen" : "Uitschakelen");
    buf_fmt(b, "<details><summary>Rol, bereik of wachtwoord</summary><form class=\"edit\" method=\"post\" "
               "action=\"%a\">",
            target);
    page_csrf_field(rq);
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

static void accounts_page(request *rq, const char *message, bool error)
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

void page_accounts(request *rq) { accounts_page(rq, NULL, false); }

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

static bool record(request *rq, const char *detail, int (*write)(request *rq, int64_t change, void *arg), void *arg)
{
    int64_t change;
    if (store_begin(rq->db, rq->who->login, "account", detail, &change))
        return false;
    if (write(rq, change, arg) || store_commit(rq->db)) {
        store_rollback(rq->db);
        return false;
    }
    return true;
}

typedef struct {
    const char *login, *role, *scope, *hash;
    int disabled;
    int64_t id;
} account_change;

static int write_new(request *rq, int64_t change, void *arg)
{
    account_change *c = arg;
    return store_account_add(rq->db, change, c->login, c->role, c->scope, c->hash);
}

static int write_update(request *rq, int64_t change, void *arg)
{
    account_change *c = arg;
    if (store_account_update(rq->db, change, c->login, c->role, c->scope, c->hash, c->disabled))
        return -1;
    /* a change of rights or password ends the sessions that had the old ones */
    return store_session_end(rq->db, NULL, c->id, (int64_t)time(NULL));
}

void page_account_create(request *rq)
{
    account_change c = {form_read_text(rq, "login"), NULL, NULL, NULL, -1, 0};
    role r = ROLE_VIEWER;
    store_account existing;
    const char *problem = !auth_login_valid(c.login) ? "De login mag alleen a-z, 0-9, . _ @ - bevatten (1 tot 64 tekens)."
                          : store_account_get(rq->db, c.login, 0, rq->arena, &existing) == 1 ? "Deze login bestaat al."
                                                                                           : NULL;
    if (!problem)
        problem = role_scope_problem(rq, web_form(rq, "role"), web_form(rq, "scope"), &r, &c.scope);
    if (!problem)
        problem = hashed(rq, web_form(rq, "password"), &c.hash);
    c.role = role_name(r);
    if (!problem && !record(rq, arena_printf(rq->arena, "add %s as %s%s%s", c.login, c.role, *c.scope ? " for " : "",
                                             c.scope),
                            write_new, &c))
        problem = "Het account kon niet bewaard worden.";
    if (problem) {
        accounts_page(rq, problem, true);
        rq->status = 422;
        return;
    }
    web_redirect(rq, "/accounts");
}

void page_account_update(request *rq)
{
    const char *login = web_route_param(rq, "login"), *op = web_form(rq, "op"), *problem = NULL;
    store_account row;
    if (store_account_get(rq->db, login, 0, rq->arena, &row) != 1) {
        web_error(rq, 404, "not_found", "Er is geen account met deze login.");
        return;
    }
    account_change c = {login, NULL, NULL, NULL, -1, row.id};
    const char *detail = NULL;
    if (op && (strcmp(op, "disable") == 0 || strcmp(op, "enable") == 0)) {
        c.disabled = strcmp(op, "disable") == 0;
        detail = arena_printf(rq->arena, "%s %s", op, login);
    } else if (op && strcmp(op, "change") == 0) {
        role r = ROLE_VIEWER;
        problem = role_scope_problem(rq, web_form(rq, "role"), web_form(rq, "scope"), &r, &c.scope);
        c.role = role_name(r);
        const char *password = web_form(rq, "password");
        if (!problem && password && *password)
            problem = hashed(rq, password, &c.hash);
        detail = arena_printf(rq->arena, "change %s to %s%s%s%s", login, c.role, c.scope && *c.scope ? " for " : "",
                              c.scope ? c.scope : "", c.hash ? ", new password" : "");
    } else {
        problem = "Onbekende wijziging.";
    }
    if (!problem && !record(rq, detail, write_update, &c))
        problem = "Het account kon niet bewaard worden.";
    if (problem) {
        accounts_page(rq, problem, true);
        rq->status = 422;
        return;
    }
    web_redirect(rq, "/accounts");
}
