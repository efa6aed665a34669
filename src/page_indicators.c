/* page_indicators.c: the indicator dashboard (issue 5).
 *
 *   /indicators                      Flanders, with links to every area
 *   /provinces/{name}/indicators     a province against Flanders
 *   /regiegebieden/{id}/indicators   a regiegebied against Flanders
 *   /agreements/{id}/indicators      an agreement's municipalities against Flanders
 *   /api/v1/indicators               the same figures as JSON (Flanders or a province)
 *
 * Each indicator gets a line chart (inline SVG, styled by assets/somon.css)
 * and the table of its figures beneath it; ?format=csv|xlsx downloads every
 * figure of the page in one table (?indicator=CODE: one indicator). The
 * figures come from rules_indicators.h on the latest map: former
 * municipalities add up into their successor. Values imported as synthetic
 * are said to be synthetic on the page, in every table and in the download. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "indicator_cache.h"
#include "layout.h"
#include "pages.h"
#include "report.h"
#include "rules_indicators.h"

/* ---- the figures ---------------------------------------------------------- */

typedef struct {
    const register_view *v;
    arena *a;
    const indicator_set *set; /* shared: released by done() */
    const indicator_def *defs;
    size_t ndefs;
    const int *unit;          /* [map count] */
    const unsigned char *flanders;
    const unsigned char *listed; /* the area whose identities ids holds */
    int *ids;
    size_t nids;
    size_t page;              /* ?page=: of the page's long list of links */
    bool synthetic;           /* some value shown is synthetic */
} dash;

static long def_index(const dash *d, const char *code) { return indicator_set_def(d->set, code); }

/* Takes the view and the shared indicator set of the request's change; false
 * after answering. */
static bool load(request *rq, dash *d)
{
    memset(d, 0, sizeof *d);
    d->v = web_view(rq);
    if (!d->v)
        return false;
    d->a = rq->arena;
    d->set = indicator_cache_acquire(rq->db, web_known(rq), &d->v->map);
    if (!d->set) {
        web_error(rq, 503, "unavailable", "De indicatoren kunnen nu niet gelezen worden; probeer het zo meteen opnieuw.");
        return false;
    }
    d->defs = d->set->defs;
    d->ndefs = d->set->ndefs;
    d->unit = d->set->unit;
    d->flanders = d->set->flanders;
    return true;
}

static void done(dash *d) { indicator_cache_release(d->set); }

typedef ind_series series;

static series aggregate(dash *d, size_t def, const unsigned char *area)
{
    if (area != d->flanders && area != d->listed) {
        d->ids = arena_alloc(d->a, (d->v->map.count + 1) * sizeof *d->ids);
        d->nids = rules_area_identities(&d->v->map, d->unit, area, d->ids);
        d->listed = area;
    }
    series s = indicator_set_aggregate(d->set, &d->v->map, def, area, d->ids, d->nids, d->a);
    for (size_t i = 0; i < s.n; i++)
        d->synthetic |= s.p[i].synthetic;
    return s;
}

static bool is_rate(const indicator_def *x) { return strcmp(x->kind, "rate") == 0; }

/* nl-BE: 12.345 and 55,4 */
static const char *number_nl(arena *a, double v, int decimals)
{
    const char *raw = arena_printf(a, "%.*f", decimals, v);
    size_t n = strlen(raw), neg = raw[0] == '-', dot = strcspn(raw, ".");
    char *out = arena_alloc(a, n + n / 3 + 2);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > neg && i < dot && (dot - i) % 3 == 0)
            out[k++] = '.';
        out[k++] = raw[i] == '.' ? ',' : raw[i];
    }
    out[k] = '\0';
    return out;
}

static const char *figure_nl(arena *a, const indicator_def *x, double v)
{
    return is_rate(x) ? arena_printf(a, "%s %%", number_nl(a, v, 1)) : number_nl(a, v, v == floor(v) ? 0 : 1);
}

/* ---- the chart ----------------------------------------------------------------- */

enum { CW = 720, CH = 280, ML = 84, MR = 16, MT = 16, MB = 36 };

typedef struct {
    const char *label;
    const double *y; /* per point; NAN: none */
    const rules_ind_point *p;
    size_t n;
    int style; /* series-N of assets/somon.css: 0 the area, 5 Flanders */
} chart_line;

static double nice_step(double range)
{
    double raw = range / 5, mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

static double mid_day(int period) { return (rules_period_first(period) + rules_period_last(period)) / 2.0; }

static void line_chart(request *rq, const char *id, const char *title, const char *desc, const char *axis,
                       const chart_line *lines, size_t nl, bool percent)
{
    buf *b = &rq->body;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t l = 0; l < nl; l++)
        for (size_t i = 0; i < lines[l].n; i++) {
            if (isnan(lines[l].y[i]))
                continue;
            x0 = fmin(x0, rules_period_first(lines[l].p[i].period));
            x1 = fmax(x1, rules_period_last(lines[l].p[i].period));
            y0 = fmin(y0, lines[l].y[i]);
            y1 = fmax(y1, lines[l].y[i]);
        }
    if (!(x0 < x1))
        return;
    if (axis) { /* an index: a band around 100 */
        y0 = floor(fmin(y0, 100) / 10) * 10;
        y1 = ceil(fmax(y1, 100) / 10) * 10;
    } else { /* counts and percentages from zero */
        y0 = fmin(0, y0);
        y1 = percent ? fmin(100, y1 * 1.05) : y1 * 1.05;
    }
    if (y1 <= y0)
        y1 = y0 + 1;
    double step = nice_step(y1 - y0);
    y1 = ceil(y1 / step) * step;
    y0 = floor(y0 / step) * step;
    double pw = CW - ML - MR, ph = CH - MT - MB;
#define X(day) (ML + ((day) - x0) / (x1 - x0) * pw)
#define Y(val) (MT + ph - ((val) - y0) / (y1 - y0) * ph)
    buf_fmt(b, "<figure class=\"indicator-chart\">\n<svg class=\"chart indchart\" viewBox=\"0 0 %d %d\" role=\"img\" "
               "aria-labelledby=\"%a-t %a-d\">\n<title id=\"%a-t\">%h</title>\n<desc id=\"%a-d\">%h</desc>\n",
            CW, CH + 22, id, id, id, title, id, desc);
    buf_puts(b, "<g class=\"grid\">\n");
    for (double t = y0; t <= y1 + step / 2; t += step)
        buf_fmt(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%a\" y2=\"%a\"/><text x=\"%d\" y=\"%a\" text-anchor=\"end\">%h</text>\n",
                ML, CW - MR, arena_printf(rq->arena, "%.1f", Y(t)), arena_printf(rq->arena, "%.1f", Y(t)), ML - 6,
                arena_printf(rq->arena, "%.1f", Y(t) + 4), number_nl(rq->arena, t, step < 1 ? 1 : 0));
    buf_puts(b, "</g>\n<g class=\"axis\">\n");
    int ya, yb, m, dd;
    date_to_ymd((date_t)x0, &ya, &m, &dd);
    date_to_ymd((date_t)x1, &yb, &m, &dd);
    for (int y = ya; y <= yb + 1; y++) {
        double day = date_from_ymd(y, 1, 1);
        if (day < x0 || day + 182 > x1)
            continue;
        buf_fmt(b, "<line x1=\"%a\" x2=\"%a\" y1=\"%d\" y2=\"%d\"/><text x=\"%a\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
                arena_printf(rq->arena, "%.1f", X(day)), arena_printf(rq->arena, "%.1f", X(day)), MT + (int)ph,
                MT + (int)ph + 5, arena_printf(rq->arena, "%.1f", X(day) + pw / (x1 - x0) * 182), MT + (int)ph + 18,
                y);
    }
    buf_fmt(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>\n</g>\n", ML, CW - MR, MT + (int)ph, MT + (int)ph);
    for (size_t l = nl; l-- > 0;) { /* Flanders first, the area on top */
        buf_fmt(b, "<g class=\"line-%d\">\n<polyline class=\"series series-%d\" points=\"", (int)l, lines[l].style);
        for (size_t i = 0; i < lines[l].n; i++)
            if (!isnan(lines[l].y[i]))
                buf_printf(b, "%.1f,%.1f ", X(mid_day(lines[l].p[i].period)), Y(lines[l].y[i]));
        buf_puts(b, "\"/>\n");
        for (size_t i = 0; i < lines[l].n; i++) {
            if (isnan(lines[l].y[i]))
                continue;
            char label[16];
            buf_fmt(b, "<circle class=\"dot swatch-%d\" cx=\"%a\" cy=\"%a\" r=\"2.5\"><title>%h, %h: %h%h</title></circle>\n",
                    lines[l].style, arena_printf(rq->arena, "%.1f", X(mid_day(lines[l].p[i].period))),
                    arena_printf(rq->arena, "%.1f", Y(lines[l].y[i])), lines[l].label,
                    rules_period_label_nl(lines[l].p[i].period, label),
                    number_nl(rq->arena, lines[l].y[i], percent || axis ? 1 : 0), percent ? " %" : "");
        }
        buf_puts(b, "</g>\n");
    }
    /* legend */
    for (size_t l = 0; l < nl; l++)
        buf_fmt(b, "<g class=\"legend\"><line class=\"series series-%d\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>"
                   "<text x=\"%d\" y=\"%d\">%h</text></g>\n",
                lines[l].style, ML + (int)l * 260, ML + (int)l * 260 + 24, CH + 12, CH + 12, ML + (int)l * 260 + 30,
                CH + 16, lines[l].label);
#undef X
#undef Y
    buf_puts(b, "</svg>\n");
    if (axis)
        buf_fmt(b, "<figcaption>%h</figcaption>\n", axis);
    buf_puts(b, "</figure>\n");
}

/* ---- the page ---------------------------------------------------------------- */

typedef struct {
    const char *title;      /* "Provincie Antwerpen" */
    const char *short_name; /* "Antwerpen": legend and table header */
    const char *file;       /* download file name */
    const unsigned char *area; /* NULL: Flanders itself */
} dash_page;

static const char *const DOWNLOAD_KEYS[] = {"indicator", "period", "area", "value", "reported", "expected",
                                            "flanders_value", "flanders_reported", "flanders_expected", "unit",
                                            "synthetic"};
static const char *const DOWNLOAD_LABELS[] = {"Indicator", "Periode", "Gebied", "Waarde", "Gemeenten met cijfer",
                                              "Gemeenten in gebied", "Vlaanderen", "Vlaanderen: gemeenten met cijfer",
                                              "Vlaanderen: gemeenten", "Eenheid", "Synthetisch"};

static cell value_cell(request *rq, double v, bool machine, const indicator_def *x)
{
    if (v == floor(v) && fabs(v) < 1e15)
        return cell_int((long long)v);
    return cell_decimal(v, machine ? NULL : figure_nl(rq->arena, x, v));
}

/* The points of a and f side by side, by period: pairs[k] = {ia, if} (-1: none). */
static size_t pair_periods(request *rq, series a, series f, int (**out)[2])
{
    int(*pairs)[2] = arena_alloc(rq->arena, (a.n + f.n + 1) * sizeof *pairs);
    size_t i = 0, j = 0, k = 0;
    while (i < a.n || j < f.n) {
        if (j == f.n || (i < a.n && a.p[i].period < f.p[j].period))
            pairs[k][0] = (int)i++, pairs[k][1] = -1;
        else if (i == a.n || f.p[j].period < a.p[i].period)
            pairs[k][0] = -1, pairs[k][1] = (int)j++;
        else
            pairs[k][0] = (int)i++, pairs[k][1] = (int)j++;
        k++;
    }
    *out = pairs;
    return k;
}

static void download_rows(request *rq, table *t, const dash_page *pg, const indicator_def *x, series a, series f)
{
    int(*pairs)[2];
    size_t n = pair_periods(rq, a, f, &pairs);
    for (size_t k = 0; k < n; k++) {
        const rules_ind_point *pa = pairs[k][0] >= 0 ? &a.p[pairs[k][0]] : NULL;
        const rules_ind_point *pf = pairs[k][1] >= 0 ? &f.p[pairs[k][1]] : NULL;
        char period[PERIOD_TEXT_LEN];
        cell *c = table_row(t);
        c[0] = cell_text(x->code);
        c[1] = cell_text(arena_strdup(rq->arena, rules_period_format(pa ? pa->period : pf->period, period)));
        c[2] = cell_text(pg->short_name);
        if (pa) {
            c[3] = value_cell(rq, pa->value, true, x);
            c[4] = cell_int(pa->reported);
            c[5] = cell_int(pa->expected);
        }
        if (pf) {
            c[6] = value_cell(rq, pf->value, true, x);
            c[7] = cell_int(pf->reported);
            c[8] = cell_int(pf->expected);
        }
        c[9] = cell_text(x->unit ? x->unit : "");
        c[10] = cell_text((pa && pa->synthetic) || (pf && pf->synthetic) ? "ja" : "nee");
    }
}

static void indicator_table(request *rq, const dash_page *pg, const indicator_def *x, series a, series f)
{
    buf *b = &rq->body;
    int(*pairs)[2];
    size_t n = pair_periods(rq, a, f, &pairs);
    bool synthetic = false;
    for (size_t k = 0; k < n; k++)
        synthetic |= (pairs[k][0] >= 0 && a.p[pairs[k][0]].synthetic) || (pairs[k][1] >= 0 && f.p[pairs[k][1]].synthetic);
    buf_fmt(b, "<div class=\"scroll\"><table class=\"list figures\">\n<caption>%h%s%h%s</caption>\n<thead><tr>"
               "<th scope=\"col\">Periode</th>",
            x->name, pg->area ? " – " : "", pg->area ? pg->short_name : "", synthetic ? " (synthetische cijfers)" : "");
    if (pg->area)
        buf_fmt(b, "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">Gemeenten met cijfer</th>",
                pg->short_name);
    buf_puts(b, "<th scope=\"col\" class=\"num\">Vlaanderen</th><th scope=\"col\" class=\"num\">Gemeenten met "
                "cijfer</th>");
    if (synthetic)
        buf_puts(b, "<th scope=\"col\">Synthetisch</th>");
    buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < n; k++) {
        const rules_ind_point *pa = pairs[k][0] >= 0 ? &a.p[pairs[k][0]] : NULL;
        const rules_ind_point *pf = pairs[k][1] >= 0 ? &f.p[pairs[k][1]] : NULL;
        char label[16];
        buf_fmt(b, "<tr><th scope=\"row\">%h</th>", rules_period_label_nl(pa ? pa->period : pf->period, label));
        if (pg->area) {
            if (pa)
                buf_fmt(b, "<td class=\"num\">%h</td><td class=\"num\">%d/%d</td>", figure_nl(rq->arena, x, pa->value),
                        pa->reported, pa->expected);
            else
                buf_puts(b, "<td class=\"num\">–</td><td class=\"num\">–</td>");
        }
        if (pf)
            buf_fmt(b, "<td class=\"num\">%h</td><td class=\"num\">%d/%d</td>", figure_nl(rq->arena, x, pf->value),
                    pf->reported, pf->expected);
        else
            buf_puts(b, "<td class=\"num\">–</td><td class=\"num\">–</td>");
        if (synthetic)
            buf_puts(b, (pa && pa->synthetic) || (pf && pf->synthetic) ? "<td><span class=\"synthetic\">synthetisch"
                                                                          "</span></td>"
                                                                        : "<td>nee</td>");
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

/* The download links of the page, for one indicator (or all when code is NULL). */
static void downloads(request *rq, const char *code)
{
    buf path = {0};
    for (size_t i = 0; i < rq->t.segment_count; i++)
        buf_fmt(&path, "/%U", rq->t.segments[i]);
    const char *carry = page_carry_default(rq);
    const char *q = arena_printf(rq->arena, "%s%s", carry, *carry ? "&" : "");
    if (code)
        q = arena_printf(rq->arena, "%sindicator=%s&", q, code); /* codes are [a-z0-9_] */
    buf_fmt(&rq->body,
            "<p class=\"downloads\">Download %s: <a href=\"%a?%aformat=csv\" download>CSV</a> · "
            "<a href=\"%a?%aformat=xlsx\" download>Excel (XLSX)</a></p>\n",
            code ? "deze cijfers" : "alle cijfers van deze pagina", path.data, q, path.data, q);
    buf_free(&path);
}

static void indicator_section(request *rq, dash *d, const dash_page *pg, size_t i, series a, series f)
{
    buf *b = &rq->body;
    const indicator_def *x = &d->defs[i];
    bool rate = is_rate(x), synthetic = false;
    for (size_t k = 0; k < a.n; k++)
        synthetic |= a.p[k].synthetic;
    for (size_t k = 0; k < f.n; k++)
        synthetic |= f.p[k].synthetic;
    buf_fmt(b, "<section class=\"indicator\" id=\"ind-%a\">\n<h2>%h%s</h2>\n<p class=\"definition\">", x->code, x->name,
            synthetic ? " <span class=\"synthetic\">synthetisch</span>" : "");
    if (rate) {
        long ni = def_index(d, x->numerator), di = def_index(d, x->denominator);
        buf_fmt(b, "Percentage: 100 × %h / %h, gewogen over de gemeenten (som van tellers gedeeld door som van "
                   "noemers).",
                ni >= 0 ? d->defs[ni].name : x->numerator, di >= 0 ? d->defs[di].name : x->denominator);
    } else {
        buf_fmt(b, "Aantal%s%h%s, opgeteld over de gemeenten.", x->unit ? " (" : "", x->unit, x->unit ? ")" : "");
    }
    if (x->source)
        buf_fmt(b, " Bron: %h.", x->source);
    buf_puts(b, "</p>\n");
    if (!a.n && !f.n) {
        buf_puts(b, "<p>Voor deze indicator zijn geen cijfers ingeladen.</p>\n</section>\n");
        return;
    }
    if (pg->area && !a.n)
        buf_puts(b, "<p>Voor de gemeenten van dit gebied zijn geen cijfers ingeladen.</p>\n");
    /* what the lines show: rates as they are; counts of an area as an index
     * (the first period = 100), so that the area and Flanders share an axis */
    chart_line lines[2];
    size_t nl = 0;
    bool index = pg->area && !rate;
    const char *suffix = synthetic ? " (synthetische cijfers)" : "";
    series both[2] = {a, f};
    const char *labels[2] = {pg->short_name, "Vlaanderen"};
    for (int s = pg->area ? 0 : 1; s < 2; s++) {
        if (!both[s].n)
            continue;
        double *y = arena_alloc(rq->arena, both[s].n * sizeof *y);
        for (size_t k = 0; k < both[s].n; k++)
            y[k] = index ? (both[s].p[0].value > 0 ? 100 * both[s].p[k].value / both[s].p[0].value : NAN)
                         : both[s].p[k].value;
        lines[nl++] = (chart_line){labels[s], y, both[s].p, both[s].n, s ? 5 : 0};
    }
    char first[16];
    const char *axis = index ? arena_printf(rq->arena, "Index: de eerste periode met cijfers (%s) = 100, voor elk "
                                                       "gebied apart. De tabel geeft de aantallen.",
                                            rules_period_label_nl((a.n ? a : f).p[0].period, first))
                             : NULL;
    const char *title = arena_printf(rq->arena, "%s: %s%s%s", x->name, pg->area ? pg->short_name : "Vlaanderen",
                                     pg->area ? " en Vlaanderen" : "", suffix);
    const char *desc = arena_printf(rq->arena, "Lijngrafiek per periode%s; de cijfers staan in de tabel onder de "
                                               "grafiek.", index ? " (index, eerste periode = 100)" : "");
    line_chart(rq, arena_printf(rq->arena, "chart-%s", x->code), title, desc, axis, lines, nl, rate);
    indicator_table(rq, pg, x, a, f);
    downloads(rq, x->code);
    buf_puts(b, "</section>\n");
}

/* A file name of letters, digits, - and _ only (it goes into a header). */
static const char *file_name(request *rq, const char *s)
{
    char *out = arena_strdup(rq->arena, s);
    for (char *c = out; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
              *c == '_'))
            *c = '_';
    return out;
}

/* Answers the download when ?format= asks for one; true when it answered. */
static bool download(request *rq, dash *d, const dash_page *pg, const series *area, const series *fl)
{
    const char *format = web_param(rq, "format");
    if (!format || !*format || strcmp(format, "html") == 0)
        return false;
    const char *only = web_param(rq, "indicator");
    table t;
    table_init(&t, rq->arena, "Indicatoren", DOWNLOAD_KEYS, DOWNLOAD_LABELS, 11);
    for (size_t i = 0; i < d->ndefs; i++)
        if (!only || strcmp(only, d->defs[i].code) == 0)
            download_rows(rq, &t, pg, &d->defs[i], pg->area ? area[i] : fl[i], fl[i]);
    return web_table_download(rq, &t, file_name(rq, only ? arena_printf(rq->arena, "%s-%s", pg->file, only) : pg->file));
}

/* ---- long lists of links ---------------------------------------------------
 * An area's municipalities and the agreements on /indicators can run into the
 * tens of thousands on a large register: they are shown LINKS_PER_PAGE at a
 * time, in their stable order (the map's, the register's), ?page=N choosing
 * which; the figures and the downloads are whole on every page. */

enum { LINKS_PER_PAGE = 200 };

/* The slice [*from, *to) of n links shown on the requested page (the last
 * one when it asks for more), through the lists' shared pages (layout.h). */
static void links_slice(const dash *d, size_t n, size_t *from, size_t *to)
{
    page_slice((long)d->page, n, LINKS_PER_PAGE, from, to);
}

static void render(request *rq, dash *d, const dash_page *pg, nav_section nav, const char *crumbs, void (*intro)(request *, dash *, const dash_page *, void *), void *ctx)
{
    const char *only = web_param(rq, "indicator");
    if (only && def_index(d, only) < 0) {
        web_error(rq, 400, "bad_indicator", "De parameter indicator noemt geen gekende indicator.");
        return;
    }
    long page = page_number(rq);
    if (!page)
        return;
    d->page = (size_t)page;
    series *a = arena_calloc(rq->arena, d->ndefs + 1, sizeof *a), *f = arena_calloc(rq->arena, d->ndefs + 1, sizeof *f);
    for (size_t i = 0; i < d->ndefs; i++) {
        f[i] = aggregate(d, i, d->flanders);
        a[i] = pg->area ? aggregate(d, i, pg->area) : f[i];
    }
    if (download(rq, d, pg, a, f))
        return;
    page_begin(rq, arena_printf(rq->arena, "Indicatoren – %s", pg->title), nav);
    buf *b = &rq->body;
    if (crumbs)
        buf_puts(b, crumbs);
    buf_fmt(b, "<h1>Indicatoren: %h</h1>\n", pg->title);
    if (d->synthetic)
        buf_puts(b, "<p class=\"synthetic-notice\" role=\"note\"><strong>Synthetische cijfers.</strong> Deze pagina "
                    "toont cijfers die als synthetisch zijn ingeladen: verzonnen demogegevens met aannemelijke "
                    "grootte, geen echte cijfers van VDAB of Statbel. Gebruik ze niet als feiten.</p>\n");
    if (intro)
        intro(rq, d, pg, ctx);
    buf_puts(b, "<p class=\"explain\">Alle reeksen volgen de gemeentekaart van 2025: de cijfers van gemeenten die op "
                "1/1/2025 fusioneerden, zijn voor de periodes daarvoor opgeteld in hun fusiegemeente. Aantallen worden "
                "opgeteld; percentages gewogen (som van de tellers gedeeld door som van de noemers). \"Gemeenten met "
                "cijfer\" zegt voor hoeveel van de gemeenten van die periode een cijfer is ingeladen.</p>\n");
    if (!d->ndefs)
        buf_puts(b, "<p>Er zijn geen indicatoren gedefinieerd.</p>\n");
    else {
        buf_puts(b, "<nav class=\"toc\" aria-label=\"Indicatoren op deze pagina\"><ul>\n");
        for (size_t i = 0; i < d->ndefs; i++)
            buf_fmt(b, "<li><a href=\"#ind-%a\">%h</a></li>\n", d->defs[i].code, d->defs[i].name);
        buf_puts(b, "</ul></nav>\n");
        downloads(rq, NULL);
    }
    for (size_t i = 0; i < d->ndefs; i++)
        indicator_section(rq, d, pg, i, a[i], f[i]);
    page_end(rq);
}

/* The units of an area and the partial ones, named. */
static void area_members(request *rq, dash *d, const dash_page *pg, void *ctx)
{
    (void)ctx;
    buf *b = &rq->body;
    const register_view *v = d->v;
    const char *carry = page_carry_default(rq);
    size_t in = 0, partial = 0;
    for (size_t i = 0; i < v->map.count; i++)
        if (d->unit[i] == (int)i) {
            in += pg->area[i] == AREA_IN;
            partial += pg->area[i] == AREA_PARTIAL;
        }
    size_t from, to, shown = 0;
    links_slice(d, in, &from, &to);
    buf_fmt(b, "<details class=\"members\"%s><summary>%d gemeente(n) van 2025 in dit gebied</summary>\n<ul>\n",
            from > 0 ? " open" : "", (int)in);
    for (size_t i = 0; i < v->map.count && shown < to; i++)
        if (d->unit[i] == (int)i && pg->area[i] == AREA_IN && shown++ >= from)
            buf_fmt(b, "<li><a href=\"/municipalities/%U%s%a\">%h</a></li>\n", v->municipalities[i].nis,
                    *carry ? "?" : "", carry, v->municipalities[i].name);
    buf_puts(b, "</ul>");
    if (in > LINKS_PER_PAGE) {
        buf_putc(b, '\n');
        page_pager(rq, (long)(from / LINKS_PER_PAGE + 1), in, LINKS_PER_PAGE);
    }
    buf_puts(b, "</details>\n");
    if (partial) {
        buf_puts(b, "<p class=\"partial\">Niet meegeteld, want maar voor een deel in dit gebied (niet al hun "
                    "deelgemeenten van voor 2025 horen erbij): ");
        size_t k = 0;
        for (size_t i = 0; i < v->map.count; i++)
            if (d->unit[i] == (int)i && pg->area[i] == AREA_PARTIAL)
                buf_fmt(b, "%s%h", k++ ? ", " : "", v->municipalities[i].name);
        buf_puts(b, ".</p>\n");
    }
}

static void flanders_intro(request *rq, dash *d, const dash_page *pg, void *ctx)
{
    (void)pg;
    (void)ctx;
    buf *b = &rq->body;
    const char *carry = page_carry_default(rq);
    const char *q = *carry ? "?" : "";
    buf_puts(b, "<p>De figuren hieronder gelden voor heel Vlaanderen. Per gebied, telkens naast Vlaanderen:</p>\n"
                "<ul class=\"areas\">\n<li>Provincies: ");
    for (int p = 0; p < PROVINCE_COUNT; p++)
        buf_fmt(b, "%s<a href=\"/provinces/%U/indicators%a%a\">%h</a>", p ? ", " : "", province_name(p), q, carry,
                province_name(p));
    buf_puts(b, "</li>\n<li>Regiegebieden: ");
    for (size_t r = 0; r < d->v->region_count; r++)
        buf_fmt(b, "%s<a href=\"/regiegebieden/%U/indicators%a%a\">%h</a>", r ? ", " : "", d->v->regions[r].id, q,
                carry, d->v->regions[r].name);
    if (!d->v->region_count)
        buf_puts(b, "geen");
    buf_puts(b, "</li>\n<li>Overeenkomsten: ");
    size_t from, to, n = d->v->agreement_count;
    links_slice(d, n, &from, &to);
    for (size_t i = from; i < to; i++)
        buf_fmt(b, "%s<a href=\"/agreements/%U/indicators%a%a\">%h</a>", i > from ? ", " : "", d->v->agreements[i].id,
                q, carry, d->v->agreements[i].title);
    if (!n)
        buf_puts(b, "geen");
    buf_puts(b, "</li>\n</ul>\n");
    page_pager(rq, (long)(from / LINKS_PER_PAGE + 1), n, LINKS_PER_PAGE);
}

static void flanders_page(request *rq, dash d)
{
    dash_page pg = {"Vlaanderen", "Vlaanderen", "indicatoren-vlaanderen", NULL};
    render(rq, &d, &pg, NAV_INDICATORS, NULL, flanders_intro, NULL);
}

void page_indicators(request *rq)
{
    dash d;
    if (!load(rq, &d))
        return;
    flanders_page(rq, d);
    done(&d);
}

static void province_page(request *rq, dash d, int province)
{
    unsigned char *area = arena_alloc(rq->arena, d.v->map.count + 1);
    rules_area_province(&d.v->map, d.unit, province, area);
    dash_page pg = {arena_printf(rq->arena, "provincie %s", province_name(province)), province_name(province),
                    arena_printf(rq->arena, "indicatoren-%s", province_name(province)), area};
    const char *carry = page_carry_default(rq);
    buf crumbs = {0};
    buf_fmt(&crumbs, "<p class=\"crumbs\"><a href=\"/indicators%s%a\">Indicatoren</a> · <a href=\"/provinces/%U%s%a\">"
                     "Provincie %h</a></p>\n",
            *carry ? "?" : "", carry, province_name(province), *carry ? "?" : "", carry, province_name(province));
    const char *c = arena_strdup(rq->arena, crumbs.data);
    buf_free(&crumbs);
    render(rq, &d, &pg, NAV_INDICATORS, c, area_members, NULL);
}

void page_province_indicators(request *rq)
{
    int province = province_parse(web_route_param(rq, "name"));
    if (province < 0) {
        web_error(rq, 404, "not_found", "Er is geen Vlaamse provincie met deze naam.");
        return;
    }
    dash d;
    if (!load(rq, &d))
        return;
    province_page(rq, d, province);
    done(&d);
}

/* The identity a member or party code names: the one valid on `on` when
 * given, else the code's first one. */
static int identity_of(const register_view *v, const char *nis, date_t on)
{
    int code = nis_code(nis);
    if (code < 0 || !rules_code_exists(&v->map, code))
        return -1;
    int id = on != DATE_NONE ? rules_identity_on(&v->map, code, on) : -1;
    return id >= 0 ? id : v->map.code_first[code];
}

static void regiegebied_page(request *rq, dash d)
{
    regiegebied *regions;
    size_t nr;
    if (store_get_regiegebieden(rq->db, web_known(rq), rq->arena, &regions, &nr)) {
        web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden.");
        return;
    }
    const char *id = web_route_param(rq, "id");
    const regiegebied *g = NULL;
    for (size_t i = 0; i < nr && !g; i++)
        g = strcmp(regions[i].id, id) == 0 ? &regions[i] : NULL;
    if (!g) {
        web_error(rq, 404, "not_found", "Er is geen regiegebied met deze id.");
        return;
    }
    int *ids = arena_alloc(rq->arena, (g->member_count + 1) * sizeof *ids);
    /* every municipality that is a member at some time, named as on its first day */
    for (size_t k = 0; k < g->member_count; k++)
        ids[k] = identity_of(d.v, g->members[k].municipality, region_member_first(g, &g->members[k]));
    unsigned char *area = arena_alloc(rq->arena, d.v->map.count + 1);
    rules_area_named(&d.v->map, ids, g->member_count, area);
    dash_page pg = {arena_printf(rq->arena, "regiegebied %s", g->name), g->name,
                    arena_printf(rq->arena, "indicatoren-%s", g->id), area};
    const char *carry = page_carry_default(rq);
    buf crumbs = {0};
    buf_fmt(&crumbs, "<p class=\"crumbs\"><a href=\"/indicators%s%a\">Indicatoren</a> · <a href=\"/regiegebieden/%U%s%a\">"
                     "%h</a></p>\n",
            *carry ? "?" : "", carry, g->id, *carry ? "?" : "", carry, g->name);
    const char *c = arena_strdup(rq->arena, crumbs.data);
    buf_free(&crumbs);
    render(rq, &d, &pg, NAV_INDICATORS, c, area_members, NULL);
}

void page_regiegebied_indicators(request *rq)
{
    dash d;
    if (!load(rq, &d))
        return;
    regiegebied_page(rq, d);
    done(&d);
}

static void agreement_page(request *rq, dash d)
{
    const char *id = web_route_param(rq, "id");
    const register_view *v = d.v;
    size_t i = 0;
    while (i < v->agreement_count && strcmp(v->agreements[i].id, id) != 0)
        i++;
    if (i == v->agreement_count) {
        web_error(rq, 404, "not_found", "Er is geen overeenkomst met deze id.");
        return;
    }
    /* its municipality parties, each as it was on the first day of its
     * interval (SPEC §3), planned parties included: the area it is about */
    const rules_agreement *ra = &v->rules_agreements[i];
    int *ids = arena_alloc(rq->arena, ((size_t)ra->party_count + 1) * sizeof *ids);
    size_t n = 0;
    for (int k = 0; k < ra->party_count; k++) {
        const rules_party *p = &ra->parties[k];
        if (p->code < 0)
            continue;
        date_t from, to;
        bool has = rules_party_interval(ra, p, BASIS_ACTUAL, &from, &to) ||
                   rules_party_interval(ra, p, BASIS_PROGNOSIS, &from, &to);
        char nis[8];
        snprintf(nis, sizeof nis, "%05d", p->code % 100000);
        ids[n++] = identity_of(v, nis, has ? from : DATE_NONE);
    }
    unsigned char *area = arena_alloc(rq->arena, v->map.count + 1);
    rules_area_named(&v->map, ids, n, area);
    dash_page pg = {v->agreements[i].title, v->agreements[i].title,
                    arena_printf(rq->arena, "indicatoren-%s", v->agreements[i].id), area};
    const char *carry = page_carry_default(rq);
    buf crumbs = {0};
    buf_fmt(&crumbs, "<p class=\"crumbs\"><a href=\"/indicators%s%a\">Indicatoren</a> · <a href=\"/agreements/%U%s%a\">"
                     "%h</a></p>\n",
            *carry ? "?" : "", carry, v->agreements[i].id, *carry ? "?" : "", carry, v->agreements[i].title);
    const char *c = arena_strdup(rq->arena, crumbs.data);
    buf_free(&crumbs);
    render(rq, &d, &pg, NAV_AGREEMENTS, c, area_members, NULL);
}

void page_agreement_indicators(request *rq)
{
    dash d;
    if (!load(rq, &d))
        return;
    agreement_page(rq, d);
    done(&d);
}

/* ---- JSON: /api/v1/indicators ------------------------------------------------------ */

static json_t *json_series(series s)
{
    json_t *a = json_array();
    for (size_t k = 0; k < s.n; k++) {
        char period[PERIOD_TEXT_LEN];
        json_array_append_new(a, json_pack("{s:s, s:f, s:i, s:i, s:b}", "period", rules_period_format(s.p[k].period, period),
                                           "value", s.p[k].value, "reported", s.p[k].reported, "expected",
                                           s.p[k].expected, "synthetic", s.p[k].synthetic));
    }
    return a;
}

static json_t *json_text(const char *s) { return s ? json_string(s) : json_null(); }

static void api_page(request *rq, dash d, int province)
{
    const unsigned char *area = d.flanders;
    if (province != ROW_FLANDERS) {
        unsigned char *own = arena_alloc(rq->arena, d.v->map.count + 1);
        rules_area_province(&d.v->map, d.unit, province, own);
        area = own;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < d.ndefs; i++) {
        const indicator_def *x = &d.defs[i];
        json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:o}", "code", x->code, "name", x->name, "unit",
                              json_text(x->unit), "kind", x->kind, "numerator", json_text(x->numerator), "denominator",
                              json_text(x->denominator), "source", json_text(x->source));
        json_object_set_new(o, "series", json_series(aggregate(&d, i, area)));
        if (province != ROW_FLANDERS)
            json_object_set_new(o, "flanders", json_series(aggregate(&d, i, d.flanders)));
        json_array_append_new(list, o);
    }
    json_t *doc = json_pack("{s:s, s:b, s:o}", "area", province_name(province), "synthetic", d.synthetic,
                            "indicators", list);
    if (doc && page_register_notice(rq)) /* issue 13: the register notice, as every API object says it */
        json_object_set_new(doc, "register_notice", json_string(page_register_notice(rq)));
    char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    if (!text) {
        web_error(rq, 503, "unavailable", "The answer could not be built.");
        return;
    }
    rq->status = 200;
    rq->content_type = "application/json";
    buf_puts(&rq->body, text);
    buf_putc(&rq->body, '\n');
    free(text);
}

void api_indicators(request *rq)
{
    static const char *const allowed[] = {"province", "as_known_at", NULL};
    if (!api_known_params(rq, allowed))
        return;
    int province;
    if (!web_province_param(rq, &province))
        return;
    if (province < 0)
        province = ROW_FLANDERS; /* no province: Flanders */
    dash d;
    if (!load(rq, &d))
        return;
    api_page(rq, d, province);
    done(&d);
}
