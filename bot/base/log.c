/*
 * log.c - the logger and its redactor. The process is single-threaded
 * (one event loop), so the state here needs no locking.
 */
#include "base/log.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/err.h"
#include "base/util.h"

#define LOG_LINE_MAX    4096
#define LOG_MAX_SECRETS 16
#define REDACTED        "[REDACTED]"

static enum log_level min_level = LOG_INFO;
static FILE *out_file;
static char *secrets[LOG_MAX_SECRETS];
static size_t nsecrets;

void log_set_level(enum log_level level)
{
	min_level = level;
}

int log_level_parse(const char *s, enum log_level *out)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(names); i++) {
		if (strcasecmp(s, names[i]) == 0) {
			*out = (enum log_level)i;
			return BOT_OK;
		}
	}
	return BOT_EINVAL;
}

void log_set_output(FILE *f)
{
	out_file = f;
}

void log_add_secret(const char *secret)
{
	/* Very short secrets would blank ordinary words; real tokens are long. */
	if (secret == NULL || strlen(secret) < 8 || nsecrets == LOG_MAX_SECRETS)
		return;
	secrets[nsecrets++] = xstrdup(secret);
}

void log_clear_secrets(void)
{
	while (nsecrets > 0)
		free(secrets[--nsecrets]);
}

/* Length of the credential-like run starting at s (token characters). */
static size_t token_run(const char *s)
{
	size_t n = 0;
	while (s[n] != '\0' && (isalnum((unsigned char)s[n]) || strchr("-_.=+/~:", s[n]) != NULL))
		n++;
	return n;
}

static bool word_boundary(const char *start, const char *p)
{
	return p == start || !isalnum((unsigned char)p[-1]);
}

/*
 * If a credential starts at p, sets *secret_len to the bytes to blank and
 * returns how many bytes before them to keep verbatim (the introducer,
 * such as "Authorization: Bot "). *secret_len stays 0 when nothing matches.
 */
static size_t match_credential(const char *start, const char *p, size_t *secret_len)
{
	static const char *intro[] = {"authorization: ", "authorization:", "bot ",  "bearer ",
	                              "\"token\":\"",    "\"token\": \"",  "token="};
	static const char *slack[] = {"xoxb-", "xoxp-", "xoxa-", "xoxs-", "xapp-", "xoxe-"};
	size_t i;

	if (!word_boundary(start, p))
		return 0;
	for (i = 0; i < UTIL_ARRAY_LEN(slack); i++) {
		if (util_has_prefix_ci(p, slack[i])) {
			*secret_len = token_run(p);
			return 0;
		}
	}
	for (i = 0; i < UTIL_ARRAY_LEN(intro); i++) {
		size_t n = strlen(intro[i]);
		if (util_has_prefix_ci(p, intro[i])) {
			const char *v = p + n;
			/* "Authorization: Bot xyz": keep the scheme word, blank the rest. */
			if (i < 2) {
				if (util_has_prefix_ci(v, "bot "))
					v += 4;
				else if (util_has_prefix_ci(v, "bearer "))
					v += 7;
				else if (util_has_prefix_ci(v, "basic "))
					v += 6;
			}
			*secret_len = token_run(v);
			/* After a bare "Bot "/"Bearer " only a long run is a credential:
			 * "the bot started" must survive. */
			if (*secret_len < (i < 2 ? 6u : 20u)) {
				*secret_len = 0;
				return 0;
			}
			return (size_t)(v - p);
		}
	}
	return 0;
}

static size_t match_secret(const char *p)
{
	size_t i;
	for (i = 0; i < nsecrets; i++) {
		size_t n = strlen(secrets[i]);
		if (strncmp(p, secrets[i], n) == 0)
			return n;
	}
	return 0;
}

void log_redact(const char *src, char *dst, size_t dstsize)
{
	struct buf b;
	const char *p = src;

	buf_init(&b, dstsize > 0 ? dstsize - 1 : 0);
	buf_add(&b, "", 0);
	while (*p != '\0') {
		size_t secret_len = 0;
		size_t keep = match_secret(p);
		if (keep > 0) {
			buf_adds(&b, REDACTED);
			p += keep;
			continue;
		}
		keep = match_credential(src, p, &secret_len);
		if (secret_len > 0) {
			buf_add(&b, p, keep);
			buf_adds(&b, REDACTED);
			p += keep + secret_len;
			continue;
		}
		if (buf_add(&b, p, 1) != BOT_OK)
			break;
		p++;
	}
	if (dstsize > 0) {
		size_t n = b.len < dstsize - 1 ? b.len : dstsize - 1;
		memcpy(dst, buf_str(&b), n);
		dst[n] = '\0';
	}
	buf_cleanup(&b);
}

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
{
	static const char *names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
	char raw[LOG_LINE_MAX];
	char clean[LOG_LINE_MAX];
	char stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	char *nl;
	FILE *f = out_file != NULL ? out_file : stderr;

	if (level < min_level)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* One event, one line: fold embedded newlines. */
	while ((nl = strpbrk(raw, "\r\n")) != NULL)
		*nl = ' ';
	log_redact(raw, clean, sizeof(clean));
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "%s.%03ldZ %-5s %s: %s\n", stamp, ts.tv_nsec / 1000000L, names[level], module,
	        clean);
	fflush(f);
}
