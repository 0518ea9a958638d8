/*
 * page.c - the public pages. The question comes first and its answer sits
 * behind <details>, which opens without JavaScript, so a page opened from
 * the daily drill does not spoil it.
 */
#include "web/page.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SEARCH_MAX 20
#define QUERY_MAX  200

static const char *const LEVELS[] = {"", "Warm-up", "Standard", "Senior"};

static void search_form(struct html *h, const char *q)
{
	if (h->files)
		return; /* a static copy has no server to search */
	buf_adds(h->b, "<form action=\"/search\" method=\"get\" role=\"search\">"
	               "<label for=\"q\">Search the questions</label> "
	               "<input id=\"q\" name=\"q\" type=\"search\" value=\"");
	html_esc(h->b, q);
	buf_adds(h->b, "\"> <button type=\"submit\">Search</button></form>\n");
}

/* The first sentence or line of the question, as its link text. */
static void question_title(struct buf *b, const struct content_question *q, size_t max)
{
	const char *s = q->question;
	size_t n = strcspn(s, "\n");

	if (n > max) {
		while (n > max / 2 && !isspace((unsigned char)s[n]))
			n--;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* never inside a UTF-8 sequence */
		buf_add(b, s, n);
		buf_adds(b, "…");
		return;
	}
	buf_add(b, s, n);
}

static void question_link(struct html *h, const struct content *c, const struct content_question *q)
{
	struct buf t;

	buf_init(&t, 256);
	question_title(&t, q, 160);
	buf_adds(h->b, "<li><a href=\"");
	html_href(h, "q", q->id);
	buf_adds(h->b, "\">");
	html_esc(h->b, buf_str(&t));
	buf_adds(h->b, "</a> <span class=\"muted\">· ");
	html_esc(h->b, c->topics[q->topic].name);
	buf_addf(h->b, " · %s</span></li>\n", LEVELS[q->difficulty]);
	buf_cleanup(&t);
}

static int page_index(const struct content *c, struct html *h)
{
	size_t t;

	html_head(h, "Topics");
	buf_addf(h->b,
	         "<h1>Backend interview questions</h1>\n<p>%zu questions in %zu topics.</p>\n",
	         c->nquestions, c->ntopics);
	search_form(h, "");
	buf_adds(h->b, "<ul>\n");
	for (t = 0; t < c->ntopics; t++) {
		buf_adds(h->b, "<li><a href=\"");
		html_href(h, "t", c->topics[t].slug);
		buf_adds(h->b, "\">");
		html_esc(h->b, c->topics[t].name);
		buf_addf(h->b, "</a> <span class=\"muted\">(%zu)</span></li>\n",
		         c->topics[t].nquestions);
	}
	buf_adds(h->b, "</ul>\n");
	html_tail(h);
	return 200;
}

static int page_topic(const struct content *c, struct html *h, const char *slug)
{
	const struct content_topic *tp = NULL;
	size_t t, i;
	int d;

	for (t = 0; t < c->ntopics && tp == NULL; t++)
		if (strcmp(c->topics[t].slug, slug) == 0)
			tp = &c->topics[t];
	if (tp == NULL)
		return 404;
	html_head(h, tp->name);
	buf_adds(h->b, "<h1>");
	html_esc(h->b, tp->name);
	buf_addf(h->b, "</h1>\n<p>%zu questions, warm-up to senior.</p>\n", tp->nquestions);
	for (d = 1; d <= 3; d++) {
		buf_addf(h->b, "<h2>%s</h2>\n<ul>\n", LEVELS[d]);
		for (i = 0; i < tp->nquestions; i++) {
			const struct content_question *q = &c->questions[tp->questions[i]];
			if (q->difficulty == d)
				question_link(h, c, q);
		}
		buf_adds(h->b, "</ul>\n");
	}
	html_tail(h);
	return 200;
}

static void text_list(struct html *h, const char *summary, const char *const *items, size_t n)
{
	size_t i;

	buf_addf(h->b, "<details><summary>%s</summary>\n<ul>\n", summary);
	for (i = 0; i < n; i++) {
		buf_adds(h->b, "<li>");
		html_esc(h->b, items[i]);
		buf_adds(h->b, "</li>\n");
	}
	buf_adds(h->b, "</ul>\n</details>\n");
}

/* The source lists' entries ("002#23") the question covers. */
static void sources(struct html *h, const struct content_question *q)
{
	size_t i;

	if (q->nsources == 0)
		return;
	buf_adds(h->b, "<p class=\"muted\">Covers source question");
	buf_adds(h->b, q->nsources > 1 ? "s " : " ");
	for (i = 0; i < q->nsources; i++) {
		const char *s = q->sources[i], *hash = strchr(s, '#');
		buf_adds(h->b, i > 0 ? ", " : "");
		if (hash != NULL) {
			buf_adds(h->b, "#");
			html_esc(h->b, hash + 1);
			buf_adds(h->b, " of list ");
			buf_add(h->b, s, (size_t)(hash - s)); /* digits, checked by the loader */
		} else {
			html_esc(h->b, s);
		}
	}
	buf_adds(h->b, ".</p>\n");
}

static void question_parts(struct html *h, const struct content_question *q)
{
	const char **items = xcalloc(q->npoints + q->nfollowups + 1, sizeof(*items));
	size_t i;

	buf_adds(h->b, "<details><summary>Model answer</summary>\n");
	html_markdown(h->b, q->answer);
	buf_adds(h->b, "</details>\n");
	for (i = 0; i < q->npoints; i++)
		items[i] = q->points[i].text;
	text_list(h, "Key points", items, q->npoints);
	for (i = 0; i < q->nfollowups; i++)
		items[i] = q->followups[i].text;
	if (q->nfollowups > 0)
		text_list(h, "Follow-ups", items, q->nfollowups);
	free(items);
}

/* The page's title is the question's first line, cut short for a browser tab. */
static void question_head(struct html *h, const struct content_question *q)
{
	struct buf t;

	buf_init(&t, 128);
	question_title(&t, q, 80);
	html_head(h, t.data != NULL ? t.data : q->id);
	buf_cleanup(&t);
}

/*
 * The question is the page's headline, as a reader expects. A question of
 * one paragraph goes into the <h1> itself (cmark's inline markup kept);
 * a longer one (a code block, a list) gets a plain heading above it.
 */
static void question_headline(struct html *h, const struct content_question *q)
{
	struct buf md;
	const char *s;
	size_t n;

	buf_init(&md, 512);
	html_markdown(&md, q->question);
	s = md.data != NULL ? md.data : "";
	n = md.len;
	if (n > 8 && strncmp(s, "<p>", 3) == 0 && strcmp(s + n - 5, "</p>\n") == 0 &&
	    strstr(s + 3, "<p>") == NULL && strchr(s, '\n') == s + n - 1) {
		buf_adds(h->b, "<h1 class=\"question\">");
		buf_add(h->b, s + 3, n - 8);
		buf_adds(h->b, "</h1>\n");
	} else {
		buf_adds(h->b, "<h1>The question</h1>\n<section>\n");
		buf_add(h->b, s, n);
		buf_adds(h->b, "</section>\n");
	}
	buf_cleanup(&md);
}

static int page_question(const struct content *c, struct html *h, const char *id)
{
	const struct content_question *q = content_find(c, id);
	size_t i;

	if (q == NULL)
		return 404;
	question_head(h, q);
	buf_adds(h->b, "<p class=\"muted\"><a href=\"");
	html_href(h, "t", c->topics[q->topic].slug);
	buf_adds(h->b, "\">");
	html_esc(h->b, c->topics[q->topic].name);
	buf_addf(h->b, "</a> · %s</p>\n", LEVELS[q->difficulty]);
	question_headline(h, q);
	question_parts(h, q);
	if (q->nrelated > 0) {
		buf_adds(h->b, "<h2>Related</h2>\n<ul>\n");
		for (i = 0; i < q->nrelated; i++) {
			const struct content_question *r = content_find(c, q->related[i]);
			if (r != NULL)
				question_link(h, c, r);
		}
		buf_adds(h->b, "</ul>\n");
	}
	sources(h, q);
	html_tail(h);
	return 200;
}

/* Decodes the application/x-www-form-urlencoded value of q= into out. */
static void query_value(const char *query, char *out, size_t size)
{
	const char *in = NULL, *p;
	size_t o = 0;

	for (p = query; p != NULL && in == NULL; p = strchr(p, '&'), p = p != NULL ? p + 1 : NULL)
		if (strncmp(p, "q=", 2) == 0)
			in = p + 2;
	for (; in != NULL && *in != '\0' && *in != '&' && o + 1 < size; in++) {
		if (*in == '+') {
			out[o++] = ' ';
		} else if (*in == '%' && isxdigit((unsigned char)in[1]) &&
		           isxdigit((unsigned char)in[2])) {
			char hex[3] = {in[1], in[2], '\0'};
			out[o++] = (char)strtol(hex, NULL, 16);
			in += 2;
		} else {
			out[o++] = *in;
		}
	}
	out[o] = '\0';
}

static int page_search(const struct content *c, const struct search *ix, struct html *h,
                       const char *query)
{
	char q[QUERY_MAX];
	size_t found[SEARCH_MAX], nhits, i;

	query_value(query, q, sizeof(q));
	nhits = search_run(ix, q, found, SEARCH_MAX);
	html_head(h, "Search");
	buf_adds(h->b, "<h1>Search</h1>\n");
	search_form(h, q);
	if (q[strspn(q, " \t\r\n")] == '\0') {
		buf_adds(h->b, "<p>Type a few words, e.g. <em>cache stampede</em>.</p>\n");
	} else {
		buf_addf(h->b, "<p>%zu result%s.</p>\n", nhits, nhits == 1 ? "" : "s");
		if (nhits > 0)
			buf_adds(h->b, "<ul>\n");
		for (i = 0; i < nhits && i < SEARCH_MAX; i++)
			question_link(h, c, &c->questions[found[i]]);
		if (nhits > 0)
			buf_adds(h->b, "</ul>\n");
	}
	html_tail(h);
	return 200;
}

void page_error(struct html *h, int status, const char *path)
{
	buf_reset(h->b);
	html_head(h, status == 405 ? "Method not allowed" : "Not found");
	if (status == 405) {
		buf_adds(h->b, "<h1>Method not allowed</h1>\n<p>These pages are only read (GET or "
		               "HEAD). <a href=\"");
	} else {
		buf_adds(h->b, "<h1>Not found</h1>\n<p>There is no page at <code>");
		html_esc(h->b, path);
		buf_adds(h->b, "</code>. <a href=\"");
	}
	html_href(h, "", "");
	buf_adds(h->b, "\">All topics</a>.</p>\n");
	html_tail(h);
}

int page_render(const struct content *c, const struct search *ix, struct html *h, const char *path,
                const char *query)
{
	int status = 404;

	if (strcmp(path, "/") == 0)
		status = page_index(c, h);
	else if (strncmp(path, "/t/", 3) == 0)
		status = page_topic(c, h, path + 3);
	else if (strncmp(path, "/q/", 3) == 0)
		status = page_question(c, h, path + 3);
	else if (strcmp(path, "/search") == 0 && ix != NULL)
		status = page_search(c, ix, h, query != NULL ? query : "");
	if (status == 404)
		page_error(h, 404, path);
	return status;
}
