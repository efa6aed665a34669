/* buf.c: see buf.h. */
#include "buf.h"
#include "i18n.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void spill(buf *b)
{
    if (b->len && fwrite(b->data, 1, b->len, b->sink) != b->len)
        b->sink_failed = true;
    b->len = 0;
}

static void reserve(buf *b, size_t extra)
{
    if (b->sink_open && !b->sink && b->len + extra + 1 > b->sink_after) {
        void (*open)(buf *, void *) = b->sink_open;
        b->sink_open = NULL; /* once */
        open(b, b->sink_ctx);
    }
    if (b->sink && b->len && b->len + extra + 1 > BUF_SINK_CHUNK)
        spill(b);
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        fputs(_("somon: out of memory\n"), stderr);
        abort();
    }
    b->data = p;
    b->cap = cap;
}

void buf_free(buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->sink = NULL;
    b->sink_failed = false;
    b->sink_open = NULL;
    b->sink_ctx = NULL;
}

void buf_sink_after(buf *b, size_t after, void (*open)(buf *b, void *ctx), void *ctx)
{
    b->sink_after = after;
    b->sink_open = open;
    b->sink_ctx = ctx;
}

void buf_sink(buf *b, FILE *f)
{
    b->sink = f;
    b->sink_failed = false;
    if (b->len >= BUF_SINK_CHUNK)
        spill(b);
}

bool buf_flush(buf *b)
{
    if (b->sink) {
        spill(b);
        if (fflush(b->sink) != 0)
            b->sink_failed = true;
    }
    return !b->sink_failed;
}

char *buf_take(buf *b, size_t *len)
{
    reserve(b, 0);
    b->data[b->len] = '\0'; /* an empty buffer has no terminator yet */
    char *p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void buf_add(buf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(buf *b, const char *s)
{
    if (s)
        buf_add(b, s, strlen(s));
}

void buf_putc(buf *b, char c) { buf_add(b, &c, 1); }

enum { PRINTF_GUESS = 64 }; /* the room buf_vprintf makes before it knows the length */

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    /* printed once into the room there is (most texts are short), measured
     * first only when it does not fit */
    reserve(b, PRINTF_GUESS);
    size_t room = b->cap - b->len;
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(b->data + b->len, room, fmt, copy);
    va_end(copy);
    if (n <= 0) {
        b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n < room) {
        b->len += (size_t)n;
        return;
    }
    reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* Runs without a character to escape are copied whole, found by libc's
 * strcspn (vectorised): the answer on the large register escapes 30 MB in
 * 2.7 million short texts, and a loop over a table of the characters took
 * twice as long (issue 12). */
static void escape(buf *b, const char *s, const char *stops)
{
    if (!s)
        return;
    for (;;) {
        size_t n = strcspn(s, stops);
        buf_add(b, s, n);
        s += n;
        switch (*s) {
        case '\0': return;
        case '&': buf_add(b, "&amp;", 5); break;
        case '<': buf_add(b, "&lt;", 4); break;
        case '>': buf_add(b, "&gt;", 4); break;
        case '"': buf_add(b, "&quot;", 6); break;
        default: buf_add(b, "&#39;", 5); break;
        }
        s++;
    }
}

void buf_html(buf *b, const char *s) { escape(b, s, "&<>"); }
void buf_attr(buf *b, const char *s) { escape(b, s, "&<>\"'"); }

/* The length of a blank at u that a spreadsheet may skip or trim before a
 * cell's first character (space, tab, CR, LF, no-break and ideographic
 * space, or a quote), or 0. */
static size_t csv_blank(const unsigned char *u)
{
    if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n' || *u == '"')
        return 1;
    if (u[0] == 0xC2 && u[1] == 0xA0)
        return 2;
    return u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80 ? 3 : 0;
}

/* Whether u begins with a character that opens a formula: = + - @ or their
 * full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20). */
static bool csv_trigger(const unsigned char *u)
{
    if (*u == '=' || *u == '+' || *u == '-' || *u == '@')
        return true;
    return u[0] == 0xEF && u[1] == 0xBC && (u[2] == 0x9D || u[2] == 0x8B || u[2] == 0x8D || u[2] == 0xA0);
}

/* A spreadsheet may begin a cell at the start of the field and after any
 * ',' ';' tab or line break inside it: Excel in nl-BE splits on ';' and
 * honours a quote only at the start of a cell, so "a,\"b;=1\"" holds the
 * cell "=1". Wherever a cell may begin, an apostrophe goes before a formula
 * character that follows (after blanks and quotes); a field that begins
 * with a tab or CR gets one too. Any field holding a separator, a quote or
 * a line break is quoted. Numbers never come here: they are written as they
 * are (report_table.c), so -3 stays a number. */
void buf_csv_text(buf *b, const char *s)
{
    if (!s)
        return;
    const unsigned char *u = (const unsigned char *)s;
    bool lead = *u == '\t' || *u == '\r';
    size_t i = 0;
    while (csv_blank(u + i))
        i += csv_blank(u + i);
    bool quote = lead || csv_trigger(u + i) || strpbrk(s, ",;\"\r\n\t") != NULL;
    if (quote)
        buf_putc(b, '"');
    if (lead)
        buf_putc(b, '\'');
    bool cell_start = !lead;
    for (const unsigned char *c = u; *c; c++) {
        size_t blank = cell_start ? csv_blank(c) : 0;
        if (cell_start && !blank && csv_trigger(c))
            buf_putc(b, '\'');
        if (*c == '"')
            buf_putc(b, '"');
        buf_putc(b, (char)*c);
        for (size_t k = 1; k < blank; k++) /* the rest of a multi-byte blank */
            buf_putc(b, (char)*++c);
        cell_start = blank || *c == ',' || *c == ';' || *c == '\t' || *c == '\r' || *c == '\n';
    }
    if (quote)
        buf_putc(b, '"');
}

void buf_json_string(buf *b, const char *s)
{
    buf_putc(b, '"');
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
        switch (*c) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '<': buf_puts(b, "\\u003c"); break; /* safe inside <script> and HTML */
        default:
            if (*c < 0x20)
                buf_printf(b, "\\u%04x", *c);
            else
                buf_putc(b, (char)*c);
        }
    }
    buf_putc(b, '"');
}

void buf_url(buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || strchr("-_.~", *c)) {
            buf_putc(b, (char)*c);
        } else {
            char e[3] = {'%', hex[*c >> 4], hex[*c & 15]};
            buf_add(b, e, 3);
        }
    }
}

/* An unknown conversion is a programming error that tools/codecheck.c should
 * have refused at build time: stop rather than guess what the argument is. */
static _Noreturn void unknown_conversion(const char *fmt)
{
    fprintf(stderr, _("somon: buf_fmt: unknown conversion in \"%s\"\n"), fmt);
    assert(!"unknown buf_fmt conversion");
    abort();
}

/* An integer in decimal, as printf's %d, %ld, %lld and %zu write it. */
static void put_unsigned(buf *b, unsigned long long v, bool negative)
{
    char digits[24], *p = digits + sizeof digits;
    do
        *--p = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    if (negative)
        *--p = '-';
    buf_add(b, p, (size_t)(digits + sizeof digits - p));
}

void buf_unsigned(buf *b, unsigned long long v) { put_unsigned(b, v, false); }

static void put_int(buf *b, long long v)
{
    put_unsigned(b, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
}

void buf_fmt(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *run = fmt;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        buf_add(b, run, (size_t)(p - run));
        p++;
        if (!*p)
            unknown_conversion(fmt);
        switch (*p) {
        case 'h': buf_html(b, va_arg(ap, const char *)); break;
        case 'a': buf_attr(b, va_arg(ap, const char *)); break;
        case 'U': buf_url(b, va_arg(ap, const char *)); break;
        case 'j': buf_json_string(b, va_arg(ap, const char *)); break;
        case 's': buf_puts(b, va_arg(ap, const char *)); break;
        case 'd': put_int(b, va_arg(ap, int)); break;
        case '%': buf_putc(b, '%'); break;
        case 'z':
            if (p[1] != 'u')
                unknown_conversion(fmt);
            p++;
            put_unsigned(b, va_arg(ap, size_t), false);
            break;
        case 'l':
            if (p[1] == 'd') {
                p++;
                put_int(b, va_arg(ap, long));
            } else if (p[1] == 'l' && p[2] == 'd') {
                p += 2;
                put_int(b, va_arg(ap, long long));
            } else {
                unknown_conversion(fmt);
            }
            break;
        default:
            unknown_conversion(fmt);
        }
        run = p + 1;
    }
    buf_puts(b, run);
    va_end(ap);
}

int buf_write(const buf *b, FILE *f)
{
    if (b->len && fwrite(b->data, 1, b->len, f) != b->len)
        return -1;
    return 0;
}
