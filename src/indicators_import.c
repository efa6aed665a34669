/* indicators_import.c: see indicators_import.h.
 *
 * The files are read whole and split into lines in place, so that every
 * problem carries its line number (a quoted field may not span lines). A
 * value row becomes a 64-bit key (indicator, NIS code, period) with its
 * value and line; sorting the keys finds duplicates and puts the rows in
 * the order of the table's primary key, which makes the writing an append.
 * The current values are read into the same keys and compared by binary
 * search. */
#define _POSIX_C_SOURCE 200809L
#include "indicators_import.h"
#include "i18n.h"

#include "buf.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "input.h"
#include "rules.h"
#include "rules_indicators.h"

/* A row of nis,period,indicator,value fits in far less than a value line
 * may take; a longer line is refused before any field of it is quoted. */
enum { SHOWN_PROBLEMS = 100, PROGRESS_MIN_ROWS = 100000, VALUE_LINE_MAX = 4096, QUOTED_MAX = 60 };

/* ---- reading lines and fields ------------------------------------------ */

typedef struct {
    const char *path;
    FILE *err;
    size_t problems;
} report;

static void problem(report *r, size_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(report *r, size_t line, const char *fmt, ...)
{
    if (++r->problems > SHOWN_PROBLEMS)
        return;
    buf text = {0}, shown = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&text, fmt, ap);
    va_end(ap);
    /* the message quotes the file: show its control characters, never send them to a terminal */
    text_shown(&shown, text.data ? text.data : "", text.len);
    if (line)
        fprintf(r->err, "%s:%zu: %s\n", r->path, line, shown.data ? shown.data : "");
    else
        fprintf(r->err, "%s: %s\n", r->path, shown.data ? shown.data : "");
    buf_free(&text);
    buf_free(&shown);
}

/* A field as a message quotes it: at most QUOTED_MAX bytes. */
static const char *quoted(arena *a, const char *s) { return arena_clip(a, s ? s : "", QUOTED_MAX); }

/* A NUL would end the line for every string function after it and so
 * import the wrong value: refuse the line (column in characters). */
static bool has_nul(report *r, size_t lineno, const char *line, size_t len)
{
    const char *nul = memchr(line, '\0', len);
    if (!nul)
        return false;
    size_t column = 1;
    for (const char *c = line; c < nul; c++)
        column += ((unsigned char)*c & 0xC0) != 0x80;
    problem(r, lineno, _("a NUL byte at column %zu; remove it (save the file as CSV text, UTF-8)"), column);
    return true;
}

/* A text field of a definition, checked against its kind; false after
 * reporting. */
static bool text_ok(report *r, arena *a, size_t lineno, const char *column, const char *value, text_kind kind)
{
    if (!value)
        return true;
    text_verdict v = text_check(value, strlen(value), kind);
    if (v.fault == TEXT_OK)
        return true;
    problem(r, lineno, "%s: %s", column, text_explain(a, &v, kind, false));
    return false;
}

/* The whole file, NUL-terminated, malloc'd (the caller frees); NULL after
 * reporting why. */
static char *read_file(report *r, size_t *len)
{
    FILE *f = strcmp(r->path, "-") == 0 ? stdin : fopen(r->path, "rb");
    if (!f) {
        fprintf(r->err, _("somon: cannot read %s: %s; give the path of a CSV file\n"), r->path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *data = malloc(cap);
    for (size_t got; data && (got = fread(data + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (cap - n - 1 == 0) {
            char *more = cap > SIZE_MAX / 2 ? NULL : realloc(data, cap * 2);
            if (!more) {
                free(data);
                data = NULL;
            }
            data = more;
            cap *= 2;
        }
    }
    int failed = !data || ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed) {
        fprintf(r->err, _("somon: cannot read %s: %s\n"), r->path, data ? strerror(errno) : _("out of memory"));
        free(data);
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}

typedef struct {
    char *p, *end;
    size_t line;
} lines;

/* The next line, NUL-terminated in place without its CR LF; NULL at the end. */
static char *next_line(lines *l, size_t *len)
{
    if (l->p >= l->end)
        return NULL;
    char *start = l->p;
    char *nl = memchr(start, '\n', (size_t)(l->end - start));
    char *stop = nl ? nl : l->end;
    l->p = nl ? nl + 1 : l->end;
    if (stop > start && stop[-1] == '\r')
        stop--;
    *stop = '\0';
    *len = (size_t)(stop - start);
    l->line++;
    return start;
}

static bool utf8_valid(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        if (k == 0 || i + k > n)
            return false;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xc0) != 0x80)
                return false;
        /* overlong forms, surrogates and code points above U+10FFFF */
        if ((c == 0xe0 && s[i + 1] < 0xa0) || (c == 0xed && s[i + 1] > 0x9f) || (c == 0xf0 && s[i + 1] < 0x90) ||
            (c == 0xf4 && s[i + 1] > 0x8f))
            return false;
        i += k;
    }
    return true;
}

/* Splits a line into at most max fields in place (RFC 4180 quoting within
 * the line). Returns the number of fields, max + 1 when there are more, or
 * -1 for bad quoting. */
static int split_fields(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max)
            return max + 1;
        if (*p == '"') {
            char *w = ++p;
            fields[n++] = w;
            for (;;) {
                if (*p == '\0')
                    return -1;
                if (*p == '"') {
                    if (p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *w++ = *p++;
            }
            if (*p != ',' && *p != '\0')
                return -1;
            char sep = *p;
            *w = '\0';
            if (sep == '\0')
                return n;
            p++;
        } else {
            fields[n++] = p;
            char *comma = strchr(p, ',');
            if (strchr(p, '"') && (!comma || strchr(p, '"') < comma))
                return -1;
            if (!comma)
                return n;
            *comma = '\0';
            p = comma + 1;
        }
    }
}

/* Finds each wanted column in the header; false after reporting. */
static bool read_header(report *r, char *line, size_t len, const char *const *names, int count, int *column)
{
    if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
        line += 3; /* a byte order mark */
    char *fields[16];
    int n = split_fields(line, fields, 16);
    bool ok = n == count;
    for (int i = 0; i < count; i++)
        column[i] = -1;
    for (int f = 0; ok && f < n; f++) {
        int which = -1;
        for (int i = 0; i < count; i++)
            if (strcmp(fields[f], names[i]) == 0)
                which = i;
        if (which < 0 || column[which] >= 0)
            ok = false;
        else
            column[which] = f;
    }
    if (!ok) {
        buf want = {0};
        for (int i = 0; i < count; i++)
            buf_printf(&want, "%s%s", i ? "," : "", names[i]);
        problem(r, 1, _("the header must name the columns %s (in any order, each once); fix the first line"),
                want.data ? want.data : "");
        buf_free(&want);
    }
    return ok;
}

typedef enum { NUMBER_OK, NUMBER_SYNTAX, NUMBER_DIGITS, NUMBER_TOO_LARGE, NUMBER_TOO_SMALL } number_fault;

/* Counts the significant digits of a run of digits: from the first nonzero
 * digit seen so far to the last nonzero one. */
static void count_digits(const char **p, size_t *first, size_t *last, size_t *at)
{
    for (; **p >= '0' && **p <= '9'; (*p)++, (*at)++)
        if (**p != '0') {
            if (!*first)
                *first = *at;
            *last = *at;
        }
}

/* A plain decimal number: [-]digits[.digits][e[+-]digits], with at most
 * LIMIT_SIGNIFICANT_DIGITS significant digits (more would be rounded by the
 * double it is stored in) and a magnitude a double holds. */
static number_fault parse_number(const char *s, double *out)
{
    const char *p = s;
    size_t first = 0, last = 0, at = 1;
    if (*p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return NUMBER_SYNTAX;
    count_digits(&p, &first, &last, &at);
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return NUMBER_SYNTAX;
        count_digits(&p, &first, &last, &at);
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (*p < '0' || *p > '9')
            return NUMBER_SYNTAX;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p)
        return NUMBER_SYNTAX;
    if (first && last - first + 1 > LIMIT_SIGNIFICANT_DIGITS)
        return NUMBER_DIGITS;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (*end)
        return NUMBER_SYNTAX;
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1))
        return NUMBER_TOO_LARGE;
    if (errno == ERANGE || (first && v == 0))
        return NUMBER_TOO_SMALL;
    *out = v;
    return NUMBER_OK;
}

/* ---- progress on a terminal ----------------------------------------------- */

typedef struct {
    FILE *err;
    bool on;
    const char *phase;
    size_t total;
    int shown;
} progress;

static void progress_step(progress *p, const char *phase, size_t done)
{
    if (!p->on || !p->total)
        return;
    int pct = (int)(done * 100 / p->total);
    if (phase == p->phase && pct == p->shown)
        return;
    p->phase = phase;
    p->shown = pct;
    char bar[41];
    int fill = pct * 40 / 100;
    for (int i = 0; i < 40; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[40] = '\0';
    fprintf(p->err, "\rsomon: %-9s [%s] %3d%%", phase, bar, pct);
    fflush(p->err);
}

static void progress_end(progress *p)
{
    if (p->on && p->phase)
        fputc('\n', p->err);
    p->phase = NULL;
}

/* ---- definitions ------------------------------------------------------------ */

static const char *const DEF_COLUMNS[] = {"code", "name", "unit", "kind", "numerator", "denominator", "source"};
enum { DEF_CODE, DEF_NAME, DEF_UNIT, DEF_KIND, DEF_NUMERATOR, DEF_DENOMINATOR, DEF_SOURCE, DEF_COLUMN_COUNT };

static bool code_valid(const char *c)
{
    size_t n = strlen(c);
    if (n == 0 || n > LIMIT_CODE || c[0] < 'a' || c[0] > 'z')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((c[i] >= 'a' && c[i] <= 'z') || (c[i] >= '0' && c[i] <= '9') || c[i] == '_'))
            return false;
    return true;
}

static const indicator_def *find_def(const indicator_def *defs, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (code && strcmp(defs[i].code, code) == 0)
            return &defs[i];
    return NULL;
}

/* A rate's part must be a count of the file or of the known definitions. */
static void check_part(report *r, size_t line, const indicator_def *d, const char *part, const char *what,
                       const indicator_def *defs, size_t n, const indicator_def *known, size_t nknown)
{
    if (!part) {
        problem(r, line, _("rate '%s' needs a %s; name the count indicator it is computed from"), d->code, what);
        return;
    }
    const indicator_def *p = find_def(defs, n, part);
    if (!p)
        p = find_def(known, nknown, part);
    if (!p)
        problem(r, line, _("%s '%s' of rate '%s' is not a defined indicator; define it (kind count) first"), what, part,
                d->code);
    else if (strcmp(p->kind, "count") != 0)
        problem(r, line, _("%s '%s' of rate '%s' is a %s; a rate is computed from counts"), what, part, d->code, p->kind);
}

static char *field_or_null(arena *a, const char *f) { return f && *f ? arena_strdup(a, f) : NULL; }

int indicators_read_defs(const char *path, const indicator_def *known, size_t nknown, arena *a, indicator_def **out,
                         size_t *n, FILE *err)
{
    *out = NULL;
    *n = 0;
    report r = {path, err, 0};
    size_t len, cap = 0;
    char *data = read_file(&r, &len);
    if (!data)
        return EX_NOINPUT;
    lines l = {data, data + len, 0};
    size_t *line_of = NULL, lcap = 0;
    int column[DEF_COLUMN_COUNT];
    size_t n0;
    char *line = next_line(&l, &n0);
    if (line && has_nul(&r, 1, line, n0)) {
        /* reported */
    } else if (!line || !utf8_valid((const unsigned char *)line, n0)) {
        problem(&r, line ? 1 : 0, line ? _("invalid UTF-8; save the file as UTF-8")
                                       : _("empty; it needs the header code,name,unit,kind,numerator,denominator,source"));
    } else if (read_header(&r, line, n0, DEF_COLUMNS, DEF_COLUMN_COUNT, column)) {
        while ((line = next_line(&l, &n0))) {
            if (n0 == 0)
                continue;
            if (has_nul(&r, l.line, line, n0))
                continue;
            if (!utf8_valid((const unsigned char *)line, n0)) {
                problem(&r, l.line, _("invalid UTF-8; save the file as UTF-8"));
                continue;
            }
            char *f[DEF_COLUMN_COUNT + 1];
            int got = split_fields(line, f, DEF_COLUMN_COUNT);
            if (got < 0) {
                problem(&r, l.line, _("bad quoting; close every quoted field on its line and double its quotes"));
                continue;
            }
            if (got != DEF_COLUMN_COUNT) {
                problem(&r, l.line, _("%s fields; give %d, one per column of the header"),
                        got > DEF_COLUMN_COUNT ? _("too many") : _("too few"), DEF_COLUMN_COUNT);
                continue;
            }
            indicator_def d = {field_or_null(a, f[column[DEF_CODE]]), field_or_null(a, f[column[DEF_NAME]]),
                               field_or_null(a, f[column[DEF_UNIT]]), field_or_null(a, f[column[DEF_KIND]]),
                               field_or_null(a, f[column[DEF_NUMERATOR]]), field_or_null(a, f[column[DEF_DENOMINATOR]]),
                               field_or_null(a, f[column[DEF_SOURCE]])};
            if (!d.code || !code_valid(d.code)) {
                problem(&r, l.line, _("code '%s' is not an indicator code; use lower-case letters, digits and _ "
                                    "(at most %d, starting with a letter)"), quoted(a, d.code), LIMIT_CODE);
                continue;
            }
            int bad_texts = !text_ok(&r, a, l.line, "name", d.name, TEXT_TITLE);
            bad_texts += !text_ok(&r, a, l.line, "unit", d.unit, TEXT_NAME);
            bad_texts += !text_ok(&r, a, l.line, "kind", d.kind, TEXT_CODE);
            bad_texts += !text_ok(&r, a, l.line, "numerator", d.numerator, TEXT_CODE);
            bad_texts += !text_ok(&r, a, l.line, "denominator", d.denominator, TEXT_CODE);
            bad_texts += !text_ok(&r, a, l.line, "source", d.source, TEXT_PARAGRAPH);
            if (bad_texts)
                continue;
            if (!d.name)
                problem(&r, l.line, _("indicator '%s' has no name; give its Dutch name"), d.code);
            if (!d.kind || (strcmp(d.kind, "count") != 0 && strcmp(d.kind, "rate") != 0)) {
                problem(&r, l.line, _("kind '%s' of '%s' is not count or rate; write one of the two"), quoted(a, d.kind),
                        d.code);
                continue;
            }
            if (strcmp(d.kind, "count") == 0 && (d.numerator || d.denominator))
                problem(&r, l.line, _("count '%s' has a numerator or denominator; leave both empty (only rates have them)"),
                        d.code);
            const indicator_def *twice = find_def(*out, *n, d.code);
            if (twice) {
                problem(&r, l.line, _("indicator '%s' is defined twice (also on line %zu); keep one row"), d.code,
                        line_of[twice - *out]);
                continue;
            }
            *out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
            line_of = arena_grow(a, line_of, &lcap, *n + 1, sizeof *line_of);
            line_of[*n] = l.line;
            (*out)[(*n)++] = d;
        }
    }
    for (size_t i = 0; i < *n; i++) {
        const indicator_def *d = &(*out)[i];
        if (strcmp(d->kind, "rate") != 0)
            continue;
        check_part(&r, line_of[i], d, d->numerator, "numerator", *out, *n, known, nknown);
        check_part(&r, line_of[i], d, d->denominator, "denominator", *out, *n, known, nknown);
    }
    free(data);
    if (r.problems > SHOWN_PROBLEMS)
        fprintf(err, _("%s: … and %zu more problem(s)\n"), path, r.problems - SHOWN_PROBLEMS);
    return r.problems ? EX_DATAERR : 0;
}

static bool same(const char *x, const char *y) { return (!x && !y) || (x && y && strcmp(x, y) == 0); }

static bool def_equal(const indicator_def *x, const indicator_def *y)
{
    return same(x->code, y->code) && same(x->name, y->name) && same(x->unit, y->unit) && same(x->kind, y->kind) &&
           same(x->numerator, y->numerator) && same(x->denominator, y->denominator) && same(x->source, y->source);
}

long indicators_defs_changed(store *s, const indicator_def *defs, size_t n, arena *a)
{
    indicator_def *cur;
    size_t ncur;
    if (store_indicator_defs(s, STORE_NOW, a, &cur, &ncur))
        return -1;
    long changed = 0;
    for (size_t i = 0; i < n; i++) {
        const indicator_def *c = find_def(cur, ncur, defs[i].code);
        changed += !c || !def_equal(c, &defs[i]);
    }
    return changed;
}

int indicators_put_defs(store *s, int64_t change, const indicator_def *defs, size_t n, arena *a, size_t *written)
{
    *written = 0;
    indicator_def *cur;
    size_t ncur;
    if (store_indicator_defs(s, STORE_NOW, a, &cur, &ncur))
        return -1;
    for (size_t i = 0; i < n; i++) {
        const indicator_def *c = find_def(cur, ncur, defs[i].code);
        if (c && def_equal(c, &defs[i]))
            continue;
        if (store_put_indicator_def(s, change, &defs[i]))
            return -1;
        (*written)++;
    }
    return 0;
}

int indicators_import_defs(store *s, const char *path, const char *actor, FILE *err, size_t *written)
{
    *written = 0;
    arena *a = arena_new();
    indicator_def *known, *defs;
    size_t nknown, n;
    int rc = EX_IOERR;
    int64_t change;
    if (store_indicator_defs(s, STORE_NOW, a, &known, &nknown))
        goto sql_error;
    rc = indicators_read_defs(path, known, nknown, a, &defs, &n, err);
    if (rc) {
        if (rc == EX_DATAERR)
            fprintf(err, _("somon: nothing was imported; fix the problems above and import %s again\n"), path);
        goto done;
    }
    rc = EX_IOERR;
    long changed = indicators_defs_changed(s, defs, n, a);
    if (changed < 0)
        goto sql_error;
    rc = 0;
    if (changed == 0)
        goto done;
    rc = EX_IOERR;
    if (store_begin(s, actor, "import", arena_printf(a, "indicator definitions %s", path), &change))
        goto sql_error;
    if (indicators_put_defs(s, change, defs, n, a, written) || store_commit(s)) {
        store_rollback(s);
        goto sql_error;
    }
    rc = 0;
    goto done;
sql_error:
    *written = 0;
    fprintf(err, _("somon: importing %s failed, nothing was changed: %s\n"), path, store_error(s));
done:
    arena_free(a);
    return rc;
}

/* ---- values --------------------------------------------------------------- */

/* (indicator index, NIS code, period) in one integer that orders like the
 * table's primary key (indicator codes are sorted, NIS codes have five
 * digits, period codes order like their text). */
#define KEY(ind, nis, period) (((uint64_t)(ind) << 40) | ((uint64_t)(nis) << 23) | (uint64_t)(period))
#define KEY_IND(k) ((size_t)((k) >> 40))
#define KEY_NIS(k) ((int)(((k) >> 23) & 0x1ffff))
#define KEY_PERIOD(k) ((int)((k) & 0x7fffff))

typedef struct {
    uint64_t key;
    double value;
    size_t line; /* 0 for a stored value: synthetic then */
} value_row;

static int by_key_line(const void *p, const void *q)
{
    const value_row *a = p, *b = q;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

typedef struct {
    report *r;
    arena *a;
    const indicator_def *defs;
    size_t ndefs;
    const reference_data *ref;
    rules_map map;
} checker;

static long def_index(const indicator_def *defs, size_t n, const char *code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(defs[mid].code, code);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static const char *name_of(const checker *c, const char *nis)
{
    for (size_t i = 0; i < c->ref->municipality_count; i++)
        if (strcmp(c->ref->municipalities[i].nis, nis) == 0)
            return c->ref->municipalities[i].name;
    return "?";
}

/* Says why a known NIS code is not valid in the period, and what to give. */
static void explain_nis(checker *c, size_t line, const char *nis, const char *period_text, int period)
{
    date_t first = rules_period_first(period), last = rules_period_last(period);
    for (size_t i = 0; i < c->ref->merger_count; i++) {
        const ref_merger *g = &c->ref->mergers[i];
        if (strcmp(g->old_nis, nis) == 0 && !g->code_kept && last >= g->effective) {
            char d[DATE_ISO_LEN];
            problem(c->r, line,
                    _("NIS %s (%s) is not a municipality in %s: it merged into %s %s on %s; give %s for periods from "
                    "then on"),
                    nis, g->old_name, period_text, g->new_nis, g->new_name, date_format_iso(g->effective, d),
                    g->new_nis);
            return;
        }
    }
    for (size_t i = 0; i < c->ref->merger_count; i++) {
        const ref_merger *g = &c->ref->mergers[i];
        if (strcmp(g->new_nis, nis) == 0 && first < g->effective) {
            char d[DATE_ISO_LEN];
            buf former = {0};
            for (size_t k = 0; k < c->ref->merger_count; k++) {
                const ref_merger *h = &c->ref->mergers[k];
                if (strcmp(h->new_nis, nis) == 0 && h->effective == g->effective)
                    buf_printf(&former, "%s%s %s", former.len ? ", " : "", h->old_nis, h->old_name);
            }
            problem(c->r, line,
                    _("NIS %s (%s) is not the same municipality in %s: it exists as such from %s; give the former "
                    "municipalities (%s) for earlier periods"),
                    nis, g->new_name, period_text, date_format_iso(g->effective, d), former.data ? former.data : "");
            buf_free(&former);
            return;
        }
    }
    problem(c->r, line, _("NIS %s (%s) is not a municipality throughout %s; give a code valid in that period (see "
                        "data/municipalities.csv)"), nis, name_of(c, nis), period_text);
}

static void unknown_indicator(checker *c, size_t line, const char *code)
{
    buf list = {0};
    for (size_t i = 0; i < c->ndefs; i++)
        buf_printf(&list, "%s%s", i ? ", " : "", c->defs[i].code);
    problem(c->r, line, _("unknown indicator '%s'; use a defined one (%s) or define it first with 'somon import "
                        "indicator-definitions'"), code, list.data ? list.data : "");
    buf_free(&list);
}

static const char *const VALUE_COLUMNS[] = {"nis", "period", "indicator", "value"};
enum { COL_NIS, COL_PERIOD, COL_INDICATOR, COL_VALUE, VALUE_COLUMN_COUNT };

/* Checks one data line; appends its row when it is fine. */
static void check_value_line(checker *c, char *line, size_t len, size_t lineno, const int *column, value_row **rows,
                             size_t *n, size_t *cap)
{
    if (len > VALUE_LINE_MAX) {
        problem(c->r, lineno, _("the line is %zu bytes long; a row has at most %d (nis,period,indicator,value)"), len,
                VALUE_LINE_MAX);
        return;
    }
    if (has_nul(c->r, lineno, line, len))
        return;
    if (!utf8_valid((const unsigned char *)line, len)) {
        problem(c->r, lineno, _("invalid UTF-8; save the file as UTF-8"));
        return;
    }
    char *f[VALUE_COLUMN_COUNT + 1];
    int got = split_fields(line, f, VALUE_COLUMN_COUNT);
    if (got < 0) {
        problem(c->r, lineno, _("bad quoting; close every quoted field on its line and double its quotes"));
        return;
    }
    if (got != VALUE_COLUMN_COUNT) {
        if (got > VALUE_COLUMN_COUNT)
            problem(c->r, lineno, _("more than 4 fields; give nis,period,indicator,value (a decimal comma must be a "
                                  "point: 12.5)"));
        else
            problem(c->r, lineno, _("%d field(s); give 4: nis,period,indicator,value"), got);
        return;
    }
    const char *nis = f[column[COL_NIS]], *period_text = f[column[COL_PERIOD]], *ind = f[column[COL_INDICATOR]],
               *value_text = f[column[COL_VALUE]];
    int period = 0, code = nis_code(nis);
    bool good_period = rules_period_parse(period_text, strlen(period_text), &period);
    if (!good_period)
        problem(c->r, lineno, _("period '%s' is not a period; write a year (2023), a quarter (2023-Q2) or a month "
                              "(2023-06)"), quoted(c->a, period_text));
    else if (period / 100 < LIMIT_YEAR_FIRST || period / 100 > LIMIT_YEAR_LAST) {
        problem(c->r, lineno, _("period '%s' is out of range; give a period from %d to %d"), period_text,
                LIMIT_YEAR_FIRST, LIMIT_YEAR_LAST);
        good_period = false;
    }
    if (code < 0)
        problem(c->r, lineno, _("NIS '%s' is not a NIS code; give the 5 digits of a municipality (e.g. 44021)"),
                quoted(c->a, nis));
    else if (!rules_code_exists(&c->map, code))
        problem(c->r, lineno, _("unknown NIS %s: no Flemish municipality has this code; give a code of "
                              "data/municipalities.csv"), nis);
    else if (good_period && rules_identity_in_period(&c->map, code, period) < 0)
        explain_nis(c, lineno, nis, period_text, period);
    long idx = def_index(c->defs, c->ndefs, ind);
    if (idx < 0)
        unknown_indicator(c, lineno, quoted(c->a, ind));
    double value = 0;
    bool rate = idx >= 0 && strcmp(c->defs[idx].kind, "rate") == 0;
    switch (parse_number(value_text, &value)) {
    case NUMBER_OK: break;
    case NUMBER_SYNTAX:
        problem(c->r, lineno, _("value '%s' is not a number; write digits with a decimal point (1234 or 56.7), "
                              "no thousands separator or unit"), quoted(c->a, value_text));
        return;
    case NUMBER_DIGITS:
        problem(c->r, lineno, _("value %s of '%s' has more than %d significant digits; round it (more would not be "
                              "stored exactly)"), quoted(c->a, value_text), quoted(c->a, ind), LIMIT_SIGNIFICANT_DIGITS);
        return;
    case NUMBER_TOO_SMALL:
        problem(c->r, lineno, _("value %s of '%s' is too small to be stored exactly; round it to fewer decimals or 0"),
                quoted(c->a, value_text), quoted(c->a, ind));
        return;
    case NUMBER_TOO_LARGE: value = rate ? 101 : LIMIT_COUNT_MAX * 2; break; /* the range checks below say so */
    }
    if (idx >= 0 && !rate && value > LIMIT_COUNT_MAX)
        problem(c->r, lineno, _("value %s of count '%s' is too large; a count is at most %.0f"), quoted(c->a, value_text),
                ind, LIMIT_COUNT_MAX);
    else if (rate && (value < 0 || value > 100))
        problem(c->r, lineno, _("value %s of rate '%s' is not a percentage; give a number from 0 to 100"),
                quoted(c->a, value_text), ind);
    else if (idx >= 0 && value < 0)
        problem(c->r, lineno, _("value %s of count '%s' is negative; a count is 0 or more"), quoted(c->a, value_text), ind);
    if (idx < 0 || code < 0 || !good_period)
        return;
    *rows = arena_grow(c->a, *rows, cap, *n + 1, sizeof **rows);
    (*rows)[(*n)++] = (value_row){KEY(idx, code, period), value, lineno};
}

typedef struct {
    checker *c;
    value_row *rows;
    size_t n, cap;
    bool *synthetic;
    size_t scap;
} current_ctx;

static int add_current(void *ctx, const char *indicator, const char *nis, const char *period_text, double value,
                       bool synthetic)
{
    current_ctx *k = ctx;
    long idx = def_index(k->c->defs, k->c->ndefs, indicator);
    int period, code = nis_code(nis);
    if (idx < 0 || code < 0 || !period_text || !rules_period_parse(period_text, strlen(period_text), &period))
        return 0; /* not comparable: a file row for it is written anew */
    k->rows = arena_grow(k->c->a, k->rows, &k->cap, k->n + 1, sizeof *k->rows);
    k->synthetic = arena_grow(k->c->a, k->synthetic, &k->scap, k->n + 1, sizeof *k->synthetic);
    k->synthetic[k->n] = synthetic;
    k->rows[k->n++] = (value_row){KEY(idx, code, period), value, 0};
    return 0;
}

static long find_key(const value_row *rows, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows[mid].key == key)
            return (long)mid;
        if (rows[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int build_map(checker *c)
{
    rules_map_init(&c->map, NIS_CODES);
    for (size_t i = 0; i < c->ref->municipality_count; i++) {
        const ref_municipality *m = &c->ref->municipalities[i];
        if (rules_map_add(&c->map, nis_code(m->nis), province_parse(m->province), m->valid_from, m->valid_to))
            return -1;
    }
    for (size_t i = 0; i < c->ref->merger_count; i++)
        if (rules_map_merger(&c->map, nis_code(c->ref->mergers[i].old_nis), nis_code(c->ref->mergers[i].new_nis),
                             c->ref->mergers[i].effective))
            return -1;
    return rules_map_finish(&c->map);
}

int indicators_import_values(store *s, const char *path, const char *actor, bool synthetic, bool show_progress,
                             FILE *err, indicators_counts *out)
{
    *out = (indicators_counts){0};
    report r = {path, err, 0};
    size_t len;
    char *data = read_file(&r, &len);
    if (!data)
        return EX_NOINPUT;
    arena *a = arena_new();
    reference_data ref;
    checker c = {&r, a, NULL, 0, &ref, {0}};
    rules_map_init(&c.map, NIS_CODES);
    int rc = EX_IOERR;
    int64_t change = 0;
    size_t total_lines = 0;
    for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + len - p))); p++)
        total_lines++;
    progress pr = {err, show_progress && total_lines >= PROGRESS_MIN_ROWS, NULL, total_lines, -1};

    /* read everything under the write lock, so that nothing changes between
     * the comparison and the writing */
    if (total_lines >= PROGRESS_MIN_ROWS)
        store_indicator_bulk(s);
    if (store_begin(s, actor, "import", arena_printf(a, "indicators %s", path), &change))
        goto sql_error;
    indicator_def *defs;
    if (store_indicator_defs(s, STORE_NOW, a, &defs, &c.ndefs) || store_get_reference(s, STORE_NOW, a, &ref))
        goto sql_error;
    c.defs = defs;
    rc = EX_SOFTWARE;
    if (build_map(&c)) {
        fprintf(err, _("somon: the reference map of the database is inconsistent; run 'somon init'\n"));
        goto failed;
    }

    lines l = {data, data + len, 0};
    size_t n0;
    int column[VALUE_COLUMN_COUNT];
    char *line = next_line(&l, &n0);
    value_row *rows = NULL;
    size_t n = 0, cap = 0;
    if (!line || (n0 == 0 && l.p >= l.end)) {
        problem(&r, 0, _("empty; it needs the header nis,period,indicator,value"));
    } else if (has_nul(&r, 1, line, n0)) {
        /* reported */
    } else if (!utf8_valid((const unsigned char *)line, n0)) {
        problem(&r, 1, _("invalid UTF-8; save the file as UTF-8"));
    } else if (read_header(&r, line, n0, VALUE_COLUMNS, VALUE_COLUMN_COUNT, column)) {
        while ((line = next_line(&l, &n0))) {
            if (n0 > 0)
                check_value_line(&c, line, n0, l.line, column, &rows, &n, &cap);
            if ((l.line & 0x3fff) == 0)
                progress_step(&pr, "checking", l.line);
        }
    }
    if (n > 1)
        qsort(rows, n, sizeof *rows, by_key_line);
    for (size_t i = 1; i < n; i++)
        if (rows[i].key == rows[i - 1].key) {
            char pt[PERIOD_TEXT_LEN];
            problem(&r, rows[i].line, _("repeats line %zu (NIS %05d, period %s, indicator %s); keep one of the two rows"),
                    rows[i - 1].line, KEY_NIS(rows[i].key), rules_period_format(KEY_PERIOD(rows[i].key), pt),
                    defs[KEY_IND(rows[i].key)].code);
        }
    progress_end(&pr);
    if (r.problems) {
        if (r.problems > SHOWN_PROBLEMS)
            fprintf(err, _("%s: … and %zu more problem(s)\n"), path, r.problems - SHOWN_PROBLEMS);
        fprintf(err, _("somon: nothing was imported: %zu problem(s) in %s; fix them and import the file again\n"),
                r.problems, path);
        rc = EX_DATAERR;
        goto failed;
    }

    /* compare with what is stored */
    rc = EX_IOERR;
    current_ctx cur = {&c, NULL, 0, 0, NULL, 0};
    if (store_indicator_values(s, STORE_NOW, NULL, add_current, &cur))
        goto sql_error;
    /* the table's order is the key order already; sort to be sure, keeping
     * the synthetic marks in step through the line field */
    for (size_t i = 0; i < cur.n; i++)
        cur.rows[i].line = i;
    if (cur.n > 1)
        qsort(cur.rows, cur.n, sizeof *cur.rows, by_key_line);
    out->rows = n;
    pr.total = n;
    for (size_t i = 0; i < n; i++) {
        const value_row *v = &rows[i];
        long at = find_key(cur.rows, cur.n, v->key);
        bool stored_synthetic = at >= 0 && cur.synthetic[cur.rows[at].line];
        if (at >= 0 && cur.rows[at].value == v->value && stored_synthetic == synthetic) {
            out->unchanged++;
            continue;
        }
        const char *ind = defs[KEY_IND(v->key)].code;
        char nis[8], pt[PERIOD_TEXT_LEN];
        snprintf(nis, sizeof nis, "%05d", KEY_NIS(v->key) % 100000);
        rules_period_format(KEY_PERIOD(v->key), pt);
        if (at >= 0) {
            if (store_end_indicator_value(s, change, ind, nis, pt))
                goto sql_error;
            out->changed++;
        } else {
            out->added++;
        }
        if (store_put_indicator_value(s, change, ind, nis, pt, v->value, synthetic))
            goto sql_error;
        if ((i & 0x3fff) == 0)
            progress_step(&pr, "writing", i);
    }
    if (out->added + out->changed == 0) {
        store_rollback(s); /* nothing to record */
        rc = 0;
        goto done;
    }
    progress_step(&pr, "writing", n);
    if (store_commit(s))
        goto sql_error;
    progress_end(&pr);
    rc = 0;
    goto done;
sql_error:
    rc = EX_IOERR;
    fprintf(err, _("somon: importing %s failed, nothing was changed: %s\n"), path, store_error(s));
failed:
    progress_end(&pr);
    store_rollback(s);
    *out = (indicators_counts){0};
done:
    progress_end(&pr);
    rules_map_free(&c.map);
    arena_free(a);
    free(data);
    return rc;
}
