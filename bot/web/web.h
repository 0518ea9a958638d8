/*
 * web.h - the bot's own web server (libwebsockets HTTP on the one libuv
 * loop): the model-answer pages every reply links to, the topic index and
 * search, the private progress pages, /healthz and /metrics. Pages are
 * server-rendered HTML that works without JavaScript (see page.h,
 * progress.h); this file is HTTP: methods, caching, limits, headers.
 */
#ifndef BOT_WEB_H
#define BOT_WEB_H

#include <stdbool.h>

#include "bank/content.h"
#include "base/loop.h"
#include "base/metrics.h"
#include "base/util.h"
#include "store/store.h"

struct web;

struct web_deps {
	struct loop *loop;
	const struct content *content;
	struct store *store;
	const char *default_tz;  /* streak days and board periods of the private pages */
	struct metrics *metrics; /* what /metrics shows; may be NULL */
	/*
	 * Appends the connections' states to /healthz as JSON objects
	 * ({"name":"console","state":"up"},...) and clears *healthy when one
	 * is down. May be NULL.
	 */
	void (*health)(void *arg, struct buf *json, bool *healthy);
	void *health_arg;
};

/*
 * Listens on host:port (port 0: a free one, see web_port()). BOT_EIO with
 * the reason and the key to change in err when it cannot listen (a port
 * in use, an address not on this machine). Shut down with the loop.
 */
int web_start(struct web **out, const struct web_deps *deps, const char *host, int port,
              struct buf *err);
/* The port listened on. */
int web_port(const struct web *w);
/* Call once the loop has run after shutdown. */
void web_free(struct web *w);

/*
 * Writes the public pages (the index, every topic and question, the stylesheet) under dir as
 * static files with relative links (index.html, t/<slug>.html,
 * q/<id>.html, style.css). BOT_EIO with the file and reason in err.
 */
int web_export_site(const struct content *c, const char *dir, size_t *files, struct buf *err);

#endif
