/* cli_sheet.h: `somon import sheet FILE.xlsx|FILE.csv [--dry-run]`.
 *
 * Reads agreements in the annex layout (sheet_import.h), prints per agreement
 * what changes with --dry-run, else writes them as one change by actor and
 * prints how many are new, changed and unchanged. Problems go to standard
 * error one per line with their cell; then nothing changes and the exit code
 * is 65. Returns a sysexits code. */
#ifndef SOMON_CLI_SHEET_H
#define SOMON_CLI_SHEET_H

/* argv[0] is "sheet". */
int cli_import_sheet(const char *db, const char *actor, int argc, char **argv);

#endif
