/* date.h: calendar days and recorded moments.
 *
 * A date_t counts days since 1970-01-01 in the proleptic Gregorian calendar, so
 * "the day before" is d - 1 and intervals compare as integers. DATE_NONE marks
 * an absent date (a null in somon/1). A moment_t counts microseconds since the
 * Unix epoch in UTC; it orders the changes recorded in the store.
 * Parsing is strict: a string either is a valid calendar day or it is refused.
 * Nothing here allocates. */
#ifndef SOMON_DATE_H
#define SOMON_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t date_t;
typedef int64_t moment_t;

#define DATE_NONE INT32_MIN
#define MOMENT_NONE INT64_MIN

enum { DATE_ISO_LEN = 11, MOMENT_ISO_LEN = 28, DATE_NL_LEN = 11, DATE_BASIC_LEN = 9 };

date_t date_from_ymd(int year, int month, int day);
void date_to_ymd(date_t d, int *year, int *month, int *day);
bool date_valid_ymd(int year, int month, int day);

/* "YYYY-MM-DD", nothing before or after; years 1000..9999. */
bool date_parse_iso(const char *s, date_t *out);
/* "DD/MM/YYYY", the nl-BE form people type (digits only, nothing around). */
bool date_parse_nl(const char *s, date_t *out);
/* Either form (SPEC §6: the command line and the web take both). */
bool date_parse_any(const char *s, date_t *out);
/* Writes "YYYY-MM-DD" (or "" for DATE_NONE) into buf. Returns buf. */
char *date_format_iso(date_t d, char buf[DATE_ISO_LEN]);
/* Writes "DD/MM/YYYY", the nl-BE form. Returns buf. */
char *date_format_nl(date_t d, char buf[DATE_NL_LEN]);
/* Writes "YYYYMMDD", ISO 8601's basic form (iCalendar's DATE). Returns buf. */
char *date_format_basic(date_t d, char buf[DATE_BASIC_LEN]);

/* ISO 8601 moment: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.ffffff]]" with an
 * optional "Z" or "+HH:MM"/"-HH:MM". Without an offset it is the machine's local
 * time (SPEC §6); a date alone is the start of that local day. */
bool moment_parse_iso(const char *s, moment_t *out);
/* The same, or a day as people type it (30/06/2023): the start of that local day. */
bool moment_parse_any(const char *s, moment_t *out);
/* Writes "YYYY-MM-DDTHH:MM:SS.ffffffZ" (27 characters). Returns buf. */
char *moment_format_utc(moment_t m, char buf[MOMENT_ISO_LEN]);
moment_t moment_now(void);
/* The calendar day of a moment in the machine's local time zone. */
date_t moment_local_date(moment_t m);

static inline date_t date_min(date_t a, date_t b) { return a < b ? a : b; }
static inline date_t date_max(date_t a, date_t b) { return a > b ? a : b; }

#endif
