/*
 * streak.h - daily streaks with earned freezes. Days are local calendar
 * day numbers (see tz_day); the caller picks the user's time zone.
 *
 * One graded answer on a day keeps the streak. Every 7th consecutive day
 * earns a freeze (at most STREAK_MAX_FREEZES held). Each missed day spends
 * one freeze automatically; a missed day with no freeze left ends the
 * streak. Frozen days keep the streak alive but do not add to it.
 */
#ifndef BOT_STREAK_H
#define BOT_STREAK_H

#include <stdbool.h>
#include <stdint.h>

#define STREAK_MAX_FREEZES  2
#define STREAK_FREEZE_EVERY 7
#define STREAK_NO_DAY       INT32_MIN

struct streak {
	int32_t current; /* days in the running streak */
	int32_t best;
	int32_t freezes;  /* held, 0..STREAK_MAX_FREEZES */
	int32_t last_day; /* last day with an answer, or STREAK_NO_DAY */
};

/* What one streak_record() call changed, for the reply. */
struct streak_event {
	bool extended; /* today is a new streak day */
	bool broken;   /* the previous streak had ended */
	int32_t spent; /* freezes spent on missed days */
	bool earned;   /* a freeze was earned today */
};

void streak_init(struct streak *s);
/* Records a graded answer on local day `day`. Days before last_day are ignored. */
void streak_record(struct streak *s, int32_t day, struct streak_event *ev);
/*
 * The streak as seen on `today` with no answer yet: missed days since
 * last_day spend freezes or end the streak. Does not change s.
 */
void streak_view(const struct streak *s, int32_t today, struct streak *out);

#endif
