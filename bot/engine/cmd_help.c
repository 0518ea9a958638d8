/* cmd_help.c - /help, generated from the command table. */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"
#include "engine/rules.h"

/* The rules of engine/rules.c in words; README "Scoring" says the same. */
static void help_scoring(struct reply *r)
{
	reply_addf(r,
	           "**How scoring works**\n"
	           "- Every answer is graded against the question's key points and shown what "
	           "it covered and missed. Points on the leaderboard are the score (0-100).\n"
	           "- A question earns points once every %d days per person. Answering it "
	           "again is good practice: it is graded and feeds your reviews, but earns no "
	           "points until then.\n"
	           "- After you press Reveal, that question earns no points for %d days: you "
	           "had seen the answer.\n"
	           "- An answer that is mostly the model answer or the key points pasted back "
	           "(%d%% or more) earns nothing and keeps no streak.\n"
	           "- The first answer to the channel's daily question on its day earns +%d.\n"
	           "- Mastery and the review schedule count an answer only as fresh evidence: "
	           "not a second try within %d hours, nor an answer within %d hours of a "
	           "Reveal.\n"
	           "- Empty answers, a single word and \"I don't know\" are never scored; "
	           "\"I don't know\" brings the question back tomorrow.\n"
	           "- Reviews follow FSRS: your self-grade (Again/Hard/Good/Easy) sets the next "
	           "review; without one, the score does (under 40 Again, 40-59 Hard, 60-89 "
	           "Good, 90+ Easy).\n"
	           "- Think the grader missed a point you made? Press Challenge on the graded "
	           "answer and name the point (3 open at a time, once per point). A reviewer "
	           "(`/review`) who accepts credits it: the score is recomputed and the "
	           "leaderboard corrected, once.",
	           RULES_POINTS_WINDOW / 86400, RULES_POINTS_WINDOW / 86400, RULES_PASTE_SHARE,
	           RULES_DAILY_BONUS, RULES_EVIDENCE_GAP / 3600, RULES_EVIDENCE_GAP / 3600);
}

void cmd_help(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct cmd_entry *table;
	struct buf usage;
	size_t n, i;

	(void)ctx;
	r->ephemeral = true;
	if (v != NULL && cmd_get(v, "subject")->set) {
		help_scoring(r);
		return;
	}
	table = cmd_table(&n);
	buf_init(&usage, 256);
	r->ephemeral = true;
	reply_addf(r, "**drillbot commands**");
	for (i = 0; i < n; i++) {
		if (table[i].kind != CMD_COMMAND)
			continue;
		cmd_usage(&table[i], &usage);
		reply_addf(r, "\n- `%s` — %s", buf_str(&usage), table[i].description);
	}
	buf_cleanup(&usage);
}
