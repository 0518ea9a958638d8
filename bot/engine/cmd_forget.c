/*
 * cmd_forget.c - /forget-me and its confirm / cancel action: the two
 * halves of one question asked of the user, so they share a file.
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"

void cmd_forget_me(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	char id[CMD_ACTION_ID_MAX + 1];

	(void)ctx;
	(void)v;
	r->ephemeral = true;
	reply_addf(r, "This deletes everything drillbot stores about you: answers, streak, "
	              "reviews, mastery and leaderboard points. It cannot be undone. Press "
	              "**Delete my data** to confirm, or **Cancel** to keep it.");
	cmd_action_id(id, sizeof(id), "forget", "confirm", NULL);
	reply_button(r, REPLY_ACTION, REPLY_DANGER, "Delete my data", id);
	cmd_action_id(id, sizeof(id), "forget", "cancel", NULL);
	reply_button(r, REPLY_ACTION, REPLY_SECONDARY, "Cancel", id);
}

static int forget_txn(struct store *s, void *arg)
{
	return store_user_forget(s, *(const int64_t *)arg);
}

void cmd_action_forget(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	r->ephemeral = true;
	if (strcmp(cmd_get(v, "choice")->str, "confirm") != 0) {
		reply_addf(r, "Nothing was deleted.");
		return;
	}
	if (store_txn(ctx->e->store, forget_txn, &ctx->user.id) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	reply_addf(r, "Done: everything drillbot stored about you is deleted.");
}
