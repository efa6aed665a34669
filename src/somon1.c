/* somon1.c: see somon1.h and docs/somon1.md. The reader walks the JSON tree
 * once; a problem records its path, which is only turned into text when
 * something is wrong. */
#define _POSIX_C_SOURCE 200809L
#include "somon1.h"
#include "i18n.h"


#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "history.h"
#include "input.h"
#include "notice.h"
#include "store_notice.h"
#include "store_evaluations.h"

const char *const ACTION_STATUSES[] = {"not_started", "ongoing", "achieved", "stalled", "dropped", "retired", NULL};
const char *const ORGANISATION_KINDS[] = {"association", "public_service", "other", NULL};
const char *const AGREEMENT_KINDS[] = {"centrumstad", "regiegebied", "cluster", "gemeente", NULL};
const char *const DECISION_BODIES[] = {"gemeenteraad", "ocmw_raad", "raad_van_bestuur", "other", NULL};

enum { DIAG_KEEP = 2000 };

void diag_add(diag *d, const char *fmt, ...)
{
    d->total++;
    if (d->count >= DIAG_KEEP)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *line = arena_vprintf(d->arena, fmt, ap);
    va_end(ap);
    /* a message quotes input: show its control characters, never send them to a terminal */
    line = text_shown_copy(d->arena, line);
    d->lines = arena_grow(d->arena, d->lines, &d->cap, d->count + 1, sizeof *d->lines);
    d->lines[d->count++] = line;
}

/* ---- paths ------------------------------------------------------------ */

typedef struct path {
    const struct path *up;
    const char *key; /* NULL: an index */
    size_t index;
} path;

static path at_key(const path *up, const char *key) { return (path){up, key, 0}; }
static path at_index(const path *up, size_t i) { return (path){up, NULL, i}; }

static char *path_text(arena *a, const path *p)
{
    if (!p)
        return arena_strdup(a, "");
    char *up = path_text(a, p->up);
    if (!p->key)
        return arena_printf(a, "%s[%zu]", up, p->index);
    return *up ? arena_printf(a, "%s.%s", up, p->key) : arena_strdup(a, p->key);
}

typedef struct {
    arena *a;
    diag *d;
    const char *source;
    const somon1_context *ctx;
    const somon1_doc *doc; /* the document being read, for references inside it */
    bool dutch;            /* messages for people editing in the browser: the "form" wording */
    somon1_problem *found; /* when not NULL, problems are also kept by path */
    size_t found_count, found_cap;
    struct pipeline *sink; /* when not NULL (an import), each agreement goes to the writer once read */
} reader;

/* The messages that an edit form can provoke have a "form" variant in the
 * catalogue (po/nl/import.po, msgctxt "form"): the form picks where the command
 * line gives ("kies een gemeente" for "give the NIS code"). Listed here so that
 * xgettext extracts them; problem() looks the variant up (i18n_form). A variant
 * takes the arguments of its original in the same order: %.0s swallows an
 * English text. */
static const char *const FORM_VARIANTS[] __attribute__((unused)) = {
    NC_("form", "required; give a text"),
    NC_("form", "empty; give a text%s"),
    NC_("form", "'%s' is not a date; write YYYY-MM-DD with a day that exists"),
    NC_("form", "%lld is out of range; give a whole number from 1 to 1000"),
    NC_("form", "'%s' is not a valid id; begin with a letter or digit, then up to 63 letters, digits, '.', '_' or '-'"),
    NC_("form", "required; give one of %s"),
    NC_("form", "'%s' is not %s; give one of %s"),
    NC_("form", "'%s' is not a NIS code; give the 5 digits, e.g. \"44021\""),
    NC_("form", "unknown NIS code %s; give the code of a Flemish municipality (data/municipalities.csv)"),
    NC_("form", "municipality %05d (%s) did not exist on %s, %s; name the municipality as it was on that day"),
    NC_("form", "give exactly one of municipality (a NIS code) and organisation (an id)"),
    NC_("form", "%s is in the future; give the day the council approved, once it has"),
    NC_("form", "after until (%s); a council approves on or before the party's last day"),
    NC_("form", "%05d no longer existed on %s; the council of the municipality it merged into approved: name that municipality as a party from its approval"),
    NC_("form", "before from; a party leaves on or after the day it joins"),
    NC_("form", "the same party as parties[%zu]; list each party once"),
    NC_("form", "only for a party that left; give until (the last day it is bound) or remove the reason"),
    NC_("form", "before the party's first day (%s); a party leaves on or after the day it joins"),
    NC_("form", "before start; an agreement ends on or after the day it starts"),
    NC_("form", "after end; the expected start must lie on or before the end"),
    NC_("form", "required with status terminated; give the first day the agreement is no longer in force"),
    NC_("form", "only allowed with status terminated; set status to terminated or remove the date"),
    NC_("form", "required with status terminated; give VDAB, a party's NIS code or an organisation id"),
    NC_("form", "only allowed with status terminated; set status to terminated or remove it"),
    NC_("form", "'%s' is not a party of this agreement; give VDAB, a party's NIS code or organisation id"),
    NC_("form", "on or before start; the first day no longer in force comes after the start"),
    NC_("form", "more than a day after end; an agreement cannot end after its end date"),
    NC_("form", "domain number %s is used twice; number each domain once"),
    NC_("form", "action number %s is used twice; number each action once"),
    NC_("form", "give a name or a function (or both)"),
    NC_("form", "give both min_meetings and per_years (\"2 keer per jaar\" = 2 and 1) or neither"),
    NC_("form", "'%s' is named twice (also governance[%zu]); give each body its own name"),
    NC_("form", "unknown regiegebied '%s'; define it under regiegebieden or import it first"),
    NC_("form", "unknown organisation '%s'; define it under organisations or import it first"),
    NC_("form", "'%s' is out of range; give a date from %d-01-01 to %d-12-31"),
    NC_("form", "%zu elements; give at most %zu (docs/somon1.md, Limits)"),
    NC_("form", "%s differs from the latest approving decision (%s); give that day or leave approved_on out"),
    NC_("form", "no decision approves; remove approved_on or mark the approving decision (approves: true)"),
    NC_("form", "'%s' is not a web address; give a link that begins with https:// or http://, without spaces"),
    NC_("form", "%s is in the future; give the day the body decided, once it has"),
    NC_("form", "unknown agreement '%s'; give the id of an agreement in the file or the register"),
    NC_("form", "the agreement itself; give the id of the agreement it follows up"),
    NC_("form", "'%s' follows up this agreement already (%s); an agreement cannot follow up its own follower"),
    NC_("form", "expected true or false, found %s"),
    NC_("form", "required; give a date (YYYY-MM-DD)"),
    NC_("form", "before from; a regiegebied ends on or after the day it starts"),
    NC_("form", "required; give the NIS code of the member"),
    NC_("form", "before the regiegebied's from (%s); a member joins inside the regiegebied's period"),
    NC_("form", "after the regiegebied's until (%s); a member joins inside the regiegebied's period"),
    NC_("form", "after the regiegebied's until (%s); a member leaves inside the regiegebied's period"),
    NC_("form", "before the member's first day (%s); a member leaves on or after the day it joins"),
    NC_("form", "%s is a member twice on the same days (also members[%zu]); give each period of a municipality once, without overlap"),
    NC_("form", "before from; a cooperation ends on or after the day it starts"),
    NC_("form", "'%s' is not a kind of cooperation; give one of %s"),
    NC_("form", "'%s' is not a stage; give one of %s"),
    NC_("form", "required; give the NIS code of the municipality"),
};

static void problem(reader *r, const path *p, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(reader *r, const path *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *what = arena_vprintf(r->a, r->dutch ? i18n_form(fmt) : gettext(fmt), ap);
    va_end(ap);
    char *where = path_text(r->a, p);
    diag_add(r->d, "%s: %s%s%s", r->source, where, *where ? ": " : "", what);
    if (r->found) {
        r->found = arena_grow(r->a, r->found, &r->found_cap, r->found_count + 1, sizeof *r->found);
        r->found[r->found_count++] = (somon1_problem){where, what};
    }
}

/* ---- typed fields ----------------------------------------------------- */

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return _("an object");
    case JSON_ARRAY: return _("a list");
    case JSON_STRING: return _("a text");
    case JSON_INTEGER: return _("a whole number");
    case JSON_REAL: return _("a number");
    case JSON_TRUE:
    case JSON_FALSE: return _("true/false");
    default: return "null";
    }
}

static size_t edit_distance(const char *x, const char *y)
{
    size_t n = strlen(y), prev[65], cur[65];
    if (strlen(x) > 64 || n > 64)
        return 99;
    for (size_t j = 0; j <= n; j++)
        prev[j] = j;
    for (size_t i = 1; x[i - 1]; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= n; j++) {
            size_t sub = prev[j - 1] + (x[i - 1] != y[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (n + 1) * sizeof *prev);
    }
    return prev[n];
}

static bool in_list(const char *v, const char *const *list)
{
    for (; v && *list; list++)
        if (strcmp(v, *list) == 0)
            return true;
    return false;
}

/* Refuses fields the format does not have, suggesting the nearest one. */
static void check_keys(reader *r, const path *p, json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (in_list(key, allowed))
            continue;
        const char *best = NULL;
        size_t best_d = 3;
        for (const char *const *k = allowed; *k; k++) {
            size_t dist = edit_distance(key, *k);
            if (dist < best_d)
                best_d = dist, best = *k;
        }
        path kp = at_key(p, arena_clip(r->a, key, 64));
        if (best)
            problem(r, &kp, N_("unknown field; did you mean '%s'?"), best);
        else
            problem(r, &kp, N_("unknown field; see docs/somon1.md for the fields of this object"));
    }
}

static bool is_object(reader *r, const path *p, json_t *v)
{
    if (json_is_object(v))
        return true;
    problem(r, p, N_("expected an object, found %s"), json_kind(v));
    return false;
}

/* The string at key, when present, a string and not blank: the checks every
 * text field shares. NULL when absent or null (a problem when required: a
 * page's address when address, else a text) and after a problem; *len is
 * its length. */
static const char *text_value(reader *r, const path *kp, json_t *obj, const char *key, bool required, bool address,
                              size_t *len)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required)
            problem(r, kp, address ? N_("required; give the address of the page, https://…") : N_("required; give a text"));
        return NULL;
    }
    if (!json_is_string(v)) {
        problem(r, kp, N_("expected a text, found %s"), json_kind(v));
        return NULL;
    }
    const char *s = json_string_value(v);
    *len = json_string_length(v);
    if (*len == 0 || strspn(s, " \t\r\n") == *len) {
        problem(r, kp, N_("empty; give a text%s"), required ? "" : N_(" or null"));
        return NULL;
    }
    return s;
}

/* A text field of the given kind (input.h): NULL when absent or null (a
 * problem when required) and after a problem. */
static char *get_text(reader *r, const path *p, json_t *obj, const char *key, text_kind kind, bool required)
{
    path kp = at_key(p, key);
    size_t len;
    const char *s = text_value(r, &kp, obj, key, required, false, &len);
    if (!s)
        return NULL;
    text_verdict verdict = text_check(s, len, kind);
    if (verdict.fault != TEXT_OK) {
        problem(r, &kp, "%s", text_explain(r->a, &verdict, kind, r->dutch));
        return NULL;
    }
    return arena_strndup(r->a, s, len);
}

static date_t get_date(reader *r, const path *p, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    path kp = at_key(p, key);
    if (!v || json_is_null(v))
        return DATE_NONE;
    date_t d;
    if (!json_is_string(v)) {
        problem(r, &kp, N_("expected a date (YYYY-MM-DD), found %s"), json_kind(v));
        return DATE_NONE;
    }
    if (!date_parse_iso(json_string_value(v), &d)) {
        problem(r, &kp, N_("'%s' is not a date; write YYYY-MM-DD with a day that exists"),
                arena_clip(r->a, json_string_value(v), 40));
        return DATE_NONE;
    }
    if (!date_in_limits(d)) {
        problem(r, &kp, N_("'%s' is out of range; give a date from %d-01-01 to %d-12-31"), json_string_value(v),
                LIMIT_YEAR_FIRST, LIMIT_YEAR_LAST);
        return DATE_NONE;
    }
    return d;
}

/* A positive whole number; 0 when absent or null. */
static int get_positive(reader *r, const path *p, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    path kp = at_key(p, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v)) {
        problem(r, &kp, N_("expected a whole number, found %s"), json_kind(v));
        return 0;
    }
    json_int_t n = json_integer_value(v);
    if (n < 1 || n > 1000) {
        problem(r, &kp, N_("%lld is out of range; give a whole number from 1 to 1000"), (long long)n);
        return 0;
    }
    return (int)n;
}

/* A list field of at most max elements; NULL when absent or null (a
 * problem when required) and when too long. */
static json_t *get_list(reader *r, const path *p, json_t *obj, const char *key, bool required, size_t max)
{
    json_t *v = json_object_get(obj, key);
    path kp = at_key(p, key);
    if (!v || json_is_null(v)) {
        if (required)
            problem(r, &kp, N_("required; give a list (it may be empty: [])"));
        return NULL;
    }
    if (!json_is_array(v)) {
        problem(r, &kp, N_("expected a list, found %s"), json_kind(v));
        return NULL;
    }
    if (json_array_size(v) > max) {
        problem(r, &kp, N_("%zu elements; give at most %zu (docs/somon1.md, Limits)"), json_array_size(v), max);
        return NULL;
    }
    return v;
}

static char *choices(arena *a, const char *const *list)
{
    char *s = arena_strdup(a, "");
    for (const char *const *p = list; *p; p++)
        s = arena_printf(a, "%s%s%s", s, *s ? ", " : "", *p);
    return s;
}

/* Ids appear in URLs: a letter or digit first (so never "." or ".."), then
 * letters, digits, '.', '_' or '-'. */
static bool valid_id(const char *id)
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    size_t n = strlen(id);
    return n > 0 && n <= 64 && strchr(alnum, id[0]) && strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                                   "0123456789._-") == n;
}

static char *get_id(reader *r, const path *p, json_t *obj)
{
    char *id = get_text(r, p, obj, "id", TEXT_ID, true);
    path kp = at_key(p, "id");
    if (id && !valid_id(id)) {
        problem(r, &kp, N_("'%s' is not a valid id; begin with a letter or digit, then up to 63 letters, digits, "
                        "'.', '_' or '-'"), arena_clip(r->a, id, 70));
        return NULL;
    }
    return id;
}

static const char *const PROVINCES[] = {"West-Vlaanderen", "Oost-Vlaanderen", "Antwerpen", "Vlaams-Brabant",
                                         "Limburg", NULL};
static const char *const STATUSES[] = {"draft", "negotiating", "agreed_in_principle", "awaiting_approval",
                                       "signed", "terminated", NULL};

static const char *const EVALUATION_CHOICES[] = {"not_started", "ongoing", "achieved", "stalled", "dropped", NULL};

/* The Dutch words the web shows for the statuses (rules.c, store_evaluations.c,
 * page_plan.c): an import accepts them besides the codes, in any case, and
 * stores the code ("ondertekend" is "signed"). */
static const char *const ACTION_STATUS_WORDS[] = {"niet gestart", "lopend",    "gerealiseerd",
                                                  "vastgelopen",  "geschrapt", "stopgezet"};
_Static_assert(sizeof ACTION_STATUS_WORDS / sizeof *ACTION_STATUS_WORDS + 1 ==
                   sizeof ACTION_STATUSES / sizeof *ACTION_STATUSES,
               "a Dutch word for every action status");

static char *choice_from_dutch(char *value, const char *const *list)
{
    if (list == STATUSES) {
        for (int st = 0; st < STATUS_COUNT; st++)
            if (strcasecmp(value, status_label_nl((agreement_status)st)) == 0)
                return (char *)status_name((agreement_status)st);
    } else if (list == EVALUATION_CHOICES) {
        for (int i = 0; i < EVALUATION_STATUS_COUNT; i++)
            if (strcasecmp(value, EVALUATION_STATUS_LABELS[i]) == 0)
                return (char *)EVALUATION_STATUSES[i];
    } else if (list == ACTION_STATUSES) {
        for (size_t i = 0; i < sizeof ACTION_STATUS_WORDS / sizeof *ACTION_STATUS_WORDS; i++)
            if (strcasecmp(value, ACTION_STATUS_WORDS[i]) == 0)
                return (char *)ACTION_STATUSES[i];
    }
    return value;
}

/* A text that must be one of the given choices; NULL after a problem. */
/* what is untranslated (N_): gettext is called only for a problem, not
 * for every field read */
static char *get_choice(reader *r, const path *p, json_t *obj, const char *key, bool required,
                        const char *const *list, const char *what)
{
    path kp = at_key(p, key);
    json_t *v = json_object_get(obj, key);
    if (required && (!v || json_is_null(v))) {
        problem(r, &kp, N_("required; give one of %s"), choices(r->a, list));
        return NULL;
    }
    char *value = get_text(r, p, obj, key, TEXT_NAME, false);
    if (value && !in_list(value, list))
        value = choice_from_dutch(value, list);
    if (value && !in_list(value, list)) {
        problem(r, &kp, N_("'%s' is not %s; give one of %s"), arena_clip(r->a, value, 40), gettext(what),
                choices(r->a, list));
        return NULL;
    }
    return value;
}

static int get_province(reader *r, const path *p, json_t *obj, const char *key)
{
    return province_parse(get_choice(r, p, obj, key, true, PROVINCES, N_("a Flemish province")));
}

/* ---- municipalities --------------------------------------------------- */

static const char *municipality_name(const register_view *v, int code)
{
    int first = v->map.code_first[code];
    return first >= 0 ? v->municipalities[first + v->map.code_count[code] - 1].name : "?";
}

/* A NIS code that the map knows; -1 after reporting a problem. */
static int get_nis(reader *r, const path *p, const char *nis)
{
    int code = nis_code(nis);
    if (code < 0) {
        problem(r, p, N_("'%s' is not a NIS code; give the 5 digits, e.g. \"44021\""), arena_clip(r->a, nis, 20));
        return -1;
    }
    if (!rules_code_exists(&r->ctx->view->map, code)) {
        problem(r, p, N_("unknown NIS code %s; give the code of a Flemish municipality (data/municipalities.csv)"), nis);
        return -1;
    }
    return code;
}

static void must_exist_on(reader *r, const path *p, int code, date_t d, const char *what)
{
    if (code < 0 || d == DATE_NONE || rules_identity_on(&r->ctx->view->map, code, d) >= 0)
        return;
    char day[DATE_ISO_LEN];
    problem(r, p, N_("municipality %05d (%s) did not exist on %s, %s; name the municipality as it was on that day"),
            code, municipality_name(r->ctx->view, code), date_format_iso(d, day), gettext(what));
}

/* ---- lists of objects -------------------------------------------------- */

typedef void (*object_reader)(reader *r, const path *p, json_t *obj, void *item);

/* Reads the list under key of v: objects with the allowed keys, each filled in
 * by read_one. Returns the items (zeroed where an element is not an object)
 * and sets *count; an empty or absent list is NULL, as the store reads it
 * (most of 200,000 parties have no signatories and no decisions, and an
 * empty array for each took 22 MB of a large import). */
static void *read_objects(reader *r, const path *p, json_t *v, const char *key, bool required, size_t max,
                          const char *const *keys, size_t item_size, object_reader read_one, size_t *count)
{
    json_t *list = get_list(r, p, v, key, required, max);
    path lp = at_key(p, key);
    *count = json_array_size(list);
    if (!*count)
        return NULL;
    char *items = arena_calloc(r->a, *count, item_size);
    for (size_t i = 0; i < *count; i++) {
        path ip = at_index(&lp, i);
        json_t *x = json_array_get(list, i);
        if (!is_object(r, &ip, x))
            continue;
        check_keys(r, &ip, x, keys);
        read_one(r, &ip, x, items + i * item_size);
    }
    return items;
}

/* ---- organisations and regiegebieden ------------------------------------ */

static const char *const ORGANISATION_KEYS[] = {"id", "name", "kind", "members", NULL};
static const char *const REGION_KEYS[] = {"id", "name", "province", "from", "until", "members", "notes", NULL};
static const char *const DATED_MEMBER_KEYS[] = {"municipality", "from", "until", NULL};

date_t member_first(date_t whole_from, const dated_member *m) { return m->from != DATE_NONE ? m->from : whole_from; }

date_t member_last(date_t whole_until, const dated_member *m) { return m->until != DATE_NONE ? m->until : whole_until; }

bool member_on(date_t whole_from, date_t whole_until, const dated_member *m, date_t d)
{
    date_t first = member_first(whole_from, m), last = member_last(whole_until, m);
    return (first == DATE_NONE || first <= d) && (last == DATE_NONE || d <= last) &&
           (whole_from == DATE_NONE || whole_from <= d) && (whole_until == DATE_NONE || d <= whole_until);
}

date_t region_member_first(const regiegebied *g, const dated_member *m) { return member_first(g->from, m); }
date_t region_member_last(const regiegebied *g, const dated_member *m) { return member_last(g->until, m); }
bool region_member_on(const regiegebied *g, const dated_member *m, date_t d) { return member_on(g->from, g->until, m, d); }

/* A member: a bare NIS code (no dates of its own) or {"municipality",
 * "from", "until"} (SPEC §5). Returns false when it cannot be read. */
static bool read_dated_member(reader *r, const path *ip, json_t *m, dated_member *out)
{
    json_t *code = m;
    if (json_is_object(m)) {
        check_keys(r, ip, m, DATED_MEMBER_KEYS);
        out->from = get_date(r, ip, m, "from");
        out->until = get_date(r, ip, m, "until");
        code = json_object_get(m, "municipality");
        if (!code || json_is_null(code)) {
            path mp = at_key(ip, "municipality");
            problem(r, &mp, N_("required; give the NIS code of the member"));
            return false;
        }
    } else {
        out->from = out->until = DATE_NONE;
    }
    path cp = json_is_object(m) ? at_key(ip, "municipality") : *ip;
    if (!json_is_string(code)) {
        problem(r, &cp, N_("expected a NIS code as text or {\"municipality\", \"from\", \"until\"}, found %s"),
                json_kind(code));
        return false;
    }
    text_verdict verdict = text_check(json_string_value(code), json_string_length(code), TEXT_ID);
    if (verdict.fault != TEXT_OK) {
        problem(r, &cp, "%s", text_explain(r->a, &verdict, TEXT_ID, r->dutch));
        return false;
    }
    out->municipality = arena_strdup(r->a, json_string_value(code));
    return true;
}

/* A day in a message: as the forms write it (30/06/2023) for a form, ISO for a file. */
static const char *shown_day(const reader *r, date_t d, char *day)
{
    return r->dutch ? date_format_nl(d, day) : date_format_iso(d, day);
}

/* What a member is checked against: the whole it belongs to and its
 * bounds (a regiegebied's period; an organisation has none: DATE_NONE). */
typedef struct {
    bool regiegebied; /* false: an organisation */
    date_t from, until;
} member_whole;

/* The first day of code in the map (DATE_NONE when unknown). */
static date_t code_first_day(const reader *r, int code)
{
    const rules_map *map = &r->ctx->view->map;
    return code >= 0 && map->code_first[code] >= 0 ? map->items[map->code_first[code]].valid_from : DATE_NONE;
}

/* A member's municipality exists on its first day (its from; without one the
 * regiegebied's from, or for an organisation the first day the municipality
 * exists); it leaves on or after that day; a regiegebied's member lies
 * inside the regiegebied's period. */
static void check_member(reader *r, const path *ip, const member_whole *w, const dated_member *m, bool object)
{
    char day[DATE_ISO_LEN > DATE_NL_LEN ? DATE_ISO_LEN : DATE_NL_LEN];
    path cp = object ? at_key(ip, "municipality") : *ip, fp = at_key(ip, "from"), up = at_key(ip, "until");
    int code = get_nis(r, &cp, m->municipality);
    date_t first = member_first(w->regiegebied ? w->from : code_first_day(r, code), m);
    if (m->from != DATE_NONE && w->from != DATE_NONE && m->from < w->from)
        problem(r, &fp, N_("before the regiegebied's from (%s); a member joins inside the regiegebied's period"),
                shown_day(r, w->from, day));
    if (m->from != DATE_NONE && w->until != DATE_NONE && m->from > w->until)
        problem(r, &fp, N_("after the regiegebied's until (%s); a member joins inside the regiegebied's period"),
                shown_day(r, w->until, day));
    if (m->until != DATE_NONE && w->until != DATE_NONE && m->until > w->until)
        problem(r, &up, N_("after the regiegebied's until (%s); a member leaves inside the regiegebied's period"),
                shown_day(r, w->until, day));
    if (m->until != DATE_NONE && first != DATE_NONE && m->until < first)
        problem(r, &up, N_("before the member's first day (%s); a member leaves on or after the day it joins"),
                shown_day(r, first, day));
    else if (first != DATE_NONE)
        must_exist_on(r, &cp, code, first, m->from != DATE_NONE ? N_("the member's from date") : N_("the regiegebied's from date"));
}

/* The same municipality may be a member twice (it left and came back), but
 * never for two periods that share a day. */
static bool members_overlap(const member_whole *w, const dated_member *a, const dated_member *b)
{
    date_t af = member_first(w->from, a), al = member_last(w->until, a);
    date_t bf = member_first(w->from, b), bl = member_last(w->until, b);
    return (af == DATE_NONE || bl == DATE_NONE || af <= bl) && (bf == DATE_NONE || al == DATE_NONE || bf <= al);
}

/* The list under "members" of v into *out (*count), each member read and
 * checked against w (when check_dates: the whole's own dates are right). */
static void read_members(reader *r, const path *p, json_t *v, bool required, const member_whole *w, bool check_dates,
                         dated_member **out, size_t *count)
{
    json_t *members = get_list(r, p, v, "members", required, LIST_PARTIES);
    path mp = at_key(p, "members");
    *count = json_array_size(members);
    *out = arena_calloc(r->a, *count + 1, sizeof **out);
    bool *ok = arena_calloc(r->a, *count + 1, sizeof *ok);
    for (size_t i = 0; i < *count; i++) {
        path ip = at_index(&mp, i);
        json_t *m = json_array_get(members, i);
        dated_member *x = &(*out)[i];
        if (!(ok[i] = read_dated_member(r, &ip, m, x)))
            continue;
        if (check_dates)
            check_member(r, &ip, w, x, json_is_object(m));
        for (size_t k = 0; k < i; k++)
            if (ok[k] && strcmp((*out)[k].municipality, x->municipality) == 0 && members_overlap(w, &(*out)[k], x)) {
                problem(r, &ip, N_("%s is a member twice on the same days (also members[%zu]); give each period of a "
                                "municipality once, without overlap"),
                        arena_clip(r->a, x->municipality, 20), k);
                break;
            }
    }
}

static void read_organisation(reader *r, const path *p, json_t *v, void *item)
{
    organisation *o = item;
    o->id = get_id(r, p, v);
    o->name = get_text(r, p, v, "name", TEXT_NAME, true);
    o->kind = get_choice(r, p, v, "kind", true, ORGANISATION_KINDS, N_("a kind"));
    /* optional: files from before organisations had members (absent keeps the stored ones) */
    json_t *given = json_object_get(v, "members");
    o->members_given = given && !json_is_null(given);
    member_whole w = {false, DATE_NONE, DATE_NONE};
    read_members(r, p, v, false, &w, true, &o->members, &o->member_count);
}

static void read_regiegebied(reader *r, const path *p, json_t *v, void *item)
{
    regiegebied *g = item;
    g->id = get_id(r, p, v);
    g->name = get_text(r, p, v, "name", TEXT_NAME, true);
    g->province = get_province(r, p, v, "province");
    g->from = get_date(r, p, v, "from");
    g->until = get_date(r, p, v, "until");
    g->notes = get_text(r, p, v, "notes", TEXT_NOTE, false);
    path up = at_key(p, "until");
    bool period_ok = !(g->from != DATE_NONE && g->until != DATE_NONE && g->until < g->from);
    if (!period_ok)
        problem(r, &up, N_("before from; a regiegebied ends on or after the day it starts"));
    member_whole w = {true, g->from, g->until};
    read_members(r, p, v, true, &w, period_ok, &g->members, &g->member_count);
}

/* ---- agreements ------------------------------------------------------- */

static const char *const AGREEMENT_KEYS[] = {
    "id", "title", "vdab_directorate", "regiegebied", "status", "start", "end", "expected_start",
    "terminated_on", "terminated_by", "parties", "action_plan", "governance", "notes", "kind", "signed_on",
    "predecessor", "sources", NULL};
static const char *const PARTY_KEYS[] = {"municipality", "organisation", "approved_on", "from", "until",
                                         "left_reason", "expected_from", "signatories", "decisions", "sources", NULL};
static const char *const SOURCE_KEYS[] = {"url", "quote", "read_on", NULL};
static const char *const DECISION_KEYS[] = {"body", "on", "agenda_point", "url", "approves", NULL};
static const char *const SIGNATORY_KEYS[] = {"name", "function", NULL};
static const char *const THEME_KEYS[] = {"theme", "domains", NULL};
static const char *const DOMAIN_KEYS[] = {"number", "title", "actions", NULL};
static const char *const ACTION_KEYS[] = {"number", "title", "lead", "status", "evaluations", NULL};
static const char *const EVALUATION_KEYS[] = {"year", "status", "result", "figures", "evaluated_by", NULL};
static const char *const BODY_KEYS[] = {"body", "convener", "min_meetings", "per_years", "members", "meetings", NULL};
static const char *const MEETING_KEYS[] = {"held_on", "state", "decisions", "minutes_url", "attendees", NULL};
static const char *const ATTENDEE_KEYS[] = {"name", "function", "organisation", "guest", NULL};
/* store_evaluations.h and store.h name them too; these lists end in NULL for get_choice()
 * (EVALUATION_CHOICES is above it) */
static const char *const MEETING_STATES[] = {"planned", "held", "cancelled", NULL};
_Static_assert(sizeof EVALUATION_CHOICES / sizeof *EVALUATION_CHOICES == EVALUATION_STATUS_COUNT + 1,
               "every evaluation status of store_evaluations.h");
_Static_assert(sizeof MEETING_STATES / sizeof *MEETING_STATES == MEETING_STATE_COUNT + 1,
               "every meeting state of store.h");
enum { EVALUATION_YEAR_FIRST = 2000 }; /* the evaluation table's CHECK, as the evaluation form */
static const char *const MEMBER_KEYS[] = {"name", "function", "organisation", NULL};

static bool organisation_known(reader *r, const char *id)
{
    const somon1_doc *lists[2] = {r->doc, &r->ctx->known};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->organisation_count; i++)
            if (lists[l]->organisations[i].id && strcmp(lists[l]->organisations[i].id, id) == 0)
                return true;
    return false;
}

static bool regiegebied_known(reader *r, const char *id)
{
    const somon1_doc *lists[2] = {r->doc, &r->ctx->known};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->regiegebied_count; i++)
            if (lists[l]->regiegebieden[i].id && strcmp(lists[l]->regiegebieden[i].id, id) == 0)
                return true;
    return false;
}

static void read_signatory(reader *r, const path *p, json_t *v, void *item)
{
    signatory *s = item;
    s->name = get_text(r, p, v, "name", TEXT_NAME, true);
    s->function = get_text(r, p, v, "function", TEXT_NAME, false);
}

/* Only web addresses: http or https with a host, no spaces, control
 * characters or the bytes that break out of an attribute. */
static bool web_address(const char *u)
{
    size_t scheme = strncmp(u, "https://", 8) == 0 ? 8 : strncmp(u, "http://", 7) == 0 ? 7 : 0;
    if (!scheme || !u[scheme] || u[scheme] == '/')
        return false;
    for (const unsigned char *c = (const unsigned char *)u; *c; c++)
        if (*c <= 0x20 || *c == 0x7F || *c == '"' || *c == '<' || *c == '>' || *c == '\\')
            return false;
    return true;
}

static void read_decision(reader *r, const path *p, json_t *v, void *item)
{
    party_decision *x = item;
    path op = at_key(p, "on"), up = at_key(p, "url"), ap = at_key(p, "approves");
    char day[DATE_ISO_LEN];
    x->body = get_choice(r, p, v, "body", true, DECISION_BODIES, N_("a deciding body"));
    x->on = get_date(r, p, v, "on");
    json_t *on = json_object_get(v, "on");
    if (!on || json_is_null(on))
        problem(r, &op, N_("required; give a date (YYYY-MM-DD)"));
    else if (x->on != DATE_NONE && x->on > moment_local_date(moment_now()))
        problem(r, &op, N_("%s is in the future; give the day the body decided, once it has"), date_format_iso(x->on, day));
    x->agenda_point = get_text(r, p, v, "agenda_point", TEXT_TITLE, false);
    x->url = get_text(r, p, v, "url", TEXT_URL, false);
    if (x->url && !web_address(x->url)) {
        problem(r, &up, N_("'%s' is not a web address; give a link that begins with https:// or http://, without spaces"),
                arena_clip(r->a, x->url, 60));
        x->url = NULL;
    }
    json_t *yes = json_object_get(v, "approves");
    x->approves = true; /* "approves (boolean, default true)" */
    if (yes && !json_is_null(yes)) {
        if (json_is_boolean(yes))
            x->approves = json_is_true(yes);
        else
            problem(r, &ap, N_("expected true or false, found %s"), json_kind(yes));
    }
}

/* A source's text of at most max bytes: valid UTF-8 without control
 * characters (one line), not empty. NULL when absent, null or refused. */
static char *get_source_text(reader *r, const path *p, json_t *obj, const char *key, size_t max, bool required)
{
    path kp = at_key(p, key);
    size_t len;
    const char *s = text_value(r, &kp, obj, key, required, true, &len);
    if (!s)
        return NULL;
    text_verdict verdict = text_check(s, len, TEXT_TITLE); /* one line; its length is counted in bytes below */
    if (verdict.fault != TEXT_OK && verdict.fault != TEXT_TOO_LONG) {
        problem(r, &kp, "%s", text_explain(r->a, &verdict, TEXT_TITLE, r->dutch));
        return NULL;
    }
    if (len > max) {
        problem(r, &kp, N_("%zu bytes long; shorten it to at most %zu (docs/somon1.md, Limits)"), len, max);
        return NULL;
    }
    return arena_strndup(r->a, s, len);
}

static void read_source(reader *r, const path *p, json_t *v, void *item)
{
    source *x = item;
    path up = at_key(p, "url");
    x->url = get_source_text(r, p, v, "url", SOURCE_MAX_URL, true);
    if (x->url && !source_url_valid(x->url)) {
        problem(r, &up, N_("'%s' is not an http(s) address; write the page's full address, https://…"),
                arena_clip(r->a, x->url, 60));
        x->url = NULL;
    }
    x->quote = get_source_text(r, p, v, "quote", SOURCE_MAX_QUOTE, false);
    x->read_on = get_date(r, p, v, "read_on");
}

/* The sources of an agreement or a party: at most SOURCE_MAX_COUNT, each
 * (address and quote) once. */
static source *read_sources(reader *r, const path *p, json_t *v, size_t *count)
{
    source *list = read_objects(r, p, v, "sources", false, SOURCE_MAX_COUNT, SOURCE_KEYS, sizeof *list, read_source,
                                count);
    path lp = at_key(p, "sources");
    for (size_t i = 0; i < *count; i++)
        for (size_t k = 0; k < i && list[i].url; k++)
            if (list[k].url && strcmp(list[i].url, list[k].url) == 0 &&
                ((!list[i].quote && !list[k].quote) ||
                 (list[i].quote && list[k].quote && strcmp(list[i].quote, list[k].quote) == 0))) {
                path ip = at_index(&lp, i);
                problem(r, &ip, N_("the same source as sources[%zu] (address and quote); list each source once"), k);
                break;
            }
    return list;
}

/* "The latest approving one sets the party's approved_on": derived when the
 * file leaves it out, refused when it says another day. */
static void check_decisions(reader *r, const path *p, json_t *v, party *pt)
{
    if (!pt->decision_count)
        return;
    date_t *on = arena_calloc(r->a, pt->decision_count, sizeof *on);
    bool *yes = arena_calloc(r->a, pt->decision_count, sizeof *yes);
    for (size_t i = 0; i < pt->decision_count; i++)
        on[i] = pt->decisions[i].on, yes[i] = pt->decisions[i].approves;
    date_t latest = rules_latest_approval(on, yes, pt->decision_count);
    json_t *given = json_object_get(v, "approved_on");
    path ap = at_key(p, "approved_on");
    char day[DATE_ISO_LEN], want[DATE_ISO_LEN > DATE_NL_LEN ? DATE_ISO_LEN : DATE_NL_LEN];
    if (!given || json_is_null(given))
        pt->approved_on = latest;
    else if (pt->approved_on == DATE_NONE)
        return; /* a bad date, reported on approved_on */
    else if (latest == DATE_NONE)
        problem(r, &ap, N_("no decision approves; remove approved_on or mark the approving decision (approves: true)"));
    else if (latest != pt->approved_on)
        problem(r, &ap, N_("%s differs from the latest approving decision (%s); give that day or leave approved_on out"),
                date_format_iso(pt->approved_on, day),
                r->dutch ? date_format_nl(latest, want) : date_format_iso(latest, want)); /* the forms write 30/06/2023 */
}

/* A council approves on a day that has come, and while the party is still a
 * party: an approval after today or after the party's until is refused. */
static void check_approval(reader *r, const path *p, const party *pt)
{
    path ap = at_key(p, "approved_on");
    char day[DATE_ISO_LEN], last[DATE_ISO_LEN];
    if (pt->approved_on == DATE_NONE)
        return;
    if (pt->approved_on > moment_local_date(moment_now()))
        problem(r, &ap, N_("%s is in the future; give the day the council approved, once it has"),
                date_format_iso(pt->approved_on, day));
    else if (pt->until != DATE_NONE && pt->approved_on > pt->until)
        problem(r, &ap, N_("after until (%s); a council approves on or before the party's last day"),
                date_format_iso(pt->until, last));
}

static void read_party(reader *r, const path *p, json_t *v, void *item)
{
    party *pt = item;
    pt->municipality = get_text(r, p, v, "municipality", TEXT_ID, false);
    pt->organisation = get_text(r, p, v, "organisation", TEXT_ID, false);
    pt->approved_on = get_date(r, p, v, "approved_on");
    pt->from = get_date(r, p, v, "from");
    pt->until = get_date(r, p, v, "until");
    pt->left_reason = get_text(r, p, v, "left_reason", TEXT_PARAGRAPH, false);
    pt->expected_from = get_date(r, p, v, "expected_from");
    pt->signatories = read_objects(r, p, v, "signatories", false, LIST_SIGNATORIES, SIGNATORY_KEYS, sizeof *pt->signatories,
                                   read_signatory, &pt->signatory_count);
    pt->decisions = read_objects(r, p, v, "decisions", false, LIST_SIGNATORIES, DECISION_KEYS, sizeof *pt->decisions,
                                 read_decision, &pt->decision_count);
    pt->sources = read_sources(r, p, v, &pt->source_count);
    check_decisions(r, p, v, pt);
    json_t *m = json_object_get(v, "municipality"), *o = json_object_get(v, "organisation");
    if ((m && !json_is_null(m)) == (o && !json_is_null(o)))
        problem(r, p, N_("give exactly one of municipality (a NIS code) and organisation (an id)"));
    path mp = at_key(p, "municipality"), up = at_key(p, "until");
    if (pt->municipality && !pt->organisation)
        get_nis(r, &mp, pt->municipality);
    if (pt->from != DATE_NONE && pt->until != DATE_NONE && pt->until < pt->from)
        problem(r, &up, N_("before from; a party leaves on or after the day it joins"));
    check_approval(r, p, pt);
    /* "A municipality that gives notice leaves: its party gets until and left_reason" */
    path lp = at_key(p, "left_reason");
    json_t *u = json_object_get(v, "until"); /* a bad until is reported on until */
    if (pt->left_reason && (!u || json_is_null(u)))
        problem(r, &lp, N_("only for a party that left; give until (the last day it is bound) or remove the reason"));
}

/* A party without from joins on its planned day (expected_from) or the
 * agreement's (expected) start: it cannot leave before that. With from,
 * read_party() has compared the two already. */
static void check_party_until(reader *r, const path *p, const agreement *ag, const party *pt)
{
    if (pt->until == DATE_NONE || pt->from != DATE_NONE)
        return;
    date_t first = pt->expected_from != DATE_NONE ? pt->expected_from
                 : ag->start != DATE_NONE         ? ag->start
                                                  : ag->expected_start;
    char day[DATE_ISO_LEN > DATE_NL_LEN ? DATE_ISO_LEN : DATE_NL_LEN];
    path up = at_key(p, "until");
    if (first != DATE_NONE && pt->until < first) /* the forms write dates as 30/06/2023 */
        problem(r, &up, N_("before the party's first day (%s); a party leaves on or after the day it joins"),
                r->dutch ? date_format_nl(first, day) : date_format_iso(first, day));
}

/* "Municipalities … must exist on the first day of the party's interval",
 * on every basis on which the party covers. */
static void check_party_dates(reader *r, const path *p, const agreement *ag, const party *pt)
{
    int code = nis_code(pt->municipality);
    if (code < 0 || !rules_code_exists(&r->ctx->view->map, code))
        return;
    rules_agreement ra = {ag->status, ag->start, ag->end, ag->expected_start, ag->terminated_on, -1, NULL, 0};
    rules_party rp = {code, pt->from, pt->until, pt->expected_from, pt->approved_on};
    path mp = at_key(p, "municipality");
    date_t from = DATE_NONE, to, pfrom;
    /* a council approving after the party's other dates sets its first day:
     * it must be the council of a municipality that still existed then */
    bool actual = rules_party_interval(&ra, &rp, BASIS_ACTUAL, &from, &to);
    bool prognosis = rules_party_interval(&ra, &rp, BASIS_PROGNOSIS, &pfrom, &to);
    if ((actual && rules_party_bound_by_approval(&ra, &rp, BASIS_ACTUAL)) ||
        (!actual && prognosis && rules_party_bound_by_approval(&ra, &rp, BASIS_PROGNOSIS))) {
        if (rules_identity_on(&r->ctx->view->map, code, pt->approved_on) < 0) {
            path ap = at_key(p, "approved_on");
            char day[DATE_ISO_LEN];
            problem(r, &ap, N_("%05d no longer existed on %s; the council of the municipality it merged into approved: "
                            "name that municipality as a party from its approval"),
                    code, date_format_iso(pt->approved_on, day));
        }
        return;
    }
    if (actual)
        must_exist_on(r, &mp, code, from, N_("the first day of this party's interval"));
    if (prognosis && pfrom != from)
        must_exist_on(r, &mp, code, pfrom, N_("the first day of this party's interval in the prognosis"));
}

static void check_parties(reader *r, const path *lp, const agreement *ag)
{
    for (size_t i = 0; i < ag->party_count; i++) {
        const party *pt = &ag->parties[i];
        path ip = at_index(lp, i);
        check_party_until(r, &ip, ag, pt);
        if (pt->municipality)
            check_party_dates(r, &ip, ag, pt);
        for (size_t k = 0; k < i; k++) {
            const party *q = &ag->parties[k];
            bool same = (pt->municipality && q->municipality && strcmp(pt->municipality, q->municipality) == 0) ||
                        (pt->organisation && q->organisation && strcmp(pt->organisation, q->organisation) == 0);
            if (same) {
                problem(r, &ip, N_("the same party as parties[%zu]; list each party once"), k);
                break;
            }
        }
    }
}

static bool is_party(const agreement *ag, const char *who)
{
    for (size_t i = 0; i < ag->party_count; i++) {
        const party *pt = &ag->parties[i];
        if ((pt->municipality && strcmp(pt->municipality, who) == 0) ||
            (pt->organisation && strcmp(pt->organisation, who) == 0))
            return true;
    }
    return false;
}

static void check_lifecycle(reader *r, const path *p, const agreement *ag, bool status_ok)
{
    path ep = at_key(p, "end"), xp = at_key(p, "expected_start"), tp = at_key(p, "terminated_on"),
         bp = at_key(p, "terminated_by");
    if (ag->start != DATE_NONE && ag->end != DATE_NONE && ag->end < ag->start)
        problem(r, &ep, N_("before start; an agreement ends on or after the day it starts"));
    if (ag->expected_start != DATE_NONE && ag->end != DATE_NONE && ag->end < ag->expected_start)
        problem(r, &xp, N_("after end; the expected start must lie on or before the end"));
    if (!status_ok)
        return;
    bool terminated = ag->status == STATUS_TERMINATED;
    if (terminated && ag->terminated_on == DATE_NONE)
        problem(r, &tp, N_("required with status terminated; give the first day the agreement is no longer in force"));
    if (!terminated && ag->terminated_on != DATE_NONE)
        problem(r, &tp, N_("only allowed with status terminated; set status to terminated or remove the date"));
    if (terminated && !ag->terminated_by)
        problem(r, &bp, N_("required with status terminated; give VDAB, a party's NIS code or an organisation id"));
    if (!terminated && ag->terminated_by)
        problem(r, &bp, N_("only allowed with status terminated; set status to terminated or remove it"));
    if (ag->terminated_by && strcmp(ag->terminated_by, "VDAB") != 0 && !is_party(ag, ag->terminated_by))
        problem(r, &bp, N_("'%s' is not a party of this agreement; give VDAB, a party's NIS code or organisation id"),
                arena_clip(r->a, ag->terminated_by, 64));
    if (ag->terminated_on != DATE_NONE && ag->start != DATE_NONE && ag->terminated_on <= ag->start)
        problem(r, &tp, N_("on or before start; the first day no longer in force comes after the start"));
    if (ag->terminated_on != DATE_NONE && ag->end != DATE_NONE && ag->terminated_on > ag->end + 1)
        problem(r, &tp, N_("more than a day after end; an agreement cannot end after its end date"));
}

/* A list that replaces what is stored when it is given: absent or null
 * keeps the stored evaluations (meetings), so files written before somon
 * carried them, or written by hand, never wipe what was kept in the browser. */
static bool list_given(json_t *v, const char *key)
{
    json_t *x = json_object_get(v, key);
    return x && !json_is_null(x);
}

static void read_evaluation(reader *r, const path *p, json_t *v, void *item)
{
    action_evaluation *e = item;
    path yp = at_key(p, "year");
    json_t *y = json_object_get(v, "year");
    if (!y || json_is_null(y))
        problem(r, &yp, N_("required; give the year evaluated, e.g. 2023"));
    else if (!json_is_integer(y))
        problem(r, &yp, N_("expected a whole number (a year), found %s"), json_kind(y));
    else if (json_integer_value(y) < EVALUATION_YEAR_FIRST || json_integer_value(y) > LIMIT_YEAR_LAST)
        problem(r, &yp, N_("%lld is out of range; give a year from %d to %d"), (long long)json_integer_value(y),
                EVALUATION_YEAR_FIRST, LIMIT_YEAR_LAST);
    else
        e->year = (int)json_integer_value(y);
    e->status = get_choice(r, p, v, "status", true, EVALUATION_CHOICES, N_("an evaluation status"));
    e->result = get_text(r, p, v, "result", TEXT_PARAGRAPH, false);
    e->figures = get_text(r, p, v, "figures", TEXT_TITLE, false);
    e->evaluated_by = get_text(r, p, v, "evaluated_by", TEXT_TITLE, false);
}

/* Export writes evaluations by year and meetings by day (then in the order
 * they were recorded); import takes any order and keeps this one, so that
 * what is read compares equal with what is stored. Insertion sorts: stable,
 * and the lists are short. */
static void sort_evaluations(action *x)
{
    for (size_t i = 1; i < x->evaluation_count; i++)
        for (size_t k = i; k > 0 && x->evaluations[k - 1].year > x->evaluations[k].year; k--) {
            action_evaluation t = x->evaluations[k];
            x->evaluations[k] = x->evaluations[k - 1];
            x->evaluations[k - 1] = t;
        }
}

static void sort_meetings(governance_body *g)
{
    for (size_t i = 1; i < g->meeting_count; i++)
        for (size_t k = i; k > 0 && g->meetings[k - 1].held_on > g->meetings[k].held_on; k--) {
            body_meeting t = g->meetings[k];
            g->meetings[k] = g->meetings[k - 1];
            g->meetings[k - 1] = t;
        }
}

static void read_action(reader *r, const path *p, json_t *v, void *item)
{
    action *x = item;
    x->number = get_text(r, p, v, "number", TEXT_NUMBER, true);
    x->title = get_text(r, p, v, "title", TEXT_TITLE, true);
    x->lead = get_text(r, p, v, "lead", TEXT_NAME, false);
    x->status = get_choice(r, p, v, "status", false, ACTION_STATUSES, N_("an action status"));
    x->evaluations_given = list_given(v, "evaluations");
    x->evaluations = read_objects(r, p, v, "evaluations", false, LIST_ACTIONS, EVALUATION_KEYS,
                                  sizeof *x->evaluations, read_evaluation, &x->evaluation_count);
    path lp = at_key(p, "evaluations");
    for (size_t i = 0; i < x->evaluation_count; i++)
        for (size_t k = 0; x->evaluations[i].year && k < i; k++)
            if (x->evaluations[k].year == x->evaluations[i].year) {
                path ip = at_index(&lp, i), yp = at_key(&ip, "year");
                problem(r, &yp, N_("%d is evaluated twice (also evaluations[%zu]); give one evaluation per year"),
                        x->evaluations[i].year, k);
                break;
            }
    sort_evaluations(x);
}

static void read_domain(reader *r, const path *p, json_t *v, void *item)
{
    action_domain *d = item;
    d->number = get_text(r, p, v, "number", TEXT_NUMBER, true);
    d->title = get_text(r, p, v, "title", TEXT_TITLE, true);
    d->actions = read_objects(r, p, v, "actions", false, LIST_ACTIONS, ACTION_KEYS, sizeof *d->actions, read_action,
                              &d->action_count);
}

static void read_theme(reader *r, const path *p, json_t *v, void *item)
{
    theme *t = item;
    t->title = get_text(r, p, v, "theme", TEXT_TITLE, true);
    t->domains = read_objects(r, p, v, "domains", true, LIST_THEMES, DOMAIN_KEYS, sizeof *t->domains, read_domain,
                              &t->domain_count);
}

/* Domain numbers and action numbers are each unique in an agreement. */
static void check_numbers(reader *r, const path *p, const agreement *ag)
{
    const char **seen_d = arena_calloc(r->a, 1, sizeof *seen_d), **seen_a = NULL;
    size_t nd = 0, na = 0, cd = 0, ca = 0;
    path ap = at_key(p, "action_plan");
    for (size_t t = 0; t < ag->theme_count; t++) {
        path tp = at_index(&ap, t), dp = at_key(&tp, "domains");
        for (size_t d = 0; d < ag->themes[t].domain_count; d++) {
            const action_domain *dom = &ag->themes[t].domains[d];
            path ip = at_index(&dp, d), np = at_key(&ip, "number"), xp = at_key(&ip, "actions");
            for (size_t k = 0; dom->number && k < nd; k++)
                if (strcmp(seen_d[k], dom->number) == 0)
                    problem(r, &np, N_("domain number %s is used twice; number each domain once"),
                            arena_clip(r->a, dom->number, 20));
            if (dom->number) {
                seen_d = arena_grow(r->a, seen_d, &cd, nd + 1, sizeof *seen_d);
                seen_d[nd++] = dom->number;
            }
            for (size_t x = 0; x < dom->action_count; x++) {
                const char *num = dom->actions[x].number;
                path xi = at_index(&xp, x), xn = at_key(&xi, "number");
                for (size_t k = 0; num && k < na; k++)
                    if (strcmp(seen_a[k], num) == 0)
                        problem(r, &xn, N_("action number %s is used twice; number each action once"),
                                arena_clip(r->a, num, 20));
                if (num) {
                    seen_a = arena_grow(r->a, seen_a, &ca, na + 1, sizeof *seen_a);
                    seen_a[na++] = num;
                }
            }
        }
    }
}

static void read_member(reader *r, const path *p, json_t *v, void *item)
{
    body_member *m = item;
    m->name = get_text(r, p, v, "name", TEXT_NAME, false);
    m->function = get_text(r, p, v, "function", TEXT_NAME, false);
    m->organisation = get_text(r, p, v, "organisation", TEXT_NAME, false);
    /* a null or absent name and function: the member is nobody (a wrong type is reported above) */
    json_t *n = json_object_get(v, "name"), *f = json_object_get(v, "function");
    if ((!n || json_is_null(n)) && (!f || json_is_null(f)))
        problem(r, p, N_("give a name or a function (or both)"));
}

static void read_attendee(reader *r, const path *p, json_t *v, void *item)
{
    attendee *x = item;
    x->name = get_text(r, p, v, "name", TEXT_NAME, false);
    x->function = get_text(r, p, v, "function", TEXT_NAME, false);
    x->organisation = get_text(r, p, v, "organisation", TEXT_NAME, false);
    json_t *g = json_object_get(v, "guest"), *n = json_object_get(v, "name"), *f = json_object_get(v, "function");
    path gp = at_key(p, "guest");
    if (g && !json_is_null(g) && !json_is_boolean(g))
        problem(r, &gp, N_("expected true or false, found %s"), json_kind(g));
    x->guest = json_is_true(g);
    if ((!n || json_is_null(n)) && (!f || json_is_null(f)))
        problem(r, p, N_("give a name or a function (or both)"));
}

static void read_meeting(reader *r, const path *p, json_t *v, void *item)
{
    body_meeting *m = item;
    path hp = at_key(p, "held_on"), sp = at_key(p, "state"), up = at_key(p, "minutes_url");
    json_t *h = json_object_get(v, "held_on");
    m->held_on = get_date(r, p, v, "held_on");
    if (!h || json_is_null(h))
        problem(r, &hp, N_("required; give the day of the meeting (YYYY-MM-DD)"));
    m->state = get_choice(r, p, v, "state", true, MEETING_STATES, N_("a meeting state"));
    if (m->state && strcmp(m->state, "held") == 0 && m->held_on != DATE_NONE &&
        m->held_on > moment_local_date(moment_now()))
        problem(r, &sp, N_("held, but on a day still to come; give planned (or the day it was held)"));
    m->decisions = get_text(r, p, v, "decisions", TEXT_NOTE, false);
    m->minutes_url = get_text(r, p, v, "minutes_url", TEXT_URL, false);
    if (m->minutes_url && !web_address(m->minutes_url))
        problem(r, &up, N_("'%s' is not a web address; give a link that begins with https:// or http://, without spaces"),
                arena_clip(r->a, m->minutes_url, 60));
    m->attendees = read_objects(r, p, v, "attendees", false, LIST_MEMBERS, ATTENDEE_KEYS, sizeof *m->attendees,
                                read_attendee, &m->attendee_count);
}

static void read_body(reader *r, const path *p, json_t *v, void *item)
{
    governance_body *b = item;
    b->body = get_text(r, p, v, "body", TEXT_NAME, true);
    b->convener = get_text(r, p, v, "convener", TEXT_NAME, false);
    b->min_meetings = get_positive(r, p, v, "min_meetings");
    b->per_years = get_positive(r, p, v, "per_years");
    if (!b->min_meetings != !b->per_years)
        problem(r, p, N_("give both min_meetings and per_years (\"2 keer per jaar\" = 2 and 1) or neither"));
    b->members = read_objects(r, p, v, "members", false, LIST_MEMBERS, MEMBER_KEYS, sizeof *b->members, read_member,
                              &b->member_count);
    b->meetings_given = list_given(v, "meetings");
    b->meetings = read_objects(r, p, v, "meetings", false, LIST_ACTIONS, MEETING_KEYS, sizeof *b->meetings,
                               read_meeting, &b->meeting_count);
    sort_meetings(b);
}

/* Bodies are told apart by name (their meetings will refer to them). */
static void check_body_names(reader *r, const path *p, const agreement *ag)
{
    path lp = at_key(p, "governance");
    for (size_t i = 0; i < ag->body_count; i++)
        for (size_t k = 0; ag->bodies[i].body && k < i; k++)
            if (ag->bodies[k].body && strcmp(ag->bodies[k].body, ag->bodies[i].body) == 0) {
                path ip = at_index(&lp, i), bp = at_key(&ip, "body");
                problem(r, &bp, N_("'%s' is named twice (also governance[%zu]); give each body its own name"),
                        arena_clip(r->a, ag->bodies[i].body, 60), k);
                break;
            }
}

static void read_agreement(reader *r, const path *p, json_t *v, void *item)
{
    agreement *ag = item;
    ag->id = get_id(r, p, v);
    ag->title = get_text(r, p, v, "title", TEXT_TITLE, true);
    ag->vdab_directorate = get_province(r, p, v, "vdab_directorate");
    ag->regiegebied = get_text(r, p, v, "regiegebied", TEXT_ID, false);
    char *status = get_choice(r, p, v, "status", true, STATUSES, N_("a status"));
    bool status_ok = status && status_parse(status, &ag->status);
    ag->start = get_date(r, p, v, "start");
    ag->end = get_date(r, p, v, "end");
    ag->expected_start = get_date(r, p, v, "expected_start");
    ag->terminated_on = get_date(r, p, v, "terminated_on");
    ag->terminated_by = get_text(r, p, v, "terminated_by", TEXT_ID, false);
    ag->notes = get_text(r, p, v, "notes", TEXT_NOTE, false);
    ag->kind = get_choice(r, p, v, "kind", false, AGREEMENT_KINDS, N_("a kind of agreement"));
    ag->signed_on = get_date(r, p, v, "signed_on");
    ag->predecessor = get_text(r, p, v, "predecessor", TEXT_ID, false);
    path sp = at_key(p, "predecessor");
    if (ag->predecessor && ag->id && strcmp(ag->predecessor, ag->id) == 0)
        problem(r, &sp, N_("the agreement itself; give the id of the agreement it follows up"));
    ag->sources = read_sources(r, p, v, &ag->source_count);
    ag->parties = read_objects(r, p, v, "parties", true, LIST_PARTIES, PARTY_KEYS, sizeof *ag->parties, read_party,
                               &ag->party_count);
    ag->themes = read_objects(r, p, v, "action_plan", false, LIST_THEMES, THEME_KEYS, sizeof *ag->themes, read_theme,
                              &ag->theme_count);
    ag->bodies = read_objects(r, p, v, "governance", false, LIST_THEMES, BODY_KEYS, sizeof *ag->bodies, read_body,
                              &ag->body_count);
    check_numbers(r, p, ag);
    check_body_names(r, p, ag);
    check_lifecycle(r, p, ag, status_ok);
    path lp = at_key(p, "parties");
    if (status_ok)
        check_parties(r, &lp, ag);
}

/* ---- cooperation without an agreement, and the outreach log ----------------
 * (SPEC §5, issue 10). A municipality is named by the NIS code it had on
 * the first day of the cooperation (on the day of the outreach entry). */

static const char *const COOPERATION_KEYS[] = {"id", "municipality", "kind", "title", "from", "until", "notes", NULL};
static const char *const OUTREACH_KEYS[] = {"municipality", "on", "stage", "note", NULL};

/* A required NIS code of a municipality that exists on d (when d is given). */
static char *get_municipality(reader *r, const path *p, json_t *v, date_t d, const char *what)
{
    path mp = at_key(p, "municipality");
    json_t *m = json_object_get(v, "municipality");
    if (!m || json_is_null(m)) {
        problem(r, &mp, N_("required; give the NIS code of the municipality"));
        return NULL;
    }
    char *nis = get_text(r, p, v, "municipality", TEXT_ID, true);
    int code = nis ? get_nis(r, &mp, nis) : -1;
    if (code < 0)
        return NULL;
    must_exist_on(r, &mp, code, d, what);
    return nis;
}

static void read_cooperation(reader *r, const path *p, json_t *v, void *item)
{
    cooperation *c = item;
    c->id = get_id(r, p, v);
    c->kind = get_text(r, p, v, "kind", TEXT_NAME, false);
    path kp = at_key(p, "kind");
    if (!json_object_get(v, "kind") || json_is_null(json_object_get(v, "kind")))
        problem(r, &kp, N_("required; give one of %s"), choices(r->a, COOPERATION_KINDS));
    else if (c->kind && !in_list(c->kind, COOPERATION_KINDS)) {
        problem(r, &kp, N_("'%s' is not a kind of cooperation; give one of %s"), arena_clip(r->a, c->kind, 40),
                choices(r->a, COOPERATION_KINDS));
        c->kind = NULL;
    }
    c->title = get_text(r, p, v, "title", TEXT_TITLE, true);
    c->from = get_date(r, p, v, "from");
    c->until = get_date(r, p, v, "until");
    c->notes = get_text(r, p, v, "notes", TEXT_NOTE, false);
    path up = at_key(p, "until");
    if (c->from != DATE_NONE && c->until != DATE_NONE && c->until < c->from)
        problem(r, &up, N_("before from; a cooperation ends on or after the day it starts"));
    c->municipality = get_municipality(r, p, v, c->from, N_("the cooperation's from date"));
}

static void read_outreach(reader *r, const path *p, json_t *v, void *item)
{
    outreach_entry *e = item;
    path op = at_key(p, "on"), sp = at_key(p, "stage");
    e->on = get_date(r, p, v, "on");
    json_t *on = json_object_get(v, "on");
    if (!on || json_is_null(on))
        problem(r, &op, N_("required; give a date (YYYY-MM-DD)"));
    e->stage = get_text(r, p, v, "stage", TEXT_NAME, false);
    if (!json_object_get(v, "stage") || json_is_null(json_object_get(v, "stage")))
        problem(r, &sp, N_("required; give one of %s"), choices(r->a, OUTREACH_STAGES));
    else if (e->stage && !in_list(e->stage, OUTREACH_STAGES)) {
        problem(r, &sp, N_("'%s' is not a stage; give one of %s"), arena_clip(r->a, e->stage, 40),
                choices(r->a, OUTREACH_STAGES));
        e->stage = NULL;
    }
    e->note = get_text(r, p, v, "note", TEXT_NOTE, false);
    e->municipality = get_municipality(r, p, v, e->on, N_("the day of the entry"));
}

typedef struct {
    const outreach_entry *e;
    size_t index;
} entry_at;

static int by_municipality_day(const void *x, const void *y)
{
    const entry_at *a = x, *b = y;
    int c = strcmp(a->e->municipality, b->e->municipality);
    if (!c)
        c = (a->e->on > b->e->on) - (a->e->on < b->e->on);
    return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* An entry is identified by municipality, day and position: the entries of
 * one municipality on one day are numbered 0, 1, … in the order of the file
 * (sorted, not compared pairwise: a list may be long). */
static void number_outreach(arena *a, outreach_entry *entries, size_t n)
{
    entry_at *sorted = arena_calloc(a, n + 1, sizeof *sorted);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (entries[i].municipality && entries[i].on != DATE_NONE)
            sorted[k++] = (entry_at){&entries[i], i};
    if (k)
        qsort(sorted, k, sizeof *sorted, by_municipality_day);
    for (size_t i = 0; i < k; i++) {
        bool same = i > 0 && strcmp(sorted[i].e->municipality, sorted[i - 1].e->municipality) == 0 &&
                    sorted[i].e->on == sorted[i - 1].e->on;
        entries[sorted[i].index].position = same ? entries[sorted[i - 1].index].position + 1 : 0;
    }
}

/* ---- the document ----------------------------------------------------- */

static const char *const TOP_KEYS[] = {"format", "organisations", "regiegebieden", "agreements", "cooperations",
                                       "outreach", "register_notice", NULL};
enum { TOP_KEY_COUNT = 7 };

typedef struct {
    const char *id;
    size_t index;
} id_at;

static int by_id_then_index(const void *x, const void *y)
{
    const id_at *a = x, *b = y;
    int c = strcmp(a->id, b->id);
    return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* Ids are unique within a list of the document: sorted, equal neighbours
 * are the duplicates (a list can hold 50,000 agreements). */
static void check_unique_ids(reader *r, const path *lp, char *const *ids, size_t n, size_t stride)
{
    id_at *sorted = arena_calloc(r->a, n + 1, sizeof *sorted);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = *(char *const *)((const char *)ids + i * stride);
        if (id)
            sorted[k++] = (id_at){id, i};
    }
    if (k)
        qsort(sorted, k, sizeof *sorted, by_id_then_index);
    for (size_t i = 1; i < k; i++) {
        size_t first = i;
        while (first > 0 && strcmp(sorted[first - 1].id, sorted[i].id) == 0)
            first--;
        if (first == i)
            continue;
        path ip = at_index(lp, sorted[i].index), kp = at_key(&ip, "id");
        problem(r, &kp, N_("duplicate id '%s' (also [%zu]); give each object its own id"), sorted[i].id,
                sorted[first].index);
    }
}

/* Predecessors (SPEC §5): an agreement follows up one that is in the
 * document or already in the register, and no chain of predecessors comes
 * back to where it began. The document's agreements replace the stored ones
 * of the same id, so a chain is followed through the new versions. */
typedef struct {
    const char *id, *predecessor;
    size_t rank; /* 0: the document; known before: the later, the lower (a later file replaces) */
} link_at;

static int by_link_id(const void *x, const void *y)
{
    const link_at *a = x, *b = y;
    int c = strcmp(a->id, b->id);
    return c ? c : (a->rank > b->rank) - (a->rank < b->rank);
}

/* The first link of id (the document's version when it has one). */
static const link_at *find_link(const link_at *links, size_t n, const char *id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(links[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(links[lo].id, id) == 0 ? &links[lo] : NULL;
}

static void check_predecessors(reader *r, const somon1_doc *doc)
{
    const somon1_doc *known = &r->ctx->known;
    size_t n = 0, total = doc->agreement_count + known->agreement_count;
    link_at *links = arena_calloc(r->a, total + 1, sizeof *links);
    for (size_t i = 0; i < doc->agreement_count; i++)
        if (doc->agreements[i].id)
            links[n++] = (link_at){doc->agreements[i].id, doc->agreements[i].predecessor, 0};
    for (size_t i = 0; i < known->agreement_count; i++)
        if (known->agreements[i].id)
            links[n++] = (link_at){known->agreements[i].id, known->agreements[i].predecessor,
                                   known->agreement_count - i};
    if (n)
        qsort(links, n, sizeof *links, by_link_id);
    path top = at_key(NULL, "agreements");
    for (size_t i = 0; i < doc->agreement_count; i++) {
        const agreement *ag = &doc->agreements[i];
        path ap = at_index(&top, i), pp = at_key(&ap, "predecessor");
        if (!ag->id || !ag->predecessor || strcmp(ag->id, ag->predecessor) == 0)
            continue; /* the agreement itself is reported when read */
        const link_at *l = find_link(links, n, ag->predecessor);
        if (!l) {
            problem(r, &pp, N_("unknown agreement '%s'; give the id of an agreement in the file or the register"),
                    arena_clip(r->a, ag->predecessor, 64));
            continue;
        }
        /* a chain longer than the agreements there are has come round */
        for (size_t steps = 0; l && l->predecessor && steps <= n; steps++) {
            if (strcmp(l->predecessor, ag->id) == 0) {
                problem(r, &pp, N_("'%s' follows up this agreement already (%s); an agreement cannot follow up its "
                                "own follower"), arena_clip(r->a, ag->predecessor, 64), arena_clip(r->a, l->id, 64));
                break;
            }
            l = find_link(links, n, l->predecessor);
        }
    }
}

/* Agreements may name organisations and regiegebieden defined anywhere in
 * the document, so these references are checked once it is read. */
static void check_references(reader *r, const somon1_doc *doc)
{
    check_predecessors(r, doc);
    path top = at_key(NULL, "agreements");
    for (size_t i = 0; i < doc->agreement_count; i++) {
        const agreement *ag = &doc->agreements[i];
        path ap = at_index(&top, i), rp = at_key(&ap, "regiegebied"), pp = at_key(&ap, "parties");
        if (ag->regiegebied && !regiegebied_known(r, ag->regiegebied))
            problem(r, &rp, N_("unknown regiegebied '%s'; define it under regiegebieden or import it first"),
                    arena_clip(r->a, ag->regiegebied, 64));
        for (size_t k = 0; k < ag->party_count; k++) {
            const party *pt = &ag->parties[k];
            path ip = at_index(&pp, k), op = at_key(&ip, "organisation");
            if (pt->organisation && !pt->municipality && !organisation_known(r, pt->organisation))
                problem(r, &op, N_("unknown organisation '%s'; define it under organisations or import it first"),
                        arena_clip(r->a, pt->organisation, 64));
        }
    }
}

/* ---- the document, streamed ------------------------------------------
 * jansson's tree of a whole document takes about nine times the file, so the
 * top level ({"format": …, "agreements": [ … ]}) is scanned here and every
 * list element is parsed by jansson on its own and dropped once read. */

typedef struct {
    const char *data;
    size_t len, pos;
    bool failed;
} scanner;

static void skip_space(scanner *sc)
{
    while (sc->pos < sc->len && strchr(" \t\r\n", sc->data[sc->pos]) && sc->data[sc->pos])
        sc->pos++;
}

static int peek(scanner *sc)
{
    skip_space(sc);
    return sc->pos < sc->len ? (unsigned char)sc->data[sc->pos] : -1;
}

/* A syntax problem at byte pos, with the line and column a text editor shows. */
static void syntax_problem(reader *r, scanner *sc, size_t pos, const char *what, const char *fix)
{
    int line = 1, col = 1;
    for (size_t i = 0; i < pos && i < sc->len; i++) {
        if (sc->data[i] == '\n')
            line++, col = 1;
        else if (((unsigned char)sc->data[i] & 0xC0) != 0x80)
            col++;
    }
    diag_add(r->d, "%s:%d:%d: %s; %s", r->source, line, col, what, fix);
    sc->failed = true;
}

static const char *fix_for(const char *text)
{
    return strstr(text, "\\u0000") ? _("remove the NUL character (\\u0000) from the text")
         : strstr(text, "UTF-8") || strstr(text, "decode") ? _("save the file as UTF-8")
         : strstr(text, "end of file") || strstr(text, "premature") || strstr(text, "unexpected newline")
             ? _("the file looks truncated; export or copy it again")
         : strstr(text, "duplicate") ? _("give each field once")
         : strstr(text, "too big") || strstr(text, "overflow")
             ? _("give a whole number within the field's range (docs/somon1.md, Limits)")
                                     : _("fix the JSON syntax there");
}

/* Parses one JSON value at the scanner with jansson; NULL after a problem. */
static json_t *next_value(reader *r, scanner *sc)
{
    json_error_t e;
    size_t start = sc->pos;
    json_t *v = json_loadb(sc->data + start, sc->len - start,
                           JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &e);
    if (!v) {
        syntax_problem(r, sc, start + (e.position > 0 ? (size_t)e.position : 0), e.text, fix_for(e.text));
        return NULL;
    }
    sc->pos = start + (size_t)e.position;
    return v;
}

static bool expect(reader *r, scanner *sc, char c, const char *what)
{
    int got = peek(sc);
    if (got == c) {
        sc->pos++;
        return true;
    }
    if (got < 0)
        syntax_problem(r, sc, sc->pos, arena_printf(r->a, _("the document ends where %s was expected"), what),
                       _("the file looks truncated; export or copy it again"));
    else
        syntax_problem(r, sc, sc->pos, arena_printf(r->a, _("expected %s"), what), _("fix the JSON syntax there"));
    return false;
}

/* Grows the scratch array of read_list (malloc'd, not in the arena: the
 * arena keeps every block it gave out, so doubling there left the earlier
 * copies behind, 12 MB for 50,000 agreements). Aborts as the arena does when
 * memory runs out. */
static char *grow_scratch(char *items, size_t *cap, size_t need, size_t item_size)
{
    if (need <= *cap)
        return items;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    char *more = n <= SIZE_MAX / item_size ? realloc(items, n * item_size) : NULL;
    if (!more) {
        fputs(_("somon: out of memory\n"), stderr);
        abort();
    }
    memset(more + *cap * item_size, 0, (n - *cap) * item_size);
    *cap = n;
    return more;
}

struct pipeline;
static void pipe_agreement(struct pipeline *p, const agreement *ag, size_t index, const char *file_name, bool ok);
static void pipe_doc(struct pipeline *p, bool end, const somon1_doc *doc, const char *file_name, bool ok);

/* Reads "[ object, … ]" from the scanner, each object filled in by read_one:
 * read_objects() for the top level, one element at a time. The elements
 * grow in scratch memory and move into the arena once, at their size; an
 * empty list is NULL. */
static void *read_list(reader *r, scanner *sc, const char *key, const char *const *keys, size_t item_size,
                       object_reader read_one, size_t *count)
{
    path lp = at_key(NULL, key);
    size_t cap = 0;
    char *items = NULL;
    *count = 0;
    if (peek(sc) != '[') {
        json_t *v = next_value(r, sc);
        if (v && !json_is_null(v))
            problem(r, &lp, N_("expected a list, found %s"), json_kind(v));
        json_decref(v);
        return NULL;
    }
    sc->pos++;
    if (peek(sc) == ']') {
        sc->pos++;
        return NULL;
    }
    for (;;) {
        json_t *v = next_value(r, sc);
        if (!v)
            break;
        items = grow_scratch(items, &cap, *count + 1, item_size);
        path ip = at_index(&lp, *count);
        if (is_object(r, &ip, v)) {
            check_keys(r, &ip, v, keys);
            read_one(r, &ip, v, items + *count * item_size);
        }
        if (r->sink && read_one == read_agreement)
            pipe_agreement(r->sink, (const agreement *)(items + *count * item_size), *count, r->source,
                           r->d->total == 0);
        (*count)++;
        json_decref(v);
        int c = peek(sc);
        if (c == ',') {
            sc->pos++;
            continue;
        }
        expect(r, sc, ']', _("',' or ']' after a list element"));
        break;
    }
    char *kept = *count ? arena_alloc(r->a, *count * item_size) : NULL;
    if (kept)
        memcpy(kept, items, *count * item_size);
    free(items);
    return kept;
}


/* "register_notice": a code of REGISTER_NOTICES, or null (clears it). */
static void read_register_notice(reader *r, const path *p, json_t *v, somon1_doc *out)
{
    out->register_notice_given = true;
    out->register_notice = NULL;
    if (json_is_null(v))
        return;
    const char *code = json_is_string(v) ? register_notice_known(json_string_value(v)) : NULL;
    if (code)
        out->register_notice = code;
    else if (json_is_string(v))
        problem(r, p, N_("'%s' is not a register notice; give \"public_sources_partial\" or null (no notice)"),
                arena_clip(r->a, json_string_value(v), 40));
    else
        problem(r, p, N_("expected \"public_sources_partial\" or null, found %s"), json_kind(v));
}

static void read_top_member(reader *r, scanner *sc, const char *key, bool seen[TOP_KEY_COUNT], somon1_doc *out)
{
    int which = -1; /* the index of key in TOP_KEYS */
    for (int i = 0; TOP_KEYS[i]; i++)
        if (strcmp(key, TOP_KEYS[i]) == 0)
            which = i;
    path kp = at_key(NULL, key);
    if (which >= 0 && seen[which])
        problem(r, &kp, N_("given twice; give each field once"));
    if (which >= 0)
        seen[which] = true;
    if (which == 3 && r->sink) /* what the writer writes before the agreements, as read so far */
        pipe_doc(r->sink, false, out, r->source, r->d->total == 0);
    if (which == 1)
        out->organisations = read_list(r, sc, key, ORGANISATION_KEYS, sizeof *out->organisations,
                                       read_organisation, &out->organisation_count);
    else if (which == 2)
        out->regiegebieden = read_list(r, sc, key, REGION_KEYS, sizeof *out->regiegebieden, read_regiegebied,
                                       &out->regiegebied_count);
    else if (which == 3)
        out->agreements = read_list(r, sc, key, AGREEMENT_KEYS, sizeof *out->agreements, read_agreement,
                                    &out->agreement_count);
    else if (which == 4)
        out->cooperations = read_list(r, sc, key, COOPERATION_KEYS, sizeof *out->cooperations, read_cooperation,
                                      &out->cooperation_count);
    else if (which == 5)
        out->outreach = read_list(r, sc, key, OUTREACH_KEYS, sizeof *out->outreach, read_outreach,
                                  &out->outreach_count);
    else {
        json_t *v = next_value(r, sc);
        if (!v)
            return;
        json_t *obj = json_pack("{s:O}", key, v);
        if (which < 0)
            check_keys(r, NULL, obj, TOP_KEYS);
        else if (which == 6)
            read_register_notice(r, &kp, v, out);
        else {
            char *format = get_text(r, NULL, obj, "format", TEXT_NAME, true);
            if (format && strcmp(format, "somon/1") != 0)
                problem(r, &kp, N_("'%s' is not supported; this somon reads \"somon/1\""), arena_clip(r->a, format, 20));
        }
        json_decref(obj);
        json_decref(v);
    }
}

static size_t parse_doc(const char *data, size_t len, const char *file_name, const somon1_context *ctx, arena *a,
                        somon1_doc *out, diag *d, struct pipeline *sink)
{
    memset(out, 0, sizeof *out);
    size_t before = d->total;
    reader r = {a, d, file_name, ctx, out, false, NULL, 0, 0, sink};
    scanner sc = {data, len, 0, false};
    bool seen[TOP_KEY_COUNT] = {false};
    int c = peek(&sc);
    if (c < 0) {
        diag_add(d, _("%s: the file is empty; a somon/1 document is an object with \"format\": \"somon/1\""), file_name);
        return d->total - before;
    }
    if (c != '{') {
        json_t *v = next_value(&r, &sc);
        if (v)
            problem(&r, NULL, N_("the document is %s; a somon/1 document is an object with \"format\": \"somon/1\""),
                    json_kind(v));
        json_decref(v);
        return d->total - before;
    }
    sc.pos++;
    for (bool first = true; !sc.failed; first = false) {
        if (peek(&sc) == '}' && first) {
            sc.pos++;
            break;
        }
        if (peek(&sc) != '"') {
            expect(&r, &sc, '"', first ? _("a field name or '}'") : _("a field name"));
            break;
        }
        json_t *key = next_value(&r, &sc);
        if (!key)
            break;
        char *name = arena_strdup(a, json_string_value(key));
        json_decref(key);
        if (!expect(&r, &sc, ':', _("':' after a field name")))
            break;
        read_top_member(&r, &sc, name, seen, out);
        if (sc.failed)
            break;
        if (peek(&sc) == ',') {
            sc.pos++;
            continue;
        }
        expect(&r, &sc, '}', _("',' or '}' after a field"));
        break;
    }
    if (!sc.failed && peek(&sc) >= 0)
        syntax_problem(&r, &sc, sc.pos, _("text after the end of the document"), _("remove it or split the file"));
    if (sc.failed)
        return d->total - before;
    if (!seen[0]) {
        path fp = at_key(NULL, "format");
        problem(&r, &fp, N_("required; give \"somon/1\""));
    }
    static const char *const keys[] = {"organisations", "regiegebieden", "agreements"};
    path lists[3] = {at_key(NULL, keys[0]), at_key(NULL, keys[1]), at_key(NULL, keys[2])};
    if (out->organisation_count)
        check_unique_ids(&r, &lists[0], &out->organisations[0].id, out->organisation_count, sizeof *out->organisations);
    if (out->regiegebied_count)
        check_unique_ids(&r, &lists[1], &out->regiegebieden[0].id, out->regiegebied_count, sizeof *out->regiegebieden);
    if (out->agreement_count)
        check_unique_ids(&r, &lists[2], &out->agreements[0].id, out->agreement_count, sizeof *out->agreements);
    path cooperations = at_key(NULL, "cooperations");
    if (out->cooperation_count)
        check_unique_ids(&r, &cooperations, &out->cooperations[0].id, out->cooperation_count,
                         sizeof *out->cooperations);
    number_outreach(a, out->outreach, out->outreach_count);
    check_references(&r, out);
    return d->total - before;
}

size_t somon1_parse(const char *data, size_t len, const char *file_name, const somon1_context *ctx, arena *a,
                    somon1_doc *out, diag *d)
{
    return parse_doc(data, len, file_name, ctx, a, out, d, NULL);
}

/* ---- canonical JSON ------------------------------------------------- */

static json_t *jtext(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *jdate(date_t d)
{
    char day[DATE_ISO_LEN];
    return d == DATE_NONE ? json_null() : json_string(date_format_iso(d, day));
}

static json_t *jcount(int n) { return n > 0 ? json_integer(n) : json_null(); }

/* Members of a regiegebied or an organisation; without dates a member stays
 * a bare NIS code, so older files round-trip unchanged. */
static json_t *members_json(const dated_member *members, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const dated_member *m = &members[i];
        json_array_append_new(list, m->from == DATE_NONE && m->until == DATE_NONE
                                        ? jtext(m->municipality)
                                        : json_pack("{s:o, s:o, s:o}", "municipality", jtext(m->municipality), "from",
                                                    jdate(m->from), "until", jdate(m->until)));
    }
    return list;
}

json_t *somon1_organisation_json(const organisation *o)
{
    return json_pack("{s:o, s:o, s:o, s:o}", "id", jtext(o->id), "name", jtext(o->name), "kind", jtext(o->kind),
                     "members", members_json(o->members, o->member_count));
}

json_t *somon1_regiegebied_json(const regiegebied *g)
{
    json_t *members = members_json(g->members, g->member_count);
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", jtext(g->id), "name", jtext(g->name),
                     "province", jtext(province_name(g->province)), "from", jdate(g->from), "until",
                     jdate(g->until), "members", members, "notes", jtext(g->notes));
}

json_t *somon1_cooperation_json(const cooperation *c)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", jtext(c->id), "municipality", jtext(c->municipality),
                     "kind", jtext(c->kind), "title", jtext(c->title), "from", jdate(c->from), "until",
                     jdate(c->until), "notes", jtext(c->notes));
}

json_t *somon1_outreach_json(const outreach_entry *e)
{
    return json_pack("{s:o, s:o, s:o, s:o}", "municipality", jtext(e->municipality), "on", jdate(e->on), "stage",
                     jtext(e->stage), "note", jtext(e->note));
}

/* Always written, [] when none, like a party's decisions. */
static json_t *sources_json(const source *list, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:o, s:o, s:o}", "url", jtext(list[i].url), "quote",
                                           jtext(list[i].quote), "read_on", jdate(list[i].read_on)));
    return a;
}

static json_t *party_json(const party *p)
{
    json_t *signatories = json_array();
    for (size_t i = 0; i < p->signatory_count; i++)
        json_array_append_new(signatories, json_pack("{s:o, s:o}", "name", jtext(p->signatories[i].name),
                                                     "function", jtext(p->signatories[i].function)));
    json_t *o = p->municipality ? json_pack("{s:o}", "municipality", jtext(p->municipality))
                                : json_pack("{s:o}", "organisation", jtext(p->organisation));
    json_object_set_new(o, "approved_on", jdate(p->approved_on));
    json_object_set_new(o, "from", jdate(p->from));
    json_object_set_new(o, "until", jdate(p->until));
    json_object_set_new(o, "left_reason", jtext(p->left_reason));
    json_object_set_new(o, "expected_from", jdate(p->expected_from));
    json_object_set_new(o, "signatories", signatories);
    json_t *decisions = json_array();
    for (size_t i = 0; i < p->decision_count; i++) {
        const party_decision *x = &p->decisions[i];
        json_array_append_new(decisions, json_pack("{s:o, s:o, s:o, s:o, s:b}", "body", jtext(x->body), "on",
                                                   jdate(x->on), "agenda_point", jtext(x->agenda_point), "url",
                                                   jtext(x->url), "approves", x->approves));
    }
    json_object_set_new(o, "decisions", decisions);
    json_object_set_new(o, "sources", sources_json(p->sources, p->source_count));
    return o;
}

static json_t *evaluations_json(const action *x)
{
    json_t *list = json_array();
    for (size_t i = 0; i < x->evaluation_count; i++) {
        const action_evaluation *e = &x->evaluations[i];
        json_array_append_new(list, json_pack("{s:I, s:o, s:o, s:o, s:o}", "year", (json_int_t)e->year, "status",
                                              jtext(e->status), "result", jtext(e->result), "figures",
                                              jtext(e->figures), "evaluated_by", jtext(e->evaluated_by)));
    }
    return list;
}

static json_t *meetings_json(const governance_body *g)
{
    json_t *list = json_array();
    for (size_t i = 0; i < g->meeting_count; i++) {
        const body_meeting *m = &g->meetings[i];
        json_t *attendees = json_array();
        for (size_t k = 0; k < m->attendee_count; k++) {
            const attendee *x = &m->attendees[k];
            json_array_append_new(attendees, json_pack("{s:o, s:o, s:o, s:b}", "name", jtext(x->name), "function",
                                                       jtext(x->function), "organisation", jtext(x->organisation),
                                                       "guest", x->guest));
        }
        json_array_append_new(list, json_pack("{s:o, s:o, s:o, s:o, s:o}", "held_on", jdate(m->held_on), "state",
                                              jtext(m->state), "decisions", jtext(m->decisions), "minutes_url",
                                              jtext(m->minutes_url), "attendees", attendees));
    }
    return list;
}

static json_t *action_plan_json(const agreement *ag, bool followup)
{
    json_t *plan = json_array();
    for (size_t t = 0; t < ag->theme_count; t++) {
        json_t *domains = json_array();
        for (size_t d = 0; d < ag->themes[t].domain_count; d++) {
            const action_domain *dom = &ag->themes[t].domains[d];
            json_t *actions = json_array();
            for (size_t k = 0; k < dom->action_count; k++) {
                const action *x = &dom->actions[k];
                json_t *o = json_pack("{s:o, s:o, s:o, s:o}", "number", jtext(x->number), "title", jtext(x->title),
                                      "lead", jtext(x->lead), "status", jtext(x->status));
                if (followup)
                    json_object_set_new(o, "evaluations", evaluations_json(x));
                json_array_append_new(actions, o);
            }
            json_array_append_new(domains, json_pack("{s:o, s:o, s:o}", "number", jtext(dom->number), "title",
                                                     jtext(dom->title), "actions", actions));
        }
        json_array_append_new(plan, json_pack("{s:o, s:o}", "theme", jtext(ag->themes[t].title), "domains", domains));
    }
    return plan;
}

static json_t *governance_json(const agreement *ag, bool followup)
{
    json_t *bodies = json_array();
    for (size_t b = 0; b < ag->body_count; b++) {
        const governance_body *g = &ag->bodies[b];
        json_t *members = json_array();
        for (size_t m = 0; m < g->member_count; m++)
            json_array_append_new(members, json_pack("{s:o, s:o, s:o}", "name", jtext(g->members[m].name),
                                                     "function", jtext(g->members[m].function), "organisation",
                                                     jtext(g->members[m].organisation)));
        json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o}", "body", jtext(g->body), "convener", jtext(g->convener),
                              "min_meetings", jcount(g->min_meetings), "per_years", jcount(g->per_years), "members",
                              members);
        if (followup)
            json_object_set_new(o, "meetings", meetings_json(g));
        json_array_append_new(bodies, o);
    }
    return bodies;
}

/* followup: with the evaluations of each action and the meetings of each
 * body, which are not part of the agreement's version (the importer
 * compares versions without them). */
static json_t *agreement_json(const agreement *ag, bool followup)
{
    json_t *parties = json_array();
    for (size_t i = 0; i < ag->party_count; i++)
        json_array_append_new(parties, party_json(&ag->parties[i]));
    json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o}", "id", jtext(ag->id), "title", jtext(ag->title),
                          "vdab_directorate", jtext(province_name(ag->vdab_directorate)), "regiegebied",
                          jtext(ag->regiegebied), "status", jtext(status_name(ag->status)));
    json_object_set_new(o, "start", jdate(ag->start));
    json_object_set_new(o, "end", jdate(ag->end));
    json_object_set_new(o, "expected_start", jdate(ag->expected_start));
    json_object_set_new(o, "terminated_on", jdate(ag->terminated_on));
    json_object_set_new(o, "terminated_by", jtext(ag->terminated_by));
    json_object_set_new(o, "kind", jtext(ag->kind));
    json_object_set_new(o, "signed_on", jdate(ag->signed_on));
    json_object_set_new(o, "predecessor", jtext(ag->predecessor));
    json_object_set_new(o, "sources", sources_json(ag->sources, ag->source_count));
    json_object_set_new(o, "parties", parties);
    json_object_set_new(o, "action_plan", action_plan_json(ag, followup));
    json_object_set_new(o, "governance", governance_json(ag, followup));
    json_object_set_new(o, "notes", jtext(ag->notes));
    return o;
}

json_t *somon1_agreement_json(const agreement *ag) { return agreement_json(ag, true); }

int somon1_load_followup(store *s, int64_t known, arena *a, agreement *ag)
{
    store_evaluation *evs = NULL;
    meeting *ms = NULL;
    size_t ne = 0, nm = 0, actions = 0;
    for (size_t t = 0; t < ag->theme_count; t++)
        for (size_t d = 0; d < ag->themes[t].domain_count; d++)
            actions += ag->themes[t].domains[d].action_count;
    /* only what has a place in the agreement is read (an export of 50,000
     * agreements without plans or bodies makes no query here) */
    if ((actions && store_evaluations(s, known, ag->id, a, &evs, &ne)) ||
        (ag->body_count && store_get_meetings(s, known, ag->id, a, &ms, &nm)))
        return -1;
    for (size_t t = 0; t < ag->theme_count; t++)
        for (size_t d = 0; d < ag->themes[t].domain_count; d++)
            for (size_t k = 0; k < ag->themes[t].domains[d].action_count; k++) {
                action *x = &ag->themes[t].domains[d].actions[k];
                size_t cap = 0;
                x->evaluations_given = true;
                for (size_t i = 0; i < ne; i++) /* by year (store order) */
                    if (evs[i].action_uid == x->uid) {
                        x->evaluations = arena_grow(a, x->evaluations, &cap, x->evaluation_count + 1,
                                                    sizeof *x->evaluations);
                        x->evaluations[x->evaluation_count++] = (action_evaluation){
                            evs[i].year, evs[i].status, evs[i].result, evs[i].figures, evs[i].evaluated_by};
                    }
            }
    for (size_t b = 0; b < ag->body_count; b++) {
        governance_body *g = &ag->bodies[b];
        size_t cap = 0;
        g->meetings_given = true;
        for (size_t i = 0; i < nm; i++) /* by date, then in the order they were recorded (store order) */
            if (ms[i].body_uid == g->uid) {
                g->meetings = arena_grow(a, g->meetings, &cap, g->meeting_count + 1, sizeof *g->meetings);
                g->meetings[g->meeting_count++] =
                    (body_meeting){ms[i].held_on, (char *)meeting_state_name(ms[i].state), ms[i].decisions,
                                   ms[i].minutes_url, ms[i].attendees, ms[i].attendee_count};
            }
    }
    return 0;
}

/* ---- export ----------------------------------------------------------- */

int somon1_warn_orphans(store *s, int64_t known, FILE *err)
{
    arena *a = arena_new();
    store_orphan *evs, *ms;
    size_t ne, nm;
    int rc = store_orphan_evaluations(s, known, NULL, a, &evs, &ne) || store_orphan_meetings(s, known, NULL, a, &ms, &nm)
                 ? -1
                 : 0;
    for (size_t i = 0; !rc && i < ne; i++)
        if (evs[i].name)
            fprintf(err, _("somon: warning: %s: %zu evaluation(s) of action %s, which the agreement no longer has, are not "
                         "in the export; add action %s to its action plan again (status \"retired\" if it ended) and "
                         "they come back with it\n"),
                    evs[i].agreement, evs[i].count, evs[i].name, evs[i].name);
        else
            fprintf(err, _("somon: warning: %s: %zu evaluation(s) of an action no version of the agreement had are not "
                         "in the export\n"),
                    evs[i].agreement, evs[i].count);
    for (size_t i = 0; !rc && i < nm; i++)
        if (ms[i].name)
            fprintf(err, _("somon: warning: %s: %zu meeting(s) of body '%s', which the agreement no longer has, are not "
                         "in the export; add body '%s' to its governance again and they come back with it\n"),
                    ms[i].agreement, ms[i].count, ms[i].name, ms[i].name);
        else
            fprintf(err, _("somon: warning: %s: %zu meeting(s) of a body no version of the agreement had are not in the "
                         "export\n"),
                    ms[i].agreement, ms[i].count);
    arena_free(a);
    return rc;
}

enum { JSON_FLAGS = JSON_INDENT(2) | JSON_PRESERVE_ORDER };

/* Writes one element of a top-level list, indented to sit inside it. */
static int write_element(FILE *out, json_t *value, bool first)
{
    char *text = json_dumps(value, JSON_FLAGS);
    json_decref(value);
    if (!text)
        return -1;
    fputs(first ? "\n    " : ",\n    ", out);
    for (const char *c = text; *c; c++) {
        fputc(*c, out);
        if (*c == '\n')
            fputs("    ", out);
    }
    free(text);
    return 0;
}

static void open_list(FILE *out, const char *key) { fprintf(out, ",\n  \"%s\": [", key); }
static void close_list(FILE *out, size_t n) { fputs(n ? "\n  ]" : "]", out); }

/* The two lists beside the agreements: cooperations by id, the outreach
 * log by municipality, day and position (so that an import numbers the
 * entries of a day as they were). */
static int export_cooperation(store *s, int64_t known, arena *a, FILE *out)
{
    cooperation *cs;
    outreach_entry *es;
    size_t nc, ne;
    if (store_get_cooperations(s, known, NULL, a, &cs, &nc) || store_get_outreach(s, known, NULL, a, &es, &ne))
        return -1;
    open_list(out, "cooperations");
    for (size_t i = 0; i < nc; i++)
        if (write_element(out, somon1_cooperation_json(&cs[i]), i == 0))
            return -1;
    close_list(out, nc);
    open_list(out, "outreach");
    for (size_t i = 0; i < ne; i++)
        if (write_element(out, somon1_outreach_json(&es[i]), i == 0))
            return -1;
    close_list(out, ne);
    return 0;
}

int somon1_export(store *s, int64_t known, FILE *out)
{
    arena *a = arena_new();
    organisation *orgs;
    regiegebied *regions;
    char **ids;
    size_t norg, nreg, nid;
    int rc = -1;
    if (store_get_organisations(s, known, a, &orgs, &norg) || store_get_regiegebieden(s, known, a, &regions, &nreg) ||
        store_get_agreement_ids(s, known, a, &ids, &nid))
        goto done;
    fputs("{\n  \"format\": \"somon/1\"", out);
    const char *notice;
    if (store_get_notice(s, known, &notice))
        goto done;
    if (notice) /* only when set: exports of other registers stay as they were */
        fprintf(out, ",\n  \"register_notice\": \"%s\"", notice);
    open_list(out, "organisations");
    for (size_t i = 0; i < norg; i++)
        if (write_element(out, somon1_organisation_json(&orgs[i]), i == 0))
            goto done;
    close_list(out, norg);
    open_list(out, "regiegebieden");
    for (size_t i = 0; i < nreg; i++)
        if (write_element(out, somon1_regiegebied_json(&regions[i]), i == 0))
            goto done;
    close_list(out, nreg);
    open_list(out, "agreements");
    for (size_t i = 0; i < nid; i++) {
        arena *one = arena_new(); /* one agreement at a time keeps memory flat */
        agreement ag;
        int found = store_get_agreement(s, known, ids[i], one, &ag);
        if (found == 1 && somon1_load_followup(s, known, one, &ag))
            found = -1;
        int w = found == 1 ? write_element(out, somon1_agreement_json(&ag), i == 0) : -1;
        arena_free(one);
        if (w)
            goto done;
    }
    close_list(out, nid);
    if (export_cooperation(s, known, a, out))
        goto done;
    fputs("\n}\n", out);
    rc = ferror(out) ? -1 : 0;
done:
    if (rc)
        fprintf(stderr, _("somon: export failed: %s\n"), ferror(out) ? strerror(errno) : store_error(s));
    arena_free(a);
    return rc;
}

/* ---- import ----------------------------------------------------------- */

/* Reads a whole file ("-": standard input) into the arena. */
static char *read_all(arena *a, const char *file, size_t *len, FILE *err)
{
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
    if (!f) {
        fprintf(err, _("somon: cannot read %s: %s; check the path\n"), file, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (f != stdin && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
        (uintmax_t)st.st_size < SIZE_MAX) {
        /* a regular file: read straight into the arena, without growing a
         * copy (twice the file in memory, and the copying, for a large file) */
        size_t size = (size_t)st.st_size, n = 0, got;
        char *data = arena_alloc(a, size + 1);
        while (n < size && (got = fread(data + n, 1, size - n, f)) > 0)
            n += got;
        bool failed = ferror(f) || (n == size && getc(f) != EOF); /* grew while read: read it as a stream */
        if (!failed) {
            fclose(f);
            data[n] = '\0';
            *len = n;
            return data;
        }
        if (ferror(f)) {
            fprintf(err, _("somon: cannot read %s: %s\n"), file, strerror(errno));
            fclose(f);
            return NULL;
        }
        rewind(f);
    }
    size_t cap = 1 << 16, n = 0;
    char *data = malloc(cap);
    while (data) {
        if (n == cap) {
            char *more = realloc(data, cap * 2);
            if (!more) {
                free(data);
                data = NULL;
                break;
            }
            data = more;
            cap *= 2;
        }
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    bool failed = !data || ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed) {
        fprintf(err, _("somon: cannot read %s: %s\n"), file, data ? strerror(errno) : _("out of memory"));
        free(data);
        return NULL;
    }
    char *copy = arena_alloc(a, n + 1);
    memcpy(copy, data, n);
    copy[n] = '\0';
    free(data);
    *len = n;
    return copy;
}

/* Adds the objects of doc to the context of later files, refusing an id that
 * an earlier file of this import defined differently. */
static void remember(arena *a, somon1_context *ctx, const somon1_doc *doc, size_t known_orgs, size_t known_regions,
                     const char *file_name, bool last, diag *d)
{
    somon1_doc *k = &ctx->known;
    /* compare with earlier files only: duplicates inside one file are reported by check_unique_ids */
    size_t orgs_before = k->organisation_count, regions_before = k->regiegebied_count;
    size_t cap = k->organisation_count;
    for (size_t i = 0; i < doc->organisation_count; i++) {
        const organisation *o = &doc->organisations[i];
        if (!o->id)
            continue; /* already reported */
        for (size_t j = known_orgs; j < orgs_before; j++)
            if (strcmp(k->organisations[j].id, o->id) == 0 &&
                !history_same(somon1_organisation_json(o), somon1_organisation_json(&k->organisations[j])))
                diag_add(d, _("%s: organisations[%zu]: '%s' differs from its definition in an earlier file; "
                            "define it once or identically"), file_name, i, o->id);
        k->organisations = arena_grow(a, k->organisations, &cap, k->organisation_count + 1, sizeof *k->organisations);
        k->organisations[k->organisation_count++] = *o;
    }
    cap = k->regiegebied_count;
    for (size_t i = 0; i < doc->regiegebied_count; i++) {
        const regiegebied *g = &doc->regiegebieden[i];
        if (!g->id)
            continue; /* already reported */
        for (size_t j = known_regions; j < regions_before; j++)
            if (strcmp(k->regiegebieden[j].id, g->id) == 0 &&
                !history_same(somon1_regiegebied_json(g), somon1_regiegebied_json(&k->regiegebieden[j])))
                diag_add(d, _("%s: regiegebieden[%zu]: '%s' differs from its definition in an earlier file; "
                            "define it once or identically"), file_name, i, g->id);
        k->regiegebieden = arena_grow(a, k->regiegebieden, &cap, k->regiegebied_count + 1, sizeof *k->regiegebieden);
        k->regiegebieden[k->regiegebied_count++] = *g;
    }
    /* later files may follow up this file's agreements (check_predecessors);
     * after the last file nobody looks, and a copy of 50,000 agreements grown
     * by doubling took 20 MB of a large import */
    if (last || !doc->agreement_count)
        return;
    agreement *all = arena_calloc(a, k->agreement_count + doc->agreement_count, sizeof *all);
    if (k->agreement_count)
        memcpy(all, k->agreements, k->agreement_count * sizeof *all);
    memcpy(all + k->agreement_count, doc->agreements, doc->agreement_count * sizeof *all);
    k->agreements = all;
    k->agreement_count += doc->agreement_count;
}

/* Agreement ids must be unique across the files of one import too. */
static void check_agreements_across(arena *a, const somon1_doc *docs, const char *const *files, size_t n, diag *d)
{
    size_t total = 0, k = 0;
    for (size_t f = 0; f < n; f++)
        total += docs[f].agreement_count;
    struct {
        id_at at;
        size_t file;
    } *all = arena_calloc(a, total + 1, sizeof *all);
    id_at *keys = arena_calloc(a, total + 1, sizeof *keys);
    for (size_t f = 0; f < n; f++)
        for (size_t i = 0; i < docs[f].agreement_count; i++)
            if (docs[f].agreements[i].id) {
                keys[k] = (id_at){docs[f].agreements[i].id, k};
                all[k].at = (id_at){docs[f].agreements[i].id, i};
                all[k++].file = f;
            }
    if (k)
        qsort(keys, k, sizeof *keys, by_id_then_index);
    for (size_t i = 1; i < k; i++) {
        size_t x = keys[i].index, y = keys[i - 1].index;
        if (strcmp(keys[i].id, keys[i - 1].id) == 0 && all[x].file != all[y].file)
            diag_add(d, _("%s: agreements[%zu].id: duplicate id '%s' (also in %s); import it once"), files[all[x].file],
                     all[x].at.index, keys[i].id, files[all[y].file]);
    }
}

/* ---- evaluations and meetings ------------------------------------------
 * They are keyed to the stable uid of their action (body), which the store
 * matches across versions by action number (body name): after the
 * agreement is written, the uids are those of the current version's
 * actions and bodies with the numbers and names of the file. */

static int64_t action_uid_of(const agreement *cur, const char *number)
{
    for (size_t t = 0; t < cur->theme_count; t++)
        for (size_t d = 0; d < cur->themes[t].domain_count; d++)
            for (size_t k = 0; k < cur->themes[t].domains[d].action_count; k++)
                if (strcmp(cur->themes[t].domains[d].actions[k].number, number) == 0)
                    return cur->themes[t].domains[d].actions[k].uid;
    return 0;
}

static int64_t body_uid_of(const agreement *cur, const char *name)
{
    for (size_t b = 0; b < cur->body_count; b++)
        if (strcmp(cur->bodies[b].body, name) == 0)
            return cur->bodies[b].uid;
    return 0;
}

/* The file's evaluations of x replace the stored ones: each is written
 * unless it is the same (store_put_evaluation), and a stored year the file
 * does not list is withdrawn. */
static int write_evaluations(store *s, int64_t change, const char *id, const action *x, int64_t uid,
                             const store_evaluation *evs, size_t ne, size_t *written)
{
    for (size_t i = 0; i < x->evaluation_count; i++) {
        const action_evaluation *e = &x->evaluations[i];
        store_evaluation row = {(char *)id, uid, e->year, e->status, e->result, e->figures, e->evaluated_by,
                                0, NULL, NULL};
        bool w;
        if (store_put_evaluation(s, change, &row, &w))
            return -1;
        *written += w;
    }
    for (size_t i = 0; i < ne; i++) {
        if (evs[i].action_uid != uid)
            continue;
        bool listed = false;
        for (size_t k = 0; k < x->evaluation_count && !listed; k++)
            listed = x->evaluations[k].year == evs[i].year;
        store_evaluation gone = {(char *)id, uid, evs[i].year, NULL, NULL, NULL, NULL, 0, NULL, NULL};
        bool w;
        if (!listed && store_put_evaluation(s, change, &gone, &w))
            return -1;
        *written += !listed;
    }
    return 0;
}

static bool same_str(const char *a, const char *b) { return (!a && !b) || (a && b && strcmp(a, b) == 0); }

static bool same_meeting(const body_meeting *f, const meeting *m)
{
    if (strcmp(f->state, meeting_state_name(m->state)) != 0 || !same_str(f->decisions, m->decisions) ||
        !same_str(f->minutes_url, m->minutes_url) || f->attendee_count != m->attendee_count)
        return false;
    for (size_t k = 0; k < f->attendee_count; k++) {
        const attendee *x = &f->attendees[k], *y = &m->attendees[k];
        if (!same_str(x->name, y->name) || !same_str(x->function, y->function) ||
            !same_str(x->organisation, y->organisation) || x->guest != y->guest)
            return false;
    }
    return true;
}

/* The file's meetings of g replace the stored ones of its body. A meeting
 * has no number in the file: one equal to a stored meeting of the same day
 * is that meeting (nothing is written); the others of a day correct the
 * remaining stored ones of that day in turn (date, then mid order, as
 * exported); one more is added, one fewer is ended. */
static int write_meetings(store *s, int64_t change, arena *a, const char *id, const governance_body *g, int64_t uid,
                          meeting *ms, size_t nm, size_t *written)
{
    const body_meeting **mine = arena_calloc(a, g->meeting_count + 1, sizeof *mine);
    for (size_t i = 0; i < g->meeting_count; i++) /* by day, as read (sort_meetings) */
        mine[i] = &g->meetings[i];
    bool *used = arena_calloc(a, nm + 1, sizeof *used), *kept = arena_calloc(a, g->meeting_count + 1, sizeof *kept);
    for (size_t i = 0; i < g->meeting_count; i++) /* first the meetings that stay as they are */
        for (size_t k = 0; k < nm && !kept[i]; k++)
            if (!used[k] && ms[k].body_uid == uid && ms[k].held_on == mine[i]->held_on && same_meeting(mine[i], &ms[k]))
                used[k] = kept[i] = true;
    for (size_t i = 0; i < g->meeting_count; i++) {
        const body_meeting *f = mine[i];
        meeting *match = NULL;
        if (kept[i])
            continue;
        for (size_t k = 0; k < nm && !match; k++)
            if (!used[k] && ms[k].body_uid == uid && ms[k].held_on == f->held_on) {
                used[k] = true;
                match = &ms[k];
            }
        meeting m = {match ? match->mid : 0, 0, (char *)id, uid, f->held_on, MEETING_PLANNED, f->decisions,
                     f->minutes_url, f->attendees, f->attendee_count, 0, NULL, NULL};
        meeting_state_parse(f->state, &m.state);
        if (store_put_meeting(s, change, &m))
            return -1;
        (*written)++;
    }
    for (size_t k = 0; k < nm; k++)
        if (!used[k] && ms[k].body_uid == uid) {
            if (store_end_meeting(s, change, ms[k].mid))
                return -1;
            (*written)++;
        }
    return 0;
}

/* written: ag was just written as the current version, so its actions and
 * bodies carry the current uids (store_put_agreement) and it need not be
 * read back. */
static int write_followup(store *s, int64_t change, arena *a, const agreement *ag, bool written_now, bool maybe_stored,
                          size_t *written)
{
    bool any = false;
    for (size_t t = 0; t < ag->theme_count; t++)
        for (size_t d = 0; d < ag->themes[t].domain_count; d++)
            for (size_t k = 0; k < ag->themes[t].domains[d].action_count; k++)
                any = any || ag->themes[t].domains[d].actions[k].evaluations_given;
    for (size_t b = 0; b < ag->body_count; b++)
        any = any || ag->bodies[b].meetings_given;
    if (!any)
        return 0;
    agreement cur;
    store_evaluation *evs;
    meeting *ms;
    size_t ne, nm;
    if (written_now)
        cur = *ag;
    else if (store_get_agreement(s, STORE_NOW, ag->id, a, &cur) != 1)
        return -1;
    /* an agreement that had no version (agreements are superseded, never
     * ended) has uids just made: no stored evaluation or meeting has them */
    evs = NULL, ms = NULL, ne = nm = 0;
    if (maybe_stored && (store_evaluations(s, STORE_NOW, ag->id, a, &evs, &ne) ||
                         store_get_meetings(s, STORE_NOW, ag->id, a, &ms, &nm)))
        return -1;
    for (size_t t = 0; t < ag->theme_count; t++)
        for (size_t d = 0; d < ag->themes[t].domain_count; d++)
            for (size_t k = 0; k < ag->themes[t].domains[d].action_count; k++) {
                const action *x = &ag->themes[t].domains[d].actions[k];
                int64_t uid = action_uid_of(&cur, x->number);
                if (x->evaluations_given && uid && write_evaluations(s, change, ag->id, x, uid, evs, ne, written))
                    return -1;
            }
    for (size_t b = 0; b < ag->body_count; b++) {
        const governance_body *g = &ag->bodies[b];
        int64_t uid = body_uid_of(&cur, g->body);
        if (g->meetings_given && uid && write_meetings(s, change, a, ag->id, g, uid, ms, nm, written))
            return -1;
    }
    return 0;
}

int somon1_write_followup(store *s, int64_t change, arena *a, const agreement *ag, size_t *written)
{
    return write_followup(s, change, a, ag, false, true, written);
}

static bool has_action(const agreement *ag, int64_t uid)
{
    for (size_t t = 0; t < ag->theme_count; t++)
        for (size_t d = 0; d < ag->themes[t].domain_count; d++)
            for (size_t k = 0; k < ag->themes[t].domains[d].action_count; k++)
                if (ag->themes[t].domains[d].actions[k].uid == uid)
                    return true;
    return false;
}

static bool has_body(const agreement *ag, int64_t uid)
{
    for (size_t b = 0; b < ag->body_count; b++)
        if (ag->bodies[b].uid == uid)
            return true;
    return false;
}

/* Keeps the orphans whose action (body) `before` had: those the new version cut off. */
static size_t keep_cut_off(store_orphan *o, size_t n, const agreement *before, bool (*had)(const agreement *, int64_t))
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (had(before, o[i].uid))
            o[k++] = o[i];
    return k;
}

int somon1_cut_off(store *s, arena *a, const agreement *before, store_orphan **evs, size_t *ne, store_orphan **ms,
                   size_t *nm)
{
    *ne = *nm = 0;
    *evs = *ms = NULL;
    if (before->theme_count && store_orphan_evaluations(s, STORE_NOW, before->id, a, evs, ne))
        return -1;
    if (before->body_count && store_orphan_meetings(s, STORE_NOW, before->id, a, ms, nm))
        return -1;
    *ne = keep_cut_off(*evs, *ne, before, has_action);
    *nm = keep_cut_off(*ms, *nm, before, has_body);
    return 0;
}

/* An agreement just written from agreements[index] of source must keep
 * every action (body) of its previous version that has evaluations
 * (meetings): the file lists actions by number and bodies by name, so one
 * left out, renumbered or renamed would leave them in no export. Each is a
 * problem; the caller rolls the import back. */
static int refuse_cut_off(store *s, arena *a, const agreement *before, const char *file_name, size_t index, diag *d)
{
    store_orphan *evs, *ms;
    size_t ne, nm;
    if (somon1_cut_off(s, a, before, &evs, &ne, &ms, &nm))
        return -1;
    for (size_t i = 0; i < ne; i++)
        diag_add(d, _("%s: agreements[%zu].action_plan: action %s has evaluations for %s and is missing from the file; "
                    "keep it as %s (give it status \"retired\" if it ended) or first withdraw its evaluations "
                    "(import it with \"evaluations\": []); the action plan form renumbers an action with its "
                    "evaluations"),
                 file_name, index, evs[i].name, evs[i].years, evs[i].name);
    for (size_t i = 0; i < nm; i++)
        diag_add(d,
                 ngettext("%s: agreements[%zu].governance: body '%s' has %zu recorded meeting and is missing from the "
                          "file; keep it as '%s' or first withdraw its meetings (import it with \"meetings\": []); the "
                          "governance form renames a body with its meetings",
                          "%s: agreements[%zu].governance: body '%s' has %zu recorded meetings and is missing from the "
                          "file; keep it as '%s' or first withdraw its meetings (import it with \"meetings\": []); the "
                          "governance form renames a body with its meetings",
                          ms[i].count),
                 file_name, index, ms[i].name, ms[i].count, ms[i].name);
    return 0;
}

static int write_cooperation(store *s, int64_t change, arena *a, const somon1_doc *doc, somon1_counts *c)
{
    for (size_t i = 0; i < doc->cooperation_count; i++) {
        const cooperation *x = &doc->cooperations[i];
        cooperation old;
        int found = store_get_cooperation(s, STORE_NOW, x->id, a, &old);
        if (found < 0)
            return -1;
        if (found && history_same(somon1_cooperation_json(x), somon1_cooperation_json(&old)))
            continue;
        if (store_put_cooperation(s, change, x))
            return -1;
        c->cooperation++;
    }
    /* the stored log of each municipality named, read once */
    const char *loaded = NULL;
    outreach_entry *stored = NULL;
    size_t nstored = 0;
    for (size_t i = 0; i < doc->outreach_count; i++) {
        const outreach_entry *e = &doc->outreach[i];
        if (!loaded || strcmp(loaded, e->municipality) != 0) {
            if (store_get_outreach(s, STORE_NOW, e->municipality, a, &stored, &nstored))
                return -1;
            loaded = e->municipality;
        }
        const outreach_entry *old = NULL;
        for (size_t k = 0; k < nstored && !old; k++)
            old = stored[k].on == e->on && stored[k].position == e->position ? &stored[k] : NULL;
        if (old && history_same(somon1_outreach_json(e), somon1_outreach_json(old)))
            continue;
        if (store_put_outreach(s, change, e))
            return -1;
        loaded = NULL; /* read again: this entry is stored now */
        c->cooperation++;
    }
    return 0;
}

/* The register notice a document gives (set or null), unless it is the
 * stored one; a document without the key keeps it. */
static int write_notice(store *s, int64_t change, const somon1_doc *doc, somon1_counts *c)
{
    const char *stored;
    if (!doc->register_notice_given)
        return 0;
    if (store_get_notice(s, STORE_NOW, &stored))
        return -1;
    if (stored == doc->register_notice) /* both the program's copies (notice.h), or NULL */
        return 0;
    if (store_put_notice(s, change, doc->register_notice))
        return -1;
    c->notice = doc->register_notice ? 1 : -1;
    return 0;
}

enum { STORED_ARENA_BYTES = 4 << 20 };

/* Writes ag, agreements[index] of source, unless it is the stored version,
 * then its evaluations and meetings; what the new version would cut off is
 * a problem in d (refuse_cut_off). */
static int write_agreement(store *s, int64_t change, arena *a, agreement *ag, const char *file_name, size_t index, diag *d,
                           somon1_counts *c, bool maybe_stored)
{
    agreement old;
    int found = maybe_stored ? store_get_agreement(s, STORE_NOW, ag->id, a, &old) : 0;
    if (found < 0)
        return -1;
    bool same = found && history_same(agreement_json(ag, false), agreement_json(&old, false));
    if (same) {
        c->unchanged++;
    } else {
        if (store_put_agreement(s, change, ag) || (found && refuse_cut_off(s, a, &old, file_name, index, d)))
            return -1;
        if (found)
            c->replaced++;
        else
            c->added++;
    }
    return write_followup(s, change, a, ag, !same, maybe_stored, &c->followup);
}

/* Writes the organisations and regiegebieden of doc from *orgs_done and
 * *regs_done on (those of its lists read so far), each unless it is the
 * stored version. */
static int write_head(store *s, int64_t change, arena *a, const somon1_doc *doc, size_t *orgs_done, size_t *regs_done,
                      somon1_counts *c)
{
    if (*orgs_done == doc->organisation_count && *regs_done == doc->regiegebied_count)
        return 0;
    organisation *orgs;
    regiegebied *regions;
    size_t norg, nreg;
    if (store_get_organisations(s, STORE_NOW, a, &orgs, &norg) || store_get_regiegebieden(s, STORE_NOW, a, &regions, &nreg))
        return -1;
    for (size_t i = *orgs_done; i < doc->organisation_count; i++) {
        organisation o = doc->organisations[i];
        const organisation *old = NULL;
        for (size_t j = 0; j < norg && !old; j++)
            old = strcmp(orgs[j].id, o.id) == 0 ? &orgs[j] : NULL;
        if (old && !o.members_given) { /* a file of before 2026-12 keeps what the register knows */
            o.members = old->members;
            o.member_count = old->member_count;
        }
        if (old && history_same(somon1_organisation_json(&o), somon1_organisation_json(old)))
            continue;
        if (store_put_organisation(s, change, &o))
            return -1;
        c->other++;
    }
    *orgs_done = doc->organisation_count;
    for (size_t i = *regs_done; i < doc->regiegebied_count; i++) {
        const regiegebied *g = &doc->regiegebieden[i], *old = NULL;
        for (size_t j = 0; j < nreg && !old; j++)
            old = strcmp(regions[j].id, g->id) == 0 ? &regions[j] : NULL;
        if (old && history_same(somon1_regiegebied_json(g), somon1_regiegebied_json(old)))
            continue;
        if (store_put_regiegebied(s, change, g))
            return -1;
        c->other++;
    }
    *regs_done = doc->regiegebied_count;
    return 0;
}

/* ---- the import pipeline -------------------------------------------------
 * The parser (the calling thread) hands every agreement to a writer thread
 * as soon as it is read, through a bounded queue, so that reading the file
 * and writing the database overlap. The writer writes, in the import's one
 * transaction, only what was read while no problem had been found in any
 * file; after the first item read with problems it writes nothing more. The
 * caller decides only after the writer has finished: a problem found late
 * (the last agreement, a duplicate id, a reference across files) rolls
 * everything back and is reported exactly as when nothing had been written.
 * Every item is a copy; what its pointers reach was written by the parser
 * before the hand-off and is not changed by it after (the writer sets the
 * uids of the actions and bodies, which the parser does not read). */

enum { PIPE_SLOTS = 512, PIPE_BATCH = 64 };

typedef enum { PIPE_HEAD, PIPE_AGREEMENT, PIPE_END } pipe_kind;

typedef struct {
    pipe_kind kind;
    bool ok; /* no problem found in any file until this item was read */
    size_t index;
    const char *source;
    agreement ag;   /* PIPE_AGREEMENT */
    somon1_doc doc; /* PIPE_HEAD (as read so far), PIPE_END */
} pipe_item;

typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t more, room;
    pipe_item *ring;
    size_t first, count; /* the queued items: ring[first], … (mod PIPE_SLOTS) */
    bool closed, threaded;
    pthread_t thread;
    /* the writer's own */
    store *s;
    int64_t change;
    arena *a, *stored; /* for the writes; for the stored versions compared, dropped every few MB */
    diag d;            /* problems found only while writing (refuse_cut_off) */
    somon1_counts *counts;
    size_t orgs_done, regs_done; /* of the current document */
    const agreement *stored_ids;  /* the current agreements when the import began (ids only), by id */
    size_t stored_count;
    bool stored_sorted;           /* checked: when not, every agreement is looked up */
    bool stopped, failed;        /* nothing more to write; an SQL statement failed */
} pipeline;

/* Whether an agreement id may have a current version in the database: one
 * that was not among those when the import began needs no look-up (an id
 * written earlier in the same import is a duplicate, which refuses it). */
static bool maybe_stored(const pipeline *p, const char *id)
{
    if (!id || !p->stored_sorted)
        return true;
    size_t lo = 0, hi = p->stored_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(p->stored_ids[mid].id, id);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static void pipe_write(pipeline *p, pipe_item *it)
{
    if (p->stopped)
        return;
    if (!it->ok) {
        p->stopped = true;
        return;
    }
    int rc = 0;
    if (it->kind == PIPE_AGREEMENT) {
        rc = write_agreement(p->s, p->change, p->stored, &it->ag, it->source, it->index, &p->d, p->counts,
                             maybe_stored(p, it->ag.id));
        if (arena_used(p->stored) > STORED_ARENA_BYTES) {
            arena_free(p->stored);
            p->stored = arena_new();
        }
    } else {
        rc = write_head(p->s, p->change, p->a, &it->doc, &p->orgs_done, &p->regs_done, p->counts);
        if (!rc && it->kind == PIPE_END) {
            rc = write_cooperation(p->s, p->change, p->a, &it->doc, p->counts) ||
                 write_notice(p->s, p->change, &it->doc, p->counts);
            p->orgs_done = p->regs_done = 0;
        }
    }
    if (rc)
        p->stopped = p->failed = true;
}

/* The writer takes the items in batches and the parser wakes it only when a
 * batch is ready (or at the end): one hand-off per item cost two context
 * switches each. */
static void *pipe_writer(void *arg)
{
    pipeline *p = arg;
    pipe_item *batch = malloc(PIPE_BATCH * sizeof *batch);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->count < PIPE_BATCH && !p->closed)
            pthread_cond_wait(&p->more, &p->mu);
        size_t n = p->count < PIPE_BATCH ? p->count : PIPE_BATCH;
        for (size_t i = 0; batch && i < n; i++)
            batch[i] = p->ring[(p->first + i) % PIPE_SLOTS];
        p->first = (p->first + n) % PIPE_SLOTS;
        p->count -= n;
        pthread_cond_signal(&p->room);
        pthread_mutex_unlock(&p->mu);
        if (!n)
            break;
        if (!batch) /* out of memory for the copies: write nothing more, fail */
            p->stopped = p->failed = true;
        for (size_t i = 0; batch && i < n; i++)
            pipe_write(p, &batch[i]);
    }
    free(batch);
    return NULL;
}

static void pipe_put(pipeline *p, const pipe_item *it)
{
    if (!p->threaded) { /* no thread could be started: write in turn */
        pipe_item copy = *it;
        pipe_write(p, &copy);
        return;
    }
    pthread_mutex_lock(&p->mu);
    while (p->count == PIPE_SLOTS)
        pthread_cond_wait(&p->room, &p->mu);
    p->ring[(p->first + p->count) % PIPE_SLOTS] = *it;
    if (++p->count == PIPE_BATCH)
        pthread_cond_signal(&p->more);
    pthread_mutex_unlock(&p->mu);
}

static void pipe_agreement(pipeline *p, const agreement *ag, size_t index, const char *file_name, bool ok)
{
    pipe_item it = {PIPE_AGREEMENT, ok, index, file_name, *ag, {0}};
    pipe_put(p, &it);
}

static void pipe_doc(pipeline *p, bool end, const somon1_doc *doc, const char *file_name, bool ok)
{
    pipe_item it = {end ? PIPE_END : PIPE_HEAD, ok, 0, file_name, {0}, *doc};
    pipe_put(p, &it);
}

static void pipe_start(pipeline *p, store *s, int64_t change, somon1_counts *counts, const agreement *stored,
                       size_t nstored)
{
    *p = (pipeline){0};
    p->stored_ids = stored;
    p->stored_count = nstored;
    p->stored_sorted = true;
    for (size_t i = 1; i < nstored && p->stored_sorted; i++)
        p->stored_sorted = stored[i - 1].id && stored[i].id && strcmp(stored[i - 1].id, stored[i].id) < 0;
    p->s = s;
    p->change = change;
    p->counts = counts;
    p->a = arena_new();
    p->stored = arena_new();
    p->d = (diag){p->a, NULL, 0, 0, 0};
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->more, NULL);
    pthread_cond_init(&p->room, NULL);
    p->ring = malloc(PIPE_SLOTS * sizeof *p->ring);
    p->threaded = p->ring && pthread_create(&p->thread, NULL, pipe_writer, p) == 0;
}

/* Waits until the writer has written (or skipped) every item. */
static void pipe_finish(pipeline *p)
{
    if (p->threaded) {
        pthread_mutex_lock(&p->mu);
        p->closed = true;
        pthread_cond_signal(&p->more);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
        p->threaded = false;
    }
}

static void pipe_free(pipeline *p)
{
    pipe_finish(p);
    pthread_cond_destroy(&p->more);
    pthread_cond_destroy(&p->room);
    pthread_mutex_destroy(&p->mu);
    free(p->ring);
    arena_free(p->stored);
    arena_free(p->a);
}

static char *joined(arena *a, const char *const *files, size_t n)
{
    char *s = arena_strdup(a, "");
    for (size_t i = 0; i < n; i++)
        s = arena_printf(a, "%s%s%s", s, i ? " " : "", strcmp(files[i], "-") == 0 ? "(standard input)" : files[i]);
    return s;
}

static int report_problems(const diag *d, FILE *err)
{
    for (size_t i = 0; i < d->count; i++)
        fprintf(err, "%s\n", d->lines[i]);
    if (d->total > d->count)
        fprintf(err, _("… and %zu more problems\n"), d->total - d->count);
    fprintf(err, ngettext("somon: import refused: %zu problem; nothing was changed\n",
                          "somon: import refused: %zu problems; nothing was changed\n", d->total), d->total);
    return EX_DATAERR;
}

int somon1_import(store *s, const char *const *files, size_t n, const char *actor, FILE *err, somon1_counts *counts)
{
    memset(counts, 0, sizeof *counts);
    arena *a = arena_new();
    diag d = {a, NULL, 0, 0, 0};
    register_view view;
    somon1_context ctx = {&view, {0}};
    somon1_doc *docs = arena_calloc(a, n + 1, sizeof *docs);
    int rc = EX_SOFTWARE;
    if (store_load_view(s, STORE_NOW, &view)) {
        fprintf(err, _("somon: cannot read the database: %s\n"), store_error(s));
        arena_free(a);
        return EX_IOERR;
    }
    if (store_get_organisations(s, STORE_NOW, a, &ctx.known.organisations, &ctx.known.organisation_count) ||
        store_get_regiegebieden(s, STORE_NOW, a, &ctx.known.regiegebieden, &ctx.known.regiegebied_count) ||
        store_get_agreement_links(s, STORE_NOW, a, &ctx.known.agreements, &ctx.known.agreement_count)) {
        register_view_free(&view);
        arena_free(a);
        return EX_SOFTWARE;
    }
    /* the transaction begins before reading, for the writer (see the
     * pipeline); when it cannot, the files are still read and their problems
     * reported, as they come first */
    int64_t change = 0;
    bool begun = store_begin(s, actor, "import", joined(a, files, n), &change) == 0;
    pipeline p;
    pipe_start(&p, s, change, counts, ctx.known.agreements, ctx.known.agreement_count); /* sorted by id */
    size_t base_orgs = ctx.known.organisation_count, base_regions = ctx.known.regiegebied_count;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *data = read_all(a, files[i], &len, err);
        if (!data) {
            rc = EX_NOINPUT;
            pipe_finish(&p);
            if (begun)
                store_rollback(s);
            goto done;
        }
        const char *file_name = strcmp(files[i], "-") == 0 ? "(standard input)" : files[i];
        parse_doc(data, len, file_name, &ctx, a, &docs[i], &d, begun ? &p : NULL);
        if (begun) /* the rest of the document: lists read after the agreements, cooperation */
            pipe_doc(&p, true, &docs[i], file_name, d.total == 0);
        remember(a, &ctx, &docs[i], base_orgs, base_regions, file_name, i + 1 == n, &d);
    }
    check_agreements_across(a, docs, files, n, &d);
    pipe_finish(&p);
    if (d.total) {
        if (begun)
            store_rollback(s);
        rc = report_problems(&d, err);
        goto done;
    }
    if (!begun)
        goto sql_error;
    if (p.failed) {
        store_rollback(s);
        goto sql_error;
    }
    if (p.d.total) { /* found only while writing: an action (body) with follow-up left out */
        store_rollback(s);
        rc = report_problems(&p.d, err);
        goto done;
    }
    if (counts->added + counts->replaced + counts->other + counts->followup + counts->cooperation == 0 &&
        !counts->notice) {
        store_rollback(s); /* nothing new: record no change */
        rc = 0;
        goto done;
    }
    if (store_commit(s)) {
        store_rollback(s);
        goto sql_error;
    }
    rc = 0;
    goto done;
sql_error:
    fprintf(err, _("somon: import failed, nothing was changed: %s\n"), store_error(s));
    rc = EX_IOERR;
done:
    if (rc) /* what the writer wrote before a problem was rolled back: nothing was changed */
        memset(counts, 0, sizeof *counts);
    pipe_free(&p);
    register_view_free(&view);
    arena_free(a);
    return rc;
}

/* ---- one agreement, for the edit forms ---------------------------------- */

size_t somon1_check_agreement(const agreement *ag, const somon1_context *ctx, arena *a, somon1_problem **out)
{
    somon1_doc doc = {0};
    doc.agreements = arena_calloc(a, 1, sizeof *doc.agreements);
    doc.agreement_count = 1;
    diag d = {a, NULL, 0, 0, 0};
    reader r = {a, &d, "form", ctx, &doc, true, arena_calloc(a, 1, sizeof(somon1_problem)), 0, 1, NULL};
    /* read the agreement back from its canonical JSON: every rule of the
     * importer applies, with the paths of the fields */
    json_t *j = somon1_agreement_json(ag);
    path top = at_key(NULL, "agreements"), p = at_index(&top, 0);
    read_agreement(&r, &p, j, &doc.agreements[0]);
    check_references(&r, &doc);
    json_decref(j);
    /* paths are relative to the agreement: drop "agreements[0]." */
    for (size_t i = 0; i < r.found_count; i++) {
        const char *w = r.found[i].path;
        if (strncmp(w, "agreements[0]", 13) == 0)
            w += w[13] == '.' ? 14 : 13;
        r.found[i].path = w;
    }
    *out = r.found;
    return r.found_count;
}

/* ---- one regiegebied or organisation, for the edit forms ---------------- */

/* Reads one object back from its canonical JSON with every rule of the
 * importer, Dutch messages, and paths relative to the object. */
static size_t check_one(json_t *j, object_reader read_one, const char *list, const char *const *keys, void *item,
                        const somon1_context *ctx, arena *a, somon1_problem **out)
{
    somon1_doc doc = {0};
    diag d = {a, NULL, 0, 0, 0};
    reader r = {a, &d, "form", ctx, &doc, true, arena_calloc(a, 1, sizeof(somon1_problem)), 0, 1, NULL};
    path top = at_key(NULL, list), p = at_index(&top, 0);
    check_keys(&r, &p, j, keys);
    read_one(&r, &p, j, item);
    json_decref(j);
    size_t skip = strlen(list) + 3; /* "regiegebieden[0]" */
    for (size_t i = 0; i < r.found_count; i++) {
        const char *w = r.found[i].path;
        if (strncmp(w, list, skip - 3) == 0 && strncmp(w + skip - 3, "[0]", 3) == 0)
            w += w[skip] == '.' ? skip + 1 : skip;
        r.found[i].path = w;
    }
    *out = r.found;
    return r.found_count;
}

size_t somon1_check_regiegebied(const regiegebied *g, const somon1_context *ctx, arena *a, somon1_problem **out)
{
    regiegebied *copy = arena_calloc(a, 1, sizeof *copy);
    return check_one(somon1_regiegebied_json(g), read_regiegebied, "regiegebieden", REGION_KEYS, copy, ctx, a, out);
}

size_t somon1_check_organisation(const organisation *o, const somon1_context *ctx, arena *a, somon1_problem **out)
{
    organisation *copy = arena_calloc(a, 1, sizeof *copy);
    return check_one(somon1_organisation_json(o), read_organisation, "organisations", ORGANISATION_KEYS, copy, ctx, a,
                     out);
}

/* ---- one cooperation or outreach entry, for the forms -------------------- */

size_t somon1_check_cooperation(const cooperation *c, const somon1_context *ctx, arena *a, somon1_problem **out)
{
    cooperation *copy = arena_calloc(a, 1, sizeof *copy);
    return check_one(somon1_cooperation_json(c), read_cooperation, "cooperations", COOPERATION_KEYS, copy, ctx, a,
                     out);
}

size_t somon1_check_outreach(const outreach_entry *e, const somon1_context *ctx, arena *a, somon1_problem **out)
{
    outreach_entry *copy = arena_calloc(a, 1, sizeof *copy);
    return check_one(somon1_outreach_json(e), read_outreach, "outreach", OUTREACH_KEYS, copy, ctx, a, out);
}

rules_lifecycle somon1_lifecycle(const agreement *ag)
{
    rules_lifecycle l = {ag->status, ag->start, ag->terminated_on, false, ag->terminated_by != NULL};
    for (size_t i = 0; i < ag->party_count; i++)
        l.approved_municipality = l.approved_municipality ||
                                  (ag->parties[i].municipality && ag->parties[i].approved_on != DATE_NONE);
    return l;
}
