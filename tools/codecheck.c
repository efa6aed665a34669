/* codecheck.c: the escaping rule of buf.h as a build failure (after Fossil's
 * tools/codecheck1.c). make runs it over the sources and headers of src/
 * before it links any somon; each violation prints
 * FILE:LINE: what is wrong; how to fix it, and the build stops.
 *   codecheck [--pending FILE]... FILE...   exit 0 when clean, 1 on a violation, 2 on a bad file
 *   (--pending FILE: a file that does not meet the language rule yet; Makefile I18N_PENDING)
 *
 * It checks every call of the printf-like writers of markup:
 *  - buf_fmt(b, FMT, ...) in every file: FMT is a string literal (adjacent
 *    literals concatenate, across lines too; no % written as \x25 or \045,
 *    which would hide a conversion from this check); each conversion is one buf_fmt
 *    knows (%h %a %U %j %s %d %ld %lld %zu %%, see src/buf.c); the arguments
 *    are as many as the conversions; a %s argument is program text: a string
 *    literal, NULL, or a conditional whose every result is one of those
 *    (c ? "a" : c2 ? "b" : ""). Program-built markup held in a buf is
 *    appended with buf_add(b, m.data, m.len), not formatted with %s. A string
 *    literal where a number is expected (%d ...) is refused too, because the
 *    compiler cannot check buf_fmt's arguments.
 *  - buf_printf(b, FMT, ...) in the files that write markup (src/page_*.c,
 *    layout.c, map.c, formui.c, formrows.c, web.c, api.c): the compiler
 *    checks it as printf, so only its %s and %c are checked here, with the
 *    same rule as buf_fmt's %s. Outside these files buf_printf writes plain
 *    text, CSV, JSON of numbers and the access log, and is not checked.
 *  - the language rule of src/i18n.h (docs/language.md): a string literal with a
 *    word in it, given to a function that writes a message to a person
 *    (printf, puts, perror; fprintf, vfprintf and fputs to stderr, stdout or a
 *    stream whose name says err; diag_add, problem, usage_error and the other
 *    MESSAGE_FUNCTIONS below), is wrapped in _() or N_() so that it reaches the
 *    catalogue. Literals of conversions, escapes and punctuation only ("%s: %s\n")
 *    pass; the program's name "somon" is no word to translate. A line of a log
 *    that programs read ("somon: listening on ...") is wrapped in NT_() (not
 *    translated) to say so. A literal inside another call (arena_printf(...)) is
 *    that call's business.
 * The parser knows comments, string and character literals, and nesting of
 * ( [ {; it does not expand macros, so the format must be written out. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok_kind { T_END, T_ID, T_STR, T_CHAR, T_NUM, T_PUNCT };

typedef struct {
    enum tok_kind kind;
    const char *at; /* into the file's text */
    size_t len;
    int line;
} tok;

typedef struct {
    tok *v;
    size_t n, cap;
} toks;

static const char *file_name;
static int errors;

static void fail(int line, const char *what, const char *fix)
{
    fprintf(stderr, "%s:%d: %s; %s\n", file_name, line, what, fix);
    errors++;
}

static void push(toks *t, enum tok_kind k, const char *at, size_t len, int line)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->v = realloc(t->v, t->cap * sizeof *t->v);
        if (!t->v) {
            fputs("codecheck: out of memory\n", stderr);
            exit(2);
        }
    }
    t->v[t->n++] = (tok){k, at, len, line};
}

/* Splits a C source into tokens, dropping comments, white space and
 * preprocessor lines (a macro body is not a call site). */
static void lex(const char *s, toks *t)
{
    int line = 1;
    bool line_start = true;
    while (*s) {
        if (*s == '\n') {
            line++;
            line_start = true;
            s++;
        } else if (isspace((unsigned char)*s)) {
            s++;
        } else if (s[0] == '/' && s[1] == '*') {
            for (s += 2; *s && !(s[0] == '*' && s[1] == '/'); s++)
                line += *s == '\n';
            s += *s ? 2 : 0;
        } else if (s[0] == '/' && s[1] == '/') {
            while (*s && *s != '\n')
                s++;
        } else if (*s == '#' && line_start) {
            for (; *s && *s != '\n'; s++) /* a directive, with its continuations */
                if (s[0] == '\\' && s[1] == '\n') {
                    line++;
                    s++;
                }
        } else if (*s == '"' || *s == '\'') {
            const char *b = s;
            char q = *s++;
            for (; *s && *s != q && *s != '\n'; s++)
                if (*s == '\\' && s[1])
                    s++;
            s += *s == q;
            push(t, q == '"' ? T_STR : T_CHAR, b, (size_t)(s - b), line);
            line_start = false;
        } else if (isalpha((unsigned char)*s) || *s == '_') {
            const char *b = s;
            while (isalnum((unsigned char)*s) || *s == '_')
                s++;
            push(t, T_ID, b, (size_t)(s - b), line);
            line_start = false;
        } else if (isdigit((unsigned char)*s)) {
            const char *b = s;
            while (isalnum((unsigned char)*s) || *s == '.' || *s == '_')
                s++;
            push(t, T_NUM, b, (size_t)(s - b), line);
            line_start = false;
        } else {
            push(t, T_PUNCT, s, 1, line);
            s++;
            line_start = false;
        }
    }
    push(t, T_END, s, 0, line);
}

static bool is(const tok *k, const char *text)
{
    return k->len == strlen(text) && memcmp(k->at, text, k->len) == 0;
}

static bool punct(const tok *k, char c) { return k->kind == T_PUNCT && k->at[0] == c; }

/* An argument: tokens [from, to). */
typedef struct {
    size_t from, to;
} span;

/* From the token after '(' to its matching ')': the arguments split at the
 * commas of depth 0. Returns the number of arguments, or -1 when the call
 * does not close. */
static int split_args(const toks *t, size_t open, span *args, int max, size_t *close)
{
    int n = 0, depth = 0;
    size_t from = open + 1;
    for (size_t i = open + 1; t->v[i].kind != T_END; i++) {
        const tok *k = &t->v[i];
        if (punct(k, '(') || punct(k, '[') || punct(k, '{')) {
            depth++;
        } else if ((punct(k, ')') || punct(k, ']') || punct(k, '}')) && depth > 0) {
            depth--;
        } else if (depth == 0 && (punct(k, ',') || punct(k, ')'))) {
            if (n < max)
                args[n] = (span){from, i};
            n++;
            from = i + 1;
            if (punct(k, ')')) {
                *close = i;
                return n;
            }
        }
    }
    return -1;
}

/* A string literal or NULL, possibly in parentheses: program text. */
static bool literal_only(const toks *t, span a)
{
    while (a.to - a.from >= 2 && punct(&t->v[a.from], '(') && punct(&t->v[a.to - 1], ')'))
        a.from++, a.to--; /* (x) — assumes the parentheses match, which the cases below re-check */
    if (a.from == a.to)
        return false;
    if (a.to - a.from == 1 && t->v[a.from].kind == T_ID && is(&t->v[a.from], "NULL"))
        return true;
    for (size_t i = a.from; i < a.to; i++)
        if (t->v[i].kind != T_STR)
            return false;
    return true;
}

/* Program text: a literal, or COND ? TEXT : TEXT where both results are
 * program text (so nested conditionals of literals pass). */
static bool program_text(const toks *t, span a)
{
    if (literal_only(t, a))
        return true;
    while (a.to - a.from >= 2 && punct(&t->v[a.from], '(') && punct(&t->v[a.to - 1], ')')) {
        /* strip only parentheses that enclose the whole argument */
        int depth = 0;
        bool whole = true;
        for (size_t i = a.from; i < a.to - 1; i++) {
            depth += punct(&t->v[i], '(') - punct(&t->v[i], ')');
            if (depth == 0) {
                whole = false;
                break;
            }
        }
        if (!whole)
            break;
        a.from++, a.to--;
    }
    /* the first '?' at depth 0 and its matching ':' */
    int depth = 0, pending = 0;
    size_t q = 0, colon = 0;
    for (size_t i = a.from; i < a.to; i++) {
        const tok *k = &t->v[i];
        if (punct(k, '(') || punct(k, '[') || punct(k, '{'))
            depth++;
        else if (punct(k, ')') || punct(k, ']') || punct(k, '}'))
            depth--;
        else if (depth == 0 && punct(k, '?')) {
            if (!q)
                q = i;
            pending++;
        } else if (depth == 0 && punct(k, ':') && q && --pending == 0) {
            colon = i;
            break;
        }
    }
    if (!q || !colon)
        return false;
    return program_text(t, (span){q + 1, colon}) && program_text(t, (span){colon + 1, a.to});
}

/* The conversions of one format, each as the letters after '%' ("h", "lld").
 * Returns the count, or -1 (with a message) on an unknown conversion. */
typedef struct {
    char spec[8];
} conv;

static int buf_fmt_conversions(const char *fmt, size_t len, int line, conv *out, int max)
{
    static const char *known[] = {"h", "a", "U", "j", "s", "d", "ld", "lld", "zu"};
    int n = 0;
    for (size_t i = 0; i < len; i++) {
        if (fmt[i] != '%')
            continue;
        if (i + 1 < len && fmt[i + 1] == '%') {
            i++;
            continue;
        }
        const char *c = fmt + i + 1;
        size_t k = 0, rest = len - i - 1;
        const char *hit = NULL;
        for (size_t j = 0; j < sizeof known / sizeof *known; j++) {
            size_t kl = strlen(known[j]);
            if (kl <= rest && memcmp(c, known[j], kl) == 0 && kl > k) {
                k = kl;
                hit = known[j];
            }
        }
        if (!hit) {
            char what[160];
            snprintf(what, sizeof what, "buf_fmt has no conversion %%%.*s", rest ? 1 : 0, c);
            fail(line, what,
                 "use %h (element text), %a (attribute), %U (URL component), %j (JSON string), %s (a literal), "
                 "%d %ld %lld %zu (numbers) or %% (see src/buf.c)");
            return -1;
        }
        if (n < max)
            snprintf(out[n].spec, sizeof out[n].spec, "%s", hit);
        n++;
        i += k;
    }
    return n;
}

/* printf conversions: only which of them take a string (%s) or a char (%c)
 * matters here; the compiler checks the rest (format attribute). */
static int printf_conversions(const char *fmt, size_t len, conv *out, int max)
{
    int n = 0;
    for (size_t i = 0; i < len; i++) {
        if (fmt[i] != '%')
            continue;
        if (i + 1 < len && fmt[i + 1] == '%') {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < len && strchr("-+ #0123456789.*hlLqjzt", fmt[j])) {
            if (fmt[j] == '*') {
                if (n < max)
                    snprintf(out[n].spec, sizeof out[n].spec, "*");
                n++;
            }
            j++;
        }
        if (n < max && j < len)
            snprintf(out[n].spec, sizeof out[n].spec, "%c", fmt[j]);
        n++;
        i = j;
    }
    return n;
}

/* The format argument as one text: the concatenated literals, with the
 * escapes left as written (a '%' cannot hide in an escape we care about). */
static bool format_text(const toks *t, span a, char **out, size_t *len)
{
    size_t total = 0;
    for (size_t i = a.from; i < a.to; i++) {
        if (t->v[i].kind != T_STR)
            return false;
        total += t->v[i].len;
    }
    if (a.from == a.to)
        return false;
    char *s = malloc(total + 1), *p = s;
    if (!s)
        exit(2);
    for (size_t i = a.from; i < a.to; i++) {
        memcpy(p, t->v[i].at + 1, t->v[i].len - 2);
        p += t->v[i].len - 2;
    }
    *p = '\0';
    *out = s;
    *len = (size_t)(p - s);
    return true;
}

enum writer { W_BUF_FMT, W_BUF_PRINTF };

static void check_call(const toks *t, size_t name, enum writer w)
{
    const char *fn = w == W_BUF_FMT ? "buf_fmt" : "buf_printf";
    int line = t->v[name].line;
    enum { MAX = 64 };
    span args[MAX];
    size_t close = 0;
    int n = split_args(t, name + 1, args, MAX, &close);
    char what[256];
    if (n < 0 || n > MAX) {
        snprintf(what, sizeof what, "cannot read the arguments of this %s call", fn);
        fail(line, what, "write the call out plainly (no macros around its parentheses)");
        return;
    }
    if (n < 2) {
        snprintf(what, sizeof what, "%s takes a buffer and a format", fn);
        fail(line, what, "pass both");
        return;
    }
    char *fmt;
    size_t len;
    if (!format_text(t, args[1], &fmt, &len)) {
        snprintf(what, sizeof what, "the format of %s is not a string literal", fn);
        fail(line, what,
             "write the format as a literal (\"...\" \"...\" concatenates); choose between formats with if/else, "
             "not with a variable or a ?: of formats");
        return;
    }
    if (strstr(fmt, "\\x25") || strstr(fmt, "\\045")) {
        free(fmt);
        fail(line, "a percent sign written as an escape (\\x25 or \\045) hides a conversion from this check",
             "write % plainly (%% for a literal one)");
        return;
    }
    conv c[MAX];
    int want = w == W_BUF_FMT ? buf_fmt_conversions(fmt, len, line, c, MAX) : printf_conversions(fmt, len, c, MAX);
    free(fmt);
    if (want < 0)
        return;
    if (want > MAX) {
        fail(line, "too many conversions in one format", "split the call");
        return;
    }
    int have = n - 2;
    if (w == W_BUF_FMT && have != want) {
        snprintf(what, sizeof what, "buf_fmt format has %d conversion(s) but the call passes %d argument(s)", want,
                 have);
        fail(line, what, "give one argument per conversion, in order (write %% for a literal percent sign)");
        return;
    }
    for (int i = 0; i < want && i < have; i++) {
        span a = args[2 + i];
        int at = t->v[a.from].line;
        if (strcmp(c[i].spec, "s") == 0 && !program_text(t, a)) {
            snprintf(what, sizeof what, "%s: the argument of conversion %d (%%s) is not a string literal", fn, i + 1);
            fail(at, what,
                 "data goes through %h (element text), %a (attribute), %U (URL) or %j (JSON); markup built in a buf "
                 "is appended with buf_add(b, m.data, m.len); %s takes only literals, NULL or c ? \"x\" : \"y\"");
        } else if (w == W_BUF_PRINTF && strcmp(c[i].spec, "c") == 0 &&
                   !(a.to - a.from == 1 && t->v[a.from].kind == T_CHAR)) {
            snprintf(what, sizeof what, "buf_printf in a markup file: the argument of conversion %d (%%c) is not a "
                                        "character literal", i + 1);
            fail(at, what, "write the character into the format, or use buf_fmt with %h");
        } else if (w == W_BUF_FMT && strchr("dlz", c[i].spec[0]) && a.to - a.from >= 1 &&
                   t->v[a.from].kind == T_STR) {
            snprintf(what, sizeof what, "buf_fmt: conversion %d (%%%.7s) takes a number but gets a string literal", i + 1,
                     c[i].spec);
            fail(at, what, "pass the number, or use %s for a literal");
        }
    }
}


/* ---- the language rule ------------------------------------------------- */

/* The functions that write a message to a person, and their first argument
 * that is text (0-based; the arguments before it are a stream, a reader, ...). */
static const struct {
    const char *name;
    int first_text;
    bool stream_last; /* fputs(TEXT, STREAM): the stream is the last argument */
    bool stream_first; /* fprintf(STREAM, ...) */
} MESSAGE_FUNCTIONS[] = {
    {"printf", 0, false, false},   {"puts", 0, false, false},       {"perror", 0, false, false},
    {"fprintf", 1, false, true},   {"vfprintf", 1, false, true},    {"fputs", 0, true, false},
    {"diag_add", 1, false, false}, {"problem", 2, false, false},    {"usage_error", 0, false, false},
    {"usage", 0, false, false},    {"say_error", 0, false, false},  {"bad", 2, false, false},
    {"syntax_problem", 3, false, false}, {"edition_problem", 6, false, false}, {"message", 0, false, false},
};

/* A letter of a word: ASCII, or a Latin letter of UTF-8 (U+00C0 to U+017F, as in
 * "geïmporteerd"); other UTF-8 (dashes, arrows, ellipses) is punctuation. */
static bool letter_at(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return isalpha(c) || ((c == 0xC3 || c == 0xC4 || c == 0xC5) && ((unsigned char)s[1] & 0xC0) == 0x80 &&
                          !(c == 0xC3 && ((unsigned char)s[1] == 0x97 || (unsigned char)s[1] == 0xB7)));
}

/* Does the literal (with its quotes) hold a word once conversions, escapes and
 * the program's name are taken out? */
static bool has_word(const char *at, size_t len)
{
    const char *s = at + 1, *end = at + len - 1;
    while (s < end) {
        if (*s == '\\') {
            s += 2;
        } else if (*s == '%') {
            s++;
            while (s < end && strchr("-+ #0123456789.*hlLqjzt'", *s))
                s++;
            s++;
        } else if (letter_at(s)) {
            const char *b = s;
            while (s < end && letter_at(s))
                s += (unsigned char)*s >= 0x80 ? 2 : 1;
            if (!(s - b == 5 && memcmp(b, "somon", 5) == 0))
                return true;
        } else {
            s++;
        }
    }
    return false;
}

/* The stream of fprintf/fputs names standard error or output, or an error stream. */
static bool person_stream(const toks *t, span a)
{
    for (size_t i = a.from; i < a.to; i++) {
        const tok *k = &t->v[i];
        if (k->kind != T_ID)
            continue;
        if (is(k, "stderr") || is(k, "stdout"))
            return true;
        for (size_t j = 0; j + 3 <= k->len; j++)
            if (memcmp(k->at + j, "err", 3) == 0)
                return true;
    }
    return false;
}

/* The literals of one argument outside any call: each with a word is a bypass. */
static void check_text_argument(const toks *t, span a, const char *fn)
{
    for (size_t i = a.from; i < a.to; i++) {
        const tok *k = &t->v[i];
        if (k->kind == T_ID && i + 1 < a.to && punct(&t->v[i + 1], '(')) {
            /* a call: _() and friends are the point; any other call checks its own */
            int depth = 0;
            size_t j = i + 1;
            for (; j < a.to; j++) {
                depth += punct(&t->v[j], '(') - punct(&t->v[j], ')');
                if (depth == 0)
                    break;
            }
            i = j;
            continue;
        }
        if (k->kind == T_STR && has_word(k->at, k->len)) {
            char what[256];
            int shown = k->len > 60 ? 60 : (int)k->len;
            snprintf(what, sizeof what, "%s: the message %.*s%s is not translated", fn, shown, k->at,
                     k->len > 60 ? "...\"" : "");
            fail(k->line, what,
                 "wrap it in _(\"...\") (or N_() where the function translates it) and give its Dutch in po/nl "
                 "(docs/language.md); a log line that programs read is NT_(\"...\")");
        }
    }
}

static void check_message_call(const toks *t, size_t name, int which)
{
    enum { MAX = 64 };
    span args[MAX];
    size_t close = 0;
    int n = split_args(t, name + 1, args, MAX, &close);
    if (n < 0 || n > MAX)
        return; /* a declaration or a macro: nothing to check */
    const char *fn = MESSAGE_FUNCTIONS[which].name;
    if (MESSAGE_FUNCTIONS[which].stream_first && (n < 1 || !person_stream(t, args[0])))
        return;
    if (MESSAGE_FUNCTIONS[which].stream_last && (n < 2 || !person_stream(t, args[n - 1])))
        return;
    int last = MESSAGE_FUNCTIONS[which].stream_last ? n - 1 : n;
    for (int i = MESSAGE_FUNCTIONS[which].first_text; i < last; i++)
        check_text_argument(t, args[i], fn);
}

static int message_function(const tok *k)
{
    if (k->kind != T_ID)
        return -1;
    for (size_t i = 0; i < sizeof MESSAGE_FUNCTIONS / sizeof *MESSAGE_FUNCTIONS; i++)
        if (is(k, MESSAGE_FUNCTIONS[i].name))
            return (int)i;
    return -1;
}

/* Files whose buf_printf writes markup (HTML or SVG). */
static bool markup_file(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    static const char *names[] = {"layout.c", "map.c", "formui.c", "formrows.c", "web.c", "api.c"};
    if (strncmp(base, "page_", 5) == 0)
        return true;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(base, names[i]) == 0)
            return true;
    return false;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap);
    size_t got;
    while (s && (got = fread(s + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *more = realloc(s, cap *= 2);
            if (!more) {
                free(s);
                s = NULL;
                break;
            }
            s = more;
        }
    }
    fclose(f);
    if (s)
        s[len] = '\0';
    return s;
}

static void check_file(const char *path, bool language)
{
    char *text = slurp(path);
    if (!text) {
        perror(path);
        exit(2);
    }
    file_name = path;
    toks t = {0};
    lex(text, &t);
    bool markup = markup_file(path);
    language = language && !markup; /* the web's pages are written in Dutch (SPEC) */
    for (size_t i = 0; i + 1 < t.n; i++) {
        const tok *k = &t.v[i];
        if (k->kind != T_ID || !punct(&t.v[i + 1], '('))
            continue;
        int m = language ? message_function(k) : -1;
        if (m >= 0 && !(i > 0 && (punct(&t.v[i - 1], '.') || punct(&t.v[i - 1], '>')))) {
            /* a declaration or definition (static void problem(reader *r, ...)) is no call */
            if (!(i > 0 && t.v[i - 1].kind == T_ID && !is(&t.v[i - 1], "return") && !is(&t.v[i - 1], "else")))
                check_message_call(&t, i, m);
            continue;
        }
        enum writer w;
        if (is(k, "buf_fmt"))
            w = W_BUF_FMT;
        else if (markup && is(k, "buf_printf"))
            w = W_BUF_PRINTF;
        else
            continue;
        /* a declaration or definition (void buf_fmt(buf *b, ...)) is no call */
        if (i > 0 && t.v[i - 1].kind == T_ID && !is(&t.v[i - 1], "return") && !is(&t.v[i - 1], "else"))
            continue;
        check_call(&t, i, w);
    }
    free(t.v);
    free(text);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: codecheck [--pending FILE]... FILE.c...\n", stderr);
        return 2;
    }
    /* --pending FILE: the language rule is not yet met by FILE (Makefile, I18N_PENDING) */
    const char *pending[64];
    int npending = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--pending") == 0 && i + 1 < argc) {
            if (npending < 64)
                pending[npending++] = argv[i + 1];
            i++;
            continue;
        }
        bool language = true;
        for (int j = 0; j < npending; j++)
            if (strcmp(pending[j], argv[i]) == 0)
                language = false;
        check_file(argv[i], language);
    }
    if (errors) {
        fprintf(stderr, "codecheck: %d violation(s) of the escaping or the language rule (see tools/codecheck.c, "
                        "src/buf.h and src/i18n.h)\n", errors);
        return 1;
    }
    return 0;
}
