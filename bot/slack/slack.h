/*
 * slack.h - the Slack adapter: Socket Mode connections on the loop (a new
 * socket's hello before an old one is let go), every envelope
 * acknowledged at once, slash commands, buttons and the Answer modal
 * through the engine, and Web API calls within Slack's rate limits.
 */
#ifndef BOT_SLACK_H
#define BOT_SLACK_H

#include <stdbool.h>

#include "bank/content.h"
#include "base/loop.h"
#include "base/metrics.h"
#include "engine/engine.h"
#include "net/rest.h"
#include "net/ws.h"
#include "slack/slack_config.h"
#include "store/store.h"

struct slack;

struct slack_deps {
	struct loop *loop;
	struct rest *rest;
	struct ws_lib *ws;
	struct engine *engine;
	const struct content *content;
	struct store *store;
	const struct slack_settings *cfg;
	struct metrics *metrics; /* may be NULL */
	/*
	 * Slack stopped for good (a refused token, Socket Mode disabled): the
	 * message is printed; the owner decides whether the process goes on
	 * (the other platform keeps running). May be NULL.
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

struct slack *slack_new(const struct slack_deps *deps);
void slack_free(struct slack *s);

/*
 * auth.test, then apps.connections.open and the socket. A rejected token
 * or link_disabled stops the adapter (never the loop) with a message
 * naming the fix; every other failure is retried with backoff.
 */
void slack_start(struct slack *s);

/*
 * done(arg, rc, ts, why): BOT_OK with the message's ts; BOT_EPERM when the
 * bot may not post in the channel (not in it, gone, archived), why saying
 * what to fix; another error when Slack failed.
 */
typedef void (*slack_sent_fn)(void *arg, int rc, const char *ts, const char *why);
/* Posts r in the channel r->dest names (chat.postMessage, within its limits): the daily drill. */
void slack_send(struct slack *s, const struct reply *r, const char *nonce, slack_sent_fn done,
                void *arg);

/* Appends {"name":"slack","state":...} to json; clears *healthy unless connected. */
void slack_health(const struct slack *s, struct buf *json, bool *healthy);

/* BOT_OK, or why the adapter stopped (BOT_ECONFIG: a refusal to report). */
int slack_status(const struct slack *s);

/*
 * The app manifest for api.slack.com/apps > Create New App > From a
 * manifest, as indented JSON ending in a newline (the caller frees it).
 */
char *slack_manifest(const char *prefix);

#endif
