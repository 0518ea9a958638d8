/*
 * app_config.h - the process's own settings: logging, where the data and
 * the question bank live, the public address and the web listener, the
 * default time zone and the question-choice seed.
 */
#ifndef BOT_APP_CONFIG_H
#define BOT_APP_CONFIG_H

#define DEFAULT_PUBLIC_BASE_URL "http://localhost:8080"

#include <stdint.h>

#include "base/config.h"

struct app_settings {
	enum log_level log_level;
	char *database;         /* SQLite path or ":memory:" */
	char *content_dir;      /* question bank directory */
	char *public_base_url;  /* http(s)://..., never ends in '/' */
	char *default_timezone; /* "UTC" or a zone in the tz database */
	char *web_host;         /* web_listen host; IPv6 without brackets; NULL when off */
	int web_port;           /* web_listen port, 0..65535; -1 when off */
	double srs_retention;   /* FSRS desired retention, 0.70..0.97 */
	uint64_t rng_seed;      /* 0 = random */
	int64_t daily_catch_up; /* seconds: a daily post missed by less is sent late */
};

extern const struct config_module app_config_module;

/* Every module with settings, in the order of the example file. */
extern const struct config_module *const app_config_modules[];
extern const size_t app_config_nmodules;
/* config_init with every module. */
void app_config_init(struct config *c);

/* This module's settings in c. */
const struct app_settings *app_config(const struct config *c);

#endif
