/*
 * cmd_leaderboard.c - /leaderboard: the team's top 10 for a period, the
 * user's rank and the team's coverage per topic. Read-only.
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"

#define MAX_STATS       64
#define LEADERBOARD_TOP 10

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

/* The top rows, the user's rank (0 when unranked) and the team's coverage. */
static int load_board(struct eng_ctx *ctx, const char *period, struct store_rank_row *rows,
                      size_t *n, int *rank, int64_t *points, struct coverage *cov)
{
	struct store *s = ctx->e->store;
	int err = store_score_top(s, ctx->user.team_id, period, rows, LEADERBOARD_TOP, n);

	if (err != BOT_OK && err != BOT_ENOENT)
		return err;
	err = store_score_rank(s, ctx->user.team_id, period, ctx->user.id, rank, points);
	if (err != BOT_OK && err != BOT_ENOENT)
		return err;
	return store_covered_each(s, ctx->user.team_id, count_covered, cov);
}

void cmd_leaderboard(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	struct store_rank_row rows[LEADERBOARD_TOP];
	struct coverage cov;
	char week[32], month[32], url[REPLY_URL_MAX];
	const char *name, *period;
	size_t n = 0, i;
	int rank = 0;
	int64_t points = 0;
	int err;

	name = cmd_get(v, "period")->set ? cmd_get(v, "period")->str : "week";
	engine_periods(ctx, week, month);
	period = strcmp(name, "week") == 0 ? week : strcmp(name, "month") == 0 ? month : "all";
	memset(&cov, 0, sizeof(cov));
	cov.c = ctx->e->content;
	err = load_board(ctx, period, rows, &n, &rank, &points, &cov);
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
	if (engine_page_url(ctx, LINK_TEAM, url, sizeof(url)) == BOT_OK)
		reply_button(r, REPLY_LINK, REPLY_SECONDARY, "Team page", url);
}
