/*
 * search.c - /search's ranking over lower-cased copies of the bank's text.
 */
#include "web/search.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define WORD_MAX 64

struct search_doc {
	char *id, *points, *question; /* lower-case copies */
};

struct search {
	struct search_doc *docs;
	size_t n;
};

struct search_hit {
	int score;
	size_t q;
};

static char *lower_dup(const char *s)
{
	char *d = xstrdup(s != NULL ? s : "");
	char *p;

	for (p = d; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

struct search *search_new(const struct content *c)
{
	struct search *s = xcalloc(1, sizeof(*s));
	size_t i, j;

	s->n = c->nquestions;
	s->docs = xcalloc(s->n + 1, sizeof(*s->docs));
	for (i = 0; i < s->n; i++) {
		const struct content_question *q = &c->questions[i];
		struct buf b;
		buf_init(&b, 1024);
		for (j = 0; j < q->npoints; j++) {
			buf_adds(&b, q->points[j].text);
			buf_adds(&b, "\n");
		}
		s->docs[i].id = lower_dup(q->id);
		s->docs[i].points = lower_dup(b.data);
		s->docs[i].question = lower_dup(q->question);
		buf_cleanup(&b);
	}
	return s;
}

void search_free(struct search *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->docs[i].id);
		free(s->docs[i].points);
		free(s->docs[i].question);
	}
	free(s->docs);
	free(s);
}

/*
 * The query's words, lower-cased and cut to the part that must match:
 * the first len-2 letters of a long word (at least 4), so "cache" finds
 * "caching" and "replicas" finds "replication".
 */
static size_t split_words(const char *query, char words[][WORD_MAX], size_t max)
{
	size_t n = 0;
	const char *p = query;

	while (n < max) {
		size_t len, keep, i;
		p += strspn(p, " \t\r\n");
		len = strcspn(p, " \t\r\n");
		if (len == 0)
			break;
		keep = len > 6 ? len - 2 : len > 4 ? 4 : len;
		if (keep >= WORD_MAX)
			keep = WORD_MAX - 1;
		for (i = 0; i < keep; i++)
			words[n][i] = (char)tolower((unsigned char)p[i]);
		words[n++][keep] = '\0';
		p += len;
	}
	return n;
}

static int score_doc(const struct search_doc *d, char words[][WORD_MAX], size_t nwords)
{
	int score = 0;
	size_t w;

	for (w = 0; w < nwords; w++) {
		int s = strstr(d->id, words[w])         ? 5
		        : strstr(d->points, words[w])   ? 3
		        : strstr(d->question, words[w]) ? 1
		                                        : 0;
		if (s == 0)
			return 0; /* every word must appear somewhere */
		score += s;
	}
	return score;
}

/* Best first; equal scores in bank order, so results are stable. */
static int cmp_hit(const void *a, const void *b)
{
	const struct search_hit *x = a, *y = b;

	if (x->score != y->score)
		return y->score - x->score;
	return x->q < y->q ? -1 : x->q > y->q;
}

size_t search_run(const struct search *s, const char *query, size_t *out, size_t max)
{
	char words[SEARCH_WORDS][WORD_MAX];
	size_t nwords = split_words(query, words, SEARCH_WORDS), nhits = 0, i;
	struct search_hit *hits;

	if (nwords == 0)
		return 0;
	hits = xcalloc(s->n + 1, sizeof(*hits));
	for (i = 0; i < s->n; i++) {
		int score = score_doc(&s->docs[i], words, nwords);
		if (score > 0)
			hits[nhits++] = (struct search_hit){score, i};
	}
	qsort(hits, nhits, sizeof(*hits), cmp_hit);
	for (i = 0; i < nhits && i < max; i++)
		out[i] = hits[i].q;
	free(hits);
	return nhits;
}
