/*
 * ws.h - the WebSocket client (RFC 6455) the Discord gateway and Slack
 * Socket Mode share: libwebsockets on the one libuv loop as a foreign
 * loop, text messages reassembled from their frames up to a cap, pings
 * answered by the library, and one close path for every way a connection
 * ends, so the layers above have a single place to decide on reconnecting.
 *
 * It knows nothing of Discord or Slack. A URL's query is sent as given
 * and never logged (Slack's carries a ticket); neither are messages.
 */
#ifndef BOT_NET_WS_H
#define BOT_NET_WS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/loop.h"

#define WS_DEFAULT_MAX_MESSAGE (2u * 1024u * 1024u)
/* on_close codes for ends without a close frame (never sent on the wire, RFC 6455 §7.4.1). */
#define WS_CLOSE_NO_STATUS 1005 /* a close frame without a code */
#define WS_CLOSE_ABNORMAL  1006 /* the connection dropped, failed or timed out */

struct ws_lib;
struct ws;

struct ws_cbs {
	/* The handshake succeeded; sending is possible from now. */
	void (*on_open)(void *arg);
	/* One whole text message, valid during the call (n bytes, NUL-terminated). */
	void (*on_text)(void *arg, const char *s, size_t n);
	/*
	 * The connection is over, whichever side ended it: code is the peer's
	 * close code, the one ws_close() sent, or WS_CLOSE_ABNORMAL (also for a
	 * failed connect, with opened false). The struct ws is freed after
	 * this returns; it is called exactly once per ws_connect() that
	 * returned BOT_OK.
	 */
	void (*on_close)(void *arg, int code, const char *reason, bool opened);
};

struct ws_opts {
	const char *url;        /* ws:// or wss:// with path and query */
	size_t max_message;     /* bigger messages are skipped and logged; 0: the default */
	const char *user_agent; /* or NULL */
	/*
	 * Keep-alive for protocols without their own heartbeat (Slack): after
	 * ping_idle_s without a valid frame a ping goes out, and after
	 * hangup_idle_s the connection is dropped (on_close: 1006), so a
	 * half-open socket is found. 0: none (Discord heartbeats itself).
	 */
	unsigned ping_idle_s, hangup_idle_s;
};

/*
 * The libwebsockets context on loop l, for every connection of the
 * process. At the loop's shutdown every connection is closed (1001, with
 * a moment for the close handshake; each gets its on_close) and the
 * context's takedown starts; ws_lib_free() finishes it after the loop has
 * run. BOT_EIO when libwebsockets refuses (its libuv plugin missing).
 */
int ws_lib_new(struct ws_lib **out, struct loop *l);
/* Sends libwebsockets' own warnings and errors to our log (process-wide; the web server calls it
 * too). */
void ws_log_to_ours(void);
/* Call once the loop has run after shutdown (or before it ever started). */
void ws_lib_free(struct ws_lib *lib);

/*
 * Starts connecting; the result arrives as on_open or on_close. BOT_EINVAL
 * for a URL that is not ws:// or wss:// (nothing started), BOT_ENET when
 * libwebsockets cannot start the connection.
 */
int ws_connect(struct ws_lib *lib, const struct ws_opts *o, const struct ws_cbs *cb, void *arg,
               struct ws **out);
/* Queues one text message; BOT_EINVAL once closing has begun. Messages go out in order. */
int ws_send(struct ws *w, const char *s, size_t n);
/* Sends a close frame with code and reason after what is queued, then ends. */
void ws_close(struct ws *w, int code, const char *reason);
/* Ends at once without a close frame, as a dropped connection would (on_close: 1006). */
void ws_drop(struct ws *w);

#endif
