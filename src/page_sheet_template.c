/* page_sheet_template.c: GET /agreements/sjabloon.xlsx, the spreadsheet to fill in
 * for an import of agreements (sheet_template.h). Public like /agreements: it holds
 * only the municipalities of the reference data, as the register knows them at the
 * change asked (as_known_at) or now. */
#include "pages.h"
#include "sheet_template.h"

static int write_template(const void *v, const char *path, buf *why) { return sheet_template_write(v, path, why); }

void page_sheet_template(request *rq)
{
    const register_view *v = web_view(rq);
    if (!v)
        return;
    if (!web_body_from_file(rq, "template", write_template, v)) {
        web_error(rq, 503, "unavailable", "Het sjabloon kon niet gemaakt worden; probeer het opnieuw.");
        return;
    }
    rq->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    web_header(rq, "Content-Disposition", "attachment; filename=\"sjabloon-overeenkomsten.xlsx\"");
}
