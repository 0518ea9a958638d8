/*
 * test_srs.c - the FSRS-6 schedule. The known-answer vectors were computed
 * with the reference TypeScript implementation (ts-fsrs 5.4.2, long-term
 * scheduler, default weights, no fuzz): each step is the days since the
 * previous review and a rating, and the stability, difficulty, interval and
 * lapses after it.
 */
#include "learn/srs.h"

#include <math.h>

#include "base/err.h"
#include "test.h"

#define DAY SRS_DAY

struct step {
	int days;
	enum srs_grade g;
	double s, d;
	int interval, lapses;
};

static struct srs_params P;

/* Replays steps from a new card; returns the index of a failing step or -1. */
static int replay(const struct srs_params *p, const struct step *v, int n, struct srs_state *out)
{
	struct srs_state st;
	int64_t now = 1700000000;

	srs_init(&st, now);
	for (int i = 0; i < n; i++) {
		now += (int64_t)v[i].days * DAY;
		srs_review(p, &st, v[i].g, now);
		if (fabs(st.card.stability - v[i].s) > 1e-6 ||
		    fabs(st.card.difficulty - v[i].d) > 1e-6 || st.card.interval != v[i].interval ||
		    st.card.lapses != v[i].lapses ||
		    st.card.due != now + (int64_t)v[i].interval * DAY) {
			printf("  step %d: S %.8f D %.8f interval %d lapses %d\n", i,
			       st.card.stability, st.card.difficulty, st.card.interval,
			       st.card.lapses);
			return i;
		}
	}
	if (out != NULL)
		*out = st;
	return -1;
}

static void test_vectors_good_run(void)
{
	static const struct step v[] = {
	    {0, SRS_GOOD, 2.30650000, 2.11810397, 3, 0},
	    {1, SRS_GOOD, 7.31530068, 2.11121424, 7, 0},
	    {3, SRS_GOOD, 19.83347414, 2.10433140, 20, 0},
	    {8, SRS_GOOD, 48.19959323, 2.09745544, 48, 0},
	    {21, SRS_GOOD, 111.68680699, 2.09058635, 112, 0},
	};
	CHECK_INT(replay(&P, v, 5, NULL), -1);
}

static void test_vectors_with_lapses(void)
{
	static const struct step v[] = {
	    {0, SRS_AGAIN, 0.212, 6.4133, 1, 0},
	    {1, SRS_GOOD, 1.88678762, 6.40211507, 3, 0},
	    {2, SRS_AGAIN, 0.50506505, 8.80262806, 1, 1},
	    {1, SRS_HARD, 1.13599618, 9.19035708, 2, 1},
	    {5, SRS_EASY, 5.99224757, 8.90504052, 6, 1},
	};
	static const struct step w[] = {
	    {0, SRS_HARD, 1.2931, 5.11217071, 2, 0},
	    {3, SRS_AGAIN, 0.43101359, 8.37863212, 1, 1},
	    {1, SRS_GOOD, 1.63395179, 8.36548186, 3, 1},
	    {30, SRS_GOOD, 10.32825719, 8.35234475, 10, 1},
	};
	CHECK_INT(replay(&P, v, 5, NULL), -1);
	CHECK_INT(replay(&P, w, 4, NULL), -1);
}

static void test_vectors_easy_then_hard(void)
{
	static const struct step v[] = {
	    {0, SRS_EASY, 8.2956, 1.0, 8, 0},
	    {10, SRS_EASY, 75.34793403, 1.0, 75, 0},
	    {40, SRS_HARD, 148.58235746, 4.01060897, 149, 0},
	};
	CHECK_INT(replay(&P, v, 3, NULL), -1);
}

/* The issue: on a first review Again, Hard and Good all said one day. */
static void test_four_ratings_four_intervals(void)
{
	static const int first[SRS_NGRADES] = {1, 2, 3, 8};
	static const struct step after[SRS_NGRADES] = {
	    {3, SRS_AGAIN, 0.63685069, 7.39450274, 1, 1},
	    {3, SRS_HARD, 9.23487052, 4.75285849, 9, 0},
	    {3, SRS_GOOD, 13.82690327, 2.11121424, 14, 0},
	    {3, SRS_EASY, 23.88306328, 1.0, 24, 0},
	};
	for (int g = 0; g < SRS_NGRADES; g++) {
		struct srs_state st;
		srs_init(&st, 0);
		srs_review(&P, &st, (enum srs_grade)g, 0);
		CHECK_INT(st.card.interval, first[g]);
		CHECK_INT(st.card.due, (int64_t)first[g] * DAY);
	}
	for (int g = 0; g < SRS_NGRADES; g++) {
		struct step v[2] = {{0, SRS_GOOD, 2.3065, 2.11810397, 3, 0}, after[g]};
		CHECK_INT(replay(&P, v, 2, NULL), -1);
	}
}

static void test_lapse_shortens(void)
{
	struct srs_state st;
	int64_t now = 0;

	srs_init(&st, now);
	for (int i = 0; i < 4; i++) {
		srs_review(&P, &st, SRS_GOOD, now);
		now = st.card.due;
	}
	int before = st.card.interval;
	double s = st.card.stability;
	srs_review(&P, &st, SRS_AGAIN, now);
	CHECK(before > 20);
	CHECK(st.card.interval < before / 4);
	CHECK(st.card.stability < s);
	CHECK_INT(st.card.lapses, 1);
	CHECK_INT(st.card.reps, 5);
}

static void test_retention_changes_intervals(void)
{
	struct srs_params low;
	struct srs_state st;

	srs_params_default(&low, 0.8);
	srs_init(&st, 0);
	srs_review(&low, &st, SRS_GOOD, 0);
	CHECK_INT(st.card.interval, 8);
	srs_review(&low, &st, SRS_GOOD, 4 * DAY);
	CHECK_NEAR(st.card.stability, 16.17726312, 1e-6);
	CHECK_INT(st.card.interval, 54);
	/* Out of range falls back to the default. */
	srs_params_default(&low, 1.5);
	CHECK_NEAR(low.retention, SRS_RETENTION, 1e-12);
}

/* A self-grade right after a scored answer replaces it: the card ends as if
 * only the self-grade had been given, at the answer's time. */
static void test_regrade_replaces(void)
{
	struct srs_state a, b;
	int64_t t = 10 * DAY;

	srs_init(&a, 0);
	srs_init(&b, 0);
	srs_review(&P, &a, SRS_GOOD, 0);
	srs_review(&P, &b, SRS_GOOD, 0);
	srs_review(&P, &a, SRS_AGAIN, t);
	CHECK(srs_regrade(&P, &a, SRS_EASY, t + 3600));
	srs_review(&P, &b, SRS_EASY, t);
	CHECK_NEAR(a.card.stability, b.card.stability, 1e-12);
	CHECK_NEAR(a.card.difficulty, b.card.difficulty, 1e-12);
	CHECK_INT(a.card.reps, b.card.reps);
	CHECK_INT(a.card.lapses, 0);
	CHECK_INT(a.card.due, b.card.due);
	/* Twice in a row still replaces the same review. */
	CHECK(srs_regrade(&P, &a, SRS_HARD, t + 7200));
	CHECK_INT(a.card.reps, 2);
	/* A new card graded straight away. */
	srs_init(&a, 0);
	CHECK(!srs_regrade(&P, &a, SRS_GOOD, 0));
	CHECK_INT(a.card.interval, 3);
	/* Past the window it is a review of its own. */
	CHECK(!srs_regrade(&P, &a, SRS_GOOD, SRS_REGRADE_WINDOW + 1));
	CHECK_INT(a.card.reps, 2);
}

/* A year of daily use over 50 cards, with answers of every quality, keeps
 * every state finite and in range and every due date on whole days. */
static void test_year_does_not_drift(void)
{
	struct srs_state cards[50];
	unsigned seed = 12345;
	int reviews = 0;

	for (int i = 0; i < 50; i++)
		srs_init(&cards[i], 0);
	for (int64_t day = 0; day < 365; day++) {
		int64_t now = day * DAY;
		for (int i = 0; i < 50; i++) {
			struct srs_card *c = &cards[i].card;
			if (c->due > now)
				continue;
			seed = seed * 1103515245u + 12345u;
			enum srs_grade g = (enum srs_grade)((seed >> 16) % 10 < 1   ? SRS_AGAIN
			                                    : (seed >> 16) % 10 < 3 ? SRS_HARD
			                                    : (seed >> 16) % 10 < 9 ? SRS_GOOD
			                                                            : SRS_EASY);
			srs_review(&P, &cards[i], g, now);
			reviews++;
			CHECK(isfinite(c->stability) && c->stability >= 0.001);
			CHECK(c->stability <= SRS_MAX_INTERVAL);
			CHECK(c->difficulty >= 1.0 && c->difficulty <= 10.0);
			CHECK(c->interval >= 1 && c->interval <= SRS_MAX_INTERVAL);
			CHECK_INT((c->due - c->last_review) % DAY, 0);
			CHECK_INT((c->due - c->last_review) / DAY, c->interval);
		}
	}
	/* Mostly Good: cards spread out, so far fewer than a review a day each. */
	CHECK(reviews > 50 * 5);
	CHECK(reviews < 50 * 60);
}

static void test_rating_from_score(void)
{
	CHECK_INT(srs_rating_from_score(0), SRS_AGAIN);
	CHECK_INT(srs_rating_from_score(39), SRS_AGAIN);
	CHECK_INT(srs_rating_from_score(40), SRS_HARD);
	CHECK_INT(srs_rating_from_score(60), SRS_GOOD);
	CHECK_INT(srs_rating_from_score(89), SRS_GOOD);
	CHECK_INT(srs_rating_from_score(90), SRS_EASY);
	CHECK_INT(srs_rating_from_score(100), SRS_EASY);
}

/* An SM-2 card keeps its schedule, and its ease becomes a difficulty:
 * a card SM-2 found easy is easier under FSRS too. */
static void test_from_sm2(void)
{
	struct srs_card easy, hard, fresh;

	srs_from_sm2(&P, 2.8, 10, 3, 0, 100 * DAY, &easy);
	srs_from_sm2(&P, 1.3, 10, 3, 2, 100 * DAY, &hard);
	srs_from_sm2(&P, 2.5, 0, 0, 0, 5 * DAY, &fresh);
	CHECK_INT(easy.due, 100 * DAY);
	CHECK_INT(easy.interval, 10);
	CHECK_INT(easy.last_review, 90 * DAY);
	CHECK_NEAR(easy.stability, 10, 1e-12);
	CHECK(easy.difficulty < hard.difficulty);
	CHECK(easy.difficulty >= 1.0 && hard.difficulty <= 10.0);
	CHECK_INT(hard.reps, 5);
	CHECK_INT(hard.lapses, 2);
	CHECK_INT(fresh.reps, 0);
	CHECK_INT(fresh.due, 5 * DAY);
	/* Reviewed Good at its due date, the converted card grows by about
	 * the SM-2 ease it had. */
	struct srs_state st = {.card = easy, .prev = easy, .has_prev = false};
	srs_review(&P, &st, SRS_GOOD, easy.due);
	CHECK_NEAR(st.card.stability / 10.0, 2.8, 0.05);
}

static void test_parse(void)
{
	enum srs_grade g = SRS_AGAIN;
	CHECK_INT(srs_grade_parse("Good", &g), BOT_OK);
	CHECK_INT(g, SRS_GOOD);
	CHECK_INT(srs_grade_parse("easy", &g), BOT_OK);
	CHECK_INT(g, SRS_EASY);
	CHECK_INT(srs_grade_parse("great", &g), BOT_EINVAL);
	CHECK_STR(srs_grade_name(SRS_HARD), "Hard");
}

int main(void)
{
	srs_params_default(&P, SRS_RETENTION);
	T_RUN(test_vectors_good_run);
	T_RUN(test_vectors_with_lapses);
	T_RUN(test_vectors_easy_then_hard);
	T_RUN(test_four_ratings_four_intervals);
	T_RUN(test_lapse_shortens);
	T_RUN(test_retention_changes_intervals);
	T_RUN(test_regrade_replaces);
	T_RUN(test_year_does_not_drift);
	T_RUN(test_rating_from_score);
	T_RUN(test_from_sm2);
	T_RUN(test_parse);
	return t_done();
}
