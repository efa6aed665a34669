/* Every form codecheck accepts: it must pass with no message. */
#include "buf.h"

void buf_fmt(buf *b, const char *fmt, ...); /* a declaration is no call */

static void good(buf *b, const char *name, int n, long l, long long ll, size_t z, int flag, int other)
{
    buf_fmt(b, "<p>%h</p>", name);
    buf_fmt(b, "<a href=\"/x/%U?q=%a\">%j</a>", name, name, name);
    buf_fmt(b, "<p>%d %ld %lld %zu 100%%</p>", n, l, ll, z);
    buf_fmt(b, "<p%s>", flag ? " class=\"on\"" : "");
    buf_fmt(b, "<p%s>", (flag ? " a" : other ? " b" : ""));
    buf_fmt(b, "%s%s", "literal", NULL);
    buf_fmt(b,
            "<p>%h" /* a comment with %s in it */
            "</p>\n%s",
            name, "x");
    buf_fmt(b, "<p title=\"%a\">%d</p>", f(name, g(1, 2)), h(n, (int)z));
    buf_printf(b, "%s", name); /* outside the markup files buf_printf writes text: not checked */
    /* buf_fmt(b, "%s", name); in a comment is no call */
    const char *s = "buf_fmt(b, \"%s\", name);";
    (void)s;
#define NOT_A_CALL(x) buf_fmt(b, "%s", x)
}
