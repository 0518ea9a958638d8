/* dmsg.c - interactions to requests, replies to Discord messages. */
#include "discord/dmsg.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"

#define COMPONENT_ROW    1
#define COMPONENT_BUTTON 2
#define COMPONENT_TEXT   4
#define BUTTON_LINK      5
#define TEXT_PARAGRAPH   2
#define PLACEHOLDER_MAX  100 /* using-modal-components.mdx: text input placeholder */
#define CONTENT_MAX      2000

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The user object: member.user in a guild, user in a direct message. */
static json_t *user_of(json_t *d)
{
	json_t *member = json_object_get(d, "member");
	json_t *u = json_object_get(member, "user");
	return u != NULL ? u : json_object_get(d, "user");
}

/* member.nick, else user.global_name, else user.username. */
static const char *display_name(json_t *d, json_t *user)
{
	const char *n = str(json_object_get(d, "member"), "nick");

	if (n == NULL || *n == '\0')
		n = str(user, "global_name");
	if (n == NULL || *n == '\0')
		n = str(user, "username");
	return n != NULL ? n : "";
}

/* Manage Guild or Administrator, from the member's permissions in the channel. */
static bool is_admin(json_t *d)
{
	const char *p = str(json_object_get(d, "member"), "permissions");
	uint64_t bits;

	if (p == NULL)
		return false;
	bits = strtoull(p, NULL, 10);
	return (bits & (DMSG_PERM_ADMIN | DMSG_PERM_MANAGE)) != 0;
}

/* A typed option's value as text: strings as they are, numbers in decimal. */
static const char *option_value(json_t *v, char *buf, size_t size)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, size, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, size, "%s", json_is_true(v) ? "true" : "false");
	else
		return NULL;
	return buf;
}

static void read_options(json_t *data, struct dmsg_req *r)
{
	json_t *opts = json_object_get(data, "options");
	size_t i;
	json_t *o;

	json_array_foreach(opts, i, o)
	{
		const char *name = str(o, "name");
		const char *value;
		if (name == NULL || r->req.noptions >= REQUEST_MAX_OPTIONS)
			continue;
		value = option_value(json_object_get(o, "value"), r->values[r->req.noptions],
		                     sizeof(r->values[0]));
		if (value == NULL)
			continue;
		if (json_is_true(json_object_get(o, "focused"))) {
			r->focused = name;
			r->focused_value = value;
		}
		r->opts[r->req.noptions].name = name;
		r->opts[r->req.noptions].value = value;
		r->req.noptions++;
	}
	r->req.options = r->opts;
}

/* The text typed into the modal: the one text input, in either layout the docs give. */
static const char *modal_text(json_t *data)
{
	json_t *rows = json_object_get(data, "components");
	size_t i, j;
	json_t *row, *c;

	json_array_foreach(rows, i, row)
	{
		json_t *inner = json_object_get(row, "component"); /* a label wrapping one */
		if (inner != NULL && str(inner, "value") != NULL)
			return str(inner, "value");
		json_array_foreach(json_object_get(row, "components"), j, c)
		{
			if (str(c, "value") != NULL)
				return str(c, "value");
		}
	}
	return NULL;
}

int dmsg_read(json_t *d, struct dmsg_req *r, const char **why)
{
	json_t *data = json_object_get(d, "data");
	json_t *user = user_of(d);
	const char *guild = str(d, "guild_id");

	memset(r, 0, sizeof(*r));
	r->type = (int)json_integer_value(json_object_get(d, "type"));
	r->id = str(d, "id");
	r->token = str(d, "token");
	r->req.platform = "discord";
	r->req.user = str(user, "id");
	r->req.channel = str(d, "channel_id");
	if (r->id == NULL || r->token == NULL || r->req.user == NULL) {
		*why = "an interaction without id, token or user";
		return BOT_EINVAL;
	}
	if (r->req.channel == NULL)
		r->req.channel = "";
	/* A direct message is its own team, one per user. */
	r->req.is_dm = guild == NULL;
	r->req.personal = guild == NULL;
	if (guild != NULL)
		snprintf(r->team, sizeof(r->team), "%s", guild);
	else
		snprintf(r->team, sizeof(r->team), "dm:%s", r->req.user);
	r->req.team = r->team;
	r->req.user_name = display_name(d, user);
	r->req.locale = str(d, "locale");
	r->req.is_admin = guild != NULL && is_admin(d);
	switch (r->type) {
	case DMSG_COMMAND:
	case DMSG_AUTOCOMPLETE:
		r->req.command = str(data, "name");
		read_options(data, r);
		break;
	case DMSG_COMPONENT:
		r->req.action = str(data, "custom_id");
		break;
	case DMSG_MODAL_SUBMIT:
		r->req.action = str(data, "custom_id");
		r->req.input = modal_text(data);
		if (r->req.input == NULL)
			r->req.input = "";
		break;
	default:
		break;
	}
	if ((r->type == DMSG_COMMAND || r->type == DMSG_AUTOCOMPLETE) && r->req.command == NULL) {
		*why = "a command interaction without data.name";
		return BOT_EINVAL;
	}
	if ((r->type == DMSG_COMPONENT || r->type == DMSG_MODAL_SUBMIT) && r->req.action == NULL) {
		*why = "a component interaction without data.custom_id";
		return BOT_EINVAL;
	}
	return BOT_OK;
}

static int button_style(const struct reply_button *b)
{
	if (b->kind == REPLY_LINK)
		return BUTTON_LINK;
	switch (b->style) {
	case REPLY_PRIMARY:
		return 1;
	case REPLY_SUCCESS:
		return 3;
	case REPLY_DANGER:
		return 4;
	default:
		return 2;
	}
}

/* Action rows of buttons, in the reply's rows (using-message-components.mdx). */
static json_t *components(const struct reply *r)
{
	json_t *rows = json_array();
	json_t *row = NULL;
	int cur = -1;
	size_t i;

	for (i = 0; i < r->nbuttons; i++) {
		const struct reply_button *b = &r->buttons[i];
		json_t *btn;
		if (row == NULL || b->row != cur) {
			row = json_pack("{s:i,s:[]}", "type", COMPONENT_ROW, "components");
			json_array_append_new(rows, row);
			cur = b->row;
		}
		btn = json_pack("{s:i,s:i,s:s}", "type", COMPONENT_BUTTON, "style", button_style(b),
		                "label", b->label);
		json_object_set_new(btn, b->kind == REPLY_LINK ? "url" : "custom_id",
		                    json_string(b->id));
		json_array_append_new(json_object_get(row, "components"), btn);
	}
	return rows;
}

/* An embed for a reply with a title or fields; a short plain reply goes as content. */
static bool wants_embed(const struct reply *r)
{
	return r->title[0] != '\0' || r->nfields > 0 || r->footer[0] != '\0' ||
	       util_utf8_chars(buf_str(&r->text), r->text.len) > CONTENT_MAX;
}

static json_t *embed(const struct reply *r)
{
	json_t *e = json_object();
	size_t i;

	if (r->title[0] != '\0')
		json_object_set_new(e, "title", json_string(r->title));
	if (r->text.len > 0)
		json_object_set_new(e, "description", json_string(buf_str(&r->text)));
	if (r->nfields > 0) {
		json_t *fields = json_array();
		for (i = 0; i < r->nfields; i++)
			json_array_append_new(
			    fields, json_pack("{s:s,s:s,s:b}", "name", r->fields[i].name, "value",
			                      r->fields[i].value, "inline", r->fields[i].inline_));
		json_object_set_new(e, "fields", fields);
	}
	if (r->footer[0] != '\0')
		json_object_set_new(e, "footer", json_pack("{s:s}", "text", r->footer));
	return e;
}

json_t *dmsg_message(const struct reply *r)
{
	json_t *m = json_object();

	if (wants_embed(r))
		json_object_set_new(m, "embeds", json_pack("[o]", embed(r)));
	else
		json_object_set_new(
		    m, "content",
		    json_string(r->text.len > 0 ? buf_str(&r->text) : "(nothing to show)"));
	json_object_set_new(m, "components", components(r));
	/* No pings from quoted text: an answer may contain "@everyone". */
	json_object_set_new(m, "allowed_mentions", json_pack("{s:[]}", "parse"));
	if (r->ephemeral)
		json_object_set_new(m, "flags", json_integer(DMSG_FLAG_EPHEMERAL));
	return m;
}

json_t *dmsg_callback(const struct reply *r, bool component)
{
	/* A reply that replaces the message a button was on updates it (type 7);
	 * a private reply to a public message must be a new one. */
	int type = component && r->target == REPLY_REPLACE && !r->ephemeral ? DMSG_CB_UPDATE
	                                                                    : DMSG_CB_MESSAGE;
	json_t *data = dmsg_message(r);

	if (type == DMSG_CB_UPDATE)
		json_object_del(data, "flags");
	return json_pack("{s:i,s:o}", "type", type, "data", data);
}

json_t *dmsg_modal(const char *custom_id, const char *title, const char *prompt)
{
	char placeholder[PLACEHOLDER_MAX * 4 + 1];
	size_t n = reply_cut_len(prompt, PLACEHOLDER_MAX);
	json_t *input;

	snprintf(placeholder, sizeof(placeholder), "%.*s", (int)n, prompt);
	input = json_pack("{s:i,s:s,s:i,s:s,s:i,s:i,s:b}", "type", COMPONENT_TEXT, "custom_id",
	                  DMSG_TEXT_INPUT_ID, "style", TEXT_PARAGRAPH, "label", "Your answer",
	                  "min_length", 1, "max_length", 4000, "required", 1);
	if (placeholder[0] != '\0')
		json_object_set_new(input, "placeholder", json_string(placeholder));
	return json_pack("{s:i,s:{s:s,s:s,s:[{s:i,s:[o]}]}}", "type", DMSG_CB_MODAL, "data",
	                 "custom_id", custom_id, "title", title[0] != '\0' ? title : "Your answer",
	                 "components", "type", COMPONENT_ROW, "components", input);
}
