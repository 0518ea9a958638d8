/*
 * cmd_settings.c - /settings: the user's time zone, whether the daily
 * reveal may quote their answers, and new links for the private progress
 * pages. The table checks the values, so the handler only stores them.
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"
#include "base/tz.h"

static bool set_zone(struct eng_ctx *ctx, const char *zone, struct reply *r)
{
	char note[160];

	if (store_user_set_tz(ctx->e->store, ctx->user.id, zone) != BOT_OK)
		return false;
	reply_addf(r, "Your time zone is now %s; your streak days follow it.", zone);
	tz_note(zone, note, sizeof(note));
	if (note[0] != '\0')
		reply_addf(r, " Note: %s.", note);
	return true;
}

/* A new nonce retires every link made before; the new link is shown at once. */
static bool reset_links(struct eng_ctx *ctx, bool team, struct reply *r)
{
	enum link_kind kind = team ? LINK_TEAM : LINK_ME;
	char url[REPLY_URL_MAX];

	if (link_reset(ctx->e->store, kind, team ? ctx->user.team_id : ctx->user.id) != BOT_OK ||
	    engine_page_url(ctx, kind, url, sizeof(url)) != BOT_OK)
		return false;
	reply_addf(r, "%sThe old links to %s page no longer open it. The new one: %s",
	           r->text.len > 0 ? "\n" : "", team ? "the team's" : "your progress", url);
	reply_button(r, REPLY_LINK, REPLY_SECONDARY, team ? "Team page" : "Progress page", url);
	return true;
}

/* Opting in (or out) of being quoted, by name, in the daily reveals. */
static bool set_quote(struct eng_ctx *ctx, bool on, struct reply *r)
{
	if (store_user_set_quote(ctx->e->store, ctx->user.id, on) != BOT_OK)
		return false;
	reply_addf(r, "%s%s", r->text.len > 0 ? "\n" : "",
	           on ? "The daily reveal may quote your first answer, with your name, when it is "
	                "among the best. `/settings quote off` stops it."
	              : "The daily reveal never quotes you; your score only counts, unnamed, in "
	                "its histogram.");
	return true;
}

void cmd_settings(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct cmd_value *zone = cmd_get(v, "timezone"), *links = cmd_get(v, "links"),
	                       *quote = cmd_get(v, "quote");
	bool team = links->set && strcmp(links->str, "reset-team") == 0, quoted = false;

	r->ephemeral = true;
	if (!zone->set && !links->set && !quote->set) {
		store_user_quote(ctx->e->store, ctx->user.id, &quoted);
		reply_addf(r,
		           "Your time zone: %s. Quotes in the daily reveal: %s. Change them with "
		           "`/settings timezone Europe/Berlin` and `/settings quote on` (or off); "
		           "`/settings links reset` gives your progress page a new private link.",
		           engine_user_tz(ctx), quoted ? "on" : "off");
		return;
	}
	if (team && !ctx->req->is_admin) {
		reply_addf(r,
		           "Only a team admin can reset the team page's link (on Discord: Manage "
		           "Server). `/settings links reset` resets your own.");
		return;
	}
	if ((zone->set && !set_zone(ctx, zone->str, r)) ||
	    (quote->set && !set_quote(ctx, strcmp(quote->str, "on") == 0, r)) ||
	    (links->set && !reset_links(ctx, team, r)))
		engine_store_error(ctx, r);
}
