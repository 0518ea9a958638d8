/* reply.c - building replies within the platforms' size limits. */
#include "engine/reply.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"

#define CUT_NOTE "\n…(cut: the full text is on the model-answer page)"

void reply_init(struct reply *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->text, REPLY_TEXT_MAX);
}

void reply_cleanup(struct reply *r)
{
	buf_cleanup(&r->text);
}

void reply_addf(struct reply *r, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = buf_vaddf(&r->text, fmt, ap);
	va_end(ap);
	if (err == BOT_ETOOBIG && strstr(buf_str(&r->text), CUT_NOTE) == NULL) {
		/* Make room for the note so the reader knows text is missing. */
		size_t keep = REPLY_TEXT_MAX - sizeof(CUT_NOTE);
		if (r->text.len > keep) {
			/* Do not split a UTF-8 sequence. */
			while (keep > 0 && ((unsigned char)r->text.data[keep] & 0xc0) == 0x80)
				keep--;
			r->text.len = keep;
			r->text.data[keep] = '\0';
		}
		buf_adds(&r->text, CUT_NOTE);
	}
}

void reply_button(struct reply *r, enum reply_button_kind kind, enum reply_style style,
                  const char *label, const char *id)
{
	struct reply_button *b;

	assert(r->nbuttons < REPLY_MAX_BUTTONS);
	if (r->nbuttons == REPLY_MAX_BUTTONS)
		return;
	b = &r->buttons[r->nbuttons++];
	b->kind = kind;
	b->style = style;
	snprintf(b->label, sizeof(b->label), "%s", label);
	snprintf(b->id, sizeof(b->id), "%s", id);
}
