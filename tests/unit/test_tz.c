/*
 * test_tz.c - our TZif reader against glibc's localtime_r as the oracle,
 * over zones with odd rules (half-hour DST, negative DST, southern
 * hemisphere, 45-minute offsets) and instants from 1900 to 2200, so both
 * the transition tables and the POSIX footer rules are exercised. Only
 * the test switches TZ; the module never does.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "base/tz.h"
#include "test.h"

static const char *zones[] = {
    "Europe/Berlin",     "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
    "America/Sao_Paulo", "Pacific/Chatham",  "Africa/Casablanca",   "Europe/Dublin",
    "America/St_Johns",  "Asia/Kathmandu",   "Pacific/Apia",        "Australia/Sydney",
    "America/Santiago",  "Europe/London",    "Asia/Tokyo",          "Pacific/Kiritimati",
    "Antarctica/Troll",  "America/Godthab",  "Etc/GMT+5",           "UTC",
};

/* A fixed pseudo-random walk, so a failure replays. */
static uint64_t rng = 0x853c49e6748fea9bull;
static int64_t next_instant(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	/* 1900-01-01 .. 2200-01-01 */
	return -2208988800ll + (int64_t)((rng >> 11) % 9467280000ull);
}

static int compare_zone(const char *zone, int samples)
{
	int bad = 0, i;

	setenv("TZ", zone, 1);
	tzset();
	for (i = 0; i < samples && bad < 3; i++) {
		int64_t t = next_instant();
		time_t tt = (time_t)t;
		struct tm want, got;
		if (localtime_r(&tt, &want) == NULL || tz_local(zone, t, &got) != BOT_OK) {
			printf("    %s at %lld: conversion failed\n", zone, (long long)t);
			bad++;
			continue;
		}
		if (want.tm_gmtoff != got.tm_gmtoff || want.tm_hour != got.tm_hour ||
		    want.tm_mday != got.tm_mday || want.tm_min != got.tm_min ||
		    want.tm_isdst != got.tm_isdst || want.tm_wday != got.tm_wday ||
		    want.tm_yday != got.tm_yday) {
			printf("    %s at %lld: glibc %+ld dst %d, ours %+ld dst %d\n", zone,
			       (long long)t, want.tm_gmtoff, want.tm_isdst, got.tm_gmtoff,
			       got.tm_isdst);
			bad++;
		}
	}
	return bad;
}

static void test_matches_glibc(void)
{
	size_t z;
	int bad = 0;

	for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++)
		bad += compare_zone(zones[z], 20000);
	unsetenv("TZ");
	tzset();
	CHECK_INT(bad, 0);
}

/* Around every transition of a year the footer rules, not the table, decide. */
static void test_dst_edges_far_future(void)
{
	int64_t start, next;
	int32_t d = tz_days_from_civil(2150, 3, 31);
	struct tm tm;

	while (tz_weekday(d) != 6) /* back to the last Sunday of March */
		d--;
	/* Berlin springs forward at 01:00 UTC on the last Sunday of March. */
	CHECK_INT(tz_local("Europe/Berlin", (int64_t)d * 86400 + 3600 - 1, &tm), BOT_OK);
	CHECK_INT(tm.tm_gmtoff, 3600);
	CHECK_INT(tz_local("Europe/Berlin", (int64_t)d * 86400 + 3600, &tm), BOT_OK);
	CHECK_INT(tm.tm_gmtoff, 7200);
	CHECK_INT(tm.tm_hour, 3);
	/* That day is 23 hours long. */
	CHECK_INT(tz_midnight("Europe/Berlin", d, &start), BOT_OK);
	CHECK_INT(tz_midnight("Europe/Berlin", d + 1, &next), BOT_OK);
	CHECK_INT(next - start, 23 * 3600);
}

/* Where DST starts at midnight the day starts at the jump, 01:00 local. */
static void test_midnight_that_does_not_exist(void)
{
	/* Santiago, 2022-09-11: 00:00 became 01:00 (a Sunday rule at 24:00 of Saturday). */
	int32_t d = tz_days_from_civil(2022, 9, 11);
	int64_t start;
	struct tm tm;

	CHECK_INT(tz_midnight("America/Santiago", d, &start), BOT_OK);
	CHECK_INT(tz_local("America/Santiago", start, &tm), BOT_OK);
	CHECK_INT(tm.tm_mday, 11);
	CHECK_INT(tm.tm_hour, 1);
	CHECK_INT(tz_local("America/Santiago", start - 1, &tm), BOT_OK);
	CHECK_INT(tm.tm_mday, 10);
}

static void test_bad_names(void)
{
	struct tm tm;

	CHECK(!tz_valid("Moon/Base"));
	CHECK(!tz_valid("../../etc/passwd"));
	CHECK(!tz_valid(""));
	CHECK(!tz_valid(NULL));
	CHECK(!tz_valid("zone.tab")); /* a file that is not TZif */
	CHECK_INT(tz_local("Moon/Base", 0, &tm), BOT_EINVAL);
	CHECK(tz_valid("Europe/Berlin"));
	tz_cache_clear();
	CHECK(tz_valid("Europe/Berlin")); /* reloads after a clear */
}

/* More zones than the cache holds still convert right. */
static void test_cache_eviction(void)
{
	size_t z;
	int round, bad = 0;

	for (round = 0; round < 3; round++) {
		for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
			struct tm a;
			char name[64];
			snprintf(name, sizeof(name), "Etc/GMT%+d", (int)(z % 12) + 1);
			if (tz_local(name, 1700000000, &a) != BOT_OK ||
			    a.tm_gmtoff != -3600 * ((int)(z % 12) + 1))
				bad++;
			if (tz_local(zones[z], 1700000000, &a) != BOT_OK)
				bad++;
		}
	}
	CHECK_INT(bad, 0);
}

/* Issue 15: wrong case, abbreviations and offsets get a hint; files that are
 * not zones are refused; Etc/GMT+N gets its inverted sign noted. */
static void test_hints_and_non_zones(void)
{
	char out[256];

	tz_hint("europe/berlin", out, sizeof(out));
	CHECK_STR(out, "did you mean Europe/Berlin?");
	tz_hint("AMERICA/NEW_YORK", out, sizeof(out));
	CHECK_STR(out, "did you mean America/New_York?");
	tz_hint("UTC+2", out, sizeof(out));
	CHECK_CONTAINS(out, "Etc/GMT-2 for UTC+2");
	tz_hint("PST", out, sizeof(out));
	CHECK_CONTAINS(out, "abbreviations like PST are not zones");
	tz_hint("Moon/Base", out, sizeof(out));
	CHECK_STR(out, "");
	CHECK(!tz_valid("posixrules"));
	CHECK(!tz_valid("localtime"));
	CHECK(!tz_valid("right/Europe/Berlin"));
	CHECK(tz_valid("Etc/GMT+5"));
	tz_note("Etc/GMT+5", out, sizeof(out));
	CHECK_CONTAINS(out, "Etc/GMT+5 is UTC-5");
	tz_note("Europe/Berlin", out, sizeof(out));
	CHECK_STR(out, "");
}

int main(void)
{
	T_RUN(test_matches_glibc);
	T_RUN(test_dst_edges_far_future);
	T_RUN(test_midnight_that_does_not_exist);
	T_RUN(test_bad_names);
	T_RUN(test_cache_eviction);
	tz_cache_clear();
	T_RUN(test_hints_and_non_zones);
	return t_done();
}
