/*
 * slack_config.c - the Slack keys and tokens. The two tokens are easy to
 * swap, so each is checked for the other's prefix.
 */
#include "slack/slack_config.h"

#include <stddef.h>

#include "base/err.h"
#include "base/log.h"

#define F(field) offsetof(struct slack_settings, field)

static int check_bot(const char *tok, const char *where, struct buf *why)
{
	if (util_has_prefix_ci(tok, "xapp-")) {
		buf_addf(why,
		         "%s holds an app-level token (xapp-), not the bot token (xoxb-); "
		         "swap the Slack bot and app tokens",
		         where);
		return BOT_ECONFIG;
	}
	if (!util_has_prefix_ci(tok, "xoxb-"))
		LOG_W("config",
		      "%s does not hold a token starting with xoxb-; Slack will likely "
		      "refuse it",
		      where);
	return BOT_OK;
}

static int check_app(const char *tok, const char *where, struct buf *why)
{
	if (util_has_prefix_ci(tok, "xox")) {
		buf_addf(why,
		         "%s holds a bot or user token (xox...), not the app-level token "
		         "(xapp-); swap the Slack bot and app tokens",
		         where);
		return BOT_ECONFIG;
	}
	if (!util_has_prefix_ci(tok, "xapp-"))
		LOG_W("config",
		      "%s does not hold a token starting with xapp-; Slack Socket Mode "
		      "will likely refuse it",
		      where);
	return BOT_OK;
}

static const struct config_key keys[] = {
    {.name = "slack_bot_token_file",
     .kind = CONFIG_TOKEN_FILE,
     .off = F(bot_token_file),
     .def = "",
     .example = "/run/secrets/slack_bot_token",
     .help = "A file holding the bot token (xoxb-...) alone."},
    {.name = "slack_app_token_file",
     .kind = CONFIG_TOKEN_FILE,
     .off = F(app_token_file),
     .def = "",
     .example = "/run/secrets/slack_app_token",
     .help = "A file holding the app-level token (xapp-..., scope connections:write) alone."},
    {.name = "slack_api_base",
     .kind = CONFIG_HTTP_URL,
     .off = F(api_base),
     .def = "https://slack.com/api",
     .example = "https://slack.com/api",
     .help = "The Slack Web API base URL (tests point it at a fake server)."},
};

static const struct config_token tokens[] = {
    {.name = "slack_bot_token",
     .file_key = "slack_bot_token_file",
     .env = "DRILLBOT_SLACK_BOT_TOKEN",
     .tok_off = F(bot_token),
     .check = check_bot},
    {.name = "slack_app_token",
     .file_key = "slack_app_token_file",
     .env = "DRILLBOT_SLACK_APP_TOKEN",
     .tok_off = F(app_token),
     .check = check_app},
};

const struct config_module slack_config_module = {
    .name = "slack",
    .heading = "Slack (Socket Mode; both tokens are needed)",
    .size = sizeof(struct slack_settings),
    .keys = keys,
    .nkeys = sizeof(keys) / sizeof(keys[0]),
    .tokens = tokens,
    .ntokens = sizeof(tokens) / sizeof(tokens[0]),
};

const struct slack_settings *slack_config(const struct config *c)
{
	return config_data(c, &slack_config_module);
}

bool slack_config_present(const struct config *c)
{
	const struct slack_settings *s = slack_config(c);
	return s != NULL && s->bot_token != NULL && s->app_token != NULL;
}
