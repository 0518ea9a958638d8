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

int main(void)
{
	T_RUN(test_first_answer_earns_its_score);
	T_RUN(test_once_per_window);
	T_RUN(test_reveal_blocks_points);
	T_RUN(test_paste_earns_nothing);
	T_RUN(test_daily_bonus);
	return t_done();
}
