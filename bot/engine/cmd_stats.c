/*
 * cmd_stats.c - the user's own progress: /stats and /weak, which read the
 * same per-topic statistics (hence one file). Read-only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"
#include "learn/streak.h"
#include "base/tz.h"
#include "engine/rules.h"

#define MAX_STATS 64
/* /weak names the most-missed key points of this many weakest topics... */
#define WEAK_TOPICS 3
/* ...and lists this many points each. */
#define WEAK_POINTS  3
#define WEAK_MASTERY 80.0

/* The key points the user missed most often in topic, for /weak. */
static int render_misses(struct eng_ctx *ctx, const char *topic, struct reply *r)
{
	struct engine_miss m[WEAK_POINTS];
	size_t i, n = 0;
	int err = engine_top_misses(ctx, topic, m, WEAK_POINTS, &n);

	if (err != BOT_OK || n == 0)
		return err;
	reply_addf(r, "\n  Missed most often:");
	for (i = 0; i < n; i++) {
		const struct content_question *q = &ctx->e->content->questions[m[i].qi];
		reply_addf(r, "\n  - %s (`%s`, missed %d time%s)", q->points[m[i].pi].text, q->id,
		           m[i].count, m[i].count == 1 ? "" : "s");
	}
	return BOT_OK;
}

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
	/* A zone that cannot be read counts the last seven days instead of the calendar week. */
	if (tz_day(zone, ctx->req->now, &today) != BOT_OK ||
	    tz_midnight(zone, today - tz_weekday(today), &since) != BOT_OK)
		since = ctx->req->now - 7 * 86400;
	return store_answer_count_since(ctx->e->store, ctx->user.id, since, count);
}

/* What /stats shows, read from the store. */
static int load_stats(struct eng_ctx *ctx, struct streak *st, int *week,
                      struct store_topic_stat *stats, size_t *n)
{
	int err = store_streak_get(ctx->e->store, ctx->user.id, st);

	if (err != BOT_OK && err != BOT_ENOENT)
		return err;
	err = answers_this_week(ctx, week);
	if (err != BOT_OK)
		return err;
	return store_topic_list(ctx->e->store, ctx->user.id, stats, MAX_STATS, n);
}

/*
 * The private page with the pictures. Only the link's holder can open it,
 * so it goes in this private reply; without it /stats still answers.
 */
static void add_page_link(struct eng_ctx *ctx, struct reply *r)
{
	char url[REPLY_URL_MAX];

	if (engine_page_url(ctx, LINK_ME, url, sizeof(url)) != BOT_OK)
		return;
	reply_addf(r, "\nYour progress in pictures is on a private page (the button); "
	              "`/settings links reset` gives it a new link and retires the old one.");
	reply_button(r, REPLY_LINK, REPLY_SECONDARY, "Progress page", url);
}

void cmd_stats(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct content *c = ctx->e->content;
	struct store_topic_stat stats[MAX_STATS];
	struct streak st, view;
	size_t n = 0, t;
	int32_t today = 0;
	int week = 0;
	int err;

	(void)v;
	err = load_stats(ctx, &st, &week, stats, &n);
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
	add_page_link(ctx, r);
}

void cmd_weak(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct content *c = ctx->e->content;
	struct store_topic_stat stats[MAX_STATS];
	const char *weakest = NULL;
	size_t n = 0, i, t, explained = 0;

	(void)v;
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
			if (stats[i].mastery < WEAK_MASTERY && explained++ < WEAK_TOPICS &&
			    render_misses(ctx, stats[i].topic, r) != BOT_OK) {
				reply_reset(r);
				engine_store_error(ctx, r);
				return;
			}
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
