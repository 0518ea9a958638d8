/* test_term.c - terminal output: controls shown not sent, Markdown styled only with colour. */
#include "console/term.h"

#include <stdlib.h>

#include "test.h"

/* What t writes for fn(t, s), as a string (free() it). */
static char *render(bool color, void (*fn)(const struct term *, const char *), const char *s)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	struct term t;

	term_init_color(&t, f, color);
	fn(&t, s);
	fclose(f);
	return out;
}

static void test_controls_shown_in_caret_notation(void)
{
	char *out = render(false, term_puts,
	                   "a\033[2Jb\007c\x7f"
	                   "d\xc2\x9b"
	                   "e\tf");

	CHECK_STR(out, "a^[[2Jb^Gc^?d<U+009B>e\tf");
	free(out);
}

static void test_markdown_plain_without_colour(void)
{
	char *out = render(false, term_markdown, "**Score:** 80 and `SET NX`\n- one");

	CHECK_STR(out, "Score: 80 and `SET NX`\n- one\n");
	CHECK(strchr(out, '\033') == NULL);
	free(out);
}

static void test_markdown_styled_with_colour(void)
{
	char *out = render(true, term_markdown, "**Score:** _fine_ `x`");

	CHECK_STR(out, "\033[1mScore:\033[22m \033[3mfine\033[23m \033[36mx\033[39m\n");
	free(out);
}

/* Colour is written by term itself, never carried in from the text. */
static void test_colour_does_not_pass_text_escapes(void)
{
	char *out = render(true, term_heading, "\033[31mred");

	CHECK_STR(out, "\033[1m^[[31mred\033[22m\n");
	free(out);
}

static void test_no_color_env(void)
{
	struct term t;

	setenv("NO_COLOR", "1", 1);
	term_init(&t, stdout);
	CHECK(!t.color);
}

int main(void)
{
	T_RUN(test_controls_shown_in_caret_notation);
	T_RUN(test_markdown_plain_without_colour);
	T_RUN(test_markdown_styled_with_colour);
	T_RUN(test_colour_does_not_pass_text_escapes);
	T_RUN(test_no_color_env);
	return t_done();
}
