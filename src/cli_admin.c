/* cli_admin.c: see cli_admin.h. The SQL (and the SQLite backup API) lives in
 * store.c; this file parses arguments, handles files (a backup is written to
 * FILE.tmp, checked, then renamed) and words the results. */
#define _POSIX_C_SOURCE 200809L
#include "cli_admin.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "alerts.h"
#include "arena.h"
#include "auth.h"
#include "history.h"
#include "store.h"
#include "term.h"

static int usage(const char *line, const char *arg)
{
    fputs("somon: ", stderr);
    fprintf(stderr, line, arg ? arg : "");
    fputc('\n', stderr);
    return EX_USAGE;
}

/* getopt_long over a command's arguments (main has set optind to 1), with
 * the operands taken wherever they stand ("history ID --as-known-at T" as
 * well as "history --as-known-at T ID"): up to two are kept in operands,
 * *count counts them all. Returns the option, or -1 at the end. */
static int next_option(int argc, char **argv, const struct option *opts, const char **operands, int *count)
{
    for (;;) {
        int c = getopt_long(argc, argv, "+", opts, NULL);
        if (c != -1 || optind >= argc)
            return c;
        if (*count < 2)
            operands[*count] = argv[optind];
        (*count)++;
        optind++;
    }
}

/* A recorded moment (ISO UTC) in the machine's local time. */
static const char *local_moment(const char *iso, char out[64])
{
    moment_t m;
    if (!iso || !moment_parse_iso(iso, &m))
        return iso ? iso : "";
    time_t t = (time_t)(m / 1000000);
    struct tm tm;
    localtime_r(&t, &tm);
    if (!strftime(out, 64, "%Y-%m-%d %H:%M:%S %Z", &tm))
        return iso;
    return out;
}

static int open_store(const char *db, store **s)
{
    char *err = NULL;
    int rc = store_open(db, STORE_READONLY, s, &err);
    if (rc)
        fprintf(stderr, "somon: %s\n", err ? err : _("cannot open the database"));
    free(err);
    return rc;
}

/* ---- history ------------------------------------------------------------------ */

/* Whoever runs the command line holds the database file: it sees the
 * history as an administrator does, names included. */
static const account COMMAND_LINE = {0, "command line", ROLE_ADMIN, NULL, 0};

/* Stored text is printed through term_text(): see term.h. */
static void print_change_line(store *s, arena *a, const store_version *v)
{
    char when[64];
    store_change c = {0};
    bool detail = store_change_get(s, v->change, a, &c) == 1 && c.detail && *c.detail;
    printf("%s  %s  %s%s%s\n", term_text(a, local_moment(v->moment, when)), term_text(a, v->actor),
           term_text(a, v->action), detail ? ": " : "", detail ? term_text(a, c.detail) : "");
}

int cli_history(const char *db, int argc, char **argv)
{
    static const struct option opts[] = {{"as-known-at", required_argument, NULL, 'k'}, {0}};
    moment_t at = MOMENT_NONE;
    const char *at_text = NULL;
    const char *operands[2];
    int count = 0;
    for (int c; (c = next_option(argc, argv, opts, operands, &count)) != -1;) {
        if (c != 'k')
            return usage(_("history: unknown option or missing value '%s'; usage: somon history AGREEMENT_ID "
                         "[--as-known-at T]"), argv[optind - 1]);
        if (!moment_parse_any(optarg, &at)) {
            fprintf(stderr, _("somon: --as-known-at '%s' is not a moment; write e.g. 2023-07-01T00:00:00 or "
                            "2023-07-01T00:00:00+02:00\n"), optarg);
            return EX_USAGE;
        }
        at_text = optarg;
    }
    if (count != 1)
        return usage(_("history needs one AGREEMENT_ID%s; usage: somon history AGREEMENT_ID [--as-known-at T]"), NULL);
    const char *id = operands[0];
    store *s;
    int rc = open_store(db, &s);
    if (rc)
        return rc;
    arena *a = arena_new();
    int64_t known = store_known_at(s, at);
    store_version *versions = NULL;
    size_t n = 0;
    if (store_agreement_versions(s, known, id, a, &versions, &n)) {
        fprintf(stderr, _("somon: cannot read %s: %s\n"), db, store_error(s));
        rc = EX_IOERR;
    } else if (n == 0) {
        fprintf(stderr, _("somon: there is no agreement '%s' in %s%s%s; 'somon export' lists every agreement\n"),
                term_text(a, id), db, at_text ? _(" as known at ") : "", at_text ? at_text : "");
        rc = EX_NOINPUT;
    }
    agreement *ag = arena_calloc(a, n + 1, sizeof *ag);
    for (size_t i = 0; !rc && i < n; i++) {
        int found = store_get_agreement(s, versions[i].change, id, a, &ag[i]);
        if (found != 1) {
            fprintf(stderr, _("somon: cannot read version %zu of %s: %s\n"), i + 1, id,
                    found < 0 ? store_error(s) : _("it is missing"));
            rc = EX_IOERR;
        }
    }
    if (!rc)
        printf(ngettext("%s (%s): %zu version, oldest first\n", "%s (%s): %zu versions, oldest first\n", n),
               term_text(a, id), term_text(a, ag[n - 1].title), n);
    for (size_t i = 0; !rc && i < n; i++) {
        print_change_line(s, a, &versions[i]);
        field_change *changes;
        size_t k = 0;
        if (i == 0)
            puts(_("  first version"));
        else if (!history_agreement_diff(a, &COMMAND_LINE, &ag[i - 1], &ag[i], NULL, &changes, &k))
            puts(_("  cannot be compared with the version before: a stored text is not UTF-8 (or memory ran out)"));
        else if (!k)
            puts(_("  no change in content"));
        for (size_t j = 0; j < k; j++)
            printf("  %s: %s → %s\n", term_text(a, changes[j].field), term_text(a, changes[j].old_value),
                   term_text(a, changes[j].new_value));
    }
    if (!rc && fflush(stdout) != 0) {
        fprintf(stderr, _("somon: cannot write standard output: %s\n"), strerror(errno));
        rc = EX_IOERR;
    }
    arena_free(a);
    store_close(s);
    return rc;
}

/* ---- backup and restore --------------------------------------------------------- */

static int parse_file_and_force(const char *command, int argc, char **argv, const char **file, bool *force)
{
    static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {0}};
    *force = false;
    const char *operands[2];
    int count = 0;
    for (int c; (c = next_option(argc, argv, opts, operands, &count)) != -1;) {
        if (c != 'f') {
            fprintf(stderr, _("somon: %s: unknown option '%s'; usage: somon %s FILE [--force]\n"), command,
                    argv[optind - 1], command);
            return EX_USAGE;
        }
        *force = true;
    }
    if (count != 1) {
        fprintf(stderr, _("somon: %s needs one FILE; usage: somon %s FILE [--force]\n"), command, command);
        return EX_USAGE;
    }
    *file = operands[0];
    return 0;
}

static bool same_file(const char *a, const char *b)
{
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* Makes a rename durable: syncs the folder that holds path. */
static void sync_folder(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(copy);
}

static void remove_copy(const char *tmp)
{
    char name[4096];
    unlink(tmp);
    snprintf(name, sizeof name, "%s-journal", tmp);
    unlink(name);
}

/* What a database holds, in a (its last actor and moment are stored text). */
static const char *describe(arena *a, const store_file_info *info)
{
    char when[64];
    if (info->last_change == 0)
        return arena_printf(a, _("no changes yet (schema %d)"), info->schema);
    return arena_printf(a,
                        ngettext("%lld change, the last %lld at %s (%s) by %s (schema %d)",
                                 "%lld changes, the last %lld at %s (%s) by %s (schema %d)",
                                 (unsigned long)info->changes),
                        (long long)info->changes, (long long)info->last_change, term_text(a, info->moment),
                        term_text(a, local_moment(info->moment, when)), term_text(a, info->actor), info->schema);
}

/* A message of the store, which may quote names from the file, for the terminal. */
static void say_error(const char *fmt, const char *err)
{
    arena *a = arena_new();
    fputs("somon: ", stderr);
    fprintf(stderr, fmt, term_text(a, err));
    fputc('\n', stderr);
    arena_free(a);
}

int cli_backup(const char *db, int argc, char **argv)
{
    const char *file;
    bool force;
    int rc = parse_file_and_force("backup", argc, argv, &file, &force);
    if (rc)
        return rc;
    struct stat live;
    if (stat(db, &live) != 0) {
        fprintf(stderr, _("somon: no database at %s; give the live database with --db\n"), db);
        return EX_NOINPUT;
    }
    if (same_file(db, file)) {
        fprintf(stderr, _("somon: %s is the database itself; give the backup another name\n"), file);
        return EX_USAGE;
    }
    if (!force && access(file, F_OK) == 0) {
        fprintf(stderr, _("somon: %s exists; give a new name, or --force to replace it\n"), file);
        return EX_CANTCREAT;
    }
    size_t len = strlen(file) + sizeof ".tmp";
    char *tmp = malloc(len);
    if (!tmp)
        return EX_OSERR;
    snprintf(tmp, len, "%s.tmp", file);
    remove_copy(tmp); /* left by an interrupted backup */
    char *err = NULL;
    if ((rc = store_backup(db, tmp, &err))) {
        say_error(_("%s; nothing was written"), err ? err : _("the backup failed"));
        remove_copy(tmp);
    }
    free(err);
    err = NULL;
    store_file_info info;
    if (!rc) {
        /* the copy holds what the database holds (accounts too): same permissions */
        chmod(tmp, live.st_mode & 0666);
        int bad = store_inspect(tmp, &info, &err);
        if (bad) {
            say_error(_("the copy is not usable, nothing was kept: %s"), err ? err : "");
            remove_copy(tmp);
            rc = EX_IOERR;
        } else if (rename(tmp, file) != 0) {
            fprintf(stderr, _("somon: cannot rename %s to %s: %s\n"), tmp, file, strerror(errno));
            remove_copy(tmp);
            rc = EX_CANTCREAT;
        } else {
            sync_folder(file);
        }
    }
    if (!rc) {
        arena *a = arena_new();
        printf(_("backup: %s is a copy of %s with %s; integrity_check ok\n"), file, db, describe(a, &info));
        arena_free(a);
    }
    free(err);
    free(tmp);
    return rc;
}

int cli_restore(const char *db, int argc, char **argv)
{
    const char *file;
    bool force;
    int rc = parse_file_and_force("restore", argc, argv, &file, &force);
    if (rc)
        return rc;
    store_file_info info;
    char *err = NULL;
    if ((rc = store_inspect(file, &info, &err))) {
        say_error(_("%s; nothing was restored"), err ? err : _("cannot read the file"));
        free(err);
        return rc;
    }
    free(err);
    err = NULL;
    struct stat target;
    if (same_file(db, file)) {
        fprintf(stderr, _("somon: %s is the database itself; nothing to restore\n"), file);
        return EX_USAGE;
    }
    if (!force && stat(db, &target) == 0 && target.st_size > 0) {
        fprintf(stderr, _("somon: %s already holds a database; restoring replaces all of it, its history included: "
                        "back it up first (somon backup), then restore with --force\n"), db);
        return EX_CANTCREAT;
    }
    if ((rc = store_restore_from(db, file, &err))) {
        say_error("%s", err ? err : _("the restore failed"));
        free(err);
        return rc;
    }
    arena *a = arena_new();
    printf(_("restored: %s now holds the copy %s, with %s\n"), db, file, describe(a, &info));
    arena_free(a);
    if (info.schema < STORE_SCHEMA_VERSION)
        printf(_("restored: its schema is older than this somon's (%d); upgrade it with 'somon init'\n"),
               STORE_SCHEMA_VERSION);
    return 0;
}

/* ---- alerts --------------------------------------------------------------------- */

static void print_alerts_text(arena *a, const table *t)
{
    if (!t->rows) {
        puts(_("no alerts"));
        return;
    }
    for (size_t r = 0; r < t->rows; r++) {
        const cell *c = &t->cells[r * t->columns];
        printf(_("%-44s  %-32s  %s\n    fix: %s\n"), term_text(a, c[0].text), term_text(a, c[1].text),
               term_text(a, c[3].text), term_text(a, c[5].text));
    }
}

int cli_alerts(const char *db, int argc, char **argv)
{
    static const struct option opts[] = {{"date", required_argument, NULL, 'd'},
                                         {"as-known-at", required_argument, NULL, 'k'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"province", required_argument, NULL, 'P'},
                                         {0}};
    static const char *const USAGE =
        N_("usage: somon alerts [--date YYYY-MM-DD] [--as-known-at T] [--province NAME] [--format text|csv|md]");
    int province = -1;
    date_t d = moment_local_date(moment_now());
    moment_t at = MOMENT_NONE;
    const char *format = "text", *operands[2];
    int count = 0;
    for (int c; (c = next_option(argc, argv, opts, operands, &count)) != -1;) {
        if (c == 'd' && !date_parse_any(optarg, &d))
            return usage(_("alerts: --date '%s' is not a date; write YYYY-MM-DD or DD/MM/YYYY"), optarg);
        else if (c == 'k' && !moment_parse_any(optarg, &at))
            return usage(_("alerts: --as-known-at '%s' is not a moment; write e.g. 2023-07-01T00:00:00"), optarg);
        else if (c == 'f')
            format = optarg;
        else if (c == 'P' && (province = province_parse_any_case(optarg)) < 0)
            return usage(_("alerts: --province '%s' is not one of West-Vlaanderen, Oost-Vlaanderen, Antwerpen, "
                         "Vlaams-Brabant, Limburg"), optarg);
        else if (c != 'd' && c != 'k' && c != 'P')
            return usage(_("alerts: unknown option or missing value '%s'"), argv[optind - 1]);
    }
    if (count)
        return usage(_("alerts takes no operands; %s"), _(USAGE));
    if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "md") != 0)
        return usage(_("alerts: --format must be text, csv or md, not '%s'"), format);
    store *s;
    int rc = open_store(db, &s);
    if (rc)
        return rc;
    arena *a = arena_new();
    alert *al;
    long n;
    register_view v;
    if (alerts_compute(s, store_known_at(s, at), d, province, a, &al, &n)) {
        fprintf(stderr, _("somon: cannot read %s: %s\n"), db, store_error(s));
        rc = EX_IOERR;
    } else if (store_load_view(s, store_known_at(s, at), &v)) {
        fprintf(stderr, _("somon: cannot read %s: %s\n"), db, store_error(s));
        rc = EX_IOERR;
    } else {
        table t;
        alerts_table(a, &v, al, n, strcmp(format, "csv") == 0, &t);
        buf out = {0};
        if (strcmp(format, "csv") == 0)
            table_csv(&t, &out);
        else if (strcmp(format, "md") == 0)
            table_markdown(&t, &out);
        else
            print_alerts_text(a, &t);
        if (strcmp(format, "md") == 0)
            term_write(&out, stdout);
        else
            fwrite(out.data ? out.data : "", 1, out.len, stdout);
        buf_free(&out);
        register_view_free(&v);
    }
    arena_free(a);
    store_close(s);
    return rc;
}
