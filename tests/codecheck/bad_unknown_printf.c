static void bad(buf *b, double x)
{
    buf_fmt(b, "<p>%.1f</p>", x);
}
