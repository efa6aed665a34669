/* mapgen.c: turns the boundaries of data/boundaries/ into the C source of the
 * map geometry (src/geometry.h), so that the server carries its map.
 *   mapgen OUT.c DIR [TOLERANCE [RESOLUTION]]
 * DIR holds the municipality and province GeoJSON files of each vintage
 * (data/SOURCES.md section 3). Every position is projected to SVG units
 * (equirectangular, longitude scaled by the cosine of the middle latitude, y
 * downwards, MAP_WIDTH units wide, one projection for all files so that both
 * vintages share the viewBox).
 *
 * Simplification keeps shared borders shared. The input is topologically
 * clean (neighbours carry the same vertices, the provinces reuse the
 * municipality vertices), so, as TopoJSON does, a vertex whose neighbours are
 * not the same in every ring that contains it is a junction; the rings are cut
 * at the junctions into arcs, and each arc is simplified with Douglas-Peucker
 * (TOLERANCE units, default 0.4) in one canonical direction. Both rings that
 * share an arc therefore keep the same vertices, and rounding (to 1/RESOLUTION
 * unit, default 10) moves a vertex the same way in both: no gaps, no slivers.
 * A ring that simplification would reduce to a line keeps all its vertices
 * (the tiny enclaves of Baarle-Hertog).
 *
 * Paths use relative coordinates ("m" then implicit "l"), the shortest form.
 * OUT.c is written under a temporary name and renamed, so a failure never
 * leaves a half file that make would take as up to date. Exit status: 64 usage,
 * 65 malformed input, 66 missing input, 73/74 output errors. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAP_WIDTH 1000.0
#define MARGIN 2 /* units around the map in the viewBox, for the strokes */

enum { EXIT_USAGE = 64, EXIT_DATA = 65, EXIT_NOINPUT = 66, EXIT_OOM = 71, EXIT_CANTCREAT = 73, EXIT_IO = 74 };

static const struct {
    int first_year;
    const char *label; /* in the names of the generated arrays */
    const char *municipalities, *provinces;
} VINTAGES[] = {
    {2019, "2019", "gemeenten_2019_2024_vlaanderen_brussel.geojson", "provincies_2019_2024_vlaanderen_brussel.geojson"},
    {2025, "2025", "gemeenten_2025_vlaanderen_brussel.geojson", "provincies_2025_vlaanderen_brussel.geojson"},
};
enum { NVINTAGES = sizeof VINTAGES / sizeof *VINTAGES };

static const char BRUSSELS_REGION[] = "4000"; /* its nis in the province files */

/* ---- memory ---- */

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    p = realloc(p, c * size);
    if (!p) {
        fputs("mapgen: out of memory\n", stderr);
        exit(EXIT_OOM);
    }
    *cap = c;
    return p;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p) {
        fputs("mapgen: out of memory\n", stderr);
        exit(EXIT_OOM);
    }
    return p;
}

typedef struct {
    char *s;
    size_t len, cap;
} str;

static void str_add(str *b, const char *s)
{
    size_t n = strlen(s);
    b->s = grow(b->s, &b->cap, b->len + n + 1, 1);
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

/* ---- input ---- */

typedef struct {
    int32_t lon, lat; /* microdegrees: the files have 6 decimals */
} position;

typedef struct {
    size_t first, n; /* positions first .. first + n - 1; the closing repeat is dropped */
    bool hole;
} ring;

typedef struct {
    char *nis, *name;
    size_t ring0, nrings;
} feature;

typedef struct {
    char *path; /* for messages */
    feature *features;
    size_t nfeatures, capf;
    ring *rings;
    size_t nrings, capr;
    position *pos;
    size_t npos, capp;
    int32_t *node; /* per position: its node in the topology of the vintage */
} layer;

static __attribute__((noreturn, format(printf, 2, 3))) void fail(const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "mapgen: %s: ", file);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(EXIT_DATA);
}

static void load_ring(layer *l, const json_t *coords, size_t fi, const char *nis, bool hole)
{
    if (!json_is_array(coords) || json_array_size(coords) < 4)
        fail(l->path, "features[%zu] (nis %s): a ring is not an array of at least 4 positions", fi, nis);
    ring r = {l->npos, 0, hole};
    size_t n = json_array_size(coords);
    position first = {0, 0};
    for (size_t i = 0; i < n; i++) {
        const json_t *p = json_array_get(coords, i);
        const json_t *x = json_array_get(p, 0), *y = json_array_get(p, 1);
        if (!json_is_array(p) || !json_is_number(x) || !json_is_number(y))
            fail(l->path, "features[%zu] (nis %s): a position is not [longitude, latitude]", fi, nis);
        double lon = json_number_value(x), lat = json_number_value(y);
        if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
            fail(l->path, "features[%zu] (nis %s): position [%g, %g] is not WGS84 longitude, latitude", fi, nis, lon,
                 lat);
        position q = {(int32_t)lround(lon * 1e6), (int32_t)lround(lat * 1e6)};
        if (i == 0)
            first = q;
        if (i == n - 1) {
            if (q.lon != first.lon || q.lat != first.lat)
                fail(l->path, "features[%zu] (nis %s): a ring is not closed", fi, nis);
            break;
        }
        if (r.n && q.lon == l->pos[l->npos - 1].lon && q.lat == l->pos[l->npos - 1].lat)
            continue; /* a repeated vertex */
        l->pos = grow(l->pos, &l->capp, l->npos + 1, sizeof *l->pos);
        l->pos[l->npos++] = q;
        r.n++;
    }
    while (r.n > 1 && l->pos[r.first].lon == l->pos[r.first + r.n - 1].lon &&
           l->pos[r.first].lat == l->pos[r.first + r.n - 1].lat) {
        r.n--; /* repeated before the closing position */
        l->npos--;
    }
    if (r.n < 3)
        fail(l->path, "features[%zu] (nis %s): a ring has fewer than 3 distinct positions", fi, nis);
    l->rings = grow(l->rings, &l->capr, l->nrings + 1, sizeof *l->rings);
    l->rings[l->nrings++] = r;
}

static void load_polygon(layer *l, const json_t *rings, size_t fi, const char *nis)
{
    if (!json_is_array(rings) || json_array_size(rings) == 0)
        fail(l->path, "features[%zu] (nis %s): a polygon is not an array of rings", fi, nis);
    for (size_t i = 0; i < json_array_size(rings); i++)
        load_ring(l, json_array_get(rings, i), fi, nis, i > 0);
}

static int by_nis(const void *a, const void *b)
{
    return strcmp(((const feature *)a)->nis, ((const feature *)b)->nis);
}

static void load(layer *l, const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    l->path = malloc(len);
    if (!l->path)
        exit(EXIT_OOM);
    snprintf(l->path, len, "%s/%s", dir, name);
    FILE *f = fopen(l->path, "rb");
    if (!f) {
        fprintf(stderr, "mapgen: %s: %s\n", l->path, strerror(errno));
        exit(EXIT_NOINPUT);
    }
    json_error_t err;
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &err);
    fclose(f);
    if (!root)
        fail(l->path, "line %d, column %d: %s", err.line, err.column, err.text);
    const json_t *features = json_object_get(root, "features");
    if (!json_is_object(root) || !json_is_string(json_object_get(root, "type")) ||
        strcmp(json_string_value(json_object_get(root, "type")), "FeatureCollection") != 0 ||
        !json_is_array(features))
        fail(l->path, "not a GeoJSON FeatureCollection");
    for (size_t i = 0; i < json_array_size(features); i++) {
        const json_t *ft = json_array_get(features, i);
        const json_t *props = json_object_get(ft, "properties"), *geom = json_object_get(ft, "geometry");
        const json_t *nis = json_object_get(props, "nis"), *naam = json_object_get(props, "naam");
        if (!json_is_string(nis) || !json_is_string(naam) || !*json_string_value(nis))
            fail(l->path, "features[%zu]: no string properties \"nis\" and \"naam\"", i);
        const char *code = json_string_value(nis);
        for (const char *c = code; *c; c++)
            if (*c < '0' || *c > '9')
                fail(l->path, "features[%zu]: nis \"%s\" is not a number", i, code);
        const char *type = json_string_value(json_object_get(geom, "type"));
        const json_t *coords = json_object_get(geom, "coordinates");
        feature ftr = {xstrdup(code), xstrdup(json_string_value(naam)), l->nrings, 0};
        if (type && strcmp(type, "Polygon") == 0) {
            load_polygon(l, coords, i, code);
        } else if (type && strcmp(type, "MultiPolygon") == 0) {
            if (!json_is_array(coords) || json_array_size(coords) == 0)
                fail(l->path, "features[%zu] (nis %s): a MultiPolygon without polygons", i, code);
            for (size_t p = 0; p < json_array_size(coords); p++)
                load_polygon(l, json_array_get(coords, p), i, code);
        } else {
            fail(l->path, "features[%zu] (nis %s): the geometry is not a Polygon or MultiPolygon", i, code);
        }
        ftr.nrings = l->nrings - ftr.ring0;
        l->features = grow(l->features, &l->capf, l->nfeatures + 1, sizeof *l->features);
        l->features[l->nfeatures++] = ftr;
    }
    json_decref(root);
    if (l->nfeatures == 0)
        fail(l->path, "no features");
    qsort(l->features, l->nfeatures, sizeof *l->features, by_nis);
    for (size_t i = 1; i < l->nfeatures; i++)
        if (strcmp(l->features[i - 1].nis, l->features[i].nis) == 0)
            fail(l->path, "nis %s appears twice", l->features[i].nis);
}

static void layer_free(layer *l)
{
    for (size_t i = 0; i < l->nfeatures; i++) {
        free(l->features[i].nis);
        free(l->features[i].name);
    }
    free(l->features);
    free(l->rings);
    free(l->pos);
    free(l->node);
    free(l->path);
}

static bool is_brussels_municipality(const char *nis) { return strncmp(nis, "21", 2) == 0; }

/* The provinces 1 (Antwerpen), 3, 4 and 7, and in 2 Vlaams-Brabant (23, 24)
 * and Brussels (21); not Waals-Brabant (25) nor Wallonia (5, 6, 8, 9). */
static bool is_flemish_or_brussels(const char *nis)
{
    return strchr("1347", nis[0]) || (nis[0] == '2' && strchr("134", nis[1]));
}

/* ---- projection ---- */

static struct {
    double lon0, lat1; /* microdegrees of the left and top edges */
    double kx, ky;     /* units per microdegree */
    double width, height;
} proj;

static void set_projection(const layer *layers, size_t n)
{
    int32_t lon0 = INT32_MAX, lon1 = INT32_MIN, lat0 = INT32_MAX, lat1 = INT32_MIN;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < layers[i].npos; j++) {
            const position *p = &layers[i].pos[j];
            lon0 = p->lon < lon0 ? p->lon : lon0;
            lon1 = p->lon > lon1 ? p->lon : lon1;
            lat0 = p->lat < lat0 ? p->lat : lat0;
            lat1 = p->lat > lat1 ? p->lat : lat1;
        }
    double k = cos((lat0 + lat1) / 2e6 * acos(-1.0) / 180);
    proj.lon0 = lon0;
    proj.lat1 = lat1;
    proj.kx = MAP_WIDTH / ((double)lon1 - lon0);
    proj.ky = proj.kx / k;
    proj.width = MAP_WIDTH;
    proj.height = ((double)lat1 - lat0) * proj.ky;
}

/* ---- topology ---- */

typedef struct {
    int32_t lon, lat;
    int32_t a, b; /* the neighbours at the first occurrence (a < b), -1 before */
    bool junction, keep;
    double x, y; /* projected */
} node;

typedef struct {
    node *nodes;
    size_t n, cap;
    int32_t *slots; /* open addressing: node index or -1 */
    size_t mask;
} topology;

static int32_t intern(topology *t, position p)
{
    uint64_t key = ((uint64_t)(uint32_t)p.lon << 32) | (uint32_t)p.lat;
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15u) >> 40) & t->mask;
    for (;; h = (h + 1) & t->mask) {
        int32_t i = t->slots[h];
        if (i < 0)
            break;
        if (t->nodes[i].lon == p.lon && t->nodes[i].lat == p.lat)
            return i;
    }
    t->nodes = grow(t->nodes, &t->cap, t->n + 1, sizeof *t->nodes);
    node *nd = &t->nodes[t->n];
    *nd = (node){p.lon, p.lat, -1, -1, false, false, (p.lon - proj.lon0) * proj.kx, (proj.lat1 - p.lat) * proj.ky};
    t->slots[h] = (int32_t)t->n;
    return (int32_t)t->n++;
}

static int node_cmp(const topology *t, int32_t i, int32_t j)
{
    const node *a = &t->nodes[i], *b = &t->nodes[j];
    if (a->lon != b->lon)
        return a->lon < b->lon ? -1 : 1;
    return a->lat < b->lat ? -1 : a->lat > b->lat;
}

static void find_junctions(topology *t, layer *l)
{
    for (size_t r = 0; r < l->nrings; r++) {
        const ring *rg = &l->rings[r];
        const int32_t *id = l->node + rg->first;
        for (size_t i = 0; i < rg->n; i++) {
            int32_t p = id[(i + rg->n - 1) % rg->n], q = id[(i + 1) % rg->n];
            int32_t a = p < q ? p : q, b = p < q ? q : p;
            node *nd = &t->nodes[id[i]];
            if (nd->a < 0) {
                nd->a = a;
                nd->b = b;
            } else if (nd->a != a || nd->b != b) {
                nd->junction = true;
            }
        }
    }
}

/* A ring without junctions (an island, or a hole filled by one neighbour)
 * gets one at its smallest vertex, which a ring with the same vertices picks
 * too. */
static void close_loops(topology *t, layer *l)
{
    for (size_t r = 0; r < l->nrings; r++) {
        const ring *rg = &l->rings[r];
        const int32_t *id = l->node + rg->first;
        size_t min = 0;
        bool any = false;
        for (size_t i = 0; i < rg->n && !any; i++) {
            any = t->nodes[id[i]].junction;
            if (node_cmp(t, id[i], id[min]) < 0)
                min = i;
        }
        if (!any)
            t->nodes[id[min]].junction = true;
    }
}

static double segment_distance(const node *p, const node *a, const node *b)
{
    double dx = b->x - a->x, dy = b->y - a->y, len2 = dx * dx + dy * dy;
    double s = len2 > 0 ? ((p->x - a->x) * dx + (p->y - a->y) * dy) / len2 : 0;
    s = s < 0 ? 0 : s > 1 ? 1 : s;
    return hypot(p->x - (a->x + s * dx), p->y - (a->y + s * dy));
}

typedef struct {
    int32_t *arc;
    size_t *stack;
    size_t cap_arc, cap_stack;
} scratch;

/* Douglas-Peucker on arc[0..m-1], in the direction that compares smaller,
 * so that the two rings sharing the arc keep the same vertices. */
static void simplify_arc(topology *t, scratch *s, size_t m, double tolerance)
{
    int32_t *arc = s->arc;
    int c = 0;
    for (size_t i = 0; i < m && !c; i++)
        c = node_cmp(t, arc[i], arc[m - 1 - i]);
    if (c > 0)
        for (size_t i = 0; i < m / 2; i++) {
            int32_t tmp = arc[i];
            arc[i] = arc[m - 1 - i];
            arc[m - 1 - i] = tmp;
        }
    t->nodes[arc[0]].keep = t->nodes[arc[m - 1]].keep = true;
    s->stack = grow(s->stack, &s->cap_stack, 2 * m + 2, sizeof *s->stack);
    size_t top = 0;
    s->stack[top++] = 0;
    s->stack[top++] = m - 1;
    while (top) {
        size_t hi = s->stack[--top], lo = s->stack[--top];
        double worst = -1;
        size_t at = 0;
        for (size_t i = lo + 1; i < hi; i++) {
            double d = segment_distance(&t->nodes[arc[i]], &t->nodes[arc[lo]], &t->nodes[arc[hi]]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        if (worst > tolerance) {
            t->nodes[arc[at]].keep = true;
            s->stack[top++] = lo;
            s->stack[top++] = at;
            s->stack[top++] = at;
            s->stack[top++] = hi;
        }
    }
}

static void simplify(topology *t, layer *l, scratch *s, double tolerance)
{
    for (size_t r = 0; r < l->nrings; r++) {
        const ring *rg = &l->rings[r];
        const int32_t *id = l->node + rg->first;
        size_t start = 0;
        while (!t->nodes[id[start]].junction)
            start++; /* close_loops() made sure there is one */
        s->arc = grow(s->arc, &s->cap_arc, rg->n + 1, sizeof *s->arc);
        size_t m = 0;
        for (size_t k = 0; k <= rg->n; k++) {
            int32_t v = id[(start + k) % rg->n];
            s->arc[m++] = v;
            if (k > 0 && t->nodes[v].junction) {
                simplify_arc(t, s, m, tolerance);
                s->arc[0] = v;
                m = 1;
            }
        }
    }
}

/* ---- output ---- */

typedef struct {
    int64_t x, y; /* in 1/RESOLUTION units */
} point;

static point grid_point(const node *nd, int resolution)
{
    return (point){llround(nd->x * resolution), llround(nd->y * resolution)};
}

/* The ring as grid points without repeats; returns the count. */
static size_t ring_points(const topology *t, const layer *l, const ring *rg, bool kept_only, int resolution, point *out)
{
    size_t n = 0;
    for (size_t i = 0; i < rg->n; i++) {
        const node *nd = &t->nodes[l->node[rg->first + i]];
        if (kept_only && !nd->keep)
            continue;
        point p = grid_point(nd, resolution);
        if (n && p.x == out[n - 1].x && p.y == out[n - 1].y)
            continue;
        out[n++] = p;
    }
    while (n > 1 && out[0].x == out[n - 1].x && out[0].y == out[n - 1].y)
        n--;
    return n;
}

static void add_number(str *b, int64_t v, int resolution, char *last)
{
    char num[32];
    snprintf(num, sizeof num, "%.3f", (double)v / resolution);
    char *end = num + strlen(num);
    while (end[-1] == '0')
        *--end = '\0';
    if (end[-1] == '.')
        *--end = '\0';
    char *p = num;
    if (p[0] == '0' && p[1] == '.')
        p++;
    else if (p[0] == '-' && p[1] == '0' && p[2] == '.') {
        p[1] = '-';
        p++;
    }
    if (strcmp(p, "-0") == 0)
        p = "0";
    /* a sign separates numbers, and so does a second decimal point */
    if (*last && !(p[0] == '-' || (p[0] == '.' && strchr(last, '.'))))
        str_add(b, " ");
    str_add(b, p);
    snprintf(last, 32, "%s", p);
}

static void feature_path(const topology *t, const layer *l, const feature *f, int resolution, str *out,
                         size_t *dropped)
{
    out->len = 0;
    str_add(out, "");
    point *pts = NULL, start = {0, 0};
    size_t cap = 0;
    bool first = true;
    for (size_t r = f->ring0; r < f->ring0 + f->nrings; r++) {
        const ring *rg = &l->rings[r];
        pts = grow(pts, &cap, rg->n, sizeof *pts);
        size_t n = ring_points(t, l, rg, true, resolution, pts);
        if (n < 3)
            n = ring_points(t, l, rg, false, resolution, pts);
        if (n < 3) {
            ++*dropped;
            continue;
        }
        /* outer rings one way round, holes the other, for the nonzero fill rule */
        double area = 0;
        for (size_t i = 0; i < n; i++) {
            const point *a = &pts[i], *b = &pts[(i + 1) % n];
            area += (double)a->x * b->y - (double)b->x * a->y;
        }
        if ((area < 0) != rg->hole)
            for (size_t i = 0; i < n / 2; i++) {
                point tmp = pts[i];
                pts[i] = pts[n - 1 - i];
                pts[n - 1 - i] = tmp;
            }
        char last[32] = "";
        str_add(out, "m");
        add_number(out, first ? pts[0].x : pts[0].x - start.x, resolution, last);
        add_number(out, first ? pts[0].y : pts[0].y - start.y, resolution, last);
        for (size_t i = 1; i < n; i++) {
            add_number(out, pts[i].x - pts[i - 1].x, resolution, last);
            add_number(out, pts[i].y - pts[i - 1].y, resolution, last);
        }
        str_add(out, "z");
        start = pts[0];
        first = false;
    }
    free(pts);
}

/* A C string literal, broken into lines of about 120 characters. */
static void put_literal(FILE *out, const char *s, const char *indent)
{
    size_t col = 0;
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (col >= 120) {
            fprintf(out, "\"\n%s\"", indent);
            col = 0;
        }
        if (*c == '"' || *c == '\\' || *c == '?') /* '?' against trigraphs */
            col += (size_t)fprintf(out, "\\%c", *c);
        else if (*c < 0x20 || *c == 0x7f)
            col += (size_t)fprintf(out, "\\%03o", *c);
        else
            col += (size_t)(fputc(*c, out) != EOF);
    }
    fputc('"', out);
}

typedef struct {
    layer munis, provinces;
    topology topo;
} vintage;

static void write_vintage(FILE *out, const vintage *v, size_t vi, int resolution, size_t *dropped)
{
    str path = {0};
    const char *label = VINTAGES[vi].label;
    fprintf(out, "static const struct geo_municipality municipalities_%s[] = {\n", label);
    size_t count = 0;
    for (size_t i = 0; i < v->munis.nfeatures; i++) {
        const feature *f = &v->munis.features[i];
        if (is_brussels_municipality(f->nis))
            continue;
        feature_path(&v->topo, &v->munis, f, resolution, &path, dropped);
        fputs("    {", out);
        put_literal(out, f->nis, "     ");
        fputs(", ", out);
        put_literal(out, f->name, "     ");
        fputs(",\n     ", out);
        put_literal(out, path.s, "     ");
        fputs("},\n", out);
        count++;
    }
    fprintf(out, "};\n_Static_assert(%zu <= GEO_MAX_MUNICIPALITIES, \"raise GEO_MAX_MUNICIPALITIES\");\n\n", count);
    fprintf(out, "static const struct geo_province provinces_%s[] = {\n", label);
    size_t nprov = 0;
    const feature *brussels = NULL;
    for (size_t i = 0; i < v->provinces.nfeatures; i++) {
        const feature *f = &v->provinces.features[i];
        if (strcmp(f->nis, BRUSSELS_REGION) == 0) {
            brussels = f;
            continue;
        }
        feature_path(&v->topo, &v->provinces, f, resolution, &path, dropped);
        fputs("    {", out);
        put_literal(out, f->nis, "     ");
        fputs(", ", out);
        put_literal(out, f->name, "     ");
        fputs(",\n     ", out);
        put_literal(out, path.s, "     ");
        fputs("},\n", out);
        nprov++;
    }
    fputs("};\n\n", out);
    feature_path(&v->topo, &v->provinces, brussels, resolution, &path, dropped);
    fprintf(out, "static const char brussels_%s[] =\n    ", label);
    put_literal(out, path.s, "    ");
    fputs(";\n\n", out);
    free(path.s);
    fprintf(out, "#define VINTAGE_%s {%d, municipalities_%s, %zu, provinces_%s, %zu, brussels_%s}\n\n", label,
            VINTAGES[vi].first_year, label, count, label, nprov, label);
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fputs("usage: mapgen OUT.c DIR [TOLERANCE [RESOLUTION]]\n", stderr);
        return EXIT_USAGE;
    }
    double tolerance = argc > 3 ? strtod(argv[3], NULL) : 0.4;
    int resolution = argc > 4 ? atoi(argv[4]) : 10;
    if (!(tolerance >= 0) || resolution < 1 || resolution > 1000) {
        fputs("mapgen: TOLERANCE must be >= 0 and RESOLUTION in 1..1000\n", stderr);
        return EXIT_USAGE;
    }

    vintage v[NVINTAGES];
    memset(v, 0, sizeof v);
    layer all[2 * NVINTAGES];
    for (size_t i = 0; i < NVINTAGES; i++) {
        load(&v[i].munis, argv[2], VINTAGES[i].municipalities);
        load(&v[i].provinces, argv[2], VINTAGES[i].provinces);
        size_t flemish = 0;
        for (size_t f = 0; f < v[i].munis.nfeatures; f++) {
            if (strlen(v[i].munis.features[f].nis) != 5)
                fail(v[i].munis.path, "nis %s is not a 5-digit municipality code", v[i].munis.features[f].nis);
            if (!is_flemish_or_brussels(v[i].munis.features[f].nis))
                fail(v[i].munis.path, "nis %s is neither Flemish nor in Brussels", v[i].munis.features[f].nis);
            flemish += !is_brussels_municipality(v[i].munis.features[f].nis);
        }
        if (flemish == 0)
            fail(v[i].munis.path, "no Flemish municipality");
        bool region = false;
        for (size_t f = 0; f < v[i].provinces.nfeatures; f++)
            region |= strcmp(v[i].provinces.features[f].nis, BRUSSELS_REGION) == 0;
        if (!region)
            fail(v[i].provinces.path, "no Brussels-Capital Region (nis %s)", BRUSSELS_REGION);
        all[2 * i] = v[i].munis;
        all[2 * i + 1] = v[i].provinces;
    }
    set_projection(all, 2 * NVINTAGES);

    scratch s = {0};
    for (size_t i = 0; i < NVINTAGES; i++) {
        topology *t = &v[i].topo;
        layer *ls[2] = {&v[i].munis, &v[i].provinces};
        size_t total = v[i].munis.npos + v[i].provinces.npos, nslots = 1024;
        while (nslots < 2 * total)
            nslots *= 2;
        t->slots = malloc(nslots * sizeof *t->slots);
        if (!t->slots)
            return EXIT_OOM;
        memset(t->slots, 0xff, nslots * sizeof *t->slots);
        t->mask = nslots - 1;
        for (size_t k = 0; k < 2; k++) {
            ls[k]->node = malloc((ls[k]->npos + 1) * sizeof *ls[k]->node);
            if (!ls[k]->node)
                return EXIT_OOM;
            for (size_t p = 0; p < ls[k]->npos; p++)
                ls[k]->node[p] = intern(t, ls[k]->pos[p]);
        }
        for (size_t k = 0; k < 2; k++)
            find_junctions(t, ls[k]);
        for (size_t k = 0; k < 2; k++)
            close_loops(t, ls[k]);
        for (size_t k = 0; k < 2; k++)
            simplify(t, ls[k], &s, tolerance);
    }
    free(s.arc);
    free(s.stack);

    size_t tmplen = strlen(argv[1]) + 5;
    char *tmp = malloc(tmplen);
    if (!tmp)
        return EXIT_OOM;
    snprintf(tmp, tmplen, "%s.tmp", argv[1]);
    FILE *out = fopen(tmp, "w");
    if (!out) {
        fprintf(stderr, "mapgen: %s: %s\n", tmp, strerror(errno));
        return EXIT_CANTCREAT;
    }
    fprintf(out, "/* generated by tools/mapgen.c from data/boundaries/ (tolerance %g, resolution 1/%d): do not "
                 "edit */\n#include \"geometry.h\"\n\n",
            tolerance, resolution);
    int width = (int)ceil(proj.width), height = (int)ceil(proj.height);
    fprintf(out, "const int GEO_WIDTH = %d, GEO_HEIGHT = %d;\n", width, height);
    fprintf(out, "const char GEO_VIEWBOX[] = \"%d %d %d %d\";\n\n", -MARGIN, -MARGIN, width + 2 * MARGIN,
            height + 2 * MARGIN);
    size_t dropped = 0;
    for (size_t i = 0; i < NVINTAGES; i++)
        write_vintage(out, &v[i], i, resolution, &dropped);
    fputs("const struct geo_vintage GEO_VINTAGES[] = {", out);
    for (size_t i = 0; i < NVINTAGES; i++)
        fprintf(out, "%sVINTAGE_%s", i ? ", " : "", VINTAGES[i].label);
    fprintf(out, "};\nconst size_t GEO_NVINTAGES = %d;\n", (int)NVINTAGES);
    if (dropped)
        fprintf(stderr, "mapgen: %zu rings smaller than the resolution left out\n", dropped);

    bool bad = ferror(out) != 0;
    bad |= fclose(out) != 0;
    if (bad || rename(tmp, argv[1]) != 0) {
        fprintf(stderr, "mapgen: %s: %s\n", bad ? tmp : argv[1], strerror(errno));
        remove(tmp);
        return EXIT_IO;
    }
    free(tmp);
    for (size_t i = 0; i < NVINTAGES; i++) {
        layer_free(&v[i].munis);
        layer_free(&v[i].provinces);
        free(v[i].topo.nodes);
        free(v[i].topo.slots);
    }
    return 0;
}
