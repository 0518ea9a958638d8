/*
 * export.h - a user's own data as JSON, for /export-me and its download
 * link: what the store keeps about them (settings, streak, the days they
 * answered, every answer with its grade, the words it matched and its
 * points, review cards, reveals, questions served, mastery per topic,
 * points per period and season, challenges of a grade and rulings made),
 * in the shape README "Your data" documents, with a version.
 * It reads the store and writes text; it sends nothing anywhere.
 */
#ifndef BOT_EXPORT_H
#define BOT_EXPORT_H

#include <stdint.h>

#include "base/util.h"
#include "store/store.h"

/* The shape's version: a change that could break a reader of the file raises it. */
#define EXPORT_VERSION 1
#define EXPORT_FORMAT  "drillbot-export"
/* An export's size cap, in bytes: 4,000 answers of the longest kind. */
#define EXPORT_MAX (16u * 1024u * 1024u)

/*
 * Appends the export of user_id, made at now, to out (whose cap must allow
 * EXPORT_MAX to hold the largest). BOT_ENOENT when there is no such user,
 * BOT_ETOOBIG when it would pass out's cap, a store error otherwise; out
 * is reset on any error, so no half export is ever shown.
 */
int export_user(struct store *s, int64_t user_id, int64_t now, struct buf *out);

#endif
