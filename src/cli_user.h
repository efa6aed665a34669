/* cli_user.h: the `somon user` commands (add, passwd, list, disable). */
#ifndef SOMON_CLI_USER_H
#define SOMON_CLI_USER_H

#include "store.h"

/* argv[0] is "user". Returns a sysexits code. */
int cli_user(store *s, const char *actor, int argc, char **argv);

#endif
