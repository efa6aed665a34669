/* page_answer.c: /answer — the answer to parliament (report_answer.h) for a
 * date and a prognosis date: the page shows the document and prints on A4;
 * ?format=docx downloads it as a Word document, ?format=md as Markdown, and
 * ?format=csv|xlsx the table alone (the columns of SPEC §4). The overview
 * links here with its own dates (page_answer_link). */
#include <string.h>

#include "layout.h"
#include "page_editions.h"
#include "pages.h"
#include "report_answer.h"

static const char DOCX_TYPE[] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

void page_answer_link(request *rq, date_t d, date_t p)
{
    char di[DATE_ISO_LEN], pi[DATE_ISO_LEN];
    const char *at = web_param(rq, "as_known_at");
    buf_fmt(&rq->body,
            "<p class=\"answer-link\"><a href=\"/answer?date=%U&amp;prognosis=%U%s%U\">Antwoord aan het parlement</a> "
            "(de tabel, de voetnoten, vraag 2 en Bijlage 1; ook als Word-document)</p>\n",
            date_format_iso(d, di), date_format_iso(p, pi), at && *at ? "&amp;as_known_at=" : "", at && *at ? at : "");
}

static void answer_form(request *rq, date_t d, date_t p)
{
    char di[DATE_ISO_LEN], pi[DATE_ISO_LEN];
    buf_fmt(&rq->body,
            "<form class=\"filters\" method=\"get\" action=\"/answer\">\n<p><label for=\"date\">Datum</label> "
            "<input type=\"date\" id=\"date\" name=\"date\" value=\"%a\" required>\n<label for=\"prognosis\">Prognose "
            "op</label> <input type=\"date\" id=\"prognosis\" name=\"prognosis\" value=\"%a\" required>\n",
            date_format_iso(d, di), date_format_iso(p, pi));
    /* the register as known at a moment: the answer as it could be sent then */
    const char *at = web_param(rq, "as_known_at");
    buf_fmt(&rq->body,
            "<label for=\"as_known_at\">Zoals gekend op</label> <input type=\"text\" id=\"as_known_at\" "
            "name=\"as_known_at\" value=\"%a\" placeholder=\"JJJJ-MM-DD of JJJJ-MM-DDTuu:mm:ss\" size=\"20\">\n"
            "<button type=\"submit\">Toon</button></p>\n</form>\n",
            at ? at : "");
}

/* Download links: this page's parameters with format=docx|md (not its
 * page: a document holds the whole annex). */
static void answer_downloads(request *rq)
{
    buf q = {0};
    for (size_t i = 0; i < rq->t.param_count; i++)
        if (strcmp(rq->t.params[i].name, "format") != 0 && strcmp(rq->t.params[i].name, "page") != 0)
            buf_fmt(&q, "%U=%U&", rq->t.params[i].name, rq->t.params[i].value);
    const char *query = q.len ? q.data : "";
    buf_fmt(&rq->body,
            "<p class=\"downloads\">Download het antwoord: <a href=\"/answer?%aformat=docx\" download>Word (DOCX)</a> · "
            "<a href=\"/answer?%aformat=md\" download>Markdown</a>; de tabel: <a href=\"/answer?%aformat=csv\" "
            "download>CSV</a> · <a href=\"/answer?%aformat=xlsx\" download>Excel (XLSX)</a></p>\n",
            query, query, query, query);
    buf_free(&q);
}

/* Sends the document as a file; false after answering an error. */
static bool answer_file(request *rq, const answer_report *r, answer_format f, const char *filename)
{
    buf why = {0};
    if (!web_body_file(rq) || answer_render(r, f, &rq->body, &why)) {
        buf_free(&why);
        web_error(rq, 503, "unavailable", "Het Word-document kon niet gemaakt worden; probeer het opnieuw.");
        return false;
    }
    buf_free(&why);
    rq->status = 200;
    rq->content_type = f == ANSWER_DOCX ? DOCX_TYPE : "text/markdown; charset=utf-8";
    web_header(rq, "Content-Disposition",
               arena_printf(rq->arena, "attachment; filename=\"%s.%s\"", filename, f == ANSWER_DOCX ? "docx" : "md"));
    return true;
}

void page_answer(request *rq)
{
    date_t d = web_date_param(rq, "date", web_today());
    if (d == DATE_NONE)
        return;
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    date_t p = web_date_param(rq, "prognosis", date_from_ymd(y, 12, 31));
    if (p == DATE_NONE)
        return;
    if (p < d) {
        web_error(rq, 400, "bad_period", "De prognosedatum ligt vóór de datum: kies bij 'Prognose op' dezelfde of een "
                                         "latere dag.");
        return;
    }
    const char *format = web_param(rq, "format");
    answer_format f = ANSWER_HTML;
    bool table_only = format && (strcmp(format, "csv") == 0 || strcmp(format, "xlsx") == 0);
    if (format && *format && !table_only && !answer_format_parse(format, &f)) {
        web_error(rq, 400, "bad_format", "De parameter format moet html, docx, md, csv of xlsx zijn.");
        return;
    }
    moment_t at;
    long page;
    if (!(page = page_number(rq)))
        return;
    const register_view *v = web_view(rq);
    if (!v || !web_moment_param(rq, &at))
        return;
    if (!table_only)
        web_heavy(rq); /* the annex of every municipality computed, and the footnotes of every province */
    answer_report r;
    buf why = {0};
    if (answer_compute(rq->db, v, d, p, at, &r, &why)) {
        buf_free(&why);
        answer_free(&r);
        web_error(rq, 503, "unavailable", "Het antwoord kon niet berekend worden; probeer het zo meteen opnieuw.");
        return;
    }
    buf_free(&why);
    char iso[DATE_ISO_LEN];
    table t;
    if (table_only) { /* the table alone, with the columns of SPEC §4 */
        coverage_report_table(&r.coverage, rq->arena, &t);
        web_table_download(rq, &t, arena_printf(rq->arena, "antwoord-tabel-%s", date_format_iso(d, iso)));
    } else if (f != ANSWER_HTML) {
        answer_file(rq, &r, f, arena_printf(rq->arena, "antwoord-%s", date_format_iso(d, iso)));
    } else {
        doc document;
        size_t first, last; /* Bijlage 1 on this page; the documents hold all of it */
        page = page_slice(page, r.annex.count, ANNEX_PAGE, &first, &last);
        answer_document(&r, first, last, &document);
        /* up to 12 MB on a large register (the footnotes of a day years
         * before its prognosis): written to a file as it is made */
        if (!web_body_file(rq)) {
            answer_free(&r);
            web_error(rq, 503, "unavailable", "Het antwoord kon niet gemaakt worden; probeer het opnieuw.");
            return;
        }
        page_begin(rq, "Antwoord aan het parlement", NAV_OVERVIEW);
        buf_fmt(&rq->body, "<h1>Antwoord aan het parlement op %h</h1>\n", page_date(rq, d));
        answer_form(rq, d, p);
        answer_downloads(rq);
        if (!web_param(rq, "as_known_at")) /* an edition freezes what is known now */
            page_publish_link(rq, d, p);
        answer_html_body(&document, &rq->body);
        page_pager(rq, page, r.annex.count, ANNEX_PAGE);
        page_end(rq);
    }
    answer_free(&r);
}
