/* term.c - safe, readable terminal output: control characters shown, Markdown rendered. */
#include "console/term.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/md.h"

/* SGR sequences (ECMA-48): written by us only, never taken from text. */
#define SGR_BOLD       "\033[1m"
#define SGR_BOLD_OFF   "\033[22m"
#define SGR_ITALIC     "\033[3m"
#define SGR_ITALIC_OFF "\033[23m"
#define SGR_CODE       "\033[36m" /* cyan */
#define SGR_CODE_OFF   "\033[39m"
#define SGR_DIM        "\033[2m"

void term_init_color(struct term *t, FILE *out, bool color)
{
	t->out = out;
	t->color = color;
}

void term_init(struct term *t, FILE *out)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	bool color = isatty(fileno(out)) && (no_color == NULL || no_color[0] == '\0') &&
	             !(term != NULL && strcmp(term, "dumb") == 0);

	term_init_color(t, out, color);
}

static void sgr(const struct term *t, const char *seq)
{
	if (t->color)
		fputs(seq, t->out);
}

void term_put(const struct term *t, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n' || c == '\t') {
			fputc(c, t->out);
		} else if (c < 0x20 || c == 0x7f) {
			/* Caret notation, as cat -v shows it: ESC is ^[, DEL is ^?. */
			fputc('^', t->out);
			fputc(c == 0x7f ? '?' : c + 0x40, t->out);
		} else if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		           (unsigned char)s[i + 1] <= 0x9f) {
			/* C1 controls (U+0080..U+009F): CSI U+009B alone starts a sequence. */
			fprintf(t->out, "<U+%04X>", (unsigned)(unsigned char)s[i + 1]);
			i++;
		} else {
			fputc(c, t->out);
		}
	}
}

void term_puts(const struct term *t, const char *s)
{
	term_put(t, s, strlen(s));
}

void term_heading(const struct term *t, const char *s)
{
	sgr(t, SGR_BOLD);
	term_puts(t, s);
	sgr(t, SGR_BOLD_OFF);
	fputc('\n', t->out);
}

/* Without colour, inline code keeps its backticks so it still stands out. */
static void on_md(void *arg, enum md_event ev, const char *s, size_t n)
{
	const struct term *t = arg;

	switch (ev) {
	case MD_TEXT:
		term_put(t, s, n);
		break;
	case MD_CODE:
		if (t->color) {
			sgr(t, SGR_CODE);
			term_put(t, s, n);
			sgr(t, SGR_CODE_OFF);
		} else {
			fputc('`', t->out);
			term_put(t, s, n);
			fputc('`', t->out);
		}
		break;
	case MD_CODE_BLOCK:
		sgr(t, SGR_CODE);
		term_put(t, s, n);
		sgr(t, SGR_CODE_OFF);
		break;
	case MD_LINK_OFF:
		fputs(" (", t->out);
		sgr(t, SGR_DIM);
		term_put(t, s, n);
		sgr(t, SGR_BOLD_OFF); /* 22 ends dim as well as bold */
		fputc(')', t->out);
		break;
	case MD_ITEM:
		fputs("- ", t->out);
		break;
	case MD_BREAK:
		fputc('\n', t->out);
		break;
	case MD_PARA:
		fputs("\n\n", t->out);
		break;
	case MD_BOLD_ON:
		sgr(t, SGR_BOLD);
		break;
	case MD_BOLD_OFF:
		sgr(t, SGR_BOLD_OFF);
		break;
	case MD_ITALIC_ON:
		sgr(t, SGR_ITALIC);
		break;
	case MD_ITALIC_OFF:
		sgr(t, SGR_ITALIC_OFF);
		break;
	case MD_LINK_ON:
		break;
	}
}

void term_markdown(const struct term *t, const char *md)
{
	md_walk(md, on_md, (void *)t);
	fputc('\n', t->out);
}
