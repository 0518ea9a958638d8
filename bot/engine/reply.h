/*
 * reply.h - the platform-neutral reply the engine fills and every adapter
 * renders: a title, a Markdown body, a few fields, a footer and up to five
 * rows of buttons, private or not, new or replacing the message a button
 * was on. It holds what Discord embeds, Slack Block Kit and a web page
 * need and no more. Each platform's size limits live in one table here
 * (reply_limits), and reply_fit() cuts to them on a character boundary,
 * never inside a UTF-8 sequence or a Markdown token.
 */
#ifndef BOT_REPLY_H
#define BOT_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

#define REPLY_MAX_ROWS        5 /* Discord: 5 action rows */
#define REPLY_ROW_BUTTONS     5 /* Discord: 5 buttons a row */
#define REPLY_MAX_BUTTONS     (REPLY_MAX_ROWS * REPLY_ROW_BUTTONS)
#define REPLY_MAX_FIELDS      10  /* Slack: 10 fields in a section */
#define REPLY_TITLE_MAX       151 /* Slack header: 150 characters */
#define REPLY_FIELD_NAME_MAX  257
#define REPLY_FIELD_VALUE_MAX 1025 /* Discord: 1024 per field value */
#define REPLY_FOOTER_MAX      257
#define REPLY_LABEL_MAX       81  /* Discord: 80 per button label */
#define REPLY_MODAL_TITLE_MAX 46  /* Discord: 45 per modal title */
#define REPLY_ID_MAX          101 /* Discord: 100 per custom_id */
#define REPLY_URL_MAX         512
#define REPLY_TEXT_MAX        3800 /* the body as the engine writes it */

enum reply_button_kind {
	REPLY_ACTION, /* id is sent back as request.action */
	REPLY_LINK,   /* id is a URL */
	REPLY_MODAL   /* opens a text box; the submit comes back as action + input */
};

enum reply_style { REPLY_PRIMARY, REPLY_SECONDARY, REPLY_SUCCESS, REPLY_DANGER };

/* Where the reply goes: a new message, or in place of the one whose button was pressed. */
enum reply_target { REPLY_NEW, REPLY_REPLACE };

struct reply_button {
	enum reply_button_kind kind;
	enum reply_style style;
	int row; /* 0 .. REPLY_MAX_ROWS-1 */
	char label[REPLY_LABEL_MAX];
	char id[REPLY_URL_MAX];
};

struct reply_field {
	char name[REPLY_FIELD_NAME_MAX];
	char value[REPLY_FIELD_VALUE_MAX]; /* Markdown */
	bool inline_;                      /* may sit beside its neighbours */
};

/* Where a post nobody asked for goes; empty for a reply to a request. */
struct reply_dest {
	char platform[16];
	char team[128];
	char channel[128];
	char reply_to[64]; /* the message it follows up (a reveal's post), or "" */
};

struct reply {
	struct reply_dest dest;
	char title[REPLY_TITLE_MAX]; /* plain text, may be "" */
	struct buf text; /* the body, Markdown: **bold**, _italic_, `code`, - lists, [t](url) */
	struct reply_field fields[REPLY_MAX_FIELDS];
	size_t nfields;
	char footer[REPLY_FOOTER_MAX]; /* plain text, may be "" */
	struct reply_button buttons[REPLY_MAX_BUTTONS];
	size_t nbuttons;
	int row;        /* the row reply_button() adds to; reply_row_break() moves on */
	bool ephemeral; /* only the requesting user sees it */
	enum reply_target target;
	char modal_title[REPLY_MODAL_TITLE_MAX]; /* title of the text box a REPLY_MODAL opens */
};

/* One platform's limits, in characters (code points) unless said otherwise. */
struct reply_limits {
	const char *platform;
	size_t title, body, field_name, field_value, footer, label;
	size_t fields, rows, row_buttons;
	size_t total; /* all text of one message together; 0 = no such limit */
};

void reply_init(struct reply *r);
void reply_cleanup(struct reply *r);
/* Appends formatted Markdown; text past REPLY_TEXT_MAX is cut with a note. */
void reply_addf(struct reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void reply_title(struct reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void reply_footer(struct reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds a field; past REPLY_MAX_FIELDS is a broken invariant (asserted, then ignored). */
void reply_field(struct reply *r, const char *name, bool inline_, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds a button to the current row, starting a new row when it is full. */
void reply_button(struct reply *r, enum reply_button_kind kind, enum reply_style style,
                  const char *label, const char *id);
/* Later buttons go on the next row. */
void reply_row_break(struct reply *r);
/* Empties the reply for another message (an error replacing a half-built one). */
void reply_reset(struct reply *r);
/*
 * Lets the body grow to cap bytes instead of REPLY_TEXT_MAX, for a platform
 * that shows any length (the console printing a whole /export-me); a
 * smaller cap than the default is ignored.
 */
void reply_text_cap(struct reply *r, size_t cap);

/* The limits of "discord", "slack", "console" or "web"; the strictest set for others. */
const struct reply_limits *reply_limits_for(const char *platform);
/*
 * Cuts every part of r to lim in place, ending a cut body with a note that
 * points to the web page. Returns the number of parts cut (0 when it fit).
 */
int reply_fit(struct reply *r, const struct reply_limits *lim);
/*
 * The longest prefix of s of at most max code points that ends on a code
 * point boundary, outside `code`, **bold** and [link](url) tokens; in bytes.
 */
size_t reply_cut_len(const char *s, size_t max);

#endif
