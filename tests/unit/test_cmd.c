/*
 * test_cmd.c - the command table and its one parser: text, typed options
 * and versioned action ids, checked against the same option specs.
 */
#include <string.h>

#include "engine/cmd.h"

#include "base/err.h"
#include "t_content.h"
#include "test.h"

static struct content bank;
static struct buf err;

/* Parses text for the named command; returns the parser's result. */
static int parse(const char *command, const char *text, struct cmd_values *v)
{
	const struct cmd_entry *e = cmd_find(command);

	buf_reset(&err);
	cmd_values_init(v, e);
	return cmd_parse_text(v, &bank, text, &err);
}

static void test_table_is_consistent(void)
{
	size_t n, i, j;
	const struct cmd_entry *t = cmd_table(&n);

	CHECK(n >= 10);
	for (i = 0; i < n; i++) {
		size_t no = cmd_noptions(&t[i]);
		CHECK(t[i].exec != NULL);
		CHECK(t[i].example != NULL && t[i].example[0] == '/');
		CHECK(no <= CMD_MAX_OPTS);
		for (j = 0; j < no; j++) {
			const struct cmd_option *o = &t[i].options[j];
			if (o->type == CMD_OPT_INTEGER)
				CHECK(o->min <= o->max);
		}
	}
}

static void test_text_values(void)
{
	struct cmd_values v;

	CHECK_INT(parse("question", "  2   BETA ", &v), BOT_OK);
	CHECK(cmd_get(&v, "topic")->set);
	CHECK_STR(cmd_get(&v, "topic")->str, "beta");
	CHECK_INT(cmd_get(&v, "topic")->index, 1);
	CHECK_INT(cmd_get(&v, "difficulty")->num, 2);
	cmd_values_cleanup(&v);

	CHECK_INT(parse("question", "medium", &v), BOT_OK);
	CHECK(!cmd_get(&v, "topic")->set);
	CHECK_INT(cmd_get(&v, "difficulty")->num, 2);
	cmd_values_cleanup(&v);

	CHECK_INT(parse("question", "0", &v), BOT_EINVAL);
	CHECK_STR(buf_str(&err), "difficulty must be 1, 2 or 3, not 0: `/question caching 2`");
	cmd_values_cleanup(&v);

	CHECK_INT(parse("question", "difficulty:extreme", &v), BOT_EINVAL);
	CHECK_CONTAINS(buf_str(&err), "difficulty must be 1, 2 or 3 (or a word such as easy)");
	cmd_values_cleanup(&v);

	CHECK_INT(parse("leaderboard", "MONTH", &v), BOT_OK);
	CHECK_STR(cmd_get(&v, "period")->str, "month");
	cmd_values_cleanup(&v);

	/* A bare word finds its option by its choices: a period, or an admin's action. */
	CHECK_INT(parse("leaderboard", "reset", &v), BOT_OK);
	CHECK_STR(cmd_get(&v, "action")->str, "reset");
	CHECK(!cmd_get(&v, "period")->set);
	cmd_values_cleanup(&v);
	CHECK_INT(parse("settings", "leaderboard hide", &v), BOT_OK);
	CHECK_STR(cmd_get(&v, "leaderboard")->str, "hide");
	cmd_values_cleanup(&v);
	CHECK_INT(parse("settings", "leaderboard maybe", &v), BOT_EINVAL);
	CHECK_STR(buf_str(&err), "leaderboard must be hide or show, not `maybe`: "
	                         "`/settings timezone Europe/Berlin`");
	cmd_values_cleanup(&v);

	CHECK_INT(parse("stats", "extra", &v), BOT_EINVAL);
	CHECK_STR(buf_str(&err), "I did not understand `extra` after `/stats`: `/stats`");
	cmd_values_cleanup(&v);
}

static void test_text_option_keeps_the_rest(void)
{
	struct cmd_values v;

	CHECK_INT(parse("answer", "id:beta-one  first line\nsecond: line", &v), BOT_OK);
	CHECK_STR(cmd_get(&v, "id")->str, "beta-one");
	CHECK_STR(cmd_get(&v, "text")->str, "first line\nsecond: line");
	cmd_values_cleanup(&v);

	/* A colon in the first word of an answer is not an option. */
	CHECK_INT(parse("answer", "Note: the cache first", &v), BOT_OK);
	CHECK(!cmd_get(&v, "id")->set);
	CHECK_STR(cmd_get(&v, "text")->str, "Note: the cache first");
	cmd_values_cleanup(&v);

	CHECK_INT(parse("answer", "", &v), BOT_OK);
	CHECK(!cmd_get(&v, "text")->set);
	cmd_values_cleanup(&v);
}

/* Discord fills options by name; the same checks apply. */
static void test_typed_options(void)
{
	struct cmd_values v;

	cmd_values_init(&v, cmd_find("question"));
	CHECK_INT(cmd_values_set(&v, "topic", "alp"), BOT_OK);
	CHECK_INT(cmd_values_set(&v, "difficulty", "3"), BOT_OK);
	CHECK_INT(cmd_values_set(&v, "nope", "x"), BOT_ENOENT);
	CHECK_INT(cmd_values_check(&v, &bank, &err), BOT_OK);
	CHECK_STR(cmd_get(&v, "topic")->str, "alpha");
	CHECK_INT(cmd_get(&v, "difficulty")->num, 3);
	cmd_values_cleanup(&v);

	cmd_values_init(&v, cmd_find("settings"));
	CHECK_INT(cmd_values_set(&v, "timezone", "Mars/Olympus"), BOT_OK);
	CHECK_INT(cmd_values_check(&v, &bank, &err), BOT_EINVAL);
	CHECK_CONTAINS(buf_str(&err), "`Mars/Olympus` is not an IANA time zone");
	cmd_values_cleanup(&v);
}

static void test_action_ids(void)
{
	char id[CMD_ACTION_ID_MAX + 1];
	char longid[CONTENT_ID_MAX + 1];
	struct cmd_values v;

	CHECK_INT(cmd_action_id(id, sizeof(id), "grade", "beta-one", "good", NULL), BOT_OK);
	CHECK_STR(id, "1:grade:beta-one:good");
	CHECK_INT(cmd_parse_action(id, NULL, &bank, &v, &err), BOT_OK);
	CHECK_STR(v.entry->name, "grade");
	CHECK_STR(cmd_get(&v, "grade")->str, "good");
	CHECK_INT(cmd_get(&v, "id")->index, content_index(&bank, content_find(&bank, "beta-one")));
	cmd_values_cleanup(&v);

	/* Before versioning: read as version 0 with the same names. */
	CHECK_INT(cmd_parse_action("grade:beta-one:Good", NULL, &bank, &v, &err), BOT_OK);
	CHECK_STR(cmd_get(&v, "grade")->str, "good");
	cmd_values_cleanup(&v);

	/* A modal submit: the typed text fills the TEXT option. */
	CHECK_INT(cmd_parse_action("1:answer:beta-one", "my answer", &bank, &v, &err), BOT_OK);
	CHECK_STR(cmd_get(&v, "text")->str, "my answer");
	cmd_values_cleanup(&v);

	CHECK_INT(cmd_parse_action("9:grade:beta-one:good", NULL, &bank, &v, &err), BOT_ENOENT);
	cmd_values_cleanup(&v);
	CHECK_INT(cmd_parse_action("1:frob:x", NULL, &bank, &v, &err), BOT_ENOENT);
	cmd_values_cleanup(&v);
	CHECK_INT(cmd_parse_action("1:grade:beta-one:superb", NULL, &bank, &v, &err), BOT_EINVAL);
	CHECK_CONTAINS(buf_str(&err), "not one I know");
	cmd_values_cleanup(&v);
	CHECK_INT(cmd_parse_action("1:reveal:gone-id", NULL, &bank, &v, &err), BOT_EINVAL);
	CHECK_CONTAINS(buf_str(&err), "There is no question `gone-id`");
	cmd_values_cleanup(&v);

	/* The longest id the lint accepts fits Discord's custom_id with every action. */
	memset(longid, 'x', CONTENT_ID_MAX);
	longid[CONTENT_ID_MAX] = '\0';
	CHECK_INT(cmd_action_id(id, sizeof(id), "grade", longid, "again", NULL), BOT_OK);
	CHECK(strlen(id) <= CMD_ACTION_ID_MAX);
	CHECK_INT(cmd_action_id(id, sizeof(id), "grade", longid, longid, NULL), BOT_ETOOBIG);
}

/*
 * Issue 22: a user option, as each platform sends one: a Discord USER
 * option (a snowflake), a Slack mention in text (<@U123|name>, escaped by
 * the slash command), a Discord mention typed as text, "@name" in the
 * console. All become the platform's user id; a channel or a role is not
 * a user.
 */
static void test_user_option(void)
{
	static const struct {
		const char *text, *want;
	} ok[] = {{"add <@U0123ABC|alice>", "U0123ABC"},
	          {"add <@W0123>", "W0123"},
	          {"add <@!80351110224678912>", "80351110224678912"},
	          {"add <@80351110224678912>", "80351110224678912"},
	          {"add @alice", "alice"},
	          {"add <@U0123|Alice Smith>", "U0123"},
	          {"add bob", "bob"},
	          {"user:<@U9> remove", "U9"}};
	static const char *bad[] = {"add <#C0123|general>", "add <@&123456>", "add <!channel>",
	                            "add @", "add <@>"};
	struct cmd_values v;
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(ok); i++) {
		if (parse("reviewers", ok[i].text, &v) != BOT_OK)
			T_FAIL("%s: %s", ok[i].text, buf_str(&err));
		CHECK_STR(cmd_get(&v, "user")->str, ok[i].want);
		cmd_values_cleanup(&v);
	}
	CHECK_INT(parse("reviewers", "list", &v), BOT_OK);
	CHECK_STR(cmd_get(&v, "action")->str, "list");
	CHECK(!cmd_get(&v, "user")->set);
	cmd_values_cleanup(&v);
	for (i = 0; i < UTIL_ARRAY_LEN(bad); i++) {
		CHECK_INT(parse("reviewers", bad[i], &v), BOT_EINVAL);
		CHECK_CONTAINS(buf_str(&err), "is not a user");
		CHECK_CONTAINS(buf_str(&err), "/reviewers add @alice");
		cmd_values_cleanup(&v);
	}
	/* Discord: a USER option's value is the user's id. */
	cmd_values_init(&v, cmd_find("reviewers"));
	CHECK_INT(cmd_values_set(&v, "action", "add"), BOT_OK);
	CHECK_INT(cmd_values_set(&v, "user", "80351110224678912"), BOT_OK);
	CHECK_INT(cmd_values_check(&v, &bank, &err), BOT_OK);
	CHECK_STR(cmd_get(&v, "user")->str, "80351110224678912");
	cmd_values_cleanup(&v);
	CHECK(cmd_find("reviewers")->admin);
	CHECK(!cmd_find("review")->admin); /* reviewers who are not admins use it too */
}

/* The challenge and ruling buttons' ids round-trip and fit Discord's custom_id. */
static void test_challenge_action_ids(void)
{
	char id[CMD_ACTION_ID_MAX + 1];
	struct cmd_values v;

	CHECK_INT(cmd_action_id(id, sizeof(id), "challenge", "2147483647", "16", NULL), BOT_OK);
	CHECK(strlen(id) <= CMD_ACTION_ID_MAX);
	CHECK_INT(cmd_parse_action(id, NULL, &bank, &v, &err), BOT_OK);
	CHECK_STR(v.entry->name, "challenge");
	CHECK_INT(cmd_get(&v, "answer")->num, 2147483647);
	CHECK_INT(cmd_get(&v, "point")->num, 16);
	cmd_values_cleanup(&v);
	CHECK_INT(cmd_parse_action("1:challenge:12", NULL, &bank, &v, &err), BOT_OK);
	CHECK(!cmd_get(&v, "point")->set);
	cmd_values_cleanup(&v);
	CHECK_INT(cmd_parse_action("1:rule:7:accept", NULL, &bank, &v, &err), BOT_OK);
	CHECK_INT(cmd_get(&v, "id")->num, 7);
	CHECK_STR(cmd_get(&v, "decision")->str, "accept");
	cmd_values_cleanup(&v);
	CHECK_INT(cmd_parse_action("1:rule:7:maybe", NULL, &bank, &v, &err), BOT_EINVAL);
	CHECK_CONTAINS(buf_str(&err), "not one I know");
	cmd_values_cleanup(&v);
	CHECK_INT(cmd_parse_action("1:review", NULL, &bank, &v, &err), BOT_OK);
	cmd_values_cleanup(&v);
}

static void test_usage_from_table(void)
{
	struct buf u;

	buf_init(&u, 256);
	cmd_usage(cmd_find("question"), &u);
	CHECK_STR(buf_str(&u), "/question [topic] [difficulty]");
	cmd_usage(cmd_find("answer"), &u);
	CHECK_STR(buf_str(&u), "/answer [id:<id>] <text>");
	cmd_usage(cmd_find("leaderboard"), &u);
	CHECK_STR(buf_str(&u), "/leaderboard [week|month|all] [off|on|reset]");
	cmd_usage(cmd_find("settings"), &u);
	CHECK_STR(buf_str(&u),
	          "/settings [timezone] [reset|reset-team] [quote:<quote>] [hide|show]");
	buf_cleanup(&u);
	CHECK(cmd_closest("export") == cmd_find("export-me"));
	CHECK(cmd_closest("stat") == cmd_find("stats"));
	CHECK(cmd_closest("qestion") == cmd_find("question"));
	CHECK(cmd_closest("xyzzyplugh") == NULL);
}

int main(void)
{
	if (t_load_content("tests/fixtures/content/good", &bank) != 0)
		return 1;
	buf_init(&err, 1024);
	T_RUN(test_table_is_consistent);
	T_RUN(test_text_values);
	T_RUN(test_text_option_keeps_the_rest);
	T_RUN(test_typed_options);
	T_RUN(test_action_ids);
	T_RUN(test_usage_from_table);
	T_RUN(test_user_option);
	T_RUN(test_challenge_action_ids);
	buf_cleanup(&err);
	content_cleanup(&bank);
	return t_done();
}
