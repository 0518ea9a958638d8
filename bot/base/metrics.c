/*
 * metrics.c - a fixed table of series and their exposition. Lookups are
 * a linear scan: a few dozen series, a few thousand increments a second.
 */
#include "base/metrics.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Upper bounds in seconds, from 50 us to 1 s: the engine's p99 is a few hundred us. */
static const double BOUNDS[METRICS_BUCKETS] = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                               0.005,   0.01,   0.025,   0.1,    0.25,  1.0};

static const struct {
	const char *name;
	const char *type;
	const char *help;
} FAMILIES[METRIC_FAMILIES] = {
    [METRIC_INTERACTIONS] = {"drillbot_interactions_total", "counter",
                             "Commands and button presses handled, by platform and command."},
    [METRIC_ANSWERS] = {"drillbot_answers_stored_total", "counter",
                        "Graded answers written to the store."},
    [METRIC_HANDLER] = {"drillbot_handler_seconds", "histogram",
                        "Time the engine took to handle one interaction."},
    [METRIC_REST] = {"drillbot_rest_requests_total", "counter",
                     "Platform API requests by HTTP status (0: no response)."},
    [METRIC_RATE_LIMITED] = {"drillbot_rest_rate_limited_total", "counter",
                             "Platform API responses with status 429."},
    [METRIC_RECONNECTS] = {"drillbot_reconnects_total", "counter",
                           "Platform connections opened again after a drop."},
    [METRIC_DAILY_POSTS] = {"drillbot_daily_posts_total", "counter",
                            "Daily drill questions posted in channels."},
    [METRIC_HTTP] = {"drillbot_http_responses_total", "counter",
                     "Responses of the bot's web server by status code."},
};

void metrics_init(struct metrics *m)
{
	memset(m, 0, sizeof(*m));
}

static struct metrics_series *find(struct metrics *m, enum metrics_family f, const char *labels)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->series[i].family == f && strcmp(m->series[i].labels, labels) == 0)
			return &m->series[i];
	if (m->n == METRICS_SERIES_MAX || strlen(labels) >= METRICS_LABELS_MAX) {
		m->dropped++;
		return NULL;
	}
	m->series[m->n].family = f;
	snprintf(m->series[m->n].labels, METRICS_LABELS_MAX, "%s", labels);
	return &m->series[m->n++];
}

void metrics_add(struct metrics *m, enum metrics_family f, const char *labels, uint64_t n)
{
	struct metrics_series *s = m != NULL ? find(m, f, labels) : NULL;

	if (s != NULL)
		s->value += n;
}

void metrics_observe(struct metrics *m, enum metrics_family f, const char *labels, double seconds)
{
	struct metrics_series *s = m != NULL ? find(m, f, labels) : NULL;
	size_t i;

	if (s == NULL)
		return;
	s->value++;
	s->sum += seconds;
	for (i = 0; i < METRICS_BUCKETS; i++)
		if (seconds <= BOUNDS[i])
			s->buckets[i]++; /* cumulative, as the format wants */
}

/* name{labels,extra} with the braces only when there is a label. */
static void series_name(struct buf *out, const char *name, const char *suffix, const char *labels,
                        const char *extra)
{
	buf_addf(out, "%s%s", name, suffix);
	if (labels[0] == '\0' && extra[0] == '\0')
		return;
	buf_addf(out, "{%s%s%s}", labels, labels[0] != '\0' && extra[0] != '\0' ? "," : "", extra);
}

static void write_histogram(const struct metrics_series *s, const char *name, struct buf *out)
{
	char le[32];
	size_t i;

	for (i = 0; i < METRICS_BUCKETS; i++) {
		snprintf(le, sizeof(le), "le=\"%g\"", BOUNDS[i]);
		series_name(out, name, "_bucket", s->labels, le);
		buf_addf(out, " %llu\n", (unsigned long long)s->buckets[i]);
	}
	series_name(out, name, "_bucket", s->labels, "le=\"+Inf\"");
	buf_addf(out, " %llu\n", (unsigned long long)s->value);
	series_name(out, name, "_sum", s->labels, "");
	buf_addf(out, " %.9g\n", s->sum);
	series_name(out, name, "_count", s->labels, "");
	buf_addf(out, " %llu\n", (unsigned long long)s->value);
}

void metrics_write(const struct metrics *m, struct buf *out)
{
	static const struct metrics_series zero;
	int f;
	size_t i;

	for (f = 0; f < METRIC_FAMILIES; f++) {
		bool hist = f == METRIC_HANDLER, any = false;
		buf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", FAMILIES[f].name, FAMILIES[f].help,
		         FAMILIES[f].name, FAMILIES[f].type);
		for (i = 0; m != NULL && i < m->n; i++) {
			const struct metrics_series *s = &m->series[i];
			if ((int)s->family != f)
				continue;
			any = true;
			if (hist) {
				write_histogram(s, FAMILIES[f].name, out);
			} else {
				series_name(out, FAMILIES[f].name, "", s->labels, "");
				buf_addf(out, " %llu\n", (unsigned long long)s->value);
			}
		}
		if (!any && hist)
			write_histogram(&zero, FAMILIES[f].name, out);
		else if (!any)
			buf_addf(out, "%s 0\n", FAMILIES[f].name);
	}
}
