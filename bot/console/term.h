/*
 * term.h - writing to a terminal safely and readably. Text from content
 * or from a user is never passed through raw: C0 and C1 control
 * characters (ESC above all, which starts the sequences that move the
 * cursor, retitle the window or rewrite the clipboard) are shown in caret
 * notation ("^[") or as <U+009B>. The engine's small Markdown is rendered
 * for the terminal: bold titles and emphasis, code set apart, list items
 * as bullets; colour and attributes only on a terminal, never when
 * NO_COLOR is set (https://no-color.org) or TERM is "dumb".
 */
#ifndef BOT_TERM_H
#define BOT_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct term {
	FILE *out;
	bool color; /* SGR attributes may be written */
};

/* Decides colour for out: on a terminal only, and not with NO_COLOR or TERM=dumb. */
void term_init(struct term *t, FILE *out);
/* As term_init() with the decision made by the caller (tests). */
void term_init_color(struct term *t, FILE *out, bool color);

/* Writes n bytes of text with control characters shown, never sent. */
void term_put(const struct term *t, const char *s, size_t n);
/* term_put() of a NUL-terminated string. */
void term_puts(const struct term *t, const char *s);
/* A line in bold (a title or heading); plain text without colour. */
void term_heading(const struct term *t, const char *s);
/* Renders the engine's Markdown (md.h), ending with a newline. */
void term_markdown(const struct term *t, const char *md);

#endif
