static int bad(reader *r, path *p)
{
    problem(r, p,
            N_("required; ") "give a text");
    return usage_error("unknown command '%s'", NULL);
}
