/* page_parties.c: the forms that change many parties of an agreement in one
 * submission (issue 11): adding several parties at once (by name, by
 * province or by regiegebied on a day) and the approvals of all parties in
 * one table. Permissions are checked by the dispatcher (route.c) before
 * any of this runs; rq->subject is the agreement's current version. Every
 * save goes through edit_save() (the importer's checks, lifecycle, scope,
 * stale version, history): on any problem nothing is written. */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "formrows.h"
#include "formui.h"
#include "input.h"
#include "layout.h"
#include "pages.h"

static void problem(request *rq, edit_outcome *o, size_t *cap, const char *path, const char *message)
{
    o->problems = arena_grow(rq->arena, o->problems, cap, o->problem_count + 1, sizeof *o->problems);
    o->problems[o->problem_count++] = (somon1_problem){path, message};
}

static void back_to_agreement(request *rq, const char *id, const char *anchor)
{
    web_redirect(rq, arena_printf(rq->arena, "%s%s", rows_agreement_url(rq, id, ""), anchor));
}

/* rq->subject with the version the form was loaded from and its own copy
 * of the parties, with room for `more`. False after a 400 (no version). */
static bool agreement_to_change(request *rq, agreement *ag, size_t more)
{
    *ag = *rq->subject;
    if ((ag->version = edit_form_version(rq)) < 0)
        return false;
    ag->parties = arena_calloc(rq->arena, ag->party_count + more + 1, sizeof *ag->parties);
    if (ag->party_count)
        memcpy(ag->parties, rq->subject->parties, ag->party_count * sizeof *ag->parties);
    return true;
}

/* ---- several parties at once ----------------------------------------------------
 * The municipalities come from a pasted list of names (one a line, or
 * separated by , or ;), all those of a province, and the members of a
 * regiegebied, each on the first day of the new parties (their from, else
 * the agreement's start). Each gets the same from and until. A name that
 * names no municipality stops the whole save; a municipality that is a
 * party already is left out and said so. */

typedef struct {
    const char *typed;   /* as pasted, or NULL for one of a province or a regiegebied */
    const char *nis;     /* NULL when the name is a problem */
    const char *problem; /* why it is not added (a problem), or NULL */
    const char *note;    /* why it is left out (not a problem), or NULL */
} candidate;

typedef struct {
    candidate *items;
    size_t count, cap;
    date_t day, from, until;
    int province;
    const char *region;
} several;

static void add_candidate(request *rq, several *s, candidate c)
{
    for (size_t i = 0; c.nis && i < s->count; i++)
        if (s->items[i].nis && strcmp(s->items[i].nis, c.nis) == 0 && !s->items[i].note) {
            if (c.typed && !s->items[i].typed)
                s->items[i].typed = c.typed;
            return; /* named twice (pasted and in the province): once */
        }
    s->items = arena_grow(rq->arena, s->items, &s->cap, s->count + 1, sizeof *s->items);
    s->items[s->count++] = c;
}

/* Whether the municipality is a party of the agreement already (somon/1
 * lists each party once, whatever its days). */
static bool is_party(const agreement *ag, const char *nis)
{
    for (size_t i = 0; i < ag->party_count; i++)
        if (ag->parties[i].municipality && strcmp(ag->parties[i].municipality, nis) == 0)
            return true;
    return false;
}

static bool read_pasted(request *rq, several *s, edit_outcome *o, size_t *cap)
{
    const char *text = web_form(rq, "names");
    if (!text)
        return true;
    text_verdict tv = text_check(text, strlen(text), TEXT_NOTE);
    if (tv.fault != TEXT_OK) {
        problem(rq, o, cap, "names", text_explain(rq->arena, &tv, TEXT_NOTE, true));
        return false;
    }
    bool ok = true;
    size_t n = 0;
    for (const char *t = text; *t;) {
        size_t len = strcspn(t, ",;\r\n");
        const char *one = arena_strndup(rq->arena, t, len);
        t += len + (t[len] != '\0');
        while (*one == ' ' || *one == '\t')
            one++;
        size_t k = strlen(one);
        while (k && (one[k - 1] == ' ' || one[k - 1] == '\t'))
            k--;
        if (!k)
            continue;
        one = arena_strndup(rq->arena, one, k);
        if (++n > LIST_PARTIES) {
            problem(rq, o, cap, "names", arena_printf(rq->arena, "meer dan %d namen; geef er hoogstens %d",
                                                      LIST_PARTIES, LIST_PARTIES));
            return false;
        }
        candidate c = {one, NULL, NULL, NULL};
        tv = text_check(one, k, TEXT_NAME);
        if (tv.fault != TEXT_OK)
            c.problem = text_explain(rq->arena, &tv, TEXT_NAME, true);
        else
            c.nis = form_municipality(rq, one, s->day, &c.problem);
        ok = ok && c.nis;
        add_candidate(rq, s, c);
    }
    return ok;
}

/* The provinces and regiegebieden offered: those the person acts in. */
static bool may_use_province(request *rq, int province)
{
    return province >= 0 && auth_may(rq->who, ACT_EDIT_AGREEMENT, rq->subject, province);
}

static bool read_province(request *rq, several *s, edit_outcome *o, size_t *cap)
{
    const char *name = form_read_text(rq, "province");
    if (!name)
        return true;
    s->province = province_parse(name);
    if (!may_use_province(rq, s->province)) {
        problem(rq, o, cap, "province", "kies een provincie uit de lijst (die waarin uw account werkt)");
        return false;
    }
    const register_view *v = web_view(rq);
    for (size_t i = 0; v && i < v->map.count; i++) {
        const view_municipality *m = &v->municipalities[i];
        if (m->province == s->province && m->valid_from <= s->day &&
            (m->valid_to == DATE_NONE || s->day <= m->valid_to))
            add_candidate(rq, s, (candidate){NULL, m->nis, NULL, NULL});
    }
    return true;
}

static bool read_region(request *rq, several *s, edit_outcome *o, size_t *cap)
{
    const char *id = form_read_text(rq, "regiegebied");
    if (!id)
        return true;
    regiegebied *regions;
    size_t nr;
    if (store_get_regiegebieden(rq->db, STORE_NOW, rq->arena, &regions, &nr))
        nr = 0;
    for (size_t i = 0; i < nr; i++) {
        const regiegebied *g = &regions[i];
        if (strcmp(g->id, id) != 0)
            continue;
        if (!may_use_province(rq, g->province))
            break;
        s->region = g->name;
        size_t before = s->count;
        for (size_t k = 0; k < g->member_count; k++)
            if (region_member_on(g, &g->members[k], s->day))
                add_candidate(rq, s, (candidate){NULL, g->members[k].municipality, NULL, NULL});
        if (s->count == before) {
            problem(rq, o, cap, "regiegebied",
                    arena_printf(rq->arena, "%s heeft geen leden op %s; kies een andere dag 'vanaf' of een ander "
                                            "regiegebied",
                                 g->name, page_date(rq, s->day)));
            return false;
        }
        return true;
    }
    problem(rq, o, cap, "regiegebied", "kies een regiegebied uit de lijst (die van de provincies waarin u werkt)");
    return false;
}

/* Reads the form into s; false with problems in o (nothing may be written). */
static bool read_several(request *rq, several *s, edit_outcome *o)
{
    size_t cap = 0;
    bool ok = true;
    memset(s, 0, sizeof *s);
    s->province = -1;
    const char *dates[] = {"from", "until"};
    date_t *into[] = {&s->from, &s->until};
    for (size_t i = 0; i < 2; i++)
        if (!form_read_date(rq, dates[i], into[i])) {
            problem(rq, o, &cap, dates[i], "geen datum; kies een dag");
            ok = false;
        }
    party first = {.from = s->from, .expected_from = DATE_NONE};
    s->day = edit_party_day(rq->subject, &first);
    ok = read_pasted(rq, s, o, &cap) && ok;
    ok = read_province(rq, s, o, &cap) && ok;
    ok = read_region(rq, s, o, &cap) && ok;
    size_t adding = 0;
    for (size_t i = 0; i < s->count; i++) {
        candidate *c = &s->items[i];
        if (c->nis && is_party(rq->subject, c->nis))
            c->note = "is al partij: wordt niet opnieuw toegevoegd (wijzig haar data bij de partij)";
        adding += c->nis && !c->note;
    }
    bool bad_names = false;
    for (size_t i = 0; i < s->count; i++)
        bad_names = bad_names || s->items[i].problem;
    if (bad_names)
        problem(rq, o, &cap, "names", "niet elke naam is een gemeente: zie de tabel hieronder; er is niets toegevoegd");
    if (ok && !adding && !bad_names) {
        problem(rq, o, &cap, "names",
                s->count ? "elke genoemde gemeente is al partij; er is niets toe te voegen"
                         : "geef minstens één naam, een provincie of een regiegebied");
        ok = false;
    }
    return ok && !bad_names;
}

static void several_table(request *rq, const several *s, bool preview)
{
    buf *b = &rq->body;
    size_t adding = 0;
    for (size_t i = 0; i < s->count; i++)
        adding += s->items[i].nis && !s->items[i].note && !s->items[i].problem;
    buf_fmt(b, "<section aria-labelledby=\"preview-h\"><h2 id=\"preview-h\">%s</h2>\n",
            preview ? "Voorbeeld: er is nog niets bewaard" : "Wat er zou gebeuren");
    buf_fmt(b, "<p>%zu gemeente%s toe te voegen, als partij vanaf %h%s%h; namen gelezen op %h.</p>\n", adding,
            adding == 1 ? "" : "n", s->from != DATE_NONE ? page_date(rq, s->from) : "het begin van de overeenkomst",
            s->until != DATE_NONE ? " tot en met " : "", s->until != DATE_NONE ? page_date(rq, s->until) : "",
            page_date(rq, s->day));
    buf_puts(b, "<div class=\"scroll\"><table class=\"list several\">\n<caption>Gemeenten per naam, provincie of "
                "regiegebied</caption>\n<thead><tr><th scope=\"col\">Ingegeven</th><th scope=\"col\">Gemeente</th>"
                "<th scope=\"col\">NIS-code</th><th scope=\"col\">Wat er gebeurt</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < s->count; i++) {
        const candidate *c = &s->items[i];
        const char *what = c->problem ? c->problem : c->note ? c->note : "wordt toegevoegd";
        buf_fmt(b, "<tr%s><td>%h</td><td>%h</td><td>%h</td><td>%s%h%s</td></tr>\n",
                c->problem ? " class=\"invalid\"" : "",
                c->typed ? c->typed : s->region ? arena_printf(rq->arena, "(regiegebied %s)", s->region)
                                                : arena_printf(rq->arena, "(provincie %s)", province_name(s->province)),
                c->nis ? form_municipality_name(rq, c->nis) : "–", c->nis ? c->nis : "–",
                c->problem ? "<span class=\"error\">" : "", what, c->problem ? "</span>" : "");
    }
    buf_puts(b, "</tbody>\n</table></div>\n</section>\n");
}

static void several_form(request *rq, int64_t version, const several *s, bool preview, const edit_outcome *o,
                         int code)
{
    const agreement *ag = rq->subject;
    rows_form_heading(rq, ag, "Meerdere partijen toevoegen",
                      "Voeg in één keer gemeenten toe: bij naam (plak een lijst), alle gemeenten van een provincie, of "
                      "de leden van een regiegebied. Ze krijgen dezelfde data 'vanaf' en 'tot'; wie al partij is, "
                      "wordt overgeslagen. Bij een naam die geen gemeente is, wordt niets toegevoegd.");
    form_outcome(rq, o, code);
    if (s && s->count)
        several_table(rq, s, preview);
    form_begin(rq, rows_agreement_url(rq, ag->id, "/parties/add"), version);
    buf *b = &rq->body;
    form_municipality_list(rq, "municipality-names", edit_agreement_day(ag), ag->end);
    form_textarea(rq, o, "names", "Gemeenten bij naam", form_value(rq, "names", NULL),
                  "Eén per regel, of gescheiden door , of ; — de naam zoals op de eerste dag van de partij (Hasselt "
                  "vóór 2025 is 71022, vanaf 2025 71072), of de NIS-code.");
    /* shown by somon.js, which adds the picked name to the list above */
    buf_puts(b, "<p class=\"field\" hidden><label for=\"f-one-name\">Zoek een naam en voeg ze toe aan de lijst "
                "<span class=\"hint\">(Enter)</span></label><input id=\"f-one-name\" list=\"municipality-names\" "
                "autocomplete=\"off\" data-adds-to=\"f-names\"></p>\n");
    form_option *prov = arena_calloc(rq->arena, PROVINCE_COUNT + 1, sizeof *prov);
    size_t np = 0;
    prov[np++] = (form_option){"", "–"};
    for (int p = 0; p < PROVINCE_COUNT; p++)
        if (may_use_province(rq, p))
            prov[np++] = (form_option){province_name(p), province_name(p)};
    form_select(rq, o, "province", "Alle gemeenten van de provincie", prov, np, form_value(rq, "province", ""));
    /* the view's regiegebieden: the store's would read every member too */
    const register_view *v = web_view(rq);
    size_t nr = v ? v->region_count : 0;
    form_option *reg = arena_calloc(rq->arena, nr + 1, sizeof *reg);
    size_t ng = 0;
    reg[ng++] = (form_option){"", "–"};
    for (size_t i = 0; i < nr; i++)
        if (may_use_province(rq, v->rules_regions[i].province))
            reg[ng++] = (form_option){v->regions[i].id, arena_printf(rq->arena, "%s (%s)", v->regions[i].name,
                                                                     province_name(v->rules_regions[i].province))};
    form_select(rq, o, "regiegebied", "De leden van het regiegebied (op de eerste dag)", reg, ng,
                form_value(rq, "regiegebied", ""));
    form_date(rq, o, "from", "Vanaf (leeg: vanaf het begin van de overeenkomst)", form_value(rq, "from", ""));
    form_date(rq, o, "until", "Tot en met (leeg: tot het einde van de overeenkomst)", form_value(rq, "until", ""));
    buf_fmt(b, "<p class=\"actions\"><button type=\"submit\" name=\"preview\" value=\"1\">Eerst bekijken</button> "
               "<button type=\"submit\">Partijen toevoegen</button> <a href=\"%a\">Annuleren</a></p>\n</form>\n",
            rows_agreement_url(rq, ag->id, ""));
    page_end(rq);
}

void page_parties_add(request *rq) { several_form(rq, rq->subject->version, NULL, false, NULL, 0); }

/* The problems of edit_save() on the new parties (paths parties[k] with k
 * from `first`): a date's beside the shared date field, the others beside
 * the row of the table and in the list at the top. */
static void place_problems(request *rq, edit_outcome *o, several *s, size_t first)
{
    for (size_t i = 0; i < o->problem_count; i++) {
        const char *path = o->problems[i].path;
        char *end;
        if (strncmp(path, "parties[", 8) != 0)
            continue;
        unsigned long k = strtoul(path + 8, &end, 10);
        if (*end != ']' || k < first)
            continue;
        const char *rest = end[1] == '.' ? end + 2 : "";
        size_t row = 0, seen = 0;
        for (; row < s->count; row++)
            if (s->items[row].nis && !s->items[row].note && seen++ == k - first)
                break;
        if (strncmp(rest, "from", 4) == 0 || strncmp(rest, "until", 5) == 0) {
            o->problems[i].path = strncmp(rest, "from", 4) == 0 ? "from" : "until";
        } else if (row < s->count) {
            s->items[row].problem = o->problems[i].message;
            o->problems[i].path = "names";
            o->problems[i].message = arena_printf(rq->arena, "%s: %s", form_municipality_name(rq, s->items[row].nis),
                                                  o->problems[i].message);
        }
    }
}

void page_parties_add_save(request *rq)
{
    several s;
    edit_outcome o = {0};
    int code = EDIT_INVALID;
    bool preview = web_form(rq, "preview") != NULL;
    int64_t version = edit_form_version(rq);
    if (version < 0)
        return;
    if (read_several(rq, &s, &o) && !preview) {
        agreement ag;
        if (!agreement_to_change(rq, &ag, s.count))
            return;
        size_t first = ag.party_count;
        for (size_t i = 0; i < s.count; i++)
            if (s.items[i].nis && !s.items[i].note)
                ag.parties[ag.party_count++] = (party){.municipality = (char *)s.items[i].nis,
                                                       .approved_on = DATE_NONE,
                                                       .from = s.from,
                                                       .until = s.until,
                                                       .expected_from = DATE_NONE};
        code = edit_save(rq, &ag, ACT_EDIT_AGREEMENT,
                         arena_printf(rq->arena, "%zu partij%s toegevoegd", ag.party_count - first,
                                      ag.party_count - first == 1 ? "" : "en"),
                         &o);
        if (code == EDIT_SAVED) {
            back_to_agreement(rq, ag.id, "#parties-h");
            return;
        }
        if (code == EDIT_INVALID)
            place_problems(rq, &o, &s, first);
    } else if (preview && !o.problem_count) {
        code = 0;
    }
    several_form(rq, version, &s, preview && !o.problem_count, &o, code);
    rq->status = code ? code : 200;
}

/* ---- the approvals of all parties ----------------------------------------------
 * One row per party: the day its council (or board) approved, and the
 * decision that is the evidence (body, agenda point, link). The row edits
 * the party's approving decision of that day, or adds one; the party's
 * other decisions stay (they are changed in the party's own form). */

enum { APPROVAL_ROWS = 400 }; /* 4 fields a row: within FORM_MAX_FIELDS */

static const form_option BODIES[] = {{"", "– (geen besluit vermeld)"},
                                     {"gemeenteraad", "gemeenteraad"},
                                     {"ocmw_raad", "OCMW-raad"},
                                     {"raad_van_bestuur", "raad van bestuur"},
                                     {"other", "ander orgaan"}};

/* The decision that sets the party's approved_on (approving, on that day), or -1. */
static long approving_decision(const party *p)
{
    for (size_t k = p->decision_count; p->approved_on != DATE_NONE && k-- > 0;)
        if (p->decisions[k].approves && p->decisions[k].on == p->approved_on)
            return (long)k;
    return -1;
}

static bool is_vdab(const party *p) { return p->organisation && strcmp(p->organisation, "VDAB") == 0; }

static const char *party_label(request *rq, const party *p)
{
    return p->municipality ? form_municipality_name(rq, p->municipality) : p->organisation;
}

/* A cell's input, labelled by the party and the column for screen readers. */
static void cell_input(request *rq, const edit_outcome *o, const char *name, const char *type, const char *label,
                       const char *value)
{
    const char *id = form_field_id(rq, name), *error = o ? edit_problem_at(o, name) : NULL;
    buf *b = &rq->body;
    buf_fmt(b, "<td%s><label class=\"sr-only\" for=\"%a\">%h</label>", error ? " class=\"invalid\"" : "", id, label);
    if (error)
        buf_fmt(b, "<span class=\"error\" id=\"%a-error\">%h</span>", id, error);
    buf_fmt(b, "<input type=\"%a\" id=\"%a\" name=\"%a\" value=\"%a\"", type, id, name, value);
    if (error)
        buf_fmt(b, " aria-invalid=\"true\" aria-describedby=\"%a-error\"", id);
    buf_puts(b, "></td>");
}

static void cell_select(request *rq, const char *name, const char *label, const char *selected)
{
    const char *id = form_field_id(rq, name);
    buf *b = &rq->body;
    buf_fmt(b, "<td><label class=\"sr-only\" for=\"%a\">%h</label><select id=\"%a\" name=\"%a\">", id, label, id, name);
    for (size_t i = 0; i < sizeof BODIES / sizeof *BODIES; i++)
        buf_fmt(b, "<option value=\"%a\"%s>%h</option>", BODIES[i].value,
                selected && strcmp(selected, BODIES[i].value) == 0 ? " selected" : "", BODIES[i].label);
    buf_puts(b, "</select></td>");
}

static void approval_row(request *rq, const edit_outcome *o, const agreement *ag, size_t i)
{
    const party *p = &ag->parties[i];
    long k = approving_decision(p);
    const party_decision *x = k >= 0 ? &p->decisions[k] : NULL;
    const char *base = arena_printf(rq->arena, "parties[%zu]", i), *who = party_label(rq, p);
    const char *on = rows_field(rq, base, "approved_on"), *body = rows_field(rq, base, "evidence.body"),
               *point = rows_field(rq, base, "evidence.agenda_point"), *url = rows_field(rq, base, "evidence.url");
    const char *body_default = x ? x->body : p->approved_on != DATE_NONE ? "" : p->municipality ? "gemeenteraad"
                                                                                                 : "raad_van_bestuur";
    buf *b = &rq->body;
    buf_fmt(b, "<tr><th scope=\"row\">%h", who);
    if (p->until != DATE_NONE)
        buf_fmt(b, " <span class=\"hint\">(tot %h)</span>", page_date(rq, p->until));
    size_t others = p->decision_count - (x ? 1 : 0);
    if (others)
        buf_fmt(b, " <a class=\"hint\" href=\"%a\">%zu andere beslissing%s</a>",
                rows_agreement_url(rq, ag->id, arena_printf(rq->arena, "/parties/%zu/edit", i)), others,
                others == 1 ? "" : "en");
    buf_puts(b, "</th>");
    cell_input(rq, o, on, "date", arena_printf(rq->arena, "%s: goedgekeurd op", who),
               form_value(rq, on, form_date_text(rq, p->approved_on)));
    cell_select(rq, body, arena_printf(rq->arena, "%s: orgaan", who), form_value(rq, body, body_default));
    cell_input(rq, o, point, "text", arena_printf(rq->arena, "%s: agendapunt", who),
               form_value(rq, point, x ? x->agenda_point : NULL));
    cell_input(rq, o, url, "url", arena_printf(rq->arena, "%s: link naar het besluit", who),
               form_value(rq, url, x ? x->url : NULL));
    buf_puts(b, "</tr>\n");
}

static void approvals_form(request *rq, int64_t version, const edit_outcome *o, int code)
{
    const agreement *ag = rq->subject;
    rows_form_heading(rq, ag, "Goedkeuringen van de partijen",
                      "Per partij de dag waarop de gemeenteraad (of de raad van bestuur) de overeenkomst goedkeurde, "
                      "met het besluit als bewijs. Laat een rij leeg voor een partij die nog niet goedkeurde; maak ze "
                      "leeg om een goedkeuring te schrappen. Alles wordt in één keer bewaard.");
    form_outcome(rq, o, code);
    form_begin(rq, rows_agreement_url(rq, ag->id, "/approvals"), version);
    buf *b = &rq->body;
    buf_puts(b, "<div class=\"scroll\"><table class=\"list approvals\">\n<caption>Goedkeuring per partij</caption>\n"
                "<thead><tr><th scope=\"col\">Partij</th><th scope=\"col\">Goedgekeurd op</th><th scope=\"col\">"
                "Orgaan</th><th scope=\"col\">Agendapunt</th><th scope=\"col\">Link naar het besluit (bv. Lokaal "
                "Beslist)</th></tr></thead>\n<tbody>\n");
    size_t rows = 0;
    for (size_t i = 0; i < ag->party_count && rows < APPROVAL_ROWS; i++)
        if (!is_vdab(&ag->parties[i])) {
            approval_row(rq, o, ag, i);
            rows++;
        }
    buf_puts(b, "</tbody>\n</table></div>\n");
    if (rows == APPROVAL_ROWS)
        buf_fmt(b, "<p class=\"hint\">De tabel toont de eerste %d partijen; de andere wijzigt u per partij.</p>\n",
                APPROVAL_ROWS);
    if (!rows)
        buf_puts(b, "<p>Deze overeenkomst heeft nog geen partijen buiten VDAB.</p>\n");
    form_end(rq, "Goedkeuringen bewaren", rows_agreement_url(rq, ag->id, ""));
    page_end(rq);
}

void page_approvals_edit(request *rq) { approvals_form(rq, rq->subject->version, NULL, 0); }

/* Row i of the posted table into party p; false with problems. The saved
 * paths of the decision edited are mapped back to the row's fields. */
static bool read_approval(request *rq, size_t i, party *p, edit_outcome *o, size_t *cap, path_maps *map)
{
    const char *base = arena_printf(rq->arena, "parties[%zu]", i);
    const char *on_field = rows_field(rq, base, "approved_on");
    if (!web_form(rq, on_field))
        return true; /* a row the form did not have (a later page, or VDAB) */
    date_t on;
    if (!form_read_date(rq, on_field, &on)) {
        problem(rq, o, cap, on_field, "geen datum; kies een dag");
        return false;
    }
    const char *body = rows_saved_text(rq, base, "evidence.body"), *point = rows_saved_text(rq, base, "evidence.agenda_point"),
               *url = rows_saved_text(rq, base, "evidence.url");
    if (on == DATE_NONE && (point || url)) {
        problem(rq, o, cap, on_field, "geef de dag van het besluit, of maak ook agendapunt en link leeg");
        return false;
    }
    if (on != DATE_NONE && !body && (point || url)) {
        problem(rq, o, cap, rows_field(rq, base, "evidence.body"), "kies het orgaan dat besliste");
        return false;
    }
    long k = approving_decision(p);
    party_decision *d = arena_calloc(rq->arena, p->decision_count + 1, sizeof *d);
    size_t n = 0;
    for (size_t j = 0; j < p->decision_count; j++)
        if ((long)j != k)
            d[n++] = p->decisions[j];
    if (on != DATE_NONE && body) {
        size_t at = k >= 0 ? (size_t)k : n;
        memmove(&d[at + 1], &d[at], (n - at) * sizeof *d);
        d[at] = (party_decision){(char *)body, on, (char *)point, (char *)url, true};
        n++;
        const char *saved = arena_printf(rq->arena, "%s.decisions[%zu]", base, at);
        rows_map_path(rq, map, saved, rows_field(rq, base, "evidence"), NULL);
        rows_map_path(rq, map, rows_field(rq, saved, "on"), on_field, NULL);
        rows_map_path(rq, map, rows_field(rq, saved, "approves"), on_field, NULL);
    }
    p->decisions = n ? d : NULL;
    p->decision_count = n;
    p->approved_on = on;
    if (n) { /* "the latest approving decision sets approved_on" */
        date_t *days = arena_calloc(rq->arena, n, sizeof *days);
        bool *yes = arena_calloc(rq->arena, n, sizeof *yes);
        for (size_t j = 0; j < n; j++)
            days[j] = d[j].on, yes[j] = d[j].approves;
        date_t latest = rules_latest_approval(days, yes, n);
        if (latest != DATE_NONE && (body || on == DATE_NONE))
            p->approved_on = latest;
    }
    return true;
}

static bool build_approvals(request *rq, void *rows, agreement *ag, edit_outcome *o, path_maps *map)
{
    (void)rows;
    size_t cap = o->problem_count;
    bool ok = true;
    for (size_t i = 0; i < ag->party_count; i++)
        if (!is_vdab(&ag->parties[i]))
            ok = read_approval(rq, i, &ag->parties[i], o, &cap, map) && ok;
    return ok;
}

void page_approvals_update(request *rq)
{
    agreement ag;
    if (!agreement_to_change(rq, &ag, 0))
        return;
    edit_outcome o = {0};
    int code = rows_save(rq, &ag, ACT_EDIT_AGREEMENT, "goedkeuringen", build_approvals, NULL, &o);
    if (code == EDIT_SAVED) {
        back_to_agreement(rq, ag.id, "#parties-h");
        return;
    }
    approvals_form(rq, ag.version, &o, code);
    rq->status = code;
}
