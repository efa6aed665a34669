/* report_annex.c: the annex of SPEC §4: per province and municipality the
 * agreements covering it on a date, with begin, end and status, and the
 * municipalities with none. A merged municipality lists the agreements of
 * its former municipalities, naming each. A signed agreement without a start
 * covers nothing but is named under its municipalities (SPEC §3), marked
 * "ondertekend, begindatum onbekend" with an empty begin. */
#include "report.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static const char *link_status_nl(const annex_link_text *l)
{
    return l->counted ? status_label_nl(l->status) : muni_state_label_nl(MUNI_SIGNED_NO_START);
}

/* "gemeenteraad 27/09/2021; ocmw_raad 27/09/2021": the decisions of party
 * p of agreement a, or NULL. */
static const char *decisions_of(const register_view *v, int a, int p)
{
    return v->party_decisions ? v->party_decisions[v->agreements[a].first_party + p] : NULL;
}

/* Party p of agreement a in texts. */
static annex_link_text link_text(const register_view *v, int a, int p, int via, date_t from, date_t to, bool counted)
{
    const view_agreement *va = &v->agreements[a];
    const view_municipality *vm = via >= 0 ? &v->municipalities[via] : NULL;
    return (annex_link_text){va->id,
                             va->title,
                             v->rules_agreements[a].status,
                             from,
                             to,
                             vm ? vm->nis : NULL,
                             vm ? vm->name : NULL,
                             counted,
                             decisions_of(v, a, p)};
}

static bool nth_link(const annex_report *r, int id, int via, int depth, size_t *k, annex_link_text *out);

/* The links of identity id: the parties covering it (the n at l), then the
 * parties of signed agreements without start naming it; when no party
 * covers it itself, those of its former municipalities, each named as via.
 * Link *k goes to out (true), or false with *k less the links found. */
static bool nth_link_after(const annex_report *r, int id, const rules_link *l, size_t n, int via, int depth,
                           size_t *k, annex_link_text *out)
{
    const register_view *v = r->view;
    if (*k < n) {
        *out = link_text(v, l[*k].agreement, l[*k].party, via, l[*k].from, l[*k].to, true);
        return true;
    }
    *k -= n;
    const rules_unstarted_link *u;
    size_t nu = rules_unstarted_links_of(&r->unstarted, id, &u);
    if (*k < nu) {
        const rules_agreement *ra = &v->rules_agreements[u[*k].agreement];
        date_t to = rules_party_last_day(ra, &ra->parties[u[*k].party]);
        *out = link_text(v, u[*k].agreement, u[*k].party, via, DATE_NONE, to, false);
        return true;
    }
    *k -= nu;
    const rules_municipality *mu = &v->map.items[id];
    if (n || depth > 8)
        return false;
    for (int p = 0; p < mu->pred_count; p++) {
        int pred = v->map.preds[mu->first_pred + p];
        if (nth_link(r, pred, pred, depth + 1, k, out))
            return true;
    }
    return false;
}

static bool nth_link(const annex_report *r, int id, int via, int depth, size_t *k, annex_link_text *out)
{
    const rules_link *l;
    size_t n = rules_links_of(&r->coverage, id, &l);
    return nth_link_after(r, id, l, n, via, depth, k, out);
}

/* How many links nth_link finds for identity id. */
static size_t link_count(const annex_report *r, int id, int depth)
{
    const rules_link *l;
    const rules_unstarted_link *u;
    size_t n = rules_links_of(&r->coverage, id, &l), total = n + rules_unstarted_links_of(&r->unstarted, id, &u);
    const rules_municipality *mu = &r->view->map.items[id];
    if (n || depth > 8)
        return total;
    for (int p = 0; p < mu->pred_count; p++)
        total += link_count(r, r->view->map.preds[mu->first_pred + p], depth + 1);
    return total;
}

static bool in_annex(const register_view *v, size_t i, date_t d, int province)
{
    return rules_municipality_valid_on(&v->map.items[i], d) &&
           (province < 0 || v->municipalities[i].province == province);
}

/* Fills the items, counted first so that they take one exact block, by
 * province, then name, then NIS code: made in the map's order (the
 * evaluation's arrays read in their order), then placed by the view's rank
 * of names (equal names by identity, that is by code: one identity of a
 * code on a day) province by province. A qsort comparing the names took a
 * third of the answer on today's date on the large register (issue 12). */
static int collect_items(annex_report *out)
{
    const register_view *v = out->view;
    size_t n = 0;
    for (size_t i = 0; i < v->map.count; i++)
        n += in_annex(v, i, out->date, out->province);
    annex_municipality *made = malloc((n ? n : 1) * sizeof *made);
    uint32_t *at_rank = malloc((v->map.count ? v->map.count : 1) * sizeof *at_rank); /* made's index + 1, or 0 */
    if (!made || !at_rank) {
        free(made);
        free(at_rank);
        return -1;
    }
    memset(at_rank, 0, v->map.count * sizeof *at_rank);
    int low = 0, high = 0; /* the provinces' range */
    size_t k = 0;
    for (size_t i = 0; i < v->map.count; i++) {
        if (!in_annex(v, i, out->date, out->province))
            continue;
        unsigned char state = out->coverage.state[i];
        const rules_link *l;
        rules_links_of(&out->coverage, (int)i, &l);
        int p = v->municipalities[i].province;
        low = k == 0 || p < low ? p : low;
        high = k == 0 || p > high ? p : high;
        /* the annex has no pipeline: it names agreements, not negotiations */
        made[k] = (annex_municipality){
            (int)i, (uint32_t)link_count(out, (int)i, 0), (uint32_t)(l - out->coverage.links), (signed char)p, state,
            (unsigned char)rules_muni_state((cover_state)state, out->unstarted.marked[i], false)};
        at_rank[v->name_rank[i]] = (uint32_t)++k;
    }
    size_t *start = arena_calloc(out->arena, (size_t)(high - low) + 2, sizeof *start); /* of each province */
    for (size_t j = 0; j < n; j++)
        start[made[j].province - low + 1]++;
    for (int p = low; p < high; p++)
        start[p - low + 1] += start[p - low];
    out->items = arena_alloc(out->arena, (n ? n : 1) * sizeof *out->items);
    for (size_t r = 0; r < v->map.count; r++)
        if (at_rank[r]) {
            const annex_municipality *m = &made[at_rank[r] - 1];
            out->items[start[m->province - low]++] = *m;
        }
    out->count = n;
    free(made);
    free(at_rank);
    return 0;
}

int annex_report_compute(const register_view *v, date_t d, int province, moment_t as_known_at, annex_report *out)
{
    memset(out, 0, sizeof *out);
    out->date = d;
    out->province = province;
    out->as_known_at = as_known_at;
    out->view = v;
    out->arena = arena_new();
    out->notice = v->notice;
    assert(v->name_rank); /* the order of the items */
    if (rules_coverage_eval(&out->coverage, &v->map, v->rules_agreements, v->agreement_count, v->rules_regions,
                            v->region_count, d, BASIS_ACTUAL, RULES_LINKS) ||
        rules_unstarted_eval(&out->unstarted, &v->map, v->rules_agreements, v->agreement_count, d,
                             out->coverage.state))
        return -1;
    return collect_items(out);
}

const view_municipality *annex_municipality_of(const annex_report *r, const annex_municipality *m)
{
    return &r->view->municipalities[m->municipality];
}

annex_link_text annex_link_of(const annex_report *r, const annex_municipality *m, size_t k)
{
    const rules_coverage *c = &r->coverage;
    size_t n = 0;
    while (m->covering + n < c->link_count && c->links[m->covering + n].identity == m->municipality)
        n++;
    annex_link_text t = {0};
    nth_link_after(r, m->municipality, c->links + m->covering, n, -1, 0, &k, &t);
    return t;
}

void annex_rows_index(const annex_report *r, size_t first, size_t count, uint32_t *rows)
{
    rows[0] = 0;
    for (size_t j = 0; j < count; j++) {
        uint32_t n = r->items[first + j].link_count;
        rows[j + 1] = rows[j] + (n ? n : 1);
    }
}

size_t annex_row_item(const uint32_t *rows, size_t count, size_t n, size_t *link)
{
    size_t lo = 0, hi = count; /* the last j with rows[j] <= n lies in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows[mid] <= n)
            lo = mid;
        else
            hi = mid;
    }
    *link = n - rows[lo];
    return lo;
}

void annex_report_free(annex_report *r)
{
    rules_unstarted_free(&r->unstarted);
    rules_coverage_free(&r->coverage);
    arena_free(r->arena);
    memset(r, 0, sizeof *r);
}

static const char *const KEYS[] = {"province", "nis", "municipality", "coverage", "agreement", "title",
                                   "begin", "end", "status", "via_nis", "via_municipality", "decisions"};
static const char *const LABELS[] = {"Provincie", "NIS", "Gemeente", "Dekking", "Overeenkomst", "Titel",
                                     "Begin", "Einde", "Status", "NIS deelgemeente", "Via deelgemeente",
                                     "Beslissingen van de raad"};

static char *title_of(const annex_report *r)
{
    char d[DATE_NL_LEN];
    return arena_printf(r->arena, "Bijlage: samenwerkingsovereenkomsten per gemeente op %s%s%s",
                        date_format_nl(r->date, d), r->province >= 0 ? " – " : "",
                        r->province >= 0 ? province_name(r->province) : "");
}

void annex_report_table(const annex_report *r, bool machine, table *t)
{
    table_init(t, r->arena, title_of(r), KEYS, LABELS, 12);
    for (size_t i = 0; i < r->count; i++) {
        const annex_municipality *m = &r->items[i];
        const view_municipality *vm = annex_municipality_of(r, m);
        for (size_t k = 0; k < (m->link_count ? m->link_count : 1); k++) {
            cell *c = table_row(t);
            c[0] = cell_text(province_name(m->province));
            c[1] = cell_text(vm->nis);
            c[2] = cell_text(vm->name);
            c[3] = cell_text(machine ? muni_state_name(m->shown) : muni_state_label_nl(m->shown));
            if (!m->link_count)
                continue;
            annex_link_text l = annex_link_of(r, m, k);
            c[4] = cell_text(l.agreement_id);
            c[5] = cell_text(l.title);
            c[6] = cell_date(l.from);
            c[7] = cell_date(l.to);
            c[8] = cell_text(machine ? status_name(l.status) : link_status_nl(&l));
            c[9] = cell_text(l.via_nis);
            c[10] = cell_text(l.via_name);
            c[11] = cell_text(l.decisions);
        }
    }
}

static void interval_text(buf *b, const annex_link_text *l)
{
    char f[DATE_NL_LEN], t[DATE_NL_LEN];
    buf_printf(b, "%s – %s", l->from == DATE_NONE ? "begin onbekend" : date_format_nl(l->from, f),
               l->to == DATE_NONE ? "(open)" : date_format_nl(l->to, t));
}

static void render_text(const annex_report *r, buf *b)
{
    buf_printf(b, "%s\n", title_of(r));
    int province = -1;
    for (size_t i = 0; i < r->count; i++) {
        const annex_municipality *m = &r->items[i];
        if (m->province != province) {
            province = m->province;
            int total = 0, covered = 0;
            for (size_t j = i; j < r->count && r->items[j].province == province; j++) {
                total++;
                covered += r->items[j].state == COVER_FULL;
            }
            buf_printf(b, "\n%s: %d/%d gemeenten gedekt\n", province_name(province), covered, total);
        }
        const view_municipality *vm = annex_municipality_of(r, m);
        buf_printf(b, "  %s (%s)", vm->name, vm->nis);
        if (!m->link_count) {
            buf_puts(b, ": geen overeenkomst\n");
            continue;
        }
        buf_printf(b, "%s%s\n", m->shown == MUNI_COVERED ? "" : ": ",
                   m->shown == MUNI_COVERED ? "" : muni_state_label_nl(m->shown));
        for (size_t k = 0; k < m->link_count; k++) {
            annex_link_text l = annex_link_of(r, m, k);
            buf_printf(b, "    %s \"%s\", ", l.agreement_id, l.title);
            interval_text(b, &l);
            buf_printf(b, ", %s", link_status_nl(&l));
            if (l.via_name)
                buf_printf(b, ", via %s (%s)", l.via_name, l.via_nis);
            buf_putc(b, '\n');
        }
    }
    if (r->as_known_at != MOMENT_NONE) {
        char mo[MOMENT_ISO_LEN];
        buf_printf(b, "\nZoals gekend op %s (UTC).\n", moment_format_utc(r->as_known_at, mo));
    }
    report_notice(b, FORMAT_TEXT, r->notice);
}

static void json_date(buf *b, date_t d)
{
    char s[DATE_ISO_LEN];
    if (d == DATE_NONE)
        buf_puts(b, "null");
    else
        buf_printf(b, "\"%s\"", date_format_iso(d, s));
}

static void render_json(const annex_report *r, buf *b)
{
    char d[DATE_ISO_LEN], mo[MOMENT_ISO_LEN];
    buf_printf(b, "{\n  \"date\": \"%s\",\n  \"as_known_at\": ", date_format_iso(r->date, d));
    if (r->as_known_at != MOMENT_NONE)
        buf_printf(b, "\"%s\"", moment_format_utc(r->as_known_at, mo));
    else
        buf_puts(b, "null");
    report_notice_json(b, r->notice);
    buf_puts(b, ",\n  \"municipalities\": [");
    for (size_t i = 0; i < r->count; i++) {
        const annex_municipality *m = &r->items[i];
        const view_municipality *vm = annex_municipality_of(r, m);
        buf_fmt(b, "%s\n    {\"province\": %j, \"nis\": %j, \"name\": %j, \"coverage\": %j, \"agreements\": [",
                i ? "," : "", province_name(m->province), vm->nis, vm->name, muni_state_name(m->shown));
        for (size_t k = 0; k < m->link_count; k++) {
            annex_link_text l = annex_link_of(r, m, k);
            buf_fmt(b, "%s{\"id\": %j, \"title\": %j, \"status\": %j, \"begin\": ", k ? ", " : "", l.agreement_id,
                    l.title, status_name(l.status));
            json_date(b, l.from);
            buf_puts(b, ", \"end\": ");
            json_date(b, l.to);
            buf_puts(b, ", \"via\": ");
            if (l.via_nis)
                buf_fmt(b, "{\"nis\": %j, \"name\": %j}", l.via_nis, l.via_name);
            else
                buf_puts(b, "null");
            buf_puts(b, l.counted ? ", \"counted\": true}" : ", \"counted\": false}");
        }
        buf_puts(b, "]}");
    }
    buf_puts(b, "\n  ]\n}\n");
}

int annex_report_render(const annex_report *r, report_format f, buf *b, const char *xlsx_path)
{
    if (f == FORMAT_TEXT) {
        render_text(r, b);
        return 0;
    }
    if (f == FORMAT_JSON) {
        render_json(r, b);
        return 0;
    }
    table t;
    annex_report_table(r, f == FORMAT_CSV, &t);
    t.notice = r->notice;
    return table_render(&t, f, b, xlsx_path);
}
