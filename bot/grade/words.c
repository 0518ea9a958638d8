/*
 * words.c - stop words, negations, clause openers and the stemmer (see
 * words.h). The lists are loaded once into one hash table of classes.
 */
#include "grade/words.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define CLASS_SLOTS 512 /* a power of two, over twice the words of the lists below */

struct word_class {
	char word[12];
	unsigned bits;
};

struct words {
	struct sb_stemmer *stemmer;
	struct word_class classes[CLASS_SLOTS]; /* open addressing on the word's hash */
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

/*
 * Words that open a new clause, so a negation before them does not reach
 * past them: "never release it but hold" negates "release" only.
 */
static const char *openers[] = {"although",  "because", "but",    "except", "however", "instead",
                                "otherwise", "since",   "though", "unless", "whereas", "whereby",
                                "which",     "while",   "who",    "whose",  "yet"};

/* After a negation, these undo it: "not only", "not just"; "no matter", "no doubt". */
static const char *pseudo_not[] = {"just", "merely", "only", "simply"};
static const char *pseudo_no[] = {"doubt", "matter"};

static size_t class_slot(const struct words *w, const char *word)
{
	uint32_t h = 2166136261u;
	const char *p;
	size_t i;

	for (p = word; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (i = h & (CLASS_SLOTS - 1); w->classes[i].word[0] != '\0';
	     i = (i + 1) & (CLASS_SLOTS - 1))
		if (strcmp(w->classes[i].word, word) == 0)
			break;
	return i;
}

static void class_add(struct words *w, const char **list, size_t n, unsigned bits)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct word_class *c = &w->classes[class_slot(w, list[i])];
		snprintf(c->word, sizeof(c->word), "%s", list[i]);
		c->bits |= bits;
	}
}

unsigned words_class(const struct words *w, const char *lower)
{
	size_t n = strlen(lower);

	if (n == 0 || n >= sizeof(w->classes[0].word))
		return 0;
	return w->classes[class_slot(w, lower)].bits;
}

struct words *words_new(void)
{
	static const char *non[] = {"non"};
	struct words *w = xcalloc(1, sizeof(*w));

	class_add(w, stop_words, UTIL_ARRAY_LEN(stop_words), WORDS_STOP);
	class_add(w, negations, UTIL_ARRAY_LEN(negations), WORDS_NEGATION);
	class_add(w, openers, UTIL_ARRAY_LEN(openers), WORDS_OPENER);
	class_add(w, pseudo_not, UTIL_ARRAY_LEN(pseudo_not), WORDS_PSEUDO_NOT);
	class_add(w, pseudo_no, UTIL_ARRAY_LEN(pseudo_no), WORDS_PSEUDO_NO);
	class_add(w, non, 1, WORDS_PREFIX_NOT);

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
