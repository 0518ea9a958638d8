/*
 * test_streak.c - streak days, freezes and time zones: a fake clock steps
 * across midnight, missed days and a DST change.
 */
#include "learn/streak.h"

#include "base/err.h"
#include "base/tz.h"
#include "test.h"

static int32_t day_of(const char *zone, int64_t t)
{
	int32_t d = 0;
	if (tz_day(zone, t, &d) != BOT_OK)
		return -1;
	return d;
}

/* Records an answer on every day from `from` to `to`, inclusive. */
static void record_days(struct streak *s, int32_t from, int32_t to, struct streak_event *ev)
{
	int32_t d;
	for (d = from; d <= to; d++)
		streak_record(s, d, ev);
}

static void test_consecutive_days_and_same_day(void)
{
	struct streak s;
	struct streak_event ev;

	streak_init(&s);
	streak_record(&s, 100, &ev);
	CHECK(ev.extended);
	streak_record(&s, 100, &ev); /* a second answer the same day */
	CHECK(!ev.extended);
	CHECK_INT(s.current, 1);
	streak_record(&s, 101, &ev);
	CHECK_INT(s.current, 2);
	CHECK_INT(s.best, 2);
}

static void test_freeze_earned_every_seven_days_max_two(void)
{
	struct streak s;
	struct streak_event ev;

	streak_init(&s);
	record_days(&s, 1, 7, &ev);
	CHECK(ev.earned);
	CHECK_INT(s.freezes, 1);
	record_days(&s, 8, 21, &ev);
	CHECK_INT(s.current, 21);
	CHECK_INT(s.freezes, 2); /* the third freeze (day 21) is not held */
}

static void test_missed_day_spends_freeze(void)
{
	struct streak s;
	struct streak_event ev;

	streak_init(&s);
	record_days(&s, 1, 7, &ev);
	/* Day 8 missed; day 9 answered: the freeze covers day 8. */
	streak_record(&s, 9, &ev);
	CHECK_INT(ev.spent, 1);
	CHECK(!ev.broken);
	CHECK_INT(s.current, 8);
	CHECK_INT(s.freezes, 0);
}

static void test_two_missed_days_one_freeze_breaks(void)
{
	struct streak s, view;
	struct streak_event ev;

	streak_init(&s);
	record_days(&s, 1, 7, &ev);
	/* Days 8 and 9 missed with one freeze: it is spent, then the streak ends. */
	streak_view(&s, 10, &view);
	CHECK_INT(view.current, 0);
	CHECK_INT(view.freezes, 0);
	CHECK_INT(view.best, 7);
	streak_record(&s, 10, &ev);
	CHECK(ev.broken);
	CHECK_INT(ev.spent, 1);
	CHECK_INT(s.current, 1);
	CHECK_INT(s.best, 7);
}

static void test_view_today_and_yesterday_keep_streak(void)
{
	struct streak s, view;
	struct streak_event ev;

	streak_init(&s);
	streak_record(&s, 50, &ev);
	streak_record(&s, 51, &ev);
	streak_view(&s, 52, &view); /* nothing yet today: still alive */
	CHECK_INT(view.current, 2);
	streak_view(&s, 53, &view); /* day 52 missed, no freeze */
	CHECK_INT(view.current, 0);
}

/* 2026-03-28 23:30 in Berlin (UTC+1) to 2026-03-29 23:30 (UTC+2, after DST). */
static void test_midnight_in_user_zone(void)
{
	const char *berlin = "Europe/Berlin";
	int64_t before_midnight = 1774737000;            /* 2026-03-28T22:30:00Z = 23:30 CET */
	int64_t after_midnight = before_midnight + 3600; /* 00:30 CET on the 29th */
	struct streak s;
	struct streak_event ev;

	CHECK_INT(day_of(berlin, after_midnight) - day_of(berlin, before_midnight), 1);
	/* In UTC both instants are on the 28th. */
	CHECK_INT(day_of("UTC", after_midnight), day_of("UTC", before_midnight));
	streak_init(&s);
	streak_record(&s, day_of(berlin, before_midnight), &ev);
	streak_record(&s, day_of(berlin, after_midnight), &ev);
	CHECK_INT(s.current, 2);
}

static void test_dst_day_is_one_day(void)
{
	const char *ny = "America/New_York";
	/* 2026-03-08 is 23 hours long in New York (spring forward at 02:00). */
	int64_t start = 0, next = 0;
	int32_t d = tz_days_from_civil(2026, 3, 8);
	struct streak s;
	struct streak_event ev;

	CHECK_INT(tz_midnight(ny, d, &start), BOT_OK);
	CHECK_INT(tz_midnight(ny, d + 1, &next), BOT_OK);
	CHECK_INT(next - start, 23 * 3600);
	/* 23:59 local on the short day is still that day; 00:01 is the next. */
	CHECK_INT(day_of(ny, next - 60), d);
	CHECK_INT(day_of(ny, next + 60), d + 1);
	streak_init(&s);
	streak_record(&s, day_of(ny, start + 60), &ev);
	streak_record(&s, day_of(ny, next + 60), &ev);
	CHECK_INT(s.current, 2);
	/* The autumn day is 25 hours: answering at 00:30 and 23:30 is one day. */
	d = tz_days_from_civil(2026, 11, 1);
	CHECK_INT(tz_midnight(ny, d, &start), BOT_OK);
	CHECK_INT(day_of(ny, start + 30 * 60), d);
	CHECK_INT(day_of(ny, start + 24 * 3600 + 30 * 60), d); /* 23:30 local */
	CHECK_INT(day_of(ny, start + 25 * 3600 + 30 * 60), d + 1);
}

static void test_tz_names(void)
{
	CHECK(tz_valid("UTC"));
	CHECK(tz_valid("Europe/Berlin"));
	CHECK(!tz_valid("Mars/Olympus"));
	CHECK(!tz_valid("../../etc/passwd"));
	CHECK(!tz_valid(""));
	CHECK_INT(tz_weekday(tz_days_from_civil(2026, 11, 23)), 0); /* a Monday */
	int y, m, d;
	tz_civil_from_days(tz_days_from_civil(2024, 2, 29), &y, &m, &d);
	CHECK(y == 2024 && m == 2 && d == 29);
}

int main(void)
{
	T_RUN(test_consecutive_days_and_same_day);
	T_RUN(test_freeze_earned_every_seven_days_max_two);
	T_RUN(test_missed_day_spends_freeze);
	T_RUN(test_two_missed_days_one_freeze_breaks);
	T_RUN(test_view_today_and_yesterday_keep_streak);
	T_RUN(test_midnight_in_user_zone);
	T_RUN(test_dst_day_is_one_day);
	T_RUN(test_tz_names);
	return t_done();
}
