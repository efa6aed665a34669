/* cli_editions.c: see cli_editions.h. Stored text reaches the terminal
 * through term_text() (term.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli_editions.h"
#include "i18n.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "edition.h"
#include "input.h"
#include "report.h"
#include "term.h"

static int usage(const char *fmt, const char *arg)
{
    fputs("somon: ", stderr);
    fprintf(stderr, fmt, arg ? arg : "");
    fputc('\n', stderr);
    return EX_USAGE;
}

static int open_store(const char *db, store_mode mode, store **s)
{
    char *err = NULL;
    int rc = store_open(db, mode, s, &err);
    if (rc)
        fprintf(stderr, "somon: %s\n", err ? err : _("cannot open the database"));
    free(err);
    return rc;
}

static int flush_stdout(void)
{
    if (fflush(stdout) == 0)
        return 0;
    fprintf(stderr, _("somon: cannot write standard output: %s\n"), strerror(errno));
    return EX_IOERR;
}

/* ---- publish ---- */

static const char *const PUBLISH_USAGE = N_("usage: somon publish --date D --prognosis P --question TEXT "
                                            "[--note PROVINCE=TEXT]... [--as-known-at T]");


static int date_option(const char *flag, const char *value, date_t *out)
{
    if (date_parse_any(value, out) && date_in_limits(*out))
        return 0;
    fprintf(stderr, _("somon: publish %s '%s' is not a date from %d-01-01 to %d-12-31; write YYYY-MM-DD or DD/MM/YYYY "
                    "(e.g. 2023-06-30)\n"), flag, value, LIMIT_YEAR_FIRST, LIMIT_YEAR_LAST);
    return EX_USAGE;
}

/* --note PROVINCE=TEXT into in->notes. */
static int note_option(const char *value, arena *a, edition_input *in, size_t *cap)
{
    const char *eq = strchr(value, '=');
    if (!eq)
        return usage(_("publish --note '%s' has no '='; write --note PROVINCE=TEXT (e.g. --note 'Limburg=Nog 2 "
                     "gemeenten moeten de gemeenteraad passeren')"), value);
    char *name = arena_strndup(a, value, (size_t)(eq - value));
    int row = edition_row_parse(name);
    if (row < 0)
        return usage(_("publish --note: '%s' is not a province; give West-Vlaanderen, Oost-Vlaanderen, Antwerpen, "
                     "Vlaams-Brabant, Limburg or Vlaanderen before the '='"), name);
    in->notes = arena_grow(a, in->notes, cap, in->note_count + 1, sizeof *in->notes);
    in->notes[in->note_count++] = (edition_note){row, arena_strdup(a, eq + 1)};
    return 0;
}

static int parse_publish(int argc, char **argv, arena *a, edition_input *in)
{
    static const struct option opts[] = {{"date", required_argument, NULL, 'd'},
                                         {"prognosis", required_argument, NULL, 'p'},
                                         {"question", required_argument, NULL, 'q'},
                                         {"note", required_argument, NULL, 'n'},
                                         {"as-known-at", required_argument, NULL, 'k'},
                                         {0}};
    *in = (edition_input){NULL, DATE_NONE, DATE_NONE, MOMENT_NONE, NULL, 0};
    size_t cap = 0;
    int rc = 0;
    for (int c; !rc && (c = getopt_long(argc, argv, "+", opts, NULL)) != -1;) {
        switch (c) {
        case 'd': rc = date_option("--date", optarg, &in->date); break;
        case 'p': rc = date_option("--prognosis", optarg, &in->prognosis); break;
        case 'q': in->question = optarg; break;
        case 'n': rc = note_option(optarg, a, in, &cap); break;
        case 'k':
            if (!moment_parse_any(optarg, &in->as_known_at))
                rc = usage(_("publish --as-known-at '%s' is not a moment; write e.g. 2023-07-01T00:00:00 or "
                           "2023-07-01T00:00:00+02:00"), optarg);
            break;
        default:
            fprintf(stderr, _("somon: publish: unknown option or missing value '%s'\n%s\n"), argv[optind - 1],
                    _(PUBLISH_USAGE));
            return EX_USAGE;
        }
    }
    if (rc)
        return rc;
    if (optind != argc)
        return usage(_("publish: unexpected argument '%s'; give the question with --question"), argv[optind]);
    if (!in->question || !in->question[strspn(in->question, " \t\r\n")])
        return usage(_("publish needs --question TEXT (the question the edition answers, e.g. 'Schriftelijke vraag "
                     "nr. 123'); %s"), _(PUBLISH_USAGE));
    if (in->date == DATE_NONE || in->prognosis == DATE_NONE)
        return usage(_("publish needs --date D and --prognosis P (the dates of the table and of its prognosis); %s"),
                     _(PUBLISH_USAGE));
    if (in->prognosis < in->date) {
        char d[DATE_ISO_LEN];
        return usage(_("publish --prognosis lies before --date; give a prognosis date on or after %s"),
                     date_format_iso(in->date, d));
    }
    return 0;
}

/* The option a problem of edition_check names. */
static const char *option_of(arena *a, const char *path)
{
    int row;
    if (sscanf(path, "notes[%d]", &row) == 1)
        return arena_printf(a, "--note %s", province_name(row));
    return strcmp(path, "as_known_at") == 0 ? "--as-known-at" : arena_printf(a, "--%s", path);
}

int cli_publish(const char *db, const char *actor, int argc, char **argv)
{
    arena *a = arena_new();
    edition_input in;
    int rc = parse_publish(argc, argv, a, &in);
    somon1_problem *problems;
    size_t n = rc ? 0 : edition_check(&in, false, a, &problems);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, _("somon: publish %s: %s\n"), option_of(a, problems[i].path), problems[i].message);
    if (n)
        rc = EX_DATAERR;
    store *s = NULL;
    if (!rc)
        rc = open_store(db, STORE_READWRITE, &s);
    edition_head e;
    if (!rc && edition_publish(s, actor, &in, 0, a, &e) != EDITION_PUBLISHED) {
        fprintf(stderr, _("somon: cannot publish in %s: %s; nothing was written\n"), db, store_error(s));
        rc = EX_IOERR;
    }
    if (!rc) {
        printf("%lld\n", (long long)e.id);
        rc = flush_stdout();
    }
    store_close(s);
    arena_free(a);
    return rc;
}

/* ---- editions ---- */

static void print_text(arena *a, const edition_head *e, size_t n)
{
    if (!n)
        puts(NT_("Er zijn nog geen gepubliceerde edities; 'somon publish' maakt er een."));
    for (size_t i = 0; i < n; i++) {
        char d[DATE_NL_LEN], p[DATE_NL_LEN];
        printf(NT_("%lld  op %s, prognose %s, zoals gekend op %s; gepubliceerd op %s door %s\n    %s\n"),
               (long long)e[i].id, date_format_nl(e[i].date, d), date_format_nl(e[i].prognosis, p),
               term_text(a, e[i].known_at), term_text(a, e[i].published_at), term_text(a, e[i].published_by),
               term_text(a, e[i].question));
    }
}

int cli_editions(const char *db, const char *actor, int argc, char **argv)
{
    (void)actor;
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'}, {0}};
    report_format f = FORMAT_TEXT;
    for (int c; (c = getopt_long(argc, argv, "+", opts, NULL)) != -1;)
        if (c != 'f' || !report_format_parse(optarg, &f) || f == FORMAT_XLSX || f == FORMAT_HTML)
            return usage(_("editions: give --format text, csv, json or md (not '%s')"), c == 'f' ? optarg : argv[optind - 1]);
    if (optind != argc)
        return usage(_("editions takes no arguments, got '%s'; 'somon edition diff ID' compares one"), argv[optind]);
    store *s;
    int rc = open_store(db, STORE_READONLY, &s);
    if (rc)
        return rc;
    arena *a = arena_new();
    edition_head *e;
    size_t n;
    if (store_editions(s, STORE_NOW, a, &e, &n)) {
        fprintf(stderr, _("somon: cannot read %s: %s\n"), db, store_error(s));
        rc = EX_IOERR;
    } else if (f == FORMAT_TEXT) {
        print_text(a, e, n);
    } else {
        table t;
        edition_list_table(a, e, n, &t);
        buf b = {0};
        if (f == FORMAT_CSV)
            table_csv(&t, &b);
        else if (f == FORMAT_JSON)
            table_json(&t, &b);
        else
            table_markdown(&t, &b);
        rc = (f == FORMAT_MD ? term_write(&b, stdout) : buf_write(&b, stdout)) ? EX_IOERR : 0;
        buf_free(&b);
    }
    if (!rc)
        rc = flush_stdout();
    arena_free(a);
    store_close(s);
    return rc;
}

/* ---- edition diff ---- */

static void print_cause(arena *a, const edition_cause *c)
{
    printf(NT_("  door wijziging %lld op %s, %s, %s%s%s"), (long long)c->change.id, term_text(a, c->change.moment),
           term_text(a, c->change.actor), term_text(a, c->change.action), c->change.detail ? ": " : "",
           c->change.detail ? term_text(a, c->change.detail) : "");
    for (size_t k = 0; k < c->agreement_count; k++)
        printf("%s%s", k ? ", " : " — ", term_text(a, c->agreements[k]));
    if (c->agreement_total > c->agreement_count)
        printf(NT_(" en nog %zu"), c->agreement_total - c->agreement_count);
    putchar('\n');
}

static void print_diff(arena *a, const edition_diff *d)
{
    const edition_head *e = &d->head;
    char day[DATE_NL_LEN], prog[DATE_NL_LEN];
    printf(NT_("Editie %lld: %s\nDe tabel op %s met prognose %s, zoals gekend op %s (vrijgegeven op %s door %s), "
           "vergeleken met wat nu gekend is:\n"),
           (long long)e->id, term_text(a, e->question), date_format_nl(e->date, day),
           date_format_nl(e->prognosis, prog), term_text(a, e->known_at), term_text(a, e->published_at),
           term_text(a, e->published_by));
    if (!d->count)
        puts(NT_("geen verschillen"));
    for (size_t i = 0; i < d->count; i++) {
        const edition_cell *c = &d->cells[i];
        printf(NT_("%s: gepubliceerd %d/%d, nu %d/%d\n"), edition_cell_label(a, c->measure, c->row, e->date, e->prognosis),
               c->published.covered, c->published.total, c->now.covered, c->now.total);
        if (c->rules_changed)
            puts(NT_("  (ook zonder wijziging in het register geeft somon nu andere cijfers: de rekenregels zijn "
                 "gewijzigd)"));
        for (size_t k = 0; k < c->cause_count; k++)
            print_cause(a, &d->causes[c->causes[k]]);
    }
}

int cli_edition(const char *db, const char *actor, int argc, char **argv)
{
    (void)actor;
    if (argc != 3 || strcmp(argv[1], "diff") != 0)
        return usage(_("usage: somon edition diff ID (the id 'somon editions' lists)%s"), "");
    char *end;
    long long id = strtoll(argv[2], &end, 10);
    if (!*argv[2] || *end || id < 1)
        return usage(_("edition diff: '%s' is not an edition id; 'somon editions' lists them"), argv[2]);
    store *s;
    int rc = open_store(db, STORE_READONLY, &s);
    if (rc)
        return rc;
    arena *a = arena_new();
    edition_diff d;
    int found = edition_diff_compute(s, id, NULL, a, &d);
    if (found < 0) {
        fprintf(stderr, _("somon: cannot read %s: %s\n"), db, store_error(s));
        rc = EX_IOERR;
    } else if (found == 0) {
        fprintf(stderr, _("somon: there is no edition %lld in %s; 'somon editions' lists them\n"), id, db);
        rc = EX_NOINPUT;
    } else {
        print_diff(a, &d);
        rc = flush_stdout();
    }
    arena_free(a);
    store_close(s);
    return rc;
}
