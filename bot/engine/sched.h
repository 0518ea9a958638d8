/*
 * sched.h - when a channel's daily drill posts: the next local time that
 * is on a chosen weekday, not skipped, paused or a holiday, computed in
 * the channel's IANA zone across DST, and the parsers for how people
 * write times, weekdays and dates. Pure: the instant to start from is
 * passed in.
 */
#ifndef BOT_SCHED_H
#define BOT_SCHED_H

#include <stddef.h>
#include <stdint.h>

#define SCHED_NO_DAY     INT32_MIN /* skip_day / pause_until when none is set */
#define SCHED_HOLIDAYS   32        /* dates one channel can mark off */
#define SCHED_ALL_DAYS   0x7fu     /* bit 0 = Monday ... bit 6 = Sunday */
#define SCHED_WEEKDAYS   0x1fu
#define SCHED_HORIZON    400 /* days searched ahead before giving up */
#define SCHED_DATES_SIZE (SCHED_HOLIDAYS * 11 + 1)

struct sched_rule {
	const char *tz; /* an IANA zone the tz module knows */
	int minute;     /* local minute of the day, 0..1439 */
	unsigned days;  /* weekdays to post on */
	int32_t skip;   /* one local day not to post on, or SCHED_NO_DAY */
	int32_t resume; /* no post before this local day, or SCHED_NO_DAY */
	const int32_t *holidays;
	size_t nholidays;
};

/*
 * The instant local time `minute` happens on local `day` in tz. A time the
 * clocks skip (spring forward) gives the first valid instant after it,
 * the moment of the change; a time that happens twice (fall back) gives
 * its first occurrence. BOT_EINVAL for a zone tz cannot read.
 */
int sched_at(const char *tz, int32_t day, int minute, int64_t *at);

/*
 * The first post of rule at or after from: its instant and local day.
 * BOT_ENOENT when there is none within SCHED_HORIZON days (no weekday
 * chosen, or every one a holiday); BOT_EINVAL for a bad zone.
 */
int sched_next(const struct sched_rule *rule, int64_t from, int64_t *at, int32_t *day);

/*
 * When the answers to a post made at posted are revealed: the first
 * instant after posted at which local time minute happens in tz, on the
 * post's day or the next (a reveal time before the post's time is the
 * next day's). As sched_at: a time the clocks skip gives the moment of
 * the change, one that happens twice its first occurrence, so a reveal
 * happens once. BOT_EINVAL for a zone tz cannot read (BOT_ENOENT, for a
 * zone that skipped three days, cannot happen with tzdata).
 */
int sched_reveal(const char *tz, int64_t posted, int minute, int64_t *at);

/* "09:00", "9:05", "17:30" into a minute of the day; BOT_EINVAL for anything else. */
int sched_parse_time(const char *s, int *minute);
/* "HH:MM" of a minute of the day, into out (6 bytes at least). */
void sched_format_time(int minute, char *out, size_t size);
/*
 * Weekdays: "mon-fri", "mon,wed,fri", "sat-sun", "daily", "weekdays",
 * "weekends" (any case; names of three letters or in full; a range may
 * wrap: "fri-mon"). BOT_EINVAL for an empty set or an unknown word.
 */
int sched_parse_days(const char *s, unsigned *mask);
/* "mon-fri" style text of a mask, into out: "mon-fri", "mon,wed", "every day". */
void sched_format_days(unsigned mask, char *out, size_t size);
/*
 * Dates "2026-12-24" or "2026-12-24,2026-12-31" into day numbers, at most
 * max of them, sorted; *n how many. BOT_EINVAL for a bad date, BOT_ETOOBIG
 * for more than max.
 */
int sched_parse_dates(const char *s, int32_t *days, size_t max, size_t *n);
/* The dates of days (sorted) as "2026-12-24,2026-12-31" into out (SCHED_DATES_SIZE). */
void sched_format_dates(const int32_t *days, size_t n, char *out, size_t size);

#endif
