/* The escaping writers: HTML text and attributes, CSV with formula guard,
 * JSON strings, URLs, and buf_fmt's conversions. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "buf.h"

static char *run(void (*f)(buf *, const char *), const char *in)
{
    buf b = {0};
    f(&b, in);
    return buf_take(&b, NULL);
}

#define EXPECT(f, in, out)                                                                                           \
    do {                                                                                                             \
        char *got_ = run(f, in);                                                                                     \
        assert_string_equal(got_, out);                                                                              \
        free(got_);                                                                                                  \
    } while (0)

static void html(void **state)
{
    (void)state;
    EXPECT(buf_html, "<script>alert('x')</script> & \"q\"", "&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"q\"");
    EXPECT(buf_attr, "\" onmouseover='x' <", "&quot; onmouseover=&#39;x&#39; &lt;");
    EXPECT(buf_html, "Zoersel – één", "Zoersel – één");
    EXPECT(buf_html, NULL, "");
}

static void csv(void **state)
{
    (void)state;
    EXPECT(buf_csv_text, "plain", "plain");
    EXPECT(buf_csv_text, "a,b", "\"a,b\"");
    EXPECT(buf_csv_text, "say \"hi\"", "\"say \"\"hi\"\"\"");
    EXPECT(buf_csv_text, "two\nlines", "\"two\nlines\"");
    EXPECT(buf_csv_text, "=1+2", "\"'=1+2\"");
    EXPECT(buf_csv_text, "+32 3 123", "\"'+32 3 123\"");
    EXPECT(buf_csv_text, "-x", "\"'-x\"");
    EXPECT(buf_csv_text, "@SUM(A1)", "\"'@SUM(A1)\"");
    EXPECT(buf_csv_text, "", "");
    EXPECT(buf_csv_text, "a;b", "\"a;b\"");             /* Excel in nl-BE splits on ';' */
    EXPECT(buf_csv_text, "tab\there", "\"tab\there\"");
    EXPECT(buf_csv_text, "2021-2025 (4 jaar)", "2021-2025 (4 jaar)"); /* no cell begins at '-' */
    EXPECT(buf_csv_text, "Zoersel – één", "Zoersel – één");
}

/* Every place where a spreadsheet in en or nl-BE may begin a cell is
 * guarded: the start, after ',' ';' tab and line breaks, past blanks and
 * quotes. */
static void csv_formula_guard(void **state)
{
    (void)state;
    /* a ';' inside a field opens a cell in nl-BE */
    EXPECT(buf_csv_text, "Gent;=HYPERLINK(\"http://x\")", "\"Gent;'=HYPERLINK(\"\"http://x\"\")\"");
    EXPECT(buf_csv_text, "a;+1", "\"a;'+1\"");
    EXPECT(buf_csv_text, "a; -1", "\"a; '-1\"");
    EXPECT(buf_csv_text, "a;;@x", "\"a;;'@x\"");
    EXPECT(buf_csv_text, "a,=1", "\"a,'=1\"");
    /* leading blanks do not hide a formula */
    EXPECT(buf_csv_text, " =1+2", "\" '=1+2\"");
    EXPECT(buf_csv_text, "   @SUM(A1)", "\"   '@SUM(A1)\"");
    EXPECT(buf_csv_text, "\xc2\xa0+1", "\"\xc2\xa0'+1\"");           /* no-break space */
    EXPECT(buf_csv_text, "\xe3\x80\x80=1", "\"\xe3\x80\x80'=1\""); /* ideographic space */
    EXPECT(buf_csv_text, "\"=1\"", "\"\"\"'=1\"\"\"");              /* a quote before it */
    EXPECT(buf_csv_text, "a;\"=1", "\"a;\"\"'=1\"");
    /* a line break inside a field ends the row for a reader that ignores the quote */
    EXPECT(buf_csv_text, "x\n=1", "\"x\n'=1\"");
    EXPECT(buf_csv_text, "x\r\n=1", "\"x\r\n'=1\"");
    /* tab and CR at the start, and after blanks */
    EXPECT(buf_csv_text, "\tx", "\"'\tx\"");
    EXPECT(buf_csv_text, "\rx", "\"'\rx\"");
    EXPECT(buf_csv_text, "\t=1", "\"'\t'=1\"");
    /* full-width = + - @ */
    EXPECT(buf_csv_text, "\xef\xbc\x9d" "1+1", "\"'\xef\xbc\x9d" "1+1\"");
    EXPECT(buf_csv_text, "a;\xef\xbc\xa0x", "\"a;'\xef\xbc\xa0x\"");
    /* what is not a formula stays as it was */
    EXPECT(buf_csv_text, "a - b", "a - b");
    EXPECT(buf_csv_text, "e-mail: a@b.be", "e-mail: a@b.be");
    EXPECT(buf_csv_text, "a; b", "\"a; b\"");
}

static void json(void **state)
{
    (void)state;
    EXPECT(buf_json_string, "a\"b\\c\n\x01<", "\"a\\\"b\\\\c\\n\\u0001\\u003c\"");
    EXPECT(buf_json_string, "één", "\"één\"");
}

static void url(void **state)
{
    (void)state;
    EXPECT(buf_url, "Oost-Vlaanderen", "Oost-Vlaanderen");
    EXPECT(buf_url, "a b&c=d/é", "a%20b%26c%3Dd%2F%C3%A9");
}

static void fmt(void **state)
{
    (void)state;
    buf b = {0};
    buf_fmt(&b, "<a href=\"/x?q=%U\" title=\"%a\">%h</a> %s %d %zu %lld %j %%", "a b", "\"t\"", "<b>", "raw", -3,
            (size_t)7, 1234567890123LL, "j\"");
    assert_string_equal(b.data,
                        "<a href=\"/x?q=a%20b\" title=\"&quot;t&quot;\">&lt;b&gt;</a> raw -3 7 1234567890123 \"j\\\"\" %");
    buf_free(&b);
}

/* An unknown conversion stops the program: the old %u (now %U) among them,
 * so a forgotten rename cannot write a URL unescaped. */
static bool fmt_aborts(const char *fmt)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) /* quiet: the abort message is expected */
            _exit(2);
        buf b = {0};
        buf_fmt(&b, fmt, "x");
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void fmt_unknown_conversion(void **state)
{
    (void)state;
    assert_true(fmt_aborts("unknown %q"));
    assert_true(fmt_aborts("old url %u"));
    assert_true(fmt_aborts("trailing %"));
    assert_true(fmt_aborts("%zd"));
    assert_true(fmt_aborts("%lu"));
    assert_false(fmt_aborts("known %s"));
}

static void growth(void **state)
{
    (void)state;
    buf b = {0};
    for (int i = 0; i < 10000; i++)
        buf_puts(&b, "0123456789");
    assert_int_equal(b.len, 100000);
    assert_int_equal(b.data[99999], '9');
    assert_int_equal(b.data[100000], '\0');
    buf_free(&b);
}

/* A buffer with a sink passes its bytes on and keeps at most a chunk. */
static void sink(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    buf b = {0};
    buf_sink(&b, f);
    size_t most = 0;
    for (int i = 0; i < 30000; i++) {
        buf_fmt(&b, "%d;%h\n", i, "<a&b>");
        most = b.cap > most ? b.cap : most;
    }
    assert_true(buf_flush(&b));
    assert_true(most <= 2 * BUF_SINK_CHUNK);
    rewind(f);
    char line[64];
    for (int i = 0; i < 30000; i++) {
        assert_non_null(fgets(line, sizeof line, f));
        char want[64];
        snprintf(want, sizeof want, "%d;&lt;a&amp;b&gt;\n", i);
        assert_string_equal(line, want);
    }
    assert_null(fgets(line, sizeof line, f));
    buf_free(&b);
    fclose(f);
}

static int opened;

static void open_file(buf *b, void *ctx)
{
    opened++;
    buf_sink(b, ctx);
}

static void stay(buf *b, void *ctx)
{
    (void)b;
    (void)ctx;
    opened++;
}

/* A buffer given buf_sink_after keeps its bytes in memory up to the limit,
 * then asks once for a sink and streams every byte, the first ones too. */
static void sink_after(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    buf b = {0};
    opened = 0;
    buf_sink_after(&b, 1000, open_file, f);
    for (int i = 0; i < 99; i++)
        buf_puts(&b, "0123456789");
    assert_int_equal(opened, 0);
    assert_null(b.sink);
    for (int i = 99; i < 20000; i++)
        buf_puts(&b, "0123456789");
    assert_int_equal(opened, 1);
    assert_true(buf_flush(&b));
    assert_int_equal(ftell(f), 200000);
    rewind(f);
    char all[200001];
    assert_int_equal(fread(all, 1, sizeof all, f), 200000);
    for (int i = 0; i < 200000; i++)
        assert_int_equal(all[i], '0' + i % 10);
    buf_free(&b);
    fclose(f);
    /* an opener that cannot give a sink leaves the bytes in memory, asked once */
    opened = 0;
    buf_sink_after(&b, 100, stay, NULL);
    for (int i = 0; i < 1000; i++)
        buf_puts(&b, "0123456789");
    assert_int_equal(opened, 1);
    assert_int_equal(b.len, 10000);
    /* buf_free forgets it */
    buf_free(&b);
    assert_null(b.sink_open);
    buf_puts(&b, "x");
    assert_int_equal(opened, 1);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(html), cmocka_unit_test(csv), cmocka_unit_test(csv_formula_guard),
                                       cmocka_unit_test(json),
                                       cmocka_unit_test(url), cmocka_unit_test(fmt), cmocka_unit_test(fmt_unknown_conversion),
                                       cmocka_unit_test(growth), cmocka_unit_test(sink),
                                       cmocka_unit_test(sink_after)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
