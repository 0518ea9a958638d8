/*
 * progress.h - the private progress pages behind signed links: /me/<token>
 * (a user's streak as a calendar heatmap, answers per week, mastery per
 * topic) and /team/<token> (the leaderboards and the team's coverage).
 * The pictures are inline SVG written here; no script, no chart library.
 */
#ifndef BOT_WEB_PROGRESS_H
#define BOT_WEB_PROGRESS_H

#include <stdint.h>

#include "bank/content.h"
#include "store/store.h"
#include "web/html.h"

struct progress_deps {
	const struct content *content;
	struct store *store;
	const char *default_tz;
	int64_t now;
};

/*
 * The page at path ("/me/<token>", "/team/<token>"): 200, 404 for any
 * token that does not check out (never why), 503 when the store fails.
 */
int progress_render(const struct progress_deps *d, struct html *h, const char *path);

#endif
