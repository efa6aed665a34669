#define _POSIX_C_SOURCE 200809L
/* query.c: the request target parser (web_target_parse in web.h). It is the
 * first thing outside input meets, so it is strict and fuzzed
 * (tests/fuzz/fuzz_target.c): anything it does not understand is a 400. */
#include <string.h>

#include "web.h"

static int hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid: no
 * overlong forms, no surrogates, nothing above U+10FFFF. */
size_t web_utf8_length(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || s[0] > 0xF4 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (len == 3 && s[0] == 0xE0 && s[1] < 0xA0)
        return 0;
    if (len == 3 && s[0] == 0xED && s[1] >= 0xA0)
        return 0;
    if (len == 4 && s[0] == 0xF0 && s[1] < 0x90)
        return 0;
    if (len == 4 && s[0] == 0xF4 && s[1] >= 0x90)
        return 0;
    return len;
}

const char *web_percent_decode(arena *a, const char *s, size_t n, bool query, bool text, const char **why)
{
    char *out = arena_alloc(a, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            int h = i + 2 < n ? hex((unsigned char)s[i + 1]) : -1;
            int l = i + 2 < n ? hex((unsigned char)s[i + 2]) : -1;
            if (h < 0 || l < 0) {
                *why = "Een %-teken in het adres wordt niet gevolgd door twee hexadecimale cijfers.";
                return NULL;
            }
            c = (unsigned char)(h * 16 + l);
            i += 2;
        } else if (c == '+' && query) {
            c = ' ';
        }
        out[k++] = (char)c;
    }
    out[k] = '\0';
    const unsigned char *u = (const unsigned char *)out;
    for (size_t i = 0; i < k;) {
        if ((u[i] < 0x20 && !(text && (u[i] == '\t' || u[i] == '\r' || u[i] == '\n'))) || u[i] == 0x7F) {
            *why = "Het adres bevat een stuurteken.";
            return NULL;
        }
        size_t len = web_utf8_length(u + i, k - i);
        if (len == 2 && u[i] == 0xC2 && u[i + 1] < 0xA0) { /* U+0080..U+009F: the C1 controls */
            *why = "Het adres bevat een stuurteken.";
            return NULL;
        }
        if (!len) {
            *why = "Het adres is geen geldige UTF-8-tekst.";
            return NULL;
        }
        i += len;
    }
    return out;
}

static int split_path(arena *a, const char *path, size_t n, web_target *out, const char **why)
{
    out->segments = arena_calloc(a, WEB_MAX_SEGMENTS, sizeof *out->segments);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && path[j] != '/')
            j++;
        if (j > i) {
            if (out->segment_count == WEB_MAX_SEGMENTS) {
                *why = "Het adres heeft te veel delen.";
                return 414;
            }
            const char *seg = web_percent_decode(a, path + i, j - i, false, false, why);
            if (!seg)
                return 400;
            if (strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0 || strchr(seg, '/')) {
                *why = "Het adres bevat een ongeldig deel.";
                return 400;
            }
            out->segments[out->segment_count++] = seg;
        }
        i = j + 1;
    }
    return 0;
}

static int split_query(arena *a, const char *q, size_t n, web_target *out, const char **why)
{
    out->params = arena_calloc(a, WEB_MAX_PARAMS, sizeof *out->params);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && q[j] != '&' && q[j] != ';')
            j++;
        if (j > i) {
            if (out->param_count == WEB_MAX_PARAMS) {
                *why = WEB_TOO_MANY_PARAMS;
                return 400;
            }
            size_t eq = i;
            while (eq < j && q[eq] != '=')
                eq++;
            const char *name = web_percent_decode(a, q + i, eq - i, true, false, why);
            const char *value = eq < j ? web_percent_decode(a, q + eq + 1, j - eq - 1, true, false, why) : "";
            if (!name || !value)
                return 400;
            out->params[out->param_count++] = (web_pair){name, value};
        }
        i = j + 1;
    }
    return 0;
}

int web_target_parse(arena *a, const char *target, web_target *out, const char **why)
{
    memset(out, 0, sizeof *out);
    *why = NULL;
    size_t n = strnlen(target, WEB_MAX_TARGET + 1);
    if (n > WEB_MAX_TARGET) {
        *why = "Het adres is te lang.";
        return 414;
    }
    if (n == 0 || target[0] != '/') {
        *why = "Het adres moet met een / beginnen.";
        return 400;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)target[i] <= ' ' || target[i] == 0x7f) { /* RFC 9112 §3.2: never raw in a target */
            *why = "Het adres bevat een spatie of een stuurteken; codeer een spatie als %20.";
            return 400;
        }
    const char *hash = memchr(target, '#', n);
    if (hash)
        n = (size_t)(hash - target); /* a fragment never reaches a server, but ignore it if it does */
    const char *q = memchr(target, '?', n);
    size_t path_len = q ? (size_t)(q - target) : n;
    int rc = split_path(a, target, path_len, out, why);
    if (rc)
        return rc;
    return q ? split_query(a, q + 1, n - path_len - 1, out, why) : 0;
}

/* English for the API: the sentences above, in the same order. */
static const char *const DUTCH[] = {
    "Een %-teken in het adres wordt niet gevolgd door twee hexadecimale cijfers.",
    "Het adres bevat een stuurteken.",
    "Het adres is geen geldige UTF-8-tekst.",
    "Het adres heeft te veel delen.",
    "Het adres bevat een ongeldig deel.",
    WEB_TOO_MANY_PARAMS,
    "Het adres is te lang.",
    "Het adres moet met een / beginnen.",
    "Het adres bevat een spatie of een stuurteken; codeer een spatie als %20.",
};
static const char *const ENGLISH[] = {
    "A % in the target is not followed by two hexadecimal digits.",
    "The target holds a control character.",
    "The target is not valid UTF-8.",
    "The target has too many path segments.",
    "The target has an invalid path segment.",
    WEB_TOO_MANY_PARAMS_EN,
    "The target is too long.",
    "The target must begin with a /.",
    "The target holds a space or a control character; encode a space as %20.",
};

const char *web_target_why_english(const char *why)
{
    for (size_t i = 0; why && i < sizeof DUTCH / sizeof *DUTCH; i++)
        if (strcmp(why, DUTCH[i]) == 0)
            return ENGLISH[i];
    return why;
}
