/*
 * rules.c - the scoring rules. A leaderboard only means something when it
 * cannot be farmed: the same question pays once a month, an answer after
 * the Reveal pays nothing, a paste pays nothing. Practice is never refused:
 * every answer is graded and taught; only what it earns differs.
 */
#include "engine/rules.h"

#include <string.h>

static bool within(int64_t then, int64_t now, int64_t window)
{
	return then > 0 && now - then < window;
}

void rules_apply(const struct rules_answer *a, struct rules_effect *out)
{
	const struct store_history *h = &a->history;

	memset(out, 0, sizeof(*out));
	out->paste = a->copied >= RULES_PASTE_SHARE;
	/* A paste shows nothing about the user's memory, so it keeps no streak
	 * either; a second answer soon after the first, or after reading the
	 * model answer, repeats evidence already counted. */
	out->streak = !out->paste;
	out->evidence = !out->paste && !within(h->last_answer, a->now, RULES_EVIDENCE_GAP) &&
	                !within(h->last_reveal, a->now, RULES_EVIDENCE_GAP);
	if (out->paste)
		out->why = RULES_PASTE;
	else if (within(h->last_reveal, a->now, RULES_POINTS_WINDOW)) {
		out->why = RULES_REVEALED;
		out->until = h->last_reveal + RULES_POINTS_WINDOW;
	} else if (within(h->last_points, a->now, RULES_POINTS_WINDOW)) {
		out->why = RULES_REPEAT;
		out->until = h->last_points + RULES_POINTS_WINDOW;
	} else if (a->score <= 0)
		out->why = RULES_ZERO;
	else
		out->why = RULES_EARNED;
	if (out->why != RULES_EARNED)
		return;
	out->bonus = a->daily_first ? RULES_DAILY_BONUS : 0;
	out->points = a->score + out->bonus;
}

int rules_regraded_points(const struct rules_regrade *r)
{
	struct rules_answer a = {.score = r->new_score,
	                         .copied = r->copied,
	                         .history = r->history,
	                         .daily_first = false,
	                         .now = r->at};
	struct rules_effect fx;

	if (r->old_points > 0)
		return r->new_score + (r->old_points - r->old_score);
	if (r->old_score > 0 || r->later_points)
		return 0;
	/* The daily bonus is not known any more (it needs the channel's post then): none. */
	rules_apply(&a, &fx);
	return fx.points;
}
