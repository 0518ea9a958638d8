/*
 * edit.c - libedit on the libuv loop: a uv_poll on fd 0 feeds
 * rl_callback_read_char(), which calls back with each finished line.
 */
#include "console/edit.h"

#include <editline/readline.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#define MOD "console"

struct edit {
	struct loop *loop;
	uv_poll_t poll;
	edit_words_t words;
	void (*on_line)(const struct loop_line *line, void *arg);
	void (*on_eof)(void *arg);
	void *arg;
	char *history; /* the history file, or NULL when there is no home to keep it in */
	bool done;     /* on_eof has run and the terminal is restored */
	bool eof;      /* Ctrl-D was pressed on an empty line */
	char prompt[16];
};

static struct edit *the_editor; /* libedit's state is global; so is its one user */

bool edit_possible(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

/* $XDG_STATE_HOME/drillbot, else ~/.local/state/drillbot, created 0700; NULL without a home. */
static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char *dir, *p;

	if (state != NULL && state[0] == '/')
		dir = xasprintf("%s/drillbot", state);
	else if (home != NULL && home[0] == '/')
		dir = xasprintf("%s/.local/state/drillbot", home);
	else
		return NULL;
	/* mkdir -p: each missing parent, then the directory itself. */
	for (p = strchr(dir + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
		*p = '\0';
		(void)mkdir(dir, 0700);
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		LOG_W(MOD, "cannot create %s for the line history: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	p = xasprintf("%s/history", dir);
	free(dir);
	return p;
}

/* Writes the history now, so a kill loses nothing typed; private, as answers are. */
static void history_save(const struct edit *ed)
{
	if (ed->history == NULL)
		return;
	if (write_history(ed->history) != 0) {
		LOG_W(MOD, "cannot write the line history to %s", ed->history);
		return;
	}
	(void)chmod(ed->history, 0600);
}

/* Puts the terminal back and lets go of fd 0; on_eof once. */
static void finish(struct edit *ed)
{
	if (ed->done)
		return;
	ed->done = true;
	rl_callback_handler_remove();
	uv_poll_stop(&ed->poll);
	ed->on_eof(ed->arg);
}

static void on_poll_closed(uv_handle_t *h)
{
	struct edit *ed = h->data;

	free(ed->history);
	free(ed);
}

static void on_shutdown(void *arg)
{
	struct edit *ed = arg;

	finish(ed);
	the_editor = NULL;
	uv_close((uv_handle_t *)&ed->poll, on_poll_closed);
}

static void on_rl_line(char *text)
{
	struct edit *ed = the_editor;
	struct loop_line line;

	if (ed == NULL || ed->done) {
		free(text);
		return;
	}
	if (text == NULL) { /* Ctrl-D on an empty line */
		fputc('\n', stdout);
		finish(ed);
		return;
	}
	if (text[0] != '\0') {
		add_history(text);
		history_save(ed);
	}
	line.text = text;
	line.len = strlen(text);
	line.chars = util_utf8_chars(text, line.len);
	ed->on_line(&line, ed->arg);
	free(text);
	/* libedit leaves the terminal cooked after a line, until the handler is
	 * installed again: that puts it back in raw mode and shows the prompt. */
	if (!ed->done && !loop_stopping(ed->loop))
		rl_callback_handler_install(ed->prompt, on_rl_line);
}

static void on_readable(uv_poll_t *p, int status, int events)
{
	struct edit *ed = p->data;

	(void)events;
	if (status < 0) {
		LOG_W(MOD, "reading the terminal: %s", uv_strerror(status));
		finish(ed);
		return;
	}
	rl_callback_read_char();
	if (ed->eof) {
		fputc('\n', stdout);
		finish(ed);
	}
}

/*
 * Ctrl-D: end of input on an empty line, else delete the character under
 * the cursor. libedit's callback mode drops the end-of-file key instead of
 * handing back NULL as readline does, so it is bound here.
 */
static int on_ctrl_d(int count, int key)
{
	(void)count;
	(void)key;
	if (rl_end == 0 && the_editor != NULL)
		the_editor->eof = true;
	else if (rl_point < rl_end)
		rl_delete_text(rl_point, rl_point + 1);
	return 0;
}

/* Tab: the command names that start with what is typed, at the start of a line only. */
static char *next_word(const char *text, int state)
{
	static size_t i;
	size_t n = strlen(text);

	if (state == 0)
		i = 0;
	while (the_editor != NULL && the_editor->words[i] != NULL) {
		const char *w = the_editor->words[i++];
		if (strncmp(w, text, n) == 0)
			return xstrdup(w);
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1; /* never fall back to file names */
	if (start != 0)
		return NULL;
	return rl_completion_matches(text, next_word);
}

int edit_start(struct loop *l, const char *prompt, edit_words_t words,
               void (*on_line)(const struct loop_line *line, void *arg), void (*on_eof)(void *arg),
               void *arg)
{
	struct edit *ed;
	int rc;

	if (the_editor != NULL || !edit_possible() || loop_stopping(l))
		return BOT_EINVAL;
	ed = xcalloc(1, sizeof(*ed));
	ed->loop = l;
	ed->words = words;
	ed->on_line = on_line;
	ed->on_eof = on_eof;
	ed->arg = arg;
	rc = uv_poll_init(loop_uv(l), &ed->poll, STDIN_FILENO);
	if (rc != 0) {
		LOG_W(MOD, "cannot watch the terminal: %s", uv_strerror(rc));
		free(ed);
		return BOT_EINVAL;
	}
	ed->poll.data = ed;
	if (loop_on_shutdown(l, on_shutdown, ed) != BOT_OK) {
		uv_close((uv_handle_t *)&ed->poll, on_poll_closed);
		return BOT_EINVAL;
	}
	the_editor = ed;
	ed->history = history_path();
	rl_readline_name = "drillbot";
	rl_attempted_completion_function = complete;
	using_history();
	stifle_history(EDIT_HISTORY_MAX);
	if (ed->history != NULL)
		(void)read_history(ed->history); /* none yet on a first run */
	snprintf(ed->prompt, sizeof(ed->prompt), "%s", prompt);
	rl_callback_handler_install(ed->prompt, on_rl_line);
	/* After the install, which sets up libedit: bindings need its state. */
	rl_add_defun("drillbot-eof", on_ctrl_d, 4);
	/* Ctrl-R: the newest line that starts with what is typed, again for
	 * older ones. libedit's incremental search (em-inc-search-prev) ends
	 * the line with its "bck:" prompt in it in callback mode. */
	rl_parse_and_bind("bind ^R ed-search-prev-history");
	uv_poll_start(&ed->poll, UV_READABLE, on_readable);
	return BOT_OK;
}

void edit_output_begin(void)
{
	if (the_editor == NULL)
		return;
	/* Carriage return and erase to the end of the line: the line is kept by the
	 * editor and drawn again by edit_output_end(). */
	fputs("\r\033[K", stdout);
	fflush(stdout);
}

void edit_output_end(void)
{
	if (the_editor == NULL)
		return;
	fflush(stdout);
	rl_on_new_line();
	rl_forced_update_display();
}

void edit_prompt(const char *prompt)
{
	/* Shown from the next line on (on_rl_line installs it). */
	if (the_editor != NULL)
		snprintf(the_editor->prompt, sizeof(the_editor->prompt), "%s", prompt);
}
