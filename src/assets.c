/* assets.c: looking up the files built in from assets/ (see assets.h). */
#include "assets.h"

#include <string.h>

const struct asset *asset_find(const char *name)
{
    for (const struct asset *a = ASSETS; name && a->name; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}
