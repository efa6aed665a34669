/* pager.h: one page of a long list (issue 12), as /agreements does it: the
 * rows in a stable order, PAGER_SIZE of them per page, ?page=N (1 first; a
 * page beyond the end shows the last), the count of all rows on the page and
 * "vorige"/"volgende" links that keep every other parameter (the filters).
 * Downloads (?format=csv|xlsx) are not paged: they carry every row. */
#ifndef SOMON_PAGER_H
#define SOMON_PAGER_H

#include <stdbool.h>
#include <stddef.h>

#include "web.h"

enum { PAGER_SIZE = 100 };

typedef struct {
    const char *param; /* "page" */
    long page;         /* 1 .. pages once fitted */
    size_t pages, total;
    size_t first, end; /* the rows shown: [first, end) */
} pager;

/* Reads the page number from param; false after answering 400. */
bool pager_read(request *rq, const char *param, pager *p);
/* Fits the pager to total rows, PAGER_SIZE (or size) a page. */
void pager_fit(pager *p, size_t total);
void pager_fit_size(pager *p, size_t total, size_t size);
/* Whether the request asks for a download (?format= other than html): the
 * page then builds the table of every row. */
bool pager_download_asked(const request *rq);
/* "Rij 101 tot 200 van 3456." (role status) before the list. */
void pager_status(request *rq, const pager *p);
/* The links to the previous and next page of path (none for one page). */
void pager_nav(request *rq, const pager *p, const char *path);

#endif
