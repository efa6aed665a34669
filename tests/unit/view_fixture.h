/* view_fixture.h: the small register view the unit tests of the reports build
 * (test_annex.c, test_footnotes.c): the municipalities of a table, with 72001
 * and 72002 merged into 72100 on 1 January 2025. Header-only; include it after
 * cmocka.h and the report headers. */
#ifndef SOMON_VIEW_FIXTURE_H
#define SOMON_VIEW_FIXTURE_H

#include <stdlib.h>
#include <string.h>

static date_t D(const char *iso)
{
    date_t d;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

typedef struct {
    const char *nis, *name;
    int province;
    const char *from, *to;
} muni;

/* v from scratch: its arena, the map of the n municipalities m and the merger,
 * and a view_municipality per map item. */
static void fixture_view(register_view *v, const muni *m, int n)
{
    memset(v, 0, sizeof *v);
    v->arena = arena_new();
    rules_map_init(&v->map, NIS_CODES);
    for (int i = 0; i < n; i++)
        rules_map_add(&v->map, atoi(m[i].nis), m[i].province, D(m[i].from), m[i].to ? D(m[i].to) : DATE_NONE);
    rules_map_merger(&v->map, 72001, 72100, D("2025-01-01"));
    rules_map_merger(&v->map, 72002, 72100, D("2025-01-01"));
    assert_int_equal(rules_map_finish(&v->map), 0);
    v->municipalities = arena_calloc(v->arena, v->map.count, sizeof *v->municipalities);
    for (size_t k = 0; k < v->map.count; k++)
        for (int i = 0; i < n; i++)
            if (atoi(m[i].nis) == v->map.items[k].code)
                v->municipalities[k] = (view_municipality){(char *)m[i].nis, (char *)m[i].name, m[i].province,
                                                           D(m[i].from), m[i].to ? D(m[i].to) : DATE_NONE};
    register_view_rank_names(v);
}

static void fixture_view_free(register_view *v)
{
    rules_map_free(&v->map);
    arena_free(v->arena);
}

#endif
