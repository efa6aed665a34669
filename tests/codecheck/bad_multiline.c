static void bad(buf *b, const char *a, const char *name)
{
    buf_fmt(b, "<p class=\"%a\">"
               "%s</p>",
            a,
            name);
}
