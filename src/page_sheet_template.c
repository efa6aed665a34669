/* page_sheet_template.c: GET /agreements/sjabloon.xlsx, the spreadsheet to fill in
 * for an import of agreements (sheet_template.h). Public like /agreements: it holds
 * only the municipalities of the reference data, as the register knows them at the
 * change asked (as_known_at) or now. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pages.h"
#include "sheet_template.h"

/* libxlsxwriter writes files only: through a temporary file, read back and removed. */
static bool template_body(request *rq, const register_view *v)
{
    const char *dir = getenv("TMPDIR");
    char *path = arena_printf(rq->arena, "%s/somon-template-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return false;
    close(fd);
    buf why = {0};
    bool ok = sheet_template_write(v, path, &why) == 0;
    if (!ok)
        fprintf(stderr, "somon: the import template: %s\n", why.data ? why.data : "");
    buf_free(&why);
    FILE *f = ok ? fopen(path, "rb") : NULL;
    if (f) {
        char chunk[1 << 14];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            buf_add(&rq->body, chunk, n);
        ok = !ferror(f);
        fclose(f);
    }
    unlink(path);
    return ok && f;
}

void page_sheet_template(request *rq)
{
    const register_view *v = web_view(rq);
    if (!v)
        return;
    if (!template_body(rq, v)) {
        web_error(rq, 503, "unavailable", "Het sjabloon kon niet gemaakt worden; probeer het opnieuw.");
        return;
    }
    rq->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    web_header(rq, "Content-Disposition", "attachment; filename=\"sjabloon-overeenkomsten.xlsx\"");
}
