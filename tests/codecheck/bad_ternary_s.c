static void bad(buf *b, const char *name, int flag)
{
    buf_fmt(b, "<p>%s</p>", flag ? "x" : name);
}
