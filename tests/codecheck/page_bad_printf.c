static void bad(buf *b, const char *name, char c)
{
    buf_printf(b, "<p>%.1f %s</p>", 1.0, name);
    buf_printf(b, "<p>%c</p>", c);
}
