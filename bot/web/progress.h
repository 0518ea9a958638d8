/*
 * progress.h - the private progress pages behind signed links: /me/<token>
 * (a user's streak as a calendar heatmap, answers per week, mastery per
 * topic), /team/<token> (the leaderboards and the team's coverage) and
 * the file behind /export/<token> (the user's data as JSON).
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
/*
 * The user's data export (engine/export.h) for the token of an
 * /export/<token> link, into out (cap EXPORT_MAX): 200, 404 for any token
 * that does not check out (reset, forgotten, tampered: never which), 500
 * when the export passes the cap, 503 when the store fails. out is empty but
 * on 200.
 */
int progress_export(const struct progress_deps *d, const char *token, struct buf *out);

#endif
