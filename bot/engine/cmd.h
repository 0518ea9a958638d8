/*
 * cmd.h - the command table (after tmux's cmd_entry): the one source for
 * dispatch, /help, Discord command registration and the Slack manifest.
 * Each command's handler lives in a cmd_<name>.c file.
 */
#ifndef BOT_CMD_H
#define BOT_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/reply.h"

struct engine;
struct eng_ctx;

enum cmd_opt_type { CMD_OPT_STRING, CMD_OPT_INTEGER, CMD_OPT_TEXT };

#define CMD_MAX_OPTS    3
#define CMD_MAX_CHOICES 8

struct cmd_option {
	const char *name;
	const char *description;
	enum cmd_opt_type type; /* CMD_OPT_TEXT: takes the rest of the line */
	bool required;
	const char *choices[CMD_MAX_CHOICES]; /* NULL-terminated; empty = free */
	int min, max;                         /* for CMD_OPT_INTEGER */
};

struct cmd_entry {
	const char *name;  /* without the slash */
	const char *usage; /* arguments as shown in /help */
	const char *description;
	struct cmd_option options[CMD_MAX_OPTS];
	size_t noptions;
	bool admin; /* only for users who may administer the team */
	void (*exec)(struct eng_ctx *ctx, const char *args, struct reply *r);
};

/* The table and its size. */
const struct cmd_entry *cmd_table(size_t *n);
/* Finds a command by exact name (case-insensitive), or NULL. */
const struct cmd_entry *cmd_find(const char *name);

/* Handlers, one per command (cmd_question.c, cmd_answer.c, ...). */
void cmd_question(struct eng_ctx *ctx, const char *args, struct reply *r);
void cmd_answer(struct eng_ctx *ctx, const char *args, struct reply *r);
void cmd_stats(struct eng_ctx *ctx, const char *args, struct reply *r);
void cmd_weak(struct eng_ctx *ctx, const char *args, struct reply *r);
void cmd_leaderboard(struct eng_ctx *ctx, const char *args, struct reply *r);
void cmd_topics(struct eng_ctx *ctx, const char *args, struct reply *r);
void cmd_help(struct eng_ctx *ctx, const char *args, struct reply *r);
void cmd_tips(struct eng_ctx *ctx, const char *args, struct reply *r);
void cmd_settings(struct eng_ctx *ctx, const char *args, struct reply *r);
void cmd_forget_me(struct eng_ctx *ctx, const char *args, struct reply *r);

/* Button and modal actions, dispatched by the prefix of request.action. */
void cmd_action_answer(struct eng_ctx *ctx, const char *qid, struct reply *r);
void cmd_action_reveal(struct eng_ctx *ctx, const char *qid, struct reply *r);
void cmd_action_grade(struct eng_ctx *ctx, const char *arg, struct reply *r);
void cmd_action_forget(struct eng_ctx *ctx, const char *arg, struct reply *r);

#endif
