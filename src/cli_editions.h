/* cli_editions.h: `somon publish`, `somon editions` and `somon edition diff`
 * (SPEC §6, issue 10; edition.h computes). Each takes the database path
 * (--db), the actor (--actor) and its own arguments (argv[0] is the
 * command's name) and returns a sysexits code; every error is one line on
 * standard error that names the option and the fix. */
#ifndef SOMON_CLI_EDITIONS_H
#define SOMON_CLI_EDITIONS_H

/* publish --date D --prognosis P --question TEXT [--note PROVINCE=TEXT]...
 * [--as-known-at T]: prints the new edition's id. */
int cli_publish(const char *db, const char *actor, int argc, char **argv);
/* editions [--format text|csv|json|md]: columns id, question, date,
 * prognosis, known_at, published_at. */
int cli_editions(const char *db, const char *actor, int argc, char **argv);
/* edition diff ID: every cell today's knowledge changes, with the changes
 * that caused it; 0 also when nothing changed, 66 when there is no edition ID. */
int cli_edition(const char *db, const char *actor, int argc, char **argv);

#endif
