/*
 * test_config.c - the configuration: defaults, the example file, every kind
 * of refused line with its exact message, environment overrides, token
 * files and their redaction. Run from the repository root (fixtures are in
 * tests/fixtures/config/).
 */
#include "base/config.h"

#include "app/app_config.h"
#include "discord/discord_config.h"
#include "slack/slack_config.h"

/* The modules' settings of a config, writable for the checks below. */
#define APP(c)   ((struct app_settings *)config_data((c), &app_config_module))
#define DISC(c)  ((struct discord_settings *)config_data((c), &discord_config_module))
#define SLACK(c) ((struct slack_settings *)config_data((c), &slack_config_module))

#include <stdint.h>
#include <sys/stat.h>

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "test.h"

#define FIX "tests/fixtures/config/"
/* Shaped like a Discord bot token, but made up. */
#define DISCORD_TOK   "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.fake_fake_fake_fake_fake_fake_fake_fa"
#define SLACK_BOT_TOK "xoxb-1111-2222-fakefakefakefake"
#define SLACK_APP_TOK "xapp-1-A111-2222-fakefakefakefake"

/* Every scratch file written, removed at the end (they hold fake tokens). */
static char scratch[16][512];
static int nscratch;

/* Writes text to a file in the scratch directory with the given mode and
 * returns its path (valid until the program ends; one file per name). */
static const char *write_tmp(const char *name, const char *text, size_t len, mode_t mode)
{
	char path[512];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/%s", t_tmpdir(), name);
	f = fopen(path, "wb");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fwrite(text, 1, len, f);
	fclose(f);
	chmod(path, mode);
	for (i = 0; i < nscratch; i++) {
		if (strcmp(scratch[i], path) == 0)
			return scratch[i];
	}
	if (nscratch == (int)UTIL_ARRAY_LEN(scratch)) {
		fprintf(stderr, "too many scratch files\n");
		exit(2);
	}
	snprintf(scratch[nscratch], sizeof(scratch[0]), "%s", path);
	return scratch[nscratch++];
}

static void remove_scratch(void)
{
	int i;

	for (i = 0; i < nscratch; i++)
		remove(scratch[i]);
	if (nscratch > 0)
		remove(t_tmpdir());
}

/*
 * Applies one "NAME=value" environment entry to a fresh config and frees
 * it again; *no_tokens tells whether every token stayed unset.
 */
static int load_one_env(const char *var, bool *no_tokens, struct buf *err)
{
	const char *env[2] = {var, NULL};
	struct config c;
	int rc;

	app_config_init(&c);
	rc = config_load_env(&c, (char **)env, err);
	*no_tokens =
	    DISC(&c)->token == NULL && SLACK(&c)->bot_token == NULL && SLACK(&c)->app_token == NULL;
	config_cleanup(&c);
	return rc;
}

static const char *write_tmps(const char *name, const char *text)
{
	return write_tmp(name, text, strlen(text), 0600);
}

/* Reads back everything logged to f. */
static void read_log(FILE *f, char *dst, size_t size)
{
	size_t n;

	fflush(f);
	rewind(f);
	n = fread(dst, 1, size - 1, f);
	dst[n] = '\0';
}

/* Loads a file into a fresh config; returns the result, message in err. */
static int load(const char *path, struct buf *err)
{
	struct config c;
	int rc;

	app_config_init(&c);
	rc = config_load_file(&c, path, err);
	config_cleanup(&c);
	return rc;
}

static void test_defaults(void)
{
	struct config c;

	app_config_init(&c);
	CHECK_INT(APP(&c)->log_level, LOG_INFO);
	CHECK_STR(APP(&c)->database, "./data/drillbot.db");
	CHECK_STR(APP(&c)->content_dir, "./content");
	CHECK_STR(APP(&c)->public_base_url, "http://localhost:8080");
	CHECK_STR(APP(&c)->default_timezone, "UTC");
	CHECK_STR(APP(&c)->web_host, "127.0.0.1");
	CHECK_INT(APP(&c)->web_port, 8080);
	CHECK(DISC(&c)->token_file == NULL);
	CHECK(DISC(&c)->application_id == NULL);
	CHECK_STR(DISC(&c)->api_base, "https://discord.com/api/v10");
	CHECK(DISC(&c)->gateway_url == NULL);
	CHECK(SLACK(&c)->bot_token_file == NULL);
	CHECK(SLACK(&c)->app_token_file == NULL);
	CHECK_STR(SLACK(&c)->api_base, "https://slack.com/api");
	CHECK_INT(APP(&c)->rng_seed, 0);
	CHECK_NEAR(APP(&c)->srs_retention, 0.9, 1e-12);
	CHECK(DISC(&c)->token == NULL && SLACK(&c)->bot_token == NULL &&
	      SLACK(&c)->app_token == NULL);
	CHECK(!discord_config_present(&c));
	CHECK(!slack_config_present(&c));
	config_cleanup(&c);
	CHECK(c.nmodules == 0 && c.nkeys == 0 && config_data(&c, &app_config_module) == NULL);
	config_cleanup(&c); /* twice is harmless */
}

static void test_key_table(void)
{
	struct config c;
	size_t n;

	app_config_init(&c);
	n = config_key_count(&c);
	CHECK_INT(n, 19);
	CHECK_STR(config_key_name(&c, 0), "log_level");
	CHECK_STR(config_key_name(&c, n - 1),
	          "slack_admins"); /* modules in order: process, Discord, Slack */
	CHECK_STR(config_key_default(&c, 1), "./data/drillbot.db");
	CHECK(config_key_name(&c, n) == NULL);
	CHECK(config_key_name(&c, (size_t)-1) == NULL);
	CHECK(config_key_default(&c, n) == NULL);
	config_cleanup(&c);
}

/* The example file loads, leaves the defaults, and shows every key with its
 * default. */
static void test_example_file(void)
{
	struct config c;
	struct buf err, want;
	char *text = NULL;
	size_t i;

	buf_init(&err, 4096);
	buf_init(&want, 256);
	app_config_init(&c);
	CHECK_INT(util_read_file("config/drillbot.example.ini", 65536, &text, NULL), BOT_OK);
	CHECK_INT(config_load_file(&c, "config/drillbot.example.ini", &err), BOT_OK);
	CHECK_STR(buf_str(&err), "");
	CHECK_STR(APP(&c)->database, "./data/drillbot.db");
	CHECK_INT(APP(&c)->web_port, 8080);
	for (i = 0; i < config_key_count(&c); i++) {
		buf_reset(&want);
		buf_addf(&want, "\n;%s = ", config_key_name(&c, i));
		CHECK_CONTAINS(text, buf_str(&want));
		buf_reset(&want);
		if (config_key_default(&c, i)[0] != '\0')
			buf_addf(&want, "\n;%s = %s\n", config_key_name(&c, i),
			         config_key_default(&c, i));
		else
			buf_addf(&want, "; Default: none\n;%s = ", config_key_name(&c, i));
		CHECK_CONTAINS(text, buf_str(&want));
	}
	/* The checked-in file is exactly what the key tables generate. */
	{
		struct buf gen;
		buf_init(&gen, 1 << 20);
		config_example(&c, &gen);
		if (strcmp(buf_str(&gen), text) != 0)
			printf("    config/drillbot.example.ini is stale: run "
			       "`build/drillbot config example > config/drillbot.example.ini`\n");
		CHECK(strcmp(buf_str(&gen), text) == 0);
		buf_cleanup(&gen);
	}
	/* Tokens themselves never appear as settings. */
	CHECK_NOT_CONTAINS(text, "discord_token =");
	CHECK_NOT_CONTAINS(text, "xoxb-1");
	free(text);
	config_cleanup(&c);
	buf_cleanup(&err);
	buf_cleanup(&want);
}

static void test_good_file(void)
{
	struct config c;
	struct buf err;

	buf_init(&err, 4096);
	app_config_init(&c);
	CHECK_INT(config_load_file(&c, FIX "good.ini", &err), BOT_OK);
	CHECK_STR(buf_str(&err), "");
	CHECK_INT(APP(&c)->log_level, LOG_DEBUG);
	CHECK_STR(APP(&c)->database, "/var/lib/drillbot/drillbot.db");
	CHECK_STR(APP(&c)->content_dir, "/usr/share/drillbot/content");
	CHECK_STR(APP(&c)->public_base_url, "https://drill.example.com");
	CHECK_STR(APP(&c)->default_timezone, "Europe/Berlin");
	CHECK_STR(APP(&c)->web_host, "0.0.0.0");
	CHECK_INT(APP(&c)->web_port, 9090);
	CHECK_STR(DISC(&c)->token_file, "/run/secrets/discord_token");
	CHECK_STR(DISC(&c)->application_id, "123456789012345678");
	CHECK_STR(DISC(&c)->api_base, "http://127.0.0.1:5001/api/v10");
	CHECK_STR(DISC(&c)->gateway_url, "ws://127.0.0.1:5002");
	CHECK_STR(SLACK(&c)->bot_token_file, "/run/secrets/slack_bot_token");
	CHECK_STR(SLACK(&c)->app_token_file, "/run/secrets/slack_app_token");
	CHECK_STR(SLACK(&c)->api_base, "http://127.0.0.1:5003/api");
	CHECK(APP(&c)->rng_seed == UINT64_MAX);
	/* Token files are named but not read yet. */
	CHECK(!discord_config_present(&c));
	config_cleanup(&c);
	buf_cleanup(&err);
}

/* Each fixture with its exact message. */
static void test_bad_fixtures(void)
{
	static const struct {
		const char *file;
		const char *msg;
	} cases[] = {
	    {"bad_syntax.ini", ":3: expected \"key = value\"; comments start with \";\" or \"#\""},
	    {"bad_unknown_key.ini", ":7: unknown key \"databse\"; did you mean \"database\"? "
	                            "(see config/drillbot.example.ini)"},
	    {"bad_unknown_far.ini", ":1: unknown key \"colour\"; the valid keys are listed in "
	                            "config/drillbot.example.ini"},
	    {"bad_log_level.ini", ":8: log_level \"loud\" is not one of debug, info, warn, error"},
	    {"bad_port.ini", ":1: web_listen port \"99999\" is not a number from 0 to 65535; "
	                     "write host:port, e.g. 127.0.0.1:8080"},
	    {"bad_url.ini", ":2: public_base_url \"localhost:8080\" does not start with http:// "
	                    "or https://; write the full URL, e.g. https://drillbot.example.com"},
	    {"bad_timezone.ini",
	     ":1: default_timezone \"Mars/Olympus_Mons\" is not a known time zone; use an IANA "
	     "name such as Europe/Berlin, or UTC (the names are the files under "
	     "/usr/share/zoneinfo)"},
	    {"bad_empty.ini", ":2: database is empty; give a value or leave it out to keep the "
	                      "default (./data/drillbot.db)"},
	    {"bad_duplicate.ini", ":4: duplicate key \"database\" (first set on line 2); keep "
	                          "only one of the two lines"},
	    {"bad_section.ini", ":3: unknown section \"slack\"; drillbot's keys need no section "
	                        "(only [drillbot] is allowed)"},
	    {"bad_token_in_file.ini",
	     ":2: discord_token cannot be set in the config file, which is too easily shared; "
	     "put the token in a file (chmod 600) and set discord_token_file, or set "
	     "DRILLBOT_DISCORD_TOKEN in the environment"},
	};
	struct buf err, want;
	size_t i;

	buf_init(&err, 4096);
	buf_init(&want, 4096);
	for (i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		char path[256];

		snprintf(path, sizeof(path), FIX "%s", cases[i].file);
		buf_reset(&want);
		buf_addf(&want, "%s%s", path, cases[i].msg);
		CHECK_INT(load(path, &err), BOT_ECONFIG);
		CHECK_STR(buf_str(&err), buf_str(&want));
		CHECK_NOT_CONTAINS(buf_str(&err), "GaBcDe");
	}
	buf_cleanup(&err);
	buf_cleanup(&want);
}

/* Loads text as a file; the message comes back without the "path:" part. */
static int load_text(const char *text, size_t len, struct config *c, struct buf *err,
                     const char **msg)
{
	const char *path = write_tmp("t.ini", text, len, 0600);
	int rc = config_load_file(c, path, err);

	*msg = buf_str(err);
	if (strncmp(*msg, path, strlen(path)) == 0)
		*msg += strlen(path);
	return rc;
}

static void test_line_edge_cases(void)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
	    {"[drillbot\n", ":1: expected \"]\" to close the section header; write [drillbot], "
	                    "or no header at all"},
	    {"[drillbot] x = 1\n", ":1: unexpected text after \"]\"; put the section header on a "
	                           "line of its own"},
	    {"public_base_url: http://x\n",
	     ":1: expected \"key = value\"; comments start with \";\" or \"#\""},
	    {"log_level = info\n= x\n", ":2: expected \"key = value\"; the key name is missing"},
	    {"log_level = info\n\nlog_level\n",
	     ":3: expected \"key = value\"; comments start with \";\" or \"#\""},
	    {"database = a\tb\n", ":1: database contains a control character; remove it"},
	    {"discord_shards = lots\n", ":1: discord_shards \"lots\" is neither auto nor a number "
	                                "from 1 to 64; write e.g. auto"},
	    {"discord_shards = 0\n",
	     ":1: discord_shards \"0\" is neither auto nor a number from 1 to 64; write e.g. auto"},
	    {"srs_retention = 1.5\n",
	     ":1: srs_retention \"1.5\" is not a number from 0.7 to 0.97; write e.g. 0.9"},
	    {"srs_retention = 90%\n",
	     ":1: srs_retention \"90%\" is not a number from 0.7 to 0.97; write e.g. 0.9"},
	    {"rng_seed = -1\n", ":1: rng_seed \"-1\" is not a whole number from 0 to "
	                        "18446744073709551615; write e.g. 42 (0 = random)"},
	    {"discord_application_id = 12ab\n",
	     ":1: discord_application_id \"12ab\" is not an ID made of digits; copy the "
	     "Application ID from the Discord developer portal, e.g. 123456789012345678"},
	    {"discord_token_file = xoxb-1234-5678-abcdefgh\n",
	     ":1: discord_token_file holds what looks like a token, not a file name; put the "
	     "token in a file (chmod 600) and give its path, e.g. /run/secrets/discord_token"},
	};
	struct config c;
	struct buf err;
	const char *msg;
	char big[400];
	size_t i;

	buf_init(&err, 4096);
	for (i = 0; i < UTIL_ARRAY_LEN(bad); i++) {
		app_config_init(&c);
		CHECK_INT(load_text(bad[i].text, strlen(bad[i].text), &c, &err, &msg), BOT_ECONFIG);
		config_cleanup(&c);
		CHECK_STR(msg, bad[i].msg);
	}

	/* An over-long line is refused rather than split by inih. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "database = ", 11);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	app_config_init(&c);
	CHECK_INT(load_text(big, strlen(big), &c, &err, &msg), BOT_ECONFIG);
	config_cleanup(&c);
	CHECK_STR(msg, ":1: the line is longer than 198 characters; shorten the value (a relative "
	               "path may help)");
	/* ...but a long comment is fine. */
	big[0] = ';';
	app_config_init(&c);
	CHECK_INT(load_text(big, strlen(big), &c, &err, &msg), BOT_OK);
	config_cleanup(&c);

	app_config_init(&c);
	CHECK_INT(load_text("log_level = info\nx\0y = 1\n", 24, &c, &err, &msg), BOT_ECONFIG);
	config_cleanup(&c);
	CHECK_STR(msg, ":2: contains a NUL byte; save the file as plain text");

	/* A file over the size cap is refused (comment lines only). */
	{
		size_t n = CONFIG_FILE_MAX + 100, j;
		char *huge = xmalloc(n);
		int rc;

		for (j = 0; j < n; j++)
			huge[j] = j % 50 == 49 ? '\n' : ';';
		app_config_init(&c);
		rc = load_text(huge, n, &c, &err, &msg);
		config_cleanup(&c);
		free(huge);
		CHECK_INT(rc, BOT_ECONFIG);
		CHECK_STR(msg, ":1311: the file is larger than 64 KiB; is it the right file?");
	}

	/* Nothing after the first bad line is applied. */
	app_config_init(&c);
	CHECK_INT(load_text("database = ./first.db\nnonsense\ncontent_dir = ./later\n", 50, &c,
	                    &err, &msg),
	          BOT_ECONFIG);
	CHECK_STR(APP(&c)->database, "./first.db");
	CHECK_STR(APP(&c)->content_dir, "./content");
	config_cleanup(&c);
	buf_cleanup(&err);
}

static void test_line_forms_accepted(void)
{
	static const char crlf[] = "\xef\xbb\xbflog_level = error\r\ndatabase = :memory:\r\n"
	                           "  content_dir = ./c  # indented, not a continuation\r\n"
	                           "discord_gateway_url =\r\n"
	                           "public_base_url = http://[::1]:8080//\r\n"
	                           "rng_seed = 7";
	struct config c;
	struct buf err;
	const char *msg;

	buf_init(&err, 4096);
	app_config_init(&c);
	CHECK_INT(load_text(crlf, strlen(crlf), &c, &err, &msg), BOT_OK);
	CHECK_STR(msg, "");
	CHECK_INT(APP(&c)->log_level, LOG_ERROR);
	CHECK_STR(APP(&c)->database, ":memory:");
	CHECK_STR(APP(&c)->content_dir, "./c");
	CHECK(DISC(&c)->gateway_url == NULL);
	CHECK_STR(APP(&c)->public_base_url, "http://[::1]:8080");
	CHECK_INT(APP(&c)->rng_seed, 7);
	config_cleanup(&c);
	buf_cleanup(&err);
}

static void test_missing_file(void)
{
	struct buf err;

	buf_init(&err, 4096);
	CHECK_INT(load(FIX "no-such.ini", &err), BOT_ENOENT);
	CHECK_STR(buf_str(&err), FIX "no-such.ini: cannot open: No such file or directory; copy "
	                             "config/drillbot.example.ini there and edit it, or give "
	                             "another path");
	buf_cleanup(&err);
}

static void test_env_override(void)
{
	const char *env[] = {"PATH=/usr/bin",
	                     "DRILLBOT_DATABASE=:memory:",
	                     "DRILLBOT_RNG_SEED= 42 ",
	                     "DRILLBOT_BIN=/somewhere/drillbot",
	                     "DRILLBOT_DISCORD_TOKEN_FILE=",
	                     "DRILLBOT_LOG_LEVEL=WARN",
	                     "DRILLBOT_WEB_LISTEN=[::1]:0",
	                     "NOT_DRILLBOT_DATABASE=/wrong",
	                     NULL};
	struct config c;
	struct buf err;

	buf_init(&err, 4096);
	app_config_init(&c);
	CHECK_INT(config_load_file(&c, FIX "good.ini", &err), BOT_OK);
	CHECK_INT(config_load_env(&c, (char **)env, &err), BOT_OK);
	CHECK_STR(buf_str(&err), "");
	CHECK_STR(APP(&c)->database, ":memory:");
	CHECK_INT(APP(&c)->rng_seed, 42);
	CHECK(DISC(&c)->token_file == NULL);
	CHECK_INT(APP(&c)->log_level, LOG_WARN);
	CHECK_STR(APP(&c)->web_host, "::1");
	CHECK_INT(APP(&c)->web_port, 0);
	/* Untouched keys keep the file's values. */
	CHECK_STR(APP(&c)->content_dir, "/usr/share/drillbot/content");
	config_cleanup(&c);
	buf_cleanup(&err);
}

/* Issue 15: a near miss of a key in the environment is refused as the same
 * typo in the file is; an unrelated DRILLBOT_* name (scripts use some) is not. */
static void test_env_near_miss_refused(void)
{
	const char *typo[] = {"DRILLBOT_DATABSE=/x.db", NULL};
	const char *other[] = {"DRILLBOT_BIN=/usr/bin/drillbot", NULL};
	struct config c;
	struct buf err;

	buf_init(&err, 4096);
	app_config_init(&c);
	CHECK_INT(config_load_env(&c, (char **)typo, &err), BOT_ECONFIG);
	CHECK_CONTAINS(buf_str(&err),
	               "DRILLBOT_DATABSE is not a setting; did you mean DRILLBOT_DATABASE?");
	config_cleanup(&c);
	app_config_init(&c);
	CHECK_INT(config_load_env(&c, (char **)other, &err), BOT_OK);
	CHECK_STR(APP(&c)->database, "./data/drillbot.db");
	config_cleanup(&c);
	buf_cleanup(&err);
}

/* Value checks, through the environment: the error names the variable. */
static void test_env_errors(void)
{
	static const struct {
		const char *var;
		const char *msg;
	} cases[] = {
	    {"DRILLBOT_LOG_LEVEL=loud",
	     "DRILLBOT_LOG_LEVEL: log_level \"loud\" is not one of debug, info, warn, error"},
	    {"DRILLBOT_WEB_LISTEN=localhost", "DRILLBOT_WEB_LISTEN: web_listen \"localhost\" has "
	                                      "no port; write host:port, e.g. 127.0.0.1:8080"},
	    {"DRILLBOT_WEB_LISTEN=::1:80", "DRILLBOT_WEB_LISTEN: web_listen \"::1:80\" is "
	                                   "ambiguous; put an IPv6 address in brackets, e.g. "
	                                   "[::1]:8080"},
	    {"DRILLBOT_WEB_LISTEN=:80",
	     "DRILLBOT_WEB_LISTEN: web_listen \":80\" has no host; write e.g. 127.0.0.1:8080 "
	     "for this machine only or 0.0.0.0:8080 for every interface"},
	    {"DRILLBOT_WEB_LISTEN=host:+80", "DRILLBOT_WEB_LISTEN: web_listen port \"+80\" is "
	                                     "not a number from 0 to 65535; write host:port, "
	                                     "e.g. 127.0.0.1:8080"},
	    {"DRILLBOT_PUBLIC_BASE_URL=https://x.example/?a=1",
	     "DRILLBOT_PUBLIC_BASE_URL: public_base_url \"https://x.example/?a=1\" has a query "
	     "or fragment; give only the base URL, e.g. https://drillbot.example.com"},
	    {"DRILLBOT_PUBLIC_BASE_URL=http://", "DRILLBOT_PUBLIC_BASE_URL: public_base_url "
	                                         "\"http://\" has no host name; write the full "
	                                         "URL, e.g. https://drillbot.example.com"},
	    {"DRILLBOT_SLACK_API_BASE=http://x:0/api",
	     "DRILLBOT_SLACK_API_BASE: slack_api_base \"http://x:0/api\" has a bad port; a port "
	     "is a number from 1 to 65535, e.g. https://slack.com/api"},
	    {"DRILLBOT_DISCORD_API_BASE=http://exa mple.com",
	     "DRILLBOT_DISCORD_API_BASE: discord_api_base \"http://exa mple.com\" contains a "
	     "space; write %20 or remove it"},
	    {"DRILLBOT_DISCORD_GATEWAY_URL=https://gateway.discord.gg",
	     "DRILLBOT_DISCORD_GATEWAY_URL: discord_gateway_url \"https://gateway.discord.gg\" "
	     "does not start with wss:// or ws://; write the full URL, e.g. "
	     "wss://gateway.discord.gg"},
	    {"DRILLBOT_DEFAULT_TIMEZONE=../etc/passwd",
	     "DRILLBOT_DEFAULT_TIMEZONE: default_timezone \"../etc/passwd\" is not a time zone "
	     "name; use an IANA name such as Europe/Berlin, or UTC"},
	    {"DRILLBOT_RNG_SEED=18446744073709551616",
	     "DRILLBOT_RNG_SEED: rng_seed \"18446744073709551616\" is not a whole number from 0 "
	     "to 18446744073709551615; write e.g. 42 (0 = random)"},
	    {"DRILLBOT_CONTENT_DIR=", "DRILLBOT_CONTENT_DIR: content_dir is empty; give a value "
	                              "or leave it out to keep the default (./content)"},
	};
	struct config c;
	struct buf err;
	size_t i;

	buf_init(&err, 4096);
	for (i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		bool no_tokens = false;
		CHECK_INT(load_one_env(cases[i].var, &no_tokens, &err), BOT_ECONFIG);
		CHECK_STR(buf_str(&err), cases[i].msg);
	}

	/* A password in a URL is never echoed. */
	{
		const char *env[] = {"DRILLBOT_PUBLIC_BASE_URL=https://bob:hunter2secret@x.example",
		                     NULL};
		app_config_init(&c);
		CHECK_INT(config_load_env(&c, (char **)env, &err), BOT_ECONFIG);
		config_cleanup(&c);
		CHECK_CONTAINS(buf_str(&err), "DRILLBOT_PUBLIC_BASE_URL: public_base_url must not "
		                              "contain a user name or password");
		CHECK_NOT_CONTAINS(buf_str(&err), "hunter2");
	}
	buf_cleanup(&err);
}

static void test_env_tokens(void)
{
	const char *env[] = {"DRILLBOT_DISCORD_TOKEN=" DISCORD_TOK "\n",
	                     "DRILLBOT_SLACK_BOT_TOKEN=" SLACK_BOT_TOK,
	                     "DRILLBOT_SLACK_APP_TOKEN=" SLACK_APP_TOK,
	                     "DRILLBOT_DISCORD_TOKEN_FILE=/nonexistent/discord_token", NULL};
	struct config c;
	struct buf err;
	char logged[4096];
	FILE *f = tmpfile();

	CHECK(f != NULL);
	buf_init(&err, 4096);
	app_config_init(&c);
	CHECK_INT(config_load_env(&c, (char **)env, &err), BOT_OK);
	CHECK_STR(DISC(&c)->token, DISCORD_TOK);
	CHECK_STR(SLACK(&c)->bot_token, SLACK_BOT_TOK);
	CHECK_STR(SLACK(&c)->app_token, SLACK_APP_TOK);
	CHECK(discord_config_present(&c));
	CHECK(slack_config_present(&c));
	/* The environment wins: the (missing) token file is not read. */
	CHECK_INT(config_load_tokens(&c, &err), BOT_OK);
	CHECK_STR(DISC(&c)->token, DISCORD_TOK);

	log_set_output(f);
	LOG_I("test", "discord %s slack %s", DISC(&c)->token, SLACK(&c)->app_token);
	log_set_output(NULL);
	read_log(f, logged, sizeof(logged));
	fclose(f);
	CHECK_NOT_CONTAINS(logged, DISCORD_TOK);
	CHECK_NOT_CONTAINS(logged, "fakefake");
	CHECK_CONTAINS(logged, "discord [REDACTED] slack [REDACTED]");
	config_cleanup(&c);
	log_clear_secrets();
	buf_cleanup(&err);
}

static void test_env_token_errors(void)
{
	static const struct {
		const char *var;
		const char *msg;
	} cases[] = {
	    {"DRILLBOT_DISCORD_TOKEN=Bot " DISCORD_TOK,
	     "DRILLBOT_DISCORD_TOKEN starts with \"Bot \"; store the token alone (drillbot adds "
	     "the prefix itself)"},
	    {"DRILLBOT_DISCORD_TOKEN=" DISCORD_TOK " x",
	     "DRILLBOT_DISCORD_TOKEN has spaces, line breaks or control characters inside the "
	     "token; it must hold the token alone"},
	    {"DRILLBOT_SLACK_BOT_TOKEN=" SLACK_APP_TOK,
	     "DRILLBOT_SLACK_BOT_TOKEN holds an app-level token (xapp-), not the bot token "
	     "(xoxb-); swap the Slack bot and app tokens"},
	    {"DRILLBOT_SLACK_APP_TOKEN=" SLACK_BOT_TOK,
	     "DRILLBOT_SLACK_APP_TOKEN holds a bot or user token (xox...), not the app-level "
	     "token (xapp-); swap the Slack bot and app tokens"},
	    {"DRILLBOT_DISCORD_TOKEN=abc", "DRILLBOT_DISCORD_TOKEN holds only 3 characters, too "
	                                   "short for a token; copy the whole token"},
	};
	struct config c;
	struct buf err;
	size_t i;

	buf_init(&err, 4096);
	for (i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		bool no_tokens = false;
		CHECK_INT(load_one_env(cases[i].var, &no_tokens, &err), BOT_ECONFIG);
		CHECK(no_tokens);
		CHECK_STR(buf_str(&err), cases[i].msg);
		CHECK_NOT_CONTAINS(buf_str(&err), "fakefake");
		CHECK_NOT_CONTAINS(buf_str(&err), "GaBcDe");
	}
	/* An empty token variable counts as unset. */
	{
		const char *env[] = {"DRILLBOT_DISCORD_TOKEN=", NULL};
		app_config_init(&c);
		CHECK_INT(config_load_env(&c, (char **)env, &err), BOT_OK);
		CHECK(!discord_config_present(&c));
		config_cleanup(&c);
	}
	log_clear_secrets();
	buf_cleanup(&err);
}

/* Loads the token files named by the three paths (NULL = unset). */
static int load_tokens(struct config *c, const char *discord, const char *bot, const char *app,
                       struct buf *err)
{
	app_config_init(c);
	DISC(c)->token_file = discord != NULL ? xstrdup(discord) : NULL;
	SLACK(c)->bot_token_file = bot != NULL ? xstrdup(bot) : NULL;
	SLACK(c)->app_token_file = app != NULL ? xstrdup(app) : NULL;
	return config_load_tokens(c, err);
}

static void test_token_files(void)
{
	const char *dpath = write_tmps("discord", "  " DISCORD_TOK " \r\n\n");
	const char *bpath = write_tmps("slack_bot", SLACK_BOT_TOK "\n");
	const char *apath = write_tmps("slack_app", SLACK_APP_TOK);
	struct config c;
	struct buf err;
	char logged[4096];
	FILE *f = tmpfile();

	CHECK(f != NULL);
	buf_init(&err, 4096);
	log_set_output(f);
	CHECK_INT(load_tokens(&c, dpath, bpath, NULL, &err), BOT_OK);
	CHECK_STR(DISC(&c)->token, DISCORD_TOK);
	CHECK_STR(SLACK(&c)->bot_token, SLACK_BOT_TOK);
	CHECK(discord_config_present(&c));
	CHECK(!slack_config_present(&c)); /* the app token is missing */
	LOG_I("test", "the token is %s, bot %s", DISC(&c)->token, SLACK(&c)->bot_token);
	config_cleanup(&c);

	CHECK_INT(load_tokens(&c, NULL, bpath, apath, &err), BOT_OK);
	CHECK(slack_config_present(&c));
	CHECK(!discord_config_present(&c));
	config_cleanup(&c);
	log_set_output(NULL);
	read_log(f, logged, sizeof(logged));
	fclose(f);
	CHECK_CONTAINS(logged, "the token is [REDACTED], bot [REDACTED]");
	CHECK_NOT_CONTAINS(logged, "GaBcDe");
	/* 0600 files raise no warning. */
	CHECK_NOT_CONTAINS(logged, "readable by group");
	log_clear_secrets();
	buf_cleanup(&err);
}

static void test_token_file_errors(void)
{
	static const struct {
		const char *content;
		const char *msg; /* after `discord_token_file "<path>"` */
	} cases[] = {
	    {"", " is empty; put the token in it"},
	    {" \n\n", " is empty; put the token in it"},
	    {DISCORD_TOK "\n" DISCORD_TOK "\n",
	     " has spaces, line breaks or control characters inside the token; it must hold "
	     "the token alone"},
	    {"Bot " DISCORD_TOK "\n",
	     " starts with \"Bot \"; store the token alone (drillbot adds the prefix itself)"},
	    {"abc\n", " holds only 3 characters, too short for a token; copy the whole token"},
	};
	struct config c;
	struct buf err, want;
	char big[CONFIG_TOKEN_MAX + 100];
	const char *path;
	size_t i;

	buf_init(&err, 4096);
	buf_init(&want, 4096);
	for (i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		path = write_tmps("bad_token", cases[i].content);
		CHECK_INT(load_tokens(&c, path, NULL, NULL, &err), BOT_ECONFIG);
		CHECK(DISC(&c)->token == NULL);
		config_cleanup(&c);
		buf_reset(&want);
		buf_addf(&want, "discord_token_file \"%s\"%s", path, cases[i].msg);
		CHECK_STR(buf_str(&err), buf_str(&want));
		CHECK_NOT_CONTAINS(buf_str(&err), "GaBcDe");
	}

	memset(big, 'a', sizeof(big));
	path = write_tmp("big_token", big, sizeof(big), 0600);
	CHECK_INT(load_tokens(&c, path, NULL, NULL, &err), BOT_ECONFIG);
	config_cleanup(&c);
	buf_reset(&want);
	buf_addf(&want,
	         "discord_token_file \"%s\" is %zu bytes, more than the 4096 a token file "
	         "may hold; is it the right file?",
	         path, sizeof(big));
	CHECK_STR(buf_str(&err), buf_str(&want));

	/* Swapped Slack tokens are caught by their prefixes. */
	path = write_tmps("swapped", SLACK_APP_TOK "\n");
	CHECK_INT(load_tokens(&c, NULL, path, NULL, &err), BOT_ECONFIG);
	config_cleanup(&c);
	CHECK_CONTAINS(buf_str(&err), "holds an app-level token (xapp-), not the bot token");
	CHECK_NOT_CONTAINS(buf_str(&err), "fakefake");

	path = FIX "no-such-token";
	CHECK_INT(load_tokens(&c, NULL, NULL, path, &err), BOT_ENOENT);
	config_cleanup(&c);
	CHECK_STR(buf_str(&err), "slack_app_token_file \"" FIX "no-such-token\": cannot open: No "
	                         "such file or directory; create it holding the token, or unset "
	                         "slack_app_token_file");

	CHECK_INT(load_tokens(&c, FIX, NULL, NULL, &err), BOT_ECONFIG);
	config_cleanup(&c);
	CHECK_STR(buf_str(&err), "discord_token_file \"" FIX "\" is not a regular file; give the "
	                         "path of the file holding the token");
	buf_cleanup(&err);
	buf_cleanup(&want);
}

/* A token file others can read still loads, with a warning that does not
 * show the token. */
static void test_token_file_mode_warning(void)
{
	const char *path = write_tmp("open_token", DISCORD_TOK "\n", strlen(DISCORD_TOK) + 1, 0644);
	struct config c;
	struct buf err, want;
	char logged[4096];
	FILE *f = tmpfile();

	CHECK(f != NULL);
	buf_init(&err, 4096);
	buf_init(&want, 4096);
	log_set_output(f);
	CHECK_INT(load_tokens(&c, path, NULL, NULL, &err), BOT_OK);
	log_set_output(NULL);
	CHECK_STR(DISC(&c)->token, DISCORD_TOK);
	config_cleanup(&c);
	read_log(f, logged, sizeof(logged));
	fclose(f);
	buf_addf(&want,
	         "WARN  config: discord_token_file \"%s\" is readable by group or others "
	         "(mode 0644); run chmod 600 on it",
	         path);
	CHECK_CONTAINS(logged, buf_str(&want));
	CHECK_NOT_CONTAINS(logged, "GaBcDe");
	log_clear_secrets();
	buf_cleanup(&err);
	buf_cleanup(&want);
}

/* Everything loaded at once, then freed: ASan reports any leak at exit. */
static void test_cleanup_frees_everything(void)
{
	const char *dpath = write_tmps("discord2", DISCORD_TOK);
	const char *env[] = {"DRILLBOT_SLACK_BOT_TOKEN=" SLACK_BOT_TOK,
	                     "DRILLBOT_SLACK_APP_TOKEN=" SLACK_APP_TOK,
	                     "DRILLBOT_PUBLIC_BASE_URL=https://example.org/drill/", NULL};
	struct config c, zero;
	struct buf err;

	buf_init(&err, 4096);
	app_config_init(&c);
	CHECK_INT(config_load_file(&c, FIX "good.ini", &err), BOT_OK);
	/* Loading twice replaces values without leaking the old ones. */
	CHECK_INT(config_load_file(&c, FIX "good.ini", &err), BOT_OK);
	free(DISC(&c)->token_file);
	DISC(&c)->token_file = xstrdup(dpath);
	free(SLACK(&c)->bot_token_file);
	SLACK(&c)->bot_token_file = NULL;
	free(SLACK(&c)->app_token_file);
	SLACK(&c)->app_token_file = NULL;
	CHECK_INT(config_load_env(&c, (char **)env, &err), BOT_OK);
	CHECK_INT(config_load_tokens(&c, &err), BOT_OK);
	CHECK_STR(APP(&c)->public_base_url, "https://example.org/drill");
	CHECK(discord_config_present(&c) && slack_config_present(&c));
	config_cleanup(&c);
	memset(&zero, 0, sizeof(zero));
	CHECK(memcmp(&c, &zero, sizeof(c)) == 0);
	log_clear_secrets();
	buf_cleanup(&err);
}

int main(void)
{
	/* Messages name /usr/share/zoneinfo unless TZDIR says otherwise. */
	unsetenv("TZDIR");
	T_RUN(test_defaults);
	T_RUN(test_key_table);
	T_RUN(test_example_file);
	T_RUN(test_good_file);
	T_RUN(test_bad_fixtures);
	T_RUN(test_line_edge_cases);
	T_RUN(test_line_forms_accepted);
	T_RUN(test_missing_file);
	T_RUN(test_env_override);
	T_RUN(test_env_near_miss_refused);
	T_RUN(test_env_errors);
	T_RUN(test_env_tokens);
	T_RUN(test_env_token_errors);
	T_RUN(test_token_files);
	T_RUN(test_token_file_errors);
	T_RUN(test_token_file_mode_warning);
	T_RUN(test_cleanup_frees_everything);
	remove_scratch();
	return t_done();
}
