/* http.h: the HTTP server (the only module that includes microhttpd.h) and
 * the socket-less test transport.
 *
 * http_serve() runs libmicrohttpd with a thread pool on epoll, keep-alive,
 * explicit connection, per-address, timeout and memory limits; each worker
 * thread has its own read-only SQLite connection; the access log (Combined
 * Log Format) goes to standard output. It returns 0 after SIGTERM or SIGINT
 * once the requests in flight have been answered.
 *
 * Before any page runs, the transport refuses (400, and closes the
 * connection) what RFC 9112 says makes the framing of a request ambiguous:
 * more than one Content-Length, Content-Length with Transfer-Encoding, a
 * transfer coding other than chunked, no Host on HTTP/1.1 or more than one,
 * folded header lines, a NUL in a header value, and a second Cookie or
 * Content-Type. A whole request (headers and body) must arrive within
 * REQUEST_SECONDS, its headers within HEADER_SECONDS (http.c); serve --timeout
 * scales the three. */
#ifndef SOMON_HTTP_H
#define SOMON_HTTP_H

#include <stdbool.h>
#include <stdio.h>

enum { HTTP_MAX_PROXIES = 8, HTTP_MAX_TIMEOUT = 3600 };

typedef struct {
    const char *db_path;
    const char *listen; /* "ADDR:PORT", "[v6]:PORT"; port 0 picks a free one */
    unsigned threads;   /* 0: one per CPU */
    /* serve --timeout: seconds a connection may sit idle (0: 15; at most
     * HTTP_MAX_TIMEOUT); its request's headers must arrive within 4/3 of it and
     * the whole request within twice it */
    unsigned timeout;
    bool secure_cookies; /* behind TLS: session cookies get Secure */
    /* serve --trusted-proxy: only from these peers (IPv4 or IPv6 addresses)
     * does the right-most address of X-Forwarded-For name the client */
    const char *trusted_proxies[HTTP_MAX_PROXIES];
    size_t trusted_proxy_count;
} http_config;

/* Returns a sysexits code. Announces "listening on http://ADDR:PORT" on
 * standard error once ready. */
int http_serve(const http_config *cfg);

/* Reads one raw HTTP request from in, answers it through the same
 * dispatcher, writes the raw response to out (for tests, valgrind and the
 * fuzzer). Returns 0, or EX_DATAERR when the request cannot be read. */
int http_test_request(const char *db_path, FILE *in, FILE *out);

#endif
