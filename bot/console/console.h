/*
 * console.h - the terminal adapter: reads commands line by line (from a
 * terminal or a pipe) as user "local" of team "local", and prints the
 * engine's replies readably: Markdown emphasis dropped, buttons as
 * numbered actions, links as URLs. Typing a button's number presses it;
 * the Answer button opens a box that reads lines until an empty one.
 */
#ifndef BOT_CONSOLE_H
#define BOT_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/loop.h"
#include "engine/engine.h"

struct console;

/*
 * Creates a console over engine e (borrowed) that prints to out (borrowed).
 * now() supplies the clock for each request.
 */
struct console *console_new(struct engine *e, FILE *out, int64_t (*now)(void *arg), void *arg);
void console_free(struct console *c);

/*
 * Plays as user `name` (borrowed; copied), another member of team "local"
 * and not an admin, instead of "local", its admin: so one terminal can try
 * what a member sees, and a challenge can be ruled by someone else.
 */
void console_set_user(struct console *c, const char *name);

/* Prints the greeting. */
void console_greet(struct console *c);
/*
 * Handles one line of input: len bytes of text (without the newline),
 * chars its real length in code points when the reader cut it. A line
 * with a NUL byte is refused with a message; bytes that are not UTF-8
 * become U+FFFD. Returns false when the user asked to quit.
 */
bool console_input(struct console *c, const char *text, size_t len, size_t chars);
/* console_input() of a NUL-terminated line. */
bool console_line(struct console *c, const char *line);

/*
 * Prints a post the bot made on its own (the daily drill) as the channel
 * shows it; its buttons become the numbered ones.
 */
void console_post(struct console *c, const struct reply *r);

/* At the end of input: sends an answer still being typed. */
void console_end(struct console *c);

/*
 * Reads standard input on the loop; at end of input or "/quit" the loop
 * is asked to stop. Errors as loop_stdin_start.
 */
int console_attach(struct console *c, struct loop *l);

#endif
