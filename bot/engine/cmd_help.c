/* cmd_help.c - /help, generated from the command table. */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "engine/cmd.h"
#include "engine/engine_int.h"

void cmd_help(struct eng_ctx *ctx, const struct cmd_values *v, struct reply *r)
{
	const struct cmd_entry *table;
	struct buf usage;
	size_t n, i;

	(void)ctx;
	(void)v;
	table = cmd_table(&n);
	buf_init(&usage, 256);
	r->ephemeral = true;
	reply_addf(r, "**drillbot commands**");
	for (i = 0; i < n; i++) {
		if (table[i].kind != CMD_COMMAND)
			continue;
		cmd_usage(&table[i], &usage);
		reply_addf(r, "\n- `%s` — %s", buf_str(&usage), table[i].description);
	}
	buf_cleanup(&usage);
}
