static void bad(buf *b, const char *name)
{
    buf_fmt(b, "<p>%s</p>", name);
}
