/* edition.c: see edition.h. */
#include "edition.h"

#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "input.h"

int edition_row_parse(const char *name)
{
    for (int row = 0; name && row < PROVINCE_ROWS; row++)
        if (strcasecmp(name, province_name(row)) == 0)
            return row;
    return -1;
}

/* The wording of the publish form where it differs from the command line's
 * (po/nl/edition.po, msgctxt "form"): listed so that xgettext extracts it. */
static const char *const FORM_VARIANTS[] __attribute__((unused)) = {
    NC_("form", "is missing or blank; give a text"),
    NC_("form", "is missing; give the date of the table"),
    NC_("form", "is missing; give the date of the prognosis"),
};

static void add_problem(arena *a, somon1_problem **out, size_t *n, size_t *cap, const char *path, const char *message)
{
    *out = arena_grow(a, *out, cap, *n + 1, sizeof **out);
    (*out)[(*n)++] = (somon1_problem){path, message};
}

/* message is English (N_() at the call); the web's form reads its Dutch variant. */
static void edition_problem(arena *a, somon1_problem **out, size_t *n, size_t *cap, bool dutch, const char *path,
                            const char *message)
{
    add_problem(a, out, n, cap, path, dutch ? i18n_form(message) : _(message));
}

/* A problem when text breaks the rules of TEXT_NOTE (or is missing). */
static void check_text(const char *text, const char *path, bool dutch, arena *a, somon1_problem **out, size_t *n,
                       size_t *cap)
{
    size_t len = text ? strlen(text) : 0;
    size_t blank = text ? strspn(text, " \t\r\n") : 0;
    if (!text || blank == len) {
        edition_problem(a, out, n, cap, dutch, path, N_("is missing or blank; give a text"));
        return;
    }
    text_verdict v = text_check(text, len, TEXT_NOTE);
    if (v.fault != TEXT_OK)
        add_problem(a, out, n, cap, path, text_explain(a, &v, TEXT_NOTE, dutch));
}

size_t edition_check(const edition_input *in, bool dutch, arena *a, somon1_problem **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    check_text(in->question, "question", dutch, a, out, &n, &cap);
    if (in->date == DATE_NONE)
        edition_problem(a, out, &n, &cap, dutch, "date", N_("is missing; give the date of the table"));
    if (in->prognosis == DATE_NONE)
        edition_problem(a, out, &n, &cap, dutch, "prognosis", N_("is missing; give the date of the prognosis"));
    else if (in->date != DATE_NONE && in->prognosis < in->date)
        edition_problem(a, out, &n, &cap, dutch, "prognosis",
                        N_("lies before the date of the table; give a prognosis date on or after it"));
    if (in->as_known_at != MOMENT_NONE && in->as_known_at > moment_now())
        edition_problem(a, out, &n, &cap, dutch, "as_known_at", N_("lies in the future; give a past moment"));
    for (size_t i = 0; i < in->note_count; i++)
        check_text(in->notes[i].text, arena_printf(a, "notes[%d]", in->notes[i].row), dutch, a, out, &n, &cap);
    return n;
}

int edition_figures_in(const register_view *v, const edition_head *e, edition_figures *out)
{
    coverage_report r;
    if (coverage_report_compute(v, e->date, e->prognosis, MOMENT_NONE, &r))
        return -1;
    memcpy(out->cell[MEASURE_MUNICIPALITIES], r.municipalities, sizeof r.municipalities);
    memcpy(out->cell[MEASURE_PROGNOSIS], r.prognosis_municipalities, sizeof r.prognosis_municipalities);
    memcpy(out->cell[MEASURE_REGIONS], r.regions, sizeof r.regions);
    memcpy(out->cell[MEASURE_REGIONS_PROGNOSIS], r.prognosis_regions, sizeof r.prognosis_regions);
    return 0;
}

bool edition_cell_differs(const rules_count *x, const rules_count *y)
{
    return x->covered != y->covered || x->total != y->total;
}

bool edition_figures_differ(const edition_figures *x, const edition_figures *y)
{
    for (int m = 0; m < EDITION_MEASURES; m++)
        for (int row = 0; row < PROVINCE_ROWS; row++)
            if (edition_cell_differs(&x->cell[m][row], &y->cell[m][row]))
                return true;
    return false;
}

const char *edition_cell_label(arena *a, int measure, int row, date_t d, date_t p)
{
    char day[DATE_NL_LEN];
    bool prognosis = measure == MEASURE_PROGNOSIS || measure == MEASURE_REGIONS_PROGNOSIS;
    return arena_printf(a, "%s %s %s %s", province_name(row), measure < MEASURE_REGIONS ? "gemeenten" : "regiegebieden",
                        prognosis ? "prognose" : "op", date_format_nl(prognosis ? p : d, day));
}

/* ---- publishing ---- */

/* The change and moment the figures are known at, inside the transaction of change. */
static int known_of(store *s, const edition_input *in, int64_t change, arena *a, int64_t *known, char **at)
{
    int64_t before = store_change_before(s, change);
    if (before < 0)
        return -1;
    *known = before;
    if (in->as_known_at != MOMENT_NONE) {
        int64_t k = store_known_at(s, in->as_known_at);
        *known = k < before ? k : before;
        char m[MOMENT_ISO_LEN];
        *at = arena_strdup(a, moment_format_utc(in->as_known_at, m));
        return 0;
    }
    store_change c;
    int found = before ? store_change_get(s, before, a, &c) : 0;
    if (found < 0)
        return -1;
    char m[MOMENT_ISO_LEN];
    *at = found ? c.moment : arena_strdup(a, moment_format_utc(moment_now(), m));
    return 0;
}

int edition_publish(store *s, const char *actor, const edition_input *in, int64_t opened_on, arena *a,
                    edition_head *out)
{
    int64_t change;
    if (store_begin(s, actor, "publish", arena_printf(a, "editie: %s", arena_clip(a, in->question, 80)), &change))
        return EDITION_FAILED;
    *out = (edition_head){0, (char *)in->question, in->date, in->prognosis, 0, NULL, 0, NULL, (char *)actor};
    if (known_of(s, in, change, a, &out->known_change, &out->known_at)) {
        store_rollback(s);
        return EDITION_FAILED;
    }
    if (opened_on && in->as_known_at == MOMENT_NONE && out->known_change != opened_on) {
        store_rollback(s);
        return EDITION_STALE;
    }
    register_view v;
    if (store_load_view(s, out->known_change, &v)) {
        store_rollback(s);
        return EDITION_FAILED;
    }
    edition_figures f;
    int rc = edition_figures_in(&v, out, &f);
    register_view_free(&v);
    if (rc || store_edition_add(s, change, out, &f, in->notes, in->note_count) || store_commit(s)) {
        store_rollback(s);
        return EDITION_FAILED;
    }
    store_change c;
    if (store_change_get(s, change, a, &c) == 1)
        out->published_at = c.moment;
    return EDITION_PUBLISHED;
}

/* ---- the diff ---- */

/* The agreements each cause wrote (store_change_versions). */
static int name_agreements(store *s, edition_diff *d, arena *a)
{
    if (!d->cause_count)
        return 0;
    int64_t *ids = arena_calloc(a, d->cause_count, sizeof *ids);
    size_t *totals = arena_calloc(a, d->cause_count, sizeof *totals);
    for (size_t i = 0; i < d->cause_count; i++)
        ids[i] = d->causes[i].change.id;
    store_written *w;
    size_t n;
    if (store_change_versions(s, ids, d->cause_count, NULL, EDITION_AGREEMENTS_NAMED, a, &w, &n, totals))
        return -1;
    for (size_t i = 0; i < d->cause_count; i++) {
        edition_cause *c = &d->causes[i];
        c->agreement_total = totals[i];
        c->agreements = arena_calloc(a, EDITION_AGREEMENTS_NAMED + 1, sizeof *c->agreements);
        for (size_t k = 0; k < n; k++)
            if (w[k].change == c->change.id && c->agreement_count < EDITION_AGREEMENTS_NAMED)
                c->agreements[c->agreement_count++] = w[k].agreement;
    }
    return 0;
}

/* The figures of e as known at change `known`. */
static int figures_at(store *s, const edition_head *e, int64_t known, edition_figures *out)
{
    register_view v;
    if (store_load_view(s, known, &v))
        return -1;
    int rc = edition_figures_in(&v, e, out);
    register_view_free(&v);
    return rc;
}

/* Walks the changes since publication (up to `until`) that wrote what the
 * table reads; a change that moves a changed cell is one of its causes. */
static int find_causes(store *s, edition_diff *d, int64_t until, arena *a)
{
    edition_figures before;
    if (figures_at(s, &d->head, d->head.known_change, &before))
        return -1;
    for (size_t i = 0; i < d->count; i++) {
        edition_cell *c = &d->cells[i];
        c->rules_changed = edition_cell_differs(&before.cell[c->measure][c->row], &c->published);
        c->causes = arena_calloc(a, 1, sizeof *c->causes);
    }
    store_change *changes;
    size_t n, cap = 0;
    if (store_view_changes(s, d->head.known_change, until, a, &changes, &n))
        return -1;
    size_t *cell_cap = arena_calloc(a, d->count + 1, sizeof *cell_cap);
    for (size_t k = 0; k < n; k++) {
        edition_figures after;
        if (figures_at(s, &d->head, changes[k].id, &after))
            return -1;
        bool moved = false;
        for (size_t i = 0; i < d->count; i++) {
            edition_cell *c = &d->cells[i];
            if (!edition_cell_differs(&before.cell[c->measure][c->row], &after.cell[c->measure][c->row]))
                continue;
            c->causes = arena_grow(a, c->causes, &cell_cap[i], c->cause_count + 1, sizeof *c->causes);
            c->causes[c->cause_count++] = d->cause_count;
            moved = true;
        }
        if (moved) {
            d->causes = arena_grow(a, d->causes, &cap, d->cause_count + 1, sizeof *d->causes);
            d->causes[d->cause_count++] = (edition_cause){changes[k], NULL, 0, 0};
        }
        before = after;
    }
    return name_agreements(s, d, a);
}

int edition_diff_compute(store *s, int64_t id, const register_view *now_view, arena *a, edition_diff *out)
{
    memset(out, 0, sizeof *out);
    int found = store_edition_get(s, id, a, &out->head);
    if (found != 1)
        return found;
    if (store_edition_figures(s, id, &out->published) ||
        store_edition_notes(s, id, a, &out->notes, &out->note_count))
        return -1;
    int rc = now_view ? edition_figures_in(now_view, &out->head, &out->now)
                      : figures_at(s, &out->head, STORE_NOW, &out->now);
    if (rc)
        return -1;
    size_t cap = 0;
    for (int row = 0; row < PROVINCE_ROWS; row++)
        for (int m = 0; m < EDITION_MEASURES; m++) {
            const rules_count *was = &out->published.cell[m][row], *now = &out->now.cell[m][row];
            if (!edition_cell_differs(was, now))
                continue;
            out->cells = arena_grow(a, out->cells, &cap, out->count + 1, sizeof *out->cells);
            out->cells[out->count++] = (edition_cell){m, row, *was, *now, false, NULL, 0};
        }
    if (out->count && find_causes(s, out, now_view ? now_view->known : STORE_NOW, a))
        return -1;
    return 1;
}

/* ---- tables ---- */

static const char *const LIST_KEYS[] = {"id", "question", "date", "prognosis", "known_at", "published_at"};
static const char *const LIST_LABELS[] = {"Editie", "Vraag", "Datum", "Prognose", "Zoals gekend op",
                                          "Gepubliceerd op"};

void edition_list_table(arena *a, const edition_head *e, size_t n, table *t)
{
    table_init(t, a, "Gepubliceerde edities", LIST_KEYS, LIST_LABELS, 6);
    for (size_t i = 0; i < n; i++) {
        cell *c = table_row(t);
        c[0] = cell_int(e[i].id);
        c[1] = cell_text(e[i].question);
        c[2] = cell_date(e[i].date);
        c[3] = cell_date(e[i].prognosis);
        c[4] = cell_text(e[i].known_at);
        c[5] = cell_text(e[i].published_at);
    }
}

void edition_report(const edition_head *e, const edition_figures *f, coverage_report *out)
{
    memset(out, 0, sizeof *out);
    out->date = e->date;
    out->prognosis = e->prognosis;
    out->as_known_at = MOMENT_NONE;
    memcpy(out->municipalities, f->cell[MEASURE_MUNICIPALITIES], sizeof out->municipalities);
    memcpy(out->prognosis_municipalities, f->cell[MEASURE_PROGNOSIS], sizeof out->prognosis_municipalities);
    memcpy(out->regions, f->cell[MEASURE_REGIONS], sizeof out->regions);
    memcpy(out->prognosis_regions, f->cell[MEASURE_REGIONS_PROGNOSIS], sizeof out->prognosis_regions);
}
