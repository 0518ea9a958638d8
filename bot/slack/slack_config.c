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
    {.name = "slack_command_prefix",
     .kind = CONFIG_WORDS_OPT,
     .off = F(command_prefix),
     .def = "",
     .example = "drill-",
     .help = "Put before every slash command name (drill- gives /drill-question) where a\n"
             "workspace already has a /question; run drillbot slack-manifest after changing it."},
    {.name = "slack_admins",
     .kind = CONFIG_WORDS_OPT,
     .off = F(admins),
     .def = "",
     .example = "U012AB3CD,U045EF6GH",
     .help = "Slack user ids who may administer drillbot besides the workspace's admins and\n"
             "owners (users.info says who those are)."},
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

bool slack_config_half(const struct config *c, struct buf *why)
{
	const struct slack_settings *s = slack_config(c);

	if (s == NULL || (s->bot_token == NULL) == (s->app_token == NULL))
		return false;
	if (s->app_token == NULL)
		buf_adds(
		    why,
		    "the Slack app-level token is missing: put the xapp- token (Basic "
		    "Information > App-Level Tokens, scope connections:write) in a file named "
		    "by slack_app_token_file, or in DRILLBOT_SLACK_APP_TOKEN; Slack needs both "
		    "tokens (or neither)");
	else
		buf_adds(why,
		         "the Slack bot token is missing: put the xoxb- token (OAuth & Permissions "
		         "> Bot User OAuth Token) in a file named by slack_bot_token_file, or in "
		         "DRILLBOT_SLACK_BOT_TOKEN; Slack needs both tokens (or neither)");
	return true;
}

const char *slack_config_prefix(const struct slack_settings *s)
{
	return s->command_prefix != NULL ? s->command_prefix : "";
}
