/*
 * engine_int.h - what the engine shares with its command handlers
 * (cmd_*.c). Not for adapters.
 */
#ifndef BOT_ENGINE_INT_H
#define BOT_ENGINE_INT_H

#include "engine/engine.h"
#include "grade/grade.h"
#include "learn/srs.h"
#include "link/link.h"

/* Questions one topic may hold; more are not served (lint keeps topics far smaller). */
#define ENGINE_TOPIC_MAX 512

struct engine {
	const struct content *content;
	struct store *store;
	struct grader *grader;
	char *base_url;
	char *default_tz;
	struct srs_params srs;
	uint64_t rng;
	bool seeded;
	struct metrics *metrics;
	/* Scratch for the ids a user has seen in a topic: 64 KiB, too big for the stack. */
	char (*seen)[STORE_ID_MAX];
	void (*on_daily)(void *arg, int64_t channel_id); /* the scheduler, or NULL */
	void *on_daily_arg;
};

/* One request in flight: the engine, the request and its user. */
struct eng_ctx {
	struct engine *e;
	const struct request *req;
	struct store_user user;
	const char *command; /* the table entry that ran, for the metrics */
	int answers_stored;  /* answers this request committed, for the metrics */
};

/*
 * Refuses an answer over the limit with a private reply giving its real
 * length (the adapter's, when it cut the text); returns true when it did.
 */
bool engine_refuse_too_long(const struct eng_ctx *ctx, const char *text, struct reply *r);

/* The zone a channel's days are counted in: the drill's, the team's, the default. */
const char *engine_channel_tz(const struct engine *e, const struct store_channel *ch);
/* The zone the user's days are counted in: theirs, the team's, the default. */
const char *engine_user_tz(const struct eng_ctx *ctx);
/* Whether slug t is an item of the comma-separated list (exactly: "data" is not in "databases"). */
bool engine_topic_listed(const char *list, const char *t);
/* Tells the scheduler that a channel's drill settings changed. */
void engine_daily_changed(struct engine *e, int64_t channel_id);
/* A uniform random number in [0, n). */
size_t engine_random(struct engine *e, size_t n);
/* Appends "<base>/q/<id>" to out (size REPLY_URL_MAX). */
void engine_question_url(const struct engine *e, const char *qid, char *out, size_t size);
/* The signed link to the user's (LINK_ME, LINK_EXPORT) or team's (LINK_TEAM) private page. */
int engine_page_url(struct eng_ctx *ctx, enum link_kind kind, char *out, size_t size);
/* Replies privately that the store failed; the request changed nothing. */
void engine_store_error(struct eng_ctx *ctx, struct reply *r);
/*
 * The leaderboard periods now, in the team's calendar: "w:<day of the
 * week's Monday>" and "m:<yyyy-mm>" (the third period is "all").
 */
void engine_periods(const struct eng_ctx *ctx, char week[32], char month[32]);
/*
 * Folds a score into the topic's exponentially weighted mastery. Answers
 * count towards the topic's answer total; self-grades only move mastery.
 */
int engine_mastery_add(struct eng_ctx *ctx, const char *topic, int score, bool is_answer);
/*
 * Applies one review of q with rating g to the user's card; a self-grade
 * (regrade) replaces a review of the last few hours instead of adding one.
 * Fills *out when not NULL.
 */
int engine_srs_review(struct eng_ctx *ctx, const struct content_question *q, enum srs_grade g,
                      bool regrade, struct srs_state *out);
/* A question card's buttons: Answer (a text box), Reveal and the model-answer page. */
void engine_question_buttons(const struct engine *e, const struct content_question *q,
                             struct reply *r);
/* An answer row for q by the user now (its day in the user's zone), stored
 * under qid; points and copied are left 0 for the caller to set. */
void engine_answer_init(struct eng_ctx *ctx, const struct content_question *q, const char *qid,
                        const char *text, const struct grade_result *g, struct store_answer *a);
/*
 * "Covered" and "Missed" lists of points, by the bits of covered; with
 * text and matched (engine_matched_format's form, or NULL), each covered
 * point quotes the words of text that matched it.
 */
void engine_render_covered(const struct content_point *pts, size_t n, uint32_t covered,
                           const char *text, const char *matched, struct reply *r);
/* Where the matched words of each covered point stand, "0:3-24,2:40-71", into out. */
void engine_matched_format(const struct grade_result *g, size_t npoints, char *out, size_t size);
/* The bytes [*start, *end) of point's matched words in a text of len bytes; false when none. */
bool engine_matched_span(const char *matched, size_t point, size_t len, size_t *start, size_t *end);
/* The quoted words of text[start, end) as Markdown: “…”, one line, escaped, capped. */
void engine_excerpt(const char *text, size_t start, size_t end, struct buf *out);
/* Whether the user may rule on the team's challenges: an admin, or one /reviewers added. */
int engine_is_reviewer(struct eng_ctx *ctx, bool *is);
/* Tells the user of rulings on their challenges they have not heard of (private replies). */
void engine_tell_rulings(struct eng_ctx *ctx, struct reply *r);
/* Offers follow-up n (0-based) of q with its answer button, if it has a rubric. */
void engine_offer_followup(const struct content_question *q, size_t n, struct reply *r);
/* How often the user missed one key point (question and point indexes). */
struct engine_miss {
	size_t qi;
	size_t pi;
	int count;
};
/* Read from this many of the user's latest answers in the topic. */
#define ENGINE_MISS_ANSWERS 100
/* The user's most-missed key points in topic, most often first (pastes not counted). */
int engine_top_misses(struct eng_ctx *ctx, const char *topic, struct engine_miss *out, size_t max,
                      size_t *n);
/*
 * The reveal p asks for (post_reveal.c): claimed once and filled, or with
 * again_qid not NULL the claimed one of that question rendered again.
 * BOT_ENOENT when p->day had no post (or the bank lost its question),
 * BOT_EEXIST when it was revealed already.
 */
int engine_reveal(struct engine *e, const struct engine_post *p, const char *again_qid,
                  struct reply *r);
/* Difficulty as stars, e.g. "★★☆". */
const char *engine_stars(int difficulty);

#endif
