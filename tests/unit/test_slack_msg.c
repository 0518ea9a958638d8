/*
 * test_slack_msg.c - Socket Mode frames read into envelopes, payloads into
 * requests, replies written as Block Kit with mrkdwn that no user text can
 * turn into a ping or a link, the Answer modal, the manifest and backoff.
 */
#include "slack/smsg.h"

#include <stdlib.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "test.h"

static void mk(const char *md, struct buf *out)
{
	buf_reset(out);
	smsg_mrkdwn(md, out);
}

static void test_escape_hostile(void)
{
	struct buf b;

	buf_init(&b, 4096);
	mk("Ping <!channel> & read <https://evil.example|click> -> a > b", &b);
	CHECK_STR(buf_str(&b),
	          "Ping &lt;!channel&gt; &amp; read &lt;https://evil.example|click&gt; "
	          "-&gt; a &gt; b");
	mk("<@U123> <!here> <#C1|general>", &b);
	CHECK_NOT_CONTAINS(buf_str(&b), "<");
	CHECK_NOT_CONTAINS(buf_str(&b), ">");
	mk("`a < b && c`", &b); /* inside code too: Slack reads entities there as well */
	CHECK_STR(buf_str(&b), "`a &lt; b &amp;&amp; c`");
	buf_cleanup(&b);
}

static void test_markdown_to_mrkdwn(void)
{
	struct buf b;

	buf_init(&b, 4096);
	mk("**bold** and _it_", &b);
	CHECK_STR(buf_str(&b), "*bold* and _it_");
	mk("see [the page](https://drill.example/q/x)", &b);
	CHECK_STR(buf_str(&b), "see <https://drill.example/q/x|the page>");
	mk("- one\n- two", &b);
	CHECK_CONTAINS(buf_str(&b), "• one");
	CHECK_CONTAINS(buf_str(&b), "• two");
	/* A link Slack would read wrongly (a | or a non-http scheme) stays text. */
	mk("[x](javascript:alert(1))", &b);
	CHECK_NOT_CONTAINS(buf_str(&b), "<javascript");
	mk("[x](https://a.example/|<!channel>)", &b);
	CHECK_NOT_CONTAINS(buf_str(&b), "<!channel>");
	CHECK_NOT_CONTAINS(buf_str(&b), "<https");
	buf_cleanup(&b);
}

static void test_parse_envelopes(void)
{
	const char *slash =
	    "{\"envelope_id\":\"e1\",\"payload\":{\"team_id\":\"T1\",\"channel_id\":\"C1\","
	    "\"user_id\":\"U1\",\"user_name\":\"ann\",\"command\":\"/drill-question\",\"text\":"
	    "\"caching hard\",\"response_url\":\"https://hooks.slack.com/commands/x\","
	    "\"trigger_id\":\"1.2.x\"},\"type\":\"slash_commands\",\"accepts_response_payload\":"
	    "true}";
	json_t *root = NULL;
	struct smsg_env e;
	struct smsg_req r;
	const char *why = NULL;

	CHECK_INT(smsg_parse(slash, strlen(slash), &root, &e, &why), BOT_OK);
	CHECK_INT(e.type, SMSG_SLASH);
	CHECK_STR(e.envelope_id, "e1");
	CHECK(e.accepts_payload);
	CHECK_INT(e.retry_attempt, 0);
	CHECK_STR(smsg_dedupe_key(&e), "1.2.x");
	CHECK_INT(smsg_read(e.payload, e.type, "drill-", &r, &why), BOT_OK);
	CHECK_STR(r.req.command, "question"); /* the prefix is taken off */
	CHECK_STR(r.req.args, "caching hard");
	CHECK_STR(r.req.team, "T1");
	CHECK_STR(r.req.user, "U1");
	CHECK_STR(r.req.channel, "C1");
	CHECK_STR(r.req.platform, "slack");
	CHECK_STR(r.response_url, "https://hooks.slack.com/commands/x");
	json_decref(root);
}

static void test_parse_hello_disconnect(void)
{
	const char *hello = "{\"type\":\"hello\",\"num_connections\":2,\"debug_info\":{\"host\":"
	                    "\"h\",\"approximate_connection_time\":18060},\"connection_info\":"
	                    "{\"app_id\":\"A1\"}}";
	const char *disc = "{\"type\":\"disconnect\",\"reason\":\"refresh_requested\","
	                   "\"debug_info\":{\"host\":\"h\"}}";
	json_t *root = NULL;
	struct smsg_env e;
	const char *why = NULL;

	CHECK_INT(smsg_parse(hello, strlen(hello), &root, &e, &why), BOT_OK);
	CHECK_INT(e.type, SMSG_HELLO);
	CHECK_INT(e.num_connections, 2);
	CHECK_INT(e.approx_conn_time, 18060);
	json_decref(root);
	CHECK_INT(smsg_parse(disc, strlen(disc), &root, &e, &why), BOT_OK);
	CHECK_INT(e.type, SMSG_DISCONNECT);
	CHECK_STR(e.reason, "refresh_requested");
	json_decref(root);
}

static void test_malformed_frames(void)
{
	static const char *const bad[] = {
	    "{\"envelope_id\": \"1d3c79ab\", \"payload\": {\"token\": ",
	    "this is not json",
	    "[1, 2, 3]",
	    "{\"type\": \"slash_commands\", \"payload\": {\"command\": \"/question\"}}",
	    "{\"type\": \"slash_commands\", \"envelope_id\": \"x\", \"payload\": 3}",
	    "",
	};
	json_t *root = NULL;
	struct smsg_env e;
	struct smsg_req r;
	const char *why = NULL;
	const char *nouser = "{\"envelope_id\":\"e\",\"type\":\"slash_commands\",\"payload\":"
	                     "{\"command\":\"/question\",\"team_id\":\"T\"}}";
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		CHECK_INT(smsg_parse(bad[i], strlen(bad[i]), &root, &e, &why), BOT_EINVAL);
		CHECK(root == NULL);
		CHECK(why != NULL);
	}
	CHECK_INT(smsg_parse(nouser, strlen(nouser), &root, &e, &why), BOT_OK);
	CHECK_INT(smsg_read(e.payload, e.type, "", &r, &why), BOT_EINVAL);
	json_decref(root);
}

static void test_retry_and_events(void)
{
	const char *ev =
	    "{\"envelope_id\":\"e2\",\"payload\":{\"team_id\":\"T1\",\"event\":{\"type\":"
	    "\"app_mention\"},\"event_id\":\"Ev1\"},\"type\":\"events_api\","
	    "\"accepts_response_payload\":false,\"retry_attempt\":1,\"retry_reason\":"
	    "\"timeout\"}";
	json_t *root = NULL;
	struct smsg_env e;
	const char *why = NULL;

	CHECK_INT(smsg_parse(ev, strlen(ev), &root, &e, &why), BOT_OK);
	CHECK_INT(e.type, SMSG_EVENTS);
	CHECK_INT(e.retry_attempt, 1);
	CHECK_STR(e.retry_reason, "timeout");
	CHECK_STR(smsg_dedupe_key(&e), "Ev1");
	json_decref(root);
}

static void test_block_actions_and_submission(void)
{
	const char *click =
	    "{\"envelope_id\":\"e3\",\"type\":\"interactive\",\"accepts_response_payload\":true,"
	    "\"payload\":{\"type\":\"block_actions\",\"team\":{\"id\":\"T1\"},\"user\":{\"id\":"
	    "\"U1\",\"username\":\"ann\"},\"container\":{\"type\":\"message\",\"channel_id\":"
	    "\"C1\","
	    "\"is_ephemeral\":true},\"trigger_id\":\"9.9\",\"channel\":{\"id\":\"C1\"},"
	    "\"response_url\":\"https://hooks.slack.com/actions/x\",\"actions\":[{\"action_id\":"
	    "\"1:answer:q\",\"value\":\"1:answer:q\",\"type\":\"button\"}]}}";
	const char *submit =
	    "{\"envelope_id\":\"e4\",\"type\":\"interactive\",\"accepts_response_payload\":true,"
	    "\"payload\":{\"type\":\"view_submission\",\"team\":{\"id\":\"T1\"},\"user\":{\"id\":"
	    "\"U1\"},\"trigger_id\":\"9.10\",\"view\":{\"callback_id\":\"1:grade:q\","
	    "\"private_metadata\":\"C1\",\"state\":{\"values\":{\"answer\":{\"text\":{\"type\":"
	    "\"plain_text_input\",\"value\":\"my answer\"}}}}}}}";
	json_t *root = NULL;
	struct smsg_env e;
	struct smsg_req r;
	const char *why = NULL;

	CHECK_INT(smsg_parse(click, strlen(click), &root, &e, &why), BOT_OK);
	CHECK_INT(smsg_read(e.payload, e.type, "", &r, &why), BOT_OK);
	CHECK_INT(r.kind, SMSG_ACTION);
	CHECK_STR(r.req.action, "1:answer:q");
	CHECK_STR(r.req.channel, "C1");
	CHECK_STR(r.trigger_id, "9.9");
	CHECK(r.container_ephemeral);
	CHECK(r.req.command == NULL);
	json_decref(root);
	CHECK_INT(smsg_parse(submit, strlen(submit), &root, &e, &why), BOT_OK);
	CHECK_INT(smsg_read(e.payload, e.type, "", &r, &why), BOT_OK);
	CHECK_INT(r.kind, SMSG_SUBMIT);
	CHECK_STR(r.req.action, "1:grade:q");
	CHECK_STR(r.req.input, "my answer");
	CHECK_STR(r.req.channel, "C1");
	CHECK(r.response_url == NULL);
	json_decref(root);
}

/* Every text object of a block list: non-empty and within max. */
static int texts_within(json_t *n, size_t max)
{
	size_t i;
	const char *k;
	json_t *v;
	int bad = 0;

	if (json_is_array(n)) {
		json_array_foreach(n, i, v) bad += texts_within(v, max);
	} else if (json_is_object(n)) {
		const char *t = json_string_value(json_object_get(n, "type"));
		const char *s = json_string_value(json_object_get(n, "text"));
		if (t != NULL && s != NULL &&
		    (strcmp(t, "mrkdwn") == 0 || strcmp(t, "plain_text") == 0))
			bad += *s == '\0' || util_utf8_chars(s, strlen(s)) > max;
		json_object_foreach(n, k, v) bad += texts_within(v, max);
	}
	return bad;
}

static void test_message_limits(void)
{
	struct reply r;
	json_t *m, *blocks, *b;
	size_t i, nactions = 0, nsections = 0;

	reply_init(&r);
	reply_title(&r, "Caching <b> & co");
	for (i = 0; i < 120; i++)
		reply_addf(&r, "Line %zu has <!channel> & some words to fill the section up.\n", i);
	reply_field(&r, "Score", true, "**3/4**");
	reply_footer(&r, "footer & <more>");
	reply_button(&r, REPLY_MODAL, REPLY_PRIMARY, "Answer", "1:answer:q");
	reply_button(&r, REPLY_ACTION, REPLY_SECONDARY, "Reveal", "1:reveal:q");
	reply_button(&r, REPLY_LINK, REPLY_SECONDARY, "Open", "https://drill.example/q/q");
	m = smsg_message(&r);
	blocks = json_object_get(m, "blocks");
	CHECK(json_array_size(blocks) <= SMSG_BLOCKS_MAX);
	CHECK_INT(texts_within(blocks, SMSG_SECTION_MAX), 0);
	json_array_foreach(blocks, i, b)
	{
		const char *t = json_string_value(json_object_get(b, "type"));
		nactions += strcmp(t, "actions") == 0;
		nsections += strcmp(t, "section") == 0;
	}
	CHECK_INT(nactions, 1);
	CHECK(nsections >= 2); /* the body is past 3,000 characters: cut into sections */
	CHECK(json_string_value(json_object_get(m, "text")) != NULL);
	CHECK_NOT_CONTAINS(json_string_value(json_object_get(m, "text")), "<!channel>");
	{
		char *dump = json_dumps(m, 0);
		CHECK_NOT_CONTAINS(dump, "<!channel>");
		CHECK_CONTAINS(dump, "\"url\": \"https://drill.example/q/q\"");
		CHECK_CONTAINS(dump, "\"value\": \"1:answer:q\"");
		free(dump);
	}
	json_decref(m);
	reply_cleanup(&r);
}

/* A cut (sections of 3,000, the 300-character fallback) never ends inside "&amp;". */
static void test_cut_never_splits_escape(void)
{
	struct reply r;
	json_t *m, *b;
	size_t i;
	const char *t;

	reply_init(&r);
	for (i = 0; i < 700; i++)
		reply_addf(&r, "&<");
	m = smsg_message(&r);
	json_array_foreach(json_object_get(m, "blocks"), i, b)
	{
		t = json_string_value(json_object_get(json_object_get(b, "text"), "text"));
		CHECK(t != NULL);
		CHECK(strlen(t) % 9 == 0 || strlen(t) % 9 == 5); /* whole "&amp;&lt;" pairs */
		CHECK(t[strlen(t) - 1] == ';');
	}
	t = json_string_value(json_object_get(m, "text"));
	CHECK(t != NULL && t[strlen(t) - 1] == ';');
	json_decref(m);
	reply_cleanup(&r);
}

static void test_modal(void)
{
	json_t *v = smsg_modal("1:grade:q", "A title far longer than twenty-four characters",
	                       "What is **cache-aside**?", "C1");
	json_t *input = json_array_get(json_object_get(v, "blocks"), 1);
	json_t *el = json_object_get(input, "element");
	const char *title = json_string_value(json_object_get(json_object_get(v, "title"), "text"));

	CHECK_STR(json_string_value(json_object_get(v, "type")), "modal");
	CHECK_STR(json_string_value(json_object_get(v, "callback_id")), "1:grade:q");
	CHECK_STR(json_string_value(json_object_get(v, "private_metadata")), "C1");
	CHECK(util_utf8_chars(title, strlen(title)) <= SMSG_TITLE_MAX);
	CHECK_STR(json_string_value(json_object_get(input, "type")), "input");
	CHECK(json_is_true(json_object_get(el, "multiline")));
	CHECK_INT(json_integer_value(json_object_get(el, "max_length")), SMSG_INPUT_MAX);
	json_decref(v);
}

static void test_manifest(void)
{
	json_t *m = smsg_manifest("drill-", "drillbot");
	json_t *cmds = json_object_get(json_object_get(m, "features"), "slash_commands");
	json_t *scopes = json_object_get(json_object_get(m, "oauth_config"), "scopes");
	size_t n, i, want = 0;
	const struct cmd_entry *t = cmd_table(&n);
	char *dump = json_dumps(scopes, JSON_COMPACT);

	for (i = 0; i < n; i++)
		want += t[i].kind == CMD_COMMAND;
	CHECK_INT(json_array_size(cmds), want);
	CHECK_STR(json_string_value(json_object_get(json_array_get(cmds, 0), "command")) != NULL
	              ? "ok"
	              : NULL,
	          "ok");
	CHECK(strncmp(json_string_value(json_object_get(json_array_get(cmds, 0), "command")),
	              "/drill-", 7) == 0);
	CHECK_STR(dump, "{\"bot\":[\"commands\",\"chat:write\",\"users:read\"]}");
	/* Only a command with a user option has its mentions escaped (<@U123|ann>: the id). */
	for (i = 0; i < json_array_size(cmds); i++) {
		json_t *c = json_array_get(cmds, i);
		bool users = strcmp(json_string_value(json_object_get(c, "command")),
		                    "/drill-reviewers") == 0;
		CHECK(json_is_true(json_object_get(c, "should_escape")) == users);
	}
	CHECK(json_is_true(json_object_get(json_object_get(m, "settings"), "socket_mode_enabled")));
	free(dump);
	json_decref(m);
}

static void test_backoff(void)
{
	unsigned f;
	uint64_t r;

	CHECK(smsg_backoff_ms(0, 0) >= 250);
	CHECK(smsg_backoff_ms(0, UINT64_MAX) < 1000);
	for (f = 1; f < 40; f++) {
		for (r = 0; r < 5; r++) {
			uint64_t ms = smsg_backoff_ms(f, r * 0x123456789ull);
			CHECK(ms <= SMSG_BACKOFF_MAX_MS);
			CHECK(ms >= 500);
		}
	}
	CHECK(smsg_backoff_ms(3, 0) < smsg_backoff_ms(5, 0)); /* it grows until the cap */
	CHECK(smsg_auth_error("invalid_auth"));
	CHECK(smsg_auth_error("token_revoked"));
	CHECK(!smsg_auth_error("not_in_channel"));
	CHECK(!smsg_auth_error(NULL));
}

int main(void)
{
	T_RUN(test_escape_hostile);
	T_RUN(test_markdown_to_mrkdwn);
	T_RUN(test_parse_envelopes);
	T_RUN(test_parse_hello_disconnect);
	T_RUN(test_malformed_frames);
	T_RUN(test_retry_and_events);
	T_RUN(test_block_actions_and_submission);
	T_RUN(test_message_limits);
	T_RUN(test_cut_never_splits_escape);
	T_RUN(test_modal);
	T_RUN(test_manifest);
	T_RUN(test_backoff);
	return t_done();
}
