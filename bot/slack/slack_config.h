/*
 * slack_config.h - the Slack adapter's settings and its two tokens (the
 * bot token, xoxb-, and the app-level token for Socket Mode, xapp-).
 */
#ifndef BOT_SLACK_CONFIG_H
#define BOT_SLACK_CONFIG_H

#include <stdbool.h>

#include "base/config.h"

struct slack_settings {
	char *bot_token_file; /* NULL = none */
	char *app_token_file; /* NULL = none */
	char *api_base;       /* http(s)://..., never ends in '/' */
	char *command_prefix; /* "drill-" makes /question /drill-question; NULL = none */
	char *admins;         /* user ids, separated by commas or spaces; NULL = none */
	char *bot_token;      /* secrets: NULL until read, wiped when freed */
	char *app_token;
};

extern const struct config_module slack_config_module;

const struct slack_settings *slack_config(const struct config *c);
/* True when both Slack tokens are present. */
bool slack_config_present(const struct config *c);
/*
 * When exactly one of the two tokens is set: writes which one is missing
 * and how to set it to why and returns true.
 */
bool slack_config_half(const struct config *c, struct buf *why);
/* The command prefix, "" when none. */
const char *slack_config_prefix(const struct slack_settings *s);

#endif
