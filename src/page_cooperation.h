/* page_cooperation.h: cooperation without an agreement and the outreach log
 * on the web (SPEC §5, issue 10; page_cooperation.c).
 *
 * /cooperations lists the cooperations of Flanders (filters kind, province
 * and date: in force on D; CSV and XLSX). vdab and admin users add, edit and
 * end a cooperation and add an entry to a municipality's outreach log
 * (route.c PERM_COOPERATION: some province; the page then checks that the
 * municipality lies in one of the author's provinces, beside the field).
 * Every save is checked with the importer's own rules (somon1_check_*),
 * carries the version its form was opened on, is compared again inside the
 * write transaction and is one change by the signed-in person.
 *
 * The other page families call in here for what they show of it: the
 * section of the municipality page, and the outreach filter of
 * /municipalities. */
#ifndef SOMON_PAGE_COOPERATION_H
#define SOMON_PAGE_COOPERATION_H

#include <stdbool.h>

#include "store.h"
#include "web.h"

void page_cooperation_list(request *rq);
void page_cooperation_new(request *rq);
void page_cooperation_create(request *rq);
void page_cooperation_edit(request *rq);
void page_cooperation_update(request *rq);
void page_cooperation_end(request *rq);
void page_cooperation_end_update(request *rq);
void page_outreach_new(request *rq);
void page_outreach_create(request *rq);

/* The section of the municipality page (the municipality with NIS code
 * `code`, shown on d): its cooperations, and its outreach log with the
 * stage on d, with links to the forms for those who may use them. */
void page_cooperation_section(request *rq, const register_view *v, int code, date_t d);

/* The outreach filter of /municipalities ("outreach": a stage name, or
 * "unknown" for nothing recorded; "" or absent: no filter). Returns false
 * after answering 400 for any other value. */
bool page_outreach_filter_param(request *rq, const char **out);
/* The stage of each identity of the map on d ([map.count], OUTREACH_NONE
 * when nothing is recorded), in the request's arena; NULL when the register
 * cannot be read. An entry counts for the identity of its NIS code on d. */
signed char *page_outreach_stages(request *rq, const register_view *v, date_t d);
/* Whether a stage passes the filter (NULL or "": every stage). */
bool page_outreach_filter_match(const char *filter, int stage);
/* The filter's <select> for the filter form of /municipalities. */
void page_outreach_filter_select(request *rq, const char *selected);

#endif
