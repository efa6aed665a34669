/* http.c: see http.h. The libmicrohttpd handler is called several times per
 * request; the response is queued on the second call, never the first
 * (answering on the first forces "Connection: close" and cut throughput four-
 * to five-fold, see STYLE.md). A request's arena is made in the URI callback
 * (which sees the target exactly as the client sent it) and released in the
 * completion callback. */
#define _GNU_SOURCE
#include "http.h"
#include "indicator_cache.h"
#include "i18n.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "cache.h"
#include "readahead.h"
#include "form.h"
#include "term.h"
#include "web.h"

enum {
    CONNECTION_LIMIT = 1024,
    PER_IP_LIMIT = 256,
    TIMEOUT_SECONDS = 15, /* idle; serve --timeout changes it, and the two below with it (4/3 and 2 times) */
    HEADER_SECONDS = 20, /* a request line and headers must arrive within this, however slowly they trickle */
    REQUEST_SECONDS = 30, /* and the whole request, headers and body, within this */
    CONNECTION_MEMORY = 32 * 1024, /* request line and headers must fit */
    DRAIN_SECONDS = 10,
    LOG_IDLE_MS = 10, /* the access log is written this long after the server was idle */
    MAX_WORKERS = 64,
    RENDER_MAX = 32,        /* render threads at most */
    RENDER_QUEUE = 256,     /* requests waiting for a render thread, at most */
    RENDER_PER_CLIENT = 128, /* of which from one client address (a cold page under 64 connections must fit) */
    RENDER_NICE = 5,        /* render threads yield the CPU to the connection threads */
    TRIM_AFTER_BYTES = 4 << 20, /* a render that used more: malloc_trim after it */
    MMAP_FROM_BYTES = 256 << 10, /* malloc's blocks from this size are mapped on their own */
    STORE_CACHE_KIB = 512,  /* SQLite's page cache per thread's connection (its default: 2 MiB each) */
    MAX_STORES = MAX_WORKERS + RENDER_MAX,
};

typedef enum { JOB_NONE, JOB_QUEUED, JOB_RUNNING, JOB_DONE } job_state;

typedef struct context {
    request rq;
    struct MHD_Connection *connection;
    buf upload; /* a POST's body, up to limit */
    size_t limit; /* FORM_MAX_BYTES, or more for the spreadsheet upload (form_body_limit) */
    bool too_large;
    bool called;
    bool answered;
    size_t sent;
    char remote[INET6_ADDRSTRLEN];
    const char *version;
    time_t started;
    job_state job;               /* on the render threads (render_lock) */
    bool heavy;                  /* its rendering used more than TRIM_AFTER_BYTES */
    struct context *next_job;    /* in the render queue */
} context;

/* The peers whose X-Forwarded-For is believed (serve --trusted-proxy). */
typedef struct {
    int family; /* AF_INET or AF_INET6 */
    unsigned char addr[16];
} peer_address;
static peer_address trusted[HTTP_MAX_PROXIES];
static size_t trusted_count;

/* ---- per-worker database connections ---------------------------------- */

static const char *db_path;
static store_mode worker_mode = STORE_READWRITE; /* read-only when the file cannot be written */
static _Thread_local store *worker_db;
static pthread_mutex_t workers_lock = PTHREAD_MUTEX_INITIALIZER;
static store *workers[MAX_STORES];
static size_t worker_count;

static store *thread_store(void)
{
    if (worker_db)
        return worker_db;
    char *err = NULL;
    if (store_open(db_path, worker_mode, &worker_db, &err)) {
        fprintf(stderr, "somon: %s\n", err ? err : _("cannot open the database"));
        free(err);
        return NULL;
    }
    store_cache_limit(worker_db, STORE_CACHE_KIB);
    store_watch_commits(worker_db); /* every request asks for the last change */
    pthread_mutex_lock(&workers_lock);
    if (worker_count < MAX_STORES)
        workers[worker_count++] = worker_db;
    pthread_mutex_unlock(&workers_lock);
    return worker_db;
}

static void close_workers(void)
{
    pthread_mutex_lock(&workers_lock);
    for (size_t i = 0; i < worker_count; i++)
        store_close(workers[i]);
    worker_count = 0;
    pthread_mutex_unlock(&workers_lock);
}

/* ---- slow clients --------------------------------------------------------- *
 * The library's timeout restarts with every byte, so a client sending its
 * headers or its body a byte a second would hold a connection for ever
 * (slowloris, slow POST). Each connection notes since when it waits and how
 * long it may: HEADER_SECONDS from the end of its previous request (or its
 * start) until the headers are in, REQUEST_SECONDS from the arrival of the
 * request line until the body is; a watchdog shuts down those that take
 * longer. Shutting down (not closing) the
 * socket makes the library see the end of the stream and clean up in its own
 * thread. */

typedef struct watched {
    struct watched *prev, *next;
    int fd;
    time_t waiting_since; /* 0 while a request is being answered */
    int allowed;          /* seconds from waiting_since */
    /* the TCP peer and its text, once the first request asked (the
     * connection's thread only: remember_remote) */
    bool peer_known;
    peer_address peer;
    char peer_text[INET6_ADDRSTRLEN];
} watched;

typedef enum { WAIT_HEADERS, WAIT_BODY, WAIT_NONE } wait_state;

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static watched watch_list = {.prev = &watch_list, .next = &watch_list, .fd = -1};
static int header_seconds = HEADER_SECONDS, request_seconds = REQUEST_SECONDS; /* set before the threads start */
static pthread_t watchdog_thread;
static atomic_bool watchdog_stop; /* written by the main thread, read by the watchdog */

static void on_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        watched *w = calloc(1, sizeof *w);
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!w || !info) {
            free(w);
            return;
        }
        w->fd = info->connect_fd;
        w->waiting_since = time(NULL);
        w->allowed = header_seconds;
        pthread_mutex_lock(&watch_lock);
        w->next = watch_list.next;
        w->prev = &watch_list;
        watch_list.next->prev = w;
        watch_list.next = w;
        pthread_mutex_unlock(&watch_lock);
        *socket_context = w;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        watched *w = *socket_context;
        pthread_mutex_lock(&watch_lock);
        w->prev->next = w->next;
        w->next->prev = w->prev;
        pthread_mutex_unlock(&watch_lock);
        free(w);
        *socket_context = NULL;
    }
}

/* Notes what the connection waits for: the headers of its next request
 * (from now), the body of this one (from since, when its request line
 * came), or nothing (the request is being answered). */
static void connection_waiting(struct MHD_Connection *connection, wait_state state, time_t since)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    watched *w = info ? info->socket_context : NULL;
    if (!w)
        return;
    pthread_mutex_lock(&watch_lock);
    if (state == WAIT_HEADERS) {
        w->waiting_since = time(NULL);
        w->allowed = header_seconds;
    } else if (state == WAIT_BODY) {
        w->waiting_since = since;
        w->allowed = request_seconds;
    } else {
        w->waiting_since = 0;
    }
    pthread_mutex_unlock(&watch_lock);
}

static void access_log_flush(void);

/* glibc keeps what a thread frees in that thread's malloc arena, and gives
 * back to the system only what lies at an arena's top: after a request of
 * tens of megabytes the server stayed that much larger. When such a request
 * is done the watchdog (not a connection thread: it takes milliseconds)
 * hands every free page back with malloc_trim. */
static atomic_bool trim_wanted;
/* Any render since the last trim: the watchdog trims once the server is idle
 * too, so that what smaller renders left in the threads' arenas goes back
 * when the load stops (issue 12: 180-220 MB after a sweep without it). */
static atomic_bool rendered;
static long flight_now(void);

static void *watchdog(void *arg)
{
    (void)arg;
    while (!atomic_load(&watchdog_stop)) {
        sleep(1);
        access_log_flush(); /* at least once a second under constant load */
        if (atomic_exchange(&trim_wanted, false) || (atomic_load(&rendered) && flight_now() == 0)) {
            atomic_store(&rendered, false);
            malloc_trim(0);
        }
        time_t now = time(NULL);
        pthread_mutex_lock(&watch_lock);
        for (watched *w = watch_list.next; w != &watch_list; w = w->next)
            if (w->waiting_since && now - w->waiting_since > w->allowed) {
                shutdown(w->fd, SHUT_RDWR);
                w->waiting_since = 0;
            }
        pthread_mutex_unlock(&watch_lock);
    }
    return NULL;
}

/* ---- requests in flight --------------------------------------------------- */

/* A count without a lock (two lock pairs a request, issue 12); the lock and
 * the condition only for drain(), which says it waits before it looks: a
 * request that ends then sees draining, or drain() sees it ended (both
 * sequentially consistent). */
static pthread_mutex_t flight_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flight_done = PTHREAD_COND_INITIALIZER;
static atomic_long in_flight;
static atomic_bool draining;

static long flight_add(long delta)
{
    long now = atomic_fetch_add(&in_flight, delta) + delta;
    if (now == 0 && atomic_load(&draining)) {
        pthread_mutex_lock(&flight_lock);
        pthread_cond_broadcast(&flight_done);
        pthread_mutex_unlock(&flight_lock);
    }
    return now;
}

static long flight_now(void) { return atomic_load(&in_flight); }

/* ---- the access log -------------------------------------------------------- */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* A value inside the quotes of a log line: quotes, backslashes and control
 * characters escaped, so a client cannot forge log lines. */
static void log_quoted(buf *b, const char *s)
{
    buf_putc(b, '"');
    term_quoted(b, s ? s : "-");
    buf_putc(b, '"');
}

/* Combined Log Format: host ident user [time] "request" status bytes "referer" "agent" */
static void access_log(const context *cx)
{
    /* the time as the log writes it, made once a second per thread */
    static _Thread_local char when[64];
    static _Thread_local time_t when_made = -1;
    if (cx->started != when_made) {
        struct tm tm;
        localtime_r(&cx->started, &tm);
        strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S %z", &tm);
        when_made = cx->started;
    }
    const char *referer = MHD_lookup_connection_value(cx->connection, MHD_HEADER_KIND, "Referer");
    const char *agent = MHD_lookup_connection_value(cx->connection, MHD_HEADER_KIND, "User-Agent");
    /* pieces, not printf: a line per request (issue 12); the request line
     * escaped in its three parts reads as escaped whole (no UTF-8 sequence
     * holds a space) */
    buf line = {0};
    buf_puts(&line, cx->remote);
    buf_puts(&line, " - - [");
    buf_puts(&line, when);
    buf_puts(&line, "] \"");
    term_quoted(&line, cx->rq.method);
    buf_putc(&line, ' ');
    term_quoted(&line, cx->rq.target);
    buf_putc(&line, ' ');
    term_quoted(&line, cx->version);
    buf_puts(&line, "\" ");
    buf_unsigned(&line, cx->rq.status > 0 ? (unsigned)cx->rq.status : 0);
    buf_putc(&line, ' ');
    buf_unsigned(&line, cx->sent);
    buf_putc(&line, ' ');
    log_quoted(&line, referer);
    buf_putc(&line, ' ');
    log_quoted(&line, agent);
    buf_putc(&line, '\n');
    pthread_mutex_lock(&log_lock);
    fwrite(line.data, 1, line.len, stdout);
    pthread_mutex_unlock(&log_lock);
    buf_free(&line);
}

/* The log is written in blocks while requests keep coming (one write per
 * line cost a system call per request), and LOG_IDLE_MS after the server had
 * no request left in flight, so an idle server's log is complete within
 * that. Not at once: under load a connection thread is between requests
 * after most of them, and writing then cost a write(2) for every other
 * request, a third of the server's system calls (issue 12); the log writer
 * thread writes once for every request that ends in the meantime. */
static void access_log_flush(void)
{
    pthread_mutex_lock(&log_lock);
    fflush(stdout);
    pthread_mutex_unlock(&log_lock);
}

static pthread_mutex_t log_wake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t log_wake = PTHREAD_COND_INITIALIZER;
static atomic_bool log_idle; /* no request in flight since the log writer last wrote */
static bool log_writer_stop; /* log_wake_lock */
static pthread_t log_writer_thread;

static void access_log_idle(void)
{
    if (atomic_exchange(&log_idle, true))
        return; /* the writer knows */
    pthread_mutex_lock(&log_wake_lock);
    pthread_cond_signal(&log_wake);
    pthread_mutex_unlock(&log_wake_lock);
}

static void *log_writer(void *arg)
{
    (void)arg;
    const struct timespec later = {0, LOG_IDLE_MS * 1000000L};
    pthread_mutex_lock(&log_wake_lock);
    for (;;) {
        while (!log_writer_stop && !atomic_load(&log_idle))
            pthread_cond_wait(&log_wake, &log_wake_lock);
        if (log_writer_stop)
            break;
        pthread_mutex_unlock(&log_wake_lock);
        nanosleep(&later, NULL);
        atomic_store(&log_idle, false); /* a request that ends from here on tells again */
        access_log_flush();
        pthread_mutex_lock(&log_wake_lock);
    }
    pthread_mutex_unlock(&log_wake_lock);
    return NULL;
}

static void stop_log_writer(void)
{
    pthread_mutex_lock(&log_wake_lock);
    log_writer_stop = true;
    pthread_cond_signal(&log_wake);
    pthread_mutex_unlock(&log_wake_lock);
    pthread_join(log_writer_thread, NULL);
}

/* ---- callbacks ------------------------------------------------------------ */

/* Called with the request line's target, before the library splits off the
 * query. libmicrohttpd 0.9.75 then parses every query parameter into the
 * connection's fixed memory pool (CONNECTION_MEMORY) and ignores running out
 * of it: a target with some 500 parameters left the connection hanging with
 * no answer, and this request's context unreleased. somon never asks the
 * library for query parameters (query.c parses the copy taken here, within
 * WEB_MAX_PARAMS), so the query is ended right after its '?' in the
 * library's own buffer, which it is still parsing in place: it then finds no
 * parameters at all. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *connection)
{
    (void)cls;
    context *cx = calloc(1, sizeof *cx);
    if (!cx)
        return NULL;
    cx->rq.arena = arena_new();
    cx->rq.target = arena_strdup(cx->rq.arena, uri ? uri : "");
    char *query = uri ? strchr(uri, '?') : NULL;
    if (query)
        query[1] = '\0';
    cx->connection = connection;
    cx->started = time(NULL);
    flight_add(1);
    return cx;
}

static const char *mhd_header(const request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->transport, MHD_HEADER_KIND, name);
}

/* An address as the peers are compared: IPv4-mapped IPv6 as IPv4. */
static bool peer_of(const struct sockaddr *sa, peer_address *out)
{
    memset(out, 0, sizeof *out);
    if (sa && sa->sa_family == AF_INET) {
        out->family = AF_INET;
        memcpy(out->addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return true;
    }
    if (!sa || sa->sa_family != AF_INET6)
        return false;
    const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(a6)) {
        out->family = AF_INET;
        memcpy(out->addr, a6->s6_addr + 12, 4);
    } else {
        out->family = AF_INET6;
        memcpy(out->addr, a6->s6_addr, 16);
    }
    return true;
}

/* Parses one IPv4 or IPv6 address, nothing else around it. */
static bool parse_address(const char *s, size_t n, peer_address *out)
{
    char text[INET6_ADDRSTRLEN];
    if (n == 0 || n >= sizeof text)
        return false;
    memcpy(text, s, n);
    text[n] = '\0';
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, text, out->addr) == 1) {
        out->family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, out->addr) != 1)
        return false;
    out->family = AF_INET6;
    if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)out->addr)) {
        memmove(out->addr, out->addr + 12, 4);
        memset(out->addr + 4, 0, 12);
        out->family = AF_INET;
    }
    return true;
}

static void format_address(const peer_address *p, char out[INET6_ADDRSTRLEN])
{
    if (!inet_ntop(p->family, p->addr, out, INET6_ADDRSTRLEN))
        memcpy(out, "-", 2);
}

static bool is_trusted(const peer_address *p)
{
    for (size_t i = 0; i < trusted_count; i++)
        if (trusted[i].family == p->family && memcmp(trusted[i].addr, p->addr, p->family == AF_INET ? 4 : 16) == 0)
            return true;
    return false;
}

static enum MHD_Result last_forwarded(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    if (strcasecmp(key, "X-Forwarded-For") == 0)
        *(const char **)cls = value;
    return MHD_YES;
}

/* The client of the request: the TCP peer, or, when the peer is a trusted
 * proxy, the right-most address of the last X-Forwarded-For line (the one
 * the proxy itself added; the ones left of it came from the client and prove
 * nothing). A malformed entry counts as absent: the peer it is. */
static void remember_remote(context *cx)
{
    /* the peer is the connection's: written out once (inet_ntop was 1.5% of
     * the cached path, issue 12) */
    const union MHD_ConnectionInfo *kept = MHD_get_connection_info(cx->connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    watched *w = kept ? kept->socket_context : NULL;
    peer_address peer, client;
    if (w && w->peer_known) {
        peer = w->peer;
        memcpy(cx->remote, w->peer_text, sizeof cx->remote);
    } else {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(cx->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (!peer_of(info ? info->client_addr : NULL, &peer)) {
            memcpy(cx->remote, "-", 2);
            return;
        }
        format_address(&peer, cx->remote);
        if (w) {
            w->peer = peer;
            memcpy(w->peer_text, cx->remote, sizeof w->peer_text);
            w->peer_known = true;
        }
    }
    if (!trusted_count || !is_trusted(&peer))
        return;
    const char *xff = NULL;
    MHD_get_connection_values(cx->connection, MHD_HEADER_KIND, last_forwarded, &xff);
    if (!xff)
        return;
    const char *start = strrchr(xff, ',');
    start = start ? start + 1 : xff;
    start += strspn(start, " \t");
    size_t n = strlen(start);
    while (n && (start[n - 1] == ' ' || start[n - 1] == '\t'))
        n--;
    if (parse_address(start, n, &client))
        format_address(&client, cx->remote);
}

static void add_headers(struct MHD_Response *response, const char *content_type, const web_pair *headers, size_t count)
{
    for (size_t i = 0; i < WEB_SECURITY_HEADER_COUNT; i++)
        MHD_add_response_header(response, WEB_SECURITY_HEADERS[i].name, WEB_SECURITY_HEADERS[i].value);
    MHD_add_response_header(response, "Content-Type", content_type);
    for (size_t i = 0; i < count; i++)
        MHD_add_response_header(response, headers[i].name, headers[i].value);
}

/* A cached response as the library's response object, headers and all, made
 * once and queued on every connection it answers (the library counts its
 * users); the body is freed when the entry is gone and the last send done. */
static void free_body(void *body) { free(body); }

static void *prepare_cached(const cached_response *c)
{
    size_t len, count;
    const char *body = response_body(c, &len);
    struct MHD_Response *response = NULL;
    if (body) {
        response = MHD_create_response_from_buffer_with_free_callback_cls(len, (void *)body, free_body, (void *)body);
    } else { /* a large body in its file: the library sends it with pread/sendfile, closing its own descriptor */
        int fd = dup(response_body_fd(c));
        response = fd >= 0 ? MHD_create_response_from_fd((uint64_t)len, fd) : NULL;
        if (!response && fd >= 0)
            close(fd);
    }
    const web_pair *headers = response_headers(c, &count);
    if (response)
        add_headers(response, response_content_type(c), headers, count);
    return response;
}

static void unprepare_cached(void *response) { MHD_destroy_response(response); }

static enum MHD_Result respond(context *cx)
{
    request *rq = &cx->rq;
    struct MHD_Response *response = rq->cached ? response_prepared(rq->cached, prepare_cached, unprepare_cached) : NULL;
    if (response) {
        cx->sent = strcmp(rq->method, "HEAD") == 0 ? 0 : rq->static_len;
        enum MHD_Result r = MHD_queue_response(cx->connection, (unsigned)rq->status, response);
        cx->answered = r == MHD_YES;
        return r;
    }
    if (rq->cached) { /* could not be prepared (out of memory): a copy of the body, when in memory */
        response = rq->static_body ? MHD_create_response_from_buffer(rq->static_len, (void *)rq->static_body,
                                                                     MHD_RESPMEM_MUST_COPY)
                                   : NULL;
        cx->sent = rq->static_len;
    } else if (rq->static_body) {
        response = MHD_create_response_from_buffer(rq->static_len, (void *)rq->static_body, MHD_RESPMEM_PERSISTENT);
        cx->sent = rq->static_len;
    } else if (rq->body_file) {
        size_t len = 0;
        int fd = web_body_file_take(rq, &len);
        /* the library reads the file as it sends, and closes fd */
        response = fd >= 0 ? MHD_create_response_from_fd((uint64_t)len, fd) : NULL;
        if (!response && fd >= 0)
            close(fd);
        cx->sent = len;
    } else {
        size_t len;
        char *data = buf_take(&rq->body, &len);
        response = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
        if (!response)
            free(data);
        cx->sent = len;
    }
    if (!response)
        return MHD_NO;
    add_headers(response, rq->content_type, rq->headers, rq->header_count);
    if (strcmp(rq->method, "HEAD") == 0)
        cx->sent = 0; /* the library sends the headers only */
    enum MHD_Result r = MHD_queue_response(cx->connection, (unsigned)rq->status, response);
    MHD_destroy_response(response);
    cx->answered = r == MHD_YES;
    return r;
}

/* ---- framing (RFC 9112 §6.3) ------------------------------------------------
 * libmicrohttpd 0.9.75 takes the first Content-Length of several (the rest of
 * the body was then read as a second request), ignores Content-Length when
 * Transfer-Encoding is present, reads a body of an unknown coding until the
 * client closes, accepts HTTP/1.1 without Host (unless strict, and then
 * answers itself), keeps only the first of two Host lines, moves a folded
 * line's continuation elsewhere in its memory, and ends a value at a NUL.
 * It keeps every header line
 * as a pointer into its read buffer, in order, with the colon and the line
 * ends overwritten by NULs; so a line that was folded, or holds a NUL, shows
 * as a gap between one value's end and the next name that holds something
 * other than line ends and blanks, or as a name outside the buffer.
 * MHD_OPTION_STRICT_FOR_CLIENT 1 would answer a missing Host itself (without
 * somon's headers and text) and drop a target with a space without any
 * answer; it stays at 0 and these checks, made when the headers are in,
 * answer every case with a 400 that says why and close the connection. */

typedef struct {
    const char *start, *end; /* the header block in the library's buffer */
    const char *next;        /* where the next header line may begin */
    unsigned host, length, encoding, cookie, type;
    const char *encoding_value;
    const char *problem; /* English, for the API and the log; NULL when sound */
    const char *dutch;
} header_scan;

static bool only_line_ends(const char *from, const char *to)
{
    for (const char *c = from; c < to; c++)
        if (*c != '\0' && *c != ' ' && *c != '\t')
            return false;
    return true;
}

static void scan_problem(header_scan *h, const char *english, const char *dutch)
{
    if (!h->problem) {
        h->problem = english;
        h->dutch = dutch;
    }
}

static void scan_broken_line(header_scan *h)
{
    scan_problem(h, "A header line is folded, holds a NUL byte or has no colon; send each header as NAME: VALUE "
                    "on one line of text.",
                 "Een kopregel is gevouwen, bevat een NUL-byte of heeft geen dubbele punt; stuur elke kopregel "
                 "als NAAM: WAARDE op één regel tekst.");
}

/* Counts the headers whose repetition makes a request ambiguous (both
 * transports). */
static void scan_count(header_scan *h, const char *key, const char *value)
{
    if (strcasecmp(key, "Host") == 0)
        h->host++;
    else if (strcasecmp(key, "Content-Length") == 0)
        h->length++;
    else if (strcasecmp(key, "Transfer-Encoding") == 0) {
        h->encoding++;
        h->encoding_value = value;
    } else if (strcasecmp(key, "Cookie") == 0)
        h->cookie++;
    else if (strcasecmp(key, "Content-Type") == 0)
        h->type++;
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                   const char *value, size_t value_size)
{
    (void)kind;
    header_scan *h = cls;
    bool inside = key >= h->start && value >= key + key_size && value + value_size <= h->end;
    if (!inside || (h->next && (key < h->next || !only_line_ends(h->next, key))) ||
        !only_line_ends(key + key_size, value))
        scan_broken_line(h);
    h->next = inside ? value + value_size : h->end;
    scan_count(h, key, value);
    return MHD_YES;
}

/* The rules of RFC 9112 §6.3 and §3.2 on the counted headers; the problem
 * found, or NULL. */
static const char *scan_rules(header_scan *h, const char *version)
{
    if (h->length > 1)
        scan_problem(h, "The request has more than one Content-Length header; send exactly one.",
                     "De vraag heeft meer dan één Content-Length-kop; stuur er precies één.");
    if (h->encoding && h->length)
        scan_problem(h, "The request has both Content-Length and Transfer-Encoding; send one of them.",
                     "De vraag heeft zowel Content-Length als Transfer-Encoding; stuur er één van.");
    if (h->encoding > 1 || (h->encoding && strcasecmp(h->encoding_value, "chunked") != 0))
        scan_problem(h, "Transfer-Encoding must be chunked, given once.",
                     "Transfer-Encoding moet chunked zijn, één keer gegeven.");
    if (h->host > 1 || (h->host == 0 && strcmp(version, "HTTP/1.0") != 0))
        scan_problem(h, "An HTTP/1.1 request needs exactly one Host header.",
                     "Een HTTP/1.1-vraag heeft precies één Host-kop nodig.");
    if (h->cookie > 1 || h->type > 1)
        scan_problem(h, "The request has more than one Cookie or Content-Type header; send each at most once.",
                     "De vraag heeft meer dan één Cookie- of Content-Type-kop; stuur elk hoogstens één keer.");
    return h->problem;
}

/* The framing problem of the request whose headers just arrived, or NULL. */
static const char *framing_problem(context *cx, const char *method, const char *version, header_scan *h)
{
    memset(h, 0, sizeof *h);
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(cx->connection, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    h->start = method;
    h->end = method + (info ? info->header_size : 0);
    MHD_get_connection_values_n(cx->connection, MHD_HEADER_KIND, scan_header, h);
    if (h->next && !only_line_ends(h->next, h->end))
        scan_broken_line(h);
    return scan_rules(h, version);
}

/* Fills in the request from the connection, once its body is in (or when
 * it is answered before its body is read). */
static void take_request(context *cx, struct MHD_Connection *connection, const char *method, const char *version)
{
    request *rq = &cx->rq;
    rq->method = arena_strdup(rq->arena, method);
    rq->header = mhd_header;
    rq->transport = connection;
    rq->api = strncmp(rq->target, "/api/", 5) == 0;
    cx->version = arena_strdup(rq->arena, version);
    remember_remote(cx);
    rq->remote = cx->remote;
    rq->body_in = cx->upload.data ? cx->upload.data : "";
    rq->body_in_len = cx->upload.len;
}

/* Answers before the body is read, and closes the connection: whatever
 * follows cannot be trusted to be a request of its own. */
static enum MHD_Result refuse(context *cx, struct MHD_Connection *connection, const char *method,
                              const char *version, int status, const char *code, const char *english,
                              const char *dutch)
{
    take_request(cx, connection, method, version);
    cx->rq.db = thread_store();
    web_error(&cx->rq, status, code, cx->rq.api ? english : dutch);
    web_header(&cx->rq, "Connection", "close");
    connection_waiting(connection, WAIT_NONE, 0);
    return respond(cx);
}

/* ---- render threads --------------------------------------------------------- *
 * A connection thread serves many connections: a page that takes a second to
 * build would stall every one of them. So a connection thread answers only
 * what is cheap (web_handle_cheap: the response cache, the embedded files,
 * refusals); anything else is handed to the render threads. The connection
 * is suspended (MHD_suspend_connection), the request waits in a bounded queue,
 * a render thread runs web_handle() with its own store connection, and
 * resumes the connection, whose next call of the access handler queues the
 * finished response. Fairness: a render thread takes the oldest request whose
 * client address has fewer than render_per_client (all but one) requests
 * rendering, so one client looping slow pages cannot hold every render thread
 * (behind a proxy not named by --trusted-proxy every request is the proxy's,
 * and renders take turns on all but one render thread); and a client
 * with RENDER_PER_CLIENT requests waiting, or a full queue, gets a 503.
 * Render threads run at a lower priority (RENDER_NICE) than the connection
 * threads, so that cached answers keep their latency while pages are built. */

static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t render_wake = PTHREAD_COND_INITIALIZER;
static context *queue_head, *queue_tail;
static size_t queue_length, queue_limit = RENDER_QUEUE;
static context *rendering[RENDER_MAX]; /* the requests being rendered, by thread */
static unsigned render_count, render_per_client;
static pthread_t render_threads[RENDER_MAX];
static bool render_stop; /* render_lock */
static atomic_bool stopping; /* SIGTERM or SIGINT came */

static unsigned running_for(const char *remote)
{
    unsigned n = 0;
    for (unsigned i = 0; i < render_count; i++)
        n += rendering[i] && strcmp(rendering[i]->remote, remote) == 0;
    return n;
}

/* Takes the oldest queued request whose client may have one more rendering
 * (render_lock held); NULL when none may. */
static context *take_job(void)
{
    for (context **p = &queue_head, *prev = NULL; *p; prev = *p, p = &(*p)->next_job) {
        context *cx = *p;
        if (running_for(cx->remote) >= render_per_client)
            continue;
        *p = cx->next_job;
        if (queue_tail == cx)
            queue_tail = prev;
        cx->next_job = NULL;
        queue_length--;
        return cx;
    }
    return NULL;
}

#ifdef SOMON_TESTING
/* Test-only (tests/http/test_transport.py): a request whose target holds
 * "test_hold" waits on its render thread while the file SOMON_TEST_HOLD
 * exists (or until the server stops), and says so on standard error. */
static void test_hold(const request *rq)
{
    const char *hold = getenv("SOMON_TEST_HOLD");
    if (!hold || !strstr(rq->target, "test_hold"))
        return;
    fprintf(stderr, NT_("somon: test hold: %s waits\n"), rq->target);
    while (access(hold, F_OK) == 0 && !atomic_load(&stopping))
        usleep(10 * 1000);
}
#endif

static void render(context *cx)
{
    request *rq = &cx->rq;
#ifdef SOMON_TESTING
    if (!cx->too_large)
        test_hold(rq);
#endif
    rq->db = thread_store();
    if (!rq->db || cx->too_large) {
        rq->status = rq->db ? 413 : 503;
        rq->content_type = "text/plain; charset=utf-8";
        buf_puts(&rq->body, rq->db ? "Het formulier is te groot.\n" : "Het register is niet beschikbaar.\n");
    } else {
        web_handle(rq);
    }
}

static void *render_thread(void *arg)
{
    unsigned self = (unsigned)(uintptr_t)arg;
    setpriority(PRIO_PROCESS, (id_t)gettid(), RENDER_NICE); /* this thread only (Linux); best effort */
    pthread_mutex_lock(&render_lock);
    for (;;) {
        context *cx = take_job();
        if (!cx) {
            if (render_stop)
                break;
            pthread_cond_wait(&render_wake, &render_lock);
            continue;
        }
        cx->job = JOB_RUNNING;
        rendering[self] = cx;
        pthread_mutex_unlock(&render_lock);
        render(cx);
        atomic_store(&rendered, true);
        /* a body in a file was large too, and its writers (libxlsxwriter,
         * libzip) allocate beside the arena */
        cx->heavy = arena_used(cx->rq.arena) + cx->rq.body.cap > TRIM_AFTER_BYTES || cx->rq.body_file;
        pthread_mutex_lock(&render_lock);
        rendering[self] = NULL;
        cx->job = JOB_DONE;
        MHD_resume_connection(cx->connection);
        pthread_cond_broadcast(&render_wake); /* a client may have another request waiting */
    }
    pthread_mutex_unlock(&render_lock);
    return NULL;
}

/* Queues cx and suspends its connection; false when the queue, or this
 * client's share of it, is full. */
static bool queue_job(context *cx)
{
    pthread_mutex_lock(&render_lock);
    size_t mine = 0;
    for (context *q = queue_head; q; q = q->next_job)
        mine += strcmp(q->remote, cx->remote) == 0;
    bool room = !render_stop && queue_length < queue_limit && mine < RENDER_PER_CLIENT;
    if (room) {
        MHD_suspend_connection(cx->connection);
        cx->job = JOB_QUEUED;
        if (queue_tail)
            queue_tail->next_job = cx;
        else
            queue_head = cx;
        queue_tail = cx;
        queue_length++;
        pthread_cond_signal(&render_wake);
    }
    pthread_mutex_unlock(&render_lock);
    return room;
}

static job_state job_of(context *cx)
{
    pthread_mutex_lock(&render_lock);
    job_state j = cx->job;
    pthread_mutex_unlock(&render_lock);
    return j;
}

static unsigned start_render_threads(unsigned wanted)
{
    render_count = wanted < 2 ? 2 : wanted > RENDER_MAX ? RENDER_MAX : wanted;
    render_per_client = render_count - 1; /* one render thread is always left for another client */
#ifdef SOMON_TESTING
    const char *limit = getenv("SOMON_TEST_RENDER_QUEUE"); /* test_transport.py fills a short queue */
    if (limit && atoi(limit) > 0)
        queue_limit = (size_t)atoi(limit);
#endif
    unsigned started = 0;
    for (unsigned i = 0; i < render_count; i++)
        if (pthread_create(&render_threads[started], NULL, render_thread, (void *)(uintptr_t)started) == 0)
            started++;
    render_count = started;
    return started;
}

/* At shutdown, once the requests in flight had their time: the requests still
 * queued are answered 503 at once, the ones being rendered are finished, and
 * the render threads end. */
static void stop_render_threads(void)
{
    pthread_mutex_lock(&render_lock);
    render_stop = true;
    while (queue_head) {
        context *cx = queue_head;
        queue_head = cx->next_job;
        cx->next_job = NULL;
        web_error(&cx->rq, 503, "unavailable", cx->rq.api ? "The server is stopping; try again in a moment."
                                                          : "De server stopt; probeer het zo meteen opnieuw.");
        web_header(&cx->rq, "Connection", "close");
        cx->job = JOB_DONE;
        MHD_resume_connection(cx->connection);
    }
    queue_tail = NULL;
    queue_length = 0;
    pthread_cond_broadcast(&render_wake);
    pthread_mutex_unlock(&render_lock);
    for (unsigned i = 0; i < render_count; i++)
        pthread_join(render_threads[i], NULL);
    render_count = 0;
}

/* The last call of the access handler for a request whose body is in: the
 * cheap answer here, anything else to a render thread; after the render
 * thread resumed the connection, the response it built. */
static enum MHD_Result answer(context *cx, struct MHD_Connection *connection, const char *method, const char *version)
{
    request *rq = &cx->rq;
    job_state job = job_of(cx);
    if (job == JOB_DONE)
        return respond(cx);
    if (job != JOB_NONE)
        return MHD_YES; /* not ours to answer yet */
    connection_waiting(connection, WAIT_NONE, 0);
    take_request(cx, connection, method, version);
    rq->db = thread_store();
    if (!rq->db || cx->too_large || web_handle_cheap(rq)) {
        if (!rq->db || cx->too_large)
            render(cx); /* says what is wrong, at once */
        return respond(cx);
    }
    if (queue_job(cx))
        return MHD_YES;
    web_error(rq, 503, "busy", rq->api ? "The server is busy; try again in a moment."
                                       : "De server heeft het druk; probeer het zo meteen opnieuw.");
    web_header(rq, "Retry-After", "2");
    return respond(cx);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)cls;
    /* url is unescaped by the library (the raw target comes from on_uri): only the body limit reads it */
    context *cx = *con_cls;
    if (!cx)
        return MHD_NO;
    if (!cx->called) {
        cx->called = true; /* the headers are complete */
        header_scan h;
        if (framing_problem(cx, method, version, &h))
            return refuse(cx, connection, method, version, 400, "bad_framing", h.problem, h.dutch);
        const char *length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Length");
        cx->limit = form_body_limit(method, url);
        if (length && strtoull(length, NULL, 10) > cx->limit)
            return refuse(cx, connection, method, version, 413, "too_large",
                          cx->limit == FORM_MAX_BYTES ? "The request body is larger than 1 MiB."
                                                      : "The request body is larger than a spreadsheet may be.",
                          cx->limit == FORM_MAX_BYTES ? "Het formulier is te groot (meer dan 1 MiB)."
                                                      : "Het bestand is te groot (meer dan 16 MiB).");
        connection_waiting(connection, WAIT_BODY, cx->started);
        return MHD_YES;
    }
    if (*upload_data_size) { /* the body arrives in pieces; keep at most what a form may be */
        if (cx->upload.len + *upload_data_size > cx->limit)
            cx->too_large = true;
        else
            buf_add(&cx->upload, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return answer(cx, connection, method, version);
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    context *cx = *con_cls;
    if (!cx)
        return;
    connection_waiting(connection, WAIT_HEADERS, 0); /* a kept-alive connection waits for its next request */
    if (cx->answered)
        access_log(cx);
    web_request_done(&cx->rq);
    if (cx->heavy || cx->upload.cap > TRIM_AFTER_BYTES)
        atomic_store(&trim_wanted, true);
    buf_free(&cx->upload);
    arena_free(cx->rq.arena);
    free(cx);
    *con_cls = NULL;
    if (flight_add(-1) == 0)
        access_log_idle();
}

/* ---- listening --------------------------------------------------------- */

static int parse_listen(const char *listen, struct sockaddr_storage *addr, socklen_t *len)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || !colon[1])
        return -1;
    char host[INET6_ADDRSTRLEN + 2];
    size_t hl = (size_t)(colon - listen);
    if (listen[0] == '[' && hl >= 2 && listen[hl - 1] == ']') {
        listen++;
        hl -= 2;
    }
    if (hl == 0 || hl >= sizeof host)
        return -1;
    memcpy(host, listen, hl);
    host[hl] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return -1;
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM}, *res;
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0)
        return -1;
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

static unsigned worker_threads(unsigned wanted)
{
    if (wanted)
        return wanted > MAX_WORKERS ? MAX_WORKERS : wanted;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus < 2 ? 2 : cpus > 16 ? 16 : (unsigned)cpus;
}

static void announce(struct MHD_Daemon *d, const char *listen)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    const char *colon = strrchr(listen, ':');
    fprintf(stderr, NT_("somon: listening on http://%.*s:%u\n"), (int)(colon - listen), listen,
            info ? (unsigned)info->port : 0);
}

/* Waits for the requests in flight, at most DRAIN_SECONDS. */
static void drain(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += DRAIN_SECONDS;
    atomic_store(&draining, true);
    pthread_mutex_lock(&flight_lock);
    while (atomic_load(&in_flight) > 0 && pthread_cond_timedwait(&flight_done, &flight_lock, &until) == 0)
        ;
    pthread_mutex_unlock(&flight_lock);
}

int http_serve(const http_config *cfg)
{
    /* Blocks from 256 KiB (a large array, a response body) get pages of their
     * own, given back when freed: glibc's default raises that threshold to
     * the largest block freed so far, after which they came from the heap
     * and, pinned by the small blocks that outlive a request, stayed
     * (issue 12). */
    mallopt(M_MMAP_THRESHOLD, MMAP_FROM_BYTES);
    struct sockaddr_storage addr;
    socklen_t addr_len;
    if (parse_listen(cfg->listen, &addr, &addr_len)) {
        fprintf(stderr, _("somon: --listen '%s' is not ADDR:PORT; give e.g. 127.0.0.1:8080 or [::1]:8080\n"),
                cfg->listen);
        return EX_USAGE;
    }
    trusted_count = 0;
    for (size_t i = 0; i < cfg->trusted_proxy_count && i < HTTP_MAX_PROXIES; i++) {
        const char *a = cfg->trusted_proxies[i];
        if (!parse_address(a, strlen(a), &trusted[trusted_count++])) {
            fprintf(stderr, _("somon: --trusted-proxy '%s' is not an IPv4 or IPv6 address; give the proxy's own "
                            "address as it connects to somon, e.g. 127.0.0.1 or ::1\n"), a);
            return EX_USAGE;
        }
    }
    unsigned timeout = cfg->timeout ? cfg->timeout : TIMEOUT_SECONDS;
    header_seconds = ((int)timeout * HEADER_SECONDS + TIMEOUT_SECONDS - 1) / TIMEOUT_SECONDS;
    request_seconds = (int)timeout * REQUEST_SECONDS / TIMEOUT_SECONDS;
    db_path = cfg->db_path;
    web_secure_cookies = cfg->secure_cookies;
    if (auth_init()) {
        fputs(_("somon: libsodium cannot start\n"), stderr);
        return EX_SOFTWARE;
    }
    char *err = NULL;
    store *check;
    int rc = store_open(db_path, STORE_READWRITE, &check, &err);
    if (rc == EX_NOPERM) {
        fprintf(stderr, _("somon: %s; serving it read-only (no sign-in, no editing)\n"), err);
        free(err);
        err = NULL;
        worker_mode = STORE_READONLY;
        rc = store_open(db_path, STORE_READONLY, &check, &err);
    }
    if (rc) {
        fprintf(stderr, "somon: %s\n", err ? err : _("cannot open the database"));
        free(err);
        return rc;
    }
    store_close(check);
    /* Signals are taken by sigwait() below; the library's threads inherit the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOFBF, 1 << 16); /* the access log: see access_log_flush */
    /* The web speaks Dutch whatever the server's locale: the messages it shares
     * with the command line (import problems) come from the Dutch catalogue. Set
     * before the library's threads exist (i18n_force_dutch changes LANGUAGE). */
    i18n_force_dutch();
    /* poll, not epoll: stopping goes through MHD_quiesce_daemon, which in
     * libmicrohttpd 0.9.75 with epoll and a thread pool races the pool's
     * threads removing the listening socket from their epoll sets, and the
     * loser aborts the process ("Failed to remove listen FD from epoll set";
     * a server of the HTTP tests ended with SIGABRT so). With poll, quiesce
     * tells each thread through its ITC, and no set is shared (poll costs
     * about 3% of the cached path's rate: bench/README.md). */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    unsigned threads = worker_threads(cfg->threads);
    if (start_render_threads(threads) == 0) {
        fputs(_("somon: cannot start the render threads; is the process short of memory or of threads (ulimit -u)?\n"),
              stderr);
        return EX_OSERR;
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)CONNECTION_LIMIT, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PER_IP_LIMIT,
        MHD_OPTION_CONNECTION_TIMEOUT, timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONNECTION_MEMORY, MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL, MHD_OPTION_LISTEN_BACKLOG_SIZE, 511u,
        MHD_OPTION_END);
    if (!d) {
        stop_render_threads();
        fprintf(stderr, _("somon: cannot listen on %s: %s; is the port in use?\n"), cfg->listen,
                errno ? strerror(errno) : _("the HTTP library refused"));
        return EX_UNAVAILABLE;
    }
    readahead_start(db_path); /* the newest version, before the first reader (issue 12) */
    announce(d, cfg->listen);
    bool watching = pthread_create(&watchdog_thread, NULL, watchdog, NULL) == 0;
    /* without it, the watchdog still writes the log once a second */
    bool log_writing = pthread_create(&log_writer_thread, NULL, log_writer, NULL) == 0;
    int sig = 0;
    sigwait(&stop, &sig);
    atomic_store(&stopping, true);
    fprintf(stderr, NT_("somon: %s received, finishing the requests in flight\n"), sig == SIGINT ? NT_("SIGINT") : NT_("SIGTERM"));
    /* no new connections from here on: refused by the kernel once the socket
     * stops listening; closed only after the library's threads are gone,
     * since one may still be in poll() on it */
    MHD_socket listener = MHD_quiesce_daemon(d);
    if (listener != MHD_INVALID_SOCKET)
        shutdown(listener, SHUT_RDWR);
    drain();
    stop_render_threads();
    atomic_store(&watchdog_stop, true);
    if (watching)
        pthread_join(watchdog_thread, NULL);
    if (log_writing)
        stop_log_writer();
    MHD_stop_daemon(d);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    access_log_flush();
    readahead_stop();
    close_workers();
    indicator_cache_clear();
    cache_clear();
    fprintf(stderr, NT_("somon: stopped\n"));
    return 0;
}

/* ---- the test transport ---------------------------------------------------- */

typedef struct {
    web_pair *items;
    size_t count;
} header_list;

static const char *test_header(const request *rq, const char *name)
{
    const header_list *h = rq->transport;
    for (size_t i = 0; i < h->count; i++)
        if (strcasecmp(h->items[i].name, name) == 0)
            return h->items[i].value;
    return NULL;
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

/* Reads a line without its CR LF, and its length (it may hold NULs); NULL
 * at the end of input. */
static char *read_line(arena *a, FILE *in, size_t *len)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, in);
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    char *copy = arena_alloc(a, (size_t)n + 1);
    memcpy(copy, line, (size_t)n);
    copy[n] = '\0';
    free(line);
    if (len)
        *len = (size_t)n;
    return copy;
}

int http_test_request(const char *path, FILE *in, FILE *out)
{
    i18n_force_dutch(); /* the web's language, as http_serve */
    char *err = NULL;
    store *s;
    int rc = store_open(path, STORE_READWRITE, &s, &err);
    if (rc == EX_NOPERM) {
        free(err);
        err = NULL;
        rc = store_open(path, STORE_READONLY, &s, &err);
    }
    if (rc) {
        fprintf(stderr, "somon: %s\n", err ? err : _("cannot open the database"));
        free(err);
        return rc;
    }
    request rq = {0};
    rq.arena = arena_new();
    char *first = read_line(rq.arena, in, NULL);
    char *sp1 = first ? strchr(first, ' ') : NULL, *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp1 || !sp2) {
        fprintf(stderr, _("somon: test-http: the first line must be 'METHOD TARGET HTTP/1.1'\n"));
        arena_free(rq.arena);
        store_close(s);
        return EX_DATAERR;
    }
    *sp1 = *sp2 = '\0';
    /* the same framing rules as the server (the NUL, folding and colon checks read the raw line) */
    header_list headers = {arena_calloc(rq.arena, 64, sizeof(web_pair)), 0};
    header_scan scan = {0};
    size_t n;
    for (char *line; (line = read_line(rq.arena, in, &n)) && *line && headers.count < 64;) {
        char *colon = strchr(line, ':');
        if (!colon || strlen(line) != n || *line == ' ' || *line == '\t') {
            scan_broken_line(&scan);
            continue;
        }
        *colon = '\0';
        char *value = colon + 1;
        while (*value == ' ' || *value == '\t')
            value++;
        headers.items[headers.count++] = (web_pair){line, value};
        scan_count(&scan, line, value);
    }
    const char *version = sp2 + 1;
    bool refused = scan_rules(&scan, version) != NULL;
    /* the body: Content-Length bytes, or whatever follows */
    buf body = {0};
    char chunk[4096];
    size_t got;
    size_t limit = form_body_limit(first, sp1 + 1);
    while ((got = fread(chunk, 1, sizeof chunk, in)) > 0 && body.len <= limit)
        buf_add(&body, chunk, got);
    rq.body_in = body.data ? body.data : "";
    rq.body_in_len = body.len;
    rq.remote = "127.0.0.1";
    auth_init();
    rq.method = first;
    rq.target = sp1 + 1;
    rq.header = test_header;
    rq.transport = &headers;
    rq.db = s;
    rq.api = strncmp(rq.target, "/api/", 5) == 0;
    if (refused) {
        web_error(&rq, 400, "bad_framing", rq.api ? scan.problem : scan.dutch);
        web_header(&rq, "Connection", "close");
    } else {
        web_handle(&rq);
    }
    size_t len = rq.static_body ? rq.static_len : rq.body.len;
    int body_fd = rq.body_file ? web_body_file_take(&rq, &len) : -1;
    if (rq.body_file && body_fd < 0) {
        web_error(&rq, 503, "unavailable", "Het antwoord kon niet geschreven worden; probeer het opnieuw.");
        len = rq.body.len;
    }
    fprintf(out, "HTTP/1.1 %d %s\r\n", rq.status, reason(rq.status));
    for (size_t i = 0; i < WEB_SECURITY_HEADER_COUNT; i++)
        fprintf(out, "%s: %s\r\n", WEB_SECURITY_HEADERS[i].name, WEB_SECURITY_HEADERS[i].value);
    fprintf(out, "Content-Type: %s\r\nContent-Length: %zu\r\n", rq.content_type, len);
    for (size_t i = 0; i < rq.header_count; i++)
        fprintf(out, "%s: %s\r\n", rq.headers[i].name, rq.headers[i].value);
    fputs("\r\n", out);
    if (body_fd >= 0) {
        FILE *file = fdopen(body_fd, "rb");
        char piece[1 << 14];
        size_t read_now;
        while (file && strcmp(rq.method, "HEAD") != 0 && (read_now = fread(piece, 1, sizeof piece, file)) > 0)
            fwrite(piece, 1, read_now, out);
        if (file)
            fclose(file);
        else
            close(body_fd);
    } else if (strcmp(rq.method, "HEAD") != 0 && len)
        fwrite(rq.static_body ? (const void *)rq.static_body : rq.body.data, 1, len, out);
    web_request_done(&rq);
    buf_free(&body);
    arena_free(rq.arena);
    indicator_cache_clear();
    cache_clear();
    store_close(s);
    return 0;
}
