/* term_escape(): stored text for the terminal. Control characters (C0 but
 * tab and newline, DEL, C1) and bytes that are not UTF-8 are written
 * visibly; everything else, multi-byte UTF-8 included, is copied. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "term.h"

static void expect(const char *in, size_t n, const char *out)
{
    buf b = {0};
    term_escape(&b, in, n);
    assert_string_equal(b.data ? b.data : "", out);
    buf_free(&b);
}
#define EXPECT(in, out) expect(in, sizeof in - 1, out)

static void plain_text_is_copied(void **state)
{
    (void)state;
    EXPECT("", "");
    EXPECT("Samen sterk voor werk!", "Samen sterk voor werk!");
    EXPECT("Kristin Scharpé – coördinator €", "Kristin Scharpé – coördinator €");
    EXPECT("a\tb\nc", "a\tb\nc");
    EXPECT("back\\slash", "back\\slash");
    EXPECT("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"); /* U+1F600 */
    EXPECT("\xC2\xA0", "\xC2\xA0");                 /* no-break space: the first character after C1 */
}

static void controls_are_escaped(void **state)
{
    (void)state;
    EXPECT("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07");
    EXPECT("\x1b[2J\r\b\x7f", "\\x1b[2J\\x0d\\x08\\x7f");
    EXPECT("a\0b", "a\\x00b");
    EXPECT("\xC2\x9B" "31m", "\\u009b31m"); /* CSI as a C1 control */
    EXPECT("\xC2\x80\xC2\x9F", "\\u0080\\u009f");
}

static void bytes_that_are_not_utf8_are_escaped(void **state)
{
    (void)state;
    EXPECT("\x9b" "31m", "\\x9b31m");             /* a lone continuation byte (8-bit CSI) */
    EXPECT("\xC3", "\\xc3");                      /* a sequence cut short */
    EXPECT("\xC3(", "\\xc3(");
    EXPECT("\xC0\x80", "\\xc0\\x80");             /* overlong NUL */
    EXPECT("\xE0\x80\x80", "\\xe0\\x80\\x80");    /* overlong */
    EXPECT("\xED\xA0\x80", "\\xed\\xa0\\x80");    /* a surrogate */
    EXPECT("\xF4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* beyond U+10FFFF */
    EXPECT("\xFF", "\\xff");
}

static void text_copies(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_string_equal(term_text(a, NULL), "");
    assert_string_equal(term_text(a, "x\x1by"), "x\\x1by");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(plain_text_is_copied), cmocka_unit_test(controls_are_escaped),
                                       cmocka_unit_test(bytes_that_are_not_utf8_are_escaped),
                                       cmocka_unit_test(text_copies)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
