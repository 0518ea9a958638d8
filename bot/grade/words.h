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

/* Whether a lower-case word is a stop word ("the", "is", "doesn" ...). */
bool words_stop(const char *lower);
/* Whether a lower-case word is a negation ("not", "never", "without" ...). */
bool words_negation(const char *lower);
/* The stem of a lower-case word into out; a word the stemmer refuses is kept as it is. */
void words_stem(struct words *w, const char *lower, char out[WORDS_MAX]);

#endif
