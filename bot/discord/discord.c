/*
 * discord.c - the Discord adapter. REST calls queue through the rate
 * limiter; the gateway's INTERACTION_CREATE goes to the engine and its
 * reply back as the interaction callback within the 3-second deadline
 * (the engine answers in well under a millisecond, so type 4 always).
 */
#include "discord/discord.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <time.h>

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "discord/dmsg.h"
#include "discord/gateway.h"
#include "discord/ratelimit.h"
#include "engine/cmd.h"

#define MOD             "discord"
#define VERSION         "0.4"
#define USER_AGENT      "DiscordBot (https://github.com/drillbot/drillbot, " VERSION ")"
#define MAX_SHARDS      64
#define IDENTIFY_GAP_MS 5000 /* gateway.mdx: max_concurrency identifies per 5 s */
#define MAX_429_RETRIES 5
#define MAX_5XX_RETRIES 3
#define HANDLED_KEEP_S  86400
#define MAX_CHOICES     25
#define RECENT_SLOTS    8192 /* per generation of the in-memory set of handled ids */
#define BATCH_MAX       256
#define FLUSH_MS        20

struct dcall;
typedef void (*dcall_fn)(struct discord *d, const struct rest_resp *resp, void *arg);

struct dcall {
	struct discord *d;
	LIST_ENTRY(dcall) link;
	char method[8];
	char url[1024];
	char route[RL_ROUTE_MAX]; /* the rate-limit key: may hold an interaction token */
	char shown[256];          /* the path for log lines, tokens blanked */
	char *body;               /* JSON, or NULL */
	bool exempt;
	int tries_429, tries_5xx;
	struct loop_timer wait;
	dcall_fn done; /* may be NULL */
	void *arg;
};

struct shard {
	struct discord *d;
	struct gw *gw;
	struct loop_timer identify_wait;
};

struct discord {
	struct loop *loop;
	struct rest *rest;
	struct ws_lib *ws;
	struct engine *engine;
	const struct content *content;
	struct store *store;
	const struct discord_settings *cfg;
	struct metrics *metrics;
	int64_t (*now)(void *arg); /* the requests' clock, or NULL for the wall clock */
	void *now_arg;
	char app_id[32];
	char auth[512];
	struct rl rl;
	LIST_HEAD(, dcall) calls;
	struct shard shards[MAX_SHARDS];
	int nshards;
	int concurrency;
	uint64_t identify_next[MAX_SHARDS]; /* per concurrency bucket, ms */
	char gateway_url[512];
	/*
	 * Interactions handled: in memory for the replays of a resume (two
	 * generations of an open-addressing set of snowflakes, the older
	 * dropped when the newer fills), and in the store for a restart,
	 * written in one transaction per FLUSH_MS instead of one commit each.
	 */
	uint64_t *recent[2];
	size_t nrecent;
	char *pending[BATCH_MAX];
	size_t npending;
	struct loop_timer flush;
	const char *guild; /* register-commands */
	int ncommands;     /* and how many it sends */
	int status;
	bool hooked;
	bool braked;  /* the invalid-request brake is on (logged once) */
	bool stopped; /* fatal() ran with on_stop: Discord is over */
	void (*on_stop)(void *arg);
	void *stop_arg;
	void (*after_app)(struct discord *d); /* what waits for GET /applications/@me */
};

static uint64_t now_ms(void)
{
	return uv_hrtime() / 1000000u;
}

/* Stops the bot for a reason retrying cannot cure; status is the exit reason. */
static void fatal(struct discord *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fatal(struct discord *d, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d->stopped)
		return;                         /* the first reason is the one to fix */
	fprintf(stderr, "drillbot: %s\n", msg); /* once: the log is stderr too */
	if (d->status == BOT_OK)
		d->status = BOT_ECONFIG;
	if (d->on_stop == NULL) {
		loop_stop(d->loop);
		return;
	}
	/* Another platform may go on in this process: Discord alone stops, for good. */
	d->stopped = true;
	for (i = 0; i < d->nshards; i++)
		gw_stop(d->shards[i].gw);
	d->on_stop(d->stop_arg);
}

/* ---- REST ---- */

static void call_send(struct dcall *c);

static void call_free(struct dcall *c)
{
	loop_timer_stop(&c->wait);
	LIST_REMOVE(c, link);
	free(c->body);
	free(c);
}

static void on_call_wait(void *arg)
{
	call_send(arg);
}

static void call_later(struct dcall *c, uint64_t ms)
{
	if (loop_timer_start(c->d->loop, &c->wait, ms, 0, on_call_wait, c) != BOT_OK) {
		LOG_W(MOD, "%s %s dropped: shutting down", c->method, c->shown);
		call_free(c);
	}
}

static void rl_info_of(const struct rest_resp *resp, struct rl_info *in)
{
	json_t *body = NULL;

	memset(in, 0, sizeof(*in));
	in->status = resp->status;
	in->bucket = rest_resp_header(resp, "X-RateLimit-Bucket");
	in->remaining = rest_resp_header(resp, "X-RateLimit-Remaining");
	in->reset_after = rest_resp_header(resp, "X-RateLimit-Reset-After");
	in->scope = rest_resp_header(resp, "X-RateLimit-Scope");
	in->global = rest_resp_header(resp, "X-RateLimit-Global");
	in->retry_after_header = rest_resp_header(resp, "Retry-After");
	in->retry_after_body = -1;
	if (resp->status == 429 && (body = json_loads(resp->body, 0, NULL)) != NULL) {
		json_t *ra = json_object_get(body, "retry_after");
		if (json_is_number(ra))
			in->retry_after_body = json_number_value(ra);
		if (json_is_true(json_object_get(body, "global")))
			in->global = "true";
		json_decref(body);
	}
}

static void count_response(struct discord *d, long status)
{
	char labels[64];

	snprintf(labels, sizeof(labels), "platform=\"discord\",status=\"%ld\"", status);
	metrics_add(d->metrics, METRIC_REST, labels, 1);
	if (status == 429)
		metrics_add(d->metrics, METRIC_RATE_LIMITED, "platform=\"discord\"", 1);
}

static void on_call_done(const struct rest_resp *resp, void *arg)
{
	struct dcall *c = arg;
	struct discord *d = c->d;
	struct rl_info in;

	rl_finished(&d->rl, c->exempt, now_ms());
	rl_info_of(resp, &in);
	count_response(d, resp->err == BOT_OK ? resp->status : 0);
	if (resp->err == BOT_OK)
		rl_update(&d->rl, c->route, &in, now_ms());
	if (resp->status == 429 && c->tries_429++ < MAX_429_RETRIES && !loop_stopping(d->loop)) {
		uint64_t ms = rl_retry_after(&in);
		LOG_W(MOD, "%s %s: rate limited (%s), retrying in %llu ms", c->method, c->shown,
		      in.scope != NULL ? in.scope : "route", (unsigned long long)ms);
		call_later(c, ms);
		return;
	}
	if ((resp->err == BOT_ENET || resp->status >= 500) && c->tries_5xx++ < MAX_5XX_RETRIES &&
	    !loop_stopping(d->loop)) {
		uint64_t ms = 500u << c->tries_5xx;
		LOG_W(MOD, "%s %s: %s %ld, retrying in %llu ms", c->method, c->shown,
		      resp->err == BOT_OK ? "status" : "network error", resp->status,
		      (unsigned long long)ms);
		call_later(c, ms);
		return;
	}
	if (resp->status == 401) {
		fatal(d,
		      "Discord rejected the bot token (401 on %s %s): put the current token from "
		      "the Developer Portal into discord_token_file or DRILLBOT_DISCORD_TOKEN",
		      c->method, c->shown);
	} else if (resp->status >= 400) {
		LOG_W(MOD, "%s %s: status %ld: %.300s", c->method, c->shown, resp->status,
		      resp->body);
	}
	if (c->done != NULL)
		c->done(d, resp, c->arg);
	call_free(c);
}

static void call_send(struct dcall *c)
{
	struct discord *d = c->d;
	const char *headers[3];
	struct rest_req req;
	uint64_t now = now_ms();
	uint64_t wait = rl_acquire(&d->rl, c->route, c->exempt, now);
	int rc;

	if (rl_invalid(&d->rl, now) >= RL_INVALID_BUDGET && !d->braked) {
		d->braked = true;
		LOG_E(MOD,
		      "%d requests were refused (401, 403 or 429) in 10 minutes: sending nothing "
		      "for the rest of the window, so Discord does not restrict this address; "
		      "the log above says which requests failed",
		      rl_invalid(&d->rl, now));
	} else if (rl_invalid(&d->rl, now) < RL_INVALID_BUDGET) {
		d->braked = false;
	}
	if (wait > 0) {
		call_later(c, wait);
		return;
	}
	headers[0] = d->auth;
	headers[1] = "User-Agent: " USER_AGENT;
	headers[2] = "Content-Type: application/json";
	memset(&req, 0, sizeof(req));
	req.method = c->method;
	req.url = c->url;
	req.headers = headers;
	req.nheaders = c->body != NULL ? 3 : 2;
	req.body = c->body;
	req.body_len = c->body != NULL ? strlen(c->body) : 0;
	rc = rest_request(d->rest, &req, on_call_done, c);
	if (rc != BOT_OK) {
		struct rest_resp fake;
		memset(&fake, 0, sizeof(fake));
		fake.err = rc;
		fake.body = "";
		rl_finished(&d->rl, c->exempt, now_ms());
		LOG_W(MOD, "%s %s not sent: %s", c->method, c->shown, bot_strerror(rc));
		if (c->done != NULL)
			c->done(d, &fake, c->arg);
		call_free(c);
	}
}

/* Queues a call; body is taken (decref'd), path starts with '/'. */
static void api(struct discord *d, const char *method, const char *path, json_t *body,
                dcall_fn done, void *arg)
{
	struct dcall *c = xcalloc(1, sizeof(*c));

	c->d = d;
	snprintf(c->method, sizeof(c->method), "%s", method);
	snprintf(c->url, sizeof(c->url), "%s%s", d->cfg->api_base, path);
	rl_route(c->route, sizeof(c->route), method, path);
	rest_log_path(c->url, c->shown, sizeof(c->shown));
	/* rate-limits.mdx: interaction endpoints are outside the global limit. */
	c->exempt =
	    strncmp(path, "/interactions/", 14) == 0 || strncmp(path, "/webhooks/", 10) == 0;
	if (body != NULL) {
		c->body = json_dumps(body, JSON_COMPACT);
		json_decref(body);
	}
	c->done = done;
	c->arg = arg;
	LIST_INSERT_HEAD(&d->calls, c, link);
	call_send(c);
}

struct sent {
	discord_sent_fn done;
	void *arg;
	char channel[sizeof(((struct reply_dest *)0)->channel)];
};

static json_t *json_of(const struct rest_resp *resp);

static void on_sent(struct discord *d, const struct rest_resp *resp, void *arg)
{
	struct sent *s = arg;
	json_t *msg = json_of(resp);
	const char *id = json_string_value(json_object_get(msg, "id"));
	char why[256];

	(void)d;
	if (resp->err == BOT_OK && resp->status >= 200 && resp->status < 300 && id != NULL) {
		s->done(s->arg, BOT_OK, id, NULL);
	} else if (resp->status == 403 || resp->status == 404) {
		snprintf(
		    why, sizeof(why),
		    resp->status == 404
		        ? "Discord says channel %s does not exist (404): it was deleted, or the "
		          "bot was removed from the server"
		        : "Discord refused the post in channel %s (403): give the bot View Channel "
		          "and Send Messages there",
		    s->channel);
		s->done(s->arg, BOT_EPERM, NULL, why);
	} else {
		snprintf(why, sizeof(why), "Discord answered %ld", resp->status);
		s->done(s->arg, resp->err != BOT_OK ? resp->err : BOT_EIO, NULL, why);
	}
	json_decref(msg);
	free(s);
}

void discord_send(struct discord *d, const struct reply *r, const char *nonce, discord_sent_fn done,
                  void *arg)
{
	struct sent *s = xcalloc(1, sizeof(*s));
	json_t *body = dmsg_message(r);
	char path[sizeof(s->channel) + 32];

	s->done = done;
	s->arg = arg;
	snprintf(s->channel, sizeof(s->channel), "%s", r->dest.channel);
	/* message.mdx, Create Message: nonce up to 25 characters; enforce_nonce makes a
	 * retry with the same nonce return the message it made. */
	json_object_set_new(body, "nonce", json_stringn(nonce, strnlen(nonce, 25)));
	json_object_set_new(body, "enforce_nonce", json_true());
	/* A follow-up (a reveal) replies to its post; if that was deleted, it is posted anyway. */
	if (r->dest.reply_to[0] != '\0')
		json_object_set_new(body, "message_reference",
		                    json_pack("{s:s,s:b}", "message_id", r->dest.reply_to,
		                              "fail_if_not_exists", 0));
	snprintf(path, sizeof(path), "/channels/%s/messages", s->channel);
	api(d, "POST", path, body, on_sent, s);
}

static json_t *json_of(const struct rest_resp *resp)
{
	return resp->err == BOT_OK && resp->status >= 200 && resp->status < 300
	           ? json_loadb(resp->body, resp->body_len, 0, NULL)
	           : NULL;
}

/* ---- interactions handled once ---- */

static bool recent_has(const struct discord *d, uint64_t key)
{
	int g;

	for (g = 0; g < 2; g++) {
		size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (RECENT_SLOTS - 1);
		while (d->recent[g][i] != 0) {
			if (d->recent[g][i] == key)
				return true;
			i = (i + 1) & (RECENT_SLOTS - 1);
		}
	}
	return false;
}

static void recent_add(struct discord *d, uint64_t key)
{
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (RECENT_SLOTS - 1);

	if (d->nrecent >= RECENT_SLOTS / 2) { /* half full: the newer becomes the older */
		uint64_t *old = d->recent[1];
		d->recent[1] = d->recent[0];
		d->recent[0] = old;
		memset(d->recent[0], 0, RECENT_SLOTS * sizeof(uint64_t));
		d->nrecent = 0;
		i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (RECENT_SLOTS - 1);
	}
	while (d->recent[0][i] != 0 && d->recent[0][i] != key)
		i = (i + 1) & (RECENT_SLOTS - 1);
	if (d->recent[0][i] == 0)
		d->nrecent++;
	d->recent[0][i] = key;
}

static void flush_handled(struct discord *d)
{
	size_t i;
	int rc;

	loop_timer_stop(&d->flush);
	if (d->npending == 0)
		return;
	rc = store_handled_add_all(d->store, "discord", (const char *const *)d->pending,
	                           d->npending, (int64_t)time(NULL));
	if (rc != BOT_OK)
		LOG_W(MOD, "cannot record %zu interactions as handled: %s", d->npending,
		      bot_strerror(rc));
	for (i = 0; i < d->npending; i++)
		free(d->pending[i]);
	d->npending = 0;
}

static void on_flush(void *arg)
{
	flush_handled(arg);
}

/*
 * Whether interaction id is new, and if so records it. A replay after a
 * resume is caught in memory; one after a restart by the store.
 */
static bool first_time(struct discord *d, const char *id)
{
	uint64_t key = strtoull(id, NULL, 10);
	bool seen = false;

	if (key == 0) /* not a snowflake: the store alone decides */
		return store_handled_claim(d->store, "discord", id, (int64_t)time(NULL)) !=
		       BOT_EEXIST;
	if (recent_has(d, key))
		return false;
	if (store_handled_seen(d->store, "discord", id, &seen) == BOT_OK && seen)
		return false;
	recent_add(d, key);
	d->pending[d->npending++] = xstrdup(id);
	if (d->npending == BATCH_MAX)
		flush_handled(d);
	else if (!loop_timer_active(&d->flush))
		loop_timer_start(d->loop, &d->flush, FLUSH_MS, 0, on_flush, d);
	return true;
}

/* ---- interactions ---- */

static void callback(struct discord *d, const struct dmsg_req *r, json_t *body)
{
	char path[512];

	snprintf(path, sizeof(path), "/interactions/%s/%s/callback", r->id, r->token);
	api(d, "POST", path, body, NULL, NULL);
}

/* Autocomplete for a topic: slug, name or alias starting with what was typed. */
static void autocomplete(struct discord *d, const struct dmsg_req *r)
{
	json_t *choices = json_array();
	const char *typed = r->focused_value != NULL ? r->focused_value : "";
	size_t i, j;

	for (i = 0; i < d->content->ntopics && json_array_size(choices) < MAX_CHOICES; i++) {
		const struct content_topic *t = &d->content->topics[i];
		bool match =
		    util_has_prefix_ci(t->slug, typed) || util_has_prefix_ci(t->name, typed);
		char name[128];
		for (j = 0; !match && j < t->naliases; j++)
			match = util_has_prefix_ci(t->aliases[j], typed);
		if (!match)
			continue;
		snprintf(name, sizeof(name), "%s (%zu questions)", t->name, t->nquestions);
		json_array_append_new(choices,
		                      json_pack("{s:s,s:s}", "name", name, "value", t->slug));
	}
	callback(
	    d, r,
	    json_pack("{s:i,s:{s:o}}", "type", DMSG_CB_AUTOCOMPLETE, "data", "choices", choices));
}

/* The reply opens a text box for the very button pressed: Discord shows it as a modal. */
static const struct reply_button *modal_for(const struct reply *rep, const char *action)
{
	size_t i;

	for (i = 0; action != NULL && i < rep->nbuttons; i++)
		if (rep->buttons[i].kind == REPLY_MODAL && strcmp(rep->buttons[i].id, action) == 0)
			return &rep->buttons[i];
	return NULL;
}

static void handle(struct discord *d, const struct dmsg_req *r)
{
	struct reply rep;
	const struct reply_button *modal;

	reply_init(&rep);
	engine_handle(d->engine, &r->req, &rep);
	modal = r->type == DMSG_COMPONENT ? modal_for(&rep, r->req.action) : NULL;
	if (modal != NULL) {
		callback(d, r, dmsg_modal(modal->id, rep.modal_title, buf_str(&rep.text)));
	} else {
		reply_fit(&rep, reply_limits_for("discord"));
		callback(d, r, dmsg_callback(&rep, r->type != DMSG_COMMAND));
	}
	reply_cleanup(&rep);
}

static void on_interaction(struct discord *d, json_t *payload)
{
	struct dmsg_req r;
	const char *why = NULL;

	if (dmsg_read(payload, &r, &why) != BOT_OK) {
		LOG_W(MOD, "skipped %s", why);
		return;
	}
	if (r.type == DMSG_PING)
		return;
	r.req.now = d->now != NULL ? d->now(d->now_arg) : (int64_t)time(NULL);
	/* Once per interaction, even replayed after a resume or a restart. */
	if (!first_time(d, r.id)) {
		LOG_I(MOD, "interaction %s was answered before; not again", r.id);
		return;
	}
	if (r.type == DMSG_AUTOCOMPLETE)
		autocomplete(d, &r);
	else if (r.type == DMSG_COMMAND || r.type == DMSG_COMPONENT || r.type == DMSG_MODAL_SUBMIT)
		handle(d, &r);
	else
		LOG_D(MOD, "ignored interaction type %d", r.type);
}

/* ---- gateway ---- */

static struct shard *shard_of(struct discord *d, struct gw *g)
{
	return &d->shards[gw_shard(g)];
}

static void on_dispatch(void *arg, struct gw *g, const char *t, json_t *payload)
{
	struct discord *d = arg;

	(void)g;
	if (strcmp(t, "INTERACTION_CREATE") == 0)
		on_interaction(d, payload);
}

static void on_identify_wait(void *arg)
{
	struct shard *s = arg;
	struct discord *d = s->d;
	int bucket = gw_shard(s->gw) % d->concurrency;
	uint64_t now = now_ms();

	if (now < d->identify_next[bucket]) {
		loop_timer_start(d->loop, &s->identify_wait, d->identify_next[bucket] - now, 0,
		                 on_identify_wait, s);
		return;
	}
	d->identify_next[bucket] = now + IDENTIFY_GAP_MS;
	gw_identify(s->gw);
}

/* gateway.mdx, Sharding: shards in one rate-limit bucket identify 5 s apart. */
static void want_identify(void *arg, struct gw *g)
{
	on_identify_wait(shard_of(arg, g));
}

static void on_fatal(void *arg, struct gw *g, int code, const char *why)
{
	struct discord *d = arg;

	fatal(d, "the Discord gateway closed shard %d with %d: %s", gw_shard(g), code, why);
}

static const struct gw_cbs gw_cbs = {on_dispatch, want_identify, on_fatal};

static void start_shards(struct discord *d, int count)
{
	struct gw_opts o;
	int i;

	if (count < 1)
		count = 1;
	if (count > MAX_SHARDS) {
		fatal(d, "Discord asks for %d shards; this drillbot runs at most %d in one process",
		      count, MAX_SHARDS);
		return;
	}
	d->nshards = count;
	for (i = 0; i < count; i++) {
		memset(&o, 0, sizeof(o));
		o.url = d->gateway_url;
		o.token = d->cfg->token;
		o.shard = i;
		o.shards = count;
		o.intents = GW_INTENT_GUILDS;
		o.user_agent = USER_AGENT;
		o.metrics = d->metrics;
		d->shards[i].d = d;
		gw_new(&d->shards[i].gw, d->loop, d->ws, &o, &gw_cbs, d);
		gw_start(d->shards[i].gw);
	}
	LOG_I(MOD, "connecting %d shard%s to %s", count, count == 1 ? "" : "s", d->gateway_url);
}

static void on_gateway_bot(struct discord *d, const struct rest_resp *resp, void *arg)
{
	json_t *j = json_of(resp);
	const char *url = json_string_value(json_object_get(j, "url"));
	json_t *limit = json_object_get(j, "session_start_limit");
	int shards = (int)json_integer_value(json_object_get(j, "shards"));

	(void)arg;
	if (resp->status == 401 || loop_stopping(d->loop)) {
		json_decref(j);
		return;
	}
	if (j == NULL || (url == NULL && d->cfg->gateway_url == NULL)) {
		fatal(d,
		      "GET /gateway/bot failed (status %ld): Discord or discord_api_base is not "
		      "answering as it should",
		      resp->status);
		json_decref(j);
		return;
	}
	snprintf(d->gateway_url, sizeof(d->gateway_url), "%s",
	         d->cfg->gateway_url != NULL ? d->cfg->gateway_url : url);
	d->concurrency = (int)json_integer_value(json_object_get(limit, "max_concurrency"));
	if (d->concurrency < 1 || d->concurrency > MAX_SHARDS)
		d->concurrency = 1;
	if (json_integer_value(json_object_get(limit, "remaining")) == 0 && limit != NULL)
		LOG_W(MOD, "no session starts left today (session_start_limit); Discord will "
		           "refuse to identify until it resets");
	json_decref(j);
	start_shards(d, d->cfg->shards > 0 ? (int)d->cfg->shards : shards);
}

static void gateway_bot(struct discord *d)
{
	api(d, "GET", "/gateway/bot", NULL, on_gateway_bot, NULL);
}

static void on_app(struct discord *d, const struct rest_resp *resp, void *arg)
{
	json_t *j = json_of(resp);
	const char *id = json_string_value(json_object_get(j, "id"));

	(void)arg;
	if (id == NULL) {
		if (resp->status != 401)
			fatal(d,
			      "GET /applications/@me failed (status %ld); set "
			      "discord_application_id",
			      resp->status);
		json_decref(j);
		return;
	}
	snprintf(d->app_id, sizeof(d->app_id), "%s", id);
	json_decref(j);
	d->after_app(d);
}

/* Runs next once the application id is known. */
static void with_app_id(struct discord *d, void (*next)(struct discord *))
{
	if (d->app_id[0] != '\0') {
		next(d);
		return;
	}
	d->after_app = next;
	api(d, "GET", "/applications/@me", NULL, on_app, NULL);
}

static void on_shutdown(void *arg)
{
	struct discord *d = arg;
	int i;

	d->hooked = false;
	flush_handled(d);
	for (i = 0; i < d->nshards; i++)
		gw_stop(d->shards[i].gw);
}

void discord_start(struct discord *d)
{
	store_handled_prune(d->store, (int64_t)time(NULL) - HANDLED_KEEP_S);
	if (loop_on_shutdown(d->loop, on_shutdown, d) == BOT_OK)
		d->hooked = true;
	with_app_id(d, gateway_bot);
}

struct discord *discord_new(const struct discord_deps *deps)
{
	struct discord *d = xcalloc(1, sizeof(*d));

	d->loop = deps->loop;
	d->rest = deps->rest;
	d->ws = deps->ws;
	d->engine = deps->engine;
	d->content = deps->content;
	d->store = deps->store;
	d->cfg = deps->cfg;
	d->metrics = deps->metrics;
	d->on_stop = deps->on_stop;
	d->stop_arg = deps->stop_arg;
	d->now = deps->now;
	d->now_arg = deps->now_arg;
	d->concurrency = 1;
	d->recent[0] = xcalloc(RECENT_SLOTS, sizeof(uint64_t));
	d->recent[1] = xcalloc(RECENT_SLOTS, sizeof(uint64_t));
	rl_init(&d->rl);
	LIST_INIT(&d->calls);
	snprintf(d->auth, sizeof(d->auth), "Authorization: Bot %s", d->cfg->token);
	if (d->cfg->application_id != NULL)
		snprintf(d->app_id, sizeof(d->app_id), "%s", d->cfg->application_id);
	return d;
}

void discord_free(struct discord *d)
{
	struct dcall *c;
	int i;

	if (d == NULL)
		return;
	if (d->hooked)
		loop_remove_shutdown(d->loop, on_shutdown, d);
	flush_handled(d);
	free(d->recent[0]);
	free(d->recent[1]);
	while ((c = LIST_FIRST(&d->calls)) != NULL)
		call_free(c);
	for (i = 0; i < d->nshards; i++) {
		loop_timer_stop(&d->shards[i].identify_wait);
		gw_free(d->shards[i].gw);
	}
	explicit_bzero(d->auth, sizeof(d->auth));
	free(d);
}

void discord_health(const struct discord *d, struct buf *json, bool *healthy)
{
	int i;

	if (d->nshards == 0) {
		buf_addf(json, "{\"name\":\"discord\",\"state\":\"%s\"}",
		         d->status == BOT_OK ? "starting" : "stopped");
		*healthy = false;
	}
	for (i = 0; i < d->nshards; i++) {
		const char *st = gw_state_name(d->shards[i].gw);
		buf_addf(json, "%s{\"name\":\"discord shard %d\",\"state\":\"%s\"}",
		         i > 0 ? "," : "", i, st);
		if (strcmp(st, "ready") != 0)
			*healthy = false;
	}
}

int discord_status(const struct discord *d)
{
	return d->status;
}

/* ---- command registration ---- */

/* application-commands.mdx, Application Command Option Type: INTEGER 4, USER 6, else STRING 3. */
static int option_type(const struct cmd_option *o)
{
	if (o->type == CMD_OPT_USER)
		return 6; /* Discord offers the server's members, and sends the user's id */
	return o->type == CMD_OPT_INTEGER ? 4 : 3;
}

static json_t *option_json(const struct cmd_option *o)
{
	json_t *j = json_pack("{s:i,s:s,s:s}", "type", option_type(o), "name", o->name,
	                      "description", o->description != NULL ? o->description : o->name);
	size_t i;

	if (o->required)
		json_object_set_new(j, "required", json_true());
	if (o->choices[0] != NULL) {
		json_t *ch = json_array();
		for (i = 0; i < CMD_MAX_CHOICES && o->choices[i] != NULL; i++)
			json_array_append_new(ch, json_pack("{s:s,s:s}", "name", o->choices[i],
			                                    "value", o->choices[i]));
		json_object_set_new(j, "choices", ch);
	} else if (o->type == CMD_OPT_INTEGER) {
		json_object_set_new(j, "min_value", json_integer(o->min));
		json_object_set_new(j, "max_value", json_integer(o->max));
	} else if (o->type == CMD_OPT_TOPIC) {
		json_object_set_new(j, "autocomplete", json_true());
	} else if (o->type == CMD_OPT_TEXT) {
		json_object_set_new(j, "max_length", json_integer(CMD_VALUE_MAX));
	}
	return j;
}

/* The command table as Discord application commands (application-commands.mdx). */
static json_t *commands_json(void)
{
	size_t n, i, k;
	const struct cmd_entry *t = cmd_table(&n);
	json_t *all = json_array();

	for (i = 0; i < n; i++) {
		json_t *c, *opts;
		char desc[101];
		if (t[i].kind != CMD_COMMAND)
			continue;
		opts = json_array();
		snprintf(desc, sizeof(desc), "%.*s", (int)reply_cut_len(t[i].description, 100),
		         t[i].description);
		/* Required options first: Discord refuses a required one after an optional one. */
		for (k = 0; k < CMD_MAX_OPTS && t[i].options[k].name != NULL; k++)
			if (t[i].options[k].required)
				json_array_append_new(opts, option_json(&t[i].options[k]));
		for (k = 0; k < CMD_MAX_OPTS && t[i].options[k].name != NULL; k++)
			if (!t[i].options[k].required)
				json_array_append_new(opts, option_json(&t[i].options[k]));
		c = json_pack("{s:s,s:i,s:s,s:[i,i],s:[i,i,i]}", "name", t[i].name, "type", 1,
		              "description", desc, "integration_types", 0, 1, "contexts", 0, 1, 2);
		json_object_set_new(c, "options", opts);
		if (t[i].admin)
			json_object_set_new(c, "default_member_permissions", json_string("32"));
		json_array_append_new(all, c);
	}
	return all;
}

/* Whether every field we send has the same value in what Discord holds (which adds its own). */
static bool same_fields(json_t *ours, json_t *theirs)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_object(ours)) {
		if (!json_is_object(theirs))
			return false;
		json_object_foreach(ours, key, v)
		{
			json_t *w = json_object_get(theirs, key);
			if (w == NULL &&
			    (json_is_false(v) || (json_is_array(v) && json_array_size(v) == 0)))
				continue; /* a default Discord leaves out */
			if (!same_fields(v, w))
				return false;
		}
		return true;
	}
	if (json_is_array(ours)) {
		if (!json_is_array(theirs) || json_array_size(ours) != json_array_size(theirs))
			return false;
		json_array_foreach(ours, i, v)
		{
			if (!same_fields(v, json_array_get(theirs, i)))
				return false;
		}
		return true;
	}
	return json_equal(ours, theirs);
}

/* The same commands by name, whatever Discord's order. */
static bool same_commands(json_t *ours, json_t *theirs)
{
	size_t i, j;
	json_t *c, *t;

	if (!json_is_array(theirs) || json_array_size(ours) != json_array_size(theirs))
		return false;
	json_array_foreach(ours, i, c)
	{
		bool found = false;
		json_array_foreach(theirs, j, t)
		{
			const char *a = json_string_value(json_object_get(c, "name"));
			const char *b = json_string_value(json_object_get(t, "name"));
			if (a != NULL && b != NULL && strcmp(a, b) == 0) {
				found = same_fields(c, t);
				break;
			}
		}
		if (!found)
			return false;
	}
	return true;
}

static void commands_path(struct discord *d, char *path, size_t size)
{
	if (d->guild != NULL)
		snprintf(path, size, "/applications/%s/guilds/%s/commands", d->app_id, d->guild);
	else
		snprintf(path, size, "/applications/%s/commands", d->app_id);
}

static void on_put(struct discord *d, const struct rest_resp *resp, void *arg)
{
	(void)arg;
	if (resp->err == BOT_OK && resp->status >= 200 && resp->status < 300) {
		printf("registered %d commands %s\n", d->ncommands,
		       d->guild != NULL ? "for the guild" : "globally");
	} else if (resp->status != 401) {
		fprintf(stderr, "drillbot: registering the commands failed (status %ld): %.300s\n",
		        resp->status, resp->body);
		d->status = BOT_EIO;
	}
	loop_stop(d->loop);
}

static void on_get_commands(struct discord *d, const struct rest_resp *resp, void *arg)
{
	json_t *ours = commands_json();
	json_t *theirs = json_of(resp);
	char path[256];

	(void)arg;
	if (resp->status == 401) {
		json_decref(ours);
		return;
	}
	if (same_commands(ours, theirs)) {
		printf("the %zu commands are unchanged %s; nothing to do\n", json_array_size(ours),
		       d->guild != NULL ? "for the guild" : "globally");
		fflush(stdout);
		json_decref(ours);
		json_decref(theirs);
		loop_stop(d->loop);
		return;
	}
	json_decref(theirs);
	d->ncommands = (int)json_array_size(ours);
	commands_path(d, path, sizeof(path));
	api(d, "PUT", path, ours, on_put, NULL);
}

static void register_now(struct discord *d)
{
	char path[256];

	commands_path(d, path, sizeof(path));
	api(d, "GET", path, NULL, on_get_commands, NULL);
}

void discord_register(struct discord *d, const char *guild)
{
	d->guild = guild;
	with_app_id(d, register_now);
}
