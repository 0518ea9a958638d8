/*
 * cmd_settings.c - /settings: the user's time zone, whether the daily
 * reveal may quote their answers, their place on the board, and new links
 * for the private pages. The table checks the values, so the handler only
 * stores them.
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
	reply_addf(r, "%sThe old links to %s no longer open it. The new one: %s",
	           r->text.len > 0 ? "\n" : "", team ? "the team's page" : "your progress page",
	           url);
	if (!team)
		reply_addf(r, "\nAn old `/export-me` download link is retired too.");
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

/* Hidden users keep everything but their name on boards; says what changes and what not. */
static bool set_hidden(struct eng_ctx *ctx, bool hidden, struct reply *r)
{
	if (store_user_set_hidden(ctx->e->store, ctx->user.id, hidden) != BOT_OK)
		return false;
	if (hidden)
		reply_addf(
		    r,
		    "%sYou keep your place private now: `/leaderboard`, the team page and the "
		    "daily recaps no longer name you. Your streak, stats and points still "
		    "count, and `/leaderboard` shows your own rank to you alone. "
		    "`/settings leaderboard show` puts you back on the board.",
		    r->text.len > 0 ? "\n" : "");
	else
		reply_addf(
		    r,
		    "%sYou are on the board again: `/leaderboard`, the team page and the daily "
		    "recaps name you with your points.",
		    r->text.len > 0 ? "\n" : "");
	return true;
}

void cmd_settings(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct cmd_value *zone = cmd_get(v, "timezone"), *links = cmd_get(v, "links"),
	                       *quote = cmd_get(v, "quote"), *board = cmd_get(v, "leaderboard");
	bool team = links->set && strcmp(links->str, "reset-team") == 0, quoted = false;
	bool hidden = false;

	r->ephemeral = true;
	if (!zone->set && !links->set && !quote->set && !board->set) {
		if (store_user_quote(ctx->e->store, ctx->user.id, &quoted) != BOT_OK ||
		    store_user_hidden(ctx->e->store, ctx->user.id, &hidden) != BOT_OK) {
			engine_store_error(ctx, r);
			return;
		}
		reply_addf(
		    r,
		    "Your time zone: %s. Change it with `/settings timezone Europe/Berlin`.\n"
		    "Quotes in the daily reveal: %s; `/settings quote on` (or off) changes it.\n"
		    "The leaderboard %s; `/settings leaderboard %s` %s.\n"
		    "`/settings links reset` gives your private pages new links.",
		    engine_user_tz(ctx), quoted ? "on" : "off",
		    hidden ? "does not name you (you keep your place private)" : "names you",
		    hidden ? "show" : "hide",
		    hidden ? "puts you back on it" : "keeps your place private");
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
	    (links->set && !reset_links(ctx, team, r)) ||
	    (board->set && !set_hidden(ctx, strcmp(board->str, "hide") == 0, r)))
		engine_store_error(ctx, r);
}
