/*
 * web.c - HTTP: routing, methods, conditional requests, caching headers,
 * limits. The public pages never change while the process runs (the bank
 * is loaded once), so each is rendered on first request and served from
 * memory after, with a strong ETag; private pages, search, /healthz and
 * /metrics are rendered per request and never cached.
 */
#include "web/web.h"

#include <errno.h>
#include <libwebsockets.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"
#include "engine/export.h"
#include "net/ws.h"
#include "web/page.h"
#include "web/progress.h"

#define MOD          "web"
#define PAGE_MAX     (1024u * 1024u)
#define QUERY_MAX    640
#define FD_LIMIT     1024
#define HEADER_MAX   8192  /* a request's headers; more gets 431 from libwebsockets */
#define IDLE_SECONDS 10    /* a connection that sends nothing for this long is closed */
#define KEEPALIVE    5     /* seconds an idle keep-alive connection is kept */
#define ETAG_LEN     20    /* "\"" + 16 hex + "\"" + NUL, rounded */
#define BODY_MAX     65536 /* a request body read (and dropped) before its 405 */

/* A rendered response body, kept with LWS_PRE bytes of headroom before it. */
struct web_body {
	char *mem; /* LWS_PRE + len bytes */
	size_t len;
	char etag[ETAG_LEN];
};

struct web_cache {
	struct web_body index, style, icon;
	struct web_body *topics;    /* one per topic */
	struct web_body *questions; /* one per question */
};

struct web {
	struct web_deps deps;
	struct lws_context *ctx;
	struct lws_vhost *vhost;
	struct web_cache cache;
	struct search *search; /* the bank, lower-cased for /search */
	int port;
	bool hooked;
	uv_timer_t timer;
	time_t started;
};

enum web_kind { WEB_PUBLIC, WEB_PRIVATE, WEB_LIVE };

/* One request's response, written when the socket can take it. */
struct web_pss {
	struct web_body own; /* a body rendered for this request */
	const struct web_body *body;
	const char *type;
	enum web_kind kind;
	int status;
	bool attachment;  /* a file to save (the data export), not a page to show */
	size_t body_read; /* of a request body, which is read only to be dropped */
	bool head;
	bool ready;
};

/* ---- bodies ---- */

/* FNV-1a over the bytes: a strong validator for a body that never changes in place. */
static void etag_of(const char *p, size_t n, char out[ETAG_LEN])
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
	snprintf(out, ETAG_LEN, "\"%016llx\"", (unsigned long long)h);
}

static void body_set(struct web_body *b, const struct buf *from)
{
	free(b->mem);
	b->len = from->len;
	b->mem = xmalloc(LWS_PRE + b->len + 1);
	memcpy(b->mem + LWS_PRE, from->data != NULL ? from->data : "", b->len);
	b->mem[LWS_PRE + b->len] = '\0';
	etag_of(b->mem + LWS_PRE, b->len, b->etag);
}

static void body_free(struct web_body *b)
{
	free(b->mem);
	memset(b, 0, sizeof(*b));
}

/* ---- routing ---- */

static int render_public(struct web *w, const char *path, struct web_body *into)
{
	struct buf b;
	struct html h;
	int status;

	buf_init(&b, PAGE_MAX);
	h.b = &b;
	h.files = false;
	h.root = "/";
	status = page_render(w->deps.content, w->search, &h, path, NULL);
	body_set(into, &b);
	buf_cleanup(&b);
	return status;
}

/* The cached body for a public page path, rendering it the first time; NULL for none. */
static const struct web_body *cached(struct web *w, const char *path)
{
	const struct content *c = w->deps.content;
	struct web_body *slot = NULL;
	size_t i;

	if (strcmp(path, "/") == 0)
		slot = &w->cache.index;
	for (i = 0; slot == NULL && strncmp(path, "/t/", 3) == 0 && i < c->ntopics; i++)
		if (strcmp(path + 3, c->topics[i].slug) == 0)
			slot = &w->cache.topics[i];
	if (slot == NULL && strncmp(path, "/q/", 3) == 0) {
		const struct content_question *q = content_find(c, path + 3);
		if (q != NULL)
			slot = &w->cache.questions[q - c->questions];
	}
	if (slot != NULL && slot->mem == NULL && render_public(w, path, slot) != 200)
		body_free(slot); /* cannot happen for a page found above; never cache an error */
	return slot != NULL && slot->mem != NULL ? slot : NULL;
}

static bool store_healthy(const struct web *w)
{
	return w->deps.store == NULL || store_last_error(w->deps.store) == BOT_OK;
}

static const char *store_state(const struct web *w)
{
	switch (w->deps.store != NULL ? store_last_error(w->deps.store) : BOT_OK) {
	case BOT_OK:
		return "ok";
	case BOT_ECORRUPT:
		return "damaged";
	case BOT_EPERM:
		return "read-only";
	case BOT_EIO:
		return "disk-full";
	default:
		return "failing";
	}
}

static int healthz(struct web *w, struct buf *b)
{
	bool healthy = store_healthy(w);
	struct buf conns;

	buf_init(&conns, PAGE_MAX);
	if (w->deps.health != NULL)
		w->deps.health(w->deps.health_arg, &conns, &healthy);
	buf_addf(b, "{\"status\":\"%s\",\"store\":\"%s\",\"questions\":%zu,\"connections\":[%s]}\n",
	         healthy ? "ok" : "unhealthy", store_state(w), w->deps.content->nquestions,
	         buf_str(&conns));
	buf_cleanup(&conns);
	return healthy ? 200 : 503;
}

static void metrics_page(struct web *w, struct buf *b)
{
	buf_addf(
	    b,
	    "# HELP drillbot_up 1 while the bot runs.\n# TYPE drillbot_up gauge\ndrillbot_up 1\n"
	    "# HELP drillbot_uptime_seconds Seconds since the web server started.\n"
	    "# TYPE drillbot_uptime_seconds gauge\ndrillbot_uptime_seconds %lld\n"
	    "# HELP drillbot_questions Questions in the bank.\n"
	    "# TYPE drillbot_questions gauge\ndrillbot_questions %zu\n"
	    "# HELP drillbot_store_ok 1 while the database takes writes.\n"
	    "# TYPE drillbot_store_ok gauge\ndrillbot_store_ok %d\n",
	    (long long)(time(NULL) - w->started), w->deps.content->nquestions,
	    store_healthy(w) ? 1 : 0);
	metrics_write(w->deps.metrics, b);
}

/* The data export behind /export/<token>: a JSON file, or the 404 page of any bad token. */
static void render_export(struct web *w, struct web_pss *p, const char *token, struct html *h)
{
	struct progress_deps d = {w->deps.content, w->deps.store, w->deps.default_tz,
	                          (int64_t)time(NULL)};
	struct buf json;

	p->kind = WEB_PRIVATE;
	buf_init(&json, EXPORT_MAX);
	p->status = w->deps.store != NULL ? progress_export(&d, token, &json) : 404;
	if (p->status == 200) {
		p->type = "application/json; charset=utf-8";
		p->attachment = true;
		body_set(&p->own, &json);
	} else if (p->status == 404) {
		page_error(h, 404, "/export/…");
	} else if (p->status == 500) {
		buf_addf(h->b,
		         "This export passes %u MB, the most one file holds; the bot's admin can "
		         "copy the data out of the database.\n",
		         EXPORT_MAX / (1024u * 1024u));
	} else {
		buf_adds(h->b, "The database cannot be read just now; the bot's log says why.\n");
	}
	buf_cleanup(&json);
}

/* Renders what is not cached into p->own. */
static void render_live(struct web *w, struct web_pss *p, const char *path, const char *query)
{
	struct buf b;
	struct html h = {&b, false, "/"};

	buf_init(&b, PAGE_MAX);
	p->type = "text/html; charset=utf-8";
	p->kind = WEB_LIVE;
	if (strcmp(path, "/healthz") == 0) {
		p->type = "application/json";
		p->status = healthz(w, &b);
	} else if (strcmp(path, "/metrics") == 0) {
		p->type = "text/plain; version=0.0.4; charset=utf-8";
		metrics_page(w, &b);
		p->status = 200;
	} else if (strncmp(path, "/me/", 4) == 0 || strncmp(path, "/team/", 6) == 0) {
		struct progress_deps d = {w->deps.content, w->deps.store, w->deps.default_tz,
		                          (int64_t)time(NULL)};
		p->kind = WEB_PRIVATE;
		p->status = w->deps.store != NULL ? progress_render(&d, &h, path) : 404;
		if (p->status == 404)
			page_error(&h, 404, strncmp(path, "/me/", 4) == 0 ? "/me/…" : "/team/…");
		else if (p->status == 503)
			buf_adds(&b,
			         "The database cannot be read just now; the bot's log says why.\n");
	} else if (strncmp(path, "/export/", 8) == 0) {
		render_export(w, p, path + 8, &h);
	} else {
		p->status = page_render(w->deps.content, w->search, &h, path, query);
	}
	if (!p->attachment)
		body_set(&p->own, &b);
	p->body = &p->own;
	buf_cleanup(&b);
}

/* ---- HTTP ---- */

/* Whether the If-None-Match list names etag (weak comparison, RFC 9110 §13.1.2). */
static bool none_match(struct lws *wsi, const char *etag)
{
	char v[512];
	const char *p;
	size_t n = strlen(etag);

	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_IF_NONE_MATCH) <= 0 ||
	    lws_hdr_copy(wsi, v, sizeof(v), WSI_TOKEN_HTTP_IF_NONE_MATCH) < 0)
		return false;
	for (p = v; *p != '\0';) {
		p += strspn(p, " \t,");
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

static int add_header(struct lws *wsi, const char *name, const char *value, unsigned char **pos,
                      unsigned char *end)
{
	return lws_add_http_header_by_name(wsi, (const unsigned char *)name,
	                                   (const unsigned char *)value, (int)strlen(value), pos,
	                                   end);
}

static const char *cache_control(const struct web_pss *p)
{
	if (p->kind == WEB_PRIVATE || p->kind == WEB_LIVE)
		return "no-store";
	return "public, max-age=300";
}

/* Scripts, frames and every load from elsewhere forbidden; only our stylesheet. */
static const char CSP[] = "default-src 'none'; style-src 'self'; img-src 'self'; "
                          "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

static int send_headers(struct lws *wsi, struct web *w, struct web_pss *p, bool not_modified)
{
	unsigned char hdr[LWS_PRE + 2048], *start = hdr + LWS_PRE, *pos = start,
	                                   *end = hdr + sizeof(hdr) - 1;
	int status = not_modified ? 304 : p->status;
	char code[40];

	snprintf(code, sizeof(code), "code=\"%d\"", status);
	metrics_add(w->deps.metrics, METRIC_HTTP, code, 1);
	/* A 304 has no body and no Content-Length (RFC 9110 §15.4.5); the common
	 * helper would add "connection: close" without one, losing keep-alive. */
	if (not_modified ? lws_add_http_header_status(wsi, 304, &pos, end)
	                 : lws_add_http_common_headers(wsi, (unsigned int)status, p->type,
	                                               p->body->len, &pos, end))
		return 1;
	if (add_header(wsi, "cache-control:", cache_control(p), &pos, end) ||
	    add_header(wsi, "content-security-policy:", CSP, &pos, end) ||
	    add_header(wsi, "x-content-type-options:", "nosniff", &pos, end) ||
	    add_header(wsi, "referrer-policy:", "no-referrer", &pos, end))
		return 1;
	if (p->kind == WEB_PUBLIC && add_header(wsi, "etag:", p->body->etag, &pos, end))
		return 1;
	if (p->kind == WEB_PRIVATE && add_header(wsi, "x-robots-tag:", "noindex", &pos, end))
		return 1;
	if (p->attachment && add_header(wsi, "content-disposition:",
	                                "attachment; filename=\"drillbot-export.json\"", &pos, end))
		return 1;
	if (p->status == 405 && add_header(wsi, "allow:", "GET, HEAD", &pos, end))
		return 1;
	if (lws_finalize_write_http_header(wsi, start, &pos, end))
		return 1;
	if (not_modified || p->head)
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	p->ready = true;
	lws_callback_on_writable(wsi);
	return 0;
}

static bool method_is(struct lws *wsi, enum lws_token_indexes t)
{
	return lws_hdr_total_length(wsi, t) > 0;
}

static int on_http(struct lws *wsi, struct web *w, struct web_pss *p, const char *path)
{
	char query[QUERY_MAX] = "";
	struct buf b;

	body_free(&p->own); /* a keep-alive connection's previous response */
	memset(p, 0, sizeof(*p));
	p->head = method_is(wsi, WSI_TOKEN_HEAD_URI);
	if (!p->head && !method_is(wsi, WSI_TOKEN_GET_URI)) {
		struct html h = {&b, false, "/"};
		buf_init(&b, PAGE_MAX);
		page_error(&h, 405, path);
		body_set(&p->own, &b);
		buf_cleanup(&b);
		p->body = &p->own;
		p->type = "text/html; charset=utf-8";
		p->status = 405;
		p->kind = WEB_LIVE;
		/* With a body, libwebsockets answers only once it has read it all. */
		if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0)
			return 0;
		return send_headers(wsi, w, p, false);
	}
	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_URI_ARGS) > 0)
		lws_hdr_copy(wsi, query, sizeof(query), WSI_TOKEN_HTTP_URI_ARGS);
	p->kind = WEB_PUBLIC;
	p->status = 200;
	if (strcmp(path, "/style.css") == 0) {
		p->body = &w->cache.style;
		p->type = "text/css; charset=utf-8";
	} else if (strcmp(path, "/favicon.svg") == 0) {
		p->body = &w->cache.icon;
		p->type = "image/svg+xml";
	} else if ((p->body = cached(w, path)) != NULL) {
		p->type = "text/html; charset=utf-8";
	} else {
		render_live(w, p, path, query);
	}
	return send_headers(wsi, w, p, p->kind == WEB_PUBLIC && none_match(wsi, p->body->etag));
}

static int on_writable(struct lws *wsi, struct web_pss *p)
{
	if (p == NULL || !p->ready)
		return 0;
	p->ready = false;
	if (lws_write(wsi, (unsigned char *)p->body->mem + LWS_PRE, p->body->len,
	              LWS_WRITE_HTTP_FINAL) < (int)p->body->len)
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
	struct web_pss *p = user;
	struct web *w = lws_context_user(lws_get_context(wsi));

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return on_http(wsi, w, p, (const char *)in);
	case LWS_CALLBACK_HTTP_BODY:
		/* Only GET and HEAD are served: a body is dropped, and a big one ends the
		 * connection. */
		p->body_read += len;
		return p->body_read > BODY_MAX ? -1 : 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		return p->status == 405 ? send_headers(wsi, w, p, false) : -1;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return on_writable(wsi, p);
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
	case LWS_CALLBACK_CLOSED_HTTP:
		if (p != NULL)
			body_free(&p->own);
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols protocols[] = {
    {"http", callback, sizeof(struct web_pss), 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/* ---- start and stop ---- */

static void on_destroy(uv_timer_t *t)
{
	struct web *w = t->data;

	lws_context_destroy(w->ctx);
	uv_close((uv_handle_t *)&w->timer, NULL);
}

static void on_shutdown(void *arg)
{
	struct web *w = arg;

	w->hooked = false;
	/* Destroyed from a fresh loop iteration, never inside an lws callback. */
	uv_timer_init(loop_uv(w->deps.loop), &w->timer);
	w->timer.data = w;
	uv_timer_start(&w->timer, on_destroy, 0, 0);
}

/* Whether host:port can be bound, tried before libwebsockets is asked to. */
static bool can_listen(const char *host, int port, struct buf *err)
{
	struct addrinfo hints, *ai = NULL;
	char service[8];
	int fd, on = 1, rc;
	bool ok;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(service, sizeof(service), "%d", port);
	rc = getaddrinfo(host, service, &hints, &ai);
	if (rc != 0) {
		buf_addf(err,
		         "web_listen host \"%s\" is not an address of this machine (%s); "
		         "change web_listen, e.g. 127.0.0.1:8080, or set it to off",
		         host, gai_strerror(rc));
		return false;
	}
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	ok = fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == 0 &&
	     bind(fd, ai->ai_addr, ai->ai_addrlen) == 0;
	if (!ok)
		buf_addf(err,
		         "cannot listen on %s:%d for the web pages: %s; change web_listen (another "
		         "port, or off)",
		         host, port, strerror(errno));
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return ok;
}

static void cache_init(struct web *w)
{
	struct buf css;

	w->cache.topics = xcalloc(w->deps.content->ntopics + 1, sizeof(struct web_body));
	w->cache.questions = xcalloc(w->deps.content->nquestions + 1, sizeof(struct web_body));
	buf_init(&css, strlen(HTML_STYLE) + 1);
	buf_adds(&css, HTML_STYLE);
	body_set(&w->cache.style, &css);
	buf_reset(&css);
	buf_adds(&css, HTML_ICON);
	body_set(&w->cache.icon, &css);
	buf_cleanup(&css);
}

static void cache_free(struct web *w)
{
	size_t i;

	for (i = 0; w->cache.topics != NULL && i < w->deps.content->ntopics; i++)
		body_free(&w->cache.topics[i]);
	for (i = 0; w->cache.questions != NULL && i < w->deps.content->nquestions; i++)
		body_free(&w->cache.questions[i]);
	free(w->cache.topics);
	free(w->cache.questions);
	body_free(&w->cache.index);
	body_free(&w->cache.style);
	body_free(&w->cache.icon);
}

static struct lws_context *new_context(struct web *w)
{
	struct lws_context_creation_info info;
	void *foreign[1];

	memset(&info, 0, sizeof(info));
	foreign[0] = loop_uv(w->deps.loop);
	info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.foreign_loops = foreign;
	info.fd_limit_per_thread = FD_LIMIT;
	info.max_http_header_data = HEADER_MAX;
	info.timeout_secs = IDLE_SECONDS;
	info.user = w;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	ws_log_to_ours();
	return lws_create_context(&info);
}

int web_start(struct web **out, const struct web_deps *deps, const char *host, int port,
              struct buf *err)
{
	struct lws_context_creation_info info;
	struct web *w = xcalloc(1, sizeof(*w));

	*out = NULL;
	if (!can_listen(host, port, err)) {
		free(w);
		return BOT_EIO;
	}
	w->deps = *deps;
	w->started = time(NULL);
	w->ctx = new_context(w);
	if (w->ctx == NULL) {
		buf_addf(err, "the web server would not start (libwebsockets on libuv)");
		free(w);
		return BOT_EIO;
	}
	memset(&info, 0, sizeof(info));
	info.port = port;
	info.iface = host;
	info.protocols = protocols;
	info.vhost_name = "drillbot";
	info.keepalive_timeout = KEEPALIVE;
	w->vhost = lws_create_vhost(w->ctx, &info);
	if (w->vhost == NULL) {
		buf_addf(err,
		         "cannot listen on %s:%d for the web pages (the port is in use, or the "
		         "address is not this machine's); change web_listen, or set it to off",
		         host, port);
		/* Only a race with can_listen() gets here. On a foreign loop the
		 * context's takedown needs the loop running between its phases, and
		 * unloading lws' plugin before that crashes; so it is left. */
		lws_context_destroy(w->ctx);
		return BOT_EIO;
	}
	cache_init(w);
	w->search = search_new(w->deps.content);
	w->port = lws_get_vhost_listen_port(w->vhost);
	if (loop_on_shutdown(deps->loop, on_shutdown, w) == BOT_OK)
		w->hooked = true;
	LOG_I(MOD, "web pages on http://%s:%d/", host, w->port);
	*out = w;
	return BOT_OK;
}

int web_port(const struct web *w)
{
	return w->port;
}

void web_free(struct web *w)
{
	if (w == NULL)
		return;
	if (w->hooked)
		loop_remove_shutdown(w->deps.loop, on_shutdown, w);
	lws_context_destroy(w->ctx); /* the last phase, after the loop ran */
	cache_free(w);
	search_free(w->search);
	free(w);
}
