/* md.c - the Markdown walk of md.h: blocks by line, then spans within a line. */
#include "engine/md.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

/* Where the span opened at s (marker m of length ml) closes before end, or NULL. */
static const char *closer(const char *s, const char *end, const char *m, size_t ml)
{
	const char *p;

	for (p = s; p + ml <= end; p++) {
		if (memcmp(p, m, ml) != 0)
			continue;
		/* An italic "_" closes only at the end of a word (snake_case stays text). */
		if (ml == 1 && *m == '_' && p + 1 < end && word_char(p[1]))
			continue;
		if (p > s)
			return p;
	}
	return NULL;
}

static void spans(const char *s, const char *end, md_fn fn, void *arg);

/* [text](url) at *p. */
static bool link(const char **p, const char *end, md_fn fn, void *arg)
{
	const char *s = *p, *t, *u = NULL;

	if (*s != '[')
		return false;
	t = memchr(s, ']', (size_t)(end - s));
	if (t != NULL && t + 1 < end && t[1] == '(')
		u = memchr(t, ')', (size_t)(end - t));
	if (u == NULL)
		return false;
	fn(arg, MD_LINK_ON, t + 2, (size_t)(u - t - 2));
	spans(s + 1, t, fn, arg);
	fn(arg, MD_LINK_OFF, t + 2, (size_t)(u - t - 2));
	*p = u + 1;
	return true;
}

/* One span starting at *p, if there is one; advances *p past it. */
static bool span(const char **p, const char *end, md_fn fn, void *arg)
{
	const char *s = *p, *c;

	if (*s == '`') {
		c = memchr(s + 1, '`', (size_t)(end - s - 1));
		if (c == NULL)
			return false;
		fn(arg, MD_CODE, s + 1, (size_t)(c - s - 1));
		*p = c + 1;
		return true;
	}
	if (*s == '*') {
		c = s + 1 < end && s[1] == '*' ? closer(s + 2, end, "**", 2) : NULL;
		if (c == NULL)
			return false;
		fn(arg, MD_BOLD_ON, s, 0);
		spans(s + 2, c, fn, arg);
		fn(arg, MD_BOLD_OFF, s, 0);
		*p = c + 2;
		return true;
	}
	if (*s == '_') {
		c = s + 1 < end && !isspace((unsigned char)s[1]) ? closer(s + 1, end, "_", 1)
		                                                 : NULL;
		if (c == NULL)
			return false;
		fn(arg, MD_ITALIC_ON, s, 0);
		spans(s + 1, c, fn, arg);
		fn(arg, MD_ITALIC_OFF, s, 0);
		*p = c + 1;
		return true;
	}
	return link(p, end, fn, arg);
}

/* Spans of s..end with text runs merged: a run ends only where a span may start. */
static void spans(const char *s, const char *end, md_fn fn, void *arg)
{
	const char *run = s, *p = s;

	while (p < end) {
		bool may_open = *p != '_' || p == s || !word_char(p[-1]);
		const char *q = p;
		if (*p == '\\' && p + 1 < end && ispunct((unsigned char)p[1])) {
			/* An escape: the character after it is text, whatever it is. */
			if (q > run)
				fn(arg, MD_TEXT, run, (size_t)(q - run));
			fn(arg, MD_TEXT, p + 1, 1);
			p += 2;
			run = p;
			continue;
		}
		if (*p != '\0' && strchr("`*_[", *p) != NULL && may_open) {
			if (q > run)
				fn(arg, MD_TEXT, run, (size_t)(q - run));
			if (span(&p, end, fn, arg)) {
				run = p;
				continue;
			}
			run = q;
		}
		p++;
	}
	if (p > run)
		fn(arg, MD_TEXT, run, (size_t)(p - run));
}

void md_walk(const char *md, md_fn fn, void *arg)
{
	const char *p = md;
	bool in_para = false;

	while (*p != '\0') {
		const char *eol = p + strcspn(p, "\n");
		const char *next = *eol == '\n' ? eol + 1 : eol;
		if (eol == p) {
			if (in_para)
				fn(arg, MD_PARA, p, 0);
			in_para = false;
		} else if (strncmp(p, "```", 3) == 0) {
			const char *body = next, *close = strstr(body, "\n```");
			const char *stop = close != NULL ? close + 1 : body + strlen(body);
			if (in_para)
				fn(arg, MD_PARA, p, 0);
			fn(arg, MD_CODE_BLOCK, body, (size_t)(stop - body));
			next = close != NULL ? close + 4 + strcspn(close + 4, "\n") : stop;
			if (*next == '\n')
				next++;
			in_para = false;
		} else {
			if (in_para)
				fn(arg, MD_BREAK, p, 0);
			if (strncmp(p, "- ", 2) == 0) {
				fn(arg, MD_ITEM, p, 0);
				p += 2;
			}
			spans(p, eol, fn, arg);
			in_para = true;
		}
		p = next;
	}
}

/* What any renderer of ours, Discord or cmark reads as a marker inside a line. */
static const char md_markers[] = "\\`*_~|[]()<>#";

void md_escape(const char *s, size_t n, struct buf *out)
{
	size_t i;
	bool space = false, any = false;

	for (i = 0; i < n && s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f) {
			space = true;
			continue;
		}
		if (space && any)
			buf_adds(out, " ");
		space = false;
		any = true;
		if (strchr(md_markers, (char)c) != NULL)
			buf_adds(out, "\\");
		buf_add(out, &s[i], 1);
	}
}
