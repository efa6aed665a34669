/* page_login.c: signing in and out. The form says only "Verkeerde login of
 * wachtwoord" whatever was wrong; failures slow down further attempts per
 * login and per address (the wait is logged, the login escaped), but a
 * throttled address never keeps a correct password out (auth_throttle()); a
 * session is a random token in an HttpOnly, SameSite=Strict cookie, stored
 * on the server as its hash. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "layout.h"
#include "pages.h"
#include "term.h"

enum { LOGIN_FORM_SECONDS = 3600 };

/* Where to go after signing in: a path of this site only (no open redirect). */
static const char *safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 2000)
        return "/";
    for (const char *c = next; *c; c++)
        if ((unsigned char)*c < 0x20)
            return "/";
    return next;
}

static void login_form(request *rq, const char *login, const char *message)
{
    char token[AUTH_TOKEN_LEN];
    auth_new_token(token);
    web_set_cookie(rq, "somon_login", token, LOGIN_FORM_SECONDS);
    page_begin(rq, "Aanmelden", NAV_NONE);
    buf *b = &rq->body;
    buf_puts(b, "<h1>Aanmelden</h1>\n");
    if (message)
        buf_fmt(b, "<p class=\"error\" role=\"alert\">%h</p>\n", message);
    const char *next = web_form(rq, "next");
    if (!next)
        next = web_param(rq, "next");
    buf_fmt(b, "<form class=\"edit login\" method=\"post\" action=\"/login\">\n"
               "<input type=\"hidden\" name=\"login_token\" value=\"%a\">\n"
               "<input type=\"hidden\" name=\"next\" value=\"%a\">\n"
               "<p><label for=\"login\">Login</label> <input id=\"login\" name=\"login\" autocomplete=\"username\" "
               "required value=\"%a\"></p>\n"
               "<p><label for=\"password\">Wachtwoord</label> <input id=\"password\" name=\"password\" "
               "type=\"password\" autocomplete=\"current-password\" required></p>\n"
               "<p><button type=\"submit\">Aanmelden</button></p>\n</form>\n",
            token, next && *next ? safe_next(next) : "", login ? login : ""); /* empty: land by role */
    page_end(rq);
}

void page_login(request *rq)
{
    if (rq->who) {
        page_begin(rq, "Aangemeld", NAV_NONE);
        buf_fmt(&rq->body, "<h1>U bent aangemeld</h1>\n<p>Als %h (%h).</p>\n", rq->who->login,
                role_label_nl(rq->who->role));
        page_end(rq);
        return;
    }
    login_form(rq, NULL, NULL);
}

/* What this attempt may do, from the failures of its login and its address. */
static throttle throttled(request *rq, const char *login, int64_t now, int64_t *wait)
{
    int by_login, by_address;
    int64_t last_login, last_address;
    *wait = 0;
    if (store_login_failures(rq->db, "login", login, now - THROTTLE_WINDOW, &by_login, &last_login) ||
        store_login_failures(rq->db, NULL, rq->remote, now - THROTTLE_WINDOW, &by_address, &last_address))
        return THROTTLE_OPEN;
    return auth_throttle(by_login, last_login, by_address, last_address, now, wait);
}

/* 429 with the wait, logged with the login escaped: it is whatever was typed. */
static void refuse_throttled(request *rq, const char *login, int64_t wait)
{
    buf line = {0};
    buf_puts(&line, "somon: login throttled: login \"");
    term_quoted(&line, login);
    buf_puts(&line, "\" from \"");
    term_quoted(&line, rq->remote ? rq->remote : "-");
    buf_printf(&line, "\" must wait %lld s\n", (long long)wait);
    buf_write(&line, stderr); /* one write: lines from concurrent requests do not mix */
    buf_free(&line);
    login_form(rq, login, arena_printf(rq->arena, "Te veel mislukte pogingen. Probeer het over %lld seconden opnieuw.",
                                       (long long)wait));
    rq->status = 429;
    web_header(rq, "Retry-After", arena_printf(rq->arena, "%lld", (long long)wait));
}

void page_login_post(request *rq)
{
    const char *login = web_form(rq, "login"), *password = web_form(rq, "password");
    int64_t now = (int64_t)time(NULL), wait;
    if (!login)
        login = "";
    /* failures are counted under the login as typed, at most 64 bytes of it:
     * a longer one is no account, and need not fill the table */
    const char *key = arena_clip(rq->arena, login, 64);
    throttle state = throttled(rq, key, now, &wait);
    if (state == THROTTLE_CLOSED) {
        refuse_throttled(rq, key, wait);
        return;
    }
    store_account row;
    int found = auth_login_valid(login) ? store_account_get(rq->db, login, 0, rq->arena, &row) : 0;
    bool ok = found == 1 && !row.disabled && auth_verify_password(row.password_hash, password);
    if (found != 1)
        auth_verify_dummy(password); /* an unknown login takes as long as a known one */
    if (!ok) {
        store_login_failures_forget(rq->db, now - THROTTLE_WINDOW);
        store_login_failure_add(rq->db, key, rq->remote ? rq->remote : "-", now);
        if (state == THROTTLE_ADDRESS) { /* answered like a refused attempt: see auth_throttle() */
            refuse_throttled(rq, key, wait);
            return;
        }
        login_form(rq, login, "Verkeerde login of wachtwoord.");
        rq->status = 403;
        return;
    }
    char token[AUTH_TOKEN_LEN], csrf[AUTH_TOKEN_LEN];
    unsigned char hash[32];
    auth_new_token(token);
    auth_new_token(csrf);
    auth_token_hash(token, hash);
    if (store_session_add(rq->db, hash, row.id, csrf, now)) {
        web_error(rq, 503, "unavailable", "Aanmelden lukt nu niet; probeer het zo meteen opnieuw.");
        return;
    }
    store_login_failures_clear(rq->db, login);
    const char *next = web_form(rq, "next");
    role r = ROLE_ANONYMOUS;
    role_parse(row.role, &r);
    /* without a page asked for, vdab and local accounts land on their own agreements */
    web_redirect(rq, next && *next ? safe_next(next) : r == ROLE_VDAB || r == ROLE_LOCAL ? "/mine" : "/");
    web_set_cookie(rq, WEB_SESSION_COOKIE, token, SESSION_MAX_SECONDS);
    web_set_cookie(rq, "somon_login", "", -1);
}

void page_logout(request *rq)
{
    store_session_end(rq->db, rq->session_hash, 0, (int64_t)time(NULL));
    web_redirect(rq, "/");
    web_set_cookie(rq, WEB_SESSION_COOKIE, "", -1);
}
