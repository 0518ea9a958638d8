/*
 * rules.h - what an answer earns, in one place: leaderboard points, the
 * daily bonus, whether it moves mastery and the review schedule, whether it
 * keeps the streak. Pure: the history and the clock come in, so every rule
 * is tested on its own (tests/unit/test_rules.c) and README "Scoring" and
 * /help scoring describe exactly this.
 */
#ifndef BOT_RULES_H
#define BOT_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* A question earns points once per window per user. */
#define RULES_POINTS_WINDOW (30 * 86400)
/* An answer this soon after a reveal or another answer is not new evidence. */
#define RULES_EVIDENCE_GAP (24 * 3600)
/* This share of an answer found in the model answer and key points is a paste. */
#define RULES_PASTE_SHARE 60
/* The first answer to the channel's daily question on its day earns this more. */
#define RULES_DAILY_BONUS 10

/* Why an answer earned no points, for the reply. */
enum rules_why {
	RULES_EARNED,   /* it earned its score */
	RULES_ZERO,     /* it covered no key point */
	RULES_PASTE,    /* it reads like the model answer pasted back */
	RULES_REVEALED, /* the user had seen the model answer */
	RULES_REPEAT,   /* the question already earned points in the window */
};

struct rules_answer {
	int score;                    /* 0..100 from the grader */
	int copied;                   /* 0..100 */
	struct store_history history; /* before this answer */
	bool daily_first; /* the channel's daily question today, not yet answered since its post */
	int64_t now;
};

struct rules_effect {
	int points;         /* leaderboard points, bonus included */
	int bonus;          /* the daily bonus within points */
	enum rules_why why; /* RULES_EARNED when points > 0 */
	bool paste;
	bool evidence; /* moves mastery and the review schedule */
	bool streak;   /* keeps the streak */
	int64_t until; /* RULES_REVEALED / RULES_REPEAT: when it can earn again */
};

void rules_apply(const struct rules_answer *a, struct rules_effect *out);

/* A stored answer whose score a reviewer raised (an accepted challenge, issue 22). */
struct rules_regrade {
	int old_score, old_points; /* as stored: points with the daily bonus */
	int new_score;
	int copied;
	struct store_history history; /* the user's with the question before the answer */
	bool later_points; /* a later answer to the question earned points in this one's window */
	int64_t at;        /* when the answer was given */
};

/*
 * The answer's leaderboard points after the regrade: what it would have
 * earned with the new score. An answer that earned keeps its daily bonus;
 * one that earned nothing for a reason other than its score (a paste,
 * after Reveal, a repeat) still earns nothing; a zero earns as the rules
 * would have said then, unless a later answer already took the
 * question's points for that window (a question pays once a window).
 */
int rules_regraded_points(const struct rules_regrade *r);

#endif
