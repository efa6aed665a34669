/* Sign-in throttling (auth_throttle): a throttled address never keeps a
 * correct password out by itself, and bounds each login to its free failures
 * while it lasts; plus the escaper of log lines (term_quoted). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "auth.h"
#include "buf.h"
#include "term.h"

enum { NOW = 1700000000 };

static void open_without_failures(void **state)
{
    (void)state;
    int64_t wait = -1;
    assert_int_equal(auth_throttle(0, 0, 0, 0, NOW, &wait), THROTTLE_OPEN);
    assert_int_equal(wait, 0);
    /* four failures of each: still free */
    assert_int_equal(auth_throttle(4, NOW, 4, NOW, NOW, &wait), THROTTLE_OPEN);
    /* five failures of the login, long enough ago: its 1 s wait is over */
    assert_int_equal(auth_throttle(5, NOW - 2, 0, 0, NOW, &wait), THROTTLE_OPEN);
}

static void a_throttled_login_is_closed_whatever_the_address(void **state)
{
    (void)state;
    int64_t wait;
    assert_int_equal(auth_throttle(8, NOW, 0, 0, NOW, &wait), THROTTLE_CLOSED);
    assert_int_equal(wait, 8);
    assert_int_equal(auth_throttle(8, NOW, 9, NOW, NOW, &wait), THROTTLE_CLOSED);
    assert_int_equal(wait, 16); /* the longer of the two */
}

static void a_throttled_address_lets_a_fresh_login_verify(void **state)
{
    (void)state;
    int64_t wait;
    for (int login_failures = 0; login_failures < THROTTLE_FREE; login_failures++) {
        assert_int_equal(auth_throttle(login_failures, NOW - 100, 9, NOW, NOW, &wait), THROTTLE_ADDRESS);
        assert_int_equal(wait, 16);
    }
    /* a login that has spent its free failures waits with its address, even
     * when its own wait is over: spraying stays bounded per login */
    assert_int_equal(auth_throttle(THROTTLE_FREE, NOW - 100, 9, NOW, NOW, &wait), THROTTLE_CLOSED);
    assert_int_equal(wait, 16);
    /* the address's wait over: open again */
    assert_int_equal(auth_throttle(THROTTLE_FREE, NOW - 100, 9, NOW - 20, NOW, &wait), THROTTLE_OPEN);
}

static void log_values_are_escaped(void **state)
{
    (void)state;
    buf b = {0};
    term_quoted(&b, "a\"b\\c\nd\re\tf\x1b[1mg\x7fh é");
    assert_string_equal(b.data, "a\\\"b\\\\c\\x0ad\\x0de\\x09f\\x1b[1mg\\x7fh é");
    buf_free(&b);
    buf_free(&b);
    term_quoted(&b, "csi \xc2\x9b" "2J, bad \xff");  /* C1 and a byte that is not UTF-8 */
    assert_string_equal(b.data, "csi \\u009b2J, bad \\xff");
    buf_free(&b);
    term_quoted(&b, NULL);
    term_quoted(&b, "");
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_without_failures),
        cmocka_unit_test(a_throttled_login_is_closed_whatever_the_address),
        cmocka_unit_test(a_throttled_address_lets_a_fresh_login_verify),
        cmocka_unit_test(log_values_are_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
