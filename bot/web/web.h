/*
 * web.h - the bot's own web server (libwebsockets HTTP on the one libuv
 * loop): the model-answer pages every reply links to, the topic index
 * and search, /healthz and /metrics. Pages are server-rendered HTML that
 * works without JavaScript; Markdown goes through cmark, whose default
 * refuses raw HTML, and every other text is escaped.
 */
#ifndef BOT_WEB_H
#define BOT_WEB_H

#include "bank/content.h"
#include "base/loop.h"
#include "base/util.h"
#include "store/store.h"

struct web;

struct web_deps {
	struct loop *loop;
	const struct content *content;
	struct store *store;
	const char *public_base_url; /* for absolute links; may be "" */
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

/* Renders the page for path ("/q/caching-ttl") into body; the HTTP status. For tests. */
int web_render(const struct web_deps *deps, const char *path, const char *query, struct buf *body,
               const char **content_type);

#endif
