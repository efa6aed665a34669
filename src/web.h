/* web.h: a request and its response, independent of the HTTP library.
 *
 * http.c (libmicrohttpd) and the hidden `somon test-http` command both build a
 * request, call web_handle() and send what it leaves in the response fields.
 * Everything a request allocates comes from rq->arena, released when the
 * request ends; rq->body is freed by whoever sends it. Handlers are plain
 * functions found through the route table (route.c), which also says which
 * methods each path takes, so method and permission checks live in one
 * place. */
#ifndef SOMON_WEB_H
#define SOMON_WEB_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "date.h"
#include "store.h"

enum { WEB_MAX_HEADERS = 12, WEB_MAX_TARGET = 4096, WEB_MAX_PARAMS = 64, WEB_MAX_SEGMENTS = 16 };

typedef struct {
    const char *name, *value;
} web_pair;

/* A request target split and percent-decoded (query.c). */
typedef struct {
    const char **segments; /* the path, one decoded segment each, no empty ones */
    size_t segment_count;
    web_pair *params; /* the query, decoded, in order */
    size_t param_count;
} web_target;

/* Parses target ("/a/b?x=1") strictly: no raw spaces or control bytes,
 * valid percent-encoding, valid UTF-8, no control characters, within the
 * limits above (more than WEB_MAX_PARAMS parameters is a 400, too long or
 * too deep a 414). Returns 0, or the HTTP status with *why set to a Dutch
 * sentence for the user; web_target_why_english() gives it for the API. */
int web_target_parse(arena *a, const char *target, web_target *out, const char **why);
const char *web_target_why_english(const char *why);
#define WEB_TOO_MANY_PARAMS "Het adres heeft te veel parameters: hoogstens 64."
#define WEB_TOO_MANY_PARAMS_EN "The target has too many parameters: at most 64."

/* Percent-decodes s[0..n) into a (with '+' as a space when query): NULL,
 * with *why, when the encoding or the decoded text is not acceptable (bad
 * escapes, invalid UTF-8, control characters; text allows tab, CR and LF). */
const char *web_percent_decode(arena *a, const char *s, size_t n, bool query, bool text, const char **why);
/* The length of the valid UTF-8 character at s (1..4), or 0. */
size_t web_utf8_length(const unsigned char *s, size_t n);

typedef struct request request;
typedef void (*web_handler)(request *rq);

struct request {
    arena *arena;
    const char *method; /* "GET", "HEAD", … */
    const char *target; /* as received */
    web_target t;
    web_pair route_params[4]; /* ":id" and the like, from the route table */
    size_t route_param_count;
    const char *(*header)(const request *rq, const char *name); /* request header or NULL */
    void *transport; /* for header(): the connection of the transport */
    const char *remote;                  /* the client's address (throttling, logs) */
    const char *body_in;                 /* a POST's body as received, and its length */
    size_t body_in_len;
    store *db;       /* this worker's connection (read-write when the file allows) */
    bool api;        /* under /api/: errors are JSON */
    web_pair *form;                      /* a POST's fields, decoded */
    size_t form_count;
    const struct account *who;           /* the signed-in account, or NULL */
    const char *csrf;                    /* its session's CSRF token */
    unsigned char session_hash[32];      /* its session (when who is set) */
    struct agreement *subject;           /* the agreement a route with :id acts on (current version) */
    struct cache_entry *view_entry;      /* held until the request ends */
    int64_t known;                       /* the change the view shows */
    bool known_ready;                    /* known has been worked out */
    struct cached_response *cached;      /* the response came from the cache (held until the request ends) */

    /* the response */
    int status;
    const char *content_type;
    buf body;
    const unsigned char *static_body; /* instead of body: data that outlives the request */
    FILE *body_file;                  /* set by web_body_file(): body streams into it */
    struct table_writer *download;    /* web_table_begin(): where the rows go until web_table_end() */
    const char *download_path;        /* its XLSX file while it is written */
    bool heavy;                       /* holds the one large render (web_heavy) */
    size_t static_len;
    web_pair headers[WEB_MAX_HEADERS];
    size_t header_count;
};

/* Handles rq: routing, method checks, the handler, error pages. */
void web_handle(request *rq);

/* For transports that keep slow work off their connection threads: answers
 * rq as web_handle() would when that is cheap (a GET or HEAD without a session
 * cookie of a public cached route whose response is in the response cache,
 * or of an embedded static file) and returns true; false, with no response
 * set, when the request needs web_handle(). */
bool web_handle_cheap(request *rq);

/* Response helpers. */
void web_header(request *rq, const char *name, const char *value);
/* An error page (HTML, or JSON under /api/) with the status and a message. */
void web_error(request *rq, int status, const char *code, const char *message);
/* The security headers every response carries (also used by http.c for its
 * own error responses). */
extern const web_pair WEB_SECURITY_HEADERS[];
extern const size_t WEB_SECURITY_HEADER_COUNT;

/* A redirect after a successful POST (303 See Other). */
void web_redirect(request *rq, const char *location);
/* Sessions travel in this cookie; Secure is added when the deployment is
 * behind TLS (serve --secure-cookies). */
#define WEB_SESSION_COOKIE "somon_session"
extern bool web_secure_cookies;
/* Sets a cookie (HttpOnly; SameSite=Strict; Path=/); max_age < 0 deletes it. */
void web_set_cookie(request *rq, const char *name, const char *value, long max_age);
/* The value of a request cookie, or NULL. */
const char *web_cookie(request *rq, const char *name);

/* Parameters. */
const char *web_param(const request *rq, const char *name);       /* query; NULL when absent */
const char *web_form(const request *rq, const char *name);        /* a POST field; NULL when absent */
const char *web_route_param(const request *rq, const char *name); /* from the route pattern */
/* A date parameter (YYYY-MM-DD or DD/MM/YYYY): the date, fallback when absent
 * or empty, or DATE_NONE after answering 400 for a bad value or one outside
 * the years of input.h (LIMIT_YEAR_FIRST..LIMIT_YEAR_LAST, the range every
 * import and form keeps too; so no page is asked to render a row per year up
 * to 9999). Every date a request carries goes through here or
 * web_moment_param. */
date_t web_date_param(request *rq, const char *name, date_t fallback);
/* The parameter province: *out is the province, or -1 when absent or empty;
 * false after answering 400 for a name that is not one of the five (the
 * answer names the value and the five). Every list that filters by province
 * reads it here. */
bool web_province_param(request *rq, int *out);
/* as_known_at: MOMENT_NONE when absent; false after answering 400 (also for a
 * moment whose local date lies outside the range above). */
bool web_moment_param(request *rq, moment_t *out);
/* The view as known at the request's as_known_at (from the view cache); NULL
 * after answering 500/503. Released when the request ends. */
const register_view *web_view(request *rq);
/* The change the view shows (for cache keys and links). */
int64_t web_known(const request *rq);

/* Sends a table as CSV or XLSX when ?format= asks for it; returns true when
 * it answered (also for a bad format: 400). The pages' CSV is for people
 * (table_csv_people: Excel in nl-BE, Dutch headers, so the table should hold
 * the values as the page shows them); the API's keeps the documented machine
 * columns (table_csv). For tables built whole (a few rows); the long lists
 * stream with web_table_begin. Afterwards t has no rows. */
struct table;
bool web_table_download(request *rq, struct table *t, const char *filename);
/* A download of a long list, written as its rows are made and never held
 * whole: call it when the page is asked for a download (page_wants_download),
 * then build the table (the next table_init() on this thread streams into
 * the response: each row is written when the builder begins the next), then
 * web_table_end(). False when it answered instead (a bad format: 400; no
 * temporary file: 503): build nothing. The bytes are web_table_download's. */
bool web_table_begin(request *rq, const char *filename);
/* The end of every page download, streamed or not: the one place where a row
 * can still be added to t (table_row before it), then the last row, the
 * workbook closed and the file sent. Answers 503 when the file could not be
 * written. */
void web_table_end(request *rq, struct table *t);
/* The body as write (a writer of files only, as libxlsxwriter) makes it: through
 * a temporary file named after what, read back and removed. False when it
 * failed (the reason on standard error); the caller answers 503. */
bool web_body_from_file(request *rq, const char *what, int (*write)(const void *ctx, const char *path, buf *why),
                        const void *ctx);
/* The same, for bytes to keep beyond a request (a malloc'd copy, *length
 * set; the caller frees it); NULL when it failed. */
char *web_file_bytes(const char *what, int (*write)(const void *ctx, const char *path, buf *why), const void *ctx,
                     size_t *length);
bool api_table_download(request *rq, struct table *t, const char *filename);
/* A body of any size: from now on rq->body streams (append-only, see buf_sink)
 * into an unlinked temporary file, which the transport sends, so no body is
 * held whole in memory. False (with the reason on standard error) when no
 * file could be made; the caller answers 503. */
bool web_body_file(request *rq);
/* Says that this request renders something large (a download, a long API
 * list, the parliamentary answer, a feed of every meeting): waits until no
 * other request does, and holds that until the page's handler returns. One
 * large render at a time bounds the server's memory: two at once each took
 * 30–270 MB on the large register (issue 12). The table downloads call it;
 * a page that makes something large calls it before it begins (the answer,
 * the annex's download, the feeds of an organisation or municipality, the
 * overview with its table, map and footnotes). Never
 * call it while holding a lock another large render may wait for. */
void web_heavy(request *rq);
/* For transports: the finished body file as a descriptor of its own (positioned
 * at the start; the caller closes it) and its length; -1 when the body is not in
 * a file or could not be written. */
int web_body_file_take(request *rq, size_t *length);

/* How this request's reader sees history values: municipalities by name
 * (history.h). Lives in the request's arena. */
struct history_names;
const struct history_names *web_history_names(request *rq);

/* Called by the transport when a request ends: releases what it holds. */
void web_request_done(request *rq);

/* Today in the machine's local time zone. */
date_t web_today(void);

#endif
