/* Dated cases for the footnotes under the parliamentary table
 * (rules_footnotes.h; SPEC §3 "Prognosis", §4 "a footnote per province that
 * explains the prognosis"). A small Limburg on D = 30/06/2023 with the
 * prognosis on P = 31/12/2023, worked out by hand:
 *
 *   SO-SIGNED  signed 2021-01-01..2025-12-31: Alken (covered on D), Bocholt
 *              planned from 01/10/2023 (SPEC: counts in the prognosis), Xhoven
 *              (covered on D; merges with Yzer into Xyzer on 1/1/2025)
 *   SO-PIPE    agreed_in_principle, expected 01/09/2023: Alken (already
 *              covered on D: not added), Cadier and Elen (added)
 *   SO-LATE    negotiating, expected 01/03/2024 (after P): Fliert, not added
 *   SO-YZER    awaiting_approval, expected 01/10/2024: Yzer (adds Xyzer
 *              through its former municipalities when P is in 2025)
 *   SO-BOTH    negotiating, expected 01/11/2024: Xhoven and Yzer
 *   Genk-Oost  no agreement; outreach: 15/01/2022 no_contact "geen aanzet
 *              tot SO", 10/05/2023 exploring "aparte SO in onderzoek",
 *              01/08/2023 declined (after D: not its stage on D)
 *   West-Vlaanderen: Waregem covered on D and P by SO-WEST: no footnote.
 *   Antwerpen: Arendonk covered on D by SO-ANT, which ends 31/10/2023. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "date.h"
#include "rules_footnotes.h"
#include "view_fixture.h"

static const muni MUNIS[] = {
    {"71001", "Alken", PROVINCE_LIM, "2019-01-01", NULL},
    {"71002", "Bocholt", PROVINCE_LIM, "2019-01-01", NULL},
    {"71003", "Cadier", PROVINCE_LIM, "2019-01-01", NULL},
    {"71004", "Elen", PROVINCE_LIM, "2019-01-01", NULL},
    {"71005", "Fliert", PROVINCE_LIM, "2019-01-01", NULL},
    {"71006", "Genk-Oost", PROVINCE_LIM, "2019-01-01", NULL},
    {"72001", "Xhoven", PROVINCE_LIM, "2019-01-01", "2024-12-31"},
    {"72002", "Yzer", PROVINCE_LIM, "2019-01-01", "2024-12-31"},
    {"72100", "Xyzer", PROVINCE_LIM, "2025-01-01", NULL},
    {"31001", "Waregem", PROVINCE_WVL, "2019-01-01", NULL},
    {"11001", "Arendonk", PROVINCE_ANT, "2019-01-01", NULL},
};
enum { MUNI_COUNT = sizeof MUNIS / sizeof MUNIS[0] };

enum { SIGNED, PIPE, LATE, YZER, WEST, ANT, BOTH, AGREEMENTS };

static register_view view;
static rules_party parties[16];

static int code(const char *nis) { return atoi(nis); }

static rules_party make_party(const char *nis, const char *approved, const char *expected_from)
{
    return (rules_party){code(nis), DATE_NONE, DATE_NONE, expected_from ? D(expected_from) : DATE_NONE,
                         approved ? D(approved) : DATE_NONE};
}

static void add_agreement(int i, const char *id, agreement_status s, const char *start, const char *expected,
                      const char *end, int first, int count)
{
    view.rules_agreements[i] = (rules_agreement){s, start ? D(start) : DATE_NONE, end ? D(end) : DATE_NONE,
                                                 expected ? D(expected) : DATE_NONE, DATE_NONE, -1,
                                                 parties + first, count};
    view.agreements[i] = (view_agreement){.id = (char *)id, .title = (char *)"Titel", .vdab_directorate = 0,
                                          .first_party = first, .signed_on = DATE_NONE};
}

static int setup(void **state)
{
    (void)state;
    fixture_view(&view, MUNIS, MUNI_COUNT);
    int n = 0;
    parties[n++] = make_party("71001", "2020-12-01", NULL);       /* SIGNED: Alken */
    parties[n++] = make_party("71002", NULL, "2023-10-01");       /* SIGNED: Bocholt, planned */
    parties[n++] = make_party("72001", "2020-12-01", NULL);       /* SIGNED: Xhoven */
    parties[n++] = make_party("71001", NULL, NULL);               /* PIPE: Alken */
    parties[n++] = make_party("71003", NULL, NULL);               /* PIPE: Cadier */
    parties[n++] = make_party("71004", NULL, NULL);               /* PIPE: Elen */
    parties[n++] = make_party("71005", NULL, NULL);               /* LATE: Fliert */
    parties[n++] = make_party("72002", NULL, NULL);               /* YZER: Yzer */
    parties[n++] = make_party("31001", NULL, NULL);               /* WEST: Waregem */
    parties[n++] = make_party("11001", NULL, NULL);               /* ANT: Arendonk */
    parties[n++] = make_party("72001", NULL, NULL);               /* BOTH: Xhoven */
    parties[n++] = make_party("72002", NULL, NULL);               /* BOTH: Yzer */
    view.agreement_count = AGREEMENTS;
    view.rules_agreements = arena_calloc(view.arena, AGREEMENTS, sizeof *view.rules_agreements);
    view.agreements = arena_calloc(view.arena, AGREEMENTS, sizeof *view.agreements);
    add_agreement(SIGNED, "SO-SIGNED", STATUS_SIGNED, "2021-01-01", NULL, "2025-12-31", 0, 3);
    add_agreement(PIPE, "SO-PIPE", STATUS_AGREED_IN_PRINCIPLE, NULL, "2023-09-01", "2025-12-31", 3, 3);
    add_agreement(LATE, "SO-LATE", STATUS_NEGOTIATING, NULL, "2024-03-01", "2025-12-31", 6, 1);
    add_agreement(YZER, "SO-YZER", STATUS_AWAITING_APPROVAL, NULL, "2024-10-01", "2025-12-31", 7, 1);
    add_agreement(WEST, "SO-WEST", STATUS_SIGNED, "2021-01-01", NULL, "2025-12-31", 8, 1);
    add_agreement(ANT, "SO-ANT", STATUS_SIGNED, "2021-01-01", NULL, "2023-10-31", 9, 1);
    add_agreement(BOTH, "SO-BOTH", STATUS_NEGOTIATING, NULL, "2024-11-01", "2025-12-31", 10, 2);
    view.rules_parties = parties;
    view.party_count = (size_t)n;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_view_free(&view);
    return 0;
}

static outreach_entry LOG[] = {
    {(char *)"71006", 0, 0, (char *)"declined", NULL, 0, 0},
    {(char *)"71006", 0, 0, (char *)"no_contact", (char *)"geen aanzet tot SO", 0, 0},
    {(char *)"71006", 0, 0, (char *)"exploring", (char *)"aparte SO in onderzoek", 0, 0},
};

static void set_log_dates(void)
{
    LOG[0].on = D("2023-08-01");
    LOG[1].on = D("2022-01-15");
    LOG[2].on = D("2023-05-10");
}

static footnote_list compute(const char *d, const char *p)
{
    set_log_dates();
    footnote_list l;
    assert_int_equal(footnotes_compute(&view, LOG, 3, D(d), p ? D(p) : DATE_NONE, view.arena, &l), 0);
    return l;
}

/* The footnote of an agreement in a province, or NULL. */
static const footnote *of_agreement(const footnote_list *l, int province, int ag, footnote_kind kind)
{
    const footnote *f;
    size_t n = footnotes_of_province(l, province, &f);
    for (size_t i = 0; i < n; i++)
        if (f[i].agreement == ag && f[i].kind == kind)
            return &f[i];
    return NULL;
}

static const footnote *nothing(const footnote_list *l, int province)
{
    return of_agreement(l, province, -1, FOOTNOTE_NOTHING);
}

static const char *name(const footnote_item *it) { return view.municipalities[it->identity].name; }

static bool lists(const footnote *f, const char *who)
{
    for (size_t i = 0; f && i < f->count; i++)
        if (strcmp(name(&f->items[i]), who) == 0)
            return true;
    return false;
}

/* SPEC §3: the prognosis counts "agreements with status negotiating,
 * agreed_in_principle or awaiting_approval whose expected_start <= P <= end".
 * SO-PIPE (expected 01/09/2023) adds Cadier and Elen by 31/12/2023. */
static void pipeline_adds_two(void **state)
{
    (void)state;
    footnote_list l = compute("2023-06-30", "2023-12-31");
    const footnote *f = of_agreement(&l, PROVINCE_LIM, PIPE, FOOTNOTE_PIPELINE);
    assert_non_null(f);
    assert_int_equal(f->status, STATUS_AGREED_IN_PRINCIPLE);
    assert_int_equal(f->expected, D("2023-09-01"));
    assert_int_equal(f->count, 2);
    assert_string_equal(name(&f->items[0]), "Cadier");
    assert_string_equal(name(&f->items[1]), "Elen");
    assert_int_equal(f->items[0].from, D("2023-09-01"));
    assert_int_equal(f->items[0].via, -1);
    const char *t = footnote_text(view.arena, &view, f);
    assert_non_null(strstr(t, "Nog 2 gemeenten"));
    assert_non_null(strstr(t, "SO-PIPE"));
    assert_non_null(strstr(t, "principieel akkoord"));
    assert_non_null(strstr(t, "01/09/2023"));
    assert_non_null(strstr(t, "Cadier en Elen"));
}

/* "expected_start <= P": SO-LATE (expected 01/03/2024) adds nothing by
 * 31/12/2023; Fliert has nothing in sight by P, but the footnote says
 * what comes after it. By 30/06/2024 SO-LATE adds Fliert. */
static void expected_after_p_adds_nothing(void **state)
{
    (void)state;
    footnote_list l = compute("2023-06-30", "2023-12-31");
    assert_null(of_agreement(&l, PROVINCE_LIM, LATE, FOOTNOTE_PIPELINE));
    const footnote *f = nothing(&l, PROVINCE_LIM);
    assert_true(lists(f, "Fliert"));
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(name(&f->items[i]), "Fliert") == 0) {
            assert_int_equal(f->items[i].later_agreement, LATE);
            assert_int_equal(f->items[i].later_from, D("2024-03-01"));
        }
    l = compute("2023-06-30", "2024-06-30");
    f = of_agreement(&l, PROVINCE_LIM, LATE, FOOTNOTE_PIPELINE);
    assert_non_null(f);
    assert_true(lists(f, "Fliert"));
}

/* "planned parties of agreements in force on P (expected_from <= P)":
 * Bocholt, planned in SO-SIGNED from 01/10/2023, is added by 31/12/2023 but
 * not by 30/09/2023. */
static void planned_party_of_signed_agreement(void **state)
{
    (void)state;
    footnote_list l = compute("2023-06-30", "2023-12-31");
    const footnote *f = of_agreement(&l, PROVINCE_LIM, SIGNED, FOOTNOTE_PLANNED);
    assert_non_null(f);
    assert_int_equal(f->status, STATUS_SIGNED);
    assert_int_equal(f->count, 1);
    assert_string_equal(name(&f->items[0]), "Bocholt");
    assert_int_equal(f->expected, D("2023-10-01"));
    const char *t = footnote_text(view.arena, &view, f);
    assert_non_null(strstr(t, "Bocholt"));
    assert_non_null(strstr(t, "01/10/2023"));
    l = compute("2023-06-30", "2023-09-30");
    assert_null(of_agreement(&l, PROVINCE_LIM, SIGNED, FOOTNOTE_PLANNED));
    assert_true(lists(nothing(&l, PROVINCE_LIM), "Bocholt"));
}

/* Alken is a party of SO-PIPE too, but already covered on D by SO-SIGNED:
 * not added, and never listed as having nothing in sight. */
static void covered_on_d_is_not_added(void **state)
{
    (void)state;
    footnote_list l = compute("2023-06-30", "2023-12-31");
    const footnote *f;
    size_t n = footnotes_of_province(&l, PROVINCE_LIM, &f);
    for (size_t i = 0; i < n; i++)
        assert_false(lists(&f[i], "Alken"));
}

/* "The merger rule applies to the prognosis as to coverage": on D =
 * 30/06/2024 Xhoven is covered, Yzer not; SO-YZER (expected 01/10/2024)
 * names Yzer, so by P = 31/03/2025 Xyzer is covered through both former
 * municipalities and SO-YZER adds it, via Yzer. */
static void merged_municipality_added_through_former(void **state)
{
    (void)state;
    footnote_list l = compute("2024-06-30", "2025-03-31");
    const footnote *f = of_agreement(&l, PROVINCE_LIM, YZER, FOOTNOTE_PIPELINE);
    assert_non_null(f);
    assert_int_equal(f->count, 1);
    assert_string_equal(name(&f->items[0]), "Xyzer");
    assert_int_equal(f->items[0].via, rules_identity_on(&view.map, 72002, D("2024-06-30")));
    assert_non_null(strstr(footnote_text(view.arena, &view, f), "Xyzer (via Yzer)"));
    /* SO-SIGNED covered Xhoven on D: it adds nothing to Xyzer */
    assert_null(of_agreement(&l, PROVINCE_LIM, SIGNED, FOOTNOTE_LATER));
}

/* On D = 30/06/2020 neither Xhoven nor Yzer is covered (SO-SIGNED starts
 * 01/01/2021); by P = 31/03/2025 SO-BOTH adds Xyzer through both: it names
 * neither ("via" is -1), while SO-SIGNED adds it via Xhoven, from 2021. */
static void merged_added_through_both_former(void **state)
{
    (void)state;
    footnote_list l = compute("2020-06-30", "2025-03-31");
    const footnote *f = of_agreement(&l, PROVINCE_LIM, BOTH, FOOTNOTE_PIPELINE);
    assert_non_null(f);
    assert_int_equal(f->count, 1);
    assert_string_equal(name(&f->items[0]), "Xyzer");
    assert_int_equal(f->items[0].via, -1);
    assert_non_null(strstr(footnote_text(view.arena, &view, f), ": Xyzer."));
    f = of_agreement(&l, PROVINCE_LIM, SIGNED, FOOTNOTE_LATER);
    assert_non_null(f);
    assert_true(lists(f, "Xyzer"));
    assert_true(lists(f, "Alken"));
    assert_int_equal(f->expected, D("2021-01-01"));
}

/* Nothing in sight: Genk-Oost, with the stage of its last entry on or
 * before D (SPEC §5) and that entry's note; an entry after D does not
 * count. A municipality without entries has OUTREACH_NONE. */
static void nothing_in_sight_with_stage_and_note(void **state)
{
    (void)state;
    footnote_list l = compute("2023-06-30", "2023-12-31");
    const footnote *f = nothing(&l, PROVINCE_LIM);
    assert_non_null(f);
    assert_int_equal(f->agreement, -1);
    assert_int_equal(f->count, 3); /* Fliert, Genk-Oost and Yzer, by name */
    const footnote_item *g = &f->items[1];
    assert_string_equal(name(&f->items[0]), "Fliert");
    assert_string_equal(name(g), "Genk-Oost");
    assert_string_equal(name(&f->items[2]), "Yzer");
    assert_int_equal(g->later_agreement, -1);
    assert_int_equal(g->stage, OUTREACH_EXPLORING);
    assert_int_equal(g->stage_on, D("2023-05-10"));
    assert_string_equal(g->note, "aparte SO in onderzoek");
    assert_int_equal(f->items[0].stage, OUTREACH_NONE);
    const char *t = footnote_item_text(view.arena, &view, f, g);
    assert_string_equal(t, "Genk-Oost (verkennend sinds 10/05/2023: aparte SO in onderzoek)");
}

/* Yzer on D = 30/06/2023: not covered, and SO-YZER (expected 01/10/2024)
 * comes after P: nothing in sight by P, with the agreement that follows. */
static void yzer_waits_for_its_agreement(void **state)
{
    (void)state;
    footnote_list l = compute("2023-06-30", "2023-12-31");
    const footnote *f = nothing(&l, PROVINCE_LIM);
    assert_true(lists(f, "Yzer"));
    assert_int_equal(f->items[2].later_agreement, YZER);
    assert_int_equal(f->items[2].later_from, D("2024-10-01"));
    assert_int_equal(f->items[2].stage, OUTREACH_NONE);
    assert_string_equal(footnote_item_text(view.arena, &view, f, &f->items[2]),
                        "Yzer (nog niets geregistreerd; SO-YZER verwacht vanaf 01/10/2024)");
}

/* SPEC §3: a signed agreement without start is in force on no day, but it is
 * known: Fliert, whose SO-LATE is signed without a start date, stays under
 * nothing in sight (not counted) with that agreement named; the others name
 * none, and with a start SO-LATE would cover Fliert instead. */
static void signed_without_start_is_named(void **state)
{
    (void)state;
    rules_agreement kept = view.rules_agreements[LATE];
    view.rules_agreements[LATE].status = STATUS_SIGNED;
    view.rules_agreements[LATE].expected_start = DATE_NONE;
    footnote_list l = compute("2023-06-30", "2023-12-31");
    const footnote *f = nothing(&l, PROVINCE_LIM);
    assert_string_equal(name(&f->items[0]), "Fliert");
    assert_int_equal(f->items[0].unstarted_agreement, LATE);
    assert_string_equal(footnote_item_text(view.arena, &view, f, &f->items[0]),
                        "Fliert (nog niets geregistreerd; SO-LATE ondertekend, begindatum onbekend)");
    assert_int_equal(f->items[1].unstarted_agreement, -1); /* Genk-Oost */
    assert_int_equal(f->items[2].unstarted_agreement, -1); /* Yzer: awaiting approval */
    assert_null(of_agreement(&l, PROVINCE_LIM, LATE, FOOTNOTE_LATER));
    view.rules_agreements[LATE] = kept;
    l = compute("2023-06-30", "2023-12-31");
    assert_int_equal(nothing(&l, PROVINCE_LIM)->items[0].unstarted_agreement, -1);
}

/* West-Vlaanderen: Waregem covered on D and on P: nothing to explain. */
static void province_without_anything_to_explain(void **state)
{
    (void)state;
    footnote_list l = compute("2023-06-30", "2023-12-31");
    const footnote *f;
    assert_int_equal(footnotes_of_province(&l, PROVINCE_WVL, &f), 0);
    assert_int_equal(footnotes_of_province(&l, PROVINCE_OVL, &f), 0);
    assert_int_equal(footnotes_of_province(&l, ROW_FLANDERS, &f), 0);
}

/* SO-ANT ends 31/10/2023: Arendonk, covered on D, is not on P. */
static void ending_agreement(void **state)
{
    (void)state;
    footnote_list l = compute("2023-06-30", "2023-12-31");
    const footnote *f = of_agreement(&l, PROVINCE_ANT, ANT, FOOTNOTE_ENDING);
    assert_non_null(f);
    assert_int_equal(f->number, 1);
    assert_int_equal(f->expected, D("2023-10-31"));
    assert_true(lists(f, "Arendonk"));
    /* ending is not "nothing in sight": it was covered on D */
    assert_null(nothing(&l, PROVINCE_ANT));
}

/* Numbers run 1.. per province, agreement footnotes by date: SO-PIPE
 * (01/09/2023) before the planned Bocholt (01/10/2023), nothing in sight
 * last. */
static void numbered_per_province(void **state)
{
    (void)state;
    footnote_list l = compute("2023-06-30", "2023-12-31");
    const footnote *f;
    size_t n = footnotes_of_province(&l, PROVINCE_LIM, &f);
    assert_int_equal(n, 3);
    assert_int_equal(f[0].number, 1);
    assert_int_equal(f[0].agreement, PIPE);
    assert_int_equal(f[1].number, 2);
    assert_int_equal(f[1].kind, FOOTNOTE_PLANNED);
    assert_int_equal(f[2].number, 3);
    assert_int_equal(f[2].kind, FOOTNOTE_NOTHING);
}

/* Without a prognosis: only the municipalities not covered on D. */
static void without_prognosis(void **state)
{
    (void)state;
    footnote_list l = compute("2023-06-30", NULL);
    const footnote *f;
    size_t n = footnotes_of_province(&l, PROVINCE_LIM, &f);
    assert_int_equal(n, 1);
    assert_int_equal(f[0].kind, FOOTNOTE_NOTHING);
    /* Bocholt, Cadier, Elen, Fliert, Genk-Oost, Yzer */
    assert_int_equal(f[0].count, 6);
    assert_null(nothing(&l, PROVINCE_ANT));
}

static void same_item(const footnote_item *a, const footnote_item *b)
{
    assert_int_equal(a->identity, b->identity);
    assert_int_equal(a->via, b->via);
    assert_int_equal(a->from, b->from);
    assert_int_equal(a->state, b->state);
    assert_int_equal(a->stage, b->stage);
    assert_int_equal(a->stage_on, b->stage_on);
    assert_ptr_equal(a->note, b->note);
    assert_int_equal(a->later_agreement, b->later_agreement);
    assert_int_equal(a->later_from, b->later_from);
    assert_int_equal(a->unstarted_agreement, b->unstarted_agreement);
}

/* Footnote lists a and b are the same, footnote by footnote and item by item. */
static void same_footnotes(const footnote *a, size_t na, const footnote *b, size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_int_equal(a[i].kind, b[i].kind);
        assert_int_equal(a[i].province, b[i].province);
        assert_int_equal(a[i].number, b[i].number);
        assert_int_equal(a[i].agreement, b[i].agreement);
        assert_int_equal(a[i].status, b[i].status);
        assert_int_equal(a[i].expected, b[i].expected);
        assert_int_equal(a[i].count, b[i].count);
        for (size_t k = 0; k < a[i].count; k++)
            same_item(&a[i].items[k], &b[i].items[k]);
    }
}

/* The days of the cases above: each kind of footnote, the 2025 merger, and
 * a table without a prognosis. */
static const char *const DAYS[][2] = {{"2023-06-30", "2023-12-31"}, {"2023-06-30", "2024-06-30"},
                                      {"2024-06-30", "2025-03-31"}, {"2023-06-30", "2023-09-30"},
                                      {"2020-01-01", "2026-06-30"}, {"2023-06-30", NULL}};

/* Issue 12: province by province (footnotes_begin, footnotes_province) the
 * footnotes are those of footnotes_compute for that province, whatever the
 * order the provinces are asked in, and asked twice. */
static void province_by_province_is_the_whole(void **state)
{
    (void)state;
    set_log_dates();
    for (size_t k = 0; k < sizeof DAYS / sizeof *DAYS; k++) {
        date_t d = D(DAYS[k][0]), p = DAYS[k][1] ? D(DAYS[k][1]) : DATE_NONE;
        footnote_list whole = compute(DAYS[k][0], DAYS[k][1]);
        assert_true(whole.count > 0);
        footnotes_walk *w = footnotes_begin(&view, LOG, 3, d, p, NULL, NULL);
        assert_non_null(w);
        size_t seen = 0;
        for (int round = 0; round < 2; round++)
            for (int i = 0; i < PROVINCE_COUNT; i++) {
                int prov = round ? PROVINCE_COUNT - 1 - i : i;
                arena *a = arena_new();
                footnote_list one;
                footnotes_province(w, prov, a, &one);
                assert_int_equal(one.date, d);
                assert_int_equal(one.prognosis, p);
                const footnote *f;
                size_t n = footnotes_of_province(&whole, prov, &f);
                same_footnotes(f, n, one.items, one.count);
                seen += round ? 0 : one.count;
                arena_free(a);
            }
        assert_int_equal(seen, whole.count);
        footnotes_end(w);
    }
}

/* Evaluations the caller has made already (the answer's annex has the one
 * on D) give the same footnotes as those the walk makes itself. */
static void given_evaluations(void **state)
{
    (void)state;
    set_log_dates();
    for (size_t k = 0; k < sizeof DAYS / sizeof *DAYS; k++) {
        date_t d = D(DAYS[k][0]), p = DAYS[k][1] ? D(DAYS[k][1]) : DATE_NONE;
        footnote_list whole = compute(DAYS[k][0], DAYS[k][1]);
        rules_coverage on_d, on_p;
        assert_int_equal(rules_coverage_eval(&on_d, &view.map, view.rules_agreements, view.agreement_count, NULL, 0,
                                             d, BASIS_ACTUAL, RULES_LINKS),
                         0);
        if (p != DATE_NONE)
            assert_int_equal(rules_coverage_eval(&on_p, &view.map, view.rules_agreements, view.agreement_count, NULL,
                                                 0, p, BASIS_PROGNOSIS, RULES_LINKS),
                             0);
        footnotes_walk *w = footnotes_begin(&view, LOG, 3, d, p, &on_d, p != DATE_NONE ? &on_p : NULL);
        assert_non_null(w);
        for (int prov = 0; prov < PROVINCE_COUNT; prov++) {
            arena *a = arena_new();
            footnote_list one;
            footnotes_province(w, prov, a, &one);
            const footnote *f;
            size_t n = footnotes_of_province(&whole, prov, &f);
            same_footnotes(f, n, one.items, one.count);
            arena_free(a);
        }
        footnotes_end(w);
        rules_coverage_free(&on_d);
        if (p != DATE_NONE)
            rules_coverage_free(&on_p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pipeline_adds_two),
        cmocka_unit_test(expected_after_p_adds_nothing),
        cmocka_unit_test(planned_party_of_signed_agreement),
        cmocka_unit_test(covered_on_d_is_not_added),
        cmocka_unit_test(merged_municipality_added_through_former),
        cmocka_unit_test(merged_added_through_both_former),
        cmocka_unit_test(nothing_in_sight_with_stage_and_note),
        cmocka_unit_test(yzer_waits_for_its_agreement),
        cmocka_unit_test(signed_without_start_is_named),
        cmocka_unit_test(province_without_anything_to_explain),
        cmocka_unit_test(ending_agreement),
        cmocka_unit_test(numbered_per_province),
        cmocka_unit_test(without_prognosis),
        cmocka_unit_test(province_by_province_is_the_whole),
        cmocka_unit_test(given_evaluations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
