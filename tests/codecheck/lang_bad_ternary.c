static void bad(diag *d, int n)
{
    diag_add(d, "%s", n ? _("one") : "two words");
}
