/*
 * cmd_settings.c - /settings: the user's time zone. The table checks the
 * zone, so the handler only stores it.
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"
#include "base/tz.h"

void cmd_settings(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const char *zone = cmd_get(v, "timezone")->str;
	char note[160];

	r->ephemeral = true;
	if (store_user_set_tz(ctx->e->store, ctx->user.id, zone) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	reply_addf(r, "Your time zone is now %s; your streak days follow it.", zone);
	tz_note(zone, note, sizeof(note));
	if (note[0] != '\0')
		reply_addf(r, " Note: %s.", note);
}
