/*
 * store.h - everything the bot remembers, behind store_* functions. All
 * SQL lives in store.c; no SQLite type crosses this interface, so a second
 * backend (PostgreSQL for sharded deployments) can implement it as is.
 *
 * Contract for every function: returns BOT_OK, BOT_ENOENT where a row is
 * missing, or BOT_ESTORE on a database failure (logged with the SQLite
 * message). Strings in out-structs are copied into fixed arrays, so
 * nothing returned needs freeing. Transactions are explicit: callers wrap
 * multi-row updates in store_begin/store_commit (store_rollback on error).
 */
#ifndef BOT_STORE_H
#define BOT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "learn/srs.h"
#include "learn/streak.h"

#define STORE_SCHEMA_VERSION 11
#define STORE_ID_MAX         128
#define STORE_NAME_MAX       128
#define STORE_TZ_MAX         64
#define STORE_TEXT_MAX       16385 /* an answer: 4,000 characters of up to 4 bytes, and a NUL */
#define STORE_MATCHED_MAX    320   /* "i:start-end," for each of 16 key points */
#define STORE_POINT_MAX      512   /* a key point's text as a challenge keeps it */

struct store;

struct store_user {
	int64_t id;
	int64_t team_id;
	char name[STORE_NAME_MAX];
	char tz[STORE_TZ_MAX];       /* "" when the user set none */
	char team_tz[STORE_TZ_MAX];  /* "" when the team set none */
	char open_qid[STORE_ID_MAX]; /* the question /answer answers, or "" */
};

struct store_answer {
	int64_t user_id;
	int64_t team_id;
	const char *question_id;
	const char *topic;
	const char *text;
	int score;
	uint32_t covered;
	int64_t created_at;
	int32_t local_day;
	int points;          /* what it earned on the leaderboard, bonus included */
	int copied;          /* percent of it copied from the model answer and key points */
	const char *matched; /* where the words that covered each key point stand in text
	                        ("0:3-24,2:40-71": point, byte offsets), or NULL */
};

/* A stored answer, read back whole (a challenge of its grade). */
struct store_answer_row {
	int64_t id;
	int64_t user_id;
	int64_t team_id;
	char question_id[STORE_ID_MAX];
	char text[STORE_TEXT_MAX];
	int score;
	uint32_t covered;
	int points;
	int copied;
	int64_t created_at;
	char matched[STORE_MATCHED_MAX]; /* "" when none was stored */
};

/* Where a challenge of a grade stands. */
enum store_ruling { STORE_OPEN, STORE_ACCEPTED, STORE_REJECTED };

/* A user's claim that their answer covered a key point the grader missed. */
struct store_challenge {
	int64_t id;
	int64_t answer_id;
	int64_t team_id;
	int64_t user_id;
	char user_name[STORE_NAME_MAX]; /* read only */
	char question_id[STORE_ID_MAX];
	int point;                        /* 0-based */
	char point_text[STORE_POINT_MAX]; /* the point as it read when challenged */
	int npoints;                      /* the question's key points then */
	enum store_ruling status;
	int64_t created_at;
	int64_t reviewer_id;                /* 0 while open, or once the reviewer was forgotten */
	char reviewer_name[STORE_NAME_MAX]; /* read only */
	int64_t ruled_at;
	int score_before, score_after; /* the answer's score around an accepted ruling */
	int points_delta;              /* leaderboard points the ruling added */
};

/* A user of a team, as lists of them show it. */
struct store_member {
	int64_t user_id;
	char name[STORE_NAME_MAX]; /* "" when the platform never told it */
	char ext[STORE_ID_MAX];    /* the platform's id of the user */
};

/* A user's history with one question: unix times, 0 for never. */
struct store_history {
	int64_t last_answer; /* the latest answer */
	int64_t last_points; /* the latest answer that earned points */
	int64_t last_reveal; /* the latest Reveal of the model answer */
};

struct store_topic_stat {
	char topic[STORE_ID_MAX];
	double mastery; /* 0..100, exponentially weighted */
	int answers;
	int round; /* how many times the topic was served through */
};

#define STORE_NO_DAY INT32_MIN /* a day field that is not set */

/* A channel's daily drill settings, as /daily sets them. */
struct store_daily {
	bool enabled;
	char time[8];          /* "HH:MM" in tz, or "" for the default */
	char tz[STORE_TZ_MAX]; /* "" = the team's zone, else the default */
	unsigned days;         /* bit 0 = Monday ... bit 6 = Sunday */
	char topics[256];      /* comma-separated slugs, "" = all */
	int difficulty;        /* 1..3, or 0 for any */
	int32_t skip_day;      /* a local day not posted on, or STORE_NO_DAY */
	int32_t resume_day;    /* paused until this local day, or STORE_NO_DAY */
	char holidays[400];    /* "2026-12-24,2026-12-31", or "" */
	char blocked[256];     /* why posting stopped (no access, channel gone), or "" */
	char reveal[8]; /* "HH:MM" in tz when answers are revealed; "" = with the next post */
};

struct store_channel {
	int64_t id;
	int64_t team_id;
	char team_tz[STORE_TZ_MAX];
	struct store_daily daily;
};

/* A channel with the drill on, as the scheduler lists them. */
struct store_drill {
	int64_t channel_id;
	char platform[16];
	char team[128];    /* the team's id on its platform */
	char channel[128]; /* the channel's id on its platform */
	char team_tz[STORE_TZ_MAX];
	struct store_daily daily;
};

/* One post the bot made in a channel on its own. */
struct store_post {
	char question_id[STORE_ID_MAX];
	int32_t local_day;
	int64_t posted_at;
	char message_id[64]; /* the platform's id once sent, else "" */
};

/* A post found by question, with the zones of its channel. */
struct store_post_of {
	int32_t local_day;
	int64_t posted_at;
	char daily_tz[STORE_TZ_MAX]; /* "" = none set */
	char team_tz[STORE_TZ_MAX];  /* "" = none set */
};

struct store_team {
	int64_t id;
	char platform[16];
	char name[STORE_NAME_MAX];
	char tz[STORE_TZ_MAX]; /* "" when the team set none */
	bool board_off;        /* the admins turned the board off: no board names anyone */
	int season;            /* 0 until the first reset; the board counts this one only */
	int64_t season_start;  /* when the season began, or 0 for season 0 */
};

/* A user's answers on one local day. */
struct store_day {
	int32_t day; /* days since 1970-01-01 in the user's zone */
	int answers;
	int score_sum;
};

struct store_rank_row {
	int64_t user_id;
	char name[STORE_NAME_MAX];
	int64_t points;
};

/*
 * Opens (creating when absent) the database at path and migrates it to
 * STORE_SCHEMA_VERSION. A file that is not a SQLite database, belongs to
 * another application, is corrupt, or comes from a newer drillbot is
 * refused with a message in err (what is wrong, how to fix) and is never
 * written to. ":memory:" opens a private in-memory store.
 */
int store_open(struct store **out, const char *path, struct buf *err);
/*
 * How long store_open()'s start-up check (PRAGMA quick_check) may run on a
 * big file before it gives up and lets the file open (3000 ms; a negative
 * value restores that). 0 skips it: tests use that to open a file whose
 * damage the check would have found, as a bigger file's would go unseen.
 */
void store_set_check_budget(int ms);
/*
 * The kind of the last failure: BOT_ECORRUPT once SQLite found damage
 * (writes then stop for good: every write returns BOT_ECORRUPT untried,
 * and closing leaves the file as it is), BOT_EPERM for a permission or
 * read-only problem, BOT_EIO for a full disk, BOT_ESTORE for a passing
 * one (busy, locked), BOT_OK after a write succeeds again. Each kind is
 * logged once, with the fix, until it clears.
 */
int store_last_error(const struct store *s);
/* As store_open, but migrates only up to `version`: for migration tests. */
int store_open_at(struct store **out, const char *path, int version, struct buf *err);
void store_close(struct store *s);
/*
 * Runs SQLite's full integrity_check on the file at path, opened read-only
 * (so a damaged file can be examined without being written). Appends the
 * findings, or "ok", to report; BOT_OK when the file is sound, BOT_ECORRUPT
 * when it is damaged, another code when it cannot be opened (said in report).
 */
int store_check_file(const char *path, struct buf *report);
/*
 * Copies the open database to a new file dest with SQLite's online backup
 * API: a consistent snapshot, safe while other processes use the database.
 * dest must not exist yet.
 */
int store_backup(struct store *s, const char *dest, struct buf *err);
/* The schema version stored in the file. */
int store_version(struct store *s, int *version);

int store_begin(struct store *s);
int store_commit(struct store *s);
int store_rollback(struct store *s);
/*
 * Runs fn(s, arg) as one transaction: begin, fn, commit; a failure of any
 * step rolls back and is returned. This is the unit a second backend
 * moves off the loop (see README, "The store"), so fn must touch only the
 * store and arg, and build no reply before it returns.
 */
int store_txn(struct store *s, int (*fn)(struct store *s, void *arg), void *arg);

/*
 * Finds or creates the team (platform, team_ext) and the user in it, and
 * refreshes the display name. Fills *u.
 */
int store_user_ensure(struct store *s, const char *platform, const char *team_ext,
                      const char *user_ext, const char *name, int64_t now, struct store_user *u);
int store_user_set_tz(struct store *s, int64_t user_id, const char *tz);
int store_user_set_open(struct store *s, int64_t user_id, const char *qid);
/* Whether a daily reveal may quote the user's answer by name (/settings quote; off by default). */
int store_user_set_quote(struct store *s, int64_t user_id, bool on);
int store_user_quote(struct store *s, int64_t user_id, bool *on);
/* Deletes the user and everything keyed to them, their part of the team's
 * coverage included; run it in a transaction (store_txn). */
int store_user_forget(struct store *s, int64_t user_id);
/* The team's user with the platform's id ext, without creating one; BOT_ENOENT when none. */
int store_user_find(struct store *s, int64_t team_id, const char *ext, struct store_user *u);
/* The user with this row id (team_tz filled in too); BOT_ENOENT when none. */
int store_user_get(struct store *s, int64_t user_id, struct store_user *u);
int store_team_get(struct store *s, int64_t team_id, struct store_team *t);
/*
 * Whether the user keeps their place off every board and recap
 * (/settings leaderboard hide); their points still count. Read apart from
 * store_user_ensure, so the query every request makes stays as it was.
 */
int store_user_set_hidden(struct store *s, int64_t user_id, bool hidden);
int store_user_hidden(struct store *s, int64_t user_id, bool *hidden);
/* Turns the team's board off (no board or recap names anyone) or on. */
int store_team_set_board(struct store *s, int64_t team_id, bool off);
/*
 * Starts season from + 1 at now, when the team is still in season `from`
 * (the one its admin was asked about): from then on the board counts only
 * points earned after now; older scores are kept. *started is false, and
 * nothing changes, when the team has moved on from `from` already.
 */
int store_team_season_start(struct store *s, int64_t team_id, int from, int64_t now, bool *started);

/*
 * A named secret, made once: fresh (hex text) is kept unless one exists,
 * and the kept one is copied to out. Two processes agree on one value.
 */
int store_secret(struct store *s, const char *name, const char *fresh, char *out, size_t size);
/*
 * The nonce a private link of this user (team = false) or team signs.
 * store_link_nonce_set sets fresh when reset or none is set yet;
 * store_link_nonce_get is BOT_ENOENT when there is no row or no nonce.
 */
int store_link_nonce_set(struct store *s, bool team, int64_t id, int64_t fresh, bool reset);
int store_link_nonce_get(struct store *s, bool team, int64_t id, int64_t *nonce);
/* The user's answers per local day from from_day on, oldest first. */
int store_answer_days(struct store *s, int64_t user_id, int32_t from_day, struct store_day *out,
                      size_t max, size_t *n);

/* Questions served (by /question) to anyone in the team since `since`: up to max ids, *n found. */
int store_team_served(struct store *s, int64_t team_id, int64_t since, char (*ids)[STORE_ID_MAX],
                      size_t max, size_t *n);
/* Records that qid was served to the user. */
int store_served_add(struct store *s, int64_t user_id, const char *qid, const char *reason,
                     int64_t now);

/* The questions of topic the user has seen in round `round` or later. */
int store_seen_list(struct store *s, int64_t user_id, const char *topic, int round,
                    char (*ids)[STORE_ID_MAX], size_t max, size_t *n);
int store_seen_mark(struct store *s, int64_t user_id, const char *topic, const char *qid,
                    int round);

/* Stores an answer (durably, before any reply is sent); *answer_id (may be NULL) is its id. */
int store_answer_add(struct store *s, const struct store_answer *a, int64_t *answer_id);
/* The answer with this id; BOT_ENOENT when there is none (or it was forgotten). */
int store_answer_get(struct store *s, int64_t answer_id, struct store_answer_row *a);
/* Sets the answer's score, covered points and leaderboard points (a challenge was accepted). */
int store_answer_regrade(struct store *s, int64_t answer_id, int score, uint32_t covered,
                         int points);
/* The user's history with the answer's question up to the answer, the answer itself left out. */
int store_answer_history_before(struct store *s, const struct store_answer_row *a,
                                struct store_history *h);
/* Whether a later answer of the user to the question, within window seconds of a, earned points. */
int store_answer_points_after(struct store *s, const struct store_answer_row *a, int64_t window,
                              bool *any);
/* When the user last answered qid, last earned points on it, last revealed it. */
int store_answer_history(struct store *s, int64_t user_id, const char *qid,
                         struct store_history *h);
/* Calls fn for the user's latest max answers in topic copied below below_copied%, newest first. */
int store_answer_each_recent(struct store *s, int64_t user_id, const char *topic, int below_copied,
                             int max, void (*fn)(const char *qid, uint32_t covered, void *arg),
                             void *arg);
/* Records that the user saw qid's model answer. */
int store_reveal_add(struct store *s, int64_t user_id, const char *qid, int64_t now);
/* Sets the self-grade on the user's latest answer to qid, if there is one. */
int store_answer_self_grade(struct store *s, int64_t user_id, const char *qid, int grade);
/* Answers by the user at or after `since`. */
int store_answer_count_since(struct store *s, int64_t user_id, int64_t since, int *n);
/* Whether the user answered qid at all (for reveal/self-grade checks). */
int store_answer_exists(struct store *s, int64_t user_id, const char *qid, bool *exists);

int store_srs_get(struct store *s, int64_t user_id, const char *qid, struct srs_state *st);
int store_srs_put(struct store *s, int64_t user_id, const char *qid, const struct srs_state *st);
/* The user's most overdue card due at or before now, or BOT_ENOENT. */
int store_srs_due(struct store *s, int64_t user_id, int64_t now, char qid[STORE_ID_MAX]);

int store_topic_get(struct store *s, int64_t user_id, const char *topic,
                    struct store_topic_stat *st);
int store_topic_put(struct store *s, int64_t user_id, const struct store_topic_stat *st,
                    int64_t now);
/* Every topic the user has stats for, weakest first. */
int store_topic_list(struct store *s, int64_t user_id, struct store_topic_stat *out, size_t max,
                     size_t *n);

int store_streak_get(struct store *s, int64_t user_id, struct streak *st);
int store_streak_put(struct store *s, int64_t user_id, const struct streak *st);

/*
 * Adds points to the user's score in a leaderboard period ("all", "w:<day>",
 * "m:<yyyymm>") of the team's current season.
 */
int store_score_add(struct store *s, int64_t team_id, const char *period, int64_t user_id,
                    int points, int64_t now);
/*
 * The top `max` of the period in the team's current season, ties broken by
 * who reached the score first. Users who keep their place private are left
 * out (store_score_hidden counts them).
 */
int store_score_top(struct store *s, int64_t team_id, const char *period,
                    struct store_rank_row *out, size_t max, size_t *n);
/*
 * The user's 1-based rank and points in the current season; BOT_ENOENT when
 * unranked. The rank counts only the players on the board ahead of the
 * user, so for a hidden user it is where they would stand, and nobody's
 * rank tells where a hidden player stands.
 */
int store_score_rank(struct store *s, int64_t team_id, const char *period, int64_t user_id,
                     int *rank, int64_t *points);
/* How many hidden users have points in the period of the current season. */
int store_score_hidden(struct store *s, int64_t team_id, const char *period, int *n);

/* Marks qid as answered by the user in the team, after store_answer_add: each user
 * counts once, and store_user_forget takes their part back. */
int store_covered_add(struct store *s, int64_t team_id, const char *qid, int64_t user_id);
/* Calls fn for every question the team has answered. */
int store_covered_each(struct store *s, int64_t team_id, void (*fn)(const char *qid, void *arg),
                       void *arg);

/*
 * Channels and the posts nobody asked for. A channel is created on first
 * use, like a user. store_channel_post_claim records that the post of
 * `kind` for local_day happened; *claimed is false when one already had,
 * so a post is made exactly once even across restarts or two processes.
 */
int store_channel_ensure(struct store *s, const char *platform, const char *team_ext,
                         const char *channel_ext, int64_t now, struct store_channel *c);
int store_channel_set_daily(struct store *s, int64_t channel_id, const struct store_daily *d);
/* Every channel with the drill on (fn's row is only valid during the call). */
int store_drill_each(struct store *s, void (*fn)(const struct store_drill *d, void *arg),
                     void *arg);
/* One channel's row as store_drill_each gives it; BOT_ENOENT if it does not exist. */
int store_drill_get(struct store *s, int64_t channel_id, struct store_drill *d);
/* Stops the drill's posts in a channel and says why ("" clears it). */
int store_channel_block(struct store *s, int64_t channel_id, const char *why);
/* An admin was told why the channel's drill stopped: store_team_blocked skips it from now. */
int store_channel_block_told(struct store *s, int64_t channel_id);
/* The team's channels whose drill stopped and no admin was told yet: up to max, *n found. */
int store_team_blocked(struct store *s, int64_t team_id, struct store_drill *out, size_t max,
                       size_t *n);
/* A post claimed but not known to be delivered (the bot stopped in between). */
struct store_pending {
	int64_t channel_id;
	char question_id[STORE_ID_MAX];
	int32_t local_day;
	int64_t posted_at;
};
/* Every pending post of kind claimed at or after since, oldest first. */
int store_posts_pending(struct store *s, const char *kind, int64_t since,
                        void (*fn)(const struct store_pending *p, void *arg), void *arg);
/*
 * A claimed post was delivered: the platform's message id ("" when it has
 * none). Until then the post is pending, and a restart reconciles it.
 */
int store_channel_post_sent(struct store *s, int64_t channel_id, const char *kind,
                            int32_t local_day, const char *message_id);
int store_channel_post_claim(struct store *s, int64_t channel_id, const char *kind, const char *qid,
                             int32_t local_day, int64_t now, bool *claimed);
/* Whether the channel has its post of kind for local day (claimed, sent or pending). */
int store_channel_posted(struct store *s, int64_t channel_id, const char *kind, int32_t day,
                         bool *posted);
/* The post of kind for local day; BOT_ENOENT when there is none. */
int store_channel_post_day(struct store *s, int64_t channel_id, const char *kind, int32_t day,
                           struct store_post *p);
/* The latest post of kind before before_day; BOT_ENOENT when there is none. */
int store_channel_post_last(struct store *s, int64_t channel_id, const char *kind,
                            int32_t before_day, struct store_post *p);
/*
 * The latest post of kind with qid in the channel, and the zones its days
 * are counted in; BOT_ENOENT when there is none. Reads only, so answering
 * in a channel never writes a channel row.
 */
int store_channel_post_of(struct store *s, const char *platform, const char *team_ext,
                          const char *channel_ext, const char *kind, const char *qid,
                          struct store_post_of *p);
/* The question ids of the latest max posts of kind, newest first. */
int store_channel_post_recent(struct store *s, int64_t channel_id, const char *kind,
                              char (*ids)[STORE_ID_MAX], size_t max, size_t *n);
/*
 * Everything keyed to one user, for /export-me, oldest first. Each fn's
 * arguments are valid only during the call.
 */
struct store_user_answer {
	int64_t id;
	struct store_answer a; /* user_id is not filled in; the rest is the row */
	int self_grade;        /* enum srs_grade, or -1 when none was given */
};
int store_answer_each(struct store *s, int64_t user_id,
                      void (*fn)(const struct store_user_answer *r, void *arg), void *arg);
/* Every review card, by question id. */
int store_srs_each(struct store *s, int64_t user_id,
                   void (*fn)(const char *qid, const struct srs_state *st, void *arg), void *arg);
/* Every Reveal of a model answer. */
int store_reveal_each(struct store *s, int64_t user_id,
                      void (*fn)(const char *qid, int64_t at, void *arg), void *arg);
/* Every question served, and why ("command", "review", "practice"). */
int store_served_each(struct store *s, int64_t user_id,
                      void (*fn)(const char *qid, const char *reason, int64_t at, void *arg),
                      void *arg);
/* One score row: the points of one period of one season. */
struct store_score_row {
	int season;
	char period[32];
	int64_t points;
	int64_t reached_at;
};
/* Every score row of the user, every season's, by season and period. */
int store_score_each(struct store *s, int64_t user_id,
                     void (*fn)(const struct store_score_row *r, void *arg), void *arg);

/* A name and a number: a best score, a streak. */
struct store_name_num {
	char name[STORE_NAME_MAX];
	int num;
};
/*
 * The team's best scores on qid since `since`, one per user, best first (up
 * to max); hidden users are left out, as from store_streak_leaders.
 */
int store_question_best(struct store *s, int64_t team_id, const char *qid, int64_t since,
                        struct store_name_num *out, size_t max, size_t *n);
/* The team's longest current streaks (a day or more), longest first (up to max); hidden
 * users are left out. */
int store_streak_leaders(struct store *s, int64_t team_id, struct store_name_num *out, size_t max,
                         size_t *n);
/* Scores 0..100: a histogram's slots. */
#define STORE_SCORES 101
/*
 * Each team member's first answer to qid from since to until (inclusive):
 * counts[score] how many first answers had that score, *answered how many
 * people answered. A first answer is what the person knew; a second one,
 * after their grade named the missed points, is coached.
 */
int store_question_firsts(struct store *s, int64_t team_id, const char *qid, int64_t since,
                          int64_t until, int counts[STORE_SCORES], int *answered);
#define STORE_QUOTE_MAX 1024 /* bytes of an answer a quote keeps (the reveal shows less) */
struct store_quote {
	char name[STORE_NAME_MAX];
	int score;
	char text[STORE_QUOTE_MAX];
};
/*
 * The first answers (as store_question_firsts) of team members who let
 * themselves be quoted, scoring min_score or more and copied below
 * below_copied percent, best first (the earlier of a tie first): up to
 * max, *n found.
 */
int store_question_quotes(struct store *s, int64_t team_id, const char *qid, int64_t since,
                          int64_t until, int min_score, int below_copied, struct store_quote *out,
                          size_t max, size_t *n);
/* How many of the team answered qid since `since`, and their average score. */
int store_question_stats(struct store *s, int64_t team_id, const char *qid, int64_t since,
                         int *answered, double *avg_score);

/*
 * Challenges of a grade (issue 22). A challenge names one key point of one
 * answer, at most once (store_challenge_add is BOT_EEXIST, nothing
 * written, for a second); forgetting its user or its answer deletes it.
 * store_challenge_add sets c->id and writes it open.
 */
int store_challenge_add(struct store *s, struct store_challenge *c);
int store_challenge_get(struct store *s, int64_t id, struct store_challenge *c);
/* The challenge of the answer's point (0-based); BOT_ENOENT when there is none. */
int store_challenge_find(struct store *s, int64_t answer_id, int point, struct store_challenge *c);
/* The user's challenges still open. */
int store_challenge_open_count(struct store *s, int64_t user_id, int *n);
/* The team's oldest open challenges but those of user `except` (0: none left out). */
int store_challenge_queue(struct store *s, int64_t team_id, int64_t except,
                          struct store_challenge *out, size_t max, size_t *n);
/* The team's open challenges, all of them. */
int store_challenge_open_total(struct store *s, int64_t team_id, int *n);
/*
 * Rules on c->id as c says (status, reviewer_id, ruled_at, score_before,
 * score_after, points_delta) if it is still open: *ruled is false, and
 * nothing is written, when it was ruled already. Run it in the
 * transaction that corrects the answer, so the correction happens once.
 */
int store_challenge_rule(struct store *s, const struct store_challenge *c, bool *ruled);
/* The user's ruled challenges they have not been told of, oldest first. */
int store_challenge_untold(struct store *s, int64_t user_id, struct store_challenge *out,
                           size_t max, size_t *n);
int store_challenge_told(struct store *s, int64_t id);
/* Every accepted challenge with its answer's text, by question id, point and ruling time. */
int store_challenge_each_accepted(struct store *s,
                                  void (*fn)(const struct store_challenge *c, const char *text,
                                             void *arg),
                                  void *arg);

/*
 * For /export-me: every challenge the user made (ruled = false) or ruled on
 * as a reviewer (ruled = true), oldest first; names are left empty.
 */
int store_challenge_each_of(struct store *s, int64_t user_id, bool ruled,
                            void (*fn)(const struct store_challenge *c, void *arg), void *arg);

/* The team's reviewers beyond its admins. *changed says whether the call changed the list. */
int store_reviewer_add(struct store *s, int64_t team_id, int64_t user_id, int64_t now,
                       bool *changed);
int store_reviewer_remove(struct store *s, int64_t team_id, int64_t user_id, bool *changed);
int store_reviewer_is(struct store *s, int64_t team_id, int64_t user_id, bool *is);
/* The team's reviewers, in the order they were added. */
int store_reviewer_list(struct store *s, int64_t team_id, struct store_member *out, size_t max,
                        size_t *n);

/*
 * Claims event_id of platform as handled now: BOT_OK the first time,
 * BOT_EEXIST when it already was (a replay), another error on failure.
 */
int store_handled_claim(struct store *s, const char *platform, const char *event_id, int64_t now);
/* Whether event_id of platform was recorded as handled. */
int store_handled_seen(struct store *s, const char *platform, const char *event_id, bool *seen);
/*
 * Records n handled events in one transaction, as store_handled_claim()
 * would one by one (already recorded ones are skipped): an adapter
 * batches them, one commit per loop tick instead of one per event.
 */
int store_handled_add_all(struct store *s, const char *platform, const char *const *ids, size_t n,
                          int64_t now);
/* Forgets events handled before `before` (they can no longer be replayed). */
int store_handled_prune(struct store *s, int64_t before);

#endif
