static void bad(buf *b, const char *n)
{
    buf_fmt(b, "<p>\x25s</p>", n);
}
