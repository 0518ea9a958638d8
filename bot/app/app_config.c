/* app_config.c - the process's keys, in the order of the example file. */
#include "app/app_config.h"

#include <stddef.h>

#include "discord/discord_config.h"
#include "slack/slack_config.h"

#define F(field) offsetof(struct app_settings, field)

static const struct config_key keys[] = {
    {.name = "log_level",
     .kind = CONFIG_LEVEL,
     .off = F(log_level),
     .def = "info",
     .example = "info",
     .help = "How much to log: debug, info, warn or error."},
    {.name = "database",
     .kind = CONFIG_PATH,
     .off = F(database),
     .def = "./data/drillbot.db",
     .example = "./data/drillbot.db",
     .help = "The SQLite database file; its directory must exist. \":memory:\" keeps\n"
             "everything in memory and loses it on exit (tests)."},
    {.name = "content_dir",
     .kind = CONFIG_PATH,
     .off = F(content_dir),
     .def = "./content",
     .example = "./content",
     .help = "The question bank: a directory of Markdown files, one per question."},
    {.name = "public_base_url",
     .kind = CONFIG_HTTP_URL,
     .off = F(public_base_url),
     .def = DEFAULT_PUBLIC_BASE_URL,
     .example = "https://drillbot.example.com",
     .help = "The public address of the built-in web server, used to build the links to\n"
             "model answers and private progress pages. Must start with http:// or\n"
             "https://; a trailing \"/\" is dropped. Left at this default, links follow\n"
             "web_listen (http://localhost:<port>); behind a reverse proxy, set the\n"
             "address people open."},
    {.name = "default_timezone",
     .kind = CONFIG_TZ,
     .off = F(default_timezone),
     .def = "UTC",
     .example = "Europe/Berlin",
     .help = "The time zone for teams and users that have not set one: \"UTC\" or an IANA\n"
             "name such as Europe/Berlin (the files under /usr/share/zoneinfo)."},
    {.name = "web_listen",
     .kind = CONFIG_LISTEN,
     .off = F(web_host),
     .off2 = F(web_port),
     .def = "127.0.0.1:8080",
     .example = "127.0.0.1:8080",
     .help = "Where the web server listens, as host:port (IPv6 in brackets: [::1]:8080).\n"
             "Use 0.0.0.0:8080 inside a container, so the published port reaches it;\n"
             "off runs no web server; port 0 takes a free port and logs it."},
    {.name = "srs_retention",
     .kind = CONFIG_DECIMAL,
     .off = F(srs_retention),
     .min = 0.7,
     .max = 0.97,
     .def = "0.9",
     .example = "0.9",
     .help = "The share of reviews you should still remember when they come due (FSRS's\n"
             "desired retention), from 0.7 to 0.97. Higher means shorter intervals and\n"
             "more reviews: 0.95 roughly doubles the reviews of 0.9."},
    {.name = "daily_catch_up",
     .kind = CONFIG_DURATION,
     .off = F(daily_catch_up),
     .max = 48 * 3600,
     .def = "6h",
     .example = "6h",
     .help = "A daily drill post missed while the bot was down is sent late if it is\n"
             "less than this overdue (\"6h\", \"90m\", \"0\" for never), else skipped\n"
             "and logged."},
    {.name = "rng_seed",
     .kind = CONFIG_U64,
     .off = F(rng_seed),
     .def = "0",
     .example = "42",
     .help = "The seed for question choice: 0 picks a random seed at start-up; any other\n"
             "number makes the choice repeatable (tests).",
     .heading = "Testing"},
};

const struct config_module app_config_module = {
    .name = "drillbot",
    .size = sizeof(struct app_settings),
    .keys = keys,
    .nkeys = sizeof(keys) / sizeof(keys[0]),
};

const struct app_settings *app_config(const struct config *c)
{
	return config_data(c, &app_config_module);
}

const struct config_module *const app_config_modules[] = {
    &app_config_module,
    &discord_config_module,
    &slack_config_module,
};
const size_t app_config_nmodules = sizeof(app_config_modules) / sizeof(app_config_modules[0]);

void app_config_init(struct config *c)
{
	config_init(c, app_config_modules, app_config_nmodules);
}
