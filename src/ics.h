/* ics.h: writing iCalendar (RFC 5545) content lines. Pure: appends to a buf.
 * Every line ends in CRLF and is folded so that no line is longer than 75
 * octets (a continuation line starts with one space), never inside a UTF-8
 * sequence. TEXT values are escaped (backslash, semicolon, comma, and
 * newlines as \n); other control characters are left out. */
#ifndef SOMON_ICS_H
#define SOMON_ICS_H

#include "buf.h"

enum { ICS_LINE_OCTETS = 75 };

/* "name:value" with value written as it is (a DATE, a URI, …): the caller
 * knows that it holds no control character. */
void ics_line(buf *b, const char *name, const char *value);
/* "name:value" with value escaped as TEXT; nothing when value is NULL. */
void ics_text(buf *b, const char *name, const char *value);
/* Appends s escaped as TEXT to a value being built (no folding). */
void ics_escape_text(buf *b, const char *s);
/* The register notice (notice.h) as the calendar's description (RFC 7986
 * DESCRIPTION and the widely read X-WR-CALDESC); nothing for NULL. Between
 * BEGIN:VCALENDAR and the first component. */
void ics_notice(buf *b, const char *notice);
/* Folds one unfolded line (without CRLF) into b, with its CRLF. */
void ics_fold(buf *b, const char *line, size_t len);

#endif
