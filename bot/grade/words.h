/*
 * words.h - the grader's word rules in one place: which words are stop
 * words, which are negations, and how a word is stemmed (Snowball English).
 * The grader reads answers and phrasings with them, and the bank's lint
 * uses the same rules, so what lint accepts is what the grader sees.
 */
#ifndef BOT_WORDS_H
#define BOT_WORDS_H

#include <stdbool.h>

#define WORDS_MAX 48 /* bytes of a word or stem, NUL included; longer words are cut */

struct words;

/* Creates the stemmer. Returns NULL only if libstemmer has no English. */
struct words *words_new(void);
void words_free(struct words *w);

/* What the grader needs to know of a word, as bits: one lookup per word. */
enum {
	WORDS_STOP = 1,        /* "the", "is", "doesn" ...: ignored */
	WORDS_NEGATION = 2,    /* "not", "never", "without" ...: read as "not" */
	WORDS_OPENER = 4,      /* "but", "which", "because" ...: a new clause, where a
	                          negation's scope ends */
	WORDS_PSEUDO_NOT = 8,  /* after "not", undoes it: "not only", "not just" */
	WORDS_PSEUDO_NO = 16,  /* after "no", undoes it: "no matter", "no doubt" */
	WORDS_PREFIX_NOT = 32, /* "non" of "non-blocking": negates the one next word */
};

/* The WORDS_* bits of a lower-case word (0 for most words): one hash probe. */
unsigned words_class(const struct words *w, const char *lower);
/* The stem of a lower-case word into out; a word the stemmer refuses is kept as it is. */
void words_stem(struct words *w, const char *lower, char out[WORDS_MAX]);

#endif
