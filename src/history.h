/* history.h: what changed between two versions of an object, field by field.
 *
 * Works on the canonical somon/1 JSON of both versions (somon1.h), so every
 * field the format has is compared and nothing is forgotten when the format
 * grows. Lists of objects are matched by what identifies an element (a
 * party's municipality or organisation, an action's number, a body's name),
 * so a removed party shows as removed, not as every later party changed.
 * Fields are named in Dutch ("partijen › 12025 › tot"). */
#ifndef SOMON_HISTORY_H
#define SOMON_HISTORY_H

#include <jansson.h>
#include <stdbool.h>

#include "arena.h"
#include "auth.h"

typedef struct {
    const char *field;
    const char *old_value, *new_value; /* "(leeg)" for null; a summary for added or removed elements */
} field_change;

/* How people read the values. A municipality is named ("Ranst", not 11037)
 * by municipality_name, which returns NULL for a code it does not know. */
typedef struct history_names {
    const char *(*municipality_name)(void *ctx, const char *nis);
    void *ctx;
} history_names;

/* Compares old and new (objects); the changes live in a. Returns how many.
 * readable (non-NULL): statuses, dates and municipalities as the Dutch pages
 * write them ("ondertekend", 01/03/2024, "beëindigd door: Ranst", "partijen ›
 * Ranst › tot"); NULL: as stored ("signed", 2024-03-01, 11037), for the
 * command line. */
size_t history_diff(arena *a, json_t *old_value, json_t *new_value, const history_names *readable,
                    field_change **out);
/* Whether two versions are the same document, key order included; consumes both. */
bool history_same(json_t *x, json_t *y);

/* What changed between two versions of an agreement as `who` (NULL:
 * anonymous) may see it. Both versions pass through auth_redact() first
 * (changed in place), so a name the agreement page hides from a reader is
 * neither a value nor part of a field's path here (signatories are matched
 * by their name, members without an organisation too). Every view of the
 * history goes through here: /history and its downloads, the agreement
 * page's own history, `somon history`. False when out of memory. */
bool history_agreement_diff(arena *a, const account *who, agreement *old_version, agreement *new_version,
                            const history_names *readable, field_change **out, size_t *count);

/* A somon/1 path ("parties[1].approved_on") in Dutch ("partijen 2 › goedgekeurd op"). */
const char *history_path_label(arena *a, const char *path);

#endif
