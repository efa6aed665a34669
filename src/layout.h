/* layout.h: the frame of every HTML page and the small pieces pages share.
 *
 * page_begin() writes the head (stylesheet and script from /static/, no
 * inline code: the Content-Security-Policy forbids it), the skip link, the
 * header with navigation, the notice when the page shows the register as
 * known at an earlier moment, and opens <main>; page_end() closes it with the
 * footer. All text passes through buf_fmt's escaping conversions. */
#ifndef SOMON_LAYOUT_H
#define SOMON_LAYOUT_H

#include "web.h"

typedef enum {
    NAV_OVERVIEW,
    NAV_AGREEMENTS,
    NAV_MUNICIPALITIES,
    NAV_REGIONS,
    NAV_INDICATORS,
    NAV_FOLLOWUP, /* alerts, actions, governance */
    NAV_ANNEX,
    NAV_HISTORY,
    NAV_NONE,
    NAV_ACCOUNTS /* shown to administrators only */
} nav_section;

void page_begin(request *rq, const char *title, nav_section section);
/* The register notice (notice.h) as known at the request's moment
 * (as_known_at), or NULL: from the view the request holds, else one small
 * query. Never answers the request itself (a bad as_known_at gives NULL). */
const char *page_register_notice(request *rq);
void page_end(request *rq);

/* "date=…&as_known_at=…": the named query parameters of this request that
 * links pass on, URL-encoded ("" when none). */
const char *page_carry(request *rq, const char *const *names);
/* The parameters every page passes on: as_known_at (and date when given). */
const char *page_carry_default(request *rq);
/* Free text (notes) as HTML: escaped as text, and each http(s) address in it
 * a link to that address (text and href through the escapers), so a reader
 * can follow a note's source (issue 13). An address ends at white space, and
 * a closing ')', '.', ',', ';', ':', '"' or '\'' right before it is the
 * sentence's, not the address's. */
void page_linked_text(buf *b, const char *text);
/* Links to download the page's table: the page URL with format=csv|xlsx. */
void page_downloads(request *rq);
/* Is a download (?format= other than html) asked for? Pages build the
 * table of every row only then (issue 12). */
bool page_wants_download(const request *rq);
/* Lists in pages (issue 12): the page= parameter, 1 when absent; 0 after
 * answering 400. */
long page_number(request *rq);
/* The rows [*first, *last) of page of a list of n rows, pages of size rows;
 * a page past the end shows the last. Returns the page shown. */
long page_slice(long page, size_t n, size_t size, size_t *first, size_t *last);
/* "Pagina 2 van 7: vorige · volgende" under a list of n rows, linking this
 * page's address with every other parameter kept; nothing when one page. */
void page_pager(request *rq, long page, size_t n, size_t size);
/* The hidden CSRF field every POST form of a signed-in person carries. */
void page_csrf_field(request *rq);
/* May the reader see people: history authors, names of staff? (auth_may) */
bool page_shows_people(const request *rq);
/* A hidden field for as_known_at in forms, so a form keeps the moment. */
void page_hidden_known_at(request *rq);
/* A recorded moment (ISO, UTC) as local nl-BE time: "30/06/2023 14:05". */
const char *page_moment(request *rq, const char *iso);
/* The date in nl-BE form (30/06/2023), in the request's arena. */
const char *page_date(request *rq, date_t d);

/* The kinds of recorded change (change.action) with their Dutch names. */
extern const char *const PAGE_ACTIONS[][2];
extern const size_t PAGE_ACTION_COUNT;
const char *page_action_label(const char *kind); /* "edit" → "Bewerking" */

#endif
