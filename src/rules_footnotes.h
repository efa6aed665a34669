/* rules_footnotes.h: the footnotes under the parliamentary table that write
 * themselves (SPEC §4 "a footnote per province that explains the
 * prognosis", issue 10). Pure: no I/O, no globals; memory from the caller's
 * arena (a walk, below, owns what it keeps between provinces).
 *
 * Per province row, what separates the municipalities covered on D from the
 * prognosis on P:
 *   - FOOTNOTE_PIPELINE: an agreement in the pipeline on P (negotiating,
 *     agreed_in_principle, awaiting_approval) whose parties add
 *     municipalities by P;
 *   - FOOTNOTE_PLANNED: the planned parties (expected_from <= P) of an
 *     agreement in force on P that add municipalities;
 *   - FOOTNOTE_LATER: parties of a signed agreement that are not covering on
 *     D but are on P (the agreement starts after D, or a council approves
 *     after D: "nog N gemeenten moeten gemeenteraad passeren");
 *   - FOOTNOTE_ENDING: municipalities covered on D that are not on P,
 *     because the agreement that covered them ends in between;
 *   - FOOTNOTE_NOTHING: the municipalities with nothing in sight, valid on P
 *     (on D without a prognosis), neither covered on D nor added by P, each
 *     with its outreach stage on D and the note of the entry that set it.
 *
 * "Added by P" is about the municipalities of the P map (the prognosis
 * column counts them): identity j is added when it is fully covered in the
 * prognosis on P and was not covered on D: j itself not covered on D, or,
 * for a municipality that did not exist on D (the 2025 mergers), not all of
 * its former municipalities. A footnote of an agreement lists the
 * municipalities its parties add (naming the former municipality a party
 * names in `via`); a municipality two agreements add is listed under both.
 * Parties of an agreement in several provinces give one footnote per
 * province.
 *
 * Footnotes come only with a prognosis (SPEC §4: they explain it). With p ==
 * DATE_NONE, footnotes_compute gives the "nothing in sight" lists on D only
 * (municipalities not covered on D); the reports show footnotes only when a
 * prognosis is asked for (docs/footnotes.md).
 *
 * Order per province (table order, Vlaanderen never has any): agreement
 * footnotes by date (expected) then agreement id, then ending, then nothing
 * in sight last; numbered 1.. per province. */
#ifndef SOMON_RULES_FOOTNOTES_H
#define SOMON_RULES_FOOTNOTES_H

#include <stddef.h>

#include "buf.h"
#include "arena.h"
#include "date.h"
#include "rules.h"
#include "rules_outreach.h"
#include "store.h"
#include "store_cooperation.h"

typedef enum {
    FOOTNOTE_PIPELINE,
    FOOTNOTE_PLANNED,
    FOOTNOTE_LATER,
    FOOTNOTE_ENDING,
    FOOTNOTE_NOTHING,
} footnote_kind;

/* "pipeline", "planned", "later", "ending", "nothing" (JSON and CSS names) */
const char *footnote_kind_name(footnote_kind k);
/* "pijplijn", "geplande partij", "later gebonden", "loopt af", "niets in zicht" */
const char *footnote_kind_label_nl(footnote_kind k);

typedef struct {
    int identity; /* index into v->map.items / v->municipalities: valid on P (on D for ENDING) */
    int via;      /* the former municipality its party names, or -1 (none, or several) */
    date_t from;  /* agreement footnotes: the first day the party covers (ENDING: the last day it covered) */
    /* FOOTNOTE_NOTHING only: */
    cover_state state;    /* COVER_PARTIAL: some former municipalities covered on P */
    outreach_stage stage; /* on D; OUTREACH_NONE: no entry on or before D */
    date_t stage_on;      /* the day of that entry, or DATE_NONE */
    const char *note;     /* its note, or NULL */
    int later_agreement;  /* an agreement that names it from after P (index into v->agreements), or -1 */
    date_t later_from;    /* the first day that party would cover, or DATE_NONE */
    /* a signed agreement without start that names it (itself) on P, else D
     * (rules_unstarted_eval): in force on no day, but the register knows it
     * was signed (index into v->agreements), or -1 */
    int unstarted_agreement;
} footnote_item;

typedef struct {
    footnote_kind kind;
    int province; /* PROVINCE_WVL .. PROVINCE_LIM */
    int number;   /* 1.. within the province */
    int agreement; /* index into v->agreements; -1 for FOOTNOTE_NOTHING */
    agreement_status status;
    /* PIPELINE: the agreement's expected_start; PLANNED and LATER: the
     * earliest first day among its items; ENDING: the latest last day;
     * NOTHING: DATE_NONE */
    date_t expected;
    footnote_item *items; /* by municipality name */
    size_t count;
} footnote;

typedef struct {
    date_t date, prognosis; /* prognosis DATE_NONE: only nothing in sight, on D */
    footnote *items;        /* by province (table order), then number */
    size_t count;
} footnote_list;

/* Derives the footnotes of the view on d with the prognosis on p (or
 * DATE_NONE). log: the outreach entries known at the view's change, in any
 * order (n of them; NULL with 0); entries of a municipality's former
 * municipalities count for it too. Everything in *out lives in a. Returns
 * 0, or -1 when memory runs out. */
int footnotes_compute(const register_view *v, const outreach_entry *log, size_t n, date_t d, date_t p, arena *a,
                      footnote_list *out);

/* ---- Province by province (issue 12) ----
 *
 * On a large register the footnotes of a day years before its prognosis
 * name 150,000 municipalities in 40,000 footnotes (bench/'s register): a
 * writer that takes them one province at a time, and forgets each once it
 * is written, holds a fifth of them. footnotes_begin derives once what
 * every province shares; footnotes_province(w, p, …) gives exactly what
 * footnotes_compute gives for province p (the same footnotes, items, order
 * and numbers). The walk owns its memory: footnotes_end releases it. */
typedef struct footnotes_walk footnotes_walk;

/* As footnotes_compute. on_d and on_p: evaluations with RULES_LINKS on d
 * (BASIS_ACTUAL) and p (BASIS_PROGNOSIS) the caller has made already and
 * keeps until footnotes_end, or NULL to have them made here (on_p is NULL
 * when p is DATE_NONE). log must outlive the walk and the lists it gives
 * (items point at its notes). Returns NULL when memory runs out. */
footnotes_walk *footnotes_begin(const register_view *v, const outreach_entry *log, size_t n, date_t d, date_t p,
                                const rules_coverage *on_d, const rules_coverage *on_p);
/* The footnotes of one province (PROVINCE_WVL .. PROVINCE_LIM) in a: what
 * *out holds lives in a, valid after footnotes_end too. */
void footnotes_province(footnotes_walk *w, int province, arena *a, footnote_list *out);
void footnotes_end(footnotes_walk *w); /* NULL is fine */

/* The footnotes of one province: sets *first, returns how many. */
size_t footnotes_of_province(const footnote_list *l, int province, const footnote **first);

/* One footnote as a Dutch sentence, without its number, e.g. "Nog 2
 * gemeenten via SO-HASPENGOUW (Samen Haspengouw), principieel akkoord,
 * verwacht vanaf 01/09/2023: Alken en Bilzen." Stored text (titles, notes)
 * is copied as is: the caller escapes for its output. Lives in a. */
const char *footnote_text(arena *a, const register_view *v, const footnote *f);
/* The same sentence appended to b, with nothing kept elsewhere. */
void footnote_text_to(buf *b, const register_view *v, const footnote *f);
/* The sentence of footnote_text up to its list of municipalities: "Nog 2
 * gemeenten via SO-HASPENGOUW (Samen Haspengouw), principieel akkoord,
 * verwacht vanaf 01/09/2023"; footnote_text is head, ": ", the items
 * (footnote_item_text, ", " and " en "; "; " for nothing in sight) and ".".
 * Pages that link the agreement and each municipality build on it. */
const char *footnote_head(arena *a, const register_view *v, const footnote *f);
/* One item as the text names it: "Lievegem (via Zomergem)"; for nothing in
 * sight with the stage: "Dentergem (verkennend sinds 10/05/2023: geen aanzet
 * tot SO)". Lives in a. */
const char *footnote_item_text(arena *a, const register_view *v, const footnote *f, const footnote_item *it);

#endif
