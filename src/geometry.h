/* geometry.h: the map geometry that tools/mapgen.c generates at build time
 * from the GeoJSON files of data/boundaries/ into build/gen/geometry.c. Only
 * map.c reads it.
 *
 * Every path is an SVG path string in the coordinates of GEO_VIEWBOX: an
 * equirectangular projection (longitude scaled by the cosine of the middle
 * latitude, y downwards), GEO_WIDTH units wide, simplified (Douglas-Peucker
 * on the shared borders, so neighbours keep identical borders) and rounded.
 * One vintage holds the municipalities valid from 1 January of first_year
 * until the next vintage starts; GEO_VINTAGES is in ascending order. All of
 * it is static data: nothing to free. */
#ifndef SOMON_GEOMETRY_H
#define SOMON_GEOMETRY_H

#include <stddef.h>

/* An upper bound of the municipalities of a vintage, so that map.c can keep
 * a state per municipality on the stack; geometry.c asserts it statically. */
#define GEO_MAX_MUNICIPALITIES 400

struct geo_municipality {
    const char *nis;  /* 5-digit NIS code */
    const char *name; /* Dutch name, UTF-8 */
    const char *path;
};

struct geo_province {
    const char *nis;  /* e.g. "10000" */
    const char *name; /* e.g. "Antwerpen (Prov.)" */
    const char *path;
};

struct geo_vintage {
    int first_year; /* valid from 1 January of this year */
    const struct geo_municipality *municipalities; /* the Flemish ones, sorted by nis */
    size_t nmunicipalities;
    const struct geo_province *provinces; /* the five Flemish provinces */
    size_t nprovinces;
    const char *brussels; /* the outline of the Brussels-Capital Region */
};

extern const struct geo_vintage GEO_VINTAGES[];
extern const size_t GEO_NVINTAGES;
extern const char GEO_VIEWBOX[]; /* "min-x min-y width height", a small margin included */
extern const int GEO_WIDTH, GEO_HEIGHT; /* the extent of the projected map, from (0, 0) */

#endif
