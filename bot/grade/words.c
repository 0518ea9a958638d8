/*
 * words.c - stop words, negations and the stemmer (see words.h). The
 * lists are sorted for bsearch.
 */
#include "grade/words.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

struct words {
	struct sb_stemmer *stemmer;
};

/* Negations are not here: the grader turns them into "not". */
static const char *stop_words[] = {
    "a",       "about",  "all",  "also",  "am",    "an",    "and",   "any",   "are",   "aren",
    "as",      "at",     "be",   "been",  "being", "but",   "by",    "ca",    "can",   "could",
    "couldn",  "did",    "didn", "do",    "does",  "doesn", "doing", "don",   "each",  "eg",
    "etc",     "for",    "from", "had",   "hadn",  "has",   "hasn",  "have",  "haven", "having",
    "he",      "her",    "here", "his",   "i",     "ie",    "if",    "in",    "into",  "is",
    "isn",     "it",     "its",  "just",  "let",   "lets",  "me",    "might", "must",  "my",
    "of",      "on",     "onto", "or",    "our",   "ours",  "s",     "shall", "she",   "should",
    "shouldn", "so",     "some", "such",  "than",  "that",  "the",   "their", "them",  "then",
    "there",   "these",  "they", "this",  "those", "to",    "too",   "us",    "very",  "was",
    "wasn",    "we",     "were", "weren", "what",  "which", "who",   "whom",  "will",  "wo",
    "would",   "wouldn", "you",  "your",
};

static const char *negations[] = {"cannot", "neither", "never", "no", "nor", "not", "without"};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool in_list(const char *w, const char **list, size_t n)
{
	return bsearch(&w, list, n, sizeof(*list), cmp_str) != NULL;
}

struct words *words_new(void)
{
	struct words *w = xcalloc(1, sizeof(*w));

	w->stemmer = sb_stemmer_new("english", NULL);
	if (w->stemmer == NULL) {
		free(w);
		return NULL;
	}
	return w;
}

void words_free(struct words *w)
{
	if (w == NULL)
		return;
	sb_stemmer_delete(w->stemmer);
	free(w);
}

bool words_stop(const char *lower)
{
	return in_list(lower, stop_words, UTIL_ARRAY_LEN(stop_words));
}

bool words_negation(const char *lower)
{
	return in_list(lower, negations, UTIL_ARRAY_LEN(negations));
}

void words_stem(struct words *w, const char *lower, char out[WORDS_MAX])
{
	const sb_symbol *s =
	    sb_stemmer_stem(w->stemmer, (const sb_symbol *)lower, (int)strlen(lower));
	int len = sb_stemmer_length(w->stemmer);

	if (s == NULL || len <= 0 || len >= WORDS_MAX) {
		snprintf(out, WORDS_MAX, "%s", lower);
		return;
	}
	memcpy(out, s, (size_t)len);
	out[len] = '\0';
}
