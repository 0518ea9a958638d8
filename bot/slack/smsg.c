/*
 * smsg.c - Socket Mode frames to envelopes, payloads to requests, replies
 * to Block Kit (docs.slack.dev: using-socket-mode, block-kit, modals,
 * formatting-message-text). Only fields the docs define are written.
 */
#include "slack/smsg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/md.h"

#define PLACEHOLDER "Your answer, in a few sentences"

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long num_or(json_t *o, const char *key, long def)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (long)json_integer_value(v) : def;
}

/* ---- frames ---- */

static enum smsg_type type_of(const char *t)
{
	static const struct {
		const char *name;
		enum smsg_type type;
	} types[] = {{"hello", SMSG_HELLO},
	             {"disconnect", SMSG_DISCONNECT},
	             {"slash_commands", SMSG_SLASH},
	             {"interactive", SMSG_INTERACTIVE},
	             {"events_api", SMSG_EVENTS}};
	size_t i;

	for (i = 0; t != NULL && i < UTIL_ARRAY_LEN(types); i++)
		if (strcmp(t, types[i].name) == 0)
			return types[i].type;
	return SMSG_OTHER;
}

int smsg_parse(const char *s, size_t n, json_t **root, struct smsg_env *e, const char **why)
{
	json_t *j;

	*root = NULL;
	memset(e, 0, sizeof(*e));
	e->num_connections = -1;
	e->approx_conn_time = -1;
	j = json_loadb(s, n, 0, NULL);
	if (j == NULL) {
		*why = "a frame that is not JSON";
		return BOT_EINVAL;
	}
	if (!json_is_object(j)) {
		*why = "a frame that is not a JSON object";
		goto bad;
	}
	e->type = type_of(str(j, "type"));
	e->num_connections = num_or(j, "num_connections", -1);
	if (e->type == SMSG_HELLO) {
		e->approx_conn_time =
		    num_or(json_object_get(j, "debug_info"), "approximate_connection_time", -1);
	} else if (e->type == SMSG_DISCONNECT) {
		e->reason = str(j, "reason");
		if (e->reason == NULL)
			e->reason = "";
	} else {
		e->envelope_id = str(j, "envelope_id");
		e->payload = json_object_get(j, "payload");
		if (e->envelope_id == NULL || *e->envelope_id == '\0') {
			*why = "an envelope without envelope_id";
			goto bad;
		}
		if (!json_is_object(e->payload)) {
			*why = "an envelope without a payload object";
			goto bad;
		}
		e->accepts_payload = json_is_true(json_object_get(j, "accepts_response_payload"));
		e->retry_attempt = num_or(j, "retry_attempt", 0);
		e->retry_reason = str(j, "retry_reason");
	}
	*root = j;
	return BOT_OK;
bad:
	json_decref(j);
	memset(e, 0, sizeof(*e));
	return BOT_EINVAL;
}

const char *smsg_dedupe_key(const struct smsg_env *e)
{
	const char *k = NULL;

	if (e->payload == NULL)
		return NULL;
	if (e->type == SMSG_EVENTS)
		k = str(e->payload, "event_id");
	else if (e->type == SMSG_SLASH || e->type == SMSG_INTERACTIVE)
		k = str(e->payload, "trigger_id");
	return k != NULL && *k != '\0' ? k : NULL;
}

/* ---- payloads ---- */

static void set_channel(struct smsg_req *r, const char *ch)
{
	snprintf(r->channel, sizeof(r->channel), "%s", ch != NULL ? ch : "");
	r->req.channel = r->channel;
}

static int read_command(json_t *p, const char *prefix, struct smsg_req *r, const char **why)
{
	const char *cmd = str(p, "command");
	size_t plen = strlen(prefix);

	r->kind = SMSG_COMMAND;
	r->req.team = str(p, "team_id");
	r->req.user = str(p, "user_id");
	r->req.user_name = str(p, "user_name");
	set_channel(r, str(p, "channel_id"));
	r->req.args = str(p, "text");
	if (r->req.args == NULL)
		r->req.args = "";
	r->response_url = str(p, "response_url");
	r->trigger_id = str(p, "trigger_id");
	r->req.is_dm = strncmp(r->channel, "D", 1) == 0;
	if (cmd == NULL || cmd[0] != '/') {
		*why = "a slash command without its command";
		return BOT_EINVAL;
	}
	cmd++;
	if (plen > 0 && strncmp(cmd, prefix, plen) == 0 && cmd[plen] != '\0')
		cmd += plen;
	snprintf(r->command, sizeof(r->command), "%s", cmd);
	r->req.command = r->command;
	return BOT_OK;
}

/* The text of the first plain_text_input in a submitted view's state, or "". */
static const char *submitted_text(json_t *view)
{
	json_t *values = json_object_get(json_object_get(view, "state"), "values");
	json_t *block = json_object_get(values, SMSG_INPUT_BLOCK);
	json_t *el = json_object_get(block, SMSG_INPUT_ACTION);
	const char *k1, *k2;
	json_t *b, *e;

	if (el == NULL) {
		json_object_foreach(values, k1, b)
		{
			json_object_foreach(b, k2, e)
			{
				if (el == NULL && json_is_string(json_object_get(e, "value")))
					el = e;
			}
		}
	}
	return str(el, "value") != NULL ? str(el, "value") : "";
}

static int read_interactive(json_t *p, struct smsg_req *r, const char **why)
{
	const char *type = str(p, "type");
	json_t *user = json_object_get(p, "user");

	r->req.team = str(json_object_get(p, "team"), "id");
	if (r->req.team == NULL)
		r->req.team = str(user, "team_id");
	r->req.user = str(user, "id");
	r->req.user_name = str(user, "username");
	r->trigger_id = str(p, "trigger_id");
	r->response_url = str(p, "response_url");
	if (type != NULL && strcmp(type, "block_actions") == 0) {
		json_t *a = json_array_get(json_object_get(p, "actions"), 0);
		json_t *container = json_object_get(p, "container");
		const char *ch = str(json_object_get(p, "channel"), "id");
		r->kind = SMSG_ACTION;
		set_channel(r, ch != NULL ? ch : str(container, "channel_id"));
		r->container_ephemeral = json_is_true(json_object_get(container, "is_ephemeral"));
		r->req.action = str(a, "value") != NULL ? str(a, "value") : str(a, "action_id");
		if (r->req.action == NULL) {
			*why = "a block_actions payload without an action";
			return BOT_EINVAL;
		}
	} else if (type != NULL && strcmp(type, "view_submission") == 0) {
		json_t *view = json_object_get(p, "view");
		r->kind = SMSG_SUBMIT;
		set_channel(r, str(view, "private_metadata"));
		r->req.action = str(view, "callback_id");
		r->req.input = submitted_text(view);
		if (r->req.action == NULL) {
			*why = "a view_submission without its callback_id";
			return BOT_EINVAL;
		}
	} else {
		r->kind = SMSG_IGNORE;
	}
	r->req.is_dm = strncmp(r->channel, "D", 1) == 0;
	return BOT_OK;
}

int smsg_read(json_t *payload, enum smsg_type type, const char *prefix, struct smsg_req *r,
              const char **why)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->req.platform = "slack";
	r->req.user_name = "";
	r->req.channel = r->channel;
	if (type == SMSG_SLASH)
		rc = read_command(payload, prefix != NULL ? prefix : "", r, why);
	else if (type == SMSG_INTERACTIVE)
		rc = read_interactive(payload, r, why);
	else
		rc = (r->kind = SMSG_IGNORE, BOT_OK);
	if (rc != BOT_OK || r->kind == SMSG_IGNORE)
		return rc;
	if (r->req.user_name == NULL)
		r->req.user_name = "";
	if (r->req.team == NULL || r->req.user == NULL || *r->req.team == '\0' ||
	    *r->req.user == '\0') {
		*why = "a payload without its team or user";
		return BOT_EINVAL;
	}
	return BOT_OK;
}

/* ---- mrkdwn ---- */

void smsg_escape(const char *s, size_t n, struct buf *out)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		const char *ent = s[i] == '&'   ? "&amp;"
		                  : s[i] == '<' ? "&lt;"
		                  : s[i] == '>' ? "&gt;"
		                                : NULL;
		if (ent == NULL)
			continue;
		buf_add(out, s + start, i - start);
		buf_adds(out, ent);
		start = i + 1;
	}
	buf_add(out, s + start, n - start);
}

/* A link target Slack may show: http(s) without spaces; | and > would end it early. */
static bool safe_url(const char *s, size_t n)
{
	size_t i;

	if (!(n > 7 && strncmp(s, "http://", 7) == 0) && !(n > 8 && strncmp(s, "https://", 8) == 0))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == '|' || s[i] == '<' || s[i] == '>')
			return false;
	return true;
}

struct mk {
	struct buf *out;
	bool in_link;   /* inside a safe link: its text goes after the '|' */
	bool drop_link; /* inside a refused link: its text is kept, the URL shown after */
	const char *url;
	size_t url_n;
};

static void on_md(void *arg, enum md_event ev, const char *s, size_t n)
{
	struct mk *m = arg;

	switch (ev) {
	case MD_TEXT:
		smsg_escape(s, n, m->out);
		break;
	case MD_CODE:
		buf_adds(m->out, "`");
		smsg_escape(s, n, m->out);
		buf_adds(m->out, "`");
		break;
	case MD_CODE_BLOCK:
		buf_adds(m->out, "```\n");
		smsg_escape(s, n, m->out);
		buf_adds(m->out, "\n```");
		break;
	case MD_BOLD_ON:
	case MD_BOLD_OFF:
		buf_adds(m->out, "*");
		break;
	case MD_ITALIC_ON:
	case MD_ITALIC_OFF:
		buf_adds(m->out, "_");
		break;
	case MD_LINK_ON:
		if (safe_url(s, n)) {
			m->in_link = true;
			buf_adds(m->out, "<");
			buf_add(m->out, s, n);
			buf_adds(m->out, "|");
		} else {
			m->drop_link = true;
		}
		m->url = s;
		m->url_n = n;
		break;
	case MD_LINK_OFF:
		if (m->in_link)
			buf_adds(m->out, ">");
		else if (m->drop_link && n > 0) {
			buf_adds(m->out, " (");
			smsg_escape(s, n, m->out);
			buf_adds(m->out, ")");
		}
		m->in_link = m->drop_link = false;
		break;
	case MD_ITEM:
		buf_adds(m->out, "• ");
		break;
	case MD_BREAK:
		buf_adds(m->out, "\n");
		break;
	case MD_PARA:
		buf_adds(m->out, "\n\n");
		break;
	}
}

void smsg_mrkdwn(const char *md, struct buf *out)
{
	struct mk m;

	memset(&m, 0, sizeof(m));
	m.out = out;
	md_walk(md, on_md, &m);
	while (out->len > 0 && out->data[out->len - 1] == '\n')
		out->data[--out->len] = '\0';
}

/* ---- Block Kit ---- */

/* The longest prefix of s[0..n) of at most max code points, cut at a newline when one is near. */
static size_t chunk_len(const char *s, size_t n, size_t max)
{
	size_t len = 0, chars = 0, nl = 0;

	while (len < n && chars < max) {
		size_t step = 1;
		unsigned char c = (unsigned char)s[len];
		if (c >= 0xf0)
			step = 4;
		else if (c >= 0xe0)
			step = 3;
		else if (c >= 0xc0)
			step = 2;
		if (len + step > n)
			break;
		if (c == '\n')
			nl = len + 1;
		len += step;
		chars++;
	}
	if (len < n && nl > len / 2)
		return nl;
	return len;
}

/* c, or less so that s[0..c) does not end inside an escape ("&am" would show as text). */
static size_t entity_safe(const char *s, size_t c)
{
	size_t i = c;

	while (i > 0 && c - i < 5 && s[i - 1] != ';' && s[i - 1] != '&')
		i--;
	return i > 0 && s[i - 1] == '&' ? i - 1 : c;
}

/* chunk_len() of mrkdwn, never ending inside an escape. */
static size_t mk_len(const char *s, size_t n, size_t max)
{
	size_t c = chunk_len(s, n, max);

	return c < n ? entity_safe(s, c) : c;
}

static json_t *text_obj(const char *type, const char *s, size_t n)
{
	return json_pack("{s:s,s:s%}", "type", type, "text", s, n);
}

/* Plain text cut to max code points (titles, labels, headers). */
static json_t *plain(const char *s, size_t max)
{
	size_t n = chunk_len(s, strlen(s), max);
	json_t *t = text_obj("plain_text", n > 0 ? s : " ", n > 0 ? n : 1);

	json_object_set_new(t, "emoji", json_true());
	return t;
}

static void add_sections(json_t *blocks, const char *mk, size_t n, size_t max_blocks)
{
	while (n > 0 && json_array_size(blocks) < max_blocks) {
		size_t c = mk_len(mk, n, SMSG_SECTION_MAX);
		if (c == 0)
			break;
		json_array_append_new(blocks, json_pack("{s:s,s:o}", "type", "section", "text",
		                                        text_obj("mrkdwn", mk, c)));
		mk += c;
		n -= c;
		while (n > 0 && *mk == '\n') {
			mk++;
			n--;
		}
	}
}

static void add_fields(json_t *blocks, const struct reply *r)
{
	json_t *fields = json_array();
	struct buf b;
	size_t i;

	buf_init(&b, 4 * SMSG_FIELD_MAX);
	for (i = 0; i < r->nfields && i < REPLY_MAX_FIELDS; i++) {
		buf_reset(&b);
		buf_adds(&b, "*");
		smsg_escape(r->fields[i].name, strlen(r->fields[i].name), &b);
		buf_adds(&b, "*\n");
		smsg_mrkdwn(r->fields[i].value, &b);
		json_array_append_new(
		    fields, text_obj("mrkdwn", b.data, mk_len(b.data, b.len, SMSG_FIELD_MAX)));
	}
	buf_cleanup(&b);
	if (json_array_size(fields) > 0)
		json_array_append_new(blocks,
		                      json_pack("{s:s,s:o}", "type", "section", "fields", fields));
	else
		json_decref(fields);
}

static json_t *button(const struct reply_button *b, size_t index)
{
	char id[32];
	json_t *j;

	j = json_pack("{s:s,s:o}", "type", "button", "text", plain(b->label, SMSG_BUTTON_MAX));
	if (b->kind == REPLY_LINK) {
		snprintf(id, sizeof(id), "link:%zu", index);
		json_object_set_new(j, "action_id", json_string(id));
		json_object_set_new(j, "url", json_string(b->id));
	} else {
		json_object_set_new(j, "action_id", json_string(b->id));
		json_object_set_new(j, "value", json_string(b->id));
	}
	if (b->style == REPLY_PRIMARY || b->style == REPLY_SUCCESS)
		json_object_set_new(j, "style", json_string("primary"));
	else if (b->style == REPLY_DANGER)
		json_object_set_new(j, "style", json_string("danger"));
	return j;
}

static void add_buttons(json_t *blocks, const struct reply *r)
{
	int row;
	size_t i;

	for (row = 0; row < REPLY_MAX_ROWS; row++) {
		json_t *els = json_array();
		for (i = 0; i < r->nbuttons; i++) {
			const struct reply_button *b = &r->buttons[i];
			/* action_ids must be unique in a message; a URL Slack would refuse is left
			 * out. */
			if (b->row != row ||
			    (b->kind == REPLY_LINK && !safe_url(b->id, strlen(b->id))))
				continue;
			json_array_append_new(els, button(b, i));
		}
		if (json_array_size(els) > 0 && json_array_size(blocks) < SMSG_BLOCKS_MAX)
			json_array_append_new(
			    blocks, json_pack("{s:s,s:o}", "type", "actions", "elements", els));
		else
			json_decref(els);
	}
}

json_t *smsg_message(const struct reply *r)
{
	json_t *blocks = json_array();
	struct buf mk, fb;
	size_t reserve = 1 + (r->nfields > 0) + (r->footer[0] != '\0') + REPLY_MAX_ROWS;
	json_t *msg;

	buf_init(&mk, 64 * 1024);
	buf_init(&fb, 4 * SMSG_FALLBACK_MAX);
	smsg_mrkdwn(buf_str(&r->text), &mk);
	if (r->title[0] != '\0')
		json_array_append_new(blocks, json_pack("{s:s,s:o}", "type", "header", "text",
		                                        plain(r->title, SMSG_HEADER_MAX)));
	add_sections(blocks, mk.data != NULL ? mk.data : "", mk.len, SMSG_BLOCKS_MAX - reserve);
	add_fields(blocks, r);
	if (r->footer[0] != '\0') {
		buf_reset(&fb);
		smsg_escape(r->footer, strlen(r->footer), &fb);
		json_array_append_new(
		    blocks, json_pack("{s:s,s:[o]}", "type", "context", "elements",
		                      text_obj("mrkdwn", fb.data, mk_len(fb.data, fb.len, 3000))));
	}
	add_buttons(blocks, r);
	/* The fallback shows in notifications: the title, else the body, escaped the same way. */
	buf_reset(&fb);
	if (r->title[0] != '\0') {
		smsg_escape(r->title, strlen(r->title), &fb);
		if (mk.len > 0)
			buf_adds(&fb, ": ");
	}
	buf_add(&fb, mk.data != NULL ? mk.data : "",
	        mk_len(mk.data != NULL ? mk.data : "", mk.len, 300));
	if (fb.len == 0)
		buf_adds(&fb, "drillbot");
	msg = json_pack("{s:s%,s:o}", "text", fb.data, mk_len(fb.data, fb.len, SMSG_FALLBACK_MAX),
	                "blocks", blocks);
	buf_cleanup(&mk);
	buf_cleanup(&fb);
	return msg;
}

json_t *smsg_modal(const char *callback_id, const char *title, const char *prompt_md,
                   const char *channel)
{
	json_t *blocks = json_array();
	json_t *input;
	struct buf mk;

	buf_init(&mk, 64 * 1024);
	smsg_mrkdwn(prompt_md != NULL ? prompt_md : "", &mk);
	add_sections(blocks, mk.data != NULL ? mk.data : "", mk.len, 4);
	buf_cleanup(&mk);
	input = json_pack("{s:s,s:s,s:b,s:i,s:o}", "type", "plain_text_input", "action_id",
	                  SMSG_INPUT_ACTION, "multiline", 1, "max_length", SMSG_INPUT_MAX,
	                  "placeholder", plain(PLACEHOLDER, 150));
	json_array_append_new(blocks, json_pack("{s:s,s:s,s:o,s:o}", "type", "input", "block_id",
	                                        SMSG_INPUT_BLOCK, "label",
	                                        plain("Your answer", 2000), "element", input));
	return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "type", "modal", "callback_id",
	                 callback_id, "private_metadata", channel != NULL ? channel : "", "title",
	                 plain(title != NULL && *title != '\0' ? title : "Answer", SMSG_TITLE_MAX),
	                 "submit", plain("Submit", SMSG_TITLE_MAX), "close",
	                 plain("Cancel", SMSG_TITLE_MAX), "blocks", blocks);
}

/* ---- manifest ---- */

static int has_user_option(const struct cmd_entry *e)
{
	size_t i;

	for (i = 0; i < cmd_noptions(e); i++)
		if (e->options[i].type == CMD_OPT_USER)
			return 1;
	return 0;
}

static json_t *slash_command(const char *prefix, const struct cmd_entry *e)
{
	char name[64], desc[101];
	struct buf usage;
	json_t *j;

	snprintf(name, sizeof(name), "/%s%s", prefix, e->name);
	snprintf(desc, sizeof(desc), "%.*s", (int)reply_cut_len(e->description, 100),
	         e->description);
	/* A user option needs the mention as Slack escapes it, "<@U123|ann>": the user's id. Other
	 * commands get the text as typed (an answer with a link stays as written). */
	j = json_pack("{s:s,s:s,s:b}", "command", name, "description", desc, "should_escape",
	              has_user_option(e));
	buf_init(&usage, 1024);
	cmd_usage(e, &usage);
	/* The hint is what follows the command name: "/question [topic]" → "[topic]". */
	if (strchr(buf_str(&usage), ' ') != NULL)
		json_object_set_new(
		    j, "usage_hint",
		    json_stringn(strchr(buf_str(&usage), ' ') + 1,
		                 reply_cut_len(strchr(buf_str(&usage), ' ') + 1, 1000)));
	buf_cleanup(&usage);
	return j;
}

json_t *smsg_manifest(const char *prefix, const char *app_name)
{
	size_t n, i;
	const struct cmd_entry *t = cmd_table(&n);
	json_t *cmds = json_array();

	for (i = 0; i < n; i++)
		if (t[i].kind == CMD_COMMAND)
			json_array_append_new(cmds,
			                      slash_command(prefix != NULL ? prefix : "", &t[i]));
	return json_pack(
	    "{s:{s:s,s:s,s:s},s:{s:{s:s,s:b},s:o},s:{s:{s:[s,s,s]}},s:{s:{s:b},s:b,s:b,s:b}}",
	    "display_information", "name", app_name, "description",
	    "Backend interview drills: questions, graded answers, streaks and leaderboards",
	    "background_color", "#2c2d30", "features", "bot_user", "display_name", app_name,
	    "always_online", 1, "slash_commands", cmds, "oauth_config", "scopes", "bot", "commands",
	    "chat:write", "users:read", "settings", "interactivity", "is_enabled", 1,
	    "org_deploy_enabled", 0, "socket_mode_enabled", 1, "token_rotation_enabled", 0);
}

/* ---- connection policy ---- */

uint64_t smsg_backoff_ms(unsigned failures, uint64_t rnd)
{
	uint64_t base;

	if (failures == 0)
		return 250 + rnd % 750; /* soon, but not every client at the same instant */
	base = 1000u << (failures > 5 ? 5 : failures - 1);
	if (base > SMSG_BACKOFF_MAX_MS)
		base = SMSG_BACKOFF_MAX_MS;
	return base / 2 + rnd % (base / 2 + 1);
}

bool smsg_auth_error(const char *error)
{
	static const char *const fatal[] = {"invalid_auth",     "not_authed",
	                                    "account_inactive", "token_revoked",
	                                    "token_expired",    "not_allowed_token_type"};
	size_t i;

	for (i = 0; error != NULL && i < UTIL_ARRAY_LEN(fatal); i++)
		if (strcmp(error, fatal[i]) == 0)
			return true;
	return false;
}
