/* fuzz_form.c: libFuzzer target for the POST body parser (form_parse in
 * src/form.c), urlencoded and multipart. The first byte of an input picks
 * the content type (and for multipart its boundary); the rest is the body.
 * Besides the sanitizers, it checks what form.h promises and aborts when a
 * promise is broken. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_form: broken promise: %s\n", what);
        abort();
    }
}

/* Valid UTF-8 without control characters (tab, CR, LF allowed in values). */
static int clean_text(const char *s, int value)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        if ((u[i] < 0x20 && !(value && (u[i] == '\t' || u[i] == '\r' || u[i] == '\n'))) || u[i] == 0x7f)
            return 0;
        size_t len = web_utf8_length(u + i, n - i);
        if (!len || (len == 2 && u[i] == 0xC2 && u[i + 1] < 0xA0))
            return 0;
        i += len;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const types[] = {
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=UTF-8",
        "multipart/form-data; boundary=XyZ",
        "multipart/form-data; boundary=\"----b 1\"",
        "text/plain",
    };
    const char *type = types[data[0] % (sizeof types / sizeof *types)];
    arena *a = arena_new();
    web_pair *fields;
    size_t count;
    const char *why;
    int rc = form_parse(a, type, (const char *)data + 1, size - 1, &fields, &count, &why);
    require(rc == 0 || rc == 400 || rc == 413 || rc == 415, "status is 0, 400, 413 or 415");
    require(rc == 0 || why != NULL, "a refusal says why");
    require(rc != 0 || count <= FORM_MAX_FIELDS, "at most FORM_MAX_FIELDS fields");
    for (size_t i = 0; rc == 0 && i < count; i++) {
        require(fields[i].name && *fields[i].name && strlen(fields[i].name) <= FORM_MAX_NAME, "names are 1..128 bytes");
        require(clean_text(fields[i].name, 0), "names are UTF-8 without control characters");
        require(fields[i].value && clean_text(fields[i].value, 1), "values are UTF-8 with only tab, CR, LF as controls");
    }
    arena_free(a);
    return 0;
}
