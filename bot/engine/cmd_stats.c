/*
 * cmd_stats.c - what the user and the team have done: /stats, /weak and
 * /leaderboard. Read-only.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"
#include "learn/streak.h"
#include "base/tz.h"

#define MAX_STATS       64
#define LEADERBOARD_TOP 10

static const struct store_topic_stat *stat_for(const struct store_topic_stat *v, size_t n,
                                               const char *slug)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].topic, slug) == 0)
			return &v[i];
	}
	return NULL;
}

static int answers_this_week(struct eng_ctx *ctx, int *count)
{
	const char *zone = engine_user_tz(ctx);
	int32_t today = 0;
	int64_t since = 0;
	int err = tz_day(zone, ctx->req->now, &today);

	if (err == BOT_OK)
		err = tz_midnight(zone, today - tz_weekday(today), &since);
	if (err != BOT_OK)
		since = ctx->req->now - 7 * 86400;
	return store_answer_count_since(ctx->e->store, ctx->user.id, since, count);
}

void cmd_stats(struct eng_ctx *ctx, const char *args, struct reply *r)
{
	const struct content *c = ctx->e->content;
	struct store_topic_stat stats[MAX_STATS];
	struct streak st, view;
	size_t n = 0, t;
	int32_t today = 0;
	int week = 0;
	int err;

	(void)args;
	err = store_streak_get(ctx->e->store, ctx->user.id, &st);
	if (err == BOT_ENOENT)
		err = BOT_OK;
	if (err == BOT_OK)
		err = answers_this_week(ctx, &week);
	if (err == BOT_OK)
		err = store_topic_list(ctx->e->store, ctx->user.id, stats, MAX_STATS, &n);
	if (err != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	tz_day(engine_user_tz(ctx), ctx->req->now, &today);
	streak_view(&st, today, &view);
	r->ephemeral = true;
	reply_addf(r,
	           "**Your stats**\n🔥 Streak: %d day%s (best %d) · 🧊 freezes held: %d\n"
	           "📝 Answers this week: %d\n\n**Mastery by topic**",
	           (int)view.current, view.current == 1 ? "" : "s", (int)view.best,
	           (int)view.freezes, week);
	for (t = 0; t < c->ntopics; t++) {
		const struct store_topic_stat *s = stat_for(stats, n, c->topics[t].slug);
		if (s != NULL && s->answers > 0)
			reply_addf(r, "\n- %s: %.0f%% (%d answer%s)", c->topics[t].name, s->mastery,
			           s->answers, s->answers == 1 ? "" : "s");
		else
			reply_addf(r, "\n- %s: not tried yet", c->topics[t].name);
	}
	reply_addf(r, "\n\nDays count in %s; change it with `/settings timezone <zone>`.",
	           engine_user_tz(ctx));
}

void cmd_weak(struct eng_ctx *ctx, const char *args, struct reply *r)
{
	const struct content *c = ctx->e->content;
	struct store_topic_stat stats[MAX_STATS];
	const char *weakest = NULL;
	size_t n = 0, i, t;

	(void)args;
	if (store_topic_list(ctx->e->store, ctx->user.id, stats, MAX_STATS, &n) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	r->ephemeral = true;
	reply_addf(r, "**Your topics, weakest first**");
	/* The store lists attempted topics weakest first. */
	for (i = 0; i < n; i++) {
		for (t = 0; t < c->ntopics; t++) {
			if (strcmp(c->topics[t].slug, stats[i].topic) != 0 || stats[i].answers == 0)
				continue;
			reply_addf(r, "\n- %s: %.0f%% over %d answer%s", c->topics[t].name,
			           stats[i].mastery, stats[i].answers,
			           stats[i].answers == 1 ? "" : "s");
			if (weakest == NULL)
				weakest = c->topics[t].slug;
		}
	}
	for (t = 0; t < c->ntopics; t++) {
		const struct store_topic_stat *s = stat_for(stats, n, c->topics[t].slug);
		if (s == NULL || s->answers == 0)
			reply_addf(r, "\n- %s: not tried yet", c->topics[t].name);
	}
	if (weakest != NULL)
		reply_addf(r, "\n\nPractise the weakest: `/question %s`", weakest);
	else
		reply_addf(r, "\n\nNothing answered yet. Start with `/question`.");
}

static int parse_period(const char *args, const char **name)
{
	char w[16];

	snprintf(w, sizeof(w), "%s", args);
	util_trim(w);
	if (w[0] == '\0' || strcasecmp(w, "week") == 0)
		*name = "week";
	else if (strcasecmp(w, "month") == 0)
		*name = "month";
	else if (strcasecmp(w, "all") == 0)
		*name = "all";
	else
		return BOT_EINVAL;
	return BOT_OK;
}

struct coverage {
	const struct content *c;
	size_t counts[MAX_STATS];
};

static void count_covered(const char *qid, void *arg)
{
	struct coverage *cov = arg;
	const struct content_question *q = content_find(cov->c, qid);

	if (q != NULL && q->topic < MAX_STATS)
		cov->counts[q->topic]++;
}

static void render_coverage(struct eng_ctx *ctx, struct coverage *cov, struct reply *r)
{
	const struct content *c = ctx->e->content;
	size_t t;

	reply_addf(r, "\n\n**Team coverage** (questions answered by anyone)");
	for (t = 0; t < c->ntopics && t < MAX_STATS; t++) {
		size_t total = c->topics[t].nquestions;
		reply_addf(r, "\n- %s: %zu/%zu (%.0f%%)", c->topics[t].name, cov->counts[t], total,
		           total > 0 ? 100.0 * (double)cov->counts[t] / (double)total : 0.0);
	}
}

void cmd_leaderboard(struct eng_ctx *ctx, const char *args, struct reply *r)
{
	struct store_rank_row rows[LEADERBOARD_TOP];
	struct coverage cov;
	char week[32], month[32];
	const char *name, *period;
	size_t n = 0, i;
	int rank = 0;
	int64_t points = 0;
	int err;

	if (parse_period(args, &name) != BOT_OK) {
		r->ephemeral = true;
		reply_addf(r, "The period is `week`, `month` or `all`, e.g. `/leaderboard month`.");
		return;
	}
	engine_periods(ctx, week, month);
	period = strcmp(name, "week") == 0 ? week : strcmp(name, "month") == 0 ? month : "all";
	memset(&cov, 0, sizeof(cov));
	cov.c = ctx->e->content;
	err = store_score_top(ctx->e->store, ctx->user.team_id, period, rows, LEADERBOARD_TOP, &n);
	if (err == BOT_OK)
		err = store_score_rank(ctx->e->store, ctx->user.team_id, period, ctx->user.id,
		                       &rank, &points);
	if (err == BOT_ENOENT)
		err = BOT_OK;
	if (err == BOT_OK)
		err = store_covered_each(ctx->e->store, ctx->user.team_id, count_covered, &cov);
	if (err != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	reply_addf(r, "**Leaderboard · %s**",
	           strcmp(name, "all") == 0    ? "all time"
	           : strcmp(name, "week") == 0 ? "this week"
	                                       : "this month");
	if (n == 0)
		reply_addf(r, "\nNo points yet. Answer a question to get on the board.");
	for (i = 0; i < n; i++)
		reply_addf(r, "\n%zu. %s — %lld", i + 1,
		           rows[i].name[0] ? rows[i].name : "(someone)", (long long)rows[i].points);
	if (rank > 0)
		reply_addf(r, "\n\nYou: #%d with %lld points.", rank, (long long)points);
	else
		reply_addf(r, "\n\nYou have no points in this period yet.");
	render_coverage(ctx, &cov, r);
}
