/* layout.c: see layout.h. */
#define _POSIX_C_SOURCE 200809L
#include "layout.h"
#include "pager.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "cache.h"
#include "input.h"
#include "notice.h"
#include "rules.h"
#include "store_notice.h"

static const struct {
    const char *href, *label;
} NAV[] = {
    [NAV_OVERVIEW] = {"/", "Overzicht"},
    [NAV_AGREEMENTS] = {"/agreements", "Overeenkomsten"},
    [NAV_MUNICIPALITIES] = {"/municipalities", "Gemeenten"},
    [NAV_REGIONS] = {"/regiegebieden", "Regiegebieden"},
    [NAV_INDICATORS] = {"/indicators", "Indicatoren"},
    [NAV_FOLLOWUP] = {"/alerts", "Opvolging"},
    [NAV_ANNEX] = {"/annex", "Bijlage"},
    [NAV_HISTORY] = {"/history", "Geschiedenis"},
    [NAV_NONE] = {"", ""},
    [NAV_ACCOUNTS] = {"/accounts", "Accounts"},
};

const char *page_carry(request *rq, const char *const *names)
{
    buf b = {0};
    for (const char *const *n = names; *n; n++) {
        const char *v = web_param(rq, *n);
        if (!v || !*v)
            continue;
        buf_fmt(&b, "%s%U=%U", b.len ? "&" : "", *n, v);
    }
    char *s = arena_strdup(rq->arena, b.len ? b.data : "");
    buf_free(&b);
    return s;
}

const char *page_carry_default(request *rq)
{
    static const char *const names[] = {"date", "as_known_at", NULL};
    return page_carry(rq, names);
}

const char *page_date(request *rq, date_t d)
{
    char buf_nl[DATE_NL_LEN];
    return arena_strdup(rq->arena, date_format_nl(d, buf_nl));
}

const char *page_moment(request *rq, const char *iso)
{
    moment_t m;
    if (!iso || !moment_parse_iso(iso, &m))
        return iso ? iso : "";
    time_t t = (time_t)(m / 1000000);
    struct tm tm;
    localtime_r(&t, &tm);
    return arena_printf(rq->arena, "%02d/%02d/%04d %02d:%02d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour,
                        tm.tm_min);
}

static void known_at_notice(request *rq)
{
    const char *at = web_param(rq, "as_known_at");
    moment_t m;
    if (!at || !*at || !moment_parse_any(at, &m))
        return;
    char iso[MOMENT_ISO_LEN];
    static const char *const keep[] = {"date", "prognosis", NULL};
    const char *carry = page_carry(rq, keep);
    buf path = {0};
    for (size_t i = 0; i < rq->t.segment_count; i++)
        buf_fmt(&path, "/%U", rq->t.segments[i]);
    buf_fmt(&rq->body,
            "<p class=\"notice\" role=\"status\">U bekijkt het register zoals het gekend was op <time datetime=\"%a\">%h"
            " (UTC)</time>. Latere wijzigingen zijn niet meegeteld. <a href=\"%a%s%a\">Naar de huidige stand</a></p>\n",
            moment_format_utc(m, iso), moment_format_utc(m, iso), path.len ? path.data : "/", *carry ? "?" : "",
            carry);
    buf_free(&path);
}

const char *page_register_notice(request *rq)
{
    if (rq->view_entry) /* read with the view, once per change */
        return cache_view(rq->view_entry)->notice;
    if (!rq->db)
        return NULL;
    int64_t known = rq->known;
    if (!rq->known_ready) { /* quietly: a bad as_known_at is the page's to answer (400) */
        const char *at = web_param(rq, "as_known_at");
        moment_t m;
        if (at && *at && (!moment_parse_any(at, &m) || !date_in_limits(moment_local_date(m))))
            return NULL;
        known = at && *at ? store_known_at(rq->db, m) : store_last_change(rq->db);
    }
    const char *notice = NULL;
    if (known < 0 || store_get_notice(rq->db, known, &notice))
        return NULL;
    return notice;
}

/* The register notice at the top of every page (DESIGN13 §5), linking the
 * page that says what it means. */
static void register_notice_banner(request *rq)
{
    const char *notice = page_register_notice(rq);
    if (!notice)
        return;
    const char *at = web_param(rq, "as_known_at");
    buf_fmt(&rq->body, "<p class=\"notice register-notice\" id=\"register-notice\">%h <a href=\"/bronnen%s%U\">Meer over "
                       "de bronnen</a></p>\n",
            register_notice_sentence(notice), at && *at ? "?as_known_at=" : "", at && *at ? at : "");
}

void page_begin(request *rq, const char *title, nav_section section)
{
    rq->status = 200;
    rq->content_type = "text/html; charset=utf-8";
    buf *b = &rq->body;
    buf_fmt(b,
            "<!DOCTYPE html>\n<html lang=\"nl-BE\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>%h – somon</title>\n<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n"
            "<link rel=\"stylesheet\" href=\"/static/somon.css\">\n"
            "<script src=\"/static/somon.js\" defer></script>\n</head>\n<body>\n"
            "<a class=\"skip\" href=\"#main\">Naar de inhoud</a>\n<header class=\"site\">\n"
            "<p class=\"brand\"><a href=\"/\">somon</a> <span>samenwerkingsovereenkomsten VDAB – lokale "
            "besturen</span></p>\n<nav aria-label=\"Hoofdmenu\"><ul>\n",
            title);
    const char *carry = page_carry_default(rq);
    /* "page" on the section's own list, "true" on the pages below it */
    bool at_index = rq->t.segment_count <= 1;
    for (int i = 0; i <= NAV_ACCOUNTS; i++) {
        if (i == NAV_NONE || (i == NAV_ACCOUNTS && !auth_may(rq->who, ACT_MANAGE_ACCOUNTS, NULL, -1)))
            continue;
        buf_fmt(b, "<li><a href=\"%a%s%a\"%s>%h</a></li>\n", NAV[i].href, *carry ? "?" : "", carry,
                i != (int)section ? "" : at_index ? " aria-current=\"page\"" : " aria-current=\"true\"", NAV[i].label);
    }
    buf_puts(b, "</ul></nav>\n");
    if (rq->who) {
        buf_fmt(b, "<form class=\"account\" method=\"post\" action=\"/logout\"><p>Aangemeld als <strong>%h</strong> "
                   "(%h) <a href=\"/mine\">Mijn overeenkomsten</a> ",
                rq->who->login, role_label_nl(rq->who->role));
        page_csrf_field(rq);
        buf_puts(b, "<button type=\"submit\">Afmelden</button></p></form>\n");
    } else {
        buf_puts(b, "<p class=\"account\"><a href=\"/login\">Aanmelden</a></p>\n");
    }
    buf_puts(b, "</header>\n<main id=\"main\">\n");
    register_notice_banner(rq);
    known_at_notice(rq);
}

void page_end(request *rq)
{
    buf_puts(&rq->body,
             "</main>\n<footer class=\"site\">\n<p>somon – register en monitor van de samenwerkingsovereenkomsten "
             "tussen VDAB en de lokale besturen. Gegevens: <a href=\"/api/v1/openapi.json\">open data (API)</a>.</p>\n"
             "<p>Gemeentegrenzen: Provincies in Cijfers, op basis van Statbel statistische sectoren (Statbel open "
             "data); NIS-codes: Statbel.</p>\n</footer>\n</body>\n</html>\n");
}

void page_downloads(request *rq)
{
    buf path = {0};
    for (size_t i = 0; i < rq->t.segment_count; i++)
        buf_fmt(&path, "/%U", rq->t.segments[i]);
    buf query = {0};
    for (size_t i = 0; i < rq->t.param_count; i++)
        if (strcmp(rq->t.params[i].name, "format") != 0 && strcmp(rq->t.params[i].name, "page") != 0)
            buf_fmt(&query, "%U=%U&", rq->t.params[i].name, rq->t.params[i].value);
    const char *p = path.len ? path.data : "/", *q = query.len ? query.data : "";
    buf_fmt(&rq->body,
            "<p class=\"downloads\">Download deze tabel: <a href=\"%a?%aformat=csv\" download>CSV</a> · "
            "<a href=\"%a?%aformat=xlsx\" download>Excel (XLSX)</a></p>\n",
            p, q, p, q);
    buf_free(&path);
    buf_free(&query);
}

/* The lists' pages are pager.c's; these keep the calls of the pages that
 * page by other sizes short. */
bool page_wants_download(const request *rq) { return pager_download_asked(rq); }

long page_number(request *rq)
{
    pager p;
    return pager_read(rq, "page", &p) ? p.page : 0;
}

long page_slice(long page, size_t n, size_t size, size_t *first, size_t *last)
{
    pager p = {"page", page, 1, 0, 0, 0};
    pager_fit_size(&p, n, size);
    *first = p.first;
    *last = p.end;
    return p.page;
}

void page_pager(request *rq, long page, size_t n, size_t size)
{
    pager p = {"page", page, 1, 0, 0, 0};
    pager_fit_size(&p, n, size);
    buf path = {0};
    for (size_t i = 0; i < rq->t.segment_count; i++)
        buf_fmt(&path, "/%U", rq->t.segments[i]);
    pager_nav(rq, &p, path.len ? path.data : "/");
    buf_free(&path);
}

void page_csrf_field(request *rq)
{
    if (rq->csrf)
        buf_fmt(&rq->body, "<input type=\"hidden\" name=\"csrf\" value=\"%a\">", rq->csrf);
}

bool page_shows_people(const request *rq) { return auth_may(rq->who, ACT_SEE_PEOPLE, NULL, -1); }

void page_hidden_known_at(request *rq)
{
    const char *at = web_param(rq, "as_known_at");
    if (at && *at)
        buf_fmt(&rq->body, "<input type=\"hidden\" name=\"as_known_at\" value=\"%a\">\n", at);
}

const char *const PAGE_ACTIONS[][2] = {
    {"import", "Import"}, {"edit", "Bewerking"}, {"reference", "Referentiegegevens"}, {"account", "Account"},
    {"publish", "Publicatie"}};
const size_t PAGE_ACTION_COUNT = sizeof PAGE_ACTIONS / sizeof *PAGE_ACTIONS;

const char *page_action_label(const char *kind)
{
    for (size_t i = 0; i < PAGE_ACTION_COUNT; i++)
        if (kind && strcmp(PAGE_ACTIONS[i][0], kind) == 0)
            return PAGE_ACTIONS[i][1];
    return kind ? kind : "";
}

/* The length of the address at t (0 when t holds none): up to white space,
 * less the punctuation that closes the sentence around it. */
static size_t address_at(const char *t)
{
    if (strncmp(t, "https://", 8) != 0 && strncmp(t, "http://", 7) != 0)
        return 0;
    size_t n = 0;
    while (t[n] && (unsigned char)t[n] > 0x20 && t[n] != 0x7F)
        n++;
    while (n && strchr(").,;:\"'", t[n - 1]))
        n--;
    char *u = strndup(t, n);
    bool valid = u && source_url_valid(u);
    free(u);
    return valid ? n : 0;
}

/* Writes n bytes of s escaped as text (attr: as an attribute value). */
static void escaped_part(buf *b, const char *s, size_t n, bool attr)
{
    char *part = strndup(s, n);
    if (!part)
        abort(); /* as buf_add does when memory runs out */
    (attr ? buf_attr : buf_html)(b, part);
    free(part);
}

void page_linked_text(buf *b, const char *text)
{
    const char *t = text, *plain = text;
    while (*t) {
        size_t n = (t == text || !isalnum((unsigned char)t[-1])) ? address_at(t) : 0;
        if (!n) {
            t++;
            continue;
        }
        escaped_part(b, plain, (size_t)(t - plain), false);
        buf_puts(b, "<a href=\"");
        escaped_part(b, t, n, true);
        buf_puts(b, "\" rel=\"noopener noreferrer\">");
        escaped_part(b, t, n, false);
        buf_puts(b, "</a>");
        t += n;
        plain = t;
    }
    buf_html(b, plain);
}
