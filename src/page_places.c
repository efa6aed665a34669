/* page_places.c: municipalities, provinces and regiegebieden — the lists
 * behind every number of the overview and a page for each place. */
#define _GNU_SOURCE /* qsort_r */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "page_cooperation.h"
#include "pages.h"
#include "report.h"

/* ---- coverage of the municipalities on one date ---------------------------- */

typedef struct {
    date_t date;
    rules_basis basis;
    rules_coverage cov;
    unsigned char *pipeline; /* [map count] */
    rules_unstarted unstarted; /* the signed agreements without start on the date (SPEC §3) */
} place_state;

/* "A signed agreement without a start date is in force on no date, but every
 * report that lists agreements still shows it" (SPEC §3). */
static bool without_start(const rules_agreement *a)
{
    return (a->status == STATUS_SIGNED || a->status == STATUS_TERMINATED) && a->start == DATE_NONE;
}

static bool evaluate(request *rq, const register_view *v, date_t d, rules_basis basis, place_state *ps)
{
    ps->date = d;
    ps->basis = basis;
    ps->pipeline = arena_calloc(rq->arena, v->map.count + 1, 1);
    if (rules_coverage_eval(&ps->cov, &v->map, v->rules_agreements, v->agreement_count, v->rules_regions,
                            v->region_count, d, basis, RULES_LINKS)) {
        web_error(rq, 503, "unavailable", "De dekking kon niet berekend worden.");
        return false;
    }
    if ((basis == BASIS_ACTUAL &&
         rules_pipeline_eval(&v->map, v->rules_agreements, v->agreement_count, d, ps->cov.state, ps->pipeline)) ||
        rules_unstarted_eval(&ps->unstarted, &v->map, v->rules_agreements, v->agreement_count, d, ps->cov.state)) {
        rules_coverage_free(&ps->cov);
        web_error(rq, 503, "unavailable", "De dekking kon niet berekend worden.");
        return false;
    }
    return true;
}

static void place_free(place_state *ps)
{
    rules_coverage_free(&ps->cov);
    rules_unstarted_free(&ps->unstarted);
}

/* What identity i (valid on the date) is shown as. */
static muni_state shown_state(const place_state *ps, size_t i)
{
    return rules_muni_state((cover_state)ps->cov.state[i], ps->unstarted.marked[i], ps->pipeline[i]);
}

/* The states in the order the filters offer them. */
static const muni_state FILTER_STATES[] = {MUNI_COVERED, MUNI_PARTIAL, MUNI_SIGNED_NO_START, MUNI_PIPELINE, MUNI_NONE};

/* The agreements covering identity id on the date — its own parties, or when
 * it has none those of its former municipalities — as indices, no doubles. */
static size_t covering(const register_view *v, const place_state *ps, int id, int depth, int *out, size_t n)
{
    const rules_link *l;
    size_t links = rules_links_of(&ps->cov, id, &l);
    for (size_t k = 0; k < links; k++) {
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen = seen || out[j] == l[k].agreement;
        if (!seen && n < 32)
            out[n++] = l[k].agreement;
    }
    const rules_unstarted_link *u;
    size_t named = rules_unstarted_links_of(&ps->unstarted, id, &u);
    for (size_t k = 0; k < named; k++) {
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen = seen || out[j] == u[k].agreement;
        if (!seen && n < 32)
            out[n++] = u[k].agreement;
    }
    const rules_municipality *mu = &v->map.items[id];
    for (int p = 0; !links && depth < 8 && p < mu->pred_count; p++)
        n = covering(v, ps, v->map.preds[mu->first_pred + p], depth + 1, out, n);
    return n;
}

/* Case-insensitive for ASCII letters; other bytes must match exactly. */
static bool contains_text(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *h = hay; *h; h++) {
        size_t k = 0;
        while (k < n && h[k] &&
               (h[k] == needle[k] || ((h[k] | 0x20) == (needle[k] | 0x20) && (h[k] | 0x20) >= 'a' && (h[k] | 0x20) <= 'z')))
            k++;
        if (k == n)
            return true;
    }
    return n == 0;
}

static int by_province_name(const void *p, const void *q, void *context)
{
    const register_view *v = context;
    const view_municipality *a = &v->municipalities[*(const size_t *)p], *b = &v->municipalities[*(const size_t *)q];
    if (a->province != b->province)
        return a->province - b->province;
    int c = strcmp(a->name, b->name);
    /* ties (two identities of one name) in the view's order, NIS then date:
     * every page of a list holds the same rows each time (issue 12) */
    return c ? c : (*(const size_t *)p > *(const size_t *)q) - (*(const size_t *)p < *(const size_t *)q);
}

typedef struct {
    int province;     /* -1: all */
    bool by_state;    /* only those shown as state */
    muni_state state;
    const char *text;
    const char *region; /* "any": in a regiegebied on the date, "none": in none; NULL: all */
    char **regions;     /* [map count]: the ids of the regiegebieden each identity is in on the date, or NULL */
    const char *outreach;  /* without an agreement, by outreach stage on the date (page_cooperation.h); NULL: all */
    signed char *stages;   /* [map count] when outreach is set */
} muni_filter;

/* The identity valid on d that code's territory is part of: its own, or that
 * of the municipality it merged into (a member named as it was on its first
 * day may have merged since). -1 when none. */
static int identity_or_successor(const register_view *v, int code, date_t d)
{
    int id = rules_identity_on(&v->map, code, d);
    if (id >= 0 || code < 0 || v->map.code_first[code] < 0)
        return id;
    /* the last identity of the code, then its successors up to d */
    int at = v->map.code_first[code] + v->map.code_count[code] - 1;
    for (int depth = 0; depth < 8 && at >= 0 && !rules_municipality_valid_on(&v->map.items[at], d); depth++) {
        int next = -1;
        for (size_t i = 0; i < v->map.count && next < 0; i++)
            for (int p = 0; p < v->map.items[i].pred_count; p++)
                if (v->map.preds[v->map.items[i].first_pred + p] == at && (int)i != at)
                    next = (int)i;
        at = next;
    }
    return at >= 0 && rules_municipality_valid_on(&v->map.items[at], d) ? at : -1;
}

/* Which regiegebieden each identity valid on d is in on d, through the
 * members on that day (SPEC §5: members are dated). NULL when the register
 * cannot be read. */
static char **regions_on(request *rq, const register_view *v, date_t d)
{
    regiegebied *regions;
    size_t nr;
    if (store_get_regiegebieden(rq->db, web_known(rq), rq->arena, &regions, &nr))
        return NULL;
    char **out = arena_calloc(rq->arena, v->map.count + 1, sizeof *out);
    for (size_t r = 0; r < nr; r++)
        for (size_t k = 0; k < regions[r].member_count; k++) {
            const dated_member *m = &regions[r].members[k];
            int id = region_member_on(&regions[r], m, d) ? identity_or_successor(v, nis_code(m->municipality), d) : -1;
            if (id < 0 || (out[id] && strstr(out[id], regions[r].id)))
                continue;
            out[id] = out[id] ? arena_printf(rq->arena, "%s %s", out[id], regions[r].id) : regions[r].id;
        }
    return out;
}

/* Without an agreement on the date (state none: not one in force, signed
 * or in the pipeline either, as the outreach map and the footnotes' "nothing
 * in sight" read it) and at the outreach stage asked for (issue 10). */
static bool outreach_passes(const place_state *ps, const muni_filter *f, size_t i)
{
    return f->stages && shown_state(ps, i) == MUNI_NONE &&
           page_outreach_filter_match(f->outreach, f->stages[i]);
}

/* Every identity of the view by province, name, NIS and first day: sorted
 * once per register version (web_known) and kept for the next list, since a
 * list of 100,000 municipalities spent a third of its time sorting them (issue
 * 12). The one array of the process, replaced when another version asks;
 * requests copy it into their arena under the lock. */
static struct {
    pthread_mutex_t lock;
    int64_t known;
    size_t count;
    size_t *order;
} place_order = {PTHREAD_MUTEX_INITIALIZER, -1, 0, NULL};

static size_t *ordered_identities(request *rq, const register_view *v)
{
    size_t n = v->map.count, *out = arena_calloc(rq->arena, n + 1, sizeof *out);
    pthread_mutex_lock(&place_order.lock);
    bool kept = place_order.order && place_order.known == web_known(rq) && place_order.count == n;
    if (kept)
        memcpy(out, place_order.order, n * sizeof *out);
    pthread_mutex_unlock(&place_order.lock);
    if (kept)
        return out;
    for (size_t i = 0; i < n; i++)
        out[i] = i;
    if (n)
        qsort_r(out, n, sizeof *out, by_province_name, (void *)v);
    size_t *copy = malloc((n + 1) * sizeof *copy);
    if (!copy)
        return out; /* sorted for this request alone */
    memcpy(copy, out, n * sizeof *copy);
    pthread_mutex_lock(&place_order.lock);
    free(place_order.order);
    place_order.order = copy;
    place_order.known = web_known(rq);
    place_order.count = n;
    pthread_mutex_unlock(&place_order.lock);
    return out;
}

static size_t select_municipalities(request *rq, const register_view *v, const place_state *ps, const muni_filter *f,
                                    size_t **out)
{
    size_t *rows = ordered_identities(rq, v), n = 0;
    for (size_t k = 0; k < v->map.count; k++) {
        size_t i = rows[k]; /* rows[n] ≤ rows[k]: filtered in place */
        const view_municipality *m = &v->municipalities[i];
        if (!rules_municipality_valid_on(&v->map.items[i], ps->date) || (f->province >= 0 && m->province != f->province) ||
            (f->by_state && f->state != shown_state(ps, i)) ||
            (f->text && *f->text && !contains_text(m->name, f->text) && !strstr(m->nis, f->text)) ||
            (f->region && f->regions && (strcmp(f->region, "none") == 0) != !f->regions[i]) ||
            (f->outreach && !outreach_passes(ps, f, i)))
            continue;
        rows[n++] = i;
    }
    *out = rows;
    return n;
}

static const char *const MUNI_KEYS[] = {"nis", "municipality", "province", "coverage", "agreements", "regiegebieden"};
static const char *const MUNI_LABELS[] = {"NIS", "Gemeente", "Provincie", "Dekking", "Overeenkomsten",
                                          "Regiegebieden"};

/* regions: the regiegebieden per identity on the date (regions_on), or NULL
 * to leave the column empty. */
static void municipality_data(request *rq, const register_view *v, const place_state *ps, const size_t *rows, size_t n,
                              char *const *regions, table *t)
{
    table_init(t, rq->arena, "Gemeenten", MUNI_KEYS, MUNI_LABELS, 6);
    table_reserve(t, n);
    buf list = {0};
    for (size_t k = 0; k < n; k++) {
        size_t i = rows[k];
        int ags[32];
        size_t na = covering(v, ps, (int)i, 0, ags, 0);
        const char *ids = na == 1 ? v->agreements[ags[0]].id : "";
        if (na > 1) {
            list.len = 0;
            for (size_t j = 0; j < na; j++) {
                if (j)
                    buf_putc(&list, ' ');
                buf_puts(&list, v->agreements[ags[j]].id);
            }
            ids = arena_strndup(rq->arena, list.data, list.len);
        }
        cell *c = table_row(t);
        c[0] = cell_text(v->municipalities[i].nis);
        c[1] = cell_text(v->municipalities[i].name);
        c[2] = cell_text(province_name(v->municipalities[i].province));
        c[3] = cell_text(muni_state_label_nl(shown_state(ps, i)));
        c[4] = cell_text(ids);
        c[5] = cell_text(regions && regions[i] ? regions[i] : "");
    }
    buf_free(&list);
}

/* Rows per page of the lists of municipalities: the 300 of Flanders fit on one. */
enum { MUNI_PAGE = 500 };

/* The page of rows [first, last) of the list. */
static void municipality_html(request *rq, const register_view *v, const place_state *ps, const size_t *rows,
                              size_t first, size_t last, const char *caption)
{
    buf *b = &rq->body;
    const char *carry = page_carry_default(rq);
    buf_fmt(b, "<div class=\"scroll\"><table class=\"list\">\n<caption>%h</caption>\n<thead><tr><th scope=\"col\">"
               "Gemeente</th><th scope=\"col\">Provincie</th><th scope=\"col\">Dekking</th><th scope=\"col\">"
               "Overeenkomsten</th></tr></thead>\n<tbody>\n",
            caption);
    for (size_t k = first; k < last; k++) {
        size_t i = rows[k];
        muni_state st = shown_state(ps, i);
        buf_fmt(b, "<tr><th scope=\"row\"><a href=\"/municipalities/%U%s%a\">%h</a> <span class=\"id\">%h</span></th>"
                   "<td>%h</td><td><span class=\"state s-%a\">%h</span></td><td>",
                v->municipalities[i].nis, *carry ? "?" : "", carry, v->municipalities[i].name, v->municipalities[i].nis,
                province_name(v->municipalities[i].province), muni_state_name(st), muni_state_label_nl(st));
        int ags[32];
        size_t na = covering(v, ps, (int)i, 0, ags, 0);
        for (size_t j = 0; j < na; j++)
            buf_fmt(b, "%s<a href=\"/agreements/%U%s%a\">%h</a>%s", j ? "; " : "", v->agreements[ags[j]].id,
                    *carry ? "?" : "", carry, v->agreements[ags[j]].title,
                    without_start(&v->rules_agreements[ags[j]]) ? " (ondertekend, begindatum onbekend)" : "");
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

/* date, basis, province and state parameters shared by the lists. */
static bool list_params(request *rq, date_t *d, rules_basis *basis, muni_filter *f)
{
    *d = web_date_param(rq, "date", web_today());
    if (*d == DATE_NONE)
        return false;
    const char *b = web_param(rq, "basis");
    *basis = b && strcmp(b, "prognosis") == 0 ? BASIS_PROGNOSIS : BASIS_ACTUAL;
    if (b && *b && strcmp(b, "prognosis") != 0 && strcmp(b, "actual") != 0) {
        web_error(rq, 400, "bad_basis", "De parameter basis moet actual of prognosis zijn.");
        return false;
    }
    const char *state = web_param(rq, "state");
    *f = (muni_filter){-1, state && *state, MUNI_NONE, web_param(rq, "q"), web_param(rq, "regiegebied"), NULL, NULL, NULL};
    if (!page_outreach_filter_param(rq, &f->outreach))
        return false;
    if (f->region && !*f->region)
        f->region = NULL;
    if (f->region && strcmp(f->region, "any") != 0 && strcmp(f->region, "none") != 0) {
        web_error(rq, 400, "bad_regiegebied", "De parameter regiegebied moet any of none zijn.");
        return false;
    }
    if (!web_province_param(rq, &f->province))
        return false;
    if (f->by_state && !muni_state_parse(state, &f->state)) {
        web_error(rq, 400, "bad_state",
                  "De parameter state moet covered, partial, signed_no_start, pipeline of none zijn.");
        return false;
    }
    return true;
}

static void list_form(request *rq, const char *target, date_t d, const muni_filter *f, bool with_text)
{
    buf *b = &rq->body;
    char iso[DATE_ISO_LEN];
    buf_fmt(b, "<form class=\"filters\" method=\"get\" action=\"%a\">\n<p><label for=\"date\">Datum</label> "
               "<input type=\"date\" id=\"date\" name=\"date\" value=\"%a\" required>\n",
            target, date_format_iso(d, iso));
    if (with_text)
        buf_fmt(b, "<label for=\"q\">Naam of NIS-code</label> <input type=\"search\" id=\"q\" name=\"q\" value=\"%a\">\n",
                f->text ? f->text : "");
    buf_puts(b, "<label for=\"province\">Provincie</label> <select id=\"province\" name=\"province\">"
                "<option value=\"\">alle</option>");
    for (int p = 0; p < PROVINCE_COUNT; p++)
        buf_fmt(b, "<option%s>%h</option>", p == f->province ? " selected" : "", province_name(p));
    buf_puts(b, "</select>\n<label for=\"state\">Dekking</label> <select id=\"state\" name=\"state\">"
                "<option value=\"\">alle</option>");
    for (size_t i = 0; i < sizeof FILTER_STATES / sizeof *FILTER_STATES; i++)
        buf_fmt(b, "<option value=\"%a\"%s>%h</option>", muni_state_name(FILTER_STATES[i]),
                f->by_state && f->state == FILTER_STATES[i] ? " selected" : "", muni_state_label_nl(FILTER_STATES[i]));
    buf_puts(b, "</select>\n");
    if (with_text) {
        buf_puts(b, "<label for=\"regiegebied\">Regiegebied</label> <select id=\"regiegebied\" name=\"regiegebied\">"
                    "<option value=\"\">alle</option>");
        buf_fmt(b, "<option value=\"any\"%s>in een regiegebied</option><option value=\"none\"%s>in geen regiegebied"
                   "</option></select>\n",
                f->region && strcmp(f->region, "any") == 0 ? " selected" : "",
                f->region && strcmp(f->region, "none") == 0 ? " selected" : "");
        page_outreach_filter_select(rq, f->outreach);
    }
    const char *basis = web_param(rq, "basis");
    if (basis && *basis)
        buf_fmt(b, "<input type=\"hidden\" name=\"basis\" value=\"%a\">\n", basis);
    page_hidden_known_at(rq);
    buf_puts(b, "<button type=\"submit\">Toon</button></p>\n</form>\n");
}

void page_municipality_list(request *rq)
{
    date_t d;
    rules_basis basis;
    muni_filter f;
    long page;
    if (!list_params(rq, &d, &basis, &f) || !(page = page_number(rq)))
        return;
    const register_view *v = web_view(rq);
    place_state ps;
    if (!v || !evaluate(rq, v, d, basis, &ps))
        return;
    /* the regiegebieden of each municipality: for the filter and the download's column */
    if (((f.region || page_wants_download(rq)) && !(f.regions = regions_on(rq, v, d))) || (f.outreach && !(f.stages = page_outreach_stages(rq, v, d)))) {
        place_free(&ps);
        web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden.");
        return;
    }
    size_t *rows, n = select_municipalities(rq, v, &ps, &f, &rows);
    table t;
    char iso[DATE_ISO_LEN];
    if (page_wants_download(rq)) {
        if (web_table_begin(rq, arena_printf(rq->arena, "gemeenten-%s", date_format_iso(d, iso)))) {
            municipality_data(rq, v, &ps, rows, n, f.regions, &t); /* each row written as it is made */
            web_table_end(rq, &t);
        }
    } else {
        size_t first, last;
        page = page_slice(page, n, MUNI_PAGE, &first, &last);
        page_begin(rq, "Gemeenten", NAV_MUNICIPALITIES);
        buf_fmt(&rq->body, "<h1>Gemeenten op %h%s</h1>\n", page_date(rq, d),
                basis == BASIS_PROGNOSIS ? " (prognose)" : "");
        list_form(rq, "/municipalities", d, &f, true);
        buf_fmt(&rq->body, "<p role=\"status\">%zu gemeente%s%s%s.</p>\n", n, n == 1 ? "" : "n",
                !f.region ? "" : strcmp(f.region, "none") == 0 ? " in geen regiegebied" : " in een regiegebied",
                f.outreach ? " zonder overeenkomst, met dit stadium van toenadering" : "");
        buf_puts(&rq->body, "<p><a href=\"/cooperations\">Andere samenwerking met VDAB</a> (zonder overeenkomst)</p>\n");
        municipality_html(rq, v, &ps, rows, first, last,
                          basis == BASIS_PROGNOSIS ? "Gemeenten en hun dekking in de prognose" : "Gemeenten en hun dekking");
        page_pager(rq, page, n, MUNI_PAGE);
        page_downloads(rq);
        page_end(rq);
    }
    place_free(&ps);
}

/* ---- one municipality ------------------------------------------------------ */

/* Identities of the family: this code's, and those of its former
 * municipalities (recursively), so a merged municipality shows the history
 * of its territory. */
static size_t family(const register_view *v, int code, int *out, size_t cap)
{
    size_t n = 0;
    int first = v->map.code_first[code];
    for (int i = 0; first >= 0 && i < v->map.code_count[code] && n < cap; i++)
        out[n++] = first + i;
    for (size_t k = 0; k < n; k++) {
        const rules_municipality *mu = &v->map.items[out[k]];
        for (int p = 0; p < mu->pred_count && n < cap; p++) {
            int pred = v->map.preds[mu->first_pred + p];
            bool seen = false;
            for (size_t j = 0; j < n; j++)
                seen = seen || out[j] == pred;
            if (!seen)
                out[n++] = pred;
        }
    }
    return n;
}

static int successor_of(const register_view *v, int id)
{
    for (size_t i = 0; i < v->map.count; i++)
        for (int p = 0; p < v->map.items[i].pred_count; p++)
            if (v->map.preds[v->map.items[i].first_pred + p] == id && (int)i != id)
                return (int)i;
    return -1;
}

typedef struct {
    int agreement, party, identity;
    date_t from, to; /* from DATE_NONE: signed without start */
    bool expected;
} span_row;

/* A timeline of the agreements as SVG bars, from January of the year the
 * earliest begins (this year at the latest) to the end of next year. */
static void timeline_svg(request *rq, const register_view *v, const span_row *rows, size_t n)
{
    int y, m, d, y0;
    date_to_ymd(web_today(), &y, &m, &d);
    y0 = y;
    for (size_t k = 0; k < n; k++) {
        int ry, rm, rd;
        date_to_ymd(rows[k].from, &ry, &rm, &rd);
        y0 = rows[k].from != DATE_NONE && ry < y0 ? ry : y0;
    }
    date_t start = date_from_ymd(y0, 1, 1), end = date_from_ymd(y + 2, 1, 1);
    int every = (y + 2 - y0 + 19) / 20; /* at most about 20 year labels */
    const double width = 800, left = 0, row_h = 26, top = 24;
    double scale = width / (double)(end - start);
    buf *b = &rq->body;
    buf_fmt(b, "<svg class=\"timeline\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"tl-title\">"
               "<title id=\"tl-title\">Tijdlijn van de overeenkomsten (de tabel eronder geeft dezelfde data)</title>\n",
            (int)width, (int)(top + row_h * (double)(n ? n : 1) + 8));
    for (int yy = y0; yy <= y + 1; yy += every) {
        double x = left + scale * (double)(date_from_ymd(yy, 1, 1) - start);
        buf_printf(b, "<line class=\"tick\" x1=\"%.1f\" y1=\"16\" x2=\"%.1f\" y2=\"%.1f\"/>"
                      "<text class=\"tick-label\" x=\"%.1f\" y=\"12\">%d</text>\n",
                   x, x, top + row_h * (double)(n ? n : 1), x + 2, yy);
    }
    for (size_t k = 0; k < n; k++) {
        if (rows[k].from == DATE_NONE) { /* no start: no bar, only what is known */
            buf_fmt(b, "<text class=\"bar-label\" x=\"4\" y=\"%a\">%h (ondertekend, begindatum onbekend)</text>\n",
                    arena_printf(rq->arena, "%.1f", top + row_h * (double)k + row_h / 2 + 4),
                    v->agreements[rows[k].agreement].title);
            continue;
        }
        date_t f = rows[k].from < start ? start : rows[k].from;
        date_t t = rows[k].to == DATE_NONE || rows[k].to > end ? end : rows[k].to;
        double x = left + scale * (double)(f - start), w = scale * (double)(t - f + 1);
        double yy = top + row_h * (double)k;
        /* no link inside role="img" (axe: nested-interactive): the table
         * under the timeline links every agreement */
        buf_fmt(b, "<rect class=\"bar%s\" x=\"", rows[k].expected ? " expected" : "");
        buf_printf(b, "%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", x, yy + 4, w < 1 ? 1 : w, row_h - 8);
        buf_fmt(b, "<text class=\"bar-label\" x=\"%a\" y=\"%a\">%h</text>\n", arena_printf(rq->arena, "%.1f", x + 4),
                arena_printf(rq->arena, "%.1f", yy + row_h / 2 + 4), v->agreements[rows[k].agreement].title);
    }
    double today_x = left + scale * (double)(web_today() - start);
    buf_printf(b, "<line class=\"today\" x1=\"%.1f\" y1=\"16\" x2=\"%.1f\" y2=\"%.1f\"/>\n</svg>\n", today_x, today_x,
               top + row_h * (double)(n ? n : 1));
}

static size_t agreements_of(request *rq, const register_view *v, const int *fam, size_t nf, date_t d, span_row **out)
{
    size_t n = 0, cap = 0;
    span_row *rows = NULL;
    for (size_t a = 0; a < v->agreement_count; a++) {
        const rules_agreement *ra = &v->rules_agreements[a];
        for (int k = 0; k < ra->party_count; k++) {
            const rules_party *p = &ra->parties[k];
            date_t from, to;
            bool expected = false;
            int id;
            if (p->code < 0)
                continue;
            if (without_start(ra)) {
                /* named as on the page's date, or else on its last day */
                date_t last = rules_party_last_day(ra, p);
                if (!rules_party_unstarted(&v->map, ra, p, d, &id) &&
                    (last == DATE_NONE || !rules_party_unstarted(&v->map, ra, p, last, &id)))
                    continue;
                from = DATE_NONE;
                to = last;
            } else if (!rules_party_interval(ra, p, BASIS_ACTUAL, &from, &to)) {
                if (!rules_party_interval(ra, p, BASIS_PROGNOSIS, &from, &to))
                    continue;
                expected = true;
                id = rules_identity_on(&v->map, p->code, from);
            } else {
                id = rules_identity_on(&v->map, p->code, from);
            }
            for (size_t j = 0; j < nf; j++)
                if (fam[j] == id) {
                    rows = arena_grow(rq->arena, rows, &cap, n + 1, sizeof *rows);
                    rows[n++] = (span_row){(int)a, k, id, from, to, expected};
                }
        }
    }
    *out = rows;
    return n;
}

static const char *const SPAN_KEYS[] = {"agreement", "title", "party_nis", "party_name", "from", "until", "expected",
                                        "status"};
static const char *const SPAN_LABELS[] = {"Overeenkomst", "Titel", "NIS partij", "Als partij", "Van", "Tot",
                                          "Verwacht", "Status"};

static void span_table(request *rq, const register_view *v, const span_row *rows, size_t n, table *t)
{
    table_init(t, rq->arena, "Overeenkomsten van de gemeente", SPAN_KEYS, SPAN_LABELS, 8);
    for (size_t k = 0; k < n; k++) {
        const rules_agreement *ra = &v->rules_agreements[rows[k].agreement];
        cell *c = table_row(t);
        c[0] = cell_text(v->agreements[rows[k].agreement].id);
        c[1] = cell_text(v->agreements[rows[k].agreement].title);
        c[2] = cell_text(v->municipalities[rows[k].identity].nis);
        c[3] = cell_text(v->municipalities[rows[k].identity].name);
        c[4] = cell_date(rows[k].from);
        c[5] = cell_date(rows[k].to);
        c[6] = cell_text(rows[k].expected ? "ja" : "nee");
        c[7] = cell_text(rows[k].from == DATE_NONE ? "ondertekend, begindatum onbekend"
                                                    : status_label_nl(ra->status));
    }
}

void page_municipality(request *rq)
{
    const register_view *v = web_view(rq);
    if (!v)
        return;
    int code = nis_code(web_route_param(rq, "nis"));
    if (code < 0 || !rules_code_exists(&v->map, code)) {
        web_error(rq, 404, "not_found", "Er is geen gemeente met deze NIS-code.");
        return;
    }
    date_t d = web_date_param(rq, "date", web_today());
    if (d == DATE_NONE)
        return;
    int fam[64];
    size_t nf = family(v, code, fam, 64);
    span_row *rows;
    size_t n = agreements_of(rq, v, fam, nf, d, &rows);
    table t;
    span_table(rq, v, rows, n, &t);
    if (web_table_download(rq, &t, arena_printf(rq->arena, "overeenkomsten-%s", web_route_param(rq, "nis"))))
        return;
    int first = v->map.code_first[code], last = first + v->map.code_count[code] - 1;
    int now = rules_identity_on(&v->map, code, d);
    const view_municipality *vm = &v->municipalities[now >= 0 ? now : last];
    page_begin(rq, vm->name, NAV_MUNICIPALITIES);
    buf *b = &rq->body;
    const char *carry = page_carry_default(rq);
    buf_fmt(b, "<p class=\"crumbs\"><a href=\"/municipalities?%a\">Gemeenten</a></p>\n<h1>%h <span class=\"id\">%h</span>"
               "</h1>\n<dl class=\"facts\">\n",
            carry, vm->name, vm->nis);
    for (int i = first; i <= last; i++) {
        const view_municipality *x = &v->municipalities[i];
        buf_fmt(b, "<dt>%s</dt><dd>provincie <a href=\"/provinces/%U?%a\">%h</a>, %s %h%s%h</dd>\n",
                first == last ? "Bestaat" : "Grondgebied", province_name(x->province), carry, province_name(x->province),
                "van", page_date(rq, x->valid_from), x->valid_to == DATE_NONE ? " tot nu" : " tot ",
                x->valid_to == DATE_NONE ? "" : page_date(rq, x->valid_to));
    }
    place_state ps;
    if (now >= 0 && evaluate(rq, v, d, BASIS_ACTUAL, &ps)) {
        muni_state st = shown_state(&ps, (size_t)now);
        buf_fmt(b, "<dt>Op %h</dt><dd><span class=\"state s-%a\">%h</span></dd>\n", page_date(rq, d),
                muni_state_name(st), muni_state_label_nl(st));
        place_free(&ps);
    } else if (now < 0) {
        buf_fmt(b, "<dt>Op %h</dt><dd>bestond deze gemeente niet (zie de fusies hieronder)</dd>\n", page_date(rq, d));
    }
    /* the regiegebieden it is a member of on the date, itself or through
     * the former municipalities of its territory (members are dated) */
    regiegebied *regions;
    size_t nr;
    if (!store_get_regiegebieden(rq->db, web_known(rq), rq->arena, &regions, &nr)) {
        buf_fmt(b, "<dt>Regiegebied op %h</dt><dd>", page_date(rq, d));
        int shown = 0;
        for (size_t r = 0; r < nr; r++) {
            bool member = false;
            for (size_t k = 0; k < regions[r].member_count && !member; k++) {
                const dated_member *m = &regions[r].members[k];
                int mc = nis_code(m->municipality);
                for (size_t j = 0; j < nf && !member && region_member_on(&regions[r], m, d); j++)
                    member = mc >= 0 && v->map.items[fam[j]].code == mc;
            }
            if (member)
                buf_fmt(b, "%s<a href=\"/regiegebieden/%U?%a\">%h</a>", shown++ ? "; " : "", regions[r].id, carry,
                        regions[r].name);
        }
        buf_puts(b, shown ? "</dd>\n" : "geen</dd>\n");
    }
    buf_puts(b, "</dl>\n");
    page_cooperation_section(rq, v, code, d); /* other cooperation and outreach (issue 10) */
    /* across the 2025 mergers */
    buf_puts(b, "<section aria-labelledby=\"merger-h\"><h2 id=\"merger-h\">Fusies</h2>\n<ul>\n");
    int told = 0;
    for (int i = first; i <= last; i++) {
        const rules_municipality *mu = &v->map.items[i];
        for (int p = 0; p < mu->pred_count; p++) {
            const view_municipality *x = &v->municipalities[v->map.preds[mu->first_pred + p]];
            buf_fmt(b, "<li>Ontstaan op %h uit <a href=\"/municipalities/%U?%a\">%h (%h)</a></li>\n",
                    page_date(rq, mu->valid_from), x->nis, carry, x->name, x->nis);
            told++;
        }
        int succ = successor_of(v, i);
        if (succ >= 0) {
            const view_municipality *x = &v->municipalities[succ];
            buf_fmt(b, "<li>Op %h opgegaan in <a href=\"/municipalities/%U?%a\">%h (%h)</a></li>\n",
                    page_date(rq, x->valid_from), x->nis, carry, x->name, x->nis);
            told++;
        }
    }
    if (!told)
        buf_puts(b, "<li>Geen fusie sinds 1983.</li>\n");
    buf_puts(b, "</ul>\n</section>\n");
    /* every agreement that ever covered it */
    buf_puts(b, "<section aria-labelledby=\"tl-h\"><h2 id=\"tl-h\">Overeenkomsten door de jaren</h2>\n");
    if (!n) {
        buf_puts(b, "<p>Geen enkele overeenkomst noemt deze gemeente (of haar deelgemeenten).</p>\n</section>\n");
        page_end(rq);
        return;
    }
    timeline_svg(rq, v, rows, n);
    buf_puts(b, "<div class=\"scroll\"><table class=\"list\">\n<caption>Overeenkomsten die deze gemeente dekten of dekken"
                "</caption>\n<thead><tr><th scope=\"col\">Overeenkomst</th><th scope=\"col\">Als partij</th>"
                "<th scope=\"col\">Van</th><th scope=\"col\">Tot</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < n; k++) {
        const view_agreement *va = &v->agreements[rows[k].agreement];
        const view_municipality *as = &v->municipalities[rows[k].identity];
        buf_fmt(b, "<tr><th scope=\"row\"><a href=\"/agreements/%U?%a\">%h</a></th><td>%h (%h)</td><td>%h%s</td>"
                   "<td>%h</td><td>%h</td></tr>\n",
                va->id, carry, va->title, as->name, as->nis,
                rows[k].from == DATE_NONE ? "onbekend" : page_date(rq, rows[k].from),
                rows[k].expected ? " (verwacht)" : "", rows[k].to == DATE_NONE ? "–" : page_date(rq, rows[k].to),
                rows[k].from == DATE_NONE ? "ondertekend, begindatum onbekend (telt niet mee)"
                                          : status_label_nl(v->rules_agreements[rows[k].agreement].status));
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
    page_downloads(rq);
    buf_puts(b, "</section>\n");
    page_end(rq);
}

/* ---- a province ---------------------------------------------------------- */

void page_province(request *rq)
{
    int province = province_parse(web_route_param(rq, "name"));
    if (province < 0) {
        web_error(rq, 404, "not_found", "Er is geen Vlaamse provincie met deze naam.");
        return;
    }
    date_t d = web_date_param(rq, "date", web_today());
    long page;
    if (d == DATE_NONE || !(page = page_number(rq)))
        return;
    const register_view *v = web_view(rq);
    place_state ps;
    if (!v || !evaluate(rq, v, d, BASIS_ACTUAL, &ps))
        return;
    muni_filter f = {province, false, MUNI_NONE, NULL, NULL, NULL, NULL, NULL};
    size_t *rows, n = select_municipalities(rq, v, &ps, &f, &rows);
    if (page_wants_download(rq)) {
        table t;
        char iso[DATE_ISO_LEN];
        if (web_table_begin(rq, arena_printf(rq->arena, "%s-%s", province_name(province), date_format_iso(d, iso)))) {
            municipality_data(rq, v, &ps, rows, n, regions_on(rq, v, d), &t); /* each row written as it is made */
            web_table_end(rq, &t);
        }
        place_free(&ps);
        return;
    }
    size_t first, last;
    page = page_slice(page, n, MUNI_PAGE, &first, &last);
    page_begin(rq, province_name(province), NAV_MUNICIPALITIES);
    buf *b = &rq->body;
    const rules_count *mc = &ps.cov.municipalities[province], *rc = &ps.cov.regions[province];
    int mp = rules_percent(mc->covered, mc->total), rp = rules_percent(rc->covered, rc->total);
    buf_fmt(b, "<h1>Provincie %h</h1>\n", province_name(province));
    list_form(rq, arena_printf(rq->arena, "/provinces/%s", province_name(province)), d, &f, false);
    buf_fmt(b, "<p>Op %h zijn %d van de %d gemeenten gedekt (%h%%)", page_date(rq, d), mc->covered, mc->total,
            mp < 0 ? "–" : arena_printf(rq->arena, "%d", mp));
    if (mc->partial)
        buf_printf(b, ", %d gedeeltelijk", mc->partial);
    buf_fmt(b, ", en %d van de %d regiegebieden (%h%%).</p>\n", rc->covered, rc->total,
            rp < 0 ? "–" : arena_printf(rq->arena, "%d", rp));
    municipality_html(rq, v, &ps, rows, first, last, arena_printf(rq->arena, "Gemeenten van %s", province_name(province)));
    page_pager(rq, page, n, MUNI_PAGE);
    page_downloads(rq);
    buf_fmt(b, "<p><a href=\"/regiegebieden?province=%U&amp;%a\">Regiegebieden van %h</a></p>\n", province_name(province),
            page_carry_default(rq), province_name(province));
    const char *carry = page_carry_default(rq);
    buf_fmt(b, "<p><a href=\"/provinces/%U/indicators%s%a\">Indicatoren van %h</a></p>\n", province_name(province),
            *carry ? "?" : "", carry, province_name(province));
    page_end(rq);
    place_free(&ps);
}

/* ---- regiegebieden -------------------------------------------------------- */

/* The agreements naming region r, as indices into the view. */
static size_t region_agreements(const register_view *v, int r, int *out, size_t cap)
{
    size_t n = 0;
    for (size_t a = 0; a < v->agreement_count && n < cap; a++)
        if (v->rules_agreements[a].region == r)
            out[n++] = (int)a;
    return n;
}

/* How many members g has on d (members are dated, SPEC §5). */
static size_t members_on_count(const regiegebied *g, date_t d)
{
    size_t n = 0;
    for (size_t k = 0; k < g->member_count; k++)
        n += region_member_on(g, &g->members[k], d);
    return n;
}

static const char *const REGION_KEYS[] = {"id", "name", "province", "from", "until", "members", "coverage", "agreements"};
static const char *const REGION_LABELS[] = {"ID", "Naam", "Provincie", "Van", "Tot", "Leden", "Dekking", "Overeenkomsten"};

void page_regiegebied_list(request *rq)
{
    date_t d;
    rules_basis basis;
    muni_filter f;
    if (!list_params(rq, &d, &basis, &f))
        return;
    const register_view *v = web_view(rq);
    place_state ps;
    if (!v || !evaluate(rq, v, d, basis, &ps))
        return;
    regiegebied *regions;
    size_t nr;
    if (store_get_regiegebieden(rq->db, web_known(rq), rq->arena, &regions, &nr)) {
        place_free(&ps);
        web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden.");
        return;
    }
    table t;
    table_init(&t, rq->arena, "Regiegebieden", REGION_KEYS, REGION_LABELS, 8);
    int *shown = arena_calloc(rq->arena, nr + 1, sizeof *shown);
    size_t ns = 0;
    for (size_t i = 0; i < nr; i++) {
        int r = view_region_index(v, regions[i].id);
        bool exists = r >= 0 && rules_region_exists_on(&v->rules_regions[r], d);
        muni_state key = exists && ps.cov.region_covered[r] ? MUNI_COVERED : MUNI_NONE;
        if ((f.province >= 0 && regions[i].province != f.province) || !exists || (f.by_state && f.state != key))
            continue;
        shown[ns++] = (int)i;
        int ags[64];
        size_t na = region_agreements(v, r, ags, 64);
        char *ids = arena_strdup(rq->arena, "");
        for (size_t j = 0; j < na; j++)
            ids = arena_printf(rq->arena, "%s%s%s", ids, j ? " " : "", v->agreements[ags[j]].id);
        cell *c = table_row(&t);
        c[0] = cell_text(regions[i].id);
        c[1] = cell_text(regions[i].name);
        c[2] = cell_text(province_name(regions[i].province));
        c[3] = cell_date(regions[i].from);
        c[4] = cell_date(regions[i].until);
        c[5] = cell_int((long long)members_on_count(&regions[i], d));
        c[6] = cell_text(muni_state_label_nl(key));
        c[7] = cell_text(ids);
    }
    char iso[DATE_ISO_LEN];
    if (!web_table_download(rq, &t, arena_printf(rq->arena, "regiegebieden-%s", date_format_iso(d, iso)))) {
        page_begin(rq, "Regiegebieden", NAV_REGIONS);
        buf *b = &rq->body;
        buf_fmt(b, "<h1>Regiegebieden sociale economie en werk op %h%s</h1>\n", page_date(rq, d),
                basis == BASIS_PROGNOSIS ? " (prognose)" : "");
        buf_puts(b, "<p class=\"note\">Er bestaat geen geverifieerde publieke lijst van de regiegebieden; somon toont de "
                    "regiegebieden die in het register zijn ingevoerd.</p>\n");
        bool may = false;
        for (int p = 0; p < PROVINCE_COUNT; p++)
            may = may || page_may_edit_region(rq, p);
        if (may)
            buf_puts(b, "<p class=\"edit-link\"><a href=\"/regiegebieden/new\">Nieuw regiegebied</a></p>\n");
        buf_puts(b, "<p><a href=\"/organisations\">Organisaties</a> (intergemeentelijke verenigingen en andere partijen)"
                    "</p>\n");
        list_form(rq, "/regiegebieden", d, &f, false);
        buf_puts(b, "<div class=\"scroll\"><table class=\"list\">\n<caption>Regiegebieden en hun dekking</caption>\n"
                    "<thead><tr><th scope=\"col\">Regiegebied</th><th scope=\"col\">Provincie</th><th scope=\"col\">"
                    "Leden</th><th scope=\"col\">Dekking</th></tr></thead>\n<tbody>\n");
        const char *carry = page_carry_default(rq);
        for (size_t k = 0; k < ns; k++) {
            const regiegebied *g = &regions[shown[k]];
            const char *key = t.cells[k * t.columns + 6].text;
            bool covered = strcmp(key, "covered") == 0 || strcmp(key, "gedekt") == 0;
            buf_fmt(b, "<tr><th scope=\"row\"><a href=\"/regiegebieden/%U%s%a\">%h</a></th><td>%h</td>"
                       "<td class=\"num\">%zu</td><td><span class=\"state s-%s\">%h</span></td></tr>\n",
                    g->id, *carry ? "?" : "", carry, g->name, province_name(g->province), members_on_count(g, d),
                    covered ? "covered" : "none", covered ? "gedekt" : "geen overeenkomst");
        }
        buf_puts(b, "</tbody>\n</table></div>\n");
        page_downloads(rq);
        page_end(rq);
    }
    place_free(&ps);
}

/* The members on d, and the members of other days with their dates. */
static void members_on(request *rq, const register_view *v, const place_state *ps, const regiegebied *g, date_t d)
{
    buf *b = &rq->body;
    const char *carry = page_carry_default(rq);
    size_t now = 0;
    buf_fmt(b, "<h2 id=\"members-h\">Leden op %h</h2>\n<ul class=\"members\" aria-labelledby=\"members-h\">\n",
            page_date(rq, d));
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && now < g->member_count)
            buf_puts(b, "<h3 id=\"members-other-h\">Leden op andere dagen</h3>\n<ul class=\"members\" "
                        "aria-labelledby=\"members-other-h\">\n");
        for (size_t k = 0; k < g->member_count; k++) {
            const dated_member *m = &g->members[k];
            bool on = region_member_on(g, m, d);
            if (on != (pass == 0))
                continue;
            now += on;
            int code = nis_code(m->municipality);
            /* a member named as it was may have merged since: its territory's state */
            int id2 = code >= 0 && v->map.code_first[code] >= 0 ? identity_or_successor(v, code, d) : -1;
            const char *name = m->municipality;
            if (code >= 0 && v->map.code_first[code] >= 0)
                name = v->municipalities[v->map.code_first[code] + v->map.code_count[code] - 1].name;
            muni_state st = id2 >= 0 ? shown_state(ps, (size_t)id2) : MUNI_NONE;
            date_t first = region_member_first(g, m), last = region_member_last(g, m);
            buf_fmt(b, "<li><a href=\"/municipalities/%U?%a\">%h</a>", m->municipality, carry, name);
            if (m->from != DATE_NONE || m->until != DATE_NONE)
                buf_fmt(b, " (lid %h%h%h%h)", first == DATE_NONE ? "" : "vanaf ", first == DATE_NONE ? "" : page_date(rq, first),
                        last == DATE_NONE ? "" : " tot en met ", last == DATE_NONE ? "" : page_date(rq, last));
            if (on && id2 >= 0 && v->map.items[id2].code != code)
                buf_fmt(b, " (deel van %h)", v->municipalities[id2].name);
            if (on)
                buf_fmt(b, " – <span class=\"state s-%a\">%h</span>", muni_state_name(st),
                        id2 >= 0 ? muni_state_label_nl(st) : "bestond niet op deze datum");
            buf_puts(b, "</li>\n");
        }
        if (pass == 0 && !now)
            buf_puts(b, "<li>Geen leden op deze datum.</li>\n");
        if (pass == 0 || now < g->member_count)
            buf_puts(b, "</ul>\n");
    }
}

void page_regiegebied(request *rq)
{
    const register_view *v = web_view(rq);
    if (!v)
        return;
    date_t d = web_date_param(rq, "date", web_today());
    if (d == DATE_NONE)
        return;
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
    int r = view_region_index(v, id);
    place_state ps;
    if (!g || r < 0) {
        web_error(rq, 404, "not_found", "Er is geen regiegebied met deze id.");
        return;
    }
    if (!evaluate(rq, v, d, BASIS_ACTUAL, &ps))
        return;
    page_begin(rq, g->name, NAV_REGIONS);
    buf *b = &rq->body;
    const char *carry = page_carry_default(rq);
    bool exists = rules_region_exists_on(&v->rules_regions[r], d);
    buf_fmt(b, "<p class=\"crumbs\"><a href=\"/regiegebieden?%a\">Regiegebieden</a></p>\n<h1>%h <span class=\"id\">%h"
               "</span></h1>\n<dl class=\"facts\">\n<dt>Provincie</dt><dd><a href=\"/provinces/%U?%a\">%h</a></dd>\n"
               "<dt>Bestaat</dt><dd>%h tot %h</dd>\n<dt>Op %h</dt><dd>%h</dd>\n</dl>\n",
            carry, g->name, g->id, province_name(g->province), carry, province_name(g->province),
            g->from == DATE_NONE ? "(begin niet gekend)" : page_date(rq, g->from),
            g->until == DATE_NONE ? "(einde niet gekend)" : page_date(rq, g->until), page_date(rq, d),
            !exists ? "bestaat het regiegebied niet" : ps.cov.region_covered[r] ? "gedekt" : "niet gedekt");
    if (g->notes) {
        buf_puts(b, "<p class=\"notes\">");
        page_linked_text(b, g->notes);
        buf_puts(b, "</p>\n");
    }
    buf_fmt(b, "<p class=\"dashboard-link\"><a href=\"/regiegebieden/%U/indicators%s%a\">Indicatoren van dit "
               "regiegebied</a></p>\n", g->id, *carry ? "?" : "", carry);
    members_on(rq, v, &ps, g, d);
    if (page_may_edit_region(rq, g->province))
        buf_fmt(b, "<p class=\"edit-link\"><a href=\"/regiegebieden/%U/edit\">Regiegebied bewerken</a></p>\n", g->id);
    buf_puts(b, "<h2>Overeenkomsten van dit regiegebied</h2>\n<ul>\n");
    int ags[64];
    size_t na = region_agreements(v, r, ags, 64);
    for (size_t j = 0; j < na; j++)
        buf_fmt(b, "<li><a href=\"/agreements/%U?%a\">%h</a> (%h)</li>\n", v->agreements[ags[j]].id, carry,
                v->agreements[ags[j]].title, status_label_nl(v->rules_agreements[ags[j]].status));
    if (!na)
        buf_puts(b, "<li>Geen overeenkomst noemt dit regiegebied.</li>\n");
    buf_puts(b, "</ul>\n");
    page_regiegebied_history(rq, g->id);
    page_end(rq);
    place_free(&ps);
}
