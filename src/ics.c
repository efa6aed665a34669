/* ics.c: see ics.h. */
#include "ics.h"
#include "notice.h"

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

void ics_escape_text(buf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\' || c == ';' || c == ',') {
            buf_putc(b, '\\');
            buf_putc(b, (char)c);
        } else if (c == '\r') {
            buf_add(b, "\\n", 2);
            if (s[1] == '\n')
                s++;
        } else if (c == '\n') {
            buf_add(b, "\\n", 2);
        } else if (c >= 0x20 && c != 0x7F) {
            buf_putc(b, (char)c);
        } else if (c == '\t') {
            buf_putc(b, ' ');
        }
    }
}

static void line_of(buf *b, const char *name, const char *value, int text)
{
    buf l = {0};
    buf_puts(&l, name);
    buf_putc(&l, ':');
    if (text)
        ics_escape_text(&l, value);
    else
        buf_puts(&l, value);
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
