static void bad(buf *b, const char *fmt, const char *name)
{
    buf_fmt(b, fmt, name);
}
