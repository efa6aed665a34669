/* report_annex.c: the annex of SPEC §4: per province and municipality the
 * agreements covering it on a date, with begin, end and status, and the
 * municipalities with none. A merged municipality lists the agreements of
 * its former municipalities, naming each. A signed agreement without a start
 * covers nothing but is named under its municipalities (SPEC §3), marked
 * "ondertekend, begindatum onbekend" with an empty begin. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

static const char *link_status_nl(const annex_link *l)
{
    return l->counted ? status_label_nl(l->status) : muni_state_label_nl(MUNI_SIGNED_NO_START);
}

typedef struct {
    arena *a;
    const register_view *v;
    const rules_coverage *c;
    const rules_unstarted *u;
    annex_municipality *m;
    size_t cap;
} collector;

/* Grows from two links, not arena_grow's eight: nine municipalities in ten
 * have at most three, and eight for each of 90,000 kept 37 MB of the annex. */
static void add_link(collector *k, annex_link l)
{
    if (k->m->link_count == k->cap) {
        size_t n = k->cap ? 2 * k->cap : 2;
        annex_link *more = arena_calloc(k->a, n, sizeof *more);
        if (k->m->link_count)
            memcpy(more, k->m->links, k->m->link_count * sizeof *more);
        k->m->links = more;
        k->cap = n;
    }
    k->m->links[k->m->link_count++] = l;
}

/* "gemeenteraad 27/09/2021; ocmw_raad 27/09/2021": the decisions of party
 * p of agreement a, or NULL. */
static const char *decisions_of(const register_view *v, int a, int p)
{
    return v->party_decisions ? v->party_decisions[v->agreements[a].first_party + p] : NULL;
}

/* The parties of signed agreements without start named under id on the date. */
static void collect_unstarted(collector *k, int id, int via)
{
    const rules_unstarted_link *u;
    size_t n = rules_unstarted_links_of(k->u, id, &u);
    for (size_t i = 0; i < n; i++) {
        const view_agreement *va = &k->v->agreements[u[i].agreement];
        const rules_agreement *ra = &k->v->rules_agreements[u[i].agreement];
        add_link(k, (annex_link){va->id, va->title, ra->status, DATE_NONE, rules_party_last_day(ra, &ra->parties[u[i].party]),
                                 via >= 0 ? k->v->municipalities[via].nis : NULL,
                                 via >= 0 ? k->v->municipalities[via].name : NULL, false,
                                 decisions_of(k->v, u[i].agreement, u[i].party)});
    }
}

/* Adds the parties covering identity id; when it has none itself, those of
 * its former municipalities, each named as via. */
static void collect(collector *k, int id, int via, int depth)
{
    const rules_link *l;
    size_t n = rules_links_of(k->c, id, &l);
    for (size_t i = 0; i < n; i++) {
        const view_agreement *va = &k->v->agreements[l[i].agreement];
        add_link(k, (annex_link){va->id, va->title, k->v->rules_agreements[l[i].agreement].status, l[i].from, l[i].to,
                                 via >= 0 ? k->v->municipalities[via].nis : NULL,
                                 via >= 0 ? k->v->municipalities[via].name : NULL, true,
                                 decisions_of(k->v, l[i].agreement, l[i].party)});
    }
    collect_unstarted(k, id, via);
    const rules_municipality *mu = &k->v->map.items[id];
    if (n || depth > 8)
        return;
    for (int p = 0; p < mu->pred_count; p++) {
        int pred = k->v->map.preds[mu->first_pred + p];
        collect(k, pred, pred, depth + 1);
    }
}

static int by_province_name(const void *x, const void *y)
{
    const annex_municipality *a = x, *b = y;
    if (a->province != b->province)
        return a->province < b->province ? -1 : 1;
    int c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->nis, b->nis);
}

int annex_report_compute(const register_view *v, date_t d, int province, moment_t as_known_at, annex_report *out)
{
    memset(out, 0, sizeof *out);
    out->date = d;
    out->province = province;
    out->as_known_at = as_known_at;
    out->arena = arena_new();
    out->notice = v->notice;
    rules_coverage c;
    if (rules_coverage_eval(&c, &v->map, v->rules_agreements, v->agreement_count, v->rules_regions, v->region_count,
                            d, BASIS_ACTUAL, RULES_LINKS))
        return -1;
    rules_unstarted u;
    if (rules_unstarted_eval(&u, &v->map, v->rules_agreements, v->agreement_count, d, c.state)) {
        rules_coverage_free(&c);
        return -1;
    }
    size_t cap = 0;
    for (size_t i = 0; i < v->map.count; i++) {
        const view_municipality *vm = &v->municipalities[i];
        if (!rules_municipality_valid_on(&v->map.items[i], d) || (province >= 0 && vm->province != province))
            continue;
        out->items = arena_grow(out->arena, out->items, &cap, out->count + 1, sizeof *out->items);
        annex_municipality *m = &out->items[out->count++];
        /* the annex has no pipeline: it names agreements, not negotiations */
        *m = (annex_municipality){vm->nis, vm->name, vm->province, (cover_state)c.state[i],
                                  rules_muni_state((cover_state)c.state[i], u.marked[i], false), NULL, 0};
        /* texts point into the view: the report never outlives its view */
        collector k = {out->arena, v, &c, &u, m, 0};
        collect(&k, (int)i, -1, 0);
    }
    rules_unstarted_free(&u);
    rules_coverage_free(&c);
    if (out->count)
        qsort(out->items, out->count, sizeof *out->items, by_province_name);
    return 0;
}

void annex_report_free(annex_report *r)
{
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
        for (size_t k = 0; k < (m->link_count ? m->link_count : 1); k++) {
            cell *c = table_row(t);
            c[0] = cell_text(province_name(m->province));
            c[1] = cell_text(m->nis);
            c[2] = cell_text(m->name);
            c[3] = cell_text(machine ? muni_state_name(m->shown) : muni_state_label_nl(m->shown));
            if (!m->link_count)
                continue;
            const annex_link *l = &m->links[k];
            c[4] = cell_text(l->agreement_id);
            c[5] = cell_text(l->title);
            c[6] = cell_date(l->from);
            c[7] = cell_date(l->to);
            c[8] = cell_text(machine ? status_name(l->status) : link_status_nl(l));
            c[9] = cell_text(l->via_nis);
            c[10] = cell_text(l->via_name);
            c[11] = cell_text(l->decisions);
        }
    }
}

static void interval_text(buf *b, const annex_link *l)
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
        buf_printf(b, "  %s (%s)", m->name, m->nis);
        if (!m->link_count) {
            buf_puts(b, ": geen overeenkomst\n");
            continue;
        }
        buf_printf(b, "%s%s\n", m->shown == MUNI_COVERED ? "" : ": ",
                   m->shown == MUNI_COVERED ? "" : muni_state_label_nl(m->shown));
        for (size_t k = 0; k < m->link_count; k++) {
            const annex_link *l = &m->links[k];
            buf_printf(b, "    %s \"%s\", ", l->agreement_id, l->title);
            interval_text(b, l);
            buf_printf(b, ", %s", link_status_nl(l));
            if (l->via_name)
                buf_printf(b, ", via %s (%s)", l->via_name, l->via_nis);
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
        buf_fmt(b, "%s\n    {\"province\": %j, \"nis\": %j, \"name\": %j, \"coverage\": %j, \"agreements\": [",
                i ? "," : "", province_name(m->province), m->nis, m->name, muni_state_name(m->shown));
        for (size_t k = 0; k < m->link_count; k++) {
            const annex_link *l = &m->links[k];
            buf_fmt(b, "%s{\"id\": %j, \"title\": %j, \"status\": %j, \"begin\": ", k ? ", " : "", l->agreement_id,
                    l->title, status_name(l->status));
            json_date(b, l->from);
            buf_puts(b, ", \"end\": ");
            json_date(b, l->to);
            buf_puts(b, ", \"via\": ");
            if (l->via_nis)
                buf_fmt(b, "{\"nis\": %j, \"name\": %j}", l->via_nis, l->via_name);
            else
                buf_puts(b, "null");
            buf_puts(b, l->counted ? ", \"counted\": true}" : ", \"counted\": false}");
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
