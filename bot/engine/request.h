/*
 * request.h - what a user did, as every adapter tells the engine: a
 * slash command with its text or typed options, or a pressed button or
 * submitted modal. Every pointer is borrowed for the call.
 */
#ifndef BOT_REQUEST_H
#define BOT_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REQUEST_TEXT_MAX    16384
#define REQUEST_MAX_OPTIONS 8

/* One option of a typed platform (Discord): the name from the command table. */
struct request_option {
	const char *name;
	const char *value; /* as text; integers in decimal */
};

struct request {
	const char *platform; /* "console", "discord", "slack" */
	const char *team;     /* guild / workspace id */
	const char *channel;
	const char *user;
	const char *user_name; /* display name, may be "" */
	const char *locale;    /* e.g. "en-US", or NULL when the platform gave none */
	const char *tz;        /* the user's zone as the platform knows it (Slack), or NULL */
	bool is_dm;            /* sent in a direct message, not a team channel */
	bool personal;         /* the team is this user alone (a Discord DM is a team of its own):
	                          nobody else can review their answers */
	bool is_admin;         /* may administer the team / channel */
	const char *command;   /* "question" (no slash), or NULL for an action */
	const char *args;      /* text platforms: the text after the command, may be "" */
	const struct request_option *options; /* typed platforms; when set, args is unused */
	size_t noptions;
	const char *action; /* the id of a pressed button or submitted modal */
	const char *input;  /* the text typed into a modal, or NULL */
	/* When the adapter had to cut what the user sent (input, or an option's
	 * text) to its own buffer, the real length in code points, so "your
	 * answer is N characters" tells the truth; 0 when nothing was cut. */
	size_t text_chars;
	int64_t now; /* the injected clock, unix seconds */
};

#endif
