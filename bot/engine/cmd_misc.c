/*
 * cmd_misc.c - the small commands: /topics, /help, /tips, /settings and
 * /forget-me with its confirmation action.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"
#include "base/tz.h"

void cmd_topics(struct eng_ctx *ctx, const char *args, struct reply *r)
{
	const struct content *c = ctx->e->content;
	size_t t, a;

	(void)args;
	r->ephemeral = true;
	reply_addf(r, "**Topics** (%zu questions)", c->nquestions);
	for (t = 0; t < c->ntopics; t++) {
		reply_addf(r, "\n- `%s` %s: %zu question%s", c->topics[t].slug, c->topics[t].name,
		           c->topics[t].nquestions, c->topics[t].nquestions == 1 ? "" : "s");
		for (a = 0; a < c->topics[t].naliases; a++)
			reply_addf(r, "%s%s", a == 0 ? " (also: " : ", ", c->topics[t].aliases[a]);
		if (c->topics[t].naliases > 0)
			reply_addf(r, ")");
	}
	reply_addf(r,
	           "\n\nAsk with `/question <topic>`; a prefix works too, e.g. `/question cach`.");
}

void cmd_help(struct eng_ctx *ctx, const char *args, struct reply *r)
{
	const struct cmd_entry *table;
	size_t n, i;

	(void)ctx;
	(void)args;
	table = cmd_table(&n);
	r->ephemeral = true;
	reply_addf(r, "**drillbot commands**");
	for (i = 0; i < n; i++) {
		reply_addf(r, "\n- `/%s%s%s` — %s", table[i].name, table[i].usage[0] ? " " : "",
		           table[i].usage, table[i].description);
	}
}

void cmd_tips(struct eng_ctx *ctx, const char *args, struct reply *r)
{
	(void)args;
	r->ephemeral = true;
	if (ctx->e->content->tips == NULL)
		reply_addf(r, "No tips are installed (content/tips.md is missing).");
	else
		reply_addf(r, "%s", ctx->e->content->tips);
}

void cmd_settings(struct eng_ctx *ctx, const char *args, struct reply *r)
{
	char copy[128];
	char *zone;

	r->ephemeral = true;
	snprintf(copy, sizeof(copy), "%s", args);
	zone = util_trim(copy);
	if (util_has_prefix_ci(zone, "timezone"))
		zone = util_trim(zone + strlen("timezone"));
	if (*zone == '\0') {
		reply_addf(r,
		           "Usage: `/settings timezone <IANA zone>`, e.g. `/settings timezone "
		           "Europe/Berlin`. Yours is %s.",
		           engine_user_tz(ctx));
		return;
	}
	if (!tz_valid(zone)) {
		reply_addf(r,
		           "`%s` is not an IANA time zone I know. Use a name like "
		           "`Europe/Berlin`, `America/New_York` or `UTC` (see "
		           "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones).",
		           zone);
		return;
	}
	if (store_user_set_tz(ctx->e->store, ctx->user.id, zone) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	reply_addf(r, "Your time zone is now %s; your streak days follow it.", zone);
}

void cmd_forget_me(struct eng_ctx *ctx, const char *args, struct reply *r)
{
	(void)ctx;
	(void)args;
	r->ephemeral = true;
	reply_addf(r, "This deletes everything drillbot stores about you: answers, streak, "
	              "reviews, mastery and leaderboard points. It cannot be undone. Press "
	              "**Delete my data** to confirm.");
	reply_button(r, REPLY_ACTION, REPLY_DANGER, "Delete my data", "forget:confirm");
}

void cmd_action_forget(struct eng_ctx *ctx, const char *arg, struct reply *r)
{
	r->ephemeral = true;
	if (strcmp(arg, "confirm") != 0) {
		reply_addf(r, "Nothing was deleted.");
		return;
	}
	if (store_user_forget(ctx->e->store, ctx->user.id) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	reply_addf(r, "Done: everything drillbot stored about you is deleted.");
}
