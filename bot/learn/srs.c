/*
 * srs.c - the review schedule. "Again" restarts the card at one day and
 * lowers its ease; "Hard" grows the interval slowly; "Good" follows SM-2
 * (1 day, 3 days, then interval x ease); "Easy" grows faster and raises
 * the ease. Intervals are capped at a year so a card always comes back.
 */
#include "learn/srs.h"

#include <math.h>
#include <strings.h>

#include "base/err.h"

#define MAX_INTERVAL 365.0

static const char *names[SRS_NGRADES] = {"Again", "Hard", "Good", "Easy"};

void srs_init(struct srs_state *s, int64_t now)
{
	s->ease = SRS_EASE_START;
	s->interval = 0;
	s->reps = 0;
	s->lapses = 0;
	s->due = now;
}

static double clamp_ease(double e)
{
	return e < SRS_EASE_MIN ? SRS_EASE_MIN : e;
}

static double next_interval(const struct srs_state *s, enum srs_grade g)
{
	double base;

	switch (g) {
	case SRS_AGAIN:
		return 1;
	case SRS_HARD:
		return s->interval < 1 ? 1 : fmax(s->interval + 1, s->interval * 1.2);
	case SRS_GOOD:
		if (s->reps == 0)
			return 1;
		if (s->reps == 1)
			return 3;
		return fmax(s->interval + 1, s->interval * s->ease);
	case SRS_EASY:
		base = s->reps == 0 ? 3 : fmax(s->interval + 1, s->interval * s->ease);
		return base * 1.3;
	case SRS_NGRADES:
		break;
	}
	return 1;
}

void srs_review(struct srs_state *s, enum srs_grade g, int64_t now)
{
	double iv = fmin(MAX_INTERVAL, next_interval(s, g));

	switch (g) {
	case SRS_AGAIN:
		s->ease = clamp_ease(s->ease - 0.2);
		s->reps = 0;
		s->lapses++;
		break;
	case SRS_HARD:
		s->ease = clamp_ease(s->ease - 0.15);
		s->reps++;
		break;
	case SRS_GOOD:
		s->reps++;
		break;
	case SRS_EASY:
		s->ease += 0.15;
		s->reps++;
		break;
	case SRS_NGRADES:
		break;
	}
	s->interval = iv;
	s->due = now + (int64_t)llround(iv * SRS_DAY);
}

int srs_grade_parse(const char *s, enum srs_grade *g)
{
	int i;
	for (i = 0; i < SRS_NGRADES; i++) {
		if (strcasecmp(s, names[i]) == 0) {
			*g = (enum srs_grade)i;
			return BOT_OK;
		}
	}
	return BOT_EINVAL;
}

const char *srs_grade_name(enum srs_grade g)
{
	return (unsigned)g < SRS_NGRADES ? names[g] : "?";
}

int srs_grade_score(enum srs_grade g)
{
	static const int score[SRS_NGRADES] = {0, 50, 80, 100};
	return (unsigned)g < SRS_NGRADES ? score[g] : 0;
}
