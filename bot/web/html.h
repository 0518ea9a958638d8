/*
 * html.h - what every page shares: escaping, Markdown, the page frame and
 * the links between pages. A page is written for the server (links like
 * /q/<id>) or for a static copy on disk (export-site: relative links like
 * ../q/<id>.html, so they work from the file system too).
 */
#ifndef BOT_WEB_HTML_H
#define BOT_WEB_HTML_H

#include <stdbool.h>

#include "base/util.h"

struct html {
	struct buf *b;
	bool files;       /* a static copy: relative links to .html files */
	const char *root; /* from this page to the site's root: "/", "" or "../" */
};

/* The one stylesheet, served at /style.css (light and dark, no fonts to fetch). */
extern const char HTML_STYLE[];
/* The site's icon, served at /favicon.svg, so browsers do not ask for a missing /favicon.ico. */
extern const char HTML_ICON[];

void html_esc(struct buf *b, const char *s);
/* Markdown to HTML through cmark, which drops raw HTML and unsafe links by default. */
void html_markdown(struct buf *b, const char *md);
void html_head(struct html *h, const char *title);
void html_tail(struct html *h);
/* An href value: kind "q" or "t" with an id, "" for the index, "style.css". */
void html_href(struct html *h, const char *kind, const char *id);

#endif
