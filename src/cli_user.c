/* cli_user.c: `somon user …` — accounts on the command line (the first
 * administrator is made here: there is no default password). Every change
 * to an account is recorded as a change by the actor running the command;
 * as on the web (auth_account_update()), nobody disables their own account
 * and the last enabled administrator stays. A login from the command line is
 * shown escaped: it may hold anything, terminal escapes included. */
#define _POSIX_C_SOURCE 200809L
#include "cli_user.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <termios.h>
#include <unistd.h>

#include "auth.h"
#include "buf.h"
#include "term.h"
#include <sodium.h>
#include <time.h>

/* Reads one line; from a terminal without echo. NULL at the end of input.
 * Echo goes off before the prompt appears (as getpass does): what is typed
 * as soon as the prompt shows is neither echoed nor flushed away. */
static char *read_secret(const char *prompt, bool tty)
{
    struct termios old, quiet;
    if (tty) {
        if (tcgetattr(STDIN_FILENO, &old) == 0) {
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        } else {
            tty = false;
        }
        fputs(prompt, stderr);
        fflush(stderr);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

static void wipe(char *secret)
{
    if (secret) {
        sodium_memzero(secret, strlen(secret));
        free(secret);
    }
}

/* Asks for a new password (twice on a terminal) and hashes it. */
static int new_password_hash(char hash[AUTH_HASH_LEN])
{
    bool tty = isatty(STDIN_FILENO);
    char *first = read_secret("Nieuw wachtwoord (minstens 12 tekens): ", tty);
    if (!first) {
        fputs(_("somon: no password given; type it, or pipe it on standard input\n"), stderr);
        return EX_DATAERR;
    }
    const char *problem = auth_password_problem(first);
    if (problem) {
        fprintf(stderr, "somon: %s\n", problem);
        wipe(first);
        return EX_DATAERR;
    }
    if (tty) {
        char *again = read_secret("Nog eens: ", tty);
        bool same = again && strcmp(first, again) == 0;
        wipe(again);
        if (!same) {
            fputs(_("somon: the two passwords differ; nothing was changed\n"), stderr);
            wipe(first);
            return EX_DATAERR;
        }
    }
#ifdef SOMON_TESTING
    /* tests create many accounts: SOMON_TEST_FAST_HASH uses Argon2id's smallest
     * cost. Only the test builds (-DSOMON_TESTING) know it: build/somon always
     * hashes at full cost, whatever the environment says. */
    bool fast = getenv("SOMON_TEST_FAST_HASH") != NULL;
    if (fast)
        fputs(_("somon: warning: SOMON_TEST_FAST_HASH is set: this password is hashed with test parameters\n"), stderr);
#else
    bool fast = false;
#endif
    int rc = auth_hash_password(first, fast, hash) ? EX_SOFTWARE : 0;
    wipe(first);
    return rc;
}

/* s for a message, with control characters, quotes and backslashes escaped. */
static const char *shown(arena *a, const char *s)
{
    buf b = {0};
    term_quoted(&b, s);
    const char *out = arena_strdup(a, b.data ? b.data : "");
    buf_free(&b);
    return out;
}

static int usage(void)
{
    fputs(_("usage: somon user add LOGIN --role admin|vdab|local|viewer [--scope ITEMS]\n"
          "       somon user passwd LOGIN      (the password from the terminal or standard input)\n"
          "       somon user list\n"
          "       somon user disable LOGIN\n"
          "ITEMS: for vdab provinces or all (\"Antwerpen,Limburg\"); for local organisation ids or NIS codes.\n"),
          stderr);
    return EX_USAGE;
}

static int add(store *s, const char *actor, const char *login, const char *role_text, const char *scope)
{
    role r;
    if (!auth_login_valid(login)) {
        arena *a = arena_new();
        fprintf(stderr, _("somon: '%s' is not a login; use 1 to 64 of a-z 0-9 . _ @ -\n"), shown(a, login));
        arena_free(a);
        return EX_USAGE;
    }
    if (!role_text || !role_parse(role_text, &r)) {
        fputs(_("somon: give --role admin, vdab, local or viewer\n"), stderr);
        return EX_USAGE;
    }
    arena *a = arena_new();
    register_view v;
    organisation *orgs;
    size_t norg;
    store_account existing;
    int rc = EX_IOERR;
    if (store_load_view(s, STORE_NOW, &v)) {
        arena_free(a);
        fprintf(stderr, _("somon: cannot read the database: %s\n"), store_error(s));
        return EX_IOERR;
    }
    const char *canonical = "", *problem = NULL;
    if (store_get_organisations(s, STORE_NOW, a, &orgs, &norg)) {
        fprintf(stderr, _("somon: cannot read the organisations: %s\n"), store_error(s));
        rc = EX_IOERR;
    } else if ((problem = auth_scope_problem(a, r, scope, &v, orgs, norg, false, &canonical))) {
        fprintf(stderr, _("somon: --scope: %s\n"), problem);
        rc = EX_USAGE;
    } else if (store_account_get(s, login, 0, a, &existing) == 1) {
        fprintf(stderr, _("somon: the login %s exists already; change its password with 'somon user passwd %s'\n"),
                login, login);
        rc = EX_DATAERR;
    } else {
        char hash[AUTH_HASH_LEN];
        int64_t change;
        rc = new_password_hash(hash);
        if (!rc && (store_begin(s, actor, "account", arena_printf(a, "add %s as %s%s%s", login, role_name(r), *canonical ? " for " : "", canonical),
                                &change) ||
                    store_account_add(s, change, login, role_name(r), canonical, hash) || store_commit(s))) {
            store_rollback(s);
            fprintf(stderr, _("somon: cannot add %s: %s\n"), login, store_error(s));
            rc = EX_IOERR;
        }
        if (!rc)
            printf(_("%s: %s%s%s added\n"), login, role_name(r), *canonical ? _(" for ") : "", canonical);
        sodium_memzero(hash, sizeof hash);
    }
    register_view_free(&v);
    arena_free(a);
    return rc;
}

/* The message for a refused change, or NULL. */
static const char *refusal(arena *a, auth_change_result r, const char *actor, const char *login)
{
    switch (r) {
    case AUTH_SELF:
        return arena_printf(a, _("you cannot disable your own account (%s); ask another administrator to do it"), actor);
    case AUTH_LAST_ADMIN:
        return arena_printf(a, _("%s is the last active administrator; add another first (somon user add LOGIN --role "
                                 "admin), then disable this one"),
                            login);
    case AUTH_NO_ACCOUNT:
        return arena_printf(a, _("there is no login %s; see 'somon user list'"), login);
    default:
        return NULL;
    }
}

static int change_account(store *s, const char *actor, const char *login, bool password, bool disable)
{
    arena *a = arena_new();
    store_account acc;
    int found = auth_login_valid(login) ? store_account_get(s, login, 0, a, &acc) : 0, rc = 0;
    char hash[AUTH_HASH_LEN] = "";
    if (found != 1) {
        fprintf(stderr, _("somon: there is no login %s; see 'somon user list'\n"), shown(a, login));
        rc = found < 0 ? EX_IOERR : EX_DATAERR;
    } else if (password) {
        rc = new_password_hash(hash);
    }
    int64_t change;
    auth_account_change c = {login, 0, NULL, NULL, password ? hash : NULL, disable ? 1 : -1};
    auth_change_result r = AUTH_CHANGED;
    if (!rc && (store_begin(s, actor, "account", arena_printf(a, "%s %s", disable ? "disable" : "passwd", login),
                            &change) ||
                (r = auth_account_update(s, change, actor, &c, (int64_t)time(NULL))) != AUTH_CHANGED ||
                store_commit(s))) {
        store_rollback(s);
        const char *why = refusal(a, r, actor, login);
        fprintf(stderr, "somon: %s\n", why ? why : arena_printf(a, _("cannot change %s: %s"), login, store_error(s)));
        rc = why ? EX_DATAERR : EX_IOERR;
    }
    if (!rc)
        printf(_("%s: %s; its sessions are ended\n"), login, disable ? _("disabled") : _("password changed"));
    sodium_memzero(hash, sizeof hash);
    arena_free(a);
    return rc;
}

static int list(store *s)
{
    arena *a = arena_new();
    store_account *rows;
    size_t n;
    if (store_accounts(s, a, &rows, &n)) {
        arena_free(a);
        fprintf(stderr, _("somon: cannot read the accounts: %s\n"), store_error(s));
        return EX_IOERR;
    }
    for (size_t i = 0; i < n; i++)
        printf("%-24s %-7s %-9s %s\n", term_text(a, rows[i].login), term_text(a, rows[i].role),
               rows[i].disabled ? _("disabled") : _("active"), term_text(a, rows[i].scope));
    if (!n)
        puts(_("no accounts yet; add the first administrator with: somon user add LOGIN --role admin"));
    arena_free(a);
    return 0;
}

int cli_user(store *s, const char *actor, int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (auth_init()) {
        fputs(_("somon: libsodium cannot start\n"), stderr);
        return EX_SOFTWARE;
    }
    const char *what = argv[1];
    if (strcmp(what, "list") == 0)
        return argc == 2 ? list(s) : usage();
    if (argc < 3)
        return usage();
    const char *login = argv[2];
    if (strcmp(what, "passwd") == 0 && argc == 3)
        return change_account(s, actor, login, true, false);
    if (strcmp(what, "disable") == 0 && argc == 3)
        return change_account(s, actor, login, false, true);
    if (strcmp(what, "add") == 0) {
        const char *role_text = NULL, *scope = NULL;
        for (int i = 3; i < argc; i++) {
            if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
                role_text = argv[++i];
            else if (strcmp(argv[i], "--scope") == 0 && i + 1 < argc)
                scope = argv[++i];
            else
                return usage();
        }
        return add(s, actor, login, role_text, scope);
    }
    return usage();
}
