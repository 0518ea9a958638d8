/*
 * sched.c - the daily drill's calendar arithmetic. A local wall-clock
 * time maps to zero, one or two instants; which one posts is decided
 * here, once, so every adapter and the recap agree.
 */
#include "engine/sched.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "base/tz.h"

#define DAY_S 86400

static const char *const DAY_NAMES[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                         "friday", "saturday", "sunday"};

/* The zone's UTC offset at instant t, in seconds east. */
static int offset_at(const char *tz, int64_t t, int64_t *off)
{
	struct tm tm;
	int rc = tz_local(tz, t, &tm);
	int64_t local;

	if (rc != BOT_OK)
		return rc;
	local = (int64_t)tz_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * DAY_S +
	        tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	*off = local - t;
	return BOT_OK;
}

/*
 * In a gap the offset jumps from before to after somewhere in [lo, hi]:
 * the first instant with the new offset, by bisection (offsets change at
 * most once in the two days around a wall time).
 */
static int gap_end(const char *tz, int64_t lo, int64_t hi, int64_t after, int64_t *at)
{
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2, off;
		int rc = offset_at(tz, mid, &off);
		if (rc != BOT_OK)
			return rc;
		if (off == after)
			hi = mid;
		else
			lo = mid + 1;
	}
	*at = lo;
	return BOT_OK;
}

int sched_at(const char *tz, int32_t day, int minute, int64_t *at)
{
	int64_t wall = (int64_t)day * DAY_S + (int64_t)minute * 60, before, after, cand[2];
	bool found = false;
	int rc, i;

	/* The offsets a day either side bracket any change near this wall time. */
	rc = offset_at(tz, wall - DAY_S, &before);
	if (rc == BOT_OK)
		rc = offset_at(tz, wall + DAY_S, &after);
	if (rc != BOT_OK)
		return rc;
	cand[0] = wall - before;
	cand[1] = wall - after;
	for (i = 0; i < 2; i++) {
		int64_t off;
		rc = offset_at(tz, cand[i], &off);
		if (rc != BOT_OK)
			return rc;
		/* A candidate is real when its own offset maps it back to the wall time. */
		if (cand[i] + off == wall && (!found || cand[i] < *at)) {
			*at = cand[i];
			found = true;
		}
	}
	if (found)
		return BOT_OK;
	return gap_end(tz, cand[1] < cand[0] ? cand[1] : cand[0],
	               cand[1] < cand[0] ? cand[0] : cand[1], after, at);
}

static bool is_holiday(const struct sched_rule *r, int32_t day)
{
	size_t i;

	for (i = 0; i < r->nholidays; i++)
		if (r->holidays[i] == day)
			return true;
	return false;
}

static bool posts_on(const struct sched_rule *r, int32_t day)
{
	if (!(r->days & (1u << tz_weekday(day))))
		return false;
	if (day == r->skip)
		return false;
	if (r->resume != SCHED_NO_DAY && day < r->resume)
		return false;
	return !is_holiday(r, day);
}

int sched_next(const struct sched_rule *rule, int64_t from, int64_t *at, int32_t *day)
{
	int32_t d0, d;
	int rc = tz_day(rule->tz, from, &d0);

	if (rc != BOT_OK)
		return rc;
	if ((rule->days & SCHED_ALL_DAYS) == 0)
		return BOT_ENOENT;
	for (d = d0; d < d0 + SCHED_HORIZON; d++) {
		int64_t t;
		if (!posts_on(rule, d))
			continue;
		rc = sched_at(rule->tz, d, rule->minute, &t);
		if (rc != BOT_OK)
			return rc;
		if (t >= from) {
			*at = t;
			*day = d;
			return BOT_OK;
		}
	}
	return BOT_ENOENT;
}

int sched_reveal(const char *tz, int64_t posted, int minute, int64_t *at)
{
	int32_t d0, d;
	int rc = tz_day(tz, posted, &d0);

	if (rc != BOT_OK)
		return rc;
	/* The post's day, or the next; a day further only if a zone skips a whole day. */
	for (d = d0; d <= d0 + 2; d++) {
		int64_t t;
		rc = sched_at(tz, d, minute, &t);
		if (rc != BOT_OK)
			return rc;
		if (t > posted) {
			*at = t;
			return BOT_OK;
		}
	}
	return BOT_ENOENT;
}

int sched_parse_time(const char *s, int *minute)
{
	int h = 0, m = 0, digits = 0;
	const char *p = s;

	while (isdigit((unsigned char)*p) && digits < 2) {
		h = h * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 0 || *p++ != ':')
		return BOT_EINVAL;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2] != '\0')
		return BOT_EINVAL;
	m = (p[0] - '0') * 10 + (p[1] - '0');
	if (h > 23 || m > 59)
		return BOT_EINVAL;
	*minute = h * 60 + m;
	return BOT_OK;
}

void sched_format_time(int minute, char *out, size_t size)
{
	snprintf(out, size, "%02d:%02d", minute / 60 % 24, minute % 60);
}

/* A weekday by its name or first three letters (any case), 0 = Monday; -1 if none. */
static int day_index(const char *w, size_t len)
{
	int i;

	for (i = 0; i < 7; i++)
		if ((len == 3 || len == strlen(DAY_NAMES[i])) &&
		    strncasecmp(w, DAY_NAMES[i], len) == 0)
			return i;
	return -1;
}

static bool word_is(const char *w, size_t len, const char *name)
{
	return len == strlen(name) && strncasecmp(w, name, len) == 0;
}

/* One comma-separated item: a day, a range ("fri-mon" wraps) or a named set. */
static int parse_days_item(const char *w, size_t len, unsigned *mask)
{
	const char *dash = memchr(w, '-', len);
	int a, b;

	if (word_is(w, len, "daily") || word_is(w, len, "everyday") || word_is(w, len, "all")) {
		*mask |= SCHED_ALL_DAYS;
		return BOT_OK;
	}
	if (word_is(w, len, "weekdays")) {
		*mask |= SCHED_WEEKDAYS;
		return BOT_OK;
	}
	if (word_is(w, len, "weekends") || word_is(w, len, "weekend")) {
		*mask |= 0x60u;
		return BOT_OK;
	}
	a = day_index(w, dash != NULL ? (size_t)(dash - w) : len);
	b = dash != NULL ? day_index(dash + 1, len - (size_t)(dash - w) - 1) : a;
	if (a < 0 || b < 0)
		return BOT_EINVAL;
	for (;; a = (a + 1) % 7) {
		*mask |= 1u << a;
		if (a == b)
			break;
	}
	return BOT_OK;
}

int sched_parse_days(const char *s, unsigned *mask)
{
	unsigned m = 0;
	const char *p = s;

	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		if (len == 0 || parse_days_item(p, len, &m) != BOT_OK)
			return BOT_EINVAL;
		p += len + (p[len] == ',');
	}
	if (m == 0)
		return BOT_EINVAL;
	*mask = m;
	return BOT_OK;
}

void sched_format_days(unsigned mask, char *out, size_t size)
{
	static const char *const SHORT[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	size_t o = 0;
	int i = 0;

	mask &= SCHED_ALL_DAYS;
	if (mask == SCHED_ALL_DAYS) {
		snprintf(out, size, "every day");
		return;
	}
	out[0] = '\0';
	while (i < 7) {
		int j = i;
		if (!(mask & (1u << i))) {
			i++;
			continue;
		}
		while (j + 1 < 7 && (mask & (1u << (j + 1))))
			j++;
		o += (size_t)snprintf(out + o, o < size ? size - o : 0, "%s%s%s%s", o ? "," : "",
		                      SHORT[i], j > i ? "-" : "", j > i ? SHORT[j] : "");
		i = j + 1;
	}
}

static int cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* "2026-12-24" (exactly) into a day number, checking the date exists. */
static int parse_date(const char *w, size_t len, int32_t *day)
{
	int y, m, d, yy, mm, dd;
	char buf[16];

	if (len != 10 || w[4] != '-' || w[7] != '-')
		return BOT_EINVAL;
	memcpy(buf, w, len);
	buf[len] = '\0';
	if (sscanf(buf, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
		return BOT_EINVAL;
	*day = tz_days_from_civil(y, m, d);
	tz_civil_from_days(*day, &yy, &mm, &dd);
	return yy == y && mm == m && dd == d ? BOT_OK : BOT_EINVAL; /* not 2026-02-30 */
}

int sched_parse_dates(const char *s, int32_t *days, size_t max, size_t *n)
{
	const char *p = s;
	size_t k = 0;

	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		int32_t d;
		if (parse_date(p, len, &d) != BOT_OK)
			return BOT_EINVAL;
		if (k == max)
			return BOT_ETOOBIG;
		days[k++] = d;
		p += len + (p[len] == ',');
	}
	if (k == 0)
		return BOT_EINVAL;
	qsort(days, k, sizeof(*days), cmp_day);
	*n = k;
	return BOT_OK;
}

void sched_format_dates(const int32_t *days, size_t n, char *out, size_t size)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		int y, m, d;
		if (i > 0 && days[i] == days[i - 1])
			continue;
		tz_civil_from_days(days[i], &y, &m, &d);
		o += (size_t)snprintf(out + o, o < size ? size - o : 0, "%s%04d-%02d-%02d",
		                      o ? "," : "", y, m, d);
	}
}
