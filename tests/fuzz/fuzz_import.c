/* fuzz_import.c: libFuzzer target for the somon/1 importer.
 *
 * Once per process: an in-memory database with the reference data of
 * SOMON_DATADIR and the demo documents (so that inputs reusing their ids
 * exercise the "replace as a new version" path of the store), the view the
 * importer checks against and the organisations and regiegebieden already
 * known, as somon1_import() builds its somon1_context.
 *
 * Per input: somon1_parse() on the bytes with a fresh arena and diag. When it
 * finds no problem, the document is written as somon1_import() would write it
 * inside a transaction that is rolled back, and each written object is read
 * back (with its evaluations and meetings) and compared with what was parsed (the canonical JSON must be equal:
 * docs/somon1.md promises export → import → export gives the same bytes).
 * A mismatch or a store error aborts, so libFuzzer keeps the input.
 * When it finds problems in a document that has objects, the bytes also go
 * through somon1_import() itself (as two files, so the checks across files
 * run too): the import must refuse them and change nothing, and the code
 * that only the import runs (objects remembered across files, the problem
 * report) is fuzzed as well.
 * Everything allocated per input is freed before returning (leak detection
 * is on). */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "arena.h"
#include "refdata.h"
#include "somon1.h"
#include "store.h"

#ifndef SOMON_DATADIR
#error "SOMON_DATADIR must name the reference data folder"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static store *db;
static register_view view;
static arena *known_arena; /* the known organisations and regiegebieden */
static somon1_context ctx;
static FILE *devnull;       /* where somon1_import() reports problems */
static char input_path[64]; /* the input as a file, for somon1_import() */
static int input_fd = -1;

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_import: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char *err = NULL;
    if (store_open(":memory:", STORE_CREATE, &db, &err))
        fail("cannot open an in-memory store", err);
    if (store_migrate(db, 0))
        fail("store_migrate", store_error(db));
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        fail("cannot open /dev/null", NULL);
    const char *tmp = getenv("TMPDIR");
    snprintf(input_path, sizeof input_path, "%s/somon-fuzz-XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    /* Unlinked at once and reached through /proc, so that no file is left
     * behind however the fuzzer ends (a crash does not run atexit). */
    if ((input_fd = mkstemp(input_path)) < 0)
        fail("cannot create a temporary file", input_path);
    unlink(input_path);
    snprintf(input_path, sizeof input_path, "/proc/self/fd/%d", input_fd);
    int changed = 0;
    if (refdata_install(db, SOMON_DATADIR, "fuzz", devnull, &changed))
        fail("refdata_install failed for", SOMON_DATADIR);
    /* The demo register, imported as `make run` does. */
    const char *const demo[] = {SOMON_DATADIR "/demo/agreement-mechelen.json",
                                SOMON_DATADIR "/demo/agreement-scheldeland.json",
                                SOMON_DATADIR "/demo/agreements-antwerpen-cluster.json"};
    somon1_counts counts;
    if (somon1_import(db, demo, sizeof demo / sizeof *demo, "fuzz", devnull, &counts))
        fail("cannot import the demo data of", SOMON_DATADIR);
    if (store_load_view(db, STORE_NOW, &view))
        fail("store_load_view", store_error(db));
    known_arena = arena_new();
    ctx.view = &view;
    if (store_get_organisations(db, STORE_NOW, known_arena, &ctx.known.organisations,
                                &ctx.known.organisation_count) ||
        store_get_regiegebieden(db, STORE_NOW, known_arena, &ctx.known.regiegebieden,
                                &ctx.known.regiegebied_count))
        fail("reading the known organisations and regiegebieden", store_error(db));
    return 0;
}

/* The canonical JSON of the object written must be the one read back. */
static void same_or_abort(json_t *written, json_t *read, const char *kind, const char *id)
{
    char *x = json_dumps(written, JSON_COMPACT | JSON_PRESERVE_ORDER);
    char *y = json_dumps(read, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(written);
    json_decref(read);
    if (!x || !y || strcmp(x, y) != 0) {
        fprintf(stderr, "fuzz_import: %s '%s' reads back differently\nwritten: %s\nread:    %s\n", kind, id,
                x ? x : "(null)", y ? y : "(null)");
        abort();
    }
    free(x);
    free(y);
}

static const organisation *find_organisation(const organisation *list, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].id, id) == 0)
            return &list[i];
    return NULL;
}

static const regiegebied *find_regiegebied(const regiegebied *list, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].id, id) == 0)
            return &list[i];
    return NULL;
}

/* Writes doc as one change, reads every object back, rolls back. */
static void write_and_roll_back(arena *a, somon1_doc *doc)
{
    int64_t change;
    if (store_begin(db, "fuzz", "import", "fuzz input", &change))
        fail("store_begin", store_error(db));
    for (size_t i = 0; i < doc->organisation_count; i++)
        if (store_put_organisation(db, change, &doc->organisations[i]))
            fail("store_put_organisation", store_error(db));
    for (size_t i = 0; i < doc->regiegebied_count; i++)
        if (store_put_regiegebied(db, change, &doc->regiegebieden[i]))
            fail("store_put_regiegebied", store_error(db));
    size_t followup = 0;
    for (size_t i = 0; i < doc->agreement_count; i++)
        if (store_put_agreement(db, change, &doc->agreements[i]) ||
            somon1_write_followup(db, change, a, &doc->agreements[i], &followup))
            fail("store_put_agreement", store_error(db));

    organisation *orgs;
    regiegebied *regions;
    size_t norg, nreg;
    if (store_get_organisations(db, STORE_NOW, a, &orgs, &norg) ||
        store_get_regiegebieden(db, STORE_NOW, a, &regions, &nreg))
        fail("reading back", store_error(db));
    for (size_t i = 0; i < doc->organisation_count; i++) {
        const organisation *o = &doc->organisations[i], *back = find_organisation(orgs, norg, o->id);
        if (!back)
            fail("organisation not found after writing it", o->id);
        same_or_abort(somon1_organisation_json(o), somon1_organisation_json(back), "organisation", o->id);
    }
    for (size_t i = 0; i < doc->regiegebied_count; i++) {
        const regiegebied *g = &doc->regiegebieden[i], *back = find_regiegebied(regions, nreg, g->id);
        if (!back)
            fail("regiegebied not found after writing it", g->id);
        same_or_abort(somon1_regiegebied_json(g), somon1_regiegebied_json(back), "regiegebied", g->id);
    }
    for (size_t i = 0; i < doc->agreement_count; i++) {
        const agreement *ag = &doc->agreements[i];
        agreement back;
        int found = store_get_agreement(db, STORE_NOW, ag->id, a, &back);
        if (found < 0)
            fail("store_get_agreement", store_error(db));
        if (found == 0)
            fail("agreement not found after writing it", ag->id);
        if (somon1_load_followup(db, STORE_NOW, a, &back))
            fail("somon1_load_followup", store_error(db));
        same_or_abort(somon1_agreement_json(ag), somon1_agreement_json(&back), "agreement", ag->id);
    }
    /* The view the reports read must load the new state too. */
    register_view v;
    if (store_load_view(db, STORE_NOW, &v))
        fail("store_load_view after writing", store_error(db));
    register_view_free(&v);
    store_rollback(db);
}

/* Runs the input through somon1_import(), which must refuse it. */
static void import_refused(const uint8_t *data, size_t size)
{
    if (ftruncate(input_fd, 0) != 0 || (size && pwrite(input_fd, data, size, 0) != (ssize_t)size))
        fail("cannot write the temporary file", input_path);
    const char *files[2] = {input_path, input_path};
    somon1_counts counts;
    int rc = somon1_import(db, files, 2, "fuzz", devnull, &counts);
    if (rc != EX_DATAERR || counts.added || counts.replaced || counts.unchanged || counts.other) {
        fprintf(stderr, "fuzz_import: somon1_import returned %d (%zu/%zu/%zu/%zu) for a document with problems\n", rc,
                counts.added, counts.replaced, counts.unchanged, counts.other);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        LLVMFuzzerInitialize(NULL, NULL);
    arena *a = arena_new();
    diag d = {a, NULL, 0, 0, 0};
    somon1_doc doc;
    size_t problems = somon1_parse((const char *)data, size, "fuzz.json", &ctx, a, &doc, &d);
    if (problems != d.total)
        fail("somon1_parse returned a count that differs from the diag", NULL);
    if (problems == 0)
        write_and_roll_back(a, &doc);
    arena_free(a);
    /* What only the import runs (objects remembered across files, ids unique
     * across files) works on the objects read; a document without any (a
     * syntax error, say) would only load the view again. */
    if (problems && doc.organisation_count + doc.regiegebied_count + doc.agreement_count > 0)
        import_refused(data, size);
    return 0;
}
