/*
 * link.c - signing and checking private-page tokens with OpenSSL's
 * HMAC-SHA256; the comparison takes the same time wherever the first
 * wrong byte is (CRYPTO_memcmp), so a token cannot be found byte by byte.
 */
#include "link/link.h"

#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"

#define MOD         "link"
#define SECRET_NAME "link-hmac-sha256"
#define SECRET_LEN  32
#define SIG_LEN     16 /* 128 bits of the MAC are kept */
#define SIG_CHARS   22 /* base64url of 16 bytes, unpadded */

static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static void b64url(const unsigned char *p, size_t n, char *out)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = B64URL[(acc >> bits) & 63];
		}
	}
	if (bits > 0)
		out[o++] = B64URL[(acc << (6 - bits)) & 63];
	out[o] = '\0';
}

/* The secret, made and kept on first use. */
static int secret(struct store *s, char out[2 * SECRET_LEN + 1])
{
	unsigned char raw[SECRET_LEN];
	char fresh[2 * SECRET_LEN + 1];
	int rc;

	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		LOG_E(MOD, "OpenSSL has no random bytes for the link secret");
		return BOT_EIO;
	}
	hex(raw, sizeof(raw), fresh);
	OPENSSL_cleanse(raw, sizeof(raw));
	rc = store_secret(s, SECRET_NAME, fresh, out, 2 * SECRET_LEN + 1);
	OPENSSL_cleanse(fresh, sizeof(fresh));
	if (rc == BOT_OK && strlen(out) != 2 * SECRET_LEN)
		rc = BOT_ESTORE; /* a row someone else wrote by hand */
	return rc;
}

static int sign(struct store *s, enum link_kind kind, int64_t id, int64_t nonce,
                char sig[SIG_CHARS + 1])
{
	char key[2 * SECRET_LEN + 1], msg[96];
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	int n, rc = secret(s, key);

	if (rc != BOT_OK)
		return rc;
	n = snprintf(msg, sizeof(msg), "%s/%" PRId64 "/%" PRId64, link_kind_name(kind), id, nonce);
	if (HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)msg, (size_t)n, mac,
	         &len) == NULL ||
	    len < SIG_LEN)
		rc = BOT_EIO;
	else
		b64url(mac, SIG_LEN, sig);
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}

const char *link_kind_name(enum link_kind kind)
{
	switch (kind) {
	case LINK_ME:
		return "me";
	case LINK_TEAM:
		return "team";
	case LINK_EXPORT:
		return "export";
	}
	return "?";
}

static int fresh_nonce(int64_t *nonce)
{
	uint64_t v = 0;

	if (RAND_bytes((unsigned char *)&v, sizeof(v)) != 1)
		return BOT_EIO;
	*nonce = (int64_t)(v >> 1); /* SQLite's integers are signed */
	return BOT_OK;
}

int link_make(struct store *s, enum link_kind kind, int64_t id, char token[LINK_TOKEN_MAX])
{
	bool team = kind == LINK_TEAM;
	char sig[SIG_CHARS + 1];
	int64_t nonce = 0;
	int rc = store_link_nonce_get(s, team, id, &nonce);

	if (rc == BOT_ENOENT) {
		if ((rc = fresh_nonce(&nonce)) != BOT_OK ||
		    (rc = store_link_nonce_set(s, team, id, nonce, false)) != BOT_OK)
			return rc;
		rc = store_link_nonce_get(s, team, id, &nonce);
	}
	if (rc == BOT_OK)
		rc = sign(s, kind, id, nonce, sig);
	if (rc == BOT_OK)
		snprintf(token, LINK_TOKEN_MAX, "%" PRId64 "-%s", id, sig);
	return rc;
}

int link_reset(struct store *s, enum link_kind kind, int64_t id)
{
	int64_t nonce;
	int rc = fresh_nonce(&nonce);

	return rc != BOT_OK ? rc : store_link_nonce_set(s, kind == LINK_TEAM, id, nonce, true);
}

/* "<digits>-<22 base64url>", the id parsed; false for anything else. */
static bool parse(const char *token, int64_t *id, const char **sig)
{
	const char *p = token;
	int64_t v = 0;

	if (*p < '1' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (INT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (*p++ != '-' || strlen(p) != SIG_CHARS || strspn(p, B64URL) != SIG_CHARS)
		return false;
	*id = v;
	*sig = p;
	return true;
}

int link_check(struct store *s, enum link_kind kind, const char *token, int64_t *id)
{
	char want[SIG_CHARS + 1];
	const char *sig;
	int64_t nonce, v;
	int rc;

	if (!parse(token, &v, &sig))
		return BOT_ENOENT;
	rc = store_link_nonce_get(s, kind == LINK_TEAM, v, &nonce);
	if (rc == BOT_OK)
		rc = sign(s, kind, v, nonce, want);
	if (rc != BOT_OK)
		return rc;
	if (CRYPTO_memcmp(want, sig, SIG_CHARS) != 0)
		return BOT_ENOENT;
	*id = v;
	return BOT_OK;
}
