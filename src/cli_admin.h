/* cli_admin.h: `somon history`, `somon backup`, `somon restore` and `somon alerts`.
 *
 * Each takes the database path (--db) and its own arguments (argv[0] is the
 * command's name), opens what it needs itself (a restore may create the
 * database) and returns a sysexits code; every error is one line on
 * standard error. */
#ifndef SOMON_CLI_ADMIN_H
#define SOMON_CLI_ADMIN_H

/* history AGREEMENT_ID [--as-known-at T]: every version, oldest first, with
 * the fields each changed. 66 when there is no such agreement. */
int cli_history(const char *db, int argc, char **argv);
/* backup FILE [--force]: a consistent copy of the (live) database. */
int cli_backup(const char *db, int argc, char **argv);
/* restore FILE [--force]: FILE, once checked, becomes the database at db.
 * 65 when FILE is not a good somon database. */
int cli_restore(const char *db, int argc, char **argv);
/* alerts [--date D] [--as-known-at T] [--format text|csv|md]: what needs
 * attention on D (today by default); see rules_alerts.h. */
int cli_alerts(const char *db, int argc, char **argv);

#endif
