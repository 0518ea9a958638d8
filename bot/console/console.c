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
#include "console/edit.h"
#include "console/term.h"
#include "engine/cmd.h"
#include "engine/reply.h"

#define CONSOLE_PLATFORM "console"
#define CONSOLE_ID       "local"
#define PROMPT           "> "
#define ANSWER_PROMPT    "| "

struct console {
	struct engine *engine;
	FILE *out;
	struct term term;
	int64_t (*now)(void *arg);
	void *now_arg;
	struct reply_button buttons[REPLY_MAX_BUTTONS];
	size_t nbuttons;
	char pending_modal[REPLY_URL_MAX]; /* action awaiting typed input, or "" */
	struct buf answer;                 /* the lines typed into it so far */
	size_t answer_chars;               /* their real length in code points, cut part too */
	bool answer_cut;                   /* some did not fit REQUEST_TEXT_MAX bytes */
	struct loop *loop;
	bool hinted;  /* the "commands start with /" line was shown since the last command */
	bool editing; /* lines come from libedit on a terminal */
	const char *words[32]; /* "/question", ... for Tab */
	char word_buf[32][40];
	char user[64]; /* who types: CONSOLE_ID, the admin, unless console_set_user() */
	bool admin;
};

struct console *console_new(struct engine *e, FILE *out, int64_t (*now)(void *arg), void *arg)
{
	struct console *c = xcalloc(1, sizeof(*c));

	c->engine = e;
	c->out = out;
	term_init(&c->term, out);
	c->now = now;
	c->now_arg = arg;
	buf_init(&c->answer, REQUEST_TEXT_MAX);
	snprintf(c->user, sizeof(c->user), "%s", CONSOLE_ID);
	c->admin = true; /* the person at the terminal owns this bot */
	return c;
}

void console_set_user(struct console *c, const char *name)
{
	snprintf(c->user, sizeof(c->user), "%s", name);
	c->admin = strcmp(c->user, CONSOLE_ID) == 0;
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

static void print_reply(struct console *c, const struct reply *r)
{
	size_t i;

	const struct term *t = &c->term;

	if (r->ephemeral)
		fputs("(only you can see this)\n", c->out);
	if (r->title[0] != '\0')
		term_heading(t, r->title);
	term_markdown(t, buf_str(&r->text));
	for (i = 0; i < r->nfields; i++) {
		term_puts(t, r->fields[i].name);
		fputs(": ", c->out);
		term_markdown(t, r->fields[i].value);
	}
	if (r->footer[0] != '\0') {
		term_puts(t, r->footer);
		fputc('\n', c->out);
	}
	c->nbuttons = r->nbuttons;
	for (i = 0; i < r->nbuttons; i++) {
		c->buttons[i] = r->buttons[i];
		fprintf(c->out, "  [%zu] ", i + 1);
		term_puts(t, r->buttons[i].label);
		if (r->buttons[i].kind == REPLY_LINK) {
			fputs(": ", c->out);
			term_puts(t, r->buttons[i].id);
		}
		fputc('\n', c->out);
	}
	if (r->nbuttons > 0)
		fputs("Type a number to press a button.\n", c->out);
	fputs("\n", c->out);
	fflush(c->out);
}

void console_post(struct console *c, const struct reply *r)
{
	if (c->editing)
		edit_output_begin();
	fputs("📅 Posted in this channel by the daily drill:\n", c->out);
	print_reply(c, r);
	if (c->editing)
		edit_output_end();
}

static void run(struct console *c, const char *command, const char *args, const char *action,
                const char *input, size_t text_chars)
{
	struct request req;
	struct reply r;

	memset(&req, 0, sizeof(req));
	req.platform = CONSOLE_PLATFORM;
	req.team = CONSOLE_ID;
	req.channel = CONSOLE_ID;
	req.user = c->user;
	req.user_name = c->user;
	req.command = command;
	req.args = args;
	req.action = action;
	req.input = input;
	req.text_chars = text_chars;
	req.is_admin = c->admin;
	req.now = c->now(c->now_arg);
	reply_init(&r);
	engine_handle(c->engine, &req, &r);
	print_reply(c, &r);
	reply_cleanup(&r);
}

static void answer_reset(struct console *c)
{
	buf_reset(&c->answer);
	c->answer_chars = 0;
	c->answer_cut = false;
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
		fputs("Open ", c->out);
		term_puts(&c->term, b->id);
		fputs(" in your browser.\n\n", c->out);
	} else if (b->kind == REPLY_MODAL) {
		snprintf(c->pending_modal, sizeof(c->pending_modal), "%s", b->id);
		answer_reset(c);
		fputs("Type your answer (several lines are fine); an empty line sends it, "
		      "/cancel closes the box:\n",
		      c->out);
	} else {
		char id[REPLY_URL_MAX];
		snprintf(id, sizeof(id), "%s", b->id);
		run(c, NULL, NULL, id, NULL, 0);
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
	run(c, NULL, NULL, action, buf_str(&c->answer), c->answer_cut ? c->answer_chars : 0);
	answer_reset(c);
}

/* Adds a typed line to the answer; past the request limit only its length is kept. */
static void answer_add(struct console *c, const char *line, size_t len, size_t chars)
{
	bool first = c->answer.len == 0 && c->answer_chars == 0;

	c->answer_chars += chars + (first ? 0 : 1);
	if (c->answer_cut || (!first && buf_add(&c->answer, "\n", 1) != BOT_OK) ||
	    buf_add(&c->answer, line, len) != BOT_OK)
		c->answer_cut = true;
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
static bool answer_line(struct console *c, const char *line, size_t len, size_t chars,
                        const char *s)
{
	if (strcmp(s, "/cancel") == 0) {
		c->pending_modal[0] = '\0';
		answer_reset(c);
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
	answer_add(c, line, len, chars);
	return true;
}

void console_end(struct console *c)
{
	if (c->pending_modal[0] != '\0' && c->answer.len > 0)
		submit_answer(c);
	c->pending_modal[0] = '\0';
}

/* Runs "/name args" (s is trimmed and writable); chars is the line's real length. */
static void command_line(struct console *c, char *s, size_t len, size_t chars)
{
	size_t n = strcspn(s + 1, " \t");
	char *args = s + 1 + n;
	size_t kept = util_utf8_chars(s, len);

	if (*args != '\0')
		*args++ = '\0';
	c->hinted = false;
	/* A line the reader cut: the engine hears how long the text really was. */
	run(c, s + 1, util_trim(args), NULL, NULL,
	    chars > kept ? chars - util_utf8_chars(s, (size_t)(args - s)) : 0);
}

/* One line, already valid UTF-8 without NUL bytes. */
static bool handle_line(struct console *c, const char *line, size_t len, size_t chars)
{
	char *copy = xstrndup(line, len);
	char *s = util_trim(copy);
	bool go_on = true;

	if (c->pending_modal[0] != '\0' && answer_line(c, line, len, chars, s)) {
		/* consumed by the answer box */
	} else if (*s == '\0') {
		/* A blank line is nothing to answer. */
	} else if (strcmp(s, "/quit") == 0 || strcmp(s, "/exit") == 0 || strcmp(s, "quit") == 0) {
		go_on = false;
	} else if (is_number(s)) {
		press(c, (size_t)strtoul(s, NULL, 10));
	} else if (*s == '/') {
		command_line(c, s, strlen(s), chars);
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

bool console_input(struct console *c, const char *text, size_t len, size_t chars)
{
	struct buf fixed;
	size_t bad;
	bool go_on;

	if (memchr(text, '\0', len) != NULL) {
		/* Cutting at the NUL would store half an answer without a word. */
		fputs("That line holds a NUL byte, which is not text, so none of it was read. "
		      "Remove the NUL (it comes from pasting binary data) and send the line "
		      "again.\n\n",
		      c->out);
		fflush(c->out);
		return true;
	}
	buf_init(&fixed, LOOP_LINE_MAX * 3 + 1); /* each bad byte may become 3 */
	bad = util_utf8_repair(text, len, &fixed);
	if (bad > 0 &&
	    (c->pending_modal[0] != '\0' || buf_str(&fixed)[strspn(buf_str(&fixed), " \t")] == '/'))
		fprintf(c->out,
		        "(%zu byte%s of that line %s not UTF-8 and %s shown as U+FFFD, the "
		        "replacement character.)\n",
		        bad, bad == 1 ? "" : "s", bad == 1 ? "was" : "were",
		        bad == 1 ? "is" : "are");
	go_on = handle_line(c, buf_str(&fixed), fixed.len, chars);
	buf_cleanup(&fixed);
	return go_on;
}

bool console_line(struct console *c, const char *line)
{
	size_t len = strlen(line);

	return console_input(c, line, len, util_utf8_chars(line, len));
}

/* The prompt says whether the next line goes into the answer box. */
static void prompt_update(struct console *c)
{
	if (c->editing)
		edit_prompt(c->pending_modal[0] != '\0' ? ANSWER_PROMPT : PROMPT);
}

static void on_line(const struct loop_line *line, void *arg)
{
	struct console *c = arg;

	if (!console_input(c, line->text, line->len, line->chars) && c->loop != NULL)
		loop_stop(c->loop);
	prompt_update(c);
}

static void on_eof(void *arg)
{
	struct console *c = arg;

	console_end(c);
	if (c->loop != NULL && !loop_stopping(c->loop))
		loop_stop(c->loop);
}

static void collect_words(struct console *c)
{
	size_t n, i, k = 0;
	const struct cmd_entry *t = cmd_table(&n);

	for (i = 0; i < n && k + 3 < UTIL_ARRAY_LEN(c->words); i++) {
		if (t[i].kind != CMD_COMMAND)
			continue;
		snprintf(c->word_buf[k], sizeof(c->word_buf[k]), "/%s", t[i].name);
		c->words[k] = c->word_buf[k];
		k++;
	}
	c->words[k++] = "/quit";
	c->words[k] = NULL;
}

int console_attach(struct console *c, struct loop *l)
{
	c->loop = l;
	if (edit_possible()) {
		collect_words(c);
		if (edit_start(l, PROMPT, c->words, on_line, on_eof, c) == BOT_OK) {
			c->editing = true;
			return BOT_OK;
		}
	}
	return loop_stdin_start(l, on_line, on_eof, c);
}
