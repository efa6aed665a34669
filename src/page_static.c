/* page_static.c: the built-in assets, the health check and robots.txt. */
#include <string.h>

#include "assets.h"
#include "pages.h"

void page_static(request *rq)
{
    const struct asset *a = asset_find(web_route_param(rq, "name"));
    if (!a) {
        web_error(rq, 404, "not_found", "Dit bestand bestaat niet.");
        return;
    }
    rq->content_type = a->content_type;
    rq->static_body = a->data;
    rq->static_len = a->size;
    /* the files change only with the binary; a day of caching is safe */
    web_header(rq, "Cache-Control", "public, max-age=86400");
}

/* The server answers and can read the register. */
void page_healthz(request *rq)
{
    rq->content_type = "text/plain; charset=utf-8";
    int64_t last = store_last_change(rq->db);
    if (last < 0) {
        rq->status = 503;
        buf_puts(&rq->body, "database unavailable\n");
        return;
    }
    buf_printf(&rq->body, "ok %lld\n", (long long)last);
}

void page_robots(request *rq)
{
    rq->content_type = "text/plain; charset=utf-8";
    buf_puts(&rq->body, "User-agent: *\nDisallow: /api/\n");
}
