/* page_overview.c: "/" — the parliamentary table for a date and a prognosis
 * date with links into every number, the map of Flanders on that date, and
 * the chart of coverage month by month since the earliest agreement. */
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "layout.h"
#include "map.h"
#include "page_cooperation.h"
#include "page_editions.h"
#include "pages.h"
#include "report.h"
#include "rules_footnotes.h"
#include "rules_outreach.h"
#include "store_cooperation.h"

enum { CHART_SLOT = 0 };

/* ---- the chart: % of municipalities covered, per province, per month ---- */

typedef struct {
    date_t first, last_day; /* first month, and the day the last value is for */
    size_t months;
    double *values[PROVINCE_ROWS];
    buf html; /* chart_html() of the above */
} chart_data;

static void chart_html(const chart_data *c, buf *b);

static void chart_free(void *p)
{
    chart_data *c = p;
    if (!c)
        return;
    for (int i = 0; i < PROVINCE_ROWS; i++)
        free(c->values[i]);
    buf_free(&c->html);
    free(c);
}

/* The first day of the month in which the earliest agreement starts (its
 * start, or its expected start), but not before the map does (1983-01-01)
 * nor after this month; DATE_NONE when the register holds no dated agreement. */
static date_t chart_first_month(const register_view *v, date_t today)
{
    date_t first = DATE_NONE, map_first = DATE_NONE;
    for (size_t i = 0; i < v->agreement_count; i++) {
        const rules_agreement *a = &v->rules_agreements[i];
        date_t dates[2] = {a->start, a->expected_start};
        for (int k = 0; k < 2; k++)
            if (dates[k] != DATE_NONE && (first == DATE_NONE || dates[k] < first))
                first = dates[k];
    }
    if (first == DATE_NONE)
        return DATE_NONE;
    for (size_t i = 0; i < v->map.count; i++)
        if (map_first == DATE_NONE || v->map.items[i].valid_from < map_first)
            map_first = v->map.items[i].valid_from;
    if (map_first != DATE_NONE && first < map_first)
        first = map_first;
    if (first > today)
        first = today;
    int y, m, d;
    date_to_ymd(first, &y, &m, &d);
    return date_from_ymd(y, m, 1);
}

/* The last day of each month from the first month (chart_first_month), and
 * today for this month. */
static chart_data *chart_compute_until(const register_view *v, date_t today)
{
    chart_data *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    int y, m, d, y0, m0;
    date_to_ymd(today, &y, &m, &d);
    c->first = chart_first_month(v, today);
    c->last_day = today;
    c->months = 0;
    if (c->first != DATE_NONE) {
        date_to_ymd(c->first, &y0, &m0, &d);
        c->months = (size_t)((y - y0) * 12 + (m - m0) + 1);
    } else {
        y0 = y;
        m0 = m;
    }
    for (int i = 0; i < PROVINCE_ROWS; i++)
        if (!(c->values[i] = calloc(c->months + 1, sizeof(double)))) {
            chart_free(c);
            return NULL;
        }
    date_t *days = calloc(c->months + 1, sizeof *days);
    rules_count(*counts)[PROVINCE_ROWS] = calloc(c->months + 1, sizeof *counts);
    for (size_t k = 0; days && k < c->months; k++) {
        int yy = y0 + (m0 - 1 + (int)k) / 12, mm = (m0 - 1 + (int)k) % 12 + 1;
        date_t day = (mm == 12 ? date_from_ymd(yy + 1, 1, 1) : date_from_ymd(yy, mm + 1, 1)) - 1;
        days[k] = day > today ? today : day;
    }
    /* every month in one sweep (rules_coverage_series), not an evaluation per month */
    if (!days || !counts ||
        rules_coverage_series(&v->map, v->rules_agreements, v->agreement_count, days, c->months, counts)) {
        free(days);
        free(counts);
        chart_free(c);
        return NULL;
    }
    for (size_t k = 0; k < c->months; k++)
        for (int p = 0; p < PROVINCE_ROWS; p++) {
            const rules_count *n = &counts[k][p];
            int pct = rules_percent(n->covered, n->total);
            /* the chart draws exact shares; the table beneath rounds as SPEC §3 */
            c->values[p][k] = pct < 0 ? -1 : 100.0 * n->covered / n->total;
        }
    free(days);
    free(counts);
    if (c->months)
        chart_html(c, &c->html);
    return c;
}

static void *chart_compute(const register_view *v) { return chart_compute_until(v, web_today()); }

/* The chart and its table as HTML: the same for every date of the overview,
 * so it is rendered once per view and day. */
static void chart_html(const chart_data *c, buf *b)
{
    int y0, m0, d0;
    date_to_ymd(c->first, &y0, &m0, &d0);
    chart_series series[PROVINCE_ROWS];
    for (int p = 0; p < PROVINCE_ROWS; p++)
        series[p] = (chart_series){province_name(p), c->values[p]};
    static const char *const month_nl[] = {"januari", "februari", "maart",     "april",   "mei",      "juni",
                                           "juli",    "augustus", "september", "oktober", "november", "december"};
    buf_fmt(b, "<section class=\"chart\" aria-labelledby=\"chart-h\">\n"
               "<h2 id=\"chart-h\">Gedekte gemeenten per maand sinds %h %d</h2>\n",
            month_nl[m0 - 1], y0);
    chart_svg(b, "Percentage gedekte gemeenten per provincie en voor Vlaanderen, per maand", c->first, c->months,
              series, PROVINCE_ROWS);
    buf_puts(b, "<details>\n<summary>De cijfers van de grafiek als tabel</summary>\n<div class=\"scroll\">\n"
                "<table class=\"numbers\">\n<caption>Percentage gedekte gemeenten op de laatste dag van elke maand "
                "(de lopende maand: vandaag)</caption>\n<thead><tr><th scope=\"col\">Maand</th>");
    for (int p = 0; p < PROVINCE_ROWS; p++)
        buf_fmt(b, "<th scope=\"col\" class=\"num\">%h</th>", province_name(p));
    buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t k = c->months; k-- > 0;) {
        int mk = m0 - 1 + (int)k;
        buf_printf(b, "<tr><th scope=\"row\">%02d/%d</th>", mk % 12 + 1, y0 + mk / 12);
        for (int p = 0; p < PROVINCE_ROWS; p++) {
            double x = c->values[p][k];
            if (x < 0)
                buf_puts(b, "<td class=\"num\">–</td>");
            else
                buf_printf(b, "<td class=\"num\">%d</td>", (int)(x + 0.5));
        }
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody>\n</table>\n</div>\n</details>\n</section>\n");
}

/* The chart of this view and day: the cached one, or *own (the caller frees
 * it) when the server ran past midnight (draw today's, keep the cached one). */
static const chart_data *chart_get(request *rq, const register_view *v, chart_data **own)
{
    date_t today = web_today();
    chart_data *c = cache_memo(rq->view_entry, CHART_SLOT, chart_compute, chart_free);
    *own = NULL;
    if (c && c->last_day != today)
        c = *own = chart_compute_until(v, today);
    return c;
}

void page_overview_read_ahead(struct cache_entry *e) { cache_memo(e, CHART_SLOT, chart_compute, chart_free); }

static void chart_section(request *rq, const chart_data *c)
{
    if (c && c->months > 0)
        buf_add(&rq->body, c->html.data, c->html.len);
}

/* ---- the map -------------------------------------------------------------- */

/* What the map colours (the parameter "map"): coverage, or the outreach of
 * the municipalities without an agreement (SPEC §5). */
typedef enum { MAP_COVERAGE, MAP_OUTREACH } map_mode;

/* The mode of "map" ("" or absent: coverage); false after answering 400. */
static bool map_mode_param(request *rq, map_mode *out)
{
    const char *m = web_param(rq, "map");
    *out = m && strcmp(m, "outreach") == 0 ? MAP_OUTREACH : MAP_COVERAGE;
    if (!m || !*m || strcmp(m, "coverage") == 0 || strcmp(m, "outreach") == 0)
        return true;
    web_error(rq, 400, "bad_map", "De parameter map moet coverage of outreach zijn.");
    return false;
}

/* The outreach legend: first the municipalities with or getting an
 * agreement, then the stages in their order (rules_outreach.h), then
 * nothing recorded. */
enum { OUT_AGREEMENT, OUT_STAGES, OUT_UNKNOWN = OUT_STAGES + OUTREACH_STAGE_COUNT, OUT_ENTRIES };

static size_t stage_entry(outreach_stage s)
{
    return (unsigned)s < OUTREACH_STAGE_COUNT ? OUT_STAGES + (size_t)s : OUT_UNKNOWN;
}

/* A 2019 merger before 2019 (docs/states.md): with or getting an agreement
 * when one of its former municipalities is, else the stage furthest along
 * among them (joined, negotiating, exploring, declined, no contact), else
 * nothing recorded. */
static size_t outreach_merge(const size_t *parts, size_t total)
{
    static const outreach_stage FURTHEST[] = {OUTREACH_JOINED, OUTREACH_NEGOTIATING, OUTREACH_EXPLORING,
                                              OUTREACH_DECLINED, OUTREACH_NO_CONTACT};
    (void)total;
    if (parts[OUT_AGREEMENT])
        return OUT_AGREEMENT;
    for (size_t i = 0; i < sizeof FURTHEST / sizeof *FURTHEST; i++)
        if (parts[stage_entry(FURTHEST[i])])
            return stage_entry(FURTHEST[i]);
    return OUT_UNKNOWN;
}

static void outreach_legend(request *rq, map_legend *l)
{
    static const char *const CLASSES[OUTREACH_STAGE_COUNT] = {"o-no_contact", "o-exploring", "o-negotiating",
                                                              "o-declined", "o-joined"};
    map_legend_entry *e = arena_calloc(rq->arena, OUT_ENTRIES, sizeof *e);
    e[OUT_AGREEMENT] = (map_legend_entry){"o-agreement", "heeft of krijgt een overeenkomst"};
    for (int s = 0; s < OUTREACH_STAGE_COUNT; s++)
        e[stage_entry(s)] = (map_legend_entry){CLASSES[s], outreach_stage_label_nl(s)};
    e[OUT_UNKNOWN] = (map_legend_entry){"o-unknown", "nog niets geregistreerd"};
    *l = (map_legend){e, OUT_ENTRIES, OUT_UNKNOWN, outreach_merge};
}

/* "Kleur de kaart naar: dekking | contact met …": the mode shown in bold,
 * the other a link that keeps the date, the prognosis and as_known_at. */
static void map_mode_choice(request *rq, map_mode mode)
{
    static const char *const keep[] = {"date", "prognosis", "as_known_at", NULL};
    const char *carry = page_carry(rq, keep);
    buf *b = &rq->body;
    buf_puts(b, "<p class=\"map-mode\">Kleur de kaart naar: ");
    if (mode == MAP_COVERAGE)
        buf_fmt(b, "<strong aria-current=\"true\">dekking</strong> | <a href=\"/?%a%s\">contact met gemeenten zonder "
                   "overeenkomst</a>",
                carry, *carry ? "&amp;map=outreach" : "map=outreach");
    else
        buf_fmt(b, "<a href=\"/?%a\">dekking</a> | <strong aria-current=\"true\">contact met gemeenten zonder "
                   "overeenkomst</strong>",
                carry);
    buf_puts(b, "</p>\n");
}

/* The map item of every identity valid on d, with the municipality it
 * merged into: before 2019 the map draws the 2019 shapes and colours a 2019
 * merger through its former ones. index[k] is the identity of items[k]. */
static size_t map_items(request *rq, const register_view *v, date_t d, const unsigned char *states, map_item **out,
                        size_t **index)
{
    map_item *items = arena_calloc(rq->arena, v->map.count + 1, sizeof *items);
    *index = arena_calloc(rq->arena, v->map.count + 1, sizeof **index);
    int *successor = arena_calloc(rq->arena, v->map.count + 1, sizeof *successor);
    for (size_t i = 0; i < v->map.count; i++)
        successor[i] = -1;
    for (size_t i = 0; i < v->map.count; i++)
        for (int k = 0; k < v->map.items[i].pred_count; k++)
            successor[v->map.preds[v->map.items[i].first_pred + k]] = (int)i;
    size_t n = 0;
    for (size_t i = 0; i < v->map.count; i++) {
        if (!rules_municipality_valid_on(&v->map.items[i], d))
            continue;
        int next = successor[i];
        (*index)[n] = i;
        items[n++] = (map_item){v->municipalities[i].nis, v->municipalities[i].name, (muni_state)states[i],
                                next >= 0 ? v->municipalities[next].nis : NULL};
    }
    *out = items;
    return n;
}

static void map_section(request *rq, const register_view *v, date_t d, map_mode mode)
{
    unsigned char *states = arena_calloc(rq->arena, v->map.count + 1, 1);
    if (rules_muni_states(&v->map, v->rules_agreements, v->agreement_count, d, states))
        return;
    signed char *stages = mode == MAP_OUTREACH ? page_outreach_stages(rq, v, d) : NULL;
    if (mode == MAP_OUTREACH && !stages)
        return;
    map_item *items;
    size_t *index;
    size_t n = map_items(rq, v, d, states, &items, &index);
    static const char *const keep[] = {"date", "as_known_at", NULL};
    buf *b = &rq->body;
    buf_fmt(b, "<section class=\"map\" aria-labelledby=\"map-h\">\n<h2 id=\"map-h\">Kaart op %h</h2>\n"
               "<p class=\"hint\">Klik op een gemeente voor haar overeenkomsten, of kies ze in de lijst per "
               "provincie onder de kaart. De tabel hierboven geeft dezelfde cijfers; de <a href=\"/municipalities?%a\">"
               "lijst van gemeenten</a> geeft elke gemeente met haar overeenkomsten.</p>\n",
            page_date(rq, d), page_carry(rq, keep));
    map_mode_choice(rq, mode);
    if (mode == MAP_COVERAGE) {
        map_figure(b, d, items, n, page_carry(rq, keep),
                arena_printf(rq->arena, "Gemeenten met een samenwerkingsovereenkomst op %s", page_date(rq, d)));
        buf_puts(b, "</section>\n");
        return;
    }
    size_t *entries = arena_calloc(rq->arena, n + 1, sizeof *entries);
    for (size_t k = 0; k < n; k++)
        entries[k] = states[index[k]] != MUNI_NONE ? OUT_AGREEMENT : stage_entry(stages[index[k]]);
    map_legend legend;
    outreach_legend(rq, &legend);
    map_figure_legend(b, d, items, entries, n, &legend, page_carry(rq, keep),
                   arena_printf(rq->arena, "Contact met gemeenten zonder samenwerkingsovereenkomst op %s",
                                page_date(rq, d)));
    buf_puts(b, "</section>\n");
}

/* ---- the table ------------------------------------------------------------ */

/* One "n/N" cell linking to the list behind the number. */
static void count_cell(request *rq, const char *list, int province, date_t d, bool prognosis, const rules_count *n)
{
    char iso[DATE_ISO_LEN];
    buf *b = &rq->body;
    const char *known = web_param(rq, "as_known_at");
    buf_fmt(b, "<td class=\"num\"><a href=\"/%a?date=%a&amp;state=covered%s%U%s%s%U\" title=\"%a\">%d/%d</a>",
            list, date_format_iso(d, iso), province < PROVINCE_COUNT ? "&amp;province=" : "",
            province < PROVINCE_COUNT ? province_name(province) : "", prognosis ? "&amp;basis=prognosis" : "",
            known && *known ? "&amp;as_known_at=" : "", known && *known ? known : "",
            arena_printf(rq->arena, "%d van %d %s gedekt%s", n->covered, n->total,
                         strcmp(list, "municipalities") == 0 ? "gemeenten" : "regiegebieden",
                         prognosis ? " (prognose)" : ""),
            n->covered, n->total);
    int pct = rules_percent(n->covered, n->total);
    if (pct < 0)
        buf_puts(b, "</td><td class=\"num\">–</td>");
    else
        buf_printf(b, "</td><td class=\"num\">%d</td>", pct);
}

static void table_section(request *rq, const coverage_report *r)
{
    buf *b = &rq->body;
    bool prog = r->prognosis != DATE_NONE;
    const char *d = page_date(rq, r->date), *p = page_date(rq, r->prognosis);
    buf_fmt(b, "<section aria-labelledby=\"table-h\">\n<h2 id=\"table-h\">Dekking per provincie</h2>\n"
               "<div class=\"scroll\"><table class=\"coverage\">\n<caption>Samenwerkingsovereenkomsten VDAB en lokale "
               "besturen volgens gemeenten en regiegebieden sociale economie en werk (%h)</caption>\n<thead>\n"
               "<tr><td rowspan=\"2\"></td><th scope=\"colgroup\" colspan=\"%d\">Gemeenten</th>"
               "<th scope=\"colgroup\" colspan=\"%d\">Regiegebieden sociale economie en werk</th></tr>\n<tr>",
            d, prog ? 4 : 2, prog ? 4 : 2);
    for (int g = 0; g < 2; g++) {
        buf_fmt(b, "<th scope=\"col\" class=\"num\">op %h (n/N)</th><th scope=\"col\" class=\"num\">%%</th>", d);
        if (prog)
            buf_fmt(b, "<th scope=\"col\" class=\"num\">prognose %h (n/N)</th><th scope=\"col\" class=\"num\">%%</th>",
                    p);
    }
    buf_puts(b, "</tr>\n</thead>\n<tbody>\n");
    for (int row = 0; row < PROVINCE_ROWS; row++) {
        if (row < PROVINCE_COUNT)
            buf_fmt(b, "<tr><th scope=\"row\"><a href=\"/provinces/%U?%a\">%h</a></th>", province_name(row),
                    page_carry_default(rq), province_name(row));
        else
            buf_puts(b, "<tr class=\"total\"><th scope=\"row\">Vlaanderen</th>");
        count_cell(rq, "municipalities", row, r->date, false, &r->municipalities[row]);
        if (prog)
            count_cell(rq, "municipalities", row, r->prognosis, true, &r->prognosis_municipalities[row]);
        count_cell(rq, "regiegebieden", row, r->date, false, &r->regions[row]);
        if (prog)
            count_cell(rq, "regiegebieden", row, r->prognosis, true, &r->prognosis_regions[row]);
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
    int partial = r->municipalities[ROW_FLANDERS].partial;
    if (partial)
        buf_printf(b, "<p class=\"note\">%d fusiegemeente(n) zijn op deze datum gedeeltelijk gedekt (niet al hun "
                      "deelgemeenten); zij tellen niet mee in n.</p>\n", partial);
    page_downloads(rq);
    page_answer_link(rq, r->date, r->prognosis);
    buf_puts(b, "</section>\n");
}

/* ---- the footnotes under the table (rules_footnotes.h, docs/footnotes.md) ---- */

/* Longer lists of municipalities fold into <details>; of a nothing-in-sight
 * list longer than FOOTNOTE_PAGE_MAX (only on registers far larger than
 * Flanders, such as bench/'s) the page names those with something said of
 * them and links the list of municipalities for the rest. */
enum { FOOTNOTE_FOLD = 12, FOOTNOTE_PAGE_MAX = 100 };
enum { FOOTNOTE_TEXTS = 1 << 20 }; /* the bytes of written texts kept before their arena is renewed */

/* What the footnotes' writers share: the body, a scratch arena for the
 * texts, renewed as they are written (issue 12: every item's text stayed in
 * the request's arena, tens of thousands of them on bench/'s register), and
 * the query every link carries. */
typedef struct {
    buf *b;
    arena *a;
    const char *carry;
} footnote_writer;

static void agreement_link(const footnote_writer *w, const char *id)
{
    buf_fmt(w->b, "<a href=\"/agreements/%U%s%a\">%h</a>", id, *w->carry ? "?" : "", w->carry, id);
}

/* Text, escaped, with the first occurrence of the agreement id (if any) linked. */
static void text_linking(const footnote_writer *w, const char *text, const char *id, const char *other)
{
    const char *at = id && *id ? strstr(text, id) : NULL;
    if (!at) {
        if (other)
            text_linking(w, text, other, NULL);
        else
            buf_fmt(w->b, "%h", text);
        return;
    }
    buf_fmt(w->b, "%h", arena_strndup(w->a, text, (size_t)(at - text)));
    agreement_link(w, id);
    text_linking(w, at + strlen(id), other, NULL);
}

/* One municipality of a footnote: its name linked, then what the text says of it. */
static void footnote_item_html(const footnote_writer *w, const register_view *v, const footnote *f,
                               const footnote_item *it)
{
    const view_municipality *m = &v->municipalities[it->identity];
    const char *text = footnote_item_text(w->a, v, f, it);
    buf_fmt(w->b, "<a href=\"/municipalities/%U%s%a\">%h</a>", m->nis, *w->carry ? "?" : "", w->carry, m->name);
    const char *rest = strncmp(text, m->name, strlen(m->name)) == 0 ? text + strlen(m->name) : text;
    text_linking(w, rest, it->later_agreement >= 0 ? v->agreements[it->later_agreement].id : NULL,
                 it->unstarted_agreement >= 0 ? v->agreements[it->unstarted_agreement].id : NULL);
}

static bool says_something(const footnote_item *it)
{
    return it->stage != OUTREACH_NONE || it->later_agreement >= 0 || it->unstarted_agreement >= 0 ||
           it->state == COVER_PARTIAL;
}

static void footnote_html(request *rq, const footnote_writer *w, const register_view *v, const footnote *f, date_t d)
{
    buf *b = w->b;
    bool nothing = f->kind == FOOTNOTE_NOTHING, fold = f->count > FOOTNOTE_FOLD;
    bool trim = nothing && f->count > FOOTNOTE_PAGE_MAX;
    buf_fmt(b, "<li value=\"%d\" class=\"footnote-%a\">", f->number, footnote_kind_name(f->kind));
    text_linking(w, footnote_head(w->a, v, f), f->agreement >= 0 ? v->agreements[f->agreement].id : NULL, NULL);
    buf_puts(b, ":");
    if (fold)
        buf_fmt(b, "<details><summary>de %zu gemeenten</summary>", f->count);
    else
        buf_putc(b, ' ');
    size_t shown = 0;
    for (size_t i = 0; i < f->count; i++) {
        if (trim && !says_something(&f->items[i]))
            continue;
        if (shown++ > 0)
            buf_puts(b, nothing ? "; " : i + 1 == f->count ? " en " : ", ");
        footnote_item_html(w, v, f, &f->items[i]);
    }
    if (trim) {
        char iso[DATE_ISO_LEN];
        const char *known = web_param(rq, "as_known_at");
        buf_fmt(b, "%s%zu andere zonder geregistreerd contact (<a href=\"/municipalities?date=%a&amp;province=%U"
                   "&amp;state=none%s%U\">lijst van de gemeenten zonder overeenkomst</a>)",
                shown ? "; en " : "", f->count - shown, date_format_iso(d, iso), province_name(f->province),
                known && *known ? "&amp;as_known_at=" : "", known && *known ? known : "");
    }
    buf_puts(b, fold ? ".</details></li>\n" : ".</li>\n");
}

/* Per province what separates the count on D from the prognosis on P,
 * derived one province at a time as it is written (footnotes_province):
 * for a day years before its prognosis they name 150,000 municipalities on
 * bench/'s register (issue 12). */
static void footnotes_section(request *rq, const register_view *v, date_t d, date_t p)
{
    if (p == DATE_NONE)
        return;
    outreach_entry *log;
    size_t n;
    footnotes_walk *walk = NULL;
    if (store_get_outreach(rq->db, v->known, NULL, rq->arena, &log, &n) ||
        !(walk = footnotes_begin(v, log, n, d, p, NULL, NULL))) {
        buf_puts(&rq->body, "<p class=\"note\">De voetnoten konden niet berekend worden.</p>\n");
        return;
    }
    footnote_writer w = {&rq->body, arena_new(), page_carry_default(rq)};
    bool any = false;
    for (int prov = 0; prov < PROVINCE_COUNT; prov++) {
        arena *province = arena_new();
        footnote_list l;
        footnotes_province(walk, prov, province, &l);
        if (l.count && !any) {
            any = true;
            buf_fmt(w.b, "<section class=\"footnotes\" aria-labelledby=\"footnotes-h\">\n"
                         "<h2 id=\"footnotes-h\">Voetnoten bij de prognose op %h</h2>\n"
                         "<p class=\"hint\">Wat de gedekte gemeenten op %h scheidt van de prognose: overeenkomsten in "
                         "de pijplijn, geplande partijen, partijen die later gebonden zijn, overeenkomsten die aflopen, "
                         "en de gemeenten waarvoor nog niets in zicht is, met hun contact op %h.</p>\n",
                    page_date(rq, p), page_date(rq, d), page_date(rq, d));
        }
        if (l.count) {
            buf_fmt(w.b, "<h3>%h</h3>\n<ol class=\"footnotes\">\n", province_name(prov));
            for (size_t i = 0; i < l.count; i++) {
                if (arena_used(w.a) > FOOTNOTE_TEXTS) { /* the texts before are written */
                    arena_free(w.a);
                    w.a = arena_new();
                }
                footnote_html(rq, &w, v, &l.items[i], d);
            }
            buf_puts(w.b, "</ol>\n");
        }
        arena_free(province);
    }
    arena_free(w.a);
    footnotes_end(walk);
    if (any)
        buf_puts(&rq->body, "</section>\n");
}

/* first: the chart's first month, where the slider of assets/somon.js starts
 * (DATE_NONE: this month). */
static void date_form(request *rq, date_t d, date_t p, date_t first)
{
    char di[DATE_ISO_LEN], pi[DATE_ISO_LEN], fi[DATE_ISO_LEN];
    buf_fmt(&rq->body, "<form class=\"dates\" method=\"get\" action=\"/\" data-first=\"%a\">\n",
            date_format_iso(first == DATE_NONE ? web_today() : first, fi));
    buf_fmt(&rq->body,
            "<p><label for=\"date\">Datum</label> "
            "<input type=\"date\" id=\"date\" name=\"date\" value=\"%a\" min=\"1983-01-01\" max=\"2099-12-31\" "
            "required>\n<label for=\"prognosis\">Prognose op</label> "
            "<input type=\"date\" id=\"prognosis\" name=\"prognosis\" value=\"%a\" min=\"1983-01-01\" "
            "max=\"2099-12-31\">\n",
            date_format_iso(d, di), date_format_iso(p, pi));
    /* the register as it was known at a moment: a table published then */
    const char *at = web_param(rq, "as_known_at");
    buf_fmt(&rq->body,
            "<label for=\"as_known_at\">Zoals gekend op</label> <input type=\"text\" id=\"as_known_at\" "
            "name=\"as_known_at\" value=\"%a\" placeholder=\"JJJJ-MM-DD of JJJJ-MM-DDTuu:mm:ss\" size=\"20\" "
            "title=\"Leeg: alles wat nu gekend is. Anders: alleen wat toen geregistreerd was.\">\n",
            at ? at : "");
    /* the map's mode stays when the dates change */
    const char *map = web_param(rq, "map");
    if (map && strcmp(map, "outreach") == 0)
        buf_puts(&rq->body, "<input type=\"hidden\" name=\"map\" value=\"outreach\">\n");
    buf_puts(&rq->body, "<button type=\"submit\">Toon</button></p>\n</form>\n");
}

/* What the map shows, in one sentence, in a live region outside the
 * sections the date slider (assets/somon.js) replaces: the script copies the
 * new sentence into it, so a screen reader announces the date change. */
static void map_status(request *rq, const coverage_report *r, date_t d, map_mode mode)
{
    const rules_count *all = &r->municipalities[ROW_FLANDERS];
    buf_fmt(&rq->body,
            "<p id=\"map-status\" class=\"map-status\" role=\"status\" aria-live=\"polite\">Kaart op %h%s: %d van %d "
            "gemeenten gedekt.</p>\n",
            page_date(rq, d), mode == MAP_OUTREACH ? " (contact met gemeenten zonder overeenkomst)" : "",
            all->covered, all->total);
}

/* Nothing in force on d (the demo's agreements ended on 31/12/2025, so
 * today's map is empty): say so, and link the nearest days with coverage. */
static void nothing_in_force(request *rq, const register_view *v, const coverage_report *r, date_t d)
{
    const rules_count *all = &r->municipalities[ROW_FLANDERS];
    if (all->covered || all->partial)
        return;
    date_t before, after;
    rules_coverage_neighbours(v->rules_agreements, v->agreement_count, d, &before, &after);
    static const char *const keep[] = {"as_known_at", NULL}; /* not the prognosis: it may lie before that day */
    const char *carry = page_carry(rq, keep);
    char iso[DATE_ISO_LEN];
    buf *b = &rq->body;
    buf_fmt(b, "<p class=\"notice\" role=\"status\">Op %h is geen enkele overeenkomst van kracht: geen gemeente is "
               "gedekt.", page_date(rq, d));
    if (before != DATE_NONE)
        buf_fmt(b, " De laatste dag met dekking was <a href=\"/?date=%U%s%a\">%h</a>.", date_format_iso(before, iso),
                *carry ? "&amp;" : "", carry, page_date(rq, before));
    if (after != DATE_NONE)
        buf_fmt(b, " De eerste dag met dekking daarna is <a href=\"/?date=%U%s%a\">%h</a>.",
                date_format_iso(after, iso), *carry ? "&amp;" : "", carry, page_date(rq, after));
    buf_puts(b, "</p>\n");
}

void page_overview(request *rq)
{
    date_t today = web_today();
    date_t d = web_date_param(rq, "date", today);
    if (d == DATE_NONE)
        return;
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    date_t p = web_date_param(rq, "prognosis", date_from_ymd(y, 12, 31));
    if (p == DATE_NONE)
        return;
    moment_t at;
    map_mode mode;
    if (!map_mode_param(rq, &mode))
        return;
    const register_view *v = web_view(rq);
    if (!v || !web_moment_param(rq, &at))
        return;
    /* the table, the map and the footnotes evaluate every municipality twice
     * (the day and the prognosis): 13 MB on the large register of bench/ */
    web_heavy(rq);
    coverage_report r;
    if (coverage_report_compute(v, d, p, at, &r)) {
        web_error(rq, 503, "unavailable", "Het rapport kon niet berekend worden.");
        return;
    }
    table t;
    coverage_report_table(&r, rq->arena, &t);
    char iso[DATE_ISO_LEN];
    if (web_table_download(rq, &t, arena_printf(rq->arena, "dekking-%s", date_format_iso(d, iso))))
        return;
    page_begin(rq, "Overzicht", NAV_OVERVIEW);
    buf_fmt(&rq->body, "<h1>Samenwerkings&shy;overeenkomsten op %h</h1>\n", page_date(rq, d));
    chart_data *own;
    const chart_data *chart = chart_get(rq, v, &own);
    date_form(rq, d, p, chart && chart->months ? chart->first : DATE_NONE);
    page_editions_overview_part(rq, d, p);
    nothing_in_force(rq, v, &r, d);
    map_status(rq, &r, d, mode);
    table_section(rq, &r);
    footnotes_section(rq, v, d, p);
    map_section(rq, v, d, mode);
    chart_section(rq, chart);
    chart_free(own);
    page_end(rq);
}
