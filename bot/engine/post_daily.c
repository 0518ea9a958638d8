/*
 * post_daily.c - the daily question a channel gets without asking: a
 * question from the channel's topics that the channel has not had
 * lately, with a recap of the previous one when the channel has no
 * reveal time (else the reveal, post_reveal.c, is the recap). Picking,
 * recording and rendering live here; when to post is the drill
 * scheduler's business. The post shows the question and its Answer box
 * only: answers are private until the reveal, so the post links no model
 * answer and offers no Reveal (a person's own graded reply does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/tz.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"

#define POST_KIND ENGINE_DAILY_KIND

bool engine_topic_listed(const char *list, const char *t)
{
	size_t n = strlen(t);
	const char *p = list;

	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, t, n) == 0)
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

static bool was_recent(const char *id, char (*recent)[STORE_ID_MAX], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(recent[i], id) == 0)
			return true;
	}
	return false;
}

/* Whether q is in the channel's pool: its topics and difficulty. */
static bool in_pool(const struct content *c, const struct store_daily *d,
                    const struct content_question *q)
{
	return (d->topics[0] == '\0' || engine_topic_listed(d->topics, c->topics[q->topic].slug)) &&
	       (d->difficulty == 0 || q->difficulty == d->difficulty);
}

/*
 * With several topics, the one after the last post's topic in the list
 * (so they take turns); "" (any) with one topic or none, or when the last
 * post is unknown.
 */
static void next_topic(const struct content *c, const struct store_daily *d, const char *last_qid,
                       char *out, size_t size)
{
	const struct content_question *q = last_qid != NULL ? content_find(c, last_qid) : NULL;
	const char *p = d->topics, *after = NULL;

	out[0] = '\0';
	if (strchr(d->topics, ',') == NULL || q == NULL)
		return;
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		const char *next = p + n + (p[n] == ',');
		if (n == strlen(c->topics[q->topic].slug) &&
		    strncmp(p, c->topics[q->topic].slug, n) == 0)
			after = next;
		p = next;
	}
	if (after == NULL || *after == '\0')
		after = d->topics; /* the last one's topic is gone, or was the last: wrap */
	snprintf(out, size, "%.*s", (int)strcspn(after, ","), after);
}

#define SERVED_DAYS 30 /* a question someone met through /question this recently waits */

/*
 * Whether q may be picked in this pass. Passes, in order: the turn's
 * topic, unposted, not met lately by anyone in the team through
 * /question; the same but met; any topic unposted and not met; any topic
 * unposted; and when the channel has had the whole pool, any but the
 * latest post.
 */
static bool fits(const struct content *c, const struct content_question *q, int pass,
                 const char *turn, char (*recent)[STORE_ID_MAX], size_t nrecent,
                 char (*served)[STORE_ID_MAX], size_t nserved, size_t total)
{
	if (pass < 2 && strcmp(c->topics[q->topic].slug, turn) != 0)
		return false;
	if (pass < 4 && was_recent(q->id, recent, nrecent))
		return false;
	if ((pass == 0 || pass == 2) && was_recent(q->id, served, nserved))
		return false;
	return pass < 4 || nrecent == 0 || strcmp(q->id, recent[0]) != 0 || total == 1;
}

/*
 * A question of the channel's pool not posted there before, of the topic
 * whose turn it is when it has one left, and not one the team met lately
 * through /question if another is left; when the channel has had the
 * whole pool, any but the latest post.
 */
static int pick(struct engine *e, const struct store_channel *ch, int64_t now, size_t *qi)
{
	const struct content *c = e->content;
	char(*recent)[STORE_ID_MAX] = e->seen;
	char(*served)[STORE_ID_MAX] = xcalloc(ENGINE_TOPIC_MAX, STORE_ID_MAX);
	size_t cand[ENGINE_TOPIC_MAX], n = 0, nrecent = 0, nserved = 0, total = 0, i;
	char turn[64];
	int pass, rc;

	for (i = 0; i < c->nquestions; i++)
		total += in_pool(c, &ch->daily, &c->questions[i]);
	rc = total == 0
	         ? BOT_ENOENT
	         : store_channel_post_recent(
	               e->store, ch->id, POST_KIND, recent,
	               total - 1 < ENGINE_TOPIC_MAX ? total - 1 : ENGINE_TOPIC_MAX, &nrecent);
	if (rc == BOT_OK)
		rc = store_team_served(e->store, ch->team_id, now - SERVED_DAYS * 86400, served,
		                       ENGINE_TOPIC_MAX, &nserved);
	turn[0] = '\0';
	if (rc == BOT_OK)
		next_topic(c, &ch->daily, nrecent > 0 ? recent[0] : NULL, turn, sizeof(turn));
	for (pass = turn[0] ? 0 : 2; rc == BOT_OK && pass < 5 && n == 0; pass++)
		for (i = 0; i < c->nquestions && n < ENGINE_TOPIC_MAX; i++)
			if (in_pool(c, &ch->daily, &c->questions[i]) &&
			    fits(c, &c->questions[i], pass, turn, recent, nrecent, served, nserved,
			         total))
				cand[n++] = i;
	free(served);
	if (rc == BOT_OK && n == 0)
		rc = BOT_ENOENT;
	if (rc == BOT_OK)
		*qi = cand[engine_random(e, n)];
	return rc;
}

#define RECAP_TOP 3

/* What one daily post reads and records. */
struct daily {
	struct engine *e;
	const struct engine_post *p;
	struct store_post last;
	bool have_last;
	int answered;
	double avg;
	struct store_name_num best[RECAP_TOP], streaks[RECAP_TOP];
	size_t nbest, nstreaks;
	size_t qi;
	char reveal[8];          /* the channel's reveal time, "" = with the next post */
	char zone[STORE_TZ_MAX]; /* the channel's zone */
};

/* "ann 92 · bo 80", or with days "ann 12 days · bo 1 day". */
static void name_list(struct reply *r, const struct store_name_num *v, size_t n, bool days)
{
	size_t i;

	for (i = 0; i < n; i++)
		reply_addf(r, "%s%s %d%s", i ? " · " : "", v[i].name[0] ? v[i].name : "(someone)",
		           v[i].num,
		           !days           ? ""
		           : v[i].num == 1 ? " day"
		                           : " days");
}

/* The last post's recap: who answered, the best scores, its model answer; the streak leaders. */
static void render_recap(struct engine *e, const struct daily *d, struct reply *r)
{
	char url[REPLY_URL_MAX];

	if (!d->have_last)
		return;
	engine_question_url(e, d->last.question_id, url, sizeof(url));
	if (d->answered == 0) {
		reply_addf(r, "\n\n**Last time** (`%s`): nobody answered yet; it is still open.",
		           d->last.question_id);
	} else {
		reply_addf(r, "\n\n**Last time** (`%s`): %d answered, average score %.0f.",
		           d->last.question_id, d->answered, d->avg);
		if (d->nbest > 0) {
			reply_addf(r, " Best: ");
			name_list(r, d->best, d->nbest, false);
			reply_addf(r, ".");
		}
	}
	reply_addf(r, " [Its model answer](%s).", url);
	if (d->nstreaks > 0) {
		reply_addf(r, "\n**Streaks:** ");
		name_list(r, d->streaks, d->nstreaks, true);
	}
}

static void render(struct engine *e, const struct content_question *q, const struct daily *d,
                   struct reply *r)
{
	char id[CMD_ACTION_ID_MAX + 1];

	reply_title(r, "Daily question · %s", e->content->topics[q->topic].name);
	reply_addf(r, "%s · `%s`\n\n%s", engine_stars(q->difficulty), q->id, q->question);
	render_recap(e, d, r);
	if (d->reveal[0] != '\0')
		reply_footer(r,
		             "Answer privately with the button: your grade is for you alone. "
		             "The answers are revealed at %s %s.",
		             d->reveal, d->zone);
	else
		reply_footer(r, "Answer privately with the button: your grade is for you alone. "
		                "The answers are revealed with the next question.");
	/* The Answer box only: Reveal and the model answer come with the reveal. */
	cmd_action_id(id, sizeof(id), "answer", q->id, NULL);
	reply_button(r, REPLY_MODAL, REPLY_PRIMARY, "Answer", id);
	snprintf(r->modal_title, sizeof(r->modal_title), "Your answer");
}

/* The channel's reveal time and zone, for the footer; the recap only without a reveal time. */
static void read_mode(struct engine *e, const struct store_channel *ch, struct daily *d)
{
	snprintf(d->reveal, sizeof(d->reveal), "%s", ch->daily.reveal);
	snprintf(d->zone, sizeof(d->zone), "%s", engine_channel_tz(e, ch));
}

/*
 * The previous post and how the team did on it, for the recap. The count
 * and the average are anonymous; names come only from a board that is on,
 * and never of a player who keeps their place private (the store leaves
 * them out).
 */
static int recap(struct store *s, const struct store_channel *ch, int32_t day, struct daily *d)
{
	struct store_team team;
	int rc = store_channel_post_last(s, ch->id, POST_KIND, day, &d->last);

	if (rc == BOT_ENOENT)
		return BOT_OK;
	if (rc != BOT_OK)
		return rc;
	d->have_last = true;
	rc = store_question_stats(s, ch->team_id, d->last.question_id, d->last.posted_at,
	                          &d->answered, &d->avg);
	if (rc == BOT_OK)
		rc = store_team_get(s, ch->team_id, &team);
	if (rc != BOT_OK || team.board_off)
		return rc;
	rc = store_question_best(s, ch->team_id, d->last.question_id, d->last.posted_at, d->best,
	                         RECAP_TOP, &d->nbest);
	if (rc == BOT_OK)
		rc = store_streak_leaders(s, ch->team_id, d->streaks, RECAP_TOP, &d->nstreaks);
	return rc;
}

static int daily_txn(struct store *s, void *arg)
{
	struct daily *d = arg;
	struct store_channel ch;
	bool claimed = false;
	int32_t day = 0;
	int rc;

	rc = store_channel_ensure(s, d->p->platform, d->p->team, d->p->channel, d->p->now, &ch);
	if (rc != BOT_OK)
		return rc;
	rc = tz_day(engine_channel_tz(d->e, &ch), d->p->now, &day);
	if (rc != BOT_OK)
		return rc;
	rc = pick(d->e, &ch, d->p->now, &d->qi);
	if (rc != BOT_OK)
		return rc;
	rc = store_channel_post_claim(s, ch.id, POST_KIND, d->e->content->questions[d->qi].id, day,
	                              d->p->now, &claimed);
	if (rc != BOT_OK)
		return rc;
	if (!claimed)
		return BOT_EEXIST;
	read_mode(d->e, &ch, d);
	return d->reveal[0] != '\0' ? BOT_OK : recap(s, &ch, day, d);
}

static int post_daily(struct engine *e, const struct engine_post *p, struct reply *r)
{
	struct daily d = {.e = e, .p = p};
	int rc = store_txn(e->store, daily_txn, &d);

	if (rc != BOT_OK)
		return rc;
	snprintf(r->dest.platform, sizeof(r->dest.platform), "%s", p->platform);
	snprintf(r->dest.team, sizeof(r->dest.team), "%s", p->team);
	snprintf(r->dest.channel, sizeof(r->dest.channel), "%s", p->channel);
	render(e, &e->content->questions[d.qi], &d, r);
	return BOT_OK;
}

static int again_txn(struct store *s, void *arg)
{
	struct daily *d = arg;
	struct store_channel ch;
	int32_t day = 0;
	int rc = store_channel_ensure(s, d->p->platform, d->p->team, d->p->channel, d->p->now, &ch);

	if (rc == BOT_OK)
		rc = tz_day(engine_channel_tz(d->e, &ch), d->p->now, &day);
	if (rc != BOT_OK)
		return rc;
	read_mode(d->e, &ch, d);
	return d->reveal[0] != '\0' ? BOT_OK : recap(s, &ch, day, d);
}

int engine_post_again(struct engine *e, const struct engine_post *p, const char *qid,
                      struct reply *r)
{
	const struct content_question *q = content_find(e->content, qid);
	struct daily d = {.e = e, .p = p};
	int rc;

	if (p->kind == ENGINE_POST_REVEAL)
		return engine_reveal(e, p, qid, r);
	if (q == NULL)
		return BOT_ENOENT;
	rc = store_txn(e->store, again_txn, &d);
	if (rc != BOT_OK)
		return rc;
	snprintf(r->dest.platform, sizeof(r->dest.platform), "%s", p->platform);
	snprintf(r->dest.team, sizeof(r->dest.team), "%s", p->team);
	snprintf(r->dest.channel, sizeof(r->dest.channel), "%s", p->channel);
	render(e, q, &d, r);
	return BOT_OK;
}

struct sent {
	struct engine *e;
	const struct engine_post *const *p;
	const char *const *message_id;
	size_t n;
};

static int sent_txn(struct store *s, void *arg)
{
	struct sent *x = arg;
	size_t i;
	int rc = BOT_OK;

	for (i = 0; i < x->n && rc == BOT_OK; i++) {
		const struct engine_post *p = x->p[i];
		struct store_channel ch;
		int32_t day = 0;
		rc = store_channel_ensure(s, p->platform, p->team, p->channel, p->now, &ch);
		/* A reveal is recorded under its post's day, which may be the day before. */
		if (rc == BOT_OK && p->kind == ENGINE_POST_REVEAL)
			day = p->day;
		else if (rc == BOT_OK)
			rc = tz_day(engine_channel_tz(x->e, &ch), p->now, &day);
		if (rc == BOT_OK)
			rc = store_channel_post_sent(
			    s, ch.id,
			    p->kind == ENGINE_POST_REVEAL ? ENGINE_REVEAL_KIND : POST_KIND, day,
			    x->message_id[i]);
	}
	return rc;
}

int engine_posts_sent(struct engine *e, const struct engine_post *const *p,
                      const char *const *message_id, size_t n)
{
	struct sent x = {e, p, message_id, n};

	return n == 0 ? BOT_OK : store_txn(e->store, sent_txn, &x);
}

int engine_post_sent(struct engine *e, const struct engine_post *p, const char *message_id)
{
	return engine_posts_sent(e, &p, &message_id, 1);
}

int engine_post(struct engine *e, const struct engine_post *p, struct reply *r)
{
	switch (p->kind) {
	case ENGINE_POST_DAILY:
		return post_daily(e, p, r);
	case ENGINE_POST_REVEAL:
		return engine_reveal(e, p, NULL, r);
	}
	return BOT_EINVAL;
}
