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
	struct loop *loop;
};

struct console *console_new(struct engine *e, FILE *out, int64_t (*now)(void *arg), void *arg)
{
	struct console *c = xcalloc(1, sizeof(*c));

	c->engine = e;
	c->out = out;
	c->now = now;
	c->now_arg = arg;
	return c;
}

void console_free(struct console *c)
{
	free(c);
}

void console_greet(struct console *c)
{
	fprintf(c->out, "drillbot console: type /help for the commands, /question caching to "
	                "start, /quit to leave.\n");
	fflush(c->out);
}

/* Markdown for a terminal: drop ** and _ emphasis markers, keep the rest. */
static void print_text(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (s[0] == '*' && s[1] == '*') {
			s++;
			continue;
		}
		fputc(*s, out);
	}
	fputc('\n', out);
}

static void print_reply(struct console *c, const struct reply *r)
{
	size_t i;

	if (r->ephemeral)
		fputs("(only you can see this)\n", c->out);
	print_text(c->out, buf_str(&r->text));
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
		fputs("Type your answer on one line and press Enter:\n", c->out);
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

bool console_line(struct console *c, const char *line)
{
	char *copy = xstrndup(line, REQUEST_TEXT_MAX);
	char *s = util_trim(copy);
	bool go_on = true;

	if (c->pending_modal[0] != '\0') {
		char action[REPLY_URL_MAX];
		snprintf(action, sizeof(action), "%s", c->pending_modal);
		c->pending_modal[0] = '\0';
		run(c, NULL, NULL, action, s);
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
		run(c, s + 1, util_trim(args), NULL, NULL);
	} else {
		/* Free text outside an answer box: show what can be typed. */
		run(c, "help", "", NULL, NULL);
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

	if (c->loop != NULL && !loop_stopping(c->loop))
		loop_stop(c->loop);
}

int console_attach(struct console *c, struct loop *l)
{
	c->loop = l;
	return loop_stdin_start(l, on_line, on_eof, c);
}
