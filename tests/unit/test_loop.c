/*
 * test_loop.c - the one event loop serving a timer, a curl request to a
 * local HTTP server and stdin together; then the loop's shutdown, signals,
 * timers and stdin reader, and the REST client's caps, failures, drain and
 * cancellation. Everything talks to 127.0.0.1 only.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"
#include "base/loop.h"
#include "base/util.h"
#include "net/rest.h"
#include "test.h"

/* ---- a tiny HTTP/1.1 server on the same loop ---- */

#define REQ_MAX 8192
#define BIG     5000
#define CAP     1000

struct srv;

struct conn {
	uv_tcp_t tcp; /* first: the handle's address is the struct's */
	struct srv *srv;
	char req[REQ_MAX + 1];
	size_t len;
	bool got; /* a whole request has arrived */
	char *out;
	uv_write_t wr;
	struct conn *next;
};

struct srv {
	uv_tcp_t tcp;
	int port;
	int requests;
	char last_req[REQ_MAX + 1];
	struct conn *conns;
	void (*on_request)(const char *path); /* test hook, may be NULL */
};

static char *response(int status, const char *extra, const char *body, size_t body_len, bool length)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	buf_addf(&b, "HTTP/1.1 %d X\r\n%sConnection: close\r\n", status, extra);
	if (length)
		buf_addf(&b, "Content-Length: %zu\r\n", body_len);
	buf_adds(&b, "\r\n");
	buf_add(&b, body, body_len);
	return buf_steal(&b);
}

static char *zeds(size_t n)
{
	char *s = xmalloc(n + 1);
	memset(s, 'z', n);
	s[n] = '\0';
	return s;
}

/* The reply for path, or NULL to hold the request until srv_answer_held. */
static char *route(const char *path, const char *req)
{
	const char *body = strstr(req, "\r\n\r\n") + 4;
	char *z, *out;

	if (strcmp(path, "/ok") == 0 || strncmp(path, "/webhooks/", 10) == 0)
		return response(200, "X-Drill-Test: forty-two\r\n", "hello world", 11, true);
	if (strcmp(path, "/body") == 0)
		return response(200, "", body, strlen(body), true);
	if (strcmp(path, "/hold") == 0)
		return NULL;
	z = zeds(BIG);
	if (strcmp(path, "/big-cl") == 0)
		out = response(200, "", z, BIG, true);
	else if (strcmp(path, "/big-stream") == 0)
		out = response(200, "", z, BIG, false);
	else if (strcmp(path, "/exact") == 0)
		out = response(200, "", z, CAP, true);
	else
		out = response(404, "", "", 0, true);
	free(z);
	return out;
}

static void on_conn_closed(uv_handle_t *h)
{
	struct conn *c = (struct conn *)h;
	struct conn **pp = &c->srv->conns;

	while (*pp != c)
		pp = &(*pp)->next;
	*pp = c->next;
	free(c->out);
	free(c);
}

static void conn_close(struct conn *c)
{
	if (!uv_is_closing((uv_handle_t *)&c->tcp))
		uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
}

static void on_written(uv_write_t *w, int status)
{
	(void)status;
	conn_close(w->data);
}

static void conn_send(struct conn *c, char *out)
{
	uv_buf_t b = uv_buf_init(out, (unsigned)strlen(out));

	c->out = out;
	c->wr.data = c;
	if (uv_write(&c->wr, (uv_stream_t *)&c->tcp, &b, 1, on_written) != 0)
		conn_close(c);
}

/* True once the head and Content-Length bytes of body have arrived. */
static bool request_complete(const struct conn *c)
{
	const char *end = strstr(c->req, "\r\n\r\n");
	const char *cl = strcasestr(c->req, "\r\nContent-Length:");
	long n = 0;

	if (end == NULL)
		return false;
	if (cl != NULL && cl < end)
		n = strtol(cl + 17, NULL, 10);
	return (size_t)(end + 4 - c->req) + (size_t)n <= c->len;
}

static void conn_request(struct conn *c)
{
	char path[256] = "";
	char *out;

	c->got = true;
	c->srv->requests++;
	snprintf(c->srv->last_req, sizeof(c->srv->last_req), "%s", c->req);
	sscanf(c->req, "%*s %255s", path);
	out = route(path, c->req);
	if (out != NULL)
		conn_send(c, out);
	if (c->srv->on_request != NULL)
		c->srv->on_request(path);
}

static void on_conn_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	struct conn *c = (struct conn *)h;

	(void)hint;
	*b = uv_buf_init(c->req + c->len, (unsigned)(REQ_MAX - c->len));
}

static void on_conn_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct conn *c = (struct conn *)s;

	(void)b;
	if (n < 0 || (n == 0 && c->len == REQ_MAX)) {
		conn_close(c);
		return;
	}
	c->len += (size_t)n;
	c->req[c->len] = '\0';
	if (!c->got && request_complete(c))
		conn_request(c);
}

static void on_connection(uv_stream_t *server, int status)
{
	struct srv *srv = server->data;
	struct conn *c;

	if (status != 0)
		return;
	c = xcalloc(1, sizeof(*c));
	c->srv = srv;
	uv_tcp_init(server->loop, &c->tcp);
	c->next = srv->conns;
	srv->conns = c;
	if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 ||
	    uv_read_start((uv_stream_t *)&c->tcp, on_conn_alloc, on_conn_read) != 0)
		conn_close(c);
}

static int srv_start(struct srv *srv, uv_loop_t *uv)
{
	struct sockaddr_in addr;
	struct sockaddr_storage name;
	int len = sizeof(name);

	memset(srv, 0, sizeof(*srv));
	uv_ip4_addr("127.0.0.1", 0, &addr);
	uv_tcp_init(uv, &srv->tcp);
	srv->tcp.data = srv;
	if (uv_tcp_bind(&srv->tcp, (const struct sockaddr *)&addr, 0) != 0 ||
	    uv_listen((uv_stream_t *)&srv->tcp, 16, on_connection) != 0 ||
	    uv_tcp_getsockname(&srv->tcp, (struct sockaddr *)&name, &len) != 0)
		return -1;
	srv->port = ntohs(((struct sockaddr_in *)&name)->sin_port);
	return 0;
}

/* Answers every held request as /ok would. */
static void srv_answer_held(struct srv *srv)
{
	struct conn *c;

	for (c = srv->conns; c != NULL; c = c->next) {
		if (c->got && c->out == NULL)
			conn_send(c, route("/ok", c->req));
	}
}

/* Stops listening; connections close themselves once answered. */
static void srv_stop(struct srv *srv)
{
	if (!uv_is_closing((uv_handle_t *)&srv->tcp))
		uv_close((uv_handle_t *)&srv->tcp, NULL);
}

/* ---- what the callbacks saw ---- */

#define MAX_LINES 8

struct seen {
	struct loop loop;
	struct rest rest;
	struct srv srv;
	struct loop_timer timer;
	int resp_calls;
	int resp_err;
	long status;
	char body[64];
	size_t body_len;
	char hdr[64];
	bool hdr_absent; /* a header that was not sent looked up as NULL */
	char *lines[MAX_LINES];
	size_t line_len[MAX_LINES];
	size_t line_chars[MAX_LINES];
	int nlines;
	int eof_calls;
	int timer_calls;
	int hook_calls;
	int order[4];
	int norder;
	int retry_err; /* rest_request during the drain */
};

static struct seen S;

static void seen_reset(void)
{
	memset(&S, 0, sizeof(S));
}

static void seen_free(void)
{
	int i;

	for (i = 0; i < S.nlines; i++)
		free(S.lines[i]);
}

static void on_resp(const struct rest_resp *resp, void *arg)
{
	const char *h;

	(void)arg;
	S.resp_calls++;
	S.resp_err = resp->err;
	S.status = resp->status;
	S.body_len = resp->body_len;
	snprintf(S.body, sizeof(S.body), "%s", resp->body);
	h = rest_resp_header(resp, "x-drill-test");
	snprintf(S.hdr, sizeof(S.hdr), "%s", h != NULL ? h : "(none)");
	S.hdr_absent = rest_resp_header(resp, "X-Not-Sent") == NULL;
}

static void on_line(const struct loop_line *line, void *arg)
{
	(void)arg;
	if (S.nlines < MAX_LINES) {
		S.lines[S.nlines] = xstrndup(line->text, line->len);
		S.line_len[S.nlines] = line->len;
		S.line_chars[S.nlines] = line->chars;
	}
	S.nlines++;
}

static void on_eof(void *arg)
{
	(void)arg;
	S.eof_calls++;
}

static void on_hook(void *arg)
{
	(void)arg;
	S.hook_calls++;
	srv_stop(&S.srv);
}

/* Replaces fd 0 with the read end of a pipe holding data, then EOF. */
static int stdin_from_pipe(const char *data, size_t len)
{
	int p[2];
	ssize_t n;

	if (pipe(p) != 0 || dup2(p[0], STDIN_FILENO) < 0)
		return -1;
	close(p[0]);
	n = write(p[1], data, len);
	close(p[1]);
	return n == (ssize_t)len ? 0 : -1;
}

static char *url(const char *path)
{
	return xasprintf("http://127.0.0.1:%d%s", S.srv.port, path);
}

/* Sets up loop, rest and server in S; the test hook stops the server. */
static int setup(void)
{
	seen_reset();
	if (loop_init(&S.loop) != BOT_OK)
		return -1;
	if (rest_init(&S.rest, &S.loop) != BOT_OK)
		return -1;
	if (srv_start(&S.srv, loop_uv(&S.loop)) != 0)
		return -1;
	return loop_on_shutdown(&S.loop, on_hook, NULL);
}

static void teardown(void)
{
	rest_cleanup(&S.rest);
	loop_cleanup(&S.loop);
	seen_free();
}

/* ---- the one loop ---- */

static void maybe_stop(void)
{
	if (S.resp_calls > 0 && S.eof_calls > 0 && S.timer_calls > 0)
		loop_stop(&S.loop);
}

static void one_resp(const struct rest_resp *resp, void *arg)
{
	on_resp(resp, arg);
	maybe_stop();
}

static void one_eof(void *arg)
{
	on_eof(arg);
	maybe_stop();
}

static void one_timer(void *arg)
{
	(void)arg;
	S.timer_calls++;
	maybe_stop();
}

static void test_one_loop_serves_all(void)
{
	static const char *const hdrs[] = {"X-Custom: yes", "Accept: text/plain"};
	struct rest_req req = {0};
	char *u;
	int rc;

	CHECK_INT(setup(), BOT_OK);
	u = url("/ok");
	req.url = u;
	req.headers = hdrs;
	req.nheaders = 2;
	CHECK_INT(stdin_from_pipe("first line\r\nsecond line", 23), 0);
	CHECK_INT(loop_stdin_start(&S.loop, on_line, one_eof, NULL), BOT_OK);
	CHECK_INT(loop_timer_start(&S.loop, &S.timer, 5, 0, one_timer, NULL), BOT_OK);
	rc = rest_request(&S.rest, &req, one_resp, NULL);
	free(u);
	CHECK_INT(rc, BOT_OK);
	CHECK_INT(loop_run(&S.loop), BOT_OK);

	CHECK_INT(S.resp_calls, 1);
	CHECK_INT(S.resp_err, BOT_OK);
	CHECK_INT(S.status, 200);
	CHECK_STR(S.body, "hello world");
	CHECK_INT(S.body_len, 11);
	CHECK_STR(S.hdr, "forty-two");
	CHECK(S.hdr_absent);
	CHECK_CONTAINS(S.srv.last_req, "\r\nX-Custom: yes\r\n");
	CHECK_INT(S.nlines, 2);
	CHECK_STR(S.lines[0], "first line");
	CHECK_STR(S.lines[1], "second line");
	CHECK_INT(S.eof_calls, 1);
	CHECK_INT(S.timer_calls, 1);
	CHECK_INT(S.hook_calls, 1);
	CHECK(!loop_timer_active(&S.timer));
	teardown();
}

/* ---- loop: hooks, stop, timers, signals ---- */

static void record(void *arg)
{
	if (S.norder < 4)
		S.order[S.norder] = (int)(long)arg;
	S.norder++;
}

static void stop_now(void *arg)
{
	loop_stop(arg);
}

static void test_hooks_run_newest_first(void)
{
	struct loop_timer t = LOOP_TIMER_INIT;
	int i;

	seen_reset();
	CHECK_INT(loop_init(&S.loop), BOT_OK);
	CHECK_INT(loop_on_shutdown(&S.loop, record, (void *)1L), BOT_OK);
	CHECK_INT(loop_on_shutdown(&S.loop, record, (void *)2L), BOT_OK);
	CHECK_INT(loop_on_shutdown(&S.loop, record, (void *)9L), BOT_OK);
	CHECK_INT(loop_on_shutdown(&S.loop, record, (void *)3L), BOT_OK);
	loop_remove_shutdown(&S.loop, record, (void *)9L);
	for (i = 3; i < LOOP_MAX_HOOKS; i++)
		CHECK_INT(loop_on_shutdown(&S.loop, on_eof, NULL), BOT_OK);
	CHECK_INT(loop_on_shutdown(&S.loop, on_eof, NULL), BOT_ETOOBIG);
	/* A timer that would fire long after the test: shutdown stops it. */
	CHECK_INT(loop_timer_start(&S.loop, &t, 3600 * 1000, 1000, one_timer, NULL), BOT_OK);
	CHECK_INT(loop_timer_start(&S.loop, &S.timer, 0, 0, stop_now, &S.loop), BOT_OK);
	CHECK_INT(loop_run(&S.loop), BOT_OK);
	CHECK_INT(S.norder, 3);
	CHECK_INT(S.order[0], 3);
	CHECK_INT(S.order[1], 2);
	CHECK_INT(S.order[2], 1);
	CHECK_INT(S.eof_calls, LOOP_MAX_HOOKS - 3);
	CHECK(!loop_timer_active(&t));
	CHECK_INT(S.timer_calls, 0);
	CHECK(loop_stopping(&S.loop));
	CHECK_INT(loop_on_shutdown(&S.loop, record, NULL), BOT_EINVAL);
	CHECK_INT(loop_timer_start(&S.loop, &t, 0, 0, one_timer, NULL), BOT_EINVAL);
	CHECK_INT(loop_stdin_start(&S.loop, on_line, on_eof, NULL), BOT_EINVAL);
	loop_cleanup(&S.loop);
}

static void once_again(void *arg)
{
	S.hook_calls++;
	/* A one-shot timer is free again inside its own callback. */
	if (S.hook_calls < 2)
		loop_timer_start(&S.loop, arg, 1, 0, once_again, arg);
	else
		loop_stop(&S.loop);
}

static void tick(void *arg)
{
	struct loop_timer *t = arg;

	S.timer_calls++;
	if (S.timer_calls == 3) {
		loop_timer_stop(t);
		loop_timer_start(&S.loop, &S.timer, 0, 0, once_again, &S.timer);
	}
}

static void test_timers_repeat_and_restart(void)
{
	struct loop_timer rep = LOOP_TIMER_INIT;

	seen_reset();
	CHECK_INT(loop_init(&S.loop), BOT_OK);
	CHECK_INT(loop_timer_start(&S.loop, &rep, 1, 1, tick, &rep), BOT_OK);
	CHECK(loop_timer_active(&rep));
	CHECK_INT(loop_run(&S.loop), BOT_OK);
	CHECK_INT(S.timer_calls, 3);
	CHECK_INT(S.hook_calls, 2);
	CHECK(!loop_timer_active(&rep));
	CHECK(!loop_timer_active(&S.timer));
	loop_cleanup(&S.loop);
}

static void raise_term(void *arg)
{
	(void)arg;
	raise(SIGTERM);
}

static void test_sigterm_shuts_down(void)
{
	seen_reset();
	CHECK_INT(loop_init(&S.loop), BOT_OK);
	CHECK_INT(loop_on_shutdown(&S.loop, record, (void *)7L), BOT_OK);
	CHECK_INT(loop_timer_start(&S.loop, &S.timer, 0, 0, raise_term, NULL), BOT_OK);
	CHECK_INT(loop_run(&S.loop), BOT_OK);
	CHECK_INT(S.norder, 1);
	CHECK_INT(S.order[0], 7);
	loop_cleanup(&S.loop);
}

static void raise_again(uv_timer_t *h)
{
	int *n = h->data;

	if (++*n > 3)
		_exit(5); /* the second signal did not end the process */
	raise(SIGTERM);
}

/* In a child: a handle the hooks leave open keeps the loop draining; the
 * second SIGTERM must end the process at once. */
static void test_second_signal_exits(void)
{
	int status = 0;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		struct loop l;
		uv_timer_t t;
		int n = 0;

		if (loop_init(&l) != BOT_OK)
			_exit(4);
		uv_timer_init(loop_uv(&l), &t);
		t.data = &n;
		uv_timer_start(&t, raise_again, 1, 1);
		loop_run(&l);
		_exit(6); /* loop_run returned with a handle open */
	}
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), 128 + SIGTERM);
}

/* ---- stdin ---- */

static void stop_on_eof(void *arg)
{
	on_eof(arg);
	loop_stop(&S.loop);
}

static void test_long_line_is_cut_not_lost(void)
{
	struct buf in;
	size_t i;
	int rc;

	seen_reset();
	buf_init(&in, 1 << 20);
	for (i = 0; i < LOOP_LINE_MAX; i++)
		buf_add(&in, "a", 1);
	buf_adds(&in, "\r\n");
	for (i = 0; i < 20000; i++)
		buf_add(&in, "b", 1);
	buf_adds(&in, "\nend\n");
	rc = stdin_from_pipe(in.data, in.len);
	buf_cleanup(&in);
	CHECK_INT(rc, 0);
	CHECK_INT(loop_init(&S.loop), BOT_OK);
	CHECK_INT(loop_stdin_start(&S.loop, on_line, stop_on_eof, NULL), BOT_OK);
	CHECK_INT(loop_stdin_start(&S.loop, on_line, stop_on_eof, NULL), BOT_EINVAL);
	CHECK_INT(loop_run(&S.loop), BOT_OK);
	loop_cleanup(&S.loop);
	CHECK_INT(S.nlines, 3);
	CHECK_INT(S.line_len[0], LOOP_LINE_MAX);
	CHECK_INT(strspn(S.lines[0], "a"), LOOP_LINE_MAX);
	CHECK_INT(S.line_chars[0], LOOP_LINE_MAX);
	CHECK_INT(S.line_len[1], LOOP_LINE_MAX);
	CHECK_INT(strspn(S.lines[1], "b"), LOOP_LINE_MAX);
	/* The cut line's real length, for "your answer is 20000 characters". */
	CHECK_INT(S.line_chars[1], 20000);
	CHECK_STR(S.lines[2], "end");
	CHECK_INT(S.eof_calls, 1);
	seen_free();
}

static void test_stdin_regular_file(void)
{
	char *path = xasprintf("%s/stdin.txt", t_tmpdir());
	FILE *f = fopen(path, "w");
	int fd;

	seen_reset();
	CHECK(f != NULL);
	fputs("alpha\r\nbeta\n\ngamma", f);
	fclose(f);
	fd = open(path, O_RDONLY);
	free(path);
	CHECK(fd >= 0);
	CHECK(dup2(fd, STDIN_FILENO) == STDIN_FILENO);
	close(fd);
	CHECK_INT(loop_init(&S.loop), BOT_OK);
	CHECK_INT(loop_stdin_start(&S.loop, on_line, stop_on_eof, NULL), BOT_OK);
	CHECK_INT(loop_run(&S.loop), BOT_OK);
	loop_cleanup(&S.loop);
	CHECK_INT(S.nlines, 4);
	CHECK_STR(S.lines[0], "alpha");
	CHECK_STR(S.lines[1], "beta");
	CHECK_STR(S.lines[2], "");
	CHECK_STR(S.lines[3], "gamma");
	CHECK_INT(S.eof_calls, 1);
	seen_free();
}

/* on_eof runs once even when shutdown, not end of input, ends the reader. */
static void test_stdin_eof_on_shutdown(void)
{
	int p[2];

	seen_reset();
	CHECK(pipe(p) == 0);
	CHECK(dup2(p[0], STDIN_FILENO) == STDIN_FILENO);
	close(p[0]);
	CHECK_INT(loop_init(&S.loop), BOT_OK);
	CHECK_INT(loop_stdin_start(&S.loop, on_line, on_eof, NULL), BOT_OK);
	loop_stop(&S.loop);
	CHECK_INT(loop_run(&S.loop), BOT_OK);
	loop_cleanup(&S.loop);
	close(p[1]);
	CHECK_INT(S.eof_calls, 1);
	CHECK_INT(S.nlines, 0);
}

/* ---- rest ---- */

static void stop_after_resp(const struct rest_resp *resp, void *arg)
{
	on_resp(resp, arg);
	loop_stop(&S.loop);
}

/* Runs one request on a fresh setup; the results are in S. */
static int run_one(const char *path, size_t max_response, const char *const *hdrs, size_t n)
{
	struct rest_req req = {0};
	char *u;
	int rc;

	if (setup() != BOT_OK)
		return -1;
	u = url(path);
	req.url = u;
	req.max_response = max_response;
	req.headers = hdrs;
	req.nheaders = n;
	rc = rest_request(&S.rest, &req, stop_after_resp, NULL);
	free(u);
	if (rc != BOT_OK)
		return rc;
	return loop_run(&S.loop);
}

static void test_too_big_with_length(void)
{
	CHECK_INT(run_one("/big-cl", CAP, NULL, 0), BOT_OK);
	teardown();
	CHECK_INT(S.resp_calls, 1);
	CHECK_INT(S.resp_err, BOT_ETOOBIG);
}

static void test_too_big_streamed(void)
{
	CHECK_INT(run_one("/big-stream", CAP, NULL, 0), BOT_OK);
	teardown();
	CHECK_INT(S.resp_calls, 1);
	CHECK_INT(S.resp_err, BOT_ETOOBIG);
}

static void test_exactly_the_cap_fits(void)
{
	CHECK_INT(run_one("/exact", CAP, NULL, 0), BOT_OK);
	teardown();
	CHECK_INT(S.resp_err, BOT_OK);
	CHECK_INT(S.body_len, CAP);
}

static void test_closed_port_is_enet(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	struct rest_req req = {0};
	char *u;
	int fd;

	/* Bound but not listening: the port is ours, and connecting to it is
	 * refused. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
	CHECK_INT(setup(), BOT_OK);
	u = xasprintf("http://127.0.0.1:%d/ok", ntohs(a.sin_port));
	req.url = u;
	CHECK_INT(rest_request(&S.rest, &req, stop_after_resp, NULL), BOT_OK);
	free(u);
	CHECK_INT(loop_run(&S.loop), BOT_OK);
	teardown();
	close(fd);
	CHECK_INT(S.resp_calls, 1);
	CHECK_INT(S.resp_err, BOT_ENET);
	CHECK_INT(S.status, 0);
}

static void test_post_body_and_method(void)
{
	static const char *const hdrs[] = {"Content-Type: application/json"};
	struct rest_req req = {0};
	char *u;

	CHECK_INT(setup(), BOT_OK);
	u = url("/body");
	req.method = "PATCH";
	req.url = u;
	req.headers = hdrs;
	req.nheaders = 1;
	req.body = "{\"a\":1}";
	req.body_len = 7;
	CHECK_INT(rest_request(&S.rest, &req, stop_after_resp, NULL), BOT_OK);
	free(u);
	CHECK_INT(loop_run(&S.loop), BOT_OK);
	teardown();
	CHECK_INT(S.resp_err, BOT_OK);
	CHECK_STR(S.body, "{\"a\":1}");
	CHECK(strncmp(S.srv.last_req, "PATCH /body ", 12) == 0);
	CHECK_CONTAINS(S.srv.last_req, "Content-Type: application/json");
}

static void test_bad_requests_refused(void)
{
	static const char *const injected[] = {"X-A: 1\r\nX-B: 2"};
	static const char *const nameless[] = {"no colon"};
	struct rest_req req = {0};

	CHECK_INT(setup(), BOT_OK);
	CHECK_INT(rest_request(&S.rest, &req, on_resp, NULL), BOT_EINVAL);
	req.url = "ftp://127.0.0.1/x";
	CHECK_INT(rest_request(&S.rest, &req, on_resp, NULL), BOT_EINVAL);
	req.url = "http://127.0.0.1:1/x";
	req.method = "get";
	CHECK_INT(rest_request(&S.rest, &req, on_resp, NULL), BOT_EINVAL);
	req.method = NULL;
	req.headers = injected;
	req.nheaders = 1;
	CHECK_INT(rest_request(&S.rest, &req, on_resp, NULL), BOT_EINVAL);
	req.headers = nameless;
	CHECK_INT(rest_request(&S.rest, &req, on_resp, NULL), BOT_EINVAL);
	CHECK_INT(rest_pending(&S.rest), 0);
	loop_stop(&S.loop);
	CHECK_INT(loop_run(&S.loop), BOT_OK);
	teardown();
	CHECK_INT(S.resp_calls, 0);
}

/* Shutdown lets a request in flight finish, and refuses new ones. */
static void drain_resp(const struct rest_resp *resp, void *arg)
{
	struct rest_req req = {0};

	on_resp(resp, arg);
	req.url = "http://127.0.0.1:1/late";
	S.retry_err = rest_request(&S.rest, &req, on_resp, NULL);
}

static void answer_in_hook(void *arg)
{
	/* Runs before rest's hook (registered later): the request is still in
	 * flight when rest starts draining. */
	(void)arg;
	srv_answer_held(&S.srv);
}

static void stop_on_request(const char *path)
{
	(void)path;
	loop_stop(&S.loop);
}

static void test_shutdown_drains_requests(void)
{
	struct rest_req req = {0};
	char *u;

	CHECK_INT(setup(), BOT_OK);
	CHECK_INT(loop_on_shutdown(&S.loop, answer_in_hook, NULL), BOT_OK);
	S.srv.on_request = stop_on_request;
	u = url("/hold");
	req.url = u;
	CHECK_INT(rest_request(&S.rest, &req, drain_resp, NULL), BOT_OK);
	free(u);
	CHECK_INT(loop_run(&S.loop), BOT_OK);
	CHECK_INT(S.resp_calls, 1);
	CHECK_INT(S.resp_err, BOT_OK);
	CHECK_INT(S.status, 200);
	CHECK_STR(S.body, "hello world");
	CHECK_INT(S.retry_err, BOT_ENET);
	teardown();
}

static void cancel_on_request(const char *path)
{
	(void)path;
	rest_cancel_all(&S.rest);
	loop_stop(&S.loop);
}

static void cleanup_on_request(const char *path)
{
	(void)path;
	rest_cleanup(&S.rest);
	loop_stop(&S.loop);
}

static void run_held(void (*on_request)(const char *path))
{
	struct rest_req req = {0};
	char *u;

	if (setup() != BOT_OK)
		return;
	S.srv.on_request = on_request;
	u = url("/hold");
	req.url = u;
	req.timeout_ms = 60000;
	if (rest_request(&S.rest, &req, on_resp, NULL) == BOT_OK)
		loop_run(&S.loop);
	free(u);
	teardown();
}

static void test_cancel_all_completes_with_enet(void)
{
	run_held(cancel_on_request);
	CHECK_INT(S.srv.requests, 1);
	CHECK_INT(S.resp_calls, 1);
	CHECK_INT(S.resp_err, BOT_ENET);
}

static void test_cleanup_completes_pending(void)
{
	run_held(cleanup_on_request);
	CHECK_INT(S.srv.requests, 1);
	CHECK_INT(S.resp_calls, 1);
	CHECK_INT(S.resp_err, BOT_ENET);
}

static void test_log_hides_tokens(void)
{
	static const char *const hdrs[] = {"Authorization: Bot sekrit-value-of-the-bot-0123456789"};
	const char *tok = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTA6c2VjcmV0LXRva2VuLWhlcmU";
	char *path = xasprintf("/webhooks/123456789012345678/%s?wait=true&token=q", tok);
	char logged[8192];
	FILE *f = tmpfile();
	size_t n;
	int rc;

	CHECK(f != NULL);
	log_set_output(f);
	log_set_level(LOG_DEBUG);
	rc = run_one(path, 0, hdrs, 1);
	teardown();
	free(path);
	log_set_level(LOG_INFO);
	log_set_output(NULL);
	rewind(f);
	n = fread(logged, 1, sizeof(logged) - 1, f);
	logged[n] = '\0';
	fclose(f);
	CHECK_INT(rc, BOT_OK);
	CHECK_INT(S.resp_err, BOT_OK);
	CHECK_CONTAINS(S.srv.last_req, "sekrit"); /* it was sent... */
	CHECK_CONTAINS(logged, "GET /webhooks/123456789012345678/[REDACTED] -> 200");
	CHECK_NOT_CONTAINS(logged, tok); /* ...but never logged */
	CHECK_NOT_CONTAINS(logged, "sekrit");
	CHECK_NOT_CONTAINS(logged, "wait=true");
}

int main(void)
{
	/* A watchdog: a callback that never comes must fail, not hang. */
	alarm(120);
	T_RUN(test_one_loop_serves_all);
	T_RUN(test_hooks_run_newest_first);
	T_RUN(test_timers_repeat_and_restart);
	T_RUN(test_sigterm_shuts_down);
	T_RUN(test_second_signal_exits);
	T_RUN(test_long_line_is_cut_not_lost);
	T_RUN(test_stdin_regular_file);
	T_RUN(test_stdin_eof_on_shutdown);
	T_RUN(test_too_big_with_length);
	T_RUN(test_too_big_streamed);
	T_RUN(test_exactly_the_cap_fits);
	T_RUN(test_closed_port_is_enet);
	T_RUN(test_post_body_and_method);
	T_RUN(test_bad_requests_refused);
	T_RUN(test_shutdown_drains_requests);
	T_RUN(test_cancel_all_completes_with_enet);
	T_RUN(test_cleanup_completes_pending);
	T_RUN(test_log_hides_tokens);
	return t_done();
}
