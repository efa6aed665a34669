/* page_bronnen.h: GET /bronnen, what the register notice means (notice.h,
 * issue 13): which register it is, how many agreements it holds, how to
 * read a source. Every page links it from the notice at its top. */
#ifndef SOMON_PAGE_BRONNEN_H
#define SOMON_PAGE_BRONNEN_H

#include "web.h"

void page_bronnen(request *rq);

#endif
