/*
 * rest.c - libcurl's multi socket API on the one libuv loop.
 *
 * curl tells us which sockets to watch (on_socket: one uv_poll per socket)
 * and when to call it back regardless (on_curl_timer: one uv_timer); libuv
 * tells curl what happened (curl_multi_socket_action), and finished
 * transfers are collected from curl_multi_info_read (drain). User callbacks
 * only ever run from drain or rest_cancel_all, never inside a curl callback,
 * so they may start new requests.
 */
#include "net/rest.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "base/util.h"

#define MOD          "rest"
#define METHOD_MAX   16
#define PATH_LOG_MAX 256
/* Path segments up to this long are logged as they are (IDs, words). */
#define SEGMENT_SAFE_LEN 20
#define REDACTED_SEGMENT "[REDACTED]"

/* A socket curl asked us to watch. Heap-allocated: libuv needs the handle
 * until its close callback. */
struct rest_sock {
	uv_poll_t poll; /* first: the handle's address is the struct's */
	struct rest *r;
	curl_socket_t fd;
	LIST_ENTRY(rest_sock) link;
};

struct rest_xfer {
	struct rest *r;
	CURL *easy;
	struct curl_slist *hdrs;
	struct buf body; /* capped at max_response */
	struct buf head; /* "Name: value\0" entries of the final response */
	bool toobig;     /* a cap stopped the transfer */
	bool cancel;     /* marked by rest_cancel_all */
	rest_done_fn done;
	void *arg;
	char method[METHOD_MAX + 1];
	char path[PATH_LOG_MAX]; /* for log lines: path only, tokens blanked */
	LIST_ENTRY(rest_xfer) link;
};

/* ---- lists ---- */

static void xfer_link(struct rest_xfer *x)
{
	LIST_INSERT_HEAD(&x->r->xfers, x, link);
}

static void xfer_unlink(struct rest_xfer *x)
{
	LIST_REMOVE(x, link);
}

size_t rest_pending(const struct rest *r)
{
	const struct rest_xfer *x;
	size_t n = 0;

	LIST_FOREACH(x, &r->xfers, link)
	n++;
	return n;
}

/* ---- sockets and the timer ---- */

static void free_handle(uv_handle_t *h)
{
	free(h);
}

static void sock_close(struct rest_sock *s)
{
	LIST_REMOVE(s, link);
	uv_close((uv_handle_t *)&s->poll, free_handle);
}

static void drain(struct rest *r);

static void on_poll(uv_poll_t *h, int status, int events)
{
	struct rest_sock *s = h->data;
	struct rest *r = s->r;
	int flags = 0;
	int running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	/* This may close s (CURL_POLL_REMOVE); s is not used after it. */
	curl_multi_socket_action(r->multi, s->fd, flags, &running);
	drain(r);
}

static struct rest_sock *sock_new(struct rest *r, curl_socket_t fd)
{
	struct rest_sock *s = xcalloc(1, sizeof(*s));
	int rc = uv_poll_init_socket(loop_uv(r->loop), &s->poll, fd);

	if (rc != 0) {
		LOG_W(MOD, "cannot watch a socket: %s", uv_strerror(rc));
		free(s);
		return NULL;
	}
	s->poll.data = s;
	s->r = r;
	s->fd = fd;
	LIST_INSERT_HEAD(&r->socks, s, link);
	curl_multi_assign(r->multi, fd, s);
	return s;
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct rest *r = userp;
	struct rest_sock *s = socketp;
	int events = 0;
	int rc;

	(void)easy;
	if (r->multi == NULL) /* releasing: release() closes what is left */
		return 0;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL)
			sock_close(s);
		return 0;
	}
	if (s == NULL)
		s = sock_new(r, fd);
	if (s == NULL)
		return -1;
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	rc = uv_poll_start(&s->poll, events, on_poll);
	if (rc != 0) {
		LOG_W(MOD, "cannot poll a socket: %s", uv_strerror(rc));
		return -1;
	}
	return 0;
}

static void on_timeout(uv_timer_t *h)
{
	struct rest *r = h->data;
	int running;

	curl_multi_socket_action(r->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	drain(r);
}

static int on_curl_timer(CURLM *multi, long ms, void *userp)
{
	struct rest *r = userp;

	(void)multi;
	if (r->multi == NULL)
		return 0;
	/* A 0 ms timeout fires on the next loop iteration, never from inside
	 * curl: curl must not be re-entered from its own callbacks. */
	if (ms < 0)
		uv_timer_stop(r->timer);
	else
		uv_timer_start(r->timer, on_timeout, (uint64_t)ms, 0);
	return 0;
}

/* Frees curl and closes rest's handles; only with no transfer in flight. */
static void release(struct rest *r)
{
	CURLM *multi = r->multi;

	if (multi == NULL)
		return;
	r->multi = NULL; /* the callbacks ignore what curl says from here on */
	while (!LIST_EMPTY(&r->socks))
		sock_close(LIST_FIRST(&r->socks));
	curl_multi_cleanup(multi);
	uv_close((uv_handle_t *)r->timer, free_handle);
	r->timer = NULL;
}

static void maybe_release(struct rest *r)
{
	if (r->draining && LIST_EMPTY(&r->xfers))
		release(r);
}

/* ---- logging ---- */

/*
 * Discord puts interaction and webhook tokens in URL paths and Slack its
 * response_url secrets, so a segment is logged only if it cannot be one:
 * short ones (IDs, words), and Slack method names (letters and dots).
 */
static bool segment_safe(const char *p, size_t n)
{
	bool dot = false;
	size_t i;

	if (n <= SEGMENT_SAFE_LEN)
		return true;
	for (i = 0; i < n; i++) {
		if (p[i] == '.')
			dot = true;
		else if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')))
			return false;
	}
	return dot;
}

/* Writes url's path (no host, query or fragment) for a log line. */
void rest_log_path(const char *url, char *out, size_t size)
{
	const char *p = strstr(url, "://");
	struct buf b;

	p = p != NULL ? p + 3 : url;
	p += strcspn(p, "/?#");
	buf_init(&b, size - 1);
	if (*p != '/')
		buf_adds(&b, "/");
	while (*p == '/') {
		size_t n;

		p++;
		n = strcspn(p, "/?#");
		buf_adds(&b, "/");
		if (segment_safe(p, n))
			buf_add(&b, p, n);
		else
			buf_adds(&b, REDACTED_SEGMENT);
		p += n;
	}
	snprintf(out, size, "%s", buf_str(&b));
	buf_cleanup(&b);
}

static void log_result(const struct rest_xfer *x, const struct rest_resp *resp, const char *why)
{
	if (resp->err != BOT_OK)
		LOG_W(MOD, "%s %s failed: %s (%s), status %ld", x->method, x->path,
		      bot_strerror(resp->err), why, resp->status);
	else if (resp->status >= 400)
		LOG_I(MOD, "%s %s -> %ld", x->method, x->path, resp->status);
	else
		LOG_D(MOD, "%s %s -> %ld", x->method, x->path, resp->status);
}

/* ---- transfers ---- */

static void xfer_free(struct rest_xfer *x)
{
	curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->hdrs);
	buf_cleanup(&x->body);
	buf_cleanup(&x->head);
	free(x);
}

/* Hands the result to the caller and frees x. */
static void finish(struct rest_xfer *x, enum bot_err err, const char *why)
{
	struct rest_resp resp;

	xfer_unlink(x);
	memset(&resp, 0, sizeof(resp));
	resp.err = err;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &resp.status);
	if (x->r->multi != NULL)
		curl_multi_remove_handle(x->r->multi, x->easy);
	resp.body = buf_str(&x->body);
	resp.body_len = x->body.len;
	resp.hdrs = x->head.data;
	resp.hdrs_len = x->head.len;
	log_result(x, &resp, why);
	x->done(&resp, x->arg);
	xfer_free(x);
}

static enum bot_err result_err(const struct rest_xfer *x, CURLcode rc)
{
	if (rc == CURLE_OK)
		return BOT_OK;
	if (x->toobig || rc == CURLE_FILESIZE_EXCEEDED)
		return BOT_ETOOBIG;
	return BOT_ENET;
}

static void drain(struct rest *r)
{
	for (;;) {
		struct rest_xfer *x;
		CURLMsg *m;
		CURLcode rc;
		char *priv;
		int left;

		/* A callback's rest_cancel_all() may have released curl. */
		if (r->multi == NULL)
			break;
		m = curl_multi_info_read(r->multi, &left);
		if (m == NULL)
			break;
		if (m->msg != CURLMSG_DONE)
			continue;
		rc = m->data.result;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		x = (struct rest_xfer *)(void *)priv;
		finish(x, result_err(x, rc), curl_easy_strerror(rc));
	}
	maybe_release(r);
}

static size_t on_write(char *p, size_t size, size_t n, void *userp)
{
	struct rest_xfer *x = userp;
	size_t len = size * n;

	if (buf_add(&x->body, p, len) != BOT_OK) {
		x->toobig = true;
		return 0; /* curl stops with CURLE_WRITE_ERROR */
	}
	return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *userp)
{
	struct rest_xfer *x = userp;
	size_t total = size * n;
	size_t len = total;

	/* Each status line starts a response ("100 Continue" comes first). */
	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		buf_reset(&x->head);
		return total;
	}
	while (len > 0 && strchr("\r\n \t", p[len - 1]) != NULL)
		len--;
	if (len == 0 || memchr(p, ':', len) == NULL)
		return total;
	if (buf_add(&x->head, p, len) != BOT_OK || buf_add(&x->head, "", 1) != BOT_OK) {
		x->toobig = true;
		return 0;
	}
	return total;
}

const char *rest_resp_header(const struct rest_resp *resp, const char *name)
{
	size_t n = strlen(name);
	size_t off = 0;

	while (off < resp->hdrs_len) {
		const char *e = resp->hdrs + off;
		size_t elen = strnlen(e, resp->hdrs_len - off);

		if (elen > n && e[n] == ':' && strncasecmp(e, name, n) == 0)
			return e + n + 1 + strspn(e + n + 1, " \t");
		off += elen + 1;
	}
	return NULL;
}

static bool method_ok(const char *m)
{
	size_t n = strlen(m);

	return n > 0 && n <= METHOD_MAX && strspn(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == n;
}

static bool header_ok(const char *h)
{
	const char *colon = h != NULL ? strchr(h, ':') : NULL;

	/* One line only: a CR or LF would let a value inject headers. */
	return colon != NULL && colon != h && strpbrk(h, "\r\n") == NULL;
}

static int check_req(const struct rest_req *req, rest_done_fn done)
{
	size_t i;

	if (done == NULL || req->url == NULL)
		return BOT_EINVAL;
	if (!util_has_prefix_ci(req->url, "http://") && !util_has_prefix_ci(req->url, "https://"))
		return BOT_EINVAL;
	if (strpbrk(req->url, " \t\r\n") != NULL)
		return BOT_EINVAL;
	if (req->method != NULL && !method_ok(req->method))
		return BOT_EINVAL;
	if ((req->nheaders > 0 && req->headers == NULL) || (req->body_len > 0 && req->body == NULL))
		return BOT_EINVAL;
	for (i = 0; i < req->nheaders; i++) {
		if (!header_ok(req->headers[i]))
			return BOT_EINVAL;
	}
	return BOT_OK;
}

static int set_headers(struct rest_xfer *x, const struct rest_req *req)
{
	size_t i;

	for (i = 0; i <= req->nheaders; i++) {
		/* "Expect:" last: no 100-continue round trip before large bodies. */
		const char *h = i < req->nheaders ? req->headers[i] : "Expect:";
		struct curl_slist *l = curl_slist_append(x->hdrs, h);

		if (l == NULL)
			return BOT_ENOMEM;
		x->hdrs = l;
	}
	if (curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->hdrs) != CURLE_OK)
		return BOT_ENOMEM;
	return BOT_OK;
}

static int set_method(struct rest_xfer *x, const struct rest_req *req)
{
	CURL *e = x->easy;
	const char *m = x->method;
	bool fields = req->body != NULL || strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 ||
	              strcmp(m, "PATCH") == 0;
	const void *body = req->body != NULL ? req->body : "";
	int bad = 0;

	if (strcmp(m, "HEAD") == 0)
		return curl_easy_setopt(e, CURLOPT_NOBODY, 1L) == CURLE_OK ? BOT_OK : BOT_ENOMEM;
	if (fields) {
		/* The size first: COPYPOSTFIELDS then copies exactly that many
		 * bytes, so the caller's body is borrowed for this call only. */
		bad |= curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		bad |= curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, body);
	}
	/* curl says POST with fields and GET without; name anything else. */
	if (strcmp(m, fields ? "POST" : "GET") != 0)
		bad |= curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
	return bad == 0 ? BOT_OK : BOT_ENOMEM;
}

static int set_basics(struct rest_xfer *x, const struct rest_req *req)
{
	CURL *e = x->easy;
	long timeout = req->timeout_ms > 0 ? req->timeout_ms : REST_DEFAULT_TIMEOUT_MS;
	int bad = 0;

	bad |= curl_easy_setopt(e, CURLOPT_URL, req->url);
	bad |= curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	/* No SIGALRM for timeouts: signals belong to the loop. */
	bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	bad |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout);
	bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	bad |= curl_easy_setopt(e, CURLOPT_USERAGENT, "drillbot");
	/* Fail early on a Content-Length over the cap; on_write catches the
	 * rest (chunked, or decompressed past the cap). */
	bad |= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->body.cap);
	bad |= curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	bad |= curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	bad |= curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	return bad == 0 ? BOT_OK : BOT_ENOMEM;
}

static struct rest_xfer *xfer_new(struct rest *r, const struct rest_req *req, rest_done_fn done,
                                  void *arg)
{
	struct rest_xfer *x = xcalloc(1, sizeof(*x));

	x->easy = curl_easy_init();
	if (x->easy == NULL) {
		free(x);
		return NULL;
	}
	x->r = r;
	x->done = done;
	x->arg = arg;
	buf_init(&x->body, req->max_response > 0 ? req->max_response : REST_DEFAULT_MAX_RESPONSE);
	buf_init(&x->head, REST_MAX_HEADERS_BYTES);
	snprintf(x->method, sizeof(x->method), "%s", req->method != NULL ? req->method : "GET");
	rest_log_path(req->url, x->path, sizeof(x->path));
	return x;
}

int rest_request(struct rest *r, const struct rest_req *req, rest_done_fn done, void *arg)
{
	struct rest_xfer *x;
	int err;

	if (r->draining || r->multi == NULL)
		return BOT_ENET;
	err = check_req(req, done);
	if (err != BOT_OK)
		return err;
	x = xfer_new(r, req, done, arg);
	if (x == NULL)
		return BOT_ENOMEM;
	err = set_basics(x, req);
	if (err == BOT_OK)
		err = set_method(x, req);
	if (err == BOT_OK)
		err = set_headers(x, req);
	/* Adding arms curl's timer (on_curl_timer); the transfer starts from
	 * the loop, so done cannot run inside this call. */
	if (err == BOT_OK && curl_multi_add_handle(r->multi, x->easy) != CURLM_OK)
		err = BOT_ENOMEM;
	if (err != BOT_OK) {
		xfer_free(x);
		return err;
	}
	xfer_link(x);
	return BOT_OK;
}

void rest_cancel_all(struct rest *r)
{
	struct rest_xfer *x;

	/* Only what is in flight now: a callback that retries at once must
	 * not keep this loop going. */
	LIST_FOREACH(x, &r->xfers, link)
	x->cancel = true;
	for (;;) {
		LIST_FOREACH(x, &r->xfers, link)
		{
			if (x->cancel)
				break;
		}
		if (x == NULL)
			break;
		finish(x, BOT_ENET, "cancelled");
	}
	maybe_release(r);
}

/* ---- life cycle ---- */

static void on_loop_shutdown(void *arg)
{
	struct rest *r = arg;

	r->draining = true;
	if (!LIST_EMPTY(&r->xfers))
		LOG_I(MOD, "shutdown: letting %zu requests finish", rest_pending(r));
	maybe_release(r);
}

int rest_init(struct rest *r, struct loop *l)
{
	CURLM *multi;
	int err;

	memset(r, 0, sizeof(*r));
	LIST_INIT(&r->xfers);
	LIST_INIT(&r->socks);
	/* Reference-counted by curl, paired with rest_cleanup(). */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return BOT_ENOMEM;
	multi = curl_multi_init();
	if (multi == NULL) {
		curl_global_cleanup();
		return BOT_ENOMEM;
	}
	curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, r);
	curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
	curl_multi_setopt(multi, CURLMOPT_TIMERDATA, r);
	r->loop = l;
	r->multi = multi;
	r->timer = xmalloc(sizeof(*r->timer));
	uv_timer_init(loop_uv(l), r->timer);
	r->timer->data = r;
	err = loop_on_shutdown(l, on_loop_shutdown, r);
	if (err != BOT_OK) {
		release(r);
		curl_global_cleanup();
		r->loop = NULL;
	}
	return err;
}

void rest_cleanup(struct rest *r)
{
	if (r->loop == NULL)
		return;
	r->draining = true;
	rest_cancel_all(r);
	release(r);
	loop_remove_shutdown(r->loop, on_loop_shutdown, r);
	curl_global_cleanup();
	r->loop = NULL;
}
