/*
 * log.h - one line per event: UTC timestamp, level, module, message.
 *
 * Secrets never reach the output: every line passes through the redactor,
 * which blanks registered secret strings, the values of Authorization
 * headers, "Bot "/"Bearer " credentials and Slack tokens (xox?-, xapp-).
 */
#ifndef BOT_LOG_H
#define BOT_LOG_H

#include <stddef.h>
#include <stdio.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Lines below level are dropped. The default is LOG_INFO. */
void log_set_level(enum log_level level);
/* Parses "debug", "info", "warn", "error"; BOT_EINVAL otherwise. */
int log_level_parse(const char *s, enum log_level *out);
/* Sends output to f (borrowed; stderr by default). */
void log_set_output(FILE *f);
/* Registers a secret (copied) to blank wherever it appears. */
void log_add_secret(const char *secret);
/* Forgets every registered secret. */
void log_clear_secrets(void);

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Redacts src into dst (at most dstsize bytes, always NUL-terminated).
 * Exposed so the HTTP and gateway layers can scrub what they echo.
 */
void log_redact(const char *src, char *dst, size_t dstsize);

#define LOG_D(mod, ...) log_msg(LOG_DEBUG, mod, __VA_ARGS__)
#define LOG_I(mod, ...) log_msg(LOG_INFO, mod, __VA_ARGS__)
#define LOG_W(mod, ...) log_msg(LOG_WARN, mod, __VA_ARGS__)
#define LOG_E(mod, ...) log_msg(LOG_ERROR, mod, __VA_ARGS__)

#endif
