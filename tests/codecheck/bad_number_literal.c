static void bad(buf *b)
{
    buf_fmt(b, "<p>%d</p>", "12");
}
