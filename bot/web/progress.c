/*
 * progress.c - the private pages and their SVG pictures. Days are the
 * user's local days, as streaks count them; weeks start on Monday.
 */
#include "web/progress.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/tz.h"
#include "engine/engine.h"
#include "engine/export.h"
#include "learn/streak.h"
#include "link/link.h"

#define WEEKS      53 /* the heatmap: this week and the 52 before it */
#define CELL       13 /* px per day, gap included */
#define TREND      26 /* weeks in the answers-per-week chart */
#define MAX_TOPICS 64
#define BOARD_TOP  10

static const char *const MONTHS[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* ---- the user's page ---- */

struct year {
	int32_t first; /* the Monday the heatmap starts on */
	int32_t today;
	int count[WEEKS * 7];
	int score[WEEKS * 7];
	int total;
};

static int load_year(struct store *s, int64_t user, struct year *y)
{
	struct store_day days[WEEKS * 7];
	size_t n = 0, i;
	int rc = store_answer_days(s, user, y->first, days, WEEKS * 7, &n);

	for (i = 0; rc == BOT_OK && i < n; i++) {
		int32_t k = days[i].day - y->first;
		if (k < 0 || k >= WEEKS * 7)
			continue;
		y->count[k] = days[i].answers;
		y->score[k] = days[i].score_sum;
		y->total += days[i].answers;
	}
	return rc;
}

static int level(int n)
{
	return n <= 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n <= 4 ? 3 : 4;
}

static void heatmap(struct buf *b, const struct year *y)
{
	int w, d, last_month = -1;

	/* A year is ~720 px wide: a phone scrolls it sideways (class "wide"), starting at
	 * this week, instead of shrinking the days to dots. */
	buf_addf(b,
	         "<div class=\"wide\"><svg role=\"img\" "
	         "aria-label=\"Answers per day over the last year: %d in all\" "
	         "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	         "xmlns=\"http://www.w3.org/2000/svg\">\n",
	         y->total, 30 + WEEKS * CELL, 22 + 7 * CELL, 30 + WEEKS * CELL, 22 + 7 * CELL);
	buf_addf(b,
	         "<text x=\"0\" y=\"%d\">Mon</text><text x=\"0\" y=\"%d\">Wed</text>"
	         "<text x=\"0\" y=\"%d\">Fri</text>\n",
	         20 + CELL - 3, 20 + 3 * CELL - 3, 20 + 5 * CELL - 3);
	for (w = 0; w < WEEKS; w++) {
		int yy, mm, dd;
		tz_civil_from_days(y->first + w * 7, &yy, &mm, &dd);
		if (mm != last_month && dd <= 7 && w < WEEKS - 2)
			buf_addf(b, "<text x=\"%d\" y=\"12\">%s</text>", 30 + w * CELL,
			         MONTHS[mm - 1]);
		last_month = dd <= 7 ? mm : last_month;
		for (d = 0; d < 7; d++) {
			int k = w * 7 + d;
			if (y->first + k > y->today)
				break;
			tz_civil_from_days(y->first + k, &yy, &mm, &dd);
			buf_addf(b,
			         "<rect class=\"h%d\" x=\"%d\" y=\"%d\" width=\"11\" height=\"11\" "
			         "rx=\"2\"><title>%04d-%02d-%02d: %d answer%s</title></rect>",
			         level(y->count[k]), 30 + w * CELL, 18 + d * CELL, yy, mm, dd,
			         y->count[k], y->count[k] == 1 ? "" : "s");
		}
		buf_adds(b, "\n");
	}
	buf_adds(b, "</svg></div>\n");
}

/* Answers per week for the last TREND weeks, with each week's average score. */
static void trend(struct buf *b, const struct year *y)
{
	int w, max = 1, sums[TREND], scores[TREND];
	const int height = 100, bar = 14; /* 364 units: a phone shows it at its size */

	for (w = 0; w < TREND; w++) {
		int d, k0 = (WEEKS - TREND + w) * 7;
		sums[w] = scores[w] = 0;
		for (d = 0; d < 7; d++) {
			sums[w] += y->count[k0 + d];
			scores[w] += y->score[k0 + d];
		}
		if (sums[w] > max)
			max = sums[w];
	}
	buf_addf(b,
	         "<svg role=\"img\" aria-label=\"Answers per week, the last %d weeks\" "
	         "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	         "xmlns=\"http://www.w3.org/2000/svg\">\n",
	         TREND, TREND * bar, height + 20, TREND * bar, height + 20);
	for (w = 0; w < TREND; w++) {
		int h = sums[w] * height / max;
		int yy, mm, dd;
		tz_civil_from_days(y->first + (WEEKS - TREND + w) * 7, &yy, &mm, &dd);
		buf_addf(
		    b,
		    "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"><title>Week "
		    "of %04d-%02d-%02d: %d answer%s",
		    w * bar + 2, height - h, bar - 4, h, yy, mm, dd, sums[w],
		    sums[w] == 1 ? "" : "s");
		if (sums[w] > 0)
			buf_addf(b, ", average score %d", scores[w] / sums[w]);
		buf_adds(b, "</title></rect>\n");
	}
	buf_addf(b,
	         "<text x=\"0\" y=\"%d\">%d weeks ago</text><text x=\"%d\" y=\"%d\" "
	         "text-anchor=\"end\">this week</text>\n</svg>\n",
	         height + 16, TREND - 1, TREND * bar, height + 16);
}

/*
 * One bar per row: the label above, then the track with its filled part
 * and the value. 360 units wide, so a phone shows it at its own size and
 * the labels stay readable; a long label has the whole width.
 */
static void bars(struct buf *b, const char *title, const char *const *labels, const double *pct,
                 const char *const *values, size_t n)
{
	const int track = 270, row = 38, width = 360;
	size_t i;

	buf_adds(b, "<svg role=\"img\" aria-label=\"");
	html_esc(b, title);
	buf_addf(b,
	         "\" viewBox=\"0 0 %d %zu\" width=\"%d\" height=\"%zu\" "
	         "xmlns=\"http://www.w3.org/2000/svg\">\n",
	         width, n * row + 4, width, n * row + 4);
	for (i = 0; i < n; i++) {
		int y = (int)i * row;
		double p = pct[i] < 0 ? 0 : pct[i] > 100 ? 100 : pct[i];
		buf_addf(b, "<text x=\"0\" y=\"%d\">", y + 13);
		html_esc(b, labels[i]);
		buf_addf(
		    b,
		    "</text><rect class=\"track\" x=\"0\" y=\"%d\" width=\"%d\" height=\"14\" "
		    "rx=\"3\"/><rect class=\"bar\" x=\"0\" y=\"%d\" width=\"%d\" height=\"14\" "
		    "rx=\"3\"/><text x=\"%d\" y=\"%d\">",
		    y + 18, track, y + 18, (int)(p * track / 100.0 + 0.5), track + 8, y + 30);
		html_esc(b, values[i]);
		buf_adds(b, "</text>\n");
	}
	buf_adds(b, "</svg>\n");
}

static int mastery(struct html *h, const struct progress_deps *d, int64_t user)
{
	const struct content *c = d->content;
	struct store_topic_stat st[MAX_TOPICS];
	const char *labels[MAX_TOPICS], *values[MAX_TOPICS];
	char text[MAX_TOPICS][32];
	double pct[MAX_TOPICS];
	size_t n = 0, t, i;
	int rc = store_topic_list(d->store, user, st, MAX_TOPICS, &n);

	if (rc != BOT_OK)
		return rc;
	for (t = 0; t < c->ntopics && t < MAX_TOPICS; t++) {
		labels[t] = c->topics[t].name;
		pct[t] = 0;
		snprintf(text[t], sizeof(text[t]), "not tried");
		for (i = 0; i < n; i++)
			if (strcmp(st[i].topic, c->topics[t].slug) == 0 && st[i].answers > 0) {
				pct[t] = st[i].mastery;
				snprintf(text[t], sizeof(text[t]), "%.0f%% · %d", st[i].mastery,
				         st[i].answers);
			}
		values[t] = text[t];
	}
	buf_adds(h->b, "<h2>Mastery by topic</h2>\n<p class=\"muted\">Recent scores weigh most; "
	               "the number after the dot is how many answers.</p>\n");
	bars(h->b, "Mastery by topic, in percent", labels, pct, values, t);
	return BOT_OK;
}

static const char *user_zone(const struct store_user *u, const char *def)
{
	return u->tz[0] != '\0' ? u->tz : u->team_tz[0] != '\0' ? u->team_tz : def;
}

static void private_note(struct html *h, const char *reset)
{
	buf_addf(h->b,
	         "<p class=\"muted\">This page is private: only people with its link can open "
	         "it, and search engines are asked not to list it. <code>%s</code> in the chat "
	         "retires this link and gives a new one.</p>\n",
	         reset);
}

static int page_me(const struct progress_deps *d, struct html *h, int64_t user)
{
	struct year y;
	struct store_user u;
	struct streak st, view;
	const char *zone;
	int rc = store_user_get(d->store, user, &u);

	if (rc != BOT_OK)
		return rc == BOT_ENOENT ? 404 : 503;
	memset(&y, 0, sizeof(y));
	zone = user_zone(&u, d->default_tz);
	y.today = (int32_t)(d->now / 86400);
	tz_day(zone, d->now, &y.today);
	y.first = y.today - tz_weekday(y.today) - (WEEKS - 1) * 7;
	if (load_year(d->store, user, &y) != BOT_OK ||
	    ((rc = store_streak_get(d->store, user, &st)) != BOT_OK && rc != BOT_ENOENT))
		return 503;
	streak_view(&st, y.today, &view);
	html_head(h, "Your progress");
	buf_adds(h->b, "<h1>Progress of ");
	html_esc(h->b, u.name[0] != '\0' ? u.name : "you");
	buf_addf(h->b,
	         "</h1>\n<p>Streak: <strong>%d day%s</strong> (best %d) · %d answer%s in the last "
	         "year · days in ",
	         (int)view.current, view.current == 1 ? "" : "s", (int)view.best, y.total,
	         y.total == 1 ? "" : "s");
	html_esc(h->b, zone);
	buf_adds(h->b, "</p>\n<h2>Every day of the last year</h2>\n");
	heatmap(h->b, &y);
	buf_adds(h->b, "<h2>Answers per week</h2>\n");
	trend(h->b, &y);
	if (mastery(h, d, user) != BOT_OK)
		return 503;
	private_note(h, "/settings links reset");
	html_tail(h);
	return 200;
}

/* ---- the team's page ---- */

struct coverage {
	const struct content *c;
	size_t done[MAX_TOPICS];
};

static void count_covered(const char *qid, void *arg)
{
	struct coverage *cov = arg;
	const struct content_question *q = content_find(cov->c, qid);

	if (q != NULL && q->topic < MAX_TOPICS)
		cov->done[q->topic]++;
}

/* "…and 2 players who keep their place private." under a board. */
static void hidden_note(struct html *h, int hidden, size_t shown)
{
	if (hidden > 0)
		buf_addf(h->b,
		         "<p class=\"muted\">%s%d player%s who keep%s their place private.</p>\n",
		         shown > 0 ? "…and " : "", hidden, hidden == 1 ? "" : "s",
		         hidden == 1 ? "s" : "");
}

static int board(struct html *h, const struct progress_deps *d, int64_t team, const char *title,
                 const char *period)
{
	struct store_rank_row rows[BOARD_TOP];
	size_t n = 0, i;
	int hidden = 0;
	int rc = store_score_top(d->store, team, period, rows, BOARD_TOP, &n);

	if (rc == BOT_OK)
		rc = store_score_hidden(d->store, team, period, &hidden);
	if (rc != BOT_OK)
		return rc;
	buf_addf(h->b, "<h3>%s</h3>\n", title);
	if (n == 0) {
		if (hidden == 0)
			buf_adds(h->b, "<p class=\"muted\">No points yet.</p>\n");
		hidden_note(h, hidden, n);
		return BOT_OK;
	}
	buf_adds(h->b, "<table>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Who</th>"
	               "<th scope=\"col\">Points</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		buf_addf(h->b, "<tr><td>%zu</td><td>", i + 1);
		html_esc(h->b, rows[i].name[0] != '\0' ? rows[i].name : "(someone)");
		buf_addf(h->b, "</td><td>%lld</td></tr>\n", (long long)rows[i].points);
	}
	buf_adds(h->b, "</tbody>\n</table>\n");
	hidden_note(h, hidden, n);
	return BOT_OK;
}

/* The three boards, or why there are none. */
static int boards(struct html *h, const struct progress_deps *d, const struct store_team *t)
{
	char week[32], month[32], title[64];
	const char *zone = t->tz[0] != '\0' ? t->tz : d->default_tz;
	int32_t day = 0;
	int y, m, dd;

	if (t->board_off) {
		buf_adds(h->b,
		         "<p>The team's admins turned the leaderboard off, so this page names "
		         "nobody. Points still count.</p>\n");
		return BOT_OK;
	}
	engine_period_keys(zone, d->now, week, month);
	snprintf(title, sizeof(title), "All time");
	if (t->season > 0) {
		tz_day(zone, t->season_start, &day);
		tz_civil_from_days(day, &y, &m, &dd);
		snprintf(title, sizeof(title), "This season (season %d, since %04d-%02d-%02d)",
		         t->season + 1, y, m, dd);
	}
	if (board(h, d, t->id, "This week", week) != BOT_OK ||
	    board(h, d, t->id, "This month", month) != BOT_OK ||
	    board(h, d, t->id, title, "all") != BOT_OK)
		return BOT_ESTORE;
	return BOT_OK;
}

static int team_coverage(struct html *h, const struct progress_deps *d, int64_t team)
{
	struct coverage cov;
	const struct content *c = d->content;
	const char *labels[MAX_TOPICS], *values[MAX_TOPICS];
	char text[MAX_TOPICS][32];
	double pct[MAX_TOPICS];
	size_t t;
	int rc;

	memset(&cov, 0, sizeof(cov));
	cov.c = c;
	rc = store_covered_each(d->store, team, count_covered, &cov);
	if (rc != BOT_OK)
		return rc;
	for (t = 0; t < c->ntopics && t < MAX_TOPICS; t++) {
		size_t all = c->topics[t].nquestions;
		labels[t] = c->topics[t].name;
		pct[t] = all > 0 ? 100.0 * (double)cov.done[t] / (double)all : 0;
		snprintf(text[t], sizeof(text[t]), "%zu of %zu", cov.done[t], all);
		values[t] = text[t];
	}
	buf_adds(h->b, "<h2>What the team has covered</h2>\n<p class=\"muted\">Questions someone "
	               "on the team has answered, per topic.</p>\n");
	bars(h->b, "Questions answered by the team, per topic", labels, pct, values, t);
	return BOT_OK;
}

static int page_team(const struct progress_deps *d, struct html *h, int64_t team)
{
	struct store_team t;
	int rc = store_team_get(d->store, team, &t);

	if (rc != BOT_OK)
		return rc == BOT_ENOENT ? 404 : 503;
	html_head(h, "Team progress");
	buf_adds(h->b, "<h1>Team leaderboard</h1>\n");
	if (boards(h, d, &t) != BOT_OK || team_coverage(h, d, team) != BOT_OK)
		return 503;
	private_note(h, "/settings links reset-team");
	html_tail(h);
	return 200;
}

int progress_export(const struct progress_deps *d, const char *token, struct buf *out)
{
	int64_t id = 0;
	int rc = link_check(d->store, LINK_EXPORT, token, &id);

	if (rc == BOT_OK)
		rc = export_user(d->store, id, d->now, out);
	if (rc == BOT_OK)
		return 200;
	buf_reset(out);
	return rc == BOT_ENOENT ? 404 : rc == BOT_ETOOBIG ? 500 : 503;
}

int progress_render(const struct progress_deps *d, struct html *h, const char *path)
{
	enum link_kind kind = strncmp(path, "/me/", 4) == 0 ? LINK_ME : LINK_TEAM;
	const char *token = path + (kind == LINK_ME ? 4 : 6);
	int64_t id = 0;
	int rc = link_check(d->store, kind, token, &id), status;

	if (rc != BOT_OK)
		return rc == BOT_ENOENT ? 404 : 503;
	status = kind == LINK_ME ? page_me(d, h, id) : page_team(d, h, id);
	if (status != 200)
		buf_reset(h->b);
	return status;
}
