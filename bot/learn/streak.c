/* streak.c - the streak rules of streak.h, as pure functions of days. */
#include "learn/streak.h"

#include <string.h>

void streak_init(struct streak *s)
{
	s->current = 0;
	s->best = 0;
	s->freezes = 0;
	s->last_day = STREAK_NO_DAY;
}

/* Walks the days missed before `day`; returns freezes spent. */
static int32_t settle_missed(struct streak *s, int32_t day, bool *broken)
{
	int32_t missed, spent = 0;

	*broken = false;
	if (s->last_day == STREAK_NO_DAY || s->current == 0)
		return 0;
	missed = day - s->last_day - 1;
	while (missed > 0) {
		if (s->freezes == 0) {
			s->current = 0;
			*broken = true;
			break;
		}
		s->freezes--;
		spent++;
		missed--;
	}
	return spent;
}

void streak_record(struct streak *s, int32_t day, struct streak_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (s->last_day != STREAK_NO_DAY && day <= s->last_day)
		return;
	ev->spent = settle_missed(s, day, &ev->broken);
	s->current++;
	s->last_day = day;
	ev->extended = true;
	if (s->current % STREAK_FREEZE_EVERY == 0 && s->freezes < STREAK_MAX_FREEZES) {
		s->freezes++;
		ev->earned = true;
	}
	if (s->current > s->best)
		s->best = s->current;
}

void streak_view(const struct streak *s, int32_t today, struct streak *out)
{
	bool broken;

	*out = *s;
	/* Today and yesterday need no freeze yet: the day is not over. */
	if (out->last_day != STREAK_NO_DAY && today > out->last_day + 1) {
		settle_missed(out, today, &broken);
		if (!broken)
			out->last_day = today - 1;
	}
}
