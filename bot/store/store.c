/*
 * store.c - the SQLite backend of store.h. One connection, used only from
 * the loop thread. WAL mode with synchronous=FULL: an answer acknowledged
 * to the user survives power loss (NORMAL could lose the last commits).
 * Statements are prepared once, on first use, and reset after each call;
 * every value reaches SQL through a bound parameter.
 */
#include "store/store.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <pwd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"

#define MOD "store"
/* 'DRLB': marks files as ours, so a foreign SQLite file is refused. */
#define APPLICATION_ID  0x44524c42
#define BUSY_TIMEOUT_MS 5000
/* The start-up integrity check stops after this long on a big file
 * (`drillbot db check` runs the full integrity_check without a limit). */
#define QUICK_CHECK_MS 3000

static int check_budget_ms = QUICK_CHECK_MS;

static int migrate_srs_fsrs(struct store *s, struct buf *err);
static void bind_card(sqlite3_stmt *st, int first, const struct srs_card *c);

/* One schema step: its SQL, then (optionally) a conversion done in C. */
struct migration {
	const char *sql;
	int (*convert)(struct store *s, struct buf *err);
};

static const struct migration migrations[STORE_SCHEMA_VERSION] = {
    /* 1: identities, channels, what was served and answered. */
    {"CREATE TABLE teams(id INTEGER PRIMARY KEY, platform TEXT NOT NULL,"
     " ext_id TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', tz TEXT,"
     " created_at INTEGER NOT NULL, UNIQUE(platform, ext_id));"
     "CREATE TABLE users(id INTEGER PRIMARY KEY,"
     " team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
     " ext_id TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', tz TEXT, open_qid TEXT,"
     " created_at INTEGER NOT NULL, UNIQUE(team_id, ext_id));"
     "CREATE TABLE channels(id INTEGER PRIMARY KEY,"
     " team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
     " ext_id TEXT NOT NULL, daily_enabled INTEGER NOT NULL DEFAULT 0, daily_time TEXT,"
     " daily_tz TEXT, daily_days INTEGER NOT NULL DEFAULT 31, daily_topics TEXT,"
     " last_post_day INTEGER, UNIQUE(team_id, ext_id));"
     "CREATE TABLE served(id INTEGER PRIMARY KEY,"
     " user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,"
     " channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,"
     " question_id TEXT NOT NULL, reason TEXT NOT NULL, served_at INTEGER NOT NULL);"
     "CREATE INDEX served_user ON served(user_id, served_at);"
     "CREATE TABLE answers(id INTEGER PRIMARY KEY,"
     " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     " team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
     " question_id TEXT NOT NULL, topic TEXT NOT NULL, text TEXT NOT NULL,"
     " score INTEGER NOT NULL, covered INTEGER NOT NULL, self_grade INTEGER,"
     " created_at INTEGER NOT NULL, local_day INTEGER NOT NULL);"
     "CREATE INDEX answers_user ON answers(user_id, created_at);"
     "CREATE INDEX answers_user_q ON answers(user_id, question_id, created_at);",
     NULL},

    /* 2: the practice engine: reviews, mastery, rounds, streaks, scores. */
    {"CREATE TABLE srs(user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     " question_id TEXT NOT NULL, ease REAL NOT NULL, interval REAL NOT NULL,"
     " reps INTEGER NOT NULL, lapses INTEGER NOT NULL, due_at INTEGER NOT NULL,"
     " PRIMARY KEY(user_id, question_id)) WITHOUT ROWID;"
     "CREATE INDEX srs_due ON srs(user_id, due_at);"
     "CREATE TABLE topic_stats(user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     " topic TEXT NOT NULL, mastery REAL NOT NULL, answers INTEGER NOT NULL,"
     " round INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL,"
     " PRIMARY KEY(user_id, topic)) WITHOUT ROWID;"
     "CREATE TABLE seen(user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     " topic TEXT NOT NULL, question_id TEXT NOT NULL, round INTEGER NOT NULL,"
     " PRIMARY KEY(user_id, topic, question_id)) WITHOUT ROWID;"
     "CREATE TABLE streaks(user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
     " current INTEGER NOT NULL, best INTEGER NOT NULL, freezes INTEGER NOT NULL,"
     " last_day INTEGER);"
     "CREATE TABLE scores(team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
     " period TEXT NOT NULL,"
     " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     " points INTEGER NOT NULL, reached_at INTEGER NOT NULL,"
     " PRIMARY KEY(team_id, period, user_id)) WITHOUT ROWID;"
     "CREATE INDEX scores_rank ON scores(team_id, period, points, reached_at);"
     "CREATE INDEX scores_user ON scores(user_id);"
     "CREATE TABLE team_covered(team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
     " question_id TEXT NOT NULL, PRIMARY KEY(team_id, question_id)) WITHOUT ROWID;",
     NULL},

    /* 3: what the bot posted in channels on its own (the daily drill). */
    {"CREATE TABLE channel_posts(id INTEGER PRIMARY KEY,"
     " channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,"
     " kind TEXT NOT NULL, question_id TEXT NOT NULL, local_day INTEGER NOT NULL,"
     " posted_at INTEGER NOT NULL, UNIQUE(channel_id, kind, local_day));"
     "CREATE INDEX channel_posts_recent ON channel_posts(channel_id, kind, posted_at);",
     NULL},

    /* 4: fair scores and FSRS. The points an answer earned (old answers
     * earned their score, so totals stand), how much of it was copied, the
     * reveals that make a later answer earn nothing, coverage per user so
     * forgetting a user removes their part, and FSRS memory states (the
     * SM-2 rows are converted in C, see migrate_srs_fsrs). */
    {"ALTER TABLE answers ADD COLUMN points INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE answers ADD COLUMN copied INTEGER NOT NULL DEFAULT 0;"
     "UPDATE answers SET points = score WHERE score > 0;"
     "CREATE TABLE reveals(user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     " question_id TEXT NOT NULL, revealed_at INTEGER NOT NULL);"
     "CREATE INDEX reveals_user_q ON reveals(user_id, question_id, revealed_at);"
     "CREATE TABLE covered_v4(team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
     " question_id TEXT NOT NULL, users INTEGER NOT NULL,"
     " PRIMARY KEY(team_id, question_id)) WITHOUT ROWID;"
     "INSERT INTO covered_v4 SELECT team_id, question_id, count(DISTINCT user_id) FROM answers"
     " GROUP BY team_id, question_id;"
     "DROP TABLE team_covered;"
     "ALTER TABLE covered_v4 RENAME TO team_covered;"
     "CREATE TABLE srs_v4(user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     " question_id TEXT NOT NULL, stability REAL NOT NULL, difficulty REAL NOT NULL,"
     " reps INTEGER NOT NULL, lapses INTEGER NOT NULL, interval INTEGER NOT NULL,"
     " last_review INTEGER NOT NULL, due_at INTEGER NOT NULL,"
     " prev_stability REAL, prev_difficulty REAL, prev_reps INTEGER, prev_lapses INTEGER,"
     " prev_interval INTEGER, prev_last_review INTEGER, prev_due_at INTEGER,"
     " PRIMARY KEY(user_id, question_id)) WITHOUT ROWID;",
     migrate_srs_fsrs},

    /* 5: platform events already handled (Discord interaction ids), so one
     * replayed after a resume or a restart is answered once. */
    {"CREATE TABLE handled(platform TEXT NOT NULL, event_id TEXT NOT NULL,"
     " handled_at INTEGER NOT NULL, PRIMARY KEY(platform, event_id)) WITHOUT ROWID;"
     "CREATE INDEX handled_age ON handled(handled_at);",
     NULL},
    /* 6: a question moved to its topic under a new id (issue 20: /question
     * graphql must reach the N+1 question): every stored reference follows,
     * follow-up answers ("<id>/f1") too, so nobody's history is orphaned. */
    {"UPDATE served SET question_id = 'api-n-plus-one-queries' || substr(question_id, 21)"
     " WHERE question_id = 'databases-n-plus-one' OR question_id LIKE 'databases-n-plus-one/%';"
     "UPDATE answers SET question_id = 'api-n-plus-one-queries' || substr(question_id, 21)"
     " WHERE question_id = 'databases-n-plus-one' OR question_id LIKE 'databases-n-plus-one/%';"
     "UPDATE srs SET question_id = 'api-n-plus-one-queries' || substr(question_id, 21)"
     " WHERE question_id = 'databases-n-plus-one' OR question_id LIKE 'databases-n-plus-one/%';"
     "UPDATE reveals SET question_id = 'api-n-plus-one-queries' || substr(question_id, 21)"
     " WHERE question_id = 'databases-n-plus-one' OR question_id LIKE 'databases-n-plus-one/%';"
     "UPDATE team_covered SET question_id = 'api-n-plus-one-queries' || substr(question_id, 21)"
     " WHERE question_id = 'databases-n-plus-one' OR question_id LIKE 'databases-n-plus-one/%';"
     "UPDATE channel_posts SET question_id = 'api-n-plus-one-queries' || substr(question_id, 21)"
     " WHERE question_id = 'databases-n-plus-one' OR question_id LIKE 'databases-n-plus-one/%';"
     "UPDATE users SET open_qid = 'api-n-plus-one-queries' || substr(open_qid, 21)"
     " WHERE open_qid = 'databases-n-plus-one' OR open_qid LIKE 'databases-n-plus-one/%';",
     NULL},
    /* 7: private progress pages (issue 17). Their links are signed with a
     * secret made on first start; a user's or team's random nonce is part of
     * what is signed, so a new nonce (or a forgotten user) kills old links
     * even when SQLite later hands the same row id to someone else. */
    {"CREATE TABLE secrets(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
     "ALTER TABLE users ADD COLUMN link_nonce INTEGER;"
     "ALTER TABLE teams ADD COLUMN link_nonce INTEGER;",
     NULL},
    /* 8: the daily drill (issue 19): difficulty, a skipped day, a pause,
     * holidays, and why a channel's posts stopped; a post is pending from
     * its claim until the platform took it (its message id), so a restart
     * can reconcile instead of posting twice. Old posts were sent. */
    {"ALTER TABLE channels ADD COLUMN daily_difficulty INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE channels ADD COLUMN daily_skip_day INTEGER;"
     "ALTER TABLE channels ADD COLUMN daily_resume_day INTEGER;"
     "ALTER TABLE channels ADD COLUMN daily_holidays TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE channels ADD COLUMN daily_blocked TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE channels ADD COLUMN daily_blocked_told INTEGER NOT NULL DEFAULT 0;"
     "CREATE INDEX channels_daily ON channels(daily_enabled) WHERE daily_enabled = 1;"
     "ALTER TABLE channel_posts ADD COLUMN state TEXT NOT NULL DEFAULT 'sent';"
     "ALTER TABLE channel_posts ADD COLUMN message_id TEXT;",
     NULL},
    /* 9: answer first, see others after (issue 22): a channel's reveal time
     * (NULL: with the next post, as before), and whether a user lets a
     * reveal quote their answer by name (off unless they say so). A reveal
     * is a channel_posts row of its own kind, claimed once like a post. */
    {"ALTER TABLE channels ADD COLUMN daily_reveal TEXT;"
     "ALTER TABLE users ADD COLUMN quote INTEGER NOT NULL DEFAULT 0;",
     NULL},
    /* 10: challenges of a grade (issue 22). Where the words that covered each
     * key point stand in the answer, so a reviewer sees what the grader
     * heard; a challenge names one missed point of one answer, once, and
     * keeps the point's text as it read (the bank may change before the
     * ruling); the ruling, its reviewer and what it corrected stay with it,
     * and `told` says the user heard of it. Reviewers are per team, beyond
     * its admins. Forgetting a user or an answer takes its challenges along. */
    {"ALTER TABLE answers ADD COLUMN matched TEXT;"
     "CREATE TABLE challenges(id INTEGER PRIMARY KEY,"
     " answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,"
     " team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
     " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     " question_id TEXT NOT NULL, point INTEGER NOT NULL, point_text TEXT NOT NULL,"
     " npoints INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'open',"
     " created_at INTEGER NOT NULL,"
     " reviewer_id INTEGER REFERENCES users(id) ON DELETE SET NULL, ruled_at INTEGER,"
     " score_before INTEGER, score_after INTEGER, points_delta INTEGER,"
     " told INTEGER NOT NULL DEFAULT 0, UNIQUE(answer_id, point));"
     "CREATE INDEX challenges_open ON challenges(team_id, created_at) WHERE status = 'open';"
     "CREATE INDEX challenges_user ON challenges(user_id, status);"
     /* Every private reply asks it (store_challenge_untold): in order, with no sort. */
     "CREATE INDEX challenges_untold ON challenges(user_id, ruled_at)"
     " WHERE told = 0 AND status != 'open';"
     "CREATE INDEX challenges_reviewer ON challenges(reviewer_id);"
     "CREATE INDEX challenges_accepted ON challenges(question_id, point)"
     " WHERE status = 'accepted';"
     "CREATE TABLE reviewers(team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
     " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     " added_at INTEGER NOT NULL, PRIMARY KEY(team_id, user_id)) WITHOUT ROWID;"
     "CREATE INDEX reviewers_user ON reviewers(user_id);",
     NULL},
    /* 11: privacy on the board (issue 22). A user may keep their place off
     * every board; a team's admins may turn its board off, or start a new
     * season: scores gain the season they were earned in (old rows are
     * season 0 and are kept, so the history stays), and the board reads
     * the team's current season only. The partial index finds a team's
     * hidden users without touching the others. */
    {"ALTER TABLE users ADD COLUMN board_hidden INTEGER NOT NULL DEFAULT 0;"
     "CREATE INDEX users_hidden ON users(team_id) WHERE board_hidden = 1;"
     "ALTER TABLE teams ADD COLUMN board_off INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE teams ADD COLUMN season INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE teams ADD COLUMN season_start INTEGER;"
     "CREATE TABLE scores_v11(team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
     " season INTEGER NOT NULL, period TEXT NOT NULL,"
     " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     " points INTEGER NOT NULL, reached_at INTEGER NOT NULL,"
     " PRIMARY KEY(team_id, season, period, user_id)) WITHOUT ROWID;"
     "INSERT INTO scores_v11(team_id, season, period, user_id, points, reached_at)"
     " SELECT team_id, 0, period, user_id, points, reached_at FROM scores;"
     "DROP TABLE scores;"
     "ALTER TABLE scores_v11 RENAME TO scores;"
     "CREATE INDEX scores_rank ON scores(team_id, season, period, points, reached_at);"
     "CREATE INDEX scores_user ON scores(user_id);",
     NULL},
};

/* A channel's drill settings, in the order daily_from_row() reads them. */
#define DAILY_COLS                                                                                 \
	"daily_enabled, coalesce(daily_time, ''), coalesce(daily_tz, ''), daily_days,"             \
	" coalesce(daily_topics, ''), daily_difficulty, daily_skip_day, daily_resume_day,"         \
	" daily_holidays, daily_blocked, coalesce(daily_reveal, '')"

/* The team ?1's current season, for the board's statements. */
#define SEASON_OF_1 "(SELECT season FROM teams WHERE id = ?1)"
/* The scores of team ?1's hidden users in period ?2 of its current season,
 * as "s", for a WHERE to go on. CROSS JOIN keeps users outer: the few hidden
 * ones come from users_hidden, each score by its key, instead of a lookup
 * for every score above a rank. */
#define HIDDEN_SCORES                                                                              \
	"users u CROSS JOIN scores s ON s.team_id = ?1 AND s.season = " SEASON_OF_1                \
	" AND s.period = ?2"                                                                       \
	" AND s.user_id = u.id WHERE u.team_id = ?1 AND u.board_hidden = 1"

#define SRS_COLS                                                                                   \
	"stability, difficulty, reps, lapses, interval, last_review, due_at, prev_stability,"      \
	" prev_difficulty, prev_reps, prev_lapses, prev_interval, prev_last_review, prev_due_at"

enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_TEAM_GET,
	ST_TEAM_ADD,
	ST_USER_GET,
	ST_USER_ADD,
	ST_USER_RENAME,
	ST_USER_TZ,
	ST_USER_OPEN,
	ST_USER_DELETE,
	ST_SERVED_ADD,
	ST_TEAM_SERVED,
	ST_SEEN_LIST,
	ST_SEEN_MARK,
	ST_ANSWER_ADD,
	ST_ANSWER_HISTORY,
	ST_ANSWER_RECENT_TOPIC,
	ST_REVEAL_ADD,
	ST_ANSWER_GRADE,
	ST_ANSWER_COUNT,
	ST_ANSWER_EXISTS,
	ST_SRS_GET,
	ST_SRS_PUT,
	ST_SRS_DUE,
	ST_TOPIC_GET,
	ST_TOPIC_PUT,
	ST_TOPIC_LIST,
	ST_STREAK_GET,
	ST_STREAK_PUT,
	ST_SCORE_ADD,
	ST_SCORE_TOP,
	ST_SCORE_GET,
	ST_SCORE_ABOVE,
	ST_SCORE_TIED_BEFORE,
	ST_COVERED_ADD,
	ST_COVERED_LIST,
	ST_COVERED_FORGET,
	ST_COVERED_PRUNE,
	ST_CHANNEL_ENSURE,
	ST_CHANNEL_DAILY,
	ST_CHANNEL_POST_CLAIM,
	ST_CHANNEL_POST_SENT,
	ST_CHANNEL_BLOCK,
	ST_DRILL_EACH,
	ST_DRILL_GET,
	ST_TEAM_BLOCKED,
	ST_QUESTION_BEST,
	ST_CHANNEL_TOLD,
	ST_POSTS_PENDING,
	ST_STREAK_LEADERS,
	ST_CHANNEL_POST_LAST,
	ST_CHANNEL_POST_RECENT,
	ST_CHANNEL_POST_OF,
	ST_QUESTION_STATS,
	ST_HANDLED_ADD,
	ST_HANDLED_SEEN,
	ST_SYNC_NORMAL,
	ST_SYNC_FULL,
	ST_HANDLED_PRUNE,
	ST_SECRET_ADD,
	ST_SECRET_GET,
	ST_USER_NONCE_SET,
	ST_USER_NONCE_GET,
	ST_TEAM_NONCE_SET,
	ST_TEAM_NONCE_GET,
	ST_USER_BY_ID,
	ST_TEAM_BY_ID,
	ST_ANSWER_DAYS,
	ST_USER_QUOTE_SET,
	ST_USER_QUOTE_GET,
	ST_CHANNEL_POST_DAY,
	ST_QUESTION_FIRSTS,
	ST_QUESTION_QUOTES,
	ST_ANSWER_GET,
	ST_ANSWER_REGRADE,
	ST_ANSWER_BEFORE,
	ST_ANSWER_POINTS_AFTER,
	ST_CHALLENGE_ADD,
	ST_CHALLENGE_GET,
	ST_CHALLENGE_FIND,
	ST_CHALLENGE_OPEN_COUNT,
	ST_CHALLENGE_QUEUE,
	ST_CHALLENGE_OPEN_TOTAL,
	ST_CHALLENGE_RULE,
	ST_CHALLENGE_UNTOLD,
	ST_CHALLENGE_TOLD,
	ST_CHALLENGE_ACCEPTED,
	ST_CHALLENGE_OF,
	ST_CHALLENGE_RULED_BY,
	ST_REVIEWER_ADD,
	ST_REVIEWER_REMOVE,
	ST_REVIEWER_IS,
	ST_REVIEWER_LIST,
	ST_TEAM_BOARD,
	ST_TEAM_SEASON,
	ST_USER_HIDDEN,
	ST_USER_HIDDEN_GET,
	ST_SCORE_HIDDEN,
	ST_ANSWER_EACH,
	ST_SRS_EACH,
	ST_REVEAL_EACH,
	ST_SCORE_EACH,
	ST_SERVED_EACH,
	ST_COUNT
};

/* A challenge with its user's and reviewer's names, in the order challenge_from_row() reads. */
#define CHALLENGE_COLS_NAMED(user_name, reviewer_name)                                             \
	"c.id, c.answer_id, c.team_id, c.user_id, " user_name ", c.question_id, c.point,"          \
	" c.point_text, c.npoints, c.status, c.created_at, coalesce(c.reviewer_id, "               \
	"0), " reviewer_name ", coalesce(c.ruled_at, 0), coalesce(c.score_before, 0),"             \
	" coalesce(c.score_after, 0), coalesce(c.points_delta, 0)"
#define CHALLENGE_COLS CHALLENGE_COLS_NAMED("coalesce(u.name, '')", "coalesce(r.name, '')")
#define CHALLENGE_FROM                                                                             \
	" FROM challenges c JOIN users u ON u.id = c.user_id"                                      \
	" LEFT JOIN users r ON r.id = c.reviewer_id"

static const char *sql[ST_COUNT] = {
    [ST_SECRET_ADD] = "INSERT INTO secrets(name, value) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    [ST_SECRET_GET] = "SELECT value FROM secrets WHERE name = ?1",
    /* ?3 = 0: only where none is set yet, so two processes agree on one. */
    [ST_USER_NONCE_SET] = "UPDATE users SET link_nonce = ?2 WHERE id = ?1"
                          " AND (?3 OR link_nonce IS NULL)",
    [ST_USER_NONCE_GET] = "SELECT link_nonce FROM users WHERE id = ?1 AND link_nonce IS NOT NULL",
    [ST_TEAM_NONCE_SET] = "UPDATE teams SET link_nonce = ?2 WHERE id = ?1"
                          " AND (?3 OR link_nonce IS NULL)",
    [ST_TEAM_NONCE_GET] = "SELECT link_nonce FROM teams WHERE id = ?1 AND link_nonce IS NOT NULL",
    [ST_USER_BY_ID] = "SELECT u.id, u.name, coalesce(u.tz, ''), coalesce(u.open_qid, ''),"
                      " u.team_id, coalesce(t.tz, '') FROM users u JOIN teams t"
                      " ON t.id = u.team_id WHERE u.id = ?1",
    [ST_TEAM_BY_ID] = "SELECT id, platform, name, coalesce(tz, ''), board_off, season,"
                      " coalesce(season_start, 0) FROM teams WHERE id = ?1",
    [ST_TEAM_BOARD] = "UPDATE teams SET board_off = ?2 WHERE id = ?1",
    /* ?3: the season the admin saw when asked, so a second confirm (a double
     * click, an old button) starts nothing. */
    [ST_TEAM_SEASON] = "UPDATE teams SET season = season + 1, season_start = ?2"
                       " WHERE id = ?1 AND season = ?3",
    [ST_USER_HIDDEN] = "UPDATE users SET board_hidden = ?2 WHERE id = ?1",
    [ST_USER_HIDDEN_GET] = "SELECT board_hidden FROM users WHERE id = ?1",
    [ST_ANSWER_EACH] = "SELECT id, question_id, topic, text, score, covered,"
                       " coalesce(self_grade, -1), created_at, local_day, points, copied, team_id,"
                       " matched FROM answers WHERE user_id = ?1 ORDER BY created_at, id",
    [ST_SRS_EACH] = "SELECT question_id, " SRS_COLS " FROM srs WHERE user_id = ?1"
                    " ORDER BY question_id",
    [ST_REVEAL_EACH] = "SELECT question_id, revealed_at FROM reveals WHERE user_id = ?1"
                       " ORDER BY revealed_at, rowid",
    [ST_SCORE_EACH] = "SELECT season, period, points, reached_at FROM scores WHERE user_id = ?1"
                      " ORDER BY season, period",
    [ST_SERVED_EACH] = "SELECT question_id, reason, served_at FROM served WHERE user_id = ?1"
                       " ORDER BY served_at, id",
    [ST_ANSWER_DAYS] = "SELECT local_day, count(*), sum(score) FROM answers WHERE user_id = ?1"
                       " AND local_day >= ?2 GROUP BY local_day ORDER BY local_day",
    [ST_HANDLED_ADD] = "INSERT INTO handled(platform, event_id, handled_at) VALUES (?1, ?2, ?3)"
                       " ON CONFLICT DO NOTHING",
    [ST_HANDLED_SEEN] = "SELECT 1 FROM handled WHERE platform = ?1 AND event_id = ?2",
    [ST_HANDLED_PRUNE] = "DELETE FROM handled WHERE handled_at < ?1",
    [ST_SYNC_NORMAL] = "PRAGMA synchronous = NORMAL",
    [ST_SYNC_FULL] = "PRAGMA synchronous = FULL",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_TEAM_GET] = "SELECT id, coalesce(tz, '') FROM teams WHERE platform = ?1 AND ext_id = ?2",
    /* Insert-or-get in one statement, so two processes meeting a new team
     * agree on its id; the no-op update makes RETURNING yield the old row. */
    [ST_TEAM_ADD] = "INSERT INTO teams(platform, ext_id, created_at) VALUES (?1, ?2, ?3)"
                    " ON CONFLICT(platform, ext_id) DO UPDATE SET ext_id = excluded.ext_id"
                    " RETURNING id, coalesce(tz, '')",
    [ST_USER_GET] = "SELECT id, name, coalesce(tz, ''), coalesce(open_qid, '') FROM users"
                    " WHERE team_id = ?1 AND ext_id = ?2",
    [ST_USER_ADD] = "INSERT INTO users(team_id, ext_id, name, created_at) VALUES (?1, ?2, ?3, ?4)"
                    " ON CONFLICT(team_id, ext_id) DO UPDATE SET ext_id = excluded.ext_id"
                    " RETURNING id, name, coalesce(tz, ''), coalesce(open_qid, '')",
    [ST_USER_RENAME] = "UPDATE users SET name = ?2 WHERE id = ?1",
    [ST_USER_TZ] = "UPDATE users SET tz = ?2 WHERE id = ?1",
    [ST_USER_OPEN] = "UPDATE users SET open_qid = ?2 WHERE id = ?1",
    [ST_USER_DELETE] = "DELETE FROM users WHERE id = ?1",
    [ST_TEAM_SERVED] =
        "SELECT DISTINCT s.question_id FROM served s JOIN users u ON u.id = s.user_id"
        " WHERE u.team_id = ?1 AND s.served_at >= ?2 LIMIT ?3",
    [ST_SERVED_ADD] = "INSERT INTO served(user_id, question_id, reason, served_at)"
                      " VALUES (?1, ?2, ?3, ?4)",
    [ST_SEEN_LIST] = "SELECT question_id FROM seen WHERE user_id = ?1 AND topic = ?2"
                     " AND round >= ?3",
    [ST_SEEN_MARK] =
        "INSERT INTO seen(user_id, topic, question_id, round) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT(user_id, topic, question_id) DO UPDATE SET round = excluded.round",
    [ST_ANSWER_ADD] = "INSERT INTO answers(user_id, team_id, question_id, topic, text, score,"
                      " covered, created_at, local_day, points, copied, matched)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [ST_ANSWER_GET] = "SELECT id, user_id, team_id, question_id, text, score, covered, points,"
                      " copied, created_at, coalesce(matched, '') FROM answers WHERE id = ?1",
    [ST_ANSWER_REGRADE] = "UPDATE answers SET score = ?2, covered = ?3, points = ?4 WHERE id = ?1",
    /* Before the answer: earlier rows (ids grow with time), reveals up to its second. */
    [ST_ANSWER_BEFORE] =
        "SELECT (SELECT coalesce(max(created_at), 0) FROM answers WHERE user_id = ?1"
        " AND question_id = ?2 AND id < ?3), (SELECT coalesce(max(created_at), 0) FROM answers"
        " WHERE user_id = ?1 AND question_id = ?2 AND id < ?3 AND points > 0),"
        " (SELECT coalesce(max(revealed_at), 0) FROM reveals WHERE user_id = ?1"
        " AND question_id = ?2 AND revealed_at <= ?4)",
    [ST_ANSWER_POINTS_AFTER] = "SELECT 1 FROM answers WHERE user_id = ?1 AND question_id = ?2"
                               " AND id > ?3 AND points > 0 AND created_at < ?4 LIMIT 1",
    [ST_CHALLENGE_ADD] =
        "INSERT INTO challenges(answer_id, team_id, user_id, question_id, point, point_text,"
        " npoints, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " ON CONFLICT(answer_id, point) DO NOTHING",
    [ST_CHALLENGE_GET] = "SELECT " CHALLENGE_COLS CHALLENGE_FROM " WHERE c.id = ?1",
    [ST_CHALLENGE_FIND] =
        "SELECT " CHALLENGE_COLS CHALLENGE_FROM " WHERE c.answer_id = ?1 AND c.point = ?2",
    [ST_CHALLENGE_OPEN_COUNT] =
        "SELECT count(*) FROM challenges WHERE user_id = ?1 AND status = 'open'",
    [ST_CHALLENGE_QUEUE] = "SELECT " CHALLENGE_COLS CHALLENGE_FROM
                           " WHERE c.team_id = ?1 AND c.status = 'open' AND c.user_id != ?2"
                           " ORDER BY c.created_at, c.id LIMIT ?3",
    [ST_CHALLENGE_OPEN_TOTAL] =
        "SELECT count(*) FROM challenges WHERE team_id = ?1 AND status = 'open'",
    /* Only an open challenge is ruled: a second press, or a second reviewer, changes nothing. */
    [ST_CHALLENGE_RULE] = "UPDATE challenges SET status = ?2, reviewer_id = ?3, ruled_at = ?4,"
                          " score_before = ?5, score_after = ?6, points_delta = ?7"
                          " WHERE id = ?1 AND status = 'open'",
    /* Asked on every private reply: no names (the user is told of their own), no joins. */
    [ST_CHALLENGE_UNTOLD] = "SELECT " CHALLENGE_COLS_NAMED(
        "''", "''") " FROM challenges c WHERE c.user_id = ?1 AND c.status != 'open'"
                    " AND c.told = 0 ORDER BY c.ruled_at, c.id LIMIT ?2",
    [ST_CHALLENGE_TOLD] = "UPDATE challenges SET told = 1 WHERE id = ?1",
    /* For the export: the user's own challenges, and those they ruled on (no names:
     * the other members' are theirs). */
    [ST_CHALLENGE_OF] = "SELECT " CHALLENGE_COLS_NAMED(
        "''", "''") " FROM challenges c"
                    " WHERE c.user_id = ?1 ORDER BY c.created_at, c.id",
    [ST_CHALLENGE_RULED_BY] = "SELECT " CHALLENGE_COLS_NAMED(
        "''", "''") " FROM challenges c"
                    " WHERE c.reviewer_id = ?1 ORDER BY c.ruled_at, c.id",
    [ST_CHALLENGE_ACCEPTED] = "SELECT " CHALLENGE_COLS ", a.text" CHALLENGE_FROM
                              " JOIN answers a ON a.id = c.answer_id WHERE c.status = 'accepted'"
                              " ORDER BY c.question_id, c.point, c.ruled_at, c.id",
    [ST_REVIEWER_ADD] = "INSERT INTO reviewers(team_id, user_id, added_at) VALUES (?1, ?2, ?3)"
                        " ON CONFLICT DO NOTHING",
    [ST_REVIEWER_REMOVE] = "DELETE FROM reviewers WHERE team_id = ?1 AND user_id = ?2",
    [ST_REVIEWER_IS] = "SELECT 1 FROM reviewers WHERE team_id = ?1 AND user_id = ?2",
    [ST_REVIEWER_LIST] = "SELECT u.id, u.name, u.ext_id FROM reviewers r JOIN users u"
                         " ON u.id = r.user_id WHERE r.team_id = ?1 ORDER BY r.added_at, u.id"
                         " LIMIT ?2",
    [ST_ANSWER_HISTORY] =
        "SELECT (SELECT coalesce(max(created_at), 0) FROM answers WHERE user_id = ?1"
        " AND question_id = ?2), (SELECT coalesce(max(created_at), 0) FROM answers"
        " WHERE user_id = ?1 AND question_id = ?2 AND points > 0),"
        " (SELECT coalesce(max(revealed_at), 0) FROM reveals WHERE user_id = ?1"
        " AND question_id = ?2)",
    [ST_ANSWER_RECENT_TOPIC] = "SELECT question_id, covered FROM answers WHERE user_id = ?1"
                               " AND topic = ?2 AND copied < ?3 ORDER BY created_at DESC LIMIT ?4",
    [ST_REVEAL_ADD] = "INSERT INTO reveals(user_id, question_id, revealed_at) VALUES (?1, ?2, ?3)",
    [ST_ANSWER_GRADE] = "UPDATE answers SET self_grade = ?3 WHERE id = (SELECT id FROM answers"
                        " WHERE user_id = ?1 AND question_id = ?2 ORDER BY created_at DESC, id DESC"
                        " LIMIT 1)",
    [ST_ANSWER_COUNT] = "SELECT count(*) FROM answers WHERE user_id = ?1 AND created_at >= ?2",
    [ST_ANSWER_EXISTS] = "SELECT 1 FROM answers WHERE user_id = ?1 AND question_id = ?2 LIMIT 1",
    [ST_SRS_GET] = "SELECT " SRS_COLS " FROM srs WHERE user_id = ?1 AND question_id = ?2",
    [ST_SRS_PUT] = "INSERT OR REPLACE INTO srs(user_id, question_id, " SRS_COLS ")"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                   " ?16)",
    [ST_SRS_DUE] = "SELECT question_id FROM srs WHERE user_id = ?1 AND due_at <= ?2"
                   " ORDER BY due_at LIMIT 1",
    [ST_TOPIC_GET] = "SELECT mastery, answers, round FROM topic_stats"
                     " WHERE user_id = ?1 AND topic = ?2",
    [ST_TOPIC_PUT] = "INSERT INTO topic_stats(user_id, topic, mastery, answers, round, updated_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(user_id, topic) DO UPDATE SET"
                     " mastery = excluded.mastery, answers = excluded.answers,"
                     " round = excluded.round, updated_at = excluded.updated_at",
    [ST_TOPIC_LIST] = "SELECT topic, mastery, answers, round FROM topic_stats WHERE user_id = ?1"
                      " ORDER BY mastery, topic",
    [ST_STREAK_GET] = "SELECT current, best, freezes, last_day FROM streaks WHERE user_id = ?1",
    [ST_STREAK_PUT] = "INSERT INTO streaks(user_id, current, best, freezes, last_day)"
                      " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(user_id) DO UPDATE SET"
                      " current = excluded.current, best = excluded.best,"
                      " freezes = excluded.freezes, last_day = excluded.last_day",
    /* Points go to the team's current season; the board reads only that one. */
    [ST_SCORE_ADD] = "INSERT INTO scores(team_id, season, period, user_id, points, reached_at)"
                     " VALUES (?1, " SEASON_OF_1 ", ?2, ?3, ?4, ?5)"
                     " ON CONFLICT(team_id, season, period, user_id) DO UPDATE"
                     " SET points = points + excluded.points, reached_at = excluded.reached_at",
    [ST_SCORE_TOP] = "SELECT s.user_id, u.name, s.points FROM scores s JOIN users u"
                     " ON u.id = s.user_id WHERE s.team_id = ?1 AND s.season = " SEASON_OF_1
                     " AND s.period = ?2 AND u.board_hidden = 0"
                     " ORDER BY s.points DESC, s.reached_at, s.user_id LIMIT ?3",
    [ST_SCORE_GET] = "SELECT points, reached_at FROM scores WHERE team_id = ?1"
                     " AND season = " SEASON_OF_1 " AND period = ?2 AND user_id = ?3",
    /* A rank counts the players on the board ahead: all of them by the index,
     * less the hidden ones (few, found by users_hidden), so nobody can tell
     * from their rank where a hidden player stands. */
    [ST_SCORE_ABOVE] = "SELECT (SELECT count(*) FROM scores WHERE team_id = ?1"
                       " AND season = " SEASON_OF_1 " AND period = ?2 AND points > ?3)"
                       " - (SELECT count(*) FROM " HIDDEN_SCORES " AND s.points > ?3)",
    [ST_SCORE_TIED_BEFORE] = "SELECT (SELECT count(*) FROM scores WHERE team_id = ?1"
                             " AND season = " SEASON_OF_1 " AND period = ?2"
                             " AND points = ?3 AND (reached_at < ?4 OR"
                             " (reached_at = ?4 AND user_id < ?5)))"
                             " - (SELECT count(*) FROM " HIDDEN_SCORES " AND s.points = ?3"
                             " AND (s.reached_at < ?4 OR (s.reached_at = ?4 AND s.user_id < ?5)))",
    [ST_SCORE_HIDDEN] = "SELECT count(*) FROM " HIDDEN_SCORES " AND s.points > 0",
    /* Coverage counts the users who answered; a user's first answer adds one
     * (and /forget-me takes it back), so reading it stays one row per question. */
    [ST_COVERED_ADD] = "INSERT INTO team_covered(team_id, question_id, users) SELECT ?1, ?2, 1"
                       " WHERE (SELECT count(*) FROM answers WHERE user_id = ?3"
                       " AND question_id = ?2) <= 1"
                       " ON CONFLICT(team_id, question_id) DO UPDATE SET users = users + 1",
    [ST_COVERED_LIST] = "SELECT question_id FROM team_covered WHERE team_id = ?1",
    [ST_COVERED_FORGET] = "UPDATE team_covered SET users = users - 1 WHERE (team_id, question_id)"
                          " IN (SELECT DISTINCT team_id, question_id FROM answers"
                          " WHERE user_id = ?1)",
    [ST_COVERED_PRUNE] = "DELETE FROM team_covered WHERE users <= 0",
    [ST_CHANNEL_ENSURE] = "INSERT INTO channels(team_id, ext_id) VALUES (?1, ?2)"
                          " ON CONFLICT(team_id, ext_id) DO UPDATE SET ext_id = excluded.ext_id"
                          " RETURNING id, " DAILY_COLS,
    [ST_CHANNEL_DAILY] = "UPDATE channels SET daily_enabled = ?2, daily_time = ?3, daily_tz = ?4,"
                         " daily_days = ?5, daily_topics = ?6, daily_difficulty = ?7,"
                         " daily_skip_day = ?8, daily_resume_day = ?9, daily_holidays = ?10,"
                         " daily_blocked = ?11, daily_reveal = ?12 WHERE id = ?1",
    [ST_QUESTION_BEST] = "SELECT u.name, max(a.score) AS best FROM answers a"
                         " JOIN users u ON u.id = a.user_id WHERE a.team_id = ?1"
                         " AND a.question_id = ?2 AND a.created_at >= ?3 AND u.board_hidden = 0"
                         " GROUP BY a.user_id"
                         " ORDER BY best DESC, min(a.created_at) LIMIT ?4",
    [ST_STREAK_LEADERS] = "SELECT u.name, s.current FROM streaks s JOIN users u ON u.id = s.user_id"
                          " WHERE u.team_id = ?1 AND s.current > 0 AND u.board_hidden = 0"
                          " ORDER BY s.current DESC, s.user_id LIMIT ?2",
    [ST_CHANNEL_BLOCK] = "UPDATE channels SET daily_blocked = ?2, daily_blocked_told = 0"
                         " WHERE id = ?1",
    [ST_POSTS_PENDING] = "SELECT channel_id, question_id, local_day, posted_at FROM channel_posts"
                         " WHERE kind = ?1 AND state = 'pending' AND posted_at >= ?2"
                         " ORDER BY posted_at",
    [ST_CHANNEL_TOLD] = "UPDATE channels SET daily_blocked_told = 1 WHERE id = ?1",
    [ST_DRILL_EACH] = "SELECT c.id, t.platform, t.ext_id, c.ext_id, coalesce(t.tz, ''), " DAILY_COLS
                      " FROM channels c JOIN teams t ON t.id = c.team_id"
                      " WHERE c.daily_enabled = 1",
    [ST_DRILL_GET] = "SELECT c.id, t.platform, t.ext_id, c.ext_id, coalesce(t.tz, ''), " DAILY_COLS
                     " FROM channels c JOIN teams t ON t.id = c.team_id WHERE c.id = ?1",
    [ST_TEAM_BLOCKED] =
        "SELECT c.id, t.platform, t.ext_id, c.ext_id, coalesce(t.tz, ''), " DAILY_COLS
        " FROM channels c JOIN teams t ON t.id = c.team_id"
        " WHERE c.team_id = ?1 AND c.daily_enabled = 1 AND c.daily_blocked != ''"
        " AND c.daily_blocked_told = 0 ORDER BY c.id LIMIT ?2",
    /* One row per channel, kind and local day: a second claim of the same day
     * inserts nothing, which is what makes a post happen exactly once. */
    [ST_CHANNEL_POST_CLAIM] =
        "INSERT INTO channel_posts(channel_id, kind, question_id, local_day, posted_at, state)"
        " VALUES (?1, ?2, ?3, ?4, ?5, 'pending')"
        " ON CONFLICT(channel_id, kind, local_day) DO NOTHING RETURNING id",
    [ST_CHANNEL_POST_SENT] = "UPDATE channel_posts SET state = 'sent', message_id = ?4"
                             " WHERE channel_id = ?1 AND kind = ?2 AND local_day = ?3",
    [ST_CHANNEL_POST_LAST] = "SELECT question_id, local_day, posted_at, coalesce(message_id, '')"
                             " FROM channel_posts"
                             " WHERE channel_id = ?1 AND kind = ?2 AND local_day < ?3"
                             " ORDER BY local_day DESC LIMIT 1",
    [ST_CHANNEL_POST_OF] =
        "SELECT cp.local_day, cp.posted_at, coalesce(c.daily_tz, ''), coalesce(t.tz, '')"
        " FROM teams t JOIN channels c ON c.team_id = t.id"
        " JOIN channel_posts cp ON cp.channel_id = c.id WHERE t.platform = ?1 AND t.ext_id = ?2"
        " AND c.ext_id = ?3 AND cp.kind = ?4 AND cp.question_id = ?5"
        " ORDER BY cp.local_day DESC LIMIT 1",
    [ST_CHANNEL_POST_RECENT] = "SELECT question_id FROM channel_posts WHERE channel_id = ?1"
                               " AND kind = ?2 ORDER BY posted_at DESC LIMIT ?3",
    [ST_USER_QUOTE_SET] = "UPDATE users SET quote = ?2 WHERE id = ?1",
    [ST_USER_QUOTE_GET] = "SELECT quote FROM users WHERE id = ?1",
    [ST_CHANNEL_POST_DAY] = "SELECT question_id, local_day, posted_at, coalesce(message_id, '')"
                            " FROM channel_posts WHERE channel_id = ?1 AND kind = ?2"
                            " AND local_day = ?3",
    /* A person's first answer in the window: the lowest id, so two in one
     * second still give one. Standard SQL (no bare columns beside min()),
     * for the PostgreSQL backend to come. */
    [ST_QUESTION_FIRSTS] =
        "SELECT a.score, count(*) FROM answers a WHERE a.team_id = ?1 AND a.question_id = ?2"
        " AND a.created_at BETWEEN ?3 AND ?4 AND a.id = (SELECT min(b.id) FROM answers b"
        " WHERE b.user_id = a.user_id AND b.question_id = ?2 AND b.created_at BETWEEN ?3 AND ?4)"
        " GROUP BY a.score",
    [ST_QUESTION_QUOTES] =
        "SELECT u.name, a.score, a.text FROM answers a JOIN users u ON u.id = a.user_id"
        " WHERE a.team_id = ?1 AND a.question_id = ?2 AND a.created_at BETWEEN ?3 AND ?4"
        " AND u.quote = 1 AND u.board_hidden = 0 AND a.copied < ?5 AND a.score >= ?7"
        " AND a.id = (SELECT min(b.id)"
        " FROM answers b"
        " WHERE b.user_id = a.user_id AND b.question_id = ?2 AND b.created_at BETWEEN ?3 AND ?4)"
        " ORDER BY a.score DESC, a.id LIMIT ?6",
    [ST_QUESTION_STATS] = "SELECT count(DISTINCT user_id), coalesce(avg(score), 0) FROM answers"
                          " WHERE team_id = ?1 AND question_id = ?2 AND created_at >= ?3",
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	int last_error; /* the class of the last failure (store_last_error) */
	bool damaged;   /* SQLite found damage: nothing more is written */
	bool told;      /* the admin was told about last_error in the log */
};

static const char *db_path(const struct store *s)
{
	const char *p = sqlite3_db_filename(s->db, "main");
	return p != NULL && *p != '\0' ? p : ":memory:";
}

/*
 * Damage found while running: stop writing, so the file stays as it is for
 * a backup or a repair, and tell the admin once how to recover. Closing
 * must not checkpoint the write-ahead log into a damaged file either; the
 * answers in the -wal file stay there for `sqlite3 .recover` to salvage.
 */
static int damaged(struct store *s, const char *what)
{
	int off = 1;

	s->last_error = BOT_ECORRUPT;
	if (s->damaged)
		return BOT_ECORRUPT;
	s->damaged = true;
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, &off);
	LOG_E(MOD,
	      "%s: the database %s is damaged (%s). drillbot has stopped writing to it and "
	      "answers are refused until it is repaired. To recover: stop drillbot, keep a copy "
	      "of the file with its -wal file, run `drillbot db check`, then restore the latest "
	      "backup, or salvage with `sqlite3 %s .recover | sqlite3 new.db` and point "
	      "\"database\" at new.db (README, \"Data and safety\")",
	      what, db_path(s), sqlite3_errmsg(s->db), db_path(s));
	return BOT_ECORRUPT;
}

/* A failure is told by its kind: damage, permission, a full disk, or something passing. */
static int fail(struct store *s, const char *what)
{
	int code = sqlite3_errcode(s->db) & 0xff;
	int kind;

	switch (code) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return damaged(s, what);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
	case SQLITE_AUTH:
		kind = BOT_EPERM;
		break;
	case SQLITE_FULL:
		kind = BOT_EIO;
		break;
	default:
		kind = BOT_ESTORE;
		break;
	}
	if (kind == BOT_EPERM && !(s->told && s->last_error == kind))
		LOG_E(MOD,
		      "%s: drillbot may not write its database %s (%s). This is a permission "
		      "problem, not damage: let the user drillbot runs as write the file, its "
		      "-wal and -shm files and their folder (for example `chown -R drillbot "
		      "/var/lib/drillbot`), or mount it read-write",
		      what, db_path(s), sqlite3_errmsg(s->db));
	else if (kind == BOT_EIO && !(s->told && s->last_error == kind))
		LOG_E(MOD, "%s: the disk holding %s is full (%s): free some space", what,
		      db_path(s), sqlite3_errmsg(s->db));
	else if (kind == BOT_ESTORE)
		LOG_E(MOD, "%s: %s", what, sqlite3_errmsg(s->db));
	s->told = kind != BOT_ESTORE;
	s->last_error = kind;
	return kind;
}

int store_last_error(const struct store *s)
{
	return s->last_error;
}

/* The prepared statement for id, prepared on first use and reset for reuse. */
static sqlite3_stmt *stmt(struct store *s, enum stmt_id id)
{
	if (s->st[id] == NULL) {
		if (sqlite3_prepare_v3(s->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->st[id],
		                       NULL) != SQLITE_OK) {
			fail(s, "prepare");
			return NULL;
		}
	}
	sqlite3_reset(s->st[id]);
	sqlite3_clear_bindings(s->st[id]);
	return s->st[id];
}

/*
 * The statement for id with its parameters bound, ?1 onwards, from fmt:
 * 'i' int64_t, 'n' int, 'd' double, 't' text, 'T' text that binds NULL
 * when NULL or empty, 'D' an int32_t day that binds NULL for STORE_NO_DAY. Text is bound
 * SQLITE_STATIC: callers keep it alive until the statement is stepped. NULL if preparing failed.
 */
static sqlite3_stmt *prep(struct store *s, enum stmt_id id, const char *fmt, ...)
{
	sqlite3_stmt *st = stmt(s, id);
	va_list ap;
	int i;

	if (st == NULL)
		return NULL;
	va_start(ap, fmt);
	for (i = 1; *fmt != '\0'; fmt++, i++) {
		const char *t;
		switch (*fmt) {
		case 'i':
			sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'n':
			sqlite3_bind_int(st, i, va_arg(ap, int));
			break;
		case 'd':
			sqlite3_bind_double(st, i, va_arg(ap, double));
			break;
		case 't':
			sqlite3_bind_text(st, i, va_arg(ap, const char *), -1, SQLITE_STATIC);
			break;
		case 'D': {
			int day = va_arg(ap, int);
			if (day == STORE_NO_DAY)
				sqlite3_bind_null(st, i);
			else
				sqlite3_bind_int(st, i, day);
			break;
		}
		case 'T':
			t = va_arg(ap, const char *);
			if (t != NULL && *t != '\0')
				sqlite3_bind_text(st, i, t, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(st, i);
			break;
		default:
			assert(!"bad bind format");
		}
	}
	va_end(ap);
	return st;
}

/* Runs a statement that returns no rows (st may be NULL: prepare failed). */
static int run(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc;

	if (st == NULL)
		return BOT_ESTORE;
	if (s->damaged && sqlite3_stmt_readonly(st) == 0) {
		sqlite3_reset(st);
		return BOT_ECORRUPT; /* damaged() stopped writes */
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return fail(s, what);
	if (sqlite3_stmt_readonly(st) == 0 && s->last_error != BOT_OK && !s->damaged) {
		LOG_I(MOD, "%s: writing to the database works again", what);
		s->last_error = BOT_OK;
		s->told = false;
	}
	return BOT_OK;
}

/*
 * Steps a one-row query: BOT_OK with the row current (the caller reads
 * its columns, then calls done()), BOT_ENOENT without one.
 */
static int row(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc;

	if (st == NULL)
		return BOT_ESTORE;
	if (s->damaged && sqlite3_stmt_readonly(st) == 0) {
		sqlite3_reset(st);
		return BOT_ECORRUPT; /* an INSERT ... RETURNING writes too */
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return BOT_OK;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return BOT_ENOENT;
	return fail(s, what);
}

/* Ends a read early so it holds no snapshot open. */
static int done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	return BOT_OK;
}

/* Steps through every row; per_row reads the current one. */
static int each(struct store *s, sqlite3_stmt *st, const char *what,
                void (*per_row)(sqlite3_stmt *st, void *arg), void *arg)
{
	int rc;

	if (st == NULL)
		return BOT_ESTORE;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		per_row(st, arg);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? BOT_OK : fail(s, what);
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t size)
{
	const unsigned char *v = sqlite3_column_text(st, col);
	snprintf(dst, size, "%s", v != NULL ? (const char *)v : "");
}

/* ---- opening and migrating ---- */

static int exec(struct store *s, const char *text, struct buf *err)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, text, NULL, NULL, &msg) != SQLITE_OK) {
		buf_addf(err, "%s", msg != NULL ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return BOT_ESTORE;
	}
	return BOT_OK;
}

static int pragma_int(struct store *s, const char *pragma, int *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, pragma, -1, &st, NULL) != SQLITE_OK)
		return sqlite3_errcode(s->db);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* Refuses a non-empty file that does not start with SQLite's magic string. */
static int check_header(const char *path, struct buf *err)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	struct stat sb;
	FILE *f;
	size_t n;

	if (strcmp(path, ":memory:") == 0 || stat(path, &sb) != 0 || sb.st_size == 0)
		return BOT_OK;
	f = fopen(path, "rb");
	if (f == NULL) {
		buf_addf(err, "%s: cannot read the database file; check its permissions", path);
		return BOT_EIO;
	}
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	if (n != sizeof(head) || memcmp(head, magic, sizeof(head)) != 0) {
		buf_addf(err,
		         "%s is not a SQLite database; it was left untouched. Point "
		         "\"database\" at another path or move the file away",
		         path);
		return BOT_ECORRUPT;
	}
	return BOT_OK;
}

/* "drillbot (uid 998)": who this process is, for permission messages. */
static void whoami(char *out, size_t size)
{
	struct passwd *pw = getpwuid(geteuid());

	if (pw != NULL)
		snprintf(out, size, "%s", pw->pw_name);
	else
		snprintf(out, size, "uid %ld", (long)geteuid());
}

/* Refuses a path this process may not read and write, naming the fix. */
static int check_writable(const char *path, const char *what, struct buf *err)
{
	char user[64];
	int e;

	if (access(path, R_OK | W_OK) == 0 || errno == ENOENT)
		return BOT_OK;
	e = errno; /* getpwuid may change it */
	whoami(user, sizeof(user));
	buf_addf(err,
	         "%s %s is not writable by %s, the user drillbot runs as (%s). The data is not "
	         "damaged; give that user access, e.g. `chown %s %s`, or run drillbot as the "
	         "file's owner",
	         what, path, user, strerror(e), user, path);
	return BOT_EPERM;
}

/*
 * Tells a permission problem from damage before SQLite sees the file: the
 * database, its folder (SQLite creates -wal and -shm beside it) and the
 * -wal and -shm files must all be writable by this process.
 */
static int check_access(const char *path, struct buf *err)
{
	char dir[4096], side[4200], user[64];
	const char *slash = strrchr(path, '/');
	int rc;

	if (strcmp(path, ":memory:") == 0)
		return BOT_OK;
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	if (access(dir, W_OK | X_OK) != 0) {
		int e = errno;
		whoami(user, sizeof(user));
		buf_addf(err,
		         "the folder %s is not writable by %s, the user drillbot runs as (%s); "
		         "SQLite creates %s-wal and %s-shm there. The data is not damaged; give "
		         "that user the folder, e.g. `chown %s %s`",
		         dir, user, strerror(e), path, path, user, dir);
		return BOT_EPERM;
	}
	rc = check_writable(path, "the database", err);
	snprintf(side, sizeof(side), "%s-wal", path);
	if (rc == BOT_OK)
		rc = check_writable(side, "the database's log", err);
	snprintf(side, sizeof(side), "%s-shm", path);
	if (rc == BOT_OK)
		rc = check_writable(side, "the database's shared-memory file", err);
	return rc;
}

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int stop_after_deadline(void *arg)
{
	return mono_ms() > *(const int64_t *)arg;
}

/*
 * PRAGMA quick_check, bounded in time: a damaged file is refused at start
 * instead of being written to. Returns BOT_OK when it passed or ran out of
 * time (logged), BOT_ECORRUPT with the first problem otherwise.
 */
static int check_integrity(struct store *s, const char *path, struct buf *err)
{
	int64_t deadline = mono_ms() + check_budget_ms;
	sqlite3_stmt *st = NULL;
	const unsigned char *first = NULL;
	int rc;

	if (strcmp(path, ":memory:") == 0 || check_budget_ms == 0)
		return BOT_OK;
	sqlite3_progress_handler(s->db, 1000, stop_after_deadline, &deadline);
	rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		first = sqlite3_column_text(st, 0);
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	if (rc == SQLITE_INTERRUPT) {
		LOG_I(MOD,
		      "%s: the start-up check ran out of time; `drillbot db check` runs it all",
		      path);
		rc = SQLITE_ROW;
	} else if (rc == SQLITE_ROW && first != NULL && strcmp((const char *)first, "ok") == 0) {
		first = NULL;
	}
	if (first != NULL || (rc != SQLITE_ROW && rc != SQLITE_DONE)) {
		buf_addf(err,
		         "%s is damaged (%s); it was left untouched. Stop every drillbot using it, "
		         "keep a copy, then restore the latest backup (README, \"Data and "
		         "safety\"); `drillbot db check` lists the damage",
		         path, first != NULL ? (const char *)first : sqlite3_errmsg(s->db));
		sqlite3_finalize(st);
		return BOT_ECORRUPT;
	}
	sqlite3_finalize(st);
	return BOT_OK;
}

/* Checks the file is ours (or empty) and not from a newer drillbot. */
static int check_identity(struct store *s, const char *path, int *version, struct buf *err)
{
	int app = 0, tables = 0;
	/* One read transaction, so the three values are of one moment even
	 * while another process is creating the schema. */
	int rc = sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);

	if (rc == SQLITE_OK)
		rc = pragma_int(s, "PRAGMA application_id", &app);
	if (rc == SQLITE_OK)
		rc = pragma_int(s, "PRAGMA user_version", version);
	if (rc == SQLITE_OK)
		rc = pragma_int(s, "SELECT count(*) FROM sqlite_schema", &tables);
	if (sqlite3_get_autocommit(s->db) == 0)
		sqlite3_exec(s->db, rc == SQLITE_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		buf_addf(err,
		         "%s is damaged (%s); it was left untouched. Restore it from a "
		         "backup, or move it away to start afresh",
		         path, sqlite3_errstr(rc));
		return BOT_ECORRUPT;
	}
	if ((app != 0 && app != APPLICATION_ID) || (app == 0 && tables > 0)) {
		buf_addf(err,
		         "%s is a SQLite database of another application; it was left "
		         "untouched. Point \"database\" at another path",
		         path);
		return BOT_ECORRUPT;
	}
	if (*version > STORE_SCHEMA_VERSION) {
		buf_addf(err,
		         "%s has schema version %d, newer than this drillbot (%d); upgrade "
		         "drillbot",
		         path, *version, STORE_SCHEMA_VERSION);
		return BOT_EVERSION;
	}
	return BOT_OK;
}

/* Migration 4: every SM-2 card becomes an FSRS card with the same due date,
 * its interval as stability and its ease as difficulty (srs_from_sm2). */
static int migrate_srs_fsrs(struct store *s, struct buf *err)
{
	static const char *sel =
	    "SELECT user_id, question_id, ease, interval, reps, lapses, due_at FROM srs";
	static const char *ins = "INSERT INTO srs_v4(user_id, question_id, stability, difficulty,"
	                         " reps, lapses, interval, last_review, due_at)"
	                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt *from = NULL, *to = NULL;
	struct srs_params p;
	int rc;

	srs_params_default(&p, SRS_RETENTION);
	if (sqlite3_prepare_v2(s->db, sel, -1, &from, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, ins, -1, &to, NULL) != SQLITE_OK) {
		buf_addf(err, "%s", sqlite3_errmsg(s->db));
		sqlite3_finalize(from);
		return BOT_ESTORE;
	}
	while ((rc = sqlite3_step(from)) == SQLITE_ROW) {
		struct srs_card c;
		srs_from_sm2(&p, sqlite3_column_double(from, 2), sqlite3_column_double(from, 3),
		             sqlite3_column_int(from, 4), sqlite3_column_int(from, 5),
		             sqlite3_column_int64(from, 6), &c);
		sqlite3_reset(to);
		sqlite3_bind_int64(to, 1, sqlite3_column_int64(from, 0));
		sqlite3_bind_value(to, 2, sqlite3_column_value(from, 1));
		bind_card(to, 3, &c);
		if (sqlite3_step(to) != SQLITE_DONE) {
			rc = SQLITE_ERROR;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		buf_addf(err, "%s", sqlite3_errmsg(s->db));
	sqlite3_finalize(from);
	sqlite3_finalize(to);
	if (rc != SQLITE_DONE)
		return BOT_ESTORE;
	return exec(s,
	            "DROP TABLE srs; ALTER TABLE srs_v4 RENAME TO srs;"
	            " CREATE INDEX srs_due ON srs(user_id, due_at);",
	            err);
}

/*
 * Applies the migrations from..last-1 and bumps the version to last, in
 * one transaction.
 */
static int migrate_step(struct store *s, int from, int last, struct buf *err)
{
	char bump[96];
	int v;

	snprintf(bump, sizeof(bump), "PRAGMA application_id = %d; PRAGMA user_version = %d;",
	         APPLICATION_ID, last);
	for (v = from; v < last; v++) {
		if (exec(s, migrations[v].sql, err) != BOT_OK ||
		    (migrations[v].convert != NULL && migrations[v].convert(s, err) != BOT_OK))
			break;
	}
	if (v == last && exec(s, bump, err) == BOT_OK && exec(s, "COMMIT", err) == BOT_OK)
		return BOT_OK;
	{
		struct buf ignored;
		buf_init(&ignored, 256);
		exec(s, "ROLLBACK", &ignored);
		buf_cleanup(&ignored);
	}
	buf_addf(err, " (while migrating to schema version %d)", v + 1);
	return BOT_ESTORE;
}

/*
 * Applies each missing migration up to `to`, each in its own transaction,
 * so an old file upgrades one version at a time. A new file is created
 * at the last version in one transaction: one sync instead of one per
 * version, which was most of a first start. The version is read again
 * under the write lock (BEGIN IMMEDIATE), so two processes starting
 * together on a new file migrate it once: the second finds the work done
 * and moves on.
 */
static int migrate(struct store *s, int from, int to, struct buf *err)
{
	int v;

	for (v = from; v < to; v++) {
		int now = 0, last = v == 0 ? to : v + 1;

		if (exec(s, "BEGIN IMMEDIATE", err) != BOT_OK)
			return BOT_ESTORE;
		if (pragma_int(s, "PRAGMA user_version", &now) == SQLITE_OK && now > v) {
			if (exec(s, "COMMIT", err) != BOT_OK)
				return BOT_ESTORE;
			v = now - 1;
			continue;
		}
		if (migrate_step(s, v, last, err) != BOT_OK)
			return BOT_ESTORE;
		if (v == 0)
			LOG_I(MOD, "created the database at schema version %d", last);
		else
			LOG_I(MOD, "migrated the database to schema version %d", last);
		v = last - 1;
	}
	return BOT_OK;
}

/*
 * WAL mode. Switching a new file to WAL needs it to itself, and SQLite
 * answers SQLITE_BUSY at once, without the busy handler, when another
 * process is opening it too; so wait as the busy timeout would.
 */
static int set_wal(struct store *s, struct buf *err)
{
	int waited_ms, rc = SQLITE_BUSY;

	for (waited_ms = 0; waited_ms <= BUSY_TIMEOUT_MS; waited_ms += 20) {
		rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
		sqlite3_sleep(20);
	}
	if (rc == SQLITE_OK)
		return BOT_OK;
	buf_addf(err, "%s", sqlite3_errmsg(s->db));
	return BOT_ESTORE;
}

static int configure(struct store *s, const char *path, int to, struct buf *err)
{
	int version = 0;
	int rc;

	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(s->db, 1);
	rc = check_identity(s, path, &version, err);
	if (rc == BOT_OK && version > 0)
		rc = check_integrity(s, path, err);
	if (rc != BOT_OK)
		return rc;
	if (exec(s, "PRAGMA foreign_keys = ON;", err) != BOT_OK || set_wal(s, err) != BOT_OK ||
	    exec(s, "PRAGMA synchronous = FULL;", err) != BOT_OK)
		return BOT_ESTORE;
	return migrate(s, version, to, err);
}

int store_check_file(const char *path, struct buf *report)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc, n = 0;
	bool ok = false;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "PRAGMA integrity_check(100)", -1, &st, NULL) != SQLITE_OK) {
		buf_addf(report, "%s: %s\n", path,
		         db != NULL ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return BOT_ECORRUPT;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(st, 0);
		ok = n == 0 && line != NULL && strcmp(line, "ok") == 0;
		buf_addf(report, "%s\n", line != NULL ? line : "");
		n++;
	}
	if (rc != SQLITE_DONE) {
		buf_addf(report, "%s: %s\n", path, sqlite3_errmsg(db));
		ok = false;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ok ? BOT_OK : BOT_ECORRUPT;
}

int store_backup(struct store *s, const char *dest, struct buf *err)
{
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	struct stat sb;
	int rc;

	if (stat(dest, &sb) == 0) {
		buf_addf(err, "%s already exists; give the backup a new file name", dest);
		return BOT_EEXIST;
	}
	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		buf_addf(err, "%s: cannot create the backup: %s", dest,
		         to != NULL ? sqlite3_errmsg(to) : "out of memory");
		sqlite3_close(to);
		return BOT_EIO;
	}
	b = sqlite3_backup_init(to, "main", s->db, "main");
	if (b == NULL) {
		buf_addf(err, "%s: %s", dest, sqlite3_errmsg(to));
		sqlite3_close(to);
		return BOT_ESTORE;
	}
	/* Pages in steps, sleeping when another process holds the lock, so a
	 * running bot keeps answering while the copy is made. */
	while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY ||
	       rc == SQLITE_LOCKED)
		if (rc != SQLITE_OK)
			sqlite3_sleep(20);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		buf_addf(err, "%s: the backup failed: %s", dest, sqlite3_errstr(rc));
		sqlite3_close(to);
		unlink(dest);
		return BOT_ESTORE;
	}
	sqlite3_close(to);
	return BOT_OK;
}

void store_set_check_budget(int ms)
{
	check_budget_ms = ms >= 0 ? ms : QUICK_CHECK_MS;
}

int store_open(struct store **out, const char *path, struct buf *err)
{
	return store_open_at(out, path, STORE_SCHEMA_VERSION, err);
}

int store_open_at(struct store **out, const char *path, int version, struct buf *err)
{
	struct store *s;
	int rc;

	*out = NULL;
	if (version < 1 || version > STORE_SCHEMA_VERSION)
		return BOT_EINVAL;
	rc = check_access(path, err);
	if (rc == BOT_OK)
		rc = check_header(path, err);
	if (rc != BOT_OK)
		return rc;
	s = xcalloc(1, sizeof(*s));
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		buf_addf(err, "%s: cannot open the database: %s; check the path and its directory",
		         path, s->db != NULL ? sqlite3_errmsg(s->db) : "out of memory");
		rc = BOT_ESTORE;
		goto out;
	}
	rc = configure(s, path, version, err);
out:
	if (rc != BOT_OK) {
		store_close(s);
		return rc;
	}
	*out = s;
	return BOT_OK;
}

void store_close(struct store *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	if (s->db != NULL && sqlite3_close(s->db) != SQLITE_OK)
		LOG_E(MOD, "close: %s", sqlite3_errmsg(s->db));
	free(s);
}

int store_version(struct store *s, int *version)
{
	return pragma_int(s, "PRAGMA user_version", version) == SQLITE_OK ? BOT_OK : BOT_ESTORE;
}

int store_begin(struct store *s)
{
	return run(s, stmt(s, ST_BEGIN), "begin");
}

int store_commit(struct store *s)
{
	return run(s, stmt(s, ST_COMMIT), "commit");
}

int store_rollback(struct store *s)
{
	/* Nothing to undo when begin itself failed; stay quiet then. */
	if (sqlite3_get_autocommit(s->db))
		return BOT_OK;
	return run(s, stmt(s, ST_ROLLBACK), "rollback");
}

int store_txn(struct store *s, int (*fn)(struct store *s, void *arg), void *arg)
{
	int rc = store_begin(s);

	if (rc != BOT_OK)
		return rc;
	rc = fn(s, arg);
	if (rc == BOT_OK)
		rc = store_commit(s);
	if (rc != BOT_OK)
		store_rollback(s);
	return rc;
}

/* ---- users ---- */

static int team_ensure(struct store *s, const char *platform, const char *team_ext, int64_t now,
                       struct store_user *u)
{
	sqlite3_stmt *st = prep(s, ST_TEAM_GET, "tt", platform, team_ext);
	int rc = row(s, st, "team get");

	if (rc == BOT_OK) {
		u->team_id = sqlite3_column_int64(st, 0);
		copy_col(st, 1, u->team_tz, sizeof(u->team_tz));
		return done(st);
	}
	if (rc != BOT_ENOENT)
		return rc;
	/* Not there a moment ago: insert it, or read the row another process just made. */
	st = prep(s, ST_TEAM_ADD, "tti", platform, team_ext, now);
	rc = row(s, st, "team add");
	if (rc != BOT_OK)
		return rc == BOT_ENOENT ? BOT_ESTORE : rc;
	u->team_id = sqlite3_column_int64(st, 0);
	copy_col(st, 1, u->team_tz, sizeof(u->team_tz));
	return done(st);
}

/* Fills u's user fields from a row (id, name, tz, open_qid) and finishes st. */
static int user_from_row(sqlite3_stmt *st, struct store_user *u)
{
	u->id = sqlite3_column_int64(st, 0);
	copy_col(st, 1, u->name, sizeof(u->name));
	copy_col(st, 2, u->tz, sizeof(u->tz));
	copy_col(st, 3, u->open_qid, sizeof(u->open_qid));
	return done(st);
}

int store_user_ensure(struct store *s, const char *platform, const char *team_ext,
                      const char *user_ext, const char *name, int64_t now, struct store_user *u)
{
	sqlite3_stmt *st;
	int rc;

	memset(u, 0, sizeof(*u));
	rc = team_ensure(s, platform, team_ext, now, u);
	if (rc != BOT_OK)
		return rc;
	/* A read first: most requests come from known users and write nothing. */
	st = prep(s, ST_USER_GET, "it", u->team_id, user_ext);
	rc = row(s, st, "user get");
	if (rc == BOT_ENOENT) {
		st = prep(s, ST_USER_ADD, "itti", u->team_id, user_ext, name, now);
		rc = row(s, st, "user add");
		if (rc == BOT_ENOENT)
			rc = BOT_ESTORE; /* an upsert with RETURNING always yields its row */
	}
	if (rc != BOT_OK)
		return rc;
	rc = user_from_row(st, u);
	if (rc != BOT_OK)
		return rc;
	/* Names change on the platforms; keep the leaderboard current. */
	if (name[0] == '\0' || strncmp(u->name, name, sizeof(u->name) - 1) == 0)
		return BOT_OK;
	snprintf(u->name, sizeof(u->name), "%s", name);
	return run(s, prep(s, ST_USER_RENAME, "it", u->id, name), "user rename");
}

int store_user_set_tz(struct store *s, int64_t user_id, const char *tz)
{
	return run(s, prep(s, ST_USER_TZ, "iT", user_id, tz), "user tz");
}

int store_user_set_open(struct store *s, int64_t user_id, const char *qid)
{
	return run(s, prep(s, ST_USER_OPEN, "iT", user_id, qid), "user open");
}

int store_user_set_quote(struct store *s, int64_t user_id, bool on)
{
	return run(s, prep(s, ST_USER_QUOTE_SET, "in", user_id, on ? 1 : 0), "user quote");
}

int store_user_quote(struct store *s, int64_t user_id, bool *on)
{
	sqlite3_stmt *st = prep(s, ST_USER_QUOTE_GET, "i", user_id);
	int rc = row(s, st, "user quote get");

	*on = false;
	if (rc != BOT_OK)
		return rc;
	*on = sqlite3_column_int(st, 0) != 0;
	return done(st);
}

int store_user_find(struct store *s, int64_t team_id, const char *ext, struct store_user *u)
{
	sqlite3_stmt *st = prep(s, ST_USER_GET, "it", team_id, ext);
	int rc = row(s, st, "user find");

	memset(u, 0, sizeof(*u));
	if (rc != BOT_OK)
		return rc;
	u->team_id = team_id;
	return user_from_row(st, u);
}

int store_user_get(struct store *s, int64_t user_id, struct store_user *u)
{
	sqlite3_stmt *st = prep(s, ST_USER_BY_ID, "i", user_id);
	int rc = row(s, st, "user by id");

	memset(u, 0, sizeof(*u));
	if (rc != BOT_OK)
		return rc;
	u->team_id = sqlite3_column_int64(st, 4);
	copy_col(st, 5, u->team_tz, sizeof(u->team_tz));
	return user_from_row(st, u);
}

int store_team_get(struct store *s, int64_t team_id, struct store_team *t)
{
	sqlite3_stmt *st = prep(s, ST_TEAM_BY_ID, "i", team_id);
	int rc = row(s, st, "team by id");

	memset(t, 0, sizeof(*t));
	if (rc != BOT_OK)
		return rc;
	t->id = sqlite3_column_int64(st, 0);
	copy_col(st, 1, t->platform, sizeof(t->platform));
	copy_col(st, 2, t->name, sizeof(t->name));
	copy_col(st, 3, t->tz, sizeof(t->tz));
	t->board_off = sqlite3_column_int(st, 4) != 0;
	t->season = sqlite3_column_int(st, 5);
	t->season_start = sqlite3_column_int64(st, 6);
	return done(st);
}

int store_team_set_board(struct store *s, int64_t team_id, bool off)
{
	return run(s, prep(s, ST_TEAM_BOARD, "in", team_id, off ? 1 : 0), "team board");
}

int store_team_season_start(struct store *s, int64_t team_id, int from, int64_t now, bool *started)
{
	int rc = run(s, prep(s, ST_TEAM_SEASON, "iin", team_id, now, from), "team season");

	*started = rc == BOT_OK && sqlite3_changes(s->db) == 1;
	return rc;
}

int store_user_set_hidden(struct store *s, int64_t user_id, bool hidden)
{
	return run(s, prep(s, ST_USER_HIDDEN, "in", user_id, hidden ? 1 : 0), "user hidden");
}

int store_user_hidden(struct store *s, int64_t user_id, bool *hidden)
{
	sqlite3_stmt *st = prep(s, ST_USER_HIDDEN_GET, "i", user_id);
	int rc = row(s, st, "user hidden get");

	*hidden = false;
	if (rc != BOT_OK)
		return rc;
	*hidden = sqlite3_column_int(st, 0) != 0;
	return done(st);
}

int store_secret(struct store *s, const char *name, const char *fresh, char *out, size_t size)
{
	sqlite3_stmt *st;
	int rc = run(s, prep(s, ST_SECRET_ADD, "tt", name, fresh), "secret add");

	if (rc != BOT_OK && rc != BOT_ECORRUPT)
		return rc;
	st = prep(s, ST_SECRET_GET, "t", name);
	rc = row(s, st, "secret get");
	if (rc != BOT_OK)
		return rc;
	copy_col(st, 0, out, size);
	return done(st);
}

int store_link_nonce_set(struct store *s, bool team, int64_t id, int64_t fresh, bool reset)
{
	return run(s,
	           prep(s, team ? ST_TEAM_NONCE_SET : ST_USER_NONCE_SET, "iin", id, fresh, reset),
	           "link nonce set");
}

int store_link_nonce_get(struct store *s, bool team, int64_t id, int64_t *nonce)
{
	sqlite3_stmt *st = prep(s, team ? ST_TEAM_NONCE_GET : ST_USER_NONCE_GET, "i", id);
	int rc = row(s, st, "link nonce get");

	if (rc != BOT_OK)
		return rc;
	*nonce = sqlite3_column_int64(st, 0);
	return done(st);
}

struct day_list {
	struct store_day *out;
	size_t max;
	size_t *n;
};

static void add_day(sqlite3_stmt *st, void *arg)
{
	struct day_list *l = arg;

	if (*l->n == l->max)
		return;
	l->out[*l->n].day = sqlite3_column_int(st, 0);
	l->out[*l->n].answers = sqlite3_column_int(st, 1);
	l->out[(*l->n)++].score_sum = sqlite3_column_int(st, 2);
}

int store_answer_days(struct store *s, int64_t user_id, int32_t from_day, struct store_day *out,
                      size_t max, size_t *n)
{
	struct day_list l = {out, max, n};

	*n = 0;
	return each(s, prep(s, ST_ANSWER_DAYS, "in", user_id, (int)from_day), "answer days",
	            add_day, &l);
}

int store_user_forget(struct store *s, int64_t user_id)
{
	int rc = run(s, prep(s, ST_COVERED_FORGET, "i", user_id), "covered forget");

	if (rc == BOT_OK)
		rc = run(s, prep(s, ST_COVERED_PRUNE, ""), "covered prune");
	if (rc == BOT_OK)
		rc = run(s, prep(s, ST_USER_DELETE, "i", user_id), "user delete");
	return rc;
}

/* ---- serving ---- */

int store_served_add(struct store *s, int64_t user_id, const char *qid, const char *reason,
                     int64_t now)
{
	return run(s, prep(s, ST_SERVED_ADD, "itti", user_id, qid, reason, now), "served add");
}

struct id_list {
	char (*ids)[STORE_ID_MAX];
	size_t max;
	size_t *n;
};

static void add_id(sqlite3_stmt *st, void *arg)
{
	struct id_list *l = arg;

	if (*l->n < l->max)
		copy_col(st, 0, l->ids[(*l->n)++], STORE_ID_MAX);
}

int store_seen_list(struct store *s, int64_t user_id, const char *topic, int round,
                    char (*ids)[STORE_ID_MAX], size_t max, size_t *n)
{
	struct id_list l = {ids, max, n};

	*n = 0;
	return each(s, prep(s, ST_SEEN_LIST, "itn", user_id, topic, round), "seen list", add_id,
	            &l);
}

int store_seen_mark(struct store *s, int64_t user_id, const char *topic, const char *qid, int round)
{
	return run(s, prep(s, ST_SEEN_MARK, "ittn", user_id, topic, qid, round), "seen mark");
}

/* ---- answers ---- */

int store_answer_add(struct store *s, const struct store_answer *a, int64_t *answer_id)
{
	sqlite3_stmt *st = prep(s, ST_ANSWER_ADD, "iitttniinnnT", a->user_id, a->team_id,
	                        a->question_id, a->topic, a->text, a->score, (int64_t)a->covered,
	                        a->created_at, (int)a->local_day, a->points, a->copied, a->matched);
	/* Not RETURNING id: on SQLite that opens a statement journal for every
	 * answer (measured: /answer p50 about +35 us at 10k users). A PostgreSQL
	 * backend has statements of its own and uses RETURNING there. */
	int rc = run(s, st, "answer add");

	if (rc == BOT_OK && answer_id != NULL)
		*answer_id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int store_answer_get(struct store *s, int64_t answer_id, struct store_answer_row *a)
{
	sqlite3_stmt *st = prep(s, ST_ANSWER_GET, "i", answer_id);
	int rc = row(s, st, "answer get");

	if (rc != BOT_OK)
		return rc;
	a->id = sqlite3_column_int64(st, 0);
	a->user_id = sqlite3_column_int64(st, 1);
	a->team_id = sqlite3_column_int64(st, 2);
	copy_col(st, 3, a->question_id, sizeof(a->question_id));
	copy_col(st, 4, a->text, sizeof(a->text));
	a->score = sqlite3_column_int(st, 5);
	a->covered = (uint32_t)sqlite3_column_int64(st, 6);
	a->points = sqlite3_column_int(st, 7);
	a->copied = sqlite3_column_int(st, 8);
	a->created_at = sqlite3_column_int64(st, 9);
	copy_col(st, 10, a->matched, sizeof(a->matched));
	return done(st);
}

int store_answer_regrade(struct store *s, int64_t answer_id, int score, uint32_t covered,
                         int points)
{
	return run(s,
	           prep(s, ST_ANSWER_REGRADE, "inin", answer_id, score, (int64_t)covered, points),
	           "answer regrade");
}

int store_answer_history_before(struct store *s, const struct store_answer_row *a,
                                struct store_history *h)
{
	sqlite3_stmt *st =
	    prep(s, ST_ANSWER_BEFORE, "itii", a->user_id, a->question_id, a->id, a->created_at);
	int rc = row(s, st, "answer before");

	if (rc != BOT_OK)
		return rc == BOT_ENOENT ? BOT_ESTORE : rc;
	h->last_answer = sqlite3_column_int64(st, 0);
	h->last_points = sqlite3_column_int64(st, 1);
	h->last_reveal = sqlite3_column_int64(st, 2);
	return done(st);
}

int store_answer_points_after(struct store *s, const struct store_answer_row *a, int64_t window,
                              bool *any)
{
	sqlite3_stmt *st = prep(s, ST_ANSWER_POINTS_AFTER, "itii", a->user_id, a->question_id,
	                        a->id, a->created_at + window);
	int rc = row(s, st, "answer points after");

	*any = rc == BOT_OK;
	if (rc == BOT_OK)
		return done(st);
	return rc == BOT_ENOENT ? BOT_OK : rc;
}

int store_answer_history(struct store *s, int64_t user_id, const char *qid, struct store_history *h)
{
	sqlite3_stmt *st = prep(s, ST_ANSWER_HISTORY, "it", user_id, qid);
	int rc = row(s, st, "answer history");

	if (rc != BOT_OK)
		return rc;
	h->last_answer = sqlite3_column_int64(st, 0);
	h->last_points = sqlite3_column_int64(st, 1);
	h->last_reveal = sqlite3_column_int64(st, 2);
	return done(st);
}

struct answer_fn {
	void (*fn)(const char *qid, uint32_t covered, void *arg);
	void *arg;
};

static void call_answer(sqlite3_stmt *st, void *arg)
{
	struct answer_fn *a = arg;
	a->fn((const char *)sqlite3_column_text(st, 0), (uint32_t)sqlite3_column_int64(st, 1),
	      a->arg);
}

int store_answer_each_recent(struct store *s, int64_t user_id, const char *topic, int below_copied,
                             int max, void (*fn)(const char *qid, uint32_t covered, void *arg),
                             void *arg)
{
	struct answer_fn a = {fn, arg};

	return each(s, prep(s, ST_ANSWER_RECENT_TOPIC, "itnn", user_id, topic, below_copied, max),
	            "answer recent", call_answer, &a);
}

struct answer_row_fn {
	void (*fn)(const struct store_user_answer *r, void *arg);
	void *arg;
};

static const char *text_col(sqlite3_stmt *st, int col)
{
	const unsigned char *v = sqlite3_column_text(st, col);
	return v != NULL ? (const char *)v : "";
}

static void call_answer_row(sqlite3_stmt *st, void *arg)
{
	struct answer_row_fn *f = arg;
	struct store_user_answer r;

	memset(&r, 0, sizeof(r));
	r.id = sqlite3_column_int64(st, 0);
	r.a.question_id = text_col(st, 1);
	r.a.topic = text_col(st, 2);
	r.a.text = text_col(st, 3);
	r.a.score = sqlite3_column_int(st, 4);
	r.a.covered = (uint32_t)sqlite3_column_int64(st, 5);
	r.self_grade = sqlite3_column_int(st, 6);
	r.a.created_at = sqlite3_column_int64(st, 7);
	r.a.local_day = (int32_t)sqlite3_column_int(st, 8);
	r.a.points = sqlite3_column_int(st, 9);
	r.a.copied = sqlite3_column_int(st, 10);
	r.a.team_id = sqlite3_column_int64(st, 11);
	r.a.matched = (const char *)sqlite3_column_text(st, 12); /* NULL when none was stored */
	f->fn(&r, f->arg);
}

int store_answer_each(struct store *s, int64_t user_id,
                      void (*fn)(const struct store_user_answer *r, void *arg), void *arg)
{
	struct answer_row_fn f = {fn, arg};

	return each(s, prep(s, ST_ANSWER_EACH, "i", user_id), "answer each", call_answer_row, &f);
}

struct pair_fn {
	void (*fn)(const char *qid, int64_t at, void *arg);
	void *arg;
};

static void call_reveal(sqlite3_stmt *st, void *arg)
{
	struct pair_fn *f = arg;
	f->fn(text_col(st, 0), sqlite3_column_int64(st, 1), f->arg);
}

int store_reveal_each(struct store *s, int64_t user_id,
                      void (*fn)(const char *qid, int64_t at, void *arg), void *arg)
{
	struct pair_fn f = {fn, arg};

	return each(s, prep(s, ST_REVEAL_EACH, "i", user_id), "reveal each", call_reveal, &f);
}

struct served_fn {
	void (*fn)(const char *qid, const char *reason, int64_t at, void *arg);
	void *arg;
};

static void call_served(sqlite3_stmt *st, void *arg)
{
	struct served_fn *f = arg;
	f->fn(text_col(st, 0), text_col(st, 1), sqlite3_column_int64(st, 2), f->arg);
}

int store_served_each(struct store *s, int64_t user_id,
                      void (*fn)(const char *qid, const char *reason, int64_t at, void *arg),
                      void *arg)
{
	struct served_fn f = {fn, arg};

	return each(s, prep(s, ST_SERVED_EACH, "i", user_id), "served each", call_served, &f);
}

int store_reveal_add(struct store *s, int64_t user_id, const char *qid, int64_t now)
{
	return run(s, prep(s, ST_REVEAL_ADD, "iti", user_id, qid, now), "reveal add");
}

int store_answer_self_grade(struct store *s, int64_t user_id, const char *qid, int grade)
{
	return run(s, prep(s, ST_ANSWER_GRADE, "itn", user_id, qid, grade), "answer grade");
}

int store_answer_count_since(struct store *s, int64_t user_id, int64_t since, int *n)
{
	sqlite3_stmt *st = prep(s, ST_ANSWER_COUNT, "ii", user_id, since);
	int rc = row(s, st, "answer count");

	*n = 0;
	if (rc != BOT_OK)
		return rc;
	*n = sqlite3_column_int(st, 0);
	return done(st);
}

int store_answer_exists(struct store *s, int64_t user_id, const char *qid, bool *exists)
{
	sqlite3_stmt *st = prep(s, ST_ANSWER_EXISTS, "it", user_id, qid);
	int rc = row(s, st, "answer exists");

	*exists = rc == BOT_OK;
	if (rc == BOT_OK)
		return done(st);
	return rc == BOT_ENOENT ? BOT_OK : rc;
}

/* ---- spaced repetition ---- */

static void read_card(sqlite3_stmt *st, int first, struct srs_card *c)
{
	c->stability = sqlite3_column_double(st, first);
	c->difficulty = sqlite3_column_double(st, first + 1);
	c->reps = sqlite3_column_int(st, first + 2);
	c->lapses = sqlite3_column_int(st, first + 3);
	c->interval = sqlite3_column_int(st, first + 4);
	c->last_review = sqlite3_column_int64(st, first + 5);
	c->due = sqlite3_column_int64(st, first + 6);
}

/* A card's columns (SRS_COLS) from column first on. */
static void read_state(sqlite3_stmt *st, int first, struct srs_state *v)
{
	read_card(st, first, &v->card);
	v->has_prev = sqlite3_column_type(st, first + 7) != SQLITE_NULL;
	if (v->has_prev)
		read_card(st, first + 7, &v->prev);
	else
		v->prev = v->card;
}

int store_srs_get(struct store *s, int64_t user_id, const char *qid, struct srs_state *v)
{
	sqlite3_stmt *st = prep(s, ST_SRS_GET, "it", user_id, qid);
	int rc = row(s, st, "srs get");

	if (rc != BOT_OK)
		return rc;
	read_state(st, 0, v);
	return done(st);
}

static void bind_card(sqlite3_stmt *st, int first, const struct srs_card *c)
{
	sqlite3_bind_double(st, first, c->stability);
	sqlite3_bind_double(st, first + 1, c->difficulty);
	sqlite3_bind_int(st, first + 2, c->reps);
	sqlite3_bind_int(st, first + 3, c->lapses);
	sqlite3_bind_int(st, first + 4, c->interval);
	sqlite3_bind_int64(st, first + 5, c->last_review);
	sqlite3_bind_int64(st, first + 6, c->due);
}

int store_srs_put(struct store *s, int64_t user_id, const char *qid, const struct srs_state *v)
{
	sqlite3_stmt *st = prep(s, ST_SRS_PUT, "it", user_id, qid);

	if (st != NULL) {
		bind_card(st, 3, &v->card);
		if (v->has_prev)
			bind_card(st, 10, &v->prev);
	}
	return run(s, st, "srs put");
}

struct srs_fn {
	void (*fn)(const char *qid, const struct srs_state *st, void *arg);
	void *arg;
};

static void call_srs(sqlite3_stmt *st, void *arg)
{
	struct srs_fn *f = arg;
	struct srs_state v;

	read_state(st, 1, &v);
	f->fn(text_col(st, 0), &v, f->arg);
}

int store_srs_each(struct store *s, int64_t user_id,
                   void (*fn)(const char *qid, const struct srs_state *st, void *arg), void *arg)
{
	struct srs_fn f = {fn, arg};

	return each(s, prep(s, ST_SRS_EACH, "i", user_id), "srs each", call_srs, &f);
}

int store_srs_due(struct store *s, int64_t user_id, int64_t now, char qid[STORE_ID_MAX])
{
	sqlite3_stmt *st = prep(s, ST_SRS_DUE, "ii", user_id, now);
	int rc = row(s, st, "srs due");

	if (rc != BOT_OK)
		return rc;
	copy_col(st, 0, qid, STORE_ID_MAX);
	return done(st);
}

/* ---- topic stats ---- */

static void read_topic(sqlite3_stmt *st, int first, struct store_topic_stat *v)
{
	v->mastery = sqlite3_column_double(st, first);
	v->answers = sqlite3_column_int(st, first + 1);
	v->round = sqlite3_column_int(st, first + 2);
}

int store_topic_get(struct store *s, int64_t user_id, const char *topic, struct store_topic_stat *v)
{
	sqlite3_stmt *st = prep(s, ST_TOPIC_GET, "it", user_id, topic);
	int rc = row(s, st, "topic get");

	memset(v, 0, sizeof(*v));
	snprintf(v->topic, sizeof(v->topic), "%s", topic);
	if (rc != BOT_OK)
		return rc;
	read_topic(st, 0, v);
	return done(st);
}

int store_topic_put(struct store *s, int64_t user_id, const struct store_topic_stat *v, int64_t now)
{
	return run(s,
	           prep(s, ST_TOPIC_PUT, "itdnni", user_id, v->topic, v->mastery, v->answers,
	                v->round, now),
	           "topic put");
}

struct topic_list {
	struct store_topic_stat *out;
	size_t max;
	size_t *n;
};

static void add_topic(sqlite3_stmt *st, void *arg)
{
	struct topic_list *l = arg;
	struct store_topic_stat *v;

	if (*l->n == l->max)
		return;
	v = &l->out[(*l->n)++];
	copy_col(st, 0, v->topic, sizeof(v->topic));
	read_topic(st, 1, v);
}

int store_topic_list(struct store *s, int64_t user_id, struct store_topic_stat *out, size_t max,
                     size_t *n)
{
	struct topic_list l = {out, max, n};

	*n = 0;
	return each(s, prep(s, ST_TOPIC_LIST, "i", user_id), "topic list", add_topic, &l);
}

/* ---- streaks ---- */

int store_streak_get(struct store *s, int64_t user_id, struct streak *v)
{
	sqlite3_stmt *st = prep(s, ST_STREAK_GET, "i", user_id);
	int rc = row(s, st, "streak get");

	streak_init(v);
	if (rc != BOT_OK)
		return rc;
	v->current = sqlite3_column_int(st, 0);
	v->best = sqlite3_column_int(st, 1);
	v->freezes = sqlite3_column_int(st, 2);
	if (sqlite3_column_type(st, 3) != SQLITE_NULL)
		v->last_day = sqlite3_column_int(st, 3);
	return done(st);
}

int store_streak_put(struct store *s, int64_t user_id, const struct streak *v)
{
	sqlite3_stmt *st =
	    prep(s, ST_STREAK_PUT, "innn", user_id, (int)v->current, (int)v->best, (int)v->freezes);

	if (st != NULL && v->last_day != STREAK_NO_DAY)
		sqlite3_bind_int(st, 5, v->last_day);
	return run(s, st, "streak put"); /* ?5 unbound is NULL: no day yet */
}

/* ---- leaderboard ---- */

int store_score_add(struct store *s, int64_t team_id, const char *period, int64_t user_id,
                    int points, int64_t now)
{
	return run(s, prep(s, ST_SCORE_ADD, "itini", team_id, period, user_id, points, now),
	           "score add");
}

struct rank_list {
	struct store_rank_row *out;
	size_t max;
	size_t *n;
};

static void add_rank(sqlite3_stmt *st, void *arg)
{
	struct rank_list *l = arg;
	struct store_rank_row *r;

	if (*l->n == l->max)
		return;
	r = &l->out[(*l->n)++];
	r->user_id = sqlite3_column_int64(st, 0);
	copy_col(st, 1, r->name, sizeof(r->name));
	r->points = sqlite3_column_int64(st, 2);
}

int store_score_top(struct store *s, int64_t team_id, const char *period,
                    struct store_rank_row *out, size_t max, size_t *n)
{
	struct rank_list l = {out, max, n};

	*n = 0;
	return each(s, prep(s, ST_SCORE_TOP, "iti", team_id, period, (int64_t)max), "score top",
	            add_rank, &l);
}

static int count_query(struct store *s, sqlite3_stmt *st, const char *what, int64_t *n)
{
	int rc = row(s, st, what);

	if (rc != BOT_OK)
		return rc;
	*n = sqlite3_column_int64(st, 0);
	return done(st);
}

int store_score_rank(struct store *s, int64_t team_id, const char *period, int64_t user_id,
                     int *rank, int64_t *points)
{
	sqlite3_stmt *st = prep(s, ST_SCORE_GET, "iti", team_id, period, user_id);
	int64_t reached, above = 0, tied = 0;
	int rc = row(s, st, "score get");

	if (rc != BOT_OK)
		return rc;
	*points = sqlite3_column_int64(st, 0);
	reached = sqlite3_column_int64(st, 1);
	done(st);
	/* Two index range counts instead of one OR, which would scan the period. */
	rc = count_query(s, prep(s, ST_SCORE_ABOVE, "iti", team_id, period, *points), "score above",
	                 &above);
	if (rc == BOT_OK)
		rc = count_query(s,
		                 prep(s, ST_SCORE_TIED_BEFORE, "itiii", team_id, period, *points,
		                      reached, user_id),
		                 "score tied", &tied);
	*rank = (int)(above + tied + 1);
	return rc;
}

int store_score_hidden(struct store *s, int64_t team_id, const char *period, int *n)
{
	int64_t v = 0;
	int rc =
	    count_query(s, prep(s, ST_SCORE_HIDDEN, "it", team_id, period), "score hidden", &v);

	*n = rc == BOT_OK ? (int)v : 0;
	return rc;
}

struct score_fn {
	void (*fn)(const struct store_score_row *r, void *arg);
	void *arg;
};

static void call_score(sqlite3_stmt *st, void *arg)
{
	struct score_fn *f = arg;
	struct store_score_row r;

	r.season = sqlite3_column_int(st, 0);
	copy_col(st, 1, r.period, sizeof(r.period));
	r.points = sqlite3_column_int64(st, 2);
	r.reached_at = sqlite3_column_int64(st, 3);
	f->fn(&r, f->arg);
}

int store_score_each(struct store *s, int64_t user_id,
                     void (*fn)(const struct store_score_row *r, void *arg), void *arg)
{
	struct score_fn f = {fn, arg};

	return each(s, prep(s, ST_SCORE_EACH, "i", user_id), "score each", call_score, &f);
}

int store_covered_add(struct store *s, int64_t team_id, const char *qid, int64_t user_id)
{
	return run(s, prep(s, ST_COVERED_ADD, "iti", team_id, qid, user_id), "covered add");
}

struct covered_fn {
	void (*fn)(const char *qid, void *arg);
	void *arg;
};

static void call_covered(sqlite3_stmt *st, void *arg)
{
	struct covered_fn *c = arg;
	c->fn((const char *)sqlite3_column_text(st, 0), c->arg);
}

int store_covered_each(struct store *s, int64_t team_id, void (*fn)(const char *qid, void *arg),
                       void *arg)
{
	struct covered_fn c = {fn, arg};

	return each(s, prep(s, ST_COVERED_LIST, "i", team_id), "covered list", call_covered, &c);
}

/* ---- channels ---- */

static int32_t day_col(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? STORE_NO_DAY
	                                                   : (int32_t)sqlite3_column_int(st, col);
}

/* DAILY_COLS from column col on. */
static void daily_from_row(sqlite3_stmt *st, int col, struct store_daily *d)
{
	d->enabled = sqlite3_column_int(st, col) != 0;
	copy_col(st, col + 1, d->time, sizeof(d->time));
	copy_col(st, col + 2, d->tz, sizeof(d->tz));
	d->days = (unsigned)sqlite3_column_int(st, col + 3);
	copy_col(st, col + 4, d->topics, sizeof(d->topics));
	d->difficulty = sqlite3_column_int(st, col + 5);
	d->skip_day = day_col(st, col + 6);
	d->resume_day = day_col(st, col + 7);
	copy_col(st, col + 8, d->holidays, sizeof(d->holidays));
	copy_col(st, col + 9, d->blocked, sizeof(d->blocked));
	copy_col(st, col + 10, d->reveal, sizeof(d->reveal));
}

static void channel_from_row(sqlite3_stmt *st, struct store_channel *c)
{
	c->id = sqlite3_column_int64(st, 0);
	daily_from_row(st, 1, &c->daily);
}

static void drill_from_row(sqlite3_stmt *st, struct store_drill *d)
{
	d->channel_id = sqlite3_column_int64(st, 0);
	copy_col(st, 1, d->platform, sizeof(d->platform));
	copy_col(st, 2, d->team, sizeof(d->team));
	copy_col(st, 3, d->channel, sizeof(d->channel));
	copy_col(st, 4, d->team_tz, sizeof(d->team_tz));
	daily_from_row(st, 5, &d->daily);
}

int store_channel_ensure(struct store *s, const char *platform, const char *team_ext,
                         const char *channel_ext, int64_t now, struct store_channel *c)
{
	struct store_user team;
	sqlite3_stmt *st;
	int rc;

	memset(c, 0, sizeof(*c));
	memset(&team, 0, sizeof(team));
	rc = team_ensure(s, platform, team_ext, now, &team);
	if (rc != BOT_OK)
		return rc;
	c->team_id = team.team_id;
	snprintf(c->team_tz, sizeof(c->team_tz), "%s", team.team_tz);
	st = prep(s, ST_CHANNEL_ENSURE, "it", c->team_id, channel_ext);
	rc = row(s, st, "channel ensure");
	if (rc != BOT_OK)
		return rc == BOT_ENOENT ? BOT_ESTORE : rc;
	channel_from_row(st, c);
	return done(st);
}

int store_channel_set_daily(struct store *s, int64_t channel_id, const struct store_daily *d)
{
	return run(s,
	           prep(s, ST_CHANNEL_DAILY, "inTTnTnDDttT", channel_id, d->enabled ? 1 : 0,
	                d->time, d->tz, (int)d->days, d->topics, d->difficulty, (int)d->skip_day,
	                (int)d->resume_day, d->holidays, d->blocked, d->reveal),
	           "channel daily");
}

int store_channel_block(struct store *s, int64_t channel_id, const char *why)
{
	return run(s, prep(s, ST_CHANNEL_BLOCK, "it", channel_id, why), "channel block");
}

int store_channel_block_told(struct store *s, int64_t channel_id)
{
	return run(s, prep(s, ST_CHANNEL_TOLD, "i", channel_id), "channel told");
}

struct drill_fn {
	void (*fn)(const struct store_drill *d, void *arg);
	void *arg;
};

static void call_drill(sqlite3_stmt *st, void *arg)
{
	struct drill_fn *f = arg;
	struct store_drill d;

	drill_from_row(st, &d);
	f->fn(&d, f->arg);
}

int store_drill_each(struct store *s, void (*fn)(const struct store_drill *d, void *arg), void *arg)
{
	struct drill_fn f = {fn, arg};

	return each(s, prep(s, ST_DRILL_EACH, ""), "drill list", call_drill, &f);
}

int store_drill_get(struct store *s, int64_t channel_id, struct store_drill *d)
{
	sqlite3_stmt *st = prep(s, ST_DRILL_GET, "i", channel_id);
	int rc = row(s, st, "drill get");

	if (rc != BOT_OK)
		return rc;
	drill_from_row(st, d);
	return done(st);
}

struct drill_list {
	struct store_drill *out;
	size_t max, *n;
};

static void add_drill(sqlite3_stmt *st, void *arg)
{
	struct drill_list *l = arg;

	if (*l->n < l->max)
		drill_from_row(st, &l->out[(*l->n)++]);
}

int store_team_blocked(struct store *s, int64_t team_id, struct store_drill *out, size_t max,
                       size_t *n)
{
	struct drill_list l = {out, max, n};

	*n = 0;
	return each(s, prep(s, ST_TEAM_BLOCKED, "in", team_id, (int)max), "team blocked", add_drill,
	            &l);
}

struct name_nums {
	struct store_name_num *out;
	size_t max, *n;
};

static void add_name_num(sqlite3_stmt *st, void *arg)
{
	struct name_nums *l = arg;

	if (*l->n >= l->max)
		return;
	copy_col(st, 0, l->out[*l->n].name, sizeof(l->out[*l->n].name));
	l->out[(*l->n)++].num = sqlite3_column_int(st, 1);
}

int store_question_best(struct store *s, int64_t team_id, const char *qid, int64_t since,
                        struct store_name_num *out, size_t max, size_t *n)
{
	struct name_nums l = {out, max, n};

	*n = 0;
	return each(s, prep(s, ST_QUESTION_BEST, "itin", team_id, qid, since, (int)max),
	            "question best", add_name_num, &l);
}

int store_streak_leaders(struct store *s, int64_t team_id, struct store_name_num *out, size_t max,
                         size_t *n)
{
	struct name_nums l = {out, max, n};

	*n = 0;
	return each(s, prep(s, ST_STREAK_LEADERS, "in", team_id, (int)max), "streak leaders",
	            add_name_num, &l);
}

struct pending_fn {
	void (*fn)(const struct store_pending *p, void *arg);
	void *arg;
};

static void call_pending(sqlite3_stmt *st, void *arg)
{
	struct pending_fn *f = arg;
	struct store_pending p;

	p.channel_id = sqlite3_column_int64(st, 0);
	copy_col(st, 1, p.question_id, sizeof(p.question_id));
	p.local_day = (int32_t)sqlite3_column_int(st, 2);
	p.posted_at = sqlite3_column_int64(st, 3);
	f->fn(&p, f->arg);
}

int store_posts_pending(struct store *s, const char *kind, int64_t since,
                        void (*fn)(const struct store_pending *p, void *arg), void *arg)
{
	struct pending_fn f = {fn, arg};

	return each(s, prep(s, ST_POSTS_PENDING, "ti", kind, since), "posts pending", call_pending,
	            &f);
}

int store_channel_post_sent(struct store *s, int64_t channel_id, const char *kind,
                            int32_t local_day, const char *message_id)
{
	return run(
	    s, prep(s, ST_CHANNEL_POST_SENT, "itnT", channel_id, kind, (int)local_day, message_id),
	    "channel post sent");
}

int store_channel_post_claim(struct store *s, int64_t channel_id, const char *kind, const char *qid,
                             int32_t local_day, int64_t now, bool *claimed)
{
	sqlite3_stmt *st =
	    prep(s, ST_CHANNEL_POST_CLAIM, "ittni", channel_id, kind, qid, (int)local_day, now);
	int rc = row(s, st, "channel post claim");

	*claimed = rc == BOT_OK;
	if (rc == BOT_OK)
		return done(st);
	return rc == BOT_ENOENT ? BOT_OK : rc;
}

int store_channel_posted(struct store *s, int64_t channel_id, const char *kind, int32_t day,
                         bool *posted)
{
	struct store_post last;
	int rc = store_channel_post_last(s, channel_id, kind, day + 1, &last);

	*posted = rc == BOT_OK && last.local_day == day;
	return rc == BOT_ENOENT ? BOT_OK : rc;
}

static void post_from_row(sqlite3_stmt *st, struct store_post *p)
{
	copy_col(st, 0, p->question_id, sizeof(p->question_id));
	p->local_day = (int32_t)sqlite3_column_int(st, 1);
	p->posted_at = sqlite3_column_int64(st, 2);
	copy_col(st, 3, p->message_id, sizeof(p->message_id));
}

int store_channel_post_last(struct store *s, int64_t channel_id, const char *kind,
                            int32_t before_day, struct store_post *p)
{
	sqlite3_stmt *st = prep(s, ST_CHANNEL_POST_LAST, "itn", channel_id, kind, (int)before_day);
	int rc = row(s, st, "channel post last");

	if (rc != BOT_OK)
		return rc;
	post_from_row(st, p);
	return done(st);
}

int store_channel_post_day(struct store *s, int64_t channel_id, const char *kind, int32_t day,
                           struct store_post *p)
{
	sqlite3_stmt *st = prep(s, ST_CHANNEL_POST_DAY, "itn", channel_id, kind, (int)day);
	int rc = row(s, st, "channel post day");

	if (rc != BOT_OK)
		return rc;
	post_from_row(st, p);
	return done(st);
}

int store_channel_post_of(struct store *s, const char *platform, const char *team_ext,
                          const char *channel_ext, const char *kind, const char *qid,
                          struct store_post_of *p)
{
	sqlite3_stmt *st =
	    prep(s, ST_CHANNEL_POST_OF, "ttttt", platform, team_ext, channel_ext, kind, qid);
	int rc = row(s, st, "channel post of");

	if (rc != BOT_OK)
		return rc;
	p->local_day = (int32_t)sqlite3_column_int(st, 0);
	p->posted_at = sqlite3_column_int64(st, 1);
	copy_col(st, 2, p->daily_tz, sizeof(p->daily_tz));
	copy_col(st, 3, p->team_tz, sizeof(p->team_tz));
	return done(st);
}

int store_team_served(struct store *s, int64_t team_id, int64_t since, char (*ids)[STORE_ID_MAX],
                      size_t max, size_t *n)
{
	struct id_list l = {ids, max, n};

	*n = 0;
	return each(s, prep(s, ST_TEAM_SERVED, "iin", team_id, since, (int)max), "team served",
	            add_id, &l);
}

int store_channel_post_recent(struct store *s, int64_t channel_id, const char *kind,
                              char (*ids)[STORE_ID_MAX], size_t max, size_t *n)
{
	struct id_list l = {ids, max, n};

	*n = 0;
	return each(s, prep(s, ST_CHANNEL_POST_RECENT, "itn", channel_id, kind, (int)max),
	            "channel post recent", add_id, &l);
}

int store_question_stats(struct store *s, int64_t team_id, const char *qid, int64_t since,
                         int *answered, double *avg_score)
{
	sqlite3_stmt *st = prep(s, ST_QUESTION_STATS, "iti", team_id, qid, since);
	int rc = row(s, st, "question stats");

	if (rc != BOT_OK)
		return rc == BOT_ENOENT ? BOT_ESTORE : rc;
	*answered = sqlite3_column_int(st, 0);
	*avg_score = sqlite3_column_double(st, 1);
	return done(st);
}

struct firsts {
	int *counts;
	int *answered;
};

static void add_first(sqlite3_stmt *st, void *arg)
{
	struct firsts *f = arg;
	int score = sqlite3_column_int(st, 0), n = sqlite3_column_int(st, 1);

	if (score >= 0 && score < STORE_SCORES)
		f->counts[score] += n;
	*f->answered += n;
}

int store_question_firsts(struct store *s, int64_t team_id, const char *qid, int64_t since,
                          int64_t until, int counts[STORE_SCORES], int *answered)
{
	struct firsts f = {counts, answered};

	memset(counts, 0, STORE_SCORES * sizeof(*counts));
	*answered = 0;
	return each(s, prep(s, ST_QUESTION_FIRSTS, "itii", team_id, qid, since, until),
	            "question firsts", add_first, &f);
}

struct quotes {
	struct store_quote *out;
	size_t max, *n;
};

static void add_quote(sqlite3_stmt *st, void *arg)
{
	struct quotes *l = arg;
	struct store_quote *q;

	if (*l->n >= l->max)
		return;
	q = &l->out[(*l->n)++];
	copy_col(st, 0, q->name, sizeof(q->name));
	q->score = sqlite3_column_int(st, 1);
	copy_col(st, 2, q->text, sizeof(q->text));
}

int store_question_quotes(struct store *s, int64_t team_id, const char *qid, int64_t since,
                          int64_t until, int min_score, int below_copied, struct store_quote *out,
                          size_t max, size_t *n)
{
	struct quotes l = {out, max, n};

	*n = 0;
	return each(s,
	            prep(s, ST_QUESTION_QUOTES, "itiinnn", team_id, qid, since, until, below_copied,
	                 (int)max, min_score),
	            "question quotes", add_quote, &l);
}

/* ---- challenges of a grade, and reviewers ---- */

static const char *ruling_name(enum store_ruling r)
{
	return r == STORE_ACCEPTED ? "accepted" : r == STORE_REJECTED ? "rejected" : "open";
}

static enum store_ruling ruling_of(const char *name)
{
	if (name != NULL && strcmp(name, "accepted") == 0)
		return STORE_ACCEPTED;
	return name != NULL && strcmp(name, "rejected") == 0 ? STORE_REJECTED : STORE_OPEN;
}

/* CHALLENGE_COLS into c. */
static void challenge_from_row(sqlite3_stmt *st, struct store_challenge *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->answer_id = sqlite3_column_int64(st, 1);
	c->team_id = sqlite3_column_int64(st, 2);
	c->user_id = sqlite3_column_int64(st, 3);
	copy_col(st, 4, c->user_name, sizeof(c->user_name));
	copy_col(st, 5, c->question_id, sizeof(c->question_id));
	c->point = sqlite3_column_int(st, 6);
	copy_col(st, 7, c->point_text, sizeof(c->point_text));
	c->npoints = sqlite3_column_int(st, 8);
	c->status = ruling_of((const char *)sqlite3_column_text(st, 9));
	c->created_at = sqlite3_column_int64(st, 10);
	c->reviewer_id = sqlite3_column_int64(st, 11);
	copy_col(st, 12, c->reviewer_name, sizeof(c->reviewer_name));
	c->ruled_at = sqlite3_column_int64(st, 13);
	c->score_before = sqlite3_column_int(st, 14);
	c->score_after = sqlite3_column_int(st, 15);
	c->points_delta = sqlite3_column_int(st, 16);
}

int store_challenge_add(struct store *s, struct store_challenge *c)
{
	sqlite3_stmt *st =
	    prep(s, ST_CHALLENGE_ADD, "iiitntni", c->answer_id, c->team_id, c->user_id,
	         c->question_id, c->point, c->point_text, c->npoints, c->created_at);
	int rc = run(s, st, "challenge add");

	if (rc != BOT_OK)
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return BOT_EEXIST;
	c->id = sqlite3_last_insert_rowid(s->db);
	c->status = STORE_OPEN;
	return BOT_OK;
}

static int challenge_one(struct store *s, sqlite3_stmt *st, const char *what,
                         struct store_challenge *c)
{
	int rc = row(s, st, what);

	if (rc != BOT_OK)
		return rc;
	challenge_from_row(st, c);
	return done(st);
}

int store_challenge_get(struct store *s, int64_t id, struct store_challenge *c)
{
	return challenge_one(s, prep(s, ST_CHALLENGE_GET, "i", id), "challenge get", c);
}

int store_challenge_find(struct store *s, int64_t answer_id, int point, struct store_challenge *c)
{
	return challenge_one(s, prep(s, ST_CHALLENGE_FIND, "in", answer_id, point),
	                     "challenge find", c);
}

static int count_of(struct store *s, sqlite3_stmt *st, const char *what, int *n)
{
	int64_t v = 0;
	int rc = count_query(s, st, what, &v);

	*n = (int)v;
	return rc == BOT_ENOENT ? BOT_ESTORE : rc;
}

int store_challenge_open_count(struct store *s, int64_t user_id, int *n)
{
	return count_of(s, prep(s, ST_CHALLENGE_OPEN_COUNT, "i", user_id), "challenge count", n);
}

int store_challenge_open_total(struct store *s, int64_t team_id, int *n)
{
	return count_of(s, prep(s, ST_CHALLENGE_OPEN_TOTAL, "i", team_id), "challenge total", n);
}

struct challenge_list {
	struct store_challenge *out;
	size_t max, *n;
};

static void add_challenge(sqlite3_stmt *st, void *arg)
{
	struct challenge_list *l = arg;

	if (*l->n < l->max)
		challenge_from_row(st, &l->out[(*l->n)++]);
}

int store_challenge_queue(struct store *s, int64_t team_id, int64_t except,
                          struct store_challenge *out, size_t max, size_t *n)
{
	struct challenge_list l = {out, max, n};

	*n = 0;
	return each(s, prep(s, ST_CHALLENGE_QUEUE, "iii", team_id, except, (int64_t)max),
	            "challenge queue", add_challenge, &l);
}

int store_challenge_rule(struct store *s, const struct store_challenge *c, bool *ruled)
{
	sqlite3_stmt *st =
	    prep(s, ST_CHALLENGE_RULE, "itiinnn", c->id, ruling_name(c->status), c->reviewer_id,
	         c->ruled_at, c->score_before, c->score_after, c->points_delta);
	int rc = run(s, st, "challenge rule");

	*ruled = rc == BOT_OK && sqlite3_changes(s->db) == 1;
	return rc;
}

int store_challenge_untold(struct store *s, int64_t user_id, struct store_challenge *out,
                           size_t max, size_t *n)
{
	struct challenge_list l = {out, max, n};

	*n = 0;
	return each(s, prep(s, ST_CHALLENGE_UNTOLD, "ii", user_id, (int64_t)max),
	            "challenge untold", add_challenge, &l);
}

int store_challenge_told(struct store *s, int64_t id)
{
	return run(s, prep(s, ST_CHALLENGE_TOLD, "i", id), "challenge told");
}

struct accepted_fn {
	void (*fn)(const struct store_challenge *c, const char *text, void *arg);
	void *arg;
};

static void call_accepted(sqlite3_stmt *st, void *arg)
{
	struct accepted_fn *f = arg;
	struct store_challenge c;
	const unsigned char *text = sqlite3_column_text(st, 17);

	challenge_from_row(st, &c);
	f->fn(&c, text != NULL ? (const char *)text : "", f->arg);
}

int store_challenge_each_accepted(struct store *s,
                                  void (*fn)(const struct store_challenge *c, const char *text,
                                             void *arg),
                                  void *arg)
{
	struct accepted_fn f = {fn, arg};

	return each(s, prep(s, ST_CHALLENGE_ACCEPTED, ""), "challenges accepted", call_accepted,
	            &f);
}

struct challenge_fn {
	void (*fn)(const struct store_challenge *c, void *arg);
	void *arg;
};

static void call_challenge(sqlite3_stmt *st, void *arg)
{
	struct challenge_fn *f = arg;
	struct store_challenge c;

	challenge_from_row(st, &c);
	f->fn(&c, f->arg);
}

int store_challenge_each_of(struct store *s, int64_t user_id, bool ruled,
                            void (*fn)(const struct store_challenge *c, void *arg), void *arg)
{
	struct challenge_fn f = {fn, arg};

	return each(s, prep(s, ruled ? ST_CHALLENGE_RULED_BY : ST_CHALLENGE_OF, "i", user_id),
	            "challenges of", call_challenge, &f);
}

int store_reviewer_add(struct store *s, int64_t team_id, int64_t user_id, int64_t now,
                       bool *changed)
{
	int rc = run(s, prep(s, ST_REVIEWER_ADD, "iii", team_id, user_id, now), "reviewer add");

	*changed = rc == BOT_OK && sqlite3_changes(s->db) == 1;
	return rc;
}

int store_reviewer_remove(struct store *s, int64_t team_id, int64_t user_id, bool *changed)
{
	int rc = run(s, prep(s, ST_REVIEWER_REMOVE, "ii", team_id, user_id), "reviewer remove");

	*changed = rc == BOT_OK && sqlite3_changes(s->db) == 1;
	return rc;
}

int store_reviewer_is(struct store *s, int64_t team_id, int64_t user_id, bool *is)
{
	sqlite3_stmt *st = prep(s, ST_REVIEWER_IS, "ii", team_id, user_id);
	int rc = row(s, st, "reviewer is");

	*is = rc == BOT_OK;
	if (rc == BOT_OK)
		return done(st);
	return rc == BOT_ENOENT ? BOT_OK : rc;
}

struct member_list {
	struct store_member *out;
	size_t max, *n;
};

static void add_member(sqlite3_stmt *st, void *arg)
{
	struct member_list *l = arg;
	struct store_member *m;

	if (*l->n >= l->max)
		return;
	m = &l->out[(*l->n)++];
	m->user_id = sqlite3_column_int64(st, 0);
	copy_col(st, 1, m->name, sizeof(m->name));
	copy_col(st, 2, m->ext, sizeof(m->ext));
}

int store_reviewer_list(struct store *s, int64_t team_id, struct store_member *out, size_t max,
                        size_t *n)
{
	struct member_list l = {out, max, n};

	*n = 0;
	return each(s, prep(s, ST_REVIEWER_LIST, "ii", team_id, (int64_t)max), "reviewer list",
	            add_member, &l);
}

/* ---- events handled once ---- */

/*
 * The claim only has to outlive a crash of the process, not of the machine,
 * so it commits with synchronous=NORMAL: in WAL mode that is durable
 * against a kill and costs no fsync (the next FULL commit, an answer,
 * syncs it too). Answers keep FULL.
 */
int store_handled_claim(struct store *s, const char *platform, const char *event_id, int64_t now)
{
	sqlite3_stmt *st = prep(s, ST_HANDLED_ADD, "tti", platform, event_id, now);
	int rc, changed;

	run(s, stmt(s, ST_SYNC_NORMAL), "synchronous normal");
	rc = run(s, st, "handled add");
	changed = sqlite3_changes(s->db);
	run(s, stmt(s, ST_SYNC_FULL), "synchronous full");
	if (rc != BOT_OK)
		return rc;
	return changed == 1 ? BOT_OK : BOT_EEXIST;
}

int store_handled_seen(struct store *s, const char *platform, const char *event_id, bool *seen)
{
	sqlite3_stmt *st = prep(s, ST_HANDLED_SEEN, "tt", platform, event_id);
	int rc = row(s, st, "handled seen");

	*seen = rc == BOT_OK;
	if (rc == BOT_OK)
		return done(st);
	return rc == BOT_ENOENT ? BOT_OK : rc;
}

int store_handled_add_all(struct store *s, const char *platform, const char *const *ids, size_t n,
                          int64_t now)
{
	size_t i;
	int rc;

	run(s, stmt(s, ST_SYNC_NORMAL), "synchronous normal");
	rc = store_begin(s);
	for (i = 0; rc == BOT_OK && i < n; i++)
		rc = run(s, prep(s, ST_HANDLED_ADD, "tti", platform, ids[i], now), "handled add");
	if (rc == BOT_OK)
		rc = store_commit(s);
	else
		store_rollback(s);
	run(s, stmt(s, ST_SYNC_FULL), "synchronous full");
	return rc;
}

int store_handled_prune(struct store *s, int64_t before)
{
	return run(s, prep(s, ST_HANDLED_PRUNE, "i", before), "handled prune");
}
