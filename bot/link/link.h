/*
 * link.h - the signed links of the private pages (/me/<token>,
 * /team/<token>) and of a user's data export (/export/<token>). A token is
 * "<id>-<sig>": the row id of the user or team and the first 128 bits of
 * HMAC-SHA256(secret, "<kind>/<id>/<nonce>") in base64url. A user's two
 * kinds share the user's nonce, so one reset retires both; the kind is
 * signed, so neither token opens the other's page. The secret is made on first start and kept in
 * the store; the nonce is the user's or team's own, so a reset or a /forget-me makes every old link
 * fail, and without the secret no link can be guessed or made.
 */
#ifndef BOT_LINK_H
#define BOT_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define LINK_TOKEN_MAX 64

enum link_kind { LINK_ME, LINK_TEAM, LINK_EXPORT };

/* The kind's name, signed and in the path: "me", "team", "export". */
const char *link_kind_name(enum link_kind kind);

/* The token for the user's or team's page, making its nonce when it has none. */
int link_make(struct store *s, enum link_kind kind, int64_t id, char token[LINK_TOKEN_MAX]);
/* A new nonce: every link made before stops working. */
int link_reset(struct store *s, enum link_kind kind, int64_t id);
/*
 * The id a token was made for; BOT_ENOENT for a token that is malformed,
 * tampered with, reset or of a forgotten user (never which of them).
 */
int link_check(struct store *s, enum link_kind kind, const char *token, int64_t *id);

#endif
