/* web.c: the dispatcher and the helpers every handler uses. See web.h. */
#define _POSIX_C_SOURCE 200809L
#include "web.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "cache.h"
#include "form.h"
#include "history.h"
#include "i18n.h"
#include "input.h"
#include "layout.h"
#include "notice.h"
#include "readahead.h"
#include "report.h"
#include "route.h"

#include <time.h>

bool web_secure_cookies;

static void reset_response(request *rq);

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

const char *web_form(const request *rq, const char *name)
{
    for (size_t i = 0; i < rq->form_count; i++)
        if (strcmp(rq->form[i].name, name) == 0)
            return rq->form[i].value;
    return NULL;
}

void web_redirect(request *rq, const char *location)
{
    reset_response(rq);
    rq->status = 303;
    rq->content_type = "text/plain; charset=utf-8";
    web_header(rq, "Location", location);
    buf_puts(&rq->body, "Zie ");
    buf_puts(&rq->body, location);
    buf_putc(&rq->body, '\n');
}

void web_set_cookie(request *rq, const char *name, const char *value, long max_age)
{
    web_header(rq, "Set-Cookie",
               arena_printf(rq->arena, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name, max_age < 0 ? "" : value,
                            web_secure_cookies ? "; Secure" : "",
                            max_age < 0 ? "; Max-Age=0" : arena_printf(rq->arena, "; Max-Age=%ld", max_age)));
}

const char *web_cookie(request *rq, const char *name)
{
    const char *header = rq->header ? rq->header(rq, "Cookie") : NULL;
    size_t n = strlen(name);
    for (const char *p = header; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > n && strncmp(p, name, n) == 0 && p[n] == '=')
            return arena_strndup(rq->arena, p + n + 1, len - n - 1);
        p += len;
    }
    return NULL;
}

const char *web_route_param(const request *rq, const char *name)
{
    for (size_t i = 0; i < rq->route_param_count; i++)
        if (strcmp(rq->route_params[i].name, name) == 0)
            return rq->route_params[i].value;
    return NULL;
}

/* Worked out once a second per thread: every cached request asks (its key
 * holds the day), and localtime_r takes glibc's time zone lock. */
date_t web_today(void)
{
    static _Thread_local moment_t second = -1;
    static _Thread_local date_t day;
    moment_t now = moment_now() / 1000000;
    if (now != second) {
        day = moment_local_date(now * 1000000);
        second = now;
    }
    return day;
}

static void close_body_file(request *rq)
{
    if (rq->body_file)
        fclose(rq->body_file);
    rq->body_file = NULL;
}

/* A page whose body passes WEB_BODY_IN_MEMORY goes on into a body file, sent
 * and kept by the response cache from there: the overview of a day years
 * before its prognosis lists every municipality added in between, 19 MB on
 * the large register of bench/, which a buffer that doubles held in 32 MB
 * (issue 12). Without a temporary file the body stays in memory. */
enum { WEB_BODY_IN_MEMORY = 512 << 10 };

/* A new temporary file as rq's body file, the body streaming into it from
 * here on; false (said on standard error) when there is none. */
static bool sink_into_new_file(request *rq)
{
    FILE *f = tmpfile();
    if (!f) {
        fprintf(stderr, _("somon: no temporary file for a response: %s\n"), strerror(errno));
        return false;
    }
    rq->body_file = f;
    buf_sink(&rq->body, f);
    return true;
}

static void body_to_file(buf *b, void *ctx)
{
    (void)b; /* the body of ctx */
    sink_into_new_file(ctx);
}

static void body_in_memory_first(request *rq)
{
    size_t most = WEB_BODY_IN_MEMORY;
#ifdef SOMON_TESTING
    const char *n = getenv("SOMON_TEST_BODY_IN_MEMORY"); /* test_lists_scale.py: its register's pages are smaller */
    if (n && atoi(n) > 0)
        most = (size_t)atoi(n);
#endif
    buf_sink_after(&rq->body, most, body_to_file, rq);
}

static void reset_response(request *rq)
{
    buf_free(&rq->body);
    body_in_memory_first(rq);
    close_body_file(rq);
    rq->static_body = NULL;
    rq->static_len = 0;
    rq->header_count = 0;
}

static const char *status_text(int status)
{
    switch (status) {
    case 400: return "Ongeldige vraag";
    case 404: return "Niet gevonden";
    case 403: return "Niet toegestaan";
    case 405: return "Methode niet toegestaan";
    case 409: return "Intussen gewijzigd";
    case 413: return "Te groot";
    case 415: return "Verkeerd formaat";
    case 429: return "Te veel pogingen";
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


static void out_of_range(request *rq, const char *name, const char *v)
{
    web_error(rq, 400, "date_out_of_range",
              rq->api ? arena_printf(rq->arena, "The parameter %s (\"%s\") lies outside %d-01-01 .. %d-12-31; give a "
                                                "date in that range.",
                                     name, arena_clip(rq->arena, v, 40), LIMIT_YEAR_FIRST, LIMIT_YEAR_LAST)
                      : arena_printf(rq->arena, "De parameter %s (\"%s\") ligt buiten 01/01/%d .. 31/12/%d; geef een "
                                                "datum daartussen.",
                                     name, arena_clip(rq->arena, v, 40), LIMIT_YEAR_FIRST, LIMIT_YEAR_LAST));
}

date_t web_date_param(request *rq, const char *name, date_t fallback)
{
    const char *v = web_param(rq, name);
    if (!v || !*v)
        return fallback;
    date_t d;
    if (date_parse_any(v, &d)) {
        if (date_in_limits(d))
            return d;
        out_of_range(rq, name, v);
        return DATE_NONE;
    }
    web_error(rq, 400, "bad_date",
              rq->api ? arena_printf(rq->arena, "The parameter %s (\"%s\") is not a date; give YYYY-MM-DD.", name,
                                     arena_clip(rq->arena, v, 40))
                      : arena_printf(rq->arena, "De parameter %s (\"%s\") is geen datum; geef JJJJ-MM-DD of DD/MM/JJJJ.",
                                     name, arena_clip(rq->arena, v, 40)));
    return DATE_NONE;
}

bool web_province_param(request *rq, int *out)
{
    const char *v = web_param(rq, "province");
    *out = v && *v ? province_parse(v) : -1;
    if (!v || !*v || *out >= 0)
        return true;
    const char *five[PROVINCE_COUNT];
    for (int p = 0; p < PROVINCE_COUNT; p++)
        five[p] = province_name(p);
    web_error(rq, 400, "bad_province",
              arena_printf(rq->arena,
                           rq->api ? "The parameter province (\"%s\") is not a Flemish province; give %s, %s, %s, %s "
                                     "or %s."
                                   : "De parameter province (\"%s\") is geen Vlaamse provincie; kies %s, %s, %s, %s of "
                                     "%s.",
                           arena_clip(rq->arena, v, 40), five[0], five[1], five[2], five[3], five[4]));
    return false;
}

bool web_moment_param(request *rq, moment_t *out)
{
    const char *v = web_param(rq, "as_known_at");
    *out = MOMENT_NONE;
    if (!v || !*v)
        return true;
    if (moment_parse_any(v, out)) {
        if (date_in_limits(moment_local_date(*out)))
            return true;
        out_of_range(rq, "as_known_at", v);
        *out = MOMENT_NONE;
        return false;
    }
    web_error(rq, 400, "bad_as_known_at",
              rq->api ? arena_printf(rq->arena, "The parameter as_known_at (\"%s\") is not a moment; give e.g. "
                                                "2023-07-01T00:00:00 or 2023-07-01T00:00:00+02:00.",
                                     arena_clip(rq->arena, v, 40))
                      : arena_printf(rq->arena, "De parameter as_known_at (\"%s\") is geen tijdstip; geef bv. "
                                                "01/07/2023, 2023-07-01T00:00:00 of 2023-07-01T00:00:00+02:00.",
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

/* libxlsxwriter writes files only: the body is written to a temporary file,
 * read back and the file removed. One writer at a time: libxlsxwriter dates
 * every workbook with gmtime(), whose result lives in one static buffer that
 * two threads would share (ThreadSanitizer saw two template downloads race). */
static pthread_mutex_t file_writer = PTHREAD_MUTEX_INITIALIZER;

static pthread_mutex_t heavy_render = PTHREAD_MUTEX_INITIALIZER;

void web_heavy(request *rq)
{
    if (rq->heavy)
        return;
    pthread_mutex_lock(&heavy_render);
    rq->heavy = true;
}

static void heavy_done(request *rq)
{
    if (!rq->heavy)
        return;
    rq->heavy = false;
    pthread_mutex_unlock(&heavy_render);
}

bool web_body_file(request *rq)
{
    close_body_file(rq);
    buf_free(&rq->body);
    return sink_into_new_file(rq);
}

int web_body_file_take(request *rq, size_t *length)
{
    if (!rq->body_file)
        return -1;
    bool ok = buf_flush(&rq->body);
    off_t end = ok ? lseek(fileno(rq->body_file), 0, SEEK_END) : -1;
    int fd = end >= 0 ? dup(fileno(rq->body_file)) : -1;
    if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0) {
        if (fd >= 0)
            close(fd);
        fprintf(stderr, _("somon: a response could not be written to its temporary file\n"));
        return -1;
    }
    *length = (size_t)end;
    return fd;
}

/* Writes through write into a new temporary file named after what, under
 * the one-writer lock; returns the file opened for reading (its name already
 * removed), or NULL with the reason on standard error. */
static FILE *written_file(const char *what, int (*write)(const void *ctx, const char *path, buf *why),
                          const void *ctx)
{
    const char *dir = getenv("TMPDIR");
    buf path = {0};
    buf_puts(&path, dir && *dir ? dir : "/tmp");
    buf_puts(&path, "/somon-");
    buf_puts(&path, what);
    buf_puts(&path, "-XXXXXX");
    int fd = mkstemp(path.data);
    if (fd < 0) {
        buf_free(&path);
        return NULL;
    }
    close(fd);
    buf why = {0};
    pthread_mutex_lock(&file_writer);
    bool ok = write(ctx, path.data, &why) == 0;
    pthread_mutex_unlock(&file_writer);
    if (!ok)
        fprintf(stderr, _("somon: %s could not be written: %s\n"), what, why.data ? why.data : "");
    buf_free(&why);
    /* the open file is what the caller reads; its name goes at once */
    FILE *f = ok ? fopen(path.data, "rb") : NULL;
    unlink(path.data);
    buf_free(&path);
    return f;
}

bool web_body_from_file(request *rq, const char *what, int (*write)(const void *ctx, const char *path, buf *why),
                        const void *ctx)
{
    FILE *f = written_file(what, write, ctx);
    if (!f)
        return false;
    close_body_file(rq);
    buf_free(&rq->body);
    rq->body_file = f;
    buf_sink(&rq->body, f);
    return true;
}

char *web_file_bytes(const char *what, int (*write)(const void *ctx, const char *path, buf *why), const void *ctx,
                     size_t *length)
{
    FILE *f = written_file(what, write, ctx);
    if (!f)
        return NULL;
    buf bytes = {0};
    char chunk[1 << 14];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&bytes, chunk, n);
    bool ok = !ferror(f);
    fclose(f);
    if (!ok) {
        buf_free(&bytes);
        return NULL;
    }
    return buf_take(&bytes, length);
}

/* A file name for Content-Disposition: ids and dates pass as they are, and
 * anything else a name may be made of (a quote, a semicolon, a byte that is
 * not ASCII) becomes '-', so no value can end the quoted parameter. */
static const char *file_name_safe(request *rq, const char *name)
{
    char *safe = arena_strdup(rq->arena, name);
    for (char *c = safe; *c; c++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-", *c))
            *c = '-';
    return safe;
}

/* A new empty temporary file for a writer that wants a name (libxlsxwriter),
 * in the request's arena; NULL when none could be made. */
static const char *temp_path(request *rq, const char *what)
{
    const char *dir = getenv("TMPDIR");
    char *path = arena_printf(rq->arena, "%s/somon-%s-XXXXXX", dir && *dir ? dir : "/tmp", what);
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    close(fd);
    return path;
}

static void download_failed(request *rq, const char *what)
{
    web_error(rq, 503, "unavailable",
              arena_printf(rq->arena, "%s kon niet gemaakt worden; probeer het opnieuw.", what));
}

/* Begins a download of a table when ?format= asks for one: 0 when it does not
 * (the page renders itself), 1 when rq->download takes the rows, -1 after
 * answering (a bad format 400, no temporary file 503). */
static int download_begin(request *rq, const char *filename, bool people)
{
    const char *format = web_param(rq, "format");
    if (!format || !*format || strcmp(format, "html") == 0)
        return 0;
    if (strcmp(format, "csv") == 0 || strcmp(format, "xlsx") == 0)
        web_heavy(rq);
    reset_response(rq);
    rq->status = 200;
    if (strcmp(format, "csv") == 0) {
        rq->content_type = "text/csv; charset=utf-8";
        if (!web_body_file(rq)) {
            download_failed(rq, "Het bestand");
            return -1;
        }
        rq->download = table_writer_csv(rq->arena, &rq->body, people);
    } else if (strcmp(format, "xlsx") == 0) {
        rq->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        buf why = {0};
        rq->download_path = temp_path(rq, "xlsx");
        if (rq->download_path) {
            pthread_mutex_lock(&file_writer);
            rq->download = table_writer_xlsx(rq->arena, rq->download_path, &why);
            pthread_mutex_unlock(&file_writer);
        }
        if (!rq->download) {
            fprintf(stderr, _("somon: %s could not be written: %s\n"), "xlsx", why.data ? why.data : "");
            if (rq->download_path)
                unlink(rq->download_path);
            rq->download_path = NULL;
            buf_free(&why);
            download_failed(rq, "Het rekenblad");
            return -1;
        }
        buf_free(&why);
    } else {
        web_error(rq, 400, "bad_format", "De parameter format moet html, csv of xlsx zijn.");
        return -1;
    }
    web_header(rq, "Content-Disposition",
               arena_printf(rq->arena, "attachment; filename=\"%s.%s\"", file_name_safe(rq, filename), format));
    return 1;
}

/* A download that did not end (the page answered an error instead). */
static void download_drop(request *rq)
{
    if (!rq->download)
        return;
    table_writer_discard(rq->download);
    rq->download = NULL;
    if (rq->download_path)
        unlink(rq->download_path);
    rq->download_path = NULL;
}

bool web_table_begin(request *rq, const char *filename)
{
    if (download_begin(rq, filename, true) != 1)
        return false;
    table_stream_next(rq->download);
    return true;
}

/* people: a page's download (web_table_begin, web_table_download), not the
 * API's; a last row for the people who read it goes here, before table_end. */
static void download_end(request *rq, table *t, bool people)
{
    (void)people;
    table_writer *w = rq->download;
    if (!w)
        return;
    if (t->writer != w) { /* the builder made no table: nothing was sent */
        download_drop(rq);
        download_failed(rq, "Het bestand");
        return;
    }
    /* the register notice (issue 13): table_end writes it as the last row of
     * the CSV for people and under the table in XLSX; the machine CSV of the
     * API keeps its columns (the response header says it) */
    t->notice = page_register_notice(rq);
    const char *path = rq->download_path;
    buf why = {0};
    if (path)
        pthread_mutex_lock(&file_writer);
    int rc = table_end(t, path, &why);
    if (path)
        pthread_mutex_unlock(&file_writer);
    rq->download = NULL;
    rq->download_path = NULL;
    if (rc) {
        fprintf(stderr, _("somon: %s could not be written: %s\n"), path ? "xlsx" : "csv", why.data ? why.data : "");
        buf_free(&why);
        if (path)
            unlink(path);
        download_failed(rq, path ? "Het rekenblad" : "Het bestand");
        return;
    }
    buf_free(&why);
    if (!path)
        return;
    /* the open file is the body; its name goes at once */
    FILE *f = fopen(path, "rb");
    unlink(path);
    if (!f) {
        download_failed(rq, "Het rekenblad");
        return;
    }
    close_body_file(rq);
    buf_free(&rq->body);
    rq->body_file = f;
    buf_sink(&rq->body, f);
}

void web_table_end(request *rq, table *t) { download_end(rq, t, true); }

/* A table built whole (small ones): the same writer, every row at once. */
static bool table_download(request *rq, table *t, const char *filename, bool people)
{
    int begun = download_begin(rq, filename, people);
    if (begun <= 0)
        return begun < 0;
    table_stream(t, rq->download);
    download_end(rq, t, people);
    return true;
}

static const char *request_municipality_name(void *ctx, const char *nis)
{
    request *rq = ctx;
    return store_municipality_name(rq->db, rq->arena, nis);
}

const history_names *web_history_names(request *rq)
{
    history_names *n = arena_alloc(rq->arena, sizeof *n);
    *n = (history_names){request_municipality_name, rq};
    return n;
}

bool web_table_download(request *rq, table *t, const char *filename)
{
    return table_download(rq, t, filename, true);
}

bool api_table_download(request *rq, table *t, const char *filename)
{
    return table_download(rq, t, filename, false);
}

/* What a cached response depends on: the change known, today and the target. */
static const char *cache_key(request *rq)
{
    const char *at = web_param(rq, "as_known_at");
    moment_t m;
    if (at && *at && (!moment_parse_any(at, &m) || !date_in_limits(moment_local_date(m))))
        return NULL; /* the page answers 400 itself */
    if (!work_out_known(rq) || rq->known < 0)
        return NULL;
    /* "known|today|target", printf-ed without the target (issue 12) */
    char head[48];
    int n = snprintf(head, sizeof head, "%lld|%d|", (long long)rq->known, (int)web_today());
    if (n < 0 || (size_t)n >= sizeof head)
        return NULL;
    const char *t = rq->target ? rq->target : "";
    size_t target = strlen(t);
    char *key = arena_alloc(rq->arena, (size_t)n + target + 1);
    memcpy(key, head, (size_t)n);
    memcpy(key + n, t, target + 1);
    return key;
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
    if (rq->body_file) { /* a download, a long API list: kept as its file */
        size_t len = 0;
        int fd = web_body_file_take(rq, &len);
        if (fd >= 0)
            response_cache_release(response_cache_put_file(key, rq->status, rq->content_type, rq->headers,
                                                           rq->header_count, fd, len));
        return;
    }
    response_cache_release(response_cache_put(key, rq->status, rq->content_type, rq->headers, rq->header_count,
                                              rq->body.data, rq->body.len));
}

/* ---- who is asking, and may they ------------------------------------------ */

/* The account of a valid session cookie, or none. An expired session is
 * ended on the server; an active one is marked seen (at most once a minute,
 * to spare the database a write per page). */
static void resolve_session(request *rq)
{
    const char *token = web_cookie(rq, WEB_SESSION_COOKIE);
    if (!token || strlen(token) != AUTH_TOKEN_LEN - 1)
        return;
    auth_token_hash(token, rq->session_hash);
    store_session ss;
    if (store_session_get(rq->db, rq->session_hash, rq->arena, &ss) != 1 || ss.ended)
        return;
    int64_t now = (int64_t)time(NULL);
    if (now - ss.last_seen > SESSION_IDLE_SECONDS || now - ss.created > SESSION_MAX_SECONDS) {
        store_session_end(rq->db, rq->session_hash, 0, now);
        return;
    }
    store_account row;
    if (store_account_get(rq->db, NULL, ss.account, rq->arena, &row) != 1 || row.disabled)
        return;
    account *who = arena_calloc(rq->arena, 1, sizeof *who);
    auth_account_of(rq->arena, &row, who);
    rq->who = who;
    rq->csrf = ss.csrf;
    if (now - ss.last_seen >= 60)
        store_session_touch(rq->db, rq->session_hash, now);
}

static bool is_post(const request *rq) { return strcmp(rq->method, "POST") == 0; }

/* A POST's fields, and the proof that the page that sent them was ours: the
 * session's CSRF token, or before signing in the login form's own token
 * (the same random value in a cookie and in the form). */
static bool read_post(request *rq, const route *r)
{
    const char *type = rq->header ? rq->header(rq, "Content-Type") : NULL, *why;
    int bad = form_parse(rq->arena, type, rq->body_in, rq->body_in_len, &rq->form, &rq->form_count, &why);
    if (bad) {
        web_error(rq, bad, "bad_form", why);
        return false;
    }
    bool login = strcmp(r->pattern, "/login") == 0;
    bool proven = login ? auth_same(web_form(rq, "login_token"), web_cookie(rq, "somon_login"))
                        : rq->who && auth_same(web_form(rq, "csrf"), rq->csrf);
    if (!proven) {
        web_error(rq, 403, "csrf", login ? "Het aanmeldformulier is verlopen; laad de pagina opnieuw en meld u aan."
                                         : "Dit formulier kwam niet van een geldige sessie (CSRF-token ontbreekt of "
                                           "klopt niet); er is niets gewijzigd. Laad de pagina opnieuw.");
        return false;
    }
    return true;
}

static const act AGREEMENT_ACTS[] = {[PERM_EDIT] = ACT_EDIT_AGREEMENT,
                                     [PERM_PLAN] = ACT_EDIT_PLAN,
                                     [PERM_GOVERNANCE] = ACT_EDIT_GOVERNANCE,
                                     [PERM_NOTES] = ACT_EDIT_NOTES};

/* The one place where a route's permission is decided (with auth_may). */
static bool permitted(request *rq, const route *r)
{
    bool ok = false;
    switch (r->perm) {
    case PERM_PUBLIC:
        return true;
    case PERM_SIGNED_IN:
        ok = auth_may(rq->who, ACT_SIGNED_IN, NULL, -1);
        break;
    case PERM_ACCOUNTS:
        ok = auth_may(rq->who, ACT_MANAGE_ACCOUNTS, NULL, -1);
        break;
    case PERM_REGION: /* the province chosen in a form is page_regions.c's, refused beside its field */
        if (web_route_param(rq, "id")) {
            regiegebied g;
            int found = store_get_regiegebied(rq->db, STORE_NOW, web_route_param(rq, "id"), rq->arena, &g);
            if (found != 1) {
                web_error(rq, found < 0 ? 503 : 404, found < 0 ? "unavailable" : "not_found",
                          found < 0 ? "Het register kan nu niet gelezen worden." : "Er is geen regiegebied met deze id.");
                return false;
            }
            ok = auth_may(rq->who, ACT_EDIT_REGION, NULL, g.province);
            break;
        }
        for (int p = 0; p < PROVINCE_COUNT; p++)
            ok = ok || auth_may(rq->who, ACT_EDIT_REGION, NULL, p);
        break;
    case PERM_ORGANISATION:
        ok = auth_may(rq->who, ACT_EDIT_ORGANISATION, NULL, -1);
        break;
    case PERM_COOPERATION: /* in some province; the municipality's is page_cooperation.c's, refused beside its field */
    case PERM_PUBLISH:
        for (int p = 0; p < PROVINCE_COUNT; p++)
            ok = ok || auth_may(rq->who, ACT_EDIT_REGION, NULL, p);
        break;
    case PERM_CREATE: /* somewhere; the directorate chosen is edit_save()'s, refused beside its field */
        for (int p = 0; p < PROVINCE_COUNT; p++)
            ok = ok || auth_may(rq->who, ACT_CREATE_AGREEMENT, NULL, p);
        break;
    case PERM_EDIT:
    case PERM_PLAN:
    case PERM_GOVERNANCE:
    case PERM_NOTES: {
        agreement *ag = arena_calloc(rq->arena, 1, sizeof *ag);
        int found = store_get_agreement(rq->db, STORE_NOW, web_route_param(rq, "id"), rq->arena, ag);
        if (found != 1) {
            web_error(rq, found < 0 ? 503 : 404, found < 0 ? "unavailable" : "not_found",
                      found < 0 ? "Het register kan nu niet gelezen worden." : "Er is geen overeenkomst met deze id.");
            return false;
        }
        rq->subject = ag;
        ok = auth_may(rq->who, AGREEMENT_ACTS[r->perm], ag, -1);
        break;
    }
    }
    if (ok)
        return true;
    if (!rq->who && !is_post(rq)) {
        buf next = {0};
        buf_url(&next, rq->target);
        web_redirect(rq, arena_printf(rq->arena, "/login?next=%s", next.data));
        buf_free(&next);
    }
    else
        web_error(rq, 403, "forbidden",
                  rq->who ? "Uw account mag dit niet doen; er is niets gewijzigd."
                          : "Meld u aan om dit te doen; er is niets gewijzigd.");
    return false;
}

void web_handle(request *rq)
{
    rq->status = 200;
    body_in_memory_first(rq);
    rq->api = strncmp(rq->target ? rq->target : "", "/api/", 5) == 0;
    const char *why;
    int bad = web_target_parse(rq->arena, rq->target ? rq->target : "", &rq->t, &why);
    if (bad) {
        web_error(rq, bad,
                  bad == 414                        ? "uri_too_long"
                  : strcmp(why, WEB_TOO_MANY_PARAMS) == 0 ? "too_many_parameters"
                                                          : "bad_request",
                  rq->api ? web_target_why_english(why) : why);
        return;
    }
    resolve_session(rq);
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
    } else if ((is_post(rq) && !read_post(rq, r)) || !permitted(rq, r)) {
        /* answered: 4xx, or a redirect to the login page */
    } else {
        /* a GET reads one snapshot in one transaction (issue 12); a POST's
         * writes take their own (store_begin) */
        int reading = is_post(rq) ? 0 : store_read_begin(rq->db);
        /* pages differ per account: only anonymous ones are shared */
        const char *key = r->cached && !rq->who ? cache_key(rq) : NULL;
        if (!answer_from_cache(rq, key)) {
            r->handler(rq);
            download_drop(rq);
            heavy_done(rq);
            if (!rq->content_type)
                rq->content_type = "text/html; charset=utf-8";
            const char *notice = rq->api ? page_register_notice(rq) : NULL;
            if (notice) /* issue 13: also where the body cannot say it (a list, the CSV of SPEC §4) */
                web_header(rq, REGISTER_NOTICE_HEADER, notice);
            keep_in_cache(rq, key);
        }
        store_read_end(rq->db, reading);
        if (is_post(rq))
            readahead_poke(); /* read the new version ahead of the next page */
    }
    buf_free(&allow);
    if (!rq->content_type)
        rq->content_type = "text/html; charset=utf-8";
}

bool web_handle_cheap(request *rq)
{
    if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0)
        return false;
    const char *why;
    if (web_target_parse(rq->arena, rq->target ? rq->target : "", &rq->t, &why) ||
        web_cookie(rq, WEB_SESSION_COOKIE)) /* a signed-in page is nobody else's */
        return false;
    bool path_known;
    buf allow = {0};
    const route *r = route_find(rq, &path_known, &allow);
    buf_free(&allow);
    bool answered = false;
    rq->status = 200;
    if (r && r->perm == PERM_PUBLIC && strcmp(r->pattern, "/static/:name") == 0) {
        r->handler(rq); /* embedded files: no database, nothing to build */
        answered = true;
    } else if (r && r->perm == PERM_PUBLIC && r->cached) {
        const char *key = cache_key(rq);
        answered = answer_from_cache(rq, key);
    }
    if (!answered)
        rq->route_param_count = 0;
    else if (!rq->content_type)
        rq->content_type = "text/html; charset=utf-8";
    return answered;
}

void web_request_done(request *rq)
{
    cache_release(rq->view_entry);
    rq->view_entry = NULL;
    response_cache_release(rq->cached);
    rq->cached = NULL;
    buf_free(&rq->body);
    close_body_file(rq);
}
