/* main.c: the command line (SPEC §6). One table maps each command to its
 * function; global options come before the command, the command's own after
 * it. Exit codes follow sysexits: 0 ok, 64 usage, 65 bad data, 66 missing
 * input, 74 I/O error. Every error is one line on standard error that names
 * the place and the fix. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli_admin.h"
#include "cli_editions.h"
#include "cli_sheet.h"
#include "cli_user.h"
#include "http.h"
#include "i18n.h"
#include "indicators_import.h"
#include "input.h"
#include "refdata.h"
#include "report.h"
#include "report_answer.h"
#include "somon1.h"
#include "store.h"
#include "term.h"

#ifndef SOMON_DATADIR
#define SOMON_DATADIR "data"
#endif
#ifndef SOMON_VERSION
#define SOMON_VERSION "0.1"
#endif

typedef struct {
    const char *db;
    const char *actor;
} globals;

/* The help, one entry per command so that each is translated (po/nl/cli.po) and a
 * new command adds an entry. */
static const char *const USAGE[] = {
    N_("usage: somon [--db PATH] [--actor NAME] COMMAND [ARGS]\n"
       "\n"),
    N_("  init [--reference DIR]     create or upgrade the database, load reference data\n"),
    N_("  import FILE...             load somon/1 JSON documents ('-' reads standard input)\n"),
    N_("  import indicators FILE.csv [--synthetic]\n"
       "                             indicator values (nis,period,indicator,value); --synthetic marks demo data\n"),
    N_("  import sheet FILE.xlsx|FILE.csv [--dry-run]\n"
       "                             agreements in the annex layout, one row per party\n"),
    N_("  import indicator-definitions FILE.csv\n"
       "                             add or change indicator definitions\n"),
    N_("  export [FILE] [--as-known-at T]\n"
       "                             write the register as one somon/1 document\n"),
    N_("  report coverage --date D [--prognosis P] [--as-known-at T]\n"
       "                  [--format text|csv|json|md|html|xlsx] [--output FILE]\n"
       "                             the parliamentary table per province\n"),
    N_("  report annex --date D [--province NAME] [--as-known-at T] [--format …] [--output FILE]\n"
       "                             every municipality with the agreements covering it\n"),
    N_("  report concluded --from A --to B [--province NAME] [--as-known-at T] [--format …] [--output FILE]\n"
       "                             the agreements signed from A to B, per province and municipality\n"),
    N_("  report answer --date D --prognosis P [--as-known-at T] [--format docx|html|md] [--output FILE]\n"
       "                             the answer to parliament: table, footnotes, question 2, Bijlage 1\n"),
    N_("  publish --date D --prognosis P --question TEXT [--note PROVINCE=TEXT]... [--as-known-at T]\n"
       "                             freeze the table as an edition of the answer to parliament\n"),
    N_("  editions [--format text|csv|json|md]   the published editions\n"),
    N_("  edition diff ID            what today's knowledge changes in a published edition\n"),
    N_("  serve [--listen ADDR:PORT] [--threads N] [--timeout SECONDS] [--secure-cookies]\n"
       "        [--trusted-proxy ADDR]...\n"
       "                             the web application (default 127.0.0.1:8080); behind a reverse\n"
       "                             proxy at ADDR, the last address of its X-Forwarded-For names the\n"
       "                             client (throttling, access log); repeat for more proxies;\n"
       "                             a connection idle for SECONDS (default 15) is closed\n"),
    N_("  user add LOGIN --role admin|vdab|local|viewer [--scope ITEMS]\n"),
    N_("  user passwd LOGIN | user list | user disable LOGIN\n"
       "                             accounts (passwords from the terminal or standard input)\n"),
    N_("  history AGREEMENT_ID [--as-known-at T]\n"
       "                             every version of an agreement: who, when, each changed field\n"),
    N_("  backup FILE [--force]      a consistent copy of the database, also while it is in use\n"),
    N_("  restore FILE [--force]     replace the database with a checked backup (stop the server first)\n"),
    N_("  alerts [--date D] [--as-known-at T] [--province NAME] [--format text|csv|md]\n"
       "                             what needs attention: agreements ending, late pipeline, missing\n"
       "                             approvals, bodies behind on meetings, actions not evaluated\n"),
    N_("\n"
       "The database is --db, else $SOMON_DB, else ./somon.db. Dates are YYYY-MM-DD\n"
       "or DD/MM/YYYY; moments (--as-known-at) are ISO 8601, local time when no offset is given.\n"
       "--actor names who makes a change (default: the user running somon).\n"),
};

static void print_usage(FILE *out)
{
    for (size_t i = 0; i < sizeof USAGE / sizeof *USAGE; i++)
        fputs(_(USAGE[i]), out);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("somon: ", stderr);
    fprintf(stderr, fmt, arg ? arg : "");
    fputs("\n", stderr);
    print_usage(stderr);
    return EX_USAGE;
}

static const char *default_actor(void)
{
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name && *pw->pw_name)
        return pw->pw_name;
    const char *user = getenv("USER");
    return user && *user ? user : "unknown";
}

static int open_store(const globals *g, store_mode mode, store **s)
{
    char *err = NULL;
    int rc = store_open(g->db, mode, s, &err);
    if (rc)
        fprintf(stderr, "somon: %s\n", err ? err : _("cannot open the database"));
    free(err);
    return rc;
}

static int parse_date_option(const char *flag, const char *value, date_t *out)
{
    if (date_parse_any(value, out) && date_in_limits(*out))
        return 0;
    if (date_parse_any(value, out)) /* the map begins on 1983-01-01: no municipality before it */
        fprintf(stderr, _("somon: %s '%s' lies outside %d-01-01 .. %d-12-31; give a date in that range\n"), flag, value,
                LIMIT_YEAR_FIRST, LIMIT_YEAR_LAST);
    else
        fprintf(stderr, _("somon: %s '%s' is not a date; write YYYY-MM-DD or DD/MM/YYYY (e.g. 2023-06-30)\n"), flag, value);
    return EX_USAGE;
}

static int parse_moment_option(const char *value, moment_t *out)
{
    if (moment_parse_any(value, out))
        return 0;
    fprintf(stderr, _("somon: --as-known-at '%s' is not a moment; write e.g. 2023-07-01T00:00:00 or "
                      "2023-07-01T00:00:00+02:00\n"), value);
    return EX_USAGE;
}

static int unknown_option(const char *command, char **argv)
{
    fprintf(stderr, _("somon: %s: unknown option or missing value '%s'\n"), command, argv[optind - 1]);
    print_usage(stderr);
    return EX_USAGE;
}

/* getopt_long over a command's own arguments; argv[0] is the command. */
static int next_option(int argc, char **argv, const struct option *opts)
{
    return getopt_long(argc, argv, "+", opts, NULL);
}

/* ---- init ---- */

static int cmd_init(const globals *g, int argc, char **argv)
{
    const char *reference = SOMON_DATADIR;
    static const struct option opts[] = {{"reference", required_argument, NULL, 'r'}, {0}};
    for (int c; (c = next_option(argc, argv, opts)) != -1;) {
        if (c == 'r')
            reference = optarg;
        else
            return unknown_option("init", argv);
    }
    if (optind != argc)
        return usage_error(_("init takes no arguments, got '%s'"), argv[optind]);
    store *s;
    int rc = open_store(g, STORE_CREATE, &s);
    if (rc)
        return rc;
    int before = store_schema_version(s);
#ifdef SOMON_TESTING
    const char *target = getenv("SOMON_SCHEMA_TARGET"); /* tests build older databases with it */
#else
    const char *target = NULL; /* the production binary always builds the current schema */
#endif
    if (store_migrate(s, target ? atoi(target) : 0)) {
        store_close(s);
        return EX_IOERR;
    }
    int after = store_schema_version(s), changed = 0;
    rc = refdata_install(s, reference, g->actor, stderr, &changed);
    store_close(s);
    if (rc)
        return rc;
    if (before == 0)
        printf(_("%s: created (schema %d)\n"), g->db, after);
    else if (before != after)
        printf(_("%s: upgraded from schema %d to %d, every row kept\n"), g->db, before, after);
    else
        printf(_("%s: schema %d is current\n"), g->db, after);
    printf(_("%s: reference data from %s %s\n"), g->db, reference, changed ? _("loaded") : _("unchanged"));
    return 0;
}

/* ---- import / export ---- */

/* `import indicators FILE [--synthetic]` and `import indicator-definitions
 * FILE` (indicators_import.c). */
static int cmd_import_indicators(const globals *g, int argc, char **argv)
{
    bool defs = strcmp(argv[0], "indicator-definitions") == 0, synthetic = false;
    static const struct option opts[] = {{"synthetic", no_argument, NULL, 's'}, {0}};
    for (int c; (c = next_option(argc, argv, opts)) != -1;) {
        if (c == 's' && !defs)
            synthetic = true;
        else
            return unknown_option("import", argv);
    }
    if (argc - optind != 1)
        return usage_error(defs ? _("import indicator-definitions needs one FILE.csv (code,name,unit,kind,numerator,"
                                    "denominator,source)%s")
                                : _("import indicators needs one FILE.csv (nis,period,indicator,value)%s"), "");
    store *s;
    int rc = open_store(g, STORE_READWRITE, &s);
    if (rc)
        return rc;
    if (defs) {
        size_t written;
        rc = indicators_import_defs(s, argv[optind], g->actor, stderr, &written);
        if (!rc)
            printf(_("imported: %zu indicator definition(s) new or changed\n"), written);
    } else {
        indicators_counts n;
        rc = indicators_import_values(s, argv[optind], g->actor, synthetic, isatty(STDERR_FILENO), stderr, &n);
        if (!rc)
            printf(_("imported: %zu indicator value(s): %zu new, %zu changed, %zu unchanged%s\n"), n.rows, n.added,
                   n.changed, n.unchanged, synthetic ? _(" (synthetic)") : "");
    }
    store_close(s);
    return rc;
}

static int cmd_import(const globals *g, int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "indicators") == 0 || strcmp(argv[1], "indicator-definitions") == 0))
        return cmd_import_indicators(g, argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "sheet") == 0)
        return cli_import_sheet(g->db, g->actor, argc - 1, argv + 1);
    static const struct option opts[] = {{0}};
    if (next_option(argc, argv, opts) != -1)
        return unknown_option("import", argv);
    if (optind == argc)
        return usage_error(_("import needs a FILE (somon/1 JSON; '-' for standard input)"), NULL);
    store_fast_memory(); /* before the store opens: the import writes from a second thread */
    store *s;
    int rc = open_store(g, STORE_READWRITE, &s);
    if (rc)
        return rc;
    somon1_counts n;
    rc = somon1_import(s, (const char *const *)argv + optind, (size_t)(argc - optind), g->actor, stderr, &n);
    store_close(s);
    if (!rc)
        printf(_("imported: %zu agreement(s) new, %zu replaced, %zu unchanged; %zu organisation(s)/regiegebied(en) "
                 "written; %zu evaluation(s)/meeting(s) written; %zu cooperation(s)/outreach entr(ies) written\n"),
               n.added, n.replaced, n.unchanged, n.other, n.followup, n.cooperation);
    if (!rc && n.notice) /* issue 13: the register notice set or cleared */
        fputs(n.notice > 0 ? _("register notice set: public_sources_partial (every page and download says it)\n")
                           : _("register notice cleared\n"),
              stdout);
    return rc;
}

static int cmd_export(const globals *g, int argc, char **argv)
{
    moment_t at = MOMENT_NONE;
    static const struct option opts[] = {{"as-known-at", required_argument, NULL, 'k'}, {0}};
    for (int c; (c = next_option(argc, argv, opts)) != -1;) {
        if (c != 'k')
            return unknown_option("export", argv);
        if (parse_moment_option(optarg, &at))
            return EX_USAGE;
    }
    if (argc - optind > 1)
        return usage_error(_("export takes at most one FILE, got '%s' too"), argv[optind + 1]);
    const char *path = optind < argc ? argv[optind] : NULL;
    store *s;
    int rc = open_store(g, STORE_READONLY, &s);
    if (rc)
        return rc;
    FILE *out = path && strcmp(path, "-") != 0 ? fopen(path, "wb") : stdout;
    if (!out) {
        fprintf(stderr, _("somon: cannot write %s: %s\n"), path, strerror(errno));
        store_close(s);
        return EX_CANTCREAT;
    }
    int64_t known = store_known_at(s, at);
    rc = somon1_export(s, known, out) || somon1_warn_orphans(s, known, stderr) ? EX_IOERR : 0;
    if (out != stdout && fclose(out) != 0 && !rc) {
        fprintf(stderr, _("somon: cannot write %s: %s\n"), path, strerror(errno));
        rc = EX_IOERR;
    }
    store_close(s);
    return rc;
}

/* ---- reports ---- */

typedef enum { REPORT_COVERAGE, REPORT_ANNEX, REPORT_CONCLUDED } report_kind;

typedef struct {
    report_kind kind;
    date_t date, prognosis;
    date_t from, to; /* report concluded: signed_on from..to */
    moment_t at;
    report_format format;
    const char *output;
    int province;
} report_options;

/* What each report needs beyond its options: a date, or a period. */
static int check_report_options(const report_options *o)
{
    if (o->kind == REPORT_CONCLUDED && (o->from == DATE_NONE || o->to == DATE_NONE))
        return usage_error(_("report concluded needs --from YYYY-MM-DD and --to YYYY-MM-DD (the days signed_on may fall on)"),
                           NULL);
    if (o->kind == REPORT_CONCLUDED && o->from > o->to)
        return usage_error(_("report concluded: --from lies after --to; give the earlier day first"), NULL);
    if (o->kind != REPORT_CONCLUDED && o->date == DATE_NONE)
        return usage_error(_("report needs --date YYYY-MM-DD"), NULL);
    if (o->format == FORMAT_XLSX && !o->output)
        return usage_error(_("--format xlsx needs --output FILE.xlsx"), NULL);
    return 0;
}

static int parse_report_options(int argc, char **argv, report_kind kind, report_options *o)
{
    *o = (report_options){kind, DATE_NONE, DATE_NONE, DATE_NONE, DATE_NONE, MOMENT_NONE, FORMAT_TEXT, NULL, -1};
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},   {"prognosis", required_argument, NULL, 'p'},
        {"as-known-at", required_argument, NULL, 'k'}, {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'}, {"province", required_argument, NULL, 'P'},
        {"from", required_argument, NULL, 'F'},   {"to", required_argument, NULL, 'T'},
        {0}};
    for (int c; (c = next_option(argc, argv, opts)) != -1;) {
        switch (c) {
        case 'd':
            if (kind == REPORT_CONCLUDED)
                return usage_error(_("report concluded has no --date; give the period with --from and --to"), NULL);
            if (parse_date_option("--date", optarg, &o->date))
                return EX_USAGE;
            break;
        case 'F':
        case 'T':
            if (kind != REPORT_CONCLUDED)
                return usage_error(_("only report concluded has --from and --to; this report takes --date"), NULL);
            if (parse_date_option(c == 'F' ? "--from" : "--to", optarg, c == 'F' ? &o->from : &o->to))
                return EX_USAGE;
            break;
        case 'p':
            if (kind != REPORT_COVERAGE)
                return usage_error(_("only report coverage has --prognosis"), NULL);
            if (parse_date_option("--prognosis", optarg, &o->prognosis))
                return EX_USAGE;
            break;
        case 'k':
            if (parse_moment_option(optarg, &o->at))
                return EX_USAGE;
            break;
        case 'f':
            if (!report_format_parse(optarg, &o->format))
                return usage_error(_("--format '%s' is not a format; give text, csv, json, md, html or xlsx"), optarg);
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'P':
            if (kind == REPORT_COVERAGE)
                return usage_error(_("report coverage has no --province (it shows every province)"), NULL);
            o->province = province_parse_any_case(optarg);
            if (o->province < 0)
                return usage_error(_("--province '%s' is not one of West-Vlaanderen, Oost-Vlaanderen, Antwerpen, "
                                     "Vlaams-Brabant, Limburg"), optarg);
            break;
        default:
            return unknown_option("report", argv);
        }
    }
    if (optind != argc)
        return usage_error(_("report: unexpected argument '%s'"), argv[optind]);
    return check_report_options(o);
}

static int emit(const buf *b, const report_options *o)
{
    if (o->format == FORMAT_XLSX)
        return 0;
    FILE *out = o->output ? fopen(o->output, "wb") : stdout;
    if (!out) {
        fprintf(stderr, _("somon: cannot write %s: %s\n"), o->output, strerror(errno));
        return EX_CANTCREAT;
    }
    /* text and Markdown are read on a terminal: stored text is escaped there (term.h) */
    bool text = o->format == FORMAT_TEXT || o->format == FORMAT_MD;
    int failed = text ? term_write(b, out) : buf_write(b, out);
    if (out != stdout)
        failed |= fclose(out);
    else
        failed |= fflush(out);
    if (failed) {
        fprintf(stderr, _("somon: cannot write %s: %s\n"), o->output ? o->output : _("standard output"), strerror(errno));
        return EX_IOERR;
    }
    return 0;
}

static int cmd_report(const globals *g, int argc, char **argv)
{
    static const char *const KINDS[] = {"coverage", "annex", "concluded"};
    if (argc >= 2 && strcmp(argv[1], "answer") == 0) /* its own options: report_answer.c */
        return cli_answer(g->db, argc - 1, argv + 1);
    int kind = -1;
    for (int k = 0; argc >= 2 && k < 3; k++)
        if (strcmp(argv[1], KINDS[k]) == 0)
            kind = k;
    if (kind < 0)
        return usage_error(_("report needs 'coverage', 'annex', 'concluded' or 'answer', not '%s'"), argc >= 2 ? argv[1] : "");
    report_options o;
    int rc = parse_report_options(argc - 1, argv + 1, (report_kind)kind, &o);
    if (rc)
        return rc;
    store *s;
    if ((rc = open_store(g, STORE_READONLY, &s)))
        return rc;
    register_view v;
    if (store_load_view(s, store_known_at(s, o.at), &v)) {
        fprintf(stderr, _("somon: cannot read %s: %s\n"), g->db, store_error(s));
        store_close(s);
        return EX_IOERR;
    }
    buf b = {0};
    if (o.kind == REPORT_CONCLUDED) {
        concluded_report r;
        rc = concluded_report_compute(&v, o.from, o.to, o.province, o.at, &r) ? EX_SOFTWARE
             : concluded_report_render(&r, o.format, &b, o.output)           ? EX_CANTCREAT
                                                                              : 0;
        concluded_report_free(&r);
    } else if (o.kind == REPORT_ANNEX) {
        annex_report r;
        rc = annex_report_compute(&v, o.date, o.province, o.at, &r) ? EX_SOFTWARE
             : annex_report_render(&r, o.format, &b, o.output)     ? EX_CANTCREAT
                                                                    : 0;
        annex_report_free(&r);
    } else {
        coverage_report r;
        arena *notes = arena_new(); /* the footnotes (docs/footnotes.md) */
        rc = coverage_report_compute(&v, o.date, o.prognosis, o.at, &r) ? EX_SOFTWARE
             : coverage_report_footnotes(&r, &v, s, notes, &b)          ? EX_IOERR
             : coverage_report_render(&r, o.format, &b, o.output)       ? EX_CANTCREAT
                                                                         : 0;
        arena_free(notes);
    }
    if (rc)
        fprintf(stderr, "somon: %s\n", b.len ? b.data : _("out of memory"));
    else
        rc = emit(&b, &o);
    buf_free(&b);
    register_view_free(&v);
    store_close(s);
    return rc;
}

/* ---- the web ---- */

static int cmd_serve(const globals *g, int argc, char **argv)
{
    http_config cfg = {.db_path = g->db, .listen = "127.0.0.1:8080"};
    static const struct option opts[] = {{"listen", required_argument, NULL, 'l'},
                                         {"threads", required_argument, NULL, 't'},
                                         {"timeout", required_argument, NULL, 'T'},
                                         {"secure-cookies", no_argument, NULL, 's'},
                                         {"trusted-proxy", required_argument, NULL, 'p'},
                                         {0}};
    for (int c; (c = next_option(argc, argv, opts)) != -1;) {
        if (c == 'l') {
            cfg.listen = optarg;
        } else if (c == 'p') {
            if (cfg.trusted_proxy_count == HTTP_MAX_PROXIES)
                return usage_error(_("--trusted-proxy is given more than 8 times; name at most 8 proxies (%s)"), optarg);
            cfg.trusted_proxies[cfg.trusted_proxy_count++] = optarg;
        } else if (c == 's') {
            cfg.secure_cookies = true;
        } else if (c == 't') {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 64)
                return usage_error(_("--threads '%s' is not a number from 1 to 64"), optarg);
            cfg.threads = (unsigned)n;
        } else if (c == 'T') {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > HTTP_MAX_TIMEOUT) /* 3600, as the message says */
                return usage_error(_("--timeout '%s' is not a number of seconds from 1 to 3600"), optarg);
            cfg.timeout = (unsigned)n;
        } else {
            return unknown_option("serve", argv);
        }
    }
    if (optind != argc)
        return usage_error(_("serve takes no arguments, got '%s'"), argv[optind]);
    return http_serve(&cfg);
}

/* Hidden: answers one raw HTTP request from standard input (tests, valgrind). */
static int cmd_test_http(const globals *g, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return usage_error(_("test-http reads one request from standard input and takes no arguments"), NULL);
    return http_test_request(g->db, stdin, stdout);
}

static int cmd_user(const globals *g, int argc, char **argv)
{
    store *s;
    bool writes = argc >= 2 && strcmp(argv[1], "list") != 0;
    int rc = open_store(g, writes ? STORE_READWRITE : STORE_READONLY, &s);
    if (rc)
        return rc;
    rc = cli_user(s, g->actor, argc, argv);
    store_close(s);
    return rc;
}

static int cmd_history(const globals *g, int argc, char **argv) { return cli_history(g->db, argc, argv); }
static int cmd_backup(const globals *g, int argc, char **argv) { return cli_backup(g->db, argc, argv); }
static int cmd_restore(const globals *g, int argc, char **argv) { return cli_restore(g->db, argc, argv); }
static int cmd_alerts(const globals *g, int argc, char **argv) { return cli_alerts(g->db, argc, argv); }
static int cmd_publish(const globals *g, int argc, char **argv) { return cli_publish(g->db, g->actor, argc, argv); }
static int cmd_editions(const globals *g, int argc, char **argv) { return cli_editions(g->db, g->actor, argc, argv); }
static int cmd_edition(const globals *g, int argc, char **argv) { return cli_edition(g->db, g->actor, argc, argv); }

/* ---- dispatch ---- */

typedef struct {
    const char *name;
    int (*run)(const globals *g, int argc, char **argv);
} command;

static const command COMMANDS[] = {
    {"init", cmd_init},
    {"import", cmd_import},
    {"export", cmd_export},
    {"report", cmd_report},
    {"serve", cmd_serve},
    {"test-http", cmd_test_http},
    {"user", cmd_user},
    {"history", cmd_history},
    {"alerts", cmd_alerts},
    {"backup", cmd_backup},
    {"restore", cmd_restore},
    {"publish", cmd_publish},
    {"editions", cmd_editions},
    {"edition", cmd_edition},
};

int main(int argc, char **argv)
{
    i18n_init();
    globals g = {getenv("SOMON_DB"), NULL};
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"actor", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'v'},
                                         {0}};
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, "+", opts, NULL)) != -1;) {
        switch (c) {
        case 'd': g.db = optarg; break;
        case 'a': g.actor = optarg; break;
        case 'h': print_usage(stdout); return 0;
        case 'v': printf("somon %s\n", SOMON_VERSION); return 0;
        default:
            return usage_error(_("unknown option '%s'"), argv[optind - 1]);
        }
    }
    if (!g.db || !*g.db)
        g.db = "somon.db";
    if (!g.actor || !*g.actor)
        g.actor = default_actor();
    if (optind >= argc)
        return usage_error(_("give a command"), NULL);
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        if (strcmp(argv[optind], COMMANDS[i].name) == 0) {
            int sub_argc = argc - optind;
            char **sub_argv = argv + optind;
            optind = 1; /* the command parses its own options from here */
            return COMMANDS[i].run(&g, sub_argc, sub_argv);
        }
    return usage_error(_("unknown command '%s'"), argv[optind]);
}
