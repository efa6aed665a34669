/* muniname.c: see muniname.h. */
#include "muniname.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The ASCII letter of a Latin-1 letter (U+00C0..U+00FF) without its accent, or 0. */
static char unaccented(unsigned cp)
{
    static const char map[] = "AAAAAAACEEEEIIII"
                              "DNOOOOO OUUUUY s"
                              "aaaaaaaceeeeiiii"
                              "dnooooo ouuuuy y";
    if (cp < 0xC0 || cp > 0xFF)
        return 0;
    char c = map[cp - 0xC0];
    return c == ' ' ? 0 : c;
}

/* How people's spellings of one name compare: lower case, accents dropped,
 * '-', '_' and runs of spaces as one space, no space at either end
 * ("Sint Niklaas" = "sint-niklaas", "Beëindigd" = "beeindigd"). */
char *muniname_fold(arena *a, const char *s)
{
    size_t n = strlen(s);
    char *out = arena_alloc(a, n + 1), *o = out;
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t len = 1;
        char c = (char)*p;
        if (*p >= 0xC0 && *p < 0xE0 && (p[1] & 0xC0) == 0x80) { /* two bytes: U+0080..U+07FF */
            unsigned cp = ((unsigned)(*p & 0x1F) << 6) | (p[1] & 0x3F);
            len = 2;
            c = cp == 0xA0 ? ' ' : unaccented(cp); /* a no-break space is a space */
        } else if (*p >= 0x80) {
            c = 0; /* a byte of a longer character: kept as it is */
        }
        if (!c) {
            if (space)
                *o++ = ' ';
            memcpy(o, p, len);
            o += len;
            p += len;
            space = false;
            continue;
        }
        p += len;
        if (c == ' ' || c == '-' || c == '_' || c == '\t' || c == '\n' || c == '\r') {
            space = o > out;
            continue;
        }
        if (space)
            *o++ = ' ';
        space = false;
        *o++ = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    *o = '\0';
    return out;
}

static const char *folded(arena *a, const char *s, size_t n) { return muniname_fold(a, arena_strndup(a, s, n)); }

static bool valid_on(const view_municipality *m, date_t d)
{
    return d == DATE_NONE || (m->valid_from <= d && (m->valid_to == DATE_NONE || d <= m->valid_to));
}

static bool valid_between(const view_municipality *m, date_t from, date_t to)
{
    return (to == DATE_NONE || m->valid_from <= to) && (from == DATE_NONE || m->valid_to == DATE_NONE ||
                                                        m->valid_to >= from);
}

size_t muniname_distance(const char *x, const char *y, size_t cap)
{
    size_t nx = strlen(x), ny = strlen(y);
    if (nx > 64 || ny > 64)
        return cap + 1;
    size_t row[65];
    for (size_t j = 0; j <= ny; j++)
        row[j] = j;
    for (size_t i = 1; i <= nx; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= ny; j++) {
            size_t up = row[j];
            size_t d = diag + (x[i - 1] != y[j - 1]);
            if (up + 1 < d)
                d = up + 1;
            if (row[j - 1] + 1 < d)
                d = row[j - 1] + 1;
            row[j] = d;
            diag = up;
            best = d < best ? d : best;
        }
        if (best > cap)
            return cap + 1;
    }
    return row[ny];
}

typedef struct {
    const char *name;
    size_t score;
} near_name;

static int by_score(const void *p, const void *q)
{
    const near_name *a = p, *b = q;
    return a->score != b->score ? (a->score < b->score ? -1 : 1) : strcmp(a->name, b->name);
}

/* The names nearest to want among those valid on day: a name that begins
 * with what was typed first, then by edit distance (the "bedoelde u
 * …?" always names some). */
static void nearest(const register_view *v, const char *want, date_t day, arena *a, muniname_match *out)
{
    size_t n = v->map.count, len = strlen(want), cap = 64, count = 0;
    near_name *all = arena_calloc(a, n + 1, sizeof *all);
    for (size_t i = 0; i < n; i++) {
        const view_municipality *m = &v->municipalities[i];
        if (!valid_on(m, day))
            continue;
        const char *f = muniname_fold(a, m->name);
        size_t score = len && strncmp(f, want, len) == 0 ? 0 : 1 + muniname_distance(want, f, cap);
        if (score > cap)
            continue;
        bool seen = false;
        for (size_t k = 0; k < count && !seen; k++)
            seen = strcmp(all[k].name, m->name) == 0;
        if (!seen)
            all[count++] = (near_name){m->name, score};
    }
    qsort(all, count, sizeof *all, by_score);
    out->near_count = count < MUNINAME_NEAR ? count : MUNINAME_NEAR;
    out->near = arena_calloc(a, MUNINAME_NEAR, sizeof *out->near);
    for (size_t k = 0; k < out->near_count; k++)
        out->near[k] = all[k].name;
}

/* "Name (…)" as a datalist offers it: the name, and in *code a 5-digit code
 * or in *day the first date (30/06/2023) between the brackets. */
static size_t label_name(const char *text, const char **code, date_t *day)
{
    size_t n = strlen(text);
    const char *open = strrchr(text, '(');
    if (!n || text[n - 1] != ')' || !open || open == text || open[-1] != ' ')
        return n;
    const char *inside = open + 1;
    size_t in = (size_t)(text + n - 1 - inside);
    if (in == 5 && strspn(inside, "0123456789") == 5) {
        *code = inside;
    } else {
        for (const char *c = inside; c + 10 <= text + n - 1; c++) {
            char d[11];
            memcpy(d, c, 10);
            d[10] = '\0';
            if (isdigit((unsigned char)*c) && date_parse_nl(d, day))
                break;
        }
    }
    return (size_t)(open - 1 - text);
}

muniname_status muniname_resolve(const register_view *v, const char *text, date_t day, arena *a, muniname_match *out)
{
    memset(out, 0, sizeof *out);
    out->from = out->to = DATE_NONE;
    if (strlen(text) == 5 && strspn(text, "0123456789") == 5) {
        out->nis = text;
        out->name = view_municipality_name(v, text);
        return out->status = MUNINAME_FOUND;
    }
    const char *code = NULL;
    date_t labelled = DATE_NONE;
    size_t len = label_name(text, &code, &labelled);
    if (code) {
        out->nis = arena_strndup(a, code, 5);
        out->name = view_municipality_name(v, out->nis);
        return out->status = MUNINAME_FOUND;
    }
    if (labelled != DATE_NONE)
        day = labelled;
    const char *want = folded(a, text, len);
    const view_municipality *on_day = NULL, *any = NULL, *other = NULL;
    for (size_t i = 0; i < v->map.count; i++) {
        const view_municipality *m = &v->municipalities[i];
        if (strcmp(muniname_fold(a, m->name), want) != 0)
            continue;
        if (day != DATE_NONE && valid_on(m, day))
            on_day = m;
        if (any && strcmp(any->nis, m->nis) != 0)
            other = m;
        /* for a name that is gone: the period it had last */
        if (!any || m->valid_from > any->valid_from)
            any = m;
    }
    if (on_day || (day == DATE_NONE && any && !other)) {
        const view_municipality *m = on_day ? on_day : any;
        out->nis = m->nis;
        out->name = m->name;
        return out->status = MUNINAME_FOUND;
    }
    if (any && day == DATE_NONE) { /* several codes had it: "Hasselt (71022)", "Hasselt (71072)" */
        out->near = arena_calloc(a, MUNINAME_NEAR, sizeof *out->near);
        for (size_t i = 0; i < v->map.count && out->near_count < MUNINAME_NEAR; i++) {
            const view_municipality *m = &v->municipalities[i];
            if (strcmp(muniname_fold(a, m->name), want) == 0 &&
                (!out->near_count || !strstr(out->near[out->near_count - 1], m->nis)))
                out->near[out->near_count++] = arena_printf(a, "%s (%s)", m->name, m->nis);
        }
        return out->status = MUNINAME_AMBIGUOUS;
    }
    nearest(v, want, day, a, out);
    if (any) {
        out->name = any->name;
        out->from = any->valid_from;
        out->to = any->valid_to;
        return out->status = MUNINAME_NOT_ON_DAY;
    }
    return out->status = MUNINAME_UNKNOWN;
}

static int by_text(const void *p, const void *q) { return strcmp(*(const char *const *)p, *(const char *const *)q); }

size_t muniname_names(const register_view *v, date_t from, date_t to, arena *a, const char ***out)
{
    const char **names = arena_calloc(a, v->map.count + 1, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < v->map.count; i++)
        if (valid_between(&v->municipalities[i], from, to))
            names[n++] = v->municipalities[i].name;
    qsort(names, n, sizeof *names, by_text);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (!kept || strcmp(names[kept - 1], names[i]) != 0)
            names[kept++] = names[i];
    *out = names;
    return kept;
}
