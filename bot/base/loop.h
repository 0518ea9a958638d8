/*
 * loop.h - the process's one event loop (a libuv loop) and what the loop
 * itself owns: SIGINT/SIGTERM handling, the ordered shutdown, one-shot and
 * repeating timers, and the line reader on standard input.
 *
 * Everything in the process runs on this loop's thread, so nothing here
 * locks. Other pieces (curl's multi handle, libwebsockets as a foreign loop)
 * put their own handles on loop_uv(); the loop never closes a handle it did
 * not create. Shutdown is cooperative: the first signal or loop_stop() runs
 * the registered shutdown hooks (newest first), closes the loop's own
 * timers and the stdin reader, and loop_run() returns once every handle on
 * the loop has been closed by its owner.
 */
#ifndef BOT_LOOP_H
#define BOT_LOOP_H

#include <stdbool.h>
#include <sys/queue.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#define LOOP_MAX_HOOKS 16
/* Longest stdin line delivered; the rest of a longer line is dropped. */
#define LOOP_LINE_MAX 16384

struct loop_timer_node;
struct loop_stdin;

/* One line of standard input, valid during the callback. */
struct loop_line {
	const char *text; /* the line without its "\n" or "\r\n"; text[len] is NUL */
	size_t len;       /* bytes kept: at most LOOP_LINE_MAX, and may hold NUL bytes */
	size_t chars;     /* UTF-8 code points of the whole line as sent, cut part included */
};

struct loop_hook {
	void (*fn)(void *arg);
	void *arg;
};

struct loop {
	uv_loop_t uv;
	uv_signal_t sig[2];    /* SIGINT, SIGTERM */
	size_t nsig;           /* signal handles initialised (to close) */
	uv_timer_t stop_timer; /* defers loop_stop() out of the caller's stack */
	bool stopping;         /* loop_stop() or a signal asked for shutdown */
	bool shut_down;        /* the hooks have run; no new work accepted */
	bool closed;           /* the loop's own handles are closed */
	int signals;           /* signals received */
	struct loop_hook hooks[LOOP_MAX_HOOKS];
	size_t nhooks;
	LIST_HEAD(, loop_timer_node) timers; /* started loop_timers */
	struct loop_stdin *in;               /* the stdin reader, if started */
};

/*
 * A timer the loop owns the libuv handle of, so a caller may free or reuse
 * its struct loop_timer right after loop_timer_stop(). Zero it (or use
 * LOOP_TIMER_INIT) before the first loop_timer_start().
 */
struct loop_timer {
	struct loop_timer_node *node; /* private */
};
#define LOOP_TIMER_INIT                                                                            \
	{                                                                                          \
		NULL                                                                               \
	}

/*
 * Initialises the libuv loop, starts watching SIGINT and SIGTERM, and sets
 * SIGPIPE to be ignored for the process (a write to a closed peer then
 * fails with EPIPE instead of killing the bot). BOT_EIO if libuv refuses;
 * l is then left cleaned up.
 */
int loop_init(struct loop *l);

/*
 * Shuts down if that has not happened yet, closes the loop's own handles,
 * runs the loop until pending close callbacks (the loop's and other
 * modules') have run, and closes the libuv loop. Call it after the owners of
 * other handles have closed them (rest_cleanup() and the like); a handle
 * still open is logged, and then the libuv loop is left unclosed.
 */
void loop_cleanup(struct loop *l);

/* The libuv loop, for modules that put their own handles on it. */
uv_loop_t *loop_uv(struct loop *l);

/*
 * Runs the loop until it has been stopped (signal or loop_stop()) and every
 * handle on it is closed, then closes the signal watchers, so a signal
 * during the caller's cleanup has its default effect. Returns BOT_OK.
 */
int loop_run(struct loop *l);

/*
 * Asks for the same shutdown a first SIGINT/SIGTERM starts. The hooks run
 * from a fresh loop iteration, never inside the caller's stack, so a
 * callback may call this and carry on. Calling it again does nothing.
 */
void loop_stop(struct loop *l);

/* True once shutdown has been asked for (loop_stop() or a signal). */
bool loop_stopping(const struct loop *l);

/*
 * Registers fn(arg) to run once when shutdown starts. Hooks run newest
 * first, so pieces started later stop first and may still use the pieces
 * they depend on (a last REST call while the REST client drains). A hook
 * should close its owner's handles or start closing them; it must not block.
 * BOT_ETOOBIG when LOOP_MAX_HOOKS are registered, BOT_EINVAL once shutdown
 * has started (the hook would never run).
 */
int loop_on_shutdown(struct loop *l, void (*fn)(void *arg), void *arg);

/*
 * Forgets the newest hook registered with this fn and arg; a module calls it
 * from its cleanup so the loop never calls into a cleaned-up module. Does
 * nothing if there is no such hook (it may already have run).
 */
void loop_remove_shutdown(struct loop *l, void (*fn)(void *arg), void *arg);

/*
 * Starts (or restarts, replacing callback and times) t: cb(arg) runs after
 * ms milliseconds, then every repeat_ms if that is not 0. A one-shot timer is
 * inactive again when cb runs, so cb may restart it. At shutdown, after the
 * hooks, the loop stops every timer still running: a repeating timer would
 * otherwise keep the process alive. BOT_EINVAL once shutdown has started.
 */
int loop_timer_start(struct loop *l, struct loop_timer *t, uint64_t ms, uint64_t repeat_ms,
                     void (*cb)(void *arg), void *arg);

/* Stops t; its callback will not run again. Safe on a stopped timer. */
void loop_timer_stop(struct loop_timer *t);

/* True while t is started and has not yet fired its last time. */
bool loop_timer_active(const struct loop_timer *t);

/*
 * Reads standard input on the loop, whether it is a terminal, a pipe or
 * socket, or a regular file (or /dev/null). on_line(line, len, arg) runs for
 * each line with the trailing "\n" or "\r\n" removed; line is NUL-terminated
 * and valid during the call only. A line longer than LOOP_LINE_MAX bytes is
 * delivered cut to LOOP_LINE_MAX bytes, with a warning logged. At end of
 * input a final unterminated line is delivered, then on_eof(arg).
 *
 * on_eof runs exactly once: at end of input, after a read error (logged), or
 * when the loop shuts down (a partial line is then dropped). fd 0 stays open.
 * BOT_EINVAL if a reader is already running, shutdown has started, or
 * standard input is of a kind that cannot be read this way; on an error
 * neither callback runs.
 */
int loop_stdin_start(struct loop *l, void (*on_line)(const struct loop_line *line, void *arg),
                     void (*on_eof)(void *arg), void *arg);

#endif
