/*
 * fuzz_cmd.c - libFuzzer target for the command parser (engine/cmd.c) and
 * the reply helpers it feeds: every command's text parser and the action
 * id parser on arbitrary bytes, then reply_cut_len and md_walk on them.
 *
 * The first byte picks the command (or an action); the rest is the text.
 * Invariants checked so that a violation is a crash: a parse that
 * succeeds has every required option set and every TOPIC / QUESTION
 * index in range; a failure leaves a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/content.h"
#include "base/err.h"
#include "engine/cmd.h"
#include "engine/md.h"
#include "engine/reply.h"

#define FIXTURE_DIR "tests/fixtures/content/good"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct content bank;
static bool ready;

static void setup(void)
{
	struct content_diag d;

	content_diag_init(&d);
	if (content_load(&bank, FIXTURE_DIR, &d) != BOT_OK) {
		fprintf(stderr, "fuzz_cmd: cannot load %s (run from the repository root)\n",
		        FIXTURE_DIR);
		abort();
	}
	content_diag_cleanup(&d);
	ready = true;
}

static void check(const struct cmd_values *v, int rc, const struct buf *err)
{
	size_t i, n;

	if (rc != BOT_OK) {
		if (rc == BOT_EINVAL && err->len == 0)
			abort();
		return;
	}
	n = cmd_noptions(v->entry);
	for (i = 0; i < n; i++) {
		const struct cmd_option *o = &v->entry->options[i];
		if (o->required && o->type != CMD_OPT_TEXT && !v->v[i].set)
			abort();
		if (v->v[i].set && o->type == CMD_OPT_TOPIC && v->v[i].index >= bank.ntopics)
			abort();
		if (v->v[i].set && o->type == CMD_OPT_QUESTION && v->v[i].index >= bank.nquestions)
			abort();
	}
}

static void on_md(void *arg, enum md_event ev, const char *s, size_t n)
{
	size_t *total = arg;

	(void)s;
	/* Every byte is reported at most once, but a link's URL comes with both ends. */
	if (ev != MD_LINK_OFF)
		*total += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct cmd_entry *table;
	struct cmd_values v;
	struct buf err;
	size_t n, walked = 0;
	char *text;
	int rc;

	if (!ready)
		setup();
	if (size == 0)
		return 0;
	table = cmd_table(&n);
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	buf_init(&err, 4096);
	memset(&v, 0, sizeof(v));
	if (data[0] % (n + 1) == n) {
		rc = cmd_parse_action(text, data[0] & 0x80 ? text : NULL, &bank, &v, &err);
	} else {
		cmd_values_init(&v, &table[data[0] % (n + 1)]);
		rc = cmd_parse_text(&v, &bank, text, &err);
	}
	if (rc != BOT_ENOENT)
		check(&v, rc, &err);
	cmd_values_cleanup(&v);
	if (reply_cut_len(text, size / 2) > strlen(text))
		abort();
	md_walk(text, on_md, &walked);
	if (walked > strlen(text))
		abort();
	buf_cleanup(&err);
	free(text);
	return 0;
}
