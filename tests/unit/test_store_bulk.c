/* test_store_bulk.c: store_get_agreements (every agreement in one statement per
 * table, issue 12) gives exactly what store_get_agreement gives for each id,
 * now and as known at an earlier change, on the demo register and the rules
 * fixture (several versions, parties with signatories and decisions, action
 * plans, governance bodies with members). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "refdata.h"
#include "somon1.h"
#include "store.h"

#ifndef SOMON_DATADIR
#define SOMON_DATADIR "data"
#endif

static char path[] = "/tmp/somon-bulk-XXXXXX";

static store *demo_store(void)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    store *s;
    char *err = NULL;
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), 0);
    assert_int_equal(store_migrate(s, 0), 0);
    int changed;
    FILE *null = fopen("/dev/null", "w");
    assert_int_equal(refdata_install(s, SOMON_DATADIR, "test", null, &changed), 0);
    const char *first[] = {SOMON_DATADIR "/demo/agreement-gent-2007.json", SOMON_DATADIR "/demo/agreement-mechelen.json",
                           SOMON_DATADIR "/demo/agreement-scheldeland.json",
                           SOMON_DATADIR "/demo/agreements-antwerpen-cluster.json", "tests/cli/fixtures/rules.json"};
    somon1_counts counts;
    assert_int_equal(somon1_import(s, first, 5, "test", null, &counts), 0);
    const char *later[] = {"tests/cli/fixtures/names-v1.json"};
    assert_int_equal(somon1_import(s, later, 1, "test", null, &counts), 0);
    const char *last[] = {"tests/cli/fixtures/names-v2.json"};
    assert_int_equal(somon1_import(s, last, 1, "test", null, &counts), 0);
    fclose(null);
    return s;
}

static char *canonical(const agreement *ag)
{
    json_t *j = somon1_agreement_json(ag);
    assert_non_null(j);
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    return text;
}

/* Bulk and one by one agree at change `known`; returns how many agreements. */
static size_t same_as_one_by_one(store *s, int64_t known)
{
    arena *a = arena_new();
    agreement *all;
    size_t n;
    assert_int_equal(store_get_agreements(s, known, a, &all, &n), 0);
    char **ids;
    size_t nid;
    assert_int_equal(store_get_agreement_ids(s, known, a, &ids, &nid), 0);
    assert_int_equal(n, nid);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(all[i].id, ids[i]); /* sorted by id */
        agreement one;
        assert_int_equal(store_get_agreement(s, known, ids[i], a, &one), 1);
        assert_true(one.version == all[i].version);
        char *x = canonical(&one), *y = canonical(&all[i]);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }
    arena_free(a);
    return n;
}

static void test_bulk_equals_one_by_one(void **state)
{
    (void)state;
    store *s = demo_store();
    size_t now = same_as_one_by_one(s, STORE_NOW);
    assert_true(now > 5);
    /* as known before the last import: SO-T-NAMES in its first version */
    int64_t last = store_last_change(s);
    assert_true(last > 1);
    assert_int_equal(same_as_one_by_one(s, last - 1), now);
    assert_true(same_as_one_by_one(s, 1) == 0); /* the reference data only */
    store_close(s);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_bulk_equals_one_by_one)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
