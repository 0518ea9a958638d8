/*
 * ws.c - libwebsockets client connections on the libuv loop. Each struct ws
 * is the wsi's user data; it is freed when libwebsockets destroys the wsi,
 * after on_close has run.
 */
#include "net/ws.h"

#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#define MOD          "ws"
#define FD_LIMIT     1024 /* libwebsockets sizes its tables by this, not by ulimit -n */
#define REASON_MAX   124  /* a close frame's payload is at most 125 bytes with the code */
#define URL_PART_MAX 2048

struct ws_msg {
	STAILQ_ENTRY(ws_msg) link;
	size_t len;
	unsigned char data[]; /* LWS_PRE bytes of room, then the message */
};

struct ws {
	struct ws_lib *lib;
	struct lws *wsi;
	struct ws_cbs cb;
	void *arg;
	LIST_ENTRY(ws) link;
	STAILQ_HEAD(, ws_msg) out;
	size_t nout;
	struct buf in;  /* the message being reassembled */
	bool skipping;  /* the current message passed the cap: drop its frames */
	size_t skipped; /* its size so far */
	bool opened;    /* the handshake succeeded */
	bool closing;   /* ws_close(): the close frame goes after the queue */
	bool finished;  /* on_close has run */
	int close_code; /* what ws_close() sends */
	int peer_code;  /* the peer's close code, or 0 */
	char close_reason[REASON_MAX + 1];
	char peer_reason[REASON_MAX + 1];
	lws_retry_bo_t idle;     /* the keep-alive policy; lives as long as the wsi */
	char path[URL_PART_MAX]; /* "/" + path and query, for the handshake */
	char host[256];
};

struct ws_lib {
	struct lws_context *ctx;
	struct loop *loop;
	LIST_HEAD(, ws) conns;
	bool hooked;      /* the shutdown hook is registered */
	bool shutting;    /* closing every connection, then the context */
	bool destroying;  /* the destroy timer is started */
	uv_timer_t timer; /* at shutdown: the grace period, then the destroy */
};

#define SHUTDOWN_GRACE_MS 2000 /* for close handshakes at shutdown */

static void destroy_soon(struct ws_lib *lib);

static void emit(int level, const char *line)
{
	size_t n = strlen(line);

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (level & LLL_ERR)
		LOG_E(MOD, "libwebsockets: %.*s", (int)n, line);
	else
		LOG_W(MOD, "libwebsockets: %.*s", (int)n, line);
}

void ws_log_to_ours(void)
{
	lws_set_log_level(LLL_ERR | LLL_WARN, emit);
}

/* Runs on_close once, with the most telling code. */
static void finish(struct ws *w, int code, const char *reason)
{
	if (w->finished)
		return;
	w->finished = true;
	LIST_REMOVE(w, link);
	w->cb.on_close(w->arg, code, reason != NULL ? reason : "", w->opened);
	if (w->lib->shutting && LIST_EMPTY(&w->lib->conns))
		destroy_soon(w->lib);
}

static void ws_free(struct ws *w)
{
	struct ws_msg *m;

	while ((m = STAILQ_FIRST(&w->out)) != NULL) {
		STAILQ_REMOVE_HEAD(&w->out, link);
		free(m);
	}
	buf_cleanup(&w->in);
	free(w);
}

/* A piece of a message; the whole one goes to on_text, one over the cap is skipped. */
static void receive(struct ws *w, const void *in, size_t len)
{
	bool last = lws_is_final_fragment(w->wsi) && lws_remaining_packet_payload(w->wsi) == 0;

	if (lws_frame_is_binary(w->wsi) && lws_is_first_fragment(w->wsi))
		w->skipping = true; /* neither gateway sends binary without compression asked for */
	if (!w->skipping && buf_add(&w->in, in, len) != BOT_OK) {
		w->skipping = true;
		w->skipped = w->in.len;
		buf_reset(&w->in);
	}
	if (w->skipping)
		w->skipped += len;
	if (!last)
		return;
	if (w->skipping)
		LOG_W(MOD, "skipped a message of %zu bytes (binary, or over the %zu-byte cap)",
		      w->skipped, w->in.cap);
	else
		w->cb.on_text(w->arg, buf_str(&w->in), w->in.len);
	w->skipping = false;
	w->skipped = 0;
	buf_reset(&w->in);
}

/* Writes the next queued message, or the close frame once the queue is empty. */
static int writeable(struct ws *w)
{
	struct ws_msg *m = STAILQ_FIRST(&w->out);

	if (m == NULL) {
		if (!w->closing)
			return 0;
		lws_close_reason(w->wsi, (enum lws_close_status)w->close_code,
		                 (unsigned char *)w->close_reason, strlen(w->close_reason));
		return -1;
	}
	STAILQ_REMOVE_HEAD(&w->out, link);
	w->nout--;
	if (lws_write(w->wsi, m->data + LWS_PRE, m->len, LWS_WRITE_TEXT) < (int)m->len) {
		free(m);
		return -1;
	}
	free(m);
	if (!STAILQ_EMPTY(&w->out) || w->closing)
		lws_callback_on_writable(w->wsi);
	return 0;
}

static void peer_close(struct ws *w, const unsigned char *in, size_t len)
{
	if (len >= 2) {
		w->peer_code = (in[0] << 8) | in[1];
		snprintf(w->peer_reason, sizeof(w->peer_reason), "%.*s",
		         (int)(len - 2 > REASON_MAX ? REASON_MAX : len - 2), (const char *)in + 2);
	} else {
		w->peer_code = WS_CLOSE_NO_STATUS;
	}
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
	struct ws *w = user;

	if (w == NULL)
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		w->wsi = wsi;
		w->opened = true;
		if (!STAILQ_EMPTY(&w->out) || w->closing)
			lws_callback_on_writable(wsi);
		w->cb.on_open(w->arg);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		receive(w, in, len);
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return writeable(w);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		peer_close(w, in, len);
		return 0;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		finish(w, WS_CLOSE_ABNORMAL, in != NULL ? (const char *)in : "cannot connect");
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (w->peer_code != 0)
			finish(w, w->peer_code, w->peer_reason);
		else if (w->closing)
			finish(w, w->close_code, w->close_reason);
		else
			finish(w, WS_CLOSE_ABNORMAL, "the connection dropped");
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		finish(w, WS_CLOSE_ABNORMAL, "the connection was destroyed");
		ws_free(w);
		return 0;
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
    {"drillbot-ws", callback, 0, 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void on_timer_closed(uv_handle_t *h)
{
	(void)h; /* the timer lives in the lib, which ws_lib_free() frees */
}

/* The context goes from a fresh loop iteration: never inside its own callback. */
static void on_destroy(uv_timer_t *t)
{
	struct ws_lib *lib = t->data;
	struct ws *w;

	while ((w = LIST_FIRST(&lib->conns)) != NULL)
		finish(w, WS_CLOSE_ABNORMAL, "shutting down");
	/* The first call starts the takedown on the foreign loop; ws_lib_free()
	 * finishes it once the loop has closed libwebsockets' handles. */
	lws_context_destroy(lib->ctx);
	uv_close((uv_handle_t *)&lib->timer, on_timer_closed);
}

static void destroy_soon(struct ws_lib *lib)
{
	if (lib->destroying)
		return;
	lib->destroying = true;
	uv_timer_stop(&lib->timer);
	uv_timer_start(&lib->timer, on_destroy, 0, 0);
}

/* At shutdown every connection is closed properly (1001, going away), given a
 * moment for the close handshake, and then the context goes. */
static void on_shutdown(void *arg)
{
	struct ws_lib *lib = arg;
	struct ws *w;

	lib->hooked = false;
	lib->shutting = true;
	uv_timer_init(loop_uv(lib->loop), &lib->timer);
	lib->timer.data = lib;
	if (LIST_EMPTY(&lib->conns)) {
		destroy_soon(lib);
		return;
	}
	LIST_FOREACH(w, &lib->conns, link)
	ws_close(w, 1001, "going away");
	/* The grace timer destroys the context, unless destroy_soon() brings it forward. */
	uv_timer_start(&lib->timer, on_destroy, SHUTDOWN_GRACE_MS, 0);
}

int ws_lib_new(struct ws_lib **out, struct loop *l)
{
	struct lws_context_creation_info info;
	struct ws_lib *lib = xcalloc(1, sizeof(*lib));
	void *foreign[1];

	*out = NULL;
	ws_log_to_ours();
	memset(&info, 0, sizeof(info));
	foreign[0] = loop_uv(l);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.foreign_loops = foreign;
	info.fd_limit_per_thread = FD_LIMIT;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	lib->loop = l;
	LIST_INIT(&lib->conns);
	lib->ctx = lws_create_context(&info);
	if (lib->ctx == NULL) {
		LOG_E(MOD, "libwebsockets would not start on the libuv loop; is its libuv plugin "
		           "(Debian: libwebsockets-evlib-uv) installed?");
		free(lib);
		return BOT_EIO;
	}
	if (loop_on_shutdown(l, on_shutdown, lib) == BOT_OK)
		lib->hooked = true;
	*out = lib;
	return BOT_OK;
}

void ws_lib_free(struct ws_lib *lib)
{
	struct ws *w;

	if (lib == NULL)
		return;
	if (lib->shutting) {
		lws_context_destroy(lib->ctx); /* after the loop ran: the last phase */
		free(lib);
		return;
	}
	if (lib->hooked)
		loop_remove_shutdown(lib->loop, on_shutdown, lib);
	/* Destroying the context closes every wsi; each still open is told first. */
	while ((w = LIST_FIRST(&lib->conns)) != NULL)
		finish(w, WS_CLOSE_ABNORMAL, "shutting down");
	lws_context_destroy(lib->ctx);
	free(lib);
}

/* Splits url into w->host, port, w->path; true for ws:// and wss://. */
static bool parse_url(struct ws *w, const char *url, int *port, bool *tls)
{
	const char *rest, *slash, *colon;
	size_t hostlen;

	if (util_has_prefix_ci(url, "wss://")) {
		*tls = true;
		*port = 443;
		rest = url + 6;
	} else if (util_has_prefix_ci(url, "ws://")) {
		*tls = false;
		*port = 80;
		rest = url + 5;
	} else {
		return false;
	}
	slash = rest + strcspn(rest, "/?");
	colon = memchr(rest, ':', (size_t)(slash - rest));
	hostlen = (size_t)((colon != NULL ? colon : slash) - rest);
	if (hostlen == 0 || hostlen >= sizeof(w->host))
		return false;
	memcpy(w->host, rest, hostlen);
	w->host[hostlen] = '\0';
	if (colon != NULL) {
		long p;
		char digits[8];
		snprintf(digits, sizeof(digits), "%.*s", (int)(slash - colon - 1), colon + 1);
		if (util_parse_long(digits, 1, 65535, &p) != BOT_OK)
			return false;
		*port = (int)p;
	}
	snprintf(w->path, sizeof(w->path), "%s%s", *slash == '/' ? "" : "/", slash);
	return strlen(slash) + 1 < sizeof(w->path);
}

int ws_connect(struct ws_lib *lib, const struct ws_opts *o, const struct ws_cbs *cb, void *arg,
               struct ws **out)
{
	struct lws_client_connect_info ci;
	struct ws *w = xcalloc(1, sizeof(*w));
	bool tls = false;
	int port = 0;

	*out = NULL;
	if (!parse_url(w, o->url, &port, &tls)) {
		free(w);
		return BOT_EINVAL;
	}
	w->lib = lib;
	w->cb = *cb;
	w->arg = arg;
	STAILQ_INIT(&w->out);
	buf_init(&w->in, o->max_message > 0 ? o->max_message : WS_DEFAULT_MAX_MESSAGE);
	memset(&ci, 0, sizeof(ci));
	ci.context = lib->ctx;
	ci.address = w->host;
	ci.port = port;
	ci.ssl_connection = tls ? LCCSCF_USE_SSL : 0;
	ci.path = w->path;
	ci.host = w->host;
	ci.origin = w->host;
	ci.protocol = NULL; /* no subprotocol: neither Discord nor Slack names one */
	ci.local_protocol_name = protocols[0].name;
	ci.userdata = w;
	ci.pwsi = &w->wsi;
	if (o->ping_idle_s > 0 && o->hangup_idle_s > o->ping_idle_s) {
		w->idle.secs_since_valid_ping = (uint16_t)o->ping_idle_s;
		w->idle.secs_since_valid_hangup = (uint16_t)o->hangup_idle_s;
		ci.retry_and_idle_policy = &w->idle;
	}
	LIST_INSERT_HEAD(&lib->conns, w, link);
	if (lws_client_connect_via_info(&ci) == NULL) {
		/* The error callback may already have run (and freed nothing: no wsi). */
		if (!w->finished)
			LIST_REMOVE(w, link);
		ws_free(w);
		return BOT_ENET;
	}
	*out = w;
	return BOT_OK;
}

int ws_send(struct ws *w, const char *s, size_t n)
{
	struct ws_msg *m;

	if (w->closing || w->finished)
		return BOT_EINVAL;
	m = xmalloc(sizeof(*m) + LWS_PRE + n);
	m->len = n;
	memcpy(m->data + LWS_PRE, s, n);
	STAILQ_INSERT_TAIL(&w->out, m, link);
	w->nout++;
	if (w->opened && w->wsi != NULL)
		lws_callback_on_writable(w->wsi);
	return BOT_OK;
}

void ws_close(struct ws *w, int code, const char *reason)
{
	if (w->closing || w->finished)
		return;
	w->closing = true;
	w->close_code = code;
	snprintf(w->close_reason, sizeof(w->close_reason), "%s", reason != NULL ? reason : "");
	if (w->opened && w->wsi != NULL)
		lws_callback_on_writable(w->wsi);
	else if (w->wsi != NULL)
		lws_set_timeout(w->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
}

void ws_drop(struct ws *w)
{
	if (w->finished || w->wsi == NULL)
		return;
	w->closing = false;
	lws_set_timeout(w->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
}
