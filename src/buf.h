/* buf.h: a growing byte buffer, and the one place where text meets HTML, CSV
 * and JSON. Every byte of data that reaches a page goes through buf_html()
 * (element text) or buf_attr() (a quoted attribute value); buf_fmt() is the
 * printf of pages, whose %h and %a conversions escape and whose %s is for
 * program text only. The buffer owns its memory: buf_free() releases it,
 * buf_take() hands it to the caller (free() it). */
#ifndef SOMON_BUF_H
#define SOMON_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct buf {
    char *data;
    size_t len, cap;
    FILE *sink;       /* set by buf_sink(): the bytes go on to this file */
    bool sink_failed; /* a write to the sink failed */
    size_t sink_after;                       /* buf_sink_after(): when to call sink_open */
    void (*sink_open)(struct buf *b, void *ctx); /* or NULL */
    void *sink_ctx;
} buf;

void buf_free(buf *b);
char *buf_take(buf *b, size_t *len);
void buf_add(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
/* v in decimal, as printf's %llu writes it (without printf: the access log
 * writes two numbers a request). */
void buf_unsigned(buf *b, unsigned long long v);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);

/* Escapes & < > for element text, and also " ' for attribute values. */
void buf_html(buf *b, const char *s);
void buf_attr(buf *b, const char *s);
/* A CSV field (RFC 4180 quoting; a field with ',' ';' '"', tab or a line
 * break is quoted). Wherever a spreadsheet in en or nl-BE could begin a
 * cell (the start, after ',' ';' tab or a line break in the field), an
 * apostrophe goes before a formula character (= + - @, full-width too)
 * that follows after blanks; a field beginning with tab or CR gets one at
 * its start (CWE-1236). */
void buf_csv_text(buf *b, const char *s);
/* A JSON string literal, with its quotes. */
void buf_json_string(buf *b, const char *s);
/* URL percent-encoding of a query value or path segment. */
void buf_url(buf *b, const char *s);

/* printf for markup: %h escapes element text, %a an attribute value, %U a
 * URL component, %j a JSON string; %s copies program text as it is; %d %ld
 * %lld %zu %% as in printf. A NULL for %h %a %U %s writes nothing. */
void buf_fmt(buf *b, const char *fmt, ...);

/* Streaming: from now on, whenever the buffer holds BUF_SINK_CHUNK bytes, they
 * are written to f and the buffer starts again, so a body of any size takes
 * that much memory. A buffer with a sink is append-only: a writer must not
 * look back at or change bytes it has written (they may be gone). buf_flush()
 * writes what is left; both report a failed write through sink_failed, and
 * buf_flush returns false then. buf_free() does not close f. */
enum { BUF_SINK_CHUNK = 1 << 16 };
void buf_sink(buf *b, FILE *f);
/* Streaming once the bytes are many: when the buffer would hold more than
 * `after` bytes, open(b, ctx) is called, once; it calls buf_sink() (the
 * buffer streams from then on, with the rules above) or leaves the buffer
 * in memory. buf_free() forgets it. */
void buf_sink_after(buf *b, size_t after, void (*open)(buf *b, void *ctx), void *ctx);
bool buf_flush(buf *b);

/* Writes the buffer to f; returns 0 or -1. */
int buf_write(const buf *b, FILE *f);

#endif
