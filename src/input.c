/* input.c: see input.h. */
#include "input.h"

#include "i18n.h"
#include "term.h"

#include <stdio.h>
#include <string.h>

const text_limit TEXT_LIMITS[TEXT_KINDS] = {
    [TEXT_ID] = {"id", LIMIT_ID, false},
    [TEXT_CODE] = {"code", LIMIT_CODE, false},
    [TEXT_NUMBER] = {"number", LIMIT_NUMBER, false},
    [TEXT_NAME] = {"name", LIMIT_NAME, false},
    [TEXT_TITLE] = {"title", LIMIT_TITLE, false},
    [TEXT_PARAGRAPH] = {"paragraph", LIMIT_PARAGRAPH, true},
    [TEXT_NOTE] = {"note", LIMIT_NOTE, true},
    [TEXT_URL] = {"url", LIMIT_URL, false},
};

/* The code point of the UTF-8 sequence at s (*len bytes), or *len = 0 when
 * it is not valid UTF-8: no overlong forms, no surrogates, nothing above
 * U+10FFFF, nothing cut off by the end. */
static unsigned decode(const unsigned char *s, size_t n, size_t *len)
{
    unsigned c = s[0];
    *len = 0;
    if (c < 0x80) {
        *len = 1;
        return c;
    }
    size_t k = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (k == 0 || k > n)
        return 0;
    unsigned cp = c & (k == 2 ? 0x1f : k == 3 ? 0x0f : 0x07);
    for (size_t j = 1; j < k; j++) {
        if ((s[j] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[j] & 0x3f);
    }
    if ((k == 3 && cp < 0x800) || (cp >= 0xd800 && cp <= 0xdfff) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    *len = k;
    return cp;
}

static bool is_control(unsigned cp) { return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f); }

text_verdict text_check(const char *s, size_t n, text_kind kind)
{
    const unsigned char *u = (const unsigned char *)s;
    text_verdict v = {TEXT_OK, 0, 0, 0};
    for (size_t i = 0; i < n;) {
        size_t len;
        unsigned cp = decode(u + i, n - i, &len);
        if (!len)
            return (text_verdict){TEXT_NOT_UTF8, v.length, i + 1, u[i]};
        v.length++;
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            if (!TEXT_LIMITS[kind].multiline)
                return (text_verdict){TEXT_LINE_BREAK, v.length, v.length, cp};
        } else if (is_control(cp)) {
            return (text_verdict){TEXT_CONTROL, v.length, v.length, cp};
        }
        i += len;
    }
    if (v.length > TEXT_LIMITS[kind].max)
        v.fault = TEXT_TOO_LONG;
    return v;
}

const char *text_explain(arena *a, const text_verdict *v, text_kind kind, bool dutch)
{
    size_t max = TEXT_LIMITS[kind].max;
    switch (v->fault) {
    case TEXT_TOO_LONG:
        return dutch ? arena_printf(a, "is %zu tekens lang; kort het in tot hoogstens %zu tekens", v->length, max)
                     : arena_printf(a, _("%zu characters long; shorten it to at most %zu (docs/somon1.md, Limits)"),
                                    v->length, max);
    case TEXT_CONTROL:
        return dutch ? arena_printf(a, "bevat een stuurteken (U+%04X) op teken %zu; verwijder het", v->code, v->at)
                     : arena_printf(a, _("contains the control character U+%04X at character %zu; remove it"), v->code,
                                    v->at);
    case TEXT_LINE_BREAK:
        return dutch ? arena_printf(a, "bevat een regeleinde of tab op teken %zu; schrijf het op één regel", v->at)
                     : arena_printf(a, _("contains a line break or tab at character %zu; write it on one line (only "
                                       "notes and other long texts span lines)"), v->at);
    case TEXT_NOT_UTF8:
        return dutch ? arena_strdup(a, "is geen geldige UTF-8-tekst")
                     : arena_printf(a, _("is not valid UTF-8 at byte %zu; save the file as UTF-8"), v->at);
    default: return "";
    }
}

bool date_in_limits(date_t d)
{
    return d != DATE_NONE && d >= date_from_ymd(LIMIT_YEAR_FIRST, 1, 1) && d <= date_from_ymd(LIMIT_YEAR_LAST, 12, 31);
}

void text_shown(buf *b, const char *s, size_t n) { term_escape_line(b, s, n); }

char *text_shown_copy(arena *a, const char *s)
{
    buf shown = {0};
    text_shown(&shown, s, strlen(s));
    char *copy = arena_strndup(a, shown.data ? shown.data : "", shown.len);
    buf_free(&shown);
    return copy;
}

bool source_url_valid(const char *u)
{
    size_t scheme = strncmp(u, "https://", 8) == 0 ? 8 : strncmp(u, "http://", 7) == 0 ? 7 : 0;
    if (!scheme || !u[scheme])
        return false;
    for (const unsigned char *c = (const unsigned char *)u; *c; c++)
        if (*c <= 0x20 || *c == 0x7F)
            return false;
    return true;
}
