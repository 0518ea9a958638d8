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
/* ...read from this many recent answers each, and lists this many points. */
#define WEAK_ANSWERS 100
#define WEAK_POINTS  3
#define WEAK_MASTERY 80.0

/* How often one key point was missed. */
struct miss {
	size_t qi;
	size_t pi;
	int count;
};

struct misses {
	const struct content *c;
	struct miss v[64];
	size_t n;
};

static void count_miss(struct misses *m, size_t qi, size_t pi)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (m->v[i].qi == qi && m->v[i].pi == pi) {
			m->v[i].count++;
			return;
		}
	}
	if (m->n < UTIL_ARRAY_LEN(m->v))
		m->v[m->n++] = (struct miss){qi, pi, 1};
}

/* One recent answer: every key point it did not cover is a miss. */
static void add_misses(const char *qid, uint32_t covered, void *arg)
{
	struct misses *m = arg;
	const struct content_question *q = content_find(m->c, qid);
	size_t i;

	/* Follow-up answers ("<id>/f1") and questions since removed are skipped. */
	if (q == NULL)
		return;
	for (i = 0; i < q->npoints; i++)
		if (!((covered >> i) & 1))
			count_miss(m, (size_t)(q - m->c->questions), i);
}

static int by_count(const void *a, const void *b)
{
	const struct miss *x = a, *y = b;

	if (x->count != y->count)
		return y->count - x->count;
	return x->qi != y->qi ? (x->qi < y->qi ? -1 : 1) : (x->pi < y->pi ? -1 : 1);
}

/* The key points the user missed most often in topic, for /weak. */
static int render_misses(struct eng_ctx *ctx, const char *topic, struct reply *r)
{
	struct misses m = {.c = ctx->e->content};
	size_t i;
	int err = store_answer_each_recent(ctx->e->store, ctx->user.id, topic, RULES_PASTE_SHARE,
	                                   WEAK_ANSWERS, add_misses, &m);

	if (err != BOT_OK || m.n == 0)
		return err;
	qsort(m.v, m.n, sizeof(m.v[0]), by_count);
	reply_addf(r, "\n  Missed most often:");
	for (i = 0; i < m.n && i < WEAK_POINTS; i++) {
		const struct content_question *q = &m.c->questions[m.v[i].qi];
		reply_addf(r, "\n  - %s (`%s`, missed %d time%s)", q->points[m.v[i].pi].text, q->id,
		           m.v[i].count, m.v[i].count == 1 ? "" : "s");
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
