/* edition.h: published editions of the answer to parliament (SPEC §4,
 * issue 10) — what `somon publish`, `somon editions`, `somon edition diff`
 * and the pages of page_editions.c share.
 *
 * Publishing freezes the coverage table of a date D and a prognosis date P
 * (coverage_report_compute of report.h, the same figures the overview and
 * `report coverage` show) as known at a change, with the question and the
 * notes the staff wrote per province; store_editions.c keeps it. The diff
 * compares those figures with today's knowledge of the same dates and finds
 * the changes that moved each cell by recomputing the table after every
 * change since that wrote what the table reads (store_view_changes). Memory
 * of results lives in the caller's arena. */
#ifndef SOMON_EDITION_H
#define SOMON_EDITION_H

#include <stdbool.h>

#include "arena.h"
#include "report.h"
#include "somon1.h"
#include "store.h"
#include "store_editions.h"

typedef struct {
    const char *question;
    date_t date, prognosis;  /* DATE_NONE: not given */
    moment_t as_known_at;    /* MOMENT_NONE: what is known when it is published */
    edition_note *notes;     /* in the order given; row a province or ROW_FLANDERS */
    size_t note_count;
} edition_input;

/* The row of a province name in any case ("limburg"), "Vlaanderen" giving
 * ROW_FLANDERS; -1 when it names none. */
int edition_row_parse(const char *name);

/* Checks what a publication needs: a question and notes within the limits
 * of input.h (TEXT_NOTE), both dates, P not before D, a moment not in the
 * future. Problems name their field: "question", "date", "prognosis",
 * "as_known_at", "notes[ROW]"; messages in Dutch or English. Returns how many. */
size_t edition_check(const edition_input *in, bool dutch, arena *a, somon1_problem **out);

enum { EDITION_PUBLISHED = 0, EDITION_STALE = 1, EDITION_FAILED = -1 };
/* Publishes a checked input as one change of actor: inside the write
 * transaction it takes the last change before its own (or the last at
 * in->as_known_at), loads the register as known then and freezes the
 * table. opened_on, when not 0, is the change the person saw the figures
 * at: when the register changed since, nothing is written (EDITION_STALE).
 * out gets the stored edition (its id, known_at, published_at). */
int edition_publish(store *s, const char *actor, const edition_input *in, int64_t opened_on, arena *a,
                    edition_head *out);

/* The table of e's dates in view v (today's knowledge, or any other). */
int edition_figures_in(const register_view *v, const edition_head *e, edition_figures *out);
/* Whether a cell shows other figures (n or N). */
bool edition_cell_differs(const rules_count *x, const rules_count *y);
bool edition_figures_differ(const edition_figures *x, const edition_figures *y);
/* "Limburg gemeenten op 30/06/2023", "Vlaanderen regiegebieden prognose 31/12/2023". */
const char *edition_cell_label(arena *a, int measure, int row, date_t d, date_t p);

/* A change that moved a cell, with the agreements it wrote (at most
 * EDITION_AGREEMENTS_NAMED of agreement_total). */
enum { EDITION_AGREEMENTS_NAMED = 5 };
typedef struct {
    store_change change;
    const char **agreements;
    size_t agreement_count, agreement_total;
} edition_cause;

typedef struct {
    int measure, row;
    rules_count published, now;
    bool rules_changed; /* the register as known at publication gives other figures today: somon's rules changed */
    size_t *causes;     /* indexes into edition_diff.causes, oldest first */
    size_t cause_count;
} edition_cell;

typedef struct {
    edition_head head;
    edition_note *notes;
    size_t note_count;
    edition_figures published, now;
    edition_cell *cells; /* the cells that differ, by row then measure */
    size_t count;
    edition_cause *causes; /* every change that moved a cell, oldest first */
    size_t cause_count;
} edition_diff;

/* Edition id against today (now_view: the register as known at a change,
 * normally the current one; NULL loads the current one). Returns 1, 0 when
 * there is no such edition, -1 on an error. */
int edition_diff_compute(store *s, int64_t id, const register_view *now_view, arena *a, edition_diff *out);

/* The list with the columns of `somon editions --format csv`: id, question,
 * date, prognosis, known_at, published_at. */
void edition_list_table(arena *a, const edition_head *e, size_t n, table *t);
/* The frozen figures as a coverage report, for its CSV and XLSX tables with
 * the columns of SPEC §4 (coverage_report_table). */
void edition_report(const edition_head *e, const edition_figures *f, coverage_report *out);

#endif
