/*
 * cmd_reveal.c - Reveal and the self-grade buttons after it: the model
 * answer shown privately, then Again/Hard/Good/Easy, which schedule the
 * next review and move the topic's mastery. One file: the two halves of
 * one step of the practice loop.
 */
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"
#include "learn/srs.h"

/* A reveal to record, as one transaction. */
struct reveal {
	struct eng_ctx *ctx;
	const struct content_question *q;
};

static int reveal_txn(struct store *s, void *arg)
{
	struct reveal *rv = arg;

	return store_reveal_add(s, rv->ctx->user.id, rv->q->id, rv->ctx->req->now);
}

/* The reveal is stored before the answer is shown: an answer sent after it
 * earns no points (engine/rules.c), so showing it unrecorded would let the
 * leaderboard be farmed. */
void cmd_action_reveal(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	struct reveal rv = {ctx, &ctx->e->content->questions[cmd_get(v, "id")->index]};
	const struct content_question *q = rv.q;
	char id[CMD_ACTION_ID_MAX + 1];
	char url[REPLY_URL_MAX];
	size_t i;

	if (store_txn(ctx->e->store, reveal_txn, &rv) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	r->ephemeral = true;
	reply_addf(r, "**Model answer** · `%s`\n\n%s\n\n**Key points**", q->id, q->answer);
	for (i = 0; i < q->npoints; i++)
		reply_addf(r, "\n- %s", q->points[i].text);
	reply_addf(r, "\n\n**How did you do?** Your grade schedules the next review.");
	for (i = 0; i < SRS_NGRADES; i++) {
		char grade[16];
		snprintf(grade, sizeof(grade), "%s", srs_grade_name((enum srs_grade)i));
		grade[0] = (char)tolower((unsigned char)grade[0]);
		cmd_action_id(id, sizeof(id), "grade", q->id, grade, NULL);
		reply_button(r, REPLY_ACTION, i == SRS_AGAIN ? REPLY_DANGER : REPLY_SECONDARY,
		             srs_grade_name((enum srs_grade)i), id);
	}
	engine_question_url(ctx->e, q->id, url, sizeof(url));
	reply_button(r, REPLY_LINK, REPLY_SECONDARY, "Full page", url);
}

static int apply_grade(struct eng_ctx *ctx, const struct content_question *q, enum srs_grade g,
                       struct srs_state *st)
{
	struct store *s = ctx->e->store;
	int err = engine_srs_review(ctx, q, g, true, st);

	if (err != BOT_OK)
		return err;
	err = store_answer_self_grade(s, ctx->user.id, q->id, (int)g);
	if (err != BOT_OK)
		return err;
	return engine_mastery_add(ctx, ctx->e->content->topics[q->topic].slug, srs_grade_score(g),
	                          false);
}

/* A self-grade to apply, as one transaction. */
struct self_grade {
	struct eng_ctx *ctx;
	const struct content_question *q;
	enum srs_grade g;
	struct srs_state st;
};

static int self_grade_txn(struct store *s, void *arg)
{
	struct self_grade *sg = arg;

	(void)s;
	return apply_grade(sg->ctx, sg->q, sg->g, &sg->st);
}

void cmd_action_grade(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	struct self_grade sg = {.ctx = ctx,
	                        .q = &ctx->e->content->questions[cmd_get(v, "id")->index]};
	const struct content_question *q = sg.q;
	const struct srs_state *st = &sg.st;
	enum srs_grade g;
	int err;

	r->ephemeral = true;
	/* The table's choices are the grade names, so this cannot fail. */
	err = srs_grade_parse(cmd_get(v, "grade")->str, &g);
	assert(err == BOT_OK);
	sg.g = g;
	err = store_txn(ctx->e->store, self_grade_txn, &sg);
	if (err != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	reply_addf(r,
	           "Graded **%s** on `%s`. Next review in %d day%s; `/question` with no "
	           "topic serves due reviews first.",
	           srs_grade_name(g), q->id, st->card.interval, st->card.interval == 1 ? "" : "s");
}
