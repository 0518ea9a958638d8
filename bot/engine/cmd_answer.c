/*
 * cmd_answer.c - answering and self-grading: /answer and the Answer
 * modal grade free text against the key points and store the answer
 * (with its streak, mastery and leaderboard effects) in one transaction
 * before replying; Reveal shows the model answer privately with the
 * Again/Hard/Good/Easy buttons that drive spaced repetition.
 */
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"
#include "learn/srs.h"
#include "learn/streak.h"
#include "base/tz.h"

#define MASTERY_ALPHA 0.3 /* weight of the newest score; old ones fade */

/* What recording an answer changed, for the reply. */
struct answer_effects {
	struct streak streak;
	struct streak_event ev;
};

/*
 * Folds a score into the topic's exponentially weighted mastery. Answers
 * count towards the topic's answer total; self-grades only move mastery.
 */
static int update_mastery(struct eng_ctx *ctx, const char *topic, int score, bool is_answer)
{
	struct store_topic_stat st;
	int err = store_topic_get(ctx->e->store, ctx->user.id, topic, &st);

	if (err != BOT_OK && err != BOT_ENOENT)
		return err;
	st.mastery = st.answers == 0 && st.mastery == 0
	                 ? score
	                 : st.mastery + MASTERY_ALPHA * (score - st.mastery);
	if (is_answer)
		st.answers++;
	return store_topic_put(ctx->e->store, ctx->user.id, &st, ctx->req->now);
}

static int add_points(struct eng_ctx *ctx, const char *qid, int score)
{
	struct store *s = ctx->e->store;
	char week[32], month[32];
	const char *periods[3] = {"all", week, month};
	int err = BOT_OK;
	size_t i;

	engine_periods(ctx, week, month);
	for (i = 0; i < 3 && err == BOT_OK && score > 0; i++)
		err = store_score_add(s, ctx->user.team_id, periods[i], ctx->user.id, score,
		                      ctx->req->now);
	if (err == BOT_OK)
		err = store_covered_add(s, ctx->user.team_id, qid);
	return err;
}

static int record(struct eng_ctx *ctx, const struct content_question *q, const char *text,
                  const struct grade_result *g, struct answer_effects *fx)
{
	struct store *s = ctx->e->store;
	const char *topic = ctx->e->content->topics[q->topic].slug;
	struct store_answer a;
	int32_t day = 0;
	int err;

	tz_day(engine_user_tz(ctx), ctx->req->now, &day);
	memset(&a, 0, sizeof(a));
	a.user_id = ctx->user.id;
	a.team_id = ctx->user.team_id;
	a.question_id = q->id;
	a.topic = topic;
	a.text = text;
	a.score = g->score;
	a.covered = g->covered;
	a.created_at = ctx->req->now;
	a.local_day = day;
	memset(&fx->ev, 0, sizeof(fx->ev));
	err = store_answer_add(s, &a, NULL);
	if (err == BOT_OK)
		err = update_mastery(ctx, topic, g->score, true);
	if (err == BOT_OK)
		err = store_streak_get(s, ctx->user.id, &fx->streak);
	if (err == BOT_ENOENT)
		err = BOT_OK;
	/* Only a real attempt keeps the streak; "I don't know" does not. */
	if (err == BOT_OK && g->verdict == GRADE_GRADED) {
		streak_record(&fx->streak, day, &fx->ev);
		err = store_streak_put(s, ctx->user.id, &fx->streak);
	}
	if (err == BOT_OK && g->verdict == GRADE_GRADED)
		err = add_points(ctx, q->id, g->score);
	return err;
}

static void render_points(const struct content_question *q, const struct grade_result *g,
                          struct reply *r)
{
	size_t i;
	bool any = false;

	for (i = 0; i < q->npoints; i++) {
		if ((g->covered >> i) & 1) {
			reply_addf(r, "%s\n✅ %s", any ? "" : "\n**Covered**", q->points[i].text);
			any = true;
		}
	}
	any = false;
	for (i = 0; i < q->npoints; i++) {
		if (!((g->covered >> i) & 1)) {
			reply_addf(r, "%s\n❌ %s", any ? "" : "\n\n**Missed**", q->points[i].text);
			any = true;
		}
	}
}

static void render_streak(const struct answer_effects *fx, struct reply *r)
{
	if (!fx->ev.extended)
		return;
	reply_addf(r, "\n\n🔥 Streak: %d day%s", (int)fx->streak.current,
	           fx->streak.current == 1 ? "" : "s");
	if (fx->ev.spent > 0)
		reply_addf(r, " (%d freeze%s used on missed days)", (int)fx->ev.spent,
		           fx->ev.spent == 1 ? "" : "s");
	if (fx->ev.broken)
		reply_addf(r, " (a new streak: the last one ended on a missed day)");
	if (fx->ev.earned)
		reply_addf(r, " · earned a streak freeze (%d held)", (int)fx->streak.freezes);
}

static void render_result(struct eng_ctx *ctx, const struct content_question *q,
                          const struct grade_result *g, const struct answer_effects *fx,
                          struct reply *r)
{
	char url[REPLY_URL_MAX];
	char id[REPLY_ID_MAX];

	r->ephemeral = true;
	if (g->verdict == GRADE_EMPTY) {
		reply_addf(r,
		           "**Score: 0/100** on `%s`.\nNo worries: that is what practice is "
		           "for. Have a go in a few sentences, even a guess, or press Reveal "
		           "to read the model answer and grade yourself.",
		           q->id);
	} else {
		reply_addf(r, "**Score: %d/100** on `%s`", g->score, q->id);
		if (g->list_like)
			reply_addf(r,
			           "\n_Your answer reads as a list of terms. Say how each one "
			           "works and when you would use it: that is what earns points._");
		render_points(q, g, r);
		render_streak(fx, r);
	}
	engine_question_url(ctx->e, q->id, url, sizeof(url));
	reply_addf(r,
	           "\n\nModel answer: %s\nAfter reading it, press Reveal to grade yourself; "
	           "that schedules your next review.",
	           url);
	cmd_action_id(id, sizeof(id), "reveal", q->id, NULL);
	reply_button(r, REPLY_ACTION, REPLY_PRIMARY, "Reveal", id);
	reply_button(r, REPLY_LINK, REPLY_SECONDARY, "Model answer", url);
}

/* Grades, stores (before any reply), renders. */
static void answer_question(struct eng_ctx *ctx, const struct content_question *q, const char *text,
                            struct reply *r)
{
	struct store *s = ctx->e->store;
	struct grade_result g;
	struct answer_effects fx;
	int err;

	grade_answer(ctx->e->grader, q, text, &g);
	if (g.verdict == GRADE_TOO_LONG) {
		r->ephemeral = true;
		reply_addf(r,
		           "Your answer is %zu characters; the limit is %d. Trim it to the key "
		           "ideas and send it again (nothing was saved).",
		           grade_length(text), GRADE_ANSWER_MAX);
		return;
	}
	memset(&fx, 0, sizeof(fx));
	err = store_begin(s);
	if (err == BOT_OK)
		err = record(ctx, q, text, &g, &fx);
	if (err == BOT_OK)
		err = store_commit(s);
	if (err != BOT_OK) {
		store_rollback(s);
		engine_store_error(ctx, r);
		return;
	}
	render_result(ctx, q, &g, &fx, r);
}

void cmd_answer(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct cmd_value *id = cmd_get(v, "id");
	const struct cmd_value *text = cmd_get(v, "text");
	const struct content *c = ctx->e->content;
	const struct content_question *q;

	if (id->set) {
		q = &c->questions[id->index];
	} else if (ctx->user.open_qid[0] == '\0') {
		r->ephemeral = true;
		reply_addf(r, "You have no open question. Run `/question` (or `/question caching`) "
		              "first, then `/answer <your answer>`.");
		return;
	} else {
		q = content_find(c, ctx->user.open_qid);
		if (q == NULL) {
			r->ephemeral = true;
			reply_addf(r,
			           "Your open question `%s` is no longer in the bank. Run "
			           "`/question` for a new one.",
			           ctx->user.open_qid);
			return;
		}
	}
	answer_question(ctx, q, text->set ? text->str : "", r);
}

void cmd_action_answer(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct content_question *q = &ctx->e->content->questions[cmd_get(v, "id")->index];
	const struct cmd_value *text = cmd_get(v, "text");

	if (!text->set) {
		/* The button was pressed: the adapter opens the text box. */
		r->ephemeral = true;
		snprintf(r->modal_title, sizeof(r->modal_title), "Your answer");
		reply_button(r, REPLY_MODAL, REPLY_PRIMARY, "Answer", ctx->req->action);
		reply_addf(r, "%s", q->question);
		return;
	}
	answer_question(ctx, q, text->str, r);
}

void cmd_action_reveal(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct content_question *q = &ctx->e->content->questions[cmd_get(v, "id")->index];
	char id[CMD_ACTION_ID_MAX + 1];
	char url[REPLY_URL_MAX];
	size_t i;

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
	int err = store_srs_get(s, ctx->user.id, q->id, st);

	if (err == BOT_ENOENT) {
		srs_init(st, ctx->req->now);
		err = BOT_OK;
	}
	if (err != BOT_OK)
		return err;
	srs_review(st, g, ctx->req->now);
	err = store_srs_put(s, ctx->user.id, q->id, st);
	if (err == BOT_OK)
		err = store_answer_self_grade(s, ctx->user.id, q->id, (int)g);
	if (err == BOT_OK)
		err = update_mastery(ctx, ctx->e->content->topics[q->topic].slug,
		                     srs_grade_score(g), false);
	return err;
}

void cmd_action_grade(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct content_question *q = &ctx->e->content->questions[cmd_get(v, "id")->index];
	struct srs_state st;
	enum srs_grade g;
	int err;

	r->ephemeral = true;
	/* The table's choices are the grade names, so this cannot fail. */
	err = srs_grade_parse(cmd_get(v, "grade")->str, &g);
	assert(err == BOT_OK);
	err = store_begin(ctx->e->store);
	if (err == BOT_OK)
		err = apply_grade(ctx, q, g, &st);
	if (err == BOT_OK)
		err = store_commit(ctx->e->store);
	if (err != BOT_OK) {
		store_rollback(ctx->e->store);
		engine_store_error(ctx, r);
		return;
	}
	reply_addf(r,
	           "Graded **%s** on `%s`. Next review in %.0f day%s; `/question` with no "
	           "topic serves due reviews first.",
	           srs_grade_name(g), q->id, st.interval, st.interval < 1.5 ? "" : "s");
}
