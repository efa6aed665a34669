/* iCalendar content lines (RFC 5545 §3.1, §3.3.11): CRLF, folding at 75
 * octets without splitting a UTF-8 sequence, TEXT escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ics.h"

/* Every line of b ends in CRLF, has at most 75 octets, and a continuation
 * starts with a space; returns the unfolded text. */
static char *check_and_unfold(const buf *b, char *out, size_t cap)
{
    size_t n = 0;
    const char *p = b->data, *end = b->data + b->len;
    int first = 1;
    while (p < end) {
        const char *crlf = strstr(p, "\r\n");
        assert_non_null(crlf);
        size_t len = (size_t)(crlf - p);
        assert_true(len <= ICS_LINE_OCTETS);
        assert_null(memchr(p, '\n', len));
        assert_null(memchr(p, '\r', len));
        if (!first && *p == ' ') {
            p++;
            len--;
        } else if (!first) {
            out[n++] = '|'; /* a new line, not a continuation */
        }
        /* a line never starts inside a UTF-8 sequence */
        assert_true(len == 0 || ((unsigned char)*p & 0xC0) != 0x80);
        assert_true(n + len < cap);
        memcpy(out + n, p, len);
        n += len;
        p = crlf + 2;
        first = 0;
    }
    out[n] = '\0';
    return out;
}

static void short_lines_end_in_crlf(void **state)
{
    (void)state;
    buf b = {0};
    ics_line(&b, "DTSTART;VALUE=DATE", "20230615");
    assert_string_equal(b.data, "DTSTART;VALUE=DATE:20230615\r\n");
    buf_free(&b);
}

static void text_is_escaped(void **state)
{
    (void)state;
    buf b = {0};
    ics_text(&b, "SUMMARY", "a,b;c\\d\ne\r\nf\rg");
    assert_string_equal(b.data, "SUMMARY:a\\,b\\;c\\\\d\\ne\\nf\\ng\r\n");
    buf_free(&b);
    ics_text(&b, "SUMMARY", NULL);
    assert_int_equal(b.len, 0);
}

static void long_ascii_is_folded_at_75(void **state)
{
    (void)state;
    char text[301], out[1000];
    memset(text, 'x', 300);
    text[300] = '\0';
    buf b = {0};
    ics_text(&b, "DESCRIPTION", text);
    /* 12 + 300 = 312 octets: 75, then 74 per continuation → 5 lines */
    size_t lines = 0;
    for (size_t i = 0; i + 1 < b.len; i++)
        lines += b.data[i] == '\r' && b.data[i + 1] == '\n';
    assert_int_equal(lines, 5);
    assert_int_equal(strstr(b.data, "\r\n") - b.data, 75);
    check_and_unfold(&b, out, sizeof out);
    assert_string_equal(out + strlen("DESCRIPTION:"), text);
    buf_free(&b);
}

static void utf8_is_never_split(void **state)
{
    (void)state;
    /* "é" (2 octets), "€" (3) and "𝄞" (4) at every offset around the fold */
    const char *pieces[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E"};
    for (size_t k = 0; k < 3; k++)
        for (size_t pad = 0; pad < 8; pad++) {
            char out[2000];
            buf text = {0};
            for (size_t i = 0; i < 60 + pad; i++)
                buf_putc(&text, 'a');
            for (int i = 0; i < 60; i++)
                buf_puts(&text, pieces[k]);
            buf b = {0};
            ics_text(&b, "SUMMARY", text.data);
            check_and_unfold(&b, out, sizeof out);
            assert_string_equal(out + strlen("SUMMARY:"), text.data);
            buf_free(&b);
            buf_free(&text);
        }
}

static void escapes_count_when_folding(void **state)
{
    (void)state;
    char text[200], out[1000];
    memset(text, ',', 199);
    text[199] = '\0';
    buf b = {0};
    ics_text(&b, "LOCATION", text);
    check_and_unfold(&b, out, sizeof out);
    /* every comma became "\," */
    assert_int_equal(strlen(out), strlen("LOCATION:") + 2 * 199);
    buf_free(&b);
}

/* Lines one octet either side of the fold, made of every kind of byte TEXT
 * escapes or leaves out: the line written in place (it fits) and the line
 * folded from a copy (it does not) both give the escaped text, each line at
 * most 75 octets (ics.c decides by the escaped length before writing). */
static void every_length_around_the_fold(void **state)
{
    (void)state;
    static const char *const PIECES[] = {"a", ",", ";", "\\", "\n", "\r\n", "\r", "\t", "\x01", "\x7f", "\xc3\xa9"};
    static const char *const ESCAPED[] = {"a", "\\,", "\\;", "\\\\", "\\n", "\\n", "\\n", " ", "", "", "\xc3\xa9"};
    enum { N = sizeof PIECES / sizeof *PIECES };
    for (size_t kind = 0; kind < N; kind++)
        for (size_t count = 0; count < 40; count++) {
            buf text = {0}, expected = {0};
            buf_puts(&expected, "DESCRIPTION:");
            for (size_t i = 0; i < 61; i++) { /* x then 60 b */
                buf_putc(&text, i ? 'b' : 'x');
                buf_putc(&expected, i ? 'b' : 'x');
            }
            for (size_t i = 0; i < count; i++) {
                buf_puts(&text, PIECES[kind]);
                buf_puts(&expected, ESCAPED[kind]);
            }
            char out[2000];
            buf b = {0};
            ics_text(&b, "DESCRIPTION", text.data);
            assert_string_equal(check_and_unfold(&b, out, sizeof out), expected.data);
            buf_free(&b);
            buf_free(&text);
            buf_free(&expected);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_lines_end_in_crlf),
        cmocka_unit_test(text_is_escaped),
        cmocka_unit_test(long_ascii_is_folded_at_75),
        cmocka_unit_test(utf8_is_never_split),
        cmocka_unit_test(escapes_count_when_folding),
        cmocka_unit_test(every_length_around_the_fold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
