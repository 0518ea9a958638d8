/*
 * slimit.h - Slack's Web API rate limits as a pure module (the clock is
 * passed in), after docs.slack.dev/apis/web-api/rate-limits: each method
 * has a tier (1: 1+ a minute, 2: 20+, 3: 50+, 4: 100+), chat.postMessage
 * is about one message a second per channel with short bursts, and a 429
 * says in Retry-After how many seconds that method must rest. Limits are
 * token buckets that hold a minute's worth, so a burst goes out at once
 * and a flood is spread over the minute instead of being refused.
 */
#ifndef BOT_SLACK_SLIMIT_H
#define BOT_SLACK_SLIMIT_H

#include <stddef.h>
#include <stdint.h>

#define SLIMIT_MAX_BUCKETS 128
#define SLIMIT_KEY_MAX     96
#define SLIMIT_RETRY_MAX_S 600 /* a Retry-After past this is read as this */

struct slimit_bucket {
	char key[SLIMIT_KEY_MAX]; /* "method" or "method channel" */
	double tokens;
	uint64_t last;          /* ms: tokens were counted then */
	uint64_t blocked_until; /* ms: a 429 said to rest until then */
	uint64_t used;          /* last use, to reuse the oldest slot */
};

struct slimit {
	struct slimit_bucket b[SLIMIT_MAX_BUCKETS];
	size_t n;
};

void slimit_init(struct slimit *l);
/* Requests a minute method may make (its tier); 0 for methods without a proactive limit. */
unsigned slimit_per_minute(const char *method);
/*
 * How long a call of method (in channel, or NULL) must wait, in ms from
 * now; 0 means it may go, and it is counted.
 */
uint64_t slimit_acquire(struct slimit *l, const char *method, const char *channel, uint64_t now);
/* A 429 for method: nothing of that method before now + ms. */
void slimit_blocked(struct slimit *l, const char *method, uint64_t ms, uint64_t now);
/* A Retry-After header in ms: whole seconds; absent or bad is 1 s (the docs' least). */
uint64_t slimit_retry_after_ms(const char *header);

#endif
