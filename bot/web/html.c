/*
 * html.c - the page frame and escaping. Everything from content or users
 * goes through html_esc or cmark; nothing else is written raw.
 */
#include "web/html.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

/*
 * Colours by custom properties, so dark mode is one block; every pair
 * keeps at least 4.5:1 contrast (WCAG AA), the muted grey too.
 * The .h0-.h4 classes are the heatmap's levels.
 */
const char HTML_ICON[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">"
                         "<rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#1d5fbf\"/>"
                         "<path d=\"M4 3h3.5a5 5 0 0 1 0 10H4z\" fill=\"#fff\"/></svg>\n";

const char HTML_STYLE[] =
    ":root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#595959;--link:#0b57d0;"
    "--code:#f0f0f0;--line:#d0d0d0;--bar:#0b57d0;--h0:#ebedf0;--h1:#9be9a8;--h2:#40c463;"
    "--h3:#30a14e;--h4:#216e39}\n"
    "@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#121212;--muted:#a8a8a8;"
    "--link:#8ab4f8;--code:#262626;--line:#3c3c3c;--bar:#8ab4f8;--h0:#2a2a2a;--h1:#0e4429;"
    "--h2:#006d32;--h3:#26a641;--h4:#39d353}}\n"
    "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "color:var(--fg);background:var(--bg)}\n"
    "a{color:var(--link)}code{background:var(--code);padding:0 .2em;border-radius:3px}\n"
    "pre{background:var(--code);padding:.6em;overflow:auto}pre code{padding:0}\n"
    "details{margin:1em 0;padding:.5em 1em;border:1px solid var(--line);border-radius:6px}\n"
    "summary{cursor:pointer;font-weight:600}.muted{color:var(--muted)}\n"
    "h1.question{font-size:1.45rem;line-height:1.35;font-weight:600}\n"
    ".wide{overflow-x:auto;direction:rtl}.wide svg{direction:ltr;max-width:none}\n"
    "table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:.2em .5em;"
    "text-align:left}\n"
    "input,button{font:inherit}svg{max-width:100%;height:auto}\n"
    "svg text{fill:var(--fg);font:12px system-ui,sans-serif}.bar{fill:var(--bar)}\n"
    ".track{fill:var(--code)}.h0{fill:var(--h0)}.h1{fill:var(--h1)}.h2{fill:var(--h2)}"
    ".h3{fill:var(--h3)}.h4{fill:var(--h4)}\n";

void html_esc(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *rep;
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		buf_add(b, run, (size_t)(s - run));
		buf_adds(b, rep);
		run = s + 1;
	}
	buf_add(b, run, (size_t)(s - run));
}

void html_markdown(struct buf *b, const char *md)
{
	char *out = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT);

	if (out != NULL) {
		buf_adds(b, out);
		free(out);
	}
}

void html_href(struct html *h, const char *kind, const char *id)
{
	buf_adds(h->b, h->root);
	if (strcmp(kind, "style.css") == 0 || strcmp(kind, "favicon.svg") == 0) {
		buf_adds(h->b, kind);
		return;
	}
	if (kind[0] == '\0') {
		if (h->files)
			buf_adds(h->b, "index.html");
		return;
	}
	buf_adds(h->b, kind);
	buf_adds(h->b, "/");
	html_esc(h->b, id);
	if (h->files)
		buf_adds(h->b, ".html");
}

void html_head(struct html *h, const char *title)
{
	buf_adds(h->b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	               "<title>");
	html_esc(h->b, title);
	buf_adds(h->b, " · drillbot</title>\n<link rel=\"stylesheet\" href=\"");
	html_href(h, "style.css", "");
	buf_adds(h->b, "\">\n<link rel=\"icon\" type=\"image/svg+xml\" href=\"");
	html_href(h, "favicon.svg", "");
	buf_adds(h->b, "\">\n</head>\n<body>\n<header><p class=\"muted\"><a href=\"");
	html_href(h, "", "");
	buf_adds(h->b, "\">drillbot</a> · backend interview drills</p></header>\n<main>\n");
}

void html_tail(struct html *h)
{
	buf_adds(h->b, "</main>\n</body>\n</html>\n");
}
