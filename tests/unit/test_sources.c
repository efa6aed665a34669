/* test_sources.c: the sources of agreements and parties (issue 13). Which
 * addresses are a source (input.c: source_url_valid, the rule of the import,
 * the sheet and the page's links), and the store: the rows come back in
 * their order, the agreement's (party_position -1) apart from each party's,
 * the same whether read one by one or in bulk, and the register view names
 * every address of an agreement once for the download's column. */
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

#include "input.h"
#include "refdata.h"
#include "somon1.h"
#include "store.h"

#ifndef SOMON_DATADIR
#define SOMON_DATADIR "data"
#endif

static void addresses(void **state)
{
    (void)state;
    assert_true(source_url_valid("https://www.vdab.be/persberichten/kapellen"));
    assert_true(source_url_valid("http://x"));
    assert_true(source_url_valid("https://x.example/a?b=1&c=<d>")); /* escaped where shown */
    assert_false(source_url_valid("https://"));
    assert_false(source_url_valid("http://"));
    assert_false(source_url_valid("javascript:alert(1)"));
    assert_false(source_url_valid("JAVASCRIPT://x"));
    assert_false(source_url_valid("ftp://x.example/"));
    assert_false(source_url_valid("//x.example/"));
    assert_false(source_url_valid("/persberichten"));
    assert_false(source_url_valid("www.vdab.be"));
    assert_false(source_url_valid("https://x.example/a b"));
    assert_false(source_url_valid("https://x.example/\ta"));
    assert_false(source_url_valid("https://x.example/\x7f"));
    assert_false(source_url_valid(" https://x.example/"));
    assert_false(source_url_valid(""));
}

static char path[] = "/tmp/somon-sources-XXXXXX";

static store *sources_store(void)
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
    const char *files[] = {"tests/cli/fixtures/sources.json", SOMON_DATADIR "/demo/agreement-mechelen.json"};
    somon1_counts counts;
    assert_int_equal(somon1_import(s, files, 2, "test", null, &counts), 0);
    fclose(null);
    return s;
}

static void stored_in_order(void **state)
{
    (void)state;
    store *s = sources_store();
    arena *a = arena_new();
    agreement one;
    assert_int_equal(store_get_agreement(s, STORE_NOW, "SO-T-SOURCES-2021", a, &one), 1);
    assert_int_equal(one.source_count, 2);
    assert_string_equal(one.sources[0].url, "https://www.vdab.be/persberichten/kapellen");
    assert_string_equal(one.sources[0].quote, "De lokale besturen van Kapellen en VDAB tekenen");
    assert_true(one.sources[0].read_on == date_from_ymd(2026, 12, 3));
    assert_null(one.sources[1].quote);
    assert_true(one.sources[1].read_on == DATE_NONE);
    assert_int_equal(one.party_count, 2);
    assert_int_equal(one.parties[0].source_count, 2);
    assert_string_equal(one.parties[0].sources[1].quote, "een ander citaat van dezelfde pagina");
    assert_int_equal(one.parties[1].source_count, 0);
    assert_null(one.parties[1].sources);

    /* in bulk, the same (pages over every agreement: register_all.c) */
    agreement *all;
    size_t n;
    assert_int_equal(store_get_agreements(s, STORE_NOW, a, &all, &n), 0);
    size_t seen = 0;
    for (size_t i = 0; i < n; i++) {
        agreement single;
        assert_int_equal(store_get_agreement(s, STORE_NOW, all[i].id, a, &single), 1);
        json_t *x = somon1_agreement_json(&single), *y = somon1_agreement_json(&all[i]);
        char *tx = json_dumps(x, JSON_COMPACT | JSON_PRESERVE_ORDER), *ty = json_dumps(y, JSON_COMPACT | JSON_PRESERVE_ORDER);
        assert_string_equal(tx, ty);
        seen += all[i].source_count;
        free(tx);
        free(ty);
        json_decref(x);
        json_decref(y);
    }
    assert_int_equal(seen, 3);

    /* the view: every address once, the agreement's first */
    register_view v;
    assert_int_equal(store_load_view(s, store_last_change(s), &v), 0);
    size_t found = 0;
    for (size_t i = 0; i < v.agreement_count; i++) {
        const char *text = v.agreement_sources ? v.agreement_sources[i] : NULL;
        if (strcmp(v.agreements[i].id, "SO-T-SOURCES-2021") == 0) {
            assert_string_equal(text, "https://www.vdab.be/persberichten/kapellen | "
                                      "https://www.kapellen.be/nieuws?id=1&lang=nl | "
                                      "https://kapellen.lokaalbeslist.be/besluit/1");
            assert_int_equal(v.own_sources[i].count, 2);
            found++;
        } else if (strcmp(v.agreements[i].id, "SO-MECHELEN-2021") == 0) {
            assert_null(text);
            assert_int_equal(v.own_sources[i].count, 0);
            found++;
        }
    }
    assert_int_equal(found, 2);
    register_view_free(&v);
    arena_free(a);
    store_close(s);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(addresses), cmocka_unit_test(stored_in_order)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
