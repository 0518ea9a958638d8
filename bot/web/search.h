/*
 * search.h - the questions ranked for a few words, for /search. The bank's
 * text is lower-cased once when the server starts, so a query costs a few
 * strstr calls per question instead of a case-folding scan of every byte.
 */
#ifndef BOT_WEB_SEARCH_H
#define BOT_WEB_SEARCH_H

#include <stddef.h>

#include "bank/content.h"

#define SEARCH_WORDS 8 /* words of a query that count; the rest are ignored */

struct search;

/* The index of c, which must outlive it. */
struct search *search_new(const struct content *c);
void search_free(struct search *s);

/*
 * The questions holding every word of query (a word matches its first
 * letters, so "cache" finds "caching"), best first: a word in the id
 * counts most, then in a key point, then in the question. Writes up to max
 * question indexes to out; returns how many matched in all.
 */
size_t search_run(const struct search *s, const char *query, size_t *out, size_t max);

#endif
