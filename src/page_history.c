/* page_history.c: /history, every recorded change, newest first, 50 per
 * page. Each change shows when, what and, for each agreement version it
 * wrote, the field-by-field difference with the version before it
 * (history_diff), with a link to the register as known at that moment: this
 * is how the interface offers as_known_at. Filters (a GET form): agreement,
 * action, period and, for readers who may see people, actor. CSV and XLSX
 * give the same rows, one per changed field.
 *
 * What anonymous readers do not get (auth: ACT_SEE_PEOPLE): who made a
 * change, the actor filter, account changes, and the detail of imports and
 * reference loads (file paths, which may name a person), and the names of
 * signatories and members in the differences (history_agreement_diff
 * redacts them as the agreement page does). Nothing here writes:
 * history cannot be edited or deleted through any interface. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "layout.h"
#include "pages.h"
#include "report.h"

enum {
    PAGE_SIZE = 50,
    VERSIONS_SHOWN = 25,   /* per change; a large import lists the first ones */
    DOWNLOAD_CHANGES = 1000, /* the newest that pass the filter */
};


typedef struct {
    store_change_filter f;
    date_t from, to;
    long page;
    bool people;
} history_query;

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

/* The start of a local day as a stored moment (ISO UTC). */
static const char *day_start(request *rq, date_t d)
{
    char day[DATE_ISO_LEN], iso[MOMENT_ISO_LEN];
    moment_t m;
    if (!moment_parse_iso(date_format_iso(d, day), &m))
        return NULL;
    return arena_strdup(rq->arena, moment_format_utc(m, iso));
}

/* The change the page shows changes up to: the last one, or the last known at
 * as_known_at (as the cache key has it). False after answering 400/503. */
static bool known_change(request *rq, int64_t *known)
{
    if (rq->known_ready) {
        *known = rq->known;
    } else {
        moment_t at;
        if (!web_moment_param(rq, &at))
            return false;
        *known = at == MOMENT_NONE ? STORE_NOW : store_known_at(rq->db, at);
    }
    if (*known < 0) {
        web_error(rq, 503, "unavailable", "De geschiedenis kan nu niet gelezen worden; probeer het zo meteen opnieuw.");
        return false;
    }
    return true;
}

static bool read_query(request *rq, history_query *q)
{
    memset(q, 0, sizeof *q);
    q->people = page_shows_people(rq);
    q->page = 1;
    if (!known_change(rq, &q->f.known))
        return false;
    q->f.accounts = q->people;
    q->f.agreement = nonempty(web_param(rq, "agreement"));
    if (q->f.agreement && strlen(q->f.agreement) > 200) {
        web_error(rq, 400, "bad_agreement", "De parameter agreement is te lang voor een id.");
        return false;
    }
    q->f.action = nonempty(web_param(rq, "action"));
    if (q->f.action) {
        bool known = false;
        for (size_t i = 0; i < PAGE_ACTION_COUNT; i++)
            known = known || strcmp(PAGE_ACTIONS[i][0], q->f.action) == 0;
        if (!known) {
            web_error(rq, 400, "bad_action", "De parameter action moet import, edit, reference of account zijn.");
            return false;
        }
    }
    /* whose changes is a question about people: ignored for the others */
    q->f.actor = q->people ? nonempty(web_param(rq, "actor")) : NULL;
    q->from = web_date_param(rq, "from", DATE_NONE);
    if (q->from == DATE_NONE && nonempty(web_param(rq, "from")))
        return false;
    q->to = web_date_param(rq, "to", DATE_NONE);
    if (q->to == DATE_NONE && nonempty(web_param(rq, "to")))
        return false;
    if (q->from != DATE_NONE)
        q->f.from = day_start(rq, q->from);
    if (q->to != DATE_NONE)
        q->f.until = day_start(rq, q->to + 1); /* "to" is the last day shown */
    const char *page = nonempty(web_param(rq, "page"));
    if (page) {
        char *end;
        q->page = strtol(page, &end, 10);
        if (*end || q->page < 1 || q->page > 1000000) {
            web_error(rq, 400, "bad_page", "De parameter page moet een paginanummer zijn.");
            return false;
        }
    }
    return true;
}

/* What one written version changed, against the version before it. */
typedef struct {
    const char *title;
    bool first, readable;
    field_change *changes;
    size_t count;
} version_diff;

static version_diff diff_version(request *rq, const store_written *w)
{
    version_diff d = {w->agreement, w->previous == 0, false, NULL, 0};
    agreement now, before;
    if (store_get_agreement_version(rq->db, w->version, rq->arena, &now) != 1)
        return d;
    d.title = now.title;
    if (d.first) {
        d.readable = true;
        return d;
    }
    if (store_get_agreement_version(rq->db, w->previous, rq->arena, &before) != 1)
        return d;
    /* the downloads are for people too: Dutch statuses, 30/06/2023, names */
    d.readable = history_agreement_diff(rq->arena, rq->who, &before, &now, web_history_names(rq), &d.changes, &d.count);
    return d;
}

/* The detail a reader may see: edits name what and which agreement; imports
 * and reference loads name files, which only people-readers see. */
static const char *shown_detail(const history_query *q, const store_change *c)
{
    if (!c->detail || !*c->detail)
        return NULL;
    return q->people || strcmp(c->action, "edit") == 0 ? c->detail : NULL;
}

/* The changes of one page (or of the download) and what they wrote. */
typedef struct {
    store_change *changes;
    size_t count;
    int64_t total;
    store_written *written;
    size_t written_count;
    size_t *totals; /* per change: how many versions it wrote */
} listing;

static bool load(request *rq, const history_query *q, int64_t offset, int64_t limit, listing *l)
{
    memset(l, 0, sizeof *l);
    if (store_changes(rq->db, &q->f, offset, limit, rq->arena, &l->changes, &l->count, &l->total)) {
        web_error(rq, 503, "unavailable", "De geschiedenis kan nu niet gelezen worden; probeer het zo meteen opnieuw.");
        return false;
    }
    int64_t *ids = arena_calloc(rq->arena, l->count + 1, sizeof *ids);
    l->totals = arena_calloc(rq->arena, l->count + 1, sizeof *l->totals);
    for (size_t i = 0; i < l->count; i++)
        ids[i] = l->changes[i].id;
    if (store_change_versions(rq->db, ids, l->count, q->f.agreement, VERSIONS_SHOWN, rq->arena, &l->written,
                              &l->written_count, l->totals)) {
        web_error(rq, 503, "unavailable", "De geschiedenis kan nu niet gelezen worden; probeer het zo meteen opnieuw.");
        return false;
    }
    return true;
}

/* ---- CSV and XLSX ---------------------------------------------------------- */

static const char *const KEYS[] = {"moment", "actor", "action", "detail", "agreement", "field", "old", "new"};
static const char *const LABELS[] = {"Moment (UTC)", "Door", "Wat", "Toelichting", "Overeenkomst", "Veld", "Oud",
                                     "Nieuw"};

static cell *change_row(table *t, const history_query *q, const store_change *c)
{
    cell *r = table_row(t);
    r[0] = cell_text(c->moment);
    r[1] = cell_text(q->people ? c->actor : NULL);
    r[2] = cell_text(page_action_label(c->action)); /* "Import", as the page says */
    r[3] = cell_text(shown_detail(q, c));
    return r;
}

static void download_table(request *rq, const history_query *q, const listing *l, table *t)
{
    table_init(t, rq->arena, "Geschiedenis", KEYS, LABELS, 8);
    size_t w = 0;
    for (size_t i = 0; i < l->count; i++) {
        const store_change *c = &l->changes[i];
        if (w == l->written_count || l->written[w].change != c->id)
            change_row(t, q, c);
        for (; w < l->written_count && l->written[w].change == c->id; w++) {
            version_diff d = diff_version(rq, &l->written[w]);
            if (d.first || !d.readable || !d.count) {
                cell *r = change_row(t, q, c);
                r[4] = cell_text(l->written[w].agreement);
                r[5] = cell_text(d.first      ? "(eerste versie)"
                                 : d.readable ? "(geen inhoudelijke wijziging)"
                                              : "(onleesbaar)");
            }
            for (size_t k = 0; k < d.count; k++) {
                cell *r = change_row(t, q, c);
                r[4] = cell_text(l->written[w].agreement);
                r[5] = cell_text(d.changes[k].field);
                r[6] = cell_text(d.changes[k].old_value);
                r[7] = cell_text(d.changes[k].new_value);
            }
        }
        if (l->totals[i] > VERSIONS_SHOWN) {
            cell *r = change_row(t, q, c);
            r[5] = cell_text(arena_printf(rq->arena, "(en nog %zu overeenkomsten: zie hun eigen geschiedenis)",
                                          l->totals[i] - VERSIONS_SHOWN));
        }
    }
}

/* ---- the page ---------------------------------------------------------------- */

/* This page's query with one parameter replaced ("" drops it). */
static const char *query_with(request *rq, const char *name, const char *value)
{
    buf b = {0};
    for (size_t i = 0; i < rq->t.param_count; i++) {
        const web_pair *p = &rq->t.params[i];
        if (strcmp(p->name, name) == 0 || strcmp(p->name, "format") == 0 || !*p->value)
            continue;
        buf_fmt(&b, "%s%U=%U", b.len ? "&" : "", p->name, p->value);
    }
    if (*value)
        buf_fmt(&b, "%s%U=%U", b.len ? "&" : "", name, value);
    const char *s = arena_strdup(rq->arena, b.len ? b.data : "");
    buf_free(&b);
    return s;
}

static void filter_form(request *rq, const history_query *q)
{
    buf *b = &rq->body;
    char from[DATE_ISO_LEN], to[DATE_ISO_LEN];
    buf_fmt(b, "<form class=\"filters\" method=\"get\" action=\"/history\">\n<p><label for=\"agreement\">Overeenkomst "
               "(id)</label> <input type=\"text\" id=\"agreement\" name=\"agreement\" value=\"%a\">\n"
               "<label for=\"action\">Wat</label> <select id=\"action\" name=\"action\">"
               "<option value=\"\">alles</option>",
            q->f.agreement ? q->f.agreement : "");
    for (size_t i = 0; i < PAGE_ACTION_COUNT; i++) {
        if (strcmp(PAGE_ACTIONS[i][0], "account") == 0 && !q->people)
            continue;
        buf_fmt(b, "<option value=\"%a\"%s>%h</option>", PAGE_ACTIONS[i][0],
                q->f.action && strcmp(q->f.action, PAGE_ACTIONS[i][0]) == 0 ? " selected" : "", PAGE_ACTIONS[i][1]);
    }
    buf_puts(b, "</select>\n");
    if (q->people)
        buf_fmt(b, "<label for=\"actor\">Door</label> <input type=\"text\" id=\"actor\" name=\"actor\" value=\"%a\">\n",
                q->f.actor ? q->f.actor : "");
    buf_fmt(b, "</p>\n<p><label for=\"from\">Van</label> <input type=\"date\" id=\"from\" name=\"from\" value=\"%a\"> "
               "<label for=\"to\">tot en met</label> <input type=\"date\" id=\"to\" name=\"to\" value=\"%a\">\n",
            date_format_iso(q->from, from), date_format_iso(q->to, to));
    page_hidden_known_at(rq);
    buf_puts(b, "<button type=\"submit\">Filter</button> <a href=\"/history\">Alles tonen</a></p>\n</form>\n");
}

static void status_line(request *rq, const history_query *q, int64_t total)
{
    buf *b = &rq->body;
    buf_fmt(b, "<p role=\"status\">%lld wijziging%s gevonden", (long long)total, total == 1 ? "" : "en");
    if (q->from != DATE_NONE && q->to != DATE_NONE)
        buf_fmt(b, " van %h tot en met %h", page_date(rq, q->from), page_date(rq, q->to));
    else if (q->from != DATE_NONE)
        buf_fmt(b, " vanaf %h", page_date(rq, q->from));
    else if (q->to != DATE_NONE)
        buf_fmt(b, " tot en met %h", page_date(rq, q->to));
    buf_puts(b, ".</p>\n");
}

static void version_item(request *rq, const store_change *c, const store_written *w)
{
    buf *b = &rq->body;
    version_diff d = diff_version(rq, w);
    buf_fmt(b, "<li><a href=\"/agreements/%U?as_known_at=%U\">%h</a> <span class=\"id\">%h</span>", w->agreement,
            c->moment, d.title, w->agreement);
    if (d.first) {
        buf_puts(b, ": eerste versie</li>\n");
        return;
    }
    if (!d.readable) {
        buf_puts(b, ": deze versie kan nu niet gelezen worden</li>\n");
        return;
    }
    buf_puts(b, "\n<ul>\n");
    for (size_t k = 0; k < d.count; k++)
        buf_fmt(b, "<li>%h: <del>%h</del> → <ins>%h</ins></li>\n", d.changes[k].field, d.changes[k].old_value,
                d.changes[k].new_value);
    if (!d.count)
        buf_puts(b, "<li>geen inhoudelijke wijziging</li>\n");
    buf_puts(b, "</ul></li>\n");
}

static void change_item(request *rq, const history_query *q, const listing *l, size_t i, size_t *w)
{
    buf *b = &rq->body;
    const store_change *c = &l->changes[i];
    const char *detail = shown_detail(q, c);
    buf_fmt(b, "<li id=\"change-%lld\"><p><time datetime=\"%a\">%h</time> · %h", (long long)c->id, c->moment,
            page_moment(rq, c->moment), page_action_label(c->action));
    if (detail)
        buf_fmt(b, " (%h)", detail);
    if (q->people)
        buf_fmt(b, " door <strong>%h</strong>", c->actor);
    buf_fmt(b, " · <a href=\"/?as_known_at=%U\">het register zoals gekend op dat moment</a></p>\n", c->moment);
    if (*w < l->written_count && l->written[*w].change == c->id) {
        buf_puts(b, "<ul>\n");
        for (; *w < l->written_count && l->written[*w].change == c->id; (*w)++)
            version_item(rq, c, &l->written[*w]);
        buf_puts(b, "</ul>\n");
    }
    if (l->totals[i] > VERSIONS_SHOWN)
        buf_fmt(b, "<p>… en nog %zu overeenkomsten; hun pagina's tonen hun eigen geschiedenis.</p>\n",
                l->totals[i] - VERSIONS_SHOWN);
    buf_puts(b, "</li>\n");
}

void page_history(request *rq)
{
    history_query q;
    if (!read_query(rq, &q))
        return;
    listing l;
    const char *format = web_param(rq, "format");
    if (format && *format && strcmp(format, "html") != 0) {
        table t;
        bool known = strcmp(format, "csv") == 0 || strcmp(format, "xlsx") == 0;
        if (known && !load(rq, &q, 0, DOWNLOAD_CHANGES, &l))
            return;
        if (known)
            download_table(rq, &q, &l, &t);
        else
            table_init(&t, rq->arena, "Geschiedenis", KEYS, LABELS, 8); /* answered 400 below */
        web_table_download(rq, &t, "geschiedenis");
        return;
    }
    if (!load(rq, &q, (q.page - 1) * PAGE_SIZE, PAGE_SIZE, &l))
        return;
    long pages = l.total ? (long)((l.total + PAGE_SIZE - 1) / PAGE_SIZE) : 1;
    if (q.page > pages) { /* past the end: the last page */
        q.page = pages;
        if (!load(rq, &q, (q.page - 1) * PAGE_SIZE, PAGE_SIZE, &l))
            return;
    }
    page_begin(rq, "Geschiedenis", NAV_HISTORY);
    buf *b = &rq->body;
    buf_puts(b, "<h1>Geschiedenis</h1>\n<p>Elke wijziging van het register blijft bewaard: wanneer, wat en, per "
                "overeenkomst, de oude en de nieuwe waarde van elk veld. Niets wordt overschreven of gewist. Elke "
                "wijziging heeft een link naar het register zoals het op dat moment gekend was.</p>\n");
    filter_form(rq, &q);
    status_line(rq, &q, l.total);
    buf_puts(b, "<ol class=\"history\">\n");
    size_t w = 0;
    for (size_t i = 0; i < l.count; i++)
        change_item(rq, &q, &l, i, &w);
    buf_puts(b, "</ol>\n");
    if (pages > 1) {
        buf_fmt(b, "<nav class=\"pages\" aria-label=\"Pagina's\"><p>Pagina %ld van %ld: ", q.page, pages);
        if (q.page > 1)
            buf_fmt(b, "<a href=\"/history?%a\" rel=\"prev\">nieuwer</a> ",
                    query_with(rq, "page", arena_printf(rq->arena, "%ld", q.page - 1)));
        if (q.page < pages)
            buf_fmt(b, "<a href=\"/history?%a\" rel=\"next\">ouder</a>",
                    query_with(rq, "page", arena_printf(rq->arena, "%ld", q.page + 1)));
        buf_puts(b, "</p></nav>\n");
    }
    page_downloads(rq);
    buf_fmt(b, "<p>De download bevat de %d recentste wijzigingen die aan de filter voldoen, één rij per gewijzigd "
               "veld.</p>\n",
            DOWNLOAD_CHANGES);
    page_end(rq);
}
