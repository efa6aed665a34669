/* formrows.c: see formrows.h. */
#include "formrows.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "formui.h"
#include "layout.h"
#include "pages.h"

const char *rows_text(const char *s) { return s ? s : ""; }

bool rows_blank(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

const char *rows_field(request *rq, const char *path, const char *key)
{
    return arena_printf(rq->arena, "%s.%s", path, key);
}

/* What the person posted in path.key ("" when absent). */
const char *rows_posted(request *rq, const char *path, const char *key)
{
    return form_value(rq, rows_field(rq, path, key), NULL);
}

bool rows_ticked(request *rq, const char *path, const char *key)
{
    return web_form(rq, rows_field(rq, path, key)) != NULL;
}

/* The trimmed text of path.key, NULL when blank: the value that is saved. */
char *rows_saved_text(request *rq, const char *path, const char *key)
{
    return (char *)form_read_text(rq, rows_field(rq, path, key));
}

/* How many rows list[0], list[1], … the form posted (every row posts key). */
size_t rows_posted_rows(request *rq, const char *list, const char *key)
{
    size_t n = 0;
    while (n < FORM_MAX_FIELDS && web_form(rq, arena_printf(rq->arena, "%s[%zu].%s", list, n, key)))
        n++;
    return n;
}

const char *rows_agreement_url(request *rq, const char *id, const char *suffix)
{
    buf b = {0};
    buf_puts(&b, "/agreements/");
    buf_url(&b, id);
    buf_puts(&b, suffix);
    const char *url = arena_strdup(rq->arena, b.data);
    buf_free(&b);
    return url;
}

/* A uid as the form carries it: digits only, positive. */
bool rows_parse_uid(const char *s, int64_t *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return false;
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    bool ok = !*end && !errno && n > 0;
    *out = ok ? n : 0; /* 0 matches no stored action or body */
    return ok;
}

void rows_problem(request *rq, edit_outcome *o, const char *path, const char *message)
{
    size_t cap = o->problem_count; /* grows every time: refusals are few */
    o->problems = arena_grow(rq->arena, o->problems, &cap, o->problem_count + 1, sizeof *o->problems);
    o->problems[o->problem_count++] = (somon1_problem){path, message};
}

void rows_hidden(request *rq, const char *name, const char *value)
{
    buf_fmt(&rq->body, "<input type=\"hidden\" name=\"%a\" value=\"%a\">\n", name, value);
}

void rows_checkbox(request *rq, const edit_outcome *o, const char *name, const char *label, bool checked)
{
    const char *id = form_field_id(rq, name), *error = o ? edit_problem_at(o, name) : NULL;
    buf *b = &rq->body;
    buf_fmt(b, "<p class=\"field check%s\"><input type=\"checkbox\" id=\"%a\" name=\"%a\" value=\"1\"%s",
            error ? " invalid" : "", id, name, checked ? " checked" : "");
    if (error)
        buf_fmt(b, " aria-invalid=\"true\" aria-describedby=\"%a-error\"", id);
    buf_fmt(b, "> <label for=\"%a\">%h</label>", id, label);
    if (error)
        buf_fmt(b, " <span class=\"error\" id=\"%a-error\">%h</span>", id, error);
    buf_puts(b, "</p>\n");
}

/* A whole number field. Text with a numeric keyboard rather than
 * type=number: a browser posts "" for a non-number in the latter, and the
 * person must get a message about what they typed, and keep it. */
void rows_number_field(request *rq, const edit_outcome *o, const char *name, const char *label, const char *value)
{
    const char *id = form_field_id(rq, name), *error = o ? edit_problem_at(o, name) : NULL;
    buf *b = &rq->body;
    buf_fmt(b, "<p class=\"field%s\"><label for=\"%a\">%h</label>", error ? " invalid" : "", id, label);
    if (error)
        buf_fmt(b, "<span class=\"error\" id=\"%a-error\">%h</span>", id, error);
    buf_fmt(b, "<input id=\"%a\" name=\"%a\" value=\"%a\" inputmode=\"numeric\" size=\"4\"", id, name, value);
    if (error)
        buf_fmt(b, " aria-invalid=\"true\" aria-describedby=\"%a-error\"", id);
    buf_puts(b, "></p>\n");
}

/* Problems about the form as a whole (path exactly `path`), where the
 * summary's link to "#f-<path>" lands. */
void rows_general_problems(request *rq, const edit_outcome *o, const char *path)
{
    bool open = false;
    for (size_t i = 0; o && i < o->problem_count; i++) {
        if (strcmp(o->problems[i].path, path) != 0)
            continue;
        if (!open)
            buf_fmt(&rq->body, "<div class=\"form-problems\" id=\"%a\">\n", form_field_id(rq, path));
        open = true;
        buf_fmt(&rq->body, "<p class=\"error\">%h</p>\n", o->problems[i].message);
    }
    if (open)
        buf_puts(&rq->body, "</div>\n");
}

void rows_form_heading(request *rq, const agreement *ag, const char *title, const char *intro)
{
    page_begin(rq, arena_printf(rq->arena, "%s: %s", title, ag->title), NAV_AGREEMENTS);
    buf_fmt(&rq->body, "<p class=\"crumbs\"><a href=\"%a\">%h</a></p>\n<h1>%h</h1>\n<p>%h</p>\n",
            rows_agreement_url(rq, ag->id, ""), ag->title, title, intro);
}

/* ---- mapping problems back to the rows of the form -------------------------- */


void rows_map_path(request *rq, path_maps *m, const char *saved, const char *shown, const char *exact)
{
    m->items = arena_grow(rq->arena, m->items, &m->cap, m->count + 1, sizeof *m->items);
    m->items[m->count++] = (path_map){saved, shown, exact};
}

/* path with its longest mapped prefix replaced by the row it came from. */
const char *rows_remapped(request *rq, const path_maps *m, const char *path)
{
    const path_map *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < m->count; i++) {
        size_t n = strlen(m->items[i].saved);
        char next = strncmp(path, m->items[i].saved, n) == 0 ? path[n] : 'x';
        if ((next == '\0' || next == '.' || next == '[') && n > best_len)
            best = &m->items[i], best_len = n;
    }
    if (!best)
        return path;
    const char *rest = path + best_len;
    return arena_printf(rq->arena, "%s%s", best->shown, !*rest && best->exact ? best->exact : rest);
}

void rows_remap_problems(request *rq, edit_outcome *o, const path_maps *m)
{
    for (size_t i = 0; i < o->problem_count; i++)
        o->problems[i].path = rows_remapped(rq, m, o->problems[i].path);
}


int rows_save(request *rq, agreement *ag, act doing, const char *what, rows_builder build, void *rows,
              edit_outcome *o)
{
    if (ag->version != rq->subject->version) /* stale: edit_save() says what changed in between */
        return edit_save(rq, ag, doing, what, o);
    path_maps map = {0};
    if (!build(rq, rows, ag, o, &map))
        return EDIT_INVALID; /* own problems: already named by the rows of the form */
    int code = edit_save(rq, ag, doing, what, o);
    if (code == EDIT_INVALID)
        rows_remap_problems(rq, o, &map);
    return code;
}
