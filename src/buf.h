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

typedef struct {
    char *data;
    size_t len, cap;
} buf;

void buf_free(buf *b);
char *buf_take(buf *b, size_t *len);
void buf_add(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);

/* Escapes & < > for element text, and also " ' for attribute values. */
void buf_html(buf *b, const char *s);
void buf_attr(buf *b, const char *s);
/* A CSV field (RFC 4180 quoting). A text that a spreadsheet would read as a
 * formula (it begins with = + - @, tab or CR) gets a leading apostrophe
 * (CWE-1236). */
void buf_csv_text(buf *b, const char *s);
/* A JSON string literal, with its quotes. */
void buf_json_string(buf *b, const char *s);
/* URL percent-encoding of a query value or path segment. */
void buf_url(buf *b, const char *s);

/* printf for markup: %h escapes element text, %a an attribute value, %U a
 * URL component, %j a JSON string; %s copies program text as it is; %d %ld
 * %lld %zu %% as in printf. A NULL for %h %a %U %s writes nothing. */
void buf_fmt(buf *b, const char *fmt, ...);

/* Writes the buffer to f; returns 0 or -1. */
int buf_write(const buf *b, FILE *f);

/* Text from outside for a log line or a terminal message: quotes and
 * backslashes get a backslash, control characters (and DEL) become \xNN, so
 * the text can neither end its quotes nor start a line of its own, nor send
 * a terminal escape. The access log and the login log share it. */
void buf_escaped(buf *b, const char *s);

#endif
