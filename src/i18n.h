/* i18n.h: the command line's language, through GNU gettext.
 * Messages are written in English in the source: _("...") where the text is used,
 * N_("...") where it is only marked (a table, or a format handed to a function
 * that translates it, like the import's problem()) and translated later with _().
 * docs/language.md says how a message is written and translated.
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
/* Marks a message that also has a variant in a context (msgctxt): "form" is the
 * wording of the web's edit forms, which pick where the command line gives
 * ("kies een gemeente" where the command line asks for a NIS code). */
#define NC_(context, msgid) (msgid)
/* Not translated, on purpose, so that tools/codecheck.c lets it pass: a line of
 * the server's log that programs read ("somon: listening on ..."), or the text of
 * a document that is Dutch whatever the language (an edition of the answer to
 * parliament, SPEC). */
#define NT_(text) (text)

void i18n_init(void);
/* The translation of msgid in the "form" context when the catalogue has one, else
 * its plain translation (pgettext over a msgid known only at run time). */
const char *i18n_form(const char *msgid) __attribute__((format_arg(1)));
/* True when the command line speaks Dutch (the default). */
bool i18n_dutch(void);
/* Dutch whatever the environment asks: the web application speaks only Dutch, and
 * messages it shares with the command line (import problems) come from the same
 * catalogue. http_serve (somon serve) and the test transport call it before any
 * thread exists. */
void i18n_force_dutch(void);

#endif
