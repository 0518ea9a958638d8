/*
 * page.h - the public pages: the topic index, a topic, a question with its
 * answer behind a reveal, search, and the error pages. Pure: they read the
 * bank and write HTML, so tests render them without a socket.
 */
#ifndef BOT_WEB_PAGE_H
#define BOT_WEB_PAGE_H

#include "bank/content.h"
#include "web/html.h"
#include "web/search.h"

/*
 * The page at path ("/q/caching-ttl"); its HTTP status (404 writes the
 * not-found page). ix serves /search; NULL (a static copy) has no search.
 */
int page_render(const struct content *c, const struct search *ix, struct html *h, const char *path,
                const char *query);
/* A 404 or 405 page in the site's style, for path. */
void page_error(struct html *h, int status, const char *path);

#endif
