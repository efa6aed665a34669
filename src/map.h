/* map.h: the coverage map of Flanders and the chart of coverage over time,
 * as inline SVG.
 *
 * The geometry comes from the GeoJSON files of data/boundaries: tools/mapgen.c projects
 * and simplifies it at build time into build/gen/geometry.c, so the binary
 * carries it and no request leaves the machine. Two vintages exist: the 300
 * municipalities of 2019-2024 and the 285 from 2025-01-01; a date picks the
 * vintage valid on it. No older boundaries are shipped: before 2019 the map
 * draws the 2019 shapes, and a municipality of 2019 that did not exist yet
 * (a 2019 merger) takes its colour from its former municipalities, as the
 * legend says. Every text goes through buf_fmt's escaping
 * conversions; colours are classes, styled by assets/somon.css (the
 * Content-Security-Policy forbids inline styles). */
#ifndef SOMON_MAP_H
#define SOMON_MAP_H

#include <stddef.h>

#include "buf.h"
#include "date.h"
#include "rules.h"

typedef struct {
    const char *nis;  /* 5-digit NIS code */
    const char *name; /* shown as the tooltip (<title>) */
    muni_state state; /* as every list shows it (rules_muni_states) */
    /* The NIS code of the drawn municipality this one later merged into,
     * or NULL: used when the vintage has no shape for nis (before 2019). */
    const char *part_of;
} map_item;

/* One entry of a map's legend: the class that colours it (assets/somon.css)
 * and its Dutch label, shown in the legend, the tooltips and the
 * description. */
typedef struct {
    const char *cls;
    const char *label;
} map_legend_entry;

typedef struct {
    const map_legend_entry *entries;
    size_t count;  /* at most MAP_LEGEND_MAX */
    size_t absent; /* the entry of a drawn municipality without any item */
    /* The entry of a drawn municipality without an item of its own, from the
     * items part_of it (its former municipalities, before 2019): parts[e] of
     * them are in entry e, total in all (total > 0). */
    size_t (*merge)(const size_t *parts, size_t total);
} map_legend;

enum { MAP_LEGEND_MAX = 10 };

/* Writes <svg role="img" aria-labelledby=…> with every municipality of the
 * vintage of day d as
 *   <g data-href="/municipalities/NIS?QUERY" class="muni" data-nis="NIS">
 *     <title>Name — label of the state</title>
 *     <path class="s-covered" d="…" fill="url(#map-pattern-s-covered)"/></g>
 * (no links inside the image: assets/somon.js follows data-href on a click,
 * and map_figure's list has the links), the patterns in <defs>
 * (class "s-" and the state's name, muni_state_name: s-covered, s-partial,
 * s-signed_no_start, s-pipeline, s-none; a municipality absent from items is
 * drawn as none), and a legend entry for each of the five states. A drawn
 * municipality without an item of its own but with items part_of it (its
 * former municipalities) is drawn by the merger rule of SPEC §3: covered
 * when all of them are, partially covered when some are (covered or
 * partially), else named by a signed agreement without start when one is,
 * else in the pipeline when one is, else none. Before the first vintage the
 * legend says so. Brussels in grey without a link, the
 * province borders on top (class "province"), and a legend. query is added
 * to every link after "?" when not NULL or empty (the caller passes an
 * already URL-encoded query such as "date=2023-06-30"). caption is the
 * accessible name of the map. */
void map_svg(buf *b, date_t d, const map_item *items, size_t n, const char *query, const char *caption);

/* The same map with the caller's legend: items[i] drawn in the class and
 * with the label of legend->entries[entries[i]] (state is not used), a
 * drawn municipality without items in entry legend->absent, one without an
 * item of its own but with items part_of it in legend->merge's entry. The
 * legend lists the entries in their order, five to a column (a second
 * column goes where the note about older maps was, the note below it);
 * the description counts each entry. map_svg is this function with the
 * five states as the legend and the merger rule above. */
void map_svg_legend(buf *b, date_t d, const map_item *items, const size_t *entries, size_t n,
                    const map_legend *legend, const char *query, const char *caption);

/* The map for every reader, as the overview shows it: map_svg_legend's
 * drawing (municipalities not focusable: no links inside role="img"; each
 * entry filled with its own SVG pattern, id "map-pattern-" and the entry's
 * class, colour and marks, so the entries differ without colour too) in
 *   <p id="map-tools"><a class="skip-map" href="#map-list">Ga voorbij de kaart</a>
 *     <a class="map-zoom" href="#map-figure">Kaart vergroten</a></p>
 *   <figure id="map-figure"><div class="map-frame"><svg …></div>
 *     <figcaption><ul class="map-legend"> a swatch with the pattern, label: count
 *     per entry</ul> …</figcaption></figure>
 * and its accessible equivalent after it: <section id="map-list"> with a
 * <details> per province (table order) listing every drawn municipality by
 * name as "<a href=/municipalities/NIS?QUERY>Name</a>: label". map_figure
 * is this with the five states, as map_svg. */
void map_figure_legend(buf *b, date_t d, const map_item *items, const size_t *entries, size_t n,
                       const map_legend *legend, const char *query, const char *caption);
void map_figure(buf *b, date_t d, const map_item *items, size_t n, const char *query, const char *caption);

/* The number of municipalities the map draws on day d (300 or 285; 300
 * before 2019 too, the shapes of 2019). */
size_t map_municipality_count(date_t d);

typedef struct {
    const char *label;    /* e.g. "West-Vlaanderen" */
    const double *values; /* one per month, 0..100; a negative value is a gap */
} chart_series;

/* A line chart of percentages per month: months values from first_month (the
 * first day of a month) onwards, y from 0 to 100 %, one line per series with
 * a legend, year ticks on the x axis, an accessible title and description.
 * The caller shows the same figures in a table for people who cannot see
 * the chart. */
void chart_svg(buf *b, const char *title, date_t first_month, size_t months, const chart_series *series,
               size_t nseries);

#endif
