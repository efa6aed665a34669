/* http.c: see http.h. The libmicrohttpd handler is called several times per
 * request; the response is queued on the second call, never the first
 * (answering on the first forces "Connection: close" and cut throughput four-
 * to five-fold, see STYLE.md). A request's arena is made in the URI callback
 * (which sees the target exactly as the client sent it) and released in the
 * completion callback. */
#define _GNU_SOURCE
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "cache.h"
#include "form.h"
#include "term.h"
#include "web.h"

enum {
    CONNECTION_LIMIT = 1024,
    PER_IP_LIMIT = 256,
    TIMEOUT_SECONDS = 15,
    HEADER_SECONDS = 20, /* a request line and headers must arrive within this, however slowly they trickle */
    CONNECTION_MEMORY = 32 * 1024, /* request line and headers must fit */
    DRAIN_SECONDS = 10,
    MAX_WORKERS = 64,
};

typedef struct {
    request rq;
    struct MHD_Connection *connection;
    buf upload; /* a POST's body, up to FORM_MAX_BYTES */
    bool too_large;
    bool called;
    bool answered;
    size_t sent;
    char remote[INET6_ADDRSTRLEN];
    const char *version;
    time_t started;
} context;

/* ---- per-worker database connections ---------------------------------- */

static const char *db_path;
static store_mode worker_mode = STORE_READWRITE; /* read-only when the file cannot be written */
static _Thread_local store *worker_db;
static pthread_mutex_t workers_lock = PTHREAD_MUTEX_INITIALIZER;
static store *workers[MAX_WORKERS];
static size_t worker_count;

static store *thread_store(void)
{
    if (worker_db)
        return worker_db;
    char *err = NULL;
    if (store_open(db_path, worker_mode, &worker_db, &err)) {
        fprintf(stderr, "somon: %s\n", err ? err : "cannot open the database");
        free(err);
        return NULL;
    }
    pthread_mutex_lock(&workers_lock);
    if (worker_count < MAX_WORKERS)
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
 * headers a byte a second would hold a connection for ever (slowloris). Each
 * connection notes since when it waits for a complete request; a watchdog
 * shuts down those that take longer than HEADER_SECONDS. Shutting down (not
 * closing) the socket makes the library see the end of the stream and clean
 * up in its own thread. */

typedef struct watched {
    struct watched *prev, *next;
    int fd;
    time_t waiting_since; /* 0 while a request is being answered */
} watched;

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static watched watch_list = {&watch_list, &watch_list, -1, 0};
static pthread_t watchdog_thread;
static atomic_int watchdog_stop; /* set by the main thread, read by the watchdog */

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

/* Marks the connection busy (headers complete) or waiting again. */
static void connection_waiting(struct MHD_Connection *connection, bool waiting)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    watched *w = info ? info->socket_context : NULL;
    if (!w)
        return;
    pthread_mutex_lock(&watch_lock);
    w->waiting_since = waiting ? time(NULL) : 0;
    pthread_mutex_unlock(&watch_lock);
}

static void *watchdog(void *arg)
{
    (void)arg;
    while (!watchdog_stop) {
        sleep(1);
        time_t now = time(NULL);
        pthread_mutex_lock(&watch_lock);
        for (watched *w = watch_list.next; w != &watch_list; w = w->next)
            if (w->waiting_since && now - w->waiting_since > HEADER_SECONDS) {
                shutdown(w->fd, SHUT_RDWR);
                w->waiting_since = 0;
            }
        pthread_mutex_unlock(&watch_lock);
    }
    return NULL;
}

/* ---- requests in flight --------------------------------------------------- */

static pthread_mutex_t flight_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flight_done = PTHREAD_COND_INITIALIZER;
static long in_flight;

static void flight_add(long delta)
{
    pthread_mutex_lock(&flight_lock);
    in_flight += delta;
    if (in_flight == 0)
        pthread_cond_broadcast(&flight_done);
    pthread_mutex_unlock(&flight_lock);
}

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
    char when[64];
    struct tm tm;
    localtime_r(&cx->started, &tm);
    strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S %z", &tm);
    const char *referer = MHD_lookup_connection_value(cx->connection, MHD_HEADER_KIND, "Referer");
    const char *agent = MHD_lookup_connection_value(cx->connection, MHD_HEADER_KIND, "User-Agent");
    buf line = {0};
    buf_printf(&line, "%s - - [%s] ", cx->remote, when);
    const char *request_line = arena_printf(cx->rq.arena, "%s %s %s", cx->rq.method, cx->rq.target, cx->version);
    log_quoted(&line, request_line);
    buf_printf(&line, " %d %zu ", cx->rq.status, cx->sent);
    log_quoted(&line, referer);
    buf_putc(&line, ' ');
    log_quoted(&line, agent);
    buf_putc(&line, '\n');
    pthread_mutex_lock(&log_lock);
    fwrite(line.data, 1, line.len, stdout);
    fflush(stdout);
    pthread_mutex_unlock(&log_lock);
    buf_free(&line);
}

/* ---- callbacks ------------------------------------------------------------ */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *connection)
{
    (void)cls;
    context *cx = calloc(1, sizeof *cx);
    if (!cx)
        return NULL;
    cx->rq.arena = arena_new();
    cx->rq.target = arena_strdup(cx->rq.arena, uri ? uri : "");
    cx->connection = connection;
    cx->started = time(NULL);
    flight_add(1);
    return cx;
}

static const char *mhd_header(const request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->transport, MHD_HEADER_KIND, name);
}

static void remember_remote(context *cx)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(cx->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, cx->remote, sizeof cx->remote);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, cx->remote, sizeof cx->remote);
    else
        memcpy(cx->remote, "-", 2);
}

static void release_cached(void *cls) { response_cache_release(cls); }

static enum MHD_Result respond(context *cx)
{
    request *rq = &cx->rq;
    struct MHD_Response *response;
    if (rq->cached) {
        /* the response holds the cached body until the library is done with it */
        response_cache_hold(rq->cached);
        response = MHD_create_response_from_buffer_with_free_callback_cls(
            rq->static_len, (void *)rq->static_body, release_cached, rq->cached);
        if (!response)
            response_cache_release(rq->cached);
        cx->sent = rq->static_len;
    } else if (rq->static_body) {
        response = MHD_create_response_from_buffer(rq->static_len, (void *)rq->static_body, MHD_RESPMEM_PERSISTENT);
        cx->sent = rq->static_len;
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
    for (size_t i = 0; i < WEB_SECURITY_HEADER_COUNT; i++)
        MHD_add_response_header(response, WEB_SECURITY_HEADERS[i].name, WEB_SECURITY_HEADERS[i].value);
    MHD_add_response_header(response, "Content-Type", rq->content_type);
    for (size_t i = 0; i < rq->header_count; i++)
        MHD_add_response_header(response, rq->headers[i].name, rq->headers[i].value);
    if (strcmp(rq->method, "HEAD") == 0)
        cx->sent = 0; /* the library sends the headers only */
    enum MHD_Result r = MHD_queue_response(cx->connection, (unsigned)rq->status, response);
    MHD_destroy_response(response);
    cx->answered = r == MHD_YES;
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)cls;
    (void)url; /* already unescaped by the library: the raw target comes from on_uri */
    context *cx = *con_cls;
    if (!cx)
        return MHD_NO;
    if (!cx->called) {
        cx->called = true; /* the headers are complete */
        connection_waiting(connection, false);
        return MHD_YES;
    }
    if (*upload_data_size) { /* the body arrives in pieces; keep at most what a form may be */
        if (cx->upload.len + *upload_data_size > FORM_MAX_BYTES)
            cx->too_large = true;
        else
            buf_add(&cx->upload, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    request *rq = &cx->rq;
    rq->method = arena_strdup(rq->arena, method);
    rq->header = mhd_header;
    rq->transport = connection;
    cx->version = arena_strdup(rq->arena, version);
    remember_remote(cx);
    rq->remote = cx->remote;
    rq->body_in = cx->upload.data ? cx->upload.data : "";
    rq->body_in_len = cx->upload.len;
    rq->db = thread_store();
    if (!rq->db || cx->too_large) {
        rq->status = rq->db ? 413 : 503;
        rq->content_type = "text/plain; charset=utf-8";
        buf_puts(&rq->body, rq->db ? "Het formulier is te groot.\n" : "Het register is niet beschikbaar.\n");
    } else {
        web_handle(rq);
    }
    return respond(cx);
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    context *cx = *con_cls;
    if (!cx)
        return;
    connection_waiting(connection, true); /* a kept-alive connection waits for its next request */
    if (cx->answered)
        access_log(cx);
    web_request_done(&cx->rq);
    buf_free(&cx->upload);
    arena_free(cx->rq.arena);
    free(cx);
    *con_cls = NULL;
    flight_add(-1);
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
    fprintf(stderr, "somon: listening on http://%.*s:%u\n", (int)(colon - listen), listen,
            info ? (unsigned)info->port : 0);
}

/* Waits for the requests in flight, at most DRAIN_SECONDS. */
static void drain(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += DRAIN_SECONDS;
    pthread_mutex_lock(&flight_lock);
    while (in_flight > 0 && pthread_cond_timedwait(&flight_done, &flight_lock, &until) == 0)
        ;
    pthread_mutex_unlock(&flight_lock);
}

int http_serve(const http_config *cfg)
{
    struct sockaddr_storage addr;
    socklen_t addr_len;
    if (parse_listen(cfg->listen, &addr, &addr_len)) {
        fprintf(stderr, "somon: --listen '%s' is not ADDR:PORT; give e.g. 127.0.0.1:8080 or [::1]:8080\n",
                cfg->listen);
        return EX_USAGE;
    }
    db_path = cfg->db_path;
    web_secure_cookies = cfg->secure_cookies;
    if (auth_init()) {
        fputs("somon: libsodium cannot start\n", stderr);
        return EX_SOFTWARE;
    }
    char *err = NULL;
    store *check;
    int rc = store_open(db_path, STORE_READWRITE, &check, &err);
    if (rc == EX_NOPERM) {
        fprintf(stderr, "somon: %s; serving it read-only (no sign-in, no editing)\n", err);
        free(err);
        err = NULL;
        worker_mode = STORE_READONLY;
        rc = store_open(db_path, STORE_READONLY, &check, &err);
    }
    if (rc) {
        fprintf(stderr, "somon: %s\n", err ? err : "cannot open the database");
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
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_TURBO;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, worker_threads(cfg->threads), MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)CONNECTION_LIMIT, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PER_IP_LIMIT,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)TIMEOUT_SECONDS, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONNECTION_MEMORY, MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL, MHD_OPTION_LISTEN_BACKLOG_SIZE, 511u,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "somon: cannot listen on %s: %s; is the port in use?\n", cfg->listen,
                errno ? strerror(errno) : "the HTTP library refused");
        return EX_UNAVAILABLE;
    }
    announce(d, cfg->listen);
    bool watching = pthread_create(&watchdog_thread, NULL, watchdog, NULL) == 0;
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "somon: %s received, finishing the requests in flight\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    MHD_socket listener = MHD_quiesce_daemon(d);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    drain();
    watchdog_stop = 1;
    if (watching)
        pthread_join(watchdog_thread, NULL);
    MHD_stop_daemon(d);
    close_workers();
    cache_clear();
    fprintf(stderr, "somon: stopped\n");
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

/* Reads a line without its CR LF; NULL at the end of input. */
static char *read_line(arena *a, FILE *in)
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
    char *copy = arena_strndup(a, line, (size_t)n);
    free(line);
    return copy;
}

int http_test_request(const char *path, FILE *in, FILE *out)
{
    char *err = NULL;
    store *s;
    int rc = store_open(path, STORE_READWRITE, &s, &err);
    if (rc == EX_NOPERM) {
        free(err);
        err = NULL;
        rc = store_open(path, STORE_READONLY, &s, &err);
    }
    if (rc) {
        fprintf(stderr, "somon: %s\n", err ? err : "cannot open the database");
        free(err);
        return rc;
    }
    request rq = {0};
    rq.arena = arena_new();
    char *first = read_line(rq.arena, in);
    char *sp1 = first ? strchr(first, ' ') : NULL, *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp1 || !sp2) {
        fprintf(stderr, "somon: test-http: the first line must be 'METHOD TARGET HTTP/1.1'\n");
        arena_free(rq.arena);
        store_close(s);
        return EX_DATAERR;
    }
    *sp1 = *sp2 = '\0';
    header_list headers = {arena_calloc(rq.arena, 64, sizeof(web_pair)), 0};
    for (char *line; (line = read_line(rq.arena, in)) && *line && headers.count < 64;) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        char *value = colon + 1;
        while (*value == ' ')
            value++;
        headers.items[headers.count++] = (web_pair){line, value};
    }
    /* the body: Content-Length bytes, or whatever follows */
    buf body = {0};
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, in)) > 0 && body.len <= FORM_MAX_BYTES)
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
    web_handle(&rq);
    size_t len = rq.static_body ? rq.static_len : rq.body.len;
    fprintf(out, "HTTP/1.1 %d %s\r\n", rq.status, reason(rq.status));
    for (size_t i = 0; i < WEB_SECURITY_HEADER_COUNT; i++)
        fprintf(out, "%s: %s\r\n", WEB_SECURITY_HEADERS[i].name, WEB_SECURITY_HEADERS[i].value);
    fprintf(out, "Content-Type: %s\r\nContent-Length: %zu\r\n", rq.content_type, len);
    for (size_t i = 0; i < rq.header_count; i++)
        fprintf(out, "%s: %s\r\n", rq.headers[i].name, rq.headers[i].value);
    fputs("\r\n", out);
    if (strcmp(rq.method, "HEAD") != 0 && len)
        fwrite(rq.static_body ? (const void *)rq.static_body : rq.body.data, 1, len, out);
    web_request_done(&rq);
    buf_free(&body);
    arena_free(rq.arena);
    cache_clear();
    store_close(s);
    return 0;
}
