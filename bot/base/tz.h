/*
 * tz.h - IANA time zones by name, read from the system tz database
 * (/usr/share/zoneinfo, Debian's tzdata, or $TZDIR) and cached per zone.
 * Conversions are pure functions of the instant passed in; nothing here
 * reads the clock or touches the process environment.
 */
#ifndef BOT_TZ_H
#define BOT_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TZ_NAME_MAX 64

/* The tz database folder: $TZDIR, else /usr/share/zoneinfo. */
const char *tz_dir(void);
/* Whether name is shaped like a zone name (letters, digits, "_+-/", no ".."). */
bool tz_name_ok(const char *name);
/* Frees the parsed zones (they are otherwise kept for the process's life). */
void tz_cache_clear(void);
/* True for "UTC" and for names with a readable TZif file in the tz database. */
bool tz_valid(const char *name);
/*
 * A hint for a name tz_valid refused, in out (empty when there is none):
 * "did you mean Europe/Berlin?" for a wrong case, and what to use for an
 * abbreviation or an offset ("PST", "UTC+2").
 */
void tz_hint(const char *name, char *out, size_t size);
/* For a valid Etc/GMT+N zone, the note that its sign is inverted; else "". */
void tz_note(const char *name, char *out, size_t size);
/* Broken-down local time of unix time t in zone name. BOT_EINVAL for a bad zone. */
int tz_local(const char *name, int64_t t, struct tm *out);
/* The local calendar day of t in zone name, as days since 1970-01-01. */
int tz_day(const char *name, int64_t t, int32_t *day);
/* Unix time of local midnight starting day number `day` in zone name. */
int tz_midnight(const char *name, int32_t day, int64_t *out);
/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
int32_t tz_days_from_civil(int y, int m, int d);
/* The date of a day number (inverse of tz_days_from_civil). */
void tz_civil_from_days(int32_t days, int *y, int *m, int *d);
/*
 * An RFC 3339 instant: "2026-03-29T08:59:50+02:00", "...Z", or without an
 * offset for UTC ("2026-03-29T06:59:50"); seconds may be left out.
 * BOT_EINVAL for anything else or a date that does not exist.
 */
int tz_parse_instant(const char *s, int64_t *t);
/* Weekday of a day number: 0 = Monday ... 6 = Sunday. */
int tz_weekday(int32_t day);

#endif
