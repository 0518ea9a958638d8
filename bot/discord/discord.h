/*
 * discord.h - the Discord adapter: the gateway shards on the loop, every
 * interaction through the engine and back as its callback, REST calls
 * within Discord's rate limits, and command registration.
 */
#ifndef BOT_DISCORD_H
#define BOT_DISCORD_H

#include "bank/content.h"
#include "base/loop.h"
#include "discord/discord_config.h"
#include "engine/engine.h"
#include "net/rest.h"
#include "net/ws.h"
#include "store/store.h"

struct discord;

struct discord_deps {
	struct loop *loop;
	struct rest *rest;
	struct ws_lib *ws; /* NULL for register-commands */
	struct engine *engine;
	const struct content *content;
	struct store *store;
	const struct discord_settings *cfg;
	struct metrics *metrics; /* REST statuses, 429s, reconnects; may be NULL */
	/*
	 * Discord stopped for good (a refused token, a fatal close code): the
	 * message is printed and every shard stopped; the owner decides whether
	 * the process goes on (Slack may still be serving). NULL: the loop stops.
	 */
	void (*on_stop)(void *arg);
	void *stop_arg;
};

struct discord *discord_new(const struct discord_deps *deps);
void discord_free(struct discord *d);

/*
 * Connects: the application id (GET /applications/@me) when not
 * configured, GET /gateway/bot, then every shard. Failures that retrying
 * cannot cure (a rejected token, a fatal close code) stop Discord (on_stop,
 * else the loop) with a message that names the fix; discord_status() is
 * then the exit reason.
 */
void discord_start(struct discord *d);

/*
 * Bulk-overwrites the application's commands (for one guild when guild is
 * not NULL) from the command table, unless Discord already has exactly
 * them; says which on stdout, then stops the loop.
 */
void discord_register(struct discord *d, const char *guild);

/*
 * Appends each shard's state to json as /healthz objects
 * ({"name":"discord shard 0","state":"ready"}) and clears *healthy when
 * one is not ready.
 */
void discord_health(const struct discord *d, struct buf *json, bool *healthy);

/* BOT_OK, or why the adapter stopped the loop (BOT_ECONFIG: a refusal to report). */
int discord_status(const struct discord *d);

#endif
