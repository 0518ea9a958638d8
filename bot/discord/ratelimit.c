/* ratelimit.c - Discord REST buckets, the global limit and 429 scopes. */
#include "discord/ratelimit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECOND_MS 1000u

void rl_init(struct rl *r)
{
	memset(r, 0, sizeof(*r));
}

static int find_route(struct rl *r, const char *route)
{
	int i;

	for (i = 0; i < r->nroutes; i++)
		if (strcmp(r->routes[i].key, route) == 0)
			return i;
	return -1;
}

/* The route's slot, made on first use; the least recently used is reused when full. */
static struct rl_route *route_slot(struct rl *r, const char *route, uint64_t now)
{
	int i = find_route(r, route), oldest = 0;

	if (i < 0) {
		if (r->nroutes < RL_MAX_ROUTES) {
			i = r->nroutes++;
		} else {
			for (i = 1; i < RL_MAX_ROUTES; i++)
				if (r->routes[i].used < r->routes[oldest].used)
					oldest = i;
			i = oldest;
		}
		snprintf(r->routes[i].key, sizeof(r->routes[i].key), "%s", route);
		r->routes[i].bucket = -1;
	}
	r->routes[i].used = now;
	return &r->routes[i];
}

static uint64_t later(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

int rl_invalid(const struct rl *r, uint64_t now)
{
	return now - r->invalid_start < RL_INVALID_WINDOW_MS ? r->invalid_count : 0;
}

/*
 * When a place in the global second is free: now, or when the oldest
 * response still inside its second leaves it; while every place is in
 * flight, a little later (a response frees one).
 */
static uint64_t global_free_at(const struct rl *r, uint64_t now)
{
	uint64_t oldest = UINT64_MAX;
	int i, recent = 0;

	for (i = 0; i < RL_GLOBAL_PER_S; i++) {
		uint64_t free_at = r->done[i] + SECOND_MS + RL_GLOBAL_SLACK_MS;
		if (r->done[i] != 0 && free_at > now) {
			recent++;
			if (free_at < oldest)
				oldest = free_at;
		}
	}
	if (r->inflight + recent < RL_GLOBAL_PER_S)
		return now;
	return recent > 0 ? oldest : now + 10;
}

void rl_finished(struct rl *r, bool exempt, uint64_t now)
{
	if (exempt || r->inflight == 0)
		return;
	r->inflight--;
	r->done[r->done_next] = now > 0 ? now : 1; /* 0 marks an empty place */
	r->done_next = (r->done_next + 1) % RL_GLOBAL_PER_S;
}

uint64_t rl_acquire(struct rl *r, const char *route, bool exempt, uint64_t now)
{
	struct rl_route *rt = route_slot(r, route, now);
	struct rl_bucket *b = rt->bucket >= 0 ? &r->buckets[rt->bucket] : NULL;
	uint64_t until = exempt ? 0 : r->global_until;

	/* Past half the invalid-request budget nothing goes, interactions neither:
	 * a bot failing like that must not get its IP restricted. */
	if (rl_invalid(r, now) >= RL_INVALID_BUDGET)
		until = later(until, r->invalid_start + RL_INVALID_WINDOW_MS);

	if (b != NULL) {
		until = later(until, b->blocked_until);
		if (b->remaining == 0 && b->reset_at > now)
			until = later(until, b->reset_at);
	}
	/* rate-limits.mdx, Global Rate Limit: 50 requests per second. */
	if (!exempt)
		until = later(until, global_free_at(r, now));
	if (until > now)
		return until - now;
	if (!exempt)
		r->inflight++;
	if (b != NULL && b->remaining > 0)
		b->remaining--;
	return 0;
}

static double num(const char *s, double dflt)
{
	char *end;
	double v;

	if (s == NULL)
		return dflt;
	v = strtod(s, &end);
	return end != s ? v : dflt;
}

uint64_t rl_retry_after(const struct rl_info *in)
{
	/* The body's retry_after is in seconds with decimals; the header in whole seconds. */
	double s =
	    in->retry_after_body >= 0 ? in->retry_after_body : num(in->retry_after_header, 1.0);

	if (s < 0)
		s = 0;
	if (s > 3600)
		s = 3600;
	return (uint64_t)(s * 1000.0 + 0.999);
}

/* The bucket named id, shared by every route Discord puts in it. */
static int bucket_slot(struct rl *r, const char *id)
{
	int i;

	for (i = 0; i < r->nbuckets; i++)
		if (strcmp(r->buckets[i].id, id) == 0)
			return i;
	if (r->nbuckets >= RL_MAX_ROUTES)
		i = 0; /* a bucket table this full: start reusing; limits are learned again */
	else
		i = r->nbuckets++;
	memset(&r->buckets[i], 0, sizeof(r->buckets[i]));
	snprintf(r->buckets[i].id, sizeof(r->buckets[i].id), "%s", id);
	r->buckets[i].remaining = -1;
	return i;
}

void rl_update(struct rl *r, const char *route, const struct rl_info *in, uint64_t now)
{
	struct rl_route *rt = route_slot(r, route, now);
	struct rl_bucket *b = NULL;

	if (in->bucket != NULL && in->bucket[0] != '\0')
		rt->bucket = bucket_slot(r, in->bucket);
	else if (rt->bucket < 0)
		rt->bucket = bucket_slot(r, route); /* no header yet: the route is its own bucket */
	b = &r->buckets[rt->bucket];
	if (in->remaining != NULL)
		b->remaining = (int)num(in->remaining, -1);
	if (in->reset_after != NULL)
		b->reset_at = now + (uint64_t)(num(in->reset_after, 0) * 1000.0 + 0.999);
	if (in->status == 401 || in->status == 403 ||
	    (in->status == 429 && !(in->scope != NULL && strcmp(in->scope, "shared") == 0))) {
		if (r->invalid_count == 0 || now - r->invalid_start >= RL_INVALID_WINDOW_MS) {
			r->invalid_start = now;
			r->invalid_count = 0;
		}
		r->invalid_count++;
	}
	if (in->status != 429)
		return;
	/* rate-limits.mdx: the scope says whose limit it was; wait retry_after either way. */
	if ((in->global != NULL && strcmp(in->global, "true") == 0) ||
	    (in->scope != NULL && strcmp(in->scope, "global") == 0))
		r->global_until = later(r->global_until, now + rl_retry_after(in));
	else
		b->blocked_until = later(b->blocked_until, now + rl_retry_after(in));
}

static bool is_id(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

void rl_route(char *out, size_t size, const char *method, const char *path)
{
	size_t o = (size_t)snprintf(out, size, "%s ", method);
	const char *p = path;
	const char *prev = "";
	size_t prevn = 0;

	/* Interaction and webhook routes are keyed by their id and token: major parameters. */
	bool major_all =
	    strncmp(path, "/interactions/", 14) == 0 || strncmp(path, "/webhooks/", 10) == 0;

	while (*p != '\0' && o + 1 < size) {
		size_t n;
		if (*p == '/') {
			out[o++] = *p++;
			continue;
		}
		n = strcspn(p, "/?");
		/* Channel and guild ids are major parameters too (rate-limits.mdx). */
		bool keep = major_all || !is_id(p, n) ||
		            (prevn == 8 && strncmp(prev, "channels", 8) == 0) ||
		            (prevn == 6 && strncmp(prev, "guilds", 6) == 0);
		const char *word = keep ? p : ":id";
		size_t wn = keep ? n : 3;
		if (o + wn >= size)
			break;
		memcpy(out + o, word, wn);
		o += wn;
		prev = p;
		prevn = n;
		p += n;
		if (*p == '?')
			break;
	}
	out[o < size ? o : size - 1] = '\0';
}
