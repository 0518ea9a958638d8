/*
 * cmd_answer.c - answering: /answer and the Answer modal grade free text
 * against the key points and store the answer (with its streak, mastery
 * and leaderboard effects) in one transaction before replying.
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
#include "engine/rules.h"
#include "base/tz.h"

/* What recording an answer changed, for the reply. */
struct answer_effects {
	struct rules_effect rules;
	struct streak streak;
	struct streak_event ev;
	struct srs_state srs;
	bool scheduled; /* srs holds the new schedule */
	int64_t answer_id;
	char matched[STORE_MATCHED_MAX]; /* where the words that covered each point stand */
};

static int add_points(struct eng_ctx *ctx, int points)
{
	struct store *s = ctx->e->store;
	char week[32], month[32];
	const char *periods[3] = {"all", week, month};
	size_t i;

	engine_periods(ctx, week, month);
	for (i = 0; i < 3; i++) {
		int err = store_score_add(s, ctx->user.team_id, periods[i], ctx->user.id, points,
		                          ctx->req->now);
		if (err != BOT_OK)
			return err;
	}
	return BOT_OK;
}

/*
 * Whether q is this channel's daily question today and the user has not
 * answered it since it was posted: the first answer earns the bonus.
 */
static int daily_first(struct eng_ctx *ctx, const struct content_question *q,
                       const struct store_history *h, bool *first)
{
	const struct request *req = ctx->req;
	struct store_channel ch;
	struct store_post_of p;
	int32_t day = 0;
	int err;

	*first = false;
	if (req->is_dm || req->channel == NULL || req->channel[0] == '\0')
		return BOT_OK;
	err = store_channel_post_of(ctx->e->store, req->platform, req->team, req->channel,
	                            ENGINE_DAILY_KIND, q->id, &p);
	if (err == BOT_ENOENT)
		return BOT_OK;
	if (err != BOT_OK)
		return err;
	memset(&ch, 0, sizeof(ch));
	snprintf(ch.daily.tz, sizeof(ch.daily.tz), "%s", p.daily_tz);
	snprintf(ch.team_tz, sizeof(ch.team_tz), "%s", p.team_tz);
	tz_day(engine_channel_tz(ctx->e, &ch), req->now, &day);
	*first = p.local_day == day && h->last_answer < p.posted_at;
	return BOT_OK;
}

static int apply_rules(struct eng_ctx *ctx, const struct content_question *q,
                       const struct grade_result *g, struct rules_effect *fx)
{
	struct rules_answer ra = {.score = g->score, .copied = g->copied, .now = ctx->req->now};
	int err = store_answer_history(ctx->e->store, ctx->user.id, q->id, &ra.history);

	if (err == BOT_OK)
		err = daily_first(ctx, q, &ra.history, &ra.daily_first);
	if (err == BOT_OK)
		rules_apply(&ra, fx);
	return err;
}

static int keep_streak(struct eng_ctx *ctx, int32_t day, struct answer_effects *fx)
{
	struct store *s = ctx->e->store;
	int err = store_streak_get(s, ctx->user.id, &fx->streak);

	if (err != BOT_OK && err != BOT_ENOENT)
		return err;
	if (!fx->rules.streak)
		return BOT_OK;
	streak_record(&fx->streak, day, &fx->ev);
	return store_streak_put(s, ctx->user.id, &fx->streak);
}

/* Stores the answer and everything it earned, by the rules in rules.c. */
static int record(struct eng_ctx *ctx, const struct content_question *q, const char *text,
                  const struct grade_result *g, struct answer_effects *fx)
{
	struct store *s = ctx->e->store;
	struct store_answer a;
	int err;

	err = apply_rules(ctx, q, g, &fx->rules);
	if (err != BOT_OK)
		return err;
	engine_answer_init(ctx, q, q->id, text, g, &a);
	a.points = fx->rules.points;
	a.copied = g->copied;
	engine_matched_format(g, q->npoints, fx->matched, sizeof(fx->matched));
	a.matched = fx->matched;
	err = store_answer_add(s, &a, &fx->answer_id);
	if (err == BOT_OK && fx->rules.evidence)
		err = engine_mastery_add(ctx, a.topic, g->score, true);
	if (err == BOT_OK && fx->rules.evidence) {
		err = engine_srs_review(ctx, q, srs_rating_from_score(g->score), false, &fx->srs);
		fx->scheduled = err == BOT_OK;
	}
	if (err == BOT_OK)
		err = keep_streak(ctx, a.local_day, fx);
	if (err == BOT_OK && fx->rules.points > 0)
		err = add_points(ctx, fx->rules.points);
	if (err == BOT_OK)
		err = store_covered_add(s, ctx->user.team_id, q->id, ctx->user.id);
	return err;
}

/* "4 January 2027": the day t falls on in the user's zone. */
static void local_date(const struct eng_ctx *ctx, int64_t t, char *out, size_t size)
{
	static const char *months[12] = {"January",   "February", "March",    "April",
	                                 "May",       "June",     "July",     "August",
	                                 "September", "October",  "November", "December"};
	int32_t day = (int32_t)(t / 86400);
	int y, m, d;

	tz_day(engine_user_tz(ctx), t, &day);
	tz_civil_from_days(day, &y, &m, &d);
	snprintf(out, size, "%d %s %d", d, months[(m - 1) % 12], y);
}

/* The wrong beliefs the answer stated, each with its correction. */
static void render_heard(const struct content_question *q, const struct grade_result *g,
                         struct reply *r)
{
	size_t i;

	for (i = 0; i < q->nmisconceptions && i < 32; i++) {
		const struct content_misconception *m = &q->misconceptions[i];
		if (!((g->heard >> i) & 1))
			continue;
		reply_addf(r, "\n\n⚠️ **Heard a common misconception:** %s", m->text);
		if (m->correction != NULL)
			reply_addf(r, "\n%s", m->correction);
	}
}

/* What the answer earned, and why not when it earned nothing. */
static void render_earned(const struct eng_ctx *ctx, const struct rules_effect *fx,
                          const struct grade_result *g, struct reply *r)
{
	char until[48];

	local_date(ctx, fx->until, until, sizeof(until));

	switch (fx->why) {
	case RULES_EARNED:
		if (fx->bonus > 0)
			reply_addf(r, " · **+%d points** (%d for today's daily question)",
			           fx->points, fx->bonus);
		else
			reply_addf(r, " · **+%d points**", fx->points);
		break;
	case RULES_ZERO:
		reply_addf(r, " · no points: no key point was covered yet");
		break;
	case RULES_PASTE:
		reply_addf(r,
		           "\n_No points: this reads like the model answer pasted back (%d%% of "
		           "it matches). Say it in your own words to earn points next time._",
		           g->copied);
		break;
	case RULES_REVEALED:
		reply_addf(r,
		           "\n_No points: you had seen the answer (Reveal) in the last 30 days. "
		           "It is graded for practice; it earns points again on %s._",
		           until);
		break;
	case RULES_REPEAT:
		reply_addf(r,
		           "\n_No points: a question counts once every 30 days, and this one "
		           "already earned points. It is graded for practice; it earns points "
		           "again on %s._",
		           until);
		break;
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

/*
 * The private Challenge button, when a point was missed: the user names
 * the point they believe they covered and a reviewer rules (cmd_challenge.c).
 */
static void challenge_button(const struct eng_ctx *ctx, const struct content_question *q,
                             const struct grade_result *g, const struct answer_effects *fx,
                             struct reply *r)
{
	char id[REPLY_ID_MAX], num[24];
	uint32_t all = q->npoints >= 32 ? UINT32_MAX : (1u << q->npoints) - 1;

	if ((g->covered & all) == all || ctx->req->personal || fx->answer_id <= 0)
		return;
	snprintf(num, sizeof(num), "%lld", (long long)fx->answer_id);
	if (cmd_action_id(id, sizeof(id), "challenge", num, NULL) == BOT_OK)
		reply_button(r, REPLY_ACTION, REPLY_SECONDARY, "Challenge", id);
}

static void render_result(struct eng_ctx *ctx, const struct content_question *q, const char *text,
                          const struct grade_result *g, const struct answer_effects *fx,
                          struct reply *r)
{
	char url[REPLY_URL_MAX];
	char id[REPLY_ID_MAX];

	r->ephemeral = true;
	reply_addf(r, "**Score: %d/100** on `%s`", g->score, q->id);
	render_earned(ctx, &fx->rules, g, r);
	if (g->list_like)
		reply_addf(r, "\n_Your answer reads as a list of terms. Say how each one "
		              "works and when you would use it: that is what earns points._");
	engine_render_covered(q->points, q->npoints, g->covered, text, fx->matched, r);
	render_heard(q, g, r);
	render_streak(fx, r);
	engine_question_url(ctx->e, q->id, url, sizeof(url));
	reply_addf(r,
	           "\n\nModel answer: %s\nAfter reading it, press Reveal to grade yourself; "
	           "that schedules your next review.",
	           url);
	cmd_action_id(id, sizeof(id), "reveal", q->id, NULL);
	reply_button(r, REPLY_ACTION, REPLY_PRIMARY, "Reveal", id);
	reply_button(r, REPLY_LINK, REPLY_SECONDARY, "Model answer", url);
	/* A paste has shown nothing yet; a follow-up would test the paste. */
	if (!fx->rules.paste)
		engine_offer_followup(q, 0, r);
	challenge_button(ctx, q, g, fx, r);
}

/*
 * Nothing, whitespace or one word: an accident or a test of the box, not
 * an attempt. Nothing is stored; the question stays open with its box.
 */
static void reply_nothing_to_grade(struct eng_ctx *ctx, const struct content_question *q,
                                   const char *text, struct reply *r)
{
	r->ephemeral = true;
	if (util_blank(text))
		reply_addf(r,
		           "Nothing to grade yet: the answer to `%s` was empty, so nothing "
		           "was saved.",
		           q->id);
	else
		reply_addf(r, "One word is not enough to grade, so nothing was saved for `%s`.",
		           q->id);
	reply_addf(r,
	           " Answer in a sentence or two (a guess is fine), or press Reveal to "
	           "read the model answer.\n\n%s",
	           q->question);
	engine_question_buttons(ctx->e, q, r);
}

/* A question the user said they do not know, as one transaction. */
struct dont_know {
	struct eng_ctx *ctx;
	const struct content_question *q;
};

static int dont_know_txn(struct store *s, void *arg)
{
	struct dont_know *dk = arg;

	(void)s;
	return engine_srs_review(dk->ctx, dk->q, SRS_AGAIN, false, NULL);
}

/*
 * "I don't know" is honest, not an attempt: no score, no mastery, no
 * streak; the question is scheduled again soon, as a forgotten card is.
 */
static void answer_dont_know(struct eng_ctx *ctx, const struct content_question *q, struct reply *r)
{
	struct dont_know dk = {ctx, q};
	char url[REPLY_URL_MAX];
	char id[REPLY_ID_MAX];

	if (store_txn(ctx->e->store, dont_know_txn, &dk) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	r->ephemeral = true;
	engine_question_url(ctx->e, q->id, url, sizeof(url));
	reply_addf(r,
	           "Fair enough: not knowing is where learning starts. No score was recorded "
	           "for `%s`, and it comes back for review tomorrow.\n\nRead the model "
	           "answer: %s",
	           q->id, url);
	cmd_action_id(id, sizeof(id), "reveal", q->id, NULL);
	reply_button(r, REPLY_ACTION, REPLY_PRIMARY, "Reveal", id);
	reply_button(r, REPLY_LINK, REPLY_SECONDARY, "Model answer", url);
}

/* An answer to record, as one transaction. */
struct record {
	struct eng_ctx *ctx;
	const struct content_question *q;
	const char *text;
	const struct grade_result *g;
	struct answer_effects *fx;
};

static int record_txn(struct store *s, void *arg)
{
	struct record *r = arg;

	(void)s;
	return record(r->ctx, r->q, r->text, r->g, r->fx);
}

/* Grades, stores (before any reply), renders. */
static void answer_question(struct eng_ctx *ctx, const struct content_question *q, const char *text,
                            struct reply *r)
{
	struct grade_result g;
	struct answer_effects fx;
	struct record rec;
	int err;

	if (engine_refuse_too_long(ctx, text, r))
		return;
	grade_answer(ctx->e->grader, q, text, &g);
	switch (g.verdict) {
	case GRADE_TOO_LONG: /* engine_refuse_too_long() said so */
		return;
	case GRADE_EMPTY:
		reply_nothing_to_grade(ctx, q, text, r);
		return;
	case GRADE_DONT_KNOW:
		answer_dont_know(ctx, q, r);
		return;
	case GRADE_GRADED:
		break;
	}
	memset(&fx, 0, sizeof(fx));
	rec = (struct record){ctx, q, text, &g, &fx};
	err = store_txn(ctx->e->store, record_txn, &rec);
	if (err != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	ctx->answers_stored++;
	render_result(ctx, q, text, &g, &fx, r);
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
	if (!text->set || util_blank(text->str)) {
		/* A bare /answer: offer the box instead of grading nothing. */
		r->ephemeral = true;
		reply_addf(r,
		           "Type your answer after the command (`/answer <your answer>`) or "
		           "press Answer. Nothing was saved.\n\n%s",
		           q->question);
		engine_question_buttons(ctx->e, q, r);
		return;
	}
	answer_question(ctx, q, text->str, r);
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
