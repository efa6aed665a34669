static void bad(const char *name)
{
    fprintf(stderr, "somon: cannot read %s\n", name);
}
