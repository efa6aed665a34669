/* page_bronnen.c: see page_bronnen.h. Short and static but for the
 * counts, which come from the register view as known at the request's
 * moment (as_known_at), like the notice itself. */
#include "page_bronnen.h"

#include "layout.h"
#include "notice.h"

/* Agreements whose parties name no municipality: the associations whose
 * members the sources do not name (the alert "leden onbekend"). */
static size_t without_municipality(const register_view *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->agreement_count; i++) {
        const rules_agreement *ra = &v->rules_agreements[i];
        bool municipality = false;
        for (int k = 0; k < ra->party_count && !municipality; k++)
            municipality = ra->parties[k].code >= 0;
        n += ra->party_count > 0 && !municipality;
    }
    return n;
}

/* Agreements with at least one source of their own or of a party. */
static size_t with_sources(const register_view *v)
{
    size_t n = 0;
    for (size_t i = 0; v->agreement_sources && i < v->agreement_count; i++)
        n += v->agreement_sources[i] != NULL;
    return n;
}

void page_bronnen(request *rq)
{
    const register_view *v = web_view(rq);
    if (!v)
        return;
    const char *notice = v->notice;
    const char *carry = page_carry_default(rq);
    page_begin(rq, "Bronnen van het register", NAV_NONE);
    buf *b = &rq->body;
    buf_puts(b, "<h1>Bronnen van het register</h1>\n");
    if (notice)
        buf_fmt(b,
                "<p>Dit register draagt de vermelding <strong>%h</strong>. Het is samengesteld uit wat publieke "
                "bronnen zeggen over de samenwerkingsovereenkomsten tussen VDAB en de lokale besturen: persberichten, "
                "gemeentelijke besluiten en webpagina's. Het is geen officiële lijst van VDAB en het is onvolledig: "
                "een gemeente zonder overeenkomst in dit register kan er wel een hebben.</p>\n",
                register_notice_title(notice));
    else
        buf_puts(b, "<p>Dit register draagt geen vermelding over zijn bronnen: het wordt bijgehouden door wie er een "
                    "account voor heeft, en elke wijziging staat met haar auteur in de <a href=\"/history\">"
                    "geschiedenis</a>.</p>\n");
    size_t orgs = without_municipality(v);
    buf_fmt(b, "<h2>Wat het register bevat</h2>\n<p>Het register telt <a href=\"/agreements%s%a\">%zu "
               "overeenkomst%s</a>.",
            *carry ? "?" : "", carry, v->agreement_count, v->agreement_count == 1 ? "" : "en");
    if (orgs)
        buf_fmt(b, " Bij %zu daarvan is alleen een organisatie partij (een intergemeentelijke vereniging) en zijn de "
                   "gemeenten niet bekend: die overeenkomsten dekken geen gemeente tot de gemeenten als partij zijn "
                   "ingevoerd (het signaal <a href=\"/alerts%s%a\">leden onbekend</a>).",
                orgs, *carry ? "?" : "", carry);
    size_t sourced = with_sources(v);
    buf_fmt(b, " %zu ervan %s minstens één bron.", sourced, sourced == 1 ? "heeft" : "hebben");
    buf_puts(b, "</p>\n");
    buf_puts(b, "<h2>Een bron lezen</h2>\n<ul>\n"
                "<li>Op de pagina van een overeenkomst staat onder <strong>Bronnen</strong> waar een gegeven vandaan "
                "komt: een link naar de pagina waar het gepubliceerd is, de woorden van die pagina als citaat en de "
                "dag waarop ze gelezen is. Een partij kan haar eigen bronnen hebben, bijvoorbeeld het besluit van de "
                "gemeenteraad.</li>\n");
    if (notice)
        buf_puts(b, "<li>Wat geen bron zegt, is niet ingevuld: een overeenkomst zonder bekende begindatum heet "
                    "<em>ondertekend, begindatum onbekend</em> en telt niet mee in de dekking.</li>\n"
                    "<li>Spreken twee bronnen elkaar tegen, dan staan ze allebei bij de overeenkomst, met de "
                    "tegenspraak in de opmerkingen.</li>\n"
                    "<li>Elke download (CSV, Excel, het antwoord aan het parlement, de agenda's) en de API vermelden "
                    "het ook, zodat een tabel buiten de website haar herkomst niet verliest.</li>\n");
    buf_puts(b, "</ul>\n");
    page_end(rq);
}
