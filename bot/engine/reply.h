/*
 * reply.h - the platform-neutral request and reply. Adapters (console,
 * Discord, Slack) build a struct request from what the user did and
 * render the struct reply the engine fills; the engine never sees a wire
 * format.
 */
#ifndef BOT_REPLY_H
#define BOT_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

#define REPLY_MAX_BUTTONS 5   /* one Discord action row */
#define REPLY_LABEL_MAX   80  /* Discord's button label limit */
#define REPLY_ID_MAX      100 /* Discord's custom_id limit */
#define REPLY_URL_MAX     512
#define REPLY_TEXT_MAX    3800 /* under Slack's 3000-per-block x2 and Discord's 4096 embed */
#define REQUEST_TEXT_MAX  16384

enum reply_button_kind {
	REPLY_ACTION, /* id is sent back as request.action */
	REPLY_LINK,   /* id is a URL */
	REPLY_MODAL   /* opens a text box; the submit comes back as action + input */
};

enum reply_style { REPLY_PRIMARY, REPLY_SECONDARY, REPLY_SUCCESS, REPLY_DANGER };

struct reply_button {
	enum reply_button_kind kind;
	enum reply_style style;
	char label[REPLY_LABEL_MAX];
	char id[REPLY_URL_MAX];
};

struct reply {
	struct buf text; /* Markdown: **bold**, `code`, - lists, [text](url) */
	bool ephemeral;  /* only the requesting user sees it */
	struct reply_button buttons[REPLY_MAX_BUTTONS];
	size_t nbuttons;
	char modal_title[REPLY_LABEL_MAX]; /* title of the text box a REPLY_MODAL opens */
};

void reply_init(struct reply *r);
void reply_cleanup(struct reply *r);
/* Appends formatted Markdown; text past REPLY_TEXT_MAX is cut with a note. */
void reply_addf(struct reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds a button; silently ignored past REPLY_MAX_BUTTONS (an invariant, asserted). */
void reply_button(struct reply *r, enum reply_button_kind kind, enum reply_style style,
                  const char *label, const char *id);

#endif
