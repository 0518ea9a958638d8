/*
 * cmd.c - the command and action table, and the one parser that turns a
 * command's text or an action id into checked values. Order in the table
 * is the order of /help.
 */
#include "engine/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "base/tz.h"

#define DIFFICULTY_WORDS                                                                           \
	{                                                                                          \
		{"easy", 1}, {"warm-up", 1}, {"junior", 1}, {"medium", 2}, {"standard", 2},        \
		    {"mid", 2}, {"hard", 3}, {"senior", 3},                                        \
	}

static const struct cmd_entry table[] =
    {
        {
            .name = "question",
            .abbrev = "q",
            .description = "Get a question: on a topic (name, alias or prefix), or what you most "
                           "need to practise",
            .example = "/question caching 2",
            .options =
                {
                    {.name = "topic",
                     .description = "Topic slug, alias or prefix, e.g. caching",
                     .type = CMD_OPT_TOPIC},
                    {.name = "difficulty",
                     .description = "1 (warm-up) to 3 (senior)",
                     .type = CMD_OPT_INTEGER,
                     .min = 1,
                     .max = 3,
                     .words = DIFFICULTY_WORDS},
                },
            .exec = cmd_question,
        },
        {
            .name = "answer",
            .description = "Answer your open question in free text; you get the key points you "
                           "covered and missed",
            .example = "/answer The app reads the cache first and loads the database on a miss",
            .options =
                {
                    {.name = "id",
                     .description = "The question's id (default: your open question)",
                     .type = CMD_OPT_QUESTION,
                     .named_only = true},
                    {.name = "text",
                     .description = "Your answer (up to 4000 characters)",
                     .type = CMD_OPT_TEXT,
                     .required = true},
                },
            .exec = cmd_answer,
        },
        {
            .name = "stats",
            .description = "Your streak, freezes, answers this week and mastery per topic",
            .example = "/stats",
            .exec = cmd_stats,
        },
        {
            .name = "weak",
            .description = "Your topics, weakest first",
            .example = "/weak",
            .exec = cmd_weak,
        },
        {
            .name = "leaderboard",
            .abbrev = "lb",
            .description = "The team's top 10, your rank and the team's coverage; admins turn it "
                           "off or on, or reset it",
            .example = "/leaderboard month",
            .options =
                {
                    {.name = "period",
                     .description = "Which period",
                     .type = CMD_OPT_STRING,
                     .choices = {"week", "month", "all", NULL}},
                    {.name = "action",
                     .description = "Admins: off or on for the team; reset starts a new season "
                                    "(asks first)",
                     .type = CMD_OPT_STRING,
                     .choices = {"off", "on", "reset", NULL}},
                },
            .exec = cmd_leaderboard,
        },
        {
            .name = "topics",
            .description = "The topics and how many questions each has",
            .example = "/topics",
            .exec = cmd_topics,
        },
        {
            .name = "tips",
            .description = "How to prepare for a backend interview",
            .example = "/tips",
            .exec = cmd_tips,
        },
        {
            .name = "settings",
            .description = "Your time zone (streak days follow it), reveal quotes, your place on "
                           "the board, new private links",
            .example = "/settings timezone Europe/Berlin",
            .options =
                {
                    {.name = "timezone",
                     .description = "An IANA zone, e.g. Europe/Berlin",
                     .type = CMD_OPT_ZONE},
                    {.name = "links",
                     .description = "reset: new links to your progress page (team: the team's, "
                                    "admins)",
                     .type = CMD_OPT_STRING,
                     .choices = {"reset", "reset-team", NULL}},
                    {.name = "quote",
                     .description = "on: the daily reveal may quote your answer with your name",
                     .type = CMD_OPT_STRING,
                     .named_only = true, /* a bare "on" must not opt anyone in */
                     .choices = {"on", "off", NULL}},
                    {.name = "leaderboard",
                     .description = "hide: keep your place off every board and recap; show: "
                                    "back on",
                     .type = CMD_OPT_STRING,
                     .choices = {"hide", "show", NULL}},
                },
            .exec = cmd_settings,
        },
        {
            .name = "daily",
            .description = "The channel's daily question: on, off, status, skip, now, pause, "
                           "holidays (admins change it)",
            .example = "/daily on time:09:00 timezone:Europe/Berlin days:mon-fri",
            .options =
                {
                    {.name = "action",
                     .description = "What to do; status when left out",
                     .type = CMD_OPT_STRING,
                     .choices = {"on", "off", "status", "skip", "now", "pause", "holidays", NULL}},
                    {.name = "value",
                     .description = "pause: days (0 ends it); holidays: YYYY-MM-DD,... or none",
                     .type = CMD_OPT_STRING},
                    {.name = "time",
                     .description = "on: HH:MM, 24-hour, in the channel's zone",
                     .type = CMD_OPT_STRING,
                     .named_only = true},
                    {.name = "timezone",
                     .description = "on: an IANA zone, e.g. Europe/Berlin",
                     .type = CMD_OPT_ZONE,
                     .named_only = true},
                    {.name = "days",
                     .description = "on: weekdays, e.g. mon-fri or mon,wed,fri",
                     .type = CMD_OPT_STRING,
                     .named_only = true},
                    {.name = "topics",
                     .description = "on: comma-separated topics, e.g. caching,security",
                     .type = CMD_OPT_STRING,
                     .named_only = true},
                    {.name = "difficulty",
                     .description = "on: 1 (warm-up) to 3 (senior)",
                     .type = CMD_OPT_INTEGER,
                     .named_only = true,
                     .min = 1,
                     .max = 3,
                     .words = DIFFICULTY_WORDS},
                    {.name = "reveal",
                     .description = "on: HH:MM when answers are shown (none: with the next "
                                    "question)",
                     .type = CMD_OPT_STRING,
                     .named_only = true},
                },
            .exec = cmd_daily,
        },
        {
            .name = "review",
            .description = "Reviewers: the team's open challenges of a grade, to accept or "
                           "reject",
            .example = "/review",
            .exec = cmd_review,
        },
        {
            .name = "reviewers",
            .description = "Who rules on challenged grades besides the admins: add, remove, "
                           "list (admins)",
            .example = "/reviewers add @alice",
            .admin = true,
            .options =
                {
                    {.name = "action",
                     .description = "What to do; list when left out",
                     .type = CMD_OPT_STRING,
                     .choices = {"add", "remove", "list", NULL}},
                    {.name = "user",
                     .description = "add, remove: the member, e.g. @alice",
                     .type = CMD_OPT_USER},
                },
            .exec = cmd_reviewers,
        },
        {
            .name = "export-me",
            .description = "Your data as JSON (answers, grades, reviews, streak), privately",
            .example = "/export-me",
            .exec = cmd_export_me,
        },
        {
            .name = "forget-me",
            .description = "Delete everything drillbot stores about you (asks first)",
            .example = "/forget-me",
            .exec = cmd_forget_me,
        },
        {
            .name = "help",
            .description = "List the commands; `/help scoring` explains points",
            .example = "/help scoring",
            .options =
                {
                    {.name = "subject",
                     .description = "What to explain",
                     .type = CMD_OPT_STRING,
                     .choices = {"scoring", NULL}},
                },
            .exec = cmd_help,
        },
        /* Actions: buttons and modal submits. */
        {
            .kind = CMD_ACTION,
            .name = "answer",
            .description = "The Answer button and the text box it opens",
            .example = "/question",
            .options =
                {
                    {.name = "id", .type = CMD_OPT_QUESTION, .required = true},
                    {.name = "text", .type = CMD_OPT_TEXT},
                },
            .exec = cmd_action_answer,
        },
        {
            .kind = CMD_ACTION,
            .name = "reveal",
            .description = "The Reveal button: the model answer and the self-grade buttons",
            .example = "/question",
            .options = {{.name = "id", .type = CMD_OPT_QUESTION, .required = true}},
            .exec = cmd_action_reveal,
        },
        {
            .kind = CMD_ACTION,
            .name = "grade",
            .description = "A self-grade button after Reveal",
            .example = "/question",
            .options =
                {
                    {.name = "id", .type = CMD_OPT_QUESTION, .required = true},
                    {.name = "grade",
                     .type = CMD_OPT_STRING,
                     .required = true,
                     .choices = {"again", "hard", "good", "easy", NULL}},
                },
            .exec = cmd_action_grade,
        },
        {
            .kind = CMD_ACTION,
            .name = "followup",
            .description = "The button to answer a follow-up, and its text box",
            .example = "/question",
            .options =
                {
                    {.name = "id", .type = CMD_OPT_QUESTION, .required = true},
                    {.name = "n", .type = CMD_OPT_INTEGER, .required = true, .min = 1, .max = 9},
                    {.name = "text", .type = CMD_OPT_TEXT},
                },
            .exec = cmd_action_followup,
        },
        {
            .kind = CMD_ACTION,
            .name = "challenge",
            .description = "The Challenge button of a graded answer, and its one button per "
                           "missed key point",
            .example = "/question",
            .options =
                {
                    {.name = "answer",
                     .type = CMD_OPT_INTEGER,
                     .required = true,
                     .min = 1,
                     .max = INT_MAX},
                    {.name = "point", .type = CMD_OPT_INTEGER, .min = 1, .max = CONTENT_MAX_POINTS},
                },
            .exec = cmd_action_challenge,
        },
        {
            .kind = CMD_ACTION,
            .name = "rule",
            .description = "A reviewer's Accept and Reject buttons",
            .example = "/review",
            .options =
                {
                    {.name = "id",
                     .type = CMD_OPT_INTEGER,
                     .required = true,
                     .min = 1,
                     .max = INT_MAX},
                    {.name = "decision",
                     .type = CMD_OPT_STRING,
                     .required = true,
                     .choices = {"accept", "reject", NULL}},
                },
            .exec = cmd_action_rule,
        },
        {
            .kind = CMD_ACTION,
            .name = "review",
            .description = "The button to the next open challenges",
            .example = "/review",
            .exec = cmd_review,
        },
        {
            .kind = CMD_ACTION,
            .name = "forget",
            .description = "The confirm and cancel buttons of /forget-me",
            .example = "/forget-me",
            .options =
                {
                    {.name = "choice",
                     .type = CMD_OPT_STRING,
                     .required = true,
                     .choices = {"confirm", "cancel", NULL}},
                },
            .exec = cmd_action_forget,
        },
        {
            .kind = CMD_ACTION,
            .name = "season",
            .description = "The confirm and cancel buttons of /leaderboard reset",
            .example = "/leaderboard reset",
            .options =
                {
                    {.name = "choice",
                     .type = CMD_OPT_STRING,
                     .required = true,
                     .choices = {"confirm", "cancel", NULL}},
                    /* The season the admin was asked to end: a second press ends no other. */
                    {.name = "season",
                     .type = CMD_OPT_INTEGER,
                     .required = true,
                     .min = 0,
                     .max = 1000000000},
                },
            .exec = cmd_action_season,
        },
};

/* "1:" + the longest action name + ":" + an id + ":" + the longest other argument. */
_Static_assert(sizeof(CMD_ACTION_VERSION) + sizeof("forget") + CONTENT_ID_MAX +
                       sizeof(":confirm") <=
                   CMD_ACTION_ID_MAX,
               "every action id must fit Discord's custom_id");
_Static_assert(sizeof(CMD_ACTION_VERSION) + sizeof("followup") + CONTENT_ID_MAX + sizeof(":9") <=
                   CMD_ACTION_ID_MAX,
               "every action id must fit Discord's custom_id");
/* "1:challenge:<answer id>:<point>", "1:rule:<challenge id>:reject": ids are ints. */
_Static_assert(sizeof(CMD_ACTION_VERSION) + sizeof("challenge") + sizeof("2147483647") +
                       sizeof(":16") <=
                   CMD_ACTION_ID_MAX,
               "every action id must fit Discord's custom_id");

const struct cmd_entry *cmd_table(size_t *n)
{
	*n = UTIL_ARRAY_LEN(table);
	return table;
}

static const struct cmd_entry *find_kind(enum cmd_kind kind, const char *name)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(table); i++) {
		if (table[i].kind == kind && strcasecmp(table[i].name, name) == 0)
			return &table[i];
	}
	return NULL;
}

const struct cmd_entry *cmd_find(const char *name)
{
	return find_kind(CMD_COMMAND, name);
}

const struct cmd_entry *cmd_closest(const char *name)
{
	const struct cmd_entry *best = NULL;
	size_t best_d = 3, i;

	for (i = 0; i < UTIL_ARRAY_LEN(table); i++) {
		size_t d;
		if (table[i].kind != CMD_COMMAND)
			continue;
		/* A prefix ("/stat", "/lead") or the abbreviation is as close as it gets. */
		if (*name != '\0' &&
		    (util_has_prefix_ci(table[i].name, name) ||
		     (table[i].abbrev != NULL && strcasecmp(table[i].abbrev, name) == 0)))
			d = 0;
		else
			d = util_edit_distance(name, table[i].name);
		if (d < best_d) {
			best_d = d;
			best = &table[i];
		}
	}
	return best;
}

size_t cmd_noptions(const struct cmd_entry *e)
{
	size_t n = 0;

	while (n < CMD_MAX_OPTS && e->options[n].name != NULL)
		n++;
	return n;
}

void cmd_usage(const struct cmd_entry *e, struct buf *out)
{
	size_t i, n = cmd_noptions(e);

	buf_reset(out);
	buf_addf(out, "/%s", e->name);
	for (i = 0; i < n; i++) {
		const struct cmd_option *o = &e->options[i];
		const char *open = o->required ? "<" : "[", *close = o->required ? ">" : "]";
		if (o->named_only) {
			buf_addf(out, " [%s:<%s>]", o->name, o->name);
		} else if (o->choices[0] != NULL) {
			buf_addf(out, " %s", open);
			for (size_t c = 0; o->choices[c] != NULL; c++)
				buf_addf(out, "%s%s", c > 0 ? "|" : "", o->choices[c]);
			buf_adds(out, close);
		} else {
			buf_addf(out, " %s%s%s", open, o->name, close);
		}
	}
}

/* ---- values ---- */

void cmd_values_init(struct cmd_values *v, const struct cmd_entry *e)
{
	memset(v, 0, sizeof(*v));
	v->entry = e;
}

void cmd_values_cleanup(struct cmd_values *v)
{
	size_t i;

	for (i = 0; i < CMD_MAX_OPTS; i++)
		free(v->owned[i]);
	memset(v, 0, sizeof(*v));
}

static int option_index(const struct cmd_entry *e, const char *name, size_t len)
{
	size_t i, n = cmd_noptions(e);

	for (i = 0; i < n; i++) {
		if (strlen(e->options[i].name) == len &&
		    strncasecmp(e->options[i].name, name, len) == 0)
			return (int)i;
	}
	return -1;
}

static void set_at(struct cmd_values *v, size_t i, const char *value, size_t len)
{
	free(v->owned[i]);
	v->owned[i] = xstrndup(value, len);
	v->v[i].set = true;
	v->v[i].str = v->owned[i];
}

int cmd_values_set(struct cmd_values *v, const char *name, const char *value)
{
	int i = option_index(v->entry, name, strlen(name));

	if (i < 0)
		return BOT_ENOENT;
	set_at(v, (size_t)i, value, strlen(value));
	return BOT_OK;
}

const struct cmd_value *cmd_get(const struct cmd_values *v, const char *name)
{
	static const struct cmd_value unset;
	int i = option_index(v->entry, name, strlen(name));

	return i < 0 ? &unset : &v->v[i];
}

/* ---- checking ---- */

/* Ends every error with a correct use, so the fix is one copy away. */
static int fail(const struct cmd_entry *e, struct buf *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(const struct cmd_entry *e, struct buf *err, const char *fmt, ...)
{
	va_list ap;

	buf_reset(err);
	va_start(ap, fmt);
	buf_vaddf(err, fmt, ap);
	va_end(ap);
	buf_addf(err, ": `%s`", e->example);
	return BOT_EINVAL;
}

static bool word_value(const struct cmd_option *o, const char *s, long *out)
{
	size_t i;

	for (i = 0; i < CMD_MAX_WORDS && o->words[i].word != NULL; i++) {
		if (strcasecmp(o->words[i].word, s) == 0) {
			*out = o->words[i].value;
			return true;
		}
	}
	return false;
}

/* "1, 2 or 3" for a short range, "from 1 to 10" for a long one. */
static void range_text(const struct cmd_option *o, char *out, size_t size)
{
	size_t len = 0;
	int i;

	if (o->max - o->min > 4) {
		snprintf(out, size, "from %d to %d", o->min, o->max);
		return;
	}
	out[0] = '\0';
	for (i = o->min; i <= o->max && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%d",
		                        i == o->min   ? ""
		                        : i == o->max ? " or "
		                                      : ", ",
		                        i);
}

static int check_integer(const struct cmd_entry *e, const struct cmd_option *o,
                         struct cmd_value *val, struct buf *err)
{
	char range[64];

	range_text(o, range, sizeof(range));
	if (word_value(o, val->str, &val->num) ||
	    util_parse_long(val->str, o->min, o->max, &val->num) == BOT_OK)
		return BOT_OK;
	if (util_parse_long(val->str, -1000000, 1000000, &val->num) == BOT_OK)
		return fail(e, err, "%s must be %s, not %s", o->name, range, val->str);
	return fail(e, err, "%s must be %s (or a word such as %s), not `%s`", o->name, range,
	            o->words[0].word != NULL ? o->words[0].word : "none", val->str);
}

static int check_choice(const struct cmd_entry *e, const struct cmd_option *o,
                        struct cmd_value *val, struct buf *err)
{
	char list[128];
	size_t len = 0, c, n = 0;

	for (c = 0; o->choices[c] != NULL; c++) {
		if (strcasecmp(o->choices[c], val->str) == 0) {
			val->str = o->choices[c];
			return BOT_OK;
		}
	}
	while (o->choices[n] != NULL)
		n++;
	list[0] = '\0';
	for (c = 0; c < n && len < sizeof(list); c++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
		                        c == 0       ? ""
		                        : c + 1 == n ? " or "
		                                     : ", ",
		                        o->choices[c]);
	return fail(e, err, "%s must be %s, not `%s`", o->name, list, val->str);
}

static int check_topic(const struct cmd_entry *e, const struct content *c, struct cmd_value *val,
                       struct buf *err)
{
	size_t closest = 0, m[16], n, i;
	int rc = content_topic_lookup(c, val->str, &val->index, &closest);

	if (rc == BOT_OK) {
		val->str = c->topics[val->index].slug;
		return BOT_OK;
	}
	buf_reset(err);
	if (rc == BOT_EAMBIG) {
		n = content_topic_matches(c, val->str, m, UTIL_ARRAY_LEN(m));
		buf_addf(err, "`%s` matches more than one topic:", val->str);
		for (i = 0; i < n && i < UTIL_ARRAY_LEN(m); i++)
			buf_addf(err, "%s `%s`", i > 0 ? "," : "", c->topics[m[i]].slug);
		buf_addf(err, ". Say which: `/%s %s`", e->name, c->topics[m[0]].slug);
		return BOT_EINVAL;
	}
	if (c->ntopics == 0) {
		buf_addf(err, "The question bank has no topics; add them under content/.");
		return BOT_EINVAL;
	}
	buf_addf(err, "I don't know the topic `%s`. Did you mean `%s`?\nTopics:", val->str,
	         c->topics[closest].slug);
	for (i = 0; i < c->ntopics; i++)
		buf_addf(err, " `%s`", c->topics[i].slug);
	buf_addf(err, "\nTry `/%s %s`; difficulty is 1, 2 or 3.", e->name, c->topics[closest].slug);
	return BOT_EINVAL;
}

static int check_value(const struct cmd_entry *e, const struct cmd_option *o,
                       const struct content *c, struct cmd_value *val, struct buf *err)
{
	const struct content_question *q;

	switch (o->type) {
	case CMD_OPT_INTEGER:
		return check_integer(e, o, val, err);
	case CMD_OPT_STRING:
		return o->choices[0] != NULL ? check_choice(e, o, val, err) : BOT_OK;
	case CMD_OPT_TOPIC:
		return check_topic(e, c, val, err);
	case CMD_OPT_QUESTION:
		q = content_find(c, val->str);
		if (q == NULL) {
			buf_reset(err);
			buf_addf(err, "There is no question `%s`. Run `/question` to get one.",
			         val->str);
			return BOT_EINVAL;
		}
		val->index = content_index(c, q);
		return BOT_OK;
	case CMD_OPT_ZONE: {
		char hint[256];
		if (tz_valid(val->str))
			return BOT_OK;
		tz_hint(val->str, hint, sizeof(hint));
		if (hint[0] != '\0')
			return fail(e, err, "`%s` is not an IANA time zone (%s); an example",
			            val->str, hint);
		return fail(e, err,
		            "`%s` is not an IANA time zone I know; use a name like "
		            "`Europe/Berlin`, `America/New_York` or `UTC`",
		            val->str);
	}
	case CMD_OPT_TEXT:
	case CMD_OPT_USER: /* check_user() */
		return BOT_OK;
	}
	return BOT_OK;
}

/*
 * A mention as each platform writes one, reduced to the user's id in
 * place: Slack's "<@U123>" and "<@U123|name>", Discord's "<@123>" and
 * "<@!123>", the console's "@name", or a bare id. Channels ("<#C1>"),
 * roles ("<@&1>") and "<!here>" are not users.
 */
static int check_user(const struct cmd_entry *e, char *s, struct cmd_value *val, struct buf *err)
{
	char *p = s, *end;
	size_t n;

	if (p[0] == '<' && p[1] == '@') {
		p += 2;
		if (*p == '!')
			p++;
		end = p + strcspn(p, "|>");
		if (*end == '\0' || *p == '&')
			end = p; /* unclosed, or a role */
	} else {
		if (*p == '@')
			p++;
		end = p + strlen(p);
	}
	n = (size_t)(end - p);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && strchr("._-", p[i]) == NULL)
			n = 0;
	if (n == 0 || n >= 64)
		return fail(e, err,
		            "`%s` is not a user. Mention one (type @ and pick the name), as "
		            "in",
		            s);
	memmove(s, p, n);
	s[n] = '\0';
	val->str = s;
	return BOT_OK;
}

/* Checks every value; *bad is the option that failed. */
static int check_all(struct cmd_values *v, const struct content *c, struct buf *err, size_t *bad)
{
	const struct cmd_entry *e = v->entry;
	size_t i, n = cmd_noptions(e);
	int rc;

	for (i = 0; i < n; i++) {
		const struct cmd_option *o = &e->options[i];
		*bad = i;
		if (!v->v[i].set) {
			if (o->required && o->type != CMD_OPT_TEXT)
				return fail(e, err, "`/%s` needs a %s", e->name, o->name);
			continue;
		}
		if (o->type == CMD_OPT_USER && v->owned[i] != NULL)
			rc = check_user(e, v->owned[i], &v->v[i], err);
		else
			rc = check_value(e, o, c, &v->v[i], err);
		if (rc != BOT_OK)
			return rc;
	}
	return BOT_OK;
}

int cmd_values_check(struct cmd_values *v, const struct content *c, struct buf *err)
{
	size_t bad;

	return check_all(v, c, err, &bad);
}

/* ---- text ---- */

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Whether a bare word fits option o by its kind (numbers to integers, choices to theirs). */
static bool fits_by_kind(const struct cmd_option *o, const char *w)
{
	long n;
	size_t c;

	if (o->type == CMD_OPT_INTEGER)
		return word_value(o, w, &n) || util_parse_long(w, -1000000, 1000000, &n) == BOT_OK;
	for (c = 0; o->choices[c] != NULL; c++) {
		if (strcasecmp(o->choices[c], w) == 0)
			return true;
	}
	return false;
}

/* The option a bare word goes to: one it fits by kind, else the next free word option. */
static int positional(const struct cmd_values *v, const char *w)
{
	const struct cmd_entry *e = v->entry;
	size_t i, n = cmd_noptions(e);

	for (i = 0; i < n; i++) {
		const struct cmd_option *o = &e->options[i];
		if (!v->v[i].set && !o->named_only && fits_by_kind(o, w))
			return (int)i;
	}
	for (i = 0; i < n; i++) {
		const struct cmd_option *o = &e->options[i];
		if (!v->v[i].set && !o->named_only && o->type != CMD_OPT_TEXT &&
		    o->type != CMD_OPT_INTEGER)
			return (int)i;
	}
	return -1;
}

static int text_option(const struct cmd_entry *e)
{
	size_t i, n = cmd_noptions(e);

	for (i = 0; i < n; i++) {
		if (e->options[i].type == CMD_OPT_TEXT)
			return (int)i;
	}
	return -1;
}

/*
 * One word at *p: "name:value", "name value" or a bare word. Returns
 * false when the rest of the line belongs to the TEXT option.
 */
static bool take_word(struct cmd_values *v, const char **p, struct buf *err, int *rc)
{
	const struct cmd_entry *e = v->entry;
	const char *w = *p, *end = w + strcspn(w, " \t\r\n");
	const char *colon = memchr(w, ':', (size_t)(end - w));
	const char *close = w[0] == '<' ? strchr(w, '>') : NULL;

	/* A Slack mention keeps the spaces of its name: "<@U123|Ann Lee>" is one word. */
	if (close != NULL && close >= end && memchr(w, '\n', (size_t)(close - w)) == NULL)
		end = close + 1;
	char word[256];
	int i = colon != NULL ? option_index(e, w, (size_t)(colon - w)) : -1;

	if (i >= 0 && e->options[i].type != CMD_OPT_TEXT) {
		set_at(v, (size_t)i, colon + 1, (size_t)(end - colon - 1));
		*p = end;
		return true;
	}
	i = option_index(e, w, (size_t)(end - w));
	if (i >= 0 && e->options[i].type != CMD_OPT_TEXT && !v->v[i].set) {
		const char *val = end + strspn(end, " \t\r\n");
		const char *vend = val + strcspn(val, " \t\r\n");
		if (vend > val) {
			set_at(v, (size_t)i, val, (size_t)(vend - val));
			*p = vend;
			return true;
		}
	}
	snprintf(word, sizeof(word), "%.*s", (int)(end - w), w);
	i = positional(v, word);
	if (i >= 0) {
		set_at(v, (size_t)i, w, (size_t)(end - w));
		*p = end;
		return true;
	}
	if (text_option(e) >= 0)
		return false;
	*rc = fail(e, err, "I did not understand `%s` after `/%s`", word, e->name);
	return false;
}

int cmd_parse_text(struct cmd_values *v, const struct content *c, const char *text, struct buf *err)
{
	const struct cmd_entry *e = v->entry;
	int ti = text_option(e);
	const char *p = text != NULL ? text : "";
	int rc = BOT_OK;

	/* With a TEXT option only named options come before the text. */
	while (*p != '\0' && rc == BOT_OK) {
		while (is_space(*p))
			p++;
		if (*p == '\0')
			break;
		if (ti >= 0 && !strchr(p, ':'))
			break;
		if (ti >= 0) {
			const char *end = p + strcspn(p, " \t\r\n");
			const char *colon = memchr(p, ':', (size_t)(end - p));
			if (colon == NULL || option_index(e, p, (size_t)(colon - p)) < 0)
				break;
		}
		if (!take_word(v, &p, err, &rc))
			break;
	}
	if (rc != BOT_OK)
		return rc;
	if (ti >= 0 && *p != '\0')
		set_at(v, (size_t)ti, p, strlen(p));
	return cmd_values_check(v, c, err);
}

/* ---- action ids ---- */

int cmd_action_id(char *out, size_t size, const char *name, ...)
{
	struct buf b;
	va_list ap;
	const char *arg;
	int rc = BOT_OK;

	buf_init(&b, size < CMD_ACTION_ID_MAX + 1 ? size : CMD_ACTION_ID_MAX + 1);
	buf_addf(&b, "%s:%s", CMD_ACTION_VERSION, name);
	va_start(ap, name);
	while (rc == BOT_OK && (arg = va_arg(ap, const char *)) != NULL)
		rc = buf_addf(&b, ":%s", arg);
	va_end(ap);
	if (rc == BOT_OK && b.len > 0)
		snprintf(out, size, "%s", buf_str(&b));
	else
		rc = BOT_ETOOBIG;
	buf_cleanup(&b);
	return rc;
}

/* Splits "arg:arg" onto the action's options in order; the TEXT option comes from input. */
static int assign_action_args(struct cmd_values *v, const char *args, const char *input)
{
	const struct cmd_entry *e = v->entry;
	size_t i, n = cmd_noptions(e);
	const char *p = args;

	for (i = 0; i < n; i++) {
		const struct cmd_option *o = &e->options[i];
		size_t len;
		if (o->type == CMD_OPT_TEXT) {
			if (input != NULL)
				set_at(v, i, input, strlen(input));
			continue;
		}
		if (p == NULL)
			break;
		len = strcspn(p, ":");
		set_at(v, i, p, len);
		p = p[len] == ':' ? p + len + 1 : NULL;
	}
	return p == NULL ? BOT_OK : BOT_EINVAL;
}

int cmd_parse_action(const char *id, const char *input, const struct content *c,
                     struct cmd_values *v, struct buf *err)
{
	char name[32];
	const char *rest = id;
	size_t len, bad = CMD_MAX_OPTS;
	const struct cmd_entry *e;

	/* "1:name:..." now; "name:..." from before ids had a version. */
	if (strncmp(id, CMD_ACTION_VERSION ":", sizeof(CMD_ACTION_VERSION)) == 0)
		rest = id + sizeof(CMD_ACTION_VERSION);
	else if (id[0] >= '0' && id[0] <= '9')
		return BOT_ENOENT;
	len = strcspn(rest, ":");
	if (len >= sizeof(name))
		return BOT_ENOENT;
	memcpy(name, rest, len);
	name[len] = '\0';
	e = find_kind(CMD_ACTION, name);
	if (e == NULL)
		return BOT_ENOENT;
	cmd_values_init(v, e);
	if (assign_action_args(v, rest[len] == ':' ? rest + len + 1 : NULL, input) == BOT_OK &&
	    check_all(v, c, err, &bad) == BOT_OK)
		return BOT_OK;
	/* A question since removed from the bank is worth naming; other values came
	 * from a button the bot made, so a bad one is a stale or forged button. */
	if (bad < CMD_MAX_OPTS && e->options[bad].type == CMD_OPT_QUESTION && v->v[bad].set)
		return BOT_EINVAL;
	buf_reset(err);
	buf_addf(err,
	         "That button is not one I know; it may be from an older version of "
	         "drillbot. Run `%s` for a fresh one.",
	         e->example);
	return BOT_EINVAL;
}
