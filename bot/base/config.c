/*
 * config.c - owns the settings table: each key's name, default and
 * validation, and the three ways values arrive (INI file, DRILLBOT_*
 * environment, token files).
 *
 * The file goes through inih, fed by our own line reader. inih's handler
 * gets no line number and inih itself keeps going after a bad line, so the
 * reader counts lines, checks the things inih would silently accept (a
 * foreign section, a line without "=", an indented line that inih would
 * glue onto the previous value, an over-long line it would split) and
 * stops the parse at the first error: the message then always names the
 * first bad line, and nothing after it is applied.
 */
#include "base/config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/tz.h"

#define EXAMPLE_FILE "config/drillbot.example.ini"
#define ENV_PREFIX   "DRILLBOT_"
/* The longest line handed to inih, which reads into a 200-byte buffer. */
#define LINE_BUF 200
/* The longest raw line we read; longer ones are refused, not split. */
#define RAW_LINE_MAX 1024
/* Values longer than this are shortened when quoted in a message. */
#define QUOTE_MAX 60
/* Real tokens are far longer; the log redactor ignores anything shorter. */
#define TOKEN_MIN 8

#define DATA(data, off) ((void *)((char *)(data) + (off)))

static char **field(void *data, size_t off)
{
	return (char **)DATA(data, off);
}

/* Whether key k is stored in a char * field at k->off. */
static bool is_string(const struct config_key *k)
{
	return k->kind != CONFIG_LEVEL && k->kind != CONFIG_U64 && k->kind != CONFIG_DECIMAL &&
	       k->kind != CONFIG_AUTO_COUNT && k->kind != CONFIG_DURATION;
}

static void set_str(void *data, size_t off, const char *v)
{
	char **p = field(data, off);
	free(*p);
	*p = v != NULL ? xstrdup(v) : NULL;
}

/* Wipes and frees a secret; the compiler may not drop explicit_bzero. */
static void free_secret(char **p)
{
	if (*p != NULL) {
		explicit_bzero(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

/*
 * Appends s in double quotes, shortened to QUOTE_MAX bytes and with
 * control characters escaped, so a hostile or binary value cannot forge
 * lines in a terminal or a log.
 */
static void add_quoted(struct buf *b, const char *s)
{
	size_t i;

	buf_adds(b, "\"");
	for (i = 0; s[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (i == QUOTE_MAX) {
			buf_adds(b, "...");
			break;
		}
		if (ch < 0x20 || ch == 0x7f)
			buf_addf(b, "\\x%02x", ch);
		else if (ch == '"' || ch == '\\')
			buf_addf(b, "\\%c", ch);
		else
			buf_add(b, &s[i], 1);
	}
	buf_adds(b, "\"");
}

/* Appends `key "value"`. */
static void add_kv(struct buf *b, const char *key, const char *v)
{
	buf_addf(b, "%s ", key);
	add_quoted(b, v);
}

/* The key closest to name within an edit distance of 2, or NULL. */
static const char *closest_key(const struct config *c, const char *name)
{
	const char *best = NULL;
	size_t best_d = 3, i;

	for (i = 0; i < c->nkeys; i++) {
		size_t d = util_edit_distance(name, c->keys[i].k->name);
		if (d < best_d) {
			best_d = d;
			best = c->keys[i].k->name;
		}
	}
	return best;
}

static int find_key(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nkeys; i++) {
		if (strcasecmp(name, c->keys[i].k->name) == 0)
			return (int)i;
	}
	return -1;
}

static const struct config_bound_token *find_token_name(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ntokens; i++) {
		if (strcasecmp(name, c->tokens[i].t->name) == 0)
			return &c->tokens[i];
	}
	return NULL;
}

/* ---- value checks; each failure writes "what is wrong; how to fix" ---- */

static bool all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
	}
	return true;
}

static bool host_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '.' || ch == '-' || ch == '_';
}

static bool port_ok(const char *s, size_t n, long min)
{
	char tmp[8];
	long v;

	if (n == 0 || n > 5)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return all_digits(tmp) && util_parse_long(tmp, min, 65535, &v) == BOT_OK;
}

/*
 * The host[:port] between auth and end: a name or [IPv6], then an
 * optional port. why already holds `key "value"`; the reason is appended.
 */
static int check_authority(const struct config_key *k, const char *auth, const char *end,
                           struct buf *why)
{
	const char *p = auth, *q, *colon;

	if (*p == '[') {
		while (p < end && *p != ']')
			p++;
		if (p == end) {
			buf_addf(why, " has an IPv6 address without its closing \"]\"; "
			              "write e.g. http://[::1]:8080");
			return BOT_ECONFIG;
		}
		for (q = auth + 1; q < p; q++) {
			if (!isxdigit((unsigned char)*q) && *q != ':' && *q != '.')
				goto bad_host;
		}
		colon = p + 1 < end ? p + 1 : NULL;
		if (p == auth + 1 || (colon != NULL && *colon != ':'))
			goto bad_host;
	} else {
		while (p < end && host_char(*p))
			p++;
		if (p == auth || (p < end && *p != ':'))
			goto bad_host;
		colon = p < end ? p : NULL;
	}
	if (colon != NULL && !port_ok(colon + 1, (size_t)(end - colon - 1), 1)) {
		buf_addf(why, " has a bad port; a port is a number from 1 to 65535, e.g. %s",
		         k->example);
		return BOT_ECONFIG;
	}
	return BOT_OK;
bad_host:
	buf_addf(why, " has a bad host name; write the full URL, e.g. %s", k->example);
	return BOT_ECONFIG;
}

/*
 * Checks an absolute URL with one of two schemes. Base URLs (base true) are
 * joined with paths later, so a query or fragment is refused there.
 */
static int check_url(const struct config_key *k, const char *v, const char *s1, const char *s2,
                     bool base, struct buf *why)
{
	const char *auth, *end;

	if (util_has_prefix_ci(v, s1))
		auth = v + strlen(s1);
	else if (util_has_prefix_ci(v, s2))
		auth = v + strlen(s2);
	else {
		add_kv(why, k->name, v);
		buf_addf(why, " does not start with %s or %s; write the full URL, e.g. %s", s1, s2,
		         k->example);
		return BOT_ECONFIG;
	}
	end = auth + strcspn(auth, "/?#");
	if (memchr(auth, '@', (size_t)(end - auth)) != NULL) {
		/* Never echo it: the part before '@' may be a password. */
		buf_addf(why,
		         "%s must not contain a user name or password; give a plain URL, e.g. %s",
		         k->name, k->example);
		return BOT_ECONFIG;
	}
	add_kv(why, k->name, v);
	if (strchr(v, ' ') != NULL) {
		buf_addf(why, " contains a space; write %%20 or remove it");
		return BOT_ECONFIG;
	}
	if (base && strpbrk(v, "?#") != NULL) {
		buf_addf(why, " has a query or fragment; give only the base URL, e.g. %s",
		         k->example);
		return BOT_ECONFIG;
	}
	if (end == auth) {
		buf_addf(why, " has no host name; write the full URL, e.g. %s", k->example);
		return BOT_ECONFIG;
	}
	if (check_authority(k, auth, end, why) != BOT_OK)
		return BOT_ECONFIG;
	buf_reset(why);
	return BOT_OK;
}

/* Zone names are checked by base/tz, the module that will read them. */
static int check_zone(const struct config_key *k, const char *v, struct buf *why)
{
	if (!tz_name_ok(v)) {
		add_kv(why, k->name, v);
		buf_addf(why, " is not a time zone name; use an IANA name such as %s, or UTC",
		         k->example);
		return BOT_ECONFIG;
	}
	char hint[256];

	if (tz_valid(v))
		return BOT_OK;
	add_kv(why, k->name, v);
	tz_hint(v, hint, sizeof(hint));
	if (hint[0] != '\0') {
		buf_addf(why, " is not a time zone: %s", hint);
		return BOT_ECONFIG;
	}
	buf_addf(why,
	         " is not a known time zone; use an IANA name such as %s, or UTC "
	         "(the names are the files under %s)",
	         k->example, tz_dir());
	return BOT_ECONFIG;
}

static int set_listen(void *data, const struct config_key *k, const char *v, struct buf *why)
{
	const char *host, *host_end, *port;
	const char *p;
	long n;

	/* "off": no web server (host NULL, port -1). */
	if (strcasecmp(v, "off") == 0) {
		free(*field(data, k->off));
		*field(data, k->off) = NULL;
		*(int *)DATA(data, k->off2) = -1;
		return BOT_OK;
	}
	if (v[0] == '[') {
		host = v + 1;
		host_end = strchr(host, ']');
		if (host_end == NULL || host_end == host || host_end[1] != ':') {
			add_kv(why, k->name, v);
			buf_addf(why, " is not [IPv6]:port; write e.g. [::1]:8080");
			return BOT_ECONFIG;
		}
		for (p = host; p < host_end; p++) {
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
				goto bad_host;
		}
		port = host_end + 2;
	} else {
		host = v;
		port = strrchr(v, ':');
		if (port == NULL) {
			add_kv(why, k->name, v);
			buf_addf(why, " has no port; write host:port, e.g. %s", k->example);
			return BOT_ECONFIG;
		}
		host_end = port++;
		if (host_end == host) {
			add_kv(why, k->name, v);
			buf_addf(why,
			         " has no host; write e.g. 127.0.0.1:8080 for this machine only "
			         "or 0.0.0.0:8080 for every interface");
			return BOT_ECONFIG;
		}
		if (memchr(host, ':', (size_t)(host_end - host)) != NULL) {
			add_kv(why, k->name, v);
			buf_addf(why,
			         " is ambiguous; put an IPv6 address in brackets, e.g. [::1]:8080");
			return BOT_ECONFIG;
		}
		for (p = host; p < host_end; p++) {
			if (!host_char(*p))
				goto bad_host;
		}
	}
	if (!all_digits(port) || strlen(port) > 5 ||
	    util_parse_long(port, 0, 65535, &n) != BOT_OK) {
		buf_addf(why, "%s port ", k->name);
		add_quoted(why, port);
		buf_addf(why, " is not a number from 0 to 65535; write host:port, e.g. %s",
		         k->example);
		return BOT_ECONFIG;
	}
	free(*field(data, k->off));
	*field(data, k->off) = xstrndup(host, (size_t)(host_end - host));
	*(int *)DATA(data, k->off2) = (int)n;
	return BOT_OK;
bad_host:
	add_kv(why, k->name, v);
	buf_addf(why, " has a bad host; write host:port, e.g. %s", k->example);
	return BOT_ECONFIG;
}

/* A path value that is really a pasted token would be echoed in a later
 * "cannot open" message; catch it here, without echoing it. */
static bool looks_like_token(const char *v)
{
	static const char *slack[] = {"xoxb-", "xoxp-", "xoxa-", "xoxs-", "xoxe-", "xapp-"};
	size_t i, dots = 0, n = strlen(v);

	if (strchr(v, '/') != NULL)
		return false;
	for (i = 0; i < UTIL_ARRAY_LEN(slack); i++) {
		if (util_has_prefix_ci(v, slack[i]))
			return true;
	}
	/* Discord bot tokens: three base64url parts joined by dots. */
	for (i = 0; i < n; i++) {
		if (v[i] == '.')
			dots++;
		else if (!isalnum((unsigned char)v[i]) && v[i] != '_' && v[i] != '-')
			return false;
	}
	return dots == 2 && n >= 50;
}

/* The upper-case copy of s in dst, for naming environment variables. */
static const char *upper(const char *s, char *dst, size_t size)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < size; i++)
		dst[i] = (char)toupper((unsigned char)s[i]);
	dst[i] = '\0';
	return dst;
}

/* The checks every value passes first: a length cap and no control characters. */
static int check_raw(const struct config_key *k, const char *v, struct buf *why)
{
	const unsigned char *p;

	if (strlen(v) > CONFIG_VALUE_MAX) {
		buf_addf(why, "%s is longer than %d characters; shorten it", k->name,
		         CONFIG_VALUE_MAX);
		return BOT_ECONFIG;
	}
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			buf_addf(why, "%s contains a control character; remove it", k->name);
			return BOT_ECONFIG;
		}
	}
	return BOT_OK;
}

/* An empty value: "unset" for the optional kinds, an error for the others. */
static int set_empty(void *data, const struct config_key *k, struct buf *why)
{
	switch (k->kind) {
	case CONFIG_TOKEN_FILE:
	case CONFIG_WS_URL_OPT:
	case CONFIG_DIGITS_OPT:
	case CONFIG_WORDS_OPT:
		set_str(data, k->off, NULL);
		return BOT_OK;
	default:
		buf_addf(why, "%s is empty; give a value or leave it out to keep the default (%s)",
		         k->name, k->def);
		return BOT_ECONFIG;
	}
}

/* CONFIG_U64 into a uint64_t, CONFIG_DIGITS_OPT kept as its digits. */
static int set_number(void *data, const struct config_key *k, const char *v, struct buf *why)
{
	unsigned long long u;
	char *end;

	errno = 0;
	u = all_digits(v) ? strtoull(v, &end, 10) : 0;
	if (all_digits(v) && errno == 0 && *end == '\0') {
		if (k->kind == CONFIG_U64)
			*(uint64_t *)DATA(data, k->off) = (uint64_t)u;
		else
			set_str(data, k->off, v);
		return BOT_OK;
	}
	add_kv(why, k->name, v);
	if (k->kind == CONFIG_U64)
		buf_addf(why, " is not a whole number from 0 to %llu; write e.g. %s (0 = random)",
		         (unsigned long long)UINT64_MAX, k->example);
	else
		buf_addf(why, " is not an ID made of digits; %s, e.g. %s",
		         k->fix != NULL ? k->fix : "write digits only", k->example);
	return BOT_ECONFIG;
}

/* CONFIG_DECIMAL: plain decimal notation ("0.9", ".85"), within [min, max]. */
static int set_decimal(void *data, const struct config_key *k, const char *v, struct buf *why)
{
	bool plain = strspn(v, "0123456789.") == strlen(v) && strchr(v, '.') == strrchr(v, '.');
	char *end = NULL;
	double d = 0;

	errno = 0;
	if (plain)
		d = strtod(v, &end);
	if (plain && errno == 0 && end != v && *end == '\0' && d >= k->min && d <= k->max) {
		*(double *)DATA(data, k->off) = d;
		return BOT_OK;
	}
	add_kv(why, k->name, v);
	buf_addf(why, " is not a number from %g to %g; write e.g. %s", k->min, k->max, k->example);
	return BOT_ECONFIG;
}

static int set_level(void *data, const struct config_key *k, const char *v, struct buf *why)
{
	enum log_level level;

	if (log_level_parse(v, &level) != BOT_OK) {
		add_kv(why, k->name, v);
		buf_addf(why, " is not one of debug, info, warn, error");
		return BOT_ECONFIG;
	}
	*(enum log_level *)DATA(data, k->off) = level;
	return BOT_OK;
}

static int set_token_file(void *data, const struct config_key *k, const char *v, struct buf *why)
{
	if (looks_like_token(v)) {
		/* Not echoed: it is probably the token itself. */
		buf_addf(why,
		         "%s holds what looks like a token, not a file name; put the "
		         "token in a file (chmod 600) and give its path, e.g. %s",
		         k->name, k->example);
		return BOT_ECONFIG;
	}
	set_str(data, k->off, v);
	return BOT_OK;
}

static int set_http_url(void *data, const struct config_key *k, const char *v, struct buf *why)
{
	size_t n = strlen(v);
	int err = check_url(k, v, "http://", "https://", true, why);

	if (err != BOT_OK)
		return err;
	/* Stored without trailing '/', so callers can always append "/path". */
	while (n > 0 && v[n - 1] == '/')
		n--;
	free(*field(data, k->off));
	*field(data, k->off) = xstrndup(v, n);
	return BOT_OK;
}

/* CONFIG_AUTO_COUNT: "auto" is 0, else a count from 1 to k->max. */
static int set_auto_count(void *data, const struct config_key *k, const char *v, struct buf *why)
{
	long n;

	if (strcasecmp(v, "auto") == 0) {
		*(uint64_t *)DATA(data, k->off) = 0;
		return BOT_OK;
	}
	if (all_digits(v) && util_parse_long(v, 1, (long)k->max, &n) == BOT_OK) {
		*(uint64_t *)DATA(data, k->off) = (uint64_t)n;
		return BOT_OK;
	}
	add_kv(why, k->name, v);
	buf_addf(why, " is neither auto nor a number from 1 to %.0f; write e.g. %s", k->max,
	         k->example);
	return BOT_ECONFIG;
}

/* CONFIG_DURATION: a whole number and one unit (s, m, h), or 0; at most k->max seconds. */
static int set_duration(void *data, const struct config_key *k, const char *v, struct buf *why)
{
	size_t digits = strspn(v, "0123456789");
	const char *unit = v + digits;
	char num[12];
	long n = 0, mult = 0;

	if (strcmp(unit, "s") == 0)
		mult = 1;
	else if (strcmp(unit, "m") == 0)
		mult = 60;
	else if (strcmp(unit, "h") == 0)
		mult = 3600;
	else if (*unit == '\0' && strcmp(v, "0") == 0)
		mult = 1;
	snprintf(num, sizeof(num), "%.*s", (int)(digits < 9 ? digits : 9), v);
	if (digits > 0 && digits < 9 && mult > 0 &&
	    util_parse_long(num, 0, (long)k->max / mult, &n) == BOT_OK) {
		*(int64_t *)DATA(data, k->off) = (int64_t)n * mult;
		return BOT_OK;
	}
	add_kv(why, k->name, v);
	buf_addf(why, " is not a duration of at most %.0f h: a number and s, m or h, e.g. %s",
	         k->max / 3600, k->example);
	return BOT_ECONFIG;
}

/*
 * Validates and applies one value to key k. On failure writes "what; how"
 * to why and leaves the settings unchanged.
 */
static int set_value(void *data, const struct config_key *k, const char *v, struct buf *why)
{
	int err = check_raw(k, v, why);

	if (err != BOT_OK)
		return err;
	if (*v == '\0')
		return set_empty(data, k, why);
	switch (k->kind) {
	case CONFIG_LEVEL:
		return set_level(data, k, v, why);
	case CONFIG_PATH:
	case CONFIG_WORDS_OPT:
		set_str(data, k->off, v);
		return BOT_OK;
	case CONFIG_TOKEN_FILE:
		return set_token_file(data, k, v, why);
	case CONFIG_HTTP_URL:
		return set_http_url(data, k, v, why);
	case CONFIG_WS_URL_OPT:
		err = check_url(k, v, "wss://", "ws://", false, why);
		break;
	case CONFIG_TZ:
		err = check_zone(k, v, why);
		break;
	case CONFIG_LISTEN:
		return set_listen(data, k, v, why);
	case CONFIG_DIGITS_OPT:
	case CONFIG_U64:
		return set_number(data, k, v, why);
	case CONFIG_DECIMAL:
		return set_decimal(data, k, v, why);
	case CONFIG_AUTO_COUNT:
		return set_auto_count(data, k, v, why);
	case CONFIG_DURATION:
		return set_duration(data, k, v, why);
	}
	if (err == BOT_OK)
		set_str(data, k->off, v);
	return err;
}

/* ---- tokens ---- */

/*
 * Checks a trimmed token. where starts the message ("DRILLBOT_X" or
 * `key "path"`); the token itself is never written to why.
 */
static int check_token(const struct config_token *t, const char *tok, const char *where,
                       struct buf *why)
{
	const unsigned char *p;
	size_t n = strlen(tok);

	if (n == 0) {
		buf_addf(why, "%s is empty; put the token in it", where);
		return BOT_ECONFIG;
	}
	if (n > CONFIG_TOKEN_MAX) {
		buf_addf(why, "%s is longer than %d bytes; it must hold the token alone", where,
		         CONFIG_TOKEN_MAX);
		return BOT_ECONFIG;
	}
	if (util_has_prefix_ci(tok, "bot ") || util_has_prefix_ci(tok, "bearer ")) {
		buf_addf(why,
		         "%s starts with \"%s\"; store the token alone (drillbot adds the "
		         "prefix itself)",
		         where, util_has_prefix_ci(tok, "bot ") ? "Bot " : "Bearer ");
		return BOT_ECONFIG;
	}
	for (p = (const unsigned char *)tok; *p != '\0'; p++) {
		if (*p <= 0x20 || *p == 0x7f) {
			buf_addf(why,
			         "%s has spaces, line breaks or control characters inside the "
			         "token; it must hold the token alone",
			         where);
			return BOT_ECONFIG;
		}
	}
	if (n < TOKEN_MIN) {
		buf_addf(why,
		         "%s holds only %zu characters, too short for a token; copy the whole "
		         "token",
		         where, n);
		return BOT_ECONFIG;
	}
	return t->check != NULL ? t->check(tok, where, why) : BOT_OK;
}

/* Sets the token (taking ownership of tok) and registers it as a secret. */
static void take_token(const struct config_bound_token *bt, char *tok)
{
	char **slot = field(bt->data, bt->t->tok_off);

	free_secret(slot);
	*slot = tok;
	log_add_secret(tok);
}

/*
 * Opens a token file and checks what it is before reading it: a regular
 * file, small, and (a warning only) private to its owner.
 */
static int open_token_file(const struct config_token *t, const char *path, const char *where,
                           int *fdp, struct buf *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	*fdp = fd;
	if (fd < 0) {
		int e = errno;
		buf_addf(err, "%s: cannot open: %s; create it holding the token, or unset %s",
		         where, strerror(e), t->file_key);
		return e == ENOENT ? BOT_ENOENT : BOT_ECONFIG;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		buf_addf(err,
		         "%s is not a regular file; give the path of the file holding the token",
		         where);
		return BOT_ECONFIG;
	}
	if (st.st_size > CONFIG_TOKEN_MAX) {
		buf_addf(err,
		         "%s is %lld bytes, more than the %d a token file may hold; is it the "
		         "right file?",
		         where, (long long)st.st_size, CONFIG_TOKEN_MAX);
		return BOT_ECONFIG;
	}
	if ((st.st_mode & (S_IRGRP | S_IROTH)) != 0)
		LOG_W("config",
		      "%s is readable by group or others (mode %04o); run chmod 600 on it", where,
		      (unsigned)(st.st_mode & 07777));
	return BOT_OK;
}

/* Reads fd to its end, or to size - 1 bytes (the file may have grown after fstat). */
static int read_all(int fd, char *data, size_t size, size_t *lenp, const char *where,
                    struct buf *err)
{
	size_t len = 0;
	ssize_t n;

	while (len < size - 1) {
		n = read(fd, data + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			buf_addf(err, "%s: cannot read: %s", where, strerror(errno));
			return BOT_EIO;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	data[len] = '\0';
	*lenp = len;
	return BOT_OK;
}

/*
 * Reads the token file of slot t into *out (owned). The file is read
 * through one descriptor, so the mode and size checked are those of the
 * file actually read.
 */
static int read_token_file(const struct config_token *t, const char *path, char **out,
                           struct buf *err)
{
	char data[CONFIG_TOKEN_MAX + 2];
	char *tok = NULL;
	struct buf where;
	size_t len = 0;
	int fd = -1;
	int rc = BOT_OK;

	*out = NULL;
	buf_init(&where, 1024);
	add_kv(&where, t->file_key, path);
	rc = open_token_file(t, path, buf_str(&where), &fd, err);
	if (rc != BOT_OK)
		goto out;
	rc = read_all(fd, data, sizeof(data), &len, buf_str(&where), err);
	if (rc != BOT_OK)
		goto out;
	if (len > CONFIG_TOKEN_MAX) {
		buf_addf(err, "%s is more than %d bytes; is it the right file?", buf_str(&where),
		         CONFIG_TOKEN_MAX);
		rc = BOT_ECONFIG;
		goto out;
	}
	if (memchr(data, '\0', len) != NULL) {
		buf_addf(err, "%s contains a NUL byte; it must hold the token as text",
		         buf_str(&where));
		rc = BOT_ECONFIG;
		goto out;
	}
	util_trim(data);
	rc = check_token(t, data, buf_str(&where), err);
	if (rc != BOT_OK)
		goto out;
	tok = xstrdup(data);
	*out = tok;
out:
	explicit_bzero(data, sizeof(data));
	if (fd >= 0)
		close(fd);
	buf_cleanup(&where);
	return rc;
}

/* ---- public ---- */

/* Binds every module's keys and tokens to its settings struct. */
static void bind(struct config *c, const struct config_module *m, void *data)
{
	size_t i, j;

	for (i = 0; i < m->nkeys; i++) {
		if (c->nkeys == CONFIG_MAX_KEYS || find_key(c, m->keys[i].name) >= 0) {
			fprintf(stderr,
			        "drillbot: config key %s: too many keys or declared twice\n",
			        m->keys[i].name);
			abort();
		}
		c->keys[c->nkeys].k = &m->keys[i];
		c->keys[c->nkeys++].data = data;
	}
	for (i = 0; i < m->ntokens; i++) {
		struct config_bound_token *bt = &c->tokens[c->ntokens];
		if (c->ntokens == CONFIG_MAX_TOKENS)
			abort();
		bt->t = &m->tokens[i];
		bt->data = data;
		for (j = 0; j < m->nkeys; j++) {
			if (strcmp(m->keys[j].name, m->tokens[i].file_key) == 0)
				bt->file = &m->keys[j];
		}
		if (bt->file == NULL || bt->file->kind != CONFIG_TOKEN_FILE)
			abort(); /* a token's file key must be one of the module's */
		c->ntokens++;
	}
}

void config_init(struct config *c, const struct config_module *const *modules, size_t n)
{
	struct buf why;
	size_t i;

	memset(c, 0, sizeof(*c));
	if (n > CONFIG_MAX_MODULES)
		abort();
	for (i = 0; i < n; i++) {
		c->modules[i] = modules[i];
		c->data[i] = xcalloc(1, modules[i]->size);
		bind(c, modules[i], c->data[i]);
	}
	c->nmodules = n;
	buf_init(&why, 1024);
	for (i = 0; i < c->nkeys; i++) {
		/* The defaults go through the same checks as user values, so a
		 * bad default cannot ship unnoticed: the tests load them. */
		int err = set_value(c->keys[i].data, c->keys[i].k, c->keys[i].k->def, &why);
		if (err != BOT_OK) {
			/* A default that fails its own check is a programming
			 * error (none depends on the machine: zones default to UTC). */
			fprintf(stderr, "drillbot: bad built-in default: %s\n", buf_str(&why));
			abort();
		}
	}
	buf_cleanup(&why);
}

void config_cleanup(struct config *c)
{
	size_t i;

	for (i = 0; i < c->ntokens; i++)
		free_secret(field(c->tokens[i].data, c->tokens[i].t->tok_off));
	for (i = 0; i < c->nkeys; i++) {
		if (is_string(c->keys[i].k))
			set_str(c->keys[i].data, c->keys[i].k->off, NULL);
	}
	for (i = 0; i < c->nmodules; i++)
		free(c->data[i]);
	memset(c, 0, sizeof(*c));
}

void *config_data(const struct config *c, const struct config_module *m)
{
	size_t i;

	for (i = 0; i < c->nmodules; i++) {
		if (c->modules[i] == m)
			return c->data[i];
	}
	return NULL;
}

struct parse {
	struct config *c;
	FILE *f;
	int line;
	size_t bytes;
	int seen[CONFIG_MAX_KEYS]; /* the line that set each key, 0 = none */
	int err_line;              /* the first bad line, 0 = none yet */
	int err;
	struct buf why; /* "what; how" for err_line */
};

static void fail(struct parse *p, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct parse *p, int err, const char *fmt, ...)
{
	va_list ap;

	if (p->err_line != 0)
		return;
	p->err_line = p->line;
	p->err = err;
	va_start(ap, fmt);
	buf_vaddf(&p->why, fmt, ap);
	va_end(ap);
}

/* Cuts an inline comment: ';' or '#' after whitespace starts one. */
static void cut_comment(char *s)
{
	char *q;

	for (q = s; *q != '\0'; q++) {
		if ((*q == ';' || *q == '#') && q > s && isspace((unsigned char)q[-1])) {
			*q = '\0';
			break;
		}
	}
	util_trim(s);
}

/* Checks a "[section]" line; only [drillbot] is ours. */
static void check_section(struct parse *p, char *s)
{
	char *close = strchr(s, ']');

	if (close == NULL) {
		fail(p, BOT_ECONFIG,
		     "expected \"]\" to close the section header; write [drillbot], "
		     "or no header at all");
		return;
	}
	if (close[1] != '\0') {
		fail(p, BOT_ECONFIG,
		     "unexpected text after \"]\"; put the section header on a line "
		     "of its own");
		return;
	}
	*close = '\0';
	util_trim(s + 1);
	if (strcasecmp(s + 1, "drillbot") != 0) {
		struct buf q;
		buf_init(&q, 256);
		add_quoted(&q, s + 1);
		fail(p, BOT_ECONFIG,
		     "unknown section %s; drillbot's keys need no section (only "
		     "[drillbot] is allowed)",
		     buf_str(&q));
		buf_cleanup(&q);
	}
}

/*
 * One raw line into raw (at most RAW_LINE_MAX bytes; *long_line when it
 * was longer), noting NUL bytes. False at the end of the input or when
 * the file passes its size cap (then the error is recorded).
 */
static bool read_raw(struct parse *p, char raw[RAW_LINE_MAX + 1], bool *long_line, bool *nul)
{
	size_t n = 0;
	int ch = EOF;

	for (;;) {
		ch = getc(p->f);
		if (ch == EOF)
			break;
		if (++p->bytes > CONFIG_FILE_MAX) {
			p->line++;
			fail(p, BOT_ECONFIG,
			     "the file is larger than %d KiB; is it the right file?",
			     CONFIG_FILE_MAX / 1024);
			return false;
		}
		if (ch == '\n')
			break;
		if (ch == '\0')
			*nul = true;
		if (n < RAW_LINE_MAX)
			raw[n++] = (char)ch;
		else
			*long_line = true;
	}
	raw[n] = '\0';
	return !(ch == EOF && n == 0 && !*long_line);
}

/*
 * inih's reader: hands inih one pre-checked line at a time and ends the
 * input at the first error. Comment and section lines are handed over
 * blank: we have dealt with them, and inih need not.
 */
static char *read_line(char *dst, int size, void *stream)
{
	struct parse *p = stream;
	char raw[RAW_LINE_MAX + 1];
	char *s;
	bool long_line = false, nul = false;

	if (p->err_line != 0 || size < 3)
		return NULL;
	if (!read_raw(p, raw, &long_line, &nul))
		return NULL;
	p->line++;
	s = raw;
	/* A UTF-8 byte order mark, as some Windows editors write. */
	if (p->line == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	/* Leading blanks are dropped rather than left to inih, which would
	 * append an indented line to the previous key's value. */
	util_trim(s);
	if (nul) {
		fail(p, BOT_ECONFIG, "contains a NUL byte; save the file as plain text");
		return NULL;
	}
	if (*s == '\0' || *s == ';' || *s == '#') {
		snprintf(dst, (size_t)size, "\n");
		return dst;
	}
	cut_comment(s);
	if (*s == '[') {
		check_section(p, s);
		if (p->err_line != 0)
			return NULL;
		snprintf(dst, (size_t)size, "\n");
		return dst;
	}
	if (long_line || strlen(s) > (size_t)size - 2) {
		fail(p, BOT_ECONFIG,
		     "the line is longer than %d characters; shorten the value "
		     "(a relative path may help)",
		     size - 2);
		return NULL;
	}
	/* inih also splits at ':', which would turn "url http://x" into the
	 * key "url http"; we insist on '=' before any ':'. */
	if (strchr(s, '=') == NULL || strcspn(s, ":") < strcspn(s, "=")) {
		fail(p, BOT_ECONFIG,
		     "expected \"key = value\"; comments start with \";\" or \"#\"");
		return NULL;
	}
	if (*s == '=') {
		fail(p, BOT_ECONFIG, "expected \"key = value\"; the key name is missing");
		return NULL;
	}
	/* Always end with '\n', so no inih build mistakes a full buffer for a
	 * line to be continued. */
	snprintf(dst, (size_t)size, "%s\n", s);
	return dst;
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
	struct parse *p = user;
	const struct config_bound_token *t;
	const char *near;
	struct buf q;
	int i, err;

	(void)section; /* checked by read_line */
	if (p->err_line != 0)
		return 0;
	i = find_key(p->c, name);
	if (i >= 0 && p->seen[i] != 0) {
		fail(p, BOT_ECONFIG,
		     "duplicate key \"%s\" (first set on line %d); keep only one of "
		     "the two lines",
		     p->c->keys[i].k->name, p->seen[i]);
		return 0;
	}
	if (i >= 0) {
		p->seen[i] = p->line;
		err = set_value(p->c->keys[i].data, p->c->keys[i].k, value, &p->why);
		if (err != BOT_OK) {
			p->err_line = p->line;
			p->err = err;
			return 0;
		}
		return 1;
	}
	t = find_token_name(p->c, name);
	near = closest_key(p->c, name);
	buf_init(&q, 256);
	add_quoted(&q, name);
	if (t != NULL) {
		/* The value is not quoted: it is a token. */
		fail(p, BOT_ECONFIG,
		     "%s cannot be set in the config file, which is too easily "
		     "shared; put the token in a file (chmod 600) and set %s, or set "
		     "%s in the environment",
		     t->t->name, t->t->file_key, t->t->env);
	} else if (near != NULL) {
		fail(p, BOT_ECONFIG, "unknown key %s; did you mean \"%s\"? (see %s)", buf_str(&q),
		     near, EXAMPLE_FILE);
	} else {
		fail(p, BOT_ECONFIG, "unknown key %s; the valid keys are listed in %s", buf_str(&q),
		     EXAMPLE_FILE);
	}
	buf_cleanup(&q);
	return 0;
}

int config_load_file(struct config *c, const char *path, struct buf *err)
{
	struct parse p;
	int rc = BOT_OK;
	int line;

	if (err != NULL)
		buf_reset(err);
	memset(&p, 0, sizeof(p));
	p.c = c;
	buf_init(&p.why, 2048);
	p.f = fopen(path, "rb");
	if (p.f == NULL) {
		int e = errno;
		rc = e == ENOENT ? BOT_ENOENT : BOT_EIO;
		if (err != NULL)
			buf_addf(err,
			         "%s: cannot open: %s; copy %s there and edit it, or give "
			         "another path",
			         path, strerror(e), EXAMPLE_FILE);
		goto out;
	}
	line = ini_parse_stream(read_line, &p, on_pair, &p);
	if (ferror(p.f)) {
		rc = BOT_EIO;
		if (err != NULL)
			buf_addf(err, "%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	if (p.err_line != 0) {
		rc = p.err;
		if (err != NULL)
			buf_addf(err, "%s:%d: %s", path, p.err_line, buf_str(&p.why));
	} else if (line != 0) {
		/* read_line screens out what inih refuses; keep a message anyway. */
		rc = BOT_ECONFIG;
		if (err != NULL)
			buf_addf(err, "%s:%d: expected \"key = value\"", path, line);
	}
out:
	if (p.f != NULL)
		fclose(p.f);
	buf_cleanup(&p.why);
	return rc;
}

int config_load_env(struct config *c, char **envp, struct buf *err)
{
	struct buf why;
	char **e;
	int rc = BOT_OK;

	if (err != NULL)
		buf_reset(err);
	if (envp == NULL)
		envp = environ;
	buf_init(&why, 2048);
	for (e = envp; e != NULL && *e != NULL; e++) {
		const char *eq = strchr(*e, '=');
		const struct config_bound_token *t;
		const char *near;
		char name[64];
		char upname[64];
		char *value;
		size_t nlen;
		int i;

		if (eq == NULL || strncmp(*e, ENV_PREFIX, strlen(ENV_PREFIX)) != 0)
			continue;
		nlen = (size_t)(eq - *e);
		if (nlen >= sizeof(name))
			continue;
		memcpy(name, *e, nlen);
		name[nlen] = '\0';
		value = xstrdup(eq + 1);
		util_trim(value);
		i = find_key(c, name + strlen(ENV_PREFIX));
		t = find_token_name(c, name + strlen(ENV_PREFIX));
		near = i < 0 && t == NULL ? closest_key(c, name + strlen(ENV_PREFIX)) : NULL;
		if (i >= 0) {
			buf_addf(&why, "%s: ", name);
			rc = set_value(c->keys[i].data, c->keys[i].k, value, &why);
		} else if (t != NULL && *value != '\0') {
			rc = check_token(t->t, value, name, &why);
			if (rc == BOT_OK) {
				take_token(t, value);
				value = NULL;
			}
		} else if (near != NULL) {
			/* A near miss of a key is a typo, refused as one in the file
			 * is; other DRILLBOT_* names (DRILLBOT_BIN in scripts) are
			 * nobody's setting and left alone. */
			buf_addf(
			    &why,
			    "%s is not a setting; did you mean %s%s? (unset it or fix the name)",
			    name, ENV_PREFIX, upper(near, upname, sizeof(upname)));
			rc = BOT_ECONFIG;
		}
		if (value != NULL) {
			explicit_bzero(value, strlen(value));
			free(value);
		}
		if (rc != BOT_OK)
			goto out;
		buf_reset(&why);
	}
out:
	if (rc != BOT_OK && err != NULL)
		buf_adds(err, buf_str(&why));
	buf_cleanup(&why);
	return rc;
}

int config_load_tokens(struct config *c, struct buf *err)
{
	size_t i;
	int rc = BOT_OK;

	if (err != NULL)
		buf_reset(err);
	for (i = 0; i < c->ntokens; i++) {
		const struct config_bound_token *bt = &c->tokens[i];
		const char *path = *field(bt->data, bt->file->off);
		struct buf why;
		char *tok;

		if (*field(bt->data, bt->t->tok_off) != NULL || path == NULL)
			continue;
		buf_init(&why, 2048);
		rc = read_token_file(bt->t, path, &tok, &why);
		if (rc == BOT_OK)
			take_token(bt, tok);
		else if (err != NULL)
			buf_adds(err, buf_str(&why));
		buf_cleanup(&why);
		if (rc != BOT_OK)
			break;
	}
	return rc;
}

size_t config_key_count(const struct config *c)
{
	return c->nkeys;
}

const char *config_key_name(const struct config *c, size_t i)
{
	return i < c->nkeys ? c->keys[i].k->name : NULL;
}

const char *config_key_default(const struct config *c, size_t i)
{
	return i < c->nkeys ? c->keys[i].k->def : NULL;
}

/* ---- the example file ---- */

static const char example_intro[] =
    "; drillbot.example.ini - every setting, with its default.\n"
    ";\n"
    "; Generated by `drillbot config example` from the modules' key tables;\n"
    "; edit those, not this file (a test checks it is current).\n"
    ";\n"
    "; Copy this file (e.g. to /etc/drillbot/drillbot.ini), uncomment what you\n"
    "; change and start the bot with that path. Every line here is commented out,\n"
    "; so the file loads as it is and gives exactly the defaults.\n"
    ";\n"
    "; Format: one \"key = value\" per line. Comments start with \";\" or \"#\" (also\n"
    "; after a value, when preceded by a space). Key names are not case-sensitive.\n"
    "; A \"[drillbot]\" header is allowed; no other section is.\n"
    ";\n"
    "; Every key can also be set from the environment as DRILLBOT_<KEY IN UPPER\n"
    "; CASE>, which wins over this file: DRILLBOT_DATABASE=/var/lib/drillbot/db.\n"
    ";\n"
    "; Tokens never go in this file: it is too easily shared. Put each token in a\n"
    "; file of its own (chmod 600; Docker secrets and systemd credentials work)\n"
    "; and name the file below, or set the token's variable in the environment.\n"
    "; Without Discord or Slack credentials, \"drillbot run\" starts in console mode.\n"
    "\n"
    "[drillbot]\n";

/* "; " before every line of text. */
static void add_comment(struct buf *out, const char *text)
{
	const char *p = text;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		buf_addf(out, "; %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

void config_example(const struct config *c, struct buf *out)
{
	size_t m, i, t;

	buf_adds(out, example_intro);
	for (m = 0; m < c->nmodules; m++) {
		const struct config_module *mod = c->modules[m];
		if (mod->heading != NULL)
			buf_addf(out, "\n; --- %s ---\n", mod->heading);
		for (i = 0; i < mod->nkeys; i++) {
			const struct config_key *k = &mod->keys[i];
			if (k->heading != NULL)
				buf_addf(out, "\n; --- %s ---\n", k->heading);
			buf_adds(out, "\n");
			add_comment(out, k->help);
			for (t = 0; t < mod->ntokens; t++) {
				if (strcmp(mod->tokens[t].file_key, k->name) == 0)
					buf_addf(out, "; Or set %s to the token itself.\n",
					         mod->tokens[t].env);
			}
			buf_addf(out, "; Default: %s\n", k->def[0] != '\0' ? k->def : "none");
			buf_addf(out, ";%s = %s\n", k->name,
			         k->def[0] != '\0' ? k->def : k->example);
		}
	}
}
