/*
 * post_reveal.c - the daily question's reveal (issue 22: answer first,
 * see others after). Until the channel's reveal time nobody sees anyone
 * else's answer; then one message, in reply to the post, says how many
 * answered, shows the spread of their scores as an anonymous histogram,
 * quotes the answers of those who chose to be quoted (/settings quote
 * on) and links the model answer. It counts each person's first answer:
 * what they knew before their private grade named the points they
 * missed. Claimed once per post in channel_posts, like the post.
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"
#include "engine/rules.h"

#define REVEAL_QUOTES 3   /* answers quoted at most */
#define QUOTE_SCORE   60  /* the least score quoted: a good answer (learn/srs: 60-89 is Good) */
#define QUOTE_CHARS   200 /* code points of each quote */
#define BAR_WIDTH     10  /* the fullest slot's bar */
#define STREAKS_TOP   3
#define SLOTS         5 /* 0-19, 20-39, 40-59, 60-79, 80-100 */

struct reveal {
	struct engine *e;
	const struct engine_post *p;
	const char *again_qid;  /* rendering a claimed reveal again, or NULL */
	struct store_post post; /* the daily post revealed */
	int counts[STORE_SCORES];
	int answered;
	struct store_quote quotes[REVEAL_QUOTES];
	size_t nquotes;
	struct store_name_num streaks[STREAKS_TOP];
	size_t nstreaks;
};

static int reveal_txn(struct store *s, void *arg)
{
	struct reveal *x = arg;
	const struct engine_post *p = x->p;
	struct store_channel ch;
	struct store_team team;
	bool claimed = false;
	int rc = store_channel_ensure(s, p->platform, p->team, p->channel, p->now, &ch);

	if (rc == BOT_OK)
		rc = store_channel_post_day(s, ch.id, ENGINE_DAILY_KIND, p->day, &x->post);
	if (rc != BOT_OK)
		return rc;
	if (x->again_qid != NULL && strcmp(x->again_qid, x->post.question_id) != 0)
		return BOT_ENOENT; /* that day's post is another question: not this reveal */
	if (content_find(x->e->content, x->post.question_id) == NULL)
		return BOT_ENOENT;
	if (x->again_qid == NULL) {
		rc = store_channel_post_claim(s, ch.id, ENGINE_REVEAL_KIND, x->post.question_id,
		                              p->day, p->now, &claimed);
		if (rc != BOT_OK)
			return rc;
		if (!claimed)
			return BOT_EEXIST;
	}
	/* The answers from the post to the reveal: a resend shows what the first send showed. */
	rc = store_question_firsts(s, ch.team_id, x->post.question_id, x->post.posted_at, p->now,
	                           x->counts, &x->answered);
	if (rc == BOT_OK)
		rc = store_question_quotes(s, ch.team_id, x->post.question_id, x->post.posted_at,
		                           p->now, QUOTE_SCORE, RULES_PASTE_SHARE, x->quotes,
		                           REVEAL_QUOTES, &x->nquotes);
	/* The streak leaders are the recap's: like it, they name nobody while the team's
	 * board is off (and never a hidden player: the store leaves them out). */
	if (rc == BOT_OK)
		rc = store_team_get(s, ch.team_id, &team);
	if (rc == BOT_OK && !team.board_off)
		rc = store_streak_leaders(s, ch.team_id, x->streaks, STREAKS_TOP, &x->nstreaks);
	return rc;
}

/* One slot of the histogram: "`80-100` ██████ 3", the fullest slot BAR_WIDTH wide. */
static void render_slot(struct reply *r, const char *label, int n, int max)
{
	int bar = max > 0 ? (n * BAR_WIDTH + max - 1) / max : 0, i;

	reply_addf(r, "\n`%6s` ", label);
	for (i = 0; i < bar; i++)
		reply_addf(r, "█");
	reply_addf(r, "%s%d", bar > 0 ? " " : "", n);
}

static void render_spread(const struct reveal *x, struct reply *r)
{
	static const char *const LABELS[SLOTS] = {"0-19", "20-39", "40-59", "60-79", "80-100"};
	int slot[SLOTS] = {0}, max = 0, i;
	long sum = 0;

	for (i = 0; i < STORE_SCORES; i++) {
		slot[i / 20 < SLOTS ? i / 20 : SLOTS - 1] += x->counts[i];
		sum += (long)i * x->counts[i];
	}
	for (i = 0; i < SLOTS; i++)
		max = slot[i] > max ? slot[i] : max;
	reply_addf(r, "\n\n**%d answered** (each person's first answer, out of 100; average %.0f):",
	           x->answered, (double)sum / x->answered);
	for (i = 0; i < SLOTS; i++)
		render_slot(r, LABELS[i], slot[i], max);
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * The start of an answer as one line of inline code, so nothing in it is
 * Markdown (no link, no emphasis): whitespace runs become one space, a
 * backtick a quote mark (it would end the code), control characters go;
 * at most QUOTE_CHARS code points, then "…". out holds QUOTE_CHARS * 4 + 8.
 */
static void quote_text(const char *s, char *out, size_t size)
{
	size_t o = 0, chars = 0;
	bool space = false;

	for (; *s != '\0' && is_space((unsigned char)*s); s++)
		;
	for (; *s != '\0' && o + 8 < size; s++) {
		unsigned char c = (unsigned char)*s;
		bool starts = (c & 0xc0) != 0x80; /* not a continuation byte: a new code point */
		if (is_space(c)) {
			space = true;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			continue;
		if (starts && chars + (space ? 1 : 0) >= QUOTE_CHARS) {
			memcpy(out + o, "…", strlen("…"));
			o += strlen("…");
			break;
		}
		if (space) {
			out[o++] = ' ';
			chars++;
			space = false;
		}
		out[o++] = c == '`' ? '\'' : (char)c;
		chars += starts;
	}
	out[o] = '\0';
}

static void render_quotes(const struct reveal *x, struct reply *r)
{
	char text[QUOTE_CHARS * 4 + 8];
	size_t i;

	if (x->nquotes == 0) {
		reply_addf(
		    r,
		    "\n\n_No answer quoted: the reveal quotes the first answers scoring %d or "
		    "more of those who said `/settings quote on`._",
		    QUOTE_SCORE);
		return;
	}
	reply_addf(r, "\n\n**In their own words** (with `/settings quote on`):");
	for (i = 0; i < x->nquotes; i++) {
		quote_text(x->quotes[i].text, text, sizeof(text));
		if (text[0] != '\0')
			reply_addf(r, "\n- %s (%d): `%s`",
			           x->quotes[i].name[0] ? x->quotes[i].name : "(someone)",
			           x->quotes[i].score, text);
	}
}

static void render(struct engine *e, const struct content_question *q, const struct reveal *x,
                   struct reply *r)
{
	char url[REPLY_URL_MAX];
	size_t i;

	engine_question_url(e, q->id, url, sizeof(url));
	reply_title(r, "Answers revealed · %s", e->content->topics[q->topic].name);
	reply_addf(r, "`%s` · %s", q->id, q->question);
	if (x->answered == 0) {
		reply_addf(r, "\n\n**Nobody answered** before the reveal.");
	} else {
		render_spread(x, r);
		render_quotes(x, r);
	}
	if (x->nstreaks > 0) {
		reply_addf(r, "\n\n**Streaks:** ");
		for (i = 0; i < x->nstreaks; i++)
			reply_addf(r, "%s%s %d day%s", i ? " · " : "",
			           x->streaks[i].name[0] ? x->streaks[i].name : "(someone)",
			           x->streaks[i].num, x->streaks[i].num == 1 ? "" : "s");
	}
	reply_addf(r, "\n\n[The model answer](%s), with its key points.", url);
	reply_footer(r, "Scores are anonymous: only those who chose to be quoted are named with "
	                "their answer.");
	reply_button(r, REPLY_LINK, REPLY_SECONDARY, "Model answer", url);
}

int engine_reveal(struct engine *e, const struct engine_post *p, const char *again_qid,
                  struct reply *r)
{
	struct reveal x;
	int rc;

	memset(&x, 0, sizeof(x));
	x.e = e;
	x.p = p;
	x.again_qid = again_qid;
	rc = store_txn(e->store, reveal_txn, &x);
	if (rc != BOT_OK)
		return rc;
	snprintf(r->dest.platform, sizeof(r->dest.platform), "%s", p->platform);
	snprintf(r->dest.team, sizeof(r->dest.team), "%s", p->team);
	snprintf(r->dest.channel, sizeof(r->dest.channel), "%s", p->channel);
	snprintf(r->dest.reply_to, sizeof(r->dest.reply_to), "%s", x.post.message_id);
	render(e, content_find(e->content, x.post.question_id), &x, r);
	return BOT_OK;
}
