/* sheet_import.h: agreements from a spreadsheet in the annex layout (issue 11).
 *
 * One row per party, Dutch headers in any order (docs/sheet_import.md):
 * overeenkomst, titel, directie, status, begin, einde, gemeente, organisatie,
 * goedgekeurd_op, vanaf, tot. The agreement fields repeat on each row of one id
 * and must agree. sheet_import_plan() turns a sheet read by sheet.h into a plan:
 * per agreement the new version (the stored one with what the sheet gives:
 * id, title, directorate, status, dates and exactly its parties; everything the
 * sheet cannot express is kept) and whether it is new, changed (which fields,
 * which parties) or unchanged. Every new version is checked with the import's
 * own rules (somon1_check_agreement); each problem names the cell
 * ("Bijlage!G3") and the fix, through the catalogue (po/nl/sheet_import.po).
 * sheet_import_write() writes a plan without problems as one change, all or
 * nothing, through the store like the JSON import, and only while every
 * agreement is still the version the plan was made from. Everything lives in
 * the caller's arena. */
#ifndef SOMON_SHEET_IMPORT_H
#define SOMON_SHEET_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "model.h"
#include "sheet.h"
#include "store.h"

#define SHEET_NO_ROW ((size_t)-1)

/* A problem: where (a cell name such as "Bijlage!G3", or NULL for the whole
 * file), the sheet row it belongs to (0-based, SHEET_NO_ROW for none) and
 * what is wrong with the fix, translated. */
typedef struct {
    const char *cell;
    size_t row;
    const char *message;
} sheet_problem;

typedef enum { SHEET_NEW, SHEET_CHANGED, SHEET_UNCHANGED } sheet_change_kind;

typedef struct {
    const char *id;
    sheet_change_kind kind;
    const char **changes; /* SHEET_CHANGED: one translated line per field or party */
    size_t change_count;
    agreement *after;     /* the version the sheet makes */
    int64_t version;      /* the stored version it was compared with (0: new) */
    size_t first_row;     /* the sheet row of its first party */
} sheet_plan_item;

/* Who may do what: when set, refuses an agreement the author may not create
 * or change (a vdab account outside its provinces). before is NULL for a new
 * agreement. Returns NULL when allowed, else the translated reason. */
typedef const char *(*sheet_permit)(void *ctx, const agreement *before, const agreement *after);

typedef struct {
    const sheet *sheet; /* the sheet read, or NULL when the file was refused whole */
    size_t header_row;  /* its row of headers */
    sheet_plan_item *items;
    size_t count, added, changed, unchanged;
    sheet_problem *problems;
    size_t problem_count;
    int64_t known; /* the last change of the register the plan was made on */
} sheet_plan;

/* Plans the import of book (sheet "Bijlage" if present, else the first) into
 * the register s holds now, whose view is v. permit may be NULL. lifecycle:
 * a change of an agreement already in the register also follows the status
 * steps of the edit forms (rules_lifecycle_check), as the browser's upload
 * does; the command line, like the JSON import, does not. Returns 0 (the
 * plan may hold problems), or -1 when the database cannot be read. */
int sheet_import_plan(arena *a, const sheet_book *book, store *s, const register_view *v, sheet_permit permit,
                      void *permit_ctx, bool lifecycle, sheet_plan *out);

/* A plan of a file sheet_read() refused: one problem without a cell. */
void sheet_import_refused(arena *a, const char *why, sheet_plan *out);

enum { SHEET_WRITTEN = 0, SHEET_STALE = 1, SHEET_FAILED = -1 };

/* Writes the new and changed agreements of plan (which has no problems) as
 * one change by actor ("import", detail), unless an agreement is no longer
 * the version the plan was made from: then nothing is written and
 * SHEET_STALE is returned (plan again). Nothing to write records nothing.
 * SHEET_FAILED on a store error. */
int sheet_import_write(store *s, arena *a, sheet_plan *plan, const char *actor, const char *detail);

/* "Bijlage!G3: …" or the message alone: one line of a problem. */
const char *sheet_problem_line(arena *a, const sheet_problem *p);

/* The municipality named `name` (a NIS code or a name, any case and accents)
 * on day d (DATE_NONE: a name only one code ever had): its 5-digit NIS code,
 * or NULL with *why set to the translated problem with suggestions. */
const char *sheet_municipality(arena *a, const register_view *v, const char *name, date_t d, const char **why);

#endif
