/*
 * edit.h - line editing for the console on a terminal, with libedit
 * (BSD editline) through its readline-compatible callback interface, so
 * the one libuv loop keeps running while a line is typed: arrows,
 * Ctrl-A/E, Up/Down through history, Ctrl-R for the newest line that
 * starts with what is typed (again for older), Tab to complete a command.
 * History lives in $XDG_STATE_HOME/drillbot/history (else
 * ~/.local/state/drillbot/history), mode 0600, the last EDIT_HISTORY_MAX
 * lines. A pipe never comes here: it is read line by line by loop.c.
 *
 * libedit keeps its state in globals, so there is at most one editor.
 */
#ifndef BOT_EDIT_H
#define BOT_EDIT_H

#include <stdbool.h>

#include "base/loop.h"

#define EDIT_HISTORY_MAX 1000

/* The words Tab completes at the start of a line ("/question"), NULL-terminated. */
typedef const char *const *edit_words_t;

/*
 * Starts editing standard input on loop l. Each line goes to on_line (as
 * loop_stdin_start's), end of input (Ctrl-D on an empty line) to on_eof,
 * once; so does shutdown, which also puts the terminal back as it was.
 * BOT_EINVAL when standard input or output is not a terminal or an editor
 * already runs; then nothing was started and the caller reads a pipe.
 */
int edit_start(struct loop *l, const char *prompt, edit_words_t words,
               void (*on_line)(const struct loop_line *line, void *arg), void (*on_eof)(void *arg),
               void *arg);

/* Changes the prompt shown for the next line ("> ", or "| " inside an answer). */
void edit_prompt(const char *prompt);

/*
 * Around output that is not a reply to the line being typed (a daily
 * post): before, the half-typed line is taken off the screen; after, the
 * prompt and that line are drawn again below the output. No-ops when no
 * editor runs.
 */
void edit_output_begin(void);
void edit_output_end(void);

/* Whether edit_start() would accept this process's standard input and output. */
bool edit_possible(void);

#endif
