/* fuzz_target.c: libFuzzer target for web_target_parse() (src/query.c), the
 * request-target parser every request meets first.
 *
 * Per input: the bytes up to the first NUL are the target, as the transport
 * hands it over (a C string). The parser's answer must keep the contract of
 * web.h, checked here independently of query.c:
 *   - the status is 0, 400 or 414, and 400/414 come with a reason (*why);
 *   - a target longer than WEB_MAX_TARGET is 414, one not starting with '/'
 *     is 400;
 *   - on success: at most WEB_MAX_SEGMENTS segments and WEB_MAX_PARAMS
 *     parameters; every segment is non-empty, is not "." or "..", holds no
 *     '/'; every segment, parameter name and value is valid UTF-8 (shortest
 *     form, no surrogates, nothing above U+10FFFF) without control
 *     characters (Unicode Cc: U+0000-U+001F, U+007F-U+009F);
 *   - the parse is stable: the segments and parameters percent-encoded
 *     again into a target parse back to the very same lists.
 * A broken invariant prints the target (escaped) and aborts, so libFuzzer
 * keeps the input in tests/fuzz/artifacts/. Everything is allocated from one
 * arena per input and freed before returning (leak detection is on).
 *
 * Build with -DFUZZ_ALLOW_C1_CONTROLS to accept U+0080-U+009F (if the
 * contract is ever relaxed to C0 controls and DEL only). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *current; /* the target being parsed, for the messages */

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_target: %s%s%s\n  target: \"", what, detail ? ": " : "", detail ? detail : "");
    for (const unsigned char *c = (const unsigned char *)(current ? current : ""); *c; c++)
        fprintf(stderr, *c >= 0x20 && *c < 0x7f && *c != '"' && *c != '\\' ? "%c" : "\\x%02x", *c);
    fprintf(stderr, "\"\n");
    abort();
}

/* The code point at s (n bytes left) in *cp and its length, or 0 when the
 * bytes are not valid UTF-8: written out from RFC 3629 §4, not from query.c. */
static size_t decode_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len;
    uint32_t min, c;
    if ((s[0] & 0xE0) == 0xC0)
        len = 2, min = 0x80, c = s[0] & 0x1F;
    else if ((s[0] & 0xF0) == 0xE0)
        len = 3, min = 0x800, c = s[0] & 0x0F;
    else if ((s[0] & 0xF8) == 0xF0)
        len = 4, min = 0x10000, c = s[0] & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

static bool is_control(uint32_t c)
{
#ifdef FUZZ_ALLOW_C1_CONTROLS
    return c < 0x20 || c == 0x7F;
#else
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
#endif
}

/* Valid UTF-8 without control characters; what names the text for the message. */
static void check_text(const char *s, const char *what)
{
    if (!s)
        fail(what, "NULL");
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = decode_utf8(u + i, n - i, &cp);
        if (!len)
            fail(what, "not valid UTF-8");
        if (is_control(cp)) {
            char detail[64];
            snprintf(detail, sizeof detail, "control character U+%04X", (unsigned)cp);
            fail(what, detail);
        }
        i += len;
    }
}

/* Appends s percent-encoded (everything but RFC 3986 unreserved characters). */
static char *encode(char *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || strchr("-._~", *c)) {
            *out++ = (char)*c;
        } else {
            *out++ = '%';
            *out++ = hex[*c >> 4];
            *out++ = hex[*c & 15];
        }
    }
    return out;
}

/* The target that the parsed lists encode to, in the arena. */
static char *reencode(arena *a, const web_target *t)
{
    size_t cap = 2;
    for (size_t i = 0; i < t->segment_count; i++)
        cap += 3 * strlen(t->segments[i]) + 1;
    for (size_t i = 0; i < t->param_count; i++)
        cap += 3 * (strlen(t->params[i].name) + strlen(t->params[i].value)) + 2;
    char *s = arena_alloc(a, cap + 1), *p = s;
    *p++ = '/';
    for (size_t i = 0; i < t->segment_count; i++) {
        if (i)
            *p++ = '/';
        p = encode(p, t->segments[i]);
    }
    for (size_t i = 0; i < t->param_count; i++) {
        *p++ = i ? '&' : '?';
        p = encode(p, t->params[i].name);
        *p++ = '=';
        p = encode(p, t->params[i].value);
    }
    *p = '\0';
    return s;
}

static void check_parsed(const web_target *t)
{
    if (t->segment_count > WEB_MAX_SEGMENTS)
        fail("too many segments accepted", NULL);
    if (t->param_count > WEB_MAX_PARAMS)
        fail("too many parameters accepted", NULL);
    if (t->segment_count && !t->segments)
        fail("segment_count without segments", NULL);
    if (t->param_count && !t->params)
        fail("param_count without params", NULL);
    for (size_t i = 0; i < t->segment_count; i++) {
        const char *s = t->segments[i];
        check_text(s, "a path segment");
        if (!*s)
            fail("an empty path segment", NULL);
        if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
            fail("a dot segment", s);
        if (strchr(s, '/'))
            fail("a path segment with '/'", s);
    }
    for (size_t i = 0; i < t->param_count; i++) {
        check_text(t->params[i].name, "a parameter name");
        check_text(t->params[i].value, "a parameter value");
    }
}

static void check_same(const web_target *x, const web_target *y)
{
    if (x->segment_count != y->segment_count || x->param_count != y->param_count)
        fail("the re-encoded target parses to other counts", NULL);
    for (size_t i = 0; i < x->segment_count; i++)
        if (strcmp(x->segments[i], y->segments[i]) != 0)
            fail("the re-encoded target parses to another segment", x->segments[i]);
    for (size_t i = 0; i < x->param_count; i++)
        if (strcmp(x->params[i].name, y->params[i].name) != 0 || strcmp(x->params[i].value, y->params[i].value) != 0)
            fail("the re-encoded target parses to another parameter", x->params[i].name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *target = malloc(size + 1);
    if (!target)
        return 0;
    memcpy(target, data, size);
    target[size] = '\0';
    current = target;
    size_t len = strlen(target);

    arena *a = arena_new();
    web_target t;
    const char *why = "unset";
    int rc = web_target_parse(a, target, &t, &why);
    if (rc != 0 && rc != 400 && rc != 414) {
        char detail[32];
        snprintf(detail, sizeof detail, "%d", rc);
        fail("a status other than 0, 400 or 414", detail);
    }
    if (rc && (!why || !*why))
        fail("an error status without a reason", NULL);
    if (len > WEB_MAX_TARGET && rc != 414)
        fail("a target over WEB_MAX_TARGET not answered 414", NULL);
    if (len <= WEB_MAX_TARGET && target[0] != '/' && rc != 400)
        fail("a target not starting with '/' not answered 400", NULL);
    if (rc == 0) {
        check_parsed(&t);
        const char *again = reencode(a, &t);
        if (strlen(again) <= WEB_MAX_TARGET) {
            web_target u;
            const char *why2 = NULL;
            current = again;
            int rc2 = web_target_parse(a, again, &u, &why2);
            if (rc2 != 0)
                fail("the re-encoded target is refused", why2);
            check_same(&t, &u);
        }
    }
    arena_free(a);
    free(target);
    current = NULL;
    return 0;
}
