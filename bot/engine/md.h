/*
 * md.h - a walk over the small Markdown the engine writes (**bold**,
 * _italic_, `code`, [text](url), "- " list items, ``` blocks, line and
 * paragraph breaks), so each adapter renders it its own way (console:
 * plain text; Slack: mrkdwn with escaping) without a parser of its own.
 * The web renders the same text through cmark. Unmatched markers are text,
 * and a backslash before ASCII punctuation makes it text ("\*"), as
 * CommonMark and Discord read it.
 */
#ifndef BOT_MD_H
#define BOT_MD_H

#include <stddef.h>

#include "base/util.h"

enum md_event {
	MD_TEXT,       /* s[0..n) is plain text, still to be escaped by the renderer */
	MD_CODE,       /* inline code; s[0..n) is its content */
	MD_CODE_BLOCK, /* a fenced block; s[0..n) is its content, newlines kept */
	MD_BOLD_ON,
	MD_BOLD_OFF,
	MD_ITALIC_ON,
	MD_ITALIC_OFF,
	MD_LINK_ON,  /* s[0..n) is the URL; the link text follows as events */
	MD_LINK_OFF, /* s[0..n) is the URL again */
	MD_ITEM,     /* a list item starts */
	MD_BREAK,    /* a line break inside a paragraph */
	MD_PARA      /* a paragraph ends (a blank line) */
};

typedef void (*md_fn)(void *arg, enum md_event ev, const char *s, size_t n);

/* Calls fn for each event of md in order. */
void md_walk(const char *md, md_fn fn, void *arg);

/*
 * Appends s[0..n) (or up to a NUL) to out as Markdown text that shows as
 * written on every platform: each marker any of them reads (\ ` * _ ~ |
 * [ ] ( ) < > #) backslash-escaped, and every run of whitespace or control
 * characters one space, so a user's words quoted in a reply stay on their
 * line and format nothing.
 */
void md_escape(const char *s, size_t n, struct buf *out);

#endif
