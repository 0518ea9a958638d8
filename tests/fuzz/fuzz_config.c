/*
 * fuzz_config.c - libFuzzer target for the settings parser
 * (base/config.c): our line reader in front of inih, every key's
 * validation, and the DRILLBOT_* environment overrides.
 *
 * The same input is used twice: written to a temporary file for
 * config_load_file, then split on '\n' into an environment for
 * config_load_env (only entries starting with DRILLBOT_, as a real
 * environment's other variables are skipped anyway). Token files are not
 * read: their paths come from the input and could name any file here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app_config.h"
#include "base/config.h"
#include "discord/discord_config.h"
#include "slack/slack_config.h"
#include "base/err.h"
#include "base/log.h"

#define ENV_MAX 64
#define ERR_CAP 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char ini_path[] = "/tmp/drillbot-fuzz-config-XXXXXX";
static int ini_fd = -1;

static void remove_ini(void)
{
	unlink(ini_path);
}

static void setup(void)
{
	FILE *null = fopen("/dev/null", "w");

	ini_fd = mkstemp(ini_path);
	if (ini_fd < 0 || null == NULL) {
		perror("fuzz_config: setup");
		abort();
	}
	atexit(remove_ini);
	/* Warnings still run through the redactor; they just are not shown. */
	log_set_output(null);
}

/* Replaces the temporary file's contents with data. */
static void write_ini(const uint8_t *data, size_t size)
{
	size_t off = 0;

	if (ftruncate(ini_fd, 0) != 0 || lseek(ini_fd, 0, SEEK_SET) != 0)
		abort();
	while (off < size) {
		ssize_t n = write(ini_fd, data + off, size - off);
		if (n <= 0)
			abort();
		off += (size_t)n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *line, *envp[ENV_MAX + 1];
	size_t n = 0;
	struct config c;
	struct buf err;

	if (ini_fd < 0)
		setup();
	write_ini(data, size);

	/* A NUL in the input ends the environment early, as it would in a real one. */
	copy = xstrndup((const char *)data, size);
	for (line = copy; line != NULL && n < ENV_MAX;) {
		char *nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		if (strncmp(line, "DRILLBOT_", 9) == 0)
			envp[n++] = line;
		line = nl != NULL ? nl + 1 : NULL;
	}
	/* Never NULL itself: that would mean the process environment. */
	envp[n] = NULL;

	buf_init(&err, ERR_CAP);
	app_config_init(&c);
	(void)config_load_file(&c, ini_path, &err);
	(void)config_load_env(&c, envp, &err);
	(void)discord_config_present(&c);
	(void)slack_config_present(&c);
	config_cleanup(&c);
	/* Tokens from the environment are registered as secrets; forget them
	 * so runs stay independent and the list never fills up. */
	log_clear_secrets();
	buf_cleanup(&err);
	free(copy);
	return 0;
}
