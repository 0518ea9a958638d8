/*
 * cmd_challenge.c - challenges of a grade (issue 22). A user who believes
 * the grader missed a key point their answer covered presses Challenge on
 * the graded reply and names the point. The team's reviewers (its admins,
 * and the members an admin named with /reviewers) see the oldest open
 * challenges with /review, with the answer and what the grader heard, and
 * accept or reject each with one button. An accepted point is credited:
 * the answer is rescored and the leaderboard corrected in the transaction
 * that records the ruling, so the correction happens once however often
 * the button is pressed, or by however many reviewers. The user hears of
 * the ruling on their next private reply, on every platform.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"
#include "engine/md.h"
#include "engine/rules.h"

#define MOD "challenge"
/* A user's open challenges at a time: enough for one bad grading, not a flood. */
#define CHALLENGE_OPEN_MAX 3
/* /review shows this many of the oldest, each answer cut to ANSWER_SHOWN characters. */
#define REVIEW_SHOWN 3
#define ANSWER_SHOWN 500
/* Rulings told on one reply, in at most TELL_ROOM bytes; more wait for the next. */
#define TELL_MAX  3
#define TELL_ROOM (TELL_MAX * 700)

static void refuse_not_reviewer(struct reply *r)
{
	reply_addf(r, "Only the team's reviewers rule on challenged grades: its admins, and the "
	              "members an admin added with `/reviewers add @you`. Nothing was changed.");
}

int engine_is_reviewer(struct eng_ctx *ctx, bool *is)
{
	*is = ctx->req->is_admin;
	if (*is)
		return BOT_OK;
	return store_reviewer_is(ctx->e->store, ctx->user.team_id, ctx->user.id, is);
}

/* "Ann", or the id when the platform never told the name. */
static const char *who(const char *name, const char *fallback)
{
	return name[0] != '\0' ? name : fallback;
}

/* ---- the Challenge button ---- */

static const char *ruling_word(enum store_ruling s)
{
	return s == STORE_ACCEPTED ? "accepted" : s == STORE_REJECTED ? "rejected" : "open";
}

/* The answer behind a challenge button, if it is the user's own; else says why not. */
static const struct content_question *own_answer(struct eng_ctx *ctx, long id,
                                                 struct store_answer_row *a, struct reply *r)
{
	const struct content_question *q;
	int err = store_answer_get(ctx->e->store, id, a);

	if (err == BOT_ENOENT) {
		reply_addf(r,
		           "That answer is no longer stored (its data may have been deleted with "
		           "`/forget-me`), so there is nothing to challenge.");
		return NULL;
	}
	if (err != BOT_OK) {
		engine_store_error(ctx, r);
		return NULL;
	}
	if (a->user_id != ctx->user.id) {
		reply_addf(r, "You can challenge only the grades of your own answers; that one is "
		              "someone else's. Nothing was changed.");
		return NULL;
	}
	if (strchr(a->question_id, '/') != NULL) {
		reply_addf(r,
		           "That is an answer to a follow-up: follow-ups earn no points, so their "
		           "grades are not challenged.");
		return NULL;
	}
	q = content_find(ctx->e->content, a->question_id);
	if (q == NULL) {
		reply_addf(r,
		           "`%s` is no longer in the question bank, so its grade cannot be "
		           "challenged. `/question` for a new one.",
		           a->question_id);
		return NULL;
	}
	return q;
}

/* The missed points, one button each; challenged ones say where they stand. */
static void offer_points(struct eng_ctx *ctx, const struct content_question *q,
                         const struct store_answer_row *a, int open, struct reply *r)
{
	char id[REPLY_ID_MAX], num[24], pt[8], label[REPLY_LABEL_MAX];
	size_t i;
	int offered = 0;

	reply_addf(r,
	           "**Which key point did your answer to `%s` cover?** A reviewer of your team "
	           "reads your answer and rules; you hear the ruling on your next private reply. "
	           "You may have %d challenges open at a time (now %d).\n",
	           q->id, CHALLENGE_OPEN_MAX, open);
	snprintf(num, sizeof(num), "%" PRId64, a->id);
	for (i = 0; i < q->npoints && i < CONTENT_MAX_POINTS; i++) {
		struct store_challenge c;
		int err;
		if ((a->covered >> i) & 1)
			continue;
		err = store_challenge_find(ctx->e->store, a->id, (int)i, &c);
		if (err != BOT_OK && err != BOT_ENOENT) {
			engine_store_error(ctx, r);
			return;
		}
		reply_addf(r, "\n**%zu.** %s", i + 1, q->points[i].text);
		if (err == BOT_OK) {
			reply_addf(r, " _(challenged: %s)_", ruling_word(c.status));
			continue;
		}
		snprintf(pt, sizeof(pt), "%zu", i + 1);
		snprintf(label, sizeof(label), "I covered point %zu", i + 1);
		if (cmd_action_id(id, sizeof(id), "challenge", num, pt, NULL) == BOT_OK) {
			reply_button(r, REPLY_ACTION, REPLY_SECONDARY, label, id);
			offered++;
		}
	}
	if (offered == 0)
		reply_addf(r, "\n\nEvery point this answer missed is challenged already.");
}

/* A challenge to record, as one transaction: the limit is read where it is written. */
struct open_txn {
	struct eng_ctx *ctx;
	struct store_challenge c;
	int open;   /* the user's open challenges before this one */
	bool full;  /* at the limit: nothing written */
	bool twice; /* the point was challenged already: nothing written */
	struct store_challenge earlier;
};

static int open_fn(struct store *s, void *arg)
{
	struct open_txn *t = arg;
	int err = store_challenge_open_count(s, t->ctx->user.id, &t->open);

	if (err != BOT_OK)
		return err;
	if (t->open >= CHALLENGE_OPEN_MAX) {
		t->full = true;
		return BOT_OK;
	}
	err = store_challenge_add(s, &t->c);
	if (err == BOT_EEXIST) {
		t->twice = true;
		return store_challenge_find(s, t->c.answer_id, t->c.point, &t->earlier);
	}
	return err;
}

static void refuse_full(int open, struct reply *r)
{
	reply_addf(r,
	           "You have %d challenges open, the most at a time. A reviewer rules on them "
	           "first; you hear each ruling on your next private reply. Nothing was sent.",
	           open);
}

static void open_challenge(struct eng_ctx *ctx, const struct content_question *q,
                           const struct store_answer_row *a, size_t point, struct reply *r)
{
	struct open_txn t;

	if (point >= q->npoints) {
		reply_addf(r, "`%s` has no key point %zu any more; press Challenge again.", q->id,
		           point + 1);
		return;
	}
	if ((a->covered >> point) & 1) {
		reply_addf(r,
		           "Point %zu of `%s` is covered already (“%s”): there is nothing to "
		           "challenge. Challenge a point the grade missed.",
		           point + 1, q->id, q->points[point].text);
		return;
	}
	memset(&t, 0, sizeof(t));
	t.ctx = ctx;
	t.c.answer_id = a->id;
	t.c.team_id = a->team_id;
	t.c.user_id = a->user_id;
	snprintf(t.c.question_id, sizeof(t.c.question_id), "%s", q->id);
	t.c.point = (int)point;
	snprintf(t.c.point_text, sizeof(t.c.point_text), "%s", q->points[point].text);
	t.c.npoints = (int)q->npoints;
	t.c.created_at = ctx->req->now;
	if (store_txn(ctx->e->store, open_fn, &t) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	if (t.full) {
		refuse_full(t.open, r);
		return;
	}
	if (t.twice) {
		reply_addf(r,
		           "You challenged point %zu of this answer already (challenge #%" PRId64
		           ", %s); an answer is challenged once per point. Nothing was sent.",
		           point + 1, t.earlier.id, ruling_word(t.earlier.status));
		return;
	}
	LOG_I(MOD,
	      "challenge %" PRId64 " opened by user %" PRId64 ": answer %" PRId64 ", %s point %zu",
	      t.c.id, ctx->user.id, a->id, q->id, point + 1);
	reply_addf(r,
	           "**Challenge #%" PRId64
	           " sent.** You say your answer to `%s` covered point %zu: "
	           "“%s”. A reviewer of your team reads your answer and rules (%d of your %d "
	           "open challenges). You hear the ruling on your next private reply.",
	           t.c.id, q->id, point + 1, q->points[point].text, t.open + 1, CHALLENGE_OPEN_MAX);
}

void cmd_action_challenge(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct cmd_value *point = cmd_get(v, "point");
	struct store_answer_row *a;
	const struct content_question *q;
	int open = 0;

	r->ephemeral = true;
	if (ctx->req->personal) {
		reply_addf(r, "Challenges go to your server's reviewers, and a direct message has "
		              "none. Answer in a server channel to challenge a grade.");
		return;
	}
	a = xmalloc(sizeof(*a));
	q = own_answer(ctx, cmd_get(v, "answer")->num, a, r);
	if (q == NULL)
		goto out;
	if (point->set) {
		open_challenge(ctx, q, a, (size_t)(point->num - 1), r);
		goto out;
	}
	if (store_challenge_open_count(ctx->e->store, ctx->user.id, &open) != BOT_OK) {
		engine_store_error(ctx, r);
		goto out;
	}
	if (open >= CHALLENGE_OPEN_MAX)
		refuse_full(open, r);
	else
		offer_points(ctx, q, a, open, r);
out:
	free(a);
}

/* ---- /review ---- */

/* The first at most max characters of s, in bytes, ending at a space when one is near. */
static size_t text_cut(const char *s, size_t max)
{
	size_t len = 0, chars = 0, space = 0;

	while (s[len] != '\0' && chars < max) {
		if (s[len] == ' ' || s[len] == '\n')
			space = len;
		len++;
		while (((unsigned char)s[len] & 0xc0) == 0x80)
			len++;
		chars++;
	}
	return s[len] != '\0' && space > len * 3 / 4 ? space : len;
}

/* What the grader heard: each covered point with the words that matched it. */
static void add_heard(const struct content_question *q, const struct store_answer_row *a,
                      struct buf *out)
{
	size_t i, len = strlen(a->text), x, y;
	bool any = false;

	buf_adds(out, "\n_What the grader heard:_");
	for (i = 0; q != NULL && i < q->npoints && i < CONTENT_MAX_POINTS; i++) {
		if (!((a->covered >> i) & 1))
			continue;
		buf_addf(out, "\n✅ %zu. %s", i + 1, q->points[i].text);
		if (engine_matched_span(a->matched, i, len, &x, &y)) {
			buf_adds(out, " — heard ");
			engine_excerpt(a->text, x, y, out);
		}
		any = true;
	}
	if (!any)
		buf_adds(out, " no key point.");
}

/* One open challenge: what the reviewer needs to rule, in Markdown. */
static void open_text(struct eng_ctx *ctx, const struct store_challenge *c,
                      const struct store_answer_row *a, struct buf *out)
{
	const struct content_question *q = content_find(ctx->e->content, c->question_id);
	size_t shown = text_cut(a->text, ANSWER_SHOWN);

	buf_addf(out, "\n\n**Challenge #%" PRId64 "** · %s on `%s` · graded %d/100", c->id,
	         who(c->user_name, "a member"), c->question_id, a->score);
	if (q != NULL)
		buf_addf(out, "\n_Question:_ %s", q->question);
	buf_addf(out, "\n_Point %d they say they covered:_ %s", c->point + 1, c->point_text);
	buf_adds(out, "\n_Answer:_ “");
	md_escape(a->text, shown, out);
	buf_addf(out, "%s”", a->text[shown] != '\0' ? " …" : "");
	add_heard(q, a, out);
}

/* Its Accept and Reject buttons, on a row of their own. */
static void open_buttons(const struct store_challenge *c, struct reply *r)
{
	char id[REPLY_ID_MAX], num[24], label[REPLY_LABEL_MAX];

	snprintf(num, sizeof(num), "%" PRId64, c->id);
	reply_row_break(r);
	snprintf(label, sizeof(label), "Accept #%" PRId64, c->id);
	if (cmd_action_id(id, sizeof(id), "rule", num, "accept", NULL) == BOT_OK)
		reply_button(r, REPLY_ACTION, REPLY_SUCCESS, label, id);
	snprintf(label, sizeof(label), "Reject #%" PRId64, c->id);
	if (cmd_action_id(id, sizeof(id), "rule", num, "reject", NULL) == BOT_OK)
		reply_button(r, REPLY_ACTION, REPLY_DANGER, label, id);
}

/*
 * The open challenges that fit the reply (the first always does, cut if it
 * must): a long answer leaves the rest for the next /review, never cut
 * in the middle of one.
 */
static void render_queue(struct eng_ctx *ctx, const struct store_challenge *q, size_t n,
                         struct reply *r)
{
	struct store_answer_row *a = xmalloc(sizeof(*a));
	struct buf one;
	size_t i, shown = 0;

	buf_init(&one, 4 * REPLY_TEXT_MAX);
	for (i = 0; i < n; i++) {
		if (store_answer_get(ctx->e->store, q[i].answer_id, a) != BOT_OK) {
			engine_store_error(ctx, r);
			break;
		}
		buf_reset(&one);
		open_text(ctx, &q[i], a, &one);
		/* Room is left for the closing line and a ruling note (engine_tell_rulings). */
		if (shown > 0 && r->text.len + one.len + 600 > REPLY_TEXT_MAX) {
			reply_addf(r, "\n\n_More are open: rule on these, then `/review` again._");
			break;
		}
		reply_addf(r, "%s", buf_str(&one));
		open_buttons(&q[i], r);
		shown++;
	}
	buf_cleanup(&one);
	free(a);
}

void cmd_review(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	struct store_challenge q[REVIEW_SHOWN];
	size_t n = 0;
	int total = 0, err;
	bool is = false;

	(void)v;
	r->ephemeral = true;
	err = engine_is_reviewer(ctx, &is);
	if (err == BOT_OK && !is) {
		refuse_not_reviewer(r);
		return;
	}
	if (err == BOT_OK)
		err = store_challenge_queue(ctx->e->store, ctx->user.team_id, ctx->user.id, q,
		                            REVIEW_SHOWN, &n);
	if (err == BOT_OK)
		err = store_challenge_open_total(ctx->e->store, ctx->user.team_id, &total);
	if (err != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	if (n == 0) {
		if (total == 0)
			reply_addf(r,
			           "No challenges are open in this team. When a member challenges "
			           "a grade it waits here for a reviewer.");
		else
			reply_addf(r,
			           "The %d open challenge%s %s your own; another reviewer rules on "
			           "%s.",
			           total, total == 1 ? "" : "s", total == 1 ? "is" : "are",
			           total == 1 ? "it" : "them");
		return;
	}
	reply_addf(r, "**Open challenges: %d**", total);
	if ((size_t)total > n)
		reply_addf(r, " (the %zu oldest that are not yours below)", n);
	reply_addf(r, ". Accept when the answer covers the point in other words: the point is "
	              "credited, and the score and leaderboard are corrected. Reject when it does "
	              "not.");
	render_queue(ctx, q, n, r);
}

/* ---- Accept and Reject ---- */

/* A ruling, as one transaction: the answer is corrected only if this call ruled. */
struct rule_txn {
	struct eng_ctx *ctx;
	struct store_challenge c; /* in: the challenge and the ruling; out: what it corrected */
	struct store_answer_row *a;
	bool ruled;
};

/* The accepted point credited: the answer's new score and points, and the periods' deltas. */
static int credit(struct rule_txn *t)
{
	struct store *s = t->ctx->e->store;
	struct store_answer_row *a = t->a;
	struct rules_regrade rg;
	struct store_team team;
	char week[32], month[32];
	const char *zone =
	    t->ctx->user.team_tz[0] != '\0' ? t->ctx->user.team_tz : t->ctx->e->default_tz;
	const char *periods[3] = {"all", week, month};
	/* The point came from the bank (at most CONTENT_MAX_POINTS); a row beyond credits nothing.
	 */
	uint32_t covered =
	    a->covered |
	    (t->c.point >= 0 && t->c.point < CONTENT_MAX_POINTS ? 1u << t->c.point : 0);
	/* A list of terms was capped when grading; the cap stays, as grading would apply it. */
	bool capped = a->score < grade_score_of(a->covered, (size_t)t->c.npoints, false);
	int err, points, i;

	memset(&rg, 0, sizeof(rg));
	rg.old_score = a->score;
	rg.old_points = a->points;
	rg.new_score = grade_score_of(covered, (size_t)t->c.npoints, capped);
	rg.copied = a->copied;
	rg.at = a->created_at;
	err = store_answer_history_before(s, a, &rg.history);
	if (err == BOT_OK)
		err = store_answer_points_after(s, a, RULES_POINTS_WINDOW, &rg.later_points);
	if (err != BOT_OK)
		return err;
	points = rules_regraded_points(&rg);
	t->c.score_before = a->score;
	t->c.score_after = rg.new_score;
	t->c.points_delta = points - a->points;
	err = store_answer_regrade(s, a->id, rg.new_score, covered, points);
	/* An answer from before the team's season began stays out of the new season's
	 * board, which counts only what was earned in it (/leaderboard reset). */
	if (err == BOT_OK)
		err = store_team_get(s, a->team_id, &team);
	if (err != BOT_OK || (team.season > 0 && a->created_at < team.season_start))
		return err;
	/* The periods the answer counted in: the week and month it was given in. */
	engine_period_keys(zone, a->created_at, week, month);
	for (i = 0; i < 3 && err == BOT_OK && t->c.points_delta != 0; i++)
		err = store_score_add(s, a->team_id, periods[i], a->user_id, t->c.points_delta,
		                      t->ctx->req->now);
	return err;
}

static int rule_fn(struct store *s, void *arg)
{
	struct rule_txn *t = arg;
	int err = store_answer_get(s, t->c.answer_id, t->a);

	if (err != BOT_OK)
		return err;
	t->c.score_before = t->c.score_after = t->a->score;
	if (t->c.status == STORE_ACCEPTED) {
		err = credit(t);
		if (err != BOT_OK)
			return err;
	}
	/* Ruled already (a second press, a second reviewer): the whole transaction rolls back. */
	err = store_challenge_rule(s, &t->c, &t->ruled);
	return err == BOT_OK && !t->ruled ? BOT_EEXIST : err;
}

static void told_already(const struct eng_ctx *ctx, const struct store_challenge *c,
                         struct reply *r)
{
	reply_addf(r, "Challenge #%" PRId64 " was %s already, by %s; nothing was changed.", c->id,
	           ruling_word(c->status),
	           c->reviewer_id == ctx->user.id ? "you"
	           : c->reviewer_name[0] != '\0'  ? c->reviewer_name
	                                          : "another reviewer");
}

static void render_ruling(struct eng_ctx *ctx, const struct store_challenge *c, struct reply *r)
{
	const char *name = who(c->user_name, "The member");
	int more = 0;
	size_t n = 0;
	struct store_challenge next;

	if (c->status == STORE_ACCEPTED) {
		reply_addf(r,
		           "✅ **Accepted** challenge #%" PRId64 " of %s's answer to `%s`: point %d "
		           "(“%s”) is credited. The answer now scores %d/100 (was %d)",
		           c->id, name, c->question_id, c->point + 1, c->point_text, c->score_after,
		           c->score_before);
		if (c->points_delta != 0)
			reply_addf(r, ", %+d points on the leaderboard.", c->points_delta);
		else
			reply_addf(r,
			           "; the leaderboard is unchanged (the answer earns no points: a "
			           "repeat, after Reveal, or a paste).");
	} else {
		reply_addf(r,
		           "**Rejected** challenge #%" PRId64 " of %s's answer to `%s`: point %d "
		           "(“%s”) stays missed, and the grade stands.",
		           c->id, name, c->question_id, c->point + 1, c->point_text);
	}
	reply_addf(r, " They hear of it on their next private reply.");
	if (store_challenge_queue(ctx->e->store, ctx->user.team_id, ctx->user.id, &next, 1, &n) ==
	        BOT_OK &&
	    n > 0 &&
	    store_challenge_open_total(ctx->e->store, ctx->user.team_id, &more) == BOT_OK) {
		char id[REPLY_ID_MAX];
		reply_addf(r, "\n\n%d challenge%s still open.", more, more == 1 ? " is" : "s are");
		if (cmd_action_id(id, sizeof(id), "review", NULL) == BOT_OK)
			reply_button(r, REPLY_ACTION, REPLY_PRIMARY, "Next challenges", id);
	}
}

void cmd_action_rule(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	struct rule_txn t;
	bool is = false;
	int err;

	r->ephemeral = true;
	err = engine_is_reviewer(ctx, &is);
	if (err == BOT_OK && !is) {
		refuse_not_reviewer(r);
		return;
	}
	memset(&t, 0, sizeof(t));
	if (err == BOT_OK)
		err = store_challenge_get(ctx->e->store, cmd_get(v, "id")->num, &t.c);
	if (err == BOT_ENOENT || (err == BOT_OK && t.c.team_id != ctx->user.team_id)) {
		/* Another team's id reads as none: its existence is not this team's business. */
		reply_addf(r, "That challenge no longer exists (its member may have deleted their "
		              "data). `/review` shows the open ones.");
		return;
	}
	if (err != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	if (t.c.user_id == ctx->user.id) {
		reply_addf(r,
		           "Challenge #%" PRId64
		           " is of your own answer, and nobody rules on their "
		           "own: another reviewer will. Nothing was changed.",
		           t.c.id);
		return;
	}
	if (t.c.status != STORE_OPEN) {
		told_already(ctx, &t.c, r);
		return;
	}
	t.ctx = ctx;
	t.a = xmalloc(sizeof(*t.a));
	t.c.status =
	    strcmp(cmd_get(v, "decision")->str, "accept") == 0 ? STORE_ACCEPTED : STORE_REJECTED;
	t.c.reviewer_id = ctx->user.id;
	t.c.ruled_at = ctx->req->now;
	err = store_txn(ctx->e->store, rule_fn, &t);
	free(t.a);
	if (err == BOT_EEXIST || err == BOT_ENOENT) {
		/* Another process ruled between the read and the write, or the answer went. */
		if (store_challenge_get(ctx->e->store, t.c.id, &t.c) == BOT_OK)
			told_already(ctx, &t.c, r);
		else
			reply_addf(r, "That challenge no longer exists; nothing was changed.");
		return;
	}
	if (err != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	LOG_I(MOD,
	      "challenge %" PRId64 " %s by reviewer %" PRId64 ": answer %" PRId64
	      ", %s point %d, score %d -> %d, %+d points",
	      t.c.id, ruling_word(t.c.status), ctx->user.id, t.c.answer_id, t.c.question_id,
	      t.c.point + 1, t.c.score_before, t.c.score_after, t.c.points_delta);
	render_ruling(ctx, &t.c, r);
}

/* ---- telling the user ---- */

void engine_tell_rulings(struct eng_ctx *ctx, struct reply *r)
{
	struct store_challenge c[TELL_MAX];
	char url[REPLY_URL_MAX];
	size_t n = 0, i;

	/* A long reply waits: a note cut off the end would be marked told unread. */
	if (!r->ephemeral || ctx->user.id == 0 || r->text.len + TELL_ROOM > REPLY_TEXT_MAX ||
	    store_challenge_untold(ctx->e->store, ctx->user.id, c, TELL_MAX, &n) != BOT_OK)
		return;
	for (i = 0; i < n; i++) {
		if (c[i].status == STORE_ACCEPTED) {
			reply_addf(r,
			           "\n\n📣 **A reviewer accepted your challenge** of `%s`: point %d "
			           "(“%s”) is credited, and the answer now scores %d/100 (was %d)",
			           c[i].question_id, c[i].point + 1, c[i].point_text,
			           c[i].score_after, c[i].score_before);
			if (c[i].points_delta != 0)
				reply_addf(r, ", %+d points.", c[i].points_delta);
			else
				reply_addf(r, ".");
		} else {
			engine_question_url(ctx->e, c[i].question_id, url, sizeof(url));
			reply_addf(
			    r,
			    "\n\n📣 **A reviewer kept the grade** of your answer to `%s`: point "
			    "%d (“%s”) stays missed. The model answer shows what it asks "
			    "for: %s",
			    c[i].question_id, c[i].point + 1, c[i].point_text, url);
		}
		store_challenge_told(ctx->e->store, c[i].id);
	}
}

/* ---- /reviewers ---- */

/* Whether id looks like a user id of the platform, so a typo is not added as a member. */
static bool plausible_id(const char *platform, const char *id)
{
	if (platform != NULL && strcmp(platform, "discord") == 0)
		return strspn(id, "0123456789") == strlen(id);
	if (platform != NULL && strcmp(platform, "slack") == 0)
		return (id[0] == 'U' || id[0] == 'W') &&
		       strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(id);
	return true;
}

static void list_reviewers(struct eng_ctx *ctx, struct reply *r)
{
	struct store_member m[25];
	size_t n = 0, i;

	if (store_reviewer_list(ctx->e->store, ctx->user.team_id, m, UTIL_ARRAY_LEN(m), &n) !=
	    BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	reply_addf(r, "**Reviewers** rule on challenged grades with `/review`: the team's admins");
	if (n == 0)
		reply_addf(r, ", and nobody else yet. Add a member: `/reviewers add @alice`.");
	for (i = 0; i < n; i++)
		reply_addf(r, "%s%s (`%s`)", i == 0 ? ", and: " : ", ", who(m[i].name, m[i].ext),
		           m[i].ext);
	if (n > 0)
		reply_addf(r, ".");
}

void cmd_reviewers(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct cmd_value *action = cmd_get(v, "action");
	const struct cmd_value *user = cmd_get(v, "user");
	const char *what = action->set ? action->str : "list";
	struct store_user u;
	bool changed = false;
	int err;

	r->ephemeral = true;
	if (strcmp(what, "list") == 0) {
		list_reviewers(ctx, r);
		return;
	}
	if (!user->set) {
		reply_addf(r, "Name the member to %s: `/reviewers %s @alice`.", what, what);
		return;
	}
	if (!plausible_id(ctx->req->platform, user->str)) {
		reply_addf(r,
		           "`%s` is not a member's id here. Mention them: type @ and pick the name "
		           "(`/reviewers %s @alice`).",
		           user->str, what);
		return;
	}
	if (strcmp(what, "add") == 0) {
		/* A member who never used the bot gets a row now, as their first command would. */
		err = store_user_ensure(ctx->e->store, ctx->req->platform, ctx->req->team,
		                        user->str, "", ctx->req->now, &u);
		if (err == BOT_OK)
			err = store_reviewer_add(ctx->e->store, ctx->user.team_id, u.id,
			                         ctx->req->now, &changed);
	} else {
		err = store_user_find(ctx->e->store, ctx->user.team_id, user->str, &u);
		if (err == BOT_OK)
			err =
			    store_reviewer_remove(ctx->e->store, ctx->user.team_id, u.id, &changed);
		else if (err == BOT_ENOENT)
			err = BOT_OK; /* never seen here: not a reviewer either */
	}
	if (err != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	if (changed)
		LOG_I(MOD, "reviewer %s: user %" PRId64 " by admin %" PRId64,
		      strcmp(what, "add") == 0 ? "added" : "removed", u.id, ctx->user.id);
	if (strcmp(what, "add") == 0)
		reply_addf(r,
		           "%s (`%s`) %s a reviewer: they see the open challenges with `/review`.",
		           who(u.name, user->str), user->str, changed ? "is now" : "was already");
	else if (changed)
		reply_addf(r,
		           "%s (`%s`) is no longer a reviewer (a team admin reviews whatever this "
		           "list says).",
		           who(u.name, user->str), user->str);
	else
		reply_addf(r, "%s (`%s`) was not on the list of reviewers; nothing was changed.",
		           who(u.name, user->str), user->str);
}
