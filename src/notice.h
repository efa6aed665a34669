/* notice.h: the register notice (issue 13): a label the whole register
 * carries, as known at a moment, which every page and download repeats.
 * Only one exists: "public_sources_partial", for a register compiled from
 * public sources that holds only part of the agreements (the demo of
 * data/demo). Pure: constants and their words. Stored by store_notice.h,
 * exchanged as somon/1's top-level "register_notice" (docs/somon1.md), said
 * as docs/downloads.md lists. */
#ifndef SOMON_NOTICE_H
#define SOMON_NOTICE_H

#define REGISTER_NOTICE_PUBLIC_SOURCES_PARTIAL "public_sources_partial"

/* The codes a register notice may have, NULL-terminated. */
extern const char *const REGISTER_NOTICES[];

/* The program's own copy of code (a pointer into REGISTER_NOTICES, which
 * lives as long as the program), or NULL when code is NULL or no notice. */
const char *register_notice_known(const char *code);
/* The one sentence that says the notice (Dutch, DESIGN13 §5), or NULL for
 * NULL. */
const char *register_notice_sentence(const char *code);
/* Its short name ("Publieke bronnen, onvolledig"), or NULL for NULL. */
const char *register_notice_title(const char *code);

/* The HTTP header the API (and every response of the web) carries when the
 * register has a notice: its value is the code. */
#define REGISTER_NOTICE_HEADER "Somon-Register-Notice"

#endif
