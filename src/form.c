/* form.c: see form.h. */
#define _GNU_SOURCE /* memmem, strcasestr */
#include "form.h"

#include <sodium.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

typedef struct {
    arena *a;
    web_pair *fields;
    size_t count;
    const char **why;
} collector;

static int add(collector *c, const char *name, const char *value)
{
    if (c->count == FORM_MAX_FIELDS) {
        *c->why = "Het formulier heeft te veel velden.";
        return 413;
    }
    if (!*name || strlen(name) > FORM_MAX_NAME) {
        *c->why = "Een veld van het formulier heeft geen of een te lange naam.";
        return 400;
    }
    bool upload = strcmp(name, FORM_FILE_FIELD) == 0 || strcmp(name, FORM_CARRIED_FIELD) == 0;
    if (upload && strlen(value) > FORM_MAX_FILE_VALUE) {
        *c->why = arena_printf(c->a, "Het bestand is groter dan %u MiB; splits het in kleinere bestanden.",
                               SHEET_MAX_FILE_BYTES >> 20);
        return 413;
    }
    if (!upload && strlen(value) > FORM_MAX_VALUE) {
        *c->why = arena_printf(c->a, "Een veld van het formulier is langer dan een tekst ooit mag zijn (%d tekens).",
                               LIMIT_NOTE);
        return 413;
    }
    c->fields[c->count++] = (web_pair){name, value};
    return 0;
}

static int urlencoded(collector *c, const char *body, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && body[j] != '&')
            j++;
        if (j > i) {
            size_t eq = i;
            while (eq < j && body[eq] != '=')
                eq++;
            const char *name = web_percent_decode(c->a, body + i, eq - i, true, false, c->why);
            const char *value = eq < j ? web_percent_decode(c->a, body + eq + 1, j - eq - 1, true, true, c->why) : "";
            if (!name || !value)
                return 400;
            int rc = add(c, name, value);
            if (rc)
                return rc;
        }
        i = j + 1;
    }
    return 0;
}

/* The value of a parameter of a header (boundary=…, name="…"), or NULL. */
static const char *header_param(arena *a, const char *header, size_t n, const char *param)
{
    size_t pl = strlen(param);
    for (size_t i = 0; i + pl + 1 < n; i++) {
        if ((i > 0 && header[i - 1] != ';' && header[i - 1] != ' ') || strncasecmp(header + i, param, pl) != 0 ||
            header[i + pl] != '=')
            continue;
        size_t v = i + pl + 1, end = v;
        if (v < n && header[v] == '"') {
            end = ++v;
            while (end < n && header[end] != '"')
                end++;
            if (end == n)
                return NULL;
        } else {
            while (end < n && header[end] != ';' && header[end] != ' ' && header[end] != '\r')
                end++;
        }
        return arena_strndup(a, header + v, end - v);
    }
    return NULL;
}

/* The text of a part: valid UTF-8, no control characters (a value may hold
 * tab, CR and LF; a name none). */
static const char *part_text(collector *c, const char *s, size_t n, bool value)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if ((u[i] < 0x20 && !(value && (u[i] == '\t' || u[i] == '\r' || u[i] == '\n'))) || u[i] == 0x7F) {
            *c->why = "Het formulier bevat een stuurteken.";
            return NULL;
        }
        size_t len = web_utf8_length(u + i, n - i);
        if (!len || (len == 2 && u[i] == 0xC2 && u[i + 1] < 0xA0)) {
            *c->why = "Het formulier is geen geldige UTF-8-tekst.";
            return NULL;
        }
        i += len;
    }
    return arena_strndup(c->a, s, n);
}

/* The spreadsheet's part: its bytes in base64 under FORM_FILE_FIELD, its
 * name (when it is text) under FORM_FILE_NAME_FIELD. */
static int file_part(collector *c, const char *filename, const char *data, size_t n)
{
    if (n > SHEET_MAX_FILE_BYTES) {
        *c->why = arena_printf(c->a, "Het bestand is groter dan %u MiB; splits het in kleinere bestanden.",
                               SHEET_MAX_FILE_BYTES >> 20);
        return 413;
    }
    size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = arena_alloc(c->a, len);
    sodium_bin2base64(b64, len, (const unsigned char *)data, n, sodium_base64_VARIANT_ORIGINAL);
    const char *why = *c->why;
    const char *shown = part_text(c, filename, strlen(filename), false);
    *c->why = why; /* a file name that is no text is not the form's fault: it is left out */
    int rc = add(c, FORM_FILE_FIELD, b64);
    return rc ? rc : shown && *shown ? add(c, FORM_FILE_NAME_FIELD, shown) : 0;
}

size_t form_body_limit(const char *method, const char *target)
{
    size_t n = strlen(FORM_UPLOAD_PATH);
    bool upload = method && target && strcmp(method, "POST") == 0 && strncmp(target, FORM_UPLOAD_PATH, n) == 0 &&
                  (target[n] == '\0' || target[n] == '?');
    return upload ? FORM_MAX_UPLOAD_BYTES : FORM_MAX_BYTES;
}

static int multipart(collector *c, const char *content_type, const char *body, size_t len)
{
    const char *boundary = header_param(c->a, content_type, strlen(content_type), "boundary");
    if (!boundary || !*boundary || strlen(boundary) > 70) {
        *c->why = "Het formulier heeft geen geldige grens (boundary).";
        return 400;
    }
    const char *delim = arena_printf(c->a, "--%s", boundary);
    size_t dl = strlen(delim);
    const char *p = memmem(body, len, delim, dl), *end = body + len;
    if (!p) {
        *c->why = "Het formulier is onvolledig.";
        return 400;
    }
    for (;;) {
        p += dl;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return 0; /* the closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            break;
        p += 2;
        const char *headers_end = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!headers_end)
            break;
        const char *value = headers_end + 4;
        const char *next = memmem(value, (size_t)(end - value), arena_printf(c->a, "\r\n%s", delim), dl + 2);
        if (!next)
            break;
        const char *disposition = NULL;
        for (const char *h = p; h < headers_end;) {
            const char *eol = memmem(h, (size_t)(headers_end - h), "\r\n", 2);
            size_t hl = eol ? (size_t)(eol - h) : (size_t)(headers_end - h);
            if (hl > 20 && strncasecmp(h, "Content-Disposition:", 20) == 0)
                disposition = arena_strndup(c->a, h, hl);
            h += hl + 2;
        }
        if (!disposition) {
            *c->why = "Een deel van het formulier heeft geen naam.";
            return 400;
        }
        const char *name = header_param(c->a, disposition, strlen(disposition), "name");
        const char *filename = header_param(c->a, disposition, strlen(disposition), "filename");
        if (filename && (!name || strcmp(name, FORM_FILE_FIELD) != 0)) {
            *c->why = "Dit formulier neemt geen bestanden aan.";
            return 415;
        }
        if (!name) {
            *c->why = "Een deel van het formulier heeft geen naam.";
            return 400;
        }
        if (filename) {
            int rc = file_part(c, filename, value, (size_t)(next - value));
            if (rc)
                return rc;
            p = next + 2;
            continue;
        }
        const char *text = part_text(c, value, (size_t)(next - value), true);
        if (!text || !part_text(c, name, strlen(name), false))
            return 400;
        int rc = add(c, name, text);
        if (rc)
            return rc;
        p = next + 2;
    }
    *c->why = "Het formulier is onvolledig of verkeerd opgebouwd.";
    return 400;
}

int form_parse(arena *a, const char *content_type, const char *body, size_t len, web_pair **fields, size_t *count,
               const char **why)
{
    *fields = NULL;
    *count = 0;
    *why = NULL;
    if (len > FORM_MAX_UPLOAD_BYTES) { /* the server allows this much on FORM_UPLOAD_PATH only */
        *why = "Het formulier is te groot.";
        return 413;
    }
    collector c = {a, arena_calloc(a, FORM_MAX_FIELDS, sizeof(web_pair)), 0, why};
    const char *type = content_type ? content_type : "";
    int rc;
    if (len == 0)
        rc = 0;
    else if (strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0)
        rc = urlencoded(&c, body, len);
    else if (strncasecmp(type, "multipart/form-data", 19) == 0)
        rc = multipart(&c, type, body, len);
    else {
        *why = "Stuur het formulier als application/x-www-form-urlencoded of multipart/form-data.";
        rc = 415;
    }
    if (rc == 0) {
        *fields = c.fields;
        *count = c.count;
    }
    return rc;
}
