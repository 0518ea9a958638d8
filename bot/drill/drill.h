/*
 * drill.h - the daily drill's scheduler: one loop timer for every channel
 * with the drill on (the earliest due post), which asks the engine for
 * the post (recorded once per channel and local day) and hands it to the
 * adapter of the channel's platform. Platform-neutral: adapters register
 * a sink; the console is one.
 */
#ifndef BOT_DRILL_H
#define BOT_DRILL_H

#include <stdint.h>

#include "base/loop.h"
#include "engine/engine.h"
#include "store/store.h"

struct drill;

/*
 * Where a post goes: the adapter of one platform. send() delivers r (its
 * dest says where) and, once the platform took it or refused it, calls
 * done(done_arg, rc, message_id): BOT_OK with the platform's message id
 * ("" when it has none), BOT_EPERM when the bot may not post there (no
 * access, channel gone: the drill stops in that channel), another error
 * for a failure that a later try may not hit (the post stays pending).
 * nonce is the same for every try of one post (Discord's enforce_nonce).
 */
typedef void (*drill_done_fn)(void *done_arg, int rc, const char *message_id, const char *why);

struct drill_sink {
	const char *platform; /* "console", "discord", "slack" */
	void (*send)(void *arg, const struct reply *r, const char *nonce, drill_done_fn done,
	             void *done_arg);
	void *arg;
};

struct drill_deps {
	struct loop *loop;
	struct engine *engine;
	struct store *store;
	int64_t (*now)(void *arg); /* the clock (console --clock moves it) */
	void *now_arg;
	const char *default_tz;
	int64_t catch_up_s; /* a post missed by less than this is sent late, else skipped */
};

#define DRILL_MAX_SINKS 4

int drill_new(const struct drill_deps *deps, struct drill **out);
/* Adds a platform's sink (at most DRILL_MAX_SINKS); posts to a platform without one wait. */
void drill_add_sink(struct drill *d, const struct drill_sink *s);
/* Loads every channel with the drill on and arms the timer. */
int drill_start(struct drill *d);
/* The engine's hook (engine_on_daily): channel's settings changed; re-read it. */
void drill_changed(void *arg, int64_t channel_id);
/* How many channels are scheduled; for tests and the bench. */
size_t drill_size(const struct drill *d);
void drill_free(struct drill *d);

#endif
