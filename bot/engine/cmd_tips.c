/* cmd_tips.c - /tips: the preparation advice of content/tips.md. */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"

void cmd_tips(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	(void)v;
	r->ephemeral = true;
	if (ctx->e->content->tips == NULL)
		reply_addf(r, "No tips are installed (content/tips.md is missing).");
	else
		reply_addf(r, "%s", ctx->e->content->tips);
}
