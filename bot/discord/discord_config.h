/*
 * discord_config.h - the Discord adapter's settings and token, declared
 * here so the loader in base/ knows nothing of Discord.
 */
#ifndef BOT_DISCORD_CONFIG_H
#define BOT_DISCORD_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"

struct discord_settings {
	char *token_file;     /* NULL = none */
	char *application_id; /* decimal snowflake, NULL = ask GET /applications/@me */
	char *api_base;       /* http(s)://..., never ends in '/' */
	char *gateway_url;    /* ws(s)://..., NULL = ask GET /gateway/bot */
	char *token;          /* secret: NULL until read, wiped when freed */
	uint64_t shards;      /* 0 = auto (Discord's recommendation) */
};

extern const struct config_module discord_config_module;

const struct discord_settings *discord_config(const struct config *c);
/* True when a Discord bot token is present. */
bool discord_config_present(const struct config *c);

#endif
