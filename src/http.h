/* http.h: the HTTP server (the only module that includes microhttpd.h) and
 * the socket-less test transport.
 *
 * http_serve() runs libmicrohttpd with a thread pool on epoll, keep-alive,
 * explicit connection, per-address, timeout and memory limits; each worker
 * thread has its own read-only SQLite connection; the access log (Combined
 * Log Format) goes to standard output. It returns 0 after SIGTERM or SIGINT
 * once the requests in flight have been answered. */
#ifndef SOMON_HTTP_H
#define SOMON_HTTP_H

#include <stdbool.h>
#include <stdio.h>

typedef struct {
    const char *db_path;
    const char *listen; /* "ADDR:PORT", "[v6]:PORT"; port 0 picks a free one */
    unsigned threads;   /* 0: one per CPU */
    bool secure_cookies; /* behind TLS: session cookies get Secure */
} http_config;

/* Returns a sysexits code. Announces "listening on http://ADDR:PORT" on
 * standard error once ready. */
int http_serve(const http_config *cfg);

/* Reads one raw HTTP request from in, answers it through the same
 * dispatcher, writes the raw response to out (for tests, valgrind and the
 * fuzzer). Returns 0, or EX_DATAERR when the request cannot be read. */
int http_test_request(const char *db_path, FILE *in, FILE *out);

#endif
