/*
 * export.c - writing a user's export as JSON by hand: the core links no
 * JSON library (jansson is the adapters' wire format), and the shape is
 * small. Strings are repaired to UTF-8 and escaped, with the backtick too
 * (as \u0060), so the text can sit in a Markdown code block that nothing
 * in it can close. One array element per line: a reader can diff two
 * exports, and a short one reads well in a chat message.
 */
#include "engine/export.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "base/tz.h"
#include "learn/srs.h"
#include "learn/streak.h"

#define TOPICS_MAX 256 /* topic rows read; the lint keeps a bank far smaller */
#define DAYS_CHUNK 512 /* days with answers read per store call */
#define STRING_MAX (64u * 1024u)

struct ex {
	struct store *s;
	struct buf *out;
	struct buf tmp; /* a string repaired to UTF-8 */
	int rc;         /* the first failure; later writes are skipped */
	size_t n;       /* elements in the array being written */
};

static void put(struct ex *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct ex *x, const char *fmt, ...)
{
	va_list ap;

	if (x->rc != BOT_OK)
		return;
	va_start(ap, fmt);
	x->rc = buf_vaddf(x->out, fmt, ap);
	va_end(ap);
}

static void str(struct ex *x, const char *s)
{
	const unsigned char *p;

	if (x->rc != BOT_OK)
		return;
	if (s == NULL) {
		put(x, "null");
		return;
	}
	buf_reset(&x->tmp);
	util_utf8_repair(s, strlen(s), &x->tmp);
	put(x, "\"");
	for (p = (const unsigned char *)buf_str(&x->tmp); *p != '\0' && x->rc == BOT_OK; p++) {
		const char *run = (const char *)p;
		size_t n =
		    strcspn(run, "\"\\`\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
		                 "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e"
		                 "\x1f\x7f");
		if (n > 0) {
			x->rc = buf_add(x->out, run, n);
			p += n;
			if (*p == '\0')
				break;
		}
		switch (*p) {
		case '"':
			put(x, "\\\"");
			break;
		case '\\':
			put(x, "\\\\");
			break;
		case '\n':
			put(x, "\\n");
			break;
		case '\r':
			put(x, "\\r");
			break;
		case '\t':
			put(x, "\\t");
			break;
		default:
			put(x, "\\u%04x", *p);
			break;
		}
	}
	put(x, "\"");
}

/* A unix time as "2026-11-18T10:13:20Z". */
static void when(struct ex *x, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];

	if (gmtime_r(&tt, &tm) == NULL) {
		put(x, "null");
		return;
	}
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	put(x, "\"%s\"", s);
}

/* A local day (days since 1970-01-01) as "2026-11-18"; null for none. */
static void day(struct ex *x, int32_t d)
{
	int y, m, dd;

	if (d == STREAK_NO_DAY) {
		put(x, "null");
		return;
	}
	tz_civil_from_days(d, &y, &m, &dd);
	put(x, "\"%04d-%02d-%02d\"", y, m, dd);
}

/* A double as the shortest text that reads back as the same double. */
static void num(struct ex *x, double v)
{
	if (isfinite(v))
		put(x, "%.17g", v);
	else
		put(x, "null");
}

/* Opens "name": [ for one element a line; item() starts each. */
static void array(struct ex *x, const char *name)
{
	put(x, ",\n  \"%s\": [", name);
	x->n = 0;
}

static void item(struct ex *x)
{
	put(x, "%s\n    ", x->n++ > 0 ? "," : "");
}

static void array_end(struct ex *x)
{
	put(x, "%s]", x->n > 0 ? "\n  " : "");
}

static void settings(struct ex *x, const struct store_user *u, const struct store_team *t,
                     bool hidden, bool reviewer)
{
	put(x, ",\n  \"settings\": {\"name\": ");
	str(x, u->name);
	put(x, ", \"platform\": ");
	str(x, t->platform);
	put(x, ", \"timezone\": ");
	str(x, u->tz[0] != '\0' ? u->tz : NULL);
	put(x, ", \"leaderboard\": \"%s\", \"open_question\": ", hidden ? "hidden" : "shown");
	str(x, u->open_qid[0] != '\0' ? u->open_qid : NULL);
	put(x, ", \"reviewer\": %s}", reviewer ? "true" : "false");
}

static int streak(struct ex *x, int64_t user)
{
	struct streak st;
	int rc = store_streak_get(x->s, user, &st);

	if (rc != BOT_OK && rc != BOT_ENOENT)
		return rc;
	put(x, ",\n  \"streak\": {\"current\": %d, \"best\": %d, \"freezes\": %d, \"last_day\": ",
	    (int)st.current, (int)st.best, (int)st.freezes);
	day(x, st.last_day);
	put(x, "}");
	return BOT_OK;
}

/* The days with answers: the streak's history, read a chunk at a time. */
static int days(struct ex *x, int64_t user)
{
	struct store_day *d = xcalloc(DAYS_CHUNK, sizeof(*d));
	int32_t from = INT32_MIN + 1;
	size_t n = DAYS_CHUNK, i;
	int rc = BOT_OK;

	array(x, "days");
	while (rc == BOT_OK && n == DAYS_CHUNK && x->rc == BOT_OK) {
		rc = store_answer_days(x->s, user, from, d, DAYS_CHUNK, &n);
		for (i = 0; rc == BOT_OK && i < n; i++) {
			item(x);
			put(x, "{\"day\": ");
			day(x, d[i].day);
			put(x, ", \"answers\": %d, \"score_sum\": %d}", d[i].answers,
			    d[i].score_sum);
		}
		if (n > 0)
			from = d[n - 1].day + 1;
	}
	array_end(x);
	free(d);
	return rc;
}

static void one_answer(const struct store_user_answer *r, void *arg)
{
	struct ex *x = arg;
	size_t i, k = 0;

	item(x);
	put(x, "{\"id\": %lld, \"question\": ", (long long)r->id);
	str(x, r->a.question_id);
	put(x, ", \"topic\": ");
	str(x, r->a.topic);
	put(x, ", \"at\": ");
	when(x, r->a.created_at);
	put(x, ", \"day\": ");
	day(x, r->a.local_day);
	put(x, ", \"score\": %d, \"covered\": [", r->a.score);
	for (i = 0; i < 32; i++)
		if ((r->a.covered >> i) & 1)
			put(x, "%s%zu", k++ > 0 ? ", " : "", i);
	put(x, "], \"self_grade\": ");
	if (r->self_grade >= 0 && r->self_grade < SRS_NGRADES)
		str(x, srs_grade_name((enum srs_grade)r->self_grade));
	else
		put(x, "null");
	put(x, ", \"points\": %d, \"copied\": %d, \"matched\": ", r->a.points, r->a.copied);
	str(x, r->a.matched);
	put(x, ", \"text\": ");
	str(x, r->a.text);
	put(x, "}");
}

static const char *ruling_name(enum store_ruling r)
{
	return r == STORE_ACCEPTED ? "accepted" : r == STORE_REJECTED ? "rejected" : "open";
}

/* One of the user's challenges of a grade; what a ruling changed once there is one. */
static void one_challenge(const struct store_challenge *c, void *arg)
{
	struct ex *x = arg;
	bool ruled = c->status != STORE_OPEN;

	item(x);
	put(x, "{\"id\": %lld, \"answer\": %lld, \"question\": ", (long long)c->id,
	    (long long)c->answer_id);
	str(x, c->question_id);
	put(x, ", \"point\": %d, \"point_text\": ", c->point);
	str(x, c->point_text);
	put(x, ", \"status\": \"%s\", \"at\": ", ruling_name(c->status));
	when(x, c->created_at);
	put(x, ", \"ruled_at\": ");
	if (ruled)
		when(x, c->ruled_at);
	else
		put(x, "null");
	if (ruled)
		put(x, ", \"score_before\": %d, \"score_after\": %d, \"points_delta\": %d}",
		    c->score_before, c->score_after, c->points_delta);
	else
		put(x, ", \"score_before\": null, \"score_after\": null, \"points_delta\": null}");
}

/* A ruling the user made as a reviewer: whose answer it was is that member's, not here. */
static void one_ruling(const struct store_challenge *c, void *arg)
{
	struct ex *x = arg;

	item(x);
	put(x, "{\"challenge\": %lld, \"question\": ", (long long)c->id);
	str(x, c->question_id);
	put(x, ", \"point\": %d, \"ruling\": \"%s\", \"at\": ", c->point, ruling_name(c->status));
	when(x, c->ruled_at);
	put(x, "}");
}

static void one_review(const char *qid, const struct srs_state *st, void *arg)
{
	struct ex *x = arg;

	item(x);
	put(x, "{\"question\": ");
	str(x, qid);
	put(x, ", \"stability\": ");
	num(x, st->card.stability);
	put(x, ", \"difficulty\": ");
	num(x, st->card.difficulty);
	put(x, ", \"reps\": %d, \"lapses\": %d, \"interval_days\": %d, \"last_review\": ",
	    st->card.reps, st->card.lapses, st->card.interval);
	when(x, st->card.last_review);
	put(x, ", \"due\": ");
	when(x, st->card.due);
	put(x, "}");
}

static void one_reveal(const char *qid, int64_t at, void *arg)
{
	struct ex *x = arg;

	item(x);
	put(x, "{\"question\": ");
	str(x, qid);
	put(x, ", \"at\": ");
	when(x, at);
	put(x, "}");
}

static void one_served(const char *qid, const char *reason, int64_t at, void *arg)
{
	struct ex *x = arg;

	item(x);
	put(x, "{\"question\": ");
	str(x, qid);
	put(x, ", \"reason\": ");
	str(x, reason);
	put(x, ", \"at\": ");
	when(x, at);
	put(x, "}");
}

static void one_score(const struct store_score_row *r, void *arg)
{
	struct ex *x = arg;

	item(x);
	put(x, "{\"season\": %d, \"period\": ", r->season);
	str(x, r->period);
	put(x, ", \"points\": %lld, \"reached_at\": ", (long long)r->points);
	when(x, r->reached_at);
	put(x, "}");
}

static int topics(struct ex *x, int64_t user)
{
	struct store_topic_stat *t = xcalloc(TOPICS_MAX, sizeof(*t));
	size_t n = 0, i;
	int rc = store_topic_list(x->s, user, t, TOPICS_MAX, &n);

	array(x, "topics");
	for (i = 0; rc == BOT_OK && i < n; i++) {
		item(x);
		put(x, "{\"topic\": ");
		str(x, t[i].topic);
		put(x, ", \"mastery\": ");
		num(x, t[i].mastery);
		put(x, ", \"answers\": %d, \"round\": %d}", t[i].answers, t[i].round);
	}
	array_end(x);
	free(t);
	return rc;
}

/* The sections after the header, in the documented order; the first failure wins. */
static int sections(struct ex *x, const struct store_user *u)
{
	int rc = streak(x, u->id);

	if (rc == BOT_OK)
		rc = days(x, u->id);
	if (rc == BOT_OK) {
		array(x, "answers");
		rc = store_answer_each(x->s, u->id, one_answer, x);
		array_end(x);
	}
	if (rc == BOT_OK) {
		array(x, "reviews");
		rc = store_srs_each(x->s, u->id, one_review, x);
		array_end(x);
	}
	if (rc == BOT_OK) {
		array(x, "reveals");
		rc = store_reveal_each(x->s, u->id, one_reveal, x);
		array_end(x);
	}
	if (rc == BOT_OK) {
		array(x, "served");
		rc = store_served_each(x->s, u->id, one_served, x);
		array_end(x);
	}
	if (rc == BOT_OK)
		rc = topics(x, u->id);
	if (rc == BOT_OK) {
		array(x, "points");
		rc = store_score_each(x->s, u->id, one_score, x);
		array_end(x);
	}
	if (rc == BOT_OK) {
		array(x, "challenges");
		rc = store_challenge_each_of(x->s, u->id, false, one_challenge, x);
		array_end(x);
	}
	if (rc == BOT_OK) {
		array(x, "rulings");
		rc = store_challenge_each_of(x->s, u->id, true, one_ruling, x);
		array_end(x);
	}
	return rc;
}

int export_user(struct store *s, int64_t user_id, int64_t now, struct buf *out)
{
	struct ex x = {.s = s, .out = out, .rc = BOT_OK};
	struct store_user u;
	struct store_team t;
	size_t start = out->len;
	bool hidden = false, reviewer = false;
	int rc = store_user_get(s, user_id, &u);

	if (rc == BOT_OK)
		rc = store_team_get(s, u.team_id, &t);
	if (rc == BOT_OK)
		rc = store_user_hidden(s, user_id, &hidden);
	if (rc == BOT_OK)
		rc = store_reviewer_is(s, u.team_id, user_id, &reviewer);
	if (rc != BOT_OK)
		return rc;
	buf_init(&x.tmp, STRING_MAX);
	put(&x, "{\n  \"format\": \"%s\",\n  \"version\": %d,\n  \"exported_at\": ", EXPORT_FORMAT,
	    EXPORT_VERSION);
	when(&x, now);
	settings(&x, &u, &t, hidden, reviewer);
	rc = sections(&x, &u);
	put(&x, "\n}\n");
	buf_cleanup(&x.tmp);
	if (rc == BOT_OK)
		rc = x.rc;
	if (rc != BOT_OK) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
	}
	return rc;
}
