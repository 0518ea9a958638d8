/*
 * cmd_followup.c - the follow-ups an interviewer presses with. After a
 * graded answer the reply offers the question's first follow-up; an answer
 * to it is graded against that follow-up's rubric and offers the next one.
 * Follow-up answers are stored (nothing typed is lost) under
 * "<question id>/f<n>", earn no points and move no schedule: they teach.
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/tz.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"

void engine_offer_followup(const struct content_question *q, size_t n, struct reply *r)
{
	char id[CMD_ACTION_ID_MAX + 1];
	char num[24];

	if (n >= q->nfollowups || q->followups[n].npoints == 0)
		return;
	snprintf(num, sizeof(num), "%zu", n + 1);
	reply_addf(r, "\n\n**Next an interviewer might ask:** %s", q->followups[n].text);
	cmd_action_id(id, sizeof(id), "followup", q->id, num, NULL);
	snprintf(r->modal_title, sizeof(r->modal_title), "Your answer to the follow-up");
	reply_button(r, REPLY_MODAL, REPLY_PRIMARY, "Answer the follow-up", id);
}

/* A follow-up answer to store, as one transaction. */
struct followup_rec {
	struct eng_ctx *ctx;
	const struct content_question *q;
	size_t n;
	const char *text;
	const struct grade_result *g;
};

static int followup_txn(struct store *s, void *arg)
{
	struct followup_rec *f = arg;
	struct eng_ctx *ctx = f->ctx;
	char qid[STORE_ID_MAX];
	struct store_answer a;

	snprintf(qid, sizeof(qid), "%s/f%zu", f->q->id, f->n + 1);
	engine_answer_init(ctx, f->q, qid, f->text, f->g, &a);
	return store_answer_add(s, &a, NULL);
}

static void render_followup(struct eng_ctx *ctx, const struct content_question *q, size_t n,
                            const char *text, const struct grade_result *g, struct reply *r)
{
	const struct content_followup *f = &q->followups[n];
	char url[REPLY_URL_MAX];
	char matched[STORE_MATCHED_MAX];

	reply_addf(r, "**Follow-up %zu: %d/100** on `%s` (practice: no points)\n_%s_", n + 1,
	           g->score, q->id, f->text);
	engine_matched_format(g, f->npoints, matched, sizeof(matched));
	engine_render_covered(f->points, f->npoints, g->covered, text, matched, r);
	engine_offer_followup(q, n + 1, r);
	if (n + 1 >= q->nfollowups)
		reply_addf(r, "\n\nThat was the last follow-up. `/question` for the next one.");
	engine_question_url(ctx->e, q->id, url, sizeof(url));
	reply_button(r, REPLY_LINK, REPLY_SECONDARY, "Model answer", url);
}

void cmd_action_followup(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct content_question *q = &ctx->e->content->questions[cmd_get(v, "id")->index];
	const struct cmd_value *text = cmd_get(v, "text");
	long n = cmd_get(v, "n")->num - 1;
	struct grade_result g;
	struct followup_rec rec;

	r->ephemeral = true;
	if (n < 0 || (size_t)n >= q->nfollowups || q->followups[n].npoints == 0) {
		reply_addf(r, "`%s` has no follow-up %ld any more. `/question` for a new question.",
		           q->id, n + 1);
		return;
	}
	if (!text->set) {
		/* The button was pressed: the adapter opens the text box. */
		snprintf(r->modal_title, sizeof(r->modal_title), "Your answer to the follow-up");
		reply_button(r, REPLY_MODAL, REPLY_PRIMARY, "Answer the follow-up",
		             ctx->req->action);
		reply_addf(r, "%s", q->followups[n].text);
		return;
	}
	if (engine_refuse_too_long(ctx, text->str, r))
		return;
	grade_followup(ctx->e->grader, &q->followups[n], text->str, &g);
	if (g.verdict != GRADE_GRADED) {
		reply_addf(r,
		           "Nothing to grade yet, so nothing was saved. Answer the follow-up in a "
		           "sentence or two:\n%s",
		           q->followups[n].text);
		engine_offer_followup(q, (size_t)n, r);
		return;
	}
	rec = (struct followup_rec){ctx, q, (size_t)n, text->str, &g};
	if (store_txn(ctx->e->store, followup_txn, &rec) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	ctx->answers_stored++;
	render_followup(ctx, q, (size_t)n, text->str, &g, r);
}
