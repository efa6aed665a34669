/* form.h: the body of a POST, as name/value pairs.
 *
 * Reads application/x-www-form-urlencoded and multipart/form-data (fields
 * only: a file part is refused), with the same strictness as the target
 * parser: valid percent-encoding, valid UTF-8, no control characters but
 * tab, CR and LF in values, bounded counts and sizes (the limits of
 * input.h: no value beyond the longest text). Fuzzed by
 * tests/fuzz/fuzz_form.c. */
#ifndef SOMON_FORM_H
#define SOMON_FORM_H

#include <stddef.h>

#include "arena.h"
#include "input.h"
#include "web.h"

/* No value is longer than the longest text of input.h (a note) can be in
 * UTF-8; each form checks its fields against their own kind. */
enum { FORM_MAX_BYTES = 1 << 20, FORM_MAX_FIELDS = 2000, FORM_MAX_NAME = 128, FORM_MAX_VALUE = LIMIT_NOTE * 4 };

/* Parses body (len bytes) as the given Content-Type. Returns 0, or an HTTP
 * status (400, 413, 415) with *why set to a Dutch sentence. */
int form_parse(arena *a, const char *content_type, const char *body, size_t len, web_pair **fields, size_t *count,
               const char **why);

#endif
