/*
 * post_daily.c - the daily question a channel gets without asking: a
 * question from the channel's topics that the channel has not had
 * lately, with a recap of the previous one. Picking, recording and
 * rendering live here; when to post is the drill scheduler's business.
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/tz.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"

#define POST_KIND ENGINE_DAILY_KIND

/* Whether topic slug t is in the comma-separated list (an empty list holds all). */
static bool in_topics(const char *list, const char *t)
{
	size_t n = strlen(t);
	const char *p = list;

	if (*list == '\0')
		return true;
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

/*
 * A question of the channel's topics not among the recent posts; when the
 * channel has had them all, any but the latest one.
 */
static int pick(struct engine *e, const struct store_channel *ch, size_t *qi)
{
	const struct content *c = e->content;
	char(*recent)[STORE_ID_MAX] = e->seen;
	size_t cand[ENGINE_TOPIC_MAX], n = 0, nrecent = 0, total = 0, i;
	int pass, rc;

	for (i = 0; i < c->nquestions; i++)
		total += in_topics(ch->daily.topics, c->topics[c->questions[i].topic].slug);
	if (total == 0)
		return BOT_ENOENT;
	rc = store_channel_post_recent(e->store, ch->id, POST_KIND, recent,
	                               total - 1 < ENGINE_TOPIC_MAX ? total - 1 : ENGINE_TOPIC_MAX,
	                               &nrecent);
	if (rc != BOT_OK)
		return rc;
	for (pass = 0; pass < 2 && n == 0; pass++) {
		for (i = 0; i < c->nquestions && n < ENGINE_TOPIC_MAX; i++) {
			const struct content_question *q = &c->questions[i];
			if (in_topics(ch->daily.topics, c->topics[q->topic].slug) &&
			    (pass == 1 || !was_recent(q->id, recent, nrecent)))
				cand[n++] = i;
		}
	}
	*qi = cand[engine_random(e, n)];
	return BOT_OK;
}

static void render(struct engine *e, const struct content_question *q,
                   const struct store_post *last, int answered, double avg, struct reply *r)
{

	reply_title(r, "Daily question · %s", e->content->topics[q->topic].name);
	reply_addf(r, "%s · `%s`\n\n%s", engine_stars(q->difficulty), q->id, q->question);
	if (last != NULL) {
		if (answered == 0)
			reply_addf(
			    r, "\n\n**Last time** (`%s`): nobody answered yet; it is still open.",
			    last->question_id);
		else
			reply_addf(r, "\n\n**Last time** (`%s`): %d answered, average score %.0f.",
			           last->question_id, answered, avg);
	}
	reply_footer(r, "Answer privately with the button; your answer is graded for you alone.");
	engine_question_buttons(e, q, r);
}

/* The zone the channel's days are counted in: its own, the team's, the default. */

/* What one daily post reads and records. */
struct daily {
	struct engine *e;
	const struct engine_post *p;
	struct store_post last;
	bool have_last;
	int answered;
	double avg;
	size_t qi;
};

/* The previous post and how the team did on it, for the recap. */
static int recap(struct store *s, const struct store_channel *ch, int32_t day, struct daily *d)
{
	int rc = store_channel_post_last(s, ch->id, POST_KIND, day, &d->last);

	if (rc == BOT_ENOENT)
		return BOT_OK;
	if (rc != BOT_OK)
		return rc;
	d->have_last = true;
	return store_question_stats(s, ch->team_id, d->last.question_id, d->last.posted_at,
	                            &d->answered, &d->avg);
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
	rc = pick(d->e, &ch, &d->qi);
	if (rc != BOT_OK)
		return rc;
	rc = store_channel_post_claim(s, ch.id, POST_KIND, d->e->content->questions[d->qi].id, day,
	                              d->p->now, &claimed);
	if (rc != BOT_OK)
		return rc;
	if (!claimed)
		return BOT_EEXIST;
	return recap(s, &ch, day, d);
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
	render(e, &e->content->questions[d.qi], d.have_last ? &d.last : NULL, d.answered, d.avg, r);
	return BOT_OK;
}

int engine_post(struct engine *e, const struct engine_post *p, struct reply *r)
{
	switch (p->kind) {
	case ENGINE_POST_DAILY:
		return post_daily(e, p, r);
	}
	return BOT_EINVAL;
}
