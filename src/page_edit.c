/* page_edit.c: the forms that change an agreement's fields and status, its
 * parties, and its notes, and the form for a new agreement. Permissions
 * are checked by the dispatcher (route.c, auth_may) before any of this
 * runs; rq->subject is the agreement's current version. Every save goes
 * through edit_save() (checks, lifecycle, stale version, history). */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "formui.h"
#include "input.h"
#include "layout.h"
#include "pages.h"

static const char *back_to(request *rq, const char *id) { return arena_printf(rq->arena, "/agreements/%s", id); }

static void saved(request *rq, const char *id)
{
    buf path = {0};
    buf_puts(&path, "/agreements/");
    buf_url(&path, id);
    web_redirect(rq, arena_strdup(rq->arena, path.data));
    buf_free(&path);
}

/* ---- fields and status ------------------------------------------------------- */

/* The directorates the person may give the agreement (auth_may decides):
 * a scoped account sees only its provinces, so it cannot move an
 * agreement out of its scope by choosing from the list. */
static form_option *province_options(request *rq, const agreement *ag, size_t *n, bool creating)
{
    form_option *o = arena_calloc(rq->arena, PROVINCE_COUNT + 1, sizeof *o);
    agreement moved = *ag;
    *n = 0;
    for (int p = 0; p < PROVINCE_COUNT; p++) {
        moved.vdab_directorate = p;
        if (creating ? auth_may(rq->who, ACT_CREATE_AGREEMENT, NULL, p) : auth_may(rq->who, ACT_EDIT_AGREEMENT, &moved, -1))
            o[(*n)++] = (form_option){province_name(p), province_name(p)};
    }
    return o;
}

/* The statuses to choose from. A new agreement has no approved party yet,
 * so it starts in one of the statuses before signing (SPEC §3 lifecycle). */
static form_option *status_options(request *rq, size_t *n, bool creating)
{
    form_option *o = arena_calloc(rq->arena, STATUS_COUNT, sizeof *o);
    *n = 0;
    for (int s = 0; s < STATUS_COUNT; s++)
        if (!creating || (s != STATUS_SIGNED && s != STATUS_TERMINATED))
            o[(*n)++] = (form_option){status_name((agreement_status)s), status_label_nl((agreement_status)s)};
    return o;
}

/* The regiegebieden of the provinces the person acts in, and the one the
 * agreement has (an administrator may have chosen one elsewhere). */
static form_option *region_options(request *rq, size_t *n, bool creating)
{
    /* the regiegebieden of the view (current: a form has no as_known_at), not
     * the store's, which reads every member too */
    const register_view *v = web_view(rq);
    size_t nr = v ? v->region_count : 0;
    const char *has = creating ? NULL : rq->subject->regiegebied;
    form_option *o = arena_calloc(rq->arena, nr + 1, sizeof *o);
    o[0] = (form_option){"", "geen"};
    *n = 1;
    for (size_t i = 0; i < nr; i++) {
        int p = v->rules_regions[i].province;
        const view_region *r = &v->regions[i];
        bool ok = creating ? auth_may(rq->who, ACT_CREATE_AGREEMENT, NULL, p)
                           : auth_may(rq->who, ACT_EDIT_AGREEMENT, rq->subject, p) || (has && strcmp(has, r->id) == 0);
        if (ok)
            o[(*n)++] = (form_option){r->id, arena_printf(rq->arena, "%s (%s)", r->name, province_name(p))};
    }
    return o;
}

/* Who can end the agreement: VDAB or one of its parties. */
static form_option *ender_options(request *rq, const agreement *ag, size_t *n)
{
    const register_view *v = web_view(rq);
    form_option *o = arena_calloc(rq->arena, ag->party_count + 2, sizeof *o);
    o[0] = (form_option){"", "–"};
    o[1] = (form_option){"VDAB", "VDAB"};
    *n = 2;
    for (size_t i = 0; i < ag->party_count; i++) {
        const party *p = &ag->parties[i];
        const char *key = p->municipality ? p->municipality : p->organisation;
        if (!key || strcmp(key, "VDAB") == 0)
            continue;
        const char *name = key;
        int code = nis_code(p->municipality);
        if (v && code >= 0 && v->map.code_first[code] >= 0)
            name = v->municipalities[v->map.code_first[code] + v->map.code_count[code] - 1].name;
        o[(*n)++] = (form_option){key, name};
    }
    return o;
}

static form_option *kind_options(request *rq, size_t *n)
{
    form_option *o = arena_calloc(rq->arena, 6, sizeof *o);
    o[0] = (form_option){"", "onbekend"};
    for (*n = 1; AGREEMENT_KINDS[*n - 1]; (*n)++)
        o[*n] = (form_option){AGREEMENT_KINDS[*n - 1], AGREEMENT_KINDS[*n - 1]};
    return o;
}

/* The agreements this one may follow up: those of its directorate (a
 * follow-up stays with its directorate), and the one it follows now. The
 * importer refuses itself, an unknown id and a cycle. */
static form_option *predecessor_options(request *rq, const agreement *ag, size_t *n)
{
    const register_view *v = web_view(rq);
    size_t count = v ? v->agreement_count : 0;
    form_option *o = arena_calloc(rq->arena, count + 2, sizeof *o);
    o[0] = (form_option){"", "geen"};
    *n = 1;
    for (size_t i = 0; i < count; i++) {
        const view_agreement *va = &v->agreements[i];
        bool current = ag->predecessor && strcmp(ag->predecessor, va->id) == 0;
        if ((ag->id && strcmp(va->id, ag->id) == 0) || (!current && va->vdab_directorate != ag->vdab_directorate))
            continue;
        o[(*n)++] = (form_option){va->id, arena_printf(rq->arena, "%s (%s)", va->title, va->id)};
    }
    return o;
}

/* ---- the options of "volgt op", kept rendered ------------------------------------
 * The agreements of one directorate are the options of every agreement of it
 * at one change (some 10,000, 1.2 MB, on the register of bench/): they are
 * rendered once per change and directorate and copied, leaving out the
 * agreement itself, marking the one chosen and adding the one it follows now
 * when that is of another directorate, at its place; the same markup as
 * predecessor_options() and form_select(). */
typedef struct {
    size_t view_index;        /* into register_view.agreements */
    size_t start, mark, end;  /* the option in html; " selected" goes at mark */
    size_t id;                /* its id in ids */
} kept_option;

typedef struct {
    int64_t change;
    char *html, *ids;
    kept_option *options;
    size_t count;
} kept_options;

static kept_options kept_predecessors[PROVINCE_COUNT];
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

static bool render_options(request *rq, const register_view *v, int d, kept_options *out)
{
    buf html = {0}, ids = {0};
    kept_option *options = calloc(v->agreement_count + 1, sizeof *options);
    size_t n = 0;
    for (size_t i = 0; options && i < v->agreement_count; i++) {
        const view_agreement *va = &v->agreements[i];
        if (va->vdab_directorate != d)
            continue;
        kept_option *k = &options[n++];
        k->view_index = i;
        k->start = html.len;
        buf_fmt(&html, "<option value=\"%a\"", va->id);
        k->mark = html.len;
        buf_fmt(&html, ">%h</option>", arena_printf(rq->arena, "%s (%s)", va->title, va->id));
        k->end = html.len;
        k->id = ids.len;
        buf_add(&ids, va->id, strlen(va->id) + 1);
    }
    if (!options || (n && (!html.data || !ids.data))) {
        free(options);
        buf_free(&html);
        buf_free(&ids);
        return false;
    }
    *out = (kept_options){web_known(rq), html.data, ids.data, options, n};
    return true;
}

static void predecessor_select(request *rq, const edit_outcome *o, const agreement *ag, const char *selected)
{
    static const char *const LABEL = "Volgt op (de overeenkomst die ze opvolgt)";
    const register_view *v = web_view(rq);
    int d = ag->vdab_directorate;
    if (!v || d < 0 || d >= PROVINCE_COUNT) {
        size_t n;
        form_option *before = predecessor_options(rq, ag, &n);
        form_select(rq, o, "predecessor", LABEL, before, n, selected);
        return;
    }
    form_select_begin(rq, o, "predecessor", LABEL);
    form_option_write(rq, &(form_option){"", "geen"}, selected);
    size_t other = SIZE_MAX; /* the one it follows now, of another directorate */
    for (size_t i = 0; ag->predecessor && i < v->agreement_count && other == SIZE_MAX; i++) {
        const view_agreement *va = &v->agreements[i];
        if (strcmp(va->id, ag->predecessor) == 0 && va->vdab_directorate != d && !(ag->id && strcmp(va->id, ag->id) == 0))
            other = i;
    }
    pthread_mutex_lock(&kept_lock);
    kept_options *k = &kept_predecessors[d];
    if (!k->html || k->change != web_known(rq)) {
        kept_options fresh;
        pthread_mutex_unlock(&kept_lock); /* rendering takes a while: not under the lock */
        bool ok = render_options(rq, v, d, &fresh);
        pthread_mutex_lock(&kept_lock);
        if (ok) {
            free(k->html);
            free(k->ids);
            free(k->options);
            *k = fresh;
        }
    }
    if (!k->html || k->change != web_known(rq)) { /* no memory, or another change in between: as before */
        pthread_mutex_unlock(&kept_lock);
        size_t n;
        form_option *before = predecessor_options(rq, ag, &n);
        for (size_t i = 1; i < n; i++)
            form_option_write(rq, &before[i], selected);
        form_select_end(rq);
        return;
    }
    for (size_t i = 0; i < k->count; i++) {
        const kept_option *x = &k->options[i];
        const char *id = k->ids + x->id;
        if (other != SIZE_MAX && other < x->view_index) {
            const view_agreement *va = &v->agreements[other];
            form_option_write(rq, &(form_option){va->id, arena_printf(rq->arena, "%s (%s)", va->title, va->id)},
                              selected);
            other = SIZE_MAX;
        }
        if (ag->id && strcmp(id, ag->id) == 0)
            continue;
        if (selected && strcmp(selected, id) == 0) {
            buf_add(&rq->body, k->html + x->start, x->mark - x->start);
            buf_puts(&rq->body, " selected");
            buf_add(&rq->body, k->html + x->mark, x->end - x->mark);
        } else {
            buf_add(&rq->body, k->html + x->start, x->end - x->start);
        }
    }
    pthread_mutex_unlock(&kept_lock);
    if (other != SIZE_MAX) {
        const view_agreement *va = &v->agreements[other];
        form_option_write(rq, &(form_option){va->id, arena_printf(rq->arena, "%s (%s)", va->title, va->id)}, selected);
    }
    form_select_end(rq);
}

/* fields_form() with the id shown: on a new agreement what was posted, or
 * else the id proposed from the other fields (edit_propose_id()). */
static const char *shown_id(request *rq, const agreement *ag)
{
    if (rq->form_count)
        return form_value(rq, "id", NULL);
    return ag->id ? ag->id : ag->title ? edit_propose_id(rq, ag) : "";
}

static void fields_form(request *rq, const agreement *ag, bool creating, const edit_outcome *o, int code)
{
    /* the title as typed may be empty (refused beside its field): the crumb
     * and the page title then name the agreement by its id */
    const char *name = ag->title && *ag->title ? ag->title : ag->id;
    page_begin(rq, creating ? "Nieuwe overeenkomst" : arena_printf(rq->arena, "%s bewerken", name), NAV_AGREEMENTS);
    buf *b = &rq->body;
    if (creating)
        buf_puts(b, "<h1>Nieuwe overeenkomst</h1>\n<p>Partijen, actieplan en overlegstructuur voegt u toe nadat de "
                    "overeenkomst bestaat.</p>\n");
    else
        buf_fmt(b, "<p class=\"crumbs\"><a href=\"%a\">%h</a></p>\n<h1>Velden en status bewerken</h1>\n",
                back_to(rq, ag->id), name);
    form_outcome(rq, o, code);
    form_begin(rq, creating ? "/agreements" : back_to(rq, ag->id), ag->version);
    size_t n;
    char iso[DATE_ISO_LEN];
    if (creating) {
        form_text(rq, o, "id", "Id (letters, cijfers, . _ -; voorgesteld uit titel, soort en begin)", shown_id(rq, ag),
                  false);
        buf_puts(b, "<p class=\"hint\" id=\"id-hint\">Laat u de id leeg, dan stelt somon er een voor (bv. "
                    "SO-KEMPEN-2026) en toont ze eerst, zodat u ze kunt aanpassen.</p>\n");
    }
    form_text(rq, o, "title", "Titel", form_value(rq, "title", ag->title), true);
    form_option *prov = province_options(rq, ag, &n, creating);
    form_select(rq, o, "vdab_directorate", "VDAB-directie", prov, n,
                form_value(rq, "vdab_directorate", province_name(ag->vdab_directorate)));
    form_option *regions = region_options(rq, &n, creating);
    form_select(rq, o, "regiegebied", "Regiegebied", regions, n, form_value(rq, "regiegebied", ag->regiegebied));
    form_option *st = status_options(rq, &n, creating);
    form_select(rq, o, "status", "Status", st, n, form_value(rq, "status", status_name(ag->status)));
    form_option *kinds = kind_options(rq, &n);
    form_select(rq, o, "kind", "Soort", kinds, n, form_value(rq, "kind", ag->kind));
    form_date(rq, o, "signed_on", "Ondertekend op (dag van de laatste handtekening)",
              form_value(rq, "signed_on", date_format_iso(ag->signed_on, iso)));
    predecessor_select(rq, o, ag, form_value(rq, "predecessor", ag->predecessor));
    form_date(rq, o, "start", "Begin", form_value(rq, "start", date_format_iso(ag->start, iso)));
    form_date(rq, o, "end", "Einde", form_value(rq, "end", date_format_iso(ag->end, iso)));
    form_date(rq, o, "expected_start", "Verwachte start (in voorbereiding)",
              form_value(rq, "expected_start", date_format_iso(ag->expected_start, iso)));
    if (!creating) {
        form_date(rq, o, "terminated_on", "Beëindigd op (eerste dag niet meer van kracht)",
                  form_value(rq, "terminated_on", date_format_iso(ag->terminated_on, iso)));
        form_option *enders = ender_options(rq, ag, &n);
        form_select(rq, o, "terminated_by", "Beëindigd door", enders, n,
                    form_value(rq, "terminated_by", ag->terminated_by));
    }
    form_end(rq, creating ? "Overeenkomst aanmaken" : "Bewaren", creating ? "/agreements" : back_to(rq, ag->id));
    page_end(rq);
}

/* Copies the posted fields into ag; a date that is not one is reported on its field. */
static bool read_fields(request *rq, agreement *ag, edit_outcome *o, bool creating)
{
    size_t cap = 0;
    bool ok = true;
    struct {
        const char *name;
        date_t *into;
    } dates[] = {{"start", &ag->start}, {"end", &ag->end}, {"expected_start", &ag->expected_start},
                 {"signed_on", &ag->signed_on}, {"terminated_on", &ag->terminated_on}};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        if (!creating || i < 4) {
            if (!form_read_date(rq, dates[i].name, dates[i].into)) {
                o->problems = arena_grow(rq->arena, o->problems, &cap, o->problem_count + 1, sizeof *o->problems);
                o->problems[o->problem_count++] = (somon1_problem){dates[i].name, "geen datum; kies een dag"};
                ok = false;
            }
        }
    }
    if (creating)
        ag->id = (char *)form_read_text(rq, "id");
    ag->title = (char *)form_read_text(rq, "title");
    ag->vdab_directorate = province_parse(web_form(rq, "vdab_directorate"));
    ag->regiegebied = (char *)form_read_text(rq, "regiegebied");
    ag->kind = (char *)form_read_text(rq, "kind");
    ag->predecessor = (char *)form_read_text(rq, "predecessor");
    agreement_status st;
    if (status_parse(web_form(rq, "status"), &st))
        ag->status = st;
    if (!creating)
        ag->terminated_by = (char *)form_read_text(rq, "terminated_by");
    return ok;
}

/* A query value of kind, or NULL when absent, blank or not one. */
static const char *query_text(request *rq, const char *name, text_kind kind)
{
    const char *v = web_param(rq, name);
    if (!v || !*v || text_check(v, strlen(v), kind).fault != TEXT_OK)
        return NULL;
    return v;
}

static date_t query_date(request *rq, const char *name)
{
    date_t d;
    const char *v = web_param(rq, name);
    return v && date_parse_iso(v, &d) ? d : DATE_NONE;
}

/* GET /agreements/new, or with ?title=&kind=&vdab_directorate=&regiegebied=
 * &start=&expected_start= the form filled in with them and an id proposed
 * from them (without JavaScript the id is proposed on the first save). */
void page_agreement_new(request *rq)
{
    agreement ag = {0};
    ag.status = STATUS_DRAFT;
    ag.start = ag.end = ag.expected_start = ag.terminated_on = ag.signed_on = DATE_NONE;
    ag.vdab_directorate = province_parse(web_param(rq, "vdab_directorate"));
    ag.title = (char *)query_text(rq, "title", TEXT_TITLE);
    ag.kind = (char *)query_text(rq, "kind", TEXT_ID);
    ag.regiegebied = (char *)query_text(rq, "regiegebied", TEXT_ID);
    ag.start = query_date(rq, "start");
    ag.expected_start = query_date(rq, "expected_start");
    fields_form(rq, &ag, true, NULL, 0);
}

void page_agreement_create(request *rq)
{
    agreement ag = {0};
    ag.status = STATUS_DRAFT;
    ag.start = ag.end = ag.expected_start = ag.terminated_on = ag.signed_on = DATE_NONE;
    edit_outcome o = {0};
    int code = EDIT_INVALID;
    if (read_fields(rq, &ag, &o, true)) {
        if (!ag.id) { /* propose one and show it before anything is written */
            size_t cap = 0;
            ag.id = (char *)edit_propose_id(rq, &ag);
            o.problems = arena_grow(rq->arena, o.problems, &cap, 1, sizeof *o.problems);
            o.problems[o.problem_count++] =
                (somon1_problem){"id", "nog niet aangemaakt: controleer de voorgestelde id, pas ze aan als u wilt, en "
                                       "klik opnieuw op 'Overeenkomst aanmaken'"};
            rq->form_count = 0; /* the form shows ag as read, with the proposed id */
        } else {
            code = edit_save(rq, &ag, ACT_CREATE_AGREEMENT, "nieuw", &o);
        }
    }
    if (code == EDIT_SAVED) {
        saved(rq, ag.id);
        return;
    }
    fields_form(rq, &ag, true, &o, code);
    rq->status = code;
}

void page_agreement_edit(request *rq) { fields_form(rq, rq->subject, false, NULL, 0); }

void page_agreement_update(request *rq)
{
    agreement ag = *rq->subject;
    if ((ag.version = edit_form_version(rq)) < 0)
        return;
    edit_outcome o = {0};
    int code = read_fields(rq, &ag, &o, false) ? edit_save(rq, &ag, ACT_EDIT_AGREEMENT, "velden", &o) : EDIT_INVALID;
    if (code == EDIT_SAVED) {
        saved(rq, ag.id);
        return;
    }
    fields_form(rq, &ag, false, &o, code);
    rq->status = code;
}

/* ---- parties ----------------------------------------------------------------- */

/* "Naam, functie" per line → signatories. */
static void read_signatories(request *rq, party *p)
{
    const char *text = form_read_text(rq, "signatories");
    p->signatories = NULL;
    p->signatory_count = 0;
    size_t cap = 0;
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char *one = arena_strndup(rq->arena, line, len);
        while (len && (one[len - 1] == '\r' || one[len - 1] == ' '))
            one[--len] = '\0';
        char *comma = strchr(one, ',');
        if (comma)
            *comma = '\0';
        const char *function = comma ? comma + 1 : NULL;
        while (function && *function == ' ')
            function++;
        if (*one) {
            p->signatories = arena_grow(rq->arena, p->signatories, &cap, p->signatory_count + 1, sizeof *p->signatories);
            p->signatories[p->signatory_count++] = (signatory){one, function && *function ? (char *)function : NULL};
        }
        line = end ? end + 1 : NULL;
    }
}

static const char *signatory_text(request *rq, const party *p)
{
    char *s = arena_strdup(rq->arena, "");
    for (size_t i = 0; i < p->signatory_count; i++) /* one per line */
        s = arena_printf(rq->arena, "%s%s%s%s%s", s, i ? "\n" : "", p->signatories[i].name,
                         p->signatories[i].function ? ", " : "", p->signatories[i].function ? p->signatories[i].function : "");
    return s;
}

/* The party index of the route (":n"), or -1 after a 404. */
static long party_index(request *rq, const agreement *ag)
{
    const char *n = web_route_param(rq, "n");
    char *end;
    long i = n ? strtol(n, &end, 10) : -1;
    if (!n || *end || i < 0 || (size_t)i >= ag->party_count) {
        web_error(rq, 404, "not_found", "Deze overeenkomst heeft geen partij met dit nummer.");
        return -1;
    }
    return i;
}

/* The index in the field names of a party form: the party's own, or for a
 * new party the one the form was loaded with (the agreement may have more
 * parties by now, and what was typed must come back under the same names). */
static long party_field_index(request *rq, const agreement *ag, long index)
{
    if (index >= 0)
        return index;
    for (size_t i = 0; i < rq->form_count; i++) {
        const char *name = rq->form[i].name;
        char *end;
        if (strncmp(name, "parties[", 8) != 0 || !isdigit((unsigned char)name[8]))
            continue;
        long at = strtol(name + 8, &end, 10);
        if (strcmp(end, "].municipality") == 0 && at >= 0 && at <= (long)ag->party_count + 1000)
            return at;
    }
    return (long)ag->party_count;
}

static void reason_field(request *rq, const edit_outcome *o, const char *base, const party *p)
{
    const char *name = arena_printf(rq->arena, "%s.left_reason", base);
    form_textarea(rq, o, name, "Reden van uittreden", form_value(rq, name, p->left_reason),
                  "Alleen bij een partij die uittrad (met haar laatste dag), bv. het besluit waarmee ze opzegde.");
}

/* The council decisions as rows: each one shown, and two blank rows for
 * new ones (a blank row is left out when read). */
enum { BLANK_DECISION_ROWS = 2 };

static void decision_rows(request *rq, const edit_outcome *o, const char *base, const party *p)
{
    static const form_option bodies[] = {{"", "–"},
                                         {"gemeenteraad", "gemeenteraad"},
                                         {"ocmw_raad", "OCMW-raad"},
                                         {"raad_van_bestuur", "raad van bestuur"},
                                         {"other", "ander orgaan"}};
    static const form_option verdicts[] = {{"true", "keurt goed"}, {"false", "keurt niet goed"}};
    char iso[DATE_ISO_LEN];
    size_t shown = p->decision_count + BLANK_DECISION_ROWS;
    for (size_t k = 0; k < shown; k++) {
        const party_decision *x = k < p->decision_count ? &p->decisions[k] : NULL;
        const char *row = arena_printf(rq->arena, "%s.decisions[%zu]", base, k);
        const char *body = arena_printf(rq->arena, "%s.body", row), *on = arena_printf(rq->arena, "%s.on", row),
                   *point = arena_printf(rq->arena, "%s.agenda_point", row),
                   *url = arena_printf(rq->arena, "%s.url", row), *yes = arena_printf(rq->arena, "%s.approves", row);
        if (x)
            buf_fmt(&rq->body, "<fieldset class=\"decision\"><legend>Beslissing %zu</legend>\n", k + 1);
        else
            buf_puts(&rq->body, "<fieldset class=\"decision\"><legend>Nieuwe beslissing <span class=\"hint\">(laat "
                                "leeg om geen toe te voegen)</span></legend>\n");
        form_select(rq, o, body, "Orgaan", bodies, sizeof bodies / sizeof *bodies, form_value(rq, body, x ? x->body : NULL));
        form_date(rq, o, on, "Datum", form_value(rq, on, date_format_iso(x ? x->on : DATE_NONE, iso)));
        form_text(rq, o, point, "Agendapunt", form_value(rq, point, x ? x->agenda_point : NULL), false);
        form_text(rq, o, url, "Link naar het besluit (bv. Lokaal Beslist, https://…)",
                  form_value(rq, url, x ? x->url : NULL), false);
        form_select(rq, o, yes, "Beslissing", verdicts, 2, form_value(rq, yes, x && !x->approves ? "false" : "true"));
        buf_puts(&rq->body, "</fieldset>\n");
    }
}

/* Reads the posted decision rows, leaving out blank ones. The rows are
 * numbered as posted, so a problem lands beside the row it is about as
 * long as no blank row comes before a filled one. */
static bool read_decisions(request *rq, const char *base, party *p, edit_outcome *o, size_t *cap)
{
    bool ok = true;
    size_t dcap = 0;
    p->decisions = NULL;
    p->decision_count = 0;
    for (size_t k = 0; k < LIST_SIGNATORIES; k++) {
        const char *row = arena_printf(rq->arena, "%s.decisions[%zu]", base, k);
        const char *on = arena_printf(rq->arena, "%s.on", row);
        const char *body = form_read_text(rq, arena_printf(rq->arena, "%s.body", row));
        const char *point = form_read_text(rq, arena_printf(rq->arena, "%s.agenda_point", row));
        const char *url = form_read_text(rq, arena_printf(rq->arena, "%s.url", row));
        const char *yes = web_form(rq, arena_printf(rq->arena, "%s.approves", row));
        const char *day = web_form(rq, on);
        if (!yes && !web_form(rq, arena_printf(rq->arena, "%s.body", row)) && !day)
            break; /* no such row in the form */
        if (!body && !point && !url && (!day || !*day))
            continue;
        party_decision x = {(char *)body, DATE_NONE, (char *)point, (char *)url, !yes || strcmp(yes, "false") != 0};
        if (!form_read_date(rq, on, &x.on)) {
            o->problems = arena_grow(rq->arena, o->problems, cap, o->problem_count + 1, sizeof *o->problems);
            o->problems[o->problem_count++] = (somon1_problem){on, "geen datum; kies een dag"};
            ok = false;
        }
        p->decisions = arena_grow(rq->arena, p->decisions, &dcap, p->decision_count + 1, sizeof *p->decisions);
        p->decisions[p->decision_count++] = x;
    }
    return ok;
}

/* version: the one the form carries; a refused form keeps the one it was
 * loaded from, so that only a reopened form can overwrite newer work. */
static void party_form(request *rq, const agreement *ag, int64_t version, long index, const party *p,
                       const edit_outcome *o, int code)
{
    page_begin(rq, index < 0 ? "Partij toevoegen" : "Partij wijzigen", NAV_AGREEMENTS);
    buf *b = &rq->body;
    buf_fmt(b, "<p class=\"crumbs\"><a href=\"%a\">%h</a></p>\n<h1>%s</h1>\n", back_to(rq, ag->id), ag->title,
            index < 0 ? "Partij toevoegen" : "Partij wijzigen");
    form_outcome(rq, o, code);
    const char *target = index < 0 ? arena_printf(rq->arena, "/agreements/%s/parties", ag->id)
                                   : arena_printf(rq->arena, "/agreements/%s/parties/%ld", ag->id, index);
    form_begin(rq, target, version);
    /* problems of this party carry its index in the agreement */
    long at = party_field_index(rq, ag, index);
    const char *base = arena_printf(rq->arena, "parties[%ld]", at);
    char iso[DATE_ISO_LEN];
    organisation *orgs;
    size_t norg;
    if (store_get_organisations(rq->db, STORE_NOW, rq->arena, &orgs, &norg))
        norg = 0;
    form_option *org_options = arena_calloc(rq->arena, norg + 1, sizeof *org_options);
    org_options[0] = (form_option){"", "– (een gemeente)"};
    for (size_t i = 0; i < norg; i++)
        org_options[i + 1] = (form_option){orgs[i].id, orgs[i].name};
    form_municipality_list(rq, "municipality-names", edit_agreement_day(ag), ag->end);
    form_text_list(rq, o, arena_printf(rq->arena, "%s.municipality", base),
                   "Gemeente (naam zoals op de eerste dag van de partij, of NIS-code)",
                   form_value(rq, arena_printf(rq->arena, "%s.municipality", base),
                              form_municipality_name(rq, p->municipality)),
                   "municipality-names");
    form_select(rq, o, arena_printf(rq->arena, "%s.organisation", base), "of organisatie", org_options, norg + 1,
                form_value(rq, arena_printf(rq->arena, "%s.organisation", base), p->organisation));
    struct {
        const char *key, *label;
        date_t value;
    } dates[] = {{"approved_on", "Goedgekeurd door de raad op", p->approved_on},
                 {"from", "Vanaf (later toegetreden)", p->from},
                 {"until", "Tot (vroeger vertrokken)", p->until},
                 {"expected_from", "Verwacht vanaf (gepland, nog niet toegetreden)", p->expected_from}};
    for (size_t i = 0; i < 4; i++) {
        const char *name = arena_printf(rq->arena, "%s.%s", base, dates[i].key);
        form_date(rq, o, name, dates[i].label, form_value(rq, name, date_format_iso(dates[i].value, iso)));
        if (i == 2) /* the reason belongs with the day the party left */
            reason_field(rq, o, base, p);
    }
    form_textarea(rq, o, "signatories", "Ondertekenaars", form_value(rq, "signatories", signatory_text(rq, p)),
                  "Eén per regel: naam, functie");
    buf_puts(b, "<h2>Beslissingen van de raad</h2>\n<p class=\"hint\">De laatste goedkeurende beslissing bepaalt "
                "'goedgekeurd op': laat dat veld leeg om het uit de beslissingen te nemen.</p>\n");
    decision_rows(rq, o, base, p);
    form_end(rq, index < 0 ? "Partij toevoegen" : "Bewaren", back_to(rq, ag->id));
    page_end(rq);
}

/* The municipality typed for party p of ag: the stored one while its name
 * (or code) is what the form shows, else the name resolved on the party's
 * first day. False with the problem beside the field. */
static bool read_municipality(request *rq, const agreement *ag, long at, const party *stored, party *p,
                              edit_outcome *o, size_t *cap)
{
    const char *field = arena_printf(rq->arena, "parties[%ld].municipality", at);
    const char *text = form_read_text(rq, field), *why = NULL;
    p->municipality = NULL;
    if (!text)
        return true;
    if (stored && stored->municipality &&
        (strcmp(text, stored->municipality) == 0 ||
         strcasecmp(text, form_municipality_name(rq, stored->municipality)) == 0)) {
        p->municipality = stored->municipality;
        return true;
    }
    if ((p->municipality = (char *)form_municipality(rq, text, edit_party_day(ag, p), &why)))
        return true;
    o->problems = arena_grow(rq->arena, o->problems, cap, o->problem_count + 1, sizeof *o->problems);
    o->problems[o->problem_count++] = (somon1_problem){field, why};
    return false;
}

static bool read_party(request *rq, const agreement *ag, long at, const party *stored, party *p, edit_outcome *o)
{
    const char *base = arena_printf(rq->arena, "parties[%ld]", at);
    p->organisation = (char *)form_read_text(rq, arena_printf(rq->arena, "%s.organisation", base));
    bool ok = true;
    size_t cap = 0;
    struct {
        const char *key;
        date_t *into;
    } dates[] = {{"approved_on", &p->approved_on}, {"from", &p->from}, {"until", &p->until},
                 {"expected_from", &p->expected_from}};
    for (size_t i = 0; i < 4; i++) {
        const char *name = arena_printf(rq->arena, "%s.%s", base, dates[i].key);
        if (!form_read_date(rq, name, dates[i].into)) {
            o->problems = arena_grow(rq->arena, o->problems, &cap, o->problem_count + 1, sizeof *o->problems);
            o->problems[o->problem_count++] = (somon1_problem){name, "geen datum; kies een dag"};
            ok = false;
        }
    }
    p->left_reason = (char *)form_read_text(rq, arena_printf(rq->arena, "%s.left_reason", base));
    read_signatories(rq, p);
    ok = read_municipality(rq, ag, at, stored, p, o, &cap) && ok;
    ok = read_decisions(rq, base, p, o, &cap) && ok;
    /* "the latest approving one sets approved_on": taken from the rows when the field is left empty */
    if (p->approved_on == DATE_NONE && p->decision_count) {
        date_t *on = arena_calloc(rq->arena, p->decision_count, sizeof *on);
        bool *yes = arena_calloc(rq->arena, p->decision_count, sizeof *yes);
        for (size_t k = 0; k < p->decision_count; k++)
            on[k] = p->decisions[k].on, yes[k] = p->decisions[k].approves;
        p->approved_on = rules_latest_approval(on, yes, p->decision_count);
    }
    return ok;
}

void page_party_new(request *rq)
{
    party empty = {0};
    empty.approved_on = empty.from = empty.until = empty.expected_from = DATE_NONE;
    party_form(rq, rq->subject, rq->subject->version, -1, &empty, NULL, 0);
}

static void save_parties(request *rq, agreement *ag, long index, party *p, const char *what)
{
    edit_outcome o = {0};
    long at = party_field_index(rq, rq->subject, index);
    const party *stored = index >= 0 ? &rq->subject->parties[index] : NULL;
    int code = read_party(rq, ag, at, stored, p, &o) ? edit_save(rq, ag, ACT_EDIT_AGREEMENT, what, &o) : EDIT_INVALID;
    if (code == EDIT_SAVED) {
        saved(rq, ag->id);
        return;
    }
    party_form(rq, rq->subject, ag->version, index, p, &o, code);
    rq->status = code;
}

/* The agreement to change: the current one with the version the form was
 * loaded from, and its own copy of the parties with room for one more.
 * False after answering 400 for a form without its version. */
static bool parties_to_change(request *rq, agreement *ag)
{
    *ag = *rq->subject;
    if ((ag->version = edit_form_version(rq)) < 0)
        return false;
    ag->parties = arena_calloc(rq->arena, ag->party_count + 1, sizeof *ag->parties);
    if (ag->party_count) /* a new agreement has none (and a NULL array) */
        memcpy(ag->parties, rq->subject->parties, ag->party_count * sizeof *ag->parties);
    return true;
}

void page_party_create(request *rq)
{
    agreement ag;
    if (!parties_to_change(rq, &ag))
        return;
    party *p = &ag.parties[ag.party_count++];
    save_parties(rq, &ag, -1, p, "partij toegevoegd");
}

void page_party_edit(request *rq)
{
    long i = party_index(rq, rq->subject);
    if (i >= 0)
        party_form(rq, rq->subject, rq->subject->version, i, &rq->subject->parties[i], NULL, 0);
}

void page_party_update(request *rq)
{
    long i = party_index(rq, rq->subject);
    if (i < 0)
        return;
    agreement ag;
    if (parties_to_change(rq, &ag))
        save_parties(rq, &ag, i, &ag.parties[i], "partij gewijzigd");
}

void page_party_remove(request *rq)
{
    long i = party_index(rq, rq->subject);
    if (i < 0)
        return;
    agreement ag;
    if (!parties_to_change(rq, &ag))
        return;
    memmove(&ag.parties[i], &ag.parties[i + 1], (ag.party_count - (size_t)i - 1) * sizeof *ag.parties);
    ag.party_count--;
    edit_outcome o = {0};
    int code = edit_save(rq, &ag, ACT_EDIT_AGREEMENT, "partij verwijderd", &o);
    if (code == EDIT_SAVED) {
        saved(rq, ag.id);
        return;
    }
    page_begin(rq, "Partij verwijderen", NAV_AGREEMENTS);
    buf_fmt(&rq->body, "<p class=\"crumbs\"><a href=\"%a\">%h</a></p>\n<h1>De partij is niet verwijderd</h1>\n",
            back_to(rq, ag.id), ag.title);
    form_outcome(rq, &o, code);
    page_end(rq);
    rq->status = code;
}

/* ---- a party leaves -------------------------------------------------------------
 * SPEC §3: a municipality that gives notice leaves; its party gets until (the
 * last day it is bound) and left_reason, and the agreement goes on for the
 * others. Terminating the whole agreement is the fields form's business. */

static const char *party_name(request *rq, const party *p)
{
    const register_view *v = web_view(rq);
    int code = nis_code(p->municipality);
    if (v && code >= 0 && v->map.code_first[code] >= 0)
        return v->municipalities[v->map.code_first[code] + v->map.code_count[code] - 1].name;
    return p->municipality ? p->municipality : p->organisation;
}

static void leave_form(request *rq, const agreement *ag, int64_t version, long index, const party *p,
                       const edit_outcome *o, int code)
{
    const char *who = party_name(rq, &rq->subject->parties[index]);
    page_begin(rq, arena_printf(rq->arena, "%s treedt uit", who), NAV_AGREEMENTS);
    buf_fmt(&rq->body, "<p class=\"crumbs\"><a href=\"%a\">%h</a></p>\n<h1>%h treedt uit</h1>\n"
                       "<p>De overeenkomst loopt door voor de andere partijen. Om de hele overeenkomst te beëindigen "
                       "gebruikt u <a href=\"%a/edit\">velden en status</a>.</p>\n",
            back_to(rq, ag->id), ag->title, who, back_to(rq, ag->id));
    form_outcome(rq, o, code);
    form_begin(rq, arena_printf(rq->arena, "/agreements/%s/parties/%ld/leave", ag->id, index), version);
    const char *base = arena_printf(rq->arena, "parties[%ld]", index);
    const char *until = arena_printf(rq->arena, "%s.until", base);
    char iso[DATE_ISO_LEN];
    form_date(rq, o, until, "Laatste dag gebonden", form_value(rq, until, date_format_iso(p->until, iso)));
    reason_field(rq, o, base, p);
    form_end(rq, "Uittreden bewaren", back_to(rq, ag->id));
    page_end(rq);
}

/* party_index(), but VDAB does not leave its own agreement: it terminates it. */
static long leaving_index(request *rq)
{
    long i = party_index(rq, rq->subject);
    const char *org = i >= 0 ? rq->subject->parties[i].organisation : NULL;
    if (org && strcmp(org, "VDAB") == 0) {
        web_error(rq, 404, "not_found",
                  "VDAB treedt niet uit een overeenkomst; beëindig de hele overeenkomst bij velden en status.");
        return -1;
    }
    return i;
}

void page_party_leave(request *rq)
{
    long i = leaving_index(rq);
    if (i >= 0)
        leave_form(rq, rq->subject, rq->subject->version, i, &rq->subject->parties[i], NULL, 0);
}

void page_party_leave_update(request *rq)
{
    long i = leaving_index(rq);
    agreement ag;
    if (i < 0 || !parties_to_change(rq, &ag))
        return;
    party *p = &ag.parties[i];
    const char *base = arena_printf(rq->arena, "parties[%ld]", i);
    const char *until = arena_printf(rq->arena, "%s.until", base);
    p->left_reason = (char *)form_read_text(rq, arena_printf(rq->arena, "%s.left_reason", base));
    edit_outcome o = {0};
    int code = EDIT_INVALID;
    size_t cap = 0;
    const char *problem = !form_read_date(rq, until, &p->until) ? "geen datum; kies een dag"
                        : p->until == DATE_NONE ? "verplicht; geef de laatste dag waarop de partij gebonden is"
                                                : NULL;
    if (problem) {
        o.problems = arena_grow(rq->arena, o.problems, &cap, 1, sizeof *o.problems);
        o.problems[o.problem_count++] = (somon1_problem){until, problem};
    } else {
        code = edit_save(rq, &ag, ACT_EDIT_AGREEMENT, "partij treedt uit", &o);
    }
    if (code == EDIT_SAVED) {
        saved(rq, ag.id);
        return;
    }
    leave_form(rq, rq->subject, ag.version, i, p, &o, code);
    rq->status = code;
}

/* ---- notes -------------------------------------------------------------------- */

static void notes_form(request *rq, const agreement *ag, const edit_outcome *o, int code)
{
    page_begin(rq, "Notities bewerken", NAV_AGREEMENTS);
    buf_fmt(&rq->body, "<p class=\"crumbs\"><a href=\"%a\">%h</a></p>\n<h1>Notities bewerken</h1>\n",
            back_to(rq, ag->id), ag->title);
    form_outcome(rq, o, code);
    form_begin(rq, arena_printf(rq->arena, "/agreements/%s/notes", ag->id), ag->version);
    form_textarea(rq, o, "notes", "Notities", form_value(rq, "notes", ag->notes),
                  "Wat de documenten niet zeggen, bronnen, afspraken. Iedereen kan de notities lezen: noem geen "
                  "personen bij naam.");
    form_end(rq, "Bewaren", back_to(rq, ag->id));
    page_end(rq);
}

void page_notes_edit(request *rq) { notes_form(rq, rq->subject, NULL, 0); }

void page_notes_update(request *rq)
{
    agreement ag = *rq->subject;
    if ((ag.version = edit_form_version(rq)) < 0)
        return;
    ag.notes = (char *)form_read_text(rq, "notes");
    edit_outcome o = {0};
    int code = edit_save(rq, &ag, ACT_EDIT_NOTES, "notities", &o);
    if (code == EDIT_SAVED) {
        saved(rq, ag.id);
        return;
    }
    notes_form(rq, &ag, &o, code);
    rq->status = code;
}
