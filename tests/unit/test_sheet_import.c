/* The mapping from a sheet in the annex layout to a plan (sheet_import.h),
 * on sheets built in memory as the reader (sheet.h) gives them, against a
 * register with the reference data of data/ in a temporary database. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "i18n.h"
#include "refdata.h"
#include "sheet_import.h"
#include "store.h"

#ifndef SOMON_DATADIR
#define SOMON_DATADIR "data"
#endif

typedef struct {
    char dir[64];
    store *s;
    register_view view;
    arena *a;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/somon-sheet-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    char path[96];
    snprintf(path, sizeof path, "%s/t.db", f->dir);
    char *err = NULL;
    assert_int_equal(store_open(path, STORE_CREATE, &f->s, &err), 0);
    assert_int_equal(store_migrate(f->s, 0), 0);
    int changed;
    assert_int_equal(refdata_install(f->s, SOMON_DATADIR, "test", stderr, &changed), 0);
    assert_int_equal(store_load_view(f->s, STORE_NOW, &f->view), 0);
    f->a = arena_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    register_view_free(&f->view);
    store_close(f->s);
    arena_free(f->a);
    /* the database and what SQLite keeps beside it; then the folder, which must be empty */
    static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm", "t.db-journal"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[160];
        snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
        unlink(path);
    }
    assert_int_equal(rmdir(f->dir), 0);
    free(f);
    return 0;
}

/* A sheet of `rows` rows of `cols` cells ("" is an empty cell). */
static sheet_book book_of(arena *a, const char *name, size_t rows, size_t cols, const char *const *cells)
{
    sheet *s = arena_calloc(a, 1, sizeof *s);
    s->name = name;
    s->rows = rows;
    s->cols = cols;
    const char **c = arena_calloc(a, rows * cols, sizeof *c);
    for (size_t i = 0; i < rows * cols; i++)
        c[i] = cells[i] && *cells[i] ? cells[i] : NULL;
    s->cells = c;
    return (sheet_book){s, 1};
}

static date_t D(const char *iso)
{
    date_t d;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

static bool has_problem(const sheet_plan *p, const char *cell, const char *text)
{
    for (size_t i = 0; i < p->problem_count; i++)
        if ((!cell || (p->problems[i].cell && strcmp(p->problems[i].cell, cell) == 0)) &&
            strstr(p->problems[i].message, text))
            return true;
    for (size_t i = 0; i < p->problem_count; i++)
        fprintf(stderr, "  %s: %s\n", p->problems[i].cell ? p->problems[i].cell : "-", p->problems[i].message);
    return false;
}

/* A name is resolved on the party's first day; accents, case and hyphens do not matter. */
static void names_on_a_day(void **state)
{
    fixture *f = *state;
    const char *why;
    assert_string_equal(sheet_municipality(f->a, &f->view, "Hasselt", D("2021-03-01"), &why), "71022");
    assert_string_equal(sheet_municipality(f->a, &f->view, "HASSELT", D("2025-01-01"), &why), "71072");
    assert_string_equal(sheet_municipality(f->a, &f->view, "sint truiden", DATE_NONE, &why), "71053");
    assert_string_equal(sheet_municipality(f->a, &f->view, "Kalmthout", DATE_NONE, &why), "11022");
    assert_string_equal(sheet_municipality(f->a, &f->view, "Sint\xc2\xa0Truiden", DATE_NONE, &why), "71053");
    assert_string_equal(sheet_municipality(f->a, &f->view, "SINT -  TRUIDEN", DATE_NONE, &why), "71053");
    assert_string_equal(sheet_municipality(f->a, &f->view, "H\xc3\xa4sselt", D("2021-03-01"), &why), "71022");
    assert_string_equal(sheet_municipality(f->a, &f->view, "44021", DATE_NONE, &why), "44021");
    assert_null(sheet_municipality(f->a, &f->view, "Hasselt", DATE_NONE, &why));
    assert_non_null(strstr(why, "vanaf"));
    assert_null(sheet_municipality(f->a, &f->view, "Haselt", D("2022-03-01"), &why));
    assert_non_null(strstr(why, "Hasselt"));
    assert_null(sheet_municipality(f->a, &f->view, "Nevele", D("2022-03-01"), &why));
    assert_non_null(strstr(why, "31/12/2018"));
}

/* A title row above the headers, headers in another order and case, merged
 * cells (empty agreement fields below the first row), an organisation. */
static void a_plan_of_new_agreements(void **state)
{
    fixture *f = *state;
    const char *cells[] = {
        "Bijlage 1: overeenkomsten", "", "", "", "", "", "",
        "Gemeente", "Overeenkomst", "Titel", "Directie", "STATUS", "Begin", "organisatie",
        "Hasselt", "SO-U-1", "Een", "Limburg", "ondertekend", "01/03/2021", "",
        "Genk", "SO-U-1", "", "", "", "", "",
        "", "SO-U-1", "", "", "", "", "VDAB",
        "", "", "", "", "", "", "",
        "Bree", "SO-U-2", "Twee", "limburg", "draft", "", "",
    };
    sheet_book b = book_of(f->a, "Bijlage", 7, 7, cells);
    sheet_plan p;
    assert_int_equal(sheet_import_plan(f->a, &b, f->s, &f->view, NULL, NULL, false, &p), 0);
    if (p.problem_count)
        has_problem(&p, NULL, "(none)");
    assert_int_equal(p.problem_count, 0);
    assert_int_equal(p.header_row, 1);
    assert_int_equal(p.count, 2);
    assert_int_equal(p.added, 2);
    const agreement *ag = p.items[0].after;
    assert_string_equal(ag->id, "SO-U-1");
    assert_int_equal(ag->vdab_directorate, PROVINCE_LIM);
    assert_int_equal(ag->status, STATUS_SIGNED);
    assert_int_equal(ag->start, D("2021-03-01"));
    assert_int_equal(ag->party_count, 3);
    assert_string_equal(ag->parties[0].municipality, "71022");
    assert_string_equal(ag->parties[1].municipality, "71016");
    assert_string_equal(ag->parties[2].organisation, "VDAB");
    assert_int_equal(p.items[1].after->status, STATUS_DRAFT);
    assert_int_equal(p.items[1].first_row, 6);

    /* written, the same sheet is unchanged */
    assert_int_equal(sheet_import_write(f->s, f->a, &p, "test", "sheet unit"), SHEET_WRITTEN);
    sheet_plan again;
    assert_int_equal(sheet_import_plan(f->a, &b, f->s, &f->view, NULL, NULL, false, &again), 0);
    assert_int_equal(again.unchanged, 2);
    /* a plan made before a write of the same agreement is stale */
    assert_int_equal(sheet_import_write(f->s, f->a, &p, "test", "sheet unit"), SHEET_STALE);
}

/* Every problem at its cell, in the order of the rows. */
static void problems_at_their_cells(void **state)
{
    fixture *f = *state;
    const char *cells[] = {
        "overeenkomst", "titel", "directie", "status", "einde", "gemeente", "tot", "opmerkng",
        "SO-P-1", "Een", "Limburg", "ondertekend", "31/12/2025", "Genk", "2026-01-01", "",
        "SO-P-1", "Anders", "Limburg", "ondertekend", "31/12/2025", "Haselt", "", "",
    };
    sheet_book b = book_of(f->a, "Bijlage", 3, 8, cells);
    sheet_plan p;
    assert_int_equal(sheet_import_plan(f->a, &b, f->s, &f->view, NULL, NULL, false, &p), 0);
    assert_true(has_problem(&p, "Bijlage!H1", "opmerkng"));
    assert_true(has_problem(&p, "Bijlage!G2", "31/12/2025"));
    assert_true(has_problem(&p, "Bijlage!B3", "Bijlage!B2"));
    assert_true(has_problem(&p, "Bijlage!F3", "Haselt"));
    assert_int_equal(p.count, 0);
    for (size_t i = 1; i < p.problem_count; i++)
        assert_true(p.problems[i - 1].row + 1 <= p.problems[i].row + 1);
}

/* A sheet without the required columns says which. */
static void missing_columns(void **state)
{
    fixture *f = *state;
    const char *cells[] = {"overeenkomst", "gemeente", "SO-M-1", "Genk"};
    sheet_book b = book_of(f->a, "blad", 2, 2, cells);
    sheet_plan p;
    assert_int_equal(sheet_import_plan(f->a, &b, f->s, &f->view, NULL, NULL, false, &p), 0);
    assert_true(has_problem(&p, "blad!A1", "titel"));
    assert_true(has_problem(&p, "blad!A1", "directie"));
    assert_true(has_problem(&p, "blad!A1", "status"));
}

int main(void)
{
    i18n_force_dutch();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_on_a_day),
        cmocka_unit_test(a_plan_of_new_agreements),
        cmocka_unit_test(problems_at_their_cells),
        cmocka_unit_test(missing_columns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
