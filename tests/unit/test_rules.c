/* test_rules.c - what an answer earns (engine/rules.c), rule by rule. */
#include "engine/rules.h"

#include "test.h"

#define DAY 86400
#define NOW (1000 * DAY)

static struct rules_effect apply(int score, int copied, int64_t last_answer, int64_t last_points,
                                 int64_t last_reveal, bool daily)
{
	struct rules_answer a = {.score = score,
	                         .copied = copied,
	                         .history = {last_answer, last_points, last_reveal},
	                         .daily_first = daily,
	                         .now = NOW};
	struct rules_effect e;

	rules_apply(&a, &e);
	return e;
}

static void test_first_answer_earns_its_score(void)
{
	struct rules_effect e = apply(80, 10, 0, 0, 0, false);
	CHECK_INT(e.why, RULES_EARNED);
	CHECK_INT(e.points, 80);
	CHECK_INT(e.bonus, 0);
	CHECK(e.evidence && e.streak && !e.paste);
	e = apply(0, 0, 0, 0, 0, true);
	CHECK_INT(e.why, RULES_ZERO);
	CHECK_INT(e.points, 0);
	CHECK_INT(e.bonus, 0); /* no bonus for nothing */
	CHECK(e.evidence && e.streak);
}

static void test_once_per_window(void)
{
	struct rules_effect e = apply(90, 0, NOW - 10 * DAY, NOW - 10 * DAY, 0, false);
	CHECK_INT(e.why, RULES_REPEAT);
	CHECK_INT(e.points, 0);
	CHECK_INT(e.until, NOW + 20 * DAY);
	CHECK(e.evidence); /* ten days on, it is fresh evidence for the schedule */
	/* Exactly 30 days on, it earns again. */
	e = apply(90, 0, NOW - 30 * DAY, NOW - 30 * DAY, 0, false);
	CHECK_INT(e.why, RULES_EARNED);
	/* An earlier answer that earned nothing does not block points. */
	e = apply(90, 0, NOW - 60, 0, 0, false);
	CHECK_INT(e.why, RULES_EARNED);
	CHECK(!e.evidence); /* but a minute later is not new evidence */
}

static void test_reveal_blocks_points(void)
{
	struct rules_effect e = apply(100, 0, 0, 0, NOW - 3600, true);
	CHECK_INT(e.why, RULES_REVEALED);
	CHECK_INT(e.points, 0);
	CHECK_INT(e.bonus, 0);
	CHECK(!e.evidence);
	CHECK(e.streak);
	CHECK_INT(e.until, NOW - 3600 + 30 * DAY);
	e = apply(100, 0, 0, 0, NOW - 2 * DAY, false);
	CHECK_INT(e.why, RULES_REVEALED);
	CHECK(e.evidence); /* recalled two days after reading: a real review */
	e = apply(100, 0, 0, 0, NOW - 31 * DAY, false);
	CHECK_INT(e.why, RULES_EARNED);
}

static void test_paste_earns_nothing(void)
{
	struct rules_effect e = apply(100, RULES_PASTE_SHARE, 0, 0, 0, true);
	CHECK_INT(e.why, RULES_PASTE);
	CHECK_INT(e.points, 0);
	CHECK(e.paste && !e.evidence && !e.streak);
	e = apply(100, RULES_PASTE_SHARE - 1, 0, 0, 0, false);
	CHECK_INT(e.why, RULES_EARNED);
}

static void test_daily_bonus(void)
{
	struct rules_effect e = apply(60, 0, 0, 0, 0, true);
	CHECK_INT(e.points, 60 + RULES_DAILY_BONUS);
	CHECK_INT(e.bonus, RULES_DAILY_BONUS);
	e = apply(60, 0, NOW - DAY, NOW - DAY, 0, true);
	CHECK_INT(e.points, 0); /* the repeat rule wins */
}

static int regraded(int old_score, int old_points, int new_score, int copied, int64_t last_points,
                    int64_t last_reveal, bool later)
{
	struct rules_regrade r = {.old_score = old_score,
	                          .old_points = old_points,
	                          .new_score = new_score,
	                          .copied = copied,
	                          .history = {0, last_points, last_reveal},
	                          .later_points = later,
	                          .at = NOW};

	return rules_regraded_points(&r);
}

/* Issue 22: what an answer earns once a reviewer credited a point it missed. */
static void test_regraded_points(void)
{
	/* It earned its score: now its new one, the daily bonus kept. */
	CHECK_INT(regraded(25, 25, 50, 0, 0, 0, false), 50);
	CHECK_INT(regraded(25, 25 + RULES_DAILY_BONUS, 50, 0, 0, 0, false), 50 + RULES_DAILY_BONUS);
	/* A score that earned nothing for another reason still earns nothing. */
	CHECK_INT(regraded(25, 0, 50, 0, 0, 0, false), 0);
	/* A zero that earned nothing only for its score earns, as it would have then... */
	CHECK_INT(regraded(0, 0, 25, 0, 0, 0, false), 25);
	/* ...unless the rules said no for more than the score... */
	CHECK_INT(regraded(0, 0, 25, RULES_PASTE_SHARE, 0, 0, false), 0);
	CHECK_INT(regraded(0, 0, 25, 0, 0, NOW - DAY, false), 0);
	CHECK_INT(regraded(0, 0, 25, 0, NOW - DAY, 0, false), 0);
	/* ...or a later answer already took the question's points for the window. */
	CHECK_INT(regraded(0, 0, 25, 0, 0, 0, true), 0);
}

int main(void)
{
	T_RUN(test_first_answer_earns_its_score);
	T_RUN(test_once_per_window);
	T_RUN(test_reveal_blocks_points);
	T_RUN(test_paste_earns_nothing);
	T_RUN(test_daily_bonus);
	T_RUN(test_regraded_points);
	return t_done();
}
