/*
 * slack.c - the Slack adapter. It owns the Socket Mode connections, the
 * Web API calls waiting on rate limits, the users.info cache and the set
 * of envelopes already handled.
 *
 * Order of work for an envelope: acknowledge it on the socket it came on,
 * then think. The ack is queued at once and the envelope's work (the
 * engine, SQLite, the reply) waits in a queue that an idle handle runs
 * only after the loop has been through its I/O phase again, so the ack is
 * on the wire before any slow work, whatever else arrived in the same
 * read. Replies go through response_url (block_actions and slash
 * commands carry one), chat.postEphemeral / chat.postMessage after a
 * modal, views.open for the Answer button. A user whose users.info is not
 * cached yet waits for it (admin flags, time zone) before the engine runs.
 *
 * Refreshes (using-socket-mode, 3): on a disconnect warning or
 * refresh_requested a new socket is opened while the old one keeps
 * working; the old one is closed only a moment after the new one's hello,
 * so no envelope is ever without a socket to be acknowledged on.
 */
#include "slack/slack.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include "base/err.h"
#include "base/log.h"
#include "base/tz.h"
#include "base/util.h"
#include "slack/slimit.h"
#include "slack/smsg.h"

#define MOD                "slack"
#define USER_AGENT         "drillbot/0.4 (Slack Socket Mode)"
#define HELLO_WAIT_MS      10000 /* a socket without its hello by then is replaced */
#define RETIRE_QUIET_MS    300   /* an old socket goes once this quiet after the new hello */
#define RETIRE_CHECK_MS    100
#define RETIRE_MAX_MS      10000 /* using-socket-mode: Slack closes it about then anyway */
#define PING_IDLE_S        8     /* keep-alive: a ping after this much silence */
#define HANGUP_IDLE_S      20    /* and the socket is given up after this much */
#define MAX_429_RETRIES    5
#define MAX_NET_RETRIES    3
#define TRIGGER_LIFE_MS    3000 /* handling-user-interaction: triggers expire in 3 s */
#define USERS_MAX          2048
#define USER_TTL_S         3600 /* admin flags and zones change rarely */
#define USERS_INFO_WAIT_MS 2500 /* then a new user's first request goes on with the defaults */
#define SEEN_SLOTS         8192 /* per generation of the set of handled envelopes */
#define HANDLED_BATCH      256  /* handled envelopes recorded in one commit, at most */
#define HANDLED_FLUSH_MS   20
#define MAX_JOBS           64       /* envelopes waiting on one user's users.info */
#define WORK_SLICE_NS      1000000u /* the queued work done between two reads of the sockets */
#define LAT_SLOTS          4096     /* ack latency histogram: 1 us slots, the last one "or more" */

enum auth { AUTH_NONE, AUTH_BOT, AUTH_APP };

struct slack;
struct scall;
/*
 * A finished call: j is the response (ok:true) or NULL; error is Slack's
 * error or ours; tag is what the caller gave (copied into the call).
 */
typedef void (*scall_fn)(struct slack *s, json_t *j, const char *error, const char *tag);

struct scall {
	struct slack *s;
	LIST_ENTRY(scall) link;
	char method[32];   /* the Web API method, or "response_url" */
	char channel[96];  /* chat.postMessage's per-channel limit; for others a tag */
	char url[1024];    /* never logged: a response_url is a credential */
	char *reply_url;   /* where to tell the user about an error they can fix, or NULL */
	char notify[32];   /* else whose direct messages get the message and the fix, or "" */
	char *body;        /* or NULL */
	const char *ctype; /* the Content-Type header */
	enum auth auth;
	int tries_429, tries_net;
	uint64_t deadline; /* ms; 0: none (a trigger_id dies after 3 s) */
	struct loop_timer wait;
	scall_fn done;      /* may be NULL */
	slack_sent_fn sent; /* a daily post's caller (slack_send), or NULL */
	void *sent_arg;
};

struct sconn {
	struct slack *s;
	struct ws *ws;
	LIST_ENTRY(sconn) link;
	unsigned id;
	bool hello;
	bool retiring; /* Slack asked for a new socket; this one goes once that one is up */
	struct loop_timer timer; /* the hello deadline, then the retirement */
	uint64_t last_rx;        /* ms, the last frame received */
	bool in_connect;         /* inside ws_connect(): on_close may run there already */
	bool closed;             /* on_close ran inside ws_connect() */
	uint64_t retire_at;      /* ms, when its replacement said hello */
};

struct sjob {
	STAILQ_ENTRY(sjob) link;
	json_t *root; /* the envelope, kept until its work is done */
	enum smsg_type type;
	uint64_t at;   /* ms, when it arrived (a trigger_id dies 3 s later) */
	uint64_t tick; /* the loop iteration it was queued in */
};

struct suser {
	char key[96]; /* "team user" */
	bool ready;   /* users.info answered (or failed: defaults) */
	bool fetching;
	bool is_admin;
	char tz[64];
	int64_t fetched;
	uint64_t used;
	size_t njobs;
	STAILQ_HEAD(, sjob) jobs;
};

struct slack {
	struct loop *loop;
	struct rest *rest;
	struct ws_lib *ws;
	struct engine *engine;
	const struct content *content;
	struct store *store;
	const struct slack_settings *cfg;
	struct metrics *metrics;
	void (*on_stop)(void *arg);
	void *stop_arg;
	int64_t (*now)(void *arg); /* the requests' clock, or NULL for the wall clock */
	void *now_arg;
	char bot_auth[512], app_auth[512];
	char api_base[512];
	char bot_user[32], team[32];
	struct slimit rl;
	LIST_HEAD(, scall) calls;
	LIST_HEAD(, sconn) conns;
	unsigned next_id;
	bool opening;   /* apps.connections.open or a connect in flight */
	bool connected; /* some socket has its hello */
	bool stopped;   /* for good (fatal), or shutting down */
	bool hooked;
	unsigned failures; /* reconnects since the last hello */
	unsigned auth_failures;
	struct loop_timer retry;
	uint64_t rng;
	struct suser *users;
	size_t nusers;
	uint64_t *seen[2];
	size_t nseen;
	/* Envelopes handled since the last flush, recorded in the store in one commit,
	 * so a redelivery after a restart is caught too. */
	char *pending[HANDLED_BATCH];
	size_t npending;
	struct loop_timer flush;
	int status;
	bool warned_users_info;
	/* From a frame's arrival to its ack queued: what the 3-second deadline is about. */
	uint64_t frame_at; /* ns, the frame being handled */
	uint32_t *lat;     /* LAT_SLOTS counts */
	uint64_t nlat;
	/* Work queued behind the acks; the idle handle runs it two iterations on. */
	STAILQ_HEAD(, sjob) work;
	uv_idle_t *idle; /* heap: freed by its close callback */
	uint64_t tick;
};

static uint64_t now_ms(void)
{
	return uv_hrtime() / 1000000u;
}

static uint64_t rnd(struct slack *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void open_socket(struct slack *s);
static void conn_close(struct sconn *c, int code, const char *why);

/*
 * Stops the adapter for a reason retrying cannot cure: printed once, every
 * socket closed, nothing reconnects; the owner decides about the process.
 */
static void fatal(struct slack *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fatal(struct slack *s, const char *fmt, ...)
{
	char msg[1024];
	struct sconn *c, *next;
	va_list ap;

	if (s->stopped)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "drillbot: Slack stopped: %s\n", msg);
	s->stopped = true;
	s->connected = false;
	if (s->status == BOT_OK)
		s->status = BOT_ECONFIG;
	loop_timer_stop(&s->retry);
	for (c = LIST_FIRST(&s->conns); c != NULL; c = next) {
		next = LIST_NEXT(c, link);
		conn_close(c, 1000, "stopping");
	}
	if (s->on_stop != NULL)
		s->on_stop(s->stop_arg);
}

/* ---- Web API ---- */

static void call_send(struct scall *c);
static void post_response_url(struct slack *s, const char *url, json_t *body);

static void call_free(struct scall *c)
{
	loop_timer_stop(&c->wait);
	LIST_REMOVE(c, link);
	free(c->body);
	free(c->reply_url);
	free(c);
}

static void on_call_wait(void *arg)
{
	call_send(arg);
}

/* The errors of chat.postMessage that mean the bot may not post in that channel. */
static bool no_access(const char *error)
{
	static const char *const e[] = {"channel_not_found", "not_in_channel",    "is_archived",
	                                "restricted_action", "ekm_access_denied", NULL};
	size_t i;

	for (i = 0; error != NULL && e[i] != NULL; i++)
		if (strcmp(error, e[i]) == 0)
			return true;
	return false;
}

static void sent_finish(struct scall *c, json_t *j, const char *error)
{
	char why[256];

	if (j != NULL) {
		c->sent(c->sent_arg, BOT_OK, json_string_value(json_object_get(j, "ts")), NULL);
		return;
	}
	snprintf(why, sizeof(why),
	         error != NULL && strcmp(error, "not_in_channel") == 0
	             ? "Slack says the bot is not in channel %s (not_in_channel): invite it with "
	               "/invite @drillbot there"
	         : error != NULL && strcmp(error, "is_archived") == 0
	             ? "Slack says channel %s is archived (is_archived)"
	             : "Slack refused the post in channel %s (%s)",
	         c->channel, error != NULL ? error : "no answer");
	c->sent(c->sent_arg, no_access(error) ? BOT_EPERM : BOT_EIO, NULL, why);
}

static void call_finish(struct scall *c, json_t *j, const char *error)
{
	if (c->done != NULL)
		c->done(c->s, j, error, c->channel);
	if (c->sent != NULL)
		sent_finish(c, j, error);
	call_free(c);
}

static void call_later(struct scall *c, uint64_t ms)
{
	if (c->deadline != 0 && now_ms() + ms > c->deadline) {
		LOG_W(MOD,
		      "%s: gave up, its deadline would pass first (rate limited or Slack slow)",
		      c->method);
		/* The Answer button's trigger is dead: the person can press it again. */
		if (strcmp(c->method, "views.open") == 0 && c->reply_url != NULL)
			post_response_url(
			    c->s, c->reply_url,
			    json_pack("{s:s,s:s,s:b}", "response_type", "ephemeral", "text",
			              "Slack was slow to open the answer box; press Answer "
			              "again.",
			              "replace_original", 0));
		call_finish(c, NULL, "deadline_passed");
		return;
	}
	if (loop_timer_start(c->s->loop, &c->wait, ms, 0, on_call_wait, c) != BOT_OK) {
		LOG_W(MOD, "%s dropped: shutting down", c->method);
		call_finish(c, NULL, "shutting_down");
	}
}

/* What a person can do about an error, or NULL when it is ours to fix. */
static const char *user_fix(const char *error, json_t *j, char *buf, size_t size)
{
	if (strcmp(error, "not_in_channel") == 0)
		return "I am not in this channel yet: invite me with /invite @drillbot, then try "
		       "again.";
	if (strcmp(error, "channel_not_found") == 0)
		return "I cannot see this channel (a private channel I am not in?): invite me with "
		       "/invite @drillbot, or use me in another channel.";
	if (strcmp(error, "is_archived") == 0)
		return "This channel is archived, so I cannot post in it.";
	if (strcmp(error, "missing_scope") == 0) {
		const char *needed = json_string_value(json_object_get(j, "needed"));
		snprintf(buf, size,
		         "This Slack app lacks the scope %s: a workspace admin adds it under OAuth "
		         "& Permissions at api.slack.com/apps and reinstalls the app.",
		         needed != NULL ? needed : "(unnamed)");
		return buf;
	}
	return NULL;
}

static void api_json(struct slack *s, const char *method, json_t *args, const char *reply_url,
                     const char *notify, uint64_t deadline);

/*
 * A message the channel refused (the bot is not in it) goes to the user's
 * direct messages instead, with what to do first: a graded answer is not
 * lost because of where the modal was opened.
 */
static void dm_instead(struct slack *s, struct scall *c, const char *fix)
{
	json_t *m = c->body != NULL ? json_loads(c->body, 0, NULL) : NULL;
	json_t *blocks = json_object_get(m, "blocks");

	if (m == NULL)
		return;
	json_object_set_new(m, "channel", json_string(c->notify));
	json_object_del(m, "user");
	if (json_is_array(blocks) && json_array_size(blocks) < SMSG_BLOCKS_MAX)
		json_array_insert_new(blocks, 0,
		                      json_pack("{s:s,s:{s:s,s:s}}", "type", "section", "text",
		                                "type", "mrkdwn", "text", fix));
	api_json(s, "chat.postMessage", m, NULL, NULL, 0);
}

/* Logs an ok:false error clearly and, where a person can act, tells them. */
static void call_error(struct scall *c, const char *error, json_t *j)
{
	struct slack *s = c->s;
	char buf[512];
	const char *fix = user_fix(error, j, buf, sizeof(buf));
	const char *needed = json_string_value(json_object_get(j, "needed"));

	if (smsg_auth_error(error)) {
		fatal(s,
		      "Slack refused the %s token (%s from %s): put the current %s into %s or %s, "
		      "then restart drillbot",
		      c->auth == AUTH_APP ? "app-level" : "bot", error, c->method,
		      c->auth == AUTH_APP ? "app-level token (xapp-, Basic Information > "
		                            "App-Level Tokens, scope connections:write)"
		                          : "Bot User OAuth Token (xoxb-, OAuth & Permissions)",
		      c->auth == AUTH_APP ? "slack_app_token_file" : "slack_bot_token_file",
		      c->auth == AUTH_APP ? "DRILLBOT_SLACK_APP_TOKEN"
		                          : "DRILLBOT_SLACK_BOT_TOKEN");
		return;
	}
	LOG_W(MOD, "%s%s%s failed: %s%s%s%s%s%s", c->method, c->channel[0] != '\0' ? " in " : "",
	      c->channel, error, needed != NULL ? " (needs scope " : "",
	      needed != NULL ? needed : "", needed != NULL ? ")" : "", fix != NULL ? ": " : "",
	      fix != NULL ? fix : "");
	if (fix != NULL && c->reply_url != NULL)
		post_response_url(s, c->reply_url,
		                  json_pack("{s:s,s:s,s:b}", "response_type", "ephemeral", "text",
		                            fix, "replace_original", 0));
	else if (fix != NULL && c->notify[0] != '\0')
		dm_instead(s, c, fix);
}

static void on_call_done(const struct rest_resp *resp, void *arg)
{
	struct scall *c = arg;
	struct slack *s = c->s;
	json_t *j = NULL;
	const char *error;
	char labels[64];

	snprintf(labels, sizeof(labels), "platform=\"slack\",status=\"%ld\"",
	         resp->err == BOT_OK ? resp->status : 0L);
	metrics_add(s->metrics, METRIC_REST, labels, 1);
	if (resp->status == 429)
		metrics_add(s->metrics, METRIC_RATE_LIMITED, "platform=\"slack\"", 1);
	if (resp->status == 429 && c->tries_429++ < MAX_429_RETRIES && !s->stopped) {
		uint64_t ms = slimit_retry_after_ms(rest_resp_header(resp, "Retry-After"));
		if (strcmp(c->method, "response_url") != 0)
			slimit_blocked(&s->rl, c->method, ms, now_ms());
		LOG_W(MOD, "%s: rate limited, retrying in %llu ms (Retry-After)", c->method,
		      (unsigned long long)ms);
		call_later(c, ms);
		return;
	}
	if ((resp->err == BOT_ENET || resp->status >= 500) && c->tries_net++ < MAX_NET_RETRIES &&
	    !s->stopped) {
		uint64_t ms = 250u << c->tries_net;
		LOG_W(MOD, "%s: %s %ld, retrying in %llu ms", c->method,
		      resp->err == BOT_OK ? "status" : "network error", resp->status,
		      (unsigned long long)ms);
		call_later(c, ms);
		return;
	}
	if (resp->err != BOT_OK || resp->status < 200 || resp->status >= 300) {
		LOG_W(MOD, "%s failed: %s, status %ld", c->method,
		      resp->err != BOT_OK ? bot_strerror(resp->err) : "HTTP", resp->status);
		call_finish(c, NULL, "http_error");
		return;
	}
	if (strcmp(c->method, "response_url") == 0) { /* answers "ok" as text */
		call_finish(c, NULL, NULL);
		return;
	}
	j = json_loadb(resp->body, resp->body_len, 0, NULL);
	if (json_is_true(json_object_get(j, "ok"))) {
		call_finish(c, j, NULL);
		json_decref(j);
		return;
	}
	error = json_string_value(json_object_get(j, "error"));
	if (error == NULL)
		error = j == NULL ? "invalid_json" : "unknown_error";
	call_error(c, error, j);
	call_finish(c, NULL, error);
	json_decref(j);
}

static void call_send(struct scall *c)
{
	struct slack *s = c->s;
	const char *headers[4];
	struct rest_req req;
	size_t nh = 0;
	uint64_t wait = 0;
	int rc;

	if (strcmp(c->method, "response_url") != 0)
		wait = slimit_acquire(&s->rl, c->method, c->channel[0] != '\0' ? c->channel : NULL,
		                      now_ms());
	if (wait > 0) {
		call_later(c, wait);
		return;
	}
	if (c->auth == AUTH_BOT)
		headers[nh++] = s->bot_auth;
	else if (c->auth == AUTH_APP)
		headers[nh++] = s->app_auth;
	headers[nh++] = "User-Agent: " USER_AGENT;
	headers[nh++] = c->ctype;
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = c->url;
	req.headers = headers;
	req.nheaders = nh;
	req.body = c->body != NULL ? c->body : "";
	req.body_len = c->body != NULL ? strlen(c->body) : 0;
	/* A call with a deadline may not take longer than what is left of it. */
	req.timeout_ms = 0;
	if (c->deadline != 0)
		req.timeout_ms =
		    c->deadline > now_ms() + 100 ? (long)(c->deadline - now_ms()) : 100;
	rc = rest_request(s->rest, &req, on_call_done, c);
	if (rc != BOT_OK) {
		LOG_W(MOD, "%s not sent: %s", c->method, bot_strerror(rc));
		call_finish(c, NULL, "not_sent");
	}
}

static struct scall *call_new(struct slack *s, const char *method, enum auth auth, scall_fn done)
{
	struct scall *c = xcalloc(1, sizeof(*c));

	c->s = s;
	c->auth = auth;
	c->done = done;
	snprintf(c->method, sizeof(c->method), "%s", method);
	snprintf(c->url, sizeof(c->url), "%s/%s", s->api_base, method);
	LIST_INSERT_HEAD(&s->calls, c, link);
	return c;
}

/* A JSON method call with the bot token; args is taken. reply_url: for errors a person can fix. */
static void api_json(struct slack *s, const char *method, json_t *args, const char *reply_url,
                     const char *notify, uint64_t deadline)
{
	struct scall *c;
	const char *ch = json_string_value(json_object_get(args, "channel"));

	if (args == NULL) { /* jansson refused a string (not UTF-8): a bug upstream, not a crash */
		LOG_E(MOD, "%s: could not build the arguments; nothing sent", method);
		return;
	}
	c = call_new(s, method, AUTH_BOT, NULL);

	snprintf(c->channel, sizeof(c->channel), "%s", ch != NULL ? ch : "");
	c->body = json_dumps(args, JSON_COMPACT);
	c->ctype = "Content-Type: application/json; charset=utf-8";
	c->reply_url = reply_url != NULL ? xstrdup(reply_url) : NULL;
	snprintf(c->notify, sizeof(c->notify), "%s", notify != NULL ? notify : "");
	c->deadline = deadline;
	json_decref(args);
	call_send(c);
}

void slack_send(struct slack *s, const struct reply *r, const char *nonce, slack_sent_fn done,
                void *arg)
{
	json_t *m = smsg_message(r);
	struct scall *c;

	(void)nonce; /* chat.postMessage has no idempotency key */
	json_object_set_new(m, "channel", json_string(r->dest.channel));
	/* A follow-up (a reveal) goes in the thread of its post. */
	if (r->dest.reply_to[0] != '\0')
		json_object_set_new(m, "thread_ts", json_string(r->dest.reply_to));
	c = call_new(s, "chat.postMessage", AUTH_BOT, NULL);
	snprintf(c->channel, sizeof(c->channel), "%.95s", r->dest.channel);
	c->body = json_dumps(m, JSON_COMPACT);
	c->ctype = "Content-Type: application/json; charset=utf-8";
	c->sent = done;
	c->sent_arg = arg;
	json_decref(m);
	call_send(c);
}

/* A form-encoded call (users.info takes no JSON; apps.connections.open has no arguments). */
static void api_form(struct slack *s, const char *method, enum auth auth, const char *form,
                     scall_fn done, const char *tag, uint64_t deadline)
{
	struct scall *c = call_new(s, method, auth, done);

	snprintf(c->channel, sizeof(c->channel), "%s", tag != NULL ? tag : "");
	c->deadline = deadline;
	c->body = xstrdup(form);
	c->ctype = "Content-Type: application/x-www-form-urlencoded";
	call_send(c);
}

static void post_response_url(struct slack *s, const char *url, json_t *body)
{
	struct scall *c = call_new(s, "response_url", AUTH_NONE, NULL);

	snprintf(c->url, sizeof(c->url), "%s", url);
	c->body = json_dumps(body, JSON_COMPACT);
	c->ctype = "Content-Type: application/json; charset=utf-8";
	json_decref(body);
	if (strlen(url) >= sizeof(c->url) ||
	    (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)) {
		LOG_W(MOD, "a response_url that is not an http(s) URL; reply dropped");
		call_free(c);
		return;
	}
	call_send(c);
}

/* ---- envelopes handled once ---- */

static uint64_t hash_key(const char *k)
{
	uint64_t h = 1469598103934665603ull;

	for (; *k != '\0'; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ull;
	return h != 0 ? h : 1;
}

static void flush_handled(struct slack *s)
{
	size_t i;
	int rc;

	loop_timer_stop(&s->flush);
	if (s->npending == 0)
		return;
	rc = store_handled_add_all(s->store, "slack", (const char *const *)s->pending, s->npending,
	                           (int64_t)time(NULL));
	if (rc != BOT_OK)
		LOG_W(MOD, "cannot record %zu envelopes as handled: %s", s->npending,
		      bot_strerror(rc));
	for (i = 0; i < s->npending; i++)
		free(s->pending[i]);
	s->npending = 0;
}

static void on_flush(void *arg)
{
	flush_handled(arg);
}

static bool seen_in_memory(struct slack *s, const char *k);

/*
 * Whether the envelope with key k was handled before, by this process (in
 * memory) or one before it (the store: Slack redelivers after a restart
 * too); records it if not.
 */
static bool seen_before(struct slack *s, const char *k)
{
	bool seen = false;

	if (seen_in_memory(s, k))
		return true;
	if (store_handled_seen(s->store, "slack", k, &seen) == BOT_OK && seen)
		return true;
	s->pending[s->npending++] = xstrdup(k);
	if (s->npending == HANDLED_BATCH)
		flush_handled(s);
	else if (!loop_timer_active(&s->flush))
		loop_timer_start(s->loop, &s->flush, HANDLED_FLUSH_MS, 0, on_flush, s);
	return false;
}

/* Whether key was seen; records it if not (two generations, the older dropped when full). */
static bool seen_in_memory(struct slack *s, const char *k)
{
	uint64_t key = hash_key(k);
	size_t i;
	int g;

	for (g = 0; g < 2; g++) {
		i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (SEEN_SLOTS - 1);
		while (s->seen[g][i] != 0) {
			if (s->seen[g][i] == key)
				return true;
			i = (i + 1) & (SEEN_SLOTS - 1);
		}
	}
	if (s->nseen >= SEEN_SLOTS / 2) {
		uint64_t *old = s->seen[1];
		s->seen[1] = s->seen[0];
		s->seen[0] = old;
		memset(s->seen[0], 0, SEEN_SLOTS * sizeof(uint64_t));
		s->nseen = 0;
	}
	i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (SEEN_SLOTS - 1);
	while (s->seen[0][i] != 0)
		i = (i + 1) & (SEEN_SLOTS - 1);
	s->seen[0][i] = key;
	s->nseen++;
	return false;
}

/* ---- users ---- */

static bool listed_admin(const struct slack *s, const char *user)
{
	const char *p = s->cfg->admins;
	size_t n = strlen(user);

	while (p != NULL && *p != '\0') {
		size_t len;
		p += strspn(p, " ,");
		len = strcspn(p, " ,");
		if (len == n && strncmp(p, user, n) == 0)
			return true;
		p += len;
	}
	return false;
}

static struct suser *user_find(struct slack *s, const char *team, const char *user, bool add)
{
	char key[96];
	struct suser *u = NULL;
	size_t i;

	snprintf(key, sizeof(key), "%s %s", team, user);
	for (i = 0; i < s->nusers; i++)
		if (strcmp(s->users[i].key, key) == 0)
			return &s->users[i];
	if (!add)
		return NULL;
	if (s->nusers < USERS_MAX) {
		u = &s->users[s->nusers++];
	} else { /* the least recently used entry that nobody waits on */
		for (i = 0; i < s->nusers; i++)
			if (s->users[i].njobs == 0 && (u == NULL || s->users[i].used < u->used))
				u = &s->users[i];
		if (u == NULL)
			return NULL;
	}
	memset(u, 0, sizeof(*u));
	snprintf(u->key, sizeof(u->key), "%s", key);
	STAILQ_INIT(&u->jobs);
	return u;
}

static void run_job(struct slack *s, struct sjob *j, const struct suser *u);

static void on_users_info(struct slack *s, json_t *j, const char *error, const char *key)
{
	char team[48], user[48];
	json_t *ju = json_object_get(j, "user");
	const char *tz = json_string_value(json_object_get(ju, "tz"));
	struct suser *u;
	struct sjob *job;

	if (sscanf(key, "%47s %47s", team, user) != 2 ||
	    (u = user_find(s, team, user, false)) == NULL)
		return;
	u->fetching = false;
	if (error != NULL && !s->warned_users_info) {
		s->warned_users_info = true;
		LOG_W(MOD,
		      "users.info failed (%s): admin rights come from slack_admins alone and "
		      "zones from /settings timezone",
		      error);
	}
	u->ready = true;
	u->fetched = (int64_t)time(NULL);
	if (error != NULL) /* the defaults for now; ask again in a minute, not in an hour */
		u->fetched -= USER_TTL_S - 60;
	u->is_admin = json_is_true(json_object_get(ju, "is_admin")) ||
	              json_is_true(json_object_get(ju, "is_owner")) ||
	              json_is_true(json_object_get(ju, "is_primary_owner"));
	snprintf(u->tz, sizeof(u->tz), "%s", tz != NULL && tz_valid(tz) ? tz : "");
	while ((job = STAILQ_FIRST(&u->jobs)) != NULL) {
		STAILQ_REMOVE_HEAD(&u->jobs, link);
		u->njobs--;
		if (!s->stopped)
			run_job(s, job, u);
		json_decref(job->root);
		free(job);
	}
}

static void users_info(struct slack *s, struct suser *u, const char *user)
{
	char form[128];

	snprintf(form, sizeof(form), "user=%s", user);
	/* The first reply to a new user waits for this: not for long. */
	api_form(s, "users.info", AUTH_BOT, form, on_users_info, u->key,
	         now_ms() + USERS_INFO_WAIT_MS);
}

/*
 * The user's entry, fresh or being fetched. A stale one is used as it is
 * while a fresh copy comes.
 */
static struct suser *user_get(struct slack *s, const char *team, const char *user)
{
	struct suser *u = user_find(s, team, user, true);
	int64_t now = (int64_t)time(NULL);

	if (u == NULL)
		return NULL;
	u->used = now_ms();
	if (u->fetching || (u->ready && now - u->fetched <= USER_TTL_S))
		return u;
	if (strlen(user) < 48 &&
	    strspn(user, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(user)) {
		u->fetching = true;
		users_info(s, u, user);
	} else {
		u->ready = true; /* an id Slack never sends: the defaults */
		u->fetched = now;
	}
	return u;
}

/* ---- replies ---- */

static void fill_request(struct slack *s, struct smsg_req *r, const struct suser *u)
{
	r->req.now = s->now != NULL ? s->now(s->now_arg) : (int64_t)time(NULL);
	r->req.is_admin = (u != NULL && u->is_admin) || listed_admin(s, r->req.user);
	r->req.tz = u != NULL && u->tz[0] != '\0' ? u->tz : NULL;
}

/* The message for a reply, with response_type for a response_url or an ack. */
static json_t *response_body(const struct reply *rep, bool replace)
{
	json_t *m = smsg_message(rep);

	json_object_set_new(m, "response_type",
	                    json_string(rep->ephemeral ? "ephemeral" : "in_channel"));
	if (replace)
		json_object_set_new(m, "replace_original", json_true());
	return m;
}

/* A reply with nowhere better to go: in the channel (for the user alone when ephemeral). */
static void post_reply(struct slack *s, const struct smsg_req *r, const struct reply *rep)
{
	json_t *m = smsg_message(rep);
	bool ephemeral = rep->ephemeral && r->channel[0] != '\0';

	/* No channel known (a modal opened from elsewhere): a direct message to the user. */
	json_object_set_new(m, "channel",
	                    json_string(r->channel[0] != '\0' ? r->channel : r->req.user));
	if (ephemeral)
		json_object_set_new(m, "user", json_string(r->req.user));
	api_json(s, ephemeral ? "chat.postEphemeral" : "chat.postMessage", m, r->response_url,
	         r->channel[0] != '\0' ? r->req.user : NULL, 0);
}

static const struct reply_button *modal_for(const struct reply *rep, const char *action)
{
	size_t i;

	for (i = 0; action != NULL && i < rep->nbuttons; i++)
		if (rep->buttons[i].kind == REPLY_MODAL && strcmp(rep->buttons[i].id, action) == 0)
			return &rep->buttons[i];
	return NULL;
}

/* A command or a click, through the engine; the reply through what the payload offers. */
static void respond(struct slack *s, struct smsg_req *r, const struct suser *u, uint64_t at)
{
	const struct reply_button *modal;
	struct reply rep;

	fill_request(s, r, u);
	reply_init(&rep);
	engine_handle(s->engine, &r->req, &rep);
	modal = r->kind == SMSG_ACTION ? modal_for(&rep, r->req.action) : NULL;
	if (modal != NULL && r->trigger_id != NULL) {
		json_t *view =
		    smsg_modal(modal->id, rep.modal_title, buf_str(&rep.text), r->channel);
		api_json(s, "views.open",
		         json_pack("{s:s,s:o}", "trigger_id", r->trigger_id, "view", view),
		         r->response_url, NULL, at + TRIGGER_LIFE_MS);
	} else if (r->response_url != NULL && r->kind != SMSG_SUBMIT) {
		reply_fit(&rep, reply_limits_for("slack"));
		post_response_url(
		    s, r->response_url,
		    response_body(&rep, r->kind == SMSG_ACTION && rep.target == REPLY_REPLACE));
	} else {
		reply_fit(&rep, reply_limits_for("slack"));
		post_reply(s, r, &rep);
	}
	reply_cleanup(&rep);
}

static void run_job(struct slack *s, struct sjob *j, const struct suser *u)
{
	struct smsg_req r;
	const char *why = NULL;

	if (smsg_read(json_object_get(j->root, "payload"), j->type, slack_config_prefix(s->cfg), &r,
	              &why) != BOT_OK)
		return;
	respond(s, &r, u, j->at);
}

/* Keeps the envelope until its user's users.info is back; false when it cannot wait. */
static bool defer(struct slack *s, struct suser *u, json_t *root, enum smsg_type type, uint64_t at)
{
	struct sjob *j;

	(void)s;
	if (u->njobs >= MAX_JOBS)
		return false;
	j = xcalloc(1, sizeof(*j));
	j->root = json_incref(root);
	j->type = type;
	j->at = at;
	STAILQ_INSERT_TAIL(&u->jobs, j, link);
	u->njobs++;
	return true;
}

/* ---- Socket Mode ---- */

static void ack(struct sconn *c, const char *id, json_t *payload)
{
	json_t *j = json_pack("{s:s}", "envelope_id", id);
	char *text;

	if (payload != NULL)
		json_object_set_new(j, "payload", payload);
	text = json_dumps(j, JSON_COMPACT);
	if (text == NULL || ws_send(c->ws, text, strlen(text)) != BOT_OK)
		LOG_W(MOD, "socket %u: could not acknowledge envelope %.64s", c->id, id);
	free(text);
	json_decref(j);
	if (c->s->frame_at != 0) {
		uint64_t us = (uv_hrtime() - c->s->frame_at) / 1000u;
		c->s->lat[us < LAT_SLOTS ? us : LAT_SLOTS - 1]++;
		c->s->nlat++;
		c->s->frame_at = 0;
	}
}

/* The latency under which a share p of the acks were queued, in us. */
static uint64_t lat_pct(const struct slack *s, double p)
{
	uint64_t want = (uint64_t)((double)s->nlat * p), seen = 0;
	size_t i;

	for (i = 0; i < LAT_SLOTS; i++) {
		seen += s->lat[i];
		if (seen > want)
			return i;
	}
	return LAT_SLOTS - 1;
}

/* An envelope's work, from the queue: read, wait for its user if need be, respond. */
static void work(struct slack *s, struct sjob *j)
{
	struct smsg_req r;
	struct suser *u;
	const char *why = NULL;

	if (smsg_read(json_object_get(j->root, "payload"), j->type, slack_config_prefix(s->cfg), &r,
	              &why) != BOT_OK) {
		LOG_W(MOD, "skipped %s", why);
		return;
	}
	if (r.kind == SMSG_IGNORE)
		return;
	u = user_get(s, r.req.team, r.req.user);
	if (u != NULL && !u->ready && defer(s, u, j->root, j->type, j->at))
		return;
	respond(s, &r, u, j->at);
}

static void on_idle(uv_idle_t *h)
{
	struct slack *s = h->data;
	uint64_t until = uv_hrtime() + WORK_SLICE_NS;
	struct sjob *j;

	s->tick++;
	/* Queued two ticks ago or more: the I/O phase in between wrote its ack.
	 * A slice at a time, so frames that came meanwhile are read and acked. */
	while ((j = STAILQ_FIRST(&s->work)) != NULL && j->tick + 2 <= s->tick &&
	       uv_hrtime() < until) {
		STAILQ_REMOVE_HEAD(&s->work, link);
		if (!s->stopped)
			work(s, j);
		json_decref(j->root);
		free(j);
	}
	if (STAILQ_EMPTY(&s->work))
		uv_idle_stop(h);
}

static void enqueue(struct slack *s, json_t *root, enum smsg_type type)
{
	struct sjob *j = xcalloc(1, sizeof(*j));

	j->root = json_incref(root);
	j->type = type;
	j->at = now_ms();
	j->tick = s->tick;
	STAILQ_INSERT_TAIL(&s->work, j, link);
	uv_idle_start(s->idle, on_idle);
}

static void on_idle_closed(uv_handle_t *h)
{
	free(h);
}

/* Drops the queued work (shutdown, or the end). */
static void drop_work(struct slack *s)
{
	struct sjob *j;

	while ((j = STAILQ_FIRST(&s->work)) != NULL) {
		STAILQ_REMOVE_HEAD(&s->work, link);
		json_decref(j->root);
		free(j);
	}
	if (s->idle != NULL)
		uv_idle_stop(s->idle);
}

static void on_envelope(struct sconn *c, json_t *root, const struct smsg_env *e)
{
	const char *key = smsg_dedupe_key(e);

	ack(c, e->envelope_id, NULL); /* first, whatever it is */
	if (key != NULL && seen_before(c->s, key)) {
		LOG_I(MOD,
		      "envelope %.64s repeats one handled before (retry %ld, %s); acknowledged, "
		      "not handled again",
		      e->envelope_id, e->retry_attempt,
		      e->retry_reason != NULL && *e->retry_reason ? e->retry_reason : "no reason");
		return;
	}
	if (e->type == SMSG_SLASH || e->type == SMSG_INTERACTIVE)
		enqueue(c->s, root, e->type);
	/* Events we do not use (events_api and others) end with their ack. */
}

static void conn_close(struct sconn *c, int code, const char *why)
{
	loop_timer_stop(&c->timer);
	if (c->ws != NULL)
		ws_close(c->ws, code, why);
}

/*
 * An old socket is closed once it has been quiet for a moment after its
 * replacement's hello: an envelope Slack had already sent on it still
 * arrives, and is acknowledged, on it.
 */
static void on_retire(void *arg)
{
	struct sconn *c = arg;
	uint64_t now = now_ms();

	if (now - c->last_rx < RETIRE_QUIET_MS && now - c->retire_at < RETIRE_MAX_MS) {
		loop_timer_start(c->s->loop, &c->timer, RETIRE_CHECK_MS, 0, on_retire, c);
		return;
	}
	LOG_D(MOD, "socket %u: closing, its replacement is up", c->id);
	conn_close(c, 1000, "replaced");
}

static void on_hello(struct sconn *c, const struct smsg_env *e)
{
	struct slack *s = c->s;
	struct sconn *o;

	c->hello = true;
	loop_timer_stop(&c->timer);
	s->opening = false;
	s->connected = true;
	s->failures = 0;
	LOG_I(MOD, "socket %u: hello (%ld connection%s; Slack plans to refresh it in about %ld s)",
	      c->id, e->num_connections, e->num_connections == 1 ? "" : "s", e->approx_conn_time);
	/* Every older socket goes, a moment after this one can take envelopes. */
	LIST_FOREACH(o, &s->conns, link)
	{
		if (o != c && o->ws != NULL && !loop_timer_active(&o->timer)) {
			o->retire_at = now_ms();
			loop_timer_start(s->loop, &o->timer, RETIRE_CHECK_MS, 0, on_retire, o);
		}
	}
}

static void on_disconnect(struct sconn *c, const struct smsg_env *e)
{
	struct slack *s = c->s;

	LOG_I(MOD, "socket %u: Slack says disconnect (%s)", c->id, e->reason);
	if (strcmp(e->reason, "link_disabled") == 0) {
		fatal(s,
		      "Slack disabled Socket Mode for this app (link_disabled): turn Socket Mode "
		      "on at api.slack.com/apps > your app > Socket Mode, then restart drillbot");
		return;
	}
	c->retiring = true;
	/* warning, refresh_requested: the new socket first, this one keeps working meanwhile. */
	if (!s->opening && strcmp(e->reason, "too_many_websockets") != 0)
		open_socket(s);
}

static void on_text(void *arg, const char *text, size_t n)
{
	struct sconn *c = arg;
	struct smsg_env e;
	json_t *root = NULL;
	const char *why = NULL;

	if (c->s->stopped)
		return;
	c->s->frame_at = uv_hrtime();
	c->last_rx = c->s->frame_at / 1000000u;
	if (smsg_parse(text, n, &root, &e, &why) != BOT_OK) {
		LOG_W(MOD, "socket %u: skipped %s (%zu bytes)", c->id, why, n);
		return;
	}
	if (e.type == SMSG_HELLO)
		on_hello(c, &e);
	else if (e.type == SMSG_DISCONNECT)
		on_disconnect(c, &e);
	else
		on_envelope(c, root, &e);
	c->s->frame_at = 0;
	json_decref(root);
}

static void on_hello_late(void *arg)
{
	struct sconn *c = arg;

	LOG_W(MOD, "socket %u: no hello within %d s; replacing it", c->id, HELLO_WAIT_MS / 1000);
	if (c->ws != NULL)
		ws_drop(c->ws);
}

static void on_open(void *arg)
{
	struct sconn *c = arg;

	LOG_D(MOD, "socket %u: open, waiting for hello", c->id);
	loop_timer_start(c->s->loop, &c->timer, HELLO_WAIT_MS, 0, on_hello_late, c);
}

static void on_retry(void *arg)
{
	open_socket(arg);
}

static void reconnect_later(struct slack *s)
{
	uint64_t ms = smsg_backoff_ms(s->failures++, rnd(s));

	if (s->stopped || loop_stopping(s->loop) || loop_timer_active(&s->retry))
		return;
	metrics_add(s->metrics, METRIC_RECONNECTS, "platform=\"slack\"", 1);
	LOG_I(MOD, "reconnecting in %llu ms", (unsigned long long)ms);
	loop_timer_start(s->loop, &s->retry, ms, 0, on_retry, s);
}

/* Whether a socket other than c has its hello and is not on its way out. */
static bool another_live(const struct slack *s, const struct sconn *c)
{
	const struct sconn *o;

	LIST_FOREACH(o, &s->conns, link)
	{
		if (o != c && o->hello && !o->retiring && !loop_timer_active(&o->timer))
			return true;
	}
	return false;
}

static void on_close(void *arg, int code, const char *reason, bool opened)
{
	struct sconn *c = arg;
	struct slack *s = c->s;
	bool was_opening = !c->hello;

	loop_timer_stop(&c->timer);
	LIST_REMOVE(c, link);
	c->ws = NULL;
	if (c->in_connect) { /* the connect failed at once: on_connections_open goes on */
		c->closed = true;
		return;
	}
	LOG_I(MOD, "socket %u closed (%d%s%s)%s", c->id, code, *reason ? ": " : "", reason,
	      opened ? "" : " before it opened");
	if (was_opening)
		s->opening = false;
	if (!s->stopped && !loop_stopping(s->loop) && !another_live(s, c) && !s->opening) {
		s->connected = false;
		reconnect_later(s);
	}
	free(c);
}

static const struct ws_cbs ws_cbs = {on_open, on_text, on_close};

static void on_connections_open(struct slack *s, json_t *j, const char *error, const char *tag)
{
	const char *url = json_string_value(json_object_get(j, "url"));
	struct ws_opts o;
	struct sconn *c;
	int rc;

	(void)tag;
	if (s->stopped)
		return;
	if (url == NULL) {
		if (error == NULL || !smsg_auth_error(error)) {
			s->opening = false;
			LOG_W(MOD, "apps.connections.open gave no URL (%s)",
			      error != NULL ? error : "no url");
			if (!another_live(s, NULL))
				reconnect_later(s);
		}
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->s = s;
	c->id = ++s->next_id;
	memset(&o, 0, sizeof(o));
	o.url = url;
	o.max_message = SMSG_MAX_FRAME;
	o.user_agent = USER_AGENT;
	o.ping_idle_s = PING_IDLE_S;
	o.hangup_idle_s = HANGUP_IDLE_S;
	LIST_INSERT_HEAD(&s->conns, c, link);
	c->in_connect = true;
	rc = ws_connect(s->ws, &o, &ws_cbs, c, &c->ws);
	c->in_connect = false;
	if (rc != BOT_OK || c->closed) {
		LOG_W(MOD, "cannot connect the socket: %s",
		      rc != BOT_OK ? bot_strerror(rc) : "it failed at once");
		if (!c->closed)
			LIST_REMOVE(c, link);
		free(c);
		s->opening = false;
		if (!another_live(s, NULL))
			reconnect_later(s);
		return;
	}
	LOG_D(MOD, "socket %u: connecting", c->id);
}

static void open_socket(struct slack *s)
{
	if (s->stopped || loop_stopping(s->loop))
		return;
	s->opening = true;
	api_form(s, "apps.connections.open", AUTH_APP, "", on_connections_open, NULL, 0);
}

static void on_retry_auth(void *arg);

static void on_auth_test(struct slack *s, json_t *j, const char *error, const char *tag)
{
	(void)tag;
	if (s->stopped)
		return;
	if (j == NULL) {
		uint64_t ms = smsg_backoff_ms(++s->auth_failures, rnd(s));
		LOG_W(MOD, "auth.test failed (%s); trying again in %llu ms", error,
		      (unsigned long long)ms);
		loop_timer_start(s->loop, &s->retry, ms, 0, on_retry_auth, s);
		return;
	}
	snprintf(s->bot_user, sizeof(s->bot_user), "%s",
	         json_string_value(json_object_get(j, "user_id")) != NULL
	             ? json_string_value(json_object_get(j, "user_id"))
	             : "");
	snprintf(s->team, sizeof(s->team), "%s",
	         json_string_value(json_object_get(j, "team_id")) != NULL
	             ? json_string_value(json_object_get(j, "team_id"))
	             : "");
	LOG_I(MOD, "signed in as bot user %s in workspace %s", s->bot_user, s->team);
	open_socket(s);
}

static void auth_test(struct slack *s)
{
	api_form(s, "auth.test", AUTH_BOT, "", on_auth_test, NULL, 0);
}

static void on_retry_auth(void *arg)
{
	auth_test(arg);
}

static void on_shutdown(void *arg)
{
	struct slack *s = arg;

	s->hooked = false;
	s->stopped = true; /* no reconnects; libwebsockets closes the sockets */
	loop_timer_stop(&s->retry);
	drop_work(s);
	if (s->nlat > 0)
		LOG_I(MOD,
		      "%llu envelopes acknowledged; ack latency (frame received to ack queued) p50 "
		      "%llu us, p99 %llu us%s",
		      (unsigned long long)s->nlat, (unsigned long long)lat_pct(s, 0.5),
		      (unsigned long long)lat_pct(s, 0.99),
		      s->lat[LAT_SLOTS - 1] > 0 ? " (some over 4 ms)" : "");
}

void slack_start(struct slack *s)
{
	if (loop_on_shutdown(s->loop, on_shutdown, s) == BOT_OK)
		s->hooked = true;
	LOG_I(MOD, "connecting to Slack (%s)", s->api_base);
	/* Slack retries an envelope for minutes at most: a day of them is plenty. */
	store_handled_prune(s->store, (int64_t)time(NULL) - 86400);
	auth_test(s);
}

struct slack *slack_new(const struct slack_deps *deps)
{
	struct slack *s = xcalloc(1, sizeof(*s));

	s->loop = deps->loop;
	s->rest = deps->rest;
	s->ws = deps->ws;
	s->engine = deps->engine;
	s->content = deps->content;
	s->store = deps->store;
	s->cfg = deps->cfg;
	s->metrics = deps->metrics;
	s->on_stop = deps->on_stop;
	s->stop_arg = deps->stop_arg;
	s->now = deps->now;
	s->now_arg = deps->now_arg;
	s->rng = uv_hrtime() ^ (uint64_t)(uintptr_t)s;
	s->users = xcalloc(USERS_MAX, sizeof(*s->users));
	s->lat = xcalloc(LAT_SLOTS, sizeof(*s->lat));
	STAILQ_INIT(&s->work);
	s->idle = xcalloc(1, sizeof(*s->idle));
	uv_idle_init(loop_uv(s->loop), s->idle);
	s->idle->data = s;
	s->seen[0] = xcalloc(SEEN_SLOTS, sizeof(uint64_t));
	s->seen[1] = xcalloc(SEEN_SLOTS, sizeof(uint64_t));
	slimit_init(&s->rl);
	LIST_INIT(&s->calls);
	LIST_INIT(&s->conns);
	snprintf(s->api_base, sizeof(s->api_base), "%s", s->cfg->api_base);
	snprintf(s->bot_auth, sizeof(s->bot_auth), "Authorization: Bearer %s", s->cfg->bot_token);
	snprintf(s->app_auth, sizeof(s->app_auth), "Authorization: Bearer %s", s->cfg->app_token);
	return s;
}

void slack_free(struct slack *s)
{
	struct scall *c;
	struct sconn *k;
	size_t i;

	if (s == NULL)
		return;
	drop_work(s);
	flush_handled(s);
	uv_close((uv_handle_t *)s->idle, on_idle_closed);
	if (s->hooked)
		loop_remove_shutdown(s->loop, on_shutdown, s);
	loop_timer_stop(&s->retry);
	while ((c = LIST_FIRST(&s->calls)) != NULL)
		call_free(c);
	while ((k = LIST_FIRST(&s->conns)) != NULL) { /* only when the ws lib never ran them down */
		loop_timer_stop(&k->timer);
		LIST_REMOVE(k, link);
		free(k);
	}
	for (i = 0; i < s->nusers; i++) {
		struct sjob *j;
		while ((j = STAILQ_FIRST(&s->users[i].jobs)) != NULL) {
			STAILQ_REMOVE_HEAD(&s->users[i].jobs, link);
			json_decref(j->root);
			free(j);
		}
	}
	free(s->users);
	free(s->lat);
	free(s->seen[0]);
	free(s->seen[1]);
	explicit_bzero(s->bot_auth, sizeof(s->bot_auth));
	explicit_bzero(s->app_auth, sizeof(s->app_auth));
	free(s);
}

void slack_health(const struct slack *s, struct buf *json, bool *healthy)
{
	const char *st = s->stopped ? "stopped" : s->connected ? "connected" : "connecting";

	buf_addf(json, "{\"name\":\"slack\",\"state\":\"%s\"}", st);
	if (!s->connected)
		*healthy = false;
}

int slack_status(const struct slack *s)
{
	return s->status;
}

char *slack_manifest(const char *prefix)
{
	json_t *m = smsg_manifest(prefix, "drillbot");
	char *text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	struct buf b;

	json_decref(m);
	buf_init(&b, 1 << 20);
	buf_adds(&b, text != NULL ? text : "{}");
	buf_adds(&b, "\n");
	free(text);
	return buf_steal(&b);
}
