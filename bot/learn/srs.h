/*
 * srs.h - spaced repetition, a close relative of SuperMemo's SM-2 as Anki
 * uses it: four grades, an ease factor per card, intervals in days. Pure:
 * the clock is an argument.
 */
#ifndef BOT_SRS_H
#define BOT_SRS_H

#include <stdint.h>

enum srs_grade { SRS_AGAIN, SRS_HARD, SRS_GOOD, SRS_EASY, SRS_NGRADES };

#define SRS_EASE_START 2.5
#define SRS_EASE_MIN   1.3
#define SRS_DAY        86400

struct srs_state {
	double ease;     /* interval multiplier, >= SRS_EASE_MIN */
	double interval; /* days until the next review */
	int reps;        /* successful reviews in a row */
	int lapses;      /* times the card was forgotten */
	int64_t due;     /* unix time of the next review */
};

/* A card never reviewed: ease 2.5, due now. */
void srs_init(struct srs_state *s, int64_t now);
/* Applies one review with grade g at time now. */
void srs_review(struct srs_state *s, enum srs_grade g, int64_t now);
/* "again", "hard", "good", "easy" (any case); BOT_EINVAL otherwise. */
int srs_grade_parse(const char *s, enum srs_grade *g);
/* The grade's display name: "Again", "Hard", "Good", "Easy". */
const char *srs_grade_name(enum srs_grade g);
/* How a self-grade counts towards topic mastery, 0..100. */
int srs_grade_score(enum srs_grade g);

#endif
