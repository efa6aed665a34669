/* formrows.h: what the editors of repeated rows share — the action plan
 * (page_plan.c) and the governance bodies (page_governance.c).
 *
 * Inputs are named by their somon/1 path in the form as shown
 * ("action_plan[0].domains[1].actions[2].number"); a posted form is read
 * back into the same rows, so a refused save shows exactly what was typed.
 * As moved, removed and blank rows make the paths of the saved agreement
 * differ from the names in the form, a path_maps records where each saved
 * path came from, and rows_remap_problems() puts every problem of
 * edit_save() back beside its row. Everything lives in the request's arena. */
#ifndef SOMON_FORMROWS_H
#define SOMON_FORMROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edit.h"
#include "web.h"

typedef struct {
    const char *saved, *shown; /* a path in the saved agreement, and the row of the form it came from */
    const char *exact;         /* for a problem on the row itself: the field to show it beside, or NULL */
} path_map;

typedef struct {
    path_map *items;
    size_t count, cap;
} path_maps;

const char *rows_text(const char *s);
bool rows_blank(const char *s);
const char *rows_field(request *rq, const char *path, const char *key);
const char *rows_posted(request *rq, const char *path, const char *key);
bool rows_ticked(request *rq, const char *path, const char *key);
char *rows_saved_text(request *rq, const char *path, const char *key);
size_t rows_posted_rows(request *rq, const char *list, const char *key);
const char *rows_agreement_url(request *rq, const char *id, const char *suffix);
bool rows_parse_uid(const char *s, int64_t *out);
void rows_problem(request *rq, edit_outcome *o, const char *path, const char *message);
void rows_hidden(request *rq, const char *name, const char *value);
void rows_checkbox(request *rq, const edit_outcome *o, const char *name, const char *label, bool checked);
void rows_number_field(request *rq, const edit_outcome *o, const char *name, const char *label, const char *value);
void rows_general_problems(request *rq, const edit_outcome *o, const char *path);
void rows_form_heading(request *rq, const agreement *ag, const char *title, const char *intro);
void rows_map_path(request *rq, path_maps *m, const char *saved, const char *shown, const char *exact);
const char *rows_remapped(request *rq, const path_maps *m, const char *path);
void rows_remap_problems(request *rq, edit_outcome *o, const path_maps *m);

/* Turns the posted rows into the new version of ag, recording in map where
 * each saved path came from; false with problems in o when the rows
 * themselves are wrong. */
typedef bool (*rows_builder)(request *rq, void *rows, agreement *ag, edit_outcome *o, path_maps *map);
/* Saves the rows of a form loaded from ag->version: a stale form goes
 * straight to edit_save() (which shows what changed in between); otherwise
 * build() makes the new version and edit_save() checks and writes it, its
 * problems mapped back to the rows. doing: what the form does, for
 * edit_save(). Returns an EDIT_ code. */
int rows_save(request *rq, agreement *ag, act doing, const char *what, rows_builder build, void *rows,
              edit_outcome *o);

#endif
