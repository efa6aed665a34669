/* api.c: the JSON API under /api/v1/ (described by /api/v1/openapi.json,
 * built in from assets/openapi.json). The numbers are those of the CLI: the
 * same compute and render functions; coverage as CSV is byte for byte the
 * CLI's CSV. Errors are {"error": {"code", "message"}} (web_error). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "auth.h"
#include "layout.h"
#include "pages.h"
#include "report.h"
#include "somon1.h"

/* Answers with the JSON value (consumed). */
static void send_json(request *rq, json_t *value)
{
    char *text = value ? json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(value);
    if (!text) {
        web_error(rq, 503, "unavailable", "The answer could not be built.");
        return;
    }
    rq->content_type = "application/json";
    buf_puts(&rq->body, text);
    buf_putc(&rq->body, '\n');
    free(text);
}

/* The register notice as the last field of an answer's head (issue 13). */
static void api_notice(request *rq, json_t *head)
{
    const char *notice = page_register_notice(rq);
    if (notice)
        json_object_set_new(head, "register_notice", json_string(notice));
}

static json_t *jdate(date_t d)
{
    char iso[DATE_ISO_LEN];
    return d == DATE_NONE ? json_null() : json_string(date_format_iso(d, iso));
}

static json_t *jtext(const char *s) { return s ? json_string(s) : json_null(); }

bool api_known_params(request *rq, const char *const *allowed)
{
    for (size_t i = 0; i < rq->t.param_count; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, rq->t.params[i].name) == 0;
        if (!ok) {
            web_error(rq, 400, "unknown_parameter",
                      arena_printf(rq->arena, "Unknown parameter '%s'; see /api/v1/openapi.json.",
                                   arena_clip(rq->arena, rq->t.params[i].name, 40)));
            return false;
        }
    }
    return true;
}

/* A required date parameter for the API: 400 when absent or bad. */
static date_t api_date(request *rq, const char *name, bool required)
{
    const char *v = web_param(rq, name);
    if (required && (!v || !*v)) {
        web_error(rq, 400, "missing_parameter", arena_printf(rq->arena, "The parameter %s (YYYY-MM-DD) is required.", name));
        return DATE_NONE;
    }
    return web_date_param(rq, name, DATE_NONE);
}

static bool absent_or_good(const request *rq, const char *name, date_t d)
{
    const char *v = web_param(rq, name);
    return d != DATE_NONE || !v || !*v;
}

void api_coverage(request *rq)
{
    static const char *const allowed[] = {"date", "prognosis", "as_known_at", "format", NULL};
    if (!api_known_params(rq, allowed))
        return;
    date_t d = api_date(rq, "date", true);
    if (d == DATE_NONE)
        return;
    date_t p = api_date(rq, "prognosis", false);
    if (!absent_or_good(rq, "prognosis", p))
        return;
    const char *format = web_param(rq, "format");
    if (format && *format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx")) {
        web_error(rq, 400, "bad_format", "The parameter format must be json, csv or xlsx.");
        return;
    }
    moment_t at;
    const register_view *v = web_view(rq);
    if (!v || !web_moment_param(rq, &at))
        return;
    coverage_report r;
    if (coverage_report_compute(v, d, p, at, &r)) {
        web_error(rq, 503, "unavailable", "The report could not be computed.");
        return;
    }
    if (!format || !*format || strcmp(format, "json") == 0) {
        rq->content_type = "application/json";
        coverage_report_render(&r, FORMAT_JSON, &rq->body, NULL);
        return;
    }
    table t;
    coverage_report_table(&r, rq->arena, &t);
    char iso[DATE_ISO_LEN];
    api_table_download(rq, &t, arena_printf(rq->arena, "dekking-%s", date_format_iso(d, iso)));
}

static int municipality_parties(const rules_agreement *a)
{
    int n = 0;
    for (int k = 0; k < a->party_count; k++)
        n += a->parties[k].code >= 0;
    return n;
}

/* ---- lists streamed element by element ---------------------------------- */

/* A JSON answer {head fields…, "key": [items]} written as the items are made
 * (past 512 KiB on into a body file, as every page body: web.c), byte for byte
 * what json_dumps(JSON_INDENT(2) | JSON_PRESERVE_ORDER) gives for the whole
 * tree, so a list of any length is never held whole in memory (issue 12). */
typedef struct {
    request *rq;
    size_t n;
    bool ok;
} json_stream;

/* Writes one value dumped at the indent of depth (2 spaces a level). */
static bool put_indented(buf *b, const json_t *value, int depth)
{
    char *text = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (!text)
        return false;
    static const char indent[] = "        "; /* depth ≤ 4 */
    for (const char *p = text, *nl; *p; p = nl + 1) {
        /* a newline is never inside a string: JSON escapes it there */
        if (!(nl = strchr(p, '\n'))) {
            buf_puts(b, p);
            break;
        }
        buf_add(b, p, (size_t)(nl - p) + 1);
        buf_add(b, indent, 2 * (size_t)depth);
    }
    free(text);
    return true;
}

/* head: the fields before the list (consumed; may be empty). False after
 * answering 503. */
static bool stream_open(request *rq, json_stream *js, json_t *head, const char *key)
{
    *js = (json_stream){rq, 0, true};
    if (!head) {
        web_error(rq, 503, "unavailable", "The answer could not be built.");
        return false;
    }
    rq->content_type = "application/json";
    api_notice(rq, head);
    buf *b = &rq->body;
    buf_puts(b, "{");
    const char *name;
    json_t *value;
    json_object_foreach(head, name, value)
    {
        buf_puts(b, "\n  ");
        json_t *k = json_string(name); /* the key, escaped as jansson does */
        js->ok = js->ok && k && put_indented(b, k, 1);
        json_decref(k);
        buf_puts(b, ": ");
        js->ok = js->ok && put_indented(b, value, 1);
        buf_puts(b, ",");
    }
    json_decref(head);
    buf_puts(b, "\n  \"");
    buf_puts(b, key); /* a literal of this file */
    buf_puts(b, "\": [");
    return true;
}

/* Adds one item (consumed). */
static void stream_item(json_stream *js, json_t *item)
{
    buf *b = &js->rq->body;
    buf_puts(b, js->n++ ? ",\n    " : "\n    ");
    js->ok = js->ok && item && put_indented(b, item, 2);
    json_decref(item);
}

static void stream_close(json_stream *js)
{
    buf_puts(&js->rq->body, js->n ? "\n  ]\n}\n" : "]\n}\n");
    if (!js->ok)
        web_error(js->rq, 503, "unavailable", "The answer could not be built.");
}

/* limit and offset (docs/api.md): a page of a list in its usual order. False
 * after answering 400. paged: either was given. */
typedef struct {
    bool paged;
    size_t limit, offset;
} api_page;

static bool page_params(request *rq, api_page *pg)
{
    *pg = (api_page){false, (size_t)-1, 0};
    static const char *const names[] = {"limit", "offset"};
    for (int k = 0; k < 2; k++) {
        const char *v = web_param(rq, names[k]);
        if (!v)
            continue;
        char *end;
        long n = *v >= '0' && *v <= '9' ? strtol(v, &end, 10) : -1;
        if (n < 0 || *end || n > 10000000 || (k == 0 && n < 1)) {
            web_error(rq, 400, k ? "bad_offset" : "bad_limit",
                      k ? "The parameter offset must be a whole number from 0."
                        : "The parameter limit must be a whole number from 1.");
            return false;
        }
        pg->paged = true;
        if (k)
            pg->offset = (size_t)n;
        else
            pg->limit = (size_t)n;
    }
    return true;
}

/* The head of a paged answer: total, offset, limit and the next page's
 * address (null on the last). */
static json_t *page_head(request *rq, const api_page *pg, size_t total, json_t *head)
{
    if (!pg->paged)
        return head;
    json_object_set_new(head, "total", json_integer((json_int_t)total));
    json_object_set_new(head, "offset", json_integer((json_int_t)pg->offset));
    json_object_set_new(head, "limit", pg->limit == (size_t)-1 ? json_null() : json_integer((json_int_t)pg->limit));
    json_t *next = json_null();
    if (pg->limit != (size_t)-1 && pg->offset + pg->limit < total) {
        buf q = {0};
        for (size_t i = 0; i < rq->t.param_count; i++)
            if (strcmp(rq->t.params[i].name, "offset") != 0)
                buf_fmt(&q, "%U=%U&", rq->t.params[i].name, rq->t.params[i].value);
        buf_printf(&q, "offset=%zu", pg->offset + pg->limit);
        buf path = {0};
        for (size_t i = 0; i < rq->t.segment_count; i++)
            buf_fmt(&path, "/%U", rq->t.segments[i]);
        next = json_string(arena_printf(rq->arena, "%s?%s", path.data, q.data));
        buf_free(&q);
        buf_free(&path);
    }
    json_object_set_new(head, "next", next);
    return head;
}

/* ---- items written directly ---- */

/* A JSON string as jansson dumps it (without JSON_ENSURE_ASCII): \" \\ and
 * the short escapes, other control characters as \u00XX (capitals), every
 * other byte as it is. So a list written field by field is byte for byte the
 * list jansson gave, at a fraction of the cost of building and dumping an
 * object per item. */
static void put_jescaped(buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *run = s;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c >= 0x20 && *c != '"' && *c != '\\')
            continue;
        buf_add(b, run, (size_t)((const char *)c - run));
        run = (const char *)c + 1;
        switch (*c) {
        case '"': buf_add(b, "\\\"", 2); break;
        case '\\': buf_add(b, "\\\\", 2); break;
        case '\b': buf_add(b, "\\b", 2); break;
        case '\f': buf_add(b, "\\f", 2); break;
        case '\n': buf_add(b, "\\n", 2); break;
        case '\r': buf_add(b, "\\r", 2); break;
        case '\t': buf_add(b, "\\t", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[*c >> 4], hex[*c & 15]};
            buf_add(b, u, 6);
        }
        }
    }
    buf_puts(b, run);
}

static void put_jstring(buf *b, const char *s)
{
    buf_putc(b, '"');
    put_jescaped(b, s);
    buf_putc(b, '"');
}

/* "key": value lines of an item at depth 2 (6 spaces), as jansson indents them. */
static void field_text(buf *b, const char *key, const char *value, bool last)
{
    buf_puts(b, "      \"");
    buf_puts(b, key); /* a literal of this file */
    buf_puts(b, "\": ");
    if (value)
        put_jstring(b, value);
    else
        buf_puts(b, "null");
    buf_puts(b, last ? "\n" : ",\n");
}

static void field_date(buf *b, const char *key, date_t d)
{
    char iso[DATE_ISO_LEN];
    field_text(b, key, d == DATE_NONE ? NULL : date_format_iso(d, iso), false);
}

/* Adds one item written by the caller between stream_item_begin and _end. */
static buf *stream_item_begin(json_stream *js)
{
    buf *b = &js->rq->body;
    buf_puts(b, js->n++ ? ",\n    {\n" : "\n    {\n");
    return b;
}

static void stream_item_end(json_stream *js) { buf_puts(&js->rq->body, "    }"); }

static bool in_page(const api_page *pg, size_t k) { return k >= pg->offset && k - pg->offset < pg->limit; }

/* "sources": the agreement's own sources as somon/1 writes them (issue 13;
 * its parties' are in /api/v1/agreements/{id}). */
static void own_sources(buf *b, const view_sources *own)
{
    json_t *list = json_array();
    for (size_t k = 0; own && k < own->count; k++)
        json_array_append_new(list, json_pack("{s:o, s:o, s:o}", "url", jtext(own->items[k].url), "quote",
                                              jtext(own->items[k].quote), "read_on", jdate(own->items[k].read_on)));
    buf_puts(b, "      \"sources\": ");
    put_indented(b, list, 3);
    buf_puts(b, ",\n");
    json_decref(list);
}

void api_agreements(request *rq)
{
    static const char *const allowed[] = {"as_known_at", "province", "status", "limit", "offset", NULL};
    if (!api_known_params(rq, allowed))
        return;
    const char *status = web_param(rq, "status");
    int province;
    agreement_status st = STATUS_DRAFT;
    if (!web_province_param(rq, &province))
        return;
    if (status && *status && !status_parse(status, &st)) {
        web_error(rq, 400, "bad_status", "The parameter status must be an agreement status.");
        return;
    }
    api_page pg;
    if (!page_params(rq, &pg))
        return;
    const register_view *v = web_view(rq);
    if (!v)
        return;
    size_t total = 0;
    for (size_t i = 0; pg.paged && i < v->agreement_count; i++)
        total += (province < 0 || v->agreements[i].vdab_directorate == province) &&
                 (!status || !*status || v->rules_agreements[i].status == st);
    json_stream js;
    if (!stream_open(rq, &js, page_head(rq, &pg, total, json_object()), "agreements"))
        return;
    for (size_t i = 0, k = 0; i < v->agreement_count; i++) {
        const view_agreement *va = &v->agreements[i];
        const rules_agreement *ra = &v->rules_agreements[i];
        if ((province >= 0 && va->vdab_directorate != province) || (status && *status && ra->status != st) ||
            !in_page(&pg, k++))
            continue;
        buf *b = stream_item_begin(&js);
        field_text(b, "id", va->id, false);
        field_text(b, "title", va->title, false);
        field_text(b, "vdab_directorate", province_name(va->vdab_directorate), false);
        field_text(b, "status", status_name(ra->status), false);
        field_date(b, "start", ra->start);
        field_date(b, "end", ra->end);
        field_date(b, "expected_start", ra->expected_start);
        field_date(b, "terminated_on", ra->terminated_on);
        field_text(b, "regiegebied", va->regiegebied, false);
        own_sources(b, v->own_sources ? &v->own_sources[i] : NULL);
        buf_printf(b, "      \"municipalities\": %d,\n      \"href\": \"/api/v1/agreements/", municipality_parties(ra));
        put_jescaped(b, va->id);
        buf_puts(b, "\"\n");
        stream_item_end(&js);
    }
    stream_close(&js);
}

void api_agreement(request *rq)
{
    static const char *const allowed[] = {"as_known_at", NULL};
    if (!api_known_params(rq, allowed) || !web_view(rq))
        return;
    agreement ag;
    int found = store_get_agreement(rq->db, web_known(rq), web_route_param(rq, "id"), rq->arena, &ag);
    /* the same JSON as export: with the yearly evaluations and the meetings */
    if (found == 1 && somon1_load_followup(rq->db, web_known(rq), rq->arena, &ag))
        found = -1;
    if (found < 0)
        web_error(rq, 503, "unavailable", "The register cannot be read now.");
    else if (!found)
        web_error(rq, 404, "not_found", "There is no agreement with this id.");
    else {
        auth_redact(rq->who, &ag); /* no names of people for anonymous readers */
        send_json(rq, somon1_agreement_json(&ag));
    }
}

/* What every municipality is shown as on d (rules_muni_states), from the
 * request's arena; NULL (with the answer sent) when it cannot be computed. */
static unsigned char *shown_states(request *rq, const register_view *v, date_t d)
{
    unsigned char *states = arena_calloc(rq->arena, v->map.count + 1, 1);
    if (rules_muni_states(&v->map, v->rules_agreements, v->agreement_count, d, states)) {
        web_error(rq, 503, "unavailable", "Coverage could not be computed.");
        return NULL;
    }
    return states;
}

void api_municipalities(request *rq)
{
    static const char *const allowed[] = {"date", "as_known_at", "province", "limit", "offset", NULL};
    if (!api_known_params(rq, allowed))
        return;
    date_t d = web_date_param(rq, "date", web_today());
    if (d == DATE_NONE)
        return;
    int province;
    if (!web_province_param(rq, &province))
        return;
    api_page pg;
    if (!page_params(rq, &pg))
        return;
    const register_view *v = web_view(rq);
    if (!v)
        return;
    unsigned char *states = shown_states(rq, v, d);
    if (!states)
        return;
    size_t total = 0;
    for (size_t i = 0; pg.paged && i < v->map.count; i++)
        total += rules_municipality_valid_on(&v->map.items[i], d) &&
                 (province < 0 || v->municipalities[i].province == province);
    json_stream js;
    if (!stream_open(rq, &js, page_head(rq, &pg, total, json_pack("{s:o}", "date", jdate(d))), "municipalities"))
        return;
    for (size_t i = 0, k = 0; i < v->map.count; i++) {
        const view_municipality *m = &v->municipalities[i];
        if (!rules_municipality_valid_on(&v->map.items[i], d) || (province >= 0 && m->province != province) ||
            !in_page(&pg, k++))
            continue;
        buf *b = stream_item_begin(&js);
        field_text(b, "nis", m->nis, false);
        field_text(b, "name", m->name, false);
        field_text(b, "province", province_name(m->province), false);
        field_text(b, "coverage", muni_state_name((muni_state)states[i]), true);
        stream_item_end(&js);
    }
    stream_close(&js);
}

void api_municipality(request *rq)
{
    static const char *const allowed[] = {"date", "as_known_at", NULL};
    if (!api_known_params(rq, allowed))
        return;
    date_t d = web_date_param(rq, "date", web_today());
    if (d == DATE_NONE)
        return;
    const register_view *v = web_view(rq);
    if (!v)
        return;
    int code = nis_code(web_route_param(rq, "nis"));
    if (code < 0 || !rules_code_exists(&v->map, code)) {
        web_error(rq, 404, "not_found", "There is no municipality with this NIS code.");
        return;
    }
    json_t *identities = json_array(), *agreements = json_array();
    int first = v->map.code_first[code];
    for (int i = first; i < first + v->map.code_count[code]; i++) {
        const view_municipality *m = &v->municipalities[i];
        const rules_municipality *mu = &v->map.items[i];
        json_t *preds = json_array();
        for (int p = 0; p < mu->pred_count; p++)
            json_array_append_new(preds, json_string(v->municipalities[v->map.preds[mu->first_pred + p]].nis));
        json_t *o = json_pack("{s:s, s:s}", "name", m->name, "province", province_name(m->province));
        json_object_set_new(o, "valid_from", jdate(m->valid_from));
        json_object_set_new(o, "valid_to", jdate(m->valid_to));
        json_object_set_new(o, "predecessors", preds);
        json_array_append_new(identities, o);
    }
    for (size_t a = 0; a < v->agreement_count; a++) {
        const rules_agreement *ra = &v->rules_agreements[a];
        for (int k = 0; k < ra->party_count; k++) {
            date_t from, to;
            if (ra->parties[k].code != code)
                continue;
            bool actual = rules_party_interval(ra, &ra->parties[k], BASIS_ACTUAL, &from, &to);
            if (!actual && !rules_party_interval(ra, &ra->parties[k], BASIS_PROGNOSIS, &from, &to)) {
                /* signed without start: the begin is unknown, the end is known (as in the annex) */
                bool unstarted = (ra->status == STATUS_SIGNED || ra->status == STATUS_TERMINATED) &&
                                 ra->start == DATE_NONE;
                from = DATE_NONE;
                to = unstarted ? rules_party_last_day(ra, &ra->parties[k]) : DATE_NONE;
            }
            json_t *o = json_pack("{s:s, s:s, s:s}", "id", v->agreements[a].id, "title", v->agreements[a].title,
                                  "status", status_name(ra->status));
            json_object_set_new(o, "from", jdate(from));
            json_object_set_new(o, "until", jdate(to));
            json_object_set_new(o, "expected", json_boolean(!actual && from != DATE_NONE));
            json_array_append_new(agreements, o);
        }
    }
    /* as the list shows it; null when the code did not exist on d */
    int id = rules_identity_on(&v->map, code, d);
    const char *coverage = NULL;
    if (id >= 0) {
        unsigned char *states = shown_states(rq, v, d);
        if (!states) {
            json_decref(identities);
            json_decref(agreements);
            return;
        }
        coverage = muni_state_name((muni_state)states[id]);
    }
    json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:o}", "nis", web_route_param(rq, "nis"), "date", jdate(d), "coverage",
                          jtext(coverage), "identities", identities, "agreements", agreements);
    api_notice(rq, o);
    send_json(rq, o);
}

void api_regiegebieden(request *rq)
{
    static const char *const allowed[] = {"as_known_at", NULL};
    if (!api_known_params(rq, allowed) || !web_view(rq))
        return;
    regiegebied *regions;
    size_t n;
    if (store_get_regiegebieden(rq->db, web_known(rq), rq->arena, &regions, &n)) {
        web_error(rq, 503, "unavailable", "The register cannot be read now.");
        return;
    }
    json_stream js;
    if (!stream_open(rq, &js, json_object(), "regiegebieden"))
        return;
    for (size_t i = 0; i < n; i++)
        stream_item(&js, somon1_regiegebied_json(&regions[i]));
    stream_close(&js);
}

void api_openapi(request *rq)
{
    const struct asset *a = asset_find("openapi.json");
    if (!a) {
        web_error(rq, 404, "not_found", "The API description is missing from this build.");
        return;
    }
    rq->content_type = "application/json";
    rq->static_body = a->data;
    rq->static_len = a->size;
}
