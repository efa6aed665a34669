/* form.h: the body of a POST, as name/value pairs.
 *
 * Reads application/x-www-form-urlencoded and multipart/form-data (fields,
 * and one kind of file part: the spreadsheet of FORM_UPLOAD_PATH, see
 * below; any other file part is refused), with the same strictness as the target
 * parser: valid percent-encoding, valid UTF-8, no control characters but
 * tab, CR and LF in values, bounded counts and sizes (the limits of
 * input.h: no value beyond the longest text). Fuzzed by
 * tests/fuzz/fuzz_form.c. */
#ifndef SOMON_FORM_H
#define SOMON_FORM_H

#include <stddef.h>

#include "arena.h"
#include "input.h"
#include "sheet.h"
#include "web.h"

/* No value is longer than the longest text of input.h (a note) can be in
 * UTF-8; each form checks its fields against their own kind. */
enum { FORM_MAX_BYTES = 1 << 20, FORM_MAX_FIELDS = 2000, FORM_MAX_NAME = 128, FORM_MAX_VALUE = LIMIT_NOTE * 4 };

/* The one upload (issue 11, page_sheet_import.c): a POST to FORM_UPLOAD_PATH
 * may be as large as a spreadsheet of SHEET_MAX_FILE_BYTES in base64 (the
 * preview's confirmation carries it back) and take a file part named
 * FORM_FILE_FIELD: its bytes become that field's value in base64 (standard
 * alphabet, padded), its file name the field FORM_FILE_NAME_FIELD.
 * FORM_CARRIED_FIELD may be as long, and holds base64 only. The server
 * (http.c) allows the larger body on that path only. */
#define FORM_UPLOAD_PATH "/agreements/upload"
#define FORM_FILE_FIELD "bestand"
#define FORM_FILE_NAME_FIELD "bestand_naam"
#define FORM_CARRIED_FIELD "inhoud"
#define FORM_MAX_FILE_VALUE (((size_t)SHEET_MAX_FILE_BYTES + 2) / 3 * 4)
#define FORM_MAX_UPLOAD_BYTES (FORM_MAX_FILE_VALUE + ((size_t)1 << 16))
/* The most a POST to target (its path, with or without a query) may send. */
size_t form_body_limit(const char *method, const char *target);

/* Parses body (len bytes) as the given Content-Type. Returns 0, or an HTTP
 * status (400, 413, 415) with *why set to a Dutch sentence. */
int form_parse(arena *a, const char *content_type, const char *body, size_t len, web_pair **fields, size_t *count,
               const char **why);

#endif
