/* util.c - aborting allocators, capped buffers, small string helpers. */
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "base/err.h"

static void oom(size_t n)
{
	fprintf(stderr, "drillbot: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b, (size_t)-1);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	return buf_steal(&b);
}

void buf_init(struct buf *b, size_t cap)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
}

void buf_cleanup(struct buf *b)
{
	free(b->data);
	buf_init(b, b->cap);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static int grow(struct buf *b, size_t n)
{
	size_t need;

	if (n > b->cap || b->len > b->cap - n)
		return BOT_ETOOBIG;
	need = b->len + n + 1;
	if (need > b->alloc) {
		size_t a = b->alloc ? b->alloc : 64;
		while (a < need)
			a *= 2;
		b->data = xrealloc(b->data, a);
		b->alloc = a;
	}
	return BOT_OK;
}

int buf_add(struct buf *b, const void *p, size_t n)
{
	int err = grow(b, n);
	if (err != BOT_OK)
		return err;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return BOT_OK;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	size_t room = b->alloc > b->len ? b->alloc - b->len : 0;
	va_list ap2;
	int n;
	int err;

	/* One pass when it fits the room already there (the common case), a
	 * second only after growing: formatting is most of building a reply. */
	va_copy(ap2, ap);
	n = vsnprintf(room > 0 ? b->data + b->len : NULL, room, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		if (room > 0)
			b->data[b->len] = '\0';
		return BOT_EINVAL;
	}
	if ((size_t)n < room) {
		if ((size_t)n > b->cap || b->len > b->cap - (size_t)n) {
			b->data[b->len] = '\0'; /* over the cap: leave the buffer as it was */
			return BOT_ETOOBIG;
		}
		b->len += (size_t)n;
		return BOT_OK;
	}
	if (room > 0)
		b->data[b->len] = '\0';
	err = grow(b, (size_t)n);
	if (err != BOT_OK)
		return err;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return BOT_OK;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return err;
}

const char *buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

char *buf_steal(struct buf *b)
{
	char *s = b->data != NULL ? b->data : xstrdup("");
	buf_init(b, b->cap);
	return s;
}

int util_read_file(const char *path, size_t cap, char **out, size_t *len)
{
	FILE *f;
	struct buf b;
	char chunk[8192];
	size_t n;
	int err = BOT_OK;

	*out = NULL;
	f = fopen(path, "rb");
	if (f == NULL)
		return errno == ENOENT ? BOT_ENOENT : BOT_EIO;
	buf_init(&b, cap);
	buf_add(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		err = buf_add(&b, chunk, n);
		if (err != BOT_OK)
			goto out;
	}
	if (ferror(f))
		err = BOT_EIO;
out:
	fclose(f);
	if (err != BOT_OK) {
		buf_cleanup(&b);
		return err;
	}
	if (len != NULL)
		*len = b.len;
	*out = buf_steal(&b);
	return BOT_OK;
}

bool util_has_prefix_ci(const char *s, const char *prefix)
{
	while (*prefix != '\0') {
		if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
			return false;
		s++;
		prefix++;
	}
	return true;
}

char *util_trim(char *s)
{
	size_t n = strlen(s);
	size_t i = 0;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)s[i]))
		i++;
	if (i > 0)
		memmove(s, s + i, n - i + 1);
	return s;
}

bool util_blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

int util_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return BOT_EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return BOT_EINVAL;
	*out = v;
	return BOT_OK;
}

#define DIST_MAX 64

/* Optimal string alignment distance (a swap of two neighbours costs 1),
 * case-insensitive. Long strings are simply "far". */
size_t util_edit_distance(const char *a, const char *b)
{
	unsigned char d[DIST_MAX + 1][DIST_MAX + 1];
	size_t la = strlen(a), lb = strlen(b);
	size_t i, j;

	if (la > DIST_MAX || lb > DIST_MAX)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = (unsigned char)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (unsigned char)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			int cost = ca != cb;
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = (unsigned char)v;
		}
	}
	return d[la][lb];
}

size_t util_utf8_chars(const char *s, size_t n)
{
	size_t i, chars = 0;

	for (i = 0; i < n; i++)
		chars += ((unsigned char)s[i] & 0xc0) != 0x80;
	return chars;
}

/*
 * Scans one sequence at s (n > 0 bytes): returns the bytes it takes and
 * sets *bad when they are not well-formed. A bad sequence is its maximal
 * subpart: a lead byte with the continuations that were valid so far, or
 * one stray byte. The second byte's range rules out overlong forms (E0,
 * F0), surrogates (ED) and code points past U+10FFFF (F4).
 */
static size_t utf8_scan(const unsigned char *s, size_t n, bool *bad)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	*bad = false;
	if (c < 0x80)
		return 1;
	*bad = true;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 1;
	lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
	hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
	for (i = 1; i < len; i++) {
		if (i >= n || s[i] < lo || s[i] > hi)
			return i;
		lo = 0x80;
		hi = 0xbf;
	}
	*bad = false;
	return len;
}

size_t util_utf8_repair(const char *s, size_t n, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0, fixed = 0;

	while (i < n) {
		bool bad;
		size_t len = utf8_scan(p + i, n - i, &bad);
		if (bad) {
			buf_add(out, s + start, i - start);
			buf_add(out, "\xef\xbf\xbd", 3); /* U+FFFD */
			fixed++;
			start = i + len;
		}
		i += len;
	}
	buf_add(out, s + start, n - start);
	return fixed;
}
