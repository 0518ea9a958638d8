/* slimit.c - token buckets per Slack method (and per channel for chat.postMessage). */
#include "slack/slimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define CHANNEL_PER_S 1.0 /* chat.postMessage: one a second per channel */
#define CHANNEL_BURST 4.0

/* The tiers of the methods the bot calls (each method's reference page). */
static const struct {
	const char *method;
	unsigned per_min;
} tiers[] = {
    {"auth.test", 100},          /* special: Tier 4-like */
    {"chat.postEphemeral", 100}, /* Tier 4 */
    {"views.open", 100},         /* Tier 4 */
    {"users.info", 100},         /* Tier 4 */
    {"chat.postMessage", 0},     /* special: per channel, below */
};

void slimit_init(struct slimit *l)
{
	memset(l, 0, sizeof(*l));
}

unsigned slimit_per_minute(const char *method)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(tiers); i++)
		if (strcmp(method, tiers[i].method) == 0)
			return tiers[i].per_min;
	return 0;
}

/* The bucket for key, new (full) or the oldest slot reused when all are taken. */
static struct slimit_bucket *bucket(struct slimit *l, const char *key, double full, uint64_t now)
{
	struct slimit_bucket *b = NULL;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->b[i].key, key) == 0) {
			l->b[i].used = now;
			return &l->b[i];
		}
	}
	if (l->n < SLIMIT_MAX_BUCKETS) {
		b = &l->b[l->n++];
	} else {
		b = &l->b[0];
		for (i = 1; i < l->n; i++)
			if (l->b[i].used < b->used && l->b[i].blocked_until <= now)
				b = &l->b[i];
	}
	memset(b, 0, sizeof(*b));
	snprintf(b->key, sizeof(b->key), "%s", key);
	b->tokens = full;
	b->last = now;
	b->used = now;
	return b;
}

/* Refills at per_s up to full; the wait in ms for one token, 0 when one was taken. */
static uint64_t take(struct slimit_bucket *b, double per_s, double full, uint64_t now)
{
	if (now > b->last) {
		b->tokens += (double)(now - b->last) * per_s / 1000.0;
		if (b->tokens > full)
			b->tokens = full;
		b->last = now;
	}
	b->used = now;
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
		return 0;
	}
	return (uint64_t)((1.0 - b->tokens) * 1000.0 / per_s) + 1;
}

uint64_t slimit_acquire(struct slimit *l, const char *method, const char *channel, uint64_t now)
{
	unsigned per_min = slimit_per_minute(method);
	struct slimit_bucket *m = bucket(l, method, per_min, now);
	char key[SLIMIT_KEY_MAX];

	if (m->blocked_until > now)
		return m->blocked_until - now;
	if (strcmp(method, "chat.postMessage") == 0 && channel != NULL) {
		snprintf(key, sizeof(key), "%s %s", method, channel);
		return take(bucket(l, key, CHANNEL_BURST, now), CHANNEL_PER_S, CHANNEL_BURST, now);
	}
	if (per_min == 0)
		return 0;
	return take(m, per_min / 60.0, per_min, now);
}

void slimit_blocked(struct slimit *l, const char *method, uint64_t ms, uint64_t now)
{
	struct slimit_bucket *m = bucket(l, method, slimit_per_minute(method), now);

	if (now + ms > m->blocked_until)
		m->blocked_until = now + ms;
}

uint64_t slimit_retry_after_ms(const char *header)
{
	char *end;
	long s;

	if (header == NULL)
		return 1000;
	s = strtol(header, &end, 10);
	if (end == header || s < 1)
		return 1000;
	if (s > SLIMIT_RETRY_MAX_S)
		s = SLIMIT_RETRY_MAX_S;
	return (uint64_t)s * 1000u;
}
