/* i18n.c: choose the command line's language and bind the catalogue (i18n.h). */
#define _POSIX_C_SOURCE 200809L
#include "i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#ifndef SOMON_LOCALEDIR
#define SOMON_LOCALEDIR "/usr/share/locale"
#endif

static bool dutch = true;

/* The language the environment asks for, in gettext's order of precedence. */
static const char *asked_language(void)
{
    static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return v;
    }
    return "";
}

static void use_language(bool want_dutch)
{
    dutch = want_dutch;
    setenv("LANGUAGE", dutch ? "nl" : "en", 1);
}

void i18n_init(void)
{
    const char *asked = asked_language();
    /* gettext ignores LANGUAGE under the "C" locale, and machines often have no
     * nl_BE or en_GB locale installed: C.UTF-8 (built into glibc) is not "C" for
     * gettext, so LANGUAGE then picks the catalogue whatever locales exist.
     * Only LC_MESSAGES changes: numbers and dates are written the same everywhere. */
    setlocale(LC_MESSAGES, "C.UTF-8");
    use_language(!(asked[0] == 'e' && asked[1] == 'n'));
    bindtextdomain("somon", SOMON_LOCALEDIR);
    bind_textdomain_codeset("somon", "UTF-8");
    textdomain("somon");
}

const char *i18n_form(const char *msgid)
{
    static const char context[] = "form\004"; /* how msgfmt stores msgctxt "form" */
    size_t n = strlen(msgid);
    char *key = malloc(sizeof context + n);
    if (!key)
        return gettext(msgid);
    memcpy(key, context, sizeof context - 1);
    memcpy(key + sizeof context - 1, msgid, n + 1);
    const char *found = gettext(key);
    bool translated = found != key;
    free(key);
    return translated ? found : gettext(msgid);
}

bool i18n_dutch(void) { return dutch; }

void i18n_force_dutch(void) { use_language(true); }
