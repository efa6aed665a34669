static void bad(FILE *err)
{
    puts("no accounts yet");
    fputs("somon: out of memory\n", err);
}
