/* cli_sheet.c: see cli_sheet.h. */
#define _POSIX_C_SOURCE 200809L
#include "cli_sheet.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "i18n.h"
#include "sheet.h"
#include "sheet_import.h"
#include "store.h"
#include "term.h"

/* The whole file, at most SHEET_MAX_FILE_BYTES + 1 bytes (the reader refuses
 * a larger one with its own message). NULL after a message on stderr. */
static unsigned char *read_file(arena *a, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, _("somon: cannot read %s: %s; check the path\n"), path, strerror(errno));
        return NULL;
    }
    size_t cap = SHEET_MAX_FILE_BYTES + 1;
    unsigned char *data = arena_alloc(a, cap), *out = NULL;
    size_t n = fread(data, 1, cap, f);
    if (ferror(f))
        fprintf(stderr, _("somon: cannot read %s: %s\n"), path, strerror(errno));
    else
        out = data, *len = n;
    fclose(f);
    return out;
}

/* Per agreement what the sheet does to it; the unchanged ones only when asked. */
static void print_plan(arena *a, const sheet_plan *p, bool unchanged)
{
    for (size_t i = 0; i < p->count; i++) {
        const sheet_plan_item *it = &p->items[i];
        if (it->kind == SHEET_UNCHANGED && !unchanged)
            continue;
        if (it->kind == SHEET_NEW) {
            printf(_("new %s: %s (%zu parties)\n"), term_text(a, it->id), term_text(a, it->after->title),
                   it->after->party_count);
            size_t of_parties = 0;
            for (size_t k = 0; k < it->after->party_count; k++)
                of_parties += it->after->parties[k].source_count;
            if (it->after->source_count || of_parties)
                printf(_("  sources: %zu of the agreement, %zu of its parties\n"), it->after->source_count,
                       of_parties);
        } else
            printf(it->kind == SHEET_CHANGED ? _("changed %s\n") : _("unchanged %s\n"), term_text(a, it->id));
        for (size_t k = 0; k < it->change_count; k++)
            printf("  %s\n", term_text(a, it->changes[k]));
    }
}

static int report_problems(arena *a, const sheet_plan *p)
{
    for (size_t i = 0; i < p->problem_count; i++)
        fprintf(stderr, "%s\n", term_text(a, sheet_problem_line(a, &p->problems[i])));
    fprintf(stderr, _("somon: import refused: %zu problem(s); nothing was changed\n"), p->problem_count);
    return EX_DATAERR;
}

static int run(arena *a, store *s, const char *path, const char *actor, bool dry_run)
{
    size_t len;
    unsigned char *data = read_file(a, path, &len);
    if (!data)
        return EX_NOINPUT;
    const char *slash = strrchr(path, '/');
    sheet_book book;
    const char *why;
    sheet_plan plan;
    register_view view;
    if (store_load_view(s, STORE_NOW, &view)) {
        fprintf(stderr, _("somon: cannot read the database: %s\n"), store_error(s));
        return EX_IOERR;
    }
    int rc;
    if (sheet_read(a, slash ? slash + 1 : path, data, len, &book, &why))
        sheet_import_refused(a, why, &plan);
    else if (sheet_import_plan(a, &book, s, &view, NULL, NULL, false, &plan)) {
        fprintf(stderr, _("somon: cannot read the database: %s\n"), store_error(s));
        register_view_free(&view);
        return EX_IOERR;
    }
    register_view_free(&view);
    if (plan.problem_count)
        return report_problems(a, &plan);
    if (dry_run) {
        print_plan(a, &plan, true);
        printf(_("would import: %zu new, %zu changed, %zu unchanged (--dry-run: nothing was written)\n"), plan.added,
               plan.changed, plan.unchanged);
        return 0;
    }
    rc = sheet_import_write(s, a, &plan, actor, arena_printf(a, "sheet %s", slash ? slash + 1 : path));
    if (rc == SHEET_STALE) {
        fprintf(stderr, _("somon: the register changed while the sheet was read; nothing was changed, run the "
                          "import again\n"));
        return EX_TEMPFAIL;
    }
    if (rc) {
        fprintf(stderr, _("somon: import failed, nothing was changed: %s\n"), store_error(s));
        return EX_IOERR;
    }
    print_plan(a, &plan, false);
    printf(_("imported: %zu new, %zu changed, %zu unchanged\n"), plan.added, plan.changed, plan.unchanged);
    return 0;
}

int cli_import_sheet(const char *db, const char *actor, int argc, char **argv)
{
    bool dry_run = false;
    static const struct option opts[] = {{"dry-run", no_argument, NULL, 'n'}, {0}};
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, "+", opts, NULL)) != -1;) {
        if (c != 'n') {
            fprintf(stderr, _("somon: import sheet: unknown option '%s'; give FILE.xlsx or FILE.csv and optionally "
                              "--dry-run\n"), argv[optind - 1]);
            return EX_USAGE;
        }
        dry_run = true;
    }
    if (argc - optind != 1) {
        fprintf(stderr, _("somon: import sheet needs one FILE.xlsx or FILE.csv (one row per party: overeenkomst, "
                          "titel, directie, status, begin, einde, gemeente, goedgekeurd_op, vanaf, tot; optionally "
                          "voorganger, soort, ondertekend_op, opmerkingen, and a source per row: bron, citaat, "
                          "gelezen_op)\n"));
        return EX_USAGE;
    }
    store *s;
    char *err = NULL;
    int rc = store_open(db, dry_run ? STORE_READONLY : STORE_READWRITE, &s, &err);
    if (rc) {
        fprintf(stderr, "somon: %s\n", err ? err : _("cannot open the database"));
        free(err);
        return rc;
    }
    arena *a = arena_new();
    rc = run(a, s, argv[optind], actor, dry_run);
    arena_free(a);
    store_close(s);
    return rc;
}
