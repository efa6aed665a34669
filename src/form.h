/* form.h: the body of a POST, as name/value pairs.
 *
 * Reads application/x-www-form-urlencoded and multipart/form-data (fields
 * only: a file part is refused), with the same strictness as the target
 * parser: valid percent-encoding, valid UTF-8, no control characters but
 * tab, CR and LF in values, bounded counts and sizes. Fuzzed by
 * tests/fuzz/fuzz_form.c. */
#ifndef SOMON_FORM_H
#define SOMON_FORM_H

#include <stddef.h>

#include "arena.h"
#include "web.h"

enum { FORM_MAX_BYTES = 1 << 20, FORM_MAX_FIELDS = 2000, FORM_MAX_NAME = 128 };

/* Parses body (len bytes) as the given Content-Type. Returns 0, or an HTTP
 * status (400, 413, 415) with *why set to a Dutch sentence. */
int form_parse(arena *a, const char *content_type, const char *body, size_t len, web_pair **fields, size_t *count,
               const char **why);

#endif
