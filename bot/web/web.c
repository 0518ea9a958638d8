/*
 * web.c - the HTTP server and its pages. Rendering (web_render) is pure:
 * it reads the bank and fills a buffer, so it is tested without a socket.
 */
#include "web/web.h"

#include <cmark.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>
#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/err.h"
#include "base/log.h"
#include "net/ws.h"

#define MOD        "web"
#define PAGE_MAX   (1024u * 1024u)
#define SEARCH_MAX 20
#define QUERY_MAX  200
#define FD_LIMIT   1024

struct web {
	struct web_deps deps;
	struct lws_context *ctx;
	struct lws_vhost *vhost;
	int port;
	bool hooked;
	bool shutting;
	uv_timer_t timer;
	time_t started;
	unsigned long long requests;
};

/* One request's response, written when the socket can take it. */
struct web_pss {
	struct buf body;
	const char *type;
	int status;
	bool ready;
};

/* ---- HTML ---- */

static void esc(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		default:
			buf_add(b, s, 1);
		}
	}
}

/* Markdown to HTML; cmark drops raw HTML and unsafe links by default (no CMARK_OPT_UNSAFE). */
static void markdown(struct buf *b, const char *md)
{
	char *html = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT);

	if (html != NULL) {
		buf_adds(b, html);
		free(html);
	}
}

static const char *STYLE =
    "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "color:#1b1b1b}a{color:#0b57d0}code{background:#f2f2f2;padding:0 .2em}pre{background:#f6f6f6;"
    "padding:.6em;overflow:auto}details{margin:1em 0;padding:.5em 1em;border:1px solid #ddd;"
    "border-radius:6px}summary{cursor:pointer;font-weight:600}.muted{color:#666}"
    "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em}";

static void head(struct buf *b, const char *title)
{
	buf_adds(b,
	         "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
	esc(b, title);
	buf_addf(b,
	         " · drillbot</title><style>%s</style></head><body>\n"
	         "<p class=\"muted\"><a href=\"/\">drillbot</a> · backend interview drills</p>\n",
	         STYLE);
}

static void tail(struct buf *b)
{
	buf_adds(b, "\n</body></html>\n");
}

static void search_form(struct buf *b, const char *q)
{
	buf_adds(b, "<form action=\"/search\" method=\"get\" role=\"search\">"
	            "<label for=\"q\">Search the questions</label> "
	            "<input id=\"q\" name=\"q\" type=\"search\" value=\"");
	esc(b, q);
	buf_adds(b, "\"> <button type=\"submit\">Search</button></form>\n");
}

static void question_link(struct buf *b, const struct content *c, const struct content_question *q)
{
	buf_adds(b, "<li><a href=\"/q/");
	esc(b, q->id);
	buf_adds(b, "\">");
	esc(b, q->id);
	buf_addf(b, "</a> <span class=\"muted\">· %s · difficulty %d</span></li>\n",
	         c->topics[q->topic].name, q->difficulty);
}

static int page_index(const struct content *c, struct buf *b)
{
	size_t t;

	head(b, "Topics");
	buf_addf(b, "<h1>Topics</h1>\n<p>%zu questions in %zu topics.</p>\n", c->nquestions,
	         c->ntopics);
	search_form(b, "");
	buf_adds(b, "<ul>\n");
	for (t = 0; t < c->ntopics; t++) {
		buf_adds(b, "<li><a href=\"/t/");
		esc(b, c->topics[t].slug);
		buf_adds(b, "\">");
		esc(b, c->topics[t].name);
		buf_addf(b, "</a> <span class=\"muted\">(%zu)</span></li>\n",
		         c->topics[t].nquestions);
	}
	buf_adds(b, "</ul>\n");
	tail(b);
	return 200;
}

static int page_topic(const struct content *c, const char *slug, struct buf *b)
{
	size_t t, i;
	int d;

	for (t = 0; t < c->ntopics && strcmp(c->topics[t].slug, slug) != 0; t++)
		;
	if (t == c->ntopics)
		return 404;
	head(b, c->topics[t].name);
	buf_adds(b, "<h1>");
	esc(b, c->topics[t].name);
	buf_adds(b, "</h1>\n");
	for (d = 1; d <= 3; d++) {
		buf_addf(b, "<h2>%s</h2>\n<ul>\n",
		         d == 1   ? "Warm-up"
		         : d == 2 ? "Standard"
		                  : "Senior");
		for (i = 0; i < c->topics[t].nquestions; i++) {
			const struct content_question *q = &c->questions[c->topics[t].questions[i]];
			if (q->difficulty == d)
				question_link(b, c, q);
		}
		buf_adds(b, "</ul>\n");
	}
	tail(b);
	return 200;
}

static int page_question(const struct content *c, const char *id, struct buf *b)
{
	const struct content_question *q = content_find(c, id);
	size_t i;

	if (q == NULL)
		return 404;
	head(b, q->id);
	buf_adds(b, "<h1>");
	esc(b, q->id);
	buf_addf(b, "</h1>\n<p class=\"muted\"><a href=\"/t/%s\">", c->topics[q->topic].slug);
	esc(b, c->topics[q->topic].name);
	buf_addf(b, "</a> · difficulty %d</p>\n<section>", q->difficulty);
	markdown(b, q->question);
	/* Behind a reveal, so the page does not spoil the daily drill; <details> needs no script.
	 */
	buf_adds(b, "</section>\n<details><summary>Model answer</summary>\n");
	markdown(b, q->answer);
	buf_adds(b, "</details>\n<details><summary>Key points</summary>\n<ul>\n");
	for (i = 0; i < q->npoints; i++) {
		buf_adds(b, "<li>");
		esc(b, q->points[i].text);
		buf_adds(b, "</li>\n");
	}
	buf_adds(b, "</ul>\n</details>\n");
	if (q->nfollowups > 0) {
		buf_adds(b, "<details><summary>Follow-ups</summary>\n<ul>\n");
		for (i = 0; i < q->nfollowups; i++) {
			buf_adds(b, "<li>");
			esc(b, q->followups[i].text);
			buf_adds(b, "</li>\n");
		}
		buf_adds(b, "</ul>\n</details>\n");
	}
	if (q->nrelated > 0) {
		buf_adds(b, "<h2>Related</h2>\n<ul>\n");
		for (i = 0; i < q->nrelated; i++) {
			const struct content_question *r = content_find(c, q->related[i]);
			if (r != NULL)
				question_link(b, c, r);
		}
		buf_adds(b, "</ul>\n");
	}
	tail(b);
	return 200;
}

/*
 * Case-insensitive substring of the word's stem, roughly: its first
 * len-2 letters (at least 4), so "cache" finds "caching" and "replicas"
 * finds "replication".
 */
static bool has_ci(const char *hay, const char *needle)
{
	size_t len = strlen(needle);
	size_t n = len > 6 ? len - 2 : len > 4 ? 4 : len;

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

/* Ranked by where the words appear: id first, then key points, then the question. */
static int score_question(const struct content_question *q, char words[][64], size_t nwords)
{
	int score = 0;
	size_t w, i;

	for (w = 0; w < nwords; w++) {
		int s = 0;
		if (has_ci(q->id, words[w]))
			s = 5;
		for (i = 0; s < 3 && i < q->npoints; i++)
			if (has_ci(q->points[i].text, words[w]))
				s = 3;
		if (s == 0 && has_ci(q->question, words[w]))
			s = 1;
		if (s == 0)
			return 0; /* every word must appear somewhere */
		score += s;
	}
	return score;
}

/* Decodes application/x-www-form-urlencoded q=... into out. */
static void url_decode(const char *in, char *out, size_t size)
{
	size_t o = 0;

	for (; *in != '\0' && *in != '&' && o + 1 < size; in++) {
		if (*in == '+') {
			out[o++] = ' ';
		} else if (*in == '%' && isxdigit((unsigned char)in[1]) &&
		           isxdigit((unsigned char)in[2])) {
			char hex[3] = {in[1], in[2], '\0'};
			out[o++] = (char)strtol(hex, NULL, 16);
			in += 2;
		} else {
			out[o++] = *in;
		}
	}
	out[o] = '\0';
}

struct hit {
	int score;
	size_t q;
};

/* Best first; equal scores in bank order, so results are stable. */
static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->score != y->score)
		return y->score - x->score;
	return x->q < y->q ? -1 : x->q > y->q;
}

static int page_search(const struct content *c, const char *query, struct buf *b)
{
	char q[QUERY_MAX], copy[QUERY_MAX], words[8][64];
	const char *p = query != NULL ? strstr(query, "q=") : NULL;
	struct hit *hits = xcalloc(c->nquestions + 1, sizeof(*hits));
	size_t nwords = 0, nhits = 0, i;
	char *tok, *save = NULL;

	url_decode(p != NULL ? p + 2 : "", q, sizeof(q));
	snprintf(copy, sizeof(copy), "%s", q);
	for (tok = strtok_r(copy, " \t", &save); tok != NULL && nwords < 8;
	     tok = strtok_r(NULL, " \t", &save))
		snprintf(words[nwords++], sizeof(words[0]), "%s", tok);
	for (i = 0; nwords > 0 && i < c->nquestions; i++) {
		int s = score_question(&c->questions[i], words, nwords);
		if (s > 0)
			hits[nhits++] = (struct hit){s, i};
	}
	qsort(hits, nhits, sizeof(*hits), cmp_hit);
	head(b, "Search");
	buf_adds(b, "<h1>Search</h1>\n");
	search_form(b, q);
	if (nwords == 0) {
		buf_adds(b, "<p>Type a few words, e.g. <em>cache stampede</em>.</p>\n");
	} else {
		buf_addf(b, "<p>%zu result%s.</p>\n<ul>\n", nhits, nhits == 1 ? "" : "s");
		for (i = 0; i < nhits && i < SEARCH_MAX; i++)
			question_link(b, c, &c->questions[hits[i].q]);
		buf_adds(b, "</ul>\n");
	}
	free(hits);
	tail(b);
	return 200;
}

static int page_not_found(struct buf *b, const char *path)
{
	buf_reset(b);
	head(b, "Not found");
	buf_adds(b, "<h1>Not found</h1>\n<p>There is no page at <code>");
	esc(b, path);
	buf_adds(b, "</code>. <a href=\"/\">All topics</a>.</p>\n");
	tail(b);
	return 404;
}

int web_render(const struct web_deps *deps, const char *path, const char *query, struct buf *body,
               const char **content_type)
{
	const struct content *c = deps->content;
	int status;

	*content_type = "text/html; charset=utf-8";
	if (strcmp(path, "/healthz") == 0) {
		*content_type = "text/plain; charset=utf-8";
		buf_adds(body, "ok\n");
		return 200;
	}
	if (strcmp(path, "/") == 0)
		status = page_index(c, body);
	else if (strncmp(path, "/t/", 3) == 0)
		status = page_topic(c, path + 3, body);
	else if (strncmp(path, "/q/", 3) == 0)
		status = page_question(c, path + 3, body);
	else if (strcmp(path, "/search") == 0)
		status = page_search(c, query, body);
	else
		status = 404;
	if (status == 404)
		status = page_not_found(body, path);
	return status;
}

static void metrics(const struct web *w, struct buf *b)
{
	buf_addf(
	    b,
	    "# HELP drillbot_up 1 while the bot runs.\n# TYPE drillbot_up gauge\ndrillbot_up 1\n"
	    "# HELP drillbot_uptime_seconds Seconds since start.\n"
	    "# TYPE drillbot_uptime_seconds gauge\ndrillbot_uptime_seconds %lld\n"
	    "# HELP drillbot_questions Questions in the bank.\n# TYPE drillbot_questions gauge\n"
	    "drillbot_questions %zu\n"
	    "# HELP drillbot_http_requests_total Requests to this web server.\n"
	    "# TYPE drillbot_http_requests_total counter\ndrillbot_http_requests_total %llu\n"
	    "# HELP drillbot_store_ok 1 while the database takes writes.\n"
	    "# TYPE drillbot_store_ok gauge\ndrillbot_store_ok %d\n",
	    (long long)(time(NULL) - w->started), w->deps.content->nquestions, w->requests,
	    w->deps.store == NULL || store_last_error(w->deps.store) == BOT_OK);
}

/* ---- the server ---- */

static int respond(struct lws *wsi, struct web_pss *p)
{
	unsigned char hdr[LWS_PRE + 2048], *start = hdr + LWS_PRE, *pos = start,
	                                   *end = hdr + sizeof(hdr) - 1;
	static const char csp[] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' "
	                          "data:; form-action 'self'; base-uri 'none'";

	if (lws_add_http_common_headers(wsi, (unsigned int)p->status, p->type, p->body.len, &pos,
	                                end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"content-security-policy:",
	                                (const unsigned char *)csp, (int)strlen(csp), &pos, end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"x-content-type-options:",
	                                (const unsigned char *)"nosniff", 7, &pos, end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"referrer-policy:",
	                                (const unsigned char *)"no-referrer", 11, &pos, end) ||
	    lws_finalize_write_http_header(wsi, start, &pos, end))
		return 1;
	p->ready = true;
	lws_callback_on_writable(wsi);
	return 0;
}

static int on_http(struct lws *wsi, struct web *w, struct web_pss *p, const char *path)
{
	char query[QUERY_MAX * 3 + 8] = "";

	w->requests++;
	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_URI_ARGS) > 0)
		lws_hdr_copy(wsi, query, sizeof(query), WSI_TOKEN_HTTP_URI_ARGS);
	buf_init(&p->body, PAGE_MAX);
	if (strcmp(path, "/metrics") == 0) {
		p->type = "text/plain; version=0.0.4; charset=utf-8";
		metrics(w, &p->body);
		p->status = 200;
	} else {
		p->status = web_render(&w->deps, path, query, &p->body, &p->type);
	}
	return respond(wsi, p);
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
	struct web_pss *p = user;
	struct web *w = lws_context_user(lws_get_context(wsi));

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return on_http(wsi, w, p, (const char *)in);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (p == NULL || !p->ready)
			return 0;
		p->ready = false;
		if (lws_write(wsi, (unsigned char *)p->body.data, p->body.len,
		              LWS_WRITE_HTTP_FINAL) < (int)p->body.len)
			return 1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (p != NULL)
			buf_cleanup(&p->body);
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols protocols[] = {
    {"http", callback, sizeof(struct web_pss), 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

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
	w->shutting = true;
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

int web_start(struct web **out, const struct web_deps *deps, const char *host, int port,
              struct buf *err)
{
	struct lws_context_creation_info info;
	struct web *w = xcalloc(1, sizeof(*w));
	void *foreign[1];

	*out = NULL;
	if (!can_listen(host, port, err)) {
		free(w);
		return BOT_EIO;
	}
	w->deps = *deps;
	w->started = time(NULL);
	memset(&info, 0, sizeof(info));
	foreign[0] = loop_uv(deps->loop);
	info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.foreign_loops = foreign;
	info.fd_limit_per_thread = FD_LIMIT;
	info.user = w;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	ws_log_to_ours();
	w->ctx = lws_create_context(&info);
	if (w->ctx == NULL) {
		buf_addf(err, "the web server would not start (libwebsockets on libuv)");
		free(w);
		return BOT_EIO;
	}
	info.port = port;
	info.iface = host;
	info.protocols = protocols;
	info.vhost_name = "drillbot";
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
	free(w);
}
