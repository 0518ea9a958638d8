/*
 * engine.c - request dispatch: resolves the user, finds the command or
 * action, and hands over to its handler in cmd_*.c.
 */
#include "engine/engine.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "base/log.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"
#include "engine/md.h"
#include "engine/rules.h"
#include "base/tz.h"

#define MOD           "engine"
#define MASTERY_ALPHA 0.3 /* weight of the newest score; old ones fade */

struct engine *engine_new(const struct content *c, struct store *s, const struct engine_opts *o)
{
	struct engine *e = xcalloc(1, sizeof(*e));
	size_t n;

	e->grader = grade_new();
	if (e->grader == NULL) {
		free(e);
		return NULL;
	}
	e->content = c;
	e->store = s;
	e->metrics = o->metrics;
	if (!o->prepare_later)
		grade_prepare(e->grader, c);
	e->seen = xcalloc(ENGINE_TOPIC_MAX, sizeof(*e->seen));
	e->base_url = xstrdup(o->public_base_url != NULL ? o->public_base_url : "");
	n = strlen(e->base_url);
	while (n > 0 && e->base_url[n - 1] == '/')
		e->base_url[--n] = '\0';
	e->default_tz =
	    xstrdup(o->default_tz != NULL && tz_valid(o->default_tz) ? o->default_tz : "UTC");
	srs_params_default(&e->srs, o->srs_retention > 0 ? o->srs_retention : SRS_RETENTION);
	e->rng = o->rng_seed;
	e->seeded = o->rng_seed != 0;
	return e;
}

void engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	grade_free(e->grader);
	free(e->seen);
	free(e->base_url);
	free(e->default_tz);
	free(e);
}

const char *engine_channel_tz(const struct engine *e, const struct store_channel *ch)
{
	if (ch->daily.tz[0] != '\0')
		return ch->daily.tz;
	return ch->team_tz[0] != '\0' ? ch->team_tz : e->default_tz;
}

bool engine_refuse_too_long(const struct eng_ctx *ctx, const char *text, struct reply *r)
{
	size_t n = grade_length(text);

	if (ctx->req->text_chars > n)
		n = ctx->req->text_chars;
	if (n <= GRADE_ANSWER_MAX)
		return false;
	r->ephemeral = true;
	reply_addf(r,
	           "Your answer is %zu characters; the limit is %d. Trim it to the key ideas "
	           "and send it again (nothing was saved).",
	           n, GRADE_ANSWER_MAX);
	return true;
}

const char *engine_user_tz(const struct eng_ctx *ctx)
{
	if (ctx->user.tz[0] != '\0')
		return ctx->user.tz;
	/* Slack tells each user's zone: better than the team's when they set none. */
	if (ctx->req->tz != NULL && tz_valid(ctx->req->tz))
		return ctx->req->tz;
	if (ctx->user.team_tz[0] != '\0')
		return ctx->user.team_tz;
	return ctx->e->default_tz;
}

/* splitmix64: small, fast and good enough to pick questions. */
size_t engine_random(struct engine *e, size_t n)
{
	uint64_t z;

	if (n == 0)
		return 0;
	z = (e->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (size_t)(z % n);
}

void engine_question_url(const struct engine *e, const char *qid, char *out, size_t size)
{
	snprintf(out, size, "%s/q/%s", e->base_url, qid);
}

void engine_on_daily(struct engine *e, void (*fn)(void *arg, int64_t channel_id), void *arg)
{
	e->on_daily = fn;
	e->on_daily_arg = arg;
}

void engine_daily_changed(struct engine *e, int64_t channel_id)
{
	if (e->on_daily != NULL)
		e->on_daily(e->on_daily_arg, channel_id);
}

void engine_set_base_url(struct engine *e, const char *url)
{
	size_t n;

	free(e->base_url);
	e->base_url = xstrdup(url);
	n = strlen(e->base_url);
	while (n > 0 && e->base_url[n - 1] == '/')
		e->base_url[--n] = '\0';
}

int engine_page_url(struct eng_ctx *ctx, enum link_kind kind, char *out, size_t size)
{
	char token[LINK_TOKEN_MAX];
	int64_t id = kind == LINK_TEAM ? ctx->user.team_id : ctx->user.id;
	int rc = link_make(ctx->e->store, kind, id, token);

	if (rc == BOT_OK)
		snprintf(out, size, "%s/%s/%s", ctx->e->base_url, link_kind_name(kind), token);
	return rc;
}

/*
 * Says why nothing was saved, in words that fit the cause: "try again"
 * only when trying again can help (a busy or locked database). Admins get
 * the fix; everyone else hears that the admin has it in the log.
 */
void engine_store_error(struct eng_ctx *ctx, struct reply *r)
{
	bool admin = ctx->req->is_admin;

	buf_reset(&r->text);
	r->nbuttons = 0;
	r->ephemeral = true;
	switch (store_last_error(ctx->e->store)) {
	case BOT_ECORRUPT:
		reply_addf(r, "My database file is damaged, so I have stopped saving anything to "
		              "protect what it holds; this was not saved. ");
		reply_addf(r, "%s",
		           admin ? "To recover: stop drillbot, keep a copy of the file, "
		                   "run `drillbot db check`, then restore the latest "
		                   "backup (README, \"Data and safety\")."
		                 : "The bot's admin has the steps to recover it in its log.");
		break;
	case BOT_EPERM:
		reply_addf(r,
		           "I am not allowed to write to my database file, so nothing was saved. "
		           "It is a permission problem, not damage: ");
		reply_addf(r, "%s",
		           admin ? "let the user drillbot runs as write the file and its "
		                   "folder (the log names both)."
		                 : "the bot's admin has the fix in its log.");
		break;
	case BOT_EIO:
		reply_addf(r, "The disk holding my database is full, so nothing was saved. %s",
		           admin ? "Free some space; saving works again at once."
		                 : "The bot's admin has been told in its log.");
		break;
	default:
		reply_addf(r, "Sorry, my database was busy just now, so nothing was saved. Please "
		              "try again in a moment.");
		break;
	}
}

/*
 * Folds a score into the topic's exponentially weighted mastery. Answers
 * count towards the topic's answer total; self-grades only move mastery.
 */
int engine_mastery_add(struct eng_ctx *ctx, const char *topic, int score, bool is_answer)
{
	struct store_topic_stat st;
	int err = store_topic_get(ctx->e->store, ctx->user.id, topic, &st);

	if (err != BOT_OK && err != BOT_ENOENT)
		return err;
	st.mastery = st.answers == 0 && st.mastery == 0
	                 ? score
	                 : st.mastery + MASTERY_ALPHA * (score - st.mastery);
	if (is_answer)
		st.answers++;
	return store_topic_put(ctx->e->store, ctx->user.id, &st, ctx->req->now);
}

void engine_question_buttons(const struct engine *e, const struct content_question *q,
                             struct reply *r)
{
	char id[CMD_ACTION_ID_MAX + 1];
	char url[REPLY_URL_MAX];

	engine_question_url(e, q->id, url, sizeof(url));
	cmd_action_id(id, sizeof(id), "answer", q->id, NULL);
	reply_button(r, REPLY_MODAL, REPLY_PRIMARY, "Answer", id);
	snprintf(r->modal_title, sizeof(r->modal_title), "Your answer");
	cmd_action_id(id, sizeof(id), "reveal", q->id, NULL);
	reply_button(r, REPLY_ACTION, REPLY_SECONDARY, "Reveal", id);
	reply_button(r, REPLY_LINK, REPLY_SECONDARY, "Model answer", url);
}

void engine_answer_init(struct eng_ctx *ctx, const struct content_question *q, const char *qid,
                        const char *text, const struct grade_result *g, struct store_answer *a)
{
	int32_t day = 0;

	tz_day(engine_user_tz(ctx), ctx->req->now, &day);
	memset(a, 0, sizeof(*a));
	a->user_id = ctx->user.id;
	a->team_id = ctx->user.team_id;
	a->question_id = qid;
	a->topic = ctx->e->content->topics[q->topic].slug;
	a->text = text;
	a->score = g->score;
	a->covered = g->covered;
	a->created_at = ctx->req->now;
	a->local_day = day;
}

void engine_matched_format(const struct grade_result *g, size_t npoints, char *out, size_t size)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < npoints && i < CONTENT_MAX_POINTS && len < size; i++) {
		if (!((g->covered >> i) & 1) || g->matched[i].end <= g->matched[i].start)
			continue;
		len += (size_t)snprintf(out + len, size - len, "%s%zu:%u-%u", len > 0 ? "," : "", i,
		                        (unsigned)g->matched[i].start, (unsigned)g->matched[i].end);
	}
	if (len >= size)
		out[0] = '\0'; /* cannot happen at STORE_MATCHED_MAX; never store half */
}

bool engine_matched_span(const char *matched, size_t point, size_t len, size_t *start, size_t *end)
{
	const char *p = matched;

	while (p != NULL && *p != '\0') {
		char *q;
		unsigned long i = strtoul(p, &q, 10), a, b;
		if (*q != ':')
			return false;
		a = strtoul(q + 1, &q, 10);
		if (*q != '-')
			return false;
		b = strtoul(q + 1, &q, 10);
		/* A span from another text would quote nonsense: bounds are checked. */
		if (i == point && a < b && b <= len) {
			*start = a;
			*end = b;
			return true;
		}
		p = *q == ',' ? q + 1 : NULL;
	}
	return false;
}

/* Quoted words are cut to this many characters: the start and the end of what matched. */
#define EXCERPT_MAX 80

/* A cut of s[0..n) at most max characters long, at a space when one is in its second half. */
static size_t head_len(const char *s, size_t n, size_t max)
{
	size_t len = 0, chars = 0, space = 0;

	while (len < n && chars < max) {
		if (s[len] == ' ')
			space = len;
		len++;
		while (len < n && ((unsigned char)s[len] & 0xc0) == 0x80)
			len++;
		chars++;
	}
	return len < n && space > len / 2 ? space : len;
}

/* Where the last at most max characters of s[0..n) start, after a space when one is near. */
static size_t tail_start(const char *s, size_t n, size_t max)
{
	size_t at = n, chars = 0, space = n;

	while (at > 0 && chars < max) {
		at--;
		while (at > 0 && ((unsigned char)s[at] & 0xc0) == 0x80)
			at--;
		if (s[at] == ' ')
			space = at + 1;
		chars++;
	}
	return at > 0 && space < n && space - at < max / 2 ? space : at;
}

void engine_excerpt(const char *text, size_t start, size_t end, struct buf *out)
{
	struct buf plain;
	size_t n, h, t;

	buf_init(&plain, 4 * (end - start) + 16);
	/* One line first (md_escape collapses whitespace), then escaped for Markdown. */
	for (n = start; n < end; n++) {
		unsigned char c = (unsigned char)text[n];
		buf_add(&plain, c <= ' ' || c == 0x7f ? " " : &text[n], 1);
	}
	n = plain.len;
	buf_adds(out, "“");
	if (util_utf8_chars(buf_str(&plain), n) <= EXCERPT_MAX) {
		md_escape(buf_str(&plain), n, out);
	} else {
		h = head_len(buf_str(&plain), n, EXCERPT_MAX / 2);
		t = tail_start(buf_str(&plain), n, EXCERPT_MAX / 2);
		md_escape(buf_str(&plain), h, out);
		buf_adds(out, " … ");
		md_escape(buf_str(&plain) + t, n - t, out);
	}
	buf_adds(out, "”");
	buf_cleanup(&plain);
}

void engine_render_covered(const struct content_point *pts, size_t n, uint32_t covered,
                           const char *text, const char *matched, struct reply *r)
{
	struct buf quote;
	size_t i, len = text != NULL ? strlen(text) : 0;
	bool any = false;

	buf_init(&quote, 1024);
	for (i = 0; i < n; i++) {
		size_t a, b;
		if (!((covered >> i) & 1))
			continue;
		reply_addf(r, "%s\n✅ %s", any ? "" : "\n**Covered**", pts[i].text);
		any = true;
		if (text != NULL && engine_matched_span(matched, i, len, &a, &b)) {
			buf_reset(&quote);
			engine_excerpt(text, a, b, &quote);
			reply_addf(r, " — heard %s", buf_str(&quote));
		}
	}
	buf_cleanup(&quote);
	any = false;
	for (i = 0; i < n; i++) {
		if (!((covered >> i) & 1)) {
			reply_addf(r, "%s\n❌ %s", any ? "" : "\n\n**Missed**", pts[i].text);
			any = true;
		}
	}
}

/* How often one key point was missed. */
struct miss_count {
	size_t qi;
	size_t pi;
	int count;
};

struct misses {
	const struct content *c;
	struct miss_count v[64];
	size_t n;
};

static void count_miss(struct misses *m, size_t qi, size_t pi)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (m->v[i].qi == qi && m->v[i].pi == pi) {
			m->v[i].count++;
			return;
		}
	}
	if (m->n < UTIL_ARRAY_LEN(m->v))
		m->v[m->n++] = (struct miss_count){qi, pi, 1};
}

/* One recent answer: every key point it did not cover is a miss. */
static void add_misses(const char *qid, uint32_t covered, void *arg)
{
	struct misses *m = arg;
	const struct content_question *q = content_find(m->c, qid);
	size_t i;

	/* Follow-up answers ("<id>/f1") and questions since removed are skipped. */
	if (q == NULL)
		return;
	for (i = 0; i < q->npoints; i++)
		if (!((covered >> i) & 1))
			count_miss(m, (size_t)(q - m->c->questions), i);
}

static int by_count(const void *a, const void *b)
{
	const struct miss_count *x = a, *y = b;

	if (x->count != y->count)
		return y->count - x->count;
	return x->qi != y->qi ? (x->qi < y->qi ? -1 : 1) : (x->pi < y->pi ? -1 : 1);
}

int engine_top_misses(struct eng_ctx *ctx, const char *topic, struct engine_miss *out, size_t max,
                      size_t *n)
{
	struct misses m = {.c = ctx->e->content};
	size_t i;
	int err = store_answer_each_recent(ctx->e->store, ctx->user.id, topic, RULES_PASTE_SHARE,
	                                   ENGINE_MISS_ANSWERS, add_misses, &m);

	*n = 0;
	if (err != BOT_OK)
		return err;
	qsort(m.v, m.n, sizeof(m.v[0]), by_count);
	for (i = 0; i < m.n && i < max; i++)
		out[(*n)++] = (struct engine_miss){m.v[i].qi, m.v[i].pi, m.v[i].count};
	return BOT_OK;
}

bool engine_is_command(const char *name)
{
	return cmd_find(name) != NULL;
}

int engine_srs_review(struct eng_ctx *ctx, const struct content_question *q, enum srs_grade g,
                      bool regrade, struct srs_state *out)
{
	struct store *s = ctx->e->store;
	struct srs_state st;
	int err = store_srs_get(s, ctx->user.id, q->id, &st);

	if (err == BOT_ENOENT) {
		srs_init(&st, ctx->req->now);
		err = BOT_OK;
	}
	if (err != BOT_OK)
		return err;
	if (regrade)
		srs_regrade(&ctx->e->srs, &st, g, ctx->req->now);
	else
		srs_review(&ctx->e->srs, &st, g, ctx->req->now);
	err = store_srs_put(s, ctx->user.id, q->id, &st);
	if (err == BOT_OK && out != NULL)
		*out = st;
	return err;
}

const char *engine_stars(int difficulty)
{
	switch (difficulty) {
	case 1:
		return "★☆☆";
	case 2:
		return "★★☆";
	default:
		return "★★★";
	}
}

void engine_period_keys(const char *zone, int64_t now, char week[32], char month[32])
{
	int32_t day = (int32_t)(now / 86400);
	int y, m, d;

	tz_day(zone, now, &day);
	snprintf(week, 32, "w:%d", (int)(day - tz_weekday(day)));
	tz_civil_from_days(day, &y, &m, &d);
	snprintf(month, 32, "m:%04d-%02d", y, m);
}

void engine_periods(const struct eng_ctx *ctx, char week[32], char month[32])
{
	const char *zone = ctx->user.team_tz[0] != '\0' ? ctx->user.team_tz : ctx->e->default_tz;

	engine_period_keys(zone, ctx->req->now, week, month);
}

static void unknown_command(struct eng_ctx *ctx, const char *name, struct reply *r)
{
	const struct cmd_entry *near = cmd_closest(name);

	(void)ctx;
	r->ephemeral = true;
	reply_addf(r, "I don't know the command `/%s`.", name);
	if (near != NULL)
		reply_addf(r, " Did you mean `/%s`? It %s%s.", near->name,
		           near->description[0] != '\0' ? "does this: " : "", near->description);
	reply_addf(r, "\nType `/help` for the list of commands.");
}

/* Fills v from the request: typed options when the platform sent them, else the text. */
static int parse_request(struct eng_ctx *ctx, struct cmd_values *v, struct buf *err)
{
	const struct request *req = ctx->req;
	size_t i;

	if (req->noptions == 0)
		return cmd_parse_text(v, ctx->e->content, req->args, err);
	for (i = 0; i < req->noptions; i++) {
		if (cmd_values_set(v, req->options[i].name, req->options[i].value) != BOT_OK) {
			buf_addf(err, "`/%s` has no option `%s`: `%s`", v->entry->name,
			         req->options[i].name, v->entry->example);
			return BOT_EINVAL;
		}
	}
	return cmd_values_check(v, ctx->e->content, err);
}

static void run_entry(struct eng_ctx *ctx, const struct cmd_entry *c, struct cmd_values *v, int rc,
                      struct buf *err, struct reply *r)
{
	if (c != NULL)
		ctx->command = c->name;
	if (rc != BOT_OK) {
		r->ephemeral = true;
		reply_addf(r, "%s", buf_str(err));
		return;
	}
	c->exec(ctx, v, r);
}

static void dispatch_command(struct eng_ctx *ctx, struct reply *r)
{
	const struct request *req = ctx->req;
	const struct cmd_entry *c = cmd_find(req->command);
	struct cmd_values v;
	struct buf err;

	if (c == NULL) {
		unknown_command(ctx, req->command, r);
		return;
	}
	if (c->admin && !req->is_admin) {
		r->ephemeral = true;
		reply_addf(r,
		           "`/%s` is for team admins. Ask someone with the Manage Server "
		           "(Discord) or admin (Slack) permission.",
		           c->name);
		return;
	}
	buf_init(&err, 1024);
	cmd_values_init(&v, c);
	run_entry(ctx, c, &v, parse_request(ctx, &v, &err), &err, r);
	cmd_values_cleanup(&v);
	buf_cleanup(&err);
}

static void dispatch_action(struct eng_ctx *ctx, struct reply *r)
{
	struct cmd_values v;
	struct buf err;
	int rc;

	buf_init(&err, 1024);
	memset(&v, 0, sizeof(v));
	rc = cmd_parse_action(ctx->req->action, ctx->req->input, ctx->e->content, &v, &err);
	if (rc == BOT_ENOENT) {
		r->ephemeral = true;
		reply_addf(r, "That button is from an older version of drillbot. Run `/question` "
		              "for a fresh one.");
	} else {
		run_entry(ctx, v.entry, &v, rc, &err, r);
	}
	cmd_values_cleanup(&v);
	buf_cleanup(&err);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Counts the request by platform and command, its time, and the answers it stored. */
static void count(const struct eng_ctx *ctx, uint64_t started_ns)
{
	char labels[METRICS_LABELS_MAX];
	const char *platform = ctx->req->platform != NULL ? ctx->req->platform : "unknown";
	double took;

	if (ctx->e->metrics == NULL)
		return;
	took = (double)(mono_ns() - started_ns) / 1e9;
	snprintf(labels, sizeof(labels), "platform=\"%s\",command=\"%s\"", platform,
	         ctx->command != NULL ? ctx->command : "unknown");
	metrics_add(ctx->e->metrics, METRIC_INTERACTIONS, labels, 1);
	snprintf(labels, sizeof(labels), "platform=\"%s\"", platform);
	metrics_observe(ctx->e->metrics, METRIC_HANDLER, labels, took);
	if (ctx->answers_stored > 0)
		metrics_add(ctx->e->metrics, METRIC_ANSWERS, labels, (uint64_t)ctx->answers_stored);
}

/*
 * The drill stopped in one of the team's channels (no access, channel
 * gone): the next admin who gets a private reply hears why and how to fix
 * it, once.
 */
static void tell_blocked(struct eng_ctx *ctx, struct reply *r)
{
	struct store_drill b;
	size_t n = 0;

	if (!ctx->req->is_admin || !r->ephemeral ||
	    store_team_blocked(ctx->e->store, ctx->user.team_id, &b, 1, &n) != BOT_OK || n == 0)
		return;
	reply_addf(r,
	           "\n\n⚠️ **The daily drill stopped in channel %s.** %s. Fix that, then run "
	           "`/daily on` in that channel to start it again (or `/daily off` there).",
	           b.channel, b.daily.blocked);
	store_channel_block_told(ctx->e->store, b.channel_id);
}

static void handle(struct engine *e, const struct request *req, struct reply *r,
                   struct eng_ctx *ctx)
{
	int err;

	if (!e->seeded) {
		e->rng = (uint64_t)req->now * 2654435761u + 1;
		e->seeded = true;
	}
	ctx->e = e;
	ctx->req = req;
	err = store_user_ensure(e->store, req->platform, req->team, req->user,
	                        req->user_name != NULL ? req->user_name : "", req->now, &ctx->user);
	if (err != BOT_OK) {
		engine_store_error(ctx, r);
		return;
	}
	if (req->action != NULL && req->action[0] != '\0')
		dispatch_action(ctx, r);
	else if (req->command != NULL && req->command[0] != '\0')
		dispatch_command(ctx, r);
	else
		cmd_help(ctx, NULL, r);
	tell_blocked(ctx, r);
	engine_tell_rulings(ctx, r);
}

void engine_handle(struct engine *e, const struct request *req, struct reply *r)
{
	struct eng_ctx ctx;
	uint64_t started = e->metrics != NULL ? mono_ns() : 0;

	memset(&ctx, 0, sizeof(ctx));
	handle(e, req, r, &ctx);
	count(&ctx, started);
}
