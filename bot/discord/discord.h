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
	/*
	 * The clock of requests (their `now`: streak days, the daily bonus, the
	 * answers a reveal counts), the drill's own (run --clock moves both);
	 * NULL: the wall clock.
	 */
	int64_t (*now)(void *arg);
	void *now_arg;
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

/*
 * done(arg, rc, message_id, why): BOT_OK with the new message's id;
 * BOT_EPERM when the bot may not post there (403, or the channel is gone:
 * 404), with why saying what to fix; another error when Discord failed.
 */
typedef void (*discord_sent_fn)(void *arg, int rc, const char *message_id, const char *why);

/*
 * Posts r in the channel r->dest names (POST /channels/{id}/messages,
 * through the rate limiter). nonce (at most 25 characters) is sent with
 * enforce_nonce, so a retry of the same post within Discord's window
 * returns the first message instead of making a second.
 */
void discord_send(struct discord *d, const struct reply *r, const char *nonce, discord_sent_fn done,
                  void *arg);

/* BOT_OK, or why the adapter stopped the loop (BOT_ECONFIG: a refusal to report). */
int discord_status(const struct discord *d);

#endif
