/*
 * console.c - offline play in a terminal. Keeps the last reply's buttons
 * so "1", "2", ... can press them, and whether the next line is an answer
 * typed into the Answer box.
 */
#include "console/console.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "engine/md.h"
#include "engine/reply.h"

#define CONSOLE_PLATFORM "console"
#define CONSOLE_ID       "local"

struct console {
	struct engine *engine;
	FILE *out;
	int64_t (*now)(void *arg);
	void *now_arg;
	struct reply_button buttons[REPLY_MAX_BUTTONS];
	size_t nbuttons;
	char pending_modal[REPLY_URL_MAX]; /* action awaiting typed input, or "" */
	struct buf answer;                 /* the lines typed into it so far */
	struct loop *loop;
	bool hinted; /* the "commands start with /" line was shown since the last command */
};

struct console *console_new(struct engine *e, FILE *out, int64_t (*now)(void *arg), void *arg)
{
	struct console *c = xcalloc(1, sizeof(*c));

	c->engine = e;
	c->out = out;
	c->now = now;
	c->now_arg = arg;
	buf_init(&c->answer, 256);
	return c;
}

void console_free(struct console *c)
{
	if (c == NULL)
		return;
	buf_cleanup(&c->answer);
	free(c);
}

void console_greet(struct console *c)
{
	fprintf(c->out, "drillbot console: type /help for the commands, /question caching to "
	                "start, /quit to leave.\n");
	fflush(c->out);
}

/* Markdown for a terminal: drop ** and _ emphasis markers, keep the rest. */
/* Writes text with terminal control characters dropped: a reply may quote what a user typed. */
static void put_plain(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* C0 controls and DEL; also C1 (U+0080..U+009F, UTF-8 "\xc2\x80".."\xc2\x9f"). */
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			continue;
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f) {
			i++;
			continue;
		}
		fputc(c, out);
	}
}

/* The terminal's rendering of the engine's Markdown: plain text, code in backticks. */
static void on_md(void *arg, enum md_event ev, const char *s, size_t n)
{
	FILE *out = arg;

	switch (ev) {
	case MD_TEXT:
		put_plain(out, s, n);
		break;
	case MD_CODE:
		fputc('`', out);
		put_plain(out, s, n);
		fputc('`', out);
		break;
	case MD_CODE_BLOCK:
		put_plain(out, s, n);
		break;
	case MD_LINK_OFF:
		fputs(" (", out);
		put_plain(out, s, n);
		fputc(')', out);
		break;
	case MD_ITEM:
		fputs("- ", out);
		break;
	case MD_BREAK:
		fputc('\n', out);
		break;
	case MD_PARA:
		fputs("\n\n", out);
		break;
	case MD_BOLD_ON:
	case MD_BOLD_OFF:
	case MD_ITALIC_ON:
	case MD_ITALIC_OFF:
	case MD_LINK_ON:
		break;
	}
}

static void print_text(FILE *out, const char *s)
{
	md_walk(s, on_md, out);
	fputc('\n', out);
}

static void print_reply(struct console *c, const struct reply *r)
{
	size_t i;

	if (r->ephemeral)
		fputs("(only you can see this)\n", c->out);
	if (r->title[0] != '\0') {
		put_plain(c->out, r->title, strlen(r->title));
		fputc('\n', c->out);
	}
	print_text(c->out, buf_str(&r->text));
	for (i = 0; i < r->nfields; i++) {
		put_plain(c->out, r->fields[i].name, strlen(r->fields[i].name));
		fputs(": ", c->out);
		print_text(c->out, r->fields[i].value);
	}
	if (r->footer[0] != '\0') {
		put_plain(c->out, r->footer, strlen(r->footer));
		fputc('\n', c->out);
	}
	c->nbuttons = r->nbuttons;
	for (i = 0; i < r->nbuttons; i++) {
		c->buttons[i] = r->buttons[i];
		if (r->buttons[i].kind == REPLY_LINK)
			fprintf(c->out, "  [%zu] %s: %s\n", i + 1, r->buttons[i].label,
			        r->buttons[i].id);
		else
			fprintf(c->out, "  [%zu] %s\n", i + 1, r->buttons[i].label);
	}
	if (r->nbuttons > 0)
		fputs("Type a number to press a button.\n", c->out);
	fputs("\n", c->out);
	fflush(c->out);
}

static void run(struct console *c, const char *command, const char *args, const char *action,
                const char *input)
{
	struct request req;
	struct reply r;

	memset(&req, 0, sizeof(req));
	req.platform = CONSOLE_PLATFORM;
	req.team = CONSOLE_ID;
	req.channel = CONSOLE_ID;
	req.user = CONSOLE_ID;
	req.user_name = CONSOLE_ID;
	req.command = command;
	req.args = args;
	req.action = action;
	req.input = input;
	req.is_admin = true; /* the person at the terminal owns this bot */
	req.now = c->now(c->now_arg);
	reply_init(&r);
	engine_handle(c->engine, &req, &r);
	print_reply(c, &r);
	reply_cleanup(&r);
}

static void press(struct console *c, size_t n)
{
	const struct reply_button *b;

	if (n < 1 || n > c->nbuttons) {
		fprintf(c->out, "There is no button %zu; the last reply had %zu.\n\n", n,
		        c->nbuttons);
		return;
	}
	b = &c->buttons[n - 1];
	if (b->kind == REPLY_LINK) {
		fprintf(c->out, "Open %s in your browser.\n\n", b->id);
	} else if (b->kind == REPLY_MODAL) {
		snprintf(c->pending_modal, sizeof(c->pending_modal), "%s", b->id);
		buf_reset(&c->answer);
		fputs("Type your answer (several lines are fine); an empty line sends it, "
		      "/cancel closes the box:\n",
		      c->out);
	} else {
		char id[REPLY_URL_MAX];
		snprintf(id, sizeof(id), "%s", b->id);
		run(c, NULL, NULL, id, NULL);
	}
	fflush(c->out);
}

static bool is_number(const char *s)
{
	if (*s == '\0' || strlen(s) > 2)
		return false;
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
	}
	return true;
}

/* Sends what was typed into the answer box, and closes it. */
static void submit_answer(struct console *c)
{
	char action[REPLY_URL_MAX];

	snprintf(action, sizeof(action), "%s", c->pending_modal);
	c->pending_modal[0] = '\0';
	run(c, NULL, NULL, action, buf_str(&c->answer));
	buf_reset(&c->answer);
}

/* Whether a trimmed line is a command, not a line of an answer: "/stats", "/quit". */
static bool is_command_line(const char *s)
{
	char name[32];
	size_t n;

	if (*s != '/')
		return false;
	n = strcspn(s + 1, " \t");
	if (n == 0 || n >= sizeof(name))
		return false;
	snprintf(name, sizeof(name), "%.*s", (int)n, s + 1);
	return engine_is_command(name) || strcmp(name, "quit") == 0 || strcmp(name, "exit") == 0;
}

/*
 * A line typed while the answer box is open. An empty line sends the
 * answer; /cancel closes the box; a command ends the answer (sending what
 * was typed, so nothing typed is lost) and then runs. Returns true when
 * the line was consumed.
 */
static bool answer_line(struct console *c, const char *line, const char *s)
{
	if (strcmp(s, "/cancel") == 0) {
		c->pending_modal[0] = '\0';
		buf_reset(&c->answer);
		fputs("Answer box closed; nothing was sent.\n\n", c->out);
		fflush(c->out);
		return true;
	}
	if (is_command_line(s)) {
		if (c->answer.len > 0)
			submit_answer(c);
		c->pending_modal[0] = '\0';
		return false;
	}
	if (*s == '\0') {
		submit_answer(c);
		return true;
	}
	/* Past the request limit the engine only needs to know it is too long. */
	if (c->answer.len <= REQUEST_TEXT_MAX)
		buf_addf(&c->answer, "%s%s", c->answer.len > 0 ? "\n" : "", line);
	return true;
}

void console_end(struct console *c)
{
	if (c->pending_modal[0] != '\0' && c->answer.len > 0)
		submit_answer(c);
	c->pending_modal[0] = '\0';
}

bool console_line(struct console *c, const char *line)
{
	char *copy = xstrndup(line, REQUEST_TEXT_MAX);
	char *s = util_trim(copy);
	bool go_on = true;

	if (c->pending_modal[0] != '\0' && answer_line(c, line, s)) {
		/* consumed by the answer box */
	} else if (*s == '\0') {
		/* A blank line is nothing to answer. */
	} else if (strcmp(s, "/quit") == 0 || strcmp(s, "/exit") == 0 || strcmp(s, "quit") == 0) {
		go_on = false;
	} else if (is_number(s)) {
		press(c, (size_t)strtoul(s, NULL, 10));
	} else if (*s == '/') {
		size_t n = strcspn(s + 1, " \t");
		char *args = s + 1 + n;
		if (*args != '\0')
			*args++ = '\0';
		c->hinted = false;
		run(c, s + 1, util_trim(args), NULL, NULL);
	} else if (!c->hinted) {
		/* Free text outside an answer box: one short line, once until the
		 * next command, so a pasted file does not print a screen per line. */
		c->hinted = true;
		fprintf(c->out, "Commands start with `/`; try `/help`. To answer a question, press "
		                "Answer or type `/answer <your answer>`.\n");
	}
	free(copy);
	return go_on;
}

static void on_line(const char *line, size_t len, void *arg)
{
	struct console *c = arg;

	(void)len;
	if (!console_line(c, line) && c->loop != NULL)
		loop_stop(c->loop);
}

static void on_eof(void *arg)
{
	struct console *c = arg;

	console_end(c);
	if (c->loop != NULL && !loop_stopping(c->loop))
		loop_stop(c->loop);
}

int console_attach(struct console *c, struct loop *l)
{
	c->loop = l;
	return loop_stdin_start(l, on_line, on_eof, c);
}
