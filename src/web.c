/* web.c: the dispatcher and the helpers every handler uses. See web.h. */
#define _POSIX_C_SOURCE 200809L
#include "web.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "layout.h"
#include "report.h"
#include "route.h"

const web_pair WEB_SECURITY_HEADERS[] = {
    {"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
};
const size_t WEB_SECURITY_HEADER_COUNT = sizeof WEB_SECURITY_HEADERS / sizeof *WEB_SECURITY_HEADERS;

void web_header(request *rq, const char *name, const char *value)
{
    if (rq->header_count < WEB_MAX_HEADERS)
        rq->headers[rq->header_count++] = (web_pair){name, value};
}

const char *web_param(const request *rq, const char *name)
{
    for (size_t i = 0; i < rq->t.param_count; i++)
        if (strcmp(rq->t.params[i].name, name) == 0)
            return rq->t.params[i].value;
    return NULL;
}

const char *web_route_param(const request *rq, const char *name)
{
    for (size_t i = 0; i < rq->route_param_count; i++)
        if (strcmp(rq->route_params[i].name, name) == 0)
            return rq->route_params[i].value;
    return NULL;
}

date_t web_today(void) { return moment_local_date(moment_now()); }

static void reset_response(request *rq)
{
    buf_free(&rq->body);
    rq->static_body = NULL;
    rq->static_len = 0;
    rq->header_count = 0;
}

static const char *status_text(int status)
{
    switch (status) {
    case 400: return "Ongeldige vraag";
    case 404: return "Niet gevonden";
    case 405: return "Methode niet toegestaan";
    case 414: return "Adres te lang";
    case 503: return "Even niet beschikbaar";
    default: return "Fout";
    }
}

void web_error(request *rq, int status, const char *code, const char *message)
{
    reset_response(rq);
    rq->status = status;
    if (rq->api) {
        rq->content_type = "application/json";
        buf_fmt(&rq->body, "{\"error\": {\"code\": %j, \"message\": %j}}\n", code, message);
        return;
    }
    page_begin(rq, status_text(status), NAV_NONE);
    buf_fmt(&rq->body, "<h1>%h</h1>\n<p>%h</p>\n<p><a href=\"/\">Naar het overzicht</a></p>\n", status_text(status),
            message);
    page_end(rq);
    rq->status = status; /* page_begin sets 200 */
}

/* Accepts ISO (2023-06-30) and nl-BE (30/06/2023) dates. */
static bool parse_any_date(const char *s, date_t *out)
{
    if (date_parse_iso(s, out))
        return true;
    int d, m, y;
    char tail;
    if (strlen(s) == 10 && s[2] == '/' && s[5] == '/' && sscanf(s, "%2d/%2d/%4d%c", &d, &m, &y, &tail) == 3 &&
        date_valid_ymd(y, m, d)) {
        *out = date_from_ymd(y, m, d);
        return true;
    }
    return false;
}

date_t web_date_param(request *rq, const char *name, date_t fallback)
{
    const char *v = web_param(rq, name);
    if (!v || !*v)
        return fallback;
    date_t d;
    if (parse_any_date(v, &d))
        return d;
    web_error(rq, 400, "bad_date",
              rq->api ? arena_printf(rq->arena, "The parameter %s (\"%s\") is not a date; give YYYY-MM-DD.", name,
                                     arena_clip(rq->arena, v, 40))
                      : arena_printf(rq->arena, "De parameter %s (\"%s\") is geen datum; geef JJJJ-MM-DD of DD/MM/JJJJ.",
                                     name, arena_clip(rq->arena, v, 40)));
    return DATE_NONE;
}

bool web_moment_param(request *rq, moment_t *out)
{
    const char *v = web_param(rq, "as_known_at");
    *out = MOMENT_NONE;
    if (!v || !*v)
        return true;
    if (moment_parse_iso(v, out))
        return true;
    web_error(rq, 400, "bad_as_known_at",
              rq->api ? arena_printf(rq->arena, "The parameter as_known_at (\"%s\") is not a moment; give e.g. "
                                                "2023-07-01T00:00:00 or 2023-07-01T00:00:00+02:00.",
                                     arena_clip(rq->arena, v, 40))
                      : arena_printf(rq->arena, "De parameter as_known_at (\"%s\") is geen tijdstip; geef bv. "
                                                "2023-07-01T00:00:00 of 2023-07-01T00:00:00+02:00.",
                                     arena_clip(rq->arena, v, 40)));
    return false;
}

/* The change the request shows: the last one, or the last at as_known_at.
 * False (after answering 400) for a bad as_known_at. */
static bool work_out_known(request *rq)
{
    if (rq->known_ready)
        return true;
    moment_t at;
    if (!web_moment_param(rq, &at))
        return false;
    rq->known = at == MOMENT_NONE ? store_last_change(rq->db) : store_known_at(rq->db, at);
    rq->known_ready = true;
    return true;
}

const register_view *web_view(request *rq)
{
    if (rq->view_entry)
        return cache_view(rq->view_entry);
    if (!work_out_known(rq))
        return NULL;
    int64_t known = rq->known;
    rq->view_entry = known >= 0 ? cache_acquire(rq->db, known) : NULL;
    if (!rq->view_entry) {
        web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden; probeer het zo meteen opnieuw.");
        return NULL;
    }
    return cache_view(rq->view_entry);
}

int64_t web_known(const request *rq) { return rq->known; }

/* XLSX goes through a temporary file: libxlsxwriter writes files only. */
static bool xlsx_body(request *rq, const table *t)
{
    const char *dir = getenv("TMPDIR");
    char *path = arena_printf(rq->arena, "%s/somon-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return false;
    close(fd);
    buf why = {0};
    bool ok = table_xlsx(t, path, &why) == 0;
    buf_free(&why);
    FILE *f = ok ? fopen(path, "rb") : NULL;
    if (f) {
        char chunk[1 << 14];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            buf_add(&rq->body, chunk, n);
        ok = !ferror(f);
        fclose(f);
    }
    unlink(path);
    return ok && f;
}

bool web_table_download(request *rq, const table *t, const char *filename)
{
    const char *format = web_param(rq, "format");
    if (!format || !*format || strcmp(format, "html") == 0)
        return false;
    reset_response(rq);
    rq->status = 200;
    if (strcmp(format, "csv") == 0) {
        rq->content_type = "text/csv; charset=utf-8";
        table_csv(t, &rq->body);
    } else if (strcmp(format, "xlsx") == 0) {
        rq->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        if (!xlsx_body(rq, t)) {
            web_error(rq, 503, "unavailable", "Het rekenblad kon niet gemaakt worden; probeer het opnieuw.");
            return true;
        }
    } else {
        web_error(rq, 400, "bad_format", "De parameter format moet html, csv of xlsx zijn.");
        return true;
    }
    web_header(rq, "Content-Disposition",
               arena_printf(rq->arena, "attachment; filename=\"%s.%s\"", filename, format));
    return true;
}

/* What a cached response depends on: the change known, today and the target. */
static const char *cache_key(request *rq)
{
    const char *at = web_param(rq, "as_known_at");
    moment_t m;
    if (at && *at && !moment_parse_iso(at, &m))
        return NULL; /* the page answers 400 itself */
    if (!work_out_known(rq) || rq->known < 0)
        return NULL;
    return arena_printf(rq->arena, "%lld|%d|%s", (long long)rq->known, (int)web_today(), rq->target);
}

static bool answer_from_cache(request *rq, const char *key)
{
    cached_response *c = key ? response_cache_get(key) : NULL;
    if (!c)
        return false;
    rq->cached = c;
    rq->status = response_status(c);
    rq->content_type = response_content_type(c);
    size_t n;
    const web_pair *h = response_headers(c, &n);
    for (size_t i = 0; i < n; i++)
        web_header(rq, h[i].name, h[i].value);
    rq->static_body = (const unsigned char *)response_body(c, &rq->static_len);
    return true;
}

static void keep_in_cache(request *rq, const char *key)
{
    if (!key || rq->status != 200 || rq->static_body)
        return;
    response_cache_release(response_cache_put(key, rq->status, rq->content_type, rq->headers, rq->header_count,
                                              rq->body.data, rq->body.len));
}

void web_handle(request *rq)
{
    rq->status = 200;
    rq->api = strncmp(rq->target ? rq->target : "", "/api/", 5) == 0;
    const char *why;
    int bad = web_target_parse(rq->arena, rq->target ? rq->target : "", &rq->t, &why);
    if (bad) {
        web_error(rq, bad, bad == 414 ? "uri_too_long" : "bad_request", why);
        return;
    }
    bool path_known;
    buf allow = {0};
    const route *r = route_find(rq, &path_known, &allow);
    if (!r && path_known) {
        web_error(rq, 405, "method_not_allowed",
                  arena_printf(rq->arena, rq->api ? "This resource only answers %s." : "Deze pagina kan alleen gelezen "
                                                                                        "worden (%s).", allow.data));
        web_header(rq, "Allow", arena_strdup(rq->arena, allow.data));
    } else if (!r) {
        web_error(rq, 404, "not_found", rq->api ? "There is no such resource." : "Deze pagina bestaat niet.");
    } else {
        const char *key = r->cached ? cache_key(rq) : NULL;
        if (!answer_from_cache(rq, key)) {
            r->handler(rq);
            if (!rq->content_type)
                rq->content_type = "text/html; charset=utf-8";
            keep_in_cache(rq, key);
        }
    }
    buf_free(&allow);
    if (!rq->content_type)
        rq->content_type = "text/html; charset=utf-8";
}

void web_request_done(request *rq)
{
    cache_release(rq->view_entry);
    rq->view_entry = NULL;
    response_cache_release(rq->cached);
    rq->cached = NULL;
    buf_free(&rq->body);
}
