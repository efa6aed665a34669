/* page_sheet_import.c: agreements from a spreadsheet in the browser (issue 11,
 * docs/sheet_import.md).
 *
 * GET /agreements/upload shows the form; POST /agreements/upload with a file
 * (FORM_FILE_FIELD, form.h) shows the preview: per agreement new, changed
 * (with the changes) or unchanged, or the rows with their problems beside
 * them, and writes nothing. The preview's confirmation carries the file back
 * (FORM_CARRIED_FIELD, base64) with the last change the preview was made on;
 * the confirmation plans the file again and writes exactly that plan, unless
 * the register changed since the preview: then it shows the new preview. A
 * vdab account may only create and change agreements of its provinces: a row
 * of another directorate is a problem at its cell (sheet_permit). */
#define _POSIX_C_SOURCE 200809L
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "edit.h"
#include "form.h"
#include "layout.h"
#include "pages.h"
#include "sheet.h"
#include "sheet_import.h"

static const char TEMPLATE_HREF[] = "/agreements/sjabloon.xlsx";

/* ---- who may ------------------------------------------------------------- */


/* sheet_permit: auth_may() decides, on the stored version and on the new one. */
static const char *permit(void *ctx, const agreement *before, const agreement *after)
{
    request *rq = ctx;
    if (after->vdab_directorate < 0)
        return NULL; /* no directorate: the import's own check says so */
    if (!before)
        return auth_may(rq->who, ACT_CREATE_AGREEMENT, NULL, after->vdab_directorate)
                   ? NULL
                   : arena_printf(rq->arena, "uw account maakt alleen overeenkomsten aan voor de directie %s; %s "
                                             "ligt daarbuiten",
                                  edit_scope_text(rq), province_name(after->vdab_directorate));
    if (!auth_may(rq->who, ACT_EDIT_AGREEMENT, before, -1))
        return arena_printf(rq->arena, "uw account beheert alleen overeenkomsten van de directie %s; %s hoort bij %s",
                            edit_scope_text(rq), before->id, province_name(before->vdab_directorate));
    if (!auth_may(rq->who, ACT_EDIT_AGREEMENT, after, -1))
        return arena_printf(rq->arena, "uw account beheert alleen overeenkomsten van de directie %s; een beheerder "
                                       "verplaatst ze naar %s",
                            edit_scope_text(rq), province_name(after->vdab_directorate));
    return NULL;
}

/* ---- the form ------------------------------------------------------------- */

static void upload_form(request *rq)
{
    buf *b = &rq->body;
    buf_fmt(b, "<form method=\"post\" action=\"%a\" enctype=\"multipart/form-data\">\n", FORM_UPLOAD_PATH);
    page_csrf_field(rq);
    buf_fmt(b, "<p><label for=\"bestand\">Rekenblad (.xlsx of .csv, hoogstens %d MiB)</label><br>"
               "<input type=\"file\" id=\"bestand\" name=\"%a\" accept=\".xlsx,.csv\" required></p>\n"
               "<p><button type=\"submit\">Voorbeeld tonen</button> (er wordt nog niets bewaard)</p>\n</form>\n",
            (int)(SHEET_MAX_FILE_BYTES >> 20), FORM_FILE_FIELD);
}

static void explain(request *rq)
{
    buf_fmt(&rq->body,
            "<p>Eén rij per partij, met de kolommen <code>overeenkomst</code> (id), <code>titel</code>, "
            "<code>directie</code> (provincie), <code>status</code>, <code>begin</code>, <code>einde</code>, "
            "<code>gemeente</code> (naam of NIS-code), <code>goedgekeurd_op</code>, <code>vanaf</code> en "
            "<code>tot</code>, in willekeurige volgorde; datums als 30/06/2023. De velden van een overeenkomst "
            "staan op elke rij van die overeenkomst hetzelfde. Wat het blad niet bevat (actieplan, overleg, "
            "ondertekenaars, beslissingen) blijft zoals het in het register staat.</p>\n"
            "<p>Naar keuze ook <code>voorganger</code> (id van de overeenkomst die ze opvolgt), <code>soort</code> "
            "(centrumstad, regiegebied, cluster of gemeente), <code>ondertekend_op</code> en "
            "<code>opmerkingen</code>, die ook op elke rij hetzelfde zijn, en per rij een bron: "
            "<code>bron</code> (het adres van de pagina, https://…), <code>citaat</code> (de woorden van de pagina) "
            "en <code>gelezen_op</code>. Een bron op de rij van een partij is een bron van die partij; dezelfde "
            "partij op meer rijen geeft ze meer bronnen. Een rij zonder gemeente of organisatie maar met een bron "
            "is een bron van de overeenkomst. Heeft het blad een kolom <code>bron</code>, dan geeft het precies "
            "de bronnen; zonder die kolom blijven de bewaarde bronnen staan.</p>\n"
            "<p><a href=\"%a\" download>Sjabloon downloaden (.xlsx, met een voorbeeldrij en de geldige "
            "gemeentenamen)</a></p>\n",
            TEMPLATE_HREF);
}

/* A count of the query (after a write), or -1. */
static long count_param(request *rq, const char *name)
{
    const char *v = web_param(rq, name);
    char *end;
    long n = v && *v && strlen(v) < 9 ? strtol(v, &end, 10) : -1;
    return n >= 0 && !*end ? n : -1;
}

void page_sheet_upload(request *rq)
{
    page_begin(rq, "Overeenkomsten uit een rekenblad", NAV_AGREEMENTS);
    buf_puts(&rq->body, "<h1>Overeenkomsten uit een rekenblad</h1>\n");
    long added = count_param(rq, "nieuw"), changed = count_param(rq, "gewijzigd"), same = count_param(rq, "ongewijzigd");
    if (added >= 0 && changed >= 0 && same >= 0)
        buf_fmt(&rq->body, "<p class=\"notice\" role=\"status\">Bewaard: %ld nieuw, %ld gewijzigd, %ld ongewijzigd. "
                           "<a href=\"/history?action=import\">Bekijk de wijziging in de geschiedenis</a>.</p>\n",
                added, changed, same);
    explain(rq);
    upload_form(rq);
    page_end(rq);
}

/* ---- the preview ------------------------------------------------------------ */

static const char *kind_label(sheet_change_kind k)
{
    return k == SHEET_NEW ? "nieuw" : k == SHEET_CHANGED ? "gewijzigd" : "ongewijzigd";
}

static void plan_table(request *rq, const sheet_plan *p)
{
    buf *b = &rq->body;
    buf_puts(b, "<div class=\"scroll\"><table class=\"list\" id=\"plan\">\n<caption>Wat er zou veranderen</caption>\n"
                "<thead><tr><th scope=\"col\">Overeenkomst</th><th scope=\"col\">Rij</th><th scope=\"col\">Wat</th>"
                "<th scope=\"col\">Wijzigingen</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < p->count; i++) {
        const sheet_plan_item *it = &p->items[i];
        buf_fmt(b, "<tr class=\"plan-%a\"><th scope=\"row\">%h <span class=\"id\">%h</span></th><td class=\"num\">%zu"
                   "</td><td>%h</td><td>",
                kind_label(it->kind), it->after->title ? it->after->title : "", it->id, it->first_row + 1,
                kind_label(it->kind));
        if (it->kind == SHEET_NEW) {
            buf_fmt(b, "%zu partij%s", it->after->party_count, it->after->party_count == 1 ? "" : "en");
            size_t n = it->after->source_count;
            for (size_t k = 0; k < it->after->party_count; k++)
                n += it->after->parties[k].source_count;
            if (n) /* issue 13: the evidence the sheet gives */
                buf_fmt(b, ", %zu bron%s", n, n == 1 ? "" : "nen");
        }
        if (it->change_count) {
            buf_puts(b, "<ul>");
            for (size_t k = 0; k < it->change_count; k++)
                buf_fmt(b, "<li>%h</li>", it->changes[k]);
            buf_puts(b, "</ul>");
        }
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

/* The rows that have problems, each with its problems beside its number,
 * under the sheet's own headers; the problems of the whole file above. */
static void problem_table(request *rq, const sheet_plan *p)
{
    buf *b = &rq->body;
    buf_fmt(b, "<div class=\"problems\" role=\"alert\"><p>Het blad heeft %zu %s; er is niets bewaard. "
               "Verbeter %s in het bestand en laad het opnieuw op.</p>\n",
            p->problem_count, p->problem_count == 1 ? "probleem" : "problemen", p->problem_count == 1 ? "het" : "ze");
    bool any_row = false;
    for (size_t i = 0; i < p->problem_count; i++) {
        if (p->problems[i].row == SHEET_NO_ROW)
            buf_fmt(b, "<p>%h</p>\n", p->problems[i].message);
        else
            any_row = true;
    }
    buf_puts(b, "</div>\n");
    if (!any_row || !p->sheet)
        return;
    const sheet *s = p->sheet;
    buf_fmt(b, "<div class=\"scroll\"><table class=\"list\" id=\"problems\">\n<caption>Rijen met een probleem (blad "
               "%h)</caption>\n<thead><tr><th scope=\"col\">Rij</th><th scope=\"col\">Probleem</th>",
            s->name ? s->name : "");
    for (size_t k = 0; k < s->cols; k++) {
        const char *h = sheet_cell(s, p->header_row, k);
        buf_fmt(b, "<th scope=\"col\">%h</th>", h ? h : "");
    }
    buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < p->problem_count;) {
        size_t row = p->problems[i].row, j = i;
        if (row == SHEET_NO_ROW) {
            i++;
            continue;
        }
        /* the problems first, beside the row's number: a wide sheet scrolls, they stay in view */
        buf_fmt(b, "<tr><th scope=\"row\">%zu</th><td class=\"error\"><ul>", row + 1);
        for (; j < p->problem_count && p->problems[j].row == row; j++)
            buf_fmt(b, "<li>%h</li>", sheet_problem_line(rq->arena, &p->problems[j]));
        buf_puts(b, "</ul></td>");
        for (size_t k = 0; k < s->cols; k++) {
            const char *v = sheet_cell(s, row, k);
            buf_fmt(b, "<td>%h</td>", v ? v : "");
        }
        buf_puts(b, "</tr>\n");
        i = j;
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

static void confirm_form(request *rq, const sheet_plan *p, const char *content, const char *name)
{
    buf *b = &rq->body;
    if (!p->added && !p->changed) {
        buf_puts(b, "<p>Het blad verandert niets aan het register.</p>\n");
        return;
    }
    buf_fmt(b, "<form method=\"post\" action=\"%a\" enctype=\"multipart/form-data\">\n", FORM_UPLOAD_PATH);
    page_csrf_field(rq);
    buf_fmt(b, "<input type=\"hidden\" name=\"%a\" value=\"%a\">\n<input type=\"hidden\" name=\"naam\" value=\"%a\">\n"
               "<input type=\"hidden\" name=\"bekend\" value=\"%lld\">\n"
               "<p><button type=\"submit\">Bevestigen en bewaren</button> (%zu nieuw, %zu gewijzigd)</p>\n</form>\n",
            FORM_CARRIED_FIELD, content, name, (long long)p->known, p->added, p->changed);
}

/* The preview of a plan, with the form to upload another file. */
static void preview(request *rq, const sheet_plan *p, const char *content, const char *name, const char *notice)
{
    page_begin(rq, "Voorbeeld van de import", NAV_AGREEMENTS);
    buf *b = &rq->body;
    buf_fmt(b, "<h1>Voorbeeld van de import</h1>\n<p>Bestand: %h</p>\n", name);
    if (notice)
        buf_fmt(b, "<div class=\"problems\" role=\"alert\"><p>%h</p></div>\n", notice);
    if (p->problem_count) {
        rq->status = 422;
        problem_table(rq, p);
    } else {
        buf_fmt(b, "<p role=\"status\">%zu nieuw, %zu gewijzigd, %zu ongewijzigd. Er is nog niets bewaard.</p>\n",
                p->added, p->changed, p->unchanged);
        plan_table(rq, p);
        confirm_form(rq, p, content, name);
    }
    buf_puts(b, "<h2>Een ander bestand opladen</h2>\n");
    upload_form(rq);
    page_end(rq);
}

/* Plans the file (its base64 text) against the register as it is now. */
static bool plan_file(request *rq, const char *content, const char *name, sheet_plan *p)
{
    size_t cap = strlen(content) / 4 * 3 + 3, len;
    unsigned char *data = arena_alloc(rq->arena, cap);
    if (sodium_base642bin(data, cap, content, strlen(content), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL)) {
        web_error(rq, 400, "bad_form", "Het bestand kwam niet goed aan; laad het opnieuw op.");
        return false;
    }
    const register_view *v = web_view(rq);
    if (!v)
        return false;
    sheet_book book;
    const char *why;
    if (sheet_read(rq->arena, name, data, len, &book, &why)) {
        sheet_import_refused(rq->arena, why, p);
        return true;
    }
    if (sheet_import_plan(rq->arena, &book, rq->db, v, permit, rq, true, p)) {
        web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden.");
        return false;
    }
    return true;
}

/* The file's name as shown: what the browser sent, or "blad.csv". */
static const char *file_name(request *rq, const char *field)
{
    const char *n = web_form(rq, field);
    if (!n || !*n)
        return "blad.csv";
    const char *slash = strrchr(n, '/'), *back = strrchr(n, '\\');
    n = back && (!slash || back > slash) ? back + 1 : slash ? slash + 1 : n;
    char *shown = arena_strdup(rq->arena, arena_clip(rq->arena, n, 100));
    for (char *x = shown; *x; x++) /* it names the change in the history: one line */
        *x = (unsigned char)*x < 0x20 ? '_' : *x;
    return shown;
}

void page_sheet_import(request *rq)
{
    const char *upload = web_form(rq, FORM_FILE_FIELD), *carried = web_form(rq, FORM_CARRIED_FIELD);
    sheet_plan p;
    if (upload && *upload) { /* a new file: the preview */
        const char *name = file_name(rq, FORM_FILE_NAME_FIELD);
        if (plan_file(rq, upload, name, &p))
            preview(rq, &p, upload, name, NULL);
        return;
    }
    if (!carried || !*carried) {
        web_error(rq, 400, "bad_form", "Kies een bestand (.xlsx of .csv) om op te laden.");
        return;
    }
    const char *name = file_name(rq, "naam"), *known = web_form(rq, "bekend");
    char *end;
    long long seen = known && *known ? strtoll(known, &end, 10) : -1;
    if (!known || !*known || *end || seen < 0) {
        web_error(rq, 400, "bad_form", "Het formulier mist de stand van het register waarop het voorbeeld steunde; "
                                       "laad het bestand opnieuw op.");
        return;
    }
    if (!plan_file(rq, carried, name, &p))
        return;
    const char *stale = "Het register is gewijzigd sinds het voorbeeld; er is niets bewaard. Hieronder staat het "
                        "nieuwe voorbeeld: bevestig opnieuw als het klopt.";
    if (p.problem_count || p.known != seen) {
        preview(rq, &p, carried, name, p.known != seen ? stale : NULL);
        return;
    }
    int rc = sheet_import_write(rq->db, rq->arena, &p, rq->who->login, arena_printf(rq->arena, "sheet %s", name));
    if (rc == SHEET_STALE) { /* changed between the plan and the write: plan again */
        if (plan_file(rq, carried, name, &p))
            preview(rq, &p, carried, name, stale);
        return;
    }
    if (rc) {
        web_error(rq, 503, "unavailable", "Het register kan nu niet geschreven worden; er is niets bewaard.");
        return;
    }
    /* after the write, a page to reload safely: the form with what was written */
    web_redirect(rq, arena_printf(rq->arena, "%s?nieuw=%zu&gewijzigd=%zu&ongewijzigd=%zu", FORM_UPLOAD_PATH, p.added,
                                  p.changed, p.unchanged));
}
