/* route.h: the route table. Every page and endpoint is one line of ROUTES in
 * route.c: method, path pattern (":name" matches one segment), handler and
 * the permission it needs, so that a newcomer finds every URL in one place
 * and the checks live in the dispatcher, not in the pages. */
#ifndef SOMON_ROUTE_H
#define SOMON_ROUTE_H

#include <stdbool.h>

#include "web.h"

typedef enum { PERM_PUBLIC } permission;

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
