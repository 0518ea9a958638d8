/*
 * srs.c - FSRS-6 in long-term mode. The formulas are those of the FSRS
 * algorithm description (open-spaced-repetition, "The Algorithm", FSRS-6)
 * and agree with its reference implementations to 1e-6 on the vectors in
 * tests/unit/test_srs.c:
 *
 *   R(t, S)   = (1 + F t / S)^-w20, F = 0.9^(-1/w20) - 1, so R(S, S) = 0.9
 *   S0(G)     = w[G-1];  D0(G) = w4 - e^(w5 (G-1)) + 1
 *   D'        = w7 D0(Easy) + (1 - w7) (D - w6 (G-3) (10-D)/9)
 *   S'recall  = S (1 + e^w8 (11-D) S^-w9 (e^(w10 (1-R)) - 1) hard easy)
 *   S'forget  = min(S, w11 D^-w12 ((S+1)^w13 - 1) e^(w14 (1-R)))
 *   interval  = S ((retention^(-1/w20) - 1) / F), rounded, at least 1 day
 *
 * The four ratings' intervals are made strictly increasing, as the
 * reference scheduler does, so Again, Hard, Good and Easy always differ.
 */
#include "learn/srs.h"

#include <math.h>
#include <strings.h>

#include "base/err.h"

#define S_MIN 0.001
#define D_MIN 1.0
#define D_MAX 10.0

static const char *names[SRS_NGRADES] = {"Again", "Hard", "Good", "Easy"};

static const double default_w[SRS_NWEIGHTS] = {
    0.212,  1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001,  1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542};

void srs_params_default(struct srs_params *p, double retention)
{
	for (int i = 0; i < SRS_NWEIGHTS; i++)
		p->w[i] = default_w[i];
	p->retention = retention >= 0.7 && retention <= 0.97 ? retention : SRS_RETENTION;
	p->max_interval = SRS_MAX_INTERVAL;
}

void srs_init(struct srs_state *s, int64_t now)
{
	const struct srs_card fresh = {.due = now, .last_review = now};

	s->card = fresh;
	s->prev = fresh;
	s->has_prev = false;
}

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static double decay(const struct srs_params *p)
{
	return -p->w[20];
}

static double factor(const struct srs_params *p)
{
	return pow(0.9, 1.0 / decay(p)) - 1.0;
}

/* The reference implementation rounds R, S and D to 8 decimals at each
 * step; doing the same keeps long schedules identical to it. */
static double round8(double x)
{
	return round(x * 1e8) / 1e8;
}

static double recall(const struct srs_params *p, double days, double stability)
{
	return round8(pow(1.0 + factor(p) * days / stability, decay(p)));
}

static double init_difficulty(const struct srs_params *p, enum srs_grade g)
{
	return p->w[4] - exp(p->w[5] * (double)g) + 1.0;
}

static double next_difficulty(const struct srs_params *p, double d, enum srs_grade g)
{
	double delta = -p->w[6] * ((double)g - 2.0);
	double damped = d + delta * (10.0 - d) / 9.0;

	/* Mean reversion towards the unclamped D0(Easy), as the reference does. */
	return clamp(round8(p->w[7] * init_difficulty(p, SRS_EASY) + (1.0 - p->w[7]) * damped),
	             D_MIN, D_MAX);
}

static double next_stability(const struct srs_params *p, const struct srs_card *c, double r,
                             enum srs_grade g)
{
	const double *w = p->w;
	double d = c->difficulty, s = c->stability;

	if (g == SRS_AGAIN) {
		double f =
		    w[11] * pow(d, -w[12]) * (pow(s + 1.0, w[13]) - 1.0) * exp(w[14] * (1.0 - r));
		return fmin(fmax(s, S_MIN), clamp(round8(f), S_MIN, SRS_MAX_INTERVAL));
	}
	double grow = exp(w[8]) * (11.0 - d) * pow(s, -w[9]) * (exp(w[10] * (1.0 - r)) - 1.0);
	if (g == SRS_HARD)
		grow *= w[15];
	if (g == SRS_EASY)
		grow *= w[16];
	return clamp(round8(s * (1.0 + grow)), S_MIN, SRS_MAX_INTERVAL);
}

static int interval_days(const struct srs_params *p, double stability)
{
	double modifier = (pow(p->retention, 1.0 / decay(p)) - 1.0) / factor(p);
	double days = round(stability * modifier);

	return (int)clamp(days, 1, p->max_interval);
}

/* The card after each of the four ratings, reviewed at time now. */
static void next_cards(const struct srs_params *p, const struct srs_card *c, int64_t now,
                       struct srs_card out[SRS_NGRADES])
{
	int64_t elapsed = now > c->last_review ? (now - c->last_review) / SRS_DAY : 0;
	double r = recall(p, (double)elapsed, c->stability > 0 ? c->stability : S_MIN);
	int g;

	for (g = 0; g < SRS_NGRADES; g++) {
		struct srs_card *n = &out[g];
		*n = *c;
		if (c->reps == 0) {
			n->stability = fmax(p->w[g], 0.1);
			n->difficulty = clamp(init_difficulty(p, (enum srs_grade)g), D_MIN, D_MAX);
		} else {
			n->stability = next_stability(p, c, r, (enum srs_grade)g);
			n->difficulty = next_difficulty(p, c->difficulty, (enum srs_grade)g);
			if (g == SRS_AGAIN)
				n->lapses++;
		}
		n->reps++;
		n->last_review = now;
		n->interval = interval_days(p, n->stability);
	}
	/* Again <= Hard < Good < Easy, so every rating means something. */
	if (out[SRS_AGAIN].interval > out[SRS_HARD].interval)
		out[SRS_AGAIN].interval = out[SRS_HARD].interval;
	for (g = SRS_HARD; g < SRS_NGRADES; g++)
		if (out[g].interval <= out[g - 1].interval)
			out[g].interval = out[g - 1].interval + 1;
	for (g = 0; g < SRS_NGRADES; g++) {
		if (out[g].interval > p->max_interval)
			out[g].interval = p->max_interval;
		out[g].due = now + (int64_t)out[g].interval * SRS_DAY;
	}
}

void srs_review(const struct srs_params *p, struct srs_state *s, enum srs_grade g, int64_t now)
{
	struct srs_card next[SRS_NGRADES];

	if ((unsigned)g >= SRS_NGRADES)
		g = SRS_AGAIN;
	next_cards(p, &s->card, now, next);
	s->prev = s->card;
	s->has_prev = true;
	s->card = next[g];
}

bool srs_regrade(const struct srs_params *p, struct srs_state *s, enum srs_grade g, int64_t now)
{
	int64_t at = s->card.last_review;

	if (!s->has_prev || s->card.reps == 0 || now < at || now - at > SRS_REGRADE_WINDOW) {
		srs_review(p, s, g, now);
		return false;
	}
	s->card = s->prev;
	srs_review(p, s, g, at);
	return true;
}

enum srs_grade srs_rating_from_score(int score)
{
	if (score >= 90)
		return SRS_EASY;
	if (score >= 60)
		return SRS_GOOD;
	if (score >= 40)
		return SRS_HARD;
	return SRS_AGAIN;
}

void srs_from_sm2(const struct srs_params *p, double ease, double interval, int reps, int lapses,
                  int64_t due, struct srs_card *c)
{
	const double *w = p->w;
	double s, growth;

	c->reps = reps + lapses;
	c->lapses = lapses;
	c->due = due;
	if (c->reps == 0 || interval <= 0) {
		*c = (struct srs_card){.due = due, .last_review = due};
		return;
	}
	/* SM-2's interval is when it expected recall to fade; its ease is how
	 * much the interval grows on a good review at the due date. FSRS's
	 * growth there is 1 + e^w8 (11-D) S^-w9 (e^(0.1 w10) - 1); solve for D. */
	s = fmax(interval, 0.1);
	growth = exp(w[8]) * pow(s, -w[9]) * (exp(0.1 * w[10]) - 1.0);
	c->stability = s;
	c->difficulty = clamp(11.0 - (fmax(ease, 1.0) - 1.0) / growth, D_MIN, D_MAX);
	c->interval = (int)clamp(round(interval), 1, p->max_interval);
	c->last_review = due - (int64_t)c->interval * SRS_DAY;
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
