/* page_annex.c: /annex — the annex of SPEC §4 for a date and a province:
 * every municipality with the agreements covering it, and those with none;
 * a signed agreement without start is named, marked, and not counted.
 * /concluded — the agreements concluded (signed_on) in a period, per
 * province and municipality (report_concluded.c). */
#include <string.h>

#include "layout.h"
#include "pages.h"
#include "report.h"

static void annex_form(request *rq, date_t d, int province)
{
    buf *b = &rq->body;
    char iso[DATE_ISO_LEN];
    buf_fmt(b, "<form class=\"filters\" method=\"get\" action=\"/annex\">\n<p><label for=\"date\">Datum</label> "
               "<input type=\"date\" id=\"date\" name=\"date\" value=\"%a\" required>\n<label for=\"province\">"
               "Provincie</label> <select id=\"province\" name=\"province\"><option value=\"\">alle</option>",
            date_format_iso(d, iso));
    for (int p = 0; p < PROVINCE_COUNT; p++)
        buf_fmt(b, "<option%s>%h</option>", p == province ? " selected" : "", province_name(p));
    buf_puts(b, "</select>\n");
    page_hidden_known_at(rq);
    buf_puts(b, "<button type=\"submit\">Toon</button></p>\n</form>\n");
}

/* The municipalities [first, last) of the annex, under the heading of their
 * province (with the figures of the whole province). */
static void annex_html(request *rq, const annex_report *r, size_t first, size_t last)
{
    buf *b = &rq->body;
    const char *carry = page_carry_default(rq);
    int province = -1;
    for (size_t i = first; i < last; i++) {
        const annex_municipality *m = &r->items[i];
        if (m->province != province) {
            if (province >= 0)
                buf_puts(b, "</tbody>\n</table></div>\n");
            province = m->province;
            int total = 0, covered = 0;
            size_t from = i; /* items are by province: its first may be on an earlier page */
            while (from > 0 && r->items[from - 1].province == province)
                from--;
            for (size_t j = from; j < r->count && r->items[j].province == province; j++) {
                total++;
                covered += r->items[j].state == COVER_FULL;
            }
            buf_fmt(b, "<h2>%h</h2>\n<p>%d van de %d gemeenten gedekt.</p>\n<div class=\"scroll\"><table class=\"list\">\n"
                       "<caption>%h: gemeenten en hun overeenkomsten op %h</caption>\n<thead><tr><th scope=\"col\">"
                       "Gemeente</th><th scope=\"col\">Overeenkomst</th><th scope=\"col\">Begin</th><th scope=\"col\">"
                       "Einde</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n",
                    province_name(province), covered, total, province_name(province), page_date(rq, r->date));
        }
        size_t rows = m->link_count ? m->link_count : 1;
        for (size_t k = 0; k < rows; k++) {
            buf_puts(b, "<tr>");
            if (k == 0) {
                /* covered is said by the table; the other states beside the name */
                bool mark = m->shown == MUNI_PARTIAL || m->shown == MUNI_SIGNED_NO_START;
                const view_municipality *vm = annex_municipality_of(r, m);
                buf_fmt(b, "<th scope=\"row\" rowspan=\"%d\"><a href=\"/municipalities/%U%s%a\">%h</a>", (int)rows,
                        vm->nis, *carry ? "?" : "", carry, vm->name);
                if (mark)
                    buf_fmt(b, " <span class=\"state s-%a\">%h</span>", muni_state_name(m->shown),
                            muni_state_label_nl(m->shown));
                buf_puts(b, "</th>");
            }
            if (!m->link_count) {
                buf_puts(b, "<td colspan=\"4\" class=\"none\">geen overeenkomst</td></tr>\n");
                continue;
            }
            annex_link_text l = annex_link_of(r, m, k);
            buf_fmt(b, "<td><a href=\"/agreements/%U%s%a\">%h</a>%s%h%s</td><td>%h</td><td>%h</td><td>%h</td></tr>\n",
                    l.agreement_id, *carry ? "?" : "", carry, l.title, l.via_name ? " (via " : "",
                    l.via_name ? l.via_name : "", l.via_name ? ")" : "",
                    l.from == DATE_NONE ? "onbekend" : page_date(rq, l.from),
                    l.to == DATE_NONE ? "–" : page_date(rq, l.to),
                    l.counted ? status_label_nl(l.status) : "ondertekend, begindatum onbekend (telt niet mee)");
        }
    }
    if (province >= 0)
        buf_puts(b, "</tbody>\n</table></div>\n");
}

void page_annex(request *rq)
{
    date_t d = web_date_param(rq, "date", web_today());
    if (d == DATE_NONE)
        return;
    int province;
    if (!web_province_param(rq, &province))
        return;
    moment_t at;
    long page;
    if (!(page = page_number(rq)))
        return;
    const register_view *v = web_view(rq);
    if (!v || !web_moment_param(rq, &at))
        return;
    if (page_wants_download(rq))
        web_heavy(rq); /* every municipality with its agreements */
    annex_report r;
    if (annex_report_compute(v, d, province, at, &r)) {
        annex_report_free(&r);
        web_error(rq, 503, "unavailable", "De bijlage kon niet berekend worden.");
        return;
    }
    char iso[DATE_ISO_LEN];
    if (page_wants_download(rq)) { /* every municipality */
        table t;
        if (web_table_begin(rq, arena_printf(rq->arena, "bijlage-%s", date_format_iso(d, iso)))) {
            annex_report_table(&r, false, &t); /* the CSV is for people too; each row written as it is made */
            web_table_end(rq, &t);
        }
    } else {
        size_t first, last;
        page = page_slice(page, r.count, ANNEX_PAGE, &first, &last);
        page_begin(rq, "Bijlage", NAV_ANNEX);
        buf_fmt(&rq->body, "<h1>Bijlage: overeenkomsten per gemeente op %h</h1>\n", page_date(rq, d));
        annex_form(rq, d, province);
        if (r.count > ANNEX_PAGE)
            buf_fmt(&rq->body, "<p role=\"status\">%zu gemeenten; gemeente %zu tot %zu op deze pagina.</p>\n", r.count,
                    first + 1, last);
        annex_html(rq, &r, first, last);
        page_pager(rq, page, r.count, ANNEX_PAGE);
        page_downloads(rq);
        page_end(rq);
    }
    annex_report_free(&r);
}

/* ---- /concluded: the agreements concluded in a period ---------------------- */

static void concluded_form(request *rq, date_t from, date_t to, int province)
{
    buf *b = &rq->body;
    char f[DATE_ISO_LEN], t[DATE_ISO_LEN];
    buf_fmt(b, "<form class=\"filters\" method=\"get\" action=\"/concluded\">\n<p><label for=\"from\">Ondertekend "
               "vanaf</label> <input type=\"date\" id=\"from\" name=\"from\" value=\"%a\" required>\n<label for=\"to\">"
               "tot en met</label> <input type=\"date\" id=\"to\" name=\"to\" value=\"%a\" required>\n<label "
               "for=\"province\">Provincie</label> <select id=\"province\" name=\"province\"><option value=\"\">alle"
               "</option>",
            date_format_iso(from, f), date_format_iso(to, t));
    for (int p = 0; p < PROVINCE_COUNT; p++)
        buf_fmt(b, "<option%s>%h</option>", p == province ? " selected" : "", province_name(p));
    buf_puts(b, "</select>\n");
    page_hidden_known_at(rq);
    buf_puts(b, "<button type=\"submit\">Toon</button></p>\n</form>\n");
}

static void concluded_html(request *rq, const concluded_report *r)
{
    buf *b = &rq->body;
    const char *carry = page_carry_default(rq);
    if (!r->count) {
        buf_puts(b, "<p class=\"none\">Geen overeenkomst met een datum van ondertekening in deze periode. Een "
                    "overeenkomst waarvan die datum niet gekend is, telt in geen enkele periode mee.</p>\n");
        return;
    }
    buf_puts(b, "<div class=\"scroll\"><table class=\"list\">\n<caption>Afgesloten overeenkomsten per provincie en "
                "gemeente</caption>\n<thead><tr><th scope=\"col\">Provincie</th><th scope=\"col\">Gemeente</th>"
                "<th scope=\"col\">Overeenkomst</th><th scope=\"col\">Ondertekend op</th><th scope=\"col\">Begin</th>"
                "<th scope=\"col\">Einde</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->count; i++) {
        const concluded_row *row = &r->rows[i];
        const view_agreement *va = &r->view->agreements[row->agreement];
        const rules_agreement *ra = &r->view->rules_agreements[row->agreement];
        buf_fmt(b, "<tr><td>%h</td>", province_name(row->province));
        if (row->nis)
            buf_fmt(b, "<th scope=\"row\"><a href=\"/municipalities/%U%s%a\">%h</a></th>", row->nis, *carry ? "?" : "",
                    carry, row->name);
        else
            buf_puts(b, "<th scope=\"row\">geen gemeente als partij</th>");
        buf_fmt(b, "<td><a href=\"/agreements/%U%s%a\">%h</a></td><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>\n",
                va->id, *carry ? "?" : "", carry, va->title, page_date(rq, va->signed_on),
                row->from == DATE_NONE ? "onbekend" : page_date(rq, row->from),
                row->to == DATE_NONE ? "–" : page_date(rq, row->to),
                ra->status == STATUS_SIGNED && ra->start == DATE_NONE ? "ondertekend, begindatum onbekend"
                                                                      : status_label_nl(ra->status));
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

void page_concluded(request *rq)
{
    date_t today = web_today();
    int year, month, day;
    date_to_ymd(today, &year, &month, &day);
    date_t from = web_date_param(rq, "from", date_from_ymd(year, 1, 1));
    date_t to = web_date_param(rq, "to", today);
    if (from == DATE_NONE || to == DATE_NONE)
        return;
    if (from > to) {
        web_error(rq, 400, "bad_period", "De periode begint na haar einde: kies bij 'vanaf' de vroegste dag.");
        return;
    }
    int province;
    if (!web_province_param(rq, &province))
        return;
    moment_t at;
    const register_view *v = web_view(rq);
    if (!v || !web_moment_param(rq, &at))
        return;
    concluded_report r;
    concluded_report_compute(v, from, to, province, at, &r);
    table t;
    concluded_report_table(&r, false, &t);
    char a[DATE_ISO_LEN], z[DATE_ISO_LEN];
    if (!web_table_download(rq, &t, arena_printf(rq->arena, "afgesloten-%s-%s", date_format_iso(from, a),
                                                  date_format_iso(to, z)))) {
        page_begin(rq, "Afgesloten overeenkomsten", NAV_AGREEMENTS);
        buf_fmt(&rq->body, "<h1>Overeenkomsten afgesloten van %h tot en met %h</h1>\n<p>Per provincie en gemeente, "
                           "met het begin en einde van elke gemeente als partij. Afgesloten betekent: de laatste "
                           "handtekening (ondertekend op) valt in de periode.</p>\n",
                page_date(rq, from), page_date(rq, to));
        concluded_form(rq, from, to, province);
        concluded_html(rq, &r);
        page_downloads(rq);
        page_end(rq);
    }
    concluded_report_free(&r);
}
