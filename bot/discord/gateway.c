/*
 * gateway.c - the Discord gateway session state machine. Quotes in the
 * comments name the rule of ../shared/discord/docs that a branch follows.
 */
#include "discord/gateway.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#define MOD            "gateway"
#define QUERY          "?v=10&encoding=json"
#define OWN_CLOSE_CODE 4000 /* not 1000/1001, which would end the session (gateway.mdx) */
#define WINDOW_MS      60000

enum gw_state {
	ST_IDLE,       /* not connected; a retry may be scheduled */
	ST_CONNECTING, /* the WebSocket handshake is under way */
	ST_HELLO,      /* connected, waiting for HELLO */
	ST_IDENTIFY,   /* waiting for our turn to IDENTIFY */
	ST_WAIT_READY, /* IDENTIFY or RESUME sent */
	ST_READY,      /* READY or RESUMED seen */
	ST_STOPPED     /* gw_stop() or a fatal close: never again */
};

struct gw {
	struct loop *loop;
	struct ws_lib *lib;
	struct ws *ws;
	struct gw_cbs cb;
	void *arg;
	char *url;              /* from GET /gateway/bot, without a query */
	char resume_url[512];   /* READY's resume_gateway_url */
	const char *token;      /* borrowed */
	const char *user_agent; /* borrowed */
	struct metrics *metrics;
	int shard, shards;
	uint32_t intents;
	char session_id[128]; /* "" when there is no session to resume */
	int64_t seq;          /* the last non-null s, or -1 */
	uint64_t interval;    /* heartbeat_interval, ms */
	bool acked;           /* the last heartbeat was acknowledged */
	enum gw_state st;
	int own_action;        /* -1, or what to do after a close we started */
	uint64_t own_delay_ms; /* and how long to wait before reconnecting */
	unsigned failures;     /* connections since the last READY or RESUMED */
	uint64_t rng;
	uint64_t window_start; /* the send limit's window, ms */
	int window_sends;
	struct loop_timer hb, retry;
};

static uint64_t now_ms(void)
{
	return uv_hrtime() / 1000000u;
}

static uint64_t rnd(struct gw *g, uint64_t n)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return n > 0 ? (z ^ (z >> 31)) % n : 0;
}

enum gw_after_close gw_close_action(int code)
{
	switch (code) {
	case 4004: /* Authentication failed */
	case 4010: /* Invalid shard */
	case 4011: /* Sharding required */
	case 4012: /* Invalid API version */
	case 4013: /* Invalid intent(s) */
	case 4014: /* Disallowed intent(s) */
		return GW_FATAL;
	case 4003: /* Not authenticated: "...or this session has been invalidated" */
	case 4007: /* Invalid seq: "Reconnect and start a new session" */
	case 4009: /* Session timed out: "Reconnect and start a new one" */
		return GW_NEW_SESSION;
	default: /* 4000-4002, 4005, 4008, and a drop without a close code: resume */
		return GW_RESUME;
	}
}

const char *gw_close_fix(int code)
{
	switch (code) {
	case 4004:
		return "Discord rejected the bot token; put the current token from the Developer "
		       "Portal (Bot > Reset Token) into discord_token_file or "
		       "DRILLBOT_DISCORD_TOKEN";
	case 4010:
		return "Discord refused the shard id; set discord_shards to auto or to the number "
		       "GET /gateway/bot recommends";
	case 4011:
		return "the bot is in too many guilds for one connection; set discord_shards = "
		       "auto";
	case 4012:
		return "Discord refused gateway version 10; upgrade drillbot";
	case 4013:
		return "Discord refused the intents drillbot asked for; this is a drillbot bug: "
		       "please report it";
	case 4014:
		return "Discord refused an intent the application is not allowed; drillbot asks "
		       "only for GUILDS, so check the application in the Developer Portal";
	default:
		return "";
	}
}

/* Sends one payload; heartbeats always go, others within the per-minute limit. */
static int send_json(struct gw *g, json_t *payload, bool heartbeat)
{
	char *text;
	uint64_t now = now_ms();
	int rc;

	if (g->ws == NULL) {
		json_decref(payload);
		return BOT_EINVAL;
	}
	if (now - g->window_start >= WINDOW_MS) {
		g->window_start = now;
		g->window_sends = 0;
	}
	if (!heartbeat && g->window_sends >= GW_SEND_LIMIT - GW_SEND_RESERVED) {
		LOG_W(MOD, "shard %d: not sending: %d gateway events this minute (the limit is %d)",
		      g->shard, g->window_sends, GW_SEND_LIMIT);
		json_decref(payload);
		return BOT_ETOOBIG;
	}
	text = json_dumps(payload, JSON_COMPACT);
	json_decref(payload);
	if (text == NULL)
		return BOT_ENOMEM;
	rc = ws_send(g->ws, text, strlen(text));
	free(text);
	if (rc == BOT_OK)
		g->window_sends++;
	return rc;
}

static void send_heartbeat(struct gw *g)
{
	json_t *d = g->seq >= 0 ? json_integer(g->seq) : json_null();

	send_json(g, json_pack("{s:i,s:o}", "op", 1, "d", d), true);
}

/* Closes the connection ourselves; on_close then does what `action` says. */
static void own_close(struct gw *g, enum gw_after_close action, uint64_t delay_ms, const char *why)
{
	if (g->ws == NULL)
		return;
	LOG_I(MOD, "shard %d: %s; %s", g->shard, why,
	      action == GW_RESUME ? "reconnecting to resume" : "reconnecting for a new session");
	g->own_action = (int)action;
	g->own_delay_ms = delay_ms;
	loop_timer_stop(&g->hb);
	ws_close(g->ws, OWN_CLOSE_CODE, why);
}

static void on_heartbeat(void *arg)
{
	struct gw *g = arg;

	if (g->ws == NULL)
		return;
	/* gateway.mdx: no ACK between two heartbeats is a zombied connection. */
	if (!g->acked) {
		own_close(g, GW_RESUME, 0, "no heartbeat ACK before the next heartbeat was due");
		return;
	}
	g->acked = false;
	send_heartbeat(g);
}

static void identify_or_resume(struct gw *g)
{
	if (g->session_id[0] != '\0' && g->seq >= 0) {
		send_json(g,
		          json_pack("{s:i,s:{s:s,s:s,s:I}}", "op", 6, "d", "token", g->token,
		                    "session_id", g->session_id, "seq", (json_int_t)g->seq),
		          false);
		g->st = ST_WAIT_READY;
		return;
	}
	g->st = ST_IDENTIFY;
	g->cb.want_identify(g->arg, g);
}

void gw_identify(struct gw *g)
{
	json_t *d;

	if (g->st != ST_IDENTIFY || g->ws == NULL)
		return;
	d = json_pack("{s:s,s:I,s:{s:s,s:s,s:s}}", "token", g->token, "intents",
	              (json_int_t)g->intents, "properties", "os", "linux", "browser", "drillbot",
	              "device", "drillbot");
	if (g->shards > 0)
		json_object_set_new(d, "shard", json_pack("[i,i]", g->shard, g->shards));
	g->seq = -1;
	g->session_id[0] = '\0';
	send_json(g, json_pack("{s:i,s:o}", "op", 2, "d", d), false);
	g->st = ST_WAIT_READY;
}

static void on_hello(struct gw *g, json_t *d)
{
	json_int_t ms = json_integer_value(json_object_get(d, "heartbeat_interval"));

	if (ms <= 0) {
		LOG_W(MOD, "shard %d: HELLO without a heartbeat_interval; assuming 41250 ms",
		      g->shard);
		ms = 41250;
	}
	g->interval = (uint64_t)ms;
	g->acked = true;
	/* gateway.mdx: the first heartbeat after heartbeat_interval * jitter, jitter in [0, 1). */
	loop_timer_start(g->loop, &g->hb, rnd(g, g->interval), g->interval, on_heartbeat, g);
	identify_or_resume(g);
}

static void on_ready(struct gw *g, json_t *d)
{
	const char *sid = json_string_value(json_object_get(d, "session_id"));
	const char *url = json_string_value(json_object_get(d, "resume_gateway_url"));

	snprintf(g->session_id, sizeof(g->session_id), "%s", sid != NULL ? sid : "");
	snprintf(g->resume_url, sizeof(g->resume_url), "%s", url != NULL ? url : "");
	g->st = ST_READY;
	g->failures = 0;
	LOG_I(MOD, "shard %d: ready", g->shard);
}

static void on_dispatch(struct gw *g, json_t *msg)
{
	json_t *s = json_object_get(msg, "s");
	const char *t = json_string_value(json_object_get(msg, "t"));
	json_t *d = json_object_get(msg, "d");

	if (json_is_integer(s))
		g->seq = json_integer_value(s);
	if (t == NULL)
		return;
	if (strcmp(t, "READY") == 0) {
		on_ready(g, d);
	} else if (strcmp(t, "RESUMED") == 0) {
		g->st = ST_READY;
		g->failures = 0;
		LOG_I(MOD, "shard %d: resumed at sequence %lld", g->shard, (long long)g->seq);
	}
	g->cb.on_dispatch(g->arg, g, t, d);
}

static void on_text(void *arg, const char *s, size_t n)
{
	struct gw *g = arg;
	json_error_t jerr;
	json_t *msg = json_loadb(s, n, 0, &jerr);
	json_int_t op;

	if (!json_is_object(msg)) {
		LOG_W(MOD, "shard %d: skipped a gateway message that is not a JSON object (%s)",
		      g->shard, msg == NULL ? jerr.text : "another JSON value");
		json_decref(msg);
		return;
	}
	op = json_integer_value(json_object_get(msg, "op"));
	switch (op) {
	case 0:
		on_dispatch(g, msg);
		break;
	case 1: /* "send a heartbeat immediately" */
		send_heartbeat(g);
		break;
	case 7:
		own_close(g, GW_RESUME, 0, "Discord asked for a reconnect (op 7)");
		break;
	case 9:
		/* d says whether the session may be resumed; wait a moment either way. */
		own_close(g, json_is_true(json_object_get(msg, "d")) ? GW_RESUME : GW_NEW_SESSION,
		          1000 + rnd(g, 4000), "the session was invalidated (op 9)");
		break;
	case 10:
		on_hello(g, json_object_get(msg, "d"));
		break;
	case 11:
		g->acked = true;
		break;
	default:
		LOG_D(MOD, "shard %d: ignored gateway op %lld", g->shard, (long long)op);
		break;
	}
	json_decref(msg);
}

static void on_open(void *arg)
{
	struct gw *g = arg;

	g->st = ST_HELLO;
	g->window_start = now_ms();
	g->window_sends = 0;
}

static void on_retry(void *arg)
{
	gw_start(arg);
}

/* Capped exponential backoff with jitter; the first retry comes soon. */
static uint64_t backoff_ms(struct gw *g)
{
	uint64_t base;

	if (g->failures == 0)
		return rnd(g, 1000);
	base = 1000u << (g->failures > 6 ? 6 : g->failures - 1);
	if (base > GW_BACKOFF_MAX_MS)
		base = GW_BACKOFF_MAX_MS;
	return base / 2 + rnd(g, base / 2 + 1);
}

static void on_close(void *arg, int code, const char *reason, bool opened)
{
	struct gw *g = arg;
	enum gw_after_close action;
	uint64_t delay;

	g->ws = NULL;
	loop_timer_stop(&g->hb);
	if (g->st == ST_STOPPED)
		return;
	action = g->own_action >= 0 ? (enum gw_after_close)g->own_action : gw_close_action(code);
	delay = g->own_action >= 0 ? g->own_delay_ms : backoff_ms(g);
	g->own_action = -1;
	g->st = ST_IDLE;
	if (action == GW_FATAL) {
		g->st = ST_STOPPED;
		LOG_E(MOD, "shard %d: the gateway closed with %d (%s): %s", g->shard, code, reason,
		      gw_close_fix(code));
		g->cb.on_fatal(g->arg, g, code, gw_close_fix(code));
		return;
	}
	if (action == GW_NEW_SESSION) {
		g->session_id[0] = '\0';
		g->seq = -1;
	}
	if (!opened || g->failures > 0 || code != OWN_CLOSE_CODE)
		LOG_W(MOD, "shard %d: %s (%d%s%s); reconnecting in %llu ms", g->shard,
		      opened ? "the gateway connection closed" : "cannot connect to the gateway",
		      code, reason[0] != '\0' ? ": " : "", reason, (unsigned long long)delay);
	g->failures++;
	metrics_add(g->metrics, METRIC_RECONNECTS, "platform=\"discord\"", 1);
	loop_timer_start(g->loop, &g->retry, delay, 0, on_retry, g);
}

static const struct ws_cbs ws_cbs = {on_open, on_text, on_close};

void gw_start(struct gw *g)
{
	struct ws_opts wo;
	char url[600];
	bool resume = g->session_id[0] != '\0' && g->resume_url[0] != '\0';
	int rc;

	if (g->st == ST_STOPPED || g->ws != NULL || loop_stopping(g->loop))
		return;
	/* gateway.mdx, Resuming: resume on resume_gateway_url, with the same query. */
	snprintf(url, sizeof(url), "%s%s", resume ? g->resume_url : g->url, QUERY);
	memset(&wo, 0, sizeof(wo));
	wo.url = url;
	wo.max_message = GW_MAX_MESSAGE;
	wo.user_agent = g->user_agent;
	g->st = ST_CONNECTING;
	rc = ws_connect(g->lib, &wo, &ws_cbs, g, &g->ws);
	if (rc != BOT_OK) {
		g->ws = NULL;
		g->st = ST_IDLE;
		LOG_W(MOD, "shard %d: cannot start a gateway connection: %s", g->shard,
		      bot_strerror(rc));
		g->failures++;
		loop_timer_start(g->loop, &g->retry, backoff_ms(g), 0, on_retry, g);
	}
}

int gw_new(struct gw **out, struct loop *l, struct ws_lib *lib, const struct gw_opts *o,
           const struct gw_cbs *cb, void *arg)
{
	struct gw *g = xcalloc(1, sizeof(*g));
	size_t n = strlen(o->url);

	g->loop = l;
	g->lib = lib;
	g->cb = *cb;
	g->arg = arg;
	/* The query is ours to add; a trailing slash or query from the API is dropped. */
	g->url = xstrndup(o->url, strcspn(o->url, "?"));
	n = strlen(g->url);
	while (n > 0 && g->url[n - 1] == '/')
		g->url[--n] = '\0';
	g->token = o->token;
	g->user_agent = o->user_agent;
	g->metrics = o->metrics;
	g->shard = o->shard;
	g->shards = o->shards;
	g->intents = o->intents;
	g->seq = -1;
	g->own_action = -1;
	g->rng = uv_hrtime() ^ ((uint64_t)(uintptr_t)g << 16) ^ (uint64_t)o->shard;
	*out = g;
	return BOT_OK;
}

void gw_stop(struct gw *g)
{
	if (g->st == ST_STOPPED)
		return;
	g->st = ST_STOPPED;
	loop_timer_stop(&g->hb);
	loop_timer_stop(&g->retry);
	if (g->ws != NULL)
		ws_close(g->ws, 1000, "shutting down");
}

void gw_free(struct gw *g)
{
	if (g == NULL)
		return;
	gw_stop(g);
	free(g->url);
	free(g);
}

int gw_shard(const struct gw *g)
{
	return g->shard;
}

const char *gw_state_name(const struct gw *g)
{
	switch (g->st) {
	case ST_CONNECTING:
		return "connecting";
	case ST_HELLO:
		return "hello";
	case ST_IDENTIFY:
		return "identifying";
	case ST_WAIT_READY:
		return g->session_id[0] != '\0' ? "resuming" : "identifying";
	case ST_READY:
		return "ready";
	case ST_STOPPED:
		return "stopped";
	default:
		return "idle";
	}
}
