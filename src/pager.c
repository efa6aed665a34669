/* pager.c: see pager.h. */
#include "pager.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

bool pager_read(request *rq, const char *param, pager *p)
{
    *p = (pager){param, 1, 1, 0, 0, 0};
    const char *v = web_param(rq, param);
    if (!v || !*v)
        return true;
    char *end = NULL;
    p->page = *v >= '0' && *v <= '9' ? strtol(v, &end, 10) : -1; /* no sign, no blanks */
    if (p->page < 1 || *end || p->page > 100000) {
        web_error(rq, 400, "bad_page", arena_printf(rq->arena, "De parameter %s moet een paginanummer zijn.", param));
        return false;
    }
    return true;
}

void pager_fit_size(pager *p, size_t total, size_t size)
{
    p->total = total;
    p->pages = total ? (total + size - 1) / size : 1;
    if ((size_t)p->page > p->pages)
        p->page = (long)p->pages;
    p->first = (size_t)(p->page - 1) * size;
    p->end = p->first + size < total ? p->first + size : total;
}

void pager_fit(pager *p, size_t total) { pager_fit_size(p, total, PAGER_SIZE); }

bool pager_download_asked(const request *rq)
{
    const char *f = web_param(rq, "format");
    return f && *f && strcmp(f, "html") != 0;
}

void pager_status(request *rq, const pager *p)
{
    if (p->pages > 1)
        buf_fmt(&rq->body, "<p role=\"status\" class=\"pager-status\">Rij %zu tot %zu van %zu.</p>\n", p->first + 1,
                p->end, p->total);
}

/* The query of the request with the page parameter set to page (format
 * and empty parameters left out). */
static const char *query_at(request *rq, const pager *p, long page)
{
    buf q = {0};
    for (size_t i = 0; i < rq->t.param_count; i++) {
        const web_pair *x = &rq->t.params[i];
        if (strcmp(x->name, p->param) == 0 || strcmp(x->name, "format") == 0 || !*x->value)
            continue;
        buf_fmt(&q, "%s%U=%U", q.len ? "&" : "", x->name, x->value);
    }
    buf_fmt(&q, "%s%U=%ld", q.len ? "&" : "", p->param, page);
    const char *s = arena_strdup(rq->arena, q.data);
    buf_free(&q);
    return s;
}

void pager_nav(request *rq, const pager *p, const char *path)
{
    if (p->pages <= 1)
        return;
    buf *b = &rq->body;
    buf_fmt(b, "<nav class=\"pages\" aria-label=\"Pagina's\"><p>Pagina %ld van %zu: ", p->page, p->pages);
    if (p->page > 1)
        buf_fmt(b, "<a href=\"%a?%a\" rel=\"prev\">vorige</a> ", path, query_at(rq, p, p->page - 1));
    if ((size_t)p->page < p->pages)
        buf_fmt(b, "<a href=\"%a?%a\" rel=\"next\">volgende</a>", path, query_at(rq, p, p->page + 1));
    buf_puts(b, "</p></nav>\n");
}
