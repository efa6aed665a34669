/* report_answer.h: the answer to parliament (SPEC §4, issue 10): the
 * coverage table with the two-level header of the seeds, the footnotes per
 * province, the municipalities without an agreement that cooperate with VDAB
 * otherwise (question 2) and Bijlage 1 (the annex per province and
 * municipality with begin and end dates), in Dutch, as a Word document
 * (docx.h), a standalone HTML document, the body of a web page, or Markdown.
 *
 * answer_compute() reads what the view does not hold (the cooperations and
 * the moment of the last change) from the store, as known at the view's
 * change; the figures come from coverage_report_compute() and
 * annex_report_compute() and are not worked out again here. */
#ifndef SOMON_REPORT_ANSWER_H
#define SOMON_REPORT_ANSWER_H

#include <stdbool.h>

#include "buf.h"
#include "docx.h"
#include "report.h"
#include "store.h"
#include "store_cooperation.h"

typedef enum { ANSWER_DOCX, ANSWER_HTML, ANSWER_MD } answer_format;
/* "docx", "html", "md" */
bool answer_format_parse(const char *name, answer_format *out);

/* A municipality without an agreement on the date (not counted in n: no
 * agreement, or only part of its former municipalities covered) with the
 * cooperations in force on that date. */
typedef struct {
    const annex_municipality *municipality;
    const cooperation **cooperations; /* by kind (in the order of COOPERATION_KINDS), then title */
    size_t count;
} answer_cooperating;

typedef struct answer_notes answer_notes;

typedef struct {
    date_t date, prognosis;
    moment_t as_known_at;  /* MOMENT_NONE: as known now */
    moment_t data_moment;  /* the moment of the last change the figures include; MOMENT_NONE: none */
    coverage_report coverage;
    annex_report annex;    /* every province, on date */
    answer_cooperating *cooperating; /* by province (table order), then name */
    size_t cooperating_count;
    const register_view *view;
    arena *arena;
    /* the footnotes, derived province by province as the document is
     * written (rules_footnotes.h); coverage.footnotes stays NULL */
    footnotes_walk *footnotes;
    answer_notes *notes;
    rules_coverage on_prognosis; /* with its links; the annex's coverage is the one on date */
} answer_report;

/* d <= p. Returns 0, or -1 with the reason in why (the store's error). The
 * report points into v, which must outlive it; answer_free() releases it.
 * The report stays where it was computed (the writer of its footnotes
 * points at it). */
int answer_compute(store *s, const register_view *v, date_t d, date_t p, moment_t as_known_at, answer_report *out,
                   buf *why);
void answer_free(answer_report *r);

/* The document (its texts live in r's arena), with the annex items
 * [first, last) of r->annex in Bijlage 1: a page shows a slice of a long
 * annex (saying which), the documents all of it (0, r->annex.count). */
void answer_document(const answer_report *r, size_t first, size_t last, doc *out);

/* The answer in format f appended to out: 0, or -1 with a reason in why. */
int answer_render(const answer_report *r, answer_format f, buf *out, buf *why);
/* The document as the body of a web page (headings from h2 down, no <html>). */
void answer_html_body(const doc *d, buf *out);

/* somon report answer --date D --prognosis P [--as-known-at T]
 *   [--format docx|html|md] [--output FILE]: argv[0] is "answer". Returns a
 * sysexits code; every error is one line on standard error naming the fix. */
int cli_answer(const char *db, int argc, char **argv);

#endif
