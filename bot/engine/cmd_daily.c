/*
 * cmd_daily.c - /daily: a channel's daily drill. Admins turn it on and off
 * and change its time, zone, weekdays, topics and difficulty (a run
 * changes only what it names), skip the next post, pause it or mark
 * holidays, and set when the answers are revealed; /daily now posts at
 * once. Anyone may read /daily status. The scheduler that posts lives
 * outside the engine and hears of every change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "base/tz.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"
#include "engine/sched.h"

#define DEFAULT_MINUTE (9 * 60)

/* The channel's rule for sched_next; holidays must have SCHED_HOLIDAYS room. */
void engine_daily_rule(const struct store_daily *d, const char *zone, int32_t *holidays,
                       struct sched_rule *rule)
{
	size_t n = 0;

	memset(rule, 0, sizeof(*rule));
	rule->tz = zone;
	if (d->time[0] == '\0' || sched_parse_time(d->time, &rule->minute) != BOT_OK)
		rule->minute = DEFAULT_MINUTE;
	rule->days = d->days & SCHED_ALL_DAYS;
	rule->skip = d->skip_day == STORE_NO_DAY ? SCHED_NO_DAY : d->skip_day;
	rule->resume = d->resume_day == STORE_NO_DAY ? SCHED_NO_DAY : d->resume_day;
	if (d->holidays[0] != '\0' &&
	    sched_parse_dates(d->holidays, holidays, SCHED_HOLIDAYS, &n) == BOT_OK) {
		rule->holidays = holidays;
		rule->nholidays = n;
	}
}

/* "Mon 2026-12-07 09:00 Europe/Berlin (08:00 UTC)" */
static void when(const char *zone, int64_t t, struct reply *r)
{
	static const char *const WD[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	struct tm local, utc;
	int32_t day = 0;

	if (tz_local(zone, t, &local) != BOT_OK || tz_local("UTC", t, &utc) != BOT_OK ||
	    tz_day(zone, t, &day) != BOT_OK) {
		reply_addf(r, "(unknown)");
		return;
	}
	reply_addf(r, "%s %04d-%02d-%02d %02d:%02d %s (%02d:%02d UTC)", WD[tz_weekday(day)],
	           local.tm_year + 1900, local.tm_mon + 1, local.tm_mday, local.tm_hour,
	           local.tm_min, zone, utc.tm_hour, utc.tm_min);
}

static int load(struct eng_ctx *ctx, struct store_channel *ch)
{
	const struct request *q = ctx->req;

	return store_channel_ensure(ctx->e->store, q->platform, q->team, q->channel, q->now, ch);
}

static void next_line(struct eng_ctx *ctx, const struct store_channel *ch, struct reply *r)
{
	const char *zone = engine_channel_tz(ctx->e, ch);
	int32_t holidays[SCHED_HOLIDAYS], day;
	struct sched_rule rule;
	bool posted = false;
	int64_t t;
	int rc;

	engine_daily_rule(&ch->daily, zone, holidays, &rule);
	rc = sched_next(&rule, ctx->req->now, &t, &day);
	/* That day's post was already made (by /daily now, or this very second): the next one. */
	if (rc == BOT_OK &&
	    store_channel_posted(ctx->e->store, ch->id, ENGINE_DAILY_KIND, day, &posted) ==
	        BOT_OK &&
	    posted)
		rc = sched_next(&rule, t + 1, &t, &day);
	if (rc != BOT_OK) {
		reply_addf(r, "\nNext post: none in the coming year (no weekday left to post on).");
		return;
	}
	reply_addf(r, "\nNext post: ");
	when(zone, t, r);
	reply_addf(r, ".");
}

/* When the latest post is revealed, if it is still to be; and the last reveal made. */
static void reveal_lines(struct eng_ctx *ctx, const struct store_channel *ch, struct reply *r)
{
	const char *zone = engine_channel_tz(ctx->e, ch);
	struct store_post post, shown;
	bool revealed = true;
	int minute;
	int64_t t;

	if (ch->daily.enabled && ch->daily.blocked[0] == '\0' &&
	    sched_parse_time(ch->daily.reveal, &minute) == BOT_OK &&
	    store_channel_post_last(ctx->e->store, ch->id, ENGINE_DAILY_KIND, INT32_MAX, &post) ==
	        BOT_OK &&
	    store_channel_posted(ctx->e->store, ch->id, ENGINE_REVEAL_KIND, post.local_day,
	                         &revealed) == BOT_OK &&
	    !revealed && sched_reveal(zone, post.posted_at, minute, &t) == BOT_OK) {
		reply_addf(r, "\nNext reveal: `%s`, ", post.question_id);
		when(zone, t, r);
		reply_addf(r, ".");
	}
	if (store_channel_post_last(ctx->e->store, ch->id, ENGINE_REVEAL_KIND, INT32_MAX, &shown) ==
	    BOT_OK) {
		reply_addf(r, "\nLast reveal: `%s`, ", shown.question_id);
		when(zone, shown.posted_at, r);
		reply_addf(r, ".");
	}
}

static void describe(struct eng_ctx *ctx, const struct store_channel *ch, struct reply *r)
{
	const struct store_daily *d = &ch->daily;
	char days[64];
	struct store_post last;
	int32_t today = 0;

	sched_format_days(d->days, days, sizeof(days));
	reply_addf(r,
	           "Daily drill here: **%s**. %s, %s, %s, topics: %s, difficulty: %s, reveal: %s.",
	           d->enabled ? "on" : "off", d->time[0] ? d->time : "09:00",
	           engine_channel_tz(ctx->e, ch), days, d->topics[0] ? d->topics : "all",
	           d->difficulty ? engine_stars(d->difficulty) : "any",
	           d->reveal[0] ? d->reveal : "with the next question");
	tz_day(engine_channel_tz(ctx->e, ch), ctx->req->now, &today);
	if (d->resume_day != STORE_NO_DAY && d->resume_day > today) {
		int y, m, dd;
		tz_civil_from_days(d->resume_day, &y, &m, &dd);
		reply_addf(r, "\nPaused until %04d-%02d-%02d.", y, m, dd);
	}
	if (d->holidays[0] != '\0')
		reply_addf(r, "\nHolidays: %s.", d->holidays);
	if (d->blocked[0] != '\0')
		reply_addf(r, "\n**Stopped:** %s", d->blocked);
	if (d->enabled && d->blocked[0] == '\0')
		next_line(ctx, ch, r);
	if (store_channel_post_last(ctx->e->store, ch->id, ENGINE_DAILY_KIND, INT32_MAX, &last) ==
	    BOT_OK) {
		reply_addf(r, "\nLast post: `%s`, ", last.question_id);
		when(engine_channel_tz(ctx->e, ch), last.posted_at, r);
		reply_addf(r, ".");
	}
	reveal_lines(ctx, ch, r);
}

/* Every topic of a comma-separated list, resolved to slugs ("cach" -> "caching"). */
static bool resolve_topics(struct eng_ctx *ctx, const char *list, char *out, size_t size,
                           struct reply *r)
{
	const struct content *c = ctx->e->content;
	const char *p = list;
	size_t o = 0;

	out[0] = '\0';
	while (*p != '\0') {
		size_t len = strcspn(p, ","), t = 0, closest = 0;
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		if (content_topic_lookup(c, name, &t, &closest) != BOT_OK) {
			reply_addf(
			    r,
			    "I don't know the topic `%s`%s%s%s. Topics are comma-separated, "
			    "e.g. `/daily on topics:caching,security`; `/topics` lists them.",
			    name, closest < c->ntopics ? " (did you mean `" : "",
			    closest < c->ntopics ? c->topics[closest].slug : "",
			    closest < c->ntopics ? "`?)" : "");
			return false;
		}
		if (!engine_topic_listed(out, c->topics[t].slug))
			o += (size_t)snprintf(out + o, o < size ? size - o : 0, "%s%s",
			                      o ? "," : "", c->topics[t].slug);
		p += len + (p[len] == ',');
	}
	return true;
}

/* Applies what /daily on names to d; false (with the error in r) for a bad value. */
static bool apply_on(struct eng_ctx *ctx, const struct cmd_values *v, struct store_daily *d,
                     struct reply *r)
{
	const struct cmd_value *time = cmd_get(v, "time"), *days = cmd_get(v, "days"),
	                       *topics = cmd_get(v, "topics"), *zone = cmd_get(v, "timezone"),
	                       *diff = cmd_get(v, "difficulty"), *reveal = cmd_get(v, "reveal");
	bool no_reveal = reveal->set && (strcasecmp(reveal->str, "none") == 0 ||
	                                 strcasecmp(reveal->str, "off") == 0);
	int minute, reveal_minute = 0;
	unsigned mask;

	if (time->set && sched_parse_time(time->str, &minute) != BOT_OK) {
		reply_addf(r,
		           "`%s` is not a time of day. Write it as HH:MM on a 24-hour clock, e.g. "
		           "`/daily on time:09:00` (or `17:30`).",
		           time->str);
		return false;
	}
	if (reveal->set && !no_reveal && sched_parse_time(reveal->str, &reveal_minute) != BOT_OK) {
		reply_addf(
		    r,
		    "`%s` is not a time of day. Write the reveal as HH:MM on a 24-hour clock, "
		    "e.g. `/daily on reveal:17:00`; `reveal:none` shows the answers with the "
		    "next question.",
		    reveal->str);
		return false;
	}
	if (days->set && sched_parse_days(days->str, &mask) != BOT_OK) {
		reply_addf(r,
		           "`%s` is not a set of weekdays. Use day names or ranges, e.g. "
		           "`/daily on days:mon-fri`, `days:mon,wed,fri` or `days:daily`.",
		           days->str);
		return false;
	}
	if (topics->set && !resolve_topics(ctx, topics->str, d->topics, sizeof(d->topics), r))
		return false;
	if (time->set)
		sched_format_time(minute, d->time, sizeof(d->time));
	if (days->set)
		d->days = mask;
	if (zone->set)
		snprintf(d->tz, sizeof(d->tz), "%s", zone->str);
	if (diff->set)
		d->difficulty = (int)diff->num;
	if (no_reveal)
		d->reveal[0] = '\0';
	else if (reveal->set)
		sched_format_time(reveal_minute, d->reveal, sizeof(d->reveal));
	d->enabled = true;
	d->blocked[0] = '\0'; /* turning it on again is how an admin says access is fixed */
	return true;
}

static bool pause_for(struct eng_ctx *ctx, const char *value, struct store_channel *ch,
                      struct reply *r)
{
	char *end = NULL;
	long n = value != NULL ? strtol(value, &end, 10) : -1;
	int32_t today = 0;

	if (value == NULL || end == value || *end != '\0' || n < 0 || n > 365) {
		reply_addf(r, "Say for how many days, 0 to 365: e.g. `/daily pause 7` (a team "
		              "off-site); `/daily pause 0` ends a pause.");
		return false;
	}
	tz_day(engine_channel_tz(ctx->e, ch), ctx->req->now, &today);
	ch->daily.resume_day = n == 0 ? STORE_NO_DAY : today + (int32_t)n;
	return true;
}

static bool set_holidays(const char *value, struct store_channel *ch, struct reply *r)
{
	int32_t days[SCHED_HOLIDAYS];
	size_t n = 0;
	int rc;

	if (value != NULL && (strcmp(value, "none") == 0 || strcmp(value, "clear") == 0)) {
		ch->daily.holidays[0] = '\0';
		return true;
	}
	rc = value != NULL ? sched_parse_dates(value, days, SCHED_HOLIDAYS, &n) : BOT_EINVAL;
	if (rc == BOT_ETOOBIG) {
		reply_addf(r, "That is more than %d dates; mark the next %d at most.",
		           SCHED_HOLIDAYS, SCHED_HOLIDAYS);
		return false;
	}
	if (rc != BOT_OK) {
		reply_addf(r,
		           "Give the dates as YYYY-MM-DD, comma-separated: e.g. `/daily holidays "
		           "2026-12-24,2026-12-31`; `/daily holidays none` clears them.");
		return false;
	}
	sched_format_dates(days, n, ch->daily.holidays, sizeof(ch->daily.holidays));
	return true;
}

/* The next post's day becomes the skipped one. */
static bool skip_next(struct eng_ctx *ctx, struct store_channel *ch, struct reply *r)
{
	const char *zone = engine_channel_tz(ctx->e, ch);
	int32_t holidays[SCHED_HOLIDAYS], day;
	struct sched_rule rule;
	int64_t t;

	engine_daily_rule(&ch->daily, zone, holidays, &rule);
	if (!ch->daily.enabled || sched_next(&rule, ctx->req->now, &t, &day) != BOT_OK) {
		reply_addf(r, "There is no next post to skip: the drill is off here. `/daily on` "
		              "starts it.");
		return false;
	}
	ch->daily.skip_day = day;
	reply_addf(r, "Skipping the post of ");
	when(zone, t, r);
	reply_addf(r, ".");
	return true;
}

static void post_now(struct eng_ctx *ctx, struct reply *r)
{
	struct engine_post p = {ENGINE_POST_DAILY, ctx->req->platform, ctx->req->team,
	                        ctx->req->channel, ctx->req->now,      0};
	struct store_channel ch;
	int rc = engine_post(ctx->e, &p, r);

	if (rc == BOT_EEXIST) {
		r->ephemeral = true;
		reply_addf(r, "Today's daily question was already posted in this channel; the next "
		              "one comes on the next drill day.");
	} else if (rc == BOT_ENOENT) {
		r->ephemeral = true;
		reply_addf(r, "No question matches this channel's topics and difficulty; change "
		              "them with `/daily on topics:... difficulty:...`.");
	} else if (rc != BOT_OK) {
		engine_store_error(ctx, r);
	} else {
		/* The reply is the post: the adapter delivers it as the command's answer. */
		r->ephemeral = false;
		engine_post_sent(ctx->e, &p, "");
		/* The scheduler reads the channel again, and with it this post's reveal. */
		if (load(ctx, &ch) == BOT_OK)
			engine_daily_changed(ctx->e, ch.id);
	}
}

static bool is_change(const char *action)
{
	return strcmp(action, "status") != 0;
}

/* Runs a changing action on ch; false when it replied with an error. */
static bool change(struct eng_ctx *ctx, const char *action, const struct cmd_values *v,
                   struct store_channel *ch, struct reply *r)
{
	const char *value = cmd_get(v, "value")->set ? cmd_get(v, "value")->str : NULL;

	if (strcmp(action, "on") == 0)
		return apply_on(ctx, v, &ch->daily, r);
	if (strcmp(action, "off") == 0) {
		ch->daily.enabled = false;
		return true;
	}
	if (strcmp(action, "skip") == 0)
		return skip_next(ctx, ch, r);
	if (strcmp(action, "pause") == 0)
		return pause_for(ctx, value, ch, r);
	return set_holidays(value, ch, r); /* "holidays" */
}

void cmd_daily(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct cmd_value *a = cmd_get(v, "action");
	const char *action = a->set ? a->str : "status";
	struct store_channel ch;

	r->ephemeral = true;
	if (is_change(action) && !ctx->req->is_admin) {
		reply_addf(
		    r,
		    "`/daily %s` is for team admins: on Discord the Manage Server permission, "
		    "on Slack a workspace admin. `/daily status` shows the drill to everyone.",
		    action);
		return;
	}
	if (strcmp(action, "now") == 0) {
		post_now(ctx, r);
		return;
	}
	if (load(ctx, &ch) != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	if (is_change(action)) {
		if (!change(ctx, action, v, &ch, r))
			return;
		if (store_channel_set_daily(ctx->e->store, ch.id, &ch.daily) != BOT_OK) {
			engine_store_error(ctx, r);
			return;
		}
		engine_daily_changed(ctx->e, ch.id);
		if (r->text.len > 0)
			reply_addf(r, "\n");
	}
	describe(ctx, &ch, r);
}
