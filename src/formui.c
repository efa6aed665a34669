/* formui.c: see formui.h. */
#include "formui.h"

#include "formnames.h"
#include "history.h"

#include <string.h>

#include "layout.h"
#include "muniname.h"

void form_begin(request *rq, const char *target, int64_t version)
{
    buf_fmt(&rq->body, "<form class=\"edit\" method=\"post\" action=\"%a\" novalidate>\n", target);
    page_csrf_field(rq);
    buf_fmt(&rq->body, "<input type=\"hidden\" name=\"version\" value=\"%lld\">\n", (long long)version);
}

void form_end(request *rq, const char *button, const char *cancel_href)
{
    buf_fmt(&rq->body, "<p class=\"actions\"><button type=\"submit\">%h</button> <a href=\"%a\">Annuleren</a></p>\n"
                       "</form>\n",
            button, cancel_href);
}

const char *form_value(const request *rq, const char *name, const char *stored)
{
    if (rq->form_count) {
        const char *v = web_form(rq, name);
        return v ? v : "";
    }
    return stored ? stored : "";
}

const char *form_date_text(request *rq, date_t d)
{
    char iso[DATE_ISO_LEN];
    return d == DATE_NONE ? "" : arena_strdup(rq->arena, date_format_iso(d, iso));
}

const char *form_field_id(request *rq, const char *name)
{
    char *id = arena_printf(rq->arena, "f-%s", name);
    for (char *c = id; *c; c++)
        if (*c == '[' || *c == ']' || *c == '.')
            *c = '-';
    return id;
}

static void label_and_error(request *rq, const edit_outcome *o, const char *name, const char *label, bool required,
                            const char **error_id)
{
    const char *id = form_field_id(rq, name), *error = o ? edit_problem_at(o, name) : NULL;
    buf_fmt(&rq->body, "<p class=\"field%s\"><label for=\"%a\">%h%s</label>", error ? " invalid" : "", id, label,
            required ? " <span class=\"required\">(verplicht)</span>" : "");
    *error_id = NULL;
    if (error) {
        *error_id = arena_printf(rq->arena, "%s-error", id);
        buf_fmt(&rq->body, "<span class=\"error\" id=\"%a\">%h</span>", *error_id, error);
    }
}

static void describedby(request *rq, const char *error_id)
{
    if (error_id)
        buf_fmt(&rq->body, " aria-invalid=\"true\" aria-describedby=\"%a\"", error_id);
}

void form_text(request *rq, const edit_outcome *o, const char *name, const char *label, const char *value, bool required)
{
    const char *error_id;
    label_and_error(rq, o, name, label, required, &error_id);
    buf_fmt(&rq->body, "<input id=\"%a\" name=\"%a\" value=\"%a\"", form_field_id(rq, name), name, value ? value : "");
    describedby(rq, error_id);
    buf_puts(&rq->body, "></p>\n");
}

void form_text_list(request *rq, const edit_outcome *o, const char *name, const char *label, const char *value,
                    const char *list)
{
    const char *error_id;
    label_and_error(rq, o, name, label, false, &error_id);
    buf_fmt(&rq->body, "<input id=\"%a\" name=\"%a\" value=\"%a\" list=\"%a\" autocomplete=\"off\"",
            form_field_id(rq, name), name, value ? value : "", list);
    describedby(rq, error_id);
    buf_puts(&rq->body, "></p>\n");
}

void form_date(request *rq, const edit_outcome *o, const char *name, const char *label, const char *value)
{
    const char *error_id;
    label_and_error(rq, o, name, label, false, &error_id);
    buf_fmt(&rq->body, "<input type=\"date\" id=\"%a\" name=\"%a\" value=\"%a\"", form_field_id(rq, name), name,
            value ? value : "");
    describedby(rq, error_id);
    buf_puts(&rq->body, "></p>\n");
}

void form_textarea(request *rq, const edit_outcome *o, const char *name, const char *label, const char *value,
                   const char *hint)
{
    const char *error_id;
    label_and_error(rq, o, name, label, false, &error_id);
    if (hint)
        buf_fmt(&rq->body, "<span class=\"hint\">%h</span>", hint);
    buf_fmt(&rq->body, "<textarea id=\"%a\" name=\"%a\" rows=\"6\"", form_field_id(rq, name), name);
    describedby(rq, error_id);
    buf_fmt(&rq->body, ">%h</textarea></p>\n", value ? value : "");
}

void form_select_begin(request *rq, const edit_outcome *o, const char *name, const char *label)
{
    const char *error_id;
    label_and_error(rq, o, name, label, false, &error_id);
    buf_fmt(&rq->body, "<select id=\"%a\" name=\"%a\"", form_field_id(rq, name), name);
    describedby(rq, error_id);
    buf_puts(&rq->body, ">");
}

void form_option_write(request *rq, const form_option *option, const char *selected)
{
    buf_fmt(&rq->body, "<option value=\"%a\"%s>%h</option>", option->value,
            selected && strcmp(selected, option->value) == 0 ? " selected" : "", option->label);
}

void form_select_end(request *rq) { buf_puts(&rq->body, "</select></p>\n"); }

void form_select(request *rq, const edit_outcome *o, const char *name, const char *label, const form_option *options,
                 size_t count, const char *selected)
{
    form_select_begin(rq, o, name, label);
    for (size_t i = 0; i < count; i++)
        form_option_write(rq, &options[i], selected);
    form_select_end(rq);
}

/* The form that a refused POST came from, opened afresh: …/parties/new for
 * …/parties, the agreement page for a removal, …/edit otherwise. */
static const char *reopen_url(request *rq)
{
    const char *path = arena_strndup(rq->arena, rq->target, strcspn(rq->target, "?"));
    size_t n = strlen(path);
    if (n >= 8 && strcmp(path + n - 8, "/parties") == 0)
        return arena_printf(rq->arena, "%s/new", path);
    if (n >= 12 && strcmp(path + n - 12, "/parties/add") == 0) /* the form of several parties is its own GET */
        return path;
    if (n >= 7 && strcmp(path + n - 7, "/remove") == 0) {
        const char *parties = strstr(path, "/parties/");
        return parties ? arena_strndup(rq->arena, path, (size_t)(parties - path)) : "/agreements";
    }
    return arena_printf(rq->arena, "%s/edit", path);
}

void form_stale_notice(request *rq, const edit_outcome *o, const char *what, const char *reopen)
{
    buf *b = &rq->body;
    buf_fmt(b, "<div class=\"problems\" role=\"alert\"><p>Er is niets bewaard: %h%s%h wijzigde %h nadat u het formulier "
               "opende. Wat er intussen veranderde:</p><ul>\n",
            o->by ? o->by : "iemand", o->at ? " op " : "", o->at ? page_moment(rq, o->at) : "", what);
    for (size_t i = 0; i < o->between_count; i++)
        buf_fmt(b, "<li>%h: <del>%h</del> → <ins>%h</ins></li>\n", o->between[i].field, o->between[i].old_value,
                o->between[i].new_value);
    buf_fmt(b, "</ul><p>Uw invoer staat hieronder nog. <a href=\"%a\">Open het formulier opnieuw</a> om op de nieuwe "
               "versie verder te werken.</p></div>\n",
            reopen);
}

void form_between(request *rq, json_t *old_json, json_t *now_json, int64_t change, edit_outcome *o)
{
    o->between_count = history_diff(rq->arena, old_json, now_json, web_history_names(rq), &o->between);
    json_decref(old_json);
    json_decref(now_json);
    store_change c;
    if (store_change_get(rq->db, change, rq->arena, &c) == 1) {
        o->by = page_shows_people(rq) ? c.actor : NULL;
        o->at = c.moment;
    }
}

/* The field a problem is about, as the summary names it: the history's
 * labels of somon/1 paths, and the fields only the forms of several parties
 * and of the approvals have. */
static const char *field_label(request *rq, const char *path)
{
    static const char *const OWN[][2] = {{"names", "gemeenten bij naam"}, {"province", "provincie"},
                                         {"evidence", "besluit"}};
    const char *label = history_path_label(rq->arena, path);
    for (size_t i = 0; i < sizeof OWN / sizeof *OWN; i++) {
        size_t n = strlen(OWN[i][0]);
        const char *at = strstr(label, OWN[i][0]);
        if (at && (at == label || at[-1] == ' ') && (at[n] == '\0' || at[n] == ' '))
            label = arena_printf(rq->arena, "%.*s%s%s", (int)(at - label), label, OWN[i][1], at + n);
    }
    return label;
}

void form_outcome(request *rq, const edit_outcome *o, int code)
{
    buf *b = &rq->body;
    if (code == EDIT_INVALID && o->problem_count) {
        buf_puts(b, "<div class=\"problems\" role=\"alert\"><p>Er is niets bewaard. Verbeter eerst:</p><ul>\n");
        for (size_t i = 0; i < o->problem_count; i++) {
            const char *path = o->problems[i].path, *name = field_label(rq, path);
            /* a link only to a field this form has (a problem of the whole
             * agreement, such as "no party", has none here) */
            if (web_form(rq, path))
                buf_fmt(b, "<li><a href=\"#%a\">%h</a>: %h</li>\n", form_field_id(rq, path), name,
                        o->problems[i].message);
            else
                buf_fmt(b, "<li>%h: %h</li>\n", name, o->problems[i].message);
        }
        buf_puts(b, "</ul></div>\n");
    } else if (code == EDIT_STALE) {
        form_stale_notice(rq, o, "deze overeenkomst", reopen_url(rq));
    } else if (code == EDIT_FAILED) {
        buf_puts(b, "<div class=\"problems\" role=\"alert\"><p>Er is niets bewaard: het register kon niet geschreven "
                    "worden. Probeer het opnieuw.</p></div>\n");
    }
}

bool form_read_date(const request *rq, const char *name, date_t *out)
{
    const char *v = web_form(rq, name);
    *out = DATE_NONE;
    if (!v || !*v)
        return true;
    return date_parse_iso(v, out);
}

const char *form_read_text(request *rq, const char *name)
{
    const char *v = web_form(rq, name);
    if (!v)
        return NULL;
    while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
        v++;
    if (!*v)
        return NULL;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
        n--;
    return arena_strndup(rq->arena, v, n);
}

/* ---- municipalities by name -------------------------------------------------- */

/* "A, B of C" */
static const char *or_list(request *rq, const char *const *names, size_t n)
{
    const char *s = "";
    for (size_t i = 0; i < n; i++)
        s = arena_printf(rq->arena, "%s%s%s", s, !i ? "" : i + 1 < n ? ", " : " of ", names[i]);
    return s;
}

const char *form_municipality(request *rq, const char *text, date_t day, const char **why)
{
    const register_view *v = web_view(rq);
    if (!v) {
        *why = "het register kon niet gelezen worden; probeer het opnieuw";
        return NULL;
    }
    muniname_match m;
    muniname_status st = muniname_resolve(v, text, day, rq->arena, &m);
    if (st == MUNINAME_FOUND)
        return m.nis;
    const char *on = day == DATE_NONE ? "" : arena_printf(rq->arena, " op %s", page_date(rq, day));
    const char *shown = arena_clip(rq->arena, text, 60);
    if (st == MUNINAME_AMBIGUOUS) {
        *why = arena_printf(rq->arena, "'%s' noemt meer dan één gemeente (%s); kies er een uit de lijst", shown,
                            or_list(rq, m.near, m.near_count));
        return NULL;
    }
    const char *was = st != MUNINAME_NOT_ON_DAY ? ""
                    : m.to == DATE_NONE ? arena_printf(rq->arena, " (wel vanaf %s)", page_date(rq, m.from))
                                        : arena_printf(rq->arena, " (wel van %s tot %s)", page_date(rq, m.from),
                                                       page_date(rq, m.to));
    *why = m.near_count ? arena_printf(rq->arena, "'%s' is geen gemeente%s%s; bedoelde u %s?", shown, on, was,
                                       or_list(rq, m.near, m.near_count))
                        : arena_printf(rq->arena, "'%s' is geen gemeente%s%s; kies een naam uit de lijst of geef de "
                                                  "NIS-code",
                                       shown, on, was);
    return NULL;
}

void form_municipality_list(request *rq, const char *id, date_t from, date_t to)
{
    /* empty: assets/somon.js fills it from the shared list (formnames.h) */
    buf_fmt(&rq->body, "<datalist id=\"%a\" data-names=\"%a\"></datalist>\n", id, formnames_url(rq, from, to, false));
}

void form_member_list(request *rq, const char *id, date_t from, date_t to)
{
    buf_fmt(&rq->body, "<datalist id=\"%a\" data-names=\"%a\"></datalist>\n", id, formnames_url(rq, from, to, true));
}

const char *form_municipality_name(request *rq, const char *nis)
{
    const register_view *v = web_view(rq);
    const char *name = v && nis ? view_municipality_name(v, nis) : NULL;
    return name ? name : nis;
}
