/* t_content.h - loads a question bank for a test program, or says why not. */
#ifndef T_CONTENT_H
#define T_CONTENT_H

#include <stdio.h>

#include "base/err.h"
#include "bank/content.h"

/* Returns 0 with *c loaded, or 1 after printing the loader's diagnostics. */
static inline int t_load_content(const char *dir, struct content *c)
{
	struct content_diag d;
	int err;

	content_diag_init(&d);
	err = content_load(c, dir, &d);
	if (err != BOT_OK)
		printf("FAIL load %s: %s\n", dir, buf_str(&d.text));
	content_diag_cleanup(&d);
	return err == BOT_OK ? 0 : 1;
}

#endif
