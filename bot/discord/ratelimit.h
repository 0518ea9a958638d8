/*
 * ratelimit.h - Discord's REST rate limits as a pure module (the clock is
 * passed in), after rate-limits.mdx: per-route buckets learned from the
 * X-RateLimit-* headers, a proactive global limit of 50 requests a
 * second that interaction endpoints are exempt from, and 429s obeyed for
 * their scope (global, user, shared) for retry_after. Nothing is sent into
 * a bucket known to be empty.
 */
#ifndef BOT_DISCORD_RATELIMIT_H
#define BOT_DISCORD_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RL_GLOBAL_PER_S    50
#define RL_GLOBAL_SLACK_MS 5 /* clock granularity on both sides */
#define RL_MAX_ROUTES      64
#define RL_ROUTE_MAX       160
/* rate-limits.mdx: 10,000 invalid requests (401, 403, 429 not shared) per 10 minutes
 * restrict the IP; the bot stops sending at half that, for the rest of the window. */
#define RL_INVALID_BUDGET    5000
#define RL_INVALID_WINDOW_MS 600000u

struct rl_bucket {
	char id[64];            /* X-RateLimit-Bucket, or "" while unknown */
	int remaining;          /* -1 while unknown */
	uint64_t reset_at;      /* ms: remaining refills then */
	uint64_t blocked_until; /* a 429 for this bucket: nothing before then */
};

struct rl_route {
	char key[RL_ROUTE_MAX];
	int bucket;    /* index into buckets */
	uint64_t used; /* last use, to reuse the slot of the oldest */
};

struct rl {
	struct rl_route routes[RL_MAX_ROUTES];
	struct rl_bucket buckets[RL_MAX_ROUTES];
	int nroutes, nbuckets;
	uint64_t global_until; /* a global 429: nothing before then */
	/*
	 * The global limit, counted as Discord can see it: a request occupies a
	 * place from its send until a second after its response (by then it has
	 * surely arrived), so no second, however the server cuts it, holds more
	 * than RL_GLOBAL_PER_S, whatever libcurl's queues and connections do.
	 * done holds the last RL_GLOBAL_PER_S response times (a ring at done_next).
	 */
	int inflight;
	uint64_t done[RL_GLOBAL_PER_S];
	int done_next;
	uint64_t invalid_start; /* the invalid-request window */
	int invalid_count;
};

/* What a response said about limits; NULL strings for absent headers. */
struct rl_info {
	long status;
	const char *bucket, *remaining, *reset_after, *scope, *global, *retry_after_header;
	double retry_after_body; /* from the 429 JSON body; < 0 when absent */
};

void rl_init(struct rl *r);
/*
 * How long a request on route must wait, in ms from now; 0 means it may go,
 * and it is counted (the bucket's remaining and the global second). exempt:
 * an interaction endpoint, outside the global limit.
 */
uint64_t rl_acquire(struct rl *r, const char *route, bool exempt, uint64_t now);
/*
 * A request rl_acquire let go is over (answered, failed or never sent):
 * its place in the global second is freed a second after now.
 */
void rl_finished(struct rl *r, bool exempt, uint64_t now);
/* Learns from a response to a request on route. */
void rl_update(struct rl *r, const char *route, const struct rl_info *in, uint64_t now);
/* Invalid requests counted in the current 10-minute window. */
int rl_invalid(const struct rl *r, uint64_t now);
/* For a 429: how long to wait before retrying, ms. */
uint64_t rl_retry_after(const struct rl_info *in);
/* The route key of a request: major parameters kept, other ids folded ("GET
 * /channels/1/messages/:id"). */
void rl_route(char *out, size_t size, const char *method, const char *path);

#endif
