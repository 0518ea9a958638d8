/*
 * metrics.h - the counters and one latency histogram /metrics shows, in
 * the Prometheus text exposition format (version 0.0.4). Families are
 * declared up front, so every one appears, at zero, before the piece that
 * feeds it runs (dashboards can be built now). Series are a small fixed
 * table found by name and labels: label values must come from a closed
 * set (command names, platforms, status codes), never from user input.
 */
#ifndef BOT_METRICS_H
#define BOT_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

#define METRICS_SERIES_MAX 256
#define METRICS_BUCKETS    12
#define METRICS_LABELS_MAX 96

enum metrics_family {
	METRIC_INTERACTIONS, /* {platform, command} */
	METRIC_ANSWERS,      /* {platform} */
	METRIC_HANDLER,      /* histogram of the engine's handling time, {platform} */
	METRIC_REST,         /* {platform, status} */
	METRIC_RATE_LIMITED, /* 429s, {platform} */
	METRIC_RECONNECTS,   /* {platform} */
	METRIC_DAILY_POSTS,  /* {platform} */
	METRIC_HTTP,         /* the web server's responses, {code} */
	METRIC_FAMILIES
};

struct metrics_series {
	enum metrics_family family;
	char labels[METRICS_LABELS_MAX]; /* 'platform="discord",command="stats"' */
	uint64_t value;                  /* a counter, or a histogram's count */
	double sum;                      /* a histogram's sum */
	uint64_t buckets[METRICS_BUCKETS];
};

struct metrics {
	struct metrics_series series[METRICS_SERIES_MAX];
	size_t n;
	uint64_t dropped; /* increments that found the table full */
};

void metrics_init(struct metrics *m);
/* Adds n to the family's series with these labels ("" for none). */
void metrics_add(struct metrics *m, enum metrics_family f, const char *labels, uint64_t n);
/* Records one observation, in seconds, in a histogram family. */
void metrics_observe(struct metrics *m, enum metrics_family f, const char *labels, double seconds);
/* Appends every family in the text format. */
void metrics_write(const struct metrics *m, struct buf *out);

#endif
