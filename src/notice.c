/* notice.c: see notice.h. */
#include "notice.h"

#include <string.h>

const char *const REGISTER_NOTICES[] = {REGISTER_NOTICE_PUBLIC_SOURCES_PARTIAL, NULL};
static const char *const SENTENCES[] = {
    "Publieke bronnen, onvolledig: dit register is samengesteld uit publieke bronnen en bevat maar een deel van de "
    "overeenkomsten."};
static const char *const TITLES[] = {"Publieke bronnen, onvolledig"};

static int index_of(const char *code)
{
    for (int i = 0; code && REGISTER_NOTICES[i]; i++)
        if (strcmp(code, REGISTER_NOTICES[i]) == 0)
            return i;
    return -1;
}

const char *register_notice_known(const char *code)
{
    int i = index_of(code);
    return i < 0 ? NULL : REGISTER_NOTICES[i];
}

const char *register_notice_sentence(const char *code)
{
    int i = index_of(code);
    return i < 0 ? NULL : SENTENCES[i];
}

const char *register_notice_title(const char *code)
{
    int i = index_of(code);
    return i < 0 ? NULL : TITLES[i];
}
