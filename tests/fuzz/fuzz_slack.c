/*
 * fuzz_slack.c - libFuzzer target for the Slack adapter's pure parts
 * (slack/smsg.c): a Socket Mode frame of arbitrary bytes through
 * smsg_parse, smsg_dedupe_key and smsg_read, and the same bytes as the
 * Markdown of a reply through smsg_mrkdwn and smsg_message.
 *
 * Invariants checked so that a violation is a crash: a frame that parses
 * as an envelope has its envelope_id and payload object; a failure says
 * why and leaves no JSON behind; mrkdwn never holds a raw '<' that did
 * not come from a link we wrote, so "<!" never appears.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "slack/smsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void frame(const char *s, size_t n)
{
	json_t *root = NULL;
	struct smsg_env e;
	struct smsg_req r;
	const char *why = NULL;

	if (smsg_parse(s, n, &root, &e, &why) != BOT_OK) {
		if (root != NULL || why == NULL)
			abort();
		return;
	}
	if (e.type != SMSG_HELLO && e.type != SMSG_DISCONNECT &&
	    (e.envelope_id == NULL || !json_is_object(e.payload)))
		abort();
	(void)smsg_dedupe_key(&e);
	if (e.payload != NULL)
		(void)smsg_read(e.payload, e.type, "drill-", &r, &why);
	json_decref(root);
}

static void render(const char *s)
{
	struct reply r;
	struct buf b;
	json_t *m;

	buf_init(&b, 1 << 20);
	smsg_mrkdwn(s, &b);
	if (strstr(buf_str(&b), "<!") != NULL || strstr(buf_str(&b), "<@") != NULL)
		abort();
	buf_cleanup(&b);
	reply_init(&r);
	reply_addf(&r, "%s", s);
	m = smsg_message(&r);
	if (json_array_size(json_object_get(m, "blocks")) > SMSG_BLOCKS_MAX)
		abort();
	json_decref(m);
	reply_cleanup(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	frame(s, size);
	render(s);
	free(s);
	return 0;
}
