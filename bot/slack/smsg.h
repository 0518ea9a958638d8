/*
 * smsg.h - Slack's shapes of the core's request and reply, and nothing
 * that touches the network: Socket Mode frames read into a struct
 * smsg_env (using-socket-mode: hello, disconnect, envelopes), envelope
 * payloads read into a struct request (slash commands, block_actions,
 * view_submission), a struct reply written as Block Kit with a mrkdwn
 * body and a text fallback, the Answer modal, the app manifest, and the
 * reconnect backoff. Every function is pure, so the unit tests cover it.
 */
#ifndef BOT_SLACK_SMSG_H
#define BOT_SLACK_SMSG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "engine/reply.h"
#include "engine/request.h"

#define SMSG_SECTION_MAX    3000 /* section-block: text */
#define SMSG_FIELD_MAX      2000 /* section-block: each field */
#define SMSG_BLOCKS_MAX     50   /* blocks in a message */
#define SMSG_BUTTON_MAX     75   /* button-element: text */
#define SMSG_HEADER_MAX     150  /* header-block: text */
#define SMSG_CONTEXT_MAX    3000 /* context-block element text (as a text object) */
#define SMSG_INPUT_MAX      3000 /* plain-text-input: max_length */
#define SMSG_TITLE_MAX      24   /* modal title, submit, close */
#define SMSG_FALLBACK_MAX   3000 /* the top-level text we write (Slack cuts at 40,000) */
#define SMSG_MAX_FRAME      (1024u * 1024u)
#define SMSG_INPUT_BLOCK    "answer"
#define SMSG_INPUT_ACTION   "text"
#define SMSG_BACKOFF_MAX_MS 30000u

/* What a Socket Mode frame is. */
enum smsg_type {
	SMSG_HELLO,
	SMSG_DISCONNECT,
	SMSG_SLASH,       /* slash_commands */
	SMSG_INTERACTIVE, /* interactive: block_actions, view_submission, ... */
	SMSG_EVENTS,      /* events_api */
	SMSG_OTHER        /* an envelope of a type we do not use (still acknowledged) */
};

/* One frame; the strings and payload are borrowed from the parsed JSON. */
struct smsg_env {
	enum smsg_type type;
	const char *envelope_id; /* NULL for hello and disconnect */
	bool accepts_payload;    /* accepts_response_payload */
	long retry_attempt;      /* 0 for a first delivery */
	const char *retry_reason;
	json_t *payload;      /* NULL for hello and disconnect */
	const char *reason;   /* disconnect: "warning", "refresh_requested", "link_disabled", ... */
	long num_connections; /* hello / disconnect; -1 when absent */
	long approx_conn_time; /* hello: debug_info.approximate_connection_time in s; -1 */
};

/*
 * Parses one text frame into *root (the caller decrefs it) and e.
 * BOT_EINVAL, with a reason in why (static) and *root NULL, for a frame
 * that is not JSON, not an object, or an envelope without envelope_id or
 * payload: such a frame is logged and skipped.
 */
int smsg_parse(const char *s, size_t n, json_t **root, struct smsg_env *e, const char **why);

/* The key that makes a redelivered envelope the same one (trigger_id, event_id), or NULL. */
const char *smsg_dedupe_key(const struct smsg_env *e);

enum smsg_kind {
	SMSG_COMMAND, /* a slash command */
	SMSG_ACTION,  /* a button pressed (block_actions) */
	SMSG_SUBMIT,  /* the Answer modal submitted (view_submission) */
	SMSG_IGNORE   /* an interaction we do not use (shortcut, view_closed, ...) */
};

/* A request read from a payload; its strings live in the JSON and here. */
struct smsg_req {
	struct request req;
	enum smsg_kind kind;
	char command[64];         /* the command without "/" and the prefix */
	char channel[64];         /* where the reply goes ("" when unknown) */
	const char *response_url; /* or NULL */
	const char *trigger_id;   /* or NULL */
	bool container_ephemeral; /* the pressed button was on an ephemeral message */
};

/*
 * Reads a slash_commands or interactive payload (borrowed; must outlive r).
 * prefix is slack_command_prefix ("" for none): "/drill-question" with
 * "drill-" is the command "question". BOT_EINVAL with why for a payload
 * without team, user or the command or action it claims.
 */
int smsg_read(json_t *payload, enum smsg_type type, const char *prefix, struct smsg_req *r,
              const char **why);

/*
 * Appends the Slack mrkdwn of the engine's Markdown md to out: **bold** →
 * *bold*, _italic_, `code`, ``` blocks, [t](url) → <url|t> (http and https
 * only), "- " items → "• ". Every &, < and > of text (and inside code) is
 * escaped as &amp; &lt; &gt;, so no text can ping @channel or forge a link.
 */
void smsg_mrkdwn(const char *md, struct buf *out);
/* Appends s[0..n) with &, < and > escaped. */
void smsg_escape(const char *s, size_t n, struct buf *out);

/*
 * The message for r: {"text": fallback, "blocks": [...]} within Block Kit's
 * limits (a header, sections of at most 3,000 characters, fields, a
 * context footer, one actions block per row of buttons; 50 blocks).
 */
json_t *smsg_message(const struct reply *r);
/* The Answer modal (views.open's view): callback_id is the action, private_metadata the channel. */
json_t *smsg_modal(const char *callback_id, const char *title, const char *prompt_md,
                   const char *channel);

/*
 * The app manifest (JSON) from the command table: Socket Mode,
 * interactivity, one slash command per command (named prefix + name), and
 * the bot scopes commands, chat:write and users:read.
 */
json_t *smsg_manifest(const char *prefix, const char *app_name);

/*
 * How long to wait before reconnect attempt number `failures` (0: the
 * first after a working connection): capped exponential with jitter;
 * rnd is a uniform random 64-bit number.
 */
uint64_t smsg_backoff_ms(unsigned failures, uint64_t rnd);

/* Whether an ok:false error means a token is no good (the platform stops). */
bool smsg_auth_error(const char *error);

#endif
