static void bad(buf *b, const char *name)
{
    buf_fmt(b, "<a href=\"/x/%u\">", name);
}
