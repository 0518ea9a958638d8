/*
 * cmd_export.c - /export-me: the user's own data as JSON (engine/export.c
 * writes it), always privately. A short export is a code block in the
 * reply; a longer one is a signed download link (LINK_EXPORT, served by
 * the web server), retired as the progress page's is. A platform that
 * shows any length (the console) prints it whole, with the link beside.
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"
#include "engine/export.h"

/*
 * The longest export sent as a code block: well inside Discord's 2,000
 * characters of plain content (and 4,096 of an embed) and Slack's 3,000 a
 * section, with room for the words around it.
 */
#define EXPORT_INLINE_MAX 1500

static void code_block(const struct buf *json, struct reply *r)
{
	reply_addf(r,
	           "**Your data** (JSON, format version %d; README \"Your data\" explains each "
	           "field):\n```json\n%s```",
	           EXPORT_VERSION, buf_str(json));
}

static void download_link(struct eng_ctx *ctx, bool printed, struct reply *r)
{
	char url[REPLY_URL_MAX];

	if (engine_page_url(ctx, LINK_EXPORT, url, sizeof(url)) != BOT_OK) {
		if (!printed)
			engine_store_error(ctx, r);
		return;
	}
	if (!printed)
		reply_addf(
		    r,
		    "Your data (JSON, format version %d) is too long for a message: "
		    "**Download my data** saves it as a file. The link is yours alone; anyone "
		    "who has it can download the file, until `/settings links reset` or "
		    "`/forget-me` retires it.",
		    EXPORT_VERSION);
	reply_button(r, REPLY_LINK, REPLY_SECONDARY, "Download my data", url);
}

void cmd_export_me(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct reply_limits *lim = reply_limits_for(ctx->req->platform);
	/* The console shows any length; a chat message holds a short export only, so
	 * writing stops as soon as it would not fit (the web writes the whole file). */
	bool any_length = lim->body >= EXPORT_MAX;
	struct buf json;
	int rc;

	(void)v;
	r->ephemeral = true;
	buf_init(&json, any_length ? EXPORT_MAX : EXPORT_INLINE_MAX);
	rc = export_user(ctx->e->store, ctx->user.id, ctx->req->now, &json);
	if (rc == BOT_ETOOBIG && !any_length) {
		download_link(ctx, false, r);
	} else if (rc == BOT_ETOOBIG) {
		reply_addf(r,
		           "Your data passes %u MB, the most `/export-me` writes in one file. The "
		           "bot's admin can copy it out of the database for you.",
		           EXPORT_MAX / (1024u * 1024u));
	} else if (rc != BOT_OK) {
		engine_store_error(ctx, r);
	} else {
		if (any_length)
			reply_text_cap(r, json.len + 1024);
		code_block(&json, r);
		if (any_length)
			download_link(ctx, true, r);
	}
	buf_cleanup(&json);
}
