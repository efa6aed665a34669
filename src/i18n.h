/* i18n.h: the command line's language, through GNU gettext.
 * Messages are written in English in the source: _("...") where the text is used,
 * N_("...") where it is only marked (a table) and translated later with _().
 * po/nl/<area>.po holds the Dutch, one file per area so that parts of the program
 * are translated independently; the build joins them into one catalogue.
 * The language is Dutch unless the first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG
 * that is set starts with "en" (SPEC §6: Dutch by default, also under LANG=C).
 * i18n_init() runs once, at the start of main, before any thread exists. */
#ifndef SOMON_I18N_H
#define SOMON_I18N_H

#include <libintl.h>
#include <stdbool.h>

#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid)

void i18n_init(void);
/* True when the command line speaks Dutch (the default). */
bool i18n_dutch(void);
/* Dutch whatever the environment asks: the web application speaks only Dutch, and
 * messages it shares with the command line (import problems) come from the same
 * catalogue. `somon serve` calls it before its threads start. */
void i18n_force_dutch(void);

#endif
