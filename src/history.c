/* history.c: see history.h. */
#include "history.h"

#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "rules.h"
#include "somon1.h"

static const char *const LABELS[][2] = {
    {"id", "id"}, {"title", "titel"}, {"vdab_directorate", "VDAB-directie"}, {"regiegebied", "regiegebied"},
    {"status", "status"}, {"start", "begin"}, {"end", "einde"}, {"expected_start", "verwachte start"},
    {"terminated_on", "beëindigd op"}, {"terminated_by", "beëindigd door"}, {"parties", "partijen"},
    {"action_plan", "actieplan"}, {"governance", "overlegstructuur"}, {"notes", "notities"},
    {"municipality", "gemeente"}, {"organisation", "organisatie"}, {"approved_on", "goedgekeurd op"},
    {"from", "vanaf"}, {"until", "tot"}, {"left_reason", "reden van uittreden"}, {"expected_from", "verwacht vanaf"},
    {"signatories", "ondertekenaars"},
    {"name", "naam"}, {"function", "functie"}, {"theme", "thema"}, {"domains", "actiedomeinen"},
    {"number", "nummer"}, {"actions", "acties"}, {"lead", "trekker"}, {"body", "orgaan"},
    {"convener", "roept samen"}, {"min_meetings", "minimum aantal vergaderingen"},
    {"per_years", "per aantal jaar"}, {"members", "leden"}, {"kind", "soort"}, {"province", "provincie"},
    {"signed_on", "ondertekend op"}, {"predecessor", "volgt op"}, {"decisions", "beslissingen"},
    {"on", "datum"}, {"agenda_point", "agendapunt"}, {"url", "link"}, {"approves", "keurt goed"},
    {"sources", "bronnen"}, {"quote", "citaat"}, {"read_on", "gelezen op"},
};

static const char *label(const char *key)
{
    for (size_t i = 0; i < sizeof LABELS / sizeof *LABELS; i++)
        if (strcmp(LABELS[i][0], key) == 0)
            return LABELS[i][1];
    return key;
}

typedef struct {
    arena *a;
    field_change *items;
    size_t count, cap;
    const history_names *readable; /* NULL: values as stored */
} diff;

/* Fields whose value may be the NIS code of a municipality. */
static bool names_municipality(const char *key)
{
    return key && (strcmp(key, "municipality") == 0 || strcmp(key, "terminated_by") == 0);
}

/* The municipality's name for people, or the value as it is (an organisation's
 * id, "VDAB", a code the reference data does not know). */
static const char *municipality_text(const diff *d, const char *value)
{
    const char *name = d->readable ? d->readable->municipality_name(d->readable->ctx, value) : NULL;
    return arena_strdup(d->a, name ? name : value);
}

static bool is_date_field(const char *key)
{
    static const char *const keys[] = {"start", "end", "expected_start", "terminated_on", "approved_on",
                                       "from", "until", "expected_from", "signed_on", "on"};
    for (size_t i = 0; key && i < sizeof keys / sizeof *keys; i++)
        if (strcmp(keys[i], key) == 0)
            return true;
    return false;
}

/* A string value of the field key: for readers, "ondertekend" rather than
 * "signed" and 01/03/2024 rather than 2024-03-01. */
static const char *string_text(const diff *d, const char *key, const char *value)
{
    if (!d->readable || !key)
        return arena_strdup(d->a, value);
    agreement_status st;
    date_t day;
    char nl[DATE_NL_LEN];
    if (strcmp(key, "status") == 0 && status_parse(value, &st))
        return status_label_nl(st);
    if (is_date_field(key) && date_parse_iso(value, &day))
        return arena_strdup(d->a, date_format_nl(day, nl));
    if (names_municipality(key))
        return municipality_text(d, value);
    return arena_strdup(d->a, value);
}

static void add(diff *d, const char *field, const char *old_value, const char *new_value)
{
    d->items = arena_grow(d->a, d->items, &d->cap, d->count + 1, sizeof *d->items);
    d->items[d->count++] = (field_change){field, old_value, new_value};
}

/* A short text for the value of field key (NULL in a list): scalars as
 * they are, objects as their scalar fields joined, lists by their elements. */
static const char *show(const diff *d, const char *key, json_t *v)
{
    arena *a = d->a;
    if (!v || json_is_null(v))
        return "(leeg)";
    if (json_is_string(v))
        return string_text(d, key, json_string_value(v));
    if (json_is_integer(v))
        return arena_printf(a, "%lld", (long long)json_integer_value(v));
    if (json_is_true(v) || json_is_false(v))
        return json_is_true(v) ? "ja" : "nee";
    if (json_is_array(v)) {
        char *s = arena_strdup(a, "");
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) s = arena_printf(a, "%s%s%s", s, i ? ", " : "", show(d, NULL, x));
        return *s ? s : "(geen)";
    }
    char *s = arena_strdup(a, "");
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x)
    {
        if (json_is_null(x) || json_is_object(x) || (json_is_array(x) && !json_array_size(x)))
            continue;
        if (json_is_array(x)) /* e.g. the signatories of a new party */
            s = arena_printf(a, "%s%s%s: %zu", s, *s ? ", " : "", label(k), json_array_size(x));
        else
            s = arena_printf(a, "%s%s%s: %s", s, *s ? ", " : "", label(k), show(d, k, x));
    }
    return s;
}

static const char *const IDENTITY_KEYS[] = {"municipality", "organisation", "number", "body", "theme", "name", "id"};

/* Which field identifies an element of a list of objects, or NULL. */
static const char *identity_key(json_t *v)
{
    if (!json_is_object(v))
        return NULL;
    for (size_t i = 0; i < sizeof IDENTITY_KEYS / sizeof *IDENTITY_KEYS; i++)
        if (json_is_string(json_object_get(v, IDENTITY_KEYS[i])))
            return IDENTITY_KEYS[i];
    return NULL;
}

/* What identifies an element of a list of objects, or NULL. */
static const char *identity(json_t *v)
{
    const char *key = identity_key(v);
    return key ? json_string_value(json_object_get(v, key)) : NULL;
}

/* The element as a step of a field's path: a party by its municipality's name. */
static const char *identity_text(const diff *d, json_t *v)
{
    return names_municipality(identity_key(v)) ? municipality_text(d, identity(v)) : identity(v);
}

static void compare(diff *d, const char *path, const char *key, json_t *o, json_t *n);

static const char *join(arena *a, const char *path, const char *key)
{
    return *path ? arena_printf(a, "%s › %s", path, key) : arena_strdup(a, key);
}

static json_t *find_by_identity(json_t *list, const char *id)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) if (identity(x) && strcmp(identity(x), id) == 0) return x;
    return NULL;
}

/* Every element has an identity, and no two share one. */
static bool identified(json_t *list)
{
    size_t i, k;
    json_t *x, *y;
    json_array_foreach(list, i, x)
    {
        if (!identity(x))
            return false;
        json_array_foreach(list, k, y) if (k < i && strcmp(identity(x), identity(y)) == 0) return false;
    }
    return true;
}

/* Lists are matched by identity when identities tell the elements apart
 * (parties by municipality, actions by number); otherwise (members named
 * only by their organisation) element by element. */
static void compare_lists(diff *d, const char *path, json_t *o, json_t *n)
{
    bool keyed = json_array_size(o) + json_array_size(n) > 0 && identified(o) && identified(n);
    size_t i;
    json_t *x;
    if (!keyed) {
        if (json_array_size(o) != json_array_size(n) || !json_equal(o, n)) {
            bool scalars = true;
            json_array_foreach(o, i, x) scalars = scalars && !json_is_object(x) && !json_is_array(x);
            json_array_foreach(n, i, x) scalars = scalars && !json_is_object(x) && !json_is_array(x);
            if (scalars) {
                add(d, path, show(d, NULL, o), show(d, NULL, n));
                return;
            }
            size_t count = json_array_size(o) > json_array_size(n) ? json_array_size(o) : json_array_size(n);
            for (i = 0; i < count; i++)
                compare(d, join(d->a, path, arena_printf(d->a, "#%zu", i + 1)), NULL, json_array_get(o, i),
                        json_array_get(n, i));
        }
        return;
    }
    json_array_foreach(o, i, x) {
        const char *id = identity(x);
        json_t *other = find_by_identity(n, id);
        if (!other)
            add(d, join(d->a, path, identity_text(d, x)), show(d, NULL, x), "(verwijderd)");
        else
            compare(d, join(d->a, path, identity_text(d, x)), NULL, x, other);
    }
    json_array_foreach(n, i, x) {
        const char *id = identity(x);
        if (!find_by_identity(o, id))
            add(d, join(d->a, path, identity_text(d, x)), "(nieuw)", show(d, NULL, x));
    }
}

static void compare(diff *d, const char *path, const char *key, json_t *o, json_t *n)
{
    if (json_is_object(o) && json_is_object(n)) {
        const char *k;
        json_t *x;
        json_object_foreach(n, k, x) compare(d, join(d->a, path, label(k)), k, json_object_get(o, k), x);
        json_object_foreach(o, k, x) if (!json_object_get(n, k)) compare(d, join(d->a, path, label(k)), k, x, NULL);
        return;
    }
    if (json_is_array(o) && json_is_array(n)) {
        compare_lists(d, path, o, n);
        return;
    }
    if (json_equal(o, n) || ((!o || json_is_null(o)) && (!n || json_is_null(n))))
        return;
    add(d, path, show(d, key, o), show(d, key, n));
}

size_t history_diff(arena *a, json_t *old_value, json_t *new_value, const history_names *readable,
                    field_change **out)
{
    diff d = {a, NULL, 0, 0, readable};
    compare(&d, "", NULL, old_value, new_value);
    *out = d.items;
    return d.count;
}

bool history_agreement_diff(arena *a, const account *who, agreement *old_version, agreement *new_version,
                            const history_names *readable, field_change **out, size_t *count)
{
    auth_redact(who, old_version);
    auth_redact(who, new_version);
    json_t *o = somon1_agreement_json(old_version), *n = somon1_agreement_json(new_version);
    *out = NULL;
    *count = o && n ? history_diff(a, o, n, readable, out) : 0;
    json_decref(o);
    json_decref(n);
    return o && n;
}

const char *history_path_label(arena *a, const char *path)
{
    char *out = arena_strdup(a, "");
    for (const char *p = path ? path : ""; *p;) {
        size_t len = strcspn(p, ".[");
        char *key = arena_strndup(a, p, len);
        out = arena_printf(a, "%s%s%s", out, *out ? " › " : "", label(key));
        p += len;
        while (*p == '[') { /* an element: numbered from 1 for people */
            char *end;
            long i = strtol(p + 1, &end, 10);
            if (*end != ']')
                return arena_strdup(a, path);
            out = arena_printf(a, "%s %ld", out, i + 1);
            p = end + 1;
        }
        if (*p == '.')
            p++;
    }
    return out;
}

bool history_same(json_t *x, json_t *y)
{
    char *a = json_dumps(x, JSON_COMPACT | JSON_PRESERVE_ORDER), *b = json_dumps(y, JSON_COMPACT | JSON_PRESERVE_ORDER);
    bool same = a && b && strcmp(a, b) == 0;
    free(a);
    free(b);
    json_decref(x);
    json_decref(y);
    return same;
}

