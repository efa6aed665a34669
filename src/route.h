/* route.h: the route table. Every page and endpoint is one line of ROUTES in
 * route.c: method, path pattern (":name" matches one segment), handler and
 * the permission it needs, so that a newcomer finds every URL in one place
 * and the checks live in the dispatcher, not in the pages. */
#ifndef SOMON_ROUTE_H
#define SOMON_ROUTE_H

#include <stdbool.h>

#include "web.h"

/* What a route needs; the agreement ones are decided on the agreement named
 * by the route's :id (its current version), with auth_may(). */
typedef enum {
    PERM_PUBLIC,
    PERM_SIGNED_IN,
    PERM_CREATE,     /* a new agreement: in the directorate of the form (any, for the empty form) */
    PERM_EDIT,       /* the agreement's fields, status and parties */
    PERM_PLAN,       /* its action plan */
    PERM_GOVERNANCE, /* its governance */
    PERM_NOTES,      /* its notes */
    PERM_ACCOUNTS,
    PERM_REGION,       /* a regiegebied: the stored one's province (:id), or any province for a new one */
    PERM_ORGANISATION, /* an organisation */
    PERM_COOPERATION,  /* cooperations and outreach: some province; the municipality's is page_cooperation.c's */
    PERM_PUBLISH,      /* publishing an edition of the answer: vdab (some province) and admin */
} permission;

typedef struct {
    const char *method;
    const char *pattern;
    web_handler handler;
    permission perm;
    bool cached; /* the response depends only on the target, the change known and the day */
} route;

extern const route ROUTES[];

/* The route for the request's method and path, with its parameters stored in
 * rq. When none matches, *path_known tells whether the path exists with
 * another method, and allow receives those methods ("GET, HEAD"). */
const route *route_find(request *rq, bool *path_known, buf *allow);

#endif
