/* input.h: the limits that every piece of outside input keeps, in one table,
 * and the checks that apply them.
 *
 * Every reader of outside input asks here: the somon/1 import (somon1.c),
 * the indicator and reference CSVs (indicators_import.c, refdata.c) and the
 * web forms (form.c refuses a value longer than the longest text; each form
 * checks its fields against their kind, the agreement forms through the
 * importer's own checks). So a form and an import accept the same texts, and
 * no text that real data never reaches (a 100 MB title) makes a page heavy.
 * docs/somon1.md ("Limits") lists the numbers; change them here only.
 *
 * A text is valid UTF-8 without control characters: no C0 (U+0000–U+001F),
 * no DEL, no C1 (U+0080–U+009F), except that a multi-line kind may hold tab,
 * line feed and carriage return. Lengths count characters (code points).
 * Pure: no I/O, no state. */
#ifndef SOMON_INPUT_H
#define SOMON_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "date.h"

/* The longest text of each kind, in characters. Enum constants, so that a
 * form's own checks can name them. */
enum {
    LIMIT_ID = 64,          /* ids and references: agreements, organisations, regiegebieden, NIS codes */
    LIMIT_CODE = 40,        /* indicator codes */
    LIMIT_NUMBER = 40,      /* numbers of action domains and actions ("2.3") */
    LIMIT_NAME = 300,       /* names of people, organisations, bodies; functions, leads, units */
    LIMIT_TITLE = 500,      /* titles, themes, indicator names, an evaluation's figures */
    LIMIT_PARAGRAPH = 2000, /* multi-line: an evaluation's result, an indicator's source */
    LIMIT_NOTE = 20000,     /* multi-line: notes, a principle's text, a meeting's decisions */
    LIMIT_URL = 2000,       /* web addresses */
};

/* How many elements a list inside one object may have. */
enum {
    LIST_PARTIES = 1000,     /* parties of an agreement, members of a regiegebied */
    LIST_SIGNATORIES = 100,  /* signatories of a party */
    LIST_THEMES = 100,       /* themes of an action plan, domains of a theme, governance bodies */
    LIST_ACTIONS = 1000,     /* actions of a domain */
    LIST_MEMBERS = 1000,     /* members of a governance body */
};

/* Sources (the evidence of an agreement or a party, issue 13): an address
 * of at most SOURCE_MAX_URL bytes, a quote of at most SOURCE_MAX_QUOTE
 * bytes (one line), at most SOURCE_MAX_COUNT per agreement and per party. */
enum { SOURCE_MAX_URL = 2048, SOURCE_MAX_QUOTE = 1000, SOURCE_MAX_COUNT = 50 };

/* Whether u is a source's address: http:// or https:// and at least one
 * more byte, without whitespace or control characters (a javascript: or a
 * relative address is never a source, nor ever a link). The length is
 * checked apart (SOURCE_MAX_URL). */
bool source_url_valid(const char *u);

/* Dates of imported data lie in these years (both included); indicator
 * periods too. */
enum { LIMIT_YEAR_FIRST = 1983, LIMIT_YEAR_LAST = 2100 };

/* Indicator values: a count lies in 0..LIMIT_COUNT_MAX, a rate in 0..100;
 * either has at most LIMIT_SIGNIFICANT_DIGITS significant digits, so that
 * the stored double gives the same decimal back. */
#define LIMIT_COUNT_MAX 1e9
enum { LIMIT_SIGNIFICANT_DIGITS = 15 };

typedef enum { TEXT_ID, TEXT_CODE, TEXT_NUMBER, TEXT_NAME, TEXT_TITLE, TEXT_PARAGRAPH, TEXT_NOTE, TEXT_URL, TEXT_KINDS } text_kind;

typedef struct {
    const char *name; /* for documentation and messages: "name", "title" … */
    size_t max;       /* characters */
    bool multiline;   /* may hold tab, line feed and carriage return */
} text_limit;

extern const text_limit TEXT_LIMITS[TEXT_KINDS];

typedef enum { TEXT_OK, TEXT_TOO_LONG, TEXT_CONTROL, TEXT_LINE_BREAK, TEXT_NOT_UTF8 } text_fault;

typedef struct {
    text_fault fault;
    size_t length;  /* characters (TEXT_TOO_LONG: of the whole text) */
    size_t at;      /* 1-based character of the fault (TEXT_NOT_UTF8: byte) */
    unsigned code;  /* the offending code point */
} text_verdict;

/* Checks s (n bytes; a NUL inside counts as a control character) against
 * the rules of kind. A character fault is reported before the length. */
text_verdict text_check(const char *s, size_t n, text_kind kind);

/* What is wrong and the fix, without the place: "501 characters long;
 * shorten it to at most 500 (…)", in Dutch for the forms. Lives in a. */
const char *text_explain(arena *a, const text_verdict *v, text_kind kind, bool dutch);

/* Whether d lies within LIMIT_YEAR_FIRST..LIMIT_YEAR_LAST. */
bool date_in_limits(date_t d);

/* Appends s (n bytes) with every control character (C0, DEL, C1) and every
 * byte that is not UTF-8 written as \xNN or \u00NN, so that a message that
 * quotes input can neither drive a terminal nor forge a line of a log. */
void text_shown(buf *b, const char *s, size_t n);
/* The same as a copy of s in a: what a message that quotes input keeps. */
char *text_shown_copy(arena *a, const char *s);

#endif
