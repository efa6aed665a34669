/* refdata.c: see refdata.h. */
#define _POSIX_C_SOURCE 200809L
#include "refdata.h"
#include "i18n.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "indicators_import.h"
#include "input.h"
#include "rules.h"

typedef struct {
    arena *a;
    const char *file;
    FILE *err;
    char **fields;
    size_t count, cap;
    size_t row;      /* 1 = the header */
    int problems;
    const char *const *header;
    const text_kind *kinds; /* of each column (input.h) */
    size_t columns;
    size_t nul_column;      /* 1 + the first column of this row holding a NUL byte, or 0 */
    void (*on_row)(void *ctx, char **fields, size_t row);
    void *ctx;
} csv_reader;

/* One problem: fmt has one %s for value, which is clipped and shown
 * without control characters. */
static void bad(csv_reader *r, size_t row, const char *fmt, const char *value)
{
    r->problems++;
    if (r->problems <= 50) {
        buf text = {0}, shown = {0};
        buf_printf(&text, fmt, arena_clip(r->a, value ? value : "", 60));
        text_shown(&shown, text.data ? text.data : "", text.len);
        fprintf(r->err, _("%s: row %zu: %s\n"), r->file, row, shown.data ? shown.data : "");
        buf_free(&text);
        buf_free(&shown);
    }
}

static void field_cb(void *s, size_t len, void *data)
{
    csv_reader *r = data;
    if (s && memchr(s, '\0', len) && !r->nul_column)
        r->nul_column = r->count + 1; /* it would cut the field short: refused in row_cb */
    r->fields = arena_grow(r->a, r->fields, &r->cap, r->count + 1, sizeof *r->fields);
    r->fields[r->count++] = arena_strndup(r->a, s ? s : "", s ? len : 0);
}

/* Every field of a data row keeps the rules of its kind; false after
 * reporting the first that does not. */
static bool texts_ok(csv_reader *r, size_t row)
{
    if (r->nul_column) {
        bad(r, row, _("%s contains a NUL byte; remove it (save the file as CSV text, UTF-8)"),
            r->header[r->nul_column - 1]);
        return false;
    }
    for (size_t i = 0; i < r->columns; i++) {
        text_verdict v = text_check(r->fields[i], strlen(r->fields[i]), r->kinds[i]);
        if (v.fault != TEXT_OK) {
            bad(r, row, arena_printf(r->a, "%%s: %s", text_explain(r->a, &v, r->kinds[i], false)), r->header[i]);
            return false;
        }
    }
    return true;
}

static void row_cb(int c, void *data)
{
    (void)c;
    csv_reader *r = data;
    size_t row = ++r->row;
    if (r->count != r->columns) {
        char n[32];
        snprintf(n, sizeof n, "%zu", r->count);
        bad(r, row, _("has %s fields; give one per column of the header"), n);
    } else if (row == 1) {
        for (size_t i = 0; i < r->columns; i++)
            if (strcmp(r->fields[i], r->header[i]) != 0)
                bad(r, row, _("unexpected header column '%s'; see data/SOURCES.md for the layout"), r->fields[i]);
    } else if (texts_ok(r, row)) {
        r->on_row(r->ctx, r->fields, row);
    }
    r->nul_column = 0;
    r->count = 0;
    r->fields = NULL;
    r->cap = 0;
}

/* Parses dir/name with the given header, calling on_row for each data row. */
static int read_csv(csv_reader *r, const char *dir, const char *name)
{
    char *file = arena_printf(r->a, "%s/%s", dir, name);
    r->file = file;
    FILE *f = fopen(file, "rb");
    if (!f) {
        fprintf(r->err, _("somon: cannot read %s: %s; give a reference folder in the layout of data/\n"), file,
                strerror(errno));
        return EX_NOINPUT;
    }
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL);
    char chunk[1 << 15];
    size_t got;
    int rc = 0;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (csv_parse(&p, chunk, got, field_cb, row_cb, r) != got) {
            fprintf(r->err, _("%s: row %zu: %s; fix the CSV quoting\n"), file, r->row + 1, csv_strerror(csv_error(&p)));
            rc = EX_DATAERR;
            break;
        }
    if (!rc && csv_fini(&p, field_cb, row_cb, r) != 0) {
        fprintf(r->err, _("%s: %s at the end; the file looks truncated\n"), file, csv_strerror(csv_error(&p)));
        rc = EX_DATAERR;
    }
    csv_free(&p);
    fclose(f);
    if (!rc && r->row == 0) {
        fprintf(r->err, _("%s: empty; it needs the header row\n"), file);
        rc = EX_DATAERR;
    }
    return rc ? rc : r->problems ? EX_DATAERR : 0;
}

static date_t need_date(csv_reader *r, size_t row, const char *v, bool optional)
{
    date_t d;
    if (optional && (!v || !*v))
        return DATE_NONE;
    if (!date_parse_iso(v, &d)) {
        bad(r, row, _("'%s' is not a date; write YYYY-MM-DD"), v);
        return DATE_NONE;
    }
    if (!date_in_limits(d)) {
        bad(r, row, arena_printf(r->a, _("'%%s' is out of range; give a date from %d-01-01 to %d-12-31"),
                                 LIMIT_YEAR_FIRST, LIMIT_YEAR_LAST), v);
        return DATE_NONE;
    }
    return d;
}

static void need_nis(csv_reader *r, size_t row, const char *v)
{
    if (nis_code(v) < 0)
        bad(r, row, _("'%s' is not a NIS code of 5 digits"), v);
}

static void need_text(csv_reader *r, size_t row, const char *v, const char *what)
{
    if (!v || !*v)
        bad(r, row, _("%s is empty"), what);
}

typedef struct {
    csv_reader *r;
    reference_data *ref;
    size_t cap;
} ref_ctx;

static const char *const MUNICIPALITY_HEADER[] = {"nis", "name", "province_nis", "province", "arrondissement_nis",
                                                   "valid_from", "valid_to"};
static const text_kind MUNICIPALITY_KINDS[] = {TEXT_ID, TEXT_NAME, TEXT_ID, TEXT_NAME, TEXT_ID, TEXT_ID, TEXT_ID};

static void municipality_row(void *data, char **f, size_t row)
{
    ref_ctx *c = data;
    csv_reader *r = c->r;
    need_nis(r, row, f[0]);
    need_text(r, row, f[1], "name");
    need_nis(r, row, f[2]);
    if (province_parse(f[3]) < 0)
        bad(r, row, _("'%s' is not one of the five Flemish provinces"), f[3]);
    ref_municipality m = {f[0], f[1], f[2], f[3], f[4], need_date(r, row, f[5], false), need_date(r, row, f[6], true)};
    if (m.valid_to != DATE_NONE && m.valid_from != DATE_NONE && m.valid_to < m.valid_from)
        bad(r, row, _("valid_to %s is before valid_from"), f[6]);
    c->ref->municipalities = arena_grow(r->a, c->ref->municipalities, &c->cap, c->ref->municipality_count + 1,
                                        sizeof m);
    c->ref->municipalities[c->ref->municipality_count++] = m;
}

static const char *const MERGER_HEADER[] = {"old_nis", "old_name", "old_province_nis", "new_nis", "new_name",
                                             "new_province_nis", "code_kept", "effective"};
static const text_kind MERGER_KINDS[] = {TEXT_ID, TEXT_NAME, TEXT_ID, TEXT_ID, TEXT_NAME, TEXT_ID, TEXT_ID, TEXT_ID};

static void merger_row(void *data, char **f, size_t row)
{
    ref_ctx *c = data;
    csv_reader *r = c->r;
    need_nis(r, row, f[0]);
    need_nis(r, row, f[3]);
    if (!f[6] || (strcmp(f[6], "yes") != 0 && strcmp(f[6], "no") != 0))
        bad(r, row, _("code_kept '%s' is not yes or no"), f[6]);
    ref_merger g = {f[0], f[1], f[2], f[3], f[4], f[5], f[6] && strcmp(f[6], "yes") == 0,
                    need_date(r, row, f[7], false)};
    c->ref->mergers = arena_grow(r->a, c->ref->mergers, &c->cap, c->ref->merger_count + 1, sizeof g);
    c->ref->mergers[c->ref->merger_count++] = g;
}

static const char *const PRINCIPLE_HEADER[] = {"number", "title", "text"};
static const text_kind PRINCIPLE_KINDS[] = {TEXT_ID, TEXT_TITLE, TEXT_NOTE};

static void principle_row(void *data, char **f, size_t row)
{
    ref_ctx *c = data;
    csv_reader *r = c->r;
    char *end;
    const char *digits = f[0] ? f[0] : "";
    long n = strspn(digits, "0123456789") == strlen(digits) && *digits ? strtol(digits, &end, 10) : -1;
    if (n < 1 || n > 99)
        bad(r, row, _("number '%s' is not a whole number from 1 to 99"), f[0]);
    need_text(r, row, f[1], "title");
    need_text(r, row, f[2], "text");
    ref_principle p = {(int)n, f[1], f[2]};
    c->ref->principles = arena_grow(r->a, c->ref->principles, &c->cap, c->ref->principle_count + 1, sizeof p);
    c->ref->principles[c->ref->principle_count++] = p;
}

static int read_one(const char *dir, const char *name, const char *const *header, const text_kind *kinds,
                    size_t columns, void (*on_row)(void *, char **, size_t), reference_data *ref, arena *a, FILE *err)
{
    csv_reader r = {a, NULL, err, NULL, 0, 0, 0, 0, header, kinds, columns, 0, on_row, NULL};
    ref_ctx c = {&r, ref, 0};
    r.ctx = &c;
    return read_csv(&r, dir, name);
}

/* The map must make sense as a whole: one territory per code per day. */
static int check_map(const reference_data *ref, const char *dir, FILE *err)
{
    rules_map m;
    rules_map_init(&m, NIS_CODES);
    for (size_t i = 0; i < ref->municipality_count; i++)
        rules_map_add(&m, nis_code(ref->municipalities[i].nis), province_parse(ref->municipalities[i].province),
                      ref->municipalities[i].valid_from, ref->municipalities[i].valid_to);
    int rc = rules_map_finish(&m);
    rules_map_free(&m);
    if (rc)
        fprintf(err, _("%s/municipalities.csv: two rows give one NIS code overlapping validity; "
                     "end the first row the day before the second begins\n"), dir);
    return rc ? EX_DATAERR : 0;
}

int refdata_read(const char *dir, arena *a, reference_data *out, FILE *err)
{
    memset(out, 0, sizeof *out);
    int rc = read_one(dir, "municipalities.csv", MUNICIPALITY_HEADER, MUNICIPALITY_KINDS, 7, municipality_row, out, a,
                      err);
    int rc2 = read_one(dir, "mergers.csv", MERGER_HEADER, MERGER_KINDS, 8, merger_row, out, a, err);
    int rc3 = read_one(dir, "principles.csv", PRINCIPLE_HEADER, PRINCIPLE_KINDS, 3, principle_row, out, a, err);
    if (rc || rc2 || rc3)
        return rc ? rc : rc2 ? rc2 : rc3;
    return check_map(out, dir, err);
}

static bool same_text(const char *x, const char *y) { return (!x && !y) || (x && y && strcmp(x, y) == 0); }

static bool same_reference(const reference_data *x, const reference_data *y)
{
    if (x->municipality_count != y->municipality_count || x->merger_count != y->merger_count ||
        x->principle_count != y->principle_count)
        return false;
    for (size_t i = 0; i < x->municipality_count; i++) {
        const ref_municipality *a = &x->municipalities[i], *b = &y->municipalities[i];
        if (!same_text(a->nis, b->nis) || !same_text(a->name, b->name) || !same_text(a->province, b->province) ||
            !same_text(a->province_nis, b->province_nis) || !same_text(a->arrondissement, b->arrondissement) ||
            a->valid_from != b->valid_from || a->valid_to != b->valid_to)
            return false;
    }
    for (size_t i = 0; i < x->merger_count; i++) {
        const ref_merger *a = &x->mergers[i], *b = &y->mergers[i];
        if (!same_text(a->old_nis, b->old_nis) || !same_text(a->new_nis, b->new_nis) ||
            !same_text(a->old_name, b->old_name) || !same_text(a->new_name, b->new_name) ||
            !same_text(a->old_province_nis, b->old_province_nis) ||
            !same_text(a->new_province_nis, b->new_province_nis) || a->code_kept != b->code_kept ||
            a->effective != b->effective)
            return false;
    }
    for (size_t i = 0; i < x->principle_count; i++)
        if (x->principles[i].number != y->principles[i].number ||
            !same_text(x->principles[i].title, y->principles[i].title) ||
            !same_text(x->principles[i].text, y->principles[i].text))
            return false;
    return true;
}

static int by_nis_from(const void *p, const void *q)
{
    const ref_municipality *a = p, *b = q;
    int c = strcmp(a->nis, b->nis);
    return c ? c : (a->valid_from > b->valid_from) - (a->valid_from < b->valid_from);
}

static int by_number(const void *p, const void *q)
{
    const ref_principle *a = p, *b = q;
    return (a->number > b->number) - (a->number < b->number);
}

static const organisation VDAB = {.id = "VDAB", .name = "Vlaamse Dienst voor Arbeidsbemiddeling en Beroepsopleiding",
                                  .kind = "public_service"};

static bool vdab_present(store *s, arena *a)
{
    organisation *orgs;
    size_t n;
    if (store_get_organisations(s, STORE_NOW, a, &orgs, &n))
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(orgs[i].id, "VDAB") == 0)
            return true;
    return false;
}

int refdata_install(store *s, const char *dir, const char *actor, FILE *err, int *changed)
{
    *changed = 0;
    arena *a = arena_new();
    reference_data fresh, current;
    int rc = refdata_read(dir, a, &fresh, err);
    if (rc)
        goto done;
    /* compare in the order the store returns its rows */
    if (fresh.municipality_count)
        qsort(fresh.municipalities, fresh.municipality_count, sizeof *fresh.municipalities, by_nis_from);
    if (fresh.principle_count)
        qsort(fresh.principles, fresh.principle_count, sizeof *fresh.principles, by_number);
    rc = EX_IOERR;
    if (store_get_reference(s, STORE_NOW, a, &current))
        goto sql_error;
    /* the indicator definitions (issue 5), when the folder has them and the
     * schema their table (SOMON_SCHEMA_TARGET builds older ones) */
    indicator_def *defs = NULL;
    size_t ndefs = 0, written = 0;
    char *defs_path = arena_printf(a, "%s/indicators.csv", dir);
    if (store_schema_version(s) >= 4 && access(defs_path, F_OK) == 0) {
        indicator_def *known;
        size_t nknown;
        if (store_indicator_defs(s, STORE_NOW, a, &known, &nknown))
            goto sql_error;
        rc = indicators_read_defs(defs_path, known, nknown, a, &defs, &ndefs, err);
        if (rc)
            goto done;
        rc = EX_IOERR;
    }
    long need_defs = ndefs ? indicators_defs_changed(s, defs, ndefs, a) : 0;
    if (need_defs < 0)
        goto sql_error;
    bool need_ref = !same_reference(&fresh, &current), need_vdab = !vdab_present(s, a);
    if (!need_ref && !need_vdab && !need_defs) {
        rc = 0;
        goto done;
    }
    int64_t change;
    if (store_begin(s, actor, "reference", dir, &change))
        goto sql_error;
    if ((need_ref && store_put_reference(s, change, &fresh)) || (need_vdab && store_put_organisation(s, change, &VDAB)) ||
        (need_defs && indicators_put_defs(s, change, defs, ndefs, a, &written)) || store_commit(s)) {
        store_rollback(s);
        goto sql_error;
    }
    *changed = 1;
    rc = 0;
    goto done;
sql_error:
    fprintf(err, _("somon: loading the reference data failed, nothing was changed: %s\n"), store_error(s));
done:
    arena_free(a);
    return rc;
}
