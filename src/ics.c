/* ics.c: see ics.h. */
#include "ics.h"
#include "notice.h"

#include <stdbool.h>
#include <string.h>

void ics_fold(buf *b, const char *line, size_t len)
{
    size_t at = 0, room = ICS_LINE_OCTETS;
    while (len - at > room) {
        size_t cut = at + room;
        /* back to the first octet of a UTF-8 sequence */
        while (cut > at && ((unsigned char)line[cut] & 0xC0) == 0x80)
            cut--;
        if (cut == at) /* not UTF-8 at all: cut where the room ends */
            cut = at + room;
        buf_add(b, line + at, cut - at);
        buf_add(b, "\r\n ", 3);
        at = cut;
        room = ICS_LINE_OCTETS - 1; /* the leading space counts */
    }
    buf_add(b, line + at, len - at);
    buf_add(b, "\r\n", 2);
}

/* The bytes that TEXT writes as they are: printable ASCII but \ ; , and
 * every octet of UTF-8 (0x80 and up). */
static bool plain(unsigned char c) { return (c >= 0x20 && c != 0x7F && c != '\\' && c != ';' && c != ','); }

void ics_escape_text(buf *b, const char *s)
{
    while (s && *s) {
        const char *run = s;
        while (plain((unsigned char)*s))
            s++;
        if (s > run) /* a feed is mostly such runs: one copy each, not one per byte */
            buf_add(b, run, (size_t)(s - run));
        unsigned char c = (unsigned char)*s;
        if (!c)
            break;
        if (c == '\\' || c == ';' || c == ',') {
            char esc[2] = {'\\', (char)c};
            buf_add(b, esc, 2);
        } else if (c == '\r') {
            buf_add(b, "\\n", 2);
            if (s[1] == '\n')
                s++;
        } else if (c == '\n') {
            buf_add(b, "\\n", 2);
        } else if (c == '\t') {
            buf_putc(b, ' ');
        }
        s++;
    }
}

/* The length of s escaped as TEXT (ics_escape_text). */
static size_t escaped_length(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (plain(c) || c == '\t')
            n++;
        else if (c == '\\' || c == ';' || c == ',' || c == '\n')
            n += 2;
        else if (c == '\r') {
            n += 2;
            if (s[1] == '\n')
                s++;
        }
    }
    return n;
}

static void line_of(buf *b, const char *name, const char *value, int text)
{
    size_t name_len = strlen(name);
    size_t value_len = text ? escaped_length(value) : strlen(value);
    if (name_len + 1 + value_len <= ICS_LINE_OCTETS) { /* most lines: no fold, written in place */
        buf_add(b, name, name_len);
        buf_putc(b, ':');
        if (text)
            ics_escape_text(b, value);
        else
            buf_add(b, value, value_len);
        buf_add(b, "\r\n", 2);
        return;
    }
    /* a long line is made whole first (b may go on into a file as it is written) */
    buf l = {0};
    buf_add(&l, name, name_len);
    buf_putc(&l, ':');
    if (text)
        ics_escape_text(&l, value);
    else
        buf_add(&l, value, value_len);
    ics_fold(b, l.data, l.len);
    buf_free(&l);
}

void ics_line(buf *b, const char *name, const char *value) { line_of(b, name, value ? value : "", 0); }

void ics_text(buf *b, const char *name, const char *value)
{
    if (value)
        line_of(b, name, value, 1);
}

void ics_notice(buf *b, const char *notice)
{
    if (!notice)
        return;
    ics_text(b, "DESCRIPTION", register_notice_sentence(notice));
    ics_text(b, "X-WR-CALDESC", register_notice_sentence(notice));
}
