/*
 * cmd_question.c - /question: picks what to ask and renders the question
 * card. With a topic: an unseen question of that topic (a topic's round
 * ends when the user has seen all of it). Without: a due review first,
 * else the weakest topic, else the topic the user has tried least.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"

#define MASTERY_STRONG 80.0 /* topics at or above this are not "weak" */

struct pick_args {
	size_t topic;
	int difficulty; /* 0 = any */
	bool have_topic;
};

/* Why a practice question was chosen: a key point missed on another one. */
struct pick_reason {
	bool set;
	struct engine_miss miss;
};

static bool in_seen(const char *id, char (*seen)[STORE_ID_MAX], size_t nseen)
{
	size_t i;
	for (i = 0; i < nseen; i++) {
		if (strcmp(seen[i], id) == 0)
			return true;
	}
	return false;
}

/*
 * Collects the topic's questions the user has not seen this round,
 * preferring the asked difficulty and falling back to any difficulty.
 */
static size_t candidates(struct eng_ctx *ctx, size_t topic, int difficulty,
                         char (*seen)[STORE_ID_MAX], size_t nseen, size_t *out)
{
	const struct content *c = ctx->e->content;
	const struct content_topic *t = &c->topics[topic];
	size_t i, n = 0;
	int pass;

	for (pass = 0; pass < 2 && n == 0; pass++) {
		for (i = 0; i < t->nquestions && n < ENGINE_TOPIC_MAX; i++) {
			const struct content_question *q = &c->questions[t->questions[i]];
			if (pass == 0 && difficulty != 0 && q->difficulty != difficulty)
				continue;
			if (!in_seen(q->id, seen, nseen))
				out[n++] = t->questions[i];
		}
		if (difficulty == 0)
			break;
	}
	return n;
}

static bool linked(const struct content_question *a, const struct content_question *b)
{
	size_t i;

	for (i = 0; i < a->nrelated; i++)
		if (strcmp(a->related[i], b->id) == 0)
			return true;
	for (i = 0; i < b->nrelated; i++)
		if (strcmp(b->related[i], a->id) == 0)
			return true;
	return false;
}

/*
 * Keeps the candidates linked (related:) to the question whose key point
 * the user misses most, so practice exercises what was missed; the missed
 * question itself comes back through its review schedule. Unchanged when
 * no candidate is linked to any of the top misses.
 */
static int prefer_missed(struct eng_ctx *ctx, size_t topic, size_t *cand, size_t *n,
                         struct pick_reason *why)
{
	const struct content *c = ctx->e->content;
	struct engine_miss m[3];
	size_t nm = 0, i, j, k;
	int err = engine_top_misses(ctx, c->topics[topic].slug, m, UTIL_ARRAY_LEN(m), &nm);

	for (i = 0; err == BOT_OK && i < nm; i++) {
		for (j = 0, k = 0; j < *n; j++)
			if (cand[j] != m[i].qi &&
			    linked(&c->questions[cand[j]], &c->questions[m[i].qi]))
				cand[k++] = cand[j];
		if (k > 0) {
			*n = k;
			why->set = true;
			why->miss = m[i];
			break;
		}
	}
	return err;
}

/* Picks an unseen question of the topic, starting a new round when all are seen. */
static int pick_in_topic(struct eng_ctx *ctx, size_t topic, int difficulty, size_t *qi,
                         struct pick_reason *why)
{
	char(*seen)[STORE_ID_MAX] = ctx->e->seen;
	size_t cand[ENGINE_TOPIC_MAX];
	const struct content_topic *t = &ctx->e->content->topics[topic];
	struct store_topic_stat st;
	size_t nseen = 0, n;
	int err;

	if (t->nquestions == 0)
		return BOT_ENOENT;
	err = store_topic_get(ctx->e->store, ctx->user.id, t->slug, &st);
	if (err != BOT_OK && err != BOT_ENOENT)
		return err;
	err = store_seen_list(ctx->e->store, ctx->user.id, t->slug, st.round, seen,
	                      ENGINE_TOPIC_MAX, &nseen);
	if (err != BOT_OK)
		return err;
	n = candidates(ctx, topic, difficulty, seen, nseen, cand);
	if (n == 0) {
		/* Everything seen: a new round, where only the last one is held back. */
		st.round++;
		err = store_topic_put(ctx->e->store, ctx->user.id, &st, ctx->req->now);
		if (err != BOT_OK)
			return err;
		n = candidates(ctx, topic, difficulty, NULL, 0, cand);
		if (n > 1 && ctx->user.open_qid[0] != '\0') {
			size_t i;
			for (i = 0; i < n; i++) {
				if (strcmp(ctx->e->content->questions[cand[i]].id,
				           ctx->user.open_qid) == 0)
					cand[i] = cand[--n];
			}
		}
	}
	if (why != NULL) {
		err = prefer_missed(ctx, topic, cand, &n, why);
		if (err != BOT_OK)
			return err;
	}
	*qi = cand[engine_random(ctx->e, n)];
	return store_seen_mark(ctx->e->store, ctx->user.id, t->slug,
	                       ctx->e->content->questions[*qi].id, st.round);
}

/* The topic to practise when none was asked for: the weakest, else the least tried. */
static size_t choose_topic(struct eng_ctx *ctx, int *err)
{
	const struct content *c = ctx->e->content;
	struct store_topic_stat stats[64];
	size_t n = 0, i, t, best = 0, ties = 0;
	int fewest = -1;

	*err = store_topic_list(ctx->e->store, ctx->user.id, stats, UTIL_ARRAY_LEN(stats), &n);
	if (*err != BOT_OK)
		return 0;
	/* The list is weakest first; the first known, attempted, weak topic wins. */
	for (i = 0; i < n; i++) {
		if (stats[i].answers == 0 || stats[i].mastery >= MASTERY_STRONG)
			continue;
		for (t = 0; t < c->ntopics; t++) {
			if (strcmp(c->topics[t].slug, stats[i].topic) == 0 &&
			    c->topics[t].nquestions > 0)
				return t;
		}
	}
	/* Otherwise the topic with the fewest answers; ties go to a uniformly
	 * random one (reservoir sampling over the tied topics). */
	for (t = 0; t < c->ntopics; t++) {
		int answers = 0;
		for (i = 0; i < n; i++) {
			if (strcmp(stats[i].topic, c->topics[t].slug) == 0)
				answers = stats[i].answers;
		}
		if (c->topics[t].nquestions == 0)
			continue;
		if (fewest < 0 || answers < fewest) {
			fewest = answers;
			best = t;
			ties = 1;
		} else if (answers == fewest && engine_random(ctx->e, ++ties) == 0) {
			best = t;
		}
	}
	return best;
}

static int pick(struct eng_ctx *ctx, const struct pick_args *pa, size_t *qi, const char **why,
                struct pick_reason *reason)
{
	char due[STORE_ID_MAX];
	const struct content_question *q;
	size_t topic;
	int err;

	if (pa->have_topic) {
		*why = "command";
		return pick_in_topic(ctx, pa->topic, pa->difficulty, qi, NULL);
	}
	err = store_srs_due(ctx->e->store, ctx->user.id, ctx->req->now, due);
	if (err == BOT_OK) {
		q = content_find(ctx->e->content, due);
		if (q != NULL && (pa->difficulty == 0 || q->difficulty == pa->difficulty)) {
			*qi = content_index(ctx->e->content, q);
			*why = "review";
			return BOT_OK;
		}
	} else if (err != BOT_ENOENT) {
		return err;
	}
	topic = choose_topic(ctx, &err);
	if (err != BOT_OK)
		return err;
	*why = "practice";
	return pick_in_topic(ctx, topic, pa->difficulty, qi, reason);
}

static void render(struct eng_ctx *ctx, const struct content_question *q, const char *why,
                   const struct pick_reason *reason, struct reply *r)
{
	const struct content *c = ctx->e->content;
	const struct content_topic *t = &c->topics[q->topic];

	if (strcmp(why, "review") == 0)
		reply_addf(r, "_Due for review._\n");
	if (reason->set)
		reply_addf(r, "_Practice for a point you missed on `%s`: %s_\n",
		           c->questions[reason->miss.qi].id,
		           c->questions[reason->miss.qi].points[reason->miss.pi].text);
	reply_addf(r, "**%s** · %s · `%s`\n\n%s\n\n", t->name, engine_stars(q->difficulty), q->id,
	           q->question);
	reply_addf(r, "Answer with the button or `/answer <your answer>`.");
	engine_question_buttons(ctx->e, q, r);
}

/* What serving a question reads and writes, in one transaction. */
struct serve {
	struct eng_ctx *ctx;
	struct pick_args pa;
	size_t qi;
	const char *why;
	struct pick_reason reason;
};

static int serve_txn(struct store *s, void *arg)
{
	struct serve *sv = arg;
	const char *qid;
	int err = pick(sv->ctx, &sv->pa, &sv->qi, &sv->why, &sv->reason);

	if (err != BOT_OK)
		return err;
	qid = sv->ctx->e->content->questions[sv->qi].id;
	err = store_served_add(s, sv->ctx->user.id, qid, sv->why, sv->ctx->req->now);
	if (err != BOT_OK)
		return err;
	return store_user_set_open(s, sv->ctx->user.id, qid);
}

void cmd_question(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct cmd_value *topic = cmd_get(v, "topic");
	const struct cmd_value *difficulty = cmd_get(v, "difficulty");
	struct serve sv = {.ctx = ctx,
	                   .pa = {.topic = topic->index,
	                          .difficulty = (int)difficulty->num,
	                          .have_topic = topic->set},
	                   .why = "command"};
	int err;

	if (ctx->e->content->nquestions == 0) {
		r->ephemeral = true;
		reply_addf(r, "The question bank is empty; add questions under content/.");
		return;
	}
	err = store_txn(ctx->e->store, serve_txn, &sv);
	if (err != BOT_OK) {
		if (err == BOT_ENOENT) {
			r->ephemeral = true;
			reply_addf(r, "The topic `%s` has no questions yet. See `/topics`.",
			           ctx->e->content->topics[sv.pa.topic].slug);
		} else {
			engine_store_error(ctx, r);
		}
		return;
	}
	render(ctx, &ctx->e->content->questions[sv.qi], sv.why, &sv.reason, r);
}
