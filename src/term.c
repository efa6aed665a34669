/* term.c: see term.h. */
#include "term.h"

#include <stdbool.h>
#include <string.h>

/* The length of the UTF-8 sequence at s (at most n bytes), 0 if it is not one. */
static size_t utf8_length(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (!len || len > n || (len == 2 && s[0] < 0xC2) || (s[0] == 0xE0 && len > 1 && s[1] < 0xA0) ||
        (s[0] == 0xED && len > 1 && s[1] >= 0xA0) || (s[0] == 0xF0 && len > 1 && s[1] < 0x90) ||
        (s[0] == 0xF4 && len > 1 && s[1] >= 0x90) || s[0] > 0xF4)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

/* keep_layout: tab and newline pass as they are (multi-line output);
 * quoted: " and \ get a backslash (the text stands inside quotes). */
static void escape(buf *out, const char *s, size_t n, bool keep_layout, bool quoted)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t done = 0; /* copied up to here */
    for (size_t i = 0; i < n;) {
        size_t len = utf8_length(p + i, n - i);
        bool layout = keep_layout && (p[i] == '\t' || p[i] == '\n');
        bool c0 = len == 1 && ((p[i] < 0x20 && !layout) || p[i] == 0x7F);
        bool c1 = len == 2 && p[i] == 0xC2 && p[i + 1] < 0xA0;
        bool quote = quoted && (p[i] == '"' || p[i] == '\\');
        if (len && !c0 && !c1 && !quote) {
            i += len;
            continue;
        }
        buf_add(out, s + done, i - done);
        if (quote)
            buf_printf(out, "\\%c", p[i]);
        else if (c1)
            buf_printf(out, "\\u%04x", p[i + 1]);
        else
            buf_printf(out, "\\x%02x", p[i]);
        i += c1 ? 2 : 1;
        done = i;
    }
    buf_add(out, s + done, n - done);
}

void term_escape(buf *out, const char *s, size_t n) { escape(out, s, n, true, false); }
void term_escape_line(buf *out, const char *s, size_t n) { escape(out, s, n, false, false); }

void term_quoted(buf *out, const char *s)
{
    s = s ? s : "";
    escape(out, s, strlen(s), false, true);
}

const char *term_text(arena *a, const char *s)
{
    if (!s)
        return "";
    buf b = {0};
    term_escape(&b, s, strlen(s));
    const char *copy = b.len ? arena_strndup(a, b.data, b.len) : "";
    buf_free(&b);
    return copy;
}

int term_write(const buf *b, FILE *f)
{
    buf out = {0};
    term_escape(&out, b->data ? b->data : "", b->len);
    int rc = buf_write(&out, f);
    buf_free(&out);
    return rc;
}
