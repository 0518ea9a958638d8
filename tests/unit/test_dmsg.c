/* test_dmsg.c - Discord interactions read into requests, replies written as callbacks. */
#include "discord/dmsg.h"

#include <stdlib.h>

#include "base/err.h"
#include "test.h"

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (j == NULL)
		printf("    bad test JSON: %s\n", e.text);
	return j;
}

static void test_guild_command(void)
{
	json_t *d = load("{\"id\":\"10\",\"token\":\"tk\",\"type\":2,\"guild_id\":\"7\","
	                 "\"channel_id\":\"8\",\"locale\":\"de\",\"member\":{\"nick\":\"Ann\","
	                 "\"permissions\":\"32\",\"user\":{\"id\":\"5\",\"username\":\"ann5\","
	                 "\"global_name\":\"Annie\"}},\"data\":{\"name\":\"question\",\"options\":"
	                 "[{\"name\":\"topic\",\"type\":3,\"value\":\"caching\"},{\"name\":"
	                 "\"difficulty\",\"type\":4,\"value\":2}]}}");
	struct dmsg_req r;
	const char *why = NULL;

	CHECK(d != NULL);
	CHECK_INT(dmsg_read(d, &r, &why), BOT_OK);
	CHECK_STR(r.req.team, "7");
	CHECK_STR(r.req.user, "5");
	CHECK_STR(r.req.user_name, "Ann"); /* nick first */
	CHECK(r.req.is_admin);             /* Manage Guild (1 << 5) */
	CHECK(!r.req.is_dm);
	CHECK_STR(r.req.command, "question");
	CHECK_INT(r.req.noptions, 2);
	CHECK_STR(r.req.options[0].value, "caching");
	CHECK_STR(r.req.options[1].name, "difficulty");
	CHECK_STR(r.req.options[1].value, "2"); /* an INTEGER as decimal text */
	json_decref(d);
}

static void test_dm_component_and_names(void)
{
	json_t *d = load("{\"id\":\"11\",\"token\":\"tk\",\"type\":3,\"channel_id\":\"9\","
	                 "\"user\":{\"id\":\"6\",\"username\":\"bob6\",\"global_name\":null},"
	                 "\"data\":{\"custom_id\":\"1:reveal:caching-ttl\",\"component_type\":2}}");
	struct dmsg_req r;
	const char *why = NULL;

	CHECK_INT(dmsg_read(d, &r, &why), BOT_OK);
	CHECK(r.req.is_dm);
	CHECK(!r.req.is_admin);
	CHECK_STR(r.req.team, "dm:6"); /* a DM is its own team */
	CHECK_STR(r.req.user_name, "bob6");
	CHECK_STR(r.req.action, "1:reveal:caching-ttl");
	json_decref(d);
}

static void test_modal_text_both_layouts(void)
{
	json_t *rows = load("{\"id\":\"12\",\"token\":\"t\",\"type\":5,\"user\":{\"id\":\"1\"},"
	                    "\"data\":{\"custom_id\":\"1:answer:x\",\"components\":[{\"type\":1,"
	                    "\"components\":[{\"type\":4,\"custom_id\":\"text\",\"value\":\"hi "
	                    "there\"}]}]}}");
	json_t *label = load("{\"id\":\"13\",\"token\":\"t\",\"type\":5,\"user\":{\"id\":\"1\"},"
	                     "\"data\":{\"custom_id\":\"1:answer:x\",\"components\":[{\"type\":18,"
	                     "\"component\":{\"type\":4,\"custom_id\":\"text\",\"value\":\"label "
	                     "way\"}}]}}");
	struct dmsg_req r;
	const char *why = NULL;

	CHECK_INT(dmsg_read(rows, &r, &why), BOT_OK);
	CHECK_STR(r.req.input, "hi there");
	CHECK_INT(dmsg_read(label, &r, &why), BOT_OK);
	CHECK_STR(r.req.input, "label way");
	json_decref(rows);
	json_decref(label);
}

static void test_refuses_incomplete(void)
{
	json_t *d = load("{\"type\":2,\"data\":{\"name\":\"stats\"}}");
	struct dmsg_req r;
	const char *why = NULL;

	CHECK_INT(dmsg_read(d, &r, &why), BOT_EINVAL);
	CHECK(why != NULL);
	json_decref(d);
}

static void test_reply_rendering(void)
{
	struct reply r;
	json_t *cb, *data, *row;
	char *text;

	reply_init(&r);
	r.ephemeral = true;
	reply_title(&r, "Caching");
	reply_addf(&r, "What is **cache-aside**?");
	reply_button(&r, REPLY_MODAL, REPLY_PRIMARY, "Answer", "1:answer:caching-x");
	reply_button(&r, REPLY_LINK, REPLY_SECONDARY, "Model answer", "https://d.example/q/x");
	cb = dmsg_callback(&r, false);
	CHECK_INT(json_integer_value(json_object_get(cb, "type")), DMSG_CB_MESSAGE);
	data = json_object_get(cb, "data");
	CHECK_INT(json_integer_value(json_object_get(data, "flags")), DMSG_FLAG_EPHEMERAL);
	CHECK_STR(json_string_value(
	              json_object_get(json_array_get(json_object_get(data, "embeds"), 0), "title")),
	          "Caching");
	row = json_array_get(json_object_get(data, "components"), 0);
	CHECK_INT(json_integer_value(json_object_get(
	              json_array_get(json_object_get(row, "components"), 1), "style")),
	          5);
	text = json_dumps(cb, JSON_COMPACT);
	CHECK_CONTAINS(text, "\"custom_id\":\"1:answer:caching-x\"");
	CHECK_CONTAINS(text, "\"url\":\"https://d.example/q/x\"");
	CHECK_CONTAINS(text, "\"allowed_mentions\":{\"parse\":[]}");
	free(text);
	json_decref(cb);
	/* A public reply replacing the pressed message updates it (type 7, no flags). */
	reply_reset(&r);
	r.target = REPLY_REPLACE;
	reply_addf(&r, "Graded.");
	cb = dmsg_callback(&r, true);
	CHECK_INT(json_integer_value(json_object_get(cb, "type")), DMSG_CB_UPDATE);
	CHECK(json_object_get(json_object_get(cb, "data"), "flags") == NULL);
	CHECK_STR(json_string_value(json_object_get(json_object_get(cb, "data"), "content")),
	          "Graded.");
	json_decref(cb);
	reply_cleanup(&r);
}

static void test_modal(void)
{
	json_t *m = dmsg_modal("1:answer:x", "Your answer", "What does a CDN cache?");
	char *text = json_dumps(m, JSON_COMPACT);

	CHECK_INT(json_integer_value(json_object_get(m, "type")), DMSG_CB_MODAL);
	CHECK_CONTAINS(text, "\"custom_id\":\"1:answer:x\"");
	CHECK_CONTAINS(text, "\"style\":2"); /* paragraph */
	CHECK_CONTAINS(text, "\"max_length\":4000");
	CHECK_CONTAINS(text, "\"placeholder\":\"What does a CDN cache?\"");
	free(text);
	json_decref(m);
}

int main(void)
{
	T_RUN(test_guild_command);
	T_RUN(test_dm_component_and_names);
	T_RUN(test_modal_text_both_layouts);
	T_RUN(test_refuses_incomplete);
	T_RUN(test_reply_rendering);
	T_RUN(test_modal);
	return t_done();
}
