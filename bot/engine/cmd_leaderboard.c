/*
 * cmd_leaderboard.c - /leaderboard: the team's top 10 for a period, the
 * user's rank and the team's coverage per topic; for admins, the board
 * turned off or on, or reset for a new season. A reset is asked first, so
 * its confirm / cancel action lives here too (as /forget-me's does beside
 * it). Showing the board writes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "base/tz.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"

#define MOD             "leaderboard"
#define MAX_STATS       64
#define LEADERBOARD_TOP 10

struct coverage {
	const struct content *c;
	size_t counts[MAX_STATS];
};

/* What one /leaderboard shows, read from the store. */
struct board {
	struct store_team team;
	struct store_rank_row rows[LEADERBOARD_TOP];
	size_t n;
	int hidden;     /* players with points who keep their place private */
	bool me_hidden; /* the user is one of them */
	int rank;       /* the user's, 0 when unranked */
	int64_t points;
	struct coverage cov;
};

static void count_covered(const char *qid, void *arg)
{
	struct coverage *cov = arg;
	const struct content_question *q = content_find(cov->c, qid);

	if (q != NULL && q->topic < MAX_STATS)
		cov->counts[q->topic]++;
}

/* Coverage is anonymous, so it counts everyone: hidden players and an off board too. */
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

/* The board as the store has it: names only when the team's board is on. */
static int load_board(struct eng_ctx *ctx, const char *period, struct board *b)
{
	struct store *s = ctx->e->store;
	int64_t team = ctx->user.team_id;
	int err = store_team_get(s, team, &b->team);

	if (err == BOT_OK)
		err = store_user_hidden(s, ctx->user.id, &b->me_hidden);
	if (err == BOT_OK && !b->team.board_off)
		err = store_score_top(s, team, period, b->rows, LEADERBOARD_TOP, &b->n);
	if (err == BOT_OK && !b->team.board_off)
		err = store_score_hidden(s, team, period, &b->hidden);
	if (err == BOT_OK)
		err = store_score_rank(s, team, period, ctx->user.id, &b->rank, &b->points);
	if (err != BOT_OK && err != BOT_ENOENT)
		return err;
	return store_covered_each(s, team, count_covered, &b->cov);
}

/* "2026-11-18": the day a season began, in the team's calendar. */
static void season_day(const struct eng_ctx *ctx, int64_t t, char out[16])
{
	const char *zone = ctx->user.team_tz[0] != '\0' ? ctx->user.team_tz : ctx->e->default_tz;
	int32_t day = (int32_t)(t / 86400);
	int y, m, d;

	tz_day(zone, t, &day);
	tz_civil_from_days(day, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

static void render_title(struct eng_ctx *ctx, const char *name, const struct store_team *t,
                         struct reply *r)
{
	char since[16];
	bool all = strcmp(name, "all") == 0;

	reply_addf(r, "**Leaderboard · %s**",
	           all && t->season > 0        ? "this season"
	           : all                       ? "all time"
	           : strcmp(name, "week") == 0 ? "this week"
	                                       : "this month");
	if (t->season > 0) {
		season_day(ctx, t->season_start, since);
		reply_addf(r, "\n_Season %d, since %s: points from before it do not count._",
		           t->season + 1, since);
	}
}

/* "and 3 players who keep their place private", after the names. */
static void render_hidden(int hidden, size_t shown, struct reply *r)
{
	if (hidden == 0)
		return;
	reply_addf(r, "\n%s%d player%s who keep%s their place private.", shown > 0 ? "…and " : "",
	           hidden, hidden == 1 ? "" : "s", hidden == 1 ? "s" : "");
}

static void render_rank(const struct board *b, struct reply *r)
{
	if (b->rank > 0)
		reply_addf(r, "\n\nYou: #%d with %lld points", b->rank, (long long)b->points);
	else
		reply_addf(r, "\n\nYou have no points in this period yet");
	/* A hidden player's rank is shown to them alone: the reply is private. */
	if (b->me_hidden) {
		r->ephemeral = true;
		reply_addf(r, " (only you see this: you keep your place private; "
		              "`/settings leaderboard show` puts you on the board).");
	} else {
		reply_addf(r, ".");
	}
}

/* The admins turned the board off: no names, no ranks; the user's own points, privately. */
static void render_off(struct eng_ctx *ctx, const struct board *b, struct reply *r)
{
	r->ephemeral = true;
	reply_addf(r,
	           "\nThe team's admins turned the leaderboard off, so it names nobody, here, on "
	           "the team page or in the daily recaps. Points still count: you have %lld in "
	           "this period (only you see this).",
	           (long long)b->points);
	if (ctx->req->is_admin)
		reply_addf(r, " `/leaderboard on` turns it back on.");
}

static void show_board(struct eng_ctx *ctx, const char *name, struct reply *r)
{
	char week[32], month[32], url[REPLY_URL_MAX];
	const char *period;
	struct board b;
	size_t i;

	engine_periods(ctx, week, month);
	period = strcmp(name, "week") == 0 ? week : strcmp(name, "month") == 0 ? month : "all";
	memset(&b, 0, sizeof(b));
	b.cov.c = ctx->e->content;
	if (load_board(ctx, period, &b) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	render_title(ctx, name, &b.team, r);
	if (b.team.board_off) {
		render_off(ctx, &b, r);
	} else {
		if (b.n == 0 && b.hidden == 0)
			reply_addf(r, "\nNo points yet. Answer a question to get on the board.");
		else if (b.n == 0)
			reply_addf(r, "\nNobody is on the board yet.");
		for (i = 0; i < b.n; i++)
			reply_addf(r, "\n%zu. %s — %lld", i + 1,
			           b.rows[i].name[0] ? b.rows[i].name : "(someone)",
			           (long long)b.rows[i].points);
		render_hidden(b.hidden, b.n, r);
		render_rank(&b, r);
	}
	render_coverage(ctx, &b.cov, r);
	if (engine_page_url(ctx, LINK_TEAM, url, sizeof(url)) == BOT_OK)
		reply_button(r, REPLY_LINK, REPLY_SECONDARY, "Team page", url);
}

/* ---- admins: off, on, reset ---- */

static bool refuse_non_admin(struct eng_ctx *ctx, struct reply *r)
{
	if (ctx->req->is_admin)
		return false;
	r->ephemeral = true;
	reply_addf(r,
	           "Only a team admin can turn the leaderboard off or on or reset it: on Discord "
	           "someone with the Manage Server permission, on Slack a workspace admin or "
	           "owner. `/leaderboard` shows the board to everyone.");
	return true;
}

static void set_board(struct eng_ctx *ctx, bool off, struct reply *r)
{
	const struct request *req = ctx->req;

	if (store_team_set_board(ctx->e->store, ctx->user.team_id, off) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	LOG_I(MOD, "team %s on %s: the board turned %s by admin %s", req->team, req->platform,
	      off ? "off" : "on", req->user);
	if (off)
		reply_addf(r,
		           "The leaderboard is off for the team: `/leaderboard`, the team page and "
		           "the daily recaps name nobody. Points, streaks and stats still count. "
		           "`/leaderboard on` shows the board again.");
	else
		reply_addf(r, "The leaderboard is on again: `/leaderboard`, the team page and the "
		              "daily recaps name the players (all but those who keep their place "
		              "private).");
}

/* Asks before a reset; the buttons carry the season asked about. */
static void ask_reset(struct eng_ctx *ctx, struct reply *r)
{
	char id[CMD_ACTION_ID_MAX + 1], season[16];
	struct store_team t;

	if (store_team_get(ctx->e->store, ctx->user.team_id, &t) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	reply_addf(r,
	           "This starts season %d for the whole team: from now on the board (week, month "
	           "and all time) counts only points earned after this moment. Answers, streaks, "
	           "stats and mastery are kept, and so are the old points (each person's "
	           "`/export-me` lists them). Press **Start a new season** to confirm, or "
	           "**Cancel** to keep the board as it is.",
	           t.season + 2);
	snprintf(season, sizeof(season), "%d", t.season);
	cmd_action_id(id, sizeof(id), "season", "confirm", season, NULL);
	reply_button(r, REPLY_ACTION, REPLY_DANGER, "Start a new season", id);
	cmd_action_id(id, sizeof(id), "season", "cancel", season, NULL);
	reply_button(r, REPLY_ACTION, REPLY_SECONDARY, "Cancel", id);
}

static void admin_action(struct eng_ctx *ctx, const char *action, bool period, struct reply *r)
{
	r->ephemeral = true;
	if (refuse_non_admin(ctx, r))
		return;
	if (period) {
		reply_addf(r, "`/leaderboard %s` takes no period; run it alone: `/leaderboard %s`",
		           action, action);
		return;
	}
	if (strcmp(action, "reset") == 0)
		ask_reset(ctx, r);
	else
		set_board(ctx, strcmp(action, "off") == 0, r);
}

void cmd_leaderboard(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct cmd_value *period = cmd_get(v, "period"), *action = cmd_get(v, "action");

	if (action->set)
		admin_action(ctx, action->str, period->set, r);
	else
		show_board(ctx, period->set ? period->str : "week", r);
}

void cmd_action_season(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct request *req = ctx->req;
	int from = (int)cmd_get(v, "season")->num;
	struct store_team t;
	bool started = false;
	char since[16];

	r->ephemeral = true;
	if (strcmp(cmd_get(v, "choice")->str, "confirm") != 0) {
		reply_addf(r, "Nothing changed: the board keeps its points.");
		return;
	}
	/* The button was the admin's, but anyone may send its id: ask again. */
	if (refuse_non_admin(ctx, r))
		return;
	if (store_team_season_start(ctx->e->store, ctx->user.team_id, from, req->now, &started) !=
	        BOT_OK ||
	    store_team_get(ctx->e->store, ctx->user.team_id, &t) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	season_day(ctx, t.season_start, since);
	if (!started) {
		reply_addf(r,
		           "The board was reset already: season %d began on %s. Nothing changed.",
		           t.season + 1, since);
		return;
	}
	LOG_I(MOD, "team %s on %s: the board reset by admin %s; season %d starts", req->team,
	      req->platform, req->user, t.season + 1);
	reply_addf(r,
	           "Done: season %d started on %s. The board counts points from now on; answers, "
	           "streaks and stats are as they were.",
	           t.season + 1, since);
}
