/* discord_config.c - the Discord keys and the bot token. */
#include "discord/discord_config.h"

#include <stddef.h>

#define F(field) offsetof(struct discord_settings, field)

static const struct config_key keys[] = {
    {.name = "discord_token_file",
     .kind = CONFIG_TOKEN_FILE,
     .off = F(token_file),
     .def = "",
     .example = "/run/secrets/discord_token",
     .help = "A file holding the Discord bot token alone (Developer Portal > Bot)."},
    {.name = "discord_application_id",
     .kind = CONFIG_DIGITS_OPT,
     .off = F(application_id),
     .def = "",
     .example = "123456789012345678",
     .help = "The application ID (Developer Portal > General Information), digits only.\n"
             "Empty means ask Discord (GET /applications/@me).",
     .fix = "copy the Application ID from the Discord developer portal"},
    {.name = "discord_api_base",
     .kind = CONFIG_HTTP_URL,
     .off = F(api_base),
     .def = "https://discord.com/api/v10",
     .example = "https://discord.com/api/v10",
     .help = "The Discord REST API base URL (tests point it at a fake server)."},
    {.name = "discord_shards",
     .kind = CONFIG_AUTO_COUNT,
     .off = F(shards),
     .max = 64,
     .def = "auto",
     .example = "auto",
     .help = "How many gateway shards to run: auto takes Discord's recommendation\n"
             "(GET /gateway/bot); a number (1 to 64) fixes it. One process runs them all."},
    {.name = "discord_gateway_url",
     .kind = CONFIG_WS_URL_OPT,
     .off = F(gateway_url),
     .def = "",
     .example = "wss://gateway.discord.gg",
     .help = "The gateway URL (ws:// or wss://). Empty means ask GET /gateway/bot."},
};

static const struct config_token tokens[] = {
    {.name = "discord_token",
     .file_key = "discord_token_file",
     .env = "DRILLBOT_DISCORD_TOKEN",
     .tok_off = F(token)},
};

const struct config_module discord_config_module = {
    .name = "discord",
    .heading = "Discord",
    .size = sizeof(struct discord_settings),
    .keys = keys,
    .nkeys = sizeof(keys) / sizeof(keys[0]),
    .tokens = tokens,
    .ntokens = sizeof(tokens) / sizeof(tokens[0]),
};

const struct discord_settings *discord_config(const struct config *c)
{
	return config_data(c, &discord_config_module);
}

bool discord_config_present(const struct config *c)
{
	const struct discord_settings *d = discord_config(c);
	return d != NULL && d->token != NULL;
}
