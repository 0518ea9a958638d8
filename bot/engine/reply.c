/* reply.c - building replies, and fitting them to each platform's limits. */
#include "engine/reply.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"

#define CUT_NOTE "\n…(cut: the full text is on the model-answer page)"
#define NO_LIMIT ((size_t)1 << 30)

/*
 * Discord from its OpenAPI spec (RichEmbed: title 256, description 4096,
 * 25 fields of 256 / 1024, footer 2048, 6000 in all; buttons: label 80,
 * 5 rows of 5). Slack from Block Kit (header 150, section text 3000,
 * 10 fields of 2000, context 2000, button text 75).
 */
static const struct reply_limits limits[] = {
    {"discord", 256, 4096, 256, 1024, 2048, 80, 25, 5, 5, 6000},
    {"slack", 150, 3000, 2000, 2000, 2000, 75, 10, 5, 5, 0},
    {"console", NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT, REPLY_MAX_FIELDS,
     REPLY_MAX_ROWS, REPLY_ROW_BUTTONS, 0},
    {"web", NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT, REPLY_MAX_FIELDS,
     REPLY_MAX_ROWS, REPLY_ROW_BUTTONS, 0},
};

/* The strictest of all, for a platform not in the table. */
static const struct reply_limits strictest = {"", 150, 3000, 256, 1024, 2000, 75, 10, 5, 5, 6000};

void reply_init(struct reply *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->text, REPLY_TEXT_MAX);
}

void reply_cleanup(struct reply *r)
{
	buf_cleanup(&r->text);
}

void reply_reset(struct reply *r)
{
	reply_cleanup(r);
	reply_init(r);
}

void reply_text_cap(struct reply *r, size_t cap)
{
	if (cap > r->text.cap)
		r->text.cap = cap;
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
		size_t keep = reply_cut_len(buf_str(&r->text), REPLY_TEXT_MAX - sizeof(CUT_NOTE));
		if (r->text.len > keep) {
			r->text.len = keep;
			r->text.data[keep] = '\0';
		}
		buf_adds(&r->text, CUT_NOTE);
	}
}

static void vset(char *dst, size_t size, const char *fmt, va_list ap)
{
	char tmp[REPLY_FIELD_VALUE_MAX * 2];

	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	snprintf(dst, size, "%.*s", (int)reply_cut_len(tmp, size - 1), tmp);
}

void reply_title(struct reply *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(r->title, sizeof(r->title), fmt, ap);
	va_end(ap);
}

void reply_footer(struct reply *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(r->footer, sizeof(r->footer), fmt, ap);
	va_end(ap);
}

void reply_field(struct reply *r, const char *name, bool inline_, const char *fmt, ...)
{
	struct reply_field *f;
	va_list ap;

	assert(r->nfields < REPLY_MAX_FIELDS);
	if (r->nfields == REPLY_MAX_FIELDS)
		return;
	f = &r->fields[r->nfields++];
	snprintf(f->name, sizeof(f->name), "%.*s", (int)reply_cut_len(name, sizeof(f->name) - 1),
	         name);
	f->inline_ = inline_;
	va_start(ap, fmt);
	vset(f->value, sizeof(f->value), fmt, ap);
	va_end(ap);
}

void reply_row_break(struct reply *r)
{
	if (r->nbuttons > 0 && r->buttons[r->nbuttons - 1].row == r->row)
		r->row++;
}

void reply_button(struct reply *r, enum reply_button_kind kind, enum reply_style style,
                  const char *label, const char *id)
{
	struct reply_button *b;
	size_t in_row = 0, i;

	for (i = 0; i < r->nbuttons; i++)
		in_row += r->buttons[i].row == r->row;
	if (in_row == REPLY_ROW_BUTTONS)
		r->row++;
	assert(r->nbuttons < REPLY_MAX_BUTTONS && r->row < REPLY_MAX_ROWS);
	if (r->nbuttons == REPLY_MAX_BUTTONS || r->row >= REPLY_MAX_ROWS)
		return;
	b = &r->buttons[r->nbuttons++];
	b->kind = kind;
	b->style = style;
	b->row = r->row;
	snprintf(b->label, sizeof(b->label), "%.*s",
	         (int)reply_cut_len(label, sizeof(b->label) - 1), label);
	snprintf(b->id, sizeof(b->id), "%s", id);
}

/* ---- limits ---- */

const struct reply_limits *reply_limits_for(const char *platform)
{
	size_t i;

	for (i = 0; platform != NULL && i < UTIL_ARRAY_LEN(limits); i++) {
		if (strcasecmp(limits[i].platform, platform) == 0)
			return &limits[i];
	}
	return &strictest;
}

static bool continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Code points in s. */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += !continuation((unsigned char)*s);
	return n;
}

size_t reply_cut_len(const char *s, size_t max)
{
	size_t i, n = 0, safe = 0, space = 0;
	bool code = false, bold = false, have_space = false, escaped = false;
	int link = 0; /* 1 inside [text], 2 inside (url) */

	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];
		if (continuation(c))
			continue;
		/* i starts a code point: a cut here keeps s[0..i). */
		if (!code && !bold && link == 0 && !escaped) {
			safe = i;
			if (c == ' ' || c == '\n') {
				space = i;
				have_space = true;
			}
		}
		if (n >= max)
			break;
		n++;
		if (escaped) {
			escaped = false; /* the escaped character is text */
		} else if (!code && c == '\\' && ispunct((unsigned char)s[i + 1])) {
			escaped = true;
		} else if (c == '`') {
			code = !code;
		} else if (!code && c == '*' && s[i + 1] == '*') {
			bold = !bold;
			i++;
			n++;
		} else if (!code && c == '[' && link == 0) {
			link = 1;
		} else if (!code && link == 1 && c == ']') {
			link = s[i + 1] == '(' ? 2 : 0;
		} else if (!code && link == 2 && c == ')') {
			link = 0;
		}
	}
	if (s[i] == '\0')
		return i; /* it all fits */
	/* Prefer a word boundary when one is near. */
	return have_space && space + 40 >= safe ? space : safe;
}

/* Cuts a buffer of size bytes to max code points, ending in "…"; true when it cut. */
static bool fit_str(char *s, size_t size, size_t max)
{
	size_t keep;

	if (chars(s) <= max)
		return false;
	keep = reply_cut_len(s, max > 1 ? max - 1 : 0);
	while (keep > 0 && (keep + sizeof("…") > size || continuation((unsigned char)s[keep])))
		keep--;
	snprintf(s + keep, size - keep, "…");
	return true;
}

static bool fit_body(struct reply *r, size_t max)
{
	size_t note = chars(CUT_NOTE), keep;

	if (chars(buf_str(&r->text)) <= max)
		return false;
	keep = reply_cut_len(buf_str(&r->text), max > note ? max - note : 0);
	r->text.len = keep;
	r->text.data[keep] = '\0';
	buf_adds(&r->text, CUT_NOTE);
	return true;
}

static size_t total_chars(const struct reply *r)
{
	size_t n = chars(r->title) + chars(buf_str(&r->text)) + chars(r->footer), i;

	for (i = 0; i < r->nfields; i++)
		n += chars(r->fields[i].name) + chars(r->fields[i].value);
	return n;
}

int reply_fit(struct reply *r, const struct reply_limits *lim)
{
	int cut = 0;
	size_t i, rest;

	cut += fit_str(r->title, sizeof(r->title), lim->title);
	cut += fit_str(r->footer, sizeof(r->footer), lim->footer);
	if (r->nfields > lim->fields) {
		r->nfields = lim->fields;
		cut++;
	}
	for (i = 0; i < r->nfields; i++) {
		cut += fit_str(r->fields[i].name, sizeof(r->fields[i].name), lim->field_name);
		cut += fit_str(r->fields[i].value, sizeof(r->fields[i].value), lim->field_value);
	}
	for (i = 0; i < r->nbuttons; i++)
		cut += fit_str(r->buttons[i].label, sizeof(r->buttons[i].label), lim->label);
	cut += fit_body(r, lim->body);
	if (lim->total > 0 && total_chars(r) > lim->total) {
		/* The body gives way: the fields and title carry the structure. */
		rest = total_chars(r) - chars(buf_str(&r->text));
		cut += fit_body(r, rest < lim->total ? lim->total - rest : 0);
	}
	/* Still over: the last fields go, a broken layout rather than a refused message. */
	while (lim->total > 0 && r->nfields > 0 && total_chars(r) > lim->total) {
		r->nfields--;
		cut++;
	}
	return cut;
}
