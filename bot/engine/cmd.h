/*
 * cmd.h - commands and actions as data (after tmux's cmd_entry and
 * args_parse). One table holds every slash command and every button or
 * modal action with its typed options; it is the one source for dispatch,
 * /help, Discord command registration and the Slack manifest.
 *
 * Text platforms (console, Slack) hand the text after the command to
 * cmd_parse_text(); typed platforms (Discord) set each option by name
 * with cmd_values_set() and call cmd_values_check(). Either way the
 * handler reads validated values, never raw text.
 *
 * Action ids are versioned: "1:<action>:<arg>:<arg>", at most
 * CMD_ACTION_ID_MAX bytes (Discord's custom_id limit) for every question
 * id the bank's lint accepts. Ids without a version ("reveal:<id>",
 * posted before versioning) are read as version 0 with the same names.
 */
#ifndef BOT_CMD_H
#define BOT_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "bank/content.h"
#include "base/util.h"
#include "engine/reply.h"

struct eng_ctx;

enum cmd_kind { CMD_COMMAND, CMD_ACTION };

enum cmd_opt_type {
	CMD_OPT_STRING,   /* one word; choices, when given, restrict it */
	CMD_OPT_INTEGER,  /* min..max; words may name values ("hard" = 3) */
	CMD_OPT_TOPIC,    /* a topic slug, alias or unambiguous prefix */
	CMD_OPT_QUESTION, /* a question id of the bank */
	CMD_OPT_ZONE,     /* an IANA time zone name */
	CMD_OPT_TEXT,     /* the rest of the line, newlines kept */
	CMD_OPT_USER      /* a user of the team: the platform's id, from a mention (Slack
	                     "<@U123|ann>", Discord "<@123>" or a USER option, the console's
	                     "@ann"); the value is the bare id */
};

#define CMD_MAX_OPTS       8
#define CMD_MAX_CHOICES    8
#define CMD_MAX_WORDS      8
#define CMD_VALUE_MAX      4000 /* a TEXT value, in code points (the answer limit) */
#define CMD_ACTION_ID_MAX  100
#define CMD_ACTION_VERSION "1"

struct cmd_word {
	const char *word;
	int value;
};

struct cmd_option {
	const char *name; /* NULL ends the list */
	const char *description;
	enum cmd_opt_type type;
	bool required;
	bool named_only;                      /* only as "name:value", never from a bare word */
	const char *choices[CMD_MAX_CHOICES]; /* NULL-terminated; none = free */
	int min, max;                         /* CMD_OPT_INTEGER */
	struct cmd_word words[CMD_MAX_WORDS]; /* CMD_OPT_INTEGER, NULL-terminated */
};

struct cmd_values;

struct cmd_entry {
	enum cmd_kind kind;
	const char *name;   /* without the slash; an action's name in its id */
	const char *abbrev; /* a short form people type ("lb"); suggested, not run */
	const char *description;
	const char *example; /* a correct use, shown with every error */
	struct cmd_option options[CMD_MAX_OPTS];
	bool admin; /* only for users who may administer the team */
	void (*exec)(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
};

/* One option's value after parsing and checking. */
struct cmd_value {
	bool set;
	const char *str; /* the text given; for TOPIC the topic's slug */
	long num;        /* INTEGER */
	size_t index;    /* TOPIC: into content.topics; QUESTION: into content.questions */
};

struct cmd_values {
	const struct cmd_entry *entry;
	struct cmd_value v[CMD_MAX_OPTS];
	char *owned[CMD_MAX_OPTS]; /* copies behind v[i].str */
};

/* The table and its size. */
const struct cmd_entry *cmd_table(size_t *n);
/* A command (kind CMD_COMMAND) by exact name, any case, or NULL. */
const struct cmd_entry *cmd_find(const char *name);
/* The command nearest to name by prefix or edit distance, or NULL when none is close. */
const struct cmd_entry *cmd_closest(const char *name);
/* Options in e->options (the list ends at the first NULL name). */
size_t cmd_noptions(const struct cmd_entry *e);
/* "/question [topic] [difficulty]" into out (reset first). */
void cmd_usage(const struct cmd_entry *e, struct buf *out);

void cmd_values_init(struct cmd_values *v, const struct cmd_entry *e);
void cmd_values_cleanup(struct cmd_values *v);
/*
 * Sets an option by name from a typed platform. BOT_ENOENT when the entry
 * has no such option; the value is checked by cmd_values_check().
 */
int cmd_values_set(struct cmd_values *v, const char *name, const char *value);
/*
 * Checks and converts every set value against its option and reports the
 * first problem to err as one Markdown line ending with the entry's
 * example. BOT_OK or BOT_EINVAL.
 */
int cmd_values_check(struct cmd_values *v, const struct content *c, struct buf *err);
/* The value of the option called name; never NULL (an unset value when unknown). */
const struct cmd_value *cmd_get(const struct cmd_values *v, const char *name);

/*
 * Parses the text after a command (console, Slack): "name:value" and
 * "name value" set an option by name; other words fill the free options
 * by kind (a number or a difficulty word the integer, a choice its
 * option, the rest the next free option); a TEXT option takes the rest of
 * the line. Then cmd_values_check(). BOT_OK or BOT_EINVAL with err set.
 */
int cmd_parse_text(struct cmd_values *v, const struct content *c, const char *text,
                   struct buf *err);

/*
 * Builds an action id "1:<name>:<args...>" from a NULL-terminated list of
 * arguments. BOT_ETOOBIG when it would pass CMD_ACTION_ID_MAX.
 */
int cmd_action_id(char *out, size_t size, const char *name, ...) __attribute__((sentinel));
/*
 * Parses an action id (and a modal's typed input, or NULL) into the
 * action's entry and values. BOT_ENOENT for an id of another version or
 * an unknown action; BOT_EINVAL with err set for bad values.
 */
int cmd_parse_action(const char *id, const char *input, const struct content *c,
                     struct cmd_values *v, struct buf *err);

/* Handlers, one file per command: cmd_question.c, cmd_answer.c, ... */
void cmd_question(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_answer(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_stats(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_weak(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_leaderboard(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_topics(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_help(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_tips(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_settings(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_forget_me(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_export_me(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_daily(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_action_answer(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_action_reveal(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_action_grade(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_action_followup(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_action_forget(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_reviewers(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_review(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_action_challenge(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_action_rule(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);
void cmd_action_season(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r);

#endif
