/* report_concluded.c: the agreements concluded in a period (signed_on from
 * A to B, SPEC §5: "agreements concluded in 2021 means signed_on in 2021"),
 * per province and per municipality with the begin and end of each party,
 * the first half of question 1 of seed 004. An agreement whose signed_on is
 * unknown is in no period: it cannot be said to have been concluded then. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* The day a party's municipality is named as: its first day when known,
 * else the day the agreement was signed. */
static date_t naming_day(const rules_agreement *ra, const rules_party *rp, date_t signed_on)
{
    date_t from, to;
    if (rules_party_interval(ra, rp, BASIS_ACTUAL, &from, &to))
        return from;
    return rp->from != DATE_NONE ? rp->from : signed_on;
}

static void add_row(concluded_report *r, size_t *cap, concluded_row row)
{
    r->rows = arena_grow(r->arena, r->rows, cap, r->count + 1, sizeof *r->rows);
    r->rows[r->count++] = row;
}

/* One row per municipality party; an agreement of organisations only gets
 * one row without a municipality, under its VDAB directorate. */
static void add_agreement(concluded_report *r, size_t *cap, const register_view *v, size_t i)
{
    const view_agreement *va = &v->agreements[i];
    const rules_agreement *ra = &v->rules_agreements[i];
    concluded_row base = {.agreement = i, .id = va->id, .signed_on = va->signed_on, .province = va->vdab_directorate,
                          .from = DATE_NONE, .to = DATE_NONE};
    bool any = false;
    for (int k = 0; k < ra->party_count; k++) {
        const rules_party *rp = &ra->parties[k];
        if (rp->code < 0)
            continue;
        concluded_row row = base;
        int id = rules_identity_on(&v->map, rp->code, naming_day(ra, rp, va->signed_on));
        if (id < 0 && v->map.code_first[rp->code] >= 0)
            id = v->map.code_first[rp->code] + v->map.code_count[rp->code] - 1;
        if (id < 0)
            continue;
        row.nis = v->municipalities[id].nis;
        row.name = v->municipalities[id].name;
        row.province = v->municipalities[id].province;
        if (!rules_party_interval(ra, rp, BASIS_ACTUAL, &row.from, &row.to))
            row.from = DATE_NONE, row.to = rules_party_last_day(ra, rp);
        if (r->province < 0 || row.province == r->province)
            add_row(r, cap, row);
        any = true;
    }
    if (!any && (r->province < 0 || base.province == r->province))
        add_row(r, cap, base);
}

static int by_province_municipality(const void *x, const void *y)
{
    const concluded_row *a = x, *b = y;
    if (a->province != b->province)
        return a->province < b->province ? -1 : 1;
    int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
    if (c)
        return c;
    if (a->signed_on != b->signed_on)
        return a->signed_on < b->signed_on ? -1 : 1;
    return strcmp(a->id, b->id);
}

int concluded_report_compute(const register_view *v, date_t from, date_t to, int province, moment_t as_known_at,
                             concluded_report *out)
{
    *out = (concluded_report){.from = from, .to = to, .province = province, .as_known_at = as_known_at,
                              .view = v, .arena = arena_new(), .notice = v->notice};
    size_t cap = 0;
    for (size_t i = 0; i < v->agreement_count; i++) {
        date_t s = v->agreements[i].signed_on;
        if (s != DATE_NONE && s >= from && s <= to)
            add_agreement(out, &cap, v, i);
    }
    if (out->count)
        qsort(out->rows, out->count, sizeof *out->rows, by_province_municipality);
    return 0;
}

void concluded_report_free(concluded_report *r)
{
    arena_free(r->arena);
    r->arena = NULL;
}

static const char *const KEYS[] = {"province", "nis", "municipality", "agreement", "title", "kind",
                                   "signed_on", "begin", "end", "status"};
static const char *const LABELS[] = {"Provincie", "NIS", "Gemeente", "Overeenkomst", "Titel", "Soort",
                                     "Ondertekend op", "Begin", "Einde", "Status"};

static const char *status_of(const concluded_report *r, const concluded_row *row, bool machine)
{
    const rules_agreement *ra = &r->view->rules_agreements[row->agreement];
    if (machine)
        return status_name(ra->status);
    return ra->status == STATUS_SIGNED && ra->start == DATE_NONE ? "ondertekend, begindatum onbekend"
                                                                 : status_label_nl(ra->status);
}

void concluded_report_table(const concluded_report *r, bool machine, table *t)
{
    char a[DATE_NL_LEN], b[DATE_NL_LEN];
    const char *title = arena_printf(r->arena, "Afgesloten van %s tot en met %s", date_format_nl(r->from, a),
                                     date_format_nl(r->to, b));
    table_init(t, r->arena, title, KEYS, LABELS, 10);
    for (size_t i = 0; i < r->count; i++) {
        const concluded_row *row = &r->rows[i];
        const view_agreement *va = &r->view->agreements[row->agreement];
        cell *c = table_row(t);
        c[0] = cell_text(province_name(row->province));
        c[1] = cell_text(row->nis);
        c[2] = cell_text(row->name);
        c[3] = cell_text(va->id);
        c[4] = cell_text(va->title);
        c[5] = cell_text(va->kind);
        c[6] = cell_date(va->signed_on);
        c[7] = cell_date(row->from);
        c[8] = cell_date(row->to);
        c[9] = cell_text(status_of(r, row, machine));
    }
}

static size_t agreements_in(const concluded_report *r, size_t first, size_t end)
{
    size_t n = 0;
    for (size_t i = first; i < end; i++) {
        bool seen = false;
        for (size_t k = first; k < i && !seen; k++)
            seen = r->rows[k].agreement == r->rows[i].agreement;
        n += !seen;
    }
    return n;
}

static void render_text(const concluded_report *r, buf *b)
{
    char a[DATE_NL_LEN], z[DATE_NL_LEN], d1[DATE_NL_LEN], d2[DATE_NL_LEN], d3[DATE_NL_LEN];
    buf_printf(b, "Samenwerkingsovereenkomsten afgesloten van %s tot en met %s (ondertekend op)\n",
               date_format_nl(r->from, a), date_format_nl(r->to, z));
    for (int p = 0; p < PROVINCE_COUNT; p++) {
        if (r->province >= 0 && p != r->province)
            continue;
        size_t first = 0;
        while (first < r->count && r->rows[first].province < p)
            first++;
        size_t end = first;
        while (end < r->count && r->rows[end].province == p)
            end++;
        size_t munis = 0;
        for (size_t i = first; i < end; i++)
            munis += r->rows[i].nis && (i == first || !r->rows[i - 1].nis || strcmp(r->rows[i - 1].nis, r->rows[i].nis));
        buf_printf(b, "\n%s: %zu overeenkomst(en), %zu gemeente(n)\n", province_name(p), agreements_in(r, first, end),
                   munis);
        for (size_t i = first; i < end; i++) {
            const concluded_row *row = &r->rows[i];
            const view_agreement *va = &r->view->agreements[row->agreement];
            if (!row->nis)
                buf_printf(b, "  (geen gemeente als partij)\n");
            else if (i == first || !r->rows[i - 1].nis || strcmp(r->rows[i - 1].nis, row->nis))
                buf_printf(b, "  %s (%s)\n", row->name, row->nis);
            buf_printf(b, "    %s \"%s\", ondertekend op %s, %s – %s, %s\n", va->id, va->title,
                       date_format_nl(va->signed_on, d1), row->from == DATE_NONE ? "begin onbekend" : date_format_nl(row->from, d2),
                       row->to == DATE_NONE ? "(open)" : date_format_nl(row->to, d3), status_of(r, row, false));
        }
    }
}

int concluded_report_render(const concluded_report *r, report_format f, buf *b, const char *xlsx_path)
{
    if (f == FORMAT_TEXT) {
        render_text(r, b);
        report_notice(b, FORMAT_TEXT, r->notice);
        return 0;
    }
    table t;
    concluded_report_table(r, f == FORMAT_CSV || f == FORMAT_JSON, &t);
    t.notice = r->notice;
    return table_render(&t, f, b, xlsx_path);
}
