/*
 * test_sched.c - the daily drill's calendar: wall times across DST in
 * Europe/Berlin and America/New_York (2026's changes, written out as UTC
 * instants), the same checked against glibc's localtime_r by brute force
 * over many zones and days, weekday masks, skip, pause and holidays, and
 * the parsers of what admins type.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "base/tz.h"
#include "engine/sched.h"
#include "test.h"

/* The unix time of a UTC date and time. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
	return (int64_t)tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

static int64_t at(const char *tz, int y, int mo, int d, int h, int mi)
{
	int64_t t = -1;

	return sched_at(tz, tz_days_from_civil(y, mo, d), h * 60 + mi, &t) == BOT_OK ? t : -1;
}

static void test_berlin_ordinary_days(void)
{
	CHECK(at("Europe/Berlin", 2026, 3, 28, 9, 0) == utc(2026, 3, 28, 8, 0));   /* CET */
	CHECK(at("Europe/Berlin", 2026, 3, 29, 9, 0) == utc(2026, 3, 29, 7, 0));   /* CEST */
	CHECK(at("Europe/Berlin", 2026, 10, 25, 9, 0) == utc(2026, 10, 25, 8, 0)); /* CET */
	CHECK(at("UTC", 2026, 3, 29, 9, 0) == utc(2026, 3, 29, 9, 0));
}

/* 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC; 02:00-02:59 never happens. */
static void test_berlin_spring_forward_gap(void)
{
	CHECK(at("Europe/Berlin", 2026, 3, 29, 2, 0) == utc(2026, 3, 29, 1, 0));
	CHECK(at("Europe/Berlin", 2026, 3, 29, 2, 30) == utc(2026, 3, 29, 1, 0));
	CHECK(at("Europe/Berlin", 2026, 3, 29, 2, 59) == utc(2026, 3, 29, 1, 0));
	CHECK(at("Europe/Berlin", 2026, 3, 29, 3, 0) == utc(2026, 3, 29, 1, 0));
	CHECK(at("Europe/Berlin", 2026, 3, 29, 1, 59) == utc(2026, 3, 29, 0, 59));
}

/* 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:00-02:59 happens twice. */
static void test_berlin_fall_back_first_occurrence(void)
{
	CHECK(at("Europe/Berlin", 2026, 10, 25, 2, 30) == utc(2026, 10, 25, 0, 30));
	CHECK(at("Europe/Berlin", 2026, 10, 25, 2, 0) == utc(2026, 10, 25, 0, 0));
	CHECK(at("Europe/Berlin", 2026, 10, 25, 3, 0) == utc(2026, 10, 25, 2, 0));
}

/* 2026-03-08 02:00 EST -> 03:00 EDT at 07:00 UTC; 2026-11-01 02:00 EDT -> 01:00 EST at 06:00 UTC.
 */
static void test_new_york_both_changes(void)
{
	CHECK(at("America/New_York", 2026, 3, 8, 2, 30) == utc(2026, 3, 8, 7, 0));
	CHECK(at("America/New_York", 2026, 3, 8, 9, 0) == utc(2026, 3, 8, 13, 0));
	CHECK(at("America/New_York", 2026, 11, 1, 1, 30) == utc(2026, 11, 1, 5, 30));
	CHECK(at("America/New_York", 2026, 11, 1, 9, 0) == utc(2026, 11, 1, 14, 0));
}

/* A post at 02:30 on the fall-back day happens once: the next one is the next day's. */
static void test_fall_back_posts_once(void)
{
	struct sched_rule r = {
	    "Europe/Berlin", 150, SCHED_ALL_DAYS, SCHED_NO_DAY, SCHED_NO_DAY, NULL, 0};
	int64_t t = 0;
	int32_t day = 0;

	CHECK_INT(sched_next(&r, utc(2026, 10, 24, 12, 0), &t, &day), BOT_OK);
	CHECK(t == utc(2026, 10, 25, 0, 30));
	CHECK_INT(sched_next(&r, t + 1, &t, &day), BOT_OK);
	CHECK(t == utc(2026, 10, 26, 1, 30)); /* 02:30 CET on the 26th, not 01:30 UTC on the 25th */
	CHECK_INT(day, tz_days_from_civil(2026, 10, 26));
}

/*
 * The oracle: the first minute, scanning UTC, whose local time per glibc
 * is the wall time on that day, else the first one past it.
 */
/* TZ must name the zone. */
static int64_t brute(int32_t day, int minute)
{
	int64_t wall = (int64_t)day * 86400 + minute * 60, t;

	for (t = wall - 15 * 3600; t <= wall + 15 * 3600; t += 60) {
		time_t tt = (time_t)t;
		struct tm tm;
		int64_t local;
		localtime_r(&tt, &tm);
		local = (int64_t)tz_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) *
		            86400 +
		        tm.tm_hour * 3600 + tm.tm_min * 60;
		if (local >= wall)
			return t;
	}
	return -1;
}

static void test_against_glibc(void)
{
	static const char *zones[] = {
	    "Europe/Berlin",    "America/New_York", "Australia/Lord_Howe", "America/Sao_Paulo",
	    "Pacific/Chatham",  "Europe/Dublin",    "America/St_Johns",    "Asia/Kolkata",
	    "Australia/Sydney", "America/Santiago", "Africa/Casablanca"};
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	size_t z;
	int bad = 0;

	for (z = 0; z < sizeof(zones) / sizeof(zones[0]) && bad < 3; z++) {
		int i;
		setenv("TZ", zones[z], 1);
		tzset();
		for (i = 0; i < 120 && bad < 3; i++) {
			int32_t day;
			int minute;
			int64_t got = 0, want;
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			day = tz_days_from_civil(2020, 1, 1) + (int32_t)((rng >> 20) % 3650);
			/* half the samples at the small hours, where the changes are */
			minute = i % 2 ? (int)((rng >> 8) % 1440) : (int)((rng >> 8) % 240);
			want = brute(day, minute);
			CHECK_INT(sched_at(zones[z], day, minute, &got), BOT_OK);
			if (got != want) {
				T_FAIL("%s day %d minute %d: got %lld, glibc says %lld", zones[z],
				       day, minute, (long long)got, (long long)want);
				bad++;
			}
		}
	}
	unsetenv("TZ");
	tzset();
}

/* Every change day of 2026 in the two zones, at every 10th minute of the small hours. */
static void test_change_days_against_glibc(void)
{
	static const struct {
		const char *zone;
		int m, d;
	} days[] = {{"Europe/Berlin", 3, 29},
	            {"Europe/Berlin", 10, 25},
	            {"America/New_York", 3, 8},
	            {"America/New_York", 11, 1}};
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		int32_t day = tz_days_from_civil(2026, days[i].m, days[i].d);
		int minute;
		setenv("TZ", days[i].zone, 1);
		tzset();
		for (minute = 0; minute < 300 && bad < 3; minute += 10) {
			int64_t got = 0, want = brute(day, minute);
			sched_at(days[i].zone, day, minute, &got);
			if (got != want) {
				T_FAIL("%s 2026-%02d-%02d minute %d: got %lld, glibc %lld",
				       days[i].zone, days[i].m, days[i].d, minute, (long long)got,
				       (long long)want);
				bad++;
			}
		}
	}
	unsetenv("TZ");
	tzset();
}

static void test_weekdays_skip_pause_holidays(void)
{
	int32_t hol[1] = {tz_days_from_civil(2026, 12, 7)}; /* a Monday */
	struct sched_rule r = {"UTC", 9 * 60, SCHED_WEEKDAYS, SCHED_NO_DAY, SCHED_NO_DAY, NULL, 0};
	int64_t t = 0;
	int32_t day = 0;

	/* Friday 2026-12-04 10:00, after the post: next is Monday the 7th. */
	CHECK_INT(sched_next(&r, utc(2026, 12, 4, 10, 0), &t, &day), BOT_OK);
	CHECK(t == utc(2026, 12, 7, 9, 0));
	/* Before the post, today's. */
	CHECK_INT(sched_next(&r, utc(2026, 12, 4, 8, 59), &t, &day), BOT_OK);
	CHECK(t == utc(2026, 12, 4, 9, 0));
	/* Exactly at the time: due now. */
	CHECK_INT(sched_next(&r, utc(2026, 12, 4, 9, 0), &t, &day), BOT_OK);
	CHECK(t == utc(2026, 12, 4, 9, 0));
	r.holidays = hol;
	r.nholidays = 1;
	CHECK_INT(sched_next(&r, utc(2026, 12, 4, 10, 0), &t, &day), BOT_OK);
	CHECK(t == utc(2026, 12, 8, 9, 0));
	r.skip = tz_days_from_civil(2026, 12, 8);
	CHECK_INT(sched_next(&r, utc(2026, 12, 4, 10, 0), &t, &day), BOT_OK);
	CHECK(t == utc(2026, 12, 9, 9, 0));
	r.resume = tz_days_from_civil(2026, 12, 14);
	CHECK_INT(sched_next(&r, utc(2026, 12, 4, 10, 0), &t, &day), BOT_OK);
	CHECK(t == utc(2026, 12, 14, 9, 0));
	CHECK_INT(day, tz_days_from_civil(2026, 12, 14));
	r.days = 0;
	CHECK_INT(sched_next(&r, utc(2026, 12, 4, 10, 0), &t, &day), BOT_ENOENT);
	r.tz = "Mars/Olympus";
	r.days = SCHED_ALL_DAYS;
	CHECK_INT(sched_next(&r, utc(2026, 12, 4, 10, 0), &t, &day), BOT_EINVAL);
}

/* The weekday is the channel's local one: Monday 08:00 in Tokyo is still Sunday in UTC. */
static void test_weekday_is_local(void)
{
	struct sched_rule r = {"Asia/Tokyo", 8 * 60, 1u /* Monday */, SCHED_NO_DAY, SCHED_NO_DAY,
	                       NULL,         0};
	int64_t t = 0;
	int32_t day = 0;

	CHECK_INT(sched_next(&r, utc(2026, 12, 5, 0, 0), &t, &day), BOT_OK);
	CHECK(t == utc(2026, 12, 6, 23, 0)); /* Sunday 23:00 UTC = Monday 08:00 JST */
	CHECK_INT(tz_weekday(day), 0);
}

static void test_parse_time(void)
{
	int m = -1;

	CHECK_INT(sched_parse_time("09:00", &m), BOT_OK);
	CHECK_INT(m, 540);
	CHECK_INT(sched_parse_time("9:05", &m), BOT_OK);
	CHECK_INT(m, 545);
	CHECK_INT(sched_parse_time("23:59", &m), BOT_OK);
	CHECK_INT(m, 1439);
	CHECK_INT(sched_parse_time("0:00", &m), BOT_OK);
	CHECK_INT(m, 0);
	CHECK_INT(sched_parse_time("25:00", &m), BOT_EINVAL);
	CHECK_INT(sched_parse_time("24:00", &m), BOT_EINVAL);
	CHECK_INT(sched_parse_time("09:60", &m), BOT_EINVAL);
	CHECK_INT(sched_parse_time("9am", &m), BOT_EINVAL);
	CHECK_INT(sched_parse_time("9am-ish", &m), BOT_EINVAL);
	CHECK_INT(sched_parse_time("0900", &m), BOT_EINVAL);
	CHECK_INT(sched_parse_time("09:0", &m), BOT_EINVAL);
	CHECK_INT(sched_parse_time("09:000", &m), BOT_EINVAL);
	CHECK_INT(sched_parse_time("", &m), BOT_EINVAL);
	CHECK_INT(sched_parse_time("-1:00", &m), BOT_EINVAL);
	char out[8];
	sched_format_time(545, out, sizeof(out));
	CHECK_STR(out, "09:05");
}

static void test_parse_days(void)
{
	unsigned m = 0;
	char out[64];

	CHECK_INT(sched_parse_days("mon-fri", &m), BOT_OK);
	CHECK_INT((int)m, 0x1f);
	CHECK_INT(sched_parse_days("Mon,Wed,FRIDAY", &m), BOT_OK);
	CHECK_INT((int)m, 0x15);
	CHECK_INT(sched_parse_days("fri-mon", &m), BOT_OK);
	CHECK_INT((int)m, 0x71);
	CHECK_INT(sched_parse_days("daily", &m), BOT_OK);
	CHECK_INT((int)m, 0x7f);
	CHECK_INT(sched_parse_days("weekends", &m), BOT_OK);
	CHECK_INT((int)m, 0x60);
	CHECK_INT(sched_parse_days("", &m), BOT_EINVAL);
	CHECK_INT(sched_parse_days("funday", &m), BOT_EINVAL);
	CHECK_INT(sched_parse_days("mon,,tue", &m), BOT_EINVAL);
	CHECK_INT(sched_parse_days("mo-fr", &m), BOT_EINVAL);
	sched_format_days(0x1f, out, sizeof(out));
	CHECK_STR(out, "mon-fri");
	sched_format_days(0x15, out, sizeof(out));
	CHECK_STR(out, "mon,wed,fri");
	sched_format_days(0x7f, out, sizeof(out));
	CHECK_STR(out, "every day");
	sched_format_days(0x63, out, sizeof(out));
	CHECK_STR(out, "mon-tue,sat-sun");
}

static int64_t reveal(const char *tz, int64_t posted, int h, int mi)
{
	int64_t t = -1;

	return sched_reveal(tz, posted, h * 60 + mi, &t) == BOT_OK ? t : -1;
}

/*
 * Issue 22: the reveal of a post, in the channel's zone. On Berlin's
 * fall-back day (2026-10-25, CEST until 01:00 UTC) a post at 09:00 CET
 * reveals at 17:00 CET, 16:00 UTC; the day before (CEST) at 15:00 UTC.
 */
static void test_reveal_same_day_across_fall_back(void)
{
	CHECK(reveal("Europe/Berlin", utc(2026, 10, 25, 8, 0), 17, 0) == utc(2026, 10, 25, 16, 0));
	CHECK(reveal("Europe/Berlin", utc(2026, 10, 24, 7, 0), 17, 0) == utc(2026, 10, 24, 15, 0));
	/* A post made late in the night before the change, revealed after it. */
	CHECK(reveal("Europe/Berlin", utc(2026, 10, 24, 22, 0), 9, 0) == utc(2026, 10, 25, 8, 0));
	/* 02:30 happens twice on the change day: the reveal is the first, once. */
	CHECK(reveal("Europe/Berlin", utc(2026, 10, 24, 22, 30), 2, 30) ==
	      utc(2026, 10, 25, 0, 30));
	CHECK(reveal("Europe/Berlin", utc(2026, 10, 25, 0, 30), 2, 30) == utc(2026, 10, 26, 1, 30));
}

/* 2026-03-29 02:30 never happens in Berlin: a reveal then is at 03:00 CEST, 01:00 UTC. */
static void test_reveal_skipped_by_spring_forward(void)
{
	CHECK(reveal("Europe/Berlin", utc(2026, 3, 29, 0, 0), 2, 30) == utc(2026, 3, 29, 1, 0));
	CHECK(reveal("Europe/Berlin", utc(2026, 3, 29, 7, 0), 17, 0) == utc(2026, 3, 29, 15, 0));
	CHECK(reveal("America/New_York", utc(2026, 3, 8, 6, 0), 2, 30) == utc(2026, 3, 8, 7, 0));
}

/* A reveal time at or before the post's is the next day's; never the post's own instant. */
static void test_reveal_next_day(void)
{
	CHECK(reveal("Europe/Berlin", utc(2026, 10, 25, 16, 0), 9, 0) == utc(2026, 10, 26, 8, 0));
	CHECK(reveal("Europe/Berlin", utc(2026, 10, 25, 8, 0), 9, 0) == utc(2026, 10, 26, 8, 0));
	CHECK(reveal("UTC", utc(2026, 12, 31, 23, 59), 0, 0) == utc(2027, 1, 1, 0, 0));
	CHECK(reveal("Mars/Olympus", utc(2026, 12, 31, 23, 59), 0, 0) == -1);
}

static void test_parse_dates(void)
{
	int32_t d[SCHED_HOLIDAYS];
	size_t n = 0;
	char out[SCHED_DATES_SIZE];

	CHECK_INT(sched_parse_dates("2026-12-31,2026-12-24", d, SCHED_HOLIDAYS, &n), BOT_OK);
	CHECK_INT((int)n, 2);
	CHECK_INT(d[0], tz_days_from_civil(2026, 12, 24));
	sched_format_dates(d, n, out, sizeof(out));
	CHECK_STR(out, "2026-12-24,2026-12-31");
	CHECK_INT(sched_parse_dates("2026-02-30", d, SCHED_HOLIDAYS, &n), BOT_EINVAL);
	CHECK_INT(sched_parse_dates("2028-02-29", d, SCHED_HOLIDAYS, &n), BOT_OK);
	CHECK_INT(sched_parse_dates("24.12.2026", d, SCHED_HOLIDAYS, &n), BOT_EINVAL);
	CHECK_INT(sched_parse_dates("", d, SCHED_HOLIDAYS, &n), BOT_EINVAL);
	CHECK_INT(sched_parse_dates("2026-12-24,2026-12-25,2026-12-26", d, 2, &n), BOT_ETOOBIG);
}

int main(void)
{
	T_RUN(test_berlin_ordinary_days);
	T_RUN(test_berlin_spring_forward_gap);
	T_RUN(test_berlin_fall_back_first_occurrence);
	T_RUN(test_new_york_both_changes);
	T_RUN(test_fall_back_posts_once);
	T_RUN(test_against_glibc);
	T_RUN(test_change_days_against_glibc);
	T_RUN(test_weekdays_skip_pause_holidays);
	T_RUN(test_weekday_is_local);
	T_RUN(test_parse_time);
	T_RUN(test_parse_days);
	T_RUN(test_parse_dates);
	T_RUN(test_reveal_same_day_across_fall_back);
	T_RUN(test_reveal_skipped_by_spring_forward);
	T_RUN(test_reveal_next_day);
	return t_done();
}
