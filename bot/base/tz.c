/*
 * tz.c - IANA zones read straight from their TZif files (RFC 8536) and
 * kept in a small per-zone cache, so a conversion never touches the
 * process environment (no setenv("TZ") / tzset): a store thread or a
 * second backend may run beside the loop one day. Instants past a file's
 * last transition follow its footer, a POSIX TZ rule (RFC 8536 §3.3).
 */
#include "base/tz.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"

#define TZ_FILE_MAX  (256 * 1024)
#define TZ_CACHE     32
#define TZ_MAX_TYPES 256
#define DAY          86400

/* A POSIX rule date: Jn (julian, no Feb 29), n (zero-based, leap counted) or Mm.w.d. */
struct rule_date {
	char kind; /* 'J', 'D' or 'M' */
	int n, m, w, d;
	int32_t secs; /* local time of day of the change; may be negative or past 24h */
};

struct rule {
	bool valid;
	int32_t std_off, dst_off; /* UT offsets, east positive */
	bool has_dst;
	struct rule_date start, end;
};

struct zone {
	char name[TZ_NAME_MAX];
	int64_t *trans;
	uint8_t *idx;
	size_t ntrans;
	int32_t off[TZ_MAX_TYPES];
	bool isdst[TZ_MAX_TYPES];
	size_t ntypes;
	struct rule footer;
};

static struct zone *cache[TZ_CACHE];
static size_t cache_next; /* round-robin victim once full */

const char *tz_dir(void)
{
	const char *d = getenv("TZDIR");
	return d != NULL && *d != '\0' ? d : "/usr/share/zoneinfo";
}

bool tz_name_ok(const char *name)
{
	size_t n;
	const char *p;

	if (name == NULL)
		return false;
	n = strlen(name);
	if (n == 0 || n >= TZ_NAME_MAX || name[0] == '/' || strstr(name, "..") != NULL)
		return false;
	for (p = name; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("_+-/", *p) == NULL)
			return false;
	}
	return true;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* ---- the POSIX TZ footer ---- */

static const char *skip_name(const char *s)
{
	if (*s == '<') {
		const char *e = strchr(s, '>');
		return e != NULL ? e + 1 : NULL;
	}
	while (isalpha((unsigned char)*s))
		s++;
	return s;
}

/* [+-]hh[:mm[:ss]] into seconds; hours up to 167 (RFC 8536 §3.3.1). */
static const char *parse_hms(const char *s, int32_t *out)
{
	int sign = 1;
	long h = 0, m = 0, sec = 0;
	char *end;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*s))
		return NULL;
	h = strtol(s, &end, 10);
	s = end;
	if (*s == ':') {
		m = strtol(s + 1, &end, 10);
		s = end;
		if (*s == ':') {
			sec = strtol(s + 1, &end, 10);
			s = end;
		}
	}
	if (h > 167 || m > 59 || sec > 59)
		return NULL;
	*out = (int32_t)(sign * (h * 3600 + m * 60 + sec));
	return s;
}

static const char *parse_date(const char *s, struct rule_date *d)
{
	char *end;

	d->secs = 2 * 3600;
	if (*s == 'M') {
		d->kind = 'M';
		d->m = (int)strtol(s + 1, &end, 10);
		if (*end != '.')
			return NULL;
		d->w = (int)strtol(end + 1, &end, 10);
		if (*end != '.')
			return NULL;
		d->d = (int)strtol(end + 1, &end, 10);
		if (d->m < 1 || d->m > 12 || d->w < 1 || d->w > 5 || d->d < 0 || d->d > 6)
			return NULL;
	} else if (*s == 'J' || isdigit((unsigned char)*s)) {
		d->kind = *s == 'J' ? 'J' : 'D';
		d->n = (int)strtol(*s == 'J' ? s + 1 : s, &end, 10);
		if (d->n < (d->kind == 'J') || d->n > 365)
			return NULL;
	} else {
		return NULL;
	}
	s = end;
	if (*s == '/')
		s = parse_hms(s + 1, &d->secs);
	return s;
}

/* "CET-1CEST,M3.5.0,M10.5.0/3": std name, offset, [dst name [offset] ,start,end]. */
static bool parse_rule(const char *s, struct rule *r)
{
	int32_t off;

	memset(r, 0, sizeof(*r));
	s = skip_name(s);
	if (s == NULL || (s = parse_hms(s, &off)) == NULL)
		return false;
	r->std_off = -off; /* POSIX counts west as positive */
	if (*s == '\0') {
		r->valid = true;
		return true;
	}
	s = skip_name(s);
	if (s == NULL)
		return false;
	r->dst_off = r->std_off + 3600;
	if (*s != ',' && *s != '\0') {
		if ((s = parse_hms(s, &off)) == NULL)
			return false;
		r->dst_off = -off;
	}
	if (*s != ',' || (s = parse_date(s + 1, &r->start)) == NULL || *s != ',' ||
	    (s = parse_date(s + 1, &r->end)) == NULL || *s != '\0')
		return false;
	r->has_dst = true;
	r->valid = true;
	return true;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The day number of a rule date in year y. */
static int32_t rule_day(const struct rule_date *d, int y)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int32_t jan1 = tz_days_from_civil(y, 1, 1);
	int32_t first, day;
	int len;

	if (d->kind == 'J')
		return jan1 + d->n - 1 + (leap(y) && d->n >= 60);
	if (d->kind == 'D')
		return jan1 + d->n;
	first = tz_days_from_civil(y, d->m, 1);
	/* tz_weekday is Monday = 0; POSIX d is Sunday = 0. */
	day = first + (d->d - (tz_weekday(first) + 1) % 7 + 7) % 7 + (d->w - 1) * 7;
	len = mdays[d->m - 1] + (d->m == 2 && leap(y));
	while (day >= first + len)
		day -= 7;
	return day;
}

static int32_t rule_offset(const struct rule *r, int64_t t, bool *isdst)
{
	int y, m, d;
	int64_t start, end;
	bool in;

	*isdst = false;
	if (!r->has_dst)
		return r->std_off;
	tz_civil_from_days((int32_t)floor_div(t + r->std_off, DAY), &y, &m, &d);
	/* The start is given in standard time, the end in daylight time. */
	start = (int64_t)rule_day(&r->start, y) * DAY + r->start.secs - r->std_off;
	end = (int64_t)rule_day(&r->end, y) * DAY + r->end.secs - r->dst_off;
	in = start < end ? (t >= start && t < end) : !(t >= end && t < start);
	*isdst = in;
	return in ? r->dst_off : r->std_off;
}

/* ---- TZif files ---- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

static bool read_counts(const unsigned char *p, size_t len, struct tzif_counts *c)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return false;
	c->isut = be32(p + 20);
	c->isstd = be32(p + 24);
	c->leap = be32(p + 28);
	c->time = be32(p + 32);
	c->type = be32(p + 36);
	c->chars = be32(p + 40);
	return c->type >= 1 && c->type <= TZ_MAX_TYPES && c->time <= 100000 && c->leap <= 10000;
}

static size_t block_size(const struct tzif_counts *c, size_t tsize)
{
	return c->time * tsize + c->time + c->type * 6 + c->chars + c->leap * (tsize + 4) +
	       c->isstd + c->isut;
}

/* Fills z from one data block (v1 with 4-byte times, v2+ with 8-byte). */
static bool read_block(struct zone *z, const unsigned char *p, const struct tzif_counts *c,
                       size_t tsize)
{
	size_t i;

	z->ntrans = c->time;
	z->trans = xcalloc(c->time + 1, sizeof(*z->trans));
	z->idx = xcalloc(c->time + 1, 1);
	for (i = 0; i < c->time; i++)
		z->trans[i] = tsize == 8 ? be64(p + i * 8) : (int32_t)be32(p + i * 4);
	p += c->time * tsize;
	for (i = 0; i < c->time; i++) {
		z->idx[i] = p[i];
		if (p[i] >= c->type)
			return false;
	}
	p += c->time;
	z->ntypes = c->type;
	for (i = 0; i < c->type; i++) {
		z->off[i] = (int32_t)be32(p + i * 6);
		z->isdst[i] = p[i * 6 + 4] != 0;
	}
	return true;
}

static bool parse_tzif(struct zone *z, const unsigned char *p, size_t len)
{
	struct tzif_counts c;
	size_t v1, v2;
	const unsigned char *foot, *nl;

	if (!read_counts(p, len, &c))
		return false;
	v1 = 44 + block_size(&c, 4);
	if (p[4] == '\0' || v1 > len)
		return v1 <= len && read_block(z, p + 44, &c, 4);
	p += v1;
	len -= v1;
	if (!read_counts(p, len, &c))
		return false;
	v2 = 44 + block_size(&c, 8);
	if (v2 > len || !read_block(z, p + 44, &c, 8))
		return false;
	foot = p + v2;
	if (foot < p + len && *foot == '\n') {
		nl = memchr(foot + 1, '\n', (size_t)(p + len - foot - 1));
		if (nl != NULL && nl > foot + 1) {
			char rule[128];
			snprintf(rule, sizeof(rule), "%.*s", (int)(nl - foot - 1), foot + 1);
			parse_rule(rule, &z->footer);
		}
	}
	return true;
}

static void zone_free(struct zone *z)
{
	if (z == NULL)
		return;
	free(z->trans);
	free(z->idx);
	free(z);
}

static struct zone *zone_load(const char *name)
{
	char path[512];
	char *data = NULL;
	size_t len = 0;
	struct zone *z;

	snprintf(path, sizeof(path), "%s/%s", tz_dir(), name);
	if (util_read_file(path, TZ_FILE_MAX, &data, &len) != BOT_OK)
		return NULL;
	z = xcalloc(1, sizeof(*z));
	snprintf(z->name, sizeof(z->name), "%s", name);
	if (!parse_tzif(z, (const unsigned char *)data, len)) {
		zone_free(z);
		z = NULL;
	}
	free(data);
	return z;
}

static const struct zone *zone_get(const char *name)
{
	struct zone *z;
	size_t i;

	if (name == NULL || !tz_name_ok(name))
		return NULL;
	for (i = 0; i < TZ_CACHE && cache[i] != NULL; i++) {
		if (strcmp(cache[i]->name, name) == 0)
			return cache[i];
	}
	z = zone_load(name);
	if (z == NULL)
		return NULL;
	if (i == TZ_CACHE) {
		i = cache_next;
		cache_next = (cache_next + 1) % TZ_CACHE;
		zone_free(cache[i]);
	}
	cache[i] = z;
	return z;
}

void tz_cache_clear(void)
{
	size_t i;

	for (i = 0; i < TZ_CACHE; i++) {
		zone_free(cache[i]);
		cache[i] = NULL;
	}
	cache_next = 0;
}

/* The UT offset in force at t. */
static int32_t offset_at(const struct zone *z, int64_t t, bool *isdst)
{
	size_t lo = 0, hi = z->ntrans;

	if (z->ntrans == 0 || t < z->trans[0]) {
		if (z->ntrans == 0 && z->footer.valid)
			return rule_offset(&z->footer, t, isdst);
		*isdst = z->isdst[0];
		return z->off[0]; /* before the first transition: type 0 (RFC 8536 §3.2) */
	}
	if (t >= z->trans[z->ntrans - 1] && z->footer.valid)
		return rule_offset(&z->footer, t, isdst);
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	*isdst = z->isdst[z->idx[lo]];
	return z->off[z->idx[lo]];
}

/* Files in the tz database that are not zones a person lives in. */
static bool not_a_zone(const char *name)
{
	return strcmp(name, "posixrules") == 0 || strcmp(name, "localtime") == 0 ||
	       strcmp(name, "Factory") == 0 || strncmp(name, "right/", 6) == 0 ||
	       strncmp(name, "posix/", 6) == 0;
}

bool tz_valid(const char *name)
{
	return name != NULL &&
	       (strcmp(name, "UTC") == 0 || (!not_a_zone(name) && zone_get(name) != NULL));
}

/* The entry of folder dir whose name equals want but for case, into out. */
static bool find_casefold(const char *dir, const char *want, size_t n, char *out, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	if (d == NULL)
		return false;
	while (!found && (e = readdir(d)) != NULL) {
		if (strlen(e->d_name) == n && strncasecmp(e->d_name, want, n) == 0) {
			snprintf(out, size, "%s", e->d_name);
			found = true;
		}
	}
	closedir(d);
	return found;
}

/* The zone name equal to name but for case ("europe/berlin"), or false. */
static bool casefold_zone(const char *name, char *out, size_t size)
{
	char dir[1024], part[256];
	struct buf fixed;
	const char *p = name;
	bool ok = true;

	if ((size_t)snprintf(dir, sizeof(dir), "%s", tz_dir()) >= sizeof(dir))
		return false;
	buf_init(&fixed, TZ_NAME_MAX);
	while (ok && *p != '\0') {
		size_t n = strcspn(p, "/"), len = strlen(dir);
		ok =
		    find_casefold(dir, p, n, part, sizeof(part)) &&
		    (size_t)snprintf(dir + len, sizeof(dir) - len, "/%s", part) < sizeof(dir) - len;
		buf_addf(&fixed, "%s%s", fixed.len > 0 ? "/" : "", part);
		p += n + (p[n] == '/');
	}
	ok = ok && fixed.len < TZ_NAME_MAX && tz_valid(buf_str(&fixed));
	if (ok)
		snprintf(out, size, "%s", buf_str(&fixed));
	buf_cleanup(&fixed);
	return ok;
}

void tz_hint(const char *name, char *out, size_t size)
{
	char fixed[TZ_NAME_MAX];
	size_t n = name != NULL ? strlen(name) : 0, i, upper = 0;

	out[0] = '\0';
	if (n == 0)
		return;
	if (tz_name_ok(name) && casefold_zone(name, fixed, sizeof(fixed))) {
		snprintf(out, size, "did you mean %s?", fixed);
		return;
	}
	for (i = 0; i < n; i++)
		upper += isupper((unsigned char)name[i]) != 0;
	if (strncasecmp(name, "UTC", 3) == 0 || strncasecmp(name, "GMT", 3) == 0) {
		snprintf(out, size,
		         "an offset is not a zone: use the place's IANA name (Europe/Berlin), so "
		         "daylight saving is followed; a fixed offset is written Etc/GMT-2 for "
		         "UTC+2 (the sign is inverted)");
		return;
	}
	if (n >= 2 && n <= 5 && upper == n)
		snprintf(out, size,
		         "abbreviations like %s are not zones (several places share them): use an "
		         "IANA name such as America/Los_Angeles or Europe/Berlin",
		         name);
}

void tz_note(const char *name, char *out, size_t size)
{
	out[0] = '\0';
	if (name != NULL && strncmp(name, "Etc/GMT", 7) == 0 && (name[7] == '+' || name[7] == '-'))
		snprintf(out, size,
		         "%s is UTC%c%s: the tz database inverts the sign of Etc/GMT zones", name,
		         name[7] == '+' ? '-' : '+', name + 8);
}

/* The offset at t in zone name; UTC needs no file. */
static int zone_offset(const char *name, int64_t t, int32_t *off, bool *isdst)
{
	const struct zone *z;

	*off = 0;
	*isdst = false;
	if (name != NULL && strcmp(name, "UTC") == 0)
		return BOT_OK;
	z = zone_get(name);
	if (z == NULL)
		return BOT_EINVAL;
	*off = offset_at(z, t, isdst);
	return BOT_OK;
}

int tz_local(const char *name, int64_t t, struct tm *out)
{
	int32_t off;
	bool isdst;
	int64_t local, days, secs;
	int y, m, d;
	int err = zone_offset(name, t, &off, &isdst);

	if (err != BOT_OK)
		return err;
	local = t + off;
	days = floor_div(local, DAY);
	secs = local - days * DAY;
	tz_civil_from_days((int32_t)days, &y, &m, &d);
	memset(out, 0, sizeof(*out));
	out->tm_year = y - 1900;
	out->tm_mon = m - 1;
	out->tm_mday = d;
	out->tm_hour = (int)(secs / 3600);
	out->tm_min = (int)(secs / 60 % 60);
	out->tm_sec = (int)(secs % 60);
	out->tm_wday = (tz_weekday((int32_t)days) + 1) % 7;
	out->tm_yday = (int)(days - tz_days_from_civil(y, 1, 1));
	out->tm_isdst = isdst;
	out->tm_gmtoff = off;
	return BOT_OK;
}

int tz_day(const char *name, int64_t t, int32_t *day)
{
	int32_t off;
	bool isdst;
	int err = zone_offset(name, t, &off, &isdst);

	if (err != BOT_OK)
		return err;
	*day = (int32_t)floor_div(t + off, DAY);
	return BOT_OK;
}

int tz_midnight(const char *name, int32_t day, int64_t *out)
{
	/* The first instant whose local day is `day`: where midnight does not
	 * exist (a DST jump at 00:00) the day starts at the jump. Offsets stay
	 * within ±26 h, so the answer lies in this window. */
	int64_t lo = (int64_t)day * DAY - 26 * 3600, hi = (int64_t)day * DAY + 26 * 3600;
	int32_t d;

	if (tz_day(name, lo, &d) != BOT_OK)
		return BOT_EINVAL;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		tz_day(name, mid, &d);
		if (d >= day)
			hi = mid;
		else
			lo = mid + 1;
	}
	*out = lo;
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

int tz_parse_instant(const char *s, int64_t *t)
{
	int y, mo, d, h, mi, sec = 0, oh = 0, om = 0, n = 0, yy, mm, dd;
	char sign = 0;
	const char *rest;

	if (sscanf(s, "%4d-%2d-%2d%*[Tt ]%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || n < 16)
		return BOT_EINVAL;
	rest = s + n;
	if (rest[0] == ':') {
		if (!isdigit((unsigned char)rest[1]) || !isdigit((unsigned char)rest[2]))
			return BOT_EINVAL;
		sec = (rest[1] - '0') * 10 + (rest[2] - '0');
		rest += 3;
	}
	if (*rest == 'Z' || *rest == 'z') {
		rest++;
	} else if (*rest == '+' || *rest == '-') {
		sign = *rest;
		if (sscanf(rest + 1, "%2d:%2d%n", &oh, &om, &n) != 2 || n != 5 || oh > 23 ||
		    om > 59)
			return BOT_EINVAL;
		rest += 1 + n;
	}
	if (*rest != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return BOT_EINVAL;
	tz_civil_from_days(tz_days_from_civil(y, mo, d), &yy, &mm, &dd);
	if (yy != y || mm != mo || dd != d)
		return BOT_EINVAL;
	*t = (int64_t)tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	     (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	return BOT_OK;
}
