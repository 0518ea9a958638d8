/*
 * loop.c - the process's one libuv loop: signal watchers, the ordered
 * shutdown, loop-owned timers and the stdin line reader. The loop owns only
 * the handles created here; others' handles are theirs to close.
 */
#include "base/loop.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#define MOD        "loop"
#define READ_CHUNK 65536

/* A started timer's handle. Heap-allocated because libuv needs the memory
 * until the close callback, which runs after loop_timer_stop() returns. */
struct loop_timer_node {
	uv_timer_t h; /* first, so the handle's address is the node's */
	struct loop *loop;
	struct loop_timer *owner; /* NULL once stopped */
	void (*cb)(void *arg);
	void *arg;
	LIST_ENTRY(loop_timer_node) link;
};

enum stdin_kind { STDIN_STREAM, STDIN_FILE };

struct loop_stdin {
	struct loop *loop;
	enum stdin_kind kind;
	union {
		uv_handle_t handle;
		uv_stream_t stream;
		uv_tty_t tty;
		uv_pipe_t pipe;
	} u;
	uv_fs_t req;   /* the file read in flight (STDIN_FILE) */
	bool reading;  /* req is in flight: its callback frees a finished reader */
	bool finished; /* on_eof has run; only memory remains to release */
	void (*on_line)(const struct loop_line *line, void *arg);
	void (*on_eof)(void *arg);
	void *arg;
	size_t len;           /* bytes of the current line kept */
	size_t dropped;       /* bytes of the current line past LOOP_LINE_MAX */
	size_t dropped_chars; /* code points among them */
	bool cr;              /* the current line's last byte so far is '\r' */
	char line[LOOP_LINE_MAX + 1];
	char chunk[READ_CHUNK];
};

static void shutdown_now(struct loop *l);
static void stdin_finish(struct loop_stdin *in, bool flush);

/* ---- signals and shutdown ---- */

static void on_signal(uv_signal_t *h, int signum)
{
	struct loop *l = h->data;

	l->signals++;
	if (l->signals > 1) {
		/* The operator does not want to wait for the drain. _exit, not
		 * exit: atexit handlers could touch state mid-operation. */
		LOG_E(MOD, "second signal (%s): exiting now without a clean shutdown",
		      strsignal(signum));
		_exit(128 + signum);
	}
	LOG_I(MOD, "%s: shutting down (send it again to exit at once)", strsignal(signum));
	shutdown_now(l);
}

static void on_stop_timer(uv_timer_t *h)
{
	shutdown_now(h->data);
}

static void run_hooks(struct loop *l)
{
	/* Pop one at a time: a hook may remove hooks that have not run yet. */
	while (l->nhooks > 0) {
		struct loop_hook h = l->hooks[--l->nhooks];
		h.fn(h.arg);
	}
}

static void close_timers(struct loop *l);

static void shutdown_now(struct loop *l)
{
	size_t i;

	if (l->shut_down)
		return;
	l->stopping = true;
	l->shut_down = true;
	uv_timer_stop(&l->stop_timer);
	run_hooks(l);
	close_timers(l);
	if (l->in != NULL)
		stdin_finish(l->in, false);
	/* The watchers stay, so a second signal still exits at once, but they
	 * no longer keep the loop alive: it ends when the owners' handles do. */
	for (i = 0; i < l->nsig; i++)
		uv_unref((uv_handle_t *)&l->sig[i]);
}

void loop_stop(struct loop *l)
{
	if (l->stopping)
		return;
	l->stopping = true;
	uv_timer_start(&l->stop_timer, on_stop_timer, 0, 0);
}

bool loop_stopping(const struct loop *l)
{
	return l->stopping;
}

int loop_on_shutdown(struct loop *l, void (*fn)(void *arg), void *arg)
{
	if (l->shut_down)
		return BOT_EINVAL;
	if (l->nhooks == LOOP_MAX_HOOKS)
		return BOT_ETOOBIG;
	l->hooks[l->nhooks].fn = fn;
	l->hooks[l->nhooks].arg = arg;
	l->nhooks++;
	return BOT_OK;
}

void loop_remove_shutdown(struct loop *l, void (*fn)(void *arg), void *arg)
{
	size_t i = l->nhooks;

	while (i > 0) {
		i--;
		if (l->hooks[i].fn == fn && l->hooks[i].arg == arg) {
			memmove(&l->hooks[i], &l->hooks[i + 1],
			        (l->nhooks - i - 1) * sizeof(l->hooks[0]));
			l->nhooks--;
			return;
		}
	}
}

/* ---- life cycle ---- */

static void close_own(struct loop *l)
{
	size_t i;

	if (l->closed)
		return;
	l->closed = true;
	for (i = 0; i < l->nsig; i++)
		uv_close((uv_handle_t *)&l->sig[i], NULL);
	uv_close((uv_handle_t *)&l->stop_timer, NULL);
}

static int start_signals(struct loop *l)
{
	static const int signums[] = {SIGINT, SIGTERM};
	size_t i;
	int rc;

	for (i = 0; i < UTIL_ARRAY_LEN(signums); i++) {
		rc = uv_signal_init(&l->uv, &l->sig[i]);
		if (rc != 0)
			goto fail;
		l->nsig++;
		l->sig[i].data = l;
		rc = uv_signal_start(&l->sig[i], on_signal, signums[i]);
		if (rc != 0)
			goto fail;
	}
	return 0;
fail:
	LOG_E(MOD, "cannot watch %s: %s", strsignal(signums[i]), uv_strerror(rc));
	return rc;
}

int loop_init(struct loop *l)
{
	int rc;

	memset(l, 0, sizeof(*l));
	LIST_INIT(&l->timers);
	rc = uv_loop_init(&l->uv);
	if (rc != 0) {
		LOG_E(MOD, "cannot create the event loop: %s", uv_strerror(rc));
		return BOT_EIO;
	}
	/* A peer that hangs up must give a write error (EPIPE) to the handle's
	 * owner, not kill the process: libuv writes with plain write(2). */
	signal(SIGPIPE, SIG_IGN);
	uv_timer_init(&l->uv, &l->stop_timer);
	l->stop_timer.data = l;
	rc = start_signals(l);
	if (rc != 0) {
		close_own(l);
		uv_run(&l->uv, UV_RUN_DEFAULT);
		uv_loop_close(&l->uv);
		return BOT_EIO;
	}
	return BOT_OK;
}

uv_loop_t *loop_uv(struct loop *l)
{
	return &l->uv;
}

int loop_run(struct loop *l)
{
	for (;;) {
		int alive = uv_run(&l->uv, UV_RUN_DEFAULT);
		/* uv_run only returns early if someone called uv_stop(); before
		 * shutdown the ref'd signal watchers keep it running. Either way
		 * the only way out is through the hooks. */
		if (!l->shut_down) {
			shutdown_now(l);
			continue;
		}
		if (alive == 0)
			break;
	}
	close_own(l);
	uv_run(&l->uv, UV_RUN_DEFAULT);
	return BOT_OK;
}

static const char *type_name(uv_handle_type type)
{
	const char *s = uv_handle_type_name(type);
	return s != NULL ? s : "unknown";
}

static void count_handle(uv_handle_t *h, void *arg)
{
	size_t *n = arg;

	if (!uv_is_closing(h)) {
		LOG_W(MOD, "handle still open at cleanup: %s", type_name(uv_handle_get_type(h)));
		(*n)++;
	}
}

void loop_cleanup(struct loop *l)
{
	size_t nopen = 0;
	int rc;

	shutdown_now(l);
	close_own(l);
	uv_run(&l->uv, UV_RUN_DEFAULT);
	rc = uv_loop_close(&l->uv);
	if (rc != 0) {
		uv_walk(&l->uv, count_handle, &nopen);
		LOG_W(MOD, "event loop not closed: %zu handles still open (%s)", nopen,
		      uv_strerror(rc));
	}
}

/* ---- timers ---- */

static void free_node(uv_handle_t *h)
{
	free(h->data);
}

static void node_close(struct loop_timer_node *n)
{
	if (n->owner != NULL)
		n->owner->node = NULL;
	n->owner = NULL;
	LIST_REMOVE(n, link);
	uv_close((uv_handle_t *)&n->h, free_node);
}

static void close_timers(struct loop *l)
{
	while (!LIST_EMPTY(&l->timers))
		node_close(LIST_FIRST(&l->timers));
}

static void on_timer(uv_timer_t *h)
{
	struct loop_timer_node *n = h->data;
	void (*cb)(void *) = n->cb;
	void *arg = n->arg;

	/* Retire a one-shot timer first, so cb may start it again. */
	if (uv_timer_get_repeat(h) == 0)
		node_close(n);
	cb(arg);
}

static struct loop_timer_node *node_new(struct loop *l, struct loop_timer *t)
{
	struct loop_timer_node *n = xcalloc(1, sizeof(*n));

	uv_timer_init(&l->uv, &n->h);
	n->h.data = n;
	n->loop = l;
	n->owner = t;
	LIST_INSERT_HEAD(&l->timers, n, link);
	t->node = n;
	return n;
}

int loop_timer_start(struct loop *l, struct loop_timer *t, uint64_t ms, uint64_t repeat_ms,
                     void (*cb)(void *arg), void *arg)
{
	struct loop_timer_node *n = t->node;

	if (l->shut_down || cb == NULL)
		return BOT_EINVAL;
	if (n == NULL)
		n = node_new(l, t);
	n->cb = cb;
	n->arg = arg;
	uv_timer_start(&n->h, on_timer, ms, repeat_ms);
	return BOT_OK;
}

void loop_timer_stop(struct loop_timer *t)
{
	if (t->node != NULL)
		node_close(t->node);
}

bool loop_timer_active(const struct loop_timer *t)
{
	return t->node != NULL;
}

/* ---- stdin ---- */

/* Appends n bytes of the current line, keeping at most LOOP_LINE_MAX. */
static void append(struct loop_stdin *in, const char *p, size_t n)
{
	size_t room = LOOP_LINE_MAX - in->len;
	size_t keep = n < room ? n : room;

	memcpy(in->line + in->len, p, keep);
	in->len += keep;
	in->dropped += n - keep;
	in->dropped_chars += util_utf8_chars(p + keep, n - keep);
	if (n > 0)
		in->cr = p[n - 1] == '\r';
}

static void deliver(struct loop_stdin *in)
{
	struct loop_line line;
	size_t len = in->len;

	/* The '\r' of "\r\n" is not content: it neither counts towards the
	 * cap nor makes a line of exactly LOOP_LINE_MAX bytes "cut". */
	if (in->cr && in->dropped > 0) {
		in->dropped--;
		in->dropped_chars--;
	} else if (in->cr) {
		len--;
	}
	if (in->dropped > 0)
		LOG_W(MOD, "stdin line of %zu bytes cut to its first %d", in->len + in->dropped,
		      LOOP_LINE_MAX);
	in->line[len] = '\0';
	line.text = in->line;
	line.len = len;
	line.chars = util_utf8_chars(in->line, len) + in->dropped_chars;
	in->len = 0;
	in->dropped = 0;
	in->dropped_chars = 0;
	in->cr = false;
	in->on_line(&line, in->arg);
}

static void feed(struct loop_stdin *in, const char *p, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl != NULL ? (size_t)(nl - p) : n;

		append(in, p, take);
		if (nl == NULL)
			return;
		deliver(in);
		/* After "/quit" the lines already read are not commands to run. */
		if (in->loop->stopping)
			return;
		p += take + 1;
		n -= take + 1;
	}
}

static void on_stdin_closed(uv_handle_t *h)
{
	free(h->data);
}

/* Ends the reader: on_eof exactly once, and its handle or request released. */
static void stdin_finish(struct loop_stdin *in, bool flush)
{
	void (*on_eof)(void *arg) = in->on_eof;
	void *arg = in->arg;

	if (in->finished)
		return;
	if (flush && (in->len > 0 || in->dropped > 0))
		deliver(in);
	in->finished = true;
	if (in->loop->in == in)
		in->loop->in = NULL;
	if (in->kind == STDIN_STREAM) {
		uv_read_stop(&in->u.stream);
		uv_close(&in->u.handle, on_stdin_closed);
	} else if (in->reading) {
		/* The read callback frees it; a read of a file does not block
		 * for long, so waiting for it is bounded. */
		uv_cancel((uv_req_t *)&in->req);
	} else {
		free(in);
	}
	on_eof(arg);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	struct loop_stdin *in = h->data;

	(void)hint;
	*b = uv_buf_init(in->chunk, sizeof(in->chunk));
}

static void on_stream_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct loop_stdin *in = s->data;

	if (n > 0) {
		feed(in, b->base, (size_t)n);
		return;
	}
	if (n == 0)
		return;
	if (n != UV_EOF)
		LOG_W(MOD, "reading stdin: %s", uv_strerror((int)n));
	stdin_finish(in, true);
}

static void on_file_read(uv_fs_t *req);

static int file_read_next(struct loop_stdin *in)
{
	uv_buf_t b = uv_buf_init(in->chunk, sizeof(in->chunk));
	int rc;

	in->req.data = in;
	rc = uv_fs_read(&in->loop->uv, &in->req, STDIN_FILENO, &b, 1, -1, on_file_read);
	if (rc == 0)
		in->reading = true;
	return rc;
}

static void on_file_read(uv_fs_t *req)
{
	struct loop_stdin *in = req->data;
	ssize_t n = req->result;

	uv_fs_req_cleanup(req);
	in->reading = false;
	if (in->finished) {
		free(in);
		return;
	}
	if (n > 0) {
		feed(in, in->chunk, (size_t)n);
		n = file_read_next(in);
		if (n == 0)
			return;
	}
	if (n < 0)
		LOG_W(MOD, "reading stdin: %s", uv_strerror((int)n));
	stdin_finish(in, true);
}

/* Opens a dup of fd 0 as a stream, so closing the handle leaves fd 0 open
 * and a later socket never lands on descriptor 0. */
static int stream_init(struct loop_stdin *in, uv_handle_type type, int fd)
{
	uv_os_fd_t owned;
	int rc;

	if (type == UV_TTY) {
		/* Fails before libuv registers the handle: nothing to close. */
		rc = uv_tty_init(&in->loop->uv, &in->u.tty, fd, 1);
		if (rc != 0) {
			close(fd);
			return rc;
		}
		in->u.handle.data = in;
		/* libuv may reopen the terminal and dup2() it over fd, keeping
		 * the new descriptor; then fd is ours to close. */
		if (uv_fileno(&in->u.handle, &owned) == 0 && owned != fd)
			close(fd);
		return 0;
	}
	uv_pipe_init(&in->loop->uv, &in->u.pipe, 0);
	in->u.handle.data = in;
	rc = uv_pipe_open(&in->u.pipe, fd);
	if (rc != 0) {
		close(fd);
		in->finished = true;
		uv_close(&in->u.handle, on_stdin_closed);
	}
	return rc;
}

/* On failure, in has been released if libuv knew of its handle
 * (in->finished is then set); the caller frees it otherwise. */
static int stream_open(struct loop_stdin *in, uv_handle_type type)
{
	int fd = dup(STDIN_FILENO);
	int rc;

	if (fd < 0)
		return UV_EBADF;
	rc = stream_init(in, type, fd);
	if (rc != 0)
		return rc;
	rc = uv_read_start(&in->u.stream, on_alloc, on_stream_read);
	if (rc != 0) {
		in->finished = true;
		uv_close(&in->u.handle, on_stdin_closed);
	}
	return rc;
}

int loop_stdin_start(struct loop *l, void (*on_line)(const struct loop_line *line, void *arg),
                     void (*on_eof)(void *arg), void *arg)
{
	uv_handle_type type = uv_guess_handle(STDIN_FILENO);
	struct loop_stdin *in;
	int rc;

	if (l->shut_down || l->in != NULL || on_line == NULL || on_eof == NULL)
		return BOT_EINVAL;
	in = xcalloc(1, sizeof(*in));
	in->loop = l;
	in->on_line = on_line;
	in->on_eof = on_eof;
	in->arg = arg;
	if (type == UV_TTY || type == UV_NAMED_PIPE) {
		in->kind = STDIN_STREAM;
		rc = stream_open(in, type);
		if (rc != 0 && !in->finished)
			free(in);
	} else if (type == UV_FILE) {
		in->kind = STDIN_FILE;
		rc = file_read_next(in);
		if (rc != 0)
			free(in);
	} else {
		rc = UV_EINVAL;
		free(in);
	}
	if (rc != 0) {
		LOG_W(MOD, "cannot read stdin (%s): %s", type_name(type), uv_strerror(rc));
		return BOT_EINVAL;
	}
	l->in = in;
	return BOT_OK;
}
