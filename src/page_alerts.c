/* page_alerts.c: GET /alerts?date= — what needs someone's attention on a
 * day (rules_alerts.h), each alert with a link to the place to fix it;
 * CSV and XLSX like every table. GET /mine — a signed-in account's own
 * agreements (its scope) with their alerts: where vdab and local users land. */
#include "alerts.h"
#include "auth.h"
#include "layout.h"
#include "pager.h"
#include "pages.h"

/* The alerts al[0 .. n-1] as rows (one page of them). */
static void alert_rows(request *rq, const alert *al, long n)
{
    buf *b = &rq->body;
    buf_puts(b, "<div class=\"scroll\"><table class=\"list alerts\">\n<caption>Signalen</caption>\n<thead><tr>"
                "<th scope=\"col\">Soort</th><th scope=\"col\">Overeenkomst</th><th scope=\"col\">Wat</th>"
                "<th scope=\"col\">Oplossen</th></tr></thead>\n<tbody>\n");
    table t;
    alerts_table(rq->arena, web_view(rq), al, n, false, &t);
    for (long i = 0; i < n; i++) {
        const cell *c = &t.cells[(size_t)i * t.columns];
        buf_fmt(b, "<tr class=\"alert-%a\"><td>%h</td><td><a href=\"/agreements/%U\">%h</a></td><td>%h</td>"
                   "<td><a href=\"%a\">%h</a></td></tr>\n",
                alert_kind_name(al[i].kind), c[0].text, al[i].agreement, al[i].agreement, c[3].text, c[5].text,
                alert_fix_label(&al[i]));
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

void page_alerts(request *rq)
{
    date_t d = web_date_param(rq, "date", web_today());
    if (d == DATE_NONE || !web_view(rq))
        return;
    int province;
    if (!web_province_param(rq, &province))
        return;
    pager pg;
    if (!pager_read(rq, "page", &pg))
        return;
    const register_all *all = register_all_of(rq);
    if (!all)
        return;
    const alert *al;
    long n;
    if (alerts_for_province(all, d, province, rq->arena, &al, &n)) {
        web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden.");
        return;
    }
    if (pager_download_asked(rq)) {
        table t;
        if (web_table_begin(rq, "signalen")) { /* each row written as it is made */
            alerts_table(rq->arena, web_view(rq), al, n, false, &t);
            web_table_end(rq, &t);
        }
        return;
    }
    pager_fit(&pg, (size_t)n);
    char iso[DATE_ISO_LEN], nl[DATE_NL_LEN];
    page_begin(rq, "Signalen", NAV_FOLLOWUP);
    buf_fmt(&rq->body,
            "<h1>Signalen op %h</h1>\n<p>Wat aandacht vraagt: overeenkomsten die binnen %d dagen aflopen zonder "
            "opvolger, gemeenten met een overeenkomst in voorbereiding waarvan de verwachte start voorbij is, partijen "
            "zonder goedkeuring van de gemeenteraad, overlegorganen die achter zijn op hun vergaderingen, acties "
            "zonder evaluatie van vorig jaar, overeenkomsten van een vereniging waarvan de gemeenten niet bekend zijn "
            "(leden onbekend), en evaluaties of vergaderingen van een actie of overlegorgaan dat de "
            "overeenkomst niet meer heeft (die staan in geen export). Zie ook <a href=\"/actions\">alle acties en hun evaluaties</a> en "
            "<a href=\"/governance\">het overleg van alle overeenkomsten</a>.</p>\n"
            "<form class=\"dates\" method=\"get\" action=\"/alerts\"><p><label for=\"date\">Datum</label> "
            "<input type=\"date\" id=\"date\" name=\"date\" value=\"%a\" required>\n"
            "<label for=\"province\">Provincie</label> <select id=\"province\" name=\"province\">"
            "<option value=\"\">alle</option>",
            date_format_nl(d, nl), ALERT_ENDING_DAYS, date_format_iso(d, iso));
    for (int k = 0; k < PROVINCE_COUNT; k++)
        buf_fmt(&rq->body, "<option%s>%h</option>", k == province ? " selected" : "", province_name(k));
    buf_puts(&rq->body, "</select>\n");
    page_hidden_known_at(rq);
    buf_puts(&rq->body, "<button type=\"submit\">Toon</button></p></form>\n");
    if (!n)
        buf_puts(&rq->body, "<p>Er zijn geen signalen op deze datum.</p>\n");
    else {
        buf_fmt(&rq->body, "<p>%ld signa%s.</p>\n", n, n == 1 ? "al" : "len");
        pager_status(rq, &pg);
        alert_rows(rq, al + pg.first, (long)(pg.end - pg.first));
        pager_nav(rq, &pg, "/alerts");
    }
    page_downloads(rq);
    page_end(rq);
}

/* ---- /mine: "Mijn overeenkomsten" ---------------------------------------- */

/* An account's own agreements: those whose plan it may keep (a vdab
 * account's provinces, a local account's parties; an administrator's: all). */
static bool is_mine(const agreement *ag, const void *who) { return auth_may(who, ACT_EDIT_PLAN, ag, -1); }

static void mine_list(request *rq, const agreement *const *ags, size_t n)
{
    buf *b = &rq->body;
    if (!n) {
        buf_puts(b, "<p>Uw account is aan geen enkele overeenkomst gekoppeld.</p>\n");
        return;
    }
    buf_puts(b, "<div class=\"scroll\"><table class=\"list\">\n<caption>Mijn overeenkomsten</caption>\n<thead><tr>"
                "<th scope=\"col\">Overeenkomst</th><th scope=\"col\">VDAB-directie</th><th scope=\"col\">Status</th>"
                "<th scope=\"col\">Begin</th><th scope=\"col\">Einde</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const agreement *ag = ags[i];
        buf_fmt(b, "<tr><th scope=\"row\"><a href=\"/agreements/%U\">%h</a> <span class=\"id\">%h</span></th>"
                   "<td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>\n",
                ag->id, ag->title, ag->id, province_name(ag->vdab_directorate),
                (ag->status == STATUS_SIGNED && ag->start == DATE_NONE) ? "ondertekend, begindatum onbekend"
                                                                        : status_label_nl(ag->status),
                ag->start == DATE_NONE ? "–" : page_date(rq, ag->start), ag->end == DATE_NONE ? "–" : page_date(rq, ag->end));
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

/* /mine pages its two lists apart: ?page= the agreements, ?alerts_page= the
 * alerts (an administrator's agreements are all of them). */
void page_mine(request *rq)
{
    date_t d = web_date_param(rq, "date", web_today());
    if (d == DATE_NONE || !web_view(rq))
        return;
    pager mine, signals;
    if (!pager_read(rq, "page", &mine) || !pager_read(rq, "alerts_page", &signals))
        return;
    const register_all *all = register_all_of(rq);
    if (!all)
        return;
    const agreement **ags;
    size_t nag;
    const alert *al;
    long n;
    if (alerts_of(all, d, is_mine, rq->who, rq->arena, &ags, &nag, &al, &n)) {
        web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden.");
        return;
    }
    pager_fit(&mine, nag);
    pager_fit(&signals, (size_t)n);
    page_begin(rq, "Mijn overeenkomsten", NAV_NONE);
    buf_fmt(&rq->body, "<h1>Mijn overeenkomsten</h1>\n<p>De overeenkomsten waarvan u als %h het actieplan en het "
                       "overleg bijhoudt, en wat er op %h aandacht vraagt.</p>\n",
            role_label_nl(rq->who->role), page_date(rq, d));
    pager_status(rq, &mine);
    mine_list(rq, ags + mine.first, mine.end - mine.first);
    pager_nav(rq, &mine, "/mine");
    buf_fmt(&rq->body, "<h2>Signalen op %h</h2>\n", page_date(rq, d));
    if (!n)
        buf_puts(&rq->body, "<p>Er zijn geen signalen voor uw overeenkomsten op deze datum.</p>\n");
    else {
        pager_status(rq, &signals);
        alert_rows(rq, al + signals.first, (long)(signals.end - signals.first));
        pager_nav(rq, &signals, "/mine");
    }
    buf_puts(&rq->body, "<p><a href=\"/alerts\">Alle signalen</a> · <a href=\"/\">Overzicht</a></p>\n");
    page_end(rq);
}
