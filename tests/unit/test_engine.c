/*
 * test_engine.c - the practice loop through the platform-neutral engine,
 * with an in-memory store and an injected clock.
 */
#include "engine/engine.h"

#include <jansson.h>
#include <sqlite3.h>
#include <time.h>

#include "base/err.h"
#include "base/tz.h"
#include "base/util.h"
#include "engine/md.h"
#include "base/log.h"
#include "base/util.h"
#include "engine/export.h"
#include "link/link.h"
#include "t_content.h"
#include "test.h"
#include "web/progress.h"

#define T0  1795000000 /* 2026-11-18, a Wednesday, 10:13 UTC */
#define DAY 86400

static struct content bank;
static struct store *store;
static struct engine *eng;
static struct reply out;
static struct buf web_out; /* a private web page, rendered as the web server would */

static void fresh(void)
{
	struct engine_opts o = {"https://drill.example/", "UTC", 42, 0.9, false, NULL};
	struct buf err;

	engine_free(eng);
	store_close(store);
	buf_init(&err, 512);
	store_open(&store, ":memory:", &err);
	buf_cleanup(&err);
	eng = engine_new(&bank, store, &o);
}

/* Runs a command ("/question alpha") or an action ("reveal:x") as user. */
static const char *run_as(const char *user, const char *team, const char *line, const char *input,
                          int64_t now)
{
	struct request req;
	char cmd[64] = "";
	const char *args = "";

	memset(&req, 0, sizeof(req));
	req.platform = "test";
	req.team = team;
	req.channel = "c1";
	req.user = user;
	req.user_name = user;
	req.now = now;
	if (line[0] == '/') {
		size_t n = strcspn(line + 1, " ");
		snprintf(cmd, sizeof(cmd), "%.*s", (int)n, line + 1);
		args = line + 1 + n + (line[1 + n] == ' ');
		req.command = cmd;
		req.args = args;
	} else {
		req.action = line;
		req.input = input;
	}
	reply_cleanup(&out);
	reply_init(&out);
	engine_handle(eng, &req, &out);
	return buf_str(&out.text);
}

static const char *run(const char *line, int64_t now)
{
	return run_as("ann", "t1", line, NULL, now);
}

/* A command from a team admin ("/daily on ..."), in channel c1 of team t1. */
static const char *run_admin(const char *line, int64_t now)
{
	struct request req;
	char cmd[64];
	size_t n = strcspn(line + 1, " ");

	memset(&req, 0, sizeof(req));
	snprintf(cmd, sizeof(cmd), "%.*s", (int)n, line + 1);
	req.platform = "test";
	req.team = "t1";
	req.channel = "c1";
	req.user = "boss";
	req.user_name = "boss";
	req.now = now;
	req.command = cmd;
	req.args = line + 1 + n + (line[1 + n] == ' ');
	req.is_admin = true;
	reply_cleanup(&out);
	reply_init(&out);
	engine_handle(eng, &req, &out);
	return buf_str(&out.text);
}

/* The question id shown in a question card: the text between the first pair of backticks. */
static void card_id(const char *text, char *id, size_t n)
{
	const char *a = strchr(text, '`');
	const char *b = a != NULL ? strchr(a + 1, '`') : NULL;
	snprintf(id, n, "%.*s", a && b ? (int)(b - a - 1) : 0, a ? a + 1 : "");
}

static const char *STRONG = "When the key is missing we read it from the DB, then store the value "
                            "in the cache. Subsequent reads are served from memory until the "
                            "entry expires once its TTL runs out.";

static void test_question_card(void)
{
	const char *t;

	fresh();
	t = run("/question alpha", T0);
	CHECK_CONTAINS(t, "Alpha Things");
	CHECK_CONTAINS(t, "What does a cache do on a miss");
	CHECK_INT(out.nbuttons, 3);
	CHECK_INT(out.buttons[0].kind, REPLY_MODAL);
	CHECK_STR(out.buttons[0].label, "Answer");
	CHECK_INT(out.buttons[1].kind, REPLY_ACTION);
	CHECK_CONTAINS(out.buttons[1].id, "reveal:alpha-");
	CHECK_INT(out.buttons[2].kind, REPLY_LINK);
	CHECK_CONTAINS(out.buttons[2].id, "https://drill.example/q/alpha-");
	CHECK(!out.ephemeral);
	/* Alias and prefix, any case, and a difficulty. */
	CHECK_CONTAINS(run("/question CACHE", T0), "Beta Things");
	/* A user who has seen nothing gets the asked difficulty. */
	CHECK_CONTAINS(run_as("zed", "t1", "/question alp 3", NULL, T0), "alpha-two");
	/* Once that one is seen, an unseen question of another difficulty beats a repeat. */
	CHECK_CONTAINS(run_as("zed", "t1", "/question alp 3", NULL, T0 + 1), "alpha-one");
}

static void test_unknown_topic(void)
{
	const char *t;

	fresh();
	t = run("/question alpah", T0);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "I don't know the topic `alpah`");
	CHECK_CONTAINS(t, "Did you mean `alpha`?");
	t = run("/question shared", T0);
	CHECK_CONTAINS(t, "`shared` matches more than one topic: `alpha`, `beta`.");
	/* Difficulty words and numbers are told as difficulty, never as a topic. */
	t = run("/question alpha 4", T0);
	CHECK_CONTAINS(t, "difficulty must be 1, 2 or 3, not 4: `/question caching 2`");
	CHECK_NOT_CONTAINS(t, "topic");
	t = run("/question alpha beta", T0);
	CHECK_CONTAINS(t, "I did not understand `beta` after `/question`");
	t = run("/answer id:nope my answer", T0);
	CHECK_CONTAINS(t, "There is no question `nope`");
	CHECK_CONTAINS(run("/lb", T0), "Did you mean `/leaderboard`?");
}

static void test_difficulty_words_and_named_options(void)
{
	fresh();
	/* alpha-two is the only difficulty-3 question of alpha. */
	CHECK_CONTAINS(run_as("a1", "t1", "/question alpha hard", NULL, T0), "alpha-two");
	CHECK_CONTAINS(run_as("a2", "t1", "/question senior alpha", NULL, T0), "alpha-two");
	CHECK_CONTAINS(run_as("a3", "t1", "/question topic:alpha difficulty:3", NULL, T0),
	               "alpha-two");
	CHECK_CONTAINS(run_as("a4", "t1", "/question difficulty 3 alpha", NULL, T0), "alpha-two");
	/* "hard" alone is a difficulty with no topic, not an unknown topic. */
	CHECK_NOT_CONTAINS(run_as("a5", "t1", "/question hard", NULL, T0), "know the topic");
	CHECK(!out.ephemeral);
}

static void test_no_repeat_until_topic_seen(void)
{
	char a[64], b[64];

	fresh();
	card_id(run("/question alpha", T0), a, sizeof(a));
	card_id(run("/question alpha", T0 + 1), b, sizeof(b));
	CHECK(strcmp(a, b) != 0);
	CHECK(strncmp(a, "alpha-", 6) == 0 && strncmp(b, "alpha-", 6) == 0);
	/* The round is over; a new one starts and does not repeat the last question. */
	card_id(run("/question alpha", T0 + 2), a, sizeof(a));
	CHECK(strcmp(a, b) != 0);
}

static void test_answer_grades_and_stores(void)
{
	const char *t;

	fresh();
	run("/question beta", T0);
	t = run_as("ann", "t1", "/answer x", NULL, T0);
	CHECK_CONTAINS(t, "One word is not enough to grade, so nothing was saved");
	CHECK_NOT_CONTAINS(t, "Score");
	t = run_as("ann", "t1", "/answer On a miss the app falls back to the database.", NULL, T0);
	CHECK_CONTAINS(t, "Score: 25/100");
	CHECK_CONTAINS(t, "✅ On a miss the application loads the value from the database");
	CHECK_CONTAINS(t, "❌ The loaded value is written into the cache");
	CHECK_CONTAINS(t, "https://drill.example/q/beta-one");
	CHECK_CONTAINS(t, "Streak: 1 day");
	/* The modal path grades the same way. */
	t = run_as("ann", "t1", "answer:beta-one", STRONG, T0 + 60);
	CHECK_CONTAINS(t, "Score: 100/100");
	t = run("/stats", T0 + 120);
	CHECK_CONTAINS(t, "Answers this week: 2");
	CHECK_CONTAINS(t, "Streak: 1 day");
	CHECK_CONTAINS(t, "Beta Things: ");
}

/* Overwrites the first page of table's b-tree in the database file at path. */
static int damage_table(const char *path, const char *table)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int root = 0, page = 0;
	char junk[65536];
	FILE *f;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db,
	                       "SELECT (SELECT rootpage FROM sqlite_schema WHERE name = ?1),"
	                       " (SELECT page_size FROM pragma_page_size)",
	                       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			root = sqlite3_column_int(st, 0);
			page = sqlite3_column_int(st, 1);
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (root < 2 || page <= 0 || page > (int)sizeof(junk) || (f = fopen(path, "r+b")) == NULL)
		return -1;
	memset(junk, 0xa5, (size_t)page);
	fseek(f, (long)(root - 1) * page, SEEK_SET);
	fwrite(junk, 1, (size_t)page, f);
	return fclose(f);
}

/*
 * Issue 15: damage the start-up check did not see (it is bounded in time
 * on a big file) is met while running. The answer is refused in plain
 * words, never with "try again"; nothing more is written, so the file is
 * exactly as it was found.
 */
static void test_damage_at_run_time(void)
{
	struct engine_opts o = {"https://drill.example/", "UTC", 42, 0.9, false, NULL};
	char path[512], *before = NULL, *after = NULL;
	size_t nb = 0, na = 0;
	struct buf err;
	const char *t;

	snprintf(path, sizeof(path), "%s/runtime-damage.db", t_tmpdir());
	buf_init(&err, 1024);
	engine_free(eng);
	store_close(store);
	CHECK_INT(store_open(&store, path, &err), BOT_OK);
	eng = engine_new(&bank, store, &o);
	t = run("/answer id:beta-one On a miss the app falls back to the database.", T0);
	CHECK_CONTAINS(t, "Score:");
	engine_free(eng);
	store_close(store);
	CHECK_INT(damage_table(path, "answers"), 0);
	CHECK_INT(util_read_file(path, 1 << 24, &before, &nb), BOT_OK);
	store_set_check_budget(0);
	CHECK_INT(store_open(&store, path, &err), BOT_OK);
	store_set_check_budget(-1);
	eng = engine_new(&bank, store, &o);
	t = run("/answer id:beta-one On a miss the app falls back to the database.", T0 + 60);
	CHECK_CONTAINS(t, "My database file is damaged");
	CHECK_CONTAINS(t, "admin has the steps to recover it"); /* ann is no admin */
	CHECK_NOT_CONTAINS(t, "try again");
	CHECK_INT(store_last_error(store), BOT_ECORRUPT);
	t = run("/answer id:beta-one The app reads the cache and then the database on a miss.",
	        T0 + 120);
	CHECK_CONTAINS(t, "My database file is damaged");
	engine_free(eng);
	eng = NULL;
	store_close(store);
	store = NULL;
	CHECK_INT(util_read_file(path, 1 << 24, &after, &na), BOT_OK);
	CHECK(na == nb && memcmp(before, after, nb) == 0);
	free(before);
	free(after);
	buf_cleanup(&err);
	fresh();
}

/* Accidents are not attempts: nothing stored, mastery and streak untouched. */
static void test_accidents_not_graded(void)
{
	const char *t;

	fresh();
	run("/question beta", T0);
	run_as("ann", "t1", "answer:beta-one", STRONG, T0);
	t = run("/answer", T0 + 1);
	CHECK_CONTAINS(t, "Type your answer after the command");
	CHECK_INT(out.buttons[0].kind, REPLY_MODAL);
	t = run_as("ann", "t1", "answer:beta-one", "   \n\t ", T0 + 2);
	CHECK_CONTAINS(t, "was empty, so nothing was saved");
	CHECK_INT(out.buttons[0].kind, REPLY_MODAL);
	t = run_as("ann", "t1", "answer:beta-one", "/stats", T0 + 3);
	CHECK_CONTAINS(t, "nothing was saved");
	t = run_as("ann", "t1", "answer:beta-one", "I don't know", T0 + 4);
	CHECK_CONTAINS(t, "No score was recorded");
	CHECK_CONTAINS(t, "comes back for review tomorrow");
	t = run("/stats", T0 + 5);
	CHECK_CONTAINS(t, "Answers this week: 1");
	CHECK_CONTAINS(t, "Beta Things: 100%");
	/* "I don't know" scheduled the card again: due the next day. */
	CHECK_CONTAINS(run("/question", T0 + DAY + 60), "Due for review");
}

static void test_answer_limits(void)
{
	char *big = xmalloc(4200);
	char *line = xmalloc(4300);
	const char *t;

	fresh();
	t = run("/answer something useful here", T0);
	CHECK_CONTAINS(t, "You have no open question");
	memset(big, 'w', 4100);
	big[4100] = '\0';
	snprintf(line, 4300, "/answer id:beta-one %s", big);
	t = run(line, T0);
	CHECK_CONTAINS(t, "the limit is 4000");
	CHECK_CONTAINS(run("/stats", T0), "Answers this week: 0");
	t = run("/answer id:nope some answer text", T0);
	CHECK_CONTAINS(t, "There is no question `nope`");
	free(big);
	free(line);
}

static void test_reveal_grade_and_review_due(void)
{
	const char *t;

	fresh();
	run("/question beta", T0);
	t = run("reveal:beta-one", T0);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "Model answer");
	CHECK_CONTAINS(t, "On a miss the application reads the database");
	CHECK_INT(out.nbuttons, 5);
	CHECK_STR(out.buttons[2].id, "1:grade:beta-one:good");
	t = run("grade:beta-one:Good", T0);
	/* FSRS: Good on a first review is three days (Again 1, Hard 2, Easy 8). */
	CHECK_CONTAINS(t, "Next review in 3 days");
	/* Changing one's mind straight away replaces that grade, not adds to it. */
	t = run("grade:beta-one:Hard", T0 + 60);
	CHECK_CONTAINS(t, "Next review in 2 days");
	t = run("/question", T0 + DAY);
	CHECK_NOT_CONTAINS(t, "Due for review");
	/* Two days later, /question with no topic serves the due review first. */
	t = run("/question", T0 + 2 * DAY);
	CHECK_CONTAINS(t, "Due for review");
	CHECK_CONTAINS(t, "`beta-one`");
	t = run("grade:beta-one:Bogus", T0);
	CHECK_CONTAINS(t, "not one I know");
}

static void test_weakest_topic_served(void)
{
	char id[64];
	int i;

	fresh();
	/* Strong on beta, weak on alpha: no review due, so alpha comes next. */
	run_as("ann", "t1", "answer:beta-one", STRONG, T0);
	run_as("ann", "t1", "answer:alpha-one", "On a miss we fall back to the database.", T0);
	for (i = 0; i < 3; i++) {
		card_id(run("/question", T0 + 10 + i), id, sizeof(id));
		CHECK(strncmp(id, "alpha-", 6) == 0);
	}
	CHECK_CONTAINS(run("/weak", T0), "Alpha Things: 25%");
	CHECK_CONTAINS(run("/weak", T0), "/question alpha");
}

static void test_leaderboard_periods_and_ties(void)
{
	const char *t;

	fresh();
	/* Last month (October 2026): counts for all-time only. */
	run_as("bob", "t1", "answer:beta-one", STRONG, T0 - 30 * DAY);
	/* This week: Ann 100 first, then Cy 100; another team's Dee does not show. */
	run_as("ann", "t1", "answer:beta-one", STRONG, T0);
	run_as("cy", "t1", "answer:beta-one", STRONG, T0 + 5);
	run_as("dee", "t2", "answer:beta-one", STRONG, T0);
	t = run_as("cy", "t1", "/leaderboard week", NULL, T0 + 10);
	CHECK_CONTAINS(t, "1. ann — 100\n2. cy — 100");
	CHECK_NOT_CONTAINS(t, "bob");
	CHECK_NOT_CONTAINS(t, "dee");
	CHECK_CONTAINS(t, "You: #2 with 100 points");
	CHECK_CONTAINS(t, "Beta Things: 1/1 (100%)");
	t = run_as("cy", "t1", "/leaderboard all", NULL, T0 + 10);
	CHECK_CONTAINS(t, "1. bob — 100\n2. ann — 100\n3. cy — 100");
	t = run_as("cy", "t1", "/leaderboard month", NULL, T0 + 10);
	CHECK_NOT_CONTAINS(t, "bob");
	t = run_as("cy", "t1", "/leaderboard year", NULL, T0 + 10);
	CHECK_CONTAINS(t, "period must be week, month or all, not `year`: `/leaderboard month`");
}

static void test_settings_and_forget(void)
{
	const char *t;

	fresh();
	t = run("/settings timezone Moon/Base", T0);
	CHECK_CONTAINS(t, "is not an IANA time zone");
	t = run("/settings timezone Asia/Tokyo", T0);
	CHECK_CONTAINS(t, "Asia/Tokyo");
	CHECK_CONTAINS(run("/stats", T0), "Days count in Asia/Tokyo");
	run_as("ann", "t1", "answer:beta-one", STRONG, T0);
	t = run("/forget-me", T0);
	CHECK_INT(out.nbuttons, 2);
	CHECK_STR(out.buttons[0].id, "1:forget:confirm");
	CHECK_STR(out.buttons[1].id, "1:forget:cancel");
	CHECK_STR(out.buttons[1].label, "Cancel");
	CHECK_CONTAINS(run("1:forget:cancel", T0), "Nothing was deleted");
	CHECK_CONTAINS(run("/stats", T0), "Answers this week: 1"); /* nothing deleted yet */
	t = run("1:forget:confirm", T0);
	CHECK_CONTAINS(t, "deleted");
	t = run("/stats", T0);
	CHECK_CONTAINS(t, "Answers this week: 0");
	CHECK_CONTAINS(t, "Days count in UTC");
}

/* The token of the last reply's link button to a private page ("<base>/me/<token>"). */
static void page_token(const char *kind, char token[LINK_TOKEN_MAX])
{
	char prefix[64];
	const char *p = NULL;
	size_t i;

	snprintf(prefix, sizeof(prefix), "https://drill.example/%s/", kind);
	for (i = 0; i < out.nbuttons && p == NULL; i++)
		if (out.buttons[i].kind == REPLY_LINK &&
		    strncmp(out.buttons[i].id, prefix, strlen(prefix)) == 0)
			p = out.buttons[i].id;
	token[0] = '\0';
	if (p != NULL)
		snprintf(token, LINK_TOKEN_MAX, "%.*s", (int)strcspn(p + strlen(prefix), " )\n"),
		         p + strlen(prefix));
}

/* /stats links a signed private page; a reset and /forget-me retire its link. */
static void test_private_page_links(void)
{
	char old[LINK_TOKEN_MAX], fresh_token[LINK_TOKEN_MAX], tampered[LINK_TOKEN_MAX];
	int64_t id = 0, ann;

	fresh();
	run("/stats", T0);
	page_token("me", old);
	CHECK(old[0] != '\0');
	CHECK_STR(out.buttons[out.nbuttons - 1].label, "Progress page");
	CHECK_INT(link_check(store, LINK_ME, old, &id), BOT_OK);
	ann = id;
	CHECK_INT(link_check(store, LINK_TEAM, old, &id), BOT_ENOENT); /* a user's is no team's */
	snprintf(tampered, sizeof(tampered), "%s", old);
	tampered[strlen(tampered) - 1] = tampered[strlen(tampered) - 1] == 'A' ? 'B' : 'A';
	CHECK_INT(link_check(store, LINK_ME, tampered, &id), BOT_ENOENT);
	run("/stats", T0 + 1);
	page_token("me", fresh_token);
	CHECK_STR(fresh_token, old); /* stable until reset */
	CHECK_CONTAINS(run("/settings links reset", T0), "The old links to your progress page");
	page_token("me", fresh_token);
	CHECK(strcmp(fresh_token, old) != 0);
	CHECK_INT(link_check(store, LINK_ME, old, &id), BOT_ENOENT);
	CHECK_INT(link_check(store, LINK_ME, fresh_token, &id), BOT_OK);
	CHECK(id == ann);
	CHECK_CONTAINS(run("/settings links reset-team", T0), "Only a team admin");
	run("/leaderboard", T0);
	page_token("team", old);
	CHECK_INT(link_check(store, LINK_TEAM, old, &id), BOT_OK);
	run("1:forget:confirm", T0);
	CHECK_INT(link_check(store, LINK_ME, fresh_token, &id), BOT_ENOENT);
	run("/stats", T0); /* ann again: a new row, maybe the same id, never the old link */
	CHECK_INT(link_check(store, LINK_ME, fresh_token, &id), BOT_ENOENT);
	CHECK_CONTAINS(run("/settings", T0), "Your time zone: UTC");
}

static void test_help_topics_unknown(void)
{
	const char *t;

	fresh();
	t = run("/help", T0);
	CHECK_CONTAINS(t, "/question [topic] [difficulty]");
	CHECK_CONTAINS(t, "/leaderboard [week|month|all]");
	t = run("/frobnicate", T0);
	CHECK_CONTAINS(t, "I don't know the command `/frobnicate`");
	CHECK_CONTAINS(t, "Type `/help` for the list of commands.");
	CHECK_NOT_CONTAINS(t, "/leaderboard"); /* a hint, not the whole help */
	CHECK_CONTAINS(run("/stat", T0), "Did you mean `/stats`?");
	CHECK_CONTAINS(run("/quest", T0), "Did you mean `/question`?");
	CHECK_CONTAINS(run("/leaderbord", T0), "Did you mean `/leaderboard`?");
	t = run("/topics", T0);
	CHECK_CONTAINS(t, "`alpha` Alpha Things: 2 questions");
	CHECK_CONTAINS(run("/tips", T0), "How to prepare");
	t = run("/help scoring", T0);
	CHECK_CONTAINS(t, "earns points once every 30 days");
	CHECK_CONTAINS(t, "you had seen the answer");
	CHECK_NOT_CONTAINS(t, "/leaderboard");
	t = run("oldbutton:1", T0);
	CHECK_CONTAINS(t, "older version");
}

/* /settings as user with the zone the platform reports for them (Slack's users.info tz). */
static const char *settings_with_tz(const char *user, const char *line, const char *tz)
{
	struct request req;

	memset(&req, 0, sizeof(req));
	req.platform = "test";
	req.team = "t1";
	req.channel = "c1";
	req.user = user;
	req.user_name = user;
	req.now = T0;
	req.command = "settings";
	req.args = line;
	req.tz = tz;
	reply_cleanup(&out);
	reply_init(&out);
	engine_handle(eng, &req, &out);
	return buf_str(&out.text);
}

/* A platform's zone for the user counts until they set one; a zone it made up does not. */
static void test_platform_tz(void)
{
	fresh();
	CHECK_CONTAINS(settings_with_tz("kai", "", "Asia/Tokyo"), "Your time zone: Asia/Tokyo");
	CHECK_CONTAINS(settings_with_tz("lee", "", "Moon/Base"), "Your time zone: UTC");
	CHECK_CONTAINS(settings_with_tz("kai", "timezone Europe/Berlin", "Asia/Tokyo"),
	               "now Europe/Berlin");
	CHECK_CONTAINS(settings_with_tz("kai", "", "Asia/Tokyo"), "Your time zone: Europe/Berlin");
}

static void test_streak_across_days(void)
{
	const char *t;

	fresh();
	run_as("ann", "t1", "answer:beta-one", STRONG, T0);
	run_as("ann", "t1", "answer:beta-one", STRONG, T0 + DAY);
	t = run_as("ann", "t1", "answer:beta-one", STRONG, T0 + 2 * DAY);
	CHECK_CONTAINS(t, "Streak: 3 days");
	/* Three days missed, no freezes: a new streak. */
	t = run_as("ann", "t1", "answer:beta-one", STRONG, T0 + 6 * DAY);
	CHECK_CONTAINS(t, "Streak: 1 day");
	CHECK_CONTAINS(t, "a new streak");
	CHECK_CONTAINS(run("/stats", T0 + 6 * DAY), "best 3");
}

/* A typed platform (Discord) sends options by name; the same checks apply. */
static void test_typed_options_from_platform(void)
{
	struct request_option opts[2] = {{"topic", "alp"}, {"difficulty", "3"}};
	struct request_option bad[1] = {{"colour", "blue"}};
	struct request req;

	fresh();
	memset(&req, 0, sizeof(req));
	req.platform = "discord";
	req.team = "g1";
	req.channel = "c1";
	req.user = "u1";
	req.user_name = "Ada";
	req.locale = "en-GB";
	req.command = "question";
	req.options = opts;
	req.noptions = 2;
	req.now = T0;
	reply_reset(&out);
	engine_handle(eng, &req, &out);
	CHECK_CONTAINS(buf_str(&out.text), "alpha-two");
	opts[1].value = "9";
	reply_reset(&out);
	engine_handle(eng, &req, &out);
	CHECK_CONTAINS(buf_str(&out.text), "difficulty must be 1, 2 or 3, not 9");
	req.options = bad;
	req.noptions = 1;
	reply_reset(&out);
	engine_handle(eng, &req, &out);
	CHECK_CONTAINS(buf_str(&out.text), "`/question` has no option `colour`");
}

/* The seam the daily drill builds on: one post a local day, with a recap of the last. */
static void test_daily_post_once_a_day_with_recap(void)
{
	struct engine_post p = {ENGINE_POST_DAILY, "test", "t1", "general", T0, 0};
	struct reply r;
	char first[64];

	fresh();
	reply_init(&r);
	CHECK_INT(engine_post(eng, &p, &r), BOT_OK);
	CHECK_STR(r.dest.channel, "general");
	CHECK_CONTAINS(r.title, "Daily question");
	CHECK_NOT_CONTAINS(buf_str(&r.text), "Last time");
	/* Issue 22: answer first. The post has no Reveal and no model answer before its reveal. */
	CHECK_INT(r.nbuttons, 1);
	CHECK(strncmp(r.buttons[0].id, "1:answer:", 9) == 0);
	CHECK_NOT_CONTAINS(buf_str(&r.text), "https://drill.example/q/");
	CHECK_CONTAINS(r.footer, "revealed with the next question");
	snprintf(first, sizeof(first), "%.63s", r.buttons[0].id + 9);
	reply_reset(&r);
	/* The same local day again: nothing, however often it is asked. */
	p.now = T0 + 3600;
	CHECK_INT(engine_post(eng, &p, &r), BOT_EEXIST);
	CHECK_INT(r.nbuttons, 0);
	/* Someone answers; the next day's post recaps it and asks something else. */
	{
		char action[128];
		snprintf(action, sizeof(action), "1:answer:%s", first);
		run_as("ann", "t1", action, STRONG, T0 + 7200);
	}
	p.now = T0 + DAY;
	CHECK_INT(engine_post(eng, &p, &r), BOT_OK);
	CHECK_CONTAINS(buf_str(&r.text), "Last time");
	CHECK_CONTAINS(buf_str(&r.text), first);
	CHECK_CONTAINS(buf_str(&r.text), "1 answered");
	CHECK_CONTAINS(buf_str(&r.text), "Best: ann ");
	CHECK_CONTAINS(buf_str(&r.text), "[Its model answer](https://drill.example/q/");
	CHECK_CONTAINS(buf_str(&r.text), "**Streaks:** ann 1 day");
	CHECK(strcmp(r.buttons[0].id + 9, first) != 0);
	reply_cleanup(&r);
}

/* The farming transcript: five answers to one question earned
 * 500 points. A question now pays once every 30 days, still graded. */
static void test_points_once_per_window(void)
{
	const char *t;
	int i;

	fresh();
	t = run_as("ann", "t1", "answer:beta-one", STRONG, T0);
	CHECK_CONTAINS(t, "Score: 100/100");
	CHECK_CONTAINS(t, "+100 points");
	for (i = 1; i < 5; i++) {
		t = run_as("ann", "t1", "answer:beta-one", STRONG, T0 + i * 60);
		CHECK_CONTAINS(t, "Score: 100/100");
		CHECK_CONTAINS(t, "a question counts once every 30 days");
		CHECK_CONTAINS(t, "earns points again on 18 December 2026");
		CHECK_NOT_CONTAINS(t, "+100 points");
	}
	t = run_as("ann", "t1", "/leaderboard all", NULL, T0 + 600);
	CHECK_CONTAINS(t, "1. ann — 100");
	/* Thirty days on it counts again. */
	t = run_as("ann", "t1", "answer:beta-one", STRONG, T0 + 30 * DAY + 60);
	CHECK_CONTAINS(t, "+100 points");
	t = run_as("ann", "t1", "/leaderboard all", NULL, T0 + 30 * DAY + 120);
	CHECK_CONTAINS(t, "1. ann — 200");
}

/* Reveal, then answer: graded, but "you had seen the answer". And the
 * model answer or the key points pasted back earn nothing. */
static void test_reveal_and_paste_earn_nothing(void)
{
	const char *t;

	fresh();
	run_as("bo", "t1", "reveal:beta-one", NULL, T0);
	t = run_as("bo", "t1", "answer:beta-one", STRONG, T0 + 60);
	CHECK_CONTAINS(t, "Score: 100/100");
	CHECK_CONTAINS(t, "you had seen the answer");
	t = run_as("cy", "t1", "answer:beta-one",
	           "On a miss the application loads the value from the database. The loaded value "
	           "is written into the cache. Later reads are served from memory. Entries expire "
	           "after a time to live.",
	           T0);
	CHECK_CONTAINS(t, "reads like the model answer pasted back");
	t = run_as("cy", "t1", "answer:beta-one",
	           "On a miss the application reads the database and then stores the value in the "
	           "cache so later reads are fast.",
	           T0 + 2 * DAY);
	CHECK_CONTAINS(t, "pasted back");
	t = run_as("cy", "t1", "/leaderboard all", NULL, T0 + 3 * DAY);
	CHECK_NOT_CONTAINS(t, "bo —");
	CHECK_NOT_CONTAINS(t, "cy —");
	/* A paste keeps no streak and moves no mastery. */
	t = run_as("cy", "t1", "/stats", NULL, T0 + 3 * DAY);
	CHECK_CONTAINS(t, "Streak: 0 days");
}

/* A quick second answer is not new evidence: mastery keeps the first. */
static void test_mastery_counts_fresh_evidence(void)
{
	const char *t;

	fresh();
	run_as("ann", "t1", "answer:beta-one", "On a miss the app falls back to the database.", T0);
	t = run_as("ann", "t1", "answer:beta-one", STRONG, T0 + 60);
	CHECK_CONTAINS(t, "Score: 100/100");
	CHECK_CONTAINS(run("/stats", T0 + 120), "Beta Things: 25%");
	/* A day later it counts. */
	run_as("ann", "t1", "answer:beta-one", STRONG, T0 + DAY + 60);
	CHECK_NOT_CONTAINS(run("/stats", T0 + DAY + 120), "Beta Things: 25%");
}

/* The first answer to the channel's daily question on its day: +10. */
static void test_daily_bonus_once(void)
{
	struct engine_post p = {ENGINE_POST_DAILY, "test", "t1", "c1", T0, 0};
	struct store_channel ch;
	struct store_daily d = {.enabled = true, .days = 127};
	struct reply r;
	const char *t;

	fresh();
	snprintf(d.topics, sizeof(d.topics), "beta");
	CHECK_INT(store_channel_ensure(store, "test", "t1", "c1", T0, &ch), BOT_OK);
	CHECK_INT(store_channel_set_daily(store, ch.id, &d), BOT_OK);
	reply_init(&r);
	CHECK_INT(engine_post(eng, &p, &r), BOT_OK);
	CHECK_STR(r.buttons[0].id, "1:answer:beta-one");
	reply_cleanup(&r);
	t = run_as("ann", "t1", "answer:beta-one", STRONG, T0 + 60);
	CHECK_CONTAINS(t, "**+110 points** (10 for today's daily question)");
	t = run_as("bo", "t1", "answer:beta-one", STRONG, T0 + 120);
	CHECK_CONTAINS(t, "+110 points");
	/* Not a second time, and not in another channel's day. */
	t = run_as("ann", "t1", "answer:beta-one", STRONG, T0 + 180);
	CHECK_NOT_CONTAINS(t, "daily question");
	CHECK_CONTAINS(run_as("ann", "t1", "/leaderboard all", NULL, T0 + 240), "ann — 110");
}

static int daily_changes;
static int64_t daily_changed_id;
static void count_daily(void *arg, int64_t channel_id)
{
	(void)arg;
	daily_changes++;
	daily_changed_id = channel_id;
}

/* Issue 19: admins change the drill, a run changes only what it names, anyone reads it. */
static void test_daily_command(void)
{
	const char *t;

	fresh();
	daily_changes = 0;
	engine_on_daily(eng, count_daily, NULL);
	t = run("/daily on time:08:00", T0);
	CHECK_CONTAINS(t, "`/daily on` is for team admins");
	CHECK_CONTAINS(t, "Manage Server");
	CHECK(out.ephemeral);
	CHECK_INT(daily_changes, 0);
	CHECK_CONTAINS(run("/daily", T0), "Daily drill here: **off**");
	t = run_admin("/daily on time:09:30 timezone:Europe/Berlin days:mon,wed", T0);
	CHECK_CONTAINS(t, "**on**. 09:30, Europe/Berlin, mon,wed, topics: all");
	/* T0 is Wednesday 2026-11-18 10:13 UTC, 11:13 in Berlin: next is Monday. */
	CHECK_CONTAINS(t, "Next post: Mon 2026-11-23 09:30 Europe/Berlin (08:30 UTC)");
	CHECK_INT(daily_changes, 1);
	CHECK(daily_changed_id > 0);
	t = run_admin("/daily on days:daily topics:alp difficulty:3", T0);
	CHECK_CONTAINS(t, "09:30, Europe/Berlin, every day, topics: alpha, difficulty: ★★★");
	CHECK_CONTAINS(run_admin("/daily on time:7:5", T0), "is not a time of day");
	CHECK_CONTAINS(run_admin("/daily off", T0), "**off**. 09:30, Europe/Berlin, every day");
	CHECK_INT(daily_changes, 3); /* the refused time changed nothing */
	CHECK_CONTAINS(run("/daily status", T0), "**off**");
	/* A pause is shown while it lasts, not after. */
	CHECK_CONTAINS(run_admin("/daily pause 3", T0), "Paused until 2026-11-21");
	CHECK_NOT_CONTAINS(run("/daily", T0 + 4 * DAY), "Paused");
	engine_on_daily(eng, NULL, NULL);
}

static void post_id(int64_t now, char *id, size_t size)
{
	struct engine_post p = {ENGINE_POST_DAILY, "test", "t1", "c1", now, 0};
	struct reply r;

	reply_init(&r);
	id[0] = '\0';
	if (engine_post(eng, &p, &r) == BOT_OK && r.nbuttons > 0)
		snprintf(id, size, "%.63s", r.buttons[0].id + 9);
	reply_cleanup(&r);
}

/* Topics take turns, nothing repeats until the pool is used up, difficulty narrows it. */
static void test_daily_pool(void)
{
	char a[64], b[64], c[64], d[64];

	fresh();
	run_admin("/daily on topics:alpha,beta days:daily", T0);
	post_id(T0, a, sizeof(a));
	post_id(T0 + DAY, b, sizeof(b));
	post_id(T0 + 2 * DAY, c, sizeof(c));
	CHECK(a[0] && b[0] && c[0]);
	CHECK(strcmp(a, b) != 0 && strcmp(b, c) != 0 && strcmp(a, c) != 0);
	CHECK(strncmp(a, "beta", 4) == 0 || strncmp(b, "beta", 4) == 0); /* beta had its turn */
	CHECK(strncmp(a, b, 4) != 0); /* the second post is of the other topic */
	/* The pool used up: a repeat, but never the latest one again. */
	post_id(T0 + 3 * DAY, d, sizeof(d));
	CHECK(d[0] && strcmp(d, c) != 0);
	fresh();
	run_admin("/daily on topics:alpha difficulty:3", T0);
	post_id(T0, a, sizeof(a));
	CHECK_STR(a, "alpha-two");
	run_admin("/daily on topics:beta difficulty:1", T0);
	CHECK_CONTAINS(run_admin("/daily now", T0 + DAY), "No question matches");
}

/* The day's question is not one a teammate just met through /question, while others are left. */
static void test_daily_avoids_served(void)
{
	char served[64], posted[64];
	int i;

	for (i = 0; i < 4; i++) { /* whichever alpha question /question serves */
		fresh();
		run_admin("/daily on topics:alpha days:daily", T0);
		card_id(run("/question alpha", T0 + i), served, sizeof(served));
		post_id(T0 + 60, posted, sizeof(posted));
		CHECK(served[0] && posted[0]);
		CHECK(strcmp(served, posted) != 0);
	}
}

static void count_pending(const struct store_pending *p, void *arg)
{
	(void)p;
	++*(int *)arg;
}

/* The unix time of a UTC date and time. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
	return (int64_t)tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

/* The whole text of a reply: title, body, footer and every button's label and id. */
static void reply_all(const struct reply *r, struct buf *b)
{
	size_t i;

	buf_reset(b);
	buf_addf(b, "%s\n%s\n%s", r->title, buf_str(&r->text), r->footer);
	for (i = 0; i < r->nbuttons; i++)
		buf_addf(b, "\n[%s](%s)", r->buttons[i].label, r->buttons[i].id);
}

/*
 * Issue 22, answer first: on Berlin's fall-back day the post (09:00 CET)
 * collects answers privately; each person's grade is theirs, at once; the
 * reveal at 17:00 shows how many answered, the spread, the quotes of
 * those who opted in and the model answer, once; the next post has no
 * recap of its own.
 */
static void test_daily_reveal(void)
{
	const int64_t post_at = utc(2026, 10, 25, 8, 0), reveal_at = utc(2026, 10, 25, 16, 0);
	const int32_t day = tz_days_from_civil(2026, 10, 25);
	struct engine_post p = {ENGINE_POST_DAILY, "test", "t1", "c1", post_at, 0};
	struct engine_post rv = {ENGINE_POST_REVEAL, "test", "t1", "c1", reveal_at, day};
	struct buf all;
	struct reply r;
	const char *t;
	int n = 0;

	fresh();
	buf_init(&all, 1 << 16);
	reply_init(&r);
	t = run_admin("/daily on time:09:00 timezone:Europe/Berlin days:daily topics:beta "
	              "reveal:17:00",
	              post_at - 3600);
	CHECK_CONTAINS(t, "reveal: 17:00");
	CHECK_INT(engine_post(eng, &p, &r), BOT_OK);
	CHECK_INT(engine_post_sent(eng, &p, "m-post-1"), BOT_OK);
	reply_all(&r, &all);
	/* In the channel before the reveal: the question and the Answer box, nothing else. */
	CHECK_INT(r.nbuttons, 1);
	CHECK_INT(r.buttons[0].kind, REPLY_MODAL);
	CHECK_NOT_CONTAINS(buf_str(&all), "reveal:");
	CHECK_NOT_CONTAINS(buf_str(&all), "https://drill.example/q/");
	CHECK_CONTAINS(r.footer, "revealed at 17:00 Europe/Berlin");
	CHECK_CONTAINS(run("/daily status", post_at + 60),
	               "Next reveal: `beta-one`, Sun 2026-10-25 17:00 Europe/Berlin (16:00 UTC)");

	/* Each answer is graded at once, for its author alone, with Reveal for them. */
	run_as("zora", "t1", "/settings quote on", NULL, post_at + 30);
	CHECK(out.ephemeral);
	run_as("quin", "t1", "/settings quote on", NULL, post_at + 30);
	t = run_as("zora", "t1", "1:answer:beta-one", STRONG, post_at + 60);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "Score: 100/100");
	CHECK(out.nbuttons >= 1 && strstr(out.buttons[0].id, "reveal:beta-one") != NULL);
	t = run_as("quin", "t1", "1:answer:beta-one",
	           "On a miss the app falls back to the database.", post_at + 120);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "Score: ");
	run_as("quin", "t1", "1:answer:beta-one", STRONG, post_at + 180); /* coached: not counted */
	run_as("yves", "t1", "1:answer:beta-one", STRONG, post_at + 240);

	/* The reveal: once, in reply to the post. */
	reply_reset(&r);
	CHECK_INT(engine_post(eng, &rv, &r), BOT_OK);
	CHECK_STR(r.dest.channel, "c1");
	CHECK_STR(r.dest.reply_to, "m-post-1");
	CHECK(!r.ephemeral);
	reply_all(&r, &all);
	t = buf_str(&all);
	CHECK_CONTAINS(t, "3 answered");
	CHECK_CONTAINS(t, "`80-100` ██████████ 2");
	CHECK_CONTAINS(t, "` 20-39` █████ 1");
	CHECK_CONTAINS(t, "`  0-19` 0");
	CHECK_CONTAINS(t, "zora (100)");
	CHECK_CONTAINS(t, "`When the key is missing we read it from the DB");
	CHECK_NOT_CONTAINS(t, "yves ("); /* no name by a score or an answer without the opt-in */
	CHECK_NOT_CONTAINS(t, "quin ("); /* opted in, but not among the best */
	CHECK_NOT_CONTAINS(t, "falls back"); /* nor the answer */
	CHECK_CONTAINS(t, "https://drill.example/q/beta-one");
	reply_reset(&r);
	CHECK_INT(engine_post(eng, &rv, &r), BOT_EEXIST);
	rv.now = reveal_at + 3600; /* however often it is asked */
	CHECK_INT(engine_post(eng, &rv, &r), BOT_EEXIST);
	rv.now = reveal_at;

	/* Pending until the platform took it; rendered again the same (late answers do not count).
	 */
	CHECK_INT(store_posts_pending(store, ENGINE_REVEAL_KIND, 0, count_pending, &n), BOT_OK);
	CHECK_INT(n, 1);
	run_as("xena", "t1", "1:answer:beta-one", STRONG, reveal_at + 60);
	reply_reset(&r);
	CHECK_INT(engine_post_again(eng, &rv, "beta-one", &r), BOT_OK);
	CHECK_CONTAINS(buf_str(&r.text), "3 answered");
	CHECK_STR(r.dest.reply_to, "m-post-1");
	CHECK_INT(engine_post_sent(eng, &rv, "m-reveal-1"), BOT_OK);
	n = 0;
	CHECK_INT(store_posts_pending(store, ENGINE_REVEAL_KIND, 0, count_pending, &n), BOT_OK);
	CHECK_INT(n, 0);
	CHECK_CONTAINS(run("/daily status", reveal_at + 120),
	               "Last reveal: `beta-one`, Sun 2026-10-25 17:00 Europe/Berlin (16:00 UTC)");

	/* The recap folded into the reveal: the next day's post has none. */
	p.now = post_at + DAY;
	reply_reset(&r);
	CHECK_INT(engine_post(eng, &p, &r), BOT_OK);
	CHECK_NOT_CONTAINS(buf_str(&r.text), "Last time");
	/* A reveal of a day without a post reveals nothing. */
	rv.day = day + 5;
	CHECK_INT(engine_post(eng, &rv, &r), BOT_ENOENT);
	reply_cleanup(&r);
	buf_cleanup(&all);
}

static void count_links(void *arg, enum md_event ev, const char *s, size_t n)
{
	(void)s;
	(void)n;
	if (ev == MD_LINK_ON || ev == MD_BOLD_ON)
		++*(int *)arg;
}

/* A quoted answer is inert in the channel: one line of code, no link, no emphasis, cut short. */
static void test_daily_reveal_quote_is_inert(void)
{
	const int64_t post_at = utc(2026, 10, 26, 8, 0);
	struct engine_post p = {ENGINE_POST_DAILY, "test", "t1", "c1", post_at, 0};
	struct engine_post rv = {ENGINE_POST_REVEAL,
	                         "test",
	                         "t1",
	                         "c1",
	                         post_at + 8 * 3600,
	                         tz_days_from_civil(2026, 10, 26)};
	struct buf hostile;
	struct reply r;
	int marks = 0, i;
	const char *t, *q;

	fresh();
	buf_init(&hostile, 8192);
	buf_addf(&hostile, "See [free stuff](https://evil.example) and **this** `now`.\n\n%s",
	         STRONG);
	for (i = 0; i < 40; i++)
		buf_addf(&hostile, " more words");
	run_admin("/daily on time:09:00 timezone:Europe/Berlin days:daily topics:beta reveal:17:00",
	          post_at - 3600);
	reply_init(&r);
	CHECK_INT(engine_post(eng, &p, &r), BOT_OK);
	run_as("wren", "t1", "/settings quote on", NULL, post_at + 10);
	CHECK_CONTAINS(run_as("wren", "t1", "1:answer:beta-one", buf_str(&hostile), post_at + 60),
	               "Score: 100/100");
	reply_reset(&r);
	CHECK_INT(engine_post(eng, &rv, &r), BOT_OK);
	t = buf_str(&r.text);
	q = strstr(t, "- wren (100): `");
	CHECK(q != NULL);
	CHECK_CONTAINS(q, "See [free stuff](https://evil.example) and **this** 'now'.");
	CHECK_CONTAINS(q, "…`");                  /* cut at 200 characters */
	CHECK_CONTAINS(q, "'now'. When the key"); /* one line */
	{
		char line[2048];
		snprintf(line, sizeof(line), "%.*s", (int)strcspn(q, "\n"), q);
		md_walk(line, count_links, &marks);
		CHECK_INT(marks, 0);
	}
	reply_cleanup(&r);
	buf_cleanup(&hostile);
}

/* Bad reveal times are refused with an example and change nothing; "none" goes back to default. */
static void test_daily_reveal_setting(void)
{
	const char *t;

	fresh();
	t = run_admin("/daily on reveal:25:00", T0);
	CHECK_CONTAINS(t, "`25:00` is not a time of day");
	CHECK_CONTAINS(t, "reveal:17:00");
	CHECK_CONTAINS(run("/daily", T0), "**off**");
	CHECK_CONTAINS(run_admin("/daily on reveal 17:30", T0), "reveal: 17:30");
	CHECK_CONTAINS(run_admin("/daily on reveal:none", T0), "reveal: with the next question");
	CHECK_CONTAINS(run("/settings", T0), "quote");
	CHECK_CONTAINS(run("/settings quote on", T0), "may quote");
	CHECK_CONTAINS(run("/settings", T0), "Quotes in the daily reveal: on");
	CHECK_CONTAINS(run("/settings quote off", T0), "never quotes");
}

/* After a graded answer, the follow-up an interviewer would press with. */
static void test_followups_offered_and_graded(void)
{
	const char *t;
	size_t i;
	bool found = false;

	fresh();
	t = run_as("ann", "t1", "answer:beta-one", STRONG, T0);
	CHECK_CONTAINS(t, "Next an interviewer might ask:** What happens when two readers miss at "
	                  "once?");
	for (i = 0; i < out.nbuttons; i++)
		found |= strcmp(out.buttons[i].id, "1:followup:beta-one:1") == 0 &&
		         out.buttons[i].kind == REPLY_MODAL;
	CHECK(found);
	/* The button opens the box; the text is graded against the rubric. */
	t = run_as("ann", "t1", "1:followup:beta-one:1", NULL, T0 + 10);
	CHECK_CONTAINS(t, "What happens when two readers miss at once?");
	t = run_as("ann", "t1", "1:followup:beta-one:1",
	           "Both of them load the database, unless the loads are coalesced behind a lock.",
	           T0 + 20);
	CHECK_CONTAINS(t, "Follow-up 1: 50/100");
	CHECK_CONTAINS(t, "✅ Both load the database unless the loads are coalesced");
	CHECK_CONTAINS(t, "❌ Only one of them should write the cache");
	CHECK_CONTAINS(t, "no points");
	/* Stored as an answer, but it earns nothing and moves no mastery. */
	CHECK_CONTAINS(run("/stats", T0 + 30), "Answers this week: 2");
	CHECK_CONTAINS(run("/leaderboard all", T0 + 30), "ann — 100");
	t = run_as("ann", "t1", "1:followup:beta-one:7", "whatever it is I think", T0 + 40);
	CHECK_CONTAINS(t, "has no follow-up 7");
}

/* /weak says which key points of a weak topic are missed most often. */
static void test_weak_names_missed_points(void)
{
	const char *t;

	fresh();
	run_as("ann", "t1", "answer:beta-one", "On a miss the app falls back to the database.", T0);
	run_as("ann", "t1", "answer:beta-one",
	       "On a miss we read the database, and later reads are served from memory.", T0 + DAY);
	t = run("/weak", T0 + DAY + 60);
	CHECK_CONTAINS(t, "Missed most often:");
	CHECK_CONTAINS(t,
	               "- The loaded value is written into the cache (`beta-one`, missed 2 times)");
	CHECK_CONTAINS(t, "Later reads are served from memory (`beta-one`, missed 1 time)");
	CHECK_NOT_CONTAINS(t, "loads the value from the database (`beta-one`");
}

/* /question with no topic serves a question linked to the key point the
 * user misses most, and says so. */
static void test_question_exercises_missed_points(void)
{
	char user[16], id[64];
	const char *t;
	int u;

	fresh();
	for (u = 0; u < 6; u++) {
		snprintf(user, sizeof(user), "u%d", u);
		run_as(user, "t1", "answer:alpha-one", "On a miss we fall back to the database.",
		       T0);
		t = run_as(user, "t1", "/question", NULL, T0 + 60);
		CHECK_CONTAINS(t,
		               "Practice for a point you missed on `alpha-one`: The loaded value");
		card_id(strstr(t, "**"), id, sizeof(id));
		CHECK_STR(id, "alpha-two");
	}
}

/* The reply names a misconception it heard, with the correction. */
static void test_reply_names_misconception(void)
{
	const char *t;

	fresh();
	t = run_as("ann", "t1", "answer:beta-one",
	           "A cache miss is an error that the caller has to handle. The app then reads the "
	           "database.",
	           T0);
	CHECK_CONTAINS(t, "Heard a common misconception:** A cache miss is an error the caller "
	                  "must handle");
	CHECK_CONTAINS(t, "a miss is normal; the application loads from the database");
	t = run_as("bo", "t1", "answer:beta-one", STRONG, T0);
	CHECK_NOT_CONTAINS(t, "misconception");
}

/* ---- issue 22: challenges of a grade ---- */

/* A command or an action as user, an admin or not: the reply's text. */
static const char *run_req(const char *user, bool admin, const char *line, const char *input,
                           int64_t now)
{
	struct request req;
	char cmd[64] = "";

	memset(&req, 0, sizeof(req));
	req.platform = "test";
	req.team = "t1";
	req.channel = "c1";
	req.user = user;
	req.user_name = user;
	req.is_admin = admin;
	req.now = now;
	if (line[0] == '/') {
		size_t n = strcspn(line + 1, " ");
		snprintf(cmd, sizeof(cmd), "%.*s", (int)n, line + 1);
		req.command = cmd;
		req.args = line + 1 + n + (line[1 + n] == ' ');
	} else {
		req.action = line;
		req.input = input;
	}
	reply_cleanup(&out);
	reply_init(&out);
	engine_handle(eng, &req, &out);
	return buf_str(&out.text);
}

/* The id of the last reply's button with this label ("" when there is none). */
static const char *button_id(const char *label)
{
	static char id[REPLY_URL_MAX];
	size_t i;

	id[0] = '\0';
	for (i = 0; i < out.nbuttons; i++)
		if (strcmp(out.buttons[i].label, label) == 0)
			snprintf(id, sizeof(id), "%s", out.buttons[i].id);
	return id;
}

/* The user's points on the team's all-time board (0 when unranked). */
static int64_t points_of(const char *user)
{
	struct store_user u;
	int64_t pts = 0;
	int rank = 0;

	store_user_ensure(store, "test", "t1", user, user, T0, &u);
	if (store_score_rank(store, u.team_id, "all", u.id, &rank, &pts) != BOT_OK)
		return 0;
	return pts;
}

/* Covers point 1 of beta-one and says point 2 in words the grader does not know. */
static const char *KEEPS = "On a miss the app falls back to the database and keeps a copy of the "
                           "row in the cache.";

/* ann answers beta-one with KEEPS and challenges point 2; the Challenge button's id into id. */
static void challenge_point_2(int64_t now, char *id, size_t size)
{
	char line[256];

	snprintf(line, sizeof(line), "/answer id:beta-one %s", KEEPS);
	run_req("ann", false, line, NULL, now);
	snprintf(id, size, "%s", button_id("Challenge"));
	run_req("ann", false, id, NULL, now + 1);
	run_req("ann", false, button_id("I covered point 2"), NULL, now + 2);
}

/* Every graded reply quotes what the grader heard for each covered point, escaped. */
static void test_matched_words_shown(void)
{
	const char *t;

	fresh();
	t = run("/answer id:beta-one On a miss the app **falls** back to the `database`. "
	        "Subsequent reads are served from memory.",
	        T0);
	/* From the first matched word to the last, the markers between them escaped. */
	CHECK_CONTAINS(t, "✅ On a miss the application loads the value from the database — "
	                  "heard “falls\\*\\* back to the \\`database”");
	CHECK_CONTAINS(t, "✅ Later reads are served from memory — heard “Subsequent reads are "
	                  "served from memory”");
	CHECK_NOT_CONTAINS(t, "❌ The loaded value is written into the cache —");
	CHECK(strncmp(button_id("Challenge"), "1:challenge:", 12) == 0);
	/* A follow-up's reply quotes its rubric's matches too. */
	t = run_as("ann", "t1", "1:followup:beta-one:1", "Both readers load it from the database.",
	           T0 + 60);
	CHECK_CONTAINS(t, "heard “Both readers load it from the database”");
	/* Everything covered: nothing to challenge. */
	run_as("ann", "t1", "answer:beta-one", STRONG, T0 + 120);
	CHECK_STR(button_id("Challenge"), "");
}

/*
 * Accepted: the point is credited, the answer rescored and stored, the
 * leaderboard corrected exactly once (pressed twice, by two reviewers),
 * the ruling stored and the user told once, on their next private reply.
 */
static void test_challenge_accepted_once(void)
{
	char challenge[128], accept[128];
	const char *t;

	fresh();
	challenge_point_2(T0, challenge, sizeof(challenge));
	CHECK_CONTAINS(buf_str(&out.text), "Challenge #1 sent");
	CHECK_CONTAINS(buf_str(&out.text), "point 2");
	CHECK(out.ephemeral);
	CHECK_INT(points_of("ann"), 25);
	run_admin("/reviewers add @rev", T0 + 5);
	t = run_req("boss", true, "/review", NULL, T0 + 10);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "Challenge #1");
	CHECK_CONTAINS(t, "What does a cache do on a miss in the beta-one scenario?");
	CHECK_CONTAINS(t, "_Point 2 they say they covered:_ The loaded value is written into the "
	                  "cache");
	CHECK_CONTAINS(t, "keeps a copy of the row in the cache");
	CHECK_CONTAINS(t, "— heard “falls back to the database”");
	snprintf(accept, sizeof(accept), "%s", button_id("Accept #1"));
	CHECK_STR(accept, "1:rule:1:accept");
	CHECK_STR(button_id("Reject #1"), "1:rule:1:reject");
	t = run_req("boss", true, accept, NULL, T0 + 20);
	CHECK_CONTAINS(t, "**Accepted** challenge #1 of ann's answer to `beta-one`");
	CHECK_CONTAINS(t, "now scores 50/100 (was 25), +25 points");
	CHECK_INT(points_of("ann"), 50);
	/* Pressed again, or by a second reviewer: nothing changes. */
	t = run_req("boss", true, accept, NULL, T0 + 21);
	CHECK_CONTAINS(t, "was accepted already, by you; nothing was changed");
	t = run_req("rev", false, "1:rule:1:reject", NULL, T0 + 22);
	CHECK_CONTAINS(t, "was accepted already, by boss");
	CHECK_INT(points_of("ann"), 50);
	CHECK_CONTAINS(run("/leaderboard all", T0 + 23), "ann — 50");
	/* The answer is stored rescored; the ruling with its reviewer and time. */
	{
		struct store_challenge c;
		struct store_answer_row *a = xmalloc(sizeof(*a));
		CHECK_INT(store_challenge_get(store, 1, &c), BOT_OK);
		CHECK_INT(store_answer_get(store, c.answer_id, a), BOT_OK);
		CHECK_INT(a->score, 50);
		CHECK_INT(a->covered, 0x3);
		CHECK_INT(a->points, 50);
		free(a);
		CHECK_INT(c.status, STORE_ACCEPTED);
		CHECK_STR(c.reviewer_name, "boss");
		CHECK_INT(c.ruled_at, T0 + 20);
		CHECK_INT(c.points_delta, 25);
	}
	/* ann hears it on her next private reply, once. */
	t = run("/stats", T0 + 30);
	CHECK_CONTAINS(t, "A reviewer accepted your challenge** of `beta-one`: point 2");
	CHECK_CONTAINS(t, "now scores 50/100 (was 25), +25 points");
	CHECK_NOT_CONTAINS(run("/stats", T0 + 31), "A reviewer accepted");
	/* The queue is empty now. */
	CHECK_CONTAINS(run_req("boss", true, "/review", NULL, T0 + 40), "No challenges are open");
}

/* A long answer is shown to the reviewer cut, at a word, with its end marked. */
static void test_review_cuts_a_long_answer(void)
{
	char *line = xmalloc(5000);
	const char *t;
	int n;

	fresh();
	n = snprintf(line, 5000, "/answer id:beta-one %s", KEEPS);
	for (int i = 0; i < 60; i++)
		n += snprintf(line + n, 5000 - (size_t)n, " The row stays there for a while.");
	snprintf(line + n, 5000 - (size_t)n, " THE-END");
	run_req("ann", false, line, NULL, T0);
	run_req("ann", false, button_id("Challenge"), NULL, T0 + 1);
	run_req("ann", false, button_id("I covered point 2"), NULL, T0 + 2);
	t = run_req("boss", true, "/review", NULL, T0 + 3);
	CHECK_CONTAINS(t, "The row stays …”"); /* 500 characters, at a space */
	CHECK_NOT_CONTAINS(t, "THE-END");
	CHECK_CONTAINS(t, "— heard “falls back to the database”");
	free(line);
}

/* Rejected: stored, nothing corrected, the user told. */
static void test_challenge_rejected(void)
{
	char challenge[128];
	const char *t;

	fresh();
	challenge_point_2(T0, challenge, sizeof(challenge));
	t = run_req("boss", true, "1:rule:1:reject", NULL, T0 + 10);
	CHECK_CONTAINS(t, "**Rejected** challenge #1");
	CHECK_CONTAINS(t, "the grade stands");
	CHECK_CONTAINS(run_req("boss", true, "1:rule:1:accept", NULL, T0 + 11), "was rejected "
	                                                                        "already");
	CHECK_INT(points_of("ann"), 25);
	t = run("/stats", T0 + 20);
	CHECK_CONTAINS(t, "A reviewer kept the grade** of your answer to `beta-one`: point 2");
	CHECK_CONTAINS(t, "https://drill.example/q/beta-one");
	/* The point cannot be challenged again. */
	t = run_req("ann", false, challenge, NULL, T0 + 30);
	CHECK_CONTAINS(t, "_(challenged: rejected)_");
	CHECK_STR(button_id("I covered point 2"), "");
	{
		char again[160];
		snprintf(again, sizeof(again), "%s:2", challenge);
		CHECK_CONTAINS(run_req("ann", false, again, NULL, T0 + 31),
		               "an answer is challenged once per point");
	}
}

/* Only reviewers see and rule; admins manage the list; a non-reviewer is refused. */
static void test_review_permissions(void)
{
	char challenge[128];
	const char *t;

	fresh();
	challenge_point_2(T0, challenge, sizeof(challenge));
	t = run_req("zed", false, "/review", NULL, T0 + 10);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "Only the team's reviewers rule on challenged grades");
	CHECK_CONTAINS(run_req("zed", false, "1:rule:1:accept", NULL, T0 + 11),
	               "Only the team's reviewers");
	CHECK_CONTAINS(run_req("zed", false, "/reviewers add @zed", NULL, T0 + 12),
	               "`/reviewers` is for team admins");
	CHECK_INT(points_of("ann"), 25);
	t = run_admin("/reviewers add @zed", T0 + 20);
	CHECK_CONTAINS(t, "`zed`) is now a reviewer");
	CHECK_CONTAINS(run_admin("/reviewers add @zed", T0 + 21), "was already a reviewer");
	CHECK_CONTAINS(run_admin("/reviewers", T0 + 22), "and: zed (`zed`)");
	CHECK_CONTAINS(run_req("zed", false, "/review", NULL, T0 + 23), "Challenge #1");
	CHECK_CONTAINS(run_admin("/reviewers remove @zed", T0 + 24), "is no longer a reviewer");
	CHECK_CONTAINS(run_admin("/reviewers remove @nobody", T0 + 25), "was not on the list");
	CHECK_CONTAINS(run_admin("/reviewers add", T0 + 26), "Name the member to add");
	CHECK_CONTAINS(run_admin("/reviewers add <#C1>", T0 + 27), "is not a user");
	CHECK_CONTAINS(run_req("zed", false, "/review", NULL, T0 + 28),
	               "Only the team's reviewers");
	/* Another team's reviewer cannot rule on this team's challenge. */
	{
		struct request req;
		memset(&req, 0, sizeof(req));
		req.platform = "test";
		req.team = "t2";
		req.channel = "c9";
		req.user = "other";
		req.user_name = "other";
		req.is_admin = true;
		req.action = "1:rule:1:accept";
		req.now = T0 + 30;
		reply_cleanup(&out);
		reply_init(&out);
		engine_handle(eng, &req, &out);
		CHECK_CONTAINS(buf_str(&out.text), "That challenge no longer exists");
	}
	CHECK_INT(points_of("ann"), 25);
}

/* A reviewer never rules on their own answer; the queue leaves it out. */
static void test_no_self_review(void)
{
	char line[256];
	const char *t;

	fresh();
	snprintf(line, sizeof(line), "/answer id:beta-one %s", KEEPS);
	run_req("boss", true, line, NULL, T0);
	run_req("boss", true, button_id("Challenge"), NULL, T0 + 1);
	t = run_req("boss", true, button_id("I covered point 2"), NULL, T0 + 2);
	CHECK_CONTAINS(t, "Challenge #1 sent");
	t = run_req("boss", true, "/review", NULL, T0 + 3);
	CHECK_CONTAINS(t, "The 1 open challenge is your own; another reviewer rules on it");
	CHECK_INT(out.nbuttons, 0);
	t = run_req("boss", true, "1:rule:1:accept", NULL, T0 + 4);
	CHECK_CONTAINS(t, "nobody rules on their own");
	CHECK_INT(points_of("boss"), 25);
	/* Another admin may. */
	CHECK_CONTAINS(run_req("chief", true, "1:rule:1:accept", NULL, T0 + 5), "**Accepted**");
	CHECK_INT(points_of("boss"), 50);
}

/* At most 3 open; a covered point, another's answer and a DM are refused clearly. */
static void test_challenge_limits(void)
{
	char challenge[128], id[160], line[256];
	const char *t;

	fresh();
	/* Three missed points of one answer (KEEPS covers only point 1 of 4). */
	snprintf(line, sizeof(line), "/answer id:beta-one %s", KEEPS);
	run_req("ann", false, line, NULL, T0);
	snprintf(challenge, sizeof(challenge), "%s", button_id("Challenge"));
	t = run_req("ann", false, challenge, NULL, T0 + 1);
	CHECK_CONTAINS(t, "**Which key point did your answer to `beta-one` cover?**");
	CHECK_NOT_CONTAINS(t, "**1.**"); /* covered: not offered */
	CHECK_INT(out.nbuttons, 3);
	for (int p = 2; p <= 4; p++) {
		snprintf(id, sizeof(id), "%s:%d", challenge, p);
		CHECK_CONTAINS(run_req("ann", false, id, NULL, T0 + 2 + p), "sent");
	}
	snprintf(id, sizeof(id), "%s:1", challenge);
	CHECK_CONTAINS(run_req("ann", false, id, NULL, T0 + 10), "is covered already");
	/* A fourth: another answer, refused at the button and at the point. */
	run_req("ann", false, "/answer id:alpha-one The cache is checked first and then the db.",
	        NULL, T0 + 20);
	snprintf(challenge, sizeof(challenge), "%s", button_id("Challenge"));
	CHECK(challenge[0] != '\0');
	CHECK_CONTAINS(run_req("ann", false, challenge, NULL, T0 + 21),
	               "You have 3 challenges open, the most at a time");
	snprintf(id, sizeof(id), "%s:1", challenge);
	CHECK_CONTAINS(run_req("ann", false, id, NULL, T0 + 22), "You have 3 challenges open");
	/* Someone else's answer. */
	CHECK_CONTAINS(run_req("zed", false, id, NULL, T0 + 23),
	               "only the grades of your own answers");
	/* After a ruling there is room again. */
	run_req("boss", true, "1:rule:1:reject", NULL, T0 + 30);
	CHECK_CONTAINS(run_req("ann", false, id, NULL, T0 + 31), "Challenge #4 sent");
	/* A stale or forged id; a follow-up's answer. */
	CHECK_CONTAINS(run_req("ann", false, "1:challenge:999", NULL, T0 + 40),
	               "That answer is no longer stored");
	run_req("ann", false, "1:followup:beta-one:1", "Both readers load it from the database.",
	        T0 + 41);
	CHECK_STR(button_id("Challenge"), ""); /* no points at stake: no button */
	CHECK_CONTAINS(run_req("ann", false, "1:challenge:3", NULL, T0 + 42),
	               "follow-ups earn no points");
	/* A Discord DM is a team of one: no button, and the action says why. */
	{
		struct request req;
		memset(&req, 0, sizeof(req));
		req.platform = "test";
		req.team = "dm:ann";
		req.channel = "d1";
		req.user = "ann";
		req.user_name = "ann";
		req.is_dm = req.personal = true;
		req.command = "answer";
		req.args = line + strlen("/answer ");
		req.now = T0 + 50;
		reply_cleanup(&out);
		reply_init(&out);
		engine_handle(eng, &req, &out);
		CHECK_CONTAINS(buf_str(&out.text), "Score: 25/100");
		CHECK_STR(button_id("Challenge"), "");
	}
}

/* A zero that earned nothing for its score alone earns once a point is credited. */
static void test_challenge_of_a_zero(void)
{
	const char *t;

	fresh();
	run_req("ann", false,
	        "/answer id:beta-one We keep a copy of the row in the cache for later.", NULL, T0);
	CHECK_CONTAINS(buf_str(&out.text), "Score: 0/100");
	run_req("ann", false, button_id("Challenge"), NULL, T0 + 1);
	run_req("ann", false, button_id("I covered point 2"), NULL, T0 + 2);
	t = run_req("boss", true, "1:rule:1:accept", NULL, T0 + 3);
	CHECK_CONTAINS(t, "now scores 25/100 (was 0), +25 points");
	CHECK_INT(points_of("ann"), 25);
}

/* ---- privacy on the board (issue 22) ---- */

/* Any request: a command ("/x ...") or an action id, by user on platform, admin or not. */
static const char *ask(const char *platform, const char *user, bool admin, const char *line,
                       const char *input, int64_t now)
{
	struct request req;
	char cmd[64] = "";
	size_t n = strcspn(line + 1, " ");

	memset(&req, 0, sizeof(req));
	req.platform = platform;
	req.team = "t1";
	req.channel = "c1";
	req.user = user;
	req.user_name = user;
	req.is_admin = admin;
	req.now = now;
	if (line[0] == '/') {
		snprintf(cmd, sizeof(cmd), "%.*s", (int)n, line + 1);
		req.command = cmd;
		req.args = line + 1 + n + (line[1 + n] == ' ');
	} else {
		req.action = line;
		req.input = input;
	}
	reply_cleanup(&out);
	reply_init(&out);
	engine_handle(eng, &req, &out);
	return buf_str(&out.text);
}

/* The team page (/team/<token>) as the web server renders it at now; "" when it is not 200. */
static const char *team_page(const char *token, int64_t now)
{
	struct progress_deps d = {&bank, NULL, "UTC", now};
	struct html h = {&web_out, false, "/"};
	char path[LINK_TOKEN_MAX + 8];

	d.store = store;
	buf_reset(&web_out);
	snprintf(path, sizeof(path), "/team/%s", token);
	return progress_render(&d, &h, path) == 200 ? buf_str(&web_out) : "";
}

/* The daily post of channel c1 at now (recapping the one before), into r. */
static const char *daily_at(struct reply *r, int64_t now)
{
	struct engine_post p = {ENGINE_POST_DAILY, "test", "t1", "c1", now, 0};

	reply_reset(r);
	if (engine_post(eng, &p, r) != BOT_OK)
		return "";
	return buf_str(&r->text);
}

/* That day's daily post rendered again, as a restart does, with today's names. */
static const char *daily_again(struct reply *r, int64_t now)
{
	struct engine_post p = {ENGINE_POST_DAILY, "test", "t1", "c1", now, 0};

	reply_reset(r);
	if (engine_post_again(eng, &p, "beta-one", r) != BOT_OK)
		return "";
	return buf_str(&r->text);
}

/* The channel's drill on beta (one question, beta-one), posted at T0; ann and bo answer it. */
static void daily_beta_answered(struct reply *r)
{
	run_admin("/daily on topics:beta", T0);
	daily_at(r, T0);
	run_as("ann", "t1", "1:answer:beta-one", STRONG, T0 + 60);
	run_as("bo", "t1", "1:answer:beta-one", STRONG, T0 + 120);
}

/* A hidden user keeps streaks, stats and their own rank, privately, and is on no board. */
static void test_hidden_on_no_board(void)
{
	char team[LINK_TOKEN_MAX];
	struct reply r;
	const char *t;

	fresh();
	reply_init(&r);
	t = run("/settings leaderboard hide", T0);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "You keep your place private now");
	CHECK_CONTAINS(run("/settings", T0), "`/settings leaderboard show` puts you back on it");
	daily_beta_answered(&r);
	/* bo's board: bo first, ann not named but counted. */
	t = run_as("bo", "t1", "/leaderboard", NULL, T0 + 200);
	CHECK(!out.ephemeral);
	CHECK_CONTAINS(t, "1. bo — 110\n…and 1 player who keeps their place private.");
	CHECK_NOT_CONTAINS(t, "ann");
	CHECK_CONTAINS(t, "You: #1 with 110 points.");
	CHECK_CONTAINS(t, "Beta Things: 1/1 (100%)"); /* coverage is anonymous: ann's counts */
	page_token("team", team);
	/* ann's: her rank where she would stand, in a reply only she sees. */
	t = run("/leaderboard all", T0 + 200);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "1. bo — 110\n…and 1 player");
	CHECK_NOT_CONTAINS(t, "ann —");
	CHECK_CONTAINS(t, "You: #1 with 110 points (only you see this");
	t = run("/stats", T0 + 200);
	CHECK_CONTAINS(t, "Streak: 1 day");
	CHECK_CONTAINS(t, "Answers this week: 1");
	CHECK_CONTAINS(t, "Beta Things: 100% (1 answer)");
	/* The team page and the next day's recap name bo only. */
	t = team_page(team, T0 + 200);
	CHECK_CONTAINS(t, "<td>bo</td>");
	CHECK_NOT_CONTAINS(t, "<td>ann</td>");
	CHECK_CONTAINS(t, "…and 1 player who keeps their place private.");
	t = daily_at(&r, T0 + DAY);
	CHECK_CONTAINS(t, "2 answered, average score 100. Best: bo 100.");
	CHECK_CONTAINS(t, "**Streaks:** bo 1 day");
	CHECK_NOT_CONTAINS(t, "ann ");
	/* show: back on every board. */
	CHECK_CONTAINS(run("/settings leaderboard show", T0 + DAY), "You are on the board again");
	t = run_as("bo", "t1", "/leaderboard all", NULL, T0 + DAY);
	CHECK_CONTAINS(t, "1. ann — 110\n2. bo — 110\n\nYou: #2");
	CHECK_NOT_CONTAINS(t, "private");
	run("/leaderboard", T0 + DAY);
	CHECK(!out.ephemeral);
	CHECK_CONTAINS(team_page(team, T0 + DAY), "<td>ann</td>");
	t = daily_again(&r, T0 + DAY);
	CHECK_CONTAINS(t, "Best: ann 100 · bo 100.");
	CHECK_CONTAINS(t, "**Streaks:** ann 1 day · bo 1 day");
	reply_cleanup(&r);
}

/* /leaderboard off and on: admins only; off, no board or recap names anyone. */
static void test_board_off_and_on(void)
{
	char team[LINK_TOKEN_MAX];
	struct reply r;
	const char *t;

	fresh();
	reply_init(&r);
	daily_beta_answered(&r);
	t = run("/leaderboard off", T0 + 200);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "Only a team admin can turn the leaderboard off or on or reset it");
	CHECK_CONTAINS(t, "Manage Server");
	t = run("/leaderboard", T0 + 200);
	CHECK_CONTAINS(t, "1. ann — 110\n2. bo — 110"); /* nothing changed */
	page_token("team", team);
	CHECK_CONTAINS(run_admin("/leaderboard off", T0 + 200),
	               "The leaderboard is off for the team");
	CHECK(out.ephemeral);
	t = run_as("bo", "t1", "/leaderboard all", NULL, T0 + 200);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "The team's admins turned the leaderboard off");
	CHECK_CONTAINS(t, "you have 110 in this period");
	CHECK_NOT_CONTAINS(t, "ann");
	CHECK_NOT_CONTAINS(t, "#1");
	CHECK_CONTAINS(t, "Beta Things: 1/1 (100%)");
	t = team_page(team, T0 + 200);
	CHECK_CONTAINS(t, "The team's admins turned the leaderboard off");
	CHECK_NOT_CONTAINS(t, "<td>");
	t = daily_at(&r, T0 + DAY);
	CHECK_CONTAINS(t, "2 answered, average score 100.");
	CHECK_NOT_CONTAINS(t, "Best:");
	CHECK_NOT_CONTAINS(t, "Streaks");
	CHECK_CONTAINS(run("/leaderboard on", T0 + DAY), "Only a team admin");
	CHECK_CONTAINS(run("/leaderboard", T0 + DAY), "turned the leaderboard off");
	CHECK_CONTAINS(run_admin("/leaderboard on", T0 + DAY), "The leaderboard is on again");
	CHECK_CONTAINS(run("/leaderboard", T0 + DAY), "1. ann — 110\n2. bo — 110");
	CHECK_CONTAINS(team_page(team, T0 + DAY), "<td>ann</td>");
	CHECK_CONTAINS(daily_again(&r, T0 + DAY), "Best: ann 100 · bo 100.");
	CHECK_CONTAINS(run_admin("/leaderboard off week", T0 + DAY), "takes no period");
	reply_cleanup(&r);
}

/* Reads what the logger wrote to f since it was set, as a string (static). */
static const char *log_text(FILE *f)
{
	static char text[8192];
	size_t n;

	fflush(f);
	rewind(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	return text;
}

/* /leaderboard reset: admins only, asked first; cancel changes nothing; a new season counts
 * only the points earned after it, and keeps history, streaks and stats. */
static void test_season_reset(void)
{
	struct store_user u;
	struct store_team team;
	FILE *log = tmpfile();
	const char *t;

	fresh();
	run_as("ann", "t1", "answer:beta-one", STRONG, T0);
	t = run("/leaderboard reset", T0 + 10);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "Only a team admin");
	CHECK_INT(out.nbuttons, 0);
	t = run_admin("/leaderboard reset", T0 + 10);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "This starts season 2 for the whole team");
	CHECK_INT(out.nbuttons, 2);
	CHECK_STR(out.buttons[0].id, "1:season:confirm:0");
	CHECK_STR(out.buttons[0].label, "Start a new season");
	CHECK_STR(out.buttons[1].id, "1:season:cancel:0");
	CHECK_STR(out.buttons[1].label, "Cancel");
	CHECK_CONTAINS(ask("test", "boss", true, "1:season:cancel:0", NULL, T0 + 20),
	               "Nothing changed");
	CHECK_CONTAINS(run("/leaderboard all", T0 + 20),
	               "**Leaderboard · all time**\n1. ann — 100");
	/* The button's id sent by someone who is not an admin starts nothing. */
	CHECK_CONTAINS(run("1:season:confirm:0", T0 + 20), "Only a team admin");
	CHECK_CONTAINS(run("/leaderboard all", T0 + 20), "1. ann — 100");
	CHECK(log != NULL);
	log_set_output(log);
	t = ask("test", "boss", true, "1:season:confirm:0", NULL, T0 + 30);
	log_set_output(stderr);
	CHECK_CONTAINS(t, "Done: season 2 started on 2026-11-18");
	CHECK_CONTAINS(log_text(log), "team t1 on test: the board reset by admin boss; season 2");
	fclose(log);
	t = run("/leaderboard all", T0 + 40);
	CHECK_CONTAINS(t, "**Leaderboard · this season**\n_Season 2, since 2026-11-18");
	CHECK_CONTAINS(t, "No points yet");
	CHECK_NOT_CONTAINS(t, "ann —");
	CHECK_CONTAINS(run("/leaderboard week", T0 + 40), "No points yet");
	t = run("/stats", T0 + 40);
	CHECK_CONTAINS(t, "Streak: 1 day");
	CHECK_CONTAINS(t, "Answers this week: 1");
	/* The same button again (a double click, an old message): no third season. */
	CHECK_CONTAINS(
	    ask("test", "boss", true, "1:season:confirm:0", NULL, T0 + 50),
	    "The board was reset already: season 2 began on 2026-11-18. Nothing changed.");
	CHECK_INT(store_user_ensure(store, "test", "t1", "ann", "ann", T0, &u), BOT_OK);
	CHECK_INT(store_team_get(store, u.team_id, &team), BOT_OK);
	CHECK_INT(team.season, 1);
	CHECK_INT(team.season_start, T0 + 30);
	/* Points after the reset only: 100 now, not the 200 of both answers. */
	CHECK_CONTAINS(run_as("ann", "t1", "answer:alpha-one", STRONG, T0 + 60), "**+100 points**");
	CHECK_CONTAINS(run("/leaderboard all", T0 + 70), "1. ann — 100\n");
	CHECK_CONTAINS(run("/leaderboard week", T0 + 70), "1. ann — 100\n");
	/* The old season's points are kept (the export lists them). */
	buf_reset(&web_out);
	CHECK_INT(export_user(store, u.id, T0 + 70, &web_out), BOT_OK);
	t = buf_str(&web_out);
	CHECK_CONTAINS(t, "{\"season\": 0, \"period\": \"all\", \"points\": 100");
	CHECK_CONTAINS(t, "{\"season\": 1, \"period\": \"all\", \"points\": 100");
}

/* "2026-11-18T10:13:20Z", as the export writes a time. */
static const char *iso(int64_t t)
{
	static char s[4][32];
	static int k;
	time_t tt = (time_t)t;
	struct tm tm;

	k = (k + 1) % 4;
	gmtime_r(&tt, &tm);
	strftime(s[k], sizeof(s[k]), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return s[k];
}

static const char *day_text(int d)
{
	static char s[4][16];
	static int k;
	time_t tt = (time_t)d * 86400;
	struct tm tm;

	k = (k + 1) % 4;
	gmtime_r(&tt, &tm);
	strftime(s[k], sizeof(s[k]), "%Y-%m-%d", &tm);
	return s[k];
}

#define J_STR(o, key)  json_string_value(json_object_get((o), (key)))
#define J_INT(o, key)  json_integer_value(json_object_get((o), (key)))
#define J_NUM(o, key)  json_number_value(json_object_get((o), (key)))
#define COL_STR(st, i) ((const char *)sqlite3_column_text((st), (i)))

/* Runs sql with ?1 = user; every row must match the next element of arr, by check(). */
static int rows_match(sqlite3 *db, const char *sql, int64_t user, json_t *arr,
                      int (*check)(sqlite3_stmt *st, json_t *o))
{
	sqlite3_stmt *st = NULL;
	size_t i = 0;
	int bad = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, user);
	while (sqlite3_step(st) == SQLITE_ROW && bad == 0) {
		json_t *o = json_array_get(arr, i++);
		bad = o == NULL ? 1000 + (int)i : check(st, o);
	}
	sqlite3_finalize(st);
	if (bad == 0 && i != json_array_size(arr))
		bad = 2000 + (int)json_array_size(arr);
	return bad;
}

/* Each returns 0 when the export's element is the row, else the first field that differs. */
static int answer_is(sqlite3_stmt *st, json_t *o)
{
	json_t *cov = json_object_get(o, "covered");
	int64_t covered = sqlite3_column_int64(st, 5), bits = 0;
	size_t i;

	for (i = 0; i < json_array_size(cov); i++)
		bits |= (int64_t)1 << json_integer_value(json_array_get(cov, i));
	if (J_INT(o, "id") != sqlite3_column_int64(st, 0))
		return 1;
	if (strcmp(J_STR(o, "question"), COL_STR(st, 1)) != 0)
		return 2;
	if (strcmp(J_STR(o, "topic"), COL_STR(st, 2)) != 0)
		return 3;
	if (strcmp(J_STR(o, "text"), COL_STR(st, 3)) != 0)
		return 4;
	if (J_INT(o, "score") != sqlite3_column_int(st, 4) || bits != covered)
		return 5;
	if (sqlite3_column_type(st, 6) == SQLITE_NULL
	        ? !json_is_null(json_object_get(o, "self_grade"))
	        : J_STR(o, "self_grade") == NULL ||
	              strcmp(J_STR(o, "self_grade"),
	                     srs_grade_name((enum srs_grade)sqlite3_column_int(st, 6))) != 0)
		return 6;
	if (strcmp(J_STR(o, "at"), iso(sqlite3_column_int64(st, 7))) != 0 ||
	    strcmp(J_STR(o, "day"), day_text(sqlite3_column_int(st, 8))) != 0)
		return 7;
	if (J_INT(o, "points") != sqlite3_column_int(st, 9) ||
	    J_INT(o, "copied") != sqlite3_column_int(st, 10))
		return 8;
	if (sqlite3_column_type(st, 11) == SQLITE_NULL
	        ? !json_is_null(json_object_get(o, "matched"))
	        : J_STR(o, "matched") == NULL || strcmp(J_STR(o, "matched"), COL_STR(st, 11)) != 0)
		return 9;
	return json_object_size(o) == 12 ? 0 : 10;
}

/* A time column that may be NULL against the export's time or null. */
static bool when_is(sqlite3_stmt *st, int col, json_t *v)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_is_null(v);
	return json_is_string(v) &&
	       strcmp(json_string_value(v), iso(sqlite3_column_int64(st, col))) == 0;
}

/* An integer column that may be NULL against the export's number or null. */
static bool int_is(sqlite3_stmt *st, int col, json_t *v)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_is_null(v);
	return json_is_integer(v) && json_integer_value(v) == sqlite3_column_int64(st, col);
}

static int challenge_is(sqlite3_stmt *st, json_t *o)
{
	if (J_INT(o, "id") != sqlite3_column_int64(st, 0) ||
	    J_INT(o, "answer") != sqlite3_column_int64(st, 1))
		return 1;
	if (strcmp(J_STR(o, "question"), COL_STR(st, 2)) != 0 ||
	    J_INT(o, "point") != sqlite3_column_int(st, 3) ||
	    strcmp(J_STR(o, "point_text"), COL_STR(st, 4)) != 0)
		return 2;
	if (strcmp(J_STR(o, "status"), COL_STR(st, 5)) != 0 ||
	    strcmp(J_STR(o, "at"), iso(sqlite3_column_int64(st, 6))) != 0 ||
	    !when_is(st, 7, json_object_get(o, "ruled_at")))
		return 3;
	if (!int_is(st, 8, json_object_get(o, "score_before")) ||
	    !int_is(st, 9, json_object_get(o, "score_after")) ||
	    !int_is(st, 10, json_object_get(o, "points_delta")))
		return 4;
	return json_object_size(o) == 11 ? 0 : 5;
}

static int ruling_is(sqlite3_stmt *st, json_t *o)
{
	if (J_INT(o, "challenge") != sqlite3_column_int64(st, 0) ||
	    strcmp(J_STR(o, "question"), COL_STR(st, 1)) != 0 ||
	    J_INT(o, "point") != sqlite3_column_int(st, 2))
		return 1;
	if (strcmp(J_STR(o, "ruling"), COL_STR(st, 3)) != 0 ||
	    !when_is(st, 4, json_object_get(o, "at")))
		return 2;
	return json_object_size(o) == 5 ? 0 : 3;
}

static void first_answer_id(const struct store_user_answer *r, void *arg)
{
	int64_t *id = arg;

	if (*id == 0)
		*id = r->id;
}

/*
 * ann (console) challenges point 3 of her first answer, still open; bo's
 * first answer has a challenge ann accepted; ann is one of the reviewers.
 */
static int seed_challenges(int64_t now)
{
	struct store_user ann, bo;
	struct store_challenge c;
	int64_t mine = 0, his = 0;
	bool ok = false;
	int rc = store_user_ensure(store, "console", "t1", "ann", "ann", now, &ann);

	if (rc == BOT_OK)
		rc = store_user_ensure(store, "console", "t1", "bo", "bo", now, &bo);
	if (rc == BOT_OK)
		rc = store_answer_each(store, ann.id, first_answer_id, &mine);
	if (rc == BOT_OK)
		rc = store_answer_each(store, bo.id, first_answer_id, &his);
	if (rc != BOT_OK || mine == 0 || his == 0)
		return rc != BOT_OK ? rc : BOT_ENOENT;
	memset(&c, 0, sizeof(c));
	c.answer_id = mine;
	c.team_id = ann.team_id;
	c.user_id = ann.id;
	snprintf(c.question_id, sizeof(c.question_id), "beta-one");
	c.point = 3;
	snprintf(c.point_text, sizeof(c.point_text), "Entries \"expire\" after a TTL");
	c.npoints = 4;
	c.created_at = now;
	rc = store_challenge_add(store, &c);
	c.answer_id = his;
	c.user_id = bo.id;
	c.point = 1;
	c.created_at = now + 1;
	if (rc == BOT_OK)
		rc = store_challenge_add(store, &c);
	c.status = STORE_ACCEPTED;
	c.reviewer_id = ann.id;
	c.ruled_at = now + 2;
	c.score_before = 25;
	c.score_after = 50;
	c.points_delta = 25;
	if (rc == BOT_OK)
		rc = store_challenge_rule(store, &c, &ok);
	if (rc == BOT_OK)
		rc = store_reviewer_add(store, ann.team_id, ann.id, now, &ok);
	return rc;
}

static int review_is(sqlite3_stmt *st, json_t *o)
{
	if (strcmp(J_STR(o, "question"), COL_STR(st, 0)) != 0)
		return 1;
	if (J_NUM(o, "stability") != sqlite3_column_double(st, 1) ||
	    J_NUM(o, "difficulty") != sqlite3_column_double(st, 2))
		return 2;
	if (J_INT(o, "reps") != sqlite3_column_int(st, 3) ||
	    J_INT(o, "lapses") != sqlite3_column_int(st, 4) ||
	    J_INT(o, "interval_days") != sqlite3_column_int(st, 5))
		return 3;
	if (strcmp(J_STR(o, "last_review"), iso(sqlite3_column_int64(st, 6))) != 0 ||
	    strcmp(J_STR(o, "due"), iso(sqlite3_column_int64(st, 7))) != 0)
		return 4;
	return json_object_size(o) == 8 ? 0 : 5;
}

static int qid_at_is(sqlite3_stmt *st, json_t *o)
{
	if (strcmp(J_STR(o, "question"), COL_STR(st, 0)) != 0)
		return 1;
	if (strcmp(J_STR(o, "at"), iso(sqlite3_column_int64(st, 1))) != 0)
		return 2;
	return json_object_size(o) == 2 ? 0 : 3;
}

static int served_is(sqlite3_stmt *st, json_t *o)
{
	if (strcmp(J_STR(o, "question"), COL_STR(st, 0)) != 0 ||
	    strcmp(J_STR(o, "reason"), COL_STR(st, 1)) != 0)
		return 1;
	if (strcmp(J_STR(o, "at"), iso(sqlite3_column_int64(st, 2))) != 0)
		return 2;
	return json_object_size(o) == 3 ? 0 : 3;
}

static int topic_is(sqlite3_stmt *st, json_t *o)
{
	if (strcmp(J_STR(o, "topic"), COL_STR(st, 0)) != 0 ||
	    J_NUM(o, "mastery") != sqlite3_column_double(st, 1))
		return 1;
	if (J_INT(o, "answers") != sqlite3_column_int(st, 2) ||
	    J_INT(o, "round") != sqlite3_column_int(st, 3))
		return 2;
	return json_object_size(o) == 4 ? 0 : 3;
}

static int points_is(sqlite3_stmt *st, json_t *o)
{
	if (J_INT(o, "season") != sqlite3_column_int(st, 0) ||
	    strcmp(J_STR(o, "period"), COL_STR(st, 1)) != 0)
		return 1;
	if (J_INT(o, "points") != sqlite3_column_int64(st, 2) ||
	    strcmp(J_STR(o, "reached_at"), iso(sqlite3_column_int64(st, 3))) != 0)
		return 2;
	return json_object_size(o) == 4 ? 0 : 3;
}

static int day_is(sqlite3_stmt *st, json_t *o)
{
	if (strcmp(J_STR(o, "day"), day_text(sqlite3_column_int(st, 0))) != 0)
		return 1;
	if (J_INT(o, "answers") != sqlite3_column_int(st, 1) ||
	    J_INT(o, "score_sum") != sqlite3_column_int(st, 2))
		return 2;
	return json_object_size(o) == 3 ? 0 : 3;
}

/* The JSON between "```json\n" and the closing fence of the last reply, parsed. */
static json_t *reply_json(void)
{
	const char *t = buf_str(&out.text), *a = strstr(t, "```json\n"), *b;
	json_error_t err;

	if (a == NULL)
		return NULL;
	a += 8;
	b = strstr(a, "```");
	return b != NULL ? json_loadb(a, (size_t)(b - a), 0, &err) : NULL;
}

/* /export-me in the console: the whole export, field by field what the file holds. */
static void test_export_matches_store(void)
{
	struct engine_opts o = {"https://drill.example/", "UTC", 42, 0.9, false, NULL};
	const char *path = NULL, *odd = "On a miss we read the \"DB\" \\ then `store` it in the "
	                                "cache — é.\nLater reads are served from memory until the "
	                                "entry expires once its TTL runs out.";
	char dbpath[512];
	struct buf err;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	json_t *j = NULL, *set, *streak;
	int64_t user = 0;
	const char *keys[] = {"format", "version", "exported_at", "settings", "streak",
	                      "days",   "answers", "reviews",     "reveals",  "served",
	                      "topics", "points",  "challenges",  "rulings"};
	size_t i;

	engine_free(eng);
	store_close(store);
	snprintf(dbpath, sizeof(dbpath), "%s/export.db", t_tmpdir());
	path = dbpath;
	buf_init(&err, 512);
	CHECK_INT(store_open(&store, path, &err), BOT_OK);
	buf_cleanup(&err);
	eng = engine_new(&bank, store, &o);
	/* A seeded user: a zone, a served question, an answer with every awkward
	 * character, a Reveal and a self-grade, a second day, a hidden place. */
	ask("console", "ann", true, "/settings timezone Asia/Tokyo", NULL, T0);
	ask("console", "ann", true, "/question beta", NULL, T0);
	CHECK_CONTAINS(ask("console", "ann", true, "answer:beta-one", odd, T0 + 10), "Score:");
	ask("console", "ann", true, "reveal:beta-one", NULL, T0 + 20);
	ask("console", "ann", true, "grade:beta-one:good", NULL, T0 + 30);
	ask("console", "ann", true, "answer:alpha-one", STRONG, T0 + DAY);
	ask("console", "ann", true, "/settings leaderboard hide", NULL, T0 + DAY);
	/* A grade ann challenged, one of bo's she ruled on, and her reviewer's role. */
	ask("console", "bo", false, "answer:beta-one",
	    "On a miss the app falls back to the database.", T0 + DAY);
	CHECK_INT(seed_challenges(T0 + DAY + 1), BOT_OK);
	ask("console", "ann", true, "/export-me", NULL, T0 + DAY + 5);
	CHECK(out.ephemeral);
	CHECK_INT(out.nbuttons, 1); /* the console prints it whole, and links the file too */
	CHECK_STR(out.buttons[0].label, "Download my data");
	CHECK(strncmp(out.buttons[0].id, "https://drill.example/export/", 29) == 0);
	j = reply_json();
	CHECK(j != NULL);
	CHECK_INT(json_object_size(j), UTIL_ARRAY_LEN(keys));
	for (i = 0; i < UTIL_ARRAY_LEN(keys); i++)
		if (json_object_get(j, keys[i]) == NULL)
			T_FAIL("the export has no \"%s\"", keys[i]);
	CHECK_STR(J_STR(j, "format"), "drillbot-export");
	CHECK_INT(J_INT(j, "version"), 1);
	CHECK_STR(J_STR(j, "exported_at"), iso(T0 + DAY + 5));

	CHECK_INT(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	CHECK_INT(
	    sqlite3_prepare_v2(db,
	                       "SELECT u.id, u.name, u.tz, u.board_hidden, u.open_qid, t.platform"
	                       " FROM users u JOIN teams t ON t.id = u.team_id"
	                       " WHERE u.ext_id = 'ann'",
	                       -1, &st, NULL),
	    SQLITE_OK);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	user = sqlite3_column_int64(st, 0);
	set = json_object_get(j, "settings");
	CHECK_STR(J_STR(set, "name"), COL_STR(st, 1));
	CHECK_STR(J_STR(set, "timezone"), COL_STR(st, 2));
	CHECK_STR(J_STR(set, "leaderboard"), sqlite3_column_int(st, 3) ? "hidden" : "shown");
	CHECK_STR(J_STR(set, "platform"), COL_STR(st, 5));
	CHECK(sqlite3_column_type(st, 4) == SQLITE_NULL
	          ? json_is_null(json_object_get(set, "open_question"))
	          : strcmp(J_STR(set, "open_question"), COL_STR(st, 4)) == 0);
	CHECK_INT(json_object_size(set), 6);
	sqlite3_finalize(st);
	st = NULL;
	CHECK_INT(sqlite3_prepare_v2(db, "SELECT count(*) FROM reviewers WHERE user_id = ?1", -1,
	                             &st, NULL),
	          SQLITE_OK);
	sqlite3_bind_int64(st, 1, user);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK(json_is_true(json_object_get(set, "reviewer")) == (sqlite3_column_int(st, 0) > 0));
	CHECK(json_is_true(json_object_get(set, "reviewer")));
	sqlite3_finalize(st);
	st = NULL;
	CHECK_INT(sqlite3_prepare_v2(db,
	                             "SELECT current, best, freezes, last_day FROM streaks"
	                             " WHERE user_id = ?1",
	                             -1, &st, NULL),
	          SQLITE_OK);
	sqlite3_bind_int64(st, 1, user);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	streak = json_object_get(j, "streak");
	CHECK_INT(J_INT(streak, "current"), sqlite3_column_int(st, 0));
	CHECK_INT(J_INT(streak, "best"), sqlite3_column_int(st, 1));
	CHECK_INT(J_INT(streak, "freezes"), sqlite3_column_int(st, 2));
	CHECK_STR(J_STR(streak, "last_day"), day_text(sqlite3_column_int(st, 3)));
	CHECK_INT(J_INT(streak, "current"), 2);
	sqlite3_finalize(st);
	st = NULL;

	CHECK_INT(json_array_size(json_object_get(j, "answers")), 2);
	CHECK_STR(J_STR(json_array_get(json_object_get(j, "answers"), 0), "text"), odd);
	CHECK_INT(rows_match(db,
	                     "SELECT id, question_id, topic, text, score, covered, self_grade,"
	                     " created_at, local_day, points, copied, matched FROM answers"
	                     " WHERE user_id = ?1 ORDER BY created_at, id",
	                     user, json_object_get(j, "answers"), answer_is),
	          0);
	CHECK(J_STR(json_array_get(json_object_get(j, "answers"), 0), "matched") != NULL);
	CHECK_INT(json_array_size(json_object_get(j, "challenges")), 1);
	CHECK_INT(rows_match(db,
	                     "SELECT id, answer_id, question_id, point, point_text, status,"
	                     " created_at, ruled_at, score_before, score_after, points_delta"
	                     " FROM challenges WHERE user_id = ?1 ORDER BY created_at, id",
	                     user, json_object_get(j, "challenges"), challenge_is),
	          0);
	CHECK_INT(json_array_size(json_object_get(j, "rulings")), 1);
	CHECK_INT(rows_match(db,
	                     "SELECT id, question_id, point, status, ruled_at FROM challenges"
	                     " WHERE reviewer_id = ?1 ORDER BY ruled_at, id",
	                     user, json_object_get(j, "rulings"), ruling_is),
	          0);
	CHECK_INT(json_array_size(json_object_get(j, "reviews")), 2);
	CHECK_INT(
	    rows_match(db,
	               "SELECT question_id, stability, difficulty, reps, lapses, interval,"
	               " last_review, due_at FROM srs WHERE user_id = ?1 ORDER BY question_id",
	               user, json_object_get(j, "reviews"), review_is),
	    0);
	CHECK_INT(json_array_size(json_object_get(j, "reveals")), 1);
	CHECK_INT(rows_match(db,
	                     "SELECT question_id, revealed_at FROM reveals WHERE user_id = ?1"
	                     " ORDER BY revealed_at",
	                     user, json_object_get(j, "reveals"), qid_at_is),
	          0);
	CHECK(json_array_size(json_object_get(j, "served")) >= 1);
	CHECK_INT(rows_match(db,
	                     "SELECT question_id, reason, served_at FROM served WHERE user_id = ?1"
	                     " ORDER BY served_at, id",
	                     user, json_object_get(j, "served"), served_is),
	          0);
	CHECK_INT(json_array_size(json_object_get(j, "topics")), 2);
	CHECK_INT(rows_match(db,
	                     "SELECT topic, mastery, answers, round FROM topic_stats"
	                     " WHERE user_id = ?1 ORDER BY mastery, topic",
	                     user, json_object_get(j, "topics"), topic_is),
	          0);
	CHECK(json_array_size(json_object_get(j, "points")) >= 3);
	CHECK_INT(rows_match(db,
	                     "SELECT season, period, points, reached_at FROM scores"
	                     " WHERE user_id = ?1 ORDER BY season, period",
	                     user, json_object_get(j, "points"), points_is),
	          0);
	CHECK_INT(json_array_size(json_object_get(j, "days")), 2);
	CHECK_INT(
	    rows_match(db,
	               "SELECT local_day, count(*), sum(score) FROM answers WHERE user_id = ?1"
	               " GROUP BY local_day ORDER BY local_day",
	               user, json_object_get(j, "days"), day_is),
	    0);
	sqlite3_close(db);
	json_decref(j);
	fresh();
}

/* A short export is a code block; a long one a signed download link that a reset and
 * /forget-me retire. */
static void test_export_link_retired(void)
{
	char tok[LINK_TOKEN_MAX], fresh_tok[LINK_TOKEN_MAX], text[2048];
	struct progress_deps d = {&bank, NULL, "UTC", T0};
	json_t *j;
	int64_t id = 0;
	size_t i;
	const char *t;

	fresh();
	d.store = store;
	t = run_as("zed", "t1", "/export-me", NULL, T0);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "```json\n{\n  \"format\": \"drillbot-export\",\n  \"version\": 1,");
	CHECK_INT(out.nbuttons, 0);
	j = reply_json();
	CHECK(j != NULL);
	CHECK_INT(json_array_size(json_object_get(j, "answers")), 0);
	json_decref(j);
	/* Two long answers make ann's export too long for a message. */
	text[0] = '\0';
	for (i = 0; i < 8; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s ", STRONG);
	run_as("ann", "t1", "answer:beta-one", text, T0);
	run_as("ann", "t1", "answer:alpha-one", text, T0 + 10);
	t = run("/export-me", T0 + 20);
	CHECK(out.ephemeral);
	CHECK_CONTAINS(t, "too long for a message");
	CHECK_NOT_CONTAINS(t, "```");
	page_token("export", tok);
	CHECK(tok[0] != '\0');
	CHECK_STR(out.buttons[0].label, "Download my data");
	CHECK_INT(link_check(store, LINK_EXPORT, tok, &id), BOT_OK);
	CHECK_INT(link_check(store, LINK_ME, tok, &id),
	          BOT_ENOENT); /* a file's link is no page's */
	buf_reset(&web_out);
	CHECK_INT(progress_export(&d, tok, &web_out), 200);
	CHECK(strncmp(buf_str(&web_out), "{\n  \"format\": \"drillbot-export\"", 31) == 0);
	CHECK_CONTAINS(buf_str(&web_out), "\"question\": \"alpha-one\"");
	/* A reset retires it and gives another; /forget-me retires that one. */
	CHECK_CONTAINS(run("/settings links reset", T0 + 30),
	               "/export-me` download link is retired");
	CHECK_INT(link_check(store, LINK_EXPORT, tok, &id), BOT_ENOENT);
	CHECK_INT(progress_export(&d, tok, &web_out), 404);
	CHECK_INT(web_out.len, 0);
	run("/export-me", T0 + 40);
	page_token("export", fresh_tok);
	CHECK(strcmp(fresh_tok, tok) != 0);
	CHECK_INT(progress_export(&d, fresh_tok, &web_out), 200);
	run("1:forget:confirm", T0 + 50);
	CHECK_INT(progress_export(&d, fresh_tok, &web_out), 404);
	run("/stats", T0 + 60); /* ann again, maybe with the same row id */
	CHECK_INT(link_check(store, LINK_EXPORT, fresh_tok, &id), BOT_ENOENT);
}

/* The reveal, which carries the recap when a channel has a reveal time, follows the board:
 * its streak leaders name no hidden player, and nobody while the board is off. */
static void test_reveal_follows_the_board(void)
{
	const int64_t post_at = utc(2026, 10, 25, 8, 0), reveal_at = utc(2026, 10, 25, 16, 0);
	const int32_t day = tz_days_from_civil(2026, 10, 25);
	struct engine_post p = {ENGINE_POST_DAILY, "test", "t1", "c1", post_at, 0};
	struct engine_post rv = {ENGINE_POST_REVEAL, "test", "t1", "c1", reveal_at, day};
	struct reply r;
	const char *t;

	fresh();
	reply_init(&r);
	run_admin("/daily on time:09:00 timezone:Europe/Berlin days:daily topics:beta reveal:17:00",
	          post_at - 3600);
	CHECK_INT(engine_post(eng, &p, &r), BOT_OK);
	CHECK_INT(engine_post_sent(eng, &p, "m-post-1"), BOT_OK);
	run_as("ann", "t1", "/settings leaderboard hide", NULL, post_at + 10);
	/* Hiding wins over the quote opt-in: a quote names its author. */
	run_as("ann", "t1", "/settings quote on", NULL, post_at + 11);
	run_as("ann", "t1", "1:answer:beta-one", STRONG, post_at + 60);
	run_as("bo", "t1", "1:answer:beta-one", STRONG, post_at + 120);
	reply_reset(&r);
	CHECK_INT(engine_post(eng, &rv, &r), BOT_OK);
	t = buf_str(&r.text);
	CHECK_CONTAINS(t, "**2 answered**");
	CHECK_CONTAINS(t, "**Streaks:** bo 1 day");
	CHECK_NOT_CONTAINS(t, "ann");
	run_admin("/leaderboard off", reveal_at + 10);
	reply_reset(&r);
	CHECK_INT(engine_post_again(eng, &rv, "beta-one", &r), BOT_OK);
	t = buf_str(&r.text);
	CHECK_CONTAINS(t, "**2 answered**");
	CHECK_NOT_CONTAINS(t, "Streaks");
	CHECK_NOT_CONTAINS(t, "bo 1 day");
	reply_cleanup(&r);
}

/* A grade of the last season corrected after a reset: the answer is rescored, but the new
 * season's board counts only what was earned in it. */
static void test_challenge_after_reset(void)
{
	char challenge[128];
	const char *t;

	fresh();
	challenge_point_2(T0, challenge, sizeof(challenge));
	CHECK_CONTAINS(buf_str(&out.text), "Challenge #1 sent");
	run_admin("/leaderboard reset", T0 + 5);
	CHECK_CONTAINS(ask("test", "boss", true, "1:season:confirm:0", NULL, T0 + 6),
	               "Done: season 2");
	t = run_req("boss", true, "1:rule:1:accept", NULL, T0 + 20);
	CHECK_CONTAINS(t, "now scores 50/100 (was 25)");
	t = run("/leaderboard all", T0 + 30);
	CHECK_CONTAINS(t, "No points yet");
	CHECK_NOT_CONTAINS(t, "ann —");
	CHECK_CONTAINS(run("/leaderboard week", T0 + 30), "No points yet");
}

int main(void)
{
	if (t_load_content("tests/fixtures/content/good", &bank) != 0)
		return 1;
	reply_init(&out);
	buf_init(&web_out, EXPORT_MAX);
	T_RUN(test_question_card);
	T_RUN(test_damage_at_run_time);
	T_RUN(test_unknown_topic);
	T_RUN(test_difficulty_words_and_named_options);
	T_RUN(test_no_repeat_until_topic_seen);
	T_RUN(test_answer_grades_and_stores);
	T_RUN(test_accidents_not_graded);
	T_RUN(test_answer_limits);
	T_RUN(test_reveal_grade_and_review_due);
	T_RUN(test_weakest_topic_served);
	T_RUN(test_leaderboard_periods_and_ties);
	T_RUN(test_settings_and_forget);
	T_RUN(test_private_page_links);
	T_RUN(test_help_topics_unknown);
	T_RUN(test_platform_tz);
	T_RUN(test_streak_across_days);
	T_RUN(test_daily_post_once_a_day_with_recap);
	T_RUN(test_typed_options_from_platform);
	T_RUN(test_points_once_per_window);
	T_RUN(test_reveal_and_paste_earn_nothing);
	T_RUN(test_mastery_counts_fresh_evidence);
	T_RUN(test_daily_bonus_once);
	T_RUN(test_daily_command);
	T_RUN(test_daily_pool);
	T_RUN(test_daily_avoids_served);
	T_RUN(test_daily_reveal);
	T_RUN(test_daily_reveal_setting);
	T_RUN(test_daily_reveal_quote_is_inert);
	T_RUN(test_followups_offered_and_graded);
	T_RUN(test_weak_names_missed_points);
	T_RUN(test_question_exercises_missed_points);
	T_RUN(test_reply_names_misconception);
	T_RUN(test_matched_words_shown);
	T_RUN(test_challenge_accepted_once);
	T_RUN(test_challenge_rejected);
	T_RUN(test_review_cuts_a_long_answer);
	T_RUN(test_review_permissions);
	T_RUN(test_no_self_review);
	T_RUN(test_challenge_limits);
	T_RUN(test_challenge_of_a_zero);
	T_RUN(test_hidden_on_no_board);
	T_RUN(test_board_off_and_on);
	T_RUN(test_season_reset);
	T_RUN(test_export_matches_store);
	T_RUN(test_export_link_retired);
	T_RUN(test_reveal_follows_the_board);
	T_RUN(test_challenge_after_reset);
	buf_cleanup(&web_out);
	reply_cleanup(&out);
	engine_free(eng);
	store_close(store);
	content_cleanup(&bank);
	return t_done();
}
