/* date.c: see date.h. The day-number conversion is Howard Hinnant's
 * days_from_civil / civil_from_days, exact for the whole proleptic calendar. */
#define _POSIX_C_SOURCE 200809L
#include "date.h"

#include <string.h>
#include <time.h>

date_t date_from_ymd(int year, int month, int day)
{
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int mp = month > 2 ? month - 3 : month + 9;
    int doy = (153 * mp + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (date_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(date_t d, int *year, int *month, int *day)
{
    int z = d + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int m = mp < 10 ? mp + 3 : mp - 9;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = m;
    *year = yoe + era * 400 + (m <= 2);
}

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool date_valid_ymd(int year, int month, int day)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1)
        return false;
    int max = mdays[month - 1] + (month == 2 && is_leap(year));
    return day <= max;
}

/* Reads exactly n decimal digits; returns -1 when any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Parses "YYYY-MM-DD" at s without looking past it. */
static bool parse_ymd_prefix(const char *s, int *y, int *m, int *d)
{
    if (strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-')
        return false;
    *y = digits(s, 4);
    *m = digits(s + 5, 2);
    *d = digits(s + 8, 2);
    return *y >= 0 && *m >= 0 && *d >= 0 && date_valid_ymd(*y, *m, *d);
}

bool date_parse_iso(const char *s, date_t *out)
{
    int y, m, d;
    if (!s || !parse_ymd_prefix(s, &y, &m, &d) || s[10] != '\0')
        return false;
    *out = date_from_ymd(y, m, d);
    return true;
}

bool date_parse_nl(const char *s, date_t *out)
{
    if (!s || strnlen(s, 11) != 10 || s[2] != '/' || s[5] != '/')
        return false;
    int d = digits(s, 2), m = digits(s + 3, 2), y = digits(s + 6, 4);
    if (d < 0 || m < 0 || y < 0 || !date_valid_ymd(y, m, d))
        return false;
    *out = date_from_ymd(y, m, d);
    return true;
}

bool date_parse_any(const char *s, date_t *out) { return date_parse_iso(s, out) || date_parse_nl(s, out); }

/* Writes v as exactly n decimal digits (v is already in range). */
static char *put_digits(char *p, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + n;
}

/* "YYYY" sep "MM" sep "DD" (sep: nothing or one character), "" for DATE_NONE. */
static char *year_first(date_t d, char *buf, char sep)
{
    if (d == DATE_NONE) {
        buf[0] = '\0';
        return buf;
    }
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    char *p = put_digits(buf, (unsigned)y % 10000, 4);
    if (sep)
        *p++ = sep;
    p = put_digits(p, (unsigned)m, 2);
    if (sep)
        *p++ = sep;
    p = put_digits(p, (unsigned)dd, 2);
    *p = '\0';
    return buf;
}

char *date_format_iso(date_t d, char buf[DATE_ISO_LEN]) { return year_first(d, buf, '-'); }

char *date_format_basic(date_t d, char buf[DATE_BASIC_LEN]) { return year_first(d, buf, '\0'); }

char *date_format_nl(date_t d, char buf[DATE_NL_LEN])
{
    if (d == DATE_NONE) {
        buf[0] = '\0';
        return buf;
    }
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    char *p = put_digits(buf, (unsigned)dd, 2);
    *p++ = '/';
    p = put_digits(p, (unsigned)m, 2);
    *p++ = '/';
    p = put_digits(p, (unsigned)y % 10000, 4);
    *p = '\0';
    return buf;
}

/* Seconds since the epoch of a local wall-clock time, honouring DST. */
static bool local_to_epoch(int y, int mo, int d, int h, int mi, int s, int64_t *out)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1 && !(y == 1969 && mo == 12 && d == 31))
        return false;
    *out = (int64_t)t;
    return true;
}

/* Parses "HH:MM[:SS[.f…]]" at s; returns the position after it, or NULL. */
static const char *parse_clock(const char *s, int *h, int *mi, int *sec, int *usec)
{
    *sec = 0;
    *usec = 0;
    if (strnlen(s, 5) < 5 || s[2] != ':')
        return NULL;
    *h = digits(s, 2);
    *mi = digits(s + 3, 2);
    if (*h < 0 || *h > 23 || *mi < 0 || *mi > 59)
        return NULL;
    s += 5;
    if (*s == ':') {
        *sec = digits(s + 1, 2);
        if (strnlen(s, 3) < 3 || *sec < 0 || *sec > 59)
            return NULL;
        s += 3;
        if (*s == '.') {
            s++;
            int n = 0;
            while (*s >= '0' && *s <= '9') {
                if (n < 6)
                    *usec = *usec * 10 + (*s - '0');
                n++;
                s++;
            }
            if (n == 0)
                return NULL;
            for (; n < 6; n++)
                *usec *= 10;
        }
    }
    return s;
}

bool moment_parse_iso(const char *s, moment_t *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, usec = 0;
    if (!s || !parse_ymd_prefix(s, &y, &mo, &d))
        return false;
    const char *p = s + 10;
    if (*p == 'T' || *p == ' ') {
        p = parse_clock(p + 1, &h, &mi, &sec, &usec);
        if (!p)
            return false;
    } else if (*p != '\0') {
        return false;
    }
    int64_t secs;
    if (*p == '\0') {
        if (!local_to_epoch(y, mo, d, h, mi, sec, &secs))
            return false;
    } else {
        int offset = 0;
        if (*p == 'Z' && p[1] == '\0') {
            offset = 0;
        } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
            int oh = digits(p + 1, 2), om = digits(p + 4, 2);
            if (oh < 0 || oh > 23 || om < 0 || om > 59)
                return false;
            offset = (oh * 60 + om) * (*p == '+' ? 1 : -1);
        } else {
            return false;
        }
        secs = (int64_t)date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset * 60;
    }
    *out = secs * 1000000 + usec;
    return true;
}

char *moment_format_utc(moment_t m, char buf[MOMENT_ISO_LEN])
{
    int64_t secs = m >= 0 ? m / 1000000 : (m - 999999) / 1000000;
    int usec = (int)(m - secs * 1000000);
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int rem = (int)(secs - days * 86400);
    date_format_iso((date_t)days, buf);
    char *p = buf + 10;
    *p++ = 'T';
    p = put_digits(p, (unsigned)rem / 3600, 2);
    *p++ = ':';
    p = put_digits(p, (unsigned)rem / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, (unsigned)rem % 60, 2);
    *p++ = '.';
    p = put_digits(p, (unsigned)usec, 6);
    *p++ = 'Z';
    *p = '\0';
    return buf;
}

moment_t moment_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (moment_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

date_t moment_local_date(moment_t m)
{
    time_t t = (time_t)(m / 1000000);
    struct tm tm;
    localtime_r(&t, &tm);
    return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

bool moment_parse_any(const char *s, moment_t *out)
{
    date_t d;
    char iso[DATE_ISO_LEN];
    if (date_parse_nl(s, &d)) /* a day alone, as in ISO: the start of that local day */
        return moment_parse_iso(date_format_iso(d, iso), out);
    return moment_parse_iso(s, out);
}
