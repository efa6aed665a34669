/* assets.h: files served under /static/, built into the binary from assets/
 * by tools/embed.c (see the Makefile). ASSETS ends with an entry whose name
 * is NULL. */
#ifndef SOMON_ASSETS_H
#define SOMON_ASSETS_H

#include <stddef.h>

struct asset {
    const char *name, *content_type;
    const unsigned char *data;
    size_t size;
};

extern const struct asset ASSETS[];

/* The asset called name, or NULL. */
const struct asset *asset_find(const char *name);

#endif
