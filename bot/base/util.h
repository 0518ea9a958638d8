/*
 * util.h - allocation that aborts on out-of-memory, and a growable byte
 * buffer with a hard size cap (after curl's dynbuf).
 */
#ifndef BOT_UTIL_H
#define BOT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define UTIL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* These never return NULL: on failure they print a message and abort. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A NUL-terminated buffer that refuses to grow past cap bytes. Appends
 * that would pass the cap fail with BOT_ETOOBIG and leave the buffer as
 * it was, so a caller can report the limit instead of truncating.
 */
struct buf {
	char *data; /* always NUL-terminated once anything is appended */
	size_t len;
	size_t alloc;
	size_t cap;
};

void buf_init(struct buf *b, size_t cap);
void buf_cleanup(struct buf *b);
void buf_reset(struct buf *b);
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* The contents, "" when empty; valid until the next append. */
const char *buf_str(const struct buf *b);
/* Hands the string to the caller (free() it) and resets the buffer. */
char *buf_steal(struct buf *b);

/* Reads a whole file of at most cap bytes into *out (free() it). */
int util_read_file(const char *path, size_t cap, char **out, size_t *len);

/* Case-insensitive ASCII prefix test. */
bool util_has_prefix_ci(const char *s, const char *prefix);
/* Strips ASCII whitespace from both ends in place; returns s. */
char *util_trim(char *s);
/* Whether s is empty or ASCII whitespace only. */
bool util_blank(const char *s);
/* Parses a decimal integer in [min, max]; the whole string must be used. */
int util_parse_long(const char *s, long min, long max, long *out);
/*
 * Optimal string alignment distance, ASCII case-insensitive: insert,
 * delete, change and swap of two neighbours cost 1 each; strings over 64
 * bytes are SIZE_MAX (far). For "did you mean" suggestions.
 */
size_t util_edit_distance(const char *a, const char *b);

/* Code points in the first n bytes of UTF-8 text: bytes that do not continue a sequence. */
size_t util_utf8_chars(const char *s, size_t n);
/*
 * Appends the n bytes of s to out with every byte that is not part of a
 * well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF, no cut sequence) replaced by U+FFFD, as the
 * Unicode standard's "maximal subpart" practice does. Returns how many
 * replacements were made, so an adapter can say so.
 */
size_t util_utf8_repair(const char *s, size_t n, struct buf *out);

#endif
