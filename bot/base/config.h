/*
 * config.h - drillbot's settings: defaults, the INI file (parsed with
 * inih), DRILLBOT_* environment overrides and the bot tokens.
 *
 * Start-up runs, in this order:
 *
 *	config_init(&c);
 *	config_load_file(&c, path, &err);	(optional)
 *	config_load_env(&c, NULL, &err);	(environment wins over the file)
 *	config_load_tokens(&c, &err);		(reads the *_token_file files)
 *
 * Every refusal leaves a one-line message in err that says where the
 * problem is, what is wrong and how to fix it, so main can print it as a
 * fatal start-up error. No message ever contains a token.
 *
 * Tokens are kept out of the config file on purpose: the file is the kind
 * of thing people paste into issues. They come from a file of their own
 * (Docker/systemd credentials) or from the environment, and are registered
 * with the logger's redactor the moment they are read.
 */
#ifndef BOT_CONFIG_H
#define BOT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/log.h"
#include "base/util.h"

/* The largest token file or token accepted: real tokens are ~100 bytes. */
#define CONFIG_TOKEN_MAX 4096
/* The largest configuration file accepted. */
#define CONFIG_FILE_MAX (64 * 1024)
/* The largest single value accepted from the environment. */
#define CONFIG_VALUE_MAX 4096

/*
 * Every string is owned by the struct. Optional settings whose default is
 * empty are NULL while unset; required ones are never NULL after
 * config_init.
 */
struct config {
	enum log_level log_level;
	char *database;               /* SQLite path or ":memory:" */
	char *content_dir;            /* question bank directory */
	char *public_base_url;        /* http(s)://..., never ends in '/' */
	char *default_timezone;       /* "UTC" or a zone in the tz database */
	char *web_host;               /* web_listen host; IPv6 without brackets */
	int web_port;                 /* web_listen port, 0..65535 */
	char *discord_token_file;     /* NULL = none */
	char *discord_application_id; /* decimal snowflake, NULL = none */
	char *discord_api_base;       /* http(s)://..., never ends in '/' */
	char *discord_gateway_url;    /* ws(s)://..., NULL = ask GET /gateway/bot */
	char *slack_bot_token_file;   /* NULL = none */
	char *slack_app_token_file;   /* NULL = none */
	char *slack_api_base;         /* http(s)://..., never ends in '/' */
	uint64_t rng_seed;            /* 0 = random */

	/* Secrets: NULL until read. Zeroed before they are freed. */
	char *discord_token;
	char *slack_bot_token;
	char *slack_app_token;
};

/* Fills c with the defaults (any previous contents are ignored, not freed). */
void config_init(struct config *c);

/* Frees everything c owns, wiping the tokens first, and zeroes c. Safe to
 * call twice. */
void config_cleanup(struct config *c);

/*
 * Applies the settings in the INI file at path. Keys are flat; a
 * "[drillbot]" header is allowed and ignored, any other section is an
 * error. Key names are case-insensitive. Returns BOT_OK; BOT_ENOENT when
 * the file does not exist; BOT_EIO when it cannot be read; BOT_ECONFIG at
 * the first bad line. On failure err (may be NULL; reset first) holds
 * "path:line: what is wrong; how to fix", and c keeps the values set by
 * the lines before the bad one (still valid for config_cleanup).
 */
int config_load_file(struct config *c, const char *path, struct buf *err);

/*
 * Applies DRILLBOT_<KEY> variables (DRILLBOT_DATABASE, ...) from envp, a
 * NULL-terminated "NAME=value" array (NULL means environ). Values are
 * trimmed and validated as in the file; an error names the variable.
 * DRILLBOT_DISCORD_TOKEN, DRILLBOT_SLACK_BOT_TOKEN and
 * DRILLBOT_SLACK_APP_TOKEN set the tokens directly (an empty one counts as
 * unset) and register them with log_add_secret(). Other DRILLBOT_*
 * variables belong to other tools and are ignored, with a warning when the
 * name is one typo away from a key. Returns BOT_OK or BOT_ECONFIG.
 */
int config_load_env(struct config *c, char **envp, struct buf *err);

/*
 * Reads each *_token_file whose token is not set yet (the environment wins),
 * strips surrounding whitespace and registers the token with
 * log_add_secret(). Refuses an empty file, one over CONFIG_TOKEN_MAX bytes,
 * a token shorter than 8 characters or with whitespace inside, and a Slack
 * bot and app token that are swapped; warns through the log when the file
 * is readable by group or others. Returns BOT_OK, BOT_ENOENT for a missing
 * file, or BOT_ECONFIG; err (may be NULL; reset first) then names the key
 * and the file, never the token.
 */
int config_load_tokens(struct config *c, struct buf *err);

/* True when a Discord bot token is present. */
bool config_has_discord(const struct config *c);
/* True when both Slack tokens (bot xoxb- and app-level xapp-) are present. */
bool config_has_slack(const struct config *c);

/* The number of keys the file accepts. */
int config_key_count(void);
/* The name of key i (0 <= i < config_key_count()), NULL outside that range. */
const char *config_key_name(int i);
/* The default of key i as it would be written in the file ("" for none),
 * NULL outside the range. */
const char *config_key_default(int i);

#endif
