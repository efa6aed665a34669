/* The language rule: every form codecheck accepts (it must pass with no message). */
#include <stdio.h>

#include "i18n.h"

static int usage_error(const char *fmt, const char *arg); /* a declaration is no call */

static void good(FILE *out, const char *name, diag *d, reader *r, int n)
{
    fprintf(stderr, _("somon: cannot read %s: %s\n"), name, "%");
    fprintf(stderr, "somon: %s: %s\n", name, _("out of memory"));  /* conversions and the program's name */
    fputs("\n", stderr);
    fprintf(stderr, "%s%s — %zu\n", name, n ? ", " : "", (size_t)n); /* punctuation only */
    printf(ngettext("%d version\n", "%d versions\n", n), n);        /* another call: its own business */
    puts(_("geen"));
    diag_add(d, _("%s: the file is empty; give an object"), name);
    problem(r, p, N_("required; give a text"));                        /* problem() translates it */
    problem(r, p, "%s", text_explain(a, v));                           /* a format of conversions only */
    usage_error(n ? _("one") : _("two"), name);
    fprintf(stderr, NT_("somon: listening on http://%s\n"), name);     /* a log line that programs read */
    fprintf(out, "HTTP/1.1 %d %s\r\n", n, name);                       /* a stream that is no person's */
    fputs("Content-Type: text/html\r\n", out);
    /* fprintf(stderr, "a comment is no call\n"); */
    const char *s = "fprintf(stderr, \"in a literal\")";
    (void)s;
#define NOT_A_CALL(x) fprintf(stderr, "in a macro %s\n", x)
}
