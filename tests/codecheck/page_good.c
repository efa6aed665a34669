/* A page_*.c file writes markup: its buf_printf takes numbers, literal text
 * and character literals only. */
static void good(buf *b, int n, long l)
{
    buf_printf(b, "<p>%d %s</p>", n, n ? "ja" : "nee");
    buf_printf(b, "%s%ld", l < 0 ? "-" : "", l);
    buf_printf(b, "%c%.1f %*d", '.', 1.5, 3, n);
}
