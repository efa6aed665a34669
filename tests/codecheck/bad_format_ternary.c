static void bad(buf *b, int flag, const char *name)
{
    buf_fmt(b, flag ? "<p>%h</p>" : "<b>%h</b>", name);
}
