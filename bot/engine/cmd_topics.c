/* cmd_topics.c - /topics: the topics, their aliases and question counts. */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"

void cmd_topics(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct content *c = ctx->e->content;
	size_t t, a;

	(void)v;
	r->ephemeral = true;
	reply_addf(r, "**Topics** (%zu questions)", c->nquestions);
	for (t = 0; t < c->ntopics; t++) {
		reply_addf(r, "\n- `%s` %s: %zu question%s", c->topics[t].slug, c->topics[t].name,
		           c->topics[t].nquestions, c->topics[t].nquestions == 1 ? "" : "s");
		for (a = 0; a < c->topics[t].naliases; a++)
			reply_addf(r, "%s%s", a == 0 ? " (also: " : ", ", c->topics[t].aliases[a]);
		if (c->topics[t].naliases > 0)
			reply_addf(r, ")");
	}
	reply_addf(r,
	           "\n\nAsk with `/question <topic>`; a prefix works too, e.g. `/question cach`.");
}
