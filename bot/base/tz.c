/*
 * tz.c - zone conversions through the C library's tz code. glibc reads a
 * zone's rules when TZ changes, so the last zone is remembered and TZ is
 * only switched when a different zone is asked for. The process is single
 * threaded, which makes the TZ switch safe.
 */
#include "base/tz.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

static char current[TZ_NAME_MAX];

static const char *zone_dir(void)
{
	const char *d = getenv("TZDIR");
	return d != NULL && *d != '\0' ? d : "/usr/share/zoneinfo";
}

static bool safe_name(const char *name)
{
	size_t n = strlen(name);
	const char *p;

	if (n == 0 || n >= TZ_NAME_MAX || name[0] == '/' || strstr(name, "..") != NULL)
		return false;
	for (p = name; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("_+-/", *p) == NULL)
			return false;
	}
	return true;
}

bool tz_valid(const char *name)
{
	char path[512];
	char magic[4];
	FILE *f;
	bool ok;

	if (name == NULL || !safe_name(name))
		return false;
	if (strcmp(name, "UTC") == 0)
		return true;
	snprintf(path, sizeof(path), "%s/%s", zone_dir(), name);
	f = fopen(path, "rb");
	if (f == NULL)
		return false;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

static int use_zone(const char *name)
{
	if (strcmp(current, name) == 0)
		return BOT_OK;
	if (!tz_valid(name))
		return BOT_EINVAL;
	setenv("TZ", name, 1);
	tzset();
	snprintf(current, sizeof(current), "%s", name);
	return BOT_OK;
}

int tz_local(const char *name, int64_t t, struct tm *out)
{
	time_t tt = (time_t)t;
	int err = use_zone(name);

	if (err != BOT_OK)
		return err;
	if (localtime_r(&tt, out) == NULL)
		return BOT_EINVAL;
	return BOT_OK;
}

int tz_day(const char *name, int64_t t, int32_t *day)
{
	struct tm tm;
	int err = tz_local(name, t, &tm);

	if (err != BOT_OK)
		return err;
	*day = tz_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return BOT_OK;
}

int tz_midnight(const char *name, int32_t day, int64_t *out)
{
	struct tm tm;
	int y, m, d;
	time_t t;
	int err = use_zone(name);

	if (err != BOT_OK)
		return err;
	tz_civil_from_days(day, &y, &m, &d);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	/* Where midnight does not exist (a DST jump at 00:00), mktime moves
	 * forward to the first valid instant, which is the day's start. */
	t = mktime(&tm);
	if (t == (time_t)-1)
		return BOT_EINVAL;
	*out = (int64_t)t;
	return BOT_OK;
}

/* Howard Hinnant's days_from_civil, for any Gregorian date. */
int32_t tz_days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void tz_civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int tz_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int w = (int)((day + 3) % 7);
	return w < 0 ? w + 7 : w;
}
