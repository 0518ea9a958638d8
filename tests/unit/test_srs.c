/* test_srs.c - the review schedule. */
#include "learn/srs.h"

#include "base/err.h"
#include "test.h"

#define DAY SRS_DAY

static void test_good_sequence(void)
{
	struct srs_state s;

	srs_init(&s, 0);
	srs_review(&s, SRS_GOOD, 0);
	CHECK_INT(s.due, 1 * DAY);
	srs_review(&s, SRS_GOOD, s.due);
	CHECK_INT(s.due, 4 * DAY); /* 1 + 3 days */
	srs_review(&s, SRS_GOOD, s.due);
	/* 3 days x ease 2.5 = 7.5 days */
	CHECK_INT(s.due, 4 * DAY + (int64_t)(7.5 * DAY));
	CHECK_INT(s.reps, 3);
}

static void test_again_resets_and_lowers_ease(void)
{
	struct srs_state s;

	srs_init(&s, 0);
	srs_review(&s, SRS_GOOD, 0);
	srs_review(&s, SRS_GOOD, DAY);
	srs_review(&s, SRS_AGAIN, 2 * DAY);
	CHECK_INT(s.reps, 0);
	CHECK_INT(s.lapses, 1);
	CHECK_INT(s.due, 3 * DAY);
	CHECK(s.ease < SRS_EASE_START);
	/* The ease never drops below the floor. */
	for (int i = 0; i < 20; i++)
		srs_review(&s, SRS_AGAIN, 0);
	CHECK(s.ease >= SRS_EASE_MIN);
}

static void test_easy_beats_good_beats_hard(void)
{
	struct srs_state h, g, e;

	srs_init(&h, 0);
	srs_init(&g, 0);
	srs_init(&e, 0);
	for (int i = 0; i < 3; i++) {
		srs_review(&h, SRS_HARD, 0);
		srs_review(&g, SRS_GOOD, 0);
		srs_review(&e, SRS_EASY, 0);
	}
	CHECK(h.interval < g.interval);
	CHECK(g.interval < e.interval);
	CHECK(e.ease > g.ease);
	CHECK(h.ease < g.ease);
}

static void test_interval_capped(void)
{
	struct srs_state s;

	srs_init(&s, 0);
	for (int i = 0; i < 30; i++)
		srs_review(&s, SRS_EASY, 0);
	CHECK(s.interval <= 365.0);
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
	T_RUN(test_good_sequence);
	T_RUN(test_again_resets_and_lowers_ease);
	T_RUN(test_easy_beats_good_beats_hard);
	T_RUN(test_interval_capped);
	T_RUN(test_parse);
	return t_done();
}
