/* page_editions.h: published editions on the web (SPEC §4, issue 10;
 * page_editions.c, computing with edition.h).
 *
 * /editions lists them; /editions/{id} shows the frozen table, the staff's
 * notes and the diff against today, with links to the changes that caused
 * it. vdab and admin users publish (route.c PERM_PUBLISH) with the form of
 * /editions/new, which the overview opens with its dates: the form carries
 * the change it was opened at, and the publication is refused inside its
 * write transaction when the register changed since (the figures the
 * person saw are then no longer the ones that would be frozen). */
#ifndef SOMON_PAGE_EDITIONS_H
#define SOMON_PAGE_EDITIONS_H

#include "web.h"

void page_editions(request *rq);
void page_edition(request *rq);
void page_edition_new(request *rq);
void page_edition_create(request *rq);

/* For the overview (page_overview.c): the warning for every published
 * edition whose figures today's knowledge changes (only when the page shows
 * the current register), and for those who may publish, the button that
 * opens the publication form with the page's dates d and p. */
void page_editions_overview_part(request *rq, date_t d, date_t p);
/* For vdab and admin users: the button that publishes the table of d and p
 * (the overview and the answer page show it). */
void page_publish_link(request *rq, date_t d, date_t p);

#endif
