/* map.c: see map.h. The paths come from build/gen/geometry.c (tools/mapgen.c);
 * they are program data made of digits, '.', '-', ' ', 'm' and 'z' only, so
 * they go out through %s. Every name, label, caption and query goes through
 * %h or %a. Numbers are written with integers only, so that no locale can
 * turn a decimal point into a comma inside the SVG. */
#include "map.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geometry.h"

/* The legend and the description list the states in this order. */
static const muni_state LEGEND_ORDER[] = {MUNI_COVERED, MUNI_PARTIAL, MUNI_SIGNED_NO_START, MUNI_PIPELINE, MUNI_NONE};

static const char *const MONTH_NL[] = {"januari", "februari", "maart",     "april",   "mei",      "juni",
                                       "juli",    "augustus", "september", "oktober", "november", "december"};

/* The last vintage that has started on day d; the first one before them all. */
static const struct geo_vintage *vintage_on(date_t d)
{
    const struct geo_vintage *v = &GEO_VINTAGES[0];
    for (size_t i = 1; i < GEO_NVINTAGES; i++)
        if (d != DATE_NONE && d >= date_from_ymd(GEO_VINTAGES[i].first_year, 1, 1))
            v = &GEO_VINTAGES[i];
    return v;
}

size_t map_municipality_count(date_t d) { return vintage_on(d)->nmunicipalities; }

static int by_nis(const void *key, const void *elem)
{
    return strcmp(key, ((const struct geo_municipality *)elem)->nis);
}

/* A number with at most one decimal and the given decimal mark, whatever
 * the locale: '.' in SVG attributes, ',' in Dutch text. */
static void put_decimal(buf *b, double v, char mark)
{
    long t = lround(v * 10);
    buf_printf(b, "%s%ld", t < 0 ? "-" : "", labs(t) / 10);
    if (labs(t) % 10)
        buf_printf(b, "%s%ld", mark == ',' ? "," : ".", labs(t) % 10);
}

static void put_number(buf *b, double v) { put_decimal(b, v, '.'); }

/* The coverage legend: the five states in LEGEND_ORDER. */
static const map_legend_entry COVERAGE_ENTRIES[] = {
    {"s-covered", NULL}, {"s-partial", NULL}, {"s-signed_no_start", NULL}, {"s-pipeline", NULL}, {"s-none", NULL},
};
enum { ENTRY_COVERED, ENTRY_PARTIAL, ENTRY_SIGNED_NO_START, ENTRY_PIPELINE, ENTRY_NONE };

/* The entry of a state in LEGEND_ORDER (none for anything else). */
static size_t state_entry(muni_state s)
{
    for (size_t i = 0; i < sizeof LEGEND_ORDER / sizeof *LEGEND_ORDER; i++)
        if (LEGEND_ORDER[i] == s)
            return i;
    return ENTRY_NONE;
}

/* The merger rule of SPEC §3 over the states of the former municipalities. */
static size_t coverage_merge(const size_t *parts, size_t total)
{
    return parts[ENTRY_COVERED] == total                       ? ENTRY_COVERED
         : parts[ENTRY_COVERED] + parts[ENTRY_PARTIAL]         ? ENTRY_PARTIAL
         : parts[ENTRY_SIGNED_NO_START]                        ? ENTRY_SIGNED_NO_START
         : parts[ENTRY_PIPELINE]                               ? ENTRY_PIPELINE
                                                               : ENTRY_NONE;
}

/* The index in v of the municipality with this code, or -1. */
static long drawn_index(const struct geo_vintage *v, const char *nis)
{
    const struct geo_municipality *m =
        nis ? bsearch(nis, v->municipalities, v->nmunicipalities, sizeof *v->municipalities, by_nis) : NULL;
    return m ? (long)(m - v->municipalities) : -1;
}

static size_t item_entry(const map_legend *l, const size_t *entries, const map_item *items, const map_item *it)
{
    return it && entries[it - items] < l->count ? entries[it - items] : l->absent;
}

/* The entry of every drawn municipality: its own item's (the last one
 * wins), else legend->merge over the items part_of it. */
static void drawn_entries(const struct geo_vintage *v, const map_item *items, const size_t *entries, size_t n,
                          const map_legend *l, const map_item **item, size_t *entry)
{
    unsigned short parts[GEO_MAX_MUNICIPALITIES][MAP_LEGEND_MAX] = {{0}};
    size_t total[GEO_MAX_MUNICIPALITIES] = {0};
    for (size_t i = 0; i < n; i++) {
        long k = drawn_index(v, items[i].nis);
        if (k >= 0) {
            item[k] = &items[i];
            continue;
        }
        if ((k = drawn_index(v, items[i].part_of)) < 0)
            continue;
        parts[k][item_entry(l, entries, items, &items[i])]++;
        total[k]++;
    }
    for (size_t i = 0; i < v->nmunicipalities; i++) {
        size_t counts[MAP_LEGEND_MAX];
        for (size_t e = 0; e < MAP_LEGEND_MAX; e++)
            counts[e] = parts[i][e];
        entry[i] = item[i] || !total[i] ? item_entry(l, entries, items, item[i]) : l->merge(counts, total[i]);
        if (entry[i] >= l->count)
            entry[i] = l->absent;
    }
}

/* The coverage legend (labels in entries[5]) and the entry of each item's
 * state in own[n] (an invalid state is drawn as none); own is malloc'ed. */
static size_t *coverage_legend(map_legend_entry *entries, map_legend *legend, const map_item *items, size_t n)
{
    for (size_t i = 0; i < sizeof COVERAGE_ENTRIES / sizeof *COVERAGE_ENTRIES; i++)
        entries[i] = (map_legend_entry){COVERAGE_ENTRIES[i].cls, muni_state_label_nl(LEGEND_ORDER[i])};
    *legend = (map_legend){entries, sizeof COVERAGE_ENTRIES / sizeof *COVERAGE_ENTRIES, ENTRY_NONE, coverage_merge};
    size_t *own = malloc((n ? n : 1) * sizeof *own);
    if (!own) { /* as every allocation of the program: out of memory ends it */
        fputs("somon: out of memory\n", stderr);
        abort();
    }
    for (size_t i = 0; i < n; i++)
        own[i] = (unsigned)items[i].state < MUNI_STATE_COUNT ? state_entry(items[i].state) : ENTRY_NONE;
    return own;
}

void map_svg(buf *b, date_t d, const map_item *items, size_t n, const char *query, const char *caption)
{
    map_legend_entry entries[sizeof COVERAGE_ENTRIES / sizeof *COVERAGE_ENTRIES];
    map_legend legend;
    size_t *own = coverage_legend(entries, &legend, items, n);
    map_svg_legend(b, d, items, own, n, &legend, query, caption);
    free(own);
}

void map_figure(buf *b, date_t d, const map_item *items, size_t n, const char *query, const char *caption)
{
    map_legend_entry entries[sizeof COVERAGE_ENTRIES / sizeof *COVERAGE_ENTRIES];
    map_legend legend;
    size_t *own = coverage_legend(entries, &legend, items, n);
    map_figure_legend(b, d, items, own, n, &legend, query, caption);
    free(own);
}

/* ---- patterns: the states told apart without colour ---- */

/* The marks drawn over an entry's colour, one 8 x 8 tile of the pattern
 * (user units of the map, about 8 px on a wide screen): entry i gets
 * MARKS[i % 6], the absent entry (none, nothing recorded) none at all. So no
 * two entries of a legend of up to seven share a pattern, and a reader who
 * cannot tell the colours apart (or prints in grey) still can. */
static const char *const MARKS[] = {
    "M-1 1L1 -1M0 8L8 0M7 9L9 7", /* diagonal lines */
    "M3 4a1 1 0 1 0 2 0a1 1 0 1 0-2 0", /* dots */
    "M0 4H8",                           /* horizontal lines */
    "M0 0L8 8M0 8L8 0",                 /* cross-hatching */
    "M4 0V8",                           /* vertical lines */
    "M-1 7L1 9M0 0L8 8M7 -1L9 1",       /* lines the other way */
};

static void pattern_defs(buf *b, const map_legend *legend)
{
    buf_puts(b, "<defs>\n");
    for (size_t i = 0; i < legend->count; i++) {
        const char *cls = legend->entries[i].cls;
        buf_fmt(b,
                "<pattern id=\"map-pattern-%a\" class=\"state-pattern\" patternUnits=\"userSpaceOnUse\" "
                "width=\"8\" height=\"8\"><rect class=\"bg %a\" width=\"8\" height=\"8\"/>",
                cls, cls);
        if (i != legend->absent)
            buf_fmt(b, "<path class=\"mark\" d=\"%a\"/>", MARKS[(i < legend->absent ? i : i - 1) % 6]);
        buf_puts(b, "</pattern>\n");
    }
    buf_puts(b, "</defs>\n");
}

enum { LEGEND_ROWS = 5, LEGEND_SECOND_COLUMN = 280 };

void map_svg_legend(buf *b, date_t d, const map_item *items, const size_t *entries, size_t n,
                    const map_legend *legend, const char *query, const char *caption)
{
    const struct geo_vintage *v = vintage_on(d);
    assert(v->nmunicipalities <= GEO_MAX_MUNICIPALITIES);
    assert(legend->count > 0 && legend->count <= MAP_LEGEND_MAX && legend->absent < legend->count);
    /* before the first vintage the map draws that vintage's shapes */
    bool older = d != DATE_NONE && d < date_from_ymd(GEO_VINTAGES[0].first_year, 1, 1);
    const map_item *item[GEO_MAX_MUNICIPALITIES] = {0}; /* per municipality of v */
    size_t entry[GEO_MAX_MUNICIPALITIES];
    drawn_entries(v, items, entries, n, legend, item, entry);
    size_t count[MAP_LEGEND_MAX] = {0};
    for (size_t i = 0; i < v->nmunicipalities; i++)
        count[entry[i]]++;

    bool has_query = query && *query;
    buf_fmt(b,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"%a\" role=\"img\" "
            "aria-labelledby=\"map-title map-desc\" class=\"map\">\n<title id=\"map-title\">%h</title>\n"
            "<desc id=\"map-desc\">",
            GEO_VIEWBOX, caption ? caption : "Kaart van de Vlaamse gemeenten");
    /* "Gedekt: 14, gedeeltelijk gedekt: 0, ondertekend, begindatum onbekend: 9, …"
     * (the labels begin with an ASCII letter) */
    for (size_t i = 0; i < legend->count; i++) {
        const char *label = legend->entries[i].label;
        char first[2] = {(char)(i ? label[0] : toupper((unsigned char)label[0])), '\0'};
        buf_fmt(b, "%s%h%h: %zu", i ? ", " : "", first, label[0] ? label + 1 : label, count[i]);
    }
    buf_fmt(b, " (%zu gemeenten", v->nmunicipalities);
    if (older)
        buf_fmt(b, "; vóór %d: kaart van %d, gefusioneerde gemeenten volgens hun deelgemeenten", v->first_year,
                v->first_year);
    buf_puts(b, ").</desc>\n");
    pattern_defs(b, legend);
    /* No links inside role="img": a municipality is not a tab stop (the list
     * under the map has the links); assets/somon.js follows data-href on a
     * click. The fill is the entry's pattern, its colour included. */
    for (size_t i = 0; i < v->nmunicipalities; i++) {
        const struct geo_municipality *m = &v->municipalities[i];
        const char *cls = legend->entries[entry[i]].cls;
        buf_fmt(b,
                "<g data-href=\"/municipalities/%U%s%a\" class=\"muni\" data-nis=\"%a\"><title>%h — %h</title>"
                "<path class=\"%a\" d=\"%a\" fill=\"url(#map-pattern-%a)\"/></g>\n",
                m->nis, has_query ? "?" : "", has_query ? query : NULL, m->nis,
                item[i] && item[i]->name && *item[i]->name ? item[i]->name : m->name,
                legend->entries[entry[i]].label, cls, m->path, cls);
    }
    buf_fmt(b, "<path class=\"brussels\" d=\"%a\"><title>Brussels Hoofdstedelijk Gewest</title></path>\n",
            v->brussels);
    for (size_t i = 0; i < v->nprovinces; i++)
        buf_fmt(b, "<path class=\"province\" fill=\"none\" d=\"%a\"/>\n", v->provinces[i].path);

    /* The legend sits in the top left corner, over the North Sea: five rows
     * close enough to stay clear of the coast, the longest label of the
     * coverage map (row 3) ending before the note about older maps. More
     * entries go to a second column, east of Knokke over Zeeland, which
     * pushes the note down. */
    buf_puts(b, "<g class=\"legend\" font-size=\"14\">\n");
    for (size_t i = 0; i < legend->count; i++) {
        int x = i < LEGEND_ROWS ? 2 : LEGEND_SECOND_COLUMN, y = 2 + 17 * (int)(i % LEGEND_ROWS);
        buf_fmt(b,
                "<rect class=\"%a\" x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"url(#map-pattern-%a)\"/>"
                "<text x=\"%d\" y=\"%d\">%h</text>\n",
                legend->entries[i].cls, x, y, legend->entries[i].cls, x + 20, y + 12, legend->entries[i].label);
    }
    if (older) { /* the shapes are of a later map: say so, beside the legend, over the sea */
        int below = legend->count > LEGEND_ROWS ? 17 * (int)(legend->count - LEGEND_ROWS) : 0;
        buf_fmt(b,
                "<text class=\"older\" x=\"280\" y=\"%d\">Vóór %d: kaart van %d;</text>\n"
                "<text class=\"older\" x=\"280\" y=\"%d\">gefusioneerde gemeenten volgens</text>\n"
                "<text class=\"older\" x=\"280\" y=\"%d\">hun deelgemeenten</text>\n",
                14 + below, v->first_year, v->first_year, 32 + below, 50 + below);
    }
    buf_puts(b, "</g>\n</svg>\n");
}

/* ---- the figure: the map with its legend, a way past it, and the list ---- */

/* A drawn municipality as the list shows it: its name and where it is. */
typedef struct {
    const char *nis, *name;
    size_t entry;
    int province;
} listed;

static int by_province_name(const void *a, const void *b)
{
    const listed *x = a, *y = b;
    if (x->province != y->province)
        return x->province < y->province ? -1 : 1;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->nis, y->nis);
}

/* The province (table order) of a municipality: the first digit of its NIS
 * code is its province's (Vlaams-Brabant 20001: 23xxx and 24xxx). */
static int province_of(const char *nis)
{
    for (int p = 0; p < PROVINCE_COUNT; p++)
        if (province_nis(p)[0] == nis[0])
            return p;
    return PROVINCE_COUNT;
}

/* The legend as HTML under the map, readable on a phone where the legend
 * inside the drawing is too small: a swatch with the entry's pattern, the
 * label and the count. */
static void html_legend(buf *b, const map_legend *legend, const size_t *count, bool older, int first_year)
{
    buf_puts(b, "<figcaption>\n<ul class=\"map-legend\">\n");
    for (size_t i = 0; i < legend->count; i++)
        buf_fmt(b,
                "<li><svg class=\"swatch\" aria-hidden=\"true\" focusable=\"false\" width=\"18\" height=\"18\">"
                "<rect class=\"%a\" width=\"18\" height=\"18\" fill=\"url(#map-pattern-%a)\"/></svg> %h: %zu</li>\n",
                legend->entries[i].cls, legend->entries[i].cls, legend->entries[i].label, count[i]);
    buf_puts(b, "</ul>\n");
    if (older)
        buf_fmt(b,
                "<p class=\"note\">Vóór %d: kaart van %d; gefusioneerde gemeenten volgens hun "
                "deelgemeenten.</p>\n",
                first_year, first_year);
    buf_puts(b, "<p class=\"map-unzoom\"><a href=\"#map-tools\">Kaart verkleinen</a></p>\n</figcaption>\n");
}

static void municipality_list(buf *b, const struct geo_vintage *v, const map_item *const *item, const size_t *entry,
                              const map_legend *legend, const char *query)
{
    listed rows[GEO_MAX_MUNICIPALITIES];
    for (size_t i = 0; i < v->nmunicipalities; i++) {
        const struct geo_municipality *m = &v->municipalities[i];
        rows[i] = (listed){m->nis, item[i] && item[i]->name && *item[i]->name ? item[i]->name : m->name, entry[i],
                           province_of(m->nis)};
    }
    qsort(rows, v->nmunicipalities, sizeof *rows, by_province_name);
    bool has_query = query && *query;
    buf_puts(b, "<section id=\"map-list\" class=\"map-list\" aria-labelledby=\"map-list-h\" tabindex=\"-1\">\n"
                "<h3 id=\"map-list-h\">De gemeenten van de kaart, per provincie</h3>\n");
    for (size_t i = 0; i < v->nmunicipalities;) {
        size_t end = i;
        while (end < v->nmunicipalities && rows[end].province == rows[i].province)
            end++;
        buf_fmt(b, "<details class=\"province\"><summary>%h (%zu gemeenten)</summary>\n<ul>\n",
                rows[i].province < PROVINCE_COUNT ? province_name(rows[i].province) : "Andere", end - i);
        for (; i < end; i++)
            buf_fmt(b, "<li><a href=\"/municipalities/%U%s%a\">%h</a>: %h</li>\n", rows[i].nis, has_query ? "?" : "",
                    has_query ? query : NULL, rows[i].name, legend->entries[rows[i].entry].label);
        buf_puts(b, "</ul>\n</details>\n");
    }
    buf_puts(b, "</section>\n");
}

void map_figure_legend(buf *b, date_t d, const map_item *items, const size_t *entries, size_t n,
                       const map_legend *legend, const char *query, const char *caption)
{
    const struct geo_vintage *v = vintage_on(d);
    bool older = d != DATE_NONE && d < date_from_ymd(GEO_VINTAGES[0].first_year, 1, 1);
    const map_item *item[GEO_MAX_MUNICIPALITIES] = {0};
    size_t entry[GEO_MAX_MUNICIPALITIES];
    drawn_entries(v, items, entries, n, legend, item, entry);
    size_t count[MAP_LEGEND_MAX] = {0};
    for (size_t i = 0; i < v->nmunicipalities; i++)
        count[entry[i]]++;

    /* the enlarge link is a fragment: CSS (:target) widens the drawing inside
     * its own scrolling frame, without JavaScript */
    buf_puts(b, "<p id=\"map-tools\" class=\"map-tools\"><a class=\"skip-map\" href=\"#map-list\">Ga voorbij de "
                "kaart</a> <a class=\"map-zoom\" href=\"#map-figure\">Kaart vergroten</a></p>\n"
                "<figure id=\"map-figure\" class=\"map\">\n<div class=\"map-frame\">\n");
    map_svg_legend(b, d, items, entries, n, legend, query, caption);
    buf_puts(b, "</div>\n");
    html_legend(b, legend, count, older, v->first_year);
    buf_puts(b, "</figure>\n");
    municipality_list(b, v, item, entry, legend, query);
}

/* ---- chart ---- */

enum {
    CHART_WIDTH = 800,
    CHART_LEFT = 44,  /* room for "100 %" */
    CHART_RIGHT = 16, /* room for the last year label */
    CHART_TOP = 10,
    CHART_PLOT_HEIGHT = 220,
    CHART_LEGEND_COLUMNS = 3,
    CHART_LEGEND_ROW = 20,
    CHART_MAX_YEAR_LABELS = 16,
};

static double chart_x(size_t i, size_t months)
{
    double width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT;
    return months > 1 ? CHART_LEFT + width * (double)i / (double)(months - 1) : CHART_LEFT + width / 2;
}

static double chart_y(double percent)
{
    percent = percent > 100 ? 100 : percent;
    return CHART_TOP + CHART_PLOT_HEIGHT * (1 - percent / 100);
}

static void chart_line(buf *b, const char *cls, double x1, double y1, double x2, double y2)
{
    buf_fmt(b, "<line%s%a%s x1=\"", cls ? " class=\"" : "", cls, cls ? "\"" : "");
    put_number(b, x1);
    buf_puts(b, "\" y1=\"");
    put_number(b, y1);
    buf_puts(b, "\" x2=\"");
    put_number(b, x2);
    buf_puts(b, "\" y2=\"");
    put_number(b, y2);
    buf_puts(b, "\"/>\n");
}

/* "juni 2023": month k counted from January of year y. Plain text (the
 * description is escaped as a whole), so no buf_fmt here. */
static void month_text(buf *desc, int y, size_t k)
{
    buf_puts(desc, MONTH_NL[k % 12]);
    buf_printf(desc, " %d", y + (int)(k / 12));
}

/* The description: the period, and the last value of each series. */
static void chart_desc(buf *desc, date_t first_month, size_t months, const chart_series *series, size_t nseries)
{
    int y, m, day;
    date_to_ymd(first_month, &y, &m, &day);
    if (months == 0 || nseries == 0) {
        buf_puts(desc, "Geen gegevens.");
        return;
    }
    size_t last = (size_t)(m - 1) + months - 1; /* months since January of the first year */
    buf_puts(desc, "Percentage per maand van ");
    month_text(desc, y, (size_t)(m - 1));
    buf_puts(desc, " tot ");
    month_text(desc, y, last);
    buf_puts(desc, ". Laatste waarde: ");
    for (size_t s = 0; s < nseries; s++) {
        buf_puts(desc, s ? "; " : "");
        buf_puts(desc, series[s].label);
        buf_putc(desc, ' ');
        size_t i = months;
        while (i > 0 && !(series[s].values[i - 1] >= 0))
            i--;
        if (i == 0) {
            buf_puts(desc, "geen gegevens");
            continue;
        }
        put_decimal(desc, series[s].values[i - 1], ',');
        buf_puts(desc, " %");
        if (i != months) {
            size_t k = (size_t)(m - 1) + i - 1;
            buf_puts(desc, " (");
            month_text(desc, y, k);
            buf_putc(desc, ')');
        }
    }
    buf_puts(desc, ".");
}

void chart_svg(buf *b, const char *title, date_t first_month, size_t months, const chart_series *series,
               size_t nseries)
{
    int year, month, day;
    date_to_ymd(first_month, &year, &month, &day);
    size_t legend_rows = (nseries + CHART_LEGEND_COLUMNS - 1) / CHART_LEGEND_COLUMNS;
    int axis_y = CHART_TOP + CHART_PLOT_HEIGHT;
    int legend_y = axis_y + 36;
    int height = legend_y + (int)legend_rows * CHART_LEGEND_ROW + 4;

    buf desc = {0};
    chart_desc(&desc, first_month, months, series, nseries);
    buf_fmt(b,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" class=\"chart\">\n"
            "<title>%h</title>\n<desc>%h</desc>\n",
            CHART_WIDTH, height, title, desc.data ? desc.data : "");
    buf_free(&desc);

    /* the y axis: gridlines every 25 % */
    buf_puts(b, "<g class=\"grid\">\n");
    for (int p = 0; p <= 100; p += 25)
        chart_line(b, NULL, CHART_LEFT, chart_y(p), CHART_WIDTH - CHART_RIGHT, chart_y(p));
    buf_puts(b, "</g>\n<g class=\"axis\" font-size=\"12\">\n");
    for (int p = 0; p <= 100; p += 25) {
        buf_fmt(b, "<text x=\"%d\" y=\"", CHART_LEFT - 6);
        put_number(b, chart_y(p) + 4);
        buf_fmt(b, "\" text-anchor=\"end\">%d %%</text>\n", p);
    }

    /* the x axis: a tick and a label per January, or the first month's year
     * when the period has no January; fewer labels over long periods */
    size_t januaries = 0;
    for (size_t i = 0; i < months; i++)
        januaries += (month - 1 + i) % 12 == 0;
    size_t every = (januaries + CHART_MAX_YEAR_LABELS - 1) / CHART_MAX_YEAR_LABELS;
    every = every ? every : 1;
    size_t nth = 0;
    for (size_t i = 0; i < months; i++) {
        bool january = (month - 1 + i) % 12 == 0;
        if (!(january || (i == 0 && januaries == 0)))
            continue;
        double x = chart_x(i, months);
        chart_line(b, NULL, x, axis_y, x, axis_y + 5);
        if (nth++ % every)
            continue;
        buf_puts(b, "<text x=\"");
        put_number(b, x);
        buf_fmt(b, "\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", axis_y + 18,
                year + (int)((size_t)(month - 1) + i) / 12);
    }
    buf_puts(b, "</g>\n");

    /* the series: one polyline per run of values between gaps */
    for (size_t s = 0; s < nseries; s++) {
        size_t i = 0;
        while (i < months) {
            while (i < months && !(series[s].values[i] >= 0))
                i++;
            if (i == months)
                break;
            size_t start = i;
            buf_fmt(b, "<polyline class=\"series series-%zu\" fill=\"none\" points=\"", s);
            for (; i < months && series[s].values[i] >= 0; i++) {
                if (i > start)
                    buf_putc(b, ' ');
                put_number(b, chart_x(i, months));
                buf_putc(b, ',');
                put_number(b, chart_y(series[s].values[i]));
            }
            if (i == start + 1) { /* a lone month: a dot, drawn with a round line cap */
                buf_putc(b, ' ');
                put_number(b, chart_x(start, months));
                buf_putc(b, ',');
                put_number(b, chart_y(series[s].values[start]));
            }
            buf_puts(b, "\"/>\n");
        }
    }

    /* the legend */
    buf_puts(b, "<g class=\"legend\" font-size=\"12\">\n");
    double column = (double)(CHART_WIDTH - CHART_LEFT - CHART_RIGHT) / CHART_LEGEND_COLUMNS;
    for (size_t s = 0; s < nseries; s++) {
        double x = CHART_LEFT + column * (double)(s % CHART_LEGEND_COLUMNS);
        int y = legend_y + CHART_LEGEND_ROW * (int)(s / CHART_LEGEND_COLUMNS);
        char cls[40];
        snprintf(cls, sizeof cls, "series series-%zu", s);
        chart_line(b, cls, x, y - 4, x + 20, y - 4);
        buf_puts(b, "<text x=\"");
        put_number(b, x + 26);
        buf_fmt(b, "\" y=\"%d\">%h</text>\n", y, series[s].label);
    }
    buf_puts(b, "</g>\n</svg>\n");
}
