/*
 * dmsg.h - Discord's shapes of the core's request and reply: an
 * INTERACTION_CREATE's payload read into a struct request, and a struct
 * reply written as interaction callback data (receiving-and-responding.mdx,
 * using-message-components.mdx, using-modal-components.mdx). Only fields
 * the docs define are written, so every body passes a strict schema.
 */
#ifndef BOT_DISCORD_DMSG_H
#define BOT_DISCORD_DMSG_H

#include <jansson.h>
#include <stdbool.h>

#include "engine/reply.h"
#include "engine/request.h"

/* Interaction types and callback types (receiving-and-responding.mdx). */
enum {
	DMSG_PING = 1,
	DMSG_COMMAND = 2,
	DMSG_COMPONENT = 3,
	DMSG_AUTOCOMPLETE = 4,
	DMSG_MODAL_SUBMIT = 5
};
enum { DMSG_CB_MESSAGE = 4, DMSG_CB_UPDATE = 7, DMSG_CB_AUTOCOMPLETE = 8, DMSG_CB_MODAL = 9 };
#define DMSG_FLAG_EPHEMERAL 64
#define DMSG_PERM_ADMIN     (1ull << 3) /* ADMINISTRATOR */
#define DMSG_PERM_MANAGE    (1ull << 5) /* MANAGE_GUILD */
#define DMSG_TEXT_INPUT_ID  "text"

/* A request read from an interaction; its strings live in the json and here. */
struct dmsg_req {
	struct request req;
	struct request_option opts[REQUEST_MAX_OPTIONS];
	char values[REQUEST_MAX_OPTIONS][32]; /* integers and booleans as text */
	char team[48];                        /* guild id, or "dm:<user id>" */
	int type;                             /* DMSG_COMMAND, ... */
	const char *id, *token;               /* the interaction's, for the callback */
	const char *focused;                  /* autocomplete: the focused option's name */
	const char *focused_value;
};

/*
 * Reads interaction d (borrowed; must outlive r) into r. BOT_EINVAL with a
 * reason in why (static) for a payload without what every interaction has.
 */
int dmsg_read(json_t *d, struct dmsg_req *r, const char **why);

/* The callback body for a reply: {type, data}. component: answering a button or modal, so a
 * replacing reply may update that message (type 7). */
json_t *dmsg_callback(const struct reply *r, bool component);
/* The modal a REPLY_MODAL button opens: callback type 9. prompt goes into the placeholder. */
json_t *dmsg_modal(const char *custom_id, const char *title, const char *prompt);
/* The message body of r (content, embeds, components, flags), as for a callback's data. */
json_t *dmsg_message(const struct reply *r);

#endif
