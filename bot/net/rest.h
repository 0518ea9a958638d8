/*
 * rest.h - the HTTP client: libcurl's multi socket API driven by the one
 * event loop (curl's sockets on uv_poll handles, its timeout on a uv_timer),
 * so requests never block the loop.
 *
 * It owns the curl multi handle, each transfer's easy handle and buffers,
 * and the libuv handles it puts on the loop. It knows nothing of Discord or
 * Slack: rate limits and JSON live above it. Header values are never logged
 * (Authorization carries tokens); a log line names the method, the URL path
 * with token-like segments blanked, and the status.
 */
#ifndef BOT_NET_REST_H
#define BOT_NET_REST_H

#include <stdbool.h>
#include <sys/queue.h>
#include <stddef.h>

#include "base/err.h"
#include "base/loop.h"

#define REST_DEFAULT_TIMEOUT_MS   30000L
#define REST_DEFAULT_MAX_RESPONSE (1024u * 1024u)
/* Response headers kept per transfer; more fails with BOT_ETOOBIG. */
#define REST_MAX_HEADERS_BYTES (64u * 1024u)

struct rest_xfer;
struct rest_sock;

struct rest {
	struct loop *loop;
	void *multi;                  /* CURLM *, NULL once released */
	uv_timer_t *timer;            /* curl's timeout; heap, freed by its close callback */
	LIST_HEAD(, rest_xfer) xfers; /* transfers in flight */
	LIST_HEAD(, rest_sock) socks; /* sockets curl asked us to watch */
	bool draining;                /* no new requests: shutting down */
};

/* Everything is borrowed for the duration of rest_request() only. */
struct rest_req {
	const char *method;         /* "GET", "POST", "PATCH"...; NULL means GET */
	const char *url;            /* absolute http:// or https:// URL */
	const char *const *headers; /* "Name: value" strings */
	size_t nheaders;
	const void *body; /* sent as is; NULL for none */
	size_t body_len;
	long timeout_ms;     /* whole transfer; 0 means REST_DEFAULT_TIMEOUT_MS */
	size_t max_response; /* body cap in bytes; 0 means REST_DEFAULT_MAX_RESPONSE */
};

/*
 * A finished transfer, valid during the callback only. err is about the
 * transport: BOT_OK whenever a whole response arrived, whatever its status
 * (a 429 or 500 is BOT_OK with that status); BOT_ENET for connection
 * failures, timeouts and cancelled requests; BOT_ETOOBIG when the body
 * passed max_response or the headers REST_MAX_HEADERS_BYTES. status is 0
 * when no response line arrived.
 */
struct rest_resp {
	enum bot_err err;
	long status;
	const char *body; /* NUL-terminated, never NULL, "" when empty */
	size_t body_len;
	const char *hdrs; /* private: use rest_resp_header() */
	size_t hdrs_len;  /* private */
};

typedef void (*rest_done_fn)(const struct rest_resp *resp, void *arg);

/*
 * Creates the multi handle on l and registers a shutdown hook: when the loop
 * shuts down, new requests are refused, those in flight may finish (each
 * within its timeout), then rest closes its handles so the loop can end.
 * BOT_ENOMEM if curl cannot start; BOT_EINVAL or BOT_ETOOBIG if the hook
 * cannot be registered (shutdown started, or too many hooks).
 */
int rest_init(struct rest *r, struct loop *l);

/*
 * Completes every pending request with BOT_ENET (callbacks run now), closes
 * rest's handles (their memory is freed by the loop's next iteration, which
 * loop_run() or loop_cleanup() provides) and removes the shutdown hook. Safe
 * after the loop's shutdown. Must not be called from a rest callback.
 */
void rest_cleanup(struct rest *r);

/*
 * Starts req. On BOT_OK, done(resp, arg) runs exactly once, later, from the
 * loop (never inside this call); on an error it never runs. Errors:
 * BOT_EINVAL for a missing URL, a URL that is not http(s), a bad method or a
 * header that is not one "Name: value" line; BOT_ENET once rest is shutting
 * down; BOT_ENOMEM if curl cannot allocate. done may start new requests.
 */
int rest_request(struct rest *r, const struct rest_req *req, rest_done_fn done, void *arg);

/*
 * Completes every request in flight now with BOT_ENET; their callbacks run
 * before this returns. rest stays usable for new requests.
 */
void rest_cancel_all(struct rest *r);

/* Requests in flight. */
size_t rest_pending(const struct rest *r);

/*
 * The value of response header name (case-insensitive, without the colon),
 * leading blanks removed; the first one if it was sent several times; NULL
 * if absent. Valid as long as resp is. Only the final response's headers
 * count (not those of a "100 Continue").
 */
const char *rest_resp_header(const struct rest_resp *resp, const char *name);

/*
 * The path of url as log lines show it: no host or query, and every
 * token-like segment blanked (an interaction's token is a credential).
 */
void rest_log_path(const char *url, char *out, size_t size);

#endif
