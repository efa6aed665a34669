/* page_meetings.c: the meetings of governance bodies and whether the bodies
 * meet as often as their agreement says (issue 5).
 *
 *   GET  /agreements/{id}/meetings/new[?body=UID]  the form for a new meeting
 *   POST /agreements/{id}/meetings                 adds it
 *   GET  /agreements/{id}/meetings/{mid}/edit      the form for a meeting
 *   POST /agreements/{id}/meetings/{mid}           saves a correction
 *   POST /agreements/{id}/meetings/{mid}/cancel    cancels it
 *   GET  /governance                               compliance across agreements (filters, CSV, XLSX)
 *   GET  /agreements/{id}/meetings.ics             iCalendar feeds: of one agreement,
 *   GET  /organisations/{id}/meetings.ics          of the agreements an organisation is a party to,
 *   GET  /municipalities/{nis}/meetings.ics        of the agreements a municipality is a party to
 *
 * and page_meetings_section(), the meetings and compliance per body on the
 * agreement page. The dispatcher has checked the permission of the forms
 * (ACT_EDIT_GOVERNANCE on the agreement) and loaded rq->subject. A meeting
 * form carries the version (vid) of the meeting it was opened on: a save
 * over a newer version is refused with what changed in between, and the
 * input stays on screen. Anonymous readers never see the names of
 * attendees (their functions stay), in HTML or in the feeds. The rule
 * itself is rules_compliance() (docs/compliance.md). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "form.h"
#include "formrows.h"
#include "formui.h"
#include "ics.h"
#include "layout.h"
#include "pager.h"
#include "pages.h"
#include "register_all.h"
#include "report.h"
#include "rules_compliance.h"
#include "store_evaluations.h"

enum { DECISIONS_MAX = LIMIT_NOTE, URL_MAX = LIMIT_URL, TEXT_MAX = LIMIT_NAME, BLANK_GUESTS = 2 }; /* input.h */

/* ---- shared pieces ------------------------------------------------------------ */


static const char *meeting_url(request *rq, const char *id, int64_t mid, const char *suffix)
{
    return rows_agreement_url(rq, id, arena_printf(rq->arena, "/meetings/%lld%s", (long long)mid, suffix));
}

static const governance_body *body_of(const agreement *ag, int64_t uid)
{
    for (size_t b = 0; b < ag->body_count; b++)
        if (ag->bodies[b].uid == uid)
            return &ag->bodies[b];
    return NULL;
}

static bool parse_id(const char *s, int64_t *out)
{
    if (!s || !isdigit((unsigned char)*s) || strlen(s) > 15)
        return false;
    char *end;
    long long n = strtoll(s, &end, 10);
    *out = n;
    return !*end && n > 0;
}

/* input.h's rule for the kind of text (the importer's, so that what is
 * saved here is exported and imported again): NULL when s keeps it. */
static const char *text_rule_broken(request *rq, const char *s, text_kind kind)
{
    if (!s)
        return NULL;
    text_verdict v = text_check(s, strlen(s), kind);
    return v.fault == TEXT_OK ? NULL : text_explain(rq->arena, &v, kind, true);
}

/* An attendee's name, function and organisation are names (input.h): the
 * first fault, with the field it is in, or NULL. */
static const char *attendee_fault(request *rq, const meeting_attendee *x)
{
    const char *why;
    if ((why = text_rule_broken(rq, x->name, TEXT_NAME)))
        return arena_printf(rq->arena, "de naam %s", why);
    if ((why = text_rule_broken(rq, x->function, TEXT_NAME)))
        return arena_printf(rq->arena, "de functie %s", why);
    if ((why = text_rule_broken(rq, x->organisation, TEXT_NAME)))
        return arena_printf(rq->arena, "de organisatie %s", why);
    return NULL;
}

/* Only web addresses: http or https, no spaces or control characters. */
static bool acceptable_url(const char *u)
{
    size_t n = strlen(u);
    if (n > URL_MAX)
        return false;
    size_t scheme = strncmp(u, "https://", 8) == 0 ? 8 : strncmp(u, "http://", 7) == 0 ? 7 : 0;
    if (!scheme || n == scheme || u[scheme] == '/')
        return false;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= 0x20 || *p == 0x7F || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return false;
    return true;
}

static const char *frequency(request *rq, const governance_body *g)
{
    if (g->min_meetings <= 0 || g->per_years <= 0)
        return "geen minimum vastgelegd";
    if (g->per_years == 1)
        return arena_printf(rq->arena, "minstens %d keer per jaar", g->min_meetings);
    return arena_printf(rq->arena, "minstens %d keer om de %d jaar", g->min_meetings, g->per_years);
}

/* The days an agreement is in force ([*from, *to], to DATE_NONE: open);
 * false when it never is (not signed, or no start). */
static bool days_in_force(const agreement *ag, date_t *from, date_t *to)
{
    if ((ag->status != STATUS_SIGNED && ag->status != STATUS_TERMINATED) || ag->start == DATE_NONE)
        return false;
    *from = ag->start;
    *to = ag->end;
    if (ag->terminated_on != DATE_NONE && (*to == DATE_NONE || ag->terminated_on - 1 < *to))
        *to = ag->terminated_on - 1;
    return *to == DATE_NONE || *to >= *from;
}

/* The held meetings of ms indexed by body (rules_compliance.h). */
static compliance_held *held_index(request *rq, const meeting *ms, size_t nm, size_t *n)
{
    compliance_held *h = arena_alloc(rq->arena, (nm + 1) * sizeof *h);
    *n = 0;
    for (size_t i = 0; i < nm; i++)
        if (ms[i].state == MEETING_HELD && ms[i].held_on != DATE_NONE)
            h[(*n)++] = (compliance_held){ms[i].body_uid, ms[i].held_on};
    compliance_held_sort(h, *n);
    return h;
}

/* The compliance periods of one body on day d, its held meetings found in
 * the index held; *n gets how many. */
static compliance_period *body_periods(request *rq, const agreement *ag, const governance_body *g,
                                       const compliance_held *held, size_t nheld, date_t d, size_t *n)
{
    *n = 0;
    date_t from, to;
    if (!days_in_force(ag, &from, &to))
        return NULL;
    size_t first, k = compliance_held_slice(held, nheld, g->uid, &first);
    const compliance_held *mine = k ? held + first : NULL;
    size_t total = rules_compliance_slice(from, to, g->min_meetings, g->per_years, mine, k, d, NULL, 0);
    compliance_period *p = arena_calloc(rq->arena, total + 1, sizeof *p);
    *n = rules_compliance_slice(from, to, g->min_meetings, g->per_years, mine, k, d, p, total);
    return p;
}

static void state_badge(request *rq, compliance_state s)
{
    buf_fmt(&rq->body, "<span class=\"compliance compliance-%a\">%h</span>", compliance_state_name(s),
            compliance_state_label_nl(s));
}

/* What a reader may see of an attendee: the name only when people may be
 * shown, the function and organisation always. */
static const char *attendee_text(request *rq, const meeting_attendee *x, bool people)
{
    const char *name = people ? x->name : NULL;
    const char *who = arena_printf(rq->arena, "%s%s%s", rows_text(name), name && x->function ? ", " : "", rows_text(x->function));
    if (!*who)
        who = "(naam niet getoond)";
    if (x->organisation)
        who = arena_printf(rq->arena, "%s (%s)", who, x->organisation);
    return x->guest ? arena_printf(rq->arena, "%s – gast", who) : who;
}

/* The attendees, separated by "; ", appended to b. */
static void attendees_to(buf *b, request *rq, const meeting *m, bool people)
{
    for (size_t i = 0; i < m->attendee_count; i++) {
        if (i)
            buf_puts(b, "; ");
        buf_puts(b, attendee_text(rq, &m->attendees[i], people));
    }
}

static const char *attendee_list(request *rq, const meeting *m, bool people)
{
    buf b = {0};
    attendees_to(&b, rq, m, people);
    const char *s = arena_strndup(rq->arena, b.data ? b.data : "", b.len);
    buf_free(&b);
    return s;
}

static bool is_web_link(const char *u) { return u && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0); }

/* ---- on the agreement page ---------------------------------------------------- */

static void periods_table(request *rq, const compliance_period *p, size_t n, const char *caption)
{
    buf *b = &rq->body;
    buf_fmt(b, "<div class=\"scroll\"><table class=\"list compliance\">\n<caption>%h</caption>\n<thead><tr>"
               "<th scope=\"col\">Periode</th><th scope=\"col\">Van kracht</th><th scope=\"col\" class=\"num\">Vereist"
               "</th><th scope=\"col\" class=\"num\">Gehouden</th><th scope=\"col\">Stand</th></tr></thead>\n<tbody>\n",
            caption);
    for (size_t i = 0; i < n; i++) {
        int y1, y2, m, d;
        date_to_ymd(p[i].period_from, &y1, &m, &d);
        date_to_ymd(p[i].period_to, &y2, &m, &d);
        buf_fmt(b, "<tr><th scope=\"row\">%h</th><td>%h – %h</td><td class=\"num\">%d</td><td class=\"num\">%d</td>"
                   "<td>",
                y1 == y2 ? arena_printf(rq->arena, "%d", y1) : arena_printf(rq->arena, "%d–%d", y1, y2),
                page_date(rq, p[i].from), page_date(rq, p[i].to), p[i].required, p[i].held);
        state_badge(rq, p[i].state);
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

static void meeting_rows(request *rq, const agreement *ag, const meeting *ms, size_t nm, int64_t body_uid,
                         const char *body_name, bool editable, bool people)
{
    buf *b = &rq->body;
    size_t shown = 0;
    for (size_t i = 0; i < nm; i++) {
        const meeting *m = &ms[i];
        if (m->body_uid != body_uid)
            continue;
        if (!shown++)
            buf_fmt(b, "<div class=\"scroll\"><table class=\"list meetings\">\n<caption>Vergaderingen%s%h</caption>\n"
                       "<thead><tr><th scope=\"col\">Datum</th><th scope=\"col\">Status</th><th scope=\"col\">"
                       "Besluiten</th><th scope=\"col\">Verslag</th><th scope=\"col\">Aanwezig</th>%s</tr></thead>\n"
                       "<tbody>\n",
                    body_name ? " van " : "", body_name, editable ? "<th scope=\"col\">Bewerken</th>" : "");
        buf_fmt(b, "<tr id=\"meeting-%lld\"><th scope=\"row\">%h</th><td><span class=\"meeting-state meeting-%a\">%h"
                   "</span></td><td class=\"notes\">%h</td><td>",
                (long long)m->mid, page_date(rq, m->held_on), meeting_state_name(m->state),
                meeting_state_label_nl(m->state), m->decisions ? m->decisions : "–");
        if (is_web_link(m->minutes_url))
            buf_fmt(b, "<a href=\"%a\" rel=\"noopener noreferrer\">verslag</a>", m->minutes_url);
        else
            buf_puts(b, "–");
        buf_fmt(b, "</td><td>%h</td>", m->attendee_count ? attendee_list(rq, m, people) : "–");
        if (editable) {
            buf_fmt(b, "<td><a href=\"%a\">wijzigen</a>", meeting_url(rq, ag->id, m->mid, "/edit"));
            if (m->state != MEETING_CANCELLED) {
                buf_fmt(b, " <form class=\"inline\" method=\"post\" action=\"%a\">",
                        meeting_url(rq, ag->id, m->mid, "/cancel"));
                page_csrf_field(rq);
                buf_fmt(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\"><button type=\"submit\" "
                           "class=\"link\">vergadering annuleren</button></form>",
                        (long long)m->vid);
            }
            buf_puts(b, "</td>");
        }
        buf_puts(b, "</tr>\n");
    }
    if (shown)
        buf_puts(b, "</tbody>\n</table></div>\n");
    else
        buf_puts(b, "<p>Er zijn geen vergaderingen geregistreerd.</p>\n");
}

void page_meetings_section(request *rq, const agreement *ag)
{
    buf *b = &rq->body;
    meeting *ms;
    size_t nm;
    if (store_get_meetings(rq->db, web_known(rq), ag->id, rq->arena, &ms, &nm))
        nm = 0;
    const char *at = web_param(rq, "as_known_at");
    bool editable = (!at || !*at) && auth_may(rq->who, ACT_EDIT_GOVERNANCE, ag, -1);
    bool people = page_shows_people(rq);
    date_t today = web_today();
    size_t nheld;
    const compliance_held *held = held_index(rq, ms, nm, &nheld);
    buf_fmt(b, "<section aria-labelledby=\"meetings-h\" id=\"meetings\"><h2 id=\"meetings-h\">Vergaderingen en "
               "opvolging</h2>\n<p>Of elk overlegorgaan zo vaak vergadert als de overeenkomst vraagt, op %h: per periode "
               "het vereiste aantal (pro rata voor een gedeeltelijk jaar, naar boven afgerond) en de gehouden "
               "vergaderingen; alleen gehouden vergaderingen tellen (<a href=\"/governance\">alle overeenkomsten</a>). "
               "Agenda: <a href=\"%a\">iCalendar</a>.</p>\n",
            page_date(rq, today), rows_agreement_url(rq, ag->id, "/meetings.ics"));
    for (size_t i = 0; i < ag->body_count; i++) {
        const governance_body *g = &ag->bodies[i];
        buf_fmt(b, "<h3 id=\"body-%lld\">%h</h3>\n<p>Vergadert %h.", (long long)g->uid, g->body, frequency(rq, g));
        size_t np;
        compliance_period *p = body_periods(rq, ag, g, held, nheld, today, &np);
        compliance_state overall;
        if (rules_compliance_overall(p, np, &overall)) {
            buf_puts(b, " Stand: ");
            state_badge(rq, overall);
            buf_puts(b, ".</p>\n");
            periods_table(rq, p, np, arena_printf(rq->arena, "Vergaderingen van %s per periode", rows_text(g->body)));
        } else {
            buf_puts(b, g->min_meetings > 0 && g->per_years > 0 ? " Nog geen periode om te toetsen.</p>\n" : "</p>\n");
        }
        meeting_rows(rq, ag, ms, nm, g->uid, g->body, editable, people);
        if (editable)
            buf_fmt(b, "<p class=\"edit-link\"><a href=\"%a?body=%lld\">Vergadering van %h toevoegen</a></p>\n",
                    rows_agreement_url(rq, ag->id, "/meetings/new"), (long long)g->uid, g->body);
    }
    /* meetings of bodies that are no longer part of the agreement (a
     * database from before issue 9): in no export until the body is back */
    store_orphan *gone = NULL;
    size_t ngone = 0;
    for (size_t i = 0; i < nm; i++) {
        if (body_of(ag, ms[i].body_uid))
            continue;
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            seen = seen || ms[k].body_uid == ms[i].body_uid;
        if (seen)
            continue;
        if (!gone && store_orphan_meetings(rq->db, web_known(rq), ag->id, rq->arena, &gone, &ngone))
            ngone = 0;
        const char *name = NULL;
        for (size_t k = 0; k < ngone && !name; k++)
            name = gone[k].uid == ms[i].body_uid ? gone[k].name : NULL;
        buf_puts(b, "<h3>Een vroeger overlegorgaan</h3>\n");
        if (name)
            buf_fmt(b, "<p class=\"hint\">Deze vergaderingen van %h staan in geen export, want de overeenkomst heeft "
                       "dit overlegorgaan niet meer. Voeg '%h' opnieuw toe als overlegorgaan en ze horen er weer "
                       "bij.</p>\n",
                    name, name);
        meeting_rows(rq, ag, ms, nm, ms[i].body_uid, NULL, editable, people);
    }
    if (!ag->body_count && !nm)
        buf_puts(b, "<p>Er zijn geen overlegorganen en geen vergaderingen geregistreerd.</p>\n");
    buf_puts(b, "</section>\n");
}

/* ---- the forms ---------------------------------------------------------------- */

typedef struct {
    const char *name, *function, *organisation;
    bool present;
} person_row;

typedef struct {
    const governance_body *body;
    const char *held_on, *state, *decisions, *minutes_url;
    person_row *members; /* the body's members, and former ones who attended */
    size_t member_count;
    person_row *guests;
    size_t guest_count;
} meeting_input;

typedef struct {
    somon1_problem *items;
    size_t count, cap;
} problems;

static void problem(request *rq, problems *o, const char *path, const char *message)
{
    o->items = arena_grow(rq->arena, o->items, &o->cap, o->count + 1, sizeof *o->items);
    o->items[o->count++] = (somon1_problem){path, message};
}

static const char *problem_at(const problems *o, const char *path)
{
    for (size_t i = 0; o && i < o->count; i++)
        if (strcmp(o->items[i].path, path) == 0)
            return o->items[i].message;
    return NULL;
}

static bool same_person(const char *a1, const char *b1, const char *c1, const char *a2, const char *b2,
                        const char *c2)
{
    return strcmp(rows_text(a1), rows_text(a2)) == 0 && strcmp(rows_text(b1), rows_text(b2)) == 0 && strcmp(rows_text(c1), rows_text(c2)) == 0;
}

/* The rows of a stored meeting (or a new one, m NULL) of body g. */
static meeting_input stored_rows(request *rq, const governance_body *g, const meeting *m)
{
    meeting_input r = {.body = g, .held_on = "", .state = "planned", .decisions = "", .minutes_url = ""};
    size_t na = m ? m->attendee_count : 0;
    r.members = arena_calloc(rq->arena, g->member_count + na + 1, sizeof *r.members);
    r.guests = arena_calloc(rq->arena, na + BLANK_GUESTS, sizeof *r.guests);
    for (size_t k = 0; k < g->member_count; k++)
        r.members[r.member_count++] =
            (person_row){rows_text(g->members[k].name), rows_text(g->members[k].function), rows_text(g->members[k].organisation), false};
    if (m) {
        r.held_on = form_date_text(rq, m->held_on);
        r.state = meeting_state_name(m->state);
        r.decisions = rows_text(m->decisions);
        r.minutes_url = rows_text(m->minutes_url);
        for (size_t i = 0; i < na; i++) {
            const meeting_attendee *x = &m->attendees[i];
            if (x->guest) {
                r.guests[r.guest_count++] = (person_row){rows_text(x->name), rows_text(x->function), rows_text(x->organisation), true};
                continue;
            }
            size_t k = 0;
            while (k < r.member_count && !same_person(r.members[k].name, r.members[k].function,
                                                      r.members[k].organisation, x->name, x->function, x->organisation))
                k++;
            if (k == r.member_count)
                r.members[r.member_count++] = (person_row){rows_text(x->name), rows_text(x->function), rows_text(x->organisation), true};
            r.members[k].present = true;
        }
    }
    for (int i = 0; i < BLANK_GUESTS; i++)
        r.guests[r.guest_count++] = (person_row){"", "", "", false};
    return r;
}

static const char *posted(request *rq, const char *name) { return form_value(rq, name, NULL); }

static size_t posted_count(request *rq, const char *list, const char *key)
{
    size_t n = 0;
    while (n < FORM_MAX_FIELDS && web_form(rq, arena_printf(rq->arena, "%s[%zu].%s", list, n, key)))
        n++;
    return n;
}

static person_row posted_person(request *rq, const char *list, size_t k)
{
    const char *p = arena_printf(rq->arena, "%s[%zu]", list, k);
    return (person_row){posted(rq, arena_printf(rq->arena, "%s.name", p)),
                        posted(rq, arena_printf(rq->arena, "%s.function", p)),
                        posted(rq, arena_printf(rq->arena, "%s.organisation", p)),
                        web_form(rq, arena_printf(rq->arena, "%s.present", p)) != NULL};
}

/* The rows as posted: exactly what the person sent, to show it again. */
static meeting_input posted_rows(request *rq, const governance_body *g)
{
    meeting_input r = {.body = g, .held_on = posted(rq, "held_on"), .state = posted(rq, "state"),
                        .decisions = posted(rq, "decisions"), .minutes_url = posted(rq, "minutes_url")};
    r.member_count = posted_count(rq, "attendees", "name");
    r.members = arena_calloc(rq->arena, r.member_count + 1, sizeof *r.members);
    for (size_t k = 0; k < r.member_count; k++)
        r.members[k] = posted_person(rq, "attendees", k);
    r.guest_count = posted_count(rq, "guests", "name");
    r.guests = arena_calloc(rq->arena, r.guest_count + 1, sizeof *r.guests);
    for (size_t k = 0; k < r.guest_count; k++)
        r.guests[k] = posted_person(rq, "guests", k);
    return r;
}

static void hidden(request *rq, const char *name, const char *value)
{
    buf_fmt(&rq->body, "<input type=\"hidden\" name=\"%a\" value=\"%a\">\n", name, value);
}

static void field_error(request *rq, const problems *o, const char *name, const char **error_id)
{
    const char *error = problem_at(o, name);
    *error_id = NULL;
    if (error) {
        *error_id = arena_printf(rq->arena, "%s-error", form_field_id(rq, name));
        buf_fmt(&rq->body, "<span class=\"error\" id=\"%a\">%h</span>", *error_id, error);
    }
}

static void input(request *rq, const problems *o, const char *name, const char *label, const char *value,
                  const char *type, bool required)
{
    const char *id = form_field_id(rq, name), *error_id;
    buf_fmt(&rq->body, "<p class=\"field%s\"><label for=\"%a\">%h%s</label>", problem_at(o, name) ? " invalid" : "",
            id, label, required ? " <span class=\"required\">(verplicht)</span>" : "");
    field_error(rq, o, name, &error_id);
    buf_fmt(&rq->body, "<input type=\"%a\" id=\"%a\" name=\"%a\" value=\"%a\"", type, id, name, value);
    if (error_id)
        buf_fmt(&rq->body, " aria-invalid=\"true\" aria-describedby=\"%a\"", error_id);
    buf_puts(&rq->body, "></p>\n");
}

static void member_fields(request *rq, const person_row *m, size_t k)
{
    const char *p = arena_printf(rq->arena, "attendees[%zu]", k);
    const char *name = arena_printf(rq->arena, "%s.present", p), *id = form_field_id(rq, name);
    hidden(rq, arena_printf(rq->arena, "%s.name", p), m->name);
    hidden(rq, arena_printf(rq->arena, "%s.function", p), m->function);
    hidden(rq, arena_printf(rq->arena, "%s.organisation", p), m->organisation);
    const char *who = arena_printf(rq->arena, "%s%s%s%s%s%s", m->name, *m->name && *m->function ? ", " : "",
                                   m->function, *m->organisation ? " (" : "", m->organisation,
                                   *m->organisation ? ")" : "");
    buf_fmt(&rq->body, "<p class=\"field check\"><input type=\"checkbox\" id=\"%a\" name=\"%a\" value=\"1\"%s> "
                       "<label for=\"%a\">%h</label></p>\n",
            id, name, m->present ? " checked" : "", id, *who ? who : "(lid zonder naam of functie)");
}

static void guest_fields(request *rq, const problems *o, const person_row *g, size_t k)
{
    const char *p = arena_printf(rq->arena, "guests[%zu]", k);
    buf_fmt(&rq->body, "<fieldset class=\"member\"><legend>Gast %zu <span class=\"hint\">(laat leeg om geen gast toe "
                       "te voegen; maak leeg om te verwijderen)</span></legend>\n",
            k + 1);
    input(rq, o, arena_printf(rq->arena, "%s.name", p), "Naam", g->name, "text", false);
    input(rq, o, arena_printf(rq->arena, "%s.function", p), "Functie", g->function, "text", false);
    input(rq, o, arena_printf(rq->arena, "%s.organisation", p), "Organisatie", g->organisation, "text", false);
    buf_puts(&rq->body, "</fieldset>\n");
}

static const char *const FIELD_LABELS[][2] = {{"body_uid", "Overlegorgaan"}, {"held_on", "Datum"},
                                              {"state", "Status"},           {"decisions", "Besluiten"},
                                              {"minutes_url", "Verslag (link)"}};

static const char *field_label(request *rq, const char *path)
{
    for (size_t i = 0; i < sizeof FIELD_LABELS / sizeof *FIELD_LABELS; i++)
        if (strcmp(FIELD_LABELS[i][0], path) == 0)
            return FIELD_LABELS[i][1];
    size_t k;
    if (sscanf(path, "guests[%zu]", &k) == 1)
        return arena_printf(rq->arena, "Gast %zu", k + 1);
    return path;
}

/* What changed in between, for a refused (stale) save. */
typedef struct {
    const meeting *current;
    const char **field, **old_value, **new_value;
    size_t count;
} stale_info;

static void meeting_form(request *rq, const agreement *ag, const meeting_input *r, const char *target,
                         int64_t version, const problems *o, const stale_info *stale)
{
    buf *b = &rq->body;
    const char *title = *target && strstr(target, "/meetings/") ? "Vergadering wijzigen" : "Nieuwe vergadering";
    page_begin(rq, arena_printf(rq->arena, "%s: %s", title, ag->title), NAV_AGREEMENTS);
    buf_fmt(b, "<p class=\"crumbs\"><a href=\"%a\">%h</a></p>\n<h1>%h</h1>\n<p>Overlegorgaan: <strong>%h</strong> "
               "(vergadert %h). Kies wie aanwezig was uit de leden; voeg anderen toe als gast.</p>\n",
            rows_agreement_url(rq, ag->id, "#meetings"), ag->title, title, r->body->body, frequency(rq, r->body));
    if (!strstr(target, "/meetings/") && ag->body_count > 1) {
        buf_fmt(b, "<form class=\"filters\" method=\"get\" action=\"%a\"><p><label for=\"body\">Ander overlegorgaan"
                   "</label> <select id=\"body\" name=\"body\">",
                rows_agreement_url(rq, ag->id, "/meetings/new"));
        for (size_t i = 0; i < ag->body_count; i++)
            buf_fmt(b, "<option value=\"%lld\"%s>%h</option>", (long long)ag->bodies[i].uid,
                    &ag->bodies[i] == r->body ? " selected" : "", ag->bodies[i].body);
        buf_puts(b, "</select> <button type=\"submit\">Kiezen</button></p></form>\n");
    }
    if (stale) {
        buf_fmt(b, "<div class=\"problems\" role=\"alert\"><p>Er is niets bewaard: %h%s%h wijzigde deze vergadering "
                   "nadat u het formulier opende. Wat er intussen veranderde:</p><ul>\n",
                rows_text(stale->current->actor), stale->current->moment ? " op " : "",
                stale->current->moment ? page_moment(rq, stale->current->moment) : "");
        for (size_t i = 0; i < stale->count; i++)
            buf_fmt(b, "<li>%h: <del>%h</del> → <ins>%h</ins></li>\n", stale->field[i], stale->old_value[i],
                    stale->new_value[i]);
        buf_fmt(b, "</ul><p>Uw invoer staat hieronder nog. <a href=\"%a\">Open het formulier opnieuw</a> om op de "
                   "nieuwe versie verder te werken.</p></div>\n",
                meeting_url(rq, ag->id, stale->current->mid, "/edit"));
    } else if (o && o->count) {
        buf_puts(b, "<div class=\"problems\" role=\"alert\"><p>Er is niets bewaard. Verbeter eerst:</p><ul>\n");
        for (size_t i = 0; i < o->count; i++)
            buf_fmt(b, "<li><a href=\"#%a\">%h</a>: %h</li>\n", form_field_id(rq, o->items[i].path),
                    field_label(rq, o->items[i].path), o->items[i].message);
        buf_puts(b, "</ul></div>\n");
    }
    form_begin(rq, target, version);
    hidden(rq, "body_uid", arena_printf(rq->arena, "%lld", (long long)r->body->uid));
    if (problem_at(o, "body_uid"))
        buf_fmt(b, "<p class=\"error\" id=\"%a\">%h</p>\n", form_field_id(rq, "body_uid"), problem_at(o, "body_uid"));
    input(rq, o, "held_on", "Datum", r->held_on, "date", true);
    const char *id = form_field_id(rq, "state"), *error_id;
    buf_fmt(b, "<p class=\"field%s\"><label for=\"%a\">Status</label>", problem_at(o, "state") ? " invalid" : "", id);
    field_error(rq, o, "state", &error_id);
    buf_fmt(b, "<select id=\"%a\" name=\"state\"", id);
    if (error_id)
        buf_fmt(b, " aria-invalid=\"true\" aria-describedby=\"%a\"", error_id);
    buf_puts(b, ">");
    for (int s = 0; s < MEETING_STATE_COUNT; s++)
        buf_fmt(b, "<option value=\"%a\"%s>%h</option>", meeting_state_name((meeting_state)s),
                strcmp(r->state, meeting_state_name((meeting_state)s)) == 0 ? " selected" : "",
                meeting_state_label_nl((meeting_state)s));
    buf_puts(b, "</select></p>\n");
    id = form_field_id(rq, "decisions");
    buf_fmt(b, "<p class=\"field%s\"><label for=\"%a\">Besluiten</label>", problem_at(o, "decisions") ? " invalid" : "",
            id);
    field_error(rq, o, "decisions", &error_id);
    buf_fmt(b, "<textarea id=\"%a\" name=\"decisions\" rows=\"6\"", id);
    if (error_id)
        buf_fmt(b, " aria-invalid=\"true\" aria-describedby=\"%a\"", error_id);
    buf_fmt(b, ">%h</textarea></p>\n", r->decisions);
    input(rq, o, "minutes_url", "Verslag (link, http of https)", r->minutes_url, "url", false);
    buf_puts(b, "<fieldset class=\"attendees\"><legend>Aanwezige leden</legend>\n");
    if (!r->member_count)
        buf_puts(b, "<p>Dit overlegorgaan heeft geen leden geregistreerd.</p>\n");
    for (size_t k = 0; k < r->member_count; k++)
        member_fields(rq, &r->members[k], k);
    buf_puts(b, "</fieldset>\n");
    for (size_t k = 0; k < r->guest_count; k++)
        guest_fields(rq, o, &r->guests[k], k);
    form_end(rq, "Vergadering bewaren", rows_agreement_url(rq, ag->id, "#meetings"));
    page_end(rq);
}

/* Reads and checks the posted meeting into m; problems go to o. */
static void read_meeting(request *rq, const agreement *ag, meeting *m, problems *o)
{
    int64_t uid = 0;
    if (!parse_id(web_form(rq, "body_uid"), &uid) || !body_of(ag, uid))
        problem(rq, o, "body_uid", "dit overlegorgaan hoort (niet meer) bij deze overeenkomst; open het formulier "
                                   "opnieuw");
    m->body_uid = uid;
    m->agreement = ag->id;
    const char *day = form_read_text(rq, "held_on");
    if (!day)
        problem(rq, o, "held_on", "geef de datum van de vergadering");
    else if (!date_parse_iso(day, &m->held_on))
        problem(rq, o, "held_on", arena_printf(rq->arena, "'%s' is geen datum; geef JJJJ-MM-DD, bv. 2023-06-15",
                                               arena_clip(rq->arena, day, 20)));
    else if (!date_in_limits(m->held_on))
        problem(rq, o, "held_on", arena_printf(rq->arena, "%s ligt buiten het bereik; geef een datum van %d tot %d", day,
                                               LIMIT_YEAR_FIRST, LIMIT_YEAR_LAST));
    if (!meeting_state_parse(web_form(rq, "state"), &m->state))
        problem(rq, o, "state", "kies gepland, gehouden of geannuleerd");
    else if (m->state == MEETING_HELD && m->held_on != DATE_NONE && m->held_on > web_today())
        problem(rq, o, "state", "een vergadering in de toekomst is nog niet gehouden; kies gepland");
    m->decisions = (char *)form_read_text(rq, "decisions");
    if (text_rule_broken(rq, m->decisions, TEXT_NOTE))
        problem(rq, o, "decisions", arena_printf(rq->arena, "de besluiten %s; verwijs naar het verslag",
                                                 text_rule_broken(rq, m->decisions, TEXT_NOTE)));
    m->minutes_url = (char *)form_read_text(rq, "minutes_url");
    if (m->minutes_url && !acceptable_url(m->minutes_url))
        problem(rq, o, "minutes_url", "geef een webadres dat begint met https:// of http:// (zonder spaties)");
    size_t nm = posted_count(rq, "attendees", "name"), ng = posted_count(rq, "guests", "name");
    m->attendees = arena_calloc(rq->arena, nm + ng + 1, sizeof *m->attendees);
    m->attendee_count = 0;
    for (size_t k = 0; k < nm; k++) {
        person_row p = posted_person(rq, "attendees", k);
        if (!p.present)
            continue;
        const char *base = arena_printf(rq->arena, "attendees[%zu]", k);
        const char *name_field = arena_printf(rq->arena, "%s.name", base), *why;
        meeting_attendee x = {(char *)form_read_text(rq, name_field),
                              (char *)form_read_text(rq, arena_printf(rq->arena, "%s.function", base)),
                              (char *)form_read_text(rq, arena_printf(rq->arena, "%s.organisation", base)), false};
        /* the form copies them from the body's members; a hand-made post must keep the same rules */
        if (!x.name && !x.function)
            problem(rq, o, name_field, "geef een naam of een functie (of beide)");
        else if ((why = attendee_fault(rq, &x)))
            problem(rq, o, name_field, why);
        m->attendees[m->attendee_count++] = x;
    }
    for (size_t k = 0; k < ng; k++) {
        const char *base = arena_printf(rq->arena, "guests[%zu]", k);
        const char *name_field = arena_printf(rq->arena, "%s.name", base);
        meeting_attendee x = {(char *)form_read_text(rq, name_field),
                              (char *)form_read_text(rq, arena_printf(rq->arena, "%s.function", base)),
                              (char *)form_read_text(rq, arena_printf(rq->arena, "%s.organisation", base)), true};
        if (!x.name && !x.function && !x.organisation)
            continue;
        const char *why;
        if (!x.name && !x.function)
            problem(rq, o, name_field, "geef een naam of een functie (of beide)");
        else if ((why = attendee_fault(rq, &x)))
            problem(rq, o, name_field, why);
        m->attendees[m->attendee_count++] = x;
    }
}

/* The meeting named by the route, of the agreement of the route; NULL after
 * answering 404/503. */
static meeting *route_meeting(request *rq)
{
    int64_t mid;
    meeting *m = arena_calloc(rq->arena, 1, sizeof *m);
    int found = parse_id(web_route_param(rq, "n"), &mid) ? store_get_meeting(rq->db, STORE_NOW, mid, rq->arena, m) : 0;
    if (found < 0) {
        web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden.");
        return NULL;
    }
    if (!found || strcmp(m->agreement, rq->subject->id) != 0) {
        web_error(rq, 404, "not_found", "Deze overeenkomst heeft geen vergadering met dit nummer.");
        return NULL;
    }
    return m;
}

static bool same_meeting(const meeting *a, const meeting *b)
{
    if (a->body_uid != b->body_uid || a->held_on != b->held_on || a->state != b->state ||
        strcmp(rows_text(a->decisions), rows_text(b->decisions)) != 0 || strcmp(rows_text(a->minutes_url), rows_text(b->minutes_url)) != 0 ||
        a->attendee_count != b->attendee_count)
        return false;
    for (size_t i = 0; i < a->attendee_count; i++) {
        const meeting_attendee *x = &a->attendees[i], *y = &b->attendees[i];
        if (x->guest != y->guest || !same_person(x->name, x->function, x->organisation, y->name, y->function,
                                                 y->organisation))
            return false;
    }
    return true;
}

/* Writes m as one change by the signed-in person. When expect_vid is not 0
 * the current version must still be that one, and the person must still
 * edit the governance of the agreement: both are decided inside the write
 * transaction, so of two saves of one version exactly one is written.
 * Returns 0, EDIT_STALE, 403 or EDIT_FAILED (nothing written). */
static int save(request *rq, meeting *m, int64_t expect_vid)
{
    int64_t change;
    if (store_begin(rq->db, rq->who->login, "edit", arena_printf(rq->arena, "vergadering %s", m->agreement), &change))
        return EDIT_FAILED;
    meeting now;
    int refused = !edit_still_permitted(rq, ACT_EDIT_GOVERNANCE) ? 403
                  : expect_vid && (store_get_meeting(rq->db, STORE_NOW, m->mid, rq->arena, &now) != 1 ||
                                   now.vid != expect_vid)
                      ? EDIT_STALE
                      : 0;
    if (refused || store_put_meeting(rq->db, change, m) || store_commit(rq->db)) {
        store_rollback(rq->db);
        return refused ? refused : EDIT_FAILED;
    }
    return 0;
}

static void failed(request *rq, int code)
{
    if (code == 403)
        web_error(rq, 403, "forbidden", "Uw account mag de vergaderingen van deze overeenkomst niet (meer) bijhouden; "
                                        "er is niets gewijzigd.");
    else
        web_error(rq, 503, "unavailable", "Er is niets bewaard: het register kon niet geschreven worden. Probeer het "
                                          "opnieuw.");
}

static void add_difference(request *rq, stale_info *s, const char *field, const char *old_value, const char *new_value)
{
    if (strcmp(old_value, new_value) == 0)
        return;
    size_t n = s->count + 1;
    const char **f = arena_calloc(rq->arena, n, sizeof *f), **o = arena_calloc(rq->arena, n, sizeof *o),
               **v = arena_calloc(rq->arena, n, sizeof *v);
    for (size_t i = 0; i < s->count; i++)
        f[i] = s->field[i], o[i] = s->old_value[i], v[i] = s->new_value[i];
    f[s->count] = field, o[s->count] = old_value, v[s->count] = new_value;
    s->field = f, s->old_value = o, s->new_value = v;
    s->count = n;
}

/* The differences between the version a form was opened on and now. */
static stale_info stale_between(request *rq, int64_t from_vid, const meeting *current)
{
    stale_info s = {current, NULL, NULL, NULL, 0};
    meeting old;
    if (store_get_meeting_version(rq->db, from_vid, rq->arena, &old) != 1 || old.mid != current->mid)
        return s;
    add_difference(rq, &s, "Datum", page_date(rq, old.held_on), page_date(rq, current->held_on));
    add_difference(rq, &s, "Status", meeting_state_label_nl(old.state), meeting_state_label_nl(current->state));
    add_difference(rq, &s, "Besluiten", rows_text(old.decisions), rows_text(current->decisions));
    add_difference(rq, &s, "Verslag", rows_text(old.minutes_url), rows_text(current->minutes_url));
    add_difference(rq, &s, "Aanwezig", attendee_list(rq, &old, true), attendee_list(rq, current, true));
    return s;
}

void page_meeting_new(request *rq)
{
    const agreement *ag = rq->subject;
    if (!ag->body_count) {
        page_begin(rq, arena_printf(rq->arena, "Nieuwe vergadering: %s", ag->title), NAV_AGREEMENTS);
        buf_fmt(&rq->body, "<p class=\"crumbs\"><a href=\"%a\">%h</a></p>\n<h1>Nieuwe vergadering</h1>\n<p>Deze "
                           "overeenkomst heeft nog geen overlegorganen. <a href=\"%a\">Voeg eerst een overlegorgaan "
                           "toe</a>.</p>\n",
                rows_agreement_url(rq, ag->id, ""), ag->title, rows_agreement_url(rq, ag->id, "/governance/edit"));
        page_end(rq);
        return;
    }
    const governance_body *g = &ag->bodies[0];
    const char *want = web_param(rq, "body");
    int64_t uid;
    if (want && *want) {
        if (!parse_id(want, &uid) || !(g = body_of(ag, uid))) {
            web_error(rq, 400, "bad_body", "De parameter body noemt geen overlegorgaan van deze overeenkomst.");
            return;
        }
    }
    meeting_input r = stored_rows(rq, g, NULL);
    meeting_form(rq, ag, &r, rows_agreement_url(rq, ag->id, "/meetings"), ag->version, NULL, NULL);
}

/* The form carries the agreement's version, but a new meeting does not
 * change the agreement: only its body is checked against the current
 * version (read_meeting), so that a meanwhile edited note does not refuse it. */
void page_meeting_create(request *rq)
{
    const agreement *ag = rq->subject;
    if (edit_form_version(rq) < 0)
        return;
    meeting m = {0};
    problems o = {0};
    read_meeting(rq, ag, &m, &o);
    if (o.count) {
        const governance_body *g = body_of(ag, m.body_uid);
        if (!g && !ag->body_count) {
            web_error(rq, 422, "invalid", "Deze overeenkomst heeft geen overlegorganen; er is niets bewaard.");
            return;
        }
        meeting_input r = posted_rows(rq, g ? g : &ag->bodies[0]);
        meeting_form(rq, ag, &r, rows_agreement_url(rq, ag->id, "/meetings"), ag->version, &o, NULL);
        rq->status = 422;
        return;
    }
    int code = save(rq, &m, 0);
    if (code) {
        failed(rq, code);
        return;
    }
    web_redirect(rq, arena_printf(rq->arena, "%s#meeting-%lld", rows_agreement_url(rq, ag->id, ""), (long long)m.mid));
}

void page_meeting_edit(request *rq)
{
    meeting *m = route_meeting(rq);
    if (!m)
        return;
    const governance_body *g = body_of(rq->subject, m->body_uid);
    if (!g) {
        web_error(rq, 409, "body_gone", "Het overlegorgaan van deze vergadering hoort niet meer bij de overeenkomst; "
                                        "de vergadering kan niet meer gewijzigd worden.");
        return;
    }
    meeting_input r = stored_rows(rq, g, m);
    meeting_form(rq, rq->subject, &r, meeting_url(rq, rq->subject->id, m->mid, ""), m->vid, NULL, NULL);
}

void page_meeting_update(request *rq)
{
    meeting *current = route_meeting(rq);
    if (!current)
        return;
    int64_t version = edit_form_version(rq);
    if (version < 0)
        return;
    const agreement *ag = rq->subject;
    const governance_body *g = body_of(ag, current->body_uid);
    meeting m = {0};
    problems o = {0};
    read_meeting(rq, ag, &m, &o);
    m.mid = current->mid;
    const char *target = meeting_url(rq, ag->id, current->mid, "");
    if (version != current->vid) {
        stale_info s = stale_between(rq, version, current);
        meeting_input r = posted_rows(rq, g ? g : body_of(ag, m.body_uid));
        if (!r.body) {
            web_error(rq, 409, "stale", "De vergadering werd intussen gewijzigd; er is niets bewaard.");
            return;
        }
        meeting_form(rq, ag, &r, target, version, NULL, &s);
        rq->status = 409;
        return;
    }
    if (!g || o.count) {
        meeting_input r = posted_rows(rq, g ? g : body_of(ag, m.body_uid));
        if (!r.body) {
            web_error(rq, 409, "body_gone", "Het overlegorgaan van deze vergadering hoort niet meer bij de "
                                            "overeenkomst; er is niets bewaard.");
            return;
        }
        meeting_form(rq, ag, &r, target, version, &o, NULL);
        rq->status = 422;
        return;
    }
    if (m.body_uid != current->body_uid) {
        problem(rq, &o, "body_uid", "een vergadering blijft bij haar overlegorgaan");
        meeting_input r = posted_rows(rq, g);
        meeting_form(rq, ag, &r, target, version, &o, NULL);
        rq->status = 422;
        return;
    }
    if (same_meeting(current, &m)) { /* nothing changed: no empty history entry */
        web_redirect(rq, arena_printf(rq->arena, "%s#meeting-%lld", rows_agreement_url(rq, ag->id, ""), (long long)m.mid));
        return;
    }
    int code = save(rq, &m, version);
    if (code) {
        meeting again;
        if (code == EDIT_STALE && store_get_meeting(rq->db, STORE_NOW, m.mid, rq->arena, &again) == 1) {
            stale_info s = stale_between(rq, version, &again);
            meeting_input r = posted_rows(rq, g);
            meeting_form(rq, ag, &r, target, version, NULL, &s);
            rq->status = 409;
            return;
        }
        failed(rq, code);
        return;
    }
    web_redirect(rq, arena_printf(rq->arena, "%s#meeting-%lld", rows_agreement_url(rq, ag->id, ""), (long long)m.mid));
}

void page_meeting_cancel(request *rq)
{
    meeting *current = route_meeting(rq);
    if (!current)
        return;
    int64_t version = edit_form_version(rq);
    if (version < 0)
        return;
    const char *back = arena_printf(rq->arena, "%s#meeting-%lld", rows_agreement_url(rq, rq->subject->id, ""),
                                    (long long)current->mid);
    if (version != current->vid) {
        web_error(rq, 409, "stale",
                  arena_printf(rq->arena, "Er is niets bewaard: %s wijzigde deze vergadering nadat u de pagina opende. "
                                          "Laad de pagina opnieuw en kijk of ze nog geannuleerd moet worden.",
                               rows_text(current->actor)));
        return;
    }
    if (current->state == MEETING_CANCELLED) {
        web_redirect(rq, back);
        return;
    }
    meeting m = *current;
    m.state = MEETING_CANCELLED;
    int code = save(rq, &m, version);
    if (code == EDIT_STALE)
        web_error(rq, 409, "stale", "Er is niets bewaard: de vergadering werd intussen gewijzigd. Laad de pagina "
                                    "opnieuw.");
    else if (code)
        failed(rq, code);
    if (code)
        return;
    web_redirect(rq, back);
}

/* ---- /governance: compliance across agreements --------------------------------------- */

static const char *const GOV_KEYS[] = {"agreement", "title", "vdab_directorate", "body", "min_meetings",
                                       "per_years", "period_from", "period_to", "in_force_from", "in_force_to",
                                       "required", "held", "state"};
static const char *const GOV_LABELS[] = {"Overeenkomst", "Titel", "VDAB-directie", "Overlegorgaan", "Minstens",
                                         "Per (jaar)", "Periode van", "Periode tot", "Van kracht van",
                                         "Van kracht tot", "Vereist", "Gehouden", "Stand"};
enum { GOV_COLUMNS = sizeof GOV_KEYS / sizeof *GOV_KEYS };

typedef struct {
    const char *agreement, *title, *body;
    int province, min, per;
    compliance_period p;
} gov_row;

static void governance_table(request *rq, const gov_row *rows, size_t n, table *t)
{
    table_init(t, rq->arena, "Vergaderingen van de overlegorganen per periode", GOV_KEYS, GOV_LABELS, GOV_COLUMNS);
    for (size_t i = 0; i < n; i++) {
        cell *c = table_row(t);
        c[0] = cell_text(rows[i].agreement);
        c[1] = cell_text(rows[i].title);
        c[2] = cell_text(province_name(rows[i].province));
        c[3] = cell_text(rows[i].body);
        c[4] = cell_int(rows[i].min);
        c[5] = cell_int(rows[i].per);
        c[6] = cell_date(rows[i].p.period_from);
        c[7] = cell_date(rows[i].p.period_to);
        c[8] = cell_date(rows[i].p.from);
        c[9] = cell_date(rows[i].p.to);
        c[10] = cell_int(rows[i].p.required);
        c[11] = cell_int(rows[i].p.held);
        c[12] = cell_text(compliance_state_label_nl(rows[i].p.state));
    }
}

/* The page: the filters, the counts, one page of rows. want -1: every state. */
static void governance_page(request *rq, const pager *pg, const gov_row *rows, date_t d, int province, int want,
                            size_t bodies, const size_t *counts)
{
    char iso[DATE_ISO_LEN];
    bool by_state = want >= 0;
    size_t n = pg->total;
    page_begin(rq, "Overlegorganen: vergaderen ze genoeg?", NAV_FOLLOWUP);
    buf *b = &rq->body;
    buf_fmt(b, "<h1>Overlegorganen: vergaderen ze genoeg?</h1>\n<p>Per overlegorgaan en per periode het aantal "
               "vergaderingen dat de overeenkomst vraagt en het aantal dat gehouden werd, op %h. Periodes tellen "
               "kalenderjaren vanaf het jaar waarin de overeenkomst begint; een gedeeltelijk jaar telt pro rata, naar "
               "boven afgerond. Alleen gehouden vergaderingen tellen. <em>Nog niet vervallen</em>: de periode loopt "
               "nog en het aantal kan nog gehaald worden.</p>\n",
            page_date(rq, d));
    buf_fmt(b, "<form class=\"filters\" method=\"get\" action=\"/governance\">\n<p><label for=\"date\">Op</label> "
               "<input type=\"date\" id=\"date\" name=\"date\" value=\"%a\">\n<label for=\"province\">Provincie</label> "
               "<select id=\"province\" name=\"province\"><option value=\"\">alle</option>",
            date_format_iso(d, iso));
    for (int p = 0; p < PROVINCE_COUNT; p++)
        buf_fmt(b, "<option%s>%h</option>", p == province ? " selected" : "", province_name(p));
    buf_puts(b, "</select>\n<label for=\"state\">Stand</label> <select id=\"state\" name=\"state\"><option "
                "value=\"\">alle</option>");
    for (int s = 0; s < COMPLIANCE_STATE_COUNT; s++)
        buf_fmt(b, "<option value=\"%a\"%s>%h</option>", compliance_state_name((compliance_state)s),
                by_state && want == s ? " selected" : "", compliance_state_label_nl((compliance_state)s));
    buf_puts(b, "</select>\n");
    page_hidden_known_at(rq);
    buf_puts(b, "<button type=\"submit\">Filter</button> <a href=\"/governance\">Alles tonen</a></p>\n</form>\n");
    buf_fmt(b, "<p role=\"status\">%zu overlegorga%s met een minimum; %zu periode%s in orde, %zu achter, %zu nog niet "
               "vervallen. %zu rij%s in totaal.</p>\n",
            bodies, bodies == 1 ? "an" : "nen", counts[COMPLIANCE_MET], counts[COMPLIANCE_MET] == 1 ? "" : "s",
            counts[COMPLIANCE_BEHIND], counts[COMPLIANCE_NOT_YET_DUE], n, n == 1 ? "" : "en");
    pager_status(rq, pg);
    const char *carry = page_carry_default(rq);
    buf_puts(b, "<div class=\"scroll\"><table class=\"list\">\n<caption>Vergaderingen per overlegorgaan en periode"
                "</caption>\n<thead><tr><th scope=\"col\">Overeenkomst</th><th scope=\"col\">VDAB-directie</th>"
                "<th scope=\"col\">Overlegorgaan</th><th scope=\"col\">Periode</th><th scope=\"col\" class=\"num\">"
                "Vereist</th><th scope=\"col\" class=\"num\">Gehouden</th><th scope=\"col\">Stand</th></tr></thead>\n"
                "<tbody>\n");
    for (size_t i = pg->first; i < pg->end; i++) {
        buf_fmt(b, "<tr><th scope=\"row\"><a href=\"/agreements/%U%s%a#meetings\">%h</a> <span class=\"id\">%h</span>"
                   "</th><td>%h</td><td>%h</td><td>%h – %h</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td>",
                rows[i].agreement, *carry ? "?" : "", carry, rows[i].title, rows[i].agreement,
                province_name(rows[i].province), rows[i].body, page_date(rq, rows[i].p.from),
                page_date(rq, rows[i].p.to), rows[i].p.required, rows[i].p.held);
        state_badge(rq, rows[i].p.state);
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
    pager_nav(rq, pg, "/governance");
    page_downloads(rq);
    page_end(rq);
}


void page_governance(request *rq)
{
    const char *state = web_param(rq, "state");
    int province;
    compliance_state want = COMPLIANCE_MET;
    bool by_state = state && *state;
    if (!web_province_param(rq, &province))
        return;
    if (by_state && !compliance_state_parse(state, &want)) {
        web_error(rq, 400, "bad_state", "De parameter state moet met, behind of not_yet_due zijn.");
        return;
    }
    date_t d = web_date_param(rq, "date", web_today());
    if (d == DATE_NONE)
        return;
    pager pg;
    if (!pager_read(rq, "page", &pg))
        return;
    const register_all *all = register_all_of(rq);
    if (!all)
        return;
    gov_row *rows = NULL;
    size_t n = 0, cap = 0, counts[COMPLIANCE_STATE_COUNT] = {0}, bodies = 0;
    for (size_t i = 0; i < all->agreement_count; i++) {
        const agreement *ag = &all->agreements[i];
        if (province >= 0 && ag->vdab_directorate != province)
            continue;
        for (size_t b = 0; b < ag->body_count; b++) {
            const governance_body *g = &ag->bodies[b];
            size_t np;
            /* body uids are unique: the register's index of held meetings will do */
            compliance_period *p = body_periods(rq, ag, g, all->held, all->held_count, d, &np);
            bodies += np > 0;
            for (size_t k = 0; k < np; k++) {
                counts[p[k].state]++;
                if (by_state && p[k].state != want)
                    continue;
                rows = arena_grow(rq->arena, rows, &cap, n + 1, sizeof *rows);
                rows[n++] = (gov_row){ag->id, ag->title, rows_text(g->body), ag->vdab_directorate, g->min_meetings,
                                      g->per_years, p[k]};
            }
        }
    }
    char iso[DATE_ISO_LEN];
    if (pager_download_asked(rq)) {
        table t;
        if (web_table_begin(rq, arena_printf(rq->arena, "overlegorganen-%s", date_format_iso(d, iso)))) {
            governance_table(rq, rows, n, &t); /* each row written as it is made */
            web_table_end(rq, &t);
        }
        return;
    }
    pager_fit(&pg, n);
    governance_page(rq, &pg, rows, d, province, by_state ? (int)want : -1, bodies, counts);
}

/* ---- iCalendar feeds ------------------------------------------------------------------ */

/* "2023-06-15T08:12:20.123456Z" → "20230615T081220Z". Moments and dates are
 * not printed: a feed writes two of each per event (VDAB's: 45,000 events),
 * where printf was a sixth of its time. */
static const char *ics_moment(request *rq, const char *iso)
{
    if (!iso || strlen(iso) < 19)
        return "19700101T000000Z";
    /* "YYYY-MM-DDTHH:MM:SS…" → "YYYYMMDDTHHMMSSZ" */
    static const unsigned char FROM[15] = {0, 1, 2, 3, 5, 6, 8, 9, 10, 11, 12, 14, 15, 17, 18};
    char *s = arena_alloc(rq->arena, 17);
    for (size_t i = 0; i < sizeof FROM; i++)
        s[i] = iso[FROM[i]];
    s[15] = 'Z';
    s[16] = '\0';
    return s;
}

static const char *ics_date(request *rq, date_t d)
{
    int y, m, day;
    date_to_ymd(d, &y, &m, &day);
    if (y < 0 || y > 9999)
        return arena_printf(rq->arena, "%04d%02d%02d", y, m, day);
    return date_format_basic(d, arena_alloc(rq->arena, DATE_BASIC_LEN));
}

static void ics_event(request *rq, buf *b, const agreement *ag, const meeting *m, bool people)
{
    static const char *const STATUS[MEETING_STATE_COUNT] = {"TENTATIVE", "CONFIRMED", "CANCELLED"};
    const governance_body *g = body_of(ag, m->body_uid);
    ics_line(b, "BEGIN", "VEVENT");
    ics_line(b, "UID", arena_printf(rq->arena, "somon-meeting-%lld", (long long)m->mid));
    const char *moment = ics_moment(rq, m->moment);
    ics_line(b, "DTSTAMP", moment);
    ics_line(b, "LAST-MODIFIED", moment);
    ics_line(b, "DTSTART;VALUE=DATE", ics_date(rq, m->held_on));
    ics_line(b, "DTEND;VALUE=DATE", ics_date(rq, m->held_on + 1));
    buf text = {0}; /* SUMMARY, then DESCRIPTION */
    buf_puts(&text, g ? rows_text(g->body) : "Overleg");
    buf_puts(&text, " – ");
    buf_puts(&text, rows_text(ag->title));
    ics_text(b, "SUMMARY", text.data);
    ics_line(b, "STATUS", STATUS[m->state < MEETING_STATE_COUNT ? m->state : 0]);
    ics_line(b, "TRANSP", "TRANSPARENT");
    text.len = 0;
    buf_puts(&text, "Overeenkomst: ");
    buf_puts(&text, rows_text(ag->title));
    buf_puts(&text, " (");
    buf_puts(&text, ag->id);
    buf_puts(&text, ")\nStatus: ");
    buf_puts(&text, meeting_state_label_nl(m->state));
    if (m->decisions) {
        buf_puts(&text, "\nBesluiten: ");
        buf_puts(&text, m->decisions);
    }
    if (m->attendee_count) {
        buf_puts(&text, "\nAanwezig: ");
        attendees_to(&text, rq, m, people);
    }
    ics_text(b, "DESCRIPTION", text.data);
    buf_free(&text);
    if (is_web_link(m->minutes_url) && acceptable_url(m->minutes_url))
        ics_line(b, "URL", m->minutes_url);
    ics_line(b, "END", "VEVENT");
}

typedef enum { FEED_AGREEMENT, FEED_ORGANISATION, FEED_MUNICIPALITY } feed_kind;

static bool party_of(const agreement *ag, feed_kind kind, const char *id)
{
    for (size_t i = 0; i < ag->party_count; i++) {
        const char *p = kind == FEED_ORGANISATION ? ag->parties[i].organisation : ag->parties[i].municipality;
        if (p && strcmp(p, id) == 0)
            return true;
    }
    return false;
}

static void calendar_begin(request *rq, const char *name)
{
    buf *b = &rq->body;
    ics_line(b, "BEGIN", "VCALENDAR");
    ics_line(b, "VERSION", "2.0");
    ics_line(b, "PRODID", "-//VDAB//somon//NL");
    ics_line(b, "CALSCALE", "GREGORIAN");
    ics_text(b, "X-WR-CALNAME", arena_printf(rq->arena, "Vergaderingen: %s", rows_text(name)));
    ics_notice(b, page_register_notice(rq));
}

static void feed(request *rq, feed_kind kind, const char *param)
{
    const char *id = web_route_param(rq, param);
    const register_view *v = web_view(rq);
    if (!v)
        return;
    int64_t known = web_known(rq);
    const char *name = id;
    if (kind == FEED_ORGANISATION) {
        organisation *orgs;
        size_t norg;
        if (store_get_organisations(rq->db, known, rq->arena, &orgs, &norg)) {
            web_error(rq, 503, "unavailable", "Het register kan nu niet gelezen worden.");
            return;
        }
        name = NULL;
        for (size_t i = 0; i < norg; i++)
            if (strcmp(orgs[i].id, id) == 0)
                name = orgs[i].name;
        if (!name) {
            web_error(rq, 404, "not_found", "Er is geen organisatie met deze id.");
            return;
        }
    } else if (kind == FEED_MUNICIPALITY) {
        int code = nis_code(id);
        if (code < 0 || !rules_code_exists(&v->map, code)) {
            web_error(rq, 404, "not_found", "Er is geen gemeente met deze NIS-code.");
            return;
        }
        name = v->municipalities[v->map.code_first[code] + v->map.code_count[code] - 1].name;
    }
    bool people = page_shows_people(rq);
    buf *b = &rq->body;
    if (kind == FEED_AGREEMENT) {
        agreement *ag = arena_calloc(rq->arena, 1, sizeof *ag);
        int found = store_get_agreement(rq->db, known, id, rq->arena, ag);
        meeting *ms = NULL;
        size_t nm = 0;
        if (found == 1 && store_get_meetings(rq->db, known, ag->id, rq->arena, &ms, &nm))
            found = -1;
        if (found != 1) {
            web_error(rq, found < 0 ? 503 : 404, found < 0 ? "unavailable" : "not_found",
                      found < 0 ? "Het register kan nu niet gelezen worden." : "Er is geen overeenkomst met deze id.");
            return;
        }
        calendar_begin(rq, ag->title);
        for (size_t i = 0; i < nm; i++)
            if (ms[i].held_on != DATE_NONE)
                ics_event(rq, b, ag, &ms[i], people);
    } else {
        /* every agreement it is a party to, from the register read once per version */
        const register_all *all = register_all_of(rq);
        if (!all)
            return;
        /* VDAB's feed has every meeting (20 MB on the large register): the body
         * goes to a file as it is written, and each event's strings to a
         * scratch arena renewed every SCRATCH_EVENTS events (issue 12) */
        web_heavy(rq);
        if (!web_body_file(rq)) {
            web_error(rq, 503, "unavailable", "De kalender kon niet gemaakt worden; probeer het opnieuw.");
            return;
        }
        enum { SCRATCH_EVENTS = 256 };
        arena *request_arena = rq->arena, *scratch = arena_new();
        size_t events = 0;
        calendar_begin(rq, name);
        for (size_t a = 0; a < all->agreement_count; a++) {
            const agreement *ag = &all->agreements[a];
            if (!party_of(ag, kind, id))
                continue;
            size_t nm;
            const size_t *ms = register_all_meetings_of(all, ag->id, &nm);
            for (size_t i = 0; i < nm; i++)
                if (all->meetings[ms[i]].held_on != DATE_NONE) {
                    if (++events % SCRATCH_EVENTS == 0) {
                        arena_free(scratch);
                        scratch = arena_new();
                    }
                    rq->arena = scratch; /* ics_event's strings live until the event is written */
                    ics_event(rq, b, ag, &all->meetings[ms[i]], people);
                    rq->arena = request_arena;
                }
        }
        arena_free(scratch);
    }
    ics_line(b, "END", "VCALENDAR");
    rq->status = 200;
    rq->content_type = "text/calendar; charset=utf-8";
}

void page_agreement_meetings_ics(request *rq) { feed(rq, FEED_AGREEMENT, "id"); }
void page_organisation_meetings_ics(request *rq) { feed(rq, FEED_ORGANISATION, "id"); }
void page_municipality_meetings_ics(request *rq) { feed(rq, FEED_MUNICIPALITY, "nis"); }
