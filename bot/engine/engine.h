/*
 * engine.h - the platform-neutral core: takes a struct request, consults
 * the content and the store, fills a struct reply. The clock arrives in
 * the request; randomness comes from a seeded generator owned here, so a
 * test can replay a session exactly.
 */
#ifndef BOT_ENGINE_H
#define BOT_ENGINE_H

#include <stdint.h>

#include "bank/content.h"
#include "base/metrics.h"
#include "engine/reply.h"
#include "engine/request.h"
#include "store/store.h"

struct engine;

struct engine_opts {
	const char *public_base_url; /* links: <base>/q/<id> */
	const char *default_tz;      /* for users and teams that set none */
	uint64_t rng_seed;           /* 0: seeded from the request clock */
	double srs_retention;        /* FSRS desired retention; 0: SRS_RETENTION */
	bool prepare_later;          /* compile each question's grading on its first answer */
	struct metrics *metrics;     /* counts and times every request; may be NULL */
};

/* Borrows content and store; both must outlive the engine. NULL if the stemmer is missing. */
struct engine *engine_new(const struct content *c, struct store *s, const struct engine_opts *o);
void engine_free(struct engine *e);
/*
 * The leaderboard's keys for the week and month holding now in the team's
 * zone (the "all" board's key is "all"). The web's team page reads them.
 */
void engine_period_keys(const char *zone, int64_t now, char week[32], char month[32]);
/* Where links point (public_base_url, or the web server's own address). */
void engine_set_base_url(struct engine *e, const char *url);

/*
 * Handles one request. r must be initialised (reply_init); the engine
 * appends to it. Bad input gets a private reply that says what was wrong;
 * a store failure gets a private apology and nothing is half-written.
 */
void engine_handle(struct engine *e, const struct request *req, struct reply *r);

/* Whether name ("stats", any case) is one of the commands, for adapters that read raw text. */
bool engine_is_command(const char *name);

/* The channel_posts kinds of the daily question and of its reveal (store_channel_post_*). */
#define ENGINE_DAILY_KIND  "daily"
#define ENGINE_REVEAL_KIND "reveal"

enum engine_post_kind {
	/* The channel's daily question; with the last one's recap when it has no reveal time. */
	ENGINE_POST_DAILY,
	/*
	 * The answers to one day's question, at the channel's reveal time: how
	 * many answered, the spread of scores, the answers of those who let
	 * themselves be quoted, the model answer. In reply to the post.
	 */
	ENGINE_POST_REVEAL
};

/* A post the bot makes on its own: which, where, and the clock. */
struct engine_post {
	enum engine_post_kind kind;
	const char *platform;
	const char *team;
	const char *channel;
	int64_t now; /* the instant it is due (a late one still counts for its own) */
	int32_t day; /* ENGINE_POST_REVEAL: the local day of the post it reveals */
};

/*
 * Fills r (initialised) with the post and its destination (r->dest), and
 * records it, so the same post for the same local day is made once:
 * BOT_EEXIST (nothing filled) when it already was. A store failure
 * returns its error with nothing recorded. The scheduler that decides
 * when to call this is the daily drill's. A reveal is recorded once per
 * post, under the post's day; BOT_ENOENT when that day had no post.
 */
int engine_post(struct engine *e, const struct engine_post *p, struct reply *r);

/*
 * The platform took the post engine_post made for p (its message id, or
 * "" where it has none): the post is no longer pending. Until this is
 * called, a restart finds the post pending and reconciles it.
 */
int engine_post_sent(struct engine *e, const struct engine_post *p, const char *message_id);
/*
 * The post engine_post made for p with question qid, rendered again (a
 * restart found it pending): the same question and recap (a reveal: the
 * answers up to p->now, its instant), nothing recorded. BOT_ENOENT when
 * the bank no longer has qid.
 */
int engine_post_again(struct engine *e, const struct engine_post *p, const char *qid,
                      struct reply *r);
/* engine_post_sent of n posts in one transaction (a fan-out's answers, one commit). */
int engine_posts_sent(struct engine *e, const struct engine_post *const *p,
                      const char *const *message_id, size_t n);

/*
 * fn hears the store id of every channel whose drill settings /daily
 * changed (the scheduler re-reads that channel); NULL stops it.
 */
void engine_on_daily(struct engine *e, void (*fn)(void *arg, int64_t channel_id), void *arg);

struct store_daily;
struct sched_rule;
/*
 * A channel's drill settings in zone as a rule for sched_next() (engine/sched.h):
 * the engine's /daily and the scheduler read them alike. holidays must hold
 * SCHED_HOLIDAYS days; the rule points into it.
 */
void engine_daily_rule(const struct store_daily *d, const char *zone, int32_t *holidays,
                       struct sched_rule *rule);

#endif
