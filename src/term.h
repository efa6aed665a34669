/* term.h: stored text on a terminal.
 *
 * Titles, names, notes, actors and the file names in change details came in
 * through imports, forms or an older database; a control character among
 * them (ESC, BEL, CSI...) printed raw would drive the operator's terminal:
 * retitle it, move the cursor, rewrite or hide what is on screen. Every
 * command-line output of stored text in a text format (history, reports in
 * text and Markdown, alerts, the user list, what backup and restore say)
 * passes through term_escape(), which writes each such character visibly:
 * C0 controls but tab and newline, and DEL, as \xNN; C1 controls
 * (U+0080..U+009F) as \u00NN; a byte that is not UTF-8 as \xNN. Everything
 * else, backslashes included, is copied as it is. */
#ifndef SOMON_TERM_H
#define SOMON_TERM_H

#include <stdio.h>

#include "arena.h"
#include "buf.h"

/* Appends the n bytes of s to out, controls escaped. */
void term_escape(buf *out, const char *s, size_t n);
/* The same for text quoted inside one line (a message, a log line): tab and
 * newline are escaped too, so quoted input cannot forge a line. */
void term_escape_line(buf *out, const char *s, size_t n);
/* Text from outside inside the quotes of a log line or a message: as
 * term_escape_line, and quotes and backslashes get a backslash, so the text
 * can neither end its quotes nor start a line of its own. The access log,
 * the login log and the command line's messages share it. NULL: nothing. */
void term_quoted(buf *out, const char *s);
/* A copy of s (NULL: "") safe to print, in a. */
const char *term_text(arena *a, const char *s);
/* Writes b to f escaped; returns 0 or -1. */
int term_write(const buf *b, FILE *f);

#endif
