/*
 * gateway.h - one Discord gateway session (v10, JSON) for one shard, after
 * the docs' gateway.mdx: HELLO, heartbeats with jitter and the last
 * sequence, IDENTIFY or RESUME, dispatches, op 1/7/9/11, and the close
 * code table of opcodes-and-status-codes.mdx. Every state is per struct
 * gw, so one process runs many shards on the one loop.
 *
 * Reconnects after any drop the docs allow, to resume_gateway_url when the
 * session can resume, with capped exponential backoff and jitter; codes the
 * docs mark as not reconnectable end the session with on_fatal.
 */
#ifndef BOT_DISCORD_GATEWAY_H
#define BOT_DISCORD_GATEWAY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/loop.h"
#include "base/metrics.h"
#include "net/ws.h"

#define GW_INTENT_GUILDS  1u
#define GW_SEND_LIMIT     120 /* gateway events per connection per 60 s (gateway.mdx) */
#define GW_SEND_RESERVED  10  /* of those kept for heartbeats */
#define GW_MAX_MESSAGE    (8u * 1024u * 1024u)
#define GW_BACKOFF_MAX_MS 60000u

struct gw;

struct gw_cbs {
	/* A dispatch (op 0): t is its event name ("INTERACTION_CREATE"), d borrowed. */
	void (*on_dispatch)(void *arg, struct gw *g, const char *t, json_t *d);
	/* The session may IDENTIFY: call gw_identify() when its concurrency bucket allows. */
	void (*want_identify)(void *arg, struct gw *g);
	/* A close code the docs say not to reconnect after: the session is over. */
	void (*on_fatal)(void *arg, struct gw *g, int code, const char *why);
};

struct gw_opts {
	const char *url;   /* the gateway URL from GET /gateway/bot, without a query */
	const char *token; /* borrowed; never logged */
	int shard, shards; /* shard id and count; shards 0: send no shard array */
	uint32_t intents;
	const char *user_agent;  /* or NULL */
	struct metrics *metrics; /* counts reconnects; may be NULL */
};

int gw_new(struct gw **out, struct loop *l, struct ws_lib *lib, const struct gw_opts *o,
           const struct gw_cbs *cb, void *arg);
/* Connects (or reconnects) now. */
void gw_start(struct gw *g);
/* Sends the IDENTIFY a want_identify asked for; nothing if the moment has passed. */
void gw_identify(struct gw *g);
/* Ends the session for good (close 1000: Discord forgets it); no reconnect. */
void gw_stop(struct gw *g);
void gw_free(struct gw *g);

/* The shard id. */
int gw_shard(const struct gw *g);
/* "idle", "connecting", "hello", "identifying", "resuming", "ready" or "stopped". */
const char *gw_state_name(const struct gw *g);

/* What a close code asks for (opcodes-and-status-codes.mdx): exposed for tests. */
enum gw_after_close { GW_RESUME, GW_NEW_SESSION, GW_FATAL };
enum gw_after_close gw_close_action(int code);
/* The fix to name for a fatal close code. */
const char *gw_close_fix(int code);

#endif
