/*
 * drill.c - the scheduler. A min-heap of (due time, channel) and one loop
 * timer for its top: between posts, 100,000 channels cost one sleeping
 * timer. A channel whose settings change gets a new generation and a new
 * heap entry; the old entry is dropped when it comes up (lazy deletion),
 * so a change never searches the heap. A channel with a reveal time has
 * a second entry while its latest post waits for its reveal (issue 22);
 * a reveal is claimed in the store once per post, as a post is per day.
 */
#include "drill/drill.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "base/tz.h"
#include "base/util.h"
#include "engine/sched.h"

#define MOD             "drill"
#define MAX_WAIT_S      60          /* re-check at least this often: a wall clock can jump */
#define PROGRESS        100         /* a run over this many channels logs its progress */
#define CATCH_UP_LOOK_S (26 * 3600) /* at start, missed posts are looked for this far back */

/* A generation fits 31 bits, so an entry with its kind stays 24 bytes. */
#define GEN_MASK 0x7fffffffu

struct drill_entry {
	int64_t at;
	int64_t channel;
	uint32_t gen : 31;
	uint32_t reveal : 1; /* the reveal of the post of day, not a post */
	int32_t day;         /* the channel's local day of at; a reveal: its post's day */
};

/* A channel's current generation; slots are an open-addressing table on the id. */
struct drill_slot {
	int64_t channel; /* 0 = empty (store ids start at 1) */
	uint32_t gen;    /* within GEN_MASK */
	bool active;
};

struct drill {
	struct drill_deps deps;
	struct drill_sink sinks[DRILL_MAX_SINKS];
	size_t nsinks;
	struct drill_entry *heap;
	size_t n, cap;
	struct drill_slot *slots;
	size_t nslots, used, active;
	struct loop_timer timer;
	size_t run_total, run_done; /* the current burst of posts, for progress lines */
	/* Posts the platform took, to be recorded as sent in one commit (flush()). */
	struct drill_send **sent;
	size_t nsent, capsent;
	struct loop_timer flush_timer;
	bool resent; /* the posts pending at start were sent again */
	/*
	 * Posts due but not yet made: a burst of 10,000 channels waits here as
	 * channel ids and is rendered (and claimed) only as the platforms take
	 * posts, at most WINDOW in flight, so memory stays flat however many
	 * fall due at once and a kill leaves few posts pending.
	 */
	struct drill_due *queue;
	size_t qhead, qlen, qcap;
	size_t inflight;
	bool pumping;
	struct loop_timer pump_timer; /* the next turn's posts, after the loop's I/O */
};

struct drill_due {
	int64_t channel;
	int64_t at;
	int32_t day; /* a reveal's post day */
	bool reveal;
};

#define WINDOW 256 /* posts handed to the platforms and not yet answered, at most */
/*
 * Posts rendered and claimed in one turn of the loop. Each claim commits
 * (a sync of the log), so a turn that claimed all 256 held the loop for
 * up to a second on a slow disk, and the gateway's heartbeats with it; the
 * platforms take at most 50 a second anyway.
 */
#define PUMP_TURN 8

/* One post in flight to an adapter. */
struct drill_send {
	struct drill *d;
	int64_t channel;
	struct engine_post p;
	char platform[16], team[128], chan[128];
	char message_id[32];
};

#define FLUSH_MS 20 /* answers this close together share one commit */
/*
 * The first posts wait this long after start: a process restarted right
 * after a burst cannot know the second its predecessor used of the
 * platform's global limit, and by then that second is over.
 */
#define FIRST_DELAY_MS 1100

/* ---- the generation table ---- */

static size_t slot_hash(int64_t id, size_t mask)
{
	uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ull;
	return (size_t)(x >> 17) & mask;
}

static struct drill_slot *slot_find(struct drill *d, int64_t id, bool add);

static void slots_grow(struct drill *d)
{
	struct drill_slot *old = d->slots;
	size_t n = d->nslots, i;

	d->nslots = n ? n * 2 : 1024;
	d->slots = xcalloc(d->nslots, sizeof(*d->slots));
	d->used = 0;
	for (i = 0; i < n; i++)
		if (old[i].channel != 0)
			*slot_find(d, old[i].channel, true) = old[i];
	free(old);
}

static struct drill_slot *slot_find(struct drill *d, int64_t id, bool add)
{
	size_t mask, i;

	if (add && (d->used + 1) * 2 > d->nslots)
		slots_grow(d);
	if (d->nslots == 0)
		return NULL;
	mask = d->nslots - 1;
	for (i = slot_hash(id, mask);; i = (i + 1) & mask) {
		if (d->slots[i].channel == id)
			return &d->slots[i];
		if (d->slots[i].channel == 0) {
			if (!add)
				return NULL;
			d->slots[i].channel = id;
			d->used++;
			return &d->slots[i];
		}
	}
}

/* ---- the heap ---- */

static void heap_swap(struct drill *d, size_t a, size_t b)
{
	struct drill_entry t = d->heap[a];
	d->heap[a] = d->heap[b];
	d->heap[b] = t;
}

static void heap_push(struct drill *d, struct drill_entry e)
{
	size_t i;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 256;
		d->heap = xrealloc(d->heap, d->cap * sizeof(*d->heap));
	}
	i = d->n++;
	d->heap[i] = e;
	while (i > 0 && d->heap[(i - 1) / 2].at > d->heap[i].at) {
		heap_swap(d, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static struct drill_entry heap_pop(struct drill *d)
{
	struct drill_entry top = d->heap[0];
	size_t i = 0;

	d->heap[0] = d->heap[--d->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < d->n && d->heap[l].at < d->heap[m].at)
			m = l;
		if (r < d->n && d->heap[r].at < d->heap[m].at)
			m = r;
		if (m == i)
			break;
		heap_swap(d, i, m);
		i = m;
	}
	return top;
}

/* ---- scheduling ---- */

static const char *zone_of(const struct drill *d, const struct store_drill *row)
{
	if (row->daily.tz[0] != '\0')
		return row->daily.tz;
	return row->team_tz[0] != '\0' ? row->team_tz : d->deps.default_tz;
}

/* How far back, at start or after a change, a reveal still due is looked for. */
static int64_t look_back(const struct drill *d)
{
	return d->deps.catch_up_s > CATCH_UP_LOOK_S ? d->deps.catch_up_s : CATCH_UP_LOOK_S;
}

/* Adds the reveal of the post of day made at posted, when the channel has a reveal time. */
static void push_reveal(struct drill *d, const struct store_drill *row, uint32_t gen,
                        int64_t posted, int32_t day)
{
	int minute;
	int64_t at;

	if (sched_parse_time(row->daily.reveal, &minute) != BOT_OK ||
	    sched_reveal(zone_of(d, row), posted, minute, &at) != BOT_OK)
		return;
	/* Long gone (the drill was off, or the bot down for days): not looked for, as posts are
	 * not.
	 */
	if (at < d->deps.now(d->deps.now_arg) - look_back(d))
		return;
	heap_push(d, (struct drill_entry){at, row->channel_id, gen, 1, day});
}

/* The reveal of the channel's latest post, if it has a reveal time and that post none yet. */
static void schedule_reveal(struct drill *d, const struct store_drill *row, uint32_t gen)
{
	struct store_post post;
	bool revealed = true;

	if (row->daily.reveal[0] == '\0' ||
	    store_channel_post_last(d->deps.store, row->channel_id, ENGINE_DAILY_KIND, INT32_MAX,
	                            &post) != BOT_OK ||
	    store_channel_posted(d->deps.store, row->channel_id, ENGINE_REVEAL_KIND, post.local_day,
	                         &revealed) != BOT_OK ||
	    revealed)
		return;
	push_reveal(d, row, gen, post.posted_at, post.local_day);
}

/*
 * Replaces the channel's entries with its next post at or after from, if
 * it has one, and the reveal its latest post still waits for.
 */
static void schedule(struct drill *d, const struct store_drill *row, int64_t from)
{
	struct drill_slot *s = slot_find(d, row->channel_id, true);
	int32_t holidays[SCHED_HOLIDAYS], day;
	struct sched_rule rule;
	bool was = s->active;
	int64_t at;
	int rc;

	s->gen = (s->gen + 1) & GEN_MASK;
	s->active = false;
	if (row->daily.enabled && row->daily.blocked[0] == '\0') {
		engine_daily_rule(&row->daily, zone_of(d, row), holidays, &rule);
		rc = sched_next(&rule, from, &at, &day);
		if (rc == BOT_OK) {
			heap_push(d, (struct drill_entry){at, row->channel_id, s->gen, 0, day});
			s->active = true;
		} else if (rc == BOT_EINVAL) {
			LOG_W(MOD, "channel %lld: the zone %s cannot be read; no daily posts",
			      (long long)row->channel_id, zone_of(d, row));
		}
		schedule_reveal(d, row, s->gen);
	}
	d->active += s->active;
	d->active -= was;
}

static void arm(struct drill *d);

/*
 * Records the posts the platforms took since the last flush, in one
 * transaction: a fan-out's answers arrive fifty at a time, and a commit
 * each would hold up the loop (and with it the rate limiter's clock).
 */
static void flush(void *arg)
{
	struct drill *d = arg;
	const struct engine_post *ps[256];
	const char *ids[256];
	size_t i, done = 0;

	while (done < d->nsent) {
		size_t n = d->nsent - done < 256 ? d->nsent - done : 256;
		for (i = 0; i < n; i++) {
			ps[i] = &d->sent[done + i]->p;
			ids[i] = d->sent[done + i]->message_id;
		}
		if (engine_posts_sent(d->deps.engine, ps, ids, n) != BOT_OK)
			LOG_W(MOD,
			      "%zu posts went out, but the store did not record them as sent; a "
			      "restart sends them again with the same nonce",
			      n);
		for (i = 0; i < n; i++)
			free(d->sent[done + i]);
		done += n;
	}
	d->nsent = 0;
}

static void sent_later(struct drill *d, struct drill_send *x, const char *message_id)
{
	snprintf(x->message_id, sizeof(x->message_id), "%s", message_id != NULL ? message_id : "");
	if (d->nsent == d->capsent) {
		d->capsent = d->capsent ? d->capsent * 2 : 64;
		d->sent = xrealloc(d->sent, d->capsent * sizeof(*d->sent));
	}
	d->sent[d->nsent++] = x;
	if (!loop_timer_active(&d->flush_timer))
		loop_timer_start(d->deps.loop, &d->flush_timer, FLUSH_MS, 0, flush, d);
}

static void pump(struct drill *d);

/* One post of the burst is over (sent, refused or not made). */
static void run_step(struct drill *d)
{
	d->run_done++;
	if (d->run_total > PROGRESS && (d->run_done % PROGRESS == 0 || d->run_done == d->run_total))
		LOG_I(MOD, "daily posts: %zu/%zu", d->run_done, d->run_total);
}

static void send_done(void *arg, int rc, const char *message_id, const char *why)
{
	struct drill_send *x = arg;
	struct drill *d = x->d;

	if (rc == BOT_OK) {
		sent_later(d, x, message_id);
		x = NULL; /* flush() frees it */
	} else if (rc == BOT_EPERM) {
		LOG_W(MOD,
		      "%s channel %s: %s; its daily drill is stopped until an admin runs "
		      "/daily on there",
		      x->platform, x->chan, why != NULL ? why : "no access");
		if (store_channel_block(d->deps.store, x->channel,
		                        why != NULL ? why : "the bot may not post there") == BOT_OK)
			drill_changed(d, x->channel);
	} else {
		LOG_W(MOD, "%s channel %s: the daily post failed (%s); it stays pending",
		      x->platform, x->chan, why != NULL ? why : bot_strerror(rc));
	}
	free(x);
	d->inflight--;
	run_step(d);
	pump(d);
}

static const struct drill_sink *sink_for(const struct drill *d, const char *platform)
{
	size_t i;

	for (i = 0; i < d->nsinks; i++)
		if (strcmp(d->sinks[i].platform, platform) == 0)
			return &d->sinks[i];
	return NULL;
}

/* A post (reveal false) due at at, or the reveal of the post of day due at at. */
static struct drill_send *new_send(struct drill *d, const struct store_drill *row, bool reveal,
                                   int64_t at, int32_t day)
{
	struct drill_send *x = xcalloc(1, sizeof(*x));

	x->d = d;
	x->channel = row->channel_id;
	snprintf(x->platform, sizeof(x->platform), "%s", row->platform);
	snprintf(x->team, sizeof(x->team), "%s", row->team);
	snprintf(x->chan, sizeof(x->chan), "%s", row->channel);
	x->p = (struct engine_post){reveal ? ENGINE_POST_REVEAL : ENGINE_POST_DAILY,
	                            x->platform,
	                            x->team,
	                            x->chan,
	                            at,
	                            reveal ? day : 0};
	return x;
}

/*
 * Gives the post to the sink with a nonce of its channel and day, the same
 * for every try: a post resent after a restart is the same post to Discord.
 */
static void deliver(struct drill *d, const struct store_drill *row, const struct drill_sink *sink,
                    struct drill_send *x, const struct reply *r)
{
	bool reveal = x->p.kind == ENGINE_POST_REVEAL;
	char nonce[48];
	int32_t day = x->p.day;

	if (!reveal)
		tz_day(zone_of(d, row), x->p.now, &day);
	snprintf(nonce, sizeof(nonce), "%c%lld.%d", reveal ? 'r' : 'd', (long long)row->channel_id,
	         (int)day);
	d->inflight++;
	sink->send(sink->arg, r, nonce, send_done, x);
}

/* A post was made: its reveal joins the heap (and the timer), with the channel's generation. */
static void reveal_later(struct drill *d, const struct store_drill *row, int64_t posted)
{
	const struct drill_slot *s = slot_find(d, row->channel_id, false);
	int32_t day = 0;

	if (s == NULL || !s->active || row->daily.reveal[0] == '\0' ||
	    tz_day(zone_of(d, row), posted, &day) != BOT_OK)
		return;
	push_reveal(d, row, s->gen, posted, day);
	arm(d);
}

/*
 * Asks the engine for the post (once per local day) or the reveal (once
 * per post) and gives it to the sink. q.at is the scheduled instant, so a
 * late post still counts for the day it was due, not the day it went out.
 */
static void post(struct drill *d, const struct store_drill *row, const struct drill_sink *sink,
                 const struct drill_due *q)
{
	struct drill_send *x = new_send(d, row, q->reveal, q->at, q->day);
	struct reply r;
	int rc;

	reply_init(&r);
	rc = engine_post(d->deps.engine, &x->p, &r);
	if (rc == BOT_OK) {
		if (!q->reveal)
			reveal_later(d, row, q->at);
		deliver(d, row, sink, x, &r);
		x = NULL; /* send_done frees it */
	} else {
		if (rc != BOT_EEXIST && q->reveal)
			LOG_W(MOD, "%s channel %s: no reveal: %s", row->platform, row->channel,
			      rc == BOT_ENOENT ? "that day's post or its question is gone"
			                       : bot_strerror(rc));
		else if (rc != BOT_EEXIST)
			LOG_W(MOD, "%s channel %s: no daily post: %s", row->platform, row->channel,
			      rc == BOT_ENOENT ? "no question matches its topics and difficulty"
			                       : bot_strerror(rc));
		run_step(d);
	}
	reply_cleanup(&r);
	free(x);
}

static void enqueue(struct drill *d, struct drill_due due)
{
	if (d->qhead > 0 && d->qhead == d->qlen) /* drained: start over at the front */
		d->qhead = d->qlen = 0;
	if (d->qlen == d->qcap) {
		if (d->qhead > 0) { /* reuse the taken front */
			memmove(d->queue, d->queue + d->qhead,
			        (d->qlen - d->qhead) * sizeof(*d->queue));
			d->qlen -= d->qhead;
			d->qhead = 0;
		} else {
			d->qcap = d->qcap ? d->qcap * 2 : 256;
			d->queue = xrealloc(d->queue, d->qcap * sizeof(*d->queue));
		}
	}
	d->queue[d->qlen++] = due;
	d->run_total++;
}

static void pump(struct drill *d);

static void pump_turn(void *arg)
{
	pump(arg);
}

/*
 * Hands due posts to the platforms while fewer than WINDOW are in flight,
 * PUMP_TURN a turn of the loop.
 */
static void pump(struct drill *d)
{
	size_t turn = 0;

	if (d->pumping)
		return; /* a synchronous sink (the console) answered inside pump */
	d->pumping = true;
	while (d->inflight < WINDOW && d->qhead < d->qlen) {
		struct drill_due q = d->queue[d->qhead++];
		const struct drill_sink *sink;
		struct store_drill row;
		if (store_drill_get(d->deps.store, q.channel, &row) != BOT_OK ||
		    (sink = sink_for(d, row.platform)) == NULL || !row.daily.enabled ||
		    row.daily.blocked[0] != '\0') {
			run_step(d); /* turned off or gone since it fell due */
			continue;
		}
		post(d, &row, sink, &q);
		if (++turn == PUMP_TURN)
			break;
	}
	d->pumping = false;
	if (d->inflight < WINDOW && d->qhead < d->qlen && !loop_timer_active(&d->pump_timer))
		loop_timer_start(d->deps.loop, &d->pump_timer, 0, 0, pump_turn, d);
}

/* Whether the channel already has its post of that local day. */
static bool posted_on(struct drill *d, int64_t channel, int32_t day)
{
	bool posted = false;

	return store_channel_posted(d->deps.store, channel, ENGINE_DAILY_KIND, day, &posted) ==
	           BOT_OK &&
	       posted;
}

/* A due reveal: made if the channel still reveals and the post has none, and not too late. */
static void due_reveal(struct drill *d, const struct drill_entry *e, const struct store_drill *row,
                       int64_t now)
{
	bool revealed = true;

	if (sink_for(d, row->platform) == NULL || row->daily.reveal[0] == '\0' ||
	    store_channel_posted(d->deps.store, e->channel, ENGINE_REVEAL_KIND, e->day,
	                         &revealed) != BOT_OK ||
	    revealed)
		return; /* another process reveals there, it reveals with the next post, or it did
		         */
	if (now - e->at > d->deps.catch_up_s) {
		LOG_W(MOD,
		      "%s channel %s: the reveal due %llds ago was missed (over daily_catch_up); "
		      "skipped",
		      row->platform, row->channel, (long long)(now - e->at));
		return;
	}
	enqueue(d, (struct drill_due){e->channel, e->at, e->day, true});
}

/* One due entry: post if it still stands and is not too late, then the next one. */
static void due(struct drill *d, struct drill_entry e, int64_t now)
{
	const struct drill_slot *s = slot_find(d, e.channel, false);
	const struct drill_sink *sink;
	struct store_drill row;

	if (s == NULL || s->gen != e.gen)
		return; /* replaced by a later change */
	if (store_drill_get(d->deps.store, e.channel, &row) != BOT_OK) {
		LOG_W(MOD,
		      "channel %lld: cannot read its drill settings; will try again in a minute",
		      (long long)e.channel);
		heap_push(d, (struct drill_entry){now + 60, e.channel, e.gen, e.reveal, e.day});
		return;
	}
	if (e.reveal) {
		due_reveal(d, &e, &row, now);
		return;
	}
	sink = sink_for(d, row.platform);
	if (sink == NULL || posted_on(d, e.channel, e.day)) {
		/* Another process posts for that platform, or the day's post was made. */
	} else if (now - e.at > d->deps.catch_up_s) {
		LOG_W(MOD,
		      "%s channel %s: the post due %llds ago was missed (over daily_catch_up); "
		      "skipped",
		      row.platform, row.channel, (long long)(now - e.at));
	} else {
		enqueue(d, (struct drill_due){e.channel, e.at, 0, false});
	}
	schedule(d, &row, e.at + 1);
}

static int resend_pending(struct drill *d);

static void fire(void *arg)
{
	struct drill *d = arg;
	int64_t now = d->deps.now(d->deps.now_arg);

	if (!d->resent) {
		d->resent = true;
		if (resend_pending(d) != BOT_OK)
			LOG_W(MOD,
			      "cannot read the posts pending from before the stop; they are not "
			      "sent again");
	}
	if (d->run_done == d->run_total)
		d->run_total = d->run_done = 0; /* the last burst is over: count a new one */
	while (d->n > 0 && d->heap[0].at <= now)
		due(d, heap_pop(d), now);
	if (d->run_total > PROGRESS)
		LOG_I(MOD, "daily posts: %zu channels due", d->run_total);
	pump(d);
	arm(d);
}

static void arm(struct drill *d)
{
	int64_t wait;

	/* Entries of changed channels stay until they come up; drop them from the top. */
	while (d->n > 0) {
		const struct drill_slot *s = slot_find(d, d->heap[0].channel, false);
		if (s != NULL && s->gen == d->heap[0].gen)
			break;
		heap_pop(d);
	}
	if (d->n == 0) {
		loop_timer_stop(&d->timer);
		return;
	}
	wait = d->heap[0].at - d->deps.now(d->deps.now_arg);
	wait = wait < 0 ? 0 : wait > MAX_WAIT_S ? MAX_WAIT_S : wait;
	loop_timer_start(d->deps.loop, &d->timer, (uint64_t)wait * 1000, 0, fire, d);
}

/* ---- the interface ---- */

int drill_new(const struct drill_deps *deps, struct drill **out)
{
	struct drill *d = xcalloc(1, sizeof(*d));

	d->deps = *deps;
	*out = d;
	return BOT_OK;
}

void drill_add_sink(struct drill *d, const struct drill_sink *s)
{
	if (d->nsinks < DRILL_MAX_SINKS)
		d->sinks[d->nsinks++] = *s;
}

static void load_one(const struct store_drill *row, void *arg)
{
	struct drill *d = arg;

	/*
	 * From a day back (or daily_catch_up, if longer): a post missed while the
	 * bot was down comes up at once, to be sent late or logged as skipped.
	 */
	schedule(d, row,
	         d->deps.now(d->deps.now_arg) -
	             (d->deps.catch_up_s > CATCH_UP_LOOK_S ? d->deps.catch_up_s : CATCH_UP_LOOK_S));
}

struct pendings {
	struct store_pending *v;
	size_t n, cap;
};

static void add_pending(const struct store_pending *p, void *arg)
{
	struct pendings *l = arg;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = *p;
}

/* A pending post or reveal (claimed, delivery unknown: the bot stopped) is sent again, as it was.
 */
static void resend(struct drill *d, const struct store_pending *p, bool reveal)
{
	const struct drill_sink *sink;
	struct drill_send *x;
	struct store_drill row;
	struct reply r;
	int rc;

	if (store_drill_get(d->deps.store, p->channel_id, &row) != BOT_OK ||
	    (sink = sink_for(d, row.platform)) == NULL)
		return;
	x = new_send(d, &row, reveal, p->posted_at, p->local_day);
	reply_init(&r);
	rc = engine_post_again(d->deps.engine, &x->p, p->question_id, &r);
	if (rc == BOT_OK) {
		LOG_I(MOD,
		      "%s channel %s: the %s of %s may not have gone out before the stop; "
		      "sending it again (the same nonce)",
		      row.platform, row.channel, reveal ? "reveal" : "post", p->question_id);
		d->run_total++;
		deliver(d, &row, sink, x, &r);
		x = NULL;
	}
	reply_cleanup(&r);
	free(x);
}

static int resend_kind(struct drill *d, const char *kind, bool reveal)
{
	struct pendings l = {NULL, 0, 0};
	int64_t since = d->deps.now(d->deps.now_arg) - d->deps.catch_up_s;
	int rc = store_posts_pending(d->deps.store, kind, since, add_pending, &l);
	size_t i;

	for (i = 0; rc == BOT_OK && i < l.n; i++)
		resend(d, &l.v[i], reveal);
	free(l.v);
	return rc;
}

/* Posts first, so a reveal sent again follows its post. */
static int resend_pending(struct drill *d)
{
	int rc = resend_kind(d, ENGINE_DAILY_KIND, false);

	return rc == BOT_OK ? resend_kind(d, ENGINE_REVEAL_KIND, true) : rc;
}

int drill_start(struct drill *d)
{
	int rc = store_drill_each(d->deps.store, load_one, d);

	if (rc != BOT_OK)
		return rc;
	LOG_I(MOD, "daily drill: %zu channel%s scheduled", d->active, d->active == 1 ? "" : "s");
	/* The first run resends what was pending, then arms the timer as usual. */
	return loop_timer_start(d->deps.loop, &d->timer, FIRST_DELAY_MS, 0, fire, d);
}

void drill_changed(void *arg, int64_t channel_id)
{
	struct drill *d = arg;
	bool first = !d->resent && loop_timer_active(&d->timer);
	struct store_drill row;
	int rc = store_drill_get(d->deps.store, channel_id, &row);

	if (rc != BOT_OK) {
		struct drill_slot *s = slot_find(d, channel_id, false);
		if (s != NULL) {
			s->gen = (s->gen + 1) & GEN_MASK;
			d->active -= s->active;
			s->active = false;
		}
	} else {
		/* From now: a change today never re-posts today (the engine records each day once).
		 */
		schedule(d, &row, d->deps.now(d->deps.now_arg));
	}
	if (!first) /* else the first run, still to come, arms it */
		arm(d);
}

size_t drill_size(const struct drill *d)
{
	return d->active;
}

void drill_free(struct drill *d)
{
	if (d == NULL)
		return;
	loop_timer_stop(&d->timer);
	loop_timer_stop(&d->flush_timer);
	loop_timer_stop(&d->pump_timer);
	flush(d);
	free(d->sent);
	free(d->queue);
	free(d->heap);
	free(d->slots);
	free(d);
}
