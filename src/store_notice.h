/* store_notice.h: the register notice (notice.h) in the store, part of the
 * storage module (SQL in store_notice.c; the table comes with the schema
 * step of store.c that says "register notice"). One versioned row while
 * the register has a notice: setting writes a row, clearing closes the
 * current one (rec_until), so the notice is read as known at any change,
 * and the history keeps every version. */
#ifndef SOMON_STORE_NOTICE_H
#define SOMON_STORE_NOTICE_H

#include <stdint.h>

#include "store.h"

/* The notice as known at change `known`: *out is the program's copy of its
 * code (notice.h: register_notice_known), or NULL when none. 0, or -1 on a
 * read error. */
int store_get_notice(store *s, int64_t known, const char **out);
/* Under change: sets the notice (a code of REGISTER_NOTICES) or, with NULL,
 * clears it, closing the current version either way. 0 or -1. */
int store_put_notice(store *s, int64_t change, const char *notice);

#endif
