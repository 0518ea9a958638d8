/*
 * test_reply.c - replies cut to each platform's limits on safe
 * boundaries, buttons in rows, and the Markdown walk every adapter uses.
 */
#include <string.h>

#include "engine/md.h"
#include "engine/reply.h"

#include "test.h"

static void test_cut_on_safe_boundaries(void)
{
	/* "é" is two bytes: a cut never splits it. */
	CHECK_INT(reply_cut_len("aé", 1), 1);
	CHECK_INT(reply_cut_len("aé", 2), 3);
	CHECK_INT(reply_cut_len("ééé", 2), 4);
	/* Never inside a code span, a bold run or a link. */
	CHECK_INT(reply_cut_len("ab `code here` cd", 8), 2);
	CHECK_INT(reply_cut_len("ab **bold text** cd", 8), 2);
	CHECK_INT(reply_cut_len("x [link](https://e.example/a) y", 12), 1);
	/* Whole when it fits, even with markers. */
	CHECK_INT(reply_cut_len("`a` **b**", 100), 9);
	/* Prefer the last space when near. */
	CHECK_INT(reply_cut_len("hello world again", 14), 11);
	CHECK_INT(reply_cut_len("abcdef", 3), 3);
}

static void test_fit_to_discord_and_slack(void)
{
	struct reply r;
	const struct reply_limits *d = reply_limits_for("discord");
	const struct reply_limits *s = reply_limits_for("slack");
	char big[1200];
	int i;

	CHECK_INT(d->body, 4096);
	CHECK_INT(s->title, 150);
	CHECK(reply_limits_for("nowhere")->body <= s->body);
	reply_init(&r);
	for (i = 0; i < 40; i++)
		reply_addf(&r, "Line %d of a long body with a `code` word and **bold** one.\n", i);
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < 8; i++)
		reply_field(&r, "Field", true, "%s", big);
	reply_title(&r, "%s", "A title");
	CHECK(reply_fit(&r, d) > 0);
	/* Discord: each value at most 1024, and 6000 in all. */
	CHECK(r.nfields < 8); /* 8 x 1024 cannot fit in 6000: the last fields went */
	for (i = 0; i < (int)r.nfields; i++)
		CHECK(strlen(r.fields[i].value) <= 1024 + 2);
	{
		size_t total = strlen(r.title) + strlen(buf_str(&r.text));
		for (i = 0; i < (int)r.nfields; i++)
			total += strlen(r.fields[i].name) + strlen(r.fields[i].value);
		CHECK(total <= 6000 + 64); /* "…" is 3 bytes but 1 character */
	}
	CHECK_CONTAINS(buf_str(&r.text), "full text is on the model-answer page");
	reply_cleanup(&r);

	/* reply_title itself keeps to the buffer, on a character boundary. */
	reply_init(&r);
	memset(big, 'x', sizeof(big) - 1);
	reply_title(&r, "%s", big);
	CHECK(strlen(r.title) < sizeof(r.title));
	CHECK_INT(reply_fit(&r, s), 0);
	/* A tighter limit cuts by characters, not bytes, and says so with "…". */
	{
		struct reply_limits tight = *s;
		tight.title = 5;
		reply_title(&r, "%s", "Ünïcödé title");
		CHECK_INT(reply_fit(&r, &tight), 1);
		CHECK_STR(r.title, "Ünïc…");
	}
	reply_cleanup(&r);
}

static void test_buttons_in_rows(void)
{
	struct reply r;
	int i;

	reply_init(&r);
	for (i = 0; i < 7; i++)
		reply_button(&r, REPLY_ACTION, REPLY_SECONDARY, "b", "1:x");
	CHECK_INT(r.buttons[4].row, 0);
	CHECK_INT(r.buttons[5].row, 1); /* a full row starts the next */
	reply_row_break(&r);
	reply_button(&r, REPLY_LINK, REPLY_SECONDARY, "page", "https://e.example/q/x");
	CHECK_INT(r.buttons[7].row, 2);
	reply_cleanup(&r);
}

/* A renderer of the walk into Slack-style mrkdwn, as an adapter would write one. */
static void mrkdwn(void *arg, enum md_event ev, const char *s, size_t n)
{
	struct buf *b = arg;

	switch (ev) {
	case MD_TEXT:
		buf_add(b, s, n);
		break;
	case MD_CODE:
		buf_addf(b, "`%.*s`", (int)n, s);
		break;
	case MD_CODE_BLOCK:
		buf_addf(b, "```%.*s```", (int)n, s);
		break;
	case MD_BOLD_ON:
	case MD_BOLD_OFF:
		buf_adds(b, "*");
		break;
	case MD_ITALIC_ON:
	case MD_ITALIC_OFF:
		buf_adds(b, "_");
		break;
	case MD_LINK_ON:
		buf_addf(b, "<%.*s|", (int)n, s);
		break;
	case MD_LINK_OFF:
		buf_adds(b, ">");
		break;
	case MD_ITEM:
		buf_adds(b, "• ");
		break;
	case MD_BREAK:
		buf_adds(b, "\n");
		break;
	case MD_PARA:
		buf_adds(b, "\n\n");
		break;
	}
}

static const char *walk(const char *md)
{
	static struct buf b;

	buf_cleanup(&b);
	buf_init(&b, 4096);
	md_walk(md, mrkdwn, &b);
	return buf_str(&b);
}

static void test_markdown_walk(void)
{
	CHECK_STR(walk("**Caching** · `caching-x`"), "*Caching* · `caching-x`");
	CHECK_STR(walk("_Due for review._\nnext"), "_Due for review._\nnext");
	CHECK_STR(walk("see [the page](https://e.example/q/a) now"),
	          "see <https://e.example/q/a|the page> now");
	CHECK_STR(walk("- one\n- **two**\n\nafter"), "• one\n• *two*\n\nafter");
	/* Unmatched markers and snake_case are text. */
	CHECK_STR(walk("a ** b and snake_case_name and `open"),
	          "a ** b and snake_case_name and `open");
	CHECK_STR(walk("```\nint x;\n```\ntail"), "```int x;\n```tail");
	CHECK_STR(walk("`**not bold**`"), "`**not bold**`");
	walk("");
}

/*
 * Issue 22: a user's words quoted in a reply (what the grader heard) are
 * escaped, so "**", "_" or "`" in an answer are text on every platform
 * (Discord reads the backslashes itself; the walk reads them for the
 * console and Slack), on one line, and a cut never splits an escape.
 */
static void test_markdown_escape(void)
{
	const char *in = "a **b** _c_ `d` [e](http://x) \\ <@1>\nnext\t\r line";
	struct buf e;

	buf_init(&e, 1024);
	md_escape(in, strlen(in), &e);
	CHECK_STR(buf_str(&e), "a \\*\\*b\\*\\* \\_c\\_ \\`d\\` \\[e\\]\\(http://x\\) \\\\ "
	                       "\\<@1\\> next line");
	CHECK_STR(walk(buf_str(&e)), "a **b** _c_ `d` [e](http://x) \\ <@1> next line");
	buf_reset(&e);
	md_escape("snake_case stays", 5, &e);
	CHECK_STR(buf_str(&e), "snake");
	/* A cut is never between a backslash and what it escapes. */
	CHECK_INT(reply_cut_len("abc\\*d", 4), 3);
	CHECK_INT(reply_cut_len("abc\\*d", 5), 5);
	buf_cleanup(&e);
}

int main(void)
{
	T_RUN(test_cut_on_safe_boundaries);
	T_RUN(test_fit_to_discord_and_slack);
	T_RUN(test_buttons_in_rows);
	T_RUN(test_markdown_walk);
	T_RUN(test_markdown_escape);
	return t_done();
}
